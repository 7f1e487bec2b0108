//! GitHub Actions workflow commands: each finding becomes an annotation on the pull request,
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.

use super::{DocumentReport, Reporter, RunSummary};
use crate::finding::Severity;
use std::io::{self, Write};

pub struct Github;

/// Escapes the message part of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for Github {
    fn document(&mut self, out: &mut dyn Write, doc: &DocumentReport) -> io::Result<()> {
        for r in &doc.records {
            let level = match r.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let fix = r.suggestions.first().map(|s| format!(" Suggestion: \"{s}\".")).unwrap_or_default();
            writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&r.path),
                r.line,
                r.column,
                r.end_line,
                r.end_column,
                escape_property(&format!("mtlint {}", r.rule)),
                escape_data(&format!("{}{fix}", r.message))
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &RunSummary) -> io::Result<()> {
        Ok(())
    }
}
