//! The search index against a real tantivy index in a temporary workspace, built through the
//! real pipeline (seal + ingest of small invented Dutch documents): Dutch stemming and folding,
//! field filters from the research record, grouping per case, snippets only from pseudonymised
//! text, updates without duplicates, repair after the index is lost, malformed queries, and the
//! access events in the audit log.

mod common;

use common::*;
use dossierkluis::index::{self, CaseIndex};
use dossierkluis::intake::IngestSummary;
use dossierkluis::workspace::Workspace;

// Invented names and texts (not from any corpus).
const NAME_A: &str = "Jorinde Vlasblom";
const NAME_B: &str = "Tjeerd Oosterwijk";

fn doc_a1() -> String {
    format!(
        "Indicatiebesluit Wet langdurige zorg\n\nNaam: {NAME_A}\nGeboortedatum: 03-04-1995\n\n\
         Wij hebben vastgesteld dat u zorg nodig heeft die past bij zorgprofiel VG7.\n\
         Het besluit geldt vanaf 12-03-2021.\n"
    )
}

fn doc_a2() -> String {
    format!(
        "Dagrapportage {NAME_A}\nPeriode: 01-10-2021 t/m 30-10-2021\n\n\
         14-10-2021 avonddienst\nEr is een nieuwe bewoner op de groep gekomen. {NAME_A} raakte \
         daardoor erg ontregeld en schreeuwde op de gang. Na overleg met de gedragsdeskundige is \
         de deur op slot gedaan tot zij rustig was.\n\n\
         20-10-2021 dagdienst\n{NAME_A} is nog steeds onrustig. Het team bespreekt een verhuizing \
         naar een kleinere woning.\n"
    )
}

fn doc_b1() -> String {
    format!(
        "Ondersteuningsplan\n\nCliënt: {NAME_B}\nGeboortedatum: 17-09-1988\nZorgprofiel: VG4\n\n\
         {NAME_B} is in mei 2020 verhuisd naar de groep. Sindsdien is hij rustiger. 's Nachts \
         gaat de deur op slot op zijn eigen verzoek.\n"
    )
}

fn doc_b2() -> String {
    format!(
        "Incidentmelding\nDatum incident: 02-02-2022\n\n{NAME_B} gooide met een stoel in de \
         woonkamer. Geen letsel. De cliënt kreeg een time-out op zijn kamer.\n"
    )
}

/// Ingest, retrying while the ingest lock is briefly held elsewhere: a child process another
/// test thread forks in the moment of an ingest inherits the lock's descriptor until it execs.
fn ingest(ws: &Workspace) -> IngestSummary {
    for _ in 0..100 {
        match dossierkluis::intake::ingest(ws, &opts()) {
            Err(dossierkluis::intake::IntakeError::Workspace(
                dossierkluis::workspace::WorkspaceError::Locked(_),
            )) => std::thread::sleep(std::time::Duration::from_millis(50)),
            other => return other.unwrap(),
        }
    }
    panic!("ingest lock never released");
}

/// A workspace with two ingested cases (A: VG7 with a new resident; B: VG4).
fn two_cases(dir: &std::path::Path) -> Workspace {
    let ws = new_ws(dir);
    seal_into(&ws, "ZAAK-A", "besluit.txt", doc_a1().as_bytes());
    seal_into(&ws, "ZAAK-A", "rapportage.txt", doc_a2().as_bytes());
    seal_into(&ws, "ZAAK-B", "plan.txt", doc_b1().as_bytes());
    seal_into(&ws, "ZAAK-B", "incident.txt", doc_b2().as_bytes());
    let s = ingest(&ws);
    assert_eq!(s.processed, 4, "{s}");
    ws
}

fn search_json(ws: &Workspace, query: &str) -> serde_json::Value {
    let (code, out, err) = run_bin(&[
        "search".as_ref(),
        ws.root().as_os_str(),
        query.as_ref(),
        "--json".as_ref(),
    ]);
    assert_eq!(code, 0, "{query}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn case_ids(v: &serde_json::Value) -> Vec<String> {
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["case_id"].as_str().unwrap().to_string())
        .collect()
}

fn case_of(ws: &Workspace, text_part: &str) -> String {
    for id in index::stored_case_ids(ws) {
        let c = index::load_case(ws, &id).unwrap();
        if c.docs.iter().any(|d| d.text.contains(text_part)) {
            return id;
        }
    }
    panic!("no case holds {text_part:?}");
}

#[test]
fn stemming_folding_filters_grouping_and_snippets() {
    let dir = tempfile::tempdir().unwrap();
    let ws = two_cases(dir.path());
    let a = case_of(&ws, "nieuwe bewoner");
    let b = case_of(&ws, "gooide met een stoel");
    assert_ne!(a, b);

    // Stemming: "verhuisd" (case B's text) and "verhuizing" (case A's text) meet.
    let v = search_json(&ws, "verhuizing");
    let mut ids = case_ids(&v);
    ids.sort();
    let mut both = vec![a.clone(), b.clone()];
    both.sort();
    assert_eq!(ids, both, "{v}");
    let v = search_json(&ws, "verhuisd");
    assert_eq!(v["total_cases"], 2, "{v}");

    // Folding: "client" finds "cliënt" (only written in case B), not the [CLIENT] pseudonym
    // that every document has.
    let v = search_json(&ws, "client");
    assert_eq!(case_ids(&v), vec![b.clone()], "{v}");
    assert_eq!(v["total_documents"], 2, "{v}");
    let v = search_json(&ws, "[CLIENT]");
    assert_eq!(v["total_documents"], 4, "{v}");

    // A phrase in both cases; the Wlz filter from the research record keeps case A only.
    let v = search_json(&ws, "\"deur op slot\"");
    assert_eq!(v["total_cases"], 2, "{v}");
    let v = search_json(&ws, "wlz:VG7 \"deur op slot\"");
    assert_eq!(case_ids(&v), vec![a.clone()], "{v}");
    let v = search_json(&ws, "wlz:vg4");
    assert_eq!(case_ids(&v), vec![b.clone()], "{v}");
    // Boolean operators.
    let v = search_json(&ws, "\"deur op slot\" AND NOT wlz:VG7");
    assert_eq!(case_ids(&v), vec![b.clone()], "{v}");
    // Document type and month fields.
    let v = search_json(&ws, "type:incidentmelding");
    assert_eq!(v["total_documents"], 1, "{v}");
    assert_eq!(case_ids(&v), vec![b.clone()]);
    let v = search_json(&ws, "month:2020-05");
    assert_eq!(case_ids(&v), vec![b.clone()], "{v}");

    // Grouping per case: a query matching both documents of case A gives one group of 2.
    let v = search_json(&ws, "[CLIENT] AND wlz:VG7");
    assert_eq!(v["cases"].as_array().unwrap().len(), 1);
    assert_eq!(v["cases"][0]["hits"], 2);
    assert_eq!(v["cases"][0]["documents"].as_array().unwrap().len(), 2);

    // Snippets come from the stored pseudonymised text, never from the sealed originals.
    let stored = stored_text(&ws);
    for q in [
        "verhuizing",
        "\"deur op slot\"",
        "client",
        "[CLIENT] onrustig",
        "stoel",
    ] {
        let v = search_json(&ws, q);
        for c in v["cases"].as_array().unwrap() {
            for d in c["documents"].as_array().unwrap() {
                let snip = d["snippet"].as_str().unwrap();
                assert!(!snip.is_empty());
                for name in NAME_A.split(' ').chain(NAME_B.split(' ')) {
                    assert!(!snip.contains(name), "{q}: snippet shows {name}: {snip}");
                }
                // Every snippet word occurs in the stored texts.
                for w in snip.split_whitespace().take(12) {
                    assert!(stored.contains(w), "{q}: {w:?} not in store");
                }
                for h in d["highlighted"].as_array().unwrap() {
                    let (s, e) = (
                        h[0].as_u64().unwrap() as usize,
                        h[1].as_u64().unwrap() as usize,
                    );
                    assert!(snip.get(s..e).is_some_and(|t| !t.is_empty()));
                }
            }
        }
    }
    // The index files themselves never hold an original name.
    for p in files_under(&ws.index_dir()) {
        let bytes = std::fs::read(&p).unwrap();
        for name in [NAME_A, NAME_B, "Vlasblom", "Oosterwijk"] {
            assert!(
                !bytes.windows(name.len()).any(|w| w == name.as_bytes()),
                "{} holds {name}",
                p.display()
            );
        }
    }
}

#[test]
fn reingest_and_new_documents_never_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let ws = two_cases(dir.path());
    let count = |ws: &Workspace| CaseIndex::open(ws).unwrap().num_docs().unwrap();
    assert_eq!(count(&ws), 4);

    // The same ciphertexts again: duplicates, the index is unchanged.
    let s = ingest(&ws);
    assert_eq!(s.processed, 0);
    assert_eq!(count(&ws), 4);

    // A new document for case A: the whole case is re-pseudonymised and replaced.
    seal_into(
        &ws,
        "ZAAK-A",
        "mail.txt",
        b"Van: Gedragsdeskundige\nAan: Team\nOnderwerp: Evaluatie\n\nDe nieuwe bewoner blijft een bron van spanning.\n",
    );
    let s = ingest(&ws);
    assert_eq!(s.processed, 1, "{s}");
    assert_eq!(count(&ws), 5);
    let a = case_of(&ws, "gedragsdeskundige is");
    let v = search_json(&ws, &format!("case:{a}"));
    assert_eq!(v["total_documents"], 3, "{v}");
    let v = search_json(&ws, "type:email");
    assert_eq!(v["total_documents"], 1, "{v}");

    // Search results stay stable across a re-ingest of nothing new.
    let before = search_json(&ws, "\"nieuwe bewoner\"");
    ingest(&ws);
    let after = search_json(&ws, "\"nieuwe bewoner\"");
    assert_eq!(before["total_documents"], after["total_documents"]);
    assert_eq!(count(&ws), 5);
}

#[test]
fn next_ingest_repairs_a_lost_or_stale_index() {
    let dir = tempfile::tempdir().unwrap();
    let ws = two_cases(dir.path());
    // The index is lost entirely (e.g. a crash while it was being rebuilt).
    std::fs::remove_dir_all(ws.index_dir().join("tantivy")).unwrap();
    let (code, _, err) = run_bin(&["search".as_ref(), ws.root().as_os_str(), "slot".as_ref()]);
    assert_eq!(code, 1);
    assert!(err.contains("no search index"), "{err}");
    ingest(&ws);
    assert_eq!(CaseIndex::open(&ws).unwrap().num_docs().unwrap(), 4);

    // A stale marker (a crash between the commit and the marker): the case is reindexed once.
    let marker = ws.index_dir().join("cases.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&marker).unwrap()).unwrap();
    let first = m["cases"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    m["cases"][&first]["fingerprint"] = "0".into();
    std::fs::write(&marker, m.to_string()).unwrap();
    let r = index::repair(&ws).unwrap();
    assert_eq!(r.reindexed, 1);
    assert!(!r.rebuilt);
    assert_eq!(index::repair(&ws).unwrap(), index::RepairReport::default());
    assert_eq!(CaseIndex::open(&ws).unwrap().num_docs().unwrap(), 4);
    let events = dossierkluis::audit::read_events(&ws.audit_log_path()).unwrap();
    assert!(events.iter().any(|e| e["kind"] == "index_repaired"));
}

#[test]
fn malformed_query_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let ws = two_cases(dir.path());
    for q in ["\"deur op", "onbekendveld:x", "(slot", ""] {
        let (code, out, err) = run_bin(&["search".as_ref(), ws.root().as_os_str(), q.as_ref()]);
        assert_eq!(code, 2, "{q}: {out} {err}");
        assert!(out.is_empty());
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("invalid query"), "{err}");
        assert!(!err.contains("panicked") && !err.contains("backtrace"));
    }
    let (code, _, err) = run_bin(&[
        "triggers".as_ref(),
        ws.root().as_os_str(),
        "--query".as_ref(),
        "wlz:(".as_ref(),
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn access_events_hash_the_query_and_never_hold_it() {
    let dir = tempfile::tempdir().unwrap();
    let ws = two_cases(dir.path());
    let q = "\"deur op slot\" geheimwoord";
    let (code, _, err) = run_bin(&["search".as_ref(), ws.root().as_os_str(), q.as_ref()]);
    assert_eq!(code, 0, "{err}");
    let tq = "wlz:VG7";
    let (code, _, err) = run_bin(&[
        "triggers".as_ref(),
        ws.root().as_os_str(),
        "--query".as_ref(),
        tq.as_ref(),
        "--json".as_ref(),
    ]);
    assert_eq!(code, 0, "{err}");
    let out_dir = dir.path().join("export");
    let (code, _, err) = run_bin(&[
        "export".as_ref(),
        ws.root().as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--out".as_ref(),
        out_dir.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");

    let log = std::fs::read_to_string(ws.audit_log_path()).unwrap();
    assert!(!log.contains("geheimwoord") && !log.contains("deur op slot"));
    assert!(!log.contains("VG7"));
    let events = dossierkluis::audit::read_events(&ws.audit_log_path()).unwrap();
    let by_kind =
        |k: &str| -> Vec<&serde_json::Value> { events.iter().filter(|e| e["kind"] == k).collect() };
    let s = by_kind("search");
    assert_eq!(s.len(), 1);
    assert_eq!(s[0]["query_sha256"], index::access::query_hash(q));
    assert_eq!(s[0]["results"], 0); // "geheimwoord" is in no document (AND)
    assert!(!s[0]["user"].as_str().unwrap().is_empty());
    assert!(s[0]["time"].as_str().is_some());
    let t = by_kind("triggers");
    assert_eq!(t.len(), 1);
    assert_eq!(t[0]["query_sha256"], index::access::query_hash(tq));
    assert_eq!(t[0]["cases"], 1);
    let e = by_kind("export");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["results"], 2);
    assert_eq!(e[0]["format"], "csv");
    dossierkluis::audit::verify(&ws.audit_log_path()).unwrap();
}

#[test]
fn export_jsonl_csv_and_texts() {
    let dir = tempfile::tempdir().unwrap();
    let ws = two_cases(dir.path());
    let (code, out, err) = run_bin(&[
        "export".as_ref(),
        ws.root().as_os_str(),
        "--format".as_ref(),
        "jsonl".as_ref(),
    ]);
    assert_eq!(code, 0, "{err}");
    let recs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 2);
    for r in &recs {
        dossierkluis::research::validate(r).unwrap();
    }

    let out_dir = dir.path().join("csv");
    let (code, _, err) = run_bin(&[
        "export".as_ref(),
        ws.root().as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--out".as_ref(),
        out_dir.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    let cases = std::fs::read_to_string(out_dir.join("cases.csv")).unwrap();
    assert_eq!(cases.lines().count(), 3, "{cases}");
    assert!(cases.contains("VG7") && cases.contains("VG4"));
    for f in ["episodes.csv", "triggers.csv", "codebook.md"] {
        assert!(out_dir.join(f).is_file(), "{f}");
    }
    // csv without a folder is a usage error.
    let (code, _, err) = run_bin(&[
        "export".as_ref(),
        ws.root().as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    assert_eq!(code, 2, "{err}");

    let texts = dir.path().join("texts");
    let (code, _, err) = run_bin(&[
        "export".as_ref(),
        ws.root().as_os_str(),
        "--texts".as_ref(),
        texts.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    let files = files_under(&texts);
    assert_eq!(files.len(), 4);
    for p in &files {
        let rel = p.strip_prefix(&texts).unwrap();
        let case = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_str()
            .unwrap();
        let stored = ws
            .store_dir()
            .join(case)
            .join("docs")
            .join(rel.file_name().unwrap());
        assert_eq!(std::fs::read(p).unwrap(), std::fs::read(stored).unwrap());
        let t = std::fs::read_to_string(p).unwrap();
        assert!(!t.contains("Vlasblom") && !t.contains("Oosterwijk"));
    }
}

#[test]
fn triggers_table_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let ws = two_cases(dir.path());
    let (code, out, err) = run_bin(&[
        "triggers".as_ref(),
        ws.root().as_os_str(),
        "--json".as_ref(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cases_analysed"], 2);
    // The records are the truth: the table counts what they hold.
    let records = dossierkluis::export::stored_records(&ws, None);
    let n: usize = records
        .iter()
        .map(|r| r["triggers"].as_array().unwrap().len())
        .sum();
    assert_eq!(v["triggers"], n);
    let has_new_resident = records.iter().any(|r| {
        r["triggers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["subtype"] == "NIEUWE_BEWONER")
    });
    assert!(
        has_new_resident,
        "case A's record has its NIEUWE_BEWONER trigger"
    );
    {
        let row = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["subtype"] == "NIEUWE_BEWONER")
            .unwrap();
        assert_eq!(row["cases"], 1);
        let v = search_json(&ws, "trigger:NIEUWE_BEWONER");
        assert_eq!(v["total_cases"], 1);
        let v = search_json(&ws, "wlz:VG7 trigger:NIEUWE_BEWONER \"deur op slot\"");
        assert_eq!(v["total_cases"], 1, "{v}");
        assert_eq!(v["total_documents"], 1, "{v}");
    }
    let (code, out, _) = run_bin(&["triggers".as_ref(), ws.root().as_os_str()]);
    assert_eq!(code, 0);
    assert!(out.contains("cases analysed"), "{out}");
}
