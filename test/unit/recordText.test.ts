import assert from 'node:assert/strict';
import { parseJson, stringifyJson, type JsonObject } from '../../src/api';
import {
  bodyFromText,
  recordToText,
  RecordTextError,
  templateText,
} from '../../src/documents/recordText';

const stored = parseJson(`{
  "id": 7,
  "accountName": "Acme",
  "data": { "id": 70, "annualRevenue": 9007199254740993, "signupDate": "2024-03-31T01:30:00.1234567+02:00" },
  "externalId": 123456789012345678901,
  "unknown": { "nested": [null, 1.10] },
  "lastEditDate": "2025-05-12T14:15:09.513Z",
  "createdDate": "2025-05-12T14:15:09.5130000+00:00",
  "contacts": [{ "id": 1 }]
}`) as JsonObject;

function rejection(body: () => unknown): RecordTextError {
  try {
    body();
  } catch (error) {
    assert.ok(error instanceof RecordTextError, String(error));
    return error;
  }
  assert.fail('expected a RecordTextError');
}

describe('record documents', function () {
  const originalZone = process.env.TZ;
  before(function () {
    // Dates must never pass through Date, so a far-off time zone changes nothing.
    process.env.TZ = 'Pacific/Auckland';
  });
  after(function () {
    process.env.TZ = originalZone;
  });

  it('leaves embedded contacts out of the text', function () {
    const text = recordToText('account', stored);
    assert.doesNotMatch(text, /contacts/);
    assert.match(text, /"annualRevenue": 9007199254740993/);
    assert.ok(text.endsWith('}\n'));
  });

  it('sends every field but the server-owned ones', function () {
    const text = recordToText('account', stored).replace('"Acme"', '"Acme Ltd"');
    const body = bodyFromText('account', text, stored);
    assert.deepEqual(Object.keys(body), ['accountName', 'data', 'externalId', 'unknown']);
    assert.equal(body.accountName, 'Acme Ltd');
    assert.equal(
      stringifyJson(body.data),
      '{"id":70,"annualRevenue":9007199254740993,"signupDate":"2024-03-31T01:30:00.1234567+02:00"}',
    );
    assert.equal(stringifyJson(body.externalId), '123456789012345678901');
    assert.equal(stringifyJson(body.unknown), '{"nested":[null,1.10]}');
  });

  it('rejects invalid JSON with its line', function () {
    const error = rejection(() => bodyFromText('account', '{\n  "accountName": "x",\n}', stored));
    assert.match(error.message, /not valid JSON.*line 3, column 1/);
    assert.ok(error.range);
  });

  it('rejects a root that is not an object', function () {
    assert.match(rejection(() => bodyFromText('account', '[]', stored)).message, /not an array/);
    assert.match(rejection(() => bodyFromText('account', 'null', stored)).message, /not null/);
    assert.match(
      rejection(() => bodyFromText('contact', '"x"', undefined)).message,
      /not a string/,
    );
  });

  it('rejects a change of a server-owned field', function () {
    const text = recordToText('account', stored).replace('"id": 70', '"id": 71');
    const error = rejection(() => bodyFromText('account', text, stored));
    assert.equal(error.field, 'data.id');
    assert.match(
      error.message,
      /"data\.id" is set by the server and can't be changed \(it is 70\)/,
    );
  });

  it('rejects removing a server-owned field', function () {
    const text = recordToText('account', stored).replace(/\s*"lastEditDate": "[^"]+",/, '');
    const error = rejection(() => bodyFromText('account', text, stored));
    assert.equal(error.field, 'lastEditDate');
    assert.match(error.message, /can't be removed/);
  });

  it('rejects embedded contacts in the text', function () {
    const text = recordToText('account', stored).replace(
      '"accountName"',
      '"contacts": [],\n  "accountName"',
    );
    const error = rejection(() => bodyFromText('account', text, stored));
    assert.equal(error.field, 'contacts');
    assert.match(error.message, /open each contact to edit it/);
  });

  it('names a mistyped field', function () {
    const text = recordToText('account', stored).replace(
      '"annualRevenue": 9007199254740993',
      '"annualRevenue": "lots"',
    );
    const error = rejection(() => bodyFromText('account', text, stored));
    assert.equal(error.field, 'data.annualRevenue');
    assert.match(error.message, /"data\.annualRevenue" must be number or null, not "lots"/);
  });

  it('checks dates and emails by pattern', function () {
    const date = rejection(() =>
      bodyFromText(
        'contact',
        '{"firstName":"A","lastEditDate":"x"}',
        parseJson('{"lastEditDate":"x"}') as JsonObject,
      ),
    );
    assert.ok(date);
    const email = rejection(() => bodyFromText('contact', '{"email":"no-at-sign"}', undefined));
    assert.match(email.message, /"email" must be an email address/);
    const signup = rejection(() =>
      bodyFromText('account', '{"accountName":"A","data":{"signupDate":"yesterday"}}', undefined),
    );
    assert.match(signup.message, /ISO 8601/);
  });

  it('requires no server-owned field in a new record', function () {
    const error = rejection(() =>
      bodyFromText('account', '{"id": 5, "accountName": "A"}', undefined),
    );
    assert.match(error.message, /"id" is set by the server when the account is created/);
  });

  it('accepts the templates once filled in', function () {
    const account = bodyFromText(
      'account',
      templateText('account').replace('"accountName": ""', '"accountName": "New"'),
      undefined,
    );
    assert.equal(account.accountName, 'New');
    const contact = bodyFromText('contact', templateText('contact', '12'), undefined);
    assert.equal(stringifyJson(contact.accountId), '12');
  });

  it('round-trips a record exactly', function () {
    const text = recordToText('account', stored);
    assert.equal(recordToText('account', parseJson(text) as JsonObject), text);
  });
});
