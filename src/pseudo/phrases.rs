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

use super::tokens::{first_token, lower_cow, Kind, Tok};
use crate::rules::{word_hash, word_hash_step, WORD_HASH_SEED};

/// A first token (lower case when folding, else as written) and the range of
/// [`PhraseIndex::order`] that holds the positions of the phrases that start with it.
type Group<'a> = (Cow<'a, str>, u32, u32);

/// Phrases grouped by their first token; in each group the longest comes first. Phrases given
/// as borrowed strings stay borrowed (a case's name variants are indexed once and dropped).
///
/// The groups and their phrases lie in two flat lists, made by one sort: a case's name
/// variants are indexed anew for every case, and a list of its own per group and per bucket
/// cost two allocations per first token.
#[derive(Debug, Default)]
pub struct PhraseIndex<'a> {
    /// List hash of the first token's lower-case form -> the range of `groups` with that
    /// hash. Words carry the hash of their lower-case form from the tokenizer, so a look-up
    /// per word costs no hashing of strings.
    buckets: FxHashMap<u64, (u32, u32)>,
    /// The groups, those of a bucket side by side.
    groups: Vec<Group<'a>>,
    /// Phrase positions, group by group, each group's longest first.
    order: Vec<u32>,
    /// One bit per `FILTER_BITS` slot of the bucket hashes: most tokens start no phrase, and
    /// a test of this small bit set (it stays in the L1 cache) rejects them without a probe
    /// into the hash table (a cache miss for the large provider list).
    filter: Vec<u64>,
    phrases: Vec<Cow<'a, str>>,
    /// Compare ASCII letters without regard to case (other characters exactly).
    ascii_case_insensitive: bool,
    /// Whether some phrase starts with a number, or with punctuation ([`kind_bit`]): when
    /// none does, `find` passes over such tokens without hashing their text. A word is never
    /// equal to a number or a punctuation mark (their characters differ), so they could not
    /// start a phrase that starts with a word anyway.
    first_kinds: u8,
}

/// A bit per kind of token other than a word, for [`PhraseIndex::first_kinds`].
fn kind_bit(kind: Kind) -> u8 {
    match kind {
        Kind::Word => 1,
        Kind::Num => 2,
        Kind::Punct => 4,
        Kind::Newline => 8,
    }
}

/// The first token of a phrase that starts with a word of ASCII letters ending before an ASCII
/// byte (or at the end): its end and the list hash of its lower case, without tokenizing. It
/// is the word `tokens::scan` takes there, found the same way (a capital after a lower-case
/// letter ends the word from its fourth byte on: "wereldHallo"); a word that goes on into a
/// non-ASCII byte is left to [`first_token`]. Most phrases start so, and `first_token` costs a
/// copy of every capitalised word's lower case.
fn ascii_first_word(p: &str) -> Option<(usize, u64)> {
    let bytes = p.as_bytes();
    let &b = bytes.first()?;
    if !b.is_ascii_alphabetic() {
        return None;
    }
    let mut prev_lower = b.is_ascii_lowercase();
    let mut h = word_hash_step(WORD_HASH_SEED, b | 0x20);
    let mut end = 1;
    while let Some(&d) = bytes.get(end) {
        if d.is_ascii_lowercase() {
            prev_lower = true;
        } else if d.is_ascii_uppercase() {
            if prev_lower && end > 2 {
                break;
            }
            prev_lower = false;
        } else if d.is_ascii() {
            break;
        } else {
            return None;
        }
        h = word_hash_step(h, d | 0x20);
        end += 1;
    }
    Some((end, h))
}

/// The bucket key (see [`first_key`]), the list hash of the lower case and the kind of a
/// phrase's first token, when the phrase starts with a token.
fn first_of(p: &str, ascii_case_insensitive: bool) -> Option<(Cow<'_, str>, u64, Kind)> {
    if let Some((end, hash)) = ascii_first_word(p) {
        let word = p.get(..end)?;
        // ASCII: `lower_cow` is the token's lower case (borrowed when it has no capitals).
        let key = if ascii_case_insensitive {
            lower_cow(word)
        } else {
            Cow::Borrowed(word)
        };
        return Some((key, hash, Kind::Word));
    }
    let first = first_token(p).filter(|f| f.start == 0)?;
    let hash = word_hash(first.low.as_bytes());
    let kind = first.kind;
    Some((first_key(first, ascii_case_insensitive), hash, kind))
}

/// Groups with more phrases than this are searched through their probe byte (see
/// [`PhraseIndex::new`]); smaller ones one phrase after the other.
const PROBE_FROM: usize = 8;

/// The probe byte of a phrase too short to have one: after every byte.
const SHORT: u16 = 256;

/// Size of [`PhraseIndex::filter`] in bits (8 KiB).
const FILTER_BITS: usize = 1 << 16;

fn filter_slot(hash: u64) -> (usize, u64) {
    // The upper bits: the hash table uses the lower ones.
    let bit = (hash >> 40) as usize & (FILTER_BITS - 1);
    (bit / 64, 1u64 << (bit % 64))
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
        // (list hash of the first token's lower case, phrase position, bucket key)
        let mut firsts: Vec<(u64, u32, Cow<'a, str>)> = Vec::with_capacity(phrases.len());
        let mut first_kinds = 0u8;
        for (i, p) in phrases.iter().enumerate() {
            // A phrase is found only where a token starts, so it must start with one.
            let (key, hash, kind): (Cow<'a, str>, u64, Kind) = match p {
                Cow::Borrowed(b) => {
                    let Some(first) = first_of(b, ascii_case_insensitive) else {
                        continue;
                    };
                    first
                }
                Cow::Owned(o) => {
                    let Some((key, hash, kind)) = first_of(o, ascii_case_insensitive) else {
                        continue;
                    };
                    (Cow::Owned(key.into_owned()), hash, kind)
                }
            };
            if kind != Kind::Word {
                first_kinds |= kind_bit(kind);
            }
            firsts.push((hash, i as u32, key));
        }
        // By bucket, then group; in a group the longest first, then in text order, then (the
        // same phrase twice) in the order given.
        firsts.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)).then_with(|| {
                let (pa, pb) = (phrases.get(a.1 as usize), phrases.get(b.1 as usize));
                let (la, lb) = (pa.map_or(0, |p| p.len()), pb.map_or(0, |p| p.len()));
                lb.cmp(&la).then_with(|| pa.cmp(&pb)).then(a.1.cmp(&b.1))
            })
        });
        let mut buckets: FxHashMap<u64, (u32, u32)> = FxHashMap::default();
        let mut groups: Vec<Group<'a>> = Vec::new();
        let mut order: Vec<u32> = Vec::with_capacity(firsts.len());
        // The bucket being filled: its hash and its first group.
        let mut bucket: Option<(u64, u32)> = None;
        for (hash, i, key) in firsts {
            let same_bucket = bucket.is_some_and(|(h, _)| h == hash);
            if !same_bucket {
                if let Some((h, first)) = bucket {
                    buckets.insert(h, (first, groups.len() as u32));
                }
                bucket = Some((hash, groups.len() as u32));
            }
            let at = order.len() as u32;
            match groups.last_mut() {
                Some(group) if same_bucket && group.0 == key => group.2 = at + 1,
                _ => groups.push((key, at, at + 1)),
            }
            order.push(i);
        }
        if let Some((h, first)) = bucket {
            buckets.insert(h, (first, groups.len() as u32));
        }
        // A large group is ordered by its phrases' probe byte, the byte after the first token
        // and one more (the second word's first letter, mostly), those too short for one last;
        // stably, so that each kind keeps the group's order, longest first. A phrase matches
        // only where the text has its bytes, so `find` looks only at the phrases whose probe
        // byte is the text's, then at the short ones, which are shorter than all of those: it
        // meets the same first match as in the group's order.
        let fold = |b: u8| {
            if ascii_case_insensitive {
                b.to_ascii_lowercase()
            } else {
                b
            }
        };
        for (key, from, to) in &groups {
            let probe = key.len() + 1;
            if let Some(list) = order.get_mut(*from as usize..*to as usize) {
                if list.len() > PROBE_FROM {
                    list.sort_by_key(|&i| {
                        phrases
                            .get(i as usize)
                            .and_then(|p| p.as_bytes().get(probe))
                            .map_or(SHORT, |&b| u16::from(fold(b)))
                    });
                }
            }
        }
        let mut filter = vec![
            0u64;
            if buckets.is_empty() {
                0
            } else {
                FILTER_BITS / 64
            }
        ];
        for hash in buckets.keys() {
            let (word, bit) = filter_slot(*hash);
            if let Some(w) = filter.get_mut(word) {
                *w |= bit;
            }
        }
        PhraseIndex {
            buckets,
            groups,
            order,
            filter,
            phrases,
            ascii_case_insensitive,
            first_kinds,
        }
    }

    /// A byte as the comparison sees it: ASCII lower case when folding.
    fn fold(&self, b: u8) -> u8 {
        if self.ascii_case_insensitive {
            b.to_ascii_lowercase()
        } else {
            b
        }
    }

    /// Byte `at` of phrase `i` as the comparison sees it, or [`SHORT`] when the phrase is no
    /// longer.
    fn probe_byte(&self, i: u32, at: usize) -> u16 {
        self.phrases
            .get(i as usize)
            .and_then(|p| p.as_bytes().get(at))
            .map_or(SHORT, |&b| u16::from(self.fold(b)))
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
            if t.start < free_from {
                continue;
            }
            // Buckets are keyed by the hash of the first token's lower-case form in both
            // modes (tokens that are equal as written are equal in lower case), and a word
            // carries that hash from the tokenizer.
            let hash = match t.kind {
                Kind::Word => t.hash,
                Kind::Newline => continue,
                k if self.first_kinds & kind_bit(k) == 0 => continue,
                _ => word_hash(t.low.as_bytes()),
            };
            let (word, bit) = filter_slot(hash);
            if self.filter.get(word).is_none_or(|w| w & bit == 0) {
                continue;
            }
            let key: &str = if self.ascii_case_insensitive {
                &t.low
            } else {
                t.text
            };
            let Some((group_key, list)) = self
                .buckets
                .get(&hash)
                .and_then(|&(from, to)| self.groups.get(from as usize..to as usize))
                .and_then(|groups| groups.iter().find(|(k, ..)| k == key))
                .and_then(|(k, from, to)| Some((k, self.order.get(*from as usize..*to as usize)?)))
            else {
                continue;
            };
            let found = if list.len() > PROBE_FROM {
                // A large group (providers that start alike): only the phrases with the
                // text's byte at the probe can match, then those too short to have one.
                let probe = group_key.len() + 1;
                let (long, short) =
                    list.split_at(list.partition_point(|&i| self.probe_byte(i, probe) < SHORT));
                let same = match text.as_bytes().get(t.start + probe) {
                    Some(&b) => {
                        let b = u16::from(self.fold(b));
                        let lo = long.partition_point(|&i| self.probe_byte(i, probe) < b);
                        let hi = long.partition_point(|&i| self.probe_byte(i, probe) <= b);
                        long.get(lo..hi).unwrap_or_default()
                    }
                    None => &[],
                };
                self.longest_in(same, text, t.start)
                    .or_else(|| self.longest_in(short, text, t.start))
            } else {
                self.longest_in(list, text, t.start)
            };
            if let Some((i, end)) = found {
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
    fn ascii_first_word_is_the_first_token() {
        for p in [
            "Zorg Oost",
            "wereldHallo",
            "McDonald",
            "ABCdef",
            "abC",
            "abcD",
            "aBcDe",
            "Jo-Anne",
            "Café",
            "CaféBar",
            "Anouk\u{a0}de",
            "x",
            "A.",
            "'t Anker",
            "12 uur",
            "Éen",
            "ZorgÉ",
            "Zorg\nOost",
            "",
        ] {
            let tok = first_token(p).filter(|t| t.start == 0);
            match ascii_first_word(p) {
                Some((end, hash)) => {
                    let Some(t) = tok else {
                        panic!("{p:?}: no first token")
                    };
                    assert_eq!((t.end, t.kind, t.hash), (end, Kind::Word, hash), "{p:?}");
                    assert_eq!(word_hash(t.low.as_bytes()), hash, "{p:?}");
                }
                // Left to the tokenizer: not a word of ASCII letters up to an ASCII byte.
                None => assert!(
                    tok.is_none_or(|t| t.kind != Kind::Word
                        || !t.text.bytes().all(|b| b.is_ascii_alphabetic())
                        || !p.as_bytes().get(t.end).is_none_or(u8::is_ascii)),
                    "{p:?}"
                ),
            }
        }
    }

    #[test]
    fn large_groups_find_what_a_scan_of_all_phrases_finds() {
        // Twelve phrases after "Zorg", some only in case different, some short.
        let phrases = [
            "Zorg",
            "Zorg Oost",
            "Zorg Oost Noord",
            "Zorg West",
            "Zorg Wes",
            "Zorg A",
            "Zorg",
            "ZORG OOST",
            "Zorg Oostwaarts",
            "Zorg Zuid",
            "Zorg Z",
            "Zorg-Oost",
            "Zo",
        ];
        let text = "Bij Zorg Oost Noord, zorg oost, Zorg Wes en Zorg West. Zorg Z; ZORG-OOST \
                    Zorg Zuidwaarts Zorg\nOost Zorg Oostwaarts zorg a Zorgvuldig Zorg";
        let toks = tokenize(text);
        for folding in [false, true] {
            let idx = PhraseIndex::new(phrases, folding);
            // The reference: at each token start, every phrase in the index's order.
            let mut by_order: Vec<usize> = (0..phrases.len()).collect();
            by_order.sort_by(|&a, &b| {
                let (pa, pb) = (phrases[a], phrases[b]);
                pb.len().cmp(&pa.len()).then(pa.cmp(pb)).then(a.cmp(&b))
            });
            let mut want = Vec::new();
            let mut free_from = 0;
            for t in toks.iter().filter(|t| t.kind != Kind::Newline) {
                if t.start < free_from {
                    continue;
                }
                let hit = by_order.iter().find(|&&i| {
                    let p = phrases[i];
                    let Some(head) = text.as_bytes().get(t.start..t.start + p.len()) else {
                        return false;
                    };
                    let first = first_token(p).map(|f| f.text.len()).unwrap_or(0);
                    let same_first = if folding {
                        t.low.as_bytes() == p[..first].to_ascii_lowercase().as_bytes()
                    } else {
                        t.text == &p[..first]
                    };
                    let same = if folding {
                        head.eq_ignore_ascii_case(p.as_bytes())
                    } else {
                        head == p.as_bytes()
                    };
                    same_first
                        && same
                        && super::super::word_bounded(text, t.start, t.start + p.len())
                });
                if let Some(&i) = hit {
                    want.push((i, t.start, t.start + phrases[i].len()));
                    free_from = t.start + phrases[i].len();
                }
            }
            assert_eq!(idx.find(text, &toks), want, "folding {folding}");
            assert!(!want.is_empty());
        }
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
