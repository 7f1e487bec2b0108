//! Applying suggestions: choose the safe, non-overlapping fixes, apply them, check again until nothing changes, and
//! write the result atomically.
//!
//! Only the bytes inside a fixed span change. Overlapping fixes are resolved in document order (the earlier start
//! wins; on a tie the shorter span, then the rule defined first); the losers are checked again on the fixed text,
//! so `fix` run twice changes nothing the second time.

use crate::check::check_text;
use crate::document::layout::Escape;
use crate::finding::Finding;
use crate::rules::RuleSet;
use std::io::{self, Write};
use std::path::Path;

/// How many rounds of check-and-fix run before giving up on a text whose fixes keep producing new findings.
const MAX_ROUNDS: usize = 8;

/// The findings a fix would apply: safe ones (or all with a suggestion, when `only_safe` is false) whose suggestion
/// changes the text, not overlapping each other.
pub fn applicable<'f>(text: &str, findings: &'f [Finding], only_safe: bool) -> Vec<&'f Finding> {
    let mut chosen: Vec<&Finding> = Vec::new();
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| (f.start, f.end, f.rule));
    let mut last_end = 0;
    for f in sorted {
        let Some(replacement) = f.suggestions.first() else { continue };
        if (only_safe && !f.fix_safe) || replacement == f.matched(text) || f.start < last_end {
            continue;
        }
        last_end = f.end;
        chosen.push(f);
    }
    chosen
}

/// Replaces each chosen finding's span by its first suggestion.
pub fn apply(text: &str, chosen: &[&Finding]) -> String {
    apply_encoded(text, chosen, Escape::None)
}

/// Replaces each chosen finding's span by its first suggestion, encoded for the file's format.
pub fn apply_encoded(text: &str, chosen: &[&Finding], escape: Escape) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in chosen {
        out.push_str(&text[at..f.start]);
        out.push_str(&escape.encode(f.suggestions.first().map_or("", String::as_str)));
        at = f.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The fixed text and the number of fixes applied, checking again after each round until nothing changes.
pub fn fix_text(text: &str, rules: &RuleSet) -> (String, usize) {
    fix_with(text, |t| check_text(t, rules), Escape::None)
}

/// Like [`fix_text`], with the findings of each round given by `check` (the engine and the filter stage, in file
/// offsets) and replacements encoded with `escape`.
pub fn fix_with(text: &str, check: impl Fn(&str) -> Vec<Finding>, escape: Escape) -> (String, usize) {
    let mut current = text.to_string();
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let findings: Vec<Finding> = check(&current)
            .into_iter()
            .filter(|f| f.suggestions.first().is_some_and(|s| escape.can_write(s)))
            .collect();
        let chosen = applicable(&current, &findings, true);
        if chosen.is_empty() {
            break;
        }
        applied += chosen.len();
        current = apply_encoded(&current, &chosen, escape);
    }
    (current, applied)
}

/// Writes `bytes` to `path` so that a reader (or a crash) sees either the old file or the new one, never a mix: the
/// bytes go to a temporary file in the same folder, which then replaces the original. The original's permissions
/// are kept, and a symbolic link is written through to its target rather than replaced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(&target)?.permissions();
    if permissions.readonly() {
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only"));
    }
    let mut tmp = tempfile::Builder::new().prefix(".mtlint-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), permissions)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}
