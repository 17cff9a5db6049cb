// Query parameters of the list endpoints. Parameter names and field names are matched
// case-insensitively, as ASP.NET model binding does.
import type { FilterClause, SortOrder } from './listing';
import { FILTER_FIELDS, SORT_FIELDS } from './listing';
import type { RecordKind } from './records';
import type { ListCriteria } from './store';
import type { ValidationErrors, ValidationResult } from './validation';

export interface ListRequest extends ListCriteria {
  pageNumber: number;
  /** Page size after capping at the maximum. */
  pageSize: number;
  needsCount: boolean;
}

export interface PageLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

const INT32_MAX = 2_147_483_647;

function readParameters(params: URLSearchParams): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of params) {
    const key = name.toLowerCase();
    if (!values.has(key)) values.set(key, value);
  }
  return values;
}

/** Finds a field name case-insensitively and returns its canonical spelling. */
function resolveField(fields: readonly string[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return fields.find((field) => field.toLowerCase() === lower);
}

/** Parses the paging, sorting, filter and search parameters of a list request. */
export function parseListRequest(
  kind: RecordKind,
  params: URLSearchParams,
  limits: PageLimits,
): ValidationResult<ListRequest> {
  const values = readParameters(params);
  const errors: ValidationErrors = {};
  const fail = (key: string, message: string) => (errors[key] ??= []).push(message);

  const readPositiveInt = (name: string, fallback: number): number => {
    const text = values.get(name.toLowerCase());
    if (text === undefined) return fallback;
    if (!/^\s*[+-]?\d+\s*$/.test(text) || Math.abs(Number(text)) > INT32_MAX) {
      fail(name, `The value '${text}' is not valid for ${name}.`);
      return fallback;
    }
    const value = Number(text);
    if (value < 1) fail(name, `The field ${name} must be between 1 and ${INT32_MAX}.`);
    return value;
  };
  const pageNumber = readPositiveInt('PageNumber', 1);
  const requestedSize = readPositiveInt('PageSize', limits.defaultPageSize);
  const pageSize = Math.min(requestedSize, limits.maxPageSize);

  let needsCount = true;
  const needsCountText = values.get('needscountinresponse');
  if (needsCountText !== undefined) {
    const lower = needsCountText.trim().toLowerCase();
    if (lower === 'true' || lower === 'false') needsCount = lower === 'true';
    else {
      fail(
        'NeedsCountInResponse',
        `The value '${needsCountText}' is not valid for NeedsCountInResponse.`,
      );
    }
  }

  const order = parseOrderBy(kind, values.get('orderby') ?? '');
  if (typeof order === 'string') fail('OrderBy', order);
  const filter = parseFilter(kind, values.get('filter') ?? '');
  if (typeof filter === 'string') fail('Filter', filter);

  if (Object.keys(errors).length > 0 || typeof order === 'string' || typeof filter === 'string') {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      pageNumber,
      pageSize,
      needsCount,
      order,
      filter,
      search: values.get('search') ?? '',
    },
  };
}

/** Parses `field` or `field asc|desc`. Returns an error message when the text is invalid. */
function parseOrderBy(kind: RecordKind, text: string): SortOrder | string {
  const trimmed = text.trim();
  if (trimmed === '') return { field: 'id', descending: false };
  const validFields = Object.keys(SORT_FIELDS[kind]);
  const match = /^([A-Za-z_][\w.]*)(?:\s+(asc|desc))?$/i.exec(trimmed);
  if (!match) {
    return `The OrderBy value '${text}' is invalid. Use 'field' or 'field asc|desc', for example 'lastEditDate desc'.`;
  }
  const field = resolveField(validFields, match[1]);
  if (field === undefined) {
    return `Unknown OrderBy field '${match[1]}'. Valid fields: ${validFields.join(', ')}.`;
  }
  return { field, descending: match[2]?.toLowerCase() === 'desc' };
}

/**
 * Parses `field eq 'value'`, `field eq 12` or `field eq null`. A quote inside a string value
 * is written twice. Returns undefined for an empty filter and an error message when invalid.
 */
function parseFilter(kind: RecordKind, text: string): FilterClause | undefined | string {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const fields = FILTER_FIELDS[kind];
  const validFields = Object.keys(fields);
  const match = /^([A-Za-z_]\w*)\s+eq\s+(.+)$/i.exec(trimmed);
  if (!match) {
    return `The Filter value '${text}' is invalid. Use field eq 'value', for example status eq 'Active'. Valid fields: ${validFields.join(', ')}.`;
  }
  const field = resolveField(validFields, match[1]);
  if (field === undefined) {
    return `Unknown Filter field '${match[1]}'. Valid fields: ${validFields.join(', ')}.`;
  }

  const valueText = match[2].trim();
  if (/^null$/i.test(valueText)) return { field, value: null };
  const type = fields[field].type;
  if (type === 'string') {
    const quoted = /^'((?:[^']|'')*)'$/.exec(valueText);
    if (!quoted) {
      return `The Filter value for ${field} must be a string in single quotes or null, for example ${field} eq 'text'.`;
    }
    return { field, value: quoted[1].replaceAll("''", "'") };
  }
  if (!/^-?\d+$/.test(valueText) || !Number.isSafeInteger(Number(valueText))) {
    return `The Filter value for ${field} must be an integer or null, for example ${field} eq 12.`;
  }
  return { field, value: Number(valueText) };
}
