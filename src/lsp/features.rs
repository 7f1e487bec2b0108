//! What the server answers about a checked document: hovers and code actions.

use super::analysis::Checked;
use crate::document::InputFormat;
use crate::document::ReadOptions;
use crate::finding::Finding;
use crate::pipeline::Checker;
use crate::rules::{Detector, Rule};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Hover, HoverContents, MarkupContent, MarkupKind,
    Position, Range, TextEdit, WorkspaceEdit,
};
use std::collections::HashMap;
use std::fmt::Write;

/// The kind of the "fix all" action when a client asks for source actions (e.g. VS Code's
/// `editor.codeActionsOnSave`).
pub const FIX_ALL_KIND: &str = "source.fixAll.mtlint";

/// The hover at `position`: every finding whose span holds it, explained.
pub fn hover(checked: &Checked, position: Position) -> Option<Hover> {
    let rules = checked.rules()?;
    let offset = checked.index.offset(&checked.text, position);
    let here: Vec<&Finding> =
        checked.findings.iter().filter(|f| f.start <= offset && offset < f.end.max(f.start + 1)).collect();
    let first = here.first()?;
    let sections: Vec<String> = here.iter().map(|f| explain(f, rules.rule(f.rule), &checked.text)).collect();
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: Some(checked.index.range(&checked.text, first.start..first.end)),
    })
}

/// A finding explained for people, in Markdown.
fn explain(f: &Finding, rule: &Rule, text: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "**mtlint** `{}` · {} · MQM: {}\n", rule.id, f.severity, rule.category);
    let _ = writeln!(s, "{}", f.message);
    if let Detector::Term(term) = &rule.detector {
        if let Some(source) = &term.source {
            let _ = write!(s, "\nSource term: **{source}**");
            if let Some(right) = term.right.first() {
                let _ = write!(s, " · correct English: \"{right}\"");
            }
            s.push('\n');
        }
        if let Some(note) = &term.note {
            let _ = writeln!(s, "\nNote: {}", note.trim_end());
        }
    }
    if let Some(explain) = &rule.explain {
        let _ = writeln!(s, "\n{}", explain.trim_end());
    }
    let matched = f.matched(text);
    let suggestions: Vec<String> =
        f.suggestions.iter().filter(|x| x.as_str() != matched).map(|x| format!("\"{x}\"")).collect();
    if !suggestions.is_empty() {
        let safe = if f.fix_safe { " (applied by `mtlint fix`)" } else { "" };
        let _ = writeln!(s, "\nSuggested: {}{safe}", suggestions.join(", "));
    }
    s.trim_end().to_string()
}

/// The code actions for a range: a quick fix per suggestion and "disable for this line" for each finding there,
/// and "fix all safe findings" for the document.
// `Uri` caches a parsed detail in a `Cell`; its hash and equality are those of its text, which never changes.
#[allow(clippy::mutable_key_type)]
pub fn code_actions(checked: &Checked, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let Some(rules) = checked.rules() else { return Vec::new() };
    let text = &*checked.text;
    let wants =
        |kind: &str| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| kind == o.as_str() || kind.starts_with(&format!("{}.", o.as_str())))
            })
        };
    let from = checked.index.offset(text, params.range.start);
    let to = checked.index.offset(text, params.range.end).max(from);
    let mut actions = Vec::new();
    let edit = |range: Range, new_text: String| {
        let mut changes = HashMap::new();
        changes.insert(checked.uri.clone(), vec![TextEdit { range, new_text }]);
        Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() })
    };
    if wants(CodeActionKind::QUICKFIX.as_str()) {
        for (i, f) in checked.findings.iter().enumerate() {
            if f.start > to || f.end < from {
                continue;
            }
            let Some(diagnostic) = checked.diagnostics.get(i).cloned() else { continue };
            let range = diagnostic.range;
            let matched = f.matched(text);
            let mut offered: Vec<&str> = Vec::new();
            for (n, suggestion) in f.suggestions.iter().enumerate() {
                if suggestion == matched
                    || offered.contains(&suggestion.as_str())
                    || !checked.escape.can_write(suggestion)
                {
                    continue;
                }
                offered.push(suggestion);
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: if suggestion.is_empty() {
                        format!("Delete \"{matched}\"")
                    } else {
                        format!("Replace with \"{suggestion}\"")
                    },
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: edit(range, checked.escape.encode(suggestion)),
                    is_preferred: Some(n == 0 && f.fix_safe),
                    ..CodeAction::default()
                }));
            }
            let rule = rules.rule(f.rule);
            if rule.id == crate::filter::UNUSED_SUPPRESSION {
                continue;
            }
            if let Some((at, line)) = disable_next_line(checked, f, &rule.id) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Disable {} for this line", rule.id),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic]),
                    edit: edit(Range::new(at, at), line),
                    ..CodeAction::default()
                }));
            }
        }
    }
    let kind = if wants(FIX_ALL_KIND) && params.context.only.is_some() {
        Some(CodeActionKind::new(FIX_ALL_KIND))
    } else if wants(CodeActionKind::QUICKFIX.as_str()) {
        Some(CodeActionKind::QUICKFIX)
    } else {
        None
    };
    if let Some(kind) = kind
        && checked.findings.iter().any(|f| f.fix_safe && !f.suggestions.is_empty())
        && let Some((range, new_text)) = fix_all(checked)
    {
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "Fix all safe findings in this document".into(),
            kind: Some(kind),
            edit: edit(range, new_text),
            ..CodeAction::default()
        }));
    }
    actions
}

/// The line that silences `rule` on the line of `f`, and where it goes: above that line, with its indentation and
/// line ending. `None` where the format has no comment a line can hold, or the finding spans lines.
fn disable_next_line(checked: &Checked, f: &Finding, rule: &str) -> Option<(Position, String)> {
    let text = &*checked.text;
    let comment = match checked.format {
        InputFormat::Markdown | InputFormat::Html => format!("<!-- mtlint-disable-next-line {rule} -->"),
        InputFormat::Text => format!("# mtlint-disable-next-line {rule}"),
        _ => return None,
    };
    let line = checked.index.line_of(f.start);
    let range = checked.index.line_range(text, line);
    if f.end > range.end {
        return None;
    }
    let content = &text[range.clone()];
    let indent = &content[..content.len() - content.trim_start_matches([' ', '\t']).len()];
    let ending = if text[range.end..].starts_with("\r\n") {
        "\r\n"
    } else if text[range.end..].starts_with('\r') {
        "\r"
    } else {
        "\n"
    };
    Some((Position::new(line as u32, 0), format!("{indent}{comment}{ending}")))
}

/// The document with every safe fix applied, as one edit of the stretch that changes.
fn fix_all(checked: &Checked) -> Option<(Range, String)> {
    let settings = checked.settings.as_ref()?;
    let text = &*checked.text;
    let path = checked.display_path();
    let options = ReadOptions::default();
    let checker = Checker::new(&path, text, checked.format, &options, settings);
    if !checker.layout().complete() {
        return None;
    }
    let (fixed, applied) = checker.fix();
    if applied == 0 || fixed == *text {
        return None;
    }
    // As `mtlint fix`: a fix must leave the file's structure as it was.
    let after = crate::document::read(checked.format, &fixed, &options);
    if after.segments.len() != checker.layout().segments.len() || after.problems.len() > checker.layout().problems.len()
    {
        return None;
    }
    let (a, b) = (text.as_bytes(), fixed.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !(text.is_char_boundary(prefix) && fixed.is_char_boundary(prefix)) {
        prefix -= 1;
    }
    let most = a.len().min(b.len()) - prefix;
    let mut suffix = a.iter().rev().zip(b.iter().rev()).take(most).take_while(|(x, y)| x == y).count();
    while !(text.is_char_boundary(a.len() - suffix) && fixed.is_char_boundary(b.len() - suffix)) {
        suffix -= 1;
    }
    let range = checked.index.range(text, prefix..a.len() - suffix);
    Some((range, fixed[prefix..b.len() - suffix].to_string()))
}
