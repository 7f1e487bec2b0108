//! Diffs: the unified diff of a whole file (`--diff`), and the word-level diff of one line that shows a suggestion.

use similar::{ChangeTag, TextDiff};
use std::fmt::Write;

/// A unified diff of `old` → `new` with `--- a/PATH` / `+++ b/PATH` headers; empty when nothing changes.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let path = path.trim_start_matches("./");
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Styles for the word diff: plain markers (`[-old-]{+new+}`, as `git diff --word-diff=plain`) or colours.
#[derive(Clone, Copy)]
pub struct WordDiffStyle {
    pub color: bool,
}

/// The word-level diff of `old` → `new`, on one line.
pub fn words(old: &str, new: &str, style: WordDiffStyle) -> String {
    let mut out = String::new();
    let red = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Red.into())).strikethrough();
    let green = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Green.into())).bold();
    for change in TextDiff::from_words(old, new).iter_all_changes() {
        let value = change.value();
        match (change.tag(), style.color) {
            (ChangeTag::Equal, _) => out.push_str(value),
            (ChangeTag::Delete, false) => {
                let _ = write!(out, "[-{value}-]");
            }
            (ChangeTag::Insert, false) => {
                let _ = write!(out, "{{+{value}+}}");
            }
            (ChangeTag::Delete, true) => {
                let _ = write!(out, "{red}{value}{red:#}");
            }
            (ChangeTag::Insert, true) => {
                let _ = write!(out, "{green}{value}{green:#}");
            }
        }
    }
    // Adjacent markers of one kind read better merged: "[-a-][- -][-b-]" → "[-a b-]".
    if !style.color {
        out = out.replace("-][-", "").replace("+}{+", "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_only_the_changed_words() {
        let d = words("the China News Agency said", "the China News Service said", WordDiffStyle { color: false });
        assert_eq!(d, "the China News [-Agency-]{+Service+} said");
    }

    #[test]
    fn unified_diff_has_git_style_headers() {
        let d = unified("x.txt", "a\nb\n", "a\nc\n");
        assert!(d.starts_with("--- a/x.txt\n+++ b/x.txt\n@@ -1,2 +1,2 @@\n"), "{d}");
        assert!(d.contains("-b\n+c\n"), "{d}");
    }
}
