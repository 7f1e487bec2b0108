//! What every endpoint asks of the library: one text (with an optional source text), read in a format, checked
//! against the server's rules with a per-request selection of them on top of the server's configuration, through the
//! same pipeline as `mtlint check` (read the layout, check, map to the text, filter).
//!
//! Not for HTTP: nothing here knows about requests or responses.

use crate::config::{Config, Selector, Settings};
use crate::document::layout::{Escape, Layout, Problem, Segment};
use crate::document::{self, Document, Encoding, InputFormat, ReadOptions};
use crate::filter::filter;
use crate::finding::{Finding, Severity};
use crate::fix::fix_with;
use crate::pipeline::{self, Checker, check_layout};
use crate::report::{self, Record};
use crate::rules::{Rule, RuleSet};
use crate::score::Score;
use std::sync::Arc;

/// The rules, compiled once at start-up and shared by every request, and the configuration they run under.
pub struct Engine {
    config: Arc<Config>,
    rules: Arc<RuleSet>,
    states: Vec<Option<Severity>>,
}

/// Which rules a request turns on or off, on top of the server's configuration.
#[derive(Default)]
pub struct Selection {
    /// Rules to run even when the configuration turns them off.
    pub enable: Vec<RuleFilter>,
    pub disable: Vec<RuleFilter>,
    /// Run only the rules that `enable` names.
    pub only: bool,
}

/// Picks rules by id, pack, category or any other property.
pub type RuleFilter = Box<dyn Fn(&Rule) -> bool + Send>;

/// A text to check, as a request gives it.
pub struct Input {
    /// The name shown in findings (never opened: no request reads a file).
    pub name: String,
    pub text: String,
    /// The source-language text the whole of `text` translates (plain text only).
    pub source: Option<String>,
    pub format: InputFormat,
    pub options: ReadOptions,
}

/// What checking a text found.
pub struct Checked {
    pub findings: Vec<Finding>,
    /// Problems reading the text's structure (a malformed XLIFF file, a TSV row without a target).
    pub problems: Vec<Problem>,
    pub score: Score,
}

impl Engine {
    pub fn new(settings: Settings) -> Self {
        Engine { config: settings.config, rules: settings.rules, states: settings.states }
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The settings of one request: the configuration's rule states with the request's selection applied.
    pub fn settings(&self, selection: &Selection) -> Settings {
        let states = self
            .rules
            .rules
            .iter()
            .zip(&self.states)
            .map(|(rule, state)| {
                let enabled = selection.enable.iter().any(|f| f(rule));
                if selection.disable.iter().any(|f| f(rule)) || (selection.only && !enabled) {
                    None
                } else if enabled {
                    Some(state.unwrap_or(rule.severity))
                } else {
                    *state
                }
            })
            .collect();
        Settings { config: self.config.clone(), rules: self.rules.clone(), states }
    }
}

/// A parsed rule selector (`zh-en`, `zh-en.gov.*`, `category:Terminology`), as in `mtlint.toml`.
pub fn selector(text: &str) -> Result<Selector, String> {
    Selector::parse_lenient(text.trim())
        .ok_or_else(|| format!("`{text}` is not a rule selector (a rule id, an id glob, a pack or category:PREFIX)"))
}

impl Input {
    /// For a text with a source: its layout, one segment whose source is the given source (as a bilingual file's
    /// unit would be).
    fn bilingual_layout(&self, text: &str) -> Option<Layout> {
        let source = self.source.clone()?;
        let mut layout = Layout::whole();
        layout.segments = vec![Segment { id: None, source: Some(source), range: 0..text.len() }];
        Some(layout)
    }

    /// Checks the text with `settings`.
    pub fn check(&self, settings: &Settings) -> Checked {
        let text = self.text.as_str();
        let (findings, problems) = match self.bilingual_layout(text) {
            Some(layout) => {
                (filter(&self.name, text, check_layout(text, &layout, &settings.rules), settings, None), vec![])
            }
            None => {
                let checker = Checker::new(&self.name, text, self.format, &self.options, settings);
                (checker.check(text), checker.layout().problems.clone())
            }
        };
        let score = pipeline::document_score(text, &findings, settings);
        Checked { findings, problems, score }
    }

    /// The text with every safe fix applied, and how many were applied; an error when the text cannot be fixed
    /// safely (it could not be read completely, or the fixes would change its structure).
    pub fn fix(&self, settings: &Settings) -> Result<(String, usize), String> {
        if self.source.is_some() {
            let check = |t: &str| match self.bilingual_layout(t) {
                Some(layout) => filter(&self.name, t, check_layout(t, &layout, &settings.rules), settings, None),
                None => Vec::new(),
            };
            return Ok(fix_with(&self.text, check, Escape::None));
        }
        let checker = Checker::new(&self.name, &self.text, self.format, &self.options, settings);
        let layout = checker.layout();
        if let Some(problem) = layout.problems.iter().find(|p| p.fatal) {
            return Err(format!("not fixed: the text could not be read completely: {}", problem.message));
        }
        let (fixed, applied) = checker.fix();
        // As with `mtlint fix`: the fixes must leave the structure as it was.
        let after = document::read(self.format, &fixed, &self.options);
        if after.segments.len() != layout.segments.len() || after.problems.len() > layout.problems.len() {
            return Err("not fixed: the corrections would change the text's structure".to_string());
        }
        Ok((fixed, applied))
    }

    /// The report records of findings on this input's text.
    pub fn records(&self, findings: &[Finding], settings: &Settings, score: &Score) -> Vec<Record> {
        let doc =
            Document { path: self.name.clone(), text: self.text.clone(), encoding: Encoding::Utf8 { bom: false } };
        report::records(&doc, findings, &settings.rules, score)
    }
}
