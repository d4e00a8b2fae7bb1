//! A small tokenizer for Dutch dossier text: words (split at glued lower-to-upper joins that
//! PDF extraction leaves, "wereldHallo"), numbers, punctuation and line breaks, each with byte
//! offsets and whether it starts a sentence.
//!
//! Most dossier text is ASCII, so `scan` classifies ASCII bytes through one table and, for a
//! word of ASCII letters, finds its end and computes its case facts and the hash of its lower
//! case form in the same loop. Any other character takes the general path, which is the
//! tokenizer's original code. The lower-case forms of the capitalised words of a text share
//! one lower-cased copy of the text instead of one allocation each (see [`Low`]).

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Num,
    Punct,
    Newline,
}

/// A token's text in lower case: the text itself when that has no capitals, else a lower-case
/// copy. The capitalised words of ASCII letters of one tokenized text share one lower-cased
/// copy of the text, so a text with thousands of capitalised words costs one allocation, not
/// thousands. Use it as a `&str` (it dereferences to one).
#[derive(Clone)]
pub struct Low<'a>(LowRepr<'a>);

#[derive(Clone)]
enum LowRepr<'a> {
    /// The token's text, which has no capitals.
    Text(&'a str),
    /// `buf[start..end]`.
    Shared {
        buf: Arc<str>,
        start: u32,
        end: u32,
    },
    Owned(String),
}

impl<'a> Low<'a> {
    /// Whether this is the token's text itself (it had no capitals to lower).
    #[cfg(test)]
    pub fn is_text(&self) -> bool {
        matches!(self.0, LowRepr::Text(_))
    }

    /// As a `Cow`: borrowed when this is the token's text, else owned.
    pub fn into_cow(self) -> Cow<'a, str> {
        match self.0 {
            LowRepr::Text(s) => Cow::Borrowed(s),
            LowRepr::Owned(s) => Cow::Owned(s),
            LowRepr::Shared { .. } => Cow::Owned(self.to_string()),
        }
    }

    fn from_cow(c: Cow<'a, str>) -> Low<'a> {
        match c {
            Cow::Borrowed(s) => Low(LowRepr::Text(s)),
            Cow::Owned(s) => Low(LowRepr::Owned(s)),
        }
    }
}

impl Deref for Low<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match &self.0 {
            LowRepr::Text(s) => s,
            LowRepr::Shared { buf, start, end } => {
                buf.get(*start as usize..*end as usize).unwrap_or("")
            }
            LowRepr::Owned(s) => s,
        }
    }
}

impl fmt::Debug for Low<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for Low<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl PartialEq<str> for Low<'_> {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for Low<'_> {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

#[derive(Debug, Clone)]
pub struct Tok<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    /// `text` in lower case, made once here: the detectors look words up in lower case many
    /// times, and most words are already lower case (then this borrows, no allocation).
    pub low: Low<'a>,
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
    /// A token with no case facts (also a word's start, before its facts are filled in).
    fn plain(text: &'a str, start: usize, end: usize, kind: Kind) -> Tok<'a> {
        let s = text.get(start..end).unwrap_or("");
        Tok {
            start,
            end,
            text: s,
            low: Low(LowRepr::Text(s)),
            hash: 0,
            kind,
            sent_start: false,
            space_before: false,
            gap_before: false,
            cap: false,
            allcaps: false,
        }
    }

    /// The general (slow) way to make a token, for any text.
    fn new(text: &'a str, start: usize, end: usize, kind: Kind) -> Tok<'a> {
        let mut tok = Tok::plain(text, start, end, kind);
        if kind != Kind::Word {
            return tok;
        }
        let s = tok.text;
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
                tok.low = Low(LowRepr::Owned(s.to_ascii_lowercase()));
            }
        } else {
            tok.cap = s.chars().next().is_some_and(char::is_uppercase);
            tok.allcaps = s.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && s.chars().all(|c| !c.is_lowercase());
            tok.low = Low::from_cow(lower_cow(s));
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
    /// Whether this is the punctuation token `p`. Asked of every token by several rules, so
    /// it compares the bytes in line (`p` is a literal of one to three bytes) instead of
    /// calling `memcmp`.
    #[inline]
    pub fn is_punct(&self, p: &str) -> bool {
        self.kind == Kind::Punct && eq_short(self.text, p)
    }
}

/// `a == b`, comparing byte by byte in line: for a short literal `b` this is a few compares,
/// where `==` on strings calls `memcmp`.
#[inline]
pub fn eq_short(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
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

// The class of a byte for `scan`'s fast path. For an ASCII byte the class says all that the
// general path would find out from the character: `char::is_whitespace` holds exactly for
// '\t', '\n', '\x0b', '\x0c', '\r' and ' ' (checked by a test), `is_word_char` exactly for the
// ASCII letters, whose case `is_uppercase`/`is_lowercase` give as `is_ascii_*` do.
const C_OTHER: u8 = 0; // other ASCII: punctuation and control characters
const C_NEWLINE: u8 = 1;
const C_SPACE: u8 = 2; // ' ', '\r', '\x0b', '\x0c'
const C_TAB: u8 = 3;
const C_UPPER: u8 = 4;
const C_LOWER: u8 = 5;
const C_DIGIT: u8 = 6;
const C_NON_ASCII: u8 = 7; // a byte of a multi-byte character: the general path

const fn byte_class(b: u8) -> u8 {
    match b {
        b'\n' => C_NEWLINE,
        b' ' | b'\r' | 0x0b | 0x0c => C_SPACE,
        b'\t' => C_TAB,
        b'A'..=b'Z' => C_UPPER,
        b'a'..=b'z' => C_LOWER,
        b'0'..=b'9' => C_DIGIT,
        0x80..=0xff => C_NON_ASCII,
        _ => C_OTHER,
    }
}

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = byte_class(i as u8);
        i += 1;
    }
    t
};

fn class_of(b: u8) -> u8 {
    CLASS[usize::from(b)]
}

pub fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::with_capacity(text.len() / 4);
    scan(text, &mut toks);
    mark_sentence_starts(&mut toks);
    toks
}

/// The first token of `text` (without its sentence-start mark).
pub fn first_token(text: &str) -> Option<Tok<'_>> {
    let mut first = None;
    scan(text, &mut first);
    first
}

/// Where `scan` puts the tokens: all of them (a `Vec`), or only the first (an `Option`, with
/// no allocation for a list).
trait Sink<'a> {
    /// Whether capitalised words share one lower-cased copy of the text (worth it only for
    /// many tokens).
    const SHARE_LOWS: bool;
    fn push(&mut self, t: Tok<'a>);
    fn full(&self) -> bool;
    fn count(&self) -> usize;
    fn toks_mut(&mut self) -> &mut [Tok<'a>];
}

impl<'a> Sink<'a> for Vec<Tok<'a>> {
    const SHARE_LOWS: bool = true;
    fn push(&mut self, t: Tok<'a>) {
        Vec::push(self, t);
    }
    fn full(&self) -> bool {
        false
    }
    fn count(&self) -> usize {
        self.len()
    }
    fn toks_mut(&mut self) -> &mut [Tok<'a>] {
        self
    }
}

impl<'a> Sink<'a> for Option<Tok<'a>> {
    const SHARE_LOWS: bool = false;
    fn push(&mut self, t: Tok<'a>) {
        if self.is_none() {
            *self = Some(t);
        }
    }
    fn full(&self) -> bool {
        self.is_some()
    }
    fn count(&self) -> usize {
        usize::from(self.is_some())
    }
    fn toks_mut(&mut self) -> &mut [Tok<'a>] {
        self.as_mut_slice()
    }
}

/// The end of a word whose first `end - i` bytes (from `i`) are scanned, with the state of
/// the glued-word split so far: the general loop, for any characters.
fn word_end(
    text: &str,
    i: usize,
    mut end: usize,
    mut prev_lower: bool,
    mut all_upper_so_far: bool,
) -> usize {
    let bytes = text.as_bytes();
    loop {
        // ASCII letters are most of the text: their case is one comparison.
        let (len, lower, upper) = match bytes.get(end) {
            Some(&b) if b.is_ascii_alphabetic() => {
                (1, b.is_ascii_lowercase(), b.is_ascii_uppercase())
            }
            Some(&b) if b < 0x80 => break,
            Some(_) => match char_at(text, end) {
                Some(d) if is_word_char(d) => (d.len_utf8(), d.is_lowercase(), d.is_uppercase()),
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
    end
}

/// The capitalised words of ASCII letters of a scan, to be given their lower case at the end:
/// slices of one lower-cased copy of the whole text. Lowering ASCII keeps every byte where it
/// is (and leaves other bytes alone), so such a word's lower case sits in that copy at the
/// word's own offsets.
struct LowBuf {
    /// Off for a scan of one token (`first_token`), where a copy of the word is cheaper, and
    /// for a text too long for `u32` offsets.
    on: bool,
    /// Indexes of the tokens.
    pending: Vec<usize>,
}

impl LowBuf {
    /// Note token `idx` (a capitalised word of ASCII letters); false when off (then the
    /// caller gives the token its own copy).
    fn add(&mut self, idx: usize) -> bool {
        if self.on {
            self.pending.push(idx);
        }
        self.on
    }

    /// Give the noted tokens of `text` their lower-case forms.
    fn finish(self, text: &str, toks: &mut [Tok<'_>]) {
        match self.pending.as_slice() {
            [] => {}
            [idx] => {
                if let Some(t) = toks.get_mut(*idx) {
                    t.low = Low(LowRepr::Owned(t.text.to_ascii_lowercase()));
                }
            }
            many => {
                let mut buf: Arc<str> = Arc::from(text);
                if let Some(b) = Arc::get_mut(&mut buf) {
                    b.make_ascii_lowercase();
                }
                for &idx in many {
                    let Some(t) = toks.get_mut(idx) else {
                        continue;
                    };
                    t.low = match (u32::try_from(t.start), u32::try_from(t.end)) {
                        (Ok(start), Ok(end)) => Low(LowRepr::Shared {
                            buf: Arc::clone(&buf),
                            start,
                            end,
                        }),
                        _ => Low(LowRepr::Owned(t.text.to_ascii_lowercase())),
                    };
                }
            }
        }
    }
}

/// The tokens of `text` into `toks`, until it is full.
///
/// The same tokens as the general loop over characters would give (kept as `reference` in
/// the tests): an ASCII byte is a whole character, and its class (see `CLASS`) answers the
/// general loop's questions about it, so only the bytes of other characters need decoding.
/// A word of ASCII letters only has the case facts and hash that `Tok::new` computes for an
/// ASCII word, computed here while its end is found; a word that reaches a non-ASCII letter
/// continues in the general loop and is made by `Tok::new`.
fn scan<'a, S: Sink<'a>>(text: &'a str, toks: &mut S) {
    let on = S::SHARE_LOWS && u32::try_from(text.len()).is_ok();
    let mut lows = LowBuf {
        on,
        // About one capitalised word in 25 bytes of dossier text.
        pending: if on {
            Vec::with_capacity(text.len() / 16)
        } else {
            Vec::new()
        },
    };
    let bytes = text.as_bytes();
    let mut space_before = false;
    let mut gap = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if toks.full() {
            break;
        }
        let class = class_of(b);
        let (c, clen) = match class {
            C_NEWLINE => {
                let mut t = Tok::plain(text, i, i + 1, Kind::Newline);
                t.space_before = space_before;
                toks.push(t);
                space_before = false;
                gap = 0;
                i += 1;
                continue;
            }
            C_SPACE | C_TAB => {
                space_before = true;
                gap += if class == C_TAB { 2 } else { 1 };
                i += 1;
                continue;
            }
            C_NON_ASCII => {
                let Some(c) = char_at(text, i) else {
                    break;
                };
                let clen = c.len_utf8();
                // Not '\t' (ASCII): one column.
                if c.is_whitespace() {
                    space_before = true;
                    gap += 1;
                    i += clen;
                    continue;
                }
                (c, clen)
            }
            _ => (char::from(b), 1),
        };
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
        if class == C_UPPER || class == C_LOWER {
            // A word that starts with an ASCII letter: while its letters are ASCII, the split
            // test, the count of capitals and the hash of the lower-case form in one loop.
            // Every byte taken is an ASCII letter, so its lower case is `d | 0x20`, the
            // letters that are not capitals are lower case, and after a lower-case letter the
            // word is not all capitals so far (the general loop's `!all_upper_so_far` holds).
            let mut prev_lower = class == C_LOWER;
            let mut upper = usize::from(!prev_lower);
            let mut h = crate::rules::word_hash_step(crate::rules::WORD_HASH_SEED, b | 0x20);
            let mut end = i + 1;
            let mut ascii = true;
            while let Some(&d) = bytes.get(end) {
                match class_of(d) {
                    C_LOWER => prev_lower = true,
                    C_UPPER => {
                        if prev_lower && end - i > 2 {
                            break;
                        }
                        prev_lower = false;
                        upper += 1;
                    }
                    dc => {
                        // A non-ASCII byte may start a letter: the general loop goes on.
                        ascii = dc != C_NON_ASCII;
                        break;
                    }
                }
                h = crate::rules::word_hash_step(h, d | 0x20);
                end += 1;
            }
            if !ascii {
                let all_upper_so_far = upper == end - i;
                let word_end = word_end(text, i, end, prev_lower, all_upper_so_far);
                // Stopped before a non-letter: still a word of ASCII letters only.
                ascii = word_end == end;
                end = word_end;
            }
            if ascii {
                let s = text.get(i..end).unwrap_or("");
                let low = if upper == 0 || lows.add(toks.count()) {
                    Low(LowRepr::Text(s))
                } else {
                    Low(LowRepr::Owned(s.to_ascii_lowercase()))
                };
                toks.push(Tok {
                    start: i,
                    end,
                    text: s,
                    low,
                    hash: h,
                    kind: Kind::Word,
                    sent_start: false,
                    space_before,
                    gap_before,
                    cap: class == C_UPPER,
                    allcaps: upper >= 2 && upper == end - i,
                });
            } else {
                let mut t = Tok::new(text, i, end, Kind::Word);
                t.space_before = space_before;
                t.gap_before = gap_before;
                toks.push(t);
            }
            space_before = false;
            i = end;
            continue;
        }
        let mut t = if class == C_NON_ASCII && is_word_char(c) {
            let end = word_end(text, i, i + clen, c.is_lowercase(), c.is_uppercase());
            Tok::new(text, i, end, Kind::Word)
        } else if class == C_DIGIT {
            let mut end = i + 1;
            while bytes.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            Tok::plain(text, i, end, Kind::Num)
        } else {
            Tok::plain(text, i, i + clen, Kind::Punct)
        };
        t.space_before = space_before;
        t.gap_before = gap_before;
        space_before = false;
        i = t.end;
        toks.push(t);
    }
    lows.finish(text, toks.toks_mut());
}

/// Sentence starts: the first word after a line break, a sentence end, a colon, a bullet or
/// an opening quote/bracket at the start of a line.
fn mark_sentence_starts(toks: &mut [Tok]) {
    let mut starts = SentenceStarts::default();
    for t in toks.iter_mut() {
        t.sent_start = starts.step(t.kind, t.text, t.space_before);
    }
}

/// The state of [`mark_sentence_starts`], fed one token at a time (the reference tokenizer of
/// the tests feeds it too).
struct SentenceStarts {
    expect_start: bool,
    /// Before the line's first word.
    line_head: bool,
    /// The last two tokens were a number and a dot glued to it.
    num_dot: (bool, bool),
    /// A bracket opened at a line's head ("09:45 (Duc Anh) Lang geslapen"): the word after it
    /// closes starts the entry's sentence.
    head_bracket: bool,
}

impl Default for SentenceStarts {
    fn default() -> Self {
        SentenceStarts {
            expect_start: true,
            line_head: true,
            num_dot: (false, false),
            head_bracket: false,
        }
    }
}

impl SentenceStarts {
    /// Takes the next token; whether it is a word that starts a sentence.
    fn step(&mut self, kind: Kind, text: &str, space_before: bool) -> bool {
        // A section number at a line's head ("5.1 Maak een profiel", "2.3.1 Wonen"): the word
        // after it starts a sentence. (Not a time: "07.45 Jan" has two digits after the dot.)
        let section = kind == Kind::Num
            && self.line_head
            && self.num_dot == (true, true)
            && !space_before
            && text.len() == 1;
        self.num_dot = match kind {
            Kind::Num => (true, false),
            Kind::Punct if text == "." && !space_before && self.num_dot.0 => (true, true),
            _ => (false, false),
        };
        match kind {
            Kind::Newline => {
                self.expect_start = true;
                self.line_head = true;
                self.head_bracket = false;
            }
            Kind::Punct if text == "(" && self.line_head => self.head_bracket = true,
            Kind::Punct if text == ")" && self.head_bracket => {
                self.head_bracket = false;
                self.expect_start = true;
            }
            Kind::Punct => {
                // A dash with a space before it separates parts of a line ("Fase 3 - Hoge
                // spanning"), and the part after it starts with a capital as a sentence does.
                if matches!(text, "." | "!" | "?" | ":" | "•" | ";")
                    || (space_before && matches!(text, "-" | "–" | "—"))
                {
                    self.expect_start = true;
                } else if !matches!(
                    text,
                    "-" | "–" | "—" | "*" | "(" | "\"" | "'" | "‘" | "“" | ")"
                ) {
                    self.expect_start = false;
                }
            }
            Kind::Word => {
                let start = self.expect_start;
                self.expect_start = false;
                self.line_head = false;
                return start;
            }
            Kind::Num => self.expect_start = section && self.expect_start,
        }
        false
    }
}

/// The tokenizer as it was before the fast path (commit df4772f), kept to check that the
/// fast one gives the same tokens for any input.
#[cfg(test)]
mod reference {
    #![allow(dead_code)]
    use std::borrow::Cow;

    use super::Kind;

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

    /// Sentence starts, as the fast path marks them (the same state machine).
    fn mark_sentence_starts(toks: &mut [Tok]) {
        let mut starts = super::SentenceStarts::default();
        for t in toks.iter_mut() {
            t.sent_start = starts.step(t.kind, t.text, t.space_before);
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
                assert_eq!(*t.low, t.text.to_lowercase(), "{}", t.text);
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

    /// Whether two token lists are the same in every field.
    fn same(new: &[Tok], old: &[reference::Tok], text: &str) {
        assert_eq!(new.len(), old.len(), "{text:?}");
        for (a, b) in new.iter().zip(old) {
            let ctx = format!("{text:?} at {}: {:?}", b.start, b.text);
            assert_eq!(a.start, b.start, "{ctx}");
            assert_eq!(a.end, b.end, "{ctx}");
            assert_eq!(a.text, b.text, "{ctx}");
            assert_eq!(&*a.low, &*b.low, "{ctx}");
            assert_eq!(a.low.is_text(), matches!(b.low, Cow::Borrowed(_)), "{ctx}");
            assert_eq!(a.hash, b.hash, "{ctx}");
            assert_eq!(a.kind, b.kind, "{ctx}");
            assert_eq!(a.sent_start, b.sent_start, "{ctx}");
            assert_eq!(a.space_before, b.space_before, "{ctx}");
            assert_eq!(a.gap_before, b.gap_before, "{ctx}");
            assert_eq!(a.is_cap(), b.is_cap(), "{ctx}");
            assert_eq!(a.is_allcaps(), b.is_allcaps(), "{ctx}");
            assert_eq!(format!("{:?}", a.low), format!("{:?}", b.low), "{ctx}");
        }
    }

    fn check(text: &str) {
        same(&tokenize(text), &reference::tokenize(text), text);
        let a = first_token(text);
        let b = reference::first_token(text);
        same(a.as_slice(), b.as_slice(), text);
    }

    #[test]
    fn byte_classes_agree_with_the_char_tests() {
        for b in 0u8..128 {
            let c = char::from(b);
            let class = class_of(b);
            assert_eq!(
                c.is_whitespace(),
                matches!(class, C_NEWLINE | C_SPACE | C_TAB),
                "{b}"
            );
            assert_eq!(is_word_char(c), matches!(class, C_UPPER | C_LOWER), "{b}");
            assert_eq!(c.is_uppercase(), class == C_UPPER, "{b}");
            assert_eq!(c.is_lowercase(), class == C_LOWER, "{b}");
            assert_eq!(c.is_ascii_digit(), class == C_DIGIT, "{b}");
        }
        assert!((128..=255u8).all(|b| class_of(b) == C_NON_ASCII));
    }

    #[test]
    fn same_tokens_as_the_reference_for_tricky_texts() {
        let texts = [
            "",
            " ",
            "\n",
            "a",
            "A",
            "Ab",
            "AB",
            "ABC",
            "aB",
            "abC",
            "abcD",
            "McDonald",
            "wereldHallo",
            "WERELDhallo",
            "de wereldHallo. Jan ging\nNaar huis",
            "van 't Hof, woongroep ’s Anker; 't",
            "'tis 'sa ’tx 't’ ’s'",
            "'T 'S ’ ’t",
            "café Émile ÉMILE éa İk İSTANBUL straße STRASSE",
            "e\u{301}e Ae\u{301}B \u{301}abc a\u{301}Bc",
            "a\u{a0}b\u{2003}\u{2003}c\t\td \te  f\u{85}g\u{2028}h",
            "x\r\ny\x0bz\x0c.",
            "12ab 3.4 ٣ 12:30 (zie: bijlage) - • € “quote” ‘x’",
            "ǅemal ϒ Ⓐⓑ 𝐀𝐁 ß ſ ﬁ",
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéabcDEF",
            "   \t\n\n  \u{a0}",
            "aBé aBÉ abÉ abcÉd ABé",
        ];
        for t in texts {
            check(t);
        }
    }

    #[test]
    fn same_tokens_as_the_reference_for_random_texts() {
        let pieces = [
            "a",
            "b",
            "t",
            "s",
            "z",
            "A",
            "B",
            "Q",
            "Z",
            "0",
            "7",
            "é",
            "Ë",
            "İ",
            "ß",
            "’",
            "'",
            "\t",
            "\n",
            " ",
            "\u{a0}",
            "\u{2003}",
            "\u{301}",
            ".",
            "-",
            "(",
            ":",
            "'t",
            "’s",
            "wereldHallo",
            "\r",
            "€",
            "M",
            "c",
        ];
        // xorshift64*: deterministic, no dependency.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let mut text = String::new();
            for _ in 0..len {
                let k = (next() % pieces.len() as u64) as usize;
                text.push_str(pieces.get(k).copied().unwrap_or(""));
            }
            check(&text);
        }
    }
}
