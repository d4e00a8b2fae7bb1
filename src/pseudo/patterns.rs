//! Identifiers with a fixed shape: e-mail, URL, IBAN (mod 97), BSN (elfproef), phone numbers,
//! postcodes, dates (generalised to month and year), dates of birth, and client, dossier and
//! case numbers. Pure functions from text to candidates; never allocates copies of matches
//! beyond what a candidate needs.

use std::cell::OnceCell;
use std::sync::OnceLock;

use regex::Regex;

use super::lexicon::{LabelKind, Lexicon};
use super::{Cand, Category};

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    re_with(cell, || pattern.to_string())
}

/// [`re`] with a pattern that is only made when the regex is compiled.
fn re_with(cell: &'static OnceLock<Regex>, pattern: impl FnOnce() -> String) -> &'static Regex {
    cell.get_or_init(|| match Regex::new(&pattern()) {
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
            // Four-digit years (all that the patterns make) without the formatting machinery.
            Some(y @ 1000..=9999) => {
                let mut s = String::with_capacity(m.len() + 5);
                s.push_str(m);
                s.push(' ');
                for div in [1000, 100, 10, 1] {
                    s.push(char::from(b'0' + ((y / div) % 10) as u8));
                }
                s
            }
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
pub fn find_dates(text: &str) -> Vec<DateSpan> {
    match digit_runs(text) {
        Some(runs) => dates_fast(text, &runs),
        None => find_dates_regex(text),
    }
}

/// `dates` with the dates of [`apostrophe_year_dates`] after them (each kind of date after
/// the other, as the scanners list them): both scanners end with this.
fn with_apostrophe_years(text: &str, mut dates: Vec<DateSpan>) -> Vec<DateSpan> {
    dates.extend(apostrophe_year_dates(text));
    dates.extend(short_numeric_dates(text));
    dates.extend(roman_month_dates(text));
    dates
}

/// The month of a Roman numeral as dates write it ("IV" for April), upper case only: a lower
/// case "i" or "v" between numbers is no month.
fn roman_month(s: &[u8]) -> Option<u32> {
    const ROMAN: [&[u8]; 12] = [
        b"I", b"II", b"III", b"IV", b"V", b"VI", b"VII", b"VIII", b"IX", b"X", b"XI", b"XII",
    ];
    ROMAN.iter().position(|r| *r == s).map(|p| p as u32 + 1)
}

/// Dates with the month in Roman numerals, the older Dutch and Belgian way of writing a date
/// ("4-IV-1998", "12.XI.'21", "3/X/2020"): day, separator, month, the same separator, year.
fn roman_month_dates(text: &str) -> Vec<DateSpan> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // A separator with a digit before it and a Roman capital after it.
        let Some(p) = b.get(i..).and_then(|r| {
            r.windows(2).position(|w| {
                matches!(w[0], b'-' | b'/' | b'.') && matches!(w[1], b'I' | b'V' | b'X')
            })
        }) else {
            break;
        };
        let s1 = i + p;
        i = s1 + 1;
        let sep = at(b, s1);
        let d_len = b.get(..s1).map_or(0, |h| {
            h.iter().rev().take_while(|c| c.is_ascii_digit()).count()
        });
        let m0 = s1 + 1;
        let m_len = count_from(b, m0, |c| matches!(c, b'I' | b'V' | b'X'));
        let s2 = m0 + m_len;
        if !(1..=2).contains(&d_len) || at(b, s2) != sep {
            continue;
        }
        let j = s1 - d_len;
        if j > 0 && (is_word(at(b, j - 1)) || matches!(at(b, j - 1), b'.' | b'/' | b'-')) {
            continue;
        }
        let mark = match at(b, s2 + 1) {
            b'\'' => 1,
            0xE2 if b.get(s2 + 1..s2 + 4) == Some("’".as_bytes()) => 3,
            _ => 0,
        };
        let y0 = s2 + 1 + mark;
        let y_len = digits_from(b, y0);
        if !(y_len == 4 || y_len == 2) || is_word(at(b, y0 + y_len)) {
            continue;
        }
        let (Some(day), Some(month), Some(year)) = (
            parse::<u32>(text, j, s1),
            b.get(m0..s2).and_then(roman_month),
            text.get(y0..y0 + y_len).and_then(expand_year),
        ) else {
            continue;
        };
        if !(1..=31).contains(&day) {
            continue;
        }
        out.push((
            j,
            y0 + y_len,
            FoundDate {
                year: Some(year),
                month,
                day: Some(day),
            },
        ));
        i = y0 + y_len;
    }
    out
}

/// Weekday abbreviations, lower case, without a dot: before a short date ("ma 4/3", "vr
/// 12-5") they make it one, as the full names (`rules::WEEKDAYS_NL`) do.
const WEEKDAY_ABBREVIATIONS: [&str; 14] = [
    "ma", "di", "wo", "do", "vr", "za", "zo", "maa", "din", "woe", "don", "vrij", "zat", "zon",
];

/// Words after which a short date is a date: "op 4/3", "d.d. 12/5", "vanaf 1/9", "t/m 30/6".
const SHORT_DATE_LEADS: [&str; 16] = [
    "op",
    "d.d.",
    "dd",
    "per",
    "vanaf",
    "sinds",
    "t/m",
    "tot",
    "datum",
    "datum:",
    "na",
    "voor",
    "vóór",
    "rond",
    "omstreeks",
    "uiterlijk",
];

/// Words after a day and month that show the two numbers are a fraction or a score, not a
/// date: "op 2/3 van de dagen", "3/4 deel".
const FRACTION_AFTER: [&str; 17] = [
    "van", "deel", "keer", "dagen", "weken", "uur", "punten", "procent", "%", "momenten",
    "minuten", "maanden", "jaar", "personen", "mensen", "kinderen", "stuks",
];

/// Day and month in figures without a year ("4/3", "12-05", "1/9 2023" with its year after a
/// space), where the context says it is a date: a weekday before it ("ma 4/3"), a word that
/// leads a date ("op 4/3", "d.d. 12/5"), or the start of a report line with a time or a colon
/// after it ("4/3 14:30", "12-5: ..."). Two small numbers with a slash are as often a fraction
/// or a score ("2/3 van de dagen", "score 3/5"), so without such context they are left.
fn short_numeric_dates(text: &str) -> Vec<DateSpan> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // (Most bytes are no digits: find the next one in a tight loop.)
        match b
            .get(i..)
            .and_then(|r| r.iter().position(u8::is_ascii_digit))
        {
            Some(p) => i += p,
            None => break,
        }
        // A run of one or two digits, not after a digit, a separator or a decimal point.
        if !at(b, i).is_ascii_digit()
            || (i > 0
                && (is_word(at(b, i - 1))
                    || matches!(at(b, i - 1), b'.' | b'/' | b'-' | b',' | b':')))
        {
            i += 1;
            continue;
        }
        let d_len = digits_from(b, i);
        let s1 = i + d_len;
        i = s1;
        let sep = at(b, s1);
        if d_len > 2 || !matches!(sep, b'/' | b'-' | b'.') {
            continue;
        }
        let m_len = digits_from(b, s1 + 1);
        let m_end = s1 + 1 + m_len;
        // Not a full date (those have a year after a second separator) and no longer number.
        if !(1..=2).contains(&m_len)
            || (matches!(at(b, m_end), b'/' | b'-' | b'.' | b',')
                && at(b, m_end + 1).is_ascii_digit())
            || is_word(at(b, m_end))
        {
            continue;
        }
        let start = s1 - d_len;
        let (Some(day), Some(month)) = (
            parse::<u32>(text, start, s1),
            parse::<u32>(text, s1 + 1, m_end),
        ) else {
            continue;
        };
        if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
            continue;
        }
        // A year after a space: "1/9 2023".
        let y0 = spaces_end(text, m_end);
        let year =
            (y0 > m_end && y0 == m_end + 1 && digits_from(b, y0) == 4 && !is_word(at(b, y0 + 4)))
                .then(|| parse::<i32>(text, y0, y0 + 4))
                .flatten()
                .filter(|y| (1900..=2100).contains(y));
        // "24/7" is round the clock ("(24/7 bereikbaar)"), not the 24th of July.
        if year.is_none() && sep == b'/' && (day, month) == (24, 7) {
            continue;
        }
        let end = if year.is_some() { y0 + 4 } else { m_end };
        let (before, after) = (
            text.get(..start).unwrap_or(""),
            text.get(end..).unwrap_or(""),
        );
        if year.is_none()
            && !short_date_context(
                before,
                after,
                sep,
                (day, d_len),
                (m_len, at(b, s1 + 1) == b'0'),
            )
        {
            continue;
        }
        out.push((
            start,
            end,
            FoundDate {
                year,
                month,
                day: Some(day),
            },
        ));
        i = end;
    }
    out
}

/// Whether the text around a day and month without a year (`before` up to it, `after` from
/// its end) makes it a date; see [`short_numeric_dates`].
fn short_date_context(
    before: &str,
    after: &str,
    sep: u8,
    (day_n, day_digits): (u32, usize),
    (month_digits, month_padded): (usize, bool),
) -> bool {
    let line_before = before.rsplit('\n').next().unwrap_or("");
    let prev_word = line_before
        .trim_end_matches([' ', '\t'])
        .rsplit([' ', '\t', '('])
        .next()
        .unwrap_or("");
    // Only spaces (after "(") may separate the lead word from the date.
    if line_before.ends_with(|c: char| !c.is_whitespace() && c != '(') {
        return false;
    }
    let prev = prev_word.to_lowercase();
    let next_word = after
        .trim_start_matches([' ', '\t'])
        .split([' ', '\t', '\n'])
        .next()
        .unwrap_or("")
        .trim_end_matches([',', ';', '.', ')'])
        .to_lowercase();
    if FRACTION_AFTER.contains(&next_word.as_str()) || after.starts_with('%') {
        return false;
    }
    let day = prev.trim_end_matches(['.', ',']);
    let weekday = WEEKDAY_ABBREVIATIONS.contains(&day) || crate::rules::WEEKDAYS_NL.contains(&day);
    let rest = after.trim_start_matches([' ', '\t']);
    if sep == b'.' {
        // With dots only after a weekday, and with a time, an arrow, "t/m", a column gap or
        // the line's end after it ("vr 29.03 -> za 30.03", "ma 04.03 22:40"): "ma 09.05" alone
        // is a time.
        return weekday
            && day_digits == 2
            && month_digits == 2
            && (starts_with_clock_time(rest)
                || rest.starts_with("->")
                || rest.starts_with("t/m")
                || after.starts_with("  ")
                || after.starts_with('\t')
                || after.starts_with('\n')
                || after.is_empty());
    }
    if weekday {
        return true;
    }
    // A month written with its zero ("24-06", "08-07"): counts and ranges are not so written.
    if month_padded && month_digits == 2 {
        return true;
    }
    // The second of two dates: "op 3/7 en 11/7".
    if matches!(prev.as_str(), "en" | "of") {
        let head = line_before.trim_end_matches([' ', '\t']);
        let head = head
            .get(..head.len().saturating_sub(prev.len()))
            .unwrap_or("");
        let last = head
            .trim_end()
            .rsplit([' ', '\t', '('])
            .next()
            .unwrap_or("");
        let (d, m) = last.split_once(char::from(sep)).unwrap_or(("", ""));
        if (1..=2).contains(&d.len())
            && (1..=2).contains(&m.len())
            && d.bytes().chain(m.bytes()).all(|c| c.is_ascii_digit())
        {
            return true;
        }
    }
    // "op 4/3", "d.d. 12-5": with a dash only when a lead word asks for a date, and not a
    // range of counts ("op 2-3 dagen" is kept by the word after it).
    if SHORT_DATE_LEADS.contains(&prev.as_str()) {
        let lower_word_after = after
            .trim_start_matches([' ', '\t'])
            .starts_with(|c: char| c.is_lowercase());
        // (A month of two digits, "29-04", "3-11", is written as a date, not as a count.)
        return sep == b'/' || !lower_word_after || month_digits == 2;
    }
    // The first date of a range whose second has its year: "16-02 t/m 15-03-2024".
    if let Some(r) = rest
        .strip_prefix("t/m ")
        .or_else(|| rest.strip_prefix("tot "))
        .or_else(|| rest.strip_prefix("- "))
    {
        let r = r.trim_start_matches(' ');
        let digits = r.bytes().take_while(u8::is_ascii_digit).count();
        let tail = r.get(digits..).unwrap_or("");
        if (1..=2).contains(&digits)
            && tail.starts_with(char::from(sep))
            && tail.get(1..).is_some_and(|t| {
                t.split(char::from(sep))
                    .nth(1)
                    .is_some_and(|y| y.starts_with(|c: char| c.is_ascii_digit()))
            })
        {
            return true;
        }
    }
    // Written as a date, not a count, a fraction or a score ("08-11", "16/11": a day above
    // twelve, or a month of two digits after a dash or a day of two: "8/10" is a score), and
    // alone in brackets ("(12-10)") or as the last item of a line after a dash ("A4 voor
    // invallers – mieke – 19-12").
    let date_like = day_n > 12 || (month_digits == 2 && (sep == b'-' || day_digits == 2));
    let alone_in_brackets = line_before.ends_with('(') && after.starts_with(')');
    let last_after_dash = (line_before.ends_with("– ") || line_before.ends_with(" - "))
        && (after.is_empty() || after.starts_with('\n'));
    if date_like && (alone_in_brackets || last_after_dash) {
        return true;
    }
    // A report line that starts with the date: "4/3 14:30 ...", "12-5: ...", "4/3 - ...".
    let at_line_start = line_before
        .trim_start_matches([' ', '\t', '-', '*', '•'])
        .is_empty();
    let time_after = starts_with_clock_time(rest);
    at_line_start
        && (after.starts_with(':')
            || rest.starts_with("- ")
            || rest.starts_with("– ")
            || after.starts_with('\t')
            || time_after)
}

/// Whether `rest` starts with a clock time as its first word: "14:30", "7.45u", "22.10,".
fn starts_with_clock_time(rest: &str) -> bool {
    rest.split([' ', '\t', '\n']).next().is_some_and(|w| {
        let w = w.trim_end_matches(['u', ',']);
        let (h, m) = w.split_once([':', '.']).unwrap_or(("", ""));
        (1..=2).contains(&h.len())
            && m.len() == 2
            && h.bytes().chain(m.bytes()).all(|c| c.is_ascii_digit())
    })
}

/// Dates whose year is written with an apostrophe for the century: "3-4-'92", "12/11/’21"
/// (the numeric pattern wants the year's digits right after the separator).
fn apostrophe_year_dates(text: &str) -> Vec<DateSpan> {
    let b = text.as_bytes();
    let sep = |c: u8| matches!(c, b'-' | b'/' | b'.');
    // The length of the run of digits that ends right before `end`.
    let digits_before = |end: usize| {
        b.get(..end).map_or(0, |h| {
            h.iter().rev().take_while(|c| c.is_ascii_digit()).count()
        })
    };
    let mut out = Vec::new();
    // ("’" is E2 80 99 in UTF-8; a byte search finds both marks at memchr speed.)
    for q in memchr::memchr2_iter(b'\'', 0xE2, b) {
        let mark_len = if at(b, q) == b'\'' {
            1
        } else if b.get(q..q + 3) == Some("’".as_bytes()) {
            3
        } else {
            continue;
        };
        // The cheapest test first: most apostrophes follow a letter.
        if !q.checked_sub(1).is_some_and(|s| sep(at(b, s))) {
            continue;
        }
        let y0 = q + mark_len;
        if digits_from(b, y0) != 2 {
            continue;
        }
        let y_end = y0 + 2;
        let Some(s2) = q.checked_sub(1).filter(|&s2| sep(at(b, s2))) else {
            continue;
        };
        let m_len = digits_before(s2);
        let Some(s1) = s2.checked_sub(m_len + 1) else {
            continue;
        };
        let d_len = digits_before(s1);
        if !(1..=2).contains(&m_len) || at(b, s1) != at(b, s2) || !(1..=2).contains(&d_len) {
            continue;
        }
        let j = s1 - d_len;
        if j > 0 && matches!(at(b, j - 1), b'0'..=b'9' | b'.' | b'/' | b'-') {
            continue;
        }
        let (Some(day), Some(month), Some(year)) = (
            parse::<u32>(text, j, s1),
            parse::<u32>(text, s1 + 1, s2),
            text.get(y0..y_end).and_then(expand_year),
        ) else {
            continue;
        };
        if (1..=31).contains(&day) && (1..=12).contains(&month) {
            let found = FoundDate {
                year: Some(year),
                month,
                day: Some(day),
            };
            out.push((j, y_end, found));
        }
    }
    out
}

/// The regex reference of [`find_dates`]: used for texts the fast scanner does not handle
/// (non-ASCII digits, the Kelvin sign, the long s) and by the tests as the specification.
fn find_dates_regex(text: &str) -> Vec<DateSpan> {
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
    let textual = re_with(&TEXTUAL, || {
        format!(
            r"(?i)(?-u:\b)(\d{{1,2}})(?:e|ste|de)?\s+({MONTHS})(?-u:\b)\.?(?:\s*,?\s+((?:\d{{4}}|['’]\d{{2}}))(?-u:\b))?"
        )
    });
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
    let month_year = re_with(&MONTH_YEAR, || {
        format!(r"(?i)(?-u:\b)({MONTHS})(?-u:\b)\.?\s+((?:\d{{4}})|['’]\d{{2}})(?-u:\b)")
    });
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
    with_apostrophe_years(text, out)
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

const IBAN_RE: &str = r"(?-u:\b)[A-Z]{2}\d{2}[ ]?[A-Z0-9]{4}(?:[ ]?[A-Z0-9]{2,4}){2,7}(?-u:\b)";

// Phone numbers: Dutch national (10 digits from a 0), international (+31 / 0031, other country
// codes), with spaces, dashes, dots and "(0)" or "(030)" in any place.
// (An en dash separates the area code too: "0224 – 21 47 66".) A national number of nine
// digits is a digit short, but written like one and after a phone word it is one all the same
// ("tel. 072-57 64 10", "bel 06-1234567"): `phone_push` asks for that word.
const PHONE_RE: &str = r"(?:\+|(?-u:\b)00)\d{2}[\s.-]{0,3}(?:\(0\)[\s.-]{0,3})?\d(?:[\s.()\-–]{0,3}\d){7,10}|(?:\(0\d{1,3}\)|(?-u:\b)0\d)(?:[ .()\-–]{0,3}\d){7,8}";

/// The regex reference of [`find`]: used for texts the fast scanners do not handle and by the
/// tests as the specification.
fn find_regex(text: &str, lex: &Lexicon, out: &mut Vec<Cand>) -> Vec<DateSpan> {
    static IBAN: OnceLock<Regex> = OnceLock::new();
    static BSN: OnceLock<Regex> = OnceLock::new();
    static PHONE: OnceLock<Regex> = OnceLock::new();
    static POSTCODE: OnceLock<Regex> = OnceLock::new();
    static CODE: OnceLock<Regex> = OnceLock::new();

    let all = [(0, text.len())];
    email(text, &all, out);
    url(text, lex, &all, out);
    handles(text, out);
    apartments(text, out);
    licence_plates(text, out);

    for m in re(&IBAN, IBAN_RE).find_iter(text) {
        iban_push(text, m.start(), m.end(), out);
    }

    let bsn = re(
        &BSN,
        r"(?-u:\b)(?:\d{9}|\d{8}|\d{3}[. ]\d{3}[. ]\d{3}|\d{4}[. ]\d{2}[. ]\d{3}|\d{2}[. ]\d{2}[. ]\d{2}[. ]\d{3})(?-u:\b)",
    );
    for m in bsn.find_iter(text) {
        bsn_push(text, m.start(), m.end(), out);
    }

    for m in re(&PHONE, PHONE_RE).find_iter(text) {
        phone_push(text, m.start(), m.end(), out);
    }

    let postcode = re(
        &POSTCODE,
        r"(?-u:\b)[1-9]\d{3}[ ]?(?:[A-RT-Z][A-Z]|S[BCE-RT-Z])(?-u:\b)",
    );
    for m in postcode.find_iter(text) {
        postcode_push(m.start(), m.end(), out);
    }

    let dates = find_dates_regex(text);
    date_cands(text, &dates, out);

    // Codes with digits: client and dossier numbers, CIZ/CCE references, MIC numbers, court
    // case numbers. Labelled numbers are IDs; unlabelled digit runs of 6+ are too (a dossier
    // keeps few innocent long numbers, and a missed number is a leak).
    let code = re(
        &CODE,
        r"(?-u:\b)(?:[A-Za-z]{1,6}[/-])?(?:[A-Za-z]{0,5}\d[\dA-Za-z]*)(?:[./-][A-Za-z]{0,4}\d[\dA-Za-z]*)*(?:\s*/\s*[A-Z]{2}\s?[A-Z]{2}\s?\d{2}-\d{3,6})?",
    );
    let id_labels = OnceCell::new();
    for m in code.find_iter(text) {
        code_push(text, m.start(), m.end(), lex, &id_labels, out);
    }
    labelled_values(text, lex, out);
    dates
}

/// The value after an identifier's label, written with capitals and spaces as well as digits
/// ("Cliëntnummer: ESR 0077 1423", "Meldnummer: 2023-ESR-1187", "V-nummer: 2611 4487 09"):
/// the label says what it is, so the whole value is one identifier. The value ends at the
/// line's end, a wide gap (the next column), or a comma, semicolon or bracket.
fn labelled_values(text: &str, lex: &Lexicon, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    // A label ends at a colon, or at a table's column line ("│ Cliëntnummer │ ESR 0077 │";
    // "│" is U+2502, three bytes from 0xE2).
    for colon in memchr::memchr3_iter(b':', b'|', 0xE2, b) {
        let sep_len = match at(b, colon) {
            b':' | b'|' => 1,
            _ if text.get(colon..).is_some_and(|r| r.starts_with('│')) => '│'.len_utf8(),
            _ => continue,
        };
        let line_start = b
            .get(..colon)
            .and_then(|h| memchr::memrchr(b'\n', h))
            .map_or(0, |p| p + 1);
        let Some(label) = text.get(line_start..colon) else {
            continue;
        };
        // The label of the last column before the colon. (Most colons follow no letter:
        // times, or a label's value with a colon in it.)
        let label = label.trim_end();
        if !label.ends_with(|c: char| c.is_alphabetic() || c == '.') {
            continue;
        }
        let label = label
            .rsplit_once('\t')
            .map_or(label, |(_, l)| l)
            .rsplit_once("  ")
            .map_or(label, |(_, l)| l)
            .rsplit_once(['|', '│'])
            .map_or(label, |(_, l)| l)
            .trim();
        if label.is_empty() || label.len() > 40 {
            continue;
        }
        let low = label.to_lowercase();
        // A word may say whose number it is: "V-nummer betrokkene:", "BSN cliënt:".
        // (With or without the dot of an abbreviation: "Registratienr.:", "Dossiernr. C.O.T.:".)
        let is_id = |l: &str| {
            matches!(lex.labels.get(l), Some(LabelKind::Id))
                || l.strip_suffix('.')
                    .is_some_and(|l| matches!(lex.labels.get(l), Some(LabelKind::Id)))
        };
        if !is_id(&low) && !low.rsplit_once(' ').is_some_and(|(l, _)| is_id(l)) {
            continue;
        }
        let s = spaces_end(text, colon + sep_len);
        let rest = text.get(s..).unwrap_or("");
        let mut e = s;
        for (k, c) in rest.char_indices() {
            let gap = rest.get(k..).is_some_and(|r| r.starts_with("  "));
            if matches!(c, '\n' | '\t' | ',' | ';' | '(' | ')' | '|' | '│') || gap {
                break;
            }
            e = s + k + c.len_utf8();
        }
        let Some(value) = text.get(s..e) else {
            continue;
        };
        let value = value.trim_end().trim_end_matches('.');
        let e = s + value.len();
        let digits = value.bytes().filter(u8::is_ascii_digit).count();
        let shape = value.len() <= 32
            && value
                .bytes()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            && value
                .bytes()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || b" ./-".contains(&c));
        if shape && digits >= 3 {
            // Looked for in the whole case: the number recurs without its label.
            out.push(Cand::new(s, e, Category::Id, 69, "id-labelled").anchored());
        }
    }
}

/// E-mail addresses in the `regions` of `text`.
fn email(text: &str, regions: &[(usize, usize)], out: &mut Vec<Cand>) {
    static EMAIL: OnceLock<Regex> = OnceLock::new();
    let email = re(
        &EMAIL,
        r"[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+",
    );
    for &(rs, re_end) in regions {
        let Some(hay) = text.get(rs..re_end) else {
            continue;
        };
        for m in email.find_iter(hay) {
            out.push(Cand::new(
                rs + m.start(),
                rs + m.end(),
                Category::Email,
                90,
                "email",
            ));
        }
    }
}

/// Handles on social media ("Instagram @sterrenkijker_07", "(@joke.wind)"): an "@" at the
/// start of a word, then 2 to 30 letters, digits, "_" or "." with a letter among them, and no
/// "@" or domain after (those are e-mail addresses, found by [`email`]). A handle points to
/// one person as an e-mail address does, so it is an identifier (ID).
fn handles(text: &str, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    for (i, _) in text.match_indices('@') {
        let word_start = i
            .checked_sub(1)
            .is_none_or(|p| is_space(at(b, p)) || matches!(at(b, p), b'(' | b'[' | b'"' | b'\''));
        if !word_start {
            continue;
        }
        let run = b.get(i + 1..).map_or(0, |t| {
            t.iter()
                .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
                .count()
        });
        // A dot at the end is the sentence's.
        let mut e = i + 1 + run;
        while e > i + 1 && at(b, e - 1) == b'.' {
            e -= 1;
        }
        let Some(name) = text.get(i + 1..e) else {
            continue;
        };
        let after = at(b, e);
        let domain = [".nl", ".com", ".org", ".net", ".eu", ".be", ".info"]
            .iter()
            .any(|tld| name.ends_with(tld));
        if !(2..=30).contains(&name.len())
            || !name.bytes().any(|c| c.is_ascii_alphabetic())
            || domain
            || after == b'@'
            || after == b'-'
            || after >= 0x80
        {
            continue;
        }
        // "@Dien", "@Twan Spijker": in a group chat a capitalised word after "@" mentions a
        // member by name. The name rules and the case's names decide whose; the mention
        // itself is a name, found with less weight than they have.
        let mention = name.len() >= 2
            && name.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
            && name.bytes().skip(1).all(|c| c.is_ascii_lowercase());
        if mention {
            out.push(Cand::new(i + 1, e, Category::Naam, 30, "chat-mention"));
            continue;
        }
        out.push(Cand::new(i, e, Category::Id, 88, "handle"));
    }
}

/// The number of an apartment, part of an address: "app. 12", "appartement 4b", "apt. 7".
/// Dutch licence plates ("54-KTZ-9", "VZ-418-K", "12-AB-34"): three groups joined by dashes,
/// six characters in all, each group all capitals or all digits, with both kinds among them
/// (a date has no letters, a code no such shape). A plate points to its owner.
fn licence_plates(text: &str, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    // The group of capitals or digits that ends right before `end`: its start.
    let group_before = |end: usize| {
        let h = b.get(..end).unwrap_or_default();
        let upper = h
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        let digits = h.iter().rev().take_while(|c| c.is_ascii_digit()).count();
        end - upper.max(digits)
    };
    let group_after = |start: usize| {
        let upper = count_from(b, start, u8::is_ascii_uppercase);
        let digits = count_from(b, start, u8::is_ascii_digit);
        start + upper.max(digits)
    };
    let mut last_end = 0;
    for d1 in memchr::memchr_iter(b'-', b) {
        if d1 < last_end {
            continue;
        }
        let s = group_before(d1);
        let m_end = group_after(d1 + 1);
        if s == d1 || m_end == d1 + 1 || at(b, m_end) != b'-' {
            continue;
        }
        let e = group_after(m_end + 1);
        let lens = (d1 - s, m_end - d1 - 1, e - m_end - 1);
        let edge = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'/' | b'.');
        let letters = [(s, d1), (d1 + 1, m_end), (m_end + 1, e)]
            .iter()
            .filter(|(x, _)| at(b, *x).is_ascii_uppercase())
            .count();
        if lens.0 + lens.1 + lens.2 == 6
            && [lens.0, lens.1, lens.2].iter().all(|l| (1..=3).contains(l))
            && (1..=2).contains(&letters)
            && !(s > 0 && edge(at(b, s - 1)))
            && !edge(at(b, e))
        {
            out.push(Cand::new(s, e, Category::Id, 70, "licence-plate"));
            last_end = e;
        }
    }
}

fn apartments(text: &str, out: &mut Vec<Cand>) {
    static APARTMENT: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &APARTMENT,
        r"(?i)(?-u:\b)(?:app\.|appartement|apt\.) ?[0-9]{1,4}[a-z]?(?-u:\b)",
    );
    for m in r.find_iter(text) {
        out.push(Cand::new(
            m.start(),
            m.end(),
            Category::Adres,
            62,
            "apartment",
        ));
    }
}

/// URLs in the `regions` of `text`.
fn url(text: &str, lex: &Lexicon, regions: &[(usize, usize)], out: &mut Vec<Cand>) {
    static URL: OnceLock<Regex> = OnceLock::new();
    let url = re(
        &URL,
        r"(?i)(?-u:\b)(?:https?://|www\.)[^\s<>()\[\]{}]+|(?-u:\b)[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|com|org|net|eu|be|info)/[^\s<>()\[\]{}]*",
    );
    for (rs, m) in regions.iter().flat_map(|&(rs, re_end)| {
        text.get(rs..re_end)
            .into_iter()
            .flat_map(move |hay| url.find_iter(hay).map(move |m| (rs, m)))
    }) {
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
            rs + m.start(),
            rs + m.start() + s.len(),
            Category::Url,
            90,
            "url",
        ));
    }
}

/// An IBAN-shaped match `s..e`: a candidate if the checksum holds.
fn iban_push(text: &str, s: usize, e: usize, out: &mut Vec<Cand>) {
    let Some(m) = text.get(s..e) else {
        return;
    };
    let compact: String = m.chars().filter(|c| !c.is_whitespace()).collect();
    if iban_valid(&compact) {
        out.push(Cand::new(s, e, Category::Iban, 85, "iban-mod97"));
    }
}

/// A BSN-shaped match `s..e`: a candidate if labelled or if the elfproef holds.
fn bsn_push(text: &str, s: usize, e: usize, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let Some(m) = text.get(s..e) else {
        return;
    };
    if matches!(at(b, e), b'-' | b'/')
        || (s > 0 && matches!(at(b, s - 1), b'-' | b'/' | b'.' | b'+'))
    {
        return;
    }
    let labelled = label_before(text, s, &["bsn", "burgerservicenummer", "sofinummer"]);
    let n_digits = m.bytes().filter(u8::is_ascii_digit).count();
    if (bsn_valid(m) && n_digits == 9) || labelled {
        let rule = if labelled {
            "bsn-label"
        } else {
            "bsn-elfproef"
        };
        out.push(Cand::new(s, e, Category::Bsn, 80, rule));
    }
}

/// A phone-shaped match `s..e`: a candidate if it is not part of a longer number.
fn phone_push(text: &str, s: usize, e: usize, out: &mut Vec<Cand>) {
    let Some(m) = text.get(s..e) else {
        return;
    };
    if at(text.as_bytes(), e).is_ascii_digit() {
        return;
    }
    // Not the tail of a date or another number ("20/03/2024 14.50", "12-06 12 34").
    let mut before = text.get(..s).unwrap_or_default().chars().rev();
    let (b1, b2) = (before.next(), before.next());
    if b1.is_some_and(|c| c.is_ascii_digit())
        || (b1.is_some_and(|c| matches!(c, '/' | '-' | '.'))
            && b2.is_some_and(|c| c.is_ascii_digit()))
    {
        return;
    }
    // A date and a time are no phone number ("01-02-2023 14:30" has ten digits).
    if starts_with_date(m) {
        return;
    }
    let digits = m.bytes().filter(u8::is_ascii_digit).count();
    let ok = if m.starts_with('+') || m.starts_with("00") {
        digits >= 10
    } else {
        digits == 10 || (digits == 9 && phone_word_before(text, s))
    };
    // A run of groups separated by " / " is a list of numbers, not one.
    if ok && !m.contains(" / ") {
        out.push(Cand::new(s, e, Category::Telefoon, 82, "phone"));
    }
}

/// Whether `m` starts with a day, a month and a four-digit year ("01-02-2023", "1.2.2023").
fn starts_with_date(m: &str) -> bool {
    let b = m.as_bytes();
    let num = |i: usize| {
        let n = digits_from(b, i);
        let v = b
            .get(i..i + n)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| d.parse::<u32>().ok());
        (n, v.unwrap_or(0))
    };
    let (n1, day) = num(0);
    if !(1..=2).contains(&n1) || !(1..=31).contains(&day) {
        return false;
    }
    let sep = at(b, n1);
    if !matches!(sep, b'-' | b'/' | b'.') {
        return false;
    }
    let (n2, month) = num(n1 + 1);
    if !(1..=2).contains(&n2) || !(1..=12).contains(&month) || at(b, n1 + 1 + n2) != sep {
        return false;
    }
    digits_from(b, n1 + n2 + 2) == 4
}

/// Whether a word that announces a phone number ("tel.", "mobiel", "bel", "T") stands among
/// the last five words before `s` on its line ("bel de huisarts via 072-57 64 10").
fn phone_word_before(text: &str, s: usize) -> bool {
    const WORDS: &[&str] = &[
        "tel",
        "telefoon",
        "telefoonnummer",
        "telefoonnr",
        "telnr",
        "telefonisch",
        "mobiel",
        "mobielnummer",
        "mob",
        "gsm",
        "bel",
        "belt",
        "bellen",
        "gebeld",
        "belde",
        "terugbellen",
        "bereikbaar",
        "whatsapp",
        "sms",
        "fax",
        "t",
        "m",
        "phone",
        "mobile",
    ];
    let Some(from) = window_start(text, s, 40) else {
        return false;
    };
    let window = text.get(from..s).unwrap_or_default().to_lowercase();
    // Each word with what separates it from the next.
    let mut words: Vec<(&str, &str)> = Vec::new();
    let mut rest = window.as_str();
    while let Some(tail) = rest.find(char::is_alphabetic).and_then(|k| rest.get(k..)) {
        let we = tail
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(tail.len());
        let (word, after) = tail.split_at_checked(we).unwrap_or((tail, ""));
        let se = after.find(char::is_alphabetic).unwrap_or(after.len());
        let (sep, next) = after.split_at_checked(se).unwrap_or((after, ""));
        words.push((word, sep));
        rest = next;
    }
    // Back to the end of the sentence before ("gebeld. Dossier 012345678"); the dot right
    // after the phone word is its abbreviation's ("tel. 072").
    for (k, (word, sep)) in words.iter().rev().take(5).enumerate() {
        if k > 0 && sep.contains(['.', '!', '?']) {
            return false;
        }
        if WORDS.contains(word) {
            return true;
        }
    }
    false
}

fn postcode_push(s: usize, e: usize, out: &mut Vec<Cand>) {
    out.push(Cand::new(s, e, Category::Postcode, 70, "postcode"));
}

/// The candidates of the dates: dates of birth after a birth label, else generalised dates.
fn date_cands(text: &str, dates: &[DateSpan], out: &mut Vec<Cand>) {
    for &(s, e, d) in dates {
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
}

/// Two years joined by a dash or a slash, the first not after the second ("2001-2019",
/// "2019/2020"): a period of a care history or a school year, not an identifier.
fn is_year_range(m: &str) -> bool {
    let year = |y: &str| {
        y.len() == 4
            && y.bytes().all(|b| b.is_ascii_digit())
            && y.parse::<u16>().is_ok_and(|n| (1900..=2099).contains(&n))
    };
    m.split_once(['-', '/'])
        .is_some_and(|(a, b)| year(a) && year(b) && a <= b)
}

/// Two clock times joined by a dash ("14.00-15.30", "23:00-07:00"): the hours of a meeting
/// or a shift, not an identifier.
fn is_time_range(m: &str) -> bool {
    let time = |t: &str| {
        t.split_once(['.', ':']).is_some_and(|(h, mm)| {
            (1..=2).contains(&h.len())
                && mm.len() == 2
                && h.parse::<u8>().is_ok_and(|h| h <= 24)
                && mm.parse::<u8>().is_ok_and(|mm| mm < 60)
        })
    };
    m.split_once('-').is_some_and(|(a, b)| time(a) && time(b))
}

/// A CODE match `s..e`: an ID candidate if labelled with 3+ digits, or with 6+ digits, or a
/// code with a separator and 5+ digits.
/// `id_labels`: [`id_labels`] of `lex`, made when first needed.
fn code_push<'a>(
    text: &str,
    s: usize,
    e: usize,
    lex: &'a Lexicon,
    id_labels: &OnceCell<IdLabels<'a>>,
    out: &mut Vec<Cand>,
) {
    // Letter groups (and a group of digits before letters) glued before the match with a
    // slash or a dash belong to the code, where the scanners stopped at the letters:
    // "SBB/CHA/0412", "22-ZW-06113", "2019/RS/0048213". The label stands before all of them.
    let b = text.as_bytes();
    let mut s = s;
    let starts_with_letter = at(b, s).is_ascii_alphabetic();
    for _ in 0..2 {
        let Some(sep) = s
            .checked_sub(1)
            .filter(|&p| matches!(at(b, p), b'/' | b'-'))
        else {
            break;
        };
        let group = |pred: fn(&u8) -> bool, max: usize| {
            b.get(..sep).map_or(0, |h| {
                h.iter().rev().take_while(|c| pred(c)).take(max + 1).count()
            })
        };
        let letters = group(u8::is_ascii_alphabetic, 6);
        let digits = group(u8::is_ascii_digit, 4);
        let k = if (1..=6).contains(&letters) {
            letters
        } else if (1..=4).contains(&digits) && starts_with_letter {
            digits
        } else {
            break;
        };
        if !boundary_before(b, sep - k) {
            break;
        }
        s = sep - k;
    }
    let Some(m) = text.get(s..e) else {
        return;
    };
    // Digits, separators and letters of the match in one pass over its bytes.
    let (mut digits, mut sep, mut alpha) = (0usize, false, false);
    for c in m.bytes() {
        digits += usize::from(c.is_ascii_digit());
        sep |= c == b'/' || c == b'-';
        alpha |= c.is_ascii_alphabetic();
    }
    // A number in groups of two after its label ("AGB-code 73 05 12 84") starts with a group
    // of too few digits: its label is asked for when another group of digits follows.
    let grouped = || at(b, e) == b' ' && at(b, e + 1).is_ascii_digit();
    if digits < 3 && !grouped() {
        // Too few digits whatever the label says.
        return;
    }
    let labelled = id_label_before(text, s, id_labels.get_or_init(|| self::id_labels(lex)));
    if digits < 3 && !labelled {
        return;
    }
    // An amount of money is no identifier: "€ 136.708,32", "136.708,32 euro".
    let amount = || {
        text.get(..s)
            .is_some_and(|h| h.trim_end_matches([' ', '\u{a0}']).ends_with('€'))
            || (at(b, e) == b',' && digits_from(b, e + 1) == 2 && !is_word(at(b, e + 3)))
    };
    if !labelled && (is_year_range(m) || is_time_range(m) || amount()) {
        return;
    }
    let has_sep_code = sep && alpha;
    // After its label a number may go on in groups of capitals and digits, one space apart:
    // "zaaknummer 6048712 BM VERZ 17-1402". (Not a known term: "AGB-code 01-234567 CIZ".)
    let mut e = e;
    if labelled {
        for _ in 0..4 {
            if at(b, e) != b' ' {
                break;
            }
            let len = b.get(e + 1..).map_or(0, |r| {
                r.iter()
                    .take_while(|c| {
                        c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, b'-' | b'/')
                    })
                    .count()
            });
            let Some(group) = text.get(e + 1..e + 1 + len) else {
                break;
            };
            let ends_word = !is_word(at(b, e + 1 + len)) && at(b, e + 1 + len) < 0x80;
            let digits_in = group.bytes().any(|c| c.is_ascii_digit());
            let letters_only = group.bytes().all(|c| c.is_ascii_uppercase());
            let ok = ends_word
                && group.starts_with(|c: char| c.is_ascii_alphanumeric())
                && (digits_in || (letters_only && (2..=6).contains(&len)))
                && !lex.is_domain(&group.to_ascii_lowercase());
            if !ok {
                break;
            }
            digits += group.bytes().filter(u8::is_ascii_digit).count();
            e += 1 + len;
        }
    }
    if (labelled && digits >= 3) || digits >= 6 || (has_sep_code && digits >= 5) {
        let c = Cand::new(s, e, Category::Id, if labelled { 68 } else { 40 }, "id");
        // A labelled number of five digits or more is looked for in the whole case, where it
        // comes back without its label ("personeelsnummer 20417" ... "dossier 20417").
        out.push(if labelled && digits >= 5 {
            c.anchored()
        } else {
            c
        });
    }
}

/// Shape-based identifiers of one document. Returns the dates it found, with their spans, for
/// the case facts (so that they are looked for once).
#[inline(never)]
pub fn find(text: &str, lex: &Lexicon, out: &mut Vec<Cand>) -> Vec<DateSpan> {
    let Some(runs) = digit_runs(text) else {
        return find_regex(text, lex, out);
    };
    let b = text.as_bytes();

    // E-mail addresses and URLs contain no whitespace and need "@", respectively "://",
    // "www." or ".nl/" and the like: look only in the words around those.
    let at_signs = text.match_indices('@').map(|(i, _)| i);
    email(text, &words_around(b, at_signs), out);
    url(text, lex, &words_around(b, url_hints(text)), out);
    handles(text, out);
    apartments(text, out);
    licence_plates(text, out);

    // IBAN: two capitals at a word start, then the digit run.
    let mut pos = 0;
    for &(j, e) in &runs {
        if e - j < 2 || j < 2 {
            continue;
        }
        let s = j - 2;
        if s >= pos
            && at(b, s).is_ascii_uppercase()
            && at(b, s + 1).is_ascii_uppercase()
            && boundary_before(b, s)
        {
            if let Some(end) = anchored(iban_anchored(), text, s) {
                pos = end;
                iban_push(text, s, end, out);
            }
        }
    }

    // BSN: a digit run at a word start.
    let mut pos = 0;
    for &(j, e) in &runs {
        if j >= pos && boundary_before(b, j) {
            if let Some(end) = bsn_at(b, j, e) {
                pos = end;
                bsn_push(text, j, end, out);
            }
        }
    }

    // Phone numbers start at "+", "(0" or a word-start "0" followed by a digit.
    let mut starts: Vec<usize> = text
        .match_indices('+')
        .map(|(i, _)| i)
        .filter(|&i| at(b, i + 1).is_ascii_digit() && at(b, i + 2).is_ascii_digit())
        .collect();
    starts.extend(
        text.match_indices('(')
            .map(|(i, _)| i)
            .filter(|&i| at(b, i + 1) == b'0' && at(b, i + 2).is_ascii_digit()),
    );
    starts.extend(
        runs.iter()
            .filter(|&&(j, e)| e - j >= 2 && at(b, j) == b'0' && boundary_before(b, j))
            .map(|&(j, _)| j),
    );
    starts.sort_unstable();
    let mut pos = 0;
    for s in starts {
        if s >= pos {
            if let Some(end) = anchored(phone_anchored(), text, s) {
                pos = end;
                phone_push(text, s, end, out);
            }
        }
    }

    // Postcode: [1-9]\d{3}[ ]?(?:[A-RT-Z][A-Z]|S[BCE-RT-Z]) between word boundaries.
    for &(j, e) in &runs {
        if e - j == 4 && at(b, j) != b'0' && boundary_before(b, j) {
            let letters = |i: usize| {
                let (x, y) = (at(b, i), at(b, i + 1));
                let pair = (x.is_ascii_uppercase() && x != b'S' && y.is_ascii_uppercase())
                    || (x == b'S' && y.is_ascii_uppercase() && !matches!(y, b'A' | b'D' | b'S'));
                pair && !is_word(at(b, i + 2))
            };
            let end = if at(b, e) == b' ' && letters(e + 1) {
                Some(e + 3)
            } else if letters(e) {
                Some(e + 2)
            } else {
                None
            };
            if let Some(end) = end {
                postcode_push(j, end, out);
            }
        }
    }

    let dates = dates_fast(text, &runs);
    date_cands(text, &dates, out);

    // Codes with digits: the first digit of a match starts a digit run; the match starts at
    // that run, at the letters right before it, or at a "ABC/" or "ABC-" prefix before those.
    let id_labels = OnceCell::new();
    let mut pos = 0;
    for &(r, _) in &runs {
        let ls = r - b.get(..r).map_or(0, |h| {
            h.iter()
                .rev()
                .take_while(|c| c.is_ascii_alphabetic())
                .count()
        });
        let mut cands = [None, None];
        if ls > 0 && matches!(at(b, ls - 1), b'/' | b'-') {
            let p = ls - 1;
            let ps = p - b.get(..p).map_or(0, |h| {
                h.iter()
                    .rev()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count()
            });
            if ps < p {
                cands[0] = Some(ps);
            }
        }
        cands[1] = Some(ls);
        for s in cands.into_iter().flatten() {
            if s >= pos && boundary_before(b, s) {
                if let Some(end) = code_at(text, s) {
                    pos = end;
                    code_push(text, s, end, lex, &id_labels, out);
                    break;
                }
            }
        }
    }
    labelled_values(text, lex, out);
    dates
}

/// Positions in `b` of "://", "www." (any case) and ".nl/", ".com/", ... (any case): one of
/// them is in every match of the URL regex.
fn url_hints(text: &str) -> impl Iterator<Item = usize> + '_ {
    let b = text.as_bytes();
    let slashes = text.match_indices('/').filter_map(move |(i, _)| {
        let before = |n: usize| b.get(i.checked_sub(n)?..i);
        let tld = [".nl", ".com", ".org", ".net", ".eu", ".be", ".info"]
            .iter()
            .any(|t| before(t.len()).is_some_and(|h| h.eq_ignore_ascii_case(t.as_bytes())));
        (tld || (before(1) == Some(b":") && at(b, i + 1) == b'/')).then_some(i)
    });
    // "www." needs a "w." (any case), rare in running text: look at the dots only then.
    let www_possible = text.contains("w.") || text.contains("W.");
    let dots = text
        .match_indices('.')
        .take_while(move |_| www_possible)
        .filter_map(move |(i, _)| {
            let www = b
                .get(i.checked_sub(3)?..i)
                .is_some_and(|h| h.eq_ignore_ascii_case(b"www"));
            www.then_some(i)
        });
    slashes.chain(dots)
}

/// The words (runs without ASCII whitespace) around the positions `hits`, sorted and without
/// repeats. A regex whose matches hold no whitespace and contain one of the hits finds the
/// same matches in these words as in the whole text: the whitespace at their ends is no word
/// character either, so `(?-u:\b)` sees the same.
fn words_around(b: &[u8], hits: impl Iterator<Item = usize>) -> Vec<(usize, usize)> {
    let mut words: Vec<(usize, usize)> = hits
        .map(|i| {
            let s = b
                .get(..i)
                .and_then(|h| h.iter().rposition(|&c| is_space(c)))
                .map_or(0, |k| k + 1);
            let e = b
                .get(i..)
                .and_then(|t| t.iter().position(|&c| is_space(c)))
                .map_or(b.len(), |k| i + k);
            (s, e)
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The end of the match of `re` (an anchored `^(?:...)` regex) at `s`.
fn anchored(re: &Regex, text: &str, s: usize) -> Option<usize> {
    re.find(text.get(s..)?).map(|m| s + m.end())
}

fn iban_anchored() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re_with(&R, || {
        format!("^(?:{})", IBAN_RE.trim_start_matches("(?-u:\\b)"))
    })
}

fn phone_anchored() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re_with(&R, || format!("^(?:{PHONE_RE})"))
}

/// BSN at the digit run `j..e` (a word start): the end of the match.
fn bsn_at(b: &[u8], j: usize, e: usize) -> Option<usize> {
    let groups: &[usize] = match e - j {
        9 | 8 => return (!is_word(at(b, e))).then_some(e),
        3 => &[3, 3, 3],
        4 => &[4, 2, 3],
        2 => &[2, 2, 2, 3],
        _ => return None,
    };
    let mut p = j;
    for (k, &g) in groups.iter().enumerate() {
        if digits_from(b, p) < g {
            return None;
        }
        p += g;
        if k + 1 < groups.len() {
            if !matches!(at(b, p), b'.' | b' ') {
                return None;
            }
            p += 1;
        } else if is_word(at(b, p)) {
            return None;
        }
    }
    Some(p)
}

/// CODE at the word start `s`: the end of the match.
fn code_at(text: &str, s: usize) -> Option<usize> {
    let b = text.as_bytes();
    // [A-Za-z]{0,5}\d at `i`.
    let core = |i: usize| {
        let k = letters_from(b, i);
        k <= 5 && at(b, i + k).is_ascii_digit()
    };
    // (?:[A-Za-z]{1,6}[/-])?
    let l = letters_from(b, s);
    let core_start =
        if (1..=6).contains(&l) && matches!(at(b, s + l), b'/' | b'-') && core(s + l + 1) {
            s + l + 1
        } else if core(s) {
            s
        } else {
            return None;
        };
    // [A-Za-z]{0,5}\d[\dA-Za-z]*
    let mut p = core_start + letters_from(b, core_start) + 1;
    p += alnum_from(b, p);
    // (?:[./-][A-Za-z]{0,4}\d[\dA-Za-z]*)*
    while matches!(at(b, p), b'.' | b'/' | b'-') {
        let k = letters_from(b, p + 1);
        if k > 4 || !at(b, p + 1 + k).is_ascii_digit() {
            break;
        }
        p += 1 + k + 1;
        p += alnum_from(b, p);
    }
    // (?:\s*/\s*[A-Z]{2}\s?[A-Z]{2}\s?\d{2}-\d{3,6})?
    Some(code_tail(text, p).unwrap_or(p))
}

fn code_tail(text: &str, p: usize) -> Option<usize> {
    let b = text.as_bytes();
    let caps = |i: usize| at(b, i).is_ascii_uppercase() && at(b, i + 1).is_ascii_uppercase();
    let mut p = spaces_end(text, p);
    if at(b, p) != b'/' {
        return None;
    }
    p = spaces_end(text, p + 1);
    if !caps(p) {
        return None;
    }
    p += 2;
    p += space_len(text, p);
    if !caps(p) {
        return None;
    }
    p += 2;
    p += space_len(text, p);
    if !(at(b, p).is_ascii_digit() && at(b, p + 1).is_ascii_digit() && at(b, p + 2) == b'-') {
        return None;
    }
    p += 3;
    let n = digits_from(b, p);
    (n >= 3).then_some(p + n.min(6))
}

/// Whether one of `labels` stands shortly before `pos` on the same line ("BSN: 123...",
/// "(geb. 14-04-1955)", "geboren op 3 mei 1990").
pub fn label_before(text: &str, pos: usize, labels: &[&str]) -> bool {
    let Some(from) = window_start(text, pos, 40) else {
        return false;
    };
    let Some(raw) = text.get(from..pos) else {
        return false;
    };
    if !raw.is_ascii() {
        return label_before_unicode(raw, labels);
    }
    // ASCII window: look for the labels byte-wise, with the same non-overlapping left-to-right
    // matches as `str::match_indices` on the lower-cased window. Comparing each window byte
    // lower-cased in place gives the same matches without making the lower-cased copy: a label
    // byte that is upper-case or non-ASCII matches neither way, and `label_fits` only asks
    // case-blind questions (alphanumeric, alphabetic, length).
    let w = raw.as_bytes();
    // One pass over the window for all labels, each with its own non-overlapping matches.
    let mut firsts = [0u64; 4];
    for l in labels {
        match l.as_bytes().first() {
            Some(&c) => firsts[usize::from(c >> 6)] |= 1 << (c & 63),
            None => return labels.iter().any(|l| label_in_window(w, l)),
        }
    }
    if labels.len() > 16 {
        return labels.iter().any(|l| label_in_window(w, l));
    }
    let mut next = [0usize; 16];
    for (i, &c) in w.iter().enumerate() {
        let c = c.to_ascii_lowercase();
        if firsts[usize::from(c >> 6)] & (1 << (c & 63)) == 0 {
            continue;
        }
        for (l, next) in labels.iter().zip(next.iter_mut()) {
            let lb = l.as_bytes();
            if i >= *next && lb.first() == Some(&c) && lower_eq(w.get(i..i + lb.len()), lb) {
                if label_fits(w, i, l) {
                    return true;
                }
                *next = i + lb.len();
            }
        }
    }
    false
}

/// Whether `raw`, lower-cased (ASCII), is `lower`; `false` for `None`.
fn lower_eq(raw: Option<&[u8]>, lower: &[u8]) -> bool {
    raw.is_some_and(|r| {
        r.len() == lower.len()
            && r.iter()
                .zip(lower)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
    })
}

/// A label found at `i` of the ASCII window `w` (any case): whether it labels the value at the
/// end of the window.
fn label_fits(w: &[u8], i: usize, l: &str) -> bool {
    let before_ok = i == 0 || w.get(i - 1).is_none_or(|c| !c.is_ascii_alphanumeric());
    let rest = w.get(i + l.len()..).unwrap_or_default();
    // Only short glue between the label and the value (": ", " op ", " nr. "), or any
    // length of blanks and punctuation: a form's column gap, a dot leader, a table's line.
    let starts_with_letter = rest.first().is_some_and(u8::is_ascii_alphabetic);
    before_ok
        && (rest.len() <= 14 || !rest.iter().any(u8::is_ascii_alphanumeric))
        && (l.ends_with('.') || !starts_with_letter)
}

/// One label in the ASCII window `w` compared lower-cased, with the non-overlapping matches of
/// `str::match_indices` on the lower-cased window (every position for the empty label).
fn label_in_window(w: &[u8], l: &str) -> bool {
    let lb = l.as_bytes();
    if lb.is_empty() {
        return (0..=w.len()).any(|i| label_fits(w, i, l));
    }
    let mut i = 0;
    while i + lb.len() <= w.len() {
        if lower_eq(w.get(i..i + lb.len()), lb) {
            if label_fits(w, i, l) {
                return true;
            }
            i += lb.len();
        } else {
            i += 1;
        }
    }
    false
}

/// [`label_before`] on a window with non-ASCII text: lower-case it the Unicode way.
fn label_before_unicode(raw: &str, labels: &[&str]) -> bool {
    let window = raw.to_lowercase();
    labels.iter().any(|l| {
        window.match_indices(l).any(|(i, _)| {
            let before_ok = i == 0
                || !window
                    .get(..i)
                    .is_some_and(|s| s.ends_with(|c: char| c.is_alphanumeric()));
            let rest = window.get(i + l.len()..).unwrap_or_default();
            // Only short glue between the label and the value (see `label_fits`).
            before_ok
                && (rest.len() <= 14 || !rest.chars().any(char::is_alphanumeric))
                && !rest.starts_with(|c: char| c.is_alphabetic() && !l.ends_with('.'))
        })
    })
}

/// Start of the window of at most `max` bytes before `pos` on the same line, moved forward to
/// a character boundary; `None` when `pos` is not a character boundary of `text`.
fn window_start(text: &str, pos: usize, max: usize) -> Option<usize> {
    if !text.is_char_boundary(pos) {
        return None;
    }
    let lo = pos.saturating_sub(max);
    let bytes = text.as_bytes().get(lo..pos)?;
    let mut from = match bytes.iter().rposition(|&c| c == b'\n') {
        Some(k) => lo + k + 1,
        None => lo,
    };
    while !text.is_char_boundary(from) {
        from += 1;
    }
    Some(from)
}

/// The labels of the lexicon that mark an ID ("cliëntnummer", "ons kenmerk"), chained by last
/// byte. They are made once per document, so the chains replace a sort (and the growing of a
/// vector) that cost more than all the look-ups of a document together.
struct IdLabels<'a> {
    /// The non-empty labels, each with the index of the next one with the same last byte.
    labels: Vec<(&'a str, usize)>,
    /// For each last byte, the index of its first label (`usize::MAX`: none).
    heads: [usize; 256],
    /// Whether the empty string is one of them.
    empty: bool,
}

impl<'a> IdLabels<'a> {
    /// The labels whose last byte is `last`.
    fn ending_in(&self, last: u8) -> impl Iterator<Item = &'a str> + '_ {
        let mut i = self.heads[usize::from(last)];
        std::iter::from_fn(move || {
            let &(label, next) = self.labels.get(i)?;
            i = next;
            Some(label)
        })
    }
}

fn id_labels(lex: &Lexicon) -> IdLabels<'_> {
    let mut labels = Vec::with_capacity(lex.labels.len());
    let mut heads = [usize::MAX; 256];
    let mut empty = false;
    for (label, kind) in &lex.labels {
        if matches!(kind, LabelKind::Id) {
            match label.as_bytes().last() {
                Some(&c) => {
                    let head = &mut heads[usize::from(c)];
                    labels.push((label.as_str(), *head));
                    *head = labels.len() - 1;
                }
                None => empty = true,
            }
        }
    }
    IdLabels {
        labels,
        heads,
        empty,
    }
}

fn id_label_before(text: &str, pos: usize, id_labels: &IdLabels) -> bool {
    let Some(from) = window_start(text, pos, 30) else {
        return false;
    };
    let Some(raw) = text.get(from..pos) else {
        return false;
    };
    if !raw.is_ascii() {
        let window = raw
            .trim_end()
            .trim_end_matches([':', '#'])
            .trim_end()
            .to_lowercase();
        let mut all = id_labels
            .labels
            .iter()
            .map(|&(l, _)| l)
            .chain(id_labels.empty.then_some(""));
        return all.any(|label| {
            window.ends_with(label) && {
                let i = window.len() - label.len();
                !window
                    .get(..i)
                    .is_some_and(|s| s.ends_with(|c: char| c.is_alphanumeric()))
            }
        });
    }
    let r = raw.as_bytes();
    let mut e = r.len();
    while e > 0 && r.get(e - 1).is_some_and(|&c| is_space(c)) {
        e -= 1;
    }
    while e > 0 && r.get(e - 1).is_some_and(|&c| c == b':' || c == b'#') {
        e -= 1;
    }
    while e > 0 && r.get(e - 1).is_some_and(|&c| is_space(c)) {
        e -= 1;
    }
    // The labels are compared with the window lower-cased byte by byte, in place (see
    // `label_before`); the boundary test is case-blind.
    let Some(w) = r.get(..e) else {
        return false;
    };
    let boundary = |i: usize| i == 0 || w.get(i - 1).is_none_or(|c| !c.is_ascii_alphanumeric());
    let Some(last) = w.last().map(u8::to_ascii_lowercase) else {
        return id_labels.empty;
    };
    if id_labels.empty && boundary(w.len()) {
        return true;
    }
    id_labels.ending_in(last).any(|label| {
        let l = label.as_bytes();
        w.len() >= l.len() && lower_eq(w.get(w.len() - l.len()..), l) && boundary(w.len() - l.len())
    })
}

// ---------------------------------------------------------------------------------------------
// Fast scanners. They give exactly the matches of the regexes of `find_regex` and
// `find_dates_regex` (those remain the specification, and the tests compare the two on random
// texts), but only look at the few places where a match can start: the runs of ASCII digits of
// the text, found in one pass. Texts where Unicode matching could differ from ASCII matching
// (a non-ASCII digit for `\d`, the Kelvin sign or the long s that `(?i)` folds to `k` and `s`)
// go to the regexes.
// ---------------------------------------------------------------------------------------------

/// A date with its byte span, as found by [`find_dates`] and returned by [`find`].
pub type DateSpan = (usize, usize, FoundDate);

/// A character for which the ASCII scanners could disagree with the Unicode regexes.
fn exotic(c: char) -> bool {
    (c.is_numeric() && !matches!(c, '¹' | '²' | '³' | '¼' | '½' | '¾'))
        || c == '\u{212A}'
        || c == '\u{17F}'
}

/// The runs of ASCII digits of `text` as (start, end); `None` when the text has an exotic
/// character and must go to the regexes.
#[inline(never)]
fn digit_runs(text: &str) -> Option<Vec<(usize, usize)>> {
    let b = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        // Skip eight bytes at a time while they hold no digit and no non-ASCII byte.
        if let Some(chunk) = b.get(i..i + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
            const HIGH: u64 = 0x8080_8080_8080_8080;
            let x = u64::from_le_bytes(chunk);
            let low = x & !HIGH;
            // High bit of each byte: at least '0', and at least ':' (no carries: low < 0x80).
            let ge_0 = low + 0x5050_5050_5050_5050;
            let ge_colon = low + 0x4646_4646_4646_4646;
            if (ge_0 & !ge_colon & !x & HIGH) | (x & HIGH) == 0 {
                i += 8;
                continue;
            }
        }
        if c.is_ascii_digit() {
            let s = i;
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            runs.push((s, i));
            continue;
        }
        if c >= 0xC0
            && text
                .get(i..)
                .and_then(|s| s.chars().next())
                .is_some_and(exotic)
        {
            return None;
        }
        i += 1;
    }
    Some(runs)
}

/// The byte at `i`, or 0 past the end (0 is neither a digit nor a word byte).
fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// A word byte of `(?-u:\b)`.
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// ASCII bytes that are Unicode `White_Space` (`\s`, `char::is_whitespace`).
fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// `(?-u:\b)` before a word byte at `i`.
fn boundary_before(b: &[u8], i: usize) -> bool {
    i == 0 || !is_word(at(b, i - 1))
}

fn count_from(b: &[u8], i: usize, pred: impl Fn(&u8) -> bool) -> usize {
    b.get(i..)
        .map_or(0, |s| s.iter().take_while(|c| pred(c)).count())
}

fn digits_from(b: &[u8], i: usize) -> usize {
    count_from(b, i, u8::is_ascii_digit)
}

fn letters_from(b: &[u8], i: usize) -> usize {
    count_from(b, i, u8::is_ascii_alphabetic)
}

fn alnum_from(b: &[u8], i: usize) -> usize {
    count_from(b, i, u8::is_ascii_alphanumeric)
}

/// Byte length of the `\s` character at `i`, 0 if there is none.
fn space_len(text: &str, i: usize) -> usize {
    let c = at(text.as_bytes(), i);
    if c < 0x80 {
        return usize::from(is_space(c));
    }
    match text.get(i..).and_then(|s| s.chars().next()) {
        Some(ch) if ch.is_whitespace() => ch.len_utf8(),
        _ => 0,
    }
}

/// End of the run of `\s` characters from `i`.
fn spaces_end(text: &str, mut i: usize) -> usize {
    loop {
        match space_len(text, i) {
            0 => return i,
            n => i += n,
        }
    }
}

/// Start of the run of `\s` characters that ends at `i`.
fn spaces_start(text: &str, i: usize) -> usize {
    let Some(head) = text.get(..i) else {
        return i;
    };
    let tail: usize = head
        .chars()
        .rev()
        .take_while(|c| c.is_whitespace())
        .map(char::len_utf8)
        .sum();
    i - tail
}

/// Byte length of the character at `i` (1 past the end).
fn char_len(text: &str, i: usize) -> usize {
    text.get(i..)
        .and_then(|s| s.chars().next())
        .map_or(1, char::len_utf8)
}

/// The month alternation of the date regexes on one whole ASCII word (any case).
fn is_month_word(word: &[u8]) -> bool {
    let mut buf = [0u8; 9];
    let Some(w) = buf.get_mut(..word.len()) else {
        return false;
    };
    for (d, s) in w.iter_mut().zip(word) {
        *d = s.to_ascii_lowercase();
    }
    matches!(
        &*w,
        b"januari"
            | b"februari"
            | b"maart"
            | b"april"
            | b"mei"
            | b"juni"
            | b"juli"
            | b"augustus"
            | b"september"
            | b"oktober"
            | b"november"
            | b"december"
            | b"jan"
            | b"feb"
            | b"febr"
            | b"mrt"
            | b"mar"
            | b"apr"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"sept"
            | b"okt"
            | b"nov"
            | b"dec"
    )
}

/// `((?:\d{4})|['’]\d{2})(?-u:\b)` at `i`: the end of the year.
fn year_at(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let c = at(b, i);
    if c.is_ascii_digit() {
        return (digits_from(b, i) == 4 && !is_word(at(b, i + 4))).then_some(i + 4);
    }
    let q = match c {
        b'\'' => 1,
        0xE2 if b.get(i..i + 3) == Some("’".as_bytes()) => 3,
        _ => return None,
    };
    (digits_from(b, i + q) == 2 && !is_word(at(b, i + q + 2))).then_some(i + q + 2)
}

fn parse<T: std::str::FromStr>(text: &str, s: usize, e: usize) -> Option<T> {
    text.get(s..e)?.parse().ok()
}

/// The four date regexes of [`find_dates_regex`], each with its own non-overlapping search,
/// driven by the digit runs.
#[inline(never)]
fn dates_fast(text: &str, runs: &[(usize, usize)]) -> Vec<DateSpan> {
    let b = text.as_bytes();
    let mut numeric = Vec::new();
    let mut iso = Vec::new();
    let mut textual = Vec::new();
    let mut month_year = Vec::new();
    // Where each regex resumes its search (the end of its last match).
    let (mut p_num, mut p_iso, mut p_text, mut p_my) = (0, 0, 0, 0);
    for &(j, e) in runs {
        let len = e - j;
        // NUMERIC: (?:^|[^\d./-])(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4}|\d{2})(?:$|[^\d]|...)
        // The lead character is consumed, so it must lie after the end of the last match.
        if len <= 2
            && ((j == 0 && p_num == 0)
                || (j > p_num && !matches!(at(b, j - 1), b'0'..=b'9' | b'.' | b'/' | b'-')))
        {
            if let Some((end, y_end)) = numeric_at(text, e) {
                p_num = end;
                if let Some(d) = numeric_date(text, j, e, y_end) {
                    numeric.push(d);
                }
            }
        }
        // ISO: (?-u:\b)(\d{4})-(\d{2})-(\d{2})(?-u:\b)
        if len == 4
            && j >= p_iso
            && boundary_before(b, j)
            && at(b, e) == b'-'
            && digits_from(b, e + 1) == 2
            && at(b, e + 3) == b'-'
            && digits_from(b, e + 4) >= 2
            && !is_word(at(b, e + 6))
        {
            p_iso = e + 6;
            if let (Some(year), Some(month), Some(day)) = (
                parse::<i32>(text, j, e),
                parse::<u32>(text, e + 1, e + 3),
                parse::<u32>(text, e + 4, e + 6),
            ) {
                if (1900..=2100).contains(&year)
                    && (1..=12).contains(&month)
                    && (1..=31).contains(&day)
                {
                    iso.push((
                        j,
                        e + 6,
                        FoundDate {
                            year: Some(year),
                            month,
                            day: Some(day),
                        },
                    ));
                }
            }
        }
        // TEXTUAL: day, optional "e"/"ste"/"de", spaces, month, optional year.
        if len <= 2 && j >= p_text && boundary_before(b, j) {
            if let Some((all_end, d)) = textual_at(text, j, e) {
                p_text = all_end;
                if let Some(d) = d {
                    textual.push(d);
                }
            }
        }
        // MONTH_YEAR: month, optional dot, spaces, year; found from the year backwards.
        let year_start = if len == 4 {
            Some(j)
        } else if len == 2 && j > 0 && at(b, j - 1) == b'\'' {
            Some(j - 1)
        } else if len == 2 && j >= 3 && b.get(j - 3..j) == Some("’".as_bytes()) {
            Some(j - 3)
        } else {
            None
        };
        if let Some(y0) = year_start {
            if let Some(y_end) = year_at(text, y0) {
                if let Some(d) = month_year_at(text, y0, y_end, p_my) {
                    p_my = y_end;
                    if let Some(d) = d {
                        month_year.push(d);
                    }
                }
            }
        }
    }
    let mut out = numeric;
    out.append(&mut iso);
    out.append(&mut textual);
    out.append(&mut month_year);
    with_apostrophe_years(text, out)
}

/// NUMERIC from the day digits at `j..e`: (match end, year end).
fn numeric_at(text: &str, e: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let sep = |c: u8| matches!(c, b'-' | b'/' | b'.');
    if !sep(at(b, e)) {
        return None;
    }
    let m_len = digits_from(b, e + 1);
    if !(1..=2).contains(&m_len) {
        return None;
    }
    let s2 = e + 1 + m_len;
    if !sep(at(b, s2)) {
        return None;
    }
    let y_len = digits_from(b, s2 + 1);
    if y_len != 4 && y_len != 2 {
        return None;
    }
    let y_end = s2 + 1 + y_len;
    // `$` or one (non-digit) character after the year.
    let end = if y_end >= b.len() {
        y_end
    } else {
        y_end + char_len(text, y_end)
    };
    Some((end, y_end))
}

/// The date of a NUMERIC match, if its parts make one.
fn numeric_date(text: &str, j: usize, e: usize, y_end: usize) -> Option<DateSpan> {
    let b = text.as_bytes();
    let s1 = at(b, e);
    let m_end = e + 1 + digits_from(b, e + 1);
    if at(b, m_end) != s1 {
        return None;
    }
    let day: u32 = parse(text, j, e)?;
    let month: u32 = parse(text, e + 1, m_end)?;
    if !((1..=31).contains(&day) && (1..=12).contains(&month)) {
        return None;
    }
    let year = expand_year(text.get(m_end + 1..y_end)?)?;
    Some((
        j,
        y_end,
        FoundDate {
            year: Some(year),
            month,
            day: Some(day),
        },
    ))
}

/// TEXTUAL from the day digits at `j..e`: (match end, the date if it is one).
fn textual_at(text: &str, j: usize, e: usize) -> Option<(usize, Option<DateSpan>)> {
    let b = text.as_bytes();
    // (?:e|ste|de)? then \s+: a suffix counts only when spaces follow it.
    let mut i = e;
    let c = at(b, i).to_ascii_lowercase();
    let suffix = if c == b'e' {
        1
    } else if c == b's'
        && at(b, i + 1).eq_ignore_ascii_case(&b't')
        && at(b, i + 2).eq_ignore_ascii_case(&b'e')
    {
        3
    } else if c == b'd' && at(b, i + 1).eq_ignore_ascii_case(&b'e') {
        2
    } else {
        0
    };
    i += suffix;
    if space_len(text, i) == 0 {
        return None;
    }
    let m0 = spaces_end(text, i);
    let m1 = m0 + count_from(b, m0, |&c| is_word(c));
    if !is_month_word(b.get(m0..m1)?) {
        return None;
    }
    let q = if at(b, m1) == b'.' { m1 + 1 } else { m1 };
    // (?:\s*,?\s+((?:\d{4}|['’]\d{2}))(?-u:\b))?
    let w1 = spaces_end(text, q);
    let y0 = if at(b, w1) == b',' {
        let w2 = spaces_end(text, w1 + 1);
        (w2 > w1 + 1).then_some(w2)
    } else {
        (w1 > q).then_some(w1)
    };
    let year_span = y0.and_then(|y0| year_at(text, y0).map(|y_end| (y0, y_end)));
    let all_end = year_span.map_or(q, |(_, y_end)| y_end);

    let Some(day) = parse::<u32>(text, j, e) else {
        return Some((all_end, None));
    };
    let m = text.get(m0..m1)?;
    let Some(month) = month_number(m) else {
        return Some((all_end, None));
    };
    if !(1..=31).contains(&day) {
        return Some((all_end, None));
    }
    let year = year_span.and_then(|(y0, y_end)| expand_year(text.get(y0..y_end)?));
    let mut end = match year_span {
        Some((_, y_end)) if year.is_some() => y_end,
        _ => m1,
    };
    // Include the dot of an abbreviated month ("14 nov."), never the full stop after a full
    // month name ("op 8 november. Hij ...").
    let abbreviated = !MONTH_NAMES.contains(&m.to_ascii_lowercase().as_str());
    if year_span.is_none() && abbreviated && at(b, m1) == b'.' && all_end > m1 {
        end = m1 + 1;
    }
    Some((
        all_end,
        Some((
            j,
            end,
            FoundDate {
                year,
                month,
                day: Some(day),
            },
        )),
    ))
}

/// MONTH_YEAR ending in the year at `y0..y_end`, starting at or after `from`: the date if the
/// match makes one (`Some(None)`: a match that is no date).
fn month_year_at(text: &str, y0: usize, y_end: usize, from: usize) -> Option<Option<DateSpan>> {
    let b = text.as_bytes();
    let w0 = spaces_start(text, y0);
    if w0 == y0 || w0 == 0 {
        return None;
    }
    let m1 = if at(b, w0 - 1) == b'.' { w0 - 1 } else { w0 };
    let word_len = b
        .get(..m1)?
        .iter()
        .rev()
        .take_while(|&&c| is_word(c))
        .count();
    let m0 = m1 - word_len;
    if m0 < from || !is_month_word(b.get(m0..m1)?) {
        return None;
    }
    let month = month_number(text.get(m0..m1)?);
    let year = expand_year(text.get(y0..y_end)?);
    Some(match (month, year) {
        (Some(month), Some(year)) => Some((
            m0,
            y_end,
            FoundDate {
                year: Some(year),
                month,
                day: None,
            },
        )),
        _ => None,
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

    #[test]
    fn dates_with_the_month_in_roman_numerals() {
        let t = "geboren 4-IV-1998, opname 12.XI.'21 en 3/X/2020; niet: fase 2-IV, 4-IV-3, 1-IIII-1999, 4-iv-1998";
        let found: Vec<(String, FoundDate)> = spans(t, &find_dates(t));
        let texts: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(texts, ["4-IV-1998", "12.XI.'21", "3/X/2020"]);
        assert_eq!(
            found.first().map(|(_, d)| (d.year, d.month, d.day)),
            Some((Some(1998), 4, Some(4)))
        );
        assert_eq!(
            found.get(1).map(|(_, d)| d.generalised()),
            Some("november 2021".into())
        );
    }

    #[test]
    fn dutch_licence_plates_and_no_dates_or_codes() {
        let t = "kenteken 54-KTZ-9, bus VZ-418-K en 12-AB-34; niet 12-03-2014, AB-12, WLZ-2940307, 1-op-1, KRZ-F-2025-00417, ab-12-cd.";
        same(t);
        let mut out = Vec::new();
        find(t, lexicon(), &mut out);
        let plates: Vec<&str> = out
            .iter()
            .filter(|c| c.rule == "licence-plate")
            .filter_map(|c| t.get(c.start..c.end))
            .collect();
        assert_eq!(plates, ["54-KTZ-9", "VZ-418-K", "12-AB-34"]);
        // Amounts of money are no identifiers; a long number is.
        let t = "Basistarief € 136.708,32 en 274.060,80 euro; dossier 4471823.";
        same(t);
        let mut out = Vec::new();
        find(t, lexicon(), &mut out);
        let ids: Vec<&str> = out
            .iter()
            .filter(|c| c.cat == Category::Id)
            .filter_map(|c| t.get(c.start..c.end))
            .collect();
        assert_eq!(ids, ["4471823"]);
    }

    #[test]
    fn a_year_with_an_apostrophe_for_the_century() {
        let t = "geboren 3-4-'92, gezien 12/11/’21 en 1.2.'05; niet 33-4-'92, 3-4-'923 of 3-4/'92";
        assert_eq!(dates_of(t), ["3-4-'92", "12/11/’21", "1.2.'05"], "{t}");
        let d = find_dates("3-4-'92");
        assert_eq!(
            d.first().map(|x| x.2),
            Some(FoundDate {
                year: Some(1992),
                month: 4,
                day: Some(3)
            })
        );
    }

    // ---- The fast scanners against the regexes they replace (all text below is invented). ----

    fn spans(text: &str, found: &[DateSpan]) -> Vec<(String, FoundDate)> {
        found
            .iter()
            .map(|&(s, e, d)| (text.get(s..e).unwrap_or("?").to_string(), d))
            .collect()
    }

    type CandKey = (usize, usize, Category, u8, &'static str, Option<String>);

    fn cand_keys(cands: &[Cand]) -> Vec<CandKey> {
        cands
            .iter()
            .map(|c| (c.start, c.end, c.cat, c.prio, c.rule, c.replacement.clone()))
            .collect()
    }

    fn lexicon() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| Lexicon::load().unwrap_or_else(|e| panic!("lexicon: {e}")))
    }

    /// Fast and regex paths give the same dates and the same candidates.
    fn same(text: &str) {
        assert_eq!(
            spans(text, &find_dates(text)),
            spans(text, &find_dates_regex(text)),
            "dates of {text:?}"
        );
        let (mut fast, mut slow) = (Vec::new(), Vec::new());
        let fd = find(text, lexicon(), &mut fast);
        let sd = find_regex(text, lexicon(), &mut slow);
        assert_eq!(fd, sd, "dates of find on {text:?}");
        assert_eq!(cand_keys(&fast), cand_keys(&slow), "candidates of {text:?}");
    }

    fn dates_of(text: &str) -> Vec<String> {
        same(text);
        find_dates(text)
            .iter()
            .map(|&(s, e, _)| text.get(s..e).unwrap_or("?").to_string())
            .collect()
    }

    #[test]
    fn numeric_dates_and_their_boundaries() {
        assert_eq!(dates_of("op 07-03-2011."), ["07-03-2011"]);
        assert_eq!(dates_of("7.3.11"), ["7.3.11"]);
        // The regex consumes the character after a date, so a date right after it (one space
        // apart) is not found; two spaces apart it is.
        assert_eq!(dates_of("07-03-2011 08-04-2012"), ["07-03-2011"]);
        assert_eq!(
            dates_of("07-03-2011  08-04-2012"),
            ["07-03-2011", "08-04-2012"]
        );
        // Mixed separators, impossible days and months, digits or dots around: no date.
        for t in [
            "07-03/2011",
            "32-01-2011",
            "07-13-2011",
            "1.07-03-2011",
            "107-03-2011",
            "07-03-20111",
            "07-03-201",
            "/07-03-2011",
            "07-03-1850",
        ] {
            assert!(dates_of(t).is_empty(), "{t}");
        }
        // The regex takes the dot after the year as its trailing character, so a ".5" after
        // it does not stop the date (the "following digit" check never fires).
        assert_eq!(dates_of("07.03.2011.5"), ["07.03.2011"]);
        assert_eq!(dates_of("07.03.2011. Daarna"), ["07.03.2011"]);
        assert_eq!(dates_of("x07/03/11é"), ["07/03/11"]);
        // Times and blood pressures are no dates.
        assert!(dates_of("om 20.05 uur, RR 131/77").is_empty());
    }

    #[test]
    fn day_and_month_without_a_year_in_a_date_context() {
        // After a weekday, a word that leads a date, or at the start of a report line.
        assert_eq!(dates_of("Gesproken op ma 4/3 met de mentor."), ["4/3"]);
        assert_eq!(dates_of("vrijdag 12-5 weer onrustig"), ["12-5"]);
        assert_eq!(dates_of("Gesprek d.d. 21/11, daarna"), ["21/11"]);
        assert_eq!(
            dates_of("geldig vanaf 1/9 2023 tot 30/6"),
            ["1/9 2023", "30/6"]
        );
        assert_eq!(dates_of("Verslag\n4/3 14:30 onrustig"), ["4/3"]);
        assert_eq!(
            dates_of("12-05: rustige dag\n13/5 - bezoek"),
            ["12-05", "13/5"]
        );
        assert_eq!(dates_of("(op 6/7)"), ["6/7"]);
        let d = find_dates("ma 4/3");
        assert_eq!(
            d.first().map(|x| x.2),
            Some(FoundDate {
                year: None,
                month: 3,
                day: Some(4)
            })
        );
        // Fractions, scores, counts, ranges and blood pressures stay.
        for t in [
            "op 2/3 van de dagen",
            "score 3/5 op de schaal",
            "2-3 keer per week",
            "op 2-3 momenten",
            "ongeveer 1/4 deel",
            "RR 12/8 gemeten",
            "Fase 3/4 van het plan",
            "op 3/4 dagen",
            "in 10-12 weken",
            "4/3x",
            "a4/3",
        ] {
            assert!(dates_of(t).is_empty(), "{t}: {:?}", dates_of(t));
        }
        // Impossible days and months are no dates, whatever the context.
        assert!(dates_of("op ma 32/3 en di 4/13").is_empty());
    }

    #[test]
    fn iso_dates() {
        assert_eq!(dates_of("(2011-03-07)"), ["2011-03-07"]);
        assert!(dates_of("x2011-03-07").is_empty());
        assert!(dates_of("2011-03-07b").is_empty());
        assert!(dates_of("2011-13-07 en 1850-03-07").is_empty());
        assert!(dates_of("2011-03-075").is_empty());
    }

    #[test]
    fn textual_dates() {
        assert_eq!(dates_of("gezien op 9 okt. door"), ["9 okt."]);
        assert_eq!(dates_of("tot 9 oktober. Daarna"), ["9 oktober"]);
        // The month-year pattern finds the overlapping "mei '19" too; overlaps are resolved
        // later.
        assert_eq!(dates_of("sinds 3 mei '19"), ["3 mei '19", "mei '19"]);
        assert_eq!(dates_of("sinds 3 Mei ’19,"), ["3 Mei ’19", "Mei ’19"]);
        assert_eq!(dates_of("de 21ste SEPT , 2017"), ["21ste SEPT , 2017"]);
        assert_eq!(
            dates_of("1e\u{a0}febr.\n2009"),
            ["1e\u{a0}febr.\n2009", "febr.\n2009"]
        );
        // A year outside 1900-2100 is left out, and so is the dot before it.
        assert_eq!(dates_of("op 9 okt. 1850"), ["9 okt"]);
        assert!(find_dates("op 9 okt. 1850")
            .iter()
            .all(|(_, _, d)| d.year.is_none()));
        // No space after the comma, a glued suffix, a longer word: no (or no full) match.
        assert_eq!(dates_of("9 nov,2011"), ["9 nov"]);
        assert!(dates_of("9x nov 2011").contains(&"nov 2011".to_string()));
        assert!(dates_of("9 novembre").is_empty());
        assert!(dates_of("123 mei").is_empty());
        assert!(dates_of("a9 mei").is_empty());
    }

    #[test]
    fn month_year_dates() {
        assert_eq!(dates_of("in mrt. 2019"), ["mrt. 2019"]);
        assert_eq!(dates_of("in Maart\t’08"), ["Maart\t’08"]);
        assert!(dates_of("in mrt.2019").is_empty());
        assert!(dates_of("in xmrt 2019").is_empty());
        assert!(dates_of("in mrt 20190").is_empty());
        assert!(dates_of("in mrt 2019x").is_empty());
        assert!(dates_of("in mrt '2019").is_empty());
        assert!(dates_of("in mrt 1850").is_empty());
    }

    #[test]
    fn exotic_text_takes_the_regex_path() {
        // Arabic-Indic digits, the Kelvin sign and the long s match `\d` and `(?i)` letters.
        for t in [
            "op ٣-٤-2011 en 07-03-2011",
            "9 o\u{212A}tober 2011",
            "9 \u{17F}ept 2011, 4 mei 2012",
            "½ tablet, 07-03-2011",
        ] {
            same(t);
        }
    }

    #[test]
    fn phone_right_after_a_date() {
        // "03-2014 061..." is taken as a phone number (then dropped as the tail of a date),
        // which hides the real number that follows: kept as it was.
        let t = "Op 12-03-2014 0611223344 gebeld";
        same(t);
        let mut out = Vec::new();
        find(t, lexicon(), &mut out);
        assert!(!out.iter().any(|c| c.cat == Category::Telefoon));
    }

    #[test]
    fn phones_ids_and_labels() {
        let t =
            "Op 12-03-2014 om 9 uur 0611223344 gebeld; tel. (030) 111 22 33, +31 6 1122 3344.\n\
                 Dossiernummer: 4711, cliëntnummer 5812, kenmerk AB/123, nr 12.\n\
                 BSN: 111.222.333, geb. 4 mei 1961, 1234 AB Ergens, 1234 SA, 1234 SB.\n\
                 IBAN NL91 ABNA 0417 1643 00, mail a.b@voorbeeld.nl, www.voorbeeld.nl/x.\n\
                 Zaak C/01/123456 / FA RK 14-1234, 20/03/2024 14.50, 12-06 12 34.";
        same(t);
        let mut out = Vec::new();
        find(t, lexicon(), &mut out);
        let has = |surface: &str, cat: Category| {
            out.iter()
                .any(|c| t.get(c.start..c.end) == Some(surface) && c.cat == cat)
        };
        assert!(has("0611223344", Category::Telefoon));
        let dash = "Mentorbureau, 0224 – 21 47 66, per mail";
        same(dash);
        let mut dashed = Vec::new();
        find(dash, lexicon(), &mut dashed);
        assert!(dashed
            .iter()
            .any(|c| dash.get(c.start..c.end) == Some("0224 – 21 47 66")
                && c.cat == Category::Telefoon));
        assert!(has("111.222.333", Category::Bsn));
        assert!(has("4 mei 1961", Category::Geboortedatum));
        assert!(has("1234 AB", Category::Postcode));
        assert!(!has("1234 SA", Category::Postcode));
        assert!(has("1234 SB", Category::Postcode));
        assert!(out.iter().any(|c| t.get(c.start..c.end) == Some("4711")
            && c.cat == Category::Id
            && c.prio == 68));
        assert!(out.iter().any(|c| t.get(c.start..c.end) == Some("5812")
            && c.cat == Category::Id
            && c.prio == 68));
        // A reference of letter groups before the number: the whole of it, by its label.
        let t = "Ons kenmerk: SBB/CHA/0412\nUw brief AB-CD/12 en x/ABCDEFGH/1234567.";
        same(t);
        let mut out = Vec::new();
        find(t, lexicon(), &mut out);
        let mut ids: Vec<&str> = out
            .iter()
            .filter(|c| c.cat == Category::Id)
            .filter_map(|c| t.get(c.start..c.end))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids, ["1234567", "SBB/CHA/0412"], "{out:?}");
        let t = "Casus 22-ZW-06113 en dossier 2019/RS/0048213.";
        same(t);
        let mut out = Vec::new();
        find(t, lexicon(), &mut out);
        for id in ["22-ZW-06113", "2019/RS/0048213"] {
            assert!(
                out.iter()
                    .any(|c| c.cat == Category::Id && t.get(c.start..c.end) == Some(id)),
                "{id}: {out:?}"
            );
        }
    }

    #[test]
    fn clock_time_ranges_are_no_identifiers() {
        for t in [
            "overleg 14.00-15.30 uur",
            "nachtdienst 23:00-07:00",
            "van 8.30-17.00",
        ] {
            let mut out = Vec::new();
            find(t, lexicon(), &mut out);
            assert!(!out.iter().any(|c| c.cat == Category::Id), "{t}: {out:?}");
        }
        // With an identifier's label the same shape still is one; an impossible time is a code.
        for t in ["Kenmerk: 14.00-15.30", "code 14.75-15.30 rest"] {
            let mut out = Vec::new();
            find(t, lexicon(), &mut out);
            assert!(out.iter().any(|c| c.cat == Category::Id), "{t}: {out:?}");
        }
    }

    /// The label look-ups before the rewrite, as the reference.
    fn label_before_ref(text: &str, pos: usize, labels: &[&str]) -> bool {
        let line_start = text
            .get(..pos)
            .and_then(|h| h.rfind('\n'))
            .map_or(0, |i| i + 1);
        let mut from = pos.saturating_sub(40).max(line_start);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        label_before_unicode(text.get(from..pos).unwrap_or_default(), labels)
    }

    fn id_label_before_ref(text: &str, pos: usize, lex: &Lexicon) -> bool {
        let line_start = text
            .get(..pos)
            .and_then(|h| h.rfind('\n'))
            .map_or(0, |i| i + 1);
        let mut from = pos.saturating_sub(30).max(line_start);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let window = text
            .get(from..pos)
            .unwrap_or_default()
            .trim_end()
            .trim_end_matches([':', '#'])
            .trim_end()
            .to_lowercase();
        lex.labels.iter().any(|(label, kind)| {
            matches!(kind, LabelKind::Id) && window.ends_with(label.as_str()) && {
                let i = window.len() - label.len();
                i == 0 || !window[..i].ends_with(|c: char| c.is_alphanumeric())
            }
        })
    }

    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    const PIECES: &[&str] = &[
        "0",
        "1",
        "2",
        "3",
        "7",
        "9",
        "00",
        "06",
        "12",
        "31",
        "13",
        "2011",
        "1999",
        "1850",
        "20",
        "19",
        "123",
        "4567",
        "99999",
        "'",
        "’",
        "-",
        "-",
        "/",
        "/",
        ".",
        ".",
        ".",
        " ",
        " ",
        " ",
        "  ",
        "\u{a0}",
        "\n",
        "\t",
        ",",
        ":",
        "#",
        "+",
        "(",
        ")",
        "(0)",
        "_",
        "@",
        "a",
        "x",
        "e",
        "ste",
        "de",
        "E",
        "S",
        "AB",
        "NL",
        "SB",
        "SA",
        "nov",
        "Nov",
        "NOV",
        "november",
        "mei",
        "sept",
        "SEP",
        "febr",
        "mrt",
        "mar",
        "jan",
        "juli",
        "december",
        "maart",
        "okt",
        "geb.",
        "geb",
        "geboren",
        "Geboortedatum",
        "d.o.b.",
        "BSN",
        "bsn:",
        "sofinummer",
        "dossiernummer",
        "Kenmerk",
        "ons kenmerk:",
        "cliëntnummer",
        "nr",
        "é",
        "ë",
        "²",
        "½",
        "www.",
        "http://",
        ".nl/",
        "x@y.nl",
        "uur",
        "FA RK",
        "C/",
        "NL91ABNA0417164300",
        "1234 AB",
        "123456782",
        "111.222.333",
        "+31",
        "0031",
    ];

    /// Pieces for the grammar of the dates.
    const DATE_PIECES: &[&str] = &[
        "1", "7", "12", "31", "32", "0", "2011", "11", "99", "1850", "'", "’", "-", "-", "/", ".",
        ".", " ", " ", " ", "\u{a0}", "\n", ",", "e", "ste", "de", "x", "nov", "Nov", "mei",
        "sept", "MRT", "mar", "november", "juni", "2024", "geb. ", "5",
    ];

    /// Pieces for the numbers: phones, BSNs, postcodes, codes.
    const NUMBER_PIECES: &[&str] = &[
        "0",
        "06",
        "00",
        "1",
        "12",
        "123",
        "4567",
        "31",
        "99999",
        "123456782",
        "1234",
        "+",
        "(",
        ")",
        "(0)",
        " ",
        " ",
        "-",
        "-",
        ".",
        "/",
        "/",
        "AB",
        "SA",
        "NL",
        "x",
        "abcdef",
        "C",
        "FA",
        "RK",
        "nr",
        "kenmerk ",
        "BSN ",
        ":",
        "_",
        "\u{a0}",
    ];

    fn pick(rng: &mut Rng, from: &[&'static str]) -> &'static str {
        from.get(rng.below(from.len())).copied().unwrap_or("")
    }

    /// Date-shaped fragments, slightly broken at random, with random glue between them.
    fn random_dates(rng: &mut Rng) -> String {
        const DAY: &[&str] = &["1", "7", "12", "31", "32", "0", "123", "01"];
        const SEP: &[&str] = &["-", "/", ".", "-", "/", ".", " "];
        const YEAR: &[&str] = &["2011", "11", "1850", "201", "20111", "'11", "’99", "2100"];
        const MONTH: &[&str] = &[
            "nov", "Nov.", "mei", "MEI", "sept.", "sep", "mrt", "Mar", "november", "juni", "febr.",
            "jan", "novembre", "xmei",
        ];
        const GAP: &[&str] = &[" ", " ", "  ", "\u{a0}", "\n", " , ", ", ", ",", ""];
        const GLUE: &[&str] = &[
            "", " ", "  ", ".", "-", "/", "x", "\n", ",", "5", "é", "\u{a0}", "'", ". ", "_",
        ];
        let mut t = String::new();
        for _ in 0..1 + rng.below(5) {
            match rng.below(5) {
                0 => {
                    t += pick(rng, DAY);
                    t += pick(rng, SEP);
                    t += pick(rng, DAY);
                    t += pick(rng, SEP);
                    t += pick(rng, YEAR);
                }
                1 => {
                    t += pick(rng, DAY);
                    t += pick(rng, &["", "", "e", "ste", "de", "x"]);
                    t += pick(rng, GAP);
                    t += pick(rng, MONTH);
                    if rng.below(2) == 0 {
                        t += pick(rng, GAP);
                        t += pick(rng, YEAR);
                    }
                }
                2 => {
                    t += pick(rng, MONTH);
                    t += pick(rng, GAP);
                    t += pick(rng, YEAR);
                }
                3 => {
                    t += pick(rng, &["2011", "1850", "201", "x2011"]);
                    t += "-";
                    t += pick(rng, DAY);
                    t += pick(rng, &["-", "/"]);
                    t += pick(rng, DAY);
                }
                _ => {}
            }
            t += pick(rng, GLUE);
        }
        t
    }

    fn random_text(rng: &mut Rng) -> String {
        let pieces = match rng.below(4) {
            0 => PIECES,
            1 => DATE_PIECES,
            2 => return random_dates(rng),
            _ => NUMBER_PIECES,
        };
        let n = 1 + rng.below(16);
        (0..n)
            .map(|_| pieces.get(rng.below(pieces.len())).copied().unwrap_or(""))
            .collect()
    }

    #[test]
    fn fast_scanners_equal_the_regexes_on_random_text() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..60_000 {
            let t = random_text(&mut rng);
            same(&t);
            let labels = id_labels(lexicon());
            for pos in (0..=t.len()).filter(|&p| t.is_char_boundary(p)) {
                for labels in [
                    &["geb", "geb.", "d.o.b."][..],
                    &["bsn", "sofinummer"],
                    &[""],
                ] {
                    assert_eq!(
                        label_before(&t, pos, labels),
                        label_before_ref(&t, pos, labels),
                        "label_before({t:?}, {pos}, {labels:?})"
                    );
                }
                assert_eq!(
                    id_label_before(&t, pos, &labels),
                    id_label_before_ref(&t, pos, lexicon()),
                    "id_label_before({t:?}, {pos})"
                );
            }
        }
    }
}
