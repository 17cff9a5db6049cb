// Benchmark of what the user waits for. It runs the extension installed from its .vsix in the
// real VS Code extension host (code-server driven by headless Chromium), against the emulator
// seeded with many accounts and with a latency added to each request. It prints tables of the
// activation time, the bundle and .vsix sizes, the time and request count of each user action,
// the cost of one "Load more" as the list grows, and the extension host's memory.
//
// Usage: node scripts/bench.mjs [--latency MS] [--accounts N] [--runs N] [--samples N]
//                               [--loaded N] [--markdown FILE] [--json FILE] [--vsix FILE]
// (npm run bench -- --runs 5). --help describes the options.
//
// Exits 0 when every run completed, whether or not the targets were met (the table marks
// the misses), and 1 when a build, the host or a run failed.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBenchSession } from './bench/host-run.mjs';
import { describeMachine } from './bench/machine.mjs';
import { parseArguments, USAGE } from './bench/options.mjs';
import { prepareArtifacts, removeStaleWorkFolders } from './bench/prepare.mjs';
import { buildReport, formatReport } from './bench/report.mjs';
import { formatSeconds } from './host/exec.mjs';
import { registerCleanup, runAllCleanups } from './host/shutdown.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Inside the repository, so the compiled entry's require() calls find node_modules.
const runsFolder = join(repoRoot, '.bench', 'runs');
const workFolder = join(runsFolder, String(process.pid));
const SESSION_TIMEOUT_MS = 20 * 60 * 1000;

async function step(title, action) {
  const started = Date.now();
  console.log(`\n> ${title}`);
  const result = await action();
  console.log(`  (${formatSeconds(Date.now() - started)})`);
  return result;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (!options) {
    console.log(USAGE);
    return;
  }
  const started = Date.now();
  removeStaleWorkFolders(runsFolder);
  rmSync(workFolder, { recursive: true, force: true });
  mkdirSync(workFolder, { recursive: true });
  registerCleanup({
    name: 'benchmark work folder',
    run: async () => rmSync(workFolder, { recursive: true, force: true }),
  });

  const artifacts = await prepareArtifacts({
    repoRoot,
    workFolder,
    vsixFile: options.vsixFile && resolve(options.vsixFile),
    step,
  });
  const require = createRequire(import.meta.url);
  const { startEmulator } = require(join(artifacts.compiledRoot, 'emulator', 'index.js'));
  const emulatorOptions = { port: 0, accounts: options.accounts, latencyMs: options.latencyMs };
  const emulator = await step(
    `Start the emulator: ${options.accounts} accounts, ${options.latencyMs} ms latency`,
    () => startEmulator(emulatorOptions),
  );
  registerCleanup({ name: `emulator ${emulator.url}`, run: () => emulator.close() });

  const runs = [];
  for (let runNumber = 1; runNumber <= options.runs; runNumber += 1) {
    // Every run starts from the same data, undoing the previous run's saves.
    if (runNumber > 1) emulator.reset();
    const run = await step(`Benchmark run ${runNumber} of ${options.runs}`, () =>
      runBenchSession({
        runNumber,
        workFolder,
        repoRoot,
        compiledRoot: artifacts.compiledRoot,
        extensionsDir: artifacts.extensionsDir,
        emulator,
        options,
        timeoutMs: SESSION_TIMEOUT_MS,
      }),
    );
    runs.push(run);
  }

  const machine = await describeMachine();
  const report = buildReport({ options, artifacts, runs, machine });
  console.log(`\n${formatReport(report)}`);
  if (options.markdownFile) {
    writeFileSync(resolve(options.markdownFile), `${formatReport(report)}\n`);
    console.log(`Wrote ${options.markdownFile}.`);
  }
  if (options.jsonFile) {
    const raw = { options, machine, artifacts, runs };
    writeFileSync(resolve(options.jsonFile), `${JSON.stringify(raw, null, 1)}\n`);
    console.log(`Wrote ${options.jsonFile}.`);
  }
  console.log(`Total time ${formatSeconds(Date.now() - started)}.`);
  await runAllCleanups();
}

main().catch(async (error) => {
  console.error(`\nBenchmark failed: ${error.message}`);
  await runAllCleanups();
  process.exitCode = 1;
});
