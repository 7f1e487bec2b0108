//! `bilingual` rules: checks that compare a segment's target with its source (numbers, glossary terms, untranslated
//! or dropped text, length, punctuation). They run on every segment that has a source.
//!
//! Every check is built for precision: when the two sides can be reconciled in some reasonable reading, nothing is
//! reported. A finding about the segment as a whole (a number missing from the target, a term not rendered, a
//! length out of bounds) spans the target from its first to its last non-space character; an empty target gets an
//! empty span at the segment's start.
//!
//! Messages are the rule's `message` with `{matched}` (the flagged text), `{suggestion}` and `{detail}` (what the
//! check found: "source has 4,400 (4400), target has 4,000") filled in.

use super::text::Text;
use crate::finding::{Finding, FixSafety, Severity};
use crate::rules::load::FieldError;
use crate::rules::schema::RawRule;
use crate::rules::{Detector, Rule, RuleSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BilingualCheck {
    Numbers,
    Glossary,
    Untranslated,
    Length,
    Punctuation,
}

#[derive(Debug, Clone)]
pub struct BilingualRule {
    pub check: BilingualCheck,
    pub min_ratio: f64,
    pub max_ratio: f64,
    pub min_source_chars: usize,
}

impl BilingualRule {
    pub fn compile(raw: &RawRule) -> Result<Self, FieldError> {
        let check = raw.check.as_ref().ok_or_else(|| {
            FieldError::new("missing field `check` (numbers, glossary, untranslated, length or punctuation)")
        })?;
        let kind = match check.get_ref().as_str() {
            "numbers" => BilingualCheck::Numbers,
            "glossary" => BilingualCheck::Glossary,
            "untranslated" => BilingualCheck::Untranslated,
            "length" => BilingualCheck::Length,
            "punctuation" => BilingualCheck::Punctuation,
            other => {
                return Err(FieldError::at(
                    check.span(),
                    format!(
                        "unknown bilingual check `{other}`: use numbers, glossary, untranslated, length or punctuation"
                    ),
                ));
            }
        };
        let min_ratio = raw.min_ratio.unwrap_or(0.0);
        let max_ratio = raw.max_ratio.unwrap_or(f64::INFINITY);
        if !(min_ratio >= 0.0 && max_ratio > min_ratio) {
            return Err(FieldError::new("`min_ratio` must be at least 0 and below `max_ratio`"));
        }
        Ok(BilingualRule { check: kind, min_ratio, max_ratio, min_source_chars: raw.min_source_chars.unwrap_or(0) })
    }
}

/// Findings for one segment: `target` is the segment's text in the check text, starting at byte `offset` there;
/// findings are reported in check-text offsets.
pub fn check(
    rule_index: usize,
    rules: &RuleSet,
    p: &BilingualRule,
    source: &str,
    target: &str,
    offset: usize,
    out: &mut Vec<Finding>,
) {
    if source.trim().is_empty() {
        return;
    }
    let mut report = Reporter { rule_index, rule: rules.rule(rule_index), target, offset, out };
    match p.check {
        BilingualCheck::Numbers => numbers(source, target, &mut report),
        BilingualCheck::Glossary => glossary(&rules.rules, source, target, &mut report),
        BilingualCheck::Untranslated => untranslated(source, target, &mut report),
        BilingualCheck::Length => length(p, source, target, &mut report),
        BilingualCheck::Punctuation => punctuation(source, target, &mut report),
    }
}

/// Makes findings of one rule on one segment's target.
struct Reporter<'a> {
    rule_index: usize,
    rule: &'a Rule,
    target: &'a str,
    offset: usize,
    out: &'a mut Vec<Finding>,
}

impl Reporter<'_> {
    /// A finding on `start..end` of the target.
    fn at(&mut self, start: usize, end: usize, detail: &str, suggestion: Option<String>) {
        let suggestions: Vec<String> =
            if self.rule.fix == FixSafety::None { Vec::new() } else { suggestion.into_iter().collect() };
        let matched = &self.target[start..end];
        let message =
            self.rule.render_message(matched, suggestions.first().map(String::as_str)).replace("{detail}", detail);
        self.out.push(Finding {
            rule: self.rule_index,
            start: self.offset + start,
            end: self.offset + end,
            severity: self.rule.severity,
            message,
            fix_safe: self.rule.fix == FixSafety::Safe && !suggestions.is_empty(),
            suggestions,
        });
    }

    /// A finding on the whole target: its first to its last non-space character (empty at its start when blank).
    fn whole(&mut self, detail: &str) {
        let (start, end) = trimmed(self.target);
        self.at(start, end, detail, None);
    }

    /// A finding on the whole target, at most of `severity`: for a check whose rule is an error where it can point
    /// to the faulty words, and only a warning where it cannot.
    fn whole_as(&mut self, detail: &str, severity: Severity) {
        self.whole(detail);
        if let Some(f) = self.out.last_mut() {
            f.severity = f.severity.min(severity);
        }
    }
}

/// The byte range of `s` without leading and trailing white space (`0..0` when blank).
fn trimmed(s: &str) -> (usize, usize) {
    let start = s.len() - s.trim_start().len();
    let end = s.trim_end().len();
    if end <= start { (0, 0) } else { (start, end) }
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{20000}'..='\u{3134F}')
}

// ---------------------------------------------------------------------------------------------------------------
// numbers

/// A number found in a text.
#[derive(Debug, Clone)]
struct Number {
    /// The values it may stand for, the plain value first (`5千米` is 5 km or 5,000 m).
    values: Vec<f64>,
    start: usize,
    end: usize,
}

/// The numbers of one side: `hard` ones must be found on the other side; `soft` values (ordinal words, months,
/// numerals inside Chinese words, identifiers) only vouch for numbers of the other side.
#[derive(Debug, Default)]
struct Numbers {
    hard: Vec<Number>,
    soft: Vec<f64>,
}

impl Numbers {
    fn has(&self, v: f64) -> bool {
        self.soft.iter().chain(self.hard.iter().flat_map(|n| n.values.iter())).any(|&w| same(v, w))
    }
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn ascii_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// An Arabic number starting at `chars[k]`: digits, `,ddd` groups, a decimal part. Returns the value and the index
/// after it.
fn scan_arabic(chars: &[(usize, char)], mut k: usize) -> (f64, usize) {
    let mut s = String::new();
    let digit = |k: usize| chars.get(k).and_then(|&(_, c)| ascii_digit(c));
    while let Some(d) = digit(k) {
        s.push(char::from_digit(d, 10).unwrap_or('0'));
        k += 1;
    }
    // Thousands groups: exactly three digits after each comma.
    while chars.get(k).is_some_and(|&(_, c)| c == ',')
        && (1..=3).all(|i| digit(k + i).is_some())
        && digit(k + 4).is_none()
    {
        for i in 1..=3 {
            s.push(char::from_digit(digit(k + i).unwrap_or(0), 10).unwrap_or('0'));
        }
        k += 4;
    }
    if chars.get(k).is_some_and(|&(_, c)| c == '.' || c == '．') && digit(k + 1).is_some() {
        s.push('.');
        k += 1;
        while let Some(d) = digit(k) {
            s.push(char::from_digit(d, 10).unwrap_or('0'));
            k += 1;
        }
    }
    (s.parse().unwrap_or(0.0), k)
}

/// Whether the number at `chars[start..end]` is part of an identifier: glued to letters ("G20", "5G", "COVID-19")
/// or a dotted version ("1.2.3").
fn id_like(chars: &[(usize, char)], start: usize, end: usize, suffixes: &[&str]) -> bool {
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let before = start.checked_sub(1).and_then(at);
    let before2 = start.checked_sub(2).and_then(at);
    let glued_before = before.is_some_and(|c| c.is_ascii_alphabetic())
        || (matches!(before, Some('-' | '_' | '.')) && before2.is_some_and(|c| c.is_ascii_alphanumeric()));
    let after: String =
        chars[end.min(chars.len())..].iter().map(|&(_, c)| c).take_while(char::is_ascii_alphabetic).collect();
    let glued_after = !after.is_empty() && !suffixes.iter().any(|s| after.eq_ignore_ascii_case(s));
    let dotted = at(end) == Some('.') && at(end + 1).is_some_and(|c| c.is_ascii_digit());
    glued_before || glued_after || dotted
}

fn zh_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn zh_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1_000,
        '万' => 10_000,
        '亿' => 100_000_000,
        _ => return None,
    })
}

fn is_zh_numeral(c: char) -> bool {
    zh_digit(c).is_some() || zh_unit(c).is_some()
}

/// The value of a Chinese numeral written with units (`一百二十三`, `两千零五`, `三亿五千万`), or written digit by
/// digit (`二〇二三`). `None` for runs that are not one well-formed number (`十四五`, `一万二`, `千万`).
fn parse_zh(run: &[char]) -> Option<u64> {
    if run.is_empty() {
        return None;
    }
    // Digit by digit (二〇二三): three digits or more, or with a zero; "三五" is "three or five".
    let zero = run.iter().any(|&c| c == '〇' || c == '零');
    if (run.len() >= 3 || (zero && run.len() >= 2)) && run.iter().all(|&c| zh_digit(c).is_some() && c != '两') {
        return run.iter().try_fold(0u64, |acc, &c| acc.checked_mul(10)?.checked_add(zh_digit(c)?));
    }
    let (mut total, mut wan, mut section) = (0u64, 0u64, 0u64);
    let mut digit: Option<u64> = None;
    let mut last_unit = u64::MAX; // the last 十/百/千 in this section
    let mut zero = false;
    let mut last_seen = 0; // the last unit of any kind
    let (mut seen_wan, mut seen_yi) = (false, false);
    for &c in run {
        if let Some(d) = zh_digit(c) {
            if d == 0 {
                zero = true;
                continue;
            }
            if digit.is_some() {
                return None; // two digits in a row
            }
            digit = Some(d);
            continue;
        }
        let unit = zh_unit(c)?;
        last_seen = unit;
        match unit {
            10 | 100 | 1_000 => {
                if unit >= last_unit {
                    return None;
                }
                let d = match digit.take() {
                    Some(d) => d,
                    None if unit == 10 && section == 0 => 1,
                    None => return None,
                };
                section += d * unit;
                last_unit = unit;
            }
            10_000 => {
                section += digit.take().unwrap_or(0);
                if section == 0 || seen_wan {
                    return None;
                }
                wan = section;
                seen_wan = true;
                section = 0;
                last_unit = u64::MAX;
            }
            _ => {
                section += digit.take().unwrap_or(0);
                let value = wan * 10_000 + section;
                if value == 0 || seen_yi {
                    return None;
                }
                total = value * 100_000_000;
                seen_yi = true;
                (wan, section, seen_wan) = (0, 0, false);
                last_unit = u64::MAX;
            }
        }
        zero = false;
    }
    // "一百五", "一万二" (a last digit straight after 百, 千, 万 or 亿, 零 aside) leave their unit out: not read here.
    if digit.is_some() && last_seen >= 100 && !zero {
        return None;
    }
    section += digit.unwrap_or(0);
    Some(total + wan * 10_000 + section)
}

/// Readings of colloquial numerals that [`parse_zh`] leaves alone: a range of two neighbouring digits (`六七千` is
/// 6,000 to 7,000, `一万六七千` 16,000 to 17,000) and a unit left out after the last digit (`一万六` is 16,000).
fn colloquial(run: &[char]) -> Vec<f64> {
    let mut variants: Vec<Vec<char>> = Vec::new();
    for i in 0..run.len().saturating_sub(1) {
        if zh_digit(run[i]).is_some_and(|d| d > 0) && zh_digit(run[i + 1]).is_some_and(|d| d > 0) {
            for drop in [i + 1, i] {
                let mut v = run.to_vec();
                v.remove(drop);
                variants.push(v);
            }
        }
    }
    if variants.is_empty() {
        variants.push(run.to_vec());
    }
    let mut values = Vec::new();
    for mut v in variants {
        if let Some(x) = parse_zh(&v) {
            values.push(x as f64);
            continue;
        }
        // The unit after the last digit is one below the unit before it.
        let (Some(&last), Some(&unit)) = (v.last(), v.iter().rev().nth(1)) else { continue };
        let lower = match unit {
            '万' => '千',
            '千' => '百',
            '百' => '十',
            '亿' => '千', // 一亿五 = 150 million: 五千万
            _ => continue,
        };
        if zh_digit(last).is_some() {
            v.push(lower);
            if unit == '亿' {
                v.push('万');
            }
            if let Some(x) = parse_zh(&v) {
                values.push(x as f64);
            }
        }
    }
    values
}

/// Words of a following measure that make `千`/`百` a metric prefix rather than a multiplier (`5千米` is 5 km).
const METRIC: &str = "米克瓦帕赫焦卡";

fn source_numbers(source: &str) -> Numbers {
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let byte = |k: usize| chars.get(k).map_or(source.len(), |&(b, _)| b);
    let rest = |k: usize| &source[byte(k)..];
    let mut found = Numbers::default();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        if ascii_digit(c).is_some() {
            let (v, end) = scan_arabic(&chars, k);
            let soft = id_like(&chars, k, end, &[]);
            let mut values = vec![v];
            let mut j = end;
            // "10余万": an approximation word may stand between the number and its multiplier.
            if at(j).is_some_and(|c| "余多几来".contains(c)) && at(j + 1).is_some_and(|c| "万亿千百".contains(c))
            {
                j += 1;
            }
            let next = rest(j);
            let scale = if next.starts_with("万亿") {
                Some((1e12, 2))
            } else if next.starts_with('亿') {
                Some((1e8, 1))
            } else if next.starts_with('万') {
                Some((1e4, 1))
            } else if next.starts_with('千') && !rest(j + 1).starts_with(|c| METRIC.contains(c)) {
                Some((1e3, 1))
            } else if next.starts_with('百') && !rest(j + 1).starts_with(['分', '米']) {
                Some((1e2, 1))
            } else {
                None
            };
            if let Some((scale, len)) = scale {
                values = vec![v * scale];
                j += len;
            } else if next.starts_with(['千', '百']) {
                values.push(v * if next.starts_with('千') { 1e3 } else { 1e2 });
            } else if next.starts_with('成') {
                values.push(v * 10.0); // 3成 = 30%
            }
            let after = rest(j);
            if v.fract() == 0.0 && (1.0..=24.0).contains(&v) && after.starts_with(['时', '点', '：', ':']) {
                values.push(if v > 12.0 { v - 12.0 } else { v + 12.0 }); // 15时 = 3 p.m.
            }
            if v.fract() == 0.0 && (1900.0..=2100.0).contains(&v) {
                values.push(v % 100.0); // 2023 written '23 or 2022-23
            }
            if after.starts_with("年代") && v.fract() == 0.0 && v < 100.0 {
                values.extend([1900.0 + v, 2000.0 + v]); // 80年代 = the 1980s
            }
            // A list number ("1. ", "2、") is layout, often left out of a segment's translation.
            let marker = source[..byte(k)].trim().is_empty() && after.starts_with(['.', '、', ')', '）', '．']);
            if soft || marker {
                found.soft.extend(values);
            } else {
                found.hard.push(Number { values, start: byte(k), end: byte(j) });
            }
            k = end.max(j);
            continue;
        }
        if let Some((prefix, divisor)) =
            [("百分之", 1.0), ("千分之", 10.0), ("万分之", 100.0)].into_iter().find(|(p, _)| rest(k).starts_with(p))
        {
            let from = k + prefix.chars().count();
            let mut end = from;
            while at(end).is_some_and(is_zh_numeral) {
                end += 1;
            }
            let run: Vec<char> = chars[from..end].iter().map(|&(_, c)| c).collect();
            if let Some(v) = parse_zh(&run).map(|v| v as f64) {
                if divisor == 1.0 {
                    found.hard.push(Number { values: vec![v], start: byte(k), end: byte(end) });
                } else {
                    found.soft.extend([v, v / divisor]);
                }
            }
            // An Arabic number after 百分之 is read by the next iteration.
            k = end;
            continue;
        }
        if is_zh_numeral(c) {
            let from = k;
            while at(k).is_some_and(is_zh_numeral) {
                k += 1;
            }
            let run: Vec<char> = chars[from..k].iter().map(|&(_, c)| c).collect();
            zh_run(&run, from, k, &chars, source, &mut found);
            continue;
        }
        k += 1;
    }
    found
}

/// A run of Chinese numerals: every reading of it vouches for target numbers; a clear cardinal must be matched.
fn zh_run(run: &[char], from: usize, to: usize, chars: &[(usize, char)], source: &str, found: &mut Numbers) {
    let byte = |k: usize| chars.get(k).map_or(source.len(), |&(b, _)| b);
    for i in 0..run.len() {
        for j in i + 1..=run.len().min(i + 12) {
            if let Some(v) = parse_zh(&run[i..j]) {
                found.soft.push(v as f64);
            }
        }
        if let Some(d) = zh_digit(run[i]).or_else(|| zh_unit(run[i])) {
            found.soft.push(d as f64); // 百人 = 100 people
        }
    }
    found.soft.extend(colloquial(run));
    // 三分之一 = one third.
    if source[byte(to)..].starts_with("分之") {
        let rest: Vec<char> = source[byte(to)..].chars().skip(2).take_while(|&c| is_zh_numeral(c)).collect();
        if let (Some(a), Some(b)) = (parse_zh(run), parse_zh(&rest))
            && a > 0
        {
            found.soft.push(b as f64 / a as f64);
        }
        return;
    }
    let Some(value) = parse_zh(run) else { return };
    let before = source[..byte(from)].chars().next_back();
    let after = &source[byte(to)..];
    let digit_string = run.iter().all(|&c| zh_digit(c).is_some());
    let year = digit_string && run.len() == 4 && after.starts_with('年');
    let cardinal = !digit_string
        && run.len() >= 2
        && zh_digit(run[0]).is_some_and(|d| d > 0)
        && value >= 20
        && before != Some('第');
    if year || cardinal {
        let mut values = vec![value as f64];
        if year {
            values.push((value % 100) as f64);
        }
        found.hard.push(Number { values, start: byte(from), end: byte(to) });
    }
}

const SCALES: &[(&str, f64)] = &[
    ("hundred", 1e2),
    ("thousand", 1e3),
    ("million", 1e6),
    ("mln", 1e6),
    ("mn", 1e6),
    ("billion", 1e9),
    ("bln", 1e9),
    ("bn", 1e9),
    ("trillion", 1e12),
    ("tn", 1e12),
];

fn word_value(w: &str) -> Option<f64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const ORDINALS: [&str; 20] = [
        "zeroth",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
    ];
    const TENS: [&str; 8] = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    const TENTHS: [&str; 8] =
        ["twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"];
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    const SHORT_MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let w = w.to_ascii_lowercase();
    let w = w.as_str();
    if let Some(i) = UNITS.iter().position(|u| *u == w).or_else(|| ORDINALS.iter().position(|u| *u == w)) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|u| *u == w).or_else(|| TENTHS.iter().position(|u| *u == w)) {
        return Some((i as f64 + 2.0) * 10.0);
    }
    if let Some(i) = MONTHS.iter().position(|u| *u == w).or_else(|| SHORT_MONTHS.iter().position(|u| *u == w)) {
        return Some(i as f64 + 1.0);
    }
    Some(match w {
        "sept" => 9.0,
        "twice" | "double" | "doubled" | "twofold" | "both" | "pair" => 2.0,
        "triple" | "tripled" | "threefold" => 3.0,
        "half" => 0.5,
        "a" | "an" => 1.0,
        "hundred" | "hundredth" => 100.0,
        "thousand" | "thousandth" => 1e3,
        "million" | "millionth" => 1e6,
        "billion" => 1e9,
        "trillion" => 1e12,
        _ => return None,
    })
}

fn target_numbers(target: &str) -> Numbers {
    let protected = Text::new(target).protected;
    let chars: Vec<(usize, char)> = target.char_indices().collect();
    let byte = |k: usize| chars.get(k).map_or(target.len(), |&(b, _)| b);
    let mut found = Numbers::default();
    let mut k = 0;
    // Number words: each word's value, a ten and a unit ("twenty-five"), a value times a scale ("ten thousand").
    let mut words: Vec<f64> = Vec::new();
    let flush = |words: &mut Vec<f64>, soft: &mut Vec<f64>| {
        let mut current = 0.0;
        for (i, &v) in words.iter().enumerate() {
            soft.push(v);
            if v >= 100.0 && v.fract() == 0.0 && current > 0.0 {
                current *= v;
            } else if i > 0 && words[i - 1] >= 20.0 && words[i - 1] < 100.0 && v < 10.0 {
                current += v;
            } else {
                current = v;
            }
            soft.push(current);
        }
        words.clear();
    };
    while k < chars.len() {
        let c = chars[k].1;
        if c.is_ascii_alphabetic() {
            let from = k;
            while chars.get(k).is_some_and(|&(_, c)| c.is_ascii_alphabetic()) {
                k += 1;
            }
            match word_value(&target[byte(from)..byte(k)]) {
                Some(v) => words.push(v),
                None => flush(&mut words, &mut found.soft),
            }
            // Words joined by a hyphen or a space continue the number ("twenty-five", "ten thousand").
            if !chars.get(k).is_some_and(|&(_, c)| c == '-' || c == ' ') {
                flush(&mut words, &mut found.soft);
            }
            continue;
        }
        if c != '-' && c != ' ' {
            flush(&mut words, &mut found.soft);
        }
        if !c.is_ascii_digit() {
            k += 1;
            continue;
        }
        let (v, end) = scan_arabic(&chars, k);
        let (start_b, mut end_b) = (byte(k), byte(end));
        let soft = id_like(&chars, k, end, &["st", "nd", "rd", "th", "s", "bn", "mn", "tn", "k"])
            || protected.iter().any(|p| p.start < end_b && p.end > start_b)
            || v == 0.0;
        let mut value = v;
        // A scale word after the number, glued or after one space: "25 thousand", "$3bn".
        let tail = &target[end_b..];
        let spaced = tail.strip_prefix(' ').unwrap_or(tail);
        for &(name, scale) in SCALES {
            let glued = !tail.starts_with(' ');
            if spaced.get(..name.len()).is_some_and(|w| w.eq_ignore_ascii_case(name))
                && !spaced[name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
                && (name.len() > 3 || glued || name == "bn" || name == "mn")
            {
                value = v * scale;
                end_b += tail.len() - spaced.len() + name.len();
                break;
            }
        }
        if tail.starts_with(['k', 'K']) && !tail[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            value = v * 1e3;
        }
        if soft {
            found.soft.extend([v, value]);
        } else {
            found.hard.push(Number { values: vec![value], start: start_b, end: end_b });
        }
        k = chars.partition_point(|&(b, _)| b < end_b).max(end);
    }
    flush(&mut words, &mut found.soft);
    found
}

/// A value as English writes it: "4,400", "25,000", "300 million", "1.2 trillion", "2.5".
fn english(v: f64) -> String {
    for (scale, name) in [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")] {
        let m = v / scale;
        if m >= 1.0 && same((m * 1000.0).round(), m * 1000.0) {
            return format!("{} {name}", decimal(m));
        }
    }
    if v.fract() == 0.0 && !(1900.0..=2100.0).contains(&v) && v.abs() >= 1000.0 {
        let digits = format!("{}", v.abs() as u64);
        let mut out = String::new();
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(d);
        }
        return out;
    }
    decimal(v)
}

fn decimal(v: f64) -> String {
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// How a source number is named in a message: its English value and, when written otherwise, the source text.
fn describe(n: &Number, source: &str) -> String {
    let written = &source[n.start..n.end];
    let value = english(n.values[0]);
    if written == value { value } else { format!("{value} ({written})") }
}

fn numbers(source: &str, target: &str, report: &mut Reporter) {
    let src = source_numbers(source);
    let tgt = target_numbers(target);
    let mut missing: Vec<&Number> = Vec::new();
    for n in &src.hard {
        if !n.values.iter().any(|&v| tgt.has(v)) && !missing.iter().any(|m| same(m.values[0], n.values[0])) {
            missing.push(n);
        }
    }
    let extra: Vec<&Number> = tgt.hard.iter().filter(|n| !n.values.iter().any(|&v| src.has(v))).collect();
    let mut missing = missing.into_iter();
    for t in extra {
        let written = &target[t.start..t.end];
        match missing.next() {
            Some(s) => {
                let detail = format!("source has {}, target has {written}", describe(s, source));
                report.at(t.start, t.end, &detail, Some(english(s.values[0])));
            }
            None => report.at(t.start, t.end, &format!("target has {written}, which the source does not have"), None),
        }
    }
    let rest: Vec<String> = missing.map(|n| describe(n, source)).collect();
    if !rest.is_empty() {
        // Where the number went is unknown (left out, or rendered in words the check does not read): a warning.
        report.whole_as(&format!("source has {}, target does not", rest.join(" and ")), Severity::Warning);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// glossary

/// The words of a text for term matching, lower case with straight apostrophes; with `join_hyphens` a hyphenated
/// word is one word ("ecommerce"), otherwise its parts are words ("e", "commerce").
fn term_words(s: &str, join_hyphens: bool) -> Vec<String> {
    let s = s.to_lowercase().replace('’', "'");
    let s = if join_hyphens { s.replace('-', "") } else { s };
    s.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .map(|w| w.strip_suffix("'s").unwrap_or(w))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `word` is `form` or its plural ("influencers", "celebrities").
fn same_or_plural(word: &str, form: &str) -> bool {
    word == form
        || word.strip_suffix('s').is_some_and(|w| w == form || w.strip_suffix('e') == Some(form))
        || (form.ends_with('y') && word.strip_suffix("ies").is_some_and(|w| w == &form[..form.len() - 1]))
}

/// Whether the phrase's words occur in `words` in order, with at most one other word inserted between them
/// ("official WeChat account" for "official account") and the last word possibly plural.
fn has_phrase(words: &[String], phrase: &[String], may_skip: bool) -> bool {
    let Some((last, init)) = phrase.split_last() else { return false };
    let matches = |w: &str, k: usize| if k == init.len() { same_or_plural(w, last) } else { w == phrase[k] };
    (0..words.len()).any(|start| {
        if !matches(&words[start], 0) {
            return false;
        }
        let (mut k, mut i, mut skipped) = (1, start + 1, false);
        while k < phrase.len() {
            match words.get(i) {
                Some(w) if matches(w, k) => k += 1,
                Some(_) if may_skip && !skipped => skipped = true,
                _ => return false,
            }
            i += 1;
        }
        true
    })
}

/// Whether the target (its words read both ways) mentions `phrase`, or a phrase of three or more words less one
/// inner word ("centralized procurement" for "centralized volume-based procurement"; not both a word left out and
/// one inserted, which would accept any word in place of one of the name's).
fn mentions(target: &[Vec<String>; 2], phrase: &str) -> bool {
    [false, true].into_iter().any(|join| {
        let words = &target[usize::from(join)];
        let phrase = term_words(phrase, join);
        has_phrase(words, &phrase, true)
            || (phrase.len() >= 3
                && (1..phrase.len() - 1).any(|k| {
                    let mut shorter = phrase.clone();
                    shorter.remove(k);
                    has_phrase(words, &shorter, false)
                }))
    })
}

fn glossary(rules: &[Rule], source: &str, target: &str, report: &mut Reporter) {
    // Every occurrence of a term rule's source term; one inside a longer term's occurrence is that longer term.
    let mut hits: Vec<(usize, usize, &str)> = Vec::new();
    for rule in rules {
        let Detector::Term(t) = &rule.detector else { continue };
        let Some(term) = t.source.as_deref().filter(|s| !s.is_empty()) else { continue };
        hits.extend(source.match_indices(term).map(|(i, _)| (i, i + term.len(), term)));
    }
    if hits.is_empty() {
        return;
    }
    let mut terms: Vec<&str> = hits
        .iter()
        .filter(|h| !hits.iter().any(|o| o.0 <= h.0 && o.1 >= h.1 && o.1 - o.0 > h.1 - h.0))
        .map(|h| h.2)
        .collect();
    terms.sort_unstable();
    terms.dedup();
    let folded = [term_words(target, false), term_words(target, true)];
    // The official forms of all the source's terms: words of the target that render one of them are not another
    // term's rendering ("Securities" in "China Securities Regulatory Commission").
    let present: Vec<(&str, &str)> = rules
        .iter()
        .filter_map(|r| match &r.detector {
            Detector::Term(t) => t.source.as_deref().filter(|s| !s.is_empty() && source.contains(s)).map(|s| (s, t)),
            _ => None,
        })
        .flat_map(|(s, t)| t.right.iter().map(move |r| (s, r.as_str())))
        .collect();
    for term in terms {
        // All rules naming this source term: any of their correct forms will do; a wrong form is the term rule's.
        let owners = rules.iter().filter_map(|r| match &r.detector {
            Detector::Term(t) if t.source.as_deref() == Some(term) => Some(t),
            _ => None,
        });
        let mut expected: Vec<&str> = Vec::new();
        let mut settled = false;
        for t in owners {
            settled |= t.right.iter().chain(&t.wrong).any(|p| mentions(&folded, p));
            expected.extend(t.right.iter().map(String::as_str));
        }
        if !settled {
            let names: Vec<String> = expected.iter().map(|e| format!("\"{e}\"")).collect();
            let detail = format!("the source has {term}, which is {} in English", names.join(" or "));
            let others: Vec<&str> = present.iter().filter(|p| p.0 != term).map(|p| p.1).collect();
            match rendering(source, target, &expected, &others) {
                Some((start, end)) => report.at(start, end, &detail, None),
                // Where the term went is unknown: a warning on the whole segment, since the term may have been
                // rendered in words that share nothing with its official English (or left out on purpose).
                None => report.whole_as(&detail, Severity::Warning),
            }
        }
    }
}

/// Words that join the words of a name ("Bureau *of* Statistics") and never point to a rendering by themselves.
const GLUE: &[&str] = &["a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to", "with"];

/// Words of official names so common in Chinese news that sharing one of them alone says nothing about where a
/// term went ("China" in "China News Service").
const COMMON: &[&str] = &["china", "chinese", "national", "new", "people", "state", "central", "com"];

/// Acronyms so common that they are never a term's (wrong) rendering.
const COMMON_ACRONYMS: &[&str] =
    &["AI", "APP", "CEO", "CPC", "EU", "GDP", "ID", "II", "III", "IT", "PM", "AM", "UK", "UN", "US", "USA", "COVID"];

/// The words of a target with their byte ranges: lower case, straight apostrophes, a possessive `'s` dropped;
/// hyphenated words are split.
fn located_words(target: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    let push = |out: &mut Vec<(usize, usize, String)>, a: usize, b: usize| {
        let raw = &target[a..b];
        let trimmed = raw.trim_end_matches(['\'', '’']);
        let word = trimmed.strip_suffix("'s").or_else(|| trimmed.strip_suffix("’s")).unwrap_or(trimmed);
        let word = word.trim_start_matches(['\'', '’']);
        if !word.is_empty() {
            let a = a + (trimmed.len() - trimmed.trim_start_matches(['\'', '’']).len());
            out.push((a, a + word.len(), word.to_lowercase().replace('’', "'")));
        }
    };
    for (i, c) in target.char_indices() {
        let inside = c.is_alphanumeric() || c == '\'' || c == '’';
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                push(&mut out, a, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(a) = start {
        push(&mut out, a, target.len());
    }
    out
}

/// Whether target word `w` is `form`, its plural, or a longer word built on it ("implantation" on "implant").
fn same_stem(w: &str, form: &str) -> bool {
    same_or_plural(w, form) || (form.len() >= 5 && w.starts_with(form))
}

/// The last word of each part of a name between little words: the words a rendering keeps ("exchange" of "Beijing
/// Stock Exchange"; "trading" and "lending" of "margin trading and securities lending").
fn heads(form: &str) -> Vec<String> {
    let words = term_words(form, false);
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let last = words.get(i + 1).is_none_or(|n| GLUE.contains(&n.as_str()));
        if last && !GLUE.contains(&w.as_str()) {
            out.push(w.clone());
        }
    }
    out
}

/// Where the target probably renders a term whose official English (`expected`) it lacks: the stretch of target
/// words that shares the most words with an official form (joined only by little words such as "and", "of"; one
/// shared word alone only when it is a head of the form, see [`heads`]), outside the official forms of the source's
/// other terms (`others`); or, when no word is shared, the one acronym of the target that neither the source nor an
/// official form has ("the NSE" for 北交所, Beijing Stock Exchange). `None` when neither points anywhere.
fn rendering(source: &str, target: &str, expected: &[&str], others: &[&str]) -> Option<(usize, usize)> {
    let words = located_words(target);
    let plain: Vec<String> = words.iter().map(|w| w.2.clone()).collect();
    // Words of the target taken by another term's official form.
    let mut taken = vec![false; words.len()];
    for other in others {
        let phrase = term_words(other, false);
        if phrase.is_empty() {
            continue;
        }
        for start in 0..words.len() {
            if start + phrase.len() <= words.len()
                && phrase.iter().enumerate().all(|(k, p)| same_or_plural(&plain[start + k], p))
            {
                taken[start..start + phrase.len()].iter_mut().for_each(|t| *t = true);
            }
        }
    }
    let wanted: Vec<String> =
        expected.iter().flat_map(|e| term_words(e, false)).filter(|w| !GLUE.contains(&w.as_str())).collect();
    let head_words: Vec<String> = expected.iter().flat_map(|e| heads(e)).collect();
    let is_wanted = |k: usize| !taken[k] && wanted.iter().any(|x| same_stem(&plain[k], x));
    // The best stretch: most distinct shared words, then the earliest.
    let mut best: Option<(usize, usize, usize)> = None; // (score, first word, last word)
    let mut i = 0;
    while i < words.len() {
        if !is_wanted(i) {
            i += 1;
            continue;
        }
        let (first, mut last, mut j) = (i, i, i + 1);
        while j < words.len() && (is_wanted(j) || (!taken[j] && GLUE.contains(&plain[j].as_str()))) {
            if is_wanted(j) {
                last = j;
            }
            j += 1;
        }
        let mut shared: Vec<&str> = (first..=last).filter(|&k| is_wanted(k)).map(|k| plain[k].as_str()).collect();
        shared.sort_unstable();
        shared.dedup();
        let telling = match shared.as_slice() {
            [one] => !COMMON.contains(one) && head_words.iter().any(|h| same_stem(one, h)),
            many => many.iter().any(|w| !COMMON.contains(w)),
        };
        if telling && best.is_none_or(|b| shared.len() > b.0) {
            best = Some((shared.len(), first, last));
        }
        i = last + 1;
    }
    if let Some((_, first, last)) = best {
        return Some((words[first].0, words[last].1));
    }
    // An acronym the source does not have (Latin letters of the source are copied, not translated) and that is not
    // an official form's.
    let official: Vec<String> = expected.iter().map(|e| e.to_uppercase()).collect();
    let mut acronyms: Vec<(usize, usize)> = Vec::new();
    for (n, (a, b, _)) in words.iter().enumerate() {
        let w = &target[*a..*b];
        // A dateline in capitals ("HANOI –", "BEIJING,") is a place, not an acronym.
        let dateline = n == 0 && target[*b..].trim_start().starts_with(['-', '–', '—', ',', '(']);
        let letters = w.chars().filter(char::is_ascii_alphabetic).count();
        if (2..=6).contains(&letters)
            && w.chars().all(|c| c.is_ascii_uppercase())
            && !source.contains(w)
            && !official.iter().any(|o| o.split_whitespace().any(|p| p == w))
            && !COMMON_ACRONYMS.contains(&w)
            && !dateline
            && !acronyms.iter().any(|&(x, y)| &target[x..y] == w)
        {
            acronyms.push((*a, *b));
        }
    }
    match acronyms.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// untranslated

fn untranslated(source: &str, target: &str, report: &mut Reporter) {
    let has_cjk = source.chars().any(is_cjk);
    if target.trim().is_empty() {
        report.whole("the target is empty");
        return;
    }
    if has_cjk && target.trim() == source.trim() {
        report.whole("the target is the source text, untranslated");
        return;
    }
    let letters = target.chars().filter(|c| c.is_alphabetic()).count();
    let cjk = target.chars().filter(|&c| is_cjk(c)).count();
    if letters > 0 && cjk * 2 >= letters {
        report.whole(&format!("{}% of the target's letters are Chinese characters", cjk * 100 / letters));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// length

/// Latin letters and digits of the source are mostly copied as they are (names, figures): this many count as one
/// Han character.
const LATIN_PER_HAN: f64 = 3.5;

/// The source's length in Han characters (other letters and digits weighted by [`LATIN_PER_HAN`]), and the target's
/// in letters and digits.
fn lengths(source: &str, target: &str) -> (f64, usize) {
    let han = source.chars().filter(|&c| is_cjk(c)).count() as f64;
    let other = source.chars().filter(|&c| c.is_alphanumeric() && !is_cjk(c)).count() as f64;
    (han + other / LATIN_PER_HAN, target.chars().filter(|c| c.is_alphanumeric()).count())
}

fn length(p: &BilingualRule, source: &str, target: &str, report: &mut Reporter) {
    let (src, tgt) = lengths(source, target);
    if src < p.min_source_chars.max(1) as f64 || target.trim().is_empty() {
        return;
    }
    let ratio = tgt as f64 / src;
    // Two decimals, rounded away from the bound so that the figure shown is never on the wrong side of it.
    if ratio < p.min_ratio {
        let shown = (ratio * 100.0).floor() / 100.0;
        report.whole(&format!(
            "the target has {shown:.2} letters per source character, below {}: part of the source may be missing",
            p.min_ratio
        ));
    } else if ratio > p.max_ratio {
        let shown = (ratio * 100.0).ceil() / 100.0;
        report.whole(&format!(
            "the target has {shown:.2} letters per source character, above {}: the target may add material",
            p.max_ratio
        ));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// punctuation

/// Closing quotes and brackets that may follow a sentence's final mark.
const CLOSERS: &[char] = &['”', '’', '"', '\'', '」', '』', '）', ')', '》', '】', ']', '*', '_'];

/// The last character before closing quotes and brackets, with its byte offset.
fn final_mark(s: &str) -> Option<(usize, char)> {
    s.trim_end().char_indices().rev().find(|&(_, c)| !CLOSERS.contains(&c) && !c.is_whitespace())
}

/// Quoted stretches of at least this many characters are quotations, whose quotation marks English keeps.
const QUOTED_SPEECH: usize = 12;

/// Whether the text has a capitalised word that does not start a sentence: a title written in title case
/// ("Memorandum of Understanding on …", "Nature"), or a name.
fn has_title_case(s: &str) -> bool {
    let mut sentence_start = true;
    let mut prev_word_end = true;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if prev_word_end && c.is_uppercase() && !sentence_start {
                return true;
            }
            sentence_start = false;
            prev_word_end = false;
        } else {
            prev_word_end = c != '\'' && c != '’';
            if matches!(c, '.' | '!' | '?' | ':' | '\n') {
                sentence_start = true;
            }
        }
    }
    false
}

/// Whether the text has a quotation mark (an apostrophe inside a word is not one).
fn has_quote(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| match c {
        '"' | '“' | '”' | '«' | '»' | '「' | '」' | '《' | '》' | '『' | '』' => true,
        // A single quote opens a quotation when no letter is glued before it (not "China's", "students' union").
        '\'' | '’' | '‘' => !i.checked_sub(1).and_then(|j| chars.get(j)).is_some_and(|c| c.is_alphanumeric()),
        _ => false,
    })
}

fn punctuation(source: &str, target: &str, report: &mut Reporter) {
    if target.trim().is_empty() {
        return;
    }
    if let Some((_, mark @ ('？' | '?' | '！' | '!'))) = final_mark(source) {
        let ascii = if matches!(mark, '？' | '?') { '?' } else { '!' };
        let kept = if ascii == '?' { ['?', '？'] } else { ['!', '！'] };
        // The mark may have moved when the sentence was reordered ("Is it so? - Reporter X."): any will do.
        if let Some((at, last)) = final_mark(target).filter(|_| !target.contains(kept)) {
            let what = if ascii == '?' { "a question mark" } else { "an exclamation mark" };
            let end = at + last.len_utf8();
            let suggestion =
                if ".。;；,，:：".contains(last) { ascii.to_string() } else { format!("{last}{ascii}") };
            report.at(at, end, &format!("the source ends with {what} ({mark}), the target does not"), Some(suggestion));
            return;
        }
    }
    let mut lost: Vec<&str> = Vec::new();
    // Parentheses: kept as brackets, or the bracketed words are gone (a dateline, a stock code, a date).
    if source.contains('（') && source.contains('）') && !target.contains(['(', ')', '[', ']', '（', '）']) {
        lost.push("（） (parentheses)");
    }
    // Quotation marks around a quotation: English keeps them. Short quoted terms and names (“货架”) are often
    // emphasis that English writes without quotes, so only a quotation of QUOTED_SPEECH characters or more counts.
    let quotation = |open: char, close: char| {
        source.split(open).skip(1).filter_map(|s| s.split_once(close)).any(|(inner, _)| {
            inner.chars().filter(|c| !c.is_whitespace()).count() >= QUOTED_SPEECH && !inner.contains(['·', '‧', '•'])
        })
    };
    if (quotation('“', '”') || quotation('「', '」')) && !has_quote(target) {
        lost.push("“” (quotation marks around a quotation)");
    }
    // Title marks: English writes a title in quotes, in italics (lost in plain text) or in title case; only a target
    // without any of them (the title left out) is reported.
    if source.contains('《')
        && source.contains('》')
        && !has_quote(target)
        && !target.contains(['<', '*', '_'])
        && !has_title_case(target)
    {
        lost.push("《》 (title marks)");
    }
    if !lost.is_empty() {
        report.whole(&format!("the source has {}, the target has no counterpart", lost.join(" and ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh(s: &str) -> Option<u64> {
        parse_zh(&s.chars().collect::<Vec<_>>())
    }

    #[test]
    fn chinese_numerals_are_read() {
        assert_eq!(zh("一百二十三"), Some(123));
        assert_eq!(zh("两千"), Some(2_000));
        assert_eq!(zh("十五"), Some(15));
        assert_eq!(zh("二十"), Some(20));
        assert_eq!(zh("一千零五"), Some(1_005));
        assert_eq!(zh("三亿五千万"), Some(350_000_000));
        assert_eq!(zh("一万亿"), Some(1_000_000_000_000));
        assert_eq!(zh("二〇二三"), Some(2_023));
        assert_eq!(zh("零"), Some(0));
    }

    #[test]
    fn numerals_that_are_not_one_number_are_not_read() {
        for s in ["十四五", "一万二", "一百五", "千万", "万一", "三五", "百"] {
            assert_eq!(zh(s), None, "{s}");
        }
        let run: Vec<char> = "一万六七千".chars().collect();
        assert_eq!(colloquial(&run), [16_000.0, 17_000.0]);
        assert_eq!(colloquial(&"一万二".chars().collect::<Vec<_>>()), [12_000.0]);
    }

    #[test]
    fn values_are_written_as_english_writes_them() {
        assert_eq!(english(4_400.0), "4,400");
        assert_eq!(english(25_000.0), "25,000");
        assert_eq!(english(3e8), "300 million");
        assert_eq!(english(1.2e12), "1.2 trillion");
        assert_eq!(english(2_023.0), "2023");
        assert_eq!(english(6.3), "6.3");
    }

    #[test]
    fn source_and_target_numbers_are_found_with_their_scale() {
        let src = source_numbers("投资2.5万元，覆盖10余万人，G20峰会");
        let hard: Vec<f64> = src.hard.iter().map(|n| n.values[0]).collect();
        assert_eq!(hard, [25_000.0, 100_000.0]);
        let tgt = target_numbers("It cost $3bn, or 25 thousand yuan each, on Oct. 20 in COVID-19 times.");
        let hard: Vec<f64> = tgt.hard.iter().map(|n| n.values[0]).collect();
        assert_eq!(hard, [3e9, 25_000.0, 20.0]);
        assert!(tgt.has(10.0) && tgt.has(19.0), "the month and the identifier vouch for source numbers");
    }
}
