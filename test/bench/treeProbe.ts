// Records the calls that VS Code's tree view makes into a RecordTreeProvider, so the benchmark
// can tell when the view asked for and received the nodes an action produced, and how long the
// extension's own getChildren and getTreeItem took.
import { performance } from 'node:perf_hooks';
import type * as vscode from 'vscode';
import type { TreeNode } from '../../src/tree/nodes';
import type { RecordTreeProvider } from '../../src/tree/recordTree';

/** A series of getTreeItem calls. */
export interface TreeItemStats {
  calls: number;
  /** Sum of the time spent inside getTreeItem, in ms. */
  totalMs: number;
  /** performance.now() when the last of these calls returned, or undefined without calls. */
  lastEndedAt: number | undefined;
}

/** One getChildren call, with times from performance.now(). */
export interface ChildrenCall {
  parent: TreeNode | undefined;
  startedAt: number;
  endedAt?: number;
  result?: TreeNode[];
  /**
   * For a call for the root: the getTreeItem calls made after it resolved and before the next
   * call for the root resolved, which is how VS Code turns the list into rows.
   */
  itemsAfter?: TreeItemStats;
}

/**
 * Calls kept for waits and lookups. Older ones are dropped, because each keeps its result
 * array, which holds up to one reference per loaded record and would inflate the memory figures.
 */
const KEPT_CALLS = 20;

interface Waiter {
  since: number;
  matches: (call: ChildrenCall) => boolean;
  resolve: (call: ChildrenCall) => void;
  timer: NodeJS.Timeout;
}

/**
 * Wraps getChildren and getTreeItem on one provider instance. VS Code's tree view looks the
 * methods up on the provider at every call, so the wrappers see the calls it makes, and so do
 * direct calls from the benchmark (which it avoids while measuring).
 */
export class TreeProbe implements vscode.Disposable {
  private readonly childrenCalls: ChildrenCall[] = [];
  private currentItems: TreeItemStats = { calls: 0, totalMs: 0, lastEndedAt: undefined };
  private readonly waiters = new Set<Waiter>();
  private lastActivityAt = performance.now();
  private readonly restore: () => void;

  constructor(provider: RecordTreeProvider) {
    // Own properties shadow the prototype methods; deleting them restores the originals.
    const target = provider as unknown as Record<string, unknown>;
    const getChildren = provider.getChildren.bind(provider);
    const getTreeItem = provider.getTreeItem.bind(provider);
    target.getChildren = async (parent?: TreeNode): Promise<TreeNode[]> => {
      const call: ChildrenCall = { parent, startedAt: performance.now() };
      this.childrenCalls.push(call);
      if (this.childrenCalls.length > KEPT_CALLS) this.childrenCalls.shift();
      this.lastActivityAt = call.startedAt;
      const result = await getChildren(parent);
      call.endedAt = performance.now();
      call.result = result;
      if (parent === undefined) {
        this.currentItems = { calls: 0, totalMs: 0, lastEndedAt: undefined };
        call.itemsAfter = this.currentItems;
      }
      this.lastActivityAt = call.endedAt;
      this.notify(call);
      return result;
    };
    target.getTreeItem = (node: TreeNode): vscode.TreeItem => {
      const started = performance.now();
      const item = getTreeItem(node);
      const endedAt = performance.now();
      this.currentItems.calls++;
      this.currentItems.totalMs += endedAt - started;
      this.currentItems.lastEndedAt = endedAt;
      this.lastActivityAt = endedAt;
      return item;
    };
    this.restore = () => {
      delete target.getChildren;
      delete target.getTreeItem;
    };
  }

  /** performance.now() of the latest call into the provider, started or finished. */
  get lastActivity(): number {
    return this.lastActivityAt;
  }

  /**
   * Resolves with the first getChildren call that started at or after `since` (a
   * performance.now() time) and resolved with a result that `matches` accepts.
   * Rejects after `timeoutMs`.
   */
  waitForChildren(
    since: number,
    matches: (call: ChildrenCall) => boolean,
    timeoutMs: number,
    description: string,
  ): Promise<ChildrenCall> {
    const done = this.childrenCalls.find(
      (call) => call.startedAt >= since && call.endedAt !== undefined && matches(call),
    );
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        since,
        matches,
        resolve: (call) => {
          clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          resolve(call);
        },
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Returns the result of the latest resolved getChildren call for `parent`. */
  latestResult(parent: TreeNode | undefined): TreeNode[] | undefined {
    for (let index = this.childrenCalls.length - 1; index >= 0; index--) {
      const call = this.childrenCalls[index];
      if (call.parent === parent && call.result) return call.result;
    }
    return undefined;
  }

  private notify(call: ChildrenCall): void {
    for (const waiter of [...this.waiters]) {
      if (call.startedAt >= waiter.since && waiter.matches(call)) waiter.resolve(call);
    }
  }

  /** Restores the provider's own methods. Pending waits still end by their time limit. */
  dispose(): void {
    this.restore();
  }
}
