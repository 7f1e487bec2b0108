//! Every input a fuzz target once failed on (tests/fixtures/fuzz/TARGET/*), replayed through the same entry point
//! (`mtlint::fuzzing`), so the bug stays fixed. Also replays the hand-written seeds of fuzz/seeds/.

use std::fs;
use std::path::Path;

type Target = fn(&[u8]) -> mtlint::fuzzing::Outcome;

const TARGETS: [(&str, Target); 6] = [
    ("readers", mtlint::fuzzing::readers),
    ("engine", mtlint::fuzzing::engine),
    ("fix", mtlint::fuzzing::fix),
    ("rule_file", mtlint::fuzzing::rule_file),
    ("config", mtlint::fuzzing::config),
    ("lsp", mtlint::fuzzing::lsp),
];

/// Runs each file under `folder/TARGET/` through its target; returns how many were run.
fn replay(folder: &Path) -> usize {
    let mut run = 0;
    for (name, target) in TARGETS {
        let Ok(entries) = fs::read_dir(folder.join(name)) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = fs::read(&path).unwrap();
            if let Err(broken) = target(&bytes) {
                panic!("{}: {broken}", path.display());
            }
            run += 1;
        }
    }
    run
}

/// The inputs a fuzz target once failed on (tests/fixtures/fuzz/TARGET/; see the closing note of issue 10 for the
/// runs) and the hand-written seeds of fuzz/seeds/.
#[test]
fn inputs_that_once_failed_and_the_fuzz_seeds_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = replay(&root.join("tests/fixtures/fuzz")) + replay(&root.join("fuzz/seeds"));
    assert!(run >= 4, "only {run} inputs found");
}

/// The invariant checks are not vacuous: a finding outside the text, or splitting a character, is caught.
#[test]
fn the_invariant_checks_catch_broken_findings() {
    let rules = mtlint::RuleSet::load(&mtlint::RuleSources::default()).unwrap();
    let text = "Exports grew.The 国 market.";
    let mut findings = mtlint::check_text(text, &rules);
    assert_eq!(mtlint::fuzzing::check_spans(text, &findings, &rules), Ok(()));
    assert_eq!(mtlint::fuzzing::check_positions(text, &findings), Ok(()));
    findings[0].end = text.find('国').unwrap() + 1;
    assert!(mtlint::fuzzing::check_spans(text, &findings, &rules).unwrap_err().contains("character boundaries"));
    findings[0].end = text.len() + 1;
    assert!(mtlint::fuzzing::check_spans(text, &findings, &rules).unwrap_err().contains("outside"));
}

/// Every reader with every encoding (selectors 0..54) and the fix of every reader: the project's fixtures pass through
/// each target.
#[test]
fn every_fixture_passes_every_reader() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = 0;
    for dir in ["xliff", "tmx", "po", "html", "markdown", "tsv", "jsonl"] {
        for entry in fs::read_dir(root.join("tests/fixtures").join(dir)).unwrap() {
            let bytes = fs::read(entry.unwrap().path()).unwrap();
            for selector in 0..54 {
                let input: Vec<u8> = std::iter::once(selector).chain(bytes.iter().copied()).collect();
                mtlint::fuzzing::readers(&input).unwrap();
                if selector < 9 {
                    mtlint::fuzzing::fix(&input).unwrap();
                }
            }
            mtlint::fuzzing::engine(&bytes).unwrap();
            files += 1;
        }
    }
    assert!(files >= 20, "{files}");
}
