// Shapes of the JSON file that the benchmark entry writes for scripts/bench.mjs. Times are in
// milliseconds, sizes in bytes.

/** The user actions that the benchmark times, in the order it runs them. */
export type ActionName =
  | 'setToken'
  | 'openSidebar'
  | 'showAccounts'
  | 'expandAccount'
  | 'openRecord'
  | 'saveRecord'
  | 'loadMore'
  | 'search'
  | 'showContacts';

/** One timed run of a user action. */
export interface ActionSample {
  action: ActionName;
  /** From the start of the action until its result was visible to the extension's API. */
  wallMs: number;
  /** Time during the action in which at least one API request was in the emulator. */
  serverMs: number;
  /**
   * Time in which the extension's code ran (its command, or provider calls that VS Code made)
   * and no request was in the emulator. Undefined where the benchmark cannot tell it apart.
   */
  extensionMs: number | undefined;
  /** Garbage collection pauses of the extension host during the action. */
  gcMs: number;
  /** API requests that the emulator received during the action and until things went quiet. */
  requests: number;
  /** The minimum number of requests the action needs: one per page or record, plus a save's conflict check. */
  minimumRequests: number;
  /** Requests of that minimum that must run one after the other. The time target is based on this number. */
  sequentialRequests: number;
  /** "METHOD path" of each request, to explain a count above the minimum. */
  requestLines: string[];
  /** Parts of the wall time, such as `commandMs` or `vscodeAskedMs`; see test/bench/actions.ts. */
  details: Record<string, number>;
}

/** One "Load more" while the list grows. */
export interface LoadMoreSample {
  loadedBefore: number;
  loadedAfter: number;
  /** Date.now() when the command started, to match the page's rendering log. */
  startedAtEpochMs: number;
  /** Until the loadMore command resolved. */
  commandMs: number;
  /**
   * CPU time of the whole extension host process (all its threads) while the command ran. It
   * grows with the work done, not with waiting for a CPU on a busy machine.
   */
  commandCpuMs: number;
  /** Until VS Code's getChildren call for the root resolved with the new records. */
  wallMs: number;
  /** Until VS Code's last getTreeItem call for the refreshed list returned. */
  treeItemsDoneMs: number;
  serverMs: number;
  /** As in ActionSample: the command and the getChildren call, without getTreeItem. */
  extensionMs: number;
  gcMs: number;
  requests: number;
  requestLines: string[];
  /** Duration of the getChildren call that returned the grown list. */
  getChildrenMs: number;
  treeItemCalls: number;
  /** Sum of the time spent inside getTreeItem for the refreshed list. */
  treeItemMs: number;
}

/** process.memoryUsage() of the extension host at one point. */
export interface MemorySample {
  label: string;
  accountsLoaded: number;
  heapUsed: number;
  rss: number;
  external: number;
  /** Whether a full garbage collection ran right before the reading. */
  afterGc: boolean;
}

export interface ActivationResult {
  /** Time of `extension.activate()` from the benchmark entry: loading the bundle and activate(). */
  activateMs: number;
  /** Whether the extension was already active before the benchmark activated it (then activateMs is void). */
  wasActive: boolean;
}

export interface BenchResult {
  activation: ActivationResult;
  actions: ActionSample[];
  loadMore: LoadMoreSample[];
  memory: MemorySample[];
  /** Observations that explain unexpected figures, such as a list that ended before the target size. */
  notes: string[];
}
