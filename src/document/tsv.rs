//! Tab- and comma-separated files: one segment per row, the target cell checked against the source cell.
//!
//! Rows are parsed with the `csv` crate (quoting as the format has it: a field that starts with `"` is quoted, `""`
//! inside it stands for `"`). The crate gives each record's byte position and its decoded fields; the raw bytes of
//! every field are then located in the file from that position, and the walk is checked against the crate's fields,
//! so a row is only checked when its mapping is exact. In a quoted field each doubled quote is an `encoded` piece
//! and the rest is `verbatim`; an unquoted field is verbatim.
//!
//! Columns: `ReadOptions::columns` = (source, target), by header name or 1-based number. Without it, a first row
//! whose cells are named like a source (`source`, `src`, `zh`, `chinese`) and a target (`target`, `tgt`,
//! `translation`, `en`, `english`) is the header and names the columns; otherwise columns 1 and 2 are read and
//! there is no header. The segment id is the row's 1-based line number.
//!
//! Problems: a row with another number of fields than the first row is reported and skipped (non-fatal: a fix never
//! writes into it); a quoted field that is never closed swallows the rest of the file, so it is fatal.
//!
//! Writing fixes: a fix into a quoted field must double `"` ([`Escape::Csv`]); in an unquoted field a `"` is an
//! ordinary character and must not be doubled. The escape is chosen per file: [`Escape::Csv`] when any target field
//! that was read is quoted (a doubled quote in an unquoted field is wrong text but keeps the row's structure, a lone
//! quote in a quoted field would break it), [`Escape::Unquoted`] when none is. A suggestion containing the
//! delimiter, a line break or a quote cannot be written into an UNQUOTED field (the field would have to be quoted as a
//! whole; in a comma-separated file the full-width comma fix `，` → `, ` is such a case): in a file with both kinds of
//! field the layout lists the unquoted ones ([`Layout::unquoted`]), and such a fix there is reported but not applied.
//! (It once was, splitting the row, so that `fix` refused the whole file; found by the `fix` fuzz target.)

use super::layout::{Escape, Layout, LayoutBuilder};
use std::ops::Range;

const SOURCE_NAMES: [&str; 4] = ["source", "src", "zh", "chinese"];
const TARGET_NAMES: [&str; 5] = ["target", "tgt", "translation", "en", "english"];

/// Tab-separated values.
pub fn read(text: &str, options: &super::ReadOptions) -> Layout {
    read_delimited(text, options, b'\t')
}

/// Comma-separated values.
pub fn read_csv(text: &str, options: &super::ReadOptions) -> Layout {
    read_delimited(text, options, b',')
}

/// A run of a field's text and the file bytes it came from.
#[derive(Debug, Clone)]
struct Part {
    file: Range<usize>,
    escaped: bool,
}

/// A field located in the file.
#[derive(Debug, Clone, Default)]
struct Field {
    parts: Vec<Part>,
    decoded: String,
    quoted: bool,
    /// The bytes read literally: the whole of an unquoted field, or what follows a quoted field's closing quote.
    literal: Option<Range<usize>>,
}

/// Locates the raw bytes of a record's fields, starting at the record's byte position: the offset where the record
/// really starts, and its fields; `Err(offset)` of a quoted field that runs to the end of the file.
fn locate(text: &str, mut at: usize, delimiter: u8, expected: usize) -> Result<(usize, Vec<Field>), usize> {
    let bytes = text.as_bytes();
    let is_end = |b: u8| b == delimiter || b == b'\n' || b == b'\r';
    // The csv crate skips blank lines before a record; its position may be before them.
    while matches!(bytes.get(at), Some(b'\n' | b'\r')) {
        at += 1;
    }
    let row_start = at;
    let mut fields = Vec::with_capacity(expected);
    loop {
        let mut field = Field::default();
        let mut run = at;
        if bytes.get(at) == Some(&b'"') {
            field.quoted = true;
            let open = at;
            at += 1;
            run = at;
            loop {
                match bytes.get(at) {
                    None => return Err(open),
                    Some(b'"') if bytes.get(at + 1) == Some(&b'"') => {
                        if run < at {
                            field.parts.push(Part { file: run..at, escaped: false });
                            field.decoded.push_str(&text[run..at]);
                        }
                        field.parts.push(Part { file: at..at + 2, escaped: true });
                        field.decoded.push('"');
                        at += 2;
                        run = at;
                    }
                    Some(b'"') => {
                        if run < at {
                            field.parts.push(Part { file: run..at, escaped: false });
                            field.decoded.push_str(&text[run..at]);
                        }
                        at += 1;
                        run = at;
                        break;
                    }
                    Some(_) => at += 1,
                }
            }
        }
        // An unquoted field, or what follows a closing quote (read literally by the csv crate), up to the delimiter.
        while bytes.get(at).is_some_and(|&b| !is_end(b)) {
            at += 1;
        }
        if run < at {
            field.parts.push(Part { file: run..at, escaped: false });
            field.decoded.push_str(&text[run..at]);
            field.literal = Some(run..at);
        }
        fields.push(field);
        if bytes.get(at) == Some(&delimiter) {
            at += 1;
        } else {
            break;
        }
    }
    Ok((row_start, fields))
}

fn column_index(spec: &str, header: &[String]) -> Result<(usize, bool), String> {
    if let Ok(n) = spec.parse::<usize>() {
        return match n {
            0 => Err("columns are numbered from 1".into()),
            n => Ok((n - 1, false)),
        };
    }
    header
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(spec.trim()))
        .map(|i| (i, true))
        .ok_or_else(|| format!("no column named `{spec}` in the first row"))
}

/// The header's source and target columns, when the first row names them.
fn detect_header(header: &[String]) -> Option<(usize, usize)> {
    let find = |names: &[&str]| header.iter().position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)));
    Some((find(&SOURCE_NAMES)?, find(&TARGET_NAMES)?))
}

fn read_delimited(text: &str, options: &super::ReadOptions, delimiter: u8) -> Layout {
    let mut b = LayoutBuilder::new(Escape::Csv);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut first = true;
    let mut columns = (0, 1);
    let mut width = 0;
    let mut any_quoted = false;
    let mut unquoted = Vec::new();
    // Line counting from the last record onwards.
    let (mut line_at, mut line) = (0usize, 1usize);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let offset = e.position().map_or(text.len(), |p| p.byte() as usize);
                b.problem(offset.min(text.len()), format!("cannot read the rest of the file: {e}"), true);
                break;
            }
        }
        let start = record.position().map_or(0, |p| p.byte() as usize).min(text.len());
        let (row_start, fields) = match locate(text, start, delimiter, record.len()) {
            Ok(found) => found,
            Err(open) => {
                b.problem(
                    open,
                    "a quoted field is never closed, so the rest of the file would be part of it; the rest is not read",
                    true,
                );
                break;
            }
        };
        line += text[line_at..row_start].matches('\n').count();
        line_at = row_start;
        // The walk must agree with the fields the csv crate read.
        let agrees =
            fields.len() == record.len() && fields.iter().zip(record.iter()).all(|(f, r)| f.decoded.as_bytes() == r);
        if !agrees {
            b.problem(row_start, "the row's fields could not be located in the file; the row is not checked", false);
            continue;
        }
        if first {
            first = false;
            width = fields.len();
            let names: Vec<String> = fields.iter().map(|f| f.decoded.clone()).collect();
            let header = match &options.columns {
                Some((source, target)) => match (column_index(source, &names), column_index(target, &names)) {
                    (Ok((s, by_name_s)), Ok((t, by_name_t))) => {
                        columns = (s, t);
                        by_name_s || by_name_t || detect_header(&names).is_some()
                    }
                    (Err(e), _) | (_, Err(e)) => {
                        b.problem(row_start, format!("{e}; the file is not read"), true);
                        break;
                    }
                },
                None => match detect_header(&names) {
                    Some(found) => {
                        columns = found;
                        true
                    }
                    None => false,
                },
            };
            if columns.0.max(columns.1) >= width {
                let message = format!(
                    "the first row has {width} column{}; column {} is not there; the file is not read",
                    if width == 1 { "" } else { "s" },
                    columns.0.max(columns.1) + 1
                );
                b.problem(row_start, message, true);
                break;
            }
            if header {
                continue;
            }
        }
        if fields.len() != width {
            b.problem(
                row_start,
                format!("the row has {} fields, the first row {width}; the row is not checked", fields.len()),
                false,
            );
            continue;
        }
        let (Some(source), Some(target)) = (fields.get(columns.0), fields.get(columns.1)) else { continue };
        any_quoted |= target.quoted;
        unquoted.extend(target.literal.clone());
        b.begin_segment(Some(line.to_string()), Some(source.decoded.clone()));
        for part in &target.parts {
            if part.escaped {
                b.encoded(part.file.clone(), "\"");
            } else {
                b.verbatim(part.file.clone(), &text[part.file.clone()]);
            }
        }
        b.end_segment();
    }
    let mut layout = b.finish();
    layout.escape = Some(if any_quoted { Escape::Csv } else { Escape::Unquoted(delimiter) });
    if !unquoted.is_empty() {
        layout.unquoted = Some((delimiter, unquoted));
    }
    layout
}

#[cfg(test)]
mod tests {
    use super::super::ReadOptions;
    use super::*;

    fn columns(s: &str, t: &str) -> ReadOptions {
        ReadOptions { columns: Some((s.into(), t.into())) }
    }

    #[test]
    fn a_header_names_the_columns_and_targets_are_checked() {
        let tsv = "ID\tChinese\tEnglish\n1\t国新办\tthe the office\n\n2\t经济\tgrew.The plan\r\n";
        let layout = read(tsv, &ReadOptions::default());
        assert!(layout.problems.is_empty(), "{:?}", layout.problems);
        assert_eq!(layout.checked(tsv), "the the office\n\ngrew.The plan");
        let ids: Vec<_> = layout.segments.iter().map(|s| s.id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["2", "4"]);
        let sources: Vec<_> = layout.segments.iter().map(|s| s.source.as_deref().unwrap()).collect();
        assert_eq!(sources, ["国新办", "经济"]);
        let plan = layout.checked(tsv).find("plan").unwrap();
        assert_eq!(&tsv[layout.to_file(plan..plan + 4).unwrap()], "plan");
        assert_eq!(layout.escape(), Escape::Unquoted(b'\t'), "no target is quoted");
    }

    #[test]
    fn without_a_header_columns_one_and_two_are_read() {
        let tsv = "国新办\tThe office\n经济\tThe economy\n";
        let layout = read(tsv, &ReadOptions::default());
        assert_eq!(layout.checked(tsv), "The office\n\nThe economy");
        assert_eq!(layout.segments[0].id.as_deref(), Some("1"));
    }

    #[test]
    fn columns_are_chosen_by_name_or_number() {
        let csv = "key,zh,en,post\nk1,一,one,uno\n";
        assert_eq!(read_csv(csv, &columns("zh", "post")).checked(csv), "uno");
        assert_eq!(read_csv(csv, &columns("2", "4")).checked(csv), "uno", "a recognised header is still skipped");
        assert_eq!(read_csv(csv, &ReadOptions::default()).checked(csv), "one");
        let plain = "k1,一,one\n";
        assert_eq!(read_csv(plain, &columns("2", "3")).checked(plain), "one");
        let missing = read_csv(csv, &columns("zh", "nope"));
        assert!(!missing.complete() && missing.problems[0].message.contains("`nope`"), "{:?}", missing.problems);
        let narrow = read_csv(plain, &columns("2", "5"));
        assert!(!narrow.complete());
    }

    #[test]
    fn a_quoted_field_maps_doubled_quotes_and_commas() {
        let csv = "source,target\n\"a,b\",\"He said \"\"yes, the the\"\", and left\"\n";
        let layout = read_csv(csv, &ReadOptions::default());
        assert!(layout.problems.is_empty(), "{:?}", layout.problems);
        let checked = layout.checked(csv);
        assert_eq!(checked, "He said \"yes, the the\", and left");
        assert_eq!(layout.segments[0].source.as_deref(), Some("a,b"));
        let the = checked.find("the the").unwrap();
        let range = layout.to_file(the..the + 7).unwrap();
        assert_eq!(&csv[range.clone()], "the the");
        assert_eq!(range.start, csv.find("the the").unwrap());
        let left = checked.find("left").unwrap();
        assert_eq!(&csv[layout.to_file(left..left + 4).unwrap()], "left");
        let quote = checked.find('"').unwrap();
        assert_eq!(&csv[layout.to_file(quote..quote + 1).unwrap()], "\"\"");
        assert_eq!(layout.escape(), Escape::Csv);
        assert_eq!(Escape::Csv.encode("say \"hi\""), "say \"\"hi\"\"", "a fix written into a quoted field");
    }

    #[test]
    fn unquoted_fields_of_a_file_with_quoted_ones_take_no_delimiter_line_break_or_quote() {
        let csv = "zh,en\n报告,growth，the rest\n报告,\"See 《Report》, page 1\"\n";
        let layout = read_csv(csv, &ReadOptions::default());
        assert_eq!(layout.escape(), Escape::Csv);
        let comma = csv.find('，').unwrap();
        let in_unquoted = comma..comma + '，'.len_utf8();
        assert!(layout.cannot_write(&in_unquoted, ", "), "the row would split");
        assert!(layout.cannot_write(&in_unquoted, "say \"hi\""), "a quote must not be doubled here");
        assert!(!layout.cannot_write(&in_unquoted, "and"));
        let report = csv.find("《").unwrap();
        assert!(!layout.cannot_write(&(report..report + 3), "\", "), "a quoted field takes anything");
        // What follows a closing quote is read literally too.
        let tail = "zh,en\n报告,\"See\" Report，then\n报告,\"quoted\"\n";
        let layout = read_csv(tail, &ReadOptions::default());
        let comma = tail.find('，').unwrap();
        assert!(layout.cannot_write(&(comma..comma + 3), ", "));
        let tsv = csv.replace('"', "").replace(",", "\t");
        let all_unquoted = read(&tsv, &ReadOptions::default());
        assert_eq!(all_unquoted.escape(), Escape::Unquoted(b'\t'));
        let comma = tsv.find('，').unwrap();
        assert!(
            !all_unquoted.cannot_write(&(comma..comma + 3), "say \"hi\""),
            "a quote inside an unquoted field is text"
        );
        // A quote at the start of an unquoted field would make it a quoted one.
        let field = all_unquoted.unquoted.as_ref().unwrap().1[0].clone();
        assert!(all_unquoted.cannot_write(&(field.start..field.start + 3), "\""));
    }

    #[test]
    fn a_quoted_field_may_span_lines() {
        let csv = "一,\"line one\nline two\"\n二,next\n";
        let layout = read_csv(csv, &ReadOptions::default());
        assert_eq!(layout.checked(csv), "line one\nline two\n\nnext");
        let ids: Vec<_> = layout.segments.iter().map(|s| s.id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["1", "3"]);
        let two = layout.checked(csv).find("two").unwrap();
        assert_eq!(&csv[layout.to_file(two..two + 3).unwrap()], "two");
    }

    #[test]
    fn rows_of_the_wrong_width_are_skipped_and_an_unclosed_quote_is_fatal() {
        let tsv = "a\tone\nb\ttwo\textra\nc\tthree\n";
        let layout = read(tsv, &ReadOptions::default());
        assert_eq!(layout.checked(tsv), "one\n\nthree");
        assert_eq!(layout.problems.len(), 1);
        assert_eq!(layout.problems[0].offset, tsv.find("b\t").unwrap());
        assert!(layout.complete());
        let csv = "a,one\nb,\"never closed\nc,three\n";
        let layout = read_csv(csv, &ReadOptions::default());
        assert_eq!(layout.checked(csv), "one");
        assert_eq!(layout.problems[0].offset, csv.find('"').unwrap());
        assert!(!layout.complete());
    }

    #[test]
    fn odd_quoting_is_located_as_the_csv_crate_reads_it() {
        // Text after a closing quote is literal, a quote inside an unquoted field is literal, and a quote after a
        // space does not open a quoted field.
        let csv = "一,\"ab\"cd e\n二,x\"y\" z\n三, \"q\"\n";
        let layout = read_csv(csv, &ReadOptions::default());
        assert!(layout.problems.is_empty(), "{:?}", layout.problems);
        assert_eq!(layout.checked(csv), "abcd e\n\nx\"y\" z\n\n \"q\"");
        let cd = layout.checked(csv).find("cd").unwrap();
        assert_eq!(&csv[layout.to_file(cd..cd + 2).unwrap()], "cd");
        let y = layout.checked(csv).find("y").unwrap();
        assert_eq!(&csv[layout.to_file(y - 1..y + 2).unwrap()], "\"y\"");
    }
}
