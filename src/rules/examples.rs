//! Running rules' own examples: every `bad` example must be flagged by its rule (and become its `fixed` text when
//! the rule's first suggestions are applied, without being flagged again), every `good` example must not be.
//! This is what `mtlint test-rules` and the built-in rules' test run.

use super::{Example, Rule, RuleSet};
use crate::check::check_segments;
use crate::document::layout::Segment;
use crate::fix::{applicable, apply};
use std::fmt;

/// One example that did not behave as its rule promises.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule: String,
    /// `path:line` of the example.
    pub location: String,
    pub text: String,
    pub problem: String,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: rule `{}`: {}\n    example: {:?}", self.location, self.rule, self.problem, self.text)
    }
}

/// The outcome of running the examples of a set of rules.
#[derive(Debug, Default)]
pub struct ExampleReport {
    pub rules: usize,
    pub examples: usize,
    pub failures: Vec<ExampleFailure>,
    /// Rules without any example (allowed, but worth knowing).
    pub without_examples: Vec<String>,
}

/// Runs every example of every rule, each rule alone — except `glossary` rules, which check the names that term
/// rules know and so run with every term rule of `rules` beside them.
pub fn run_examples(rules: &[Rule]) -> ExampleReport {
    let mut report = ExampleReport { rules: rules.len(), ..Default::default() };
    for rule in rules {
        if rule.examples.is_empty() && rule.kind != super::Kind::Builtin {
            report.without_examples.push(rule.id.clone());
        }
        let mut set = vec![rule.clone()];
        // Rules that work from the glossary (the term rules' sources and official forms) run with the term rules.
        let needs_terms = rule.kind == super::Kind::Glossary
            || matches!(&rule.detector, super::Detector::Bilingual(b) if b.check == crate::check::bilingual::BilingualCheck::Glossary);
        if needs_terms {
            set.extend(rules.iter().filter(|r| r.kind == super::Kind::Term).cloned());
        }
        let alone = match RuleSet::new(set) {
            Ok(set) => set,
            Err(errors) => {
                for e in errors {
                    report.failures.push(failure(rule, &rule.origin, "", e.message));
                }
                continue;
            }
        };
        for example in &rule.examples {
            report.examples += 1;
            if let Some(problem) = run_one(&alone, example) {
                let (text, line) = match example {
                    Example::Bad { text, line, .. } | Example::Good { text, line, .. } => (text, line),
                };
                let path = rule.origin.rsplit_once(':').map_or(rule.origin.as_str(), |(p, _)| p);
                report.failures.push(failure(rule, &format!("{path}:{line}"), text, problem));
            }
        }
    }
    report
}

fn failure(rule: &Rule, location: &str, text: &str, problem: String) -> ExampleFailure {
    ExampleFailure { rule: rule.id.clone(), location: location.to_string(), text: text.to_string(), problem }
}

/// The findings of the rule under test (the first of the set), the example being one segment with its source.
fn findings_of_first(text: &str, source: &Option<String>, set: &RuleSet) -> Vec<crate::Finding> {
    let segment = Segment { id: None, source: source.clone(), range: 0..text.len() };
    check_segments(text, std::slice::from_ref(&segment), set).into_iter().filter(|f| f.rule == 0).collect()
}

/// What went wrong with one example, if anything.
fn run_one(alone: &RuleSet, example: &Example) -> Option<String> {
    match example {
        Example::Good { text, source, .. } => {
            let findings = findings_of_first(text, source, alone);
            let f = findings.first()?;
            Some(format!("a `good` example is flagged: {:?} at byte {}", f.matched(text), f.start))
        }
        Example::Bad { text, fixed, source, .. } => {
            let findings = findings_of_first(text, source, alone);
            if findings.is_empty() {
                return Some("a `bad` example is not flagged".to_string());
            }
            let expected = fixed.as_ref()?;
            let chosen = applicable(text, &findings, false);
            let got = apply(text, &chosen);
            if &got != expected {
                return Some(format!("the fix gives {got:?}, the example expects {expected:?}"));
            }
            let again = findings_of_first(&got, source, alone);
            again.first().map(|f| format!("the fixed text is still flagged: {:?}", f.matched(&got)))
        }
    }
}
