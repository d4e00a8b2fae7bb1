//! `deidentify` and the shared reading of a case directory of plain-text documents.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::pseudo::{CaseOutput, Document, Engine, PseudoKey};

/// Reads every `.txt` document of a case directory (sorted by name).
pub fn read_case_dir(dir: &Path) -> Result<Vec<Document>> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read case directory {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let mut docs = Vec::with_capacity(names.len());
    for p in names {
        let bytes = std::fs::read(&p).with_context(|| format!("cannot read {}", p.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", p.display()))?;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        docs.push(Document { name, text });
    }
    Ok(docs)
}

/// Pseudonymises a case directory with a fresh random key (no workspace: nothing is kept).
pub fn deidentify_dir(dir: &Path) -> Result<CaseOutput> {
    let docs = read_case_dir(dir)?;
    let engine = Engine::load_default()?;
    let key = PseudoKey(rand::random());
    Ok(engine.deidentify_case(&key, &docs)?)
}

pub fn run(case_dir: Option<&Path>, file: Option<&Path>, json: bool) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Some(dir) = case_dir {
        let result = deidentify_dir(dir)?;
        for d in &result.docs {
            if json {
                serde_json::to_writer(&mut out, d)?;
                out.write_all(b"\n")?;
            } else {
                writeln!(out, "=== {}\n{}", d.document, d.text)?;
            }
        }
    } else if let Some(f) = file {
        let bytes = std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", f.display()))?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let engine = Engine::load_default()?;
        let key = PseudoKey(rand::random());
        let result = engine.deidentify_case(&key, &[Document { name, text }])?;
        for d in &result.docs {
            if json {
                serde_json::to_writer(&mut out, d)?;
                out.write_all(b"\n")?;
            } else {
                write!(out, "{}", d.text)?;
            }
        }
    } else {
        anyhow::bail!("give --case DIR or a FILE");
    }
    out.flush()?;
    Ok(())
}
