//! Text as the protocol sees it: positions are a 0-based line and a 0-based character counted in UTF-16 code units,
//! lines end at `\n`, `\r\n` or `\r`; mtlint counts byte offsets into UTF-8. This module converts between the two,
//! applies incremental edits, and turns `file:` URIs into paths.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
use std::path::PathBuf;

/// The line starts of a text, for converting many byte offsets to positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i + 1);
        }
        LineIndex { starts }
    }

    /// The byte range of 0-based `line` without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let Some(&start) = self.starts.get(line) else { return text.len()..text.len() };
        let end = match self.starts.get(line + 1) {
            Some(&next) => next - terminator_before(text, next),
            None => text.len(),
        };
        start..end
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The protocol position of byte `offset` (clamped to the text, moved back to a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character = utf16_len(text.get(start..offset).unwrap_or(""));
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, span: std::ops::Range<usize>) -> Range {
        Range::new(self.position(text, span.start), self.position(text, span.end))
    }

    /// The byte offset of a protocol position. A character past the end of its line means the end of the line, a
    /// line past the last one the end of the text, and a position inside a surrogate pair the character after it.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line);
        range.start + line_offset(&text[range.clone()], position.character as usize)
    }
}

/// Converts many offsets to positions in one pass: each position is counted on from the previous one when it is
/// further on the same line, so findings in document order cost time linear in the text, even on very long lines.
pub struct Cursor<'a> {
    index: &'a LineIndex,
    text: &'a str,
    offset: usize,
    position: Position,
}

impl<'a> Cursor<'a> {
    pub fn new(index: &'a LineIndex, text: &'a str) -> Self {
        Cursor { index, text, offset: 0, position: Position::new(0, 0) }
    }

    pub fn position(&mut self, offset: usize) -> Position {
        let offset = floor_boundary(self.text, offset);
        let line = self.index.line_of(offset);
        let position = if line == self.position.line as usize && offset >= self.offset {
            let more = utf16_len(&self.text[self.offset..offset]);
            Position::new(line as u32, self.position.character + more as u32)
        } else {
            self.index.position(self.text, offset)
        };
        (self.offset, self.position) = (offset, position);
        position
    }

    /// The range of a span; the cursor stays at its start, where the next span in document order begins.
    pub fn range(&mut self, span: std::ops::Range<usize>) -> Range {
        let start = self.position(span.start);
        let end = floor_boundary(self.text, span.end.max(self.offset));
        let end = if self.index.line_of(end) == start.line as usize {
            Position::new(start.line, start.character + utf16_len(&self.text[self.offset..end]) as u32)
        } else {
            self.index.position(self.text, end)
        };
        Range::new(start, end)
    }
}

/// The byte offset of a protocol position, without building an index: for applying edits to a text that changes
/// after each one.
pub fn offset_at(text: &str, position: Position) -> usize {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut line = 0;
    let mut breaks = memchr::memchr2_iter(b'\n', b'\r', bytes);
    while line < position.line {
        let Some(i) = breaks.next() else { return text.len() };
        if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        start = i + 1;
        line += 1;
    }
    let end = memchr::memchr2(b'\n', b'\r', bytes.get(start..).unwrap_or_default()).map_or(text.len(), |i| start + i);
    start + line_offset(&text[start..end], position.character as usize)
}

/// Applies one change of `textDocument/didChange` to `text`: a range replaced, or (without a range) the whole text.
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let mut start = offset_at(text, range.start);
            let mut end = offset_at(text, range.end);
            if end < start {
                std::mem::swap(&mut start, &mut end);
            }
            text.replace_range(start..end, &change.text);
        }
    }
}

/// The byte offset within `line` (a line without its ending) of a character counted in UTF-16 code units.
fn line_offset(line: &str, character: usize) -> usize {
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= character {
            return i;
        }
        units += c.len_utf16();
    }
    line.len()
}

/// The length of `text` in UTF-16 code units (the unit of LSP positions and of LanguageTool offsets).
pub(crate) fn utf16_len(text: &str) -> usize {
    if text.is_ascii() { text.len() } else { text.chars().map(char::len_utf16).sum() }
}

/// The length of the line ending just before byte `next` (the start of the following line).
fn terminator_before(text: &str, next: usize) -> usize {
    if next >= 2 && text.as_bytes().get(next - 2..next) == Some(b"\r\n") { 2 } else { 1 }
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The path of a `file:` URI (percent-decoded); `None` for other schemes.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let scheme_end = uri.find(':')?;
    if !uri[..scheme_end].eq_ignore_ascii_case("file") {
        return None;
    }
    let rest = &uri[scheme_end + 1..];
    // `file:///p`, `file://host/p` or `file:/p`: the authority, if any, is dropped.
    let path = match rest.strip_prefix("//") {
        Some(after) => &after[after.find('/')?..],
        None => rest,
    };
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    let bytes = percent_decode(path);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        // `/C:/Users/…` on Windows.
        let text = match text.as_bytes() {
            [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() => text[1..].to_string(),
            _ => text,
        };
        Some(PathBuf::from(text))
    }
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(byte);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_code_units() {
        let text = "😀国 grew.The\r\nb\rc\n";
        let index = LineIndex::new(text);
        let start = text.find("grew").unwrap();
        assert_eq!(index.position(text, start), Position::new(0, 4));
        assert_eq!(index.offset(text, Position::new(0, 4)), start);
        assert_eq!(offset_at(text, Position::new(0, 4)), start);
        // Inside the surrogate pair of the emoji: the character after it.
        assert_eq!(index.offset(text, Position::new(0, 1)), 4);
        let b = text.find('b').unwrap();
        assert_eq!(index.position(text, b), Position::new(1, 0));
        assert_eq!(index.position(text, text.find('c').unwrap()), Position::new(2, 0));
        assert_eq!(offset_at(text, Position::new(2, 0)), text.find('c').unwrap());
        // Past the end of a line: its end, before the line ending.
        assert_eq!(index.offset(text, Position::new(0, 99)), text.find('\r').unwrap());
        assert_eq!(offset_at(text, Position::new(0, 99)), text.find('\r').unwrap());
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(index.position(text, text.len()), Position::new(3, 0));
        let mut cursor = Cursor::new(&index, text);
        for offset in [start, start + 4, 0, b, text.len(), start] {
            assert_eq!(cursor.position(offset), index.position(text, offset), "at {offset}");
        }
        let mut cursor = Cursor::new(&index, text);
        for span in [start..start + 9, 4..7, 0..b, start + 1..start + 2] {
            assert_eq!(cursor.range(span.clone()), index.range(text, span.clone()), "{span:?}");
        }
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut text = "😀 ab\ncd\n".to_string();
        let change = |l1, c1, l2, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: t.to_string(),
        };
        apply_change(&mut text, change(0, 3, 0, 4, "X"));
        assert_eq!(text, "😀 Xb\ncd\n");
        apply_change(&mut text, change(0, 5, 1, 1, ""));
        assert_eq!(text, "😀 Xbd\n");
        apply_change(&mut text, change(1, 0, 1, 0, "new"));
        assert_eq!(text, "😀 Xbd\nnew");
    }

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(uri_to_path("file:///tmp/a%20b/r%C3%A9.md"), Some(PathBuf::from("/tmp/a b/ré.md")));
        assert_eq!(uri_to_path("file://localhost/tmp/x.txt"), Some(PathBuf::from("/tmp/x.txt")));
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
    }
}
