//! `mtlint serve`'s page in a real browser: `tests/web/page.test.mjs` drives Debian's Chromium with playwright-core
//! (installed by `.ci/run`: `apt-get install chromium`, `npm ci --prefix tests/web`). The screenshot and the
//! downloaded file are kept in `target/serve-artifacts/`.

mod common;
mod serve_support;

use common::root;
use serve_support::Server;
use std::path::Path;
use std::process::Command;

#[test]
fn page_corrects_the_seed_in_chromium() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    assert!(
        Path::new(&chromium).is_file(),
        "no Chromium at {chromium}: run .ci/run, or `apt-get install chromium chromium-driver` (or set CHROMIUM)"
    );
    assert!(
        root().join("tests/web/node_modules/playwright-core").is_dir(),
        "tests/web/node_modules/playwright-core is missing: run .ci/run, or `npm ci --prefix tests/web`"
    );
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.as_ref().is_ok_and(|o| o.status.success()),
        "node is not installed (Node.js 18 or later runs the page test): {node:?}"
    );
    let artifacts = root().join("target/serve-artifacts");
    let screenshot = artifacts.join("page.png");
    let _ = std::fs::remove_file(&screenshot);
    let server = Server::start(&[]);
    let out = Command::new("node")
        .arg(root().join("tests/web/page.test.mjs"))
        .arg(&server.url)
        .arg(&artifacts)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs the page test");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the page test failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("page test: all checks passed"), "{stdout}\n{stderr}");
    let png = std::fs::read(&screenshot).expect("the page test keeps a screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000, "a real PNG screenshot");
}
