//! Identifiers with a fixed shape: e-mail, URL, IBAN (mod 97), BSN (elfproef), phone numbers,
//! postcodes, dates (generalised to month and year), dates of birth, and client, dossier and
//! case numbers. Pure functions from text to candidates; never allocates copies of matches
//! beyond what a candidate needs.

use std::sync::OnceLock;

use regex::Regex;

use super::lexicon::Lexicon;
use super::{Cand, Category};

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| match Regex::new(pattern) {
        Ok(r) => r,
        // The patterns are constants of this file; a broken one is a programming error that the
        // unit tests catch, so fall back to a regex that matches nothing rather than panic.
        Err(_) => Regex::new(r"[^\s\S]").unwrap_or_else(|_| unreachable!()),
    })
}

const MONTHS: &str = r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|febr|mrt|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec)";

/// Month number of a Dutch month name or abbreviation.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    Some(match w.as_str() {
        "januari" | "jan" => 1,
        "februari" | "feb" | "febr" => 2,
        "maart" | "mrt" | "mar" => 3,
        "april" | "apr" => 4,
        "mei" => 5,
        "juni" | "jun" => 6,
        "juli" | "jul" => 7,
        "augustus" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "okt" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

pub const MONTH_NAMES: [&str; 12] = crate::rules::MONTHS_NL;

/// A date found in text: what it says, as far as it says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundDate {
    pub year: Option<i32>,
    pub month: u32,
    pub day: Option<u32>,
}

impl FoundDate {
    /// The generalised form shown in pseudonymised text: "maart 2019" or "maart".
    pub fn generalised(&self) -> String {
        let m = MONTH_NAMES
            .get((self.month.saturating_sub(1)) as usize)
            .copied()
            .unwrap_or("?");
        match self.year {
            Some(y) => format!("{m} {y}"),
            None => m.to_string(),
        }
    }
}

fn expand_year(y: &str) -> Option<i32> {
    let digits = y.trim_start_matches('\'').trim_start_matches('’');
    let n: i32 = digits.parse().ok()?;
    if digits.len() == 4 {
        (1900..=2100).contains(&n).then_some(n)
    } else if digits.len() == 2 {
        // Two-digit years in care dossiers: up to 40 years ahead of 2000 counts as 20xx.
        Some(if n <= 40 { 2000 + n } else { 1900 + n })
    } else {
        None
    }
}

/// Every date in `text` with its byte span.
pub fn find_dates(text: &str) -> Vec<(usize, usize, FoundDate)> {
    static NUMERIC: OnceLock<Regex> = OnceLock::new();
    static ISO: OnceLock<Regex> = OnceLock::new();
    static TEXTUAL: OnceLock<Regex> = OnceLock::new();
    static MONTH_YEAR: OnceLock<Regex> = OnceLock::new();
    let mut out = Vec::new();
    let numeric = re(
        &NUMERIC,
        r"(?:^|[^\d./-])(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4}|\d{2})(?:$|[^\d]|\.\D|\.$)",
    );
    for c in numeric.captures_iter(text) {
        let (Some(d), Some(s1), Some(m), Some(s2), Some(y)) =
            (c.get(1), c.get(2), c.get(3), c.get(4), c.get(5))
        else {
            continue;
        };
        if s1.as_str() != s2.as_str() {
            continue;
        }
        let (Ok(day), Ok(month)) = (d.as_str().parse::<u32>(), m.as_str().parse::<u32>()) else {
            continue;
        };
        // A following ".digit" would make this a longer number (e.g. an ID), not a date.
        if text[y.end()..].starts_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        if (1..=31).contains(&day) && (1..=12).contains(&month) {
            if let Some(year) = expand_year(y.as_str()) {
                out.push((
                    d.start(),
                    y.end(),
                    FoundDate {
                        year: Some(year),
                        month,
                        day: Some(day),
                    },
                ));
            }
        }
    }
    let iso = re(&ISO, r"(?-u:\b)(\d{4})-(\d{2})-(\d{2})(?-u:\b)");
    for c in iso.captures_iter(text) {
        let (Some(all), Some(y), Some(m), Some(d)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        let (Ok(year), Ok(month), Ok(day)) = (
            y.as_str().parse::<i32>(),
            m.as_str().parse::<u32>(),
            d.as_str().parse::<u32>(),
        ) else {
            continue;
        };
        if (1900..=2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day) {
            out.push((
                all.start(),
                all.end(),
                FoundDate {
                    year: Some(year),
                    month,
                    day: Some(day),
                },
            ));
        }
    }
    let textual = re(
        &TEXTUAL,
        &format!(
            r"(?i)(?-u:\b)(\d{{1,2}})(?:e|ste|de)?\s+({MONTHS})(?-u:\b)\.?(?:\s*,?\s+((?:\d{{4}}|['’]\d{{2}}))(?-u:\b))?"
        ),
    );
    for c in textual.captures_iter(text) {
        let (Some(all), Some(d), Some(m)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let Ok(day) = d.as_str().parse::<u32>() else {
            continue;
        };
        let Some(month) = month_number(m.as_str()) else {
            continue;
        };
        if !(1..=31).contains(&day) {
            continue;
        }
        let year = c.get(3).and_then(|y| expand_year(y.as_str()));
        let mut end = match c.get(3) {
            Some(y) if year.is_some() => y.end(),
            _ => m.end(),
        };
        // Include the dot of an abbreviated month ("14 nov."), never the full stop after a
        // full month name ("op 8 november. Hij ...").
        let abbreviated = !MONTH_NAMES.contains(&m.as_str().to_lowercase().as_str());
        if c.get(3).is_none()
            && abbreviated
            && text[m.end()..].starts_with('.')
            && all.end() > m.end()
        {
            end = m.end() + 1;
        }
        out.push((
            d.start(),
            end,
            FoundDate {
                year,
                month,
                day: Some(day),
            },
        ));
    }
    let month_year = re(
        &MONTH_YEAR,
        &format!(r"(?i)(?-u:\b)({MONTHS})(?-u:\b)\.?\s+((?:\d{{4}})|['’]\d{{2}})(?-u:\b)"),
    );
    for c in month_year.captures_iter(text) {
        let (Some(all), Some(m), Some(y)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let Some(month) = month_number(m.as_str()) else {
            continue;
        };
        let Some(year) = expand_year(y.as_str()) else {
            continue;
        };
        // "mar" and "mei" in running text are only dates with a year right after them; the
        // regex already demands one.
        out.push((
            all.start(),
            all.end(),
            FoundDate {
                year: Some(year),
                month,
                day: None,
            },
        ));
    }
    out
}

/// Elfproef of the BSN (9 digits; 8-digit numbers are padded with a leading zero).
pub fn bsn_valid(digits: &str) -> bool {
    let ds: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    let ds = match ds.len() {
        9 => ds,
        8 => std::iter::once(0).chain(ds).collect(),
        _ => return false,
    };
    if ds.iter().all(|&d| d == 0) {
        return false;
    }
    let mut sum: i64 = 0;
    for (i, d) in ds.iter().enumerate() {
        let w: i64 = if i == 8 { -1 } else { 9 - i as i64 };
        sum += w * i64::from(*d);
    }
    sum % 11 == 0
}

/// ISO 13616 mod-97 check of an IBAN without spaces.
pub fn iban_valid(compact: &str) -> bool {
    if compact.len() < 15 || compact.len() > 34 || !compact.is_ascii() {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut rem: u64 = 0;
    for ch in tail.chars().chain(head.chars()) {
        let v = match ch {
            '0'..='9' => u64::from(ch as u8 - b'0'),
            'A'..='Z' => u64::from(ch as u8 - b'A' + 10),
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// Shape-based identifiers of one document.
pub fn find(text: &str, lex: &Lexicon, out: &mut Vec<Cand>) {
    static EMAIL: OnceLock<Regex> = OnceLock::new();
    static URL: OnceLock<Regex> = OnceLock::new();
    static IBAN: OnceLock<Regex> = OnceLock::new();
    static BSN: OnceLock<Regex> = OnceLock::new();
    static PHONE: OnceLock<Regex> = OnceLock::new();
    static POSTCODE: OnceLock<Regex> = OnceLock::new();
    static CODE: OnceLock<Regex> = OnceLock::new();

    let email = re(
        &EMAIL,
        r"[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+",
    );
    for m in email.find_iter(text) {
        out.push(Cand::new(m.start(), m.end(), Category::Email, 90, "email"));
    }

    let url = re(
        &URL,
        r"(?i)(?-u:\b)(?:https?://|www\.)[^\s<>()\[\]{}]+|(?-u:\b)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|com|org|net|eu|be|info)/[^\s<>()\[\]{}]*",
    );
    for m in url.find_iter(text) {
        let s = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '"']);
        if s.contains('@') {
            continue;
        }
        let host = s
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap_or("")
            .to_lowercase();
        let host = host.trim_start_matches("www.");
        if lex
            .keep_domains
            .iter()
            .any(|d| host == d || host.ends_with(&format!(".{d}")))
        {
            continue;
        }
        out.push(Cand::new(
            m.start(),
            m.start() + s.len(),
            Category::Url,
            90,
            "url",
        ));
    }

    let iban = re(
        &IBAN,
        r"(?-u:\b)[A-Z]{2}\d{2}[ ]?[A-Z0-9]{4}(?:[ ]?[A-Z0-9]{2,4}){2,7}(?-u:\b)",
    );
    for m in iban.find_iter(text) {
        let compact: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
        if iban_valid(&compact) {
            out.push(Cand::new(
                m.start(),
                m.end(),
                Category::Iban,
                85,
                "iban-mod97",
            ));
        }
    }

    let bsn = re(
        &BSN,
        r"(?-u:\b)(?:\d{9}|\d{8}|\d{3}[. ]\d{3}[. ]\d{3}|\d{4}[. ]\d{2}[. ]\d{3}|\d{2}[. ]\d{2}[. ]\d{2}[. ]\d{3})(?-u:\b)",
    );
    for m in bsn.find_iter(text) {
        if text[m.end()..].starts_with(['-', '/'])
            || text[..m.start()].ends_with(['-', '/', '.', '+'])
        {
            continue;
        }
        let labelled = label_before(
            text,
            m.start(),
            &["bsn", "burgerservicenummer", "sofinummer"],
        );
        let n_digits = m.as_str().chars().filter(char::is_ascii_digit).count();
        if (bsn_valid(m.as_str()) && n_digits == 9) || labelled {
            let rule = if labelled {
                "bsn-label"
            } else {
                "bsn-elfproef"
            };
            out.push(Cand::new(m.start(), m.end(), Category::Bsn, 80, rule));
        }
    }

    // Phone numbers: Dutch national (10 digits from a 0), international (+31 / 0031, other
    // country codes), with spaces, dashes, dots and "(0)" or "(030)" in any place.
    let phone = re(
        &PHONE,
        r"(?:\+|(?-u:\b)00)\d{2}[\s.-]{0,3}(?:\(0\)[\s.-]{0,3})?\d(?:[\s.()-]{0,3}\d){7,10}|(?:\(0\d{1,3}\)|(?-u:\b)0\d)(?:[ .()-]{0,3}\d){8}",
    );
    for m in phone.find_iter(text) {
        let s = m.as_str();
        if text[m.end()..].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        // Not the tail of a date or another number ("20/03/2024 14.50", "12-06 12 34").
        let before: Vec<char> = text[..m.start()].chars().rev().take(2).collect();
        if before.first().is_some_and(char::is_ascii_digit)
            || (before.first().is_some_and(|c| matches!(c, '/' | '-' | '.'))
                && before.get(1).is_some_and(char::is_ascii_digit))
        {
            continue;
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let ok = if s.starts_with('+') || s.starts_with("00") {
            digits.len() >= 10
        } else {
            digits.len() == 10
        };
        // A run of groups separated by " / " is a list of numbers, not one.
        if ok && !s.contains(" / ") {
            out.push(Cand::new(
                m.start(),
                m.end(),
                Category::Telefoon,
                82,
                "phone",
            ));
        }
    }

    let postcode = re(
        &POSTCODE,
        r"(?-u:\b)[1-9]\d{3}[ ]?(?:[A-RT-Z][A-Z]|S[BCE-RT-Z])(?-u:\b)",
    );
    for m in postcode.find_iter(text) {
        out.push(Cand::new(
            m.start(),
            m.end(),
            Category::Postcode,
            70,
            "postcode",
        ));
    }

    for (s, e, d) in find_dates(text) {
        let birth = label_before(
            text,
            s,
            &[
                "geboortedatum",
                "geboren",
                "geb.",
                "geb",
                "geb.datum",
                "geboren op",
                "d.o.b.",
                "geboorte",
            ],
        );
        if birth {
            out.push(Cand::new(
                s,
                e,
                Category::Geboortedatum,
                78,
                "birth-date-label",
            ));
        } else {
            let mut c = Cand::new(s, e, Category::Datum, 72, "date");
            c.replacement = Some(d.generalised());
            out.push(c);
        }
    }

    // Codes with digits: client and dossier numbers, CIZ/CCE references, MIC numbers, court
    // case numbers. Labelled numbers are IDs; unlabelled digit runs of 6+ are too (a dossier
    // keeps few innocent long numbers, and a missed number is a leak).
    let code = re(
        &CODE,
        r"(?-u:\b)(?:[A-Za-z]{1,6}[/-])?(?:[A-Za-z]{0,5}\d[\dA-Za-z]*)(?:[./-][A-Za-z]{0,4}\d[\dA-Za-z]*)*(?:\s*/\s*[A-Z]{2}\s?[A-Z]{2}\s?\d{2}-\d{3,6})?",
    );
    for m in code.find_iter(text) {
        let s = m.as_str();
        let digits = s.chars().filter(char::is_ascii_digit).count();
        let labelled = id_label_before(text, m.start(), lex);
        let has_sep_code =
            (s.contains('/') || s.contains('-')) && s.chars().any(|c| c.is_ascii_alphabetic());
        if (labelled && digits >= 3) || digits >= 6 || (has_sep_code && digits >= 5) {
            out.push(Cand::new(
                m.start(),
                m.end(),
                Category::Id,
                if labelled { 68 } else { 40 },
                "id",
            ));
        }
    }
}

/// Whether one of `labels` stands shortly before `pos` on the same line ("BSN: 123...",
/// "(geb. 14-04-1955)", "geboren op 3 mei 1990").
pub fn label_before(text: &str, pos: usize, labels: &[&str]) -> bool {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let mut from = pos.saturating_sub(40).max(line_start);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = text[from..pos].to_lowercase();
    labels.iter().any(|l| {
        window.match_indices(l).any(|(i, _)| {
            let before_ok = i == 0 || !window[..i].ends_with(|c: char| c.is_alphanumeric());
            let rest = &window[i + l.len()..];
            // Only short glue between the label and the value: ": ", " op ", " nr. ".
            before_ok
                && rest.len() <= 14
                && !rest.starts_with(|c: char| c.is_alphabetic() && !l.ends_with('.'))
        })
    })
}

fn id_label_before(text: &str, pos: usize, lex: &Lexicon) -> bool {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let mut from = pos.saturating_sub(30).max(line_start);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = text[from..pos]
        .trim_end()
        .trim_end_matches([':', '#'])
        .trim_end()
        .to_lowercase();
    lex.labels.iter().any(|(label, kind)| {
        matches!(kind, super::lexicon::LabelKind::Id) && window.ends_with(label.as_str()) && {
            let i = window.len() - label.len();
            i == 0 || !window[..i].ends_with(|c: char| c.is_alphanumeric())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elfproef() {
        assert!(bsn_valid("111222333"));
        assert!(!bsn_valid("111222334"));
        assert!(bsn_valid("123456782"));
    }

    #[test]
    fn iban_mod97() {
        assert!(iban_valid("NL91ABNA0417164300"));
        assert!(!iban_valid("NL91ABNA0417164301"));
    }

    #[test]
    fn dates_in_many_shapes() {
        let t = "op 14-11-2022, 4/1/2021, 14.11.22, 2022-11-14, 14 nov. 2022, 3 maart, mrt. 2019 en november '22";
        let found: Vec<String> = find_dates(t)
            .iter()
            .map(|(s, e, _)| t[*s..*e].to_string())
            .collect();
        for want in [
            "14-11-2022",
            "4/1/2021",
            "14.11.22",
            "2022-11-14",
            "14 nov. 2022",
            "3 maart",
            "mrt. 2019",
            "november '22",
        ] {
            assert!(found.iter().any(|f| f == want), "{want} not in {found:?}");
        }
        assert!(find_dates("Om 20.05 uur, bloeddruk 128/84, stap 3").is_empty());
    }
}
