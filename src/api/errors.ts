import { redact } from './redact';

/** The category of a failed request, coarse enough for the UI to choose an action. */
export type ApiErrorKind =
  | 'unauthorized'
  | 'notFound'
  | 'validation'
  | 'rateLimited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'invalidResponse'
  | 'cancelled';

export interface ApiErrorDetails {
  kind: ApiErrorKind;
  method: string;
  /** Path and query of the request, without the API key. */
  path: string;
  /** Host and port the request went to. */
  host: string;
  status?: number;
  /** The server's own message, taken from a JSON error body. */
  serverMessage?: string;
  /** Field errors from a validation body, keyed by the server's field path (`Data.Phone`). */
  fieldErrors?: Record<string, string[]>;
  /** How long the server asked the client to wait, from `Retry-After`. */
  retryAfterMs?: number;
  /** Set when the body was not JSON (such as an HTML error page): a short description of it. */
  nonJsonBody?: string;
  /** The request may have reached the server before it failed (a timeout or a dropped connection). */
  outcomeUnknown?: boolean;
  cause?: unknown;
}

/**
 * The one error type of the API client. Its message and fields never contain the API key:
 * everything that comes from a URL or a response body passes through `redact`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly status: number | undefined;
  readonly serverMessage: string | undefined;
  readonly fieldErrors: Record<string, string[]> | undefined;
  readonly retryAfterMs: number | undefined;
  readonly outcomeUnknown: boolean;

  constructor(details: ApiErrorDetails) {
    super(
      redact(describe(details)),
      details.cause === undefined ? undefined : { cause: sanitizeCause(details.cause) },
    );
    this.kind = details.kind;
    this.method = details.method;
    this.path = redact(details.path);
    this.host = details.host;
    this.status = details.status;
    this.serverMessage =
      details.serverMessage === undefined ? undefined : redact(details.serverMessage);
    this.fieldErrors = details.fieldErrors && redactFieldErrors(details.fieldErrors);
    this.retryAfterMs = details.retryAfterMs;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    if (this.stack) this.stack = redact(this.stack);
  }
}

/**
 * Copies an underlying error without anything that could contain the key: a fetch error's
 * message contains the whole request URL, query string included.
 */
function sanitizeCause(cause: unknown): Error {
  const original = cause instanceof Error ? cause : new Error(String(cause));
  const copy = new Error(redact(original.message));
  copy.name = original.name;
  const code = (original as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code?: string }).code = code;
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function isCancellation(error: unknown): boolean {
  return error instanceof ApiError && error.kind === 'cancelled';
}

/** Maps an HTTP status to the kind of error it stands for. */
export function kindForStatus(status: number): ApiErrorKind {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404 || status === 410) return 'notFound';
  if (status === 429) return 'rateLimited';
  if (status >= 500) return 'server';
  if (status >= 400) return 'validation';
  return 'invalidResponse';
}

function describe(details: ApiErrorDetails): string {
  const request = `${details.method} ${stripQuery(details.path)}`;
  switch (details.kind) {
    case 'network':
      return `Could not reach ${details.host}: ${causeText(details.cause)} (${request}).`;
    case 'timeout':
      return `${details.host} did not answer in time (${request}); the request was abandoned.`;
    case 'cancelled':
      return `The request was cancelled (${request}).`;
    case 'invalidResponse':
      if (details.nonJsonBody)
        return `HTTP ${details.status ?? '?'} from ${details.host} (${details.nonJsonBody}).`;
      return details.serverMessage
        ? `HTTP ${details.status ?? '?'} from ${details.host}: ${details.serverMessage}`
        : `Invalid response from ${details.host} (${request}).`;
    default: {
      const status = `HTTP ${details.status ?? '?'}`;
      if (details.nonJsonBody) return `${status} from ${details.host} (${details.nonJsonBody}).`;
      if (details.serverMessage) return `${details.serverMessage} (${status} from ${details.host})`;
      return `${status} from ${details.host} (${request}).`;
    }
  }
}

function stripQuery(path: string): string {
  const index = path.indexOf('?');
  return index < 0 ? path : path.slice(0, index);
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? code : cause.message;
  }
  return String(cause);
}

function redactFieldErrors(errors: Record<string, string[]>): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(errors)) {
    result[redact(field)] = messages.map(redact);
  }
  return result;
}
