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
    /// Show the configuration that applies to a file
    Config(ConfigArgs),
    /// Run the language server (LSP over standard input and output) for editors
    Lsp(LspArgs),
    /// Serve a web page for correcting a text, mtlint's JSON API and a LanguageTool-compatible API over HTTP
    Serve(ServeArgs),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The address to listen on; anything but a loopback address exposes the server to the network
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// The port to listen on (0: any free port, printed at start-up)
    #[arg(long, default_value_t = 8081)]
    pub port: u16,
    /// The largest request body accepted (bytes, or with a K or M suffix); larger requests get 413
    #[arg(long, value_name = "SIZE", default_value = "1M", value_parser = parse_size)]
    pub max_body: usize,
    /// Let web pages from this origin call the API from a browser (CORS), e.g. `https://example.org`, or `*` for
    /// any; by default only the server's own page can
    #[arg(long, value_name = "ORIGIN")]
    pub allow_origin: Option<String>,
    /// Use this configuration file for every request instead of the current folder's mtlint.toml
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file
    #[arg(long)]
    pub isolated: bool,
    #[command(flatten)]
    pub selection: RuleSelection,
}

#[derive(Args, Debug)]
pub struct LspArgs {
    #[command(flatten)]
    pub selection: RuleSelection,
}

#[derive(Args, Debug)]
pub struct ConfigArgs {
    /// Print the effective configuration (the only action for now)
    #[arg(long, required = true)]
    pub show: bool,
    /// The file (or folder) whose configuration to show [default: the current folder]
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Use this configuration file instead of looking for mtlint.toml
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file
    #[arg(long)]
    pub isolated: bool,
    #[command(flatten)]
    pub selection: RuleSelection,
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

impl RuleSelection {
    /// The rules these flags ask for.
    pub fn sources(&self) -> crate::rules::RuleSources {
        crate::rules::RuleSources { no_default: self.no_default_rules, paths: self.rules.clone() }
    }
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or folders to check; `-` (or nothing, with piped input) reads standard input. Folders are walked for
    /// .txt, .text, .md, .markdown, .htm, .html, .xhtml, .xlf, .xliff, .po, .pot, .tmx, .tsv, .csv and .jsonl files
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
    /// Write the report to FILE (atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Fail (exit 1) when a document's quality score exceeds N penalty points per 1,000 words
    #[arg(long, value_name = "N")]
    pub max_penalty: Option<f64>,
    /// Report only findings not recorded in this baseline file
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE as the baseline, and exit 0
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Use this configuration file instead of looking for mtlint.toml
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file
    #[arg(long)]
    pub isolated: bool,
    /// Read inputs in this encoding (gb18030, gbk, big5, shift_jis, …); a byte-order mark still wins, and `fix`
    /// writes files back in the encoding they were read in [default: UTF-8, or UTF-16 with a byte-order mark]
    #[arg(long, value_name = "LABEL", value_parser = parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Read every input as this format [default: by file name; plain text otherwise]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<crate::document::InputFormat>,
    /// Refuse inputs larger than SIZE (bytes, or with K, M or G for KiB, MiB, GiB; 0 for no limit): a file that
    /// large is more likely a mistake than a document, and checking it needs several times its size in memory
    #[arg(long, value_name = "SIZE", value_parser = parse_file_size, default_value = "100M")]
    pub max_file_size: u64,
    /// TSV/CSV: the source and target columns, by header name or 1-based number [default: source,target or 1,2]
    #[arg(long, value_name = "SOURCE,TARGET", value_parser = parse_columns)]
    pub columns: Option<(String, String)>,
    /// `fix`: review each finding in the terminal (accept, reject, choose, edit, undo) before anything is written
    #[arg(long, short = 'i')]
    pub interactive: bool,
    /// Number of documents checked in parallel (default: the number of cores)
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Exit with 1 when a finding has at least this severity [default: warning, or the configuration's fail-on]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
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
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    /// A table (or the rule in full, with --explain)
    Human,
    /// JSON: one rule per line (or the rule as one object, with --explain)
    Json,
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
    /// One line per finding: path:line:column: severity[rule] message
    Concise,
    /// JSON Lines, one finding per line
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards
    Sarif,
    /// GitHub Actions workflow commands (pull-request annotations)
    Github,
    /// reviewdog's diagnostic format, with suggestions
    Rdjson,
    /// Checkstyle XML
    Checkstyle,
    /// JUnit XML, one test case per finding
    Junit,
    /// GitLab Code Quality JSON
    Gitlab,
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

fn parse_columns(text: &str) -> Result<(String, String), String> {
    match text.split_once(',') {
        Some((s, t)) if !s.trim().is_empty() && !t.trim().is_empty() && !t.contains(',') => {
            Ok((s.trim().to_string(), t.trim().to_string()))
        }
        _ => Err("expected SOURCE,TARGET: two column names or 1-based numbers separated by a comma".to_string()),
    }
}

fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&t[..i], t[i..].trim()),
        None => (t, ""),
    };
    let multiplier: usize = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(format!("`{text}`: expected a size in bytes, such as 1048576, 512K, 1M or 1G")),
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(multiplier))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{text}`: expected a size in bytes, such as 1048576, 512K, 1M or 1G"))
}

/// `--max-file-size`: a size as [`parse_size`] reads it, or 0 for no limit.
fn parse_file_size(text: &str) -> Result<u64, String> {
    if text.trim() == "0" {
        return Ok(0);
    }
    parse_size(text).map(|n| n as u64)
}

fn parse_encoding(label: &str) -> Result<&'static encoding_rs::Encoding, String> {
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes())
        .ok_or_else(|| format!("unknown encoding `{label}` (try gb18030, gbk, big5, shift_jis, euc-kr, utf-8)"))?;
    // Files are written back in the encoding they were read in, so it must be one that can be written.
    if encoding.output_encoding() != encoding {
        return Err(format!(
            "{} files are read by their byte-order mark without --encoding; mtlint cannot write {} without one",
            encoding.name(),
            encoding.name()
        ));
    }
    Ok(encoding)
}
