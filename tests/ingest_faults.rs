//! Bad input goes to quarantine/ with the right code and a reason file, never a panic; the
//! good files next to it are processed; no file name reaches the audit log or the reasons.

mod common;

use std::os::unix::ffi::OsStrExt;

use common::*;
use dossierkluis::crypto;
use rand::RngCore;

/// A syntactically valid one-page PDF without any text (a scan would look like this).
fn pdf_without_text() -> Vec<u8> {
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        "<< /Length 0 >>\nstream\n\nendstream",
    ];
    pdf_from_objects(&objs)
}

/// One quarantined file: its code, and the reason file's content.
fn reason_for(ws: &dossierkluis::workspace::Workspace, sha: &str) -> serde_json::Value {
    let p = ws.quarantine_dir().join(format!("{sha}.reason.json"));
    serde_json::from_str(
        &std::fs::read_to_string(&p).unwrap_or_else(|_| panic!("no reason for {sha}")),
    )
    .unwrap()
}

#[test]
fn each_fault_file_is_quarantined_with_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    let ws = set_setting(&ws, "max_bytes", "200000");
    let good = report("Femke Oldenhof", "Goede week.");
    let sealed_good = crypto::seal(&ws.recipient().unwrap(), good.as_bytes()).unwrap();
    let other = crypto::generate_identity().to_public();
    let mut random = vec![0u8; 4096];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let mut big = vec![0u8; 300_000];
    rand::rngs::OsRng.fill_bytes(&mut big);

    let mut expected: Vec<(Vec<u8>, &str)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>, code: &'static str| {
        put(&ws, "FOUT-1", name, &bytes);
        expected.push((bytes, code));
    };
    add("leeg.txt.age", Vec::new(), "empty");
    add(
        "afgekapt.txt.age",
        sealed_good[..sealed_good.len() - 40].to_vec(),
        "truncated",
    );
    add(
        "kopregel-kapot.age",
        sealed_good[..60].to_vec(),
        "truncated",
    );
    add(
        "ander-sleutel.txt.age",
        crypto::seal(&other, good.as_bytes()).unwrap(),
        "wrong_recipient",
    );
    add("gewoon-tekst.txt.age", good.clone().into_bytes(), "not_age");
    add("ruis.bin.age", random, "not_age");
    add("te-groot.age", big, "too_large");
    add(
        "scan.pdf.age",
        crypto::seal(&ws.recipient().unwrap(), &pdf_without_text()).unwrap(),
        "needs_ocr",
    );
    // A good file in the same case is processed regardless.
    put(&ws, "FOUT-1", "goed.txt.age", &sealed_good);

    let s = ingest(&ws);
    assert_eq!(s.processed, 1, "{s}");
    assert_eq!(s.quarantined, expected.len(), "{s}");
    assert!(files_under(&ws.drop_dir()).is_empty());
    for (bytes, code) in &expected {
        let sha = crypto::sha256_hex(bytes);
        let r = reason_for(&ws, &sha);
        assert_eq!(r["code"], *code, "file with expected code {code}");
        assert_eq!(r["ciphertext_sha256"], sha);
        assert!(!r["message"].as_str().unwrap().is_empty());
        // The original bytes are kept, unchanged, for inspection.
        assert_eq!(
            &std::fs::read(ws.quarantine_dir().join(format!("{sha}.age"))).unwrap(),
            bytes
        );
    }
    let log = std::fs::read_to_string(ws.audit_log_path()).unwrap();
    assert!(!log.contains("afgekapt") && !log.contains("FOUT-1"));
    for p in files_under(&ws.quarantine_dir()) {
        if p.extension().is_some_and(|e| e == "json") {
            let t = std::fs::read_to_string(&p).unwrap();
            assert!(
                !t.contains("FOUT") && !t.contains(".txt") && !t.contains("Oldenhof"),
                "{t}"
            );
        }
    }
    dossierkluis::audit::verify(&ws.audit_log_path()).unwrap();
    // Idempotent: a second run has nothing to do.
    let before = snapshot(ws.root(), &["audit"]);
    let s = ingest(&ws);
    assert_eq!((s.processed, s.quarantined), (0, 0));
    assert_eq!(before, snapshot(ws.root(), &["audit"]));
}

#[test]
fn a_symlink_is_quarantined_itself_and_its_target_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    // Target: a valid sealed file outside drop/, and a secret file the link might try to read.
    let target = dir.path().join("elders.txt.age");
    let ct = crypto::seal(
        &ws.recipient().unwrap(),
        report("Tess Wolters", "").as_bytes(),
    )
    .unwrap();
    std::fs::write(&target, &ct).unwrap();
    std::fs::create_dir_all(ws.drop_dir().join("L-1")).unwrap();
    std::os::unix::fs::symlink(&target, ws.drop_dir().join("L-1/link.txt.age")).unwrap();
    // A symlinked case folder is not followed either.
    let outside = dir.path().join("buiten");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("x.txt.age"), &ct).unwrap();
    std::os::unix::fs::symlink(&outside, ws.drop_dir().join("L-2")).unwrap();

    let s = ingest(&ws);
    assert_eq!((s.processed, s.quarantined), (0, 2), "{s}");
    let codes = quarantine_codes(&ws);
    assert!(codes.iter().all(|(_, c)| c == "symlink"), "{codes:?}");
    assert_eq!(
        std::fs::read(&target).unwrap(),
        ct,
        "the target was changed"
    );
    assert!(
        outside.join("x.txt.age").exists(),
        "the link's folder was entered"
    );
    for p in files_under(&ws.quarantine_dir()) {
        if p.extension().is_some_and(|e| e == "age") {
            assert!(std::fs::symlink_metadata(&p)
                .unwrap()
                .file_type()
                .is_symlink());
        }
    }
    assert!(files_under(&ws.store_dir()).is_empty() && files_under(&ws.archive_dir()).is_empty());
}

#[test]
fn odd_names_are_quarantined_and_never_escape_or_reach_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    let r = ws.recipient().unwrap();
    let names: Vec<std::ffi::OsString> = vec![
        "..\\..\\etc\\passwd.age".into(),
        "brief\u{202e}fdp.txt.age".into(),
        "regel\neinde.age".into(),
        "nul\u{200b}breedte.age".into(),
        ".verborgen.age".into(),
        "a..b.age".into(),
        std::ffi::OsStr::from_bytes(b"geen-utf8-\xff\xfe.age").to_owned(),
    ];
    let mut shas = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let ct =
            crypto::seal(&r, format!("{}{i}", report("Noa Haverkamp", "")).as_bytes()).unwrap();
        let d = ws.drop_dir().join("N-1");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(n), &ct).unwrap();
        shas.push(crypto::sha256_hex(&ct));
    }
    // An odd case folder name quarantines its files too.
    let odd_case = ws.drop_dir().join("zaak\u{202e}1");
    std::fs::create_dir_all(&odd_case).unwrap();
    let ct = crypto::seal(&r, b"tekst").unwrap();
    std::fs::write(odd_case.join("gewoon.age"), &ct).unwrap();
    shas.push(crypto::sha256_hex(&ct));

    let s = ingest(&ws);
    assert_eq!((s.processed, s.quarantined), (0, shas.len()), "{s}");
    for sha in &shas {
        assert_eq!(reason_for(&ws, sha)["code"], "bad_name");
    }
    // Every output path is made by the program (hashes), none by the provider.
    for p in files_under(ws.root()) {
        let name = p.file_name().unwrap().as_bytes();
        assert!(name.is_ascii(), "{}", p.display());
        assert!(p.starts_with(ws.root()));
    }
    let log = std::fs::read(ws.audit_log_path()).unwrap();
    let log = String::from_utf8(log).unwrap();
    assert!(!log.contains("passwd") && !log.contains("verborgen") && !log.contains("zaak"));
}

#[test]
fn a_file_without_a_case_folder_is_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    let ct = crypto::seal(
        &ws.recipient().unwrap(),
        report("Jet Koopmans", "").as_bytes(),
    )
    .unwrap();
    std::fs::write(ws.drop_dir().join("los.txt.age"), &ct).unwrap();
    let s = ingest(&ws);
    assert_eq!(s.quarantined, 1);
    assert_eq!(
        reason_for(&ws, &crypto::sha256_hex(&ct))["code"],
        "no_case_folder"
    );
}

#[test]
fn a_fifo_is_quarantined_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    std::fs::create_dir_all(ws.drop_dir().join("P-1")).unwrap();
    let fifo = ws.drop_dir().join("P-1/pijp.age");
    let c = std::ffi::CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let s = ingest(&ws);
    assert_eq!(s.quarantined, 1);
    assert_eq!(quarantine_codes(&ws)[0].1, "not_regular_file");
}
