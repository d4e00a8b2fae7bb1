//! The limits a user sets in dossierkluis.toml (README, "Limits"): each is validated when the
//! workspace is opened (a bad value is one clear error naming the setting and its range) and
//! honoured by ingest on a real sealed file: max_bytes, max_pages, wall_seconds, cpu_seconds,
//! memory_mb (the extraction child's address space and what it may inflate), and jobs.

mod common;

use std::ffi::OsStr;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use common::*;
use dossierkluis::intake::IngestOptions;
use dossierkluis::workspace::{Settings, Workspace};

/// A PDF with one line of text on each of `pages` pages.
fn pdf_with_pages(pages: usize) -> Vec<u8> {
    let mut objs: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        String::new(), // the page tree, below
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ];
    let mut kids = Vec::new();
    for i in 0..pages {
        let content = format!(
            "BT /F1 12 Tf 72 720 Td (Dagrapportage blad {}: een rustige dag.) Tj ET",
            i + 1
        );
        objs.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
        let content_id = objs.len();
        objs.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_id} 0 R \
             /Resources << /Font << /F1 3 0 R >> >> >>"
        ));
        kids.push(format!("{} 0 R", objs.len()));
    }
    objs[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {pages} >>",
        kids.join(" ")
    );
    pdf_from_objects(&objs)
}

/// A DOCX whose document.xml inflates to 64 MiB (about 64 KiB compressed).
fn docx_inflating_to_64_mib() -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut xml = b"<w:document><w:body><w:p><w:r><w:t>Rustige dag.</w:t></w:r></w:p>".to_vec();
    xml.resize(64 * 1024 * 1024, b' ');
    xml.extend_from_slice(b"</w:body></w:document>");
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(&xml).unwrap();
    w.finish().unwrap().into_inner()
}

/// A stand-in extraction child (a shell script; no document content involved).
fn script(dir: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("child.sh");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
    path
}

fn ingest_with(ws: &Workspace, exe: &Path) -> dossierkluis::intake::IngestSummary {
    dossierkluis::intake::ingest(
        ws,
        &IngestOptions {
            extractor_exe: Some(exe.to_path_buf()),
            ..opts()
        },
    )
    .unwrap()
}

fn only_code(ws: &Workspace) -> String {
    let codes = quarantine_codes(ws);
    assert_eq!(codes.len(), 1, "{codes:?}");
    codes[0].1.clone()
}

#[test]
fn out_of_range_settings_are_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    let good = std::fs::read_to_string(ws.root().join("dossierkluis.toml")).unwrap();
    for (key, value, name) in [
        ("max_bytes", "0", "limits.max_bytes"),
        ("max_bytes", "100000000000", "limits.max_bytes"),
        ("max_pages", "0", "limits.max_pages"),
        ("wall_seconds", "0", "limits.wall_seconds"),
        ("cpu_seconds", "0", "limits.cpu_seconds"),
        ("memory_mb", "16", "limits.memory_mb"),
        ("jobs", "1000", "ingest.jobs"),
    ] {
        std::fs::write(ws.root().join("dossierkluis.toml"), &good).unwrap();
        let text = good.replace(
            &good
                .lines()
                .find(|l| l.starts_with(&format!("{key} =")))
                .unwrap()
                .to_string(),
            &format!("{key} = {value}"),
        );
        std::fs::write(ws.root().join("dossierkluis.toml"), text).unwrap();
        let err = Workspace::open(ws.root()).unwrap_err().to_string();
        assert!(
            err.contains(&format!("{name} = {value} is out of range (allowed: ")),
            "{err}"
        );
        let (code, _, stderr) = run_bin(&[OsStr::new("ingest"), ws.root().as_os_str()]);
        assert_eq!(code, 1);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(name), "{stderr}");
    }
    // A value of the wrong type, and a misspelt setting.
    for bad in ["max_pages = \"veel\"", "max_page = 10"] {
        let text = good.replace("[limits]\n", &format!("[limits]\n{bad}\n"));
        std::fs::write(ws.root().join("dossierkluis.toml"), text).unwrap();
        let err = Workspace::open(ws.root()).unwrap_err().to_string();
        assert!(err.contains("invalid settings"), "{err}");
    }
    // The defaults are valid, and what init writes are the defaults.
    Settings::default().validate().unwrap();
    std::fs::write(ws.root().join("dossierkluis.toml"), &good).unwrap();
    let opened = Workspace::open(ws.root()).unwrap();
    assert_eq!(
        format!("{:?}", opened.settings.limits),
        format!("{:?}", Settings::default().limits)
    );
    assert!(opened.settings.jobs() >= 1);
}

#[test]
fn max_bytes_quarantines_a_larger_file() {
    let dir = tempfile::tempdir().unwrap();
    let ws = set_setting(&new_ws(dir.path()), "max_bytes", "20000");
    let big = report("Wout Lammers", &"Een rustige dag. ".repeat(2000));
    seal_into(&ws, "L-1", "groot.txt.age", big.as_bytes());
    seal_into(
        &ws,
        "L-1",
        "klein.txt.age",
        report("Wout Lammers", "").as_bytes(),
    );
    let s = ingest(&ws);
    assert_eq!((s.processed, s.quarantined), (1, 1), "{s}");
    assert_eq!(only_code(&ws), "too_large");
}

#[test]
fn max_pages_quarantines_a_longer_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let ws = set_setting(&new_ws(dir.path()), "max_pages", "2");
    seal_into(&ws, "L-2", "drie.pdf.age", &pdf_with_pages(3));
    seal_into(&ws, "L-2", "twee.pdf.age", &pdf_with_pages(2));
    let s = ingest(&ws);
    assert_eq!((s.processed, s.quarantined), (1, 1), "{s}");
    assert_eq!(only_code(&ws), "too_many_pages");
    // Under the default the same three pages are accepted.
    let dir2 = tempfile::tempdir().unwrap();
    let ws2 = new_ws(dir2.path());
    seal_into(&ws2, "L-2", "drie.pdf.age", &pdf_with_pages(3));
    let s = ingest(&ws2);
    assert_eq!((s.processed, s.quarantined), (1, 0), "{s}");
    assert_eq!(s.timings.pages, 3);
}

#[test]
fn wall_seconds_stops_an_extraction_that_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let ws = set_setting(&new_ws(dir.path()), "wall_seconds", "1");
    seal_into(
        &ws,
        "L-3",
        "traag.txt.age",
        report("Wout Lammers", "").as_bytes(),
    );
    let s = ingest_with(&ws, &script(dir.path(), "exec sleep 30"));
    assert_eq!((s.processed, s.quarantined), (0, 1), "{s}");
    assert_eq!(only_code(&ws), "extract_timeout");
}

#[test]
fn cpu_seconds_stops_an_extraction_that_spins() {
    let dir = tempfile::tempdir().unwrap();
    let ws = set_setting(&new_ws(dir.path()), "cpu_seconds", "1");
    let ws = set_setting(&ws, "wall_seconds", "60");
    seal_into(
        &ws,
        "L-4",
        "rekent.txt.age",
        report("Wout Lammers", "").as_bytes(),
    );
    let s = ingest_with(&ws, &script(dir.path(), "while :; do :; done"));
    assert_eq!((s.processed, s.quarantined), (0, 1), "{s}");
    assert_eq!(only_code(&ws), "resource_limit");
}

#[test]
fn memory_mb_limits_the_extraction_child() {
    // The child gets memory_mb as its address-space limit (reported by a stand-in child)...
    let dir = tempfile::tempdir().unwrap();
    let ws = set_setting(&new_ws(dir.path()), "memory_mb", "200");
    seal_into(
        &ws,
        "L-5",
        "a.txt.age",
        report("Wout Lammers", "").as_bytes(),
    );
    let seen = dir.path().join("ulimit.txt");
    let body = format!("head -c 1 > /dev/null; ulimit -v > {}", seen.display());
    let s = ingest_with(&ws, &script(dir.path(), &body));
    assert_eq!(s.quarantined, 1, "{s}");
    assert_eq!(
        std::fs::read_to_string(&seen).unwrap().trim(),
        (200 * 1024).to_string()
    );
    // ...and, with the real child, what a document may inflate to follows from it: a DOCX of
    // 64 MiB of XML is refused at 128 MiB and accepted under the default.
    let dir = tempfile::tempdir().unwrap();
    let ws = set_setting(&new_ws(dir.path()), "memory_mb", "128");
    let docx = docx_inflating_to_64_mib();
    seal_into(&ws, "L-5", "bom.docx.age", &docx);
    let s = ingest(&ws);
    assert_eq!((s.processed, s.quarantined), (0, 1), "{s}");
    assert_eq!(only_code(&ws), "resource_limit");
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    seal_into(&ws, "L-5", "bom.docx.age", &docx);
    let s = ingest(&ws);
    assert_eq!((s.processed, s.quarantined), (1, 0), "{s}");
}

#[test]
fn jobs_sets_the_worker_count() {
    let dir = tempfile::tempdir().unwrap();
    let ws = set_setting(&new_ws(dir.path()), "jobs", "3");
    assert_eq!(ws.settings.jobs(), 3);
    for i in 0..4 {
        seal_into(
            &ws,
            &format!("J-{i}"),
            "a.txt.age",
            report("Wout Lammers", "").as_bytes(),
        );
    }
    let s = ingest(&ws);
    assert_eq!((s.processed, s.timings.jobs), (4, 3), "{s}");
    // --jobs on the command line overrides the setting; out of range is refused.
    let (code, _, stderr) = run_bin(&[
        OsStr::new("ingest"),
        ws.root().as_os_str(),
        OsStr::new("--jobs"),
        OsStr::new("0"),
    ]);
    assert_eq!(code, 2, "{stderr}");
}
