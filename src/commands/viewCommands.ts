import * as vscode from 'vscode';
import type { RecordKind } from '../api';
import type { RecordService } from '../records';
import { LoadMoreNode, MessageNode, RecordNode } from '../tree/nodes';
import { sortOptions, type RecordTreeProvider } from '../tree/recordTree';
import type { ErrorPresenter } from '../ui/errors';

/** Registers the commands of the two views: refresh, search, sort, load more, retry. */
export function registerViewCommands(
  trees: Record<RecordKind, RecordTreeProvider>,
  records: RecordService,
  errors: ErrorPresenter,
): vscode.Disposable[] {
  const disposables: vscode.Disposable[] = [];
  for (const tree of Object.values(trees)) {
    const noun = tree.noun;
    const search = async (text?: unknown) => {
      const value =
        typeof text === 'string'
          ? text
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Search {0}', capitalize(noun)),
              prompt:
                tree.kind === 'account'
                  ? vscode.l10n.t(
                      'Search accounts by name, company or domain. Leave empty to show all.',
                    )
                  : vscode.l10n.t(
                      'Search contacts by name, email or company. Leave empty to show all.',
                    ),
              value: tree.search,
              placeHolder:
                tree.kind === 'account' ? 'acme, acme.com' : vscode.l10n.t('Ada, ada@example.com'),
            });
      if (value === undefined) return;
      tree.setSearch(value);
    };
    const sort = async (orderBy?: unknown) => {
      const options = sortOptions[tree.kind];
      let choice =
        typeof orderBy === 'string' || orderBy === null
          ? options.find((option) => (option.orderBy ?? null) === orderBy)
          : undefined;
      if (!choice && (typeof orderBy === 'string' || orderBy === null)) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t(
            '"{0}" is not a sort order of the {1} view. Pick one from "Sort {2}".',
            String(orderBy),
            noun,
            capitalize(noun),
          ),
        );
        return;
      }
      choice ??= await vscode.window.showQuickPick(
        options.map((option) => ({
          ...option,
          description: option.orderBy === tree.sortOption.orderBy ? 'current' : undefined,
        })),
        {
          title: vscode.l10n.t('Sort {0}', capitalize(noun)),
          placeHolder: vscode.l10n.t('Order of the list'),
        },
      );
      if (choice) tree.setSort({ label: choice.label, orderBy: choice.orderBy });
    };
    disposables.push(
      vscode.commands.registerCommand(`prodcamp.${noun}.refresh`, () => tree.refresh()),
      vscode.commands.registerCommand(`prodcamp.${noun}.search`, search),
      vscode.commands.registerCommand(`prodcamp.${noun}.clearSearch`, () => tree.setSearch('')),
      vscode.commands.registerCommand(`prodcamp.${noun}.sort`, sort),
    );
  }

  disposables.push(
    vscode.commands.registerCommand('prodcamp.loadMore', (node?: unknown) => {
      if (node instanceof LoadMoreNode) return trees[node.list].loadMore(node);
      return trees.account.loadMore();
    }),
    vscode.commands.registerCommand('prodcamp.retry', (node?: unknown) => {
      if (node instanceof MessageNode) node.options.retry?.();
    }),
    vscode.commands.registerCommand('prodcamp.refreshItem', async (node?: unknown) => {
      if (!(node instanceof RecordNode)) return;
      if (node.kind === 'account' && !node.parent) {
        trees.account.refreshChildren(node);
        return;
      }
      try {
        const record = await records.get(node.kind, node.recordId);
        // Announcing it as saved updates every view that shows it.
        records.announce(node.kind, node.recordId, record);
      } catch (error) {
        await errors.show(
          error,
          vscode.l10n.t("Couldn't refresh {0} {1}", node.kind, node.recordId),
        );
      }
    }),
  );
  return disposables;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
