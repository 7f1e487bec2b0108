//! Baselines: the findings a team has accepted for now. `--write-baseline FILE` records them; `--baseline FILE`
//! reports only findings that are not recorded. A finding is recorded by file, rule, flagged text and a little text
//! on each side — not by line number — so edits elsewhere in a file do not invalidate the baseline.

use crate::finding::Finding;
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// Characters of context recorded on each side of a finding.
const CONTEXT: usize = 20;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub matched: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    /// The format version, so a later mtlint can read or refuse older files knowingly.
    version: u32,
    findings: Vec<Entry>,
}

/// A path as recorded: with `/` separators and without a leading `./`.
pub fn normalise_path(path: &str) -> String {
    path.replace('\\', "/").trim_start_matches("./").to_string()
}

pub fn entry(path: &str, text: &str, finding: &Finding, rules: &RuleSet) -> Entry {
    // Context stops at line breaks, so that editing a neighbouring line leaves the entry unchanged.
    let line_start = text[..finding.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[finding.end..].find(['\r', '\n']).map_or(text.len(), |i| finding.end + i);
    let before: String =
        text[line_start..finding.start].chars().rev().take(CONTEXT).collect::<Vec<_>>().into_iter().rev().collect();
    let after: String = text[finding.end..line_end].chars().take(CONTEXT).collect();
    Entry {
        path: normalise_path(path),
        rule: rules.rule(finding.rule).id.clone(),
        matched: finding.matched(text).to_string(),
        before,
        after,
    }
}

/// The recorded findings by path, counted: the same entry may be recorded several times.
#[derive(Debug, Default)]
pub struct Baseline {
    by_path: HashMap<String, HashMap<Entry, usize>>,
}

/// The recorded findings of one document, used up as findings match them.
#[derive(Debug, Default)]
pub struct DocumentBaseline {
    remaining: HashMap<Entry, usize>,
}

impl Baseline {
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read the baseline: {e}", path.display()))?;
        let file: BaselineFile = serde_json::from_str(&text)
            .map_err(|e| format!("{}:{}:{}: not a valid mtlint baseline: {e}", path.display(), e.line(), e.column()))?;
        if file.version != 1 {
            return Err(format!(
                "{}: baseline version {} is not supported (this mtlint writes version 1)",
                path.display(),
                file.version
            ));
        }
        let mut by_path: HashMap<String, HashMap<Entry, usize>> = HashMap::new();
        for e in file.findings {
            *by_path.entry(e.path.clone()).or_default().entry(e).or_default() += 1;
        }
        Ok(Baseline { by_path })
    }

    pub fn for_document(&self, path: &str) -> DocumentBaseline {
        DocumentBaseline { remaining: self.by_path.get(&normalise_path(path)).cloned().unwrap_or_default() }
    }
}

impl DocumentBaseline {
    /// Whether the finding is recorded (each record excuses one finding).
    pub fn excuses(&mut self, entry: &Entry) -> bool {
        match self.remaining.get_mut(entry) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }
}

/// The baseline file's text for these entries.
pub fn render(mut entries: Vec<Entry>) -> String {
    entries.sort();
    let file = BaselineFile { version: 1, findings: entries };
    serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
}
