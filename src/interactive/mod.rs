//! `mtlint fix --interactive`: review each finding in the terminal — accept, reject, choose, edit or undo — before
//! anything is written.
//!
//! Each file is reviewed on a working copy of its text, finding by finding in file order. An accepted replacement is
//! written into the working text (encoded as the format needs) and the text is checked again, so later findings
//! that overlapped the edit are judged on the edited text, never applied blindly; the review goes on with the first
//! finding after the edit. Every decision pushes the state before it (text, position, counts) on a history, which
//! `u` pops. When the file is done, it is written atomically — only if something was accepted, only if its structure
//! is unchanged, and, if it changed on disk meanwhile, only when the reviewer says so.
//!
//! An interrupt (Ctrl-C, a closed terminal, piped answers running out) leaves the file under review as it was; files
//! finished before it stay written. Writes hold a lock the interrupt handler waits for, so the process never ends
//! in the middle of one, and the terminal is always left in its normal mode.

mod show;
mod terminal;

pub use terminal::{Answer, Lines, Prompter, Typed};

use crate::baseline::Baseline;
use crate::cli::CheckArgs;
use crate::commands::{Exit, print_error, use_color};
use crate::config::{Resolver, Settings};
use crate::document::layout::{Escape, Layout};
use crate::document::{self, Document, InputFormat, ReadOptions, looks_binary};
use crate::filter::filter;
use crate::finding::Finding;
use crate::fix::write_atomically;
use crate::input::{self, Source};
use crate::pipeline::check_layout;
use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::Mutex;

/// Held while a file is being written; the interrupt handler waits for it before ending the process.
static WRITING: Mutex<()> = Mutex::new(());

/// The exit status after an interrupt (as a shell reports SIGINT).
const INTERRUPTED: i32 = 130;

const HELP: &[&str] = &[
    "  y    accept the suggestion (the first one)",
    "  1-9  accept that suggestion",
    "  n    reject: leave the text as it is",
    "  e    edit the replacement, then press Enter (empty: delete the flagged text)",
    "  a    accept this and every later finding of this rule in this file",
    "  d    skip the rest of this file (what was accepted is written)",
    "  u    undo the last decision in this file",
    "  q    quit: write what was accepted in this file and review no more files",
    "  ?    this help",
];

/// Runs the interactive review of every file named (folders are walked as `check` walks them), reading answers from
/// the terminal, or line by line when standard input is not a terminal.
pub fn run(args: &CheckArgs) -> Exit {
    if args.paths.is_empty() || args.paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!(
            "mtlint: fix --interactive needs files or folders (standard input carries the answers, not a document)"
        );
        return Exit::Trouble;
    }
    let conflicting = [
        (args.diff, "--diff"),
        (args.output.is_some(), "--output"),
        (args.write_baseline.is_some(), "--write-baseline"),
        (args.format != crate::cli::Format::Human, "--format"),
    ];
    if let Some((_, flag)) = conflicting.iter().find(|(set, _)| *set) {
        eprintln!("mtlint: fix --interactive cannot be combined with {flag}");
        return Exit::Trouble;
    }
    let Some(context) = Context::new(args) else { return Exit::Trouble };
    let _ = ctrlc::set_handler(|| {
        let _writing = WRITING.lock();
        terminal::restore();
        eprintln!("\nmtlint: interrupted; the file under review was not written");
        std::process::exit(INTERRUPTED);
    });
    let mut out = io::stdout();
    let outcome = if io::stdin().is_terminal() {
        review_all(&context, &mut terminal::Keys::new(), &mut out)
    } else {
        review_all(&context, &mut Lines::new(io::stdin().lock()), &mut out)
    };
    let _ = out.flush();
    match outcome {
        Session::Interrupted => std::process::exit(INTERRUPTED),
        Session::Done { trouble: true } => Exit::Trouble,
        Session::Done { trouble: false } => Exit::Clean,
    }
}

/// How the whole session ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Session {
    Done { trouble: bool },
    Interrupted,
}

/// What applies to every file of the run.
pub struct Context<'a> {
    args: &'a CheckArgs,
    resolver: Resolver,
    baseline: Option<Baseline>,
    color: bool,
    width: usize,
}

impl<'a> Context<'a> {
    /// Loads the configuration (of the current folder, to fail early) and the baseline; prints why it cannot.
    pub fn new(args: &'a CheckArgs) -> Option<Context<'a>> {
        let resolver = match Resolver::for_run(args.config.as_deref(), args.isolated, args.selection.sources()) {
            Ok(resolver) => resolver,
            Err(message) => {
                print_error(&message);
                return None;
            }
        };
        let baseline = match &args.baseline {
            Some(path) => match Baseline::read(path) {
                Ok(b) => Some(b),
                Err(e) => {
                    eprintln!("mtlint: {e}");
                    return None;
                }
            },
            None => None,
        };
        let color = use_color(args.color);
        let width = if io::stdout().is_terminal() {
            // A pseudo-terminal may report no size at all.
            crossterm::terminal::size().ok().map(|(columns, _)| usize::from(columns)).filter(|&c| c >= 20).unwrap_or(80)
        } else {
            80
        };
        Some(Context { args, resolver, baseline, color, width: width.max(40) })
    }
}

/// Reviews every input in order.
pub fn review_all(context: &Context, input: &mut dyn Prompter, out: &mut dyn Write) -> Session {
    let (sources, errors) = input::collect(&context.args.paths);
    let mut trouble = !errors.is_empty();
    for e in &errors {
        eprintln!("mtlint: {e}");
    }
    let mut totals = Counts::default();
    let mut written = 0;
    for (source, explicit) in &sources {
        let Source::File(path) = source else { continue };
        match review_file(context, path, *explicit, input, out) {
            FileEnd::Reviewed { counts, wrote, quit, trouble: t } => {
                totals.add(&counts);
                written += usize::from(wrote);
                trouble |= t;
                if quit {
                    break;
                }
            }
            FileEnd::Interrupted => return Session::Interrupted,
        }
    }
    if sources.len() > 1 {
        let _ = writeln!(
            out,
            "Reviewed: {} accepted, {} rejected, {} skipped; {written} {} written.",
            totals.accepted,
            totals.rejected,
            totals.skipped,
            if written == 1 { "file" } else { "files" }
        );
    }
    let _ = out.flush();
    Session::Done { trouble }
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    accepted: usize,
    rejected: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.accepted += other.accepted;
        self.rejected += other.rejected;
        self.skipped += other.skipped;
    }
}

enum FileEnd {
    Reviewed { counts: Counts, wrote: bool, quit: bool, trouble: bool },
    Interrupted,
}

impl FileEnd {
    fn trouble() -> FileEnd {
        FileEnd::Reviewed { counts: Counts::default(), wrote: false, quit: false, trouble: true }
    }

    fn nothing() -> FileEnd {
        FileEnd::Reviewed { counts: Counts::default(), wrote: false, quit: false, trouble: false }
    }
}

/// Checks a version of one file's text: read its structure, run the rules, map to file offsets, filter — as
/// `mtlint check` does — and keep the findings that offer a replacement, in file order.
struct Checker<'a> {
    path: &'a str,
    format: InputFormat,
    options: ReadOptions,
    settings: Settings,
    baseline: Option<&'a Baseline>,
}

impl Checker<'_> {
    fn layout(&self, text: &str) -> Layout {
        document::read(self.format, text, &self.options)
    }

    /// The findings to review (each with at least one suggestion that changes the text) and how many findings
    /// offer none.
    fn findings(&self, text: &str) -> (Vec<Finding>, usize) {
        let layout = self.layout(text);
        let mapped = check_layout(text, &layout, &self.settings.rules);
        let mut mine = self.baseline.map(|b| b.for_document(self.path));
        let filtered = filter(self.path, text, mapped, &self.settings, mine.as_mut());
        let mut without = 0;
        let mut kept: Vec<Finding> = filtered
            .into_iter()
            .filter_map(|mut f| {
                let matched = f.matched(text).to_string();
                f.suggestions.retain(|s| *s != matched);
                f.suggestions.dedup();
                if f.suggestions.is_empty() {
                    without += 1;
                    None
                } else {
                    Some(f)
                }
            })
            .collect();
        kept.sort_by_key(|f| (f.start, f.end, f.rule));
        (kept, without)
    }
}

/// Where the review stands in a file: findings before `at` are behind it, and so are those ordered up to `after`
/// (the last one rejected) at the same place.
#[derive(Debug, Clone, Copy, Default)]
struct Cursor {
    at: usize,
    after: Option<(usize, usize, usize)>,
}

impl Cursor {
    fn admits(&self, f: &Finding) -> bool {
        f.start >= self.at && self.after.is_none_or(|k| (f.start, f.end, f.rule) > k)
    }
}

/// The state of a file's review, as the history keeps it.
#[derive(Debug, Clone)]
struct State {
    text: String,
    cursor: Cursor,
    counts: Counts,
    /// Rules whose later findings are accepted without asking (`a`).
    accept_all: BTreeSet<usize>,
}

/// Why a replacement cannot be taken.
fn refuse(out: &mut dyn Write, why: &str) {
    let _ = writeln!(out, "  Not applied: {why}. Choose again.");
}

fn review_file(
    context: &Context,
    path: &Path,
    explicit: bool,
    input: &mut dyn Prompter,
    out: &mut dyn Write,
) -> FileEnd {
    let args = context.args;
    let name = path.display().to_string();
    let original = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("mtlint: {name}: {e}");
            return FileEnd::trouble();
        }
    };
    if args.encoding.is_none_or(|e| e == encoding_rs::UTF_8) && looks_binary(&original) {
        if explicit {
            eprintln!("mtlint: {name}: skipped: binary file");
        }
        return FileEnd::nothing();
    }
    let decoded = match args.encoding {
        Some(legacy) => Document::from_bytes_as(name.clone(), &original, legacy),
        None => Document::from_bytes(name.clone(), &original),
    };
    let doc = match decoded {
        Ok(d) => d,
        Err(e) => {
            eprintln!("mtlint: {name}: {e}");
            return FileEnd::trouble();
        }
    };
    let settings = match context.resolver.settings_for(Some(path)) {
        Ok(s) => s,
        Err(message) => {
            print_error(&message);
            return FileEnd::trouble();
        }
    };
    if !explicit && settings.config.excludes(path) {
        return FileEnd::nothing();
    }
    let format = args.input_format.unwrap_or_else(|| InputFormat::from_path(path));
    let checker = Checker {
        path: &doc.path,
        format,
        options: ReadOptions { columns: args.columns.clone() },
        settings,
        baseline: context.baseline.as_ref(),
    };
    let layout = checker.layout(&doc.text);
    for problem in &layout.problems {
        let (line, _) = crate::rules::load::line_column(&doc.text, problem.offset);
        eprintln!("mtlint: {name}:{line}: {}", problem.message);
    }
    if !layout.complete() {
        eprintln!("mtlint: {name}: not reviewed: the file could not be read completely");
        return FileEnd::trouble();
    }
    let escape = layout.escape();
    let (segments, problems) = (layout.segments.len(), layout.problems.len());
    // A replacement must leave the file's structure as it was: the same units, no new problem.
    let keeps_structure = |text: &str| {
        let after = checker.layout(text);
        after.segments.len() == segments && after.problems.len() <= problems
    };

    let mut state = State {
        text: doc.text.clone(),
        cursor: Cursor::default(),
        counts: Counts::default(),
        accept_all: BTreeSet::new(),
    };
    let mut history: Vec<State> = Vec::new();
    let (mut findings, without) = checker.findings(&state.text);
    if findings.is_empty() {
        let _ = writeln!(out, "{name}: nothing to review{}.", without_note(without));
        return FileEnd::nothing();
    }
    let _ = writeln!(out, "=== {name}");
    // Accepting all of a rule stops asking only so many times: a rule whose replacement provokes itself again must
    // not run forever.
    let mut auto_budget = findings.len() * 4 + 16;
    let mut quit = false;
    let mut show_finding = true;
    while let Some(i) = findings.iter().position(|f| state.cursor.admits(f)) {
        let Some(f) = findings.get(i).cloned() else { break };
        // Every finding reviewed has a suggestion (`Checker::findings` keeps only those).
        let best = f.suggestions.first().cloned().unwrap_or_default();
        let remaining = findings.iter().skip(i).filter(|g| state.cursor.admits(g)).count();
        let decided = state.counts.accepted + state.counts.rejected;
        let rule_id = checker.settings.rules.rule(f.rule).id.clone();

        let attempt =
            |text: &str, replacement: &str| attempt(text, &f, replacement, escape, doc.encoding, &keeps_structure);

        if state.accept_all.contains(&f.rule) && auto_budget > 0 {
            auto_budget -= 1;
            if let Ok((text, end)) = attempt(&state.text, &best) {
                let _ = writeln!(
                    out,
                    "Accepted ({rule_id}, all): {}",
                    crate::report::diff::words(
                        f.matched(&state.text),
                        &best,
                        crate::report::diff::WordDiffStyle { color: context.color }
                    )
                );
                state.text = text;
                state.cursor = Cursor { at: end, after: None };
                state.counts.accepted += 1;
                findings = checker.findings(&state.text).0;
                continue;
            }
        }
        if show_finding {
            let view = show::View {
                path: &name,
                text: &state.text,
                rule_id: &rule_id,
                color: context.color,
                width: context.width,
                number: decided + 1,
                total: decided + remaining,
            };
            let _ = write!(out, "\n{}", show::render(&view, &f));
        }
        show_finding = true;
        let choices =
            if f.suggestions.len() > 1 { format!("1-{},", f.suggestions.len().min(9)) } else { String::new() };
        let prompt = format!("Apply this fix [y,n,{choices}e,a,d,u,q,?]? ");
        // `a`: accept, and accept the rule's later findings without asking.
        let mut all = false;
        let chosen: Option<String> = match input.key(out, &prompt) {
            Answer::Key('y') => Some(best.clone()),
            Answer::Key(c @ '1'..='9') => {
                let n = c as usize - '1' as usize;
                match f.suggestions.get(n) {
                    Some(s) => Some(s.clone()),
                    None => {
                        let _ = writeln!(out, "  There is no suggestion {c}.");
                        show_finding = false;
                        continue;
                    }
                }
            }
            Answer::Key('n') => {
                history.push(state.clone());
                state.counts.rejected += 1;
                state.cursor = Cursor { at: f.start, after: Some((f.start, f.end, f.rule)) };
                continue;
            }
            Answer::Key('e') => {
                let initial = &best;
                if !input.edits_in_place() {
                    let _ = writeln!(out, "  Type the replacement for \"{}\" and press Enter:", f.matched(&state.text));
                }
                match input.line(out, "  replacement: ", initial) {
                    Typed::Text(t) => Some(t),
                    Typed::Cancel => {
                        let _ = writeln!(out, "  Edit cancelled.");
                        show_finding = false;
                        continue;
                    }
                    Typed::End => return interrupted(out, &name, &state),
                }
            }
            Answer::Key('a') => Some(best.clone()).inspect(|_| all = true),
            Answer::Key('d') => {
                state.counts.skipped += remaining;
                break;
            }
            Answer::Key('q') => {
                state.counts.skipped += remaining;
                quit = true;
                break;
            }
            Answer::Key('u') => {
                match history.pop() {
                    Some(previous) => {
                        state = previous;
                        findings = checker.findings(&state.text).0;
                        let _ = writeln!(out, "  Undone.");
                    }
                    None => {
                        let _ = writeln!(out, "  Nothing to undo in this file.");
                        show_finding = false;
                    }
                }
                continue;
            }
            Answer::Key('?') => {
                for line in HELP {
                    let _ = writeln!(out, "{line}");
                }
                show_finding = false;
                continue;
            }
            Answer::Key(_) => {
                let _ = writeln!(out, "  Press one of the keys in brackets (? for help).");
                show_finding = false;
                continue;
            }
            Answer::Interrupt | Answer::End => return interrupted(out, &name, &state),
        };
        let Some(replacement) = chosen else { continue };
        match attempt(&state.text, &replacement) {
            Ok((text, end)) => {
                history.push(state.clone());
                if all {
                    state.accept_all.insert(f.rule);
                }
                state.text = text;
                state.cursor = Cursor { at: end, after: None };
                state.counts.accepted += 1;
                findings = checker.findings(&state.text).0;
            }
            Err(why) => {
                refuse(out, &why);
                show_finding = false;
            }
        }
    }

    let counts = state.counts;
    let summary = format!(
        "{name}: {} accepted, {} rejected, {} skipped{}",
        counts.accepted,
        counts.rejected,
        counts.skipped,
        without_note(without)
    );
    if counts.accepted == 0 || state.text == doc.text {
        let _ = writeln!(out, "\n{summary}; the file is unchanged.");
        return FileEnd::Reviewed { counts, wrote: false, quit, trouble: false };
    }
    let written = write_file(path, &doc, &original, &state.text, &keeps_structure, input, out);
    match written {
        Written::Yes => {
            let _ = writeln!(out, "\n{summary}; written.");
            FileEnd::Reviewed { counts, wrote: true, quit, trouble: false }
        }
        Written::Declined => {
            let _ = writeln!(out, "\n{summary}; not written (the file changed on disk).");
            FileEnd::Reviewed { counts, wrote: false, quit, trouble: false }
        }
        Written::Failed(why) => {
            let _ = writeln!(out, "\n{summary}.");
            eprintln!("mtlint: {name}: not written: {why}; the file is unchanged");
            FileEnd::Reviewed { counts, wrote: false, quit, trouble: true }
        }
        Written::Interrupted => interrupted(out, &name, &state),
    }
}

/// The text with `f`'s span replaced (encoded for the format) and the end of the replacement, or why the
/// replacement cannot be written there.
fn attempt(
    text: &str,
    f: &Finding,
    replacement: &str,
    escape: Escape,
    encoding: document::Encoding,
    keeps_structure: &dyn Fn(&str) -> bool,
) -> Result<(String, usize), String> {
    if !escape.can_write(replacement) {
        return Err("the replacement holds the field delimiter or a line break".into());
    }
    let encoded = escape.encode(replacement);
    if let Err(c) = document::encode(&encoded, encoding) {
        return Err(format!("the file's encoding cannot represent {c:?}"));
    }
    let new = format!("{}{encoded}{}", &text[..f.start], &text[f.end..]);
    if !keeps_structure(&new) {
        return Err("the replacement would change the file's structure".into());
    }
    Ok((new, f.start + encoded.len()))
}

fn without_note(without: usize) -> String {
    match without {
        0 => String::new(),
        1 => " (1 finding offers no replacement: see `mtlint check`)".to_string(),
        n => format!(" ({n} findings offer no replacement: see `mtlint check`)"),
    }
}

fn interrupted(out: &mut dyn Write, name: &str, state: &State) -> FileEnd {
    let _ = writeln!(
        out,
        "\nInterrupted: {name} was not written ({} accepted {} discarded).",
        state.counts.accepted,
        if state.counts.accepted == 1 { "correction" } else { "corrections" }
    );
    FileEnd::Interrupted
}

enum Written {
    Yes,
    Declined,
    Failed(String),
    Interrupted,
}

/// Writes the reviewed text: the structure checked once more, encoded as the file was, and — if the file changed
/// on disk since it was read — only when the reviewer says so.
fn write_file(
    path: &Path,
    doc: &Document,
    original: &[u8],
    text: &str,
    keeps_structure: &dyn Fn(&str) -> bool,
    input: &mut dyn Prompter,
    out: &mut dyn Write,
) -> Written {
    if !keeps_structure(text) {
        return Written::Failed("the corrections would change the file's structure".into());
    }
    let bytes = match doc.encode(text) {
        Ok(b) => b,
        Err(c) => return Written::Failed(format!("the file's encoding cannot represent {c:?}")),
    };
    let now = std::fs::read(path);
    if now.as_deref().ok() != Some(original) {
        let what = if now.is_err() { "can no longer be read" } else { "changed on disk" };
        let _ = writeln!(out, "\n{} {what} since it was read for this review.", path.display());
        loop {
            match input.key(out, "Overwrite it with the reviewed text [y,n]? ") {
                Answer::Key('y') => break,
                Answer::Key('n') => return Written::Declined,
                Answer::Key(_) => {}
                Answer::Interrupt | Answer::End => return Written::Interrupted,
            }
        }
    }
    let _writing = WRITING.lock().unwrap_or_else(|e| e.into_inner());
    match write_atomically(path, &bytes) {
        Ok(()) => Written::Yes,
        Err(e) => Written::Failed(e.to_string()),
    }
}
