import fetch, { type RequestInit, type Response } from 'node-fetch';
import { parseBaseUrl, defaultBaseUrl } from './baseUrl';
import { ApiError, kindForStatus, type ApiErrorDetails } from './errors';
import {
  isJsonObject,
  isLosslessNumber,
  parseJson,
  stringifyJson,
  type JsonObject,
  type JsonValue,
} from './json';
import type { Account, Contact, ListQuery, Page, RecordId, RecordKind } from './models';
import { redact, registerSecret } from './redact';

/** The log the client writes to. VS Code's `LogOutputChannel` fits this shape. */
export interface ApiLogger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

/** Bounds on automatic retries of 429 and 503 responses. POST is never retried. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** No retry starts later than this many milliseconds after the first attempt began. */
  maxTotalMs: number;
  /** The maximum wait between two attempts; a longer `Retry-After` ends the retries. */
  maxDelayMs: number;
  /** The first wait when the server sends no `Retry-After`; it doubles on each retry. */
  baseDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  maxTotalMs: 20_000,
  maxDelayMs: 10_000,
  baseDelayMs: 500,
};

/** One finished HTTP exchange, reported to `onResponse` for counting and tests. */
export interface ExchangeInfo {
  method: string;
  /** Path and query without the API key. */
  path: string;
  status: number | undefined;
  durationMs: number;
  attempt: number;
}

export interface ClientOptions {
  /** Defaults to the hosted service. HTTPS is required unless the host is loopback. */
  baseUrl?: string;
  apiKey: string;
  /** Time limit of each attempt, from sending the request to the last byte of the response. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  logger?: ApiLogger;
  onResponse?: (info: ExchangeInfo) => void;
  userAgent?: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the client's time limit for this request. */
  timeoutMs?: number;
}

const apiRoot = '/api/v1/Customers';
const collection: Record<RecordKind, string> = { account: 'accounts', contact: 'contacts' };
const retryableMethods = new Set(['GET', 'PUT', 'DELETE']);
const retryableStatuses = new Set([429, 503]);

/**
 * A client of the ProdCamp Customers API: one method for each of its ten endpoints.
 * Records come back with every number as a `LosslessNumber`, so what is read can be written
 * back unchanged.
 */
export class CustomersClient {
  readonly baseUrl: URL;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly logger: ApiLogger | undefined;
  private readonly onResponse: ((info: ExchangeInfo) => void) | undefined;
  private readonly userAgent: string;

  constructor(options: ClientOptions) {
    this.baseUrl = parseBaseUrl(options.baseUrl ?? defaultBaseUrl);
    if (!options.apiKey || !options.apiKey.trim()) {
      throw new ApiError({
        kind: 'unauthorized',
        method: '-',
        path: '-',
        host: this.baseUrl.host,
        serverMessage: 'No API token is set.',
      });
    }
    this.apiKey = options.apiKey.trim();
    registerSecret(this.apiKey);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.logger = options.logger;
    this.onResponse = options.onResponse;
    this.userAgent = options.userAgent ?? 'prodcamp-customers-vscode';
  }

  listAccounts(query: ListQuery = {}, options?: RequestOptions): Promise<Page<Account>> {
    return this.list<Account>('account', query, options);
  }
  getAccount(id: RecordId, options?: RequestOptions): Promise<Account> {
    return this.get<Account>('account', id, options);
  }
  createAccount(fields: JsonObject, options?: RequestOptions): Promise<Account> {
    return this.create<Account>('account', fields, options);
  }
  updateAccount(id: RecordId, record: JsonObject, options?: RequestOptions): Promise<Account> {
    return this.update<Account>('account', id, record, options);
  }
  deleteAccount(id: RecordId, options?: RequestOptions): Promise<void> {
    return this.remove('account', id, options);
  }

  listContacts(query: ListQuery = {}, options?: RequestOptions): Promise<Page<Contact>> {
    return this.list<Contact>('contact', query, options);
  }
  getContact(id: RecordId, options?: RequestOptions): Promise<Contact> {
    return this.get<Contact>('contact', id, options);
  }
  createContact(fields: JsonObject, options?: RequestOptions): Promise<Contact> {
    return this.create<Contact>('contact', fields, options);
  }
  updateContact(id: RecordId, record: JsonObject, options?: RequestOptions): Promise<Contact> {
    return this.update<Contact>('contact', id, record, options);
  }
  deleteContact(id: RecordId, options?: RequestOptions): Promise<void> {
    return this.remove('contact', id, options);
  }

  /** Fetches one page of accounts or contacts. */
  async list<T extends JsonObject>(
    kind: RecordKind,
    query: ListQuery = {},
    options?: RequestOptions,
  ): Promise<Page<T>> {
    const path = `${apiRoot}/${collection[kind]}`;
    const { body, context } = await this.send(
      'GET',
      path,
      listParameters(query),
      undefined,
      options,
    );
    return readPage<T>(body, context);
  }

  /** Fetches one record by id. */
  async get<T extends JsonObject>(
    kind: RecordKind,
    id: RecordId,
    options?: RequestOptions,
  ): Promise<T> {
    const path = recordPath(kind, id);
    const { body, context } = await this.send('GET', path, [], undefined, options);
    return readRecord<T>(body, context);
  }

  /** Creates a record. Never retried automatically, so a lost response cannot create two. */
  async create<T extends JsonObject>(
    kind: RecordKind,
    fields: JsonObject,
    options?: RequestOptions,
  ): Promise<T> {
    const path = `${apiRoot}/${collection[kind]}`;
    const { body, context } = await this.send('POST', path, [], fields, options);
    return readRecord<T>(body, context);
  }

  /** Replaces a record with the given fields and returns what the server stored. */
  async update<T extends JsonObject>(
    kind: RecordKind,
    id: RecordId,
    record: JsonObject,
    options?: RequestOptions,
  ): Promise<T> {
    const path = recordPath(kind, id);
    const { body, context } = await this.send('PUT', path, [], record, options);
    return readRecord<T>(body, context);
  }

  async remove(kind: RecordKind, id: RecordId, options?: RequestOptions): Promise<void> {
    await this.send('DELETE', recordPath(kind, id), [], undefined, options);
  }

  /**
   * Sends one request, retrying 429 and 503 for GET, PUT and DELETE within the retry policy,
   * and returns the parsed JSON body (undefined for an empty one).
   */
  private async send(
    method: string,
    path: string,
    parameters: [string, string][],
    payload: JsonObject | undefined,
    options: RequestOptions = {},
  ): Promise<{ body: JsonValue | undefined; context: RequestContext }> {
    const query = new URLSearchParams(parameters).toString();
    const shownPath = query ? `${path}?${query}` : path;
    const context: RequestContext = { method, path: shownPath, host: this.baseUrl.host };
    const url = new URL(
      `${this.baseUrl.origin}${this.baseUrl.pathname.replace(/\/+$/, '')}${path}`,
    );
    for (const [name, value] of parameters) url.searchParams.append(name, value);
    url.searchParams.set('apiKey', this.apiKey);
    const requestBody = payload === undefined ? undefined : stringifyJson(payload);

    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      throwIfCancelled(options.signal, context);
      const attemptStarted = Date.now();
      let response: { status: number; headers: Response['headers']; text: string } | undefined;
      try {
        response = await this.exchange(url, method, requestBody, options, context);
      } catch (error) {
        const failure = error instanceof ApiError ? error : this.transportError(error, context);
        this.report(context, undefined, attemptStarted, attempt);
        this.logger?.warn(
          `${method} ${shownPath} failed after ${Date.now() - attemptStarted} ms: ${failure.message}`,
        );
        throw failure;
      }
      this.report(context, response.status, attemptStarted, attempt);

      if (retryableStatuses.has(response.status) && retryableMethods.has(method)) {
        const delay = this.retryDelay(response.headers.get('retry-after'), attempt);
        const elapsed = Date.now() - started;
        const canRetry =
          attempt < this.retry.maxAttempts &&
          delay <= this.retry.maxDelayMs &&
          elapsed + delay <= this.retry.maxTotalMs;
        if (canRetry) {
          this.logger?.warn(
            `${method} ${shownPath} answered ${response.status}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${this.retry.maxAttempts})`,
          );
          await sleep(delay, options.signal, context);
          continue;
        }
      }
      return { body: this.interpret(response, context), context };
    }
  }

  /** Performs one attempt: the request, then the whole response, within the time limit. */
  private async exchange(
    url: URL,
    method: string,
    body: string | undefined,
    options: RequestOptions,
    context: RequestContext,
  ): Promise<{ status: number; headers: Response['headers']; text: string }> {
    const controller = new AbortController();
    const limit = options.timeoutMs ?? this.timeoutMs;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, limit);
    const onCancel = () => controller.abort();
    options.signal?.addEventListener('abort', onCancel, { once: true });
    try {
      const init: RequestInit = {
        method,
        headers: {
          Accept: 'application/json',
          'User-Agent': this.userAgent,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
        },
        body: body === undefined ? undefined : Buffer.from(body, 'utf8'),
        redirect: 'manual',
        signal: controller.signal,
      };
      this.logger?.trace(
        `${method} ${context.path}${body === undefined ? '' : ` body: ${redact(body)}`}`,
      );
      const response = await fetch(url.href, init);
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      if (options.signal?.aborted) {
        throw new ApiError({ kind: 'cancelled', ...context, cause: error });
      }
      if (timedOut) {
        throw new ApiError({
          kind: 'timeout',
          ...context,
          outcomeUnknown: method !== 'GET',
          serverMessage: `no answer within ${Math.round(limit / 100) / 10} s`,
        });
      }
      throw error;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onCancel);
    }
  }

  private transportError(error: unknown, context: RequestContext): ApiError {
    const code = (error as { code?: unknown } | undefined)?.code;
    // A refused or unresolved connection never reached the server; anything else might have.
    const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
    return new ApiError({
      kind: 'network',
      ...context,
      outcomeUnknown: context.method !== 'GET' && !neverSent,
      cause: error,
    });
  }

  /** Turns a complete response into its JSON body, or throws the matching `ApiError`. */
  private interpret(
    response: { status: number; headers: Response['headers']; text: string },
    context: RequestContext,
  ): JsonValue | undefined {
    const { status, text } = response;
    let body: JsonValue | undefined;
    let parseFailed = false;
    if (text.trim() !== '') {
      try {
        body = parseJson(text);
      } catch {
        parseFailed = true;
      }
    }

    if (status >= 200 && status < 300) {
      if (parseFailed) {
        throw this.fail({
          kind: 'invalidResponse',
          ...context,
          status,
          nonJsonBody: nonJsonMessage(response),
        });
      }
      if (body === undefined && status !== 204 && context.method !== 'DELETE') {
        throw this.fail({
          kind: 'invalidResponse',
          ...context,
          status,
          serverMessage: 'the answer was empty',
        });
      }
      return body;
    }

    if (status >= 300 && status < 400) {
      const location = response.headers.get('location');
      const target = location ? ` to ${safeHost(location, context.host)}` : '';
      throw this.fail({
        kind: 'invalidResponse',
        ...context,
        status,
        serverMessage: `the server redirected the request${target}; check the base URL setting`,
      });
    }

    const details = parseFailed ? {} : errorDetails(body);
    throw this.fail({
      kind: kindForStatus(status),
      ...context,
      status,
      serverMessage: details.serverMessage,
      fieldErrors: details.fieldErrors,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      nonJsonBody: parseFailed ? nonJsonMessage(response) : undefined,
    });
  }

  private fail(details: ApiErrorDetails): ApiError {
    const error = new ApiError(details);
    this.logger?.error(`${details.method} ${details.path}: ${error.message}`);
    return error;
  }

  private report(
    context: RequestContext,
    status: number | undefined,
    started: number,
    attempt: number,
  ): void {
    const durationMs = Date.now() - started;
    if (status !== undefined) {
      this.logger?.info(`${context.method} ${context.path} ${status} ${durationMs} ms`);
    }
    this.onResponse?.({ method: context.method, path: context.path, status, durationMs, attempt });
  }

  /** Milliseconds to wait before the next attempt: `Retry-After` when given, backoff with jitter otherwise. */
  private retryDelay(header: string | null, attempt: number): number {
    const requested = parseRetryAfter(header);
    if (requested !== undefined) return requested;
    const exponential = this.retry.baseDelayMs * 2 ** (attempt - 1);
    return Math.round(exponential / 2 + Math.random() * (exponential / 2));
  }
}

interface RequestContext {
  method: string;
  path: string;
  host: string;
}

function recordPath(kind: RecordKind, id: RecordId): string {
  if (!/^\d{1,30}$/.test(id)) {
    throw new RangeError(`Invalid ${kind} id "${id}": an id is a whole number such as 42.`);
  }
  return `${apiRoot}/${collection[kind]}/${id}`;
}

function listParameters(query: ListQuery): [string, string][] {
  const parameters: [string, string][] = [];
  const positive = (name: string, value: number | undefined) => {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1) {
      throw new RangeError(
        `Invalid ${name} ${value}: it must be a whole number from 1 to 2147483647.`,
      );
    }
    parameters.push([name, String(value)]);
  };
  positive('PageNumber', query.pageNumber);
  positive('PageSize', query.pageSize);
  if (query.search) parameters.push(['Search', query.search]);
  if (query.orderBy) parameters.push(['OrderBy', query.orderBy]);
  if (query.filter) parameters.push(['Filter', query.filter]);
  if (query.needsCountInResponse !== undefined) {
    parameters.push(['NeedsCountInResponse', String(query.needsCountInResponse)]);
  }
  return parameters;
}

function readPage<T extends JsonObject>(
  body: JsonValue | undefined,
  context: RequestContext,
): Page<T> {
  if (!isJsonObject(body) || !Array.isArray(body.items)) {
    throw new ApiError({
      kind: 'invalidResponse',
      ...context,
      status: 200,
      serverMessage: 'the answer is not a page of records (no "items" list)',
    });
  }
  const items = body.items.filter(
    (item): item is T => isJsonObject(item) && isLosslessNumber(item.id),
  );
  const count = (key: string, fallback: number) => {
    const value = body[key];
    return isLosslessNumber(value) && Number.isFinite(Number(value.value))
      ? Number(value.value)
      : fallback;
  };
  return {
    items,
    pagesCount: count('pagesCount', 0),
    pageSize: count('pageSize', items.length),
    currentPage: count('currentPage', 0),
    totalItemsCount: count('totalItemsCount', -1),
  };
}

function readRecord<T extends JsonObject>(body: JsonValue | undefined, context: RequestContext): T {
  if (!isJsonObject(body) || !isLosslessNumber(body.id)) {
    throw new ApiError({
      kind: 'invalidResponse',
      ...context,
      status: 200,
      serverMessage: 'the answer is not a record with an id',
    });
  }
  return body as T;
}

/** Pulls the server's message and field errors out of an error body, in the shapes seen so far. */
function errorDetails(body: JsonValue | undefined): {
  serverMessage?: string;
  fieldErrors?: Record<string, string[]>;
} {
  if (typeof body === 'string') return { serverMessage: body.slice(0, 500) };
  if (!isJsonObject(body)) return {};
  const fieldErrors: Record<string, string[]> = {};
  if (isJsonObject(body.errors)) {
    for (const [field, messages] of Object.entries(body.errors)) {
      const list = Array.isArray(messages) ? messages : [messages];
      fieldErrors[field] = list.filter((message): message is string => typeof message === 'string');
    }
  }
  const first = ['message', 'detail', 'title', 'error', 'Message']
    .map((key) => body[key])
    .find((value) => typeof value === 'string');
  const fieldText = Object.entries(fieldErrors)
    .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
    .join('; ');
  let serverMessage = typeof first === 'string' ? first : undefined;
  if (fieldText) serverMessage = serverMessage ? `${serverMessage} ${fieldText}` : fieldText;
  return {
    serverMessage: serverMessage?.slice(0, 1000),
    fieldErrors: Object.keys(fieldErrors).length ? fieldErrors : undefined,
  };
}

function nonJsonMessage(response: { headers: Response['headers'] }): string {
  const type = response.headers.get('content-type');
  return `non-JSON response${type ? `, ${type.split(';')[0]}` : ''}`;
}

function safeHost(location: string, fallback: string): string {
  try {
    return new URL(location, `https://${fallback}`).host;
  } catch {
    return 'another address';
  }
}

/** Reads `Retry-After` as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function throwIfCancelled(signal: AbortSignal | undefined, context: RequestContext): void {
  if (signal?.aborted) throw new ApiError({ kind: 'cancelled', ...context });
}

function sleep(
  ms: number,
  signal: AbortSignal | undefined,
  context: RequestContext,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ApiError({ kind: 'cancelled', ...context }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
