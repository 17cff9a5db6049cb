// Runs one set of mocha suite files inside a code-server extension host and reads the
// results from the host's log: the spec report, screenshot requests and the result line.
import { findSecret } from './leak-scan.mjs';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatSeconds } from './exec.mjs';
import { startSession } from './session.mjs';
import { isShuttingDown } from './shutdown.mjs';

export const RESULT_MARKER = /\[\[prodcamp-result:(\{.*?\})\]\]/;
export const SCREENSHOT_MARKER = /\[\[prodcamp-screenshot:([A-Za-z0-9][A-Za-z0-9._-]*)\]\]/;

// Workbench log lines unrelated to the tests. They are left out of the terminal output but
// still written to browser.log.
const WORKBENCH_NOISE = [
  /^Resolving connection token/,
  /^Resolved connection token/,
  /^Creating a socket/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /^Could not identify extension for 'vscode' require call/,
];

// Gives the workbench time to paint what the test just changed before the picture is taken.
const SCREENSHOT_SETTLE_MS = 300;

/**
 * Takes a screenshot of the whole page into `${folder}/${name}.png`. It writes a temporary
 * file first and renames it, so a test polling for the file never reads a partial image.
 */
export async function takeScreenshot(page, folder, name) {
  mkdirSync(folder, { recursive: true });
  const target = join(folder, `${name}.png`);
  const partial = join(folder, `.${name}.partial.png`);
  await page.waitForTimeout(SCREENSHOT_SETTLE_MS);
  await page.screenshot({ path: partial });
  renameSync(partial, target);
  return target;
}

/** Counts the spec reporter's pass and failure lines, for a run that ends before its result line. */
function createLiveCounter() {
  let passed = 0;
  let failed = 0;
  let summaryStarted = false;
  return {
    add(text) {
      for (const line of text.split('\n')) {
        if (/^\s+\d+ passing/.test(line)) summaryStarted = true;
        if (summaryStarted) continue;
        if (/^\s+✔ /.test(line)) passed += 1;
        else if (/^\s+\d+\) /.test(line)) failed += 1;
      }
    },
    get counts() {
      return { passed, failed };
    },
  };
}

/**
 * Runs `testFiles` (absolute paths of compiled suite files) in a fresh code-server session.
 *
 * Options: `label`, `testFiles`, `testsEntry` (compiled test/integration/index.js),
 * `extensionDevelopmentPath`, `env`, `userSettings`, `extensionsDir`, `timeoutMs`,
 * `screenshotDir`, `repoRoot` (for printing relative paths), `printHeader` (default true), and
 * `beforeScreenshot(name, page)`, an optional hook that may check the page and returns
 * `{ passed, failed }` to add to the counts.
 *
 * Returns `{ label, passed, failed, pending, problems, runFolder, seconds }`. A host crash,
 * page crash, time limit or a missing result line adds one failure and a line to `problems`.
 * `onFailure(runFolder)` may save more evidence before the session stops; the run folder
 * is kept when anything failed.
 */
export async function runHostSuite(options) {
  const { label, testFiles, timeoutMs, screenshotDir, repoRoot, beforeScreenshot } = options;
  const started = Date.now();
  const problems = [];
  const live = createLiveCounter();
  const extraCounts = { passed: 0, failed: 0 };
  let reported;
  let session;
  // Tests may log a screenshot request before startSession has returned the page.
  let resolveSessionReady;
  const sessionReady = new Promise((resolve) => (resolveSessionReady = resolve));
  let screenshotQueue = Promise.resolve();

  function handleScreenshotRequest(name) {
    screenshotQueue = screenshotQueue.then(async () => {
      await sessionReady;
      try {
        if (beforeScreenshot) {
          const counts = await beforeScreenshot(name, session.page);
          extraCounts.passed += counts?.passed ?? 0;
          extraCounts.failed += counts?.failed ?? 0;
        }
        const file = await takeScreenshot(session.page, screenshotDir, name);
        console.log(`      [screenshot] ${relative(repoRoot, file)}`);
      } catch (error) {
        problems.push(`screenshot ${name} failed: ${error.message}`);
        console.log(`      [screenshot] ${name} failed: ${error.message}`);
      }
    });
  }

  function handleLog(type, text) {
    const result = RESULT_MARKER.exec(text);
    if (result) {
      try {
        reported = JSON.parse(result[1]);
      } catch {
        problems.push(`unreadable result line: ${text}`);
      }
      return;
    }
    const screenshot = SCREENSHOT_MARKER.exec(text);
    if (screenshot) {
      handleScreenshotRequest(screenshot[1]);
      return;
    }
    if (WORKBENCH_NOISE.some((pattern) => pattern.test(text))) return;
    // code-server runs at trace level for the key search; its own trace and debug lines stay in
    // browser.log and out of the test report.
    if (type === 'trace' || type === 'debug') return;
    live.add(text);
    console.log(type === 'error' || type === 'warn' ? `[${type}] ${text}` : text);
  }

  if (options.printHeader !== false) console.log(`\n=== ${label}`);
  try {
    session = await startSession({
      env: {
        PRODCAMP_TEST_FILES: testFiles.join(','),
        PRODCAMP_SCREENSHOT_DIR: screenshotDir,
        ...options.env,
      },
      userSettings: options.userSettings,
      extensionsDir: options.extensionsDir,
      extensionDevelopmentPath: options.extensionDevelopmentPath,
      extensionTestsPath: options.testsEntry,
      onLog: handleLog,
    });
    resolveSessionReady();
  } catch (error) {
    const problem = `the session did not start: ${error.message}`;
    console.log(`--- ${label}: 0 passed, 1 failed\n    problem: ${problem}`);
    const seconds = (Date.now() - started) / 1000;
    return { label, passed: 0, failed: 1, pending: 0, problems: [problem], seconds };
  }

  const exit = await session.waitForExit(timeoutMs);
  // After Ctrl+C the signal handler stops the session and exits the process. Reporting the
  // closed browser as a test failure in the meantime would mislead, so this waits for the exit.
  if (isShuttingDown()) await new Promise(() => {});
  await screenshotQueue;
  let passed;
  let failed;
  let pending = 0;
  if (reported) {
    ({ passed, failed, pending } = reported);
    if (exit.code === null) {
      problems.push(`${exit.reason} after the tests reported their result`);
      failed += 1;
    } else if (exit.code !== 0 && failed === 0) {
      problems.push(`${exit.reason}, but the tests reported no failure`);
      failed += 1;
    }
  } else {
    ({ passed, failed } = live.counts);
    problems.push(`${exit.reason} before the tests reported a result`);
    failed += 1;
  }
  passed += extraCounts.passed;
  failed += extraCounts.failed;
  if (passed + failed + pending === 0 && !options.env?.PRODCAMP_TEST_GREP) {
    problems.push('no test ran');
    failed += 1;
  }

  if (failed > 0) await options.onFailure?.(session.folders.root);
  await session.stop({ removeRunFolder: false });
  if (options.secret) {
    // Scanned after the session stopped, so its logs and storage are complete on disk.
    const { leaks, excused } = findSecret(session.folders.root, options.secret);
    for (const [reason, count] of excused) {
      console.log(`    note: the API key is in ${count} log lines of ${reason}`);
    }
    if (leaks.length > 0) {
      problems.push(`the API key was found in ${leaks.join(', ')}`);
      failed += 1;
    } else {
      passed += 1;
      console.log('    ✔ [host] no file of the session contains the API key');
    }
  }
  if (failed === 0) rmSync(session.folders.root, { recursive: true, force: true });
  const elapsedMs = Date.now() - started;
  const counts = `${passed} passed, ${failed} failed, ${pending} pending`;
  console.log(`--- ${label}: ${counts} (${formatSeconds(elapsedMs)})`);
  for (const problem of problems) console.log(`    problem: ${problem}`);
  const ok = failed === 0;
  if (!ok) {
    writeFileSync(join(session.folders.root, 'problems.txt'), `${problems.join('\n')}\n`);
    console.log(`    logs kept in ${session.folders.root} (code-server.log, browser.log)`);
  }
  return {
    label,
    passed,
    failed,
    pending,
    problems,
    runFolder: ok ? undefined : session.folders.root,
    seconds: elapsedMs / 1000,
  };
}
