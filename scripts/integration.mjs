// Runs the integration suites inside a real VS Code extension host (code-server, driven by
// headless Chromium), then checks the packaged .vsix the same way.
//
// Usage: node scripts/integration.mjs [--grep PATTERN] [--no-vsix] [FILE_FILTER...]
//   FILE_FILTER   run only suite files whose path contains this text (for example "activation")
//   --grep        run only tests whose full title matches PATTERN (a regular expression)
//   --no-vsix     skip the packaged .vsix check; a run with a filter or --grep skips it too
//
// Environment: PRODCAMP_SUITE_TIMEOUT_MS sets the time limit of each suite file
// (default 300000), PRODCAMP_TEST_TIMEOUT_MS the mocha timeout of each test (default 20000).
//
// Each suite file gets its own emulator and its own code-server session. The last line of
// output is always "N passed, N failed" over all suites and the .vsix check.
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSeconds, isProcessAlive, runCommand } from './host/exec.mjs';
import { installHost } from './host/install.mjs';
import { registerCleanup, runAllCleanups } from './host/shutdown.mjs';
import { runHostSuite } from './host/suite.mjs';
import { selectSuiteFiles, sourcePathOf } from './host/suite-files.mjs';
import { runVsixCheck } from './host/vsix-check.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Suites load from a copy of out/ made right after the build, because another run's
// `node esbuild.mjs --tests` deletes and rewrites out/ while this run may still need it.
// The copy stays inside the repository so that `require('mocha')` finds node_modules.
const snapshotsFolder = join(repoRoot, '.vscode-test', 'runs');
const snapshotRoot = join(snapshotsFolder, String(process.pid));
const compiledRoot = join(snapshotRoot, 'out');
const testsEntry = join(compiledRoot, 'test', 'integration', 'index.js');
const screenshotDir = join(repoRoot, 'screenshots');
const DEFAULT_SUITE_TIMEOUT_MS = 5 * 60 * 1000;

/** Results of the suites run so far, also counted when the run stops on an error. */
const results = [];

function printUsage() {
  console.log('Usage: node scripts/integration.mjs [--grep PATTERN] [--no-vsix] [FILE_FILTER...]');
}

function parseArguments(argv) {
  const options = { grep: undefined, vsix: true, fileFilters: [] };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--grep' || argument === '-g') {
      options.grep = argv[++index];
      if (options.grep === undefined) throw new Error('--grep needs a PATTERN.');
    } else if (argument.startsWith('--grep=')) {
      options.grep = argument.slice('--grep='.length);
    } else if (argument === '--no-vsix') {
      options.vsix = false;
    } else if (argument === '--help' || argument === '-h') {
      printUsage();
      process.exit(0);
    } else if (argument.startsWith('-')) {
      throw new Error(`Unknown option ${argument}.`);
    } else {
      options.fileFilters.push(argument);
    }
  }
  if (options.grep !== undefined) new RegExp(options.grep); // Fails early on an invalid pattern.
  return options;
}

function readSuiteTimeout() {
  const raw = process.env.PRODCAMP_SUITE_TIMEOUT_MS;
  if (!raw) return DEFAULT_SUITE_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(
      `PRODCAMP_SUITE_TIMEOUT_MS is invalid: expected a positive number of milliseconds, got "${raw}".`,
    );
  }
  return value;
}

async function timed(title, action) {
  const started = Date.now();
  console.log(`\n> ${title}`);
  const result = await action();
  console.log(`  (${formatSeconds(Date.now() - started)})`);
  return result;
}

/** Removes the out/ copies of earlier runs whose process no longer exists (killed runs leave them). */
function removeStaleSnapshots() {
  if (!existsSync(snapshotsFolder)) return;
  for (const name of readdirSync(snapshotsFolder)) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid !== process.pid && !isProcessAlive(pid)) {
      rmSync(join(snapshotsFolder, name), { recursive: true, force: true });
    }
  }
}

async function runSuiteFile(file, { startEmulator, grep, timeoutMs }) {
  const emulator = await startEmulator({ port: 0 });
  const unregister = registerCleanup({
    name: `emulator ${emulator.url}`,
    run: () => emulator.close(),
  });
  try {
    return await runHostSuite({
      label: sourcePathOf(compiledRoot, file),
      testFiles: [file],
      testsEntry,
      extensionDevelopmentPath: repoRoot,
      env: {
        PRODCAMP_SANDBOX_URL: emulator.url,
        PRODCAMP_SANDBOX_API_KEY: emulator.apiKey,
        ...(grep === undefined ? {} : { PRODCAMP_TEST_GREP: grep }),
      },
      // Points the extension's API base URL at the emulator too, not only PRODCAMP_SANDBOX_URL.
      // code-server saves automatically by default; the suites save explicitly, and the test of
      // auto save turns it on itself.
      userSettings: { 'prodcamp.baseUrl': emulator.url, 'files.autoSave': 'off' },
      secret: emulator.apiKey,
      timeoutMs,
      screenshotDir,
      repoRoot,
      onFailure: (runFolder) => {
        writeFileSync(
          join(runFolder, 'emulator-requests.json'),
          `${JSON.stringify(emulator.requests, null, 2)}\n`,
        );
      },
    });
  } finally {
    unregister();
    await emulator.close();
  }
}

async function main() {
  const started = Date.now();
  const options = parseArguments(process.argv.slice(2));
  const timeoutMs = readSuiteTimeout();

  await timed('Build the extension (node esbuild.mjs)', () =>
    runCommand('node', ['esbuild.mjs'], { cwd: repoRoot }),
  );
  await timed('Build the tests (node esbuild.mjs --tests)', () =>
    runCommand('node', ['esbuild.mjs', '--tests'], { cwd: repoRoot }),
  );
  await timed('Install the test host', () => installHost());
  removeStaleSnapshots();
  rmSync(snapshotRoot, { recursive: true, force: true });
  cpSync(join(repoRoot, 'out'), compiledRoot, { recursive: true });
  registerCleanup({
    name: 'compiled test copy',
    run: async () => rmSync(snapshotRoot, { recursive: true, force: true }),
  });

  const files = selectSuiteFiles(compiledRoot, options.fileFilters);

  const require = createRequire(import.meta.url);
  const { startEmulator } = require(join(compiledRoot, 'emulator', 'index.js'));
  for (const file of files) {
    results.push(await runSuiteFile(file, { startEmulator, grep: options.grep, timeoutMs }));
  }

  const filtered = options.fileFilters.length > 0 || options.grep !== undefined;
  if (options.vsix && !filtered) {
    results.push(
      await runVsixCheck({ repoRoot, compiledRoot, screenshotDir, timeoutMs, startEmulator }),
    );
  } else {
    console.log(
      `\nSkipped the packaged .vsix check (${filtered ? 'a filter was given' : '--no-vsix'}).`,
    );
  }

  printSummary();
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  console.log(
    `Screenshots: ${relative(repoRoot, screenshotDir)}/. Total time ${formatSeconds(Date.now() - started)}.`,
  );
  printTotals(0);
  await runAllCleanups();
  process.exitCode = failed === 0 ? 0 : 1;
}

function printSummary() {
  if (results.length === 0) return;
  console.log('\nSummary:');
  for (const result of results) {
    const status = result.failed === 0 ? 'ok  ' : 'FAIL';
    const counts = `${result.passed} passed, ${result.failed} failed, ${result.pending} pending`;
    console.log(`  ${status} ${result.label}: ${counts} (${result.seconds.toFixed(1)} s)`);
  }
}

/** Prints the closing "N passed, N failed" line, with `extraFailures` added for an aborted run. */
function printTotals(extraFailures) {
  const passed = results.reduce((sum, result) => sum + result.passed, 0);
  const failed = results.reduce((sum, result) => sum + result.failed, 0) + extraFailures;
  console.log(`${passed} passed, ${failed} failed`);
}

main().catch(async (error) => {
  console.error(`\nIntegration run failed: ${error.message}`);
  await runAllCleanups();
  printSummary();
  printTotals(1);
  process.exitCode = 1;
});
