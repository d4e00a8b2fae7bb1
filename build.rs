//! Embeds every file of `redaction-rules/` into the binary, so the rule set travels with the
//! program and its hash (recorded in every audit event) is the hash of what actually runs.

use std::fmt::Write as _;
use std::path::Path;

include!("src/list_hash.rs");

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("redaction-rules");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut out = String::from("/// (path relative to redaction-rules/, contents), sorted by path.\npub static RULE_FILES: &[(&str, &str)] = &[\n");
    for rel in &files {
        let abs = root.join(rel);
        println!("cargo:rerun-if-changed={}", abs.display());
        let _ = writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        );
    }
    out.push_str("];\n");
    // Look-up lists, normalised once here (lower case, sorted, unique) so the program can
    // binary-search them without building a hash set at every start.
    out.push_str("/// (list path, normalised contents, entry index as little-endian (start, length) u32 pairs,\n/// hash slots), for look-ups without any work at start-up.\npub static NORMALISED_LISTS: &[(&str, &str, &[u8], &[u8])] = &[\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let mut word_flags: std::collections::BTreeMap<String, u8> = Default::default();
    for rel in files
        .iter()
        .filter(|r| r.starts_with("lists/") && r.ends_with(".txt"))
    {
        let Ok(contents) = std::fs::read_to_string(root.join(rel)) else {
            continue;
        };
        let mut entries = normalise(&contents);
        entries.dedup();
        let dest = Path::new(&out_dir).join(format!("norm-{}", rel.replace('/', "_")));
        let (idx, hash) = write_table(&dest, &entries);
        let _ = writeln!(
            out,
            "    ({rel:?}, include_str!({:?}), include_bytes!({:?}), include_bytes!({:?})),",
            dest.display().to_string(),
            idx.display().to_string(),
            hash.display().to_string()
        );
        if let Some(bit) = WORD_FLAG_LISTS
            .iter()
            .position(|l| *l == rel.as_str())
            .map(|p| 1u8 << p)
        {
            for e in entries {
                *word_flags.entry(e).or_insert(0) |= bit;
            }
        }
    }
    out.push_str("];\n");
    // The union of the four large word lists with, per word, one bit per list it is on: the
    // de-identifier asks all four about most capitalised words, and one look-up touches a
    // third of the memory that four do.
    let dest = Path::new(&out_dir).join("norm-word-flags.txt");
    let entries: Vec<String> = word_flags.keys().cloned().collect();
    let (idx, hash) = write_table(&dest, &entries);
    let flags_path = dest.with_extension("flags");
    let flags: Vec<u8> = word_flags.values().copied().collect();
    if let Err(e) = std::fs::write(&flags_path, flags) {
        panic!("cannot write {}: {e}", flags_path.display());
    }
    // A bit table of the first names (bit `hash % FIRST_NAME_BITS`): a word whose bit is not
    // set is no first name, known without a probe into the large table. The rule that looks
    // for given names in lower case asks it of every word of a note.
    let mut bits = vec![0u8; FIRST_NAME_TABLE_BITS / 8];
    for (word, &f) in &word_flags {
        if f & 1 != 0 {
            let b = (list_hash(word.as_bytes()) as usize) % FIRST_NAME_TABLE_BITS;
            if let Some(byte) = bits.get_mut(b / 8) {
                *byte |= 1 << (b % 8);
            }
        }
    }
    let bits_path = dest.with_extension("first-bits");
    if let Err(e) = std::fs::write(&bits_path, bits) {
        panic!("cannot write {}: {e}", bits_path.display());
    }
    let _ = writeln!(
        out,
        "/// One bit per hash bucket of the first names (see `maybe_first_name`).\npub static FIRST_NAME_BITS: &[u8] = include_bytes!({:?});\npub const FIRST_NAME_TABLE_BITS: usize = {FIRST_NAME_TABLE_BITS};",
        bits_path.display().to_string()
    );
    let _ = writeln!(
        out,
        "/// The lists of `WORD_FLAG_LISTS` as one table: (text, index, hash slots, one flag byte per\n/// entry with bit `i` set when the word is on list `i`).\npub static WORD_FLAGS: (&str, &[u8], &[u8], &[u8]) = (include_str!({:?}), include_bytes!({:?}), include_bytes!({:?}), include_bytes!({:?}));\n/// The lists of `WORD_FLAGS`, in the order of their bits.\npub static WORD_FLAG_LISTS: &[&str] = &{WORD_FLAG_LISTS:?};",
        dest.display().to_string(),
        idx.display().to_string(),
        hash.display().to_string(),
        flags_path.display().to_string()
    );
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
        .join("rules_embedded.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

/// The size of the first-name bit table: 2^18 bits (32 KiB), about one bit in ten set.
const FIRST_NAME_TABLE_BITS: usize = 1 << 18;

/// The four large lists whose memberships `WORD_FLAGS` holds, bit 0 first.
const WORD_FLAG_LISTS: [&str; 4] = [
    "lists/voornamen.txt",
    "lists/achternamen.txt",
    "lists/plaatsen.txt",
    "lists/woorden.txt",
];

/// The entries of a list file: trimmed, lower case, sorted, without blank and `#` lines.
fn normalise(contents: &str) -> Vec<String> {
    let mut entries: Vec<String> = contents
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect();
    entries.sort();
    entries
}

/// Writes `entries` (sorted, unique) as a table: `dest` holds the text, and the returned
/// paths the entry index and the hash slots.
fn write_table(dest: &Path, entries: &[String]) -> (std::path::PathBuf, std::path::PathBuf) {
    let mut body = String::new();
    let mut index: Vec<u8> = Vec::with_capacity(entries.len() * 8);
    for e in entries {
        index.extend_from_slice(&(body.len() as u32).to_le_bytes());
        index.extend_from_slice(&(e.len() as u32).to_le_bytes());
        body.push_str(e);
        body.push('\n');
    }
    let idx = dest.with_extension("idx");
    let hash = dest.with_extension("hash");
    let refs: Vec<&str> = entries.iter().map(String::as_str).collect();
    if let Err(e) = std::fs::write(dest, body)
        .and_then(|_| std::fs::write(&idx, index))
        .and_then(|_| std::fs::write(&hash, hash_slots(&refs)))
    {
        panic!("cannot write {}: {e}", dest.display());
    }
    (idx, hash)
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.ends_with(".txt") || rel.ends_with(".toml") || rel.ends_with(".md") {
                files.push(rel);
            }
        }
    }
}
