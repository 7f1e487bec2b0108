//! End-to-end tests of the PO, TSV/CSV and JSON Lines readers through the real binary: only targets are checked,
//! findings point into the original file, `fix` writes only the corrected spans (encoded for the format), and
//! malformed files are reported by file and line.
//!
//! Lines and columns below were counted by hand in the fixture files (columns are 1-based characters; a tab, a
//! CJK character and each character of an escape sequence count one).

mod common;

use common::{json_lines, mtlint_in, root};
use std::path::{Path, PathBuf};

fn fixture(path: &str) -> PathBuf {
    root().join("tests/fixtures").join(path)
}

/// A copy of a fixture in a fresh folder (with no configuration file above it that matters: runs are --isolated).
fn copy(path: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let name = Path::new(path).file_name().unwrap().to_str().unwrap().to_string();
    std::fs::copy(fixture(path), dir.path().join(&name)).unwrap();
    (dir, name)
}

/// Findings of `check --format json` as (rule, line, column); bilingual rules (`zh-en.source-*`, which compare
/// targets with sources) are left out of the list, but every finding, theirs included, must lie on a target line.
fn findings(dir: &Path, args: &[&str], target_lines: &[u64]) -> (i32, Vec<(String, u64, u64)>, String) {
    let mut all = vec!["check", "--isolated", "--format", "json"];
    all.extend_from_slice(args);
    let run = mtlint_in(dir, &all, None);
    let mut found = Vec::new();
    for f in json_lines(&run.stdout) {
        let rule = f["rule"].as_str().unwrap().to_string();
        let line = f["line"].as_u64().unwrap();
        assert!(target_lines.contains(&line), "a finding outside the targets: {f}");
        if !rule.starts_with("zh-en.source-") {
            found.push((rule, line, f["column"].as_u64().unwrap()));
        }
    }
    (run.code, found, run.stderr)
}

fn expect(list: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
    list.iter().map(|(r, l, c)| (r.to_string(), *l, *c)).collect()
}

const REPEATED: &str = "en.repeated-word";
const SPACE: &str = "en.missing-space-after-punctuation";
const FULLWIDTH: &str = "en.fullwidth-punctuation";
const FUSED: &str = "en.fused-words";
const SCIO: &str = "zh-en.gov.scio";
/// Each quotation mark around a short phrase ("stable") is a finding of its own.
const QUOTES: &str = "en.emphasis-quotes";

/// `fix` on a copy of the fixture gives exactly the expected file, byte for byte.
fn assert_fixed(path: &str, expected: &str, code: i32) {
    let (dir, name) = copy(path);
    let run = mtlint_in(dir.path(), &["fix", "--isolated", &name], None);
    assert_eq!(run.code, code, "fix {path}: {}", run.stderr);
    let fixed = std::fs::read(dir.path().join(&name)).unwrap();
    let wanted = std::fs::read(fixture(expected)).unwrap();
    assert_eq!(String::from_utf8_lossy(&fixed), String::from_utf8_lossy(&wanted), "fix {path}");
    // A second fix changes nothing.
    let again = mtlint_in(dir.path(), &["fix", "--isolated", &name], None);
    assert_eq!(std::fs::read(dir.path().join(&name)).unwrap(), wanted, "fix {path} twice: {}", again.stderr);
}

/// `fix` of a file that could not be read completely refuses, and leaves it byte for byte as it was.
fn assert_not_fixed(path: &str) -> String {
    let (dir, name) = copy(path);
    let run = mtlint_in(dir.path(), &["fix", "--isolated", &name], None);
    assert_eq!(run.code, 2, "fix {path}: {}", run.stderr);
    assert!(run.stderr.contains("not fixed"), "{}", run.stderr);
    assert_eq!(std::fs::read(dir.path().join(&name)).unwrap(), std::fs::read(fixture(path)).unwrap());
    run.stderr
}

// ---------------------------------------------------------------------------------------------------------------- PO

#[test]
fn po_msgstrs_are_checked_not_msgids_comments_headers_or_obsolete_entries() {
    let (dir, name) = copy("po/news.po");
    // Line 34 is the empty `msgstr ""` of an untranslated entry, reported by zh-en.source-untranslated.
    let (code, found, stderr) = findings(dir.path(), &[&name], &[13, 19, 20, 23, 27, 28, 34]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(
        found,
        expect(&[
            (SCIO, 13, 13),
            (SPACE, 19, 19),
            (QUOTES, 20, 7),
            (QUOTES, 20, 15),
            (FULLWIDTH, 20, 28),
            (REPEATED, 20, 34),
            (FULLWIDTH, 23, 36),
            (FULLWIDTH, 23, 48),
            (FUSED, 28, 26),
        ])
    );
}

#[test]
fn po_fix_writes_only_the_corrected_spans_escaped() {
    // 《China Daily》 becomes \"China Daily\" inside the PO string. The untranslated entry remains (exit 1).
    assert_fixed("po/news.po", "po/news.fixed.po", 1);
}

#[test]
fn po_a_broken_string_is_reported_the_rest_checked_and_fix_refuses() {
    let (dir, name) = copy("po/broken.po");
    let (code, found, stderr) = findings(dir.path(), &[&name], &[2, 8]);
    assert_eq!(code, 2, "a file that could not be read completely is trouble");
    assert!(stderr.contains("broken.po:5: a string without its closing quote"), "{stderr}");
    assert_eq!(found, expect(&[(REPEATED, 2, 29), (SPACE, 8, 16)]));
    let stderr = assert_not_fixed("po/broken.po");
    assert!(stderr.contains("broken.po:5:"), "{stderr}");
}

// ------------------------------------------------------------------------------------------------------- TSV and CSV

#[test]
fn tsv_target_cells_are_checked_not_sources_notes_or_the_header() {
    let (dir, name) = copy("tsv/news.tsv");
    let (code, found, stderr) = findings(dir.path(), &[&name], &[2, 3, 4]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        found,
        expect(&[
            (SCIO, 2, 24),
            (SPACE, 3, 28),
            (FULLWIDTH, 3, 49),
            (FULLWIDTH, 3, 63),
            (FULLWIDTH, 4, 29),
            (REPEATED, 4, 35),
        ])
    );
}

#[test]
fn tsv_columns_can_be_chosen() {
    let (dir, name) = copy("tsv/news.tsv");
    let (_, found, stderr) = findings(dir.path(), &["--columns", "source,note", &name], &[2, 3]);
    assert_eq!(stderr, "");
    assert_eq!(found, expect(&[(SPACE, 2, 60), (FUSED, 2, 69), (REPEATED, 3, 65)]));
    let (_, by_number, _) = findings(dir.path(), &["--columns", "2,4", &name], &[2, 3]);
    assert_eq!(by_number, found);
}

#[test]
fn tsv_fix_writes_only_the_corrected_spans() {
    // No target is quoted: 《Annual Report》 becomes "Annual Report" with plain quotes.
    // The new quotes around "Annual Report" are flagged as emphasis quotes (exit 1): not a safe fix.
    assert_fixed("tsv/news.tsv", "tsv/news.fixed.tsv", 1);
}

#[test]
fn csv_quoted_fields_with_commas_and_doubled_quotes_map_to_the_file() {
    let (dir, name) = copy("tsv/news.csv");
    let (code, found, stderr) = findings(dir.path(), &[&name], &[2, 3, 4]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        found,
        expect(&[
            (QUOTES, 2, 33),
            (SCIO, 2, 35),
            (QUOTES, 2, 54),
            (FULLWIDTH, 2, 68),
            (REPEATED, 2, 69),
            (SPACE, 3, 19),
            (FULLWIDTH, 4, 9),
            (FULLWIDTH, 4, 23),
        ])
    );
}

#[test]
fn csv_fix_doubles_quotes_written_into_a_quoted_field() {
    // The quotes around "National New Office" and "Annual Report" remain flagged (exit 1): dropping them is a
    // reviewer's decision, not a safe fix.
    assert_fixed("tsv/news.csv", "tsv/news.fixed.csv", 1);
}

#[test]
fn tsv_a_row_of_the_wrong_width_is_reported_and_skipped_and_the_rest_is_fixed() {
    let (dir, name) = copy("tsv/ragged.tsv");
    let (code, found, stderr) = findings(dir.path(), &[&name], &[2, 4]);
    assert!(stderr.contains("ragged.tsv:3: the row has 3 fields, the first row 2"), "{stderr}");
    assert_eq!(code, 1, "a skipped row is reported but is not fatal: {stderr}");
    assert_eq!(found, expect(&[(REPEATED, 2, 21), (SPACE, 4, 10)]));
    // The row is not read, so a fix cannot touch it: the other rows are fixed.
    assert_fixed("tsv/ragged.tsv", "tsv/ragged.fixed.tsv", 0);
}

#[test]
fn csv_an_unclosed_quote_is_fatal_and_fix_refuses() {
    let (dir, name) = copy("tsv/unclosed.csv");
    let (code, found, stderr) = findings(dir.path(), &[&name], &[2]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unclosed.csv:3: a quoted field is never closed, so the rest"), "{stderr}");
    assert_eq!(found, expect(&[(REPEATED, 2, 21)]));
    assert_not_fixed("tsv/unclosed.csv");
}

// ------------------------------------------------------------------------------------------------------- JSON Lines

#[test]
fn jsonl_targets_are_checked_not_sources_ids_or_other_fields() {
    let (dir, name) = copy("jsonl/news.jsonl");
    let (code, found, stderr) = findings(dir.path(), &[&name], &[1, 2, 3]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        found,
        expect(&[
            (SCIO, 1, 64),
            (FULLWIDTH, 1, 95),
            (REPEATED, 1, 96),
            (SPACE, 2, 49),
            (QUOTES, 2, 58),
            (FUSED, 2, 60),
            (QUOTES, 2, 69),
            (REPEATED, 2, 93),
            (FULLWIDTH, 3, 32),
            (FULLWIDTH, 3, 46),
        ])
    );
}

#[test]
fn jsonl_fix_writes_only_the_corrected_spans_escaped() {
    // 《Annual Report》 becomes \"Annual Report\"; \u00e9 and \n around the fixes stay as written.
    // The quotes around "dataValue" and "Annual Report" remain flagged (exit 1): not a safe fix.
    assert_fixed("jsonl/news.jsonl", "jsonl/news.fixed.jsonl", 1);
}

#[test]
fn jsonl_an_invalid_line_is_reported_and_the_rest_checked_and_fixed() {
    let (dir, name) = copy("jsonl/broken.jsonl");
    let (code, found, stderr) = findings(dir.path(), &[&name], &[1, 3]);
    assert!(stderr.contains("broken.jsonl:2: not valid JSON"), "{stderr}");
    assert_eq!(code, 1, "an unreadable line is reported but is not fatal: {stderr}");
    assert_eq!(found, expect(&[(REPEATED, 1, 32), (SPACE, 3, 20)]));
    // A fix never writes into a line that was not read: the other lines are fixed, line 2 stays as it was.
    assert_fixed("jsonl/broken.jsonl", "jsonl/broken.fixed.jsonl", 0);
}

#[test]
fn an_empty_msgstr_is_reported_as_untranslated_inside_its_quotes() {
    let (dir, name) = copy("po/news.po");
    let run = mtlint_in(dir.path(), &["check", "--isolated", "--format", "json", &name], None);
    let f = json_lines(&run.stdout);
    let untranslated = f.iter().find(|f| f["rule"] == "zh-en.source-untranslated").expect("reported");
    // `msgstr ""`: the empty string sits between the quotes, at column 9 of line 34.
    assert_eq!((untranslated["line"].as_u64(), untranslated["column"].as_u64()), (Some(34), Some(9)));
}
