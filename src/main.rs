//! The `dossierkluis` binary: parses the command line and hands over to the library.

/// mimalloc: the de-identifier makes many small, short-lived allocations (tokens, candidates,
/// name variants), where it is markedly faster than the system allocator (`benches/deid.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    dossierkluis::cli::main()
}
