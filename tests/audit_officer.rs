//! The privacy officer's tools on a workspace built through the real pipeline (init, seal,
//! ingest): re-identification (officer key only, every attempt audited, nothing written), the
//! redaction report's counts and risks, the summary, and `audit verify`'s check that every
//! stored document has its ingest events.

#[path = "audit_support/mod.rs"]
mod audit_support;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;

use audit_support::*;
use serde_json::Value;

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

fn audit_events(root: &std::path::Path) -> Vec<Value> {
    dossierkluis::audit::read_events(&root.join("audit/audit.jsonl")).unwrap()
}

/// Every file outside audit/ (path -> bytes).
fn snapshot(root: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in walkdir::WalkDir::new(root) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if e.file_type().is_file() && !rel.starts_with("audit/") {
            m.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    m
}

#[test]
fn only_the_officer_can_reidentify_and_every_attempt_is_audited() {
    let f = build();
    let root = f.root.as_os_str();
    let officer = f.root.join("keys/officer-identity.txt");
    let workspace_key = f.root.join("keys/workspace-identity.txt");
    let before = snapshot(&f.root);
    let events_before = audit_events(&f.root).len();

    // The officer sees every pseudonym of the case with its originals.
    let (code, out, err) = run(&[
        os("reidentify"),
        root,
        os("--identity"),
        officer.as_os_str(),
        os("--case"),
        os(&f.case_id),
    ]);
    assert_eq!(code, 0, "{err}");
    let client_line = out.lines().find(|l| l.starts_with("[CLIENT]")).unwrap();
    assert!(client_line.contains("Fenneke Zwaagstra"), "{out}");
    assert!(out.contains("Tjepkema"), "{out}");

    // One pseudonym: taken from the stored text, in both spellings.
    let texts = stored_texts(&f.root, &f.case_id);
    let all: String = texts.iter().map(|t| t.1.as_str()).collect();
    let start = all.find("[NAASTE-").unwrap();
    let naaste = &all[start..start + all[start..].find(']').unwrap() + 1];
    let (code, out, err) = run(&[
        os("reidentify"),
        root,
        os("--identity"),
        officer.as_os_str(),
        os("--case"),
        os(&f.case_id),
        os("--pseudonym"),
        os(naaste.trim_start_matches('[').trim_end_matches(']')),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Hidde"), "{out}");
    assert!(!out.contains("Fenneke"), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with('[')).count(),
        1,
        "{out}"
    );

    // The workspace identity (what the researchers' machine holds) cannot open the table.
    let (code, out, err) = run(&[
        os("reidentify"),
        root,
        os("--identity"),
        workspace_key.as_os_str(),
        os("--case"),
        os(&f.case_id),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot open"), "{err}");
    for o in ORIGINALS {
        assert!(
            !out.contains(o) && !err.contains(o),
            "{o} shown: {out} {err}"
        );
    }

    // The library says the same, with the reason.
    let ws = dossierkluis::workspace::Workspace::open(&f.root).unwrap();
    let e = dossierkluis::audit::reidentify::reidentify(&ws, &workspace_key, &f.case_id, None)
        .unwrap_err();
    assert!(
        matches!(
            e,
            dossierkluis::audit::reidentify::ReidentifyError::Open {
                reason: dossierkluis::crypto::OpenError::WrongRecipient,
                ..
            }
        ),
        "{e:?}"
    );

    // A readable copy of the officer key is refused; an unknown pseudonym and a path-like case
    // id fail.
    let loose = f.dir.path().join("loose-officer.txt");
    std::fs::copy(&officer, &loose).unwrap();
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, err) = run(&[
        os("reidentify"),
        root,
        os("--identity"),
        loose.as_os_str(),
        os("--case"),
        os(&f.case_id),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("chmod 600"), "{err}");
    let (code, _, _) = run(&[
        os("reidentify"),
        root,
        os("--identity"),
        officer.as_os_str(),
        os("--case"),
        os(&f.case_id),
        os("--pseudonym"),
        os("[NAASTE-0000000]"),
    ]);
    assert_eq!(code, 1);
    let (code, _, err) = run(&[
        os("reidentify"),
        root,
        os("--identity"),
        officer.as_os_str(),
        os("--case"),
        os("../../etc"),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("not a case id"), "{err}");

    // One audit event per attempt: 2 successes, 5 failures, no originals, chain intact.
    let events = audit_events(&f.root);
    let re: Vec<&Value> = events[events_before..]
        .iter()
        .filter(|e| e["kind"] == "reidentify")
        .collect();
    assert_eq!(re.len(), 7, "{re:?}");
    assert_eq!(events.len() - events_before, 7);
    let ok: Vec<bool> = re.iter().map(|e| e["success"].as_bool().unwrap()).collect();
    assert_eq!(ok, vec![true, true, false, false, false, false, false]);
    assert_eq!(re[0]["case"], Value::from(f.case_id.as_str()));
    assert!(re[0]["pseudonym_sha256"].is_null());
    assert_eq!(
        re[1]["pseudonym_sha256"],
        Value::from(dossierkluis::crypto::sha256_hex(naaste.as_bytes()))
    );
    assert_eq!(re[2]["code"], "wrong_key");
    assert_eq!(re[4]["code"], "key_file_too_open");
    assert_eq!(re[5]["code"], "unknown_pseudonym");
    assert!(re[6]["case"].is_null());
    let officer_pub = std::fs::read_to_string(f.root.join("keys/officer-recipient.txt")).unwrap();
    assert_eq!(re[0]["identity_recipient"], Value::from(officer_pub.trim()));
    let log = std::fs::read_to_string(f.root.join("audit/audit.jsonl")).unwrap();
    for o in ORIGINALS {
        assert!(!log.contains(o), "{o} in the audit log");
    }
    assert!(dossierkluis::audit::verify(&f.root.join("audit/audit.jsonl")).is_ok());

    // Nothing but the audit log changed.
    assert_eq!(snapshot(&f.root), before);

    // The summary counts them.
    let (code, out, err) = run(&[os("audit"), os("summary"), root, os("--json")]);
    assert_eq!(code, 0, "{err}");
    let s: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["reidentifications"], 2);
    assert_eq!(s["reidentifications_failed"], 5);
    assert_eq!(s["cases"], 1);
    assert_eq!(s["documents"], 2);
    assert!(s["log_problem"].is_null());
    assert_eq!(s["documents_missing_events"], 0);
}

#[test]
fn the_report_counts_what_the_metadata_holds_and_flags_the_planted_risks() {
    let f = build();
    let root = f.root.as_os_str();
    let (code, out, err) = run(&[os("audit"), os("report"), root, os("--json")]);
    assert_eq!(code, 0, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();

    // Counts straight from the per-document metadata files.
    let docs_dir = f.root.join("store").join(&f.case_id).join("docs");
    let mut total = 0u64;
    let mut per_cat: BTreeMap<String, u64> = BTreeMap::new();
    let mut per_doc: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for e in std::fs::read_dir(&docs_dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let meta: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            let id = meta["doc_id"].as_str().unwrap().to_string();
            for s in meta["spans"].as_array().unwrap() {
                total += 1;
                let c = s["category"].as_str().unwrap().to_string();
                *per_cat.entry(c.clone()).or_default() += 1;
                *per_doc.entry(id.clone()).or_default().entry(c).or_default() += 1;
            }
        }
    }
    assert!(total >= 15, "{total}");
    assert_eq!(r["replacements"], total);
    assert_eq!(r["documents"], 2);
    assert_eq!(r["cases"], 1);
    let by_cat: BTreeMap<String, u64> = serde_json::from_value(r["by_category"].clone()).unwrap();
    assert_eq!(by_cat, per_cat);
    assert!(by_cat["NAAM"] >= 6 && by_cat["TELEFOON"] == 1 && by_cat["EMAIL"] == 1);
    let case = &r["case_reports"][0];
    assert_eq!(case["case_id"], Value::from(f.case_id.as_str()));
    for d in case["documents"].as_array().unwrap() {
        let id = d["doc_id"].as_str().unwrap();
        let counts: BTreeMap<String, u64> =
            serde_json::from_value(d["by_category"].clone()).unwrap();
        assert_eq!(&counts, &per_doc[id], "{id}");
        let rules: u64 = d["by_rule"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(rules, d["replacements"].as_u64().unwrap());
    }

    // The planted tokens are residual risks, at their offsets in the stored text.
    let texts: BTreeMap<String, String> = stored_texts(&f.root, &f.case_id).into_iter().collect();
    let mut flagged = Vec::new();
    for d in case["documents"].as_array().unwrap() {
        let text = &texts[d["doc_id"].as_str().unwrap()];
        for risk in d["risks"].as_array().unwrap() {
            let (s, e) = (
                risk["start"].as_u64().unwrap() as usize,
                risk["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[s..e], risk["token"].as_str().unwrap());
            flagged.push(risk["token"].as_str().unwrap().to_string());
        }
    }
    for p in PLANTED {
        assert!(
            flagged.iter().any(|t| t == p),
            "{p} not flagged: {flagged:?}"
        );
    }
    assert_eq!(r["risks"], flagged.len() as u64);
    // No original in the report.
    for o in ORIGINALS {
        assert!(!out.contains(o), "{o} in the report");
    }

    // The text report: the summary line and a row per document.
    let (code, text, _) = run(&[os("audit"), os("report"), root]);
    assert_eq!(code, 0);
    assert!(text.contains(&format!(
        "1 case(s), 2 document(s), {total} replacement(s), {} residual risk(s)",
        flagged.len()
    )));
    for id in texts.keys() {
        assert!(text.contains(id.as_str()), "{text}");
    }
    assert!(text.contains("Zonnebloem"));

    // --case with an unknown or path-like id fails without reading elsewhere.
    let (code, _, err) = run(&[
        os("audit"),
        os("report"),
        root,
        os("--case"),
        os("K000000000000"),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("no case"), "{err}");
    let (code, _, _) = run(&[os("audit"), os("report"), root, os("--case"), os("../ws")]);
    assert_eq!(code, 1);
}

#[test]
fn verify_reports_stored_documents_without_their_ingest_events() {
    let f = build();
    let root = f.root.as_os_str();
    let (code, out, _) = run(&[os("audit"), os("verify"), root]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("ingest events OK: all 2 stored documents"),
        "{out}"
    );

    // Rewrite the log as a valid chain without the `archived` event of one document (as if it
    // had been dropped before the chain was written).
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(f.root.join("store").join(&f.case_id).join("manifest.json"))
            .unwrap(),
    )
    .unwrap();
    let shas: Vec<String> = manifest["documents"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(shas.len(), 2);
    let victim = &shas[0];
    let log_path = f.root.join("audit/audit.jsonl");
    let events = audit_events(&f.root);
    assert!(events.iter().any(
        |e| e["kind"] == "archived" && e["ciphertext_sha256"].as_str() == Some(victim.as_str())
    ));
    std::fs::remove_file(&log_path).unwrap();
    let mut log = dossierkluis::audit::AuditLog::new(log_path.clone());
    for e in &events {
        if e["kind"] == "archived" && e["ciphertext_sha256"].as_str() == Some(victim.as_str()) {
            continue;
        }
        let mut fields = e.as_object().unwrap().clone();
        for k in [
            "seq",
            "time",
            "kind",
            "tool_version",
            "rules_hash",
            "prev",
            "hash",
        ] {
            fields.remove(k);
        }
        log.append(e["kind"].as_str().unwrap(), Value::Object(fields))
            .unwrap();
    }
    assert!(dossierkluis::audit::verify(&log_path).is_ok());

    let (code, out, _) = run(&[os("audit"), os("verify"), root]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("audit log OK"), "{out}");
    assert!(out.contains("MISSING for 1 of 2"), "{out}");
    assert!(
        out.contains(&format!("document {victim}: no archived event")),
        "{out}"
    );
    assert!(!out.contains(&shas[1]), "{out}");

    // Without any event of the case, all three are missing for both documents.
    let ws = dossierkluis::workspace::Workspace::open(&f.root).unwrap();
    let other: Vec<Value> = audit_events(&f.root)
        .into_iter()
        .filter(|e| e["case"].as_str() != Some(f.case_id.as_str()))
        .collect();
    let missing = dossierkluis::audit::report::missing_ingest_events(&ws, &other).unwrap();
    assert_eq!(missing.len(), 2);
    for m in &missing {
        assert_eq!(m.missing, vec!["received", "stored", "archived"]);
        assert_eq!(m.case, f.case_id);
    }
}
