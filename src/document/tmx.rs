//! TMX translation memories (`<tu><tuv xml:lang="zh-CN"><seg>…</seg></tuv><tuv xml:lang="en-US"><seg>…</seg></tuv>
//! </tu>`): the English variant of each unit is checked, the other one is its source.
//!
//! The target is the `<tuv>` whose language (`xml:lang`, or `lang` in TMX 1.1) starts with "en"; the source is the
//! variant in the source language (`srclang` of the unit or of the header, unless it is `*all*`), else the first
//! other one. Inline markup is read as in XLIFF: `<bpt>`, `<ept>`, `<ph>`, `<it>`, `<ut>` hold native code and stand
//! as one placeholder each; the tags of `<hi>` are placeholders and its content prose.

use super::layout::{Escape, Layout, LayoutBuilder};
use super::xliff::{Fatal, Inline, Xml, attribute, ends_inside, into_layout, name, read_inline};
use quick_xml::events::{BytesStart, Event};

/// Elements of TMX whose content is native code, not prose.
const NATIVE: &[&str] = &["bpt", "ept", "ph", "it", "ut"];

/// A `<tu>` being read.
struct Unit {
    id: Option<String>,
    start: usize,
    srclang: Option<String>,
    /// Each variant's language and its `<seg>`.
    variants: Vec<(String, Inline)>,
}

pub fn read(text: &str) -> Layout {
    let mut b = LayoutBuilder::new(Escape::Xml);
    let mut xml = Xml::new(text);
    let mut stack: Vec<String> = Vec::new();
    let mut srclang: Option<String> = None;
    let mut unit: Option<Unit> = None;
    let mut lang = String::new();
    let mut root_seen = false;
    let mut fatal: Option<Fatal> = None;
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
                match (tag.as_str(), parent) {
                    (_, None) if !root_seen => {
                        root_seen = true;
                        if tag != "tmx" {
                            b.problem(
                                range.start,
                                format!("not a TMX file: the root element is <{tag}>, not <tmx>"),
                                false,
                            )
                        }
                    }
                    ("header", Some("tmx")) => srclang = attribute(&e, "srclang").filter(|l| l != "*all*"),
                    ("tu", _) => {
                        unit = Some(Unit {
                            id: attribute(&e, "tuid"),
                            start: range.start,
                            srclang: attribute(&e, "srclang").filter(|l| l != "*all*"),
                            variants: Vec::new(),
                        })
                    }
                    ("tuv", Some("tu")) => lang = language(&e),
                    ("seg", Some("tuv")) if unit.is_some() => {
                        let seg = if empty {
                            Inline::empty(range.start)
                        } else {
                            match read_inline(&mut xml, "seg", NATIVE) {
                                Ok(s) => s,
                                Err(f) => {
                                    fatal = Some(f);
                                    break;
                                }
                            }
                        };
                        if let Some(u) = unit.as_mut() {
                            u.variants.push((lang.clone(), seg));
                        }
                        continue;
                    }
                    _ => {}
                }
                if empty {
                    if tag == "tu" {
                        finish(&mut b, unit.take(), srclang.as_deref(), text);
                    }
                } else {
                    stack.push(tag);
                }
            }
            // (The guard pops the closed element whatever it is.)
            Event::End(_) if stack.pop().as_deref() == Some("tu") => {
                finish(&mut b, unit.take(), srclang.as_deref(), text)
            }
            Event::GeneralRef(r) => {
                xml.resolve(&r, &range);
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    fatal = Some(ends_inside(range.start, open));
                } else if !root_seen {
                    b.problem(0, "not a TMX file: no root element", false);
                }
                break;
            }
            _ => {}
        }
    }
    into_layout(b, &mut xml, fatal)
}

/// The language of a `<tuv>`: `xml:lang`, or `lang` in TMX 1.1.
fn language(e: &BytesStart) -> String {
    attribute(e, "xml:lang").or_else(|| attribute(e, "lang")).unwrap_or_default()
}

fn is_english(lang: &str) -> bool {
    lang.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("en"))
}

/// Adds a finished unit as a segment (its English variant, with the source variant's text), or a problem when it
/// has no English variant.
fn finish(b: &mut LayoutBuilder, unit: Option<Unit>, header_srclang: Option<&str>, text: &str) {
    let Some(unit) = unit else { return };
    let srclang = unit.srclang.as_deref().or(header_srclang);
    let is_source = |lang: &str| srclang.is_some_and(|s| s.eq_ignore_ascii_case(lang));
    let Some(target) = unit.variants.iter().position(|(lang, _)| is_english(lang) && !is_source(lang)) else {
        let id = unit.id.as_deref().map(|id| format!(" \"{id}\"")).unwrap_or_default();
        b.problem(unit.start, format!("tu{id} has no English (en) variant: not checked"), false);
        return;
    };
    let source = unit
        .variants
        .iter()
        .position(|(lang, _)| is_source(lang))
        .or_else(|| (0..unit.variants.len()).find(|&i| i != target))
        .and_then(|i| unit.variants.get(i))
        .map(|(_, variant)| variant.text.clone());
    b.begin_segment(unit.id, source);
    if let Some((_, variant)) = unit.variants.get(target) {
        variant.replay(b, text);
    }
    b.end_segment();
}

#[cfg(test)]
mod tests {
    use super::*;

    const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="x" creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en-US" srclang="zh-CN" o-tmf="x"/>
  <body>
    <tu tuid="1">
      <prop type="note">the the</prop>
      <tuv xml:lang="zh-CN"><seg>国新办 the the</seg></tuv>
      <tuv xml:lang="EN-us"><seg>R&amp;D grew.The <hi type="b">National New Office</hi> met<ph x="1">&lt;br/&gt;</ph>today</seg></tuv>
    </tu>
    <tu tuid="2"><tuv xml:lang="en-GB"><seg>Listed first.</seg></tuv><tuv xml:lang="zh-CN"><seg>先</seg></tuv></tu>
    <tu tuid="3"><tuv xml:lang="zh-CN"><seg>只有中文</seg></tuv><tuv xml:lang="fr"><seg>fr</seg></tuv></tu>
    <tu><tuv lang="ZH-CN"><seg>旧</seg></tuv><tuv lang="EN"><seg>Old <bpt i="1">&lt;b&gt;</bpt>style<ept i="1">&lt;/b&gt;</ept></seg></tuv></tu>
  </body>
</tmx>
"#;

    #[test]
    fn the_english_variant_is_checked_against_the_source_variant() {
        let layout = read(TMX);
        assert_eq!(
            layout.checked(TMX),
            "R&D grew.The \u{FFFC}National New Office\u{FFFC} met\u{FFFC}today\n\nListed first.\n\nOld \u{FFFC}style\u{FFFC}"
        );
        let seg: Vec<_> = layout.segments.iter().map(|s| (s.id.as_deref(), s.source.as_deref())).collect();
        assert_eq!(seg, [(Some("1"), Some("国新办 the the")), (Some("2"), Some("先")), (None, Some("旧"))]);
        let tu3 = TMX.find("<tu tuid=\"3\"").unwrap();
        let problems: Vec<_> = layout.problems.iter().map(|p| (p.offset, p.message.as_str(), p.fatal)).collect();
        assert_eq!(problems, [(tu3, "tu \"3\" has no English (en) variant: not checked", false)]);
    }

    #[test]
    fn check_ranges_map_to_the_exact_file_bytes() {
        let layout = read(TMX);
        let checked = layout.checked(TMX);
        let at = |needle: &str| {
            let s = checked.find(needle).unwrap();
            layout.to_file(s..s + needle.len()).map(|r| &TMX[r])
        };
        assert_eq!(at("National New Office"), Some("National New Office"));
        assert_eq!(at("R&D"), Some("R&amp;D"));
        assert_eq!(at("met\u{FFFC}today"), None);
    }

    #[test]
    fn the_source_language_decides_between_two_english_variants() {
        let tmx = "<tmx version=\"1.4\"><header srclang=\"en-US\"/><body><tu>\
                   <tuv xml:lang=\"en-US\"><seg>source</seg></tuv><tuv xml:lang=\"en-GB\"><seg>target</seg></tuv>\
                   </tu><tu srclang=\"*all*\"><tuv xml:lang=\"en\"><seg>only</seg></tuv></tu></body></tmx>";
        let layout = read(tmx);
        assert_eq!(layout.checked(tmx), "target\n\nonly");
        assert_eq!(layout.segments[0].source.as_deref(), Some("source"));
        assert_eq!(layout.segments[1].source, None);
    }

    #[test]
    fn a_file_that_is_not_tmx_is_a_problem() {
        for (file, message) in [
            ("just text", "not a TMX file: no root element"),
            ("<xliff/>", "not a TMX file: the root element is <xliff>, not <tmx>"),
        ] {
            let layout = read(file);
            let problems: Vec<_> = layout.problems.iter().map(|p| (p.offset, p.message.as_str(), p.fatal)).collect();
            assert_eq!(problems, [(0, message, false)], "{file}");
        }
    }

    #[test]
    fn malformed_xml_is_fatal_and_units_before_it_are_kept() {
        let tmx = "<tmx version=\"1.4\"><header srclang=\"zh\"/><body>\n\
                   <tu><tuv xml:lang=\"en\"><seg>first</seg></tuv></tu>\n\
                   <tu><tuv xml:lang=\"en\"><seg>second <hi>x</seg></tuv></tu>\n\
                   </body></tmx>";
        let layout = read(tmx);
        assert_eq!(layout.checked(tmx), "first");
        assert!(!layout.complete());
        assert_eq!(layout.problems[0].offset, tmx.find("</seg></tuv></tu>\n</body>").unwrap());
    }
}
