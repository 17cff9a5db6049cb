import * as vscode from 'vscode';
import type { RecordId, RecordKind } from '../api';

/** The URI scheme of record documents. */
export const recordScheme = 'prodcamp';

const folders: Record<RecordKind, string> = { account: 'accounts', contact: 'contacts' };

/**
 * The location of a document's record: the service's host, the record type and its id, or the
 * number of a draft for a record not created yet. The token is never part of a URI.
 */
export interface RecordAddress {
  authority: string;
  kind: RecordKind;
  id?: RecordId;
  draft?: number;
  /** The read-only copy of the server's version, shown by Compare. */
  serverCopy: boolean;
}

/**
 * Builds `prodcamp://HOST/accounts/7/Acme Ltd.json`. The name is only for the tab title:
 * the id alone identifies the record, so a rename does not change which record is saved.
 */
export function recordUri(
  authority: string,
  kind: RecordKind,
  id: RecordId,
  name: string | undefined,
): vscode.Uri {
  return vscode.Uri.from({
    scheme: recordScheme,
    authority,
    path: `/${folders[kind]}/${id}/${fileName(name, `${kind} ${id}`)}`,
  });
}

export function draftUri(authority: string, kind: RecordKind, draft: number): vscode.Uri {
  return vscode.Uri.from({
    scheme: recordScheme,
    authority,
    path: `/${folders[kind]}/new-${draft}/New ${kind}.json`,
  });
}

export function serverCopyUri(uri: vscode.Uri): vscode.Uri {
  return uri.with({ query: 'server' });
}

/** Reads a record document's URI; undefined for any other URI of the scheme (folders, say). */
export function parseRecordUri(uri: vscode.Uri): RecordAddress | undefined {
  if (uri.scheme !== recordScheme) return undefined;
  const match = /^\/(accounts|contacts)\/(?:(\d{1,30})|new-(\d{1,9}))\/[^/]+\.json$/.exec(uri.path);
  if (!match) return undefined;
  const kind: RecordKind = match[1] === 'accounts' ? 'account' : 'contact';
  return {
    authority: uri.authority,
    kind,
    id: match[2],
    draft: match[3] === undefined ? undefined : Number(match[3]),
    serverCopy: uri.query === 'server',
  };
}

/** Builds a key for one record on one service, for maps and tree ids. */
export function recordKey(authority: string, kind: RecordKind, id: RecordId): string {
  return `${authority}/${kind}/${id}`;
}

/** Turns a record's name into a file name that is safe on every platform and not too long. */
export function fileName(name: string | undefined, fallback: string): string {
  const cleaned = (name ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, ' ')
    // Direction controls would make the tab title read backwards or hide part of the name.
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const base = cleaned || fallback;
  const short = [...base].length > 60 ? `${[...base].slice(0, 59).join('')}…` : base;
  return `${short}.json`;
}
