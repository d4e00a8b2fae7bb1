//! Text helpers of the research layer: sentences and clauses of a pseudonymised text, month
//! expressions, and the ConText-style qualifier check (negated, uncertain, other person).
//!
//! Owns: segmentation and qualifiers. Must never: see raw (not pseudonymised) text or log text.

use std::sync::OnceLock;

use regex::Regex;

use super::vocab::Context;

/// A calendar month (year, 1-12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    pub fn fmt(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// A month mention: `month` None when only a year is given.
#[derive(Debug, Clone, Copy)]
pub struct MonthMention {
    pub start: usize,
    pub year: Option<i32>,
    pub month: Option<u32>,
}

const MONTHS: [(&str, u32); 24] = [
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("april", 4),
    ("mei", 5),
    ("juni", 6),
    ("juli", 7),
    ("augustus", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("febr", 2),
    ("mrt", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("okt", 10),
    ("nov", 11),
];

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w == "dec" {
        return Some(12);
    }
    MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

fn month_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b((?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\b|(?:jan|febr?|mrt|apr|jun|jul|aug|sept?|okt|nov|dec)\.|mrt\b)(?:\s+('\d{2}|(?:19|20)\d{2})\b)?|\b(sinds|vanaf|van|tot|per|in|eind|begin|medio|rond)\s+((?:19|20)\d{2})\b",
        )
        .unwrap_or_else(|_| unreachable_regex())
    })
}

/// A regex that never matches, for the impossible case that a constant pattern fails to compile.
fn unreachable_regex() -> Regex {
    // `[^\s\S]` cannot match anything; this pattern is valid.
    Regex::new(r"[^\s\S]").unwrap_or_else(|_| std::process::abort())
}

/// Month mentions in `text[start..end]` (offsets into `text`).
pub fn months_in(text: &str, start: usize, end: usize) -> Vec<MonthMention> {
    let hay = text.get(start..end).unwrap_or("");
    let mut out = Vec::new();
    for c in month_re().captures_iter(hay) {
        if let Some(m) = c.get(1) {
            let Some(month) = month_number(m.as_str()) else {
                continue;
            };
            let year = c.get(2).and_then(|y| {
                let s = y.as_str();
                if let Some(short) = s.strip_prefix('\'') {
                    short
                        .parse::<i32>()
                        .ok()
                        .map(|v| if v > 50 { 1900 + v } else { 2000 + v })
                } else {
                    s.parse::<i32>().ok()
                }
            });
            // "mei" is a month; "mrt" without a dot or year is not likely anything else either.
            out.push(MonthMention {
                start: start + m.start(),
                year,
                month: Some(month),
            });
        } else if let Some(y) = c.get(4) {
            if let Ok(year) = y.as_str().parse::<i32>() {
                out.push(MonthMention {
                    start: start + y.start(),
                    year: Some(year),
                    month: None,
                });
            }
        }
    }
    out
}

const ABBREVIATIONS: [&str; 22] = [
    "dhr", "mevr", "mw", "dr", "drs", "mr", "ir", "ing", "prof", "bijv", "o.a", "i.m", "ca", "nr",
    "t.a.v", "z.n", "e.d", "m.b.t", "i.v.m", "evt", "incl", "excl",
];

/// Sentences of a text as byte ranges: a line break always ends one; `.`, `!`, `?` end one when
/// followed by whitespace and an upper-case letter, a digit or a pseudonym (`[`), unless the
/// word before is an abbreviation or an initial.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0usize;
    let mut i = 0usize;
    let push = |out: &mut Vec<(usize, usize)>, s: usize, e: usize| {
        let seg = text.get(s..e).unwrap_or("");
        let lead = seg.len() - seg.trim_start().len();
        let trail = seg.len() - seg.trim_end().len();
        if seg.trim().is_empty() {
            return;
        }
        out.push((s + lead, e - trail));
    };
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            push(&mut out, start, i);
            start = i + 1;
        } else if matches!(b, b'.' | b'!' | b'?') {
            let next = text.get(i + 1..).unwrap_or("");
            let mut chars = next.chars();
            if let Some(c1) = chars.next() {
                if c1 == ' ' || c1 == '\t' {
                    let rest = next.trim_start_matches([' ', '\t']);
                    let c2 = rest.chars().next();
                    let starts_new = c2.is_some_and(|c| {
                        c.is_uppercase()
                            || c.is_ascii_digit()
                            || c == '['
                            || c == '('
                            || c == '-'
                            || c == '\''
                    });
                    if starts_new && b == b'.' {
                        let before = text.get(start..i).unwrap_or("");
                        let word = before
                            .rsplit(|c: char| c.is_whitespace() || c == '(')
                            .next()
                            .unwrap_or("")
                            .to_lowercase();
                        let is_initial =
                            word.chars().count() == 1 || (word.len() <= 3 && word.contains('.'));
                        let is_abbr = ABBREVIATIONS.contains(&word.as_str());
                        if !is_initial && !is_abbr {
                            push(&mut out, start, i + 1);
                            start = i + 1;
                        }
                    } else if starts_new {
                        push(&mut out, start, i + 1);
                        start = i + 1;
                    }
                }
            }
        }
        i += 1;
    }
    push(&mut out, start, bytes.len());
    out
}

/// Clauses of the sentence `s` (byte ranges into `text`), split at the context boundaries.
pub fn clauses(text: &str, s: (usize, usize), ctx: &Context) -> Vec<(usize, usize)> {
    let hay = text.get(s.0..s.1).unwrap_or("");
    let mut cuts: Vec<(usize, usize)> = ctx.boundaries.find_all(hay);
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut cur = 0usize;
    for (a, b) in cuts {
        if a < cur {
            continue;
        }
        if a > cur {
            out.push((s.0 + cur, s.0 + a));
        }
        cur = b;
    }
    if cur < hay.len() || out.is_empty() {
        out.push((s.0 + cur, s.1));
    }
    out
}

/// The clause of `clauses` that contains byte `pos` (or the sentence when none does).
pub fn clause_of(clauses: &[(usize, usize)], pos: usize, sent: (usize, usize)) -> (usize, usize) {
    clauses
        .iter()
        .copied()
        .find(|c| c.0 <= pos && pos < c.1.max(c.0 + 1))
        .unwrap_or(sent)
}

/// How a mention is qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Qual {
    pub negated: bool,
    pub uncertain: bool,
    pub other: bool,
}

impl Qual {
    pub fn affirmed(self, check_other: bool) -> bool {
        !(self.negated || self.uncertain || (check_other && self.other))
    }
}

fn last_words(s: &str, n: usize) -> &str {
    let mut count = 0;
    let mut cut = 0;
    let mut in_word = false;
    for (i, c) in s.char_indices().rev() {
        if c.is_whitespace() {
            if in_word {
                count += 1;
                if count == n {
                    cut = i + c.len_utf8();
                    break;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    s.get(cut..).unwrap_or("")
}

pub fn first_words(s: &str, n: usize) -> &str {
    let mut count = 0;
    let mut in_word = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if in_word {
                count += 1;
                if count == n {
                    return s.get(..i).unwrap_or(s);
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    s
}

/// ConText: qualifies the mention `m` in sentence `sent` with the given clauses.
pub fn qualify(
    ctx: &Context,
    text: &str,
    sent: (usize, usize),
    clauses: &[(usize, usize)],
    m: (usize, usize),
) -> Qual {
    let c_start = clause_of(clauses, m.0, sent);
    let c_end = clause_of(clauses, m.1.saturating_sub(1).max(m.0), sent);
    let pre_all = text.get(c_start.0..m.0).unwrap_or("");
    let pre = last_words(pre_all, ctx.window);
    let post_all = text.get(m.1..c_end.1.max(m.1)).unwrap_or("");
    let post = first_words(post_all, ctx.window);
    let post_sentence = text.get(m.1..sent.1.max(m.1)).unwrap_or("");
    let sentence = text.get(sent.0..sent.1).unwrap_or("");
    let negated =
        ctx.pre_neg.any(pre) || ctx.post_neg.any(post) || ctx.post_neg_sentence.any(post_sentence);
    let uncertain =
        ctx.pre_unc.any(pre) || ctx.post_unc.any(post_sentence) || ctx.hypothetical.any(sentence);
    let other = match ctx.other.last_start(pre_all) {
        Some(p) => !ctx.client.any(
            pre_all
                .get(p..)
                .unwrap_or("")
                .split_once(char::is_whitespace)
                .map_or("", |x| x.1),
        ),
        None => false,
    };
    Qual {
        negated,
        uncertain,
        other,
    }
}
