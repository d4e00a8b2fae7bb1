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
    pub kind: Kind,
    /// First word of a sentence, a line or a list item.
    pub sent_start: bool,
    /// Whitespace (other than a newline) directly before this token.
    pub space_before: bool,
    /// A wide gap before this token (a tab or two or more spaces): a column boundary.
    pub gap_before: bool,
}

impl Tok<'_> {
    pub fn is_cap(&self) -> bool {
        self.kind == Kind::Word && self.text.chars().next().is_some_and(char::is_uppercase)
    }
    pub fn is_allcaps(&self) -> bool {
        self.kind == Kind::Word
            && self.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && self.text.chars().all(|c| !c.is_lowercase())
    }
    pub fn is_punct(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }
}

/// Lower case without allocating when `s` has no upper-case letter.
pub fn lower_cow(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
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
            toks.push(Tok {
                start: i,
                end: i + 1,
                text: &text[i..i + 1],
                low: Cow::Borrowed(&text[i..i + 1]),
                kind: Kind::Newline,
                sent_start: false,
                space_before,
                gap_before: false,
            });
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
                toks.push(Tok {
                    start: i,
                    end,
                    text: &text[i..end],
                    low: lower_cow(&text[i..end]),
                    kind: Kind::Word,
                    sent_start: false,
                    space_before,
                    gap_before,
                });
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
            toks.push(Tok {
                start: i,
                end,
                text: &text[i..end],
                low: lower_cow(&text[i..end]),
                kind: Kind::Word,
                sent_start: false,
                space_before,
                gap_before,
            });
        } else if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = it.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = j + 1;
                it.next();
            }
            toks.push(Tok {
                start: i,
                end,
                text: &text[i..end],
                low: Cow::Borrowed(&text[i..end]),
                kind: Kind::Num,
                sent_start: false,
                space_before,
                gap_before,
            });
        } else {
            let end = i + c.len_utf8();
            toks.push(Tok {
                start: i,
                end,
                text: &text[i..end],
                low: Cow::Borrowed(&text[i..end]),
                kind: Kind::Punct,
                sent_start: false,
                space_before,
                gap_before,
            });
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
