// The ten endpoints of the Customers API, independent of the HTTP server around them.
import type { JsonObject, JsonValue } from './json';
import { parseJson } from './json';
import { problemDetails, validationProblem } from './problems';
import { parseListRequest } from './query';
import type { RecordKind } from './records';
import type { Store } from './store';
import type { ValidationErrors } from './validation';
import { validateAccount, validateContact } from './validation';

export interface ApiSettings {
  defaultPageSize: number;
  maxPageSize: number;
  strictReadOnly: boolean;
  pagingQuirk: PagingQuirk;
}

/**
 * Paging behaviours of real servers that clients must survive:
 * - `none`: a page past the end is empty and keeps the requested currentPage.
 * - `repeatLastPage`: a page past the end returns the last page's items, with the requested
 *   currentPage.
 * - `clampPastEnd`: a page past the end returns the last page, with currentPage set to it.
 * - `rejectPastEnd`: a page past the end gets 400.
 * - `overcountPages`: pagesCount is one more than needed, so the last advertised page is empty.
 * - `overlapPages`: page N starts N-1 items early, so each page repeats the previous page's
 *   last item (as if a record were inserted before every request) and the tail is never served.
 * - `ignorePageSize`: PageSize is ignored and the default page size is used.
 */
export const PAGING_QUIRKS = [
  'none',
  'repeatLastPage',
  'clampPastEnd',
  'rejectPastEnd',
  'overcountPages',
  'overlapPages',
  'ignorePageSize',
] as const;

export type PagingQuirk = (typeof PAGING_QUIRKS)[number];

export interface ApiRequest {
  method: string;
  pathname: string;
  params: URLSearchParams;
  /** Value of the Content-Type header, if any. */
  contentType?: string;
  /** Request body decoded as UTF-8, or undefined when the request had none. */
  body?: string;
}

export interface ApiResponse {
  status: number;
  /** Serialised with lossless-json; absent for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

const ROUTE = /^\/api\/v1\/customers\/(accounts|contacts)(?:\/([^/]+))?\/?$/i;
const COLLECTION_METHODS = ['GET', 'POST'];
const ITEM_METHODS = ['GET', 'PUT', 'DELETE'];

const badRequest = (errors: ValidationErrors): ApiResponse => ({
  status: 400,
  body: validationProblem(errors),
});

const notFound = (detail: string): ApiResponse => ({
  status: 404,
  body: problemDetails(404, detail),
});

function label(kind: RecordKind): string {
  return kind === 'account' ? 'Account' : 'Contact';
}

/** Handles one authenticated request to /api/v1/Customers/... */
export function handleCustomersRequest(
  store: Store,
  settings: ApiSettings,
  request: ApiRequest,
): ApiResponse {
  const match = ROUTE.exec(request.pathname);
  if (!match) return notFound(`No API endpoint matches ${request.pathname}.`);
  const kind: RecordKind = match[1].toLowerCase() === 'accounts' ? 'account' : 'contact';
  const idText = match[2];
  const allowed = idText === undefined ? COLLECTION_METHODS : ITEM_METHODS;
  if (!allowed.includes(request.method)) {
    return {
      status: 405,
      body: problemDetails(405, `Method ${request.method} is not allowed on ${request.pathname}.`),
      headers: { Allow: allowed.join(', ') },
    };
  }

  if (idText === undefined) {
    return request.method === 'GET'
      ? listRecords(store, settings, kind, request)
      : createRecord(store, settings, kind, request);
  }

  const id = /^\d{1,15}$/.test(idText) ? Number(idText) : undefined;
  if (id === undefined) {
    return badRequest({ id: [`The value '${idText}' is not valid.`] });
  }
  switch (request.method) {
    case 'GET':
      return readRecord(store, kind, id);
    case 'PUT':
      return updateRecord(store, settings, kind, id, request);
    default:
      return deleteRecord(store, kind, id);
  }
}

function listRecords(
  store: Store,
  settings: ApiSettings,
  kind: RecordKind,
  request: ApiRequest,
): ApiResponse {
  const parsed = parseListRequest(kind, request.params, settings);
  if (!parsed.ok) return badRequest(parsed.errors);
  const query = parsed.value;
  const quirk = settings.pagingQuirk;
  const pageSize =
    quirk === 'ignorePageSize'
      ? Math.min(settings.defaultPageSize, settings.maxPageSize)
      : query.pageSize;

  const total = store.count(kind, query);
  const lastPage = Math.ceil(total / pageSize);
  let pageNumber = query.pageNumber;
  let currentPage = query.pageNumber;
  if (pageNumber > lastPage && lastPage > 0) {
    if (quirk === 'rejectPastEnd') {
      const message = `PageNumber ${pageNumber} is past the last page (${lastPage}).`;
      return badRequest({ PageNumber: [message] });
    }
    if (quirk === 'repeatLastPage' || quirk === 'clampPastEnd') pageNumber = lastPage;
    if (quirk === 'clampPastEnd') currentPage = lastPage;
  }
  let start = (pageNumber - 1) * pageSize;
  if (quirk === 'overlapPages') start -= pageNumber - 1;

  const page = store.page(kind, query, start, pageSize);
  const pagesCount = quirk === 'overcountPages' && total > 0 ? lastPage + 1 : lastPage;
  return {
    status: 200,
    body: {
      items: page.items,
      pagesCount: query.needsCount ? pagesCount : null,
      pageSize,
      currentPage,
      totalItemsCount: query.needsCount ? total : null,
    },
  };
}

function readRecord(store: Store, kind: RecordKind, id: number): ApiResponse {
  const record = kind === 'account' ? store.getAccount(id) : store.getContact(id);
  if (record === undefined) return notFound(`${label(kind)} ${id} was not found.`);
  return { status: 200, body: record };
}

function deleteRecord(store: Store, kind: RecordKind, id: number): ApiResponse {
  const deleted = kind === 'account' ? store.deleteAccount(id) : store.deleteContact(id);
  if (!deleted) return notFound(`${label(kind)} ${id} was not found.`);
  return { status: 204 };
}

/**
 * Parses and validates a POST or PUT body. Returns the fields to store, or the 400 or 415
 * response to send.
 */
function readRecordBody(
  store: Store,
  settings: ApiSettings,
  kind: RecordKind,
  request: ApiRequest,
): { fields: JsonObject } | { response: ApiResponse } {
  const contentType = request.contentType?.split(';')[0].trim().toLowerCase();
  if (contentType !== undefined && contentType !== '' && !isJsonMediaType(contentType)) {
    const detail = `Content-Type '${request.contentType}' is not supported. Send application/json.`;
    return { response: { status: 415, body: problemDetails(415, detail) } };
  }
  if (request.body === undefined || request.body.trim() === '') {
    return { response: badRequest({ '': ['A non-empty request body is required.'] }) };
  }

  let body: JsonValue;
  try {
    body = parseJson(request.body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { response: badRequest({ $: [`The request body is not valid JSON: ${reason}`] }) };
  }

  const options = { strictReadOnly: settings.strictReadOnly };
  if (kind === 'account') {
    const result = validateAccount(body, options);
    return result.ok ? { fields: result.value } : { response: badRequest(result.errors) };
  }
  const result = validateContact(body, options, (id) => store.hasAccount(id));
  if (!result.ok) return { response: badRequest(result.errors) };
  return { fields: { ...result.value.fields, accountId: result.value.accountId } };
}

function isJsonMediaType(mediaType: string): boolean {
  return (
    mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json')
  );
}

function createRecord(
  store: Store,
  settings: ApiSettings,
  kind: RecordKind,
  request: ApiRequest,
): ApiResponse {
  const input = readRecordBody(store, settings, kind, request);
  if ('response' in input) return input.response;
  const record =
    kind === 'account' ? store.createAccount(input.fields) : store.createContact(input.fields);
  return { status: 200, body: record };
}

function updateRecord(
  store: Store,
  settings: ApiSettings,
  kind: RecordKind,
  id: number,
  request: ApiRequest,
): ApiResponse {
  const input = readRecordBody(store, settings, kind, request);
  if ('response' in input) return input.response;
  const record =
    kind === 'account' ? store.putAccount(id, input.fields) : store.putContact(id, input.fields);
  if (record === undefined) return notFound(`${label(kind)} ${id} was not found.`);
  return { status: 200, body: record };
}
