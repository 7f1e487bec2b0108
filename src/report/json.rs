//! JSON Lines: one finding per line, for programs. Lines and columns are 1-based, columns count Unicode scalar
//! values, and `end_line`/`end_column` point just past the last flagged character.

use super::{DocumentReport, Record, Reporter, RunSummary};
use serde::Serialize;
use std::io::{self, Write};

/// One finding as `--format json` writes it; `mtlint serve`'s `/api/check` answers the same objects.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    path: &'a str,
    rule: &'a str,
    category: &'a str,
    severity: crate::finding::Severity,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    matched: &'a str,
    suggestions: &'a [String],
    fixable: bool,
    source_term: Option<&'a str>,
    /// This finding's MQM penalty points, and its document's penalty points per 1,000 words.
    penalty: f64,
    document_score: f64,
}

impl<'a> From<&'a Record> for JsonFinding<'a> {
    fn from(r: &'a Record) -> Self {
        JsonFinding {
            path: &r.path,
            rule: &r.rule,
            category: &r.category,
            severity: r.severity,
            message: &r.message,
            line: r.line,
            column: r.column,
            end_line: r.end_line,
            end_column: r.end_column,
            byte_start: r.byte_start,
            byte_end: r.byte_end,
            matched: &r.matched,
            suggestions: &r.suggestions,
            fixable: r.fixable,
            source_term: r.source_term.as_deref(),
            penalty: r.penalty,
            document_score: r.document_score,
        }
    }
}

pub struct JsonLines;

impl Reporter for JsonLines {
    fn document(&mut self, out: &mut dyn Write, doc: &DocumentReport) -> io::Result<()> {
        for r in &doc.records {
            let record = JsonFinding::from(r);
            serde_json::to_writer(&mut *out, &record)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &RunSummary) -> io::Result<()> {
        Ok(())
    }
}
