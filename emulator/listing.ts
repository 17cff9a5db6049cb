// Sorting, filtering and searching of the list endpoints.
import { parseIsoInstant } from './dates';
import type { JsonObject, JsonValue } from './json';
import { isJsonObject, toSafeInteger } from './json';
import type { RecordKind } from './records';

export interface SortOrder {
  /** Canonical field name, for example `lastEditDate`. */
  field: string;
  descending: boolean;
}

export interface FilterClause {
  field: string;
  value: string | number | null;
}

type SortKind = 'number' | 'string' | 'date';

export const SORT_FIELDS: Record<RecordKind, Record<string, SortKind>> = {
  account: {
    id: 'number',
    accountName: 'string',
    companyName: 'string',
    createdDate: 'date',
    lastEditDate: 'date',
  },
  contact: {
    id: 'number',
    firstName: 'string',
    lastName: 'string',
    fullName: 'string',
    email: 'string',
    createdDate: 'date',
    lastEditDate: 'date',
  },
};

interface FilterField {
  type: 'string' | 'number';
  /** Returns the values that an `eq` clause compares with. The clause matches if any is equal. */
  read(record: JsonObject): readonly JsonValue[];
}

const readField =
  (key: string) =>
  (record: JsonObject): readonly JsonValue[] => [record[key] ?? null];

export const FILTER_FIELDS: Record<RecordKind, Record<string, FilterField>> = {
  account: {
    id: { type: 'number', read: readField('id') },
    accountName: { type: 'string', read: readField('accountName') },
    companyName: { type: 'string', read: readField('companyName') },
    status: {
      type: 'string',
      read: (record) => [isJsonObject(record.status) ? (record.status.caption ?? null) : null],
    },
    domains: {
      type: 'string',
      read: (record) => (Array.isArray(record.domains) ? record.domains : []),
    },
  },
  contact: {
    id: { type: 'number', read: readField('id') },
    firstName: { type: 'string', read: readField('firstName') },
    lastName: { type: 'string', read: readField('lastName') },
    fullName: { type: 'string', read: readField('fullName') },
    email: { type: 'string', read: readField('email') },
    companyName: { type: 'string', read: readField('companyName') },
    title: { type: 'string', read: readField('title') },
    department: { type: 'string', read: readField('department') },
    accountId: { type: 'number', read: readField('accountId') },
  },
};

const SEARCH_FIELDS: Record<RecordKind, readonly string[]> = {
  account: ['accountName', 'companyName', 'domains'],
  contact: ['firstName', 'lastName', 'fullName', 'email', 'additionalEmails', 'companyName'],
};

/**
 * Normalises text for case-insensitive substring search: NFC, lower case, and the Greek final
 * sigma folded into the ordinary sigma. Without the fold "ΦΩΣ" would not find "Φωσφόρος",
 * because toLowerCase turns a word-final Σ into ς.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFC').toLowerCase().replaceAll('ς', 'σ');
}

/**
 * A stored record with values derived from it on first use. A write replaces the whole entry,
 * so the derived values never go stale.
 */
export interface RecordEntry {
  readonly record: JsonObject;
  searchText?: string;
  sortKeys?: Record<string, SortKey>;
}

/** Returns the folded text that Search matches against, one field value per line. */
export function searchTextOf(kind: RecordKind, entry: RecordEntry): string {
  if (entry.searchText !== undefined) return entry.searchText;
  const parts: string[] = [];
  for (const key of SEARCH_FIELDS[kind]) {
    const value = entry.record[key];
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'string') parts.push(item);
    }
  }
  entry.searchText = foldForSearch(parts.join('\n'));
  return entry.searchText;
}

export function matchesFilter(kind: RecordKind, record: JsonObject, filter: FilterClause): boolean {
  const field = FILTER_FIELDS[kind][filter.field];
  if (field === undefined) return false;
  return field.read(record).some((value) => {
    if (filter.value === null) return value === null;
    if (field.type === 'number') return toSafeInteger(value) === filter.value;
    return value === filter.value;
  });
}

type SortKey = number | string | null;

function sortKeyOf(sortKind: SortKind, field: string, entry: RecordEntry): SortKey {
  const keys = (entry.sortKeys ??= {});
  let key = keys[field];
  if (key === undefined) {
    key = computeSortKey(sortKind, entry.record[field]);
    keys[field] = key;
  }
  return key;
}

function computeSortKey(sortKind: SortKind, value: JsonValue | undefined): SortKey {
  if (sortKind === 'number') return toSafeInteger(value) ?? null;
  if (typeof value !== 'string') return null;
  if (sortKind === 'date') return parseIsoInstant(value) ?? null;
  return value.toLowerCase();
}

/**
 * Returns the ids of `entries` sorted by `order`. Strings compare case-insensitively by UTF-16
 * code unit and dates by instant. Missing, null and unparseable values count as smallest, so
 * they come first in ascending and last in descending order. Ties are broken by ascending id in
 * both directions, so the order is total and stable between requests.
 * `entries` must iterate in ascending id order, as a Map filled in id order does.
 */
export function sortRecordIds(
  kind: RecordKind,
  entries: ReadonlyMap<number, RecordEntry>,
  order: SortOrder,
): number[] {
  const ids = Array.from(entries.keys());
  if (order.field === 'id') return order.descending ? ids.reverse() : ids;

  const sortKind = SORT_FIELDS[kind][order.field] ?? 'string';
  const nullIds: number[] = [];
  const keyedIds: number[] = [];
  const keys: (number | string)[] = [];
  for (const [id, entry] of entries) {
    const key = sortKeyOf(sortKind, order.field, entry);
    if (key === null) nullIds.push(id);
    else {
      keyedIds.push(id);
      keys.push(key);
    }
  }
  const sorted = sortByRank(keyedIds, keys, sortKind === 'string', order.descending);
  return order.descending ? [...sorted, ...nullIds] : [...nullIds, ...sorted];
}

function compareCodeUnits(a: number | string, b: number | string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * Sorts ids by their keys with a counting sort over the ranks of the distinct keys. Sorting
 * only the distinct keys is much faster than a comparison sort of all ids when many records
 * share a value, as seeded names do. The counting sort is stable, so equal keys keep the
 * ascending id order of `ids`.
 */
function sortByRank(
  ids: readonly number[],
  keys: readonly (number | string)[],
  keysAreStrings: boolean,
  descending: boolean,
): number[] {
  const ranks = new Map<number | string, number>();
  for (const key of keys) ranks.set(key, 0);
  let distinct: (number | string)[];
  if (keysAreStrings) {
    distinct = Array.from(ranks.keys()).sort(compareCodeUnits);
  } else {
    distinct = Array.from(new Float64Array(ranks.keys() as Iterable<number>).sort());
  }
  const last = distinct.length - 1;
  distinct.forEach((key, index) => ranks.set(key, descending ? last - index : index));

  const counts = new Int32Array(distinct.length + 1);
  const idRanks = new Int32Array(ids.length);
  keys.forEach((key, index) => {
    const rank = ranks.get(key) as number;
    idRanks[index] = rank;
    counts[rank + 1]++;
  });
  for (let rank = 1; rank < counts.length; rank++) counts[rank] += counts[rank - 1];
  const sorted = new Array<number>(ids.length);
  for (let index = 0; index < ids.length; index++) sorted[counts[idRanks[index]]++] = ids[index];
  return sorted;
}
