//! The zh-en pack beyond its lists: near misses, lower-case official names and inconsistent naming, checked through
//! the real binary, and the pack's size and completeness.

mod common;
use common::{json_lines, mtlint_in};
use mtlint::rules::{Detector, Kind};
use mtlint::{RuleSet, RuleSources};

fn findings(text: &str) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let run = mtlint_in(dir.path(), &["check", "--format", "json", "-"], Some(text.as_bytes()));
    assert!(run.code < 2, "{}", run.stderr);
    json_lines(&run.stdout)
}

fn of_rule<'a>(all: &'a [serde_json::Value], rule: &str) -> Vec<&'a serde_json::Value> {
    all.iter().filter(|f| f["rule"] == rule).collect()
}

#[test]
fn near_misses_of_official_names_are_flagged_with_the_name() {
    let all = findings(
        "The State Council Informaton Office held a briefing.\n\
         Officials of the State Council Information Offices attended.\n\
         The Ministry of Industry and Informaton Technology said output rose.\n\
         The National Development and Reforms Commission approved it.\n",
    );
    let near = of_rule(&all, "zh-en.name-near-miss");
    let got: Vec<(&str, &str)> =
        near.iter().map(|f| (f["matched"].as_str().unwrap(), f["suggestions"][0].as_str().unwrap())).collect();
    assert_eq!(
        got,
        [
            ("State Council Informaton Office", "State Council Information Office"),
            ("State Council Information Offices", "State Council Information Office"),
            ("Ministry of Industry and Informaton Technology", "Ministry of Industry and Information Technology"),
            ("National Development and Reforms Commission", "National Development and Reform Commission"),
        ]
    );
    assert!(near.iter().all(|f| f["fixable"] == false), "a near miss may name another body: never fixed blindly");
}

#[test]
fn names_of_other_bodies_and_the_exact_name_with_neighbours_are_not_near_misses() {
    let all = findings(
        "The National Development and Reform Commission said so. \
         The Ministry of Industry and Information Technology has agreed. \
         Singapore's Ministry of Human Resources and the State Council Information Office's spokesperson met.\n",
    );
    assert!(of_rule(&all, "zh-en.name-near-miss").is_empty(), "{all:#?}");
}

#[test]
fn lower_case_official_names_are_flagged_and_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "Officials of the state council information office said projects of the belt and road initiative grew.\n";
    std::fs::write(dir.path().join("doc.txt"), text).unwrap();
    let run = mtlint_in(dir.path(), &["check", "--format", "json", "doc.txt"], None);
    let all = json_lines(&run.stdout);
    let caps: Vec<(&str, &str)> = of_rule(&all, "zh-en.name-capitalisation")
        .iter()
        .map(|f| (f["matched"].as_str().unwrap(), f["suggestions"][0].as_str().unwrap()))
        .collect();
    assert_eq!(
        caps,
        [
            ("state council information office", "State Council Information Office"),
            ("belt and road initiative", "Belt and Road Initiative")
        ]
    );
    mtlint_in(dir.path(), &["fix", "doc.txt"], None);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("doc.txt")).unwrap(),
        "Officials of the State Council Information Office said projects of the Belt and Road Initiative grew.\n"
    );
}

#[test]
fn ordinary_lower_case_english_and_styled_names_are_not_capitalisation_findings() {
    let all = findings(
        "The plan meets the people's daily needs. Tourism in the greater Bay Area grew. \
         THE STATE COUNCIL INFORMATION OFFICE SAID SO. Cloud computing grew.\n",
    );
    assert!(of_rule(&all, "zh-en.name-capitalisation").is_empty(), "{all:#?}");
}

#[test]
fn one_entity_named_two_ways_is_flagged_at_the_later_place_naming_the_earlier() {
    let all = findings(
        "The State Council Information Office met on Monday.\n\
         On Friday the National New Office met again, and the SCIO spoke.\n\
         Later the State New Office said more.\n",
    );
    let found: Vec<(u64, &str, &str)> = of_rule(&all, "zh-en.name-consistency")
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["matched"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!((found[0].0, found[0].1), (2, "National New Office"));
    assert!(found[0].2.contains("\"State Council Information Office\" (line 1)"), "{}", found[0].2);
    assert_eq!((found[1].0, found[1].1), (3, "State New Office"));
    // The abbreviation is a variant of the official name, not an inconsistency.
    assert!(!found.iter().any(|f| f.1 == "SCIO"));
}

#[test]
fn a_wrong_rendering_followed_by_the_end_of_the_right_one_is_fixed_without_doubling_it() {
    let all = findings("The Ministry of Industry and Informatization Technology said so.\n");
    let miit = of_rule(&all, "zh-en.gov.miit");
    assert_eq!(miit[0]["matched"], "Ministry of Industry and Informatization Technology");
    assert_eq!(miit[0]["suggestions"][0], "Ministry of Industry and Information Technology");
}

#[test]
fn the_zh_en_pack_has_400_complete_entries_across_its_themes() {
    let rules = RuleSet::load(&RuleSources::default()).unwrap();
    let terms: Vec<_> = rules.rules.iter().filter(|r| r.pack() == "zh-en" && r.kind == Kind::Term).collect();
    assert!(terms.len() >= 400, "{} zh-en term rules", terms.len());
    for rule in &terms {
        let Detector::Term(t) = &rule.detector else { unreachable!() };
        assert!(t.source.as_deref().is_some_and(|s| !s.is_empty()), "{} has no source term", rule.id);
        assert!(t.note.as_deref().is_some_and(|s| s.len() > 10), "{} has no note", rule.id);
        assert!(!t.wrong.is_empty() && !t.right.is_empty(), "{}", rule.id);
    }
    let themes = ["gov", "inst", "media", "policy", "econ", "region", "title"];
    let minimum = [90, 25, 25, 100, 80, 30, 30];
    for (theme, min) in themes.iter().zip(minimum) {
        let n = terms.iter().filter(|r| r.id.starts_with(&format!("zh-en.{theme}."))).count();
        assert!(n >= min, "theme {theme}: {n} entries, want {min}");
    }
}
