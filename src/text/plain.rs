//! Plain text: UTF-8 (BOM stripped), UTF-16 with a BOM, else Windows-1252; binary data is
//! refused. Must never guess an encoding for bytes that look binary.

use super::ExtractError;

/// Decodes text bytes. Binary content (NUL bytes, many control characters) is
/// `UnsupportedType`; text that is only whitespace is `Empty`.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        utf8_or_1252(rest)?
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes.starts_with(b"\xFF\xFE") {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, had_errors) = enc.decode_with_bom_removal(bytes.get(2..).unwrap_or_default());
        if had_errors {
            return Err(ExtractError::UnsupportedType);
        }
        text.into_owned()
    } else {
        utf8_or_1252(bytes)?
    };
    if looks_binary(&text) {
        return Err(ExtractError::UnsupportedType);
    }
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(text)
}

fn utf8_or_1252(bytes: &[u8]) -> Result<String, ExtractError> {
    if bytes.contains(&0) {
        return Err(ExtractError::UnsupportedType);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok(text.into_owned())
        }
    }
}

/// Text is binary when it holds a NUL or when more than 1% of its characters are control
/// characters other than tab, line feed, carriage return and form feed (Windows-1252's five
/// undefined bytes decode to C1 controls and count too).
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return true;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            control += 1;
        }
    }
    control * 100 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_1252() {
        assert_eq!(decode(b"\xEF\xBB\xBFcaf\xC3\xA9").as_deref(), Ok("café"));
        assert_eq!(decode(b"caf\xE9 \x80 5").as_deref(), Ok("café € 5"));
        assert_eq!(decode(b"\xFF\xFEh\x00i\x00").as_deref(), Ok("hi"));
    }

    #[test]
    fn binary_and_blank() {
        assert_eq!(decode(b"ab\x00cd"), Err(ExtractError::UnsupportedType));
        assert_eq!(
            decode(b"\x01\x02\x03\x04abc"),
            Err(ExtractError::UnsupportedType)
        );
        assert_eq!(decode(b" \n\t "), Err(ExtractError::Empty));
    }
}
