//! Fuzz target `age_open`: The age intake path: crypto::open (binary, armored, valid header with fuzzed payload, edited file).
//! The checks are in `dossierkluis_fuzz::age_open` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossierkluis_fuzz::age_open(data));
