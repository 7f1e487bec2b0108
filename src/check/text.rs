//! The analysed view of a piece of text that every detector shares: words, sentences and protected spans
//! (URLs, e-mail addresses, inline code, file names), computed once per text instead of once per rule.

use regex::Regex;
use std::cell::OnceCell;
use std::ops::Range;
use std::sync::LazyLock;

/// A word: a run of letters and digits, with inner apostrophes and hyphens ("Xiong'an", "year-on-year").
///
/// Offsets are kept in 32 bits, so the word table of a large document takes 8 bytes a word; documents of 4 GiB or
/// more are refused when read (see `input::read`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    start: u32,
    end: u32,
}

impl Word {
    fn new(start: usize, end: usize) -> Word {
        let narrow = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        Word { start: narrow(start), end: narrow(end) }
    }

    /// The byte offset of the word's first character.
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// The byte offset just past the word's last character.
    pub fn end(self) -> usize {
        self.end as usize
    }
}

/// The largest text whose offsets [`Word`] can hold.
pub const MAX_TEXT_LEN: usize = u32::MAX as usize;

pub struct Text<'a> {
    pub text: &'a str,
    pub words: Vec<Word>,
    /// Sentence spans, in order, covering the text between them.
    pub sentences: Vec<Range<usize>>,
    /// Spans that are not prose (URLs, addresses, code): nothing inside them is flagged.
    pub protected: Vec<Range<usize>>,
    /// [`short_key`] of every word, computed on first use ([`Text::lower_keys`]).
    keys: OnceCell<Vec<u16>>,
}

/// The bit set in a hashed [`lower_key`]; packed keys never have it.
const HASHED: u64 = 1 << 63;

/// A key of a word's lower-cased form, shared by the detectors that compare words case-insensitively.
///
/// The form keyed is the word lower-cased character by character (`char::to_lowercase`) with every `ς` read as `σ`,
/// so words equal under `str::to_lowercase` and words equal under character-wise lower-casing both have equal keys
/// (the two differ only in the Greek final sigma): a different key proves two words different either way. A form of
/// up to 7 bytes is packed into the key exactly (its length in the top byte, the bytes below), so equal packed keys
/// mean equal forms; a longer form is hashed (FNV-1a) with the top bit set, and equal hashed keys need the words
/// compared.
pub fn lower_key(w: &str) -> u64 {
    fn finish(len: usize, packed: u64, hash: u64) -> u64 {
        if len <= 7 { ((len as u64) << 56) | packed } else { hash | HASHED }
    }
    let mut packed: u64 = 0;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut len = 0;
    let mut push = |b: u8| {
        if len < 7 {
            packed |= u64::from(b) << (8 * len);
        }
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        len += 1;
    };
    if w.is_ascii() {
        for b in w.bytes() {
            push(b.to_ascii_lowercase());
        }
    } else {
        let mut buf = [0u8; 4];
        for c in w.chars().flat_map(char::to_lowercase) {
            let c = if c == 'ς' { 'σ' } else { c };
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                push(b);
            }
        }
    }
    finish(len, packed, hash)
}

/// The packed [`lower_key`] of a lower-case ASCII word of at most 7 bytes, at compile time.
pub const fn packed_key(w: &str) -> u64 {
    let b = w.as_bytes();
    assert!(b.len() <= 7);
    let mut packed = (b.len() as u64) << 56;
    let mut i = 0;
    while i < b.len() {
        packed |= (b[i] as u64) << (8 * i);
        i += 1;
    }
    packed
}

/// [`lower_key`] folded to 16 bits: kept for every word of a text (two bytes a word, so the table of a 100 MB
/// document stays small). Equal lower-cased forms have equal short keys, so a different short key proves two words
/// different; equal short keys prove nothing, and the words are then compared.
pub fn short_key(w: &str) -> u16 {
    fold(lower_key(w))
}

/// A 64-bit key folded to 16 bits.
pub fn fold(key: u64) -> u16 {
    let k = key ^ (key >> 32);
    (k ^ (k >> 16)) as u16
}

/// Whether a key is packed (the word's lower-cased form is exactly known from it).
pub fn is_packed(key: u64) -> bool {
    key & HASHED == 0
}

// A constant pattern, compiled by every check (and so by every test).
#[allow(clippy::expect_used)]
static PROTECTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:(?-u:\b)(?:https?|ftp)://|(?-u:\b)www\.)[^\s<>]*[^\s<>.,;:!?)\]'\x22]",
        r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
        r"|`[^`\n]+`",
        r"|(?-u:\b)[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|int|cn|hk|mo|tw|uk|us|de|fr|jp|io|ai|info|biz)(?-u:\b)(?:/[^\s<>]*[^\s<>.,;:!?)\]'\x22])?",
        r"|(?-u:\b)[\w-]+\.(?:pdf|docx?|xlsx?|pptx?|csv|tsv|txt|md|html?|json|xml|zip|rar|gz|tar|png|jpe?g|gif|svg|exe|js|ts|rs|py|toml|ya?ml|xliff|xlf|po|tmx)(?-u:\b)",
    ))
    .expect("the protected-span regex is a valid constant")
});

impl<'a> Text<'a> {
    pub fn new(text: &'a str) -> Self {
        let words = split_words(text);
        let sentences = split_sentences(text);
        // Every protected span holds a `.`, `:`, `@` or backtick: text without any (an empty input) needs no regex.
        let may_protect = memchr::memchr3(b'.', b'@', b'`', text.as_bytes()).is_some()
            || memchr::memchr(b':', text.as_bytes()).is_some();
        let protected = if may_protect { PROTECTED.find_iter(text).map(|m| m.range()).collect() } else { Vec::new() };
        Text { text, words, sentences, protected, keys: OnceCell::new() }
    }

    /// [`short_key`] of every word of `words`, in the same order.
    pub fn lower_keys(&self) -> &[u16] {
        self.keys.get_or_init(|| self.words.iter().map(|&w| short_key(self.word(w))).collect())
    }

    pub fn word(&self, w: Word) -> &'a str {
        self.text.get(w.start()..w.end()).unwrap_or("")
    }

    /// Whether `range` overlaps a protected span.
    pub fn is_protected(&self, range: &Range<usize>) -> bool {
        let i = self.protected.partition_point(|p| p.end <= range.start);
        self.protected.get(i).is_some_and(|p| p.start < range.end)
    }

    /// The sentence containing byte `offset`.
    pub fn sentence_at(&self, offset: usize) -> Range<usize> {
        let i = self.sentences.partition_point(|s| s.end <= offset);
        self.sentences.get(i).cloned().unwrap_or(offset..offset)
    }

    /// Whether `offset` is where a sentence begins (ignoring opening quotes and brackets).
    pub fn starts_sentence(&self, offset: usize) -> bool {
        let s = self.sentence_at(offset);
        self.text[s.start..offset].chars().all(|c| c.is_whitespace() || "\"'“‘([".contains(c))
    }

    /// Indices into `words` of the words inside `range`.
    pub fn words_in(&self, range: &Range<usize>) -> Range<usize> {
        let a = self.words.partition_point(|w| w.start() < range.start);
        let b = self.words.partition_point(|w| w.start() < range.end);
        a..b
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether the character starting at byte `i` (a character boundary) is a word character; ASCII without decoding.
#[inline]
fn word_char_at(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        None => false,
        Some(&b) if b < 0x80 => b.is_ascii_alphanumeric(),
        Some(_) => text[i..].chars().next().is_some_and(is_word_char),
    }
}

/// ASCII letters and digits, as a byte table.
static ASCII_WORD: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// The words of a text, in order. An apostrophe or hyphen joins two word characters.
pub struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Words<'a> {
    pub fn new(text: &'a str) -> Self {
        Words { text, at: 0 }
    }
}

impl Iterator for Words<'_> {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = self.at;
        // Skip to the first word character.
        loop {
            let &b = bytes.get(i)?;
            if b < 0x80 {
                if ASCII_WORD[usize::from(b)] {
                    break;
                }
                i += 1;
            } else {
                let c = text[i..].chars().next()?;
                if is_word_char(c) {
                    break;
                }
                i += c.len_utf8();
            }
        }
        let start = i;
        // Extend over word characters, and over a joiner between two of them.
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                if ASCII_WORD[usize::from(b)] || ((b == b'\'' || b == b'-') && word_char_at(text, i + 1)) {
                    i += 1;
                    continue;
                }
                break;
            }
            let Some(c) = text[i..].chars().next() else { break };
            let len = c.len_utf8();
            if is_word_char(c) || (c == '’' && word_char_at(text, i + len)) {
                i += len;
            } else {
                break;
            }
        }
        self.at = i;
        Some(Word::new(start, i))
    }
}

/// Splits text into words. An apostrophe or hyphen joins two word characters.
pub fn split_words(text: &str) -> Vec<Word> {
    let mut words = Vec::with_capacity(text.len() / 6);
    words.extend(Words::new(text));
    words
}

/// How many words [`split_words`] finds, without keeping them.
pub fn count_words(text: &str) -> usize {
    Words::new(text).count()
}

/// Bytes at which a sentence may end: line breaks, `.`, `!`, `?` and the lead bytes of `。`, `！`, `？`.
static SENTENCE_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    t[b'\n' as usize] = true;
    t[b'.' as usize] = true;
    t[b'!' as usize] = true;
    t[b'?' as usize] = true;
    t[0xE3] = true;
    t[0xEF] = true;
    t
};

/// Splits text into sentences: at `.`, `!`, `?` (with closing quotes or brackets) followed by white space, at a
/// period glued to a capitalised word ("growth.The"), and at every line break (a heading or a list item never runs
/// into the next line; a hard-wrapped sentence is split in two, which costs some recall and never a false alarm).
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !SENTENCE_BYTES[b as usize] {
            i += 1;
            continue;
        }
        let mut cut = None;
        if b == b'\n' {
            cut = Some(i + 1);
        } else if matches!(b, b'.' | b'!' | b'?') {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b'"' | b'\'' | b')' | b']') {
                j += 1;
            }
            let glued = b == b'.'
                && i > 0
                && bytes[i - 1].is_ascii_lowercase()
                && bytes.get(j).is_some_and(|c| c.is_ascii_uppercase())
                && bytes.get(j + 1).is_some_and(|c| c.is_ascii_lowercase());
            // "the U.K. on", "e.g. the": a period followed by a lower-case word ends an abbreviation, not a sentence.
            let abbreviation = b == b'.' && {
                let mut k = j;
                while k < bytes.len() && bytes[k] == b' ' {
                    k += 1;
                }
                k > j && bytes.get(k).is_some_and(u8::is_ascii_lowercase)
            };
            if abbreviation {
                cut = None;
            } else if j >= bytes.len() || bytes[j] == b' ' || bytes[j] == b'\t' || bytes[j] == b'\r' || glued {
                cut = Some(j);
            } else if text[j..].starts_with('”') || text[j..].starts_with('’') {
                cut = Some(j + 3);
            }
        } else if ["。", "！", "？"].iter().any(|m| bytes[i..].starts_with(m.as_bytes())) {
            cut = Some(i + 3);
        }
        match cut {
            Some(end) if end > start => {
                out.push(start..end);
                start = end;
                i = end;
            }
            _ => i += 1,
        }
    }
    if start < text.len() || out.is_empty() {
        out.push(start..text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_keys_are_equal_for_words_equal_but_for_case() {
        assert_eq!(lower_key("AND"), packed_key("and"));
        assert_eq!(lower_key("Growth"), lower_key("gROWTH"));
        assert_ne!(lower_key("growth"), lower_key("growths"));
        assert_eq!(lower_key("Development"), lower_key("DEVELOPMENT"));
        assert_ne!(lower_key("development"), lower_key("developments"));
        assert!(is_packed(lower_key("between")) && !is_packed(lower_key("betweens")));
        // Equal under str::to_lowercase ("ΟΔΟΣ" ends in a final sigma) and under char-wise lower-casing alike.
        assert_eq!(lower_key("ΟΔΟΣ"), lower_key("οδος"));
        assert_eq!(lower_key("ΟΔΟΣ"), lower_key("ΟΔΟσ"));
        // The Kelvin sign lower-cases to an ASCII k.
        assert_eq!(lower_key("\u{212A}ey"), lower_key("key"));
        assert_eq!(lower_key("ÉTÉ"), lower_key("été"));
        assert_eq!(short_key("Growth"), short_key("GROWTH"));
        assert_eq!(short_key("ΟΔΟΣ"), short_key("ΟΔΟσ"));
    }

    #[test]
    fn words_keep_inner_apostrophes_and_hyphens() {
        let t = "Xiong'an's year-on-year growth - fast";
        let w: Vec<&str> = split_words(t).iter().map(|w| &t[w.start()..w.end()]).collect();
        assert_eq!(w, ["Xiong'an's", "year-on-year", "growth", "fast"]);
    }

    #[test]
    fn sentences_split_at_periods_glued_periods_and_lines() {
        let t = "It grew. It fell.Then it rose\nA heading";
        let s: Vec<&str> = split_sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(s, ["It grew.", " It fell.", "Then it rose\n", "A heading"]);
        let t = "Talks with the U.K. on trade resumed. Others, e.g. the banks, waited.";
        let s: Vec<&str> = split_sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(s, ["Talks with the U.K. on trade resumed.", " Others, e.g. the banks, waited."]);
    }

    #[test]
    fn urls_addresses_and_file_names_are_protected() {
        let t = Text::new("See https://example.org/A.Html, mail press@example.com or open Report.PDF now.");
        let found: Vec<&str> = t.protected.iter().map(|r| &t.text[r.clone()]).collect();
        assert_eq!(found, ["https://example.org/A.Html", "press@example.com", "Report.PDF"]);
    }
}
