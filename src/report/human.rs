//! The report for people: each finding with its position, rule, severity and message, the line with the flagged
//! span underlined, and the suggested correction as a word-level diff of that line; a summary with the quality score
//! at the end.

use super::diff::{WordDiffStyle, words};
use super::{DocumentReport, Reporter, RunSummary, fixed_context};
use crate::finding::Severity;
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

pub struct Human {
    color: bool,
}

impl Human {
    pub fn new(color: bool) -> Self {
        Human { color }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color { format!("{style}{text}{style:#}") } else { text.to_string() }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

impl Reporter for Human {
    fn document(&mut self, out: &mut dyn Write, doc: &DocumentReport) -> io::Result<()> {
        let bold = Style::new().bold();
        let dim = Style::new().fg_color(Some(AnsiColor::Blue.into()));
        for r in &doc.records {
            let severity_style = match r.severity {
                Severity::Error => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
                Severity::Warning => Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
                Severity::Info => Style::new().fg_color(Some(AnsiColor::Cyan.into())).bold(),
            };
            writeln!(
                out,
                "{}: {}{} {}",
                self.paint(bold, &format!("{}:{}:{}", r.path, r.line, r.column)),
                self.paint(severity_style, &r.severity.to_string()),
                self.paint(bold, &format!("[{}]", r.rule)),
                r.message
            )?;
            let clip = |s: &str| s.replace('\t', " ");
            let prefix = if r.clipped.0 { "…" } else { "" };
            let suffix = if r.clipped.1 { "…" } else { "" };
            let gutter = r.line.to_string();
            let pad = " ".repeat(gutter.len());
            let c = &r.context;
            writeln!(out, "{} {} {prefix}{}{suffix}", self.paint(dim, &gutter), self.paint(dim, "|"), clip(c))?;
            let lead = prefix.width() + clip(&c[..r.context_span.start]).width();
            let marks = clip(&c[r.context_span.clone()]).width().max(1);
            writeln!(
                out,
                "{pad} {} {}{}",
                self.paint(dim, "|"),
                " ".repeat(lead),
                self.paint(severity_style, &"^".repeat(marks))
            )?;
            if let Some(fixed) = fixed_context(r) {
                let label = if r.fixable { "fix" } else { "suggestion (review before applying)" };
                let diff = words(&clip(c), &clip(&fixed), WordDiffStyle { color: self.color });
                writeln!(out, "{pad} {} {label}: {prefix}{diff}{suffix}", self.paint(dim, "="))?;
                if r.suggestions.len() > 1 {
                    let others: Vec<String> = r.suggestions.iter().skip(1).map(|s| format!("\"{s}\"")).collect();
                    writeln!(out, "{pad} {} also possible: {}", self.paint(dim, "="), others.join(", "))?;
                }
            }
            if let Some(term) = &r.source_term {
                writeln!(out, "{pad} {} source term: {term}", self.paint(dim, "="))?;
            }
            writeln!(out)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &RunSummary) -> io::Result<()> {
        let total: usize = s.by_severity.iter().sum();
        let files = plural(s.documents, "file");
        let mut line = String::new();
        if let Some(fixed) = s.fixed {
            line.push_str(&format!("Fixed {}. Remaining: ", plural(fixed, "finding")));
        }
        if total == 0 {
            line.push_str(&format!("No findings in {files}."));
        } else {
            let [info, warning, error] = s.by_severity;
            let parts: Vec<String> = [(error, "error"), (warning, "warning"), (info, "info")]
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, name)| plural(n, name))
                .collect();
            line.push_str(&format!("{} ({}) in {files}", plural(total, "finding"), parts.join(", ")));
            if s.fixable > 0 {
                line.push_str(&format!("; {} fixable with `mtlint fix`", s.fixable));
            }
            line.push_str(&format!(
                ". Quality: {} penalty points per 1,000 words ({} words).",
                s.score.per_thousand_words(),
                s.score.words
            ));
        }
        writeln!(out, "{line}")
    }
}
