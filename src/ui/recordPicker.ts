import * as vscode from 'vscode';
import { stringField, type JsonObject, type RecordId, type RecordKind } from '../api';
import type { Connection } from '../connection';
import { displayName, idOf } from '../records';
import { describeError } from './errors';

interface RecordPick extends vscode.QuickPickItem {
  id: RecordId;
  name?: string;
}

/**
 * Lets the user find a record by name, email or domain (the API's Search), or type its id.
 * Resolves to undefined when the user cancels.
 */
export function pickRecord(
  kind: RecordKind,
  connection: Connection,
  title: string,
): Promise<{ id: RecordId; name?: string } | undefined> {
  const picker = vscode.window.createQuickPick<RecordPick>();
  picker.title = title;
  picker.placeholder =
    kind === 'account'
      ? vscode.l10n.t('Type a name or domain to search, or an account id')
      : vscode.l10n.t('Type a name or email to search, or a contact id');
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  let timer: NodeJS.Timeout | undefined;
  let controller: AbortController | undefined;
  let searched: RecordPick[] = [];

  const idItem = (value: string): RecordPick[] =>
    /^\d{1,30}$/.test(value.trim())
      ? [
          {
            id: value.trim(),
            label: vscode.l10n.t('$(go-to-file) Open {0} {1}', kind, value.trim()),
            alwaysShow: true,
          },
        ]
      : [];

  const search = (value: string) => {
    controller?.abort();
    controller = new AbortController();
    const signal = controller.signal;
    let client;
    try {
      client = connection.client();
    } catch (error) {
      picker.items = [
        ...idItem(picker.value),
        { id: '', label: vscode.l10n.t('$(error) {0}', describeError(error)), alwaysShow: true },
      ];
      return;
    }
    picker.busy = true;
    client
      .list<JsonObject>(
        kind,
        { pageNumber: 1, pageSize: 25, search: value.trim() || undefined },
        { signal },
      )
      .then(
        (page) => {
          if (signal.aborted) return;
          searched = page.items.map((record) => toPick(kind, record));
          picker.items = [...idItem(picker.value), ...searched];
          picker.busy = false;
        },
        (error: unknown) => {
          if (signal.aborted) return;
          picker.busy = false;
          searched = [];
          picker.items = [
            ...idItem(picker.value),
            {
              id: '',
              label: vscode.l10n.t('$(error) Search failed: {0}', describeError(error)),
              alwaysShow: true,
            },
          ];
        },
      );
  };

  return new Promise((resolve) => {
    picker.onDidChangeValue((value) => {
      picker.items = [...idItem(value), ...searched];
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => search(value), 250);
    });
    picker.onDidAccept(() => {
      const [selected] = picker.selectedItems;
      if (!selected || !selected.id) return;
      resolve({ id: selected.id, name: selected.name });
      picker.hide();
    });
    picker.onDidHide(() => {
      if (timer) clearTimeout(timer);
      controller?.abort();
      picker.dispose();
      resolve(undefined);
    });
    picker.show();
    search('');
  });
}

function toPick(kind: RecordKind, record: JsonObject): RecordPick {
  const id = idOf(record);
  const name = displayName(kind, record);
  const domains = Array.isArray(record.domains)
    ? record.domains.filter((d) => typeof d === 'string').join(', ')
    : '';
  return {
    id,
    name,
    label: vscode.l10n.t(
      '$({0}) {1}',
      kind === 'account' ? 'organization' : 'person',
      name || vscode.l10n.t('(unnamed {0})', kind),
    ),
    description: kind === 'account' ? domains : stringField(record, 'email'),
    detail: vscode.l10n.t('{0} {1}', kind, id),
  };
}
