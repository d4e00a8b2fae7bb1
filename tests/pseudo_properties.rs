//! Properties of case-level pseudonymisation: the output is a function of the documents and the
//! key only (same input, same output; any arrival order, same output per document).

use dossierkluis::pseudo::{Document, Engine, PseudoKey};
use proptest::prelude::*;

const TEXTS: &[&str] = &[
    "Cliënt: Lotte de Graaf\nGeboortedatum: 12-03-1996\nMentor: dhr. H. de Graaf",
    "12-01-2023 – Yusuf K.\nLotte was onrustig na bezoek van haar vader. Yusuf Kaya bleef bij haar.",
    "Van: Marieke Dekker <m.dekker@zonnehorst.nl>\nAan: Hans de Graaf\n\nBeste Hans,\nLotte woont nu op De Esdoorn in Zeist.\n\nMet vriendelijke groet,\nMarieke Dekker",
    "MDO-verslag 4 april 2023\nAanwezig: Marieke Dekker (gedragsdeskundige), Yusuf Kaya (begeleider), mevrouw De Graaf (moeder).",
];

fn docs(order: &[usize]) -> Vec<Document> {
    order
        .iter()
        .map(|&i| Document {
            name: format!("doc{i}.txt"),
            text: TEXTS[i].to_string(),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn any_document_order_gives_the_same_output(perm in Just((0..TEXTS.len()).collect::<Vec<_>>()).prop_shuffle()) {
        let engine = Engine::load_default().unwrap();
        let key = PseudoKey([3; 32]);
        let base = engine.deidentify_case(&key, &docs(&[0, 1, 2, 3])).unwrap();
        let shuffled = engine.deidentify_case(&key, &docs(&perm)).unwrap();
        for d in &shuffled.docs {
            let same = base.docs.iter().find(|b| b.document == d.document).unwrap();
            prop_assert_eq!(&same.text, &d.text);
            prop_assert_eq!(&same.spans, &d.spans);
        }
        prop_assert_eq!(base.table, shuffled.table);
    }

    #[test]
    fn arbitrary_text_never_panics_and_spans_stay_on_char_boundaries(s in "\\PC{0,400}") {
        let engine = Engine::load_default().unwrap();
        let out = engine.deidentify_case(&PseudoKey([1; 32]), &[Document { name: "x".into(), text: s.clone() }]).unwrap();
        let mut last = 0;
        for sp in &out.docs[0].spans {
            prop_assert!(sp.start >= last && sp.end > sp.start && sp.end <= s.len());
            prop_assert!(s.is_char_boundary(sp.start) && s.is_char_boundary(sp.end));
            last = sp.end;
        }
    }
}

#[test]
fn the_same_input_gives_the_same_output() {
    let engine = Engine::load_default().unwrap();
    let key = PseudoKey([5; 32]);
    let a = engine.deidentify_case(&key, &docs(&[0, 1, 2, 3])).unwrap();
    let b = engine.deidentify_case(&key, &docs(&[0, 1, 2, 3])).unwrap();
    for (x, y) in a.docs.iter().zip(&b.docs) {
        assert_eq!(x.text, y.text);
    }
    // the client's surname in the mentor's name is the mentor's, not the client's pseudonym
    let mdo = &a.docs[3].text;
    assert!(
        !mdo.contains("Graaf") && !mdo.contains("Dekker") && !mdo.contains("Kaya"),
        "{mdo}"
    );
}
