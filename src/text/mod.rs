//! text: turns untrusted decrypted bytes into plain text, inside an isolated child process.
//!
//! Owns: detecting the document type by content ([`detect_kind`]: PDF, UTF-8/UTF-16/Windows-1252
//! text, DOCX, EML), extracting its text with page boundaries ([`Extracted::page_starts`]),
//! recognising running headers and footers of PDFs (page furniture), NFKC normalisation, and
//! classifying every bad input with a stable code ([`ExtractError::code`]).
//!
//! Isolation: parsers of untrusted bytes (pdf-extract above all) can panic, loop, overflow the
//! stack or balloon on decompression bombs. [`Extractor::extract`] therefore runs
//! [`extract_in_process`] in a child process of the same binary (`<exe> __extract`, see
//! [`child_main`]) with address-space, CPU-time and wall-clock limits and core dumps off; the
//! plaintext travels over pipes only.
//!
//! Must never: write decrypted bytes or extracted text to disk (no temporary files, no core
//! dumps), put document text into an error message or a log line, forward the child's stderr,
//! or run a document parser in the calling process ([`extract_in_process`] is for the child).
//!
//! Running headers and footers: lines that repeat at the top or bottom of most pages are page
//! furniture. Page-number lines ("pagina 3 van 7", "- 3 -", "3") are dropped. Every other
//! furniture line (a print line "printed from ... by <name> on <date>", a letterhead) is kept
//! once, at its first occurrence, and its repeats on later pages are dropped: such lines can hold
//! a name that the de-identifier must still see and replace, so deleting them outright would
//! hide personal data from it without removing it from the source, while keeping every copy
//! would cut sentences that run across pages. Lines that differ only in their digits count as
//! the same line. [`Extracted::removed_furniture_lines`] counts the dropped lines.

mod docx;
mod eml;
mod furniture;
mod isolate;
mod pdf;
mod plain;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

pub use isolate::{child_main, Extractor};

/// The type of a document, detected from its content (never from its file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Pdf,
    Text,
    Docx,
    Eml,
}

impl DocKind {
    /// Stable lowercase name: "pdf", "text", "docx", "eml".
    pub fn as_str(&self) -> &'static str {
        match self {
            DocKind::Pdf => "pdf",
            DocKind::Text => "text",
            DocKind::Docx => "docx",
            DocKind::Eml => "eml",
        }
    }
}

impl std::fmt::Display for DocKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Limits on one document and on the child process that extracts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes.
    pub max_bytes: u64,
    /// Most PDF pages accepted.
    pub max_pages: u32,
    /// Wall-clock time the child may take before it is killed.
    pub wall_time: Duration,
    /// CPU seconds the child may use (RLIMIT_CPU).
    pub cpu_seconds: u64,
    /// Address space of the child (RLIMIT_AS), in bytes.
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

impl Limits {
    /// The most extracted text (bytes) accepted: a quarter of the memory limit, at most
    /// 256 MiB. More text than that from one document is treated as a decompression bomb.
    pub fn max_text_bytes(&self) -> usize {
        let quarter = self.max_memory_bytes / 4;
        usize::try_from(quarter.min(256 * 1024 * 1024)).unwrap_or(256 * 1024 * 1024)
    }
}

/// The text of one document.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extracted {
    pub kind: DocKind,
    /// NFKC-normalised text, LF line ends. Pages are separated by a blank line.
    pub text: String,
    /// Byte offset into `text` where each page begins (one entry for non-paged formats).
    pub page_starts: Vec<usize>,
    /// Running header/footer lines dropped (page numbers and repeats of kept furniture).
    pub removed_furniture_lines: usize,
}

impl std::fmt::Debug for Extracted {
    // Never print the text itself (it is personal data): only its shape.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extracted")
            .field("kind", &self.kind)
            .field("text_bytes", &self.text.len())
            .field("pages", &self.page_starts.len())
            .field("removed_furniture_lines", &self.removed_furniture_lines)
            .finish()
    }
}

/// Why a document yielded no text. Messages never contain document text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ExtractError {
    #[error("PDF has no text layer (scanned?); it needs OCR")]
    NeedsOcr { pages: u32 },
    #[error("PDF is password-protected")]
    EncryptedPdf,
    #[error("unsupported document type (not PDF, text, DOCX or e-mail)")]
    UnsupportedType,
    #[error("document is empty")]
    Empty,
    #[error("document too large: {bytes} bytes, limit {limit}")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("document has too many pages: {pages}, limit {limit}")]
    TooManyPages { pages: u64, limit: u32 },
    #[error("could not extract text: {reason}")]
    Extract { reason: String },
    #[error("text extraction crashed ({reason})")]
    Crashed { reason: String },
    #[error("text extraction timed out after {seconds} s")]
    Timeout { seconds: u64 },
    #[error("text extraction hit a resource limit ({resource})")]
    ResourceLimit { resource: String },
}

impl ExtractError {
    /// Stable machine-readable code (quarantine reasons, audit log).
    pub fn code(&self) -> &'static str {
        match self {
            ExtractError::NeedsOcr { .. } => "needs_ocr",
            ExtractError::EncryptedPdf => "encrypted_pdf",
            ExtractError::UnsupportedType => "unsupported_type",
            ExtractError::Empty => "empty",
            ExtractError::TooLarge { .. } => "too_large",
            ExtractError::TooManyPages { .. } => "too_many_pages",
            ExtractError::Extract { .. } => "extract_error",
            ExtractError::Crashed { .. } => "extract_crashed",
            ExtractError::Timeout { .. } => "extract_timeout",
            ExtractError::ResourceLimit { .. } => "resource_limit",
        }
    }

    pub(crate) fn extract(reason: &str) -> Self {
        ExtractError::Extract {
            reason: reason.to_string(),
        }
    }

    pub(crate) fn resource(resource: &str) -> Self {
        ExtractError::ResourceLimit {
            resource: resource.to_string(),
        }
    }
}

/// Detects the document type from its bytes alone. Cheap and parser-free (magic bytes and a
/// byte scan), so it is safe to call outside the child.
pub fn detect_kind(bytes: &[u8]) -> Result<DocKind, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let head = bytes.get(..1024).unwrap_or(bytes);
    if find(head, b"%PDF-").is_some() {
        return Ok(DocKind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return if find(bytes, b"word/document.xml").is_some() {
            Ok(DocKind::Docx)
        } else {
            Err(ExtractError::UnsupportedType)
        };
    }
    // Everything else must be text; an e-mail is text with an RFC 5322 header block.
    let text = plain::decode(bytes)?;
    if eml::looks_like_email(&text) {
        Ok(DocKind::Eml)
    } else {
        Ok(DocKind::Text)
    }
}

/// Extracts the text of a document in the current process. Meant for the isolated child only
/// (see [`Extractor`]): the PDF parser can crash or exhaust memory.
pub fn extract_in_process(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let len = bytes.len() as u64;
    if len > limits.max_bytes {
        return Err(ExtractError::TooLarge {
            bytes: len,
            limit: limits.max_bytes,
        });
    }
    let kind = detect_kind(bytes)?;
    let mut removed = 0;
    let pages = match kind {
        DocKind::Pdf => {
            let raw = pdf::extract_pages(bytes, limits)?;
            let ys: Vec<Vec<f64>> = raw.iter().map(|p| p.line_ys.clone()).collect();
            let mut pages: Vec<String> = raw.into_iter().map(|p| p.text).collect();
            removed = furniture::remove_furniture(&mut pages, &ys);
            pdf::check_text_layer(&pages)?;
            pages
        }
        DocKind::Text => vec![plain::decode(bytes)?],
        DocKind::Docx => docx::extract_pages(bytes, limits)?,
        DocKind::Eml => vec![eml::extract(bytes, limits)?],
    };
    let (text, page_starts) = assemble(&pages);
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(Extracted {
        kind,
        text,
        page_starts,
        removed_furniture_lines: removed,
    })
}

/// Normalises each page (NFKC, LF line ends, no control characters, no trailing blanks, at most
/// one blank line in a row) and joins them, separated by a blank line.
fn assemble(pages: &[String]) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(pages.len());
    for page in pages {
        if !text.is_empty() {
            text.push('\n');
        }
        starts.push(text.len());
        let normal = normalise(page);
        text.push_str(&normal);
        if !normal.is_empty() {
            text.push('\n');
        }
    }
    (text, starts)
}

/// NFKC, CRLF/CR -> LF, tabs kept, other control characters -> space, trailing blanks trimmed,
/// leading/trailing blank lines dropped, runs of blank lines collapsed to one.
pub(crate) fn normalise(page: &str) -> String {
    let unified = page.replace("\r\n", "\n").replace('\r', "\n");
    let nfkc: String = unified
        .nfkc()
        .map(|c| {
            if c == '\n' || c == '\t' || !c.is_control() {
                c
            } else {
                ' '
            }
        })
        .collect();
    let mut out = String::with_capacity(nfkc.len());
    let mut blank_run = 0usize;
    for line in nfkc.split('\n') {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank_run > 0 {
                out.push('\n');
            }
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

/// Position of `needle` in `hay` (naive; inputs are bounded by the size limit).
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_folds_ligatures_and_line_ends() {
        assert_eq!(
            normalise("e\u{FB01}n\r\ntwee\r\n\r\n\r\ndrie \u{0007}x"),
            "efin\ntwee\n\ndrie  x"
        );
    }

    #[test]
    fn assemble_records_page_starts() {
        let (text, starts) = assemble(&["een".into(), "twee".into()]);
        assert_eq!(text, "een\n\ntwee\n");
        assert_eq!(starts, vec![0, 5]);
        assert_eq!(&text[starts[1]..starts[1] + 4], "twee");
    }

    #[test]
    fn detect_by_content() {
        assert_eq!(detect_kind(b"%PDF-1.4\n"), Ok(DocKind::Pdf));
        assert_eq!(detect_kind(b""), Err(ExtractError::Empty));
        assert_eq!(
            detect_kind(b"PK\x03\x04 other zip"),
            Err(ExtractError::UnsupportedType)
        );
        assert_eq!(detect_kind(b"gewoon tekst\n"), Ok(DocKind::Text));
        assert_eq!(
            detect_kind(b"From: a@b.nl\r\nTo: c@d.nl\r\nSubject: x\r\n\r\nbody"),
            Ok(DocKind::Eml)
        );
    }
}
