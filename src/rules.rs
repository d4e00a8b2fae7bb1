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
