//! The command line: clap definitions only.

use crate::finding::Severity;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "mtlint",
    version,
    about = "Finds machine-translation artifacts in English text and suggests the corrected wording",
    long_about = "Finds machine-translation artifacts in English text (official names rendered word by word, \
                  calques, duplicated phrases, sentences glued together, fused words, Chinese characters left in) \
                  and suggests the corrected wording, with diffs.\n\n\
                  Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage error, unreadable input or \
                  invalid rule file."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check files, folders (recursively, honouring .gitignore) or standard input
    Check(CheckArgs),
    /// Apply the safe suggestions of every finding, writing each file atomically
    Fix(CheckArgs),
    /// List the rules, or explain one
    Rules(RulesArgs),
    /// Run the examples of rule files (the built-in rules when no path is given)
    TestRules(TestRulesArgs),
}

#[derive(Args, Debug, Clone)]
pub struct RuleSelection {
    /// Add rule files or folders of rule files (repeatable)
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in rules
    #[arg(long)]
    pub no_default_rules: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or folders to check; `-` (or nothing, with piped input) reads standard input. Folders are walked for
    /// .txt, .text, .md, .markdown, .htm and .html files
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub selection: RuleSelection,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Print a unified diff of what `fix` would change, and change nothing
    #[arg(long)]
    pub diff: bool,
    /// Exit with 1 when a finding has at least this severity
    #[arg(long, value_enum, default_value_t = FailOn::Warning, value_name = "SEVERITY")]
    pub fail_on: FailOn,
    /// When to colour the output (NO_COLOR is honoured with `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[command(flatten)]
    pub selection: RuleSelection,
    /// Only the rules of this pack (the part of the id before the first dot, e.g. `zh-en`)
    #[arg(long)]
    pub pack: Option<String>,
    /// Print one rule in full, with its examples
    #[arg(long, value_name = "ID")]
    pub explain: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct TestRulesArgs {
    /// Rule files or folders; the built-in rules when none is given
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// For people: position, message, the line with the span marked, the fix as a word diff
    Human,
    /// JSON Lines, one finding per line
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    pub fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
