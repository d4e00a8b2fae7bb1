//! The `search`, `triggers` and `export` commands: argument handling and output formatting on
//! top of `index` and `export`; every access is logged (`index::access`). Must never print
//! anything but pseudonymised text, codes and counts, nor log the query text.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::Path;
use std::process::ExitCode;

use serde_json::json;

use crate::index::{access, IndexError};
use crate::workspace::Workspace;

/// Exit code of a malformed query or wrong usage.
const USAGE: u8 = 2;

/// Prints to standard output; a closed pipe (`| head`) is not an error.
fn emit(s: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn query_error(e: &IndexError) -> Option<ExitCode> {
    if let IndexError::Query(msg) = e {
        eprintln!("dossierkluis: invalid query: {msg}");
        return Some(ExitCode::from(USAGE));
    }
    None
}

pub fn cmd_search(root: &Path, query: &str, limit: usize, json: bool) -> anyhow::Result<ExitCode> {
    let ws = Workspace::open(root)?;
    let results = match crate::index::search(&ws, query, limit.max(1)) {
        Ok(r) => r,
        Err(e) => match query_error(&e) {
            Some(code) => return Ok(code),
            None => return Err(e.into()),
        },
    };
    access::log_access(
        &ws,
        "search",
        Some(query),
        results.total_documents,
        json!({"cases": results.total_cases}),
    )?;
    if json {
        emit(&(serde_json::to_string_pretty(&results)? + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let ansi = std::io::stdout().is_terminal();
    let mut o = String::new();
    writeln!(
        o,
        "{} documents in {} cases match; showing {} cases",
        results.total_documents,
        results.total_cases,
        results.cases.len()
    )?;
    for c in &results.cases {
        writeln!(o)?;
        writeln!(
            o,
            "case {}  score {:.2}  {} matching document(s)",
            c.case_id, c.score, c.hits
        )?;
        for d in &c.documents {
            writeln!(
                o,
                "  {} [{}]{}  score {:.2}",
                d.doc_id,
                d.doctype,
                d.datum
                    .as_deref()
                    .map(|m| format!(" {m}"))
                    .unwrap_or_default(),
                d.score
            )?;
            writeln!(o, "    {}", highlight(&d.snippet, &d.highlighted, ansi))?;
        }
    }
    emit(&o)?;
    Ok(ExitCode::SUCCESS)
}

/// Marks the highlighted ranges: bold on a terminal, `**...**` otherwise.
fn highlight(text: &str, ranges: &[(usize, usize)], ansi: bool) -> String {
    let (open, close) = if ansi {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("**", "**")
    };
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut at = 0;
    for &(s, e) in ranges {
        if s < at || e < s {
            continue;
        }
        let (Some(before), Some(hit)) = (text.get(at..s), text.get(s..e)) else {
            continue;
        };
        out.push_str(before);
        out.push_str(open);
        out.push_str(hit);
        out.push_str(close);
        at = e;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

pub fn cmd_triggers(root: &Path, query: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let ws = Workspace::open(root)?;
    let only = match query {
        None => None,
        Some(q) => {
            let ix = crate::index::CaseIndex::open(&ws)?;
            match crate::index::search::matching_cases(&ix, q) {
                Ok(v) => Some(v),
                Err(e) => match query_error(&e) {
                    Some(code) => return Ok(code),
                    None => return Err(e.into()),
                },
            }
        }
    };
    let records = crate::export::stored_records(&ws, only.as_deref());
    let report = crate::index::triggers::analyse(&records);
    access::log_access(
        &ws,
        "triggers",
        query,
        report.triggers,
        json!({"cases": report.cases_analysed}),
    )?;
    if json {
        emit(&(serde_json::to_string_pretty(&report)? + "\n"))?;
    } else {
        emit(&crate::index::triggers::table(&report))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn cmd_export(
    root: &Path,
    format: Option<&str>,
    out: Option<&Path>,
    texts: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let ws = Workspace::open(root)?;
    if format.is_none() && texts.is_none() {
        eprintln!("dossierkluis: export needs --format jsonl|csv and/or --texts DIR");
        return Ok(ExitCode::from(USAGE));
    }
    if let Some(fmt) = format {
        let s = match crate::export::export_records(&ws, fmt, out) {
            Ok(s) => s,
            Err(crate::export::ExportError::Usage(msg)) => {
                eprintln!("dossierkluis: {msg}");
                return Ok(ExitCode::from(USAGE));
            }
            Err(e) => return Err(e.into()),
        };
        access::log_access(
            &ws,
            "export",
            None,
            s.records,
            json!({"format": fmt, "destination": if out.is_some() { "folder" } else { "stdout" }}),
        )?;
        if let Some(dir) = out {
            eprintln!("exported {} records to {}", s.records, dir.display());
        }
    }
    if let Some(dir) = texts {
        let s = crate::export::export_texts(&ws, dir)?;
        access::log_access(
            &ws,
            "export",
            None,
            s.documents,
            json!({"format": "texts", "destination": "folder"}),
        )?;
        eprintln!(
            "exported {} pseudonymised documents to {}",
            s.documents,
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
