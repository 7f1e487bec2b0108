//! `fused` rules: two words run together across a lost space, "dataValue" for "data value".

use super::text::Text;
use crate::finding::{Finding, FixSafety};
use crate::rules::Rule;
use crate::rules::load::FieldError;
use crate::rules::schema::RawRule;
use std::collections::HashSet;

#[derive(Debug, Clone)]
pub struct FusedRule {
    /// Real words written in camel case (iPhone, eBay), compared exactly.
    pub allow: HashSet<String>,
    pub min_part: usize,
}

impl FusedRule {
    pub fn compile(raw: &RawRule) -> Result<Self, FieldError> {
        let min_part = raw.min_part.unwrap_or(2);
        if min_part == 0 {
            return Err(FieldError::new("`min_part` must be at least 1"));
        }
        Ok(FusedRule { allow: raw.allow.iter().flatten().cloned().collect(), min_part })
    }
}

pub fn check(rule_index: usize, rule: &Rule, p: &FusedRule, text: &Text, out: &mut Vec<Finding>) {
    let s = text.text;
    for w in &text.words {
        let word = text.word(*w);
        let Some(split) = camel_split(word, p.min_part) else { continue };
        // Identifiers: glued to dots, underscores, slashes or other code characters.
        let before = s[..w.start].chars().next_back();
        let after = s[w.end..].chars().next();
        let code_before = before.is_some_and(|c| "._/\\@#$<>=".contains(c));
        let after_code = after.is_some_and(|c| "_/\\@#$<>=(".contains(c))
            || (after == Some('.') && s[w.end + 1..].chars().next().is_some_and(char::is_alphanumeric));
        if p.allow.contains(word) || code_before || after_code || text.is_protected(&(w.start..w.end)) {
            continue;
        }
        let (head, tail) = word.split_at(split);
        let tail_fixed = if proper_noun_elsewhere(text, tail) { tail.to_string() } else { tail.to_lowercase() };
        let suggestion = format!("{head} {tail_fixed}");
        let suggestions = if rule.fix == FixSafety::None { Vec::new() } else { vec![suggestion] };
        out.push(Finding {
            rule: rule_index,
            start: w.start,
            end: w.end,
            severity: rule.severity,
            message: rule.render_message(word, suggestions.first().map(String::as_str)),
            fix_safe: rule.fix == FixSafety::Safe && !suggestions.is_empty(),
            suggestions,
        });
    }
}

/// For a word of the shape `lower…Upper lower…` (exactly one capital, inside the word, letters only), the byte
/// offset of the capital.
fn camel_split(word: &str, min_part: usize) -> Option<usize> {
    if !word.chars().all(char::is_alphabetic) || !word.chars().next()?.is_lowercase() {
        return None;
    }
    let mut capitals = word.char_indices().filter(|(_, c)| c.is_uppercase());
    let (split, _) = capitals.next()?;
    if capitals.next().is_some() {
        return None;
    }
    let head = word[..split].chars().count();
    let tail = word[split..].chars().count();
    (head >= min_part && tail >= min_part && tail >= 2).then_some(split)
}

/// Whether the document writes `word` capitalised in the middle of a sentence (a name such as "China") and never
/// in lower case.
fn proper_noun_elsewhere(text: &Text, word: &str) -> bool {
    let mut capitalised = false;
    for w in &text.words {
        let candidate = text.word(*w);
        if candidate == word && !text.starts_sentence(w.start) {
            capitalised = true;
        } else if candidate.chars().next().is_some_and(char::is_lowercase) && candidate.eq_ignore_ascii_case(word) {
            return false;
        }
    }
    capitalised
}
