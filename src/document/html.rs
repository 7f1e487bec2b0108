//! HTML: the text of the page. Each block element (`p`, `h1`–`h6`, `li`, `td`, `div`, `title`, …) starts a segment;
//! inline elements (`a`, `em`, `strong`, `span`, …) do not break the text, their tags are simply not part of it.
//! `<br>` and `<img>` stand as placeholders, so the words around them do not run together, and so does inline code
//! (`<code>`, `<kbd>`, `<samp>`), which is not checked. Not checked either: `script`, `style`, `pre`, `textarea`,
//! `template`, `svg`, `math`, comments, and the `<head>` except its `<title>`. Entities (HTML5 names and character
//! references) are decoded.
//!
//! Real-world HTML is read leniently: unclosed `<p>`, void elements without `/`, mismatched end tags and a lone `&`
//! are fine. Only what stops reading (a tag or comment left open at the end of the file) is a fatal problem.

use super::layout::{Escape, Layout, LayoutBuilder};
use quick_xml::Reader;
use quick_xml::errors::Error;
use quick_xml::escape::resolve_html5_entity;
use quick_xml::events::Event;
use std::ops::Range;

/// Elements that start (and end) a segment.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

/// Elements whose content is not checked and that break the text like a block.
const SKIPPED_BLOCKS: &[&str] = &["pre", "textarea", "template", "style", "script", "noscript", "head", "iframe"];

/// Elements whose content is not checked and that stand in the text as one placeholder.
const SKIPPED_INLINE: &[&str] = &["code", "kbd", "samp", "svg", "math", "object", "select"];

/// Elements whose content is raw text to the matching end tag (no tags or entities inside).
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "xmp", "iframe", "noembed", "noframes"];

/// What a `<head>` holds; any other element closes it.
const HEAD_CONTENT: &[&str] = &["title", "meta", "link", "style", "script", "base", "noscript", "template"];

/// Void elements that stand in the text as a placeholder.
const PLACEHOLDERS: &[&str] = &["br", "img", "input", "embed", "video", "audio", "canvas"];

/// A lenient event reader that can jump past raw text (`<script>…</script>`), giving each event's file range.
struct Html<'a> {
    text: &'a str,
    lower: String,
    base: usize,
    reader: Reader<&'a [u8]>,
}

impl<'a> Html<'a> {
    fn new(text: &'a str) -> Self {
        let mut html = Html { text, lower: text.to_ascii_lowercase(), base: 0, reader: Self::reader_at(text, 0) };
        html.restart(0);
        html
    }

    fn reader_at(text: &'a str, base: usize) -> Reader<&'a [u8]> {
        // quick-xml drops a leading byte-order mark without counting it: `restart` steps over it instead.
        let mut reader = Reader::from_str(&text[base..]);
        let config = reader.config_mut();
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.allow_dangling_amp = true;
        config.check_comments = false;
        config.expand_empty_elements = false;
        config.trim_text(false);
        reader
    }

    fn position(&self) -> usize {
        self.base + self.reader.buffer_position() as usize
    }

    fn next(&mut self) -> (Result<Event<'a>, Error>, Range<usize>) {
        let start = self.position();
        let event = self.reader.read_event();
        (event, start..self.position())
    }

    /// The file offset where an error was found.
    fn error_position(&self) -> usize {
        self.base + self.reader.error_position() as usize
    }

    /// Goes on reading at `offset` (past a byte-order mark there).
    fn restart(&mut self, offset: usize) {
        let offset = if self.text[offset..].starts_with('\u{FEFF}') { offset + 3 } else { offset };
        self.base = offset;
        self.reader = Self::reader_at(self.text, offset);
    }

    /// Jumps to the end tag `</name` of a raw-text element (or the end of the file); returns the offset after it.
    fn skip_raw_text(&mut self, name: &str) -> usize {
        let from = self.position();
        let close = format!("</{name}");
        let at = self.lower[from..].find(&close).map_or(self.text.len(), |i| from + i);
        self.restart(at);
        // Read the end tag itself, so the caller resumes after it.
        let (_, range) = self.next();
        range.end
    }
}

/// An element whose content is being skipped.
struct Skip {
    name: String,
    depth: usize,
    start: usize,
    inline: bool,
}

pub fn read(text: &str) -> Layout {
    let mut b = LayoutBuilder::new(Escape::Xml);
    let mut html = Html::new(text);
    let mut skip: Option<Skip> = None;
    // Inside `<title>` (read even within the skipped `<head>`).
    let mut title = false;
    // A new segment starts with the next text.
    let mut boundary = true;
    loop {
        let (event, range) = html.next();
        let event = match event {
            Ok(e) => e,
            Err(Error::IllFormed(e)) => {
                b.problem(html.error_position(), format!("HTML: {e}"), false);
                continue;
            }
            Err(e) => {
                let at = html.error_position();
                // `<![if !supportLists]>`, `<![endif]>` (conditional comments of Word's HTML): not text, skipped.
                if text[at..].starts_with("<![")
                    && !text[at..].starts_with("<![CDATA[")
                    && let Some(end) = text[at..].find('>')
                {
                    html.restart(at + end + 1);
                    continue;
                }
                // `a < b` with no `>` after it: the `<` is text.
                if text[at..].starts_with('<')
                    && !text[at + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || "/!?".contains(c))
                {
                    open(&mut b, &mut boundary);
                    b.verbatim(at..at + 1, "<");
                    html.restart(at + 1);
                    continue;
                }
                b.problem(at, format!("HTML: {e}; the rest of the file is not read"), true);
                break;
            }
        };
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let tag = e.name().0.to_ascii_lowercase();
                if !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    // `a < b`: not a tag, the `<` is text.
                    if skip.is_none() {
                        open(&mut b, &mut boundary);
                        b.verbatim(range.start..range.start + 1, "<");
                    }
                    html.restart(range.start + 1);
                    continue;
                }
                let raw = RAW_TEXT.contains(&tag.as_str()) && !empty;
                if skip.as_ref().is_some_and(|s| s.name == "head" && !HEAD_CONTENT.contains(&tag.as_str())) {
                    // Anything but head content closes an unclosed `<head>`.
                    skip = None;
                    boundary = true;
                }
                if let Some(s) = skip.as_mut() {
                    if raw {
                        html.skip_raw_text(&tag);
                    } else if tag == s.name && !empty {
                        s.depth += 1;
                    } else if tag == "title" && s.name == "head" && !empty {
                        title = true;
                        boundary = true;
                    }
                    continue;
                }
                if SKIPPED_BLOCKS.contains(&tag.as_str()) || SKIPPED_INLINE.contains(&tag.as_str()) {
                    let inline = SKIPPED_INLINE.contains(&tag.as_str());
                    if raw || empty {
                        let end = if raw { html.skip_raw_text(&tag) } else { range.end };
                        skipped(&mut b, inline, range.start..end, &mut boundary);
                    } else {
                        skip = Some(Skip { name: tag, depth: 1, start: range.start, inline });
                        boundary |= !inline;
                    }
                } else if raw {
                    // Raw text that is neither checked nor a known block: past it.
                    html.skip_raw_text(&tag);
                } else if BLOCKS.contains(&tag.as_str()) {
                    boundary = true;
                } else if PLACEHOLDERS.contains(&tag.as_str()) {
                    open(&mut b, &mut boundary);
                    b.opaque(range);
                } else {
                    // An inline tag: its text runs on, but no fix may span it (it would delete the tag).
                    b.markup();
                }
            }
            Event::End(e) => {
                let tag = e.name().0.to_ascii_lowercase();
                if let Some(s) = skip.as_mut() {
                    if tag == "title" && title {
                        title = false;
                        boundary = true;
                    }
                    if tag == s.name {
                        s.depth -= 1;
                        if s.depth == 0 {
                            let (inline, start) = (s.inline, s.start);
                            skip = None;
                            skipped(&mut b, inline, start..range.end, &mut boundary);
                        }
                    }
                    continue;
                }
                if BLOCKS.contains(&tag.as_str()) {
                    boundary = true;
                } else {
                    b.markup();
                }
            }
            Event::Eof => break,
            _ if skip.is_some() && !title => {}
            Event::Text(_) => {
                let raw = &text[range.clone()];
                if boundary && raw.trim().is_empty() {
                    continue;
                }
                open(&mut b, &mut boundary);
                b.verbatim(range, raw);
            }
            Event::CData(_) => {
                let inner = range.start + 9..range.end - 3;
                open(&mut b, &mut boundary);
                b.cdata(inner.clone(), &text[inner]);
            }
            Event::GeneralRef(r) => {
                let raw = &text[range.clone()];
                let decoded = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => resolve_html5_entity(&r).map(str::to_string),
                    Err(_) => None,
                };
                open(&mut b, &mut boundary);
                match decoded {
                    Some(d) => b.encoded(range, &d),
                    None => {
                        b.problem(range.start, format!("unknown entity {raw} (not expanded); left as it is"), false);
                        b.opaque(range);
                    }
                }
            }
            // Comments, processing instructions, the XML declaration and the DOCTYPE are not text.
            _ => {}
        }
    }
    b.finish()
}

/// Starts a segment when the text is at a boundary.
fn open(b: &mut LayoutBuilder, boundary: &mut bool) {
    if *boundary {
        b.begin_segment(None, None);
        *boundary = false;
    }
}

/// A skipped element: a placeholder when it is inline, a boundary when it is a block.
fn skipped(b: &mut LayoutBuilder, inline: bool, range: Range<usize>, boundary: &mut bool) {
    if inline {
        open(b, boundary);
        b.opaque(range);
    } else {
        *boundary = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>News &amp; notes</title>
<style>p { color: red } /* the the */</style>
<script>if (a < b && c) { document.write("grew.The"); }</script>
</head>
<body>
<h1>Exports grew.The <em>year</em> ended</h1>
<p>R&amp;D rose &#8212; see <code>dataValue</code> and <a href=/x.html title="the the">the site</a>.
<p>Line one<br>line two&nbsp;here
<!-- the the -->
<pre>the the</pre>
<ul><li>Item <b>one</b><li>Item two</ul>
<table><tr><td>cell<td>other</table>
</body>
</html>
"#;

    #[test]
    fn text_nodes_are_checked_and_code_scripts_and_the_head_are_not() {
        let layout = read(PAGE);
        assert_eq!(
            layout.checked(PAGE),
            "News & notes\n\nExports grew.The year ended\n\nR&D rose \u{2014} see \u{FFFC} and the site.\n\n\n\
             Line one\u{FFFC}line two\u{A0}here\n\n\n\nItem one\n\nItem two\n\ncell\n\nother"
        );
        assert!(layout.problems.is_empty(), "{:?}", layout.problems);
        assert_eq!(layout.escape(), Escape::Xml);
    }

    #[test]
    fn check_ranges_map_to_the_exact_file_bytes() {
        let layout = read(PAGE);
        let checked = layout.checked(PAGE);
        let at = |needle: &str| {
            let s = checked.find(needle).unwrap();
            layout.to_file(s..s + needle.len()).map(|r| &PAGE[r])
        };
        assert_eq!(at("grew.The"), Some("grew.The"));
        assert_eq!(at("&"), Some("&amp;"));
        assert_eq!(at("\u{2014}"), Some("&#8212;"));
        assert_eq!(at("two\u{A0}here"), Some("two&nbsp;here"));
        assert_eq!(at("one\u{FFFC}line"), None, "a span over <br> is not mapped");
    }

    #[test]
    fn unknown_entities_and_lone_ampersands_are_not_fatal() {
        let html = "<!DOCTYPE html [<!ENTITY x \"the the\">]><p>AT&T &x; &copy; ok</p>";
        let layout = read(html);
        assert_eq!(layout.checked(html), "AT&T \u{FFFC} \u{A9} ok");
        assert_eq!(layout.problems.len(), 1, "{:?}", layout.problems);
        assert!(layout.problems[0].message.starts_with("unknown entity &x;"));
        assert!(layout.complete());
    }

    #[test]
    fn a_comment_left_open_stops_reading() {
        let html = "<p>first</p>\n<p>second <!-- open\n<p>third</p>";
        let layout = read(html);
        assert_eq!(layout.checked(html), "first\n\nsecond ");
        assert!(!layout.complete());
        assert_eq!(layout.problems[0].offset, html.find("<!--").unwrap());
    }

    #[test]
    fn an_unclosed_head_ends_at_the_first_body_element() {
        let html = "<html><head><title>T</title><script>if (a<b) x = '</p>';</script><meta charset=utf-8>\n\
                    <h1>Heading</h1><p>Text";
        let layout = read(html);
        assert_eq!(layout.checked(html), "T\n\nHeading\n\nText");
    }

    #[test]
    fn real_world_oddities_are_read_as_a_browser_would() {
        let html = "\u{FEFF}<!doctype html><p class=x>if a < b then ok</p><![if !supportLists]>1.<![endif]>\
                    <p><a href=\"a>b\" title='x'>link</a> after <img src=a.png alt=x> text</div></span>";
        let layout = read(html);
        assert_eq!(layout.checked(html), "if a < b then ok\n\n1.\n\nlink after \u{FFFC} text");
        assert!(layout.problems.is_empty(), "{:?}", layout.problems);
        let lt = layout.checked(html).find('<').unwrap();
        assert_eq!(layout.to_file(lt..lt + 3).map(|r| &html[r]), Some("< b"));
        let html = "<p>if a < b then</p><p>x <3";
        let layout = read(html);
        assert_eq!(layout.checked(html), "if a < b then\n\nx <3");
        assert!(layout.complete(), "{:?}", layout.problems);
    }

    #[test]
    fn a_file_that_ends_inside_a_skipped_element_is_read_to_its_end() {
        for html in ["<html><head>", "<p>a</p><pre>x", "<p>a <code>x", "<p>a</p><script>x"] {
            let layout = read(html);
            assert_eq!(layout.checked(html).chars().next(), html.contains("<p>").then_some('a'), "{html}");
        }
    }

    #[test]
    fn script_with_markup_inside_is_skipped_whole() {
        let html = "<p>a</p><script>var s = '<p>the the</p>'; if (x<y) {}</script><p>b</p><SCRIPT>x</SCRIPT>c";
        let layout = read(html);
        assert_eq!(layout.checked(html), "a\n\nb\n\nc");
    }
}
