//! The checking engine: runs every rule's detector over a text and returns the findings in a stable order.
//!
//! Detectors know nothing about files or output formats. The text is analysed once ([`text::Text`]) and all term
//! phrases are searched in one pass; each other detector scans the shared analysis.

// The detectors index what they built themselves, so indexing stays within bounds by construction (clippy's
// `indexing_slicing` is allowed for them, and only for them): word and character tables are indexed by positions
// taken from the same table (`enumerate`, `windows`, `position`, loops bounded by its length, `k + n` only after a
// check against the length); byte tables of 256 entries are indexed by a `u8`; a rule's `rules[i]` by the index
// carried by the rule's own finding or automaton pattern; `right[0]`, `wrong[0]` and a number's `values[0]` exist
// because loading and parsing refuse empty lists; text is sliced only at offsets the analysis found in that text.
// Property tests and the fuzz targets (`engine`, `readers`, `fix`) exercise these with arbitrary text.
#[allow(clippy::indexing_slicing)]
pub mod bilingual;
pub mod capitals;
#[allow(clippy::indexing_slicing)]
pub mod fused;
#[allow(clippy::indexing_slicing)]
pub mod glossary;
pub mod pattern;
pub mod phrases;
#[allow(clippy::indexing_slicing)]
pub mod quotes;
#[allow(clippy::indexing_slicing)]
pub mod repetition;
#[allow(clippy::indexing_slicing)]
pub mod script;
#[allow(clippy::indexing_slicing)]
pub mod spacing;
#[allow(clippy::indexing_slicing)]
pub mod term;
#[allow(clippy::indexing_slicing)]
pub mod text;

use crate::document::layout::Segment;
use crate::finding::Finding;
use crate::rules::{Detector, RuleSet};

/// Checks `text` (the whole decoded text of a document) against every rule of `rules`.
pub fn check_text(text: &str, rules: &RuleSet) -> Vec<Finding> {
    let analysed = text::Text::new(text);
    let mut findings = Vec::new();
    let hits = term::find_terms(&rules.rules, &rules.terms, &analysed);
    term::check(&rules.rules, &hits, &analysed, &mut findings);
    // The `phrase` repetition rules share one pass over the sentences' content words.
    let phrases: Vec<_> = rules
        .rules
        .iter()
        .enumerate()
        .filter_map(|(i, rule)| match &rule.detector {
            Detector::Repetition(p) if p.check == repetition::RepetitionCheck::Phrase => Some((i, rule, p)),
            _ => None,
        })
        .collect();
    repetition::check_phrases(&phrases, &analysed, &mut findings);
    for (i, rule) in rules.rules.iter().enumerate() {
        match &rule.detector {
            Detector::Term(_) | Detector::Builtin | Detector::Bilingual(_) => {}
            Detector::Repetition(p) if p.check == repetition::RepetitionCheck::Phrase => {}
            Detector::Pattern(p) => pattern::check(i, rule, p, &analysed, &mut findings),
            Detector::Repetition(p) => repetition::check(i, rule, p, &analysed, &mut findings),
            Detector::Spacing(p) => spacing::check(i, rule, p, &analysed, &mut findings),
            Detector::Script(p) => script::check(i, &rules.rules, p, &analysed, &mut findings),
            Detector::Fused(p) => fused::check(i, rule, p, &analysed, &mut findings),
            Detector::Quotes(p) => quotes::check(i, rule, p, &analysed, &mut findings),
            Detector::Capitals(p) => capitals::check(i, rule, p, &analysed, &mut findings),
            Detector::Glossary(p) => glossary::check(i, rules, p, &hits, &analysed, &mut findings),
        }
    }
    findings.sort_by_key(|f| (f.start, f.end, f.rule));
    findings.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.rule == b.rule);
    findings
}

/// Checks a document's check text, and each of its segments that has a source against that source.
pub fn check_segments(text: &str, segments: &[Segment], rules: &RuleSet) -> Vec<Finding> {
    let mut findings = check_text(text, rules);
    let bilingual: Vec<(usize, &bilingual::BilingualRule)> = rules
        .rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.detector {
            Detector::Bilingual(b) => Some((i, b)),
            _ => None,
        })
        .collect();
    if bilingual.is_empty() {
        return findings;
    }
    let before = findings.len();
    for segment in segments {
        let Some(source) = &segment.source else { continue };
        let target = &text[segment.range.clone()];
        for (i, rule) in &bilingual {
            bilingual::check(*i, rules, rule, source, target, segment.range.start, &mut findings);
        }
    }
    if findings.len() > before {
        findings.sort_by_key(|f| (f.start, f.end, f.rule));
    }
    findings
}
