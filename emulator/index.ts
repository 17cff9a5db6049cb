// Stateful local emulator of the ProdCamp Customers API for tests, benchmarks and demos.
//
// The server listens on 127.0.0.1 only. API requests need the key as query parameter `apiKey`.
// Routes under /__emulator/ control the emulator from another process: see control.ts.
import { randomBytes } from 'node:crypto';
import type { Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PagingQuirk } from './api';
import { PAGING_QUIRKS } from './api';
import type { FaultSpec } from './faults';
import { FaultRegistry } from './faults';
import type { SeedOptions } from './seed';
import type { EmulatorState, RecordedRequest, RuntimeSettings } from './server';
import { createRequestHandler } from './server';
import { Store } from './store';

export type { PagingQuirk } from './api';
export { PAGING_QUIRKS } from './api';
export type { FaultSpec } from './faults';
export type { JsonObject, JsonValue } from './json';
export { SEED_EDGE_CASES } from './seed';
export type { RecordedRequest } from './server';
export { Store } from './store';

export interface EmulatorOptions {
  /** TCP port on 127.0.0.1. The default 0 picks a free port. */
  port?: number;
  /** API key that requests must send. The default is 'pc_test_' and 24 random hex digits. */
  apiKey?: string;
  /** Number of seeded accounts, 0 for an empty workspace. Default 2000. */
  accounts?: number;
  /** Maximum seeded contacts per account. Default 40, or 4 when accounts > 20000. */
  maxContactsPerAccount?: number;
  /** PRNG seed. The same seed gives identical data. Default 1. */
  seed?: number;
  /** Maximum page size. Larger PageSize values are capped silently. Default 100. */
  maxPageSize?: number;
  /** Page size when a request has no PageSize. Default 25. */
  defaultPageSize?: number;
  /** Delay added to every API request, in ms. Default 0. */
  latencyMs?: number;
  /**
   * When true, a POST or PUT body containing id, createdDate, lastEditDate, an account's
   * contacts or a contact's account gets 400 naming the field. Default false.
   */
  strictReadOnly?: boolean;
  /** Paging behaviour of a real server to imitate; see PAGING_QUIRKS. Default 'none'. */
  pagingQuirk?: PagingQuirk;
  /**
   * Receives one line per API request (method, path, status, time; never the key) and one per
   * internal error. By default only internal errors are written, to stderr.
   */
  log?: (line: string) => void;
}

export interface Emulator {
  /** Base URL, 'http://127.0.0.1:PORT'. */
  readonly url: string;
  readonly apiKey: string;
  /** The records, for direct reads and writes from tests in the same process. */
  readonly store: Store;
  /** API requests in arrival order. Control routes are not recorded. */
  requests: RecordedRequest[];
  /**
   * Injects a fault into matching API requests, before the key check. `route` is
   * 'METHOD /path' where the method may be '*' and path segments may be ':name' placeholders,
   * or '* *' for all requests. Setting the same route again replaces its fault.
   */
  setFault(route: string, fault: FaultSpec): void;
  clearFaults(): void;
  /** Reseeds the store and clears faults, the request log and run-time option changes. */
  reset(): void;
  /** Stops the server, ending held and delayed requests. */
  close(): Promise<void>;
}

interface ResolvedOptions {
  port: number;
  apiKey: string;
  seed: SeedOptions;
  settings: RuntimeSettings;
  log: (line: string) => void;
}

/** Default log: internal errors go to stderr, request lines are dropped. */
function logInternalErrors(line: string): void {
  if (line.startsWith('Internal error')) console.error(line);
}

function checkInteger(name: string, value: number | undefined, fallback: number, minimum: number) {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(
      `Invalid emulator option ${name}: ${value}. Expected an integer >= ${minimum}.`,
    );
  }
  return value;
}

function checkPagingQuirk(value: string | undefined): PagingQuirk {
  if (value === undefined) return 'none';
  const quirk = PAGING_QUIRKS.find((name) => name === value);
  if (quirk === undefined) {
    throw new RangeError(
      `Invalid emulator option pagingQuirk: '${value}'. Expected one of ${PAGING_QUIRKS.join(', ')}.`,
    );
  }
  return quirk;
}

function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const port = checkInteger('port', options.port, 0, 0);
  if (port > 65535)
    throw new RangeError(`Invalid emulator option port: ${port}. Expected 0-65535.`);
  const accounts = checkInteger('accounts', options.accounts, 2000, 0);
  const apiKey = options.apiKey ?? `pc_test_${randomBytes(12).toString('hex')}`;
  if (apiKey === '' || /\s/.test(apiKey)) {
    throw new RangeError(
      'Invalid emulator option apiKey: it must be non-empty and contain no spaces.',
    );
  }
  return {
    port,
    apiKey,
    seed: {
      accounts,
      maxContactsPerAccount: checkInteger(
        'maxContactsPerAccount',
        options.maxContactsPerAccount,
        accounts > 20_000 ? 4 : 40,
        0,
      ),
      seed: checkInteger('seed', options.seed, 1, Number.MIN_SAFE_INTEGER),
    },
    settings: {
      latencyMs: checkInteger('latencyMs', options.latencyMs, 0, 0),
      maxPageSize: checkInteger('maxPageSize', options.maxPageSize, 100, 1),
      defaultPageSize: checkInteger('defaultPageSize', options.defaultPageSize, 25, 1),
      strictReadOnly: options.strictReadOnly ?? false,
      pagingQuirk: checkPagingQuirk(options.pagingQuirk),
    },
    log: options.log ?? logInternalErrors,
  };
}

class LocalEmulator implements Emulator {
  requests: RecordedRequest[] = [];
  readonly store: Store;
  private readonly faults = new FaultRegistry();
  private readonly settings: RuntimeSettings;
  private readonly closeController = new AbortController();
  private readonly hanging = new Set<ServerResponse>();
  private readonly server: Server;
  private address = '';
  private closing: Promise<void> | undefined;

  constructor(private readonly options: ResolvedOptions) {
    this.store = new Store(options.seed);
    this.settings = { ...options.settings };
    const state: EmulatorState = {
      apiKey: options.apiKey,
      store: this.store,
      faults: this.faults,
      settings: this.settings,
      closed: this.closeController.signal,
      hanging: this.hanging,
      requestLog: () => this.requests,
      clearRequestLog: () => this.requests.splice(0),
      reset: () => this.reset(),
      log: options.log,
    };
    this.server = createServer(createRequestHandler(state));
  }

  get url(): string {
    return this.address;
  }

  get apiKey(): string {
    return this.options.apiKey;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        const { port } = this.server.address() as AddressInfo;
        this.address = `http://127.0.0.1:${port}`;
        resolve();
      });
    });
  }

  setFault(route: string, fault: FaultSpec): void {
    this.faults.set(route, fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  reset(): void {
    this.store.reseed(this.options.seed);
    this.faults.clear();
    this.requests.splice(0);
    Object.assign(this.settings, this.options.settings);
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.closeController.abort();
      for (const response of this.hanging) response.socket?.destroy();
      this.hanging.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }
}

/** Seeds the store and starts the emulator on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new LocalEmulator(resolveOptions(options));
  await emulator.listen();
  return emulator;
}
