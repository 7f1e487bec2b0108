//! The built-in rules: every rule's own examples pass, and the clean-English documents produce no finding.

mod common;
use common::{json_lines, mtlint};
use mtlint::rules::examples::run_examples;
use mtlint::{RuleSet, RuleSources};

fn builtin() -> RuleSet {
    RuleSet::load(&RuleSources::default()).unwrap_or_else(|errors| {
        panic!(
            "the built-in rules are invalid:\n{}",
            errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
        )
    })
}

#[test]
fn every_builtin_rule_passes_its_examples() {
    let rules = builtin();
    let report = run_examples(&rules.rules);
    let failures: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
    assert!(failures.is_empty(), "{} failing examples:\n{}", failures.len(), failures.join("\n"));
    assert!(report.examples >= 2 * rules.rules.len(), "{} examples for {} rules", report.examples, rules.rules.len());
}

#[test]
fn every_builtin_rule_has_a_bad_and_a_good_example() {
    // Rules defined in rule files; mtlint's own (the unused-suppression report) are tested with the filter stage.
    for rule in builtin().rules.iter().filter(|r| r.kind != mtlint::rules::Kind::Builtin) {
        let bad = rule.examples.iter().any(|e| matches!(e, mtlint::rules::Example::Bad { .. }));
        let good = rule.examples.iter().any(|e| matches!(e, mtlint::rules::Example::Good { .. }));
        assert!(bad && good, "rule {} ({}) needs a bad and a good example", rule.id, rule.origin);
    }
}

#[test]
fn test_rules_command_passes_on_the_builtin_rules() {
    let run = mtlint(&["test-rules"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(" 0 failed"), "{}", run.stdout);
}

#[test]
fn clean_english_documents_produce_no_finding() {
    let run = mtlint(&["check", "--format", "json", "--fail-on", "info", "tests/clean"]);
    let findings = json_lines(&run.stdout);
    let shown: Vec<String> = findings
        .iter()
        .map(|f| format!("{}:{}:{} {} {:?}", f["path"], f["line"], f["column"], f["rule"], f["matched"]))
        .collect();
    assert!(findings.is_empty(), "false positives on clean English:\n{}", shown.join("\n"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = std::fs::read_dir(common::root().join("tests/clean")).unwrap().count();
    assert!(files >= 10, "the clean-English set has {files} documents");
}
