//! Cryptography at the edges of the workspace: age identities and recipients, opening and
//! sealing age files in memory, key files on disk (mode 0600), the pseudonymisation key in the
//! vault, and the keyed hashes that turn identifying strings (case references, file names) into
//! stable codes.
//!
//! Owns: every use of the `age` crate and every read of a private key file. Must never: write
//! decrypted bytes anywhere but a caller's (zeroising) buffer, accept a private key file that
//! group or others may read, or put key material or plaintext into an error message.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::pseudo::PseudoKey;

/// The x25519 identity type used for the workspace and the privacy officer.
pub use age::x25519::Identity;
/// The x25519 recipient (public key, `age1...`).
pub use age::x25519::Recipient;

/// Errors about keys and key files. Messages name paths the user chose, never key material.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: key file is readable by group or others (mode {mode:o}); run `chmod 600 {path}` and try again")]
    TooOpen { path: PathBuf, mode: u32 },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: no age identity (AGE-SECRET-KEY-1...) found in the file")]
    NoIdentity { path: PathBuf },
    #[error("{path}: the file holds more than one age identity; give a file with exactly one")]
    ManyIdentities { path: PathBuf },
    #[error("not a valid age X25519 recipient (expected age1...)")]
    BadRecipient,
    #[error("the vault key could not be opened: {0}")]
    Vault(String),
    #[error("encryption failed: {0}")]
    Encrypt(String),
}

/// Why an age file could not be opened. Each has a stable code for quarantine and audit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("not an age-encrypted file (no age header)")]
    NotAge,
    #[error("the age file is damaged or incomplete (truncated)")]
    Truncated,
    #[error("the file is encrypted to another recipient than this workspace")]
    WrongRecipient,
    #[error("the file is passphrase-protected; seal it to the workspace recipient instead")]
    Passphrase,
    #[error("the decrypted content exceeds the size limit of {limit} bytes")]
    TooLarge { limit: u64 },
}

impl OpenError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            OpenError::NotAge => "not_age",
            OpenError::Truncated => "truncated",
            OpenError::WrongRecipient => "wrong_recipient",
            OpenError::Passphrase => "passphrase",
            OpenError::TooLarge { .. } => "too_large",
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses a key file whose permissions let group or others read or write it.
pub fn check_private_mode(path: &Path) -> Result<(), KeyError> {
    let meta = std::fs::metadata(path).map_err(io_err(path))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(KeyError::TooOpen {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

/// Creates `path` with mode 0600 from the first byte on (never a moment world-readable),
/// writes `contents` and fsyncs. Refuses to overwrite an existing file.
pub fn write_private_file(path: &Path, contents: &[u8]) -> Result<(), KeyError> {
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io_err(path))?;
    f.write_all(contents).map_err(io_err(path))?;
    f.sync_all().map_err(io_err(path))?;
    Ok(())
}

/// Generates a new x25519 identity.
pub fn generate_identity() -> Identity {
    Identity::generate()
}

/// The identity file text in the format of `age-keygen` (comment lines, then the secret key).
pub fn identity_file_text(identity: &Identity) -> Zeroizing<String> {
    let secret = identity.to_string();
    Zeroizing::new(format!(
        "# public key: {}\n{}\n",
        identity.to_public(),
        secret.expose_secret()
    ))
}

/// Loads an age identity file (as written by `age-keygen` or `init`), after checking its mode.
pub fn load_identity(path: &Path) -> Result<Identity, KeyError> {
    check_private_mode(path)?;
    let mut text = Zeroizing::new(String::new());
    File::open(path)
        .and_then(|mut f| f.read_to_string(&mut text))
        .map_err(io_err(path))?;
    let mut found: Option<Identity> = None;
    for line in text.lines().map(str::trim) {
        if line.starts_with("AGE-SECRET-KEY-") {
            if found.is_some() {
                return Err(KeyError::ManyIdentities {
                    path: path.to_path_buf(),
                });
            }
            let id = Identity::from_str(line).map_err(|_| KeyError::NoIdentity {
                path: path.to_path_buf(),
            })?;
            found = Some(id);
        }
    }
    found.ok_or_else(|| KeyError::NoIdentity {
        path: path.to_path_buf(),
    })
}

/// Parses an `age1...` recipient.
pub fn parse_recipient(s: &str) -> Result<Recipient, KeyError> {
    Recipient::from_str(s.trim()).map_err(|_| KeyError::BadRecipient)
}

/// Reads a recipient file (first non-comment line).
pub fn load_recipient(path: &Path) -> Result<Recipient, KeyError> {
    let text = std::fs::read_to_string(path).map_err(io_err(path))?;
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    parse_recipient(line)
}

/// Encrypts `plaintext` to one recipient (binary age format).
pub fn seal(recipient: &Recipient, plaintext: &[u8]) -> Result<Vec<u8>, KeyError> {
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(recipient as &dyn age::Recipient))
            .map_err(|e| KeyError::Encrypt(e.to_string()))?;
    let mut out = Vec::with_capacity(plaintext.len() + 256);
    let mut w = encryptor
        .wrap_output(&mut out)
        .map_err(|e| KeyError::Encrypt(e.to_string()))?;
    w.write_all(plaintext)
        .and_then(|_| w.finish().map(|_| ()))
        .map_err(|e| KeyError::Encrypt(e.to_string()))?;
    Ok(out)
}

const BINARY_MAGIC: &[u8] = b"age-encryption.org/";
const ARMOR_MAGIC: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// True when the bytes start like an age file (binary or armored, leading whitespace allowed
/// for armor as the age tool does).
pub fn looks_like_age(bytes: &[u8]) -> bool {
    if bytes.starts_with(BINARY_MAGIC) {
        return true;
    }
    let trimmed = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .and_then(|i| bytes.get(i..))
        .unwrap_or(&[]);
    trimmed.starts_with(ARMOR_MAGIC)
}

/// Decrypts an age file (binary or ASCII-armored) in memory. The plaintext is returned in a
/// buffer that is zeroised when dropped; it is allocated once (no reallocation copies left
/// behind) and never larger than `max_plaintext` bytes.
pub fn open(
    identity: &Identity,
    ciphertext: &[u8],
    max_plaintext: u64,
) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    if !looks_like_age(ciphertext) {
        return Err(OpenError::NotAge);
    }
    let reader = age::armor::ArmoredReader::new(ciphertext);
    let decryptor = match age::Decryptor::new(reader) {
        Ok(d) => d,
        Err(age::DecryptError::UnknownFormat) => return Err(OpenError::NotAge),
        Err(_) => return Err(OpenError::Truncated),
    };
    if decryptor.is_scrypt() {
        return Err(OpenError::Passphrase);
    }
    let stream = match decryptor.decrypt(std::iter::once(identity as &dyn age::Identity)) {
        Ok(s) => s,
        Err(age::DecryptError::NoMatchingKeys) => return Err(OpenError::WrongRecipient),
        Err(_) => return Err(OpenError::Truncated),
    };
    // The plaintext of a binary age file is shorter than its ciphertext, of an armored one
    // shorter still; so one allocation of the ciphertext's size suffices.
    let cap = ciphertext
        .len()
        .min(usize::try_from(max_plaintext).unwrap_or(usize::MAX));
    let mut out = Zeroizing::new(Vec::with_capacity(cap));
    let mut limited = stream.take(max_plaintext.saturating_add(1));
    let mut chunk = Zeroizing::new([0u8; 16 * 1024]);
    loop {
        let n = match limited.read(&mut chunk[..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(OpenError::Truncated),
        };
        if (out.len() + n) as u64 > max_plaintext {
            return Err(OpenError::TooLarge {
                limit: max_plaintext,
            });
        }
        if out.len() + n > out.capacity() {
            // Grow by hand so the old buffer is zeroised rather than freed with plaintext in it.
            let mut bigger = Zeroizing::new(Vec::with_capacity((out.len() + n) * 2));
            bigger.extend_from_slice(&out);
            out = bigger;
        }
        out.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
    }
    Ok(out)
}

/// Generates a fresh 32-byte pseudonymisation key.
pub fn generate_pseudo_key() -> PseudoKey {
    let mut key = PseudoKey([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(&mut key.0);
    key
}

/// Encrypts the pseudonymisation key to the workspace recipient (for vault/pseudo-key.age).
pub fn seal_pseudo_key(recipient: &Recipient, key: &PseudoKey) -> Result<Vec<u8>, KeyError> {
    seal(recipient, &key.0)
}

/// Opens vault/pseudo-key.age with the workspace identity.
pub fn open_pseudo_key(identity: &Identity, ciphertext: &[u8]) -> Result<PseudoKey, KeyError> {
    let plain = open(identity, ciphertext, 64).map_err(|e| KeyError::Vault(e.to_string()))?;
    let bytes: [u8; 32] = plain
        .as_slice()
        .try_into()
        .map_err(|_| KeyError::Vault("the key does not have 32 bytes".into()))?;
    Ok(PseudoKey(bytes))
}

/// HMAC-SHA256 of `domain:` + `data` under the pseudonymisation key, as lowercase hex.
pub fn keyed_hash(key: &PseudoKey, domain: &str, data: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(&key.0) {
        Ok(m) => m,
        Err(_) => return sha256_hex(data),
    };
    mac.update(domain.as_bytes());
    mac.update(b":");
    mac.update(data);
    hex::encode(mac.finalize().into_bytes())
}

/// The workspace's code for a provider's case reference: `K` + 12 hex of a keyed hash.
pub fn case_id(key: &PseudoKey, case_ref: &[u8]) -> String {
    let h = keyed_hash(key, "case", case_ref);
    format!("K{}", h.get(..12).unwrap_or(&h))
}

/// The audit log's code for a provider's file name (keyed, so names cannot be guessed back).
pub fn name_hash(key: &PseudoKey, name: &[u8]) -> String {
    let h = keyed_hash(key, "name", name);
    h.get(..16).unwrap_or(&h).to_string()
}

/// SHA-256 as lowercase hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}
