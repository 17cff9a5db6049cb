// Runs the benchmark entry (out/test/bench/index.js) once in a fresh code-server session, next to
// the extension installed from the .vsix, and collects its figures and the page's rendering log.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSession } from '../host/session.mjs';
import { isShuttingDown } from '../host/shutdown.mjs';
import { installRenderLog, readRenderLog } from './render-log.mjs';

const ACTIVATED_LINE = /Activated in (\d+) ms/;

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
 * Returns the N of the extension's own "Activated in N ms" log line (the time inside
 * activate(), without loading the bundle), read from the session's log files.
 */
function readLoggedActivation(userDataFolder) {
  for (const file of listFiles(join(userDataFolder, 'logs'))) {
    if (!file.endsWith('.log')) continue;
    const match = ACTIVATED_LINE.exec(readFileSync(file, 'utf8'));
    if (match) return Number(match[1]);
  }
  return undefined;
}

/**
 * Runs one benchmark session and returns `{ result, renderLog, loggedActivationMs }`, where
 * `result` is the BenchResult of test/bench/results.ts. Throws when the session fails; its
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
  const errors = [];

  const session = await startSession({
    env: {
      PRODCAMP_SANDBOX_URL: emulator.url,
      PRODCAMP_SANDBOX_API_KEY: emulator.apiKey,
      PRODCAMP_BENCH_RESULT_FILE: resultFile,
      PRODCAMP_BENCH_READY_FILE: readyFile,
      PRODCAMP_BENCH_SAMPLES: String(options.samples),
      PRODCAMP_BENCH_LOADED_TARGET: String(options.loadedTarget),
    },
    // The installed extension is not in development mode, so this setting alone points it at the emulator.
    userSettings: { 'prodcamp.baseUrl': emulator.url },
    extensionsDir,
    extensionDevelopmentPath: join(repoRoot, 'test', 'bench', 'host'),
    extensionTestsPath: join(compiledRoot, 'test', 'bench', 'index.js'),
    onLog: (type, text) => {
      if (!text.startsWith('[bench]')) return;
      if (type === 'error') errors.push(text);
      console.log(`  ${text}`);
    },
  });

  let ok = false;
  try {
    await installRenderLog(session.page);
    writeFileSync(readyFile, `${new Date().toISOString()}\n`);
    const exit = await session.waitForExit(timeoutMs);
    // After Ctrl+C the signal handler stops everything and exits; a report would mislead.
    if (isShuttingDown()) await new Promise(() => {});
    const renderLog = await readRenderLog(session.page);
    const loggedActivationMs = readLoggedActivation(session.folders.userData);
    if (exit.code !== 0 || !existsSync(resultFile)) {
      const cause = errors.length > 0 ? `: ${errors[0]}` : '';
      throw new Error(
        `Benchmark run ${runNumber} failed (${exit.reason})${cause}. Logs are kept in ${session.folders.root} (code-server.log, browser.log).`,
      );
    }
    const result = JSON.parse(readFileSync(resultFile, 'utf8'));
    ok = true;
    return { result, renderLog, loggedActivationMs };
  } finally {
    await session.stop({ removeRunFolder: ok });
  }
}
