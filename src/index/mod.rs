//! Search index: makes the pseudonymised texts in store/ searchable with tantivy, with fields from
//! each case's research record, and answers searches and trigger analyses.
//!
//! Layout: `index/tantivy/` holds the tantivy index, one tantivy document per stored document;
//! `index/cases.json` is the marker of what the index holds (per case: a fingerprint of its
//! stored texts and record, and its number of documents).
//!
//! Update: after ingest has committed a case to store/ (its manifest written), a [`Batch`] reads
//! the case back from store/ (the index is built only from what is stored, so it can never hold
//! text store/ does not), deletes every document of that case (delete by case id) and adds the
//! case's documents. Ingest's workers add cases to one batch concurrently (one tantivy writer);
//! the batch is committed once at the end of the run, then the marker is updated.
//! Re-ingesting never duplicates. [`index_case`] does the same for a single case.
//!
//! Only committed documents count: [`load_case`] reads the documents the case's manifest.json
//! lists, so a document whose text was written by a run that failed before its manifest is
//! neither indexed nor exported.
//!
//! Crash consistency: the index is derived data and store/ is the truth. The marker is written
//! only after a successful commit. [`repair`] runs at the start of every `ingest` (and of
//! `ingest --watch`): it recomputes each complete case's fingerprint (cases with a
//! manifest.json) from store/, reindexes every case whose fingerprint differs from the marker or
//! is missing (a crash or a failed commit between the manifest and the marker), removes cases
//! no longer complete in store/, and rebuilds everything when the index's document count
//! disagrees with the marker or the index schema changed. So a crash or a failed index write
//! at any point is repaired by the next ingest.
//!
//! Owns: index/, the index schema and analyzers, document types, query parsing, search and
//! trigger analysis. Must never: index anything but pseudonymised text from store/ and codes from
//! research records, show text that is not in a stored pseudonymised document, or put a query or
//! document text in an error, log or audit event (audit events carry a hash of the query).

pub mod access;
pub mod analysis;
pub mod doctype;
pub mod search;
pub mod triggers;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use crate::workspace::{self, Workspace};

pub use search::{search, SearchHit, SearchResults};

/// Version of the schema and analysis; a marker of another version means a full rebuild, so
/// bump it whenever the schema, the analyzers or the document type rules change.
pub const SCHEMA_VERSION: u32 = 3;

/// Errors of the index. Messages never contain document text.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index {path}: {reason}")]
    Tantivy { path: PathBuf, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Workspace(#[from] workspace::WorkspaceError),
    #[error("there is no search index yet in {0}; run `dossierkluis ingest` first")]
    NoIndex(PathBuf),
    /// A query that cannot be parsed; the message explains why (for the user's terminal only).
    #[error("invalid query: {0}")]
    Query(String),
    #[error("{0}")]
    Rules(String),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
}

impl IndexError {
    fn tantivy(path: &Path, e: impl std::fmt::Display) -> IndexError {
        IndexError::Tantivy {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }
    }
}

/// Names of the fields, as used in queries (`wlz:VG7 trigger:NIEUWE_BEWONER "deur op slot"`).
pub mod field {
    pub const CASE: &str = "case";
    /// A 64-bit key of the case id (fast field, for grouping without dictionary lookups).
    pub const CASE_KEY: &str = "case_key";
    pub const DOC: &str = "doc";
    pub const TYPE: &str = "type";
    pub const MONTH: &str = "month";
    pub const YEAR: &str = "year";
    pub const DATUM: &str = "datum";
    pub const INSTELLING: &str = "instelling";
    pub const TEXT: &str = "text";
    pub const HASH: &str = "hash";
    pub const WLZ: &str = "wlz";
    pub const NIVEAU: &str = "niveau";
    pub const GESLACHT: &str = "geslacht";
    pub const LEEFTIJD: &str = "leeftijd";
    pub const PROBLEMATIEK: &str = "problematiek";
    pub const GEDRAG: &str = "gedrag";
    pub const REGELING: &str = "regeling";
    pub const WZDSTATUS: &str = "wzdstatus";
    pub const WZD: &str = "wzd";
    pub const TITEL: &str = "titel";
    pub const TRIGGER: &str = "trigger";
    pub const SETTING: &str = "setting";
    /// The keyword fields a query can filter on.
    pub const KEYWORDS: [&str; 16] = [
        TYPE,
        MONTH,
        YEAR,
        INSTELLING,
        WLZ,
        NIVEAU,
        GESLACHT,
        LEEFTIJD,
        PROBLEMATIEK,
        GEDRAG,
        REGELING,
        WZDSTATUS,
        WZD,
        TITEL,
        TRIGGER,
        SETTING,
    ];
}

/// The index schema.
pub fn schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field(field::CASE, STRING | STORED);
    b.add_u64_field(field::CASE_KEY, FAST);
    b.add_text_field(field::DOC, STRING | STORED);
    b.add_text_field(field::HASH, STRING | STORED);
    b.add_text_field(field::DATUM, STORED);
    let kw = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analysis::KEYWORD)
            .set_index_option(IndexRecordOption::Basic),
    );
    for name in field::KEYWORDS {
        let opts = if name == field::TYPE {
            kw.clone().set_stored()
        } else {
            kw.clone()
        };
        b.add_text_field(name, opts);
    }
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analysis::DUTCH)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    b.add_text_field(field::TEXT, text);
    b.build()
}

fn f(schema: &Schema, name: &str) -> Field {
    // Every name used here is added in `schema()`; the fallback is never reached.
    schema.get_field(name).unwrap_or(Field::from_field_id(0))
}

/// The grouping key of a case id: the first 8 bytes of its SHA-256 (collisions are negligible
/// for any number of cases one machine holds; the displayed id comes from the stored field).
pub fn case_key(case_id: &str) -> u64 {
    let h = Sha256::digest(case_id.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(h.get(..8).unwrap_or(&[0; 8]));
    u64::from_be_bytes(b)
}

/// One document of a case, as stored.
#[derive(Debug, Clone)]
pub struct StoredDoc {
    pub doc_id: String,
    pub text: String,
}

/// A case as stored: its documents (by doc id) and its research record.
#[derive(Debug, Clone)]
pub struct StoredCase {
    pub case_id: String,
    pub docs: Vec<StoredDoc>,
    pub record: Option<Value>,
    /// SHA-256 over the doc ids, their texts and the record file.
    pub fingerprint: String,
}

/// The document ids a case's manifest.json lists (empty when it has none or it is unreadable).
fn manifest_doc_ids(dir: &Path) -> std::collections::BTreeSet<String> {
    crate::workspace::read_manifest(&dir.join("manifest.json"))
        .into_values()
        .collect()
}

/// Reads a case from store/<case_id>/: the texts in docs/*.txt of the documents its
/// manifest.json lists (a text no manifest lists yet is not committed), and record.json.
pub fn load_case(ws: &Workspace, case_id: &str) -> Result<StoredCase, IndexError> {
    let dir = ws.store_dir().join(case_id);
    let docs_dir = dir.join("docs");
    let committed = manifest_doc_ids(&dir);
    let mut docs = Vec::new();
    if docs_dir.is_dir() {
        let rd = std::fs::read_dir(&docs_dir).map_err(|source| IndexError::Io {
            path: docs_dir.clone(),
            source,
        })?;
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "txt") {
                let Some(doc_id) = p.file_stem().and_then(|s| s.to_str()) else {
                    continue;
                };
                if workspace::is_temp_name(doc_id) || !committed.contains(doc_id) {
                    continue;
                }
                let text = std::fs::read_to_string(&p).map_err(|source| IndexError::Io {
                    path: p.clone(),
                    source,
                })?;
                docs.push(StoredDoc {
                    doc_id: doc_id.to_string(),
                    text,
                });
            }
        }
    }
    docs.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
    let rec_path = dir.join("record.json");
    let rec_bytes = std::fs::read(&rec_path).ok();
    let record = rec_bytes
        .as_deref()
        .and_then(|b| serde_json::from_slice::<Value>(b).ok());
    let mut h = Sha256::new();
    for d in &docs {
        h.update(d.doc_id.as_bytes());
        h.update([0]);
        h.update(Sha256::digest(d.text.as_bytes()));
    }
    h.update(b"record");
    h.update(Sha256::digest(rec_bytes.unwrap_or_default()));
    Ok(StoredCase {
        case_id: case_id.to_string(),
        docs,
        record,
        fingerprint: hex::encode(h.finalize()),
    })
}

/// The case ids in store/ that are complete (have a manifest.json), sorted.
pub fn stored_case_ids(ws: &Workspace) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(ws.store_dir())
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().join("manifest.json").is_file())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// An opened index with its fields.
pub struct CaseIndex {
    index: Index,
    path: PathBuf,
    schema: Schema,
}

fn tantivy_dir(ws: &Workspace) -> PathBuf {
    ws.index_dir().join("tantivy")
}

fn marker_path(ws: &Workspace) -> PathBuf {
    ws.index_dir().join("cases.json")
}

impl CaseIndex {
    /// Opens the index of a workspace for reading; [`IndexError::NoIndex`] when there is none.
    pub fn open(ws: &Workspace) -> Result<CaseIndex, IndexError> {
        let path = tantivy_dir(ws);
        if !path.join("meta.json").is_file() {
            return Err(IndexError::NoIndex(ws.root().to_path_buf()));
        }
        CaseIndex::open_dir(&path)
    }

    /// Opens the index in `path`.
    pub fn open_dir(path: &Path) -> Result<CaseIndex, IndexError> {
        let index = Index::open_in_dir(path).map_err(|e| IndexError::tantivy(path, e))?;
        analysis::register(&index);
        let schema = index.schema();
        Ok(CaseIndex {
            index,
            path: path.to_path_buf(),
            schema,
        })
    }

    /// Opens the index in `path`, or creates it; an index with another schema is replaced
    /// (it is derived data). Returns the index and whether it was (re)created.
    pub fn open_or_create(path: &Path) -> Result<(CaseIndex, bool), IndexError> {
        let want = schema();
        if path.join("meta.json").is_file() {
            let current = CaseIndex::open_dir(path)?;
            if current.schema == want {
                return Ok((current, false));
            }
            drop(current);
            std::fs::remove_dir_all(path).map_err(|source| IndexError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        }
        std::fs::create_dir_all(path).map_err(|source| IndexError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        // The document store is kept uncompressed: the stored texts are pseudonymised already,
        // and block compression cuts words at arbitrary points ("Jan|uari"), which makes a
        // byte-level scan of the index for leftover identifiers report fragments of ordinary
        // words. Uncompressed, what a privacy officer (or `score.py leaks`) finds in index/ is
        // exactly what is in store/.
        let settings = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::None,
            ..tantivy::IndexSettings::default()
        };
        let index = Index::builder()
            .schema(want.clone())
            .settings(settings)
            .create_in_dir(path)
            .map_err(|e| IndexError::tantivy(path, e))?;
        analysis::register(&index);
        Ok((
            CaseIndex {
                index,
                path: path.to_path_buf(),
                schema: want,
            },
            true,
        ))
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn field(&self, name: &str) -> Field {
        f(&self.schema, name)
    }

    /// Number of (live) documents.
    pub fn num_docs(&self) -> Result<u64, IndexError> {
        let reader = self
            .index
            .reader()
            .map_err(|e| IndexError::tantivy(&self.path, e))?;
        Ok(reader.searcher().num_docs())
    }

    /// A writer (single indexing thread) with `heap` bytes of indexing memory (at least 15 MB).
    ///
    /// The index's writer lock can still be held for a moment by a writer of this process that
    /// was just dropped (tantivy releases it when the writer's threads end), so a busy lock is
    /// retried for a short while before it counts as an error.
    pub fn writer(&self, heap: usize) -> Result<CaseWriter<'_>, IndexError> {
        self.writer_threads(1, heap)
    }

    /// A writer with `threads` indexing threads sharing `heap` bytes (at least 15 MB each).
    pub fn writer_threads(
        &self,
        threads: usize,
        heap: usize,
    ) -> Result<CaseWriter<'_>, IndexError> {
        let threads = threads.max(1);
        let heap = heap.max(15_000_000 * threads);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
        loop {
            match self.index.writer_with_num_threads(threads, heap) {
                Ok(w) => return Ok(CaseWriter { ix: self, w }),
                Err(tantivy::TantivyError::LockFailure(
                    tantivy::directory::error::LockError::IoError(e),
                    _,
                )) => {
                    // Not a busy lock: the lock file cannot be made (a read-only or full disk).
                    return Err(IndexError::tantivy(
                        &self.path,
                        format!("cannot create the index's writer lock: {e}"),
                    ));
                }
                Err(tantivy::TantivyError::LockFailure(..))
                    if std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => return Err(IndexError::tantivy(&self.path, e)),
            }
        }
    }
}

/// Adds, replaces and removes cases; nothing is visible before [`CaseWriter::commit`].
pub struct CaseWriter<'a> {
    ix: &'a CaseIndex,
    w: IndexWriter,
}

impl CaseWriter<'_> {
    /// Removes every document of a case.
    pub fn remove_case(&self, case_id: &str) {
        let term = Term::from_field_text(self.ix.field(field::CASE), case_id);
        self.w.delete_term(term);
    }

    /// Removes every document.
    pub fn remove_all(&self) -> Result<(), IndexError> {
        self.w
            .delete_all_documents()
            .map_err(|e| IndexError::tantivy(&self.ix.path, e))?;
        Ok(())
    }

    /// Replaces the documents of a case by `case.docs` (several threads may call this on one
    /// writer).
    pub fn replace_case(&self, case: &StoredCase) -> Result<(), IndexError> {
        self.remove_case(&case.case_id);
        let facets = record_facets(case.record.as_ref());
        let types = doctype::DocTypes::shipped().map_err(IndexError::Rules)?;
        for d in &case.docs {
            let doc = self.build_doc(case, d, &facets, types);
            self.w
                .add_document(doc)
                .map_err(|e| IndexError::tantivy(&self.ix.path, e))?;
        }
        Ok(())
    }

    fn build_doc(
        &self,
        case: &StoredCase,
        d: &StoredDoc,
        facets: &[(&'static str, String)],
        types: &doctype::DocTypes,
    ) -> TantivyDocument {
        let fl = |n: &str| self.ix.field(n);
        let mut doc = TantivyDocument::default();
        doc.add_text(fl(field::CASE), &case.case_id);
        doc.add_u64(fl(field::CASE_KEY), case_key(&case.case_id));
        doc.add_text(fl(field::DOC), &d.doc_id);
        doc.add_text(
            fl(field::HASH),
            hex::encode(Sha256::digest(d.text.as_bytes())),
        );
        doc.add_text(fl(field::TYPE), types.classify(&d.text));
        let months = months_in(&d.text);
        if let Some(first) = months.first() {
            doc.add_text(fl(field::DATUM), first);
        }
        let mut years = std::collections::BTreeSet::new();
        let mut seen = std::collections::BTreeSet::new();
        for m in &months {
            if seen.insert(m.clone()) {
                doc.add_text(fl(field::MONTH), m);
                years.insert(m.get(..4).unwrap_or("").to_string());
            }
        }
        for y in years {
            doc.add_text(fl(field::YEAR), y);
        }
        for p in providers_in(&d.text) {
            doc.add_text(fl(field::INSTELLING), p);
        }
        for (name, value) in facets {
            doc.add_text(fl(name), value);
        }
        doc.add_text(fl(field::TEXT), &d.text);
        doc
    }

    /// Commits, and waits for merges so no background work outlives the writer.
    pub fn commit(mut self) -> Result<(), IndexError> {
        self.w
            .commit()
            .map_err(|e| IndexError::tantivy(&self.ix.path, e))?;
        self.w
            .wait_merging_threads()
            .map_err(|e| IndexError::tantivy(&self.ix.path, e))?;
        Ok(())
    }
}

/// Keyword values of a research record, as (field, value) pairs.
pub fn record_facets(record: Option<&Value>) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let Some(r) = record else {
        return out;
    };
    let s = |v: &Value| v.as_str().map(str::to_string);
    let arr = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let p = &r["profile"];
    for (name, key) in [
        (field::WLZ, "wlz_profiel"),
        (field::NIVEAU, "niveau_verstandelijke_beperking"),
        (field::GESLACHT, "geslacht"),
        (field::LEEFTIJD, "leeftijdscategorie"),
    ] {
        if let Some(v) = s(&p[key]) {
            out.push((name, v));
        }
    }
    out.extend(
        arr(&p["problematiek"])
            .into_iter()
            .map(|v| (field::PROBLEMATIEK, v)),
    );
    out.extend(arr(&p["gedrag"]).into_iter().map(|v| (field::GEDRAG, v)));
    if let Some(m) = p["regelingen"].as_object() {
        for (k, v) in m {
            if v.as_bool() == Some(true) {
                out.push((field::REGELING, k.clone()));
            }
        }
    }
    let w = &r["wzd_maatregel"];
    if let Some(v) = s(&w["status"]) {
        out.push((field::WZDSTATUS, v));
    }
    out.extend(arr(&w["vormen"]).into_iter().map(|v| (field::WZD, v)));
    out.extend(
        arr(&w["juridische_titels"])
            .into_iter()
            .map(|v| (field::TITEL, v)),
    );
    if let Some(ts) = r["triggers"].as_array() {
        for t in ts {
            for key in ["categorie", "subtype"] {
                if let Some(v) = s(&t[key]) {
                    out.push((field::TRIGGER, v));
                }
            }
        }
    }
    if let Some(es) = r["hulpverleningsgeschiedenis"].as_array() {
        for e in es {
            if let Some(v) = s(&e["setting"]) {
                out.push((field::SETTING, v));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

const MONTH_NAMES: [&str; 12] = crate::rules::MONTHS_NL;

/// The months ("YYYY-MM") of the generalised dates in a text ("maart 2021"), in text order.
pub fn months_in(text: &str) -> Vec<String> {
    use std::sync::OnceLock;
    static RE: OnceLock<Option<regex::Regex>> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(&format!(
            r"(?i)\b({})\s+((?:19|20)\d\d)\b",
            MONTH_NAMES.join("|")
        ))
        .ok()
    });
    let Some(re) = re else { return Vec::new() };
    re.captures_iter(text)
        .filter_map(|c| {
            let name = c.get(1)?.as_str().to_lowercase();
            let m = MONTH_NAMES.iter().position(|n| *n == name)? + 1;
            Some(format!("{}-{m:02}", c.get(2)?.as_str()))
        })
        .collect()
}

/// The provider pseudonyms in a text, as keyword values ("instelling-123456"), deduplicated.
pub fn providers_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("[INSTELLING-") {
        let tail = rest.get(i..).unwrap_or("");
        let digits: String = tail
            .get(12..)
            .unwrap_or("")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !digits.is_empty()
            && tail
                .get(12 + digits.len()..)
                .is_some_and(|t| t.starts_with(']'))
        {
            let v = format!("instelling-{digits}");
            if !out.contains(&v) {
                out.push(v);
            }
        }
        rest = tail.get(1..).unwrap_or("");
    }
    out
}

/// The marker of what the index holds: case id -> (fingerprint, documents).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marker {
    pub cases: BTreeMap<String, (String, u64)>,
}

impl Marker {
    fn read(path: &Path) -> Marker {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Marker::default();
        };
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            return Marker::default();
        };
        if v["schema_version"].as_u64() != Some(u64::from(SCHEMA_VERSION)) {
            return Marker::default();
        }
        let mut cases = BTreeMap::new();
        if let Some(m) = v["cases"].as_object() {
            for (k, c) in m {
                if let (Some(fp), Some(n)) = (c["fingerprint"].as_str(), c["documents"].as_u64()) {
                    cases.insert(k.clone(), (fp.to_string(), n));
                }
            }
        }
        Marker { cases }
    }

    fn write(&self, path: &Path) -> Result<(), IndexError> {
        let cases: serde_json::Map<String, Value> = self
            .cases
            .iter()
            .map(|(k, (fp, n))| (k.clone(), json!({"fingerprint": fp, "documents": n})))
            .collect();
        let v = json!({"schema_version": SCHEMA_VERSION, "cases": cases});
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        workspace::write_durable(path, s.as_bytes())?;
        Ok(())
    }

    fn total(&self) -> u64 {
        self.cases.values().map(|(_, n)| n).sum()
    }
}

/// The index changes of one ingest run: cases replaced from store/ (by several threads at
/// once), committed together by [`Batch::commit`], which then updates the marker. Dropped
/// without a commit, nothing of it is visible and the next [`repair`] indexes those cases.
pub struct Batch<'a> {
    ws: &'a Workspace,
    writer: CaseWriter<'a>,
    done: std::sync::Mutex<Vec<(String, String, u64)>>,
}

impl<'a> Batch<'a> {
    /// A batch on `ix` (opened with [`CaseIndex::open_or_create`] on the workspace's index).
    pub fn new(ws: &'a Workspace, ix: &'a CaseIndex, threads: usize) -> Result<Self, IndexError> {
        let threads = threads.clamp(1, 4);
        let writer = ix.writer_threads(threads, 24_000_000 * threads)?;
        Ok(Batch {
            ws,
            writer,
            done: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// Reads a committed case back from store/ and replaces its documents (not yet visible).
    /// Returns the number of documents.
    pub fn replace_from_store(&self, case_id: &str) -> Result<usize, IndexError> {
        let case = load_case(self.ws, case_id)?;
        self.writer.replace_case(&case)?;
        let n = case.docs.len();
        self.done.lock().unwrap_or_else(|e| e.into_inner()).push((
            case_id.to_string(),
            case.fingerprint,
            n as u64,
        ));
        Ok(n)
    }

    /// Number of cases replaced so far.
    pub fn len(&self) -> usize {
        self.done.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no case was replaced.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Commits the replaced cases and records them in the marker.
    pub fn commit(self) -> Result<(), IndexError> {
        let done = self.done.into_inner().unwrap_or_else(|e| e.into_inner());
        if done.is_empty() {
            return Ok(());
        }
        self.writer.commit()?;
        let mpath = marker_path(self.ws);
        let mut marker = Marker::read(&mpath);
        for (case_id, fp, n) in done {
            marker.cases.insert(case_id, (fp, n));
        }
        marker.write(&mpath)
    }
}

/// Opens (or creates) the index of a workspace for writing.
pub fn open_for_writing(ws: &Workspace) -> Result<CaseIndex, IndexError> {
    Ok(CaseIndex::open_or_create(&tantivy_dir(ws))?.0)
}

/// Replaces one case's documents in the index with what store/ holds for it, commits, and
/// updates the marker.
pub fn index_case(ws: &Workspace, case_id: &str) -> Result<usize, IndexError> {
    let (ix, created) = CaseIndex::open_or_create(&tantivy_dir(ws))?;
    let mpath = marker_path(ws);
    let mut marker = if created {
        Marker::default()
    } else {
        Marker::read(&mpath)
    };
    let case = load_case(ws, case_id)?;
    let w = ix.writer(20_000_000)?;
    w.replace_case(&case)?;
    w.commit()?;
    marker.cases.insert(
        case_id.to_string(),
        (case.fingerprint.clone(), case.docs.len() as u64),
    );
    marker.write(&mpath)?;
    Ok(case.docs.len())
}

/// What [`repair`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepairReport {
    /// Cases (re)indexed because the index did not match store/.
    pub reindexed: usize,
    /// Cases removed from the index because store/ no longer has them.
    pub removed: usize,
    /// Whether the whole index was rebuilt.
    pub rebuilt: bool,
}

/// Brings the index in line with store/ (see the module documentation).
pub fn repair(ws: &Workspace) -> Result<RepairReport, IndexError> {
    let (ix, created) = CaseIndex::open_or_create(&tantivy_dir(ws))?;
    let mpath = marker_path(ws);
    let mut marker = if created {
        Marker::default()
    } else {
        Marker::read(&mpath)
    };
    let mut report = RepairReport::default();
    let w = ix.writer(64_000_000)?;
    let mut changed = false;
    if ix.num_docs()? != marker.total() {
        w.remove_all()?;
        marker = Marker::default();
        report.rebuilt = true;
        changed = true;
    }
    let ids = stored_case_ids(ws);
    let gone: Vec<String> = marker
        .cases
        .keys()
        .filter(|k| ids.binary_search(k).is_err())
        .cloned()
        .collect();
    for k in gone {
        w.remove_case(&k);
        marker.cases.remove(&k);
        report.removed += 1;
        changed = true;
    }
    for id in &ids {
        let case = load_case(ws, id)?;
        let ok = marker
            .cases
            .get(id)
            .is_some_and(|(fp, n)| *fp == case.fingerprint && *n == case.docs.len() as u64);
        if !ok {
            w.replace_case(&case)?;
            marker.cases.insert(
                id.clone(),
                (case.fingerprint.clone(), case.docs.len() as u64),
            );
            report.reindexed += 1;
            changed = true;
        }
    }
    if changed {
        w.commit()?;
        marker.write(&mpath)?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_providers() {
        let t = "Op maart 2021 en in Mei 2022, [INSTELLING-0042] en [INSTELLING-7] [INSTELLING-x]";
        assert_eq!(months_in(t), vec!["2021-03", "2022-05"]);
        assert_eq!(providers_in(t), vec!["instelling-0042", "instelling-7"]);
        assert!(providers_in("[INSTELLING-").is_empty());
    }
}
