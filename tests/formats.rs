//! Every `--format` end to end through the real binary (human is tested in cli.rs): concrete values checked by
//! hand, and each machine format validated against its schema (tests/schemas/, see its README): JSON ones with the
//! `jsonschema` crate, XML ones with `xmllint --schema`. A missing `xmllint` (Debian: libxml2-utils) fails the
//! tests; it never skips them.
//!
//! The fixture, worked out by hand. `doc.txt` holds one line,
//!
//!     According to the China News Agency, 中文 sales grew.The market rose  again, and dataValue fell.
//!
//! in which, counting characters from column 1 ("According to the " is 17 characters, "中文" 2 characters of 3
//! UTF-8 bytes each, so byte columns run 4 ahead of character columns after it):
//!
//! | rule                               | severity | columns (chars) | columns (bytes) | flagged             |
//! | ---------------------------------- | -------- | --------------- | --------------- | ------------------- |
//! | zh-en.media.china-news-service     | error    | 18..35          | 18..35          | "China News Agency" |
//! | en.untranslated-cjk                | error    | 37..39          | 37..43          | "中文"              |
//! | en.missing-space-after-punctuation | error    | 46..54          | 50..58          | "grew.The"          |
//! | en.multiple-spaces                 | info     | 66..68          | 70..72          | two spaces          |
//! | en.fused-words                     | error    | 79..88          | 83..92          | "dataValue"         |
//!
//! (ends exclusive). `clean.txt` has no finding, and `R&D notes.txt` ("Exports grew.The market rose.") one glued
//! sentence at columns 9..17, with a name that needs escaping in XML and percent-encoding in a URI.

mod common;
use common::{Run, json_lines, mtlint_in};
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Command;

const DOC: &str = "According to the China News Agency, 中文 sales grew.The market rose  again, and dataValue fell.\n";
const FILES: [&str; 3] = ["doc.txt", "clean.txt", "R&D notes.txt"];
const FUSED: &str = "en.fused-words";
const GLUED: &str = "en.missing-space-after-punctuation";
const CJK: &str = "en.untranslated-cjk";
const SPACES: &str = "en.multiple-spaces";
const AGENCY: &str = "zh-en.media.china-news-service";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("doc.txt"), DOC).unwrap();
    fs::write(dir.path().join("clean.txt"), "The market rose.\n").unwrap();
    fs::write(dir.path().join("R&D notes.txt"), "Exports grew.The market rose.\n").unwrap();
    dir
}

/// `mtlint check --format FORMAT [EXTRA…] FILES…` in `dir`; errors are found, so the exit code is 1.
fn check(dir: &Path, format: &str, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--format", format];
    args.extend_from_slice(extra);
    args.extend_from_slice(&FILES);
    let run = mtlint_in(dir, &args, None);
    assert_eq!(run.code, 1, "--format {format}: errors were found; stderr: {}", run.stderr);
    run
}

fn schema_path(name: &str) -> String {
    common::root().join("tests/schemas").join(name).to_string_lossy().into_owned()
}

fn validate_json(schema: &str, instance: &Value) {
    let text = fs::read_to_string(schema_path(schema)).unwrap();
    let schema_value: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema_value)
        .unwrap_or_else(|e| panic!("{schema} does not compile: {e}"));
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "not valid against {schema}:\n{}\n{instance:#}", errors.join("\n"));
}

fn xmllint(args: &[&str]) -> std::process::Output {
    Command::new("xmllint").args(args).output().unwrap_or_else(|e| {
        panic!("xmllint is needed to check the XML formats (Debian/Ubuntu: apt-get install libxml2-utils): {e}")
    })
}

fn validate_xml(schema: &str, file: &Path) {
    let out = xmllint(&["--noout", "--schema", &schema_path(schema), &file.to_string_lossy()]);
    assert!(
        out.status.success(),
        "{} is not valid against {schema}:\n{}\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr),
        fs::read_to_string(file).unwrap_or_default()
    );
}

/// The value of an XPath expression (wrap node selections in `string()` or `count()`).
fn xpath(file: &Path, expr: &str) -> String {
    let out = xmllint(&["--xpath", expr, &file.to_string_lossy()]);
    assert!(out.status.success(), "xpath {expr} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The one element of `items` whose `key` (a JSON pointer) equals `value`.
fn only<'a>(items: &'a [Value], key: &str, value: &str) -> &'a Value {
    let found: Vec<&Value> = items.iter().filter(|i| i.pointer(key).and_then(Value::as_str) == Some(value)).collect();
    assert_eq!(found.len(), 1, "exactly one item with {key} = {value} in {items:#?}");
    found[0]
}

fn pos(v: &Value, pointer: &str) -> u64 {
    v.pointer(pointer).and_then(Value::as_u64).unwrap_or_else(|| panic!("no number at {pointer} in {v:#}"))
}

#[test]
fn concise_prints_one_line_per_finding_with_the_fix() {
    let dir = fixture();
    let run = check(dir.path(), "concise", &[]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", run.stdout);
    assert_eq!(
        lines[0],
        "doc.txt:1:18: error[zh-en.media.china-news-service] \"China News Agency\" is a machine rendering of 中新社; \
         the correct English is \"China News Service\". → \"China News Service\""
    );
    assert_eq!(lines[1], "doc.txt:1:37: error[en.untranslated-cjk] \"中文\" is left untranslated.");
    assert!(lines[3].starts_with("doc.txt:1:66: info[en.multiple-spaces] "), "{}", lines[3]);
    assert!(lines[4].starts_with("doc.txt:1:79: error[en.fused-words] ") && lines[4].ends_with("→ \"data value\""));
    assert!(lines[5].starts_with("R&D notes.txt:1:9: error[en.missing-space-after-punctuation] "), "{}", lines[5]);
    assert!(!run.stdout.contains("clean.txt"));
}

#[test]
fn json_lines_carry_positions_suggestions_and_scores() {
    let dir = fixture();
    let findings = json_lines(&check(dir.path(), "json", &[]).stdout);
    assert_eq!(findings.len(), 6);
    let cjk = only(&findings, "/rule", CJK);
    assert_eq!((pos(cjk, "/column"), pos(cjk, "/end_column")), (37, 39));
    assert_eq!((pos(cjk, "/byte_start"), pos(cjk, "/byte_end")), (36, 42), "36 ASCII bytes, then 2 × 3 bytes");
    assert_eq!(cjk["suggestions"], serde_json::json!([]));
    let fused = only(&findings, "/rule", FUSED);
    assert_eq!((pos(fused, "/column"), pos(fused, "/end_column")), (79, 88));
    assert_eq!(fused["suggestions"][0], "data value");
    assert_eq!(fused["fixable"], true);
    let spaces = only(&findings, "/rule", SPACES);
    assert_eq!((spaces["severity"].as_str(), spaces["penalty"].as_f64()), (Some("info"), Some(0.0)));
    // Four errors of 5 points each in doc.txt.
    let words = 20.0 * 1000.0 / fused["document_score"].as_f64().unwrap();
    assert!((words - words.round()).abs() < 0.01 && words > 10.0, "20 points per {words} words");
}

#[test]
fn github_annotations_have_positions_titles_and_levels() {
    let dir = fixture();
    let run = check(dir.path(), "github", &[]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", run.stdout);
    assert!(
        lines[0].starts_with(
            "::error file=doc.txt,line=1,col=18,endLine=1,endColumn=35,title=mtlint zh-en.media.china-news-service::"
        ),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with("Suggestion: \"China News Service\"."), "{}", lines[0]);
    assert!(lines[3].starts_with("::notice file=doc.txt,line=1,col=66,endLine=1,endColumn=68,"), "{}", lines[3]);
    assert!(lines[5].starts_with("::error file=R&D notes.txt,line=1,col=9,endLine=1,endColumn=17,"), "{}", lines[5]);
}

#[test]
fn sarif_is_valid_and_carries_rules_regions_fixes_and_scores() {
    let dir = fixture();
    let log: Value = serde_json::from_str(&check(dir.path(), "sarif", &[]).stdout).unwrap();
    validate_json("sarif-schema-2.1.0.json", &log);
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().ends_with("sarif-schema-2.1.0.json"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "mtlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));

    // One rule descriptor per rule with results, each once, and every ruleIndex pointing at its rule.
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [AGENCY, CJK, GLUED, SPACES, FUSED]);
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    for r in results {
        assert_eq!(rules[pos(r, "/ruleIndex") as usize]["id"], r["ruleId"], "{r:#}");
    }
    let agency = only(rules, "/id", AGENCY);
    assert_eq!(agency["shortDescription"]["text"], "\"China News Agency\" → \"China News Service\" (中新社)");
    assert_eq!(agency["defaultConfiguration"]["level"], "error");
    assert_eq!(agency["properties"]["category"], "Terminology");
    assert!(only(rules, "/id", FUSED)["fullDescription"]["text"].as_str().unwrap().contains("dataValue"));
    assert_eq!(only(rules, "/id", SPACES)["defaultConfiguration"]["level"], "note");

    // Regions count code points: "中文" is columns 37..39, and 6 bytes from byte 36 of the file.
    let cjk = only(results, "/ruleId", CJK);
    assert_eq!(cjk["level"], "error");
    assert_eq!(cjk["message"]["text"], "\"中文\" is left untranslated.");
    let location = &cjk["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "doc.txt");
    let region = &location["region"];
    assert_eq!((pos(region, "/startLine"), pos(region, "/startColumn")), (1, 37));
    assert_eq!((pos(region, "/endLine"), pos(region, "/endColumn")), (1, 39));
    assert_eq!((pos(region, "/byteOffset"), pos(region, "/byteLength")), (36, 6));
    assert!(region.get("charOffset").is_none());
    assert!(cjk.get("fixes").is_none(), "no suggestion, no fix");
    assert_eq!(only(results, "/ruleId", SPACES)["level"], "note");

    let fused = only(results, "/ruleId", FUSED);
    let change = &fused["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "doc.txt");
    let replacement = &change["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "data value");
    let deleted = &replacement["deletedRegion"];
    assert_eq!((pos(deleted, "/startColumn"), pos(deleted, "/endColumn")), (79, 88));
    assert!(fused["fixes"][0]["description"]["text"].as_str().unwrap().contains("\"dataValue\" with \"data value\""));
    assert_eq!(fused["properties"]["penalty"], 5.0);

    let glued = results.iter().find(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] != "doc.txt");
    let glued = glued.expect("the R&D notes finding");
    assert_eq!(glued["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "R&D%20notes.txt");
    assert_eq!(pos(glued, "/locations/0/physicalLocation/region/startColumn"), 9);
    // The schema (draft 4) cannot check its `uri-reference` format, so check the characters here (RFC 3986).
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b);
        assert!(uri.bytes().all(allowed), "{uri} is not a URI reference");
    }

    // Scores: four errors of 5 points in doc.txt, one in R&D notes.txt, none in clean.txt.
    let documents = run["properties"]["documents"].as_array().unwrap();
    let paths: Vec<&str> = documents.iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(paths, FILES);
    assert_eq!(documents[0]["penalty"], 20.0);
    assert_eq!(documents[1]["penaltyPer1000Words"], 0.0);
    assert_eq!(documents[0]["penaltyPer1000Words"], fused["properties"]["documentPenaltyPer1000Words"]);
    assert_eq!(run["properties"]["penalty"], 25.0);
}

#[test]
fn rdjson_is_valid_with_utf8_byte_columns_and_suggestions() {
    let dir = fixture();
    let result: Value = serde_json::from_str(&check(dir.path(), "rdjson", &[]).stdout).unwrap();
    validate_json("rdjson-DiagnosticResult.json", &result);
    assert_eq!(result["source"]["name"], "mtlint");
    let diagnostics = result["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 6);

    // After "中文" byte columns run 4 ahead of character columns.
    let cjk = only(diagnostics, "/code/value", CJK);
    assert_eq!(cjk["severity"], "ERROR");
    assert_eq!(cjk["location"]["path"], "doc.txt");
    let range = &cjk["location"]["range"];
    assert_eq!((pos(range, "/start/line"), pos(range, "/start/column")), (1, 37));
    assert_eq!((pos(range, "/end/line"), pos(range, "/end/column")), (1, 43));
    assert!(cjk.get("suggestions").is_none());

    let fused = only(diagnostics, "/code/value", FUSED);
    assert_eq!((pos(fused, "/location/range/start/column"), pos(fused, "/location/range/end/column")), (83, 92));
    let suggestions = fused["suggestions"].as_array().unwrap();
    assert_eq!(suggestions.len(), 1);
    assert_eq!(suggestions[0]["text"], "data value");
    assert_eq!(suggestions[0]["range"], fused["location"]["range"]);

    let spaces = only(diagnostics, "/code/value", SPACES);
    assert_eq!(spaces["severity"], "INFO");
    assert_eq!((pos(spaces, "/location/range/start/column"), pos(spaces, "/location/range/end/column")), (70, 72));
    // Before any multi-byte character both units agree.
    let agency = only(diagnostics, "/code/value", AGENCY);
    assert_eq!((pos(agency, "/location/range/start/column"), pos(agency, "/location/range/end/column")), (18, 35));
    assert_eq!(only(diagnostics, "/location/path", "R&D notes.txt")["code"]["value"], GLUED);
}

#[test]
fn checkstyle_is_valid_escaped_xml_with_one_file_per_document_with_findings() {
    let dir = fixture();
    let run = check(dir.path(), "checkstyle", &["--output", "report.xml"]);
    assert_eq!(run.stdout, "", "the report goes to the file");
    let report = dir.path().join("report.xml");
    validate_xml("checkstyle.xsd", &report);
    let raw = fs::read_to_string(&report).unwrap();
    assert!(raw.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">"), "{raw}");
    assert!(raw.contains("name=\"R&amp;D notes.txt\""), "{raw}");
    assert_eq!(xpath(&report, "count(/checkstyle/file)"), "2", "clean.txt has no <file>");
    assert_eq!(xpath(&report, "string(/checkstyle/file[1]/@name)"), "doc.txt");
    assert_eq!(xpath(&report, "count(/checkstyle/file[@name='doc.txt']/error)"), "5");
    let fused = "/checkstyle/file[@name='doc.txt']/error[@source='mtlint.en.fused-words']";
    assert_eq!(xpath(&report, &format!("string({fused}/@line)")), "1");
    assert_eq!(xpath(&report, &format!("string({fused}/@column)")), "79");
    assert_eq!(xpath(&report, &format!("string({fused}/@severity)")), "error");
    assert_eq!(
        xpath(&report, &format!("string({fused}/@message)")),
        "\"dataValue\" looks like two words run together; it should read \"data value\". Suggestion: \"data value\"."
    );
    let cjk = "/checkstyle/file[@name='doc.txt']/error[@source='mtlint.en.untranslated-cjk']";
    assert_eq!(xpath(&report, &format!("string({cjk}/@column)")), "37");
    let spaces = "/checkstyle/file[@name='doc.txt']/error[@source='mtlint.en.multiple-spaces']";
    assert_eq!(xpath(&report, &format!("string({spaces}/@severity)")), "info");
    let glued = "/checkstyle/file[@name='R&D notes.txt']/error";
    assert_eq!(xpath(&report, &format!("string({glued}/@source)")), "mtlint.en.missing-space-after-punctuation");
    assert_eq!(xpath(&report, &format!("string({glued}/@column)")), "9");
}

#[test]
fn junit_is_valid_with_one_suite_per_document_and_one_failure_per_finding() {
    let dir = fixture();
    let run = check(dir.path(), "junit", &["-o", "junit.xml"]);
    assert_eq!(run.stdout, "");
    let report = dir.path().join("junit.xml");
    validate_xml("JUnit.xsd", &report);
    assert_eq!(xpath(&report, "count(/testsuites/testsuite)"), "3");
    let doc = "/testsuites/testsuite[@name='doc.txt']";
    for (attribute, value) in [("tests", "5"), ("failures", "5"), ("errors", "0"), ("skipped", "0"), ("id", "0")] {
        assert_eq!(xpath(&report, &format!("string({doc}/@{attribute})")), value, "{attribute}");
    }
    let timestamp = xpath(&report, &format!("string({doc}/@timestamp)"));
    assert!(timestamp.len() == 19 && timestamp.as_bytes()[10] == b'T' && timestamp.starts_with("20"), "{timestamp}");
    let fused = format!("{doc}/testcase/failure[@type='en.fused-words']");
    assert_eq!(xpath(&report, &format!("string({fused}/../@name)")), "en.fused-words at 1:79");
    assert_eq!(xpath(&report, &format!("string({fused}/../@classname)")), "doc.txt");
    assert_eq!(
        xpath(&report, &format!("string({fused}/@message)")),
        "\"dataValue\" looks like two words run together; it should read \"data value\"."
    );
    let details = xpath(&report, &format!("string({fused})"));
    assert!(details.starts_with("doc.txt:1:79: error [en.fused-words] "), "{details}");
    assert!(details.contains("\nmatched: \"dataValue\"\nsuggestion: \"data value\""), "{details}");
    let cjk = xpath(&report, &format!("string({doc}/testcase/failure[@type='en.untranslated-cjk'])"));
    assert!(cjk.contains("doc.txt:1:37:") && cjk.contains("matched: \"中文\"") && !cjk.contains("suggestion"));

    // A document without findings is one passing test case.
    let clean = "/testsuites/testsuite[@name='clean.txt']";
    assert_eq!(xpath(&report, &format!("string({clean}/@tests)")), "1");
    assert_eq!(xpath(&report, &format!("string({clean}/@failures)")), "0");
    assert_eq!(xpath(&report, &format!("count({clean}/testcase)")), "1");
    assert_eq!(xpath(&report, &format!("count({clean}//failure)")), "0");
    assert_eq!(xpath(&report, "string(/testsuites/testsuite[@name='R&D notes.txt']/@failures)"), "1");

    // The score is a suite property, the same number the JSON format reports.
    let json = json_lines(&check(dir.path(), "json", &[]).stdout);
    let score = only(&json, "/rule", FUSED)["document_score"].as_f64().unwrap();
    let property =
        xpath(&report, &format!("string({doc}/properties/property[@name='mtlint.penalty_per_1000_words']/@value)"));
    assert_eq!(property.parse::<f64>().unwrap(), score);
    let clean_score = format!("string({clean}/properties/property[@name='mtlint.penalty_per_1000_words']/@value)");
    assert_eq!(xpath(&report, &clean_score), "0");
}

#[test]
fn gitlab_is_valid_with_severities_paths_and_stable_unique_fingerprints() {
    let dir = fixture();
    let issues: Value = serde_json::from_str(&check(dir.path(), "gitlab", &[]).stdout).unwrap();
    validate_json("gitlab-codequality.schema.json", &issues);
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 6);
    let fused = only(issues, "/check_name", FUSED);
    assert_eq!(fused["severity"], "major");
    assert_eq!(fused["location"]["path"], "doc.txt");
    assert_eq!(pos(fused, "/location/lines/begin"), 1);
    assert!(fused["description"].as_str().unwrap().ends_with("Suggestion: \"data value\"."));
    assert_eq!(only(issues, "/check_name", SPACES)["severity"], "info");
    assert_eq!(only(issues, "/location/path", "R&D notes.txt")["check_name"], GLUED);

    let fingerprints: Vec<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    for f in &fingerprints {
        assert!(f.len() == 16 && f.bytes().all(|b| b.is_ascii_hexdigit()), "{f}");
    }
    let mut unique = fingerprints.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), fingerprints.len(), "one fingerprint per finding");

    // The same finding has the same fingerprint in another run, even when the path is written `./doc.txt`.
    let again = mtlint_in(dir.path(), &["check", "--format", "gitlab", "./doc.txt"], None);
    let again: Value = serde_json::from_str(&again.stdout).unwrap();
    let again_fused = only(again.as_array().unwrap(), "/check_name", FUSED);
    assert_eq!(again_fused["location"]["path"], "doc.txt");
    assert_eq!(again_fused["fingerprint"], fused["fingerprint"]);
}

#[test]
fn a_run_without_findings_is_valid_in_every_schema() {
    let dir = fixture();
    let clean = |format: &str| {
        let run = mtlint_in(dir.path(), &["check", "--format", format, "clean.txt"], None);
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        run.stdout
    };
    let sarif: Value = serde_json::from_str(&clean("sarif")).unwrap();
    validate_json("sarif-schema-2.1.0.json", &sarif);
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["rules"], serde_json::json!([]));
    let rdjson: Value = serde_json::from_str(&clean("rdjson")).unwrap();
    validate_json("rdjson-DiagnosticResult.json", &rdjson);
    assert_eq!(rdjson["diagnostics"], serde_json::json!([]));
    let gitlab: Value = serde_json::from_str(&clean("gitlab")).unwrap();
    validate_json("gitlab-codequality.schema.json", &gitlab);
    assert_eq!(gitlab, serde_json::json!([]));
    for (format, schema) in [("checkstyle", "checkstyle.xsd"), ("junit", "JUnit.xsd")] {
        let file = dir.path().join(format!("{format}.xml"));
        fs::write(&file, clean(format)).unwrap();
        validate_xml(schema, &file);
    }
    let checkstyle = dir.path().join("checkstyle.xml");
    assert_eq!(xpath(&checkstyle, "count(/checkstyle/file)"), "0");
    let junit = dir.path().join("junit.xml");
    assert_eq!(xpath(&junit, "string(/testsuites/testsuite/@tests)"), "1");
    assert_eq!(xpath(&junit, "string(/testsuites/testsuite/testcase/@name)"), "no findings");
}

#[test]
fn every_format_writes_the_same_report_to_an_output_file() {
    let dir = fixture();
    for format in ["concise", "json", "github", "sarif", "rdjson", "checkstyle", "junit", "gitlab"] {
        let to_stdout = check(dir.path(), format, &[]).stdout;
        let file = format!("report-{format}.out");
        let to_file = check(dir.path(), format, &["--output", &file]);
        assert_eq!(to_file.stdout, "", "--format {format} --output prints nothing");
        let written = fs::read_to_string(dir.path().join(&file)).unwrap();
        assert!(!written.is_empty(), "{format}");
        // JUnit's timestamps may differ by the second between the two runs.
        let normalise = |s: &str| {
            s.lines()
                .map(|l| match l.find("timestamp=\"") {
                    Some(i) => format!("{}{}", &l[..i], &l[i + 31..]),
                    None => l.to_string(),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(normalise(&written), normalise(&to_stdout), "--format {format}");
    }
}
