//! `term` rules: known wrong renderings of a name or term, replaced by the correct wording.
//!
//! The wrong renderings *and* the correct forms of every term rule go into one sorted phrase table
//! ([`super::phrases::PhraseTable`], ASCII case-insensitive), searched leftmost-longest in a single pass over the
//! text whatever the glossary's size. Correct forms are in the table so that a wrong rendering inside a longer
//! correct name is not flagged.

use super::phrases::PhraseTable;
use super::text::Text;
use crate::finding::Finding;
use crate::rules::load::FieldError;
use crate::rules::schema::RawRule;
use crate::rules::{Detector, Rule, RuleError};

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
    /// Compiles a term rule, taking its lists of phrases out of `raw` (a glossary has tens of thousands of rules:
    /// copying every list would double the work of loading it).
    pub fn compile(raw: &mut RawRule) -> Result<Self, FieldError> {
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
        let context = raw.context.take().map(|c| c.into_inner().iter().map(|w| w.to_lowercase()).collect());
        Ok(TermRule {
            source: raw.source.clone(),
            right: raw.right.take().map(toml::Spanned::into_inner).unwrap_or_default(),
            wrong: raw.wrong.take().map(toml::Spanned::into_inner).unwrap_or_default(),
            note: raw.note.take(),
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

/// Every term phrase of a rule set, searched ASCII case-insensitively. The phrases are validated when the rules load;
/// the search table is built on the first text that needs it, so a run on empty input starts at once.
#[derive(Debug, Clone, Default)]
pub struct TermIndex {
    table: std::sync::OnceLock<PhraseTable>,
    /// Each phrase once (the first rule to list it), in the order of the rules.
    phrases: Vec<Phrase>,
    /// The text of those phrases one after another, and where each ends: the phrase table is built from this copy
    /// rather than from the rules, whose strings lie scattered over the memory the rule files were parsed in.
    texts: String,
    ends: Vec<usize>,
}

impl Phrase {
    /// The phrase's text, from its rule.
    fn text(self, rules: &[Rule]) -> &str {
        match rules.get(self.rule).map(|r| &r.detector) {
            Some(Detector::Term(t)) => {
                let list = if self.role == Role::Wrong { &t.wrong } else { &t.right };
                list.get(self.index).map_or("", String::as_str)
            }
            _ => "",
        }
    }
}

/// A phrase lower-cased (`str::to_lowercase`), hashed without building the lower-cased string.
fn lower_hash(phrase: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = super::glossary::Fnv::default();
    let mut buf = [0u8; 4];
    if phrase.is_ascii() {
        for b in phrase.bytes() {
            h.write(&[b.to_ascii_lowercase()]);
        }
    } else {
        for c in phrase.to_lowercase().chars() {
            h.write(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    h.finish()
}

/// Whether two phrases are equal once lower-cased (`str::to_lowercase`).
fn same_lower(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() { a.eq_ignore_ascii_case(b) } else { a.to_lowercase() == b.to_lowercase() }
}

impl TermIndex {
    /// The search table, built from `rules` (the rules the index was built from) on first use.
    fn table(&self) -> &PhraseTable {
        self.table.get_or_init(|| {
            let starts = std::iter::once(0).chain(self.ends.iter().copied());
            PhraseTable::new(starts.zip(&self.ends).map(|(start, &end)| self.texts.get(start..end).unwrap_or("")))
        })
    }

    pub fn build(rules: &[Rule]) -> Result<TermIndex, Vec<RuleError>> {
        // Lower-cased phrase (by its hash) → the first phrase indexed with that hash (its index in `phrases`); the
        // phrases whose hash an unequal phrase had taken before them are kept aside in `collided`.
        let count = rules
            .iter()
            .map(|r| match &r.detector {
                Detector::Term(t) => t.right.len() + t.wrong.len(),
                _ => 0,
            })
            .sum();
        let mut phrases: Vec<Phrase> = Vec::with_capacity(count);
        let mut texts = String::new();
        let mut ends = Vec::with_capacity(count);
        let mut owner: std::collections::HashMap<
            u64,
            usize,
            std::hash::BuildHasherDefault<super::glossary::PreHashed>,
        > = std::collections::HashMap::with_capacity_and_hasher(count, Default::default());
        let mut collided: Vec<(u64, usize)> = Vec::new();
        let mut errors = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            let Detector::Term(t) = &rule.detector else { continue };
            let lists = [(Role::Right, &t.right), (Role::Wrong, &t.wrong)];
            for (role, list) in lists {
                for (index, phrase) in list.iter().enumerate() {
                    let hash = lower_hash(phrase);
                    let first = owner.get(&hash).copied();
                    let same = |i: &usize| phrases.get(*i).copied().filter(|p| same_lower(p.text(rules), phrase));
                    let earlier = first.and_then(|i| {
                        same(&i).or_else(|| collided.iter().filter(|c| c.0 == hash).find_map(|c| same(&c.1)))
                    });
                    if let Some(Phrase { rule: other, role: other_role, .. }) = earlier {
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
                    if first.is_some() {
                        collided.push((hash, phrases.len()));
                    } else {
                        owner.insert(hash, phrases.len());
                    }
                    phrases.push(Phrase { rule: ri, role, index });
                    texts.push_str(phrase);
                    ends.push(texts.len());
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(TermIndex { table: std::sync::OnceLock::new(), phrases, texts, ends })
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
///
/// At each position, the longest phrase written there is taken if it stands as whole words (and in the rule's case,
/// for a case-sensitive rule), and the search goes on after it; otherwise it goes on at the next character (a shorter
/// phrase is not tried at the same position). A phrase beginning with a word character after another word character
/// never stands as whole words, so such positions are not searched.
pub fn find_terms(rules: &[Rule], index: &TermIndex, text: &Text) -> Vec<TermHit> {
    if text.text.is_empty() || index.phrases.is_empty() {
        return Vec::new();
    }
    let table = index.table();
    let s = text.text;
    let bytes = s.as_bytes();
    let mut hits = Vec::new();
    let mut pos = 0;
    // Whether the character before `pos` is a word character.
    let mut after_word = false;
    while let Some(&b) = bytes.get(pos) {
        let (word, len) = if b < 0x80 {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let c = s.get(pos..).and_then(|r| r.chars().next());
            (c.is_some_and(char::is_alphanumeric), c.map_or(1, char::len_utf8))
        };
        if !(word && after_word)
            && table.may_start(b)
            && let Some((pattern, matched)) = table.longest_at(bytes, pos)
            && let Some(&phrase) = index.phrases.get(pattern)
            && let Some(Detector::Term(rule)) = rules.get(phrase.rule).map(|r| &r.detector)
        {
            let (start, end) = (pos, pos + matched);
            let canonical = match phrase.role {
                Role::Wrong => rule.wrong.get(phrase.index),
                Role::Right => rule.right.get(phrase.index),
            };
            let case_ok = !rule.match_case || s.get(start..end).zip(canonical).is_some_and(|(m, c)| m == c);
            if case_ok && bounded(s, start, end) {
                hits.push(TermHit { rule: phrase.rule, role: phrase.role, start, end });
                pos = end;
                after_word = s.get(..end).and_then(|r| r.chars().next_back()).is_some_and(char::is_alphanumeric);
                continue;
            }
        }
        after_word = word;
        pos += len;
    }
    hits
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

#[cfg(test)]
mod tests {
    use super::{Role, TermHit, bounded, find_terms};
    use crate::check::text::Text;
    use crate::rules::{Detector, RuleSet, load::parse_rules};
    use aho_corasick::{AhoCorasickBuilder, Input, MatchKind};

    /// The search as it was written with an Aho-Corasick automaton (leftmost-longest over the ASCII-folded text):
    /// the reference the phrase table must agree with.
    fn reference(set: &RuleSet, s: &str) -> Vec<(usize, Role, usize, usize)> {
        let index = &set.terms;
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(index.phrases.iter().map(|p| p.text(&set.rules).to_ascii_lowercase()))
            .expect("a small automaton");
        let folded = s.to_ascii_lowercase();
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < s.len() {
            let Some(m) = ac.find(Input::new(&folded).span(pos..s.len())) else { break };
            let phrase = index.phrases[m.pattern().as_usize()];
            let Detector::Term(rule) = &set.rules[phrase.rule].detector else { unreachable!() };
            let canonical = match phrase.role {
                Role::Wrong => &rule.wrong[phrase.index],
                Role::Right => &rule.right[phrase.index],
            };
            let case_ok = !rule.match_case || &s[m.start()..m.end()] == canonical;
            if case_ok && bounded(s, m.start(), m.end()) {
                out.push((phrase.rule, phrase.role, m.start(), m.end()));
                pos = m.end();
            } else {
                pos = m.start() + s[m.start()..].chars().next().map_or(1, char::len_utf8);
            }
        }
        out
    }

    #[test]
    fn the_phrase_table_finds_what_the_automaton_found() {
        const WORDS: &[&str] =
            &["state", "council", "office", "e-commerce", "Xiong'an", "AI", "the", "of", "Élan", "naïve", "a", "ai"];
        const GLUE: &[&str] = &[" ", " ", " ", "-", "'", ", ", "x", "é", "\n", "", "’"];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut compared = 0;
        for round in 0..60 {
            // A glossary of phrases of one to three words; some rules match case.
            let mut toml =
                String::from("[defaults]\nkind = \"term\"\ncategory = \"Terminology\"\nseverity = \"error\"\n");
            let mut seen = std::collections::HashSet::new();
            for r in 0..12 {
                let mut phrase = || (0..1 + next(3)).map(|_| WORDS[next(WORDS.len())]).collect::<Vec<_>>().join(" ");
                let (wrong, right) = (phrase(), phrase());
                if !seen.insert(wrong.to_lowercase()) || !seen.insert(right.to_lowercase()) {
                    continue;
                }
                let case = if next(4) == 0 { "match_case = true\n" } else { "" };
                toml.push_str(&format!(
                    "[[rule]]\nid = \"t.{round}.{r}\"\n{case}wrong = [{wrong:?}]\nright = [{right:?}]\n"
                ));
            }
            let set = RuleSet::new(parse_rules("t.toml", &toml).expect("valid rules")).expect("a valid set");
            for _ in 0..40 {
                let mut text = String::new();
                for _ in 0..next(30) {
                    let w = WORDS[next(WORDS.len())];
                    let w = match next(3) {
                        0 => w.to_uppercase(),
                        1 => w.to_string(),
                        _ => w.to_lowercase(),
                    };
                    text.push_str(&w);
                    text.push_str(GLUE[next(GLUE.len())]);
                }
                let found: Vec<_> = find_terms(&set.rules, &set.terms, &Text::new(&text))
                    .into_iter()
                    .map(|TermHit { rule, role, start, end }| (rule, role, start, end))
                    .collect();
                assert_eq!(found, reference(&set, &text), "{text:?} with\n{toml}");
                compared += found.len();
            }
        }
        assert!(compared > 500, "the generated texts hold phrases ({compared} found)");
    }
}
