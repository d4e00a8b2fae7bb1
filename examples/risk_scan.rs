//! Runs the residual-risk scanner (`dossierkluis::audit::risk::scan`) over text files and prints
//! one JSON line per file: `{"file": ..., "risks": [{"start", "end", "kind"}]}` (UTF-8 byte
//! offsets). Used by `tools/measure_residual_risk.py`; never prints the text itself.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut status = ExitCode::SUCCESS;
    for path in std::env::args().skip(1) {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let risks = dossierkluis::audit::risk::scan(&text);
                let line = serde_json::json!({"file": path, "risks": risks});
                println!("{line}");
            }
            Err(e) => {
                eprintln!("{path}: {e}");
                status = ExitCode::from(1);
            }
        }
    }
    status
}
