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

/// The word-level diff of `old` → `new`, on one line. Changes separated only by white space are shown as one
/// change ("[-National New-]{+State Council Information+}"), which reads better than alternating words.
pub fn words(old: &str, new: &str, style: WordDiffStyle) -> String {
    let mut out = String::new();
    let (mut deleted, mut inserted, mut space) = (String::new(), String::new(), String::new());
    let (old_tokens, new_tokens) = (tokens(old), tokens(new));
    for change in TextDiff::configure().diff_slices(&old_tokens, &new_tokens).iter_all_changes() {
        let value = change.value();
        let pending = !deleted.is_empty() || !inserted.is_empty();
        match change.tag() {
            ChangeTag::Equal if pending && value.trim().is_empty() => space.push_str(value),
            ChangeTag::Equal => {
                flush(&mut out, &mut deleted, &mut inserted, style);
                out.push_str(&space);
                space.clear();
                out.push_str(value);
            }
            ChangeTag::Delete | ChangeTag::Insert => {
                deleted.push_str(&space);
                inserted.push_str(&space);
                space.clear();
                if change.tag() == ChangeTag::Delete { deleted.push_str(value) } else { inserted.push_str(value) }
            }
        }
    }
    flush(&mut out, &mut deleted, &mut inserted, style);
    out.push_str(&space);
    out
}

/// Splits a line into words, runs of white space, and single other characters, so that punctuation next to a word
/// is not shown as changed when only the word changed.
fn tokens(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let class = |c: char| {
        if c.is_alphanumeric() || c == '\'' || c == '’' {
            0
        } else if c.is_whitespace() {
            1
        } else {
            2
        }
    };
    let mut previous: Option<u8> = None;
    for (i, c) in line.char_indices() {
        let k = class(c);
        if previous.is_some_and(|p| p != k || k == 2) {
            out.push(&line[start..i]);
            start = i;
        }
        previous = Some(k);
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

fn flush(out: &mut String, deleted: &mut String, inserted: &mut String, style: WordDiffStyle) {
    let red = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Red.into())).strikethrough();
    let green = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Green.into())).bold();
    if !deleted.is_empty() {
        let _ = if style.color { write!(out, "{red}{deleted}{red:#}") } else { write!(out, "[-{deleted}-]") };
    }
    if !inserted.is_empty() {
        let _ = if style.color { write!(out, "{green}{inserted}{green:#}") } else { write!(out, "{{+{inserted}+}}") };
    }
    deleted.clear();
    inserted.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_merges_changes_separated_by_spaces() {
        let d = words("at the National New Office today", "at the State Council Information Office today", PLAIN);
        assert_eq!(d, "at the [-National New-]{+State Council Information+} Office today");
    }

    const PLAIN: WordDiffStyle = WordDiffStyle { color: false };

    #[test]
    fn word_diff_marks_only_the_changed_words() {
        let d = words("the China News Agency, said", "the China News Service, said", PLAIN);
        assert_eq!(d, "the China News [-Agency-]{+Service+}, said");
        let d = words("release dataValue, strengthen", "release data value, strengthen", PLAIN);
        assert_eq!(d, "release [-dataValue-]{+data value+}, strengthen");
    }

    #[test]
    fn unified_diff_has_git_style_headers() {
        let d = unified("x.txt", "a\nb\n", "a\nc\n");
        assert!(d.starts_with("--- a/x.txt\n+++ b/x.txt\n@@ -1,2 +1,2 @@\n"), "{d}");
        assert!(d.contains("-b\n+c\n"), "{d}");
    }
}
