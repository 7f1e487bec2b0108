//! Inline suppression: comments in a document that silence rules for a stretch of it.
//!
//! In any document, HTML comments (they do not render in Markdown or HTML):
//! `<!-- mtlint-disable RULE… -->` … `<!-- mtlint-enable -->`, and `<!-- mtlint-disable-next-line RULE… -->`.
//! In plain text, the same words on a line of their own after `#`: `# mtlint-disable RULE…`. Without rules, a
//! directive applies to every rule; rules are named like everywhere else (`en.fused-words`, `zh-en.gov.*`, a pack,
//! `category:Style`). A directive that suppresses nothing is reported, so suppressions do not outlive their reason.

use crate::config::Selector;
use crate::rules::Rule;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

// A constant pattern, compiled by the tests below.
#[allow(clippy::expect_used)]
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"<!--[ \t]*mtlint-(disable-next-line|disable|enable)(?-u:\b)([^>\n]*?)[ \t]*-->",
        r"|(?m:^[ \t]*#[ \t]*mtlint-(disable-next-line|disable|enable)(?-u:\b)([^\n]*?)[ \t]*\r?$)",
    ))
    .expect("the directive regex is a valid constant")
});

#[derive(Debug)]
pub struct Directive {
    /// Where the directive is written.
    pub span: Range<usize>,
    /// The stretch of text it silences.
    pub region: Range<usize>,
    /// The rules it names; empty for all.
    pub selectors: Vec<Selector>,
    pub used: bool,
}

/// The directives of a document. Directives naming an unknown selector syntax are ignored (never an error: a
/// document is not a configuration file).
pub fn parse(text: &str) -> Vec<Directive> {
    let mut out: Vec<Directive> = Vec::new();
    let mut open: Vec<(usize, Vec<String>)> = Vec::new(); // index in `out`, selector texts
    for caps in DIRECTIVE.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let kind = caps.get(1).or(caps.get(3)).map_or("", |m| m.as_str());
        let names: Vec<String> =
            caps.get(2).or(caps.get(4)).map_or("", |m| m.as_str()).split_whitespace().map(str::to_string).collect();
        let selectors = names.iter().filter_map(|n| Selector::parse_lenient(n)).collect();
        match kind {
            "disable-next-line" => {
                let line_end = text[whole.end()..].find('\n').map_or(text.len(), |i| whole.end() + i + 1);
                let next_end = text[line_end..].find('\n').map_or(text.len(), |i| line_end + i);
                out.push(Directive { span: whole.range(), region: line_end..next_end, selectors, used: false });
            }
            "disable" => {
                open.push((out.len(), names));
                out.push(Directive { span: whole.range(), region: whole.end()..text.len(), selectors, used: false });
            }
            _ => {
                // `enable` closes the disables it names, or all of them.
                open.retain(|(i, disabled)| {
                    let closes = names.is_empty() || disabled.iter().all(|d| names.contains(d));
                    if let Some(directive) = out.get_mut(*i).filter(|_| closes) {
                        directive.region.end = whole.start();
                    }
                    !closes
                });
            }
        }
    }
    out
}

/// Whether a directive silences a finding of `rule` at `span`, marking it used if so.
pub fn silences(directives: &mut [Directive], rule: &Rule, span: &Range<usize>) -> bool {
    let mut silenced = false;
    for d in directives.iter_mut() {
        let inside = d.region.start <= span.start && span.end <= d.region.end.max(d.region.start);
        if inside && (d.selectors.is_empty() || d.selectors.iter().any(|s| s.matches(rule))) {
            d.used = true;
            silenced = true;
        }
    }
    silenced
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_hash_directives_are_found_with_their_regions() {
        let text = "a\n<!-- mtlint-disable en.fused-words -->\nb\n<!-- mtlint-enable -->\nc\n# mtlint-disable-next-line\nd\ne\n";
        let d = parse(text);
        assert_eq!(d.len(), 2);
        assert_eq!(&text[d[0].region.clone()], "\nb\n");
        assert_eq!(&text[d[1].region.clone()], "d");
    }
}
