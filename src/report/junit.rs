//! JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines, CircleCI…): one
//! `<testsuite>` per document, one failing `<testcase>` per finding, and one passing test case for a document
//! without findings so that it still counts. The document's quality score is a suite property,
//! `mtlint.penalty_per_1000_words`.
//!
//! The output follows the strictest common schema, the Apache Ant JUnit XSD (`tests/schemas/JUnit.xsd`): it has
//! every attribute that schema requires (`package`, `id`, `timestamp`, `hostname`, `time`) and the
//! `<properties>`, `<system-out>` and `<system-err>` elements in its order. Lines and columns are 1-based, columns
//! count Unicode code points.

use super::checkstyle::{escape_attribute, escape_text};
use super::{DocumentReport, Reporter, RunSummary};
use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Default)]
pub struct Junit {
    documents: Vec<DocumentReport>,
}

impl Reporter for Junit {
    fn document(&mut self, _out: &mut dyn Write, doc: &DocumentReport) -> io::Result<()> {
        self.documents.push(doc.clone());
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &RunSummary) -> io::Result<()> {
        let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let timestamp = timestamp(seconds);
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, "<testsuites>")?;
        for (id, doc) in self.documents.iter().enumerate() {
            let path = escape_attribute(&doc.path);
            writeln!(
                out,
                r#"  <testsuite name="{path}" package="mtlint" id="{id}" tests="{}" failures="{}" errors="0" skipped="0" time="0" timestamp="{timestamp}" hostname="localhost">"#,
                doc.records.len().max(1),
                doc.records.len(),
            )?;
            writeln!(out, "    <properties>")?;
            writeln!(
                out,
                r#"      <property name="mtlint.penalty_per_1000_words" value="{}"/>"#,
                doc.score.per_thousand_words()
            )?;
            writeln!(out, r#"      <property name="mtlint.words" value="{}"/>"#, doc.score.words)?;
            writeln!(out, "    </properties>")?;
            if doc.records.is_empty() {
                writeln!(out, r#"    <testcase name="no findings" classname="{path}" time="0"/>"#)?;
            }
            for r in &doc.records {
                let mut details = format!(
                    "{}:{}:{}: {} [{}] {}\ncategory: {}\nmatched: \"{}\"",
                    r.path, r.line, r.column, r.severity, r.rule, r.message, r.category, r.matched
                );
                for s in &r.suggestions {
                    details.push_str(&format!("\nsuggestion: \"{s}\""));
                }
                writeln!(
                    out,
                    r#"    <testcase name="{}" classname="{path}" time="0">"#,
                    escape_attribute(&format!("{} at {}:{}", r.rule, r.line, r.column))
                )?;
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    escape_attribute(&r.message),
                    escape_attribute(&r.rule),
                    escape_text(&details)
                )?;
                writeln!(out, "    </testcase>")?;
            }
            writeln!(out, "    <system-out/>")?;
            writeln!(out, "    <system-err/>")?;
            writeln!(out, "  </testsuite>")?;
        }
        writeln!(out, "</testsuites>")
    }
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, without a time zone (the Ant schema allows none), for seconds since 1970.
fn timestamp(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let (h, m, s) = (seconds % 86_400 / 3600, seconds % 3600 / 60, seconds % 60);
    let (year, month, day) = civil_date(days);
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}")
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // March is 0
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::timestamp;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(timestamp(1_704_067_199), "2023-12-31T23:59:59");
        assert_eq!(timestamp(1_709_251_200 + 3_661), "2024-03-01T01:01:01");
    }
}
