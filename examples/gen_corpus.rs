//! Writes the deterministic benchmark inputs of `scripts/bench.sh` into a folder (standard library only).
//!
//! `cargo run --release --example gen_corpus -- OUT_DIR` writes:
//!
//! - `corpus-1mb.txt`, `corpus-10mb.txt`, `corpus-100mb.txt`: press-release-like English, one document each. Clean
//!   paragraphs (from `tests/clean/`, on which no rule fires) are interleaved with artifact sentences at about one
//!   artifact per 200 words: every `bad` example of the built-in rules (every kind the rules detect except the
//!   bilingual checks, which need a source text) and wrong renderings of the generated glossary entries.
//! - `many/`: the 10 MB corpus cut at paragraph boundaries into files of about 20 KB (for `--jobs`).
//! - `empty.txt`: an empty input (start-up time); `real-entries.txt`: the number of term entries of the real pack.
//! - `rules-4000/gen.toml`, `rules-40000/gen.toml`: generated `term` rules which, added to the built-in pack (about
//!   460 entries, the "400" glossary) with `--rules`, make glossaries of 4,000 and 40,000 entries. Their ids
//!   (`bench.gen.N`) and phrases (invented words) collide with nothing in the real pack.
//! - `phrases-400.txt`, `phrases-4000.txt`, `phrases-40000.txt`: every term phrase (wrong and right forms) of each
//!   glossary, one per line, for `rg -F -f`.
//! - `prh-400.yml`: the same real-pack glossary as a prh dictionary (each term rule's wrong renderings as
//!   case-sensitive literal patterns, its first right form as the expected text), for the textlint +
//!   textlint-rule-prh comparison.
//!
//! The output depends only on the seed below and the repository's rule files and clean texts.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const SEED: u64 = 0x2545_F491_4F6C_DD1D;
/// One artifact sentence per this many words of clean text.
const WORDS_PER_ARTIFACT: usize = 200;
const GLOSSARY_SIZES: [usize; 3] = [400, 4_000, 40_000];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Parses a TOML basic (`"…"`) or literal (`'…'`) string starting at `s[0]`; returns it and the rest after it.
fn toml_string(s: &str) -> Option<(String, &str)> {
    let quote = s.chars().next()?;
    if quote == '\'' {
        let end = s[1..].find('\'')?;
        return Some((s[1..1 + end].to_string(), &s[2 + end..]));
    }
    if quote != '"' || s.starts_with("\"\"\"") {
        return None;
    }
    let mut out = String::new();
    let mut chars = s[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &s[2 + i..])),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'u' => {
                    let hex: String = (0..4).filter_map(|_| chars.next().map(|(_, c)| c)).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            _ => out.push(c),
        }
    }
    None
}

/// All strings of the array that follows `key = [` (possibly over several lines).
fn toml_array(text: &str, at: usize) -> Vec<String> {
    let mut rest = &text[at..];
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.starts_with(']') || rest.is_empty() {
            return out;
        }
        match toml_string(rest) {
            Some((s, r)) => {
                out.push(s);
                rest = r;
            }
            None => return out,
        }
    }
}

fn sorted_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir).expect("readable folder").map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// A term rule as a prh dictionary entry: its wrong renderings and its first right form.
#[derive(Default)]
struct Entry {
    wrong: Vec<String>,
    right: Vec<String>,
}

/// The built-in packs' term phrases (unique, in file order), the `bad` examples of every non-bilingual rule, the
/// number of term entries, and the term entries themselves.
fn read_rules(root: &Path) -> (Vec<String>, Vec<String>, usize, Vec<Entry>) {
    let mut entries = 0;
    let mut terms: Vec<Entry> = Vec::new();
    let mut phrases = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut bad = Vec::new();
    for pack in ["rules/en", "rules/zh-en"] {
        for file in sorted_files(&root.join(pack)) {
            if file.extension().is_none_or(|e| e != "toml") || file.ends_with("bilingual.toml") {
                continue;
            }
            let text = fs::read_to_string(&file).expect("readable rule file");
            let mut offset = 0;
            for line in text.split_inclusive('\n') {
                let trimmed = line.trim_start();
                if trimmed.starts_with("[[rule]]") {
                    terms.push(Entry::default());
                }
                for key in ["wrong = [", "right = ["] {
                    if trimmed.starts_with(key) {
                        entries += usize::from(key.starts_with('w'));
                        let at = offset + (line.len() - trimmed.len()) + key.len();
                        let list = toml_array(&text, at);
                        if let Some(entry) = terms.last_mut() {
                            let field = if key.starts_with('w') { &mut entry.wrong } else { &mut entry.right };
                            field.extend(list.iter().cloned());
                        }
                        for p in list {
                            if seen.insert(p.clone()) {
                                phrases.push(p);
                            }
                        }
                    }
                }
                if let Some(rest) = trimmed.strip_prefix("bad = ")
                    && let Some((s, _)) = toml_string(rest)
                    && !s.contains('\n')
                {
                    bad.push(s);
                }
                offset += line.len();
            }
        }
    }
    terms.retain(|t| !t.wrong.is_empty() && !t.right.is_empty());
    (phrases, bad, entries, terms)
}

/// The term entries as a prh dictionary (YAML; strings written as JSON strings, which YAML reads the same).
fn prh_dictionary(terms: &[Entry]) -> String {
    let quote = |s: &str| serde_json::to_string(s).expect("a string serialises");
    let mut out = String::from("# Generated by examples/gen_corpus.rs for scripts/bench.sh.\nversion: 1\nrules:\n");
    for t in terms {
        writeln!(out, "  - expected: {}\n    patterns:", quote(&t.right[0])).unwrap();
        // As regular expressions (`/…/`): prh escapes a hyphen in a plain string pattern, which its own `u`-flag
        // RegExp then rejects ("Invalid escape").
        for w in &t.wrong {
            let mut re = String::from("/");
            for c in w.chars() {
                if "\\^$.|?*+()[]{}/".contains(c) {
                    re.push('\\');
                }
                re.push(c);
            }
            re.push('/');
            writeln!(out, "      - {}", quote(&re)).unwrap();
        }
    }
    out
}

/// Clean paragraphs of `tests/clean/`.
fn clean_paragraphs(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for file in sorted_files(&root.join("tests/clean")) {
        if file.extension().is_some_and(|e| e == "txt") {
            let text = fs::read_to_string(&file).expect("readable clean text");
            out.extend(text.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()));
        }
    }
    out
}

const ONSETS: &[&str] =
    &["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "tr", "gl", "pl"];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou", "ei"];
const CODAS: &[&str] = &["", "n", "r", "l", "x", "sh", "th", "m"];
const HEADS: &[&str] = &[
    "Bureau",
    "Commission",
    "Administration",
    "Office",
    "Council",
    "Institute",
    "Agency",
    "Centre",
    "Authority",
    "Committee",
    "Academy",
    "Zone",
    "Fund",
    "Programme",
    "Initiative",
    "Corridor",
];

/// An invented capitalised word, unique for each `n` below 1,280^2.
fn invented(mut n: usize) -> String {
    let mut word = String::new();
    for _ in 0..2 {
        let k = n % (ONSETS.len() * VOWELS.len() * CODAS.len());
        n /= ONSETS.len() * VOWELS.len() * CODAS.len();
        word.push_str(ONSETS[k % ONSETS.len()]);
        word.push_str(VOWELS[(k / ONSETS.len()) % VOWELS.len()]);
        word.push_str(CODAS[k / (ONSETS.len() * VOWELS.len())]);
    }
    word.push('q'); // no English word ends like this, so no real phrase collides
    let mut chars = word.chars();
    let first = chars.next().unwrap().to_ascii_uppercase();
    std::iter::once(first).chain(chars).collect()
}

/// Generated term entry `i`: (wrong rendering, right form).
fn generated_entry(i: usize) -> (String, String) {
    let name = invented(i);
    let second = invented(i * 7 + 3);
    let head = HEADS[i % HEADS.len()];
    let wrong_head = HEADS[(i + 5) % HEADS.len()];
    (format!("{name} {second} {wrong_head} of Affairs"), format!("{name} {second} {head}"))
}

fn write_rules(path: &Path, count: usize) {
    let mut out = String::from(
        "# Generated by examples/gen_corpus.rs for scripts/bench.sh.\n\n[defaults]\nkind = \"term\"\n\
         category = \"Terminology\"\nseverity = \"error\"\nfix = \"safe\"\n",
    );
    for i in 0..count {
        let (wrong, right) = generated_entry(i);
        write!(out, "\n[[rule]]\nid = \"bench.gen.{i}\"\nright = [\"{right}\"]\nwrong = [\"{wrong}\"]\n").unwrap();
    }
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, out).unwrap();
}

fn corpus(bytes: usize, clean: &[String], bad: &[String], generated: usize, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(bytes + 8192);
    let mut words_since = 0;
    let mut kind = 0;
    while out.len() < bytes {
        let p = &clean[rng.below(clean.len())];
        words_since += p.split_whitespace().count();
        out.push_str(p);
        while words_since >= WORDS_PER_ARTIFACT {
            words_since -= WORDS_PER_ARTIFACT;
            out.push(' ');
            // One in eight artifacts is a wrong rendering of a generated glossary entry.
            kind += 1;
            if kind % 8 == 0 && generated > 0 {
                let (wrong, _) = generated_entry(rng.below(generated));
                write!(out, "The {wrong} announced the measures on Monday.").unwrap();
            } else {
                out.push_str(&bad[rng.below(bad.len())]);
            }
        }
        out.push_str("\n\n");
    }
    out
}

fn main() {
    let out_dir = PathBuf::from(std::env::args().nth(1).expect("usage: gen_corpus OUT_DIR"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::create_dir_all(&out_dir).expect("writable output folder");
    let (real_phrases, bad, real_entries, terms) = read_rules(root);
    fs::write(out_dir.join("prh-400.yml"), prh_dictionary(&terms)).unwrap();
    let clean = clean_paragraphs(root);
    let largest = GLOSSARY_SIZES[GLOSSARY_SIZES.len() - 1] - real_entries;
    for size in GLOSSARY_SIZES {
        let generated = size.saturating_sub(real_entries);
        let mut phrases = real_phrases.clone();
        for i in 0..generated {
            let (wrong, right) = generated_entry(i);
            phrases.push(wrong);
            phrases.push(right);
        }
        fs::write(out_dir.join(format!("phrases-{size}.txt")), phrases.join("\n") + "\n").unwrap();
        if generated > 0 {
            write_rules(&out_dir.join(format!("rules-{size}/gen.toml")), generated);
        }
    }
    let mut rng = Rng(SEED);
    for mb in [1, 10, 100] {
        let text = corpus(mb << 20, &clean, &bad, largest, &mut rng);
        fs::write(out_dir.join(format!("corpus-{mb}mb.txt")), &text).unwrap();
        if mb == 10 {
            let many = out_dir.join("many");
            let _ = fs::remove_dir_all(&many);
            fs::create_dir_all(&many).unwrap();
            let (mut part, mut n) = (String::new(), 0);
            for paragraph in text.split_inclusive("\n\n") {
                part.push_str(paragraph);
                if part.len() >= 20 << 10 {
                    fs::write(many.join(format!("{n:04}.txt")), &part).unwrap();
                    part.clear();
                    n += 1;
                }
            }
            if !part.is_empty() {
                fs::write(many.join(format!("{n:04}.txt")), &part).unwrap();
            }
        }
    }
    fs::write(out_dir.join("empty.txt"), "").unwrap();
    fs::write(out_dir.join("real-entries.txt"), format!("{real_entries}\n")).unwrap();
    eprintln!(
        "gen_corpus: wrote {} ({} artifact sentences; real pack: {real_entries} term entries, {} phrases)",
        out_dir.display(),
        bad.len(),
        real_phrases.len()
    );
}
