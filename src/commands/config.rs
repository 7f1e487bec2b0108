//! `mtlint config --show`: the configuration that applies to a file, as mtlint resolved it.

use super::Exit;
use crate::cli::ConfigArgs;
use crate::config::{ConfigChoice, Resolver};
use std::fmt::Write as _;
use std::path::Path;

pub fn run(args: &ConfigArgs) -> Exit {
    let choice = match (&args.config, args.isolated) {
        (_, true) => ConfigChoice::Isolated,
        (Some(p), _) => ConfigChoice::File(p.clone()),
        (None, false) => ConfigChoice::Discover,
    };
    let sources = args.selection.sources();
    let resolver = Resolver::new(choice, sources);
    let path = args.path.as_deref().unwrap_or(Path::new("."));
    let settings = match resolver.settings_for(Some(path)) {
        Ok(s) => s,
        Err(message) => {
            super::print_error(&message);
            return Exit::Trouble;
        }
    };
    let config = &settings.config;
    let mut out = String::new();
    let _ = writeln!(out, "file:          {}", path.display());
    match &config.path {
        Some(p) => {
            let _ = writeln!(out, "configuration: {}", p.display());
        }
        None => {
            let _ = writeln!(out, "configuration: none (defaults)");
        }
    }
    for (key, value) in &config.shown {
        if !value.is_empty() {
            let _ = writeln!(out, "  {key:16} {value}");
        }
    }
    let active = settings.states.iter().filter(|s| s.is_some()).count();
    let _ = writeln!(out, "rules:         {active} of {} enabled for this file", settings.rules.rules.len());
    let disabled: Vec<&str> = settings
        .rules
        .rules
        .iter()
        .zip(&settings.states)
        .filter(|(_, s)| s.is_none())
        .map(|(r, _)| r.id.as_str())
        .collect();
    if !disabled.is_empty() && disabled.len() <= 40 {
        let _ = writeln!(out, "  disabled:      {}", disabled.join(", "));
    }
    let changed: Vec<String> = settings
        .rules
        .rules
        .iter()
        .zip(&settings.states)
        .filter_map(|(r, s)| s.filter(|s| *s != r.severity).map(|s| format!("{} = {s}", r.id)))
        .collect();
    if !changed.is_empty() {
        let _ = writeln!(out, "  severity:      {}", changed.join(", "));
    }
    let w = &config.weights;
    let _ = writeln!(out, "penalty:       error {}, warning {}, info {}", w.error, w.warning, w.info);
    for (category, weight) in &w.minor_by_category {
        let _ = writeln!(out, "  warning in {category}: {weight}");
    }
    for (category, weight) in &w.major_by_category {
        let _ = writeln!(out, "  error in {category}: {weight}");
    }
    let _ =
        writeln!(out, "fail-on:       {}", config.fail_on.map_or("warning (default)".to_string(), |s| s.to_string()));
    if let Some(max) = config.max_penalty {
        let _ = writeln!(out, "max-penalty:   {max}");
    }
    if path.is_file() && config.excludes(path) {
        let _ = writeln!(out, "excluded:      yes (skipped when its folder is checked)");
    }
    print!("{out}");
    Exit::Clean
}
