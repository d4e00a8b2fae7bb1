//! The privacy officer's reports: the redaction report per case and document (what was
//! replaced, by which rule, and what the residual-risk scanner still flags), as text, JSON or
//! one self-contained HTML page; the summary a data-protection review asks for; and the check
//! that every stored document has its ingest events in the audit log.
//!
//! Owns: reading store/ (pseudonymised texts and their metadata) and the audit log for these
//! reports, and rendering them. Must never: open the vault (no originals are ever in a report;
//! the text shown is the pseudonymised text a researcher sees), write anything but the HTML
//! file the officer asked for, or put unescaped document text into HTML.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use super::risk::{self, RiskKind};
use crate::workspace::Workspace;

/// Errors of reading a workspace for a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not valid JSON metadata")]
    BadJson { path: PathBuf },
    #[error("no case {0} in store/ (case ids look like K0123456789ab; see `dossierkluis audit report WS`)")]
    NoCase(String),
    #[error(transparent)]
    Audit(#[from] super::AuditError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One replacement as placed in the stored text.
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    /// Byte offsets in the stored (pseudonymised) text.
    pub start: usize,
    pub end: usize,
    pub category: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub rule: String,
}

/// One residual risk, with the flagged token (from the pseudonymised text).
#[derive(Debug, Clone, Serialize)]
pub struct RiskEntry {
    pub start: usize,
    pub end: usize,
    /// 1-based line in the stored text.
    pub line: usize,
    pub kind: RiskKind,
    pub reason: &'static str,
    pub token: String,
}

/// The report of one stored document.
#[derive(Debug, Clone, Serialize)]
pub struct DocReport {
    pub doc_id: String,
    pub kind: String,
    pub pages: u64,
    pub replacements: usize,
    /// Replacements the metadata could not place in the stored text (no `at`).
    pub unplaced: usize,
    pub by_category: BTreeMap<String, usize>,
    pub by_rule: BTreeMap<String, usize>,
    pub risks: Vec<RiskEntry>,
    #[serde(skip)]
    pub marks: Vec<Mark>,
    /// The pseudonymised text (what researchers see); not in the JSON output.
    #[serde(skip)]
    pub text: String,
}

/// The report of one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseReport {
    pub case_id: String,
    pub replacements: usize,
    pub risks: usize,
    pub by_category: BTreeMap<String, usize>,
    pub by_rule: BTreeMap<String, usize>,
    pub documents: Vec<DocReport>,
}

/// The whole redaction report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub generated: String,
    pub tool_version: &'static str,
    pub rules_version: &'static str,
    pub rules_hash: &'static str,
    pub cases: usize,
    pub documents: usize,
    pub replacements: usize,
    pub risks: usize,
    pub by_category: BTreeMap<String, usize>,
    pub by_rule: BTreeMap<String, usize>,
    pub risks_by_kind: BTreeMap<String, usize>,
    pub case_reports: Vec<CaseReport>,
}

fn add_all(into: &mut BTreeMap<String, usize>, from: &BTreeMap<String, usize>) {
    for (k, v) in from {
        *into.entry(k.clone()).or_default() += v;
    }
}

/// The case folders of store/, sorted.
pub fn case_ids(ws: &Workspace) -> Result<Vec<String>, ReportError> {
    let store = ws.store_dir();
    let mut out = Vec::new();
    let rd = match std::fs::read_dir(&store) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io(&store)(e)),
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_dir() && !name.starts_with('.') {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// A case id given on the command line: a plain folder name that exists in store/.
fn checked_case(ws: &Workspace, id: &str) -> Result<String, ReportError> {
    let plain = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain && ws.store_dir().join(id).is_dir() {
        Ok(id.to_string())
    } else {
        Err(ReportError::NoCase(if plain {
            id.to_string()
        } else {
            "(not a case id)".into()
        }))
    }
}

/// Builds the report of all cases, or of one.
pub fn build(ws: &Workspace, case: Option<&str>) -> Result<Report, ReportError> {
    let ids = match case {
        Some(id) => vec![checked_case(ws, id)?],
        None => case_ids(ws)?,
    };
    let mut report = Report {
        generated: super::now_rfc3339(),
        tool_version: env!("CARGO_PKG_VERSION"),
        rules_version: crate::rules::rule_set_version(),
        rules_hash: crate::rules::rule_set_hash(),
        cases: 0,
        documents: 0,
        replacements: 0,
        risks: 0,
        by_category: BTreeMap::new(),
        by_rule: BTreeMap::new(),
        risks_by_kind: BTreeMap::new(),
        case_reports: Vec::new(),
    };
    for id in ids {
        let c = case_report(ws, &id)?;
        report.cases += 1;
        report.documents += c.documents.len();
        report.replacements += c.replacements;
        report.risks += c.risks;
        add_all(&mut report.by_category, &c.by_category);
        add_all(&mut report.by_rule, &c.by_rule);
        for d in &c.documents {
            for r in &d.risks {
                *report
                    .risks_by_kind
                    .entry(r.kind.as_str().to_string())
                    .or_default() += 1;
            }
        }
        report.case_reports.push(c);
    }
    Ok(report)
}

fn case_report(ws: &Workspace, case_id: &str) -> Result<CaseReport, ReportError> {
    let docs_dir = ws.store_dir().join(case_id).join("docs");
    let mut ids = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&docs_dir) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_suffix(".json") {
                if !crate::workspace::is_temp_name(&name) {
                    ids.push(id.to_string());
                }
            }
        }
    }
    ids.sort();
    let mut c = CaseReport {
        case_id: case_id.to_string(),
        replacements: 0,
        risks: 0,
        by_category: BTreeMap::new(),
        by_rule: BTreeMap::new(),
        documents: Vec::new(),
    };
    for id in ids {
        let d = doc_report(&docs_dir, &id)?;
        c.replacements += d.replacements;
        c.risks += d.risks.len();
        add_all(&mut c.by_category, &d.by_category);
        add_all(&mut c.by_rule, &d.by_rule);
        c.documents.push(d);
    }
    Ok(c)
}

fn doc_report(docs_dir: &Path, doc_id: &str) -> Result<DocReport, ReportError> {
    let json_path = docs_dir.join(format!("{doc_id}.json"));
    let txt_path = docs_dir.join(format!("{doc_id}.txt"));
    let meta_text = std::fs::read_to_string(&json_path).map_err(io(&json_path))?;
    let meta: Value = serde_json::from_str(&meta_text).map_err(|_| ReportError::BadJson {
        path: json_path.clone(),
    })?;
    let text = std::fs::read_to_string(&txt_path).map_err(io(&txt_path))?;
    let mut d = DocReport {
        doc_id: doc_id.to_string(),
        kind: meta
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        pages: meta.get("pages").and_then(Value::as_u64).unwrap_or(0),
        replacements: 0,
        unplaced: 0,
        by_category: BTreeMap::new(),
        by_rule: BTreeMap::new(),
        risks: Vec::new(),
        marks: Vec::new(),
        text: String::new(),
    };
    let spans = meta
        .get("spans")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for s in &spans {
        let s_str = |k: &str| s.get(k).and_then(Value::as_str).map(str::to_string);
        let category = s_str("category").unwrap_or_else(|| "?".into());
        let rule = s_str("rule").unwrap_or_else(|| "?".into());
        d.replacements += 1;
        *d.by_category.entry(category.clone()).or_default() += 1;
        *d.by_rule.entry(rule.clone()).or_default() += 1;
        let at = s
            .get("at")
            .and_then(Value::as_array)
            .and_then(|a| Some((a.first()?.as_u64()?, a.get(1)?.as_u64()?)));
        let placed = at.and_then(|(a, b)| {
            let (a, b) = (usize::try_from(a).ok()?, usize::try_from(b).ok()?);
            (a < b && text.get(a..b).is_some()).then_some((a, b))
        });
        match placed {
            Some((start, end)) => d.marks.push(Mark {
                start,
                end,
                category,
                role: s_str("role"),
                rule,
            }),
            None => d.unplaced += 1,
        }
    }
    d.marks.sort_by_key(|m| (m.start, m.end));
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    for r in risk::scan(&text) {
        let line = line_starts.partition_point(|&s| s <= r.start);
        d.risks.push(RiskEntry {
            start: r.start,
            end: r.end,
            line,
            kind: r.kind,
            reason: r.reason(),
            token: text.get(r.start..r.end).unwrap_or("").to_string(),
        });
    }
    d.text = text;
    Ok(d)
}

// ---------------------------------------------------------------------------------------------
// Text rendering

/// The report as plain text: a summary, then per case a table of documents and the risks.
pub fn render_text(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "dossierkluis redaction report ({})", r.generated);
    let _ = writeln!(
        o,
        "rule set {} ({}), dossierkluis {}",
        r.rules_version, r.rules_hash, r.tool_version
    );
    let _ = writeln!(
        o,
        "{} case(s), {} document(s), {} replacement(s), {} residual risk(s)",
        r.cases, r.documents, r.replacements, r.risks
    );
    if !r.by_category.is_empty() {
        let _ = writeln!(o, "\nreplacements per category:");
        for (k, v) in &r.by_category {
            let _ = writeln!(o, "  {k:<15} {v:>7}");
        }
    }
    if !r.risks_by_kind.is_empty() {
        let _ = writeln!(o, "\nresidual risks per kind:");
        for (k, v) in &r.risks_by_kind {
            let _ = writeln!(o, "  {k:<20} {v:>7}");
        }
    }
    for c in &r.case_reports {
        let cats: Vec<&String> = c.by_category.keys().collect();
        let _ = writeln!(
            o,
            "\ncase {}: {} document(s), {} replacement(s), {} residual risk(s)",
            c.case_id,
            c.documents.len(),
            c.replacements,
            c.risks
        );
        let mut header = format!("  {:<16} {:<6} {:>5}", "document", "kind", "total");
        for k in &cats {
            let _ = write!(
                header,
                " {:>width$}",
                short(k),
                width = short(k).len().max(4)
            );
        }
        let _ = write!(header, " {:>5}", "risks");
        let _ = writeln!(o, "{header}");
        for d in &c.documents {
            let mut row = format!("  {:<16} {:<6} {:>5}", d.doc_id, d.kind, d.replacements);
            for k in &cats {
                let n = d.by_category.get(*k).copied().unwrap_or(0);
                let _ = write!(row, " {:>width$}", n, width = short(k).len().max(4));
            }
            let _ = write!(row, " {:>5}", d.risks.len());
            let _ = writeln!(o, "{row}");
        }
        let rules: Vec<String> = c.by_rule.iter().map(|(k, v)| format!("{k} {v}")).collect();
        if !rules.is_empty() {
            let _ = writeln!(o, "  rules: {}", rules.join(", "));
        }
        for d in &c.documents {
            for risk in &d.risks {
                let _ = writeln!(
                    o,
                    "  risk {}:{} {:<20} {:?}  ({})",
                    d.doc_id,
                    risk.line,
                    risk.kind.as_str(),
                    printable(&risk.token),
                    risk.reason
                );
            }
            if d.unplaced > 0 {
                let _ = writeln!(
                    o,
                    "  note {}: {} replacement(s) could not be placed in the stored text",
                    d.doc_id, d.unplaced
                );
            }
        }
    }
    o
}

/// Short column heads for the categories.
fn short(cat: &str) -> &str {
    match cat {
        "GEBOORTEDATUM" => "GEBDAT",
        "INSTELLING" => "INST",
        "WOONPLAATS" => "PLAATS",
        "TELEFOON" => "TEL",
        "POSTCODE" => "PC",
        other => other,
    }
}

/// A token for a terminal: control characters replaced.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// HTML rendering

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than line breaks and tabs would only confuse a reader.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1d2330;
  background: #f6f7f9; margin: 0; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; background: #fff; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin-top: 36px; border-bottom: 2px solid #d9dde4; padding-bottom: 4px; }
h3 { font-size: 1.08em; margin: 26px 0 6px; }
.sub { color: #59617a; margin: 0 0 18px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { border: 1px solid #d9dde4; border-radius: 8px; padding: 10px 16px; min-width: 130px; }
.card .n { font-size: 1.7em; font-weight: 600; }
.card.warn { border-color: #e0a100; background: #fff8e6; }
.card.ok { border-color: #4f9d69; background: #eef8f1; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 0.93em; }
th, td { border: 1px solid #d9dde4; padding: 3px 9px; text-align: left; vertical-align: top; }
th { background: #eef0f4; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.92em; }
.legend span { margin-right: 16px; }
.row { display: flex; flex-wrap: wrap; gap: 0 40px; align-items: flex-start; }
.doctext { white-space: pre-wrap; font-family: ui-monospace, Menlo, Consolas, monospace;
  font-size: 0.88em; border: 1px solid #d9dde4; border-radius: 6px; padding: 12px 14px;
  background: #fbfbfc; overflow-wrap: anywhere; }
mark.repl { background: #d6e8ff; color: #0b3a75; border-radius: 3px; padding: 0 1px; }
mark.repl.c-NAAM { background: #dcd3ff; color: #3b1f8f; }
mark.repl.c-DATUM { background: #e8f3dc; color: #2d5312; }
mark.risk { background: #ffd5cc; color: #8a1500; border-bottom: 2px solid #d0361a;
  font-weight: 600; border-radius: 2px; }
details { margin: 6px 0 18px; }
summary { cursor: pointer; color: #2a4f9e; }
.none { color: #4f9d69; }
footer { margin-top: 40px; color: #59617a; font-size: 0.85em; }
"#;

fn cat_class(cat: &str) -> String {
    let clean: String = cat
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("c-{clean}")
}

/// The report as one self-contained HTML page (inline CSS, no scripts, no external resources).
pub fn render_html(r: &Report) -> String {
    let e = escape_html;
    let mut o = String::new();
    o.push_str("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str("<title>dossierkluis – redaction report</title>\n<style>");
    o.push_str(CSS);
    o.push_str("</style>\n</head>\n<body>\n<main>\n");
    let _ = writeln!(
        o,
        "<h1>Redaction report</h1>\n<p class=\"sub\">What dossierkluis replaced in the dossiers, \
         by which rule, and what may still be personal data. Generated {} by dossierkluis {}.</p>",
        e(&r.generated),
        e(r.tool_version)
    );

    // Summary.
    o.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n");
    let card = |o: &mut String, n: usize, label: &str, class: &str| {
        let _ = writeln!(
            o,
            "<div class=\"card {class}\"><div class=\"n\">{n}</div>{}</div>",
            e(label)
        );
    };
    card(&mut o, r.cases, "cases", "");
    card(&mut o, r.documents, "documents", "");
    card(&mut o, r.replacements, "replacements", "");
    card(
        &mut o,
        r.risks,
        "residual risks to check",
        if r.risks > 0 { "warn" } else { "ok" },
    );
    o.push_str("</div>\n");
    let _ = writeln!(
        o,
        "<p>Rule set <strong>{}</strong>, hash <code>{}</code>.</p>",
        e(r.rules_version),
        e(r.rules_hash)
    );
    o.push_str("<div class=\"row\">\n<div>\n<h3>Replacements per category</h3>\n");
    count_table(&mut o, "Category", &r.by_category);
    o.push_str("</div>\n<div>\n<h3>Residual risks per kind</h3>\n");
    if r.risks_by_kind.is_empty() {
        o.push_str("<p class=\"none\">The second scanner found nothing that still looks like personal data.</p>\n");
    } else {
        o.push_str("<table><tr><th>Kind</th><th>Meaning</th><th>Count</th></tr>\n");
        for k in RiskKind::ALL {
            if let Some(n) = r.risks_by_kind.get(k.as_str()) {
                let _ = writeln!(
                    o,
                    "<tr><td>{}</td><td>{}</td><td class=\"n\">{n}</td></tr>",
                    e(k.as_str()),
                    e(k.reason())
                );
            }
        }
        o.push_str("</table>\n");
    }
    o.push_str("</div>\n</div>\n");
    o.push_str("<details><summary>Replacements per rule</summary>\n");
    count_table(&mut o, "Rule", &r.by_rule);
    o.push_str("</details>\n");
    o.push_str("<h3>Cases</h3>\n<table><tr><th>Case</th><th>Documents</th><th>Replacements</th><th>Residual risks</th></tr>\n");
    for c in &r.case_reports {
        let _ = writeln!(
            o,
            "<tr><td><a href=\"#case-{id}\">{id}</a></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            c.documents.len(),
            c.replacements,
            c.risks,
            id = e(&c.case_id)
        );
    }
    o.push_str("</table>\n");
    o.push_str(
        "<p class=\"legend\">In the texts below: <span><mark class=\"repl\">[CLIENT]</mark> a replacement \
         (hover for its category and rule)</span><span><mark class=\"risk\">Word</mark> a residual risk: \
         check whether it is personal data</span></p>\n</section>\n",
    );

    // Cases.
    for c in &r.case_reports {
        let _ = writeln!(
            o,
            "<section class=\"case\" id=\"case-{id}\">\n<h2>Case {id}</h2>\n<p>{} document(s), {} replacement(s), {} residual risk(s).</p>",
            c.documents.len(),
            c.replacements,
            c.risks,
            id = e(&c.case_id)
        );
        for d in &c.documents {
            doc_html(&mut o, d);
        }
        o.push_str("</section>\n");
    }
    let _ = writeln!(
        o,
        "<footer>This page holds only pseudonymised text: the originals are in the vault, \
         encrypted to the privacy officer. Rule set {} <code>{}</code>.</footer>",
        e(r.rules_version),
        e(r.rules_hash)
    );
    o.push_str("</main>\n</body>\n</html>\n");
    o
}

fn count_table(o: &mut String, head: &str, counts: &BTreeMap<String, usize>) {
    if counts.is_empty() {
        o.push_str("<p>None.</p>\n");
        return;
    }
    let _ = writeln!(
        o,
        "<table><tr><th>{}</th><th>Count</th></tr>",
        escape_html(head)
    );
    for (k, v) in counts {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"n\">{v}</td></tr>",
            escape_html(k)
        );
    }
    o.push_str("</table>\n");
}

fn doc_html(o: &mut String, d: &DocReport) {
    let e = escape_html;
    let _ = writeln!(
        o,
        "<h3 id=\"doc-{id}\">Document {id}</h3>\n<p>{} ({} page(s)): {} replacement(s), {} residual risk(s){}.</p>",
        e(&d.kind),
        d.pages,
        d.replacements,
        d.risks.len(),
        if d.unplaced > 0 {
            format!(
                ", {} replacement(s) not placed in the text",
                d.unplaced
            )
        } else {
            String::new()
        },
        id = e(&d.doc_id)
    );
    if !d.by_category.is_empty() {
        o.push_str("<table><tr><th>Category</th><th>Count</th><th>Rules</th></tr>\n");
        for (cat, n) in &d.by_category {
            let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
            for m in d.marks.iter().filter(|m| &m.category == cat) {
                *rules.entry(m.rule.as_str()).or_default() += 1;
            }
            let rules: Vec<String> = rules.iter().map(|(k, v)| format!("{k} ({v})")).collect();
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"n\">{n}</td><td>{}</td></tr>",
                e(cat),
                e(&rules.join(", "))
            );
        }
        o.push_str("</table>\n");
    }
    if !d.risks.is_empty() {
        o.push_str("<table><tr><th>Line</th><th>Flagged</th><th>Why</th></tr>\n");
        for r in &d.risks {
            let _ = writeln!(
                o,
                "<tr><td class=\"n\">{}</td><td><mark class=\"risk\">{}</mark></td><td>{}</td></tr>",
                r.line,
                e(&r.token),
                e(r.reason)
            );
        }
        o.push_str("</table>\n");
    }
    o.push_str("<details open><summary>Pseudonymised text</summary>\n<div class=\"doctext\">");
    o.push_str(&marked_text(d));
    o.push_str("</div>\n</details>\n");
}

/// The text with replacements and risks marked; where a risk overlaps a replacement, the
/// replacement wins on the page (the risk is still listed in the table above).
fn marked_text(d: &DocReport) -> String {
    enum Seg<'a> {
        Repl(&'a Mark),
        Risk(&'a RiskEntry),
    }
    let mut segs: Vec<(usize, usize, Seg<'_>)> = d
        .marks
        .iter()
        .map(|m| (m.start, m.end, Seg::Repl(m)))
        .chain(d.risks.iter().map(|r| (r.start, r.end, Seg::Risk(r))))
        .collect();
    segs.sort_by_key(|(s, e, seg)| (*s, matches!(seg, Seg::Risk(_)), *e));
    let text = d.text.as_str();
    let mut o = String::with_capacity(text.len() * 2);
    let mut pos = 0usize;
    for (s, e, seg) in segs {
        if s < pos {
            continue;
        }
        let (Some(before), Some(inner)) = (text.get(pos..s), text.get(s..e)) else {
            continue;
        };
        o.push_str(&escape_html(before));
        match seg {
            Seg::Repl(m) => {
                let title = match &m.role {
                    Some(role) => format!("{} ({role}) · rule {}", m.category, m.rule),
                    None => format!("{} · rule {}", m.category, m.rule),
                };
                let _ = write!(
                    o,
                    "<mark class=\"repl {}\" title=\"{}\">{}</mark>",
                    cat_class(&m.category),
                    escape_html(&title),
                    escape_html(inner)
                );
            }
            Seg::Risk(r) => {
                let _ = write!(
                    o,
                    "<mark class=\"risk\" title=\"{}\">{}</mark>",
                    escape_html(&format!(
                        "residual risk ({}): {}",
                        r.kind.as_str(),
                        r.reason
                    )),
                    escape_html(inner)
                );
            }
        }
        pos = e;
    }
    o.push_str(&escape_html(text.get(pos..).unwrap_or("")));
    o
}

// ---------------------------------------------------------------------------------------------
// Ingest events of stored documents

/// A stored document whose ingest events are (partly) missing from the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingEvents {
    pub case: String,
    pub ciphertext_sha256: String,
    /// Which of `received`, `stored`, `archived` is missing.
    pub missing: Vec<&'static str>,
}

/// Checks that every document in a store/*/manifest.json has a `received` and an `archived`
/// event with its ciphertext hash and case, and that its case has a `stored` event after the
/// document was received.
pub fn missing_ingest_events(
    ws: &Workspace,
    events: &[Value],
) -> Result<Vec<MissingEvents>, ReportError> {
    // (kind, case, sha) -> first seq; (case) -> seqs of stored events.
    let mut seen: BTreeMap<(&str, &str, &str), u64> = BTreeMap::new();
    let mut stored: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for ev in events {
        let get = |k: &str| ev.get(k).and_then(Value::as_str).unwrap_or("");
        let seq = ev.get("seq").and_then(Value::as_u64).unwrap_or(0);
        match get("kind") {
            k @ ("received" | "archived") => {
                seen.entry((k, get("case"), get("ciphertext_sha256")))
                    .or_insert(seq);
            }
            "stored" => stored.entry(get("case")).or_default().push(seq),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for case in case_ids(ws)? {
        let path = ws.store_dir().join(&case).join("manifest.json");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io(&path)(e)),
        };
        let manifest: Value =
            serde_json::from_str(&text).map_err(|_| ReportError::BadJson { path: path.clone() })?;
        let case_id = manifest
            .get("case_id")
            .and_then(Value::as_str)
            .unwrap_or(&case)
            .to_string();
        let Some(docs) = manifest.get("documents").and_then(Value::as_object) else {
            continue;
        };
        for sha in docs.keys() {
            let mut missing = Vec::new();
            let received = seen.get(&("received", case_id.as_str(), sha.as_str()));
            if received.is_none() {
                missing.push("received");
            }
            let after = received.copied().unwrap_or(0);
            if !stored
                .get(case_id.as_str())
                .is_some_and(|v| v.iter().any(|&s| s > after))
            {
                missing.push("stored");
            }
            if !seen.contains_key(&("archived", case_id.as_str(), sha.as_str())) {
                missing.push("archived");
            }
            if !missing.is_empty() {
                out.push(MissingEvents {
                    case: case_id.clone(),
                    ciphertext_sha256: sha.clone(),
                    missing,
                });
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Summary

/// What a data-protection review asks for.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub tool_version: &'static str,
    pub rules_version: &'static str,
    pub rules_hash: &'static str,
    /// Every rule-set hash recorded in the log, with the number of events under it.
    pub rules_hashes_in_log: BTreeMap<String, usize>,
    pub cases: usize,
    pub documents: usize,
    pub replacements: usize,
    pub by_category: BTreeMap<String, usize>,
    pub residual_risks: usize,
    pub risks_by_kind: BTreeMap<String, usize>,
    pub searches: usize,
    pub exports: usize,
    pub reidentifications: usize,
    pub reidentifications_failed: usize,
    pub documents_quarantined: usize,
    pub ingest_runs: usize,
    pub events: usize,
    pub events_by_kind: BTreeMap<String, usize>,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
    /// `None` when the hash chain is intact, else what is wrong.
    pub log_problem: Option<String>,
    pub documents_missing_events: usize,
}

/// Builds the summary from store/ and the audit log.
pub fn summary(ws: &Workspace) -> Result<Summary, ReportError> {
    let report = build(ws, None)?;
    let log = ws.audit_log_path();
    let events = if log.is_file() {
        super::read_events(&log)?
    } else {
        Vec::new()
    };
    let log_problem = if log.is_file() {
        super::verify(&log).err().map(|e| e.to_string())
    } else {
        Some("there is no audit log".into())
    };
    let mut s = Summary {
        tool_version: env!("CARGO_PKG_VERSION"),
        rules_version: crate::rules::rule_set_version(),
        rules_hash: crate::rules::rule_set_hash(),
        rules_hashes_in_log: BTreeMap::new(),
        cases: report.cases,
        documents: report.documents,
        replacements: report.replacements,
        by_category: report.by_category.clone(),
        residual_risks: report.risks,
        risks_by_kind: report.risks_by_kind.clone(),
        searches: 0,
        exports: 0,
        reidentifications: 0,
        reidentifications_failed: 0,
        documents_quarantined: 0,
        ingest_runs: 0,
        events: events.len(),
        events_by_kind: BTreeMap::new(),
        first_event: None,
        last_event: None,
        log_problem,
        documents_missing_events: missing_ingest_events(ws, &events)?.len(),
    };
    for ev in &events {
        let get = |k: &str| ev.get(k).and_then(Value::as_str).unwrap_or("");
        let kind = get("kind");
        *s.events_by_kind.entry(kind.to_string()).or_default() += 1;
        *s.rules_hashes_in_log
            .entry(get("rules_hash").to_string())
            .or_default() += 1;
        if s.first_event.is_none() {
            s.first_event = Some(get("time").to_string());
        }
        s.last_event = Some(get("time").to_string());
        if kind.starts_with("search") || kind == "triggers" {
            s.searches += 1;
        } else if kind.starts_with("export") {
            s.exports += 1;
        } else if kind == "reidentify" {
            if ev.get("success").and_then(Value::as_bool) == Some(true) {
                s.reidentifications += 1;
            } else {
                s.reidentifications_failed += 1;
            }
        } else if kind == "quarantined" {
            s.documents_quarantined += 1;
        } else if kind == "ingest_run" {
            s.ingest_runs += 1;
        }
    }
    Ok(s)
}

/// The summary as text.
pub fn render_summary(s: &Summary) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "dossierkluis audit summary");
    let _ = writeln!(o, "  tool version:          {}", s.tool_version);
    let _ = writeln!(
        o,
        "  rule set:              {} ({})",
        s.rules_version, s.rules_hash
    );
    if s.rules_hashes_in_log.len() > 1 || s.rules_hashes_in_log.keys().any(|h| h != s.rules_hash) {
        let _ = writeln!(o, "  rule sets in the log:");
        for (h, n) in &s.rules_hashes_in_log {
            let _ = writeln!(o, "    {h}  {n} event(s)");
        }
    }
    let _ = writeln!(o, "  cases:                 {}", s.cases);
    let _ = writeln!(o, "  documents:             {}", s.documents);
    let _ = writeln!(o, "  quarantined files:     {}", s.documents_quarantined);
    let _ = writeln!(o, "  replacements:          {}", s.replacements);
    for (k, v) in &s.by_category {
        let _ = writeln!(o, "    {k:<15} {v:>7}");
    }
    let _ = writeln!(o, "  residual risks:        {}", s.residual_risks);
    for (k, v) in &s.risks_by_kind {
        let _ = writeln!(o, "    {k:<20} {v:>7}");
    }
    let _ = writeln!(o, "  searches:              {}", s.searches);
    let _ = writeln!(o, "  exports:               {}", s.exports);
    let _ = writeln!(
        o,
        "  re-identifications:    {} (failed attempts: {})",
        s.reidentifications, s.reidentifications_failed
    );
    let _ = writeln!(o, "  ingest runs:           {}", s.ingest_runs);
    let _ = writeln!(
        o,
        "  audit events:          {} ({} .. {})",
        s.events,
        s.first_event.as_deref().unwrap_or("-"),
        s.last_event.as_deref().unwrap_or("-")
    );
    match &s.log_problem {
        None => {
            let _ = writeln!(o, "  audit log chain:       intact");
        }
        Some(p) => {
            let _ = writeln!(o, "  audit log chain:       BROKEN: {p}");
        }
    }
    let _ = writeln!(
        o,
        "  documents lacking ingest events: {}",
        s.documents_missing_events
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralises_markup() {
        let s = escape_html("<script>alert('x')</script> & \"q\"\u{0007}");
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('"') && !s.contains('\''));
        assert_eq!(
            s,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;\u{FFFD}"
        );
    }

    #[test]
    fn marked_text_marks_replacements_and_risks_and_escapes_the_rest() {
        let text = "[CLIENT] zag <b>Zorbulax</b> in [PLAATS-12].".to_string();
        let start = text.find("[PLAATS").unwrap();
        let d = DocReport {
            doc_id: "d".into(),
            kind: "text".into(),
            pages: 1,
            replacements: 2,
            unplaced: 0,
            by_category: BTreeMap::new(),
            by_rule: BTreeMap::new(),
            risks: risk::scan(&text)
                .into_iter()
                .map(|r| RiskEntry {
                    start: r.start,
                    end: r.end,
                    line: 1,
                    kind: r.kind,
                    reason: r.reason(),
                    token: text[r.start..r.end].to_string(),
                })
                .collect(),
            marks: vec![
                Mark {
                    start: 0,
                    end: 8,
                    category: "NAAM".into(),
                    role: Some("CLIENT".into()),
                    rule: "name-context".into(),
                },
                Mark {
                    start,
                    end: start + "[PLAATS-12]".len(),
                    category: "WOONPLAATS".into(),
                    role: None,
                    rule: "place-list".into(),
                },
            ],
            text,
        };
        let html = marked_text(&d);
        assert!(html.starts_with(
            "<mark class=\"repl c-NAAM\" title=\"NAAM (CLIENT) · rule name-context\">[CLIENT]</mark>"
        ));
        assert!(html.contains("&lt;b&gt;<mark class=\"risk\""), "{html}");
        assert!(html.contains(">Zorbulax</mark>&lt;/b&gt;"), "{html}");
        assert!(html.contains("title=\"WOONPLAATS · rule place-list\">[PLAATS-12]</mark>."));
        assert!(!html.contains("<b>"));
    }
}
