//! The extractors: each reads the prepared pseudonymised documents of one case and returns values
//! with the passages they came from.
//!
//! Owns: the rules that turn vocabulary matches into record values. Must never: read anything but
//! pseudonymised text and the vault-side [`CaseFacts`](crate::pseudo::CaseFacts).

use std::collections::BTreeMap;

use regex::Regex;
use std::sync::OnceLock;

use super::nlp::{self, Month, Qual};
use super::vocab::{Concept, Vocab};

/// A passage: document index and byte range into its pseudonymised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Src {
    pub doc: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub clauses: Vec<(usize, usize)>,
    /// The month of the dated report entry this sentence stands in.
    pub entry_month: Option<Month>,
}

#[derive(Debug)]
pub struct PDoc<'a> {
    pub text: &'a str,
    pub sentences: Vec<Sentence>,
    /// Newest month mentioned in the document (its date, roughly).
    pub newest: Option<Month>,
}

fn weekday_header() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^\s*(?:(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo)\.?,?\s+)?(?:\d{1,2}\s+)?(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\b(?:\s+((?:19|20)\d{2}))?")
            .unwrap_or_else(|_| Regex::new(r"[^\s\S]").unwrap_or_else(|_| std::process::abort()))
    })
}

pub fn prepare<'a>(v: &Vocab, text: &'a str) -> PDoc<'a> {
    // Entry headers: a short line that starts with (weekday) month (year) and is no sentence.
    let mut headers: Vec<(usize, Option<Month>)> = Vec::new();
    let mut last_year: Option<i32> = None;
    let mut pos = 0usize;
    let mut newest: Option<Month> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        for mm in nlp::months_in(text, pos, pos + body.len()) {
            if let Some(y) = mm.year {
                last_year = Some(y);
                if let Some(m) = mm.month {
                    let mo = Month { year: y, month: m };
                    newest = Some(newest.map_or(mo, |n| n.max(mo)));
                }
            }
        }
        if let Some(c) = weekday_header().captures(body) {
            let short = body.chars().count() < 100 && !body.ends_with('.');
            if short {
                let month = c.get(1).and_then(|m| month_of(m.as_str()));
                let year = c
                    .get(2)
                    .and_then(|y| y.as_str().parse::<i32>().ok())
                    .or(last_year);
                let mo = match (year, month) {
                    (Some(year), Some(month)) => Some(Month { year, month }),
                    _ => None,
                };
                headers.push((pos, mo));
            }
        }
        pos += line.len();
    }
    let sentences = nlp::sentences(text)
        .into_iter()
        .map(|(s, e)| {
            let entry_month = headers
                .iter()
                .rev()
                .find(|(p, _)| *p <= s)
                .and_then(|(_, m)| *m);
            Sentence {
                start: s,
                end: e,
                clauses: nlp::clauses(text, (s, e), &v.context),
                entry_month,
            }
        })
        .collect();
    PDoc {
        text,
        sentences,
        newest,
    }
}

fn month_of(w: &str) -> Option<u32> {
    nlp::months_in(w, 0, w.len()).first().and_then(|m| m.month)
}

/// Evidence collector: value -> passages.
pub type Found = BTreeMap<String, Vec<Src>>;

fn add(found: &mut Found, key: &str, src: Src) {
    let v = found.entry(key.to_string()).or_default();
    if !v.contains(&src) {
        v.push(src);
    }
}

/// Matches of a concept in a sentence: (start, end) spans; `all` groups must each match in one clause.
fn concept_matches(c: &Concept, text: &str, s: &Sentence) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for m in c.terms.find_all(text, s.start, s.end) {
        if !c.not_with.is_empty_raw() {
            let clause = nlp::clause_of(&s.clauses, m.0, (s.start, s.end));
            let rest = text.get(m.0..clause.1.max(m.0)).unwrap_or("");
            let phrase = rest.split(',').next().unwrap_or(rest);
            let phrase = nlp::first_words(phrase, 5);
            if c.not_with.any(phrase) {
                continue;
            }
        }
        out.push(m);
    }
    if !c.all.is_empty() {
        for cl in &s.clauses {
            let mut lo = usize::MAX;
            let mut hi = 0usize;
            let mut ok = true;
            for g in &c.all {
                match g.first(text, cl.0, cl.1) {
                    Some((a, b)) => {
                        lo = lo.min(a);
                        hi = hi.max(b);
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok && hi > lo {
                out.push((lo, hi));
            }
        }
    }
    out
}

/// Set-valued concept extraction (problematiek, gedrag, Wzd forms and titles).
pub fn concepts(
    v: &Vocab,
    docs: &[PDoc],
    list: &[Concept],
    check_other: bool,
    voluntary: bool,
) -> Found {
    let mut found = Found::new();
    for (di, d) in docs.iter().enumerate() {
        for s in &d.sentences {
            for c in list {
                for m in concept_matches(c, d.text, s) {
                    let q = nlp::qualify(&v.context, d.text, (s.start, s.end), &s.clauses, m);
                    if !q.affirmed(check_other) {
                        continue;
                    }
                    // A negation inside a co-occurrence match ("medicatie wordt niet tegen de
                    // wil gegeven").
                    if !c.all.is_empty()
                        && v.context.pre_neg.any(d.text.get(m.0..m.1).unwrap_or(""))
                    {
                        continue;
                    }
                    if voluntary {
                        let cl = nlp::clause_of(&s.clauses, m.0, (s.start, s.end));
                        if v.wzd_voluntary.any(d.text.get(cl.0..cl.1).unwrap_or("")) {
                            continue;
                        }
                    }
                    add(
                        &mut found,
                        &c.code,
                        Src {
                            doc: di,
                            start: s.start,
                            end: s.end,
                        },
                    );
                }
            }
        }
    }
    found
}

/// Wlz profile: the newest non-historical mention (newest document, last in it).
pub fn wlz(v: &Vocab, docs: &[PDoc]) -> Option<(String, Src)> {
    let p = &v.profile;
    type Ranked = ((Option<Month>, usize, usize), String, Src);
    let mut best: Option<Ranked> = None;
    for (di, d) in docs.iter().enumerate() {
        for s in &d.sentences {
            let hay = d.text.get(s.start..s.end).unwrap_or("");
            for c in p.wlz_re.captures_iter(hay) {
                let (fam, num) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
                    (Some(f), Some(n), _, _) => (f, n),
                    (_, _, Some(n), Some(f)) => (n, f),
                    _ => continue,
                };
                let (fam, num) = if fam.as_str().chars().all(|ch| ch.is_ascii_digit()) {
                    (num, fam)
                } else {
                    (fam, num)
                };
                let Ok(n) = num.as_str().parse::<u32>() else {
                    continue;
                };
                let Some(fi) = p
                    .wlz_spellings
                    .iter()
                    .position(|r| r.is_match(fam.as_str()))
                else {
                    continue;
                };
                let Some(family) = p.wlz.get(fi) else {
                    continue;
                };
                if n == 0 || n > family.max {
                    continue;
                }
                let start = s.start + fam.start().min(num.start());
                let end = s.start + fam.end().max(num.end());
                let pre = d.text.get(s.start..start).unwrap_or("");
                let pre_tail: String = pre
                    .split_whitespace()
                    .rev()
                    .take(4)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join(" ");
                let older = p.wlz_older.any(&pre_tail);
                let q = nlp::qualify(
                    &v.context,
                    d.text,
                    (s.start, s.end),
                    &s.clauses,
                    (start, end),
                );
                if q.negated || q.uncertain {
                    continue;
                }
                let code = format!("{}{}", family.code, n);
                // Rank: document date, then position; older mentions rank below any current one.
                let rank = (
                    if older {
                        None
                    } else {
                        d.newest.or(Some(Month { year: 0, month: 1 }))
                    },
                    di,
                    start,
                );
                let src = Src {
                    doc: di,
                    start: s.start,
                    end: s.end,
                };
                if best.as_ref().is_none_or(|b| rank >= b.0) {
                    best = Some((rank, code, src));
                }
            }
        }
    }
    best.map(|(_, c, s)| (c, s))
}

/// Level of intellectual disability: the most mentioned level; TIQ as a fallback.
pub fn niveau(v: &Vocab, docs: &[PDoc]) -> Option<(String, Vec<Src>)> {
    let found = concepts(v, docs, &v.profile.niveau, true, false);
    // "zeer ernstig" contains "ernstig": drop ernstig mentions that are part of zeer ernstig.
    let mut counts: Vec<(usize, usize, String)> = Vec::new();
    for (i, c) in v.profile.niveau.iter().enumerate() {
        if let Some(srcs) = found.get(&c.code) {
            counts.push((srcs.len(), usize::MAX - i, c.code.clone()));
        }
    }
    if let (Some(z), Some(_)) = (found.get("zeer ernstig"), found.get("ernstig")) {
        let zn = z.len();
        counts.retain(|c| !(c.2 == "ernstig" && c.0 <= zn));
    }
    counts.sort();
    if let Some((_, _, code)) = counts.last() {
        let srcs = found.get(code).cloned().unwrap_or_default();
        return Some((code.clone(), srcs));
    }
    static TIQ: OnceLock<Regex> = OnceLock::new();
    let re = TIQ.get_or_init(|| {
        Regex::new(r"\b(?:TIQ|IQ)\s*[:=]?\s*(\d{2,3})\b")
            .unwrap_or_else(|_| Regex::new(r"[^\s\S]").unwrap_or_else(|_| std::process::abort()))
    });
    for (di, d) in docs.iter().enumerate() {
        for s in &d.sentences {
            let hay = d.text.get(s.start..s.end).unwrap_or("");
            if let Some(c) = re.captures(hay) {
                if let Some(n) = c.get(1).and_then(|x| x.as_str().parse::<u32>().ok()) {
                    if let Some((_, code)) = v.profile.tiq.iter().find(|(lo, _)| n >= *lo) {
                        if code != "onbekend" {
                            return Some((
                                code.clone(),
                                vec![Src {
                                    doc: di,
                                    start: s.start,
                                    end: s.end,
                                }],
                            ));
                        }
                    }
                }
            }
        }
    }
    None
}

/// Gender from the pseudonymised text: form lines, then "anders" statements, forms of address,
/// pronouns in sentences about the client.
pub fn geslacht(v: &Vocab, docs: &[PDoc]) -> Option<(String, Vec<Src>)> {
    let g = &v.profile.geslacht;
    static FORM: OnceLock<Regex> = OnceLock::new();
    let form = FORM.get_or_init(|| {
        Regex::new(r"(?im)^\s*geslacht\s*:\s*([\w-]+)")
            .unwrap_or_else(|_| Regex::new(r"[^\s\S]").unwrap_or_else(|_| std::process::abort()))
    });
    let mut tally: BTreeMap<String, (usize, Vec<Src>)> = BTreeMap::new();
    let note = |tally: &mut BTreeMap<String, (usize, Vec<Src>)>, k: &str, w: usize, src: Src| {
        let e = tally.entry(k.to_string()).or_default();
        e.0 += w;
        if e.1.len() < 5 {
            e.1.push(src);
        }
    };
    for (di, d) in docs.iter().enumerate() {
        for c in form.captures_iter(d.text) {
            if let (Some(all), Some(val)) = (c.get(0), c.get(1)) {
                let val = val.as_str().to_lowercase();
                if let Some((_, gen)) = g.form_values.iter().find(|(k, _)| *k == val) {
                    if gen != "onbekend" {
                        note(
                            &mut tally,
                            gen,
                            1000,
                            Src {
                                doc: di,
                                start: all.start(),
                                end: all.end(),
                            },
                        );
                    }
                }
            }
        }
        for s in &d.sentences {
            let hay = d.text.get(s.start..s.end).unwrap_or("");
            let src = Src {
                doc: di,
                start: s.start,
                end: s.end,
            };
            if hay.contains("[CLIENT]") {
                for m in g.anders.find_all(d.text, s.start, s.end) {
                    let q = nlp::qualify(&v.context, d.text, (s.start, s.end), &s.clauses, m);
                    if q.affirmed(true) {
                        note(&mut tally, "anders", 500, src);
                    }
                }
            }
            let fv = g.vrouw_address.find_iter(hay).count();
            let mv = g.man_address.find_iter(hay).count();
            if fv > 0 {
                note(&mut tally, "vrouw", 20 * fv, src);
            }
            if mv > 0 {
                note(&mut tally, "man", 20 * mv, src);
            }
            let others = hay.contains("[NAASTE-")
                || hay.contains("[PERSOON-")
                || hay.contains("[ZORGVERLENER-");
            if hay.contains("[CLIENT]") && !others {
                let f = g.vrouw_pronouns.find_all(d.text, s.start, s.end).len();
                let m = g.man_pronouns.find_all(d.text, s.start, s.end).len();
                if f > m {
                    note(&mut tally, "vrouw", 1, src);
                } else if m > f {
                    note(&mut tally, "man", 1, src);
                }
            }
        }
    }
    let best = tally.into_iter().max_by_key(|(_, (w, _))| *w)?;
    Some((best.0, best.1 .1))
}

/// A stated age of the client ("een vrouw van 28 jaar", "[CLIENT], 29 jaar") with the month of
/// its document; returns the age band at `newest`.
pub fn stated_age_band(docs: &[PDoc], newest: Option<Month>) -> Option<(String, Src)> {
    static AGE: OnceLock<Regex> = OnceLock::new();
    let re = AGE.get_or_init(|| {
        Regex::new(r"(?i)(?:\bvan|\bis|\[CLIENT\],|leeftijd:?)\s+(\d{1,3})\s*jaar\b")
            .unwrap_or_else(|_| Regex::new(r"[^\s\S]").unwrap_or_else(|_| std::process::abort()))
    });
    let newest = newest.or_else(|| docs.iter().filter_map(|d| d.newest).max())?;
    let mut best: Option<(Month, u32, Src)> = None;
    for (di, d) in docs.iter().enumerate() {
        let Some(dm) = d.newest else { continue };
        for s in &d.sentences {
            let hay = d.text.get(s.start..s.end).unwrap_or("");
            if !hay.contains("[CLIENT]") || hay.contains("[NAASTE-") {
                continue;
            }
            if let Some(c) = re.captures(hay) {
                let pre = hay.get(..c.get(0).map_or(0, |m| m.start())).unwrap_or("");
                if pre.to_lowercase().contains("niveau") {
                    continue;
                }
                if let Some(age) = c.get(1).and_then(|a| a.as_str().parse::<u32>().ok()) {
                    if best.as_ref().is_none_or(|b| dm >= b.0) {
                        best = Some((
                            dm,
                            age,
                            Src {
                                doc: di,
                                start: s.start,
                                end: s.end,
                            },
                        ));
                    }
                }
            }
        }
    }
    let (dm, age, src) = best?;
    let years = (newest.index() - dm.index()).max(0) / 12;
    let age = i64::from(age) + years;
    Some((age_band(age), src))
}

pub fn age_band(age: i64) -> String {
    if age >= 80 {
        "80+".to_string()
    } else if age < 10 {
        "0-9".to_string()
    } else {
        let lo = age / 10 * 10;
        format!("{}-{}", lo, lo + 9)
    }
}

/// Arrangements: code -> (value, passages).
pub fn regelingen(v: &Vocab, docs: &[PDoc]) -> BTreeMap<String, (Option<bool>, Vec<Src>)> {
    let mut out = BTreeMap::new();
    for r in &v.regelingen {
        let mut yes: Vec<Src> = Vec::new();
        let mut no: Vec<Src> = Vec::new();
        for (di, d) in docs.iter().enumerate() {
            // Document titles (the first lines).
            let mut off = 0usize;
            for line in d.text.split_inclusive('\n').take(v.regel_title_lines) {
                if r.documents.any(line) {
                    yes.push(Src {
                        doc: di,
                        start: off,
                        end: off + line.trim_end().len(),
                    });
                    break;
                }
                off += line.len();
            }
            for s in &d.sentences {
                let sent = d.text.get(s.start..s.end).unwrap_or("");
                for m in r.terms.find_all(d.text, s.start, s.end) {
                    let q: Qual = nlp::qualify(&v.context, d.text, (s.start, s.end), &s.clauses, m);
                    let src = Src {
                        doc: di,
                        start: s.start,
                        end: s.end,
                    };
                    if q.negated {
                        no.push(src);
                    } else if q.uncertain || r.pending.any(sent) {
                        continue;
                    } else if r.affirm.is_empty_raw() || r.affirm.any(sent) {
                        yes.push(src);
                    }
                }
            }
        }
        let val = if !yes.is_empty() {
            (Some(true), yes)
        } else if !no.is_empty() {
            (Some(false), no)
        } else {
            (None, Vec::new())
        };
        out.insert(r.code.clone(), val);
    }
    out
}

/// Wzd status evidence: passages that state there is no involuntary care.
pub fn wzd_none(v: &Vocab, docs: &[PDoc]) -> Vec<Src> {
    let mut out = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        for s in &d.sentences {
            for m in v.wzd_status.find_all(d.text, s.start, s.end) {
                let cl = nlp::clause_of(&s.clauses, m.0, (s.start, s.end));
                let clause = d.text.get(cl.0..cl.1).unwrap_or("");
                let q = nlp::qualify(&v.context, d.text, (s.start, s.end), &s.clauses, m);
                let whole_clause_neg =
                    v.context.pre_neg.any(clause) || v.context.post_neg.any(clause);
                if (q.negated || whole_clause_neg) && !q.uncertain {
                    out.push(Src {
                        doc: di,
                        start: s.start,
                        end: s.end,
                    });
                }
            }
        }
    }
    out
}

// ---- care history ------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Episode {
    pub van: Option<Month>,
    pub tot: Option<Month>,
    pub setting: String,
    pub instelling: Option<String>,
    pub srcs: Vec<Src>,
}

fn segment_cut() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i);|,\s+(?:en\s+)?(?:daarna|waarna|vervolgens|nadien)\b|\.\s+")
            .unwrap_or_else(|_| Regex::new(r"[^\s\S]").unwrap_or_else(|_| std::process::abort()))
    })
}

fn end_word() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(?:\btot(?:\s+en\s+met)?|\bt/m|\btot/met|\bduurde\s+tot|\bbleef\b.*\btot)\s*$",
        )
        .unwrap_or_else(|_| Regex::new(r"[^\s\S]").unwrap_or_else(|_| std::process::abort()))
    })
}

fn instelling_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\[INSTELLING-[0-9A-Za-z]+\]")
            .unwrap_or_else(|_| Regex::new(r"[^\s\S]").unwrap_or_else(|_| std::process::abort()))
    })
}

/// Episode candidates of one sentence.
fn episodes_in(v: &Vocab, di: usize, d: &PDoc, s: &Sentence, out: &mut Vec<Episode>) {
    let text = d.text;
    let hay = text.get(s.start..s.end).unwrap_or("");
    let mut segs = Vec::new();
    let mut cur = 0usize;
    for m in segment_cut().find_iter(hay) {
        segs.push((s.start + cur, s.start + m.start()));
        cur = m.end();
    }
    segs.push((s.start + cur, s.end));
    let mut last_idx: Option<usize> = None;
    for (a, b) in segs {
        let seg = text.get(a..b).unwrap_or("");
        let months: Vec<_> = nlp::months_in(text, a, b)
            .into_iter()
            .filter(|m| m.year.is_some())
            .collect();
        if months.is_empty() {
            continue;
        }
        let mut van: Option<Month> = None;
        let mut tot: Option<Month> = None;
        for mm in &months {
            let Some(year) = mm.year else { continue };
            let mo = Month {
                year,
                month: mm.month.unwrap_or(1),
            };
            let before = text.get(a..mm.start).unwrap_or("");
            let is_end = end_word().is_match(before.trim_end());
            if is_end {
                if tot.is_none() {
                    tot = Some(mo);
                }
            } else if van.is_none() {
                van = Some(mo);
            }
        }
        let residence = v.residence.first(text, a, b);
        if residence.is_none() || v.not_residence.any(seg) {
            // "dat duurde tot mei 2021": the end of the episode of the previous segment.
            if van.is_none() {
                if let (Some(t), Some(i)) = (tot, last_idx) {
                    if let Some(e) = out.get_mut(i) {
                        if e.tot.is_none() {
                            e.tot = Some(t);
                            e.srcs.push(Src {
                                doc: di,
                                start: a,
                                end: b,
                            });
                        }
                    }
                }
            }
            continue;
        }
        // Somebody else's residence ("haar vader woont in ...").
        if let Some((r0, _)) = residence {
            let pre = text.get(a..r0).unwrap_or("");
            let tail: Vec<&str> = pre.split_whitespace().rev().take(3).collect();
            let tail = tail.into_iter().rev().collect::<Vec<_>>().join(" ");
            if v.context.other.any(&tail) && !v.context.client.any(&tail) {
                continue;
            }
        }
        let Some(setting) = v
            .settings
            .iter()
            .find(|st| !st.cues.find_all(text, a, b).is_empty())
        else {
            continue;
        };
        let inst = {
            let naar = seg.find(" naar ").unwrap_or(0);
            instelling_re()
                .find_iter(seg)
                .find(|m| m.start() >= naar)
                .or_else(|| instelling_re().find(seg))
                .map(|m| m.as_str().to_string())
        };
        if van.is_none() && tot.is_none() {
            continue;
        }
        out.push(Episode {
            van,
            tot,
            setting: setting.code.clone(),
            instelling: inst,
            srcs: vec![Src {
                doc: di,
                start: a,
                end: b,
            }],
        });
        last_idx = Some(out.len() - 1);
    }
}

pub fn history(v: &Vocab, docs: &[PDoc]) -> Vec<Episode> {
    let mut cands = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        for s in &d.sentences {
            episodes_in(v, di, d, s, &mut cands);
        }
    }
    // Starts first, then end-only candidates (which can only close an episode).
    cands.sort_by_key(|e| (e.van.is_none(), e.van, e.tot));
    let mut eps: Vec<Episode> = Vec::new();
    for c in cands {
        let close = |e: &Episode| -> bool {
            if e.setting != c.setting {
                return false;
            }
            match (e.van, c.van) {
                (Some(x), Some(y)) => (x.index() - y.index()).abs() <= 1,
                (None, None) => true,
                _ => false,
            }
        };
        if let Some(e) = eps.iter_mut().find(|e| close(e)) {
            if e.tot.is_none() {
                e.tot = c.tot;
            }
            if e.instelling.is_none() {
                e.instelling = c.instelling.clone();
            }
            e.srcs.extend(c.srcs);
            continue;
        }
        if c.van.is_none() && c.setting != "THUIS" {
            // An end without a start: closes an open episode of the same setting.
            if let Some(t) = c.tot {
                if let Some(e) = eps
                    .iter_mut()
                    .filter(|e| e.setting == c.setting && e.van.is_some_and(|x| x <= t))
                    .max_by_key(|e| e.van)
                {
                    if e.tot.is_none() {
                        e.tot = Some(t);
                    }
                    e.srcs.extend(c.srcs);
                }
            }
            continue;
        }
        eps.push(c);
    }
    eps.sort_by_key(|e| (e.van.is_some(), e.van));
    let n = eps.len();
    for i in 0..n {
        let next_van = eps.get(i + 1).and_then(|e| e.van);
        if let Some(e) = eps.get_mut(i) {
            if e.tot.is_none() {
                e.tot = next_van;
            }
            if let (Some(a), Some(b)) = (e.van, e.tot) {
                if b < a {
                    e.tot = None;
                }
            }
        }
    }
    for e in &mut eps {
        e.srcs.sort();
        e.srcs.dedup();
    }
    eps
}

// ---- triggers ----------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct TriggerHit {
    pub categorie: String,
    pub subtype: Option<String>,
    pub datum: Option<Month>,
    pub bron: Src,
    pub also: Vec<Src>,
}

pub fn triggers(v: &Vocab, docs: &[PDoc]) -> Vec<TriggerHit> {
    let mut hits: Vec<TriggerHit> = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        for (si, s) in d.sentences.iter().enumerate() {
            let mut taken: Vec<(usize, usize)> = Vec::new();
            for t in &v.triggers {
                for m in t.terms.find_all(d.text, s.start, s.end) {
                    if taken.iter().any(|x| x.0 < m.1 && m.0 < x.1) {
                        continue;
                    }
                    let q = nlp::qualify(&v.context, d.text, (s.start, s.end), &s.clauses, m);
                    if q.negated || q.uncertain {
                        continue;
                    }
                    if t.needs_effect {
                        let next_end = d.sentences.get(si + 1).map_or(s.end, |n| n.end);
                        let around = d.text.get(s.start..next_end).unwrap_or("");
                        if !v.trigger_effect.any(around) {
                            continue;
                        }
                    }
                    taken.push(m);
                    let datum = nlp::months_in(d.text, s.start, s.end)
                        .into_iter()
                        .find_map(|mm| match (mm.year, mm.month) {
                            (Some(year), Some(month)) => Some(Month { year, month }),
                            _ => None,
                        })
                        .or(s.entry_month);
                    hits.push(TriggerHit {
                        categorie: t.categorie.clone(),
                        subtype: t.subtype.clone(),
                        datum,
                        bron: Src {
                            doc: di,
                            start: s.start,
                            end: s.end,
                        },
                        also: Vec::new(),
                    });
                    break;
                }
            }
        }
    }
    // One entry per event: same category and subtype, months within two of each other; an
    // undated mention joins a dated event of the same kind.
    hits.sort_by_key(|h| {
        (
            h.categorie.clone(),
            h.subtype.clone(),
            h.datum.is_none(),
            h.datum,
        )
    });
    let mut events: Vec<TriggerHit> = Vec::new();
    for h in hits {
        let same = events.iter_mut().find(|e| {
            e.categorie == h.categorie
                && e.subtype == h.subtype
                && match (e.datum, h.datum) {
                    (Some(a), Some(b)) => (a.index() - b.index()).abs() <= 2,
                    _ => true,
                }
        });
        match same {
            Some(e) => e.also.push(h.bron),
            None => events.push(h),
        }
    }
    if events.iter().any(|e| e.categorie != "ONBEKEND") {
        events.retain(|e| e.categorie != "ONBEKEND");
    }
    events.sort_by_key(|e| (e.datum.is_none(), e.datum, e.bron));
    events
}
