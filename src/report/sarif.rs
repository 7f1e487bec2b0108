//! SARIF 2.1.0, the OASIS format that code-scanning dashboards (GitHub code scanning, Azure DevOps, IDE viewers)
//! read: one log with one run, the rules that have results described in `tool.driver.rules`, one result per
//! finding with its location and, where the rule suggests a replacement, a `fix` per suggestion.
//!
//! Positions: lines and columns are 1-based and columns count Unicode code points (`run.columnKind` is
//! `unicodeCodePoints`), which is what [`Record`] columns count; `endColumn` is the column just past the last
//! flagged character, as SARIF wants. Regions also carry `byteOffset`/`byteLength` into the file as read (a BOM
//! included), which is exact. `charOffset` is left out: the record holds no character offset from the start of
//! the file, and a wrong one would be worse than none.
//!
//! Quality scores go in property bags: the run's `properties` hold the run's and each document's penalty per
//! 1,000 words, and each result's `properties` its own penalty points and its document's score.

use super::{DocumentReport, Record, Reporter, RunSummary};
use crate::finding::Severity;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Default)]
pub struct Sarif {
    documents: Vec<DocumentReport>,
}

impl Reporter for Sarif {
    fn document(&mut self, _out: &mut dyn Write, doc: &DocumentReport) -> io::Result<()> {
        self.documents.push(doc.clone());
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &RunSummary) -> io::Result<()> {
        let log = self.log(summary);
        serde_json::to_writer_pretty(&mut *out, &log)?;
        out.write_all(b"\n")
    }
}

impl Sarif {
    fn log(&self, summary: &RunSummary) -> Value {
        // Rules in the order their first result appears; `ruleIndex` points into this list.
        let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
        let mut rules = Vec::new();
        let mut results = Vec::new();
        for r in self.documents.iter().flat_map(|d| &d.records) {
            let index = *rule_index.entry(&r.rule).or_insert_with(|| {
                rules.push(rule(r));
                rules.len() - 1
            });
            results.push(result(r, index));
        }
        let documents: Vec<Value> = self
            .documents
            .iter()
            .map(|d| {
                json!({
                    "path": d.path,
                    "words": d.score.words,
                    "penalty": d.score.penalty,
                    "penaltyPer1000Words": d.score.per_thousand_words(),
                })
            })
            .collect();
        json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "mtlint",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {
                    "words": summary.score.words,
                    "penalty": summary.score.penalty,
                    "penaltyPer1000Words": summary.score.per_thousand_words(),
                    "documents": documents,
                },
            }],
        })
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The `reportingDescriptor` of a record's rule. Its default level is the severity the rule reported with in this
/// run (the configuration may have changed the built-in one).
fn rule(r: &Record) -> Value {
    let mut properties = json!({ "category": r.category });
    if let (Some(source), Some(object)) = (&r.source_term, properties.as_object_mut()) {
        object.insert("sourceTerm".into(), json!(source));
    }
    let mut rule = json!({
        "id": r.rule,
        "shortDescription": { "text": r.rule_summary },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": properties,
    });
    if let (Some(explain), Some(object)) =
        (r.rule_explain.as_deref().filter(|e| !e.trim().is_empty()), rule.as_object_mut())
    {
        object.insert("fullDescription".into(), json!({ "text": explain }));
    }
    rule
}

/// The text region of a record, in code points.
fn text_region(r: &Record) -> Map<String, Value> {
    let mut region = Map::new();
    region.insert("startLine".into(), json!(r.line));
    region.insert("startColumn".into(), json!(r.column));
    region.insert("endLine".into(), json!(r.end_line));
    region.insert("endColumn".into(), json!(r.end_column));
    region
}

fn result(r: &Record, rule_index: usize) -> Value {
    let uri = uri(&r.path);
    let mut region = text_region(r);
    region.insert("byteOffset".into(), json!(r.byte_start));
    region.insert("byteLength".into(), json!(r.byte_end - r.byte_start));
    region.insert("snippet".into(), json!({ "text": r.matched }));
    let mut result = json!({
        "ruleId": r.rule,
        "ruleIndex": rule_index,
        "level": level(r.severity),
        "message": { "text": r.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri },
                "region": region,
            }
        }],
        "properties": {
            "category": r.category,
            "fixable": r.fixable,
            "penalty": r.penalty,
            "documentPenaltyPer1000Words": r.document_score,
        },
    });
    // Each suggestion is an alternative fix; `fixes` must hold distinct items.
    let mut seen = Vec::new();
    let fixes: Vec<Value> = r
        .suggestions
        .iter()
        .filter(|s| {
            let new = !seen.contains(s);
            seen.push(*s);
            new
        })
        .enumerate()
        .map(|(i, s)| {
            let safe = if i == 0 && r.fixable { " (applied by `mtlint fix`)" } else { "" };
            json!({
                "description": { "text": format!("Replace \"{}\" with \"{s}\"{safe}.", r.matched) },
                "artifactChanges": [{
                    "artifactLocation": { "uri": uri },
                    "replacements": [{
                        "deletedRegion": text_region(r),
                        "insertedContent": { "text": s },
                    }],
                }],
            })
        })
        .collect();
    if let Some(object) = result.as_object_mut().filter(|_| !fixes.is_empty()) {
        object.insert("fixes".into(), Value::Array(fixes));
    }
    result
}

/// The URI reference of a path: `/` separators, percent-encoded; absolute paths become `file://` URIs, relative
/// ones stay relative (to the directory mtlint ran in).
pub(crate) fn uri(path: &str) -> String {
    let path = if std::path::MAIN_SEPARATOR == '\\' { path.replace('\\', "/") } else { path.to_string() };
    let bytes = path.as_bytes();
    if path.starts_with('/') {
        format!("file://{}", encode(&path))
    } else if matches!(bytes, [drive, b':', b'/', ..] if drive.is_ascii_alphabetic()) {
        // A Windows drive path, C:/dir/file.txt.
        format!("file:///{}:{}", &path[..1], encode(&path[2..]))
    } else {
        encode(&path)
    }
}

/// Percent-encodes everything but unreserved characters, sub-delimiters, `@` and `/` (so `:` is encoded too, and a
/// relative path whose first segment has a colon is not read as a scheme).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("docs/a b.txt"), "docs/a%20b.txt");
        assert_eq!(uri("中文.txt"), "%E4%B8%AD%E6%96%87.txt");
        assert_eq!(uri("/tmp/x#1.txt"), "file:///tmp/x%231.txt");
        assert_eq!(uri("a:b.txt"), "a%3Ab.txt");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
    }
}
