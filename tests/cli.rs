//! The command-line contract, end to end through the real binary: exit codes, JSON fields, `--diff`, `fix`
//! (atomic, idempotent, byte-preserving), encodings, bad rule files, bad paths and bad bytes.

mod common;
use common::{json_lines, mtlint_in};
use std::fs;
use std::path::Path;

const GLUED: &str = "Exports grew.The market rose.\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn exit_codes_follow_the_failing_severity() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "clean.txt", b"The market rose.\n");
    write(dir.path(), "glued.txt", GLUED.as_bytes());
    write(dir.path(), "spaces.txt", b"The market  rose.\n"); // en.multiple-spaces is info
    let d = dir.path();
    assert_eq!(mtlint_in(d, &["check", "clean.txt"], None).code, 0);
    assert_eq!(mtlint_in(d, &["check", "glued.txt"], None).code, 1);
    assert_eq!(mtlint_in(d, &["check", "spaces.txt"], None).code, 0, "info is below the default --fail-on warning");
    assert_eq!(mtlint_in(d, &["check", "--fail-on", "info", "spaces.txt"], None).code, 1);
    assert_eq!(mtlint_in(d, &["check", "--fail-on", "error", "glued.txt"], None).code, 1);
    assert_eq!(mtlint_in(d, &["check", "--no-such-flag", "glued.txt"], None).code, 2, "usage error");
}

#[test]
fn a_missing_path_is_an_error_but_other_files_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "glued.txt", GLUED.as_bytes());
    let run = mtlint_in(dir.path(), &["check", "--format", "json", "nowhere.txt", "glued.txt"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nowhere.txt") && run.stderr.contains("no such file"), "{}", run.stderr);
    assert_eq!(json_lines(&run.stdout).len(), 1, "glued.txt is still reported: {}", run.stdout);
}

#[test]
fn json_findings_carry_every_field_with_positions_in_characters_and_file_bytes() {
    let dir = tempfile::tempdir().unwrap();
    // A BOM and Chinese characters before the flagged text: columns count characters, byte offsets count the
    // bytes of the file as read (BOM included).
    let text = "Intro line\n中文：see the National New Office report.\n";
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.as_bytes());
    write(dir.path(), "doc.txt", &bytes);
    let run = mtlint_in(dir.path(), &["check", "--format", "json", "doc.txt"], None);
    let findings = json_lines(&run.stdout);
    let term = findings.iter().find(|f| f["rule"] == "zh-en.gov.scio").expect("the SCIO rendering is flagged");
    for field in [
        "path",
        "rule",
        "category",
        "severity",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "byte_start",
        "byte_end",
        "matched",
        "suggestions",
    ] {
        assert!(term.get(field).is_some(), "field {field} missing in {term}");
    }
    assert_eq!(term["path"], "doc.txt");
    assert_eq!(term["matched"], "National New Office");
    assert_eq!(term["suggestions"][0], "State Council Information Office");
    assert_eq!(term["severity"], "error");
    assert_eq!(term["category"], "Terminology");
    // "中文：see the " is 11 characters, so the span starts at column 12 of line 2 and ends after 19 more.
    assert_eq!((term["line"].as_u64(), term["column"].as_u64()), (Some(2), Some(12)));
    assert_eq!((term["end_line"].as_u64(), term["end_column"].as_u64()), (Some(2), Some(31)));
    let (a, b) = (term["byte_start"].as_u64().unwrap() as usize, term["byte_end"].as_u64().unwrap() as usize);
    assert_eq!(&bytes[a..b], b"National New Office", "byte offsets index the file as read");
    // The full-width colon is flagged too, at column 3.
    let colon = findings.iter().find(|f| f["rule"] == "en.fullwidth-punctuation").expect("the colon is flagged");
    assert_eq!(colon["column"].as_u64(), Some(3));
}

#[test]
fn standard_input_is_read_with_dash_or_when_piped() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["check", "--format", "json", "-"][..], &["check", "--format", "json"][..]] {
        let run = mtlint_in(dir.path(), args, Some(GLUED.as_bytes()));
        let findings = json_lines(&run.stdout);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0]["path"], "<stdin>");
        assert_eq!(findings[0]["matched"], "grew.The");
    }
}

#[test]
fn human_format_shows_position_rule_line_marker_and_word_diff() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "doc.txt", "Officials met at the National New Office today.\n".as_bytes());
    let run = mtlint_in(dir.path(), &["check", "doc.txt"], None);
    let out = &run.stdout;
    assert!(out.contains("doc.txt:1:22: error[zh-en.gov.scio]"), "{out}");
    assert!(out.contains("1 | Officials met at the National New Office today."), "{out}");
    assert!(out.contains(&format!("  | {}{}", " ".repeat(21), "^".repeat(19))), "{out}");
    assert!(
        out.contains("fix: Officials met at the [-National New-]{+State Council Information+} Office today."),
        "{out}"
    );
    assert!(out.contains("source term: 国新办"), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour when NO_COLOR is set and output is piped");
    let coloured = mtlint_in(dir.path(), &["check", "--color", "always", "doc.txt"], None);
    assert!(coloured.stdout.contains('\u{1b}'), "--color always colours");
}

#[test]
fn diff_prints_a_unified_diff_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "doc.txt", GLUED.as_bytes());
    let run = mtlint_in(dir.path(), &["check", "--diff", "doc.txt"], None);
    assert_eq!(
        run.stdout,
        "--- a/doc.txt\n+++ b/doc.txt\n@@ -1 +1 @@\n-Exports grew.The market rose.\n+Exports grew. The market rose.\n"
    );
    assert_eq!(fs::read_to_string(dir.path().join("doc.txt")).unwrap(), GLUED);
}

#[test]
fn fix_preserves_crlf_bom_missing_final_newline_and_every_byte_outside_the_spans() {
    let dir = tempfile::tempdir().unwrap();
    let mut original = vec![0xEF, 0xBB, 0xBF];
    original
        .extend_from_slice(b"First line \xE2\x80\x94 fine.\r\nExports grew.The the market rose.\r\nNo newline at end");
    write(dir.path(), "doc.txt", &original);
    let run = mtlint_in(dir.path(), &["fix", "doc.txt"], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let mut expected = vec![0xEF, 0xBB, 0xBF];
    expected.extend_from_slice(b"First line \xE2\x80\x94 fine.\r\nExports grew. The market rose.\r\nNo newline at end");
    assert_eq!(fs::read(dir.path().join("doc.txt")).unwrap(), expected);
    assert!(run.stdout.contains("Fixed 2 findings"), "{}", run.stdout);
}

#[test]
fn fix_writes_atomically_keeps_permissions_and_writes_through_symlinks() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "doc.txt", GLUED.as_bytes());
    fs::set_permissions(d.join("doc.txt"), fs::Permissions::from_mode(0o640)).unwrap();
    symlink("doc.txt", d.join("link.txt")).unwrap();
    let inode_before = fs::metadata(d.join("doc.txt")).unwrap().ino();
    let run = mtlint_in(d, &["fix", "link.txt"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fs::read_to_string(d.join("doc.txt")).unwrap(), "Exports grew. The market rose.\n");
    let meta = fs::metadata(d.join("doc.txt")).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640, "permissions are kept");
    assert_ne!(meta.ino(), inode_before, "the file is replaced by a rename, not rewritten in place");
    assert!(fs::symlink_metadata(d.join("link.txt")).unwrap().file_type().is_symlink(), "the link stays a link");
    let names: Vec<String> = fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names.len(), 2, "no temporary file is left behind: {names:?}");
}

#[test]
fn fix_of_a_read_only_file_fails_clearly_and_leaves_it_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "doc.txt", GLUED.as_bytes());
    fs::set_permissions(dir.path().join("doc.txt"), fs::Permissions::from_mode(0o444)).unwrap();
    let run = mtlint_in(dir.path(), &["fix", "doc.txt"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("doc.txt") && run.stderr.contains("read-only"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(dir.path().join("doc.txt")).unwrap(), GLUED);
}

#[test]
fn fix_twice_changes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    // Overlapping fixes (a term inside a glued sentence, a loop inside a repeated word) resolve over rounds.
    let text = "He spoke at the National New Office.The the the market rose.Sales of clouds and computing rose.\n";
    write(dir.path(), "doc.txt", text.as_bytes());
    mtlint_in(dir.path(), &["fix", "doc.txt"], None);
    let once = fs::read_to_string(dir.path().join("doc.txt")).unwrap();
    assert_eq!(
        once,
        "He spoke at the State Council Information Office. The market rose. Sales of cloud computing rose.\n"
    );
    let second = mtlint_in(dir.path(), &["fix", "doc.txt"], None);
    assert_eq!(fs::read_to_string(dir.path().join("doc.txt")).unwrap(), once);
    assert!(second.stdout.contains("Fixed 0 findings"), "{}", second.stdout);
}

#[test]
fn fix_on_standard_input_prints_the_fixed_text() {
    let dir = tempfile::tempdir().unwrap();
    let run = mtlint_in(dir.path(), &["fix", "-"], Some(GLUED.as_bytes()));
    assert_eq!(run.stdout, "Exports grew. The market rose.\n");
    assert!(run.stderr.contains("Fixed 1 finding"), "{}", run.stderr);
}

#[test]
fn utf16_with_bom_is_read_and_written_back_as_utf16() {
    let dir = tempfile::tempdir().unwrap();
    let encode =
        |s: &str| -> Vec<u8> { [0xFF, 0xFE].into_iter().chain(s.encode_utf16().flat_map(u16::to_le_bytes)).collect() };
    write(dir.path(), "doc.txt", &encode(GLUED));
    let run = mtlint_in(dir.path(), &["check", "--format", "json", "doc.txt"], None);
    let f = &json_lines(&run.stdout)[0];
    assert_eq!(f["matched"], "grew.The");
    assert_eq!(f["byte_start"].as_u64(), Some(2 + 2 * 8), "UTF-16 byte offsets count the BOM and two bytes a unit");
    mtlint_in(dir.path(), &["fix", "doc.txt"], None);
    assert_eq!(fs::read(dir.path().join("doc.txt")).unwrap(), encode("Exports grew. The market rose.\n"));
}

#[test]
fn invalid_utf8_is_a_clear_error_naming_file_line_and_byte_offset() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.txt", b"Fine line.\nBad \xC3\x28 byte.\n");
    write(dir.path(), "glued.txt", GLUED.as_bytes());
    let run = mtlint_in(dir.path(), &["check", "bad.txt", "glued.txt"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad.txt: line 2, byte offset 15: invalid UTF-8"), "{}", run.stderr);
    assert!(run.stdout.contains("glued.txt:1:9"), "the other file is still checked: {}", run.stdout);
}

#[test]
fn empty_files_and_very_long_lines_work() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.txt", b"");
    let run = mtlint_in(dir.path(), &["check", "empty.txt"], None);
    assert_eq!((run.code, run.stdout.as_str()), (0, "No findings in 1 file.\n"));
    // One line of 20 MB, with an artifact near the end.
    let mut long = "The market rose. ".repeat(20 * 1024 * 1024 / 17);
    let column = long.chars().count() + 1;
    long.push_str("Output grew.The end.");
    write(dir.path(), "long.txt", long.as_bytes());
    let run = mtlint_in(dir.path(), &["check", "--format", "json", "long.txt"], None);
    let findings = json_lines(&run.stdout);
    assert_eq!(findings.len(), 1, "{}", run.stderr);
    assert_eq!(findings[0]["column"].as_u64(), Some(column as u64 + 7));
}

#[test]
fn folders_are_walked_honouring_gitignore_and_skipping_binary_and_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("docs/sub")).unwrap();
    write(d, ".gitignore", b"ignored.txt\n");
    write(d, "docs/a.txt", GLUED.as_bytes());
    write(d, "docs/sub/b.md", GLUED.as_bytes());
    write(d, "docs/ignored.txt", GLUED.as_bytes());
    write(d, "docs/data.bin.txt", b"Exports grew.The\x00\x01 binary");
    write(d, "docs/code.rs", GLUED.as_bytes());
    let run = mtlint_in(d, &["check", "--format", "json", "docs"], None);
    let paths: Vec<String> = json_lines(&run.stdout).iter().map(|f| f["path"].as_str().unwrap().to_string()).collect();
    assert_eq!(paths, ["docs/a.txt", "docs/sub/b.md"]);
}

fn bad_rules(toml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.toml", toml.as_bytes());
    write(dir.path(), "doc.txt", b"text\n");
    let run = mtlint_in(dir.path(), &["check", "--rules", "bad.toml", "doc.txt"], None);
    assert_eq!(run.code, 2, "an invalid rule file exits with 2: {}", run.stderr);
    run.stderr
}

const GOOD_HEAD: &str = "[[rule]]\nid = \"my.rule\"\nkind = \"pattern\"\ncategory = \"Style\"\nseverity = \"info\"\n";

#[test]
fn invalid_rule_files_are_reported_with_file_line_and_column() {
    let err = bad_rules(&format!("{GOOD_HEAD}message = \"x\"\npattern = 'a(b'\n"));
    assert!(err.contains("bad.toml:7:11: rule `my.rule`: invalid regular expression"), "{err}");

    let err = bad_rules(&format!("{GOOD_HEAD}message = \"x\"\npatern = 'ab'\n"));
    assert!(err.contains("bad.toml:7:1: unknown field `patern`"), "{err}");

    let err = bad_rules("[[rule]]\nid = \"my.rule\"\nkind = \"pattern\"\n");
    assert!(err.contains("bad.toml:1:1: rule `my.rule`: missing field `category`"), "{err}");

    let err = bad_rules("[[rule]]\nid = \"my.rule\"\nkind = \"patern\"\n");
    assert!(err.contains("bad.toml:3:8: unknown variant `patern`"), "{err}");

    let err = bad_rules("[[rule]\nid = 1\n");
    assert!(err.contains("bad.toml:1:"), "{err}");

    let twice = format!("{GOOD_HEAD}message = \"x\"\npattern = 'ab'\n");
    let err = bad_rules(&format!("{twice}\n{twice}"));
    assert!(err.contains("bad.toml:10:1: duplicate rule id `my.rule`: already defined at bad.toml:2"), "{err}");

    let err = bad_rules(&format!("{GOOD_HEAD}message = \"x\"\npattern = 'ab'\nwrong = [\"x\"]\n"));
    assert!(err.contains("field `wrong` is not used by rules of kind `pattern`"), "{err}");
}

#[test]
fn user_rules_are_added_or_used_alone_and_their_examples_tested() {
    let dir = tempfile::tempdir().unwrap();
    let rule = format!(
        "{GOOD_HEAD}fix = \"safe\"\nmessage = \"calque\"\npattern = '(?i)in the year of (\\d{{4}})'\nreplace = [\"in $1\"]\n\
         [[rule.example]]\nbad = \"It opened in the year of 2019.\"\nfixed = \"It opened in 2019!\"\n"
    );
    write(dir.path(), "my.toml", rule.as_bytes());
    write(dir.path(), "doc.txt", b"It opened in the year of 2019.The end.\n");
    let only = mtlint_in(
        dir.path(),
        &["check", "--no-default-rules", "--rules", "my.toml", "--format", "json", "doc.txt"],
        None,
    );
    let rules: Vec<String> = json_lines(&only.stdout).iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect();
    assert_eq!(rules, ["my.rule"]);
    let both = mtlint_in(dir.path(), &["check", "--rules", "my.toml", "--format", "json", "doc.txt"], None);
    assert_eq!(json_lines(&both.stdout).len(), 2, "built-in rules plus the user's");
    let tested = mtlint_in(dir.path(), &["test-rules", "my.toml"], None);
    assert_eq!(tested.code, 1);
    assert!(
        tested.stdout.contains("my.toml:10: rule `my.rule`: the fix gives \"It opened in 2019.\", the example expects \"It opened in 2019!\""),
        "{}",
        tested.stdout
    );
}

#[test]
fn rules_lists_filters_by_pack_and_explains_one_rule() {
    let dir = tempfile::tempdir().unwrap();
    let all = mtlint_in(dir.path(), &["rules"], None);
    assert!(all.stdout.contains("en.fused-words") && all.stdout.contains("zh-en.gov.scio"), "{}", all.stdout);
    let pack = mtlint_in(dir.path(), &["rules", "--pack", "zh-en"], None);
    assert!(!pack.stdout.contains("en.fused-words") && pack.stdout.contains("zh-en.gov.scio"));
    let explained = mtlint_in(dir.path(), &["rules", "--explain", "zh-en.gov.scio"], None);
    assert!(explained.stdout.contains("source:    国新办"), "{}", explained.stdout);
    assert!(explained.stdout.contains("note:"), "{}", explained.stdout);
    assert!(explained.stdout.contains("flagged:") && explained.stdout.contains("becomes:"), "{}", explained.stdout);
    assert_eq!(mtlint_in(dir.path(), &["rules", "--explain", "no.such-rule"], None).code, 2);
    assert_eq!(mtlint_in(dir.path(), &["rules", "--pack", "nope"], None).code, 2);
}

#[test]
fn legacy_encodings_are_read_with_encoding_and_written_back_in_them() {
    let dir = tempfile::tempdir().unwrap();
    // GB18030 bytes of "国新办: growth.The end.\n" (国 = B9 FA, 新 = D0 C2, 办 = B0 EC).
    let mut bytes = vec![0xB9, 0xFA, 0xD0, 0xC2, 0xB0, 0xEC];
    bytes.extend_from_slice(b": growth.The end.\n");
    write(dir.path(), "doc.txt", &bytes);
    let plain = mtlint_in(dir.path(), &["check", "doc.txt"], None);
    assert_eq!(plain.code, 2);
    assert!(
        plain.stderr.contains("doc.txt: line 1, byte offset 0: invalid UTF-8") && plain.stderr.contains("--encoding"),
        "{}",
        plain.stderr
    );
    let run = mtlint_in(dir.path(), &["check", "--encoding", "gb18030", "--format", "json", "doc.txt"], None);
    let findings = json_lines(&run.stdout);
    let glued = findings.iter().find(|f| f["rule"] == "en.missing-space-after-punctuation").expect("flagged");
    // Columns count characters; byte offsets count the file's GB18030 bytes.
    assert_eq!((glued["column"].as_u64(), glued["byte_start"].as_u64()), (Some(6), Some(8)));
    mtlint_in(dir.path(), &["fix", "--encoding", "gb18030", "doc.txt"], None);
    let mut expected = vec![0xB9, 0xFA, 0xD0, 0xC2, 0xB0, 0xEC];
    expected.extend_from_slice(b": growth. The end.\n");
    assert_eq!(fs::read(dir.path().join("doc.txt")).unwrap(), expected);
    let bad = mtlint_in(dir.path(), &["check", "--encoding", "utf-16le", "doc.txt"], None);
    assert_eq!(bad.code, 2, "UTF-16 without a byte-order mark cannot be written back");
}

#[test]
fn text_ending_in_a_number_or_a_short_word_is_checked_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    for text in ["Growth was 5\n", "5", "a", "Growth was 5 5 5", "x y"] {
        let run = mtlint_in(dir.path(), &["check", "-"], Some(text.as_bytes()));
        assert!(run.code == 0 || run.code == 1, "{text:?}: exit {}: {}", run.code, run.stderr);
    }
}
