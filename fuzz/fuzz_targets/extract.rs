//! Fuzz target `extract`: Type detection and in-process extraction of non-PDF input (text, EML, raw DOCX/zip).
//! The checks are in `dossierkluis_fuzz::extract_any` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossierkluis_fuzz::extract_any(data));
