//! The demo: a fresh workspace, the bundled synthetic dossiers of `demo/` (embedded in the
//! binary, so the demo runs from anywhere) sealed into its drop folder, one ingest, and a short
//! account of the result.
//!
//! Owns: the embedded demo files and the demo's flow. Must never: use anything but the invented
//! demo dossiers, or bypass the normal init/seal/ingest path (the demo shows the real flow).

use std::path::{Path, PathBuf};

use rand::RngCore;

use crate::intake::{IngestOptions, IngestSummary};
use crate::workspace::{InitOptions, InitReport, Workspace};

/// (case reference, file name, contents) of the bundled demo dossiers.
pub const DEMO_FILES: &[(&str, &str, &str)] = &[
    (
        "ZH-2023-0417",
        "01-intakeverslag.txt",
        include_str!("../demo/ZH-2023-0417/01-intakeverslag.txt"),
    ),
    (
        "ZH-2023-0417",
        "02-rapportage.txt",
        include_str!("../demo/ZH-2023-0417/02-rapportage.txt"),
    ),
    (
        "ZH-2023-0417",
        "03-email-gedragsdeskundige.txt",
        include_str!("../demo/ZH-2023-0417/03-email-gedragsdeskundige.txt"),
    ),
    (
        "WZD-88213",
        "01-zorgplanbespreking.txt",
        include_str!("../demo/WZD-88213/01-zorgplanbespreking.txt"),
    ),
    (
        "WZD-88213",
        "02-mdo-verslag.txt",
        include_str!("../demo/WZD-88213/02-mdo-verslag.txt"),
    ),
    (
        "LVB-5530",
        "01-incidentmelding.txt",
        include_str!("../demo/LVB-5530/01-incidentmelding.txt"),
    ),
    (
        "LVB-5530",
        "02-evaluatie.txt",
        include_str!("../demo/LVB-5530/02-evaluatie.txt"),
    ),
];

/// What the demo did.
#[derive(Debug)]
pub struct DemoResult {
    pub workspace: PathBuf,
    pub init: InitReport,
    pub sealed: usize,
    pub summary: IngestSummary,
}

/// A new, unused folder under the system temp dir.
pub fn default_workspace() -> PathBuf {
    std::env::temp_dir().join(format!(
        "dossierkluis-demo-{:08x}",
        rand::rngs::OsRng.next_u32()
    ))
}

/// Runs the demo in `root` (which must not exist or be empty).
pub fn run(root: &Path, opts: &IngestOptions) -> anyhow::Result<DemoResult> {
    let init = crate::workspace::init(
        root,
        &InitOptions {
            settle_seconds: Some(0),
            ..InitOptions::default()
        },
    )?;
    let ws = Workspace::open(root)?;
    let recipient = ws.recipient()?;
    // Seal from memory exactly as `seal` does from files.
    let mut sealed = 0;
    for (case_ref, name, contents) in DEMO_FILES {
        let ct = crate::crypto::seal(&recipient, contents.as_bytes())?;
        let dest = ws.drop_dir().join(case_ref).join(format!("{name}.age"));
        crate::workspace::write_durable(&dest, &ct)?;
        sealed += 1;
    }
    let summary = crate::intake::ingest(&ws, opts)?;
    Ok(DemoResult {
        workspace: root.to_path_buf(),
        init,
        sealed,
        summary,
    })
}
