//! Checkstyle XML, the de facto exchange format of linters (read by reviewdog, Jenkins' Warnings plugin, SonarQube
//! importers and many CI tools): one `<file>` per document with findings, one `<error>` per finding, its `source`
//! the rule id prefixed with `mtlint.`. Columns are 1-based and count Unicode code points.
//!
//! Checkstyle publishes no schema for this format; `tests/schemas/checkstyle.xsd` describes its documented shape.

use super::{DocumentReport, Reporter, RunSummary};
use crate::finding::Severity;
use std::io::{self, Write};

#[derive(Default)]
pub struct Checkstyle {
    documents: Vec<DocumentReport>,
}

impl Reporter for Checkstyle {
    fn document(&mut self, _out: &mut dyn Write, doc: &DocumentReport) -> io::Result<()> {
        if !doc.records.is_empty() {
            self.documents.push(doc.clone());
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &RunSummary) -> io::Result<()> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<checkstyle version="4.3">"#)?;
        for doc in &self.documents {
            writeln!(out, r#"  <file name="{}">"#, escape_attribute(&doc.path))?;
            for r in &doc.records {
                let severity = match r.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "info",
                };
                let fix = r.suggestions.first().map(|s| format!(" Suggestion: \"{s}\".")).unwrap_or_default();
                writeln!(
                    out,
                    r#"    <error line="{}" column="{}" severity="{severity}" message="{}" source="{}"/>"#,
                    r.line,
                    r.column,
                    escape_attribute(&format!("{}{fix}", r.message)),
                    escape_attribute(&format!("mtlint.{}", r.rule)),
                )?;
            }
            writeln!(out, "  </file>")?;
        }
        writeln!(out, "</checkstyle>")
    }
}

/// Escapes text for a double- or single-quoted XML attribute value. Tabs and line breaks become character
/// references so that attribute-value normalisation keeps them, and characters XML 1.0 does not allow at all
/// (most C0 controls, U+FFFE, U+FFFF) become U+FFFD.
pub(crate) fn escape_attribute(s: &str) -> String {
    escape(s, true)
}

/// Escapes the text content of an XML element (quotes, line breaks and tabs stay as they are).
pub(crate) fn escape_text(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' if attribute => out.push_str(if c == '\t' { "&#9;" } else { "&#10;" }),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape_attribute, escape_text};

    #[test]
    fn escapes_markup_line_breaks_and_forbidden_characters() {
        assert_eq!(escape_attribute("a<b>&\"c'\td\ne\r"), "a&lt;b&gt;&amp;&quot;c&apos;&#9;d&#10;e&#13;");
        assert_eq!(escape_text("\"x\"\ny\u{1}\u{FFFF}<"), "\"x\"\ny\u{FFFD}\u{FFFD}&lt;");
        assert_eq!(escape_text("中文 “quoted”"), "中文 “quoted”");
    }
}
