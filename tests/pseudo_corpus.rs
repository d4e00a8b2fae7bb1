//! The quality bar of the de-identifier on the shared dev corpus, measured by the project's
//! scorer (`../shared/eval/score.py`). Skipped with a message when the corpus or python3 is
//! absent (a user's machine).

use std::path::Path;
use std::process::Command;

#[test]
fn dev_corpus_meets_the_quality_bar() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus/dev");
    let scorer = root.join("../shared/eval/score.py");
    if !corpus.join("manifest.json").exists() || !scorer.exists() {
        eprintln!("skipped: ../shared/corpus/dev is not here");
        return;
    }
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: python3 is not installed");
        return;
    }
    let out_json = tempfile::NamedTempFile::new().unwrap();
    let status = Command::new("python3")
        .arg(&scorer)
        .args(["deid", "--corpus"])
        .arg(&corpus)
        .args([
            "--system",
            "dossierkluis",
            "--bin",
            env!("CARGO_BIN_EXE_dossierkluis"),
            "--json",
        ])
        .arg(out_json.path())
        .output()
        .expect("run scorer");
    assert!(
        status.status.success(),
        "scorer failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_json.path()).unwrap()).unwrap();
    assert!(
        v["failed_cases"].as_array().is_some_and(|a| a.is_empty()),
        "failed cases: {}",
        v["failed_cases"]
    );
    let overall = &v["overall_identifiers"];
    let f = |x: &serde_json::Value| x.as_f64().unwrap_or(0.0);
    assert!(
        f(&overall["entity_recall"]) >= 0.98,
        "entity recall {}",
        overall["entity_recall"]
    );
    assert!(
        f(&overall["precision"]) >= 0.90,
        "precision {}",
        overall["precision"]
    );
    assert!(f(&v["categories"]["NAAM"]["entity_recall"]) >= 0.98);
    for cat in ["BSN", "TELEFOON", "EMAIL", "IBAN", "POSTCODE"] {
        assert!(
            f(&v["categories"][cat]["entity_recall"]) >= 1.0,
            "{cat} entity recall {}",
            v["categories"][cat]["entity_recall"]
        );
    }
}
