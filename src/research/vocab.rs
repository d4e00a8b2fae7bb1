//! The research vocabularies (`schemas/vocab/*.toml`), embedded at build time and compiled once.
//!
//! Owns: parsing and compiling the vocabulary files into regular expressions. Must never: hold
//! or load anything from a dossier; every pattern here is generic clinical or legal language.

use regex::Regex;
use serde::Deserialize;

use super::ResearchError;

const CONTEXT: &str = include_str!("../../schemas/vocab/context.toml");
const PROFILE: &str = include_str!("../../schemas/vocab/profile.toml");
const PROBLEMATIEK: &str = include_str!("../../schemas/vocab/problematiek.toml");
const GEDRAG: &str = include_str!("../../schemas/vocab/gedrag.toml");
const WZD: &str = include_str!("../../schemas/vocab/wzd.toml");
const REGELINGEN: &str = include_str!("../../schemas/vocab/regelingen.toml");
const SETTINGS: &str = include_str!("../../schemas/vocab/settings.toml");
const TRIGGERS: &str = include_str!("../../schemas/vocab/triggers.toml");

/// One pattern list compiled as whole-word matchers (group 1 is the mention).
#[derive(Debug)]
pub struct Terms(Vec<Regex>);

impl Terms {
    fn compile(file: &str, pats: &[String]) -> Result<Terms, ResearchError> {
        // One alternation per list, with word boundaries checked in code (`bounded`): a
        // Unicode `\w` class in each of hundreds of regexes made every start take a second.
        if pats.is_empty() {
            return Ok(Terms(Vec::new()));
        }
        let src = format!(
            "(?i){}",
            pats.iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|")
        );
        let re = light_regex(&src).map_err(|e| bad(file, &e.to_string()))?;
        Ok(Terms(vec![re]))
    }

    /// Every mention (start, end) in `text[range]`, as offsets into `text`, sorted.
    pub fn find_all(&self, text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
        let hay = text.get(start..end).unwrap_or("");
        let mut out = Vec::new();
        for re in &self.0 {
            for m in re.find_iter(hay) {
                if m.end() > m.start() && bounded(hay, m.start(), m.end()) {
                    out.push((start + m.start(), start + m.end()));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn first(&self, text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
        self.find_all(text, start, end).into_iter().next()
    }
}

/// Compiles a vocabulary pattern with Latin-script word classes: `\w` becomes the letters,
/// digits and underscore of Latin script (all Dutch needs) and `\b` the boundary between such
/// characters and others (ASCII boundaries: Dutch words start and end in ASCII letters far more
/// often than not). The full Unicode classes made hundreds of patterns take a quarter of a
/// second to compile at every start and forced the slow matching engine at search time.
fn light_regex(pattern: &str) -> Result<Regex, regex::Error> {
    const WORD: &str = "0-9A-Za-z\u{00C0}-\u{00D6}\u{00D8}-\u{00F6}\u{00F8}-\u{024F}_";
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('w') => {
                    chars.next();
                    out.push_str(&format!("[{WORD}]"));
                    continue;
                }
                Some('b') => {
                    chars.next();
                    out.push_str("(?-u:\\b)");
                    continue;
                }
                Some(&n) => {
                    chars.next();
                    out.push(c);
                    out.push(n);
                    continue;
                }
                None => {}
            }
        }
        out.push(c);
    }
    Regex::new(&out)
}

/// Whether a match stands as whole words: no letter, digit, `_` or pseudonym bracket glued to it.
fn bounded(hay: &str, s: usize, e: usize) -> bool {
    let before = hay[..s].chars().next_back();
    let after = hay[e..].chars().next();
    let glued_before = before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '[');
    let glued_after = after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ']');
    let first_is_word = hay[s..e]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    let last_is_word = hay[s..e]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    !((glued_before && first_is_word) || (glued_after && last_is_word))
}

/// A raw regex list (no word wrapping), case-insensitive.
#[derive(Debug)]
pub struct Raw(Vec<Regex>);

impl Raw {
    pub fn empty() -> Raw {
        Raw(Vec::new())
    }

    fn compile(file: &str, pats: &[String]) -> Result<Raw, ResearchError> {
        let mut out = Vec::with_capacity(pats.len());
        for p in pats {
            out.push(
                light_regex(&format!("(?i){p}"))
                    .map_err(|e| bad(file, &format!("pattern {p:?}: {e}")))?,
            );
        }
        Ok(Raw(out))
    }

    pub fn any(&self, text: &str) -> bool {
        self.0.iter().any(|r| r.is_match(text))
    }

    pub fn is_empty_raw(&self) -> bool {
        self.0.is_empty()
    }

    /// Start of the last match in `text`, if any.
    pub fn last_start(&self, text: &str) -> Option<usize> {
        self.0
            .iter()
            .filter_map(|r| r.find_iter(text).last().map(|m| m.start()))
            .max()
    }

    /// All matches (start, end).
    pub fn find_all(&self, text: &str) -> Vec<(usize, usize)> {
        let mut v: Vec<(usize, usize)> = self
            .0
            .iter()
            .flat_map(|r| r.find_iter(text).map(|m| (m.start(), m.end())))
            .collect();
        v.sort_unstable();
        v
    }
}

fn bad(file: &str, reason: &str) -> ResearchError {
    ResearchError::Vocabulary {
        file: file.to_string(),
        reason: reason.to_string(),
    }
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, src: &str) -> Result<T, ResearchError> {
    toml::from_str(src).map_err(|e| bad(file, &e.to_string()))
}

// ---- raw file shapes -------------------------------------------------------------------------

#[derive(Deserialize)]
struct ContextFile {
    window_words: usize,
    clause_boundaries: Vec<String>,
    pre_negation: Vec<String>,
    post_negation: Vec<String>,
    pre_uncertain: Vec<String>,
    post_uncertain: Vec<String>,
    other_person: Vec<String>,
    client_reference: Vec<String>,
    hypothetical_sentence: Vec<String>,
    post_negation_sentence: Vec<String>,
}

#[derive(Deserialize)]
struct WlzFamilyFile {
    code: String,
    max: u32,
    spellings: Vec<String>,
}

#[derive(Deserialize)]
struct CodedTerms {
    code: String,
    terms: Vec<String>,
}

#[derive(Deserialize)]
struct GeslachtFile {
    form_values: Vec<(String, String)>,
    anders: Vec<String>,
    vrouw_address: Vec<String>,
    man_address: Vec<String>,
    vrouw_pronouns: Vec<String>,
    man_pronouns: Vec<String>,
    #[allow(dead_code)]
    anders_pronouns: Vec<String>,
}

#[derive(Deserialize)]
struct ProfileFile {
    wlz: Vec<WlzFamilyFile>,
    wlz_prefixes: Vec<String>,
    wlz_older: Vec<String>,
    niveau: Vec<CodedTerms>,
    tiq: Vec<(u32, String)>,
    geslacht: GeslachtFile,
}

#[derive(Deserialize)]
struct ConceptFile {
    code: String,
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    all: Vec<Vec<String>>,
    #[serde(default)]
    not_with: Vec<String>,
}

#[derive(Deserialize)]
struct ConceptsFile {
    concept: Vec<ConceptFile>,
}

#[derive(Deserialize)]
struct WzdFile {
    voluntary: Vec<String>,
    status_terms: Vec<String>,
    form: Vec<ConceptFile>,
    title: Vec<ConceptFile>,
}

#[derive(Deserialize)]
struct RegelingFile {
    code: String,
    terms: Vec<String>,
    affirm: Vec<String>,
    pending: Vec<String>,
    documents: Vec<String>,
}

#[derive(Deserialize)]
struct RegelingenFile {
    title_lines: usize,
    regeling: Vec<RegelingFile>,
}

#[derive(Deserialize)]
struct SettingFile {
    code: String,
    cues: Vec<String>,
}

#[derive(Deserialize)]
struct SettingsFile {
    residence: Vec<String>,
    not_residence: Vec<String>,
    setting: Vec<SettingFile>,
}

#[derive(Deserialize)]
struct TriggerFile {
    categorie: String,
    subtype: Option<String>,
    terms: Vec<String>,
    #[serde(default)]
    needs_effect: bool,
}

#[derive(Deserialize)]
struct TriggersFile {
    effect: Vec<String>,
    trigger: Vec<TriggerFile>,
}

// ---- compiled --------------------------------------------------------------------------------

#[derive(Debug)]
pub struct Context {
    pub window: usize,
    pub boundaries: Raw,
    pub pre_neg: Raw,
    pub post_neg: Raw,
    pub pre_unc: Raw,
    pub post_unc: Raw,
    pub other: Raw,
    pub client: Raw,
    pub hypothetical: Raw,
    pub post_neg_sentence: Raw,
}

#[derive(Debug)]
pub struct Concept {
    pub code: String,
    pub terms: Terms,
    pub all: Vec<Terms>,
    pub not_with: Raw,
}

#[derive(Debug)]
pub struct WlzFamily {
    pub code: String,
    pub max: u32,
}

#[derive(Debug)]
pub struct Geslacht {
    pub form_values: Vec<(String, String)>,
    pub anders: Terms,
    pub vrouw_address: Regex,
    pub man_address: Regex,
    pub vrouw_pronouns: Terms,
    pub man_pronouns: Terms,
}

#[derive(Debug)]
pub struct Profile {
    pub wlz: Vec<WlzFamily>,
    /// Group 1: family spelling, group 2: number; or group 3: number, group 4: family.
    pub wlz_re: Regex,
    pub wlz_spellings: Vec<Regex>,
    pub wlz_older: Raw,
    pub niveau: Vec<Concept>,
    pub tiq: Vec<(u32, String)>,
    pub geslacht: Geslacht,
}

#[derive(Debug)]
pub struct Regeling {
    pub code: String,
    pub terms: Terms,
    pub affirm: Raw,
    pub pending: Raw,
    pub documents: Raw,
}

#[derive(Debug)]
pub struct Setting {
    pub code: String,
    pub cues: Terms,
}

#[derive(Debug)]
pub struct Trigger {
    pub categorie: String,
    pub subtype: Option<String>,
    pub terms: Terms,
    pub needs_effect: bool,
}

#[derive(Debug)]
pub struct Vocab {
    pub context: Context,
    pub profile: Profile,
    pub problematiek: Vec<Concept>,
    pub gedrag: Vec<Concept>,
    pub wzd_voluntary: Raw,
    pub wzd_status: Terms,
    pub wzd_forms: Vec<Concept>,
    pub wzd_titles: Vec<Concept>,
    pub regel_title_lines: usize,
    pub regelingen: Vec<Regeling>,
    pub residence: Terms,
    pub not_residence: Raw,
    pub settings: Vec<Setting>,
    pub trigger_effect: Raw,
    pub triggers: Vec<Trigger>,
}

fn concept(file: &str, c: &ConceptFile) -> Result<Concept, ResearchError> {
    let mut all = Vec::new();
    for g in &c.all {
        all.push(Terms::compile(file, g)?);
    }
    Ok(Concept {
        code: c.code.clone(),
        terms: Terms::compile(file, &c.terms)?,
        all,
        not_with: Raw::compile(file, &c.not_with)?,
    })
}

fn alternation(pats: &[String]) -> String {
    pats.iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|")
}

impl Vocab {
    pub fn load() -> Result<Vocab, ResearchError> {
        let c: ContextFile = parse("context.toml", CONTEXT)?;
        let f = "context.toml";
        let context = Context {
            window: c.window_words.max(1),
            boundaries: Raw::compile(f, &c.clause_boundaries)?,
            pre_neg: Raw::compile(f, &c.pre_negation)?,
            post_neg: Raw::compile(f, &c.post_negation)?,
            pre_unc: Raw::compile(f, &c.pre_uncertain)?,
            post_unc: Raw::compile(f, &c.post_uncertain)?,
            other: Raw::compile(f, &c.other_person)?,
            client: Raw::compile(f, &c.client_reference)?,
            hypothetical: Raw::compile(f, &c.hypothetical_sentence)?,
            post_neg_sentence: Raw::compile(f, &c.post_negation_sentence)?,
        };

        let p: ProfileFile = parse("profile.toml", PROFILE)?;
        let f = "profile.toml";
        let fams: Vec<String> = p.wlz.iter().flat_map(|w| w.spellings.clone()).collect();
        let fam_alt = alternation(&fams);
        let pre_alt = alternation(&p.wlz_prefixes);
        let wlz_src = format!(
            r"(?i)(?:^|[^\w&])(?:(?:{pre_alt})[\s:-]*)?({fam_alt})[\s-]?(\d{{1,2}})(?:[^\w]|$)|(?:{pre_alt})\s*:?\s*(\d{{1,2}})\s*({fam_alt})(?:[^\w]|$)"
        );
        let wlz_re = light_regex(&wlz_src).map_err(|e| bad(f, &e.to_string()))?;
        let mut wlz_spellings = Vec::new();
        for w in &p.wlz {
            let src = format!("(?i)^(?:{})$", alternation(&w.spellings));
            wlz_spellings.push(light_regex(&src).map_err(|e| bad(f, &e.to_string()))?);
        }
        let mut niveau = Vec::new();
        for n in &p.niveau {
            niveau.push(Concept {
                code: n.code.clone(),
                terms: Terms::compile(f, &n.terms)?,
                all: Vec::new(),
                not_with: Raw::empty(),
            });
        }
        let g = &p.geslacht;
        let addr = |list: &[String]| -> Result<Regex, ResearchError> {
            Regex::new(&format!(
                r"(?i)(?:^|[^\w])(?:{})\s+\[CLIENT\]",
                alternation(list)
            ))
            .map_err(|e| bad(f, &e.to_string()))
        };
        let geslacht = Geslacht {
            form_values: g.form_values.clone(),
            anders: Terms::compile(f, &g.anders)?,
            vrouw_address: addr(&g.vrouw_address)?,
            man_address: addr(&g.man_address)?,
            vrouw_pronouns: Terms::compile(f, &g.vrouw_pronouns)?,
            man_pronouns: Terms::compile(f, &g.man_pronouns)?,
        };
        let profile = Profile {
            wlz: p
                .wlz
                .iter()
                .map(|w| WlzFamily {
                    code: w.code.clone(),
                    max: w.max,
                })
                .collect(),
            wlz_re,
            wlz_spellings,
            wlz_older: Raw::compile(f, &p.wlz_older)?,
            niveau,
            tiq: p.tiq.clone(),
            geslacht,
        };

        let mut problematiek = Vec::new();
        let pf: ConceptsFile = parse("problematiek.toml", PROBLEMATIEK)?;
        for c in &pf.concept {
            problematiek.push(concept("problematiek.toml", c)?);
        }
        let mut gedrag = Vec::new();
        let gf: ConceptsFile = parse("gedrag.toml", GEDRAG)?;
        for c in &gf.concept {
            gedrag.push(concept("gedrag.toml", c)?);
        }

        let w: WzdFile = parse("wzd.toml", WZD)?;
        let f = "wzd.toml";
        let mut wzd_forms = Vec::new();
        for c in &w.form {
            wzd_forms.push(concept(f, c)?);
        }
        let mut wzd_titles = Vec::new();
        for c in &w.title {
            wzd_titles.push(concept(f, c)?);
        }

        let r: RegelingenFile = parse("regelingen.toml", REGELINGEN)?;
        let f = "regelingen.toml";
        let mut regelingen = Vec::new();
        for x in &r.regeling {
            regelingen.push(Regeling {
                code: x.code.clone(),
                terms: Terms::compile(f, &x.terms)?,
                affirm: Raw::compile(f, &x.affirm)?,
                pending: Raw::compile(f, &x.pending)?,
                documents: Raw::compile(f, &x.documents)?,
            });
        }

        let s: SettingsFile = parse("settings.toml", SETTINGS)?;
        let f = "settings.toml";
        let mut settings = Vec::new();
        for x in &s.setting {
            settings.push(Setting {
                code: x.code.clone(),
                cues: Terms::compile(f, &x.cues)?,
            });
        }

        let t: TriggersFile = parse("triggers.toml", TRIGGERS)?;
        let f = "triggers.toml";
        let mut triggers = Vec::new();
        for x in &t.trigger {
            triggers.push(Trigger {
                categorie: x.categorie.clone(),
                subtype: x.subtype.clone(),
                terms: Terms::compile(f, &x.terms)?,
                needs_effect: x.needs_effect,
            });
        }

        Ok(Vocab {
            context,
            profile,
            problematiek,
            gedrag,
            wzd_voluntary: Raw::compile("wzd.toml", &w.voluntary)?,
            wzd_status: Terms::compile("wzd.toml", &w.status_terms)?,
            wzd_forms,
            wzd_titles,
            regel_title_lines: r.title_lines,
            regelingen,
            residence: Terms::compile("settings.toml", &s.residence)?,
            not_residence: Raw::compile("settings.toml", &s.not_residence)?,
            settings,
            trigger_effect: Raw::compile("triggers.toml", &t.effect)?,
            triggers,
        })
    }
}
