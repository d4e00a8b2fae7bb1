//! Access logging in the spirit of NEN 7513: every search, trigger analysis and export appends
//! an event to the audit log with the OS user, the kind of access, the SHA-256 of the query and
//! the number of results.
//!
//! Owns: the access event format. Must never: write the query text, a result or any document
//! text into the log.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::audit::{AuditError, AuditLog};
use crate::workspace::Workspace;

/// The name of the user running this process: the account of the effective uid (getpwuid),
/// else `$USER`, else `uid:N`.
pub fn os_user() -> String {
    // SAFETY: geteuid cannot fail; getpwuid returns null or a pointer to a static record that
    // stays valid until the next getpw* call, and we copy the name out at once.
    unsafe {
        let uid = libc::geteuid();
        let pw = libc::getpwuid(uid);
        if !pw.is_null() && !(*pw).pw_name.is_null() {
            let name = std::ffi::CStr::from_ptr((*pw).pw_name).to_string_lossy();
            if !name.is_empty() {
                return name.into_owned();
            }
        }
        if let Ok(u) = std::env::var("USER") {
            if !u.is_empty() {
                return u;
            }
        }
        format!("uid:{uid}")
    }
}

/// SHA-256 (hex) of a query, as recorded instead of the query.
pub fn query_hash(query: &str) -> String {
    hex::encode(Sha256::digest(query.as_bytes()))
}

/// Appends an access event of `kind` ("search", "triggers", "export"). `extra` (a JSON object
/// or null) adds fields that hold no personal data, such as the export format.
pub fn log_access(
    ws: &Workspace,
    kind: &str,
    query: Option<&str>,
    results: usize,
    extra: Value,
) -> Result<(), AuditError> {
    let mut fields = json!({
        "user": os_user(),
        "query_sha256": query.map(query_hash),
        "results": results,
    });
    if let (Some(obj), Value::Object(more)) = (fields.as_object_mut(), extra) {
        for (k, v) in more {
            obj.entry(k).or_insert(v);
        }
    }
    AuditLog::new(ws.audit_log_path()).append(kind, fields)
}
