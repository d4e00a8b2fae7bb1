//! Faults of the machine during ingest (issue #7, part 2): a full disk, a read-only store/, an
//! index commit that fails, and a vault that cannot be decrypted.
//!
//! Each fault runs in two forms where the machine allows it: injected through
//! `intake::FaultInjector` (always runs, also in CI), and for real through the command line (a
//! small tmpfs that fills up, read-only bind mounts of store/ and index/; skipped with a message
//! where `mount` is not permitted). The vault fault is always real (a vault key file sealed to
//! another key, or cut off).
//!
//! After every fault: the error is one line without personal data (exit code 1 from the CLI);
//! every drop file is still in drop/ with its bytes, or quarantined with a reason, or completely
//! processed (listed in its case's manifest and archived); every manifest lists only documents
//! whose text and metadata are in store/; the index holds no more documents than the manifests
//! list; no temporary file is left; the audit chain verifies. The next ingest without the fault
//! then completes everything: drop/ empty, the same store/, archive/ and quarantine as a run
//! that never saw the fault, the index in line with store/, every stored document with its
//! received/stored/archived events.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use dossierkluis::crypto;
use dossierkluis::intake::{FaultInjector, FaultPoint, IngestOptions, IntakeError};
use dossierkluis::workspace::Workspace;

/// Strings that must never appear in an error: case references, file names, client names.
const PERSONAL: [&str; 10] = [
    "ZAAK",
    "NOORD",
    "ZUID",
    "intake",
    "verslag",
    "brief",
    "Wijdeveld",
    "Sanne",
    "Hoogendijk",
    "Brouwer",
];

/// A workspace with three cases (one with a corpus PDF when ../shared is there), a file that
/// is not age and a file outside any case folder. Returns it and its drop files (relative path
/// -> bytes).
fn base(dir: &Path) -> (Workspace, BTreeMap<String, Vec<u8>>) {
    let ws = new_ws(dir);
    seal_into(
        &ws,
        "ZAAK-NOORD",
        "intake.txt.age",
        report("Sanne Wijdeveld", "Sanne Wijdeveld sliep slecht.").as_bytes(),
    );
    seal_into(
        &ws,
        "ZAAK-NOORD",
        "verslag.txt.age",
        report("Sanne Wijdeveld", "Overleg met haar broer Koen Wijdeveld.").as_bytes(),
    );
    seal_into(
        &ws,
        "ZAAK-ZUID",
        "brief.txt.age",
        report("Ilse Hoogendijk", "Zij ging naar de dagbesteding.").as_bytes(),
    );
    put(&ws, "ZAAK-ZUID", "kapot.age", b"dit is geen age-bestand");
    seal_into(
        &ws,
        "ZAAK-OOST",
        "verslag.txt.age",
        report("Tom Brouwer", "Een rustige week.").as_bytes(),
    );
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/dev/C001/01-indicatiebesluit.pdf");
    if let Ok(bytes) = std::fs::read(&pdf) {
        seal_into(&ws, "ZAAK-OOST", "besluit.pdf.age", &bytes);
    }
    let stray = crypto::seal(&ws.recipient().unwrap(), b"los bestand").unwrap();
    std::fs::write(ws.drop_dir().join("los.age"), stray).unwrap();
    let files = snapshot(&ws.drop_dir(), &[])
        .into_iter()
        .filter(|(k, _)| !k.ends_with('/'))
        .collect();
    (ws, files)
}

#[derive(Debug)]
enum Fault {
    /// Every write, audit event and index commit from the `n`-th on fails with ENOSPC.
    DiskFull(usize),
    /// Every write under this folder fails with EROFS.
    ReadOnly(PathBuf),
    /// The index commit fails with EIO.
    IndexCommit,
}

#[derive(Debug)]
struct Inject {
    fault: Fault,
    seen: AtomicUsize,
}

impl FaultInjector for Inject {
    fn check(&self, point: FaultPoint<'_>) -> std::io::Result<()> {
        let fail = match (&self.fault, point) {
            (Fault::DiskFull(n), _) => self.seen.fetch_add(1, Ordering::SeqCst) >= *n,
            (Fault::ReadOnly(dir), FaultPoint::Write(p)) => p.starts_with(dir),
            (Fault::IndexCommit, FaultPoint::IndexCommit) => true,
            _ => false,
        };
        let errno = match self.fault {
            Fault::DiskFull(_) => libc::ENOSPC,
            Fault::ReadOnly(_) => libc::EROFS,
            Fault::IndexCommit => libc::EIO,
        };
        if fail {
            Err(std::io::Error::from_raw_os_error(errno))
        } else {
            Ok(())
        }
    }
}

fn with_fault(fault: Fault, jobs: usize) -> (IngestOptions, Arc<Inject>) {
    let inject = Arc::new(Inject {
        fault,
        seen: AtomicUsize::new(0),
    });
    let opts = IngestOptions {
        jobs: Some(jobs),
        faults: Some(inject.clone()),
        ..opts()
    };
    (opts, inject)
}

/// The error as the command line prints it.
fn cli_text(e: IntakeError) -> String {
    dossierkluis::cli::one_line(&anyhow::Error::from(e))
}

fn assert_clear_error(text: &str, expect: &str) {
    assert!(!text.is_empty() && !text.contains('\n'), "{text:?}");
    assert!(text.contains(expect), "{text}");
    for p in PERSONAL {
        assert!(!text.contains(p), "personal data {p:?} in {text}");
    }
}

/// Every manifest of store/ (case folder -> sha -> doc id).
fn manifests(ws: &Workspace) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for p in files_under(&ws.store_dir()) {
        if p.file_name() == Some(OsStr::new("manifest.json")) {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            let docs = v["documents"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            let case = p.parent().unwrap().file_name().unwrap();
            out.insert(case.to_string_lossy().into_owned(), docs);
        }
    }
    out
}

/// The state a fault may leave: see the module documentation.
fn assert_consistent_after_fault(ws: &Workspace, drop_files: &BTreeMap<String, Vec<u8>>) {
    let manifests = manifests(ws);
    let listed: BTreeSet<&String> = manifests.values().flat_map(|m| m.keys()).collect();
    for (rel, bytes) in drop_files {
        let sha = crypto::sha256_hex(bytes);
        match std::fs::read(ws.drop_dir().join(rel)) {
            Ok(now) => assert_eq!(&now, bytes, "drop file changed"),
            Err(_) => {
                let quarantined = ws.quarantine_dir().join(format!("{sha}.age")).is_file()
                    && ws
                        .quarantine_dir()
                        .join(format!("{sha}.reason.json"))
                        .is_file();
                let archived = files_under(&ws.archive_dir())
                    .iter()
                    .any(|p| p.file_name() == Some(OsStr::new(&format!("{sha}.age"))));
                assert!(
                    quarantined || (archived && listed.contains(&sha)),
                    "a drop file vanished without being quarantined or processed"
                );
            }
        }
    }
    let mut committed = 0u64;
    for (case, docs) in &manifests {
        let dir = ws.store_dir().join(case).join("docs");
        for id in docs.values() {
            let text = std::fs::read_to_string(dir.join(format!("{id}.txt"))).unwrap();
            assert!(!text.is_empty());
            let meta: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap(),
            )
            .unwrap();
            assert_eq!(meta["doc_id"], id.as_str());
            committed += 1;
        }
    }
    if let Ok(ix) = dossierkluis::index::CaseIndex::open(ws) {
        assert!(
            ix.num_docs().unwrap() <= committed,
            "uncommitted documents in the index"
        );
    }
    for p in files_under(ws.root()) {
        let name = p.file_name().unwrap().to_string_lossy();
        assert!(!name.contains(".dk-tmp-"), "temporary file left: {name}");
    }
    for p in files_under(&ws.quarantine_dir()) {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(id) = name.strip_suffix(".age") {
            assert!(ws
                .quarantine_dir()
                .join(format!("{id}.reason.json"))
                .is_file());
        }
    }
    dossierkluis::audit::verify(&ws.audit_log_path()).unwrap();
}

/// What a run without faults produced: store/, archive/ and the quarantine's file names.
struct Reference {
    store: BTreeMap<String, Vec<u8>>,
    archive: BTreeMap<String, Vec<u8>>,
    quarantine: BTreeSet<String>,
    documents: u64,
}

fn outcome(ws: &Workspace) -> Reference {
    let quarantine = files_under(&ws.quarantine_dir())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    Reference {
        store: snapshot(&ws.store_dir(), &[]),
        archive: snapshot(&ws.archive_dir(), &[]),
        quarantine,
        documents: manifests(ws).values().map(|m| m.len() as u64).sum(),
    }
}

/// The next ingest without the fault completes the work, as if there had been no fault.
fn assert_recovers(ws: &Workspace, reference: &Reference) {
    let s = dossierkluis::intake::ingest(ws, &opts()).unwrap();
    assert_eq!(s.skipped, 0, "{s}");
    assert!(files_under(&ws.drop_dir()).is_empty(), "drop/ not empty");
    let got = outcome(ws);
    assert!(
        got.store == reference.store,
        "store/ differs from a run without the fault"
    );
    assert!(got.archive == reference.archive, "archive/ differs");
    assert_eq!(got.quarantine, reference.quarantine);
    dossierkluis::audit::verify(&ws.audit_log_path()).unwrap();
    let events = dossierkluis::audit::read_events(&ws.audit_log_path()).unwrap();
    let missing = dossierkluis::audit::report::missing_ingest_events(ws, &events).unwrap();
    assert!(
        missing.is_empty(),
        "documents without their events: {missing:?}"
    );
    let ix = dossierkluis::index::CaseIndex::open(ws).unwrap();
    assert_eq!(ix.num_docs().unwrap(), reference.documents);
    drop(ix);
    let r = dossierkluis::index::repair(ws).unwrap();
    assert_eq!(
        r,
        dossierkluis::index::RepairReport::default(),
        "index not in line with store/"
    );
}

fn reference_run(dir: &Path, base_ws: &Workspace) -> (Reference, usize) {
    let ws = copy_ws(base_ws, &dir.join("reference"));
    let (opts, inject) = with_fault(Fault::DiskFull(usize::MAX), 1);
    let s = dossierkluis::intake::ingest(&ws, &opts).unwrap();
    assert_eq!(s.quarantined, 2, "{s}");
    (outcome(&ws), inject.seen.load(Ordering::SeqCst))
}

// ------------------------------------------------------------------ injected

#[test]
fn a_full_disk_at_any_write_loses_nothing_and_the_next_ingest_completes() {
    let dir = tempfile::tempdir().unwrap();
    let (base_ws, drop_files) = base(dir.path());
    let (reference, points) = reference_run(dir.path(), &base_ws);
    assert!(points > 20, "{points} fault points");
    eprintln!("{points} fault points");
    // Every point with one job (the order is fixed), and a few with two jobs at once.
    let mut runs: Vec<(usize, usize)> = (0..points).map(|n| (n, 1)).collect();
    runs.extend([(0, 2), (points / 3, 2), (points / 2, 2), (points - 1, 2)]);
    for (n, jobs) in runs {
        let ws = copy_ws(&base_ws, &dir.path().join(format!("full-{n}-{jobs}")));
        let (opts, _) = with_fault(Fault::DiskFull(n), jobs);
        let err = dossierkluis::intake::ingest(&ws, &opts).expect_err("the disk was full");
        assert_clear_error(&cli_text(err), "No space left on device");
        assert_consistent_after_fault(&ws, &drop_files);
        assert_recovers(&ws, &reference);
    }
}

#[test]
fn a_read_only_store_keeps_the_files_in_drop_and_the_next_ingest_completes() {
    let dir = tempfile::tempdir().unwrap();
    let (base_ws, drop_files) = base(dir.path());
    let (reference, _) = reference_run(dir.path(), &base_ws);
    for jobs in [1, 2] {
        let ws = copy_ws(&base_ws, &dir.path().join(format!("ro-{jobs}")));
        let (opts, _) = with_fault(Fault::ReadOnly(ws.store_dir()), jobs);
        let err = dossierkluis::intake::ingest(&ws, &opts).expect_err("store/ was read-only");
        assert_clear_error(&cli_text(err), "Read-only file system");
        assert_consistent_after_fault(&ws, &drop_files);
        // Nothing could be stored, so every good file is still waiting in drop/.
        assert!(manifests(&ws).is_empty());
        assert!(files_under(&ws.archive_dir()).is_empty());
        assert_recovers(&ws, &reference);
    }
}

#[test]
fn a_failed_index_commit_is_repaired_by_the_next_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let (base_ws, drop_files) = base(dir.path());
    let (reference, _) = reference_run(dir.path(), &base_ws);
    let ws = copy_ws(&base_ws, &dir.path().join("index"));
    let (opts, _) = with_fault(Fault::IndexCommit, 2);
    let err = dossierkluis::intake::ingest(&ws, &opts).expect_err("the commit failed");
    assert_clear_error(&cli_text(err), "Input/output error");
    assert_consistent_after_fault(&ws, &drop_files);
    // store/ is the truth and complete; the index missed the commit and holds nothing yet.
    assert_eq!(outcome(&ws).store, reference.store);
    let ix = dossierkluis::index::CaseIndex::open(&ws).unwrap();
    assert_eq!(ix.num_docs().unwrap(), 0);
    drop(ix);
    assert_recovers(&ws, &reference);
    let events = dossierkluis::audit::read_events(&ws.audit_log_path()).unwrap();
    assert!(events.iter().any(|e| e["kind"] == "index_repaired"));
}

// ------------------------------------------------------------------ real

/// A vault key sealed to another identity, and one cut off: ingest refuses before it touches
/// anything; with the vault key back, the next ingest completes.
#[test]
fn a_vault_that_cannot_be_decrypted_stops_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (base_ws, drop_files) = base(dir.path());
    let (reference, _) = reference_run(dir.path(), &base_ws);
    let other = crypto::generate_identity().to_public();
    let vault_key = base_ws.vault_dir().join("pseudo-key.age");
    let good = std::fs::read(&vault_key).unwrap();
    let variants: [(&str, Vec<u8>); 2] = [
        ("other", crypto::seal(&other, &[7u8; 32]).unwrap()),
        ("cut", good[..good.len() / 2].to_vec()),
    ];
    for (name, bad) in variants {
        let ws = copy_ws(&base_ws, &dir.path().join(format!("vault-{name}")));
        let key_path = ws.vault_dir().join("pseudo-key.age");
        std::fs::write(&key_path, &bad).unwrap();
        let before = snapshot(ws.root(), &[]);
        let (code, stdout, stderr) = run_bin(&[OsStr::new("ingest"), ws.root().as_os_str()]);
        assert_eq!(code, 1, "{stdout}{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert_clear_error(stderr.trim_end(), "vault key could not be opened");
        // Nothing changed but the lock file.
        let after = snapshot(ws.root(), &[]);
        let changed: Vec<&String> = after
            .keys()
            .filter(|k| before.get(*k) != after.get(*k))
            .collect();
        assert!(
            changed.iter().all(|k| k.as_str() == ".ingest.lock"),
            "{changed:?}"
        );
        assert_consistent_after_fault(&ws, &drop_files);
        std::fs::write(&key_path, &good).unwrap();
        assert_recovers(&ws, &reference);
    }
}

/// Unmounts (lazily) when dropped, also when a test fails.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Runs `mount ARGS... target`; `None` (with a message) where mounting is not permitted.
fn mount(args: &[&str], target: &Path) -> Option<Mounted> {
    let out = Command::new("mount").args(args).arg(target).output().ok()?;
    if out.status.success() {
        Some(Mounted(target.to_path_buf()))
    } else {
        eprintln!(
            "SKIPPED: mount {args:?} is not permitted here ({}); the injected variant covers this fault",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        None
    }
}

/// store/ or index/ made read-only by a read-only bind mount of the folder onto itself.
fn read_only(dir: &Path) -> Option<Mounted> {
    let bound = mount(&["--bind", &dir.to_string_lossy()], dir)?;
    let out = Command::new("mount")
        .args(["-o", "remount,bind,ro"])
        .arg(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!("SKIPPED: a read-only remount is not permitted here; the injected variant covers this fault");
        return None; // `bound` unmounts
    }
    Some(bound)
}

fn cli_ingest(ws: &Workspace) -> (i32, String, String) {
    run_bin(&[OsStr::new("ingest"), ws.root().as_os_str()])
}

fn assert_cli_fault(out: &(i32, String, String), expect: &str) {
    let (code, stdout, stderr) = out;
    eprintln!("exit {code}: {}", stderr.trim());
    assert_eq!(*code, 1, "{stdout}{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("dossierkluis: "), "{stderr}");
    assert_clear_error(stderr.trim_end(), expect);
}

#[test]
fn real_full_disk_on_a_small_tmpfs() {
    let dir = tempfile::tempdir().unwrap();
    let (base_ws, drop_files) = base(dir.path());
    let (reference, _) = reference_run(dir.path(), &base_ws);
    let mnt = dir.path().join("tmpfs");
    std::fs::create_dir_all(&mnt).unwrap();
    let Some(_mounted) = mount(&["-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs"], &mnt) else {
        return;
    };
    let mut failed = 0;
    // Free space left on the disk: from nothing to enough for part of the outputs.
    for slack in [0u64, 4096, 16 * 1024, 64 * 1024, 256 * 1024] {
        let ws_dir = mnt.join("ws");
        let _ = std::fs::remove_dir_all(&ws_dir);
        let _ = std::fs::remove_file(mnt.join("filler"));
        let ws = copy_ws(&base_ws, &ws_dir);
        // Fill the disk, then give back `slack` bytes.
        let filler = mnt.join("filler");
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&filler).unwrap();
            let chunk = vec![0u8; 64 * 1024];
            loop {
                match f.write(&chunk) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if e.raw_os_error() == Some(libc::ENOSPC) => break,
                    Err(e) => panic!("{e}"),
                }
            }
            let _ = f.sync_all();
            let len = f.metadata().unwrap().len();
            f.set_len(len.saturating_sub(slack)).unwrap();
        }
        let out = cli_ingest(&ws);
        eprintln!("{slack} bytes free: exit {}, {}", out.0, out.2.trim());
        if out.0 != 0 {
            failed += 1;
            assert_cli_fault(&out, "No space left on device");
        }
        assert_consistent_after_fault(&ws, &drop_files);
        std::fs::remove_file(&filler).unwrap();
        assert_recovers(&ws, &reference);
    }
    assert!(failed >= 1, "the full disk never made ingest fail");
}

#[test]
fn real_read_only_store_by_a_bind_mount() {
    let dir = tempfile::tempdir().unwrap();
    let (base_ws, drop_files) = base(dir.path());
    let (reference, _) = reference_run(dir.path(), &base_ws);
    let ws = copy_ws(&base_ws, &dir.path().join("ws-ro-store"));
    let Some(mounted) = read_only(&ws.store_dir()) else {
        return;
    };
    assert_cli_fault(&cli_ingest(&ws), "Read-only file system");
    assert_consistent_after_fault(&ws, &drop_files);
    assert!(manifests(&ws).is_empty());
    drop(mounted);
    assert_recovers(&ws, &reference);
}

#[test]
fn real_read_only_index_by_a_bind_mount() {
    let dir = tempfile::tempdir().unwrap();
    let (base_ws, drop_files) = base(dir.path());
    let (reference, _) = reference_run(dir.path(), &base_ws);
    let ws = copy_ws(&base_ws, &dir.path().join("ws-ro-index"));
    // An index exists (as after earlier runs); then index/ turns read-only.
    dossierkluis::index::repair(&ws).unwrap();
    let Some(mounted) = read_only(&ws.index_dir()) else {
        return;
    };
    assert_cli_fault(&cli_ingest(&ws), "Read-only file system");
    // (Checked once writable again: tantivy takes a lock file even to read.)
    drop(mounted);
    assert_consistent_after_fault(&ws, &drop_files);
    assert_recovers(&ws, &reference);
}
