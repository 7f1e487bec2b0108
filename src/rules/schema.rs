//! The rule file format as written by rule authors (TOML), before validation.
//!
//! Every struct denies unknown fields so that a misspelt key is an error with its position, never a silently
//! ignored setting. Fields of all rule kinds live in one flat table; `compile` checks that each rule uses only the
//! fields of its kind.

use crate::finding::{FixSafety, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default)]
    pub defaults: Option<Defaults>,
    #[serde(default)]
    pub rule: Vec<Spanned<RawRule>>,
}

/// Values every rule of the file inherits unless it sets its own.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    pub kind: Option<Kind>,
    pub category: Option<Spanned<String>>,
    pub severity: Option<Severity>,
    pub fix: Option<FixSafety>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Term,
    Pattern,
    Repetition,
    Spacing,
    Script,
    Fused,
    Quotes,
    Capitals,
    Glossary,
    Bilingual,
    /// Rules defined by mtlint itself (not loadable from a rule file).
    #[serde(skip)]
    Builtin,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Term => "term",
            Kind::Pattern => "pattern",
            Kind::Repetition => "repetition",
            Kind::Spacing => "spacing",
            Kind::Script => "script",
            Kind::Fused => "fused",
            Kind::Quotes => "quotes",
            Kind::Capitals => "capitals",
            Kind::Glossary => "glossary",
            Kind::Bilingual => "bilingual",
            Kind::Builtin => "builtin",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: Spanned<String>,
    pub kind: Option<Kind>,
    pub category: Option<Spanned<String>>,
    pub severity: Option<Severity>,
    pub message: Option<String>,
    pub explain: Option<String>,
    pub fix: Option<FixSafety>,
    #[serde(default)]
    pub example: Vec<Spanned<RawExample>>,

    // term
    pub source: Option<String>,
    pub right: Option<Spanned<Vec<String>>>,
    pub wrong: Option<Spanned<Vec<String>>>,
    pub note: Option<String>,
    pub context: Option<Spanned<Vec<String>>>,
    pub match_case: Option<bool>,

    // pattern
    pub pattern: Option<Spanned<String>>,
    pub replace: Option<Vec<String>>,
    pub unless: Option<Vec<Spanned<String>>>,

    // repetition, spacing, script, fused
    pub check: Option<Spanned<String>>,
    pub allow: Option<Vec<String>>,
    pub min_content_words: Option<usize>,
    pub max_gap: Option<usize>,
    pub max_words: Option<usize>,
    pub min_repeats: Option<usize>,
    pub echo_pairs: Option<bool>,
    pub punctuation: Option<String>,
    pub map: Option<BTreeMap<String, String>>,
    pub scripts: Option<Spanned<Vec<String>>>,
    pub min_part: Option<usize>,

    // glossary
    pub threshold: Option<f64>,
    pub min_length: Option<usize>,
    pub min_words: Option<usize>,

    // bilingual
    pub min_ratio: Option<f64>,
    pub max_ratio: Option<f64>,
    pub min_source_chars: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExample {
    /// The source-language text of the example (for `bilingual` rules).
    pub source: Option<String>,
    pub bad: Option<String>,
    pub fixed: Option<String>,
    pub good: Option<String>,
}
