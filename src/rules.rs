//! Rule data: the files of `redaction-rules/`, embedded at build time (see `build.rs`) so the
//! binary is self-contained, and the hash of the whole rule set that every audit event records.
//!
//! Owns: access to rule files by path and the rule-set hash. Must never: read rules from an
//! unrecorded place at run time (what runs must be what the hash describes).

use sha2::{Digest, Sha256};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/rules_embedded.rs"));

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
    SortedList::new(
        NORMALISED_LISTS
            .iter()
            .find(|(p, _)| *p == path)
            .map_or("", |(_, contents)| *contents),
    )
}

/// A sorted, newline-separated list of lower-case entries with binary-search look-up. Only an
/// index of line starts is built (one pass over the bytes), so a list of 350,000 words costs a
/// millisecond to load instead of the hundreds a hash set would.
#[derive(Debug, Default, Clone)]
pub struct SortedList {
    text: &'static str,
    /// (start, length) of each entry in `text`.
    starts: Vec<(u32, u32)>,
}

impl SortedList {
    pub fn new(text: &'static str) -> SortedList {
        let mut starts = Vec::with_capacity(text.len() / 8);
        let mut at = 0usize;
        for line in text.split_inclusive('\n') {
            let body = line.strip_suffix('\n').unwrap_or(line);
            if !body.is_empty() {
                starts.push((at as u32, body.len() as u32));
            }
            at += line.len();
        }
        SortedList { text, starts }
    }

    fn line(&self, i: usize) -> &'static str {
        let Some(&(s, n)) = self.starts.get(i) else {
            return "";
        };
        self.text.get(s as usize..(s + n) as usize).unwrap_or("")
    }

    /// Whether `lower` (already lower case) is an entry.
    pub fn contains(&self, lower: &str) -> bool {
        let (mut lo, mut hi) = (0usize, self.starts.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.line(mid).cmp(lower) {
                std::cmp::Ordering::Equal => return true,
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        false
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        (0..self.starts.len()).map(|i| self.line(i))
    }
}

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
        let list = SortedList::new("aap\nbeer\nkees\nmies\nzus\n");
        for w in ["aap", "beer", "kees", "mies", "zus"] {
            assert!(list.contains(w), "{w}");
        }
        for w in ["", "a", "aapje", "bee", "kaas", "zz", "mie"] {
            assert!(!list.contains(w), "{w}");
        }
        assert!(!SortedList::new("").contains("x"));
        assert_eq!(list.len(), 5);
    }
}
