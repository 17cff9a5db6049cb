// Records the calls that VS Code makes into the extension's FileSystemProvider (stat,
// readFile, writeFile), so the benchmark can split the time of opening and saving a record
// into VS Code's part and the provider's part.
import { performance } from 'node:perf_hooks';
import type * as vscode from 'vscode';
import type { RecordFileSystem } from '../../src/documents/recordFileSystem';

const PROBED_METHODS = ['stat', 'readFile', 'writeFile'] as const;
type ProbedMethod = (typeof PROBED_METHODS)[number];

/** One provider call, with times from performance.now(). */
export interface FileSystemCall {
  method: ProbedMethod;
  uri: string;
  startedAt: number;
  endedAt?: number;
}

const KEPT_CALLS = 100;

/**
 * Wraps the provider's methods on its instance. VS Code's extension host looks them up on the
 * registered provider at every call, so the wrappers see the calls VS Code makes.
 */
export class FileSystemProbe implements vscode.Disposable {
  private readonly recorded: FileSystemCall[] = [];
  private readonly restore: () => void;

  constructor(fileSystem: RecordFileSystem) {
    const target = fileSystem as unknown as Record<ProbedMethod, (...args: unknown[]) => unknown>;
    for (const method of PROBED_METHODS) {
      const original = target[method].bind(fileSystem);
      target[method] = async (...args: unknown[]) => {
        const call: FileSystemCall = {
          method,
          uri: String(args[0]),
          startedAt: performance.now(),
        };
        this.recorded.push(call);
        if (this.recorded.length > KEPT_CALLS) this.recorded.shift();
        try {
          return await original(...args);
        } finally {
          call.endedAt = performance.now();
        }
      };
    }
    this.restore = () => {
      for (const method of PROBED_METHODS) delete (target as Partial<typeof target>)[method];
    };
  }

  /** Returns the calls that started at or after `since` (a performance.now() time), oldest first. */
  callsSince(since: number): FileSystemCall[] {
    return this.recorded.filter((call) => call.startedAt >= since);
  }

  dispose(): void {
    this.restore();
  }
}
