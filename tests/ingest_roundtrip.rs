//! Seal and ingest round trips: the seal command, files made with the `age` tool (binary and
//! armored), case-level pseudonymisation, idempotence, determinism, settle time and the lock.

mod common;

use std::process::Command;

use common::*;
use dossierkluis::crypto;

#[test]
fn cli_seal_then_ingest_stores_only_pseudonymised_text() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    let src = dir.path().join("Verslag Gerritsma.txt");
    std::fs::write(
        &src,
        report("Wietske Gerritsma", "Haar zus kwam op bezoek."),
    )
    .unwrap();
    let recipient = ws.recipient().unwrap().to_string();
    let (code, out, err) = run_bin(&[
        "seal".as_ref(),
        "--recipient".as_ref(),
        recipient.as_ref(),
        "--case".as_ref(),
        "CASE-Gerritsma-77".as_ref(),
        "--out".as_ref(),
        ws.drop_dir().as_os_str(),
        src.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("sealed 1 file"), "{out}");
    let sealed = ws
        .drop_dir()
        .join("CASE-Gerritsma-77/Verslag Gerritsma.txt.age");
    let ct = std::fs::read(&sealed).unwrap();
    assert!(ct.starts_with(b"age-encryption.org/v1"));

    let (code, out, err) = run_bin(&["ingest".as_ref(), ws.root().as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("processed 1, quarantined 0, skipped 0"),
        "{out}"
    );

    // Drop is empty, the ciphertext is archived under its hash in the case's folder.
    assert!(files_under(&ws.drop_dir()).is_empty());
    let sha = crypto::sha256_hex(&ct);
    let archived = files_under(&ws.archive_dir());
    assert_eq!(archived.len(), 1);
    assert!(archived[0].ends_with(format!("{sha}.age")));
    assert_eq!(std::fs::read(&archived[0]).unwrap(), ct);
    let case_dir = archived[0]
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        case_dir.starts_with('K') && case_dir.len() == 13,
        "{case_dir}"
    );

    // The stored text is pseudonymised; its metadata holds no original.
    let text = stored_text(&ws);
    assert!(text.contains("[CLIENT]"), "{text}");
    assert!(
        !text.contains("Gerritsma") && !text.contains("Wietske"),
        "{text}"
    );
    assert!(text.contains("wisseling van begeleiders"));
    for p in files_under(&ws.store_dir()) {
        let bytes = std::fs::read_to_string(&p).unwrap();
        assert!(!bytes.contains("Gerritsma"), "{} leaks", p.display());
    }
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(ws.store_dir().join(&case_dir).join("manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["documents"][&sha], sha[..16]);
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            ws.store_dir()
                .join(&case_dir)
                .join(format!("docs/{}.json", &sha[..16])),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(meta["ciphertext_sha256"], sha);
    assert!(meta["spans"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["replacement"] == "[CLIENT]"));

    // Nothing identifying anywhere outside vault/ and archive/ (both encrypted) or keys/.
    for p in files_under(ws.root()) {
        let rel = p.strip_prefix(ws.root()).unwrap();
        if rel.starts_with("vault") || rel.starts_with("archive") || rel.starts_with("keys") {
            continue;
        }
        let bytes = std::fs::read(&p).unwrap();
        let s = String::from_utf8_lossy(&bytes);
        assert!(!s.contains("Gerritsma"), "{} holds a name", rel.display());
    }

    // The officer (only) can open the entity table and the case reference.
    let officer = officer_identity(&ws);
    let ent = std::fs::read(
        ws.vault_dir()
            .join(format!("cases/{case_dir}.entities.age")),
    )
    .unwrap();
    let table = crypto::open(&officer, &ent, 1 << 20).unwrap();
    assert!(String::from_utf8_lossy(&table).contains("Gerritsma"));
    let workspace_id = ws.identity().unwrap();
    assert_eq!(
        crypto::open(&workspace_id, &ent, 1 << 20)
            .unwrap_err()
            .code(),
        "wrong_recipient"
    );
    let r = std::fs::read(ws.vault_dir().join(format!("cases/{case_dir}.ref.age"))).unwrap();
    assert_eq!(
        &crypto::open(&officer, &r, 1024).unwrap()[..],
        b"CASE-Gerritsma-77"
    );
}

#[test]
fn seal_rejects_traversal_in_case_and_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    let src = dir.path().join("a.txt");
    std::fs::write(&src, "x").unwrap();
    let r = ws.recipient().unwrap();
    for bad in [
        "../evil",
        "a/b",
        "..",
        ".hidden",
        "x\u{202e}y",
        "line\nbreak",
        "",
    ] {
        assert!(
            dossierkluis::intake::seal_files(&r, bad, &ws.drop_dir(), std::slice::from_ref(&src))
                .is_err(),
            "accepted case ref {bad:?}"
        );
    }
    let odd = dir.path().join("..odd.txt");
    std::fs::write(&odd, "x").unwrap();
    assert!(dossierkluis::intake::seal_files(&r, "REF", &ws.drop_dir(), &[odd]).is_err());
    assert!(files_under(&ws.drop_dir()).is_empty());
}

#[test]
fn files_made_with_the_age_tool_binary_and_armored_are_accepted() {
    if Command::new("age").arg("--version").output().is_err() {
        eprintln!("SKIP: the age command is not installed (apt-get install age)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    let recipient = ws.recipient().unwrap().to_string();
    std::fs::create_dir_all(ws.drop_dir().join("REF-1")).unwrap();
    let plain = dir.path().join("brief.txt");
    std::fs::write(&plain, report("Hidde Zwanenburg", "Hij belde zijn vader.")).unwrap();
    let plain2 = dir.path().join("notitie.txt");
    std::fs::write(&plain2, report("Hidde Zwanenburg", "Rustige avond.")).unwrap();
    for (args, src, out) in [
        (vec!["-r", &recipient], &plain, "brief.txt.age"),
        (vec!["-a", "-r", &recipient], &plain2, "notitie.txt.age"),
    ] {
        let st = Command::new("age")
            .args(args)
            .arg("-o")
            .arg(ws.drop_dir().join("REF-1").join(out))
            .arg(src)
            .status()
            .unwrap();
        assert!(st.success());
    }
    let armored = std::fs::read(ws.drop_dir().join("REF-1/notitie.txt.age")).unwrap();
    assert!(armored.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
    let s = ingest(&ws);
    assert_eq!((s.processed, s.quarantined), (2, 0), "{s}");
    let text = stored_text(&ws);
    assert!(!text.contains("Zwanenburg"));
    assert_eq!(text.matches("[CLIENT]").count(), 4, "{text}");
}

#[test]
fn ingest_twice_gives_the_same_workspace_and_duplicates_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    seal_into(
        &ws,
        "A-1",
        "een.txt.age",
        report("Lotte Brinkhuis", "").as_bytes(),
    );
    seal_into(
        &ws,
        "A-1",
        "twee.txt.age",
        report("Lotte Brinkhuis", "Ze sliep slecht.").as_bytes(),
    );
    let dup = seal_into(
        &ws,
        "B-2",
        "drie.txt.age",
        report("Koen Dijkhof", "").as_bytes(),
    );
    let dup_bytes = std::fs::read(&dup).unwrap();
    let s = ingest(&ws);
    assert_eq!(s.processed, 3, "{s}");
    let first = snapshot(ws.root(), &["audit"]);
    let audit_len = std::fs::read(ws.audit_log_path()).unwrap().len();

    let s = ingest(&ws);
    assert_eq!((s.processed, s.quarantined, s.duplicates), (0, 0, 0), "{s}");
    assert_eq!(first, snapshot(ws.root(), &["audit"]));

    // The same ciphertext delivered again (any name) is a duplicate: removed, nothing changes.
    put(&ws, "B-2", "drie-opnieuw.txt.age", &dup_bytes);
    let s = ingest(&ws);
    assert_eq!((s.processed, s.duplicates), (0, 1), "{s}");
    assert_eq!(first, snapshot(ws.root(), &["audit"]));
    assert!(std::fs::read(ws.audit_log_path()).unwrap().len() > audit_len);
    dossierkluis::audit::verify(&ws.audit_log_path()).unwrap();
}

#[test]
fn a_case_is_pseudonymised_as_a_whole_and_order_of_arrival_does_not_matter() {
    let doc1 = report("Anouk Verschuur", "Zij sprak met haar mentor.");
    let doc2 = "Notitie avonddienst\n\nAnouk Verschuur belde met haar broer. Verschuur was daarna rustig.\n";
    // Workspace 1: both documents in one run. Workspace 2: the second arrives later.
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("id.txt");
    let id = crypto::generate_identity();
    crypto::write_private_file(&key_file, crypto::identity_file_text(&id).as_bytes()).unwrap();
    let officer = crypto::generate_identity().to_public().to_string();
    let mk = |name: &str| {
        let root = dir.path().join(name);
        dossierkluis::workspace::init(
            &root,
            &dossierkluis::workspace::InitOptions {
                identity: Some(key_file.clone()),
                officer_recipient: Some(officer.clone()),
                settle_seconds: Some(0),
            },
        )
        .unwrap();
        dossierkluis::workspace::Workspace::open(&root).unwrap()
    };
    let ws1 = mk("one");
    let ws2 = mk("two");
    // Same pseudonymisation key in both, so outputs are comparable.
    std::fs::copy(
        ws1.vault_dir().join("pseudo-key.age"),
        ws2.vault_dir().join("pseudo-key.age"),
    )
    .unwrap();
    let c1 = crypto::seal(&id.to_public(), doc1.as_bytes()).unwrap();
    let c2 = crypto::seal(&id.to_public(), doc2.as_bytes()).unwrap();
    put(&ws1, "REF-9", "a.age", &c1);
    put(&ws1, "REF-9", "b.age", &c2);
    assert_eq!(ingest(&ws1).processed, 2);
    put(&ws2, "REF-9", "b.age", &c2);
    assert_eq!(ingest(&ws2).processed, 1);
    put(&ws2, "REF-9", "a.age", &c1);
    assert_eq!(ingest(&ws2).processed, 1);

    let s1 = snapshot(&ws1.store_dir(), &[]);
    let s2 = snapshot(&ws2.store_dir(), &[]);
    assert_eq!(s1, s2, "store/ depends on the order of arrival");
    let text = stored_text(&ws2);
    assert!(
        !text.contains("Verschuur") && !text.contains("Anouk"),
        "{text}"
    );
    assert_eq!(
        snapshot(&ws1.archive_dir(), &[]),
        snapshot(&ws2.archive_dir(), &[])
    );
}

#[test]
fn files_still_being_written_are_left_for_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    let ws = set_setting(&ws, "settle_seconds", "3600");
    let p = seal_into(
        &ws,
        "R",
        "nieuw.txt.age",
        report("Sem Oosterhof", "").as_bytes(),
    );
    let s = ingest(&ws);
    assert_eq!((s.processed, s.skipped, s.unsettled), (0, 1, 1), "{s}");
    // The user is told why, and what to do.
    let said = s.to_string();
    assert!(
        said.contains("1 file(s) in drop/ changed less than 3600 s ago")
            && said.contains("left for the next run"),
        "{said}"
    );
    assert!(p.exists());
    // Once it is old enough, it is taken.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&p)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let s = ingest(&ws);
    assert_eq!((s.processed, s.skipped, s.unsettled), (1, 0, 0), "{s}");
    assert!(!s.to_string().contains("changed less than"), "{s}");
}

#[test]
fn a_second_ingest_is_refused_while_one_holds_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    let p = seal_into(
        &ws,
        "R",
        "x.txt.age",
        report("Ilse Mulderij", "").as_bytes(),
    );
    let lock = ws.lock_ingest().unwrap();
    let (code, _out, err) = run_bin(&["ingest".as_ref(), ws.root().as_os_str()]);
    assert_eq!(code, 1);
    assert!(err.contains("another ingest is running"), "{err}");
    assert!(p.exists(), "a refused ingest touched drop/");
    drop(lock);
    let (code, out, err) = run_bin(&["ingest".as_ref(), ws.root().as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("processed 1"), "{out}");
}

#[test]
fn the_audit_log_records_the_flow_without_names() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    seal_into(
        &ws,
        "Dossier-Vermeulen",
        "brief-aan-Vermeulen.txt.age",
        report("Bram Vermeulen", "").as_bytes(),
    );
    ingest(&ws);
    let log = std::fs::read_to_string(ws.audit_log_path()).unwrap();
    assert!(
        !log.contains("Vermeulen") && !log.contains("brief-aan"),
        "{log}"
    );
    let kinds: Vec<String> = dossierkluis::audit::read_events(&ws.audit_log_path())
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    for k in [
        "init",
        "received",
        "decrypted",
        "extracted",
        "stored",
        "archived",
    ] {
        assert!(kinds.iter().any(|x| x == k), "no {k} event in {kinds:?}");
    }
    for e in dossierkluis::audit::read_events(&ws.audit_log_path()).unwrap() {
        assert_eq!(e["rules_hash"], dossierkluis::rules::rule_set_hash());
        assert!(e["time"].as_str().unwrap().ends_with('Z'));
    }
}
