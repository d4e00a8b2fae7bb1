//! Fuzz target `extract_docx`: DOCX extraction from a zip built around fuzzed word/document.xml.
//! The checks are in `dossierkluis_fuzz::extract_docx` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossierkluis_fuzz::extract_docx(data));
