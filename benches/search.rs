//! Indexing throughput and search latency over a generated corpus (issue 5, point 5).
//!
//! Make the corpus first (10,000+ documents):
//!   python3 ../shared/corpus/gen_dev.py --cases 1500 --no-pdf --no-drop --out /tmp/big
//! then: `cargo bench --bench search` (corpus from $DK_BENCH_CORPUS, default /tmp/big).
//!
//! In one thread, in process, without the age and extraction steps: each case's .txt documents
//! are pseudonymised (`Engine::deidentify_case_in`), its research record extracted, and the case
//! added to a fresh index in a temporary folder (one commit at the end). Prints documents/s of
//! the whole path and of the indexer alone, then the latency of a fixed set of queries (each
//! run 10 times on a warm reader, grouped per case with snippets, limit 20): p50, p95, max.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossierkluis::index::{search::search_index, CaseIndex, StoredCase, StoredDoc};
use dossierkluis::pseudo::{Document, Engine, PseudoKey};

const QUERIES: [&str; 20] = [
    "agressie",
    "verhuizing",
    "\"deur op slot\"",
    "\"nieuwe bewoner\"",
    "wisseling begeleiders",
    "handelingsverlegenheid",
    "wlz:VG7 trigger:NIEUWE_BEWONER \"deur op slot\"",
    "wlz:VG7 handelingsverlegenheid",
    "trigger:PERSONEELSWISSELING onrust",
    "type:incidentmelding letsel",
    "type:dagrapportage escaleerde",
    "setting:CRISISPLEK",
    "wzd:INSLUITEN afzondering",
    "problematiek:ASS prikkels",
    "gedrag:ZELFVERWONDING",
    "[CLIENT] escaleerde",
    "separeer OR afzondering",
    "year:2021 crisis",
    "medicatie -wlz:VG7",
    "cliënt verhuisd",
];

fn case_dirs(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let root =
        PathBuf::from(std::env::var("DK_BENCH_CORPUS").unwrap_or_else(|_| "/tmp/big".into()));
    let cases = case_dirs(&root);
    if cases.is_empty() {
        println!(
            "no corpus in {}: generate one with gen_dev.py (see benches/search.rs)",
            root.display()
        );
        return;
    }
    let engine = Engine::load_default().expect("rules");
    let key = PseudoKey([7u8; 32]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let (ix, _) = CaseIndex::open_or_create(&tmp.path().join("tantivy")).expect("index");
    let writer = ix.writer(200_000_000).expect("writer");

    let (mut t_pseudo, mut t_record, mut t_index) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut n_docs = 0usize;
    let mut bytes = 0usize;
    let start = Instant::now();
    for (i, dir) in cases.iter().enumerate() {
        let mut docs: Vec<Document> = std::fs::read_dir(dir)
            .expect("case dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .map(|p| Document {
                name: p.file_stem().unwrap().to_string_lossy().into_owned(),
                text: std::fs::read_to_string(&p).expect("utf-8 text"),
            })
            .collect();
        docs.sort_by(|a, b| a.name.cmp(&b.name));
        let case_id = format!("K{i:012}");
        let t = Instant::now();
        let out = engine
            .deidentify_case_in(&key, &case_id, &docs)
            .expect("pseudonymise");
        t_pseudo += t.elapsed();
        let t = Instant::now();
        let record = dossierkluis::research::extract_record(&case_id, &out.docs, &out.facts).ok();
        t_record += t.elapsed();
        let t = Instant::now();
        let case = StoredCase {
            case_id,
            docs: out
                .docs
                .iter()
                .map(|d| StoredDoc {
                    doc_id: d.document.clone(),
                    text: d.text.clone(),
                })
                .collect(),
            record,
            fingerprint: String::new(),
        };
        n_docs += case.docs.len();
        bytes += case.docs.iter().map(|d| d.text.len()).sum::<usize>();
        writer.replace_case(&case).expect("add");
        t_index += t.elapsed();
    }
    let t = Instant::now();
    writer.commit().expect("commit");
    t_index += t.elapsed();
    let total = start.elapsed();
    let rate = |d: Duration| n_docs as f64 / d.as_secs_f64();
    println!(
        "corpus: {} cases, {} documents, {:.1} MB pseudonymised text",
        cases.len(),
        n_docs,
        bytes as f64 / 1e6
    );
    println!(
        "pseudonymise: {:.1} s  ({:.0} docs/s)",
        t_pseudo.as_secs_f64(),
        rate(t_pseudo)
    );
    println!(
        "research rec: {:.1} s  ({:.0} docs/s)",
        t_record.as_secs_f64(),
        rate(t_record)
    );
    println!(
        "index+commit: {:.1} s  ({:.0} docs/s)",
        t_index.as_secs_f64(),
        rate(t_index)
    );
    println!(
        "whole path:   {:.1} s  ({:.0} docs/s, single thread)",
        total.as_secs_f64(),
        rate(total)
    );
    println!("index docs:   {}", ix.num_docs().expect("count"));

    let mut all = Vec::new();
    println!(
        "\n{:<52} {:>8} {:>6} {:>9} {:>9}",
        "query", "docs", "cases", "p50 ms", "max ms"
    );
    for q in QUERIES {
        let first = search_index(&ix, q, 20).expect("query");
        let mut times = Vec::new();
        for _ in 0..10 {
            let t = Instant::now();
            let r = search_index(&ix, q, 20).expect("query");
            times.push(t.elapsed());
            std::hint::black_box(r);
        }
        times.sort();
        println!(
            "{:<52} {:>8} {:>6} {:>9.2} {:>9.2}",
            q,
            first.total_documents,
            first.total_cases,
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            times.last().copied().unwrap_or_default().as_secs_f64() * 1e3
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "\nsearch latency over {} runs: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        all.len(),
        percentile(&all, 0.5).as_secs_f64() * 1e3,
        percentile(&all, 0.95).as_secs_f64() * 1e3,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
}
