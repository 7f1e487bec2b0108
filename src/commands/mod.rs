//! The commands of the command line, each wiring library calls together: read → check → report or fix.

pub mod check;
pub mod config;
pub mod rules;
pub mod serve;
pub mod test_rules;

use crate::cli::{ColorChoice, RuleSelection};
use crate::rules::RuleSet;
use std::io::IsTerminal;

/// The process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// No finding at or above the failing severity.
    Clean = 0,
    /// Findings at or above the failing severity (or failing rule examples).
    Findings = 1,
    /// A usage error, an unreadable input or an invalid rule file.
    Trouble = 2,
}

/// Prints a message (of one or more lines) to standard error, each line after `mtlint: `.
pub fn print_error(message: &str) {
    for line in message.lines() {
        eprintln!("mtlint: {line}");
    }
}

/// Loads the selected rules, printing every rule-file error to standard error.
pub fn load_rules(selection: &RuleSelection) -> Result<RuleSet, Exit> {
    let sources = selection.sources();
    RuleSet::load(&sources).map_err(|errors| {
        for e in &errors {
            eprintln!("mtlint: invalid rule file: {e}");
        }
        Exit::Trouble
    })
}

/// Whether to colour standard output: `auto` colours a terminal unless NO_COLOR is set or TERM is `dumb`.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}
