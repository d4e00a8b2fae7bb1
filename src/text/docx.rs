//! DOCX: the body text of `word/document.xml`, paragraphs as lines, explicit page breaks as page
//! boundaries. Guards against zip bombs (entry count, declared and actual inflated size). Runs
//! only inside the isolated child. Must never read any other entry than the main document part.

use std::io::{Cursor, Read};

use super::{ExtractError, Limits};

/// Most entries a DOCX may have (real documents have a few dozen).
const MAX_ENTRIES: usize = 10_000;

pub(crate) fn extract_pages(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, ExtractError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| ExtractError::extract("DOCX is not a readable zip archive"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ExtractError::resource("zip entry count"));
    }
    // The XML part may be as large as the text budget (a quarter of the memory limit).
    let max_xml = limits.max_text_bytes();
    let mut xml = Vec::new();
    {
        let entry = archive
            .by_name("word/document.xml")
            .map_err(|_| ExtractError::extract("DOCX has no readable word/document.xml"))?;
        if entry.size() > max_xml as u64 {
            return Err(ExtractError::resource("zip inflated size"));
        }
        entry
            .take(max_xml as u64 + 1)
            .read_to_end(&mut xml)
            .map_err(|_| ExtractError::extract("DOCX document part could not be inflated"))?;
    }
    if xml.len() > max_xml {
        return Err(ExtractError::resource("zip inflated size"));
    }
    let xml = String::from_utf8(xml)
        .map_err(|_| ExtractError::extract("DOCX document part is not UTF-8"))?;
    Ok(document_xml_to_pages(&xml))
}

/// A minimal walk over WordprocessingML: text of `w:t`, `w:tab` as tab, `w:br`/`w:cr` as line
/// break (`w:br w:type="page"` as page break), end of `w:p` as line end. Deleted text
/// (`w:delText`) and field codes (`w:instrText`) are not text.
fn document_xml_to_pages(xml: &str) -> Vec<String> {
    let mut pages = vec![String::new()];
    let mut in_text = false;
    // Inside paragraph properties, `w:tab` is a tab-stop definition, not a tab.
    let mut in_props = false;
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        let (before, after) = rest.split_at(lt);
        if in_text {
            if let Some(page) = pages.last_mut() {
                decode_entities_into(before, page);
            }
        }
        // Comments, CDATA and processing instructions.
        if let Some(body) = after.strip_prefix("<!--") {
            rest = body
                .find("-->")
                .and_then(|i| body.get(i + 3..))
                .unwrap_or("");
            continue;
        }
        if let Some(body) = after.strip_prefix("<![CDATA[") {
            let end = body.find("]]>").unwrap_or(body.len());
            if in_text {
                if let Some(page) = pages.last_mut() {
                    page.push_str(body.get(..end).unwrap_or(""));
                }
            }
            rest = body.get(end + 3..).unwrap_or("");
            continue;
        }
        let Some(gt) = after.find('>') else { break };
        let tag = after.get(1..gt).unwrap_or("");
        rest = after.get(gt + 1..).unwrap_or("");
        let closing = tag.starts_with('/');
        let self_closing = tag.ends_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        let local = name.rsplit(':').next().unwrap_or(name);
        let Some(page) = pages.last_mut() else { break };
        match (local, closing) {
            ("t", false) => in_text = !self_closing,
            ("t", true) => in_text = false,
            ("pPr", false) => in_props = !self_closing,
            ("pPr", true) => in_props = false,
            ("tab", false) if !in_props => page.push('\t'),
            ("cr", false) => page.push('\n'),
            ("br", false) => {
                if tag.contains("type=\"page\"") || tag.contains("type='page'") {
                    pages.push(String::new());
                } else {
                    page.push('\n');
                }
            }
            ("p", true) => page.push('\n'),
            ("p", false) if self_closing => page.push('\n'),
            _ => {}
        }
    }
    pages
}

/// Appends `s` with the five XML entities and numeric character references decoded.
pub(crate) fn decode_entities_into(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        let after = rest.get(amp..).unwrap_or("");
        let semi = after.find(';').filter(|&i| i <= 12);
        let decoded = semi.and_then(|i| entity(after.get(1..i).unwrap_or("")));
        match (semi, decoded) {
            (Some(i), Some(c)) => {
                out.push(c);
                rest = after.get(i + 1..).unwrap_or("");
            }
            _ => {
                out.push('&');
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let num = name.strip_prefix('#')?;
            let value = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_runs_tabs_breaks_and_pages() {
        let xml = r#"<?xml version="1.0"?><w:document><w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Een</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve"> &amp; twee</w:t></w:r></w:p>
<w:p><w:r><w:delText>weg</w:delText><w:instrText>PAGE</w:instrText><w:t>drie</w:t><w:br/><w:t>&#233;&#x20AC;</w:t></w:r></w:p>
<w:p><w:r><w:br w:type="page"/><w:t>vier</w:t></w:r></w:p></w:body></w:document>"#;
        let pages = document_xml_to_pages(xml);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].trim(), "Een\t & twee\ndrie\né€");
        assert_eq!(pages[1].trim(), "vier");
    }
}
