//! The workspace on disk: its layout (DESIGN.md), its settings file, creating it (`init`), the
//! keys it holds, the ingest lock, and durable writes (temporary name, fsync, rename, fsync of
//! the folder).
//!
//! Owns: every path inside a workspace and how files get there durably. Must never: write a
//! file in place (a crash must leave either the old or the new version), write plaintext, or
//! load a private key without the mode check of [`crate::crypto`].

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::RngCore;
use serde::Deserialize;

use crate::crypto::{self, Identity, KeyError, Recipient};
use crate::pseudo::PseudoKey;
use crate::text::Limits;

/// The settings file of a workspace.
pub const SETTINGS_FILE: &str = "dossierkluis.toml";
/// The folders of a workspace, in the order of DESIGN.md.
pub const FOLDERS: [&str; 8] = [
    "drop",
    "quarantine",
    "archive",
    "store",
    "index",
    "vault",
    "audit",
    "keys",
];
/// Marker in the names of temporary files; files carrying it are never trusted.
pub const TEMP_MARKER: &str = ".dk-tmp-";

/// Errors of the workspace layer.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} already exists and is not empty; init only creates new workspaces")]
    Exists(PathBuf),
    #[error("{0} is not a dossierkluis workspace (no dossierkluis.toml); create one with `dossierkluis init`")]
    NotWorkspace(PathBuf),
    #[error("{path}: invalid settings: {reason}")]
    Settings { path: PathBuf, reason: String },
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("another ingest is running on this workspace (lock {0} is held)")]
    Locked(PathBuf),
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> WorkspaceError + '_ {
    move |source| WorkspaceError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `[limits]` of the settings file.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitSettings {
    pub max_bytes: u64,
    pub max_pages: u32,
    pub wall_seconds: u64,
    pub cpu_seconds: u64,
    pub memory_mb: u64,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            max_bytes: 50 * 1024 * 1024,
            max_pages: 2000,
            wall_seconds: 60,
            cpu_seconds: 60,
            memory_mb: 1024,
        }
    }
}

/// How dates are generalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DatePolicy {
    #[default]
    Month,
    DayShift,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DateSettings {
    pub policy: DatePolicy,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecipientSettings {
    /// The privacy officer's recipient (age1...).
    pub officer: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestSettings {
    /// A file modified less than this many seconds ago is still being written: left for later.
    pub settle_seconds: u64,
    /// Cases processed at the same time (each with its own extraction child); 0 = automatic
    /// (see [`Settings::jobs`]).
    pub jobs: usize,
}

impl Default for IngestSettings {
    fn default() -> Self {
        IngestSettings {
            settle_seconds: 5,
            jobs: 0,
        }
    }
}

/// The bounds [`Settings::validate`] enforces: (name, least, most) per limit.
pub const LIMIT_BOUNDS: [(&str, u64, u64); 6] = [
    ("limits.max_bytes", 1024, 4 * 1024 * 1024 * 1024),
    ("limits.max_pages", 1, 1_000_000),
    ("limits.wall_seconds", 1, 24 * 3600),
    ("limits.cpu_seconds", 1, 24 * 3600),
    ("limits.memory_mb", 64, 1024 * 1024),
    ("ingest.jobs", 0, 256),
];

/// The whole settings file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub limits: LimitSettings,
    pub dates: DateSettings,
    pub recipients: RecipientSettings,
    pub ingest: IngestSettings,
}

impl Settings {
    /// Checks every limit against [`LIMIT_BOUNDS`]; the error names the setting and its range.
    pub fn validate(&self) -> Result<(), String> {
        let values = [
            self.limits.max_bytes,
            u64::from(self.limits.max_pages),
            self.limits.wall_seconds,
            self.limits.cpu_seconds,
            self.limits.memory_mb,
            self.ingest.jobs as u64,
        ];
        for ((name, least, most), value) in LIMIT_BOUNDS.iter().zip(values) {
            if value < *least || value > *most {
                return Err(format!(
                    "{name} = {value} is out of range (allowed: {least} to {most})"
                ));
            }
        }
        if self.ingest.settle_seconds > 24 * 3600 {
            return Err(format!(
                "ingest.settle_seconds = {} is out of range (allowed: 0 to 86400)",
                self.ingest.settle_seconds
            ));
        }
        Ok(())
    }

    /// How many cases an ingest works on at once: `ingest.jobs`, or when that is 0 the number
    /// of cores, but never so many that the extraction children's memory limits together
    /// exceed half of the machine's memory.
    pub fn jobs(&self) -> usize {
        if self.ingest.jobs > 0 {
            return self.ingest.jobs;
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let per_child = self.limits.memory_mb.saturating_mul(1024 * 1024).max(1);
        let by_memory = usize::try_from(physical_memory() / 2 / per_child).unwrap_or(usize::MAX);
        cores.min(by_memory).max(1)
    }

    /// The extraction limits these settings describe.
    pub fn text_limits(&self) -> Limits {
        Limits {
            max_bytes: self.limits.max_bytes,
            max_pages: self.limits.max_pages,
            wall_time: Duration::from_secs(self.limits.wall_seconds),
            cpu_seconds: self.limits.cpu_seconds,
            max_memory_bytes: self.limits.memory_mb.saturating_mul(1024 * 1024),
        }
    }
}

/// The settings file as `init` writes it: every default, commented.
pub fn settings_template(officer: &str, settle_seconds: u64) -> String {
    let d = LimitSettings::default();
    format!(
        r#"# dossierkluis workspace settings. Every value shown is the default.

[limits]
# Largest accepted file (ciphertext and decrypted document), in bytes.
max_bytes = {max_bytes}
# Most pages accepted in one PDF.
max_pages = {max_pages}
# Wall-clock seconds text extraction of one document may take before it is stopped.
wall_seconds = {wall}
# CPU seconds text extraction of one document may use.
cpu_seconds = {cpu}
# Memory (address space) of the extraction process, in MiB. Each of the `jobs` cases
# worked on at once has its own extraction process.
memory_mb = {mem}

[dates]
# "month": dates become month and year (the default); "day_shift": a per-case shift of days.
policy = "month"

[recipients]
# The privacy officer's public key: only the officer can open the tables from pseudonyms
# back to the originals (vault/cases/*.entities.age).
officer = "{officer}"

[ingest]
# A file in drop/ modified less than this many seconds ago is still being written and is
# left for the next run.
settle_seconds = {settle_seconds}
# Cases worked on at the same time; 0 means the number of cores (fewer when the machine's
# memory cannot hold that many extraction processes at memory_mb each).
jobs = 0
"#,
        max_bytes = d.max_bytes,
        max_pages = d.max_pages,
        wall = d.wall_seconds,
        cpu = d.cpu_seconds,
        mem = d.memory_mb,
    )
}

/// An opened workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    root: PathBuf,
    pub settings: Settings,
}

impl Workspace {
    /// Opens an existing workspace and reads its settings.
    pub fn open(root: &Path) -> Result<Workspace, WorkspaceError> {
        let path = root.join(SETTINGS_FILE);
        if !path.is_file() {
            return Err(WorkspaceError::NotWorkspace(root.to_path_buf()));
        }
        let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
        let settings: Settings = toml::from_str(&text).map_err(|e| WorkspaceError::Settings {
            path: path.clone(),
            reason: e.message().to_string(),
        })?;
        settings
            .validate()
            .map_err(|reason| WorkspaceError::Settings {
                path: path.clone(),
                reason,
            })?;
        Ok(Workspace {
            root: root.to_path_buf(),
            settings,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn drop_dir(&self) -> PathBuf {
        self.root.join("drop")
    }
    pub fn quarantine_dir(&self) -> PathBuf {
        self.root.join("quarantine")
    }
    pub fn archive_dir(&self) -> PathBuf {
        self.root.join("archive")
    }
    pub fn store_dir(&self) -> PathBuf {
        self.root.join("store")
    }
    pub fn index_dir(&self) -> PathBuf {
        self.root.join("index")
    }
    pub fn vault_dir(&self) -> PathBuf {
        self.root.join("vault")
    }
    pub fn audit_dir(&self) -> PathBuf {
        self.root.join("audit")
    }
    pub fn keys_dir(&self) -> PathBuf {
        self.root.join("keys")
    }
    /// The audit log file.
    pub fn audit_log_path(&self) -> PathBuf {
        self.audit_dir().join("audit.jsonl")
    }

    /// The workspace identity (decrypts what providers send and the vault key).
    pub fn identity(&self) -> Result<Identity, WorkspaceError> {
        Ok(crypto::load_identity(
            &self.keys_dir().join("workspace-identity.txt"),
        )?)
    }

    /// The recipient providers seal to.
    pub fn recipient(&self) -> Result<Recipient, WorkspaceError> {
        Ok(crypto::load_recipient(
            &self.keys_dir().join("workspace-recipient.txt"),
        )?)
    }

    /// The privacy officer's recipient (settings file first, else keys/officer-recipient.txt).
    pub fn officer_recipient(&self) -> Result<Recipient, WorkspaceError> {
        if !self.settings.recipients.officer.trim().is_empty() {
            return Ok(crypto::parse_recipient(&self.settings.recipients.officer)?);
        }
        Ok(crypto::load_recipient(
            &self.keys_dir().join("officer-recipient.txt"),
        )?)
    }

    /// The pseudonymisation key, opened from vault/pseudo-key.age with the workspace identity.
    pub fn pseudo_key(&self, identity: &Identity) -> Result<PseudoKey, WorkspaceError> {
        let path = self.vault_dir().join("pseudo-key.age");
        let ct = std::fs::read(&path).map_err(io_err(&path))?;
        crypto::open_pseudo_key(identity, &ct).map_err(|e| match e {
            KeyError::Vault(m) => KeyError::Vault(format!("{}: {m}", path.display())).into(),
            other => other.into(),
        })
    }

    /// Takes the exclusive ingest lock (released when the guard is dropped, or by the kernel
    /// when the process dies, so a killed ingest never leaves a stale lock).
    pub fn lock_ingest(&self) -> Result<IngestLock, WorkspaceError> {
        let path = self.root.join(".ingest.lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode_0600()
            .open(&path)
            .map_err(io_err(&path))?;
        // A process of this program that forks an extraction child holds the lock's open file
        // description for the moment between fork and exec (the descriptor is close-on-exec),
        // so a refusal is only final after a short grace period; a real second ingest holds the
        // lock far longer than that.
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(750);
        loop {
            // SAFETY: flock on a file descriptor we own; no memory is involved.
            let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if rc == 0 {
                return Ok(IngestLock { _file: file });
            }
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::EWOULDBLOCK) {
                return Err(WorkspaceError::Io { path, source: err });
            }
            if std::time::Instant::now() >= deadline {
                return Err(WorkspaceError::Locked(path));
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
    }
}

trait Mode0600 {
    fn mode_0600(&mut self) -> &mut Self;
}
impl Mode0600 for OpenOptions {
    fn mode_0600(&mut self) -> &mut Self {
        use std::os::unix::fs::OpenOptionsExt;
        self.mode(0o600)
    }
}

/// Holds the ingest lock while alive.
#[derive(Debug)]
pub struct IngestLock {
    _file: File,
}

/// Options of [`init`].
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// Adopt this identity file instead of generating one.
    pub identity: Option<PathBuf>,
    /// The privacy officer's recipient; generated when absent.
    pub officer_recipient: Option<String>,
    /// Written into the settings; `None` keeps the default.
    pub settle_seconds: Option<u64>,
}

/// What [`init`] did, for the user.
#[derive(Debug, Clone)]
pub struct InitReport {
    pub recipient: String,
    pub officer_recipient: String,
    /// Set when an officer identity was generated on this machine (to be moved off it).
    pub officer_identity_file: Option<PathBuf>,
}

/// Creates a new workspace. Refuses a folder that exists and is not empty.
pub fn init(root: &Path, opts: &InitOptions) -> Result<InitReport, WorkspaceError> {
    if root.exists() {
        let mut entries = std::fs::read_dir(root).map_err(io_err(root))?;
        if entries.next().is_some() {
            return Err(WorkspaceError::Exists(root.to_path_buf()));
        }
    }
    // Validate everything the user gave before creating anything.
    let adopted = match &opts.identity {
        Some(path) => Some(crypto::load_identity(path)?),
        None => None,
    };
    let officer_given = match &opts.officer_recipient {
        Some(r) => Some(crypto::parse_recipient(r)?),
        None => None,
    };

    std::fs::create_dir_all(root).map_err(io_err(root))?;
    for f in FOLDERS {
        let p = root.join(f);
        std::fs::create_dir_all(&p).map_err(io_err(&p))?;
    }
    let keys = root.join("keys");
    set_mode(&keys, 0o700)?;
    set_mode(&root.join("vault"), 0o700)?;
    std::fs::create_dir_all(root.join("vault").join("cases"))
        .map_err(io_err(&root.join("vault")))?;

    let identity = adopted.unwrap_or_else(crypto::generate_identity);
    crypto::write_private_file(
        &keys.join("workspace-identity.txt"),
        crypto::identity_file_text(&identity).as_bytes(),
    )?;
    let recipient = identity.to_public();
    write_durable(
        &keys.join("workspace-recipient.txt"),
        format!("{recipient}\n").as_bytes(),
    )?;

    let mut officer_identity_file = None;
    let officer = match officer_given {
        Some(r) => r,
        None => {
            let officer_id = crypto::generate_identity();
            let path = keys.join("officer-identity.txt");
            crypto::write_private_file(&path, crypto::identity_file_text(&officer_id).as_bytes())?;
            officer_identity_file = Some(path);
            officer_id.to_public()
        }
    };
    write_durable(
        &keys.join("officer-recipient.txt"),
        format!("{officer}\n").as_bytes(),
    )?;

    let key = crypto::generate_pseudo_key();
    let sealed = crypto::seal_pseudo_key(&recipient, &key)?;
    write_durable(&root.join("vault").join("pseudo-key.age"), &sealed)?;

    // The settings file last: its presence marks a complete workspace.
    let settle = opts
        .settle_seconds
        .unwrap_or(IngestSettings::default().settle_seconds);
    write_durable(
        &root.join(SETTINGS_FILE),
        settings_template(&officer.to_string(), settle).as_bytes(),
    )?;

    let ws = Workspace::open(root)?;
    let mut log = crate::audit::AuditLog::new(ws.audit_log_path());
    log.append(
        "init",
        serde_json::json!({
            "workspace_recipient": recipient.to_string(),
            "officer_recipient": officer.to_string(),
            "identity": if opts.identity.is_some() { "adopted" } else { "generated" },
            "rules_version": crate::rules::rule_set_version(),
        }),
    )
    .map_err(|e| WorkspaceError::Io {
        path: ws.audit_log_path(),
        source: std::io::Error::other(e.to_string()),
    })?;

    Ok(InitReport {
        recipient: recipient.to_string(),
        officer_recipient: officer.to_string(),
        officer_identity_file,
    })
}

/// Bytes of physical memory (u64::MAX when unknown).
fn physical_memory() -> u64 {
    // SAFETY: sysconf only reads system configuration.
    let (pages, size) = unsafe {
        (
            libc::sysconf(libc::_SC_PHYS_PAGES),
            libc::sysconf(libc::_SC_PAGESIZE),
        )
    };
    if pages <= 0 || size <= 0 {
        return u64::MAX;
    }
    (pages as u64).saturating_mul(size as u64)
}

fn set_mode(path: &Path, mode: u32) -> Result<(), WorkspaceError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(io_err(path))
}

/// Fsyncs a folder, so a rename or a new entry in it survives a power cut.
pub fn sync_dir(dir: &Path) -> Result<(), WorkspaceError> {
    File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(io_err(dir))
}

/// A fresh temporary name in `dir` for writing `path`: hidden, marked as temporary (never
/// trusted, deleted by the next ingest) and random, so concurrent writers never collide.
fn temp_beside(dir: &Path, path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(
        ".{name}{TEMP_MARKER}{:016x}",
        rand::rngs::OsRng.next_u64()
    ))
}

/// Writes `contents` to `path` durably: a temporary file in the same folder (mode 0600), fsync,
/// rename over `path`, fsync of the folder. Creates missing parent folders.
pub fn write_durable(path: &Path, contents: &[u8]) -> Result<(), WorkspaceError> {
    let dir = path
        .parent()
        .ok_or_else(|| WorkspaceError::NotWorkspace(path.to_path_buf()))?;
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let tmp = temp_beside(dir, path);
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode_0600()
            .open(&tmp)
            .map_err(io_err(&tmp))?;
        f.write_all(contents).map_err(io_err(&tmp))?;
        f.sync_all().map_err(io_err(&tmp))?;
        drop(f);
        std::fs::rename(&tmp, path).map_err(io_err(path))?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// [`write_durable`] for several files at once: each is written to a temporary name in its
/// folder, then all are fsynced (concurrently, so the file system can commit them together),
/// then renamed into place, then each folder is fsynced once. Much cheaper than one
/// [`write_durable`] per file; on an error, no temporary file is left behind (files already
/// renamed stay: each is complete).
pub fn write_durable_many(files: &[(&Path, &[u8])]) -> Result<(), WorkspaceError> {
    let mut dirs: Vec<&Path> = Vec::new();
    // In rounds of at most 64 open files (file descriptors are limited).
    for round in files.chunks(64) {
        write_round(round, &mut dirs)?;
    }
    for dir in dirs {
        sync_dir(dir)?;
    }
    Ok(())
}

fn write_round<'a>(
    files: &[(&'a Path, &[u8])],
    dirs: &mut Vec<&'a Path>,
) -> Result<(), WorkspaceError> {
    let mut temps: Vec<(File, PathBuf, &Path)> = Vec::with_capacity(files.len());
    let cleanup = |temps: &[(File, PathBuf, &Path)]| {
        for (_, tmp, _) in temps {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (path, contents) in files {
        let dir = path
            .parent()
            .ok_or_else(|| WorkspaceError::NotWorkspace(path.to_path_buf()))?;
        if !dirs.contains(&dir) {
            if let Err(e) = std::fs::create_dir_all(dir) {
                cleanup(&temps);
                return Err(io_err(dir)(e));
            }
            dirs.push(dir);
        }
        let tmp = temp_beside(dir, path);
        let opened = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode_0600()
            .open(&tmp);
        let mut f = match opened {
            Ok(f) => f,
            Err(e) => {
                cleanup(&temps);
                return Err(io_err(&tmp)(e));
            }
        };
        if let Err(e) = f.write_all(contents) {
            drop(f);
            let _ = std::fs::remove_file(&tmp);
            cleanup(&temps);
            return Err(io_err(&tmp)(e));
        }
        temps.push((f, tmp, path));
    }
    // fsync on up to 8 threads.
    let threads = temps.len().clamp(1, 8);
    let chunk = temps.len().div_ceil(threads).max(1);
    let synced: Result<(), WorkspaceError> = std::thread::scope(|s| {
        let handles: Vec<_> = temps
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    for (f, tmp, _) in part {
                        f.sync_all().map_err(io_err(tmp))?;
                    }
                    Ok::<(), WorkspaceError>(())
                })
            })
            .collect();
        let mut result = Ok(());
        for h in handles {
            let r = h.join().unwrap_or_else(|_| {
                Err(WorkspaceError::Io {
                    path: PathBuf::new(),
                    source: std::io::Error::other("fsync thread panicked"),
                })
            });
            if result.is_ok() {
                result = r;
            }
        }
        result
    });
    if let Err(e) = synced {
        cleanup(&temps);
        return Err(e);
    }
    for (i, (_, tmp, path)) in temps.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            cleanup(temps.get(i..).unwrap_or_default());
            return Err(io_err(path)(e));
        }
    }
    Ok(())
}

/// True for the temporary files of [`write_durable`].
pub fn is_temp_name(name: &str) -> bool {
    name.contains(TEMP_MARKER)
}

/// Removes temporary files a killed process left behind under the output folders (they were
/// never renamed into place, so nothing refers to them). Call with the ingest lock held.
pub fn remove_stale_temp_files(ws: &Workspace) -> Result<usize, WorkspaceError> {
    let mut removed = 0;
    for dir in [
        ws.store_dir(),
        ws.archive_dir(),
        ws.vault_dir(),
        ws.quarantine_dir(),
        ws.index_dir(),
    ] {
        for entry in walkdir::WalkDir::new(&dir).follow_links(false) {
            let Ok(entry) = entry else { continue };
            if entry.file_type().is_file() && is_temp_name(&entry.file_name().to_string_lossy()) {
                std::fs::remove_file(entry.path()).map_err(io_err(entry.path()))?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// The processed ciphertext hashes of a case (hash -> doc id); empty when there is none.
pub fn read_manifest(path: &Path) -> std::collections::BTreeMap<String, String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Default::default();
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Default::default();
    };
    v.get("documents")
        .and_then(serde_json::Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_durable_many_writes_every_file_in_rounds_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..150)
            .map(|i| dir.path().join(format!("d{}", i % 2)).join(format!("f{i}")))
            .collect();
        let contents: Vec<Vec<u8>> = (0..150).map(|i| vec![i as u8; i + 1]).collect();
        let files: Vec<(&Path, &[u8])> = paths
            .iter()
            .zip(&contents)
            .map(|(p, c)| (p.as_path(), c.as_slice()))
            .collect();
        write_durable_many(&files).unwrap();
        for (p, c) in &files {
            assert_eq!(std::fs::read(p).unwrap(), *c);
        }
        // A file whose folder cannot be made: an error, and no temporary file left.
        std::fs::write(dir.path().join("plain"), b"x").unwrap();
        let bad = dir.path().join("plain").join("f");
        let good = dir.path().join("d0").join("nieuw");
        let err = write_durable_many(&[(good.as_path(), b"a"), (bad.as_path(), b"b")]);
        assert!(err.is_err());
        let temps = walkdir::WalkDir::new(dir.path())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| is_temp_name(&e.file_name().to_string_lossy()))
            .count();
        assert_eq!(temps, 0);
        assert!(!good.exists());
    }
}
