//! gettext PO files: the `msgstr` of each entry is checked against its `msgid`.
//!
//! One segment per `msgstr` (each plural form `msgstr[N]` its own segment). Its id is the entry's key as gettext
//! forms it (`msgctxt` + U+0004 + `msgid`, or just `msgid`); its source is the `msgid`, or the `msgid_plural` for
//! plural forms N ≥ 1. The target is the concatenation of the msgstr's string lines: their contents are checked,
//! the quotes and line breaks between them are not; escapes (`\"`, `\\`, `\n`, `\t`, …) are `encoded` pieces. The
//! header entry (empty `msgid`, no context) is not checked; obsolete entries (`#~`) and comments are skipped. An
//! empty msgstr still makes a segment, with an empty target, so a bilingual check can report it untranslated.
//!
//! Problems: a string without its closing quote (or with text after it) is fatal for fixing, and reading goes on at
//! the next entry (after the next blank line); a line with an unknown keyword is reported and skipped (non-fatal: a
//! fix never writes into a line that was not read).

use super::layout::{Escape, Layout, LayoutBuilder};
use std::ops::Range;

/// A run of a PO string's contents: the file bytes and the text they decode to.
#[derive(Debug, Clone)]
struct Part {
    file: Range<usize>,
    text: String,
    escaped: bool,
}

/// The string of one keyword, possibly over several lines.
type Parts = Vec<Part>;

fn joined(parts: &Parts) -> String {
    parts.iter().map(|p| p.text.as_str()).collect()
}

/// Which string the continuation lines (`"…"`) extend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Ctxt,
    Id,
    IdPlural,
    Str(usize),
}

#[derive(Debug, Default)]
struct Entry {
    ctxt: Option<Parts>,
    id: Option<Parts>,
    id_plural: Option<Parts>,
    strs: Vec<(usize, Parts)>,
    current: Option<Field>,
}

impl Entry {
    fn is_empty(&self) -> bool {
        self.ctxt.is_none() && self.id.is_none() && self.id_plural.is_none() && self.strs.is_empty()
    }

    fn parts_mut(&mut self, field: Field) -> &mut Parts {
        match field {
            Field::Ctxt => self.ctxt.get_or_insert_with(Vec::new),
            Field::Id => self.id.get_or_insert_with(Vec::new),
            Field::IdPlural => self.id_plural.get_or_insert_with(Vec::new),
            Field::Str(n) => {
                let i = match self.strs.iter().position(|(k, _)| *k == n) {
                    Some(i) => i,
                    None => {
                        self.strs.push((n, Vec::new()));
                        self.strs.len() - 1
                    }
                };
                // `i` is a position found in `strs` or the index of the entry just pushed.
                #[allow(clippy::indexing_slicing)]
                &mut self.strs[i].1
            }
        }
    }

    /// Emits the entry's segments and resets it.
    fn flush(&mut self, b: &mut LayoutBuilder) {
        let entry = std::mem::take(self);
        let Some(id) = entry.id.as_ref().map(joined) else { return };
        let ctxt = entry.ctxt.as_ref().map(joined);
        if id.is_empty() && ctxt.is_none() {
            return; // the header entry
        }
        let key = match &ctxt {
            Some(c) => format!("{c}\u{4}{id}"),
            None => id.clone(),
        };
        let plural = entry.id_plural.as_ref().map(joined);
        for (n, parts) in &entry.strs {
            let source = if *n >= 1 { plural.clone().unwrap_or_else(|| id.clone()) } else { id.clone() };
            b.begin_segment(Some(key.clone()), Some(source));
            if parts.iter().all(|p| p.text.is_empty())
                && let Some(first) = parts.first()
            {
                b.anchor(first.file.start);
            }
            for p in parts {
                if p.escaped {
                    b.encoded(p.file.clone(), &p.text);
                } else {
                    b.verbatim(p.file.clone(), &p.text);
                }
            }
            b.end_segment();
        }
    }
}

/// Why a string could not be read.
enum StringError {
    /// At the opening quote.
    Unclosed(usize),
    Trailing(usize),
    NotAString,
}

/// Reads the quoted string starting at `line[at..]` (after optional spaces), where `line` starts at file offset
/// `base`.
fn read_string(line: &str, at: usize, base: usize) -> Result<Parts, StringError> {
    let rest = &line[at..];
    let skipped = rest.len() - rest.trim_start().len();
    let open = at + skipped;
    if !line[open..].starts_with('"') {
        return Err(StringError::NotAString);
    }
    let bytes = line.as_bytes();
    let mut parts = Vec::new();
    let mut run = open + 1;
    let mut i = open + 1;
    loop {
        match bytes.get(i) {
            None => return Err(StringError::Unclosed(open)),
            Some(b'"') => {
                // An empty string still records where it is, so an untranslated entry can be reported there.
                if run < i || parts.is_empty() {
                    parts.push(Part { file: base + run..base + i, text: line[run..i].to_string(), escaped: false });
                }
                let after = &line[i + 1..];
                if !after.trim().is_empty() {
                    return Err(StringError::Trailing(i + 1 + (after.len() - after.trim_start().len())));
                }
                return Ok(parts);
            }
            Some(b'\\') => {
                if run < i {
                    parts.push(Part { file: base + run..base + i, text: line[run..i].to_string(), escaped: false });
                }
                let Some(c) = line[i + 1..].chars().next() else { return Err(StringError::Unclosed(open)) };
                let (decoded, len) = match c {
                    'n' => ('\n'.to_string(), 1),
                    't' => ('\t'.to_string(), 1),
                    'r' => ('\r'.to_string(), 1),
                    'a' => ('\u{7}'.to_string(), 1),
                    'b' => ('\u{8}'.to_string(), 1),
                    'f' => ('\u{c}'.to_string(), 1),
                    'v' => ('\u{b}'.to_string(), 1),
                    '0'..='7' => {
                        let digits = line[i + 1..].bytes().take(3).take_while(|d| (b'0'..=b'7').contains(d)).count();
                        let value = u32::from_str_radix(&line[i + 1..i + 1 + digits], 8).unwrap_or(0);
                        (char::from_u32(value).unwrap_or('\u{FFFD}').to_string(), digits)
                    }
                    'x' => {
                        let digits = line[i + 2..].bytes().take(2).take_while(u8::is_ascii_hexdigit).count();
                        match u32::from_str_radix(&line[i + 2..i + 2 + digits], 16).ok().and_then(char::from_u32) {
                            Some(ch) if digits > 0 => (ch.to_string(), 1 + digits),
                            _ => ("x".to_string(), 1),
                        }
                    }
                    // `\"`, `\\`, `\'`, `\?`, and any other escaped character stand for themselves.
                    other => (other.to_string(), other.len_utf8()),
                };
                parts.push(Part { file: base + i..base + i + 1 + len, text: decoded, escaped: true });
                i += 1 + len;
                run = i;
            }
            Some(_) => i += 1,
        }
    }
}

pub fn read(text: &str) -> Layout {
    let mut b = LayoutBuilder::new(Escape::Po);
    let mut entry = Entry::default();
    // After a broken string, lines are skipped until the next blank line (the next entry).
    let mut skipping = false;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let body = line.trim_start();
        let indent = line.len() - body.len();
        if body.is_empty() {
            skipping = false;
            entry.flush(&mut b);
            continue;
        }
        if skipping || body.starts_with('#') {
            continue;
        }
        let (field, string_at) = if body.starts_with('"') {
            match entry.current {
                Some(f) => (f, indent),
                None => {
                    b.problem(start + indent, "a string continues no msgid or msgstr; the line is not read", false);
                    continue;
                }
            }
        } else {
            let word_len = body.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(body.len());
            let word = &body[..word_len];
            let field = match word {
                "msgctxt" => Field::Ctxt,
                "msgid" => Field::Id,
                "msgid_plural" => Field::IdPlural,
                "msgstr" => Field::Str(0),
                _ => match word.strip_prefix("msgstr[").and_then(|r| r.strip_suffix(']')).map(str::parse) {
                    Some(Ok(n)) => Field::Str(n),
                    _ => {
                        b.problem(start + indent, format!("unknown keyword `{word}`; the line is not read"), false);
                        continue;
                    }
                },
            };
            // A msgctxt or msgid after the entry's own begins the next entry (no blank line between).
            let repeated = match field {
                Field::Ctxt => !entry.is_empty(),
                Field::Id => entry.id.is_some() || !entry.strs.is_empty(),
                _ => false,
            };
            if repeated {
                entry.flush(&mut b);
            }
            (field, indent + word_len)
        };
        match read_string(line, string_at, start) {
            Ok(parts) => {
                entry.parts_mut(field).extend(parts);
                entry.current = Some(field);
            }
            Err(e) => {
                let (at, message) = match e {
                    StringError::Unclosed(at) => {
                        (at, "a string without its closing quote; the entry is not read".to_string())
                    }
                    StringError::Trailing(at) => {
                        (at, "text after the closing quote of a string; the entry is not read".to_string())
                    }
                    StringError::NotAString => {
                        (string_at, "a keyword without a quoted string; the entry is not read".into())
                    }
                };
                b.problem(start + at.min(line.len()), message, true);
                entry = Entry::default();
                skipping = true;
            }
        }
    }
    entry.flush(&mut b);
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# Translator comment the the\n\
msgid \"\"\n\
msgstr \"\"\n\
\"Content-Type: text/plain; charset=UTF-8\\n\"\n\
\n\
#: src/news.c:12\n\
#, fuzzy\n\
msgctxt \"headline\"\n\
msgid \"国新办举行发布会\"\n\
msgstr \"The \\\"National New Office\\\" held a briefing.\"\n\
\n\
msgid \"经济增长。\"\n\
msgstr \"\"\n\
\"The economy grew.\"\n\
\"The end\\n\"\n\
\n\
msgid \"一个文件\"\n\
msgid_plural \"%d 个文件\"\n\
msgstr[0] \"one file\"\n\
msgstr[1] \"%d files\"\n\
\n\
#~ msgid \"旧\"\n\
#~ msgstr \"the the old\"\n\
msgid \"未翻译\"\n\
msgstr \"\"\n";

    #[test]
    fn msgstrs_are_checked_and_comments_headers_and_obsolete_entries_are_not() {
        let layout = read(SAMPLE);
        assert!(layout.problems.is_empty(), "{:?}", layout.problems);
        let checked = layout.checked(SAMPLE);
        assert_eq!(
            checked,
            "The \"National New Office\" held a briefing.\n\nThe economy grew.The end\n\n\none file\n\n%d files\n\n"
        );
        let ids: Vec<_> = layout.segments.iter().map(|s| s.id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["headline\u{4}国新办举行发布会", "经济增长。", "一个文件", "一个文件", "未翻译"]);
        let sources: Vec<_> = layout.segments.iter().map(|s| s.source.as_deref().unwrap()).collect();
        assert_eq!(sources, ["国新办举行发布会", "经济增长。", "一个文件", "%d 个文件", "未翻译"]);
        assert_eq!(layout.segments[4].range.len(), 0, "an untranslated entry is an empty segment");
        assert_eq!(layout.escape(), Escape::Po);
    }

    #[test]
    fn words_and_escapes_map_to_their_file_bytes() {
        let layout = read(SAMPLE);
        let checked = layout.checked(SAMPLE);
        let office = checked.find("National").unwrap();
        assert_eq!(&SAMPLE[layout.to_file(office..office + 8).unwrap()], "National");
        let quote = checked.find('"').unwrap();
        assert_eq!(&SAMPLE[layout.to_file(quote..quote + 1).unwrap()], "\\\"");
        let quoted = checked.find("\"National New Office\"").unwrap();
        assert_eq!(&SAMPLE[layout.to_file(quoted..quoted + 21).unwrap()], "\\\"National New Office\\\"");
        let newline = checked.find("end\n").unwrap() + 3;
        assert_eq!(&SAMPLE[layout.to_file(newline..newline + 1).unwrap()], "\\n");
        // A span over the break between two string lines covers the quotes between them.
        let joined = checked.find("grew.The").unwrap();
        assert_eq!(&SAMPLE[layout.to_file(joined..joined + 8).unwrap()], "grew.\"\n\"The");
    }

    #[test]
    fn a_broken_string_is_fatal_and_reading_goes_on_at_the_next_entry() {
        let po = "msgid \"a\"\nmsgstr \"broken\nmsgstr \"still the same entry\"\n\nmsgid \"b\"\nmsgstr \"fine\"\n\
                  bogus \"x\"\nmsgid \"c\"\nmsgstr \"ok\" junk\n";
        let layout = read(po);
        let problems: Vec<_> = layout.problems.iter().map(|p| (p.offset, p.fatal)).collect();
        let bogus = po.find("bogus").unwrap();
        let junk = po.find("junk").unwrap();
        assert_eq!(problems, [(17, true), (bogus, false), (junk, true)], "{:?}", layout.problems);
        assert!(!layout.complete());
        assert_eq!(layout.checked(po), "fine");
    }

    #[test]
    fn octal_and_hex_escapes_decode() {
        let po = "msgid \"x\"\nmsgstr \"a\\101\\x42c\"\n";
        let layout = read(po);
        assert_eq!(layout.checked(po), "aABc");
        assert_eq!(&po[layout.to_file(1..2).unwrap()], "\\101");
    }
}
