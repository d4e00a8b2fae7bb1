//! Trigger analysis across cases: from the research records in store/, counts of triggers per
//! category and per subtype, the number of cases, the spread over years, and what followed each
//! dated trigger in the case's care history.
//!
//! "What followed": an episode of `hulpverleningsgeschiedenis` whose `van` lies 0 to 6 months
//! after the trigger's `datum` (same month included) counts as a move; when that episode's
//! setting is CRISISPLEK it is also a crisis placement. Triggers without a datum are counted but
//! cannot be followed.
//!
//! Owns: the analysis and its table. Must never: read texts (records only) or print anything
//! but codes, counts and case ids.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

/// Months after a trigger within which a new episode counts as what followed.
pub const FOLLOW_MONTHS: i64 = 6;

/// One row: a category (subtype None) or a category and subtype.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct TriggerRow {
    pub categorie: String,
    pub subtype: Option<String>,
    /// Triggers.
    pub count: usize,
    /// Cases with at least one such trigger.
    pub cases: usize,
    /// Triggers per year of their datum ("onbekend" without datum).
    pub per_year: BTreeMap<String, usize>,
    /// Triggers with a datum.
    pub dated: usize,
    /// Dated triggers followed within 6 months by a new episode (a move).
    pub followed_by_move: usize,
    /// ... of which the new episode is a crisis placement (CRISISPLEK).
    pub followed_by_crisis: usize,
}

/// The result of the analysis.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct TriggerReport {
    /// Cases analysed (all stored cases, or those matching the query).
    pub cases_analysed: usize,
    /// Cases with at least one trigger.
    pub cases_with_triggers: usize,
    pub triggers: usize,
    /// Per category first, then its subtypes, categories by count.
    pub rows: Vec<TriggerRow>,
}

fn month_index(s: &str) -> Option<i64> {
    let (y, m) = s.split_once('-')?;
    let y: i64 = y.parse().ok()?;
    let m: i64 = m.get(..2).unwrap_or(m).parse().ok()?;
    (1..=12).contains(&m).then_some(y * 12 + m - 1)
}

/// (move, crisis) after a trigger dated `datum` in a care history.
fn followed(history: &[Value], datum: &str) -> (bool, bool) {
    let Some(t) = month_index(datum) else {
        return (false, false);
    };
    let mut moved = false;
    let mut crisis = false;
    for e in history {
        let Some(van) = e["van"].as_str().and_then(month_index) else {
            continue;
        };
        if (0..=FOLLOW_MONTHS).contains(&(van - t)) {
            moved = true;
            if e["setting"].as_str() == Some("CRISISPLEK") {
                crisis = true;
            }
        }
    }
    (moved, crisis)
}

#[derive(Default)]
struct Acc {
    row: TriggerRow,
    cases: BTreeSet<String>,
}

impl Acc {
    fn add(&mut self, case: &str, datum: Option<&str>, follow: (bool, bool)) {
        self.row.count += 1;
        self.cases.insert(case.to_string());
        let year = datum
            .and_then(|d| d.get(..4))
            .unwrap_or("onbekend")
            .to_string();
        *self.row.per_year.entry(year).or_default() += 1;
        if datum.is_some() {
            self.row.dated += 1;
        }
        if follow.0 {
            self.row.followed_by_move += 1;
        }
        if follow.1 {
            self.row.followed_by_crisis += 1;
        }
    }
}

/// Analyses research records (JSON values in the research format).
pub fn analyse(records: &[Value]) -> TriggerReport {
    let mut by_cat: BTreeMap<String, Acc> = BTreeMap::new();
    let mut by_sub: BTreeMap<(String, String), Acc> = BTreeMap::new();
    let mut report = TriggerReport {
        cases_analysed: records.len(),
        ..TriggerReport::default()
    };
    for r in records {
        let case = r["case_id"].as_str().unwrap_or("");
        let history: Vec<Value> = r["hulpverleningsgeschiedenis"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let triggers = r["triggers"].as_array().cloned().unwrap_or_default();
        if !triggers.is_empty() {
            report.cases_with_triggers += 1;
        }
        for t in &triggers {
            let Some(cat) = t["categorie"].as_str() else {
                continue;
            };
            report.triggers += 1;
            let datum = t["datum"].as_str();
            let follow = datum.map(|d| followed(&history, d)).unwrap_or_default();
            let acc = by_cat.entry(cat.to_string()).or_default();
            acc.row.categorie = cat.to_string();
            acc.add(case, datum, follow);
            if let Some(sub) = t["subtype"].as_str() {
                let acc = by_sub
                    .entry((cat.to_string(), sub.to_string()))
                    .or_default();
                acc.row.categorie = cat.to_string();
                acc.row.subtype = Some(sub.to_string());
                acc.add(case, datum, follow);
            }
        }
    }
    let finish = |mut a: Acc| {
        a.row.cases = a.cases.len();
        a.row
    };
    let mut cats: Vec<TriggerRow> = by_cat.into_values().map(finish).collect();
    cats.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.categorie.cmp(&b.categorie))
    });
    let mut subs: Vec<TriggerRow> = by_sub.into_values().map(finish).collect();
    subs.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.subtype.cmp(&b.subtype))
    });
    for c in cats {
        let children: Vec<TriggerRow> = subs
            .iter()
            .filter(|s| s.categorie == c.categorie)
            .cloned()
            .collect();
        report.rows.push(c);
        report.rows.extend(children);
    }
    report
}

/// A readable table of the report.
pub fn table(r: &TriggerReport) -> String {
    let mut years: BTreeSet<&str> = BTreeSet::new();
    for row in &r.rows {
        years.extend(row.per_year.keys().map(String::as_str));
    }
    let mut out = format!(
        "{} cases analysed, {} with triggers, {} triggers\n\n",
        r.cases_analysed, r.cases_with_triggers, r.triggers
    );
    let mut head = format!(
        "{:<44} {:>6} {:>6} {:>6} {:>7} {:>7}",
        "trigger", "count", "cases", "dated", "move≤6m", "crisis"
    );
    for y in &years {
        head.push_str(&format!(" {:>8}", y));
    }
    out.push_str(&head);
    out.push('\n');
    out.push_str(&"-".repeat(head.chars().count()));
    out.push('\n');
    for row in &r.rows {
        let name = match &row.subtype {
            Some(s) => format!("  {s}"),
            None => row.categorie.clone(),
        };
        out.push_str(&format!(
            "{:<44} {:>6} {:>6} {:>6} {:>7} {:>7}",
            name, row.count, row.cases, row.dated, row.followed_by_move, row.followed_by_crisis
        ));
        for y in &years {
            out.push_str(&format!(
                " {:>8}",
                row.per_year.get(*y).copied().unwrap_or(0)
            ));
        }
        out.push('\n');
    }
    if r.rows.is_empty() {
        out.push_str("(no triggers)\n");
    }
    out.push_str(&format!(
        "\nmove≤6m: a new episode in the care history starting 0-{FOLLOW_MONTHS} months after the trigger's month; crisis: that episode is a crisis placement (CRISISPLEK).\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(case: &str, triggers: Value, history: Value) -> Value {
        json!({"case_id": case, "triggers": triggers, "hulpverleningsgeschiedenis": history})
    }

    #[test]
    fn counts_and_what_followed() {
        let a = rec(
            "K1",
            json!([
                {"categorie": "VERANDERING_OMGEVING", "subtype": "NIEUWE_BEWONER", "datum": "2019-10"},
                {"categorie": "HANDELINGSVERLEGENHEID", "subtype": null, "datum": null}
            ]),
            json!([
                {"van": "2016-03", "tot": "2019-11", "setting": "VG_INSTELLING"},
                {"van": "2019-11", "tot": "2020-01", "setting": "CRISISPLEK"}
            ]),
        );
        let b = rec(
            "K2",
            json!([{"categorie": "VERANDERING_OMGEVING", "subtype": "NIEUWE_BEWONER", "datum": "2021-01"}]),
            json!([{"van": "2021-08", "tot": null, "setting": "MAATWERKPLEK"}]),
        );
        let c = rec("K3", json!([]), json!([]));
        let r = analyse(&[a, b, c]);
        assert_eq!(r.cases_analysed, 3);
        assert_eq!(r.cases_with_triggers, 2);
        assert_eq!(r.triggers, 3);
        let vo = &r.rows[0];
        assert_eq!(vo.categorie, "VERANDERING_OMGEVING");
        assert_eq!(vo.subtype, None);
        assert_eq!((vo.count, vo.cases, vo.dated), (2, 2, 2));
        // 2019-10 -> 2019-11 crisis placement; 2021-01 -> 2021-08 is 7 months: not followed.
        assert_eq!((vo.followed_by_move, vo.followed_by_crisis), (1, 1));
        assert_eq!(r.rows[1].subtype.as_deref(), Some("NIEUWE_BEWONER"));
        assert_eq!(r.rows[1].count, 2);
        let hv = r
            .rows
            .iter()
            .find(|x| x.categorie == "HANDELINGSVERLEGENHEID")
            .unwrap();
        assert_eq!(hv.per_year.get("onbekend"), Some(&1));
        assert_eq!(hv.followed_by_move, 0);
        assert!(table(&r).contains("NIEUWE_BEWONER"));
    }
}
