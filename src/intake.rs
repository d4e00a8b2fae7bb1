//! Intake: walks drop/, and drives each file from ciphertext to stored pseudonymised text, or
//! to quarantine/ with a reason. Also the provider side (`seal`).
//!
//! A case is the first folder level under drop/ (the provider's case reference). When a case
//! has new files, all its documents (new and archived) are opened and pseudonymised together,
//! so an entity found in one document is replaced in all, and the case's outputs are rewritten.
//! Order for crash safety: outputs (each durable), then the manifest, then the ciphertext into
//! archive/, then removal from drop/. A file whose hash is already in the manifest and archive
//! is a duplicate and only removed.
//!
//! Owns: the ingest lock's critical section, quarantine, store/ and vault/cases/ outputs, and
//! the ingest audit events. Must never: write plaintext or a provider's file name or case
//! reference anywhere (names are keyed hashes in the audit log; cases are case ids), follow a
//! symlink, or remove a drop file before its outputs and archive copy are durable.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::io::{IsTerminal, Read};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

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
    #[error("{0}")]
    Invalid(String),
}

/// Options of an ingest run.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// The executable that runs text extraction in a child process (default: this program).
    pub extractor_exe: Option<PathBuf>,
    /// Show a progress bar (only honoured when stderr is a terminal).
    pub progress: bool,
}

/// Counts of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    /// Documents newly stored and archived.
    pub processed: usize,
    /// Files moved to quarantine/.
    pub quarantined: usize,
    /// Files left in drop/ because they are still being written.
    pub skipped: usize,
    /// Files whose content was already processed (removed from drop/).
    pub duplicates: usize,
    /// Documents left in drop/ because pseudonymisation is not available.
    pub pending: usize,
    /// Why documents are pending (no personal data).
    pub pending_reason: Option<String>,
    /// Cases whose outputs were (re)written.
    pub cases_written: usize,
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
    extracted: Extracted,
}

impl Drop for OpenDoc {
    fn drop(&mut self) {
        self.extracted.text.zeroize();
    }
}

struct Run<'a> {
    ws: &'a Workspace,
    identity: Identity,
    key: PseudoKey,
    officer: Recipient,
    extractor: Extractor,
    engine: Result<Engine, String>,
    audit: AuditLog,
    progress: bool,
    last_pending: usize,
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
            audit: AuditLog::new(ws.audit_log_path()),
            progress: opts.progress && std::io::stderr().is_terminal(),
            last_pending: 0,
        })
    }

    /// Brings the search index in line with store/ (it is derived data; see `index`), and
    /// records a repair in the audit log.
    fn repair_index(&mut self) -> Result<(), IntakeError> {
        let r = crate::index::repair(self.ws)?;
        if r.reindexed + r.removed > 0 || r.rebuilt {
            self.audit.append(
                "index_repaired",
                json!({"reindexed_cases": r.reindexed, "removed_cases": r.removed, "rebuilt": r.rebuilt}),
            )?;
        }
        Ok(())
    }

    fn once(&mut self) -> Result<IngestSummary, IntakeError> {
        workspace::remove_stale_temp_files(self.ws)?;
        let mut summary = IngestSummary::default();
        let cases = self.scan(&mut summary)?;
        let total: u64 = cases.values().map(|v| v.len() as u64).sum();
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
        for (case_ref, files) in cases {
            let n = files.len() as u64;
            self.process_case(&case_ref, files, &mut summary)?;
            if let Some(b) = &bar {
                b.inc(n);
            }
        }
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        let changed = summary.pending != self.last_pending;
        self.last_pending = summary.pending;
        if summary.processed + summary.quarantined + summary.duplicates > 0
            || (summary.pending > 0 && changed)
        {
            self.audit.append(
                "ingest_run",
                json!({
                    "processed": summary.processed,
                    "quarantined": summary.quarantined,
                    "skipped": summary.skipped,
                    "duplicates": summary.duplicates,
                    "pending": summary.pending,
                }),
            )?;
        }
        Ok(summary)
    }

    /// Walks drop/ (never following links): quarantines what cannot be a document, skips what
    /// is still being written, and groups the rest by case reference.
    fn scan(
        &mut self,
        summary: &mut IngestSummary,
    ) -> Result<BTreeMap<OsString, Vec<Candidate>>, IntakeError> {
        let drop = self.ws.drop_dir();
        let settle = Duration::from_secs(self.ws.settings.ingest.settle_seconds);
        let max = self.ws.settings.limits.max_bytes;
        let mut cases: BTreeMap<OsString, Vec<Candidate>> = BTreeMap::new();
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
                self.quarantine(&path, &rel, sha.as_deref(), None, "no_case_folder", "file directly in drop/: put each case's files in a folder named by the case reference (drop/REF/file.age)")?;
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
                continue;
            }
            let rel_path = Path::new(&rel);
            if rel_path.components().any(|c| odd_name(c.as_os_str())) {
                let sha = stream_sha256(&path).ok();
                self.quarantine(&path, &rel, sha.as_deref(), None, "bad_name", "the file or case folder name contains control, invisible or path characters, or starts with a dot")?;
                summary.quarantined += 1;
                continue;
            }
            if meta.len() == 0 {
                self.quarantine(
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
                self.quarantine(&path, &rel, sha.as_deref(), None, "too_large", &msg)?;
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

    fn process_case(
        &mut self,
        case_ref: &OsStr,
        files: Vec<Candidate>,
        summary: &mut IngestSummary,
    ) -> Result<(), IntakeError> {
        let case_id = crypto::case_id(&self.key, case_ref.as_bytes());
        let store = self.ws.store_dir().join(&case_id);
        let archive = self.ws.archive_dir().join(&case_id);
        let manifest = read_manifest(&store.join("manifest.json"));
        let max = self.ws.settings.limits.max_bytes;

        // New documents of this case, by ciphertext hash; several drop files may share one.
        let mut new: BTreeMap<String, (Vec<u8>, Vec<PathBuf>, OpenDoc)> = BTreeMap::new();
        for cand in files {
            let name_hmac = crypto::name_hash(&self.key, cand.rel.as_bytes());
            let ciphertext = match read_limited(&cand.path, max) {
                Ok(Some(b)) => b,
                Ok(None) => {
                    let sha = stream_sha256(&cand.path).ok();
                    self.quarantine(
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
            let sha = crypto::sha256_hex(&ciphertext);
            // While pseudonymisation is unavailable a good document only waits in drop/; its
            // events are logged when it is processed, so repeated runs do not flood the log.
            let log_all = self.engine.is_ok();
            let received = json!({"case": case_id, "ciphertext_sha256": sha, "bytes": cand.len, "name_hmac": name_hmac});
            if log_all {
                self.audit.append("received", received.clone())?;
            }
            if let Some((_, paths, _)) = new.get_mut(&sha) {
                paths.push(cand.path);
                continue;
            }
            let archived = archive.join(format!("{sha}.age"));
            if manifest.contains_key(&sha) && archived.is_file() {
                remove_drop_file(&cand.path)?;
                self.audit.append(
                    "duplicate",
                    json!({"case": case_id, "ciphertext_sha256": sha}),
                )?;
                summary.duplicates += 1;
                continue;
            }
            let doc = match self.open_doc(&ciphertext, &sha) {
                Ok(doc) => doc,
                Err((code, message)) => {
                    if !log_all {
                        self.audit.append("received", received)?;
                    }
                    self.quarantine(
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
            self.audit.append(
                "decrypted",
                json!({"case": case_id, "ciphertext_sha256": sha, "doc_id": doc.doc_id}),
            )?;
            self.audit.append(
                "extracted",
                json!({
                    "case": case_id,
                    "ciphertext_sha256": sha,
                    "doc_id": doc.doc_id,
                    "doc_kind": doc.extracted.kind.as_str(),
                    "pages": doc.extracted.page_starts.len(),
                    "removed_furniture_lines": doc.extracted.removed_furniture_lines,
                }),
            )?;
            new.insert(sha, (ciphertext, vec![cand.path], doc));
        }
        if new.is_empty() {
            return Ok(());
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
            let opened = match read_limited(&path, max) {
                Ok(Some(ct)) => self.open_doc(&ct, &sha).map_err(|(code, _)| code),
                Ok(None) => Err("too_large"),
                Err(_) => Err("missing_archive"),
            };
            match opened {
                Ok(doc) => old_docs.push(doc),
                Err(code) => {
                    self.audit.append(
                        "rebuild_excluded",
                        json!({"case": case_id, "ciphertext_sha256": sha, "code": code}),
                    )?;
                }
            }
        }
        docs.extend(old_docs.iter());
        docs.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));

        let engine = match &self.engine {
            Ok(e) => e,
            Err(reason) => {
                let reason = reason.clone();
                return self.pending(&case_id, new.len(), &reason, summary);
            }
        };
        let inputs: Vec<Document> = docs
            .iter()
            .map(|d| Document {
                name: d.doc_id.clone(),
                text: d.extracted.text.clone(),
            })
            .collect();
        let result = engine.deidentify_case_in(&self.key, &case_id, &inputs);
        for mut d in inputs {
            d.text.zeroize();
        }
        let out = match result {
            Ok(out) => out,
            Err(e) => return self.pending(&case_id, new.len(), &e.to_string(), summary),
        };

        // 1. Outputs, each durable.
        let docs_dir = store.join("docs");
        let mut written = BTreeSet::new();
        let mut manifest_out: BTreeMap<String, String> = BTreeMap::new();
        for d in &docs {
            manifest_out.insert(d.sha.clone(), d.doc_id.clone());
        }
        for dei in &out.docs {
            let Some(src) = docs.iter().find(|d| d.doc_id == dei.document) else {
                return Err(IntakeError::Invalid(
                    "pseudonymisation returned a document that was not given".into(),
                ));
            };
            workspace::write_durable(
                &docs_dir.join(format!("{}.txt", dei.document)),
                dei.text.as_bytes(),
            )?;
            let meta = doc_json(src, dei);
            workspace::write_durable(
                &docs_dir.join(format!("{}.json", dei.document)),
                pretty(&meta).as_bytes(),
            )?;
            written.insert(format!("{}.txt", dei.document));
            written.insert(format!("{}.json", dei.document));
        }
        if let Ok(rd) = std::fs::read_dir(&docs_dir) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !written.contains(&name) {
                    std::fs::remove_file(e.path()).map_err(io_err(&e.path()))?;
                }
            }
        }
        write_case_outputs(self.ws, &case_id, &out.docs, &out.facts)?;
        let entities = serde_json::to_vec(&out.table)
            .map_err(|e| IntakeError::Invalid(format!("entity table: {e}")))?;
        let sealed = crypto::seal(&self.officer, &entities);
        let mut entities = entities;
        entities.zeroize();
        let vault_cases = self.ws.vault_dir().join("cases");
        workspace::write_durable(
            &vault_cases.join(format!("{case_id}.entities.age")),
            &sealed?,
        )?;
        let ref_path = vault_cases.join(format!("{case_id}.ref.age"));
        if !ref_path.exists() {
            let sealed_ref = crypto::seal(&self.officer, case_ref.as_bytes())?;
            workspace::write_durable(&ref_path, &sealed_ref)?;
        }
        // The manifest last: it is what marks these ciphertexts as processed.
        let manifest_json = json!({"case_id": case_id, "documents": manifest_out});
        workspace::write_durable(
            &store.join("manifest.json"),
            pretty(&manifest_json).as_bytes(),
        )?;
        self.audit.append(
            "stored",
            json!({
                "case": case_id,
                "documents": out.docs.len(),
                "new_documents": new.len(),
                "spans": out.docs.iter().map(|d| d.spans.len()).sum::<usize>(),
            }),
        )?;
        summary.cases_written += 1;

        // 2. Archive, then 3. remove from drop/.
        for (sha, (ciphertext, paths, _)) in &new {
            let dest = archive.join(format!("{sha}.age"));
            if !dest.is_file() {
                workspace::write_durable(&dest, ciphertext)?;
            }
            self.audit.append(
                "archived",
                json!({"case": case_id, "ciphertext_sha256": sha}),
            )?;
            for (i, p) in paths.iter().enumerate() {
                remove_drop_file(p)?;
                if i > 0 {
                    self.audit.append(
                        "duplicate",
                        json!({"case": case_id, "ciphertext_sha256": sha}),
                    )?;
                    summary.duplicates += 1;
                }
            }
            summary.processed += 1;
        }
        Ok(())
    }

    fn pending(
        &mut self,
        case_id: &str,
        n: usize,
        reason: &str,
        summary: &mut IngestSummary,
    ) -> Result<(), IntakeError> {
        self.audit.append(
            "pending",
            json!({"case": case_id, "documents": n, "code": "pseudonymisation_unavailable"}),
        )?;
        summary.pending += n;
        summary.pending_reason = Some(reason.to_string());
        Ok(())
    }

    /// Decrypts and extracts one document; on failure, the quarantine code and message.
    fn open_doc(&self, ciphertext: &[u8], sha: &str) -> Result<OpenDoc, (&'static str, String)> {
        let max = self.ws.settings.limits.max_bytes;
        let plain =
            crypto::open(&self.identity, ciphertext, max).map_err(|e| (e.code(), e.to_string()))?;
        let extracted = self
            .extractor
            .extract(&plain)
            .map_err(|e| (e.code(), e.to_string()))?;
        drop(plain);
        Ok(OpenDoc {
            sha: sha.to_string(),
            doc_id: sha.get(..16).unwrap_or(sha).to_string(),
            extracted,
        })
    }

    /// Moves a drop file (or link) to quarantine/ with a `.reason.json`; the reason is written
    /// first, so a crash in between leaves the file in drop/ for the next run.
    fn quarantine(
        &mut self,
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
        workspace::write_durable(
            &qdir.join(format!("{id}.reason.json")),
            pretty(&reason).as_bytes(),
        )?;
        let dest = qdir.join(format!("{id}.age"));
        std::fs::rename(path, &dest).map_err(io_err(path))?;
        workspace::sync_dir(&qdir)?;
        if let Some(parent) = path.parent() {
            workspace::sync_dir(parent)?;
        }
        self.audit.append(
            "quarantined",
            json!({
                "code": code,
                "ciphertext_sha256": sha,
                "case": case_id,
                "quarantine_id": id,
                "name_hmac": crypto::name_hash(&self.key, rel.as_bytes()),
            }),
        )?;
        Ok(())
    }
}

/// Where the research record and the search index of a case are (re)written, from the
/// pseudonymised documents and the safe facts only (principle 3). The record is validated
/// against `schemas/research-record.schema.json` before it is written; an invalid record is an
/// error, not a file.
///
/// Then the case's documents in index/ are replaced by what store/ now holds for it
/// (`index::index_case`: delete by case id, add, commit, marker).
pub fn write_case_outputs(
    ws: &Workspace,
    case_id: &str,
    docs: &[Deidentified],
    facts: &CaseFacts,
) -> Result<(), IntakeError> {
    let record = crate::research::extract_record(case_id, docs, facts)
        .map_err(|e| IntakeError::Invalid(format!("research record: {e}")))?;
    let path = ws.store_dir().join(case_id).join("record.json");
    workspace::write_durable(&path, pretty(&record).as_bytes())?;
    crate::index::index_case(ws, case_id)?;
    Ok(())
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

/// The processed ciphertext hashes of a case (hash -> doc id); empty when there is none.
fn read_manifest(path: &Path) -> BTreeMap<String, String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    let Ok(v) = serde_json::from_str::<Value>(&text) else {
        return BTreeMap::new();
    };
    v.get("documents")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
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

fn remove_drop_file(path: &Path) -> Result<(), IntakeError> {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(path)(e).into()),
    }
    if let Some(parent) = path.parent() {
        workspace::sync_dir(parent)?;
    }
    Ok(())
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
