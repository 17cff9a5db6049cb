// Test entry that the VS Code extension host loads through `extensionTestsPath` and whose
// `run()` it awaits: resolving ends the host with exit code 0, rejecting with exit code 1.
//
// Environment:
// - PRODCAMP_TEST_FILES: comma-separated absolute paths of the compiled suite files to load.
// - PRODCAMP_TEST_GREP: optional pattern; only tests whose full title matches it run.
// - PRODCAMP_TEST_TIMEOUT_MS: optional per-test timeout (default 20000).
// - PRODCAMP_RESULT_FILE: optional path where the result is also written as JSON, for
//   runners that cannot read the host's console (scripts/desktop-tests.mjs).
//
// Whatever happens, the last line logged is `[[prodcamp-result:{"passed":N,"failed":M,"pending":P}]]`,
// which the driver reads to count the results.
import { writeFileSync } from 'node:fs';
import { format } from 'node:util';
import Mocha from 'mocha';

const DEFAULT_TEST_TIMEOUT_MS = 20_000;

interface RunResult {
  passed: number;
  failed: number;
  pending: number;
}

function logResult(result: RunResult): void {
  const resultFile = process.env.PRODCAMP_RESULT_FILE;
  if (resultFile) {
    try {
      writeFileSync(resultFile, JSON.stringify(result));
    } catch (error) {
      console.error(`Writing the result file ${resultFile} failed: ${String(error)}`);
    }
  }
  console.log(`[[prodcamp-result:${JSON.stringify(result)}]]`);
}

function readTestFiles(): string[] {
  const files = (process.env.PRODCAMP_TEST_FILES ?? '')
    .split(',')
    .map((file) => file.trim())
    .filter((file) => file.length > 0);
  if (files.length === 0) {
    throw new Error(
      'PRODCAMP_TEST_FILES is empty: set it to the comma-separated paths of the compiled suite files.',
    );
  }
  return files;
}

function readTimeout(): number {
  const raw = process.env.PRODCAMP_TEST_TIMEOUT_MS;
  if (!raw) return DEFAULT_TEST_TIMEOUT_MS;
  const timeout = Number(raw);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new Error(
      `PRODCAMP_TEST_TIMEOUT_MS is invalid: expected a positive number of milliseconds, got "${raw}".`,
    );
  }
  return timeout;
}

export function run(): Promise<void> {
  let mocha: Mocha;
  try {
    // The extension host forwards each console.log call to the driver, but does not apply
    // printf-style placeholders, so every reporter line is formatted here first.
    Mocha.reporters.Base.consoleLog = (...data: unknown[]) => console.log(format(...data));
    mocha = new Mocha({
      ui: 'tdd',
      reporter: 'spec',
      color: false,
      timeout: readTimeout(),
      grep: process.env.PRODCAMP_TEST_GREP || undefined,
    });
    for (const file of readTestFiles()) mocha.addFile(file);
  } catch (error) {
    console.error(
      `Test setup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    logResult({ passed: 0, failed: 1, pending: 0 });
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        logResult({ passed: stats?.passes ?? 0, failed: failures, pending: stats?.pending ?? 0 });
        if (failures > 0) reject(new Error(`${failures} test(s) failed.`));
        else resolve();
      });
    } catch (error) {
      // A suite file that throws while loading ends up here, before any test runs.
      console.error(
        `Loading the suite files failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      logResult({ passed: 0, failed: 1, pending: 0 });
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
