//! Reading rule files: the built-in packs embedded in the binary and user files or folders from disk, turned into
//! validated [`Rule`]s. Every problem is reported as `file:line:column: what is wrong`, in a rule author's words.

use super::schema::{Kind, RawExample, RawRule, RuleFile};
use super::{Detector, Example, Rule};
use crate::check::{
    bilingual::BilingualRule, capitals::CapitalsRule, fused::FusedRule, glossary::GlossaryRule, pattern::PatternRule,
    quotes::QuotesRule, repetition::RepetitionRule, script::ScriptRule, spacing::SpacingRule, term::TermRule,
};
use include_dir::{Dir, include_dir};
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// Where the rules of a run come from.
#[derive(Debug, Clone, Default)]
pub struct RuleSources {
    /// Leave out the built-in packs.
    pub no_default: bool,
    /// Rule files or folders (searched recursively for `*.toml`).
    pub paths: Vec<PathBuf>,
}

/// A problem in a rule file, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl RuleError {
    fn new(path: &str, text: &str, offset: usize, message: String) -> Self {
        let (line, column) = line_column(text, offset);
        RuleError { path: path.to_string(), line, column, message }
    }

    /// An error located at a rule's `path:line` origin.
    pub fn at_origin(origin: &str, message: String) -> Self {
        let (path, line) = match origin.rsplit_once(':') {
            Some((p, l)) => (p.to_string(), l.parse().unwrap_or(1)),
            None => (origin.to_string(), 1),
        };
        RuleError { path, line, column: 1, message }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.line, self.column, self.message)
    }
}

/// A problem in one field of a rule, found while compiling its detector.
#[derive(Debug)]
pub struct FieldError {
    pub span: Option<Range<usize>>,
    pub message: String,
}

impl FieldError {
    pub fn new(message: impl Into<String>) -> Self {
        FieldError { span: None, message: message.into() }
    }
    pub fn at(span: Range<usize>, message: impl Into<String>) -> Self {
        FieldError { span: Some(span), message: message.into() }
    }
}

/// For a kind of rule with a single `check`: an error unless `check` is absent or names it.
pub fn single_check(raw: &RawRule, kind: &str, only: &str) -> Result<(), FieldError> {
    match &raw.check {
        Some(check) if check.get_ref() != only => {
            Err(FieldError::at(check.span(), format!("unknown {kind} check `{}`: use {only}", check.get_ref())))
        }
        _ => Ok(()),
    }
}

/// Where a file's lines start, for the line of every rule and example without rescanning the file each time.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> Self {
        LineStarts(std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)).collect())
    }

    /// The 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The built-in rule files as `(display path, contents)`, in a stable order.
pub fn builtin_files() -> Vec<(String, &'static str)> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static str)>) {
        for file in dir.files() {
            if file.path().extension().is_some_and(|e| e == "toml") {
                let text = file.contents_utf8().unwrap_or("");
                out.push((format!("rules/{}", file.path().display()), text));
            }
        }
        for sub in dir.dirs() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&BUILTIN, &mut out);
    out.sort();
    out
}

/// Rule files found at a path: the file itself, or every `*.toml` below a folder, sorted.
pub fn files_at(path: &Path) -> Result<Vec<PathBuf>, RuleError> {
    let unreadable = |e: std::io::Error| RuleError {
        path: path.display().to_string(),
        line: 1,
        column: 1,
        message: format!("cannot read rules: {e}"),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    // Folders already walked, by their real path: a link back to a folder above is not followed round again.
    let mut seen = std::collections::HashSet::new();
    while let Some(dir) = stack.pop() {
        if !seen.insert(std::fs::canonicalize(&dir).map_err(unreadable)?) {
            continue;
        }
        for entry in std::fs::read_dir(&dir).map_err(unreadable)? {
            let entry = entry.map_err(unreadable)?;
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "toml") {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Loads the rules named by `sources`: every problem in every file, not only the first.
pub fn load_rules(sources: &RuleSources) -> Result<Vec<Rule>, Vec<RuleError>> {
    let mut errors = Vec::new();
    let mut builtin = Vec::new();
    if !sources.no_default {
        // The built-in files are parsed in parallel: parsing is most of the start-up time.
        use rayon::prelude::*;
        let parsed: Vec<_> =
            builtin_files().into_par_iter().map(|(display, text)| parse_rules(&display, text)).collect();
        for result in parsed {
            match result {
                Ok(r) => builtin.push(r),
                Err(mut e) => errors.append(&mut e),
            }
        }
    }
    // The user's files, read first so that the run's one vector of rules can be made large enough for all of them
    // at once (a rule is some 300 bytes, a glossary tens of thousands of rules: growing the vector file by file
    // would copy them again and again).
    let mut files = Vec::new();
    for path in &sources.paths {
        match files_at(path) {
            Ok(found) => {
                for file in found {
                    let display = file.display().to_string();
                    match std::fs::read(&file) {
                        Ok(bytes) => match String::from_utf8(bytes) {
                            Ok(text) => files.push((file, display, text)),
                            Err(e) => errors.push(RuleError {
                                path: display,
                                line: 1,
                                column: 1,
                                message: format!(
                                    "rule files must be UTF-8; invalid byte at offset {}",
                                    e.utf8_error().valid_up_to()
                                ),
                            }),
                        },
                        Err(e) => errors.push(RuleError {
                            path: display,
                            line: 1,
                            column: 1,
                            message: format!("cannot read rules: {e}"),
                        }),
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    let tables: usize =
        files.iter().map(|(_, _, text)| memchr::memmem::find_iter(text.as_bytes(), b"[[rule]]").count()).sum();
    // One more place for the rule set's own rule (see `RuleSet::new`).
    let mut rules = Vec::with_capacity(builtin.iter().map(Vec::len).sum::<usize>() + tables + 1);
    for r in builtin {
        rules.extend(r);
    }
    let cache = super::cache::folder();
    for (file, display, text) in &files {
        if let Err(mut e) = super::cache::parse_into(cache.as_deref(), file, display, text, &mut rules).0 {
            errors.append(&mut e);
        }
    }
    if errors.is_empty() { Ok(rules) } else { Err(errors) }
}

const CATEGORIES: &[&str] = &["Terminology", "Accuracy", "Fluency", "Style", "Locale convention", "Non-translation"];

/// The message of a term rule that sets none (shared by every such rule, not copied into each).
pub(crate) fn default_term_message(has_source: bool) -> &'static str {
    if has_source {
        "\"{matched}\" is a machine rendering of {source}; the correct English is \"{suggestion}\"."
    } else {
        "\"{matched}\" is a machine rendering; the correct English is \"{suggestion}\"."
    }
}

/// A rule's category, shared when it is a top-level one.
pub(crate) fn shared_category(category: &str) -> Cow<'static, str> {
    match CATEGORIES.iter().find(|c| **c == category) {
        Some(c) => Cow::Borrowed(*c),
        None => Cow::Owned(category.to_string()),
    }
}

/// Parses and validates one rule file.
///
/// A large file is parsed a slice at a time (see [`slices`]): the TOML parser's tree of a whole file of 40,000 rules
/// takes about 25 times the file's size in memory, and touching that memory cost more than the parsing itself. When
/// the slices cannot stand for the whole file (one of them does not parse alone, or `[defaults]` is not in the first),
/// the whole file is parsed at once, so that errors and their positions are those of the whole file.
pub fn parse_rules(path: &str, text: &str) -> Result<Vec<Rule>, Vec<RuleError>> {
    let mut rules = Vec::new();
    parse_rules_into(path, text, &mut rules).map(|()| rules)
}

/// [`parse_rules`], appending the rules to `out` (a run's rules are kept in one vector: a glossary of tens of
/// thousands of rules is not copied from a vector of its own). On error `out` is left as it was.
pub fn parse_rules_into(path: &str, text: &str, out: &mut Vec<Rule>) -> Result<(), Vec<RuleError>> {
    let before = out.len();
    let lines = LineStarts::new(text);
    let mut result = None;
    if let Some(slices) = slices(text) {
        result = parse_slices(path, text, &lines, &slices, out);
        if result.is_none() {
            out.truncate(before);
        }
    }
    let result = result.unwrap_or_else(|| parse_whole(path, text, &lines, out));
    if result.is_err() {
        out.truncate(before);
    }
    result
}

/// Parses and compiles a file at once.
fn parse_whole(path: &str, text: &str, lines: &LineStarts, rules: &mut Vec<Rule>) -> Result<(), Vec<RuleError>> {
    let file: RuleFile = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        vec![RuleError::new(path, text, offset, e.message().trim().to_string())]
    })?;
    let defaults = file.defaults.unwrap_or_default();
    let mut errors = Vec::new();
    if file.rule.is_empty() {
        errors.push(RuleError::new(path, text, 0, "the file defines no rule: add a [[rule]] table".into()));
    }
    compile_rules(path, text, lines, 0, file.rule, &defaults, rules, &mut errors);
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// Files up to this size are parsed whole; larger ones in slices of about this size.
const SLICE: usize = 64 * 1024;

/// Where a large rule file can be cut: before lines that are exactly `[[rule]]`, about every [`SLICE`] bytes, the
/// first slice holding at least one such line. `None` for a small file or one with no place to cut.
///
/// A cut inside a multi-line string leaves the slice before it with an unterminated string, which does not parse, so
/// a cut that changes the meaning of the file is always noticed (and the file is then parsed whole).
fn slices(text: &str) -> Option<Vec<Range<usize>>> {
    if text.len() <= SLICE {
        return None;
    }
    let headers = memchr::memmem::find_iter(text.as_bytes(), b"\n[[rule]]").map(|i| i + 1).filter(|&i| {
        let rest = text.as_bytes().get(i + 8..).unwrap_or_default();
        rest.is_empty() || rest.starts_with(b"\n") || rest.starts_with(b"\r\n")
    });
    let mut cuts = vec![0];
    let mut seen_header = false;
    for at in headers {
        // The first slice keeps the file's first `[[rule]]`, so that a top-level `rule = [...]` before it is
        // always parsed together with a `[[rule]]` table (which TOML forbids, as it does in the whole file).
        if seen_header && cuts.last().is_some_and(|&last| at - last >= SLICE) {
            cuts.push(at);
        }
        seen_header = true;
    }
    if cuts.len() < 2 {
        return None;
    }
    cuts.push(text.len());
    Some(cuts.windows(2).filter_map(|w| Some(*w.first()?..*w.get(1)?)).collect())
}

/// Parses and compiles a file slice by slice, appending to `rules`; `None` when the slices do not stand for the whole
/// file.
fn parse_slices(
    path: &str,
    text: &str,
    lines: &LineStarts,
    slices: &[Range<usize>],
    rules: &mut Vec<Rule>,
) -> Option<Result<(), Vec<RuleError>>> {
    let mut errors = Vec::new();
    let mut defaults = None;
    for (n, slice) in slices.iter().enumerate() {
        let file: RuleFile = toml::from_str(text.get(slice.clone())?).ok()?;
        if file.defaults.is_some() {
            if n > 0 {
                return None;
            }
            defaults = file.defaults;
        }
        let defaults = defaults.get_or_insert_with(Default::default);
        compile_rules(path, text, lines, slice.start, file.rule, defaults, rules, &mut errors);
    }
    Some(if errors.is_empty() { Ok(()) } else { Err(errors) })
}

/// Compiles the rules of a file (or of a slice of it starting at byte `base`), each error with its position.
#[allow(clippy::too_many_arguments)]
fn compile_rules(
    path: &str,
    text: &str,
    lines: &LineStarts,
    base: usize,
    raw_rules: Vec<toml::Spanned<RawRule>>,
    defaults: &super::schema::Defaults,
    rules: &mut Vec<Rule>,
    errors: &mut Vec<RuleError>,
) {
    for spanned in raw_rules {
        let rule_span = spanned.span();
        let mut raw = spanned.into_inner();
        match compile_rule(path, lines, base, &mut raw, defaults) {
            Ok(rule) => rules.push(rule),
            Err(e) => {
                let offset = base + e.span.unwrap_or(rule_span).start;
                errors.push(RuleError::new(path, text, offset, format!("rule `{}`: {}", raw.id.get_ref(), e.message)));
            }
        }
    }
}

fn compile_rule(
    path: &str,
    lines: &LineStarts,
    base: usize,
    raw: &mut RawRule,
    defaults: &super::schema::Defaults,
) -> Result<Rule, FieldError> {
    let id = raw.id.get_ref();
    let valid_id = id.split('.').count() >= 2
        && id
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    if !valid_id {
        return Err(FieldError::at(
            raw.id.span(),
            "the id must look like `pack.name`: ASCII letters, digits, `-` or `_`, separated by dots",
        ));
    }
    let kind = raw.kind.or(defaults.kind).ok_or_else(|| {
        FieldError::new("missing field `kind` (term, pattern, repetition, spacing, script, fused, quotes or capitals)")
    })?;
    let category = raw.category.as_ref().or(defaults.category.as_ref()).ok_or_else(|| {
        FieldError::new("missing field `category` (an MQM category such as `Terminology` or `Fluency/Punctuation`)")
    })?;
    let top = category.get_ref().split('/').next().unwrap_or("");
    if !CATEGORIES.contains(&top) {
        return Err(FieldError::at(
            category.span(),
            format!(
                "unknown category `{}`: it must start with one of {}",
                category.get_ref(),
                CATEGORIES.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let category = shared_category(category.get_ref());
    let severity = raw
        .severity
        .or(defaults.severity)
        .ok_or_else(|| FieldError::new("missing field `severity` (error, warning or info)"))?;
    let fix = raw.fix.or(defaults.fix).unwrap_or_default();
    check_fields_of_kind(raw, kind)?;

    let detector = match kind {
        Kind::Term => Detector::Term(TermRule::compile(raw)?),
        Kind::Pattern => Detector::Pattern(PatternRule::compile(raw)?),
        Kind::Repetition => Detector::Repetition(RepetitionRule::compile(raw)?),
        Kind::Spacing => Detector::Spacing(SpacingRule::compile(raw)?),
        Kind::Script => Detector::Script(ScriptRule::compile(raw)?),
        Kind::Fused => Detector::Fused(FusedRule::compile(raw)?),
        Kind::Quotes => Detector::Quotes(QuotesRule::compile(raw)?),
        Kind::Capitals => Detector::Capitals(CapitalsRule::compile(raw)?),
        Kind::Glossary => Detector::Glossary(GlossaryRule::compile(raw)?),
        Kind::Bilingual => Detector::Bilingual(BilingualRule::compile(raw)?),
        Kind::Builtin => return Err(FieldError::new("built-in rules cannot be defined in a rule file")),
    };
    let message = match (&raw.message, kind) {
        (Some(m), _) => Cow::Owned(m.clone()),
        (None, Kind::Term) => Cow::Borrowed(default_term_message(raw.source.is_some())),
        (None, _) => return Err(FieldError::new("missing field `message`: say what is wrong and why")),
    };
    let mut examples = Vec::new();
    for ex in &raw.example {
        examples.push(compile_example(lines, base, ex)?);
    }
    let line = lines.line_of(base + raw.id.span().start);
    let id = std::mem::take(raw.id.get_mut());
    Ok(Rule {
        id,
        kind,
        category,
        severity,
        message,
        explain: raw.explain.take(),
        fix,
        examples,
        origin: format!("{path}:{line}"),
        detector,
    })
}

fn compile_example(lines: &LineStarts, base: usize, ex: &toml::Spanned<RawExample>) -> Result<Example, FieldError> {
    let line = lines.line_of(base + ex.span().start);
    let e = ex.get_ref();
    let source = e.source.clone();
    match (&e.bad, &e.fixed, &e.good) {
        (Some(bad), fixed, None) => Ok(Example::Bad { text: bad.clone(), fixed: fixed.clone(), source, line }),
        (None, None, Some(good)) => Ok(Example::Good { text: good.clone(), source, line }),
        (None, Some(_), _) => Err(FieldError::at(ex.span(), "an example with `fixed` needs the `bad` text it fixes")),
        (Some(_), _, Some(_)) => {
            Err(FieldError::at(ex.span(), "an example is either `bad` (with optional `fixed`) or `good`, not both"))
        }
        (None, None, None) => Err(FieldError::at(ex.span(), "an example needs `bad` or `good` text")),
    }
}

/// Rejects fields that belong to another kind of rule, so that a rule author learns that e.g. `wrong` does nothing
/// in a pattern rule instead of wondering why it does not match.
fn check_fields_of_kind(raw: &RawRule, kind: Kind) -> Result<(), FieldError> {
    let present: [(&str, bool); 26] = [
        ("source", raw.source.is_some()),
        ("right", raw.right.is_some()),
        ("wrong", raw.wrong.is_some()),
        ("note", raw.note.is_some()),
        ("context", raw.context.is_some()),
        ("match_case", raw.match_case.is_some()),
        ("pattern", raw.pattern.is_some()),
        ("replace", raw.replace.is_some()),
        ("unless", raw.unless.is_some()),
        ("check", raw.check.is_some()),
        ("allow", raw.allow.is_some()),
        ("min_content_words", raw.min_content_words.is_some()),
        ("max_gap", raw.max_gap.is_some()),
        ("max_words", raw.max_words.is_some()),
        ("min_repeats", raw.min_repeats.is_some()),
        ("echo_pairs", raw.echo_pairs.is_some()),
        ("punctuation", raw.punctuation.is_some()),
        ("map", raw.map.is_some()),
        ("scripts", raw.scripts.is_some()),
        ("min_part", raw.min_part.is_some()),
        ("threshold", raw.threshold.is_some()),
        ("min_length", raw.min_length.is_some()),
        ("min_words", raw.min_words.is_some()),
        ("min_ratio", raw.min_ratio.is_some()),
        ("max_ratio", raw.max_ratio.is_some()),
        ("min_source_chars", raw.min_source_chars.is_some()),
    ];
    let allowed: &[&str] = match kind {
        Kind::Term => &["source", "right", "wrong", "note", "context", "match_case"],
        Kind::Pattern => &["pattern", "replace", "unless"],
        Kind::Repetition => {
            &["check", "allow", "min_content_words", "max_gap", "max_words", "min_repeats", "echo_pairs"]
        }
        Kind::Spacing => &["check", "punctuation"],
        Kind::Script => &["check", "map", "scripts"],
        Kind::Fused => &["allow", "min_part"],
        Kind::Quotes => &["check", "allow", "max_words"],
        Kind::Capitals => &["check", "allow"],
        Kind::Glossary => &["check", "threshold", "min_length", "min_words"],
        Kind::Bilingual => &["check", "min_ratio", "max_ratio", "min_source_chars"],
        Kind::Builtin => &[],
    };
    for (name, is_set) in present {
        if is_set && !allowed.contains(&name) {
            return Err(FieldError::new(format!(
                "field `{name}` is not used by rules of kind `{}` (it takes: {})",
                kind.name(),
                allowed.join(", ")
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{LineStarts, RuleError, SLICE, parse_rules, parse_rules_into, parse_whole, slices};
    use crate::rules::{Detector, Example, Rule};

    /// A rule file of `n` term rules (about 150 bytes each), with `[defaults]` first and an example every tenth rule.
    fn big_file(n: usize) -> String {
        let mut text = String::from(
            "# generated\n[defaults]\nkind = \"term\"\ncategory = \"Terminology\"\nseverity = \"error\"\n",
        );
        for i in 0..n {
            text.push_str(&format!(
                "\n[[rule]]\nid = \"t.r{i}\"\nright = [\"Right Name {i}\"]\nwrong = [\"Wrong Name {i}\", \"Bad Name {i}\"]\n"
            ));
            if i % 10 == 0 {
                text.push_str(&format!("[[rule.example]]\nbad = \"The Wrong Name {i} met.\"\n"));
            }
        }
        text
    }

    /// What a test compares of a rule: id, origin, phrases and example lines.
    fn summary(rules: &[Rule]) -> Vec<String> {
        rules
            .iter()
            .map(|r| {
                let Detector::Term(t) = &r.detector else { return format!("{} {} not a term", r.id, r.origin) };
                let lines: Vec<usize> = r
                    .examples
                    .iter()
                    .map(|e| match e {
                        Example::Bad { line, .. } | Example::Good { line, .. } => *line,
                    })
                    .collect();
                format!("{} {} {:?} {:?} {:?} {:?}", r.id, r.origin, t.right, t.wrong, lines, r.explain)
            })
            .collect()
    }

    fn whole(text: &str) -> Result<Vec<Rule>, Vec<RuleError>> {
        let mut rules = Vec::new();
        parse_whole("g.toml", text, &LineStarts::new(text), &mut rules).map(|()| rules)
    }

    #[test]
    fn a_large_file_parsed_in_slices_gives_the_rules_of_the_whole_file() {
        let text = big_file(3000);
        let cuts = slices(&text).expect("a file of 3,000 rules is cut");
        assert!(cuts.len() >= 4, "{} slices", cuts.len());
        assert!(cuts.iter().skip(1).all(|c| text[c.clone()].starts_with("[[rule]]\n")));
        let sliced = parse_rules("g.toml", &text).expect("valid");
        assert_eq!(sliced.len(), 3000);
        assert_eq!(summary(&sliced), summary(&whole(&text).expect("valid")));
        // Origins are lines of the whole file, not of a slice: rule 2999's id is on the file's third line from the end
        // but for its example's two.
        let last = sliced.last().expect("rules");
        let id_line = text.lines().position(|l| l == "id = \"t.r2999\"").expect("present") + 1;
        assert_eq!(last.origin, format!("g.toml:{id_line}"));
    }

    #[test]
    fn a_cut_inside_a_multi_line_string_is_noticed_and_the_file_parsed_whole() {
        // A rule whose multi-line string holds a `[[rule]]` line, the rule starting before the first place a cut may
        // fall and the line inside the string after it: the first cut falls inside the string.
        let mut text = big_file(2000);
        let at = text[..SLICE].rfind("\n[[rule]]").expect("a header before the slice size");
        let padding = "words\n".repeat((SLICE - at) / 6 + 1);
        let tricky = format!(
            "\n[[rule]]\nid = \"t.tricky\"\nright = [\"Tricky Right\"]\nwrong = [\"Tricky Wrong\"]\nexplain = \"\"\"\n\
             {padding}[[rule]]\nid = \\\"x.y\\\"\n\"\"\"\n"
        );
        text.insert_str(at, &tricky);
        let inner = at + tricky.rfind("[[rule]]").expect("inner header");
        assert!(inner > SLICE);
        let cuts = slices(&text).expect("cut");
        assert_eq!(cuts.get(1).map(|c| c.start), Some(inner), "the first cut falls inside the string");
        let rules = parse_rules("g.toml", &text).expect("valid");
        assert_eq!(rules.len(), 2001);
        assert_eq!(summary(&rules), summary(&whole(&text).expect("valid")));
        let tricky = rules.iter().find(|r| r.id == "t.tricky").expect("the rule with the string");
        assert_eq!(tricky.explain.as_deref(), Some(format!("{padding}[[rule]]\nid = \"x.y\"\n").as_str()));
    }

    #[test]
    fn errors_in_a_later_slice_name_lines_of_the_whole_file() {
        let mut text = big_file(3000);
        // A rule error (unknown category) and, separately, a TOML syntax error, both far into the file.
        let bad_rule = text.find("id = \"t.r2500\"").expect("rule 2500");
        text.insert_str(bad_rule, "category = \"Grammar\"\n");
        let line = text[..bad_rule].matches('\n').count() + 1;
        let errors = parse_rules("g.toml", &text).expect_err("invalid category");
        assert_eq!(errors.len(), 1);
        // The column is the category's value, as the whole file's parse reports it.
        assert_eq!((errors[0].line, errors[0].column), (line, 12), "{}", errors[0]);
        assert_eq!(errors, whole(&text).expect_err("the same error"));
        assert!(errors[0].message.contains("unknown category `Grammar`"), "{}", errors[0]);

        let mut text = big_file(3000);
        let at = text.find("id = \"t.r2700\"").expect("rule 2700");
        text.insert_str(at, "oops = = 1\n");
        let line = text[..at].matches('\n').count() + 1;
        let errors = parse_rules("g.toml", &text).expect_err("a syntax error");
        assert_eq!(errors, whole(&text).expect_err("the same error"));
        assert_eq!(errors[0].line, line, "{}", errors[0]);
    }

    #[test]
    fn parsing_into_a_run_appends_or_leaves_it_as_it_was() {
        let mut run = parse_rules("a.toml", &big_file(2)).expect("valid");
        let valid = big_file(1000);
        let invalid = valid.replacen("right = [\"Right Name 900\"]", "right = []", 1);
        // An error late in a large file, after the slices before it compiled: nothing of the file stays.
        assert!(parse_rules_into("g.toml", &invalid, &mut run).is_err());
        assert_eq!(run.len(), 2);
        parse_rules_into("g.toml", &valid, &mut run).expect("valid");
        assert_eq!(run.len(), 1002);
        assert_eq!(summary(&run[2..]), summary(&parse_rules("g.toml", &valid).expect("valid")));
    }

    #[test]
    fn defaults_after_the_rules_apply_to_every_rule() {
        let text = big_file(3000);
        let (head, rules) = text.split_once("\n[[rule]]").expect("rules");
        let moved = format!("# generated\n[[rule]]{rules}\n{}", head.trim_start_matches("# generated\n"));
        assert!(moved.trim_end().ends_with("severity = \"error\""), "[defaults] is now last");
        let parsed = parse_rules("g.toml", &moved).expect("valid");
        assert_eq!(parsed.len(), 3000);
        assert!(parsed.iter().all(|r| r.category == "Terminology"));
        assert_eq!(summary(&parsed), summary(&whole(&moved).expect("valid")));
    }
}
