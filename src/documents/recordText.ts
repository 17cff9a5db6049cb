import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import {
  isJsonObject,
  jsonEquals,
  JsonSyntaxError,
  parseJson,
  stringifyJson,
  type JsonObject,
  type JsonValue,
  type RecordKind,
} from '../api';
import * as validators from './schemaValidators.generated';

/**
 * The contents of a record document: it is the record as the server returned it, minus
 * the embedded copies of other records (an account's `contacts`, a contact's `account`),
 * which have documents of their own. Server-owned fields stay visible but read-only: a save
 * that changes or removes one is rejected with a message that names it.
 */
export const embeddedFields: Record<RecordKind, string> = {
  account: 'contacts',
  contact: 'account',
};

/** Server-owned fields, as paths from the root of the record. */
export const readOnlyFields: Record<RecordKind, string[][]> = {
  account: [['id'], ['createdDate'], ['lastEditDate'], ['data', 'id']],
  contact: [['id'], ['createdDate'], ['lastEditDate'], ['fullName']],
};

/** Top-level server-owned fields, which a PUT or POST body leaves out. */
const omittedFromBody = ['id', 'createdDate', 'lastEditDate', 'fullName', 'contacts', 'account'];

/** Error in the text of a record document: where it is and what to do about it. */
export class RecordTextError extends Error {
  override readonly name = 'RecordTextError';
  constructor(
    message: string,
    /** The field involved, as a dotted path such as `data.employeesCount`. */
    readonly field: string | undefined,
    /** Zero-based offset and length of the problem in the text, when known. */
    readonly range: { offset: number; length: number } | undefined,
  ) {
    super(message);
  }
}

/** Formats a record as the text of its document. */
export function recordToText(kind: RecordKind, record: JsonObject): string {
  const shown: JsonObject = {};
  for (const [key, value] of Object.entries(record)) {
    if (key !== embeddedFields[kind]) shown[key] = value;
  }
  return `${stringifyJson(shown, 2)}\n`;
}

/** Text of a new record's document: the writable fields, empty. */
export function templateText(kind: RecordKind, accountId?: string): string {
  if (kind === 'account') {
    return `{
  "accountName": "",
  "companyName": null,
  "domains": [],
  "data": {
    "website": null,
    "phone": null,
    "industry": null,
    "description": null
  }
}
`;
  }
  return `{
  "firstName": "",
  "lastName": "",
  "email": null,
  "title": null,
  "phone": null,
  "accountId": ${accountId ?? 'null'}
}
`;
}

/**
 * Checks the text of a record document and returns the body to send: a PUT body when
 * `base` is the stored record, a POST body when it is undefined. Throws `RecordTextError`
 * for text that is not valid JSON, not an object, of the wrong type for a known field, or
 * that changes a server-owned field.
 */
export function bodyFromText(
  kind: RecordKind,
  text: string,
  base: JsonObject | undefined,
): JsonObject {
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      const range = error.offset === undefined ? undefined : { offset: error.offset, length: 1 };
      throw new RecordTextError(
        `The document is not valid JSON: ${error.message}.`,
        undefined,
        range,
      );
    }
    throw error;
  }
  if (!isJsonObject(value)) {
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new RecordTextError(
      `The document must be one JSON object ({ ... }) holding the ${kind}'s fields, not ${found}.`,
      undefined,
      { offset: 0, length: Math.min(text.length, 1) },
    );
  }
  const tree = parseTree(text);

  const embedded = embeddedFields[kind];
  if (embedded in value) {
    throw new RecordTextError(
      `The field "${embedded}" can't be saved from this document: ${
        kind === 'account'
          ? 'open each contact to edit it'
          : 'open the account to edit it, or change "accountId" to move the contact'
      }. Remove "${embedded}" to save.`,
      embedded,
      rangeOf(tree, [embedded]),
    );
  }

  for (const path of readOnlyFields[kind]) {
    checkReadOnly(kind, path, value, base, tree);
  }

  const validate = validators[kind];
  if (!validate(JSON.parse(text))) {
    const [first] = validate.errors ?? [];
    if (first) {
      const segments = first.instancePath.split('/').slice(1).map(unescapePointer);
      if (first.keyword === 'required' && typeof first.params.missingProperty === 'string') {
        segments.push(first.params.missingProperty);
      }
      const field = segments.join('.') || undefined;
      const found = describeValue(valueAt(value, segments));
      const limit = first.params.limit;
      const message =
        first.keyword === 'required'
          ? `The field "${field}" is required.`
          : first.keyword === 'minLength' && limit === 1
            ? `The field "${field}" must not be empty.`
            : first.keyword === 'maxLength'
              ? `The field "${field}" must be at most ${String(limit)} characters long.`
              : first.keyword === 'pattern' && /Date$/.test(field ?? '')
                ? `The field "${field}" must be an ISO 8601 date and time such as "2025-05-12T14:15:09.513Z", not ${found}.`
                : first.keyword === 'pattern'
                  ? `The field "${field}" must be an email address such as "name@example.com", not ${found}.`
                  : `The field "${field}" ${first.message ?? 'is invalid'}, not ${found}.`;
      throw new RecordTextError(
        message.replace(/must be (\w+),null/, 'must be $1 or null'),
        field,
        rangeOf(tree, segments),
      );
    }
  }

  const body: JsonObject = {};
  for (const [key, fieldValue] of Object.entries(value)) {
    if (!omittedFromBody.includes(key)) body[key] = fieldValue;
  }
  return body;
}

function checkReadOnly(
  kind: RecordKind,
  path: string[],
  value: JsonObject,
  base: JsonObject | undefined,
  tree: Node | undefined,
): void {
  const field = path.join('.');
  const current = valueAt(value, path);
  const stored = base ? valueAt(base, path) : undefined;
  if (!base) {
    if (current !== undefined) {
      throw new RecordTextError(
        `The field "${field}" is set by the server when the ${kind} is created. Remove it to save.`,
        field,
        rangeOf(tree, path),
      );
    }
    return;
  }
  if (current === undefined && stored !== undefined) {
    // Removing the whole "data" block, or setting it to null, is a change the server applies.
    // Only a read-only field missing from a block that is still there is an error.
    if (path.length > 1 && !isJsonObject(valueAt(value, path.slice(0, -1)))) return;
    throw new RecordTextError(
      `The field "${field}" is set by the server and can't be removed. Put back "${path.at(-1)}": ${stringifyJson(stored)} to save.`,
      field,
      rangeOf(tree, path.slice(0, -1)),
    );
  }
  if (current !== undefined && !jsonEquals(current, stored)) {
    throw new RecordTextError(
      `The field "${field}" is set by the server and can't be changed (it is ${stringifyJson(stored ?? null)}). Undo the change to save.`,
      field,
      rangeOf(tree, path),
    );
  }
}

function valueAt(value: JsonValue | undefined, path: string[]): JsonValue | undefined {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isJsonObject(current))
      current = Object.prototype.hasOwnProperty.call(current, segment)
        ? current[segment]
        : undefined;
    else return undefined;
  }
  return current;
}

function rangeOf(
  tree: Node | undefined,
  path: string[],
): { offset: number; length: number } | undefined {
  if (!tree) return undefined;
  const location = path.map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  const node = findNodeAtLocation(tree, location);
  if (!node) return undefined;
  // Point at the property ("name": value) rather than only its value, when there is one.
  const property = node.parent?.type === 'property' ? node.parent : node;
  return { offset: property.offset, length: property.length };
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function describeValue(value: JsonValue | undefined): string {
  if (value === undefined) return 'missing';
  const text = stringifyJson(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
