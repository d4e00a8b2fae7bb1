//! Case-level resolution: runs the detectors over every document of a case, propagates what
//! was found with confidence to every other mention in the case, resolves overlaps, groups
//! mentions into entities (one person, one pseudonym), assigns keyed pseudonyms and rewrites
//! the texts. Everything here is a pure function of the documents' contents and the key, so
//! the output does not depend on the order in which documents arrive.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use hmac::{Hmac, Mac};
use rustc_hash::FxHashMap;
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

/// `[PREFIX-code]` with the code zero-padded to `width` digits: what
/// `format!("[{prefix}-{code:0width$}]")` gives, without the formatting machinery (a case
/// makes a pseudonym per entity, and `format!` costs several times the pushes).
fn pseudonym(prefix: &str, code: u64, width: usize) -> String {
    let digits = code.checked_ilog10().map_or(1, |l| l as usize + 1);
    let mut s = String::with_capacity(prefix.len() + digits.max(width) + 3);
    s.push('[');
    s.push_str(prefix);
    s.push('-');
    s.extend(std::iter::repeat_n('0', width.saturating_sub(digits)));
    // The highest power of ten in `code` (at most 10^19, which fits).
    let mut p = 10u64.pow(digits.saturating_sub(1) as u32);
    while p > 0 {
        s.push(char::from(b'0' + (code / p % 10) as u8));
        p /= 10;
    }
    s.push(']');
    s
}

/// The rule name of a mention found by propagating a name found elsewhere in the case.
const PROPAGATION_RULE: &str = "case-propagation";
use super::names::NICKNAME_RULE;

/// The person key "given|surname" (either may be empty), as `format!("{given}|{surname}")`.
fn person_key(given: &str, surname: &str) -> String {
    let mut k = String::with_capacity(given.len() + 1 + surname.len());
    k.push_str(given);
    k.push('|');
    k.push_str(surname);
    k
}

/// Words joined by single spaces (the particles and the words of a surname), as `join(" ")`.
fn join_words<'w>(words: impl Iterator<Item = &'w String>) -> String {
    let mut out = String::new();
    for (n, w) in words.enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Whether a person key "given|surname" has this surname (without building "|surname").
fn key_surname_is(key: &str, surname: &str) -> bool {
    key.strip_suffix(surname)
        .is_some_and(|head| head.ends_with('|'))
}

/// The surname after its particles of a person key "given|particles surname" ("wijlen" of
/// "stefan|van wijlen"), where the surname has particles.
fn bare_surname<'k>(lex: &Lexicon, key: &'k str) -> Option<&'k str> {
    let (_, mut rest) = key.split_once('|')?;
    let mut particles = false;
    while let Some((first, tail)) = rest.split_once(' ') {
        if !(lex.tussenvoegsels.contains(first) || first == "'t") {
            break;
        }
        particles = true;
        rest = tail;
    }
    particles.then_some(rest)
}

/// The one full name whose given name `g` shortens ("tjits" of "tjitske|storm", "tijm" of
/// "tijmen|boateng"), as daily reports clip a client's name. Only a clipped form of four
/// letters or more that is no given name of its own ("anne" is one, beside "annemarie"), and
/// at least two letters shorter.
fn shortened_given<'k>(lex: &Lexicon, keys: &'k [String], g: &str) -> Option<&'k String> {
    if g.chars().count() < 4 {
        return None;
    }
    let on = lex
        .word_flags
        .get_hashed(g, crate::rules::word_hash(g.as_bytes()));
    if on & crate::rules::WordFlags::FIRST_NAME != 0 {
        return None;
    }
    let mut found = keys.iter().filter(|k| {
        k.split_once('|').is_some_and(|(given, sur)| {
            !sur.is_empty() && given.len() >= g.len() + 2 && given.starts_with(g)
        })
    });
    let first = found.next()?;
    // (Two full names that it could shorten: neither.)
    let other =
        found.find(|k| k.split_once('|').map(|x| x.0) != first.split_once('|').map(|x| x.0));
    other.is_none().then_some(first)
}

/// The full name ("thijmen|spijker") whose given name, or that name clipped, has `g` as a
/// pet form ("thijmke", "thijmpie" of "Thijm"), when exactly one full name has.
fn pet_form_of<'k>(keys: &'k [String], g: &str) -> Option<&'k String> {
    if g.chars().count() < 4 || !g.is_ascii() {
        return None;
    }
    let pet_of = |given: &str| {
        let mut cap = given.to_string();
        if let Some(f) = cap.get_mut(0..1) {
            f.make_ascii_uppercase();
        }
        let is_pet = |name: &str| pet_forms(name).iter().any(|p| p.eq_ignore_ascii_case(g));
        g.starts_with(&given[..given.len().min(3)])
            && (is_pet(&cap) || clipped_forms(&cap).any(is_pet))
    };
    let mut found = keys.iter().filter(|k| {
        k.split_once('|')
            .is_some_and(|(given, sur)| !sur.is_empty() && given.is_ascii() && pet_of(given))
    });
    let first = found.next()?;
    let other =
        found.find(|k| k.split_once('|').map(|x| x.0) != first.split_once('|').map(|x| x.0));
    other.is_none().then_some(first)
}

/// Whether a person key "given|surname" has this given name.
fn key_given_is(key: &str, given: &str) -> bool {
    key.strip_prefix(given)
        .is_some_and(|tail| tail.starts_with('|'))
}

/// A candidate's slot when it is not an organisation, place of residence or location.
const NO_SLOT: u32 = u32::MAX;

/// Organisations, places of residence and locations: pseudonymised by an entity key.
fn is_other_entity(cat: Category) -> bool {
    matches!(
        cat,
        Category::Instelling | Category::Locatie | Category::Woonplaats
    )
}

/// What the text shows for a category without numbered pseudonyms (`[BSN]`).
fn placeholder(cat: Category) -> &'static str {
    match cat {
        Category::Naam => "[NAAM]",
        Category::Bsn => "[BSN]",
        Category::Geboortedatum => "[GEBOORTEDATUM]",
        Category::Datum => "[DATUM]",
        Category::Adres => "[ADRES]",
        Category::Postcode => "[POSTCODE]",
        Category::Woonplaats => "[WOONPLAATS]",
        Category::Locatie => "[LOCATIE]",
        Category::Instelling => "[INSTELLING]",
        Category::Telefoon => "[TELEFOON]",
        Category::Email => "[EMAIL]",
        Category::Url => "[URL]",
        Category::Iban => "[IBAN]",
        Category::Id => "[ID]",
    }
}

/// Adds a surface form to an entity's originals, allocating only when it is new.
fn insert_original(set: &mut BTreeSet<String>, surface: &str) {
    if !set.contains(surface) {
        set.insert(surface.to_string());
    }
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
    // Sized for the distinct words the rules ask about (about one token in four), so that the
    // map is not rebuilt as it grows.
    let n_toks: usize = all_toks.iter().map(Vec::len).sum();
    let words = names::WordCache::new(rustc_hash::FxHashMap::with_capacity_and_hasher(
        n_toks / 4,
        Default::default(),
    ));
    // Per document, whether it is written in English (read once, for the name rules and the
    // propagation).
    let mut english = Vec::with_capacity(docs.len());
    for (d, toks) in docs.iter().zip(&all_toks) {
        let cx = Ctx::with_cache(&d.text, toks, lex, &words);
        english.push(cx.english);
        let mut cands = Vec::new();
        dates.push(patterns::find(&d.text, lex, &mut cands));
        names::find(&cx, &mut cands, &mut mail_orgs);
        works.push(DocWork { cands });
    }
    // 2. Propagate anchors across the case.
    propagate(lex, docs, &all_toks, &english, &mut works, &mail_orgs);
    // 3. Resolve overlaps per document.
    let mut national = FxHashMap::default();
    let finals: Vec<Vec<Cand>> = works
        .into_iter()
        .zip(docs)
        .map(|(w, d)| select(&d.text, lex, w.cands, &mut national))
        .collect();
    // 4. Entities and pseudonyms.
    let mut table = EntityTable::default();
    let key = Keyed::new(key);
    let names = resolve_names(lex, &key, scope, docs, &finals);
    // Organisations, places of residence and locations: the entity key of each mention,
    // computed once per distinct (category, surface) of the case.
    let mut slot_of: FxHashMap<(Category, &str), u32> = FxHashMap::default();
    let mut slot_keys: Vec<(Category, String)> = Vec::new();
    let mut cand_slot: Vec<Vec<u32>> = Vec::with_capacity(finals.len());
    for (d, cands) in docs.iter().zip(&finals) {
        let mut slots = Vec::with_capacity(cands.len());
        for c in cands {
            let slot = if is_other_entity(c.cat) {
                let surface = &d.text[c.start..c.end];
                *slot_of.entry((c.cat, surface)).or_insert_with(|| {
                    slot_keys.push((c.cat, entity_key_other(c.cat, surface)));
                    (slot_keys.len() - 1) as u32
                })
            } else {
                NO_SLOT
            };
            slots.push(slot);
        }
        cand_slot.push(slots);
    }
    // Deterministic assignment: in the order of the sorted keys.
    let mut by_key: Vec<u32> = (0..slot_keys.len() as u32).collect();
    by_key.sort_unstable_by(|&a, &b| slot_keys[a as usize].cmp(&slot_keys[b as usize]));
    let mut slot_entity: Vec<u32> = vec![NO_SLOT; slot_keys.len()];
    // (category, pseudonym, originals), in key order.
    let mut other_entities: Vec<(Category, String, BTreeSet<String>)> = Vec::new();
    let mut used_codes: HashMap<&'static str, BTreeSet<u64>> = HashMap::new();
    let mut prev: Option<u32> = None;
    for &s in &by_key {
        let (cat, k) = &slot_keys[s as usize];
        if let Some(p) = prev.filter(|&p| slot_keys[p as usize] == slot_keys[s as usize]) {
            slot_entity[s as usize] = slot_entity[p as usize];
            continue;
        }
        prev = Some(s);
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
        let pseudo = pseudonym(prefix, code, if global { 6 } else { 4 });
        slot_entity[s as usize] = other_entities.len() as u32;
        other_entities.push((*cat, pseudo, BTreeSet::new()));
    }
    // 5. Rewrite.
    let mut out_docs = Vec::with_capacity(docs.len());
    let mut name_originals: Vec<BTreeSet<String>> = Vec::new();
    name_originals.resize_with(names.entities.len(), BTreeSet::new);
    let mut fixed_originals: BTreeMap<Category, BTreeSet<String>> = BTreeMap::new();
    for (di, cands) in finals.into_iter().enumerate() {
        let text = &docs[di].text;
        let assigned = names.assign.get(di).map_or(&[][..], Vec::as_slice);
        let slots = cand_slot.get(di).map_or(&[][..], Vec::as_slice);
        let mut spans = Vec::with_capacity(cands.len());
        for (ci, c) in cands.into_iter().enumerate() {
            let surface = &text[c.start..c.end];
            let (replacement, role) = match c.cat {
                Category::Naam => {
                    let eid = assigned.get(ci).copied().flatten();
                    match eid.and_then(|eid| Some((names.entities.get(eid)?, eid))) {
                        Some((e, eid)) => {
                            if let Some(set) = name_originals.get_mut(eid) {
                                insert_original(set, surface);
                            }
                            (e.pseudonym.clone(), Some(e.role))
                        }
                        None => ("[PERSOON]".to_string(), Some(Role::Overig)),
                    }
                }
                Category::Instelling | Category::Locatie | Category::Woonplaats => {
                    let ent = slots
                        .get(ci)
                        .and_then(|&s| slot_entity.get(s as usize))
                        .and_then(|&e| other_entities.get_mut(e as usize));
                    match ent {
                        Some((_, p, originals)) => {
                            insert_original(originals, surface);
                            (p.clone(), None)
                        }
                        None => (placeholder(c.cat).to_string(), None),
                    }
                }
                Category::Datum => (c.replacement.unwrap_or_else(|| "[DATUM]".into()), None),
                other => {
                    insert_original(fixed_originals.entry(other).or_default(), surface);
                    (placeholder(other).to_string(), None)
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
    for (e, originals) in names.entities.iter().zip(name_originals) {
        if originals.is_empty() {
            continue;
        }
        table.entities.push(Entity {
            pseudonym: e.pseudonym.clone(),
            category: Category::Naam,
            role: Some(e.role),
            originals: originals.into_iter().collect(),
        });
    }
    for (cat, pseudo, originals) in other_entities {
        if !originals.is_empty() {
            table.entities.push(Entity {
                pseudonym: pseudo,
                category: cat,
                role: None,
                originals: originals.into_iter().collect(),
            });
        }
    }
    for (cat, originals) in fixed_originals {
        table.entities.push(Entity {
            pseudonym: placeholder(cat).to_string(),
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
    // As `norm`, in one buffer.
    let mut n = String::with_capacity(surface.len());
    for w in surface.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'');
        if w.is_empty() {
            continue;
        }
        if !n.is_empty() {
            n.push(' ');
        }
        n.push_str(w);
    }
    let mut n = if n.is_ascii() {
        n.make_ascii_lowercase();
        n
    } else {
        n.to_lowercase()
    };
    let mut start = 0;
    if cat == Category::Instelling {
        while n.get(start..).is_some_and(|r| r.starts_with("stichting ")) {
            start += "stichting ".len();
        }
    }
    let mut end = n.len();
    while n.get(start..end).is_some_and(|r| r.ends_with("'s")) {
        end -= "'s".len();
    }
    n.truncate(end);
    n.drain(..start);
    n
}

/// Greedy overlap resolution: highest priority first, longer first, then earlier. A name that
/// runs into a stronger span keeps its part before it ("Anouk" of "Anouk van Huize X").
///
/// Candidates are big; they are ordered through their indexes (ties by index, which is what a
/// stable sort gives) and moved only to their final places.
///
/// `national`: whether an organisation's surface is a national body, for all documents of the
/// case (the same organisations recur in every document; the answer depends on the surface
/// only).
#[inline(never)]
fn select<'t>(
    text: &'t str,
    lex: &Lexicon,
    mut cands: Vec<Cand>,
    national: &mut FxHashMap<&'t str, bool>,
) -> Vec<Cand> {
    // Organisations that are national bodies ("Centrum Indicatiestelling Zorg") are not
    // providers; they stay in the text.
    cands.retain(|c| {
        if c.end <= c.start {
            return false;
        }
        if c.cat != Category::Instelling {
            return true;
        }
        let surface = &text[c.start..c.end];
        !*national
            .entry(surface)
            .or_insert_with(|| lex.is_national_body(surface))
    });
    let alive = merge_same_category(&mut cands);
    // Ties on priority, length and start go as they went when the merged candidates were a
    // list of their own in `merge_same_category`'s order: by category, then input order (two
    // such ties of one category are never organisations, places or residences, which would
    // have merged, so the end played no part).
    let order = sorted_order(
        &cands,
        |i| alive.get(i).copied().unwrap_or(false),
        |c| (Reverse(c.prio), Reverse(c.end - c.start), c.start, c.cat),
    );
    // The taken spans, by start (they never overlap): (start, end, candidate index).
    let mut occupied: Vec<(usize, usize, u32)> = Vec::with_capacity(cands.len());
    // Whether a taken span overlaps s..e: the last one starting before e ends after s.
    // Also where a span s..e that overlaps none goes: no taken span starts inside it, so its
    // place among those starting before s is that among those starting before e.
    let overlaps = |occ: &[(usize, usize, u32)], s: usize, e: usize| {
        let p = occ.partition_point(|o| o.0 < e);
        (p > 0 && occ.get(p - 1).is_some_and(|o| o.1 > s), p)
    };
    for i in order {
        let Some(c) = cands.get(i as usize) else {
            continue;
        };
        let (start, mut end) = (c.start, c.end);
        let (overlap, mut at) = overlaps(&occupied, start, end);
        if overlap {
            if c.cat != Category::Naam {
                continue;
            }
            // First taken span inside the candidate, if the candidate starts before it.
            let p = occupied.partition_point(|o| o.0 < start);
            let Some(&(ts, _, _)) = occupied.get(p).filter(|o| o.0 < end) else {
                continue;
            };
            let head = text[start..ts].trim_end();
            let head = trim_trailing_particles(head);
            if head.chars().filter(|ch| ch.is_alphabetic()).count() < 2 {
                continue;
            }
            end = start + head.len();
            let (overlap, p) = overlaps(&occupied, start, end);
            if overlap {
                continue;
            }
            at = p;
        }
        occupied.insert(at, (start, end, i));
    }
    let mut taken = Vec::with_capacity(occupied.len());
    for (_, end, i) in occupied {
        if let Some(slot) = cands.get_mut(i as usize) {
            let mut c = std::mem::replace(slot, Cand::new(0, 0, Category::Naam, 0, ""));
            c.end = end;
            taken.push(c);
        }
    }
    taken
}

/// The indexes of the candidates that `take` picks, in the order of `key`; ties by index, as
/// a stable sort gives.
///
/// `key` is at most two bytes and two offsets, as `select` and `merge_same_category` order by
/// them. With offsets below 2^40 (in texts shorter than a terabyte, always) key and index pack
/// into one `u128` whose order is the key's, and that sorts in far fewer instructions than the
/// tuples (two integer comparisons instead of a chain of them).
fn sorted_order<K: PackKey>(
    cands: &[Cand],
    take: impl Fn(usize) -> bool,
    key: impl Fn(&Cand) -> K,
) -> Vec<u32> {
    let picked = cands.iter().zip(0u32..).filter(|&(_, i)| take(i as usize));
    if cands.iter().all(|c| c.start.max(c.end) <= PACK_MAX) {
        let mut packed: Vec<u128> = picked
            .map(|(c, i)| key(c).pack() << 32 | u128::from(i))
            .collect();
        packed.sort_unstable();
        // The low 32 bits are the index.
        packed.into_iter().map(|k| k as u32).collect()
    } else {
        let mut keyed: Vec<(K, u32)> = picked.map(|(c, i)| (key(c), i)).collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|k| k.1).collect()
    }
}

/// A sort key of `sorted_order` that packs into 96 bits, in its own order, when its offsets
/// are at most [`PACK_MAX`].
trait PackKey: Ord {
    fn pack(&self) -> u128;
}

/// Largest offset that packs (40 bits; all of `usize` where that is narrower).
const PACK_MAX: usize = usize::MAX >> usize::BITS.saturating_sub(40);

/// `select`: higher priority, then longer, then earlier, then by category.
impl PackKey for (Reverse<u8>, Reverse<usize>, usize, Category) {
    fn pack(&self) -> u128 {
        let prio = u128::from(u8::MAX - (self.0).0);
        let len = (PACK_MAX - ((self.1).0 & PACK_MAX)) as u128;
        let start = (self.2 & PACK_MAX) as u128;
        let cat = u128::from(self.3 as u8);
        prio << 88 | len << 48 | start << 8 | cat
    }
}

/// `merge_same_category`: by category, start, then longest.
impl PackKey for (Category, usize, Reverse<usize>) {
    fn pack(&self) -> u128 {
        let cat = u128::from(self.0 as u8);
        let start = (self.1 & PACK_MAX) as u128;
        let end = (PACK_MAX - ((self.2).0 & PACK_MAX)) as u128;
        cat << 80 | start << 40 | end
    }
}

/// Overlapping detections of the same kind of entity are one mention: "Zorgcentrum" and
/// "De Noorderhaven" become "Zorgcentrum De Noorderhaven". The stronger one's evidence is kept.
///
/// Only organisations, places of residence and locations merge: they are taken by category,
/// start, longest first (ties in input order), and each that overlaps the one before it of its
/// category is merged into that one, in place. Returns which candidates are left (the others
/// were merged away).
fn merge_same_category(cands: &mut [Cand]) -> Vec<bool> {
    let mut alive = vec![true; cands.len()];
    let order = sorted_order(
        cands,
        |i| cands.get(i).is_some_and(|c| is_other_entity(c.cat)),
        |c| (c.cat, c.start, Reverse(c.end)),
    );
    let mut last: Option<usize> = None;
    for i in order {
        let i = i as usize;
        let Some(c) = cands.get(i) else {
            continue;
        };
        let (cat, start, end, prio, rule, anchor) =
            (c.cat, c.start, c.end, c.prio, c.rule, c.anchor);
        if let Some(last) = last.and_then(|l| cands.get_mut(l)) {
            if last.cat == cat && start < last.end {
                if end > last.end {
                    last.end = end;
                }
                if prio > last.prio {
                    last.prio = prio;
                    last.rule = rule;
                }
                last.anchor |= anchor;
                if let Some(a) = alive.get_mut(i) {
                    *a = false;
                }
                continue;
            }
        }
        last = Some(i);
    }
    alive
}

fn trim_trailing_particles(mut s: &str) -> &str {
    loop {
        let t = s.trim_end_matches(|c: char| c.is_whitespace() || c == '(' || c == ',' || c == '-');
        let idx = t.rfind(char::is_whitespace);
        let last = idx.map_or(t, |i| &t[i + 1..]);
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
            // (Particles alone are no name: nothing is left.)
            s = idx.map_or("", |i| &t[..i]);
        } else {
            return t;
        }
    }
}

/// What a variant of an anchor stands for: (category, role info, priority of the anchor it
/// came from).
type Variant = (Category, Option<NameInfo>, u8);

/// When two anchors yield the same variant, the stronger evidence decides (the higher
/// priority; on a tie, a fixed order of category and evidence), never the order in which the
/// anchors were met.
fn outranks(a: &Variant, b: &Variant) -> bool {
    let tie = |v: &Variant| (v.0, v.1.as_ref().map(|i| (i.role, i.client_label, i.title)));
    a.2 > b.2 || (a.2 == b.2 && tie(a) < tie(b))
}

/// The variants of the case's anchors (see `propagate`): variant text -> what it stands for.
/// The order of the variants does not matter: the phrase index orders each group itself.
#[inline(never)]
fn case_variants<'d>(
    lex: &Lexicon,
    docs: &'d [Document],
    works: &[DocWork],
    givens: &mut FxHashMap<String, Variant>,
) -> FxHashMap<Cow<'d, str>, Variant> {
    let anchors = works
        .iter()
        .map(|w| w.cands.iter().filter(|c| c.anchor).count())
        .sum::<usize>();
    let mut variants: FxHashMap<Cow<str>, Variant> =
        FxHashMap::with_capacity_and_hasher(anchors * 2, Default::default());
    /// Adds variant `v`; `keep` gives what the map keeps of it (the borrowed surface, or a
    /// copy of a scratch buffer), asked only when `v` is new and passes the checks: most
    /// variants of a case repeat, and a repeat costs no allocation.
    fn add_variant<'v>(
        lex: &Lexicon,
        v: &str,
        keep: impl FnOnce() -> Cow<'v, str>,
        new: Variant,
        variants: &mut FxHashMap<Cow<'v, str>, Variant>,
    ) {
        // A variant already there passed the checks below (they depend on its text only).
        if let Some(old) = variants.get_mut(v) {
            if outranks(&new, old) {
                *old = new;
            }
            return;
        }
        if v.chars().nth(1).is_none() {
            return;
        }
        // Lower case on the stack when short and ASCII: most variants are capitalised.
        let mut stack = [0u8; 64];
        let low: Cow<str> = match stack.get_mut(..v.len()) {
            Some(buf) if v.is_ascii() => {
                for (d, b) in buf.iter_mut().zip(v.bytes()) {
                    *d = b.to_ascii_lowercase();
                }
                match std::str::from_utf8(buf) {
                    Ok(l) => Cow::Borrowed(l),
                    Err(_) => super::tokens::lower_cow(v),
                }
            }
            _ if v.is_ascii() => super::tokens::lower_cow(v),
            _ => v.to_lowercase().into(),
        };
        // Never-redact terms, tussenvoegsels, roles and titles: one look-up for all four.
        let small = lex.small_flags(&low, crate::rules::word_hash(low.as_bytes()));
        if small & (wf::DOMAIN | wf::TV_LISTED | wf::ROLE | wf::TITLE) != 0 {
            return;
        }
        variants.insert(keep(), new);
    }
    /// A variant that is a part of the text.
    fn add_part<'v>(
        lex: &Lexicon,
        v: &'v str,
        new: Variant,
        variants: &mut FxHashMap<Cow<'v, str>, Variant>,
    ) {
        add_variant(lex, v, || Cow::Borrowed(v), new, variants);
    }
    /// A variant made in a scratch buffer (capitals, a possessive, particles joined).
    fn add_made<'v>(
        lex: &Lexicon,
        v: &str,
        new: Variant,
        variants: &mut FxHashMap<Cow<'v, str>, Variant>,
    ) {
        add_variant(lex, v, || Cow::Owned(v.to_string()), new, variants);
    }
    /// The pet forms of given name `given` that are no word and no term, as written and in
    /// lower case (chats write names so); with `strict` none that is a listed name either.
    fn add_pet_forms<'v>(
        lex: &Lexicon,
        given: &str,
        strict: bool,
        new: Variant,
        variants: &mut FxHashMap<Cow<'v, str>, Variant>,
    ) {
        use crate::rules::WordFlags as W;
        for pet in pet_forms(given) {
            let pl = pet.to_ascii_lowercase();
            let h = crate::rules::word_hash(pl.as_bytes());
            let on = lex.word_flags.get_hashed(&pl, h);
            // (A listed name is allowed for the forms that are pet forms only: "Tommy".)
            let own_name =
                (strict || pet.ends_with("ke")) && on & (W::FIRST_NAME | W::SURNAME) != 0;
            if on & W::WORD == 0 && !own_name && !lex.is_domain(&pl) {
                add_made(lex, &pet, new.clone(), variants);
                add_made(lex, &pl, new.clone(), variants);
            }
        }
    }
    /// `s` in capitals (`upper`) or in lower case into `buf`, as `str::to_uppercase` or
    /// `str::to_lowercase` give it (ASCII without their tables).
    fn case_into(buf: &mut String, s: &str, upper: bool) {
        buf.clear();
        match (s.is_ascii(), upper) {
            (true, true) => {
                buf.push_str(s);
                buf.make_ascii_uppercase();
            }
            (true, false) => {
                buf.push_str(s);
                buf.make_ascii_lowercase();
            }
            (false, true) => buf.push_str(&s.to_uppercase()),
            (false, false) => buf.push_str(&s.to_lowercase()),
        }
    }
    // The variants of an anchor depend only on its surface, category, evidence and priority:
    // a repeat adds nothing, so skip it.
    type AnchorKey<'s> = (
        &'s str,
        Category,
        Option<(Option<Role>, bool, Option<TitleKind>)>,
        u8,
    );
    let mut seen: rustc_hash::FxHashSet<AnchorKey> = Default::default();
    // Scratch buffers, reused for every anchor: a made variant, a lower-case word, the words
    // of a name.
    let mut buf = String::new();
    let mut low = String::new();
    let mut words: Vec<&str> = Vec::new();
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
                    let info = &c.info;
                    let new = || (Category::Naam, info.clone(), c.prio);
                    add_part(lex, surface, new(), &mut variants);
                    words.clear();
                    words.extend(surface.split_whitespace());
                    // Each capitalised part on its own, and the surname with its particles.
                    // A name written all in lower case ("semira tjoelker" in a mail header)
                    // has its words looked for as they are written.
                    let lower_name = !surface.chars().any(char::is_uppercase);
                    for (k, wd) in words.iter().enumerate() {
                        let wd = wd.trim_matches(|ch: char| ch == ',' || ch == '(' || ch == ')');
                        if wd.ends_with('.') {
                            continue;
                        }
                        case_into(&mut low, wd, false);
                        // The surname with its particles, from the first particle on (the
                        // particles are in lower case within a full name).
                        // (One surname after them, not a name of a place or provider that
                        // a name ran into: "Esra van Vincent van Gogh".)
                        let is_tv = lex.tussenvoegsels.contains(low.as_str());
                        let surname_after = || {
                            words
                                .iter()
                                .skip(k + 1)
                                .skip_while(|w| {
                                    w.chars().all(char::is_lowercase)
                                        && lex.tussenvoegsels.contains(**w)
                                })
                                .count()
                                == 1
                        };
                        let particle_start = is_tv
                            && k + 1 < words.len()
                            && surname_after()
                            && k.checked_sub(1).and_then(|p| words.get(p)).is_none_or(|p| {
                                !lex.tussenvoegsels.contains(p.to_lowercase().as_str())
                            });
                        if !(lower_name
                            || particle_start
                            || wd.chars().next().is_some_and(char::is_uppercase))
                        {
                            continue;
                        }
                        if is_tv {
                            if !particle_start && !wd.starts_with(char::is_uppercase) {
                                continue;
                            }
                            // "van der Wal" from "Gerda van der Wal", and "Van der Wal"
                            buf.clear();
                            for (n, part) in words.get(k..).unwrap_or_default().iter().enumerate() {
                                if n > 0 {
                                    buf.push(' ');
                                }
                                buf.push_str(part);
                            }
                            add_made(lex, &buf, new(), &mut variants);
                            // (An ASCII first letter only, as `str::get(0..1)` allows.)
                            if let Some(f) = buf.get_mut(0..1) {
                                f.make_ascii_uppercase();
                            }
                            add_made(lex, &buf, new(), &mut variants);
                            continue;
                        }
                        // A part that is an ordinary word ("Roos", "Winter") is only looked for
                        // on its own when the name was found by its context (title, label, role).
                        let from_context = info.as_ref().is_some_and(|i| {
                            i.role.is_some() || i.title.is_some() || i.client_label
                        });
                        use crate::rules::WordFlags as W;
                        let hash = crate::rules::word_hash(low.as_bytes());
                        // A given name that is a month ("Mei Tjin-A-Koeng", "April Sedney"),
                        // of a name found by its context: the name capitalised, where a month
                        // is written in lower case. (Never-redact terms are no variants
                        // otherwise, so it is added here, past that check.)
                        if lex.small_flags(&low, hash) & wf::CALENDAR != 0 {
                            if from_context && k == 0 && words.len() >= 2 && !lower_name {
                                let v = variants.entry(Cow::Owned(wd.to_string())).or_insert(new());
                                if outranks(&new(), v) {
                                    *v = new();
                                }
                            }
                            continue;
                        }
                        let on = lex.word_flags.get_hashed(&low, hash);
                        let is_place = on & W::PLACE != 0;
                        let ordinary = on & W::WORD != 0 || is_place;
                        let place_only = is_place && on & (W::FIRST_NAME | W::SURNAME) == 0;
                        // The given name of a full name ("Kik" of "Kik Oudejans") is a name
                        // wherever it stands capitalised, though also a (rare) word.
                        // A place that is also a given name stands for the person when the
                        // name goes on with an initial ("Wessel O.").
                        let initial_after = words.len() == 2
                            && words.get(1).is_some_and(|w| {
                                w.len() == 2
                                    && w.ends_with('.')
                                    && w.starts_with(char::is_uppercase)
                            });
                        let given_of_full = k == 0
                            && words.len() >= 2
                            && on & W::FIRST_NAME != 0
                            && (!is_place || initial_after);
                        if (ordinary && !from_context && !given_of_full) || place_only {
                            continue;
                        }
                        add_part(lex, wd, new(), &mut variants);
                        case_into(&mut buf, wd, true);
                        add_made(lex, &buf, new(), &mut variants);
                        // In lower case too ("reinout sliep slecht" in a chat) when that is
                        // no ordinary word: quick notes do not always capitalise names.
                        let lower_ok = on & W::WORD == 0
                            && (!is_place || on & W::FIRST_NAME != 0 && given_of_full);
                        if lower_ok && low.chars().nth(2).is_some() {
                            add_made(lex, &low, new(), &mut variants);
                        }
                        // The pet forms of a given name ("Siemie", "Jantje", "Tommy"): family
                        // and neighbours call a client by them in the same dossier.
                        // (Also of a given name alone after a role or a title: "Zus
                        // Tetske" is "Tets" in the next report.)
                        let given_alone = words.len() == 1
                            && from_context
                            && on & W::FIRST_NAME != 0
                            && !is_place;
                        if given_of_full || given_alone {
                            // (Its lower case, for notes that write names so: see
                            // `lower_case_mentions`. Not a word alone after a title, which
                            // is a surname: "mevrouw Winter".)
                            let titled = info.as_ref().is_some_and(|i| i.title.is_some());
                            if given_of_full || !titled {
                                match givens.get_mut(low.as_str()) {
                                    Some(old) if outranks(&new(), old) => *old = new(),
                                    Some(_) => {}
                                    None => {
                                        givens.insert(low.clone(), new());
                                    }
                                }
                            }
                            // The given name clipped ("Tjits" of "Tjitske Storm", "Tijm"),
                            // when the clipped form is no word and no name of its own.
                            for pre in clipped_forms(wd) {
                                let pl = pre.to_ascii_lowercase();
                                let h = crate::rules::word_hash(pl.as_bytes());
                                let listed = lex.word_flags.get_hashed(&pl, h)
                                    & (W::WORD | W::FIRST_NAME | W::SURNAME | W::PLACE);
                                if listed == 0 && !lex.is_domain(&pl) {
                                    add_made(lex, pre, new(), &mut variants);
                                }
                                // And its pet forms, "Thijmke" and "Thijmpie" of "Thijm", also
                                // of a clipped form that is a name of its own, but no pet form
                                // that is a listed name ("Annie" of "Anne" of "Annemarie").
                                add_pet_forms(lex, pre, true, new(), &mut variants);
                            }
                        }
                        if given_of_full || (words.len() == 1 && on & W::FIRST_NAME != 0) {
                            add_pet_forms(lex, wd, false, new(), &mut variants);
                        }
                        if wd.ends_with('s') {
                            continue;
                        }
                        // Possessive "Jans": for listed first names and names found by context
                        // even when "jans"-like forms are dictionary words.
                        let possessive_ok = from_context || on & W::FIRST_NAME != 0 || {
                            low.push('s');
                            !lex.is_word(&low)
                        };
                        if possessive_ok {
                            buf.clear();
                            buf.push_str(wd);
                            buf.push('s');
                            add_made(lex, &buf, new(), &mut variants);
                        }
                    }
                    if words.len() >= 2 {
                        case_into(&mut buf, surface, true);
                        add_made(lex, &buf, new(), &mut variants);
                    }
                    // The user name systems make of a given name and a surname, in exports
                    // and logs: "g.speelman" of "Gonnie Speelman".
                    if let [given, surname] = words.as_slice() {
                        let plain =
                            |w: &str| w.chars().count() >= 2 && w.chars().all(char::is_alphabetic);
                        if plain(given) && plain(surname) && surname.starts_with(char::is_uppercase)
                        {
                            buf.clear();
                            buf.extend(given.chars().take(1).flat_map(char::to_lowercase));
                            buf.push('.');
                            buf.push_str(&surname.to_lowercase());
                            add_made(lex, &buf, new(), &mut variants);
                        }
                    }
                    // The initials that sign notes and action points: "HtB" for "Hans ter
                    // Braak", "JvdB" for "Jolanda van den Berg".
                    if particle_initials(lex, &words, &mut buf) {
                        add_made(lex, &buf, new(), &mut variants);
                    }
                }
                Category::Instelling | Category::Locatie | Category::Woonplaats => {
                    let new = || (c.cat, None, c.prio);
                    add_part(lex, surface, new(), &mut variants);
                    case_into(&mut buf, surface, true);
                    add_made(lex, &buf, new(), &mut variants);
                    if c.cat == Category::Instelling {
                        let rest = surface.strip_prefix("Stichting ").unwrap_or(surface);
                        if rest.len() < surface.len() {
                            add_part(lex, rest, new(), &mut variants);
                        }
                        // "Sterkwater Zorg" -> also "Sterkwater" alone ("bereikbaarheidsdienst
                        // Sterkwater"): a name of one word before a word that says what kind
                        // of organisation it is.
                        // And "Fietsenwerkplaats Spaakwiel" -> "Spaakwiel": a kind of
                        // organisation before a name of one word.
                        if let Some((kind, name)) = rest.split_once(' ') {
                            low.clear();
                            low.push_str(&kind.to_lowercase());
                            if lex.is_org_kind(&low) && !name.contains(' ') && one_name_word(name) {
                                add_part(lex, name, new(), &mut variants);
                            }
                        }
                        if let Some((name, kind)) = rest.split_once(' ') {
                            if !kind.contains(' ') && one_name_word(name) {
                                low.clear();
                                low.push_str(&kind.to_lowercase());
                                if lex.org_suffix_word.contains(low.as_str()) {
                                    add_part(lex, name, new(), &mut variants);
                                    // And in capitals, as letterheads write it ("WÂLDPAAD
                                    // ECD - RAPPORTAGE").
                                    case_into(&mut buf, name, true);
                                    add_made(lex, &buf, new(), &mut variants);
                                }
                            }
                        }
                    }
                    if matches!(c.cat, Category::Locatie | Category::Instelling) {
                        // "woning De Vlinder" -> also "De Vlinder" alone, and the name without
                        // its article where the article is in lower case ("op de Vlinder");
                        // so too "ZML-school De Kwikstaart" ("naar de Kwikstaart").
                        for pre in ["De ", "Het ", "Huize "] {
                            if let Some(idx) = surface.find(pre) {
                                let named = &surface[idx..];
                                add_part(lex, named, new(), &mut variants);
                                if let Some(name) = named
                                    .strip_prefix(pre)
                                    .filter(|n| pre != "Huize " && one_name_word(n))
                                {
                                    add_part(lex, name, new(), &mut variants);
                                }
                            }
                        }
                    }
                }
                // An identifier read after its label ("Cliëntnummer: ESR 0077 1423") is the
                // same identifier where it stands without one ("R. Mahabier (ESR 0077 1423)").
                Category::Id => add_part(lex, surface, (Category::Id, None, c.prio), &mut variants),
                _ => {}
            }
        }
    }
    variants
}

/// A single capitalised word of four letters or more: a name on its own, short words in
/// capitals excepted (an abbreviation of the organisation is no part of its name).
fn one_name_word(w: &str) -> bool {
    w.chars().count() >= 4
        && w.starts_with(char::is_uppercase)
        && w.chars().skip(1).all(char::is_lowercase)
}

/// The clipped forms of a given name of six letters or more (ASCII): its first four letters
/// up to all but two ("Tjit", "Tjits" of "Tjitske").
fn clipped_forms(given: &str) -> impl Iterator<Item = &str> {
    let n = if given.is_ascii() && given.bytes().all(|b| b.is_ascii_alphabetic()) {
        given.len()
    } else {
        0
    };
    (4..n.saturating_sub(1)).filter_map(move |k| given.get(..k))
}

/// The pet forms Dutch makes of a given name: the diminutive ("Jantje", "Keesje", "Mieke"
/// is not made: it is a name of its own), the "-ie" and "-y" forms ("Siemie", "Tommy"), with
/// the last consonant doubled after a short vowel ("Tom" -> "Tommie"). Only for a given name
/// of ASCII letters that ends in a consonant and has three letters or more: other names make
/// their pet forms too irregularly to guess.
fn pet_forms(given: &str) -> Vec<String> {
    let b = given.as_bytes();
    let n = b.len();
    let is_vowel = |c: u8| matches!(c.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u');
    let (Some(&last), Some(&before)) = (b.last(), n.checked_sub(2).and_then(|i| b.get(i))) else {
        return Vec::new();
    };
    if n < 3
        || !b.iter().all(u8::is_ascii_alphabetic)
        || !given.starts_with(|c: char| c.is_ascii_uppercase())
        || is_vowel(last)
        || matches!(last, b'y' | b'w')
    {
        return Vec::new();
    }
    let mut out = vec![
        format!("{given}ie"),
        format!("{given}y"),
        format!("{given}je"),
        format!("{given}tje"),
    ];
    // One short vowel before the last consonant ("Tom", "Rob", not "Siem", "Kees").
    let short = is_vowel(before)
        && n.checked_sub(3)
            .and_then(|i| b.get(i))
            .is_some_and(|&c| !is_vowel(c));
    if short && !matches!(last, b'x' | b'h') {
        let doubled = format!("{given}{}", last as char);
        out.push(format!("{doubled}ie"));
        out.push(format!("{doubled}y"));
        out.push(format!("{doubled}etje"));
    }
    if last == b'm' {
        out.push(format!("{given}pje"));
        out.push(format!("{given}pie"));
    }
    // The southern diminutive ("Thijmke", "Driekske" of "Driek"): often a given name of its
    // own ("Janke"), which the caller leaves alone.
    out.push(format!("{given}ke"));
    out
}

/// The initials of a name with particles as staff sign with them ("HtB" of "Hans ter Braak",
/// "JvdB" of "Jolanda van den Berg"), into `buf`: the given name's first letter, each
/// particle's first letter in lower case and the surname's first letter. False (and `buf`
/// unspecified) when the name has no given name, no particle, or letters other than ASCII:
/// without a particle the letters ("PB") are too often an abbreviation of something else.
fn particle_initials(lex: &Lexicon, words: &[&str], buf: &mut String) -> bool {
    buf.clear();
    let [given, middle @ .., surname] = words else {
        return false;
    };
    let given_ok = given.len() >= 2
        && !given.ends_with('.')
        && given.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
        && given.starts_with(|c: char| c.is_ascii_uppercase());
    if !given_ok || middle.is_empty() || !surname.starts_with(|c: char| c.is_ascii_uppercase()) {
        return false;
    }
    buf.push(given.chars().next().unwrap_or('?'));
    for p in middle {
        let low = p.to_ascii_lowercase();
        let first = p.trim_start_matches(['\'', '’']).chars().next();
        match first {
            Some(c) if c.is_ascii_lowercase() && lex.tussenvoegsels.contains(low.as_str()) => {
                buf.push(c)
            }
            _ => return false,
        }
    }
    buf.push(surname.chars().next().unwrap_or('?'));
    true
}

/// Finds every mention of an anchored entity in all documents of the case: the surface forms,
/// their parts (first name, surname with tussenvoegsel), possessives and capitals.
#[inline(never)]
fn propagate(
    lex: &Lexicon,
    docs: &[Document],
    all_toks: &[Vec<Tok>],
    english: &[bool],
    works: &mut [DocWork],
    mail_orgs: &[String],
) {
    let mut givens = FxHashMap::default();
    let variants = case_variants(lex, docs, works, &mut givens);
    // Organisations known by their e-mail domain: the capitalised word(s) that spell it.
    let mut org_labels: Vec<&str> = mail_orgs.iter().map(String::as_str).collect();
    org_labels.sort_unstable();
    org_labels.dedup();
    if variants.is_empty() && org_labels.is_empty() {
        return;
    }
    // Every variant is looked for where a token starts, longest first (see `phrases`).
    // The phrases and their variants in one order: a match's phrase position is its variant's.
    let (phrases, found): (Vec<&str>, Vec<&Variant>) =
        variants.iter().map(|(k, v)| (&**k, v)).unzip();
    let index = super::phrases::PhraseIndex::new(phrases, false);
    let mut joined = String::new();
    for (di, (w, d)) in works.iter_mut().zip(docs).enumerate() {
        let text = &d.text;
        let toks: &[Tok] = all_toks.get(di).map_or(&[], Vec::as_slice);
        let matches = index.find(text, toks);
        w.cands.reserve(matches.len());
        // A name in lower case is no name in a text in English ("can" of "Can").
        let in_english = english.get(di).copied().unwrap_or(false);
        for (vi, start, end) in matches {
            if in_english
                && text
                    .get(start..end)
                    .is_some_and(|m| !m.chars().any(char::is_uppercase))
            {
                continue;
            }
            let Some(&(cat, info, _)) = found.get(vi) else {
                continue;
            };
            let prio = match cat {
                Category::Naam => 51,
                Category::Instelling => 56,
                Category::Locatie => 54,
                _ => 47,
            };
            let mut c = Cand::new(start, end, *cat, prio, PROPAGATION_RULE);
            c.info = info.clone();
            w.cands.push(c);
        }
        if !org_labels.is_empty() {
            mail_domain_orgs(toks, &org_labels, &mut joined, &mut w.cands);
        }
        if written_in_lower_case(toks) {
            lower_case_mentions(toks, &givens, &mut w.cands);
        }
    }
}

/// Whether a document is written as quick notes, where names go uncapitalised ("dat roos boos
/// was"): of its sentences (at least six), a third or more start in lower case. A sentence
/// starts after ".", "!" or "?" that ends a word of four letters or more (not after "mw." or
/// "o.a."), or on a line after a blank line or a line that ended a sentence (not on a line that
/// a scan or a narrow column wrapped).
fn written_in_lower_case(toks: &[Tok]) -> bool {
    use super::tokens::Kind;
    let (mut starts, mut lower) = (0usize, 0usize);
    // The last two tokens that were no line break, and the line breaks after them (two: a
    // blank line).
    let mut prev: Option<&Tok> = None;
    let mut before_prev: Option<&Tok> = None;
    let mut breaks = 0;
    // A sentence starts with a time or a date ("22:40  nassim ..."): its first word counts.
    let mut armed = false;
    for t in toks {
        if t.kind == Kind::Newline {
            breaks += 1;
            armed = false;
            continue;
        }
        let ends_sentence = prev.is_some_and(|p| {
            (p.is_punct(".") || p.is_punct("!") || p.is_punct("?"))
                && before_prev
                    .is_some_and(|w| w.kind == Kind::Word && w.text.chars().nth(3).is_some())
        });
        let start = match breaks {
            0 => ends_sentence,
            1 => ends_sentence || prev.is_none(),
            _ => true,
        };
        if t.kind == Kind::Word {
            if start || armed {
                starts += 1;
                lower += usize::from(t.text.starts_with(char::is_lowercase));
            }
            armed = false;
        } else {
            armed = (start || armed) && matches!(t.kind, Kind::Num | Kind::Punct);
        }
        before_prev = prev;
        prev = Some(t);
        breaks = 0;
    }
    starts >= 6 && lower * 3 >= starts
}

/// In a document of quick notes, a word in lower case that is the given name of a person of
/// the case (`givens`, in lower case: "roos" of "Roos Meulenberg"): that person, though the
/// word is also an ordinary word (which the variants in lower case leave out).
#[inline(never)]
fn lower_case_mentions(toks: &[Tok], givens: &FxHashMap<String, Variant>, cands: &mut Vec<Cand>) {
    use super::tokens::Kind;
    if givens.is_empty() {
        return;
    }
    for (k, t) in toks.iter().enumerate() {
        if t.kind != Kind::Word || t.text.len() < 3 || !t.text.chars().all(char::is_lowercase) {
            continue;
        }
        let Some((_, info, _)) = givens.get(&*t.low) else {
            continue;
        };
        // Not after an article or a pronoun: "in de winter", "ik hoop".
        let after_function_word = k.checked_sub(1).and_then(|p| toks.get(p)).is_some_and(|p| {
            p.kind == Kind::Word
                && matches!(
                    &*p.low,
                    "de" | "het"
                        | "een"
                        | "deze"
                        | "dit"
                        | "die"
                        | "elke"
                        | "iedere"
                        | "geen"
                        | "ik"
                        | "je"
                        | "jij"
                        | "we"
                        | "wij"
                        | "ze"
                        | "zij"
                        | "hij"
                        | "u"
                        | "men"
                )
        });
        if !after_function_word {
            let mut c = Cand::new(t.start, t.end, Category::Naam, 50, PROPAGATION_RULE);
            c.info = info.clone();
            cands.push(c);
        }
    }
}

/// Organisations known by their e-mail domain (`labels`: the domains' names): a capitalised
/// word and the tokens after it (four at most, on one line, no punctuation but '-' and '\'')
/// whose words and numbers, spaces removed, spell one; the shortest such run from each word.
#[inline(never)]
///
/// `labels` are sorted and distinct.
fn mail_domain_orgs(toks: &[Tok], labels: &[&str], joined: &mut String, cands: &mut Vec<Cand>) {
    use super::tokens::Kind;
    // The first bytes of the labels: a run starts with its capitalised word, so a word whose
    // lower case starts with none of them starts no label.
    let mut starts = [false; 256];
    for l in labels {
        if let Some(s) = l
            .as_bytes()
            .first()
            .and_then(|&b| starts.get_mut(usize::from(b)))
        {
            *s = true;
        }
    }
    for (i, first) in toks.iter().enumerate() {
        if !first.is_cap() {
            continue;
        }
        let b = first.low.as_bytes().first().copied();
        if !b.is_some_and(|b| starts.get(usize::from(b)).copied().unwrap_or(false)) {
            continue;
        }
        joined.clear();
        for t in toks.iter().skip(i).take(4) {
            if t.kind == Kind::Newline || (t.kind == Kind::Punct && t.text != "-" && t.text != "'")
            {
                break;
            }
            if t.kind == Kind::Word || t.kind == Kind::Num {
                joined.push_str(&t.low);
            }
            // The run is only added to from here: when no label starts with it, none will be
            // spelled (and most capitalised words start none). Labels are few: one per
            // domain of the case.
            if !labels.iter().any(|l| l.starts_with(joined.as_str())) {
                break;
            }
            if t.kind != Kind::Punct && labels.binary_search(&joined.as_str()).is_ok() {
                let mut c = Cand::new(
                    first.start,
                    t.end,
                    Category::Instelling,
                    56,
                    "org-mail-domain",
                );
                c.anchor = true;
                cands.push(c);
                break;
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
    /// Per document, per final candidate: the entity of a name.
    assign: Vec<Vec<Option<usize>>>,
    /// Gender evidence on the client from titles: (female, male).
    client_titles: (usize, usize),
}

struct Parsed {
    initials: Vec<char>,
    given: Vec<String>,
    surname: Option<String>,
}

/// A lower-case name word without its diacritics ("petrović" -> "petrovic", "mariëtte" ->
/// "mariette", "yıldırım" -> "yildirim"): dossiers spell one person's name both ways, as a
/// form or an e-mail drops the marks, and the keys of one person must be one.
fn fold_letters(low: String) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    if low.is_ascii() {
        return low;
    }
    low.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'ı' => 'i',
            'ł' => 'l',
            'ø' => 'o',
            'đ' => 'd',
            _ => c,
        })
        .collect()
}

fn parse_name(lex: &Lexicon, surface: &str) -> Parsed {
    // A user name of an initial and a surname ("g.speelman"): "G. Speelman".
    if let Some((i, sur)) = surface.split_once('.') {
        let mut ic = i.chars();
        if let (Some(c), None) = (ic.next(), ic.next()) {
            let user = c.is_lowercase()
                && sur.chars().count() >= 2
                && sur
                    .chars()
                    .all(|ch| ch.is_alphabetic() && ch.is_lowercase());
            if user {
                return Parsed {
                    initials: c.to_uppercase().collect(),
                    given: Vec::new(),
                    surname: Some(fold_letters(sur.to_string())),
                };
            }
        }
    }
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
    // Initials after the only word are the surname's ("Hamid B.", "Yonatan G. T."): the word is
    // the given name.
    let mut initials_after_word = false;
    for raw in surface.split_whitespace() {
        let w = raw.trim_matches(|c: char| c == ',' || c == '(' || c == ')');
        if w.contains('.') {
            let mut letters = w.chars().filter(|c| c.is_alphabetic());
            if letters.clone().all(char::is_uppercase) && letters.clone().count() <= 3 {
                initials_after_word |= !words.is_empty();
                initials.extend(letters.by_ref());
                continue;
            }
        }
        let low = fold_letters(w.to_lowercase());
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
    // Given names only ("Wiebe Jelmer" after "Voornamen"): every word a listed first name and
    // the last no listed surname.
    let flags = |w: &String| {
        lex.word_flags
            .get_hashed(w, crate::rules::word_hash(w.as_bytes()))
    };
    use crate::rules::WordFlags as W;
    let all_given = initials.is_empty()
        && words.len() >= 2
        && words.iter().all(|w| flags(w) & W::FIRST_NAME != 0)
        && words.last().is_some_and(|w| flags(w) & W::SURNAME == 0);
    let (given, surname) = if !surname_parts.is_empty() {
        (words, Some(join_words(tv.iter().chain(&surname_parts))))
    } else if all_given {
        (words, None)
    } else if words.len() >= 2 {
        let s = words.pop();
        (words, s)
    } else if initials_after_word && words.len() == 1 {
        (words, None)
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
    // Gather mentions; a surface is parsed once per case however often it is mentioned.
    struct Mention<'c> {
        di: usize,
        ci: usize,
        /// Index of the mention's surface in `parsed`.
        sid: usize,
        info: Option<&'c NameInfo>,
    }
    let mut mentions = Vec::new();
    let mut surface_ids: FxHashMap<&str, usize> = FxHashMap::default();
    let mut parsed: Vec<Parsed> = Vec::new();
    // The surface of each entry of `parsed`.
    let mut surfaces: Vec<&str> = Vec::new();
    for (di, (d, cands)) in docs.iter().zip(finals).enumerate() {
        for (ci, c) in cands.iter().enumerate() {
            if c.cat == Category::Naam {
                let surface = &d.text[c.start..c.end];
                let sid = *surface_ids.entry(surface).or_insert_with(|| {
                    parsed.push(parse_name(lex, surface));
                    surfaces.push(surface);
                    parsed.len() - 1
                });
                mentions.push(Mention {
                    di,
                    ci,
                    sid,
                    info: c.info.as_ref(),
                });
            }
        }
    }
    // Entities from full names (given + surname), keyed by given name and surname.
    let keys: Vec<String> = parsed
        .iter()
        .filter_map(|p| match (&p.surname, p.given.first()) {
            (Some(s), Some(g)) => Some(person_key(g, s)),
            _ => None,
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // The full names labelled as the client's somewhere in the case: a surname alone that
    // several of the full names share ("meneer Wisse" beside the client Reinout Wisse and his
    // father Joop Wisse) is the client's first, as dossiers speak of the client most.
    let labelled_keys: BTreeSet<String> = mentions
        .iter()
        .filter(|m| m.info.is_some_and(|i| i.client_label))
        .filter_map(|m| {
            let p = parsed.get(m.sid)?;
            Some(person_key(p.given.first()?, p.surname.as_ref()?))
        })
        .collect();
    // The surnames of the client's names labelled as such without a given name ("Cl.: Storm,
    // T.H."): such a surname alone is the client's before a relative's full name.
    let labelled_initials_surnames: BTreeSet<&str> = mentions
        .iter()
        .filter(|m| m.info.is_some_and(|i| i.client_label))
        .filter_map(|m| parsed.get(m.sid))
        .filter(|p| p.given.is_empty())
        .filter_map(|p| p.surname.as_deref())
        .collect();
    let strip_s = |w: &str, known: &dyn Fn(&str) -> bool| -> String {
        if !known(w) && w.ends_with('s') && known(&w[..w.len() - 1]) {
            w[..w.len() - 1].to_string()
        } else {
            w.to_string()
        }
    };
    // The initials that staff sign with ("HtB"), of the full names with particles, for the
    // person they stand for (none when two persons share them).
    let mut signed: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut words: Vec<&str> = Vec::new();
    let mut buf = String::new();
    for (p, surface) in parsed.iter().zip(&surfaces) {
        let (Some(s), Some(g)) = (&p.surname, p.given.first()) else {
            continue;
        };
        words.clear();
        words.extend(surface.split_whitespace());
        if particle_initials(lex, &words, &mut buf) {
            let k = person_key(g, s);
            signed
                .entry(buf.clone())
                .and_modify(|e| {
                    if e.as_deref() != Some(k.as_str()) {
                        *e = None;
                    }
                })
                .or_insert(Some(k));
        }
    }
    // The full names whose surname has particles, by the surname without them (few).
    let bare_keys: Vec<(&str, &String)> = keys
        .iter()
        .filter_map(|k| Some((bare_surname(lex, k)?, k)))
        .collect();
    // The key of each distinct surface (it depends on the surface only).
    let mut surface_key: Vec<String> = Vec::with_capacity(parsed.len());
    for (p, surface) in parsed.iter().zip(&surfaces) {
        let k = if let Some(Some(k)) = signed.get(*surface) {
            k.clone()
        } else if let (Some(s), Some(g)) = (&p.surname, p.given.first()) {
            person_key(g, s)
        } else if let Some(s) = &p.surname {
            // initials + surname, or title + surname
            let s_known = |w: &str| keys.iter().any(|k| key_surname_is(k, w));
            let s = strip_s(s, &s_known);
            let mut cands = keys.iter().filter(|k| key_surname_is(k, &s));
            let first = cands
                .clone()
                .find(|k| labelled_keys.contains(k.as_str()))
                .or_else(|| cands.clone().next());
            // The candidates whose given name starts with the first initial: the only one,
            // or whether there is none.
            let mut by_initial = cands.by_ref().filter(|k| {
                p.initials.first().is_some_and(|i| {
                    k.chars()
                        .next()
                        .is_some_and(|c| c.to_lowercase().eq(i.to_lowercase()))
                })
            });
            let one = by_initial.next();
            let only = one.filter(|_| by_initial.next().is_none());
            if let Some(only) = only {
                only.to_string()
            } else if let (Some(i), true) = (p.initials.first(), one.is_none()) {
                // "R. Brouwer" beside "Anouk Brouwer": a relative with another initial is
                // another person.
                let mut k = String::with_capacity(s.len() + 6);
                k.extend(i.to_lowercase());
                k.push_str(".|");
                k.push_str(&s);
                k
            } else if let Some(first) = one.or(first) {
                // (Several with the initial: the first of those, not of all with the surname.)
                first.to_string()
            } else {
                person_key("", &s)
            }
        } else if let Some(g) = p.given.first() {
            let g_known = |w: &str| {
                keys.iter().any(|k| key_given_is(k, w)) || keys.iter().any(|k| key_surname_is(k, w))
            };
            let g = strip_s(g, &g_known);
            let mut by_given = keys.iter().filter(|k| key_given_is(k, &g));
            let first_given = by_given.next();
            let more_given = first_given.is_some() && by_given.next().is_some();
            let labelled_full = keys
                .iter()
                .any(|k| key_surname_is(k, &g) && labelled_keys.contains(k.as_str()));
            if let (Some(only), false) = (first_given, more_given) {
                only.to_string()
            } else if first_given.is_none()
                && !labelled_full
                && labelled_initials_surnames.contains(g.as_str())
            {
                // Settled below, among all the keys with this surname.
                person_key(&g, "")
            } else if let (None, Some(sur)) = (
                first_given,
                keys.iter()
                    .find(|k| key_surname_is(k, &g) && labelled_keys.contains(k.as_str()))
                    .or_else(|| keys.iter().find(|k| key_surname_is(k, &g)))
                    // The surname without its particles: "Van Wijlen" at a sentence's start
                    // leaves "Wijlen" of "Stefan van Wijlen".
                    .or_else(|| {
                        bare_keys
                            .iter()
                            .find(|(b, k)| *b == g && labelled_keys.contains(k.as_str()))
                            .map(|(_, k)| *k)
                    })
                    .or_else(|| bare_keys.iter().find(|(b, _)| *b == g).map(|(_, k)| *k)),
            ) {
                sur.to_string()
            } else if let Some(f) = first_given {
                f.to_string()
            } else if let Some(full) = shortened_given(lex, &keys, &g) {
                full.to_string()
            } else if let Some(full) = pet_form_of(&keys, &g) {
                full.to_string()
            } else {
                person_key(&g, "")
            }
        } else if !p.initials.is_empty() {
            // Initials alone ("A.H.R.", "M.K."): a person of their own, one per set of
            // initials (not one for all of them).
            let mut k: String = p.initials.iter().flat_map(|c| c.to_lowercase()).collect();
            k.push_str(".|");
            k
        } else {
            String::from("?|")
        };
        surface_key.push(k);
    }
    // A nickname in brackets after a full name ("Naam: Petrović, Nikola (roepnaam Niko)") is
    // that person's, wherever it recurs, when it is no given name of a full name of the case.
    for (n, m) in mentions.iter().enumerate() {
        let nickname = finals
            .get(m.di)
            .and_then(|c| c.get(m.ci))
            .is_some_and(|c| c.rule == NICKNAME_RULE);
        let Some(prev) = n.checked_sub(1).and_then(|p| mentions.get(p)) else {
            continue;
        };
        if !nickname || prev.di != m.di {
            continue;
        }
        let (Some(own), Some(name)) = (surface_key.get(m.sid), surface_key.get(prev.sid)) else {
            continue;
        };
        let full = name
            .split_once('|')
            .is_some_and(|(g, s)| !g.is_empty() && !s.is_empty());
        if own.ends_with('|') && full {
            let name = name.clone();
            if let Some(k) = surface_key.get_mut(m.sid) {
                *k = name;
            }
        }
    }
    // A clipped given name alone ("Sjouk") beside the one given name alone that it clips
    // ("Zus Sjoukje"): the same person, as `shortened_given` links it to a full name.
    let lone_given = |k: &str| {
        k.strip_suffix('|')
            .filter(|g| !g.is_empty() && g.chars().all(char::is_alphabetic))
            .map(str::to_string)
    };
    let lone: BTreeSet<String> = surface_key.iter().filter_map(|k| lone_given(k)).collect();
    for k in surface_key.iter_mut() {
        let Some(g) = lone_given(k) else { continue };
        let listed = lex
            .word_flags
            .get_hashed(&g, crate::rules::word_hash(g.as_bytes()))
            & crate::rules::WordFlags::FIRST_NAME
            != 0;
        if g.chars().count() < 4 || listed {
            continue;
        }
        let mut longer = lone
            .iter()
            .filter(|h| h.len() >= g.len() + 2 && h.starts_with(g.as_str()));
        if let (Some(h), None) = (longer.next(), longer.next()) {
            *k = person_key(h, "");
        }
    }
    // A single word that is the surname of a person known by initials ("mevrouw Westerbeek" beside
    // "G. Westerbeek") is that person: the most mentioned such key wins, ties by key order.
    let mut per_surface = vec![0usize; parsed.len()];
    for m in &mentions {
        if let Some(n) = per_surface.get_mut(m.sid) {
            *n += 1;
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, &n) in surface_key.iter().zip(&per_surface) {
        if n > 0 {
            *counts.entry(k.as_str()).or_default() += n;
        }
    }
    // (The client's name labelled as such goes first: "Storm" beside the client "Storm, T.H."
    // and her father "Jelle Storm" is the client's, as dossiers speak of the client most.)
    let labelled_surface_keys: BTreeSet<&str> = mentions
        .iter()
        .filter(|m| m.info.is_some_and(|i| i.client_label))
        .filter_map(|m| surface_key.get(m.sid).map(String::as_str))
        .collect();
    let remap: BTreeMap<&str, &str> = counts
        .keys()
        .filter_map(|k| k.strip_suffix('|').map(|w| (*k, w)))
        .filter_map(|(k, w)| {
            counts
                .iter()
                .filter(|(other, _)| key_surname_is(other, w) && **other != k)
                .max_by(|a, b| {
                    let la = labelled_surface_keys.contains(a.0);
                    let lb = labelled_surface_keys.contains(b.0);
                    la.cmp(&lb).then(a.1.cmp(b.1)).then(b.0.cmp(a.0))
                })
                .map(|(other, _)| (k, *other))
        })
        .collect();
    let final_key: Vec<&str> = surface_key
        .iter()
        .map(|k| remap.get(k.as_str()).copied().unwrap_or(k.as_str()))
        .collect();
    // (A mention found by propagation carries the context of the mention it was made from,
    // not its own: for telling relatives apart it has none.)
    let view: Vec<(usize, Option<&NameInfo>)> = mentions
        .iter()
        .map(|m| {
            let propagated = finals
                .get(m.di)
                .and_then(|c| c.get(m.ci))
                .is_some_and(|c| c.rule == PROPAGATION_RULE);
            (m.sid, if propagated { None } else { m.info })
        })
        .collect();
    let mut mention_key = relatives_apart(&view, &parsed, &final_key);
    let infos: Vec<Option<&NameInfo>> = mentions.iter().map(|m| m.info).collect();
    // A lone surname of the client with the title of the other gender is a relative
    // ("Mevrouw De Vries belde" in the dossier of Jan de Vries).
    let first = choose_client(&gather_evidence(&infos, &mention_key));
    if let Some(client) = first.map(str::to_string) {
        if let Some(other) = client_gender(docs, &view, &parsed, &mention_key, &client) {
            let split = format!("{client}#{other}");
            for (k, &(sid, info)) in mention_key.iter_mut().zip(&view) {
                let lone = parsed.get(sid).is_some_and(|p| lone_surname(p, k));
                if **k == *client && lone && title_code(info) == other {
                    *k = Cow::Owned(split.clone());
                }
            }
        }
    }
    // Collect entities (including single-part ones), count evidence.
    let all = gather_evidence(&infos, &mention_key);
    let client_key = choose_client(&all);
    // Single first-name entities that equal the client's first name are the client.
    let client_given = client_key
        .and_then(|k| k.split('|').next())
        .filter(|g| !g.is_empty());
    let client_surname = client_key
        .and_then(|k| k.split_once('|'))
        .map(|(_, s)| s)
        .filter(|s| !s.is_empty());
    let mut entities = Vec::with_capacity(all.len());
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut used: BTreeSet<u64> = BTreeSet::new();
    let mut client_titles = (0, 0);
    for (&k, ev) in &all {
        let (roles, titles) = (&ev.roles, ev.titles);
        // Another person labelled as the client (more often than given another role) with the
        // client's surname is the client by another name: the official names ("Naam:
        // Hoogland, Henrica Maria") beside the name in daily use ("Cliënt: Jet Hoogland").
        // So is a given name alone that is labelled as the client's ("Roepnaam: Meri").
        let labelled = ev.client_labels > roles.values().sum::<usize>();
        let is_client = Some(k) == client_key
            || client_given.is_some_and(|g| k.strip_suffix('|') == Some(g))
            || (labelled && client_surname.is_some_and(|s| key_surname_is(k, s)))
            || (labelled && client_key.is_some() && k.ends_with('|') && !k.contains('#'));
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
                // Without evidence: a person keyed apart as a relative of someone with the
                // surname, or another person with the client's surname, is family; anyone
                // else named in a dossier is most often a professional.
                .unwrap_or(
                    if k.contains('#') || client_surname.is_some_and(|s| key_surname_is(k, s)) {
                        Role::Naaste
                    } else {
                        Role::Zorgverlener
                    },
                )
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
            pseudonym(prefix, code, 4)
        };
        index.insert(k, entities.len());
        entities.push(NameEntity { role, pseudonym });
    }
    let mut assign: Vec<Vec<Option<usize>>> = finals.iter().map(|c| vec![None; c.len()]).collect();
    for (m, k) in mentions.iter().zip(&mention_key) {
        if let Some(slot) = assign.get_mut(m.di).and_then(|a| a.get_mut(m.ci)) {
            *slot = index.get(&**k).copied();
        }
    }
    Names {
        entities,
        assign,
        client_titles,
    }
}

/// Whether a parsed name is a surname alone (with or without a title) of the person with
/// key `k`: "Pranger", "Van Oostveen".
fn lone_surname(p: &Parsed, k: &str) -> bool {
    p.initials.is_empty()
        && match (&p.surname, p.given.as_slice()) {
            (Some(_), []) => true,
            (None, [g]) => key_surname_is(k, g) && !key_given_is(k, g),
            _ => false,
        }
}

/// A title as one character: 'v' (mevrouw), 'm' (de heer), '-' (none, or neutral).
fn title_code(info: Option<&NameInfo>) -> char {
    match info.and_then(|i| i.title) {
        Some(TitleKind::Female) => 'v',
        Some(TitleKind::Male) => 'm',
        _ => '-',
    }
}

/// The evidence on each entity from its mentions (their context, and their key).
fn gather_evidence<'k>(
    infos: &[Option<&NameInfo>],
    keys: &'k [Cow<'_, str>],
) -> BTreeMap<&'k str, Evidence> {
    let mut all: BTreeMap<&str, Evidence> = BTreeMap::new();
    for (info, k) in infos.iter().zip(keys) {
        let e = all.entry(&**k).or_default();
        e.count += 1;
        if let Some(info) = info {
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
    all
}

/// The client: labelled as such most often, else the most mentioned name without a role.
fn choose_client<'k>(all: &BTreeMap<&'k str, Evidence>) -> Option<&'k str> {
    // (A labelled name with a surname before a labelled given name alone: "Cliënt: Jan de
    // Vries" and "Roepnaam: Jantje" are one person, known by the full name.)
    let full = |k: &str| !k.ends_with('|');
    all.iter()
        .filter(|(_, v)| v.client_labels > 0)
        .max_by(|a, b| {
            full(a.0)
                .cmp(&full(b.0))
                .then(a.1.client_labels.cmp(&b.1.client_labels))
                .then(a.1.count.cmp(&b.1.count))
                .then(b.0.cmp(a.0))
        })
        .or_else(|| {
            all.iter()
                .filter(|(_, v)| v.roles.is_empty())
                .max_by(|a, b| a.1.count.cmp(&b.1.count).then(b.0.cmp(a.0)))
        })
        .map(|(k, _)| *k)
}

/// The title code ([`title_code`]) of the gender the client is not, when the dossier says
/// the client's gender: a "Geslacht:" line, else the titles of the client's own mentions
/// (not a surname alone, which a parent shares, and not propagated), all of one gender.
fn client_gender(
    docs: &[Document],
    view: &[(usize, Option<&NameInfo>)],
    parsed: &[Parsed],
    keys: &[Cow<'_, str>],
    client: &str,
) -> Option<char> {
    let mut said = BTreeSet::new();
    for d in docs {
        for v in gender_values(&d.text) {
            match v.trim().to_lowercase().as_str() {
                "vrouw" | "v" | "vrouwelijk" => said.insert('v'),
                "man" | "m" | "mannelijk" => said.insert('m'),
                _ => false,
            };
        }
    }
    let gender = if said.len() == 1 {
        said.first().copied()
    } else if said.is_empty() {
        let mut titles = BTreeSet::new();
        for (k, &(sid, info)) in keys.iter().zip(view) {
            let lone = parsed.get(sid).is_some_and(|p| lone_surname(p, k));
            if **k == *client && !lone && title_code(info) != '-' {
                titles.insert(title_code(info));
            }
        }
        (titles.len() == 1)
            .then(|| titles.first().copied())
            .flatten()
    } else {
        None
    }?;
    Some(if gender == 'v' { 'm' } else { 'v' })
}

/// The entity key of each mention `(surface id, context)`: its surface's key in `final_key`,
/// except for relatives who share a surname with the person the surname names.
///
/// A surname alone ("mevrouw Pranger", "De Vries") is keyed by the surname, so it joins the
/// person with that surname: usually right, but a client's parents often share the client's
/// surname ("zijn moeder, mevrouw De Vries"). A lone surname whose context gives it a role
/// that the person's other mentions do not give the person (the client, by label or by
/// role) is another person: keyed apart by the surname and the title, and the other lone
/// mentions of the surname with that title follow ("Mevrouw De Vries belde"); untitled ones
/// without a role of their own stay with the person ("De Vries zelf zegt niets").
fn relatives_apart<'k>(
    mentions: &[(usize, Option<&NameInfo>)],
    parsed: &[Parsed],
    final_key: &[&'k str],
) -> Vec<Cow<'k, str>> {
    let key_of = |sid: usize| final_key.get(sid).copied().unwrap_or("?|");
    // (Asked of every mention several times; a surface's answers depend on the surface only.)
    let lone_of: Vec<bool> = parsed
        .iter()
        .enumerate()
        .map(|(sid, p)| lone_surname(p, key_of(sid)))
        .collect();
    // An unknown surname alone is keyed as a given name ("tuinman|").
    let one_word_of: Vec<bool> = parsed
        .iter()
        .enumerate()
        .map(|(sid, p)| {
            let k = key_of(sid);
            p.initials.is_empty()
                && p.surname.is_none()
                && matches!(p.given.as_slice(), [g] if k.strip_suffix('|') == Some(g.as_str()))
        })
        .collect();
    let lone = |sid: usize| lone_of.get(sid).copied().unwrap_or(false);
    let one_word = |sid: usize| one_word_of.get(sid).copied().unwrap_or(false);
    // What the other mentions say about each person: client labels and roles.
    let mut own: BTreeMap<&str, (usize, BTreeMap<Role, usize>)> = BTreeMap::new();
    for &(sid, info) in mentions {
        if lone(sid) {
            continue;
        }
        let e = own.entry(key_of(sid)).or_default();
        if let Some(info) = info {
            e.0 += usize::from(info.client_label);
            if let Some(r) = info.role {
                *e.1.entry(r).or_default() += 1;
            }
        }
    }
    let own_role = |k: &str| {
        own.get(k).map(|(labels, roles)| {
            if *labels > 0 {
                Some(Role::Client)
            } else {
                roles
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(r, _)| *r)
            }
        })
    };
    // The relatives: (person key, title) of a lone surname with a role the person lacks.
    let mut apart: BTreeMap<(&str, char), String> = BTreeMap::new();
    for &(sid, info) in mentions {
        let Some(r) = info.and_then(|i| i.role).filter(|r| *r != Role::Client) else {
            continue;
        };
        let k = key_of(sid);
        if lone(sid) && own_role(k).is_some_and(|o| o != Some(r)) {
            let t = title_code(info);
            apart.entry((k, t)).or_insert_with(|| format!("{k}#{t}"));
        }
    }
    // A surname known only alone, with "mevrouw" and with "de heer": two persons ("mevr.
    // Tuinman (moeder), de heer Tuinman (vader)").
    let named_in_full: BTreeSet<&str> = mentions
        .iter()
        .filter(|(sid, _)| !lone(*sid) && !one_word(*sid))
        .map(|(sid, _)| key_of(*sid))
        .collect();
    let mut lone_titles: BTreeMap<&str, BTreeSet<char>> = BTreeMap::new();
    for &(sid, info) in mentions {
        let k = key_of(sid);
        if (lone(sid) || one_word(sid)) && !named_in_full.contains(k) && title_code(info) != '-' {
            lone_titles.entry(k).or_default().insert(title_code(info));
        }
    }
    for (k, titles) in lone_titles {
        if titles.len() == 2 {
            for t in titles {
                apart.entry((k, t)).or_insert_with(|| format!("{k}#{t}"));
            }
        }
    }
    // A relative named once with a title and once without ("zijn moeder, mevrouw De Vries";
    // "moeder De Vries") is one relative when the title names only one.
    let titled: Vec<(&str, String)> = apart
        .iter()
        .filter(|((_, t), _)| *t != '-')
        .map(|((k, _), split)| (*k, split.clone()))
        .collect();
    for (k, split) in &titled {
        if titled.iter().filter(|(other, _)| other == k).count() == 1 {
            if let Some(untitled) = apart.get_mut(&(*k, '-')) {
                untitled.clone_from(split);
            }
        }
    }
    mentions
        .iter()
        .map(|&(sid, info)| {
            let k = key_of(sid);
            let has_role = info.is_some_and(|i| i.role.is_some_and(|r| r != Role::Client));
            let t = title_code(info);
            match apart.get(&(k, t)) {
                Some(split) if (lone(sid) || one_word(sid)) && (has_role || t != '-') => {
                    Cow::Owned(split.clone())
                }
                _ => Cow::Borrowed(k),
            }
        })
        .collect()
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
        for v in gender_values(&d.text) {
            let v = v.to_lowercase();
            let v = v.trim();
            geslacht = match v {
                "vrouw" | "v" | "vrouwelijk" => Some("vrouw".to_string()),
                "man" | "m" | "mannelijk" => Some("man".to_string()),
                "" => geslacht,
                _ => Some("anders".to_string()),
            };
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

/// The values of the lines of `text` that start with "Geslacht:" (in any case of its ASCII
/// letters, after whitespace), in text order: what is after the colon up to the line break.
///
/// The same as taking every line (`str::lines`), trimming it and comparing its first nine
/// bytes, but found from the colons: a line of the label has one right after "geslacht", and
/// most lines have none, so the text is not walked line by line. (The value is lower-cased
/// and trimmed by the caller; trimming the line's end first changes nothing then, and a
/// carriage return before the line break is whitespace.)
fn gender_values(text: &str) -> impl Iterator<Item = &str> {
    const LABEL: &[u8] = b"geslacht";
    let bytes = text.as_bytes();
    text.match_indices(':').filter_map(move |(colon, _)| {
        let at = colon.checked_sub(LABEL.len())?;
        if !bytes.get(at..colon)?.eq_ignore_ascii_case(LABEL) {
            return None;
        }
        // The label's first byte is ASCII, so `at` is a character boundary.
        let head = text.get(..at)?;
        let line_start = head.rfind('\n').map_or(0, |n| n + 1);
        if !head.get(line_start..)?.chars().all(char::is_whitespace) {
            return None;
        }
        let rest = text.get(colon + 1..)?;
        Some(rest.split('\n').next().unwrap_or(rest))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pet_and_clipped_forms_of_given_names() {
        let pets = pet_forms("Siem");
        assert!(pets.iter().any(|p| p == "Siemie"), "{pets:?}");
        assert!(!pets.iter().any(|p| p == "Siemmie"), "{pets:?}");
        let pets = pet_forms("Tom");
        assert!(pets.iter().any(|p| p == "Tommie") && pets.iter().any(|p| p == "Tommy"));
        // A name ending in a vowel or of other letters makes its pet forms irregularly.
        assert!(pet_forms("Anna").is_empty() && pet_forms("Zoë").is_empty());
        assert_eq!(
            clipped_forms("Tjitske").collect::<Vec<_>>(),
            ["Tjit", "Tjits"]
        );
        assert_eq!(clipped_forms("Tijmen").collect::<Vec<_>>(), ["Tijm"]);
        assert_eq!(clipped_forms("Sanne").count(), 0);
        assert_eq!(clipped_forms("Jiménez").count(), 0);
    }

    /// The entity key as it was first written: normalise, then strip the prefix and the
    /// possessive.
    fn entity_key_reference(cat: Category, surface: &str) -> String {
        let n = surface
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\''))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let n = if cat == Category::Instelling {
            n.trim_start_matches("stichting ").to_string()
        } else {
            n
        };
        n.trim_end_matches("'s").to_string()
    }

    #[test]
    fn entity_key_matches_reference() {
        let surfaces = [
            "Stichting Zorg Oost",
            "stichting Stichting De Es's's",
            "  (Huize  De Zandloper), ",
            "'s-Hertogenbosch",
            "ZORGGROEP ÉÉN ΟΔΟΣ",
            "Stichting 's",
            "X.'s",
            "",
            "...",
            "Zorg\tOost\n's",
        ];
        for s in surfaces {
            for cat in [
                Category::Instelling,
                Category::Locatie,
                Category::Woonplaats,
            ] {
                assert_eq!(
                    entity_key_other(cat, s),
                    entity_key_reference(cat, s),
                    "{s:?}"
                );
            }
        }
    }

    #[test]
    fn pseudonyms_and_keys_as_format_made_them() {
        for code in [
            0,
            7,
            42,
            999,
            1_000,
            9_999,
            10_000,
            123_456,
            999_999,
            u64::MAX,
        ] {
            assert_eq!(pseudonym("NAASTE", code, 4), format!("[NAASTE-{code:04}]"));
            assert_eq!(
                pseudonym("INSTELLING", code, 6),
                format!("[INSTELLING-{code:06}]")
            );
        }
        assert_eq!(person_key("anouk", "de vries"), "anouk|de vries");
        assert_eq!(person_key("", "x"), "|x");
        let tv = ["van".to_string(), "der".to_string()];
        let parts = [String::new(), "wal".to_string()];
        assert_eq!(
            join_words(tv.iter().chain(&parts)),
            format!("{} {}", tv.join(" "), parts.join(" "))
        );
    }

    #[test]
    fn placeholders_are_the_category_names() {
        for cat in Category::ALL {
            assert_eq!(placeholder(cat), format!("[{}]", cat.as_str()));
        }
    }
}
