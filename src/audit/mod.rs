//! The audit log: audit/audit.jsonl, one JSON object a line, each chained to the previous one by
//! SHA-256, so that any edited, removed, inserted or reordered line is detected by [`verify`].
//!
//! Every event carries `seq`, `time` (RFC 3339, UTC), `kind`, `tool_version`, `rules_hash`, its
//! own fields, `prev` (the previous line's hash) and `hash` (SHA-256 of the canonical JSON of the
//! event without `hash`). Owns: appending (under an exclusive file lock, fsynced) and checking.
//! Must never: record personal data (file names are keyed hashes, cases are case ids, texts and
//! originals never appear), or rewrite a complete line.
//!
//! Submodules: [`risk`] (the independent residual-risk scanner), [`report`] (the privacy
//! officer's redaction report and summary, and the check that every stored document has its
//! ingest events), [`reidentify`] (the officer's look-up from pseudonym to originals).

pub mod reidentify;
pub mod report;
pub mod risk;

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The `prev` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Errors of writing or reading the log.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("audit log {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("audit log: event fields must be a JSON object")]
    NotObject,
    #[error("audit log {path}: the last line is not valid; run `dossierkluis audit verify`")]
    BadTail { path: PathBuf },
}

/// A problem found by [`verify`], with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct VerifyError {
    pub line: usize,
    pub problem: String,
}

/// The result of a successful [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: usize,
    /// The hash of the last event: record it elsewhere to detect removal of trailing lines.
    pub head: String,
}

/// Appends events to one log file.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
}

impl AuditLog {
    pub fn new(path: PathBuf) -> AuditLog {
        AuditLog { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one event of `kind` with `fields` (a JSON object; must hold no personal data).
    /// Takes an exclusive lock on the file, so several processes can append safely, and fsyncs.
    pub fn append(&mut self, kind: &str, fields: Value) -> Result<(), AuditError> {
        self.append_many(vec![(kind, fields)])
    }

    /// Appends several events, in order, with one write and one fsync (all or none).
    pub fn append_many(&mut self, events: Vec<(&str, Value)>) -> Result<(), AuditError> {
        let mut objects = Vec::with_capacity(events.len());
        for (kind, fields) in events {
            let Value::Object(fields) = fields else {
                return Err(AuditError::NotObject);
            };
            objects.push((kind, fields));
        }
        if objects.is_empty() {
            return Ok(());
        }
        let io = |source| AuditError::Io {
            path: self.path.clone(),
            source,
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&self.path)
            .map_err(io)?;
        // SAFETY: flock on a descriptor we own; released when `file` is closed.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(io(std::io::Error::last_os_error()));
        }
        let (mut seq, mut prev, partial) = read_tail(&mut file).map_err(io)?;
        let mut good_len = file.metadata().map_err(io)?.len();
        let mut text = String::new();
        if let Some(partial) = partial {
            // A line cut off by a crash or power loss: never complete, so it is not an event.
            // Cut it off and record that it was cut, with its hash, so the repair is visible.
            good_len = good_len.saturating_sub(partial.len() as u64);
            file.set_len(good_len).map_err(io)?;
            let mut repair = Map::new();
            repair.insert("removed_bytes".into(), Value::from(partial.len()));
            repair.insert("removed_sha256".into(), Value::from(sha256_hex(&partial)));
            let line = build_line(seq + 1, "log_repaired", repair, &prev);
            text.push_str(&line.0);
            seq += 1;
            prev = line.1;
        }
        for (kind, fields) in objects {
            let (line, hash) = build_line(seq + 1, kind, fields, &prev);
            text.push_str(&line);
            seq += 1;
            prev = hash;
        }
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all());
        if let Err(e) = written {
            // A write that failed part-way (a full disk) must not leave a cut-off line behind:
            // back to the last complete line, so the chain stays valid.
            let _ = file.set_len(good_len);
            let _ = file.sync_all();
            return Err(io(e));
        }
        Ok(())
    }
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Builds the full line (with trailing newline) and returns it with its hash.
fn build_line(seq: u64, kind: &str, fields: Map<String, Value>, prev: &str) -> (String, String) {
    let mut ev = fields;
    ev.insert("seq".into(), Value::from(seq));
    ev.insert("time".into(), Value::from(now_rfc3339()));
    ev.insert("kind".into(), Value::from(kind));
    ev.insert(
        "tool_version".into(),
        Value::from(env!("CARGO_PKG_VERSION")),
    );
    ev.insert(
        "rules_hash".into(),
        Value::from(crate::rules::rule_set_hash()),
    );
    ev.insert("prev".into(), Value::from(prev));
    ev.remove("hash");
    let hash = event_hash(&Value::Object(ev.clone()));
    ev.insert("hash".into(), Value::from(hash.clone()));
    (format!("{}\n", canonical(&Value::Object(ev))), hash)
}

/// SHA-256 of the canonical form of an event without its `hash` field.
pub fn event_hash(event: &Value) -> String {
    let mut ev = event.clone();
    if let Value::Object(m) = &mut ev {
        m.remove("hash");
    }
    sha256_hex(canonical(&ev).as_bytes())
}

/// Canonical JSON: object keys sorted, no insignificant whitespace.
pub fn canonical(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push(':');
                if let Some(val) = m.get(*k) {
                    write_canonical(val, out);
                }
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Reads the end of the log: (seq, hash) of the last complete line, and the bytes of an
/// incomplete last line (no newline) if there is one.
#[allow(clippy::type_complexity)]
fn read_tail(file: &mut File) -> std::io::Result<(u64, String, Option<Vec<u8>>)> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok((0, GENESIS.to_string(), None));
    }
    // Read a window from the end large enough to hold the last line (events are small; grow
    // the window if not).
    let mut window: u64 = 64 * 1024;
    loop {
        let start = len.saturating_sub(window);
        file.seek(SeekFrom::Start(start))?;
        let mut buf = Vec::new();
        file.read_to_end(&mut buf)?;
        let (complete, partial) = match buf.iter().rposition(|&b| b == b'\n') {
            Some(i) => (
                buf.get(..i).unwrap_or(&[]),
                buf.get(i + 1..).unwrap_or(&[]).to_vec(),
            ),
            None => (&[][..], buf.clone()),
        };
        let partial = if partial.is_empty() {
            None
        } else {
            Some(partial)
        };
        let last_start = complete.iter().rposition(|&b| b == b'\n');
        if last_start.is_none() && start > 0 {
            window = window.saturating_mul(4);
            continue;
        }
        let last = match last_start {
            Some(i) => complete.get(i + 1..).unwrap_or(&[]),
            None => complete,
        };
        if last.is_empty() {
            return Ok((0, GENESIS.to_string(), partial));
        }
        let v: Value = serde_json::from_slice(last).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, "last audit line invalid")
        })?;
        let seq = v.get("seq").and_then(Value::as_u64).unwrap_or(0);
        let hash = v
            .get("hash")
            .and_then(Value::as_str)
            .unwrap_or(GENESIS)
            .to_string();
        return Ok((seq, hash, partial));
    }
}

/// Checks the whole chain. Detects an edited line (its hash no longer matches), a removed,
/// inserted or reordered line (`prev` or `seq` breaks), and a truncated last line.
pub fn verify(path: &Path) -> Result<VerifyReport, VerifyError> {
    let data = std::fs::read(path).map_err(|e| VerifyError {
        line: 0,
        problem: format!("cannot read the log: {e}"),
    })?;
    let mut prev = GENESIS.to_string();
    let mut events = 0usize;
    let ends_with_newline = data.last() == Some(&b'\n');
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let n = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let lineno = i + 1;
        if i + 1 == n {
            // After the final newline: must be empty.
            if !line.is_empty() || !ends_with_newline && !data.is_empty() {
                return Err(VerifyError {
                    line: lineno,
                    problem: "the last line is incomplete (truncated)".into(),
                });
            }
            break;
        }
        let bad = |problem: &str| VerifyError {
            line: lineno,
            problem: problem.to_string(),
        };
        let v: Value = serde_json::from_slice(line).map_err(|_| bad("not a JSON object"))?;
        let Some(obj) = v.as_object() else {
            return Err(bad("not a JSON object"));
        };
        let stated = obj
            .get("hash")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("no hash"))?;
        if event_hash(&v) != stated {
            return Err(bad(
                "the line was changed (its hash does not match its content)",
            ));
        }
        let p = obj
            .get("prev")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("no prev"))?;
        if p != prev {
            return Err(bad(
                "the chain is broken (a line before it was removed, inserted or moved)",
            ));
        }
        let seq = obj.get("seq").and_then(Value::as_u64);
        if seq != Some(lineno as u64) {
            return Err(bad("sequence number out of order"));
        }
        prev = stated.to_string();
        events += 1;
    }
    Ok(VerifyReport { events, head: prev })
}

/// Reads all events (for `audit log`); stops with an error at the first unparsable line.
pub fn read_events(path: &Path) -> Result<Vec<Value>, AuditError> {
    let data = std::fs::read_to_string(path).map_err(|source| AuditError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).map_err(|_| AuditError::BadTail {
            path: path.to_path_buf(),
        })?;
        out.push(v);
    }
    Ok(out)
}

/// The current time as RFC 3339 UTC with seconds (`2024-05-01T12:00:00Z`).
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    rfc3339(secs)
}

/// Formats seconds since the Unix epoch as RFC 3339 UTC.
pub fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn canonical_sorts_keys() {
        let v = serde_json::json!({"b": 1, "a": {"d": [1, {"z": 0, "y": 1}], "c": "x"}});
        assert_eq!(
            canonical(&v),
            r#"{"a":{"c":"x","d":[1,{"y":1,"z":0}]},"b":1}"#
        );
    }
}
