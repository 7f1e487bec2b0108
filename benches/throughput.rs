//! Throughput of `check_text` with the built-in rules on a generated multi-megabyte press-release corpus.
//!
//! The corpus interleaves the seed documents (machine-translated, full of artifacts) with the clean-English set,
//! shuffled deterministically, so it has a realistic mix of clean passages and findings.
//! Run with `cargo bench --bench throughput`; divan reports the median time and MB/s.

use divan::counter::BytesCount;
use mtlint::{RuleSet, RuleSources, check_text};
use std::sync::LazyLock;

fn main() {
    divan::main();
}

/// Paragraphs of the seeds and the clean set, repeated in a deterministic pseudo-random order up to `bytes`.
fn corpus(bytes: usize) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paragraphs = Vec::new();
    for dir in ["seeds", "tests/clean"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in
            files.iter().filter(|f| f.to_string_lossy().ends_with(".txt") && !f.to_string_lossy().contains("fixed"))
        {
            let text = std::fs::read_to_string(f).unwrap();
            paragraphs.extend(text.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()));
        }
    }
    let mut out = String::with_capacity(bytes + 4096);
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    while out.len() < bytes {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.push_str(&paragraphs[(state % paragraphs.len() as u64) as usize]);
        out.push_str("\n\n");
    }
    out
}

/// All built-in packs.
static ALL_RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::load(&RuleSources::default()).unwrap());
/// Only the language-independent `en` pack: the engine's cost without the zh-en glossary.
static EN_RULES: LazyLock<RuleSet> = LazyLock::new(|| {
    let en = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/en");
    RuleSet::load(&RuleSources { no_default: true, paths: vec![en] }).unwrap()
});
static CORPUS: LazyLock<String> = LazyLock::new(|| corpus(4 << 20));

fn bench_check(bencher: divan::Bencher, rules: &RuleSet) {
    let text = CORPUS.as_str();
    bencher.counter(BytesCount::of_str(text)).bench(|| check_text(divan::black_box(text), rules).len());
}

#[divan::bench(sample_count = 10)]
fn check_4mb_all_builtin_rules(bencher: divan::Bencher) {
    bench_check(bencher, &ALL_RULES);
}

#[divan::bench(sample_count = 10)]
fn check_4mb_en_pack_only(bencher: divan::Bencher) {
    bench_check(bencher, &EN_RULES);
}

#[divan::bench(sample_count = 10)]
fn load_builtin_rules() -> RuleSet {
    RuleSet::load(&RuleSources::default()).unwrap()
}
