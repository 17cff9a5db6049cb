import * as vscode from 'vscode';
import { ApiError, stringField, type RecordId, type RecordKind } from '../api';
import type { Connection } from '../connection';
import type { RecordFileSystem } from '../documents/recordFileSystem';
import { parseRecordUri } from '../documents/uris';
import { describeRecord, displayName, type RecordService } from '../records';
import { RecordNode } from '../tree/nodes';
import type { ErrorPresenter } from '../ui/errors';
import { pickRecord } from '../ui/recordPicker';

interface Target {
  id: RecordId;
  name?: string;
}

/**
 * Registers the commands that act on one record: open, new, delete, copy id and copy email.
 * Each takes a tree item, an id, or nothing (then it shows a picker, or uses the active record document).
 */
export function registerRecordCommands(
  connection: Connection,
  records: RecordService,
  fileSystem: RecordFileSystem,
  errors: ErrorPresenter,
): vscode.Disposable[] {
  const resolve = async (
    kind: RecordKind,
    argument: unknown,
    useActiveEditor: boolean,
    title: string,
  ): Promise<Target | undefined> => {
    if (argument instanceof RecordNode && argument.kind === kind) {
      return { id: argument.recordId, name: displayName(kind, argument.record) };
    }
    if (typeof argument === 'number' && Number.isSafeInteger(argument) && argument >= 0)
      return { id: String(argument) };
    if (typeof argument === 'string') {
      if (/^\d{1,30}$/.test(argument.trim())) return { id: argument.trim() };
      throw new Error(
        vscode.l10n.t(
          '"{0}" is not a valid {1} id; an id is a whole number such as 42.',
          argument,
          kind,
        ),
      );
    }
    if (useActiveEditor) {
      const address =
        vscode.window.activeTextEditor &&
        parseRecordUri(vscode.window.activeTextEditor.document.uri);
      if (address && address.kind === kind && address.id && !address.serverCopy)
        return { id: address.id };
    }
    connection.client();
    return pickRecord(kind, connection, title);
  };

  const open = (kind: RecordKind) => async (argument?: unknown) => {
    try {
      const target = await resolve(
        kind,
        argument,
        false,
        vscode.l10n.t('Open {0}', capitalize(kind)),
      );
      if (!target) return undefined;
      return await fileSystem.open(kind, target.id, target.name);
    } catch (error) {
      await errors.show(error, vscode.l10n.t("Couldn't open the {0}", kind));
      return undefined;
    }
  };

  const create = (kind: RecordKind) => async (argument?: unknown) => {
    try {
      connection.client();
      let accountId: RecordId | undefined;
      if (kind === 'contact') {
        if (argument instanceof RecordNode && argument.kind === 'account')
          accountId = argument.recordId;
        else if (typeof argument === 'string' && /^\d{1,30}$/.test(argument)) accountId = argument;
      }
      return await fileSystem.openDraft(kind, accountId);
    } catch (error) {
      await errors.show(error, vscode.l10n.t("Couldn't start a new {0}", kind));
      return undefined;
    }
  };

  const remove =
    (kind: RecordKind) =>
    async (argument?: unknown): Promise<boolean> => {
      let target: Target | undefined;
      try {
        target = await resolve(kind, argument, true, vscode.l10n.t('Delete {0}', capitalize(kind)));
        if (!target) return false;
        if (!target.name) {
          // Name the record in the question, so no one deletes the wrong one by its number.
          const record = await records.get(kind, target.id);
          target.name = displayName(kind, record);
        }
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'notFound' && target) {
          void vscode.window.showInformationMessage(
            vscode.l10n.t(
              '{0} {1} does not exist; it may have been deleted already.',
              capitalize(kind),
              target.id,
            ),
          );
          records.markDeleted(kind, target.id);
          return false;
        }
        await errors.show(error, vscode.l10n.t("Couldn't delete the {0}", kind));
        return false;
      }
      const name = target.name
        ? vscode.l10n.t('{0} {1} "{2}"', kind, target.id, target.name)
        : vscode.l10n.t('{0} {1}', kind, target.id);
      const detail =
        kind === 'account'
          ? vscode.l10n.t(
              "This deletes the account on {0} for everyone, and it can't be undone. Its contacts are kept, without an account.",
              connection.host,
            )
          : vscode.l10n.t(
              "This deletes the contact on {0} for everyone, and it can't be undone.",
              connection.host,
            );
      const unsaved = vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .some((tab) => {
          if (!(tab.input instanceof vscode.TabInputText) || !tab.isDirty) return false;
          const address = parseRecordUri(tab.input.uri);
          return address?.kind === kind && address.id === target?.id;
        });
      const unsavedNote = unsaved
        ? ` ${vscode.l10n.t('Its open tab has unsaved changes; the tab stays open with them.')}`
        : '';
      const deleteButton = vscode.l10n.t('Delete');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete {0}?', name),
        { modal: true, detail: detail + unsavedNote },
        deleteButton,
      );
      if (choice !== deleteButton) return false;
      const id = target.id;
      try {
        await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: vscode.l10n.t('Deleting {0}…', name),
          },
          () => records.delete(kind, id),
        );
        vscode.window.setStatusBarMessage(vscode.l10n.t('$(trash) Deleted {0}', name), 5000);
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'notFound') {
          records.markDeleted(kind, id);
          void vscode.window.showInformationMessage(
            vscode.l10n.t('{0} was already deleted.', capitalize(name)),
          );
          return true;
        }
        await errors.show(error, vscode.l10n.t("Couldn't delete {0}", name));
        return false;
      }
    };

  const copyId = async (node?: unknown) => {
    if (!(node instanceof RecordNode)) return;
    await vscode.env.clipboard.writeText(node.recordId);
    vscode.window.setStatusBarMessage(
      vscode.l10n.t(
        '$(copy) Copied the id of {0}',
        describeRecord(node.kind, node.recordId, node.record),
      ),
      3000,
    );
  };

  const copyEmail = async (node?: unknown) => {
    if (!(node instanceof RecordNode)) return;
    const email = stringField(node.record, 'email');
    if (!email) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          '{0} has no email address.',
          capitalize(describeRecord(node.kind, node.recordId, node.record)),
        ),
      );
      return;
    }
    await vscode.env.clipboard.writeText(email);
    vscode.window.setStatusBarMessage(vscode.l10n.t('$(mail) Copied {0}', email), 3000);
  };

  return [
    vscode.commands.registerCommand('prodcamp.openAccount', open('account')),
    vscode.commands.registerCommand('prodcamp.openContact', open('contact')),
    vscode.commands.registerCommand('prodcamp.newAccount', create('account')),
    vscode.commands.registerCommand('prodcamp.newContact', create('contact')),
    vscode.commands.registerCommand('prodcamp.deleteAccount', remove('account')),
    vscode.commands.registerCommand('prodcamp.deleteContact', remove('contact')),
    vscode.commands.registerCommand('prodcamp.copyId', copyId),
    vscode.commands.registerCommand('prodcamp.copyEmail', copyEmail),
  ];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
