//! The checking pipeline shared by `mtlint check`/`fix` and the language server: a document's text is read for its
//! structure (its [`Layout`]), the check text is checked, the findings are moved to the file's offsets and filtered
//! (configuration and inline suppressions).
//!
//! ```
//! use mtlint::config::{ConfigChoice, Resolver};
//! use mtlint::document::InputFormat;
//! use mtlint::pipeline::check_document_text;
//! use mtlint::rules::RuleSources;
//! let resolver = Resolver::new(ConfigChoice::Isolated, RuleSources::default());
//! let settings = resolver.settings_for(None).expect("the built-in rules are valid");
//! let text = "Exports grew.The market rose.\n";
//! let findings = check_document_text("release.txt", text, &settings, InputFormat::Text);
//! assert_eq!(findings[0].matched(text), "grew.The");
//! ```

use crate::check::check_segments;
use crate::config::Settings;
use crate::document::layout::{Escape, Layout};
use crate::document::{self, InputFormat, ReadOptions};
use crate::filter::filter;
use crate::finding::Finding;
use crate::fix::fix_with;
use crate::rules::RuleSet;
use crate::score::Score;

/// One document's text read for its structure, ready to be checked (and checked again as fixes change it).
pub struct Checker<'a> {
    path: &'a str,
    text: &'a str,
    format: InputFormat,
    options: &'a ReadOptions,
    settings: &'a Settings,
    layout: Layout,
}

impl<'a> Checker<'a> {
    /// Reads the structure of `text`, a document in `format` shown to people as `path`.
    pub fn new(
        path: &'a str,
        text: &'a str,
        format: InputFormat,
        options: &'a ReadOptions,
        settings: &'a Settings,
    ) -> Self {
        let layout = document::read(format, text, options);
        Checker { path, text, format, options, settings, layout }
    }

    /// The structure of the document's text.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// How replacements are written into this document.
    pub fn escape(&self) -> Escape {
        self.layout.escape()
    }

    /// The filtered findings of `text` (the document's own text, or a fixed version of it), in file offsets.
    pub fn check(&self, text: &str) -> Vec<Finding> {
        let fresh;
        // Each round of checking reads the file's structure again, since fixes change the file.
        let layout = if text.len() == self.text.len() && text == self.text {
            &self.layout
        } else {
            fresh = document::read(self.format, text, self.options);
            &fresh
        };
        filter(self.path, text, check_layout(text, layout, &self.settings.rules), self.settings, None)
    }

    /// The document with every safe fix applied (checking again until nothing changes), and how many were applied.
    pub fn fix(&self) -> (String, usize) {
        fix_with(self.text, |t| self.check(t), self.escape())
    }
}

/// The filtered findings of one document's text, in file offsets: the pipeline of `mtlint check` for one file.
pub fn check_document_text(path: &str, text: &str, settings: &Settings, format: InputFormat) -> Vec<Finding> {
    let options = ReadOptions::default();
    Checker::new(path, text, format, &options, settings).check(text)
}

/// The findings of a file's text read as `layout`, in file offsets, before filtering.
pub fn check_layout(text: &str, layout: &Layout, rules: &RuleSet) -> Vec<Finding> {
    let mut findings = map_to_file(check_segments(layout.checked(text), &layout.segments, rules), layout);
    if layout.unquoted.is_none() && layout.cdata.is_empty() {
        return findings;
    }
    for f in &mut findings {
        let span = f.start..f.end;
        // In a CDATA section, a replacement that the file's XML escape would write as entities is offered by no front
        // end: the finding keeps its message (which names the correct wording) and loses such suggestions.
        if f.suggestions.first().is_some_and(|s| layout.cannot_write_cdata(&span, s)) {
            f.fix_safe = false;
        }
        f.suggestions.retain(|s| !layout.cannot_write_cdata(&span, s));
        // In CSV/TSV text read literally, neither the replacement nor the text it replaces may hold what quoting
        // would be needed for, nor may a replacement open a quote at a field's start: that would change the row's
        // fields.
        let replaced = text.get(span.clone()).unwrap_or_default();
        if f.suggestions.first().is_some_and(|s| layout.cannot_write(&span, s) || layout.cannot_write(&span, replaced))
        {
            f.fix_safe = false;
        }
    }
    findings
}

/// Findings on the check text moved to the file's offsets; those that do not map (across segments, over inline
/// code or tags) are dropped.
pub fn map_to_file(findings: Vec<Finding>, layout: &Layout) -> Vec<Finding> {
    if layout.is_whole() {
        return findings;
    }
    findings
        .into_iter()
        .filter_map(|mut f| {
            if layout.crosses_markup(&(f.start..f.end)) {
                f.suggestions.clear();
                f.fix_safe = false;
            }
            let range = layout.to_file(f.start..f.end)?;
            (f.start, f.end) = (range.start, range.end);
            Some(f)
        })
        .collect()
}

/// The quality score of a document's text with its reported findings.
pub fn document_score(text: &str, findings: &[Finding], settings: &Settings) -> Score {
    let mut score = Score::new(crate::check::text::count_words(text), settings.config.weights.clone());
    for f in findings {
        score.add(f.severity, &settings.rules.rule(f.rule).category);
    }
    score
}
