//! The report for people: each finding with its position, rule, severity and message, the line with the flagged
//! span underlined, and the suggested correction as a word-level diff of that line.

use super::Located;
use super::diff::{WordDiffStyle, words};
use crate::document::position::LineIndex;
use crate::rules::RuleSet;
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// Characters of context shown on each side of a flagged span on long lines.
const CONTEXT_CHARS: usize = 50;

pub struct HumanStyle {
    pub color: bool,
}

impl HumanStyle {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color { format!("{style}{text}{style:#}") } else { text.to_string() }
    }
}

pub fn write(
    out: &mut dyn Write,
    path: &str,
    index: &LineIndex,
    located: &[Located],
    rules: &RuleSet,
    style: &HumanStyle,
) -> io::Result<()> {
    let bold = Style::new().bold();
    let dim = Style::new().fg_color(Some(AnsiColor::Blue.into()));
    for l in located {
        let f = l.finding;
        let rule = rules.rule(f.rule);
        let severity_style = match f.severity {
            crate::finding::Severity::Error => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
            crate::finding::Severity::Warning => Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
            crate::finding::Severity::Info => Style::new().fg_color(Some(AnsiColor::Cyan.into())).bold(),
        };
        writeln!(
            out,
            "{}: {}{} {}",
            style.paint(bold, &format!("{path}:{}:{}", l.start.line, l.start.column)),
            style.paint(severity_style, &f.severity.to_string()),
            style.paint(bold, &format!("[{}]", rule.id)),
            f.message
        )?;

        // The line, clipped around the span, with the span underlined.
        let line_no = l.start.line - 1;
        let line = index.line_text(line_no);
        let line_start = index.line_start(line_no);
        let span_start = f.start - line_start;
        let span_end = (f.end - line_start).min(line.len()).max(span_start);
        let (from, to) = window(line, span_start, span_end);
        let clip = |s: &str| s.replace('\t', " ");
        let prefix = if from > 0 { "…" } else { "" };
        let suffix = if to < line.len() { "…" } else { "" };
        let gutter = format!("{}", l.start.line);
        let pad = " ".repeat(gutter.len());
        writeln!(
            out,
            "{} {} {prefix}{}{suffix}",
            style.paint(dim, &gutter),
            style.paint(dim, "|"),
            clip(&line[from..to])
        )?;
        let lead = UnicodeWidthStr::width(prefix) + UnicodeWidthStr::width(clip(&line[from..span_start]).as_str());
        let marks = UnicodeWidthStr::width(clip(&line[span_start..span_end]).as_str()).max(1);
        writeln!(
            out,
            "{pad} {} {}{}",
            style.paint(dim, "|"),
            " ".repeat(lead),
            style.paint(severity_style, &"^".repeat(marks))
        )?;

        if let Some(first) = f.suggestions.first() {
            let old = &line[from..to];
            let new = format!("{}{first}{}", &line[from..span_start], &line[span_end..to]);
            let label = if f.fix_safe { "fix" } else { "suggestion (review before applying)" };
            let diff = words(&clip(old), &clip(&new), WordDiffStyle { color: style.color });
            writeln!(out, "{pad} {} {label}: {prefix}{diff}{suffix}", style.paint(dim, "="))?;
            if f.suggestions.len() > 1 {
                let others: Vec<String> = f.suggestions[1..].iter().map(|s| format!("\"{s}\"")).collect();
                writeln!(out, "{pad} {} also possible: {}", style.paint(dim, "="), others.join(", "))?;
            }
        }
        if let Some(term) = rule.source_term() {
            writeln!(out, "{pad} {} source term: {term}", style.paint(dim, "="))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The byte range of `line` to show: the span with up to `CONTEXT_CHARS` characters on each side, cut at word
/// boundaries where possible.
fn window(line: &str, start: usize, end: usize) -> (usize, usize) {
    let mut from = start;
    for (n, (i, _)) in line[..start].char_indices().rev().enumerate() {
        from = i;
        if n + 1 >= CONTEXT_CHARS {
            break;
        }
    }
    let mut to = end;
    for (n, (i, c)) in line[end..].char_indices().enumerate() {
        to = end + i + c.len_utf8();
        if n + 1 >= CONTEXT_CHARS {
            break;
        }
    }
    // Start and end the clip on a space when one is near, so no word is cut in half.
    if from > 0
        && let Some(space) = line[from..start].find(' ')
    {
        from += space + 1;
    }
    if to < line.len()
        && let Some(space) = line[end..to].rfind(' ')
    {
        to = end + space;
    }
    (from, to)
}
