// Field layout of accounts and contacts. Responses list the known fields in the order of the
// vendor's reference examples, then unknown fields in the order the client sent them, then the
// server-owned dates.
import type { JsonObject, JsonValue } from './json';

export type RecordKind = 'account' | 'contact';

export const ACCOUNT_FIELDS = ['id', 'accountName', 'companyName', 'status', 'domains', 'data'];

export const CONTACT_FIELDS = [
  'id',
  'firstName',
  'lastName',
  'fullName',
  'avatarUrl',
  'email',
  'additionalEmails',
  'phone',
  'mobile',
  'anotherPhone',
  'title',
  'department',
  'companyName',
];

/** Fields that the server sets. A request body may contain them, but the server ignores them. */
export const SERVER_OWNED_FIELDS: Record<RecordKind, readonly string[]> = {
  account: ['id', 'createdDate', 'lastEditDate', 'contacts'],
  contact: ['id', 'createdDate', 'lastEditDate', 'fullName', 'account'],
};

/** Server-owned fields that a server in strict read-only mode rejects with 400. */
export const STRICT_READ_ONLY_FIELDS: Record<RecordKind, readonly string[]> = {
  account: ['id', 'createdDate', 'lastEditDate', 'contacts'],
  contact: ['id', 'createdDate', 'lastEditDate', 'account'],
};

/** Derives a contact's fullName from its first and last name, or null when both are empty. */
export function deriveFullName(firstName: JsonValue | undefined, lastName: JsonValue | undefined) {
  const parts = [firstName, lastName].filter(
    (part): part is string => typeof part === 'string' && part.trim() !== '',
  );
  return parts.length > 0 ? parts.map((part) => part.trim()).join(' ') : null;
}

interface ServerFields {
  id: number;
  lastEditDate: JsonValue;
  createdDate: JsonValue;
}

/**
 * Builds a stored account: `id`, the known fields in reference order, unknown fields in input
 * order, then the dates. Server-owned keys in `fields` are dropped.
 */
export function buildAccountRecord(fields: JsonObject, server: ServerFields): JsonObject {
  const record: JsonObject = { id: server.id };
  copyOrdered(record, fields, ACCOUNT_FIELDS, SERVER_OWNED_FIELDS.account);
  record.lastEditDate = server.lastEditDate;
  record.createdDate = server.createdDate;
  return record;
}

/**
 * Builds a stored contact like buildAccountRecord, with a derived fullName and the account link
 * as the last field. The stored record never contains the embedded `account` copy.
 */
export function buildContactRecord(
  fields: JsonObject,
  server: ServerFields & { accountId: number | null },
): JsonObject {
  const record: JsonObject = { id: server.id };
  const withFullName = { ...fields, fullName: deriveFullName(fields.firstName, fields.lastName) };
  const ignored = [...SERVER_OWNED_FIELDS.contact.filter((key) => key !== 'fullName'), 'accountId'];
  copyOrdered(record, withFullName, CONTACT_FIELDS, ignored);
  record.lastEditDate = server.lastEditDate;
  record.createdDate = server.createdDate;
  record.accountId = server.accountId;
  return record;
}

function copyOrdered(
  target: JsonObject,
  source: JsonObject,
  knownOrder: readonly string[],
  ignored: readonly string[],
): void {
  for (const key of knownOrder) {
    if (key !== 'id' && Object.hasOwn(source, key)) target[key] = source[key];
  }
  for (const [key, value] of Object.entries(source)) {
    if (!knownOrder.includes(key) && !ignored.includes(key)) target[key] = value;
  }
}
