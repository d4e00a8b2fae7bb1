//! Rule data: the files of `redaction-rules/`, embedded at build time (see `build.rs`) so the
//! binary is self-contained, and the hash of the whole rule set that every audit event records.
//!
//! Owns: access to rule files by path and the rule-set hash. Must never: read rules from an
//! unrecorded place at run time (what runs must be what the hash describes).

use sha2::{Digest, Sha256};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/rules_embedded.rs"));
include!("list_hash.rs");

/// The contents of one rule file (path relative to `redaction-rules/`), if it exists.
pub fn file(path: &str) -> Option<&'static str> {
    RULE_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, contents)| *contents)
}

/// The entries of a plain list file: one per line, trimmed, without blank and `#` lines.
pub fn list(path: &str) -> impl Iterator<Item = &'static str> {
    file(path)
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A list file normalised at build time: lower case, sorted, unique; empty when absent.
pub fn sorted_list(path: &str) -> SortedList {
    NORMALISED_LISTS
        .iter()
        .find(|(p, _, _, _)| *p == path)
        .map_or(SortedList::default(), |(_, text, index, slots)| {
            SortedList { text, index, slots }
        })
}

/// Which of the large word lists (first names, surnames, places, ordinary words) a word is
/// on, in one look-up (see `build.rs`).
#[derive(Debug, Default, Clone, Copy)]
pub struct WordFlags {
    list: SortedList,
    flags: &'static [u8],
}

impl WordFlags {
    /// Bits of [`WordFlags::get_hashed`].
    pub const FIRST_NAME: u8 = 1;
    pub const SURNAME: u8 = 1 << 1;
    pub const PLACE: u8 = 1 << 2;
    pub const WORD: u8 = 1 << 3;

    /// The table of the lists `lists/voornamen.txt`, `lists/achternamen.txt`,
    /// `lists/plaatsen.txt` and `lists/woorden.txt`, as made by `build.rs`.
    pub fn embedded() -> WordFlags {
        let (text, index, slots, flags) = WORD_FLAGS;
        WordFlags {
            list: SortedList { text, index, slots },
            flags,
        }
    }

    /// The lists `lower` (already lower case, with [`word_hash`] `hash`) is on: bit `i` for the
    /// `i`-th list of `WORD_FLAG_LISTS`.
    pub fn get_hashed(&self, lower: &str, hash: u64) -> u8 {
        self.list
            .position_hashed(lower, hash)
            .and_then(|p| self.flags.get(p).copied())
            .unwrap_or(0)
    }
}

/// Whether a word with [`word_hash`] `hash` may be a first name: false means it is surely
/// none (a bit table made by `build.rs`, about one in ten other words passes), so that a rule
/// asking it of every word saves the probe into the large table for most.
#[inline]
pub fn maybe_first_name(hash: u64) -> bool {
    let b = (hash as usize) % FIRST_NAME_TABLE_BITS;
    FIRST_NAME_BITS
        .get(b / 8)
        .is_some_and(|byte| byte & (1 << (b % 8)) != 0)
}

/// The hash the lists are laid out by, for callers that hash a word once and look it up in
/// several lists ([`WordFlags::get_hashed`]).
pub fn word_hash(bytes: &[u8]) -> u64 {
    list_hash(bytes)
}

/// [`word_hash`] one byte at a time: start from the seed, feed each byte.
pub const WORD_HASH_SEED: u64 = 0xcbf2_9ce4_8422_2325;

#[inline]
pub fn word_hash_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
}

/// A sorted list of lower-case entries: membership through a hash table, prefixes through
/// binary search. The text, the index of entry offsets and the hash slots are all made by
/// `build.rs`, so a list of 350,000 words costs nothing to load (each run of the program is a
/// fresh process: start-up time counts), and a look-up is one hash and a probe or two, not
/// twenty string comparisons (membership is the hottest operation of the de-identifier).
#[derive(Debug, Default, Clone, Copy)]
pub struct SortedList {
    text: &'static str,
    /// Little-endian (start, length) u32 pairs, one per entry, in sorted order.
    index: &'static [u8],
    /// Little-endian u32 hash slots: 0 or 1 + entry position (see `list_hash.rs`).
    slots: &'static [u8],
}

impl SortedList {
    fn entry(&self, i: usize) -> &'static str {
        let Some(chunk) = self.index.get(i * 8..i * 8 + 8) else {
            return "";
        };
        let mut s = [0u8; 4];
        let mut n = [0u8; 4];
        s.copy_from_slice(&chunk[..4]);
        n.copy_from_slice(&chunk[4..]);
        let (s, n) = (
            u32::from_le_bytes(s) as usize,
            u32::from_le_bytes(n) as usize,
        );
        self.text.get(s..s + n).unwrap_or("")
    }

    /// Whether `lower` (already lower case) is an entry.
    pub fn contains(&self, lower: &str) -> bool {
        self.position_hashed(lower, list_hash(lower.as_bytes()))
            .is_some()
    }

    /// The position of `lower` in the list, its [`word_hash`] already known.
    fn position_hashed(&self, lower: &str, hash: u64) -> Option<usize> {
        let size = self.slots.len() / 4;
        if size == 0 {
            return None;
        }
        let mask = size - 1;
        let mut s = (hash as usize) & mask;
        let fingerprint = slot_fingerprint(hash);
        // The table is at most half full, so this ends at an empty slot; the bound is only a
        // guard against a malformed table.
        for _ in 0..size {
            let chunk = self.slots.get(s * 4..s * 4 + 4)?;
            let v = u32::from_le_bytes(chunk.try_into().unwrap_or([0; 4]));
            if v == 0 {
                return None;
            }
            // Another entry's slot is told apart by its fingerprint, without reading the entry.
            if v >> SLOT_POSITION_BITS == fingerprint {
                let position = (v & ((1 << SLOT_POSITION_BITS) - 1)) as usize;
                if let Some(p) = position.checked_sub(1).filter(|&p| self.entry(p) == lower) {
                    return Some(p);
                }
            }
            s = (s + 1) & mask;
        }
        None
    }

    /// Whether some entry is `prefix` followed by more characters ("bergen" for
    /// "bergen op zoom").
    pub fn has_longer(&self, prefix: &str) -> bool {
        // The first entry greater than `prefix` is the smallest that could extend it.
        let (mut lo, mut hi) = (0usize, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.entry(mid) <= prefix {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo < self.len() && self.entry(lo).starts_with(prefix)
    }

    pub fn len(&self) -> usize {
        self.index.len() / 8
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        (0..self.len()).map(|i| self.entry(i))
    }
}

/// A quick "certainly not" for [`SortedList::has_longer`]: one bit per hash of every proper
/// prefix of every entry. Most words of a text are the beginning of no entry at all, and a bit
/// test answers that without the binary search; a set bit still asks the list, so the answer
/// is always exact.
#[derive(Debug, Default, Clone)]
pub struct PrefixFilter {
    list: SortedList,
    bits: Vec<u64>,
}

impl PrefixFilter {
    pub fn new(list: SortedList) -> PrefixFilter {
        let total: usize = list.iter().map(str::len).sum();
        // About 16 bits per prefix keeps false positives near 6%.
        let n_bits = (total * 16).next_power_of_two().max(64);
        let mut bits = vec![0u64; n_bits / 64];
        let mask = (n_bits - 1) as u64;
        for e in list.iter() {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for (i, &b) in e.as_bytes().iter().enumerate() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
                // Only prefixes that stop on a character boundary and are shorter than `e`.
                if i + 1 < e.len() && e.is_char_boundary(i + 1) {
                    let bit = h & mask;
                    if let Some(w) = bits.get_mut((bit / 64) as usize) {
                        *w |= 1 << (bit % 64);
                    }
                }
            }
        }
        PrefixFilter { list, bits }
    }

    /// Exactly [`SortedList::has_longer`] of the list, mostly without searching it.
    pub fn has_longer(&self, prefix: &str) -> bool {
        self.may_have_longer(prefix) && self.list.has_longer(prefix)
    }

    /// False only when no entry is `prefix` followed by more characters; true for every such
    /// `prefix` and, by hash collision, for a few percent of others. Enough for a caller that
    /// only uses the answer to decide whether to read on and checks every longer phrase
    /// against the list itself.
    pub fn may_have_longer(&self, prefix: &str) -> bool {
        self.may_have_longer_hashed(list_hash(prefix.as_bytes()))
    }

    /// [`PrefixFilter::may_have_longer`] of a prefix whose [`list_hash`] is `hash` (a word's,
    /// made by the tokenizer).
    pub fn may_have_longer_hashed(&self, hash: u64) -> bool {
        let n_bits = (self.bits.len() * 64) as u64;
        if n_bits == 0 {
            return false;
        }
        let bit = hash & (n_bits - 1);
        self.bits
            .get((bit / 64) as usize)
            .is_some_and(|w| w & (1 << (bit % 64)) != 0)
    }
}

/// The Dutch weekday names, Sunday first (the numbering of a day-of-week computation).
pub const WEEKDAYS_NL: [&str; 7] = [
    "zondag",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
];

/// The Dutch month names, January first: shared by the date patterns, the index, the risk
/// scanner and the e-mail renderer.
pub const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// SHA-256 over every rule file's path and contents, in path order: changes when any rule
/// changes, and is the same for the same rules on any machine.
pub fn rule_set_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let mut h = Sha256::new();
        for (path, contents) in RULE_FILES {
            h.update((path.len() as u64).to_le_bytes());
            h.update(path.as_bytes());
            h.update((contents.len() as u64).to_le_bytes());
            h.update(contents.as_bytes());
        }
        hex::encode(h.finalize())
    })
}

/// The rule-set version: the `version` line of `redaction-rules/VERSION.txt`.
pub fn rule_set_version() -> &'static str {
    list("VERSION.txt").next().unwrap_or("unversioned")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_list_finds_every_entry_and_nothing_else() {
        let words = ["aap", "beer", "kees", "mies", "zus"];
        let text: &'static str = Box::leak(words.join("\n").into_boxed_str());
        let mut idx = Vec::new();
        let mut at = 0u32;
        for w in words {
            idx.extend_from_slice(&at.to_le_bytes());
            idx.extend_from_slice(&(w.len() as u32).to_le_bytes());
            at += w.len() as u32 + 1;
        }
        let list = SortedList {
            text,
            index: Box::leak(idx.into_boxed_slice()),
            slots: Box::leak(hash_slots(&words).into_boxed_slice()),
        };
        for w in ["aap", "beer", "kees", "mies", "zus"] {
            assert!(list.contains(w), "{w}");
        }
        for w in ["", "a", "aapje", "bee", "kaas", "zz", "mie"] {
            assert!(!list.contains(w), "{w}");
        }
        assert!(!SortedList::default().contains("x"));
        assert!(
            list.has_longer("mi")
                && list.has_longer("a")
                && !list.has_longer("mies")
                && !list.has_longer("zz")
        );
        let woorden = sorted_list("lists/woorden.txt");
        assert!(woorden.contains("huis") && !woorden.contains("huisx"));
        // The build-time hash table finds every entry of every embedded list.
        for (path, ..) in NORMALISED_LISTS {
            let list = sorted_list(path);
            assert!(list.iter().all(|e| list.contains(e)), "{path}");
            assert!(!list.contains("\u{0}niet-in-een-lijst"), "{path}");
        }
        assert_eq!(list.len(), 5);
    }

    #[test]
    fn word_flags_say_exactly_what_the_four_lists_say() {
        let flags = WordFlags::embedded();
        let lists: Vec<SortedList> = WORD_FLAG_LISTS.iter().map(|p| sorted_list(p)).collect();
        assert_eq!(
            WORD_FLAG_LISTS,
            [
                "lists/voornamen.txt",
                "lists/achternamen.txt",
                "lists/plaatsen.txt",
                "lists/woorden.txt"
            ]
        );
        let mut asked = 0;
        // Entries of every list (every 7th), and each with a letter added (mostly on no list).
        for list in &lists {
            for e in list.iter().step_by(7) {
                for w in [e.to_string(), format!("{e}q")] {
                    let want = lists
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| l.contains(&w))
                        .fold(0u8, |acc, (i, _)| acc | 1 << i);
                    assert_eq!(flags.get_hashed(&w, word_hash(w.as_bytes())), want, "{w}");
                    asked += 1;
                }
            }
        }
        assert!(asked > 50_000);
        assert_eq!(
            WordFlags::default().get_hashed("huis", word_hash(b"huis")),
            0
        );
    }

    #[test]
    fn prefix_filter_answers_exactly_as_the_list() {
        let places = sorted_list("lists/plaatsen.txt");
        let filter = PrefixFilter::new(places);
        let mut asked = 0;
        // Every prefix of every entry, the entries themselves and words one letter longer.
        for e in places.iter().take(3000) {
            for (i, _) in e.char_indices().skip(1) {
                let p = &e[..i];
                assert_eq!(filter.has_longer(p), places.has_longer(p), "{p}");
                assert!(filter.may_have_longer(p), "{p}");
                asked += 1;
            }
            assert_eq!(filter.has_longer(e), places.has_longer(e), "{e}");
            assert!(!places.has_longer(e) || filter.may_have_longer(e), "{e}");
            let longer = format!("{e}q");
            assert!(!filter.has_longer(&longer) || places.has_longer(&longer));
        }
        assert!(asked > 10_000);
        assert!(!PrefixFilter::default().has_longer("a"));
    }
}
