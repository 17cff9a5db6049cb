// Request handling: control routes, the request log, injected faults, the API key check and
// dispatch to the Customers API.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { ApiSettings } from './api';
import { handleCustomersRequest } from './api';
import { handleControlRequest } from './control';
import type { FaultRegistry, FaultSpec } from './faults';
import type { BodyReadResult, OutgoingResponse } from './http';
import { readBody, writeResponse } from './http';
import { problemDetails, validationProblem } from './problems';
import type { Store } from './store';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Query parameters (first value of each) with the apiKey value replaced by '***'. */
  query: Record<string, string>;
  /** Response status, or 0 while pending and for requests that were reset or held open. */
  status: number;
  /** Request body as UTF-8 text, when the request had one. */
  body?: string;
  /** Time the request arrived, in ms since the Unix epoch. */
  startedAt: number;
  /** Time from arrival until the response was written, in ms. */
  durationMs: number;
}

export interface RuntimeSettings extends ApiSettings {
  /** Delay added to every API request, in ms. */
  latencyMs: number;
}

/** State of the emulator that the request handler reads and changes. */
export interface EmulatorState {
  readonly apiKey: string;
  readonly store: Store;
  readonly faults: FaultRegistry;
  readonly settings: RuntimeSettings;
  /** Signal that aborts when the emulator closes, which ends pending delays. */
  readonly closed: AbortSignal;
  /** Responses held open by `hang` faults, ended on close. */
  readonly hanging: Set<ServerResponse>;
  /** Returns the current request log, which callers may replace or empty. */
  requestLog(): RecordedRequest[];
  clearRequestLog(): void;
  reset(): void;
  /** Receives one line per API request and one per internal error. */
  log(line: string): void;
}

export const CONTROL_PREFIX = '/__emulator/';
const API_KEY_PARAMETER = 'apikey';
const UNAUTHORIZED_BODY = { message: 'Invalid or missing API key.' };

/** Returns the handler for the emulator's node:http server. */
export function createRequestHandler(state: EmulatorState) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    handleRequest(state, request, response).catch((error: unknown) => {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      state.log(`Internal error handling ${request.method} ${pathOf(request)}: ${detail}`);
      writeResponse(response, { status: 500, body: problemDetails(500) });
    });
  };
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
}

async function handleRequest(
  state: EmulatorState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const method = (request.method ?? 'GET').toUpperCase();
  if (url.pathname.startsWith(CONTROL_PREFIX) || url.pathname === CONTROL_PREFIX.slice(0, -1)) {
    const body = await readBody(request);
    writeResponse(response, handleControlRequest(state, method, url.pathname, body));
    return;
  }

  const entry: RecordedRequest = {
    method,
    path: url.pathname,
    query: redactQuery(url.searchParams),
    status: 0,
    startedAt: Date.now(),
    durationMs: 0,
  };
  state.requestLog().push(entry);
  const body = await readBody(request);
  if (body.kind === 'text' || body.kind === 'invalidUtf8') entry.body = body.text;

  const send = (outgoing: OutgoingResponse) => {
    entry.status = outgoing.status;
    entry.durationMs = Date.now() - entry.startedAt;
    writeResponse(response, outgoing);
    state.log(`${method} ${url.pathname} -> ${outgoing.status} in ${entry.durationMs} ms`);
  };

  const fault = state.faults.take(method, url.pathname);
  await delay(state.settings.latencyMs + (fault?.latencyMs ?? 0), state.closed);
  if (state.closed.aborted) {
    request.socket.destroy();
    return;
  }
  if (fault?.reset) {
    entry.durationMs = Date.now() - entry.startedAt;
    request.socket.destroy();
    state.log(`${method} ${url.pathname} -> connection reset by fault`);
    return;
  }
  if (fault?.hang) {
    state.hanging.add(response);
    response.on('close', () => state.hanging.delete(response));
    state.log(`${method} ${url.pathname} -> held open by fault`);
    return;
  }
  const injected =
    fault &&
    buildFaultResponse(fault, {
      method,
      url: request.url,
      headers: request.headers,
      body: entry.body,
    });
  if (injected) return send(injected);

  const key = findParameter(url.searchParams, API_KEY_PARAMETER);
  if (key !== state.apiKey) return send({ status: 401, body: UNAUTHORIZED_BODY });
  send(apiResponse(state, method, url, request, body));
}

function apiResponse(
  state: EmulatorState,
  method: string,
  url: URL,
  request: IncomingMessage,
  body: BodyReadResult,
): OutgoingResponse {
  if (body.kind === 'tooLarge') {
    return { status: 413, body: problemDetails(413, 'The request body is larger than 10 MB.') };
  }
  if (body.kind === 'invalidUtf8') {
    return {
      status: 400,
      body: validationProblem({ $: ['The request body is not valid UTF-8.'] }),
    };
  }
  return handleCustomersRequest(state.store, state.settings, {
    method,
    pathname: url.pathname,
    params: url.searchParams,
    contentType: request.headers['content-type'],
    body: body.kind === 'text' ? body.text : undefined,
  });
}

function findParameter(params: URLSearchParams, lowerCaseName: string): string | undefined {
  for (const [name, value] of params) {
    if (name.toLowerCase() === lowerCaseName) return value;
  }
  return undefined;
}

function redactQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of params) {
    if (Object.hasOwn(query, name)) continue;
    query[name] = name.toLowerCase() === API_KEY_PARAMETER ? '***' : value;
  }
  return query;
}

/** Waits `ms`, or less when `signal` aborts first. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** The parts of a request that an `echoRequest` fault sends back. */
interface EchoedRequest {
  method: string;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string | undefined;
}

/**
 * Builds the response of a fault that sets a status, body, HTML page, echo or Retry-After.
 * Returns undefined for a fault that only adds latency. The default status is 502 for HTML,
 * 429 with Retry-After alone, and 500 otherwise.
 */
function buildFaultResponse(fault: FaultSpec, echoed: EchoedRequest): OutgoingResponse | undefined {
  const { status, body, html, retryAfter, echoRequest } = fault;
  if (
    status === undefined &&
    body === undefined &&
    !html &&
    !echoRequest &&
    retryAfter === undefined
  ) {
    return undefined;
  }
  let effectiveStatus = status ?? 500;
  if (status === undefined) {
    if (html) effectiveStatus = 502;
    else if (retryAfter !== undefined && !echoRequest) effectiveStatus = 429;
  }

  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
  if (fault.contentType !== undefined) headers['Content-Type'] = fault.contentType;

  if (html) {
    headers['Content-Type'] ??= 'text/html; charset=utf-8';
    return { status: effectiveStatus, headers, body: body ?? htmlPage(effectiveStatus) };
  }
  if (body !== undefined) {
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
    return { status: effectiveStatus, headers, body };
  }
  if (echoRequest) {
    const message = `Request failed with HTTP ${effectiveStatus}. The request was:`;
    return { status: effectiveStatus, headers, body: { message, request: echoed } };
  }
  const detail = `Fault injected by the ProdCamp emulator (HTTP ${effectiveStatus}).`;
  return { status: effectiveStatus, headers, body: problemDetails(effectiveStatus, detail) };
}

/**
 * Returns an HTML page like those that proxies and single sign-on gateways send: a sign-in page
 * for 2xx statuses, otherwise a "Bad gateway" error page.
 */
export function htmlPage(status: number): string {
  if (status >= 200 && status < 300) {
    return (
      '<!DOCTYPE html><html><head><title>Sign in</title></head><body>' +
      '<h1>Sign in to continue</h1><form method="post" action="/login">' +
      '<input name="username"><input name="password" type="password">' +
      '<button type="submit">Sign in</button></form></body></html>'
    );
  }
  const reason = STATUS_CODES[status] ?? 'Error';
  return (
    `<!DOCTYPE html><html><head><title>${status} ${reason}</title></head><body>` +
    `<h1>${status} ${reason}</h1><p>Bad gateway: the proxy in front of the API could not ` +
    'get a valid response.</p><hr><center>nginx</center></body></html>'
  );
}
