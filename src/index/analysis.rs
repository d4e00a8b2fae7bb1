//! Text analysis of the search index: the Dutch analyzer of the `text` field and the keyword
//! analyzer of the code fields.
//!
//! Dutch analyzer (`nl`): words are runs of letters and digits; a pseudonym keeps its identity
//! as one token (`[INSTELLING-123456]` -> `instelling-123456`, also written without brackets;
//! `[CLIENT]` -> `[client]`, so the client placeholder never meets the word "cliënt"); then
//! lower case, ASCII folding ("cliënt" -> "client") and [`DutchStem`]: the Dutch Snowball
//! stemmer (the algorithm of tantivy's `Stemmer::new(Language::Dutch)`, from the same
//! rust-stemmers crate) applied to words but never to pseudonyms (Snowball would turn `[client]`
//! into `client`), followed by two small Dutch spelling rules Snowball lacks, so verb forms meet:
//! a final `-d`/`-t` after `s`/`f` in words of 7 letters or more is dropped (verhuisd, verhuist)
//! and a final `z`/`v` of the stem becomes `s`/`f` (verhuiz-ing, verhuiz-en). So "verhuisd",
//! "verhuist", "verhuizen" and "verhuizing" all become `verhuis`. Short words are left alone
//! (kust, rust, post), so "kust" never meets "kus".
//! Keyword analyzer (`kw`): the whole value as one token, trimmed, surrounding brackets removed,
//! lower-cased, so `wlz:VG7`, `wlz:vg7` and `instelling:[INSTELLING-1]` all match.
//!
//! Owns: tokenisation only. Must never: keep or log the text it sees.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer,
};

/// The registered name of the Dutch analyzer.
pub const DUTCH: &str = "nl";
/// The registered name of the keyword analyzer.
pub const KEYWORD: &str = "kw";

/// The Dutch analyzer: [`WordTokenizer`], long-token removal, lower case, ASCII folding, stemmer.
pub fn dutch() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer)
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(DutchStem)
        .build()
}

/// Whether an analysed token is a pseudonym (`[client]`, `instelling-12`): never stemmed.
fn is_pseudonym(t: &str) -> bool {
    t.starts_with('[') || t.bytes().last().is_some_and(|b| b.is_ascii_digit()) && t.contains('-')
}

/// The stem of one lower-cased, folded word (see the module documentation).
pub fn stem(stemmer: &rust_stemmers::Stemmer, word: &str) -> String {
    if is_pseudonym(word) {
        return word.to_string();
    }
    let mut s = stemmer.stem(word).into_owned();
    if s.chars().count() >= 7
        && (s.ends_with("sd") || s.ends_with("st") || s.ends_with("fd") || s.ends_with("ft"))
    {
        s.pop();
    }
    if s.chars().count() >= 4 {
        if s.ends_with('z') {
            s.pop();
            s.push('s');
        } else if s.ends_with('v') {
            s.pop();
            s.push('f');
        }
    }
    s
}

/// Token filter: Dutch stemming of words, pseudonyms untouched.
#[derive(Clone, Copy, Default)]
pub struct DutchStem;

impl TokenFilter for DutchStem {
    type Tokenizer<T: Tokenizer> = DutchStemFilter<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> DutchStemFilter<T> {
        DutchStemFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct DutchStemFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for DutchStemFilter<T> {
    type TokenStream<'a> = DutchStemStream<T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        DutchStemStream {
            tail: self.inner.token_stream(text),
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Dutch),
        }
    }
}

pub struct DutchStemStream<S> {
    tail: S,
    stemmer: rust_stemmers::Stemmer,
}

impl<S: TokenStream> TokenStream for DutchStemStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let t = self.tail.token_mut();
        t.text = stem(&self.stemmer, &t.text);
        true
    }
    fn token(&self) -> &Token {
        self.tail.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The keyword analyzer (one token per value).
pub fn keyword() -> TextAnalyzer {
    TextAnalyzer::builder(KeywordTokenizer).build()
}

/// Registers both analyzers on an index (needed on every open).
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(DUTCH, dutch());
    index.tokenizers().register(KEYWORD, keyword());
}

/// A token stream over precomputed tokens.
pub struct VecTokenStream {
    tokens: std::vec::IntoIter<Token>,
    cur: Token,
}

impl VecTokenStream {
    fn new(tokens: Vec<Token>) -> VecTokenStream {
        VecTokenStream {
            tokens: tokens.into_iter(),
            cur: Token::default(),
        }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.cur = t;
                true
            }
            None => false,
        }
    }
    fn token(&self) -> &Token {
        &self.cur
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.cur
    }
}

/// Splits text into words (runs of letters and digits) and pseudonym tokens.
#[derive(Clone, Default)]
pub struct WordTokenizer;

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(words(text))
    }
}

/// `[NAME]` or `[NAME-digits]` at the start of `s` (NAME upper-case ASCII letters or `_`):
/// (length in bytes, token text).
fn pseudonym_at(s: &str) -> Option<(usize, String)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'[') {
        return None;
    }
    let mut i = 1;
    while i < b.len() && (b[i].is_ascii_uppercase() || b[i] == b'_') {
        i += 1;
    }
    let name_end = i;
    if name_end == 1 {
        return None;
    }
    let mut digits = None;
    if i < b.len() && b[i] == b'-' {
        let d0 = i + 1;
        let mut j = d0;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j == d0 {
            return None;
        }
        digits = Some((d0, j));
        i = j;
    }
    if i >= b.len() || b[i] != b']' {
        return None;
    }
    let name = s.get(1..name_end)?.to_ascii_lowercase();
    let text = match digits {
        Some((d0, d1)) => format!("{name}-{}", s.get(d0..d1)?),
        None => format!("[{name}]"),
    };
    Some((i + 1, text))
}

/// The tokens of `text` before filtering.
fn words(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut i = 0usize;
    let len = text.len();
    while i < len {
        let Some(rest) = text.get(i..) else { break };
        let Some(c) = rest.chars().next() else { break };
        if c == '[' {
            if let Some((n, t)) = pseudonym_at(rest) {
                out.push(token(i, i + n, pos, t));
                pos += 1;
                i += n;
                continue;
            }
        }
        if !c.is_alphanumeric() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let mut end = i;
        for (off, ch) in rest.char_indices() {
            if ch.is_alphanumeric() {
                end = i + off + ch.len_utf8();
            } else {
                break;
            }
        }
        // ASCII letters, '-', digits: a pseudonym written without brackets (INSTELLING-12).
        let word = text.get(start..end).unwrap_or("");
        if word.bytes().all(|b| b.is_ascii_alphabetic()) {
            let tail = text.get(end..).unwrap_or("").as_bytes();
            if tail.first() == Some(&b'-') {
                let n = tail
                    .iter()
                    .skip(1)
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let after = tail.get(1 + n).copied();
                if n > 0 && !after.is_some_and(|b| b.is_ascii_alphanumeric()) {
                    end += 1 + n;
                }
            }
        }
        out.push(token(
            start,
            end,
            pos,
            text.get(start..end).unwrap_or("").to_string(),
        ));
        pos += 1;
        i = end;
    }
    out
}

fn token(from: usize, to: usize, position: usize, text: String) -> Token {
    Token {
        offset_from: from,
        offset_to: to,
        position,
        text,
        position_length: 1,
    }
}

/// The whole value as one token: trimmed, brackets removed, lower case.
#[derive(Clone, Default)]
pub struct KeywordTokenizer;

impl Tokenizer for KeywordTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let t = normalise_keyword(text);
        let tokens = if t.is_empty() {
            Vec::new()
        } else {
            vec![token(0, text.len(), 0, t)]
        };
        VecTokenStream::new(tokens)
    }
}

/// The indexed form of a keyword value.
pub fn normalise_keyword(value: &str) -> String {
    let t = value.trim();
    let t = t.strip_prefix('[').unwrap_or(t);
    let t = t.strip_suffix(']').unwrap_or(t);
    t.trim().to_lowercase()
}

/// The analysed tokens of `text` with the Dutch analyzer (for tests and diagnostics).
pub fn analyse(text: &str) -> Vec<String> {
    let mut a = dutch();
    let mut s = a.token_stream(text);
    let mut out = Vec::new();
    while s.advance() {
        out.push(s.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_stay_one_token() {
        let t = analyse("[CLIENT] ging met [NAASTE-4821] naar INSTELLING-123456.");
        assert_eq!(t[0], "[client]");
        assert!(t.contains(&"naaste-4821".to_string()), "{t:?}");
        assert!(t.contains(&"instelling-123456".to_string()), "{t:?}");
        assert_eq!(analyse("[INSTELLING-123456]"), vec!["instelling-123456"]);
    }

    #[test]
    fn folding_and_case() {
        assert_eq!(analyse("Cliënt"), analyse("client"));
        assert_ne!(analyse("[CLIENT]"), analyse("cliënt"));
    }

    #[test]
    fn dutch_stems() {
        let one = |w: &str| analyse(w).join(" ");
        for w in [
            "verhuisd",
            "verhuist",
            "verhuizen",
            "verhuizing",
            "verhuizingen",
            "verhuisde",
        ] {
            assert_eq!(one(w), "verhuis", "{w}");
        }
        assert_eq!(one("begeleiders"), one("begeleider"));
        assert_eq!(one("wisselingen"), one("wisseling"));
        assert_eq!(one("onrustige"), one("onrustig"));
        assert_ne!(one("kust"), one("kus"));
        assert_ne!(one("[CLIENT]"), one("cliënt"));
        assert_eq!(one("[CLIENT]"), "[client]");
    }

    #[test]
    fn keyword_normalises() {
        assert_eq!(normalise_keyword(" [INSTELLING-12] "), "instelling-12");
        assert_eq!(normalise_keyword("VG7"), "vg7");
    }

    #[test]
    fn empty_and_odd_input_do_not_panic() {
        assert!(analyse("").is_empty());
        assert!(analyse("[").is_empty());
        assert!(analyse("[-]").is_empty());
        assert_eq!(analyse("[ABC-]").len(), 1);
        assert_eq!(analyse("é-1").len(), 2);
    }
}
