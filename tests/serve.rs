//! `mtlint serve` through real HTTP: the LanguageTool API (offsets in UTF-16 code units, annotated data, rule
//! selection), the JSON API (the same findings as `--format json`, fixes as `mtlint fix`), errors (400, 413, 404)
//! after which the server keeps serving, and a bounded load test on loopback.

mod common;
mod serve_support;

use common::{json_lines, mtlint_in, root};
use serde_json::{Value, json};
use serve_support::{Server, agent, post_json};
use std::time::Instant;

/// POSTs form fields to `/v2/check` and returns the status and the answer.
fn lt_form(server: &Server, fields: &[(&str, &str)]) -> (u16, Value) {
    let mut response =
        agent().post(format!("{}/v2/check", server.url)).send_form(fields.iter().copied()).expect("a response");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("a body");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON ({e}): {text}")))
}

fn matches_of<'a>(answer: &'a Value, rule: &str) -> Vec<&'a Value> {
    answer["matches"].as_array().expect("a matches array").iter().filter(|m| m["rule"]["id"] == rule).collect()
}

#[test]
fn languagetool_offsets_count_utf16_code_units() {
    let server = Server::start(&[]);
    // 新闻 is 2 code units, 😀 is 2 (a surrogate pair), " said " is 6: "the the" starts at 10.
    let text = "新闻😀 said the the report.";
    let (status, answer) = lt_form(&server, &[("text", text), ("language", "en-US")]);
    assert_eq!(status, 200, "{answer}");
    let doubled = matches_of(&answer, "en.repeated-word");
    assert_eq!(doubled.len(), 1, "{answer:#}");
    let m = doubled[0];
    assert_eq!((m["offset"].as_u64(), m["length"].as_u64()), (Some(10), Some(7)), "{m:#}");
    assert_eq!(m["replacements"], json!([{ "value": "the" }]));
    assert_eq!(m["context"]["text"], text);
    assert_eq!((m["context"]["offset"].as_u64(), m["context"]["length"].as_u64()), (Some(10), Some(7)));
    assert_eq!(m["sentence"], text);
    assert_eq!(m["rule"]["category"], json!({ "id": "GRAMMAR", "name": "Grammar" }));
    assert_eq!(m["rule"]["issueType"], "grammar");
    assert_eq!(m["type"]["typeName"], "Other");
    let cjk = matches_of(&answer, "en.untranslated-cjk");
    assert_eq!((cjk[0]["offset"].as_u64(), cjk[0]["length"].as_u64()), (Some(0), Some(2)), "{answer:#}");
    assert_eq!(answer["language"]["code"], "en-US");
    assert_eq!(answer["software"]["name"], "mtlint");
    assert_eq!(answer["software"]["apiVersion"], 1);
    assert_eq!(answer["warnings"]["incompleteResults"], false);
}

#[test]
fn languagetool_annotated_data_offsets_include_markup() {
    let server = Server::start(&[]);
    let data = json!({ "annotation": [
        { "markup": "<p>" },
        { "text": "Exports grew.The market rose." },
        { "markup": "<br/>", "interpretAs": "\n\n" },
        { "text": "Officials of the National New Office spoke." },
        { "markup": "</p>" },
    ]});
    // JSON body, `data` as the annotation object.
    let (status, answer) =
        post_json(&agent(), &format!("{}/v2/check", server.url), &json!({ "data": data, "language": "en" }));
    assert_eq!(status, 200, "{answer}");
    // "grew.The": after "<p>" (3) and "Exports " (8).
    let glued = matches_of(&answer, "en.missing-space-after-punctuation");
    assert_eq!((glued[0]["offset"].as_u64(), glued[0]["length"].as_u64()), (Some(11), Some(8)), "{answer:#}");
    // "National New Office": "<p>" 3 + 29 of text + "<br/>" 5 + "Officials of the " 17 = 54.
    let scio = matches_of(&answer, "zh-en.gov.scio");
    assert_eq!((scio[0]["offset"].as_u64(), scio[0]["length"].as_u64()), (Some(54), Some(19)), "{answer:#}");
    assert_eq!(scio[0]["replacements"][0]["value"], "State Council Information Office");
    assert_eq!(scio[0]["rule"]["category"]["id"], "TERMINOLOGY");
    // The same as a form field holding JSON text.
    let (status, form_answer) = lt_form(&server, &[("data", &data.to_string()), ("language", "en")]);
    assert_eq!(status, 200);
    assert_eq!(form_answer["matches"], answer["matches"]);
}

#[test]
fn languagetool_rule_and_category_selection() {
    let server = Server::start(&[]);
    let text = "The the National New Office said.";
    let ids = |answer: &Value| -> Vec<String> {
        answer["matches"].as_array().expect("matches").iter().map(|m| m["rule"]["id"].to_string()).collect()
    };
    let (_, all) = lt_form(&server, &[("text", text), ("language", "en-GB")]);
    assert_eq!(ids(&all), ["\"en.repeated-word\"", "\"zh-en.gov.scio\""]);
    let (_, without) = lt_form(&server, &[("text", text), ("language", "en"), ("disabledRules", "en.repeated-word")]);
    assert_eq!(ids(&without), ["\"zh-en.gov.scio\""]);
    let (_, only) = lt_form(
        &server,
        &[("text", text), ("language", "en"), ("enabledRules", "en.repeated-word"), ("enabledOnly", "true")],
    );
    assert_eq!(ids(&only), ["\"en.repeated-word\""]);
    let (_, terms) = lt_form(
        &server,
        &[("text", text), ("language", "auto"), ("enabledCategories", "TERMINOLOGY"), ("enabledOnly", "true")],
    );
    assert_eq!(ids(&terms), ["\"zh-en.gov.scio\""]);
    let (_, no_grammar) = lt_form(&server, &[("text", text), ("language", "en"), ("disabledCategories", "GRAMMAR")]);
    assert_eq!(ids(&no_grammar), ["\"zh-en.gov.scio\""]);
    let (status, error) = lt_form(&server, &[("text", text), ("language", "en"), ("enabledOnly", "true")]);
    assert_eq!(status, 400);
    assert!(error["error"].as_str().is_some_and(|e| e.contains("enabledOnly")), "{error}");
}

#[test]
fn languagetool_languages_and_unsupported_language() {
    let server = Server::start(&[]);
    let mut response = agent().get(format!("{}/v2/languages", server.url)).call().expect("a response");
    let languages: Value = serde_json::from_str(&response.body_mut().read_to_string().expect("body")).expect("JSON");
    let codes: Vec<&str> =
        languages.as_array().expect("a list").iter().filter_map(|l| l["longCode"].as_str()).collect();
    assert!(codes.contains(&"en-US") && codes.contains(&"en-GB"), "{languages}");
    let (status, error) = lt_form(&server, &[("text", "Hallo Welt"), ("language", "de-DE")]);
    assert_eq!(status, 400);
    assert!(error["error"].as_str().is_some_and(|e| e.contains("de-DE")), "{error}");
    let (status, error) = lt_form(&server, &[("text", "Hello")]);
    assert_eq!(status, 400);
    assert!(error["error"].as_str().is_some_and(|e| e.contains("language")), "{error}");
}

#[test]
fn api_check_answers_the_findings_of_format_json() {
    let server = Server::start(&[]);
    let text = std::fs::read_to_string(root().join("seeds/miit-ai-press-release.en.txt")).expect("the seed");
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("release.txt"), &text).expect("write the copy");
    let run = mtlint_in(dir.path(), &["check", "--isolated", "--format", "json", "release.txt"], None);
    let expected = json_lines(&run.stdout);
    assert!(expected.len() >= 10, "the seed has findings: {}", run.stdout);
    let (status, answer) =
        post_json(&agent(), &format!("{}/api/check", server.url), &json!({ "text": text, "name": "release.txt" }));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["findings"].as_array().expect("findings"), &expected);
    let score = &answer["score"];
    assert_eq!(score["per_thousand_words"], expected[0]["document_score"]);
    assert!(score["words"].as_u64().is_some_and(|w| w > 200), "{score}");
}

#[test]
fn api_fix_gives_the_fixed_seed_and_its_diff() {
    let server = Server::start(&[]);
    let text = std::fs::read_to_string(root().join("seeds/miit-ai-press-release.en.txt")).expect("the seed");
    let want = std::fs::read_to_string(root().join("seeds/miit-ai-press-release.en.fixed.txt")).expect("fixed");
    let (status, answer) =
        post_json(&agent(), &format!("{}/api/fix", server.url), &json!({ "text": text, "name": "release.txt" }));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["fixed"], want);
    assert!(answer["applied"].as_u64().is_some_and(|n| n >= 10), "{}", answer["applied"]);
    let diff = answer["diff"].as_str().expect("a diff");
    assert!(diff.starts_with("--- a/release.txt\n+++ b/release.txt\n"), "{diff}");
    assert!(diff.contains("+According to the China News Service, Tao Qing"), "{diff}");
    // The findings left are those no safe fix removes.
    assert!(answer["findings"].as_array().expect("findings").iter().all(|f| f["fixable"] == false), "{answer:#}");
}

#[test]
fn api_check_with_a_source_runs_the_bilingual_checks() {
    let server = Server::start(&[]);
    let url = format!("{}/api/check", server.url);
    let pair = json!({ "text": "Exports rose by 6 percent in October.", "source": "10月出口增长5%。" });
    let (status, answer) = post_json(&agent(), &url, &pair);
    assert_eq!(status, 200, "{answer}");
    let numbers: Vec<&Value> = answer["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "zh-en.source-numbers")
        .collect();
    assert_eq!(numbers.len(), 1, "{answer:#}");
    assert_eq!(numbers[0]["matched"], "6");
    assert_eq!(numbers[0]["suggestions"], json!(["5"]));
    assert_eq!(numbers[0]["message"], "A number does not match the source: source has 5, target has 6.");
    // Without the source there is nothing to compare against.
    let (_, alone) = post_json(&agent(), &url, &json!({ "text": "Exports rose by 6 percent in October." }));
    assert_eq!(alone["findings"], json!([]));
    // A bilingual format carries its own source.
    let (status, error) = post_json(&agent(), &url, &json!({ "text": "a", "source": "b", "format": "xliff" }));
    assert_eq!(status, 400, "{error}");
}

#[test]
fn api_check_reads_formats_and_selects_rules() {
    let server = Server::start(&[]);
    let url = format!("{}/api/check", server.url);
    let markdown = "# Title\n\nThe the report. `the the`\n";
    let (_, answer) = post_json(&agent(), &url, &json!({ "text": markdown, "format": "markdown" }));
    let findings = answer["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "code is not prose: {answer:#}");
    assert_eq!((findings[0]["line"].as_u64(), findings[0]["column"].as_u64()), (Some(3), Some(1)));
    let (_, disabled) =
        post_json(&agent(), &url, &json!({ "text": markdown, "format": "markdown", "disable": ["en.repeated-word"] }));
    assert_eq!(disabled["findings"], json!([]));
    let (status, error) = post_json(&agent(), &url, &json!({ "text": "x", "format": "docx" }));
    assert_eq!(status, 400);
    assert!(error["error"].as_str().is_some_and(|e| e.contains("docx") && e.contains("markdown")), "{error}");
    let (status, error) = post_json(&agent(), &url, &json!({ "text": "x", "disable": ["zh-en.[gov"] }));
    assert_eq!(status, 400, "{error}");
}

#[test]
fn rule_files_and_configuration_apply_to_every_request() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let rules = dir.path().join("my.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nid = \"my.rule\"\nkind = \"pattern\"\ncategory = \"Style\"\nseverity = \"info\"\nfix = \"safe\"\n\
         message = \"calque\"\npattern = '(?i)in the year of (\\d{4})'\nreplace = [\"in $1\"]\n",
    )
    .expect("write the rule file");
    let text = "It opened in the year of 2019.The the end.";
    let rules_arg = rules.to_string_lossy().to_string();
    let only = Server::start(&["--no-default-rules", "--rules", &rules_arg]);
    let (_, answer) = lt_form(&only, &[("text", text), ("language", "en")]);
    let matches = answer["matches"].as_array().expect("matches");
    assert_eq!(matches.len(), 1, "only the user's rule runs: {answer:#}");
    assert_eq!(matches[0]["rule"]["id"], "my.rule");
    assert_eq!((matches[0]["offset"].as_u64(), matches[0]["length"].as_u64()), (Some(10), Some(19)));
    assert_eq!(matches[0]["replacements"], json!([{ "value": "in 2019" }]));
    assert_eq!(matches[0]["rule"]["category"], json!({ "id": "STYLE", "name": "Style" }));
    drop(only);

    let config = dir.path().join("mtlint.toml");
    std::fs::write(&config, "disable = [\"en.repeated-word\"]\n").expect("write the configuration");
    let configured = Server::start(&["--config", &config.to_string_lossy()]);
    let (_, answer) = lt_form(&configured, &[("text", text), ("language", "en")]);
    let ids: Vec<&str> =
        answer["matches"].as_array().expect("matches").iter().filter_map(|m| m["rule"]["id"].as_str()).collect();
    assert_eq!(ids, ["en.missing-space-after-punctuation"], "{answer:#}");
    // A request may turn a rule the configuration disabled back on.
    let (_, answer) = lt_form(&configured, &[("text", text), ("language", "en"), ("enabledRules", "en.repeated-word")]);
    assert_eq!(answer["matches"].as_array().map(Vec::len), Some(2), "{answer:#}");

    // A broken rule file stops the server before it listens.
    std::fs::write(&rules, "[[rule]]\nid = \"my.rule\"\n").expect("write a broken rule file");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mtlint"))
        .args(["serve", "--port", "0", "--isolated", "--rules", &rules_arg])
        .output()
        .expect("mtlint serve runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("my.toml") && !stderr.contains("listening"), "{stderr}");
}

/// The answer to a good request, to show the server still serves after a bad one.
/// The raw answer (status line and headers) to a request, lower-cased, for header checks.
fn head_of(server: &Server, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(&server.address).expect("connect");
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).expect("a read timeout");
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).to_ascii_lowercase();
    answer.split("\r\n\r\n").next().unwrap_or_default().to_string()
}

#[test]
fn cross_origin_calls_are_allowed_only_for_the_named_origin() {
    let preflight = "OPTIONS /v2/check HTTP/1.1\r\nHost: x\r\nOrigin: https://example.org\r\n\
                     Access-Control-Request-Method: POST\r\nConnection: close\r\n\r\n";
    let body = "text=It%20grew.Then%20it%20fell.&language=en-US";
    let post = format!(
        "POST /v2/check HTTP/1.1\r\nHost: x\r\nOrigin: https://example.org\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );

    // By default no page of another origin may read the answers.
    let closed = Server::start(&[]);
    let head = head_of(&closed, &post);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(!head.contains("access-control-allow-origin"), "{head}");
    assert!(!head_of(&closed, preflight).contains("access-control-allow-origin"));

    let open = Server::start(&["--allow-origin", "https://example.org"]);
    let head = head_of(&open, preflight);
    assert!(head.starts_with("http/1.1 204"), "{head}");
    assert!(head.contains("access-control-allow-origin: https://example.org"), "{head}");
    assert!(head.contains("access-control-allow-methods: get, post, options"), "{head}");
    assert!(head.contains("access-control-allow-headers: content-type"), "{head}");
    let head = head_of(&open, &post);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("access-control-allow-origin: https://example.org"), "{head}");
}

fn still_serves(server: &Server) {
    let (status, answer) = lt_form(server, &[("text", "the the"), ("language", "en")]);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["matches"][0]["rule"]["id"], "en.repeated-word");
}

fn error_of(body: &str) -> String {
    let value: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("a JSON error ({e}): {body}"));
    value["error"].as_str().unwrap_or_else(|| panic!("an `error` field: {body}")).to_string()
}

#[test]
fn bad_requests_get_clear_errors_and_the_server_keeps_serving() {
    let server = Server::start(&["--max-body", "64K"]);
    let api = format!("{}/api/check", server.url);
    // Malformed JSON.
    let (status, error) = server.raw(
        b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 15\r\nConnection: close\r\n\r\n{\"text\": \"the t",
    );
    assert_eq!(status, 400);
    assert!(error_of(&error).contains("not a valid check request"), "{error}");
    still_serves(&server);
    // A missing field, an unknown field, a body that is not an object.
    for body in [json!({ "txt": "x" }), json!({ "text": "x", "colour": 1 }), json!(["text"])] {
        let (status, error) = post_json(&agent(), &api, &body);
        assert_eq!(status, 400, "{body}: {error}");
        assert!(error["error"].is_string(), "{error}");
    }
    // Malformed form encoding and annotated data.
    let (status, error) = lt_form(&server, &[("data", "{\"annotation\": [{\"text\": 1}]}"), ("language", "en")]);
    assert_eq!(status, 400);
    assert!(error["error"].as_str().is_some_and(|e| e.contains("annotated text")), "{error}");
    let (status, error) = lt_form(&server, &[("language", "en")]);
    assert_eq!(status, 400);
    assert!(error["error"].as_str().is_some_and(|e| e.contains("`text` or `data`")), "{error}");
    still_serves(&server);
    // Over the limit, by Content-Length …
    let big = json!({ "text": "a".repeat(70_000) }).to_string();
    let (status, error) = post_json(&agent(), &api, &serde_json::from_str(&big).expect("JSON"));
    assert_eq!(status, 413);
    assert!(error["error"].as_str().is_some_and(|e| e.contains("65536 bytes")), "{error}");
    // … and sent in chunks without one.
    let mut chunked = b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    for _ in 0..20 {
        chunked.extend_from_slice(format!("{:x}\r\n{}\r\n", 5000, "a".repeat(5000)).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let (status, error) = server.raw(&chunked);
    assert_eq!(status, 413, "{error}");
    still_serves(&server);
    // A body cut short: the client closes after 10 of the 100 bytes it announced.
    {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect(&server.address).expect("connect");
        stream
            .write_all(b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"text\": \"")
            .expect("send");
        stream.shutdown(std::net::Shutdown::Write).expect("half-close");
    }
    still_serves(&server);
    // Not HTTP at all.
    let (status, _) = server.raw(b"HELLO\r\n\r\n");
    assert!(status == 400 || status == 0, "a garbage request line gets 400 or a closed connection, not {status}");
    still_serves(&server);
    // No such endpoint; no file path is ever served.
    let (status, error) = server.raw(b"GET /../Cargo.toml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 404);
    assert!(error_of(&error).contains("no such endpoint"), "{error}");
    let (status, error) = server.raw(b"GET /api/check HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 405);
    assert!(error_of(&error).contains("use POST"), "{error}");
    still_serves(&server);
}

#[test]
fn load_two_thousand_requests_from_eight_clients() {
    const CLIENTS: usize = 8;
    const REQUESTS: usize = 2_000;
    let server = Server::start(&[]);
    let url = format!("{}/v2/check", server.url);
    let text = "According to the China News Agency, the spokesman said at the press conference of the National \
                New Office that the the scale of the industry is increasing.The market rose.";
    let started = Instant::now();
    let errors: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let url = &url;
                scope.spawn(move || {
                    let agent = agent();
                    let mut errors = Vec::new();
                    for n in (client..REQUESTS).step_by(CLIENTS) {
                        let answer = agent
                            .post(url.as_str())
                            .send_form([("text", text), ("language", "en-US")])
                            .map_err(|e| e.to_string())
                            .and_then(|mut r| {
                                let status = r.status().as_u16();
                                let body = r.body_mut().read_to_string().map_err(|e| e.to_string())?;
                                Ok((status, body))
                            });
                        match answer {
                            Ok((200, body)) if body.matches("\"offset\"").count() == 8 => {}
                            Ok((status, body)) => errors.push(format!("request {n}: {status}: {body}")),
                            Err(e) => errors.push(format!("request {n}: {e}")),
                        }
                    }
                    errors
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a client thread finishes")).collect()
    });
    let elapsed = started.elapsed();
    assert!(errors.is_empty(), "{} of {REQUESTS} requests failed, first: {:?}", errors.len(), errors.first());
    // A figure to read (`cargo test --test serve load -- --nocapture`, or the artifact), never a pass condition.
    let figure = format!(
        "load: {REQUESTS} requests from {CLIENTS} clients in {:.2} s: {:.0} requests/s ({} build)\n",
        elapsed.as_secs_f64(),
        REQUESTS as f64 / elapsed.as_secs_f64(),
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    eprint!("{figure}");
    let artifacts = root().join("target/serve-artifacts");
    std::fs::create_dir_all(&artifacts).expect("create target/serve-artifacts");
    std::fs::write(artifacts.join("load.txt"), figure).expect("write the load figure");
}
