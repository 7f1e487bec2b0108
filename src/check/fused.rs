//! `fused` rules: two words run together across a lost space, "dataValue" for "data value".

use super::text::{Text, short_key};
use crate::finding::Finding;
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
    let mut candidates = Vec::new();
    for w in &text.words {
        let word = text.word(*w);
        let Some(split) = camel_split(word, p.min_part) else { continue };
        // Identifiers: glued to dots, underscores, slashes or other code characters.
        let before = s[..w.start()].chars().next_back();
        let after = s[w.end()..].chars().next();
        let code_before = before.is_some_and(|c| "._/\\@#$<>=".contains(c));
        let after_code = after.is_some_and(|c| "_/\\@#$<>=(".contains(c))
            || (after == Some('.') && s[w.end() + 1..].chars().next().is_some_and(char::is_alphanumeric));
        if p.allow.contains(word) || code_before || after_code || text.is_protected(&(w.start()..w.end())) {
            continue;
        }
        candidates.push((*w, split));
    }
    if candidates.is_empty() {
        return;
    }
    let names = proper_nouns(text, candidates.iter().map(|(w, split)| &text.word(*w)[*split..]));
    for (w, split) in candidates {
        let word = text.word(w);
        let (head, tail) = word.split_at(split);
        let tail_fixed = if names.contains(tail) { tail.to_string() } else { tail.to_lowercase() };
        let suggestion = format!("{head} {tail_fixed}");
        out.push(rule.finding(rule_index, w.start(), w.end(), word, vec![suggestion]));
    }
}

/// For a word of the shape `lower…Upper lower…` (exactly one capital, inside the word, letters only), the byte
/// offset of the capital.
fn camel_split(word: &str, min_part: usize) -> Option<usize> {
    if word.is_ascii() {
        // The same test in one pass over the bytes: the usual word fails at its first byte.
        let bytes = word.as_bytes();
        if !bytes.first()?.is_ascii_lowercase() {
            return None;
        }
        let mut split = None;
        for (i, &b) in bytes.iter().enumerate() {
            if !b.is_ascii_alphabetic() {
                return None;
            }
            if b.is_ascii_uppercase() {
                if split.is_some() {
                    return None;
                }
                split = Some(i);
            }
        }
        let split = split?;
        let (head, tail) = (split, bytes.len() - split);
        return (head >= min_part && tail >= min_part && tail >= 2).then_some(split);
    }
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

/// Which of `words` the document treats as names: written capitalised in the middle of a sentence ("China") and
/// never in lower case. One pass over the document for all candidates.
fn proper_nouns<'t>(text: &Text<'t>, words: impl Iterator<Item = &'t str>) -> HashSet<&'t str> {
    let wanted: HashSet<&str> = words.collect();
    let mut lengths = vec![false; wanted.iter().map(|w| w.len() + 1).max().unwrap_or(0)];
    for w in &wanted {
        lengths[w.len()] = true;
    }
    // Only a word with the lower-case key of a wanted one can be it or one of its lower-case forms: the keys, sorted,
    // rule out the others without hashing or comparing their text.
    let mut wanted_keys: Vec<u16> = wanted.iter().map(|w| short_key(w)).collect();
    wanted_keys.sort_unstable();
    let mut capitalised = HashSet::new();
    let mut lower_seen = HashSet::new();
    for (w, key) in text.words.iter().zip(text.lower_keys()) {
        if wanted_keys.binary_search(key).is_err() {
            continue;
        }
        let candidate = text.word(*w);
        if !lengths.get(candidate.len()).copied().unwrap_or(false) {
            continue;
        }
        if wanted.contains(candidate) {
            if !text.starts_sentence(w.start()) {
                capitalised.insert(candidate);
            }
        } else if candidate.chars().next().is_some_and(char::is_lowercase) {
            for name in wanted.iter().filter(|n| n.eq_ignore_ascii_case(candidate)) {
                lower_seen.insert(*name);
            }
        }
    }
    capitalised.retain(|n| !lower_seen.contains(n));
    capitalised
}
