//! Running headers and footers (page furniture) of paged text: detection and the keep-one-copy
//! policy described in the `text` module docs. Must never drop a line that is not repeated
//! across pages, except a page-number line ("pagina 2 van 5") at the top or bottom of a page.

use std::collections::{HashMap, HashSet};

/// How many non-blank lines at the top and at the bottom of a page can be furniture.
const ZONE: usize = 3;

/// Removes furniture from `pages` in place and returns the number of lines dropped. `line_ys`
/// gives per page the height of each line on the page (larger is higher, NaN for blank
/// lines); when it matches the page's lines, "top" and "bottom" are by position on the page,
/// otherwise by order in the text (PDF producers often draw footers before the body).
pub(crate) fn remove_furniture(pages: &mut [String], line_ys: &[Vec<f64>]) -> usize {
    let n = pages.len();
    // On how many pages does each normalised line occur at the same place (nth line from the
    // top or from the bottom, within the zone)?
    let mut seen_on: HashMap<(Place, String), usize> = HashMap::new();
    for (p, page) in pages.iter().enumerate() {
        let ys = line_ys.get(p).map(Vec::as_slice).unwrap_or_default();
        let keys: HashSet<(Place, String)> = zone_lines(page, ys)
            .into_iter()
            .map(|(_, place, l)| (place, key(l, p + 1, n)))
            .collect();
        for k in keys {
            *seen_on.entry(k).or_default() += 1;
        }
    }
    // A line is furniture when it repeats at its place on at least 60% of the pages (and on
    // at least two pages).
    let threshold = (n * 3).div_ceil(5).max(2);
    let mut kept: HashSet<String> = HashSet::new();
    let mut removed = 0;
    for (p, page) in pages.iter_mut().enumerate() {
        let ys = line_ys.get(p).map(Vec::as_slice).unwrap_or_default();
        let zone = zone_lines(page, ys);
        let mut out = String::with_capacity(page.len());
        let mut changed = false;
        for (i, line) in page.split('\n').enumerate() {
            let mut drop = false;
            let places: Vec<Place> = zone
                .iter()
                .filter(|(j, _, _)| *j == i)
                .map(|(_, place, _)| *place)
                .collect();
            if !places.is_empty() {
                let k = key(line, p + 1, n);
                let repeated = places.into_iter().any(|place| {
                    seen_on.get(&(place, k.clone())).copied().unwrap_or(0) >= threshold
                });
                if is_page_number(line, repeated) || (repeated && !kept.insert(k)) {
                    drop = true;
                }
            }
            if drop {
                removed += 1;
                changed = true;
                continue;
            }
            if i > 0 {
                out.push('\n');
            }
            out.push_str(line);
        }
        if changed {
            *page = out;
        }
    }
    removed
}

/// Where a zone line sits: nth non-blank line from the top, or from the bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Place {
    Top(usize),
    Bottom(usize),
}

/// (line index, place, line) of the first and last `ZONE` non-blank lines of a page; on a short
/// page a line can be both near the top and near the bottom.
fn zone_lines<'a>(page: &'a str, ys: &[f64]) -> Vec<(usize, Place, &'a str)> {
    let mut lines: Vec<(usize, &str)> = page
        .split('\n')
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let y_of = |i: usize| ys.get(i).copied().filter(|y| y.is_finite());
    if ys.len() == page.split('\n').count() && lines.iter().all(|&(i, _)| y_of(i).is_some()) {
        // Top of the page first; lines at the same height keep their text order.
        lines.sort_by(|a, b| {
            let (ya, yb) = (y_of(a.0).unwrap_or(0.0), y_of(b.0).unwrap_or(0.0));
            yb.total_cmp(&ya).then(a.0.cmp(&b.0))
        });
    }
    let mut zone: Vec<(usize, Place, &str)> = lines
        .iter()
        .take(ZONE)
        .enumerate()
        .map(|(nth, &(i, l))| (i, Place::Top(nth), l))
        .collect();
    zone.extend(
        lines
            .iter()
            .rev()
            .take(ZONE)
            .enumerate()
            .map(|(nth, &(i, l))| (i, Place::Bottom(nth), l)),
    );
    zone
}

/// The line with whitespace collapsed and each standalone number equal to the page's own number
/// or to the page count written as '#': "Pagina 2 van 5" on page 2 and "Pagina 3 van 5" on
/// page 3 match, "Datum: 02-03-2021" and "Datum: 09-03-2021" do not (numbers inside dates,
/// times and numbers with a leading zero are never folded).
fn key(line: &str, page_no: usize, pages: usize) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let collapsed = words.join(" ");
    let chars: Vec<char> = collapsed.chars().collect();
    let mut k = String::with_capacity(collapsed.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if !c.is_ascii_digit() {
            k.push(c);
            i += 1;
            continue;
        }
        let start = i;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        let run: String = chars.get(start..i).unwrap_or_default().iter().collect();
        let joined = |sep: Option<&char>, digit: Option<&char>| {
            sep.is_some_and(|s| matches!(s, '-' | '/' | '.' | ':' | ','))
                && digit.is_some_and(char::is_ascii_digit)
        };
        let in_date = joined(
            start.checked_sub(1).and_then(|j| chars.get(j)),
            start.checked_sub(2).and_then(|j| chars.get(j)),
        ) || joined(chars.get(i), chars.get(i + 1));
        let value = run.parse::<usize>().ok();
        if !in_date && !run.starts_with('0') && (value == Some(page_no) || value == Some(pages)) {
            k.push('#');
        } else {
            k.push_str(&run);
        }
    }
    k
}

/// A page-number line: digits plus at most the words page/pagina/blz/van/of and punctuation.
/// With a page word ("pagina 1 van 3", "blz. 2") it is recognised on its own; a bare number
/// ("3", "- 3 -", "3/7") only when it repeats across pages.
fn is_page_number(line: &str, repeated: bool) -> bool {
    if !line.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let mut page_word = false;
    for word in line
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '-' | '/' | '.' | ':' | '|' | '(' | ')' | '[' | ']' | '–' | '—' | ','
                )
        })
        .filter(|w| !w.is_empty())
    {
        let lower = word.to_lowercase();
        if lower.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        match lower.as_str() {
            "pagina" | "page" | "pag" | "blz" | "blad" | "p" => page_word = true,
            "van" | "of" | "uit" => {}
            _ => return false,
        }
    }
    page_word || repeated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_dropped_print_line_kept_once() {
        let mut pages: Vec<String> = (1..=3)
            .map(|i| {
                format!(
                    "Afgedrukt door A. Auteur op 01-02-2023\nDatum: 0{d}-03-2021\nInhoud nummer {b} met tekst.\nMeer inhoud.\nNog een regel.\nEinde {e}.\n - {i} -\npagina {i} van 3",
                    d = i + 4,
                    b = i * 13,
                    e = i * 11
                )
            })
            .collect();
        let removed = remove_furniture(&mut pages, &[]);
        // Two page-number lines per page, and the print line on pages 2 and 3.
        assert_eq!(removed, 8, "{pages:?}");
        assert!(pages[0].starts_with("Afgedrukt door A. Auteur"));
        assert!(!pages[1].contains("Afgedrukt"));
        assert!(!pages[2].contains("pagina 3 van 3"));
        assert!(
            pages[2].contains("Datum: 07-03-2021"),
            "lines differing in a date stay"
        );
        assert!(
            pages[2].contains("Inhoud nummer 39 met tekst."),
            "body lines stay"
        );
        assert!(
            pages[2].contains("Meer inhoud."),
            "lines outside top/bottom zones stay"
        );
    }

    #[test]
    fn single_page_keeps_everything_but_page_word_numbers() {
        let mut pages = vec!["Titel\nTekst\n3\npagina 1 van 1".to_string()];
        assert_eq!(remove_furniture(&mut pages, &[]), 1);
        assert_eq!(pages[0], "Titel\nTekst\n3");
    }

    #[test]
    fn positions_decide_top_and_bottom() {
        // The footer is drawn second (text order) but sits at the bottom of the page; the
        // repeated sentence is last in text order but in the middle of the page.
        let mut pages: Vec<String> = (1..=3)
            .map(|i| {
                format!(
                    "Kop\nVoet {}\nA{i}1\nA{i}2\nA{i}3\nA{i}4\nA{i}5\nA{i}6\nVaste zin",
                    10 + i
                )
            })
            .collect();
        let ys: Vec<Vec<f64>> = (0..3)
            .map(|_| vec![800.0, 40.0, 700.0, 680.0, 660.0, 640.0, 620.0, 600.0, 650.0])
            .collect();
        assert_eq!(
            remove_furniture(&mut pages, &ys),
            2,
            "only the repeated Kop: {pages:?}"
        );
        assert!(pages[2].ends_with("Vaste zin"));
    }

    #[test]
    fn ordinary_lines_with_numbers_are_not_page_numbers() {
        assert!(!is_page_number("Kamer 12", true));
        assert!(is_page_number("Pagina 2 van 9", false));
        assert!(is_page_number("- 4 -", true));
        assert!(!is_page_number("- 4 -", false));
    }
}
