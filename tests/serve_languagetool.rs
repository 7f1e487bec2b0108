//! A real LanguageTool client against `mtlint serve`: the PyPI package language_tool_python, installed by `.ci/run`
//! in a virtual environment, runs `tests/serve_support/languagetool_client.py` with `remote_server=` pointing at the
//! server. The Python interpreter is `$MTLINT_LT_PYTHON` (default `/opt/mtlint-venv/bin/python`).

mod common;
mod serve_support;

use common::root;
use serve_support::Server;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn language_tool_python_reads_mtlint_matches() {
    let python =
        PathBuf::from(std::env::var("MTLINT_LT_PYTHON").unwrap_or_else(|_| "/opt/mtlint-venv/bin/python".to_string()));
    let probe = Command::new(&python).args(["-c", "import language_tool_python"]).output();
    match probe {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "{} cannot import language_tool_python ({}); run .ci/run, or: python3 -m venv /opt/mtlint-venv && \
             /opt/mtlint-venv/bin/pip install language_tool_python (or set MTLINT_LT_PYTHON)",
            python.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => panic!(
            "no Python at {} ({e}); run .ci/run, or: python3 -m venv /opt/mtlint-venv && \
             /opt/mtlint-venv/bin/pip install language_tool_python (or set MTLINT_LT_PYTHON)",
            python.display()
        ),
    }
    let server = Server::start(&[]);
    let out = Command::new(&python)
        .arg(root().join("tests/serve_support/languagetool_client.py"))
        .arg(&server.url)
        .output()
        .expect("the client script runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "language_tool_python disagrees:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all matches as expected"), "{stdout}\n{stderr}");
}
