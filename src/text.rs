//! STUB of the text-extraction module for branch `found` only (the real one, with the isolated
//! child process, is built on branch `text` and replaces this file at merge). It owns turning
//! document bytes into text; it must never write text to disk. This stub accepts UTF-8 text and
//! classifies PDFs as needing OCR, with the real module's names and error codes.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The type of a document, detected from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Pdf,
    Text,
    Docx,
    Eml,
}

impl DocKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            DocKind::Pdf => "pdf",
            DocKind::Text => "text",
            DocKind::Docx => "docx",
            DocKind::Eml => "eml",
        }
    }
}

/// Limits on one document and on the child process that extracts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_pages: u32,
    pub wall_time: Duration,
    pub cpu_seconds: u64,
    pub max_memory_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 50 * 1024 * 1024,
            max_pages: 2000,
            wall_time: Duration::from_secs(60),
            cpu_seconds: 60,
            max_memory_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// The text of one document.
#[derive(Clone, PartialEq, Eq)]
pub struct Extracted {
    pub kind: DocKind,
    pub text: String,
    pub page_starts: Vec<usize>,
    pub removed_furniture_lines: usize,
}

/// Why a document yielded no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("PDF has no text layer (scanned?); it needs OCR")]
    NeedsOcr { pages: u32 },
    #[error("unsupported document type")]
    UnsupportedType,
    #[error("document is empty")]
    Empty,
}

impl ExtractError {
    pub fn code(&self) -> &'static str {
        match self {
            ExtractError::NeedsOcr { .. } => "needs_ocr",
            ExtractError::UnsupportedType => "unsupported_type",
            ExtractError::Empty => "empty",
        }
    }
}

/// Runs extraction (the real one in a child process of `exe`).
pub struct Extractor {
    _exe: Option<PathBuf>,
    _limits: Limits,
}

impl Extractor {
    pub fn new(limits: Limits) -> Self {
        Extractor {
            _exe: None,
            _limits: limits,
        }
    }

    pub fn with_exe(exe: PathBuf, limits: Limits) -> Self {
        Extractor {
            _exe: Some(exe),
            _limits: limits,
        }
    }

    pub fn extract(&self, bytes: &[u8]) -> Result<Extracted, ExtractError> {
        if bytes.starts_with(b"%PDF") {
            return Err(ExtractError::NeedsOcr { pages: 0 });
        }
        let text = std::str::from_utf8(bytes).map_err(|_| ExtractError::UnsupportedType)?;
        if text.trim().is_empty() {
            return Err(ExtractError::Empty);
        }
        Ok(Extracted {
            kind: DocKind::Text,
            text: text.replace("\r\n", "\n"),
            page_starts: vec![0],
            removed_furniture_lines: 0,
        })
    }
}
