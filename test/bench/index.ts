// Benchmark entry that the VS Code extension host loads through `extensionTestsPath`, next to
// the extension installed from the .vsix. scripts/bench.mjs starts it. Its `run()` times
// activation and the user actions, writes the figures as JSON and resolves, which ends the host.
//
// Environment:
// - PRODCAMP_SANDBOX_URL, PRODCAMP_SANDBOX_API_KEY: the emulator to use.
// - PRODCAMP_BENCH_RESULT_FILE: where to write the BenchResult JSON.
// - PRODCAMP_BENCH_READY_FILE: the driver creates it once the page's rendering log is set up;
//   nothing starts before it exists.
// - PRODCAMP_BENCH_SIGNAL_DIR: where the driver writes its replies to requests to wait for
//   the page (test/bench/pageSync.ts).
// - PRODCAMP_BENCH_SAMPLES: timed repetitions of each record action (default 5).
// - PRODCAMP_BENCH_LOADED_TARGET: accounts to load with "Load more" (default 5000).
// - PRODCAMP_BENCH_QUIET_MS: idle time that ends an action before its requests are counted
//   (default 150).
import { existsSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { ProdCampExtension } from '../../src/extension';
import type { RecordNode } from '../../src/tree/nodes';
import { EXTENSION_ID, sandbox, waitFor } from '../integration/support';
import {
  clearSearch,
  expandAccount,
  hideAndReset,
  loadMore,
  openRecord,
  saveRecord,
  search,
  setToken,
  showView,
  type BenchContext,
} from './actions';
import { GcRecorder, measureMemory, sleep } from './measure';
import type { ActionSample, BenchResult } from './results';
import { FileSystemProbe } from './fileSystemProbe';
import { TreeProbe } from './treeProbe';

const READY_TIMEOUT_MS = 120_000;
const ACTION_TIMEOUT_MS = 60_000;
const ONE_REQUEST = { requests: 1, sequential: 1 };
// Lets the workbench finish its own start-up work, so activation is not timed against it.
const STARTUP_IDLE_MS = 3000;

interface BenchConfig {
  resultFile: string;
  readyFile: string;
  samples: number;
  loadedTarget: number;
  quietMs: number;
}

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

function readPositiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name} is invalid: expected a whole number of at least 1, got "${raw}".`);
  }
  return value;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is missing: run the benchmark with \`npm run bench\`.`);
  return value;
}

function readConfig(): BenchConfig {
  return {
    resultFile: requireEnv('PRODCAMP_BENCH_RESULT_FILE'),
    readyFile: requireEnv('PRODCAMP_BENCH_READY_FILE'),
    samples: readPositiveInteger('PRODCAMP_BENCH_SAMPLES', 5),
    loadedTarget: readPositiveInteger('PRODCAMP_BENCH_LOADED_TARGET', 5000),
    quietMs: readPositiveInteger('PRODCAMP_BENCH_QUIET_MS', 150),
  };
}

function describeSample(sample: ActionSample): string {
  const requests = `${sample.requests} request${sample.requests === 1 ? '' : 's'}`;
  const details = Object.entries(sample.details)
    .map(([name, value]) => `${name} ${Number.isInteger(value) ? value : value.toFixed(1)}`)
    .join(', ');
  const extension =
    sample.extensionMs === undefined ? '' : `, extension ${sample.extensionMs.toFixed(1)} ms`;
  return `${sample.action}: ${sample.wallMs.toFixed(1)} ms, server ${sample.serverMs.toFixed(1)} ms${extension}, ${requests} (${sample.requestLines.join(', ')}); ${details}`;
}

/** Picks search terms from the names of loaded accounts: the first word of at least 4 letters. */
function searchTerms(accounts: readonly RecordNode[], count: number): string[] {
  const terms: string[] = [];
  const step = Math.max(1, Math.floor(accounts.length / (count + 1)));
  for (let index = step; index < accounts.length && terms.length < count; index += step) {
    const name = accounts[index].record.accountName;
    const word =
      typeof name === 'string' ? name.split(/\s+/).find((part) => part.length >= 4) : undefined;
    if (word && !terms.includes(word)) terms.push(word);
  }
  return terms;
}

/**
 * Sends one search straight to the emulator, not timed. The emulator builds the search text of
 * every record on its first search (about 300 ms for 100,000 accounts on a 2-core machine),
 * which a real server's index would not repeat, so the timed searches start after it.
 */
async function warmEmulatorSearch(): Promise<void> {
  const { url, apiKey } = sandbox();
  const query = new URLSearchParams({ Search: 'warm-up', PageSize: '1', apiKey });
  const response = await fetch(`${url}/api/v1/Customers/accounts?${query.toString()}`);
  if (!response.ok) {
    throw new Error(`The emulator search warm-up failed with HTTP ${response.status}.`);
  }
  await response.text();
}

/**
 * Activates the extension from the benchmark entry and times it. Records whether something
 * activated it earlier, which would make the time void.
 */
async function activate(result: BenchResult): Promise<ProdCampExtension> {
  const extension = vscode.extensions.getExtension<ProdCampExtension>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in the extension host.`);
  result.activation.wasActive = extension.isActive;
  const started = performance.now();
  const api = await extension.activate();
  result.activation.activateMs = performance.now() - started;
  const already = result.activation.wasActive ? ' (it was already active, so this is void)' : '';
  log(`activation: ${result.activation.activateMs.toFixed(1)} ms${already}`);
  return api;
}

/** Times the actions on single records: expand, open and save, each on its own accounts. */
async function timeRecordActions(
  context: BenchContext,
  samples: number,
  record: (sample: ActionSample) => void,
): Promise<void> {
  const accounts = context.api.trees.account.loaded;
  if (accounts.length < 3 * samples) {
    throw new Error(
      `Only ${accounts.length} accounts are loaded, and the record actions need ${3 * samples}.`,
    );
  }
  for (let index = 0; index < samples; index++) {
    record(await expandAccount(context, accounts[index]));
  }
  for (let index = 0; index < samples; index++) {
    record(await openRecord(context, accounts[samples + index]));
  }
  for (let index = 0; index < samples; index++) {
    record(await saveRecord(context, accounts[2 * samples + index], index));
  }
}

/** Clicks "Load more" until `target` accounts are loaded or the list ends. */
async function growList(context: BenchContext, target: number, result: BenchResult): Promise<void> {
  const tree = context.api.trees.account;
  while (tree.loaded.length < target) {
    const sample = await loadMore(context);
    if (!sample) {
      result.notes.push(`The list ended at ${tree.loaded.length} accounts, before ${target}.`);
      return;
    }
    result.loadMore.push(sample);
    if (result.loadMore.length % 20 === 1) {
      log(
        `loadMore ${sample.loadedBefore} -> ${sample.loadedAfter}: ${sample.wallMs.toFixed(1)} ms, ${sample.requests} request(s)`,
      );
    }
  }
}

async function runBenchmark(config: BenchConfig): Promise<BenchResult> {
  const result: BenchResult = {
    activation: { activateMs: 0, wasActive: false },
    actions: [],
    loadMore: [],
    memory: [],
    notes: [],
  };
  const record = (sample: ActionSample) => {
    result.actions.push(sample);
    log(describeSample(sample));
  };

  await waitFor(
    () => existsSync(config.readyFile),
    READY_TIMEOUT_MS,
    `the driver's ready file ${config.readyFile}`,
  );
  await sleep(STARTUP_IDLE_MS);
  const api = await activate(result);

  const probes = {
    account: new TreeProbe(api.trees.account),
    contact: new TreeProbe(api.trees.contact),
  };
  const files = new FileSystemProbe(api.fileSystem);
  const gc = new GcRecorder();
  const context: BenchContext = {
    api,
    probes,
    files,
    gc,
    quietMs: config.quietMs,
    timeoutMs: ACTION_TIMEOUT_MS,
    log,
  };
  try {
    const { url, apiKey } = sandbox();
    await waitFor(() => api.connection.origin === url, 10_000, `the base URL ${url} to apply`);
    record(await setToken(context, apiKey));
    // The sidebar opens with both views, and each loads its first page.
    record(await showView(context, 'account', 'openSidebar', { requests: 2, sequential: 1 }));
    result.memory.push(await measureMemory('first page', api.trees.account.loaded.length));
    for (let index = 0; index < config.samples; index++) {
      await hideAndReset(context, 'account');
      record(await showView(context, 'account', 'showAccounts', ONE_REQUEST));
    }
    for (let index = 0; index < config.samples; index++) {
      await hideAndReset(context, 'contact');
      record(await showView(context, 'contact', 'showContacts', ONE_REQUEST));
    }
    await timeRecordActions(context, config.samples, record);

    await growList(context, config.loadedTarget, result);
    result.memory.push(await measureMemory('after Load more', api.trees.account.loaded.length));

    await warmEmulatorSearch();
    for (const term of searchTerms(api.trees.account.loaded, config.samples)) {
      record(await search(context, term));
    }
    await clearSearch(context);
  } finally {
    probes.account.dispose();
    probes.contact.dispose();
    files.dispose();
    gc.dispose();
  }
  return result;
}

export async function run(): Promise<void> {
  try {
    const config = readConfig();
    const result = await runBenchmark(config);
    writeFileSync(config.resultFile, `${JSON.stringify(result)}\n`);
    log(`wrote ${config.resultFile}`);
  } catch (error) {
    console.error(
      `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    throw error;
  }
}
