//! Throughput of the de-identifier on one core: MB of text per second over whole cases, as
//! `deidentify --case` processes them, without process start-up (that is what the scorer's
//! own timing adds on top). Uses the shared dev corpus when it is beside the repository, else
//! the bundled demo dossiers.
//!
//! Run: `cargo bench --bench deid` (add `-- --passes N` for more passes). The comparison with
//! deduce on the same texts is `scripts/bench-deid.sh`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use dossierkluis::pseudo::{Document, Engine, PseudoKey};

// The allocator of the `dossierkluis` binary, so that the benchmark measures what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn cases(root: &Path) -> Vec<Vec<Document>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                // the corpus's drop/ and keys/ folders are not cases
                .filter(|p| !p.ends_with("drop") && !p.ends_with("keys"))
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    let mut out = Vec::new();
    for d in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        let docs: Vec<Document> = files
            .iter()
            .filter_map(|f| {
                Some(Document {
                    name: f.file_name()?.to_string_lossy().into_owned(),
                    text: std::fs::read_to_string(f).ok()?,
                })
            })
            .collect();
        if !docs.is_empty() {
            out.push(docs);
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let passes: usize = args
        .iter()
        .position(|a| a == "--passes")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../shared/corpus/dev");
    let (label, root) = if shared.join("manifest.json").exists() {
        ("shared dev corpus", shared)
    } else {
        ("bundled demo dossiers", manifest.join("demo"))
    };
    let cases = cases(&root);
    let bytes: usize = cases.iter().flatten().map(|d| d.text.len()).sum();
    let docs: usize = cases.iter().map(Vec::len).sum();
    let t0 = Instant::now();
    let engine = match Engine::load_default() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot load rules: {e}");
            std::process::exit(1);
        }
    };
    let load = t0.elapsed().as_secs_f64();
    let key = PseudoKey([42; 32]);
    // Warm-up: the lazily compiled patterns, and a second of work so that the processor has
    // left its idle clock (on this project's machines a pass run straight after idling took
    // half as long again as one run after a second of work, which made runs differ by 1.5x).
    let warm = Instant::now();
    while warm.elapsed().as_secs_f64() < 1.0 {
        for c in &cases {
            let _ = engine.deidentify_case(&key, c);
        }
    }
    let mut times = Vec::with_capacity(passes);
    for _ in 0..passes {
        let t = Instant::now();
        for c in &cases {
            let _ = std::hint::black_box(engine.deidentify_case(&key, c));
        }
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
    let mb = bytes as f64 / 1e6;
    println!(
        "deid bench ({label}): {} cases, {docs} documents, {mb:.3} MB of text, one thread",
        cases.len()
    );
    println!("rules load: {:.1} ms", load * 1e3);
    println!(
        "median pass: {:.1} ms over {passes} passes (min {:.1}, max {:.1}) = {:.2} MB/s, {:.0} documents/s",
        median * 1e3,
        times.first().copied().unwrap_or(f64::NAN) * 1e3,
        times.last().copied().unwrap_or(f64::NAN) * 1e3,
        mb / median,
        docs as f64 / median
    );
    println!("MBPS {:.4}", mb / median);
}
