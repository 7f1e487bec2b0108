//! Rules: the compiled, validated form of the rule files, and the set of them that a check runs.
//!
//! `load` turns TOML into [`Rule`]s (with `file:line:column` errors), [`RuleSet::new`] validates rules against each
//! other and builds the shared matchers once, and `examples` runs every rule's own examples.

pub mod cache;
pub mod examples;
pub mod load;
pub mod schema;

use crate::check::{
    bilingual::BilingualRule, capitals::CapitalsRule, fused::FusedRule, glossary::GlossaryRule,
    glossary::NearMissIndex, pattern::PatternRule, quotes::QuotesRule, repetition::RepetitionRule, script::ScriptRule,
    spacing::SpacingRule, term::TermIndex, term::TermRule,
};
use crate::finding::{Finding, FixSafety, Severity};
pub use load::{RuleError, RuleSources};
pub use schema::Kind;

/// One example of a rule: text it must flag (and what the text becomes after its fix), or text it must not flag.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Example {
    Bad { text: String, fixed: Option<String>, source: Option<String>, line: usize },
    Good { text: String, source: Option<String>, line: usize },
}

/// The parameters of a rule's detector, one variant per rule kind.
#[derive(Debug, Clone)]
pub enum Detector {
    Term(TermRule),
    Pattern(PatternRule),
    Repetition(RepetitionRule),
    Spacing(SpacingRule),
    Script(ScriptRule),
    Fused(FusedRule),
    Quotes(QuotesRule),
    Capitals(CapitalsRule),
    Glossary(GlossaryRule),
    Bilingual(BilingualRule),
    /// Findings made by mtlint's own stages (an unused suppression), not by a detector.
    Builtin,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub kind: Kind,
    /// The MQM category (shared, not copied, when it is one of the top-level categories).
    pub category: std::borrow::Cow<'static, str>,
    pub severity: Severity,
    /// The message template, with `{matched}`, `{suggestion}` and `{source}` placeholders (the default message of
    /// term rules is shared, not copied into each of tens of thousands of glossary entries).
    pub message: std::borrow::Cow<'static, str>,
    pub explain: Option<String>,
    pub fix: FixSafety,
    pub examples: Vec<Example>,
    /// Where the rule was defined, as `path:line`.
    pub origin: String,
    pub detector: Detector,
}

impl Rule {
    /// The rule's pack: the part of its id before the first dot.
    pub fn pack(&self) -> &str {
        self.id.split('.').next().unwrap_or("")
    }

    /// The message for one finding, placeholders filled in.
    pub fn render_message(&self, matched: &str, suggestion: Option<&str>) -> String {
        let source = match &self.detector {
            Detector::Term(t) => t.source.as_deref().unwrap_or(""),
            _ => "",
        };
        self.message
            .replace("{matched}", matched)
            .replace("{suggestion}", suggestion.unwrap_or(""))
            .replace("{source}", source)
    }

    /// A finding of this rule (index `index` in its set) at `start..end`: the message rendered with the flagged text
    /// and the first suggestion, no suggestion when the rule offers none, fix safety from the rule.
    pub fn finding(&self, index: usize, start: usize, end: usize, matched: &str, suggestions: Vec<String>) -> Finding {
        let suggestions = if self.fix == FixSafety::None { Vec::new() } else { suggestions };
        Finding {
            rule: index,
            start,
            end,
            severity: self.severity,
            message: self.render_message(matched, suggestions.first().map(String::as_str)),
            fix_safe: self.fix == FixSafety::Safe && !suggestions.is_empty(),
            suggestions,
        }
    }

    /// One line describing the rule: for a term rule its first wrong and right form, otherwise its message.
    pub fn summary(&self) -> String {
        match &self.detector {
            Detector::Term(t) => {
                let source = t.source.as_ref().map(|s| format!(" ({s})")).unwrap_or_default();
                // Both lists are checked to be non-empty when the rule loads.
                let (wrong, right) =
                    (t.wrong.first().map_or("", String::as_str), t.right.first().map_or("", String::as_str));
                format!("\"{wrong}\" → \"{right}\"{source}")
            }
            _ => self.message.replace("\"{matched}\"", "…").replace("{matched}", "…").replace("\"{suggestion}\"", "…"),
        }
    }

    /// The Chinese source term of a term rule.
    pub fn source_term(&self) -> Option<&str> {
        match &self.detector {
            Detector::Term(t) => t.source.as_deref(),
            _ => None,
        }
    }
}

/// All rules of a run, with the matchers shared by all of them built once. Read-only after construction, so it can
/// be shared between threads.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub(crate) terms: TermIndex,
    /// Built on first use by a near-miss check (`None`: no glossary rule needs it).
    pub(crate) near_misses: std::sync::OnceLock<NearMissIndex>,
    near_miss_min_length: Option<usize>,
}

impl RuleSet {
    /// Validates rules against each other (unique ids, term phrases that contradict each other) and builds the
    /// shared matchers.
    pub fn new(mut rules: Vec<Rule>) -> Result<RuleSet, Vec<RuleError>> {
        if !rules.iter().any(|r| r.id == crate::filter::UNUSED_SUPPRESSION) {
            rules.push(unused_suppression_rule());
        }
        let mut errors = Vec::new();
        let mut seen: std::collections::HashMap<
            &str,
            &str,
            std::hash::BuildHasherDefault<crate::check::glossary::Fnv>,
        > = std::collections::HashMap::with_capacity_and_hasher(rules.len(), Default::default());
        for rule in &rules {
            if let Some(first) = seen.insert(&rule.id, &rule.origin) {
                errors.push(RuleError::at_origin(
                    &rule.origin,
                    format!("duplicate rule id `{}`: already defined at {first}", rule.id),
                ));
            }
        }
        let terms = match TermIndex::build(&rules) {
            Ok(t) => t,
            Err(mut e) => {
                errors.append(&mut e);
                TermIndex::default()
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let min_length = rules
            .iter()
            .filter_map(|r| match &r.detector {
                Detector::Glossary(g) => Some(g.min_length),
                _ => None,
            })
            .min();
        Ok(RuleSet { rules, terms, near_misses: std::sync::OnceLock::new(), near_miss_min_length: min_length })
    }

    /// Loads the built-in rules (unless `sources.no_default`) and every user file or folder.
    pub fn load(sources: &RuleSources) -> Result<RuleSet, Vec<RuleError>> {
        RuleSet::new(load::load_rules(sources)?)
    }

    /// The names near-miss checks compare phrases with, indexed on first use.
    pub(crate) fn near_miss_index(&self) -> &NearMissIndex {
        self.near_misses
            .get_or_init(|| self.near_miss_min_length.map(|m| NearMissIndex::build(&self.rules, m)).unwrap_or_default())
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The rule at `index`: the index a finding of this rule set carries.
    // Findings are made by this rule set's own detectors, each with the index of its rule.
    #[allow(clippy::indexing_slicing)]
    pub fn rule(&self, index: usize) -> &Rule {
        &self.rules[index]
    }
}

/// The rule under which an inline suppression that suppresses nothing is reported.
fn unused_suppression_rule() -> Rule {
    Rule {
        id: crate::filter::UNUSED_SUPPRESSION.to_string(),
        kind: Kind::Builtin,
        category: "Style".into(),
        severity: Severity::Info,
        message: "\"{matched}\" suppresses nothing here; remove it so suppressions do not outlive their reason.".into(),
        explain: Some(
            "An inline suppression comment (`mtlint-disable …`) whose region holds no finding of the rules it names."
                .to_string(),
        ),
        fix: FixSafety::None,
        examples: Vec::new(),
        origin: "built-in:1".to_string(),
        detector: Detector::Builtin,
    }
}
