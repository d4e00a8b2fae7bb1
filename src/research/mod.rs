//! Research records: reads the research record of one case (RESEARCH-FORMAT.md) out of the
//! pseudonymised documents and the vault-side case facts, validates it against the embedded JSON
//! Schema, and turns records into CSV tables with a codebook.
//!
//! Owns: the extractors ([`extract`]), the vocabularies (`schemas/vocab/`, embedded), the schema
//! (`schemas/research-record.schema.json`, embedded) and the CSV export format. Must never: read
//! raw (not pseudonymised) text, write anything to disk, or put document text in an error.

mod extract;
mod nlp;
mod vocab;

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::pseudo::{CaseFacts, Deidentified};

use extract::{PDoc, Src};
use vocab::Vocab;

/// The research record schema (JSON Schema 2020-12), as shipped.
pub const SCHEMA: &str = include_str!("../../schemas/research-record.schema.json");
pub const SCHEMA_VERSION: &str = "1";

/// Errors of the research layer. Messages never contain document text.
#[derive(Debug, thiserror::Error)]
pub enum ResearchError {
    #[error("research vocabulary {file} is invalid: {reason}")]
    Vocabulary { file: String, reason: String },
    #[error("the research record schema is invalid: {0}")]
    Schema(String),
    #[error("research record fails the schema at {path}: {reason}")]
    Invalid { path: String, reason: String },
}

fn vocab() -> Result<&'static Vocab, ResearchError> {
    static V: OnceLock<Result<Vocab, String>> = OnceLock::new();
    match V.get_or_init(|| Vocab::load().map_err(|e| e.to_string())) {
        Ok(v) => Ok(v),
        Err(e) => Err(ResearchError::Vocabulary {
            file: "schemas/vocab".into(),
            reason: e.clone(),
        }),
    }
}

fn validator() -> Result<&'static jsonschema::Validator, ResearchError> {
    static V: OnceLock<Result<jsonschema::Validator, String>> = OnceLock::new();
    let r = V.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA).map_err(|e| e.to_string())?;
        jsonschema::draft202012::new(&schema).map_err(|e| e.to_string())
    });
    match r {
        Ok(v) => Ok(v),
        Err(e) => Err(ResearchError::Schema(e.clone())),
    }
}

/// Checks the vocabularies and the schema compile (for start-up checks and tests).
pub fn self_check() -> Result<(), ResearchError> {
    vocab()?;
    validator()?;
    Ok(())
}

/// Validates a record against the embedded schema. The error names the first failing place
/// (a JSON pointer) and the rule, never the value.
pub fn validate(record: &Value) -> Result<(), ResearchError> {
    let v = validator()?;
    if let Some(e) = v.iter_errors(record).next() {
        return Err(ResearchError::Invalid {
            path: e.instance_path.to_string(),
            reason: format!("{:?}", e.kind)
                .split(['(', '{'])
                .next()
                .unwrap_or("invalid")
                .trim()
                .to_string(),
        });
    }
    Ok(())
}

fn src_json(docs: &[Deidentified], s: &Src) -> Value {
    let name = docs.get(s.doc).map_or("", |d| d.document.as_str());
    json!({"document": name, "start": s.start, "end": s.end})
}

const MAX_SOURCES: usize = 12;

fn srcs_json(docs: &[Deidentified], s: &[Src]) -> Value {
    let mut v: Vec<Src> = s.to_vec();
    v.sort();
    v.dedup();
    Value::Array(
        v.iter()
            .take(MAX_SOURCES)
            .map(|x| src_json(docs, x))
            .collect(),
    )
}

fn ordered(codes: &[&str], found: &extract::Found) -> Vec<String> {
    codes
        .iter()
        .filter(|c| found.contains_key(**c))
        .map(|c| c.to_string())
        .collect()
}

/// Reads the research record of one case from its pseudonymised documents.
pub fn extract_record(
    case_id: &str,
    docs: &[Deidentified],
    facts: &CaseFacts,
) -> Result<Value, ResearchError> {
    let v = vocab()?;
    let pdocs: Vec<PDoc> = docs.iter().map(|d| extract::prepare(v, &d.text)).collect();
    let mut bronnen = Map::new();
    let mut put = |key: String, s: &[Src]| {
        if !s.is_empty() {
            bronnen.insert(key, srcs_json(docs, s));
        }
    };

    // Profile.
    let newest = facts
        .newest_month
        .as_deref()
        .and_then(nlp::Month::parse)
        .or_else(|| pdocs.iter().filter_map(|d| d.newest).max());
    let leeftijd = match &facts.leeftijdscategorie {
        Some(l) => l.clone(),
        None => match extract::stated_age_band(&pdocs, newest) {
            Some((band, src)) => {
                put("profile.leeftijdscategorie".into(), &[src]);
                band
            }
            None => "onbekend".into(),
        },
    };
    let geslacht = match &facts.geslacht {
        Some(g) => g.clone(),
        None => match extract::geslacht(v, &pdocs) {
            Some((g, srcs)) => {
                put("profile.geslacht".into(), &srcs);
                g
            }
            None => "onbekend".into(),
        },
    };
    let wlz = match extract::wlz(v, &pdocs) {
        Some((code, src)) => {
            put("profile.wlz_profiel".into(), &[src]);
            code
        }
        None => "onbekend".into(),
    };
    let niveau = match extract::niveau(v, &pdocs) {
        Some((code, srcs)) => {
            put("profile.niveau_verstandelijke_beperking".into(), &srcs);
            code
        }
        None => "onbekend".into(),
    };
    let mut prob = extract::concepts(v, &pdocs, &v.problematiek, true, false);
    if niveau == "licht" {
        // LVB follows from the level; its passages are those of the level.
        let lvl: Vec<Src> = extract::niveau(v, &pdocs).map(|x| x.1).unwrap_or_default();
        prob.entry("LVB".into()).or_default().extend(lvl);
    } else if niveau != "onbekend" {
        // An explicit other level wins over a stray "LVB" abbreviation.
        prob.remove("LVB");
    }
    for (k, s) in &prob {
        put(format!("profile.problematiek.{k}"), s);
    }
    let gedrag = extract::concepts(v, &pdocs, &v.gedrag, true, false);
    for (k, s) in &gedrag {
        put(format!("profile.gedrag.{k}"), s);
    }

    // Wzd.
    let forms = extract::concepts(v, &pdocs, &v.wzd_forms, false, true);
    let titles = extract::concepts(v, &pdocs, &v.wzd_titles, false, false);
    for (k, s) in &forms {
        put(format!("wzd_maatregel.vormen.{k}"), s);
    }
    for (k, s) in &titles {
        put(format!("wzd_maatregel.juridische_titels.{k}"), s);
    }
    let status = if !forms.is_empty() || !titles.is_empty() {
        let all: Vec<Src> = forms
            .values()
            .chain(titles.values())
            .flatten()
            .copied()
            .collect();
        put("wzd_maatregel.status".into(), &all);
        "ja"
    } else {
        let none = extract::wzd_none(v, &pdocs);
        if none.is_empty() {
            "onbekend"
        } else {
            put("wzd_maatregel.status".into(), &none);
            "nee"
        }
    };

    // History.
    let eps = extract::history(v, &pdocs);
    let mut hist = Vec::new();
    for (i, e) in eps.iter().enumerate() {
        put(format!("hulpverleningsgeschiedenis.{i}"), &e.srcs);
        hist.push(json!({
            "van": e.van.map(|m| m.fmt()),
            "tot": e.tot.map(|m| m.fmt()),
            "setting": e.setting,
            "instelling": e.instelling,
        }));
    }

    // Regelingen.
    let mut regs = extract::regelingen(v, &pdocs);
    if eps.iter().any(|e| e.setting == "MAATWERKPLEK") {
        let srcs: Vec<Src> = eps
            .iter()
            .filter(|e| e.setting == "MAATWERKPLEK")
            .flat_map(|e| e.srcs.iter().copied())
            .collect();
        let entry = regs
            .entry("maatwerkplek".into())
            .or_insert((None, Vec::new()));
        if entry.0 != Some(true) {
            *entry = (Some(true), srcs);
        }
    }
    let mut regelingen = Map::new();
    for key in ["maatwerkplek", "cot_inzet", "cce_betrokken", "meerzorg"] {
        let (val, srcs) = regs.get(key).cloned().unwrap_or((None, Vec::new()));
        if val.is_some() {
            put(format!("profile.regelingen.{key}"), &srcs);
        }
        regelingen.insert(key.into(), val.map_or(Value::Null, Value::Bool));
    }

    // Triggers.
    let trig = extract::triggers(v, &pdocs);
    let mut triggers = Vec::new();
    for (i, t) in trig.iter().enumerate() {
        let mut all = vec![t.bron];
        all.extend(t.also.iter().copied());
        put(format!("triggers.{i}"), &all);
        triggers.push(json!({
            "categorie": t.categorie,
            "subtype": t.subtype,
            "datum": t.datum.map(|m| m.fmt()),
            "bron": src_json(docs, &t.bron),
        }));
    }

    let record = json!({
        "schema_version": SCHEMA_VERSION,
        "case_id": case_id,
        "profile": {
            "leeftijdscategorie": leeftijd,
            "geslacht": geslacht,
            "wlz_profiel": wlz,
            "niveau_verstandelijke_beperking": niveau,
            "problematiek": ordered(PROBLEMATIEK, &prob),
            "gedrag": ordered(GEDRAG, &gedrag),
            "regelingen": regelingen,
        },
        "wzd_maatregel": {
            "status": status,
            "vormen": ordered(VORMEN, &forms),
            "juridische_titels": ordered(TITELS, &titles),
        },
        "hulpverleningsgeschiedenis": hist,
        "triggers": triggers,
        "bronnen": bronnen,
    });
    validate(&record)?;
    Ok(record)
}

/// The codes of the set fields, in the order of RESEARCH-FORMAT.md (also the CSV column order).
pub const PROBLEMATIEK: &[&str] = &[
    "ASS",
    "NAH",
    "LVB",
    "PSYCHOSE",
    "PERSOONLIJKHEIDSSTOORNIS",
    "PTSS",
    "DEPRESSIE",
    "ANGSTSTOORNIS",
    "HECHTINGSPROBLEMATIEK",
    "DISHARMONISCH_PROFIEL",
    "ADHD",
    "VERSLAVING",
    "EPILEPSIE",
    "DEMENTIE",
    "LICHAMELIJKE_BEPERKING",
];
pub const GEDRAG: &[&str] = &[
    "AGRESSIE_VERBAAL",
    "AGRESSIE_FYSIEK",
    "ZELFVERWONDING",
    "SEKSUEEL_GRENSOVERSCHRIJDEND",
    "MIDDELENGEBRUIK",
    "WEGLOPEN",
    "INACTIVITEIT",
    "DWANGMATIG",
    "VERNIELING",
];
pub const VORMEN: &[&str] = &[
    "MEDICATIE_VOCHT_VOEDING",
    "BEPERKEN_BEWEGINGSVRIJHEID",
    "INSLUITEN",
    "TOEZICHT",
    "ONDERZOEK_KLEDING_LICHAAM",
    "ONDERZOEK_WOONRUIMTE",
    "CONTROLE_MIDDELEN",
    "BEPERKEN_VRIJHEID_LEVEN",
    "BEPERKEN_BEZOEK",
];
pub const TITELS: &[&str] = &[
    "RECHTERLIJKE_MACHTIGING",
    "INBEWARINGSTELLING",
    "ARTIKEL_21",
    "ZORGMACHTIGING_WVGGZ",
    "CRISISMAATREGEL_WVGGZ",
];

mod csv;
pub use csv::to_csv_rows;
