//! Fuzz target `deidentify_names`: Oracle: a list name after a strong context never survives pseudonymisation.
//! The checks are in `dossierkluis_fuzz::deidentify_names` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossierkluis_fuzz::deidentify_names(data));
