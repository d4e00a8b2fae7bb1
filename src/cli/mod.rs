//! Command-line layer: parses arguments (clap) and calls the library. Owns no logic of its own
//! beyond formatting output. Must never print personal data except pseudonymised text, and
//! never print a stack trace for bad input: every error is a one-line message and an exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod deid;

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
    /// Privacy officer only: look up what a pseudonym stands for.
    Reidentify {
        workspace: PathBuf,
        #[arg(long)]
        identity: PathBuf,
        #[arg(long = "case")]
        case_id: String,
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
    /// Check the hash chain of the audit log.
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
        #[arg(long)]
        html: Option<PathBuf>,
    },
    /// What a data-protection review asks for: rule set, counts, searches and exports.
    Summary { workspace: PathBuf },
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dossierkluis: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Runs one command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
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
        other => anyhow::bail!("not implemented yet: {other:?}"),
    }
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
