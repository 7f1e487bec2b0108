//! Running the real `mtlint` binary in tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `mtlint ARGS` in `dir` with `stdin` piped in (empty when `None`), colour off, and no rule cache (a test does
/// not write into the user's cache folder; `tests/rules.rs` tests the cache in a folder of its own).
pub fn mtlint_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mtlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("MTLINT_NO_CACHE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mtlint binary runs");
    {
        let mut input = child.stdin.take().expect("stdin is piped");
        if let Some(bytes) = stdin {
            // mtlint may exit before reading (a usage error): a closed pipe is not the test's failure.
            if let Err(e) = input.write_all(bytes) {
                assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "writing to mtlint's stdin: {e}");
            }
        }
    }
    let out = child.wait_with_output().expect("mtlint finishes");
    Run {
        code: out.status.code().expect("mtlint exits normally, not by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn mtlint(args: &[&str]) -> Run {
    mtlint_in(root(), args, None)
}

/// The JSON findings printed by `--format json`.
pub fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect()
}
