//! `quotes` rules: quotation marks that Chinese uses for emphasis, slogans and coined terms (“货架”, “两个确立”),
//! carried over by machine translation into English, where they read as scare quotes: the "shelf" of pension products.

use super::text::Text;
use crate::finding::Finding;
use crate::rules::Rule;
use crate::rules::load::{FieldError, single_check};
use crate::rules::schema::RawRule;
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct QuotesRule {
    /// The longest quoted phrase, in words, still taken for emphasis rather than a quotation.
    pub max_words: usize,
    /// Lower-case words or phrases that, earlier in the sentence, make the marks a quotation or a mention ("said",
    /// "called", "known as").
    pub allow: Vec<Vec<String>>,
}

impl QuotesRule {
    pub fn compile(raw: &RawRule) -> Result<Self, FieldError> {
        single_check(raw, "quotes", "emphasis")?;
        let max_words = raw.max_words.unwrap_or(6);
        if max_words == 0 {
            return Err(FieldError::new("`max_words` must be at least 1"));
        }
        let allow = raw
            .allow
            .iter()
            .flatten()
            .map(|phrase| phrase.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>())
            .filter(|words| !words.is_empty())
            .collect();
        Ok(QuotesRule { max_words, allow })
    }
}

/// A quotation mark and whether it opens a quotation.
#[derive(Debug, Clone, Copy)]
struct Mark {
    at: usize,
    len: usize,
    opens: bool,
}

/// The quotation marks of a line, each taken as opening or closing. Curly marks say which they are; a straight mark
/// opens after a space, a bracket or a dash and before a non-space, and closes otherwise.
fn marks(line: &str, offset: usize) -> Vec<Mark> {
    let mut out = Vec::new();
    // Only `"` and the lead byte of the curly marks (0xE2, shared with dashes, `’` and others) can begin a mark:
    // the search jumps between them instead of decoding every character.
    for i in memchr::memchr2_iter(b'"', 0xE2, line.as_bytes()) {
        let Some(c) = line.get(i..).and_then(|rest| rest.chars().next()) else { continue };
        let prev = || line.get(..i).and_then(|before| before.chars().next_back());
        let next = || line.get(i + c.len_utf8()..).and_then(|after| after.chars().next());
        let opens = match c {
            '\u{201C}' => Some(true),
            '\u{201D}' => Some(false),
            '"' => Some(
                prev().is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p))
                    && next().is_some_and(|n| !n.is_whitespace()),
            ),
            _ => None,
        };
        if let Some(opens) = opens {
            out.push(Mark { at: offset + i, len: c.len_utf8(), opens });
        }
    }
    out
}

/// Quotation pairs: an opening mark followed directly by a closing one, on one line.
fn pairs(text: &str) -> Vec<(Mark, Mark)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.contains(['"', '\u{201C}', '\u{201D}']) {
            let marks = marks(line, offset);
            let mut k = 0;
            while k + 1 < marks.len() {
                let (a, b) = (marks[k], marks[k + 1]);
                if a.opens && !b.opens {
                    out.push((a, b));
                    k += 2;
                } else {
                    k += 1;
                }
            }
        }
        offset += line.len();
    }
    out
}

pub fn check(rule_index: usize, rule: &Rule, p: &QuotesRule, text: &Text, out: &mut Vec<Finding>) {
    for (open, close) in pairs(text.text) {
        let quoted: Range<usize> = open.at..close.at + close.len;
        let inner = text.text[open.at + open.len..close.at].trim();
        let words = text.words_in(&(open.at..close.at)).len();
        // A quoted sentence or clause (speech) ends with its own punctuation; emphasis quotes hold a bare phrase.
        let speech = inner.ends_with(['.', '?', '!', ',', ';', ':', '…']);
        if words == 0
            || words > p.max_words
            || speech
            || !inner.chars().any(char::is_alphabetic)
            || text.is_protected(&quoted)
            || introduced_as_mention(text, open.at, &p.allow)
        {
            continue;
        }
        let matched = &text.text[quoted];
        for mark in [open, close] {
            out.push(rule.finding(rule_index, mark.at, mark.at + mark.len, matched, vec![String::new()]));
        }
    }
}

/// Whether one of the `allow` words or phrases occurs in the sentence before `at`: a reporting verb ("said") or a
/// word that introduces a mention ("called", "the term") makes the marks a quotation.
fn introduced_as_mention(text: &Text, at: usize, allow: &[Vec<String>]) -> bool {
    let sentence = text.sentence_at(at);
    let before: Vec<String> =
        text.words[text.words_in(&(sentence.start..at))].iter().map(|w| text.word(*w).to_lowercase()).collect();
    allow.iter().any(|phrase| before.windows(phrase.len()).any(|window| window == phrase.as_slice()))
}
