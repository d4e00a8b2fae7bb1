//! The residual-risk scanner: a second, independent look at pseudonymised text for tokens that
//! still look like personal data (a capitalised word that is no dictionary word or domain term,
//! a word from the name or place lists, a digit run of six or more, an `@`, a street with a
//! house number, a postcode, a web address).
//!
//! It deliberately shares no detector with [`crate::pseudo`]: it only reads the rule lists
//! (dictionary, domain terms, names, places, street endings) and applies its own simple shapes,
//! so a blind spot of the pseudonymiser is not automatically a blind spot here. It is tuned to
//! flag too much rather than too little: a privacy officer reads its findings.
//!
//! Owns: [`scan`] and the [`Risk`] it returns. Must never: see or return an original identifier
//! (it only ever reads pseudonymised text, and a risk holds offsets into that text), skip the
//! text inside a generalised date other than the month name itself, or write anything.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::rules::{sorted_list, SortedList};

/// What made a token look like personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskKind {
    /// A word from the first-name or surname list.
    NameList,
    /// A word from the list of places.
    PlaceName,
    /// A capitalised word that is neither a dictionary word nor a domain term.
    UnknownCapitalised,
    /// Six or more digits in a row (separators allowed): a phone, BSN, client or account number.
    DigitRun,
    /// An `@`: an e-mail address or a handle.
    AtSign,
    /// A street name followed by a house number.
    StreetNumber,
    /// Four digits and two capitals: a Dutch postcode.
    Postcode,
    /// `www.`, `http` or a domain-like token.
    WebAddress,
    /// Letters and four or more digits in one token: a file, client or case number.
    IdShape,
    /// "De"/"Het" with a capitalised word: the shape of a named residence, group or provider.
    ArticleName,
    /// A dictionary word with a capital inside a sentence: the shape of a proper name.
    CapitalisedWord,
}

impl RiskKind {
    pub const ALL: [RiskKind; 11] = [
        RiskKind::NameList,
        RiskKind::PlaceName,
        RiskKind::UnknownCapitalised,
        RiskKind::DigitRun,
        RiskKind::AtSign,
        RiskKind::StreetNumber,
        RiskKind::Postcode,
        RiskKind::WebAddress,
        RiskKind::IdShape,
        RiskKind::ArticleName,
        RiskKind::CapitalisedWord,
    ];

    /// Stable code (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            RiskKind::NameList => "name-list",
            RiskKind::PlaceName => "place-name",
            RiskKind::UnknownCapitalised => "unknown-capitalised",
            RiskKind::DigitRun => "digit-run",
            RiskKind::AtSign => "at-sign",
            RiskKind::StreetNumber => "street-number",
            RiskKind::Postcode => "postcode",
            RiskKind::WebAddress => "web-address",
            RiskKind::IdShape => "id-shape",
            RiskKind::ArticleName => "article-name",
            RiskKind::CapitalisedWord => "capitalised-word",
        }
    }

    /// A short explanation for a reader who is not a programmer.
    pub fn reason(self) -> &'static str {
        match self {
            RiskKind::NameList => "appears in the list of first names or surnames",
            RiskKind::PlaceName => "appears in the list of Dutch and Flemish places",
            RiskKind::UnknownCapitalised => {
                "capitalised mid-sentence, not a Dutch dictionary word or domain term"
            }
            RiskKind::DigitRun => "six or more digits: may be a phone, BSN or client number",
            RiskKind::AtSign => "contains an @: may be an e-mail address",
            RiskKind::StreetNumber => "a street name followed by a house number",
            RiskKind::Postcode => "shaped like a Dutch postcode (1234 AB)",
            RiskKind::WebAddress => "shaped like a web address",
            RiskKind::IdShape => "letters with four or more digits: may be a file or client number",
            RiskKind::ArticleName => {
                "a capitalised name after De/Het: may be a residence, group or care provider"
            }
            RiskKind::CapitalisedWord => {
                "an ordinary word capitalised mid-sentence: may be the name of a place, residence or provider"
            }
        }
    }
}

/// One token of pseudonymised text that still looks like personal data. `start..end` are UTF-8
/// byte offsets into the scanned text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Risk {
    pub start: usize,
    pub end: usize,
    pub kind: RiskKind,
}

impl Risk {
    pub fn reason(&self) -> &'static str {
        self.kind.reason()
    }
}

struct Lists {
    words: SortedList,
    domain: SortedList,
    medication: SortedList,
    first_names: SortedList,
    surnames: SortedList,
    places: SortedList,
    streets: SortedList,
    street_suffixes: Vec<String>,
    particles: SortedList,
}

fn lists() -> &'static Lists {
    static L: OnceLock<Lists> = OnceLock::new();
    L.get_or_init(|| Lists {
        words: sorted_list("lists/woorden.txt"),
        domain: sorted_list("lists/domeintermen.txt"),
        medication: sorted_list("lists/medicatie.txt"),
        first_names: sorted_list("lists/voornamen.txt"),
        surnames: sorted_list("lists/achternamen.txt"),
        places: sorted_list("lists/plaatsen.txt"),
        streets: sorted_list("lists/straatnamen.txt"),
        street_suffixes: crate::rules::list("lists/straat-suffixen.txt")
            .map(str::to_lowercase)
            .collect(),
        particles: sorted_list("lists/tussenvoegsels.txt"),
    })
}

struct Patterns {
    pseudonym: Regex,
    digits: Regex,
    postcode: Regex,
    web: Regex,
}

/// The shape patterns; `None` only if a constant pattern failed to compile (a unit test
/// compiles them), in which case the scanner still judges words.
fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        Some(Patterns {
            pseudonym: Regex::new(r"\[[A-Z]+(?:-[0-9]+)?\]").ok()?,
            digits: Regex::new(r"[0-9](?:(?:[ .\-/]| - )?[0-9]){5,}").ok()?,
            postcode: Regex::new(r"\b[1-9][0-9]{3} ?[A-Z]{2}\b").ok()?,
            web: Regex::new(
                r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9\-]+\.(?:nl|com|org|net|eu|be|info)\b",
            )
            .ok()?,
        })
    })
    .as_ref()
}

const MONTHS: [&str; 12] = crate::rules::MONTHS_NL;

/// Compass words that prefix region names.
const COMPASS: [&str; 9] = [
    "noord",
    "zuid",
    "oost",
    "west",
    "midden",
    "noordoost",
    "noordwest",
    "zuidoost",
    "zuidwest",
];

/// Words for relatives and carers, after which a possessive name is likely ("Annes moeder").
const RELATIONS: [&str; 22] = [
    "moeder",
    "vader",
    "ouders",
    "zus",
    "zusje",
    "broer",
    "broertje",
    "oma",
    "opa",
    "tante",
    "oom",
    "dochter",
    "zoon",
    "vriend",
    "vriendin",
    "partner",
    "man",
    "vrouw",
    "mentor",
    "begeleider",
    "kamer",
    "familie",
];

/// Words that open the names of laws and regulations ("de Wet zorg en dwang").
const LAW_HEADS: [&str; 4] = ["wet", "besluit", "regeling", "verordening"];

/// Articles that open the name of a residence, group or provider ("De Vlinder", "Het Anker").
const ARTICLES: [&str; 4] = ["De", "Het", "Den", "'t"];

/// Abbreviations after which a full stop does not end the sentence (titles, "o.a.").
const NO_SENTENCE_END: [&str; 16] = [
    "dhr", "mevr", "mw", "mr", "dr", "drs", "ir", "ing", "prof", "fam", "st", "zr", "br", "bijv",
    "evt", "tel",
];

/// A word token: its offsets and text.
#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

/// Splits into word tokens: runs of letters and digits, with inner `-`, `'` or `’` kept.
fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next_alnum = iter.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        let inner = matches!(c, '-' | '\'' | '’') && start.is_some() && next_alnum;
        if c.is_alphanumeric() || inner {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push(Tok {
                start: s,
                end: i,
                text: text.get(s..i).unwrap_or(""),
            });
        }
    }
    if let Some(s) = start {
        out.push(Tok {
            start: s,
            end: text.len(),
            text: text.get(s..).unwrap_or(""),
        });
    }
    out
}

/// Where a word stands in its sentence, for judging its capital letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    /// Opens a sentence, a paragraph or a heading: a capital is grammar.
    Start,
    /// After a colon or an opening bracket, quote or bullet: a capital may be grammar.
    Soft,
    /// Inside a sentence: a capital marks a name.
    Mid,
}

/// The position of the token starting at `start`.
fn position(text: &str, start: usize) -> Pos {
    let before = text.get(..start).unwrap_or("");
    let spaced = before.trim_end_matches([' ', '\t']);
    // Opening quotes, brackets and bullets, with the spaces around them.
    let trimmed = spaced.trim_end_matches(|c: char| {
        matches!(
            c,
            ' ' | '\t' | '"' | '\'' | '(' | '[' | '‘' | '“' | '-' | '•' | '*' | '–' | '·'
        )
    });
    let opened = trimmed.len() != spaced.len();
    // "'s Avonds", "’s Morgens": the old genitive capitalises by custom.
    if spaced.ends_with("'s") || spaced.ends_with("’s") {
        return Pos::Soft;
    }
    let Some(prev) = trimmed.chars().next_back() else {
        return Pos::Start;
    };
    let base = match prev {
        '\n' | '\r' if line_break_starts_sentence(trimmed) => Pos::Start,
        // Running text wrapped onto a new line: a capital there may still be grammar (a new
        // form field, a list without bullets), so only names and unknown words count.
        '\n' | '\r' => Pos::Soft,
        '!' | '?' => Pos::Start,
        ':' | ';' => Pos::Soft,
        '.' => {
            // "dhr. X", "J. X", "o.a. X" do not end a sentence.
            let word: String = trimmed
                .trim_end_matches('.')
                .chars()
                .rev()
                .take_while(|c| c.is_alphabetic() || *c == '.')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let lower = word.to_lowercase();
            let single_letter = word.chars().filter(|c| c.is_alphabetic()).count() == 1;
            if single_letter || lower.contains('.') || NO_SENTENCE_END.contains(&lower.as_str()) {
                Pos::Mid
            } else {
                Pos::Start
            }
        }
        _ => Pos::Mid,
    };
    if base == Pos::Mid && opened {
        Pos::Soft
    } else {
        base
    }
}

/// Whether the line around `start` looks like a heading or a form line: short and without a
/// full stop at its end (title case is common there).
fn in_heading(text: &str, start: usize) -> bool {
    let line_start = text
        .get(..start)
        .and_then(|b| b.rfind('\n').map(|i| i + 1))
        .unwrap_or(0);
    let line_end = text
        .get(start..)
        .and_then(|a| a.find('\n').map(|i| start + i))
        .unwrap_or(text.len());
    let line = text.get(line_start..line_end).unwrap_or("").trim();
    line.chars().count() <= 60 && !line.ends_with('.')
}

/// Whether the text after a line break starts a sentence: after a blank line, a line ending in
/// sentence punctuation, or a short line (a heading, a form field, a list item). A long line
/// without final punctuation is running text wrapped onto the next line.
fn line_break_starts_sentence(before_break: &str) -> bool {
    let body = before_break.trim_end_matches(char::is_whitespace);
    let breaks = before_break
        .get(body.len()..)
        .unwrap_or("")
        .matches('\n')
        .count();
    if breaks >= 2 || body.is_empty() {
        return true;
    }
    let prev_line = body.rsplit('\n').next().unwrap_or("").trim();
    prev_line.chars().count() < 50 || prev_line.ends_with(['.', '!', '?', ':', ';'])
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// A word the scanner never flags: dictionary words (only when allowed), domain terms,
/// medication, months.
fn is_domain(lower: &str) -> bool {
    let l = lists();
    l.domain.contains(lower) || l.medication.contains(lower) || MONTHS.contains(&lower)
}

/// Classifies one word (no digits): `None` when it looks harmless.
fn classify_word(word: &str, pos: Pos, heading: bool) -> Option<RiskKind> {
    let l = lists();
    let lower = word.to_lowercase();
    let letters = lower.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 || is_domain(&lower) || l.particles.contains(&lower) {
        return None;
    }
    let capital = is_capitalised(word);
    let dictionary = l.words.contains(&lower);
    // "Pims moeder": a first name with a possessive s.
    let possessive = !dictionary
        && lower
            .strip_suffix('s')
            .is_some_and(|stem| stem.chars().count() >= 3 && l.first_names.contains(stem));
    let in_names = l.first_names.contains(&lower) || l.surnames.contains(&lower) || possessive;
    let in_places = l.places.contains(&lower);
    if capital {
        // Ordinary words opening a sentence are capitalised by grammar, not by identity.
        if pos == Pos::Start && dictionary {
            return None;
        }
        if in_names {
            return Some(RiskKind::NameList);
        }
        if in_places {
            return Some(RiskKind::PlaceName);
        }
        if !dictionary && pos != Pos::Start {
            return Some(RiskKind::UnknownCapitalised);
        }
        let all_caps = word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        if dictionary
            && pos == Pos::Mid
            && !heading
            && !all_caps
            && letters >= 3
            && !LAW_HEADS.contains(&lower.as_str())
        {
            // Dutch capitalises no nouns: an ordinary word with a capital inside a sentence is
            // usually the name of a residence, provider or place ("op Zoom", "bij Koraal").
            return Some(RiskKind::CapitalisedWord);
        }
        return None;
    }
    if !dictionary {
        // A name or place written in lower case (e-mail signatures, sloppy notes).
        if in_names {
            return Some(RiskKind::NameList);
        }
        if in_places {
            return Some(RiskKind::PlaceName);
        }
    }
    None
}

/// Classifies a token that may be hyphenated ("Anne-Fleur", "Noord-Holland").
fn classify_token(tok: &str, pos: Pos, heading: bool) -> Option<RiskKind> {
    let l = lists();
    let lower = tok.to_lowercase();
    if tok.contains(['-', '\'', '’']) {
        if is_domain(&lower) || (l.words.contains(&lower) && !is_capitalised(tok)) {
            return None;
        }
        if l.first_names.contains(&lower) || l.surnames.contains(&lower) {
            return Some(RiskKind::NameList);
        }
        if l.places.contains(&lower) {
            return Some(RiskKind::PlaceName);
        }
        if l.words.contains(&lower) && (pos == Pos::Start || heading) {
            return None;
        }
        // "Midden-Nederland", "Noord-Nederland": a compass word and a domain term (regions of
        // the national care system) are no personal data.
        if tok
            .split(['-', '\'', '’'])
            .all(|p| COMPASS.contains(&p.to_lowercase().as_str()) || is_domain(&p.to_lowercase()))
        {
            return None;
        }
        // Judge the parts; a part after a hyphen stands inside the word (never at a start, and
        // a capital there is the writer's choice, not grammar).
        let mut found = None;
        for (n, part) in tok.split(['-', '\'', '’']).enumerate() {
            let part_pos = if n == 0 { pos } else { Pos::Soft };
            if let Some(k) = classify_word(part, part_pos, heading) {
                found = Some(found.map_or(k, |f: RiskKind| f.min(k)));
            }
        }
        return found;
    }
    classify_word(tok, pos, heading)
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Whether the word(s) ending at token `i` name a street: a street-list entry of one to four
/// words, or a capitalised word with a street ending.
fn is_street_before(toks: &[Tok<'_>], i: usize, text: &str) -> bool {
    let l = lists();
    let Some(last) = toks.get(i) else {
        return false;
    };
    if last.text.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let lower = last.text.to_lowercase();
    if is_capitalised(last.text)
        && l.street_suffixes
            .iter()
            .any(|s| lower.ends_with(s.as_str()) && lower.len() > s.len() + 1)
    {
        return true;
    }
    for n in 1..=4usize {
        let Some(first_idx) = (i + 1).checked_sub(n) else {
            break;
        };
        let Some(first) = toks.get(first_idx) else {
            break;
        };
        let Some(span) = text.get(first.start..last.end) else {
            break;
        };
        if span.contains('\n') {
            break;
        }
        let phrase = span.split_whitespace().collect::<Vec<_>>().join(" ");
        let phrase_lower = phrase.to_lowercase();
        if is_capitalised(first.text)
            && l.streets.contains(&phrase_lower)
            && !(n == 1 && (l.words.contains(&phrase_lower) || is_domain(&phrase_lower)))
        {
            return true;
        }
    }
    false
}

/// "Pims moeder": a capitalised first name with a possessive s before a word for a relative
/// or carer, even where the form is also a dictionary word or opens the sentence.
fn possessive_before_relation(word: &str, next: Option<&Tok<'_>>) -> bool {
    let Some(next) = next else {
        return false;
    };
    let lower = word.to_lowercase();
    is_capitalised(word)
        && RELATIONS.contains(&next.text)
        && lower
            .strip_suffix('s')
            .is_some_and(|stem| stem.chars().count() >= 3 && lists().first_names.contains(stem))
}

/// When the article at token `i` is followed, on the same line after one space, by one or more
/// capitalised words (not domain terms, not acronyms, not pseudonyms), the end of those words.
fn article_name_end(
    toks: &[Tok<'_>],
    i: usize,
    text: &str,
    is_masked: &dyn Fn(usize, usize) -> bool,
) -> Option<usize> {
    let mut end = None;
    let mut prev = toks.get(i)?;
    for next in toks.iter().skip(i + 1).take(3) {
        let gap = text.get(prev.end..next.start)?;
        let letters = next.text.chars().filter(|c| c.is_alphabetic()).count();
        let acronym = next.text.chars().filter(|c| c.is_uppercase()).count() >= 2;
        let lower = next.text.to_lowercase();
        let one_space = gap == " " || gap == "\n" || gap == " \n" || gap == "\r\n";
        if !one_space
            || !is_capitalised(next.text)
            || letters < 3
            || acronym
            || is_masked(next.start, next.end)
            || is_domain(&lower)
            || next.text.chars().any(|c| c.is_ascii_digit())
        {
            break;
        }
        end = Some(next.end);
        prev = next;
    }
    end
}

/// A house number right after `end`: whitespace, 1-5 digits, an optional letter or `-suffix`.
fn house_number_after(text: &str, end: usize) -> Option<usize> {
    let rest = text.get(end..)?;
    let trimmed = rest.trim_start_matches([' ', '\t']);
    if trimmed.len() == rest.len() {
        return None;
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 5 {
        return None;
    }
    let mut stop = end + (rest.len() - trimmed.len()) + digits;
    let after = text.get(stop..).unwrap_or("");
    let mut chars = after.chars();
    if let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            return None;
        }
        if c.is_ascii_alphabetic() && !chars.next().is_some_and(char::is_alphanumeric) {
            stop += 1;
        }
    }
    Some(stop)
}

/// Scans pseudonymised text for tokens that still look like personal data, in text order.
/// Pseudonym tokens (`[CLIENT]`, `[NAASTE-1234]`, ...) and month names of generalised dates
/// are never flagged.
pub fn scan(text: &str) -> Vec<Risk> {
    let p = patterns();
    let masked: Vec<(usize, usize)> = p
        .map(|p| {
            p.pseudonym
                .find_iter(text)
                .map(|m| (m.start(), m.end()))
                .collect()
        })
        .unwrap_or_default();
    let is_masked = |s: usize, e: usize| masked.iter().any(|&m| overlaps(m, (s, e)));
    let mut risks: Vec<Risk> = Vec::new();
    let push = |risks: &mut Vec<Risk>, start: usize, end: usize, kind: RiskKind| {
        if start < end && !is_masked(start, end) {
            risks.push(Risk { start, end, kind });
        }
    };

    // Shapes over the raw text.
    if let Some(p) = p {
        shapes(p, text, &mut |s, e, k| push(&mut risks, s, e, k));
    }
    // Words.
    let toks = tokens(text);
    for (i, t) in toks.iter().enumerate() {
        if is_masked(t.start, t.end) {
            continue;
        }
        if let Some(stop) = house_number_after(text, t.end) {
            if is_street_before(&toks, i, text) {
                // Extend back over the words of a multi-word street name on the same line.
                let mut s = t.start;
                for n in (1..=3usize).rev() {
                    if let Some(f) = i.checked_sub(n).and_then(|j| toks.get(j)) {
                        let span = text.get(f.start..t.end).unwrap_or("\n");
                        let lower = span.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !span.contains('\n')
                            && lists().streets.contains(&lower.to_lowercase())
                            && !is_masked(f.start, t.end)
                        {
                            s = f.start;
                            break;
                        }
                    }
                }
                push(&mut risks, s, stop, RiskKind::StreetNumber);
                continue;
            }
        }
        let digits = t.text.chars().filter(char::is_ascii_digit).count();
        if digits > 0 {
            let letters = t.text.chars().filter(|c| c.is_alphabetic()).count();
            if letters > 0 && digits >= 4 {
                push(&mut risks, t.start, t.end, RiskKind::IdShape);
            }
            continue;
        }
        if possessive_before_relation(t.text, toks.get(i + 1)) {
            push(&mut risks, t.start, t.end, RiskKind::NameList);
            continue;
        }
        if ARTICLES.contains(&t.text) {
            if let Some(end) = article_name_end(&toks, i, text, &is_masked) {
                push(&mut risks, t.start, end, RiskKind::ArticleName);
                continue;
            }
        }
        let pos = position(text, t.start);
        if let Some(kind) = classify_token(t.text, pos, in_heading(text, t.start)) {
            push(&mut risks, t.start, t.end, kind);
        }
    }

    // One risk per stretch: where two overlap keep the earlier-starting, longer one.
    risks.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<Risk> = Vec::with_capacity(risks.len());
    for r in risks {
        match out.last_mut() {
            Some(last) if r.start < last.end => {
                if r.end > last.end {
                    last.end = r.end;
                }
            }
            _ => out.push(r),
        }
    }
    out
}

/// The shapes found by pattern: `@` tokens, digit runs, postcodes, web addresses.
fn shapes(p: &Patterns, text: &str, push: &mut dyn FnMut(usize, usize, RiskKind)) {
    for m in p.web.find_iter(text) {
        // The sites of national bodies (www.ciz.nl) are no personal data.
        let host = m
            .as_str()
            .to_lowercase()
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .split('.')
            .next()
            .unwrap_or("")
            .to_string();
        if is_domain(&host) {
            continue;
        }
        let end = trim_punct_end(text, m.start(), m.end());
        push(m.start(), end, RiskKind::WebAddress);
    }
    for (i, _) in text.match_indices('@') {
        // The whole non-space token around the @.
        let s = text
            .get(..i)
            .and_then(|b| b.rfind(char::is_whitespace).map(|w| w + 1))
            .unwrap_or(0);
        let e = text
            .get(i..)
            .and_then(|a| a.find(char::is_whitespace).map(|w| i + w))
            .unwrap_or(text.len());
        let s = s.min(i);
        let e = trim_punct_end(text, s, e.max(i + 1));
        push(s, e, RiskKind::AtSign);
    }
    for m in p.digits.find_iter(text) {
        let groups: Vec<&str> = m
            .as_str()
            .split([' ', '.', '-', '/'])
            .filter(|g| !g.is_empty())
            .collect();
        // "2019-2021", "2020 2021", "maart 2021 15.40": years and times are no identifier.
        let years = groups.iter().all(|g| is_year(g));
        let chunks: Vec<&str> = m.as_str().split(' ').collect();
        let years_and_times =
            chunks.iter().any(|c| is_year(c)) && chunks.iter().all(|c| is_year(c) || is_time(c));
        if !years && !years_and_times {
            push(m.start(), m.end(), RiskKind::DigitRun);
        }
    }
    for m in p.postcode.find_iter(text) {
        push(m.start(), m.end(), RiskKind::Postcode);
    }
}

fn is_year(g: &str) -> bool {
    g.len() == 4
        && (g.starts_with("19") || g.starts_with("20"))
        && g.bytes().all(|b| b.is_ascii_digit())
}

/// "9", "15", "15.40", "9:05".
fn is_time(c: &str) -> bool {
    let (h, m) = match c.split_once(['.', ':']) {
        Some((h, m)) => (h, Some(m)),
        None => (c, None),
    };
    let hour_ok = !h.is_empty() && h.len() <= 2 && h.bytes().all(|b| b.is_ascii_digit());
    let min_ok = m.is_none_or(|m| m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()));
    hour_ok && min_ok
}

/// Drops trailing sentence punctuation from `s..e`.
fn trim_punct_end(text: &str, s: usize, e: usize) -> usize {
    let Some(t) = text.get(s..e) else {
        return e;
    };
    let trimmed = t.trim_end_matches(['.', ',', ';', ':', ')', '>', '"', '\'', '!', '?']);
    s + trimmed.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(text: &str) -> Vec<(String, RiskKind)> {
        scan(text)
            .into_iter()
            .map(|r| (text[r.start..r.end].to_string(), r.kind))
            .collect()
    }

    fn flagged_words(text: &str) -> Vec<String> {
        flagged(text).into_iter().map(|(w, _)| w).collect()
    }

    #[test]
    fn patterns_compile() {
        let p = patterns().unwrap();
        assert!(p.pseudonym.is_match("[NAASTE-12]"));
        assert!(p.postcode.is_match("1234 AB"));
    }

    #[test]
    fn clean_pseudonymised_text_has_no_risks() {
        let text = "[CLIENT] kreeg bezoek van [NAASTE-4821] in [PLAATS-0193]. Op maart 2021 \
                    belde [ZORGVERLENER-12] van [INSTELLING-426858] over de medicatie.\n\
                    Maart 2022: [CLIENT] woont op [LOCATIE-3198], [ADRES], [POSTCODE].\n\
                    Telefoon: [TELEFOON], e-mail [EMAIL], BSN [BSN].";
        assert_eq!(flagged(text), vec![]);
    }

    #[test]
    fn a_leaked_name_mid_sentence_is_flagged() {
        let f = flagged("Vandaag kwam Pieter langs met zijn zus.");
        assert_eq!(f, vec![("Pieter".to_string(), RiskKind::NameList)]);
    }

    #[test]
    fn a_surname_that_is_also_an_ordinary_word_is_flagged_when_capitalised() {
        // "visser" and "bakker" are dictionary words, yet capitalised mid-sentence they are names.
        let w = flagged_words("Het gesprek met mevrouw Visser en de heer Bakker verliep rustig.");
        assert_eq!(w, vec!["Visser", "Bakker"]);
        // Lower case, they are ordinary words.
        assert!(flagged("De visser en de bakker kwamen langs.").is_empty());
    }

    #[test]
    fn an_unknown_capitalised_word_is_flagged_but_not_at_a_sentence_start() {
        let w = flagged_words("Hij sprak met Zorbulax over het plan.");
        assert_eq!(w, vec!["Zorbulax"]);
        assert!(flagged("Zorbulax is nog onbekend.").is_empty());
        // A title abbreviation does not end the sentence.
        assert_eq!(
            flagged_words("Gesprek met dhr. Zorbulax."),
            vec!["Zorbulax"]
        );
    }

    #[test]
    fn dictionary_words_and_domain_terms_are_not_flagged() {
        let text = "Tijdens het MDO is besproken dat de Wzd-maatregel blijft. \
                    De gedragsdeskundige adviseert Risperidon af te bouwen.";
        assert_eq!(flagged(text), vec![]);
    }

    #[test]
    fn digit_runs_at_signs_and_web_addresses() {
        let f = flagged("Bel 06-12345678 of mail j.smit@example.nl, zie www.voorbeeld.nl.");
        let kinds: Vec<RiskKind> = f.iter().map(|x| x.1).collect();
        assert!(kinds.contains(&RiskKind::DigitRun), "{f:?}");
        assert!(kinds.contains(&RiskKind::AtSign), "{f:?}");
        assert!(kinds.contains(&RiskKind::WebAddress), "{f:?}");
        let at = f.iter().find(|x| x.1 == RiskKind::AtSign).unwrap();
        assert_eq!(at.0, "j.smit@example.nl");
        // Five digits and year ranges are not flagged.
        assert!(flagged("In 2019-2021 waren er 12345 meldingen.").is_empty());
    }

    #[test]
    fn street_with_house_number_and_postcode() {
        let f = flagged("Zij woont aan de Lindelaan 14b, 1234 AB in het dorp.");
        assert_eq!(
            f,
            vec![
                ("Lindelaan 14b".to_string(), RiskKind::StreetNumber),
                ("1234 AB".to_string(), RiskKind::Postcode),
            ]
        );
        // A number after an ordinary word is no address.
        assert!(flagged("Hij zit in groep 7 en heeft week 12 vrij.").is_empty());
    }

    #[test]
    fn place_names_are_flagged() {
        let w = flagged_words("Hij verhuisde vorig jaar naar Zwolle.");
        assert_eq!(w, vec!["Zwolle"]);
    }

    #[test]
    fn id_shapes_are_flagged() {
        let w = flagged_words("Dossiernummer DK2024117 is aangemaakt.");
        assert_eq!(w, vec!["DK2024117"]);
    }

    #[test]
    fn named_residences_after_an_article_are_flagged_across_a_line_break() {
        let f = flagged("Sinds mei woont zij op De\nZonnebloem van [INSTELLING-12].");
        assert_eq!(
            f,
            vec![("De\nZonnebloem".to_string(), RiskKind::ArticleName)]
        );
        // An acronym, a domain term or a pseudonym after the article is no name.
        assert!(flagged("Het CIZ en de Wlz; De [LOCATIE-12] is vol.").is_empty());
    }

    #[test]
    fn capitalised_dictionary_words_mid_sentence_are_flagged_but_not_by_custom() {
        let w = flagged_words("Hij woont bij Zonnebloem sinds mei.");
        assert_eq!(w, vec!["Zonnebloem"]);
        // Custom capitals: the genitive, laws, headings, after a colon.
        assert!(
            flagged("Hij slaapt 's Avonds slecht sinds de Wet zorg en dwang geldt.").is_empty()
        );
        assert!(
            flagged("Verslag Multidisciplinair Overleg\nReden: Verhuizing gepland.").is_empty()
        );
    }

    #[test]
    fn a_possessive_first_name_before_a_relative_is_flagged_at_a_sentence_start() {
        let w = flagged_words("Het ging goed. Pieters moeder kwam langs.");
        assert_eq!(w, vec!["Pieters"]);
    }

    #[test]
    fn wrapped_lines_do_not_hide_unknown_words() {
        let long =
            "Hij woonde tot vorig jaar met zijn ouders en twee zussen in een rijtjeshuis bij";
        let text = format!("{long}\nZorbulax, daarna verhuisde hij.");
        assert_eq!(flagged_words(&text), vec!["Zorbulax"]);
        // After a short line (a heading), it opens a sentence.
        assert!(flagged("Aanleiding\nZorbulax is nog onbekend.").is_empty());
    }

    #[test]
    fn spaced_phone_numbers_are_flagged_but_years_with_times_are_not() {
        assert_eq!(
            flagged("Bel 06 - 12 34 56 78 of 06 12 34 56 78."),
            vec![
                ("06 - 12 34 56 78".to_string(), RiskKind::DigitRun),
                ("06 12 34 56 78".to_string(), RiskKind::DigitRun)
            ]
        );
        assert!(flagged("Op maart 2021 15.40 uur en juni 2022 9 uur.").is_empty());
    }

    #[test]
    fn sites_of_national_bodies_are_not_flagged() {
        assert!(flagged("Zie www.ciz.nl voor het besluit.").is_empty());
        assert_eq!(
            flagged_words("Zie www.zorbulax.nl."),
            vec!["www.zorbulax.nl"]
        );
    }

    #[test]
    fn offsets_are_utf8_safe() {
        let text = "Cliënt ging met Zoë Zorbulax-Ćirić naar café Zwolle.";
        for r in scan(text) {
            assert!(text.get(r.start..r.end).is_some());
        }
        assert!(!scan(text).is_empty());
    }
}
