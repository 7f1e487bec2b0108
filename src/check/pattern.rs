//! `pattern` rules: a regular expression with replacement templates and exceptions.

use super::text::Text;
use crate::finding::{Finding, FixSafety};
use crate::rules::Rule;
use crate::rules::load::FieldError;
use crate::rules::schema::RawRule;
use regex::Regex;

/// The largest compiled regex a rule may build, so that a rule file cannot exhaust memory.
const SIZE_LIMIT: usize = 10 * (1 << 20);

#[derive(Debug, Clone)]
pub struct PatternRule {
    pub regex: Regex,
    pub replace: Vec<String>,
    pub unless: Vec<Regex>,
}

fn compile_regex(text: &toml::Spanned<String>) -> Result<Regex, FieldError> {
    regex::RegexBuilder::new(text.get_ref())
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| FieldError::at(text.span(), format!("invalid regular expression: {e}")))
}

impl PatternRule {
    pub fn compile(raw: &RawRule) -> Result<Self, FieldError> {
        let pattern = raw.pattern.as_ref().ok_or_else(|| FieldError::new("missing field `pattern`"))?;
        let regex = compile_regex(pattern)?;
        if regex.is_match("") {
            return Err(FieldError::at(pattern.span(), "the pattern matches empty text; it would flag every position"));
        }
        let unless = raw.unless.iter().flatten().map(compile_regex).collect::<Result<_, _>>()?;
        Ok(PatternRule { regex, replace: raw.replace.clone().unwrap_or_default(), unless })
    }
}

pub fn check(rule_index: usize, rule: &Rule, p: &PatternRule, text: &Text, out: &mut Vec<Finding>) {
    for caps in p.regex.captures_iter(text.text) {
        let Some(m) = caps.get(0) else { continue };
        let range = m.range();
        if range.is_empty() || text.is_protected(&range) || excepted(p, text, &range) {
            continue;
        }
        let suggestions: Vec<String> = if rule.fix == FixSafety::None {
            Vec::new()
        } else {
            p.replace
                .iter()
                .map(|template| {
                    let mut s = String::new();
                    caps.expand(template, &mut s);
                    s
                })
                .collect()
        };
        out.push(rule.finding(rule_index, range.start, range.end, m.as_str(), suggestions));
    }
}

/// Whether an exception regex matches a stretch of the sentence that covers the whole match.
fn excepted(p: &PatternRule, text: &Text, range: &std::ops::Range<usize>) -> bool {
    if p.unless.is_empty() {
        return false;
    }
    let sentence = text.sentence_at(range.start);
    let window = sentence.start..sentence.end.max(range.end);
    let s = &text.text[window.clone()];
    p.unless.iter().any(|re| {
        re.find_iter(s).any(|m| window.start + m.start() <= range.start && window.start + m.end() >= range.end)
    })
}
