//! Hostile and extreme inputs, end to end through the real binary: XML entity bombs, external entities and remote
//! DTDs, deep nesting, huge files and lines, odd Unicode and bytes, pathological rule files and configurations,
//! `fix` killed mid-write, a full disk, symbolic links, and a language server fed broken messages. Each is checked
//! or refused with a clear message, never a panic, with memory bounded (the child's peak resident size is read from
//! /proc while it runs) and no file or network access it should not make.
//!
//! Related cases already covered elsewhere: a read-only file and a symbolic link next to its target
//! (tests/cli.rs), a document's own external entity beside it (tests/read_xml.rs), malformed JSON and unknown
//! methods sent to the language server (tests/lsp.rs).

mod common;

use common::{Run, json_lines, mtlint_in};
use serde_json::{Value, json};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const GLUED: &str = "Exports grew.The market rose.\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::write(dir.join(name), bytes).unwrap();
}

/// Runs `mtlint ARGS` in `dir` and returns its outcome with its peak resident set size in MiB (VmHWM, sampled until
/// it exits; the peak only grows, so the last sample is the run's peak up to its last few milliseconds). The rule
/// cache is off: a test does not write into the user's cache folder.
fn measured(dir: &Path, args: &[&str]) -> (Run, u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mtlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("MTLINT_NO_CACHE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mtlint binary runs");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut out = Vec::new();
            r.read_to_end(&mut out).unwrap();
            String::from_utf8_lossy(&out).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let status = loop {
        if let Ok(status) = fs::read_to_string(&status_path)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(peak_kib > 0, "no VmHWM was read from {status_path}");
    let run = Run {
        code: status.code().unwrap_or_else(|| panic!("mtlint {args:?} was killed by a signal: {status}")),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    assert!(!run.stderr.contains("panicked"), "mtlint {args:?} panicked: {}", run.stderr);
    (run, peak_kib / 1024)
}

/// The outcome of a run that must end normally (findings or a clear error), never by a panic or a signal.
fn survives(dir: &Path, args: &[&str]) -> Run {
    let run = mtlint_in(dir, args, None);
    assert!(!run.stderr.contains("panicked"), "mtlint {args:?} panicked: {}", run.stderr);
    assert!([0, 1, 2].contains(&run.code), "mtlint {args:?} exited with {}: {}", run.code, run.stderr);
    run
}

// ---------------------------------------------------------------------------------------------------------------
// XML

/// Nine levels of entities, each ten times the one before: 10⁹ "lol"s if expanded.
const LAUGHS: &str = r#"<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>"#;

/// A document of each XML-like format whose checked text is `body` (already escaped), after `doctype`.
fn xml_documents(doctype: &str, body: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "doc.xlf",
            format!(
                "<?xml version=\"1.0\"?>\n{doctype}\n<xliff version=\"1.2\"><file source-language=\"zh-CN\" \
                 target-language=\"en\" datatype=\"plaintext\" original=\"a\"><body>\n<trans-unit id=\"1\">\
                 <source>国新办</source><target>{body}</target></trans-unit>\n</body></file></xliff>\n"
            ),
        ),
        (
            "doc.tmx",
            format!(
                "<?xml version=\"1.0\"?>\n{doctype}\n<tmx version=\"1.4\"><header srclang=\"zh-CN\" datatype=\"plaintext\" \
                 segtype=\"sentence\" adminlang=\"en\" creationtool=\"t\" creationtoolversion=\"1\" o-tmf=\"t\"/>\
                 <body>\n<tu><tuv xml:lang=\"zh-CN\"><seg>国新办</seg></tuv><tuv xml:lang=\"en\"><seg>{body}</seg></tuv></tu>\n\
                 </body></tmx>\n"
            ),
        ),
        ("doc.html", format!("{doctype}\n<html><body><p>{body}</p></body></html>\n")),
    ]
}

#[test]
fn an_entity_expansion_bomb_is_never_expanded() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in xml_documents(LAUGHS, "The &lol9; market grew.The end.") {
        write(dir.path(), name, text.as_bytes());
        for args in [&["check", "--format", "json", name][..], &["fix", name]] {
            let (run, peak_mib) = measured(dir.path(), args);
            assert!(peak_mib < 200, "{name}: {peak_mib} MiB");
            assert!(!run.stdout.contains("lollol") && !run.stderr.contains("lollol"), "{name}: expanded");
        }
        // The fix corrected the artifact and kept the reference as it was.
        let fixed = fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(fixed.contains("The &lol9; market grew. The end."), "{name}: {fixed}");
        if name != "doc.html" {
            let run = survives(dir.path(), &["check", name]);
            assert!(run.stderr.contains("unknown entity &lol9; (not expanded)"), "{name}: {}", run.stderr);
        }
    }
}

#[test]
fn an_external_entity_naming_a_local_file_is_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let marker = "MARKER-c5e1a0f7-never-read";
    let secret = dir.path().join("secret.txt");
    write(dir.path(), "secret.txt", format!("{marker} grew.The the the\n").as_bytes());
    let doctype = format!(
        "<!DOCTYPE x [\n <!ENTITY abs SYSTEM \"file://{}\">\n <!ENTITY rel SYSTEM \"secret.txt\">\n \
         <!ENTITY % param SYSTEM \"secret.txt\">\n %param;\n]>",
        secret.display()
    );
    for (name, text) in xml_documents(&doctype, "Before &abs; middle &rel; after.") {
        write(dir.path(), name, text.as_bytes());
        let before = fs::read(dir.path().join(name)).unwrap();
        for format in ["human", "json", "sarif", "rdjson", "checkstyle"] {
            let run = survives(dir.path(), &["check", "--format", format, name]);
            assert!(!run.stdout.contains(marker) && !run.stderr.contains(marker), "{name} ({format}) read the file");
        }
        let diff = survives(dir.path(), &["check", "--diff", name]);
        assert!(!diff.stdout.contains(marker), "{name}: {}", diff.stdout);
        survives(dir.path(), &["fix", name]);
        assert_eq!(fs::read(dir.path().join(name)).unwrap(), before, "{name}: nothing to fix, nothing written");
    }
}

#[test]
fn a_remote_dtd_or_entity_is_never_fetched() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/evil", listener.local_addr().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let doctype = format!("<!DOCTYPE x SYSTEM \"{url}.dtd\" [\n <!ENTITY remote SYSTEM \"{url}.txt\">\n]>");
    for (name, text) in xml_documents(&doctype, "Output grew.The &remote; end.") {
        write(dir.path(), name, text.as_bytes());
        let run = survives(dir.path(), &["check", "--format", "json", name]);
        let matched: Vec<Value> = json_lines(&run.stdout).iter().map(|f| f["matched"].clone()).collect();
        assert_eq!(matched, [json!("grew.The")], "{name}: the document is still checked: {}", run.stderr);
        survives(dir.path(), &["fix", name]);
    }
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("mtlint connected to the DTD's server: {other:?}"),
    }
}

#[test]
fn ten_thousand_levels_of_nesting_do_not_overflow_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 10_000;
    let nested = |open: &str, close: &str| format!("{}grew.The{}", open.repeat(depth), close.repeat(depth));
    let xliff = xml_documents("", &nested("<g id=\"1\">", "</g>"));
    let tmx = xml_documents("", &nested("<hi>", "</hi>"));
    let files: Vec<(&str, String)> = vec![
        ("deep.xlf", xliff[0].1.clone()),
        ("deep.tmx", tmx[1].1.clone()),
        ("deep.html", format!("<html><body>{}</body></html>", nested("<div><b>", "</b></div>"))),
        ("unclosed.html", format!("<html><body>{}", "<div><span>".repeat(depth))),
        ("quotes.md", format!("{}Sales grew.The end.\n", "> ".repeat(depth))),
        ("lists.md", format!("{}item grew.The\n", "- ".repeat(depth))),
        ("emphasis.md", format!("{}grew.The{}\n", "*_".repeat(depth), "_*".repeat(depth))),
        ("brackets.md", format!("{}x{}\n", "[".repeat(depth), "](y)".repeat(depth))),
        (
            "deep.jsonl",
            format!("{{\"text\": {}\"a\"{}}}\n{{\"text\": \"{GLUED}\"}}\n", "[".repeat(depth), "]".repeat(depth)),
        ),
        ("deep.xlf.txt", "<".repeat(depth)),
    ];
    for (name, text) in &files {
        write(dir.path(), name, text.as_bytes());
        let (run, peak_mib) = measured(dir.path(), &["check", "--format", "json", name]);
        assert!([0, 1, 2].contains(&run.code), "{name}: {}", run.stderr);
        assert!(peak_mib < 500, "{name}: {peak_mib} MiB");
        survives(dir.path(), &["fix", name]);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Sizes

#[test]
fn a_file_over_the_size_limit_is_refused_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    // 200 MB, sparse: refusing it must not need its bytes.
    let big = fs::File::create(dir.path().join("big.txt")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    drop(big);
    write(dir.path(), "small.txt", GLUED.as_bytes());
    let (run, peak_mib) = measured(dir.path(), &["check", "big.txt", "small.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("big.txt: not checked: the file has 209715200 bytes, more than --max-file-size (100 MiB)"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("small.txt:1:9"), "the other file is still checked: {}", run.stdout);
    assert!(peak_mib < 100, "{peak_mib} MiB");
    let (run, _) = measured(dir.path(), &["fix", "big.txt"]);
    assert_eq!(run.code, 2);
    assert_eq!(fs::metadata(dir.path().join("big.txt")).unwrap().len(), 200 * 1024 * 1024);
    // Standard input is held to the same limit, and the limit can be lowered (or raised).
    let run = mtlint_in(dir.path(), &["check", "--max-file-size", "10", "-"], Some(b"Exports grew.The end, and more"));
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("<stdin>: not checked: more than --max-file-size (10 bytes)"), "{}", run.stderr);
    let run = mtlint_in(dir.path(), &["check", "--max-file-size", "1K", "small.txt"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = mtlint_in(dir.path(), &["check", "--max-file-size", "lots", "small.txt"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--max-file-size"), "{}", run.stderr);
}

#[test]
fn a_fifty_megabyte_line_is_checked_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    // One word of 50 MB (tests/cli.rs checks a 20 MB line of prose), then a sentence with an artifact.
    let mut line = "a".repeat(50 * 1024 * 1024);
    line.push_str(" Output grew.The end.");
    let column = 50 * 1024 * 1024 + 9;
    write(dir.path(), "line.txt", line.as_bytes());
    drop(line);
    let (run, peak_mib) = measured(dir.path(), &["check", "--format", "json", "line.txt"]);
    let findings = json_lines(&run.stdout);
    assert_eq!(findings.len(), 1, "{}", run.stderr);
    assert_eq!((findings[0]["line"].as_u64(), findings[0]["column"].as_u64()), (Some(1), Some(column as u64)));
    // A few copies of the text at most: the file, its analysis, the output.
    assert!(peak_mib < 1500, "{peak_mib} MiB for a 50 MB file");
}

// ---------------------------------------------------------------------------------------------------------------
// Odd text

#[test]
fn text_of_only_combining_marks_or_only_emoji_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let marks = "\u{301}\u{308}\u{20DD}".repeat(100_000);
    let emoji = "👩‍👩‍👧‍👦🇨🇳🏳️‍🌈👍🏽".repeat(20_000);
    let mixed = format!("\u{301}{}grew.The\u{301} 😀the the😀\n", "👍🏽".repeat(3));
    for (name, text) in [("marks.txt", marks.as_str()), ("emoji.txt", emoji.as_str()), ("mixed.txt", mixed.as_str())] {
        write(dir.path(), name, text.as_bytes());
        let run = survives(dir.path(), &["check", "--format", "json", name]);
        for f in json_lines(&run.stdout) {
            let (start, end) = (f["byte_start"].as_u64().unwrap() as usize, f["byte_end"].as_u64().unwrap() as usize);
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "{name}: {f}");
        }
        survives(dir.path(), &["fix", name]);
    }
    assert_eq!(fs::read_to_string(dir.path().join("marks.txt")).unwrap(), marks);
    assert_eq!(fs::read_to_string(dir.path().join("emoji.txt")).unwrap(), emoji);
}

#[test]
fn nul_bytes_are_a_binary_file_or_checked_text_never_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "nul.txt", b"Exports grew.The\0market\0rose.\n");
    let run = survives(dir.path(), &["check", "nul.txt"]);
    assert!(run.stderr.contains("nul.txt: skipped: binary file"), "{}", run.stderr);
    // Past the first 8 KiB a NUL is text; and in UTF-16 (where NUL bytes are everywhere) a NUL character is text.
    let late = format!("{}Exports grew.The\0end.\n", "The market rose. ".repeat(600));
    write(dir.path(), "late.txt", late.as_bytes());
    let run = survives(dir.path(), &["check", "--format", "json", "late.txt"]);
    assert_eq!(json_lines(&run.stdout).len(), 1, "{}", run.stderr);
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain("Exports grew.The\0end.\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    write(dir.path(), "nul16.txt", &utf16);
    let run = survives(dir.path(), &["fix", "nul16.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain("Exports grew. The\0end.\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    assert_eq!(fs::read(dir.path().join("nul16.txt")).unwrap(), expected);
}

#[test]
fn invalid_utf16_is_a_clear_error_naming_line_and_byte_offset() {
    let dir = tempfile::tempdir().unwrap();
    let le = |units: &[u16]| -> Vec<u8> {
        [0xFF, 0xFE].into_iter().chain(units.iter().flat_map(|u| u.to_le_bytes())).collect()
    };
    let be = |units: &[u16]| -> Vec<u8> {
        [0xFE, 0xFF].into_iter().chain(units.iter().flat_map(|u| u.to_be_bytes())).collect()
    };
    let ab: Vec<u16> = "a\nb".encode_utf16().collect();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        // A lone high surrogate before a letter on line 2: bytes 2 (BOM) + 3 units × 2.
        (
            "high.txt",
            le(&[&ab[..], &[0xD800, u16::from(b'c')]].concat()),
            "line 2, byte offset 8: invalid UTF-16: unpaired surrogate 0xD800",
        ),
        (
            "low.txt",
            be(&[&ab[..], &[0xDC00]].concat()),
            "line 2, byte offset 8: invalid UTF-16: unpaired surrogate 0xDC00",
        ),
        ("end.txt", le(&[u16::from(b'x'), 0xDBFF]), "line 1, byte offset 4: invalid UTF-16: unpaired surrogate 0xDBFF"),
        ("odd.txt", [le(&ab), vec![b'z']].concat(), "line 2, byte offset 8: UTF-16 text with an odd number of bytes"),
    ];
    for (name, bytes, message) in &cases {
        write(dir.path(), name, bytes);
        for command in ["check", "fix"] {
            let run = survives(dir.path(), &[command, name]);
            assert_eq!(run.code, 2, "{name}");
            assert!(run.stderr.contains(&format!("{name}: {message}")), "{name}: {}", run.stderr);
        }
        assert_eq!(&fs::read(dir.path().join(name)).unwrap(), bytes, "{name} is never written");
    }
}

#[test]
fn mixed_line_endings_are_counted_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let text = "One grew.The\r\nTwo grew.The\nThree grew.The\r\n\r\nFour grew.The";
    write(dir.path(), "mixed.txt", text.as_bytes());
    let run = survives(dir.path(), &["check", "--format", "json", "mixed.txt"]);
    let places: Vec<(u64, u64)> =
        json_lines(&run.stdout).iter().map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())).collect();
    assert_eq!(places, [(1, 5), (2, 5), (3, 7), (5, 6)]);
    survives(dir.path(), &["fix", "mixed.txt"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("mixed.txt")).unwrap(),
        "One grew. The\r\nTwo grew. The\nThree grew. The\r\n\r\nFour grew. The"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Rule files and configurations

fn rules_error(dir: &Path, toml: &str) -> String {
    write(dir, "bad.toml", toml.as_bytes());
    write(dir, "doc.txt", GLUED.as_bytes());
    let run = survives(dir, &["check", "--rules", "bad.toml", "doc.txt"]);
    assert_eq!(run.code, 2, "{toml}: {}", run.stderr);
    run.stderr
}

#[test]
fn a_regex_too_large_to_compile_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let toml = "[[rule]]\nid = \"x.huge\"\nkind = \"pattern\"\ncategory = \"Style\"\nseverity = \"warning\"\nmessage = \"m\"\n\
                pattern = '\\w{1000}{1000}'\n";
    let stderr = rules_error(dir.path(), toml);
    assert!(stderr.contains("bad.toml:7:11: rule `x.huge`: invalid regular expression"), "{stderr}");
    assert!(stderr.contains("size limit"), "{stderr}");
}

#[test]
fn an_empty_or_blank_term_is_a_clear_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    for (phrase, field) in [("\"\"", "wrong"), ("\"   \"", "wrong"), ("\"\\t\"", "right")] {
        let (right, wrong) = if field == "right" { (phrase, "\"Old\"") } else { ("\"New\"", phrase) };
        let toml = format!(
            "[[rule]]\nid = \"x.term\"\nkind = \"term\"\ncategory = \"Terminology\"\nseverity = \"warning\"\nmessage = \"m\"\n\
             right = [{right}]\nwrong = [{wrong}]\n"
        );
        let stderr = rules_error(dir.path(), &toml);
        let line = if field == "right" { 7 } else { 8 };
        assert!(stderr.contains(&format!("bad.toml:{line}:")), "{toml}: {stderr}");
        assert!(stderr.contains("is empty or starts or ends with white space"), "{toml}: {stderr}");
    }
}

#[test]
fn a_hundred_thousand_terms_load_and_match() {
    let dir = tempfile::tempdir().unwrap();
    let mut toml = String::new();
    for rule in 0..1000 {
        let wrong: Vec<String> = (0..100).map(|i| format!("\"wrongterm{rule}x{i}\"")).collect();
        toml.push_str(&format!(
            "[[rule]]\nid = \"x.term-{rule}\"\nkind = \"term\"\ncategory = \"Terminology\"\nseverity = \"warning\"\nmessage = \"m\"\n\
             right = [\"Right {rule}\"]\nwrong = [{}]\n\n",
            wrong.join(", ")
        ));
    }
    write(dir.path(), "many.toml", toml.as_bytes());
    write(dir.path(), "doc.txt", b"We met wrongterm999x99 and wrongterm0x0 today.\n");
    let (run, peak_mib) = measured(dir.path(), &["check", "--rules", "many.toml", "--format", "json", "doc.txt"]);
    let rules: Vec<Value> = json_lines(&run.stdout).iter().map(|f| f["rule"].clone()).collect();
    assert!(rules.contains(&json!("x.term-999")) && rules.contains(&json!("x.term-0")), "{}", run.stderr);
    assert!(peak_mib < 1000, "{peak_mib} MiB");
}

/// mtlint.toml has no include mechanism; what it can name is rule files and folders. Those that lead back to
/// themselves (the configuration named as a rule file, a folder holding a link to itself) end with a clear result.
#[test]
fn configurations_and_rule_folders_that_lead_back_to_themselves_terminate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "doc.txt", GLUED.as_bytes());
    write(d, "mtlint.toml", b"rules = [\"mtlint.toml\"]\n");
    let run = survives(d, &["check", "doc.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("mtlint.toml:1:1"), "{}", run.stderr);
    // A rule folder with a link to itself (and to its parent): each rule file is read once.
    fs::create_dir_all(d.join("rules/team")).unwrap();
    std::os::unix::fs::symlink(".", d.join("rules/team/self")).unwrap();
    std::os::unix::fs::symlink("..", d.join("rules/team/up")).unwrap();
    write(
        d,
        "rules/team/one.toml",
        b"[[rule]]\nid = \"team.one\"\nkind = \"term\"\ncategory = \"Terminology\"\nseverity = \"warning\"\nmessage = \"m\"\nright = [\"Good\"]\nwrong = [\"Bad\"]\n",
    );
    write(d, "mtlint.toml", b"rules = [\"rules/team\"]\n");
    write(d, "doc.txt", b"A Bad day.\n");
    let run = survives(d, &["check", "--format", "json", "doc.txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(json_lines(&run.stdout)[0]["rule"], "team.one");
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/// A document with thousands of fixes, so writing it takes a while.
fn many_fixes() -> (String, String) {
    let original = "Output grew.The market rose. ".repeat(10_000);
    let fixed = "Output grew. The market rose. ".repeat(10_000);
    (original, fixed)
}

#[test]
fn fix_killed_at_random_moments_leaves_the_original_or_the_fixed_file() {
    let dir = tempfile::tempdir().unwrap();
    let (original, fixed) = many_fixes();
    let path = dir.path().join("doc.txt");
    // How long one fix takes here, to spread the kills over it.
    fs::write(&path, &original).unwrap();
    let started = Instant::now();
    assert_eq!(survives(dir.path(), &["fix", "doc.txt"]).code, 0);
    let full = started.elapsed();
    assert_eq!(fs::read_to_string(&path).unwrap(), fixed);
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let (mut saw_original, mut saw_fixed) = (0, 0);
    for _ in 0..30 {
        fs::write(&path, &original).unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = full.mul_f64((seed % 1000) as f64 / 1000.0 * 1.1);
        let mut child = Command::new(env!("CARGO_BIN_EXE_mtlint"))
            .args(["fix", "doc.txt"])
            .current_dir(dir.path())
            .env("MTLINT_NO_CACHE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let now = fs::read_to_string(&path).unwrap();
        if now == original {
            saw_original += 1;
        } else if now == fixed {
            saw_fixed += 1;
        } else {
            panic!("after a kill at {delay:?} the file has {} bytes, neither version", now.len());
        }
    }
    // Temporary files a killed run left behind are hidden files named by mtlint; the document is whole.
    for entry in fs::read_dir(dir.path()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(name == "doc.txt" || (name.starts_with(".mtlint-") && name.ends_with(".tmp")), "{name}");
    }
    assert!(
        saw_original > 0 && saw_fixed > 0,
        "kills should land before and after the rename: {saw_original}/{saw_fixed}"
    );
}

/// A tmpfs of 256 KiB, unmounted when dropped. Tests run as root in CI; if mounting is not permitted the test fails
/// and says so.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn mount() -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
            .arg(dir.path())
            .output()
            .expect("`mount` runs (util-linux)");
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs to fill a disk and must run as root: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk(dir)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_leaves_the_original_untouched() {
    let disk = SmallDisk::mount();
    let d = disk.0.path();
    // 150 KiB on a 256 KiB disk: the fixed copy cannot be written beside it.
    let original = "Output grew.The market rose. ".repeat(150 * 1024 / 29);
    write(d, "doc.txt", original.as_bytes());
    let run = survives(d, &["fix", "doc.txt"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("doc.txt: cannot write the fixed file: No space left on device")
            && run.stderr.contains("the file is unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read_to_string(d.join("doc.txt")).unwrap(), original);
    let names: Vec<String> = fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names, ["doc.txt"], "no temporary file is left behind");
}

#[test]
fn a_chain_of_links_into_another_folder_is_written_through_to_the_file() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("real/sub")).unwrap();
    fs::create_dir(d.join("links")).unwrap();
    write(d, "real/sub/doc.txt", GLUED.as_bytes());
    symlink("../real/sub/doc.txt", d.join("links/first.txt")).unwrap();
    symlink("first.txt", d.join("links/second.txt")).unwrap();
    let run = survives(d, &["fix", "links/second.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fs::read_to_string(d.join("real/sub/doc.txt")).unwrap(), "Exports grew. The market rose.\n");
    for link in ["links/first.txt", "links/second.txt"] {
        assert!(fs::symlink_metadata(d.join(link)).unwrap().file_type().is_symlink(), "{link} is still a link");
    }
    let in_links: Vec<_> = fs::read_dir(d.join("links")).unwrap().collect();
    assert_eq!(in_links.len(), 2, "nothing written beside the links");
    // A dangling link is an error, and nothing is created.
    symlink("missing.txt", d.join("links/dangling.txt")).unwrap();
    let run = survives(d, &["fix", "links/dangling.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("dangling.txt: no such file or folder"), "{}", run.stderr);
    assert!(!d.join("links/missing.txt").exists());
}

// ---------------------------------------------------------------------------------------------------------------
// The language server

/// `mtlint lsp` with what it writes collected by a thread.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: mpsc::Receiver<Value>,
    /// Messages read while waiting for another one.
    seen: Vec<Value>,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mtlint"))
            .arg("lsp")
            .current_dir(dir)
            .env("MTLINT_NO_CACHE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.trim().parse().unwrap();
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0; length];
                if stdout.read_exact(&mut body).is_err() || sender.send(serde_json::from_slice(&body).unwrap()).is_err()
                {
                    return;
                }
            }
        });
        let mut server = Server { child, stdin, messages, seen: Vec::new() };
        server.send(&json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}}));
        server.response(0);
        server.send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        server
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&wanted) {
            return self.seen.remove(i);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if wanted(&m) => return m,
                Ok(m) => self.seen.push(m),
                Err(e) => panic!("the language server stopped answering: {e}"),
            }
        }
    }

    fn response(&mut self, id: i64) -> Value {
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The server still answers: a hover on a document it has checked.
    fn still_serves(&mut self, id: i64) {
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": "file:///tmp/good.txt"}, "position": {"line": 0, "character": 10}}}));
        let hover = self.response(id);
        let text = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
        assert!(text.contains("en.missing-space-after-punctuation"), "{hover}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_language_server_keeps_serving_after_truncated_oversized_and_malformed_messages() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    server.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": "file:///tmp/good.txt", "languageId": "plaintext", "version": 1, "text": GLUED}}}));
    server.still_serves(1);
    let bad: Vec<Vec<u8>> = vec![
        // Lengths that are not numbers, overflow, or are negative.
        b"Content-Length: 99999999999999999999999999\r\n\r\n".to_vec(),
        b"Content-Length: -5\r\n\r\n{}".to_vec(),
        b"Content-Length: \r\n\r\n".to_vec(),
        // A body that is not UTF-8, one nested too deep for the JSON parser, a batch, odd ids.
        [&b"Content-Length: 4\r\n\r\n"[..], &[0xFF, 0xFE, 0x00, 0x7B]].concat(),
        {
            let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
            format!("Content-Length: {}\r\n\r\n{deep}", deep.len()).into_bytes()
        },
        frame(&json!([{"jsonrpc": "2.0", "id": 5, "method": "shutdown"}])),
        frame(&json!({"jsonrpc": "2.0", "id": {"a": 1}, "method": "textDocument/hover"})),
        frame(&json!({"jsonrpc": "2.0", "id": 6, "method": 7})),
        // Positions far outside the document, ranges backwards, inside a surrogate pair.
        frame(&json!({"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": "file:///tmp/good.txt"}, "position": {"line": 4_294_967_295_u32, "character": 4_294_967_295_u32}}})),
        frame(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": "file:///tmp/other.txt", "languageId": "plaintext", "version": 1, "text": "😀😀 grew.The"}}})),
        frame(&json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": "file:///tmp/other.txt", "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 1}}, "text": "x"},
            {"range": {"start": {"line": 9, "character": 0}, "end": {"line": 4_294_967_295_u32, "character": 0}}, "text": "y"}
        ]}})),
        frame(&json!({"jsonrpc": "2.0", "id": 9, "method": "textDocument/codeAction", "params": {
            "textDocument": {"uri": "file:///tmp/other.txt"},
            "range": {"start": {"line": 4_294_967_295_u32, "character": 1}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []}}})),
        // A header that is never finished by an empty line, followed by a proper message.
        b"Content-Length: 2\r\nContent-Type: x".to_vec(),
    ];
    for (i, bytes) in bad.iter().enumerate() {
        server.raw(bytes);
        server.still_serves(100 + i as i64);
    }
    // Requests the server could read are answered, with an error where they were wrong.
    for id in [8, 9] {
        let answer = server.response(id);
        assert!(answer.get("result").is_some() || answer.get("error").is_some(), "{answer}");
    }
    // An oversized document is reported, not checked, and others are still served.
    let huge = "Exports grew.The market rose. ".repeat(700_000);
    server.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": "file:///tmp/huge.txt", "languageId": "plaintext", "version": 1, "text": huge}}}));
    let note = server.wait_for(|m| m["params"]["uri"] == "file:///tmp/huge.txt");
    assert_eq!(note["params"]["diagnostics"][0]["code"], "mtlint.too-large", "{note}");
    server.still_serves(200);
    // A message cut short by the client going away: the server ends without a crash.
    server.raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\": \"2.0\", ");
    drop(server.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not end when its input closed");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(1), "closed without shutdown: exit 1, by the protocol, not a crash");
}

fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}
