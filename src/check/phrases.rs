//! The glossary's phrases as a sorted table: the longest phrase written at a position of a text (ASCII case folded),
//! found by narrowing a range of the table one byte at a time.
//!
//! Building it is folding and sorting the phrases, so a glossary of 40,000 entries costs little more to load than
//! one of 400 (an Aho-Corasick automaton over the same phrases took most of a second to build). It is searched only
//! where a whole-word match can begin, which the term detector knows (see `term::find_terms`).
//!
//! The phrases are grouped by their first word — the run of ASCII letters and digits they begin with — and a search
//! narrows only the group of the word written at the position, found by hashing it: with a large glossary, many
//! phrases begin with the same two letters as a common word ("said", "more"), but few begin with the word itself. A
//! phrase whose first word is shorter than the word in the text ends inside that word, so it could never be taken
//! as a whole-word match; the groups leave out nothing a whole-word search can find.

use std::cmp::Ordering;

/// Phrases, ASCII-folded, in byte order, each with its index in the list they were built from.
/// One phrase of the table: its first bytes inline (most comparisons need no other memory), where the rest is.
#[derive(Debug, Clone, Copy)]
struct Entry {
    head: [u8; HEAD],
    len: u32,
    offset: u32,
    index: u32,
}

const HEAD: usize = 8;

/// The phrases of `entries[start..end]`, all beginning with the same first word of `word` bytes, hashed `hash`.
#[derive(Debug, Clone, Copy, Default)]
struct Group {
    hash: u64,
    word: u32,
    start: u32,
    end: u32,
}

/// The length of the run of ASCII letters and digits that `bytes` begins with.
#[inline]
fn first_word(bytes: &[u8]) -> usize {
    bytes.iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(bytes.len())
}

/// The first eight bytes of `bytes` as a big-endian number, zeros after a shorter string: where the keys of two strings
/// differ, they order as the strings do (a string that is a prefix of another has the smaller key).
fn prefix_key(bytes: &[u8]) -> u64 {
    let mut key = [0u8; 8];
    for (k, b) in key.iter_mut().zip(bytes) {
        *k = *b;
    }
    u64::from_be_bytes(key)
}

/// A phrase folded into the buffer of all phrases, with the keys it is sorted by.
struct Folded {
    /// [`prefix_key`] of the first word, and of the whole phrase.
    word_key: u64,
    text_key: u64,
    /// Where the phrase and its first word are in the buffer.
    start: usize,
    word: usize,
    end: usize,
    /// Its index in the list the table is built from.
    index: usize,
}

/// The first word of `bytes`.
#[inline]
fn word_of(bytes: &[u8]) -> &[u8] {
    bytes.get(..first_word(bytes)).unwrap_or_default()
}

/// The hash of a first word, ASCII case folded (the same for a folded phrase and for the text).
#[inline]
fn word_hash(word: &[u8]) -> u64 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for &b in word {
        h = (h.rotate_left(5) ^ u64::from(b | 0x20)).wrapping_mul(0x517C_C1B7_2722_0A95);
    }
    h
}

#[derive(Debug, Clone, Default)]
pub struct PhraseTable {
    /// Phrases of two bytes or more, grouped by their first word and sorted by their folded bytes in each group.
    entries: Vec<Entry>,
    /// The folded bytes of every phrase, one after another.
    bytes: Vec<u8>,
    /// The groups of `entries` by first word, in an open-addressing hash table (a power of two long, at most half
    /// full; empty slots have an empty range).
    groups: Vec<Group>,
    /// One-byte phrases, by their folded byte.
    single: Vec<Option<u32>>,
    /// Whether some phrase begins with a folded byte.
    first: Vec<bool>,
    /// A filter of the phrases' beginnings: a bit set for the hash of the first four folded bytes of every longer
    /// phrase, and of the three bytes of every three-byte one. A position whose bits are clear (and that begins no
    /// phrase of one or two bytes) begins no phrase, which is most positions of most texts.
    filter: Vec<u64>,
    filter_shift: u32,
    /// Whether a two-byte phrase is these two folded bytes.
    two: Vec<bool>,
}

/// The filter's hash of a phrase's first bytes (`key`), as a bit position.
#[inline]
fn filter_bit(key: u32, shift: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> shift) as usize
}

/// The filter key of four bytes, or of three (`d` = `None`).
#[inline]
fn filter_key(a: u8, b: u8, c: u8, d: Option<u8>) -> u32 {
    let three = u32::from(a) | u32::from(b) << 8 | u32::from(c) << 16;
    match d {
        Some(d) => three | u32::from(d) << 24,
        None => three ^ 0x5A00_0000,
    }
}

impl PhraseTable {
    /// A table of `phrases` (distinct once ASCII-folded; of two equal ones, the first is found). Empty phrases are
    /// never found; a table of more than 4 GiB of phrases keeps the phrases that fit.
    pub fn new<'a>(phrases: impl IntoIterator<Item = &'a str>) -> PhraseTable {
        // Every phrase folded into one buffer (no allocation a phrase: glossaries run to tens of thousands).
        let mut all: Vec<u8> = Vec::new();
        let mut spans: Vec<Folded> = Vec::new();
        for (index, p) in phrases.into_iter().enumerate() {
            if !p.is_empty() {
                let start = all.len();
                all.extend(p.bytes().map(|b| b.to_ascii_lowercase()));
                let end = all.len();
                let word = start + first_word(p.as_bytes());
                let word_key = prefix_key(all.get(start..word).unwrap_or_default());
                let text_key = prefix_key(all.get(start..end).unwrap_or_default());
                spans.push(Folded { word_key, text_key, start, word, end, index });
            }
        }
        let text = |f: &Folded| all.get(f.start..f.end).unwrap_or_default();
        let word = |f: &Folded| all.get(f.start..f.word).unwrap_or_default();
        // Grouped by first word and sorted by folded bytes in each group; of two equal phrases the first is kept.
        // The sort compares the first eight bytes of word and phrase as numbers first (most comparisons end there).
        spans.sort_unstable_by(|a, b| {
            a.word_key
                .cmp(&b.word_key)
                .then_with(|| {
                    if a.word - a.start <= 8 && b.word - b.start <= 8 { Ordering::Equal } else { word(a).cmp(word(b)) }
                })
                .then(a.text_key.cmp(&b.text_key))
                .then_with(|| text(a).cmp(text(b)))
                .then(a.index.cmp(&b.index))
        });
        spans.dedup_by(|b, a| text(a) == text(b));
        let folded = spans.iter().map(|f| (text(f), f.index));
        let mut table = PhraseTable {
            entries: Vec::with_capacity(spans.len()),
            bytes: Vec::new(),
            groups: Vec::new(),
            single: vec![None; 256],
            first: vec![false; 256],
            filter: Vec::new(),
            filter_shift: 32,
            two: vec![false; 1 << 16],
        };
        // About 16 bits a phrase: few false positives, and the set stays in cache for a small glossary.
        let bits = (spans.len() * 16).next_power_of_two().clamp(1 << 12, 1 << 30);
        table.filter = vec![0; bits / 64];
        table.filter_shift = 32 - bits.trailing_zeros();
        let mut groups: Vec<Group> = Vec::new();
        for (phrase, index) in folded {
            let (Ok(index), Ok(len), Ok(offset)) =
                (u32::try_from(index), u32::try_from(phrase.len()), u32::try_from(table.bytes.len()))
            else {
                break;
            };
            match phrase {
                [] => {}
                [b] => {
                    if let Some(slot) = table.single.get_mut(usize::from(*b)) {
                        *slot = Some(index);
                    }
                }
                [_, _, ..] => {
                    let Ok(at) = u32::try_from(table.entries.len()) else { break };
                    let word = word_of(phrase);
                    let same_group = groups.last().is_some_and(|g| {
                        table.entries.get(g.start as usize).is_some_and(|e| {
                            g.word as usize == word.len() && table.bytes_of(e).get(..word.len()) == Some(word)
                        })
                    });
                    match groups.last_mut() {
                        Some(g) if same_group => g.end = at + 1,
                        _ => groups.push(Group {
                            hash: word_hash(word),
                            word: u32::try_from(word.len()).unwrap_or(u32::MAX),
                            start: at,
                            end: at + 1,
                        }),
                    }
                    let mut head = [0; HEAD];
                    for (h, b) in head.iter_mut().zip(phrase) {
                        *h = *b;
                    }
                    table.entries.push(Entry { head, len, offset, index });
                    table.bytes.extend_from_slice(phrase);
                }
            }
            if let Some(f) = phrase.first().and_then(|&b| table.first.get_mut(usize::from(b))) {
                *f = true;
            }
            let key = match phrase {
                [a, b] => {
                    if let Some(t) = table.two.get_mut(usize::from(*a) << 8 | usize::from(*b)) {
                        *t = true;
                    }
                    None
                }
                [a, b, c] => Some(filter_key(*a, *b, *c, None)),
                [a, b, c, d, ..] => Some(filter_key(*a, *b, *c, Some(*d))),
                _ => None,
            };
            if let Some(key) = key {
                let bit = filter_bit(key, table.filter_shift);
                if let Some(word) = table.filter.get_mut(bit / 64) {
                    *word |= 1 << (bit % 64);
                }
            }
        }
        table.groups = vec![Group::default(); (groups.len() * 2).next_power_of_two().max(1)];
        let mask = table.groups.len() - 1;
        for g in groups {
            let mut slot = g.hash as usize & mask;
            while table.groups.get(slot).is_some_and(|s| s.start != s.end) {
                slot = (slot + 1) & mask;
            }
            if let Some(s) = table.groups.get_mut(slot) {
                *s = g;
            }
        }
        table
    }

    /// The folded bytes of an entry.
    fn bytes_of(&self, e: &Entry) -> &[u8] {
        self.bytes.get(e.offset as usize..e.offset as usize + e.len as usize).unwrap_or_default()
    }

    /// The group of phrases whose first word is `word` (folded from the text), as a range of `entries`.
    #[inline]
    fn group(&self, word: &[u8]) -> Option<(usize, usize)> {
        let mask = self.groups.len().checked_sub(1)?;
        let hash = word_hash(word);
        let mut slot = hash as usize & mask;
        loop {
            let g = self.groups.get(slot)?;
            if g.start == g.end {
                return None;
            }
            if g.hash == hash
                && g.word as usize == word.len()
                && self
                    .entries
                    .get(g.start as usize)
                    .is_some_and(|e| self.bytes_of(e).get(..word.len()).is_some_and(|w| w.eq_ignore_ascii_case(word)))
            {
                return Some((g.start as usize, g.end as usize));
            }
            slot = (slot + 1) & mask;
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.first.contains(&true)
    }

    /// Byte `depth` of an entry (folded), for `depth` below its length.
    #[inline]
    fn byte(&self, e: &Entry, depth: usize) -> u8 {
        match e.head.get(depth) {
            Some(&b) => b,
            None => self.bytes.get(e.offset as usize + depth).copied().unwrap_or(0),
        }
    }

    /// The longest phrase that `text[at..]` begins with, ASCII case folded, among the one-byte phrases and those whose
    /// first word is the word written at `at` (see the module's note): (its index, its length in bytes).
    pub fn longest_at(&self, text: &[u8], at: usize) -> Option<(usize, usize)> {
        let rest = text.get(at..)?;
        let first = rest.first()?.to_ascii_lowercase();
        let mut best = self.single.get(usize::from(first)).copied().flatten().map(|i| (i as usize, 1));
        let Some(second) = rest.get(1).map(u8::to_ascii_lowercase) else { return best };
        // The filter: most positions begin no phrase of two bytes or more.
        let third = rest.get(2).map(u8::to_ascii_lowercase);
        let fourth = rest.get(3).map(u8::to_ascii_lowercase);
        let set = |key: u32| {
            let bit = filter_bit(key, self.filter_shift);
            self.filter.get(bit / 64).is_some_and(|w| w & (1 << (bit % 64)) != 0)
        };
        let maybe = self.two.get(usize::from(first) << 8 | usize::from(second)).copied().unwrap_or(false)
            || third.is_some_and(|c| set(filter_key(first, second, c, None)))
            || third.zip(fourth).is_some_and(|(c, d)| set(filter_key(first, second, c, Some(d))));
        if !maybe {
            return best;
        }
        let word = first_word(rest);
        let Some((mut lo, mut hi)) = rest.get(..word).and_then(|w| self.group(w)) else { return best };
        // The group's phrases all begin with the word written here.
        let mut depth = word;
        // Every entry in `lo..hi` begins with `rest[..depth]`; the one of exactly that length, if any, sorts first.
        while lo < hi {
            let Some(e) = self.entries.get(lo) else { break };
            if e.len as usize == depth {
                best = Some((e.index as usize, depth));
                lo += 1;
            }
            let (Some(&b), Some(range)) = (rest.get(depth), self.entries.get(lo..hi)) else { break };
            let b = b.to_ascii_lowercase();
            let x = range.partition_point(|e| self.byte(e, depth) < b);
            let y = x + range.get(x..).map_or(0, |r| r.partition_point(|e| self.byte(e, depth) <= b));
            (lo, hi) = (lo + x, lo + y);
            depth += 1;
        }
        best
    }

    /// Whether some phrase begins with this byte (folded).
    #[inline]
    pub fn may_start(&self, byte: u8) -> bool {
        self.first.get(usize::from(byte.to_ascii_lowercase())).copied().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::PhraseTable;

    #[test]
    fn the_longest_phrase_at_a_position_case_folded() {
        let table = PhraseTable::new(["State Council", "State", "state council office", "AI", "Xiong'an"]);
        let text = b"the STATE COUNCIL OFFICE and the State Councillor, ai, xiong'an";
        assert_eq!(table.longest_at(text, 4), Some((2, 20)));
        assert_eq!(table.longest_at(text, 33), Some((0, 13)));
        assert_eq!(table.longest_at(text, 0), None);
        assert_eq!(table.longest_at(text, 51), Some((3, 2)));
        assert_eq!(table.longest_at(text, 55), Some((4, 8)));
        assert_eq!(table.longest_at(text, text.len()), None);
        assert!(table.may_start(b's') && !table.may_start(b'q'));
    }

    #[test]
    fn phrases_are_searched_among_those_beginning_with_the_word_written_there() {
        let table = PhraseTable::new(["said", "said x", "saidy", "sa", "5G network", "5G", "(SCIO)", "x"]);
        let text = b"Saidy SAID X, said; sa, 5g networks (scio) xy";
        assert_eq!(table.longest_at(text, 0), Some((2, 5)));
        assert_eq!(table.longest_at(text, 6), Some((1, 6)));
        assert_eq!(table.longest_at(text, 14), Some((0, 4)));
        assert_eq!(table.longest_at(text, 20), Some((3, 2)));
        // "5G network" ends inside "networks": the word "5g" is written here, and that phrase is its longest.
        assert_eq!(table.longest_at(text, 24), Some((4, 10)));
        // A phrase beginning with punctuation belongs to the group of the empty word.
        assert_eq!(table.longest_at(text, 36), Some((6, 6)));
        // "x" is a one-byte phrase; "xy" begins no longer one.
        assert_eq!(table.longest_at(text, 43), Some((7, 1)));
    }
}
