// In-memory accounts and contacts with the relations and server-owned fields that the API shows.
import { TimestampClock } from './dates';
import type { JsonObject, JsonValue } from './json';
import { cloneJson, stringifyJson, toSafeInteger } from './json';
import type { FilterClause, RecordEntry, SortOrder } from './listing';
import { foldForSearch, matchesFilter, searchTextOf, sortRecordIds } from './listing';
import type { RecordKind } from './records';
import { buildAccountRecord, buildContactRecord } from './records';
import type { SeedOptions } from './seed';
import { generateSeedRecords, SEED_LATEST_MS } from './seed';

export interface ListCriteria {
  order: SortOrder;
  /** Case-insensitive substring. An empty string matches every record. */
  search: string;
  filter?: FilterClause;
}

/** Maximum number of cached id lists. The cache is emptied when it is full. */
const MAX_CACHED_LISTS = 64;

/**
 * Accounts and contacts of one workspace.
 *
 * Every write replaces the stored object instead of mutating it, sets lastEditDate from a clock
 * that never repeats a value, and empties the list cache. Methods that return records return
 * deep copies in the shape of the API's single-record responses, except `page`.
 */
export class Store {
  /** Entries by id. Ids only grow, so insertion order is ascending id order. */
  private readonly entries: Record<RecordKind, Map<number, RecordEntry>> = {
    account: new Map(),
    contact: new Map(),
  };
  /** Contact ids of each account in ascending order. Accounts without contacts have no entry. */
  private readonly contactIdsByAccount = new Map<number, number[]>();
  private readonly clock = new TimestampClock();
  /** Sorted and filtered id lists by criteria, valid until the next write. */
  private readonly listCache = new Map<string, readonly number[]>();
  private nextAccountId = 1;
  private nextContactId = 1;

  constructor(options: SeedOptions) {
    this.reseed(options);
  }

  /** Replaces all records with the seed data for `options` and restarts both id sequences. */
  reseed(options: SeedOptions): void {
    this.entries.account.clear();
    this.entries.contact.clear();
    this.contactIdsByAccount.clear();
    this.invalidate();

    const seed = generateSeedRecords(options);
    for (const account of seed.accounts) {
      this.entries.account.set(account.id as number, { record: account });
    }
    for (const contact of seed.contacts) {
      const id = contact.id as number;
      this.entries.contact.set(id, { record: contact });
      this.link(id, contact.accountId as number | null);
    }
    this.nextAccountId = seed.accounts.length + 1;
    this.nextContactId = seed.contacts.length + 1;
    this.clock.advancePast(SEED_LATEST_MS + 1);
  }

  get accountCount(): number {
    return this.entries.account.size;
  }

  get contactCount(): number {
    return this.entries.contact.size;
  }

  hasAccount(id: number): boolean {
    return this.entries.account.has(id);
  }

  hasContact(id: number): boolean {
    return this.entries.contact.has(id);
  }

  /** Returns the account with its `contacts`, as GET /accounts/{id} does. */
  getAccount(id: number): JsonObject | undefined {
    const account = this.storedAccount(id);
    if (account === undefined) return undefined;
    const contactIds = this.contactIdsByAccount.get(id) ?? [];
    const contacts = contactIds.map((contactId) => this.contactItem(contactId));
    return cloneJson({ contacts, ...account });
  }

  /** Returns the contact with `account` and `accountId`, as GET /contacts/{id} does. */
  getContact(id: number): JsonObject | undefined {
    return this.hasContact(id) ? cloneJson(this.contactItem(id)) : undefined;
  }

  /** Returns every account as a list item (without contacts), in ascending id order. */
  listAccounts(): JsonObject[] {
    return Array.from(this.entries.account.values(), (entry) => cloneJson(entry.record));
  }

  /** Returns every contact as a list item, in ascending id order. */
  listContacts(): JsonObject[] {
    return Array.from(this.entries.contact.keys(), (id) => cloneJson(this.contactItem(id)));
  }

  /** Creates an account from `fields` without validation. Server-owned fields are ignored. */
  createAccount(fields: JsonObject): JsonObject {
    const id = this.nextAccountId++;
    const now = this.clock.next();
    const record = buildAccountRecord(cloneJson(fields), {
      id,
      createdDate: now,
      lastEditDate: now,
    });
    this.entries.account.set(id, { record });
    this.invalidate();
    return this.getAccount(id) as JsonObject;
  }

  /** Replaces all writable fields of an account. Returns undefined when it does not exist. */
  putAccount(id: number, fields: JsonObject): JsonObject | undefined {
    return this.writeAccount(id, cloneJson(fields));
  }

  /** Overwrites only the given fields of an account, as another client's edit would. */
  patchAccount(id: number, fields: JsonObject): JsonObject | undefined {
    const current = this.storedAccount(id);
    if (current === undefined) return undefined;
    return this.writeAccount(id, { ...current, ...cloneJson(fields) });
  }

  /** Deletes an account and unlinks its contacts, which get a new lastEditDate. */
  deleteAccount(id: number): boolean {
    if (!this.entries.account.delete(id)) return false;
    this.invalidate();
    const contactIds = this.contactIdsByAccount.get(id) ?? [];
    this.contactIdsByAccount.delete(id);
    for (const contactId of contactIds) {
      const contact = this.storedContact(contactId) as JsonObject;
      const record = { ...contact, lastEditDate: this.clock.next(), accountId: null };
      this.entries.contact.set(contactId, { record });
    }
    return true;
  }

  /**
   * Creates a contact from `fields` without validation. `fields.accountId` links it to an
   * account and must name an existing one. Server-owned fields are ignored.
   */
  createContact(fields: JsonObject): JsonObject {
    const copy = cloneJson(fields);
    const accountId = this.resolveAccountId(copy.accountId);
    const id = this.nextContactId++;
    const now = this.clock.next();
    const record = buildContactRecord(copy, { id, accountId, createdDate: now, lastEditDate: now });
    this.entries.contact.set(id, { record });
    this.link(id, accountId);
    this.invalidate();
    return this.getContact(id) as JsonObject;
  }

  /** Replaces all writable fields of a contact. A missing `accountId` unlinks it. */
  putContact(id: number, fields: JsonObject): JsonObject | undefined {
    return this.writeContact(id, cloneJson(fields));
  }

  /** Overwrites only the given fields of a contact, as another client's edit would. */
  patchContact(id: number, fields: JsonObject): JsonObject | undefined {
    const current = this.storedContact(id);
    if (current === undefined) return undefined;
    return this.writeContact(id, { ...current, ...cloneJson(fields) });
  }

  deleteContact(id: number): boolean {
    const contact = this.storedContact(id);
    if (contact === undefined) return false;
    this.unlink(id, contact.accountId as number | null);
    this.entries.contact.delete(id);
    this.invalidate();
    return true;
  }

  /**
   * Returns `count` list items from position `start` (0-based) of the list that `criteria`
   * selects, and the number of matching records. Unlike the other methods, the items share
   * objects with the store: serialise them, never mutate them.
   */
  page(
    kind: RecordKind,
    criteria: ListCriteria,
    start: number,
    count: number,
  ): { items: JsonObject[]; totalItemsCount: number } {
    const ids = this.queryIds(kind, criteria);
    const pageIds = start < ids.length ? ids.slice(start, start + count) : [];
    const items = pageIds.map((id) =>
      kind === 'account' ? (this.storedAccount(id) as JsonObject) : this.contactItem(id),
    );
    return { items, totalItemsCount: ids.length };
  }

  /** Returns the number of records that `criteria` selects. */
  count(kind: RecordKind, criteria: ListCriteria): number {
    return this.queryIds(kind, criteria).length;
  }

  /** Returns the ids matching `criteria` in list order, from the cache when possible. */
  private queryIds(kind: RecordKind, criteria: ListCriteria): readonly number[] {
    const search = foldForSearch(criteria.search.trim());
    const filter = criteria.filter;
    const orderKey = `${kind}\u0000${criteria.order.field}\u0000${criteria.order.descending}`;
    const filterKey = filter ? `${filter.field}\u0000${typeof filter.value}:${filter.value}` : '';
    const key = `${orderKey}\u0000${filterKey}\u0000${search}`;
    const cached = this.listCache.get(key);
    if (cached !== undefined) return cached;

    const entries = this.entries[kind];
    let ids = this.listCache.get(orderKey);
    if (ids === undefined) {
      ids = sortRecordIds(kind, entries, criteria.order);
      this.cacheList(orderKey, ids);
    }
    if (filter !== undefined || search !== '') {
      ids = ids.filter((id) => {
        const entry = entries.get(id) as RecordEntry;
        if (filter !== undefined && !matchesFilter(kind, entry.record, filter)) return false;
        return search === '' || searchTextOf(kind, entry).includes(search);
      });
      this.cacheList(key, ids);
    }
    return ids;
  }

  private cacheList(key: string, ids: readonly number[]): void {
    if (this.listCache.size >= MAX_CACHED_LISTS) this.listCache.clear();
    this.listCache.set(key, ids);
  }

  /** Empties the list cache. Every write calls it. */
  private invalidate(): void {
    this.listCache.clear();
  }

  private storedAccount(id: number): JsonObject | undefined {
    return this.entries.account.get(id)?.record;
  }

  private storedContact(id: number): JsonObject | undefined {
    return this.entries.contact.get(id)?.record;
  }

  /**
   * Builds the response form of an existing contact: the stored fields, then `account` (the
   * stored account, shared) and `accountId`.
   */
  private contactItem(id: number): JsonObject {
    const contact = this.storedContact(id) as JsonObject;
    const accountId = contact.accountId as number | null;
    const item: JsonObject = {};
    for (const [key, value] of Object.entries(contact)) {
      if (key !== 'accountId') item[key] = value;
    }
    item.account = accountId === null ? null : (this.storedAccount(accountId) ?? null);
    item.accountId = accountId;
    return item;
  }

  private writeAccount(id: number, fields: JsonObject): JsonObject | undefined {
    const current = this.storedAccount(id);
    if (current === undefined) return undefined;
    const record = buildAccountRecord(fields, {
      id,
      createdDate: current.createdDate,
      lastEditDate: this.clock.next(),
    });
    this.entries.account.set(id, { record });
    this.invalidate();
    return this.getAccount(id);
  }

  private writeContact(id: number, fields: JsonObject): JsonObject | undefined {
    const current = this.storedContact(id);
    if (current === undefined) return undefined;
    const accountId = this.resolveAccountId(fields.accountId);
    const record = buildContactRecord(fields, {
      id,
      accountId,
      createdDate: current.createdDate,
      lastEditDate: this.clock.next(),
    });
    this.unlink(id, current.accountId as number | null);
    this.entries.contact.set(id, { record });
    this.link(id, accountId);
    this.invalidate();
    return this.getContact(id);
  }

  /** Converts an `accountId` field to an existing account id or null. Throws a RangeError otherwise. */
  private resolveAccountId(value: JsonValue | undefined): number | null {
    if (value === undefined || value === null) return null;
    const id = toSafeInteger(value);
    if (id === undefined) {
      throw new RangeError(`Invalid accountId ${stringifyJson(value)}: expected an integer.`);
    }
    if (!this.hasAccount(id)) throw new RangeError(`Account ${id} was not found.`);
    return id;
  }

  private link(contactId: number, accountId: number | null): void {
    if (accountId === null) return;
    const ids = this.contactIdsByAccount.get(accountId);
    if (ids === undefined) {
      this.contactIdsByAccount.set(accountId, [contactId]);
      return;
    }
    let index = ids.length;
    while (index > 0 && ids[index - 1] > contactId) index--;
    ids.splice(index, 0, contactId);
  }

  private unlink(contactId: number, accountId: number | null): void {
    if (accountId === null) return;
    const ids = this.contactIdsByAccount.get(accountId);
    if (ids === undefined) return;
    const index = ids.indexOf(contactId);
    if (index >= 0) ids.splice(index, 1);
    if (ids.length === 0) this.contactIdsByAccount.delete(accountId);
  }
}
