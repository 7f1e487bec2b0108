//! GitLab Code Quality JSON (a subset of the Code Climate issue format), for the `codequality` report of a
//! GitLab CI job: an array with one issue per finding, shown in merge requests.
//!
//! Severities map as translation reviewers grade errors: an error is `major`, a warning `minor`, an info `info`.
//! Paths use `/` and lose a leading `./`, so that they match the paths of the merge request's diff. Each issue's
//! `fingerprint`, which GitLab uses to tell new issues from old ones, is a 64-bit FNV-1a hash of the path, rule,
//! position and flagged text, in hex: stable from run to run and across platforms.

use super::{DocumentReport, Record, Reporter, RunSummary};
use crate::finding::Severity;
use serde_json::{Value, json};
use std::io::{self, Write};

#[derive(Default)]
pub struct Gitlab {
    documents: Vec<DocumentReport>,
}

impl Reporter for Gitlab {
    fn document(&mut self, _out: &mut dyn Write, doc: &DocumentReport) -> io::Result<()> {
        self.documents.push(doc.clone());
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &RunSummary) -> io::Result<()> {
        let issues: Vec<Value> = self.documents.iter().flat_map(|d| &d.records).map(issue).collect();
        serde_json::to_writer_pretty(&mut *out, &issues)?;
        out.write_all(b"\n")
    }
}

fn issue(r: &Record) -> Value {
    let severity = match r.severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    };
    let fix = r.suggestions.first().map(|s| format!(" Suggestion: \"{s}\".")).unwrap_or_default();
    json!({
        "description": format!("{}{fix}", r.message),
        "check_name": r.rule,
        "fingerprint": fingerprint(r),
        "severity": severity,
        "location": {
            "path": path(&r.path),
            "lines": { "begin": r.line, "end": r.end_line },
        },
    })
}

fn path(path: &str) -> String {
    let path = if std::path::MAIN_SEPARATOR == '\\' { path.replace('\\', "/") } else { path.to_string() };
    match path.strip_prefix("./") {
        Some(rest) => rest.trim_start_matches('/').to_string(),
        None => path,
    }
}

/// FNV-1a (64 bits) of the finding's path, rule, line, column and flagged text, separated by NUL bytes.
fn fingerprint(r: &Record) -> String {
    let key = format!("{}\0{}\0{}\0{}\0{}", path(&r.path), r.rule, r.line, r.column, r.matched);
    format!("{:016x}", fnv1a(key.as_bytes()))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::{fnv1a, path};

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn paths_are_relative_with_slashes() {
        assert_eq!(path("./docs/a.txt"), "docs/a.txt");
        assert_eq!(path("docs/a.txt"), "docs/a.txt");
    }
}
