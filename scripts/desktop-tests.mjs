// Runs the integration suites in desktop VS Code through @vscode/test-electron, for machines
// that can download VS Code. Machines without that download use scripts/integration.mjs.
//
// Usage: node scripts/desktop-tests.mjs [--grep PATTERN] [FILE_FILTER...]
//
// VS Code 1.100.3 is downloaded once into .vscode-test/ and reused. When the download fails
// the script stops at once: it does not retry. On Linux without a display, run it under
// xvfb-run. Screenshots are skipped here because no driver takes them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { download, runTests } from '@vscode/test-electron';
import { runCommand } from './host/exec.mjs';
import { registerCleanup, runAllCleanups } from './host/shutdown.mjs';
import { selectSuiteFiles, sourcePathOf } from './host/suite-files.mjs';

const VSCODE_VERSION = '1.100.3';
const DOWNLOAD_IDLE_TIMEOUT_MS = 15_000;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const testsEntry = join(repoRoot, 'out', 'test', 'integration', 'index.js');
const compiledRoot = join(repoRoot, 'out');

function parseArguments(argv) {
  const options = { grep: undefined, fileFilters: [] };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--grep' || argument === '-g') {
      options.grep = argv[++index];
      if (options.grep === undefined) throw new Error('--grep needs a PATTERN.');
    } else if (argument === '--help' || argument === '-h') {
      console.log('Usage: node scripts/desktop-tests.mjs [--grep PATTERN] [FILE_FILTER...]');
      process.exit(0);
    } else if (argument.startsWith('-')) {
      throw new Error(`Unknown option ${argument}.`);
    } else {
      options.fileFilters.push(argument);
    }
  }
  return options;
}

/**
 * A progress reporter for test-electron's download that turns its "retrying" stage into an
 * error, so a failed download stops at once instead of being retried.
 */
const singleAttemptReporter = {
  report(event) {
    if (event.stage === 'retrying') throw event.error ?? new Error('the download failed');
    if (event.stage === 'downloading' && event.bytesSoFar === 0)
      console.log(`Downloading VS Code ${VSCODE_VERSION}...`);
    if (event.stage === 'foundMatchingInstall')
      console.log(`Using VS Code ${VSCODE_VERSION} in ${event.downloadedPath}.`);
  },
  error(error) {
    console.error(`VS Code download error: ${error?.message ?? error}`);
  },
  done() {},
};

async function downloadVSCode() {
  try {
    return await download({
      version: VSCODE_VERSION,
      cachePath: join(repoRoot, '.vscode-test'),
      timeout: DOWNLOAD_IDLE_TIMEOUT_MS,
      reporter: singleAttemptReporter,
    });
  } catch (error) {
    throw new Error(
      `Downloading VS Code ${VSCODE_VERSION} failed: ${error.message}\n` +
        'This machine cannot reach the VS Code download server. Run `npm run test:integration` instead, ' +
        'which tests in code-server installed from the npm registry.',
    );
  }
}

async function runSuiteFile(file, { vscodeExecutablePath, startEmulator, grep }) {
  const label = sourcePathOf(compiledRoot, file);
  const root = mkdtempSync('/tmp/pch-');
  const userData = join(root, 'u');
  const workspace = join(root, 'workspace');
  const resultFile = join(root, 'result.json');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  const emulator = await startEmulator({ port: 0 });
  const unregister = registerCleanup({
    name: `emulator ${emulator.url}`,
    run: async () => {
      await emulator.close();
      rmSync(root, { recursive: true, force: true });
    },
  });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    `${JSON.stringify({ 'prodcamp.baseUrl': emulator.url, 'workbench.startupEditor': 'none' }, null, 2)}\n`,
  );

  console.log(`\n=== ${label}`);
  let exitProblem;
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsEntry,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--user-data-dir',
        userData,
        '--extensions-dir',
        join(root, 'x'),
      ],
      extensionTestsEnv: {
        PRODCAMP_TEST_FILES: file,
        PRODCAMP_RESULT_FILE: resultFile,
        PRODCAMP_SANDBOX_URL: emulator.url,
        PRODCAMP_SANDBOX_API_KEY: emulator.apiKey,
        ...(grep === undefined ? {} : { PRODCAMP_TEST_GREP: grep }),
      },
    });
  } catch (error) {
    exitProblem = error.message;
  } finally {
    unregister();
    await emulator.close();
  }

  let result;
  try {
    result = JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch {
    result = { passed: 0, failed: 0, pending: 0 };
    exitProblem ??= 'VS Code exited without writing a test result';
  }
  if (exitProblem && result.failed === 0) result.failed = 1;
  rmSync(root, { recursive: true, force: true });
  console.log(
    `--- ${label}: ${result.passed} passed, ${result.failed} failed, ${result.pending} pending`,
  );
  if (exitProblem) console.log(`    problem: ${exitProblem}`);
  return result;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  await runCommand('node', ['esbuild.mjs'], { cwd: repoRoot });
  await runCommand('node', ['esbuild.mjs', '--tests'], { cwd: repoRoot });
  const files = selectSuiteFiles(compiledRoot, options.fileFilters);
  const vscodeExecutablePath = await downloadVSCode();

  const { startEmulator } = createRequire(import.meta.url)(
    join(repoRoot, 'out', 'emulator', 'index.js'),
  );
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const result = await runSuiteFile(file, {
      vscodeExecutablePath,
      startEmulator,
      grep: options.grep,
    });
    passed += result.passed;
    failed += result.failed;
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch(async (error) => {
  console.error(`\nDesktop test run failed: ${error.message}`);
  await runAllCleanups();
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
