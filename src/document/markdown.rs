//! Markdown: the prose of paragraphs, headings, list items, table cells and image descriptions. Code blocks,
//! inline code, HTML (comments included), link targets and front matter are not checked; inline code stands as a
//! placeholder, so the words around it do not run together.

use super::layout::{Escape, Layout, LayoutBuilder};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

pub fn read(text: &str) -> Layout {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut b = LayoutBuilder::new(Escape::None);
    let mut skipped = 0usize; // depth inside code blocks, HTML blocks and front matter
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => skipped += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) => {
                skipped = skipped.saturating_sub(1)
            }
            _ if skipped > 0 => {}
            Event::Start(
                Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell | Tag::DefinitionListTitle,
            ) => b.begin_segment(None, None),
            Event::Start(Tag::DefinitionListDefinition) => b.begin_segment(None, None),
            Event::Text(t) => b.decoded(range.clone(), &text[range], &t),
            Event::Code(_) | Event::InlineHtml(_) | Event::InlineMath(_) | Event::FootnoteReference(_) => {
                b.opaque(range)
            }
            Event::SoftBreak => b.encoded(range, " "),
            Event::HardBreak => b.encoded(range, "\n"),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => b.end_segment(),
            _ => {}
        }
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_checked_and_code_html_and_front_matter_are_not() {
        let md = "---\ntitle: the the\n---\n# Growth.The plan\n\nSee `dataValue` and [the site](https://example.org/A.B).\n\
                  Next line &amp; more.\n\n```\ncode the the\n```\n\n<!-- mtlint-disable -->\n- item one\n";
        let layout = read(md);
        let checked = layout.checked(md);
        assert_eq!(checked, "Growth.The plan\n\nSee \u{FFFC} and the site. Next line & more.\n\nitem one");
        let amp = checked.find('&').unwrap();
        assert_eq!(&md[layout.to_file(amp..amp + 1).unwrap()], "&amp;");
        let plan = checked.find("plan").unwrap();
        assert_eq!(&md[layout.to_file(plan..plan + 4).unwrap()], "plan");
    }
}
