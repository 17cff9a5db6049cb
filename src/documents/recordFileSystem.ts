import * as vscode from 'vscode';
import {
  jsonEquals,
  ApiError,
  isJsonObject,
  parseJson,
  stringifyJson,
  type JsonObject,
  type RecordId,
  type RecordKind,
} from '../api';
import type { Connection } from '../connection';
import type { Logger } from '../log';
import { describeRecord, displayName, idOf, type RecordService } from '../records';
import { describeError, needsToken } from '../ui/errors';
import { SaveDiagnostics } from './diagnostics';
import { bodyFromText, recordToText, RecordTextError, templateText } from './recordText';
import {
  draftUri,
  parseRecordUri,
  recordKey,
  recordScheme,
  recordUri,
  serverCopyUri,
  type RecordAddress,
} from './uris';

/** A record as last read from or written to the server, and the document text made from it. */
interface Entry {
  record: JsonObject;
  bytes: Uint8Array;
  mtime: number;
  ctime: number;
  /** Until this time, a read serves `bytes` without a request: the record was fetched just now. */
  freshUntil: number;
  /**
   * The `lastEditDate` of every version that a document of this record was based on in this
   * window: the one opened and each one this window saved. A document may still carry an older
   * one of these (the user typed on during a save, or undid past it) without that being an edit
   * of a server-owned field.
   */
  versions: Set<string>;
  /**
   * The record is gone from the server, but its tab is still being saved away (created again
   * or discarded): stat still returns it so VS Code can finish that save.
   */
  gone?: boolean;
}

interface Draft {
  kind: RecordKind;
  accountId?: RecordId;
  created: Date;
  /** The id of the record this draft became, once it was created. */
  createdId?: RecordId;
}

/**
 * The step to take once a document's save completes: show the text the server stored,
 * replace the tab by the record a draft became, or close the tab of a discarded record.
 */
type PendingSync = {
  /** The text that was saved; if the document differs now, the user typed on meanwhile. */
  sent: string;
} & (
  | { action: 'refresh'; text: string }
  | { action: 'replace'; target: vscode.Uri; deleted?: RecordId }
  | { action: 'close'; deleted: RecordId }
);

const freshForMs = 3000;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Serves records as JSON documents under `prodcamp://HOST/accounts/ID/NAME.json`. Reading
 * fetches the record; saving checks the text, checks that no one else changed the record on the
 * server meanwhile (one GET), and PUTs it. A failed save throws, so VS Code keeps the editor
 * dirty with the user's text.
 */
export class RecordFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly fetches = new Map<string, Promise<Entry>>();
  private readonly serverCopies = new Map<string, Uint8Array>();
  private readonly drafts = new Map<string, Draft>();
  private readonly pendingSyncs = new Map<string, PendingSync>();
  /** Bodies of PUTs whose outcome is unknown (a time-out or a dropped connection), by record key. */
  private readonly uncertainSaves = new Map<string, JsonObject>();
  /** The reason each document is being saved, from onWillSaveTextDocument, read by writeFile. */
  private readonly saveReasons = new Map<string, vscode.TextDocumentSaveReason>();
  private nextDraft = 1;
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  private readonly disposables: vscode.Disposable[] = [];
  readonly diagnostics = new SaveDiagnostics();

  constructor(
    private readonly connection: Connection,
    private readonly records: RecordService,
    private readonly logger: Logger,
  ) {
    this.disposables.push(
      this.changes,
      this.diagnostics,
      records.onDidDelete((event) => void this.forget(event.kind, event.id)),
      vscode.workspace.onDidSaveTextDocument((document) => void this.afterSave(document)),
      vscode.workspace.onWillSaveTextDocument((event) => {
        if (event.document.uri.scheme === recordScheme)
          this.saveReasons.set(event.document.uri.toString(), event.reason);
      }),
    );
  }

  // --- Opening ---------------------------------------------------------------------------

  /** Opens a record's document, or focuses its tab when it is open already. */
  async open(
    kind: RecordKind,
    id: RecordId,
    name?: string,
    options?: vscode.TextDocumentShowOptions,
  ): Promise<vscode.TextEditor> {
    const authority = this.authority();
    const existing = this.openDocuments(authority, kind, id)[0];
    if (!existing && !name) {
      // The tab title shows the record's name, so fetch it first; the document then reads
      // this fresh copy instead of sending a second request.
      const address: RecordAddress = { authority, kind, id, serverCopy: false };
      const entry = await this.fetch(address, recordUri(authority, kind, id, undefined));
      name = displayName(kind, entry.record);
    }
    const uri = existing?.uri ?? recordUri(authority, kind, id, name);
    const document = existing ?? (await vscode.workspace.openTextDocument(uri));
    return vscode.window.showTextDocument(document, { preview: false, ...options });
  }

  /** Opens a template for a new record; saving it creates the record. */
  async openDraft(kind: RecordKind, accountId?: RecordId): Promise<vscode.TextEditor> {
    const authority = this.authority();
    const number = this.nextDraft++;
    this.drafts.set(`${authority}/${kind}/${number}`, { kind, accountId, created: new Date() });
    const document = await vscode.workspace.openTextDocument(draftUri(authority, kind, number));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    // Put the cursor inside the first, empty string so the user can type the name at once.
    const firstQuote = document.getText().indexOf('""');
    if (firstQuote >= 0) {
      const position = document.positionAt(firstQuote + 1);
      editor.selection = new vscode.Selection(position, position);
    }
    return editor;
  }

  /** Open documents of one record, whatever name their URI carries. */
  openDocuments(authority: string, kind: RecordKind, id: RecordId): vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter((document) => {
      const address = parseRecordUri(document.uri);
      return (
        address &&
        !address.serverCopy &&
        address.authority === authority &&
        address.kind === kind &&
        address.id === id
      );
    });
  }

  // --- FileSystemProvider ------------------------------------------------------------------

  watch(): vscode.Disposable {
    // Changes made through this provider are announced by it; the service has no push channel.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const address = parseRecordUri(uri);
    if (!address) {
      if (/^\/((accounts|contacts)(\/[^/]+)?)?$/.test(uri.path)) {
        return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
      }
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    if (address.serverCopy) {
      const bytes = this.serverCopies.get(uri.with({ query: '' }).toString()) ?? new Uint8Array();
      return {
        type: vscode.FileType.File,
        ctime: 0,
        mtime: Date.now(),
        size: bytes.length,
        permissions: vscode.FilePermission.Readonly,
      };
    }
    if (address.draft !== undefined) {
      const draft = this.draft(address);
      const bytes = encoder.encode(templateText(draft.kind, draft.accountId));
      return {
        type: vscode.FileType.File,
        ctime: draft.created.getTime(),
        mtime: draft.created.getTime(),
        size: bytes.length,
      };
    }
    const entry = this.entries.get(this.key(address)) ?? (await this.fetch(address, uri));
    return {
      type: vscode.FileType.File,
      ctime: entry.ctime,
      mtime: entry.mtime,
      size: entry.bytes.length,
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const address = parseRecordUri(uri);
    if (!address) throw vscode.FileSystemError.FileNotFound(uri);
    if (address.serverCopy) {
      const copy = this.serverCopies.get(uri.with({ query: '' }).toString());
      if (copy) return copy;
      const record = await this.records.get(address.kind, this.idFor(address, uri));
      return encoder.encode(recordToText(address.kind, record));
    }
    if (address.draft !== undefined) {
      const draft = this.draft(address);
      return encoder.encode(templateText(draft.kind, draft.accountId));
    }
    const cached = this.entries.get(this.key(address));
    if (cached?.gone)
      throw vscode.FileSystemError.FileNotFound(
        vscode.l10n.t(
          '{0} {1} was deleted on the server.',
          capitalize(address.kind),
          String(address.id),
        ),
      );
    if (cached && Date.now() < cached.freshUntil) {
      cached.freshUntil = 0;
      return cached.bytes;
    }
    return (await this.fetch(address, uri)).bytes;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const address = parseRecordUri(uri);
    if (!address || address.serverCopy) {
      throw vscode.FileSystemError.NoPermissions(
        vscode.l10n.t(
          "This is a read-only copy of the server's version. Edit and save the record's own document instead.",
        ),
      );
    }
    let text: string;
    try {
      text = decoder.decode(content);
    } catch {
      throw vscode.FileSystemError.Unavailable(
        vscode.l10n.t('The document is not valid UTF-8 text, so it was not saved.'),
      );
    }
    const reason = this.saveReasons.get(uri.toString());
    this.saveReasons.delete(uri.toString());
    if (
      reason === vscode.TextDocumentSaveReason.AfterDelay &&
      (await this.waitForQuiet(uri, text)) === 'superseded'
    ) {
      // The user typed on; a later save sends the newer text, so this one sends nothing.
      return;
    }
    if (address.draft !== undefined) {
      const draft = this.draft(address);
      if (draft.createdId === undefined) {
        await this.createFromDraft(uri, address, draft, text);
        return;
      }
      // The draft was created already: saving it again updates that record rather than creating a second one.
      await this.saveRecord(uri, { ...address, id: draft.createdId, draft: undefined }, text, true);
      return;
    }
    await this.saveRecord(uri, address, text);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions(
      vscode.l10n.t('Records cannot be organised in folders.'),
    );
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions(
      vscode.l10n.t(
        'Use "ProdCamp: Delete Account" or "ProdCamp: Delete Contact" to delete a record.',
      ),
    );
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions(
      vscode.l10n.t(
        'Records cannot be renamed as files. Edit the name inside the document and save.',
      ),
    );
  }

  // --- Saving ------------------------------------------------------------------------------

  /**
   * Saves a record document. `fromDraft` marks the text of a draft whose record was created
   * already: it contains no server-owned fields, so it is checked like a new record's text.
   */
  private async saveRecord(
    uri: vscode.Uri,
    address: RecordAddress,
    text: string,
    fromDraft = false,
  ): Promise<void> {
    const { kind } = address;
    const id = this.idFor(address, uri);
    const key = this.key(address, id);
    const entry = this.entries.get(key);

    // Saving text identical to what the server returned sends nothing: this is the save
    // that follows the refresh of a document after its own save.
    if (entry && text === decoder.decode(entry.bytes)) {
      this.diagnostics.clear(uri);
      return;
    }

    // Check the text against the version the user opened before any request goes out.
    let body = entry
      ? this.checkText(uri, kind, text, this.readOnlyBase(entry, text, fromDraft))
      : undefined;

    let current: JsonObject;
    try {
      current = await this.records.get(kind, id);
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'notFound') {
        await this.savedRecordWasDeleted(uri, address, id, text, entry?.record);
        return;
      }
      throw this.saveFailure(error, uri, kind, id, entry?.record);
    }

    // Without an entry (a document restored after a restart), the text's own lastEditDate
    // identifies the version the user edited.
    const known: JsonObject = entry?.record ?? {
      ...current,
      lastEditDate: this.textLastEditDate(text) ?? null,
    };
    body ??= this.checkText(uri, kind, text, fromDraft ? undefined : known);

    if (known.lastEditDate !== current.lastEditDate && !this.isOwnUncertainSave(key, current)) {
      await this.resolveConflict(uri, kind, id, current, known);
    }

    let saved: JsonObject;
    try {
      saved = await this.records.update(kind, id, body);
    } catch (error) {
      if (error instanceof ApiError && error.outcomeUnknown) this.uncertainSaves.set(key, body);
      throw this.saveFailure(error, uri, kind, id, current);
    }
    this.uncertainSaves.delete(key);
    const savedText = this.remember(kind, id, saved, true);
    this.diagnostics.clear(uri);
    this.logger.info(`Saved ${describeRecord(kind, id, saved)}.`);
    this.reportServerChanges(kind, id, body, saved);
    if (fromDraft) {
      this.pendingSyncs.set(uri.toString(), {
        sent: text,
        action: 'replace',
        target: recordUri(address.authority, kind, id, displayName(kind, saved)),
      });
    } else if (savedText !== text) {
      this.pendingSyncs.set(uri.toString(), { sent: text, action: 'refresh', text: savedText });
    }
  }

  /**
   * Returns the stored record to check a document's server-owned fields against. A text that
   * still carries the lastEditDate of an earlier version of this window's own is accepted.
   */
  private readOnlyBase(entry: Entry, text: string, fromDraft: boolean): JsonObject | undefined {
    if (fromDraft) return undefined;
    const textEdit = this.textLastEditDate(text);
    if (textEdit !== undefined && entry.versions.has(textEdit)) {
      return { ...entry.record, lastEditDate: textEdit };
    }
    return entry.record;
  }

  /**
   * Returns whether the server's version is the result of this window's own save whose
   * outcome was unknown: every field that save sent has the value sent. It is then no conflict.
   */
  private isOwnUncertainSave(key: string, current: JsonObject): boolean {
    const sent = this.uncertainSaves.get(key);
    if (!sent) return false;
    const landed = Object.keys(sent).every((field) => jsonEquals(sent[field], current[field]));
    if (landed) {
      this.logger.info(`A save of ${key} whose outcome was unknown did reach the server.`);
    }
    return landed;
  }

  private async createFromDraft(
    uri: vscode.Uri,
    address: RecordAddress,
    draft: Draft,
    text: string,
  ): Promise<void> {
    const body = this.checkText(uri, address.kind, text, undefined);
    let created: JsonObject;
    try {
      created = await this.records.create(address.kind, body);
    } catch (error) {
      throw this.saveFailure(error, uri, address.kind, undefined, undefined);
    }
    const id = idOf(created);
    draft.createdId = id;
    this.remember(address.kind, id, created, true);
    this.diagnostics.clear(uri);
    this.logger.info(`Created ${describeRecord(address.kind, id, created)}.`);
    this.reportServerChanges(address.kind, id, body, created);
    this.pendingSyncs.set(uri.toString(), {
      sent: text,
      action: 'replace',
      target: recordUri(address.authority, address.kind, id, displayName(address.kind, created)),
    });
  }

  /** Validates the text; on failure shows the problem in the editor and throws, so nothing is sent. */
  private checkText(
    uri: vscode.Uri,
    kind: RecordKind,
    text: string,
    base: JsonObject | undefined,
  ): JsonObject {
    try {
      return bodyFromText(kind, text, base);
    } catch (error) {
      if (error instanceof RecordTextError) {
        this.diagnostics.showTextError(uri, text, error);
        throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Not saved: {0}', error.message));
      }
      throw error;
    }
  }

  /** Asks what to do about a record that changed on the server since it was opened. Throws unless the user overwrites. */
  private async resolveConflict(
    uri: vscode.Uri,
    kind: RecordKind,
    id: RecordId,
    current: JsonObject,
    opened: JsonObject,
  ): Promise<void> {
    const name = describeRecord(kind, id, current);
    const when = typeof current.lastEditDate === 'string' ? ` at ${current.lastEditDate}` : '';
    const compare = vscode.l10n.t('Compare');
    const overwrite = vscode.l10n.t('Overwrite');
    this.logger.warn(
      `Save conflict on ${name}: opened ${stringifyJson(opened.lastEditDate ?? null)}, server has ${stringifyJson(current.lastEditDate ?? null)}.`,
    );
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} was changed on the server{1}, after you opened it. Saving now would overwrite that change.',
        capitalize(name),
        when,
      ),
      {
        modal: true,
        detail: vscode.l10n.t(
          "Compare shows the server's version beside yours. Overwrite replaces the server's version with yours. Cancel keeps your text unsaved.",
        ),
      },
      compare,
      overwrite,
    );
    if (choice === overwrite) return;
    if (choice === compare) {
      await this.showCompare(uri, kind, current);
      throw vscode.FileSystemError.Unavailable(
        vscode.l10n.t(
          'Not saved: {0} was changed on the server. Your text is unchanged; compare the versions, then save again to choose Overwrite.',
          name,
        ),
      );
    }
    throw vscode.FileSystemError.Unavailable(
      vscode.l10n.t('Not saved: {0} was changed on the server. Your text is unchanged.', name),
    );
  }

  /** Opens a diff of the server's version (left, read-only) against the user's document (right). */
  async showCompare(uri: vscode.Uri, kind: RecordKind, current?: JsonObject): Promise<void> {
    const address = parseRecordUri(uri);
    if (!address) return;
    const record = current ?? (await this.records.get(kind, this.idFor(address, uri)));
    this.serverCopies.set(
      uri.with({ query: '' }).toString(),
      encoder.encode(recordToText(kind, record)),
    );
    const name = displayName(kind, record) || vscode.l10n.t('{0} {1}', kind, String(address.id));
    await vscode.commands.executeCommand(
      'vscode.diff',
      serverCopyUri(uri),
      uri,
      vscode.l10n.t('{0}: Server ↔ Yours', name),
    );
  }

  /** Shows the server's current version of a record document beside the document. */
  async compareWithServer(uri: vscode.Uri): Promise<void> {
    const address = parseRecordUri(uri);
    if (!address || address.id === undefined || address.serverCopy) {
      throw new Error(vscode.l10n.t('The active editor is not a saved ProdCamp record.'));
    }
    await this.showCompare(uri, address.kind);
  }

  /** The record of a document being saved is gone: offer to create it again or to discard the text. */
  private async savedRecordWasDeleted(
    uri: vscode.Uri,
    address: RecordAddress,
    id: RecordId,
    text: string,
    opened: JsonObject | undefined,
  ): Promise<void> {
    const name = describeRecord(address.kind, id, opened);
    const tombstone = this.entries.get(this.key(address, id));
    if (tombstone) tombstone.gone = true;
    const createAgain = vscode.l10n.t('Create Again');
    const discard = vscode.l10n.t('Discard My Changes');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} no longer exists on the server: it was deleted after you opened it.',
        capitalize(name),
      ),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Create Again makes a new record from your text, with a new id. Discard closes this tab and drops your changes. Cancel keeps your text unsaved.',
        ),
      },
      createAgain,
      discard,
    );
    if (choice === createAgain) {
      const body = this.checkText(uri, address.kind, text, opened ?? undefined);
      let created: JsonObject;
      try {
        created = await this.records.create(address.kind, body);
      } catch (error) {
        throw this.saveFailure(error, uri, address.kind, undefined, opened);
      }
      const newId = idOf(created);
      this.remember(address.kind, newId, created, true);
      this.pendingSyncs.set(uri.toString(), {
        sent: text,
        action: 'replace',
        target: recordUri(
          address.authority,
          address.kind,
          newId,
          displayName(address.kind, created),
        ),
        deleted: id,
      });
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Created {0} from your text.', describeRecord(address.kind, newId, created)),
      );
      return;
    }
    if (choice === discard) {
      // Reporting success lets the tab close without a "save changes?" prompt; nothing was sent.
      this.pendingSyncs.set(uri.toString(), { sent: text, action: 'close', deleted: id });
      return;
    }
    throw vscode.FileSystemError.FileNotFound(
      vscode.l10n.t('Not saved: {0} was deleted on the server. Your text is unchanged.', name),
    );
  }

  /** Builds the error that makes VS Code keep the editor dirty, and shows extra help where a button helps. */
  private saveFailure(
    error: unknown,
    uri: vscode.Uri,
    kind: RecordKind,
    id: RecordId | undefined,
    record: JsonObject | undefined,
  ): Error {
    const name = id === undefined ? `the new ${kind}` : describeRecord(kind, id, record);
    const verb = id === undefined ? 'create' : 'save';
    if (error instanceof vscode.FileSystemError) return error;
    this.logger.error(`Couldn't ${verb} ${name}: ${describeError(error)}`);
    if (error instanceof ApiError && error.kind === 'validation') {
      this.diagnostics.showServerErrors(uri, error);
    }
    if (error instanceof ApiError && error.outcomeUnknown) {
      const message =
        id === undefined
          ? vscode.l10n.t(
              "Couldn't confirm that {0} was created: {1} It may exist on the server now; look for it in the ProdCamp view before saving again, or you may create it twice.",
              name,
              error.message,
            )
          : vscode.l10n.t(
              "Couldn't confirm the save of {0}: {1} The change may or may not have reached the server. Your text is kept; Compare shows the server's version.",
              name,
              error.message,
            );
      if (id !== undefined) {
        const compareButton = vscode.l10n.t('Compare');
        void vscode.window.showWarningMessage(message, compareButton).then((choice) => {
          if (choice === compareButton)
            void this.showCompare(uri, kind).catch((compareError) =>
              this.logger.error(compareError as Error),
            );
        });
      }
      return vscode.FileSystemError.Unavailable(message);
    }
    if (needsToken(error)) {
      void vscode.window
        .showErrorMessage(
          vscode.l10n.t("Couldn't {0} {1}: {2}", verb, name, describeError(error)),
          vscode.l10n.t('Set API Token'),
        )
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('prodcamp.setApiToken');
        });
    }
    return vscode.FileSystemError.Unavailable(
      vscode.l10n.t("Couldn't {0} {1}: {2}", verb, name, describeError(error)),
    );
  }

  /** Tells the user which of the fields they sent the server stored differently. */
  private reportServerChanges(
    kind: RecordKind,
    id: RecordId,
    sent: JsonObject,
    saved: JsonObject,
  ): void {
    const changed = Object.keys(sent).filter(
      (key) => stringifyJson(sent[key]) !== stringifyJson(saved[key] ?? null),
    );
    if (changed.length === 0) return;
    const fields = changed.map((field) => `"${field}"`).join(', ');
    this.logger.info(
      `The server changed ${fields} of ${describeRecord(kind, id, saved)} while saving.`,
    );
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Saved {0}. The server adjusted {1}; the document now shows the stored values.',
        describeRecord(kind, id, saved),
        fields,
      ),
    );
  }

  /** Replaces a saved document's text with the server's version, and moves drafts to their record. */
  private async afterSave(document: vscode.TextDocument): Promise<void> {
    const sync = this.pendingSyncs.get(document.uri.toString());
    if (!sync) return;
    this.pendingSyncs.delete(document.uri.toString());
    try {
      const typedMeanwhile = document.getText() !== sync.sent;
      if (sync.action === 'replace' && typedMeanwhile) {
        const created = parseRecordUri(sync.target);
        const name = created?.id ? describeRecord(created.kind, created.id) : '';
        if (sync.deleted === undefined) {
          // A draft: it keeps the text typed during the creation, and its next save updates
          // the new record. The tab is replaced after that save.
          void vscode.window.showInformationMessage(
            vscode.l10n.t('Created {0}. Save again to send the changes you made meanwhile.', name),
          );
          return;
        }
        // A record created again from a deleted one: its tab still names the deleted record,
        // so the new record opens beside it, and the text typed meanwhile stays in the old tab.
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(sync.target), {
          preview: false,
        });
        const address = parseRecordUri(document.uri);
        if (address) this.records.markDeleted(address.kind, sync.deleted);
        void vscode.window.showInformationMessage(
          vscode.l10n.t(
            'Created {0}. The old tab keeps the changes you made meanwhile: copy them into the new record.',
            name,
          ),
        );
        return;
      }
      if (sync.action === 'replace' || sync.action === 'close') {
        await this.replaceTab(document, sync.action === 'replace' ? sync.target : undefined);
        const address = parseRecordUri(document.uri);
        // Only now tell the views: had they heard earlier, the tab being saved would have been marked deleted.
        if (address && sync.deleted !== undefined)
          this.records.markDeleted(address.kind, sync.deleted);
        return;
      }
      // VS Code reports every saved document as clean first, so the dirty flag cannot show
      // here whether the user typed on during the save. The text can.
      if (typedMeanwhile || document.getText() === sync.text) return;
      const edit = new vscode.WorkspaceEdit();
      const current = document.getText();
      const { start, end, replacement } = minimalChange(current, sync.text);
      edit.replace(
        document.uri,
        new vscode.Range(document.positionAt(start), document.positionAt(end)),
        replacement,
      );
      if (await vscode.workspace.applyEdit(edit)) await document.save();
    } catch (error) {
      this.logger.error(error instanceof Error ? error : String(error));
    }
  }

  /** Closes a saved draft's tab and opens the record it became in the same place. */
  private async replaceTab(
    document: vscode.TextDocument,
    target: vscode.Uri | undefined,
  ): Promise<void> {
    const findTab = () =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .find(
          (candidate) =>
            candidate.input instanceof vscode.TabInputText &&
            candidate.input.uri.toString() === document.uri.toString(),
        );
    if (target) {
      const opened = await vscode.workspace.openTextDocument(target);
      await vscode.window.showTextDocument(opened, {
        viewColumn: findTab()?.group.viewColumn,
        preview: false,
      });
    }
    // Look the tab up again: opening the target moved it within its group.
    const tab = findTab();
    if (tab) await vscode.window.tabGroups.close(tab);
    const address = parseRecordUri(document.uri);
    if (address?.id !== undefined && this.entries.get(this.key(address))?.gone)
      this.entries.delete(this.key(address));
  }

  /**
   * Holds an auto save ("files.autoSave": "afterDelay") until the user has stopped typing for
   * the quiet time, or has moved to another editor or window, so a burst of typing sends one
   * request rather than one per pause. Returns 'superseded' when the text changed meanwhile.
   */
  private waitForQuiet(uri: vscode.Uri, text: string): Promise<'send' | 'superseded'> {
    const quietMs = this.connection.autoSaveQuietMs;
    const key = uri.toString();
    return new Promise((resolve) => {
      const subscriptions: vscode.Disposable[] = [];
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        if (timer) clearTimeout(timer);
        for (const subscription of subscriptions) subscription.dispose();
        const document = vscode.workspace.textDocuments.find(
          (candidate) => candidate.uri.toString() === key,
        );
        resolve(document && document.getText() !== text ? 'superseded' : 'send');
      };
      const restart = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(finish, quietMs);
      };
      subscriptions.push(
        vscode.workspace.onDidChangeTextDocument((event) => {
          if (event.document.uri.toString() === key && event.contentChanges.length > 0) restart();
        }),
        vscode.window.onDidChangeActiveTextEditor((editor) => {
          if (editor?.document.uri.toString() !== key) finish();
        }),
        vscode.window.onDidChangeWindowState((state) => {
          if (!state.focused) finish();
        }),
        vscode.workspace.onDidCloseTextDocument((document) => {
          if (document.uri.toString() === key) finish();
        }),
      );
      restart();
    });
  }

  // --- Cache -------------------------------------------------------------------------------

  /**
   * Fetches a record and stores it. VS Code calls `stat` and `readFile` of a document being
   * opened at the same time, so a second caller shares the request already under way.
   */
  private fetch(address: RecordAddress, uri: vscode.Uri): Promise<Entry> {
    const key = this.key(address, this.idFor(address, uri));
    let pending = this.fetches.get(key);
    if (!pending) {
      pending = this.fetchOnce(address, uri).finally(() => this.fetches.delete(key));
      this.fetches.set(key, pending);
    }
    return pending;
  }

  private async fetchOnce(address: RecordAddress, uri: vscode.Uri): Promise<Entry> {
    const id = this.idFor(address, uri);
    let record: JsonObject;
    try {
      record = await this.records.get(address.kind, id);
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'notFound') {
        this.entries.delete(this.key(address, id));
        throw vscode.FileSystemError.FileNotFound(
          vscode.l10n.t(
            '{0} {1} was not found on {2}. It may have been deleted.',
            capitalize(address.kind),
            id,
            address.authority,
          ),
        );
      }
      this.logger.error(`Couldn't open ${address.kind} ${id}: ${describeError(error)}`);
      throw vscode.FileSystemError.Unavailable(
        vscode.l10n.t("Couldn't open {0} {1}: {2}", address.kind, id, describeError(error)),
      );
    }
    this.remember(address.kind, id, record, true);
    return this.entries.get(this.key(address, id))!;
  }

  /** Stores a record's server version and returns its document text. */
  private remember(kind: RecordKind, id: RecordId, record: JsonObject, fresh: boolean): string {
    const key = recordKey(this.authority(), kind, id);
    const previous = this.entries.get(key);
    const text = recordToText(kind, record);
    const parsedEdit =
      typeof record.lastEditDate === 'string' ? Date.parse(record.lastEditDate) : NaN;
    let mtime = Number.isNaN(parsedEdit) ? Date.now() : parsedEdit;
    if (previous && text !== decoder.decode(previous.bytes) && mtime <= previous.mtime) {
      // Two versions within one millisecond, or no date at all: the time must still move on.
      mtime = previous.mtime + 1;
    }
    if (previous && text === decoder.decode(previous.bytes)) mtime = previous.mtime;
    const created = typeof record.createdDate === 'string' ? Date.parse(record.createdDate) : NaN;
    const versions = new Set(previous?.versions);
    if (typeof record.lastEditDate === 'string') versions.add(record.lastEditDate);
    this.entries.set(key, {
      record,
      bytes: encoder.encode(text),
      mtime,
      ctime: Number.isNaN(created) ? mtime : created,
      freshUntil: fresh ? Date.now() + freshForMs : 0,
      versions,
    });
    return text;
  }

  /** Forgets a deleted record, closes its clean tabs and marks the dirty ones as deleted. */
  private async forget(kind: RecordKind, id: RecordId): Promise<void> {
    const authority = this.connection.origin ? this.authority() : undefined;
    if (!authority) return;
    if (this.entries.get(recordKey(authority, kind, id))?.gone) return;
    this.entries.delete(recordKey(authority, kind, id));
    const uris = new Set(
      this.openDocuments(authority, kind, id).map((document) => document.uri.toString()),
    );
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter(
        (tab) => tab.input instanceof vscode.TabInputText && uris.has(tab.input.uri.toString()),
      );
    // A tab's dirty flag comes from the workbench itself, so it is exact even during a save.
    const clean = tabs.filter((tab) => !tab.isDirty);
    if (clean.length) await vscode.window.tabGroups.close(clean);
    if (clean.length < tabs.length) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          '{0} {1} was deleted. Its open tab keeps your unsaved changes: save them to create the record again, or close the tab to drop them.',
          capitalize(kind),
          id,
        ),
      );
    }
  }

  // --- Helpers -----------------------------------------------------------------------------

  private authority(): string {
    return this.connection.host;
  }

  private key(address: RecordAddress, id = address.id): string {
    return recordKey(address.authority, address.kind, id ?? `draft-${String(address.draft)}`);
  }

  private idFor(address: RecordAddress, uri: vscode.Uri): RecordId {
    if (address.authority !== this.authority()) {
      throw vscode.FileSystemError.Unavailable(
        vscode.l10n.t(
          'This document belongs to {0}, but ProdCamp is now set up for {1}. Change the "prodcamp.baseUrl" setting back to reach it.',
          address.authority,
          this.authority(),
        ),
      );
    }
    if (address.id === undefined) throw vscode.FileSystemError.FileNotFound(uri);
    return address.id;
  }

  private draft(address: RecordAddress): Draft {
    const draft = this.drafts.get(`${address.authority}/${address.kind}/${String(address.draft)}`);
    if (!draft) {
      // A draft from an earlier session: start it again from an empty template.
      const restored: Draft = { kind: address.kind, created: new Date() };
      this.drafts.set(`${address.authority}/${address.kind}/${String(address.draft)}`, restored);
      this.nextDraft = Math.max(this.nextDraft, (address.draft ?? 0) + 1);
      return restored;
    }
    return draft;
  }

  private textLastEditDate(text: string): string | undefined {
    try {
      const value = parseJson(text);
      return isJsonObject(value) && typeof value.lastEditDate === 'string'
        ? value.lastEditDate
        : undefined;
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  static register(fileSystem: RecordFileSystem): vscode.Disposable {
    return vscode.workspace.registerFileSystemProvider(recordScheme, fileSystem, {
      isCaseSensitive: true,
    });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Finds the smallest span of `before` to replace so that it becomes `after`. */
export function minimalChange(
  before: string,
  after: string,
): { start: number; end: number; replacement: string } {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (
    endBefore > start &&
    endAfter > start &&
    before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)
  ) {
    endBefore--;
    endAfter--;
  }
  return { start, end: endBefore, replacement: after.slice(start, endAfter) };
}
