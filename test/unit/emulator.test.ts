import assert from 'node:assert/strict';
import { parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import type { Emulator, FaultSpec } from '../../emulator/index';
import { SEED_EDGE_CASES, startEmulator, Store } from '../../emulator/index';
import type { JsonObject } from '../../emulator/json';
import { buildAccountRecord, buildContactRecord } from '../../emulator/records';

const ACCOUNTS = '/api/v1/Customers/accounts';
const CONTACTS = '/api/v1/Customers/contacts';
const API_KEY = 'pc_test_unit_0123456789abcdef';
const SERVER_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const VALIDATION_TYPE = 'https://tools.ietf.org/html/rfc9110#section-15.5.1';

interface Status {
  id: number;
  caption: string;
}

interface Account {
  id: number;
  accountName: string;
  companyName?: string | null;
  status?: Status | null;
  domains?: string[] | null;
  data?: Record<string, unknown> | null;
  lastEditDate: string;
  createdDate: string;
  contacts?: Contact[];
  [key: string]: unknown;
}

interface Contact {
  id: number;
  firstName?: string | null;
  lastName?: string | null;
  fullName: string | null;
  email?: string | null;
  additionalEmails?: string[] | null;
  lastEditDate: string;
  createdDate: string;
  account: Account | null;
  accountId: number | null;
  [key: string]: unknown;
}

interface Page<T> {
  items: T[];
  pagesCount: number | null;
  pageSize: number;
  currentPage: number;
  totalItemsCount: number | null;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Record<string, string[]>;
}

interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  body?: string;
}

interface CallOptions {
  /** Body to send. Strings are sent as they are and other values as JSON. */
  body?: unknown;
  query?: Record<string, string | number>;
  /** API key to send, or null for none. Defaults to the valid key. */
  key?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

interface CallResult<T> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

let emulator: Emulator;

function buildUrl(path: string, options: CallOptions = {}): string {
  const url = new URL(path, emulator.url);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    url.searchParams.set(name, String(value));
  }
  const key = options.key === undefined ? API_KEY : options.key;
  if (key !== null) url.searchParams.set('apiKey', key);
  return url.toString();
}

/**
 * Sends a request to the emulator and parses a JSON response. Every response body is checked
 * for the API key, which the emulator must never echo.
 */
async function call<T = unknown>(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(buildUrl(path, options), {
    method,
    headers,
    body,
    signal: options.signal,
  });
  const text = await response.text();
  assert.ok(!text.includes(API_KEY), `the ${method} ${path} response contains the API key`);
  const isJson = response.headers.get('content-type')?.includes('json') ?? false;
  const json = (isJson && text !== '' ? JSON.parse(text) : undefined) as T;
  return { status: response.status, headers: response.headers, text, json };
}

/** Fetches every page of a list and returns the items in order. */
async function listAll<T>(path: string, query: Record<string, string | number> = {}) {
  const items: T[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await call<Page<T>>('GET', path, { query: { ...query, PageNumber: pageNumber } });
    assert.equal(page.status, 200, page.text);
    items.push(...page.json.items);
    if (pageNumber >= (page.json.pagesCount ?? 0)) return items;
  }
}

function validationErrors(result: CallResult<Problem>): Record<string, string[]> {
  assert.equal(result.status, 400, result.text);
  assert.equal(result.json.type, VALIDATION_TYPE);
  assert.equal(result.json.title, 'One or more validation errors occurred.');
  assert.equal(result.json.status, 400);
  assert.ok(result.json.errors, `no errors member in ${result.text}`);
  return result.json.errors;
}

/** Removes the fields that the server owns, leaving a body suitable for PUT. */
function writableFields(record: Record<string, unknown>): Record<string, unknown> {
  const fields = { ...record };
  for (const key of ['id', 'createdDate', 'lastEditDate', 'contacts', 'account', 'fullName']) {
    delete fields[key];
  }
  return fields;
}

async function createAccount(fields: Record<string, unknown>): Promise<Account> {
  const created = await call<Account>('POST', ACCOUNTS, { body: fields });
  assert.equal(created.status, 200, created.text);
  return created.json;
}

async function createContact(fields: Record<string, unknown>): Promise<Contact> {
  const created = await call<Contact>('POST', CONTACTS, { body: fields });
  assert.equal(created.status, 200, created.text);
  return created.json;
}

/** Returns a contact that belongs to an account, from the seed data. */
function seededLinkedContact(): Contact {
  const contact = emulator.store.listContacts().find((item) => item.accountId !== null);
  assert.ok(contact, 'the seed data has a contact with an account');
  return contact as unknown as Contact;
}

describe('emulator', function () {
  before(async function () {
    emulator = await startEmulator({
      accounts: 120,
      maxContactsPerAccount: 6,
      seed: 7,
      apiKey: API_KEY,
    });
  });

  after(async function () {
    await emulator.close();
  });

  beforeEach(function () {
    emulator.reset();
  });

  describe('list endpoints', function () {
    it('returns the first page with defaults', async function () {
      const page = await call<Page<Account>>('GET', ACCOUNTS);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^application\/json; charset=utf-8/);
      assert.equal(page.json.pageSize, 25);
      assert.equal(page.json.currentPage, 1);
      assert.equal(page.json.totalItemsCount, 120);
      assert.equal(page.json.pagesCount, 5);
      assert.deepEqual(
        page.json.items.map((account) => account.id),
        Array.from({ length: 25 }, (_, index) => index + 1),
      );
      for (const account of page.json.items) assert.ok(!('contacts' in account));
    });

    it('caps PageSize and pages to the end', async function () {
      const first = await call<Page<Account>>('GET', ACCOUNTS, { query: { PageSize: 500 } });
      assert.equal(first.json.pageSize, 100);
      assert.equal(first.json.pagesCount, 2);
      const all = await listAll<Account>(ACCOUNTS, { PageSize: 500 });
      assert.equal(all.length, 120);
      assert.equal(new Set(all.map((account) => account.id)).size, 120);
    });

    it('returns an empty page past the end', async function () {
      const page = await call<Page<Account>>('GET', ACCOUNTS, {
        query: { PageNumber: 99, PageSize: 50 },
      });
      assert.equal(page.status, 200);
      assert.deepEqual(page.json.items, []);
      assert.equal(page.json.currentPage, 99);
      assert.equal(page.json.pagesCount, 3);
      assert.equal(page.json.totalItemsCount, 120);
    });

    it('returns zero pages for an empty result', async function () {
      const page = await call<Page<Account>>('GET', ACCOUNTS, {
        query: { Search: 'no-such-account-anywhere' },
      });
      assert.equal(page.json.totalItemsCount, 0);
      assert.equal(page.json.pagesCount, 0);
      assert.deepEqual(page.json.items, []);
    });

    it('rejects invalid paging parameters', async function () {
      const cases: [Record<string, string>, string][] = [
        [{ PageNumber: '0' }, 'PageNumber'],
        [{ PageNumber: '1.5' }, 'PageNumber'],
        [{ PageSize: 'abc' }, 'PageSize'],
        [{ PageSize: '-1' }, 'PageSize'],
        [{ PageSize: '99999999999' }, 'PageSize'],
        [{ NeedsCountInResponse: 'maybe' }, 'NeedsCountInResponse'],
      ];
      for (const [query, key] of cases) {
        const result = await call<Problem>('GET', ACCOUNTS, { query });
        const errors = validationErrors(result);
        assert.ok(errors[key], `${JSON.stringify(query)} reports ${key}: ${result.text}`);
      }
    });

    it('omits counts when NeedsCountInResponse is false', async function () {
      const page = await call<Page<Account>>('GET', ACCOUNTS, {
        query: { NeedsCountInResponse: 'false' },
      });
      assert.equal(page.json.totalItemsCount, null);
      assert.equal(page.json.pagesCount, null);
      assert.equal(page.json.items.length, 25);
    });

    it('matches parameter names case-insensitively', async function () {
      const page = await call<Page<Account>>('GET', ACCOUNTS, {
        query: { pagesize: 3, pagenumber: 2 },
      });
      assert.deepEqual(
        page.json.items.map((account) => account.id),
        [4, 5, 6],
      );
    });
  });

  describe('paging quirks', function () {
    async function setQuirk(pagingQuirk: string): Promise<void> {
      const result = await call('POST', '/__emulator/options', {
        key: null,
        body: { pagingQuirk },
      });
      assert.equal(result.status, 200, result.text);
    }

    async function pageOf(pageNumber: number, pageSize = 50) {
      return call<Page<Account>>('GET', ACCOUNTS, {
        query: { PageNumber: pageNumber, PageSize: pageSize },
      });
    }

    const ids = (page: CallResult<Page<Account>>) => page.json.items.map((account) => account.id);

    it('repeats the last page past the end', async function () {
      await setQuirk('repeatLastPage');
      const last = await pageOf(3);
      const past = await pageOf(4);
      assert.deepEqual(ids(past), ids(last));
      assert.equal(past.json.currentPage, 4);
    });

    it('clamps currentPage past the end', async function () {
      await setQuirk('clampPastEnd');
      const past = await pageOf(9);
      assert.equal(past.json.currentPage, 3);
      assert.equal(ids(past)[0], 101);
    });

    it('rejects a page past the end', async function () {
      await setQuirk('rejectPastEnd');
      assert.equal((await pageOf(3)).status, 200);
      assert.ok(
        validationErrors(
          await call<Problem>('GET', ACCOUNTS, {
            query: { PageNumber: 4, PageSize: 50 },
          }),
        ).PageNumber,
      );
    });

    it('overstates pagesCount', async function () {
      await setQuirk('overcountPages');
      const first = await pageOf(1);
      assert.equal(first.json.pagesCount, 4);
      assert.deepEqual(ids(await pageOf(4)), []);
    });

    it('repeats an item on the next page', async function () {
      await setQuirk('overlapPages');
      const first = ids(await pageOf(1));
      const second = ids(await pageOf(2));
      assert.equal(second[0], first[first.length - 1]);
    });

    it('ignores PageSize', async function () {
      await setQuirk('ignorePageSize');
      const page = await pageOf(1, 50);
      assert.equal(page.json.pageSize, 25);
      assert.equal(page.json.items.length, 25);
      assert.equal(page.json.pagesCount, 5);
    });

    it('rejects an unknown quirk', async function () {
      const result = await call('POST', '/__emulator/options', {
        key: null,
        body: { pagingQuirk: 'sometimes' },
      });
      assert.equal(result.status, 400);
    });
  });

  describe('search', function () {
    it('finds accounts across scripts and case', async function () {
      const zoe = await createAccount({ accountName: 'Zoë Ñúñez 🚀 李 Studio' });
      const greek = await createAccount({ accountName: 'ΟΔΟΣ Φωτεινή' });
      const sigma = await createAccount({ accountName: 'Φωσφόρος Λαμπρός' });
      const russian = await createAccount({ accountName: 'Северный Ветер Плюс' });
      const domain = await createAccount({ accountName: 'Plain', domains: ['unique-xyz.example'] });
      const cases: [string, number][] = [
        ['ZOË', zoe.id],
        ['zoe\u0308', zoe.id],
        ['🚀 李', zoe.id],
        ['οδος', greek.id],
        ['ΦΩΤΕΙΝΉ', greek.id],
        ['ΦΩΣ', sigma.id],
        ['СЕВЕРНЫЙ ВЕТЕР ПЛЮС', russian.id],
        ['UNIQUE-XYZ', domain.id],
      ];
      for (const [search, id] of cases) {
        const page = await call<Page<Account>>('GET', ACCOUNTS, { query: { Search: search } });
        assert.deepEqual(
          page.json.items.map((account) => account.id),
          [id],
          `Search=${search}`,
        );
      }
    });

    it('finds contacts by name, e-mail and additional e-mail', async function () {
      const contact = await createContact({
        firstName: 'Łucja',
        lastName: 'Ørsted',
        email: 'lucja.orsted@search.example',
        additionalEmails: ['second-inbox@elsewhere.example'],
      });
      for (const search of ['łucja ørsted', 'LUCJA.ORSTED@', 'SECOND-INBOX', 'ØRSTED']) {
        const page = await call<Page<Contact>>('GET', CONTACTS, { query: { Search: search } });
        assert.deepEqual(
          page.json.items.map((item) => item.id),
          [contact.id],
          `Search=${search}`,
        );
      }
    });
  });

  describe('sorting and filtering', function () {
    function assertSorted<T extends { id: number }>(
      items: T[],
      key: (item: T) => string | null,
      descending: boolean,
    ) {
      for (let index = 1; index < items.length; index++) {
        const previous = items[index - 1];
        const current = items[index];
        const a = key(previous);
        const b = key(current);
        const label = `ids ${previous.id} and ${current.id}`;
        if (a === b) assert.ok(previous.id < current.id, `${label} tie on id`);
        else if (a === null) assert.ok(!descending, `${label}: null first only ascending`);
        else if (b === null) assert.ok(descending, `${label}: null last only descending`);
        else assert.ok(descending ? a > b : a < b, `${label}: ${a} before ${b}`);
      }
    }

    it('orders accounts by name both ways', async function () {
      const name = (account: Account) => account.accountName.toLowerCase();
      const ascending = await listAll<Account>(ACCOUNTS, { OrderBy: 'accountName', PageSize: 50 });
      assert.equal(ascending.length, 120);
      assertSorted(ascending, name, false);
      const descending = await listAll<Account>(ACCOUNTS, {
        OrderBy: 'ACCOUNTNAME DESC',
        PageSize: 50,
      });
      assertSorted(descending, name, true);
    });

    it('orders by lastEditDate with id tie-break', async function () {
      const byDate = (item: { lastEditDate: string }) => item.lastEditDate;
      const accounts = await listAll<Account>(ACCOUNTS, { OrderBy: 'lastEditDate desc' });
      assertSorted(accounts, byDate, true);
      const contacts = await listAll<Contact>(CONTACTS, { OrderBy: 'lastEditDate Asc' });
      assertSorted(contacts, byDate, false);
      const byId = await listAll<Account>(ACCOUNTS, { OrderBy: 'id desc', PageSize: 100 });
      assert.equal(byId[0].id, 120);
    });

    it('orders contacts by fullName with nulls first', async function () {
      await createContact({ email: 'nameless@example.com' });
      const contacts = await listAll<Contact>(CONTACTS, { OrderBy: 'fullName', PageSize: 100 });
      assert.equal(contacts[0].fullName, null);
      assertSorted(contacts, (contact) => contact.fullName?.toLowerCase() ?? null, false);
    });

    it('rejects an unknown OrderBy field', async function () {
      const result = await call<Problem>('GET', ACCOUNTS, { query: { OrderBy: 'shoeSize desc' } });
      const errors = validationErrors(result);
      assert.match(errors.OrderBy[0], /shoeSize/);
      const contacts = await call<Problem>('GET', CONTACTS, { query: { OrderBy: 'accountName' } });
      assert.match(validationErrors(contacts).OrderBy[0], /accountName/);
    });

    it('filters accounts by status caption', async function () {
      const expected = emulator.store
        .listAccounts()
        .filter((account) => (account.status as Status | null)?.caption === 'Active');
      const active = await listAll<Account>(ACCOUNTS, { Filter: "status eq 'Active'" });
      assert.ok(active.length > 0);
      assert.equal(active.length, expected.length);
      for (const account of active) assert.equal(account.status?.caption, 'Active');
    });

    it('filters contacts by accountId', async function () {
      const linked = seededLinkedContact();
      const accountId = linked.accountId as number;
      const contacts = await listAll<Contact>(CONTACTS, { Filter: `accountId eq ${accountId}` });
      const account = emulator.store.getAccount(accountId) as unknown as Account;
      assert.deepEqual(
        contacts.map((contact) => contact.id),
        (account.contacts ?? []).map((contact) => contact.id),
      );
      const orphans = await listAll<Contact>(CONTACTS, { Filter: 'accountId eq null' });
      for (const contact of orphans) assert.equal(contact.accountId, null);
    });

    it('filters strings with an escaped quote', async function () {
      const account = await createAccount({ accountName: "O'Brien Logistics" });
      const page = await call<Page<Account>>('GET', ACCOUNTS, {
        query: { Filter: "accountName eq 'O''Brien Logistics'" },
      });
      assert.deepEqual(
        page.json.items.map((item) => item.id),
        [account.id],
      );
    });

    it('rejects invalid filters', async function () {
      const filters = [
        "status ne 'Active'",
        "shoeSize eq '42'",
        'status eq Active',
        "accountId eq '12'",
        'status',
      ];
      for (const filter of filters) {
        const path = filter.startsWith('accountId') ? CONTACTS : ACCOUNTS;
        const result = await call<Problem>('GET', path, { query: { Filter: filter } });
        const errors = validationErrors(result);
        assert.ok(errors.Filter?.[0], `Filter=${filter} has a message: ${result.text}`);
      }
    });
  });

  describe('single records', function () {
    it('returns an account with its contacts', async function () {
      const linked = seededLinkedContact();
      const accountId = linked.accountId as number;
      const result = await call<Account>('GET', `${ACCOUNTS}/${accountId}`);
      assert.equal(result.status, 200);
      assert.equal(Object.keys(result.json)[0], 'contacts');
      const contacts = result.json.contacts ?? [];
      assert.ok(contacts.some((contact) => contact.id === linked.id));
      for (const contact of contacts) {
        assert.equal(contact.accountId, accountId);
        assert.equal(contact.account?.id, accountId);
        assert.ok(contact.account);
        assert.ok(!('contacts' in contact.account));
      }
    });

    it('returns a contact with a copy of its account', async function () {
      const linked = seededLinkedContact();
      const result = await call<Contact>('GET', `${CONTACTS}/${linked.id}`);
      assert.equal(result.status, 200);
      assert.equal(result.json.accountId, linked.accountId);
      const account = emulator.store.getAccount(linked.accountId as number) as JsonObject;
      delete account.contacts;
      assert.deepEqual(result.json.account, account);
      const keys = Object.keys(result.json);
      assert.deepEqual(keys.slice(-2), ['account', 'accountId']);
    });

    it('serves account 7 and contact 7 separately', async function () {
      const account = await call<Account>('GET', `${ACCOUNTS}/7`);
      const contact = await call<Contact>('GET', `${CONTACTS}/7`);
      assert.equal(account.status, 200);
      assert.equal(contact.status, 200);
      assert.equal(account.json.id, 7);
      assert.equal(contact.json.id, 7);
    });

    it('returns 404 for missing records', async function () {
      const body = { accountName: 'Nobody', firstName: 'Nobody' };
      for (const path of [`${ACCOUNTS}/999999`, `${CONTACTS}/999999`]) {
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const result = await call<Problem>(method, path, {
            body: method === 'PUT' ? body : undefined,
          });
          assert.equal(result.status, 404, `${method} ${path}`);
          assert.match(result.json.detail ?? '', /999999 was not found/);
        }
      }
    });

    it('returns 400 for a non-numeric id', async function () {
      const result = await call<Problem>('GET', `${ACCOUNTS}/abc`);
      assert.ok(validationErrors(result).id);
    });
  });

  describe('routing', function () {
    it('returns 404 JSON for an unknown route', async function () {
      for (const path of ['/api/v1/Customers/leads', '/api/v2/Customers/accounts', '/']) {
        const result = await call<Problem>('GET', path);
        assert.equal(result.status, 404, path);
        assert.equal(result.json.status, 404);
      }
    });

    it('returns 405 for a method not allowed', async function () {
      const cases: [string, string, string][] = [
        ['PATCH', `${ACCOUNTS}/1`, 'GET, PUT, DELETE'],
        ['POST', `${CONTACTS}/1`, 'GET, PUT, DELETE'],
        ['DELETE', ACCOUNTS, 'GET, POST'],
        ['PUT', CONTACTS, 'GET, POST'],
      ];
      for (const [method, path, allow] of cases) {
        const result = await call<Problem>(method, path, { body: '{}' });
        assert.equal(result.status, 405, `${method} ${path}`);
        assert.equal(result.headers.get('allow'), allow);
      }
    });

    it('matches the API path case-insensitively', async function () {
      const result = await call<Account>('GET', '/API/V1/customers/Accounts/2');
      assert.equal(result.status, 200);
      assert.equal(result.json.id, 2);
    });
  });

  describe('writes', function () {
    it('creates an account with server-owned fields', async function () {
      const account = await createAccount({
        id: 5,
        accountName: '  Fresh Start  ',
        createdDate: '2000-01-01T00:00:00Z',
        contacts: [{ id: 1, firstName: 'Ignored' }],
        domains: ['fresh.example'],
      });
      assert.equal(account.id, 121);
      assert.equal(account.accountName, 'Fresh Start');
      assert.deepEqual(account.contacts, []);
      assert.match(account.createdDate, SERVER_TIMESTAMP);
      assert.equal(account.lastEditDate, account.createdDate);
      assert.deepEqual(account.domains, ['fresh.example']);
      assert.equal(emulator.store.accountCount, 121);
    });

    it('creates a contact with normalised fields', async function () {
      const contact = await createContact({
        firstName: '  Zoë ',
        lastName: 'Ñúñez 🚀 李 ',
        email: 'Zoe.Nunez@Example.COM',
        fullName: 'Ignored Name',
        accountId: 3,
      });
      assert.equal(contact.firstName, 'Zoë');
      assert.equal(contact.lastName, 'Ñúñez 🚀 李');
      assert.equal(contact.fullName, 'Zoë Ñúñez 🚀 李');
      assert.equal(contact.email, 'zoe.nunez@example.com');
      assert.equal(contact.accountId, 3);
      assert.equal(contact.account?.id, 3);
      const account = await call<Account>('GET', `${ACCOUNTS}/3`);
      assert.ok(account.json.contacts?.some((item) => item.id === contact.id));
    });

    it('stores unicode text byte for byte', async function () {
      const name = 'Zoë Ñúñez 🚀 李 👩‍💻 עברית العربية';
      const body = JSON.stringify({ accountName: name });
      const response = await fetch(buildUrl(ACCOUNTS), {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: Buffer.from(body, 'utf8'),
      });
      const created = (await response.json()) as Account;
      assert.equal(created.accountName, name);
      const stored = emulator.store.getAccount(created.id) as JsonObject;
      assert.equal(stored.accountName, name);
    });

    it('replaces fields on PUT and ignores read-only ones', async function () {
      const before = (await call<Account>('GET', `${ACCOUNTS}/4`)).json;
      const result = await call<Account>('PUT', `${ACCOUNTS}/4`, {
        body: {
          ...before,
          id: 99,
          accountName: 'Renamed ',
          createdDate: '1999-01-01T00:00:00Z',
          contacts: [],
        },
      });
      assert.equal(result.status, 200, result.text);
      assert.equal(result.json.id, 4);
      assert.equal(result.json.accountName, 'Renamed');
      assert.equal(result.json.createdDate, before.createdDate);
      assert.notEqual(result.json.lastEditDate, before.lastEditDate);
      assert.deepEqual(
        result.json.contacts?.map((contact) => contact.id),
        before.contacts?.map((contact) => contact.id),
      );
    });

    it('drops fields missing from a PUT body', async function () {
      const result = await call<Account>('PUT', `${ACCOUNTS}/4`, {
        body: { accountName: 'Only a name' },
      });
      assert.equal(result.status, 200);
      assert.ok(!('data' in result.json));
      assert.ok(!('domains' in result.json));
    });

    it('keeps unknown fields and nulls', async function () {
      const result = await call<Account>('PUT', `${ACCOUNTS}/4`, {
        body: { accountName: 'Extras', companyName: null, color: 'teal', tags: { a: [1, null] } },
      });
      assert.equal(result.json.companyName, null);
      assert.equal(result.json.color, 'teal');
      assert.deepEqual(result.json.tags, { a: [1, null] });
    });

    it('moves a contact between accounts', async function () {
      const contact = await createContact({ firstName: 'Mover', accountId: 10 });
      const moved = await call<Contact>('PUT', `${CONTACTS}/${contact.id}`, {
        body: { ...writableFields(contact), accountId: 11 },
      });
      assert.equal(moved.json.accountId, 11);
      assert.equal(moved.json.account?.id, 11);
      const from = await call<Account>('GET', `${ACCOUNTS}/10`);
      const to = await call<Account>('GET', `${ACCOUNTS}/11`);
      assert.ok(!from.json.contacts?.some((item) => item.id === contact.id));
      assert.ok(to.json.contacts?.some((item) => item.id === contact.id));
    });

    it('unlinks a contact when accountId is null', async function () {
      const contact = await createContact({ firstName: 'Loner', accountId: 10 });
      const result = await call<Contact>('PUT', `${CONTACTS}/${contact.id}`, {
        body: { firstName: 'Loner', accountId: null },
      });
      assert.equal(result.json.accountId, null);
      assert.equal(result.json.account, null);
    });

    it('keeps embedded account copies current', async function () {
      const contact = await createContact({ firstName: 'Watcher', accountId: 12 });
      await call('PUT', `${ACCOUNTS}/12`, { body: { accountName: 'Renamed Twelve' } });
      const fresh = await call<Contact>('GET', `${CONTACTS}/${contact.id}`);
      assert.equal(fresh.json.account?.accountName, 'Renamed Twelve');
      const page = await call<Page<Contact>>('GET', CONTACTS, {
        query: { Filter: 'accountId eq 12' },
      });
      for (const item of page.json.items) assert.equal(item.account?.accountName, 'Renamed Twelve');
    });

    it('deletes an account and unlinks its contacts', async function () {
      const contact = await createContact({ firstName: 'Orphan', accountId: 20 });
      const deleted = await call('DELETE', `${ACCOUNTS}/20`);
      assert.equal(deleted.status, 204);
      assert.equal(deleted.text, '');
      assert.equal((await call('GET', `${ACCOUNTS}/20`)).status, 404);
      const after = await call<Contact>('GET', `${CONTACTS}/${contact.id}`);
      assert.equal(after.json.accountId, null);
      assert.equal(after.json.account, null);
      assert.ok(after.json.lastEditDate > contact.lastEditDate);
      const page = await call<Page<Contact>>('GET', CONTACTS, {
        query: { Filter: 'accountId eq 20' },
      });
      assert.equal(page.json.totalItemsCount, 0);
      const list = await call<Page<Account>>('GET', ACCOUNTS, { query: { PageSize: 100 } });
      assert.equal(list.json.totalItemsCount, 119);
    });

    it('deletes a contact from its account', async function () {
      const contact = await createContact({ firstName: 'Leaving', accountId: 21 });
      assert.equal((await call('DELETE', `${CONTACTS}/${contact.id}`)).status, 204);
      const account = await call<Account>('GET', `${ACCOUNTS}/21`);
      assert.ok(!account.json.contacts?.some((item) => item.id === contact.id));
      assert.equal((await call('GET', `${CONTACTS}/${contact.id}`)).status, 404);
    });

    it('makes lastEditDate strictly increasing', async function () {
      const dates: string[] = [];
      for (let round = 0; round < 15; round++) {
        const result = await call<Account>('PUT', `${ACCOUNTS}/30`, {
          body: { accountName: `Round ${round}` },
        });
        dates.push(result.json.lastEditDate);
      }
      const parallel = await Promise.all(
        Array.from({ length: 15 }, (_, index) =>
          call<Account>('PUT', `${ACCOUNTS}/${40 + index}`, { body: { accountName: 'Burst' } }),
        ),
      );
      dates.push(...parallel.map((result) => result.json.lastEditDate).sort());
      for (const date of dates) assert.match(date, SERVER_TIMESTAMP);
      for (let index = 1; index < dates.length; index++) {
        assert.ok(dates[index] > dates[index - 1], `${dates[index]} after ${dates[index - 1]}`);
      }
    });

    it('rejects a non-JSON content type', async function () {
      const result = await call<Problem>('POST', ACCOUNTS, {
        body: 'accountName=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(result.status, 415);
    });
  });

  describe('validation', function () {
    const accountCases: [string, unknown, string][] = [
      ['missing name', {}, 'AccountName'],
      ['blank name', { accountName: '   ' }, 'AccountName'],
      ['long name', { accountName: 'x'.repeat(257) }, 'AccountName'],
      ['numeric name', { accountName: 5 }, 'AccountName'],
      ['domains not an array', { accountName: 'a', domains: 'a.example' }, 'Domains'],
      ['domain not a string', { accountName: 'a', domains: ['a.example', 3] }, 'Domains[1]'],
      ['text count', { accountName: 'a', data: { employeesCount: 'many' } }, 'Data.EmployeesCount'],
      ['text revenue', { accountName: 'a', data: { annualRevenue: '1' } }, 'Data.AnnualRevenue'],
      ['invalid date', { accountName: 'a', data: { signupDate: 'yesterday' } }, 'Data.SignupDate'],
      [
        'impossible date',
        { accountName: 'a', data: { signupDate: '2024-02-30' } },
        'Data.SignupDate',
      ],
      ['data not an object', { accountName: 'a', data: [] }, 'Data'],
      ['status not an object', { accountName: 'a', status: 'Active' }, 'Status'],
      ['array body', [], '$'],
      ['null body', 'null', '$'],
      ['trailing comma', '{"accountName": "a",}', '$'],
      ['truncated body', '{"accountName": "a"', '$'],
      ['empty body', '', ''],
    ];
    for (const [name, body, key] of accountCases) {
      it(`rejects an account with ${name}`, async function () {
        const result = await call<Problem>('POST', ACCOUNTS, { body });
        const errors = validationErrors(result);
        assert.ok(errors[key]?.[0], `error for ${key} in ${result.text}`);
        assert.equal(emulator.store.accountCount, 120);
      });
    }

    it('names the field in the AccountName message', async function () {
      const result = await call<Problem>('POST', ACCOUNTS, { body: {} });
      assert.deepEqual(validationErrors(result), {
        AccountName: ['The AccountName field is required.'],
      });
    });

    const contactCases: [string, unknown, string][] = [
      ['no name or e-mail', { title: 'CEO' }, 'FirstName'],
      ['two @ signs', { email: 'a@b@c.example' }, 'Email'],
      ['no @ sign', { firstName: 'A', email: 'nobody' }, 'Email'],
      [
        'bad additional e-mail',
        { firstName: 'A', additionalEmails: ['a@b.io', 'x'] },
        'AdditionalEmails[1]',
      ],
      ['unknown account', { firstName: 'A', accountId: 999999 }, 'AccountId'],
      ['text accountId', { firstName: 'A', accountId: '7' }, 'AccountId'],
      ['numeric phone', { firstName: 'A', phone: 5551234 }, 'Phone'],
    ];
    for (const [name, body, key] of contactCases) {
      it(`rejects a contact with ${name}`, async function () {
        const result = await call<Problem>('POST', CONTACTS, { body });
        const errors = validationErrors(result);
        assert.ok(errors[key]?.[0], `error for ${key} in ${result.text}`);
      });
    }

    it('validates PUT bodies too', async function () {
      const result = await call<Problem>('PUT', `${CONTACTS}/5`, { body: { email: 'bad' } });
      assert.ok(validationErrors(result).Email);
    });
  });

  describe('strict read-only mode', function () {
    it('rejects server-owned fields by name', async function () {
      await call('POST', '/__emulator/options', { body: { strictReadOnly: true }, key: null });
      const account = (await call<Account>('GET', `${ACCOUNTS}/6`)).json;
      const rejected = await call<Problem>('PUT', `${ACCOUNTS}/6`, { body: account });
      const errors = validationErrors(rejected);
      assert.deepEqual(Object.keys(errors).sort(), [
        'Contacts',
        'CreatedDate',
        'Id',
        'LastEditDate',
      ]);
      assert.match(errors.Id[0], /'id' is read-only/);

      const accepted = await call<Account>('PUT', `${ACCOUNTS}/6`, {
        body: writableFields(account),
      });
      assert.equal(accepted.status, 200, accepted.text);

      const contact = seededLinkedContact();
      const contactResult = await call<Problem>('PUT', `${CONTACTS}/${contact.id}`, {
        body: { ...writableFields(contact), account: contact.account },
      });
      assert.deepEqual(Object.keys(validationErrors(contactResult)), ['Account']);
    });

    it('is off after reset', async function () {
      const account = (await call<Account>('GET', `${ACCOUNTS}/6`)).json;
      const result = await call<Account>('PUT', `${ACCOUNTS}/6`, { body: account });
      assert.equal(result.status, 200);
    });
  });

  describe('exact values', function () {
    it('round-trips big integers, dates and unknown fields', async function () {
      const body =
        '{"accountName":"Precise","data":{"annualRevenue":9007199254740993,"lifetimeValue":1.50,' +
        '"signupDate":"2024-03-31T01:30:00.1234567+02:00","employeesCount":1e2},' +
        '"externalId":12345678901234567891,"customFields":{"tiny":1e-400,"none":null,"list":[-0]}}';
      const created = await call('POST', ACCOUNTS, { body });
      assert.equal(created.status, 200, created.text);
      for (const fragment of [
        '"annualRevenue":9007199254740993',
        '"lifetimeValue":1.50',
        '"signupDate":"2024-03-31T01:30:00.1234567+02:00"',
        '"employeesCount":1e2',
        '"externalId":12345678901234567891',
        '"customFields":{"tiny":1e-400,"none":null,"list":[-0]}',
      ]) {
        assert.ok(created.text.includes(fragment), `${fragment} in ${created.text}`);
      }
    });

    it('keeps seeded edge cases through GET and PUT', async function () {
      const id = SEED_EDGE_CASES.accountBigNumbers.remainder;
      const first = await call('GET', `${ACCOUNTS}/${id}`);
      assert.ok(first.text.includes('"annualRevenue":9007199254740993'));
      assert.ok(first.text.includes('"externalId":12345678901234567891'));

      const record = parseLossless(first.text) as Record<string, unknown>;
      const putBody = stringifyLossless(writableFields(record)) as string;
      const second = await call('PUT', `${ACCOUNTS}/${id}`, { body: putBody });
      assert.equal(second.status, 200, second.text);
      const withoutEditDate = (text: string) => text.replace(/"lastEditDate":"[^"]*"/g, '');
      assert.equal(withoutEditDate(second.text), withoutEditDate(first.text));
    });

    it('seeds offset dates and long descriptions', async function () {
      const offsetId = SEED_EDGE_CASES.accountOffsetDates.remainder;
      const offset = await call<Account>('GET', `${ACCOUNTS}/${offsetId}`);
      assert.match(offset.json.createdDate, /T\d{2}:\d{2}:\d{2}\.\d{7}\+02:00$/);
      const longId = SEED_EDGE_CASES.accountLongDescription.remainder;
      const long = await call<Account>('GET', `${ACCOUNTS}/${longId}`);
      const description = long.json.data?.description as string;
      assert.ok(description.length >= 2048, `${description.length}`);
      assert.ok(description.length <= 8192, `${description.length}`);
    });
  });

  describe('authentication', function () {
    it('returns 401 without a valid key', async function () {
      for (const key of [null, '', 'pc_test_wrong', API_KEY.toUpperCase()]) {
        const result = await call<{ message: string }>('GET', ACCOUNTS, { key });
        assert.equal(result.status, 401, `key ${String(key)}`);
        assert.deepEqual(result.json, { message: 'Invalid or missing API key.' });
      }
      const put = await call('PUT', `${ACCOUNTS}/1`, { key: 'wrong', body: { accountName: 'x' } });
      assert.equal(put.status, 401);
      assert.notEqual(emulator.store.getAccount(1)?.accountName, 'x');
    });

    it('never echoes the key in responses or the log', async function () {
      await call('GET', `${ACCOUNTS}/abc`);
      await call('POST', ACCOUNTS, { body: '{"accountName": "x",}' });
      emulator.setFault('GET /api/v1/Customers/contacts', { status: 500, times: 1 });
      await call('GET', CONTACTS);
      const log = await call<RequestLogEntry[]>('GET', '/__emulator/requests', { key: null });
      assert.ok(!log.text.includes(API_KEY));
      assert.equal(log.json.length, 3);
      for (const entry of log.json) assert.equal(entry.query.apiKey, '***');
    });
  });

  describe('faults', function () {
    it('fails a PUT once, then succeeds', async function () {
      emulator.setFault('PUT /api/v1/Customers/accounts/7', { status: 500, times: 1 });
      const failed = await call<Problem>('PUT', `${ACCOUNTS}/7`, { body: { accountName: 'New' } });
      assert.equal(failed.status, 500);
      assert.equal(failed.json.status, 500);
      assert.notEqual(emulator.store.getAccount(7)?.accountName, 'New');
      const retried = await call<Account>('PUT', `${ACCOUNTS}/7`, { body: { accountName: 'New' } });
      assert.equal(retried.status, 200);
      assert.equal(retried.json.accountName, 'New');
    });

    it('applies to every Nth request with Retry-After', async function () {
      emulator.setFault('GET /api/v1/Customers/accounts', {
        status: 429,
        retryAfter: 10,
        every: 3,
      });
      const statuses: number[] = [];
      for (let index = 0; index < 7; index++) {
        const result = await call('GET', ACCOUNTS);
        statuses.push(result.status);
        if (result.status === 429) assert.equal(result.headers.get('retry-after'), '10');
      }
      assert.deepEqual(statuses, [200, 200, 429, 200, 200, 429, 200]);
    });

    it('sends 503 with an HTTP-date Retry-After', async function () {
      const retryAfter = 'Wed, 21 Oct 2026 07:28:00 GMT';
      emulator.setFault('GET /api/v1/Customers/accounts/:id', { status: 503, retryAfter });
      const result = await call('GET', `${ACCOUNTS}/2`);
      assert.equal(result.status, 503);
      assert.equal(result.headers.get('retry-after'), retryAfter);
    });

    it('sends HTML error and sign-in pages', async function () {
      emulator.setFault('GET /api/v1/Customers/accounts', { html: true, status: 502 });
      const gateway = await call('GET', ACCOUNTS);
      assert.equal(gateway.status, 502);
      assert.match(gateway.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(gateway.text, /^<!DOCTYPE html><html>.*Bad gateway.*<\/html>$/s);

      emulator.setFault('PUT /api/v1/Customers/accounts/:id', { html: true, status: 200 });
      const signIn = await call('PUT', `${ACCOUNTS}/3`, { body: { accountName: 'x' } });
      assert.equal(signIn.status, 200);
      assert.match(signIn.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(signIn.text, /<!DOCTYPE html>.*Sign in/s);
    });

    it('sends a custom body and content type', async function () {
      emulator.setFault('DELETE /api/v1/Customers/contacts/:id', {
        status: 500,
        body: 'upstream exploded',
        contentType: 'text/plain',
      });
      const result = await call('DELETE', `${CONTACTS}/1`);
      assert.equal(result.status, 500);
      assert.equal(result.text, 'upstream exploded');
      assert.equal(result.headers.get('content-type'), 'text/plain');
      assert.ok(emulator.store.hasContact(1));
    });

    it('echoes the request when asked', async function () {
      emulator.setFault('GET /api/v1/Customers/accounts', { status: 401, echoRequest: true });
      const response = await fetch(buildUrl(ACCOUNTS), { headers: { 'x-trace': 'on' } });
      assert.equal(response.status, 401);
      const echoed = (await response.json()) as {
        request: { method: string; url: string; headers: Record<string, string> };
      };
      assert.equal(echoed.request.method, 'GET');
      assert.ok(echoed.request.url.includes(`apiKey=${API_KEY}`));
      assert.equal(echoed.request.headers['x-trace'], 'on');
    });

    it('resets the connection', async function () {
      emulator.setFault('GET /api/v1/Customers/accounts', { reset: true, times: 1 });
      await assert.rejects(call('GET', ACCOUNTS), TypeError);
      assert.equal((await call('GET', ACCOUNTS)).status, 200);
    });

    it('holds a request open', async function () {
      emulator.setFault('GET /api/v1/Customers/accounts', { hang: true });
      await assert.rejects(
        call('GET', ACCOUNTS, { signal: AbortSignal.timeout(150) }),
        (error: Error) => error.name === 'TimeoutError',
      );
    });

    it('adds latency', async function () {
      emulator.setFault('GET /api/v1/Customers/accounts/:id', { latencyMs: 120 });
      const started = performance.now();
      const result = await call('GET', `${ACCOUNTS}/1`);
      assert.equal(result.status, 200);
      assert.ok(performance.now() - started >= 110);
    });

    it('prefers the most specific route', async function () {
      emulator.setFault('* *', { status: 503 });
      emulator.setFault('GET /api/v1/Customers/accounts/:id', { status: 502 });
      emulator.setFault('GET /api/v1/Customers/accounts/7', { latencyMs: 0 });
      assert.equal((await call('GET', `${ACCOUNTS}/7`)).status, 200);
      assert.equal((await call('GET', `${ACCOUNTS}/8`)).status, 502);
      assert.equal((await call('GET', `${CONTACTS}/1`)).status, 503);
      assert.equal((await call('GET', ACCOUNTS, { key: null })).status, 503);
      emulator.clearFaults();
      assert.equal((await call('GET', `${ACCOUNTS}/8`)).status, 200);
    });

    it('rejects invalid fault routes', function () {
      const invalid: [string, FaultSpec][] = [
        ['GET', { status: 500 }],
        ['FETCH /api', { status: 500 }],
        ['GET api/v1', { status: 500 }],
        ['GET /api', { status: 42 }],
        ['GET /api', { times: 0 }],
      ];
      for (const [route, spec] of invalid) {
        assert.throws(() => emulator.setFault(route, spec), Error, route);
      }
    });
  });

  describe('control routes', function () {
    it('records and clears API requests', async function () {
      await call('GET', ACCOUNTS, { query: { PageSize: 2 } });
      await call('PUT', `${ACCOUNTS}/2`, { body: { accountName: 'Logged' } });
      const log = await call<RequestLogEntry[]>('GET', '/__emulator/requests', { key: null });
      assert.equal(log.status, 200);
      assert.deepEqual(
        log.json.map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
        [`GET ${ACCOUNTS} 200`, `PUT ${ACCOUNTS}/2 200`],
      );
      assert.deepEqual(log.json[0].query, { PageSize: '2', apiKey: '***' });
      assert.equal(log.json[1].body, '{"accountName":"Logged"}');
      assert.equal(emulator.requests.length, 2);

      assert.equal((await call('DELETE', '/__emulator/requests', { key: null })).status, 204);
      assert.equal(emulator.requests.length, 0);
    });

    it('sets and clears faults over HTTP', async function () {
      const set = await call('POST', '/__emulator/faults', {
        key: null,
        body: { route: 'GET /api/v1/Customers/contacts/:id', fault: { status: 503, times: 2 } },
      });
      assert.equal(set.status, 204, set.text);
      assert.equal((await call('GET', `${CONTACTS}/1`)).status, 503);
      assert.equal((await call('DELETE', '/__emulator/faults', { key: null })).status, 204);
      assert.equal((await call('GET', `${CONTACTS}/1`)).status, 200);

      const invalid = await call<{ message: string }>('POST', '/__emulator/faults', {
        key: null,
        body: { route: 'GET /x', fault: { sttus: 500 } },
      });
      assert.equal(invalid.status, 400);
      assert.match(invalid.json.message, /sttus/);
    });

    it('reads stored records without logging', async function () {
      const account = await call<Account>('GET', '/__emulator/records/accounts/3', { key: null });
      assert.equal(account.status, 200);
      assert.equal(account.json.id, 3);
      assert.ok(Array.isArray(account.json.contacts));
      const contact = await call<Contact>('GET', '/__emulator/records/contacts/3', { key: null });
      assert.equal(contact.json.id, 3);
      const missing = await call('GET', '/__emulator/records/accounts/999999', { key: null });
      assert.equal(missing.status, 404);
      assert.equal(emulator.requests.length, 0);
    });

    it('changes a record as another client', async function () {
      const before = emulator.store.getAccount(7) as unknown as Account;
      const changed = await call<Account>('PUT', '/__emulator/records/accounts/7', {
        key: null,
        body: { accountName: 'Changed elsewhere' },
      });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.json.accountName, 'Changed elsewhere');
      assert.deepEqual(changed.json.data, before.data);
      assert.ok(changed.json.lastEditDate > before.lastEditDate);
      const viaApi = await call<Account>('GET', `${ACCOUNTS}/7`);
      assert.equal(viaApi.json.lastEditDate, changed.json.lastEditDate);
      assert.equal(emulator.requests.length, 1);
    });

    it('changes options at run time', async function () {
      const options = await call<{ maxPageSize: number }>('POST', '/__emulator/options', {
        key: null,
        body: { maxPageSize: 10, latencyMs: 0 },
      });
      assert.equal(options.status, 200);
      assert.equal(options.json.maxPageSize, 10);
      const page = await call<Page<Account>>('GET', ACCOUNTS, { query: { PageSize: 50 } });
      assert.equal(page.json.pageSize, 10);
      assert.equal(page.json.pagesCount, 12);

      const invalid = await call('POST', '/__emulator/options', {
        key: null,
        body: { maxPageSize: 0 },
      });
      assert.equal(invalid.status, 400);
      const unknown = await call('POST', '/__emulator/options', { key: null, body: { x: 1 } });
      assert.equal(unknown.status, 400);
    });

    it('resets data, faults and the log', async function () {
      await createAccount({ accountName: 'Temporary' });
      emulator.setFault('* *', { status: 500 });
      const reset = await call('POST', '/__emulator/reset', { key: null });
      assert.equal(reset.status, 204);
      assert.equal(emulator.store.accountCount, 120);
      assert.equal(emulator.requests.length, 0);
      assert.equal((await call('GET', `${ACCOUNTS}/121`)).status, 404);
    });

    it('returns 404 for an unknown control route', async function () {
      const result = await call('GET', '/__emulator/nothing', { key: null });
      assert.equal(result.status, 404);
    });
  });

  describe('store', function () {
    it('patches and deletes records directly', function () {
      const patched = emulator.store.patchContact(2, { lastName: 'Direct' });
      assert.equal(patched?.lastName, 'Direct');
      assert.equal(emulator.store.getContact(2)?.lastName, 'Direct');
      assert.equal(emulator.store.deleteContact(2), true);
      assert.equal(emulator.store.deleteContact(2), false);
      assert.equal(emulator.store.getContact(2), undefined);
    });

    it('returns copies that do not change the store', function () {
      const copy = emulator.store.getAccount(1) as JsonObject;
      copy.accountName = 'Mutated';
      assert.notEqual(emulator.store.getAccount(1)?.accountName, 'Mutated');
    });
  });
});

describe('emulator seed data', function () {
  it('is identical for the same seed', function () {
    const options = { accounts: 300, maxContactsPerAccount: 10, seed: 42 };
    const first = new Store(options);
    const second = new Store(options);
    assert.equal(stringifyLossless(first.listAccounts()), stringifyLossless(second.listAccounts()));
    assert.equal(stringifyLossless(first.listContacts()), stringifyLossless(second.listContacts()));
    const other = new Store({ ...options, seed: 43 });
    assert.notEqual(
      stringifyLossless(other.listAccounts()),
      stringifyLossless(first.listAccounts()),
    );
  });

  it('covers scripts, statuses, nulls and orphans', function () {
    const store = new Store({ accounts: 2000, maxContactsPerAccount: 40, seed: 1 });
    const accounts = store.listAccounts();
    const contacts = store.listContacts();
    const names = accounts.map((account) => account.accountName as string).join('\n');
    const scripts: [string, RegExp][] = [
      ['Latin with accents', /[À-ž]/u],
      ['Cyrillic', /\p{Script=Cyrillic}/u],
      ['Greek', /\p{Script=Greek}/u],
      ['Han', /\p{Script=Han}/u],
      ['Hangul', /\p{Script=Hangul}/u],
      ['Arabic', /\p{Script=Arabic}/u],
      ['Hebrew', /\p{Script=Hebrew}/u],
      ['emoji', /\p{Extended_Pictographic}/u],
    ];
    for (const [label, pattern] of scripts) assert.match(names, pattern, label);

    const captions = new Set(accounts.map((account) => (account.status as Status | null)?.caption));
    for (const caption of ['Active', 'Trial', 'Churned', 'Prospect']) {
      assert.ok(captions.has(caption), caption);
    }
    assert.ok(accounts.some((account) => account.companyName === null));
    assert.ok(accounts.some((account) => !('companyName' in account)));
    assert.ok(contacts.some((contact) => contact.accountId === null));
    assert.ok(contacts.some((contact) => contact.email === null));
    for (const contact of contacts) {
      const email = contact.email;
      if (typeof email === 'string') assert.match(email, /^[\x21-\x7e]+@[a-z0-9.-]+$/);
    }
    for (const account of accounts) {
      for (const domain of (account.domains as string[] | null | undefined) ?? []) {
        assert.match(domain, /^[a-z0-9.-]+$/);
      }
    }
  });

  it('uses the key order of written records', function () {
    const store = new Store({ accounts: 300, maxContactsPerAccount: 10, seed: 3 });
    for (const account of store.listAccounts()) {
      const rebuilt = buildAccountRecord(account, {
        id: account.id as number,
        createdDate: account.createdDate,
        lastEditDate: account.lastEditDate,
      });
      assert.deepEqual(Object.keys(account), Object.keys(rebuilt));
    }
    for (const contact of store.listContacts()) {
      const stored = { ...contact };
      delete stored.account;
      const rebuilt = buildContactRecord(stored, {
        id: contact.id as number,
        accountId: contact.accountId as number | null,
        createdDate: contact.createdDate,
        lastEditDate: contact.lastEditDate,
      });
      assert.deepEqual(Object.keys(stored), Object.keys(rebuilt));
      assert.equal(stored.fullName, rebuilt.fullName);
    }
  });
});

describe('emulator lifecycle', function () {
  it('ends held requests on close', async function () {
    const local = await startEmulator({ accounts: 5, apiKey: API_KEY });
    local.setFault('* *', { hang: true });
    const pending = fetch(`${local.url}${ACCOUNTS}?apiKey=${API_KEY}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await local.close();
    await assert.rejects(pending, TypeError);
    assert.ok(performance.now() - started < 1000);
  });

  it('serves 100,000 accounts quickly', async function () {
    this.timeout(60_000);
    const started = performance.now();
    const large = await startEmulator({ accounts: 100_000, apiKey: API_KEY });
    const seedMs = performance.now() - started;
    try {
      assert.equal(large.store.accountCount, 100_000);
      const base = `${large.url}${ACCOUNTS}?apiKey=${API_KEY}&PageSize=100`;
      const timePage = async (query: string) => {
        const pageStarted = performance.now();
        const response = await fetch(`${base}&${query}`);
        const page = (await response.json()) as Page<Account>;
        assert.equal(page.items.length, 100);
        return performance.now() - pageStarted;
      };
      const firstSorted = await timePage('OrderBy=accountName%20desc&PageNumber=500');
      const cachedSorted = await timePage('OrderBy=accountName%20desc&PageNumber=501');
      const lastPage = await timePage('PageNumber=1000');
      console.log(
        `      100,000 accounts and ${large.store.contactCount} contacts seeded in ` +
          `${seedMs.toFixed(0)} ms; first sorted page ${firstSorted.toFixed(1)} ms, ` +
          `cached sorted page ${cachedSorted.toFixed(1)} ms, last page ${lastPage.toFixed(1)} ms`,
      );
      assert.ok(seedMs < 30_000, `seeding took ${seedMs.toFixed(0)} ms`);
    } finally {
      await large.close();
    }
  });
});
