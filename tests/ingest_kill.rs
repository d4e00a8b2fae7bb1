//! Crash safety: an ingest killed (SIGKILL) at random moments, several times, followed by a
//! normal ingest, loses no file, duplicates no document, leaves no temporary file that a later
//! run would trust, and keeps a valid audit chain.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use dossierkluis::crypto;
use rand::Rng;

const NAMES: [&str; 6] = [
    "Roos Terpstra",
    "Daan Wijnbergen",
    "Mila Overdijk",
    "Finn Harkema",
    "Evi Stoutjesdijk",
    "Luuk Bakkenes",
];

#[test]
fn killed_ingests_lose_nothing_and_duplicate_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    let r = ws.recipient().unwrap();
    let mut rng = rand::thread_rng();
    // sha -> expected outcome ("stored" or a quarantine code)
    let mut expected: BTreeMap<String, &str> = BTreeMap::new();
    let mut next = 0usize;
    let mut drop_batch = |ws: &dossierkluis::workspace::Workspace, n: usize| {
        for _ in 0..n {
            let i = next;
            next += 1;
            let case = format!("ZAAK-{}", i % 4);
            let name = NAMES[i % NAMES.len()];
            let (bytes, outcome) = if i % 9 == 4 {
                (b"geen age-bestand".to_vec(), "not_age")
            } else {
                let text = report(name, &format!("Dag {i}: de avond verliep rustig."));
                (crypto::seal(&r, text.as_bytes()).unwrap(), "stored")
            };
            put(ws, &case, &format!("doc-{i:03}.txt.age"), &bytes);
            expected.insert(crypto::sha256_hex(&bytes), outcome);
        }
    };

    drop_batch(&ws, 30);
    // Delays span the whole run (engine start-up included), so kills land in every phase.
    let rounds = 8;
    for round in 0..rounds {
        let mut child = Command::new(BIN)
            .arg("ingest")
            .arg(ws.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let delay = rng.gen_range(0..700);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        eprintln!(
            "round {round}: killed after {delay} ms; archived so far {}",
            files_under(&ws.archive_dir()).len()
        );
        // New arrivals between crashes.
        drop_batch(&ws, 2);
    }
    let s = ingest(&ws);
    eprintln!("final ingest: {s}");

    // Nothing left in drop/, no temporary files anywhere.
    assert!(
        files_under(&ws.drop_dir()).is_empty(),
        "files left in drop/"
    );
    for p in files_under(ws.root()) {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !dossierkluis::workspace::is_temp_name(&name),
            "temp file left: {}",
            p.display()
        );
    }

    // Every input accounted for exactly once.
    let mut stored: BTreeMap<String, String> = BTreeMap::new(); // sha -> case
    for case in std::fs::read_dir(ws.store_dir()).unwrap() {
        let case = case.unwrap().path();
        let cid = case.file_name().unwrap().to_string_lossy().into_owned();
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(case.join("manifest.json")).unwrap())
                .unwrap();
        let docs = m["documents"].as_object().unwrap();
        let mut on_disk: BTreeSet<String> = BTreeSet::new();
        for f in std::fs::read_dir(case.join("docs")).unwrap() {
            on_disk.insert(f.unwrap().file_name().to_string_lossy().into_owned());
        }
        let mut want = BTreeSet::new();
        for (sha, id) in docs {
            assert!(
                stored.insert(sha.clone(), cid.clone()).is_none(),
                "{sha} in two cases"
            );
            let id = id.as_str().unwrap();
            want.insert(format!("{id}.txt"));
            want.insert(format!("{id}.json"));
            assert!(
                ws.archive_dir()
                    .join(&cid)
                    .join(format!("{sha}.age"))
                    .is_file(),
                "{sha} not archived"
            );
        }
        assert_eq!(
            on_disk, want,
            "store docs of {cid} do not match its manifest"
        );
    }
    let archived: Vec<_> = files_under(&ws.archive_dir());
    assert_eq!(archived.len(), stored.len(), "archive holds extra files");
    let quarantined: BTreeMap<String, String> = quarantine_codes(&ws).into_iter().collect();
    for (sha, outcome) in &expected {
        match *outcome {
            "stored" => {
                assert!(stored.contains_key(sha), "{sha} lost");
                assert!(!quarantined.contains_key(sha), "{sha} also quarantined");
            }
            code => {
                assert_eq!(
                    quarantined.get(sha).map(String::as_str),
                    Some(code),
                    "{sha}"
                );
                assert!(ws.quarantine_dir().join(format!("{sha}.age")).is_file());
            }
        }
    }
    assert_eq!(stored.len() + quarantined.len(), expected.len());
    assert_eq!(
        stored.len(),
        expected.values().filter(|o| **o == "stored").count()
    );
    assert!(!stored_text(&ws).contains("Terpstra"));
    dossierkluis::audit::verify(&ws.audit_log_path()).unwrap();

    // And a further run changes nothing.
    let before = snapshot(ws.root(), &["audit"]);
    let s = ingest(&ws);
    assert_eq!((s.processed, s.quarantined, s.duplicates), (0, 0, 0));
    assert_eq!(before, snapshot(ws.root(), &["audit"]));
}
