//! The HTML, XLIFF and TMX readers end to end through the real binary, on the fixtures in tests/fixtures/{html,
//! xliff,tmx}/: what is flagged (only the text of targets and text nodes, never sources, notes, attributes, markup,
//! code or scripts), where (the JSON `line`/`column` point into the original file: worked out by hand below, columns
//! counting characters from 1, ends exclusive), what `fix` writes (compared byte for byte with the hand-written
//! `*.fixed.*` files: only the flagged spans change, a suggestion holding `&` is written `&amp;`), and how a
//! malformed file is reported (file and line named, the part before the error still checked, `fix` refusing to
//! write it, exit 2).
//!
//! Every run adds tests/fixtures/ampersand.toml, a rule that rewrites "R and D" as "R&D". The built-in
//! `zh-en.name-consistency` then also flags "R and D" (the file writes both "R&D" and "R and D"), without a fix.

mod common;
use common::{Run, json_lines, mtlint_in};
use serde_json::Value;
use std::fs;
use std::path::Path;

const GLUED: &str = "en.missing-space-after-punctuation";
const REPEATED: &str = "en.repeated-word";
const FUSED: &str = "en.fused-words";
const FULLWIDTH: &str = "en.fullwidth-punctuation";
const SCIO: &str = "zh-en.gov.scio";
const CONSISTENCY: &str = "zh-en.name-consistency";
const AMPERSAND: &str = "test.r-and-d";

fn fixture(path: &str) -> Vec<u8> {
    fs::read(common::root().join("tests/fixtures").join(path)).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A temporary folder holding the fixture `path` (under its file name) and the ampersand rule.
fn folder_with(path: &str, bytes: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let name = Path::new(path).file_name().unwrap().to_string_lossy().into_owned();
    fs::write(dir.path().join(&name), bytes).unwrap();
    fs::write(dir.path().join("ampersand.toml"), fixture("ampersand.toml")).unwrap();
    (dir, name)
}

fn check(dir: &Path, name: &str) -> Run {
    mtlint_in(dir, &["check", "--rules", "ampersand.toml", "--format", "json", name], None)
}

fn fix(dir: &Path, name: &str) -> Run {
    mtlint_in(dir, &["fix", "--rules", "ampersand.toml", name], None)
}

/// (rule, line, column, end line, end column, matched) of each finding; and each finding's `byte_start..byte_end`
/// holds exactly its `matched` text in `file` (the bytes of a UTF-8 file).
fn positions(run: &Run, file: Option<&str>) -> Vec<(String, u64, u64, u64, u64, String)> {
    json_lines(&run.stdout)
        .iter()
        .map(|f: &Value| {
            let matched = f["matched"].as_str().unwrap().to_string();
            let (start, end) = (f["byte_start"].as_u64().unwrap() as usize, f["byte_end"].as_u64().unwrap() as usize);
            if let Some(file) = file {
                assert_eq!(&file[start..end], matched, "the byte range of {f}");
            }
            let n = |k: &str| f[k].as_u64().unwrap();
            (f["rule"].as_str().unwrap().to_string(), n("line"), n("column"), n("end_line"), n("end_column"), matched)
        })
        .collect()
}

fn expect(rows: &[(&str, u64, u64, u64, u64, &str)]) -> Vec<(String, u64, u64, u64, u64, String)> {
    rows.iter().map(|&(r, l, c, el, ec, m)| (r.to_string(), l, c, el, ec, m.to_string())).collect()
}

/// `fix` on a copy of `path` writes exactly `expected` (and says nothing is left to fix).
fn assert_fix(path: &str, expected: &str) {
    let (dir, name) = folder_with(path, &fixture(path));
    let run = fix(dir.path(), &name);
    assert_eq!(run.code, 0, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    let fixed = fs::read(dir.path().join(&name)).unwrap();
    let want = fixture(expected);
    assert!(
        fixed == want,
        "{path} fixed:\n{}\nexpected ({expected}):\n{}",
        String::from_utf8_lossy(&fixed),
        String::from_utf8_lossy(&want)
    );
    let again = fix(dir.path(), &name);
    assert_eq!(fs::read(dir.path().join(&name)).unwrap(), want, "a second fix changes nothing: {}", again.stderr);
}

/// A malformed file: the error names the file and line, findings before it are reported, `fix` leaves it as it is.
fn assert_malformed(path: &str, error: &str, before: (&str, u64, u64), after: &str) {
    let bytes = fixture(path);
    let (dir, name) = folder_with(path, &bytes);
    let run = check(dir.path(), &name);
    assert_eq!(run.code, 2, "a file that cannot be read completely is trouble: {}", run.stderr);
    assert!(run.stderr.contains(&format!("mtlint: {name}:{error}")), "{}", run.stderr);
    let found = positions(&run, Some(std::str::from_utf8(&bytes).unwrap()));
    let (rule, line, column) = before;
    assert!(
        found.iter().any(|f| f.0 == rule && f.1 == line && f.2 == column),
        "the unit before the error is still checked: {found:?}"
    );
    assert!(!found.iter().any(|f| f.5 == after), "nothing is read after a fatal error: {found:?}");
    let run = fix(dir.path(), &name);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{name}: not fixed: the file could not be read completely")),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(dir.path().join(&name)).unwrap(), bytes, "fix leaves a malformed file untouched");
}

// XLIFF 1.2, tests/fixtures/xliff/news.xlf. Targets, with their line and where the flagged text starts (the
// 8-space indent and `<target>` make 16 characters before the text):
//   10  `The National New Office held…`: "National New Office" at 17 + 4 = 21..40
//   14  `R&amp;D spending grew.The…`: the entity counts as its 5 file characters, so "grew.The" is at
//       17 + len("R&amp;D spending ") 17 = 34..42
//   19  `A spokesperson at the <g id="1" ctype="x-National-New-Office">National New Office</g> said that the the…`:
//       the `<g>` tag ends at column 78 ("A spokesperson at the " 22 characters from 17, then the 40-character
//       tag), so the name is at 79..98 (inside the tag, flagged though its ctype attribute is not); "the the" after
//       "</g> said that " at 98 + 4 + 11 = 113..120
//   23  `The dataValue rose sharply，and R and D rose<x …/>…`: "dataValue" 21..30, "，" 43..44, "R and D" 48..55
//   28  `<![CDATA[Prices & costs grew.The…`: CDATA is text as it stands; "grew.The" at 17 + 9 + 15 = 41..49
// Unit p5 (line 30) has no target: a problem on line 30, not fatal. Sources, notes, the alt-trans target, the
// `<ph>` native code ("the the" in an escaped attribute) and attributes hold the same artifacts, unflagged.

#[test]
fn xliff_findings_are_in_targets_only_and_point_into_the_file() {
    let bytes = fixture("xliff/news.xlf");
    let (dir, name) = folder_with("xliff/news.xlf", &bytes);
    let run = check(dir.path(), &name);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.trim(), "mtlint: news.xlf:30: trans-unit \"p5\" has no <target>: not checked");
    assert_eq!(
        positions(&run, Some(std::str::from_utf8(&bytes).unwrap())),
        expect(&[
            (SCIO, 10, 21, 10, 40, "National New Office"),
            (GLUED, 14, 34, 14, 42, "grew.The"),
            (SCIO, 19, 79, 19, 98, "National New Office"),
            (REPEATED, 19, 113, 19, 120, "the the"),
            (FUSED, 23, 21, 23, 30, "dataValue"),
            (FULLWIDTH, 23, 43, 23, 44, "，"),
            (CONSISTENCY, 23, 48, 23, 55, "R and D"),
            (AMPERSAND, 23, 48, 23, 55, "R and D"),
            (GLUED, 28, 41, 28, 49, "grew.The"),
        ])
    );
}

#[test]
fn xliff_fix_changes_only_the_flagged_spans_and_encodes_the_ampersand() {
    assert_fix("xliff/news.xlf", "xliff/news.fixed.xlf");
}

/// The same file in UTF-16 (little-endian, with a byte-order mark): lines and columns are those of the decoded
/// text, the same as in UTF-8, and the fixed file is written back in UTF-16.
/// Inside a CDATA section text stands as it is: a suggestion holding `&` would be written `&amp;` there and read as
/// those five letters, so it is not offered (the message still names the correct wording); the same rendering in a
/// target without CDATA is fixed, encoded.
#[test]
fn xliff_cdata_gets_no_suggestion_that_escaping_would_corrupt() {
    let file = concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n",
        "<file source-language=\"zh-CN\" target-language=\"en\" datatype=\"plaintext\" original=\"x\"><body>\n",
        "<trans-unit id=\"1\"><source>研发</source><target><![CDATA[Our R and D team <grew>.]]></target></trans-unit>\n",
        "<trans-unit id=\"2\"><source>研发</source><target>Our R and D team grew.</target></trans-unit>\n",
        "</body></file>\n</xliff>\n"
    );
    let (dir, name) = folder_with("cdata.xlf", file.as_bytes());
    let findings = json_lines(&check(dir.path(), &name).stdout);
    let ours: Vec<(u64, u64, String, Value)> = findings
        .iter()
        .filter(|f| f["rule"] == AMPERSAND)
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].to_string(),
                f["suggestions"].clone(),
            )
        })
        .collect();
    // Line 4: `<trans-unit id="1">` 19 characters, `<source>研发</source>` 19, `<target>` 8, `<![CDATA[` 9, `Our ` 4: 59
    // before "R and D"; line 5 the same without `<![CDATA[`: 50.
    assert_eq!(ours.len(), 2, "{findings:?}");
    assert_eq!((ours[0].0, ours[0].1), (4, 60));
    assert!(ours[0].2.contains("R&D"), "the message names the correct wording: {}", ours[0].2);
    assert_eq!(ours[0].3, serde_json::json!([]));
    assert_eq!((ours[1].0, ours[1].1, ours[1].3.clone()), (5, 51, serde_json::json!(["R&D"])));
    let run = fix(dir.path(), &name);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let fixed = fs::read_to_string(dir.path().join(&name)).unwrap();
    assert_eq!(fixed, file.replace("<target>Our R and D team grew.", "<target>Our R&amp;D team grew."));
}

#[test]
fn xliff_in_utf16_reports_the_same_positions_and_is_fixed_in_utf16() {
    let utf16 = |text: &str| -> Vec<u8> {
        let text = text.replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
        std::iter::once(0xFEFF_u16).chain(text.encode_utf16()).flat_map(u16::to_le_bytes).collect()
    };
    let utf8 = String::from_utf8(fixture("xliff/news.xlf")).unwrap();
    let (dir, name) = folder_with("xliff/news.xlf", &utf16(&utf8));
    let run = check(dir.path(), &name);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.trim(), "mtlint: news.xlf:30: trans-unit \"p5\" has no <target>: not checked");
    // (`byte_start`/`byte_end` count the bytes of the UTF-16 file.)
    let found: Vec<_> = positions(&run, None).into_iter().map(|f| (f.1, f.2, f.5)).collect();
    assert_eq!(
        found,
        [
            (10, 21, "National New Office".to_string()),
            (14, 34, "grew.The".into()),
            (19, 79, "National New Office".into()),
            (19, 113, "the the".into()),
            (23, 21, "dataValue".into()),
            (23, 43, "，".into()),
            (23, 48, "R and D".into()),
            (23, 48, "R and D".into()),
            (28, 41, "grew.The".into()),
        ]
    );
    let run = fix(dir.path(), &name);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = String::from_utf8(fixture("xliff/news.fixed.xlf")).unwrap();
    assert_eq!(fs::read(dir.path().join(&name)).unwrap(), utf16(&expected));
}

// XLIFF 2.0, tests/fixtures/xliff/news-2.0.xlf: line 9 `        <target>The <pc id="1" dataRefStart="d1">National New
// Office</pc>…`: the `<pc>` tag (29 characters) ends at column 49, the name is at 50..69; line 13 `        <target>
// Exports grew.The<ph id="2"/> <mrk id="m1" type="term">dataValue</mrk> rose.`: "grew.The" at 17 + 8 = 25..33,
// then `<ph id="2"/>` (12), a space and the 25-character `<mrk>` tag put "dataValue" at 33 + 12 + 1 + 25 = 71..80.
// Segment s3 (line 15) has no target. Notes, originalData and attributes are not checked.

#[test]
fn xliff_2_findings_are_in_segment_targets() {
    let bytes = fixture("xliff/news-2.0.xlf");
    let (dir, name) = folder_with("xliff/news-2.0.xlf", &bytes);
    let run = check(dir.path(), &name);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.trim(), "mtlint: news-2.0.xlf:15: unit \"u1\" segment \"s3\" has no <target>: not checked");
    assert_eq!(
        positions(&run, Some(std::str::from_utf8(&bytes).unwrap())),
        expect(&[
            (SCIO, 9, 50, 9, 69, "National New Office"),
            (GLUED, 13, 25, 13, 33, "grew.The"),
            (FUSED, 13, 71, 13, 80, "dataValue"),
        ])
    );
}

/// tests/fixtures/xliff/broken.xlf: the `<g>` opened on line 11 is closed by `</target>`, an XML error at that
/// end tag (line 11). Unit 1 (line 7, "grew.The" at 17 + 8 = 25) is still checked; unit 3 after the error is not.
#[test]
fn malformed_xliff_is_fatal_at_its_line_and_never_fixed() {
    assert_malformed("xliff/broken.xlf", "11: malformed XML: ", (GLUED, 7, 25), "dataValue");
}

/// tests/fixtures/xliff/entities.xlf declares an external entity (secret.txt beside it holds "the the" and
/// "grew.The") and an internal one ("the the"), and uses both in a target on line 11: neither is expanded or read,
/// each is a problem that does not stop reading, and nothing is flagged.
#[test]
fn xliff_entities_of_a_doctype_are_never_expanded_nor_files_read() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("entities.xlf"), fixture("xliff/entities.xlf")).unwrap();
    fs::write(dir.path().join("secret.txt"), fixture("xliff/secret.txt")).unwrap();
    let run = mtlint_in(dir.path(), &["check", "--format", "json", "entities.xlf"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "", "nothing of the entities is checked");
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            "mtlint: entities.xlf:11: unknown entity &secret; (not expanded); left as it is",
            "mtlint: entities.xlf:11: unknown entity &repeated; (not expanded); left as it is",
        ]
    );
    // Were the entities expanded, these would be flagged.
    let run = mtlint_in(dir.path(), &["check", "--format", "json", "secret.txt"], None);
    assert_eq!(json_lines(&run.stdout).len(), 2, "{}", run.stdout);
}

// TMX, tests/fixtures/tmx/memory.tmx (header srclang zh-CN). English variants:
//   10  `      <tuv xml:lang="en-US"><seg>The <hi type="b">National New Office</hi> held the the briefing.`: the
//       `<seg>` content starts at column 34; "The " and the 13-character `<hi>` tag put the name at 51..70, and
//       "</hi> held " (11) "the the" at 81..88
//   13  `      <tuv xml:lang="EN-GB"><seg>R&amp;D spending grew.The…`: variant listed before the source, language in
//       capitals; "grew.The" at 34 + 17 = 51..59
//   18  `      <tuv xml:lang="en"><seg>The dataValue rose<ph x="1">&lt;br/&gt;</ph> sharply，and R and D…`: content
//       from 31, "dataValue" 35..44; the 26-character `<ph>` element takes 49..75, " sharply" puts "，" at 83..84,
//       and "and " after it "R and D" at 88..95.
// tu 4 (line 20) has no English variant. Header attributes, props, notes, the source variants and the native code
// of `<bpt>`/`<ph>` hold the same artifacts, unflagged.

#[test]
fn tmx_findings_are_in_english_variants_only() {
    let bytes = fixture("tmx/memory.tmx");
    let (dir, name) = folder_with("tmx/memory.tmx", &bytes);
    let run = check(dir.path(), &name);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.trim(), "mtlint: memory.tmx:20: tu \"4\" has no English (en) variant: not checked");
    assert_eq!(
        positions(&run, Some(std::str::from_utf8(&bytes).unwrap())),
        expect(&[
            (SCIO, 10, 51, 10, 70, "National New Office"),
            (REPEATED, 10, 81, 10, 88, "the the"),
            (GLUED, 13, 51, 13, 59, "grew.The"),
            (FUSED, 18, 35, 18, 44, "dataValue"),
            (FULLWIDTH, 18, 83, 18, 84, "，"),
            (CONSISTENCY, 18, 88, 18, 95, "R and D"),
            (AMPERSAND, 18, 88, 18, 95, "R and D"),
        ])
    );
}

#[test]
fn tmx_fix_changes_only_the_flagged_spans() {
    assert_fix("tmx/memory.tmx", "tmx/memory.fixed.tmx");
}

/// tests/fixtures/tmx/broken.tmx: a lone `&` on line 11 is an XML error; tu 1 (line 7, content from column 34,
/// "grew.The" at 42) is still checked, tu 3 is not.
#[test]
fn malformed_tmx_is_fatal_at_its_line_and_never_fixed() {
    assert_malformed("tmx/broken.tmx", "11: malformed XML: ", (GLUED, 7, 42), "dataValue");
}

// HTML, tests/fixtures/html/release.html. Checked: the title, headings, paragraphs, links' text, list items and
// table cells; not the meta description, style, script, comment, attributes (title, alt, href), `<code>` or
// `<pre>`, which hold the same artifacts.
//    6  `<title>National New Office briefing…`: 8..27
//   17  `<h1 title="grew.The">Exports grew.The market rose</h1>`: the text starts at 22, "grew.The" at 30..38 (the
//       one in the attribute, at 12, is not flagged)
//   18  `<p class="dataValue">R&amp;D spending grew.The…`: text from 22, "R&amp;D spending " 17 characters: 39..47
//   19  `<a href="https://example.org/the the/grew.The" title="National New Office">National New Office</a> said that
//       the the…`: the 75-character start tag puts the link text at 76..95, and "</a> said that " (15) "the the" at
//       110..117
//   20  `<p>The dataValue rose sharply，and R and D rose<br>…`: "dataValue" 8..17, "，" 30..31, "R and D" 35..42
//   26  `  <li>First item <em>and</em> the the second`: 7 + "First item " 11 + `<em>and</em>` 12 + " " puts "the the"
//       at 31..38
//   27  `  <li>Costs &lt;fell&gt; grew.The end`: 7 + "Costs &lt;fell&gt; " 19 = 26..34
//   30  `  <tr><th>Body</th><td>National New Office</td></tr>`: 24..43

#[test]
fn html_findings_are_in_text_nodes_only() {
    let bytes = fixture("html/release.html");
    let (dir, name) = folder_with("html/release.html", &bytes);
    let run = check(dir.path(), &name);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "", "nothing in the page is malformed");
    assert_eq!(
        positions(&run, Some(std::str::from_utf8(&bytes).unwrap())),
        expect(&[
            (SCIO, 6, 8, 6, 27, "National New Office"),
            (GLUED, 17, 30, 17, 38, "grew.The"),
            (GLUED, 18, 39, 18, 47, "grew.The"),
            (SCIO, 19, 76, 19, 95, "National New Office"),
            (REPEATED, 19, 110, 19, 117, "the the"),
            (FUSED, 20, 8, 20, 17, "dataValue"),
            (FULLWIDTH, 20, 30, 20, 31, "，"),
            (CONSISTENCY, 20, 35, 20, 42, "R and D"),
            (AMPERSAND, 20, 35, 20, 42, "R and D"),
            (REPEATED, 26, 31, 26, 38, "the the"),
            (GLUED, 27, 26, 27, 34, "grew.The"),
            (SCIO, 30, 24, 30, 43, "National New Office"),
        ])
    );
}

#[test]
fn html_fix_changes_only_the_flagged_spans() {
    assert_fix("html/release.html", "html/release.fixed.html");
}

/// tests/fixtures/html/broken.html: a comment opened on line 5 is never closed, so the rest cannot be read; line 4
/// (text from 4, "grew.The" at 12) is still checked.
#[test]
fn html_with_an_unclosed_comment_is_fatal_and_never_fixed() {
    assert_malformed("html/broken.html", "5: HTML: ", (GLUED, 4, 12), "dataValue");
}

/// `--input-format` reads a file whose name does not tell its format.
#[test]
fn input_format_chooses_the_reader() {
    let (dir, _) = folder_with("xliff/news-2.0.xlf", &fixture("xliff/news-2.0.xlf"));
    fs::rename(dir.path().join("news-2.0.xlf"), dir.path().join("news.xml")).unwrap();
    let run = mtlint_in(dir.path(), &["check", "--input-format", "xliff", "--format", "json", "news.xml"], None);
    assert_eq!(json_lines(&run.stdout).len(), 3, "{}", run.stderr);
    let run = mtlint_in(dir.path(), &["check", "--format", "json", "news.xml"], None);
    assert!(json_lines(&run.stdout).len() > 3, "as plain text, notes and attributes are checked too");
}

#[test]
fn a_finding_across_an_inline_tag_is_reported_but_never_fixed_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let html = "<p>Exports grew.<b>The</b> market and the <a href=\"/x\">the plan</a>. Sales grew.The end.</p>\n";
    std::fs::write(dir.path().join("t.html"), html).unwrap();
    let run = common::mtlint_in(dir.path(), &["check", "--isolated", "--format", "json", "t.html"], None);
    let found: Vec<(String, u64, bool)> = common::json_lines(&run.stdout)
        .iter()
        .map(|f| {
            (f["rule"].as_str().unwrap().to_string(), f["column"].as_u64().unwrap(), f["fixable"].as_bool().unwrap())
        })
        .collect();
    assert_eq!(
        found,
        [
            ("en.missing-space-after-punctuation".to_string(), 12, false),
            ("en.repeated-word".to_string(), 39, false),
            ("en.missing-space-after-punctuation".to_string(), 76, true),
        ]
    );
    common::mtlint_in(dir.path(), &["fix", "--isolated", "t.html"], None);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("t.html")).unwrap(),
        "<p>Exports grew.<b>The</b> market and the <a href=\"/x\">the plan</a>. Sales grew. The end.</p>\n",
        "only the span without markup is fixed; every tag stays"
    );
}
