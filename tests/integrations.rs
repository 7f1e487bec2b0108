//! The ready-made CI integrations, checked from their own files: the composite GitHub Action (`action.yml`) and the
//! pre-commit hooks (`.pre-commit-hooks.yaml`).
//!
//! Commands are read from the YAML, never copied into the test. The action's steps run as GitHub runs a `bash` step
//! (`bash --noprofile --norc -eo pipefail`), with the step's `env` resolved from the inputs and either the real
//! binary or a stand-in that records its arguments first on `PATH`. The hooks' entries run as pre-commit runs them:
//! the entry split into words, then the hook's arguments, then the file names.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

/// Flagged by `en.missing-space-after-punctuation` (an error) at line 1, column 9.
const GLUED: &str = "Exports grew.The market rose.\n";
const FIXED: &str = "Exports grew. The market rose.\n";
const GLUED_RULE: &str = "en.missing-space-after-punctuation";
/// Only an info finding (`en.multiple-spaces`).
const INFO_ONLY: &str = "The market  rose.\n";
const CLEAN: &str = "The market rose.\n";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_mtlint"))
}

/// The name the integrations call the binary by.
fn binary_name() -> &'static str {
    binary().file_name().and_then(|n| n.to_str()).expect("the binary has a UTF-8 name")
}

fn load(name: &str) -> Yaml {
    let text = fs::read_to_string(root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{name} is not valid YAML: {e}"));
    assert_eq!(docs.len(), 1, "{name} holds one YAML document");
    docs.remove(0)
}

fn string<'a>(node: &'a Yaml, what: &str) -> &'a str {
    node.as_str().unwrap_or_else(|| panic!("{what} is a string, not {node:?}"))
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

// ---------------------------------------------------------------------------------------------------------------
// The GitHub Action

struct Step {
    name: String,
    condition: Option<String>,
    env: Vec<(String, String)>,
    run: String,
}

fn action_steps(action: &Yaml) -> Vec<Step> {
    let steps = action["runs"]["steps"].as_vec().expect("runs.steps is a list");
    steps
        .iter()
        .map(|step| {
            let name = string(&step["name"], "a step's name").to_string();
            assert_eq!(string(&step["shell"], "a composite step's shell"), "bash", "step {name}");
            let env = match step["env"].as_hash() {
                Some(env) => env
                    .iter()
                    .map(|(k, v)| (string(k, "an env name").to_string(), string(v, "an env value").to_string()))
                    .collect(),
                None => Vec::new(),
            };
            Step {
                condition: step["if"].as_str().map(str::to_string),
                run: string(&step["run"], "a step's run").trim().to_string(),
                env,
                name,
            }
        })
        .collect()
}

fn is_install(step: &Step) -> bool {
    step.run.starts_with("cargo install")
}

/// The action's inputs: their defaults, with `overrides` (which must name declared inputs).
fn inputs_with(action: &Yaml, overrides: &[(&str, &str)]) -> BTreeMap<String, String> {
    let declared = action["inputs"].as_hash().expect("inputs is a map");
    let mut inputs: BTreeMap<String, String> = declared
        .iter()
        .map(|(k, v)| (string(k, "an input name").to_string(), v["default"].as_str().unwrap_or("").to_string()))
        .collect();
    for (name, value) in overrides {
        assert!(inputs.contains_key(*name), "the action has no input {name}");
        inputs.insert(name.to_string(), value.to_string());
    }
    inputs
}

/// The value of an expression the action uses: `inputs.NAME` only.
fn evaluate(expression: &str, inputs: &BTreeMap<String, String>) -> String {
    let name =
        expression.trim().strip_prefix("inputs.").unwrap_or_else(|| panic!("unexpected expression {expression}"));
    inputs.get(name).unwrap_or_else(|| panic!("no input {name}")).clone()
}

/// Replaces each `${{ … }}` in `text`.
fn substitute(text: &str, inputs: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let end = rest[start..].find("}}").expect("an expression is closed") + start;
        out.push_str(&rest[..start]);
        out.push_str(&evaluate(&rest[start + 3..end], inputs));
        rest = &rest[end + 2..];
    }
    out + rest
}

/// Whether a step's `if` holds; the action uses `inputs.NAME != ''` only.
fn holds(condition: &str, inputs: &BTreeMap<String, String>) -> bool {
    let condition = condition.trim();
    let condition = condition.strip_prefix("${{").and_then(|c| c.strip_suffix("}}")).unwrap_or(condition).trim();
    let (left, right) = condition.split_once("!=").unwrap_or_else(|| panic!("unexpected condition {condition}"));
    assert_eq!(right.trim(), "''", "unexpected condition {condition}");
    !evaluate(left, inputs).is_empty()
}

struct StepRun {
    name: String,
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the action's steps after the installation in `workspace`, with `bin` first on `PATH`, as a composite
/// action runs them: a step whose `if` does not hold is skipped, and the first failing step ends the run.
fn run_action(workspace: &Path, bin: &Path, overrides: &[(&str, &str)], extra_env: &[(&str, &str)]) -> Vec<StepRun> {
    let action = load("action.yml");
    let inputs = inputs_with(&action, overrides);
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut runs = Vec::new();
    for step in action_steps(&action).iter().filter(|s| !is_install(s)) {
        if let Some(condition) = &step.condition
            && !holds(condition, &inputs)
        {
            continue;
        }
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &substitute(&step.run, &inputs)])
            .current_dir(workspace)
            .env("PATH", &path)
            .env("CI", "true")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_ACTION_PATH", root())
            .env("NO_COLOR", "1");
        for (name, value) in &step.env {
            command.env(name, substitute(value, &inputs));
        }
        for (name, value) in extra_env {
            command.env(name, value);
        }
        let out = command.output().expect("bash runs");
        let run = StepRun {
            name: step.name.clone(),
            code: out.status.code().expect("the step exits normally"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        let failed = run.code != 0;
        runs.push(run);
        if failed {
            break;
        }
    }
    runs
}

/// A stand-in `mtlint` that records each invocation's arguments (one per line, one file per invocation, in order)
/// in the folder `$MTLINT_ARGV`, and exits with `$MTLINT_EXIT`.
fn stand_in(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let script = bin.join(binary_name());
    fs::write(
        &script,
        "#!/bin/sh\nn=$(ls \"$MTLINT_ARGV\" | wc -l)\nprintf '%s\\n' \"$@\" > \"$MTLINT_ARGV/$n\"\nexit \"$MTLINT_EXIT\"\n",
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// The arguments of each invocation the stand-in recorded, in order.
fn invocations(log: &Path) -> Vec<Vec<String>> {
    let mut files: Vec<(usize, PathBuf)> = fs::read_dir(log)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_str().unwrap().trim().parse().unwrap(), p))
        .collect();
    files.sort();
    files.iter().map(|(_, p)| fs::read_to_string(p).unwrap().lines().map(str::to_string).collect()).collect()
}

/// Runs the action with the stand-in, which exits with `exit`.
fn run_with_stand_in(overrides: &[(&str, &str)], exit: i32) -> (Vec<StepRun>, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    let bin = stand_in(dir.path());
    let log = dir.path().join("argv");
    fs::create_dir(&log).unwrap();
    let workspace = dir.path().join("workspace");
    fs::create_dir(&workspace).unwrap();
    let exit = exit.to_string();
    let runs = run_action(
        &workspace,
        &bin,
        overrides,
        &[("MTLINT_ARGV", log.to_str().unwrap()), ("MTLINT_EXIT", exit.as_str())],
    );
    (runs, invocations(&log))
}

fn has_pair(args: &[String], flag: &str, value: &str) -> bool {
    args.windows(2).any(|w| w[0] == flag && w[1] == value)
}

fn has_run(args: &[String], run: &[&str]) -> bool {
    args.windows(run.len()).any(|w| w.iter().zip(run).all(|(a, b)| a == b))
}

fn the_invocation_with_format<'a>(all: &'a [Vec<String>], format: &str) -> &'a [String] {
    let found: Vec<_> = all.iter().filter(|args| has_pair(args, "--format", format)).collect();
    assert_eq!(found.len(), 1, "one invocation with --format {format}: {all:?}");
    found[0]
}

#[test]
fn the_action_is_a_composite_action_with_its_inputs_and_their_defaults() {
    let action = load("action.yml");
    assert!(!string(&action["name"], "name").is_empty());
    assert!(!string(&action["description"], "description").is_empty());
    assert_eq!(string(&action["runs"]["using"], "runs.using"), "composite");
    let inputs = inputs_with(&action, &[]);
    let expected: BTreeMap<String, String> = [("paths", "."), ("args", ""), ("fail-on", ""), ("sarif", "")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(inputs, expected);
    for (name, input) in action["inputs"].as_hash().unwrap() {
        assert!(!string(&input["description"], "an input's description").is_empty(), "{name:?}");
    }
    // Every step resolves: its expressions name declared inputs.
    for step in action_steps(&action) {
        substitute(&step.run, &inputs);
        for (_, value) in &step.env {
            substitute(value, &inputs);
        }
    }
}

#[test]
fn the_action_installs_mtlint_from_its_own_checkout() {
    let action = load("action.yml");
    let steps = action_steps(&action);
    let installs: Vec<_> = steps.iter().filter(|s| is_install(s)).collect();
    assert_eq!(installs.len(), 1, "one installation step");
    assert!(std::ptr::eq(installs[0], &steps[0]), "mtlint is installed before anything runs it");
    let words: Vec<&str> = installs[0].run.split_whitespace().collect();
    assert!(words.contains(&"--locked"), "{}", installs[0].run);
    let at = words.iter().position(|w| *w == "--path").expect("installed with --path");
    assert!(
        ["\"$GITHUB_ACTION_PATH\"", "\"${{ github.action_path }}\""].contains(&words[at + 1])
            || installs[0].run.contains("--path \"${{ github.action_path }}\""),
        "installed from the action's own checkout: {}",
        installs[0].run
    );
    // The action's checkout is this repository's root, where `cargo install --path` finds the package.
    assert!(root().join("action.yml").is_file() && root().join("Cargo.toml").is_file());
}

#[test]
fn the_action_passes_its_inputs_to_mtlint_check() {
    let paths = ["docs", "notes.md"];
    let extra = ["--isolated", "--jobs", "1"];
    let overrides = [
        ("paths", "docs notes.md"),
        ("args", "--isolated --jobs 1"),
        ("fail-on", "error"),
        ("sarif", "out/mtlint.sarif"),
    ];
    // Findings (exit 1): the SARIF run does not fail its step; the annotating check fails the action.
    let (runs, all) = run_with_stand_in(&overrides, 1);
    let codes: Vec<i32> = runs.iter().map(|r| r.code).collect();
    assert_eq!(
        codes,
        [0, 1],
        "the SARIF step passes, the check fails: {:?}",
        runs.iter().map(|r| &r.name).collect::<Vec<_>>()
    );
    assert_eq!(all.len(), 2, "{all:?}");
    for args in &all {
        assert_eq!(args[0], "check", "{args:?}");
        assert!(has_run(args, &extra), "the args input is passed: {args:?}");
        assert!(args.ends_with(&paths.map(String::from)), "the paths input ends the arguments: {args:?}");
    }
    let github = the_invocation_with_format(&all, "github");
    assert!(has_pair(github, "--fail-on", "error"), "{github:?}");
    assert!(!github.contains(&"--output".to_string()), "annotations go to standard output: {github:?}");
    let sarif = the_invocation_with_format(&all, "sarif");
    assert!(has_pair(sarif, "--output", "out/mtlint.sarif"), "{sarif:?}");

    // The defaults: no SARIF run; the check covers "." and leaves fail-on to the configuration (warning without one).
    let (runs, all) = run_with_stand_in(&[], 0);
    assert!(runs.iter().all(|r| r.code == 0));
    assert_eq!(all.len(), 1, "no SARIF run without the sarif input: {all:?}");
    let github = the_invocation_with_format(&all, "github");
    assert!(!github.contains(&"--fail-on".to_string()) && github.ends_with(&[".".to_string()]), "{github:?}");

    // Trouble (exit 2: bad usage, unreadable input, invalid rules) fails the SARIF step too.
    let (runs, _) = run_with_stand_in(&[("sarif", "mtlint.sarif")], 2);
    assert_eq!(runs.len(), 1, "the run stops at the failing SARIF step");
    assert_eq!(runs[0].code, 2);
}

#[test]
fn the_action_annotates_findings_with_the_real_binary() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(ws, "docs/release.md", GLUED);
    write(ws, "notes/clean.txt", CLEAN);
    write(ws, "notes/info.txt", INFO_ONLY);
    let bin = binary().parent().unwrap();

    let runs = run_action(ws, bin, &[("paths", "docs notes")], &[]);
    let last = runs.last().unwrap();
    assert_eq!(last.code, 1, "an error fails the step: {}", last.stderr);
    let errors: Vec<&str> = last.stdout.lines().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(errors.len(), 1, "{}", last.stdout);
    assert!(errors[0].starts_with("::error file=docs/release.md,line=1,col=9,"), "{}", errors[0]);
    assert!(errors[0].contains(&format!("title=mtlint {GLUED_RULE}::")), "{}", errors[0]);
    assert!(last.stdout.contains("::notice file=notes/info.txt,line=1,"), "info findings are notices: {}", last.stdout);

    // fail-on: info findings fail only with `info`; nothing fails a clean file.
    let codes = |overrides: &[(&str, &str)]| run_action(ws, bin, overrides, &[]).last().unwrap().code;
    assert_eq!(codes(&[("paths", "notes/info.txt")]), 0);
    assert_eq!(codes(&[("paths", "notes/info.txt"), ("fail-on", "info")]), 1);
    assert_eq!(codes(&[("paths", "docs"), ("fail-on", "error")]), 1);
    assert_eq!(codes(&[("paths", "notes/clean.txt"), ("fail-on", "info")]), 0);
    // Without the input, the repository's configuration decides; the input overrides it.
    write(ws, "mtlint.toml", "fail-on = \"info\"\n");
    assert_eq!(codes(&[("paths", "notes/info.txt")]), 1, "the configuration's fail-on applies");
    assert_eq!(codes(&[("paths", "notes/info.txt"), ("fail-on", "error")]), 0, "the input wins over the file");
    fs::remove_file(ws.join("mtlint.toml")).unwrap();
    // args reach mtlint: without rules there is nothing to find.
    let runs = run_action(ws, bin, &[("paths", "docs"), ("args", "--no-default-rules")], &[]);
    assert_eq!(runs.last().unwrap().code, 0);
    assert!(!runs.last().unwrap().stdout.contains("::"), "{}", runs.last().unwrap().stdout);
    // A usage error in args fails the step with 2.
    let runs = run_action(ws, bin, &[("paths", "docs"), ("args", "--no-such-flag")], &[]);
    assert_eq!(runs.last().unwrap().code, 2);
}

#[test]
fn annotations_from_the_default_paths_name_files_from_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "docs/release.md", GLUED);
    let runs = run_action(dir.path(), binary().parent().unwrap(), &[], &[]);
    let last = runs.last().unwrap();
    assert_eq!(last.code, 1);
    assert!(last.stdout.starts_with("::error file=docs/release.md,"), "{}", last.stdout);
}

#[test]
fn the_action_writes_a_sarif_report_and_still_fails_on_findings() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "docs/release.md", GLUED);
    let runs = run_action(
        dir.path(),
        binary().parent().unwrap(),
        &[("paths", "docs"), ("sarif", "reports/mtlint.sarif")],
        &[],
    );
    let codes: Vec<i32> = runs.iter().map(|r| r.code).collect();
    assert_eq!(codes, [0, 1], "{:?}", runs.iter().map(|r| &r.stderr).collect::<Vec<_>>());
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("reports/mtlint.sarif")).unwrap()).unwrap();
    assert_eq!(report["version"], "2.1.0");
    let results = report["runs"][0]["results"].as_array().expect("SARIF results");
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], GLUED_RULE);
}

// ---------------------------------------------------------------------------------------------------------------
// The pre-commit hooks

fn hooks() -> BTreeMap<String, Yaml> {
    let list = load(".pre-commit-hooks.yaml");
    list.as_vec()
        .expect("the hooks file is a list")
        .iter()
        .map(|hook| (string(&hook["id"], "a hook's id").to_string(), hook.clone()))
        .collect()
}

/// Runs a hook as pre-commit does: its entry split into words (pre-commit uses shell-like splitting; the entries
/// have no quotes, so words are what it gets), then `args`, then the file names, in `dir`.
fn run_hook(id: &str, args: &[&str], files: &[&str], dir: &Path) -> (i32, String) {
    let hooks = hooks();
    let entry = string(&hooks[id]["entry"], "a hook's entry");
    assert!(!entry.contains(['"', '\'', '\\']), "no quoting in {entry}");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some(binary_name()), "the entry runs the installed binary");
    let out = Command::new(binary())
        .args(words)
        .args(args)
        .args(files)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("mtlint runs");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.code().expect("mtlint exits normally"), text)
}

#[test]
fn the_hooks_are_declared_for_pre_commit() {
    let hooks = hooks();
    assert_eq!(hooks.keys().collect::<Vec<_>>(), ["mtlint", "mtlint-fix"]);
    for (id, hook) in &hooks {
        assert!(!string(&hook["name"], "a hook's name").is_empty(), "{id}");
        // pre-commit builds a `rust` hook with `cargo install --path` on the repository: the package is at its root.
        assert_eq!(string(&hook["language"], "language"), "rust", "{id}");
        let types: Vec<&str> =
            hook["types_or"].as_vec().expect("types_or is a list").iter().map(|t| string(t, "a file type")).collect();
        assert_eq!(types, ["text", "markdown", "html"], "{id}");
        assert_eq!(hook["require_serial"].as_bool(), Some(false), "{id}");
    }
    assert!(root().join("Cargo.toml").is_file());
    assert!(string(&hooks["mtlint"]["entry"], "entry").split_whitespace().eq([binary_name(), "check"]));
    assert!(string(&hooks["mtlint-fix"]["entry"], "entry").split_whitespace().eq([binary_name(), "fix"]));
}

#[test]
fn the_check_hook_fails_on_an_artifact_and_passes_clean_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "glued.txt", GLUED);
    write(dir.path(), "clean.md", CLEAN);

    let (code, out) = run_hook("mtlint", &[], &["glued.txt", "clean.md"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("glued.txt:1:9") && out.contains(GLUED_RULE), "{out}");
    assert!(!out.contains("clean.md:"), "{out}");
    // Hook arguments go between the entry and the files.
    let (code, out) = run_hook("mtlint", &["--format", "github"], &["glued.txt"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("::error file=glued.txt,line=1,col=9,"), "{out}");
    assert_eq!(fs::read_to_string(dir.path().join("glued.txt")).unwrap(), GLUED, "checking changes nothing");

    let (code, out) = run_hook("mtlint", &[], &["clean.md"], dir.path());
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_fix_hook_corrects_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "glued.txt", GLUED);
    write(dir.path(), "clean.md", CLEAN);

    let (code, out) = run_hook("mtlint-fix", &[], &["glued.txt", "clean.md"], dir.path());
    assert_eq!(code, 0, "nothing is left to report: {out}");
    assert_eq!(fs::read_to_string(dir.path().join("glued.txt")).unwrap(), FIXED);
    assert_eq!(fs::read_to_string(dir.path().join("clean.md")).unwrap(), CLEAN);
    // A second run changes nothing, and the check hook then passes.
    let (code, out) = run_hook("mtlint-fix", &[], &["glued.txt"], dir.path());
    assert_eq!(code, 0, "{out}");
    assert_eq!(fs::read_to_string(dir.path().join("glued.txt")).unwrap(), FIXED);
    assert_eq!(run_hook("mtlint", &[], &["glued.txt"], dir.path()).0, 0);
}
