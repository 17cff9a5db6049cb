// Timing helpers of the benchmark entry: stopwatches, the emulator's request log, server
// time, and waiting until the extension and the emulator have gone quiet.
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import type { RecordedRequest } from '../../emulator/index';
import { emulatorControl, waitFor } from '../integration/support';
import type { MemorySample } from './results';
import type { TreeProbe } from './treeProbe';

const POLL_INTERVAL_MS = 10;

/** A start time on both clocks: performance.now() for durations, Date.now() for the emulator's log. */
export class Stopwatch {
  readonly startedAt = performance.now();
  readonly startedAtEpochMs = Date.now();

  /** Milliseconds since the start. */
  elapsed(): number {
    return performance.now() - this.startedAt;
  }

  /** Milliseconds from the start to a performance.now() time. */
  until(time: number): number {
    return time - this.startedAt;
  }

  /** Converts a performance.now() time to a Date.now() time. */
  epochOf(time: number): number {
    return this.startedAtEpochMs + (time - this.startedAt);
  }
}

/** A span of time [start, end] on one clock. */
export type Window = readonly [start: number, end: number];

/** Sorts spans and merges the ones that overlap. */
export function mergeWindows(windows: readonly Window[]): Window[] {
  const sorted = windows.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Total length of the spans, counting overlaps once. */
export function windowLength(windows: readonly Window[]): number {
  return mergeWindows(windows).reduce((sum, [start, end]) => sum + (end - start), 0);
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * Returns the time in which at least one of `requests` was in the emulator, in ms, counting
 * only what falls inside `windows` (Date.now() spans). The emulator adds its latency inside
 * each request's [arrival, response] interval.
 */
export function serverTime(
  requests: readonly RecordedRequest[],
  windows: readonly Window[],
): number {
  const clipped: Window[] = [];
  for (const [windowStart, windowEnd] of mergeWindows(windows)) {
    for (const request of requests) {
      const start = Math.max(request.startedAt, windowStart);
      const end = Math.min(request.startedAt + request.durationMs, windowEnd);
      if (end > start) clipped.push([start, end]);
    }
  }
  return windowLength(clipped);
}

/** Garbage collection pauses kept; older ones are dropped. */
const KEPT_PAUSES = 2000;

/**
 * Records the extension host's garbage collection pauses as performance.now() spans, so a
 * sample can report the time in which the whole host was paused.
 */
export class GcRecorder {
  private readonly pauses: Window[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.pauses.push([entry.startTime, entry.startTime + entry.duration]);
    }
    if (this.pauses.length > KEPT_PAUSES) this.pauses.splice(0, this.pauses.length - KEPT_PAUSES);
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Total pause time inside `windows` (performance.now() spans). */
  within(windows: readonly Window[]): number {
    const clipped: Window[] = [];
    for (const [windowStart, windowEnd] of mergeWindows(windows)) {
      for (const [start, end] of this.pauses) {
        const from = Math.max(start, windowStart);
        const to = Math.min(end, windowEnd);
        if (to > from) clipped.push([from, to]);
      }
    }
    return windowLength(clipped);
  }

  dispose(): void {
    this.observer.disconnect();
  }
}

/** Formats recorded requests as "METHOD path". */
export function requestLines(requests: readonly RecordedRequest[]): string[] {
  return requests.map((request) => `${request.method} ${request.path}`);
}

/**
 * Waits until no API request is pending in the emulator and the probed providers have not
 * been called for `quietMs`, so requests that an action causes late are still counted.
 * Returns the emulator's request log at that point.
 */
export async function settle(
  probes: readonly TreeProbe[],
  quietMs: number,
  timeoutMs = 30_000,
): Promise<RecordedRequest[]> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const lastActivity = Math.max(...probes.map((probe) => probe.lastActivity));
    const quietFor = performance.now() - lastActivity;
    if (quietFor >= quietMs) {
      const requests = await emulatorControl.requests();
      const pending = requests.some((request) => request.status === 0);
      const stillQuiet = Math.max(...probes.map((probe) => probe.lastActivity)) === lastActivity;
      if (!pending && stillQuiet) return requests;
    }
    if (performance.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for the extension and the emulator to go quiet.`,
      );
    }
    await sleep(Math.max(POLL_INTERVAL_MS, quietMs - quietFor));
  }
}

/** Polls `predicate` every 10 ms and returns the performance.now() time at which it held. */
export async function timeWhen(
  predicate: () => boolean,
  timeoutMs: number,
  description: string,
): Promise<number> {
  let holdsAt = 0;
  await waitFor(
    () => {
      if (!predicate()) return false;
      holdsAt = performance.now();
      return true;
    },
    timeoutMs,
    description,
  );
  return holdsAt;
}

let collectGarbage: (() => void) | undefined | null = null;

/**
 * Returns a function that runs a full garbage collection, or undefined when V8 refuses. The
 * extension host starts without --expose-gc, so this turns the flag on at run time and takes
 * `gc` from a new context, which V8 creates with the flag in effect.
 */
function garbageCollector(): (() => void) | undefined {
  if (collectGarbage !== null) return collectGarbage;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    collectGarbage = typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    collectGarbage = undefined;
  }
  return collectGarbage;
}

/** Reads process.memoryUsage() after two full garbage collections when they are available. */
export async function measureMemory(label: string, accountsLoaded: number): Promise<MemorySample> {
  const gc = garbageCollector();
  if (gc) {
    gc();
    // Let finalizers and weak callbacks run, then collect what they released.
    await sleep(50);
    gc();
  }
  const usage = process.memoryUsage();
  return {
    label,
    accountsLoaded,
    heapUsed: usage.heapUsed,
    rss: usage.rss,
    external: usage.external,
    afterGc: gc !== undefined,
  };
}
