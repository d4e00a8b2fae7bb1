//! Fuzz target `extract_pdf`: PDF extraction: lopdf, pdf-extract, our glyph-geometry OutputDev and the furniture pass.
//! The checks are in `dossierkluis_fuzz::extract_pdf` (fuzz/src/lib.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossierkluis_fuzz::extract_pdf(data));
