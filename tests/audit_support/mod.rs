//! A workspace built through the real command line for the audit tests: `init` (which generates
//! the privacy officer's identity), `seal` of invented documents, `ingest`. The documents are
//! invented for these tests; `ORIGINALS` are identifiers in them that the pseudonymiser
//! replaces, `PLANTED` are tokens it leaves that the residual-risk scanner must flag.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_dossierkluis");

pub const DOC_A: &str = "Intakeverslag

Cliënt: Fenneke Zwaagstra
Geboortedatum: 14-03-1991
Adres: Kastanjelaan 17, 8912 KT Leeuwarden
Telefoon: 06-48213377
Contactpersoon: Hidde Zwaagstra (broer), e-mail hidde.zwaagstra@example.nl

Datum intake: 9 januari 2023
Aanwezig: Fenneke Zwaagstra, haar broer en persoonlijk begeleider Marloes Tjepkema (Stichting Het Wiel).

Aanleiding
Fenneke woont sinds 2019 bij Stichting Het Wiel in Leeuwarden. Zij heeft een licht verstandelijke
beperking. In het bericht stond <script>alert(\"x\")</script> & meer.
";

pub const DOC_B: &str = "Dagrapportage

12 februari 2023, avonddienst (Marloes Tjepkema)
Fenneke was onrustig na het telefoontje van haar broer Hidde. Zij heeft goed gegeten.
Het team sprak af dat zij op dinsdag naar Zonnebloem gaat.
Het kenmerk van de aanvraag is 4412 8831 09.
";

/// Identifiers of the documents that must never appear outside the vault.
pub const ORIGINALS: [&str; 10] = [
    "Fenneke",
    "Zwaagstra",
    "Hidde",
    "Tjepkema",
    "Kastanjelaan",
    "8912 KT",
    "Leeuwarden",
    "06-48213377",
    "hidde.zwaagstra@example.nl",
    "Het Wiel",
];

/// Tokens the pseudonymiser leaves in place and the scanner must flag.
pub const PLANTED: [&str; 2] = ["Zonnebloem", "4412 8831 09"];

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub root: PathBuf,
    pub case_id: String,
}

pub fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

/// init + seal + ingest through the binary; returns the workspace and its one case id.
pub fn build() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let (code, _, err) = run(&[os("init"), root.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert!(root.join("keys/officer-identity.txt").is_file());
    // No settle time, so the files sealed a moment ago are taken now.
    let settings = root.join("dossierkluis.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    assert!(text.contains("settle_seconds = 5"));
    std::fs::write(
        &settings,
        text.replace("settle_seconds = 5", "settle_seconds = 0"),
    )
    .unwrap();

    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(src.join("intake Zwaagstra.txt"), DOC_A).unwrap();
    std::fs::write(src.join("rapportage.txt"), DOC_B).unwrap();
    let recipient = std::fs::read_to_string(root.join("keys/workspace-recipient.txt")).unwrap();
    let recipient = recipient
        .lines()
        .find(|l| l.starts_with("age1"))
        .unwrap()
        .to_string();
    let drop = root.join("drop");
    let a = src.join("intake Zwaagstra.txt");
    let b = src.join("rapportage.txt");
    let (code, _, err) = run(&[
        os("seal"),
        os("--recipient"),
        os(&recipient),
        os("--case"),
        os("ZW-2023-017"),
        os("--out"),
        drop.as_os_str(),
        a.as_os_str(),
        b.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&[os("ingest"), root.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("processed 2"), "{out}");
    let cases: Vec<String> = std::fs::read_dir(root.join("store"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(cases.len(), 1, "{cases:?}");
    Fixture {
        case_id: cases[0].clone(),
        dir,
        root,
    }
}

/// All stored pseudonymised texts of the fixture's case.
pub fn stored_texts(root: &Path, case_id: &str) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(root.join("store").join(case_id).join("docs")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            v.push((id, std::fs::read_to_string(&p).unwrap()));
        }
    }
    v.sort();
    v
}
