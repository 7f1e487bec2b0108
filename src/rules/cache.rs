//! A cache of large glossaries, compiled: a rule file of tens of thousands of `term` rules takes some 60 ms to parse
//! from TOML and validate, and a few milliseconds to read back in mtlint's own binary form. Runs that load the same
//! glossary again and again (pre-commit hooks, CI steps, a script over many folders) pay the parsing once.
//!
//! Only what cannot go stale is cached: an entry holds the rule file's whole text and the mtlint version that wrote
//! it, and is used only for that very text read by that very version (the text is compared byte for byte, so no
//! hash can collide). A file is cached when it is larger than [`MIN_SIZE`], valid, and holds only `term` rules;
//! anything else is parsed as before. Each rule file has one entry, replaced when the file changes, written
//! atomically; a cache that cannot be read or written is ignored (the file is parsed), never an error.
//!
//! Where: `$MTLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/mtlint`, else `~/.cache/mtlint`; `MTLINT_NO_CACHE=1` turns it off.

use super::load::{default_term_message, parse_rules_into, shared_category};
use super::{Detector, Example, Kind, Rule, RuleError};
use crate::check::term::TermRule;
use crate::finding::{FixSafety, Severity};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Files smaller than this are parsed every time: that costs about as little as reading a cache entry.
pub const MIN_SIZE: usize = 256 * 1024;

/// The first bytes of an entry, naming its format.
const MAGIC: &[u8] = b"mtlint rule cache, format 1\n";

/// What an entry is for: the rule file's text (its display path included, as rules' origins name it) and the
/// version of mtlint that compiled it.
#[derive(Serialize, Deserialize)]
struct Key<'a> {
    #[serde(borrow)]
    version: Cow<'a, str>,
    #[serde(borrow)]
    path: Cow<'a, str>,
    #[serde(borrow)]
    text: Cow<'a, str>,
}

/// A term rule as cached: what [`Rule`] holds, less what follows from the rest.
#[derive(Serialize, Deserialize)]
struct CachedRule {
    id: String,
    category: String,
    severity: Severity,
    /// `None`: the default message of term rules.
    message: Option<String>,
    explain: Option<String>,
    fix: FixSafety,
    examples: Vec<Example>,
    line: usize,
    source: Option<String>,
    right: Vec<String>,
    wrong: Vec<String>,
    note: Option<String>,
    context: Vec<String>,
    match_case: bool,
}

/// Whether rules came from the cache (for tests and for `--verbose`-style reporting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Read from the cache.
    Hit,
    /// Parsed, and the cache entry written (or its writing attempted).
    Miss,
    /// Parsed; the file is not one the cache keeps (small, invalid, or not only `term` rules), or there is no cache.
    Skipped,
}

/// The cache folder, from the environment; `None` when caching is off or no folder can be named.
pub fn folder() -> Option<PathBuf> {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if set("MTLINT_NO_CACHE").is_some_and(|v| v != "0") {
        return None;
    }
    if let Some(dir) = set("MTLINT_CACHE_DIR") {
        return Some(dir.into());
    }
    let base =
        set("XDG_CACHE_HOME").map(PathBuf::from).or_else(|| set("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("mtlint"))
}

/// Parses a rule file (`display` is its path as reported, `file` where it is on disk), through the cache in `folder`.
pub fn parse(
    folder: Option<&Path>,
    file: &Path,
    display: &str,
    text: &str,
) -> (Result<Vec<Rule>, Vec<RuleError>>, Outcome) {
    let mut rules = Vec::new();
    let (result, outcome) = parse_into(folder, file, display, text, &mut rules);
    (result.map(|()| rules), outcome)
}

/// [`parse`], appending the rules to `out` (left as it was on error).
pub fn parse_into(
    folder: Option<&Path>,
    file: &Path,
    display: &str,
    text: &str,
    out: &mut Vec<Rule>,
) -> (Result<(), Vec<RuleError>>, Outcome) {
    let Some(folder) = folder.filter(|_| text.len() >= MIN_SIZE) else {
        return (parse_rules_into(display, text, out), Outcome::Skipped);
    };
    let entry = folder.join(entry_name(file));
    let key = Key { version: env!("CARGO_PKG_VERSION").into(), path: display.into(), text: text.into() };
    if let Some(rules) = read(&entry, &key) {
        out.extend(rules);
        return (Ok(()), Outcome::Hit);
    }
    let before = out.len();
    let parsed = parse_rules_into(display, text, out);
    let outcome = match (&parsed, out.get(before..).and_then(cached_form)) {
        (Ok(()), Some(cached)) => {
            // A cache that cannot be written is no reason to fail a check.
            let _ = write(folder, &entry, &key, &cached);
            Outcome::Miss
        }
        _ => Outcome::Skipped,
    };
    (parsed, outcome)
}

/// One entry per rule file: named after the file's absolute path (FNV-1a), so that a changed file replaces its entry.
fn entry_name(file: &Path) -> String {
    use std::hash::Hasher;
    let path = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let mut hash = crate::check::glossary::Fnv::default();
    hash.write(path.as_os_str().as_encoded_bytes());
    format!("rules-{:016x}.bin", hash.finish())
}

/// The entry's rules, when it is an entry for exactly this key.
fn read(entry: &Path, key: &Key) -> Option<Vec<Rule>> {
    let bytes = std::fs::read(entry).ok()?;
    let body = bytes.strip_prefix(MAGIC)?;
    let (stored, rest): (Key, &[u8]) = postcard::take_from_bytes(body).ok()?;
    if stored.version != key.version || stored.path != key.path || stored.text != key.text {
        return None;
    }
    let cached: Vec<CachedRule> = postcard::from_bytes(rest).ok()?;
    Some(cached.into_iter().map(|c| restore(c, &key.path)).collect())
}

/// Writes an entry atomically (a temporary file renamed over it), so a reader sees a whole entry or none.
fn write(folder: &Path, entry: &Path, key: &Key, rules: &[CachedRule]) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    let mut bytes = MAGIC.to_vec();
    let encode = |e: postcard::Error| std::io::Error::other(e.to_string());
    bytes.extend(postcard::to_stdvec(key).map_err(encode)?);
    bytes.extend(postcard::to_stdvec(rules).map_err(encode)?);
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    file.write_all(&bytes)?;
    file.persist(entry).map_err(|e| e.error)?;
    Ok(())
}

/// The rules in the cache's form, or `None` when one of them is not a `term` rule.
fn cached_form(rules: &[Rule]) -> Option<Vec<CachedRule>> {
    rules
        .iter()
        .map(|r| {
            let Detector::Term(t) = &r.detector else { return None };
            let line = r.origin.rsplit_once(':').and_then(|(_, l)| l.parse().ok())?;
            Some(CachedRule {
                id: r.id.clone(),
                category: r.category.to_string(),
                severity: r.severity,
                message: match &r.message {
                    Cow::Borrowed(_) => None,
                    Cow::Owned(m) => Some(m.clone()),
                },
                explain: r.explain.clone(),
                fix: r.fix,
                examples: r.examples.clone(),
                line,
                source: t.source.clone(),
                right: t.right.clone(),
                wrong: t.wrong.clone(),
                note: t.note.clone(),
                context: t.context.clone(),
                match_case: t.match_case,
            })
        })
        .collect()
}

/// A cached rule as [`super::load`] would have compiled it from `path`.
fn restore(c: CachedRule, path: &str) -> Rule {
    Rule {
        id: c.id,
        kind: Kind::Term,
        category: shared_category(&c.category),
        severity: c.severity,
        message: match c.message {
            Some(m) => Cow::Owned(m),
            None => Cow::Borrowed(default_term_message(c.source.is_some())),
        },
        explain: c.explain,
        fix: c.fix,
        examples: c.examples,
        origin: format!("{path}:{}", c.line),
        detector: Detector::Term(TermRule {
            source: c.source,
            right: c.right,
            wrong: c.wrong,
            note: c.note,
            context: c.context,
            match_case: c.match_case,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::{MIN_SIZE, Outcome, parse};
    use crate::rules::load::parse_rules;
    use std::path::Path;

    /// A valid glossary of term rules over `MIN_SIZE` bytes, with every optional field used somewhere.
    fn glossary(tag: &str) -> String {
        let mut text = String::from("[defaults]\nkind = \"term\"\ncategory = \"Terminology\"\nseverity = \"error\"\n");
        let mut i = 0;
        while text.len() < MIN_SIZE + 1000 {
            text.push_str(&format!(
                "\n[[rule]]\nid = \"g.{tag}{i}\"\nright = [\"Right {tag} {i}\"]\nwrong = [\"Wrong {tag} {i}\", \"Bad {i}\"]\n"
            ));
            match i % 4 {
                0 => text.push_str(&format!("source = \"术语{i}\"\nnote = \"n{i}\"\ncontext = [\"Office\"]\n")),
                1 => text.push_str("message = \"Own message for {matched}.\"\nfix = \"unsafe\"\nexplain = \"why\"\n"),
                2 => text.push_str(&format!(
                    "category = \"Terminology/Wrong term\"\nmatch_case = true\n[[rule.example]]\nbad = \"The Wrong {tag} {i} met.\"\nfixed = \"The Right {tag} {i} met.\"\n"
                )),
                _ => text.push_str(&format!("[[rule.example]]\ngood = \"The Right {tag} {i} met.\"\n")),
            }
            i += 1;
        }
        text
    }

    fn debug(rules: &[crate::rules::Rule]) -> String {
        format!("{rules:#?}")
    }

    #[test]
    fn a_second_load_comes_from_the_cache_and_equals_the_parse() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let file = dir.path().join("g.toml");
        let text = glossary("a");
        let (first, outcome) = parse(Some(&dir.path().join("cache")), &file, "g.toml", &text);
        assert_eq!(outcome, Outcome::Miss);
        let (second, outcome) = parse(Some(&dir.path().join("cache")), &file, "g.toml", &text);
        assert_eq!(outcome, Outcome::Hit);
        let expected = debug(&parse_rules("g.toml", &text).expect("valid"));
        assert_eq!(debug(&first.expect("valid")), expected);
        assert_eq!(debug(&second.expect("valid")), expected);
    }

    #[test]
    fn a_changed_file_or_path_is_parsed_again() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let cache = dir.path().join("cache");
        let file = dir.path().join("g.toml");
        let _ = parse(Some(&cache), &file, "g.toml", &glossary("a"));
        let changed = glossary("b");
        let (rules, outcome) = parse(Some(&cache), &file, "g.toml", &changed);
        assert_eq!(outcome, Outcome::Miss);
        assert_eq!(debug(&rules.expect("valid")), debug(&parse_rules("g.toml", &changed).expect("valid")));
        // The same text shown under another path: the rules' origins differ, so the entry is not used.
        let (rules, outcome) = parse(Some(&cache), &file, "other/g.toml", &changed);
        assert_eq!(outcome, Outcome::Miss);
        assert!(rules.expect("valid").iter().all(|r| r.origin.starts_with("other/g.toml:")));
        assert_eq!(std::fs::read_dir(&cache).expect("cache folder").count(), 1, "one entry per rule file");
    }

    #[test]
    fn a_damaged_entry_is_ignored_and_replaced() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let cache = dir.path().join("cache");
        let file = dir.path().join("g.toml");
        let text = glossary("a");
        let _ = parse(Some(&cache), &file, "g.toml", &text);
        let entry = std::fs::read_dir(&cache).expect("folder").next().expect("an entry").expect("entry").path();
        let bytes = std::fs::read(&entry).expect("entry");
        for damaged in [bytes[..bytes.len() / 2].to_vec(), b"garbage".to_vec(), Vec::new()] {
            std::fs::write(&entry, &damaged).expect("damage the entry");
            let (rules, outcome) = parse(Some(&cache), &file, "g.toml", &text);
            assert_eq!(outcome, Outcome::Miss);
            assert_eq!(debug(&rules.expect("valid")), debug(&parse_rules("g.toml", &text).expect("valid")));
            assert_eq!(std::fs::read(&entry).expect("rewritten"), bytes);
        }
    }

    #[test]
    fn small_invalid_and_mixed_files_are_not_cached() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let cache = dir.path().join("cache");
        let file = Path::new("g.toml");
        let small = "[[rule]]\nid = \"g.x\"\nkind = \"term\"\ncategory = \"Terminology\"\nseverity = \"error\"\nright = [\"A B\"]\nwrong = [\"C D\"]\n";
        assert_eq!(parse(Some(&cache), file, "g.toml", small).1, Outcome::Skipped);
        let invalid = glossary("a").replacen("category = \"Terminology\"", "category = \"Grammar\"", 1);
        let (result, outcome) = parse(Some(&cache), file, "g.toml", &invalid);
        assert_eq!(outcome, Outcome::Skipped);
        assert_eq!(result.expect_err("invalid"), parse_rules("g.toml", &invalid).expect_err("invalid"));
        let mixed = format!(
            "{}\n[[rule]]\nid = \"g.pattern\"\nkind = \"pattern\"\nmessage = \"m\"\npattern = \"xyz\"\n",
            glossary("a")
        );
        assert_eq!(parse(Some(&cache), file, "g.toml", &mixed).1, Outcome::Skipped);
        assert!(!cache.exists(), "nothing was written");
        // No cache folder at all, or one that cannot be created: the file is parsed.
        assert_eq!(parse(None, file, "g.toml", &glossary("a")).1, Outcome::Skipped);
        let blocked = dir.path().join("a-file");
        std::fs::write(&blocked, "not a folder").expect("write");
        let (rules, outcome) = parse(Some(&blocked.join("cache")), file, "g.toml", &glossary("a"));
        assert_eq!(outcome, Outcome::Miss);
        assert!(rules.is_ok());
    }
}
