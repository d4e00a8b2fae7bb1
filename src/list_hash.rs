// Shared by `build.rs` (which lays out the tables) and `src/rules.rs` (which reads them), so
// both sides hash the same way. Included with `include!`, not a module of its own.

/// FNV-1a, 64 bits: tiny, no state, the same on every platform; the lists are fixed at build
/// time, so no adversary can choose collisions.
#[inline]
fn list_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Bits of a slot that hold 1 + the entry's position; the bits above hold a fingerprint of the
/// entry's hash.
#[allow(dead_code)]
const SLOT_POSITION_BITS: u32 = 20;

/// The fingerprint of a hash as a slot stores it: its top bits (the slot index uses the bottom
/// ones).
#[allow(dead_code)]
#[inline]
fn slot_fingerprint(hash: u64) -> u32 {
    (hash >> (64 - (32 - SLOT_POSITION_BITS))) as u32
}

/// An open-addressing table over `entries` (already sorted and unique): a power-of-two number
/// of little-endian u32 slots, each 0 (empty) or the fingerprint of the entry's hash (top 12
/// bits) and 1 + the entry's position (low 20 bits), filled by linear probing. At most half
/// full, so a miss ends after a few probes; and a probe that meets another entry rejects it
/// by the fingerprint, without reading the entry (two cache misses in a table of megabytes).
#[allow(dead_code)]
fn hash_slots(entries: &[&str]) -> Vec<u8> {
    if entries.is_empty() {
        return Vec::new();
    }
    assert!(
        entries.len() < (1 << SLOT_POSITION_BITS) - 1,
        "a word list of {} entries is too long for the table format (at most {})",
        entries.len(),
        (1u32 << SLOT_POSITION_BITS) - 2
    );
    let size = (entries.len() * 2).next_power_of_two();
    let mut slots = vec![0u32; size];
    for (i, e) in entries.iter().enumerate() {
        let hash = list_hash(e.as_bytes());
        let mut s = (hash as usize) & (size - 1);
        while slots[s] != 0 {
            s = (s + 1) & (size - 1);
        }
        slots[s] = (slot_fingerprint(hash) << SLOT_POSITION_BITS) | (i as u32 + 1);
    }
    slots.iter().flat_map(|v| v.to_le_bytes()).collect()
}
