//! Entry points shared by the fuzz targets (`fuzz/`) and their regression tests (`tests/fuzz_regressions.rs`).
//!
//! Each takes arbitrary bytes, runs one part of mtlint on them as the command line or the language server would,
//! and returns the first invariant it finds broken; a panic inside is a bug as well (the fuzzer reports both). Not a
//! stable interface.

use crate::check::check_text;
use crate::config::{Config, ConfigChoice, Resolver, Settings};
use crate::document::position::LineIndex;
use crate::document::{self, Document, Encoding, InputFormat, ReadOptions};
use crate::finding::Finding;
use crate::fix::{applicable, apply_encoded};
use crate::lsp::text as lsp_text;
use crate::lsp::transport::{self, Frame, Output};
use crate::pipeline::Checker;
use crate::rules::load::parse_rules;
use crate::rules::{RuleSet, RuleSources};
use lsp_server::Message;
use std::path::Path;
use std::sync::LazyLock;

/// What a target found wrong, described for the crash report.
pub type Outcome = Result<(), String>;

/// Every reader, in the order the first byte of a `readers` or `fix` input selects them.
pub const FORMATS: [InputFormat; 9] = [
    InputFormat::Text,
    InputFormat::Markdown,
    InputFormat::Html,
    InputFormat::Xliff,
    InputFormat::Po,
    InputFormat::Tmx,
    InputFormat::Tsv,
    InputFormat::Csv,
    InputFormat::Jsonl,
];

/// The encodings `--encoding` may name, as the second choice of a `readers` input (`None`: the default detection of
/// UTF-8, UTF-16 and byte-order marks).
const ENCODINGS: [Option<&encoding_rs::Encoding>; 6] = [
    None,
    Some(encoding_rs::GB18030),
    Some(encoding_rs::BIG5),
    Some(encoding_rs::SHIFT_JIS),
    Some(encoding_rs::WINDOWS_1252),
    Some(encoding_rs::EUC_KR),
];

static SETTINGS: LazyLock<Result<Settings, String>> =
    LazyLock::new(|| Resolver::new(ConfigChoice::Isolated, RuleSources::default()).settings_for(None));

fn settings() -> Result<&'static Settings, String> {
    SETTINGS.as_ref().map_err(|e| format!("the built-in rules do not load: {e}"))
}

fn rules() -> Result<&'static RuleSet, String> {
    settings().map(|s| &*s.rules)
}

/// The format selected by a selector byte.
pub fn format_of(selector: u8) -> InputFormat {
    FORMATS.get(usize::from(selector) % FORMATS.len()).copied().unwrap_or(InputFormat::Text)
}

/// Findings lie inside `text`, on character boundaries, with valid rule indices.
pub fn check_spans(text: &str, findings: &[Finding], rules: &RuleSet) -> Outcome {
    for f in findings {
        if f.start > f.end || f.end > text.len() {
            return Err(format!("finding {f:?} outside a text of {} bytes", text.len()));
        }
        if !text.is_char_boundary(f.start) || !text.is_char_boundary(f.end) {
            return Err(format!("finding {f:?} not on character boundaries"));
        }
        if f.rule >= rules.rules.len() {
            return Err(format!("finding {f:?} names no rule"));
        }
    }
    Ok(())
}

/// Lines and columns (Unicode scalar values), the language server's UTF-16 positions and byte offsets agree for
/// every finding: converting each way gives back the same place.
pub fn check_positions(text: &str, findings: &[Finding]) -> Outcome {
    let index = LineIndex::new(text);
    let lsp_index = lsp_text::LineIndex::new(text);
    for f in findings {
        for offset in [f.start, f.end] {
            let position = index.position(offset);
            let line_start = index.line_start(position.line - 1);
            let columns = text.get(line_start..offset).map(|s| s.chars().count() + 1);
            if columns != Some(position.column) {
                return Err(format!("offset {offset}: column {} but {columns:?} characters", position.column));
            }
            let utf16 = lsp_index.position(text, offset);
            let back = lsp_index.offset(text, utf16);
            // A `\r` of a `\r\n` ends the line for the protocol; an offset just after it is the same place.
            if back != offset && !(text.as_bytes().get(offset.wrapping_sub(1)) == Some(&b'\r') && back + 1 == offset) {
                return Err(format!("offset {offset} → {utf16:?} → offset {back}"));
            }
        }
    }
    Ok(())
}

/// `readers`: the first byte selects the reader and the encoding, the rest is the file's bytes, read and checked as
/// `mtlint check --input-format X [--encoding E]` does.
pub fn readers(data: &[u8]) -> Outcome {
    let Some((&selector, bytes)) = data.split_first() else { return Ok(()) };
    let format = format_of(selector);
    let encoding = ENCODINGS.get(usize::from(selector) / FORMATS.len() % ENCODINGS.len()).copied().flatten();
    let decoded = match encoding {
        None => Document::from_bytes("fuzz", bytes),
        Some(legacy) => Document::from_bytes_as("fuzz", bytes, legacy),
    };
    let doc = match decoded {
        Ok(doc) => doc,
        Err(e) if e.offset <= bytes.len() + 1 && e.line >= 1 => return Ok(()),
        Err(e) => return Err(format!("a decoding error outside the file: {e}")),
    };
    // Text read as UTF-8 or UTF-16 is written back byte for byte.
    if matches!(doc.encoding, Encoding::Utf8 { .. } | Encoding::Utf16Le | Encoding::Utf16Be)
        && doc.encode(&doc.text).as_deref() != Ok(bytes)
    {
        return Err("the decoded text does not encode back to the file's bytes".into());
    }
    let settings = settings()?;
    let options = ReadOptions::default();
    let checker = Checker::new("fuzz", &doc.text, format, &options, settings);
    if let Some(p) = checker.layout().problems.iter().find(|p| p.offset > doc.text.len()) {
        return Err(format!("a problem beyond the end of the text: {p:?}"));
    }
    let findings = checker.check(&doc.text);
    check_spans(&doc.text, &findings, &settings.rules)?;
    check_positions(&doc.text, &findings)
}

/// `engine`: the bytes as text (invalid UTF-8 replaced) against every built-in rule.
pub fn engine(data: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(data);
    let rules = rules()?;
    let findings = check_text(&text, rules);
    check_spans(&text, &findings, rules)?;
    check_positions(&text, &findings)?;
    for f in &findings {
        let _ = rules.rule(f.rule).render_message(f.matched(&text), f.suggestions.first().map(String::as_str));
    }
    Ok(())
}

/// `fix`: the first byte selects the reader, the rest (invalid UTF-8 replaced) is fixed as `mtlint fix` does. A
/// round of fixes changes no byte outside the spans it replaces; fixing the fixed text changes nothing.
pub fn fix(data: &[u8]) -> Outcome {
    let Some((&selector, bytes)) = data.split_first() else { return Ok(()) };
    let format = format_of(selector);
    let text = String::from_utf8_lossy(bytes);
    let settings = settings()?;
    let options = ReadOptions::default();
    let checker = Checker::new("fuzz", &text, format, &options, settings);
    if !checker.layout().complete() {
        return Ok(());
    }
    // One round, by hand: only the chosen spans change.
    let findings = checker.check(&text);
    check_spans(&text, &findings, &settings.rules)?;
    let writable: Vec<Finding> =
        findings.into_iter().filter(|f| f.suggestions.first().is_some_and(|s| checker.escape().can_write(s))).collect();
    let chosen = applicable(&text, &writable, true);
    let once = apply_encoded(&text, &chosen, checker.escape());
    let (mut old, mut new) = (0, 0);
    for f in &chosen {
        let kept = text.get(old..f.start).ok_or("chosen fixes overlap")?;
        if once.get(new..new + kept.len()) != Some(kept) {
            return Err(format!("bytes {old}..{} changed outside the fixed spans", f.start));
        }
        new += kept.len() + checker.escape().encode(f.suggestions.first().map_or("", String::as_str)).len();
        old = f.end;
    }
    if once.get(new..) != text.get(old..) {
        return Err("the text after the last fixed span changed".into());
    }
    // The whole fix keeps the file's structure (`mtlint fix` refuses to write one that does not), and fixing its
    // result changes nothing.
    let (fixed, _) = checker.fix();
    let before = checker.layout();
    let after = document::read(format, &fixed, &options);
    if after.segments.len() != before.segments.len() || after.problems.len() > before.problems.len() {
        return Err(format!(
            "the fix changed the file's structure ({} segments and {} problems, then {} and {}): {fixed:?}",
            before.segments.len(),
            before.problems.len(),
            after.segments.len(),
            after.problems.len()
        ));
    }
    let again = Checker::new("fuzz", &fixed, format, &options, settings);
    let (twice, applied) = again.fix();
    if applied != 0 || twice != fixed {
        return Err(format!("fixing the fixed text applied {applied} more fixes: {fixed:?} → {twice:?}"));
    }
    Ok(())
}

/// `rule_file`: the bytes (invalid UTF-8 replaced) as a rule file, loaded and compiled with the built-in rules.
pub fn rule_file(data: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(data);
    match parse_rules("fuzz.toml", &text) {
        Ok(rules) => {
            for rule in &rules {
                if rule.id.is_empty() {
                    return Err("a rule without an id was accepted".into());
                }
            }
            if let Ok(set) = RuleSet::new(rules) {
                let sample = "The National New Office said growth grew.The the the data; 国新办 said 5%.";
                let findings = check_text(sample, &set);
                check_spans(sample, &findings, &set)?;
            }
            Ok(())
        }
        Err(errors) => {
            let lines = text.lines().count().max(1);
            match errors.iter().find(|e| e.line == 0 || e.line > lines + 1 || e.column == 0) {
                Some(e) => Err(format!("an error placed outside the file: {e}")),
                None => Ok(()),
            }
        }
    }
}

/// `config`: the bytes (invalid UTF-8 replaced) as `mtlint.toml`, validated and applied to the built-in rules.
pub fn config(data: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(data);
    match Config::parse(Path::new("fuzz/mtlint.toml"), &text) {
        Ok(config) => {
            let rules = rules()?;
            for path in ["fuzz/docs/a.txt", "elsewhere/b.md", "fuzz/x/y/z.xlf"] {
                let states = config.rule_states(rules, Some(Path::new(path)));
                if states.len() != rules.rules.len() {
                    return Err(format!("{} rule states for {} rules", states.len(), rules.rules.len()));
                }
                let _ = config.excludes(Path::new(path));
            }
            Ok(())
        }
        Err(e) => {
            let lines = text.lines().count().max(1);
            if e.line == 0 || e.line > lines + 1 || e.column == 0 {
                return Err(format!("an error placed outside the file: {e}"));
            }
            Ok(())
        }
    }
}

/// `lsp`: the bytes as what a client writes to the language server: framed messages are read and decoded as the
/// server's reader does, and the text of `didOpen`/`didChange` notifications is edited as the server does, with
/// byte offsets and protocol positions converted both ways.
pub fn lsp(data: &[u8]) -> Outcome {
    let output = Output::discard();
    let mut input = data;
    let mut text = String::new();
    // A frame is read per round; a reader that stops consuming input would loop, so rounds are bounded.
    for _ in 0..=data.len() {
        let message = match transport::read_frame(&mut input) {
            Ok(Frame::Body(body)) => transport::parse(&body, &output),
            Ok(Frame::Skipped(_)) => None,
            Ok(Frame::End) | Err(_) => break,
        };
        let Some(Message::Notification(notification)) = message else { continue };
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(params) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(notification.params)
                {
                    text = params.text_document.text;
                    let _ = lsp_text::uri_to_path(params.text_document.uri.as_str());
                }
            }
            "textDocument/didChange" => {
                if let Ok(params) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(notification.params)
                {
                    for change in params.content_changes {
                        if let Some(range) = change.range {
                            let index = lsp_text::LineIndex::new(&text);
                            for position in [range.start, range.end] {
                                let offset = index.offset(&text, position);
                                if offset != lsp_text::offset_at(&text, position) || !text.is_char_boundary(offset) {
                                    return Err(format!("{position:?} has two offsets in {text:?}"));
                                }
                                let back = index.position(&text, offset);
                                if index.offset(&text, back) != offset {
                                    return Err(format!("{position:?} → {offset} → {back:?} is not stable"));
                                }
                            }
                        }
                        lsp_text::apply_change(&mut text, change);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The language server's position of byte `offset`: 0-based line (`\n`, `\r\n` and a lone `\r` end a line) and
/// UTF-16 code units into it; and the offset it converts that position back to.
pub fn lsp_position(text: &str, offset: usize) -> ((u32, u32), usize) {
    let index = lsp_text::LineIndex::new(text);
    let position = index.position(text, offset);
    ((position.line, position.character), index.offset(text, position))
}
