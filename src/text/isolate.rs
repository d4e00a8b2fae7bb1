//! The isolation boundary: [`Extractor`] (parent side) runs `<exe> __extract` ([`child_main`],
//! child side) with RLIMIT_AS, RLIMIT_CPU and RLIMIT_CORE=0, the process made non-dumpable, the
//! document passed over stdin and the result returned over stdout, and a wall-clock deadline
//! after which the parent kills and reaps the child.
//!
//! The limits are set by the parent with `prlimit` right after the child is started and before
//! the first byte of input is written to it (the child reads nothing else before that, so no
//! untrusted byte is ever handled without them), and the child lowers them again itself. Not
//! setting them between fork and exec lets the standard library start the child with
//! `posix_spawn` instead of copying the parent's address space with `fork`: the parent of an
//! ingest holds the rule set and several cases' documents, and a fork per document made
//! extraction twice as slow inside ingest as on its own. If the limits cannot be set, the child
//! is killed before it gets any input.
//!
//! Wire protocol. stdin: `DKX1`, a u32 little-endian length, that many bytes of JSON limits,
//! then the document bytes up to EOF. stdout: one JSON object, `{"ok": Extracted}` or
//! `{"err": ExtractError}`. The child's stderr is read (bounded) only to recognise Rust's
//! allocation-failure message and is then wiped, never forwarded or logged: parser messages
//! could quote document content.
//!
//! Must never: write the document or its text anywhere but these pipes, leave a zombie or a
//! running child behind, or block forever on a child that does not read or does not exit.

use std::io::{self, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use super::{extract_in_process, ExtractError, Extracted, Limits};

const MAGIC: &[u8; 4] = b"DKX1";
/// How much of the child's stderr is looked at (to spot the allocation-failure message).
const STDERR_CAP: usize = 16 * 1024;
/// Rust's default allocation-error hook prints this (no document content) before aborting.
const ALLOC_FAILURE: &[u8] = b"memory allocation of ";

/// The limits the child needs (the wall clock is enforced by the parent).
#[derive(Serialize, Deserialize)]
struct WireLimits {
    max_bytes: u64,
    max_pages: u32,
    cpu_seconds: u64,
    max_memory_bytes: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Reply {
    Ok(Extracted),
    Err(ExtractError),
}

/// Extracts text from untrusted bytes in an isolated, resource-limited child process.
#[derive(Debug, Clone)]
pub struct Extractor {
    exe: PathBuf,
    limits: Limits,
}

impl Extractor {
    /// An extractor that runs the current executable as the child (it must dispatch the
    /// hidden `__extract` subcommand to [`child_main`]).
    pub fn new(limits: Limits) -> io::Result<Self> {
        Ok(Extractor {
            exe: std::env::current_exe()?,
            limits,
        })
    }

    /// An extractor that runs `exe __extract` as the child (tests use the built binary).
    pub fn with_exe(exe: PathBuf, limits: Limits) -> Self {
        Extractor { exe, limits }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Extracts the text of one document; every failure is classified (see
    /// [`ExtractError::code`]).
    pub fn extract(&self, bytes: &[u8]) -> Result<Extracted, ExtractError> {
        let limits = &self.limits;
        if bytes.is_empty() {
            return Err(ExtractError::Empty);
        }
        if bytes.len() as u64 > limits.max_bytes {
            return Err(ExtractError::TooLarge {
                bytes: bytes.len() as u64,
                limit: limits.max_bytes,
            });
        }
        let wire = WireLimits {
            max_bytes: limits.max_bytes,
            max_pages: limits.max_pages,
            cpu_seconds: limits.cpu_seconds,
            max_memory_bytes: limits.max_memory_bytes,
        };
        let header = serde_json::to_vec(&wire)
            .map_err(|_| ExtractError::extract("could not encode limits"))?;
        let mut cmd = Command::new(&self.exe);
        cmd.arg("__extract")
            .env_clear()
            // The allocator (mimalloc) reserves address space in arenas of 1 GiB by default:
            // under the child's RLIMIT_AS a second arena could never be reserved, and a large
            // PDF would fail as out of memory long before it used the limit. Small arenas
            // (in KiB) let the child use what the limit allows. And since mimalloc 3 serves
            // even large blocks from arenas, a buffer that grows by doubling (an inflating zip
            // entry) left arenas half used and failed as out of memory under a tight limit,
            // now and then (2 runs in 12 of the extraction tests): the child takes its memory
            // from the system directly.
            .env("MIMALLOC_ARENA_RESERVE", "32768")
            .env("MIMALLOC_DISALLOW_ARENA_ALLOC", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let (mem, cpu) = (limits.max_memory_bytes, limits.cpu_seconds.max(1));
        let mut child = cmd.spawn().map_err(|e| {
            if e.raw_os_error() == Some(libc::ENOMEM) {
                ExtractError::resource("memory")
            } else {
                ExtractError::Crashed {
                    reason: "extraction process could not be started".into(),
                }
            }
        })?;
        // Before any input: the child blocks reading stdin until then.
        let pid = child.id() as libc::pid_t;
        let limited = set_child_limit(pid, libc::RLIMIT_CORE, 0, 0)
            .and_then(|()| set_child_limit(pid, libc::RLIMIT_CPU, cpu, cpu.saturating_add(1)))
            .and_then(|()| set_child_limit(pid, libc::RLIMIT_AS, mem, mem));
        if limited.is_err() {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ExtractError::Crashed {
                reason: "the limits of the extraction process could not be set".into(),
            });
        }
        let stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let stderr = child.stderr.take();
        let out_cap = limits
            .max_text_bytes()
            .saturating_mul(2)
            .saturating_add(1 << 20);
        let deadline = Instant::now() + limits.wall_time;

        let (status, timed_out, (mut out, out_overflow), (mut err, _)) = std::thread::scope(|s| {
            s.spawn(move || {
                if let Some(mut w) = stdin {
                    // Errors (EPIPE when the child exits early) are the child's outcome.
                    let _ = w.write_all(MAGIC);
                    let _ = w.write_all(&(header.len() as u32).to_le_bytes());
                    let _ = w.write_all(&header);
                    let _ = w.write_all(bytes);
                }
            });
            let out_reader = s.spawn(move || read_capped(stdout, out_cap));
            let err_reader = s.spawn(move || read_capped(stderr, STDERR_CAP));
            let (status, timed_out) = wait_with_deadline(&mut child, deadline);
            let out = out_reader.join().unwrap_or_default();
            let err = err_reader.join().unwrap_or_default();
            (status, timed_out, out, err)
        });

        let result = classify(status, timed_out, &out, out_overflow, &err, limits);
        out.zeroize();
        err.zeroize();
        result
    }
}

/// Waits for the child until `deadline`, then kills it; always reaps it. Returns the exit
/// status (None if even waiting failed) and whether it was killed for the deadline.
fn wait_with_deadline(
    child: &mut std::process::Child,
    deadline: Instant,
) -> (Option<ExitStatus>, bool) {
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return (Some(status), false),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Ok(None) => {
                let _ = child.kill();
                return (child.wait().ok(), true);
            }
            Err(_) => {
                let _ = child.kill();
                return (child.wait().ok(), false);
            }
        }
    }
}

/// Reads a pipe to its end, keeping at most `cap` bytes. On overflow it stops reading (the
/// child then fails to write and exits) and reports it.
fn read_capped<R: Read>(pipe: Option<R>, cap: usize) -> (Vec<u8>, bool) {
    let mut buf = Vec::new();
    let Some(mut pipe) = pipe else {
        return (buf, false);
    };
    let mut chunk = [0u8; 64 * 1024];
    loop {
        match pipe.read(&mut chunk) {
            Ok(0) => return (buf, false),
            Ok(n) => {
                if buf.len() + n > cap {
                    chunk.zeroize();
                    return (buf, true);
                }
                buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => {
                chunk.zeroize();
                return (buf, false);
            }
        }
    }
}

fn classify(
    status: Option<ExitStatus>,
    timed_out: bool,
    out: &[u8],
    out_overflow: bool,
    err: &[u8],
    limits: &Limits,
) -> Result<Extracted, ExtractError> {
    if timed_out {
        return Err(ExtractError::Timeout {
            seconds: limits.wall_time.as_secs(),
        });
    }
    if out_overflow {
        return Err(ExtractError::resource("output size"));
    }
    let alloc_failed = super::find(err, ALLOC_FAILURE).is_some();
    let crashed = |reason: &str| ExtractError::Crashed {
        reason: reason.to_string(),
    };
    let Some(status) = status else {
        return Err(crashed("lost track of the extraction process"));
    };
    if status.success() {
        return match serde_json::from_slice::<Reply>(out) {
            Ok(Reply::Ok(extracted)) => Ok(extracted),
            Ok(Reply::Err(e)) => Err(e),
            Err(_) => Err(crashed("unreadable reply")),
        };
    }
    if alloc_failed {
        return Err(ExtractError::resource("memory"));
    }
    match status.signal() {
        // SIGXCPU at the soft CPU limit, SIGKILL at the hard one (we did not kill it).
        Some(libc::SIGXCPU) | Some(libc::SIGKILL) => Err(ExtractError::resource("cpu time")),
        Some(libc::SIGSEGV) | Some(libc::SIGBUS) => Err(crashed("segmentation fault")),
        Some(libc::SIGABRT) => Err(crashed("aborted")),
        Some(_) => Err(crashed("killed by a signal")),
        None => Err(crashed("exited with an error")),
    }
}

// rlim_t is u64 here but not on every platform, hence the casts.
#[allow(clippy::unnecessary_cast)]
fn set_limit(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) -> io::Result<()> {
    let lim = libc::rlimit {
        rlim_cur: soft as libc::rlim_t,
        rlim_max: hard as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct we pass and has no other memory effects.
    if unsafe { libc::setrlimit(resource, &lim) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Sets a limit of another process (our child) with prlimit.
#[allow(clippy::unnecessary_cast)]
fn set_child_limit(
    pid: libc::pid_t,
    resource: libc::__rlimit_resource_t,
    soft: u64,
    hard: u64,
) -> io::Result<()> {
    let lim = libc::rlimit {
        rlim_cur: soft as libc::rlim_t,
        rlim_max: hard as libc::rlim_t,
    };
    // SAFETY: prlimit reads the struct we pass; the old-limit pointer is null (not wanted).
    if unsafe { libc::prlimit(pid, resource, &lim, std::ptr::null_mut()) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Lowers a limit to `value` if it is currently higher (never raises it).
#[allow(clippy::unnecessary_cast)]
fn lower_limit(resource: libc::__rlimit_resource_t, value: u64) {
    let mut cur = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct we own.
    if unsafe { libc::getrlimit(resource, &mut cur) } != 0 {
        return;
    }
    let value = value as libc::rlim_t;
    if cur.rlim_cur == libc::RLIM_INFINITY || cur.rlim_cur > value {
        let hard = if cur.rlim_max == libc::RLIM_INFINITY || cur.rlim_max > value {
            value
        } else {
            cur.rlim_max
        };
        let _ = set_limit(resource, value as u64, hard as u64);
    }
}

/// The body of the hidden `__extract` subcommand: reads limits and a document from stdin,
/// extracts it in this (sacrificial) process and writes the JSON reply to stdout.
pub fn child_main() -> ExitCode {
    // No core dumps, not dumpable, not ptrace-attachable by other users' processes; silent
    // panics (a panic message could quote document content).
    lower_limit(libc::RLIMIT_CORE, 0);
    // SAFETY: prctl(PR_SET_DUMPABLE, 0) only changes this process's dumpable flag.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
    std::panic::set_hook(Box::new(|_| {}));

    let mut stdin = io::stdin().lock();
    let Some(wire) = read_header(&mut stdin) else {
        return ExitCode::from(2);
    };
    lower_limit(libc::RLIMIT_AS, wire.max_memory_bytes);
    lower_limit(libc::RLIMIT_CPU, wire.cpu_seconds.max(1));
    let limits = Limits {
        max_bytes: wire.max_bytes,
        max_pages: wire.max_pages,
        cpu_seconds: wire.cpu_seconds,
        max_memory_bytes: wire.max_memory_bytes,
        ..Limits::default()
    };
    let mut bytes = Vec::new();
    if (&mut stdin)
        .take(limits.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .is_err()
    {
        bytes.zeroize();
        return ExitCode::from(2);
    }
    let result = if bytes.len() as u64 > limits.max_bytes {
        Err(ExtractError::TooLarge {
            bytes: bytes.len() as u64,
            limit: limits.max_bytes,
        })
    } else {
        std::panic::catch_unwind(|| extract_in_process(&bytes, &limits)).unwrap_or_else(|_| {
            Err(ExtractError::Crashed {
                reason: "parser panicked".into(),
            })
        })
    };
    bytes.zeroize();
    let reply = match result {
        Ok(extracted) => Reply::Ok(extracted),
        Err(e) => Reply::Err(e),
    };
    let mut json = match serde_json::to_vec(&reply) {
        Ok(json) => json,
        Err(_) => return ExitCode::from(3),
    };
    if let Reply::Ok(mut extracted) = reply {
        extracted.text.zeroize();
    }
    let mut stdout = io::stdout().lock();
    let written = stdout.write_all(&json).and_then(|_| stdout.flush());
    json.zeroize();
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(4),
    }
}

fn read_header(stdin: &mut impl Read) -> Option<WireLimits> {
    let mut magic = [0u8; 4];
    stdin.read_exact(&mut magic).ok()?;
    if &magic != MAGIC {
        return None;
    }
    let mut len = [0u8; 4];
    stdin.read_exact(&mut len).ok()?;
    let len = u32::from_le_bytes(len) as usize;
    if len > 4096 {
        return None;
    }
    let mut header = vec![0u8; len];
    stdin.read_exact(&mut header).ok()?;
    serde_json::from_slice(&header).ok()
}
