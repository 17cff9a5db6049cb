import * as vscode from 'vscode';
import {
  stringField,
  type JsonObject,
  type RecordId,
  type RecordKind,
  type RequestOptions,
} from './api';
import type { Connection } from './connection';

/** A record together with what it is. */
export interface RecordEvent {
  kind: RecordKind;
  id: RecordId;
  record?: JsonObject;
}

/**
 * Single-record operations and the events that keep views and documents in step: after a
 * save, a create or a delete, every view and open document hears of it.
 */
export class RecordService implements vscode.Disposable {
  private readonly saved = new vscode.EventEmitter<RecordEvent>();
  private readonly created = new vscode.EventEmitter<RecordEvent>();
  private readonly deleted = new vscode.EventEmitter<RecordEvent>();
  readonly onDidSave = this.saved.event;
  readonly onDidCreate = this.created.event;
  readonly onDidDelete = this.deleted.event;

  constructor(private readonly connection: Connection) {}

  get(kind: RecordKind, id: RecordId, options?: RequestOptions): Promise<JsonObject> {
    return this.connection.client().get(kind, id, options);
  }

  async update(
    kind: RecordKind,
    id: RecordId,
    body: JsonObject,
    options?: RequestOptions,
  ): Promise<JsonObject> {
    const record = await this.connection.client().update(kind, id, body, options);
    this.saved.fire({ kind, id, record });
    return record;
  }

  async create(kind: RecordKind, body: JsonObject, options?: RequestOptions): Promise<JsonObject> {
    const record = await this.connection.client().create(kind, body, options);
    const id = idOf(record);
    this.created.fire({ kind, id, record });
    return record;
  }

  async delete(kind: RecordKind, id: RecordId, options?: RequestOptions): Promise<void> {
    await this.connection.client().remove(kind, id, options);
    this.deleted.fire({ kind, id });
  }

  /** Reports a newer version of a record that was fetched again, so views show it. */
  announce(kind: RecordKind, id: RecordId, record: JsonObject): void {
    this.saved.fire({ kind, id, record });
  }

  /** Reports a record that turned out to be gone, found by a failed read or save. */
  markDeleted(kind: RecordKind, id: RecordId): void {
    this.deleted.fire({ kind, id });
  }

  dispose(): void {
    this.saved.dispose();
    this.created.dispose();
    this.deleted.dispose();
  }
}

/** Returns a record's id as text, keeping every digit. */
export function idOf(record: JsonObject): RecordId {
  const id = record.id;
  if (typeof id === 'object' && id !== null && 'value' in id && typeof id.value === 'string')
    return id.value;
  throw new TypeError('The record has no numeric id.');
}

/** Returns a short human name of a record, for labels, tab titles and messages. */
export function displayName(kind: RecordKind, record: JsonObject): string {
  if (kind === 'account') {
    return (
      stringField(record, 'accountName')?.trim() || stringField(record, 'companyName')?.trim() || ''
    );
  }
  const full =
    stringField(record, 'fullName')?.trim() ||
    [stringField(record, 'firstName'), stringField(record, 'lastName')]
      .filter(Boolean)
      .join(' ')
      .trim();
  return full || stringField(record, 'email')?.trim() || '';
}

/** Names a record in a message: `account 7 "Acme Ltd"`. */
export function describeRecord(kind: RecordKind, id: RecordId, record?: JsonObject): string {
  const name = record ? displayName(kind, record) : '';
  return name ? `${kind} ${id} "${name}"` : `${kind} ${id}`;
}
