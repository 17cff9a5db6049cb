// Control routes under /__emulator/ for tests that run in another process. They need no API
// key, never appear in the request log and ignore faults and latency.
import { PAGING_QUIRKS } from './api';
import { parseFaultSpec } from './faults';
import type { BodyReadResult, OutgoingResponse } from './http';
import type { JsonObject, JsonValue } from './json';
import { isJsonObject, parseJson, toSafeInteger } from './json';
import type { EmulatorState, RuntimeSettings } from './server';

const RECORD_ROUTE = /^\/__emulator\/records\/(accounts|contacts)\/(\d{1,15})\/?$/i;

const message = (status: number, text: string): OutgoingResponse => ({
  status,
  body: { message: text },
});

/** Handles one control request and returns the response to send. */
export function handleControlRequest(
  state: EmulatorState,
  method: string,
  pathname: string,
  body: BodyReadResult,
): OutgoingResponse {
  const route = `${method} ${pathname.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /__emulator/requests':
        return { status: 200, body: state.requestLog() };
      case 'DELETE /__emulator/requests':
        state.clearRequestLog();
        return { status: 204 };
      case 'GET /__emulator/faults':
        return { status: 200, body: state.faults.list() };
      case 'POST /__emulator/faults':
        return setFault(state, readJsonObject(body));
      case 'DELETE /__emulator/faults':
        state.faults.clear();
        return { status: 204 };
      case 'POST /__emulator/reset':
        state.reset();
        return { status: 204 };
      case 'GET /__emulator/options':
        return { status: 200, body: state.settings };
      case 'POST /__emulator/options':
        updateSettings(state.settings, readJsonObject(body));
        return { status: 200, body: state.settings };
    }
    const recordMatch = RECORD_ROUTE.exec(pathname);
    if (recordMatch && (method === 'GET' || method === 'PUT')) {
      return accessRecord(
        state,
        method,
        recordMatch[1].toLowerCase(),
        Number(recordMatch[2]),
        body,
      );
    }
    return message(404, `No control route matches ${method} ${pathname}.`);
  } catch (error) {
    if (error instanceof ControlRequestError || error instanceof RangeError) {
      return message(400, error.message);
    }
    throw error;
  }
}

class ControlRequestError extends Error {}

function readJsonObject(body: BodyReadResult): JsonObject {
  if (body.kind !== 'text')
    throw new ControlRequestError('The request body must be a JSON object.');
  let value: JsonValue;
  try {
    value = parseJson(body.text);
  } catch (error) {
    throw new ControlRequestError(`The request body is not valid JSON: ${String(error)}`);
  }
  if (!isJsonObject(value))
    throw new ControlRequestError('The request body must be a JSON object.');
  return value;
}

function setFault(state: EmulatorState, request: JsonObject): OutgoingResponse {
  if (typeof request.route !== 'string') {
    throw new ControlRequestError(
      "The 'route' member must be a string such as 'GET /api/v1/Customers/accounts'.",
    );
  }
  try {
    state.faults.set(request.route, parseFaultSpec(request.fault));
  } catch (error) {
    throw new ControlRequestError(error instanceof Error ? error.message : String(error));
  }
  return { status: 204 };
}

function accessRecord(
  state: EmulatorState,
  method: string,
  collection: string,
  id: number,
  body: BodyReadResult,
): OutgoingResponse {
  const isAccount = collection === 'accounts';
  const noun = isAccount ? 'Account' : 'Contact';
  let record: JsonObject | undefined;
  if (method === 'GET') {
    record = isAccount ? state.store.getAccount(id) : state.store.getContact(id);
  } else {
    const fields = readJsonObject(body);
    record = isAccount
      ? state.store.patchAccount(id, fields)
      : state.store.patchContact(id, fields);
  }
  return record === undefined
    ? message(404, `${noun} ${id} was not found.`)
    : { status: 200, body: record };
}

/** Applies the members of a POST /__emulator/options body after checking all of them. */
function updateSettings(settings: RuntimeSettings, request: JsonObject): void {
  const update: Partial<RuntimeSettings> = {};
  for (const [key, value] of Object.entries(request)) {
    switch (key) {
      case 'latencyMs':
      case 'maxPageSize':
      case 'defaultPageSize': {
        const minimum = key === 'latencyMs' ? 0 : 1;
        const number = toSafeInteger(value);
        if (number === undefined || number < minimum) {
          throw new ControlRequestError(
            `Invalid option ${key}: expected an integer >= ${minimum}.`,
          );
        }
        update[key] = number;
        break;
      }
      case 'strictReadOnly':
        if (typeof value !== 'boolean') {
          throw new ControlRequestError('Invalid option strictReadOnly: expected true or false.');
        }
        update.strictReadOnly = value;
        break;
      case 'pagingQuirk': {
        const quirk = PAGING_QUIRKS.find((name) => name === value);
        if (quirk === undefined) {
          throw new ControlRequestError(
            `Invalid option pagingQuirk: expected one of ${PAGING_QUIRKS.join(', ')}.`,
          );
        }
        update.pagingQuirk = quirk;
        break;
      }
      default:
        throw new ControlRequestError(
          `Unknown option '${key}'. Valid options: latencyMs, maxPageSize, defaultPageSize, strictReadOnly, pagingQuirk.`,
        );
    }
  }
  Object.assign(settings, update);
}
