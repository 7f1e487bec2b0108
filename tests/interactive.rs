//! `mtlint fix --interactive` end to end: the real binary driven through a pseudo-terminal (single key presses in
//! raw mode, the line editor for `e`), and with answers piped on standard input; the written files compared byte for
//! byte with expected files written by hand.

use rexpect::process::WaitStatus;
use rexpect::session::{PtySession, spawn_command};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/interactive");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(name)).expect("fixture")
}

/// A copy of a fixture in a fresh temporary folder (the session writes next to the file).
fn copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, fixture(name)).expect("copy the fixture");
    (dir, path)
}

fn command(path: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mtlint"));
    cmd.args(["fix", "--interactive", "--isolated"]).arg(path);
    cmd.env("TERM", "xterm").env("NO_COLOR", "1").env_remove("CI");
    cmd
}

/// Runs the binary in a pseudo-terminal.
fn session(path: &Path) -> PtySession {
    spawn_command(command(path), Some(20_000)).expect("start mtlint in a pseudo-terminal")
}

fn send(p: &mut PtySession, keys: &str) {
    p.send(keys).expect("send keys");
    p.flush().expect("flush keys");
}

fn exit_code(p: &mut PtySession) -> i32 {
    match p.process_mut().wait().expect("wait for mtlint") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("mtlint did not exit normally: {other:?}"),
    }
}

const PROMPT: &str = "Apply this fix [y,n,e,a,d,u,q,?]? ";

#[test]
fn a_terminal_session_accepts_rejects_edits_and_undoes() {
    let (_dir, path) = copy("release.txt");
    let mut p = session(&path);
    // 1: the glued sentences, shown with the line, carets and the word diff; accepted with one key, no Enter.
    p.exp_string("(1/4)").unwrap();
    p.exp_string("|         ^^^^^^^^^^^^^^\r\n").unwrap();
    p.exp_string("fix: Exports grew.{+ +}Officials at the the National").unwrap();
    p.exp_string(PROMPT).unwrap();
    send(&mut p, "y");
    // 2: the doubled word, rejected.
    p.exp_string("(2/4)").unwrap();
    p.exp_string("[en.repeated-word]").unwrap();
    p.exp_string(PROMPT).unwrap();
    send(&mut p, "n");
    // 3: the official name, accepted…
    p.exp_string("(3/4)").unwrap();
    p.exp_string("[-National New-]{+State Council Information+} Office").unwrap();
    p.exp_string(PROMPT).unwrap();
    send(&mut p, "y");
    // …which shows on the context line of 4, then undone: 3 is asked again on the original text.
    p.exp_string("(4/4)").unwrap();
    p.exp_string("1 | Exports grew. Officials at the the State Council Information Office met.").unwrap();
    p.exp_string(PROMPT).unwrap();
    send(&mut p, "u");
    p.exp_string("Undone.").unwrap();
    p.exp_string("(3/4)").unwrap();
    p.exp_string(PROMPT).unwrap();
    // `?` shows the keys without deciding anything.
    send(&mut p, "?");
    p.exp_string("undo the last decision").unwrap();
    p.exp_string(PROMPT).unwrap();
    // Edit: the suggestion is typed in the line editor already; clear it (Ctrl-U) and type another.
    send(&mut p, "e");
    p.exp_string("replacement: ").unwrap();
    p.exp_string("State Council Information Office").unwrap();
    p.send_control('u').unwrap();
    send(&mut p, "Information Office\r");
    // 4: the news agency, accepted.
    p.exp_string("(4/4)").unwrap();
    p.exp_string("1 | Exports grew. Officials at the the Information Office met.").unwrap();
    p.exp_string(PROMPT).unwrap();
    send(&mut p, "y");
    p.exp_string("3 accepted, 1 rejected, 0 skipped; written.").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&mut p), 0);
    let written = std::fs::read(&path).unwrap();
    assert_eq!(String::from_utf8_lossy(&written), String::from_utf8_lossy(&fixture("release.expected.txt")));
    assert_eq!(written, fixture("release.expected.txt"), "byte for byte, CRLF line endings kept");
}

#[test]
fn quitting_at_once_leaves_the_file_untouched() {
    let (_dir, path) = copy("release.txt");
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    let mut p = session(&path);
    p.exp_string(PROMPT).unwrap();
    send(&mut p, "q");
    p.exp_string("0 accepted, 0 rejected, 4 skipped; the file is unchanged.").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&mut p), 0);
    assert_eq!(std::fs::read(&path).unwrap(), fixture("release.txt"));
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), before, "not even rewritten");
}

#[test]
fn ctrl_c_leaves_the_file_as_it_was() {
    let (_dir, path) = copy("release.txt");
    let mut p = session(&path);
    p.exp_string(PROMPT).unwrap();
    send(&mut p, "y");
    p.exp_string("(2/4)").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_control('c').unwrap();
    p.exp_string("was not written (1 accepted correction discarded)").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&mut p), 130);
    assert_eq!(std::fs::read(&path).unwrap(), fixture("release.txt"));
    let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file left behind");
}

#[test]
fn a_file_changed_during_the_session_is_not_overwritten_blindly() {
    let (_dir, path) = copy("release.txt");
    let mut p = session(&path);
    p.exp_string(PROMPT).unwrap();
    send(&mut p, "y");
    p.exp_string("(2/4)").unwrap();
    p.exp_string(PROMPT).unwrap();
    // Someone else saves the file meanwhile.
    let theirs = b"Someone else's version.\n";
    std::fs::write(&path, theirs).unwrap();
    send(&mut p, "d");
    p.exp_string("changed on disk since it was read").unwrap();
    p.exp_string("Overwrite it with the reviewed text [y,n]? ").unwrap();
    send(&mut p, "n");
    p.exp_string("not written (the file changed on disk)").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&mut p), 0);
    assert_eq!(std::fs::read(&path).unwrap(), theirs);
}

/// Runs the binary with `answers` piped on standard input (no terminal).
fn piped(path: &Path, answers: &str) -> (i32, String) {
    let mut child = command(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start mtlint");
    child.stdin.take().unwrap().write_all(answers.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn answers_piped_without_a_terminal_edit_only_the_targets_of_a_po_file() {
    let (_dir, path) = copy("release.po");
    // Accept the news agency, reject the doubled word, type a replacement holding quotation marks (written as
    // `\"` inside the msgstr) for the official name.
    let answers = "y\nn\ne\nState Council Information Office (\"SCIO\")\n";
    let (code, out) = piped(&path, answers);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(1/3)") && out.contains("(3/3)"), "{out}");
    assert!(out.contains("1 |") || out.contains("6 |"), "the lines around each finding are shown: {out}");
    assert!(out.contains("2 accepted, 1 rejected, 0 skipped; written."), "{out}");
    assert_eq!(
        String::from_utf8_lossy(&std::fs::read(&path).unwrap()),
        String::from_utf8_lossy(&fixture("release.expected.po"))
    );
    assert_eq!(std::fs::read(&path).unwrap(), fixture("release.expected.po"));
}

#[test]
fn piped_answers_that_run_out_leave_the_file_untouched() {
    let (_dir, path) = copy("release.txt");
    let (code, out) = piped(&path, "y\ny\n");
    assert_eq!(code, 130, "{out}");
    assert!(out.contains("was not written (2 accepted corrections discarded)"), "{out}");
    assert_eq!(std::fs::read(&path).unwrap(), fixture("release.txt"));
}

#[test]
fn accepting_all_of_a_rule_takes_its_later_findings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice.txt");
    std::fs::write(&path, "We saw the the plan.\nThey met at the National New Office.\nIt was done by by them.\n")
        .unwrap();
    // `a` on the first doubled word takes the later one too, without asking; the official name is still asked.
    let (code, out) = piped(&path, "a\nn\n");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Accepted (en.repeated-word, all)"), "{out}");
    assert!(out.contains("2 accepted, 1 rejected, 0 skipped; written."), "{out}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "We saw the plan.\nThey met at the National New Office.\nIt was done by them.\n"
    );
}
