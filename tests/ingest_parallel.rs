//! Cases are processed on several worker threads: the same drop gives the same store/, archive/,
//! quarantine and index marker with one job as with four, the audit chain stays valid and every
//! stored document has its events in order; also when new documents join archived cases.

mod common;

use std::path::Path;

use common::*;
use dossierkluis::intake::IngestOptions;
use dossierkluis::workspace::Workspace;

const CLIENTS: [&str; 8] = [
    "Lotte Vermeulen",
    "Bram de Wit",
    "Yara Koster",
    "Joris Pauwels",
    "Noor Kuipers",
    "Stijn van Doorn",
    "Fenna Hofstra",
    "Mats Dijkhuis",
];

/// Documents of `round` into drop/: every case gets one or two new documents; a document
/// delivered twice, a bad file, and (when ../shared is there) a corpus PDF.
fn drop_round(ws: &Workspace, round: usize, cases: usize) {
    for (i, client) in CLIENTS.iter().enumerate().take(cases) {
        let case = format!("CASE-{i:02}");
        let extra = format!(
            "Ronde {round}: gesprek met zijn moeder Anja {} bij Zorggroep Maasoever in Venlo.",
            client.split(' ').next_back().unwrap_or("")
        );
        seal_into(
            ws,
            &case,
            &format!("r{round}-a.txt.age"),
            report(client, &extra).as_bytes(),
        );
        if (i + round) % 2 == 0 {
            let text = report(client, &format!("Ronde {round}, tweede verslag."));
            let p = seal_into(ws, &case, &format!("r{round}-b.txt.age"), text.as_bytes());
            if i == 0 {
                // The same ciphertext under a second name.
                std::fs::copy(&p, p.with_file_name(format!("r{round}-b-kopie.txt.age"))).unwrap();
            }
        }
    }
    put(ws, "CASE-01", &format!("r{round}-kapot.age"), b"geen age");
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/dev/C002/01-indicatiebesluit.pdf");
    if let Ok(bytes) = std::fs::read(pdf) {
        seal_into(ws, "CASE-03", &format!("r{round}-besluit.pdf.age"), &bytes);
    }
}

fn ingest_jobs(ws: &Workspace, jobs: usize) -> dossierkluis::intake::IngestSummary {
    dossierkluis::intake::ingest(
        ws,
        &IngestOptions {
            jobs: Some(jobs),
            ..opts()
        },
    )
    .unwrap()
}

fn assert_same_outputs(a: &Workspace, b: &Workspace) {
    let (sa, sb) = (snapshot(&a.store_dir(), &[]), snapshot(&b.store_dir(), &[]));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(
            sb.get(k) == Some(v),
            "store/{k} differs between 1 and 4 jobs"
        );
    }
    assert!(snapshot(&a.archive_dir(), &[]) == snapshot(&b.archive_dir(), &[]));
    let names = |ws: &Workspace| -> Vec<String> {
        files_under(&ws.quarantine_dir())
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names(a), names(b));
    // The index marker holds each case's fingerprint of what was indexed.
    let marker = |ws: &Workspace| std::fs::read(ws.index_dir().join("cases.json")).unwrap();
    assert!(marker(a) == marker(b), "index marker differs");
    for ws in [a, b] {
        assert!(files_under(&ws.drop_dir()).is_empty());
        dossierkluis::audit::verify(&ws.audit_log_path()).unwrap();
        let events = dossierkluis::audit::read_events(&ws.audit_log_path()).unwrap();
        let missing = dossierkluis::audit::report::missing_ingest_events(ws, &events).unwrap();
        assert!(missing.is_empty(), "{missing:?}");
        let stored_docs: usize = files_under(&ws.store_dir())
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .count();
        let ix = dossierkluis::index::CaseIndex::open(ws).unwrap();
        assert_eq!(ix.num_docs().unwrap(), stored_docs as u64);
    }
}

#[test]
fn one_job_and_four_jobs_give_the_same_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let base = new_ws(dir.path());
    drop_round(&base, 1, CLIENTS.len());
    let one = copy_ws(&base, &dir.path().join("one"));
    let four = copy_ws(&base, &dir.path().join("four"));

    let s1 = ingest_jobs(&one, 1);
    let s4 = ingest_jobs(&four, 4);
    assert_eq!(s4.timings.jobs, 4);
    assert_eq!(
        (
            s1.processed,
            s1.quarantined,
            s1.duplicates,
            s1.cases_written
        ),
        (
            s4.processed,
            s4.quarantined,
            s4.duplicates,
            s4.cases_written
        )
    );
    assert!(s1.processed >= CLIENTS.len() + CLIENTS.len() / 2, "{s1}");
    assert_eq!(s1.timings.documents, s1.processed);
    assert!(s1.timings.pages >= s1.processed);
    assert_same_outputs(&one, &four);

    // New documents join archived cases (which are re-pseudonymised as a whole), one new case.
    // (Sealed once and copied: age encryption is randomised, and documents are named by the
    // hash of their ciphertext.)
    drop_round(&one, 2, CLIENTS.len() - 1);
    seal_into(
        &one,
        "CASE-NIEUW",
        "eerste.txt.age",
        report("Iris Bosman", "Kennismaking.").as_bytes(),
    );
    for (rel, bytes) in snapshot(&one.drop_dir(), &[]) {
        let dest = four.drop_dir().join(&rel);
        if rel.ends_with('/') {
            std::fs::create_dir_all(dest).unwrap();
        } else {
            std::fs::write(dest, bytes).unwrap();
        }
    }
    let s1 = ingest_jobs(&one, 1);
    let s4 = ingest_jobs(&four, 4);
    assert_eq!(
        (s1.processed, s1.quarantined, s1.duplicates),
        (s4.processed, s4.quarantined, s4.duplicates)
    );
    assert_same_outputs(&one, &four);
    let text = stored_text(&one);
    for c in CLIENTS {
        assert!(!text.contains(c), "a client's name is in store/");
    }
}
