//! `mtlint rules`: the list of rules, or one rule explained in full with its examples.

use super::{Exit, load_rules};
use crate::cli::{ListFormat, RulesArgs};
use crate::rules::{Detector, Example, Rule};
use std::fmt::Write as _;
use std::io::Write;

pub fn run(args: &RulesArgs) -> Exit {
    let rules = match load_rules(&args.selection) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let mut out = std::io::stdout().lock();
    if let Some(id) = &args.explain {
        let Some(rule) = rules.get(id) else {
            eprintln!("mtlint: no rule with id `{id}` (see `mtlint rules`)");
            return Exit::Trouble;
        };
        let text = match args.format {
            ListFormat::Human => explain(rule),
            ListFormat::Json => serde_json::to_string_pretty(&rule_json(rule)).unwrap_or_default() + "\n",
        };
        let _ = out.write_all(text.as_bytes());
        return Exit::Clean;
    }
    let selected: Vec<&Rule> =
        rules.rules.iter().filter(|r| args.pack.as_ref().is_none_or(|p| r.pack() == p)).collect();
    if let (true, Some(p)) = (selected.is_empty(), &args.pack) {
        let mut packs: Vec<&str> = rules.rules.iter().map(|r| r.pack()).collect();
        packs.dedup();
        eprintln!("mtlint: no rules in pack `{p}` (packs: {})", packs.join(", "));
        return Exit::Trouble;
    }
    let mut text = String::new();
    match args.format {
        ListFormat::Human => {
            let width = selected.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in &selected {
                let _ = writeln!(
                    text,
                    "{:width$}  {:10}  {:24}  {:7}  {}",
                    r.id,
                    r.kind.name(),
                    r.category,
                    r.severity.to_string(),
                    r.summary()
                );
            }
            let _ = writeln!(text, "{} rules", selected.len());
        }
        ListFormat::Json => {
            for r in &selected {
                let _ = writeln!(text, "{}", serde_json::to_string(&rule_json(r)).unwrap_or_default());
            }
        }
    }
    let _ = out.write_all(text.as_bytes());
    Exit::Clean
}

/// A rule in full, for people.
pub fn explain(rule: &Rule) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", rule.id);
    let _ = writeln!(s, "  pack:      {}", rule.pack());
    let _ = writeln!(s, "  kind:      {}", rule.kind.name());
    let _ = writeln!(s, "  category:  {}", rule.category);
    let _ = writeln!(s, "  severity:  {}", rule.severity);
    let _ = writeln!(s, "  fix:       {}", rule.fix);
    let _ = writeln!(s, "  defined:   {}", rule.origin);
    let _ = writeln!(s, "  message:   {}", rule.message);
    match &rule.detector {
        Detector::Term(t) => {
            if let Some(source) = &t.source {
                let _ = writeln!(s, "  source:    {source}");
            }
            let _ = writeln!(s, "  right:     {}", quoted(&t.right));
            let _ = writeln!(s, "  wrong:     {}", quoted(&t.wrong));
            if !t.context.is_empty() {
                let _ = writeln!(s, "  context:   only in sentences mentioning {}", quoted(&t.context));
            }
            if let Some(note) = &t.note {
                let _ = writeln!(s, "  note:      {note}");
            }
        }
        Detector::Pattern(p) => {
            let _ = writeln!(s, "  pattern:   {}", p.regex.as_str());
            if !p.replace.is_empty() {
                let _ = writeln!(s, "  replace:   {}", quoted(&p.replace));
            }
            for u in &p.unless {
                let _ = writeln!(s, "  unless:    {}", u.as_str());
            }
        }
        Detector::Repetition(r) => {
            let _ = writeln!(s, "  check:     {:?}", r.check);
        }
        Detector::Spacing(r) => {
            let _ = writeln!(s, "  check:     {:?}", r.check);
        }
        Detector::Glossary(g) => {
            let _ = writeln!(s, "  check:     {:?}", g.check);
        }
        Detector::Bilingual(b) => {
            let _ = writeln!(s, "  check:     {:?}", b.check);
        }
        Detector::Script(_) | Detector::Fused(_) | Detector::Quotes(_) | Detector::Capitals(_) | Detector::Builtin => {}
    }
    if let Some(explain) = &rule.explain {
        let _ = writeln!(s, "\n{}", explain.trim_end());
    }
    if !rule.examples.is_empty() {
        let _ = writeln!(s, "\nExamples:");
        for e in &rule.examples {
            match e {
                Example::Bad { text, fixed, .. } => {
                    let _ = writeln!(s, "  flagged:     {text}");
                    if let Some(f) = fixed {
                        let _ = writeln!(s, "  becomes:     {f}");
                    }
                }
                Example::Good { text, .. } => {
                    let _ = writeln!(s, "  not flagged: {text}");
                }
            }
        }
    }
    s
}

fn quoted(items: &[String]) -> String {
    items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", ")
}

fn rule_json(rule: &Rule) -> serde_json::Value {
    let mut v = serde_json::json!({
        "id": rule.id,
        "pack": rule.pack(),
        "kind": rule.kind.name(),
        "category": rule.category,
        "severity": rule.severity,
        "fix": rule.fix,
        "message": rule.message,
        "explain": rule.explain,
        "defined": rule.origin,
        "summary": rule.summary(),
    });
    if let Detector::Term(t) = &rule.detector
        && let Some(object) = v.as_object_mut()
    {
        object.insert("source".into(), serde_json::json!(t.source));
        object.insert("right".into(), serde_json::json!(t.right));
        object.insert("wrong".into(), serde_json::json!(t.wrong));
        object.insert("note".into(), serde_json::json!(t.note));
    }
    v
}
