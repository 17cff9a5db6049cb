// Request body checks for POST and PUT, with ASP.NET-style error keys: PascalCase dotted paths
// such as `Data.EmployeesCount` or `AdditionalEmails[1]`.
import { isIsoDateString } from './dates';
import type { JsonObject, JsonValue } from './json';
import { isJsonNumber, isJsonObject, toSafeInteger } from './json';
import type { RecordKind } from './records';
import { STRICT_READ_ONLY_FIELDS } from './records';

/** Error messages by field path, as in the `errors` member of ASP.NET ProblemDetails. */
export type ValidationErrors = Record<string, string[]>;

export const MAX_ACCOUNT_NAME_LENGTH = 256;

const DATA_NUMBER_FIELDS = ['id', 'annualRevenue', 'lifetimeValue', 'employeesCount'];
const DATA_DATE_FIELDS = ['signupDate', 'firstPurchaseDate'];
const DATA_STRING_FIELDS = [
  'website',
  'phone',
  'description',
  'industry',
  'type',
  'subscription',
  'accountLevel',
  'timezone',
];
const CONTACT_STRING_FIELDS = [
  'firstName',
  'lastName',
  'avatarUrl',
  'email',
  'phone',
  'mobile',
  'anotherPhone',
  'title',
  'department',
  'companyName',
];

export interface ValidationOptions {
  strictReadOnly: boolean;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationErrors };

export interface ContactInput {
  fields: JsonObject;
  accountId: number | null;
}

/** Converts `data.employeesCount` to `Data.EmployeesCount`. */
export function toErrorKey(path: string): string {
  return path
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('.');
}

class ErrorCollector {
  readonly errors: ValidationErrors = {};

  add(path: string, message: string): void {
    const key = toErrorKey(path);
    (this.errors[key] ??= []).push(message);
  }

  get isEmpty(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  expectStringOrNull(record: JsonObject, key: string, prefix = ''): void {
    const value = record[key];
    if (value === undefined || value === null || typeof value === 'string') return;
    const path = prefix + key;
    this.add(path, `The ${toErrorKey(path)} field must be a string or null.`);
  }

  expectNumberOrNull(record: JsonObject, key: string, prefix = ''): void {
    const value = record[key];
    if (value === undefined || value === null || isJsonNumber(value)) return;
    const path = prefix + key;
    this.add(path, `The ${toErrorKey(path)} field must be a number or null.`);
  }

  expectDateOrNull(record: JsonObject, key: string, prefix = ''): void {
    const value = record[key];
    if (value === undefined || value === null || isIsoDateString(value)) return;
    const path = prefix + key;
    this.add(path, `The ${toErrorKey(path)} field must be an ISO 8601 date string or null.`);
  }

  rejectReadOnly(kind: RecordKind, body: JsonObject, options: ValidationOptions): void {
    if (!options.strictReadOnly) return;
    for (const key of STRICT_READ_ONLY_FIELDS[kind]) {
      if (Object.hasOwn(body, key)) {
        this.add(key, `The field '${key}' is read-only. Remove it from the request body.`);
      }
    }
  }
}

function isEmailAddress(value: string): boolean {
  const parts = value.split('@');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '';
}

/** Rejects a body whose root is not a JSON object. */
function requireObject(body: JsonValue): ValidationResult<JsonObject> {
  if (isJsonObject(body)) return { ok: true, value: body };
  return { ok: false, errors: { $: ['The request body must be a JSON object.'] } };
}

/**
 * Validates an account body and returns the fields to store: accountName trimmed, everything
 * else as sent. Server-owned fields are left in place for the store to drop.
 */
export function validateAccount(
  body: JsonValue,
  options: ValidationOptions,
): ValidationResult<JsonObject> {
  const root = requireObject(body);
  if (!root.ok) return root;
  const account = root.value;
  const errors = new ErrorCollector();
  errors.rejectReadOnly('account', account, options);

  const name = account.accountName;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    errors.add('accountName', 'The AccountName field must be a string.');
  } else if (typeof name !== 'string' || name.trim() === '') {
    errors.add('accountName', 'The AccountName field is required.');
  } else if (name.trim().length > MAX_ACCOUNT_NAME_LENGTH) {
    errors.add(
      'accountName',
      `The field AccountName must be a string with a maximum length of ${MAX_ACCOUNT_NAME_LENGTH}.`,
    );
  }
  errors.expectStringOrNull(account, 'companyName');

  const status = account.status;
  if (isJsonObject(status)) {
    errors.expectNumberOrNull(status, 'id', 'status.');
    errors.expectStringOrNull(status, 'caption', 'status.');
  } else if (status !== undefined && status !== null) {
    errors.add('status', 'The Status field must be an object or null.');
  }

  const domains = account.domains;
  if (Array.isArray(domains)) {
    domains.forEach((domain, index) => {
      if (typeof domain !== 'string') {
        errors.add(`domains[${index}]`, `The Domains[${index}] field must be a string.`);
      }
    });
  } else if (domains !== undefined && domains !== null) {
    errors.add('domains', 'The Domains field must be an array of strings or null.');
  }

  const data = account.data;
  if (isJsonObject(data)) {
    for (const key of DATA_NUMBER_FIELDS) errors.expectNumberOrNull(data, key, 'data.');
    for (const key of DATA_DATE_FIELDS) errors.expectDateOrNull(data, key, 'data.');
    for (const key of DATA_STRING_FIELDS) errors.expectStringOrNull(data, key, 'data.');
  } else if (data !== undefined && data !== null) {
    errors.add('data', 'The Data field must be an object or null.');
  }

  if (!errors.isEmpty) return { ok: false, errors: errors.errors };
  const fields: JsonObject = { ...account };
  if (typeof name === 'string') fields.accountName = name.trim();
  return { ok: true, value: fields };
}

/**
 * Validates a contact body and returns the fields to store (firstName and lastName trimmed,
 * email lower-cased) and the account it links to. `accountExists` checks a non-null accountId.
 */
export function validateContact(
  body: JsonValue,
  options: ValidationOptions,
  accountExists: (id: number) => boolean,
): ValidationResult<ContactInput> {
  const root = requireObject(body);
  if (!root.ok) return root;
  const contact = root.value;
  const errors = new ErrorCollector();
  errors.rejectReadOnly('contact', contact, options);
  for (const key of CONTACT_STRING_FIELDS) errors.expectStringOrNull(contact, key);

  const hasText = (value: JsonValue | undefined) =>
    typeof value === 'string' && value.trim() !== '';
  if (!hasText(contact.firstName) && !hasText(contact.lastName) && !hasText(contact.email)) {
    errors.add('firstName', 'A contact needs a FirstName, LastName or Email.');
  }
  if (typeof contact.email === 'string' && !isEmailAddress(contact.email)) {
    errors.add('email', 'The Email field is not a valid e-mail address.');
  }

  const additionalEmails = contact.additionalEmails;
  if (Array.isArray(additionalEmails)) {
    additionalEmails.forEach((email, index) => {
      const key = `AdditionalEmails[${index}]`;
      if (typeof email !== 'string') errors.add(key, `The ${key} field must be a string.`);
      else if (!isEmailAddress(email)) {
        errors.add(key, `The ${key} field is not a valid e-mail address.`);
      }
    });
  } else if (additionalEmails !== undefined && additionalEmails !== null) {
    errors.add(
      'additionalEmails',
      'The AdditionalEmails field must be an array of strings or null.',
    );
  }

  let accountId: number | null = null;
  const rawAccountId = contact.accountId;
  if (rawAccountId !== undefined && rawAccountId !== null) {
    const id = toSafeInteger(rawAccountId);
    if (id === undefined) {
      errors.add('accountId', 'The AccountId field must be an integer or null.');
    } else if (!accountExists(id)) {
      errors.add('accountId', `Account ${id} was not found.`);
    } else {
      accountId = id;
    }
  }

  if (!errors.isEmpty) return { ok: false, errors: errors.errors };
  const fields: JsonObject = { ...contact };
  if (typeof contact.firstName === 'string') fields.firstName = contact.firstName.trim();
  if (typeof contact.lastName === 'string') fields.lastName = contact.lastName.trim();
  if (typeof contact.email === 'string') fields.email = contact.email.toLowerCase();
  return { ok: true, value: { fields, accountId } };
}
