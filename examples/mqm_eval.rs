//! Measures mtlint against professional translators: runs the built-in rules on the machine translations of an MQM
//! annotation file (WMT format: system, doc, docSegId, globalSegId, rater, source, target with the error span in
//! `<v>…</v>`, category, severity) and reports how often mtlint's findings agree with the raters.
//!
//! ```sh
//! cargo run --release --example mqm_eval -- ../shared/mqm-dev/mqm_generalMT2023_zhen.dev.tsv [--json out.json] [--no-source]
//! ```
//!
//! Each system's translation of each source document is checked as one document (segments in order, each with its
//! Chinese source unless `--no-source`), so document-level checks (consistency, repetition) run as they would on a
//! real release. A finding *agrees* with the raters when at least half of its span lies inside spans that raters
//! marked on the same system and segment.

use mtlint::check::check_segments;
use mtlint::document::layout::Segment;
use mtlint::finding::Severity;
use mtlint::{RuleSet, RuleSources};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::ops::Range;

/// One error mark of one rater.
#[derive(Debug, Clone)]
struct Mark {
    category: String,
    severity: String,
    /// The span in the target (without the `<v>` tags); `None` when the rater marked the source (omissions).
    span: Option<Range<usize>>,
}

#[derive(Debug, Default, Clone)]
struct Seg {
    source: String,
    target: String,
    marks: Vec<Mark>,
    /// Raters who said the segment has no error.
    clean_raters: BTreeSet<String>,
    raters: BTreeSet<String>,
}

impl Seg {
    /// All raters (at least three) called it error-free.
    fn all_clean(&self) -> bool {
        self.raters.len() >= 3 && self.clean_raters.len() == self.raters.len()
    }
    fn has_major(&self) -> bool {
        self.marks.iter().any(|m| m.severity == "Major")
    }
}

/// Decodes the file's backslash escapes (its README: "no quoting, `\` escapes"): `\"`, `\\`, `\t`, `\n`. Every
/// straight quotation mark in the file is written `\"` (there is no bare one), so the raters saw `"`, not a backslash.
fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(other @ ('"' | '\\')) => out.push(other),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The target without `<v>` tags, and the marked span if any.
fn strip_marks(target: &str) -> (String, Option<Range<usize>>) {
    match (target.find("<v>"), target.find("</v>")) {
        (Some(a), Some(b)) if a < b => {
            let text = format!("{}{}{}", &target[..a], &target[a + 3..b], &target[b + 4..]);
            (text, Some(a..b - 3))
        }
        _ => (target.replace("<v>", "").replace("</v>", ""), None),
    }
}

type Key = (String, String); // system, doc

fn load(path: &str) -> Result<BTreeMap<Key, BTreeMap<u32, Seg>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut docs: BTreeMap<Key, BTreeMap<u32, Seg>> = BTreeMap::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 9 {
            return Err(format!("{path}:{}: expected 9 tab-separated columns, found {}", n + 1, f.len()));
        }
        let seg_id: u32 = f[2].parse().map_err(|_| format!("{path}:{}: docSegId {:?} is not a number", n + 1, f[2]))?;
        let (target, span) = strip_marks(&unescape(f[6]));
        let source_marked = f[5].contains("<v>");
        let (source, _) = strip_marks(&unescape(f[5]));
        let seg = docs.entry((f[0].to_string(), f[1].to_string())).or_default().entry(seg_id).or_default();
        seg.source = source;
        seg.target = target;
        let rater = f[4].to_string();
        seg.raters.insert(rater.clone());
        if f[7] == "No-error" {
            seg.clean_raters.insert(rater);
        } else {
            let span = if source_marked { None } else { span };
            seg.marks.push(Mark { category: f[7].to_string(), severity: f[8].to_string(), span });
        }
    }
    Ok(docs)
}

/// One finding, placed in its segment.
struct Placed {
    key: Key,
    seg: u32,
    rule: String,
    severity: Severity,
    span: Range<usize>,
    agrees: bool,
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// How much of `span` lies inside the union of `marks`.
fn covered(span: &Range<usize>, marks: &[Range<usize>]) -> usize {
    (span.start..span.end).filter(|&i| marks.iter().any(|m| m.start <= i && i < m.end)).count()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json_at = args.iter().position(|a| a == "--json");
    let positional = args.iter().enumerate().find(|(i, a)| !a.starts_with("--") && json_at.is_none_or(|j| *i != j + 1));
    let Some((_, path)) = positional else {
        eprintln!("usage: mqm_eval MQM.tsv [--json OUT.json] [--no-source]");
        std::process::exit(2);
    };
    let json_out = json_at.and_then(|i| args.get(i + 1));
    let with_source = !args.iter().any(|a| a == "--no-source");
    let docs = match load(path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("mqm_eval: {e}");
            std::process::exit(2);
        }
    };
    let rules = RuleSet::load(&RuleSources::default()).expect("the built-in rules are valid");
    let started = std::time::Instant::now();
    let mut placed = Vec::new();
    for (key, segs) in &docs {
        // The document: each segment's target, separated by blank lines, with its source.
        let mut text = String::new();
        let mut segments = Vec::new();
        let mut ids = Vec::new();
        for (id, seg) in segs {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let start = text.len();
            // A segment's own line breaks stay inside it.
            text.push_str(&seg.target);
            segments.push(Segment {
                id: Some(id.to_string()),
                source: with_source.then(|| seg.source.clone()),
                range: start..text.len(),
            });
            ids.push(*id);
        }
        for f in check_segments(&text, &segments, &rules) {
            let Some(i) = segments.iter().position(|s| s.range.start <= f.start && f.start <= s.range.end) else {
                continue;
            };
            let seg = &segs[&ids[i]];
            let base = segments[i].range.start;
            let span = f.start - base..(f.end - base).min(seg.target.len());
            let marks: Vec<Range<usize>> = seg.marks.iter().filter_map(|m| m.span.clone()).collect();
            let len = span.len().max(1);
            let agrees = if span.is_empty() {
                marks.iter().any(|m| m.start <= span.start && span.start <= m.end)
            } else {
                covered(&span, &marks) * 2 >= len
            };
            placed.push(Placed {
                key: key.clone(),
                seg: ids[i],
                rule: rules.rule(f.rule).id.clone(),
                severity: f.severity,
                span,
                agrees,
            });
        }
    }
    let elapsed = started.elapsed();
    let report = Report::build(&docs, &placed);
    // A closed pipe (`| head`) ends the output quietly instead of panicking.
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "{}", report.table(&docs, &placed))
        .and_then(|()| writeln!(out, "checked {} documents in {:.2} s", docs.len(), elapsed.as_secs_f64()));
    if let Some(out) = json_out
        && let Err(e) = std::fs::write(out, serde_json::to_string_pretty(&report.json).unwrap_or_default() + "\n")
    {
        eprintln!("mqm_eval: {out}: {e}");
        std::process::exit(2);
    }
}

struct Report {
    json: serde_json::Value,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { (a as f64 / b as f64 * 1000.0).round() / 1000.0 }
}

/// The 20 findings that agree with no rater, most likely false first: on segments that more raters called
/// error-free, then with fewer marks of any kind, then without a Major mark.
fn likely_false<'a>(docs: &BTreeMap<Key, BTreeMap<u32, Seg>>, placed: &'a [Placed]) -> Vec<&'a Placed> {
    let mut out: Vec<&Placed> = placed.iter().filter(|p| !p.agrees).collect();
    out.sort_by_key(|p| {
        let seg = &docs[&p.key][&p.seg];
        (std::cmp::Reverse(seg.clean_raters.len()), seg.marks.len(), seg.has_major())
    });
    out.truncate(20);
    out
}

/// How the raters judged a segment, in a few words.
fn cleanness(seg: &Seg) -> String {
    if seg.all_clean() {
        "all raters: no error".to_string()
    } else {
        format!("{} of {} raters: no error, {} marks", seg.clean_raters.len(), seg.raters.len(), seg.marks.len())
    }
}

/// The MQM category families whose recall is reported.
const FAMILIES: &[(&str, &str)] = &[
    ("Non-translation!", "Non-translation!"),
    ("Fluency/Punctuation", "Fluency/Punctuation"),
    ("Terminology/*", "Terminology"),
    ("Fluency/Spelling", "Fluency/Spelling"),
    ("Locale convention/*", "Locale convention"),
    ("Accuracy/Omission*", "Accuracy/Omission"),
];

impl Report {
    fn build(docs: &BTreeMap<Key, BTreeMap<u32, Seg>>, placed: &[Placed]) -> Report {
        let total = placed.len();
        let agree = placed.iter().filter(|p| p.agrees).count();
        let errors: Vec<&Placed> = placed.iter().filter(|p| p.severity == Severity::Error).collect();
        let errors_agree = errors.iter().filter(|p| p.agrees).count();
        let mut by_severity = serde_json::Map::new();
        for sev in [Severity::Error, Severity::Warning, Severity::Info] {
            let of: Vec<&Placed> = placed.iter().filter(|p| p.severity == sev).collect();
            let ok = of.iter().filter(|p| p.agrees).count();
            by_severity.insert(
                sev.to_string(),
                serde_json::json!({"findings": of.len(), "agree": ok, "precision": ratio(ok, of.len())}),
            );
        }
        // Segment precision: segments with an error finding that some rater marked Major.
        let error_segments: BTreeSet<(&Key, u32)> = errors.iter().map(|p| (&p.key, p.seg)).collect();
        let major = error_segments.iter().filter(|(k, s)| docs[*k][s].has_major()).count();
        // Clean segments (all raters: no error) with any finding.
        let clean: BTreeSet<(&Key, u32)> = docs
            .iter()
            .flat_map(|(k, segs)| segs.iter().filter(|(_, s)| s.all_clean()).map(move |(id, _)| (k, *id)))
            .collect();
        let flagged: BTreeSet<(&Key, u32)> = placed.iter().map(|p| (&p.key, p.seg)).collect();
        let clean_flagged = clean.iter().filter(|c| flagged.contains(c)).count();
        // Recall per category family: marked spans overlapped by an agreeing finding (source-side marks: any finding
        // on the segment).
        let mut recall = serde_json::Map::new();
        for (name, prefix) in FAMILIES {
            let mut marked = 0;
            let mut found = 0;
            for (k, segs) in docs {
                for (id, seg) in segs {
                    for m in seg.marks.iter().filter(|m| m.category.starts_with(prefix)) {
                        marked += 1;
                        let hit = placed.iter().filter(|p| &p.key == k && p.seg == *id).any(|p| match &m.span {
                            Some(span) => {
                                p.agrees
                                    && (overlap(&p.span, span) > 0
                                        || (p.span.is_empty() && span.contains(&p.span.start)))
                            }
                            None => true,
                        });
                        found += usize::from(hit);
                    }
                }
            }
            recall.insert(
                name.to_string(),
                serde_json::json!({"marked": marked, "found": found, "recall": ratio(found, marked)}),
            );
        }
        let mut by_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for p in placed {
            let e = by_rule.entry(&p.rule).or_default();
            e.0 += 1;
            e.1 += usize::from(p.agrees);
        }
        let mut rules: Vec<serde_json::Value> = by_rule
            .iter()
            .map(|(r, (n, ok))| serde_json::json!({"rule": r, "findings": n, "agree": ok, "precision": ratio(*ok, *n)}))
            .collect();
        rules.sort_by(|a, b| {
            let key = |v: &serde_json::Value| {
                (v["precision"].as_f64().unwrap_or(0.0), std::cmp::Reverse(v["findings"].as_u64().unwrap_or(0)))
            };
            key(a)
                .partial_cmp(&key(b))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a["rule"].as_str().cmp(&b["rule"].as_str()))
        });
        let segments: usize = docs.values().map(|s| s.len()).sum();
        Report {
            json: serde_json::json!({
                "documents": docs.len(),
                "segments": segments,
                "findings": total,
                "span_precision": {"all": ratio(agree, total), "error": ratio(errors_agree, errors.len()), "agree": agree},
                "by_severity": by_severity,
                "segment_precision": {"segments_with_error_findings": error_segments.len(), "with_major_mark": major, "precision": ratio(major, error_segments.len())},
                "clean_segments": {"segments": clean.len(), "flagged": clean_flagged, "share": ratio(clean_flagged, clean.len())},
                "recall": recall,
                "rules": rules,
                "likely_false": likely_false(docs, placed).iter().map(|p| {
                    let seg = &docs[&p.key][&p.seg];
                    serde_json::json!({
                        "system": p.key.0, "doc": p.key.1, "segment": p.seg, "rule": p.rule,
                        "text": &seg.target[p.span.clone()], "raters": cleanness(seg),
                    })
                }).collect::<Vec<_>>(),
            }),
        }
    }

    fn table(&self, docs: &BTreeMap<Key, BTreeMap<u32, Seg>>, placed: &[Placed]) -> String {
        let j = &self.json;
        let mut s = String::new();
        let _ = writeln!(s, "documents {}  segments {}  findings {}", j["documents"], j["segments"], j["findings"]);
        let _ = writeln!(s, "span precision (all findings)     {}", j["span_precision"]["all"]);
        let _ = writeln!(s, "span precision (error findings)   {}", j["span_precision"]["error"]);
        for sev in ["error", "warning", "info"] {
            let v = &j["by_severity"][sev];
            let _ = writeln!(
                s,
                "  {sev:8} {:>5} findings, {:>5} agree, precision {}",
                v["findings"], v["agree"], v["precision"]
            );
        }
        let sp = &j["segment_precision"];
        let _ = writeln!(
            s,
            "segment precision                 {} ({} of {} segments with an error finding have a Major mark)",
            sp["precision"], sp["with_major_mark"], sp["segments_with_error_findings"]
        );
        let c = &j["clean_segments"];
        let _ = writeln!(
            s,
            "clean segments flagged            {} ({} of {} segments all raters called No-error)",
            c["share"], c["flagged"], c["segments"]
        );
        let _ = writeln!(s, "recall by MQM category:");
        for (name, _) in FAMILIES {
            let r = &j["recall"][*name];
            let _ = writeln!(s, "  {name:22} {} ({} of {} marked spans)", r["recall"], r["found"], r["marked"]);
        }
        let _ = writeln!(s, "rules, worst precision first:");
        for r in j["rules"].as_array().into_iter().flatten() {
            let _ = writeln!(
                s,
                "  {:40} {:>5} findings, precision {}",
                r["rule"].as_str().unwrap_or(""),
                r["findings"],
                r["precision"]
            );
        }
        let _ = writeln!(s, "findings most likely false (no overlap; segments the raters found cleanest first):");
        for p in likely_false(docs, placed) {
            let seg = &docs[&p.key][&p.seg];
            let t = &seg.target;
            let from = t[..p.span.start].char_indices().rev().nth(40).map_or(0, |(i, _)| i);
            let to = t[p.span.end..].char_indices().nth(40).map_or(t.len(), |(i, _)| p.span.end + i);
            let _ = writeln!(
                s,
                "  {} [{}] {} ({}): …{}[[{}]]{}…",
                p.key.0,
                p.rule,
                p.seg,
                cleanness(seg),
                &t[from..p.span.start],
                &t[p.span.clone()],
                &t[p.span.end..to]
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_escapes_are_decoded_and_other_backslashes_kept() {
        assert_eq!(
            unescape(r#"the \"shelf\" of a C:\\ path\tand\nmore \d"#),
            "the \"shelf\" of a C:\\ path\tand\nmore \\d"
        );
        assert_eq!(unescape("trailing \\"), "trailing \\");
    }

    #[test]
    fn marks_are_removed_and_the_span_kept() {
        let (text, span) = strip_marks(&unescape(r#"the <v>\"</v>shelf\""#));
        assert_eq!(text, "the \"shelf\"");
        assert_eq!(span, Some(4..5));
    }
}
