//! Re-identification by the privacy officer: opens a case's entity table
//! (vault/cases/<case>.entities.age, encrypted to the officer's recipient only) with the
//! officer's identity and returns what a pseudonym stands for.
//!
//! Owns: the look-up and its audit events (one per attempt, successful or not, with the case id,
//! a hash of the pseudonym asked for, the officer's public key and the outcome). Must never:
//! write an original anywhere (they are returned to the caller, who prints them to the
//! officer's terminal, and zeroised when dropped), put an original or a key into an error or an
//! audit event, or accept a key file others may read.

use std::path::Path;

use serde_json::{json, Value};
use zeroize::Zeroize;

use super::{AuditError, AuditLog};
use crate::crypto::{self, KeyError, OpenError};
use crate::pseudo::{Entity, EntityTable};
use crate::workspace::Workspace;

/// The most an entity table may hold when decrypted (a case's tables are small).
const MAX_TABLE_BYTES: u64 = 256 * 1024 * 1024;

/// Why re-identification failed. Messages hold no original and no key material.
#[derive(Debug, thiserror::Error)]
pub enum ReidentifyError {
    #[error("not a case id: case ids look like K0123456789ab")]
    BadCaseId,
    #[error("case {0} has no entity table in vault/cases/")]
    NoTable(String),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("this identity cannot open the entity table of case {case}: it is encrypted to the privacy officer's key only ({})", .reason.code())]
    Open { case: String, reason: OpenError },
    #[error("the entity table of case {0} is damaged (not valid JSON)")]
    Damaged(String),
    #[error("case {case} has no pseudonym {pseudonym}")]
    UnknownPseudonym { case: String, pseudonym: String },
    #[error("reading {0}: {1}")]
    Io(String, std::io::Error),
    #[error("writing the audit event failed, so nothing is shown: {0}")]
    Audit(#[from] AuditError),
}

impl ReidentifyError {
    fn code(&self) -> &'static str {
        match self {
            ReidentifyError::BadCaseId => "bad_case_id",
            ReidentifyError::NoTable(_) => "no_table",
            ReidentifyError::Key(KeyError::TooOpen { .. }) => "key_file_too_open",
            ReidentifyError::Key(_) => "key_file",
            ReidentifyError::Open {
                reason: OpenError::WrongRecipient,
                ..
            } => "wrong_key",
            ReidentifyError::Open { .. } => "cannot_open",
            ReidentifyError::Damaged(_) => "damaged",
            ReidentifyError::UnknownPseudonym { .. } => "unknown_pseudonym",
            ReidentifyError::Io(..) => "io",
            ReidentifyError::Audit(_) => "audit",
        }
    }
}

/// The entities returned to the officer; their originals are zeroised when this is dropped.
#[derive(Debug)]
pub struct Reidentified {
    pub case: String,
    pub entities: Vec<Entity>,
}

impl Drop for Reidentified {
    fn drop(&mut self) {
        for e in &mut self.entities {
            for o in &mut e.originals {
                o.zeroize();
            }
        }
    }
}

/// Whether `id` has the shape of a workspace case id (`K` + 12 lower-case hex digits).
pub fn is_case_id(id: &str) -> bool {
    id.len() == 13
        && id.starts_with('K')
        && id
            .chars()
            .skip(1)
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

/// `[NAASTE-12]`, `NAASTE-12` and `naaste-12` all name `[NAASTE-12]`.
fn normalise_pseudonym(p: &str) -> String {
    let inner = p.trim().trim_start_matches('[').trim_end_matches(']');
    format!("[{}]", inner.to_uppercase())
}

/// Looks up the pseudonyms of one case with the identity in `identity_file`; every attempt is
/// written to the audit log (before anything is returned).
pub fn reidentify(
    ws: &Workspace,
    identity_file: &Path,
    case: &str,
    pseudonym: Option<&str>,
) -> Result<Reidentified, ReidentifyError> {
    let wanted = pseudonym.map(normalise_pseudonym);
    let mut officer: Option<String> = None;
    let result = lookup(ws, identity_file, case, wanted.as_deref(), &mut officer);
    let mut fields = json!({
        "case": if is_case_id(case) { Value::from(case) } else { Value::Null },
        "pseudonym_sha256": wanted.as_deref().map(|p| crypto::sha256_hex(p.as_bytes())),
        "identity_recipient": officer,
    });
    match &result {
        Ok(found) => {
            fields["success"] = Value::from(true);
            fields["entities"] = Value::from(found.entities.len());
        }
        Err(e) => {
            fields["success"] = Value::from(false);
            fields["code"] = Value::from(e.code());
        }
    }
    AuditLog::new(ws.audit_log_path()).append("reidentify", fields)?;
    result
}

fn lookup(
    ws: &Workspace,
    identity_file: &Path,
    case: &str,
    wanted: Option<&str>,
    officer: &mut Option<String>,
) -> Result<Reidentified, ReidentifyError> {
    if !is_case_id(case) {
        return Err(ReidentifyError::BadCaseId);
    }
    let identity = crypto::load_identity(identity_file)?;
    *officer = Some(identity.to_public().to_string());
    let path = ws
        .vault_dir()
        .join("cases")
        .join(format!("{case}.entities.age"));
    let ciphertext = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ReidentifyError::NoTable(case.to_string()))
        }
        Err(e) => return Err(ReidentifyError::Io(path.display().to_string(), e)),
    };
    let plain = crypto::open(&identity, &ciphertext, MAX_TABLE_BYTES).map_err(|reason| {
        ReidentifyError::Open {
            case: case.to_string(),
            reason,
        }
    })?;
    let table: EntityTable =
        serde_json::from_slice(&plain).map_err(|_| ReidentifyError::Damaged(case.to_string()))?;
    drop(plain);
    let mut found = Reidentified {
        case: case.to_string(),
        entities: table.entities,
    };
    if let Some(p) = wanted {
        let (keep, mut rest): (Vec<Entity>, Vec<Entity>) = std::mem::take(&mut found.entities)
            .into_iter()
            .partition(|e| e.pseudonym == p);
        for e in &mut rest {
            for o in &mut e.originals {
                o.zeroize();
            }
        }
        found.entities = keep;
        if found.entities.is_empty() {
            return Err(ReidentifyError::UnknownPseudonym {
                case: case.to_string(),
                pseudonym: p.to_string(),
            });
        }
    }
    found.entities.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_id_shape() {
        assert!(is_case_id("K0123456789ab"));
        assert!(!is_case_id("K0123456789AB"));
        assert!(!is_case_id("../../etc/pas"));
        assert!(!is_case_id("K0123456789a"));
        assert!(!is_case_id("K0123456789ab/"));
    }

    #[test]
    fn pseudonyms_are_normalised() {
        assert_eq!(normalise_pseudonym("naaste-12"), "[NAASTE-12]");
        assert_eq!(normalise_pseudonym(" [CLIENT] "), "[CLIENT]");
    }
}
