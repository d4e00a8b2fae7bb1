//! End-to-end ingest throughput (issue 7, point 4): from drop/ to indexed, against text
//! extraction alone on the same files, measured in the same run.
//!
//! `scripts/bench-e2e.sh` makes the drop and runs this once on one core and once on all cores.
//! By hand:
//!   python3 ../shared/corpus/gen_dev.py --cases 40 --out /tmp/dk-e2e   # PDFs, .txt, .eml as age
//!   cargo bench --bench e2e -- --drop /tmp/dk-e2e/drop --identity /tmp/dk-e2e/keys/test-identity.txt --jobs 2
//!
//! Two passes over the same drop files, each with `--jobs` workers:
//! 1. extraction alone: read, decrypt (age, in memory) and extract the text of every file in the
//!    isolated child process, as ingest does (the work is shared out per file, so this is the
//!    fastest extraction can go with that many workers);
//! 2. the pipeline: a fresh workspace adopting the drop's identity, the files copied into its
//!    drop/, one `intake::ingest` (decrypt, extract, pseudonymise, research record, durable
//!    writes, audit, archive, index commit).
//!
//! Prints documents, pages, MB (age files / decrypted / extracted text), pages/s and MB/s of
//! both, the pipeline's time per stage (summed over the workers) and the ratio pipeline /
//! extraction alone (target: at most 3). Generated data stays in /tmp; the workspace is a
//! temporary folder removed at the end.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use dossierkluis::crypto;
use dossierkluis::intake::{IngestOptions, StageTimings};
use dossierkluis::text::Extractor;
use dossierkluis::workspace::{self, InitOptions, Settings, Workspace};

const BIN: &str = env!("CARGO_BIN_EXE_dossierkluis");

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn drop_files(drop: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(drop)
        .min_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    v.sort();
    v
}

/// Read + decrypt + extract every file with `jobs` workers; the work done and its wall time.
fn extraction_alone(files: &[PathBuf], identity: &Path, jobs: usize) -> StageTimings {
    let identity = crypto::load_identity(identity).expect("identity");
    let limits = Settings::default().text_limits();
    let max = limits.max_bytes;
    let extractor = Extractor::with_exe(PathBuf::from(BIN), limits);
    let next = AtomicUsize::new(0);
    let total = Mutex::new(StageTimings::default());
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                let mut t = StageTimings::default();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(path) = files.get(i) else { break };
                    let t0 = Instant::now();
                    let ct = std::fs::read(path).expect("read");
                    let t1 = Instant::now();
                    let Ok(plain) = crypto::open(&identity, &ct, max) else {
                        continue;
                    };
                    let t2 = Instant::now();
                    let Ok(ex) = extractor.extract(&plain) else {
                        continue;
                    };
                    let t3 = Instant::now();
                    t.read += t1 - t0;
                    t.decrypt += t2 - t1;
                    t.extract += t3 - t2;
                    t.documents += 1;
                    t.pages += ex.page_starts.len();
                    t.ciphertext_bytes += ct.len() as u64;
                    t.plaintext_bytes += plain.len() as u64;
                    t.text_bytes += ex.text.len() as u64;
                }
                total.lock().unwrap_or_else(|e| e.into_inner()).add(&t);
            });
        }
    });
    let mut t = total.into_inner().unwrap_or_else(|e| e.into_inner());
    t.wall = start.elapsed();
    t.jobs = jobs;
    t
}

/// A fresh workspace with the drop copied in, ingested once with `jobs` workers.
fn pipeline(drop: &Path, identity: &Path, jobs: usize) -> StageTimings {
    let dir = tempfile::Builder::new()
        .prefix("dk-e2e-ws")
        .tempdir_in("/tmp")
        .expect("tempdir");
    let root = dir.path().join("ws");
    workspace::init(
        &root,
        &InitOptions {
            identity: Some(identity.to_path_buf()),
            settle_seconds: Some(0),
            ..InitOptions::default()
        },
    )
    .expect("init");
    let ws = Workspace::open(&root).expect("open");
    for f in drop_files(drop) {
        let rel = f.strip_prefix(drop).expect("under drop");
        let dest = ws.drop_dir().join(rel);
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&f, &dest).expect("copy");
    }
    let opts = IngestOptions {
        extractor_exe: Some(PathBuf::from(BIN)),
        jobs: Some(jobs),
        ..IngestOptions::default()
    };
    let s = dossierkluis::intake::ingest(&ws, &opts).expect("ingest");
    assert_eq!(s.quarantined, 0, "{s}");
    s.timings
}

fn rate(t: &StageTimings) -> String {
    let secs = t.wall.as_secs_f64().max(1e-9);
    format!(
        "{:>7.2} s  {:>8.1} pages/s  {:>6.2} MB/s age files  {:>6.2} MB/s text",
        secs,
        t.pages as f64 / secs,
        t.ciphertext_bytes as f64 / 1e6 / secs,
        t.text_bytes as f64 / 1e6 / secs,
    )
}

fn main() {
    let (Some(drop), Some(identity)) = (arg("--drop"), arg("--identity")) else {
        eprintln!("e2e: give --drop DIR --identity FILE (see benches/e2e.rs); skipped");
        return;
    };
    let jobs: usize = arg("--jobs").and_then(|j| j.parse().ok()).unwrap_or(1);
    let (drop, identity) = (PathBuf::from(drop), PathBuf::from(identity));
    let files = drop_files(&drop);
    // Warm the page cache and the binary once, then measure both passes in this run.
    let _ = extraction_alone(&files, &identity, jobs);
    let ex = extraction_alone(&files, &identity, jobs);
    let pl = pipeline(&drop, &identity, jobs);
    assert_eq!(
        ex.documents, pl.documents,
        "both passes must see the same documents"
    );
    println!(
        "{} documents, {} pages; {:.2} MB age files, {:.2} MB decrypted, {:.2} MB extracted text; {jobs} job(s)",
        pl.documents,
        pl.pages,
        pl.ciphertext_bytes as f64 / 1e6,
        pl.plaintext_bytes as f64 / 1e6,
        pl.text_bytes as f64 / 1e6,
    );
    println!("extraction alone (read+decrypt+extract): {}", rate(&ex));
    println!("pipeline, drop/ to indexed:              {}", rate(&pl));
    let total: Duration = pl.stages().iter().map(|(_, d)| *d).sum();
    println!(
        "pipeline stages (time summed over {} worker(s): {:.2} s):",
        pl.jobs,
        total.as_secs_f64()
    );
    for (name, d) in pl.stages() {
        println!(
            "  {name:<13}{:>8.3} s {:>5.1}%",
            d.as_secs_f64(),
            100.0 * d.as_secs_f64() / total.as_secs_f64().max(1e-9)
        );
    }
    let ratio = pl.wall.as_secs_f64() / ex.wall.as_secs_f64().max(1e-9);
    println!("RATIO {ratio:.2} (pipeline / extraction alone, wall time, target <= 3)");
    println!(
        "PAGES_PER_S {:.1} MB_PER_S_AGE {:.3} JOBS {jobs}",
        pl.pages as f64 / pl.wall.as_secs_f64().max(1e-9),
        pl.ciphertext_bytes as f64 / 1e6 / pl.wall.as_secs_f64().max(1e-9)
    );
}
