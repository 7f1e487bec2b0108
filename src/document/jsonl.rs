//! JSON Lines: one JSON object per line, `{"id": …, "source": …, "target": …}` or `{"text": …}`.
//!
//! The target is the first string of `"target"`, `"translation"`, `"mt"` or `"text"`; the source is `"source"` or
//! `"src"`; the id is `"id"` (a string, or any other JSON value as written). Each line is parsed with serde_json;
//! the target's raw string token is located in the line through `RawValue` (a slice of the line itself), and its
//! escapes (`\"`, `\\`, `\n`, `\uXXXX`, a surrogate pair as a whole) become `encoded` pieces, the rest `verbatim`.
//! A `null` target is an untranslated unit: a segment with an empty target.
//!
//! A line that is not a JSON object, or has no target string, is a problem naming the line, and is not checked.
//! Such problems are NOT fatal: a fix only ever writes inside the target strings of lines that were read, so an
//! unreadable line stays exactly as it was, and the rest of the file is checked and fixed as usual.

use super::layout::{Escape, Layout, LayoutBuilder};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

const TARGET_KEYS: [&str; 4] = ["target", "translation", "mt", "text"];
const SOURCE_KEYS: [&str; 2] = ["source", "src"];

pub fn read(text: &str) -> Layout {
    let mut b = LayoutBuilder::new(Escape::Json);
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        let fields: BTreeMap<String, &RawValue> = match serde_json::from_str(line) {
            Ok(f) => f,
            Err(e) => {
                let what = if serde_json::from_str::<serde_json::Value>(line).is_ok() {
                    "not a JSON object".to_string()
                } else {
                    let message = e.to_string();
                    let place = format!(" at line {} column {}", e.line(), e.column());
                    format!("not valid JSON ({}, column {})", message.trim_end_matches(&place), e.column())
                };
                b.problem(start, format!("{what}; the line is not checked"), false);
                continue;
            }
        };
        let Some((key, target)) = TARGET_KEYS.iter().find_map(|k| fields.get(*k).map(|v| (*k, *v))) else {
            b.problem(
                start,
                "no \"target\", \"translation\", \"mt\" or \"text\" field; the line is not checked",
                false,
            );
            continue;
        };
        let source = SOURCE_KEYS.iter().find_map(|k| fields.get(*k)).and_then(|v| serde_json::from_str(v.get()).ok());
        let id = fields.get("id").map(|v| serde_json::from_str::<String>(v.get()).unwrap_or_else(|_| v.get().into()));
        let token = target.get();
        if token == "null" {
            b.begin_segment(id, source);
            b.end_segment();
            continue;
        }
        let Ok(value) = serde_json::from_str::<String>(token) else {
            b.problem(start, format!("\"{key}\" is not a string; the line is not checked"), false);
            continue;
        };
        // The token is a slice of `line`: its offset in the file follows from the pointers.
        let at = start + (token.as_ptr() as usize - line.as_ptr() as usize);
        b.begin_segment(id, source);
        if value.is_empty() {
            b.anchor(at + 1);
        }
        let decoded = string_pieces(token, at, &mut b);
        debug_assert_eq!(decoded, value, "the pieces decode to serde_json's value");
        b.end_segment();
    }
    b.finish()
}

/// Adds the pieces of a JSON string token (with its quotes) found at file offset `at`; returns the decoded text.
fn string_pieces(token: &str, at: usize, b: &mut LayoutBuilder) -> String {
    let inner = &token[1..token.len() - 1];
    let base = at + 1;
    let bytes = inner.as_bytes();
    let mut decoded = String::new();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'\\') {
            i += 1;
            continue;
        }
        if run < i {
            b.verbatim(base + run..base + i, &inner[run..i]);
            decoded.push_str(&inner[run..i]);
        }
        let (c, len) = match bytes.get(i + 1) {
            Some(b'n') => ('\n', 2),
            Some(b't') => ('\t', 2),
            Some(b'r') => ('\r', 2),
            Some(b'b') => ('\u{8}', 2),
            Some(b'f') => ('\u{c}', 2),
            Some(b'u') => {
                let unit = |from: usize| inner.get(from..from + 4).and_then(|h| u16::from_str_radix(h, 16).ok());
                let high = unit(i + 2).unwrap_or(0xFFFD);
                let low = (inner.get(i + 6..i + 8) == Some("\\u")).then(|| unit(i + 8)).flatten();
                match low {
                    Some(low) if (0xD800..0xDC00).contains(&high) && (0xDC00..0xE000).contains(&low) => {
                        let c = char::decode_utf16([high, low]).next().and_then(Result::ok).unwrap_or('\u{FFFD}');
                        (c, 12)
                    }
                    _ => (char::from_u32(high.into()).unwrap_or('\u{FFFD}'), 6),
                }
            }
            // `\"`, `\\`, `\/`
            Some(&other) => (other as char, 2),
            None => break,
        };
        let mut buf = [0u8; 4];
        b.encoded(base + i..base + i + len, c.encode_utf8(&mut buf));
        decoded.push(c);
        i += len;
        run = i;
    }
    if run < bytes.len() {
        b.verbatim(base + run..base + bytes.len(), &inner[run..]);
        decoded.push_str(&inner[run..]);
    }
    decoded
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = concat!(
        "{\"id\": \"n1\", \"source\": \"国新办\", \"target\": \"The \\\"National New Office\\\" said\\nyes.\"}\n",
        "{\"text\": \"Emoji \\ud83d\\ude00 and \\u00e9t\\u00e9 the the\"}\r\n",
        "\n",
        "{\"id\": 7, \"src\": \"未译\", \"mt\": null}\n",
        "{\"id\": 8, \"source\": \"x\", \"translation\": \"plain\", \"text\": \"not this\"}\n",
    );

    #[test]
    fn targets_are_checked_and_sources_ids_and_keys_are_not() {
        let layout = read(SAMPLE);
        assert!(layout.problems.is_empty(), "{:?}", layout.problems);
        assert_eq!(
            layout.checked(SAMPLE),
            "The \"National New Office\" said\nyes.\n\nEmoji 😀 and été the the\n\n\n\nplain"
        );
        let ids: Vec<_> = layout.segments.iter().map(|s| s.id.as_deref()).collect();
        assert_eq!(ids, [Some("n1"), None, Some("7"), Some("8")]);
        let sources: Vec<_> = layout.segments.iter().map(|s| s.source.as_deref()).collect();
        assert_eq!(sources, [Some("国新办"), None, Some("未译"), Some("x")]);
        assert_eq!(layout.segments[2].range.len(), 0);
    }

    #[test]
    fn words_and_escapes_map_to_their_file_bytes() {
        let layout = read(SAMPLE);
        let checked = layout.checked(SAMPLE);
        let office = checked.find("Office").unwrap();
        assert_eq!(&SAMPLE[layout.to_file(office..office + 6).unwrap()], "Office");
        let quote = checked.find('"').unwrap();
        assert_eq!(&SAMPLE[layout.to_file(quote..quote + 1).unwrap()], "\\\"");
        let emoji = checked.find('😀').unwrap();
        assert_eq!(&SAMPLE[layout.to_file(emoji..emoji + 4).unwrap()], "\\ud83d\\ude00");
        let ete = checked.find("été").unwrap();
        assert_eq!(&SAMPLE[layout.to_file(ete..ete + "été".len()).unwrap()], "\\u00e9t\\u00e9");
        let the = checked.find("the the").unwrap();
        assert_eq!(&SAMPLE[layout.to_file(the..the + 7).unwrap()], "the the");
    }

    #[test]
    fn unreadable_lines_are_reported_and_the_rest_is_read() {
        let jsonl = "{\"target\": \"one\"}\n{\"target\": \"broken}\n[1, 2]\n{\"id\": 3}\n{\"target\": 5}\n{\"text\": \"two\"}\n";
        let layout = read(jsonl);
        let lines: Vec<_> = layout.problems.iter().map(|p| jsonl[..p.offset].matches('\n').count() + 1).collect();
        assert_eq!(lines, [2, 3, 4, 5], "{:?}", layout.problems);
        assert!(layout.complete(), "unreadable lines do not stop a fix");
        assert_eq!(layout.checked(jsonl), "one\n\ntwo");
    }
}
