//! Configuration: `mtlint.toml` (or `.mtlint.toml`), found by walking up from each checked file, turned into the
//! [`Settings`] that apply to one file: which rules run, at what severity, which phrases and spans are accepted,
//! which files are excluded, when the run fails and how findings are weighted in the quality score.
//!
//! Unknown keys are errors with `file:line:column`, so a misspelt key never silently does nothing.

use crate::finding::Severity;
use crate::rules::{Rule, RuleSet, RuleSources};
use crate::score::Weights;
use globset::{Glob, GlobMatcher};
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use toml::Spanned;

pub const FILE_NAMES: [&str; 2] = ["mtlint.toml", ".mtlint.toml"];

/// The configuration file as written.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    no_default_rules: bool,
    enable: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    #[serde(default)]
    accept: Vec<String>,
    #[serde(default)]
    ignore_patterns: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    fail_on: Option<Severity>,
    max_penalty: Option<f64>,
    penalty: Option<RawPenalty>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPenalty {
    error: Option<f64>,
    warning: Option<f64>,
    info: Option<f64>,
    #[serde(default)]
    error_by_category: BTreeMap<String, f64>,
    #[serde(default)]
    warning_by_category: BTreeMap<String, f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    paths: Vec<Spanned<String>>,
    enable: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
}

/// A problem in a configuration file, with its position.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.line, self.column, self.message)
    }
}

/// Which rules a selector names: `*`, a rule id or id glob (`zh-en.gov.*`), a pack (`zh-en`), or a category prefix
/// (`category:Fluency/Punctuation`).
#[derive(Debug, Clone)]
pub enum Selector {
    Id(GlobMatcher),
    Pack(String),
    Category(String),
}

impl Selector {
    fn parse(text: &str) -> Result<Selector, String> {
        if let Some(category) = text.strip_prefix("category:") {
            return Ok(Selector::Category(category.to_string()));
        }
        if !text.contains(['.', '*', '?', '[']) {
            return Ok(Selector::Pack(text.to_string()));
        }
        Glob::new(text).map(|g| Selector::Id(g.compile_matcher())).map_err(|e| format!("invalid rule selector: {e}"))
    }

    /// A selector from a document's suppression comment: `None` when it does not parse.
    pub fn parse_lenient(text: &str) -> Option<Selector> {
        Selector::parse(text).ok()
    }

    pub fn matches(&self, rule: &Rule) -> bool {
        match self {
            Selector::Id(glob) => glob.is_match(&rule.id),
            Selector::Pack(pack) => rule.pack() == pack,
            Selector::Category(prefix) => rule.category.starts_with(prefix.as_str()),
        }
    }
}

#[derive(Debug, Clone)]
struct Selection {
    enable: Option<Vec<Selector>>,
    disable: Vec<Selector>,
    severity: Vec<(Selector, Severity)>,
}

#[derive(Debug, Clone)]
struct Override {
    paths: Vec<GlobMatcher>,
    selection: Selection,
}

/// A parsed, validated configuration file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from; `None` for the defaults.
    pub path: Option<PathBuf>,
    /// The folder its relative paths are relative to.
    pub root: PathBuf,
    pub rule_paths: Vec<PathBuf>,
    pub no_default_rules: bool,
    selection: Option<Selection>,
    overrides: Vec<Override>,
    pub accept: Vec<String>,
    pub ignore_patterns: Vec<Regex>,
    exclude: Vec<GlobMatcher>,
    pub fail_on: Option<Severity>,
    pub max_penalty: Option<f64>,
    pub weights: Weights,
    /// The texts of the settings, for `mtlint config --show`.
    pub shown: Vec<(String, String)>,
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    crate::rules::load::line_column(text, offset)
}

impl Config {
    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let display = path.display().to_string();
        let error = |text: &str, offset: usize, message: String| {
            let (line, column) = position(text, offset);
            ConfigError { path: display.clone(), line, column, message }
        };
        let text =
            std::fs::read_to_string(path).map_err(|e| error("", 0, format!("cannot read the configuration: {e}")))?;
        Config::parse(path, &text)
    }

    /// Validates the text of a configuration file read from `path` (paths in it are relative to its folder).
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let display = path.display().to_string();
        let error = |text: &str, offset: usize, message: String| {
            let (line, column) = position(text, offset);
            ConfigError { path: display.clone(), line, column, message }
        };
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| error(text, e.span().map_or(0, |s| s.start), e.message().trim().to_string()))?;
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = if root.as_os_str().is_empty() { PathBuf::from(".") } else { root };
        let selectors = |list: &[Spanned<String>]| -> Result<Vec<Selector>, ConfigError> {
            list.iter().map(|s| Selector::parse(s.get_ref()).map_err(|m| error(text, s.span().start, m))).collect()
        };
        let severities = |map: &BTreeMap<String, Severity>| -> Result<Vec<(Selector, Severity)>, ConfigError> {
            map.iter()
                .map(|(k, v)| {
                    Selector::parse(k).map(|s| (s, *v)).map_err(|m| error(text, 0, format!("severity key `{k}`: {m}")))
                })
                .collect()
        };
        let globs = |list: &[Spanned<String>]| -> Result<Vec<GlobMatcher>, ConfigError> {
            list.iter()
                .map(|g| {
                    Glob::new(g.get_ref())
                        .map(|g| g.compile_matcher())
                        .map_err(|e| error(text, g.span().start, format!("invalid path pattern: {e}")))
                })
                .collect()
        };
        let selection = Selection {
            enable: raw.enable.as_deref().map(selectors).transpose()?,
            disable: selectors(&raw.disable)?,
            severity: severities(&raw.severity)?,
        };
        let mut overrides = Vec::new();
        for o in &raw.overrides {
            overrides.push(Override {
                paths: globs(&o.paths)?,
                selection: Selection {
                    enable: o.enable.as_deref().map(selectors).transpose()?,
                    disable: selectors(&o.disable)?,
                    severity: severities(&o.severity)?,
                },
            });
        }
        let ignore_patterns = raw
            .ignore_patterns
            .iter()
            .map(|p| {
                Regex::new(p.get_ref())
                    .map_err(|e| error(text, p.span().start, format!("invalid regular expression: {e}")))
            })
            .collect::<Result<_, _>>()?;
        let mut weights = Weights::default();
        if let Some(p) = &raw.penalty {
            weights.error = p.error.unwrap_or(weights.error);
            weights.warning = p.warning.unwrap_or(weights.warning);
            weights.info = p.info.unwrap_or(weights.info);
            weights.major_by_category.extend(p.error_by_category.clone());
            weights.minor_by_category.extend(p.warning_by_category.clone());
        }
        let shown = shown_settings(&raw);
        Ok(Config {
            path: Some(path.to_path_buf()),
            rule_paths: raw.rules.iter().map(|r| root.join(r)).collect(),
            root,
            no_default_rules: raw.no_default_rules,
            selection: Some(selection),
            overrides,
            accept: raw.accept.iter().map(|a| a.to_lowercase()).collect(),
            ignore_patterns,
            exclude: globs(&raw.exclude)?,
            fail_on: raw.fail_on,
            max_penalty: raw.max_penalty,
            weights,
            shown,
        })
    }

    /// `path` relative to the configuration's folder, as globs are written.
    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let (file, root) = (absolute(path), absolute(&self.root));
        file.strip_prefix(&root).map(Path::to_path_buf).unwrap_or(file)
    }

    /// Whether `exclude` names this file (only files found by walking a folder are excluded).
    pub fn excludes(&self, path: &Path) -> bool {
        let relative = self.relative(path);
        self.exclude.iter().any(|g| g.is_match(&relative) || relative.ancestors().any(|a| g.is_match(a)))
    }

    /// For each rule of `rules`: whether it runs on `path`, and at what severity.
    pub fn rule_states(&self, rules: &RuleSet, path: Option<&Path>) -> Vec<Option<Severity>> {
        let relative = path.map(|p| self.relative(p));
        let applicable: Vec<&Selection> = self
            .selection
            .iter()
            .chain(
                self.overrides
                    .iter()
                    .filter(|o| relative.as_ref().is_some_and(|r| o.paths.iter().any(|g| g.is_match(r))))
                    .map(|o| &o.selection),
            )
            .collect();
        rules
            .rules
            .iter()
            .map(|rule| {
                let mut active = true;
                let mut severity = rule.severity;
                for (n, s) in applicable.iter().enumerate() {
                    // `enable` in the file itself selects the rules that run; in an override it adds rules back.
                    if let Some(enable) = &s.enable {
                        if enable.iter().any(|e| e.matches(rule)) {
                            active = true;
                        } else if n == 0 {
                            active = false;
                        }
                    }
                    if s.disable.iter().any(|d| d.matches(rule)) {
                        active = false;
                    }
                    for (sel, sev) in &s.severity {
                        if sel.matches(rule) {
                            severity = *sev;
                        }
                    }
                }
                active.then_some(severity)
            })
            .collect()
    }
}

fn shown_settings(raw: &RawConfig) -> Vec<(String, String)> {
    let list = |v: &[Spanned<String>]| v.iter().map(|s| s.get_ref().clone()).collect::<Vec<_>>().join(", ");
    let mut shown = vec![
        ("rules".into(), raw.rules.join(", ")),
        ("no-default-rules".into(), raw.no_default_rules.to_string()),
        ("enable".into(), raw.enable.as_deref().map_or("(all)".to_string(), list)),
        ("disable".into(), list(&raw.disable)),
        ("severity".into(), raw.severity.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join(", ")),
        ("accept".into(), raw.accept.join(", ")),
        ("ignore-patterns".into(), list(&raw.ignore_patterns)),
        ("exclude".into(), list(&raw.exclude)),
        ("fail-on".into(), raw.fail_on.map_or(String::new(), |s| s.to_string())),
        ("max-penalty".into(), raw.max_penalty.map_or(String::new(), |s| s.to_string())),
    ];
    for (i, o) in raw.overrides.iter().enumerate() {
        shown.push((format!("overrides[{i}].paths"), list(&o.paths)));
    }
    shown
}

/// Finds the configuration file for a path: the first `mtlint.toml` or `.mtlint.toml` in its folder or above.
pub fn find_for(path: &Path) -> Option<PathBuf> {
    let start =
        if path.is_dir() { path.to_path_buf() } else { path.parent().map(Path::to_path_buf).unwrap_or_default() };
    let start = std::path::absolute(if start.as_os_str().is_empty() { Path::new(".") } else { &start }).ok()?;
    start.ancestors().find_map(|dir| FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file()))
}

/// How a run chooses its configuration.
#[derive(Debug, Clone)]
pub enum ConfigChoice {
    /// Look for the nearest configuration file of each checked file.
    Discover,
    /// Use this file for every checked file.
    File(PathBuf),
    /// Use none.
    Isolated,
}

impl ConfigChoice {
    /// The choice made by `--config FILE` and `--isolated` (which wins); an error when FILE is not a file.
    pub fn from_flags(config: Option<&Path>, isolated: bool) -> Result<ConfigChoice, String> {
        match (config, isolated) {
            (_, true) => Ok(ConfigChoice::Isolated),
            (Some(path), _) if !path.is_file() => Err(format!("{}: no such configuration file", path.display())),
            (Some(path), _) => Ok(ConfigChoice::File(path.to_path_buf())),
            (None, false) => Ok(ConfigChoice::Discover),
        }
    }
}

/// Everything that applies to one checked file.
pub struct Settings {
    pub config: Arc<Config>,
    pub rules: Arc<RuleSet>,
    /// Per rule: `None` when disabled for this file, else its severity here.
    pub states: Vec<Option<Severity>>,
}

/// A configuration with the rule set it selects, or why it could not be loaded.
type Loaded = Result<(Arc<Config>, Arc<RuleSet>), String>;

/// Configurations and their rule sets, each loaded once and shared by every file they apply to.
pub struct Resolver {
    choice: ConfigChoice,
    cli_rules: RuleSources,
    configs: Mutex<HashMap<Option<PathBuf>, Loaded>>,
}

impl Resolver {
    pub fn new(choice: ConfigChoice, cli_rules: RuleSources) -> Self {
        Resolver { choice, cli_rules, configs: Mutex::new(HashMap::new()) }
    }

    /// The resolver of a run from its flags (`--config`, `--isolated`, the rule selection), with the configuration
    /// of the current folder (and the rules it names) already loaded, so that a broken one stops the run before
    /// anything is read. Errors are messages ready to print.
    pub fn for_run(config: Option<&Path>, isolated: bool, cli_rules: RuleSources) -> Result<Resolver, String> {
        let resolver = Resolver::new(ConfigChoice::from_flags(config, isolated)?, cli_rules);
        resolver.load(resolver.config_path(None))?;
        Ok(resolver)
    }

    /// The configuration file that applies to `path` (standard input: the current folder's).
    pub fn config_path(&self, path: Option<&Path>) -> Option<PathBuf> {
        match &self.choice {
            ConfigChoice::Isolated => None,
            ConfigChoice::File(p) => Some(p.clone()),
            ConfigChoice::Discover => find_for(path.unwrap_or(Path::new("."))),
        }
    }

    /// The configuration and rule set for a configuration file, loaded once. Errors are messages ready to print.
    pub fn load(&self, config_path: Option<PathBuf>) -> Loaded {
        let mut cache = self.configs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = cache.get(&config_path) {
            return found.clone();
        }
        let loaded = self.load_uncached(config_path.as_deref());
        cache.insert(config_path, loaded.clone());
        loaded
    }

    fn load_uncached(&self, config_path: Option<&Path>) -> Loaded {
        let config = match config_path {
            Some(p) => Config::load(p).map_err(|e| format!("invalid configuration: {e}"))?,
            None => Config { root: PathBuf::from("."), ..Config::default() },
        };
        let mut sources = self.cli_rules.clone();
        sources.no_default |= config.no_default_rules;
        sources.paths.extend(config.rule_paths.iter().cloned());
        let rules = RuleSet::load(&sources).map_err(|errors| {
            errors.iter().map(|e| format!("invalid rule file: {e}")).collect::<Vec<_>>().join("\n")
        })?;
        Ok((Arc::new(config), Arc::new(rules)))
    }

    /// The settings for one file.
    pub fn settings_for(&self, path: Option<&Path>) -> Result<Settings, String> {
        let (config, rules) = self.load(self.config_path(path))?;
        let states = config.rule_states(&rules, path);
        Ok(Settings { config, rules, states })
    }
}
