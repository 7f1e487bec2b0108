//! `repetition` rules: material that machine translation duplicated — a doubled word, a doubled conjunct, a phrase
//! said twice in one sentence, and the loops of a failing MT system.
//!
//! Every check compares words case-insensitively and only inside one sentence; copies separated by punctuation or a
//! line break are not "in a row".

use super::text::{Text, Word, fold, is_packed, lower_key, packed_key};
use crate::finding::Finding;
use crate::rules::Rule;
use crate::rules::load::FieldError;
use crate::rules::schema::RawRule;
use std::collections::HashSet;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepetitionCheck {
    Word,
    Conjunct,
    Phrase,
    Loop,
}

#[derive(Debug, Clone)]
pub struct RepetitionRule {
    pub check: RepetitionCheck,
    /// Lower-cased words or phrases never flagged.
    pub allow: HashSet<String>,
    pub min_content_words: usize,
    pub max_gap: usize,
    /// `phrase`: also look for a coordinated pair of words echoed with a word inserted.
    pub echo_pairs: bool,
    pub max_words: usize,
    pub min_repeats: usize,
}

impl RepetitionRule {
    pub fn compile(raw: &RawRule) -> Result<Self, FieldError> {
        let check = raw
            .check
            .as_ref()
            .ok_or_else(|| FieldError::new("missing field `check` (word, conjunct, phrase or loop)"))?;
        let kind = match check.get_ref().as_str() {
            "word" => RepetitionCheck::Word,
            "conjunct" => RepetitionCheck::Conjunct,
            "phrase" => RepetitionCheck::Phrase,
            "loop" => RepetitionCheck::Loop,
            other => {
                return Err(FieldError::at(
                    check.span(),
                    format!("unknown repetition check `{other}`: use word, conjunct, phrase or loop"),
                ));
            }
        };
        let rule = RepetitionRule {
            check: kind,
            allow: raw.allow.iter().flatten().map(|w| w.to_lowercase()).collect(),
            min_content_words: raw.min_content_words.unwrap_or(4),
            max_gap: raw.max_gap.unwrap_or(12),
            echo_pairs: raw.echo_pairs.unwrap_or(true),
            max_words: raw.max_words.unwrap_or(8),
            min_repeats: raw.min_repeats.unwrap_or(3),
        };
        if rule.min_content_words < 2 || rule.max_words == 0 || rule.min_repeats < 2 {
            return Err(FieldError::new(
                "`min_content_words` must be at least 2, `max_words` at least 1, `min_repeats` at least 2",
            ));
        }
        Ok(rule)
    }
}

/// English function words: skipped when comparing phrases, since "of the" repeats in every sentence.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing",
    "down", "during", "each", "either", "etc", "few", "for", "from", "further", "had", "has", "have", "having", "he",
    "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may",
    "me", "might", "more", "most", "much", "must", "my", "neither", "no", "nor", "not", "now", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "shall", "she", "should", "so", "some",
    "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "were", "what", "when", "where", "which",
    "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your",
];

/// For each first byte, the range of `FUNCTION_WORDS` starting with it (the list is sorted), computed at compile time.
static FUNCTION_WORDS_BY_FIRST: [(u8, u8); 256] = {
    let mut table = [(0u8, 0u8); 256];
    let mut i = 0;
    while i < FUNCTION_WORDS.len() {
        let first = FUNCTION_WORDS[i].as_bytes()[0] as usize;
        if table[first].1 == 0 {
            table[first].0 = i as u8;
        }
        table[first].1 = i as u8 + 1;
        i += 1;
    }
    table
};

fn is_function_word(lower: &str) -> bool {
    let Some(&first) = lower.as_bytes().first() else { return false };
    let (a, b) = FUNCTION_WORDS_BY_FIRST.get(usize::from(first)).copied().unwrap_or_default();
    FUNCTION_WORDS.get(usize::from(a)..usize::from(b)).is_some_and(|words| words.contains(&lower))
}

/// Whether a word, lower-cased, is "and" or "or", without allocating for ASCII words: what [`is_and_or_key`]
/// answers from the word's key (a test checks they agree).
#[cfg(test)]
fn is_and_or(w: &str) -> bool {
    // "and" and "or" lower-cased are two or three bytes; so is any word lower-casing to them but for a few
    // non-ASCII capitals, which are longer: those words go the slow way.
    if w.len() < 2 || (w.len() > 3 && w.is_ascii()) {
        return false;
    }
    if w.is_ascii() {
        w.eq_ignore_ascii_case("and") || w.eq_ignore_ascii_case("or")
    } else {
        matches!(w.to_lowercase().as_str(), "and" | "or")
    }
}

/// Slots of [`FUNCTION_KEYS`]: a power of two, about four times the number of function words.
const FUNCTION_SLOTS: usize = 512;

/// The slot where the search for `key` in [`FUNCTION_KEYS`] starts (multiplicative hashing, top 9 bits).
fn function_slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 55) as usize
}

/// The packed [`lower_key`](super::text::lower_key) of every function word in an open-addressing table (0 marks an
/// empty slot; no packed key is 0, its length byte being at least 1). All function words are ASCII and at most 7
/// bytes long, so a word's key is in the table exactly when the word lower-cased is a function word.
static FUNCTION_KEYS: LazyLock<[u64; FUNCTION_SLOTS]> = LazyLock::new(|| {
    let mut table = [0u64; FUNCTION_SLOTS];
    for w in FUNCTION_WORDS {
        let key = packed_key(w);
        let mut slot = function_slot(key);
        while table[slot] != 0 {
            slot = (slot + 1) % FUNCTION_SLOTS;
        }
        table[slot] = key;
    }
    table
});

/// Whether `key` is the key of a function word.
fn is_function_key(key: u64) -> bool {
    if !is_packed(key) {
        return false;
    }
    let table = &*FUNCTION_KEYS;
    let mut slot = function_slot(key);
    loop {
        match table[slot] {
            0 => return false,
            k if k == key => return true,
            _ => slot = (slot + 1) % FUNCTION_SLOTS,
        }
    }
}

const AND_KEY: u64 = packed_key("and");
const OR_KEY: u64 = packed_key("or");

/// Whether a word with key `key` lower-cases to "and" or "or" (both short ASCII, so packed keys say it exactly):
/// the same answer as [`is_and_or`].
fn is_and_or_key(key: u64) -> bool {
    key == AND_KEY || key == OR_KEY
}

/// For each 16-bit key, whether a function word has it (a bitmap of 8 KB): most other words are ruled out by one
/// look-up, and the words it lets through are checked with their full key.
static FUNCTION_SHORT_KEYS: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; 1 << 10];
    for w in FUNCTION_WORDS {
        let k = usize::from(fold(packed_key(w)));
        bits[k / 64] |= 1 << (k % 64);
    }
    bits
});

/// Whether word `w` with short key `key` is a content word: two characters or more, not a number, not a function
/// word.
fn is_content(w: &str, key: u16) -> bool {
    let k = usize::from(key);
    let maybe_function = FUNCTION_SHORT_KEYS.get(k / 64).is_some_and(|bits| bits & (1 << (k % 64)) != 0);
    if maybe_function && is_function_key(lower_key(w)) {
        return false;
    }
    if w.is_ascii() {
        w.len() >= 2 && w.bytes().any(|b| b.is_ascii_alphabetic())
    } else {
        w.chars().count() >= 2 && !is_number(w)
    }
}

/// Whether `a.to_lowercase() == b.to_lowercase()`, without allocating for ASCII words.
fn lower_eq(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() { a.eq_ignore_ascii_case(b) } else { a.to_lowercase() == b.to_lowercase() }
}

#[inline]
fn same(text: &Text, a: Word, b: Word) -> bool {
    // Words of different lengths in bytes are never the same (compared without looking at the text); words equal
    // but for ASCII case are.
    if a.end() - a.start() != b.end() - b.start() {
        return false;
    }
    let (x, y) = (text.word(a), text.word(b));
    if x.eq_ignore_ascii_case(y) {
        return true;
    }
    if x.is_ascii() && y.is_ascii() {
        return false;
    }
    x.chars().flat_map(char::to_lowercase).eq(y.chars().flat_map(char::to_lowercase))
}

/// Whether only spaces or tabs stand between two words (no punctuation, no line break).
fn spaced(text: &Text, a: Word, b: Word) -> bool {
    let gap = &text.text[a.end()..b.start()];
    !gap.is_empty() && gap.bytes().all(|c| c == b' ' || c == b'\t')
}

/// Adjective endings and common short adjectives: enough to tell "original" or "low" from "experience".
const MODIFIER_ENDINGS: &[&str] = &[
    "al", "ic", "ive", "ous", "ful", "ent", "ant", "ary", "ory", "ble", "ed", "ing", "ish", "less", "ar", "ile", "ese",
    "ian", "an",
];
const SHORT_MODIFIERS: &[&str] = &[
    "big", "bold", "broad", "clean", "clear", "close", "cold", "deep", "fair", "fast", "fine", "firm", "free", "full",
    "good", "great", "green", "hard", "high", "hot", "key", "large", "long", "low", "new", "old", "open", "poor",
    "real", "rich", "safe", "slow", "small", "smart", "soft", "solid", "sound", "strong", "sure", "true", "warm",
    "weak", "whole", "wide", "young",
];

fn looks_like_modifier(lower: &str) -> bool {
    SHORT_MODIFIERS.contains(&lower) || MODIFIER_ENDINGS.iter().any(|e| lower.len() > e.len() + 2 && lower.ends_with(e))
}

fn is_number(s: &str) -> bool {
    !s.chars().any(char::is_alphabetic)
}

pub fn check(rule_index: usize, rule: &Rule, p: &RepetitionRule, text: &Text, out: &mut Vec<Finding>) {
    if p.check == RepetitionCheck::Phrase {
        return check_phrases(&[(rule_index, rule, p)], text, out);
    }
    let mut emit = |start: usize, end: usize, suggestion: Option<String>| {
        let matched = &text.text[start..end];
        let suggestions: Vec<String> = suggestion.into_iter().collect();
        if text.is_protected(&(start..end)) {
            return;
        }
        out.push(rule.finding(rule_index, start, end, matched, suggestions));
    };
    let words = &text.words;
    let keys = text.lower_keys();
    match p.check {
        RepetitionCheck::Word => {
            for i in 0..words.len().saturating_sub(1) {
                let (w, v) = (words[i], words[i + 1]);
                // Equal words have equal keys: most pairs are ruled out by one comparison.
                if keys[i] != keys[i + 1] {
                    continue;
                }
                if !(spaced(text, w, v) && same(text, w, v)) || is_number(text.word(w)) {
                    continue;
                }
                // "Fang Fang", "Lang Lang": a doubled capitalised word is usually a name.
                let capitalised = |x: Word| text.word(x).starts_with(char::is_uppercase);
                if p.allow.contains(&text.word(w).to_lowercase()) || (capitalised(w) && capitalised(v)) {
                    continue;
                }
                // Three or more in a row are a loop, reported by the loop check.
                let prev_same = i > 0 && spaced(text, words[i - 1], w) && same(text, words[i - 1], w);
                let next_same = i + 2 < words.len() && spaced(text, v, words[i + 2]) && same(text, v, words[i + 2]);
                if prev_same || next_same {
                    continue;
                }
                emit(w.start(), v.end(), Some(text.word(w).to_string()));
            }
        }
        RepetitionCheck::Conjunct => {
            for i in 0..words.len().saturating_sub(3) {
                let [a, b, c, d] = [words[i], words[i + 1], words[i + 2], words[i + 3]];
                if keys[i + 1] != keys[i + 3]
                    || !is_and_or_key(lower_key(text.word(c)))
                    || !same(text, b, d)
                    || same(text, a, b)
                {
                    continue;
                }
                if !(spaced(text, a, b) && spaced(text, b, c) && spaced(text, c, d)) {
                    continue;
                }
                let (a_lower, b_lower) = (text.word(a).to_lowercase(), text.word(b).to_lowercase());
                // "grow more and more", "bigger and bigger": reduplication is English, not a duplicate.
                let idiom = p.allow.contains(&b_lower) || (b_lower.len() > 4 && b_lower.ends_with("er"));
                let name = text.word(b).starts_with(char::is_uppercase);
                if idiom || name || is_function_word(&a_lower) || is_function_word(&b_lower) || is_number(&a_lower) {
                    continue;
                }
                // The artifact is a pair of modifiers before their noun ("basic original and original technological
                // breakthroughs"): the repeated word looks like an adjective and a lower-case word follows. Without
                // that shape ("her creative experience and experience.") the right correction is not evident.
                let next_is_word = words
                    .get(i + 4)
                    .is_some_and(|n| spaced(text, d, *n) && text.word(*n).starts_with(char::is_lowercase));
                if !next_is_word || !looks_like_modifier(&b_lower) {
                    continue;
                }
                let fixed = format!("{}{}{}", text.word(a), &text.text[b.end()..c.end()], &text.text[c.end()..d.end()]);
                emit(a.start(), d.end(), Some(fixed));
            }
        }
        RepetitionCheck::Loop => {
            let mut k = 0;
            while let Some(&first) = words.get(k) {
                let mut advanced = false;
                let length = first.end() - first.start();
                // Two copies need their first words equal: most sizes are ruled out by one comparison, and words
                // of different lengths before `same` is called (most are).
                let key = keys[k];
                // Most words have no copy among the next `max_words`: one pass over their keys rules that out.
                let window = keys.get(k + 1..).unwrap_or_default();
                if !window[..window.len().min(p.max_words)].contains(&key) {
                    k += 1;
                    continue;
                }
                let following = words.get(k + 1..).unwrap_or_default().iter().take(p.max_words);
                for (size, next) in (1..).zip(following) {
                    if keys[k + size] != key || next.end() - next.start() != length || !same(text, first, *next) {
                        continue;
                    }
                    let (copies, by_comma) = count_copies(text, k, size);
                    // "Location, location, location" is rhetoric; a phrase of two or more words three times over
                    // with commas is a loop all the same.
                    let needed = match (size, by_comma) {
                        (1, true) => usize::MAX,
                        (1, false) | (_, true) => p.min_repeats,
                        _ => 2,
                    };
                    // Only with two or more copies are the `size` words known to exist.
                    if copies >= needed && !(k..k + size).all(|i| is_number(text.word(words[i]))) {
                        let phrase = &text.text[words[k].start()..words[k + size - 1].end()];
                        if !p.allow.contains(&phrase.to_lowercase()) {
                            emit(words[k].start(), words[k + copies * size - 1].end(), Some(phrase.to_string()));
                            k += copies * size;
                            advanced = true;
                            break;
                        }
                    }
                }
                if !advanced {
                    k += 1;
                }
            }
        }
        RepetitionCheck::Phrase => {}
    }
}

/// Every `phrase` rule of a set at once (`rules`: index, rule, parameters): the content words of each sentence are
/// found once for all of them. The same findings as [`check`] on each rule.
pub fn check_phrases(rules: &[(usize, &Rule, &RepetitionRule)], text: &Text, out: &mut Vec<Finding>) {
    if rules.is_empty() {
        return;
    }
    let keys = text.lower_keys();
    let mut content = Vec::new();
    let (mut order, mut next) = (Vec::new(), Vec::new());
    for sentence in &text.sentences {
        let words = text.words_in(sentence);
        content_words(text, keys, words.clone(), &mut content);
        // Every finding needs two content words with equal keys: most sentences have none.
        if !link_equal_keys(&content, &mut order, &mut next) {
            continue;
        }
        for &(rule_index, rule, p) in rules {
            let mut emit = |start: usize, end: usize, suggestion: Option<String>| {
                if text.is_protected(&(start..end)) {
                    return;
                }
                let matched = text.text.get(start..end).unwrap_or("");
                out.push(rule.finding(rule_index, start, end, matched, suggestion.into_iter().collect()));
            };
            phrase_echoes(text, p, words.clone(), &content, &next, &mut emit);
        }
    }
}

/// The content words among `words` (indices into `text.words`): (index, key of the lower-cased form).
fn content_words(text: &Text, keys: &[u16], words: std::ops::Range<usize>, content: &mut Vec<(usize, u64)>) {
    content.clear();
    content.extend(words.filter_map(|i| {
        let (&w, &key) = (text.words.get(i)?, keys.get(i)?);
        is_content(text.word(w), key).then_some((i, u64::from(key)))
    }));
}

/// No later content word with the same key.
const NONE: usize = usize::MAX;

/// Links each content word to the next one of the sentence with the same key (`next[x]`, or [`NONE`]); returns
/// whether any two share a key. `order` is scratch space.
fn link_equal_keys(content: &[(usize, u64)], order: &mut Vec<usize>, next: &mut Vec<usize>) -> bool {
    next.clear();
    next.resize(content.len(), NONE);
    order.clear();
    order.extend(0..content.len());
    order.sort_unstable_by_key(|&x| (content[x].1, x));
    let mut any = false;
    for pair in order.windows(2) {
        let (x, y) = (pair[0], pair[1]);
        if content[x].1 == content[y].1 {
            next[x] = y;
            any = true;
        }
    }
    any
}

/// How many copies of the `size` words starting at word `k` stand in a row, and whether a comma separates them.
/// Words inside a copy are separated by spaces only; copies by spaces, or all by a comma ("X, X, X").
fn count_copies(text: &Text, k: usize, size: usize) -> (usize, bool) {
    let words = &text.words;
    if k + size > words.len() {
        return (0, false);
    }
    let joined = |from: usize, to: usize| (from..to).all(|i| spaced(text, words[i], words[i + 1]));
    if !joined(k, k + size - 1) {
        return (1, false);
    }
    let comma = |a: Word, b: Word| {
        let gap = &text.text[a.end()..b.start()];
        gap.starts_with(',') && gap.len() > 1 && gap[1..].bytes().all(|c| c == b' ' || c == b'\t')
    };
    let mut copies = 1;
    let mut by_comma = None;
    loop {
        let next = k + copies * size;
        if next + size > words.len() || !joined(next, next + size - 1) {
            return (copies, by_comma == Some(true));
        }
        let (last, first) = (words[next - 1], words[next]);
        let this_comma = comma(last, first);
        if !(spaced(text, last, first) || this_comma) || by_comma.is_some_and(|c| c != this_comma) {
            return (copies, by_comma == Some(true));
        }
        by_comma = Some(this_comma);
        if !(0..size).all(|i| same(text, words[k + i], words[next + i])) {
            return (copies, by_comma == Some(true));
        }
        copies += 1;
    }
}

/// The `phrase` check inside one sentence: a run of content words said again, and a pair of lower-case content
/// words echoed with at most one word inserted.
fn phrase_echoes(
    text: &Text,
    p: &RepetitionRule,
    words: std::ops::Range<usize>,
    content: &[(usize, u64)],
    next: &[usize],
    emit: &mut impl FnMut(usize, usize, Option<String>),
) {
    let words_start = words.start;
    // `content`: the content words of the sentence, (index into text.words, key of the lower-cased form).
    let m = content.len();
    // Whether content words `x` and `y` are the same word, lower-cased.
    let eq = |x: usize, y: usize| {
        content[x].1 == content[y].1
            && lower_eq(text.word(text.words[content[x].0]), text.word(text.words[content[y].0]))
    };
    let word_at = |ci: usize| text.words[content[ci].0];
    let is_lower = |ci: usize| text.word(word_at(ci)).chars().next().is_some_and(char::is_lowercase);
    // The function words right before word `w` ("at the"), lower-cased: a phrase said twice in the same role is
    // introduced the same way both times, while parallel mentions of a topic ("sales of X, and seven X") are not.
    let lead_in = |w: usize| -> Vec<String> {
        let mut lead = Vec::new();
        let mut i = w;
        while i > words_start && lead.len() < 3 {
            let (prev, this) = (text.words[i - 1], text.words[i]);
            let lower = text.word(prev).to_lowercase();
            if !is_function_word(&lower) || !spaced(text, prev, this) {
                break;
            }
            lead.push(lower);
            i -= 1;
        }
        lead
    };
    let mut reported_until = 0; // content index before which the second copies are already reported
    for i in 0..m {
        // Only the later content words with the key of word `i` can equal it; they come in order.
        let mut j = next[i];
        while j != NONE {
            let this = j;
            j = next[j];
            let j = this;
            if content[j].0 - content[i].0 > 3 * p.max_gap + 3 * p.max_words {
                break;
            }
            if j < reported_until || !eq(i, j) {
                continue;
            }
            let mut len = 0;
            while i + len < j && j + len < m && eq(i + len, j + len) {
                len += 1;
            }
            let gap = content[j].0 - content[i + len - 1].0 - 1;
            // Copies with only function words between them ("X, the X, the X") are a loop, not an echo.
            let content_between = j > i + len;
            let first_lead = lead_in(content[i].0);
            let same_role = !first_lead.is_empty() && first_lead == lead_in(content[j].0);
            if len >= p.min_content_words && content_between && gap <= p.max_gap && same_role {
                let phrase = text.text[word_at(j).start()..word_at(j + len - 1).end()].to_lowercase();
                if !p.allow.contains(&phrase) {
                    emit(word_at(j).start(), word_at(j + len - 1).end(), None);
                    reported_until = j + len;
                }
            }
        }
    }
    if !p.echo_pairs {
        return;
    }
    // A coordinated pair of lower-case content words ("operation and coordination") echoed soon after, with at most
    // one content word inserted ("operation monitoring and coordination").
    let conjunction = |w: usize| is_and_or_key(lower_key(text.word(text.words[w])));
    for i in 0..m.saturating_sub(1) {
        let coordinated = content[i + 1].0 == content[i].0 + 2 && conjunction(content[i].0 + 1);
        if !coordinated || eq(i, i + 1) || !is_lower(i) || !is_lower(i + 1) {
            continue;
        }
        for j in (i + 2)..m {
            if content[j].0 - content[i + 1].0 > 6 {
                break;
            }
            if j < reported_until || !eq(j, i) || !is_lower(j) {
                continue;
            }
            let end = [j + 1, j + 2].into_iter().find(|&k| {
                k < m
                    && eq(k, i + 1)
                    && is_lower(k)
                    && content[k].0 - content[j].0 <= 3
                    && conjunction(content[k].0 - 1)
            });
            if let Some(k) = end {
                emit(word_at(j).start(), word_at(k).end(), None);
                reported_until = k + 1;
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn function_words_are_sorted_for_binary_search() {
        assert!(super::FUNCTION_WORDS.len() < 255);
        let mut sorted = super::FUNCTION_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, super::FUNCTION_WORDS);
    }

    #[test]
    fn every_function_word_is_in_the_key_table() {
        for w in super::FUNCTION_WORDS {
            assert!(super::is_function_key(super::super::text::lower_key(w)), "{w}");
            assert!(!super::is_content(w, super::super::text::short_key(&w.to_uppercase())), "{w}");
            assert!(super::is_function_key(super::super::text::lower_key(&w.to_uppercase())), "{w}");
        }
        let others = ["development", "growth", "thee", "abouts", "x", "zz", "tha", "whos"];
        assert!(others.iter().all(|w| !super::is_function_key(super::super::text::lower_key(w))));
    }

    #[test]
    fn keys_classify_words_as_the_words_do() {
        use super::super::text::lower_key;
        for w in [
            "and",
            "AND",
            "Or",
            "oR",
            "an",
            "ands",
            "o",
            "ör",
            "ＡＮＤ",
            "The",
            "between",
            "Betweens",
            "growth",
            "42",
            "4G",
            "x",
            "été",
            "ΟΔΟΣ",
            "\u{212A}ey",
        ] {
            let key = lower_key(w);
            assert_eq!(super::is_and_or_key(key), super::is_and_or(w), "{w}");
            let lower = w.to_lowercase();
            let content = w.chars().count() >= 2 && !super::is_number(w) && !super::is_function_word(&lower);
            assert_eq!(super::is_content(w, super::super::text::fold(key)), content, "{w}");
            assert_eq!(super::is_function_key(key), super::is_function_word(&lower), "{w}");
        }
    }
}
