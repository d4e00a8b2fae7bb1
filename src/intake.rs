//! Intake: walks drop/, and drives each file from ciphertext to stored pseudonymised text, or
//! to quarantine/ with a reason. Also the provider side (`seal`).
//!
//! A case is the first folder level under drop/ (the provider's case reference). When a case
//! has new files, all its documents (new and archived) are opened and pseudonymised together,
//! so an entity found in one document is replaced in all, and the case's outputs are rewritten.
//! Order for crash safety: the outputs and the ciphertexts' archive copies (durable, written
//! together with one fsync round), then the manifest (the commit point of the case in store/),
//! then the case's documents into the run's index batch, then removal from drop/. A file whose
//! hash is already in the manifest and archive is a duplicate and only removed; an archive
//! copy without a manifest entry marks nothing as processed. The index batch is committed once
//! at the end of the run; when that fails, the next run's index repair indexes the stored
//! cases. Audit events of a case are appended in a few batches (one fsync each).
//!
//! Parallelism: cases are independent, so a run processes different cases on `jobs` worker
//! threads (std scoped threads pulling from one queue; no thread-pool crate). Shared by the
//! workers: the audit log (one mutex, so events are appended one at a time and the chain stays
//! valid; the events of one case keep their order), the index batch (one tantivy writer), and
//! the read-only keys, extractor and engine. The outputs of a case depend only on its own
//! documents and the key, so store/ is the same for any number of jobs.
//!
//! Faults: any error writing the workspace (disk full, read-only file system, failed index
//! commit) stops the run with one error; what was not finished stays in drop/ and is done by
//! the next run. Tests inject such errors through [`FaultInjector`].
//!
//! Owns: the ingest lock's critical section, quarantine, store/ and vault/cases/ outputs, and
//! the ingest audit events. Must never: write plaintext or a provider's file name or case
//! reference anywhere (names are keyed hashes in the audit log and in errors; cases are case
//! ids), follow a symlink, or remove a drop file before its outputs and archive copy are
//! durable.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::io::{IsTerminal, Read};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use rand::RngCore;
use serde_json::{json, Value};
use zeroize::Zeroize;

use crate::audit::{AuditError, AuditLog};
use crate::crypto::{self, Identity, Recipient};
use crate::pseudo::{CaseFacts, Deidentified, Document, Engine, PseudoKey};
use crate::text::{Extracted, Extractor};
use crate::workspace::{self, io_err, Workspace, WorkspaceError};

/// Errors that stop an ingest run (a bad file never does: it goes to quarantine).
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Audit(#[from] AuditError),
    #[error(transparent)]
    Key(#[from] crypto::KeyError),
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    /// A file in drop/ could not be moved or removed; named by its keyed name hash only (the
    /// provider's file and folder names may hold personal data).
    #[error("drop/ file {name_hmac}: could not {action}: {source}")]
    DropFile {
        action: &'static str,
        name_hmac: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

/// Where ingest asks a [`FaultInjector`] whether to fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPoint<'p> {
    /// A durable write (or a removal) of a file in the workspace by ingest.
    Write(&'p Path),
    /// An audit event about to be appended.
    Audit,
    /// The commit of the run's index batch.
    IndexCommit,
}

/// A test hook: ingest calls [`FaultInjector::check`] before each write, audit event and index
/// commit, and fails there with the returned error, exactly as if the operating system had
/// returned it (ENOSPC, EROFS, ...). Only reachable through the library's [`IngestOptions`]; the
/// command line never sets one.
pub trait FaultInjector: Send + Sync + std::fmt::Debug {
    fn check(&self, point: FaultPoint<'_>) -> std::io::Result<()>;
}

/// Options of an ingest run.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// The executable that runs text extraction in a child process (default: this program).
    pub extractor_exe: Option<PathBuf>,
    /// Show a progress bar (only honoured when stderr is a terminal).
    pub progress: bool,
    /// Cases worked on at once; `None`: the workspace setting ([`crate::workspace::Settings::jobs`]).
    pub jobs: Option<usize>,
    /// Fault injection for tests (see [`FaultInjector`]).
    pub faults: Option<Arc<dyn FaultInjector>>,
}

/// Time spent per stage, summed over the worker threads, and the amount of work, of the
/// documents newly processed in a run (reopened archived documents count in the times, not in
/// the amounts). No personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageTimings {
    /// Reading and hashing the drop files.
    pub read: Duration,
    /// age decryption in memory.
    pub decrypt: Duration,
    /// Text extraction in the child process, as the parent waits for it (start-up included).
    pub extract: Duration,
    /// Pseudonymisation of the case (detection and replacement).
    pub pseudonymise: Duration,
    /// The research record (extraction and schema validation).
    pub research: Duration,
    /// Adding the case to the index, and the index commit.
    pub index: Duration,
    /// Durable writes (fsync included), sealing to the officer, removals from drop/.
    pub write: Duration,
    /// Appending audit events (fsync included).
    pub audit: Duration,
    /// Wall-clock time of the run (scan to index commit).
    pub wall: Duration,
    /// Worker threads used.
    pub jobs: usize,
    /// Newly processed documents and their pages.
    pub documents: usize,
    pub pages: usize,
    /// Bytes of those documents: as delivered (age), decrypted (the PDF, DOCX, ... itself),
    /// and of their extracted text (UTF-8).
    pub ciphertext_bytes: u64,
    pub plaintext_bytes: u64,
    pub text_bytes: u64,
}

impl StageTimings {
    /// Adds the times and amounts of `o` (not its wall time or jobs).
    pub fn add(&mut self, o: &StageTimings) {
        self.read += o.read;
        self.decrypt += o.decrypt;
        self.extract += o.extract;
        self.pseudonymise += o.pseudonymise;
        self.research += o.research;
        self.index += o.index;
        self.write += o.write;
        self.audit += o.audit;
        self.documents += o.documents;
        self.pages += o.pages;
        self.ciphertext_bytes += o.ciphertext_bytes;
        self.plaintext_bytes += o.plaintext_bytes;
        self.text_bytes += o.text_bytes;
    }

    /// The stages as (name, time), in pipeline order.
    pub fn stages(&self) -> [(&'static str, Duration); 8] {
        [
            ("read", self.read),
            ("decrypt", self.decrypt),
            ("extract", self.extract),
            ("pseudonymise", self.pseudonymise),
            ("research", self.research),
            ("index", self.index),
            ("write", self.write),
            ("audit", self.audit),
        ]
    }
}

impl std::fmt::Display for StageTimings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.wall.as_secs_f64().max(1e-9);
        let mb = |b: u64| b as f64 / 1e6;
        writeln!(
            f,
            "{} documents, {} pages ({:.2} MB age files, {:.2} MB decrypted, {:.2} MB text) in \
             {:.2} s with {} job(s): {:.1} pages/s, {:.2} MB/s of age files, {:.2} MB/s of text",
            self.documents,
            self.pages,
            mb(self.ciphertext_bytes),
            mb(self.plaintext_bytes),
            mb(self.text_bytes),
            secs,
            self.jobs,
            self.pages as f64 / secs,
            mb(self.ciphertext_bytes) / secs,
            mb(self.text_bytes) / secs,
        )?;
        let total: f64 = self.stages().iter().map(|(_, d)| d.as_secs_f64()).sum();
        write!(f, "stage time summed over jobs ({total:.2} s):")?;
        for (name, d) in self.stages() {
            let share = 100.0 * d.as_secs_f64() / total.max(1e-9);
            write!(f, "\n  {name:<13}{:>9.3} s {share:>5.1}%", d.as_secs_f64())?;
        }
        Ok(())
    }
}

/// Counts of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    /// Documents newly stored and archived.
    pub processed: usize,
    /// Files moved to quarantine/.
    pub quarantined: usize,
    /// Files left in drop/ for the next run: still being written, or unreadable for now.
    pub skipped: usize,
    /// Of `skipped`: files changed less than the settle time ago (`settle_seconds`), which a
    /// user who has just copied files in is told about, so that "skipped" is no puzzle.
    pub unsettled: usize,
    /// The settle time of this run, in seconds (for that message).
    pub settle_seconds: u64,
    /// Files whose content was already processed (removed from drop/).
    pub duplicates: usize,
    /// Documents left in drop/ because pseudonymisation is not available.
    pub pending: usize,
    /// Why documents are pending (no personal data).
    pub pending_reason: Option<String>,
    /// Cases whose outputs were (re)written.
    pub cases_written: usize,
    /// Where the time went.
    pub timings: StageTimings,
}

impl IngestSummary {
    fn add(&mut self, o: &IngestSummary) {
        self.processed += o.processed;
        self.quarantined += o.quarantined;
        self.skipped += o.skipped;
        self.unsettled += o.unsettled;
        self.settle_seconds = self.settle_seconds.max(o.settle_seconds);
        self.duplicates += o.duplicates;
        self.pending += o.pending;
        if o.pending_reason.is_some() {
            self.pending_reason.clone_from(&o.pending_reason);
        }
        self.cases_written += o.cases_written;
        self.timings.add(&o.timings);
    }
}

impl std::fmt::Display for IngestSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "processed {}, quarantined {}, skipped {}",
            self.processed, self.quarantined, self.skipped
        )?;
        if self.duplicates > 0 {
            write!(f, ", duplicates {}", self.duplicates)?;
        }
        if self.pending > 0 {
            write!(
                f,
                ", pending {}: pseudonymisation engine not available",
                self.pending
            )?;
        }
        if self.unsettled > 0 {
            // Files copied in a moment ago carry a fresh modification time ("cp" without
            // "-p"), and are all skipped: say why.
            write!(
                f,
                "\n{} file(s) in drop/ changed less than {} s ago and may still be being \
                 written: left for the next run",
                self.unsettled, self.settle_seconds
            )?;
        }
        Ok(())
    }
}

/// Processes everything in drop/ once, holding the ingest lock.
pub fn ingest(ws: &Workspace, opts: &IngestOptions) -> Result<IngestSummary, IntakeError> {
    let _lock = ws.lock_ingest()?;
    let mut run = Run::new(ws, opts)?;
    run.repair_index()?;
    run.once()
}

/// Keeps ingesting every `interval` until `stop()` says so; calls `report` after each run that
/// did something.
pub fn watch(
    ws: &Workspace,
    opts: &IngestOptions,
    interval: Duration,
    stop: &dyn Fn() -> bool,
    report: &mut dyn FnMut(&IngestSummary),
) -> Result<(), IntakeError> {
    let _lock = ws.lock_ingest()?;
    let mut run = Run::new(ws, opts)?;
    run.repair_index()?;
    let mut last_pending = usize::MAX;
    while !stop() {
        let s = run.once()?;
        let busy = s.processed + s.quarantined + s.duplicates > 0;
        if busy || s.pending != last_pending {
            report(&s);
        }
        last_pending = s.pending;
        std::thread::sleep(interval);
    }
    Ok(())
}

/// A file in drop/ that looks processable.
struct Candidate {
    path: PathBuf,
    /// Path relative to drop/, as bytes (hashed for the audit log, never written).
    rel: OsString,
    len: u64,
}

/// One document of a case, opened.
struct OpenDoc {
    sha: String,
    doc_id: String,
    /// Bytes of the decrypted document.
    plaintext_len: usize,
    extracted: Extracted,
}

impl Drop for OpenDoc {
    fn drop(&mut self) {
        self.extracted.text.zeroize();
    }
}

/// A new document of a case: its ciphertext, the drop files that hold it (with their name
/// hashes), and its text.
type NewDoc = (Vec<u8>, Vec<(PathBuf, String)>, OpenDoc);

struct Run<'a> {
    ws: &'a Workspace,
    identity: Identity,
    key: PseudoKey,
    officer: Recipient,
    extractor: Extractor,
    engine: Result<Engine, String>,
    audit: Mutex<AuditLog>,
    /// (case, ciphertext hash) of the `archived` events in the audit log, read when a run
    /// first needs it (see [`Run::archived_event_missing`]).
    archived_logged: Mutex<Option<BTreeSet<(String, String)>>>,
    faults: Option<Arc<dyn FaultInjector>>,
    jobs: usize,
    progress: bool,
    last_pending: usize,
}

/// Adds the time `f` takes to `slot`.
fn timed<T>(slot: &mut Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    *slot += start.elapsed();
    out
}

impl<'a> Run<'a> {
    fn new(ws: &'a Workspace, opts: &IngestOptions) -> Result<Run<'a>, IntakeError> {
        let identity = ws.identity()?;
        let key = ws.pseudo_key(&identity)?;
        let officer = ws.officer_recipient()?;
        let limits = ws.settings.text_limits();
        let extractor = match &opts.extractor_exe {
            Some(exe) => Extractor::with_exe(exe.clone(), limits),
            None => Extractor::new(limits).map_err(|e| {
                IntakeError::Invalid(format!("cannot find this program to run extraction: {e}"))
            })?,
        };
        let engine = Engine::load_default().map_err(|e| e.to_string());
        Ok(Run {
            ws,
            identity,
            key,
            officer,
            extractor,
            engine,
            audit: Mutex::new(AuditLog::new(ws.audit_log_path())),
            archived_logged: Mutex::new(None),
            faults: opts.faults.clone(),
            jobs: opts.jobs.unwrap_or_else(|| ws.settings.jobs()).max(1),
            progress: opts.progress && std::io::stderr().is_terminal(),
            last_pending: 0,
        })
    }

    fn inject(&self, point: FaultPoint<'_>) -> std::io::Result<()> {
        match &self.faults {
            Some(f) => f.check(point),
            None => Ok(()),
        }
    }

    /// Appends one audit event.
    fn event(&self, t: &mut StageTimings, kind: &str, fields: Value) -> Result<(), IntakeError> {
        self.events(t, vec![(kind, fields)])
    }

    /// Appends audit events in order with one write and fsync; the workers' appends are
    /// serialised by the mutex (and by the log's file lock against other processes).
    fn events(&self, t: &mut StageTimings, events: Vec<(&str, Value)>) -> Result<(), IntakeError> {
        if events.is_empty() {
            return Ok(());
        }
        let start = Instant::now();
        let result = (|| {
            let mut log = self.audit.lock().unwrap_or_else(|e| e.into_inner());
            for _ in &events {
                self.inject(FaultPoint::Audit)
                    .map_err(|source| AuditError::Io {
                        path: log.path().to_path_buf(),
                        source,
                    })?;
            }
            log.append_many(events)
        })();
        t.audit += start.elapsed();
        Ok(result?)
    }

    /// Appends the buffered events of a case (see `process_case_inner`).
    fn flush(
        &self,
        t: &mut StageTimings,
        buf: &mut Vec<(&'static str, Value)>,
    ) -> Result<(), IntakeError> {
        self.events(t, std::mem::take(buf))
    }

    /// [`workspace::write_durable_many`], timed and open to fault injection.
    fn write_many(
        &self,
        t: &mut StageTimings,
        files: &[(PathBuf, &[u8])],
    ) -> Result<(), IntakeError> {
        let start = Instant::now();
        let result = (|| {
            for (path, _) in files {
                self.inject(FaultPoint::Write(path)).map_err(io_err(path))?;
            }
            let refs: Vec<(&Path, &[u8])> = files.iter().map(|(p, b)| (p.as_path(), *b)).collect();
            workspace::write_durable_many(&refs)
        })();
        t.write += start.elapsed();
        Ok(result?)
    }

    /// [`workspace::write_durable`], timed and open to fault injection.
    fn write(&self, t: &mut StageTimings, path: &Path, bytes: &[u8]) -> Result<(), IntakeError> {
        let start = Instant::now();
        let result = self
            .inject(FaultPoint::Write(path))
            .map_err(io_err(path))
            .and_then(|()| workspace::write_durable(path, bytes));
        t.write += start.elapsed();
        Ok(result?)
    }

    /// Brings the search index in line with store/ (it is derived data; see `index`), and
    /// records a repair in the audit log.
    fn repair_index(&mut self) -> Result<(), IntakeError> {
        let r = crate::index::repair(self.ws)?;
        if r.reindexed + r.removed > 0 || r.rebuilt {
            self.event(
                &mut StageTimings::default(),
                "index_repaired",
                json!({"reindexed_cases": r.reindexed, "removed_cases": r.removed, "rebuilt": r.rebuilt}),
            )?;
        }
        Ok(())
    }

    fn once(&mut self) -> Result<IngestSummary, IntakeError> {
        let started = Instant::now();
        *self
            .archived_logged
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = None;
        workspace::remove_stale_temp_files(self.ws)?;
        let mut summary = IngestSummary::default();
        let cases: Vec<(OsString, Vec<Candidate>)> = self.scan(&mut summary)?.into_iter().collect();
        let total: u64 = cases.iter().map(|(_, v)| v.len() as u64).sum();
        let bar = if self.progress && total > 0 {
            let b = indicatif::ProgressBar::new(total);
            b.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            Some(b)
        } else {
            None
        };
        let jobs = self.jobs.min(cases.len()).max(1);
        summary.timings.jobs = jobs;
        if !cases.is_empty() {
            self.process_cases(&cases, jobs, bar.as_ref(), &mut summary)?;
        }
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        let changed = summary.pending != self.last_pending;
        self.last_pending = summary.pending;
        if summary.processed + summary.quarantined + summary.duplicates > 0
            || (summary.pending > 0 && changed)
        {
            let fields = json!({
                "processed": summary.processed,
                "quarantined": summary.quarantined,
                "skipped": summary.skipped,
                "duplicates": summary.duplicates,
                "pending": summary.pending,
            });
            let mut t = StageTimings::default();
            self.event(&mut t, "ingest_run", fields)?;
            summary.timings.audit += t.audit;
        }
        summary.timings.wall = started.elapsed();
        Ok(summary)
    }

    /// Processes the cases on `jobs` worker threads, then commits the index batch. On an error
    /// the workers stop taking new cases; the first error (in case order) is returned after the
    /// index batch of the cases that did complete is committed.
    fn process_cases(
        &self,
        cases: &[(OsString, Vec<Candidate>)],
        jobs: usize,
        bar: Option<&indicatif::ProgressBar>,
        summary: &mut IngestSummary,
    ) -> Result<(), IntakeError> {
        let ix = crate::index::open_for_writing(self.ws)?;
        let batch = crate::index::Batch::new(self.ws, &ix, jobs)?;
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let results: Mutex<Vec<(usize, Result<IngestSummary, IntakeError>)>> =
            Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for _ in 0..jobs {
                s.spawn(|| loop {
                    if failed.load(Ordering::SeqCst) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((case_ref, files)) = cases.get(i) else {
                        break;
                    };
                    let r = self.process_case(case_ref, files, &batch);
                    if r.is_err() {
                        failed.store(true, Ordering::SeqCst);
                    }
                    if let Some(b) = bar {
                        b.inc(files.len() as u64);
                    }
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((i, r));
                });
            }
        });
        let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
        results.sort_by_key(|(i, _)| *i);
        let mut first_err = None;
        for (_, r) in results {
            match r {
                Ok(s) => summary.add(&s),
                Err(e) => {
                    if first_err.is_none() {
                        first_err = Some(e);
                    }
                }
            }
        }
        let start = Instant::now();
        let committed = if batch.is_empty() {
            Ok(())
        } else {
            self.inject(FaultPoint::IndexCommit)
                .map_err(|source| {
                    IntakeError::Index(crate::index::IndexError::Io {
                        path: self.ws.index_dir(),
                        source,
                    })
                })
                .and_then(|()| Ok(batch.commit()?))
        };
        summary.timings.index += start.elapsed();
        match (first_err, committed) {
            (Some(e), _) => Err(e),
            (None, Err(e)) => Err(e),
            (None, Ok(())) => Ok(()),
        }
    }

    /// Walks drop/ (never following links): quarantines what cannot be a document, skips what
    /// is still being written, and groups the rest by case reference.
    fn scan(
        &self,
        summary: &mut IngestSummary,
    ) -> Result<BTreeMap<OsString, Vec<Candidate>>, IntakeError> {
        let drop = self.ws.drop_dir();
        let settle = Duration::from_secs(self.ws.settings.ingest.settle_seconds);
        let max = self.ws.settings.limits.max_bytes;
        let mut cases: BTreeMap<OsString, Vec<Candidate>> = BTreeMap::new();
        let t = &mut summary.timings;
        let walker = walkdir::WalkDir::new(&drop)
            .min_depth(1)
            .follow_links(false)
            .sort_by_file_name();
        for entry in walker {
            let Ok(entry) = entry else {
                // Unreadable entry (permissions, or vanished while walking): next run.
                summary.skipped += 1;
                continue;
            };
            let path = entry.path().to_path_buf();
            let rel = path
                .strip_prefix(&drop)
                .unwrap_or(&path)
                .as_os_str()
                .to_owned();
            let ft = entry.file_type();
            if ft.is_dir() {
                continue;
            }
            if workspace::is_temp_name(&entry.file_name().to_string_lossy()) {
                // A file being written by `seal` (temporary name, renamed when complete).
                summary.skipped += 1;
                continue;
            }
            if ft.is_symlink() {
                self.quarantine(
                    t,
                    &path,
                    &rel,
                    None,
                    None,
                    "symlink",
                    "a symbolic link in drop/ is never followed; deliver the file itself",
                )?;
                summary.quarantined += 1;
                continue;
            }
            if !ft.is_file() {
                self.quarantine(
                    t,
                    &path,
                    &rel,
                    None,
                    None,
                    "not_regular_file",
                    "not a regular file (device, socket or pipe)",
                )?;
                summary.quarantined += 1;
                continue;
            }
            if entry.depth() == 1 {
                let sha = stream_sha256(&path).ok();
                self.quarantine(t, &path, &rel, sha.as_deref(), None, "no_case_folder", "file directly in drop/: put each case's files in a folder named by the case reference (drop/REF/file.age)")?;
                summary.quarantined += 1;
                continue;
            }
            let meta = match entry.metadata() {
                Ok(m) => m,
                Err(_) => {
                    summary.skipped += 1;
                    continue;
                }
            };
            if !settled(&meta, settle) {
                summary.skipped += 1;
                summary.unsettled += 1;
                summary.settle_seconds = settle.as_secs();
                continue;
            }
            let rel_path = Path::new(&rel);
            if rel_path.components().any(|c| odd_name(c.as_os_str())) {
                let sha = stream_sha256(&path).ok();
                self.quarantine(t, &path, &rel, sha.as_deref(), None, "bad_name", "the file or case folder name contains control, invisible or path characters, or starts with a dot")?;
                summary.quarantined += 1;
                continue;
            }
            if meta.len() == 0 {
                self.quarantine(
                    t,
                    &path,
                    &rel,
                    Some(&crypto::sha256_hex(&[])),
                    None,
                    "empty",
                    "the file is empty (zero bytes)",
                )?;
                summary.quarantined += 1;
                continue;
            }
            if meta.len() > max {
                let sha = stream_sha256(&path).ok();
                let msg = format!("the file has {} bytes, more than the limit of {max} (dossierkluis.toml [limits] max_bytes)", meta.len());
                self.quarantine(t, &path, &rel, sha.as_deref(), None, "too_large", &msg)?;
                summary.quarantined += 1;
                continue;
            }
            let case_ref = rel_path
                .components()
                .next()
                .map(|c| c.as_os_str().to_owned())
                .unwrap_or_default();
            cases.entry(case_ref).or_default().push(Candidate {
                path,
                rel,
                len: meta.len(),
            });
        }
        Ok(cases)
    }

    /// Processes one case (called on a worker thread); returns its counts and times.
    fn process_case(
        &self,
        case_ref: &OsStr,
        files: &[Candidate],
        batch: &crate::index::Batch<'_>,
    ) -> Result<IngestSummary, IntakeError> {
        let mut summary = IngestSummary::default();
        let mut t = StageTimings::default();
        let r = self.process_case_inner(case_ref, files, batch, &mut summary, &mut t);
        summary.timings = t;
        r.map(|()| summary)
    }

    fn process_case_inner(
        &self,
        case_ref: &OsStr,
        files: &[Candidate],
        batch: &crate::index::Batch<'_>,
        summary: &mut IngestSummary,
        t: &mut StageTimings,
    ) -> Result<(), IntakeError> {
        let case_id = crypto::case_id(&self.key, case_ref.as_bytes());
        let store = self.ws.store_dir().join(&case_id);
        let archive = self.ws.archive_dir().join(&case_id);
        let manifest = workspace::read_manifest(&store.join("manifest.json"));
        let max = self.ws.settings.limits.max_bytes;

        // New documents of this case, by ciphertext hash; several drop files may share one.
        let mut new: BTreeMap<String, NewDoc> = BTreeMap::new();
        // Audit events are buffered and appended in batches (one fsync each): before a
        // quarantine, before the outputs are written, and at every way out.
        let mut log: Vec<(&'static str, Value)> = Vec::new();
        // Whether a missed `stored` event of this case was logged late (see
        // `archived_event_missing`).
        let mut stored_late = false;
        for cand in files {
            let name_hmac = crypto::name_hash(&self.key, cand.rel.as_bytes());
            let read = timed(&mut t.read, || read_limited(&cand.path, max));
            let ciphertext = match read {
                Ok(Some(b)) => b,
                Ok(None) => {
                    let sha = stream_sha256(&cand.path).ok();
                    self.flush(t, &mut log)?;
                    self.quarantine(
                        t,
                        &cand.path,
                        &cand.rel,
                        sha.as_deref(),
                        Some(&case_id),
                        "too_large",
                        "the file grew beyond the size limit while it was read",
                    )?;
                    summary.quarantined += 1;
                    continue;
                }
                Err(_) => {
                    // Vanished or unreadable: leave it for the next run.
                    summary.skipped += 1;
                    continue;
                }
            };
            let sha = timed(&mut t.read, || crypto::sha256_hex(&ciphertext));
            // While pseudonymisation is unavailable a good document only waits in drop/; its
            // events are logged when it is processed, so repeated runs do not flood the log.
            let log_all = self.engine.is_ok();
            let received = json!({"case": case_id, "ciphertext_sha256": sha, "bytes": cand.len, "name_hmac": name_hmac});
            if log_all {
                log.push(("received", received.clone()));
            }
            if let Some((_, paths, _)) = new.get_mut(&sha) {
                paths.push((cand.path.clone(), name_hmac));
                continue;
            }
            let archived = archive.join(format!("{sha}.age"));
            if manifest.contains_key(&sha) && archived.is_file() {
                self.flush(t, &mut log)?;
                if self.archived_event_missing(&case_id, &sha) {
                    let mut late: Vec<(&str, Value)> = Vec::new();
                    if !stored_late {
                        late.push((
                            "stored",
                            json!({"case": case_id, "documents": manifest.len(), "recovered": true}),
                        ));
                        stored_late = true;
                    }
                    late.push((
                        "archived",
                        json!({"case": case_id, "ciphertext_sha256": sha}),
                    ));
                    self.events(t, late)?;
                    self.archived_event_logged(&case_id, &sha);
                }
                self.remove_drop_file(t, &cand.path, &name_hmac)?;
                if let Some(parent) = cand.path.parent() {
                    self.sync_drop_dir(t, parent, &name_hmac)?;
                }
                log.push((
                    "duplicate",
                    json!({"case": case_id, "ciphertext_sha256": sha}),
                ));
                summary.duplicates += 1;
                continue;
            }
            let doc = match self.open_doc(t, &ciphertext, &sha) {
                Ok(doc) => doc,
                Err((code, message)) => {
                    if !log_all {
                        log.push(("received", received));
                    }
                    self.flush(t, &mut log)?;
                    self.quarantine(
                        t,
                        &cand.path,
                        &cand.rel,
                        Some(&sha),
                        Some(&case_id),
                        code,
                        &message,
                    )?;
                    summary.quarantined += 1;
                    continue;
                }
            };
            if !log_all {
                summary.pending += 1;
                summary.pending_reason = self.engine.as_ref().err().cloned();
                continue;
            }
            log.push((
                "decrypted",
                json!({"case": case_id, "ciphertext_sha256": sha, "doc_id": doc.doc_id}),
            ));
            log.push((
                "extracted",
                json!({
                    "case": case_id,
                    "ciphertext_sha256": sha,
                    "doc_id": doc.doc_id,
                    "doc_kind": doc.extracted.kind.as_str(),
                    "pages": doc.extracted.page_starts.len(),
                    "removed_furniture_lines": doc.extracted.removed_furniture_lines,
                }),
            ));
            new.insert(sha, (ciphertext, vec![(cand.path.clone(), name_hmac)], doc));
        }
        if new.is_empty() {
            return self.flush(t, &mut log);
        }

        // The documents processed before: reopened from archive/, so the case is pseudonymised
        // as a whole.
        let mut docs: Vec<&OpenDoc> = new.values().map(|(_, _, d)| d).collect();
        let mut old_docs = Vec::new();
        let mut known: BTreeSet<String> = manifest.keys().cloned().collect();
        if let Ok(rd) = std::fs::read_dir(&archive) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if let Some(sha) = name.strip_suffix(".age") {
                    if !workspace::is_temp_name(&name) {
                        known.insert(sha.to_string());
                    }
                }
            }
        }
        for sha in known {
            if new.contains_key(&sha) {
                continue;
            }
            let path = archive.join(format!("{sha}.age"));
            let read = timed(&mut t.read, || read_limited(&path, max));
            let opened = match read {
                Ok(Some(ct)) => self.open_doc(t, &ct, &sha).map_err(|(code, _)| code),
                Ok(None) => Err("too_large"),
                Err(_) => Err("missing_archive"),
            };
            match opened {
                Ok(doc) => old_docs.push(doc),
                Err(code) => {
                    log.push((
                        "rebuild_excluded",
                        json!({"case": case_id, "ciphertext_sha256": sha, "code": code}),
                    ));
                }
            }
        }
        docs.extend(old_docs.iter());
        docs.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));

        self.flush(t, &mut log)?;
        let engine = match &self.engine {
            Ok(e) => e,
            Err(reason) => {
                let reason = reason.clone();
                return self.pending(t, &case_id, new.len(), &reason, summary);
            }
        };
        let inputs: Vec<Document> = docs
            .iter()
            .map(|d| Document {
                name: d.doc_id.clone(),
                text: d.extracted.text.clone(),
            })
            .collect();
        // A panic in a detector is a bug, but it must cost this case's new files (to
        // quarantine, with a code), not the whole run; the panic hook prints no text.
        let result = timed(&mut t.pseudonymise, || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                engine.deidentify_case_in(&self.key, &case_id, &inputs)
            }))
        });
        for mut d in inputs {
            d.text.zeroize();
        }
        let out = match result {
            Ok(Ok(out)) => out,
            Ok(Err(e)) => return self.pending(t, &case_id, new.len(), &e.to_string(), summary),
            Err(_) => {
                self.flush(t, &mut log)?;
                for (sha, (_, paths, _)) in &new {
                    for (path, _) in paths {
                        let Some(cand) = files.iter().find(|c| &c.path == path) else {
                            continue;
                        };
                        self.quarantine(
                            t,
                            path,
                            &cand.rel,
                            Some(sha),
                            Some(&case_id),
                            "pseudonymisation_crashed",
                            "the de-identifier failed on this case (a bug: please report it); the case's earlier documents are unchanged",
                        )?;
                        summary.quarantined += 1;
                    }
                }
                return Ok(());
            }
        };

        // 1. Outputs, each durable (written together: one fsync round for the case).
        let docs_dir = store.join("docs");
        let mut written = BTreeSet::new();
        let mut manifest_out: BTreeMap<String, String> = BTreeMap::new();
        for d in &docs {
            manifest_out.insert(d.sha.clone(), d.doc_id.clone());
        }
        let mut metas: Vec<(PathBuf, String)> = Vec::with_capacity(out.docs.len());
        for dei in &out.docs {
            let Some(src) = docs.iter().find(|d| d.doc_id == dei.document) else {
                return Err(IntakeError::Invalid(
                    "pseudonymisation returned a document that was not given".into(),
                ));
            };
            metas.push((
                docs_dir.join(format!("{}.json", dei.document)),
                pretty(&doc_json(src, dei)),
            ));
            written.insert(format!("{}.txt", dei.document));
            written.insert(format!("{}.json", dei.document));
        }
        let record = timed(&mut t.research, || {
            research_record(&case_id, &out.docs, &out.facts)
        })?;
        let entities = serde_json::to_vec(&out.table)
            .map_err(|e| IntakeError::Invalid(format!("entity table: {e}")))?;
        let sealed = timed(&mut t.write, || crypto::seal(&self.officer, &entities));
        let mut entities = entities;
        entities.zeroize();
        let sealed = sealed?;
        let vault_cases = self.ws.vault_dir().join("cases");
        let ref_path = vault_cases.join(format!("{case_id}.ref.age"));
        let sealed_ref = if ref_path.exists() {
            None
        } else {
            Some(crypto::seal(&self.officer, case_ref.as_bytes())?)
        };
        let mut files: Vec<(PathBuf, &[u8])> = Vec::with_capacity(2 * out.docs.len() + 3);
        for (dei, (meta_path, meta)) in out.docs.iter().zip(&metas) {
            files.push((
                docs_dir.join(format!("{}.txt", dei.document)),
                dei.text.as_bytes(),
            ));
            files.push((meta_path.clone(), meta.as_bytes()));
        }
        files.push((store.join("record.json"), record.as_bytes()));
        files.push((
            vault_cases.join(format!("{case_id}.entities.age")),
            sealed.as_slice(),
        ));
        if let Some(r) = &sealed_ref {
            files.push((ref_path, r.as_slice()));
        }
        // The archive copies in the same round: an archive copy alone marks nothing as
        // processed (that takes the manifest too), so it may be durable before the manifest.
        for (sha, (ct, _, _)) in &new {
            let dest = archive.join(format!("{sha}.age"));
            if !dest.is_file() {
                files.push((dest, ct.as_slice()));
            }
        }
        self.write_many(t, &files)?;
        drop(files);
        if let Ok(rd) = std::fs::read_dir(&docs_dir) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !written.contains(&name) {
                    let p = e.path();
                    timed(&mut t.write, || {
                        self.inject(FaultPoint::Write(&p))
                            .and_then(|()| std::fs::remove_file(&p))
                            .map_err(io_err(&p))
                    })?;
                }
            }
        }
        // The manifest last: it is what marks these ciphertexts as processed.
        let manifest_json = json!({"case_id": case_id, "documents": manifest_out});
        self.write(
            t,
            &store.join("manifest.json"),
            pretty(&manifest_json).as_bytes(),
        )?;
        let mut done: Vec<(&str, Value)> = vec![(
            "stored",
            json!({
                "case": case_id,
                "documents": out.docs.len(),
                "new_documents": new.len(),
                "spans": out.docs.iter().map(|d| d.spans.len()).sum::<usize>(),
            }),
        )];
        done.extend(new.keys().map(|sha| {
            (
                "archived",
                json!({"case": case_id, "ciphertext_sha256": sha}),
            )
        }));
        self.events(t, done)?;
        summary.cases_written += 1;
        // Into the run's index batch, read back from store/ (committed at the end of the run).
        timed(&mut t.index, || batch.replace_from_store(&case_id))?;

        // Then the drop files go.
        let mut parents: Vec<(&Path, &str)> = Vec::new();
        for (sha, (ciphertext, paths, doc)) in &new {
            for (i, (p, name_hmac)) in paths.iter().enumerate() {
                self.remove_drop_file(t, p, name_hmac)?;
                if let Some(parent) = p.parent() {
                    if !parents.iter().any(|(q, _)| *q == parent) {
                        parents.push((parent, name_hmac));
                    }
                }
                if i > 0 {
                    log.push((
                        "duplicate",
                        json!({"case": case_id, "ciphertext_sha256": sha}),
                    ));
                    summary.duplicates += 1;
                }
            }
            summary.processed += 1;
            t.documents += 1;
            t.pages += doc.extracted.page_starts.len();
            t.ciphertext_bytes += ciphertext.len() as u64;
            t.plaintext_bytes += doc.plaintext_len as u64;
            t.text_bytes += doc.extracted.text.len() as u64;
        }
        for (parent, name_hmac) in parents {
            self.sync_drop_dir(t, parent, name_hmac)?;
        }
        self.flush(t, &mut log)?;
        Ok(())
    }

    /// Whether the audit log lacks the `archived` event of a document. A run stopped (crash or
    /// fault) after a case's manifest but before its `stored` and `archived` events leaves the
    /// drop file looking like a duplicate; the caller then logs the events it missed, so every
    /// stored document keeps its received/stored/archived events.
    fn archived_event_missing(&self, case_id: &str, sha: &str) -> bool {
        let key = (case_id.to_string(), sha.to_string());
        let mut cache = self
            .archived_logged
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let set = cache.get_or_insert_with(|| archived_events(&self.ws.audit_log_path()));
        !set.contains(&key)
    }

    /// Records that the `archived` event of a document is in the log now.
    fn archived_event_logged(&self, case_id: &str, sha: &str) {
        if let Some(set) = self
            .archived_logged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            set.insert((case_id.to_string(), sha.to_string()));
        }
    }

    fn pending(
        &self,
        t: &mut StageTimings,
        case_id: &str,
        n: usize,
        reason: &str,
        summary: &mut IngestSummary,
    ) -> Result<(), IntakeError> {
        self.event(
            t,
            "pending",
            json!({"case": case_id, "documents": n, "code": "pseudonymisation_unavailable"}),
        )?;
        summary.pending += n;
        summary.pending_reason = Some(reason.to_string());
        Ok(())
    }

    /// Decrypts and extracts one document; on failure, the quarantine code and message.
    fn open_doc(
        &self,
        t: &mut StageTimings,
        ciphertext: &[u8],
        sha: &str,
    ) -> Result<OpenDoc, (&'static str, String)> {
        let max = self.ws.settings.limits.max_bytes;
        let plain = timed(&mut t.decrypt, || {
            crypto::open(&self.identity, ciphertext, max)
        })
        .map_err(|e| (e.code(), e.to_string()))?;
        let extracted = timed(&mut t.extract, || self.extractor.extract(&plain))
            .map_err(|e| (e.code(), e.to_string()))?;
        let plaintext_len = plain.len();
        drop(plain);
        Ok(OpenDoc {
            sha: sha.to_string(),
            doc_id: sha.get(..16).unwrap_or(sha).to_string(),
            plaintext_len,
            extracted,
        })
    }

    /// Removes a processed file from drop/ (errors name it by its name hash only). The folder
    /// is synced by [`Run::sync_drop_dir`] once for all files of a case; a removal lost in a
    /// power cut only brings back a duplicate, which the next run removes again.
    fn remove_drop_file(
        &self,
        t: &mut StageTimings,
        path: &Path,
        name_hmac: &str,
    ) -> Result<(), IntakeError> {
        let err = |source| IntakeError::DropFile {
            action: "remove it",
            name_hmac: name_hmac.to_string(),
            source,
        };
        let start = Instant::now();
        let result = (|| {
            self.inject(FaultPoint::Write(path)).map_err(err)?;
            match std::fs::remove_file(path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(err(e)),
            }
        })();
        t.write += start.elapsed();
        result
    }

    /// Fsyncs a case folder in drop/ after removals (named by a file's name hash in errors).
    fn sync_drop_dir(
        &self,
        t: &mut StageTimings,
        dir: &Path,
        name_hmac: &str,
    ) -> Result<(), IntakeError> {
        timed(&mut t.write, || {
            std::fs::File::open(dir)
                .and_then(|f| f.sync_all())
                .map_err(|source| IntakeError::DropFile {
                    action: "sync its folder",
                    name_hmac: name_hmac.to_string(),
                    source,
                })
        })
    }

    /// Moves a drop file (or link) to quarantine/ with a `.reason.json`; the reason is written
    /// first, so a crash in between leaves the file in drop/ for the next run.
    #[allow(clippy::too_many_arguments)]
    fn quarantine(
        &self,
        t: &mut StageTimings,
        path: &Path,
        rel: &OsStr,
        sha: Option<&str>,
        case_id: Option<&str>,
        code: &str,
        message: &str,
    ) -> Result<(), IntakeError> {
        let qdir = self.ws.quarantine_dir();
        std::fs::create_dir_all(&qdir).map_err(io_err(&qdir))?;
        let id = match sha {
            Some(s) => s.to_string(),
            None => format!(
                "r{:016x}{:016x}",
                rand::rngs::OsRng.next_u64(),
                rand::rngs::OsRng.next_u64()
            ),
        };
        let reason = json!({
            "code": code,
            "message": message,
            "ciphertext_sha256": sha,
            "case": case_id,
            "time": crate::audit::now_rfc3339(),
        });
        self.write(
            t,
            &qdir.join(format!("{id}.reason.json")),
            pretty(&reason).as_bytes(),
        )?;
        let name_hmac = crypto::name_hash(&self.key, rel.as_bytes());
        let dest = qdir.join(format!("{id}.age"));
        let err = |action: &'static str| {
            let name_hmac = name_hmac.clone();
            move |source| IntakeError::DropFile {
                action,
                name_hmac,
                source,
            }
        };
        let start = Instant::now();
        let moved = (|| {
            self.inject(FaultPoint::Write(&dest))
                .map_err(err("move it to quarantine/"))?;
            std::fs::rename(path, &dest).map_err(err("move it to quarantine/"))?;
            workspace::sync_dir(&qdir)?;
            if let Some(parent) = path.parent() {
                std::fs::File::open(parent)
                    .and_then(|f| f.sync_all())
                    .map_err(err("sync its folder"))?;
            }
            Ok::<(), IntakeError>(())
        })();
        t.write += start.elapsed();
        moved?;
        self.event(
            t,
            "quarantined",
            json!({
                "code": code,
                "ciphertext_sha256": sha,
                "case": case_id,
                "quarantine_id": id,
                "name_hmac": name_hmac,
            }),
        )?;
        Ok(())
    }
}

/// The research record of a case, from the pseudonymised documents and the safe facts only
/// (principle 3), as the JSON text store/ holds. The record is validated against
/// `schemas/research-record.schema.json`; an invalid record is an error, not a file.
fn research_record(
    case_id: &str,
    docs: &[Deidentified],
    facts: &CaseFacts,
) -> Result<String, IntakeError> {
    let record = crate::research::extract_record(case_id, docs, facts)
        .map_err(|e| IntakeError::Invalid(format!("research record: {e}")))?;
    Ok(pretty(&record))
}

/// The per-document metadata file: no original text, only what replaced it and where.
fn doc_json(src: &OpenDoc, dei: &Deidentified) -> Value {
    let mut spans = dei.spans.clone();
    spans.sort_by_key(|s| (s.start, s.end));
    // Offsets of each replacement in the stored (pseudonymised) text, when the text is the
    // original with the spans substituted in order.
    let mut delta: i64 = 0;
    let mut out = Vec::with_capacity(spans.len());
    for s in &spans {
        let at_start = s.start as i64 + delta;
        let at_end = at_start + s.replacement.len() as i64;
        let consistent = at_start >= 0
            && dei
                .text
                .get(at_start as usize..at_end.max(0) as usize)
                .is_some_and(|t| t == s.replacement);
        let mut o = json!({
            "category": s.category.as_str(),
            "replacement": s.replacement,
            "rule": s.rule,
            "original_length": s.end.saturating_sub(s.start),
        });
        if let Some(r) = s.role {
            o["role"] = Value::from(r.as_str());
        }
        if consistent {
            o["at"] = json!([at_start, at_end]);
        }
        out.push(o);
        delta += s.replacement.len() as i64 - (s.end as i64 - s.start as i64);
    }
    json!({
        "doc_id": src.doc_id,
        "ciphertext_sha256": src.sha,
        "kind": src.extracted.kind.as_str(),
        "pages": src.extracted.page_starts.len(),
        "removed_furniture_lines": src.extracted.removed_furniture_lines,
        "spans": out,
    })
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// (case, ciphertext hash) of every `archived` event in the audit log; lines that do not parse
/// (one being appended by another process) are skipped.
fn archived_events(path: &Path) -> BTreeSet<(String, String)> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeSet::new();
    };
    text.lines()
        .filter(|l| l.contains("\"archived\""))
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["kind"] == "archived")
        .filter_map(|e| {
            Some((
                e["case"].as_str()?.to_string(),
                e["ciphertext_sha256"].as_str()?.to_string(),
            ))
        })
        .collect()
}

/// Reads at most `max` bytes; `None` when the file is larger.
fn read_limited(path: &Path, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let f = std::fs::File::open(path)?;
    let mut buf = Vec::new();
    f.take(max.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Ok(None);
    }
    Ok(Some(buf))
}

fn stream_sha256(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}

/// A file modified within `settle` is still being written.
fn settled(meta: &std::fs::Metadata, settle: Duration) -> bool {
    if settle.is_zero() {
        return true;
    }
    let Ok(modified) = meta.modified() else {
        return true;
    };
    match SystemTime::now().duration_since(modified) {
        Ok(age) => age >= settle,
        Err(_) => false, // modified in the future: wait until the clock catches up
    }
}

/// Names that could mislead a person or a program: not UTF-8, empty, hidden or `.`/`..`-like,
/// backslashes, control characters, and invisible or direction-changing format characters.
pub fn odd_name(name: &OsStr) -> bool {
    let Some(s) = name.to_str() else {
        return true;
    };
    s.is_empty()
        || s.starts_with('.')
        || s.contains("..")
        || s.contains('\\')
        || s.contains('/')
        || s.chars().any(|c| c.is_control() || is_invisible(c))
}

fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Errors of sealing (the provider side).
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the case reference must be a plain folder name (no slashes, `..`, leading dot, control or invisible characters)")]
    BadCaseRef,
    #[error("file {0}: its name must be a plain file name (no `..`, leading dot, control or invisible characters)")]
    BadFileName(usize),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Key(#[from] crypto::KeyError),
    #[error("{0} already exists; not overwritten")]
    Exists(PathBuf),
}

/// Encrypts each file to `recipient` as `out/REF/<file name>.age`. Returns the written paths.
pub fn seal_files(
    recipient: &Recipient,
    case_ref: &str,
    out: &Path,
    files: &[PathBuf],
) -> Result<Vec<PathBuf>, SealError> {
    if odd_name(OsStr::new(case_ref)) {
        return Err(SealError::BadCaseRef);
    }
    let dir = out.join(case_ref);
    let mut names = Vec::new();
    for (i, f) in files.iter().enumerate() {
        match f.file_name() {
            Some(n) if !odd_name(n) => names.push(n.to_owned()),
            _ => return Err(SealError::BadFileName(i + 1)),
        }
    }
    std::fs::create_dir_all(&dir).map_err(|source| SealError::Io {
        path: dir.clone(),
        source,
    })?;
    let mut written = Vec::new();
    for (f, name) in files.iter().zip(names) {
        let mut plain =
            zeroize::Zeroizing::new(std::fs::read(f).map_err(|source| SealError::Io {
                path: f.clone(),
                source,
            })?);
        let sealed = crypto::seal(recipient, &plain)?;
        plain.zeroize();
        let mut out_name = name;
        out_name.push(".age");
        let dest = dir.join(out_name);
        if dest.exists() {
            return Err(SealError::Exists(dest));
        }
        // Written under a temporary name and renamed, so an ingest running meanwhile never sees
        // a half-written file (ingest skips temporary names).
        workspace::write_durable(&dest, &sealed).map_err(|e| SealError::Io {
            path: dest.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        written.push(dest);
    }
    Ok(written)
}
