//! `script` rules: the source language's characters left in English text — Chinese or full-width punctuation, and
//! untranslated runs of Han, kana or Hangul.

use super::text::Text;
use crate::finding::Finding;
use crate::rules::load::FieldError;
use crate::rules::schema::RawRule;
use crate::rules::{Detector, Rule};
use regex::Regex;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub enum ScriptRule {
    /// Each key character is replaced by its value.
    FullwidthPunctuation(BTreeMap<char, String>),
    /// Runs of characters of these scripts.
    Untranslated(Regex),
}

const SCRIPTS: &[&str] = &["Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"];

impl ScriptRule {
    pub fn compile(raw: &RawRule) -> Result<Self, FieldError> {
        let check = raw
            .check
            .as_ref()
            .ok_or_else(|| FieldError::new("missing field `check` (fullwidth-punctuation or untranslated)"))?;
        match check.get_ref().as_str() {
            "fullwidth-punctuation" => {
                let map = raw.map.as_ref().ok_or_else(|| FieldError::new("missing field `map`"))?;
                let mut out = BTreeMap::new();
                for (key, value) in map {
                    let mut chars = key.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) => out.insert(c, value.clone()),
                        _ => return Err(FieldError::new(format!("`map` key {key:?} must be exactly one character"))),
                    };
                }
                Ok(ScriptRule::FullwidthPunctuation(out))
            }
            "untranslated" => {
                let scripts: Vec<String> = match &raw.scripts {
                    Some(s) => {
                        if let Some(bad) = s.get_ref().iter().find(|n| !SCRIPTS.contains(&n.as_str())) {
                            return Err(FieldError::at(
                                s.span(),
                                format!("unknown script `{bad}`: use {}", SCRIPTS.join(", ")),
                            ));
                        }
                        s.get_ref().clone()
                    }
                    None => SCRIPTS[..4].iter().map(|s| s.to_string()).collect(),
                };
                let class: String = scripts.iter().map(|s| format!("\\p{{{s}}}")).collect();
                let regex = Regex::new(&format!("[{class}]+(?:[\\s·・]*[{class}]+)*"))
                    .map_err(|e| FieldError::new(format!("cannot build the script class: {e}")))?;
                Ok(ScriptRule::Untranslated(regex))
            }
            other => Err(FieldError::at(
                check.span(),
                format!("unknown script check `{other}`: use fullwidth-punctuation or untranslated"),
            )),
        }
    }
}

pub fn check(rule_index: usize, rules: &[Rule], p: &ScriptRule, text: &Text, out: &mut Vec<Finding>) {
    let rule = &rules[rule_index];
    let s = text.text;
    let mut emit = |start: usize, end: usize, suggestions: Vec<String>| {
        out.push(rule.finding(rule_index, start, end, &s[start..end], suggestions));
    };
    match p {
        ScriptRule::FullwidthPunctuation(map) => {
            // With no ASCII key (the usual map), only the characters outside ASCII need decoding and looking up.
            let non_ascii_only = map.keys().all(|c| !c.is_ascii());
            let bytes = s.as_bytes();
            let mut i = 0;
            while let Some(&byte) = bytes.get(i) {
                if non_ascii_only && byte < 0x80 {
                    i += 1;
                    continue;
                }
                // `i` is always at a character boundary: it moves by whole characters or past ASCII bytes.
                let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) else { break };
                let at = i;
                i += c.len_utf8();
                let i = at;
                let Some(value) = map.get(&c) else { continue };
                let end = i + c.len_utf8();
                let before = s[..i].chars().next_back();
                let after = s[end..].chars().next();
                let mut v = value.as_str();
                if v.starts_with(' ')
                    && before.is_none_or(|b| b.is_whitespace() || "([{\"'“‘".contains(b) || map.contains_key(&b))
                {
                    v = v.trim_start_matches(' ');
                }
                if v.ends_with(' ')
                    && after.is_none_or(|a| a.is_whitespace() || ".,;:!?)]}\"'”’".contains(a) || map.contains_key(&a))
                {
                    v = v.trim_end_matches(' ');
                }
                emit(i, end, vec![v.to_string()]);
            }
        }
        ScriptRule::Untranslated(regex) => {
            let matches = non_ascii_runs(s).flat_map(|(base, run)| {
                regex.find_iter(run).map(move |m| Match {
                    start: base + m.start(),
                    end: base + m.end(),
                    text: m.as_str(),
                })
            });
            for m in matches {
                // Where a term rule knows this source term, its English is the suggestion.
                let known: Vec<String> = rules
                    .iter()
                    .filter_map(|r| match &r.detector {
                        Detector::Term(t) if t.source.as_deref() == Some(m.text) => Some(t.right[0].clone()),
                        _ => None,
                    })
                    .take(1)
                    .collect();
                emit(m.start, m.end, known);
            }
        }
    }
}

struct Match<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

/// The stretches of `s` that hold characters outside ASCII, with the ASCII white space between them: every match of
/// an `untranslated` pattern (runs of CJK scripts, joined by white space or middle dots) lies inside one of them, so
/// the pattern runs only there and not over the English around them.
/// Each stretch comes with its offset in `s`.
fn non_ascii_runs(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = s.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + bytes.get(at..)?.iter().position(|b| !b.is_ascii())?;
        let len = bytes.get(start..)?.iter().position(|b| b.is_ascii() && !b.is_ascii_whitespace());
        let end = len.map_or(bytes.len(), |n| start + n);
        at = end;
        Some((start, s.get(start..end)?))
    })
}

#[cfg(test)]
mod tests {
    use super::non_ascii_runs;

    /// The untranslated pattern's matches found stretch by stretch are its matches over the whole text.
    #[test]
    fn searching_the_stretches_finds_what_searching_the_text_finds() {
        let regex = regex::Regex::new(r"[\p{Han}\p{Hangul}]+(?:[\s·・]*[\p{Han}\p{Hangul}]+)*").expect("valid");
        let texts = [
            "",
            "plain English only.",
            "国务院 said",
            "The 国务院 新闻 办公室 (SCIO) and 中·国 held 한국 talks 会议。",
            "ends with 中文",
            "中 \t 文\n\n英 Ünïcödé 日本 😀 汉字 ，逗号",
            "a　b 全角　空格 c",
        ];
        for text in texts {
            let whole: Vec<(usize, usize)> = regex.find_iter(text).map(|m| (m.start(), m.end())).collect();
            let by_stretch: Vec<(usize, usize)> = non_ascii_runs(text)
                .flat_map(|(base, run)| regex.find_iter(run).map(move |m| (base + m.start(), base + m.end())))
                .collect();
            assert_eq!(by_stretch, whole, "{text:?}");
        }
        let stretches: Vec<&str> = non_ascii_runs("The 国务院 新闻 (x) é").map(|(_, s)| s).collect();
        assert_eq!(stretches, ["国务院 新闻 ", "é"]);
    }
}
