import assert from 'node:assert/strict';
import { LosslessNumber, Pager, type JsonObject, type Page } from '../../src/api';

type Item = JsonObject & { id: LosslessNumber };

function items(...ids: number[]): Item[] {
  return ids.map((id) => ({ id: new LosslessNumber(String(id)) }));
}

function page(
  list: Item[],
  currentPage: number,
  pagesCount: number,
  totalItemsCount: number,
  pageSize = 2,
): Page<Item> {
  return { items: list, currentPage, pagesCount, totalItemsCount, pageSize };
}

describe('Pager', function () {
  it('stops at pagesCount', async function () {
    const calls: number[] = [];
    const pager = new Pager<Item>((n) => {
      calls.push(n);
      return Promise.resolve(page(n === 1 ? items(1, 2) : items(3), n, 2, 3));
    }, 2);
    while (!pager.done) await pager.loadNext();
    assert.deepEqual(calls, [1, 2]);
    assert.equal(pager.loadedCount, 3);
  });

  it('stops when currentPage differs from the request', async function () {
    const pager = new Pager<Item>(
      (n) => Promise.resolve(page(n === 1 ? items(1, 2) : items(3, 4), n === 3 ? 2 : n, 0, -1)),
      2,
    );
    await pager.loadNext();
    await pager.loadNext();
    const third = await pager.loadNext();
    assert.equal(third.done, true);
    assert.equal(pager.loadedCount, 4);
  });

  it('stops on an empty page even when pagesCount says more', async function () {
    const pager = new Pager<Item>(
      (n) => Promise.resolve(page(n === 1 ? items(1, 2) : [], n, 3, 6)),
      2,
    );
    await pager.loadNext();
    const second = await pager.loadNext();
    assert.equal(second.done, true);
    assert.equal(pager.loadedCount, 2);
  });

  it('stops on a short page without pagesCount', async function () {
    const pager = new Pager<Item>(() => Promise.resolve(page(items(1), 1, 0, -1)), 2);
    assert.equal((await pager.loadNext()).done, true);
  });

  it('drops duplicates and flags the change', async function () {
    // Something was created before page 2 was fetched, so record 2 moved onto it.
    const pager = new Pager<Item>(
      (n) => Promise.resolve(n === 1 ? page(items(1, 2), 1, 3, 5) : page(items(2, 3), 2, 3, 6)),
      2,
    );
    await pager.loadNext();
    const second = await pager.loadNext();
    assert.deepEqual(
      second.added.map((item) => item.id.value),
      ['3'],
    );
    assert.equal(second.duplicates, 1);
    assert.equal(pager.changed, true);
    assert.deepEqual(
      pager.items.map((item) => item.id.value),
      ['1', '2', '3'],
    );
  });

  it('flags a changed total', async function () {
    const pager = new Pager<Item>(
      (n) => Promise.resolve(page(n === 1 ? items(1, 2) : items(3, 4), n, 3, n === 1 ? 6 : 5)),
      2,
    );
    await pager.loadNext();
    assert.equal(pager.changed, false);
    await pager.loadNext();
    assert.equal(pager.changed, true);
    assert.equal(pager.total, 5);
  });

  it('repeats a failed page', async function () {
    let fail = true;
    const calls: number[] = [];
    const pager = new Pager<Item>((n) => {
      calls.push(n);
      if (fail) return Promise.reject(new Error('boom'));
      return Promise.resolve(page(items(1, 2), n, 1, 2));
    }, 2);
    await assert.rejects(pager.loadNext(), /boom/);
    fail = false;
    await pager.loadNext();
    assert.deepEqual(calls, [1, 1]);
    assert.equal(pager.loadedCount, 2);
  });

  it('counts inserted and removed records in the total', async function () {
    const pager = new Pager<Item>(
      (n) => Promise.resolve(page(n === 1 ? items(1, 2) : items(3, 4), n, 2, 4)),
      2,
    );
    await pager.loadNext();
    pager.insert({ id: new LosslessNumber('9') });
    assert.equal(pager.total, 5);
    pager.remove('1');
    assert.equal(pager.total, 4);
    await pager.loadNext();
    assert.equal(pager.changed, false, 'our own changes do not mark the list as changed');
    assert.deepEqual(
      pager.items.map((item) => item.id.value),
      ['2', '9', '3', '4'],
    );
  });

  it('rejects an invalid page size', function () {
    assert.throws(
      () => new Pager<Item>(() => Promise.reject(new Error('unused')), 0),
      /Invalid page size 0/,
    );
  });
});
