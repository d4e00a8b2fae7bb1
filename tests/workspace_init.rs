//! `init`: layout, key files 0600, refusing looser key files, adopting an identity, officer key.

mod common;

use std::os::unix::fs::PermissionsExt;

use dossierkluis::crypto;
use dossierkluis::workspace::{self, InitOptions, Workspace};

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn init_creates_layout_keys_and_vault_key() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let report = workspace::init(&root, &InitOptions::default()).unwrap();
    for f in workspace::FOLDERS {
        assert!(root.join(f).is_dir(), "missing {f}/");
    }
    let toml = std::fs::read_to_string(root.join("dossierkluis.toml")).unwrap();
    for key in [
        "max_bytes",
        "max_pages",
        "wall_seconds",
        "cpu_seconds",
        "memory_mb",
        "policy = \"month\"",
        "settle_seconds",
    ] {
        assert!(toml.contains(key), "settings lack {key}");
    }
    let id_path = root.join("keys/workspace-identity.txt");
    let officer_path = root.join("keys/officer-identity.txt");
    assert_eq!(mode(&id_path), 0o600);
    assert_eq!(mode(&officer_path), 0o600);
    assert_eq!(
        report.officer_identity_file.as_deref(),
        Some(officer_path.as_path())
    );

    let ws = Workspace::open(&root).unwrap();
    let id = ws.identity().unwrap();
    assert_eq!(id.to_public().to_string(), report.recipient);
    assert_eq!(ws.recipient().unwrap().to_string(), report.recipient);
    let officer = crypto::load_identity(&officer_path).unwrap();
    assert_eq!(officer.to_public().to_string(), report.officer_recipient);
    assert_eq!(
        ws.officer_recipient().unwrap().to_string(),
        report.officer_recipient
    );

    // The vault key opens with the workspace identity only, and is 32 random bytes.
    let key = ws.pseudo_key(&id).unwrap();
    assert_ne!(key.0, [0u8; 32]);
    let vault = std::fs::read(root.join("vault/pseudo-key.age")).unwrap();
    assert!(crypto::open_pseudo_key(&officer, &vault).is_err());
    assert!(
        !vault.windows(32).any(|w| w == key.0),
        "key stored in the clear"
    );

    // The first audit event.
    let events = dossierkluis::audit::read_events(&ws.audit_log_path()).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["kind"], "init");
    assert_eq!(
        events[0]["rules_hash"].as_str().unwrap(),
        dossierkluis::rules::rule_set_hash()
    );
}

#[test]
fn two_workspaces_get_different_keys() {
    let dir = tempfile::tempdir().unwrap();
    let a = workspace::init(&dir.path().join("a"), &InitOptions::default()).unwrap();
    let b = workspace::init(&dir.path().join("b"), &InitOptions::default()).unwrap();
    assert_ne!(a.recipient, b.recipient);
}

#[test]
fn init_refuses_an_existing_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    workspace::init(&root, &InitOptions::default()).unwrap();
    let before = common::snapshot(&root, &[]);
    let err = workspace::init(&root, &InitOptions::default()).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(
        before,
        common::snapshot(&root, &[]),
        "refused init changed files"
    );
}

#[test]
fn init_adopts_an_identity_and_an_officer_recipient() {
    let dir = tempfile::tempdir().unwrap();
    let own = crypto::generate_identity();
    let id_file = dir.path().join("org-key.txt");
    crypto::write_private_file(&id_file, crypto::identity_file_text(&own).as_bytes()).unwrap();
    let officer = crypto::generate_identity().to_public().to_string();
    let root = dir.path().join("ws");
    let report = workspace::init(
        &root,
        &InitOptions {
            identity: Some(id_file),
            officer_recipient: Some(officer.clone()),
            settle_seconds: None,
        },
    )
    .unwrap();
    assert_eq!(report.recipient, own.to_public().to_string());
    assert_eq!(report.officer_recipient, officer);
    assert!(report.officer_identity_file.is_none());
    assert!(!root.join("keys/officer-identity.txt").exists());
    let ws = Workspace::open(&root).unwrap();
    assert_eq!(ws.officer_recipient().unwrap().to_string(), officer);
    assert_eq!(mode(&root.join("keys/workspace-identity.txt")), 0o600);
}

#[test]
fn init_adopts_an_identity_made_by_age_keygen() {
    let dir = tempfile::tempdir().unwrap();
    let id_file = dir.path().join("keygen.txt");
    let Ok(st) = std::process::Command::new("age-keygen")
        .arg("-o")
        .arg(&id_file)
        .stderr(std::process::Stdio::null())
        .status()
    else {
        eprintln!("SKIP: age-keygen not installed");
        return;
    };
    assert!(st.success());
    std::fs::set_permissions(&id_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let text = std::fs::read_to_string(&id_file).unwrap();
    let public = text
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .unwrap()
        .to_string();
    let report = workspace::init(
        &dir.path().join("ws"),
        &InitOptions {
            identity: Some(id_file),
            ..InitOptions::default()
        },
    )
    .unwrap();
    assert_eq!(report.recipient, public);
}

#[test]
fn init_refuses_an_identity_readable_by_others() {
    let dir = tempfile::tempdir().unwrap();
    let id_file = dir.path().join("loose.txt");
    crypto::write_private_file(
        &id_file,
        crypto::identity_file_text(&crypto::generate_identity()).as_bytes(),
    )
    .unwrap();
    for loose in [0o640, 0o604, 0o644] {
        std::fs::set_permissions(&id_file, std::fs::Permissions::from_mode(loose)).unwrap();
        let root = dir.path().join(format!("ws{loose:o}"));
        let err = workspace::init(
            &root,
            &InitOptions {
                identity: Some(id_file.clone()),
                ..InitOptions::default()
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("chmod 600"), "{err}");
        assert!(
            !root.exists(),
            "a refused init must not create the workspace"
        );
    }
}

#[test]
fn a_loosened_workspace_key_is_refused_at_use() {
    let dir = tempfile::tempdir().unwrap();
    let ws = common::new_ws(dir.path());
    let id_path = ws.keys_dir().join("workspace-identity.txt");
    std::fs::set_permissions(&id_path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = ws.identity().err().unwrap();
    assert!(err.to_string().contains("chmod 600"), "{err}");
    // And through the CLI: ingest refuses with a one-line message, exit code 1.
    let (code, _out, errout) = common::run_bin(&["ingest".as_ref(), ws.root().as_os_str()]);
    assert_eq!(code, 1);
    assert!(errout.contains("chmod 600"), "{errout}");
}

#[test]
fn init_refuses_a_bad_officer_recipient() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let err = workspace::init(
        &root,
        &InitOptions {
            officer_recipient: Some("age1notakey".into()),
            ..InitOptions::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("recipient"), "{err}");
    assert!(!root.exists());
}

#[test]
fn cli_init_prints_the_recipient_and_warns_about_the_officer_key() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let (code, out, err) = common::run_bin(&["init".as_ref(), root.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    let recipient = std::fs::read_to_string(root.join("keys/workspace-recipient.txt")).unwrap();
    assert!(out.contains(recipient.trim()), "{out}");
    assert!(
        err.contains("officer-identity.txt") && err.contains("off this machine"),
        "{err}"
    );
}
