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
    /// The list hash of `low` (`rules::word_hash`), made once here so that look-ups in the
    /// word lists need not hash the word again.
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
        let low = if kind == Kind::Word {
            lower_cow(s)
        } else {
            Cow::Borrowed(s)
        };
        let (cap, allcaps) = if kind != Kind::Word {
            (false, false)
        } else if s.is_ascii() {
            let b = s.as_bytes();
            (
                b.first().is_some_and(u8::is_ascii_uppercase),
                b.iter().filter(|c| c.is_ascii_alphabetic()).count() >= 2
                    && !b.iter().any(u8::is_ascii_lowercase),
            )
        } else {
            (
                s.chars().next().is_some_and(char::is_uppercase),
                s.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && s.chars().all(|c| !c.is_lowercase()),
            )
        };
        Tok {
            start,
            end,
            text: s,
            hash: crate::rules::word_hash(low.as_bytes()),
            low,
            kind,
            sent_start: false,
            space_before: false,
            gap_before: false,
            cap,
            allcaps,
        }
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

pub fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let mut toks: Vec<Tok<'_>> = Vec::with_capacity(text.len() / 4);
    let mut it = text.char_indices().peekable();
    let mut space_before = false;
    let mut gap = 0usize;
    while let Some((i, c)) = it.next() {
        if c == '\n' {
            let mut t = Tok::new(text, i, i + 1, Kind::Newline);
            t.space_before = space_before;
            toks.push(t);
            space_before = false;
            gap = 0;
            continue;
        }
        if c.is_whitespace() {
            space_before = true;
            gap += if c == '\t' { 2 } else { 1 };
            continue;
        }
        let gap_before = gap >= 2;
        gap = 0;
        // "'t" and "'s" (het, des) are words: "van 't Hof", "woongroep 't Anker".
        if c == '\'' || c == '’' {
            let mut ahead = text[i + c.len_utf8()..].chars();
            let (n1, n2) = (ahead.next(), ahead.next());
            if matches!(n1, Some('t' | 's')) && !n2.is_some_and(is_word_char) {
                let end = i + c.len_utf8() + 1;
                it.next();
                let mut t = Tok::new(text, i, end, Kind::Word);
                t.space_before = space_before;
                t.gap_before = gap_before;
                toks.push(t);
                space_before = false;
                continue;
            }
        }
        if is_word_char(c) {
            let mut end = i + c.len_utf8();
            let mut prev = c;
            let mut all_upper_so_far = c.is_uppercase();
            while let Some(&(j, d)) = it.peek() {
                if !is_word_char(d) {
                    break;
                }
                // Split "wereldHallo" (lower then upper) but not "McDonald"-like single caps
                // after a 2-letter start, nor ALL-CAPS words.
                if prev.is_lowercase() && d.is_uppercase() && !all_upper_so_far && end - i > 2 {
                    break;
                }
                all_upper_so_far &= d.is_uppercase();
                end = j + d.len_utf8();
                prev = d;
                it.next();
            }
            let mut t = Tok::new(text, i, end, Kind::Word);
            t.space_before = space_before;
            t.gap_before = gap_before;
            toks.push(t);
        } else if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = it.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = j + 1;
                it.next();
            }
            let mut t = Tok::new(text, i, end, Kind::Num);
            t.space_before = space_before;
            t.gap_before = gap_before;
            toks.push(t);
        } else {
            let end = i + c.len_utf8();
            let mut t = Tok::new(text, i, end, Kind::Punct);
            t.space_before = space_before;
            t.gap_before = gap_before;
            toks.push(t);
        }
        space_before = false;
    }
    // Sentence starts: the first word after a line break, a sentence end, a colon, a bullet or
    // an opening quote/bracket at the start of a line.
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
    toks
}

#[cfg(test)]
mod tests {
    use super::*;

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
