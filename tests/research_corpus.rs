//! Integration test: research records of the dev corpus (simulated pseudonymisation until the
//! engine lands) measured as shared/eval/score.py does, against the bar of issue 4.

mod research_support;

use dossierkluis::research;
use research_support::*;

fn check_bar(cases: &[SimCase]) {
    let mut pairs = Vec::new();
    for c in cases {
        let rec = research::extract_record(&c.case_id, &c.docs, &c.facts).expect("record");
        research::validate(&rec).expect("valid");
        pairs.push((c.case_id.clone(), c.gold.clone(), rec));
    }
    let s = score(&pairs);
    println!("{}", report(&s));
    if std::env::var("RESEARCH_SHOW").is_ok() {
        for w in &s.wrong {
            println!("{w}");
        }
    }
    for (n, ok, tot) in &s.profile {
        let acc = *ok as f64 / *tot as f64;
        assert!(acc >= 0.95, "profile field {n}: accuracy {acc:.3} < 0.95");
    }
    for (n, p) in &s.sets {
        assert!(p.f1() >= 0.90, "{n}: F1 {:.3} < 0.90", p.f1());
    }
    assert!(
        s.trig.f1() >= 0.85,
        "trigger categories F1 {:.3} < 0.85",
        s.trig.f1()
    );
    assert!(s.epi.f1() >= 0.80, "episodes F1 {:.3} < 0.80", s.epi.f1());
}

/// The bar on the simulated pseudonymisation (gold spans replaced; a stand-in for the engine).
#[test]
fn dev_corpus_meets_the_bar_simulated() {
    let Some(corpus) = corpus_dir() else { return };
    check_bar(&simulate(&corpus));
}

/// The bar on the real pseudonymisation engine's output (what `extract` does): extraction must
/// hold up on what the de-identifier actually leaves in the text.
#[test]
fn dev_corpus_meets_the_bar_real_engine() {
    let Some(corpus) = corpus_dir() else { return };
    let Some(cases) = real_engine(&corpus) else {
        return;
    };
    check_bar(&cases);
}

/// Debug aid: `RESEARCH_WHY=C001:profile.gedrag.AGRESSIE_VERBAAL cargo test --test research_corpus why -- --nocapture`
#[test]
fn why() {
    let Ok(q) = std::env::var("RESEARCH_WHY") else {
        return;
    };
    let Some(corpus) = corpus_dir() else { return };
    let (case, key) = q.split_once(':').unwrap();
    let cases = if std::env::var("RESEARCH_REAL").is_ok() {
        real_engine(&corpus).unwrap()
    } else {
        simulate(&corpus)
    };
    for c in cases.iter().filter(|c| c.case_id == case) {
        let rec = research::extract_record(&c.case_id, &c.docs, &c.facts).unwrap();
        for (k, v) in rec["bronnen"].as_object().unwrap() {
            if !k.starts_with(key) {
                continue;
            }
            for b in v.as_array().unwrap() {
                let d = c.docs.iter().find(|d| d.document == b["document"]).unwrap();
                let (s, e) = (
                    b["start"].as_u64().unwrap() as usize,
                    b["end"].as_u64().unwrap() as usize,
                );
                println!("{k} {}: {}", d.document, &d.text[s..e]);
            }
        }
        if key == "record" {
            println!("{}", serde_json::to_string_pretty(&rec).unwrap());
        }
    }
}
