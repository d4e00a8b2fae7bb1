//! Finding a set of phrases (provider names from the list, the variants of the names found in
//! a case) in a tokenized text, at token starts, on word boundaries, longest first.
//!
//! Why not an Aho-Corasick automaton over the raw text: every phrase begins at a word
//! boundary, and in a tokenized text that is always a token start, so one hash look-up per
//! token replaces a walk over every byte; and a case's name variants change with every case,
//! where building an automaton costs more than searching with it.
//!
//! Owns: the phrase index and its matching rule. Must never: match inside a word, or return
//! overlapping matches.

use rustc_hash::FxHashMap;

use std::borrow::Cow;

use super::tokens::{first_token, Kind, Tok};
use crate::rules::word_hash;

/// A first token and the positions of the phrases that start with it.
type Group<'a> = (Cow<'a, str>, Vec<u32>);

/// Phrases grouped by their first token; in each group the longest comes first. Phrases given
/// as borrowed strings stay borrowed (a case's name variants are indexed once and dropped).
#[derive(Debug, Default)]
pub struct PhraseIndex<'a> {
    /// List hash of the first token (lower case when folding, else as written) -> that token
    /// and its phrases' positions. Tokens carry the hash of their lower-case form, so a
    /// look-up per token costs no hashing of strings.
    buckets: FxHashMap<u64, Vec<Group<'a>>>,
    phrases: Vec<Cow<'a, str>>,
    /// Compare ASCII letters without regard to case (other characters exactly).
    ascii_case_insensitive: bool,
}

/// The bucket key of a phrase's first token: lower case when folding, else as written.
fn first_key(first: Tok<'_>, ascii_case_insensitive: bool) -> Cow<'_, str> {
    if ascii_case_insensitive {
        first.low.into_cow()
    } else {
        Cow::Borrowed(first.text)
    }
}

impl<'a> PhraseIndex<'a> {
    /// An index over `phrases`; empty phrases are left out. Indexes returned by `find` are
    /// positions in `phrases` as given.
    pub fn new<I, S>(phrases: I, ascii_case_insensitive: bool) -> PhraseIndex<'a>
    where
        I: IntoIterator<Item = S>,
        S: Into<Cow<'a, str>>,
    {
        let phrases: Vec<Cow<'a, str>> = phrases.into_iter().map(Into::into).collect();
        let mut buckets: FxHashMap<u64, Vec<Group<'a>>> = FxHashMap::default();
        for (i, p) in phrases.iter().enumerate() {
            // A phrase is found only where a token starts, so it must start with one.
            let key: Cow<'a, str> = match p {
                Cow::Borrowed(b) => {
                    let Some(first) = first_token(b).filter(|f| f.start == 0) else {
                        continue;
                    };
                    first_key(first, ascii_case_insensitive)
                }
                Cow::Owned(o) => {
                    let Some(first) = first_token(o).filter(|f| f.start == 0) else {
                        continue;
                    };
                    Cow::Owned(first_key(first, ascii_case_insensitive).into_owned())
                }
            };
            let groups = buckets.entry(word_hash(key.as_bytes())).or_default();
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, list)) => list.push(i as u32),
                None => groups.push((key, vec![i as u32])),
            }
        }
        for (_, list) in buckets.values_mut().flatten() {
            list.sort_by(|&a, &b| {
                let (pa, pb) = (&phrases[a as usize], &phrases[b as usize]);
                pb.len().cmp(&pa.len()).then(pa.cmp(pb))
            });
        }
        PhraseIndex {
            buckets,
            phrases,
            ascii_case_insensitive,
        }
    }

    pub fn phrase(&self, i: usize) -> Option<&str> {
        self.phrases.get(i).map(|p| &**p)
    }

    /// The longest phrase of `list` that starts at byte `at` of `text` and ends on a word
    /// boundary (`at` itself must be one): (phrase index, end).
    fn longest_in(&self, list: &[u32], text: &str, at: usize) -> Option<(usize, usize)> {
        let bytes = text.as_bytes().get(at..)?;
        list.iter().find_map(|&i| {
            let p = self.phrases.get(i as usize)?;
            let head = bytes.get(..p.len())?;
            // Most phrases of a group differ from the text in their last byte: look there first.
            if !head.last()?.eq_ignore_ascii_case(p.as_bytes().last()?) {
                return None;
            }
            let same = if self.ascii_case_insensitive {
                head.eq_ignore_ascii_case(p.as_bytes())
            } else {
                head == p.as_bytes()
            };
            let end = at + p.len();
            (same && text.is_char_boundary(end) && super::word_bounded(text, at, end))
                .then_some((i as usize, end))
        })
    }

    /// All matches in a tokenized text, left to right, never overlapping: at each token
    /// start on a word boundary, the longest phrase that fits. (phrase index, start, end).
    pub fn find(&self, text: &str, toks: &[Tok]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        if self.buckets.is_empty() {
            return out;
        }
        let mut free_from = 0usize;
        for t in toks {
            if t.start < free_from || t.kind == Kind::Newline {
                continue;
            }
            // A word's hash is that of its lower-case form, which is also its text when it
            // has no capitals.
            let (key, hash): (&str, u64) = if self.ascii_case_insensitive {
                let h = if t.kind == Kind::Word {
                    t.hash
                } else {
                    word_hash(t.low.as_bytes())
                };
                (&t.low, h)
            } else {
                let h = if t.kind == Kind::Word && t.low.is_text() {
                    t.hash
                } else {
                    word_hash(t.text.as_bytes())
                };
                (t.text, h)
            };
            let Some((_, list)) = self
                .buckets
                .get(&hash)
                .and_then(|groups| groups.iter().find(|(k, _)| k == key))
            else {
                continue;
            };
            if let Some((i, end)) = self.longest_in(list, text, t.start) {
                out.push((i, t.start, end));
                free_from = end;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pseudo::tokens::tokenize;

    #[test]
    fn longest_phrase_on_word_boundaries_without_overlap() {
        let idx = PhraseIndex::new(["Zorg Oost", "Zorg", "Oostwaarts", "de Es", "Jo"], false);
        let text = "Bij Zorg Oost en Zorgvuldig, de Es. Zorg Jo Jos";
        let toks = tokenize(text);
        let got: Vec<&str> = idx
            .find(text, &toks)
            .into_iter()
            .map(|(_, s, e)| &text[s..e])
            .collect();
        assert_eq!(got, ["Zorg Oost", "de Es", "Zorg", "Jo"]);
    }

    #[test]
    fn ascii_case_folding_only_when_asked() {
        let text = "naar ZORG OOST en zorg oost";
        let toks = tokenize(text);
        let folded = PhraseIndex::new(["Zorg Oost"], true);
        assert_eq!(folded.find(text, &toks).len(), 2);
        let exact = PhraseIndex::new(["Zorg Oost"], false);
        assert!(exact.find(text, &toks).is_empty());
        // Non-ASCII letters are compared exactly, and a match never ends inside a character.
        let idx = PhraseIndex::new(["Café", "Caf"], true);
        let text = "in CAFÉ en Café";
        let toks = tokenize(text);
        let got: Vec<&str> = idx
            .find(text, &toks)
            .into_iter()
            .map(|(_, s, e)| &text[s..e])
            .collect();
        assert_eq!(got, ["Café"]);
    }
}
