//! Fuzz target `deidentify`: Detectors and replacement on arbitrary UTF-8 in several documents of one case.
//! The checks are in `dossierkluis_fuzz::deidentify` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossierkluis_fuzz::deidentify(data));
