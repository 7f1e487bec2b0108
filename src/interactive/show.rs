//! How one finding is shown for review: its position, rule and message, the lines around it with the span
//! highlighted (colour on a terminal, carets otherwise), the suggestions, and the first one as a word diff — all
//! clipped to the terminal's width, so it reads in a plain 80×24 terminal.

use crate::document::position::LineIndex;
use crate::finding::{Finding, Severity};
use crate::report::diff::{WordDiffStyle, words};
use anstyle::{AnsiColor, Style};
use std::fmt::Write as _;
use std::ops::Range;
use unicode_width::UnicodeWidthStr;

/// What the display needs besides the finding.
pub struct View<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub rule_id: &'a str,
    pub color: bool,
    /// Terminal columns.
    pub width: usize,
    /// This finding's number and the number of findings (decided and still to come).
    pub number: usize,
    pub total: usize,
}

fn paint(color: bool, style: Style, text: &str) -> String {
    if color && !text.is_empty() { format!("{style}{text}{style:#}") } else { text.to_string() }
}

/// Tabs and line breaks as spaces, so columns line up and a span over a line break stays on one line.
fn flat(text: &str) -> String {
    text.chars().map(|c| if c == '\t' || c == '\n' || c == '\r' { ' ' } else { c }).collect()
}

fn width_of(text: &str) -> usize {
    flat(text).width()
}

/// The byte range of `line` to show in `room` columns: all of it if it fits, else a window around `span` (byte
/// offsets within the line), cut at character boundaries. The flags say whether text was cut on the left or right.
pub fn window(line: &str, span: Range<usize>, room: usize) -> (Range<usize>, bool, bool) {
    if width_of(line) <= room {
        return (0..line.len(), false, false);
    }
    // One column on each side for the "…".
    let room = room.saturating_sub(2).max(10);
    let span_width = width_of(&line[span.clone()]);
    let mut from = span.start;
    let mut used = span_width.min(room);
    if span_width < room {
        let left_budget = (room - span_width) / 3;
        for (i, c) in line[..span.start].char_indices().rev() {
            let w = width_of(&c.to_string());
            if used + w > span_width + left_budget {
                break;
            }
            used += w;
            from = i;
        }
    }
    let mut to = from;
    let mut shown = 0;
    for (i, c) in line[from..].char_indices() {
        let w = width_of(&c.to_string());
        if shown + w > room {
            break;
        }
        shown += w;
        to = from + i + c.len_utf8();
    }
    // Room left at the end of the line goes to more text before the span.
    for (i, c) in line[..from].char_indices().rev() {
        let w = width_of(&c.to_string());
        if shown + w > room {
            break;
        }
        shown += w;
        from = i;
    }
    // Cut at a space where there is one, so no word is cut in half.
    if from > 0
        && let Some(space) = line[from..span.start].find(' ')
    {
        from += space + 1;
    }
    if to < line.len()
        && let Some(space) = line[span.end.max(from)..to].rfind(' ')
    {
        to = span.end.max(from) + space;
    }
    (from..to, from > 0, to < line.len())
}

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
        Severity::Warning => Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
        Severity::Info => Style::new().fg_color(Some(AnsiColor::Cyan.into())).bold(),
    }
}

/// The text shown for a finding.
pub fn render(view: &View, f: &Finding) -> String {
    let mut out = String::new();
    let bold = Style::new().bold();
    let dim = Style::new().fg_color(Some(AnsiColor::Blue.into()));
    let marked = severity_style(f.severity);
    let index = LineIndex::new(view.text);
    let start = index.position(f.start);
    let first_line = start.line - 1;
    let last_line = index.line_of(f.end.saturating_sub(1).max(f.start));
    // The flagged lines (at most three) and one line on each side.
    let shown_first = first_line.saturating_sub(1);
    let line_count = index.line_of(view.text.len()) + 1;
    let shown_last = (last_line.min(first_line + 2) + 1).min(line_count - 1);
    let gutter = (shown_last + 1).to_string().len();
    let room = view.width.saturating_sub(gutter + 4).max(20);

    let _ = writeln!(
        out,
        "{} {}",
        paint(view.color, bold, &format!("({}/{})", view.number, view.total)),
        paint(view.color, bold, &format!("{}:{}:{}", view.path, start.line, start.column))
    );
    let _ = writeln!(
        out,
        "{}{} {}",
        paint(view.color, marked, &f.severity.to_string()),
        paint(view.color, bold, &format!("[{}]", view.rule_id)),
        f.message
    );
    let mut diff_window = None;
    for n in shown_first..=shown_last {
        let line = index.line_text(n);
        let line_start = index.line_start(n);
        let flagged = n >= first_line && n <= last_line.min(first_line + 2);
        // The part of the span on this line.
        let part = if flagged {
            let s = f.start.max(line_start) - line_start;
            let e = (f.end.min(line_start + line.len()).max(line_start) - line_start).max(s);
            Some(s..e)
        } else {
            None
        };
        if !flagged && line.trim().is_empty() {
            continue;
        }
        let (shown, cut_left, cut_right) = window(line, part.clone().unwrap_or(0..0), room);
        if n == first_line {
            diff_window = Some((line_start + shown.start, line_start + shown.end, cut_left, cut_right));
        }
        let lead = if cut_left { "…" } else { "" };
        let tail = if cut_right { "…" } else { "" };
        let number = format!("{:>gutter$}", n + 1);
        let mut body = String::new();
        match &part {
            Some(p) if view.color => {
                let s = p.start.clamp(shown.start, shown.end);
                let e = p.end.clamp(s, shown.end);
                body.push_str(&flat(&line[shown.start..s]));
                body.push_str(&paint(true, marked.underline(), &flat(&line[s..e])));
                body.push_str(&flat(&line[e..shown.end]));
            }
            _ => body.push_str(&flat(&line[shown.clone()])),
        }
        let _ = writeln!(out, "{} {} {lead}{body}{tail}", paint(view.color, dim, &number), paint(view.color, dim, "|"));
        if let Some(p) = part.filter(|_| !view.color) {
            let s = p.start.clamp(shown.start, shown.end);
            let e = p.end.clamp(s, shown.end);
            let pad = lead.width() + width_of(&line[shown.start..s]);
            let marks = width_of(&line[s..e]).max(1);
            let _ = writeln!(out, "{} | {}{}", " ".repeat(gutter), " ".repeat(pad), "^".repeat(marks));
        }
    }
    if let (Some(first), Some((from, to, cut_left, cut_right))) = (f.suggestions.first(), diff_window) {
        let to = to.max(f.end).max(from);
        let old = &view.text[from..to];
        let new = format!("{}{first}{}", &view.text[from..f.start], &view.text[f.end..to]);
        let diff = words(&flat(old), &flat(&new), WordDiffStyle { color: view.color });
        let lead = if cut_left { "…" } else { "" };
        let tail =
            if cut_right && to < index.line_start(first_line) + index.line_text(first_line).len() { "…" } else { "" };
        let _ = writeln!(out, "{} {} fix: {lead}{diff}{tail}", " ".repeat(gutter), paint(view.color, dim, "="));
    }
    if f.suggestions.len() > 1 {
        for (i, s) in f.suggestions.iter().enumerate().take(9) {
            let _ = writeln!(out, "{} {} {}: \"{}\"", " ".repeat(gutter), paint(view.color, dim, "="), i + 1, flat(s));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(start: usize, end: usize, suggestions: &[&str]) -> Finding {
        Finding {
            rule: 0,
            start,
            end,
            severity: Severity::Error,
            message: "msg".into(),
            suggestions: suggestions.iter().map(|s| s.to_string()).collect(),
            fix_safe: true,
        }
    }

    #[test]
    fn shows_the_lines_around_with_carets_and_a_word_diff() {
        let text = "First line.\nAt the National New Office today.\nLast line.\n";
        let start = text.find("National").unwrap();
        let f = finding(start, start + "National New Office".len(), &["State Council Information Office"]);
        let view = View { path: "a.txt", text, rule_id: "r", color: false, width: 80, number: 1, total: 2 };
        let shown = render(&view, &f);
        assert_eq!(
            shown,
            "(1/2) a.txt:2:8\nerror[r] msg\n1 | First line.\n2 | At the National New Office today.\n  |        \
             ^^^^^^^^^^^^^^^^^^^\n3 | Last line.\n  = fix: At the [-National New-]{+State Council Information+} \
             Office today.\n"
        );
    }

    #[test]
    fn long_lines_fit_the_terminal() {
        let text = format!("{}grew.The{}\n", "word ".repeat(40), " more".repeat(40));
        let start = text.find("grew").unwrap();
        let f = finding(start, start + 8, &["grew. The", "grew; the"]);
        let view = View { path: "a.txt", text: &text, rule_id: "r", color: false, width: 80, number: 1, total: 1 };
        let shown = render(&view, &f);
        for line in shown.lines().filter(|l| !l.contains("fix:")) {
            assert!(line.width() <= 80, "{line:?}");
        }
        assert!(shown.contains("1 | …word word") && shown.contains("word grew.The more"), "{shown}");
        assert!(shown.contains("more more…\n"), "{shown}");
        assert!(shown.contains("= 2: \"grew; the\""), "{shown}");
    }
}
