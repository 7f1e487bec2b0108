// Drives `mtlint serve`'s page in Debian's Chromium with playwright-core, as a person would: paste the seed press
// release, check it, accept two suggestions (one by mouse, one by keyboard), compare the page's text and the
// downloaded file with the text worked out by hand, try "Accept all safe", and keep a screenshot.
//
// Usage: node tests/web/page.test.mjs URL [ARTIFACT_DIR]   (run by tests/serve_page.rs)
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [url, artifacts = "target/serve-artifacts"] = process.argv.slice(2);
if (!url) {
  console.error("usage: node page.test.mjs URL [ARTIFACT_DIR]");
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const seed = readFileSync(join(root, "seeds/miit-ai-press-release.en.txt"), "utf8");
const fixedSeed = readFileSync(join(root, "seeds/miit-ai-press-release.en.fixed.txt"), "utf8");

// The text after the two accepted suggestions, derived by hand: each flagged phrase occurs once in the seed, and
// only it changes.
function replaceOnce(text, from, to) {
  assert.equal(text.split(from).length, 2, `"${from}" occurs exactly once`);
  return text.replace(from, to);
}
const afterTwo = replaceOnce(
  replaceOnce(seed, "According to the China News Agency,", "According to the China News Service,"),
  "release dataValue, strengthen",
  "release data value, strengthen",
);

const profile = mkdtempSync(join(tmpdir(), "mtlint-chromium-"));
mkdirSync(artifacts, { recursive: true });
// A fresh profile (Playwright takes it as launchPersistentContext's user data dir, i.e. --user-data-dir).
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1280, height: 900 },
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const failures = [];
try {
  const page = context.pages()[0] || (await context.newPage());
  // Everything the page loads comes from the server itself.
  const origin = new URL(url).origin;
  const foreign = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) foreign.push(r.url());
  });
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));

  await page.goto(url);
  await page.getByLabel("English text to check").fill(seed);
  await page.getByRole("button", { name: "Check" }).click();
  const findings = page.locator("#document .finding");
  await findings.first().waitFor();
  const before = await findings.count();
  assert.ok(before >= 12, `the seed's findings are highlighted (${before})`);
  assert.match(await page.locator("#score").textContent(), /penalty points per 1,000 words/);
  const scoreBefore = Number(await page.locator("#score").getAttribute("data-score"));

  // 1. By mouse: click the finding, read its diff, accept.
  await findings.filter({ hasText: "China News Agency" }).click();
  const detail = page.locator("#detail");
  assert.equal(await detail.locator(".diff del").textContent(), "China News Agency");
  assert.equal(await detail.locator(".diff ins").textContent(), "China News Service");
  await detail.getByRole("button", { name: "Accept" }).click();
  await page.locator("#status").filter({ hasText: "Accepted" }).waitFor();
  assert.equal(await findings.filter({ hasText: "China News Agency" }).count(), 0);

  // 2. By keyboard: focus the finding, Enter opens it, Enter on the focused Accept button accepts.
  await findings.filter({ hasText: "dataValue" }).focus();
  await page.keyboard.press("Enter");
  assert.equal(await detail.locator(".diff ins").textContent(), "data value");
  assert.equal(await page.evaluate(() => document.activeElement.id), "accept", "Accept has the focus");
  await page.keyboard.press("Enter");
  await page.locator("#status").filter({ hasText: "dataValue" }).waitFor();

  // A rejected finding disappears and stays away.
  await findings.filter({ hasText: "intellectuals" }).click();
  await detail.getByRole("button", { name: "Reject" }).click();
  assert.equal(await findings.filter({ hasText: "intellectuals" }).count(), 0);
  assert.equal(await findings.count(), before - 3);

  const shown = await page.locator("#document").textContent();
  assert.equal(shown, afterTwo, "the page shows the text with exactly the two accepted suggestions");
  const scoreAfter = Number(await page.locator("#score").getAttribute("data-score"));
  assert.ok(scoreAfter < scoreBefore, `the score improves (${scoreBefore} → ${scoreAfter})`);

  // The screenshot shows a finding opened: its message and its suggestion as a diff.
  await findings.filter({ hasText: "National New Office" }).first().click();
  assert.equal(await detail.locator(".diff ins").textContent(), "State Council Information Office");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator("#document").evaluate((d) => (d.scrollTop = 0));
  await page.screenshot({ path: join(artifacts, "page.png"), fullPage: false });

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download corrected text" }).click(),
  ]);
  const saved = join(artifacts, "downloaded.txt");
  await download.saveAs(saved);
  assert.equal(readFileSync(saved, "utf8"), afterTwo, "the downloaded file is the corrected text");

  // "Accept all safe" from the start: the same text as `mtlint fix` (seeds/*.fixed.txt, written by hand).
  await page.getByRole("button", { name: "Edit the text" }).click();
  await page.getByLabel("English text to check").fill(seed);
  await page.getByRole("button", { name: "Check" }).click();
  await findings.first().waitFor();
  await page.getByRole("button", { name: "Accept all safe" }).click();
  await page.locator("#status").filter({ hasText: "safe suggestion" }).waitFor();
  assert.equal(await page.locator("#document").textContent(), fixedSeed, "accept all safe = mtlint fix");
  assert.ok(await page.getByRole("button", { name: "Accept all safe" }).isDisabled(), "nothing safe is left");

  // A bilingual pair: the source's figure disagrees with the translation's.
  await page.getByRole("button", { name: "Edit the text" }).click();
  await page.getByLabel("Bilingual pair").check();
  await page.getByRole("textbox", { name: /^Source text/ }).fill("10月出口增长5%。");
  await page.getByLabel("English text to check").fill("Exports rose by 6 percent in October.");
  await page.getByRole("button", { name: "Check" }).click();
  await findings.first().waitFor();
  await findings.filter({ hasText: /^6$/ }).click();
  assert.match(await detail.textContent(), /source has 5, target has 6/);
  assert.equal(await detail.locator(".diff ins").textContent(), "5");
  await detail.getByRole("button", { name: "Accept" }).click();
  await page.locator("#status").filter({ hasText: "Accepted" }).waitFor();
  assert.equal(await page.locator("#document").textContent(), "Exports rose by 5 percent in October.");
  assert.equal(await findings.count(), 0, "the figures agree now");

  // Opening a file: its text is checked, and the download keeps its name.
  await page.getByRole("button", { name: "Edit the text" }).click();
  await page.getByLabel("Bilingual pair").uncheck();
  const opened = "Officials of the National New Office spoke.\n";
  await page.getByLabel("Open a file…", { exact: true }).setInputFiles({ name: "release.txt", mimeType: "text/plain", buffer: Buffer.from(opened) });
  await page.locator("#status").filter({ hasText: "Opened release.txt" }).waitFor();
  await page.getByRole("button", { name: "Check" }).click();
  await findings.first().waitFor();
  assert.equal(await findings.count(), 1);
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download corrected text" }).click(),
  ]);
  assert.equal(file.suggestedFilename(), "release.corrected.txt");
  await file.saveAs(join(artifacts, "opened.txt"));
  assert.equal(readFileSync(join(artifacts, "opened.txt"), "utf8"), opened, "nothing accepted, nothing changed");

  assert.deepEqual(foreign, [], "no request leaves the server");
  assert.deepEqual(consoleErrors, [], "no error in the console");
} catch (e) {
  failures.push(e);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(failures.map((e) => e.stack || String(e)).join("\n"));
  process.exit(1);
}
console.log("page test: all checks passed");
