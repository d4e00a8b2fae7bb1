//! Export for researchers: the research records of a workspace as JSON lines or as CSV tables
//! with a codebook (for R, SPSS, Excel), and the pseudonymised texts as one file per document
//! (for qualitative coding tools).
//!
//! Owns: reading records and texts out of store/ and writing export files. Must never: export
//! anything but what store/ holds (pseudonymised texts and records), or follow a case or document id that is not a plain name.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::index::{load_case, stored_case_ids, IndexError};
use crate::workspace::{self, Workspace};

/// Errors of an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Workspace(#[from] workspace::WorkspaceError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The research records in store/ (complete cases, by case id); a record that cannot be read is
/// skipped. With `only`, just those cases.
pub fn stored_records(ws: &Workspace, only: Option<&[String]>) -> Vec<Value> {
    stored_case_ids(ws)
        .into_iter()
        .filter(|id| only.is_none_or(|o| o.contains(id)))
        .filter_map(|id| {
            let p = ws.store_dir().join(&id).join("record.json");
            let text = std::fs::read_to_string(p).ok()?;
            serde_json::from_str::<Value>(&text).ok()
        })
        .collect()
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub records: usize,
    pub documents: usize,
    pub files: Vec<PathBuf>,
}

/// Writes the records as JSON lines to `out`.
pub fn write_jsonl(records: &[Value], out: &mut dyn Write) -> std::io::Result<()> {
    for r in records {
        writeln!(out, "{}", serde_json::to_string(r).unwrap_or_default())?;
    }
    Ok(())
}

/// Exports the records: `jsonl` to `out_dir/records.jsonl` (or standard output without a
/// folder), `csv` to cases.csv, episodes.csv, triggers.csv and codebook.md in `out_dir`.
pub fn export_records(
    ws: &Workspace,
    format: &str,
    out_dir: Option<&Path>,
) -> Result<ExportSummary, ExportError> {
    let records = stored_records(ws, None);
    let mut summary = ExportSummary {
        records: records.len(),
        ..ExportSummary::default()
    };
    match (format, out_dir) {
        ("jsonl", None) => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match write_jsonl(&records, &mut lock).and_then(|()| lock.flush()) {
                // A closed pipe (`| head`) ends the export early; not an error.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(io(Path::new("<stdout>"))(e))
                }
                _ => {}
            }
        }
        ("jsonl", Some(dir)) => {
            let mut buf = Vec::new();
            write_jsonl(&records, &mut buf).map_err(io(dir))?;
            let p = dir.join("records.jsonl");
            write_file(&p, &buf)?;
            summary.files.push(p);
        }
        ("csv", Some(dir)) => {
            let (cases, episodes, triggers, codebook) =
                crate::research::to_csv_rows(&records);
            for (name, body) in [
                ("cases.csv", cases),
                ("episodes.csv", episodes),
                ("triggers.csv", triggers),
                ("codebook.md", codebook),
            ] {
                let p = dir.join(name);
                write_file(&p, body.as_bytes())?;
                summary.files.push(p);
            }
        }
        ("csv", None) => {
            return Err(ExportError::Usage(
                "--format csv writes four files (cases.csv, episodes.csv, triggers.csv, codebook.md); give a folder with --out DIR".into(),
            ))
        }
        (other, _) => {
            return Err(ExportError::Usage(format!(
                "unknown export format {other:?}; use jsonl or csv"
            )))
        }
    }
    Ok(summary)
}

/// Writes every stored pseudonymised text to `dir/<case_id>/<doc_id>.txt`.
pub fn export_texts(ws: &Workspace, dir: &Path) -> Result<ExportSummary, ExportError> {
    let mut summary = ExportSummary::default();
    for id in stored_case_ids(ws) {
        if crate::intake::odd_name(id.as_ref()) {
            continue;
        }
        let case = load_case(ws, &id)?;
        summary.records += usize::from(case.record.is_some());
        for d in &case.docs {
            if crate::intake::odd_name(d.doc_id.as_ref()) {
                continue;
            }
            let p = dir.join(&id).join(format!("{}.txt", d.doc_id));
            write_file(&p, d.text.as_bytes())?;
            summary.documents += 1;
            summary.files.push(p);
        }
    }
    Ok(summary)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    workspace::write_durable(path, bytes)?;
    Ok(())
}
