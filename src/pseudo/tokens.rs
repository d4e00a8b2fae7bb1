//! A small tokenizer for Dutch dossier text: words (split at glued lower-to-upper joins that
//! PDF extraction leaves, "wereldHallo"), numbers, punctuation and line breaks, each with byte
//! offsets and whether it starts a sentence.

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Num,
    Punct,
    Newline,
}

#[derive(Debug, Clone)]
pub struct Tok<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    /// `text` in lower case, made once here: the detectors look words up in lower case many
    /// times, and most words are already lower case (then this borrows, no allocation).
    pub low: Cow<'a, str>,
    /// The list hash of `low` (`rules::word_hash`) of a word (0 for other tokens), made once
    /// here so that look-ups in the word lists need not hash the word again.
    pub hash: u64,
    pub kind: Kind,
    /// First word of a sentence, a line or a list item.
    pub sent_start: bool,
    /// Whitespace (other than a newline) directly before this token.
    pub space_before: bool,
    /// A wide gap before this token (a tab or two or more spaces): a column boundary.
    pub gap_before: bool,
    cap: bool,
    allcaps: bool,
}

impl<'a> Tok<'a> {
    fn new(text: &'a str, start: usize, end: usize, kind: Kind) -> Tok<'a> {
        let s = text.get(start..end).unwrap_or("");
        let mut tok = Tok {
            start,
            end,
            text: s,
            low: Cow::Borrowed(s),
            hash: 0,
            kind,
            sent_start: false,
            space_before: false,
            gap_before: false,
            cap: false,
            allcaps: false,
        };
        if kind != Kind::Word {
            return tok;
        }
        if s.is_ascii() {
            // One pass: the case facts and the hash of the lower-case form.
            let (mut upper, mut lower) = (0usize, 0usize);
            let mut h = crate::rules::WORD_HASH_SEED;
            for &b in s.as_bytes() {
                upper += usize::from(b.is_ascii_uppercase());
                lower += usize::from(b.is_ascii_lowercase());
                h = crate::rules::word_hash_step(h, b.to_ascii_lowercase());
            }
            tok.cap = s.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
            tok.allcaps = upper >= 2 && lower == 0;
            tok.hash = h;
            if upper > 0 {
                tok.low = Cow::Owned(s.to_ascii_lowercase());
            }
        } else {
            tok.cap = s.chars().next().is_some_and(char::is_uppercase);
            tok.allcaps = s.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && s.chars().all(|c| !c.is_lowercase());
            tok.low = lower_cow(s);
            tok.hash = crate::rules::word_hash(tok.low.as_bytes());
        }
        tok
    }

    pub fn is_cap(&self) -> bool {
        self.cap
    }
    pub fn is_allcaps(&self) -> bool {
        self.allcaps
    }
    pub fn is_punct(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }
}

/// Lower case without allocating when `s` has no upper-case letter.
pub fn lower_cow(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    } else if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '\u{300}'..='\u{36f}')
}

/// The character at byte `i` of `text` (a character boundary), read without a full UTF-8
/// decode when it is ASCII.
fn char_at(text: &str, i: usize) -> Option<char> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        Some(char::from(b))
    } else {
        text.get(i..)?.chars().next()
    }
}

pub fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let mut toks = scan(text, usize::MAX);
    mark_sentence_starts(&mut toks);
    toks
}

/// The first token of `text` (without its sentence-start mark).
pub fn first_token(text: &str) -> Option<Tok<'_>> {
    scan(text, 1).pop()
}

/// The first `max` tokens of `text`.
fn scan(text: &str, max: usize) -> Vec<Tok<'_>> {
    let mut toks: Vec<Tok<'_>> = Vec::with_capacity((text.len() / 4).min(max));
    let bytes = text.as_bytes();
    let mut space_before = false;
    let mut gap = 0usize;
    let mut i = 0usize;
    while let Some(c) = char_at(text, i) {
        if toks.len() >= max {
            break;
        }
        let clen = c.len_utf8();
        if c == '\n' {
            let mut t = Tok::new(text, i, i + 1, Kind::Newline);
            t.space_before = space_before;
            toks.push(t);
            space_before = false;
            gap = 0;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            space_before = true;
            gap += if c == '\t' { 2 } else { 1 };
            i += clen;
            continue;
        }
        let gap_before = gap >= 2;
        gap = 0;
        // "'t" and "'s" (het, des) are words: "van 't Hof", "woongroep 't Anker".
        if c == '\'' || c == '’' {
            let n1 = char_at(text, i + clen);
            let n2 = n1.and_then(|n| char_at(text, i + clen + n.len_utf8()));
            if matches!(n1, Some('t' | 's')) && !n2.is_some_and(is_word_char) {
                let end = i + clen + 1;
                let mut t = Tok::new(text, i, end, Kind::Word);
                t.space_before = space_before;
                t.gap_before = gap_before;
                toks.push(t);
                space_before = false;
                i = end;
                continue;
            }
        }
        let (end, kind) = if is_word_char(c) {
            let mut end = i + clen;
            let mut prev_lower = c.is_lowercase();
            let mut all_upper_so_far = c.is_uppercase();
            loop {
                // ASCII letters are most of the text: their case is one comparison.
                let (len, lower, upper) = match bytes.get(end) {
                    Some(&b) if b.is_ascii_alphabetic() => {
                        (1, b.is_ascii_lowercase(), b.is_ascii_uppercase())
                    }
                    Some(&b) if b < 0x80 => break,
                    Some(_) => match char_at(text, end) {
                        Some(d) if is_word_char(d) => {
                            (d.len_utf8(), d.is_lowercase(), d.is_uppercase())
                        }
                        _ => break,
                    },
                    None => break,
                };
                // Split "wereldHallo" (lower then upper) but not "McDonald"-like single caps
                // after a 2-letter start, nor ALL-CAPS words.
                if prev_lower && upper && !all_upper_so_far && end - i > 2 {
                    break;
                }
                all_upper_so_far &= upper;
                end += len;
                prev_lower = lower;
            }
            (end, Kind::Word)
        } else if c.is_ascii_digit() {
            let mut end = i + 1;
            while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            (end, Kind::Num)
        } else {
            (i + clen, Kind::Punct)
        };
        let mut t = Tok::new(text, i, end, kind);
        t.space_before = space_before;
        t.gap_before = gap_before;
        toks.push(t);
        space_before = false;
        i = end;
    }
    toks
}

/// Sentence starts: the first word after a line break, a sentence end, a colon, a bullet or
/// an opening quote/bracket at the start of a line.
fn mark_sentence_starts(toks: &mut [Tok]) {
    let mut expect_start = true;
    for t in toks.iter_mut() {
        match t.kind {
            Kind::Newline => expect_start = true,
            Kind::Punct => {
                if matches!(t.text, "." | "!" | "?" | ":" | "•" | ";") {
                    expect_start = true;
                } else if !matches!(
                    t.text,
                    "-" | "–" | "—" | "*" | "(" | "\"" | "'" | "‘" | "“" | ")"
                ) {
                    expect_start = false;
                }
            }
            Kind::Word => {
                t.sent_start = expect_start;
                expect_start = false;
            }
            Kind::Num => expect_start = false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_facts_and_hash_are_those_of_the_lower_case_form() {
        let text = "Jan JANSEN jansen ÉMILE Émile éa İk 's-Hertogenbosch vanDam 12 ;";
        for t in tokenize(text) {
            if t.kind == Kind::Word {
                assert_eq!(t.low, t.text.to_lowercase(), "{}", t.text);
                assert_eq!(
                    t.hash,
                    crate::rules::word_hash(t.low.as_bytes()),
                    "{}",
                    t.text
                );
                let first_upper = t.text.chars().next().is_some_and(char::is_uppercase);
                assert_eq!(t.is_cap(), first_upper, "{}", t.text);
                let allcaps = t.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && t.text.chars().all(|c| !c.is_lowercase());
                assert_eq!(t.is_allcaps(), allcaps, "{}", t.text);
            } else {
                assert!(!t.is_cap() && !t.is_allcaps());
            }
        }
    }

    #[test]
    fn splits_glued_words_and_marks_sentence_starts() {
        let toks = tokenize("de wereldHallo. Jan ging\nNaar huis");
        let words: Vec<&str> = toks
            .iter()
            .filter(|t| t.kind == Kind::Word)
            .map(|t| t.text)
            .collect();
        assert_eq!(
            words,
            ["de", "wereld", "Hallo", "Jan", "ging", "Naar", "huis"]
        );
        let starts: Vec<&str> = toks
            .iter()
            .filter(|t| t.sent_start)
            .map(|t| t.text)
            .collect();
        assert_eq!(starts, ["de", "Jan", "Naar"]);
    }
}
