//! Reporters: findings of a document turned into text for people (`human`), for programs (`json`), or into the
//! unified diff of what `fix` would change (`diff`). Reporters know nothing about how a finding was found.

pub mod diff;
pub mod human;
pub mod json;

use crate::document::position::{LineIndex, Position};
use crate::document::{Document, Encoding};
use crate::finding::Finding;

/// A finding with its positions resolved, ready to print.
pub struct Located<'a> {
    pub finding: &'a Finding,
    pub start: Position,
    pub end: Position,
    /// Offsets into the file's bytes (after a BOM, as encoded on disk).
    pub byte_start: usize,
    pub byte_end: usize,
}

/// Resolves lines, columns and file offsets of findings.
pub fn locate<'a>(doc: &Document, index: &LineIndex, findings: &'a [Finding]) -> Vec<Located<'a>> {
    findings
        .iter()
        .map(|f| Located {
            finding: f,
            start: index.position(f.start),
            end: index.position(f.end),
            byte_start: file_offset(doc, f.start),
            byte_end: file_offset(doc, f.end),
        })
        .collect()
}

/// The byte offset in the file as read of an offset in the decoded text.
fn file_offset(doc: &Document, offset: usize) -> usize {
    match doc.encoding {
        Encoding::Utf8 { bom } => offset + if bom { 3 } else { 0 },
        Encoding::Utf16Le | Encoding::Utf16Be => 2 + 2 * doc.text[..offset].encode_utf16().count(),
    }
}
