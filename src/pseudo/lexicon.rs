//! The rule data the detectors consult, loaded once from the embedded `redaction-rules/`:
//! name, place and provider lists, ordinary Dutch words, never-redact terms and the context
//! words of `context.toml`. Owns parsing and normalising rule files; holds no document data.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::Deserialize;

use super::{PseudoError, Role};
use crate::rules::{self, PrefixFilter, SortedList};

#[derive(Debug, Deserialize, Default)]
struct ContextFile {
    titles: Titles,
    roles: Roles,
    labels: Labels,
    places: Places,
    organisations: Organisations,
    not_names: NotNames,
    urls: Urls,
    addresses: Addresses,
    national_bodies: NationalBodies,
    #[serde(default)]
    signatures: Signatures,
}

#[derive(Debug, Deserialize, Default)]
struct Signatures {
    #[serde(default)]
    initials_labels: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
struct NationalBodies {
    names: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
struct Titles {
    female: Vec<String>,
    male: Vec<String>,
    neutral: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
struct Roles {
    naaste: Vec<String>,
    zorgverlener: Vec<String>,
    overig: Vec<String>,
    #[serde(default)]
    care_titles: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
struct Labels {
    client_name: Vec<String>,
    person: Vec<String>,
    birth_date: Vec<String>,
    id: Vec<String>,
    bsn: Vec<String>,
    address: Vec<String>,
    place: Vec<String>,
    phone: Vec<String>,
    provider: Vec<String>,
    location: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
struct Places {
    before: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
struct Organisations {
    prefix: Vec<String>,
    suffix_word: Vec<String>,
    glued_suffix: Vec<String>,
    #[serde(default)]
    kind_before: Vec<String>,
    #[serde(default)]
    kind_head: Vec<String>,
    #[serde(default)]
    region_after: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
struct NotNames {
    words: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
struct Urls {
    keep_domains: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
struct Addresses {
    street_suffixes: Vec<String>,
    street_words: Vec<String>,
}

/// What kind of form label starts a line ("Naam:", "BSN:", ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    ClientName,
    Person,
    BirthDate,
    Id,
    Bsn,
    Address,
    Place,
    Phone,
    Provider,
    Location,
}

/// Title before a name, with the gender it implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TitleKind {
    Female,
    Male,
    Neutral,
}

/// What the small context sets say about one lower-case word, as bits (see
/// [`Lexicon::small_flags`]).
pub mod wf {
    /// `Lexicon::is_domain`.
    pub const DOMAIN: u16 = 1 << 2;
    /// In the tussenvoegsel list as written.
    pub const TV_LISTED: u16 = 1 << 3;
    pub const TITLE: u16 = 1 << 4;
    pub const ROLE: u16 = 1 << 5;
    pub const ORG_PREFIX: u16 = 1 << 6;
    pub const ORG_SUFFIX: u16 = 1 << 7;
    pub const CALENDAR: u16 = 1 << 8;
}

/// A set of word endings, grouped by their last byte: a word is compared only with the endings
/// that end in its own last byte (about a tenth of them), not with every one. (The address
/// rule asks at every word before a number whether it ends like a street, of a hundred
/// endings.)
#[derive(Debug, Default)]
pub struct SuffixSet {
    /// Per last byte, the endings that end in it.
    by_last: Vec<Vec<String>>,
    /// An empty ending was given (it ends every word).
    empty: bool,
}

impl SuffixSet {
    pub fn new(endings: impl IntoIterator<Item = String>) -> SuffixSet {
        let mut set = SuffixSet {
            by_last: vec![Vec::new(); 256],
            empty: false,
        };
        for e in endings {
            match e.as_bytes().last() {
                Some(&b) => {
                    if let Some(bucket) = set.by_last.get_mut(usize::from(b)) {
                        if !bucket.contains(&e) {
                            bucket.push(e);
                        }
                    }
                }
                None => set.empty = true,
            }
        }
        set
    }

    /// Whether `word` ends in one of the endings with at least `min_before` bytes before it.
    pub fn ends(&self, word: &str, min_before: usize) -> bool {
        if self.empty && word.len() >= min_before {
            return true;
        }
        let Some(&last) = word.as_bytes().last() else {
            return false;
        };
        self.by_last.get(usize::from(last)).is_some_and(|bucket| {
            bucket
                .iter()
                .any(|e| word.len() >= e.len() + min_before && word.ends_with(e.as_str()))
        })
    }
}

/// All rule data, normalised to lower case where matching is case-insensitive.
pub struct Lexicon {
    pub places: SortedList,
    /// `places` for "does a longer place begin with this?", asked at every capitalised word.
    pub place_prefixes: PrefixFilter,
    pub words: SortedList,
    /// The first names, surnames, `places` and `words` in one table: which of them a word is on,
    /// in one look-up.
    pub word_flags: rules::WordFlags,
    pub domain: HashSet<String>,
    pub providers: Vec<String>,
    pub tussenvoegsels: HashSet<String>,
    pub titles: HashMap<String, TitleKind>,
    /// The titles written with a final dot ("mevr.", "dhr."), keyed without it: the dot is a
    /// token of its own in a text.
    pub title_abbrevs: HashMap<String, TitleKind>,
    pub roles: HashMap<String, Role>,
    /// Role words that, capitalised before a name without a possessive, are a care worker's
    /// title ("Zuster Jansen"; "zijn zuster Anna" keeps the role of the word).
    pub care_titles: HashSet<String>,
    /// The last token (lower case) of every role phrase: a role can only end on one of these,
    /// which rules out almost every word before a name at the cost of one look-up.
    pub role_ends: HashSet<String>,
    pub labels: HashMap<String, LabelKind>,
    pub place_before: HashSet<String>,
    pub org_prefix: HashSet<String>,
    /// Full names of national bodies, lower case.
    pub national_bodies: Vec<String>,
    /// Provider names that are also ordinary words or names: need context.
    pub ambiguous_providers: HashSet<String>,
    pub org_suffix_word: HashSet<String>,
    /// Kinds of organisation that, in lower case, stand before a name of one ("dagcentrum De
    /// Schakel").
    pub org_kind_before: HashSet<String>,
    /// Provinces and regions that end organisations' names ("GGZ Friesland").
    pub org_region_after: HashSet<String>,
    /// Words before the initials that sign or check a report ("Paraaf: J.K.", "Verslag: N.S.").
    pub sign_labels: HashSet<String>,
    /// The list hashes (`rules::word_hash`) of `sign_labels`, sorted.
    pub sign_label_hashes: Vec<u64>,
    pub org_glued_suffix: SuffixSet,
    /// Last parts of compound kinds of organisation in lower case ("zwemvereniging",
    /// "fietsenwerkplaats"): `kind_before` for any compound ending so.
    pub org_kind_head: SuffixSet,
    pub not_names: HashSet<String>,
    pub keep_domains: Vec<String>,
    pub street_suffixes: SuffixSet,
    pub street_words: HashSet<String>,
    /// Every word of the small sets above with its [`wf`] bits, keyed by its list hash: one
    /// look-up per token answers all of them.
    small: HashMap<u64, Vec<(String, u16)>>,
    /// The shapes of the tussenvoegsels (see [`ShapeFilter`]): most lower-case words are
    /// told apart from every particle without a look-up into `small`.
    tv_shapes: ShapeFilter,
}

/// A superset of a small set of words by their shape: first byte, last byte and length, in a
/// bit table of 4096 bits (512 bytes, in the cache). "Not in the table" is exact; "in it" means
/// "ask the set". The name rules ask at almost every lower-case word whether it is a
/// tussenvoegsel: a few of them are, and this turns away nearly all the rest.
#[derive(Debug, Clone)]
pub struct ShapeFilter {
    bits: [u64; 64],
}

impl ShapeFilter {
    fn slot(word: &[u8]) -> usize {
        let (Some(&a), Some(&z)) = (word.first(), word.last()) else {
            return 0;
        };
        (usize::from(a) * 31 + usize::from(z) * 7 + word.len() * 131) & 4095
    }

    pub fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> ShapeFilter {
        let mut bits = [0u64; 64];
        for w in words {
            let s = ShapeFilter::slot(w.as_bytes());
            if let Some(b) = bits.get_mut(s / 64) {
                *b |= 1 << (s % 64);
            }
        }
        ShapeFilter { bits }
    }

    /// False when `word` is surely not one of the words; true when it may be.
    #[inline]
    pub fn may_contain(&self, word: &str) -> bool {
        let s = ShapeFilter::slot(word.as_bytes());
        self.bits
            .get(s / 64)
            .is_some_and(|b| b & (1 << (s % 64)) != 0)
    }
}

fn lower_set<'a>(items: impl IntoIterator<Item = &'a str>) -> HashSet<String> {
    items
        .into_iter()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

impl Lexicon {
    pub fn load() -> Result<Lexicon, PseudoError> {
        let ctx_text = rules::file("context.toml").unwrap_or("");
        let ctx: ContextFile = toml::from_str(ctx_text).map_err(|e| PseudoError::Rules {
            file: "context.toml".into(),
            reason: e.message().to_string(),
        })?;

        let mut titles = HashMap::default();
        for t in &ctx.titles.female {
            titles.insert(t.to_lowercase(), TitleKind::Female);
        }
        for t in &ctx.titles.male {
            titles.insert(t.to_lowercase(), TitleKind::Male);
        }
        for t in &ctx.titles.neutral {
            titles.insert(t.to_lowercase(), TitleKind::Neutral);
        }
        let mut roles = HashMap::default();
        for (list, role) in [
            (&ctx.roles.naaste, Role::Naaste),
            (&ctx.roles.zorgverlener, Role::Zorgverlener),
            (&ctx.roles.overig, Role::Overig),
        ] {
            for w in list {
                roles.insert(w.to_lowercase(), role);
            }
        }
        let mut labels = HashMap::default();
        let l = &ctx.labels;
        for (list, kind) in [
            (&l.person, LabelKind::Person),
            (&l.client_name, LabelKind::ClientName),
            (&l.birth_date, LabelKind::BirthDate),
            (&l.id, LabelKind::Id),
            (&l.bsn, LabelKind::Bsn),
            (&l.address, LabelKind::Address),
            (&l.place, LabelKind::Place),
            (&l.phone, LabelKind::Phone),
            (&l.provider, LabelKind::Provider),
            (&l.location, LabelKind::Location),
        ] {
            for w in list {
                labels.insert(w.to_lowercase(), kind);
            }
        }

        let mut domain = lower_set(rules::list("lists/domeintermen.txt"));
        domain.extend(lower_set(
            ctx.national_bodies.names.iter().map(String::as_str),
        ));
        domain.extend(lower_set(rules::list("lists/medicatie.txt")));
        // Articles and month abbreviations are handled by the name grammar and the date
        // patterns; as never-redact terms they would hide "De Vries" and "Jan".
        for w in [
            "de", "het", "den", "der", "van", "jan", "feb", "febr", "mrt", "apr", "jun", "jul",
            "aug", "sep", "sept", "okt", "nov", "dec", "mar", "ma", "di", "wo", "do", "vr", "za",
            "zo",
        ] {
            domain.remove(w);
        }
        let mut tussenvoegsels = lower_set(rules::list("lists/tussenvoegsels.txt"));
        for t in [
            "van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "in", "op", "'s", "d'",
            "la", "le", "du", "da", "dos", "del", "el", "al", "von", "vd", "v.d.", "uit", "bij",
        ] {
            tussenvoegsels.insert(t.to_string());
        }
        let mut street_suffixes: Vec<String> = ctx
            .addresses
            .street_suffixes
            .iter()
            .map(|s| s.to_lowercase())
            .collect();
        street_suffixes.extend(rules::list("lists/straat-suffixen.txt").map(|s| s.to_lowercase()));
        street_suffixes.sort();
        street_suffixes.dedup();

        let mut lex = Lexicon {
            places: rules::sorted_list("lists/plaatsen.txt"),
            place_prefixes: PrefixFilter::new(rules::sorted_list("lists/plaatsen.txt")),
            words: rules::sorted_list("lists/woorden.txt"),
            word_flags: rules::WordFlags::embedded(),
            domain,
            providers: rules::list("lists/instellingen.txt")
                .map(str::to_string)
                .collect(),
            tussenvoegsels,
            title_abbrevs: titles
                .iter()
                .filter_map(|(t, k)| Some((t.strip_suffix('.')?.to_string(), *k)))
                .collect(),
            titles,
            role_ends: roles
                .keys()
                .filter_map(|r| super::tokens::tokenize(r).last().map(|t| t.low.to_string()))
                .collect(),
            care_titles: lower_set(ctx.roles.care_titles.iter().map(String::as_str)),
            roles,
            labels,
            place_before: lower_set(ctx.places.before.iter().map(String::as_str)),
            org_prefix: {
                let mut p = lower_set(ctx.organisations.prefix.iter().map(String::as_str));
                p.extend(lower_set(rules::list("lists/instelling-kernwoorden.txt")));
                p
            },
            ambiguous_providers: lower_set(rules::list("lists/instelling-woorden.txt")),
            national_bodies: ctx
                .national_bodies
                .names
                .iter()
                .map(|n| n.to_lowercase())
                .collect(),
            org_suffix_word: lower_set(ctx.organisations.suffix_word.iter().map(String::as_str)),
            org_kind_before: lower_set(ctx.organisations.kind_before.iter().map(String::as_str)),
            org_region_after: lower_set(ctx.organisations.region_after.iter().map(String::as_str)),
            sign_labels: lower_set(ctx.signatures.initials_labels.iter().map(String::as_str)),
            sign_label_hashes: {
                let mut h: Vec<u64> = ctx
                    .signatures
                    .initials_labels
                    .iter()
                    .map(|l| rules::word_hash(l.to_lowercase().as_bytes()))
                    .collect();
                h.sort_unstable();
                h
            },
            org_glued_suffix: SuffixSet::new(
                ctx.organisations
                    .glued_suffix
                    .iter()
                    .map(|s| s.to_lowercase()),
            ),
            org_kind_head: SuffixSet::new(
                ctx.organisations.kind_head.iter().map(|s| s.to_lowercase()),
            ),
            not_names: lower_set(ctx.not_names.words.iter().map(String::as_str)),
            keep_domains: ctx
                .urls
                .keep_domains
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
            street_suffixes: SuffixSet::new(street_suffixes),
            street_words: lower_set(ctx.addresses.street_words.iter().map(String::as_str)),
            small: HashMap::default(),
            tv_shapes: ShapeFilter::new(std::iter::empty()),
        };
        lex.small = lex.build_small();
        lex.tv_shapes = ShapeFilter::new(lex.tussenvoegsels.iter().map(String::as_str));
        Ok(lex)
    }

    fn build_small(&self) -> HashMap<u64, Vec<(String, u16)>> {
        let mut pairs: Vec<(&str, u16)> = Vec::new();
        fn own(set: &HashSet<String>, bit: u16) -> impl Iterator<Item = (&str, u16)> + '_ {
            set.iter().map(move |w| (w.as_str(), bit))
        }
        pairs.extend(own(&self.domain, wf::DOMAIN));
        pairs.extend(own(&self.not_names, wf::DOMAIN));
        pairs.extend(calendar_words().map(|w| (w, wf::DOMAIN | wf::CALENDAR)));
        pairs.extend(own(&self.tussenvoegsels, wf::TV_LISTED));
        pairs.extend(self.titles.keys().map(|w| (w.as_str(), wf::TITLE)));
        pairs.extend(self.roles.keys().map(|w| (w.as_str(), wf::ROLE)));
        pairs.extend(own(&self.org_prefix, wf::ORG_PREFIX));
        pairs.extend(own(&self.org_suffix_word, wf::ORG_SUFFIX));
        let mut bits: HashMap<&str, u16> = HashMap::default();
        for (w, bit) in pairs {
            *bits.entry(w).or_default() |= bit;
        }
        let mut small: HashMap<u64, Vec<(String, u16)>> = HashMap::default();
        for (w, b) in bits {
            small
                .entry(rules::word_hash(w.as_bytes()))
                .or_default()
                .push((w.to_string(), b));
        }
        small
    }

    /// The [`wf`] bits of a lower-case word whose `rules::word_hash` is `hash`: the same as
    /// asking `is_domain`, `tussenvoegsels`, `titles`, `roles`, `org_prefix`,
    /// `org_suffix_word` and `is_calendar_word` one by one.
    pub fn small_flags(&self, lower: &str, hash: u64) -> u16 {
        self.small.get(&hash).map_or(0, |entries| {
            entries
                .iter()
                .find(|(w, _)| w == lower)
                .map_or(0, |(_, b)| *b)
        })
    }

    /// False when lower-case `low` is surely no tussenvoegsel (as written in the list); true
    /// when it may be one (then ask [`wf::TV_LISTED`]).
    #[inline]
    pub fn may_be_tv(&self, low: &str) -> bool {
        self.tv_shapes.may_contain(low)
    }

    /// An ordinary Dutch word (lower-case look-up).
    pub fn is_word(&self, lower: &str) -> bool {
        self.words.contains(lower)
    }

    /// A term that is never personal data (laws, bodies, diagnoses, medication, months...).
    /// Whether `lower` names a kind of organisation written before its name: a `kind_before`
    /// ("dagcentrum"), or a compound ending in a `kind_head` ("zwemvereniging").
    pub fn is_org_kind(&self, lower: &str) -> bool {
        self.org_kind_before.contains(lower) || self.org_kind_head.ends(lower, 3)
    }

    pub fn is_domain(&self, lower: &str) -> bool {
        self.domain.contains(lower) || self.not_names.contains(lower) || is_calendar_word(lower)
    }

    /// A national body or the start of one's full name ("Centrum Indicatiestelling" of
    /// "Centrum Indicatiestelling Zorg"): not a care provider.
    pub fn is_national_body(&self, surface: &str) -> bool {
        let low = surface.to_lowercase();
        self.is_domain(&low)
            || (low.contains(' ') && self.national_bodies.iter().any(|n| n.starts_with(&low)))
    }

    /// Whether a word ends in a street suffix ("Wilgenlaan", "Kerkstraat").
    pub fn is_street_word(&self, lower: &str) -> bool {
        self.street_words.contains(lower) || self.street_suffixes.ends(lower, 2)
    }
}

/// Months and weekdays: never names. (Abbreviations such as "jan" are left out: "Jan" is a
/// common first name; dates with abbreviated months are found by the date patterns.)
pub fn is_calendar_word(lower: &str) -> bool {
    calendar_words().any(|w| w == lower)
}

/// The words of [`is_calendar_word`]: month and weekday names, and two month abbreviations
/// that are no first names.
fn calendar_words() -> impl Iterator<Item = &'static str> + Clone {
    rules::MONTHS_NL
        .into_iter()
        .chain(rules::WEEKDAYS_NL)
        .chain(["mrt", "okt"])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape filter of the tussenvoegsels never turns one away, and turns away most
    /// ordinary lower-case words (else it would not be worth asking).
    #[test]
    fn shape_filter_keeps_every_tussenvoegsel_and_drops_most_words() {
        let lex = Lexicon::load().expect("rules load");
        for tv in &lex.tussenvoegsels {
            assert!(lex.may_be_tv(tv), "{tv}");
        }
        let words: Vec<&str> = lex.words.iter().step_by(97).collect();
        let kept = words.iter().filter(|w| lex.may_be_tv(w)).count();
        assert!(words.len() > 1000);
        assert!(kept * 10 < words.len(), "{kept} of {}", words.len());
        // Not in the table is exact: a word the filter drops is no tussenvoegsel.
        for w in &words {
            if !lex.may_be_tv(w) {
                assert!(!lex.tussenvoegsels.contains(*w), "{w}");
            }
        }
    }

    /// `SuffixSet::ends` says what comparing the word with every ending says, for words that
    /// end in an ending, in part of one, in none, and are shorter than the length asked.
    #[test]
    fn suffix_set_agrees_with_comparing_every_ending() {
        let endings = ["straat", "laan", "weg", "hof", "dreef", "zorg", "t", "laan"];
        let set = SuffixSet::new(endings.iter().map(|e| e.to_string()));
        let words = [
            "",
            "t",
            "weg",
            "xweg",
            "xxweg",
            "kerkstraat",
            "straat",
            "traat",
            "laan",
            "wilgenlaan",
            "hof",
            "binnenhof",
            "heuvelzorg",
            "zorg",
            "dreef",
            "het",
            "ét",
            "wegen",
            "café",
        ];
        for w in words {
            for min_before in 0..5 {
                let naive = endings
                    .iter()
                    .any(|e| w.len() >= e.len() + min_before && w.ends_with(e));
                assert_eq!(set.ends(w, min_before), naive, "{w:?} {min_before}");
            }
        }
        let empty = SuffixSet::new([String::new()]);
        assert!(empty.ends("ab", 2));
        assert!(!empty.ends("ab", 3));
        assert!(!SuffixSet::new(Vec::new()).ends("straat", 0));
    }
}
