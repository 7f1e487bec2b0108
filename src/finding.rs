//! A finding: one artifact found in a document, with where it is, why it is wrong and how to correct it.
//!
//! Findings are plain data. Detectors create them, the filter stage may drop them, reporters and `fix` read them;
//! none of those stages needs to know how a finding was found.

use serde::Serialize;
use std::fmt;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Whether `mtlint fix` may apply a rule's first suggestion without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FixSafety {
    /// Applied by `mtlint fix` and shown by `--diff`.
    Safe,
    /// Shown in reports, never applied automatically.
    #[default]
    Unsafe,
    /// The rule offers no suggestion.
    None,
}

impl fmt::Display for FixSafety {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FixSafety::Safe => "safe",
            FixSafety::Unsafe => "unsafe",
            FixSafety::None => "none",
        })
    }
}

/// One artifact in one document. `start..end` are byte offsets into the document's decoded text and always lie on
/// character boundaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the rule in the [`crate::RuleSet`] that produced it.
    pub rule: usize,
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
    pub message: String,
    /// Replacements for `start..end`, best first. Empty when the rule offers none.
    pub suggestions: Vec<String>,
    /// Whether `fix` may apply the first suggestion (the rule's fix safety, possibly lowered by the detector).
    pub fix_safe: bool,
}

impl Finding {
    /// The flagged text.
    pub fn matched<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}
