//! One line per finding, `path:line:column: severity[rule] message`, as compilers and grep print them.

use super::{DocumentReport, Reporter, RunSummary};
use std::io::{self, Write};

pub struct Concise;

impl Reporter for Concise {
    fn document(&mut self, out: &mut dyn Write, doc: &DocumentReport) -> io::Result<()> {
        for r in &doc.records {
            let fix = match r.suggestions.first() {
                Some(s) if s.is_empty() => " → delete".to_string(),
                Some(s) => format!(" → \"{s}\""),
                None => String::new(),
            };
            writeln!(out, "{}:{}:{}: {}[{}] {}{fix}", r.path, r.line, r.column, r.severity, r.rule, r.message)?;
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &RunSummary) -> io::Result<()> {
        Ok(())
    }
}
