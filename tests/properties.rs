//! Properties that hold for any text and the built-in rules: no panic, findings inside the text on character
//! boundaries, fixes confined to their spans, fixing twice equal to fixing once, a fix not flagged again, the same
//! findings on one thread or several, and byte offsets, lines and columns and UTF-16 positions in agreement.

use mtlint::check::check_text;
use mtlint::fix::{applicable, apply, fix_text};
use mtlint::{RuleSet, RuleSources};
use proptest::prelude::*;
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::load(&RuleSources::default()).expect("built-in rules"));

/// Text made of the material artifacts are made of: words (some from the glossary), punctuation of both scripts,
/// spaces, line breaks, numbers, CJK, emoji and combining marks.
fn pieces() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("the".to_string()),
        Just("The".to_string()),
        Just("National New Office".to_string()),
        Just("State Council Information Office".to_string()),
        Just("dataValue".to_string()),
        Just("basic original and original".to_string()),
        Just("growth".to_string()),
        Just("5".to_string()),
        Just("4,400".to_string()),
        Just(".".to_string()),
        Just(",".to_string()),
        Just(" ".to_string()),
        Just("  ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("，".to_string()),
        Just("（".to_string()),
        Just("国新办".to_string()),
        Just("😀".to_string()),
        Just("e\u{301}".to_string()),
        Just("\\\"".to_string()),
        Just("https://x.org/A.B".to_string()),
        "[a-zA-Z]{1,8}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn findings_lie_inside_the_text_on_character_boundaries(text in pieces()) {
        for f in check_text(&text, &RULES) {
            prop_assert!(f.start <= f.end && f.end <= text.len(), "{f:?}");
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{f:?}");
        }
    }

    #[test]
    fn a_fix_changes_nothing_outside_its_spans(text in pieces()) {
        let findings = check_text(&text, &RULES);
        let chosen = applicable(&text, &findings, true);
        let fixed = apply(&text, &chosen);
        // Walking the spans in order, the text between them is unchanged.
        let (mut at_old, mut at_new) = (0, 0);
        for f in &chosen {
            let kept = &text[at_old..f.start];
            prop_assert_eq!(&fixed[at_new..at_new + kept.len()], kept);
            at_new += kept.len() + f.suggestions[0].len();
            at_old = f.end;
        }
        prop_assert_eq!(&fixed[at_new..], &text[at_old..]);
    }

    #[test]
    fn fixing_twice_equals_fixing_once(text in pieces()) {
        let (once, _) = fix_text(&text, &RULES);
        let (twice, applied) = fix_text(&once, &RULES);
        prop_assert_eq!(applied, 0, "the second fix applied something to {:?}", once);
        prop_assert_eq!(once, twice);
    }
}

/// The findings of a fix round as the fixed text holds them: (rule, replaced span in the fixed text).
fn replaced_spans(chosen: &[&mtlint::Finding]) -> Vec<(usize, std::ops::Range<usize>)> {
    let mut shift: isize = 0;
    let mut out = Vec::new();
    for f in chosen {
        let start = (f.start as isize + shift) as usize;
        let new_len = f.suggestions[0].len();
        out.push((f.rule, start..start + new_len));
        shift += new_len as isize - (f.end - f.start) as isize;
    }
    out
}

/// Where byte `offset` is, computed here from first principles: the 1-based line and column (in characters) the
/// command line reports (lines end at `\n`), the language server's 0-based line (also ended by a lone `\r`) and
/// UTF-16 column.
fn expected_position(text: &str, offset: usize) -> ((usize, usize), (u32, u32)) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let cli = (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1);
    let lsp_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let lone_cr = before.match_indices('\r').filter(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n')).count();
    let lsp_line = before.matches('\n').count() + lone_cr;
    // An offset between a `\r` and its `\n` is at the end of the line for the protocol.
    let (lsp_line, lsp_start) = if before.ends_with('\r') && text[offset..].starts_with('\n') {
        let start = before[..before.len() - 1].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        (lsp_line - 1, start)
    } else {
        (lsp_line, lsp_start)
    };
    let utf16 = before[lsp_start..].trim_end_matches('\r').encode_utf16().count();
    (cli, (lsp_line as u32, utf16 as u32))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Whatever a round of fixes replaced is not flagged again by the same rule at the same place. (A finding of the
    /// same rule may overlap the replacement: "the.Aa4,400.Thethe" has a second glued sentence, flagged as
    /// "Aa4,400.Thethe" only once "the.Aa4" is fixed, since the two spans share a word; the fix loop's next round
    /// takes it.)
    #[test]
    fn checking_the_fixed_text_finds_none_of_the_applied_findings(text in pieces()) {
        let findings = check_text(&text, &RULES);
        let chosen = applicable(&text, &findings, true);
        let fixed = apply(&text, &chosen);
        let again = check_text(&fixed, &RULES);
        for (rule, span) in replaced_spans(&chosen) {
            let repeat = again.iter().find(|f| f.rule == rule && f.start == span.start && f.end == span.end);
            prop_assert!(repeat.is_none(), "{} flagged its own fix {:?} in {:?}", RULES.rule(rule).id, &fixed[span], fixed);
        }
    }

    /// The same findings, in the same order, whether the engine runs on one thread or four.
    #[test]
    fn findings_do_not_depend_on_the_number_of_threads(texts in prop::collection::vec(pieces(), 1..6)) {
        use rayon::prelude::*;
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| texts.par_iter().map(|t| check_text(t, &RULES)).collect::<Vec<_>>())
        };
        prop_assert_eq!(run(1), run(4));
    }

    /// Byte offsets, the command line's lines and columns and the language server's UTF-16 positions agree with
    /// each other and with a count made here, for every finding's start and end.
    #[test]
    fn byte_offsets_lines_columns_and_utf16_positions_agree(text in pieces_with_lone_cr()) {
        let index = mtlint::document::position::LineIndex::new(&text);
        for f in check_text(&text, &RULES) {
            for offset in [f.start, f.end] {
                let (cli, lsp) = expected_position(&text, offset);
                let p = index.position(offset);
                prop_assert_eq!((p.line, p.column), cli, "command-line position of {} in {:?}", offset, text);
                let (position, back) = mtlint::fuzzing::lsp_position(&text, offset);
                prop_assert_eq!(position, lsp, "protocol position of {} in {:?}", offset, text);
                let same_place = back == offset || (text[..offset].ends_with('\r') && back + 1 == offset);
                prop_assert!(same_place, "{} → {:?} → {}", offset, position, back);
            }
        }
    }
}

/// Text as [`pieces`], with line breaks of every kind, a lone `\r` included.
fn pieces_with_lone_cr() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![pieces(), Just("\r".to_string()), Just("grew.The\r".to_string())], 1..4)
        .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Through the binary: a folder of files checked with `--jobs 1` and `--jobs 4` gives the same report, and the
    /// JSON positions of each finding agree with its byte offsets.
    #[test]
    fn the_binary_reports_the_same_with_one_or_four_jobs(texts in prop::collection::vec(pieces(), 12..24)) {
        let dir = tempfile::tempdir().unwrap();
        for (i, t) in texts.iter().enumerate() {
            std::fs::write(dir.path().join(format!("doc-{i:02}.txt")), t).unwrap();
        }
        let run = |jobs: &str| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_mtlint"))
                .args(["check", "--isolated", "--format", "json", "--jobs", jobs, "."])
                .current_dir(dir.path())
                .output()
                .unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        let one = run("1");
        prop_assert_eq!(&one, &run("4"));
        for line in one.lines() {
            let f: serde_json::Value = serde_json::from_str(line).unwrap();
            let name = f["path"].as_str().unwrap();
            let text = &texts[name.trim_start_matches("doc-").trim_end_matches(".txt").parse::<usize>().unwrap()];
            let start = f["byte_start"].as_u64().unwrap() as usize;
            let ((line, column), _) = expected_position(text, start);
            prop_assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(line as u64), Some(column as u64)));
            prop_assert_eq!(f["matched"].as_str().unwrap(), &text[start..f["byte_end"].as_u64().unwrap() as usize]);
        }
    }
}
