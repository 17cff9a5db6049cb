import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { startEmulator, type Emulator } from '../../emulator';
import {
  ApiError,
  CustomersClient,
  LosslessNumber,
  Pager,
  parseJson,
  stringifyJson,
  type ApiLogger,
  type ClientOptions,
  type JsonObject,
} from '../../src/api';

/** A logger that keeps every line, so tests can search them for the key. */
class RecordingLogger implements ApiLogger {
  readonly lines: string[] = [];
  trace(message: string) {
    this.lines.push(message);
  }
  debug(message: string) {
    this.lines.push(message);
  }
  info(message: string) {
    this.lines.push(message);
  }
  warn(message: string) {
    this.lines.push(message);
  }
  error(message: string | Error) {
    this.lines.push(message instanceof Error ? `${message.message}\n${message.stack}` : message);
  }
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the request to fail');
}

const accountsRoute = 'GET /api/v1/Customers/accounts';

describe('CustomersClient against the emulator', function () {
  let emulator: Emulator;
  let logger: RecordingLogger;
  let client: CustomersClient;

  function makeClient(options: Partial<ClientOptions> = {}): CustomersClient {
    return new CustomersClient({
      baseUrl: emulator.url,
      apiKey: emulator.apiKey,
      logger,
      retry: { baseDelayMs: 20 },
      ...options,
    });
  }

  before(async function () {
    emulator = await startEmulator({ accounts: 250, maxPageSize: 100, seed: 7 });
  });
  after(async function () {
    await emulator.close();
  });
  beforeEach(function () {
    emulator.clearFaults();
    emulator.requests.length = 0;
    logger = new RecordingLogger();
    client = makeClient();
  });

  describe('endpoints', function () {
    it('lists accounts as a page', async function () {
      const page = await client.listAccounts({ pageNumber: 1, pageSize: 10 });
      assert.equal(page.items.length, 10);
      assert.equal(page.currentPage, 1);
      assert.equal(page.pageSize, 10);
      assert.equal(page.totalItemsCount, 250);
      assert.equal(page.pagesCount, 25);
      assert.ok(page.items[0].id instanceof LosslessNumber);
    });

    it('sends search, order and filter parameters', async function () {
      const page = await client.listAccounts({ pageSize: 5, orderBy: 'id desc', search: 'a' });
      const ids = page.items.map((item) => Number(item.id.value));
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => b - a),
      );
      const sent = emulator.requests.at(-1);
      assert.equal(sent?.query.OrderBy, 'id desc');
      assert.equal(sent?.query.Search, 'a');
      assert.equal(sent?.query.apiKey, '***');
    });

    it('gets an account with its contacts', async function () {
      const [first] = (await client.listAccounts({ pageSize: 1 })).items;
      const account = await client.getAccount(first.id.value);
      assert.equal(account.id.value, first.id.value);
      assert.ok(Array.isArray(account.contacts));
    });

    it('creates, updates and deletes an account', async function () {
      const created = await client.createAccount({
        accountName: '  Créé Ltd 🚀  ',
        domains: ['cree.example'],
      });
      assert.equal(created.accountName, 'Créé Ltd 🚀');
      const id = created.id.value;
      const updated = await client.updateAccount(id, { ...created, accountName: 'Renamed Ltd' });
      assert.equal(updated.accountName, 'Renamed Ltd');
      assert.notEqual(updated.lastEditDate, created.lastEditDate);
      await client.deleteAccount(id);
      const error = await rejection(client.getAccount(id));
      assert.equal(error.kind, 'notFound');
      assert.equal(error.status, 404);
    });

    it('lists, gets, creates, updates and deletes a contact', async function () {
      const page = await client.listContacts({ pageSize: 3 });
      assert.equal(page.items.length, 3);
      const [account] = (await client.listAccounts({ pageSize: 1 })).items;
      const created = await client.createContact({
        firstName: 'Zoë',
        lastName: 'Ñúñez 🚀 李',
        email: 'ZOE@Example.com',
        accountId: account.id,
      });
      assert.equal(created.email, 'zoe@example.com');
      assert.equal(created.lastName, 'Ñúñez 🚀 李');
      const id = created.id.value;
      const fetched = await client.getContact(id);
      assert.equal(fetched.firstName, 'Zoë');
      const updated = await client.updateContact(id, { ...fetched, title: 'CTO' });
      assert.equal(updated.title, 'CTO');
      await client.deleteContact(id);
      assert.equal((await rejection(client.getContact(id))).kind, 'notFound');
    });

    it('rejects an id that is not a whole number before sending', async function () {
      await assert.rejects(client.getAccount('7/../../x'), /Invalid account id "7\/\.\.\/\.\.\/x"/);
      assert.equal(emulator.requests.length, 0);
    });
  });

  describe('paging', function () {
    it('pages to the end past a server cap', async function () {
      const pager = new Pager(
        (pageNumber, pageSize, signal) => client.listAccounts({ pageNumber, pageSize }, { signal }),
        500,
      );
      while (!pager.done) await pager.loadNext();
      assert.equal(pager.loadedCount, 250);
      assert.equal(new Set(pager.items.map((item) => item.id.value)).size, 250);
      assert.equal(emulator.requests.length, 3);
      assert.deepEqual(
        emulator.requests.map((request) => request.query.PageSize),
        ['500', '100', '100'],
      );
      assert.equal(pager.changed, false);
    });

    it('returns an empty page past the end', async function () {
      const page = await client.listAccounts({ pageNumber: 99, pageSize: 50 });
      assert.deepEqual(page.items, []);
      assert.equal(page.totalItemsCount, 250);
    });

    it('stops when a page repeats the previous one', async function () {
      const pager = new Pager(
        (pageNumber, pageSize) => client.listAccounts({ pageNumber, pageSize }),
        100,
      );
      await pager.loadNext();
      const second = await client.listAccounts({ pageNumber: 2, pageSize: 100 });
      await pager.loadNext();
      emulator.setFault(accountsRoute, {
        status: 200,
        body: stringifyJson(second as unknown as JsonObject),
        times: 1,
      });
      const result = await pager.loadNext();
      assert.equal(result.added.length, 0);
      assert.equal(result.done, true);
      assert.equal(pager.loadedCount, 200);
    });

    it('sends one request for two overlapping loads', async function () {
      const pager = new Pager(
        (pageNumber, pageSize) => client.listAccounts({ pageNumber, pageSize }),
        50,
      );
      const [a, b] = await Promise.all([pager.loadNext(), pager.loadNext()]);
      assert.equal(a, b);
      assert.equal(emulator.requests.length, 1);
      assert.equal(pager.loadedCount, 50);
    });

    it('rejects a page size that is not a whole number', async function () {
      await assert.rejects(client.listAccounts({ pageSize: 0 }), /Invalid PageSize 0/);
      await assert.rejects(client.listAccounts({ pageNumber: 1.5 }), /Invalid PageNumber 1.5/);
      assert.equal(emulator.requests.length, 0);
    });
  });

  describe('errors', function () {
    it('reports a wrong key as unauthorized', async function () {
      const error = await rejection(makeClient({ apiKey: 'wrong-key-123' }).listAccounts());
      assert.equal(error.kind, 'unauthorized');
      assert.equal(error.status, 401);
      assert.match(error.message, /HTTP 401/);
      assert.doesNotMatch(error.message, /wrong-key-123/);
    });

    it('refuses an empty key without a request', function () {
      assert.throws(() => makeClient({ apiKey: '  ' }), /No API token is set/);
      assert.equal(emulator.requests.length, 0);
    });

    it('reports a missing record as not found', async function () {
      const error = await rejection(client.getAccount('999999999'));
      assert.equal(error.kind, 'notFound');
      assert.equal(error.method, 'GET');
      assert.equal(error.path, '/api/v1/Customers/accounts/999999999');
    });

    it('reports a 400 with the server message and field errors', async function () {
      const error = await rejection(client.createAccount({ accountName: '' }));
      assert.equal(error.kind, 'validation');
      assert.equal(error.status, 400);
      assert.ok(error.fieldErrors?.AccountName, JSON.stringify(error.fieldErrors));
      assert.match(error.message, /AccountName/);
      assert.match(error.message, /HTTP 400/);
    });

    it('reports a 500 as a server error', async function () {
      emulator.setFault(accountsRoute, {
        status: 500,
        body: '{"message":"Database unavailable"}',
        contentType: 'application/json',
      });
      const error = await rejection(client.listAccounts());
      assert.equal(error.kind, 'server');
      assert.equal(error.serverMessage, 'Database unavailable');
      assert.match(error.message, /^Database unavailable \(HTTP 500 from 127\.0\.0\.1:\d+\)$/);
    });

    it('reports an HTML error page as non-JSON', async function () {
      emulator.setFault(accountsRoute, { status: 502, html: true });
      const error = await rejection(client.listAccounts());
      assert.equal(error.kind, 'server');
      assert.match(
        error.message,
        /^HTTP 502 from 127\.0\.0\.1:\d+ \(non-JSON response, text\/html\)\.$/,
      );
    });

    it('treats an HTML page with status 200 as an error', async function () {
      emulator.setFault(accountsRoute, { status: 200, html: true });
      const error = await rejection(client.listAccounts());
      assert.equal(error.kind, 'invalidResponse');
      assert.match(error.message, /HTTP 200 .*non-JSON response/);
    });

    it('treats a JSON answer without items as invalid', async function () {
      emulator.setFault(accountsRoute, {
        status: 200,
        body: '{"data":[]}',
        contentType: 'application/json',
      });
      const error = await rejection(client.listAccounts());
      assert.equal(error.kind, 'invalidResponse');
    });

    it('reports a dropped connection as a network error', async function () {
      emulator.setFault(accountsRoute, { reset: true });
      const error = await rejection(client.listAccounts());
      assert.equal(error.kind, 'network');
      assert.equal(error.outcomeUnknown, false);
    });

    it('marks a dropped PUT as of unknown outcome', async function () {
      emulator.setFault('PUT /api/v1/Customers/accounts/:id', { reset: true });
      const [account] = (await client.listAccounts({ pageSize: 1 })).items;
      const error = await rejection(client.updateAccount(account.id.value, account));
      assert.equal(error.kind, 'network');
      assert.equal(error.outcomeUnknown, true);
    });

    it('reports a refused connection as a network error', async function () {
      const closed = await startEmulator({ accounts: 0 });
      const url = closed.url;
      await closed.close();
      const error = await rejection(
        new CustomersClient({ baseUrl: url, apiKey: 'abcd1234' }).listAccounts(),
      );
      assert.equal(error.kind, 'network');
      assert.match(error.message, /ECONNREFUSED/);
    });

    it('gives up on a request that never answers', async function () {
      emulator.setFault('PUT /api/v1/Customers/accounts/:id', { hang: true });
      const [account] = (await client.listAccounts({ pageSize: 1 })).items;
      const started = Date.now();
      const error = await rejection(
        makeClient({ timeoutMs: 300 }).updateAccount(account.id.value, account),
      );
      assert.equal(error.kind, 'timeout');
      assert.equal(error.outcomeUnknown, true);
      assert.ok(Date.now() - started < 3000);
    });

    it('stops at once when the caller cancels', async function () {
      emulator.setFault(accountsRoute, { hang: true });
      const controller = new AbortController();
      const pending = client.listAccounts({}, { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const error = await rejection(pending);
      assert.equal(error.kind, 'cancelled');
    });
  });

  describe('retries', function () {
    it('honours Retry-After on a 429', async function () {
      emulator.setFault(accountsRoute, { status: 429, retryAfter: 1, times: 1 });
      const started = Date.now();
      const page = await client.listAccounts({ pageSize: 5 });
      assert.equal(page.items.length, 5);
      assert.equal(emulator.requests.length, 2);
      assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    });

    it('retries a 503 on PUT and DELETE', async function () {
      const created = await client.createAccount({ accountName: 'Retry Ltd' });
      emulator.setFault('PUT /api/v1/Customers/accounts/:id', { status: 503, times: 2 });
      await client.updateAccount(created.id.value, { ...created, accountName: 'Retried Ltd' });
      emulator.setFault('DELETE /api/v1/Customers/accounts/:id', { status: 503, times: 1 });
      await client.deleteAccount(created.id.value);
      const methods = emulator.requests.map((request) => `${request.method} ${request.status}`);
      assert.deepEqual(methods, [
        'POST 200',
        'PUT 503',
        'PUT 503',
        'PUT 200',
        'DELETE 503',
        'DELETE 204',
      ]);
    });

    it('stops after the maximum attempts', async function () {
      emulator.setFault(accountsRoute, { status: 503 });
      const error = await rejection(
        makeClient({ retry: { maxAttempts: 4, baseDelayMs: 10 } }).listAccounts(),
      );
      assert.equal(error.kind, 'server');
      assert.equal(emulator.requests.length, 4);
    });

    it('stops when Retry-After exceeds the wait limit', async function () {
      emulator.setFault(accountsRoute, { status: 429, retryAfter: 60 });
      const error = await rejection(client.listAccounts());
      assert.equal(error.kind, 'rateLimited');
      assert.equal(error.retryAfterMs, 60_000);
      assert.equal(emulator.requests.length, 1);
    });

    it('stops when the total time would pass its bound', async function () {
      emulator.setFault(accountsRoute, { status: 429, retryAfter: 1 });
      const limited = makeClient({ retry: { maxAttempts: 10, maxTotalMs: 1500 } });
      const error = await rejection(limited.listAccounts());
      assert.equal(error.kind, 'rateLimited');
      assert.equal(emulator.requests.length, 2);
    });

    it('never retries a POST', async function () {
      emulator.setFault('POST /api/v1/Customers/accounts', { status: 503 });
      const error = await rejection(client.createAccount({ accountName: 'Once Ltd' }));
      assert.equal(error.kind, 'server');
      assert.equal(emulator.requests.length, 1);
    });
  });

  describe('the API key', function () {
    it('appears in no log line or error', async function () {
      const key = emulator.apiKey;
      const messages: string[] = [];
      const keep = async (promise: Promise<unknown>) => {
        try {
          await promise;
        } catch (error) {
          const failure = error as Error;
          messages.push(
            failure.message,
            failure.stack ?? '',
            JSON.stringify(failure),
            inspect(failure, { depth: 5 }),
          );
        }
      };
      // The server echoes the request line and the key back in its error bodies.
      const echo = `{"message":"Bad request GET /x?apiKey=${key} key ${key} ${encodeURIComponent(key)}"}`;
      emulator.setFault(accountsRoute, {
        status: 500,
        body: echo,
        contentType: 'application/json',
        times: 1,
      });
      await keep(client.listAccounts());
      emulator.setFault(accountsRoute, {
        status: 502,
        body: `<html>${key}</html>`,
        contentType: 'text/html',
        times: 1,
      });
      await keep(client.listAccounts());
      emulator.setFault(accountsRoute, { status: 429, retryAfter: 0, times: 1 });
      await keep(client.listAccounts({ search: 'x' }));
      emulator.setFault(accountsRoute, { reset: true, times: 1 });
      await keep(client.listAccounts());
      emulator.setFault(accountsRoute, { hang: true, times: 1 });
      await keep(makeClient({ timeoutMs: 200, logger }).listAccounts());
      await keep(client.createAccount({ accountName: '' }));
      await keep(client.getContact('999999999'));
      await keep(client.createContact({ firstName: 'Key', email: key }));

      assert.ok(logger.lines.length > 8, 'the client logged its requests');
      for (const text of [...logger.lines, ...messages]) {
        assert.ok(!text.includes(key), `the key leaked into: ${text.slice(0, 200)}`);
      }
    });
  });

  describe('exact round trips', function () {
    it('keeps big integers, dates, unicode, nulls and unknown fields', async function () {
      const fields = parseJson(`{
        "accountName": "Zoë Ñúñez 🚀 李 — Ελληνικά",
        "domains": ["zoe.example"],
        "data": {
          "annualRevenue": 9007199254740993,
          "lifetimeValue": 2.50,
          "employeesCount": null,
          "signupDate": "2024-03-31T01:30:00.1234567+02:00",
          "externalId": 123456789012345678901234567890
        },
        "customFields": { "tier": "gold", "score": 1e400, "tags": [null, true, -0] }
      }`) as JsonObject;
      const created = await client.createAccount(fields);
      const fetched = await client.getAccount(created.id.value);
      const data = fetched.data as JsonObject;
      assert.equal(stringifyJson(data.annualRevenue), '9007199254740993');
      assert.equal(stringifyJson(data.lifetimeValue), '2.50');
      assert.equal(data.employeesCount, null);
      assert.equal(data.signupDate, '2024-03-31T01:30:00.1234567+02:00');
      assert.equal(stringifyJson(data.externalId), '123456789012345678901234567890');
      assert.equal(
        stringifyJson(fetched.customFields),
        '{"tier":"gold","score":1e400,"tags":[null,true,-0]}',
      );
      assert.equal(fetched.accountName, 'Zoë Ñúñez 🚀 李 — Ελληνικά');

      const updated = await client.updateAccount(created.id.value, fetched);
      assert.equal(stringifyJson(updated.data), stringifyJson(fetched.data));
      assert.equal(stringifyJson(updated.customFields), stringifyJson(fetched.customFields));
    });

    it('reproduces a parsed record exactly', function () {
      const text = stringifyJson(
        parseJson(
          '{"id":7,"n":9007199254740993,"f":1.10,"e":-1E-7,"s":"\\u00e9\\n😀","z":null,"a":[],"o":{}}',
        ),
        2,
      );
      assert.equal(stringifyJson(parseJson(text), 2), text);
      assert.match(text, /"n": 9007199254740993/);
      assert.match(text, /"f": 1.10/);
    });
  });
});

describe('CustomersClient base URL', function () {
  it('requires HTTPS for a remote host', function () {
    assert.throws(
      () => new CustomersClient({ baseUrl: 'http://app.prodcamp.com', apiKey: 'abcd1234' }),
      /"http:\/\/app\.prodcamp\.com" uses plain HTTP/,
    );
  });
  it('allows HTTP on loopback', function () {
    for (const url of ['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:9']) {
      assert.doesNotThrow(() => new CustomersClient({ baseUrl: url, apiKey: 'abcd1234' }), url);
    }
  });
  it('rejects text that is not a URL', function () {
    assert.throws(
      () => new CustomersClient({ baseUrl: 'app.prodcamp', apiKey: 'abcd1234' }),
      /"app\.prodcamp" is not a valid URL/,
    );
  });
  it('defaults to the hosted service', function () {
    assert.equal(
      new CustomersClient({ apiKey: 'abcd1234' }).baseUrl.href,
      'https://app.prodcamp.com/',
    );
  });
});
