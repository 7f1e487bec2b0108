//! Checking one version of an open document, off the server's loop: the same pipeline as `mtlint check` (the
//! format from the file name, the configuration that applies to the file, findings mapped to the file and
//! filtered), and the diagnostics of the result.

use super::text::{Cursor, LineIndex};
use crate::config::{ConfigChoice, Resolver, Settings};
use crate::document::layout::Escape;
use crate::document::{InputFormat, ReadOptions};
use crate::filter::UNUSED_SUPPRESSION;
use crate::finding::{Finding, Severity};
use crate::pipeline::Checker;
use crate::rules::{RuleSet, RuleSources};
use lsp_types::{Diagnostic, DiagnosticSeverity, DiagnosticTag, NumberOrString, Position, Range, Uri};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// Documents larger than this are not checked (one informational diagnostic says so).
pub const MAX_CHECK_BYTES: usize = 16 * 1024 * 1024;

/// One version of a document, to check.
pub struct Snapshot {
    pub uri: Uri,
    /// The server's own counter of document states: a result is current when its generation is the document's.
    pub generation: u64,
    pub version: i32,
    pub text: Arc<String>,
    pub path: Option<PathBuf>,
    pub format: InputFormat,
}

/// The result of checking one version of a document.
pub struct Checked {
    pub uri: Uri,
    pub generation: u64,
    pub version: i32,
    pub text: Arc<String>,
    pub index: LineIndex,
    pub path: Option<PathBuf>,
    pub format: InputFormat,
    pub findings: Vec<Finding>,
    /// One per finding, in the same order, then the document's other diagnostics (configuration or reading
    /// problems).
    pub diagnostics: Vec<Diagnostic>,
    /// The settings the document was checked with; `None` when its configuration is invalid.
    pub settings: Option<Arc<Settings>>,
    pub escape: Escape,
}

impl Checked {
    pub fn rules(&self) -> Option<&RuleSet> {
        self.settings.as_deref().map(|s| &*s.rules)
    }

    /// The name the document is shown under (its path, or its URI when it is not a file).
    pub fn display_path(&self) -> String {
        display_path(&self.uri, self.path.as_deref())
    }
}

fn display_path(uri: &Uri, path: Option<&Path>) -> String {
    path.map_or_else(|| uri.as_str().to_string(), |p| p.display().to_string())
}

/// The configurations of the workspace, found like `mtlint check` finds them and loaded once, until a configuration
/// file changes (seen by its modification time on each check, or told by the client).
pub struct Configs {
    cli_rules: RuleSources,
    state: Mutex<ConfigState>,
}

struct ConfigState {
    resolver: Arc<Resolver>,
    /// The modification time of each configuration file when it was loaded.
    loaded: HashMap<PathBuf, Option<SystemTime>>,
}

impl Configs {
    pub fn new(cli_rules: RuleSources) -> Configs {
        let resolver = Arc::new(Resolver::new(ConfigChoice::Discover, cli_rules.clone()));
        Configs { cli_rules, state: Mutex::new(ConfigState { resolver, loaded: HashMap::new() }) }
    }

    /// Forgets every loaded configuration (and the rule files they name).
    pub fn invalidate(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.resolver = Arc::new(Resolver::new(ConfigChoice::Discover, self.cli_rules.clone()));
        state.loaded.clear();
    }

    pub fn settings_for(&self, path: Option<&Path>) -> Result<Settings, String> {
        let resolver = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(config) = state.resolver.config_path(path) {
                let modified = std::fs::metadata(&config).and_then(|m| m.modified()).ok();
                if state.loaded.get(&config).is_some_and(|seen| *seen != modified) {
                    state.resolver = Arc::new(Resolver::new(ConfigChoice::Discover, self.cli_rules.clone()));
                    state.loaded.clear();
                }
                state.loaded.insert(config, modified);
            }
            state.resolver.clone()
        };
        resolver.settings_for(path)
    }
}

/// Checks one version of a document.
pub fn analyse(snapshot: &Snapshot, configs: &Configs) -> Checked {
    let text = &snapshot.text;
    let index = LineIndex::new(text);
    let mut checked = Checked {
        uri: snapshot.uri.clone(),
        generation: snapshot.generation,
        version: snapshot.version,
        text: snapshot.text.clone(),
        index,
        path: snapshot.path.clone(),
        format: snapshot.format,
        findings: Vec::new(),
        diagnostics: Vec::new(),
        settings: None,
        escape: Escape::None,
    };
    let settings = match configs.settings_for(snapshot.path.as_deref()) {
        Ok(s) => Arc::new(s),
        Err(message) => {
            eprintln!("mtlint lsp: {}: {message}", checked.display_path());
            checked.diagnostics.push(note(DiagnosticSeverity::ERROR, "mtlint.config", message));
            return checked;
        }
    };
    checked.settings = Some(settings.clone());
    if snapshot.path.as_deref().is_some_and(|p| settings.config.excludes(p)) {
        return checked;
    }
    if text.len() > MAX_CHECK_BYTES {
        let message = format!(
            "not checked: the document has {} bytes, more than mtlint checks in an editor ({MAX_CHECK_BYTES}); \
             run `mtlint check` on it instead",
            text.len()
        );
        checked.diagnostics.push(note(DiagnosticSeverity::INFORMATION, "mtlint.too-large", message));
        return checked;
    }
    let path = checked.display_path();
    let options = ReadOptions::default();
    let checker = Checker::new(&path, text, snapshot.format, &options, &settings);
    checked.escape = checker.escape();
    checked.findings = checker.check(text);
    let mut cursor = Cursor::new(&checked.index, text);
    checked.diagnostics = checked.findings.iter().map(|f| diagnostic(&mut cursor, f, &settings.rules)).collect();
    for problem in &checker.layout().problems {
        let at = checked.index.position(text, problem.offset);
        checked.diagnostics.push(Diagnostic {
            range: Range::new(at, at),
            severity: Some(if problem.fatal { DiagnosticSeverity::ERROR } else { DiagnosticSeverity::WARNING }),
            code: Some(NumberOrString::String("mtlint.read".into())),
            source: Some("mtlint".into()),
            message: problem.message.clone(),
            ..Diagnostic::default()
        });
    }
    checked
}

/// A diagnostic about the document as a whole, at its start.
fn note(severity: DiagnosticSeverity, code: &str, message: String) -> Diagnostic {
    let start = Position::new(0, 0);
    Diagnostic {
        range: Range::new(start, start),
        severity: Some(severity),
        code: Some(NumberOrString::String(code.into())),
        source: Some("mtlint".into()),
        message,
        ..Diagnostic::default()
    }
}

/// The diagnostic of a finding: the rule id as its code, the rule's severity, the message with the MQM category,
/// and the finding's details as data.
pub fn diagnostic(cursor: &mut Cursor, f: &Finding, rules: &RuleSet) -> Diagnostic {
    let rule = rules.rule(f.rule);
    Diagnostic {
        range: cursor.range(f.start..f.end),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(rule.id.clone())),
        code_description: None,
        source: Some("mtlint".into()),
        message: format!("{} [MQM: {}]", f.message, rule.category),
        related_information: None,
        tags: (rule.id == UNUSED_SUPPRESSION).then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: Some(serde_json::json!({
            "rule": rule.id,
            "category": rule.category,
            "suggestions": f.suggestions,
            "fixable": f.fix_safe && !f.suggestions.is_empty(),
            "sourceTerm": rule.source_term(),
        })),
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}
