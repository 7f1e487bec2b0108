//! `capitals` rules: a sentence that begins with a lower-case letter after a full stop ("in the new era. the sense
//! of …"), where machine translation glued a fragment or an invented continuation onto the sentence before.

use super::text::Text;
use crate::finding::Finding;
use crate::rules::Rule;
use crate::rules::load::{FieldError, single_check};
use crate::rules::schema::RawRule;
use std::collections::HashSet;

#[derive(Debug, Clone)]
pub struct CapitalsRule {
    /// Abbreviations, lower case without their period, after which a lower-case word goes on the same sentence.
    pub abbreviations: HashSet<String>,
}

impl CapitalsRule {
    pub fn compile(raw: &RawRule) -> Result<Self, FieldError> {
        single_check(raw, "capitals", "sentence-start")?;
        let abbreviations = raw.allow.iter().flatten().map(|a| a.trim_end_matches('.').to_lowercase()).collect();
        Ok(CapitalsRule { abbreviations })
    }
}

pub fn check(rule_index: usize, rule: &Rule, p: &CapitalsRule, text: &Text, out: &mut Vec<Finding>) {
    let s = text.text;
    for pair in text.words.windows(2) {
        let [before, word] = pair else { continue };
        let Some(between) = s.get(before.end()..word.start()) else { continue };
        // The previous word ends a sentence: a full stop, question or exclamation mark (and perhaps a closing quote
        // or bracket), then spaces on the same line.
        let Some(rest) = between.strip_prefix(['.', '?', '!']) else { continue };
        let rest = rest.trim_start_matches(['"', '\'', '”', '’', ')']);
        if rest.is_empty() || !rest.chars().all(|c| c == ' ' || c == '\t') {
            continue;
        }
        let previous = text.word(*before);
        let current = text.word(*word);
        let mut letters = current.chars();
        let Some(first) = letters.next().filter(char::is_ascii_lowercase) else { continue };
        let tail = letters.as_str();
        // "iPhone", "eBay": a lower-case first letter is how the name is written.
        let camel = tail.chars().any(char::is_uppercase);
        let abbreviation = previous.chars().count() < 2
            || s.get(..before.start()).is_some_and(|head| head.ends_with('.'))
            || p.abbreviations.contains(&previous.to_lowercase());
        if camel || abbreviation || text.is_protected(&(before.start()..word.end())) {
            continue;
        }
        let fixed = format!("{}{tail}", first.to_ascii_uppercase());
        out.push(rule.finding(rule_index, word.start(), word.end(), current, vec![fixed]));
    }
}
