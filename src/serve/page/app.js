// mtlint serve's page: check a text through /api/check, show each finding in place, accept or reject suggestions,
// download the corrected text. Plain JavaScript, no build step; user text is only ever set as textContent.
"use strict";

/** How many rounds "Accept all safe" runs (a fix can reveal another, as `mtlint fix` checks again). */
const MAX_ROUNDS = 8;

const state = {
  text: "",
  source: "",
  fileName: "corrected.txt",
  findings: [],
  /** Findings the user rejected, by rule, flagged text and the text just before it. */
  rejected: new Set(),
  selected: -1,
  score: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("aria-") || key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

function status(message) {
  $("status").textContent = message;
}

/** UTF-8 byte offsets into `text` → indices into the JavaScript string (UTF-16 code units), in one walk. */
function byteToIndex(text, offsets) {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const found = new Map();
  let bytes = 0;
  let index = 0;
  let next = 0;
  for (const ch of text) {
    while (next < wanted.length && wanted[next] <= bytes) found.set(wanted[next++], index);
    if (next === wanted.length) break;
    const cp = ch.codePointAt(0);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    index += ch.length;
  }
  while (next < wanted.length) found.set(wanted[next++], index);
  return (offset) => found.get(offset);
}

function key(f) {
  return `${f.rule}\u0000${f.matched}\u0000${state.text.slice(Math.max(0, f.start - 30), f.start)}`;
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
  if (!response.ok) throw new Error(answer.error || `the server answered ${response.status}`);
  return answer;
}

/** Checks the current text; findings get `start`/`end` as string indices. */
async function check() {
  const body = { text: state.text };
  if (state.source.trim() !== "") body.source = state.source;
  const answer = await post("/api/check", body);
  const index = byteToIndex(
    state.text,
    answer.findings.flatMap((f) => [f.byte_start, f.byte_end]),
  );
  state.findings = answer.findings
    .map((f) => ({ ...f, start: index(f.byte_start), end: index(f.byte_end) }))
    .filter((f) => !state.rejected.has(key(f)));
  state.score = answer.score;
  state.selected = -1;
}

function suggestionOf(f) {
  return f.suggestions.length > 0 ? f.suggestions[0] : null;
}

/** The findings shown in the text: in order, none overlapping an earlier one. */
function shownInText() {
  const shown = [];
  let end = 0;
  state.findings
    .map((f, i) => [f, i])
    .sort((a, b) => a[0].start - b[0].start || a[0].end - b[0].end)
    .forEach(([f, i]) => {
      if (f.start >= end) {
        shown.push([f, i]);
        end = f.end;
      }
    });
  return shown;
}

function render() {
  const doc = $("document");
  doc.replaceChildren();
  let at = 0;
  for (const [f, i] of shownInText()) {
    doc.append(state.text.slice(at, f.start));
    const mark = el("button", {
      type: "button",
      class: `finding ${f.severity}${i === state.selected ? " selected" : ""}`,
      text: state.text.slice(f.start, f.end),
      "aria-label": `${f.severity}: ${f.message}`,
      "data-index": String(i),
    });
    mark.addEventListener("click", () => select(i));
    doc.append(mark);
    at = f.end;
  }
  doc.append(state.text.slice(at));

  const list = $("findings");
  list.replaceChildren();
  state.findings.forEach((f, i) => {
    const item = el("button", { type: "button", "data-index": String(i) }, [
      el("span", { class: "where", text: `${f.line}:${f.column}` }),
      el("span", { class: `badge ${f.severity}`, text: f.severity }),
      f.message,
    ]);
    item.addEventListener("click", () => select(i));
    list.append(el("li", {}, [item]));
  });
  if (state.findings.length === 0) list.append(el("li", { text: "No findings." }));

  const s = state.score;
  const safe = state.findings.filter((f) => f.fixable).length;
  $("score").replaceChildren(
    "Quality score: ",
    el("strong", { text: `${s.per_thousand_words}` }),
    ` penalty points per 1,000 words (${s.words} words) · ${state.findings.length} findings, ${safe} with a safe fix`,
  );
  $("score").setAttribute("data-score", String(s.per_thousand_words));
  $("accept-safe").disabled = safe === 0;
  renderDetail();
}

/** The selected finding: message, the suggestion as a diff, accept and reject. */
function renderDetail() {
  const detail = $("detail");
  const f = state.findings[state.selected];
  if (!f) {
    detail.replaceChildren(
      el("p", {
        class: "hint",
        text: "Select a highlighted finding (click it, or Tab to it and press Enter) to see its suggestion.",
      }),
    );
    return;
  }
  const lineStart = state.text.lastIndexOf("\n", f.start - 1) + 1;
  const lineEndAt = state.text.indexOf("\n", f.end);
  const lineEnd = lineEndAt === -1 ? state.text.length : lineEndAt;
  const before = state.text.slice(Math.max(lineStart, f.start - 60), f.start);
  const after = state.text.slice(f.end, Math.min(lineEnd, f.end + 60));
  const choice = el("div", { class: "choices" });
  const diff = el("p", { class: "diff", "aria-label": "The suggestion as a change" });
  let chosen = suggestionOf(f);
  const drawDiff = () => {
    const parts = [before.length < f.start - lineStart ? "…" + before : before];
    parts.push(el("del", { text: state.text.slice(f.start, f.end) }));
    if (chosen !== null) parts.push(el("ins", { text: chosen }));
    parts.push(after.length < lineEnd - f.end ? after + "…" : after);
    diff.replaceChildren(...parts);
  };
  if (f.suggestions.length > 1) {
    f.suggestions.forEach((s, n) => {
      const radio = el("input", { type: "radio", name: "suggestion", value: s, checked: n === 0 });
      radio.addEventListener("change", () => {
        chosen = s;
        drawDiff();
      });
      choice.append(el("label", {}, [radio, " ", s]));
    });
  }
  drawDiff();
  const accept = el("button", {
    type: "button",
    class: "primary",
    id: "accept",
    text: chosen === null ? "No suggestion" : "Accept",
    disabled: chosen === null,
  });
  accept.addEventListener("click", () => act(() => acceptFinding(f, chosen)));
  const reject = el("button", { type: "button", id: "reject", text: "Reject" });
  reject.addEventListener("click", () => rejectFinding(f));
  detail.replaceChildren(
    el("p", {}, [
      el("span", { class: `badge ${f.severity}`, text: f.severity }),
      f.fixable ? el("span", { class: "badge safe", text: "safe fix" }) : "",
      el("span", { class: "rule", text: `${f.rule} · ${f.category}` }),
    ]),
    el("p", { text: f.message }),
    f.suggestions.length > 0 ? diff : el("p", { class: "hint", text: "The rule offers no replacement; edit the text." }),
    choice,
    el("div", { class: "actions" }, [accept, reject]),
  );
}

function select(i) {
  state.selected = i;
  render();
  const accept = $("accept");
  if (accept && !accept.disabled) accept.focus();
  else $("reject")?.focus();
}

/** After the text changed, focus the finding now at or after `offset`, so the keyboard flow goes on. */
function focusNext(offset) {
  const next = shownInText().find(([f]) => f.start >= offset) || shownInText()[0];
  const button = next && document.querySelector(`#document .finding[data-index="${next[1]}"]`);
  if (button) button.focus();
  else $("edit").focus();
}

async function acceptFinding(f, replacement) {
  state.text = state.text.slice(0, f.start) + replacement + state.text.slice(f.end);
  await check();
  render();
  status(`Accepted: “${f.matched}” → “${replacement}”.`);
  focusNext(f.start + replacement.length);
}

function rejectFinding(f) {
  state.rejected.add(key(f));
  state.findings = state.findings.filter((g) => g !== f);
  state.selected = -1;
  render();
  status(`Rejected: “${f.matched}”.`);
  focusNext(f.end);
}

/** Applies every safe suggestion not rejected, checking again after each round, as `mtlint fix` does. */
async function acceptAllSafe() {
  let applied = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const chosen = [];
    let end = 0;
    const safe = state.findings
      .filter((f) => f.fixable && suggestionOf(f) !== null && suggestionOf(f) !== f.matched)
      .sort((a, b) => a.start - b.start || a.end - b.end);
    for (const f of safe) {
      if (f.start >= end) {
        chosen.push(f);
        end = f.end;
      }
    }
    if (chosen.length === 0) break;
    for (const f of chosen.reverse()) {
      state.text = state.text.slice(0, f.start) + suggestionOf(f) + state.text.slice(f.end);
    }
    applied += chosen.length;
    await check();
  }
  render();
  status(`Accepted ${applied} safe suggestion${applied === 1 ? "" : "s"}.`);
}

function download() {
  const blob = new Blob([state.text], { type: "text/plain;charset=utf-8" });
  const link = el("a", { href: URL.createObjectURL(blob), download: state.fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

/** Runs an action, reporting a failure (the server's error message) in the status line. */
async function act(action) {
  try {
    await action();
  } catch (e) {
    status(`Error: ${e.message}`);
  }
}

async function start() {
  state.text = $("target").value;
  state.source = $("bilingual").checked ? $("source").value : "";
  state.rejected.clear();
  if (state.text.trim() === "") {
    status("Paste a text or open a file first.");
    $("target").focus();
    return;
  }
  status("Checking…");
  await check();
  $("input").hidden = true;
  $("review").hidden = false;
  render();
  status(`${state.findings.length} findings.`);
  const first = document.querySelector("#document .finding");
  (first || $("edit")).focus();
}

document.addEventListener("DOMContentLoaded", () => {
  $("check").addEventListener("click", () => act(start));
  $("accept-safe").addEventListener("click", () => act(acceptAllSafe));
  $("download").addEventListener("click", download);
  $("edit").addEventListener("click", () => {
    $("target").value = state.text;
    $("review").hidden = true;
    $("input").hidden = false;
    $("target").focus();
  });
  $("bilingual").addEventListener("change", () => {
    $("source-field").hidden = !$("bilingual").checked;
  });
  $("file").addEventListener("change", async () => {
    const file = $("file").files[0];
    if (!file) return;
    $("target").value = await file.text();
    state.fileName = file.name.replace(/(\.[^.]*)?$/, ".corrected$1");
    status(`Opened ${file.name}.`);
  });
});
