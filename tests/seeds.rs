//! The seed corpus: real and realistic machine-translated press releases, each with the findings it must produce
//! (written by hand in `seeds/*.expected.toml`) and the text `mtlint fix` must make of it (`seeds/*.fixed.txt`).

mod common;
use common::{json_lines, mtlint, mtlint_in, root};
use std::collections::BTreeSet;

#[derive(serde::Deserialize)]
struct Expected {
    finding: Vec<ExpectedFinding>,
}

#[derive(serde::Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct ExpectedFinding {
    rule: String,
    line: u64,
    column: u64,
    matched: String,
    suggestion: Option<String>,
}

fn seeds() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("seeds"))
        .expect("seeds/ exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".en.txt"))
        .map(|n| n.trim_end_matches(".en.txt").to_string())
        .collect();
    names.sort();
    assert!(names.len() >= 3, "at least three seed documents: {names:?}");
    names
}

#[test]
fn every_seed_gives_exactly_its_expected_findings() {
    let mut failures = Vec::new();
    for name in seeds() {
        let expected_text = std::fs::read_to_string(root().join(format!("seeds/{name}.en.expected.toml")))
            .unwrap_or_else(|e| panic!("seeds/{name}.en.expected.toml: {e}"));
        let expected: Expected = toml::from_str(&expected_text).expect("the expected findings parse");
        let expected: BTreeSet<ExpectedFinding> = expected.finding.into_iter().collect();
        let run = mtlint(&["check", "--format", "json", &format!("seeds/{name}.en.txt")]);
        assert_eq!(run.code, 1, "{name}: findings give exit code 1; stderr: {}", run.stderr);
        let got: BTreeSet<ExpectedFinding> = json_lines(&run.stdout)
            .into_iter()
            .map(|f| ExpectedFinding {
                rule: f["rule"].as_str().unwrap().to_string(),
                line: f["line"].as_u64().unwrap(),
                column: f["column"].as_u64().unwrap(),
                matched: f["matched"].as_str().unwrap().to_string(),
                suggestion: f["suggestions"][0].as_str().map(str::to_string),
            })
            .collect();
        for missing in expected.difference(&got) {
            failures.push(format!("{name}: missing {missing:?}"));
        }
        for extra in got.difference(&expected) {
            failures.push(format!("{name}: unexpected {extra:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn fix_turns_every_seed_into_its_fixed_text_and_is_idempotent() {
    for name in seeds() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("doc.txt");
        std::fs::write(&file, std::fs::read(root().join(format!("seeds/{name}.en.txt"))).unwrap()).unwrap();
        let want = std::fs::read(root().join(format!("seeds/{name}.en.fixed.txt"))).unwrap();
        mtlint_in(dir.path(), &["fix", "doc.txt"], None);
        let got = std::fs::read(&file).unwrap();
        assert!(
            got == want,
            "{name}: fix gave\n{}\n--- expected\n{}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want)
        );
        let again = mtlint_in(dir.path(), &["fix", "doc.txt"], None);
        assert_eq!(std::fs::read(&file).unwrap(), want, "{name}: a second fix changed the file");
        assert!(again.stdout.contains("Fixed 0 findings"), "{name}: {}", again.stdout);
    }
}
