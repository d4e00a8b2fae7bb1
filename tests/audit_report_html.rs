//! The HTML redaction report in a real browser: a workspace built through the real pipeline
//! (init with a generated officer key, seal, ingest), `audit report --html`, then headless
//! Chromium renders the page (`--dump-dom`). The summary and the marked replacements must be on
//! the rendered page, the planted residual risks highlighted, the `<script>` from a document
//! shown as text (never an element), and no original identifier anywhere. Skipped with a
//! message when Chromium is not installed (CI installs it: `.ci/run`).

#[path = "audit_support/mod.rs"]
mod audit_support;

use std::process::Command;

use audit_support::*;

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

fn chromium() -> Option<String> {
    for name in ["chromium", "chromium-browser"] {
        let ok = Command::new(name)
            .arg("--version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if ok {
            return Some(name.to_string());
        }
    }
    None
}

#[test]
fn the_html_report_renders_in_chromium_with_marks_and_without_originals() {
    let f = build();
    let out = f.dir.path().join("report.html");
    let (code, stdout, err) = run(&[
        os("audit"),
        os("report"),
        f.root.as_os_str(),
        os("--html"),
        out.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("wrote"), "{stdout}");
    let html = std::fs::read_to_string(&out).unwrap();

    // Self-contained: no scripts, no external resources, document text escaped.
    let lower = html.to_lowercase();
    for bad in [
        "<script", "<link", "src=", "@import", "url(", "http://", "https://",
    ] {
        assert!(!lower.contains(bad), "{bad} in the page");
    }
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; meer"));
    for o in ORIGINALS {
        assert!(!html.contains(o), "{o} in the page");
    }

    let Some(browser) = chromium() else {
        println!(
            "SKIPPED: chromium is not installed; the HTML report was not rendered in a browser"
        );
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let rendered = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", out.display()))
        .output()
        .unwrap();
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    let dom = String::from_utf8_lossy(&rendered.stdout).into_owned();
    assert!(dom.contains("<h1>Redaction report</h1>"), "{dom}");

    // The summary: the counts of the report, as the browser shows them.
    let r: serde_json::Value = serde_json::from_str(
        &run(&[os("audit"), os("report"), f.root.as_os_str(), os("--json")]).1,
    )
    .unwrap();
    let summary_start = dom.find("<section id=\"summary\">").unwrap();
    let summary_end = summary_start + dom[summary_start..].find("</section>").unwrap();
    let summary = &dom[summary_start..summary_end];
    for (n, label) in [
        (r["cases"].as_u64().unwrap(), "cases"),
        (r["documents"].as_u64().unwrap(), "documents"),
        (r["replacements"].as_u64().unwrap(), "replacements"),
        (r["risks"].as_u64().unwrap(), "residual risks to check"),
    ] {
        assert!(
            summary.contains(&format!("<div class=\"n\">{n}</div>{label}</div>")),
            "{label} = {n} not in the summary: {summary}"
        );
    }
    assert!(summary.contains(dossierkluis::rules::rule_set_hash()));
    assert!(summary.contains("<td>NAAM</td>"));

    // Marked replacements with their category and rule, and the highlighted risks.
    let repl_marks = dom.matches("<mark class=\"repl").count();
    assert!(repl_marks as u64 >= r["replacements"].as_u64().unwrap());
    assert!(
        dom.contains("title=\"NAAM (CLIENT) · rule ") && dom.contains(">[CLIENT]</mark>"),
        "no marked [CLIENT]"
    );
    assert!(dom.contains(">[TELEFOON]</mark>") && dom.contains("title=\"TELEFOON · rule "));
    for p in PLANTED {
        assert!(
            dom.contains(&format!("\">{p}</mark>")),
            "risk {p} not highlighted"
        );
    }
    assert!(dom.contains("<mark class=\"risk\" title=\"residual risk ("));

    // The document's script is text on the page, never an element; no original anywhere.
    assert!(!dom.to_lowercase().contains("<script"));
    assert!(dom.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; meer"));
    for o in ORIGINALS {
        assert!(!dom.contains(o), "{o} on the rendered page");
    }
}
