//! CSV export of research records: one row per case, one file for episodes, one for triggers,
//! and a codebook (Markdown) that explains every column and code, for R, SPSS or Excel.
//!
//! Owns: the CSV layout. Must never: write files (the caller does) or add anything that is not
//! in the records.

use serde_json::Value;

use super::{GEDRAG, PROBLEMATIEK, TITELS, VORMEN};

const REGELINGEN: [&str; 4] = ["maatwerkplek", "cot_inzet", "cce_betrokken", "meerzorg"];

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn row(cells: &[String]) -> String {
    let mut s = cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    s.push_str("\r\n");
    s
}

fn get<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    let mut cur = v;
    for p in path {
        cur = cur.get(p).unwrap_or(&Value::Null);
    }
    cur
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        other => other.to_string(),
    }
}

fn has(list: &Value, code: &str) -> String {
    let yes = list
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(code)));
    if yes { "1" } else { "0" }.to_string()
}

/// Returns (cases.csv, episodes.csv, triggers.csv, codebook.md) for the given records.
/// CSV: comma-separated, RFC 4180 quoting, CRLF line ends, UTF-8, a header row.
pub fn to_csv_rows(records: &[Value]) -> (String, String, String, String) {
    let mut head: Vec<String> = [
        "case_id",
        "leeftijdscategorie",
        "geslacht",
        "wlz_profiel",
        "niveau_verstandelijke_beperking",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    head.extend(PROBLEMATIEK.iter().map(|c| format!("problematiek_{c}")));
    head.extend(GEDRAG.iter().map(|c| format!("gedrag_{c}")));
    head.extend(REGELINGEN.iter().map(|c| format!("regeling_{c}")));
    head.push("wzd_status".into());
    head.extend(VORMEN.iter().map(|c| format!("wzd_vorm_{c}")));
    head.extend(TITELS.iter().map(|c| format!("wzd_titel_{c}")));
    head.push("n_episodes".into());
    head.push("n_triggers".into());
    let mut cases = row(&head);
    let mut episodes = row(&[
        "case_id",
        "volgnummer",
        "van",
        "tot",
        "setting",
        "instelling",
    ]
    .map(String::from));
    let mut triggers = row(&[
        "case_id",
        "volgnummer",
        "categorie",
        "subtype",
        "datum",
        "document",
        "start",
        "end",
    ]
    .map(String::from));
    for r in records {
        let id = text(get(r, &["case_id"]));
        let p = get(r, &["profile"]);
        let mut cells = vec![
            id.clone(),
            text(get(p, &["leeftijdscategorie"])),
            text(get(p, &["geslacht"])),
            text(get(p, &["wlz_profiel"])),
            text(get(p, &["niveau_verstandelijke_beperking"])),
        ];
        cells.extend(
            PROBLEMATIEK
                .iter()
                .map(|c| has(get(p, &["problematiek"]), c)),
        );
        cells.extend(GEDRAG.iter().map(|c| has(get(p, &["gedrag"]), c)));
        cells.extend(REGELINGEN.iter().map(|c| text(get(p, &["regelingen", c]))));
        let w = get(r, &["wzd_maatregel"]);
        cells.push(text(get(w, &["status"])));
        cells.extend(VORMEN.iter().map(|c| has(get(w, &["vormen"]), c)));
        cells.extend(
            TITELS
                .iter()
                .map(|c| has(get(w, &["juridische_titels"]), c)),
        );
        let eps = get(r, &["hulpverleningsgeschiedenis"])
            .as_array()
            .cloned()
            .unwrap_or_default();
        let trs = get(r, &["triggers"])
            .as_array()
            .cloned()
            .unwrap_or_default();
        cells.push(eps.len().to_string());
        cells.push(trs.len().to_string());
        cases.push_str(&row(&cells));
        for (i, e) in eps.iter().enumerate() {
            episodes.push_str(&row(&[
                id.clone(),
                (i + 1).to_string(),
                text(get(e, &["van"])),
                text(get(e, &["tot"])),
                text(get(e, &["setting"])),
                text(get(e, &["instelling"])),
            ]));
        }
        for (i, t) in trs.iter().enumerate() {
            triggers.push_str(&row(&[
                id.clone(),
                (i + 1).to_string(),
                text(get(t, &["categorie"])),
                text(get(t, &["subtype"])),
                text(get(t, &["datum"])),
                text(get(t, &["bron", "document"])),
                text(get(t, &["bron", "start"])),
                text(get(t, &["bron", "end"])),
            ]));
        }
    }
    (cases, episodes, triggers, codebook())
}

fn codebook() -> String {
    let mut s = String::from(
        "# Codebook of the dossierkluis research export\n\n\
All values are pseudonymised or generalised (RESEARCH-FORMAT.md). Files are UTF-8 CSV with a header \
row, comma-separated, RFC 4180 quoting. Empty cell = unknown / not stated (null).\n\n\
## cases.csv (one row per case)\n\n\
| column | meaning | codes |\n| --- | --- | --- |\n\
| case_id | case identifier in the workspace | text |\n\
| leeftijdscategorie | age band at the newest document date | 10-19, 20-29, ..., 80+, onbekend |\n\
| geslacht | gender | man, vrouw, anders, onbekend |\n\
| wlz_profiel | Wlz care profile of the newest CIZ decision | VG1-VG8, LVG1-LVG5, LG1-LG7, ZGaud1-4, ZGvis1-5, GGZ-B1-7, GGZ-W1-3, V&V1-10, onbekend |\n\
| niveau_verstandelijke_beperking | level of intellectual disability | zwakbegaafd, licht, matig, ernstig, zeer ernstig, onbekend |\n",
    );
    for c in PROBLEMATIEK {
        s.push_str(&format!("| problematiek_{c} | problem {c} stated (not negated, not uncertain, about the client) | 1 = yes, 0 = not found |\n"));
    }
    for c in GEDRAG {
        s.push_str(&format!(
            "| gedrag_{c} | behaviour {c} described | 1 = yes, 0 = not found |\n"
        ));
    }
    for (c, m) in [
        ("maatwerkplek", "a Maatwerkplek / Maatwerkproces"),
        (
            "cot_inzet",
            "a crisis- en ondersteuningsteam (C.O.T.) was deployed",
        ),
        (
            "cce_betrokken",
            "the Centrum voor Consultatie en Expertise (CCE) was consulted",
        ),
        ("meerzorg", "Meerzorg was granted"),
    ] {
        s.push_str(&format!(
            "| regeling_{c} | {m} | 1 = shown, 0 = stated not so, empty = not mentioned |\n"
        ));
    }
    s.push_str("| wzd_status | involuntary care under the Wet zorg en dwang | ja, nee (stated none), onbekend |\n");
    let letters = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for (c, l) in VORMEN.iter().zip(letters) {
        s.push_str(&format!("| wzd_vorm_{c} | form of involuntary care, Wzd art. 2.1 sub {l} | 1 = applied, 0 = not found |\n"));
    }
    for c in TITELS {
        s.push_str(&format!(
            "| wzd_titel_{c} | legal title {c} | 1 = present, 0 = not found |\n"
        ));
    }
    s.push_str(
        "| n_episodes | number of rows in episodes.csv for the case | count |\n\
| n_triggers | number of rows in triggers.csv for the case | count |\n\n\
## episodes.csv (care history, one row per episode, in time order)\n\n\
| column | meaning | codes |\n| --- | --- | --- |\n\
| case_id | case | text |\n| volgnummer | order within the case (1 = earliest) | 1, 2, ... |\n\
| van | start month | YYYY-MM, empty = unknown |\n| tot | end month | YYYY-MM, empty = ongoing or unknown |\n\
| setting | kind of place | THUIS, VG_INSTELLING, GGZ_INSTELLING, LG_INSTELLING, JEUGDZORG, CRISISPLEK, MAATWERKPLEK, JUSTITIEEL, BESCHERMD_WONEN, ZIEKENHUIS, ONBEKEND |\n\
| instelling | the provider's stable pseudonym, as in the pseudonymised texts | [INSTELLING-n], empty = not named |\n\n\
## triggers.csv (what set off a bad period, one row per event)\n\n\
| column | meaning | codes |\n| --- | --- | --- |\n\
| case_id | case | text |\n| volgnummer | order within the case | 1, 2, ... |\n\
| categorie | trigger category | VERANDERING_OMGEVING, HANDELINGSVERLEGENHEID, ONVOLDOENDE_RANDVOORWAARDEN, VERKEERDE_INSTEEK_ZORG, GEEN_EENDUIDIGE_LIJN, ONBEKEND |\n\
| subtype | subtype | NIEUWE_MEDEWERKERS, PERSONEELSWISSELING, NIEUWE_BEWONER, VERHUIZING, GROEPSSAMENSTELLING (VERANDERING_OMGEVING); VEILIGHEID, VOORSPELBAARHEID, NABIJHEID (ONVOLDOENDE_RANDVOORWAARDEN); TE_MEDISCH (VERKEERDE_INSTEEK_ZORG); empty |\n\
| datum | month of the event | YYYY-MM, empty = undated |\n\
| document, start, end | the passage in the pseudonymised text (UTF-8 byte offsets, end exclusive) | text, numbers |\n",
    );
    s
}
