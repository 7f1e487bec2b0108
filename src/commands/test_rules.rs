//! `mtlint test-rules`: runs the examples of rule files and reports every failure with the rule id and example.

use super::Exit;
use crate::cli::TestRulesArgs;
use crate::rules::examples::run_examples;
use crate::rules::{RuleSet, RuleSources};

pub fn run(args: &TestRulesArgs) -> Exit {
    let sources = RuleSources { no_default: !args.paths.is_empty(), paths: args.paths.clone() };
    let rules = match RuleSet::load(&sources) {
        Ok(r) => r,
        Err(errors) => {
            for e in &errors {
                eprintln!("mtlint: invalid rule file: {e}");
            }
            return Exit::Trouble;
        }
    };
    let report = run_examples(&rules.rules);
    for failure in &report.failures {
        println!("FAIL {failure}");
    }
    if !report.without_examples.is_empty() {
        println!(
            "note: {} rules have no examples: {}",
            report.without_examples.len(),
            report.without_examples.join(", ")
        );
    }
    let passed = report.examples.saturating_sub(report.failures.len());
    println!("{} rules, {} examples: {passed} passed, {} failed", report.rules, report.examples, report.failures.len());
    if report.failures.is_empty() { Exit::Clean } else { Exit::Findings }
}
