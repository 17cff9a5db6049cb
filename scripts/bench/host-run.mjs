// Runs the benchmark entry (out/test/bench/index.js) once in a fresh code-server session, next to
// the extension installed from the .vsix, and collects its figures and the page's rendering log.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { startSession } from '../host/session.mjs';
import { isShuttingDown } from '../host/shutdown.mjs';
import { installRenderLog, readRenderLog, waitForRows } from './render-log.mjs';

const ACTIVATED_LINE = /Activated in (\d+) ms/;
// The benchmark entry logs this to wait until the page shows a number of rows (test/bench/pageSync.ts).
const ROWS_REQUEST = /\[\[prodcamp-bench-rows:(\{.*?\})\]\]/;

/** Returns the paths of all files below `folder`. */
function listFiles(folder) {
  if (!existsSync(folder)) return [];
  const files = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else files.push(path);
  }
  return files;
}

/**
 * Reads the extension's log from the session's log files. Returns `{ text, activationMs }`,
 * where activationMs is the N of its "Activated in N ms" line (the time inside activate(),
 * without loading the bundle).
 */
function readExtensionLog(userDataFolder) {
  for (const file of listFiles(join(userDataFolder, 'logs'))) {
    if (!file.endsWith('.log')) continue;
    const text = readFileSync(file, 'utf8');
    const match = ACTIVATED_LINE.exec(text);
    if (match) return { text, activationMs: Number(match[1]) };
  }
  return { text: '', activationMs: undefined };
}

/**
 * Runs one benchmark session and returns `{ result, renderLog, loggedActivationMs,
 * extensionLog }`, where `result` is the BenchResult of test/bench/results.ts. Throws when the session fails; its
 * logs are then kept and the message names their folder.
 */
export async function runBenchSession({
  runNumber,
  workFolder,
  repoRoot,
  compiledRoot,
  extensionsDir,
  emulator,
  options,
  timeoutMs,
}) {
  const runFolder = join(workFolder, `run-${runNumber}`);
  mkdirSync(runFolder, { recursive: true });
  const resultFile = join(runFolder, 'result.json');
  const readyFile = join(runFolder, 'ready');
  const signalFolder = join(runFolder, 'signals');
  mkdirSync(signalFolder, { recursive: true });
  const errors = [];
  let pageReady;
  const pageReadyPromise = new Promise((resolve) => (pageReady = resolve));

  /** Writes the reply to a rows request once the page shows the rows, or once its time limit passes. */
  async function answerRowsRequest(text) {
    try {
      const { id, rows, timeoutMs } = JSON.parse(text);
      const page = await pageReadyPromise;
      const drawn = await waitForRows(page, rows, timeoutMs);
      // The entry polls for the file, so the file must appear complete. It is written aside and renamed.
      const reply = join(signalFolder, `rows-${id}.json`);
      writeFileSync(`${reply}.partial`, JSON.stringify({ drawn }));
      renameSync(`${reply}.partial`, reply);
    } catch (error) {
      errors.push(`[bench] answering ${text} failed: ${error.message}`);
    }
  }

  const session = await startSession({
    env: {
      PRODCAMP_SANDBOX_URL: emulator.url,
      PRODCAMP_SANDBOX_API_KEY: emulator.apiKey,
      PRODCAMP_BENCH_RESULT_FILE: resultFile,
      PRODCAMP_BENCH_READY_FILE: readyFile,
      PRODCAMP_BENCH_SIGNAL_DIR: signalFolder,
      PRODCAMP_BENCH_SAMPLES: String(options.samples),
      PRODCAMP_BENCH_LOADED_TARGET: String(options.loadedTarget),
    },
    // The installed extension is not in development mode, so this setting alone points it at the emulator.
    userSettings: { 'prodcamp.baseUrl': emulator.url },
    extensionsDir,
    extensionDevelopmentPath: join(repoRoot, 'test', 'bench', 'host'),
    extensionTestsPath: join(compiledRoot, 'test', 'bench', 'index.js'),
    onLog: (type, text) => {
      const rowsRequest = ROWS_REQUEST.exec(text);
      if (rowsRequest) {
        void answerRowsRequest(rowsRequest[1]);
        return;
      }
      if (!text.startsWith('[bench]')) return;
      if (type === 'error') errors.push(text);
      console.log(`  ${text}`);
    },
  });

  let ok = false;
  try {
    await installRenderLog(session.page);
    pageReady(session.page);
    writeFileSync(readyFile, `${new Date().toISOString()}\n`);
    const exit = await session.waitForExit(timeoutMs);
    // After Ctrl+C the signal handler stops everything and exits, so a failure report would mislead.
    if (isShuttingDown()) await new Promise(() => {});
    const renderLog = await readRenderLog(session.page);
    const extensionLog = readExtensionLog(session.folders.userData);
    if (exit.code !== 0 || !existsSync(resultFile)) {
      const cause = errors.length > 0 ? `: ${errors[0]}` : '';
      throw new Error(
        `Benchmark run ${runNumber} failed (${exit.reason})${cause}. Logs are kept in ${session.folders.root} (code-server.log, browser.log).`,
      );
    }
    const result = JSON.parse(readFileSync(resultFile, 'utf8'));
    ok = true;
    return {
      result,
      renderLog,
      loggedActivationMs: extensionLog.activationMs,
      extensionLog: extensionLog.text,
    };
  } finally {
    await session.stop({ removeRunFolder: ok });
  }
}
