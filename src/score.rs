//! The quality score: MQM-style penalty points per 1,000 words, as translation reviewers compute it.
//!
//! An error counts as a Major error (5 points), a warning as a Minor one (1 point), a minor punctuation issue
//! (`Fluency/Punctuation` warning) 0.1, an info nothing. Weights can be set per category in the configuration.

use crate::finding::Severity;
use std::collections::BTreeMap;

/// Penalty weights: by severity, and overrides by category prefix (longest prefix wins).
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub error: f64,
    pub warning: f64,
    pub info: f64,
    /// Category prefix → weight for a warning ("Fluency/Punctuation" → 0.1) …
    pub minor_by_category: BTreeMap<String, f64>,
    /// … and for an error.
    pub major_by_category: BTreeMap<String, f64>,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            error: 5.0,
            warning: 1.0,
            info: 0.0,
            minor_by_category: BTreeMap::from([("Fluency/Punctuation".to_string(), 0.1)]),
            major_by_category: BTreeMap::new(),
        }
    }
}

impl Weights {
    pub fn weight(&self, severity: Severity, category: &str) -> f64 {
        let by_prefix = |map: &BTreeMap<String, f64>| {
            map.iter()
                .filter(|(prefix, _)| category.starts_with(prefix.as_str()))
                .max_by_key(|(p, _)| p.len())
                .map(|(_, w)| *w)
        };
        match severity {
            Severity::Error => by_prefix(&self.major_by_category).unwrap_or(self.error),
            Severity::Warning => by_prefix(&self.minor_by_category).unwrap_or(self.warning),
            Severity::Info => self.info,
        }
    }
}

/// A document's (or a run's) score.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    pub words: usize,
    pub penalty: f64,
    pub weights: Weights,
}

impl Score {
    pub fn new(words: usize, weights: Weights) -> Self {
        Score { words, penalty: 0.0, weights }
    }

    pub fn weight_of(&self, severity: Severity, category: &str) -> f64 {
        self.weights.weight(severity, category)
    }

    pub fn add(&mut self, severity: Severity, category: &str) {
        self.penalty += self.weight_of(severity, category);
    }

    /// Penalty points per 1,000 words, rounded to two decimals (0 for an empty document).
    pub fn per_thousand_words(&self) -> f64 {
        if self.words == 0 { 0.0 } else { (self.penalty * 1000.0 / self.words as f64 * 100.0).round() / 100.0 }
    }

    /// Adds another document's words and points.
    pub fn absorb(&mut self, other: &Score) {
        self.words += other.words;
        self.penalty += other.penalty;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_follow_mqm() {
        let w = Weights::default();
        assert_eq!(w.weight(Severity::Error, "Terminology"), 5.0);
        assert_eq!(w.weight(Severity::Warning, "Accuracy/Addition"), 1.0);
        assert_eq!(w.weight(Severity::Warning, "Fluency/Punctuation"), 0.1);
        assert_eq!(w.weight(Severity::Error, "Fluency/Punctuation"), 5.0);
        assert_eq!(w.weight(Severity::Info, "Style"), 0.0);
    }

    #[test]
    fn score_is_points_per_thousand_words() {
        let mut s = Score::new(250, Weights::default());
        s.add(Severity::Error, "Terminology");
        s.add(Severity::Warning, "Fluency/Punctuation");
        assert_eq!(s.per_thousand_words(), 20.4);
    }
}
