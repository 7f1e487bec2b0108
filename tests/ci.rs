//! mtlint in CI: configuration files, inline suppression, baselines, the quality score, `--output` and parallel
//! runs, end to end through the real binary.

mod common;
use common::{json_lines, mtlint_in};
use std::fs;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// The (rule, matched) pairs reported for `args` in `dir`.
fn found(dir: &Path, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = mtlint_in(dir, &all, None);
    assert!(run.code < 2, "{}", run.stderr);
    json_lines(&run.stdout)
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["matched"].as_str().unwrap().to_string()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

const DOC: &str = "Exports grew.The market rose. He met the the press at the National New Office.\n";

#[test]
fn the_nearest_configuration_file_disables_rules_for_the_files_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "team/mtlint.toml", "disable = [\"en.missing-space-after-punctuation\", \"zh-en\"]\n");
    write(d, "team/sub/doc.txt", DOC);
    write(d, "other/doc.txt", DOC);
    assert_eq!(found(d, &["team/sub/doc.txt"]), pairs(&[("en.repeated-word", "the the")]));
    assert_eq!(found(d, &["other/doc.txt"]).len(), 3, "no configuration applies to other/");
    assert_eq!(found(d, &["--isolated", "team/sub/doc.txt"]).len(), 3, "--isolated ignores it");
    write(d, "alt.toml", "enable = [\"zh-en.*\"]\n");
    assert_eq!(
        found(d, &["--config", "alt.toml", "team/sub/doc.txt"]),
        pairs(&[("zh-en.gov.scio", "National New Office")])
    );
}

#[test]
fn hidden_configuration_file_category_selectors_and_severity_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        ".mtlint.toml",
        "disable = [\"category:Terminology\"]\nseverity = { \"en.repeated-word\" = \"info\" }\nfail-on = \"error\"\n",
    );
    write(d, "doc.txt", "He met the the press.\n");
    let run = mtlint_in(d, &["check", "--format", "json", "doc.txt"], None);
    let f = json_lines(&run.stdout);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0]["rule"].as_str(), f[0]["severity"].as_str()), (Some("en.repeated-word"), Some("info")));
    assert_eq!(run.code, 0, "an info finding is below the configured fail-on");
    assert_eq!(mtlint_in(d, &["check", "--fail-on", "info", "doc.txt"], None).code, 1, "the flag wins over the file");
}

#[test]
fn overrides_accepted_phrases_ignore_patterns_and_extra_rules() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "mtlint.toml",
        concat!(
            "rules = [\"team-rules\"]\n",
            "accept = [\"National New Office\"]\n",
            "ignore-patterns = ['\\[[^\\]]*\\]']\n",
            "[[overrides]]\n",
            "paths = [\"archive/**\"]\n",
            "disable = [\"en.repeated-word\"]\n",
        ),
    );
    write(
        d,
        "team-rules/house.toml",
        "[[rule]]\nid = \"house.per-cent\"\nkind = \"pattern\"\ncategory = \"Style\"\nseverity = \"warning\"\n\
         message = \"House style writes percent.\"\npattern = '\\bper cent\\b'\nreplace = [\"percent\"]\n\
         [[rule.example]]\nbad = \"up 5 per cent\"\n[[rule.example]]\ngood = \"up 5 percent\"\n",
    );
    let text = "He met the the press at the National New Office [the the draft]; sales rose 5 per cent.\n";
    write(d, "doc.txt", text);
    write(d, "archive/old.txt", text);
    assert_eq!(found(d, &["doc.txt"]), pairs(&[("en.repeated-word", "the the"), ("house.per-cent", "per cent")]));
    assert_eq!(found(d, &["archive/old.txt"]), pairs(&[("house.per-cent", "per cent")]));
}

#[test]
fn excluded_paths_are_skipped_when_walking_but_checked_when_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "mtlint.toml", "exclude = [\"drafts/**\"]\n");
    write(d, "docs/a.txt", "He met the the press.\n");
    write(d, "drafts/b.txt", "He met the the press.\n");
    let run = mtlint_in(d, &["check", "--format", "json", "."], None);
    let paths: Vec<String> = json_lines(&run.stdout).iter().map(|f| f["path"].as_str().unwrap().to_string()).collect();
    assert_eq!(paths, ["docs/a.txt"]);
    assert_eq!(found(d, &["drafts/b.txt"]).len(), 1);
}

#[test]
fn a_broken_configuration_is_an_error_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "doc.txt", DOC);
    write(d, "mtlint.toml", "fail-on = \"error\"\ndisabel = [\"en.fused-words\"]\n");
    let run = mtlint_in(d, &["check", "doc.txt"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("mtlint.toml:2:1: unknown field `disabel`"), "{}", run.stderr);
    write(d, "mtlint.toml", "ignore-patterns = ['a(']\n");
    let run = mtlint_in(d, &["check", "doc.txt"], None);
    assert!(run.stderr.contains("mtlint.toml:1:20: invalid regular expression"), "{}", run.stderr);
    write(d, "mtlint.toml", "fail-on = \"sometimes\"\n");
    let run = mtlint_in(d, &["check", "doc.txt"], None);
    assert!(run.stderr.contains("mtlint.toml:1:11: unknown variant `sometimes`"), "{}", run.stderr);
}

#[test]
fn config_show_prints_the_effective_configuration_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "mtlint.toml",
        "disable = [\"en.fused-words\"]\nmax-penalty = 25\n[[overrides]]\npaths = [\"legal/**\"]\ndisable = [\"en.mt-loop\"]\n",
    );
    write(d, "legal/terms.txt", "text\n");
    let run = mtlint_in(d, &["config", "--show", "legal/terms.txt"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("configuration: ") && run.stdout.contains("mtlint.toml"), "{}", run.stdout);
    assert!(run.stdout.contains("disabled:      en.fused-words, en.mt-loop"), "{}", run.stdout);
    assert!(run.stdout.contains("max-penalty:   25"), "{}", run.stdout);
}

#[test]
fn inline_suppressions_silence_regions_next_lines_and_unused_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let md = "He met the the press.\n\
              <!-- mtlint-disable en.repeated-word -->\n\
              She saw the the report.\n\
              <!-- mtlint-enable -->\n\
              They read the the notes.\n\
              <!-- mtlint-disable-next-line -->\n\
              It grew.The end.\n\
              <!-- mtlint-disable-next-line en.fused-words -->\n\
              Nothing to see here.\n";
    write(d, "doc.md", md);
    let run = mtlint_in(d, &["check", "--format", "json", "doc.md"], None);
    let got: Vec<(u64, String)> = json_lines(&run.stdout)
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["rule"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (1, "en.repeated-word".to_string()),
            (5, "en.repeated-word".to_string()),
            (8, "mtlint.unused-suppression".to_string())
        ]
    );
    let txt = "# mtlint-disable-next-line en.fused-words\nWe release dataValue.\nWe release dataValue.\n";
    write(d, "doc.txt", txt);
    let run = mtlint_in(d, &["check", "--format", "json", "doc.txt"], None);
    let lines: Vec<u64> = json_lines(&run.stdout).iter().map(|f| f["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [3]);
}

#[test]
fn a_baseline_hides_recorded_findings_even_after_edits_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "doc.txt", "He met the the press.\nSales grew.The end.\n");
    let run = mtlint_in(d, &["check", "--write-baseline", "baseline.json", "doc.txt"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("recorded 2 findings"), "{}", run.stderr);
    assert_eq!(found(d, &["--baseline", "baseline.json", "doc.txt"]), []);
    // Lines added above move every finding; the baseline still matches them. A new artifact is reported.
    write(
        d,
        "doc.txt",
        "A new first line.\nAnd another one.\nHe met the the press.\nSales grew.The end.\nIt was was new.\n",
    );
    assert_eq!(found(d, &["--baseline", "baseline.json", "doc.txt"]), pairs(&[("en.repeated-word", "was was")]));
    write(d, "bad.json", "{\"version\": 1, \"findings\": [{\"path\": 3}]}");
    let run = mtlint_in(d, &["check", "--baseline", "bad.json", "doc.txt"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad.json:1:") && run.stderr.contains("not a valid mtlint baseline"), "{}", run.stderr);
}

#[test]
fn the_quality_score_is_penalty_points_per_thousand_words() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 21 words, one error (5 points): 5 * 1000 / 21 = 238.1 points per 1,000 words.
    let text = "Exports grew.The market rose today and prices of steel and coal fell in most regions of the country this week.\n";
    write(d, "doc.txt", text);
    let run = mtlint_in(d, &["check", "--format", "json", "doc.txt"], None);
    let f = &json_lines(&run.stdout)[0];
    assert_eq!((f["penalty"].as_f64(), f["document_score"].as_f64()), (Some(5.0), Some(238.1)));
    let human = mtlint_in(d, &["check", "doc.txt"], None);
    assert!(human.stdout.contains("Quality: 238.1 penalty points per 1,000 words (21 words)."), "{}", human.stdout);
    // A minor punctuation issue weighs 0.1: 0.1 * 1000 / 4 words = 25 points.
    write(d, "minor.txt", "Exports rose , imports fell.\n");
    assert_eq!(mtlint_in(d, &["check", "--fail-on", "error", "minor.txt"], None).code, 0);
    assert_eq!(mtlint_in(d, &["check", "--fail-on", "error", "--max-penalty", "30", "minor.txt"], None).code, 0);
    let over = mtlint_in(d, &["check", "--fail-on", "error", "--max-penalty", "20", "minor.txt"], None);
    assert_eq!(over.code, 1);
    assert!(
        over.stderr.contains("minor.txt: quality score 25 penalty points per 1,000 words exceeds the maximum 20"),
        "{}",
        over.stderr
    );
}

#[test]
fn output_goes_to_a_file_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "doc.txt", DOC);
    let run = mtlint_in(d, &["check", "--format", "json", "--output", "report.jsonl", "doc.txt"], None);
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
    assert_eq!(json_lines(&fs::read_to_string(d.join("report.jsonl")).unwrap()).len(), 3);
    let run = mtlint_in(d, &["check", "--output", "missing-dir/report.txt", "doc.txt"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing-dir/report.txt: cannot write the report"), "{}", run.stderr);
    assert!(!d.join("missing-dir").exists());
    let names: Vec<String> = fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.iter().all(|n| !n.starts_with(".mtlint")), "no temporary file left: {names:?}");
}

#[test]
fn output_is_identical_whatever_the_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for i in 0..30 {
        let text = format!("Report {i}: exports grew.The the market rose at the National New Office.\n");
        write(d, &format!("docs/{i:02}.txt"), &text);
    }
    let one = mtlint_in(d, &["check", "--jobs", "1", "--format", "json", "docs"], None);
    let four = mtlint_in(d, &["check", "--jobs", "4", "--format", "json", "docs"], None);
    assert_eq!(json_lines(&one.stdout).len(), 90);
    assert_eq!(one.stdout, four.stdout);
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = mtlint_in(dir.path(), &["check", "--format", "xml", "-"], Some(b"text"));
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid value 'xml'"), "{}", run.stderr);
}
