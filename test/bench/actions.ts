// The user actions that the benchmark times inside the extension host. Each one starts from a
// quiet state with an empty request log, drives the extension the way the UI does (commands,
// tree reveals, editor edits), and stops the clock once the result is visible to the
// extension's API. Requests are counted after everything has gone quiet again.
//
// Each sample splits its wall time into these parts:
// - serverMs: a request was in the emulator (its latency plus its own work);
// - extensionMs: the extension's code ran (a command, or a provider call that VS Code made)
//   and no request was in the emulator, which includes the HTTP client and JSON parsing;
// - gcMs: the extension host paused for garbage collection, whichever code allocated;
// - the rest: VS Code itself (round trips between the extension host and the workbench page,
//   the workbench's own work), and this benchmark's polling.
import { applyEdits, modify } from 'jsonc-parser';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { RecordedRequest } from '../../emulator/index';
import type { RecordKind } from '../../src/api';
import type { ProdCampExtension } from '../../src/extension';
import type { LoadMoreNode, RecordNode, TreeNode } from '../../src/tree/nodes';
import { emulatorControl, waitFor } from '../integration/support';
import type { FileSystemProbe } from './fileSystemProbe';
import { waitForPageRows } from './pageSync';
import {
  requestLines,
  serverTime,
  type GcRecorder,
  settle,
  Stopwatch,
  timeWhen,
  windowLength,
  type Window,
} from './measure';
import type { ActionName, ActionSample, LoadMoreSample } from './results';
import type { ChildrenCall, TreeProbe } from './treeProbe';

export interface BenchContext {
  api: ProdCampExtension;
  probes: Record<RecordKind, TreeProbe>;
  files: FileSystemProbe;
  gc: GcRecorder;
  /** How long the extension and the emulator must be idle before requests are counted. */
  quietMs: number;
  /** Time limit of each wait for VS Code or the extension. */
  timeoutMs: number;
  log(message: string): void;
}

interface Minimum {
  /** Requests the action needs. */
  requests: number;
  /** Of those, how many must run one after the other. */
  sequential: number;
}

const ONE_REQUEST: Minimum = { requests: 1, sequential: 1 };
const nouns: Record<RecordKind, string> = { account: 'accounts', contact: 'contacts' };

export function countRecords(nodes: readonly TreeNode[] | undefined): number {
  return nodes?.filter((node) => node.type === 'record').length ?? 0;
}

function settleAll(context: BenchContext): Promise<RecordedRequest[]> {
  return settle(Object.values(context.probes), context.quietMs, context.timeoutMs);
}

/** Waits until nothing is going on, empties the request log and starts the clock. */
async function startAction(context: BenchContext): Promise<Stopwatch> {
  await settleAll(context);
  await emulatorControl.clearRequests();
  return new Stopwatch();
}

interface TimeSplit {
  serverMs: number;
  extensionMs: number | undefined;
  gcMs: number;
}

/**
 * Splits `wallMs` into server, extension and garbage collection time. `windows` are the spans
 * in which the extension's code ran, or undefined when they are unknown.
 */
function splitTime(
  context: BenchContext,
  requests: readonly RecordedRequest[],
  watch: Stopwatch,
  wallMs: number,
  windows: readonly Window[] | undefined,
): TimeSplit {
  const wallEnd = watch.startedAt + wallMs;
  const serverMs = serverTime(requests, [[watch.startedAtEpochMs, watch.epochOf(wallEnd)]]);
  const gcMs = context.gc.within([[watch.startedAt, wallEnd]]);
  if (windows === undefined) return { serverMs, extensionMs: undefined, gcMs };
  const inWall = windows.map(
    ([start, end]) => [Math.max(start, watch.startedAt), Math.min(end, wallEnd)] as const,
  );
  const inWallEpoch = inWall.map(
    ([start, end]) => [watch.epochOf(start), watch.epochOf(end)] as const,
  );
  const extensionMs =
    windowLength(inWall) - serverTime(requests, inWallEpoch) - context.gc.within(inWall);
  return { serverMs, extensionMs, gcMs };
}

/** Waits until things are quiet again and builds the sample from the request log. */
async function finishAction(
  context: BenchContext,
  action: ActionName,
  watch: Stopwatch,
  wallMs: number,
  minimum: Minimum,
  extensionWindows: readonly Window[] | undefined,
  details: Record<string, number>,
): Promise<ActionSample> {
  const requests = await settleAll(context);
  return {
    action,
    wallMs,
    ...splitTime(context, requests, watch, wallMs, extensionWindows),
    requests: requests.length,
    minimumRequests: minimum.requests,
    sequentialRequests: minimum.sequential,
    requestLines: requestLines(requests),
    details,
  };
}

const timeOf = <T>(promise: Thenable<T>): Promise<number> =>
  Promise.resolve(promise).then(() => performance.now());

const callWindow = (call: ChildrenCall): Window => [call.startedAt, call.endedAt ?? call.startedAt];

/**
 * Stores the emulator's key with the Set API Token command, which checks it with one request.
 * Its time is not split: the command also waits for VS Code's secret storage.
 */
export async function setToken(context: BenchContext, apiKey: string): Promise<ActionSample> {
  const { connection } = context.api;
  const watch = await startAction(context);
  const stored = await vscode.commands.executeCommand<boolean>('prodcamp.setApiToken', apiKey);
  const commandMs = watch.elapsed();
  if (stored !== true) throw new Error('The Set API Token command rejected the emulator key.');
  const readyAt = await timeWhen(
    () => connection.state.status === 'ready',
    context.timeoutMs,
    'the connection to be ready',
  );
  return finishAction(context, 'setToken', watch, watch.until(readyAt), ONE_REQUEST, undefined, {
    commandMs,
  });
}

/**
 * Runs a view's focus command, as the activity bar or a keybinding would, and waits until VS
 * Code has asked the provider for the root and received the first page. The first call opens
 * the ProdCamp sidebar, which shows both views, so it needs a first page for each.
 */
export async function showView(
  context: BenchContext,
  kind: RecordKind,
  action: ActionName,
  minimum: Minimum,
): Promise<ActionSample> {
  const noun = nouns[kind];
  const watch = await startAction(context);
  const commandDone = timeOf(vscode.commands.executeCommand(`prodcamp.${noun}.focus`));
  const call = await context.probes[kind].waitForChildren(
    watch.startedAt,
    (candidate) => candidate.parent === undefined && countRecords(candidate.result) > 0,
    context.timeoutMs,
    `VS Code to receive the first page of ${noun}`,
  );
  const commandDoneAt = await commandDone;
  const endedAt = call.endedAt ?? performance.now();
  return finishAction(context, action, watch, watch.until(endedAt), minimum, [callWindow(call)], {
    commandMs: watch.until(commandDoneAt),
    vscodeAskedMs: watch.until(call.startedAt),
    records: countRecords(call.result),
  });
}

/**
 * Hides a view and drops its list (not timed), so that showing it again loads its first page
 * as when it is shown for the first time. Needs the sidebar open with both views.
 */
export async function hideAndReset(context: BenchContext, kind: RecordKind): Promise<void> {
  const view = context.api.views[kind];
  await settleAll(context);
  await vscode.commands.executeCommand(`prodcamp.${nouns[kind]}.removeView`);
  await waitFor(() => !view.visible, context.timeoutMs, `the ${nouns[kind]} view to hide`);
  context.api.trees[kind].refresh();
  await settleAll(context);
}

/** Expands an account through TreeView.reveal, as a click on its twistie would. */
export async function expandAccount(
  context: BenchContext,
  account: RecordNode,
): Promise<ActionSample> {
  const watch = await startAction(context);
  const revealDone = timeOf(
    context.api.views.account.reveal(account, { expand: true, select: false, focus: false }),
  );
  const call = await context.probes.account.waitForChildren(
    watch.startedAt,
    (candidate) => candidate.parent === account,
    context.timeoutMs,
    `VS Code to receive the contacts of account ${account.recordId}`,
  );
  const revealDoneAt = await revealDone;
  const endedAt = call.endedAt ?? performance.now();
  return finishAction(
    context,
    'expandAccount',
    watch,
    watch.until(endedAt),
    ONE_REQUEST,
    [callWindow(call)],
    {
      revealMs: watch.until(revealDoneAt),
      vscodeAskedMs: watch.until(call.startedAt),
      children: call.result?.length ?? 0,
    },
  );
}

/**
 * Opens an account's document through its inline Open button, which passes the tree node.
 * The clock stops when the document is open with its text (onDidOpenTextDocument);
 * `editorShownMs` is when the command, which also shows the editor, resolved.
 */
export async function openRecord(
  context: BenchContext,
  account: RecordNode,
): Promise<ActionSample> {
  let openedAt: number | undefined;
  const listener = vscode.workspace.onDidOpenTextDocument((document) => {
    if (document.uri.scheme === 'prodcamp' && document.getText().length > 0) {
      openedAt ??= performance.now();
    }
  });
  const watch = await startAction(context);
  let editor: vscode.TextEditor | undefined;
  try {
    editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(
      'prodcamp.openAccount',
      account,
    );
  } finally {
    listener.dispose();
  }
  const editorShownMs = watch.elapsed();
  if (!editor || editor.document.getText().length === 0) {
    throw new Error(`Opening account ${account.recordId} showed no document.`);
  }
  const wallMs = openedAt === undefined ? editorShownMs : watch.until(openedAt);
  const calls = context.files.callsSince(watch.startedAt);
  const windows = calls.map((call): Window => [call.startedAt, call.endedAt ?? call.startedAt]);
  const sample = await finishAction(context, 'openRecord', watch, wallMs, ONE_REQUEST, windows, {
    editorShownMs,
    vscodeAskedMs: calls.length > 0 ? watch.until(calls[0].startedAt) : Number.NaN,
    providerCalls: calls.length,
  });
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  return sample;
}

/**
 * Renames an account in its open document through an editor edit and saves it. The clock
 * stops when save() resolves. `syncedMs` is when the document shows the stored record and is
 * clean again, because the extension writes the server's lastEditDate back into it.
 */
export async function saveRecord(
  context: BenchContext,
  account: RecordNode,
  index: number,
): Promise<ActionSample> {
  const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(
    'prodcamp.openAccount',
    account,
  );
  if (!editor) throw new Error(`Opening account ${account.recordId} showed no document.`);
  const { document } = editor;
  await settleAll(context);
  const text = document.getText();
  const name = (JSON.parse(text) as { accountName?: unknown }).accountName;
  const edits = modify(text, ['accountName'], `${String(name)} (bench ${index})`, {
    formattingOptions: { insertSpaces: true, tabSize: 2 },
  });
  const edited = applyEdits(text, edits);
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(text.length));
  if (!(await editor.edit((builder) => builder.replace(whole, edited)))) {
    throw new Error(`The edit of account ${account.recordId} was not applied.`);
  }

  const watch = await startAction(context);
  const saved = await document.save();
  const wallMs = watch.elapsed();
  if (!saved) throw new Error(`Saving account ${account.recordId} failed.`);
  const syncedAt = await timeWhen(
    () => !document.isDirty && document.getText() !== edited,
    context.timeoutMs,
    `the document of account ${account.recordId} to show the stored record`,
  );
  const write = context.files
    .callsSince(watch.startedAt)
    .find((call) => call.method === 'writeFile');
  const sample = await finishAction(
    context,
    'saveRecord',
    watch,
    wallMs,
    { requests: 2, sequential: 2 },
    write ? [[write.startedAt, write.endedAt ?? write.startedAt]] : undefined,
    {
      syncedMs: watch.until(syncedAt),
      vscodeAskedMs: write ? watch.until(write.startedAt) : Number.NaN,
      writeFileEndMs: write?.endedAt === undefined ? Number.NaN : watch.until(write.endedAt),
    },
  );
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  return sample;
}

/** Returns the Load more node of the latest root list that VS Code received, or undefined. */
function currentLoadMoreNode(probe: TreeProbe): LoadMoreNode | undefined {
  const node = probe.latestResult(undefined)?.find((candidate) => candidate.type === 'loadMore');
  return node?.type === 'loadMore' ? node : undefined;
}

/**
 * Clicks "Load more" once: scrolls it into view first (not timed), then runs its command with
 * the node, as the tree item does, and waits until VS Code has received the longer list.
 * Returns undefined when the list has no Load more item.
 */
export async function loadMore(context: BenchContext): Promise<LoadMoreSample | undefined> {
  const tree = context.api.trees.account;
  const probe = context.probes.account;
  const node = currentLoadMoreNode(probe);
  if (!node) return undefined;
  await context.api.views.account.reveal(node, { select: false, focus: false });

  const before = tree.loaded.length;
  const watch = await startAction(context);
  const cpuAtStart = process.cpuUsage();
  const commandDone = Promise.resolve(
    vscode.commands.executeCommand('prodcamp.loadMore', node),
  ).then(() => ({ at: performance.now(), cpu: process.cpuUsage(cpuAtStart) }));
  const call = await probe.waitForChildren(
    watch.startedAt,
    (candidate) => candidate.parent === undefined && countRecords(candidate.result) > before,
    context.timeoutMs,
    `VS Code to receive more than ${before} accounts`,
  );
  const { at: commandDoneAt, cpu } = await commandDone;
  const endedAt = call.endedAt ?? performance.now();

  const requests = await settleAll(context);
  // The page may draw a long list for seconds after the extension host is done. Waiting for it
  // keeps that work out of the next sample.
  const drawn = await waitForPageRows(tree.loaded.length + 1, context.timeoutMs);
  if (!drawn) context.log(`the page did not show ${tree.loaded.length + 1} rows in time`);
  await settleAll(context);

  const items = call.itemsAfter ?? { calls: 0, totalMs: 0, lastEndedAt: undefined };
  const wallMs = watch.until(endedAt);
  const { serverMs, extensionMs, gcMs } = splitTime(context, requests, watch, wallMs, [
    [watch.startedAt, commandDoneAt],
    callWindow(call),
  ]);
  return {
    loadedBefore: before,
    loadedAfter: tree.loaded.length,
    startedAtEpochMs: watch.startedAtEpochMs,
    commandMs: watch.until(commandDoneAt),
    commandCpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    treeItemsDoneMs: watch.until(items.lastEndedAt ?? endedAt),
    serverMs,
    extensionMs: extensionMs ?? 0,
    gcMs,
    requests: requests.length,
    requestLines: requestLines(requests),
    getChildrenMs: endedAt - call.startedAt,
    treeItemCalls: items.calls,
    treeItemMs: items.totalMs,
  };
}

/** Runs the Search Accounts command with `term` and waits until VS Code has the new list. */
export async function search(context: BenchContext, term: string): Promise<ActionSample> {
  const watch = await startAction(context);
  const commandDone = timeOf(vscode.commands.executeCommand('prodcamp.accounts.search', term));
  const call = await context.probes.account.waitForChildren(
    watch.startedAt,
    (candidate) => candidate.parent === undefined && (candidate.result?.length ?? 0) > 0,
    context.timeoutMs,
    `VS Code to receive the accounts matching "${term}"`,
  );
  const commandDoneAt = await commandDone;
  const endedAt = call.endedAt ?? performance.now();
  return finishAction(
    context,
    'search',
    watch,
    watch.until(endedAt),
    ONE_REQUEST,
    [[watch.startedAt, commandDoneAt], callWindow(call)],
    {
      commandMs: watch.until(commandDoneAt),
      vscodeAskedMs: watch.until(call.startedAt),
      records: countRecords(call.result),
    },
  );
}

/** Clears the accounts search (not timed) and waits until VS Code has the full list again. */
export async function clearSearch(context: BenchContext): Promise<void> {
  await settleAll(context);
  const since = performance.now();
  await vscode.commands.executeCommand('prodcamp.accounts.clearSearch');
  await context.probes.account.waitForChildren(
    since,
    (candidate) => candidate.parent === undefined && countRecords(candidate.result) > 0,
    context.timeoutMs,
    'VS Code to receive the accounts without a search',
  );
}
