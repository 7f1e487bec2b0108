//! The layout of a document: which parts of the file are checked, and how to find them again in the file.
//!
//! A reader (one per input format) turns the file's text into a [`Layout`]: the checkable text of each segment
//! (the prose of a Markdown file, the `<target>` of an XLIFF unit, the `msgstr` of a PO entry), joined into one
//! `check_text`, plus [`Piece`]s that map every checked byte back to the bytes of the file it came from. Findings
//! are made on the check text and mapped back through the pieces; a fix is written into the file at the mapped span,
//! encoded the way the format needs ([`Escape`]), so every other byte of the file stays as it was.

use std::ops::Range;

/// Object replacement character: stands in the check text for something that is not prose (inline code, an inline
/// tag), so words on either side do not run together. Findings touching it are never reported or fixed.
pub const PLACEHOLDER: char = '\u{FFFC}';

/// How a run of check text relates to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    /// The same bytes in both: any sub-range maps exactly.
    Verbatim,
    /// Decoded from an escape or entity (`&amp;` → `&`, `\"` → `"`): maps as a whole.
    Encoded,
    /// A [`PLACEHOLDER`] for something that is not prose: never part of a reported span.
    Opaque,
}

/// A run of check text and the file bytes it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub check: Range<usize>,
    pub file: Range<usize>,
    pub kind: PieceKind,
}

/// One checkable unit: a translation unit, an entry, a paragraph of a plain document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Segment {
    /// The unit's id in the file (XLIFF `id`, PO `msgctxt`/`msgid`, TSV line), when it has one.
    pub id: Option<String>,
    /// The source-language text, decoded, when the format carries it.
    pub source: Option<String>,
    /// The segment's target text within the check text.
    pub range: Range<usize>,
}

/// How text must be written into the file: the encoding a replacement needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// Written as is.
    None,
    /// XML and HTML text: `&`, `<`, `>` as entities.
    Xml,
    /// Inside a gettext PO string: `\` and `"` escaped, line breaks as `\n`.
    Po,
    /// Inside a JSON string.
    Json,
    /// Inside a CSV/TSV field quoted with `"`: a quote is doubled. (A file whose targets are all unquoted uses
    /// [`Escape::None`]: there a quote is an ordinary character.)
    Csv,
    /// Inside an unquoted CSV/TSV field with this delimiter: written as is, and a replacement holding the delimiter
    /// or a line break cannot be written there (it would split the row), so it is not applied. (A quotation mark is
    /// literal inside an unquoted field; should one land at a field's start, the structure check after fixing
    /// refuses the write.)
    Unquoted(u8),
}

impl Escape {
    /// Whether `text` can be written into the file at all (see [`Escape::Unquoted`]).
    pub fn can_write(self, text: &str) -> bool {
        match self {
            Escape::Unquoted(delimiter) => !text.contains([delimiter as char, '\n', '\r']),
            _ => true,
        }
    }

    pub fn encode(self, text: &str) -> String {
        match self {
            Escape::None | Escape::Unquoted(_) => text.to_string(),
            Escape::Csv => text.replace('"', "\"\""),
            Escape::Xml => text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"),
            Escape::Po => text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('\t', "\\t"),
            Escape::Json => {
                let quoted = serde_json::to_string(text).unwrap_or_default();
                quoted[1..quoted.len().saturating_sub(1).max(1)].to_string()
            }
        }
    }
}

/// A problem found while reading a file's structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset in the file's text.
    pub offset: usize,
    pub message: String,
    /// The rest of the file could not be read: `fix` must not write it.
    pub fatal: bool,
}

/// What of a file is checked and where it lives in the file.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// `None`: the whole file is checked as it is (plain text); no copy is made.
    check_text: Option<String>,
    pieces: Vec<Piece>,
    pub segments: Vec<Segment>,
    pub problems: Vec<Problem>,
    pub escape: Option<Escape>,
    /// CSV/TSV target text not inside quotes (an unquoted field, or what follows a closing quote): the delimiter, and
    /// the file ranges of that text. A quotation mark cannot start it; in a file that also has quoted fields (escape
    /// [`Escape::Csv`]) the delimiter, a line break or a quotation mark cannot be written into it at all.
    pub unquoted: Option<(u8, Vec<Range<usize>>)>,
    /// File ranges of the contents of CDATA sections: text there is written as it stands, so a replacement that the
    /// file's XML escape would write as entities (`&`, `<`, `>`), or that would end the section (`]]>`), cannot be
    /// written there.
    pub cdata: Vec<Range<usize>>,
    /// Where empty segments are in the file: (check-text offset, file offset), so a finding about an empty target
    /// (untranslated) can be placed.
    anchors: Vec<(usize, usize)>,
    /// Check-text offsets where inline markup (an HTML `<b>` or `</a>`) sits between pieces of text.
    markup: Vec<usize>,
}

impl Layout {
    /// The whole file, checked as it is.
    pub fn whole() -> Layout {
        Layout::default()
    }

    /// The text the rules run on.
    pub fn checked<'a>(&'a self, file_text: &'a str) -> &'a str {
        self.check_text.as_deref().unwrap_or(file_text)
    }

    /// Whether `replacement` cannot be written over the file bytes `range` with the file's escape: the range touches
    /// unquoted text of a CSV/TSV file that also has quoted fields, and the replacement would need quoting there.
    pub fn cannot_write(&self, range: &Range<usize>, replacement: &str) -> bool {
        self.unquoted.as_ref().is_some_and(|(delimiter, literal)| {
            let mixed = self.escape() == Escape::Csv && replacement.contains([*delimiter as char, '\n', '\r', '"']);
            let touches = |l: &Range<usize>| l.start <= range.end && range.start <= l.end;
            // A field that starts with a quote is read as quoted.
            let opens_quote = |l: &Range<usize>| l.start == range.start && replacement.starts_with('"');
            literal.iter().any(|l| (mixed && touches(l)) || opens_quote(l))
        })
    }

    /// Whether `replacement` cannot be written over the file bytes `range` as the front ends write it (with the
    /// file's XML escape): the range touches the content of a CDATA section, where entities are not decoded, and the
    /// replacement holds `&`, `<` or `>` (an XML entity there would be read as its letters; `]]>` would end the
    /// section).
    pub fn cannot_write_cdata(&self, range: &Range<usize>, replacement: &str) -> bool {
        replacement.contains(['&', '<', '>']) && self.cdata.iter().any(|c| c.start <= range.end && range.start <= c.end)
    }

    pub fn is_whole(&self) -> bool {
        self.check_text.is_none()
    }

    pub fn escape(&self) -> Escape {
        self.escape.unwrap_or(Escape::None)
    }

    /// Whether the file was read completely (so `fix` may write it).
    pub fn complete(&self) -> bool {
        !self.problems.iter().any(|p| p.fatal)
    }

    /// The file range of a check-text range; `None` when it touches a placeholder or the space between segments.
    pub fn to_file(&self, range: Range<usize>) -> Option<Range<usize>> {
        if self.check_text.is_none() {
            return Some(range);
        }
        if range.is_empty()
            && let Some(&(_, file)) = self.anchors.iter().find(|(check, _)| *check == range.start)
        {
            return Some(file..file);
        }
        let first = self.pieces.partition_point(|p| p.check.end <= range.start);
        let mut start = None;
        let mut end = None;
        let mut expected = range.start;
        for piece in self.pieces.iter().skip(first) {
            if piece.check.start >= range.end.max(range.start + 1) {
                break;
            }
            // Check text between pieces belongs to no file bytes (segment separators): a span may not cross it.
            if piece.check.start > expected || piece.kind == PieceKind::Opaque {
                return None;
            }
            let (s, e) = match piece.kind {
                PieceKind::Verbatim => {
                    let from = range.start.max(piece.check.start) - piece.check.start;
                    let to = range.end.min(piece.check.end) - piece.check.start;
                    (piece.file.start + from, piece.file.start + to)
                }
                _ => (piece.file.start, piece.file.end),
            };
            start.get_or_insert(s);
            end = Some(e);
            expected = piece.check.end;
            if piece.check.end >= range.end {
                break;
            }
        }
        if expected < range.end {
            return None;
        }
        Some(start?..end?)
    }

    /// Whether inline markup lies inside a check-text range: a replacement there would delete the markup, so such a
    /// finding is reported without a fix.
    pub fn crosses_markup(&self, range: &Range<usize>) -> bool {
        let i = self.markup.partition_point(|&m| m <= range.start);
        self.markup.get(i).is_some_and(|&m| m < range.end)
    }

    /// The segment holding a check-text offset.
    pub fn segment_at(&self, offset: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.range.end < offset);
        self.segments.get(i).filter(|s| s.range.start <= offset)
    }
}

/// Builds a [`Layout`] as a reader walks a file: segments, the pieces of their text, and problems.
#[derive(Debug, Default)]
pub struct LayoutBuilder {
    layout: Layout,
    text: String,
    open: Option<Segment>,
}

impl LayoutBuilder {
    pub fn new(escape: Escape) -> Self {
        LayoutBuilder { layout: Layout { escape: Some(escape), ..Layout::default() }, ..Default::default() }
    }

    /// Starts a segment; text added until [`LayoutBuilder::end_segment`] belongs to it.
    pub fn begin_segment(&mut self, id: Option<String>, source: Option<String>) {
        self.end_segment();
        if !self.text.is_empty() {
            // Segments are separated by a blank line, so no sentence runs from one into the next.
            self.text.push_str("\n\n");
        }
        let start = self.text.len();
        self.open = Some(Segment { id, source, range: start..start });
    }

    pub fn end_segment(&mut self) {
        if let Some(mut s) = self.open.take() {
            s.range.end = self.text.len();
            self.layout.segments.push(s);
        }
    }

    /// Sets the source text of the open segment (for formats where it comes after the target starts).
    pub fn set_source(&mut self, source: String) {
        if let Some(s) = self.open.as_mut() {
            s.source = Some(source);
        }
    }

    /// File bytes checked exactly as they are.
    pub fn verbatim(&mut self, file: Range<usize>, text: &str) {
        debug_assert_eq!(file.len(), text.len(), "verbatim text has the length of its file bytes");
        self.push(file, text, PieceKind::Verbatim);
    }

    /// The content of a CDATA section: checked as it is, written without XML escaping (see [`Layout::cdata`]).
    pub fn cdata(&mut self, file: Range<usize>, text: &str) {
        self.layout.cdata.push(file.clone());
        self.verbatim(file, text);
    }

    /// File bytes that decode to `text` (an entity, an escape sequence).
    pub fn encoded(&mut self, file: Range<usize>, text: &str) {
        self.push(file, text, PieceKind::Encoded);
    }

    /// File bytes that are not prose (inline code, an inline tag): a placeholder in the check text.
    pub fn opaque(&mut self, file: Range<usize>) {
        let mut buf = [0u8; 4];
        self.push(file, PLACEHOLDER.encode_utf8(&mut buf), PieceKind::Opaque);
    }

    /// File bytes that decode to `text`, choosing verbatim when they are equal.
    pub fn decoded(&mut self, file: Range<usize>, original: &str, text: &str) {
        if original == text {
            self.verbatim(file, text);
        } else {
            self.encoded(file, text);
        }
    }

    fn push(&mut self, file: Range<usize>, text: &str, kind: PieceKind) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        self.layout.pieces.push(Piece { check: start..self.text.len(), file, kind });
    }

    /// Marks inline markup between the text added so far and the text added next (the markup itself is not text).
    pub fn markup(&mut self) {
        if self.layout.markup.last() != Some(&self.text.len()) {
            self.layout.markup.push(self.text.len());
        }
    }

    /// Marks where in the file the open segment's (empty) target is, so findings about it can be placed.
    pub fn anchor(&mut self, file_offset: usize) {
        self.layout.anchors.push((self.text.len(), file_offset));
    }

    pub fn problem(&mut self, offset: usize, message: impl Into<String>, fatal: bool) {
        self.layout.problems.push(Problem { offset, message: message.into(), fatal });
    }

    pub fn finish(mut self) -> Layout {
        self.end_segment();
        self.layout.check_text = Some(self.text);
        self.layout
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `a &amp; b` `x` c: verbatim, encoded, verbatim, opaque, verbatim.
    fn sample() -> (&'static str, Layout) {
        let file = "<p>a &amp; b <code>x</code> c</p>";
        let mut b = LayoutBuilder::new(Escape::Xml);
        b.begin_segment(None, None);
        b.verbatim(3..5, "a ");
        b.encoded(5..10, "&");
        b.verbatim(10..13, " b ");
        b.opaque(13..27);
        b.verbatim(27..29, " c");
        (file, b.finish())
    }

    #[test]
    fn ranges_map_back_to_the_file() {
        let (file, layout) = sample();
        let checked = layout.checked(file);
        assert_eq!(checked, "a & b \u{FFFC} c");
        let b = checked.find('b').unwrap();
        assert_eq!(&file[layout.to_file(b..b + 1).unwrap()], "b");
        assert_eq!(&file[layout.to_file(0..5).unwrap()], "a &amp; b");
        let c = checked.find('c').unwrap();
        assert_eq!(layout.to_file(b..c), None, "a span over inline code is not mapped");
    }

    #[test]
    fn spans_do_not_cross_segments() {
        let file = "one|two";
        let mut b = LayoutBuilder::new(Escape::None);
        b.begin_segment(Some("1".into()), None);
        b.verbatim(0..3, "one");
        b.begin_segment(Some("2".into()), Some("二".into()));
        b.verbatim(4..7, "two");
        let layout = b.finish();
        assert_eq!(layout.checked(file), "one\n\ntwo");
        assert_eq!(layout.to_file(5..8), Some(4..7));
        assert_eq!(layout.to_file(0..8), None);
        assert_eq!(layout.segment_at(6).and_then(|s| s.id.as_deref()), Some("2"));
    }

    #[test]
    fn escapes_encode_replacements_for_their_format() {
        assert_eq!(Escape::Xml.encode("R&D <new>"), "R&amp;D &lt;new&gt;");
        assert_eq!(Escape::Po.encode("say \"hi\"\n"), "say \\\"hi\\\"\\n");
        assert_eq!(Escape::Json.encode("a \"b\" \\ c"), "a \\\"b\\\" \\\\ c");
    }
}
