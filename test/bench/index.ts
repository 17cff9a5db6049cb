// Benchmark entry that the VS Code extension host loads through `extensionTestsPath`, next to
// the extension installed from the .vsix. scripts/bench.mjs starts it; its `run()` times
// activation and the user actions, writes the figures as JSON and resolves, which ends the host.
//
// Environment:
// - PRODCAMP_SANDBOX_URL, PRODCAMP_SANDBOX_API_KEY: the emulator to use.
// - PRODCAMP_BENCH_RESULT_FILE: where to write the BenchResult JSON.
// - PRODCAMP_BENCH_READY_FILE: the driver creates it once the page's rendering log is set up;
//   nothing starts before it exists.
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
  loadMore,
  openRecord,
  saveRecord,
  search,
  setToken,
  showView,
  type BenchContext,
} from './actions';
import { measureMemory, sleep } from './measure';
import type { ActionSample, BenchResult, LoadMoreSample } from './results';
import { FileSystemProbe } from './fileSystemProbe';
import { TreeProbe } from './treeProbe';

const READY_TIMEOUT_MS = 120_000;
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
  return `${sample.action}: ${sample.wallMs.toFixed(1)} ms, server ${sample.serverMs.toFixed(1)} ms, ${requests} (${sample.requestLines.join(', ')}); ${details}`;
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

async function runBenchmark(config: BenchConfig): Promise<BenchResult> {
  const result: BenchResult = { activation: { activateMs: 0, wasActive: false }, actions: [], loadMore: [], memory: [], notes: [] };
  const record = (sample: ActionSample) => {
    result.actions.push(sample);
    log(describeSample(sample));
  };

  await waitFor(() => existsSync(config.readyFile), READY_TIMEOUT_MS, `the driver's ready file ${config.readyFile}`);
  await sleep(STARTUP_IDLE_MS);

  const extension = vscode.extensions.getExtension<ProdCampExtension>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in the extension host.`);
  result.activation.wasActive = extension.isActive;
  const activationStarted = performance.now();
  const api = await extension.activate();
  result.activation.activateMs = performance.now() - activationStarted;
  log(`activation: ${result.activation.activateMs.toFixed(1)} ms${result.activation.wasActive ? ' (was already active)' : ''}`);

  const probes = { account: new TreeProbe(api.trees.account), contact: new TreeProbe(api.trees.contact) };
  const files = new FileSystemProbe(api.fileSystem);
  const context: BenchContext = { api, probes, files, quietMs: config.quietMs, timeoutMs: 60_000, log };
  try {
    const { url, apiKey } = sandbox();
    await waitFor(() => api.connection.origin === url, 10_000, `the base URL setting ${url} to apply`);
    record(await setToken(context, apiKey));
    for (const command of ['prodcamp.contacts.toggleVisibility', 'prodcamp.contacts.removeView']) {
      try {
        const started = performance.now();
        await vscode.commands.executeCommand(command);
        log(`EXPERIMENT ${command}: ok in ${(performance.now() - started).toFixed(1)} ms`);
      } catch (error) {
        log(`EXPERIMENT ${command}: ${String(error)}`);
      }
    }
    record(await showView(context, 'account'));
    result.memory.push(await measureMemory('first page loaded', api.trees.account.loaded.length));

    const accounts = api.trees.account.loaded;
    if (accounts.length < 3 * config.samples) {
      throw new Error(`Only ${accounts.length} accounts loaded; the record actions need ${3 * config.samples}.`);
    }
    for (let index = 0; index < config.samples; index++) {
      record(await expandAccount(context, accounts[index]));
    }
    for (let index = 0; index < config.samples; index++) {
      record(await openRecord(context, accounts[config.samples + index]));
    }
    for (let index = 0; index < config.samples; index++) {
      record(await saveRecord(context, accounts[2 * config.samples + index], index));
    }

    while (api.trees.account.loaded.length < config.loadedTarget) {
      const sample: LoadMoreSample | undefined = await loadMore(context);
      if (!sample) {
        result.notes.push(`The list ended at ${api.trees.account.loaded.length} accounts, before ${config.loadedTarget}.`);
        break;
      }
      result.loadMore.push(sample);
      if (result.loadMore.length % 10 === 1) {
        log(`loadMore ${sample.loadedBefore} -> ${sample.loadedAfter}: ${sample.wallMs.toFixed(1)} ms, ${sample.requests} request(s)`);
      }
    }
    result.memory.push(await measureMemory('after Load more', api.trees.account.loaded.length));

    for (const term of searchTerms(api.trees.account.loaded, config.samples)) {
      record(await search(context, term));
    }
    await clearSearch(context);
    const contactsLoaded = api.trees.contact.loaded.length;
    if (contactsLoaded > 0) {
      result.notes.push(`The Contacts view had already loaded ${contactsLoaded} contacts before it was shown.`);
    }
    record(await showView(context, 'contact'));
  } finally {
    probes.account.dispose();
    probes.contact.dispose();
    files.dispose();
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
    console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    throw error;
  }
}
