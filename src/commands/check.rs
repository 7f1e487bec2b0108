//! `mtlint check` and `mtlint fix`: read each input, check it, then report the findings, print the diff of the
//! fixes, or apply them.

use super::{Exit, load_rules, use_color};
use crate::check::check_text;
use crate::cli::{CheckArgs, Format};
use crate::document::position::LineIndex;
use crate::finding::{Finding, Severity};
use crate::fix::{fix_text, write_atomically};
use crate::input::{self, Loaded, Source};
use crate::report::{self, human::HumanStyle};
use crate::rules::RuleSet;
use std::io::{self, BufWriter, IsTerminal, Write};

#[derive(Default)]
struct Tally {
    files: usize,
    by_severity: [usize; 3],
    fixable: usize,
    fixed: usize,
    worst: Option<Severity>,
}

impl Tally {
    fn add(&mut self, findings: &[Finding]) {
        for f in findings {
            self.by_severity[f.severity as usize] += 1;
            self.worst = self.worst.max(Some(f.severity));
            if f.fix_safe && !f.suggestions.is_empty() {
                self.fixable += 1;
            }
        }
    }

    fn summary(&self) -> String {
        let total: usize = self.by_severity.iter().sum();
        let files = plural(self.files, "file");
        if total == 0 {
            return format!("No findings in {files}.");
        }
        let [info, warning, error] = self.by_severity;
        let mut parts = Vec::new();
        for (n, name) in [(error, "error"), (warning, "warning"), (info, "info")] {
            if n > 0 {
                parts.push(plural(n, name));
            }
        }
        let mut s = format!("{} ({}) in {files}", plural(total, "finding"), parts.join(", "));
        if self.fixable > 0 {
            s.push_str(&format!("; {} fixable with `mtlint fix`", self.fixable));
        }
        s.push('.');
        s
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// Runs `check` (when `fix` is false) or `fix`.
pub fn run(args: &CheckArgs, fix: bool) -> Exit {
    let rules = match load_rules(&args.selection) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let paths = if args.paths.is_empty() {
        if io::stdin().is_terminal() {
            eprintln!("mtlint: nothing to check: give files or folders, or pipe text to standard input");
            return Exit::Trouble;
        }
        vec!["-".into()]
    } else {
        args.paths.clone()
    };
    let (sources, errors) = input::collect(&paths);
    let mut trouble = !errors.is_empty();
    for e in &errors {
        eprintln!("mtlint: {e}");
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let style = HumanStyle { color: use_color(args.color) };
    let mut tally = Tally::default();
    for source in &sources {
        let doc = match input::read(source) {
            Loaded::Document(d) => d,
            Loaded::Binary => {
                if matches!(source, Source::File(_)) && args.paths.iter().any(|p| Source::File(p.clone()) == *source) {
                    eprintln!("mtlint: {}: skipped: binary file", source.display());
                }
                continue;
            }
            Loaded::Failed(e) => {
                eprintln!("mtlint: {e}");
                trouble = true;
                continue;
            }
        };
        tally.files += 1;
        let result = if args.diff {
            let (fixed, _) = fix_text(&doc.text, &rules);
            let findings = check_text(&doc.text, &rules);
            tally.add(&findings);
            out.write_all(report::diff::unified(&doc.path, &doc.text, &fixed).as_bytes())
        } else if fix {
            fix_one(&doc, source, &rules, args, &mut out, &style, &mut tally, &mut trouble)
        } else {
            let findings = check_text(&doc.text, &rules);
            tally.add(&findings);
            write_report(&mut out, &doc, &findings, &rules, args.format, &style)
        };
        if let Err(e) = result.and_then(|_| out.flush()) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return if trouble { Exit::Trouble } else { Exit::Findings };
            }
            eprintln!("mtlint: cannot write the report: {e}");
            return Exit::Trouble;
        }
    }
    if args.format == Format::Human && !args.diff {
        let summary = tally.summary();
        let fixed = if fix { format!("Fixed {}. ", plural(tally.fixed, "finding")) } else { String::new() };
        let remaining = if fix { "Remaining: " } else { "" };
        let line = format!("{fixed}{remaining}{summary}");
        // With `fix` on standard input, standard output carries the fixed text.
        let to_stderr = fix && sources.contains(&Source::Stdin);
        if to_stderr {
            eprintln!("{line}");
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    let _ = out.flush();
    if trouble {
        Exit::Trouble
    } else if tally.worst.is_some_and(|w| w >= args.fail_on.threshold()) {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

fn write_report(
    out: &mut dyn Write,
    doc: &crate::document::Document,
    findings: &[Finding],
    rules: &RuleSet,
    format: Format,
    style: &HumanStyle,
) -> io::Result<()> {
    let index = LineIndex::new(&doc.text);
    let located = report::locate(doc, &index, findings);
    match format {
        Format::Human => report::human::write(out, &doc.path, &index, &located, rules, style),
        Format::Json => report::json::write(out, &doc.path, &doc.text, &located, rules),
    }
}

/// Fixes one document: writes the file (or prints the text, for standard input), then reports what remains.
#[allow(clippy::too_many_arguments)]
fn fix_one(
    doc: &crate::document::Document,
    source: &Source,
    rules: &RuleSet,
    args: &CheckArgs,
    out: &mut dyn Write,
    style: &HumanStyle,
    tally: &mut Tally,
    trouble: &mut bool,
) -> io::Result<()> {
    let (fixed, applied) = fix_text(&doc.text, rules);
    let remaining = check_text(&fixed, rules);
    tally.add(&remaining);
    match source {
        Source::Stdin => {
            out.write_all(&doc.encode(&fixed))?;
            out.flush()?;
            tally.fixed += applied;
            let after = crate::document::Document { text: fixed, ..doc.clone() };
            let mut err = io::stderr().lock();
            write_report(&mut err, &after, &remaining, rules, args.format, style)?;
            return Ok(());
        }
        Source::File(path) => {
            if fixed != doc.text {
                if let Err(e) = write_atomically(path, &doc.encode(&fixed)) {
                    eprintln!("mtlint: {}: cannot write the fixed file: {e}; the file is unchanged", doc.path);
                    *trouble = true;
                    // Report what is there, unfixed.
                    let findings = check_text(&doc.text, rules);
                    return write_report(out, doc, &findings, rules, args.format, style);
                }
                tally.fixed += applied;
            }
        }
    }
    let after = crate::document::Document { text: fixed, ..doc.clone() };
    write_report(out, &after, &remaining, rules, args.format, style)
}
