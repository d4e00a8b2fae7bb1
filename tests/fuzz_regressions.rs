//! Replays, on stable and without libFuzzer, every input the fuzz targets ever crashed on
//! (`tests/fuzz-regressions/<target>/`) and the hand-written seed corpora
//! (`fuzz/seeds/<target>/`) through the same checks the fuzz targets run (`fuzz/src/lib.rs`,
//! included here as a module). See `fuzz/README.md`.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use dossierkluis::text::{extract_in_process, ExtractError};

type Check = fn(&[u8]);

const TARGETS: [(&str, Check); 6] = [
    ("extract", harness::extract_any),
    ("extract_pdf", harness::extract_pdf),
    ("extract_docx", harness::extract_docx),
    ("age_open", harness::age_open),
    ("deidentify", harness::deidentify),
    ("deidentify_names", harness::deidentify_names),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The input files of one folder, sorted (a missing folder has none).
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "py" && e != "md"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn replay(dir: &Path, check: Check) -> usize {
    let files = inputs(dir);
    for f in &files {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        eprintln!("replaying {}", f.display());
        bounded(&f.display().to_string(), move || check(&data));
    }
    files.len()
}

/// Runs `f` on its own thread and fails (instead of hanging) when it takes longer than two
/// minutes: some kept inputs were hangs.
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
    });
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(Ok(v)) => v,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("{what}: still running after 120 s (a hang)"),
    }
}

fn target(name: &str) -> Check {
    TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| *c)
        .unwrap_or_else(|| panic!("unknown fuzz target {name}"))
}

#[test]
fn every_regression_folder_names_a_target() {
    let dir = root().join("tests/fuzz-regressions");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        if !entry.path().is_dir() {
            continue;
        }
        let name = entry.file_name().into_string().unwrap();
        assert!(
            TARGETS.iter().any(|(n, _)| *n == name),
            "tests/fuzz-regressions/{name} is not a fuzz target"
        );
    }
}

#[test]
fn seed_corpora_pass_every_check() {
    for (name, check) in TARGETS {
        let n = replay(&root().join("fuzz/seeds").join(name), check);
        assert!(n > 0, "fuzz/seeds/{name} has no seeds");
    }
}

macro_rules! regressions {
    ($($test:ident => $target:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            replay(&root().join("tests/fuzz-regressions").join($target), target($target));
        }
    )*};
}

regressions! {
    extract_regressions => "extract",
    extract_pdf_regressions => "extract_pdf",
    extract_docx_regressions => "extract_docx",
    age_open_regressions => "age_open",
    deidentify_regressions => "deidentify",
    deidentify_names_regressions => "deidentify_names",
}

#[test]
fn panics_in_our_code_are_not_contained() {
    let caught = std::panic::catch_unwind(|| harness::contained(|| panic!("our bug")));
    assert!(
        caught.is_err(),
        "a panic outside registry crates must propagate"
    );
    assert_eq!(harness::contained(|| 5), Some(5));
    assert!(harness::is_third_party(
        "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/lopdf-0.42.0/src/parser.rs"
    ));
    assert!(!harness::is_third_party("src/text/pdf.rs"));
    assert!(!harness::is_third_party(
        "/work/dossierkluis/src/text/pdf.rs"
    ));
}

#[test]
fn the_name_oracle_measures_gapless_coverage() {
    use dossierkluis::pseudo::{Category, Span};
    let span = |start, end| Span {
        start,
        end,
        category: Category::Naam,
        role: None,
        replacement: "[X]".into(),
        rule: "test",
    };
    // "Cliënt: Anna Jansen": the name is bytes 9..20.
    assert_eq!(harness::covered_from(&[span(9, 20)], 9), 20);
    assert_eq!(
        harness::covered_from(&[span(0, 3), span(9, 13), span(14, 20)], 9),
        13
    );
    assert_eq!(harness::covered_from(&[span(8, 12), span(12, 20)], 9), 20);
    assert_eq!(harness::covered_from(&[span(10, 20)], 9), 9);
    // And the oracle passes on plain seeds: list names after "Cliënt: " are replaced.
    harness::deidentify_names(&[0, 0, 0, 0, 0, 0]);
    harness::deidentify_names(&[255, 255, 255, 255, 1, 255, b'x']);
}

#[test]
fn a_page_that_is_its_own_parent_is_refused_at_once() {
    // pdf-extract walks /Parent to inherit /Resources; this page is its own parent and has none.
    let path = root().join("tests/fuzz-regressions/extract_pdf/page-own-parent-hang-8599430e");
    let data = std::fs::read(path).unwrap();
    let result = bounded("own-parent PDF", move || {
        extract_in_process(&data, &harness::fuzz_limits())
    });
    assert_eq!(
        result.map(|_| ()),
        Err(ExtractError::Extract {
            reason: "PDF page tree has a cycle".into()
        })
    );
}
