//! `term` rules: known wrong renderings of a name or term, replaced by the correct wording.
//!
//! The wrong renderings *and* the correct forms of every term rule go into one Aho-Corasick automaton
//! (leftmost-longest, ASCII case-insensitive), so the whole glossary is searched in a single pass over the text
//! whatever its size. Correct forms are in the automaton so that a wrong rendering inside a longer correct name is
//! not flagged.

use super::text::Text;
use crate::finding::Finding;
use crate::rules::load::FieldError;
use crate::rules::schema::RawRule;
use crate::rules::{Detector, Rule, RuleError};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

#[derive(Debug, Clone)]
pub struct TermRule {
    pub source: Option<String>,
    pub right: Vec<String>,
    pub wrong: Vec<String>,
    pub note: Option<String>,
    /// Lower-cased words, one of which must occur in the sentence for a wrong rendering to be flagged.
    pub context: Vec<String>,
    pub match_case: bool,
}

impl TermRule {
    pub fn compile(raw: &RawRule) -> Result<Self, FieldError> {
        let right = raw.right.as_ref().ok_or_else(|| FieldError::new("missing field `right` (the correct forms)"))?;
        let wrong =
            raw.wrong.as_ref().ok_or_else(|| FieldError::new("missing field `wrong` (the renderings to flag)"))?;
        if right.get_ref().is_empty() {
            return Err(FieldError::at(right.span(), "`right` needs at least one correct form"));
        }
        if wrong.get_ref().is_empty() {
            return Err(FieldError::at(wrong.span(), "`wrong` needs at least one rendering to flag"));
        }
        for phrase in right.get_ref().iter().chain(wrong.get_ref()) {
            if phrase.trim().is_empty() || phrase.trim() != phrase {
                return Err(FieldError::at(
                    if right.get_ref().contains(phrase) { right.span() } else { wrong.span() },
                    format!("the phrase {phrase:?} is empty or starts or ends with white space"),
                ));
            }
        }
        for w in wrong.get_ref() {
            if right.get_ref().iter().any(|r| r.eq_ignore_ascii_case(w)) && !raw.match_case.unwrap_or(false) {
                return Err(FieldError::at(wrong.span(), format!("{w:?} is listed both as wrong and as right")));
            }
        }
        let context = raw.context.as_ref().map(|c| c.get_ref().iter().map(|w| w.to_lowercase()).collect());
        Ok(TermRule {
            source: raw.source.clone(),
            right: right.get_ref().clone(),
            wrong: wrong.get_ref().clone(),
            note: raw.note.clone(),
            context: context.unwrap_or_default(),
            match_case: raw.match_case.unwrap_or(false),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Wrong,
    Right,
}

#[derive(Debug, Clone, Copy)]
struct Phrase {
    rule: usize,
    role: Role,
    /// Index into the rule's `wrong` or `right` list.
    index: usize,
}

/// The one automaton over every term phrase of a rule set (ASCII case-insensitive). The phrases are validated when the rules load; the
/// automaton is built on the first text that needs it, so a run on empty input starts at once.
#[derive(Debug, Clone, Default)]
pub struct TermIndex {
    patterns: Vec<String>,
    automaton: std::sync::OnceLock<Option<AhoCorasick>>,
    phrases: Vec<Phrase>,
}

impl TermIndex {
    fn automaton(&self) -> Option<&AhoCorasick> {
        self.automaton
            .get_or_init(|| {
                if self.patterns.is_empty() {
                    return None;
                }
                // Building can only fail past the automaton's size limits, far beyond any glossary; the rules then
                // match no term rather than stop the run. ASCII case is folded in the patterns and in the searched
                // text (which keeps every byte offset) rather than by the automaton: the same matches, and an
                // automaton with half the transitions, several times faster to build for a large glossary.
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(self.patterns.iter().map(|p| p.to_ascii_lowercase()))
                    .ok()
            })
            .as_ref()
    }
}

impl TermIndex {
    pub fn build(rules: &[Rule]) -> Result<TermIndex, Vec<RuleError>> {
        let mut patterns: Vec<String> = Vec::new();
        let mut phrases = Vec::new();
        let mut owner: std::collections::HashMap<String, (usize, Role)> = std::collections::HashMap::new();
        let mut errors = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            let Detector::Term(t) = &rule.detector else { continue };
            let lists = [(Role::Right, &t.right), (Role::Wrong, &t.wrong)];
            for (role, list) in lists {
                for (index, phrase) in list.iter().enumerate() {
                    let key = phrase.to_lowercase();
                    if let Some(&(other, other_role)) = owner.get(&key) {
                        // The same correct form in two rules is fine (an abbreviation shared by two names); a
                        // phrase that one rule calls wrong and another right, or two rules calling it wrong, is not.
                        if other != ri && (role == Role::Wrong || other_role == Role::Wrong) {
                            errors.push(RuleError::at_origin(
                                &rule.origin,
                                format!(
                                    "rule `{}`: the phrase {phrase:?} is also a {} form of rule `{}` ({}); a phrase \
                                     can belong to one rule only",
                                    rule.id,
                                    if other_role == Role::Wrong { "wrong" } else { "right" },
                                    rules[other].id,
                                    rules[other].origin
                                ),
                            ));
                        }
                        continue;
                    }
                    owner.insert(key, (ri, role));
                    patterns.push(phrase.clone());
                    phrases.push(Phrase { rule: ri, role, index });
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(TermIndex { patterns, automaton: std::sync::OnceLock::new(), phrases })
    }
}

/// A term phrase found in the text, right or wrong.
#[derive(Debug, Clone, Copy)]
pub struct TermHit {
    pub rule: usize,
    pub role: Role,
    pub start: usize,
    pub end: usize,
}

/// Every word-bounded term phrase in the text, leftmost-longest, in one pass.
pub fn find_terms(rules: &[Rule], index: &TermIndex, text: &Text) -> Vec<TermHit> {
    if text.text.is_empty() {
        return Vec::new();
    }
    let Some(ac) = index.automaton() else { return Vec::new() };
    let s = text.text;
    let mut folded = FoldedWindows::new(s.as_bytes(), index.patterns.iter().map(String::len).max().unwrap_or(0));
    let mut hits = Vec::new();
    let mut pos = 0;
    while pos < s.len() {
        let Some((pattern, start, end)) = folded.find(ac, pos) else { break };
        let phrase = index.phrases[pattern];
        let Detector::Term(rule) = &rules[phrase.rule].detector else {
            unreachable!("term phrases come from term rules")
        };
        let canonical = match phrase.role {
            Role::Wrong => &rule.wrong[phrase.index],
            Role::Right => &rule.right[phrase.index],
        };
        let case_ok = !rule.match_case || &s[start..end] == canonical;
        if case_ok && bounded(s, start, end) {
            hits.push(TermHit { rule: phrase.rule, role: phrase.role, start, end });
            pos = end;
        } else {
            // Not a whole word here; a shorter phrase may still start at the next character.
            pos = start + s[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    hits
}

/// The text, ASCII-folded one window at a time (so a large document is not copied whole), searched by the automaton.
struct FoldedWindows<'a> {
    bytes: &'a [u8],
    /// The longest phrase, in bytes: each window reaches that far past its end, so every match starting inside it
    /// is seen whole.
    overlap: usize,
    start: usize,
    buf: Vec<u8>,
}

const WINDOW: usize = 1 << 20;

impl<'a> FoldedWindows<'a> {
    fn new(bytes: &'a [u8], overlap: usize) -> Self {
        FoldedWindows { bytes, overlap, start: usize::MAX, buf: Vec::new() }
    }

    /// The leftmost-longest match starting at or after `pos`: (pattern, start, end), as a search of the whole folded
    /// text would find it.
    fn find(&mut self, ac: &AhoCorasick, mut pos: usize) -> Option<(usize, usize, usize)> {
        let n = self.bytes.len();
        loop {
            if pos >= n {
                return None;
            }
            let w = pos - pos % WINDOW;
            if w != self.start {
                self.start = w;
                let e = (w + WINDOW).saturating_add(self.overlap).min(n);
                self.buf.clear();
                self.buf.extend(self.bytes[w..e].iter().map(u8::to_ascii_lowercase));
            }
            let last = w + self.buf.len() == n;
            match ac.find(Input::new(&self.buf).span(pos - w..self.buf.len())) {
                Some(m) if m.start() < WINDOW || last => {
                    return Some((m.pattern().as_usize(), w + m.start(), w + m.end()));
                }
                None if last => return None,
                // No match starts before the window's end (one would have been seen whole): go on from there.
                _ => pos = w + WINDOW,
            }
        }
    }
}

/// Whether a match has no word character glued to either side.
fn bounded(s: &str, start: usize, end: usize) -> bool {
    let inner_first = s[start..].chars().next();
    let inner_last = s[..end].chars().next_back();
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    !((word(inner_first) && word(before)) || (word(inner_last) && word(after)))
}

/// Findings for the wrong renderings among `hits`.
pub fn check(rules: &[Rule], hits: &[TermHit], text: &Text, out: &mut Vec<Finding>) {
    for hit in hits.iter().filter(|h| h.role == Role::Wrong) {
        let rule = &rules[hit.rule];
        let Detector::Term(term) = &rule.detector else { continue };
        let range = hit.start..hit.end;
        if text.is_protected(&range) {
            continue;
        }
        if !term.context.is_empty() && !sentence_mentions(text, hit.start, &term.context) {
            continue;
        }
        let suggestion = fit_case(&term.right[0], &text.text[range], text.starts_sentence(hit.start));
        let end = absorb_echoed_tail(text.text, hit.start, hit.end, &suggestion);
        let matched = &text.text[hit.start..end];
        out.push(Finding {
            rule: hit.rule,
            start: hit.start,
            end,
            severity: rule.severity,
            message: rule.render_message(matched, Some(&suggestion)),
            suggestions: vec![suggestion],
            fix_safe: rule.fix == crate::finding::FixSafety::Safe,
        });
    }
}

/// Where a wrong rendering is followed by the last words of its correction ("Ministry of Industry and
/// Informatization" + " Technology"), the end of the span extended over them, so the fix does not write them twice.
fn absorb_echoed_tail(s: &str, start: usize, end: usize, suggestion: &str) -> usize {
    let words: Vec<&str> = suggestion.split_whitespace().collect();
    let matched = s[start..end].to_lowercase();
    for n in (1..=words.len().saturating_sub(1).min(3)).rev() {
        let tail = words[words.len() - n..].join(" ");
        if matched.ends_with(&tail.to_lowercase()) {
            return end;
        }
        let Some(rest) = s[end..].strip_prefix(' ') else { return end };
        let Some(candidate) = rest.get(..tail.len()) else { continue };
        if candidate.eq_ignore_ascii_case(&tail) && bounded(s, end + 1, end + 1 + tail.len()) {
            return end + 1 + tail.len();
        }
    }
    end
}

/// Whether the sentence around `offset` contains one of `words` (lower-case) as whole words.
fn sentence_mentions(text: &Text, offset: usize, words: &[String]) -> bool {
    let sentence = text.sentence_at(offset);
    let lower = text.text[sentence.clone()].to_lowercase();
    words.iter().any(|w| lower.match_indices(w.as_str()).any(|(i, _)| bounded(&lower, i, i + w.len())))
}

/// The replacement with the capitalisation its position needs: upper-case first letter at the start of a sentence,
/// all capitals where the flagged text is written in capitals.
pub fn fit_case(replacement: &str, matched: &str, sentence_start: bool) -> String {
    let letters: Vec<char> = matched.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return replacement.to_uppercase();
    }
    if sentence_start {
        let mut chars = replacement.chars();
        if let Some(first) = chars.next() {
            return first.to_uppercase().chain(chars).collect();
        }
    }
    replacement.to_string()
}
