//! reviewdog's Diagnostic Format as one JSON object (`rdjson`), for `reviewdog -f=rdjson`: the findings of the run
//! as `diagnostics`, each with its rule as `code` and its best replacement as a suggestion that reviewdog can post
//! as a suggested change.
//!
//! Positions are reviewdog's: 1-based lines, and 1-based columns counted in UTF-8 bytes; the end is exclusive.
//!
//! A diagnostic's `suggestions` are edits meant to be applied together, not alternatives, so only the first
//! suggestion (mtlint's best) becomes one; the others are named in the message.

use super::{DocumentReport, Record, Reporter, RunSummary};
use crate::finding::Severity;
use serde_json::{Value, json};
use std::io::{self, Write};

#[derive(Default)]
pub struct Rdjson {
    documents: Vec<DocumentReport>,
}

impl Reporter for Rdjson {
    fn document(&mut self, _out: &mut dyn Write, doc: &DocumentReport) -> io::Result<()> {
        self.documents.push(doc.clone());
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &RunSummary) -> io::Result<()> {
        let diagnostics: Vec<Value> = self.documents.iter().flat_map(|d| &d.records).map(diagnostic).collect();
        let result = json!({
            "source": { "name": "mtlint" },
            "diagnostics": diagnostics,
        });
        serde_json::to_writer_pretty(&mut *out, &result)?;
        out.write_all(b"\n")
    }
}

fn diagnostic(r: &Record) -> Value {
    let severity = match r.severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    };
    let range = json!({
        "start": { "line": r.line, "column": r.column_bytes },
        "end": { "line": r.end_line, "column": r.end_column_bytes },
    });
    let mut message = r.message.clone();
    if r.suggestions.len() > 1 {
        let others: Vec<String> = r.suggestions.iter().skip(1).map(|s| format!("\"{s}\"")).collect();
        message.push_str(&format!(" Other possible replacements: {}.", others.join(", ")));
    }
    let mut diagnostic = json!({
        "message": message,
        "location": { "path": r.path, "range": range },
        "severity": severity,
        "code": { "value": r.rule },
    });
    if let (Some(best), Some(object)) = (r.suggestions.first(), diagnostic.as_object_mut()) {
        object.insert("suggestions".into(), json!([{ "range": range, "text": best }]));
    }
    diagnostic
}
