//! Markdown through the real binary: only prose is checked (not front matter, code, inline code, HTML comments or
//! link targets), findings point into the file as written, and `fix` changes only the corrected spans.

mod common;
use common::{json_lines, mtlint_in, root};

#[test]
fn markdown_prose_is_checked_at_its_place_in_the_file_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("tests/fixtures/markdown/release.md"), dir.path().join("release.md")).unwrap();
    let run = mtlint_in(dir.path(), &["check", "--isolated", "--format", "json", "release.md"], None);
    let found: Vec<(String, u64, u64)> = json_lines(&run.stdout)
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect();
    // Columns counted by hand: "# MIIT " is 7 characters, "According to the " 17, "first half. See `dataValue` and ["
    // 33, "| Exports | rose" 16, "- Sales " 8.
    let expected = [
        ("en.missing-space-after-punctuation", 5, 8),
        ("zh-en.media.china-news-service", 7, 18),
        ("en.repeated-word", 8, 34),
        ("en.fullwidth-punctuation", 18, 17),
        ("en.missing-space-after-punctuation", 20, 9),
    ];
    let expected: Vec<(String, u64, u64)> = expected.iter().map(|(r, l, c)| (r.to_string(), *l, *c)).collect();
    assert_eq!(found, expected, "{}", run.stderr);
}

#[test]
fn markdown_fix_changes_only_the_corrected_spans() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("tests/fixtures/markdown/release.md"), dir.path().join("release.md")).unwrap();
    let run = mtlint_in(dir.path(), &["fix", "--isolated", "release.md"], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let fixed = std::fs::read(dir.path().join("release.md")).unwrap();
    let expected = std::fs::read(root().join("tests/fixtures/markdown/release.fixed.md")).unwrap();
    assert_eq!(String::from_utf8_lossy(&fixed), String::from_utf8_lossy(&expected));
}
