//! XLIFF 1.2 (`<trans-unit id><source>…</source><target>…</target>`) and 2.0 (`<unit id><segment><source>…`
//! `<target>…`): the target of each unit is checked, its source (decoded, inline markup dropped) goes with it.
//!
//! Inline markup in a target is kept out of the checked text: every tag stands as a placeholder, and so does a whole
//! native-code element (`<ph>…</ph>`, `<bpt>…</bpt>`, `<ept>…</ept>`, `<it>…</it>`), while the text inside `<g>`,
//! `<pc>`, `<mrk>` is prose. Entities are decoded (`&amp;` → `&`); CDATA is text as it stands. Nothing is ever
//! fetched or expanded beyond the five XML entities and character references: a DOCTYPE is read past, and an entity
//! it declares stays as it is in the file (a placeholder), with a problem.
//!
//! The XML machinery here ([`Xml`], [`Inline`], [`read_inline`]) is shared with the TMX reader.

use super::layout::{Escape, Layout, LayoutBuilder};
use quick_xml::Reader;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};
use std::ops::Range;

/// An error that stops reading: the byte offset where it is and what it is.
pub(crate) struct Fatal {
    pub offset: usize,
    pub message: String,
}

/// A strict XML event reader over the file's text, giving each event's byte range in the file, and collecting the
/// problems that do not stop reading (unknown entities).
pub(crate) struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    /// Where the reader starts in the text: past a byte-order mark, which quick-xml drops without counting it.
    base: usize,
    pub text: &'a str,
    /// Problems that do not stop reading: (offset, message).
    pub problems: Vec<(usize, String)>,
}

impl<'a> Xml<'a> {
    pub fn new(text: &'a str) -> Self {
        let base = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
        let mut reader = Reader::from_str(&text[base..]);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.allow_unmatched_ends = false;
        config.allow_dangling_amp = false;
        config.expand_empty_elements = false;
        config.trim_text(false);
        Xml { reader, base, text, problems: Vec::new() }
    }

    /// The file offset reading has reached.
    pub fn position(&self) -> usize {
        self.base + self.reader.buffer_position() as usize
    }

    /// The next event and the file bytes it was read from.
    pub fn next(&mut self) -> Result<(Event<'a>, Range<usize>), Fatal> {
        let start = self.position();
        match self.reader.read_event() {
            Ok(event) => Ok((event, start..self.base + self.reader.buffer_position() as usize)),
            Err(e) => Err(Fatal {
                offset: self.base + self.reader.error_position() as usize,
                message: format!("malformed XML: {e}; the rest of the file is not read"),
            }),
        }
    }

    /// Like [`Xml::next`], with an empty element (`<x/>`) read as a start tag with nothing after it, and whether it
    /// was empty.
    pub fn next_element(&mut self) -> Result<(Event<'a>, Range<usize>, bool), Fatal> {
        let (event, range) = self.next()?;
        Ok(match event {
            Event::Empty(e) => (Event::Start(e), range, true),
            other => (other, range, false),
        })
    }

    /// The text an entity or character reference stands for: `None` (and a problem) for anything but the five XML
    /// entities and valid character references. Entities declared in a DOCTYPE are never expanded.
    pub fn resolve(&mut self, reference: &BytesRef, file: &Range<usize>) -> Option<String> {
        let raw = &self.text[file.clone()];
        match reference.resolve_char_ref() {
            Ok(Some(c)) => return Some(c.to_string()),
            Ok(None) => {}
            Err(e) => {
                self.problems.push((file.start, format!("invalid character reference {raw}: {e}; left as it is")));
                return None;
            }
        }
        if let Some(s) = resolve_xml_entity(reference) {
            return Some(s.to_string());
        }
        self.problems.push((file.start, format!("unknown entity {raw} (not expanded); left as it is")));
        None
    }

    /// Reads past the rest of an element whose start tag was just read; returns the file offset after its end tag.
    pub fn skip_element(&mut self, name: &str) -> Result<usize, Fatal> {
        let mut depth = 1usize;
        loop {
            let (event, range) = self.next()?;
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(range.end);
                    }
                }
                Event::Eof => return Err(ends_inside(range.start, name)),
                _ => {}
            }
        }
    }
}

pub(crate) fn ends_inside(offset: usize, name: &str) -> Fatal {
    Fatal { offset, message: format!("malformed XML: the file ends inside <{name}>") }
}

/// The tag name of a start or empty tag.
pub(crate) fn name<'e>(e: &'e BytesStart) -> &'e str {
    e.name().0
}

/// The value of an attribute, decoded; `None` when absent or unreadable.
pub(crate) fn attribute(e: &BytesStart, key: &str) -> Option<String> {
    let attr = e.try_get_attribute(key).ok()??;
    let value = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()?;
    Some(value.into_owned())
}

/// A piece of an inline element's text, kept until the unit ends (a unit without target makes no segment).
#[derive(Debug, Clone)]
enum Pending {
    Verbatim(Range<usize>),
    /// The content of a CDATA section.
    Cdata(Range<usize>),
    Encoded(Range<usize>, String),
    Opaque(Range<usize>),
}

/// The content of an element with inline markup (`<source>`, `<target>`, `<seg>`): its pieces for the layout,
/// and its decoded prose with the markup dropped.
#[derive(Debug, Clone, Default)]
pub(crate) struct Inline {
    pieces: Vec<Pending>,
    pub text: String,
    /// Where the content starts in the file (for an empty element `<target/>`, where the tag is).
    start: usize,
}

impl Inline {
    fn verbatim(&mut self, file: Range<usize>, text: &str) {
        self.text.push_str(text);
        self.pieces.push(Pending::Verbatim(file));
    }

    fn cdata(&mut self, file: Range<usize>, text: &str) {
        self.text.push_str(text);
        self.pieces.push(Pending::Cdata(file));
    }

    fn encoded(&mut self, file: Range<usize>, text: String) {
        self.text.push_str(&text);
        self.pieces.push(Pending::Encoded(file, text));
    }

    fn opaque(&mut self, file: Range<usize>) {
        self.pieces.push(Pending::Opaque(file));
    }

    /// An element without content (`<target/>`) at `offset`.
    pub fn empty(offset: usize) -> Inline {
        Inline { start: offset, ..Inline::default() }
    }

    /// Adds the pieces to the open segment; an empty content is anchored where it is, so that a finding about it
    /// (untranslated) can be placed.
    pub fn replay(&self, b: &mut LayoutBuilder, file: &str) {
        if self.pieces.is_empty() {
            b.anchor(self.start);
        }
        for piece in &self.pieces {
            match piece {
                Pending::Verbatim(r) => b.verbatim(r.clone(), &file[r.clone()]),
                Pending::Cdata(r) => b.cdata(r.clone(), &file[r.clone()]),
                Pending::Encoded(r, t) => b.encoded(r.clone(), t),
                Pending::Opaque(r) => b.opaque(r.clone()),
            }
        }
    }
}

/// Reads the content of the element `element` whose start tag was just read, up to and including its end tag.
/// Elements named in `native` hold native code (their whole extent is one placeholder); every other tag is a
/// placeholder and its content prose.
pub(crate) fn read_inline(xml: &mut Xml, element: &str, native: &[&str]) -> Result<Inline, Fatal> {
    let text = xml.text;
    let mut inline = Inline::empty(xml.position());
    let mut depth = 0usize;
    loop {
        let (event, range) = xml.next()?;
        match event {
            Event::Text(_) => inline.verbatim(range.clone(), &text[range]),
            Event::GeneralRef(r) => match xml.resolve(&r, &range) {
                Some(decoded) => inline.encoded(range, decoded),
                None => {
                    inline.text.push_str(&text[range.clone()]);
                    inline.opaque(range);
                }
            },
            Event::CData(_) => {
                // `<![CDATA[` … `]]>`: the content is text as it stands.
                let inner = range.start + 9..range.end - 3;
                inline.cdata(inner.clone(), &text[inner]);
            }
            Event::Start(e) => {
                let tag = name(&e);
                if native.contains(&tag) {
                    let tag = tag.to_string();
                    let end = xml.skip_element(&tag)?;
                    inline.opaque(range.start..end);
                } else {
                    depth += 1;
                    inline.opaque(range);
                }
            }
            Event::End(_) => {
                if depth == 0 {
                    return Ok(inline);
                }
                depth -= 1;
                inline.opaque(range);
            }
            Event::Empty(_) | Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {
                inline.opaque(range)
            }
            Event::Eof => return Err(ends_inside(range.start, element)),
        }
    }
}

/// Elements of XLIFF 1.2 whose content is native code, not prose.
const NATIVE: &[&str] = &["ph", "bpt", "ept", "it"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

/// A unit being read: a 1.2 `<trans-unit>` or a 2.0 `<segment>`.
struct Unit {
    id: Option<String>,
    /// Names the unit in a problem: `trans-unit "u1"`, `unit "u1" segment "s2"`.
    label: String,
    start: usize,
    source: Option<String>,
    target: Option<Inline>,
}

pub fn read(text: &str) -> Layout {
    let mut b = LayoutBuilder::new(Escape::Xml);
    let mut xml = Xml::new(text);
    let mut version: Option<Version> = None;
    // Names of the open elements (the content of `<source>`/`<target>` is read separately).
    let mut stack: Vec<String> = Vec::new();
    let mut unit: Option<Unit> = None;
    // 2.0: the id of the open `<unit>`, and whether it is to be translated.
    let mut unit2: Option<(String, bool)> = None;
    let mut segments_in_unit = 0usize;
    let mut root_seen = false;
    let mut fatal = None;
    loop {
        let (event, range, empty) = match xml.next_element() {
            Ok(x) => x,
            Err(f) => {
                fatal = Some(f);
                break;
            }
        };
        match event {
            Event::Start(e) => {
                let tag = name(&e).to_string();
                let parent = stack.last().map(String::as_str);
                if parent.is_none() && !root_seen {
                    root_seen = true;
                    version = root(&mut b, &e, &tag, range.start);
                }
                let v1 = version != Some(Version::V2);
                let v2 = version != Some(Version::V1);
                let in_unit = matches!(parent, Some("trans-unit" | "segment")) && unit.is_some();
                match tag.as_str() {
                    "trans-unit" if v1 => {
                        let id = attribute(&e, "id");
                        let translate = attribute(&e, "translate").is_none_or(|t| t != "no");
                        let label = format!("trans-unit \"{}\"", id.as_deref().unwrap_or(""));
                        unit = translate.then_some(Unit { id, label, start: range.start, source: None, target: None });
                    }
                    "unit" if v2 => {
                        let id = attribute(&e, "id").unwrap_or_default();
                        let translate = attribute(&e, "translate").is_none_or(|t| t != "no");
                        unit2 = Some((id, translate));
                        segments_in_unit = 0;
                    }
                    "segment" if v2 && parent == Some("unit") => {
                        segments_in_unit += 1;
                        unit = match &unit2 {
                            Some((uid, true)) => {
                                let sid = attribute(&e, "id");
                                let (id, label) = match &sid {
                                    Some(s) => (format!("{uid}/{s}"), format!("unit \"{uid}\" segment \"{s}\"")),
                                    None => (uid.clone(), format!("unit \"{uid}\" segment {segments_in_unit}")),
                                };
                                Some(Unit { id: Some(id), label, start: range.start, source: None, target: None })
                            }
                            _ => None,
                        };
                    }
                    "source" if in_unit && !empty => {
                        let content = match read_inline(&mut xml, "source", NATIVE) {
                            Ok(c) => c,
                            Err(f) => {
                                fatal = Some(f);
                                break;
                            }
                        };
                        if let Some(u) = unit.as_mut() {
                            u.source = Some(content.text);
                        }
                        continue;
                    }
                    "target" if in_unit => {
                        let content = if empty {
                            Inline::empty(range.start)
                        } else {
                            match read_inline(&mut xml, "target", NATIVE) {
                                Ok(c) => c,
                                Err(f) => {
                                    fatal = Some(f);
                                    break;
                                }
                            }
                        };
                        if let Some(u) = unit.as_mut() {
                            u.target = Some(content);
                        }
                        continue;
                    }
                    _ => {}
                }
                if empty {
                    if matches!(tag.as_str(), "trans-unit" | "segment") {
                        finish(&mut b, unit.take(), text);
                    }
                } else {
                    stack.push(tag);
                }
            }
            Event::End(_) => {
                let tag = stack.pop().unwrap_or_default();
                match tag.as_str() {
                    "trans-unit" | "segment" => finish(&mut b, unit.take(), text),
                    "unit" => unit2 = None,
                    _ => {}
                }
            }
            Event::GeneralRef(r) => {
                xml.resolve(&r, &range);
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    fatal = Some(ends_inside(range.start, open));
                } else if !root_seen {
                    b.problem(0, "not an XLIFF file: no root element", false);
                }
                break;
            }
            _ => {}
        }
    }
    into_layout(b, &mut xml, fatal)
}

/// The layout of an XML file read to its end or to `fatal`: with the problems met on the way, then the fatal one.
pub(crate) fn into_layout(mut b: LayoutBuilder, xml: &mut Xml, fatal: Option<Fatal>) -> Layout {
    for (offset, message) in std::mem::take(&mut xml.problems) {
        b.problem(offset, message, false);
    }
    if let Some(f) = fatal {
        b.problem(f.offset, f.message, true);
    }
    b.finish()
}

/// Checks the root element and finds the XLIFF version: the `version` attribute, else the namespace.
fn root(b: &mut LayoutBuilder, e: &BytesStart, tag: &str, offset: usize) -> Option<Version> {
    if tag != "xliff" {
        b.problem(offset, format!("not an XLIFF file: the root element is <{tag}>, not <xliff>"), false);
        return None;
    }
    let version = attribute(e, "version");
    match version.as_deref() {
        Some(v) if v.starts_with("1.") => Some(Version::V1),
        Some(v) if v.starts_with("2.") => Some(Version::V2),
        Some(v) => {
            b.problem(offset, format!("unknown XLIFF version \"{v}\": read as 1.2 or 2.0, whichever fits"), false);
            None
        }
        None => match attribute(e, "xmlns") {
            Some(ns) if ns.contains("xliff:document:2") => Some(Version::V2),
            Some(ns) if ns.contains("xliff:document:1") => Some(Version::V1),
            _ => None,
        },
    }
}

/// Adds a finished unit as a segment, or a problem when it has no target.
fn finish(b: &mut LayoutBuilder, unit: Option<Unit>, text: &str) {
    let Some(unit) = unit else { return };
    match unit.target {
        Some(target) => {
            b.begin_segment(unit.id, unit.source);
            target.replay(b, text);
            b.end_segment();
        }
        None => b.problem(unit.start, format!("{} has no <target>: not checked", unit.label), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(layout: &Layout) -> Vec<(usize, &str, bool)> {
        layout.problems.iter().map(|p| (p.offset, p.message.as_str(), p.fatal)).collect()
    }

    const V12: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="zh-CN" target-language="en-US" datatype="plaintext" original="news.txt">
  <body>
   <trans-unit id="1">
    <source>国新办 the the 举行<g id="1">发布会</g></source>
    <target>R&amp;D grew.The <g id="1">National New Office</g> met<x id="2"/>today <ph id="3">&lt;br/&gt;</ph>ok</target>
    <alt-trans><target>the the</target></alt-trans>
   </trans-unit>
   <trans-unit id="2"><source>无</source></trans-unit>
   <trans-unit id="3" translate="no"><source>代码</source></trans-unit>
   <trans-unit id="4"><source>x</source><target><![CDATA[a <b> & c]]></target></trans-unit>
  </body>
 </file>
</xliff>
"#;

    #[test]
    fn xliff_1_2_targets_are_checked_with_inline_markup_as_placeholders() {
        let layout = read(V12);
        assert_eq!(
            layout.checked(V12),
            "R&D grew.The \u{FFFC}National New Office\u{FFFC} met\u{FFFC}today \u{FFFC}ok\n\na <b> & c"
        );
        let ids: Vec<_> = layout.segments.iter().map(|s| s.id.as_deref()).collect();
        assert_eq!(ids, [Some("1"), Some("4")]);
        assert_eq!(layout.segments[0].source.as_deref(), Some("国新办 the the 举行发布会"));
        let unit2 = V12.find("<trans-unit id=\"2\"").unwrap();
        assert_eq!(problems(&layout), [(unit2, "trans-unit \"2\" has no <target>: not checked", false)]);
        assert!(layout.complete());
        assert_eq!(layout.escape(), Escape::Xml);
    }

    #[test]
    fn check_ranges_map_to_the_exact_file_bytes() {
        let layout = read(V12);
        let checked = layout.checked(V12);
        let at = |needle: &str| {
            let s = checked.find(needle).unwrap();
            layout.to_file(s..s + needle.len()).map(|r| &V12[r])
        };
        assert_eq!(at("National New Office"), Some("National New Office"));
        assert_eq!(at("grew.The"), Some("grew.The"));
        assert_eq!(at("&"), Some("&amp;"));
        assert_eq!(at("R&D"), Some("R&amp;D"));
        assert_eq!(at("a <b> & c"), Some("a <b> & c"), "CDATA is verbatim");
        assert_eq!(at("\u{FFFC}National"), None, "a span touching a tag is not mapped");
    }

    #[test]
    fn xliff_2_0_segments_are_named_by_unit_and_segment() {
        let xlf = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" trgLang="en">
<file id="f1"><unit id="u1">
<segment id="s1"><source>一</source><target>One <pc id="1">the the</pc><ph id="2"/> <mrk id="m1" type="term">dataValue</mrk>.</target></segment>
<ignorable><source> </source><target> </target></ignorable>
<segment id="s2"><source>二</source></segment>
</unit><unit id="u2" translate="no"><segment><source>三</source></segment></unit></file></xliff>"#;
        let layout = read(xlf);
        assert_eq!(layout.checked(xlf), "One \u{FFFC}the the\u{FFFC}\u{FFFC} \u{FFFC}dataValue\u{FFFC}.");
        assert_eq!(layout.segments[0].id.as_deref(), Some("u1/s1"));
        assert_eq!(layout.segments[0].source.as_deref(), Some("一"));
        let s2 = xlf.find("<segment id=\"s2\"").unwrap();
        assert_eq!(problems(&layout), [(s2, "unit \"u1\" segment \"s2\" has no <target>: not checked", false)]);
    }

    #[test]
    fn empty_targets_are_anchored_where_they_are() {
        let xlf = "<xliff version=\"1.2\"><file><body>\
                   <trans-unit id=\"0\"><source>〇</source><target>Zero</target></trans-unit>\
                   <trans-unit id=\"1\"><source>一</source><target></target></trans-unit>\
                   <trans-unit id=\"2\"><source>二</source><target/></trans-unit>\
                   </body></file></xliff>";
        let layout = read(xlf);
        assert_eq!(layout.checked(xlf), "Zero\n\n\n\n");
        let inside = xlf.find("</target></trans-unit><trans-unit id=\"2\"").unwrap();
        assert_eq!(layout.to_file(6..6), Some(inside..inside));
        let tag = xlf.find("<target/>").unwrap();
        assert_eq!(layout.to_file(8..8), Some(tag..tag));
    }

    #[test]
    fn the_version_decides_which_elements_are_units() {
        let xlf = "<xliff version=\"2.0\"><file><trans-unit id=\"a\"><source>x</source><target>y</target></trans-unit>\
                   </file></xliff>";
        assert!(read(xlf).segments.is_empty(), "trans-unit is not an XLIFF 2.0 unit");
        let xlf = xlf.replace("2.0", "1.2");
        assert_eq!(read(&xlf).checked(&xlf), "y");
    }

    #[test]
    fn malformed_xml_is_fatal_at_its_position_and_units_before_it_are_kept() {
        let xlf = "<xliff version=\"1.2\"><file><body>\n\
                   <trans-unit id=\"1\"><source>a</source><target>grew.The end</target></trans-unit>\n\
                   <trans-unit id=\"2\"><source>b</source><target>x <g id=\"1\">y</target></trans-unit>\n\
                   <trans-unit id=\"3\"><source>c</source><target>z</target></trans-unit>\n\
                   </body></file></xliff>\n";
        let layout = read(xlf);
        assert_eq!(layout.checked(xlf), "grew.The end");
        assert!(!layout.complete());
        let p = &layout.problems[0];
        assert!(p.fatal);
        assert_eq!(p.offset, xlf.find("</target></trans-unit>\n<trans-unit id=\"3\"").unwrap());
        assert!(p.message.contains("malformed XML"), "{}", p.message);
    }

    #[test]
    fn entities_of_a_doctype_are_never_expanded() {
        let xlf = "<?xml version=\"1.0\"?>\n<!DOCTYPE xliff [<!ENTITY xxe SYSTEM \"file:///etc/passwd\"><!ENTITY a \"AAAA\">]>\n\
                   <xliff version=\"1.2\"><file><body><trans-unit id=\"1\"><source>s</source>\
                   <target>x &xxe; &a; &#8212; &#x4E2D; &#0; y</target></trans-unit></body></file></xliff>";
        let layout = read(xlf);
        assert_eq!(layout.checked(xlf), "x \u{FFFC} \u{FFFC} \u{2014} \u{4E2D} \u{FFFC} y");
        let messages: Vec<_> = layout.problems.iter().map(|p| (p.message.as_str(), p.fatal)).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].0.starts_with("unknown entity &xxe;"), "{messages:?}");
        assert!(messages[1].0.starts_with("unknown entity &a;"), "{messages:?}");
        assert!(messages[2].0.starts_with("invalid character reference &#0;"), "{messages:?}");
        assert!(layout.complete(), "unknown entities do not stop reading");
    }

    #[test]
    fn a_byte_order_mark_left_in_the_text_does_not_shift_offsets() {
        let xlf = "\u{FEFF}<xliff version=\"1.2\"><file><body><trans-unit id=\"1\"><target>a &amp; b</target>\
                   </trans-unit></body></file></xliff>";
        let layout = read(xlf);
        assert_eq!(layout.checked(xlf), "a & b");
        assert_eq!(&xlf[layout.to_file(0..5).unwrap()], "a &amp; b");
    }

    #[test]
    fn a_file_that_is_not_xliff_is_a_problem() {
        for (file, message) in [
            ("just text", "not an XLIFF file: no root element"),
            ("<tmx><body/></tmx>", "not an XLIFF file: the root element is <tmx>, not <xliff>"),
            ("<xliff version=\"3.1\"/>", "unknown XLIFF version \"3.1\": read as 1.2 or 2.0, whichever fits"),
        ] {
            let layout = read(file);
            assert_eq!(problems(&layout), [(0, message, false)], "{file}");
        }
    }

    #[test]
    fn a_file_that_ends_inside_a_unit_is_fatal() {
        let xlf = "<xliff version=\"1.2\"><file><body><trans-unit id=\"1\"><source>a</source><target>b</target>";
        let layout = read(xlf);
        assert!(!layout.complete());
        assert!(layout.problems[0].message.contains("ends inside <trans-unit>"), "{:?}", layout.problems);
    }
}
