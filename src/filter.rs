//! The filter stage: between checking and reporting, the findings a user has chosen not to see are dropped —
//! rules disabled by the configuration (and severities changed), accepted phrases, ignored spans, inline
//! suppressions, and findings recorded in a baseline. Unused suppressions are reported here.

use crate::baseline::{self, DocumentBaseline};
use crate::config::Settings;
use crate::finding::Finding;
use crate::suppress;

/// The id of the built-in rule that reports a suppression comment that suppresses nothing.
pub const UNUSED_SUPPRESSION: &str = "mtlint.unused-suppression";

/// Applies the configuration and the document's suppression comments (and a baseline, when given).
pub fn filter(
    path: &str,
    text: &str,
    findings: Vec<Finding>,
    settings: &Settings,
    baseline: Option<&mut DocumentBaseline>,
) -> Vec<Finding> {
    let config = &settings.config;
    let rules = &settings.rules;
    let lower = (!config.accept.is_empty()).then(|| text.to_ascii_lowercase());
    let accepted: Vec<std::ops::Range<usize>> = match &lower {
        Some(lower) => config
            .accept
            .iter()
            .flat_map(|phrase| {
                lower.match_indices(&phrase.to_ascii_lowercase()).map(|(i, p)| i..i + p.len()).collect::<Vec<_>>()
            })
            .collect(),
        None => Vec::new(),
    };
    let ignored: Vec<std::ops::Range<usize>> = config
        .ignore_patterns
        .iter()
        .flat_map(|re| re.find_iter(text).map(|m| m.range()).collect::<Vec<_>>())
        .collect();
    let mut directives = suppress::parse(text);
    let mut kept = Vec::with_capacity(findings.len());
    for mut f in findings {
        let Some(&Some(severity)) = settings.states.get(f.rule) else { continue };
        f.severity = severity;
        let span = f.start..f.end;
        if accepted.iter().any(|a| a.start <= span.start && span.end <= a.end)
            || ignored.iter().any(|i| i.start < span.end && span.start < i.end)
            || directives.iter().any(|d| d.span.start < span.end && span.start < d.span.end)
        {
            continue;
        }
        if suppress::silences(&mut directives, rules.rule(f.rule), &span) {
            continue;
        }
        kept.push(f);
    }
    if let Some(unused) = rules.rules.iter().position(|r| r.id == UNUSED_SUPPRESSION)
        && let Some(&Some(severity)) = settings.states.get(unused)
    {
        let rule = rules.rule(unused);
        for d in directives.iter().filter(|d| !d.used) {
            let matched = &text[d.span.clone()];
            kept.push(Finding {
                rule: unused,
                start: d.span.start,
                end: d.span.end,
                severity,
                message: rule.render_message(matched.trim(), None),
                suggestions: Vec::new(),
                fix_safe: false,
            });
        }
        kept.sort_by_key(|f| (f.start, f.end, f.rule));
    }
    if let Some(baseline) = baseline {
        kept.retain(|f| !baseline.excuses(&baseline::entry(path, text, f, rules)));
    }
    kept
}
