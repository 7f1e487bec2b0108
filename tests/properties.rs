//! Properties that hold for any text and the built-in rules: no panic, findings inside the text on character
//! boundaries, fixes confined to their spans, and fixing twice equal to fixing once.

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
