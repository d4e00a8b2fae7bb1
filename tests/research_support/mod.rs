//! Test-only harness: makes the RAW dev corpus look pseudonymised (SIMULATION, not the engine),
//! using the gold spans: names -> [CLIENT]/[NAASTE-n]/..., providers -> [INSTELLING-n], dates ->
//! month + year. Also a scorer that mirrors shared/eval/score.py `record`.
//! Extraction rules are never fitted to this: it only stands in for the pseudonymiser until it lands.
#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use dossierkluis::pseudo::{CaseFacts, Deidentified};
use serde_json::Value;

pub fn corpus_dir() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
    if d.join("manifest.json").is_file() {
        Some(d)
    } else {
        eprintln!("skipped: dev corpus not found at {}", d.display());
        None
    }
}

const MONTHS: [&str; 12] = dossierkluis::rules::MONTHS_NL;

fn month_word(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.').to_lowercase();
    let abbr = [
        ("jan", 1),
        ("feb", 2),
        ("febr", 2),
        ("mrt", 3),
        ("apr", 4),
        ("mei", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("sept", 9),
        ("okt", 10),
        ("nov", 11),
        ("dec", 12),
    ];
    MONTHS
        .iter()
        .position(|m| *m == w)
        .map(|i| i as u32 + 1)
        .or_else(|| abbr.iter().find(|(a, _)| *a == w).map(|(_, n)| *n))
}

fn year_of(s: &str) -> Option<i32> {
    let s = s.trim_start_matches('\'');
    let y: i32 = s.parse().ok()?;
    Some(if s.len() == 2 {
        if y > 50 {
            1900 + y
        } else {
            2000 + y
        }
    } else {
        y
    })
}

/// (day, month, year) of a date written in any corpus format.
pub fn parse_date(s: &str) -> (Option<u32>, Option<u32>, Option<i32>) {
    let t = s.trim();
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        if parts[0].len() == 4 {
            return (
                parts[2].parse().ok(),
                parts[1].parse().ok(),
                parts[0].parse().ok(),
            );
        }
        return (
            parts[0].parse().ok(),
            parts[1].parse().ok(),
            year_of(parts[2]),
        );
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    let mut day = None;
    let mut month = None;
    let mut year = None;
    for w in words {
        if let Some(m) = month_word(w) {
            month = Some(m);
        } else if w.starts_with('\'') || w.len() == 4 {
            year = year_of(w);
        } else if let Ok(d) = w.parse::<u32>() {
            day = Some(d);
        }
    }
    (day, month, year)
}

fn generalise(s: &str) -> String {
    match parse_date(s) {
        (_, Some(m), Some(y)) => format!("{} {}", MONTHS[(m - 1) as usize], y),
        (_, Some(m), None) => MONTHS[(m - 1) as usize].to_string(),
        _ => s.to_string(),
    }
}

fn cp_to_byte(text: &str, cp: usize) -> usize {
    text.char_indices().nth(cp).map_or(text.len(), |(b, _)| b)
}

pub struct SimCase {
    pub case_id: String,
    pub docs: Vec<Deidentified>,
    pub facts: CaseFacts,
    pub gold: Value,
}

/// Simulated pseudonymisation of the whole dev corpus.
pub fn simulate(corpus: &Path) -> Vec<SimCase> {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("manifest.json")).unwrap())
            .unwrap();
    let mut codes: HashMap<(String, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for c in manifest["cases"].as_array().unwrap() {
        let case_id = c["case_id"].as_str().unwrap().to_string();
        let mut docs = Vec::new();
        let mut dob: Option<(u32, u32, i32)> = None;
        let mut newest: Option<(i32, u32, u32)> = None;
        for rel in c["documents"].as_array().unwrap() {
            let rel = rel.as_str().unwrap();
            let text = std::fs::read_to_string(corpus.join(rel)).unwrap();
            let gold: Value = serde_json::from_str(
                &std::fs::read_to_string(corpus.join(rel.replace(".txt", ".gold.json"))).unwrap(),
            )
            .unwrap();
            let mut spans: Vec<(usize, usize, String)> = Vec::new();
            for s in gold["spans"].as_array().unwrap() {
                let a = cp_to_byte(&text, s["start"].as_u64().unwrap() as usize);
                let b = cp_to_byte(&text, s["end"].as_u64().unwrap() as usize);
                let cat = s["category"].as_str().unwrap();
                let surface = text[a..b].to_string();
                let mut code = |kind: &str| {
                    let n = codes.len() + 1;
                    let k = (kind.to_string(), surface.to_lowercase());
                    let v = *codes.entry(k).or_insert(n);
                    format!("[{kind}-{:04}]", v)
                };
                let rep = match cat {
                    "NAAM" => match s["role"].as_str() {
                        Some("CLIENT") => "[CLIENT]".to_string(),
                        Some("NAASTE") => code("NAASTE"),
                        Some("ZORGVERLENER") => code("ZORGVERLENER"),
                        _ => code("PERSOON"),
                    },
                    "INSTELLING" => code("INSTELLING"),
                    "LOCATIE" => code("LOCATIE"),
                    "WOONPLAATS" => code("PLAATS"),
                    "DATUM" => {
                        if let (d, Some(m), Some(y)) = parse_date(&surface) {
                            let k = (y, m, d.unwrap_or(1));
                            if newest.is_none_or(|n| k > n) {
                                newest = Some(k);
                            }
                        }
                        generalise(&surface)
                    }
                    "GEBOORTEDATUM" => {
                        if let (Some(d), Some(m), Some(y)) = parse_date(&surface) {
                            dob = Some((d, m, y));
                        }
                        "[GEBOORTEDATUM]".to_string()
                    }
                    other => format!("[{other}]"),
                };
                spans.push((a, b, rep));
            }
            spans.sort();
            let mut pseudo = String::new();
            let mut cur = 0;
            for (a, b, rep) in spans {
                if a < cur {
                    continue;
                }
                pseudo.push_str(&text[cur..a]);
                pseudo.push_str(&rep);
                cur = b;
            }
            pseudo.push_str(&text[cur..]);
            let name = rel.rsplit('/').next().unwrap().to_string();
            docs.push(Deidentified {
                document: name,
                spans: Vec::new(),
                text: pseudo,
            });
        }
        let leeftijd = match (dob, newest) {
            (Some((d, m, y)), Some((ny, nm, nd))) => {
                let mut age = ny - y;
                if (nm, nd) < (m, d) {
                    age -= 1;
                }
                Some(if age >= 80 {
                    "80+".to_string()
                } else {
                    format!("{}-{}", age / 10 * 10, age / 10 * 10 + 9)
                })
            }
            _ => None,
        };
        let facts = CaseFacts {
            leeftijdscategorie: leeftijd,
            geslacht: None,
            newest_month: newest.map(|(y, m, _)| format!("{y:04}-{m:02}")),
        };
        let gold: Value = serde_json::from_str(
            &std::fs::read_to_string(corpus.join(format!("{case_id}.record.gold.json"))).unwrap(),
        )
        .unwrap();
        out.push(SimCase {
            case_id,
            docs,
            facts,
            gold,
        });
    }
    out
}

// ---- scorer (mirrors score.py `record`) ---------------------------------------------------------

pub const PROFILE_FIELDS: [(&str, &[&str]); 9] = [
    ("leeftijdscategorie", &["profile", "leeftijdscategorie"]),
    ("geslacht", &["profile", "geslacht"]),
    ("wlz_profiel", &["profile", "wlz_profiel"]),
    (
        "niveau_verstandelijke_beperking",
        &["profile", "niveau_verstandelijke_beperking"],
    ),
    (
        "regelingen.maatwerkplek",
        &["profile", "regelingen", "maatwerkplek"],
    ),
    (
        "regelingen.cot_inzet",
        &["profile", "regelingen", "cot_inzet"],
    ),
    (
        "regelingen.cce_betrokken",
        &["profile", "regelingen", "cce_betrokken"],
    ),
    (
        "regelingen.meerzorg",
        &["profile", "regelingen", "meerzorg"],
    ),
    ("wzd_maatregel.status", &["wzd_maatregel", "status"]),
];
pub const SET_FIELDS: [(&str, &[&str]); 4] = [
    ("problematiek", &["profile", "problematiek"]),
    ("gedrag", &["profile", "gedrag"]),
    ("wzd_maatregel.vormen", &["wzd_maatregel", "vormen"]),
    (
        "wzd_maatregel.juridische_titels",
        &["wzd_maatregel", "juridische_titels"],
    ),
];

fn get<'a>(v: &'a Value, p: &[&str]) -> Option<&'a Value> {
    let mut c = v;
    for k in p {
        c = c.get(k)?;
    }
    Some(c)
}

fn norm(name: &str, v: Option<&Value>) -> Option<Value> {
    let v = v?;
    if let Some(s) = v.as_str() {
        let s = s.trim();
        if name == "wlz_profiel" {
            return Some(Value::String(
                s.split_whitespace().collect::<String>().to_uppercase(),
            ));
        }
        return Some(Value::String(s.to_string()));
    }
    Some(v.clone())
}

fn set_of(v: Option<&Value>) -> BTreeSet<String> {
    v.and_then(|x| x.as_array())
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().map_or(x.to_string(), |s| s.trim().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Default, Debug, Clone, Copy)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn add(&mut self, g: &BTreeSet<String>, p: &BTreeSet<String>) {
        self.tp += g.intersection(p).count();
        self.fp += p.difference(g).count();
        self.fn_ += g.difference(p).count();
    }
    pub fn f1(&self) -> f64 {
        if self.tp + self.fp + self.fn_ == 0 {
            return 1.0;
        }
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn month_index(v: Option<&Value>) -> Option<i64> {
    let s = v?.as_str()?;
    let (y, m) = s.trim().split_once('-')?;
    Some(y.parse::<i64>().ok()? * 12 + m.parse::<i64>().ok()? - 1)
}

pub fn match_episodes(gold: &[Value], pred: &[Value]) -> usize {
    let mut used = BTreeSet::new();
    let mut tp = 0;
    for g in gold {
        let gm = month_index(g.get("van"));
        let mut best: Option<(i64, usize)> = None;
        for (j, p) in pred.iter().enumerate() {
            if used.contains(&j) || p.get("setting") != g.get("setting") {
                continue;
            }
            let pm = month_index(p.get("van"));
            let d = match (gm, pm) {
                (None, None) => 0,
                (Some(a), Some(b)) => (a - b).abs(),
                _ => continue,
            };
            if d <= 1 && best.is_none_or(|b| d < b.0) {
                best = Some((d, j));
            }
        }
        if let Some((_, j)) = best {
            used.insert(j);
            tp += 1;
        }
    }
    tp
}

#[derive(Debug, Default)]
pub struct Scores {
    pub profile: Vec<(String, usize, usize)>,
    pub sets: Vec<(String, Prf)>,
    pub trig: Prf,
    pub trig_sub: Prf,
    pub epi: Prf,
    pub wrong: Vec<String>,
}

pub fn score(pairs: &[(String, Value, Value)]) -> Scores {
    let mut s = Scores {
        profile: PROFILE_FIELDS
            .iter()
            .map(|(n, _)| (n.to_string(), 0, 0))
            .collect(),
        sets: SET_FIELDS
            .iter()
            .map(|(n, _)| (n.to_string(), Prf::default()))
            .collect(),
        ..Scores::default()
    };
    for (id, gold, pred) in pairs {
        for (i, (n, p)) in PROFILE_FIELDS.iter().enumerate() {
            let g = norm(n, get(gold, p));
            let q = norm(n, get(pred, p));
            s.profile[i].2 += 1;
            if q.is_some() && g == q {
                s.profile[i].1 += 1;
            } else {
                s.wrong.push(format!("{id} {n}: gold {:?} got {:?}", g, q));
            }
        }
        for (i, (n, p)) in SET_FIELDS.iter().enumerate() {
            let g = set_of(get(gold, p));
            let q = set_of(get(pred, p));
            if g != q {
                s.wrong.push(format!(
                    "{id} {n}: missing {:?} extra {:?}",
                    g.difference(&q).collect::<Vec<_>>(),
                    q.difference(&g).collect::<Vec<_>>()
                ));
            }
            s.sets[i].1.add(&g, &q);
        }
        let cats = |v: &Value| -> BTreeSet<String> {
            v.get("triggers")
                .and_then(|t| t.as_array())
                .map(|a| {
                    a.iter()
                        .map(|t| t["categorie"].as_str().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        let subs = |v: &Value| -> BTreeSet<String> {
            v.get("triggers")
                .and_then(|t| t.as_array())
                .map(|a| {
                    a.iter()
                        .map(|t| {
                            format!(
                                "{}/{}",
                                t["categorie"].as_str().unwrap_or(""),
                                t["subtype"].as_str().unwrap_or("-")
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (gc, pc) = (cats(gold), cats(pred));
        if gc != pc {
            s.wrong.push(format!(
                "{id} triggers: missing {:?} extra {:?}",
                gc.difference(&pc).collect::<Vec<_>>(),
                pc.difference(&gc).collect::<Vec<_>>()
            ));
        }
        s.trig.add(&gc, &pc);
        s.trig_sub.add(&subs(gold), &subs(pred));
        let ge = gold["hulpverleningsgeschiedenis"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let pe = pred
            .get("hulpverleningsgeschiedenis")
            .and_then(|x| x.as_array())
            .cloned()
            .unwrap_or_default();
        let tp = match_episodes(&ge, &pe);
        if tp != ge.len() || tp != pe.len() {
            let f = |e: &[Value]| {
                e.iter()
                    .map(|x| {
                        format!(
                            "{}..{} {}",
                            x["van"].as_str().unwrap_or("-"),
                            x["tot"].as_str().unwrap_or("-"),
                            x["setting"].as_str().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            s.wrong.push(format!(
                "{id} episodes {tp}/{}/{}:\n   gold {}\n   pred {}",
                ge.len(),
                pe.len(),
                f(&ge),
                f(&pe)
            ));
        }
        s.epi.tp += tp;
        s.epi.fp += pe.len() - tp;
        s.epi.fn_ += ge.len() - tp;
    }
    s
}

pub fn report(s: &Scores) -> String {
    let mut o = String::new();
    for (n, ok, tot) in &s.profile {
        o.push_str(&format!(
            "{n:<34} acc {:.3}\n",
            *ok as f64 / (*tot).max(1) as f64
        ));
    }
    for (n, p) in &s.sets {
        o.push_str(&format!(
            "{n:<34} F1 {:.3} (tp {} fp {} fn {})\n",
            p.f1(),
            p.tp,
            p.fp,
            p.fn_
        ));
    }
    o.push_str(&format!(
        "{:<34} F1 {:.3} (tp {} fp {} fn {})\n",
        "triggers (categories)",
        s.trig.f1(),
        s.trig.tp,
        s.trig.fp,
        s.trig.fn_
    ));
    o.push_str(&format!(
        "{:<34} F1 {:.3} (tp {} fp {} fn {})\n",
        "triggers (cat+subtype)",
        s.trig_sub.f1(),
        s.trig_sub.tp,
        s.trig_sub.fp,
        s.trig_sub.fn_
    ));
    o.push_str(&format!(
        "{:<34} F1 {:.3} (tp {} fp {} fn {})\n",
        "episodes",
        s.epi.f1(),
        s.epi.tp,
        s.epi.fp,
        s.epi.fn_
    ));
    o
}

/// The dev corpus through the real pseudonymisation engine (None when the engine errors).
pub fn real_engine(corpus: &Path) -> Option<Vec<SimCase>> {
    use dossierkluis::pseudo::{Document, Engine, PseudoKey};
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("manifest.json")).unwrap())
            .unwrap();
    let engine = match Engine::load_default() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("skipped: pseudonymisation engine unavailable: {e}");
            return None;
        }
    };
    let key = PseudoKey([7u8; 32]);
    let mut out = Vec::new();
    for c in manifest["cases"].as_array().unwrap() {
        let case_id = c["case_id"].as_str().unwrap().to_string();
        let docs: Vec<Document> = c["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|rel| {
                let rel = rel.as_str().unwrap();
                Document {
                    name: rel.rsplit('/').next().unwrap().to_string(),
                    text: std::fs::read_to_string(corpus.join(rel)).unwrap(),
                }
            })
            .collect();
        let res = match engine.deidentify_case(&key, &docs) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("skipped: pseudonymisation engine failed: {e}");
                return None;
            }
        };
        let gold: Value = serde_json::from_str(
            &std::fs::read_to_string(corpus.join(format!("{case_id}.record.gold.json"))).unwrap(),
        )
        .unwrap();
        out.push(SimCase {
            case_id,
            docs: res.docs,
            facts: res.facts,
            gold,
        });
    }
    Some(out)
}
