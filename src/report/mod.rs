//! Reporters: the findings of each document turned into an output format. Every format is one file implementing
//! [`Reporter`] over plain [`Record`]s; reporters know nothing about how a finding was found.
//!
//! Streaming formats (human, concise, json, github) write each document as it comes; whole-file formats (SARIF,
//! rdjson, checkstyle, JUnit, GitLab) collect records and write them in [`Reporter::finish`].

pub mod checkstyle;
pub mod concise;
pub mod diff;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;

use crate::document::position::LineIndex;
use crate::document::{Document, Encoding};
use crate::finding::{Finding, Severity};
use crate::rules::RuleSet;
use crate::score::Score;
use std::io::{self, Write};
use std::ops::Range;

/// Characters of context kept on each side of a flagged span.
const CONTEXT_CHARS: usize = 50;

/// One finding, resolved for output: positions in every unit a format needs, and the rule's metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub path: String,
    pub rule: String,
    pub category: String,
    pub severity: Severity,
    pub message: String,
    /// 1-based; columns count Unicode scalar values; the end is just past the last flagged character.
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// 1-based columns counted in UTF-8 bytes (reviewdog's unit).
    pub column_bytes: usize,
    pub end_column_bytes: usize,
    /// Offsets into the file's bytes as read (a BOM included; UTF-16 files count their own bytes).
    pub byte_start: usize,
    pub byte_end: usize,
    pub matched: String,
    /// Replacements for the flagged text, best first.
    pub suggestions: Vec<String>,
    /// Whether `mtlint fix` applies the first suggestion.
    pub fixable: bool,
    /// The source-language term of a term rule.
    pub source_term: Option<String>,
    /// The flagged line, clipped to some context around the span, and the span's byte range within it.
    pub context: String,
    pub context_span: Range<usize>,
    /// Whether text was cut from the start or the end of the line in `context`.
    pub clipped: (bool, bool),
    /// This finding's penalty points (MQM weights), and the document's penalty per 1,000 words.
    pub penalty: f64,
    pub document_score: f64,
    /// The rule's one-line description and its longer explanation.
    pub rule_summary: String,
    pub rule_explain: Option<String>,
}

/// The findings of one document and its quality score.
#[derive(Debug, Clone)]
pub struct DocumentReport {
    pub path: String,
    pub records: Vec<Record>,
    pub score: Score,
}

/// What a whole run found, for the closing summary.
#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    pub documents: usize,
    /// Findings by severity: info, warning, error.
    pub by_severity: [usize; 3],
    pub fixable: usize,
    /// For `fix`: how many fixes were applied.
    pub fixed: Option<usize>,
    pub score: Score,
}

/// One output format.
pub trait Reporter {
    /// Called once per document, in a stable order (documents without findings too).
    fn document(&mut self, out: &mut dyn Write, doc: &DocumentReport) -> io::Result<()>;
    /// Called once at the end of the run.
    fn finish(&mut self, out: &mut dyn Write, summary: &RunSummary) -> io::Result<()>;
}

/// Builds the records of a document's findings.
pub fn records(doc: &Document, findings: &[Finding], rules: &RuleSet, score: &Score) -> Vec<Record> {
    let index = LineIndex::new(&doc.text);
    findings
        .iter()
        .map(|f| {
            let rule = rules.rule(f.rule);
            let start = index.position(f.start);
            let end = index.position(f.end);
            let line_start = index.line_start(start.line - 1);
            let end_line_start = index.line_start(end.line - 1);
            let line = index.line_text(start.line - 1);
            let span_start = f.start - line_start;
            let span_end = (f.end - line_start).min(line.len()).max(span_start);
            let (from, to) = window(line, span_start, span_end);
            Record {
                path: doc.path.clone(),
                rule: rule.id.clone(),
                category: rule.category.to_string(),
                severity: f.severity,
                message: f.message.clone(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                column_bytes: f.start - line_start + 1,
                end_column_bytes: f.end - end_line_start + 1,
                byte_start: file_offset(doc, f.start),
                byte_end: file_offset(doc, f.end),
                matched: f.matched(&doc.text).to_string(),
                suggestions: f.suggestions.clone(),
                fixable: f.fix_safe && !f.suggestions.is_empty(),
                source_term: rule.source_term().map(str::to_string),
                context: line[from..to].to_string(),
                context_span: span_start - from..span_end - from,
                clipped: (from > 0, to < line.len()),
                penalty: score.weight_of(f.severity, &rule.category),
                document_score: score.per_thousand_words(),
                rule_summary: rule.summary(),
                rule_explain: rule.explain.clone(),
            }
        })
        .collect()
}

/// The byte offset in the file as read of an offset in the decoded text.
fn file_offset(doc: &Document, offset: usize) -> usize {
    match doc.encoding {
        Encoding::Utf8 { bom } => offset + if bom { 3 } else { 0 },
        Encoding::Utf16Le | Encoding::Utf16Be => 2 + 2 * doc.text[..offset].encode_utf16().count(),
        Encoding::Legacy(legacy) => legacy.encode(&doc.text[..offset]).0.len(),
    }
}

/// The byte range of `line` to keep: the span with up to `CONTEXT_CHARS` characters on each side, cut at a space
/// where one is near, so no word is cut in half.
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

/// The line of `record` with its first suggestion applied, within the same context window.
pub fn fixed_context(record: &Record) -> Option<String> {
    let first = record.suggestions.first()?;
    let c = &record.context;
    Some(format!("{}{first}{}", &c[..record.context_span.start], &c[record.context_span.end..]))
}

/// The reporter for a format.
pub fn reporter(format: crate::cli::Format, color: bool) -> Box<dyn Reporter> {
    use crate::cli::Format;
    match format {
        Format::Human => Box::new(human::Human::new(color)),
        Format::Concise => Box::new(concise::Concise),
        Format::Json => Box::new(json::JsonLines),
        Format::Github => Box::new(github::Github),
        Format::Sarif => Box::new(sarif::Sarif::default()),
        Format::Rdjson => Box::new(rdjson::Rdjson::default()),
        Format::Checkstyle => Box::new(checkstyle::Checkstyle::default()),
        Format::Junit => Box::new(junit::Junit::default()),
        Format::Gitlab => Box::new(gitlab::Gitlab::default()),
    }
}
