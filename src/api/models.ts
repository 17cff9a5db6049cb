import type { JsonObject, JsonValue, LosslessNumber } from './json';

/** The type of a record: an account or a contact. */
export type RecordKind = 'account' | 'contact';

/** An id as the server sent it: the digits of a JSON number, kept as text so none is lost. */
export type RecordId = string;

/** An account status, such as `{ id: 1, caption: "Active" }`. */
export interface AccountStatus extends JsonObject {
  id: LosslessNumber;
  caption: string;
}

/** The `data` block of an account. Every field may be missing or null. */
export interface AccountData extends JsonObject {
  id: LosslessNumber;
  website: string | null;
  phone: string | null;
  annualRevenue: LosslessNumber | null;
  lifetimeValue: LosslessNumber | null;
  employeesCount: LosslessNumber | null;
  description: string | null;
  industry: string | null;
  type: string | null;
  subscription: string | null;
  accountLevel: string | null;
  signupDate: string | null;
  firstPurchaseDate: string | null;
  timezone: string | null;
}

/**
 * An account as the server returns it. Fields this extension does not know are kept too, so
 * the type is open. The known fields are optional because real records omit them.
 */
export interface Account extends JsonObject {
  id: LosslessNumber;
}

/** A contact as the server returns it, with a copy of its account. */
export interface Contact extends JsonObject {
  id: LosslessNumber;
}

/** Known account fields, for code that reads them. */
export interface AccountFields {
  accountName?: string | null;
  companyName?: string | null;
  status?: AccountStatus | null;
  domains?: string[] | null;
  data?: Partial<AccountData> | null;
  lastEditDate?: string | null;
  createdDate?: string | null;
  contacts?: Contact[] | null;
}

/** Known contact fields, for code that reads them. */
export interface ContactFields {
  firstName?: string | null;
  lastName?: string | null;
  fullName?: string | null;
  avatarUrl?: string | null;
  email?: string | null;
  additionalEmails?: string[] | null;
  phone?: string | null;
  mobile?: string | null;
  anotherPhone?: string | null;
  title?: string | null;
  department?: string | null;
  companyName?: string | null;
  account?: Account | null;
  accountId?: LosslessNumber | null;
  lastEditDate?: string | null;
  createdDate?: string | null;
}

/** One page of a list endpoint. */
export interface Page<T> {
  items: T[];
  pagesCount: number;
  pageSize: number;
  currentPage: number;
  totalItemsCount: number;
}

/** Query parameters of both list endpoints. All are optional. */
export interface ListQuery {
  pageNumber?: number;
  pageSize?: number;
  search?: string;
  orderBy?: string;
  filter?: string;
  needsCountInResponse?: boolean;
}

/** Reads a known field of a record without trusting its type. */
export function stringField(
  record: JsonObject | null | undefined,
  key: string,
): string | undefined {
  const value: JsonValue | undefined = record?.[key];
  return typeof value === 'string' ? value : undefined;
}
