//! Unit tests per extractor on hand-written pseudonymised sentences (own wording, not the corpus):
//! spelling variants, negation, uncertainty, other persons, history, triggers, regelingen.

use dossierkluis::pseudo::{CaseFacts, Deidentified};
use dossierkluis::research::{extract_record, validate};
use serde_json::Value;

fn rec(docs: &[&str]) -> Value {
    let docs: Vec<Deidentified> = docs
        .iter()
        .enumerate()
        .map(|(i, t)| Deidentified {
            document: format!("{:02}-doc.txt", i + 1),
            spans: Vec::new(),
            text: t.to_string(),
        })
        .collect();
    let r = extract_record("T001", &docs, &CaseFacts::default()).expect("record");
    validate(&r).expect("valid record");
    r
}

fn set(r: &Value, path: &[&str]) -> Vec<String> {
    let mut v = r;
    for p in path {
        v = &v[p];
    }
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn wlz(text: &str) -> String {
    rec(&[text])["profile"]["wlz_profiel"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn wlz_profile_spellings() {
    assert_eq!(wlz("Het CIZ kent zorgprofiel VG7 toe."), "VG7");
    assert_eq!(
        wlz("Indicatie: VG 7 (wonen met intensieve begeleiding)."),
        "VG7"
    );
    assert_eq!(wlz("Zij heeft een ZZP VG7 sinds maart 2019."), "VG7");
    assert_eq!(wlz("Het zorgprofiel VG-7 blijft gelden."), "VG7");
    assert_eq!(wlz("Wlz-indicatie: zorgprofiel 6 VG."), "VG6");
    assert_eq!(wlz("[CLIENT] heeft een indicatie GGZ-B 3."), "GGZ-B3");
    assert_eq!(wlz("Profiel: GGZ-B4."), "GGZ-B4");
    assert_eq!(wlz("Er is een indicatie LVG 4 afgegeven."), "LVG4");
    // out of range and look-alikes
    assert_eq!(wlz("Arts VG: [ZORGVERLENER-0001]."), "onbekend");
    assert_eq!(wlz("Zorgprofiel VG9 bestaat niet."), "onbekend");
}

#[test]
fn wlz_profile_newest_wins() {
    let r = rec(&[
        "Besluit januari 2019: zorgprofiel VG6.",
        "Besluit maart 2022: het CIZ verhoogt het profiel van VG6 naar VG7.",
    ]);
    assert_eq!(r["profile"]["wlz_profiel"], "VG7");
}

#[test]
fn niveau_and_lvb() {
    let r = rec(&["Bij [CLIENT] is sprake van een lichte verstandelijke beperking."]);
    assert_eq!(r["profile"]["niveau_verstandelijke_beperking"], "licht");
    assert!(set(&r, &["profile", "problematiek"]).contains(&"LVB".to_string()));
    let r = rec(&["[CLIENT] is zwakbegaafd (TIQ 76)."]);
    assert_eq!(
        r["profile"]["niveau_verstandelijke_beperking"],
        "zwakbegaafd"
    );
    assert!(!set(&r, &["profile", "problematiek"]).contains(&"LVB".to_string()));
    let r =
        rec(&["Hij functioneert op het niveau van een zeer ernstige verstandelijke beperking."]);
    assert_eq!(
        r["profile"]["niveau_verstandelijke_beperking"],
        "zeer ernstig"
    );
    let r = rec(&["Er is sprake van een verstandelijke beperking."]);
    assert_eq!(r["profile"]["niveau_verstandelijke_beperking"], "onbekend");
}

#[test]
fn problematiek_negation_uncertainty_other_person() {
    let r = rec(&[
        "Bij [CLIENT] is autisme vastgesteld. Een angststoornis is bij onderzoek uitgesloten. \
         Er is een vermoeden van PTSS; dit wordt nog onderzocht. Er zijn geen aanwijzingen voor een psychose. \
         Zijn moeder heeft een depressie. Epilepsie is niet aangetoond.",
    ]);
    assert_eq!(set(&r, &["profile", "problematiek"]), vec!["ASS"]);
    let r = rec(&["Diagnoses: ADHD, PTSS en een stoornis in het gebruik van alcohol."]);
    assert_eq!(
        set(&r, &["profile", "problematiek"]),
        vec!["PTSS", "ADHD", "VERSLAVING"]
    );
}

#[test]
fn gedrag_variants_and_lookalikes() {
    let r = rec(&[
        "[CLIENT] schopt en bijt begeleiders en maakt regelmatig de deur van de keuken stuk.",
    ]);
    assert_eq!(
        set(&r, &["profile", "gedrag"]),
        vec!["AGRESSIE_FYSIEK", "VERNIELING"]
    );
    let r = rec(&["Zij slaat de ramen kapot en snijdt zichzelf in de armen."]);
    assert_eq!(
        set(&r, &["profile", "gedrag"]),
        vec!["ZELFVERWONDING", "VERNIELING"]
    );
    let r = rec(&["Hij is niet verbaal agressief. Fase rood: gooit met stoelen."]);
    assert!(set(&r, &["profile", "gedrag"]).is_empty());
}

#[test]
fn wzd_forms_titles_and_status() {
    let r = rec(&[
        "Onvrijwillige zorg: fixatie met een onrustband in bed; de kamer gaat 's nachts op slot; \
         er is cameratoezicht. De kleding wordt gecontroleerd na verlof. \
         Er is een rechterlijke machtiging afgegeven en eerder een IBS.",
    ]);
    assert_eq!(
        set(&r, &["wzd_maatregel", "vormen"]),
        vec![
            "BEPERKEN_BEWEGINGSVRIJHEID",
            "INSLUITEN",
            "TOEZICHT",
            "ONDERZOEK_KLEDING_LICHAAM"
        ]
    );
    assert_eq!(
        set(&r, &["wzd_maatregel", "juridische_titels"]),
        vec!["RECHTERLIJKE_MACHTIGING", "INBEWARINGSTELLING"]
    );
    assert_eq!(r["wzd_maatregel"]["status"], "ja");

    let r = rec(&["Medicatie wordt niet tegen de wil van [CLIENT] gegeven. Er wordt geen gebruik gemaakt van fixatie. \
                   Een zorgmachtiging wordt aangevraagd."]);
    assert!(set(&r, &["wzd_maatregel", "vormen"]).is_empty());
    assert!(set(&r, &["wzd_maatregel", "juridische_titels"]).is_empty());
    assert_eq!(r["wzd_maatregel"]["status"], "onbekend");

    let r = rec(&["Er is geen onvrijwillige zorg."]);
    assert_eq!(r["wzd_maatregel"]["status"], "nee");
    let r = rec(&["Hij krijgt zijn medicatie ook als hij die weigert. De telefoon wordt 's avonds ingenomen. \
                   Het CIZ nam een artikel 21-besluit."]);
    assert_eq!(
        set(&r, &["wzd_maatregel", "vormen"]),
        vec!["MEDICATIE_VOCHT_VOEDING", "BEPERKEN_VRIJHEID_LEVEN"]
    );
    assert_eq!(
        set(&r, &["wzd_maatregel", "juridische_titels"]),
        vec!["ARTIKEL_21"]
    );
    let r = rec(&["Een GPS-tracker wordt vrijwillig gedragen, met instemming van [CLIENT]."]);
    assert!(set(&r, &["wzd_maatregel", "vormen"]).is_empty());
}

#[test]
fn regelingen_true_false_null() {
    let r = rec(&[
        "Het zorgkantoor kende Meerzorg toe per juni 2020. Het CCE is niet geconsulteerd. \
                   Consultatie van het C.O.T. aanvragen als het niet beter gaat.",
    ]);
    let g = &r["profile"]["regelingen"];
    assert_eq!(g["meerzorg"], true);
    assert_eq!(g["cce_betrokken"], false);
    assert_eq!(g["cot_inzet"], Value::Null);
    assert_eq!(g["maatwerkplek"], Value::Null);
    let r = rec(&["Meerzorg wordt aangevraagd. Een maatwerkplek is niet aan de orde."]);
    assert_eq!(r["profile"]["regelingen"]["meerzorg"], Value::Null);
    assert_eq!(r["profile"]["regelingen"]["maatwerkplek"], false);
}

#[test]
fn geslacht_from_text() {
    assert_eq!(rec(&["Geslacht: vrouw"])["profile"]["geslacht"], "vrouw");
    assert_eq!(
        rec(&["Gesprek met de heer [CLIENT] over zijn dagbesteding."])["profile"]["geslacht"],
        "man"
    );
    assert_eq!(
        rec(&["[CLIENT] is non-binair."])["profile"]["geslacht"],
        "anders"
    );
    assert_eq!(
        rec(&["[CLIENT] was vandaag rustig. Zij heeft goed gegeten."])["profile"]["geslacht"],
        "onbekend"
    );
    assert_eq!(
        rec(&["[CLIENT] zegt dat zij moe is."])["profile"]["geslacht"],
        "vrouw"
    );
}

#[test]
fn care_history_across_documents() {
    let r = rec(&[
        "Tot april 2010 woonde [CLIENT] bij zijn ouders in [PLAATS-0001]. Van april 2010 tot juni 2018 woonde hij op [LOCATIE-0002] van [INSTELLING-0003]; \
         daarna volgde een opname in een psychiatrische kliniek van [INSTELLING-0004], tot januari 2019.",
        "Sinds januari 2019 verblijft hij op een crisisbed van [INSTELLING-0005].",
        "Per maart 2019 verhuist [CLIENT] naar een maatwerkplek van [INSTELLING-0006]. Zijn vader woont sinds 2015 in [PLAATS-0007].",
    ]);
    let eps = r["hulpverleningsgeschiedenis"].as_array().unwrap();
    let got: Vec<(String, String)> = eps
        .iter()
        .map(|e| {
            (
                e["van"].as_str().unwrap_or("-").to_string(),
                e["setting"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("-".into(), "THUIS".into()),
            ("2010-04".into(), "VG_INSTELLING".into()),
            ("2019-01".into(), "CRISISPLEK".into()),
            ("2019-03".into(), "MAATWERKPLEK".into()),
        ]
    );
    assert_eq!(eps[0]["tot"], "2010-04");
    assert_eq!(eps[1]["tot"], "2018-06");
    assert_eq!(eps[1]["instelling"], "[INSTELLING-0003]");
    assert_eq!(eps[3]["tot"], Value::Null);
    assert_eq!(r["profile"]["regelingen"]["maatwerkplek"], true);
    // every episode lists its passages
    for i in 0..eps.len() {
        assert!(r["bronnen"][format!("hulpverleningsgeschiedenis.{i}")]
            .as_array()
            .is_some_and(|a| !a.is_empty()));
    }
}

#[test]
fn triggers_with_dates_and_negation() {
    let r = rec(&[
        "Rapportage\nmaandag maart 2023 – [ZORGVERLENER-0001]\nEr kwam een nieuwe medebewoner bij op de woning; [CLIENT] was daarna erg onrustig.\n",
        "Sinds mei 2023 werken er veel invalkrachten op de groep. Het team is handelingsverlegen. \
         Er is geen sprake van een te medische aanpak. Onvoldoende nabijheid: 's nachts is er alleen een slaapwacht voor vier huizen.",
    ]);
    let t = r["triggers"].as_array().unwrap();
    let got: Vec<(String, String, String)> = t
        .iter()
        .map(|x| {
            (
                x["categorie"].as_str().unwrap().to_string(),
                x["subtype"].as_str().unwrap_or("-").to_string(),
                x["datum"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    assert!(
        got.contains(&(
            "VERANDERING_OMGEVING".into(),
            "NIEUWE_BEWONER".into(),
            "2023-03".into()
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "VERANDERING_OMGEVING".into(),
            "PERSONEELSWISSELING".into(),
            "2023-05".into()
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&("HANDELINGSVERLEGENHEID".into(), "-".into(), "-".into())),
        "{got:?}"
    );
    assert!(got.iter().any(|g| g.1 == "NABIJHEID"), "{got:?}");
    assert!(
        !got.iter().any(|g| g.0 == "VERKEERDE_INSTEEK_ZORG"),
        "{got:?}"
    );
    // bron points into the pseudonymised text
    for x in t {
        let s = x["bron"]["start"].as_u64().unwrap();
        let e = x["bron"]["end"].as_u64().unwrap();
        assert!(s < e);
    }
}

#[test]
fn a_move_alone_is_no_trigger() {
    let r = rec(&["Per juni 2022 verhuist [CLIENT] naar [LOCATIE-0001] van [INSTELLING-0002]. Met deze brief dragen wij de zorg over."]);
    assert!(r["triggers"].as_array().unwrap().is_empty());
}

#[test]
fn facts_are_used_when_given() {
    let docs = vec![Deidentified {
        document: "a.txt".into(),
        spans: Vec::new(),
        text: "Geslacht: man".into(),
    }];
    let facts = CaseFacts {
        leeftijdscategorie: Some("40-49".into()),
        geslacht: Some("vrouw".into()),
        newest_month: Some("2022-01".into()),
    };
    let r = extract_record("T2", &docs, &facts).unwrap();
    assert_eq!(r["profile"]["leeftijdscategorie"], "40-49");
    assert_eq!(r["profile"]["geslacht"], "vrouw");
    let r = rec(&[
        "Cliënt: [CLIENT], 34 jaar. Verslag juni 2020.",
        "E-mail december 2023.",
    ]);
    assert_eq!(r["profile"]["leeftijdscategorie"], "30-39");
    assert_eq!(
        rec(&["Geen leeftijd."])["profile"]["leeftijdscategorie"],
        "onbekend"
    );
}
