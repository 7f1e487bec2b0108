//! JSON Lines: one finding per line, for programs. Lines and columns are 1-based, columns count Unicode scalar
//! values, and `end_line`/`end_column` point just past the last flagged character.

use super::Located;
use crate::rules::RuleSet;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct JsonFinding<'a> {
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
    /// Whether `mtlint fix` applies the first suggestion.
    fixable: bool,
    /// The source-language term of a term rule.
    source_term: Option<&'a str>,
}

pub fn write(out: &mut dyn Write, path: &str, text: &str, located: &[Located], rules: &RuleSet) -> io::Result<()> {
    for l in located {
        let f = l.finding;
        let rule = rules.rule(f.rule);
        let record = JsonFinding {
            path,
            rule: &rule.id,
            category: &rule.category,
            severity: f.severity,
            message: &f.message,
            line: l.start.line,
            column: l.start.column,
            end_line: l.end.line,
            end_column: l.end.column,
            byte_start: l.byte_start,
            byte_end: l.byte_end,
            matched: f.matched(text),
            suggestions: &f.suggestions,
            fixable: f.fix_safe && !f.suggestions.is_empty(),
            source_term: rule.source_term(),
        };
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
