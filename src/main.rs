//! The `dossierkluis` binary: parses the command line and hands over to the library.

fn main() -> std::process::ExitCode {
    dossierkluis::cli::main()
}
