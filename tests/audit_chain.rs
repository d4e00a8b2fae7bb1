//! The audit log's hash chain: `audit verify` detects an edited, removed, inserted or
//! reordered line and a truncated last line, with the line number; `audit log` filters.

mod common;

use std::path::Path;

use dossierkluis::audit::{self, AuditLog};
use serde_json::json;

fn log_with(dir: &Path, n: usize) -> std::path::PathBuf {
    let path = dir.join("audit.jsonl");
    let mut log = AuditLog::new(path.clone());
    for i in 0..n {
        log.append("received", json!({"case": "K000000000001", "n": i}))
            .unwrap();
    }
    path
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn write_lines(path: &Path, l: &[String]) {
    std::fs::write(path, l.join("\n") + "\n").unwrap();
}

#[test]
fn an_intact_log_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let p = log_with(dir.path(), 6);
    let r = audit::verify(&p).unwrap();
    assert_eq!(r.events, 6);
    let last: serde_json::Value = serde_json::from_str(&lines(&p)[5]).unwrap();
    assert_eq!(r.head, last["hash"].as_str().unwrap());
    for (i, l) in lines(&p).iter().enumerate() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["seq"], i as u64 + 1);
        for k in ["time", "kind", "tool_version", "rules_hash", "prev", "hash"] {
            assert!(v.get(k).is_some(), "line {} lacks {k}", i + 1);
        }
    }
}

#[test]
fn an_edited_line_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let p = log_with(dir.path(), 6);
    let mut l = lines(&p);
    l[2] = l[2].replace("\"n\":2", "\"n\":7");
    assert!(l[2].contains("\"n\":7"));
    write_lines(&p, &l);
    assert_eq!(audit::verify(&p).unwrap_err().line, 3);
}

#[test]
fn an_edit_with_a_recomputed_hash_is_detected_at_the_next_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = log_with(dir.path(), 6);
    let mut l = lines(&p);
    let mut v: serde_json::Value = serde_json::from_str(&l[2]).unwrap();
    v["n"] = json!(99);
    v["hash"] = json!(audit::event_hash(&v));
    l[2] = audit::canonical(&v);
    write_lines(&p, &l);
    assert_eq!(audit::verify(&p).unwrap_err().line, 4);
}

#[test]
fn a_removed_line_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let p = log_with(dir.path(), 6);
    let mut l = lines(&p);
    l.remove(2);
    write_lines(&p, &l);
    assert_eq!(audit::verify(&p).unwrap_err().line, 3);
}

#[test]
fn an_inserted_line_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let p = log_with(dir.path(), 6);
    let mut l = lines(&p);
    // A forged event that chains correctly onto line 2 and has a valid own hash.
    let prev: serde_json::Value = serde_json::from_str(&l[1]).unwrap();
    let mut forged = json!({"seq": 3, "time": "2024-01-01T00:00:00Z", "kind": "received",
        "tool_version": "0.1.0", "rules_hash": "x", "prev": prev["hash"], "case": "K1"});
    forged["hash"] = json!(audit::event_hash(&forged));
    l.insert(2, audit::canonical(&forged));
    write_lines(&p, &l);
    assert_eq!(audit::verify(&p).unwrap_err().line, 4);
}

#[test]
fn reordered_lines_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let p = log_with(dir.path(), 6);
    let mut l = lines(&p);
    l.swap(3, 4);
    write_lines(&p, &l);
    assert_eq!(audit::verify(&p).unwrap_err().line, 4);
}

#[test]
fn a_truncated_last_line_is_detected_and_the_next_append_records_the_repair() {
    let dir = tempfile::tempdir().unwrap();
    let p = log_with(dir.path(), 4);
    let full = std::fs::read(&p).unwrap();
    std::fs::write(&p, &full[..full.len() - 25]).unwrap();
    let e = audit::verify(&p).unwrap_err();
    assert_eq!(e.line, 4);
    assert!(e.problem.contains("truncated"), "{e}");
    // Appending cuts the incomplete line off and says so in the log.
    AuditLog::new(p.clone()).append("init", json!({})).unwrap();
    let r = audit::verify(&p).unwrap();
    assert_eq!(r.events, 5);
    let l = lines(&p);
    let repaired: serde_json::Value = serde_json::from_str(&l[3]).unwrap();
    assert_eq!(repaired["kind"], "log_repaired");
    assert!(repaired["removed_bytes"].as_u64().unwrap() > 0);
}

#[test]
fn cli_verify_reports_the_line_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let ws = common::new_ws(dir.path());
    common::seal_into(
        &ws,
        "R-1",
        "a.txt.age",
        common::report("Sven Hoogkamp", "").as_bytes(),
    );
    common::ingest(&ws);
    let (code, out, _) =
        common::run_bin(&["audit".as_ref(), "verify".as_ref(), ws.root().as_os_str()]);
    assert_eq!(code, 0);
    assert!(out.contains("audit log OK"), "{out}");
    let mut l = lines(&ws.audit_log_path());
    assert!(l.len() >= 5);
    l.swap(1, 2);
    write_lines(&ws.audit_log_path(), &l);
    let (code, out, _) =
        common::run_bin(&["audit".as_ref(), "verify".as_ref(), ws.root().as_os_str()]);
    assert_eq!(code, 1);
    assert!(out.contains("line 2"), "{out}");
}

#[test]
fn cli_log_filters_by_kind_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let ws = common::new_ws(dir.path());
    common::seal_into(
        &ws,
        "R-1",
        "a.txt.age",
        common::report("Sven Hoogkamp", "").as_bytes(),
    );
    common::put(&ws, "R-1", "b.age", b"not age");
    common::ingest(&ws);
    let root = ws.root().as_os_str();
    let (code, out, _) = common::run_bin(&[
        "audit".as_ref(),
        "log".as_ref(),
        root,
        "--kind".as_ref(),
        "quarantined".as_ref(),
        "--json".as_ref(),
    ]);
    assert_eq!(code, 0);
    let evs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0]["code"], "not_age");
    let (_, out, _) = common::run_bin(&[
        "audit".as_ref(),
        "log".as_ref(),
        root,
        "--since".as_ref(),
        "2999-01-01".as_ref(),
        "--json".as_ref(),
    ]);
    assert!(out.trim().is_empty(), "{out}");
    let (_, out, _) = common::run_bin(&["audit".as_ref(), "log".as_ref(), root]);
    assert!(
        out.contains("stored") && out.contains("archived") && out.contains("init"),
        "{out}"
    );
}
