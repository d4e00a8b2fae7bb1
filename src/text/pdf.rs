//! PDF: encryption and page-count checks with lopdf, then text per page with pdf-extract through
//! an own [`OutputDev`] that places spaces and line breaks by glyph geometry. Runs only inside
//! the isolated child. Must never try passwords on an encrypted PDF other than the empty one.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::{ExtractError, Limits};

/// The raw text of one page and, per line of it, the baseline height of its first glyph
/// (PDF user space, larger is higher; NaN for blank lines).
pub(crate) struct Page {
    pub text: String,
    pub line_ys: Vec<f64>,
}

/// Loads the PDF and returns the raw text of each page, in page order.
pub(crate) fn extract_pages(bytes: &[u8], limits: &Limits) -> Result<Vec<Page>, ExtractError> {
    let declares_encryption = super::find(bytes, b"/Encrypt").is_some();
    let doc = match pdf_extract::Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(pdf_extract::Error::Decryption(_) | pdf_extract::Error::InvalidPassword) => {
            return Err(ExtractError::EncryptedPdf)
        }
        Err(_) if declares_encryption => return Err(ExtractError::EncryptedPdf),
        Err(_) => return Err(ExtractError::extract("PDF structure could not be parsed")),
    };
    // lopdf opens a PDF whose user password is empty by itself (restrictions only); a PDF that
    // still has its /Encrypt entry, or whose objects could not be decrypted, needs a password.
    if doc.is_encrypted() || (doc.trailer.get(b"Encrypt").is_ok() && !doc.was_encrypted()) {
        return Err(ExtractError::EncryptedPdf);
    }
    let pages = doc.get_pages();
    if pages.len() as u64 > u64::from(limits.max_pages) {
        return Err(ExtractError::TooManyPages {
            pages: pages.len() as u64,
            limit: limits.max_pages,
        });
    }
    if pages.is_empty() {
        if declares_encryption {
            return Err(ExtractError::EncryptedPdf);
        }
        return Err(ExtractError::extract("PDF has no pages"));
    }
    if pages.values().any(|&id| parent_chain_loops(&doc, id)) {
        return Err(ExtractError::extract("PDF page tree has a cycle"));
    }
    let mut budget = limits.max_text_bytes();
    let mut out = Vec::with_capacity(pages.len());
    for &page_num in pages.keys() {
        let mut dev = PageText::new(budget);
        let run = catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&doc, &mut dev, page_num)
        }));
        match run {
            Ok(Ok(())) => {}
            Ok(Err(_)) if dev.overflow => return Err(ExtractError::resource("text size")),
            Ok(Err(_)) => return Err(ExtractError::extract("a PDF page could not be interpreted")),
            Err(_) => {
                return Err(ExtractError::Crashed {
                    reason: "PDF parser panicked".into(),
                })
            }
        }
        budget = budget.saturating_sub(dev.out.len());
        out.push(Page {
            text: dev.out,
            line_ys: dev.line_ys,
        });
    }
    Ok(out)
}

/// True when the /Parent chain above a page comes back to a node it passed. pdf-extract follows
/// that chain, exactly like this, to inherit Resources and MediaBox and would loop forever
/// (found by fuzzing: a page that is its own parent and lacks /Resources).
fn parent_chain_loops(doc: &pdf_extract::Document, page: lopdf::ObjectId) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut id = page;
    while seen.insert(id) {
        let parent = doc
            .get_dictionary(id)
            .and_then(|dict| dict.get(b"Parent"))
            .and_then(|parent| parent.as_reference());
        match parent {
            Ok(next) => id = next,
            Err(_) => return false,
        }
    }
    true
}

/// A PDF whose pages (page furniture already removed) hold on average fewer than ten letters
/// has no usable text layer: it is a scan and needs OCR.
pub(crate) fn check_text_layer(pages: &[String]) -> Result<(), ExtractError> {
    let letters: usize = pages
        .iter()
        .map(|p| p.chars().filter(|c| c.is_alphabetic()).count())
        .sum();
    if letters < 10 * pages.len().max(1) {
        return Err(ExtractError::NeedsOcr {
            pages: u32::try_from(pages.len()).unwrap_or(u32::MAX),
        });
    }
    Ok(())
}

/// Collects the characters of one page, inserting a space where the pen jumps right between
/// text-showing operations (or jumps back on the same line), and a line break where it moves
/// to another line (a blank line where the gap exceeds one and a half line heights).
struct PageText {
    out: String,
    line_ys: Vec<f64>,
    cap: usize,
    overflow: bool,
    started: bool,
    first_char: bool,
    last_end: f64,
    last_y: f64,
    last_size: f64,
}

impl PageText {
    fn new(cap: usize) -> Self {
        PageText {
            out: String::new(),
            line_ys: vec![f64::NAN],
            cap,
            overflow: false,
            started: false,
            first_char: false,
            last_end: 0.0,
            last_y: 0.0,
            last_size: 1.0,
        }
    }

    fn push_space(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with([' ', '\n']) {
            self.out.push(' ');
        }
    }
}

impl OutputDev for PageText {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        // Position and effective font size in device space (the text rendering matrix).
        let (x, y) = (trm.m31, trm.m32);
        let vx = font_size * (trm.m11 + trm.m21);
        let vy = font_size * (trm.m12 + trm.m22);
        let mut size = (vx * vy).abs().sqrt();
        if !size.is_finite() || size < 0.01 {
            size = 1.0;
        }
        if !(x.is_finite() && y.is_finite()) {
            return Ok(());
        }
        if self.started && self.first_char {
            let line = size.max(self.last_size);
            let dy = (y - self.last_y).abs();
            if dy > line * 0.5 {
                if dy > line * 1.5 && !self.out.ends_with("\n\n") {
                    self.out.push('\n');
                    self.line_ys.push(f64::NAN);
                }
                self.out.push('\n');
                self.line_ys.push(f64::NAN);
            } else if x > self.last_end + size * 0.1 || x < self.last_end - size {
                self.push_space();
            }
        }
        let is_blank = ch.chars().all(char::is_whitespace);
        if is_blank {
            self.push_space();
        } else {
            self.out.push_str(ch);
            if let Some(last) = self.line_ys.last_mut() {
                if last.is_nan() {
                    *last = y;
                }
            }
        }
        if self.out.len() > self.cap {
            self.overflow = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        self.started = true;
        self.first_char = false;
        self.last_y = y;
        self.last_size = size;
        let advance = width * size;
        self.last_end = x + if advance.is_finite() { advance } else { 0.0 };
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.first_char = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_layer_threshold() {
        assert!(check_text_layer(&["".into(), " 12 ".into()]).is_err());
        assert!(check_text_layer(&["Dit is een gewone zin met woorden.".into()]).is_ok());
    }
}
