//! The checks behind every fuzz target of dossierkluis, one function per target, each taking the
//! raw fuzz input. The targets in `fuzz_targets/` only call these, and the stable test
//! `tests/fuzz_regressions.rs` includes this file (`#[path]`) and replays every kept crashing
//! input through the same function, so a fix is checked by `cargo test` without nightly.
//!
//! Containment: in production the document parsers run in the child `dossierkluis __extract`,
//! so a panic in a third-party parser (pdf-extract, lopdf, zip, mailparse, ...) is quarantined
//! as `extract_crashed`. [`contained`] mirrors that in process: a panic whose location is in a
//! crate from the registry is caught and counts as a contained outcome; a panic anywhere else
//! (our `src/`, or the standard library) is reported to libFuzzer as a crash. Hangs and memory
//! exhaustion cannot be caught in process: libFuzzer reports them (`-timeout`, `-rss_limit_mb`),
//! and in production the child's wall clock, RLIMIT_CPU and RLIMIT_AS contain them.
//!
//! Only the standard library, `zip` and the dossierkluis API are used, so the stable test suite
//! can build this file as a module.

use std::cell::Cell;
use std::collections::HashSet;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::str::FromStr;
use std::sync::{Once, OnceLock};

use dossierkluis::crypto::{self, Identity, OpenError};
use dossierkluis::pseudo::{Deidentified, Document, Engine, PseudoKey, Span};
use dossierkluis::text::{
    detect_kind, extract_in_process, DocKind, ExtractError, Extracted, Limits,
};

// ---------------------------------------------------------------------------------------------
// Containment of third-party panics

thread_local! {
    /// Inside [`contained`]: third-party panics are caught there.
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
    /// A third-party panic happened during the current [`contained`] call.
    static THIRD_PARTY_PANIC: Cell<bool> = const { Cell::new(false) };
}

/// True for a source file of a crate from a registry (or git) checkout, not of this project or
/// the standard library.
pub fn is_third_party(file: &str) -> bool {
    file.contains("/registry/src/") || file.contains("/.cargo/git/checkouts/")
}

fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        // Under libFuzzer the previous hook prints the panic and aborts (that is the crash);
        // under `cargo test` it is the default hook and the panic then fails the test.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let third_party = info.location().is_some_and(|l| is_third_party(l.file()));
            if third_party && CONTAINING.with(Cell::get) {
                THIRD_PARTY_PANIC.with(|p| p.set(true));
                return;
            }
            previous(info);
        }));
    });
}

/// Runs `f` as the extraction child would: `None` when a third-party crate panicked (the
/// child would have been reported as crashed); a panic in our code is re-raised.
pub fn contained<T>(f: impl FnOnce() -> T) -> Option<T> {
    install_hook();
    THIRD_PARTY_PANIC.with(|p| p.set(false));
    CONTAINING.with(|c| c.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(false));
    match result {
        Ok(v) => Some(v),
        Err(_) if THIRD_PARTY_PANIC.with(Cell::get) => None,
        Err(payload) => resume_unwind(payload),
    }
}

// ---------------------------------------------------------------------------------------------
// Text extraction

/// The limits of production (`Limits::default()`); only the page limit is lower, so a fuzzed
/// page tree cannot make one input run for minutes.
pub fn fuzz_limits() -> Limits {
    Limits {
        max_pages: 200,
        ..Limits::default()
    }
}

/// Target `extract`: type detection and in-process extraction of any input that is not a PDF
/// (text in UTF-8/UTF-16/Windows-1252, EML, raw DOCX/zip). PDFs have their own target.
pub fn extract_any(data: &[u8]) {
    let kind = detect_kind(data);
    if kind == Ok(DocKind::Pdf) {
        return;
    }
    let limits = fuzz_limits();
    let Some(result) = contained(|| extract_in_process(data, &limits)) else {
        return;
    };
    // Only the PDF path turns a caught panic into `Crashed`.
    if let Err(ExtractError::Crashed { .. }) = &result {
        panic!("non-PDF extraction reported a crash: {result:?}");
    }
    check_extraction(data, kind, &result);
}

/// Target `extract_pdf`: PDF extraction (lopdf + pdf-extract + our OutputDev and furniture).
pub fn extract_pdf(data: &[u8]) {
    let kind = detect_kind(data);
    let limits = fuzz_limits();
    let Some(result) = contained(|| extract_in_process(data, &limits)) else {
        return;
    };
    check_extraction(data, kind, &result);
}

/// Target `extract_docx`: the first byte chooses how the rest becomes `word/document.xml`
/// (stored or deflated; bare, or inside a paragraph run so it lands in text mode; with or
/// without other entries), the zip is built here, and then extracted like a real upload.
pub fn extract_docx(data: &[u8]) {
    let Some((&flags, xml)) = data.split_first() else {
        return;
    };
    let Some(zip) = docx_zip(flags, xml) else {
        return;
    };
    let kind = detect_kind(&zip);
    assert_eq!(
        kind,
        Ok(DocKind::Docx),
        "a zip with word/document.xml is a DOCX"
    );
    let limits = fuzz_limits();
    let Some(result) = contained(|| extract_in_process(&zip, &limits)) else {
        return;
    };
    check_extraction(&zip, kind, &result);
}

/// A DOCX-shaped zip around `xml` as described at [`extract_docx`].
pub fn docx_zip(flags: u8, xml: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let method = if flags & 1 == 0 {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let opts = SimpleFileOptions::default().compression_method(method);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    if flags & 2 != 0 {
        w.start_file("[Content_Types].xml", opts).ok()?;
        w.write_all(b"<?xml version=\"1.0\"?><Types/>").ok()?;
    }
    w.start_file("word/document.xml", opts).ok()?;
    if flags & 4 != 0 {
        w.write_all(b"<w:document><w:body><w:p><w:r><w:t>").ok()?;
        w.write_all(xml).ok()?;
        w.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
            .ok()?;
    } else {
        w.write_all(xml).ok()?;
    }
    if flags & 8 != 0 {
        w.start_file("word/styles.xml", opts).ok()?;
        w.write_all(xml).ok()?;
    }
    Some(w.finish().ok()?.into_inner())
}

/// What every extraction result must satisfy, whatever the input.
pub fn check_extraction(
    data: &[u8],
    kind: Result<DocKind, ExtractError>,
    result: &Result<Extracted, ExtractError>,
) {
    match result {
        Ok(ex) => {
            assert_eq!(Ok(ex.kind), kind, "extracted kind differs from detect_kind");
            check_extracted(ex);
        }
        Err(e) => {
            // Every failure has a stable code and a message without document text (the codes
            // are a closed set; the message is checked not to echo the input).
            let _ = e.code();
            let msg = e.to_string();
            if let Ok(s) = std::str::from_utf8(data) {
                let s = s.trim();
                if s.len() >= 16 {
                    assert!(!msg.contains(s), "error message echoes the input");
                }
            }
        }
    }
}

/// The shape promised by [`Extracted`]: NFKC-normalised text with LF line ends, no other
/// control characters than tab, no trailing blanks on a line, not blank; page starts from 0,
/// ascending, on char boundaries; and it survives the JSON trip from the child unchanged.
pub fn check_extracted(ex: &Extracted) {
    let text = &ex.text;
    assert!(!text.trim().is_empty(), "extracted text is blank");
    assert!(
        text.chars()
            .all(|c| c == '\n' || c == '\t' || !c.is_control()),
        "control character in extracted text"
    );
    assert!(
        !text.split('\n').any(|l| l.ends_with(char::is_whitespace)),
        "trailing blank on a line"
    );
    assert_eq!(
        ex.page_starts.first(),
        Some(&0),
        "first page must start at 0"
    );
    for w in ex.page_starts.windows(2) {
        assert!(
            w[0] <= w[1],
            "page starts not ascending: {:?}",
            ex.page_starts
        );
    }
    for &s in &ex.page_starts {
        assert!(
            s <= text.len() && text.is_char_boundary(s),
            "page start {s} off a char boundary"
        );
    }
    // The child sends `Extracted` as JSON; the parent must read back the same value.
    let back = serde_json::to_vec(ex).and_then(|v| serde_json::from_slice::<Extracted>(&v));
    assert_eq!(
        back.ok().as_ref(),
        Some(ex),
        "Extracted does not survive the JSON trip"
    );
}

// ---------------------------------------------------------------------------------------------
// age intake

const FIXTURE_AGE: &[u8] = include_bytes!("age-fixture/fixture.age");
const FIXTURE_PLAIN: &[u8] = include_bytes!("age-fixture/fixture.txt");
const FIXTURE_IDENTITY: &str = include_str!("age-fixture/test-identity.txt");
const ARMOR_BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";
const ARMOR_END: &str = "-----END AGE ENCRYPTED FILE-----";

fn identity() -> &'static Identity {
    static ID: OnceLock<Identity> = OnceLock::new();
    ID.get_or_init(|| {
        let line = FIXTURE_IDENTITY
            .lines()
            .find(|l| l.starts_with("AGE-SECRET-KEY-"))
            .unwrap_or_default();
        Identity::from_str(line).unwrap_or_else(|e| panic!("fixture identity: {e}"))
    })
}

/// Target `age_open`: the intake path up to the extraction child. Byte 0 picks the shape of
/// the ciphertext, byte 1 the plaintext limit, the rest is fuzzed:
/// 0 raw bytes; 1 raw bytes between armor lines; 2 the bytes base64-armored (so the binary
/// parser runs behind the armor reader); 3 the fixture's valid header with a fuzzed payload;
/// 4 the valid fixture with fuzzed edits (pairs of offset and xor byte, a final odd byte
/// truncates). Then, as `intake::open_doc` does, `crypto::open` with the workspace identity
/// and the size limit, and type detection of what it returns.
pub fn age_open(data: &[u8]) {
    let (mode, limit_sel, rest) = match data {
        [m, l, rest @ ..] => (*m, *l, rest),
        _ => return,
    };
    let max_plaintext: u64 = match limit_sel % 5 {
        0 => 0,
        1 => 16,
        2 => FIXTURE_PLAIN.len() as u64,
        3 => 50 * 1024 * 1024,
        _ => u64::MAX,
    };
    let (ciphertext, edited) = match mode % 5 {
        0 => (rest.to_vec(), None),
        1 => {
            let mut c = format!("{ARMOR_BEGIN}\n").into_bytes();
            c.extend_from_slice(rest);
            c.extend_from_slice(format!("\n{ARMOR_END}\n").as_bytes());
            (c, None)
        }
        2 => (armor(rest).into_bytes(), None),
        3 => {
            let header_end = find(FIXTURE_AGE, b"\n---").and_then(|i| {
                let after = FIXTURE_AGE.get(i + 1..)?;
                Some(i + 1 + after.iter().position(|&b| b == b'\n')? + 1)
            });
            let Some(end) = header_end else {
                panic!("fixture has no header end")
            };
            let mut c = FIXTURE_AGE[..end].to_vec();
            c.extend_from_slice(rest);
            (c, None)
        }
        _ => {
            let mut c = FIXTURE_AGE.to_vec();
            let mut pairs = rest.chunks_exact(2);
            for p in pairs.by_ref() {
                let at = usize::from(p[0]) * c.len() / 256;
                if let Some(b) = c.get_mut(at) {
                    *b ^= p[1];
                }
            }
            if let [cut] = pairs.remainder() {
                c.truncate(usize::from(*cut) * c.len() / 256);
            }
            let changed = c != FIXTURE_AGE;
            (c, Some(changed))
        }
    };
    let opened = crypto::open(identity(), &ciphertext, max_plaintext);
    match &opened {
        Ok(plain) => {
            assert!(
                plain.len() as u64 <= max_plaintext,
                "plaintext over the limit"
            );
            assert!(
                plain.len() <= ciphertext.len(),
                "plaintext longer than ciphertext"
            );
            assert!(
                crypto::looks_like_age(&ciphertext),
                "opened a file that is not age"
            );
            // Intake hands the plaintext to the child; detection is parser-free and runs here.
            let _ = detect_kind(plain);
        }
        Err(e) => {
            let _ = e.code();
            if !crypto::looks_like_age(&ciphertext) {
                assert_eq!(e, &OpenError::NotAge);
            }
        }
    }
    match edited {
        // The untouched fixture opens to its plaintext whenever the limit allows it.
        Some(false) if max_plaintext >= FIXTURE_PLAIN.len() as u64 => {
            assert_eq!(opened.as_deref().map(Vec::as_slice), Ok(FIXTURE_PLAIN));
        }
        Some(false) => assert!(matches!(opened, Err(OpenError::TooLarge { .. }))),
        // age authenticates header and payload: an edited file never opens.
        Some(true) => assert!(opened.is_err(), "an edited age file was opened"),
        None => {}
    }
}

fn armor(bytes: &[u8]) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                b64.push('=');
            }
        }
    }
    let mut out = format!("{ARMOR_BEGIN}\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(ARMOR_END);
    out.push('\n');
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// Pseudonymisation

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::load_default().unwrap_or_else(|e| panic!("rules: {e}")))
}

const KEY: PseudoKey = PseudoKey([7; 32]);
/// Never part of UTF-8, so every UTF-8 text can appear inside one document.
const DOC_SEPARATOR: u8 = 0xFF;
const MAX_DOCS: usize = 6;

/// Splits the input into at most [`MAX_DOCS`] documents on 0xFF; each part is read as UTF-8
/// with invalid sequences replaced (U+FFFD).
pub fn documents(data: &[u8]) -> Vec<Document> {
    data.split(|&b| b == DOC_SEPARATOR)
        .take(MAX_DOCS)
        .enumerate()
        .map(|(i, part)| Document {
            name: format!("doc{i}.txt"),
            text: String::from_utf8_lossy(part).into_owned(),
        })
        .collect()
}

/// Target `deidentify`: arbitrary text in several documents of one case. No panic; per
/// document the spans are sorted, non-empty, non-overlapping, within the text and on char
/// boundaries; the output text is exactly the input with each span replaced by its
/// replacement; the same case run again gives the same output; and the case in reverse order
/// gives the same output per document (the output depends on the documents and the key only).
pub fn deidentify(data: &[u8]) {
    let docs = documents(data);
    let out = deidentify_checked(&docs);
    let again = deidentify_checked(&docs);
    for (a, b) in out.iter().zip(&again) {
        assert_eq!(
            a.text, b.text,
            "the same case gives another output the second time"
        );
    }
    if docs.len() > 1 {
        let mut reversed = docs.clone();
        reversed.reverse();
        let back = deidentify_checked(&reversed);
        for d in &out {
            let same = back.iter().find(|b| b.document == d.document);
            let same = same.unwrap_or_else(|| panic!("document {} lost", d.document));
            assert_eq!(
                same.text, d.text,
                "output depends on document order: {out:?} {back:?}"
            );
            assert_eq!(same.spans, d.spans, "spans depend on document order");
        }
    }
}

/// Runs the engine on a case and checks the span and rewrite contract of every document.
pub fn deidentify_checked(docs: &[Document]) -> Vec<Deidentified> {
    let out = engine()
        .deidentify_case_in(&KEY, "Kfuzz", docs)
        .unwrap_or_else(|e| panic!("deidentify failed: {e}"));
    assert_eq!(out.docs.len(), docs.len(), "one output per document");
    for (d, o) in docs.iter().zip(&out.docs) {
        assert_eq!(d.name, o.document, "outputs in input order");
        check_spans(&d.text, &o.spans);
        assert_eq!(
            rewrite(&d.text, &o.spans),
            o.text,
            "output is not the input with its spans replaced"
        );
    }
    out.docs
}

fn check_spans(text: &str, spans: &[Span]) {
    let mut last_end = 0;
    for s in spans {
        assert!(
            s.start < s.end,
            "empty or reversed span {}..{}",
            s.start,
            s.end
        );
        assert!(
            s.end <= text.len(),
            "span {}..{} past the text ({})",
            s.start,
            s.end,
            text.len()
        );
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "span {}..{} off a char boundary",
            s.start,
            s.end
        );
        assert!(
            s.start >= last_end,
            "spans overlap or are unsorted at {}",
            s.start
        );
        last_end = s.end;
    }
}

fn rewrite(text: &str, spans: &[Span]) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for s in spans {
        out.push_str(&text[pos..s.start]);
        out.push_str(&s.replacement);
        pos = s.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Strong contexts before a full name: a client label at a line start, or a form of address.
const CONTEXTS: [&str; 4] = ["Cliënt: ", "Naam cliënt: ", "mevrouw ", "de heer "];

struct NameLists {
    first: Vec<&'static str>,
    last: Vec<&'static str>,
}

/// Entries of a list file (no comments, no blank lines).
fn entries(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// First names and surnames from the engine's own lists that are unambiguously names: one
/// word of letters only starting with a capital, at least 3 letters, and not also an ordinary
/// word, a place, a never-redact domain term, a medication or an institution word.
fn name_lists() -> &'static NameLists {
    static LISTS: OnceLock<NameLists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let mut ambiguous: HashSet<String> = HashSet::new();
        for list in [
            include_str!("../../redaction-rules/lists/woorden.txt"),
            include_str!("../../redaction-rules/lists/naam-woorden.txt"),
            include_str!("../../redaction-rules/lists/plaatsen.txt"),
            include_str!("../../redaction-rules/lists/plaats-woorden.txt"),
            include_str!("../../redaction-rules/lists/domeintermen.txt"),
            include_str!("../../redaction-rules/lists/medicatie.txt"),
            include_str!("../../redaction-rules/lists/instelling-woorden.txt"),
            include_str!("../../redaction-rules/lists/instelling-kernwoorden.txt"),
            include_str!("../../redaction-rules/lists/tussenvoegsels.txt"),
            include_str!("../../redaction-rules/lists/straat-suffixen.txt"),
        ] {
            ambiguous.extend(entries(list).map(str::to_lowercase));
        }
        let plain = |w: &&str| {
            w.chars().count() >= 3
                && w.chars().all(char::is_alphabetic)
                && w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).all(char::is_lowercase)
                && !ambiguous.contains(&w.to_lowercase())
        };
        NameLists {
            first: entries(include_str!("../../redaction-rules/lists/voornamen.txt"))
                .filter(plain)
                .collect(),
            last: entries(include_str!("../../redaction-rules/lists/achternamen.txt"))
                .filter(plain)
                .collect(),
        }
    })
}

/// Target `deidentify_names`, the oracle "no identifier from a list is left": bytes 0..2 pick a
/// first name, 2..4 a surname (from [`name_lists`]), byte 4 a strong context ([`CONTEXTS`]),
/// byte 5 where in the first document it goes; the rest is a fuzzed case as in [`deidentify`].
/// The line `<context><First> <Surname>` is put into the first document as a line of its own
/// (a line break before and after it), at that fraction of its fuzzed text. The
/// assertion: every byte of `<First> <Surname>` at that place lies inside a replaced span (the
/// category may differ; the name must not survive in the output), on top of all checks of
/// [`deidentify_checked`].
pub fn deidentify_names(data: &[u8]) {
    let lists = name_lists();
    let (pick, rest) = match data {
        [a, b, c, d, e, f, rest @ ..] => ([*a, *b, *c, *d, *e, *f], rest),
        _ => return,
    };
    if lists.first.is_empty() || lists.last.is_empty() {
        panic!("no unambiguous names in the lists");
    }
    let first = lists.first
        [usize::from(u16::from_le_bytes([pick[0], pick[1]])) * lists.first.len() / 65536];
    let last =
        lists.last[usize::from(u16::from_le_bytes([pick[2], pick[3]])) * lists.last.len() / 65536];
    let context = CONTEXTS[usize::from(pick[4]) % CONTEXTS.len()];
    let mut docs = documents(rest);
    let Some(doc0) = docs.first_mut() else { return };
    let fuzzed = std::mem::take(&mut doc0.text);
    let mut at = usize::from(pick[5]) * fuzzed.len() / 255;
    while !fuzzed.is_char_boundary(at) {
        at -= 1;
    }
    let (before, after) = fuzzed.split_at(at);
    let mut text = before.to_string();
    text.push('\n');
    text.push_str(context);
    let start = text.len();
    text.push_str(first);
    text.push(' ');
    text.push_str(last);
    let end = text.len();
    text.push('\n');
    text.push_str(after);
    doc0.text = text;
    let out = deidentify_checked(&docs);
    let covered = covered_from(&out[0].spans, start);
    assert!(
        covered >= end,
        "the list name after {context:?} survives in the output (covered up to byte {covered} of {start}..{end})"
    );
}

/// How far from `start` the (sorted) spans cover the text without a gap: `start` itself when
/// no span covers the byte at `start`.
pub fn covered_from(spans: &[Span], start: usize) -> usize {
    let mut covered = start;
    for s in spans {
        if s.start <= covered && s.end > covered {
            covered = s.end;
        }
    }
    covered
}
