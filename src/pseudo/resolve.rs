//! Case-level resolution: runs the detectors over every document of a case, propagates what
//! was found with confidence to every other mention in the case, resolves overlaps, groups
//! mentions into entities (one person, one pseudonym), assigns keyed pseudonyms and rewrites
//! the texts. Everything here is a pure function of the documents' contents and the key, so
//! the output does not depend on the order in which documents arrive.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::lexicon::{wf, Lexicon, TitleKind};
use super::names::{self, Ctx, NameInfo};
use super::patterns::{self, FoundDate};
use super::tokens::{tokenize, Tok};
use super::{
    Cand, CaseFacts, CaseOutput, Category, Deidentified, Document, Entity, EntityTable, PseudoKey,
    Role, Span,
};

/// The workspace key's HMAC, keyed once per case: keying costs two SHA-256 blocks, as much as
/// hashing a short name, and every pseudonym of the case starts from the same keyed state.
struct Keyed(Option<Hmac<Sha256>>);

impl Keyed {
    fn new(key: &PseudoKey) -> Keyed {
        Keyed(Hmac::<Sha256>::new_from_slice(&key.0).ok())
    }
}

fn hmac_code(key: &Keyed, parts: &[&str], modulo: u64) -> u64 {
    let Some(mut mac) = key.0.clone() else {
        return 0;
    };
    for p in parts {
        mac.update(&(p.len() as u64).to_le_bytes());
        mac.update(p.as_bytes());
    }
    let out = mac.finalize().into_bytes();
    let mut n = [0u8; 8];
    n.copy_from_slice(&out[..8]);
    u64::from_le_bytes(n) % modulo
}

/// Whether a person key "given|surname" has this surname (without building "|surname").
fn key_surname_is(key: &str, surname: &str) -> bool {
    key.strip_suffix(surname)
        .is_some_and(|head| head.ends_with('|'))
}

/// Whether a person key "given|surname" has this given name.
fn key_given_is(key: &str, given: &str) -> bool {
    key.strip_prefix(given)
        .is_some_and(|tail| tail.starts_with('|'))
}

/// Normalises a surface form for entity keys: lower case, no possessive s handled by caller,
/// single spaces, no dots.
fn norm(s: &str) -> String {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\''))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

struct DocWork {
    cands: Vec<Cand>,
}

pub fn run(lex: &Lexicon, key: &PseudoKey, scope: &str, docs: &[Document]) -> CaseOutput {
    // 1. Detect per document.
    let mut works = Vec::with_capacity(docs.len());
    let mut dates = Vec::with_capacity(docs.len());
    let mut mail_orgs = Vec::new();
    let all_toks: Vec<Vec<Tok>> = docs.iter().map(|d| tokenize(&d.text)).collect();
    for (d, toks) in docs.iter().zip(&all_toks) {
        let cx = Ctx::new(&d.text, toks, lex);
        let mut cands = Vec::new();
        dates.push(patterns::find(&d.text, lex, &mut cands));
        names::find(&cx, &mut cands, &mut mail_orgs);
        works.push(DocWork { cands });
    }
    // 2. Propagate anchors across the case.
    propagate(lex, docs, &all_toks, &mut works, &mail_orgs);
    // 3. Resolve overlaps per document.
    let mut finals: Vec<Vec<Cand>> = works
        .into_iter()
        .zip(docs)
        .map(|(w, d)| select(&d.text, lex, w.cands))
        .collect();
    // 4. Entities and pseudonyms.
    let mut table = EntityTable::default();
    let key = Keyed::new(key);
    let names = resolve_names(lex, &key, scope, docs, &finals);
    let mut other_entities: BTreeMap<(Category, String), (String, BTreeSet<String>)> =
        BTreeMap::new();
    let mut used_codes: HashMap<&'static str, BTreeSet<u64>> = HashMap::new();
    // Deterministic assignment: collect the keys first, sorted.
    let mut other_keys: BTreeSet<(Category, String)> = BTreeSet::new();
    for (di, cands) in finals.iter().enumerate() {
        for c in cands {
            if matches!(
                c.cat,
                Category::Instelling | Category::Locatie | Category::Woonplaats
            ) {
                other_keys.insert((
                    c.cat,
                    entity_key_other(c.cat, &docs[di].text[c.start..c.end]),
                ));
            }
        }
    }
    for (cat, k) in &other_keys {
        let (prefix, global) = match cat {
            Category::Instelling => ("INSTELLING", true),
            Category::Locatie => ("LOCATIE", false),
            _ => ("PLAATS", false),
        };
        let modulo = if global { 1_000_000 } else { 10_000 };
        let mut code = hmac_code(&key, &[if global { "" } else { scope }, prefix, k], modulo);
        let used = used_codes.entry(prefix).or_default();
        if !global {
            while used.contains(&code) {
                code = (code + 1) % modulo;
            }
        }
        used.insert(code);
        let pseudo = if global {
            format!("[{prefix}-{code:06}]")
        } else {
            format!("[{prefix}-{code:04}]")
        };
        other_entities.insert((*cat, k.clone()), (pseudo, BTreeSet::new()));
    }
    // 5. Rewrite.
    let mut out_docs = Vec::with_capacity(docs.len());
    let mut name_originals: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    let mut fixed_originals: BTreeMap<(Category, String), BTreeSet<String>> = BTreeMap::new();
    for (di, cands) in finals.iter_mut().enumerate() {
        let text = &docs[di].text;
        let mut spans = Vec::with_capacity(cands.len());
        for (ci, c) in cands.iter().enumerate() {
            let surface = &text[c.start..c.end];
            let (replacement, role) = match c.cat {
                Category::Naam => match names.assign.get(&(di, ci)) {
                    Some(&eid) => {
                        name_originals
                            .entry(eid)
                            .or_default()
                            .insert(surface.to_string());
                        let e = &names.entities[eid];
                        (e.pseudonym.clone(), Some(e.role))
                    }
                    None => ("[PERSOON]".to_string(), Some(Role::Overig)),
                },
                Category::Instelling | Category::Locatie | Category::Woonplaats => {
                    let k = (c.cat, entity_key_other(c.cat, surface));
                    match other_entities.get_mut(&k) {
                        Some((p, originals)) => {
                            originals.insert(surface.to_string());
                            (p.clone(), None)
                        }
                        None => (format!("[{}]", c.cat.as_str()), None),
                    }
                }
                Category::Datum => (
                    c.replacement.clone().unwrap_or_else(|| "[DATUM]".into()),
                    None,
                ),
                other => {
                    fixed_originals
                        .entry((other, format!("[{}]", other.as_str())))
                        .or_default()
                        .insert(surface.to_string());
                    (format!("[{}]", other.as_str()), None)
                }
            };
            spans.push(Span {
                start: c.start,
                end: c.end,
                category: c.cat,
                role,
                replacement,
                rule: c.rule,
            });
        }
        let mut pseudo = String::with_capacity(text.len());
        let mut pos = 0;
        for s in &spans {
            pseudo.push_str(&text[pos..s.start]);
            pseudo.push_str(&s.replacement);
            pos = s.end;
        }
        pseudo.push_str(&text[pos..]);
        out_docs.push(Deidentified {
            document: docs[di].name.clone(),
            spans,
            text: pseudo,
        });
    }
    for (eid, originals) in name_originals {
        let e = &names.entities[eid];
        table.entities.push(Entity {
            pseudonym: e.pseudonym.clone(),
            category: Category::Naam,
            role: Some(e.role),
            originals: originals.into_iter().collect(),
        });
    }
    for ((cat, _), (pseudo, originals)) in other_entities {
        if !originals.is_empty() {
            table.entities.push(Entity {
                pseudonym: pseudo,
                category: cat,
                role: None,
                originals: originals.into_iter().collect(),
            });
        }
    }
    for ((cat, pseudo), originals) in fixed_originals {
        table.entities.push(Entity {
            pseudonym: pseudo,
            category: cat,
            role: None,
            originals: originals.into_iter().collect(),
        });
    }
    table.entities.sort_by(|a, b| {
        a.pseudonym
            .cmp(&b.pseudonym)
            .then(a.originals.cmp(&b.originals))
    });
    let facts = facts(docs, &dates, &names);
    CaseOutput {
        docs: out_docs,
        table,
        facts,
    }
}

fn entity_key_other(cat: Category, surface: &str) -> String {
    let n = norm(surface);
    let n = if cat == Category::Instelling {
        n.trim_start_matches("stichting ").to_string()
    } else {
        n
    };
    n.trim_end_matches("'s").to_string()
}

/// Greedy overlap resolution: highest priority first, longer first, then earlier. A name that
/// runs into a stronger span keeps its part before it ("Anouk" of "Anouk van Huize X").
fn select(text: &str, lex: &Lexicon, mut cands: Vec<Cand>) -> Vec<Cand> {
    cands.retain(|c| c.end > c.start);
    // Organisations that are national bodies ("Centrum Indicatiestelling Zorg") are not
    // providers; they stay in the text.
    cands.retain(|c| c.cat != Category::Instelling || !lex.is_national_body(&text[c.start..c.end]));
    let mut cands = merge_same_category(cands);
    cands.sort_by(|a, b| {
        b.prio
            .cmp(&a.prio)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut taken: Vec<Cand> = Vec::with_capacity(cands.len());
    let mut occupied: BTreeMap<usize, usize> = BTreeMap::new(); // start -> end
    for mut c in cands {
        let overlaps = |occ: &BTreeMap<usize, usize>, s: usize, e: usize| {
            occ.range(..e).next_back().is_some_and(|(_, &oe)| oe > s)
        };
        if overlaps(&occupied, c.start, c.end) {
            if c.cat != Category::Naam {
                continue;
            }
            // First taken span inside the candidate, if the candidate starts before it.
            let Some((&ts, _)) = occupied.range(c.start..c.end).next() else {
                continue;
            };
            let head = text[c.start..ts].trim_end();
            let head = trim_trailing_particles(head);
            if head.chars().filter(|ch| ch.is_alphabetic()).count() < 2 {
                continue;
            }
            c.end = c.start + head.len();
            if overlaps(&occupied, c.start, c.end) {
                continue;
            }
        }
        occupied.insert(c.start, c.end);
        taken.push(c);
    }
    taken.sort_by_key(|c| c.start);
    taken
}

/// Overlapping detections of the same kind of entity are one mention: "Zorgcentrum" and
/// "De Noorderhaven" become "Zorgcentrum De Noorderhaven". The stronger one's evidence is kept.
fn merge_same_category(mut cands: Vec<Cand>) -> Vec<Cand> {
    let mergeable = |c: &Cand| {
        matches!(
            c.cat,
            Category::Instelling | Category::Locatie | Category::Woonplaats
        )
    };
    cands.sort_by_key(|c| (c.cat, c.start, std::cmp::Reverse(c.end)));
    let mut out: Vec<Cand> = Vec::with_capacity(cands.len());
    for c in cands {
        if let Some(last) = out.last_mut() {
            if mergeable(&c) && last.cat == c.cat && c.start < last.end {
                if c.end > last.end {
                    last.end = c.end;
                }
                if c.prio > last.prio {
                    last.prio = c.prio;
                    last.rule = c.rule;
                }
                last.anchor |= c.anchor;
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn trim_trailing_particles(mut s: &str) -> &str {
    loop {
        let t = s.trim_end_matches(|c: char| c.is_whitespace() || c == '(' || c == ',' || c == '-');
        let Some(idx) = t.rfind(char::is_whitespace) else {
            return t;
        };
        let last = &t[idx + 1..];
        if matches!(
            last,
            "van"
                | "de"
                | "der"
                | "den"
                | "het"
                | "'t"
                | "bij"
                | "op"
                | "in"
                | "te"
                | "ter"
                | "ten"
        ) {
            s = &t[..idx];
        } else {
            return t;
        }
    }
}

/// Finds every mention of an anchored entity in all documents of the case: the surface forms,
/// their parts (first name, surname with tussenvoegsel), possessives and capitals.
fn propagate(
    lex: &Lexicon,
    docs: &[Document],
    all_toks: &[Vec<Tok>],
    works: &mut [DocWork],
    mail_orgs: &[String],
) {
    // variant text -> (category, role info, priority of the anchor it came from)
    type Variant = (Category, Option<NameInfo>, u8);
    // When two anchors yield the same variant, the stronger evidence decides (the higher
    // priority; on a tie, a fixed order of category and evidence), never the order in which
    // the anchors were met.
    fn outranks(a: &Variant, b: &Variant) -> bool {
        let tie = |v: &Variant| (v.0, v.1.as_ref().map(|i| (i.role, i.client_label, i.title)));
        a.2 > b.2 || (a.2 == b.2 && tie(a) < tie(b))
    }
    let mut variants: BTreeMap<String, Variant> = BTreeMap::new();
    let add = |v: String,
               cat: Category,
               info: Option<NameInfo>,
               prio: u8,
               variants: &mut BTreeMap<String, Variant>| {
        if v.chars().count() < 2 {
            return;
        }
        let low: std::borrow::Cow<str> = if v.is_ascii() {
            super::tokens::lower_cow(&v)
        } else {
            v.to_lowercase().into()
        };
        // Never-redact terms, tussenvoegsels, roles and titles: one look-up for all four.
        let small = lex.small_flags(&low, crate::rules::word_hash(low.as_bytes()));
        if small & (wf::DOMAIN | wf::TV_LISTED | wf::ROLE | wf::TITLE) != 0 {
            return;
        }
        let new = (cat, info, prio);
        match variants.entry(v) {
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(new);
            }
            std::collections::btree_map::Entry::Occupied(mut e) => {
                if outranks(&new, e.get()) {
                    e.insert(new);
                }
            }
        }
    };
    // The variants of an anchor depend only on its surface, category, evidence and priority:
    // a repeat adds nothing, so skip it.
    type AnchorKey<'s> = (
        &'s str,
        Category,
        Option<(Option<Role>, bool, Option<TitleKind>)>,
        u8,
    );
    let mut seen: rustc_hash::FxHashSet<AnchorKey> = Default::default();
    // Conflicts are settled by `outranks`, so the order of the documents does not matter.
    for (d, w) in docs.iter().zip(works.iter()) {
        let text = &d.text;
        for c in w.cands.iter().filter(|c| c.anchor) {
            let surface = &text[c.start..c.end];
            let evidence = c.info.as_ref().map(|i| (i.role, i.client_label, i.title));
            if !seen.insert((surface, c.cat, evidence, c.prio)) {
                continue;
            }
            match c.cat {
                Category::Naam => {
                    add(
                        surface.to_string(),
                        Category::Naam,
                        c.info.clone(),
                        c.prio,
                        &mut variants,
                    );
                    let words: Vec<&str> = surface.split_whitespace().collect();
                    let info = c.info.clone();
                    // Each capitalised part on its own, and the surname with its particles.
                    for (k, wd) in words.iter().enumerate() {
                        let wd = wd.trim_matches(|ch: char| ch == ',' || ch == '(' || ch == ')');
                        if wd.ends_with('.') || !wd.chars().next().is_some_and(char::is_uppercase) {
                            continue;
                        }
                        let low = wd.to_lowercase();
                        if lex.tussenvoegsels.contains(&low) {
                            // "van der Wal" from "Gerda van der Wal"
                            let rest = words[k..].join(" ");
                            add(
                                rest.clone(),
                                Category::Naam,
                                info.clone(),
                                c.prio,
                                &mut variants,
                            );
                            let mut cap = rest.clone();
                            if let Some(f) = cap.get(0..1) {
                                cap.replace_range(0..1, &f.to_uppercase());
                            }
                            add(cap, Category::Naam, info.clone(), c.prio, &mut variants);
                            continue;
                        }
                        // A part that is an ordinary word ("Roos", "Winter") is only looked for
                        // on its own when the name was found by its context (title, label, role).
                        let from_context = info.as_ref().is_some_and(|i| {
                            i.role.is_some() || i.title.is_some() || i.client_label
                        });
                        let ordinary = lex.is_word(&low) || lex.places.contains(&low);
                        let place_only = lex.places.contains(&low)
                            && !lex.first_names.contains(&low)
                            && !lex.surnames.contains(&low);
                        if (ordinary && !from_context) || place_only {
                            continue;
                        }
                        add(
                            wd.to_string(),
                            Category::Naam,
                            info.clone(),
                            c.prio,
                            &mut variants,
                        );
                        add(
                            wd.to_uppercase(),
                            Category::Naam,
                            info.clone(),
                            c.prio,
                            &mut variants,
                        );
                        // Possessive "Jans": for listed first names and names found by context
                        // even when "jans"-like forms are dictionary words.
                        let possessive_ok = !lex.is_word(&format!("{low}s"))
                            || lex.first_names.contains(&low)
                            || from_context;
                        if !wd.ends_with('s') && possessive_ok {
                            add(
                                format!("{wd}s"),
                                Category::Naam,
                                info.clone(),
                                c.prio,
                                &mut variants,
                            );
                        }
                    }
                    if words.len() >= 2 {
                        add(
                            surface.to_uppercase(),
                            Category::Naam,
                            info.clone(),
                            c.prio,
                            &mut variants,
                        );
                    }
                }
                Category::Instelling | Category::Locatie | Category::Woonplaats => {
                    add(surface.to_string(), c.cat, None, c.prio, &mut variants);
                    add(surface.to_uppercase(), c.cat, None, c.prio, &mut variants);
                    if c.cat == Category::Instelling {
                        if let Some(rest) = surface.strip_prefix("Stichting ") {
                            add(rest.to_string(), c.cat, None, c.prio, &mut variants);
                        }
                    }
                    if c.cat == Category::Locatie {
                        // "woning De Vlinder" -> also "De Vlinder" alone
                        for pre in ["De ", "Het ", "Huize "] {
                            if let Some(idx) = surface.find(pre) {
                                add(
                                    surface[idx..].to_string(),
                                    c.cat,
                                    None,
                                    c.prio,
                                    &mut variants,
                                );
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    // Organisations known by their e-mail domain: the capitalised word(s) that spell it.
    let org_labels: BTreeSet<&String> = mail_orgs.iter().collect();
    if variants.is_empty() && org_labels.is_empty() {
        return;
    }
    // Every variant is looked for where a token starts, longest first (see `phrases`).
    let index = super::phrases::PhraseIndex::new(variants.keys().cloned(), false);
    for (di, w) in works.iter_mut().enumerate() {
        let text = &docs[di].text;
        let toks: &[Tok] = all_toks.get(di).map_or(&[], Vec::as_slice);
        for (vi, start, end) in index.find(text, toks) {
            let Some((cat, info, _)) = index.phrase(vi).and_then(|v| variants.get(v)) else {
                continue;
            };
            let prio = match cat {
                Category::Naam => 51,
                Category::Instelling => 56,
                Category::Locatie => 54,
                _ => 47,
            };
            let mut c = Cand::new(start, end, *cat, prio, "case-propagation");
            c.info = info.clone();
            w.cands.push(c);
        }
        if !org_labels.is_empty() {
            // compare capitalised word runs with spaces removed against the domain labels
            let toks: &[Tok] = all_toks.get(di).map_or(&[], Vec::as_slice);
            for i in 0..toks.len() {
                if !toks[i].is_cap() {
                    continue;
                }
                let mut joined = String::new();
                for j in i..(i + 4).min(toks.len()) {
                    let t = &toks[j];
                    if t.kind == super::tokens::Kind::Newline
                        || (t.kind == super::tokens::Kind::Punct && t.text != "-" && t.text != "'")
                    {
                        break;
                    }
                    if t.kind == super::tokens::Kind::Word || t.kind == super::tokens::Kind::Num {
                        joined.push_str(&t.low);
                    }
                    if t.kind != super::tokens::Kind::Punct
                        && org_labels.contains(&joined)
                        && toks[j].kind != super::tokens::Kind::Punct
                    {
                        let mut c = Cand::new(
                            toks[i].start,
                            toks[j].end,
                            Category::Instelling,
                            56,
                            "org-mail-domain",
                        );
                        c.anchor = true;
                        w.cands.push(c);
                        break;
                    }
                }
            }
        }
    }
}

/// What the mentions of one name say about it: how often it occurs, how often it is labelled
/// as the client, the roles its context gives, and the titles used (female, male).
#[derive(Default)]
struct Evidence {
    count: usize,
    client_labels: usize,
    roles: BTreeMap<Role, usize>,
    titles: (usize, usize),
}

struct NameEntity {
    role: Role,
    pseudonym: String,
}

struct Names {
    entities: Vec<NameEntity>,
    /// (doc index, cand index) -> entity index
    assign: HashMap<(usize, usize), usize>,
    /// Gender evidence on the client from titles: (female, male).
    client_titles: (usize, usize),
}

struct Parsed {
    initials: Vec<char>,
    given: Vec<String>,
    surname: Option<String>,
}

fn parse_name(lex: &Lexicon, surface: &str) -> Parsed {
    // "Wijnands, Tim Johannes": surname first.
    if let Some((sur, given)) = surface.split_once(',') {
        let mut p = parse_name(lex, given.trim());
        let mut sp = parse_name(lex, sur.trim());
        let surname = sp.surname.take().or_else(|| sp.given.pop());
        if surname.is_some() && !p.given.is_empty() {
            if let Some(extra) = p.surname.take() {
                p.given.push(extra);
            }
            p.surname = surname;
            p.initials.extend(sp.initials);
            return p;
        }
    }
    let mut initials = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut tv: Vec<String> = Vec::new();
    let mut surname_parts: Vec<String> = Vec::new();
    let mut seen_tv = false;
    for raw in surface.split_whitespace() {
        let w = raw.trim_matches(|c: char| c == ',' || c == '(' || c == ')');
        let letters: String = w.chars().filter(|c| c.is_alphabetic()).collect();
        if w.contains('.')
            && letters.chars().all(char::is_uppercase)
            && letters.chars().count() <= 3
        {
            initials.extend(letters.chars());
            continue;
        }
        let low = w.to_lowercase();
        if lex.tussenvoegsels.contains(&low) || low == "'t" {
            seen_tv = true;
            tv.push(low);
            continue;
        }
        if seen_tv {
            surname_parts.push(low);
        } else {
            words.push(low);
        }
    }
    let (given, surname) = if !surname_parts.is_empty() {
        (
            words,
            Some(format!("{} {}", tv.join(" "), surname_parts.join(" "))),
        )
    } else if words.len() >= 2 {
        let s = words.pop();
        (words, s)
    } else if !initials.is_empty() {
        (Vec::new(), words.pop())
    } else {
        (words, None)
    };
    // Strip a glued possessive s where the rest is the real name is decided by the caller.
    Parsed {
        initials,
        given,
        surname,
    }
}

fn resolve_names(
    lex: &Lexicon,
    key: &Keyed,
    scope: &str,
    docs: &[Document],
    finals: &[Vec<Cand>],
) -> Names {
    // Gather mentions.
    struct Mention {
        di: usize,
        ci: usize,
        parsed: Parsed,
        info: Option<NameInfo>,
    }
    let mut mentions = Vec::new();
    for (di, cands) in finals.iter().enumerate() {
        for (ci, c) in cands.iter().enumerate() {
            if c.cat == Category::Naam {
                let surface = &docs[di].text[c.start..c.end];
                mentions.push(Mention {
                    di,
                    ci,
                    parsed: parse_name(lex, surface),
                    info: c.info.clone(),
                });
            }
        }
    }
    // Entities from full names (given + surname), keyed by given name and surname.
    let keys: Vec<String> = mentions
        .iter()
        .filter_map(|m| match (&m.parsed.surname, m.parsed.given.first()) {
            (Some(s), Some(g)) => Some(format!("{g}|{s}")),
            _ => None,
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let strip_s = |w: &str, known: &dyn Fn(&str) -> bool| -> String {
        if !known(w) && w.ends_with('s') && known(&w[..w.len() - 1]) {
            w[..w.len() - 1].to_string()
        } else {
            w.to_string()
        }
    };
    let mut assign_key: Vec<String> = Vec::with_capacity(mentions.len());
    for m in &mentions {
        let p = &m.parsed;
        let k = if let (Some(s), Some(g)) = (&p.surname, p.given.first()) {
            format!("{g}|{s}")
        } else if let Some(s) = &p.surname {
            // initials + surname, or title + surname
            let s_known = |w: &str| keys.iter().any(|k| key_surname_is(k, w));
            let s = strip_s(s, &s_known);
            let cands: Vec<&String> = keys.iter().filter(|k| key_surname_is(k, &s)).collect();
            let by_initial: Vec<&&String> = cands
                .iter()
                .filter(|k| {
                    p.initials.first().is_some_and(|i| {
                        k.chars()
                            .next()
                            .is_some_and(|c| c.to_lowercase().eq(i.to_lowercase()))
                    })
                })
                .collect();
            if by_initial.len() == 1 {
                by_initial[0].to_string()
            } else if let (Some(i), true) = (p.initials.first(), by_initial.is_empty()) {
                // "R. Brouwer" beside "Anouk Brouwer": a relative with another initial is
                // another person.
                format!("{}.|{s}", i.to_lowercase())
            } else if let Some(first) = cands.first() {
                first.to_string()
            } else {
                format!("|{s}")
            }
        } else if let Some(g) = p.given.first() {
            let g_known = |w: &str| {
                keys.iter().any(|k| key_given_is(k, w)) || keys.iter().any(|k| key_surname_is(k, w))
            };
            let g = strip_s(g, &g_known);
            let by_given: Vec<&String> = keys.iter().filter(|k| key_given_is(k, &g)).collect();
            let by_sur: Vec<&String> = keys.iter().filter(|k| key_surname_is(k, &g)).collect();
            if by_given.len() == 1 {
                by_given[0].to_string()
            } else if by_given.is_empty() && !by_sur.is_empty() {
                by_sur[0].to_string()
            } else if let Some(f) = by_given.first() {
                f.to_string()
            } else {
                format!("{g}|")
            }
        } else {
            String::from("?|")
        };
        assign_key.push(k);
    }
    // A single word that is the surname of a person known by initials ("mevrouw Westerbeek" beside
    // "G. Westerbeek") is that person: the most mentioned such key wins, ties by key order.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for k in &assign_key {
        *counts.entry(k.as_str()).or_default() += 1;
    }
    let remap: BTreeMap<String, String> = counts
        .keys()
        .filter_map(|k| k.strip_suffix('|').map(|w| (*k, w)))
        .filter_map(|(k, w)| {
            counts
                .iter()
                .filter(|(other, _)| key_surname_is(other, w) && **other != k)
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(other, _)| (k.to_string(), other.to_string()))
        })
        .collect();
    for k in assign_key.iter_mut() {
        if let Some(to) = remap.get(k) {
            *k = to.clone();
        }
    }
    // Collect entities (including single-part ones), count evidence.
    let mut all: BTreeMap<String, Evidence> = BTreeMap::new();
    for (m, k) in mentions.iter().zip(&assign_key) {
        let e = all.entry(k.clone()).or_default();
        e.count += 1;
        if let Some(info) = &m.info {
            if info.client_label {
                e.client_labels += 1;
            }
            if let Some(r) = info.role {
                *e.roles.entry(r).or_default() += 1;
            }
            match info.title {
                Some(TitleKind::Female) => e.titles.0 += 1,
                Some(TitleKind::Male) => e.titles.1 += 1,
                _ => {}
            }
        }
    }
    // The client: labelled as such most often, else the most mentioned name without a role.
    let client_key = all
        .iter()
        .filter(|(_, v)| v.client_labels > 0)
        .max_by(|a, b| {
            a.1.client_labels
                .cmp(&b.1.client_labels)
                .then(a.1.count.cmp(&b.1.count))
                .then(b.0.cmp(a.0))
        })
        .or_else(|| {
            all.iter()
                .filter(|(_, v)| v.roles.is_empty())
                .max_by(|a, b| a.1.count.cmp(&b.1.count).then(b.0.cmp(a.0)))
        })
        .map(|(k, _)| k.clone());
    // Single first-name entities that equal the client's first name are the client.
    let client_given = client_key
        .as_ref()
        .and_then(|k| k.split('|').next().map(str::to_string))
        .filter(|g| !g.is_empty());
    let mut entities = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut used: BTreeSet<u64> = BTreeSet::new();
    let mut client_titles = (0, 0);
    for (k, ev) in &all {
        let (roles, titles) = (&ev.roles, ev.titles);
        let is_client = Some(k) == client_key.as_ref()
            || (k.ends_with('|')
                && client_given
                    .as_deref()
                    .is_some_and(|g| k == &format!("{g}|")));
        let role = if is_client {
            client_titles.0 += titles.0;
            client_titles.1 += titles.1;
            Role::Client
        } else {
            roles
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(r, _)| *r)
                .filter(|r| *r != Role::Client)
                .unwrap_or(Role::Zorgverlener)
        };
        let pseudonym = if role == Role::Client {
            "[CLIENT]".to_string()
        } else {
            let mut code = hmac_code(key, &[scope, "naam", k], 10_000);
            while used.contains(&code) {
                code = (code + 1) % 10_000;
            }
            used.insert(code);
            let prefix = match role {
                Role::Naaste => "NAASTE",
                Role::Zorgverlener => "ZORGVERLENER",
                _ => "PERSOON",
            };
            format!("[{prefix}-{code:04}]")
        };
        index.insert(k.clone(), entities.len());
        entities.push(NameEntity { role, pseudonym });
    }
    let mut assign = HashMap::new();
    for (m, k) in mentions.iter().zip(&assign_key) {
        if let Some(&e) = index.get(k) {
            assign.insert((m.di, m.ci), e);
        }
    }
    Names {
        entities,
        assign,
        client_titles,
    }
}

/// `dates`: the dates of each document, as `patterns::find` found them.
fn facts(docs: &[Document], dates: &[Vec<patterns::DateSpan>], names: &Names) -> CaseFacts {
    // Newest full date in the case.
    let mut newest: Option<(i32, u32, u32)> = None;
    let mut births: BTreeMap<(i32, u32, u32), usize> = BTreeMap::new();
    for (d, found) in docs.iter().zip(dates) {
        for &(s, _e, fd) in found {
            let FoundDate {
                year: Some(y),
                month,
                day: Some(day),
            } = fd
            else {
                continue;
            };
            let birth = patterns::label_before(
                &d.text,
                s,
                &["geboortedatum", "geboren", "geb.", "geb.datum"],
            );
            if birth {
                *births.entry((y, month, day)).or_default() += 1;
            } else if newest.is_none_or(|n| (y, month, day) > n) {
                newest = Some((y, month, day));
            }
        }
    }
    let dob = births
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(k, _)| *k);
    let leeftijdscategorie = match (dob, newest) {
        (Some((by, bm, bd)), Some((ny, nm, nd))) => {
            let mut age = ny - by;
            if (nm, nd) < (bm, bd) {
                age -= 1;
            }
            Some(age_band(age))
        }
        _ => None,
    };
    // Gender: a "Geslacht:" line, else the titles used for the client.
    let mut geslacht = None;
    for d in docs {
        for line in d.text.lines() {
            // The prefix is ASCII, so comparing bytes case-insensitively is what lower-casing
            // the line did (no other character lower-cases to these letters); the rare value
            // is still lower-cased the Unicode way.
            let l = line.trim();
            let prefix = l.as_bytes().get(..9);
            if !prefix.is_some_and(|p| p.eq_ignore_ascii_case(b"geslacht:")) {
                continue;
            }
            if let Some(v) = l.get(9..).map(str::to_lowercase) {
                let v = v.trim();
                geslacht = match v {
                    "vrouw" | "v" | "vrouwelijk" => Some("vrouw".to_string()),
                    "man" | "m" | "mannelijk" => Some("man".to_string()),
                    "" => geslacht,
                    _ => Some("anders".to_string()),
                };
            }
        }
    }
    if geslacht.is_none() {
        let (f, m) = names.client_titles;
        if f > m {
            geslacht = Some("vrouw".into());
        } else if m > f {
            geslacht = Some("man".into());
        }
    }
    CaseFacts {
        leeftijdscategorie,
        geslacht,
        newest_month: newest.map(|(y, m, _)| format!("{y:04}-{m:02}")),
    }
}

fn age_band(age: i32) -> String {
    if age < 0 {
        return "onbekend".into();
    }
    if age >= 80 {
        return "80+".into();
    }
    let lo = (age / 10) * 10;
    format!("{lo}-{}", lo + 9)
}
