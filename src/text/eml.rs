//! E-mail (RFC 5322/MIME): the headers From, Sent, To, Cc and Subject (RFC 2047 decoded) as
//! Dutch "Van:/Verzonden:/Aan:/CC:/Onderwerp:" lines, then the decoded text/plain body, or the
//! text/html body stripped to text when there is no plain part. Attachments are not extracted.
//! Runs only inside the isolated child. Must never follow links or load remote content.

use mailparse::{DispositionType, MailHeaderMap, ParsedMail};

use super::{ExtractError, Limits};

/// True when the text starts with an RFC 5322 header block that has a From header and at least
/// one other typical mail header.
pub(crate) fn looks_like_email(text: &str) -> bool {
    let mut has_from = false;
    let mut has_other = false;
    let mut lines = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        lines += 1;
        if lines > 500 {
            return false;
        }
        if line.starts_with([' ', '\t']) {
            if lines == 1 {
                return false;
            }
            continue;
        }
        let Some((name, _)) = line.split_once(':') else {
            return false;
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return false;
        }
        match name.to_ascii_lowercase().as_str() {
            "from" => has_from = true,
            "to" | "subject" | "date" | "message-id" | "mime-version" | "received" | "cc" => {
                has_other = true
            }
            _ => {}
        }
    }
    has_from && has_other
}

pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<String, ExtractError> {
    let mail = mailparse::parse_mail(bytes)
        .map_err(|_| ExtractError::extract("e-mail could not be parsed"))?;
    let headers = mail.get_headers();
    let mut out = String::new();
    let mut line = |label: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            out.push_str(label);
            out.push_str(": ");
            out.push_str(v.split_whitespace().collect::<Vec<_>>().join(" ").as_str());
            out.push('\n');
        }
    };
    line("Van", headers.get_first_value("From"));
    line(
        "Verzonden",
        headers
            .get_first_value("Date")
            .map(|d| dutch_date(&d).unwrap_or(d)),
    );
    line("Aan", headers.get_first_value("To"));
    line("CC", headers.get_first_value("Cc"));
    line("Onderwerp", headers.get_first_value("Subject"));
    out.push('\n');
    if let Some(body) = body_text(&mail, 0) {
        if body.len() > limits.max_text_bytes() {
            return Err(ExtractError::resource("text size"));
        }
        out.push_str(&body);
    }
    Ok(out)
}

/// The best body: the first inline text/plain part, else the first inline text/html part as
/// text. Nested multiparts are searched depth-first (at most 20 levels).
fn body_text(mail: &ParsedMail, depth: usize) -> Option<String> {
    if depth > 20 {
        return None;
    }
    plain_part(mail, "text/plain", depth)
        .or_else(|| plain_part(mail, "text/html", depth).map(|h| strip_html(&h)))
}

fn plain_part(mail: &ParsedMail, mime: &str, depth: usize) -> Option<String> {
    if depth > 20 {
        return None;
    }
    if mail.subparts.is_empty() {
        let attachment = mail.get_content_disposition().disposition == DispositionType::Attachment;
        if !attachment && mail.ctype.mimetype.eq_ignore_ascii_case(mime) {
            return mail.get_body().ok();
        }
        return None;
    }
    mail.subparts
        .iter()
        .find_map(|part| plain_part(part, mime, depth + 1))
}

/// "Thu, 24 Feb 2022 16:43:00 +0100" -> "donderdag 24 februari 2022 16:43" (the sender's
/// local time, as mail programs show it).
fn dutch_date(value: &str) -> Option<String> {
    let value = value.split_once(',').map(|(_, r)| r).unwrap_or(value);
    let mut parts = value.split_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?.to_ascii_lowercase();
    const EN: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const NL: [&str; 12] = crate::rules::MONTHS_NL;
    let month = EN.iter().position(|m| month_name.starts_with(m))?;
    let year: i32 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    let mut hm = time.split(':');
    let hour: u32 = hm.next()?.parse().ok()?;
    let minute: u32 = hm.next()?.parse().ok()?;
    // Four-digit years only: anything else is shown as sent (and cannot overflow the weekday
    // arithmetic below).
    if !(1..=31).contains(&day) || !(1000..=9999).contains(&year) || hour > 23 || minute > 59 {
        return None;
    }
    let weekday = crate::rules::WEEKDAYS_NL.get(day_of_week(year, month as u32 + 1, day))?;
    Some(format!(
        "{weekday} {day} {} {year} {hour:02}:{minute:02}",
        NL.get(month)?
    ))
}

/// 0 = Sunday (Sakamoto's method).
fn day_of_week(year: i32, month: u32, day: u32) -> usize {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    let t = T
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or(0);
    (y + y / 4 - y / 100 + y / 400 + t + day as i32).rem_euclid(7) as usize
}

/// HTML to text: scripts and styles dropped, block ends and `<br>` as line breaks, table cells
/// separated by tabs, entities decoded, all other tags removed.
pub(crate) fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let (text, after) = rest.split_at(lt);
        decode_html_entities_into(text, &mut out);
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = after.get(1..gt).unwrap_or("").to_ascii_lowercase();
        rest = after.get(gt + 1..).unwrap_or("");
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_string();
        let closing = tag.starts_with('/');
        if !closing && (name == "script" || name == "style" || name == "head") {
            let end = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&end) {
                Some(i) => rest
                    .get(i..)
                    .and_then(|r| r.find('>').and_then(|g| r.get(g + 1..)))
                    .unwrap_or(""),
                None => "",
            };
            continue;
        }
        match name.as_str() {
            "br" | "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
            | "table" | "blockquote" | "hr" => out.push('\n'),
            "td" | "th" if closing => out.push('\t'),
            _ => {}
        }
    }
    decode_html_entities_into(rest, &mut out);
    // Collapse the runs of spaces that HTML source indentation leaves.
    out.lines()
        .map(|l| {
            l.split([' '])
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn decode_html_entities_into(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        let after = rest.get(amp..).unwrap_or("");
        let semi = after.find(';').filter(|&i| i <= 10);
        let name = semi.and_then(|i| after.get(1..i)).unwrap_or("");
        let named = match name {
            "eacute" => Some("é"),
            "euml" => Some("ë"),
            "iuml" => Some("ï"),
            "ouml" => Some("ö"),
            "uuml" => Some("ü"),
            "egrave" => Some("è"),
            "agrave" => Some("à"),
            "ccedil" => Some("ç"),
            "hellip" => Some("..."),
            "ndash" => Some("–"),
            "mdash" => Some("—"),
            "lsquo" | "rsquo" => Some("'"),
            "ldquo" | "rdquo" => Some("\""),
            "euro" => Some("€"),
            _ => None,
        };
        match (semi, named) {
            (Some(i), Some(t)) => {
                out.push_str(t);
                rest = after.get(i + 1..).unwrap_or("");
            }
            (Some(i), None) => {
                let mut tmp = String::new();
                super::docx::decode_entities_into(after.get(..=i).unwrap_or(""), &mut tmp);
                out.push_str(&tmp);
                rest = after.get(i + 1..).unwrap_or("");
            }
            (None, _) => {
                out.push('&');
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_date_uses_sender_local_time() {
        assert_eq!(
            dutch_date("Thu, 24 Feb 2022 16:43:00 +0100").as_deref(),
            Some("donderdag 24 februari 2022 16:43")
        );
        assert_eq!(
            dutch_date("1 Jan 2000 00:05 -0000").as_deref(),
            Some("zaterdag 1 januari 2000 00:05")
        );
        assert_eq!(dutch_date("gisteren"), None);
        assert_eq!(dutch_date("1 Jan -2147483648 10:00"), None);
        assert_eq!(dutch_date("1 Jan 2147483647 10:00"), None);
    }

    #[test]
    fn html_to_text() {
        let t = strip_html("<html><head><style>p{}</style></head><body><p>Hallo&nbsp;daar &amp; hier</p><script>x()</script><div>caf&eacute;<br>r&#233;</div></body></html>");
        assert_eq!(t.trim(), "Hallo\u{a0}daar & hier\n\ncafé\nré");
    }

    #[test]
    fn email_detection() {
        assert!(looks_like_email("From: a\nSubject: b\n\nbody"));
        assert!(!looks_like_email("Van: a\nAan: b\n\nbody"));
        assert!(!looks_like_email("From: a\nthis is prose\n"));
    }
}
