//! `glossary` rules: checks over the names that term rules know, catching what no list of wrong renderings can.
//!
//! - `near-miss`: a phrase close to an official name but not equal ("State Council Informaton Office").
//!   Only phrases that share a rare anchor word with a name are compared, never every n-gram with every name.
//! - `capitalisation`: an official name written in lower case ("state council information office").
//! - `consistency`: one entity named two ways in one document; flagged at the later place, naming the earlier.

use super::term::{Role, TermHit, fit_case};
use super::text::{Text, short_key};
use crate::finding::{Finding, FixSafety};
use crate::rules::load::FieldError;
use crate::rules::schema::RawRule;
use crate::rules::{Detector, Rule, RuleSet};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlossaryCheck {
    NearMiss,
    Capitalisation,
    Consistency,
}

#[derive(Debug, Clone)]
pub struct GlossaryRule {
    pub check: GlossaryCheck,
    /// Similarity (normalised Damerau-Levenshtein, 0 to 1) at or above which a phrase is a near miss.
    pub threshold: f64,
    /// Names shorter than this many characters are not compared (one typo in a short name is a different word).
    pub min_length: usize,
    /// Names of fewer words are not checked for capitalisation.
    pub min_words: usize,
}

impl GlossaryRule {
    pub fn compile(raw: &RawRule) -> Result<Self, FieldError> {
        let check = raw
            .check
            .as_ref()
            .ok_or_else(|| FieldError::new("missing field `check` (near-miss, capitalisation or consistency)"))?;
        let kind = match check.get_ref().as_str() {
            "near-miss" => GlossaryCheck::NearMiss,
            "capitalisation" | "capitalization" => GlossaryCheck::Capitalisation,
            "consistency" => GlossaryCheck::Consistency,
            other => {
                return Err(FieldError::at(
                    check.span(),
                    format!("unknown glossary check `{other}`: use near-miss, capitalisation or consistency"),
                ));
            }
        };
        let threshold = raw.threshold.unwrap_or(0.9);
        if !(0.5..1.0).contains(&threshold) {
            return Err(FieldError::new("`threshold` must be at least 0.5 and below 1"));
        }
        Ok(GlossaryRule {
            check: kind,
            threshold,
            min_length: raw.min_length.unwrap_or(15),
            min_words: raw.min_words.unwrap_or(3),
        })
    }
}

/// An official name as the near-miss check compares it.
#[derive(Debug, Clone)]
struct Name {
    rule: usize,
    /// Lower case, single spaces (shared by the name's two anchors).
    normalised: std::sync::Arc<str>,
    /// Characters in `normalised`.
    chars: usize,
    words: usize,
    /// Index of each anchor word in the name.
    anchor_at: usize,
    /// Where the anchor word is in `normalised`.
    anchor: std::ops::Range<usize>,
}

impl Name {
    fn anchor(&self) -> &str {
        self.normalised.get(self.anchor.clone()).unwrap_or_default()
    }
}

/// The FNV-1a hash of an anchor word.
fn anchor_hash(word: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = Fnv::default();
    h.write(word.as_bytes());
    h.finish()
}

/// Anchor word (lower case) → the names it may start a comparison with. Built once per rule set.
#[derive(Debug, Clone, Default)]
pub struct NearMissIndex {
    /// One entry per name and anchor, grouped by the anchor's hash (in the order of the names within a group).
    names: Vec<Name>,
    /// Anchor hash → its group in `names` (whose anchors are then compared: two words may share a hash).
    groups: HashMap<u64, (usize, usize), std::hash::BuildHasherDefault<Fnv>>,
    /// The largest `anchor_at` of any name.
    max_anchor_at: usize,
    /// The largest number of words of any name.
    max_words: usize,
    /// A bit for the [`short_key`] of every anchor word (65,536 bits).
    anchor_keys: Vec<u64>,
}

/// FNV-1a: the anchor table is looked up for every capitalised word of a text, with short keys that no one chooses
/// to collide (the default SipHash resists that, at several times the cost).
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The hasher of a map whose keys are hashes already.
#[derive(Default)]
pub struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

const SHORT_WORDS: &[&str] = &["and", "for", "the", "of", "on", "in", "to", "with", "a", "an"];

impl NearMissIndex {
    pub fn build(rules: &[Rule], min_length: usize) -> NearMissIndex {
        // Each name lower-cased, its words joined by single spaces (one allocation a name: glossaries run to tens of
        // thousands of names).
        let mut names: Vec<(usize, std::sync::Arc<str>)> = Vec::new();
        let mut joined = String::new();
        for (ri, rule) in rules.iter().enumerate() {
            let Detector::Term(t) = &rule.detector else { continue };
            for right in &t.right {
                if right.len() < min_length || !right.chars().any(char::is_uppercase) {
                    continue;
                }
                joined.clear();
                for (n, piece) in right.split_whitespace().enumerate() {
                    if n > 0 {
                        joined.push(' ');
                    }
                    joined.push_str(piece);
                }
                if !joined.contains(' ') {
                    continue;
                }
                let lower: std::sync::Arc<str> = if joined.is_ascii() {
                    joined.make_ascii_lowercase();
                    joined.as_str().into()
                } else {
                    joined.to_lowercase().into()
                };
                names.push((ri, lower));
            }
        }
        // How many names each word occurs in (by the word's hash): the rarest words make the best anchors.
        let mut frequency: HashMap<u64, usize, std::hash::BuildHasherDefault<PreHashed>> =
            HashMap::with_capacity_and_hasher(names.len() * 2, Default::default());
        for (_, name) in &names {
            // Only words that can be anchors are looked up below.
            for w in name.split(' ').filter(|w| w.len() >= 4 && !SHORT_WORDS.contains(w)) {
                *frequency.entry(anchor_hash(w)).or_default() += 1;
            }
        }
        let mut anchored: Vec<(u64, Name)> = Vec::new();
        // A bit for the short key of every anchor, set while each name's text is at hand.
        let mut anchor_keys = vec![0u64; 1 << 10];
        let mut words: Vec<(usize, &str, u64)> = Vec::new();
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for (rule, normalised) in &names {
            words.clear();
            let mut at = 0;
            for w in normalised.split(' ') {
                words.push((at, w, anchor_hash(w)));
                at += w.len() + 1;
            }
            candidates.clear();
            candidates.extend(
                words
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, w, _))| w.len() >= 4 && !SHORT_WORDS.contains(w))
                    .map(|(i, (_, _, hash))| (frequency.get(hash).copied().unwrap_or(0), i)),
            );
            candidates.sort_unstable();
            let chars = normalised.chars().count();
            // Two anchors, so that a typo in one still leaves the other.
            for &(_, at) in candidates.iter().take(2) {
                let Some(&(offset, anchor, hash)) = words.get(at) else { continue };
                let key = usize::from(short_key(anchor));
                if let Some(bits) = anchor_keys.get_mut(key / 64) {
                    *bits |= 1 << (key % 64);
                }
                let name = Name {
                    rule: *rule,
                    normalised: normalised.clone(),
                    chars,
                    words: words.len(),
                    anchor_at: at,
                    anchor: offset..offset + anchor.len(),
                };
                anchored.push((hash, name));
            }
        }
        // Grouped by hash, each group in the order of the names (sorting hashes and positions, not the names).
        let mut order: Vec<(u64, usize)> = anchored.iter().enumerate().map(|(i, (hash, _))| (*hash, i)).collect();
        order.sort_unstable();
        let mut groups: HashMap<u64, (usize, usize), std::hash::BuildHasherDefault<Fnv>> =
            HashMap::with_capacity_and_hasher(order.len(), Default::default());
        for (i, (hash, _)) in order.iter().enumerate() {
            groups.entry(*hash).and_modify(|g| g.1 = i + 1).or_insert((i, i + 1));
        }
        let mut anchored: Vec<Option<Name>> = anchored.into_iter().map(|(_, name)| Some(name)).collect();
        let names: Vec<Name> = order.iter().filter_map(|&(_, i)| anchored.get_mut(i).and_then(Option::take)).collect();
        let max_anchor_at = names.iter().map(|n| n.anchor_at).max().unwrap_or(0);
        let max_words = names.iter().map(|n| n.words).max().unwrap_or(0);
        NearMissIndex { names, groups, max_anchor_at, max_words, anchor_keys }
    }

    /// Whether a word with this [`short_key`] may be an anchor (equal lower-cased words have equal short keys).
    fn may_anchor(&self, key: u16) -> bool {
        let key = usize::from(key);
        self.anchor_keys.get(key / 64).is_some_and(|bits| bits & (1 << (key % 64)) != 0)
    }
}

pub fn check(
    rule_index: usize,
    set: &RuleSet,
    p: &GlossaryRule,
    hits: &[TermHit],
    text: &Text,
    out: &mut Vec<Finding>,
) {
    let rules = &set.rules[..];
    match p.check {
        GlossaryCheck::Capitalisation => capitalisation(rule_index, rules, p, hits, text, out),
        GlossaryCheck::Consistency => consistency(rule_index, rules, hits, text, out),
        GlossaryCheck::NearMiss => near_misses(rule_index, set, p, hits, text, out),
    }
}

fn finding(
    rule_index: usize,
    rule: &Rule,
    start: usize,
    end: usize,
    message: String,
    suggestion: Option<String>,
) -> Finding {
    let suggestions: Vec<String> =
        if rule.fix == FixSafety::None { Vec::new() } else { suggestion.into_iter().collect() };
    Finding {
        rule: rule_index,
        start,
        end,
        severity: rule.severity,
        message,
        fix_safe: rule.fix == FixSafety::Safe && !suggestions.is_empty(),
        suggestions,
    }
}

fn term_of(rules: &[Rule], index: usize) -> &super::term::TermRule {
    match &rules[index].detector {
        Detector::Term(t) => t,
        _ => unreachable!("term hits come from term rules"),
    }
}

fn capitalisation(
    rule_index: usize,
    rules: &[Rule],
    p: &GlossaryRule,
    hits: &[TermHit],
    text: &Text,
    out: &mut Vec<Finding>,
) {
    let rule = &rules[rule_index];
    for hit in hits.iter().filter(|h| h.role == Role::Right) {
        let matched = &text.text[hit.start..hit.end];
        let term = term_of(rules, hit.rule);
        let Some(canonical) = term.right.iter().find(|r| r.eq_ignore_ascii_case(matched)) else { continue };
        let capitals = canonical.split_whitespace().filter(|w| w.starts_with(char::is_uppercase)).count();
        if matched == canonical || canonical.split_whitespace().count() < p.min_words || capitals < 2 {
            continue;
        }
        // Only a name written wholly in lower case (but for a capital starting the sentence) is flagged: "the greater
        // Bay Area" or a headline in capitals is a choice, not an artifact.
        let mut letters = matched.chars().filter(|c| c.is_alphabetic());
        let first_upper = letters.next().is_some_and(char::is_uppercase);
        if letters.any(char::is_uppercase) || (first_upper && !text.starts_sentence(hit.start)) {
            continue;
        }
        let suggestion = fit_case(canonical, matched, false);
        out.push(finding(
            rule_index,
            rule,
            hit.start,
            hit.end,
            rule.render_message(matched, Some(&suggestion)),
            Some(suggestion),
        ));
    }
}

fn consistency(rule_index: usize, rules: &[Rule], hits: &[TermHit], text: &Text, out: &mut Vec<Finding>) {
    let rule = &rules[rule_index];
    // For each entity: the first form seen, and the forms already reported.
    let mut first: HashMap<usize, (&TermHit, Vec<String>)> = HashMap::new();
    let mut newlines: Option<Vec<usize>> = None;
    let form = |h: &TermHit| match h.role {
        Role::Right => "right".to_string(),
        Role::Wrong => text.text[h.start..h.end].to_lowercase(),
    };
    for hit in hits {
        let Some((earlier, reported)) = first.get_mut(&hit.rule) else {
            first.insert(hit.rule, (hit, Vec::new()));
            continue;
        };
        let this = form(hit);
        if this == form(earlier) || reported.contains(&this) {
            continue;
        }
        reported.push(this);
        let matched = &text.text[hit.start..hit.end];
        let earlier_text = &text.text[earlier.start..earlier.end];
        // Line starts are found once, on the first report of a document, however many follow.
        let breaks = newlines.get_or_insert_with(|| memchr::memchr_iter(b'\n', text.text.as_bytes()).collect());
        let line = breaks.partition_point(|&b| b < earlier.start) + 1;
        let term = term_of(rules, hit.rule);
        let suggestion =
            (hit.role == Role::Wrong).then(|| fit_case(&term.right[0], matched, text.starts_sentence(hit.start)));
        let message = rule
            .render_message(matched, suggestion.as_deref())
            .replace("{earlier}", earlier_text)
            .replace("{earlier_line}", &line.to_string());
        out.push(finding(rule_index, rule, hit.start, hit.end, message, suggestion));
    }
}

/// Words `start..=last` of a text as a near-miss candidate, with what does not depend on the name compared.
struct Window {
    /// Byte span.
    a: usize,
    b: usize,
    /// Where in the anchor's buffer of candidates the span's words are, joined by single spaces, lower-cased, without
    /// a final possessive "'s", and how many characters that is; `None` when the span is no candidate for any name:
    /// it crosses a line, begins in lower case, touches a wrong rendering (the term rule's business) or lies inside a
    /// correct name found there.
    normalised: Option<(std::ops::Range<usize>, usize)>,
    /// The term hits overlapping the span (indices into the hits).
    hits: std::ops::Range<usize>,
}

impl Window {
    /// `from`: a hit index before which no hit reaches `start`; `buffer`: where the normalised form is written.
    fn new(text: &Text, hits: &[TermHit], from: usize, start: usize, last: usize, buffer: &mut String) -> Window {
        let (a, b) = (text.words[start].start(), text.words[last].end());
        let first = from + hits[from..].iter().take_while(|h| h.end <= a).count();
        let overlapping = first + hits[first..].iter().take_while(|h| h.start < b).count();
        let span = &text.text[a..b];
        let refused = span.contains('\n')
            || !span.starts_with(char::is_uppercase)
            || hits[first..overlapping].iter().any(|h| h.role == Role::Wrong || (h.start <= a && h.end >= b));
        let normalised = (!refused).then(|| {
            let begin = buffer.len();
            for (n, piece) in span.split_whitespace().enumerate() {
                if n > 0 {
                    buffer.push(' ');
                }
                buffer.push_str(piece);
            }
            if span.is_ascii() {
                buffer[begin..].make_ascii_lowercase();
            } else {
                let lower = buffer[begin..].to_lowercase();
                buffer.truncate(begin);
                buffer.push_str(&lower);
            }
            let kept = buffer[begin..].trim_end_matches("'s").trim_end_matches("’s").len();
            buffer.truncate(begin + kept);
            let chars = if span.is_ascii() { kept } else { buffer[begin..].chars().count() };
            (begin..begin + kept, chars)
        });
        Window { a, b, normalised, hits: first..overlapping }
    }
}

fn near_misses(
    rule_index: usize,
    set: &RuleSet,
    p: &GlossaryRule,
    hits: &[TermHit],
    text: &Text,
    out: &mut Vec<Finding>,
) {
    let rules = &set.rules[..];
    let rule = &rules[rule_index];
    let words = &text.words;
    // The index is built on the first word that may be an anchor (see below).
    let mut index: Option<&NearMissIndex> = None;
    let mut last_end = 0;
    // Candidate phrases of the current anchor, examined once however many names they are compared with.
    let mut windows: Vec<Window> = Vec::new();
    let mut buffer = String::new();
    // Windows by where they start and end around the anchor (see below), for the names of one anchor to share them.
    let mut grid: Vec<(usize, usize)> = Vec::new();
    let mut columns = 0;
    let mut stamp = 0;
    let mut from = 0;
    let mut lower = String::new();
    let keys = text.lower_keys();
    for (k, (w, &key)) in words.iter().zip(keys).enumerate() {
        // Until the index exists, words that cannot be anchors are passed over without it, so a text without a
        // capitalised word of four letters or more never builds it.
        if index.is_none() {
            let word = text.word(*w);
            if !word.starts_with(char::is_uppercase) || (word.is_ascii() && word.len() < 4) {
                continue;
            }
        }
        let near = *index.get_or_insert_with(|| {
            let near = set.near_miss_index();
            // A window starts at most `max_anchor_at + 1` words before the anchor and ends at most `max_words` after.
            columns = near.max_words + 1;
            grid = vec![(0, 0); (near.max_anchor_at + 2) * columns];
            near
        });
        // Most words are no anchor, which their short key shows without lower-casing them.
        if !near.may_anchor(key) || w.start() < last_end {
            continue;
        }
        let word = text.word(*w);
        if !word.starts_with(char::is_uppercase) {
            continue;
        }
        // Anchors are lower-case words of four bytes or more; an ASCII word keeps its length when lower-cased.
        if word.is_ascii() && word.len() < 4 {
            continue;
        }
        lower.clear();
        if word.is_ascii() {
            lower.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            lower.push_str(&word.to_lowercase());
        }
        let Some(&(lo, hi)) = near.groups.get(&anchor_hash(&lower)) else { continue };
        let names = near.names[lo..hi].iter().filter(|n| n.anchor() == lower);
        windows.clear();
        buffer.clear();
        stamp += 1;
        // The hits before the earliest word a window of this anchor can start at: anchors only move forward.
        let floor = words[k.saturating_sub(near.max_anchor_at + 1)].start();
        while hits.get(from).is_some_and(|h| h.end <= floor) {
            from += 1;
        }
        let mut best: Option<(f64, usize, usize, usize)> = None; // similarity, start, end, rule
        for name in names {
            for start in (k.saturating_sub(name.anchor_at + 1))..=(k + 1).saturating_sub(name.anchor_at) {
                for len in name.words.saturating_sub(1).max(1)..=name.words + 1 {
                    let Some(last) = (start + len).checked_sub(1).filter(|&l| l < words.len()) else { continue };
                    if start > k || last < k {
                        continue;
                    }
                    // The window's cell: rows by how far it starts before the anchor, columns by how far it ends
                    // after; a cell holds the window's index when its stamp is this anchor's.
                    let cell = (k - start) * columns + (last - k);
                    let at = match grid.get(cell) {
                        Some(&(s, at)) if s == stamp => at,
                        _ => {
                            windows.push(Window::new(text, hits, from, start, last, &mut buffer));
                            if let Some(c) = grid.get_mut(cell) {
                                *c = (stamp, windows.len() - 1);
                            }
                            windows.len() - 1
                        }
                    };
                    let Some(window) = windows.get(at) else { continue };
                    let Some((range, chars)) = &window.normalised else { continue };
                    let candidate = &buffer[range.clone()];
                    // A candidate inside the very name it is compared with is that name plus a neighbouring word.
                    if hits[window.hits.clone()].iter().any(|h| h.rule == name.rule) {
                        continue;
                    }
                    if candidate == &*name.normalised || candidate.len().abs_diff(name.normalised.len()) > 6 {
                        continue;
                    }
                    if !may_reach(*chars, name.chars, p.threshold) {
                        continue;
                    }
                    // The phrase must begin and end where the name does, give or take a typo: "The National
                    // Development and Reform Commission" is the name with "The" before it, not a near miss.
                    let edge = |a: Option<&str>, b: Option<&str>| a.zip(b).is_some_and(|(a, b)| within_two(a, b));
                    if !edge(candidate.split(' ').next(), name.normalised.split(' ').next())
                        || !edge(candidate.split(' ').next_back(), name.normalised.split(' ').next_back())
                    {
                        continue;
                    }
                    let similarity = strsim::normalized_damerau_levenshtein(candidate, &name.normalised);
                    if similarity >= p.threshold && best.is_none_or(|(s, ..)| similarity > s) {
                        best = Some((similarity, window.a, window.b, name.rule));
                    }
                }
            }
        }
        if let Some((_, a, b, ri)) = best {
            let term = term_of(rules, ri);
            let canonical = term
                .right
                .iter()
                .max_by(|x, y| {
                    strsim::normalized_damerau_levenshtein(&x.to_lowercase(), &text.text[a..b].to_lowercase())
                        .total_cmp(&strsim::normalized_damerau_levenshtein(
                            &y.to_lowercase(),
                            &text.text[a..b].to_lowercase(),
                        ))
                })
                .unwrap_or(&term.right[0]);
            let matched = &text.text[a..b];
            out.push(finding(
                rule_index,
                rule,
                a,
                b,
                rule.render_message(matched, Some(canonical)),
                Some(canonical.clone()),
            ));
            last_end = b;
        }
    }
}

/// Whether the Damerau-Levenshtein distance of two words is at most 2, computing it only when needed: equal words
/// are at distance 0, and words whose lengths differ by more than 2 characters are further apart than that.
fn within_two(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (x, y) = (a.chars().count(), b.chars().count());
    if x.abs_diff(y) > 2 {
        return false;
    }
    // Each edit adds at most one character and removes at most one, so the distance is at least the number of
    // characters one word has more of than the other (counted for ASCII words, without computing the distance).
    if a.is_ascii() && b.is_ascii() {
        let mut surplus = [0i32; 128];
        for c in a.bytes() {
            if let Some(n) = surplus.get_mut(usize::from(c)) {
                *n += 1;
            }
        }
        for c in b.bytes() {
            if let Some(n) = surplus.get_mut(usize::from(c)) {
                *n -= 1;
            }
        }
        let more: i32 = surplus.iter().filter(|&&n| n > 0).sum();
        let fewer: i32 = -surplus.iter().filter(|&&n| n < 0).sum::<i32>();
        if more.max(fewer) > 2 {
            return false;
        }
    }
    strsim::damerau_levenshtein(a, b) <= 2
}

/// Whether `strsim::normalized_damerau_levenshtein(a, b)` can reach `threshold`, for strings of `x` and `y` characters. The distance is at least the
/// difference of the lengths, so the similarity is at most `1 - difference / longer`, computed the same way.
fn may_reach(x: usize, y: usize, threshold: f64) -> bool {
    if x == 0 && y == 0 {
        return true;
    }
    1.0 - (x.abs_diff(y) as f64) / (x.max(y) as f64) >= threshold
}

#[cfg(test)]
mod tests {
    use super::{may_reach, within_two};

    #[test]
    fn shortcuts_agree_with_the_distance() {
        let words = [
            "commission",
            "comission",
            "commision",
            "office",
            "ofice",
            "bureau",
            "",
            "x",
            "ministry",
            "abcd",
            "dcba",
            "badc",
            "abdc",
            "aabb",
            "bbaa",
            "ab",
            "ba",
        ];
        for a in words {
            for b in words {
                assert_eq!(within_two(a, b), strsim::damerau_levenshtein(a, b) <= 2, "{a:?} {b:?}");
                let similarity = strsim::normalized_damerau_levenshtein(a, b);
                for threshold in [0.5, 0.8, 0.9, 0.95] {
                    // The bound may only rule out pairs that cannot reach the threshold.
                    let (x, y) = (a.chars().count(), b.chars().count());
                    assert!(may_reach(x, y, threshold) || similarity < threshold, "{a:?} {b:?} {threshold}");
                }
            }
        }
        assert!(!may_reach("state council office".len(), "state council information office".len(), 0.9));
    }
}
