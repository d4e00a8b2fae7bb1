//! Names of people, care providers, residences, places and street addresses, found by the
//! shape of the words (capitals, initials, tussenvoegsels, hyphens), the lists of
//! `redaction-rules/lists/` and the context around them (titles, role words, form labels,
//! salutations, signatures, e-mail headers). Ordinary words that are also names ("Bakker",
//! "Roos") are only taken with context; case-level propagation (in `mod.rs`) then finds them
//! everywhere in the case.

use std::cell::{Cell, RefCell};

use super::lexicon::{wf, LabelKind, Lexicon, TitleKind};
use super::tokens::{Kind, Tok};
use super::{Cand, Category, Role};

/// Generic mail providers whose domain says nothing about an organisation.
const MAIL_PROVIDERS: &[&str] = &[
    "gmail",
    "hotmail",
    "outlook",
    "live",
    "icloud",
    "yahoo",
    "kpnmail",
    "kpnplanet",
    "planet",
    "xs4all",
    "ziggo",
    "home",
    "zonnet",
    "casema",
    "upcmail",
    "hetnet",
    "quicknet",
    "tele2",
    "telfort",
    "online",
    "chello",
    "me",
    "msn",
    "mail",
    "protonmail",
    "proton",
    "gmx",
    "caiway",
    "solcon",
    "freeler",
    "versatel",
    "onsbrabantnet",
    "netvisit",
    "zeelandnet",
    "hccnet",
    "wxs",
];

/// Evidence about a name mention that the entity resolution uses.
#[derive(Debug, Clone, Default)]
pub struct NameInfo {
    pub role: Option<Role>,
    pub client_label: bool,
    pub title: Option<TitleKind>,
}

/// The rule of a nickname in brackets after a name: resolve links it to that name.
pub const NICKNAME_RULE: &str = "nickname";

pub struct Ctx<'a, 't> {
    pub text: &'t str,
    pub toks: &'a [Tok<'t>],
    pub lex: &'a Lexicon,
    /// What the lists say about each token, looked up the first time a rule asks (see
    /// [`Ctx::flags`]): the rules ask about the same capitalised words many times over.
    memo: Vec<Cell<u16>>,
    /// The same per distinct word, shared by the documents of a case: a case repeats its
    /// words (names, places, the jargon of the reports), and each list look-up is a probe into
    /// a large table that is rarely in the cache.
    words: Option<&'a WordCache<'a>>,
    /// The indices of the line-break tokens, in order: the start of a token's line is one
    /// binary search away (rules ask it of names in long paragraphs, where walking back
    /// token by token to the line start cost more than the rest of the rule).
    newlines: Vec<usize>,
    /// The indices of the ":" tokens, in order (the label before a value on its line).
    colons: Vec<usize>,
    /// The text is written in English ([`written_in_english`]): asked by the rule for given
    /// names in lower case, and by the case's propagation (`resolve`), read once here.
    pub english: bool,
}

/// A word's lower-case form and its list hash, hashed by that hash alone (already made by the
/// tokenizer) and compared in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordKey<'a> {
    hash: u64,
    low: &'a str,
}

impl std::hash::Hash for WordKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// The list flags of the words of one case (see [`Ctx::with_cache`]). A word's flags depend on
/// the word alone, so sharing them cannot make the result depend on the order of documents.
pub type WordCache<'a> = RefCell<rustc_hash::FxHashMap<WordKey<'a>, u16>>;

/// Bits of [`Ctx::flags`]: those of [`wf`] (the small context sets), and those of the
/// large name and word lists, each group looked up the first time a rule asks.
mod f {
    pub use super::wf::*;
    pub const DONE_SMALL: u16 = 1;
    pub const DONE_LISTS: u16 = 1 << 1;
    pub const SMALL: u16 = DOMAIN | TV_LISTED | TITLE | ROLE | ORG_PREFIX | ORG_SUFFIX | CALENDAR;
    pub const FIRST: u16 = 1 << 9;
    pub const SUR: u16 = 1 << 10;
    pub const PLACE: u16 = 1 << 11;
    pub const WORD: u16 = 1 << 12;
    /// A longer place name may begin with this word (`Lexicon::place_prefixes`): asked of
    /// every capitalised word, and a probe into a large bit table.
    pub const PLACE_LONGER: u16 = 1 << 13;
    pub const LISTS: u16 = FIRST | SUR | PLACE | WORD | PLACE_LONGER;
}

impl<'a, 't> Ctx<'a, 't> {
    pub fn new(text: &'t str, toks: &'a [Tok<'t>], lex: &'a Lexicon) -> Ctx<'a, 't> {
        let mut newlines = Vec::new();
        let mut colons = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            if t.kind == Kind::Newline {
                newlines.push(i);
            } else if t.is_punct(":") {
                colons.push(i);
            }
        }
        Ctx {
            text,
            toks,
            lex,
            memo: vec![Cell::new(0); toks.len()],
            words: None,
            newlines,
            colons,
            english: written_in_english(toks),
        }
    }

    /// The first token of the line of token `i`: the token after the last line break before
    /// `i` (0 when there is none).
    fn line_start(&self, i: usize) -> usize {
        let p = self.newlines.partition_point(|&n| n < i);
        p.checked_sub(1)
            .and_then(|q| self.newlines.get(q))
            .map_or(0, |&n| n + 1)
    }

    /// The last ":" token at or after `from` and before `to`.
    fn last_colon_in(&self, from: usize, to: usize) -> Option<usize> {
        let p = self.colons.partition_point(|&c| c < to);
        let c = *self.colons.get(p.checked_sub(1)?)?;
        (c >= from).then_some(c)
    }

    /// As [`Ctx::new`], with the list flags of words shared through `words` with the other
    /// documents of the case.
    pub fn with_cache(
        text: &'t str,
        toks: &'a [Tok<'t>],
        lex: &'a Lexicon,
        words: &'a WordCache<'a>,
    ) -> Ctx<'a, 't> {
        Ctx {
            words: Some(words),
            ..Ctx::new(text, toks, lex)
        }
    }

    /// The list memberships (bits of [`f`]) of token `i`'s lower-case form that `want` asks
    /// about, and any others already known (0 past the end).
    #[inline]
    fn flags(&self, i: usize, want: u16) -> u16 {
        let Some(cell) = self.memo.get(i) else {
            return 0;
        };
        let v = cell.get();
        if needs(want, v) == (false, false) {
            return v;
        }
        self.flags_first(i, want, v, cell)
    }

    /// [`Ctx::flags`] the first time a group is asked of token `i` (its memo `cell` holds
    /// `v`): kept out of line, so that the answers from the memo (most of them) are a load
    /// and a test where they are asked.
    #[inline(never)]
    fn flags_first(&self, i: usize, want: u16, mut v: u16, cell: &Cell<u16>) -> u16 {
        let Some(t) = self.toks.get(i) else { return 0 };
        // The rules ask about both groups of almost every capitalised word (every rule starts
        // at one), so those get both at once: one probe into the case's words, not two.
        let want = if t.is_cap() {
            want | f::SMALL | f::LISTS
        } else {
            want
        };
        let low: &'a str = &t.low;
        let hash = if t.kind == Kind::Word {
            t.hash
        } else {
            crate::rules::word_hash(low.as_bytes())
        };
        let key = WordKey { hash, low };
        if let Some(words) = self.words {
            // One probe into the case's words, whether the word is there or not.
            let mut words = words.borrow_mut();
            let known = words.entry(key).or_insert(0);
            v |= *known;
            let (need_small, need_lists) = needs(want, v);
            if need_small || need_lists {
                v = self.look_up(low, hash, v, need_small, need_lists);
                *known = v;
            }
        } else {
            let (need_small, need_lists) = needs(want, v);
            v = self.look_up(low, hash, v, need_small, need_lists);
        }
        cell.set(v);
        v
    }

    /// `v` with the flags of the groups asked for looked up in the lists.
    fn look_up(&self, low: &str, hash: u64, mut v: u16, need_small: bool, need_lists: bool) -> u16 {
        let lex = self.lex;
        let mut set = |bit: u16, on: bool| {
            if on {
                v |= bit;
            }
        };
        if need_small {
            set(f::DONE_SMALL | lex.small_flags(low, hash), true);
        }
        if need_lists {
            use crate::rules::WordFlags as W;
            let on = lex.word_flags.get_hashed(low, hash);
            set(f::DONE_LISTS, true);
            set(f::FIRST, on & W::FIRST_NAME != 0);
            set(f::SUR, on & W::SURNAME != 0);
            set(f::PLACE, on & W::PLACE != 0);
            set(f::WORD, on & W::WORD != 0);
            set(
                f::PLACE_LONGER,
                lex.place_prefixes.may_have_longer_hashed(hash),
            );
        }
        v
    }

    fn has(&self, i: usize, bits: u16) -> bool {
        self.flags(i, bits) & bits != 0
    }

    fn lower(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| &t.low)
    }

    fn tok(&self, i: usize) -> Option<&Tok<'t>> {
        self.toks.get(i)
    }

    /// Word that can be part of a name: capitalised, not a domain term.
    fn name_word(&self, i: usize) -> bool {
        let Some(t) = self.tok(i) else { return false };
        t.is_cap() && !self.has(i, f::DOMAIN | f::TITLE | f::ROLE)
    }

    /// A capitalised word in a position where only a name can stand (after a title, initials
    /// or particles): a listed name counts even when it is also on the never-redact list as an
    /// ordinary word ("mevrouw Kort", "E. de Kort").
    fn name_word_in_context(&self, i: usize) -> bool {
        if self.name_word(i) {
            return true;
        }
        let Some(t) = self.tok(i) else { return false };
        let fl = self.flags(i, f::SMALL | f::LISTS);
        // A month or weekday capitalised there, before a capitalised word, is a given name:
        // "mevrouw Mei Tjin-A-Koeng", "J. April Sedney".
        let calendar_name = || {
            fl & f::CALENDAR != 0
                && !t.is_allcaps()
                && self
                    .tok(i + 1)
                    .is_some_and(|n| n.kind == Kind::Word && n.is_cap() && n.space_before)
                && !self.has(i + 1, f::CALENDAR)
        };
        t.is_cap()
            && fl & (f::TITLE | f::ROLE) == 0
            && ((fl & (f::SUR | f::FIRST) != 0 && fl & f::WORD != 0 && fl & f::CALENDAR == 0)
                || calendar_name())
    }

    fn is_tv(&self, i: usize) -> bool {
        let Some(t) = self.tok(i) else { return false };
        match t.kind {
            Kind::Word => {
                // "’t" (typographic apostrophe) is the same particle as "'t".
                t.text.len() <= 16
                    && (t.text.len() <= 4 || t.text.chars().count() <= 4)
                    && if !t.text.is_ascii() && t.low.contains('’') {
                        self.lex
                            .tussenvoegsels
                            .contains(t.low.replace('’', "'").as_str())
                    } else {
                        self.lex.may_be_tv(&t.low) && self.has(i, f::TV_LISTED)
                    }
            }
            _ => false,
        }
    }

    /// Whether token `i` is directly preceded by a title: "mevrouw", or "mevr" and a dot.
    fn title_before(&self, i: usize) -> bool {
        let Some(p) = i.checked_sub(1).and_then(|k| self.toks.get(k)) else {
            return false;
        };
        self.has(i - 1, f::TITLE)
            || (p.is_punct(".")
                && i >= 2
                && self
                    .toks
                    .get(i - 2)
                    .is_some_and(|w| self.lex.title_abbrevs.contains_key(&*w.low)))
    }
}

/// The last token of the word in capitals at `k`, with the parts it is joined to by hyphens
/// ("JHINKOE-RAI", "MOL-WISSE"); `k` itself when there are none.
fn caps_joined_end(toks: &[Tok], mut k: usize) -> usize {
    while toks
        .get(k + 1)
        .is_some_and(|h| h.is_punct("-") && !h.space_before)
        && toks
            .get(k + 2)
            .is_some_and(|n| n.kind == Kind::Word && n.is_allcaps() && !n.space_before)
    {
        k += 2;
    }
    k
}

/// Whether the word in capitals at `j` is the surname after the given names `words` (all
/// listed given names) or the initials of a chain: "Reinout Cornelis WISSE,", "Carlijn
/// MOL-WISSE,", "R.C. WISSE" in the heading of a court decision or a form. The surname ends the
/// name: a comma, a bracket, a semicolon or the end of the line comes after it (with its
/// hyphenated parts), so an acronym in running text ("Jan belde UWV over") is none.
fn caps_surname_after(cx: &Ctx, j: usize, words: &[usize], initials: usize) -> bool {
    let toks = cx.toks;
    let Some(t) = toks.get(j) else { return false };
    if !(t.space_before && !t.gap_before && t.text.chars().count() >= 3)
        || (words.is_empty() && initials == 0)
        || !words.iter().all(|&w| cx.has(w, f::FIRST))
        || cx.has(j, f::DOMAIN | f::TITLE | f::ROLE | f::CALENDAR)
    {
        return false;
    }
    let e = caps_joined_end(toks, j);
    toks.get(e + 1).is_none_or(|n| {
        n.kind == Kind::Newline
            || n.gap_before
            || [",", ";", "(", ")"].iter().any(|p| n.is_punct(p))
    })
}

/// Which flag groups `want` asks for that memo value `v` does not have yet: (small, lists).
#[inline]
fn needs(want: u16, v: u16) -> (bool, bool) {
    (
        want & f::SMALL != 0 && v & f::DONE_SMALL == 0,
        want & f::LISTS != 0 && v & f::DONE_LISTS == 0,
    )
}

/// The lower-case words of `toks` joined by single spaces (a label or role phrase), and how
/// many there are.
fn words_key(toks: &[Tok]) -> (String, usize) {
    let mut key = String::new();
    let mut n = 0;
    for t in toks.iter().filter(|t| t.kind == Kind::Word) {
        if n > 0 {
            key.push(' ');
        }
        key.push_str(&t.low);
        n += 1;
    }
    (key, n)
}

/// Prepositions that are surname particles only together with an article ("op de", "in 't",
/// "uit den", "aan de", "over de", "voor de", "onder de", "bij de").
fn is_preposition(low: &str) -> bool {
    matches!(
        low,
        "aan" | "bij" | "in" | "onder" | "op" | "over" | "uit" | "voor"
    )
}

/// A parsed name: token range [first, last] (inclusive) and its parts.
#[derive(Debug, Clone)]
pub struct Chain {
    pub first: usize,
    pub last: usize,
    pub words: Vec<usize>,
    pub initials: usize,
    pub has_tv: bool,
}

/// The end (exclusive) of a run of initials starting at token `k`: capitals of one letter,
/// each with a dot glued to it ("J.", "J.P.", "J. P."); `k` itself when there is none.
fn initials_end(toks: &[Tok], mut k: usize) -> usize {
    while toks
        .get(k)
        .is_some_and(|t| t.kind == Kind::Word && t.text.chars().count() == 1 && t.is_cap())
        && toks
            .get(k + 1)
            .is_some_and(|d| d.is_punct(".") && !d.space_before)
    {
        k += 2;
    }
    k
}

/// Parses the longest name-shaped chain starting at token `i`: initials ("J.P."), capitalised
/// words, tussenvoegsels between them, hyphenated parts ("Tjon-A-Joe", "Van Dijk-Mulder").
pub fn parse_chain(cx: &Ctx, i: usize, allcaps_ok: bool) -> Option<Chain> {
    let toks = cx.toks;
    let mut caps_end: Option<Option<usize>> = None;
    let mut j = i;
    let mut words = Vec::new();
    let mut initials = 0;
    let mut has_tv = false;
    let mut groups = 0usize;
    let mut last = None;
    // Initials: "J." "J.P." "J. P."
    let e = initials_end(toks, j);
    if e > j {
        initials = (e - j) / 2;
        last = Some(e - 1);
        j = e;
    }
    // A name in daily use in brackets after the initials: "E.M. (Els) de Kort-Hamstra",
    // "P.J. (Pieter-Jan) Tjalsma".
    // (Not a term in capitals or a role: "Habets, R.M. (AIOS)".)
    if initials > 0
        && toks.get(j).is_some_and(|t| t.is_punct("("))
        && toks
            .get(j + 1)
            .is_some_and(|t| t.is_cap() && !(t.is_allcaps() && t.text.chars().nth(1).is_some()))
        && !cx.has(j + 1, f::DOMAIN | f::ROLE | f::TITLE)
    {
        // The daily name's last token: its parts joined by hyphens without spaces.
        let mut e = j + 1;
        while toks
            .get(e + 1)
            .is_some_and(|h| h.is_punct("-") && !h.space_before)
            && toks
                .get(e + 2)
                .is_some_and(|n| n.is_cap() && !n.space_before && n.kind == Kind::Word)
        {
            e += 2;
        }
        if toks.get(e + 1).is_some_and(|t| t.is_punct(")")) {
            words.push(j + 1);
            last = Some(e + 1);
            j = e + 2;
        }
    }
    while let Some(t) = toks.get(j) {
        if t.kind == Kind::Newline || (t.gap_before && j > i) {
            break;
        }
        // "Hamid B.": a surname initial ends the name.
        if t.kind == Kind::Word
            && t.text.chars().count() == 1
            && t.is_cap()
            && !words.is_empty()
            && toks
                .get(j + 1)
                .is_some_and(|d| d.is_punct(".") && !d.space_before)
        {
            last = Some(j + 1);
            break;
        }
        // An acronym neither starts nor continues a name written in normal case ("Jan van ASVZ").
        let acronym = t.is_allcaps() && !allcaps_ok && t.text.chars().count() > 1;
        // (Asked once per chain, and only of a word in capitals.)
        let caps_ok = acronym
            && t.kind == Kind::Word
            && caps_end
                .get_or_insert_with(|| surname_in_capitals(cx, i))
                .is_some_and(|e| j <= e);
        if t.kind == Kind::Word
            && acronym
            && !caps_ok
            && !caps_surname_after(cx, j, &words, initials)
        {
            break;
        }
        // Right after a title or initials only a name can follow.
        let after_title = j == i && cx.title_before(i);
        let after_particles = has_tv && words.last().is_some_and(|&w| w + 1 < j);
        let in_context = (initials > 0 && words.is_empty()) || after_title || after_particles;
        let name_like = (if in_context {
            cx.name_word_in_context(j)
        } else {
            cx.name_word(j)
        } || hyphenated_given_name(cx, j))
            // After "van" a kind of organisation is where the person works: "Dirk van
            // Fietsenwerkplaats Spaakwiel".
            && !(after_particles
                && cx.lex.org_kind_head.ends(&t.low, 3)
                && !cx.has(j, f::SUR | f::FIRST));
        if t.kind == Kind::Word && (name_like || (allcaps_ok && t.is_allcaps())) {
            words.push(j);
            groups += 1;
            last = Some(j);
            j += 1;
            // Hyphenated continuation: "-A-Fat", "-Bakker", "-de Koning".
            while let (Some(h), Some(n)) = (toks.get(j), toks.get(j + 1)) {
                // "D'Souza", "O'Neill": one capital, an apostrophe and the rest of the name.
                let apostrophe = (h.is_punct("'") || h.is_punct("’"))
                    && toks.get(j - 1).is_some_and(|w| w.text.len() == 1)
                    && n.is_cap();
                if (h.is_punct("-") || h.is_punct("‑") || apostrophe)
                    && !h.space_before
                    && !n.space_before
                    && n.kind == Kind::Word
                    && (n.is_cap() || cx.is_tv(j + 1))
                {
                    let mut k = j + 1;
                    while cx.is_tv(k)
                        && toks.get(k + 1).is_some_and(|t| t.kind == Kind::Word)
                        && !toks.get(k).is_some_and(|t| t.is_cap())
                    {
                        k += 1;
                    }
                    if toks.get(k).is_some_and(|t| t.is_cap()) {
                        words.push(k);
                        last = Some(k);
                        j = k + 1;
                        continue;
                    }
                }
                break;
            }
            continue;
        }
        // The initials in brackets between the given name and the surname: "Rico (R.A.)
        // Isenia".
        if t.is_punct("(") && words.len() == 1 && initials == 0 && !has_tv {
            let k = initials_end(toks, j + 1);
            if k >= j + 3
                && toks.get(k).is_some_and(|c| c.is_punct(")"))
                && toks
                    .get(k + 1)
                    .is_some_and(|n| n.is_cap() && n.space_before)
                && cx.name_word_in_context(k + 1)
            {
                j = k + 1;
                continue;
            }
        }
        // "van der" abbreviated with dots or a slash ("J. v.d. Kolk", "P. v/d Berg"): a particle
        // of several tokens, after initials or a given name only, before the surname.
        let dotted = dotted_particle(cx, j);
        if dotted > 0 && !has_tv && groups <= 1 && (initials > 0 || !words.is_empty()) {
            let k = j + dotted;
            if toks.get(k).is_some_and(|n| n.is_cap() && n.space_before)
                && cx.name_word_in_context(k)
                && !cx.is_tv(k)
            {
                has_tv = true;
                j = k;
                continue;
            }
        }
        // Tussenvoegsels: only before a capitalised word, and only after given names or initials
        // (a particle after a surname starts a new phrase: "Jan Bakker van Ipse").
        if cx.is_tv(j) {
            let mut k = j;
            let mut n_tv = 0;
            while k < toks.len() && n_tv < 4 {
                let lower_ok = n_tv == 0 || toks.get(k).is_some_and(|t| !t.is_cap());
                if cx.is_tv(k) && lower_ok {
                    k += 1;
                    n_tv += 1;
                } else {
                    break;
                }
            }
            // The surname after particles is a capitalised word that is not itself an article
            // ("Anouk van De Vlinder" is a name and a residence, not one name).
            let next_cap = toks.get(k).is_some_and(|n| {
                n.is_cap() && (!n.is_allcaps() || allcaps_ok || n.text.chars().count() == 1)
            }) && cx.name_word_in_context(k)
                && !cx.is_tv(k)
                // (Not the first letter of initials: "N.B. de P.B. komt".)
                && !(toks.get(k).is_some_and(|n| n.text.len() == 1)
                    && toks.get(k + 1).is_some_and(|d| d.is_punct(".") && !d.space_before)
                    && toks.get(k + 2).is_some_and(|l| l.text.len() == 1 && !l.space_before));
            // (Several given names may come first, all of them listed as such: "Sijmen Dirk
            // de Bruin".)
            let given_names = groups <= 3 && words.iter().all(|&w| cx.has(w, f::FIRST));
            let after_given = (groups <= 1 || given_names)
                && (initials > 0
                    || words.is_empty()
                    || words
                        .first()
                        .is_some_and(|&w| cx.has(w, f::FIRST) || !cx.has(w, f::SUR)));
            // A preposition alone is not a particle: "oom Teun uit Winschoten", "zorgen over
            // Anna". As particles they come with an article ("Uit den Bogaard", "Op de Beek").
            let bare_preposition = n_tv == 1 && is_preposition(cx.lower(j));
            // "en" is a conjunction first: "Sietske en Lammert", "Jildou en de Vlieger" are two.
            let conjunction = cx.lower(j) == "en";
            if next_cap && after_given && !has_tv && !bare_preposition && !conjunction {
                has_tv = true;
                j = k;
                continue;
            }
        }
        break;
    }
    let mut last = last?;
    if words.is_empty() {
        return None;
    }
    // A trailing initial of the surname in report signatures: "Hamid B.", "Noor T.".
    if let (Some(t), Some(dot)) = (toks.get(last + 1), toks.get(last + 2)) {
        if t.kind == Kind::Word
            && t.text.chars().count() == 1
            && t.is_cap()
            && t.space_before
            && dot.is_punct(".")
            && !dot.space_before
            && initials == 0
        {
            last += 2;
        }
    }
    // Initials that spell a known abbreviation ("C.O.T.") are not a name.
    if initials >= 2 && words.is_empty() {
        return None;
    }
    Some(Chain {
        first: i,
        last,
        words,
        initials,
        has_tv,
    })
}

/// A hyphenated given name whose first part is also a term, a month most often: "Mei-Ling",
/// "Juni-Anne". The part after the hyphen is a listed given name, written on without spaces.
fn hyphenated_given_name(cx: &Ctx, j: usize) -> bool {
    let toks = cx.toks;
    toks.get(j)
        .is_some_and(|t| t.kind == Kind::Word && t.is_cap() && !t.is_allcaps())
        && toks
            .get(j + 1)
            .is_some_and(|h| h.is_punct("-") && !h.space_before)
        && toks.get(j + 2).is_some_and(|n| {
            n.kind == Kind::Word && n.is_cap() && !n.is_allcaps() && !n.space_before
        })
        && cx.has(j + 2, f::FIRST)
        && !cx.has(j + 2, f::DOMAIN | f::TITLE | f::ROLE)
        && !cx.has(j, f::TITLE | f::ROLE)
}

fn span_of(cx: &Ctx, c: &Chain) -> (usize, usize) {
    let s = cx.toks.get(c.first).map_or(0, |t| t.start);
    let e = cx.toks.get(c.last).map_or(s, |t| t.end);
    (s, e)
}

/// What the words before token `i` say about a name at `i`.
fn context_before(cx: &Ctx, i: usize) -> (Option<TitleKind>, Option<Role>, Option<LabelKind>) {
    let toks = cx.toks;
    let mut title = None;
    let mut label = None;
    // Titles directly before: "mevrouw", "mevr.", "de heer", "dr.", also several ("mr. drs.",
    // "mevrouw dr."); a title that says the gender outranks one that does not.
    let mut k = i;
    for _ in 0..3 {
        let Some((tk, from)) = title_ending_at(cx, k) else {
            break;
        };
        if title.is_none_or(|t| t == TitleKind::Neutral) {
            title = Some(tk);
        }
        k = from;
    }
    // Role word right before (possibly with a possessive: "zijn moeder", "haar begeleider"),
    // or before a comma and the title ("zijn vader, de heer X": an apposition; without the
    // title a comma more often separates the items of a list).
    let mut role = role_ending_at(cx, k);
    if role.is_none()
        && title.is_some()
        && k >= 2
        && toks.get(k - 1).is_some_and(|t| t.is_punct(","))
    {
        role = role_ending_at(cx, k - 1);
    }
    // A role word before the name in brackets: "mijn man (Klaas)", "zijn pb (Ilse)".
    if role.is_none() && k >= 2 && toks.get(k - 1).is_some_and(|t| t.is_punct("(")) {
        role = role_ending_at(cx, k - 1);
    }
    // Label at line start: "Naam: ", "Cliënt: ", "Van: ", "Mentor: ". (The last colon on
    // the line before the name.)
    let j = cx.line_start(i);
    if let Some(colon) = cx.last_colon_in(j, i.min(toks.len())) {
        let label_toks = toks.get(j..colon).unwrap_or(&[]);
        // (Counted up to five: only a label of one to four words counts.)
        let n_words = label_toks
            .iter()
            .filter(|t| t.kind == Kind::Word)
            .take(5)
            .count();
        // Only titles may stand between the label and the name ("Naam: mevrouw X"), and the
        // name must not be a further column ("Cliënt: X   Cliëntnummer: ..."). A wide gap
        // right after the colon only aligns the values of a form ("Naam:       X").
        let between_is_short = toks
            .get(colon + 1..i.min(toks.len()))
            .unwrap_or(&[])
            .iter()
            .filter(|t| t.kind == Kind::Word)
            .all(|t| {
                let low: &str = &t.low;
                cx.lex.titles.contains_key(low) || cx.lex.title_abbrevs.contains_key(low)
            })
            && !(cx.toks.get(i).is_some_and(|t| t.gap_before) && i != colon + 1);
        if between_is_short && n_words > 0 && n_words <= 4 {
            let (l, r) = label_words(cx, label_toks);
            label = l;
            role = role.or(r);
        }
    } else if let Some(before) = toks.get(j..i) {
        // A label without a colon: the label's words at the line's start, then a wide gap
        // or a dot leader ("Cliënt\t\tX", "Achternaam ........ X").
        let n_label = before
            .iter()
            .take(4)
            .take_while(|t| t.kind == Kind::Word)
            .count();
        let rest = before.get(n_label..).unwrap_or_default();
        let leader = rest
            .iter()
            .all(|t| t.kind == Kind::Punct && t.text.chars().all(|c| c == '.' || c == '…'));
        let gap = toks.get(i).is_some_and(|t| t.gap_before)
            || rest.first().is_some_and(|t| t.space_before);
        // A table's header row is no label and value: "Naam      Rol      Aanwezig" (an
        // ordinary word, then another one-word column).
        let one_word_cell = |k: usize| {
            toks.get(k)
                .is_some_and(|t| t.kind == Kind::Word && t.is_cap() && t.gap_before)
                && toks
                    .get(k + 1)
                    .is_none_or(|n| n.kind == Kind::Newline || n.gap_before)
        };
        let header = cx.has(i, f::WORD)
            && toks
                .get(i + 1)
                .is_none_or(|n| n.kind == Kind::Newline || n.gap_before)
            && one_word_cell(i + 1);
        if (1..=3).contains(&n_label) && leader && (gap || rest.len() >= 2) && !header {
            let (l, r) = label_words(cx, before.get(..n_label).unwrap_or_default());
            label = l;
            role = role.or(r);
        }
    }
    (title, role, label)
}

/// What the words of a form label say: the kind of value after it, and a role ("Mentor").
fn label_words(cx: &Ctx, words: &[Tok]) -> (Option<LabelKind>, Option<Role>) {
    let (key, _) = words_key(words);
    (
        cx.lex.labels.get(&key).copied(),
        cx.lex.roles.get(&key).copied(),
    )
}

/// The title that ends right before token `k` ("mevrouw", "mevr.", "de heer", "dr.") and the
/// token it starts at.
fn title_ending_at(cx: &Ctx, k: usize) -> Option<(TitleKind, usize)> {
    let toks = cx.toks;
    let p = toks.get(k.checked_sub(1)?)?;
    if p.is_punct(".") {
        // the dot of an abbreviation
        let w = toks.get(k.checked_sub(2)?)?;
        return cx.lex.title_abbrevs.get(&*w.low).map(|tk| (*tk, k - 2));
    }
    if p.kind != Kind::Word {
        return None;
    }
    let low: &str = &p.low;
    let de_before = k >= 2
        && toks
            .get(k - 2)
            .is_some_and(|t| t.text.eq_ignore_ascii_case("de"));
    if let Some(tk) = cx.lex.titles.get(low) {
        // ("heer" takes the word before it along, as it always did.)
        let from = if low == "heer" {
            k.saturating_sub(2)
        } else {
            k - 1
        };
        Some((*tk, from))
    } else if low == "heer" && de_before {
        Some((TitleKind::Male, k - 2))
    } else {
        None
    }
}

/// The role phrase of one to three words that ends right before token `k` ("moeder", "zijn
/// moeder", "persoonlijk begeleider"), on one line.
fn role_ending_at(cx: &Ctx, k: usize) -> Option<Role> {
    let toks = cx.toks;
    let can_end_here = k > 0
        && toks
            .get(k - 1)
            .is_some_and(|t| cx.lex.role_ends.contains(&*t.low));
    if !can_end_here {
        return None;
    }
    let mut joined = String::new();
    for n in 1..=3usize {
        let phrase = toks.get(k.checked_sub(n)?..k)?;
        if phrase.iter().any(|t| t.kind == Kind::Newline) {
            return None;
        }
        joined.clear();
        for (x, t) in phrase.iter().enumerate() {
            if x > 0 {
                joined.push(' ');
            }
            joined.push_str(&t.low);
        }
        // Also the words as written, so "EVV'er" or "pb-er" match as one role word.
        let written = || {
            let (a, b) = (phrase.first()?, phrase.last()?);
            let w = cx.text.get(a.start..b.end)?.to_lowercase();
            cx.lex.roles.get(w.as_str())
        };
        if let Some(r) = cx.lex.roles.get(joined.as_str()).or_else(written) {
            // "Zuster X" as a title is a nurse; "zijn zuster X" is his sister.
            if n == 1
                && cx.lex.care_titles.contains(joined.as_str())
                && phrase.first().is_some_and(|t| t.is_cap())
            {
                let owner = k >= 2
                    && toks.get(k - 2).is_some_and(|p| {
                        matches!(
                            &*p.low,
                            "zijn"
                                | "haar"
                                | "mijn"
                                | "jouw"
                                | "uw"
                                | "hun"
                                | "onze"
                                | "de"
                                | "een"
                        )
                    });
                if !owner {
                    return Some(Role::Zorgverlener);
                }
            }
            return Some(*r);
        }
    }
    None
}

/// A role word in brackets, after a comma or after "als" right after the name: "Fatima
/// (moeder)", "Gerda van der Wal, mentor", "Jan als nieuwe bewoner" (after "als" one
/// adjective may come before the role word).
fn role_after(cx: &Ctx, c: &Chain) -> Option<Role> {
    let last = c.last;
    let toks = cx.toks;
    let next = toks.get(last + 1)?;
    let als = next.kind == Kind::Word && &*next.low == "als";
    // In a table the role is the next column: "Carlijn Mol-Wisse        mentor". (Of a
    // person's full name or initials: a single word there is as often a place, "Olthof
    // chauffeur Z." in a taxi schedule.)
    let column =
        next.kind == Kind::Word && next.gap_before && (c.words.len() >= 2 || c.initials > 0);
    if !(next.is_punct("(") || next.is_punct(",") || als || column) {
        return None;
    }
    // The words right after (a role phrase is one to three words), longest phrase first.
    let after = toks.get(last + if column { 1 } else { 2 }..).unwrap_or(&[]);
    let n_words = after
        .iter()
        .take(3)
        .enumerate()
        .take_while(|(x, t)| t.kind == Kind::Word && (*x == 0 || !t.gap_before))
        .count();
    let mut phrase = String::new();
    for n in (1..=n_words).rev() {
        for skip in 0..=usize::from(als).min(n - 1) {
            phrase.clear();
            for (x, t) in after.iter().take(n).skip(skip).enumerate() {
                if x > 0 {
                    phrase.push(' ');
                }
                phrase.push_str(&t.low);
            }
            if let Some(r) = cx.lex.roles.get(phrase.as_str()) {
                return Some(*r);
            }
        }
    }
    // A role word with a hyphen, as written: "(gz-psycholoog)", "(AVG-arts)", "(pb-er)".
    let glued = after
        .iter()
        .enumerate()
        .take(5)
        .take_while(|(x, t)| {
            (*x == 0 || !t.space_before) && (t.kind == Kind::Word || t.is_punct("-"))
        })
        .count();
    if glued >= 3 {
        let (a, b) = (after.first()?, after.get(glued - 1)?);
        let written = cx.text.get(a.start..b.end)?.to_lowercase();
        return cx.lex.roles.get(written.as_str()).copied();
    }
    None
}

/// The name-like words of a chain, lower-cased.
fn chain_words<'c>(cx: &'c Ctx, c: &Chain) -> Vec<&'c str> {
    c.words.iter().map(|&w| cx.lower(w)).collect()
}

/// All name, organisation, residence, place and address candidates of one document.
pub fn find(cx: &Ctx, out: &mut Vec<Cand>, mail_orgs: &mut Vec<String>) {
    let toks = cx.toks;
    let line_allcaps = allcaps_lines(cx);
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        // A lower-case particle starts a name only right after a title ("mevrouw van Dam").
        if t.kind != Kind::Word || !(t.is_cap() || (cx.is_tv(i) && cx.title_before(i))) {
            i += 1;
            continue;
        }
        // No name starts inside a run of initials: what "C.O.T. Friesland" is, is decided
        // from its first letter.
        if after_initial(cx, i) && t.text.chars().nth(1).is_none() {
            i += 1;
            continue;
        }
        // An ordinary word and "van" before a given name are a phrase, not a name's start:
        // "Bezoek van Stefan van Wijlen" is a visit by Stefan van Wijlen.
        if t.is_cap()
            && toks
                .get(i + 1)
                .is_some_and(|p| p.kind == Kind::Word && p.text == "van")
            && toks
                .get(i + 2)
                .is_some_and(|n| n.kind == Kind::Word && n.is_cap() && !n.is_allcaps())
            && cx.flags(i, f::SMALL | f::LISTS) & (f::WORD | f::FIRST | f::SUR | f::PLACE)
                == f::WORD
            && listed_given_name(cx, i + 2)
        {
            i += 2;
            continue;
        }
        let allcaps_ok = line_allcaps.get(i).copied().unwrap_or(false);
        let Some(mut chain) = parse_chain(cx, i, allcaps_ok) else {
            i += 1;
            continue;
        };
        surname_first(cx, &mut chain);
        let next = chain.last + 1;
        let initials = chain.initials > 0;
        // Where a word that is no name took the first of a run of initials as its surname's
        // initial ("Ondersteuningsplan J.B. Kraan"), the name starts at that initial.
        let initial_at_end = (chain.words.len() == 1 && !initials)
            .then(|| chain.last.checked_sub(1))
            .flatten()
            .filter(|&k| {
                k > i
                    && toks.get(k + 1).is_some_and(|d| d.is_punct("."))
                    && toks
                        .get(k)
                        .is_some_and(|t| t.is_cap() && t.text.chars().nth(1).is_none())
            });
        if let Some(c) = judge_chain(cx, chain, allcaps_ok) {
            // A nickname in quotes in brackets right after the name is the same person's,
            // with the same evidence: "Cliënt: Chidera Okoronkwo ("Chichi")".
            let nick: Vec<Cand> = nickname_after(cx, next, initials)
                .into_iter()
                .map(|(s, e)| {
                    // (Above the case's propagation, so that resolve sees the nickname
                    // beside its name.)
                    let mut n = Cand::new(s, e, Category::Naam, c.prio.max(52), NICKNAME_RULE);
                    n.info = c.info.clone();
                    n.anchor = true;
                    n
                })
                .collect();
            out.push(c);
            out.extend(nick);
        } else if let Some(k) = initial_at_end {
            i = k;
            continue;
        }
        i = next.max(i + 1);
    }
    // The values after form labels, read once for the rules that ask about them.
    let labelled = label_values(cx);
    organisations(cx, &labelled, out, mail_orgs);
    residences(cx, out);
    residence_of_provider(cx, out);
    residence_after_provider(cx, out);
    places(cx, out);
    addresses(cx, out);
    signatures(cx, out);
    initials_signatures(cx, out);
    initials_beside_names(cx, out);
    initials_of_names_in_document(cx, out);
    listed_initials(cx, out);
    initials_in_last_cell(cx, out);
    initials_with_date_or_role(cx, out);
    lower_case_mail_names(cx, out);
    lower_case_given_names(cx, out);
    message_names(cx, out);
    // (The lines that start with a date or a weekday, read once for both report rules.)
    let lines = report_lines(cx);
    report_heading_authors(cx, &lines, out);
    report_line_authors(cx, &lines, out);
    dotted_initials_alone(cx, out);
    names_across_line_ends(cx, out);
    residence_in_address(cx, &labelled, out);
}

/// A named house before the street in an address's value: "Woonadres: Het Wachthuis,
/// Eikenhorsterweg 4, 3831 RT Leusden". The house's name is an article and capitalised words,
/// and a street and number follow the comma; the house is where the client lives (found in
/// the whole case, also as "in het Wachthuis").
fn residence_in_address(cx: &Ctx, labelled: &[(usize, LabelKind, usize)], out: &mut Vec<Cand>) {
    let toks = cx.toks;
    for &(first, kind, last) in labelled {
        if kind != LabelKind::Address
            || !toks
                .get(first)
                .is_some_and(|t| matches!(t.text, "De" | "Het" | "'t" | "’t"))
        {
            continue;
        }
        let Some(end) = cap_run(cx, first, 3).filter(|&e| e <= last && e > first) else {
            continue;
        };
        let street_after = toks.get(end + 1).is_some_and(|c| c.is_punct(","))
            && toks
                .get(end + 2)
                .is_some_and(|w| w.kind == Kind::Word && w.is_cap())
            && (end + 3..end + 7)
                .take_while(|&k| toks.get(k).is_some_and(|t| t.kind != Kind::Newline))
                .any(|k| toks.get(k).is_some_and(|t| t.kind == Kind::Num));
        if !street_after {
            continue;
        }
        if let (Some(s), Some(e)) = (toks.get(first), toks.get(end)) {
            out.push(
                Cand::new(s.start, e.end, Category::Locatie, 56, "residence-address").anchored(),
            );
        }
    }
}

/// The rest of a name that a hyphen breaks across a line's end, as PDF text and scans keep it
/// ("Hidde Roer-" / "dink is zorgverantwoordelijke"): the lower-case word that starts the next
/// line is the name's, with the same evidence.
fn names_across_line_ends(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let mut found = Vec::new();
    for c in out.iter().filter(|c| c.cat == Category::Naam) {
        let Ok(k) = toks.binary_search_by_key(&c.end, |t| t.end) else {
            continue;
        };
        let hyphen = toks
            .get(k + 1)
            .is_some_and(|h| h.is_punct("-") && !h.space_before);
        let rest = toks.get(k + 3).filter(|w| {
            w.kind == Kind::Word
                && !w.is_cap()
                && w.text.chars().count() >= 2
                && w.text.chars().all(char::is_alphabetic)
        });
        let Some(rest) =
            rest.filter(|_| hyphen && toks.get(k + 2).is_some_and(|n| n.kind == Kind::Newline))
        else {
            continue;
        };
        let mut n = Cand::new(
            rest.start,
            rest.end,
            Category::Naam,
            c.prio,
            "name-line-break",
        );
        n.info = c.info.clone();
        found.push(n);
    }
    out.extend(found);
}

/// A care worker's name found by `rule` at bytes `s..e` (a signature, a report's author, signed
/// initials); `anchor`: looked for in the whole case.
fn staff_name(s: usize, e: usize, rule: &'static str, anchor: bool) -> Cand {
    let mut c = Cand::new(s, e, Category::Naam, 55, rule);
    c.info = Some(NameInfo {
        role: Some(Role::Zorgverlener),
        client_label: false,
        title: None,
    });
    c.anchor = anchor;
    c
}

/// A nickname in quotes in brackets at token `k`: `("Chichi")`, `(‘Meri’)`, or after the word
/// that names it: `(roepnaam Siem)`, `(roepnaam: Siem)`, `(genaamd Siem)`; its byte span.
/// A word in lower case that introduces the name a person goes by: "(roepnaam Niko)".
fn is_nickname_label(low: &str) -> bool {
    matches!(low, "roepnaam" | "genaamd" | "alias" | "bijnaam")
}

fn nickname_after(cx: &Ctx, k: usize, after_initials: bool) -> Vec<(usize, usize)> {
    nicknames_after(cx, k, after_initials).unwrap_or_default()
}

fn nicknames_after(cx: &Ctx, k: usize, after_initials: bool) -> Option<Vec<(usize, usize)>> {
    let toks = cx.toks;
    let quote =
        |t: &Tok| t.kind == Kind::Punct && matches!(t.text, "\"" | "“" | "”" | "'" | "‘" | "’");
    let nick_word = |w: usize| {
        toks.get(w).is_some_and(|word| {
            word.kind == Kind::Word
                && word.is_cap()
                && word.text.chars().nth(1).is_some()
                && !cx.has(w, f::DOMAIN | f::ROLE | f::TITLE)
        })
    };
    let nick_label = |t: &Tok| is_nickname_label(&t.low);
    // "(roepnaam Niko)", "(roepnaam Demi, soms "Dem")": the names after the label and the
    // quoted names up to the closing bracket, on the line.
    if toks.get(k).is_some_and(|t| t.is_punct("(")) && toks.get(k + 1).is_some_and(nick_label) {
        let close = (k + 2..k + 14)
            .take_while(|&c| toks.get(c).is_some_and(|t| t.kind != Kind::Newline))
            .find(|&c| toks.get(c).is_some_and(|t| t.is_punct(")")))?;
        let mut found = Vec::new();
        let mut w = k + 1;
        while w < close {
            let t = toks.get(w)?;
            if nick_label(t) {
                let n = w + 1 + usize::from(toks.get(w + 1).is_some_and(|t| t.is_punct(":")));
                let ends = toks
                    .get(n + 1)
                    .is_some_and(|e| e.is_punct(")") || e.is_punct(",") || e.is_punct(";"));
                if nick_word(n) && ends {
                    found.extend(toks.get(n).map(|t| (t.start, t.end)));
                }
                w = n;
            } else if quote(t)
                && nick_word(w + 1)
                && toks.get(w + 2).is_some_and(|q| quote(q) && !q.space_before)
            {
                found.extend(toks.get(w + 1).map(|t| (t.start, t.end)));
                w += 2;
            }
            w += 1;
        }
        return Some(found);
    }
    // A given name in brackets after initials is the name the person goes by: "Storm, T.H.
    // (Tjitske)", "Bou Hafsi, A. (Abdelkarim)" (listed, or at least no ordinary word).
    if after_initials
        && toks
            .get(k)
            .is_some_and(|t| t.is_punct("(") && t.space_before)
        && toks.get(k + 2).is_some_and(|t| t.is_punct(")"))
        && toks
            .get(k + 1)
            .is_some_and(|w| w.kind == Kind::Word && w.is_cap() && !w.is_allcaps())
        && (cx.has(k + 1, f::FIRST) || !cx.has(k + 1, f::WORD))
        && !cx.has(k + 1, f::DOMAIN | f::PLACE | f::ROLE | f::TITLE)
    {
        return toks.get(k + 1).map(|w| vec![(w.start, w.end)]);
    }
    let open = toks.get(k).filter(|t| t.is_punct("("))?;
    let (q1, word, q2, close) = (
        toks.get(k + 1)?,
        toks.get(k + 2)?,
        toks.get(k + 3)?,
        toks.get(k + 4)?,
    );
    let glued = [q1, word, q2, close].iter().all(|t| !t.space_before);
    (open.space_before
        && glued
        && quote(q1)
        && quote(q2)
        && close.is_punct(")")
        && word.kind == Kind::Word
        && word.is_cap()
        && word.text.chars().nth(1).is_some()
        && !cx.has(k + 2, f::DOMAIN))
    .then(|| vec![(word.start, word.end)])
}

/// Marks tokens on lines written entirely in capitals ("VERSLAG MDO PIET DE WIT").
fn allcaps_lines(cx: &Ctx) -> Vec<bool> {
    let toks = cx.toks;
    let mut flags = vec![false; toks.len()];
    let mut start = 0;
    for i in 0..=toks.len() {
        let end_of_line = i == toks.len() || toks[i].kind == Kind::Newline;
        if end_of_line {
            let line = toks.get(start..i).unwrap_or(&[]);
            // (Most lines fail on their first word: ask that before counting the words.)
            let mut words = line.iter().filter(|t| t.kind == Kind::Word);
            let caps = words
                .clone()
                .all(|t| t.text.chars().all(|c| !c.is_lowercase()))
                && words.nth(1).is_some();
            if caps {
                for f in flags.iter_mut().take(i).skip(start) {
                    *f = true;
                }
            }
            start = i + 1;
        }
    }
    flags
}

/// Decides whether a name-shaped chain is a person's name, and with what evidence.
fn judge_chain(cx: &Ctx, c: Chain, allcaps_line: bool) -> Option<Cand> {
    // Ordinary words at the edges of a chain are not part of the name ("Weekendverlof Anna",
    // "Anna Vandaag"): trim them while a word is left, unless the word is also a known name.
    // (A capitalised preposition right before a name is not a particle of it either: "Over
    // Anna", a heading; "In 't Veld" has its article.)
    let plain = |i: usize| {
        let fl = cx.flags(i, f::SMALL | f::LISTS);
        (fl & (f::WORD | f::DOMAIN) != 0 && fl & (f::FIRST | f::SUR | f::TV_LISTED) == 0)
            || (is_preposition(cx.lower(i)) && fl & (f::FIRST | f::SUR) == 0)
    };
    // A section letter before a heading at a line's start ("C. Registratie", "B. Wonen"): one
    // initial and one ordinary word that is no listed name.
    if c.initials == 1
        && c.words.len() == 1
        && c.first
            .checked_sub(1)
            .is_none_or(|p| cx.tok(p).is_some_and(|t| t.kind == Kind::Newline))
        && c.words.first().is_some_and(|&w| plain(w))
        && role_after(cx, &c).is_none()
    {
        return None;
    }
    // A heading word made of two ordinary words ("Zorgverloop", "Gedragsanalyse") before a
    // name of two words or more: unlisted compounds are no names, and the name follows.
    let heading_compound = |i: usize, n_words: usize| {
        n_words >= 3
            && cx.tok(i).is_some_and(|t| t.sent_start)
            && cx.flags(i, f::SMALL | f::LISTS) & (f::FIRST | f::SUR | f::PLACE) == 0
            && is_compound_of_words(cx.lex, cx.lower(i))
    };
    let mut c = c;
    while c.initials == 0
        && c.words.len() >= 2
        && !c.has_tv
        && c.words
            .first()
            .is_some_and(|&w| w == c.first && (plain(w) || heading_compound(w, c.words.len())))
    {
        c.words.remove(0);
        c.first = c.words.first().copied().unwrap_or(c.first);
    }
    // (Not a surname that is an ordinary word when a role follows the name: "Siebe Reiger
    // (externe deskundige)".)
    // (Nor a surname after a particle in lower case or after a title: "Sijmen Dirk de
    // Bruin", "meneer De Wit"; "teamleider De Vlasakker" is the name of a house.)
    let surname_after_particle = |c: &Chain| {
        c.last.checked_sub(1).is_some_and(|p| {
            cx.is_tv(p) && (cx.tok(p).is_some_and(|t| !t.is_cap()) || cx.title_before(c.first))
        })
    };
    // (Nor the surname after a listed given name where a title, a role or a person's label
    // goes before the name: "Werkbegeleider: Yvette Reiger (De Vlinderhof)".)
    // (What stands before the name, asked here of some chains and below of all that remain:
    // read once. The trims below leave the chain's first token as it is.)
    let first = c.first;
    let before = std::cell::OnceCell::new();
    let context = || *before.get_or_init(|| context_before(cx, first));
    let surname_in_context = |c: &Chain| {
        let given_before = c.words.len() == 2
            && c.words.first().is_some_and(|&g| {
                g + 1 == c.last && cx.flags(g, f::SMALL | f::LISTS) & f::FIRST != 0
            });
        given_before && {
            let (title, role, label) = context();
            title.is_some()
                || role.is_some()
                || matches!(label, Some(LabelKind::ClientName | LabelKind::Person))
        }
    };
    while c.words.len() >= 2
        && c.words.last().is_some_and(|&w| plain(w) && w == c.last)
        && !surname_after_particle(&c)
        && role_after(cx, &c).is_none()
        && !surname_in_context(&c)
    {
        c.words.pop();
        c.last = c.words.last().copied().unwrap_or(c.last);
    }
    // Mixed-case short tokens are abbreviations ("NmG"), not names; so is a word glued by a
    // dot to the next ("Geb.datum", "Tel.nr").
    if c.words.len() == 1 && c.initials == 0 {
        let t = cx.tok(c.first)?;
        let glued = |k: usize| cx.tok(k).is_some_and(|n| !n.space_before);
        // A word the tokenizer split at a capital ("WhatsApp", "PlayStation": it splits
        // glued PDF words) that is a known term as a whole.
        let word_at = |k: usize| cx.tok(k).filter(|w| w.kind == Kind::Word);
        let whole = if glued(c.first + 1) && word_at(c.first + 1).is_some() {
            cx.tok(c.first + 1).map(|n| (t.start, n.end))
        } else if glued(c.first) && c.first > 0 && word_at(c.first - 1).is_some() {
            cx.tok(c.first - 1).map(|p| (p.start, t.end))
        } else {
            None
        };
        if let Some(w) = whole.and_then(|(s, e)| cx.text.get(s..e)) {
            if cx.lex.is_domain(&w.to_lowercase()) {
                return None;
            }
        }
        if cx.tok(c.last + 1).is_some_and(|d| d.is_punct("."))
            && glued(c.last + 1)
            && glued(c.last + 2)
            && cx
                .tok(c.last + 2)
                .is_some_and(|w| w.kind == Kind::Word && !w.is_cap())
        {
            return None;
        }
        let inner_caps = t.text.chars().skip(1).any(char::is_uppercase);
        if inner_caps && !t.is_allcaps() && t.text.chars().count() <= 4 {
            return None;
        }
        // A form label before its colon ("Dossiernr:", "Kenmerk:"), also where a column gap
        // puts it in mid-line, right after a name.
        if cx.tok(c.last + 1).is_some_and(|d| d.is_punct(":"))
            && cx.lex.labels.contains_key(&*t.low)
        {
            return None;
        }
    }
    // Particles alone are no name: "teamleider De Vlasakker", where the word after the
    // article did not pass as a name, leaves "De".
    if c.initials == 0
        && !c.words.is_empty()
        && c.words
            .iter()
            .all(|&w| cx.flags(w, f::SMALL) & f::TV_LISTED != 0)
    {
        return None;
    }
    let c = &c;
    let n_words = c.words.len();
    // The whole phrase is a known term ("Triple-C", "C.O.T."), or it starts with one. (A
    // phrase of one token is a word, without dots: its flags say it.)
    if c.first == c.last {
        if cx.has(c.first, f::DOMAIN) {
            return None;
        }
    } else {
        let (s0, e0) = span_of(cx, c);
        let surface_low = cx.text[s0..e0].to_lowercase();
        if cx.lex.is_domain(&surface_low) || cx.lex.is_domain(surface_low.trim_end_matches('.')) {
            return None;
        }
    }
    if c.initials >= 2 {
        let letters: String = cx.toks[c.first..=c.last]
            .iter()
            .take_while(|t| t.kind != Kind::Word || t.text.chars().count() == 1)
            .map(|t| t.text)
            .collect();
        if cx.lex.is_domain(&letters.to_lowercase()) {
            return None;
        }
    }
    let (title, role_b, label) = context();
    let role_a = role_after(cx, c);
    let role = role_b.or(role_a);
    let first_tok = cx.tok(c.first)?;
    // (A table's cell starts like a sentence: its capital says nothing of a name, "Naam
    // Rol      Aanwezig".)
    let sent_start = first_tok.sent_start || first_tok.gap_before;

    // Lines that are organisations or places by label are handled elsewhere, but for a person
    // after a provider's label ("Verwijzer: J. Tolsma").
    let person_after_provider =
        label == Some(LabelKind::Provider) && (c.initials > 0 || title.is_some()) && n_words > 0;
    if matches!(
        label,
        Some(LabelKind::Provider | LabelKind::Location | LabelKind::Place | LabelKind::Address)
    ) && !person_after_provider
    {
        return None;
    }
    let fl = |w: &usize| cx.flags(*w, f::SMALL | f::LISTS);
    let in_list = |w: &usize| fl(w) & (f::FIRST | f::SUR) != 0;
    let unknown = |w: &usize| fl(w) & (f::WORD | f::DOMAIN | f::PLACE) == 0;
    // A listed name counts when it is not also an ordinary word or place, or when it is
    // capitalised in mid-sentence (where an ordinary noun would be written in lower case).
    let strong_list = c
        .words
        .iter()
        .any(|w| in_list(w) && fl(w) & (f::WORD | f::PLACE) == 0)
        || (!sent_start && c.words.iter().any(|w| in_list(w) && fl(w) & f::DOMAIN == 0));
    let any_list = c.words.iter().any(in_list);
    // (A capitalised particle is no evidence either way: "De Twine" mid-sentence is a name of
    // something, though "de" is an ordinary word.)
    let particle = |w: &usize| fl(w) & f::TV_LISTED != 0 && cx.tok(*w).is_some_and(|t| t.is_cap());
    let all_unknown =
        c.words.iter().any(|w| !particle(w)) && c.words.iter().all(|w| unknown(w) || particle(w));
    // A label alone does not make an ordinary word a name: "Aan: Crisisteam Noord",
    // "Van: Planning" (a team or a desk, not a person).
    let one_plain_word = n_words == 1
        && c.initials == 0
        && c.words
            .first()
            .is_some_and(|w| fl(w) & f::WORD != 0 && fl(w) & (f::FIRST | f::SUR) == 0);
    let context = title.is_some()
        || role.is_some()
        || (matches!(label, Some(LabelKind::ClientName | LabelKind::Person)) && !one_plain_word);
    let multi = n_words + c.initials >= 2 || c.has_tv;
    // One word, then a capital and a dot that parse_chain took as the surname's initial.
    let trailing_initial = c.initials == 0
        && n_words == 1
        && c.words.last().is_some_and(|&w| w < c.last)
        && cx.tok(c.last).is_some_and(|t| t.is_punct("."));
    // Organisation words inside the chain make it an organisation, not a person.
    if c.words
        .iter()
        .any(|&w| cx.has(w, f::ORG_PREFIX | f::ORG_SUFFIX))
        && title.is_none()
    {
        return None;
    }
    // So does one unlisted word glued to a kind of organisation: "tolk (Tolkcentrum)".
    if n_words == 1
        && c.initials == 0
        && title.is_none()
        && c.words.first().is_some_and(|&w| {
            // (Not "-huis": many surnames end so, "Dijkhuis", "Kamphuis".)
            let low = cx.lower(w);
            !cx.has(w, f::FIRST | f::SUR)
                && cx.lex.org_glued_suffix.ends(low, 3)
                && !low.ends_with("huis")
        })
    {
        return None;
    }
    if n_words == 1 && c.words.first().is_some_and(|&w| cx.has(w, f::ROLE)) && c.initials == 0 {
        return None;
    }
    let accept = if context {
        true
    } else if allcaps_line {
        c.words.iter().any(|w| in_list(w) && fl(w) & f::WORD == 0)
    } else if c.initials > 0 && n_words > 0 {
        true
    } else if strong_list {
        // A known first name or surname that is not an ordinary word; at a sentence start a
        // single word must not be a place.
        true
    } else if multi && (any_list || all_unknown) {
        true
    } else if trailing_initial && (any_list || all_unknown) {
        // A word with a surname initial after it is a person's name also where a sentence or
        // a value starts ("contactpersoon planning: Aga K."); an ordinary word with a letter
        // after it is not ("Bijlage B.", "Vitamine D.").
        true
    } else if !sent_start && all_unknown && n_words == 1 {
        // An unknown capitalised word in mid-sentence: most likely a name.
        c.words
            .first()
            .is_some_and(|&w| cx.lower(w).chars().count() >= 3)
    } else {
        false
    };
    if !accept {
        return None;
    }
    let (s, e) = span_of(cx, c);
    // A lone capitalised word that is a listed place as well as a name, without anything
    // around it that speaks for a person, is the place: "(Het Baken, Vught)", "Wlz Limburg".
    // (An initial after it, "Wessel O.", speaks for a person.)
    if !context
        && c.initials == 0
        && !c.has_tv
        && n_words == 1
        && c.words.last() == Some(&c.last)
        && c.words.first().is_some_and(|w| fl(w) & f::PLACE != 0)
    {
        return Some(Cand::new(
            s,
            e,
            Category::Woonplaats,
            43,
            "place-capitalised",
        ));
    }
    let mut cand = Cand::new(
        s,
        e,
        Category::Naam,
        if context {
            56
        } else if strong_list || multi {
            50
        } else {
            43
        },
        if context {
            "name-context"
        } else if strong_list {
            "name-list"
        } else {
            "name-shape"
        },
    );
    cand.info = Some(NameInfo {
        role,
        client_label: matches!(label, Some(LabelKind::ClientName)),
        title,
    });
    // "mevrouw De Vries" is a strong anchor; single unknown words are weak anchors.
    cand.anchor = context || strong_list || multi;
    Some(cand)
}

/// Whether token `i` comes right after an initial ("M.C. X": a single capital and a glued
/// dot).
fn after_initial(cx: &Ctx, i: usize) -> bool {
    let Some(p) = i.checked_sub(1) else {
        return false;
    };
    cx.tok(p)
        .is_some_and(|d| d.is_punct(".") && !d.space_before)
        && p.checked_sub(1)
            .and_then(|k| cx.tok(k))
            .is_some_and(|w| w.kind == Kind::Word && w.is_cap() && w.text.chars().nth(1).is_none())
}

/// Whether lower-case `low` is two ordinary words written as one ("zorgverloop": "zorg" and
/// "verloop"), each of three letters or more (four for the second). Compounds are how Dutch
/// makes new nouns, and the word list holds only the common ones.
fn is_compound_of_words(lex: &Lexicon, low: &str) -> bool {
    if !low.is_ascii() || low.len() < 7 {
        return false;
    }
    (3..=low.len() - 4).any(|k| {
        low.get(..k).is_some_and(|a| lex.is_word(a)) && low.get(k..).is_some_and(|b| lex.is_word(b))
    })
}

/// Care providers and other organisations: the provider list, "Stichting X", "X Zorg",
/// glued "Heuvelzorg", e-mail domains, "Zorgaanbieder: X".
fn organisations(
    cx: &Ctx,
    labelled: &[(usize, LabelKind, usize)],
    out: &mut Vec<Cand>,
    mail_orgs: &mut Vec<String>,
) {
    let toks = cx.toks;
    let text = cx.text;
    // Providers from the list, matched on word boundaries, case-insensitively when the text
    // capitalises the first letter.
    for (_, s, e) in super::provider_index(cx.lex).find(text, toks) {
        let ambiguous = cx
            .lex
            .ambiguous_providers
            .contains(&text[s..e].to_lowercase());
        let k = toks.binary_search_by_key(&s, |t| t.start).ok();
        let at_start = k.and_then(|k| toks.get(k)).is_some_and(|t| t.sent_start);
        if ambiguous && at_start {
            continue;
        }
        // After a title it is a person's given name: "de heer Laurens Nagel".
        if k.is_some_and(|k| title_ending_at(cx, k).is_some()) {
            continue;
        }
        if text[s..].starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '\'') {
            out.push(Cand::new(s, e, Category::Instelling, 58, "provider-list").anchored());
        }
    }
    for i in 0..toks.len() {
        let t = &toks[i];
        // Every rule below starts at a capitalised word, or at a lower-case part after a
        // hyphen ("NAH-centrum").
        if t.kind != Kind::Word || !(t.is_cap() || (i > 0 && toks[i - 1].is_punct("-"))) {
            continue;
        }
        let low: &str = &t.low;
        // "Stichting X Y", "Zorggroep X", "Praktijkschool Het X", "NAH-centrum De X"
        // (A listed surname, or a word right after initials or a title, is a person's name:
        // "S.E. Nijenhuis", see "org-glued" below.)
        let glued_prefix = cx.lex.org_glued_suffix.ends(low, 0)
            && !cx.has(i, f::SUR)
            && !after_initial(cx, i)
            && !cx.title_before(i);
        let hyph_start = (i >= 2
            && toks[i - 1].is_punct("-")
            && !toks[i - 1].space_before
            && !t.space_before
            && toks[i - 2].kind == Kind::Word
            && toks[i - 2].is_cap())
        .then(|| i - 2);
        if (cx.has(i, f::ORG_PREFIX) || glued_prefix) && (t.is_cap() || hyph_start.is_some()) {
            // A role word that heads organisations too, before a person ("Bewindvoerder Melvin
            // Ros krijgt ..."), is the person's role: the name rules take it.
            let role_of_person = |end: usize| {
                cx.has(i, f::ROLE)
                    && (listed_given_name(cx, i + 1) || person_shaped(cx, i + 1, end))
            };
            // (Across a wide gap stands another column: "Berkelzoom Zorg    Ondersteuningsplan".)
            let gap_after = toks.get(i + 1).is_some_and(|n| n.gap_before);
            // "Mentorschap & Curatele Noord": an "&" may join the kind and the name.
            let from = if toks.get(i + 1).is_some_and(|n| n.is_punct("&")) {
                i + 2
            } else {
                i + 1
            };
            // (After an "&" a capitalised word joins even when it is a term: "Mentorschap &
            // Curatele Noord".)
            let run = cap_run(cx, from, 4).or_else(|| {
                (from == i + 2
                    && toks
                        .get(from)
                        .is_some_and(|w| w.kind == Kind::Word && w.is_cap()))
                .then_some(from)
            });
            if let Some(end) = run.filter(|&e| !gap_after && !role_of_person(e)) {
                let st = hyph_start.map_or(t.start, |h| toks[h].start);
                let end = compass_after(cx, end);
                let (s, e) = (st, toks[end].end);
                out.push(Cand::new(s, e, Category::Instelling, 57, "org-prefix").anchored());
            }
        }
        // "Noorderhaven Zorg", "De Wending Groep"
        if cx.has(i, f::ORG_SUFFIX) && t.is_cap() && i > 0 {
            // In capitals, a heading of ordinary words ("REGISTRATIE ONVRIJWILLIGE ZORG") is
            // no organisation: in capitals the words' case says nothing.
            let heading = |st: usize| {
                t.is_allcaps() && (st..i).all(|k| cx.has(k, f::WORD | f::DOMAIN | f::TV_LISTED))
            };
            if let Some(st) = cap_run_back(cx, i - 1, 3).filter(|&st| !heading(st)) {
                let end = compass_after(cx, i);
                out.push(
                    Cand::new(
                        toks[st].start,
                        toks[end].end,
                        Category::Instelling,
                        57,
                        "org-suffix",
                    )
                    .anchored(),
                );
            }
        }
        // "Heuvelzorg": a capitalised word with a glued organisation suffix that is not an
        // ordinary word.
        // (A word with an ending and three bytes before it has the ending: ask only then.)
        // A listed surname is a person's ("J.W. Oude Luttikhuis", "dhr. Nijhuis"), and so is
        // any word right after initials or a title ("M.C. Vlieghuis"). (Not after a particle:
        // "van" is more often a preposition, "op Bergzicht van Kompaszorg".)
        if t.is_cap()
            && glued_prefix
            && cx.lex.org_glued_suffix.ends(low, 3)
            && !cx.has(i, f::WORD | f::DOMAIN | f::SUR)
            && !after_initial(cx, i)
            && !cx.title_before(i)
        {
            out.push(Cand::new(t.start, t.end, Category::Instelling, 54, "org-glued").anchored());
        }
    }
    // "Kunstwerk Friesland", "Zorgkracht Twente": a capitalised word before a province or a
    // region is an organisation's name, even an ordinary word. (Not a place, a compass word,
    // a preposition, a title, a role or a known term: "Noord Friesland", "In Twente".)
    for i in 0..toks.len().saturating_sub(1) {
        let t = &toks[i];
        if t.kind != Kind::Word || !t.is_cap() {
            continue;
        }
        let Some(next) = toks.get(i + 1) else {
            continue;
        };
        if next.kind != Kind::Word
            || !next.is_cap()
            || !next.space_before
            || next.gap_before
            || !cx.lex.org_region_after.contains(&*next.low)
        {
            continue;
        }
        let low: &str = &t.low;
        if cx.has(i, f::PLACE | f::DOMAIN | f::TITLE | f::ROLE | f::TV_LISTED)
            || is_preposition(low)
            || cx.lex.not_names.contains(low)
            || cx.lex.labels.contains_key(low)
        {
            continue;
        }
        // With the capitalised words before it on the line ("Veilig Thuis Twente").
        let first = cap_run_back(cx, i, 3)
            .filter(|&k| cx.line_start(k) == cx.line_start(i))
            .and_then(|k| toks.get(k))
            .unwrap_or(t);
        let end = compass_after(cx, i + 1);
        if let Some(last) = toks.get(end) {
            out.push(
                Cand::new(
                    first.start,
                    last.end,
                    Category::Instelling,
                    57,
                    "org-region",
                )
                .anchored(),
            );
        }
    }
    // "dagcentrum De Schakel", "op zorgboerderij 't Ganzenveld": a kind of organisation in
    // lower case (`kind_before` of the rules) before a capitalised name.
    // Capitalised, the kind must be followed by an article and a name ("Atelier De Verfpot",
    // "Kringloop 't Hoekje"): "Dagcentrum Noord" may be the whole name of a place.
    for i in 0..toks.len().saturating_sub(1) {
        let t = &toks[i];
        if t.kind != Kind::Word {
            continue;
        }
        let Some(next) = toks.get(i + 1) else {
            continue;
        };
        // (A compound kind says enough: "Fietsenwerkplaats Spaakwiel".)
        let compound =
            || cx.lex.org_kind_head.ends(&t.low, 3) && !cx.has(i + 1, f::PLACE | f::DOMAIN);
        let article = matches!(next.text, "De" | "Het" | "'t" | "’t")
            && toks
                .get(i + 2)
                .is_some_and(|n| n.is_cap() && n.kind == Kind::Word);
        if t.is_cap() && !article && !compound() {
            continue;
        }
        let named = |n: &Tok| n.kind == Kind::Word && n.is_cap() && n.text.chars().nth(1).is_some();
        if next.kind != Kind::Word
            || !next.space_before
            || !(named(next) || (next.text == "'t" && toks.get(i + 2).is_some_and(named)))
            || !cx.lex.is_org_kind(&t.low)
        {
            continue;
        }
        let Some(end) = cap_run(cx, i + 1, 4) else {
            continue;
        };
        // A place alone stays a place ("centrum Utrecht").
        if end == i + 1 && cx.has(end, f::PLACE) {
            continue;
        }
        let end = compass_after(cx, end);
        // A capitalised kind is part of the name ("Fietsenwerkplaats Spaakwiel", "Lyceum De
        // Wieken").
        let start = if t.is_cap() { t.start } else { next.start };
        if let Some(last) = toks.get(end) {
            out.push(Cand::new(start, last.end, Category::Instelling, 57, "org-kind").anchored());
        }
    }
    // Organisations named by their e-mail domain ("p.smit@heuvelzorg.nl"): remember the
    // domain label for the case; `mod.rs` matches it against the text.
    let at_signs = text.match_indices('@').map(|(i, _)| i + 1);
    let www = text.match_indices("www.").map(|(i, _)| i + 4);
    for start in at_signs.chain(www) {
        let rest = &text[start..];
        let domain: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '.' || *c == '-')
            .collect();
        let parts: Vec<&str> = domain.trim_end_matches('.').split('.').collect();
        if parts.len() >= 2 {
            if let Some(label) = parts.get(parts.len() - 2) {
                let l = label.to_lowercase();
                if l.len() >= 3 && !MAIL_PROVIDERS.contains(&l.as_str()) && !cx.lex.is_domain(&l) {
                    mail_orgs.push(l);
                }
            }
        }
    }
    // "(bewindvoerder, Beheer & Co)", "(mentor, Mentorschap Zeeland)": a capitalised run after
    // a role word and a comma inside brackets is the person's organisation.
    for i in 0..toks.len().saturating_sub(3) {
        if !toks[i].is_punct("(") {
            continue;
        }
        let Some(role) = toks.get(i + 1) else {
            continue;
        };
        if !cx.lex.roles.contains_key(&*role.low)
            || !toks.get(i + 2).is_some_and(|t| t.is_punct(","))
        {
            continue;
        }
        let Some(first) = toks.get(i + 3) else {
            continue;
        };
        if !first.is_cap() {
            continue;
        }
        // "(broer, Drachten)": a listed place alone is where the person lives.
        let place_alone = |end: usize| end == i + 3 && cx.has(i + 3, f::PLACE);
        if let Some(end) = cap_run(cx, i + 3, 5).filter(|&e| !place_alone(e)) {
            let end = compass_after(cx, end);
            out.push(
                Cand::new(
                    first.start,
                    toks[end].end,
                    Category::Instelling,
                    56,
                    "org-after-role",
                )
                .anchored(),
            );
        }
    }
    // Label lines: "Zorgaanbieder: X", "Werkgever: X".
    for &(i, kind, end) in labelled {
        // (A person after such a label is a name: "Verwijzer: J. Tolsma, huisarts".)
        if kind == LabelKind::Provider && !person_shaped(cx, i, end) {
            if let (Some(a), Some(b)) = (toks.get(i), toks.get(end)) {
                out.push(
                    Cand::new(a.start, b.end, Category::Instelling, 57, "org-label").anchored(),
                );
            }
        }
    }
    org_abbreviations(cx, out);
}

/// Whether tokens `first..=last` (a label's value) are a person's name by their shape: initials
/// or a title before a capitalised word, and no word of an organisation's name.
fn person_shaped(cx: &Ctx, first: usize, last: usize) -> bool {
    let toks = cx.toks;
    let initial = toks
        .get(first)
        .is_some_and(|t| t.kind == Kind::Word && t.is_cap() && t.text.chars().count() == 1)
        && toks
            .get(first + 1)
            .is_some_and(|d| d.is_punct(".") && !d.space_before);
    let title = cx.has(first, f::TITLE)
        || (toks.get(first + 1).is_some_and(|d| d.is_punct("."))
            && toks
                .get(first)
                .is_some_and(|t| cx.lex.title_abbrevs.contains_key(&*t.low)));
    (initial || title) && (first..=last).all(|k| !cx.has(k, f::ORG_PREFIX | f::ORG_SUFFIX))
}

/// The value after a form label on the same line, up to a comma or the line end:
/// (first token, label kind, last token).
fn label_values(cx: &Ctx) -> Vec<(usize, LabelKind, usize)> {
    let toks = cx.toks;
    let mut out = Vec::new();
    for &i in &cx.colons {
        let line = toks.get(cx.line_start(i)..i).unwrap_or(&[]);
        // One to four words and no number before the colon (read only as far as needed).
        let mut n_words = 0;
        let label_like = line.iter().all(|t| match t.kind {
            Kind::Word => {
                n_words += 1;
                n_words <= 4
            }
            Kind::Num => false,
            _ => true,
        });
        if !label_like || n_words == 0 {
            continue;
        }
        let (key, _) = words_key(line);
        let Some(kind) = cx.lex.labels.get(&key).copied() else {
            continue;
        };
        let first = i + 1;
        let mut last = None;
        let mut k = first;
        while let Some(t) = toks.get(k) {
            if t.kind == Kind::Newline
                || t.is_punct(",")
                || t.is_punct("(")
                || t.is_punct(";")
                || t.is_punct("|")
                || t.is_punct("–")
                // A column gap ends the field; "in"/"te" and a place end the name ("VSO De
                // Akkerwinde in Hengelo").
                || (t.gap_before && k > first)
                || (last.is_some()
                    && matches!(&*t.low, "in" | "te")
                    && toks.get(k + 1).is_some_and(|n| n.is_cap()))
            {
                break;
            }
            last = Some(k);
            k += 1;
        }
        if let Some(l) = last {
            out.push((first, kind, l));
        }
    }
    out
}

/// The end of a run of capitalised words (with tussenvoegsels between) starting at `i`.
fn cap_run(cx: &Ctx, i: usize, max: usize) -> Option<usize> {
    let toks = cx.toks;
    let mut k = i;
    // A leading article belongs to the name: "De Sprong", "Het Kompasveld", "'t Anker".
    if toks
        .get(k)
        .is_some_and(|t| matches!(t.text, "De" | "Het" | "Den" | "'t"))
        && toks.get(k + 1).is_some_and(|n| n.is_cap())
    {
        k += 1;
    }
    let mut last = None;
    let mut n = 0;
    while let Some(t) = toks.get(k) {
        // (A wide gap is a column boundary: what stands after it is another field.)
        if n >= max || (t.gap_before && k > i) {
            break;
        }
        // (A compass word joined by a hyphen is part of a name: "Midden-Maasland".)
        let joined = || {
            toks.get(k + 1)
                .is_some_and(|h| h.is_punct("-") && !h.space_before)
                && toks
                    .get(k + 2)
                    .is_some_and(|w| w.kind == Kind::Word && w.is_cap() && !w.space_before)
        };
        if t.kind == Kind::Word && t.is_cap() && (!cx.has(k, f::DOMAIN) || joined()) {
            last = Some(k);
            n += 1;
            k += 1;
        } else if (cx.is_tv(k) && !matches!(t.text, "van" | "bij" | "uit" | "in" | "te" | "op")
            || t.is_punct("&"))
            && toks.get(k + 1).is_some_and(|n| n.is_cap())
            && last.is_some()
        {
            // Particles inside a name ("Zorg de Zonnebloem") and "&" ("Bewind & Co").
            k += 1;
        } else if (t.is_punct("-") || t.is_punct("'"))
            && !t.space_before
            && last.is_some()
            && toks
                .get(k + 1)
                .is_some_and(|n| n.kind == Kind::Word && !n.space_before)
        {
            k += 1;
        } else {
            break;
        }
    }
    last
}

/// The start of a run of capitalised words ending at token `i` (an "&" may join them).
fn cap_run_back(cx: &Ctx, i: usize, max: usize) -> Option<usize> {
    let toks = cx.toks;
    let mut k = i;
    let mut first = None;
    let mut n = 0;
    while n < max {
        let Some(t) = toks.get(k) else { break };
        if t.kind == Kind::Word && t.is_cap() && !cx.has(k, f::DOMAIN | f::ROLE) {
            first = Some(k);
            n += 1;
        } else if !(t.is_punct("&") && k > 0 && toks.get(k - 1).is_some_and(|p| p.is_cap())) {
            break;
        }
        // (A wide gap is a column boundary: "Deventer<TAB>Oostpoort GGZ" is two fields.)
        if t.gap_before {
            break;
        }
        let Some(prev) = k.checked_sub(1) else { break };
        k = prev;
    }
    first
}

/// Named residences, groups and wards: "woning De Wilgen", "op de groep Het Vogelnest",
/// "Locatie: De Haven", "Huize Zonneveld".
fn residences(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    for i in 0..toks.len() {
        let t = &toks[i];
        if t.kind != Kind::Word {
            continue;
        }
        let low: &str = &t.low;
        if t.is_cap() && low == "huize" {
            if let Some(end) = cap_run(cx, i + 1, 3) {
                out.push(
                    Cand::new(
                        t.start,
                        toks[end].end,
                        Category::Locatie,
                        56,
                        "residence-huize",
                    )
                    .anchored(),
                );
            }
            continue;
        }
        // "woont op De Zeeleeuw", "verhuist naar Het Baken": a capitalised article in
        // mid-sentence after a preposition starts a proper name, and a named place to live
        // in is the likeliest (a town such as "De Bilt" is also found by the place list, and
        // a person's surname by the name rules, both with more priority).
        if matches!(low, "op" | "in" | "naar" | "bij" | "uit" | "via") {
            if let Some(a) = toks.get(i + 1) {
                let article = matches!(a.text, "De" | "Het" | "'t" | "’t") && !a.sent_start;
                if article && toks.get(i + 2).is_some_and(|n| n.is_cap()) {
                    if let Some(end) = cap_run(cx, i + 2, 3) {
                        out.push(
                            Cand::new(
                                a.start,
                                toks[end].end,
                                Category::Locatie,
                                45,
                                "residence-article",
                            )
                            .anchored(),
                        );
                    }
                }
            }
        }
        let mut k = i + 1;
        if toks.get(k).is_some_and(|t| t.is_punct(":")) {
            k += 1;
        }
        // "De X", "Het X", "'t X" or a capitalised name.
        let Some(n) = toks.get(k) else { continue };
        // (Most words have no capital after them: only an article can stand before it.)
        if !n.is_cap() && !matches!(n.text, "'t" | "’t") {
            continue;
        }
        let art = (matches!(n.text, "De" | "Het" | "Den" | "Huize") && n.is_cap())
            || matches!(n.text, "'t" | "’t");
        let start_tok = k;
        let from = if art { k + 1 } else { k };
        // (The word itself is asked about last: most words have no capital after them.)
        if !toks.get(from).is_some_and(|t| t.is_cap()) {
            continue;
        }
        let compound_loc = [
            "afdeling",
            "groep",
            "woning",
            "paviljoen",
            "unit",
            "locatie",
        ]
        .iter()
        .any(|suf| low.len() > suf.len() + 3 && low.ends_with(suf));
        // The words of a place to live or a part of it: the location labels of the rules
        // ("woongroep", "maatwerkplek"), also as the end of a compound ("leefgroep").
        let is_loc_word = compound_loc
            || low == "villa"
            || matches!(cx.lex.labels.get(low), Some(LabelKind::Location));
        if !is_loc_word {
            continue;
        }
        let Some(end) = cap_run(cx, from, 3) else {
            continue;
        };
        // The value must not be a known provider or a person's title.
        let first_low: &str = &toks[from].low;
        if cx.lex.titles.contains_key(first_low) || cx.lex.title_abbrevs.contains_key(first_low) {
            continue;
        }
        out.push(
            Cand::new(
                toks[start_tok].start,
                toks[end].end,
                Category::Locatie,
                55,
                "residence-context",
            )
            .anchored(),
        );
    }
}

/// Places: the place list (words that are also ordinary words, names or common nouns need a
/// preposition or label before them), "te X", the town after a postcode.
fn places(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let mut phrase = String::new();
    for i in 0..toks.len() {
        let t = &toks[i];
        if !t.is_cap() {
            lower_case_place(cx, i, out);
            continue;
        }
        // Multi-word and hyphenated places: try the longest run first. The first word alone
        // is the token (a capitalised word), whose flags say whether it is a place and
        // whether a longer place may begin with it: for most words, all there is to ask.
        let first = cx.flags(i, f::PLACE | f::PLACE_LONGER);
        let mut best: Option<usize> = (first & f::PLACE != 0).then_some(i);
        if first & f::PLACE_LONGER != 0 {
            phrase.clear();
            phrase.push_str(&t.low);
            let mut k = i + 1;
            let mut words = 1;
            while let Some(tk) = toks.get(k) {
                if tk.kind == Kind::Newline || words >= 5 {
                    break;
                }
                if tk.space_before {
                    phrase.push(' ');
                }
                phrase.push_str(&tk.low);
                if tk.kind == Kind::Word {
                    // Past the first word a place's words are capitalised, or short
                    // particles ("Bergen op Zoom", "Alphen aan den Rijn"): "De kraan" is no
                    // place "De Kraan".
                    if !tk.is_cap() && tk.text.len() > 3 {
                        break;
                    }
                    words += 1;
                    if cx.lex.places.contains(&phrase) {
                        best = Some(k);
                    }
                    // Stop as soon as no place name goes on from here. (The filter may say
                    // yes for a phrase no place begins with; then the next words are read,
                    // and found in no place, for nothing: `best` only takes exact matches.)
                    if !cx.lex.place_prefixes.may_have_longer(&phrase) {
                        break;
                    }
                }
                if tk.kind == Kind::Punct && !matches!(tk.text, "-" | "'") {
                    break;
                }
                k += 1;
            }
        }
        let Some(end) = best else { continue };
        // A place that goes on with a hyphen and a capitalised word is part of something
        // longer: "De Boer-Lammers" is a double surname, not the place "De Boer".
        if toks
            .get(end + 1)
            .is_some_and(|h| h.is_punct("-") && !h.space_before)
            && toks
                .get(end + 2)
                .is_some_and(|n| n.kind == Kind::Word && n.is_cap() && !n.space_before)
        {
            continue;
        }
        let single = end == i;
        // A never-redact term alone is never a place ("geboren in Marokko": a country of
        // origin, no place of residence).
        if single && cx.has(i, f::DOMAIN) {
            continue;
        }
        let ambiguous = single && cx.has(i, f::WORD | f::FIRST | f::SUR | f::DOMAIN);
        let prev_word = prev_word_lower(cx, i);
        let after_postcode = i >= 1
            && toks
                .get(i - 1)
                .is_some_and(|p| p.kind == Kind::Word && p.is_allcaps() && p.text.len() == 2)
            && i >= 2
            && toks
                .get(i - 2)
                .is_some_and(|p| p.kind == Kind::Num && p.text.len() == 4);
        // "(broer, Drachten)": a relative's or worker's place after the role in brackets.
        let after_role = i >= 3
            && toks.get(i - 1).is_some_and(|p| p.is_punct(","))
            && cx.has(i - 2, f::ROLE)
            && toks.get(i - 3).is_some_and(|p| p.is_punct("("))
            && toks.get(end + 1).is_some_and(|p| p.is_punct(")"));
        // "Zeist, 18 maart 2024": the place and date line of a letter.
        let date_line = i
            .checked_sub(1)
            .is_none_or(|p| toks[p].kind == Kind::Newline)
            && toks.get(end + 1).is_some_and(|p| p.is_punct(","))
            && toks.get(end + 2).is_some_and(|d| {
                (d.kind == Kind::Num
                    && d.text.len() <= 2
                    && toks.get(end + 3).is_some_and(|m| {
                        cx.has(end + 3, f::CALENDAR) || m.is_punct("-") || m.is_punct("/")
                    }))
                    || cx.has(end + 2, f::CALENDAR)
            });
        let ctx = prev_word.is_some_and(|w| cx.lex.place_before.contains(w))
            || after_postcode
            || after_role
            || date_line;
        if ambiguous && !ctx {
            continue;
        }
        // A listed place of several words, or after "in"/"te"/"uit", outranks a name reading of
        // its first word ("in Bergen op Zoom").
        let prio = if ctx || end > i { 52 } else { 48 };
        let mut c = Cand::new(
            t.start,
            toks[end].end,
            Category::Woonplaats,
            prio,
            "place-list",
        );
        c.anchor = !ambiguous || ctx;
        out.push(c);
    }
    // The town after a postcode even when it is not in the list: "1234 AB  Utrecht".
    for i in 2..toks.len() {
        let t = &toks[i];
        if t.is_cap()
            && toks[i - 1].kind == Kind::Word
            && toks[i - 1].is_allcaps()
            && toks[i - 1].text.len() == 2
            && toks[i - 2].kind == Kind::Num
            && toks[i - 2].text.len() == 4
        {
            if let Some(end) = cap_run(cx, i, 4) {
                out.push(
                    Cand::new(
                        t.start,
                        toks[end].end,
                        Category::Woonplaats,
                        57,
                        "place-postcode",
                    )
                    .anchored(),
                );
            }
        }
    }
    // "woont in X", "te X": an unknown capitalised word after a place preposition.
    for i in 1..toks.len() {
        let t = &toks[i];
        if !t.is_cap() || t.sent_start {
            continue;
        }
        let prev: &str = &toks[i - 1].low;
        if (prev == "te" || prev == "in" || prev == "uit")
            && !cx.has(i, f::WORD | f::DOMAIN | f::FIRST | f::SUR)
            && !t.is_allcaps()
        {
            if let Some(end) = cap_run(cx, i, 3) {
                out.push(Cand::new(
                    t.start,
                    toks[end].end,
                    Category::Woonplaats,
                    44,
                    "place-context",
                ));
            }
        }
    }
}

/// The word right before token `i` on the same line (skipping a label colon), lower case.
/// A place written in lower case after a preposition of place, as chats and quick notes do
/// ("naar dokkum", "oom in utrecht"): a listed place of one word that is no ordinary word, no
/// name and no known term in lower case.
fn lower_case_place(cx: &Ctx, i: usize, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let Some(t) = toks.get(i) else { return };
    if t.kind != Kind::Word || !t.space_before || t.text.len() < 3 || i == 0 {
        return;
    }
    let after_preposition = toks.get(i - 1).is_some_and(|p| {
        p.kind == Kind::Word
            && matches!(
                &*p.low,
                "in" | "naar" | "uit" | "te" | "richting" | "vanuit" | "vanaf"
            )
    });
    if !after_preposition {
        return;
    }
    let fl = cx.flags(i, f::SMALL | f::LISTS);
    if fl & f::PLACE == 0 || fl & (f::WORD | f::DOMAIN | f::FIRST | f::ROLE | f::TITLE) != 0 {
        return;
    }
    // Not the first word of a longer name written in lower case ("bergen op zoom", "den
    // haag"): those are left, as only whole names are listed.
    if fl & f::PLACE_LONGER != 0
        && toks.get(i + 1).is_some_and(|n| {
            n.kind == Kind::Word
                && n.space_before
                && cx
                    .lex
                    .place_prefixes
                    .may_have_longer(&format!("{} {}", t.low, n.low))
        })
    {
        return;
    }
    out.push(Cand::new(
        t.start,
        t.end,
        Category::Woonplaats,
        43,
        "place-lower-case",
    ));
}

fn prev_word_lower<'c>(cx: &'c Ctx, i: usize) -> Option<&'c str> {
    let k = i.checked_sub(1)?;
    let t = cx.toks.get(k)?;
    match t.kind {
        Kind::Word => Some(&t.low),
        Kind::Punct if t.text == ":" => cx.toks.get(k.checked_sub(1)?).map(|w| &*w.low),
        _ => None,
    }
}

/// Street addresses: a street-like word (or "Adres:" label) followed by a house number.
fn addresses(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    for i in 0..toks.len() {
        let t = &toks[i];
        if t.kind != Kind::Num || t.text.len() > 5 {
            continue;
        }
        if i == 0 {
            continue;
        }
        // A word for the house number between street and number: "Lindelaan nr. 12", "no 4",
        // "huisnummer 22", "(nr. 9)".
        let mut k = i;
        let number_word = |w: &Tok| {
            w.kind == Kind::Word && matches!(&*w.low, "nr" | "no" | "nummer" | "huisnummer")
        };
        if toks[k - 1].is_punct(".") && k >= 2 && number_word(&toks[k - 2]) {
            k -= 2;
        } else if number_word(&toks[k - 1]) {
            k -= 1;
        }
        if k < i && k >= 2 && toks[k - 1].is_punct("(") {
            k -= 1;
        }
        // Walk back over the street name: words (capitalised or tussenvoegsels), hyphens, dots.
        let mut street_word = false;
        let mut first = None;
        let mut n = 0;
        while k > 0 && n < 5 {
            let p = &toks[k - 1];
            if p.kind == Kind::Word {
                let low: &str = &p.low;
                if (cx.lex.is_street_word(low) && !cx.lex.is_domain(low)) || low == "postbus" {
                    street_word = true;
                }
                if p.is_cap() || cx.is_tv(k - 1) || (street_word && n == 0) {
                    first = Some(k - 1);
                    n += 1;
                    k -= 1;
                    continue;
                }
                break;
            } else if (p.is_punct("-") || p.is_punct(".") || p.is_punct("'")) && !p.space_before {
                // A dot with a space after it ends a sentence: "Kethelweg. Van 2015" is no
                // street of two words.
                if p.is_punct(".") && toks.get(k).is_some_and(|n| n.space_before) {
                    break;
                }
                k -= 1;
                continue;
            }
            break;
        }
        let Some(mut first) = first else { continue };
        // Drop leading tussenvoegsels/lower words that belong to the sentence ("in de").
        while first < i && toks[first].kind == Kind::Word && !toks[first].is_cap() {
            first += 1;
        }
        if first >= i {
            continue;
        }
        let labelled = matches!(prev_label(cx, first), Some(LabelKind::Address));
        let after_pa =
            first >= 1 && toks[first - 1].text == "a" && first >= 3 && toks[first - 3].text == "p";
        // In an address block the line with a postcode comes right after the street's:
        // "Oude Doelen 14 / 9201 EK Drachten", also after a comma on the same line.
        let postcode_at = |k: usize| {
            toks.get(k)
                .is_some_and(|p| p.kind == Kind::Num && p.text.len() == 4)
                && toks
                    .get(k + 1)
                    .is_some_and(|l| l.kind == Kind::Word && l.is_allcaps() && l.text.len() == 2)
        };
        let mut nx = i + 1;
        if toks
            .get(nx)
            .is_some_and(|t| t.kind == Kind::Word && !t.space_before && t.text.len() <= 2)
        {
            nx += 1;
        }
        // (A dash or a bar between the fields of a letterhead: "Postbus 1024 - 3360 BA".)
        let before_postcode = match toks.get(nx) {
            Some(t)
                if t.kind == Kind::Newline
                    || t.is_punct(",")
                    || (t.space_before && ["-", "–", "|"].iter().any(|p| t.is_punct(p))) =>
            {
                postcode_at(nx + 1)
            }
            _ => false,
        };
        // "naar Heieind 40 in Bladel": a name and a number before "in" or "te" and a listed
        // place is a street and house number, also without a street's ending.
        let before_place = toks
            .get(nx)
            .is_some_and(|t| t.kind == Kind::Word && matches!(t.text, "in" | "te"))
            && toks
                .get(nx + 1)
                .is_some_and(|p| p.is_cap() && cx.has(nx + 1, f::PLACE))
            && t.text.len() <= 3
            && i >= 1
            && toks[i - 1].kind == Kind::Word
            && toks[i - 1].is_cap()
            && !cx.has(i - 1, f::DOMAIN | f::CALENDAR | f::WORD);
        if !(street_word || labelled || after_pa || before_postcode || before_place) {
            continue;
        }
        // House number with letter or addition: "63a", "12-2", "12 bis", "4 hs".
        let mut end = i;
        if let Some(nx) = toks.get(i + 1) {
            if nx.kind == Kind::Word && !nx.space_before && nx.text.chars().count() <= 2 {
                end = i + 1;
            } else if (nx.is_punct("-") || nx.is_punct("/"))
                && !nx.space_before
                && toks.get(i + 2).is_some_and(|x| {
                    x.kind == Kind::Num || (x.kind == Kind::Word && x.text.len() <= 3)
                })
            {
                end = i + 2;
            }
        }
        let mut c = Cand::new(
            toks[first].start,
            toks[end].end,
            Category::Adres,
            62,
            "address",
        );
        c.anchor = false;
        out.push(c);
    }
}

fn prev_label(cx: &Ctx, i: usize) -> Option<LabelKind> {
    let toks = cx.toks;
    if i == 0 || !toks.get(i - 1).is_some_and(|t| t.is_punct(":")) {
        return None;
    }
    let j = cx.line_start(i - 1);
    let (key, _) = words_key(toks.get(j..i - 1).unwrap_or(&[]));
    cx.lex.labels.get(&key).copied()
}

/// The closing greetings that start a signature block, matched ASCII-case-insensitively;
/// built once.
fn greetings() -> Option<&'static aho_corasick::AhoCorasick> {
    static GREETINGS: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    GREETINGS
        .get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build([
                    "met vriendelijke groet",
                    "vriendelijke groet",
                    "met hartelijke groet",
                    "hartelijke groet",
                    "groeten,",
                    "groet,",
                    "mvg",
                    "gr.,",
                    "namens",
                ])
                .ok()
        })
        .as_ref()
}

/// The lines (start, end byte) of `text` that may hold a closing greeting: every greeting
/// contains one of a few short words in any case, and a vectorised search for those in the
/// ASCII-lower-cased text skips almost every line, where the greeting automaton would walk
/// every byte. In text order, each line once. (No pattern holds a line break, so searching
/// line by line finds what a search of the whole text finds.)
fn greeting_lines(text: &str) -> Vec<(usize, usize)> {
    const NEEDLES: [&str; 4] = ["groet", "mvg", "gr.,", "namens"];
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut starts: Vec<usize> = NEEDLES
        .iter()
        .flat_map(|n| memchr::memmem::find_iter(bytes, n.as_bytes()))
        .map(|at| memchr::memrchr(b'\n', bytes.get(..at).unwrap_or(&[])).map_or(0, |nl| nl + 1))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
        .into_iter()
        .map(|s| {
            let rest = bytes.get(s..).unwrap_or(&[]);
            (s, s + memchr::memchr(b'\n', rest).unwrap_or(rest.len()))
        })
        .collect()
}

/// Signature blocks: the line(s) after a closing greeting, and report-author lines
/// ("donderdag 15-07-21 – Naam", "19-07-21 16.15 – Naam").
fn signatures(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let text = cx.text;
    // Closing greetings, found case-insensitively (byte positions are those of `text`
    // itself: lower-casing the whole text in Unicode could shift them).
    let greetings = greetings();
    let greeting_at: Vec<usize> = greetings.map_or(Vec::new(), |ac| {
        // Greetings never span a line break, so every line with a greeting has a leftmost
        // match, and the rule only looks at the lines after it: overlapping matches add nothing.
        greeting_lines(text)
            .into_iter()
            .flat_map(|(s, e)| {
                let line = text.get(s..e).unwrap_or("");
                ac.find_iter(line).map(move |m| s + m.start())
            })
            .collect()
    });
    {
        for pos in greeting_at {
            // next non-empty lines (up to 2) that look like a name
            let Some(nl) = text[pos..].find('\n') else {
                continue;
            };
            let mut line_start = pos + nl + 1;
            for _ in 0..3 {
                let rest = &text[line_start.min(text.len())..];
                let line_len = rest.find('\n').unwrap_or(rest.len());
                let line = &rest[..line_len];
                let lt = line.trim().to_lowercase();
                if lt.is_empty() || lt.starts_with("namens") || lt.starts_with("met vriendelijke") {
                    line_start += line_len + 1;
                    if line_start >= text.len() {
                        break;
                    }
                    continue;
                }
                let words: Vec<&str> = line.split_whitespace().collect();
                let looks_name = words.len() <= 5
                    && words.iter().all(|w| {
                        w.chars().next().is_some_and(|c| c.is_uppercase())
                            || cx.lex.tussenvoegsels.contains(&w.to_lowercase())
                            || w.len() <= 3
                    })
                    && !line.contains(':')
                    && !line.contains(',');
                if looks_name {
                    // The first token of the line.
                    let f = toks.partition_point(|t| t.start < line_start);
                    if toks.get(f).is_some_and(|t| t.end <= line_start + line_len) {
                        if let Some(chain) = parse_chain(cx, f, false) {
                            let words = chain_words(cx, &chain);
                            if !words.iter().any(|w| {
                                cx.lex.org_prefix.contains(*w)
                                    || cx.lex.org_suffix_word.contains(*w)
                                    || cx.lex.roles.contains_key(*w)
                            }) {
                                let (s, e) = span_of(cx, &chain);
                                out.push(staff_name(s, e, "signature", true));
                            }
                        }
                    }
                }
                break;
            }
        }
    }
    // Report-author lines: a dash after a date/time at the start of a line, then a name.
    for i in 0..toks.len() {
        let t = &toks[i];
        if !(t.is_punct("–") || t.is_punct("—") || t.is_punct("-")) || !t.space_before {
            continue;
        }
        // The line so far must start with a date or weekday.
        let j = cx.line_start(i);
        let line_start_ok = toks
            .get(j)
            .is_some_and(|f| f.kind == Kind::Num || super::lexicon::is_calendar_word(&f.low));
        if !line_start_ok || i - j > 12 {
            continue;
        }
        if let Some(chain) = parse_chain(cx, i + 1, false) {
            let (s, e) = span_of(cx, &chain);
            out.push(staff_name(s, e, "report-author", true));
        }
    }
}

/// Given names written in lower case in quick notes: "kippen gevoerd met huub", "nd: wietse",
/// "(yara / stagiaire fenne)". A word of four letters or more that the first-name list has and
/// that is no ordinary Dutch word, term, role or place ("roos", "lente" and "jasmijn" are
/// words, and stay unless a rule with more context takes them), not glued into an address or a
/// file name, and not in a text written in English (whose words the Dutch list lacks: "will",
/// "summer"). Anchored: the person is then found in the whole case, capitalised too.
#[inline(never)]
fn lower_case_given_names(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    if cx.english {
        return;
    }
    // Glued to the token on that side by one of these, without a space: part of an e-mail
    // address, a user name, a path or a web address ("huub.jansen@", "/sjoerd/").
    let glue = |t: &Tok| {
        t.kind == Kind::Punct
            && matches!(
                t.text,
                "." | "@" | "/" | "_" | "-" | "\\" | "'" | "’" | "&" | "="
            )
    };
    for (k, t) in toks.iter().enumerate() {
        if t.kind != Kind::Word || t.is_cap() || t.text.chars().count() < 4 {
            continue;
        }
        // (Most words are surely no first name: known from a bit, without a look-up.)
        if !crate::rules::maybe_first_name(t.hash) || !t.text.chars().all(char::is_lowercase) {
            continue;
        }
        let glued_before = !t.space_before
            && k.checked_sub(1)
                .and_then(|p| toks.get(p))
                .is_some_and(&glue);
        let glued_after = toks.get(k + 1).is_some_and(|n| {
            !n.space_before
                && glue(n)
                && toks
                    .get(k + 2)
                    .is_some_and(|w| !w.space_before && w.kind != Kind::Newline)
        });
        if glued_before || glued_after {
            continue;
        }
        // (The small sets asked last: only of the few first names that are no word.)
        if !cx.has(k, f::FIRST) || cx.has(k, f::WORD | f::PLACE) || cx.has(k, f::SMALL) {
            continue;
        }
        out.push(Cand::new(t.start, t.end, Category::Naam, 50, "lower-case-given-name").anchored());
    }
}

/// Whether a text is written in English: five or more of its words are English function words
/// that Dutch does not use ("the", "and", "you", ...).
fn written_in_english(toks: &[Tok]) -> bool {
    toks.iter()
        .filter(|t| {
            t.kind == Kind::Word
                && (3..=5).contains(&t.text.len())
                && matches!(
                    &*t.low,
                    "the" | "and" | "you" | "with" | "that" | "have" | "this" | "from" | "would"
                )
        })
        .nth(4)
        .is_some()
}

/// A sender or addressee written in lower case in an e-mail header, before the address:
/// "Van: semira tjoelker <s.t@voorbeeld.nl>". (A mail client shows the name as the sender
/// typed it; capitalised, the name rules find it.)
fn lower_case_mail_names(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    for &colon in &cx.colons {
        let j = cx.line_start(colon);
        let label_ok = colon == j + 1
            && toks
                .get(j)
                .is_some_and(|t| matches!(&*t.low, "van" | "aan" | "cc" | "bcc" | "from" | "to"));
        if !label_ok {
            continue;
        }
        let after = toks.get(colon + 1..).unwrap_or_default();
        let n = after
            .iter()
            .take(5)
            .take_while(|t| t.kind == Kind::Word && !t.is_cap())
            .count();
        let closes = after.get(n).is_some_and(|t| t.is_punct("<"));
        let named = after
            .get(..n)
            .unwrap_or_default()
            .iter()
            .any(|t| t.text.chars().count() >= 2 && !cx.lex.is_domain(&t.low));
        if (1..=4).contains(&n) && closes && named {
            if let (Some(first), Some(last)) = (after.first(), after.get(n - 1)) {
                out.push(
                    Cand::new(
                        first.start,
                        last.end,
                        Category::Naam,
                        55,
                        "mail-header-lower",
                    )
                    .anchored(),
                );
            }
        }
    }
}

/// Initials with dots standing alone in running text, where staff refer to a colleague:
/// "K.W. komt dit bekijken", "(i.o.m. L.B.)". Two or three capitals, each with its dot, no
/// name after them (then they are part of that name), no article or possessive before them
/// ("de P.B." is a role), and not a listed term or abbreviation ("C.O.T.", "N.B.").
#[inline(never)]
fn dotted_initials_alone(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let letter = |k: usize| {
        toks.get(k).is_some_and(|t| {
            t.kind == Kind::Word
                && t.text.len() == 1
                && t.text.bytes().all(|b| b.is_ascii_uppercase())
        }) && toks
            .get(k + 1)
            .is_some_and(|d| d.is_punct(".") && !d.space_before)
    };
    let mut i = 0;
    while i < toks.len() {
        if !letter(i) {
            i += 1;
            continue;
        }
        let mut k = i;
        while letter(k) && (k == i || toks.get(k).is_some_and(|t| !t.space_before)) {
            k += 2;
        }
        let n = (k - i) / 2;
        let start = i;
        i = k;
        // Glued to a word or a dot before ("i.o.m.L.B."), or a longer run: not alone.
        let before = start.checked_sub(1).and_then(|p| toks.get(p));
        if !(2..=3).contains(&n)
            || toks
                .get(start)
                .is_some_and(|t| !t.space_before && before.is_some_and(|b| b.kind == Kind::Word))
        {
            continue;
        }
        // A name after them, or more letters glued on ("P.B.'er"): part of something else.
        if toks.get(k).is_some_and(|t| {
            (t.kind == Kind::Word && (t.is_cap() || !t.space_before))
                || (t.kind == Kind::Punct && !t.space_before && matches!(t.text, "'" | "’" | "-"))
                || cx.is_tv(k)
        }) {
            continue;
        }
        // A name in daily use in brackets and a surname after them: the whole is one name,
        // which the chain takes ("J.P. (Jan) Hamstra", "E.M. (Els) de Kort").
        if toks.get(k).is_some_and(|t| t.is_punct("("))
            && toks
                .get(k + 1)
                .is_some_and(|t| t.kind == Kind::Word && t.is_cap() && !t.is_allcaps())
        {
            let close = (k + 2..k + 7).find(|&c| toks.get(c).is_some_and(|t| t.is_punct(")")));
            if close.is_some_and(|c| {
                toks.get(c + 1)
                    .is_some_and(|n| n.kind == Kind::Word && (n.is_cap() || cx.is_tv(c + 1)))
            }) {
                continue;
            }
        }
        // In brackets after a name they are that name's ("Rico (R.A.) Isenia").
        let before_bracket = start.checked_sub(2).and_then(|p| toks.get(p));
        if before.is_some_and(|b| b.is_punct("("))
            && before_bracket.is_some_and(|w| w.kind == Kind::Word && w.is_cap())
        {
            continue;
        }
        // After a capitalised word they end a name ("Jansen B.V.", "Tjitske H.").
        if before.is_some_and(|b| {
            (b.kind == Kind::Word && b.is_cap())
                || matches!(
                    &*b.low,
                    "de" | "het"
                        | "een"
                        | "onze"
                        | "jullie"
                        | "zijn"
                        | "haar"
                        | "hun"
                        | "uw"
                        | "mijn"
                )
                || cx.has(start - 1, f::TITLE)
        }) {
            continue;
        }
        let letters: String = (0..n)
            .filter_map(|m| toks.get(start + 2 * m))
            .map(|t| &*t.low)
            .collect();
        let dotted: String = letters.chars().flat_map(|c| [c, '.']).collect();
        if initials_are_listed(cx, &letters)
            || initials_are_listed(cx, &dotted)
            || cx.lex.org_suffix_word.contains(letters.as_str())
            || cx.lex.org_suffix_word.contains(dotted.as_str())
        {
            continue;
        }
        if let (Some(s), Some(e)) = (toks.get(start), toks.get(k - 1)) {
            out.push(staff_name(s.start, e.end, "initials-alone", true));
        }
    }
}

/// The lines of a report that start with a weekday, a number or a month ("ma 20-11 07.45",
/// "13/5 11.20", "maart ..."): (index of the first token, index of the newline or the end).
fn report_lines(cx: &Ctx) -> Vec<(usize, usize)> {
    let toks = cx.toks;
    std::iter::once(0)
        .chain(cx.newlines.iter().map(|&n| n + 1))
        .filter_map(|j| {
            let first = toks.get(j)?;
            let weekday = matches!(&*first.low, "ma" | "di" | "wo" | "do" | "vr" | "za" | "zo");
            if !(first.kind == Kind::Num || weekday || super::lexicon::is_calendar_word(&first.low))
            {
                return None;
            }
            let end = cx
                .newlines
                .get(cx.newlines.partition_point(|&n| n < j))
                .copied()
                .unwrap_or(toks.len());
            Some((j, end))
        })
        .collect()
}

/// The token after the clock time at `tm` and its "u", "uur" or "h" ("07.45u", "20:15 uur").
fn after_clock_time(toks: &[Tok], tm: usize) -> usize {
    let a = tm + 3;
    if toks
        .get(a)
        .is_some_and(|t| matches!(&*t.low, "u" | "uur" | "h" | "u."))
    {
        a + 1
    } else {
        a
    }
}

/// Whether the line ends at token `k`, after a full stop there or not.
fn ends_line(toks: &[Tok], k: usize) -> bool {
    let k = if toks.get(k).is_some_and(|t| t.is_punct(".")) {
        k + 1
    } else {
        k
    };
    toks.get(k).is_none_or(|t| t.kind == Kind::Newline)
}

/// Whether a clock time starts at token `k`: "07.45", "20:15".
fn clock_time_at(toks: &[Tok], k: usize) -> bool {
    let (a, p, b) = (toks.get(k), toks.get(k + 1), toks.get(k + 2));
    a.is_some_and(|a| a.kind == Kind::Num && a.text.len() <= 2)
        && p.is_some_and(|p| (p.is_punct(".") || p.is_punct(":")) && !p.space_before)
        && b.is_some_and(|b| b.kind == Kind::Num && b.text.len() == 2 && !b.space_before)
}

/// The author at the end of a report's heading line, after the date and the time, without a
/// dash: "ma 20-11  07.45u  AM", "di 21-11 08.05u R.W. (nacht)", "zo 10/9  20:15  Dion". A
/// name, dotted initials or initials in capitals that end the line (a bracket may follow: the
/// shift). Initials that are a listed term ("AVG", "PM") are none.
#[inline(never)]
fn report_heading_authors(cx: &Ctx, lines: &[(usize, usize)], out: &mut Vec<Cand>) {
    let toks = cx.toks;
    for &(j, end) in lines {
        if end - j > 16 {
            continue;
        }
        // The time: "07.45", "20:15", then "u"/"uur"/"h" glued or apart.
        let Some(tm) = (j..end.saturating_sub(2)).find(|&k| clock_time_at(toks, k)) else {
            continue;
        };
        let mut a = after_clock_time(toks, tm);
        // A table's column bar before the author: "ma 20-02 07:45 | DD".
        if toks
            .get(a)
            .is_some_and(|t| t.is_punct("|") || t.is_punct("│"))
        {
            a += 1;
        }
        // A dash before the author is the "report-author" rule's.
        let Some(t) = toks.get(a).filter(|t| t.kind == Kind::Word && a < end) else {
            continue;
        };
        // What follows the author: the line's end, or a bracket.
        let ends_at = |k: usize| k >= end || toks.get(k).is_some_and(|n| n.is_punct("("));
        // Dotted initials: "R.W.", "L.B."
        let k = initials_end(toks, a);
        if k >= a + 4 && ends_at(k) {
            if let Some(last) = toks.get(k - 1) {
                out.push(staff_name(t.start, last.end, "report-heading-author", true));
            }
            continue;
        }
        // Initials in capitals: "AM", "HvdB".
        if initials_shape(t.text, false)
            && t.text.chars().next().is_some_and(char::is_uppercase)
            && ends_at(a + 1)
            // (In this place a word is no veto: "AM" is no "am".)
            && !initials_are_listed(cx, &t.low)
            && !cx.has(a, f::DOMAIN | f::PLACE)
        {
            // Looked for in the whole case when no word ("TG", not "AM").
            let anchor = !cx.has(a, f::WORD);
            out.push(staff_name(t.start, t.end, "report-heading-author", anchor));
            continue;
        }
        // A name.
        if t.is_cap() && !t.is_allcaps() {
            if let Some(chain) = parse_chain(cx, a, false) {
                if ends_at(chain.last + 1) && chain.words.len() <= 3 {
                    let (s, e) = span_of(cx, &chain);
                    out.push(staff_name(s, e, "report-heading-author", true));
                }
            }
        }
    }
}

/// The author before the colon after the time of a report line, where a log starts every
/// entry with its writer: "ma 13/5 07.40 fv: ...", "di 14/5 13.30 lente: ...", "wo 15/5 10.00
/// TW (stagiaire): ...", "15.00-16.00 sevda: ...", "17.50 Rik O.: ...". The line starts with a
/// weekday, a number or a month; a time follows (also a time span) and then the author: a
/// name, dotted initials, initials (in lower case too when they are no word), or a given name
/// of the list written in lower case, possibly with a surname ("fenna valk"). A bracket with a
/// role or a shift may stand between the author and the colon. Words that name an activity
/// there ("12.00 lunch:") are neither on the list of given names nor initials. A given name
/// that is also an ordinary word ("lente") counts only where the document has at least two
/// such lines, and is not looked for elsewhere.
#[inline(never)]
fn report_line_authors(cx: &Ctx, lines: &[(usize, usize)], out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let plain = |k: usize| {
        toks.get(k).is_some_and(|t| {
            t.kind == Kind::Word
                && t.text.chars().all(char::is_alphabetic)
                && !cx.lex.labels.contains_key(&*t.low)
        }) && !cx.has(k, f::SMALL)
    };
    // (start, end, anchor, needs a second line)
    let mut found: Vec<(usize, usize, bool, bool)> = Vec::new();
    let mut log_lines = 0;
    for &(j, end) in lines {
        let Some(tm) = (j..(j + 8).min(end.saturating_sub(2))).find(|&k| clock_time_at(toks, k))
        else {
            continue;
        };
        let mut a = after_clock_time(toks, tm);
        // A time span: "15.00-16.00".
        if toks
            .get(a)
            .is_some_and(|t| t.is_punct("-") || t.is_punct("–"))
            && clock_time_at(toks, a + 1)
        {
            a += 4;
        }
        // The colon after the author (at most three tokens), or the bracket before it.
        let Some(stop) = (a + 1..(a + 5).min(end)).find(|&k| {
            toks.get(k)
                .is_some_and(|t| t.is_punct(":") || t.is_punct("("))
        }) else {
            continue;
        };
        if toks.get(stop).is_some_and(|t| t.is_punct("(")) {
            // "(stagiaire):", "(nacht):": a few words, then the colon.
            let close = (stop + 1..(stop + 5).min(end))
                .find(|&k| toks.get(k).is_some_and(|t| t.is_punct(")")));
            let colon = close.is_some_and(|c| toks.get(c + 1).is_some_and(|t| t.is_punct(":")));
            if !colon {
                continue;
            }
        }
        log_lines += 1;
        let Some(t) = toks.get(a).filter(|t| t.kind == Kind::Word) else {
            continue;
        };
        let last = stop - 1;
        let span = |l: usize| (t.start, toks.get(l).map_or(t.end, |x| x.end));
        // Dotted initials: "R.W.:"
        let k = initials_end(toks, a);
        if k >= a + 4 && k == stop {
            let (s, e) = span(last);
            found.push((s, e, true, false));
            continue;
        }
        if stop == a + 1 && initials_shape(t.text, true) {
            let lower = t.text.chars().all(char::is_lowercase);
            let term = initials_are_listed(cx, &t.low)
                || cx.has(a, f::DOMAIN | f::PLACE)
                || (lower && cx.has(a, f::WORD));
            if !term {
                found.push((t.start, t.end, true, false));
                continue;
            }
        }
        // A name with capitals: "Rik O.", "Tsjitske", "Fenna Valk".
        if t.is_cap() && !t.is_allcaps() {
            if let Some(chain) = parse_chain(cx, a, false) {
                if chain.last == last && chain.words.len() <= 3 {
                    let (s, e) = span_of(cx, &chain);
                    found.push((s, e, true, false));
                    continue;
                }
            }
        }
        // A given name of the list, in lower case or an ordinary word: "fenna", "lente",
        // "fenna valk".
        if (1..=2).contains(&(stop - a))
            && plain(a)
            && cx.has(a, f::FIRST)
            && (stop == a + 1
                || (plain(a + 1) && (cx.has(a + 1, f::SUR | f::FIRST) || !cx.has(a + 1, f::WORD))))
        {
            // Looked for elsewhere only when no part is an ordinary word ("een valk").
            let word = cx.has(a, f::WORD);
            let any_word = word || (stop == a + 2 && cx.has(a + 1, f::WORD));
            let (s, e) = span(last);
            found.push((s, e, !any_word, word));
        }
    }
    for (s, e, anchor, needs_two) in found {
        if !needs_two || log_lines >= 2 {
            out.push(staff_name(s, e, "report-line-author", anchor));
        }
    }
}

/// The sender or addressee of a text message in a log, written as it was typed, often in lower
/// case: "sms van joëlle: ...", "app aan klaas (broer): ...". The message word, "van"/"aan"/
/// "naar" and one word before the colon (or before a bracket that closes before it). A role
/// ("sms aan moeder"), a title or a term is no name; an ordinary word in lower case ("sms aan
/// team") only when it is a listed given name.
#[inline(never)]
fn message_names(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    for &colon in &cx.colons {
        // The word before the colon, or before a bracket of at most eight tokens before it.
        let mut end = colon;
        if toks
            .get(colon.wrapping_sub(1))
            .is_some_and(|t| t.is_punct(")"))
        {
            let from = colon.saturating_sub(10);
            match (from..colon.saturating_sub(1)).rev().find(|&k| {
                toks.get(k)
                    .is_some_and(|t| t.is_punct("(") || t.kind == Kind::Newline)
            }) {
                Some(k) if toks.get(k).is_some_and(|t| t.is_punct("(")) => end = k,
                _ => continue,
            }
        }
        let (Some(w), Some(prep), Some(msg)) =
            (end.checked_sub(1), end.checked_sub(2), end.checked_sub(3))
        else {
            continue;
        };
        let is_msg = matches!(
            cx.lower(msg),
            "sms"
                | "sms'je"
                | "smsje"
                | "app"
                | "appje"
                | "whatsapp"
                | "bericht"
                | "berichtje"
                | "voicemail"
                | "ingesproken"
        );
        if !is_msg || !matches!(cx.lower(prep), "van" | "aan" | "naar") {
            continue;
        }
        let Some(t) = toks.get(w).filter(|t| t.kind == Kind::Word) else {
            continue;
        };
        if t.text.chars().count() < 2 || !t.text.chars().all(char::is_alphabetic) {
            continue;
        }
        let fl = cx.flags(w, f::SMALL | f::LISTS);
        if fl & (f::DOMAIN | f::TITLE | f::ROLE | f::CALENDAR | f::TV_LISTED) != 0 {
            continue;
        }
        if fl & f::WORD != 0 && fl & f::FIRST == 0 {
            continue;
        }
        out.push(Cand::new(t.start, t.end, Category::Naam, 50, "message-name").anchored());
    }
}

/// Whether `w` has the shape of a care worker's initials as they sign a note: capitals with
/// at most one run of particle letters between them ("TS", "HBW", "MvR", "JvdB"), two to four
/// letters, ASCII; with `lower`, also two or three lower-case letters ("fb", "ekv").
fn initials_shape(w: &str, lower: bool) -> bool {
    let n = w.chars().count();
    if !(2..=4).contains(&n) || !w.chars().all(char::is_alphabetic) {
        return false;
    }
    if lower && n <= 3 && w.chars().all(char::is_lowercase) {
        return true;
    }
    // Capitals, then particle letters, then capitals ("MvR"), or capitals only ("TS", "GÖ").
    let first_caps = w.chars().take_while(|c| c.is_uppercase()).count();
    let mid = w
        .chars()
        .skip(first_caps)
        .take_while(|c| c.is_lowercase())
        .count();
    let mut tail = w.chars().skip(first_caps + mid).peekable();
    let tail_empty = tail.peek().is_none();
    first_caps >= 1
        && tail.all(char::is_uppercase)
        && (mid == 0 || (first_caps == 1 && (1..=3).contains(&mid) && !tail_empty))
        && w.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// Whether `initials` ("HZ", "GHP", "MvR") are the first letters of the parts of `name`
/// ("Hanneke Zwaan", "Gerrit-Hein Pluim", "Marit van Rijn"): every word in capitals gives its
/// letter, in order; a particle in lower case, and the part after a hyphen ("Bakker" of
/// "Smit-Bakker"), may give its letter or be left out.
fn initials_spell(initials: &str, name: &str) -> bool {
    let mut want = initials.chars().peekable();
    let mut capitals = 0;
    for word in name.split_whitespace() {
        for (n, part) in word.split('-').enumerate() {
            let part = part.trim_end_matches(['.', ',']);
            let Some(first) = part.chars().next().filter(|c| c.is_alphabetic()) else {
                continue;
            };
            let same = want
                .peek()
                .is_some_and(|c| c.to_lowercase().eq(first.to_lowercase()));
            if first.is_lowercase() {
                // A particle: its letter only when the initials have it in lower case ("MvR").
                if same && want.peek().is_some_and(|c| c.is_lowercase()) {
                    want.next();
                }
                continue;
            }
            if same {
                want.next();
                capitals += 1;
            } else if n == 0 {
                return false;
            }
        }
    }
    capitals >= 2 && want.next().is_none()
}

/// Initials that end with the first letters of the surname ("MKo" of "Marek Kowalski", "JBr"):
/// two or three capitals and one or two lower-case letters, ASCII; the capitals and the
/// lower-case tail.
fn surname_start_initials(w: &str) -> Option<(&str, &str)> {
    let caps = w.bytes().take_while(u8::is_ascii_uppercase).count();
    let (head, tail) = (w.get(..caps)?, w.get(caps..)?);
    ((2..=3).contains(&caps)
        && (1..=2).contains(&tail.len())
        && tail.bytes().all(|b| b.is_ascii_lowercase()))
    .then_some((head, tail))
}

/// The abbreviation in brackets right after an organisation's name, spelled by its capitals:
/// "Jeugdbescherming Waterland (JW)", "VluchtelingenWerk Oost Nederland (VWN)". The same
/// organisation, and looked for in the whole case ("VWN belt terug").
fn org_abbreviations(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let mut found = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        if t.kind != Kind::Word
            || !t.is_allcaps()
            || !(2..=5).contains(&t.text.len())
            || !t.text.is_ascii()
            || k < 2
            || !toks.get(k - 1).is_some_and(|b| b.is_punct("("))
            || !toks.get(k + 1).is_some_and(|c| c.is_punct(")"))
        {
            continue;
        }
        let Some(before) = toks.get(k - 2) else {
            continue;
        };
        let Some(org) = out
            .iter()
            .find(|c| c.cat == Category::Instelling && c.end == before.end)
        else {
            continue;
        };
        let caps: Vec<char> = cx
            .text
            .get(org.start..org.end)
            .unwrap_or("")
            .chars()
            .filter(|c| c.is_uppercase())
            .collect();
        // (A kind before the name may be left out: "Stichting Jeugdbescherming Waterland
        // (JW)".)
        let mut want = t.text.chars().peekable();
        for c in caps.iter().skip_while(|&&c| !t.text.starts_with(c)) {
            if want.peek() == Some(c) {
                want.next();
            }
        }
        if want.peek().is_none() && !cx.lex.is_domain(&t.low) {
            found.push(
                Cand::new(t.start, t.end, Category::Instelling, 57, "org-abbreviation").anchored(),
            );
        }
    }
    out.extend(found);
}

/// Whether initials `w` (of token `i`) are rather a term: a never-redact term, a role or title
/// word, an ordinary word in capitals ("OK"), or an abbreviation whose words stand right
/// before it ("licht verstandelijke beperking (LVB)").
fn initials_are_a_term(cx: &Ctx, i: usize, w: &str) -> bool {
    let low = w.to_lowercase();
    if initials_are_listed(cx, &low) || cx.has(i, f::WORD | f::DOMAIN | f::PLACE) {
        return true;
    }
    // The first letters of the words before the bracket.
    let n = w.chars().count();
    let mut letters: Vec<char> = cx
        .toks
        .get(..i.saturating_sub(1))
        .unwrap_or_default()
        .iter()
        .rev()
        .take_while(|t| t.kind != Kind::Newline)
        .filter(|t| t.kind == Kind::Word)
        .take(n)
        .filter_map(|t| t.low.chars().next())
        .collect();
    letters.reverse();
    letters.len() == n && letters.into_iter().eq(low.chars())
}

/// Whether initials in lower case `low` are a never-redact term, a role, a title or a title's
/// abbreviation.
fn initials_are_listed(cx: &Ctx, low: &str) -> bool {
    cx.lex.is_domain(low)
        || cx.lex.roles.contains_key(low)
        || cx.lex.titles.contains_key(low)
        || cx.lex.title_abbrevs.contains_key(low)
}

/// Staff initials that sign a report line or a document: "... geslapen. /MvR", "(TS)" at the
/// end of a line, and initials after a word that signs or checks ("Paraaf: J.K.", "Verslag:
/// N.S. / gecontroleerd J.M.", "Geautoriseerd: HBW"; `[signatures]` of the rules). Daily
/// reports sign every entry so; the initials identify the worker as well as the name does.
fn initials_signatures(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let push = |out: &mut Vec<Cand>, s: usize, e: usize, anchor: bool| {
        out.push(staff_name(s, e, "initials-signature", anchor));
    };
    for i in 1..toks.len() {
        let t = &toks[i];
        // Dotted initials after a spaced dash at the end of a line: "do 18-11 nacht — R.S.".
        if t.kind == Kind::Word
            && t.space_before
            && toks[i - 1].space_before
            && (toks[i - 1].is_punct("—") || toks[i - 1].is_punct("–") || toks[i - 1].is_punct("-"))
        {
            let mut j = i;
            while toks
                .get(j)
                .is_some_and(|l| l.kind == Kind::Word && l.text.len() == 1 && l.is_cap())
                && toks
                    .get(j + 1)
                    .is_some_and(|d| d.is_punct(".") && !d.space_before)
                && (j == i || !toks[j].space_before)
            {
                j += 2;
            }
            let letters = (j - i) / 2;
            if (2..=4).contains(&letters) && toks.get(j).is_none_or(|n| n.kind == Kind::Newline) {
                if let Some(last) = toks.get(j - 1) {
                    push(out, t.start, last.end, false);
                }
            }
            // And without dots: "di 3 juni nacht – JW".
            if (2..=3).contains(&t.text.len())
                && t.is_allcaps()
                && t.text.bytes().all(|b| b.is_ascii_uppercase())
                && toks.get(i + 1).is_none_or(|n| n.kind == Kind::Newline)
                && !initials_are_a_term(cx, i, t.text)
            {
                push(out, t.start, t.end, false);
            }
        }
        if t.kind != Kind::Word || t.space_before {
            continue;
        }
        let prev = &toks[i - 1];
        let slash = prev.is_punct("/")
            && (prev.space_before || i < 2 || toks[i - 2].kind == Kind::Newline)
            && ends_line(toks, i + 1);
        // (The abbreviation of a heading in capitals is none: "VERSLAG PROACTIEVE
        // ZORGPLANNING (ACP)".)
        let heading = || {
            let words = toks
                .get(cx.line_start(i)..i - 1)
                .unwrap_or_default()
                .iter()
                .filter(|w| w.kind == Kind::Word);
            let mut n = 0;
            let caps = words.inspect(|_| n += 1).all(|w| w.is_allcaps());
            caps && n >= 1
        };
        let bracket = prev.is_punct("(")
            && prev.space_before
            && toks.get(i + 1).is_some_and(|c| c.is_punct(")"))
            && ends_line(toks, i + 2)
            && !heading();
        if !(slash || bracket)
            || !initials_shape(t.text, slash)
            || initials_are_a_term(cx, i, t.text)
        {
            continue;
        }
        let lower = t.text.bytes().all(|c| c.is_ascii_lowercase());
        push(out, t.start, t.end, !lower);
    }
    // A legend of initials ("JW = J. Wijbenga", "bw = baukje wijnia") and the initials that
    // open a line of action points or a shift's note ("- JW: belt moeder", "ST: rustig").
    for i in 0..toks.len() {
        let t = &toks[i];
        if t.kind != Kind::Word || !t.space_before && i > 0 && toks[i - 1].kind == Kind::Word {
            continue;
        }
        let next = toks.get(i + 1);
        let legend = next.is_some_and(|n| n.is_punct("=") && n.space_before)
            && toks.get(i + 2).is_some_and(|n| n.kind == Kind::Word);
        let line_head = next.is_some_and(|n| n.is_punct(":") && !n.space_before) && {
            let j = cx.line_start(i);
            toks.get(j..i)
                .unwrap_or_default()
                .iter()
                .all(|b| b.is_punct("-") || b.is_punct("*") || b.is_punct("•"))
        };
        // The client's initials after the word "cliënt": "MDO — cliënt WJS (RS-0048213)".
        let client = i > 0
            && t.space_before
            && matches!(&*toks[i - 1].low, "cliënt" | "client" | "cliënte")
            && t.is_allcaps()
            && !next.is_some_and(|n| n.kind == Kind::Word && n.is_cap());
        if !(legend || line_head || client)
            || !initials_shape(t.text, legend)
            || initials_are_a_term(cx, i, t.text)
            || cx.lex.labels.contains_key(&*t.low)
        {
            continue;
        }
        if client {
            let mut c = Cand::new(t.start, t.end, Category::Naam, 55, "client-initials");
            c.info = Some(NameInfo {
                role: None,
                client_label: true,
                title: None,
            });
            out.push(c);
        } else {
            push(out, t.start, t.end, true);
        }
    }
    // After a signing word: dotted initials ("N.S.", "F.t.B.", "H.A.S.-v.d.M.") or a code ("HBW").
    for i in 0..toks.len() {
        let t = &toks[i];
        // (The list hash first: a probe into a short sorted list, not a string hash per word.)
        if t.kind != Kind::Word
            || cx.lex.sign_label_hashes.binary_search(&t.hash).is_err()
            || !cx.lex.sign_labels.contains(&*t.low)
        {
            continue;
        }
        let mut k = i + 1;
        if toks.get(k).is_some_and(|n| &*n.low == "door") {
            k += 1;
        }
        // One or two words may say whose: "Handtekening mentor: ...".
        for skip in [1, 2] {
            let words = toks.get(k..k + skip).unwrap_or_default();
            if words.len() == skip
                && words.iter().all(|w| w.kind == Kind::Word && !w.is_cap())
                && toks.get(k + skip).is_some_and(|n| n.is_punct(":"))
            {
                k += skip;
                break;
            }
        }
        if toks.get(k).is_some_and(|n| n.is_punct(":")) {
            k += 1;
        }
        let Some(first) = toks.get(k) else { continue };
        if first.kind != Kind::Word {
            continue;
        }
        // Dotted initials: letters each with a glued dot, particles in lower case between,
        // one hyphen at most (a married name's initials).
        let mut j = k;
        let mut capitals = 0;
        let mut hyphen = false;
        while let (Some(l), Some(dot)) = (toks.get(j), toks.get(j + 1)) {
            let letter = l.kind == Kind::Word
                && (l.text.chars().count() == 1
                    || (l.text.len() <= 3 && l.text.bytes().all(|c| c.is_ascii_lowercase())));
            if !letter
                || !dot.is_punct(".")
                || dot.space_before
                || (j > k && l.space_before && !hyphen)
            {
                break;
            }
            capitals += usize::from(l.is_cap());
            j += 2;
            hyphen = false;
            if !toks
                .get(j)
                .is_some_and(|h| h.is_punct("-") && !h.space_before)
                || capitals == 0
            {
                continue;
            }
            if toks
                .get(j + 1)
                .is_some_and(|n| n.kind == Kind::Word && !n.space_before)
            {
                hyphen = true;
                j += 1;
            }
        }
        if hyphen {
            j -= 1;
        }
        if capitals >= 2 && j > k {
            // The next word must not go on as a name ("J.K. Visser", "E.H. ten Voorde" are
            // found as names); a word in the next column does not ("Paraaf: R.V.     Paraaf
            // controller: ...").
            if !toks.get(j).is_some_and(|n| {
                n.kind == Kind::Word && (n.is_cap() || cx.is_tv(j)) && !n.gap_before
            }) {
                if let Some(last) = toks.get(j - 1) {
                    push(out, first.start, last.end, false);
                }
            }
            continue;
        }
        if initials_shape(first.text, false)
            && !initials_are_a_term(cx, k, first.text)
            && toks
                .get(k + 1)
                .is_none_or(|n| !(n.kind == Kind::Word && n.is_cap()) || n.gap_before)
        {
            push(out, first.start, first.end, true);
        }
    }
}

/// Initials written beside the name they stand for: a legend without "=" ("Legenda: HZ Hanneke
/// Zwaan | FB Fenna Beuk"), or the initials in brackets after the name ("Hanneke Zwaan (HZ)").
/// The letters must spell the name's parts, so an acronym next to a name is left alone. The
/// initials get the name's evidence and are looked for in the whole case, where minutes and
/// reports use them alone ("Aanw.: HZ (vz), FB").
fn initials_beside_names(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let text = cx.text;
    // The names found so far, by start and by end.
    let mut by_start: Vec<(usize, usize)> = Vec::new();
    let mut by_end: Vec<(usize, usize)> = Vec::new();
    for (n, c) in out.iter().enumerate() {
        if c.cat == Category::Naam {
            by_start.push((c.start, n));
            by_end.push((c.end, n));
        }
    }
    if by_start.is_empty() {
        return;
    }
    by_start.sort_unstable();
    by_end.sort_unstable();
    let at = |list: &[(usize, usize)], b: usize| {
        let p = list.partition_point(|&(x, _)| x < b);
        list.get(p).filter(|&&(x, _)| x == b).map(|&(_, n)| n)
    };
    let mut found = Vec::new();
    for i in 0..toks.len() {
        let t = &toks[i];
        if t.kind != Kind::Word
            || !t.is_cap()
            || !(initials_shape(t.text, false) || surname_start_initials(t.text).is_some())
        {
            continue;
        }
        // Before the name, with at most a "=", ":" or dash between, or the name in brackets
        // after them ("BD (Burak Demirtaş, voorzitter)").
        let mut j = i + 1;
        let mut bracket = false;
        if toks.get(j).is_some_and(|n| {
            n.space_before && (n.is_punct("=") || n.is_punct("-") || n.is_punct("–"))
        }) || toks
            .get(j)
            .is_some_and(|n| n.is_punct(":") && !n.space_before)
        {
            j += 1;
        } else if toks
            .get(j)
            .is_some_and(|n| n.is_punct("(") && n.space_before)
        {
            j += 1;
            bracket = true;
        }
        let before = toks
            .get(j)
            .filter(|n| (n.space_before || bracket) && n.kind == Kind::Word)
            .and_then(|n| at(&by_start, n.start));
        // In brackets right after the name.
        let after = (i >= 2
            && toks[i - 1].is_punct("(")
            && toks.get(i + 1).is_some_and(|c| c.is_punct(")")))
        .then(|| at(&by_end, toks[i - 2].end))
        .flatten();
        let Some(name) = before.or(after).and_then(|n| out.get(n)) else {
            continue;
        };
        let spelled = text.get(name.start..name.end).is_some_and(|s| {
            initials_spell(t.text, s)
                || surname_start_initials(t.text).is_some_and(|(caps, tail)| {
                    // "MKo" of "Marek Kowalski": the last capital and the letters after it
                    // start the surname.
                    initials_spell(caps, s)
                        && s.split_whitespace().last().is_some_and(|last| {
                            let last = last.to_lowercase();
                            let head = caps.chars().last().map(|c| c.to_lowercase().to_string());
                            head.is_some_and(|h| last.starts_with(&format!("{h}{tail}")))
                        })
                })
        });
        // (Spelling the name beside them outweighs being a word in capitals too: "OB", "EH",
        // and in brackets after them an abbreviation too: "MS (Mariam Sultani)". Never a role
        // or a title: "PB (Piet Bakker)" is the person's role.)
        // (Also in brackets right after the name they spell: "Thijs Engelen (TE)".)
        let listed = if bracket || before.is_none() {
            cx.lex.roles.contains_key(&*t.low)
                || cx.lex.titles.contains_key(&*t.low)
                || cx.lex.title_abbrevs.contains_key(&*t.low)
        } else {
            initials_are_listed(cx, &t.low)
        };
        if !spelled || listed || cx.lex.labels.contains_key(&*t.low) {
            continue;
        }
        found.push(initials_of_name(t, name));
    }
    out.extend(found);
}

/// Initials as an item of a list of persons after its label ("Aanwezig: BD (Burak
/// Demirtaş), LH, SAH, RK (gedragsdeskundige)", "Afwezig: HT", "cc: JvdB"): minutes name
/// those present by their initials, so initials alone as an item are a person's, unless they
/// are a known term. Care workers', as minutes are the team's. In a list of who was there or
/// not, a given name of the list alone as an item is a person's too, in lower case as well
/// ("Niet aanwezig: Wessel (ziek)", "Aanwezig: Kelvin (pb), mieke").
fn listed_initials(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let mut found = Vec::new();
    for &c in &cx.colons {
        let line = toks.get(cx.line_start(c)..c).unwrap_or(&[]);
        if line.is_empty() || line.len() > 6 || line.iter().any(|t| t.kind == Kind::Num) {
            continue;
        }
        let (key, _) = words_key(line);
        if !matches!(cx.lex.labels.get(&key), Some(LabelKind::Person)) {
            continue;
        }
        // Who was there or not: the items are the team's members.
        let attendance = matches!(
            key.as_str(),
            "aanwezig"
                | "aanwezigen"
                | "afwezig"
                | "niet aanwezig"
                | "afwezig met bericht"
                | "met kennisgeving afwezig"
                | "verhinderd"
                | "afgemeld"
                | "deelnemers"
                | "notulist"
                | "notulen"
                | "aanwezig namens team"
        );
        let separator = |t: &Tok| {
            [",", "+", ";", "/"].iter().any(|p| t.is_punct(p))
                || t.kind == Kind::Word && t.text == "en"
        };
        let mut depth = 0usize;
        let mut item_start = true;
        for k in c + 1..toks.len() {
            let Some(t) = toks.get(k) else { break };
            if t.kind == Kind::Newline {
                break;
            }
            if t.is_punct("(") {
                depth += 1;
                item_start = false;
                continue;
            }
            if t.is_punct(")") {
                depth = depth.saturating_sub(1);
                continue;
            }
            if depth > 0 {
                continue;
            }
            if separator(t) {
                item_start = true;
                continue;
            }
            let alone = toks
                .get(k + 1)
                .is_none_or(|n| n.kind == Kind::Newline || n.is_punct("(") || separator(n));
            if item_start
                && alone
                && t.kind == Kind::Word
                && t.is_cap()
                && initials_shape(t.text, false)
                && !initials_are_a_term(cx, k, t.text)
                && !cx.lex.labels.contains_key(&*t.low)
                && !out.iter().any(|o| o.start <= t.start && t.end <= o.end)
            {
                found.push(staff_name(t.start, t.end, "listed-initials", true));
            } else if attendance
                && item_start
                && alone
                && t.kind == Kind::Word
                && t.text.chars().all(char::is_alphabetic)
                && cx.has(k, f::FIRST)
                && !cx.has(k, f::SMALL)
                && (t.is_cap() || !cx.has(k, f::WORD))
                && !cx.lex.labels.contains_key(&*t.low)
                && !out.iter().any(|o| o.start <= t.start && t.end <= o.end)
            {
                // A given name alone as an item, also in lower case ("Afwezig: Wessel (ziek),
                // mieke"): looked for elsewhere when it is no ordinary word.
                let anchor = !cx.has(k, f::WORD | f::PLACE);
                found.push(staff_name(t.start, t.end, "listed-given-name", anchor));
            }
            item_start = false;
        }
    }
    out.extend(found);
}

/// The candidate for initials `t` that spell the name `name`: that person's, with the name's
/// evidence, looked for in the whole case.
fn initials_of_name(t: &Tok, name: &Cand) -> Cand {
    let mut c = Cand::new(t.start, t.end, Category::Naam, 55, "initials-of-name");
    c.info = name.info.clone();
    c.anchor = true;
    c
}

/// Initials alone in the last cell of a table row or a report's header line: "01.06.22 | late
/// dienst | J.C.", "Ma 3 november · ochtend · FB". A row's last cell so often names who wrote
/// or worked it that initials there are taken for a care worker's, unless they are a known
/// term (a never-redact word, a role, a label, an ordinary word in capitals).
/// Initials where minutes and action lists put a person's (at the start of a line or a cell,
/// before a colon, or joined by a slash: "EG: registratie is niet volledig", "RB sluit aan",
/// "| JD/TG |", "EG    scholing ...") that spell the name of exactly one person named in the
/// same document ("Ewa Grabowska", "R. Bissessar" in the list of those present): that person's.
fn initials_of_names_in_document(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let text = cx.text;
    let names: Vec<usize> = out
        .iter()
        .enumerate()
        .filter(|(_, c)| c.cat == Category::Naam && c.rule != "initials-of-name")
        .map(|(n, _)| n)
        .collect();
    if names.is_empty() {
        return;
    }
    let cell_edge = |t: &Tok| ["|", "│", "/"].iter().any(|p| t.is_punct(p));
    let mut found = Vec::new();
    for i in 0..toks.len() {
        let t = &toks[i];
        if t.kind != Kind::Word || !t.is_cap() || !initials_shape(t.text, false) {
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| toks.get(p));
        let next = toks.get(i + 1);
        let starts = prev.is_none_or(|p| p.kind == Kind::Newline || cell_edge(p)) || t.gap_before;
        let ends = next.is_none_or(|n| {
            n.kind == Kind::Newline
                || n.gap_before
                || cell_edge(n)
                || (n.is_punct(":") && !n.space_before)
                || n.is_punct("(")
        });
        // "RB sluit aan ...": at a line's start a word in lower case may follow.
        let line_start = prev.is_none_or(|p| p.kind == Kind::Newline)
            && next.is_some_and(|n| n.kind == Kind::Word && !n.is_cap());
        if !(starts && (ends || line_start))
            || initials_are_listed(cx, &t.low)
            || cx.lex.labels.contains_key(&*t.low)
            || out.iter().any(|c| c.start <= t.start && t.end <= c.end)
        {
            continue;
        }
        let mut spelled = names.iter().filter_map(|&n| {
            let c = out.get(n)?;
            text.get(c.start..c.end)
                .filter(|s| initials_spell(t.text, s))
                .map(|s| (s, c))
        });
        let Some((surface, name)) = spelled.next() else {
            continue;
        };
        // (Two persons with those initials, told apart by their surnames: whose they are is
        // not known. "Ewa Grabowska" and "E. Grabowska" are one.)
        let surname = |s: &str| s.rsplit(' ').next().unwrap_or(s).to_lowercase();
        if spelled.any(|(other, _)| surname(other) != surname(surface)) {
            continue;
        }
        found.push(initials_of_name(t, name));
    }
    out.extend(found);
}

fn initials_in_last_cell(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let mut line_start = 0;
    for i in 0..=toks.len() {
        if toks.get(i).is_some_and(|t| t.kind != Kind::Newline) {
            continue;
        }
        let line = toks.get(line_start..i).unwrap_or_default();
        let from = line_start;
        line_start = i + 1;
        // The separator: "|", "│" or "·", at least twice on the line.
        let Some(sep) = ["|", "│", "·"]
            .into_iter()
            .find(|s| line.iter().filter(|t| t.is_punct(s)).count() >= 2)
        else {
            continue;
        };
        let Some(last_sep) = line.iter().rposition(|t| t.is_punct(sep)) else {
            continue;
        };
        let cell = line.get(last_sep + 1..).unwrap_or_default();
        let k = from + last_sep + 1;
        let (s, e) = match cell {
            // "FB", "GÖ"
            [w] if w.kind == Kind::Word
                && w.is_cap()
                && initials_shape(w.text, false)
                && !initials_are_a_term(cx, k, w.text)
                && !cx.lex.labels.contains_key(&*w.low) =>
            {
                (w.start, w.end)
            }
            // "J.C.", "J.C.M."
            [first, .., last]
                if (4..=8).contains(&cell.len())
                    && cell.chunks(2).all(|p| match p {
                        [l, d] => {
                            l.kind == Kind::Word
                                && l.is_cap()
                                && l.text.chars().count() == 1
                                && d.is_punct(".")
                                && !d.space_before
                        }
                        _ => false,
                    })
                    && cell.iter().skip(1).all(|t| !t.space_before) =>
            {
                (first.start, last.end)
            }
            // "RH/TdG", "TdG/JK/RB": the workers of a shift, each by initials.
            [_, rest @ ..]
                if (3..=7).contains(&cell.len())
                    && rest.len() % 2 == 0
                    && cell.iter().enumerate().all(|(n, w)| {
                        if n % 2 == 1 {
                            return w.is_punct("/");
                        }
                        w.kind == Kind::Word
                            && w.is_cap()
                            && initials_shape(w.text, false)
                            && !initials_are_a_term(cx, k + n, w.text)
                            && !cx.lex.labels.contains_key(&*w.low)
                    }) =>
            {
                for w in cell.iter().step_by(2) {
                    out.push(staff_name(w.start, w.end, "initials-last-cell", true));
                }
                continue;
            }
            _ => continue,
        };
        let anchor = cell.len() == 1;
        out.push(staff_name(s, e, "initials-last-cell", anchor));
    }
}

/// Initials in capitals that sign with a date, or that a role follows: "(EV, 27-11-2024)",
/// "Akkoord arts VG: BO 16-02-2024" and "bijgewerkt JZ 03-01-2025" at a line's end, "(afspraak
/// RH, doofblindspecialist)", "TW (stagiaire)". A date or a role beside them says a person
/// signed or is meant; initials that are a known term ("MDO 12-03-2024") are none. They are
/// looked for in the whole case, where minutes and reports use them alone ("JZ bespreekt").
fn initials_with_date_or_role(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let num = |k: usize, lens: &[usize]| {
        toks.get(k)
            .is_some_and(|t| t.kind == Kind::Num && lens.contains(&t.text.len()))
    };
    let glued = |k: usize, p: &[&str]| {
        toks.get(k)
            .is_some_and(|t| !t.space_before && p.iter().any(|p| t.is_punct(p)))
    };
    // The end of a date "27-11-2024" / "3/1/25" at `k`: the index after it.
    let date_at = |k: usize| {
        (num(k, &[1, 2])
            && glued(k + 1, &["-", "/", "."])
            && num(k + 2, &[1, 2])
            && glued(k + 3, &["-", "/", "."])
            && num(k + 4, &[2, 4])
            && toks.get(k + 2).is_some_and(|t| !t.space_before)
            && toks.get(k + 4).is_some_and(|t| !t.space_before))
        .then_some(k + 5)
    };
    for (i, t) in toks.iter().enumerate() {
        if t.kind != Kind::Word
            || !t.text.starts_with(|c: char| c.is_uppercase())
            || !initials_shape(t.text, false)
            || t.text.chars().count() > 3 && t.text.chars().all(char::is_uppercase)
        {
            continue;
        }
        let mut k = i + 1;
        let comma = toks.get(k).is_some_and(|n| n.is_punct(","));
        if comma {
            k += 1;
        }
        let bracket_before = i > 0 && toks.get(i - 1).is_some_and(|p| p.is_punct("("));
        let in_brackets = bracket_before
            && date_at(k).is_some_and(|e| toks.get(e).is_some_and(|n| n.is_punct(")")));
        let dated = in_brackets || date_at(k).is_some_and(|e| ends_line(toks, e));
        // A role after a comma or in brackets: "RH, doofblindspecialist", "TW (stagiaire)".
        let role = if comma {
            cx.has(k, f::ROLE)
        } else {
            toks.get(k).is_some_and(|n| n.is_punct("("))
                && cx.has(k + 1, f::ROLE)
                && toks.get(k + 2).is_some_and(|n| n.is_punct(")"))
        };
        // (In brackets with a date a word in capitals is no veto: "(AS, 27-11-2024)".)
        let term = if in_brackets {
            initials_are_listed(cx, &t.low) || cx.has(i, f::DOMAIN | f::PLACE)
        } else {
            initials_are_a_term(cx, i, t.text)
        };
        if !(dated || role) || term || cx.lex.labels.contains_key(&*t.low) {
            continue;
        }
        out.push(staff_name(t.start, t.end, "initials-dated", true));
    }
}

/// "Zorgx (Het Anker, Zeist)", "Van: Zorgx, De Boei, Zeist": a residence named with an article
/// right after a provider, in brackets or after a comma.
fn residence_after_provider(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let org_ends: Vec<usize> = out
        .iter()
        .filter(|c| c.cat == Category::Instelling)
        .map(|c| c.end)
        .collect();
    for (i, t) in toks.iter().enumerate() {
        if !(t.is_punct("(") || t.is_punct(","))
            || !org_ends.iter().any(|&e| e <= t.start && t.start <= e + 1)
        {
            continue;
        }
        let from = i + 1;
        let Some(first) = toks.get(from) else {
            continue;
        };
        if !matches!(first.text, "De" | "Het" | "'t" | "Huize" | "Villa") {
            continue;
        }
        let Some(end) = cap_run(cx, from, 4) else {
            continue;
        };
        out.push(
            Cand::new(
                first.start,
                toks[end].end,
                Category::Locatie,
                53,
                "residence-after-provider",
            )
            .anchored(),
        );
    }
}

/// "op Zonnedauw van Zorgx", "woont op De Vlinder (Zorgy)": capitalised words right
/// before "van <provider>" after "op"/"naar"/"in" are a residence of that provider.
fn residence_of_provider(cx: &Ctx, out: &mut Vec<Cand>) {
    let toks = cx.toks;
    let org_starts: Vec<usize> = out
        .iter()
        .filter(|c| c.cat == Category::Instelling)
        .map(|c| c.start)
        .collect();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != Kind::Word || !matches!(t.text, "op" | "naar" | "van" | "in") {
            continue;
        }
        let from = i + 1;
        let Some(first) = toks.get(from) else {
            continue;
        };
        if !first.is_cap() {
            continue;
        }
        let Some(end) = cap_run(cx, from, 3) else {
            continue;
        };
        // The link and the provider may be split by a line break (wrapped PDF text).
        let mut next = (end + 1..toks.len()).filter(|&x| toks[x].kind != Kind::Newline);
        let link = next.next().and_then(|x| toks.get(x));
        let org = next.next().and_then(|x| toks.get(x));
        let linked = link.is_some_and(|l| {
            l.text == "van" || l.text == "bij" || l.is_punct("(") || l.is_punct(",")
        }) && org.is_some_and(|o| org_starts.contains(&o.start));
        if !linked || org_starts.contains(&first.start) {
            continue;
        }
        if cx.has(from, f::PLACE | f::FIRST) {
            continue;
        }
        out.push(
            Cand::new(
                first.start,
                toks[end].end,
                Category::Locatie,
                53,
                "residence-of-provider",
            )
            .anchored(),
        );
    }
}

/// Extends an organisation name over a following region word: "Budget & Co Zuid", also one
/// joined by a hyphen ("Ziekenhuis Fryslân-Oost", "Zorggroepen Gelderland-Noord").
fn compass_after(cx: &Ctx, end: usize) -> usize {
    let end = legal_form_after(cx, end);
    let compass = |t: &Tok| {
        matches!(
            t.text,
            "Noord"
                | "Oost"
                | "Zuid"
                | "West"
                | "Midden"
                | "Noordoost"
                | "Noordwest"
                | "Zuidoost"
                | "Zuidwest"
        )
    };
    let toks = cx.toks;
    let hyphen = toks
        .get(end + 1)
        .is_some_and(|h| h.is_punct("-") && !h.space_before);
    let end = match (toks.get(end + 1), toks.get(end + 2)) {
        // "Fryslân-Oost"
        (_, Some(t)) if hyphen && !t.space_before && compass(t) => end + 2,
        // "Budget & Co Zuid", "Zorg Nederland"
        (Some(t), _) if t.space_before && (compass(t) || t.text == "Nederland") => end + 1,
        _ => end,
    };
    // "VluchtelingenWerk Oost Nederland"
    match toks.get(end + 1) {
        Some(t)
            if t.space_before && t.text == "Nederland" && toks.get(end).is_some_and(compass) =>
        {
            end + 1
        }
        _ => end,
    }
}

/// The end of an organisation's name that ends at token `end`, with the rest of a legal form
/// written with dots ("Beheer B.V.", "Zorg N.V.", "Adviesbureau V.O.F."): a run of single
/// capitals was taken as words up to the first one, and its dots and further letters belong
/// to the name too. Also a legal form after the name ("Incasso B.V.", "Transport BV"), the
/// partners ("Hofstra & Zn.") and the brothers ("Autobedrijf Gebr. Pierik").
fn legal_form_after(cx: &Ctx, end: usize) -> usize {
    let toks = cx.toks;
    let single_cap = |k: usize| {
        toks.get(k)
            .is_some_and(|t| t.kind == Kind::Word && t.is_cap() && t.text.len() == 1)
    };
    let glued_dot = |k: usize| {
        toks.get(k)
            .is_some_and(|t| t.is_punct(".") && !t.space_before)
    };
    // The end of a run of single capitals with dots from `first` (at `first`, a capital with
    // its dot), and its letters.
    let dotted_run = |first: usize| {
        let mut last = first + 1;
        let mut letters = String::new();
        letters.push_str(toks.get(first).map_or("", |t| t.text));
        while single_cap(last + 1)
            && toks.get(last + 1).is_some_and(|t| !t.space_before)
            && glued_dot(last + 2)
        {
            letters.push_str(toks.get(last + 1).map_or("", |t| t.text));
            last += 2;
        }
        (last, letters)
    };
    let mut end = if single_cap(end) && glued_dot(end + 1) {
        dotted_run(end).0
    } else {
        end
    };
    let word_at = |k: usize, w: &[&str]| {
        toks.get(k)
            .is_some_and(|t| t.kind == Kind::Word && t.space_before && w.contains(&t.text))
    };
    // "Autobedrijf Gebr. Pierik": the brothers' surname after the abbreviation.
    if toks.get(end).is_some_and(|t| t.text == "Gebr")
        && glued_dot(end + 1)
        && toks
            .get(end + 2)
            .is_some_and(|t| t.kind == Kind::Word && t.is_cap() && t.space_before)
    {
        end += 2;
    }
    // "Hofstra & Zn.", "Beheer & Co": the partners after the name.
    if toks.get(end + 1).is_some_and(|t| t.is_punct("&"))
        && toks
            .get(end + 2)
            .is_some_and(|t| matches!(t.text, "Zn" | "Zonen" | "Co" | "Partners"))
    {
        end += 2;
    }
    if toks.get(end).is_some_and(|t| matches!(t.text, "Zn" | "Co")) && glued_dot(end + 1) {
        end += 1;
    }
    // "Incasso B.V.", "Transport BV": the legal form after the name.
    const FORMS: [&str; 4] = ["BV", "NV", "VOF", "CV"];
    if single_cap(end + 1)
        && toks.get(end + 1).is_some_and(|t| t.space_before)
        && glued_dot(end + 2)
    {
        let (last, letters) = dotted_run(end + 1);
        if FORMS.contains(&letters.as_str()) {
            end = last;
        }
    } else if word_at(end + 1, &FORMS) {
        end += 1;
    }
    end
}

/// The number of tokens of "v.d." or "v/d" (also "V.d.", "v.d", "v.d.") starting at token `j`,
/// written without spaces; 0 when there is none.
fn dotted_particle(cx: &Ctx, j: usize) -> usize {
    let toks = cx.toks;
    let is = |k: usize, w: &str| {
        toks.get(k)
            .is_some_and(|t| t.text.eq_ignore_ascii_case(w) && (k == j || !t.space_before))
    };
    let sep = |k: usize| {
        toks.get(k)
            .is_some_and(|t| (t.is_punct(".") || t.is_punct("/")) && !t.space_before)
    };
    if !(is(j, "v") && sep(j + 1) && is(j + 2, "d")) {
        return 0;
    }
    if toks
        .get(j + 3)
        .is_some_and(|t| t.is_punct(".") && !t.space_before)
    {
        4
    } else {
        3
    }
}

/// "TOLSMA, Wiebren Jan" at the start of a line or after a label: a surname in capitals, as
/// hospital letters and registers write it, before a comma and a listed first name or an
/// initial; or a word in capitals that is the value of the client's name label. The index of
/// the surname's last word in capitals, if so.
fn surname_in_capitals(cx: &Ctx, i: usize) -> Option<usize> {
    let toks = cx.toks;
    let caps_word = |k: usize| {
        toks.get(k)
            .is_some_and(|t| t.kind == Kind::Word && t.is_allcaps() && t.text.len() >= 2)
    };
    let joined_end = |k: usize| caps_joined_end(toks, k);
    // A name in capitals with the name in daily use after it in brackets: "DEMI BAKKER
    // (roepnaam Demi)". The first word is a listed given name.
    if listed_given_name(cx, i) {
        let mut k = i;
        for _ in 0..4 {
            if !caps_word(k) {
                break;
            }
            let end = joined_end(k);
            let nickname_next = toks.get(end + 1).is_some_and(|b| b.is_punct("("))
                && toks.get(end + 2).is_some_and(|l| is_nickname_label(&l.low));
            if nickname_next && end > i {
                return Some(end);
            }
            k = end + 1;
        }
    }
    // The surname's last word: up to three words in capitals before the comma ("EL
    // OUARIACHI, Nordin", "VAN DER MEER, Joke", "JHINKOE-RAI, Ravindra").
    let mut c = i;
    let mut k = i;
    for _ in 0..3 {
        if !caps_word(k) {
            break;
        }
        let end = joined_end(k);
        if toks.get(end + 1).is_some_and(|t| t.is_punct(",")) {
            c = end;
            break;
        }
        k = end + 1;
    }
    let initial_after = toks
        .get(c + 2)
        .is_some_and(|t| t.kind == Kind::Word && t.text.chars().count() == 1 && t.is_cap())
        && toks
            .get(c + 3)
            .is_some_and(|d| d.is_punct(".") && !d.space_before);
    let value_start = starts_line_or_value(cx, i);
    // The value of the client's name label: "Achternaam ........ DOORNBOS". (Asked only where
    // a value starts: most words in capitals are acronyms in running text.)
    let labelled = value_start
        && toks.get(i).is_some_and(|t| t.text.chars().count() >= 3)
        && matches!(context_before(cx, i).2, Some(LabelKind::ClientName));
    // After the label the given name need not be listed ("naam: TESFAY HAILE, Amanuel").
    let given_after = toks.get(c + 2).is_some_and(|t| {
        t.kind == Kind::Word && t.is_cap() && !t.is_allcaps() && t.text.chars().count() >= 2
    }) && (labelled || listed_given_name(cx, c + 2));
    let surname_comma = value_start
        && toks.get(c).is_some_and(|t| t.text.len() >= 3)
        && toks.get(c + 1).is_some_and(|t| t.is_punct(","))
        && (initial_after || given_after);
    if surname_comma {
        return Some(c);
    }
    // A labelled value in capitals without a comma: "Cliënt: NOOR EL AMRANI" (the words in
    // capitals up to a gap or the line's end, no known term among them).
    labelled.then(|| {
        let mut e = joined_end(i);
        let mut more = 0;
        while more < 3
            && toks.get(e + 1).is_some_and(|t| {
                t.kind == Kind::Word
                    && t.is_allcaps()
                    && t.space_before
                    && !t.gap_before
                    && t.text.chars().count() >= 2
            })
            && !cx.has(e + 1, f::DOMAIN | f::TITLE | f::ROLE)
        {
            e = joined_end(e + 1);
            more += 1;
        }
        e
    })
}

/// Whether token `i` starts a line or the value after a label colon or a column gap, where
/// forms put names.
fn starts_line_or_value(cx: &Ctx, i: usize) -> bool {
    let toks = cx.toks;
    // A dot leader ends a label as a colon does: "Aanvrager ........ YILDIRIM, Emine".
    let dots = |k: usize| {
        toks.get(k)
            .filter(|p| p.kind == Kind::Punct && p.text.chars().all(|c| c == '.' || c == '…'))
            .map(|p| p.text.chars().count())
    };
    let leader = i >= 1
        && match dots(i - 1) {
            Some(n) if n >= 2 => true,
            Some(_) => i >= 2 && dots(i - 2).is_some(),
            None => false,
        };
    leader
        || toks.get(i).is_some_and(|t| t.gap_before)
        || i.checked_sub(1)
            .and_then(|p| toks.get(p))
            .is_none_or(|p| p.kind == Kind::Newline || p.is_punct(":"))
}

/// A capitalised word on the first-name list that is neither a domain term nor a place.
fn listed_given_name(cx: &Ctx, k: usize) -> bool {
    cx.toks
        .get(k)
        .is_some_and(|t| t.kind == Kind::Word && t.is_cap())
        && cx.has(k, f::FIRST)
        && !cx.has(k, f::DOMAIN | f::PLACE)
}

/// "Wijnands, Tim Johannes": a surname at the start of a line or sentence, a comma and listed
/// first names are one name, written surname first (as in forms and headers).
fn surname_first(cx: &Ctx, c: &mut Chain) {
    let toks = cx.toks;
    // Only at the very start of a line or right after a label colon, where forms put names.
    // A surname in capitals may have several words ("EL OUARIACHI, Nordin").
    let caps_surname = c
        .words
        .iter()
        .all(|&w| toks.get(w).is_some_and(|t| t.is_allcaps()));
    // (Particles may come first: "Bou Hafsi, A.", "El Amrani, Noor".)
    let one_surname = c
        .words
        .split_last()
        .is_some_and(|(_, before)| before.iter().all(|&w| cx.is_tv(w)));
    // Or where a cell of an export or a table starts: after ";" or "|", or a quote after
    // them ("17-03-2025;21:30;\"Tesfamichael, D.\";..."); then the name fills the cell.
    let cell_edge = |t: &Tok| t.is_punct(";") || t.is_punct("|") || t.is_punct("│");
    let cell = !starts_line_or_value(cx, c.first)
        && c.first
            .checked_sub(1)
            .and_then(|p| toks.get(p))
            .is_some_and(|p| {
                cell_edge(p)
                    || (p.is_punct("\"")
                        && c.first
                            .checked_sub(2)
                            .and_then(|q| toks.get(q))
                            .is_none_or(|q| cell_edge(q) || q.kind == Kind::Newline))
            });
    if !(cell || starts_line_or_value(cx, c.first))
        || c.initials > 0
        || !(one_surname || caps_surname)
        || !toks.get(c.last + 1).is_some_and(|t| t.is_punct(","))
    {
        return;
    }
    // After the client's name label, a surname in capitals is followed by the given names
    // whether the lists know them or not ("naam: HAILU BERHANE, Aman").
    let labelled =
        caps_surname && matches!(context_before(cx, c.first).2, Some(LabelKind::ClientName));
    let given_name = |k: usize| {
        listed_given_name(cx, k)
            || (labelled
                && toks.get(k).is_some_and(|t| {
                    t.kind == Kind::Word
                        && t.is_cap()
                        && !t.is_allcaps()
                        && t.space_before
                        && !t.gap_before
                        && t.text.chars().count() >= 2
                })
                && !cx.has(k, f::DOMAIN | f::TITLE | f::ROLE | f::PLACE))
    };
    let mut k = c.last + 2;
    let mut given = Vec::new();
    while given_name(k) && given.len() < 4 {
        given.push(k);
        k += 1;
    }
    // Then the initials, after the given names or in their place: "Storm, T.H.", "Isenia,
    // Ricardo A.", "BOATENG, T.K.".
    // (Apart from what is before them.)
    let dots_end = if toks.get(k).is_some_and(|t| t.space_before) {
        initials_end(toks, k)
    } else {
        k
    };
    // The surname's particles after the given names, as registers write them ("Sluis,
    // Hermien van der"), where the name ends: at the line's or the cell's end or a bracket.
    let mut tail = if dots_end > k { dots_end } else { k };
    if !given.is_empty() || dots_end > k {
        let mut p = tail;
        while cx.is_tv(p) && p < tail + 3 {
            p += 1;
        }
        let ends = |q: usize| {
            toks.get(q).is_none_or(|t| {
                t.kind == Kind::Newline
                    || cell_edge(t)
                    || t.is_punct("\"")
                    || t.is_punct("(")
                    || t.is_punct(",")
                    || t.gap_before
            })
        };
        if p > tail && ends(p) {
            tail = p;
        }
    }
    // In a cell the name is all there is.
    // (A role in brackets may follow: "| Knops, M. (arts VG) |".)
    if cell
        && !toks.get(tail).is_none_or(|t| {
            t.kind == Kind::Newline || cell_edge(t) || t.is_punct("\"") || t.is_punct("(")
        })
    {
        return;
    }
    let particles_end = tail;
    if let Some(&last) = given.last() {
        c.words.extend(given);
        c.last = last;
    }
    if dots_end > k {
        c.initials += (dots_end - k) / 2;
        c.last = dots_end - 1;
    }
    if particles_end > dots_end.max(k) {
        c.last = particles_end - 1;
    }
}

#[cfg(test)]
mod tests {
    /// Searching only the lines `greeting_lines` picks finds every greeting a search of the
    /// whole text finds, at the same positions, whatever the case of the letters.
    #[test]
    fn initials_spell_the_parts_of_a_name_in_order() {
        use super::initials_spell;
        for (initials, name) in [
            ("HZ", "Hanneke Zwaan"),
            ("HZ", "Hanneke de Zwaan"),
            ("HdZ", "Hanneke de Zwaan"),
            ("GHP", "Gerrit-Hein Pluim"),
            ("SMJ", "Savitri Mahabier-Jagesar"),
            ("OB", "Olga Bakhuis-Tromp"),
            ("GÖ", "Gülşen Öztürk"),
        ] {
            assert!(initials_spell(initials, name), "{initials} {name}");
        }
        for (initials, name) in [
            ("ZH", "Hanneke Zwaan"),
            ("AVG", "Anna Verhoeven"),
            ("HZ", "Hanneke"),
            ("HZK", "Hanneke Zwaan"),
            ("HB", "Hanneke Zwaan-Bos"),
        ] {
            assert!(!initials_spell(initials, name), "{initials} {name}");
        }
    }

    #[test]
    fn greeting_lines_miss_no_greeting() {
        let Some(ac) = super::greetings() else {
            panic!("the greeting automaton must build");
        };
        let texts = [
            "Met vriendelijke groet,\nA. Jansen",
            "MvG\nP",
            "mVg, Piet\nx\nGR., ook\n",
            "Hartelijke GROETEN,\r\nNAMENS het team\n",
            "geen afsluiting hier\nook niet: gro et, m v g, gr. ,\n",
            "\n\nnamens\n",
            "regel één — met vriendelijke groet — en Groet, daarna",
            "vriendelijke\ngroet,",
            "",
        ];
        for text in texts {
            let whole: Vec<usize> = ac.find_iter(text).map(|m| m.start()).collect();
            let by_line: Vec<usize> = super::greeting_lines(text)
                .into_iter()
                .flat_map(|(s, e)| ac.find_iter(&text[s..e]).map(move |m| s + m.start()))
                .collect();
            assert_eq!(whole, by_line, "{text:?}");
        }
        // A line without any of the short words is not searched at all.
        assert!(super::greeting_lines("Een gewone regel\nNog een").is_empty());
    }

    use super::*;
    use crate::pseudo::tokens::tokenize;

    #[test]
    fn a_daily_name_in_brackets_after_initials_stays_in_the_name() {
        let lex = Lexicon::load().unwrap();
        let text = "Advies van mw. drs. E.M. (Els) de Kort-Hamstra: rust.";
        let toks = tokenize(text);
        let cx = Ctx::new(text, &toks, &lex);
        let i = toks.iter().position(|t| t.text == "E").unwrap();
        let c = parse_chain(&cx, i, false).unwrap();
        let (s, e) = span_of(&cx, &c);
        assert_eq!(&text[s..e], "E.M. (Els) de Kort-Hamstra");
    }
}
