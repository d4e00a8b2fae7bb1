//! Document types: classifies a pseudonymised document by the generic words of its title block,
//! with the rules of `schemas/vocab/doctypes.toml` (embedded; rules are data).
//!
//! Owns: the document type vocabulary. Must never: see raw text or log the text it reads.

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

/// The rules, as shipped.
pub const RULES: &str = include_str!("../../schemas/vocab/doctypes.toml");

/// The type of a document no rule recognises.
pub const OTHER: &str = "overig";

#[derive(Deserialize)]
struct RawRules {
    head_lines: usize,
    #[serde(rename = "type")]
    types: Vec<RawType>,
}

#[derive(Deserialize)]
struct RawType {
    name: String,
    #[serde(default)]
    header: Vec<String>,
    #[serde(default)]
    title: Vec<String>,
}

struct Type {
    name: String,
    header: Vec<Regex>,
    title: Vec<Regex>,
}

/// The compiled document type rules.
pub struct DocTypes {
    head_lines: usize,
    types: Vec<Type>,
}

fn compile(p: &str) -> Result<Regex, String> {
    RegexBuilder::new(p)
        .case_insensitive(true)
        .build()
        .map_err(|e| format!("pattern {p:?}: {e}"))
}

impl DocTypes {
    /// Parses and compiles rules in the format of `doctypes.toml`.
    pub fn parse(text: &str) -> Result<DocTypes, String> {
        let raw: RawRules = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let mut types = Vec::new();
        for t in raw.types {
            types.push(Type {
                header: t
                    .header
                    .iter()
                    .map(|p| compile(p))
                    .collect::<Result<_, _>>()?,
                title: t
                    .title
                    .iter()
                    .map(|p| compile(p))
                    .collect::<Result<_, _>>()?,
                name: t.name,
            });
        }
        Ok(DocTypes {
            head_lines: raw.head_lines.max(1),
            types,
        })
    }

    /// The shipped rules (compiled once).
    pub fn shipped() -> Result<&'static DocTypes, String> {
        static D: OnceLock<Result<DocTypes, String>> = OnceLock::new();
        D.get_or_init(|| DocTypes::parse(RULES))
            .as_ref()
            .map_err(|e| format!("schemas/vocab/doctypes.toml: {e}"))
    }

    /// Every type name the rules can give, plus [`OTHER`].
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.types.iter().map(|t| t.name.as_str()).collect();
        v.push(OTHER);
        v
    }

    /// The type of a pseudonymised text.
    pub fn classify(&self, text: &str) -> &str {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(self.head_lines)
            .collect();
        let head = lines.join("\n");
        for t in &self.types {
            if !t.header.is_empty() && t.header.iter().all(|r| r.is_match(&head)) {
                return &t.name;
            }
        }
        for line in &lines {
            for t in &self.types {
                if t.title.iter().any(|r| r.is_match(line)) {
                    return &t.name;
                }
            }
        }
        OTHER
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_compile_and_classify() {
        let d = DocTypes::shipped().unwrap();
        let cases = [
            (
                "Van: [PERSOON-1]\nAan: [PERSOON-2]\nOnderwerp: Overdracht\n\nHoi",
                "email",
            ),
            (
                "Overdracht van zorg\n\nVan: [INSTELLING-1]\nAan: [INSTELLING-2]",
                "overdracht",
            ),
            ("VERSLAG MDO [CLIENT]\nDatum: maart 2021", "mdo-verslag"),
            (
                "Melding Incident Cliënt (MIC)\nDatum incident: mei 2022",
                "incidentmelding",
            ),
            ("Dagrapportage [CLIENT]\nPeriode: mei 2022", "dagrapportage"),
            ("Behandelplan\n[INSTELLING-3]", "behandelplan"),
            ("Zomaar een tekst\nzonder titel", OTHER),
            ("", OTHER),
        ];
        for (text, want) in cases {
            assert_eq!(d.classify(text), want, "{text}");
        }
    }

    #[test]
    fn first_title_line_wins() {
        let d = DocTypes::parse(
            "head_lines = 3\n[[type]]\nname = \"a\"\ntitle = ['alpha']\n[[type]]\nname = \"b\"\ntitle = ['beta']\n",
        )
        .unwrap();
        assert_eq!(d.classify("beta\nalpha"), "b");
        assert_eq!(d.classify("x\ny\nz\nalpha"), OTHER);
    }
}
