//! Command-line layer: parses arguments (clap) and calls the library. Owns no logic of its own
//! beyond formatting output. Must never print personal data except pseudonymised text, and
//! never print a stack trace for bad input: every error is a one-line message and an exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod deid;
mod search;

/// dossierkluis: research on Dutch complex-care dossiers without handling personal data.
///
/// Providers seal dossiers (age encryption) into a workspace's drop/ folder; `ingest` opens
/// them in memory, pseudonymises every personal identifier, extracts the research record and
/// indexes the pseudonymised text. Start with `dossierkluis demo` to see it work.
#[derive(Debug, Parser)]
#[command(name = "dossierkluis", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a workspace: folders, the workspace key pair, the vault key and settings.
    Init {
        /// The workspace folder to create.
        workspace: PathBuf,
        /// Adopt this existing age identity file (mode 0600) instead of generating one.
        #[arg(long)]
        identity: Option<PathBuf>,
        /// The privacy officer's age recipient (age1...); without it an officer identity is
        /// generated into keys/officer-identity.txt, to be moved off this machine.
        #[arg(long)]
        officer_recipient: Option<String>,
    },
    /// Provider side: encrypt files for a workspace's drop folder.
    Seal {
        /// The workspace's recipient (age1...), as printed by `init`.
        #[arg(long)]
        recipient: String,
        /// The provider's own case reference; becomes the subfolder drop/REF/.
        #[arg(long = "case")]
        case_ref: String,
        /// Where to write REF/<file>.age (e.g. the workspace's drop/ folder).
        #[arg(long, default_value = ".")]
        out: PathBuf,
        /// The files to seal.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Process everything in drop/: decrypt in memory, pseudonymise, store, index, archive.
    Ingest {
        workspace: PathBuf,
        /// Keep watching drop/ for new files.
        #[arg(long)]
        watch: bool,
        /// Seconds between scans with --watch.
        #[arg(long, default_value_t = 2)]
        interval: u64,
        /// Cases worked on at once (default: `jobs` in dossierkluis.toml; 0 there means the
        /// number of cores).
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
        jobs: Option<u16>,
        /// Print pages/s, MB/s and the time per stage to stderr after the run (no personal
        /// data).
        #[arg(long)]
        timings: bool,
    },
    /// Pseudonymise plain-text documents (no workspace needed; for evaluation and checks).
    Deidentify {
        /// A case directory: all .txt documents in it are treated as one case.
        #[arg(long = "case", conflicts_with = "file")]
        case_dir: Option<PathBuf>,
        /// One plain-text file; prints its pseudonymised text.
        file: Option<PathBuf>,
        /// Print JSON lines (document, spans, text) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the research record of a case directory of .txt documents.
    Extract {
        #[arg(long = "case")]
        case_dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search across the pseudonymised texts of a workspace.
    Search {
        workspace: PathBuf,
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Recurring triggers of bad periods across cases.
    Triggers {
        workspace: PathBuf,
        #[arg(long)]
        query: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Export research records (--format) or pseudonymised texts (--texts DIR).
    Export {
        workspace: PathBuf,
        #[arg(long, value_parser = ["jsonl", "csv"])]
        format: Option<String>,
        /// Folder for the record export (default: standard output for jsonl).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write the pseudonymised texts, one file per document, into this folder.
        #[arg(long)]
        texts: Option<PathBuf>,
    },
    /// The audit log and the privacy officer's reports.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Privacy officer only: look up what a pseudonym stands for (printed, never stored;
    /// every attempt is written to the audit log).
    Reidentify {
        workspace: PathBuf,
        /// The privacy officer's age identity file (mode 0600).
        #[arg(long)]
        identity: PathBuf,
        /// The case id (K0123456789ab, as in store/).
        #[arg(long = "case")]
        case_id: String,
        /// One pseudonym, e.g. "[NAASTE-1234]" or NAASTE-1234; default all of the case.
        #[arg(long)]
        pseudonym: Option<String>,
    },
    /// Run the whole flow on the bundled synthetic demo dossiers.
    Demo {
        /// Workspace folder to create (default: a new folder under the system temp dir).
        #[arg(long)]
        workspace: Option<PathBuf>,
    },
    /// Internal: the isolated text-extraction child (reads a document on stdin).
    #[command(name = "__extract", hide = true)]
    ExtractChild,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain of the audit log and that every stored document has its ingest
    /// events.
    Verify { workspace: PathBuf },
    /// Show audit events as a table.
    Log {
        workspace: PathBuf,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Redaction report per case and document, with residual risks.
    Report {
        workspace: PathBuf,
        #[arg(long = "case")]
        case_id: Option<String>,
        /// Write one self-contained HTML page here instead of the text report.
        #[arg(long, conflicts_with = "json")]
        html: Option<PathBuf>,
        /// Print the counts and risks as JSON (without the texts).
        #[arg(long)]
        json: bool,
    },
    /// What a data-protection review asks for: rule set, counts, searches and exports.
    Summary {
        workspace: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    // Like other Unix filters: when the reader of our output goes away (`... | head`), end
    // quietly instead of panicking on a broken pipe.
    // SAFETY: restoring the default disposition of SIGPIPE before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // A panic's message can quote the text being processed (a slice error prints the whole
    // string), and that text is a dossier: print where it happened, never what it said.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "an unknown place".into());
        eprintln!(
            "dossierkluis: internal error at {at} (details withheld: they could quote a dossier); please report it"
        );
    }));
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dossierkluis: {}", one_line(&e));
            ExitCode::from(1)
        }
    }
}

/// An error and its causes on one line: "a: b: c", leaving out a cause whose text its parent
/// already ends with (errors that show their source), and with line breaks made spaces.
pub fn one_line(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.ends_with(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out.replace(['\n', '\r'], " ")
}

/// Runs one command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Init {
            workspace,
            identity,
            officer_recipient,
        } => cmd_init(&workspace, identity, officer_recipient),
        Command::Seal {
            recipient,
            case_ref,
            out,
            files,
        } => {
            let r = crate::crypto::parse_recipient(&recipient)?;
            let written = crate::intake::seal_files(&r, &case_ref, &out, &files)?;
            println!(
                "sealed {} file(s) into {}",
                written.len(),
                out.join(&case_ref).display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest {
            workspace,
            watch,
            interval,
            jobs,
            timings,
        } => cmd_ingest(&workspace, watch, interval, jobs.map(usize::from), timings),
        Command::Audit {
            command: AuditCommand::Verify { workspace },
        } => cmd_audit_verify(&workspace),
        Command::Audit {
            command:
                AuditCommand::Log {
                    workspace,
                    kind,
                    since,
                    json,
                },
        } => cmd_audit_log(&workspace, kind.as_deref(), since.as_deref(), json),
        Command::Audit {
            command:
                AuditCommand::Report {
                    workspace,
                    case_id,
                    html,
                    json,
                },
        } => cmd_audit_report(&workspace, case_id.as_deref(), html.as_deref(), json),
        Command::Audit {
            command: AuditCommand::Summary { workspace, json },
        } => cmd_audit_summary(&workspace, json),
        Command::Reidentify {
            workspace,
            identity,
            case_id,
            pseudonym,
        } => cmd_reidentify(&workspace, &identity, &case_id, pseudonym.as_deref()),
        Command::Demo { workspace } => cmd_demo(workspace),
        Command::Extract { case_dir, json } => run_extract(&case_dir, json),
        Command::Deidentify {
            case_dir,
            file,
            json,
        } => {
            deid::run(case_dir.as_deref(), file.as_deref(), json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::ExtractChild => Ok(crate::text::child_main()),
        Command::Search {
            workspace,
            query,
            limit,
            json,
        } => search::cmd_search(&workspace, &query, limit, json),
        Command::Triggers {
            workspace,
            query,
            json,
        } => search::cmd_triggers(&workspace, query.as_deref(), json),
        Command::Export {
            workspace,
            format,
            out,
            texts,
        } => search::cmd_export(
            &workspace,
            format.as_deref(),
            out.as_deref(),
            texts.as_deref(),
        ),
    }
}

fn cmd_init(
    root: &std::path::Path,
    identity: Option<PathBuf>,
    officer_recipient: Option<String>,
) -> anyhow::Result<ExitCode> {
    let report = crate::workspace::init(
        root,
        &crate::workspace::InitOptions {
            identity,
            officer_recipient,
            settle_seconds: None,
        },
    )?;
    println!("Workspace created: {}", root.display());
    println!();
    println!("Recipient for providers (hand this to them; they seal files with it):");
    println!("  {}", report.recipient);
    println!("Privacy officer's recipient: {}", report.officer_recipient);
    if let Some(path) = report.officer_identity_file {
        eprintln!();
        eprintln!(
            "WARNING: a privacy officer identity was generated in {}.",
            path.display()
        );
        eprintln!(
            "  Whoever holds it can re-identify cases. Move it off this machine to the privacy"
        );
        eprintln!(
            "  officer (and delete it here), or re-create the workspace with --officer-recipient."
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn ingest_options() -> crate::intake::IngestOptions {
    crate::intake::IngestOptions {
        extractor_exe: std::env::current_exe().ok(),
        progress: true,
        jobs: None,
        faults: None,
    }
}

fn cmd_ingest(
    root: &std::path::Path,
    watch: bool,
    interval: u64,
    jobs: Option<usize>,
    timings: bool,
) -> anyhow::Result<ExitCode> {
    let ws = crate::workspace::Workspace::open(root)?;
    let opts = crate::intake::IngestOptions {
        jobs,
        ..ingest_options()
    };
    if watch {
        eprintln!(
            "watching {} (every {interval} s; Ctrl-C stops)",
            ws.drop_dir().display()
        );
        crate::intake::watch(
            &ws,
            &opts,
            std::time::Duration::from_secs(interval.max(1)),
            &|| false,
            &mut |s| println!("{s}"),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let summary = crate::intake::ingest(&ws, &opts)?;
    println!("{summary}");
    if summary.unsettled > 0 {
        println!("(run ingest again in a few seconds, or keep it running with --watch)");
    }
    if timings {
        eprintln!("{}", summary.timings);
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_audit_verify(root: &std::path::Path) -> anyhow::Result<ExitCode> {
    let ws = crate::workspace::Workspace::open(root)?;
    match crate::audit::verify(&ws.audit_log_path()) {
        Ok(r) => println!("audit log OK: {} events, head {}", r.events, r.head),
        Err(e) => {
            println!("audit log BROKEN: {e}");
            return Ok(ExitCode::from(1));
        }
    }
    let events = crate::audit::read_events(&ws.audit_log_path())?;
    let missing = crate::audit::report::missing_ingest_events(&ws, &events)?;
    let stored: usize = crate::audit::report::build(&ws, None)?.documents;
    if missing.is_empty() {
        println!("ingest events OK: all {stored} stored documents have received, stored and archived events");
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "ingest events MISSING for {} of {stored} stored documents:",
        missing.len()
    );
    for m in &missing {
        println!(
            "  case {} document {}: no {} event",
            m.case,
            m.ciphertext_sha256,
            m.missing.join(", no ")
        );
    }
    Ok(ExitCode::from(1))
}

fn cmd_audit_report(
    root: &std::path::Path,
    case_id: Option<&str>,
    html: Option<&std::path::Path>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let ws = crate::workspace::Workspace::open(root)?;
    let report = crate::audit::report::build(&ws, case_id)?;
    if let Some(out) = html {
        let page = crate::audit::report::render_html(&report);
        std::fs::write(out, page)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
        println!(
            "wrote {} ({} case(s), {} document(s), {} replacement(s), {} residual risk(s))",
            out.display(),
            report.cases,
            report.documents,
            report.replacements,
            report.risks
        );
    } else if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{}", crate::audit::report::render_text(&report));
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_audit_summary(root: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    let ws = crate::workspace::Workspace::open(root)?;
    let s = crate::audit::report::summary(&ws)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        print!("{}", crate::audit::report::render_summary(&s));
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_reidentify(
    root: &std::path::Path,
    identity: &std::path::Path,
    case_id: &str,
    pseudonym: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let ws = crate::workspace::Workspace::open(root)?;
    let found = crate::audit::reidentify::reidentify(&ws, identity, case_id, pseudonym)?;
    println!(
        "case {}: {} pseudonym(s) (this look-up is recorded in the audit log)",
        found.case,
        found.entities.len()
    );
    for e in &found.entities {
        let role = e
            .role
            .map(|r| format!(" {}", r.as_str()))
            .unwrap_or_default();
        println!(
            "{}\t{}{role}\t{}",
            e.pseudonym,
            e.category.as_str(),
            e.originals.join(" | ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_audit_log(
    root: &std::path::Path,
    kind: Option<&str>,
    since: Option<&str>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let ws = crate::workspace::Workspace::open(root)?;
    let events = crate::audit::read_events(&ws.audit_log_path())?;
    let standard = [
        "seq",
        "time",
        "kind",
        "tool_version",
        "rules_hash",
        "prev",
        "hash",
        "case",
    ];
    if !json {
        println!(
            "{:>6}  {:<20}  {:<16}  {:<13}  details",
            "seq", "time", "kind", "case"
        );
    }
    for ev in events {
        let get = |k: &str| ev.get(k).and_then(|v| v.as_str()).unwrap_or("");
        if kind.is_some_and(|k| get("kind") != k) {
            continue;
        }
        if since.is_some_and(|s| get("time") < s) {
            continue;
        }
        if json {
            println!("{}", crate::audit::canonical(&ev));
            continue;
        }
        let mut details = Vec::new();
        if let Some(obj) = ev.as_object() {
            let mut keys: Vec<&String> = obj.keys().collect();
            keys.sort();
            for k in keys {
                if standard.contains(&k.as_str()) {
                    continue;
                }
                let v = &obj[k];
                if v.is_null() {
                    continue;
                }
                let mut s = match v.as_str() {
                    Some(s) => s.to_string(),
                    None => v.to_string(),
                };
                if k.ends_with("sha256") && s.len() > 16 {
                    s.truncate(16);
                }
                details.push(format!("{k}={s}"));
            }
        }
        println!(
            "{:>6}  {:<20}  {:<16}  {:<13}  {}",
            ev.get("seq").and_then(|v| v.as_u64()).unwrap_or(0),
            get("time"),
            get("kind"),
            get("case"),
            details.join(" ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_demo(workspace: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let root = workspace.unwrap_or_else(crate::demo::default_workspace);
    let result = crate::demo::run(&root, &ingest_options())?;
    let ws = crate::workspace::Workspace::open(&root)?;
    println!("dossierkluis demo");
    println!("  workspace:  {}", result.workspace.display());
    println!("  recipient:  {}", result.init.recipient);
    println!(
        "  sealed {} invented documents of {} cases into drop/",
        result.sealed,
        crate::demo::DEMO_FILES
            .iter()
            .map(|f| f.0)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    println!("  ingest:     {}", result.summary);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(ws.store_dir())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    for case in &cases {
        let docs = std::fs::read_dir(case.join("docs"))
            .map(|rd| {
                rd.flatten()
                    .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
                    .count()
            })
            .unwrap_or(0);
        let name = case.file_name().map(|n| n.to_string_lossy().into_owned());
        println!(
            "  case {}: {docs} pseudonymised documents",
            name.unwrap_or_default()
        );
    }
    if let Some(reason) = &result.summary.pending_reason {
        println!("  pseudonymisation is not available yet ({reason}); the documents wait in drop/ and nothing was written to store/.");
    }
    if let Some(first) = cases.first() {
        let mut txts: Vec<PathBuf> = std::fs::read_dir(first.join("docs"))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        txts.sort();
        if let Some(t) = txts.first() {
            let text = std::fs::read_to_string(t)?;
            println!();
            println!(
                "  excerpt of {}:",
                t.strip_prefix(&root).unwrap_or(t).display()
            );
            let mut shown = 0;
            for line in text.lines() {
                if shown > 600 {
                    println!("    ...");
                    break;
                }
                println!("    {line}");
                shown += line.len() + 1;
            }
        }
    }
    println!();
    match crate::audit::verify(&ws.audit_log_path()) {
        Ok(r) => println!("  audit log OK: {} events, head {}", r.events, r.head),
        Err(e) => println!("  audit log BROKEN: {e}"),
    }
    println!();
    println!("Next: dossierkluis audit log {}", root.display());
    Ok(ExitCode::SUCCESS)
}

/// `extract --case DIR`: pseudonymises the case's .txt documents in memory with an ephemeral key
/// and prints its research record. Extraction only ever sees the pseudonymised output.
fn run_extract(case_dir: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    let out = deid::deidentify_dir(case_dir)?;
    let case_id = case_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "case".into());
    let record = crate::research::extract_record(&case_id, &out.docs, &out.facts)?;
    if json {
        println!("{}", serde_json::to_string(&record)?);
    } else {
        println!("{}", serde_json::to_string_pretty(&record)?);
    }
    Ok(ExitCode::SUCCESS)
}
