import assert from 'node:assert/strict';
import {
  JsonSyntaxError,
  jsonEquals,
  parseJson,
  redact,
  registerSecret,
  stringifyJson,
} from '../../src/api';

describe('parseJson', function () {
  it('reports line and column of an error', function () {
    const error = (() => {
      try {
        parseJson('{\n  "a": 1,\n}');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(error instanceof JsonSyntaxError);
    assert.equal(error.line, 3);
    assert.equal(error.column, 1);
    assert.match(error.message, /line 3, column 1/);
  });

  it('rejects truncated text', function () {
    assert.throws(() => parseJson('{"a": '), JsonSyntaxError);
  });

  it('rejects duplicate keys', function () {
    assert.throws(() => parseJson('{"a": 1, "a": 2}'), /Duplicate key 'a'/);
  });

  it('keeps the digits of every number', function () {
    for (const text of ['9007199254740993', '-0', '1.10', '1e400', '0.1234567890123456789']) {
      assert.equal(stringifyJson(parseJson(text)), text);
    }
  });

  it('compares values by content', function () {
    assert.ok(
      jsonEquals(
        parseJson('{"a":[1,{"b":null}],"c":"x"}'),
        parseJson('{"c":"x","a":[1,{"b":null}]}'),
      ),
    );
    assert.ok(!jsonEquals(parseJson('{"a":1.0}'), parseJson('{"a":1}')));
  });
});

describe('redact', function () {
  it('removes apiKey query values', function () {
    assert.equal(
      redact('GET /x?PageNumber=1&apiKey=abc123&x=1'),
      'GET /x?PageNumber=1&apiKey=***&x=1',
    );
    assert.equal(redact('/x?APIKEY=abc'), '/x?APIKEY=***');
  });

  it('removes registered secrets in plain and encoded form', function () {
    registerSecret('s3cret/+key');
    assert.equal(redact('a s3cret/+key b s3cret%2F%2Bkey'), 'a *** b ***');
  });
});
