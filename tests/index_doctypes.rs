//! Document types of the search index on the dev corpus: every document's file name carries
//! its type (`03-dagrapportage.txt`); the classifier sees only the pseudonymised text. Skipped
//! with a message when ../shared is absent.

use dossierkluis::index::doctype::DocTypes;
use dossierkluis::pseudo::{Document, Engine, PseudoKey};

#[test]
fn doctypes_of_the_dev_corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
    if !root.is_dir() {
        println!("skipped: {} is absent", root.display());
        return;
    }
    let engine = Engine::load_default().unwrap();
    let types = DocTypes::shipped().unwrap();
    let known = types.names();
    let (mut total, mut right) = (0, 0);
    let mut wrong = Vec::new();
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.file_name().unwrap().to_string_lossy().starts_with('C'))
        .collect();
    cases.sort();
    for case in cases {
        let docs: Vec<Document> = std::fs::read_dir(&case)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .map(|p| Document {
                name: p.file_stem().unwrap().to_string_lossy().into_owned(),
                text: std::fs::read_to_string(&p).unwrap(),
            })
            .collect();
        let out = engine.deidentify_case(&PseudoKey([3; 32]), &docs).unwrap();
        for d in &out.docs {
            let want = d.document.split_once('-').map(|x| x.1).unwrap_or("");
            if !known.contains(&want) {
                continue;
            }
            total += 1;
            let got = types.classify(&d.text);
            if got == want {
                right += 1;
            } else {
                wrong.push(format!("{}/{}: {got}", case.display(), d.document));
            }
        }
    }
    println!("doctypes: {right}/{total} right; wrong: {wrong:#?}");
    assert!(total >= 50, "{total}");
    assert!(
        right as f64 >= 0.95 * total as f64,
        "{right}/{total}: {wrong:#?}"
    );
}
