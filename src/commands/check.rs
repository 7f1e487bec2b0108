//! `mtlint check` and `mtlint fix`: read each input, check it, filter the findings (configuration, suppressions,
//! baseline), then report them, print the diff of the fixes, or apply them.
//!
//! Documents are checked in parallel in batches; their reports are written in input order, so the output is the same
//! whatever the number of threads, and memory stays bounded by the batch size.

use super::{Exit, use_color};
use crate::baseline::{self, Baseline};
use crate::cli::CheckArgs;
use crate::config::Resolver;
use crate::document::{self, InputFormat, ReadOptions};
use crate::finding::{Finding, Severity};
use crate::fix::write_atomically;
use crate::input::{self, Loaded, Source};
use crate::pipeline::{self, Checker};
use crate::report::{self, DocumentReport, RunSummary};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

/// Documents checked together before their reports are written.
const BATCH: usize = 64;

/// What checking one document produced, for the main thread to report in order.
#[derive(Default)]
struct Outcome {
    report: Option<DocumentReport>,
    /// `--diff`: the unified diff of the fixes.
    diff: Option<String>,
    /// `fix` of standard input: the fixed bytes, for standard output.
    fixed_bytes: Option<Vec<u8>>,
    applied: usize,
    /// Problems to print; `trouble` makes the run exit with 2.
    errors: Vec<String>,
    notes: Vec<String>,
    trouble: bool,
    /// A finding at or above the failing severity, or a score above the maximum penalty.
    fails: bool,
    baseline_entries: Vec<baseline::Entry>,
}

struct Context<'a> {
    args: &'a CheckArgs,
    fix: bool,
    resolver: Resolver,
    baseline: Option<Baseline>,
}

/// Runs `check` (when `fix` is false) or `fix`.
pub fn run(args: &CheckArgs, fix: bool) -> Exit {
    let resolver = match Resolver::for_run(args.config.as_deref(), args.isolated, args.selection.sources()) {
        Ok(resolver) => resolver,
        Err(message) => {
            super::print_error(&message);
            return Exit::Trouble;
        }
    };
    let baseline = match &args.baseline {
        Some(path) => match Baseline::read(path) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("mtlint: {e}");
                return Exit::Trouble;
            }
        },
        None => None,
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
    let stdin_fix = fix && sources.iter().any(|(s, _)| *s == Source::Stdin);
    let mut output = match Output::open(args.output.as_deref(), stdin_fix) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("mtlint: {e}");
            return Exit::Trouble;
        }
    };
    let color = args.output.is_none() && !stdin_fix && use_color(args.color);
    let mut reporter = report::reporter(args.format, color);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(args.jobs.unwrap_or(0)).build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("mtlint: cannot start worker threads: {e}");
            return Exit::Trouble;
        }
    };
    let progress = progress_bar(sources.len());
    let context = Context { args, fix, resolver, baseline };
    let mut summary = RunSummary { fixed: fix.then_some(0), ..RunSummary::default() };
    let mut fails = false;
    let mut printed = BTreeSet::new();
    let mut entries = Vec::new();
    for batch in sources.chunks(BATCH) {
        let outcomes: Vec<Outcome> =
            pool.install(|| batch.par_iter().map(|(s, explicit)| process(&context, s, *explicit)).collect());
        for outcome in outcomes {
            progress.inc(1);
            for e in outcome.errors {
                // A broken configuration is reported once, not once per file.
                if printed.insert(e.clone()) {
                    progress.suspend(|| eprintln!("mtlint: {e}"));
                }
            }
            for n in outcome.notes {
                progress.suspend(|| eprintln!("mtlint: {n}"));
            }
            trouble |= outcome.trouble;
            fails |= outcome.fails;
            entries.extend(outcome.baseline_entries);
            if let Some(fixed) = summary.fixed.as_mut() {
                *fixed += outcome.applied;
            }
            let written = (|| -> io::Result<()> {
                if let Some(bytes) = &outcome.fixed_bytes {
                    let mut stdout = io::stdout().lock();
                    stdout.write_all(bytes)?;
                    stdout.flush()?;
                }
                if let Some(diff) = &outcome.diff {
                    output.writer().write_all(diff.as_bytes())?;
                }
                if let Some(doc) = &outcome.report {
                    summary.documents += 1;
                    for r in &doc.records {
                        if let Some(count) = summary.by_severity.get_mut(r.severity as usize) {
                            *count += 1;
                        }
                        summary.fixable += usize::from(r.fixable);
                    }
                    summary.score.absorb(&doc.score);
                    if outcome.diff.is_none() && args.write_baseline.is_none() {
                        reporter.document(output.writer(), doc)?;
                    }
                }
                Ok(())
            })();
            if let Err(e) = written {
                return write_failed(e, trouble);
            }
        }
    }
    progress.finish_and_clear();
    if let Some(path) = &args.write_baseline {
        let count = entries.len();
        if let Err(e) = write_atomically_new(path, baseline::render(entries).as_bytes()) {
            eprintln!("mtlint: {}: cannot write the baseline: {e}", path.display());
            return Exit::Trouble;
        }
        eprintln!("mtlint: recorded {count} findings in the baseline {}", path.display());
        return if trouble { Exit::Trouble } else { Exit::Clean };
    }
    if !args.diff
        && let Err(e) = reporter.finish(output.writer(), &summary)
    {
        return write_failed(e, trouble);
    }
    if let Err(e) = output.close() {
        eprintln!("mtlint: cannot write the report: {e}");
        return Exit::Trouble;
    }
    // The rules and configurations are freed by the process's exit: dropping a 40,000-rule set piece by piece
    // takes longer than checking a small file.
    std::mem::forget(context);
    if trouble {
        Exit::Trouble
    } else if fails {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

fn write_failed(e: io::Error, trouble: bool) -> Exit {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return if trouble { Exit::Trouble } else { Exit::Findings };
    }
    eprintln!("mtlint: cannot write the report: {e}");
    Exit::Trouble
}

/// Checks one document: everything but the printing.
fn process(context: &Context, source: &Source, explicit: bool) -> Outcome {
    let args = context.args;
    let mut outcome = Outcome::default();
    let doc = match input::read_limited(source, args.encoding, args.max_file_size) {
        Loaded::Document(d) => d,
        Loaded::Binary => {
            if explicit {
                outcome.notes.push(format!("{}: skipped: binary file", source.display()));
            }
            return outcome;
        }
        Loaded::Failed(e) => {
            outcome.errors.push(e.to_string());
            outcome.trouble = true;
            return outcome;
        }
    };
    let path = match source {
        Source::File(p) => Some(p.as_path()),
        Source::Stdin => None,
    };
    let settings = match context.resolver.settings_for(path) {
        Ok(s) => s,
        Err(message) => {
            outcome.errors.extend(message.lines().map(str::to_string));
            outcome.trouble = true;
            return outcome;
        }
    };
    if !explicit && path.is_some_and(|p| settings.config.excludes(p)) {
        return outcome;
    }
    let format = args.input_format.unwrap_or_else(|| path.map_or(InputFormat::Text, InputFormat::from_path));
    let options = ReadOptions { columns: args.columns.clone() };
    let checker = Checker::new(&doc.path, &doc.text, format, &options, &settings);
    let layout = checker.layout();
    for problem in &layout.problems {
        let (line, _) = crate::rules::load::line_column(&doc.text, problem.offset);
        outcome.errors.push(format!("{}:{line}: {}", doc.path, problem.message));
        outcome.trouble |= problem.fatal;
    }
    if (context.fix || args.diff) && !layout.complete() {
        outcome.errors.push(format!("{}: not fixed: the file could not be read completely", doc.path));
        outcome.trouble = true;
        return outcome;
    }
    let mut findings;
    // The document as reported: the fixed text after `fix`, otherwise the document itself (not copied).
    let fixed_doc;
    let mut reported_doc = &doc;
    if args.diff {
        let (fixed, _) = checker.fix();
        outcome.diff = Some(report::diff::unified(&doc.path, &doc.text, &fixed));
        findings = checker.check(&doc.text);
    } else if context.fix {
        let (fixed, applied) = checker.fix();
        // A fix must leave the file's structure as it was: the same units, no new problem.
        let after = document::read(format, &fixed, &options);
        if after.segments.len() != layout.segments.len() || after.problems.len() > layout.problems.len() {
            outcome.errors.push(format!(
                "{}: not fixed: the corrections would change the file's structure; the file is unchanged",
                doc.path
            ));
            outcome.trouble = true;
            return outcome;
        }
        let bytes = match doc.encode(&fixed) {
            Ok(b) => b,
            Err(c) => {
                outcome.errors.push(format!(
                    "{}: not fixed: a fix writes {c:?}, which the file's encoding cannot represent; the file is unchanged",
                    doc.path
                ));
                outcome.trouble = true;
                return outcome;
            }
        };
        match source {
            Source::Stdin => outcome.fixed_bytes = Some(bytes),
            Source::File(p) if fixed != doc.text => {
                if let Err(e) = write_atomically(p, &bytes) {
                    outcome
                        .errors
                        .push(format!("{}: cannot write the fixed file: {e}; the file is unchanged", doc.path));
                    outcome.trouble = true;
                    return outcome;
                }
            }
            Source::File(_) => {}
        }
        outcome.applied = applied;
        fixed_doc = document::Document { path: doc.path.clone(), text: fixed, encoding: doc.encoding };
        reported_doc = &fixed_doc;
        findings = checker.check(&reported_doc.text);
    } else {
        findings = checker.check(&doc.text);
    }
    if let Some(baseline) = &context.baseline {
        let mut mine = baseline.for_document(&doc.path);
        findings.retain(|f| !mine.excuses(&baseline::entry(&doc.path, &reported_doc.text, f, &settings.rules)));
    }
    if args.write_baseline.is_some() {
        outcome.baseline_entries =
            findings.iter().map(|f| baseline::entry(&doc.path, &reported_doc.text, f, &settings.rules)).collect();
    }
    let score = pipeline::document_score(&reported_doc.text, &findings, &settings);
    let fail_on = args.fail_on.map(|f| f.threshold()).or(settings.config.fail_on).unwrap_or(Severity::Warning);
    let max_penalty = args.max_penalty.or(settings.config.max_penalty);
    let over_penalty = max_penalty.is_some_and(|max| score.per_thousand_words() > max);
    if over_penalty {
        outcome.notes.push(format!(
            "{}: quality score {} penalty points per 1,000 words exceeds the maximum {}",
            doc.path,
            score.per_thousand_words(),
            max_penalty.unwrap_or_default()
        ));
    }
    outcome.fails = over_penalty || findings.iter().any(|f: &Finding| f.severity >= fail_on);
    let records = report::records(reported_doc, &findings, &settings.rules, &score);
    outcome.report = Some(DocumentReport { path: doc.path.clone(), records, score });
    outcome
}

/// Where the report goes: standard output, standard error (when `fix` prints fixed text on standard output), or a
/// file written atomically when the run is done.
enum Output {
    Stdout(BufWriter<io::Stdout>),
    Stderr(io::Stderr),
    File { tmp: BufWriter<tempfile::NamedTempFile>, path: std::path::PathBuf },
}

impl Output {
    fn open(path: Option<&Path>, to_stderr: bool) -> Result<Output, String> {
        match path {
            Some(path) => {
                let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
                let tmp = tempfile::Builder::new()
                    .prefix(".mtlint-report-")
                    .tempfile_in(dir)
                    .map_err(|e| format!("{}: cannot write the report: {e}", path.display()))?;
                Ok(Output::File { tmp: BufWriter::new(tmp), path: path.to_path_buf() })
            }
            None if to_stderr => Ok(Output::Stderr(io::stderr())),
            None => Ok(Output::Stdout(BufWriter::new(io::stdout()))),
        }
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Output::Stdout(w) => w,
            Output::Stderr(w) => w,
            Output::File { tmp, .. } => tmp,
        }
    }

    /// Flushes, and for a file moves the finished report into place.
    fn close(self) -> io::Result<()> {
        match self {
            Output::Stdout(mut w) => w.flush(),
            Output::Stderr(mut w) => w.flush(),
            Output::File { tmp, path } => {
                let tmp = tmp.into_inner().map_err(|e| e.into_error())?;
                tmp.as_file().sync_all()?;
                tmp.persist(&path).map(|_| ()).map_err(|e| e.error)
            }
        }
    }
}

/// Writes a new file (or replaces one) atomically.
fn write_atomically_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".mtlint-").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map(|_| ()).map_err(|e| e.error)
}

/// A progress bar on standard error for long runs on a terminal; hidden in CI logs and pipes.
fn progress_bar(documents: usize) -> indicatif::ProgressBar {
    let interactive = io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !interactive || documents < 50 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(documents as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents {elapsed}") {
        bar.set_style(style);
    }
    bar
}
