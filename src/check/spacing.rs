//! `spacing` rules: a space lost after sentence punctuation ("coordination.Intelligent"), a space before
//! punctuation ("growth ,"), and runs of spaces inside a sentence.

use super::text::Text;
use crate::finding::Finding;
use crate::rules::Rule;
use crate::rules::load::FieldError;
use crate::rules::schema::RawRule;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpacingCheck {
    AfterPunctuation,
    BeforePunctuation,
    MultipleSpaces,
}

#[derive(Debug, Clone)]
pub struct SpacingRule {
    pub check: SpacingCheck,
    pub punctuation: Vec<char>,
}

impl SpacingRule {
    pub fn compile(raw: &RawRule) -> Result<Self, FieldError> {
        let check = raw.check.as_ref().ok_or_else(|| {
            FieldError::new("missing field `check` (after-punctuation, before-punctuation or multiple-spaces)")
        })?;
        let (kind, default) = match check.get_ref().as_str() {
            "after-punctuation" => (SpacingCheck::AfterPunctuation, ".!?"),
            "before-punctuation" => (SpacingCheck::BeforePunctuation, ",.;:!?"),
            "multiple-spaces" => (SpacingCheck::MultipleSpaces, ""),
            other => {
                return Err(FieldError::at(
                    check.span(),
                    format!(
                        "unknown spacing check `{other}`: use after-punctuation, before-punctuation or multiple-spaces"
                    ),
                ));
            }
        };
        Ok(SpacingRule { check: kind, punctuation: raw.punctuation.as_deref().unwrap_or(default).chars().collect() })
    }
}

/// File-name extensions: "report.Pdf" is a file name, not two sentences.
const EXTENSIONS: &[&str] = &[
    "csv", "doc", "docx", "gif", "htm", "html", "java", "jpeg", "jpg", "js", "json", "md", "net", "pdf", "png", "ppt",
    "pptx", "py", "rs", "ts", "txt", "xls", "xlsx", "xml", "zip",
];

pub fn check(rule_index: usize, rule: &Rule, p: &SpacingRule, text: &Text, out: &mut Vec<Finding>) {
    let s = text.text;
    let mut emit = |start: usize, end: usize, suggestion: String| {
        if text.is_protected(&(start..end)) {
            return;
        }
        let matched = &s[start..end];
        out.push(rule.finding(rule_index, start, end, matched, vec![suggestion]));
    };
    match p.check {
        SpacingCheck::AfterPunctuation => {
            let mut check_at = |i: usize, c: char| {
                let after = i + c.len_utf8();
                if let Some((start, end)) = glued_sentences(s, i, after) {
                    emit(start, end, format!("{}{c} {}", &s[start..i], &s[after..end]));
                }
            };
            if p.punctuation.iter().all(char::is_ascii) {
                // Every mark is one byte, and an ASCII byte always starts a character: no decoding needed.
                let set = ascii_set(&p.punctuation);
                for (i, &b) in s.as_bytes().iter().enumerate() {
                    if set[b as usize] {
                        check_at(i, b as char);
                    }
                }
            } else {
                for (i, c) in s.char_indices() {
                    if p.punctuation.contains(&c) {
                        check_at(i, c);
                    }
                }
            }
        }
        SpacingCheck::BeforePunctuation => {
            let bytes = s.as_bytes();
            let ascii_marks = ascii_set(&p.punctuation);
            let mut i = 0;
            while i < bytes.len() {
                let Some(next) = memchr::memchr2(b' ', b'\t', &bytes[i..]) else { break };
                i += next;
                let start = i;
                while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
                    i += 1;
                }
                // An ASCII byte after the spaces is the whole character: one table look-up answers for it.
                if bytes.get(i).is_some_and(|&b| b < 0x80 && !ascii_marks[usize::from(b)]) {
                    continue;
                }
                let Some(mark) = s[i..].chars().next() else { break };
                if !p.punctuation.contains(&mark) {
                    continue;
                }
                let before = s[..start].chars().next_back();
                let after = s[i + mark.len_utf8()..].chars().next();
                let word_before = before.is_some_and(|c| c.is_alphanumeric() || ")]\"'”’%".contains(c));
                // ".NET", ",000" or an ellipsis are not punctuation after a word.
                let ends_there = after.is_none_or(|c| c.is_whitespace() || "\"'”’)]".contains(c));
                if p.punctuation.contains(&mark) && word_before && ends_there && !s[i..].starts_with("...") {
                    emit(start, i + mark.len_utf8(), mark.to_string());
                }
            }
        }
        SpacingCheck::MultipleSpaces => {
            let bytes = s.as_bytes();
            let double = memchr::memmem::Finder::new(b"  ");
            let mut i = 0;
            while i < bytes.len() {
                // Only runs of two or more spaces matter; a run starts where its first pair is found.
                let Some(next) = double.find(&bytes[i..]) else { break };
                i += next;
                let start = i;
                while i < bytes.len() && bytes[i] == b' ' {
                    i += 1;
                }
                let before = s[..start].chars().next_back();
                let inside_line =
                    before.is_some_and(|c| !c.is_whitespace()) && i < bytes.len() && !bytes[i].is_ascii_whitespace();
                // Two spaces after a full stop are a typing convention, not an artifact.
                let after_sentence = before.is_some_and(|c| ".!?:".contains(c));
                if i - start >= 2 && inside_line && !after_sentence {
                    emit(start, i, " ".to_string());
                }
            }
        }
    }
}

/// The ASCII characters of `chars` as a byte table.
fn ascii_set(chars: &[char]) -> [bool; 256] {
    let mut set = [false; 256];
    for &c in chars.iter().filter(|c| c.is_ascii()) {
        set[c as usize] = true;
    }
    set
}

/// Where punctuation at `mark..after` glues two sentences ("growth.The"), the span from the start of the word
/// before to the end of the word after; `None` for abbreviations, numbers, dotted names, URLs and file names.
fn glued_sentences(s: &str, mark: usize, after: usize) -> Option<(usize, usize)> {
    let mut next = s[after..].chars();
    let (first, second) = (next.next()?, next.next()?);
    if !(first.is_uppercase() && second.is_lowercase()) {
        return None;
    }
    let start = s[..mark]
        .rfind(|c: char| c.is_whitespace() || "\"'“‘([".contains(c))
        .map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8));
    let end = s[after..].find(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-').map_or(s.len(), |i| after + i);
    let before_word = &s[start..mark];
    let last = before_word.chars().next_back()?;
    // The word before must end in a letter, a digit, a closing bracket, quote or percent sign, and hold no other
    // period: "U.S.Army", "java.lang.String" and "www.Example.com" are not glued sentences.
    if !(last.is_alphanumeric() || ")]\"'”’%".contains(last)) || before_word.contains(['.', '/', '@', '_']) {
        return None;
    }
    // A single capital before the mark is an initial ("J.Smith"), which is spaced differently.
    if before_word.chars().filter(|c| c.is_alphabetic()).count() == 1 && last.is_uppercase() {
        return None;
    }
    let after_word = &s[after..end];
    if s[end..].starts_with(['.', '/', '@', '_']) && s[end..].chars().nth(1).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    if EXTENSIONS.contains(&after_word.to_lowercase().as_str()) {
        return None;
    }
    Some((start, end))
}
