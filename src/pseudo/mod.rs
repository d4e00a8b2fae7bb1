//! Pseudonymisation: finds every personal identifier in the texts of one case and replaces it
//! with a stable pseudonym or a generalisation.
//!
//! Owns: detection (patterns with checksums, list look-ups, context rules), case-level entity
//! resolution (one person, one pseudonym across all documents of a case), the keyed pseudonyms
//! and the date generalisation. Must never: write anything to disk, log or return an original
//! identifier outside [`EntityTable`] (which only the vault may persist, encrypted), or depend
//! on the order in which documents arrive.

mod lexicon;
mod names;
mod patterns;
mod phrases;
mod resolve;
mod tokens;

pub use patterns::{bsn_valid, find_dates, iban_valid, FoundDate};

use serde::{Deserialize, Serialize};

/// The kinds of personal data of `shared/eval/FORMAT.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Category {
    Naam,
    Bsn,
    Geboortedatum,
    Datum,
    Adres,
    Postcode,
    Woonplaats,
    Locatie,
    Instelling,
    Telefoon,
    Email,
    Url,
    Iban,
    Id,
}

impl Category {
    pub const ALL: [Category; 14] = [
        Category::Naam,
        Category::Bsn,
        Category::Geboortedatum,
        Category::Datum,
        Category::Adres,
        Category::Postcode,
        Category::Woonplaats,
        Category::Locatie,
        Category::Instelling,
        Category::Telefoon,
        Category::Email,
        Category::Url,
        Category::Iban,
        Category::Id,
    ];

    /// The upper-case name used in JSON, audit events and the rules.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Naam => "NAAM",
            Category::Bsn => "BSN",
            Category::Geboortedatum => "GEBOORTEDATUM",
            Category::Datum => "DATUM",
            Category::Adres => "ADRES",
            Category::Postcode => "POSTCODE",
            Category::Woonplaats => "WOONPLAATS",
            Category::Locatie => "LOCATIE",
            Category::Instelling => "INSTELLING",
            Category::Telefoon => "TELEFOON",
            Category::Email => "EMAIL",
            Category::Url => "URL",
            Category::Iban => "IBAN",
            Category::Id => "ID",
        }
    }
}

/// The role of a named person in the dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Role {
    Client,
    Naaste,
    Zorgverlener,
    Overig,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Client => "CLIENT",
            Role::Naaste => "NAASTE",
            Role::Zorgverlener => "ZORGVERLENER",
            Role::Overig => "OVERIG",
        }
    }
}

/// One replaced stretch of a document: byte offsets into the original text (end exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub category: Category,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// What the pseudonymised text shows instead (e.g. `[CLIENT]`, `maart 2019`).
    pub replacement: String,
    /// Which rule found it (for the privacy officer's report); never holds the original.
    #[serde(skip_deserializing)]
    pub rule: &'static str,
}

/// One document of a case, as plain text (in memory only).
#[derive(Debug, Clone)]
pub struct Document {
    /// The document's name within the case (e.g. `03-rapportage.txt`); not personal data by
    /// contract of the caller (intake hashes provider file names before they reach here).
    pub name: String,
    pub text: String,
}

/// The pseudonymised form of one document.
#[derive(Debug, Clone, Serialize)]
pub struct Deidentified {
    pub document: String,
    pub spans: Vec<Span>,
    pub text: String,
}

/// Facts derived inside the vault boundary that the research layer may see (principle 3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    /// Decade band of the client's age at the newest document date ("20-29", "80+"), if known.
    pub leeftijdscategorie: Option<String>,
    /// "man", "vrouw", "anders" when a document states or implies it.
    pub geslacht: Option<String>,
    /// Newest calendar date found in the case, as "YYYY-MM" (not personal data once generalised).
    pub newest_month: Option<String>,
}

/// The workspace's pseudonymisation key (32 bytes, from the vault). Zeroised on drop.
#[derive(Clone, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
pub struct PseudoKey(pub [u8; 32]);

impl std::fmt::Debug for PseudoKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PseudoKey(..)")
    }
}

/// One entity of a case as the vault keeps it: the pseudonym and every surface form that was
/// replaced by it. Only ever persisted encrypted to the privacy officer (vault/).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entity {
    pub pseudonym: String,
    pub category: Category,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    pub originals: Vec<String>,
}

/// The table back from pseudonyms to originals for one case (vault only, encrypted).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct EntityTable {
    pub entities: Vec<Entity>,
}

/// Everything pseudonymisation yields for one case.
#[derive(Debug, Clone)]
pub struct CaseOutput {
    /// One per input document, in input order.
    pub docs: Vec<Deidentified>,
    /// Vault only.
    pub table: EntityTable,
    /// Safe for the research layer.
    pub facts: CaseFacts,
}

/// Errors of the pseudonymisation stage. Messages never contain document text.
#[derive(Debug, thiserror::Error)]
pub enum PseudoError {
    #[error("rule file {file} is invalid: {reason}")]
    Rules { file: String, reason: String },
}

/// A detection before overlaps are resolved (internal).
#[derive(Debug, Clone)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    pub cat: Category,
    pub prio: u8,
    pub rule: &'static str,
    /// Fixed replacement (dates); else the pseudonym is assigned by entity resolution.
    pub replacement: Option<String>,
    pub info: Option<names::NameInfo>,
    /// Strong enough to be looked for everywhere else in the case.
    pub anchor: bool,
}

impl Cand {
    pub fn new(start: usize, end: usize, cat: Category, prio: u8, rule: &'static str) -> Cand {
        Cand {
            start,
            end,
            cat,
            prio,
            rule,
            replacement: None,
            info: None,
            anchor: false,
        }
    }

    /// Marks a detection strong enough to be looked for everywhere else in the case.
    pub fn anchored(mut self) -> Cand {
        self.anchor = true;
        self
    }
}

/// The providers of the list (three characters or more), matched case-insensitively in
/// ASCII; built once, on first use.
fn provider_index(lex: &lexicon::Lexicon) -> &'static phrases::PhraseIndex<'static> {
    static M: std::sync::OnceLock<phrases::PhraseIndex<'static>> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        phrases::PhraseIndex::new(
            lex.providers
                .iter()
                .filter(|p| p.chars().count() >= 3)
                .cloned(),
            true,
        )
    })
}

fn word_bounded(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The detector and replacer, built once from the rule set and shared by all cases.
pub struct Engine {
    lex: lexicon::Lexicon,
}

impl Engine {
    /// Builds the engine from the embedded rule set (`redaction-rules/`).
    pub fn load_default() -> Result<Engine, PseudoError> {
        Ok(Engine {
            lex: lexicon::Lexicon::load()?,
        })
    }

    /// Pseudonymises all documents of one case together, so an entity found in one document is
    /// found in all. The result does not depend on the order of `docs` (other than output order).
    pub fn deidentify_case(
        &self,
        key: &PseudoKey,
        docs: &[Document],
    ) -> Result<CaseOutput, PseudoError> {
        self.deidentify_case_in(key, "", docs)
    }

    /// As [`Engine::deidentify_case`], with a case scope (the workspace's case id) mixed into the
    /// keyed pseudonyms of persons, residences and places, so the same name in two cases does not
    /// link them. Providers keep one pseudonym across cases.
    pub fn deidentify_case_in(
        &self,
        key: &PseudoKey,
        scope: &str,
        docs: &[Document],
    ) -> Result<CaseOutput, PseudoError> {
        Ok(resolve::run(&self.lex, key, scope, docs))
    }
}
