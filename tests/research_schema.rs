//! The research record schema: valid records pass, broken ones fail; gold records of the dev
//! corpus validate; the CSV export has a row per case, episode and trigger.

use dossierkluis::research::{self, to_csv_rows, validate};
use serde_json::{json, Value};

fn example() -> Value {
    json!({
      "schema_version": "1", "case_id": "C900",
      "profile": {"leeftijdscategorie": "20-29", "geslacht": "man", "wlz_profiel": "VG7",
        "niveau_verstandelijke_beperking": "licht", "problematiek": ["ASS", "PTSS"],
        "gedrag": ["AGRESSIE_FYSIEK"],
        "regelingen": {"maatwerkplek": true, "cot_inzet": false, "cce_betrokken": null, "meerzorg": true}},
      "wzd_maatregel": {"status": "ja", "vormen": ["INSLUITEN"], "juridische_titels": ["RECHTERLIJKE_MACHTIGING"]},
      "hulpverleningsgeschiedenis": [
        {"van": null, "tot": "2016-03", "setting": "THUIS", "instelling": null},
        {"van": "2016-03", "tot": null, "setting": "MAATWERKPLEK", "instelling": "[INSTELLING-0042]"}],
      "triggers": [{"categorie": "VERANDERING_OMGEVING", "subtype": "NIEUWE_BEWONER", "datum": "2019-10",
                    "bron": {"document": "03-rapportage.txt", "start": 812, "end": 903}}],
      "bronnen": {"profile.wlz_profiel": [{"document": "01-indicatiebesluit.txt", "start": 310, "end": 313}]}
    })
}

#[test]
fn schema_compiles_and_example_is_valid() {
    research::self_check().unwrap();
    validate(&example()).unwrap();
}

fn broken(f: impl FnOnce(&mut Value)) -> bool {
    let mut r = example();
    f(&mut r);
    validate(&r).is_err()
}

#[test]
fn invalid_records_fail() {
    assert!(broken(|r| r["profile"]["wlz_profiel"] = json!("VG9")));
    assert!(broken(|r| r["profile"]["geslacht"] = json!("m")));
    assert!(broken(
        |r| r["profile"]["problematiek"] = json!(["ASS", "ASS"])
    ));
    assert!(broken(|r| r["profile"]["gedrag"] = json!(["BOOS"])));
    assert!(broken(
        |r| r["hulpverleningsgeschiedenis"][1]["van"] = json!("14-11-2022")
    ));
    assert!(broken(|r| r["hulpverleningsgeschiedenis"][1]
        ["instelling"] =
        json!("Stichting Voorbeeld")));
    assert!(broken(|r| r["triggers"][0]["subtype"] = json!("TE_MEDISCH")));
    assert!(broken(|r| r["wzd_maatregel"]["status"] = json!("nee")));
    assert!(broken(|r| {
        r["profile"].as_object_mut().unwrap().remove("regelingen");
    }));
    assert!(broken(|r| r["profile"]["naam"] = json!("Jan")));
    assert!(broken(|r| r["schema_version"] = json!("2")));
    let e = {
        let mut r = example();
        r["profile"]["leeftijdscategorie"] = json!("32");
        validate(&r).unwrap_err().to_string()
    };
    assert!(e.contains("/profile/leeftijdscategorie"), "{e}");
    assert!(!e.contains("32"), "error must not echo the value: {e}");
}

#[test]
fn gold_records_validate() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: no dev corpus at {}", dir.display());
        return;
    };
    let mut n = 0;
    for e in rd.flatten() {
        let p = e.path();
        if p.to_string_lossy().ends_with(".record.gold.json") {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            validate(&v).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            n += 1;
        }
    }
    assert!(n > 0);
}

#[test]
fn csv_export_rows_and_codebook() {
    let mut b = example();
    b["case_id"] = json!("C901");
    b["hulpverleningsgeschiedenis"] = json!([]);
    let (cases, eps, trig, book) = to_csv_rows(&[example(), b]);
    let lines: Vec<&str> = cases.lines().collect();
    assert_eq!(lines.len(), 3);
    let head: Vec<&str> = lines[0].split(',').collect();
    let row: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(head.len(), row.len());
    let col = |name: &str| row[head.iter().position(|h| *h == name).unwrap()];
    assert_eq!(col("problematiek_ASS"), "1");
    assert_eq!(col("problematiek_ADHD"), "0");
    assert_eq!(col("regeling_cot_inzet"), "0");
    assert_eq!(col("regeling_cce_betrokken"), "");
    assert_eq!(col("wzd_vorm_INSLUITEN"), "1");
    assert_eq!(eps.lines().count(), 3);
    assert_eq!(trig.lines().count(), 3);
    for h in head {
        assert!(book.contains(&format!("| {h} |")), "codebook lacks {h}");
    }
}
