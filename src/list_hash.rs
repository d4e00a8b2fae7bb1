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

/// An open-addressing table over `entries` (already sorted and unique): a power-of-two number
/// of little-endian u32 slots, each 0 (empty) or 1 + the entry's position, filled by linear
/// probing. At most half full, so a miss ends after a few probes.
#[allow(dead_code)]
fn hash_slots(entries: &[&str]) -> Vec<u8> {
    if entries.is_empty() {
        return Vec::new();
    }
    let size = (entries.len() * 2).next_power_of_two();
    let mut slots = vec![0u32; size];
    for (i, e) in entries.iter().enumerate() {
        let mut s = (list_hash(e.as_bytes()) as usize) & (size - 1);
        while slots[s] != 0 {
            s = (s + 1) & (size - 1);
        }
        slots[s] = i as u32 + 1;
    }
    slots.iter().flat_map(|v| v.to_le_bytes()).collect()
}
