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

/// A large glossary is read back from the cache on the second run, with the same findings, and a changed glossary is
/// not served stale.
#[test]
fn a_large_glossary_is_cached_between_runs_and_never_served_stale() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let glossary = |right_of_7: &str| {
        let mut text = String::from(
            "[defaults]\nkind = \"term\"\ncategory = \"Terminology\"\nseverity = \"error\"\nfix = \"safe\"\n",
        );
        for i in 0..3000 {
            let right = if i == 7 { right_of_7.to_string() } else { format!("Right Name {i}") };
            text.push_str(&format!(
                "\n[[rule]]\nid = \"big.r{i}\"\nright = [\"{right}\"]\nwrong = [\"Wrong Name {i}\"]\n# padding padding padding padding padding padding padding\n"
            ));
        }
        assert!(text.len() > mtlint::rules::cache::MIN_SIZE, "the glossary is large enough to be cached");
        text
    };
    let rules = dir.path().join("big.toml");
    std::fs::write(&rules, glossary("Right Name 7")).expect("write the glossary");
    std::fs::write(dir.path().join("text.txt"), "The Wrong Name 7 met the Wrong Name 1234.\n").expect("write the text");
    let cache = dir.path().join("cache");
    let run = |cached: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_mtlint"));
        command
            .args(["check", "--no-default-rules", "--rules", "big.toml", "--format", "json", "text.txt"])
            .current_dir(dir.path())
            .env_remove("MTLINT_NO_CACHE")
            .env("MTLINT_CACHE_DIR", &cache);
        if !cached {
            command.env("MTLINT_NO_CACHE", "1");
        }
        let out = command.output().expect("mtlint runs");
        let findings = json_lines(&String::from_utf8_lossy(&out.stdout));
        findings
            .iter()
            .map(|f| format!("{} {} {}", f["rule"], f["column"], f["suggestions"][0]))
            .collect::<Vec<String>>()
    };
    let expected = ["\"big.r7\" 5 \"Right Name 7\"", "\"big.r1234\" 26 \"Right Name 1234\""];
    assert_eq!(run(true), expected, "first run: parsed, and cached");
    assert_eq!(std::fs::read_dir(&cache).expect("the cache folder was made").count(), 1);
    assert_eq!(run(true), expected, "second run: from the cache");
    assert_eq!(run(false), expected, "without the cache");
    std::fs::write(&rules, glossary("Renamed Office")).expect("change the glossary");
    assert_eq!(run(true), ["\"big.r7\" 5 \"Renamed Office\"", "\"big.r1234\" 26 \"Right Name 1234\""]);
    assert_eq!(std::fs::read_dir(&cache).expect("cache").count(), 1, "the changed file replaced its entry");
}
