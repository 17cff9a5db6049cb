import * as vscode from 'vscode';
import {
  isCancellation,
  isJsonObject,
  Pager,
  type Contact,
  type JsonObject,
  type LosslessNumber,
  type RecordId,
  type RecordKind,
} from '../api';
import type { Connection } from '../connection';
import type { Logger } from '../log';
import { idOf, type RecordEvent, type RecordService } from '../records';
import { shortReason, type ErrorPresenter } from '../ui/errors';
import {
  formatCount,
  LoadMoreNode,
  MessageNode,
  recordItem,
  RecordNode,
  type TreeNode,
} from './nodes';

type Row = JsonObject & { id: LosslessNumber };

/** A sort order offered by the Sort command, and the OrderBy value it sends. */
export interface SortOption {
  label: string;
  orderBy: string | undefined;
}

export const sortOptions: Record<RecordKind, SortOption[]> = {
  account: [
    { label: vscode.l10n.t('Default order'), orderBy: undefined },
    { label: vscode.l10n.t('Name A–Z'), orderBy: 'accountName asc' },
    { label: vscode.l10n.t('Name Z–A'), orderBy: 'accountName desc' },
    { label: vscode.l10n.t('Recently edited'), orderBy: 'lastEditDate desc' },
    { label: vscode.l10n.t('Recently created'), orderBy: 'createdDate desc' },
  ],
  contact: [
    { label: vscode.l10n.t('Default order'), orderBy: undefined },
    { label: vscode.l10n.t('Name A–Z'), orderBy: 'fullName asc' },
    { label: vscode.l10n.t('Email A–Z'), orderBy: 'email asc' },
    { label: vscode.l10n.t('Recently edited'), orderBy: 'lastEditDate desc' },
    { label: vscode.l10n.t('Recently created'), orderBy: 'createdDate desc' },
  ],
};

/** The contacts of one account, as loaded when it was expanded. */
interface ChildState {
  nodes?: RecordNode[];
  error?: unknown;
  loading?: Promise<void>;
}

/**
 * One view's list: accounts (each expanding into its contacts) or contacts. It loads one page
 * when first shown and one more page per "Load more", keeps each record once, and builds tree
 * ids from record ids so that a refresh keeps what was expanded.
 */
export class RecordTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private pager: Pager<Row> | undefined;
  private rootError: unknown;
  private firstLoad: Promise<void> | undefined;
  private nodes: RecordNode[] = [];
  private readonly nodeIndex = new Map<RecordId, RecordNode>();
  private readonly children = new Map<RecordId, ChildState>();
  private readonly items = new WeakMap<RecordNode, vscode.TreeItem>();
  private loadMoreNode: LoadMoreNode | undefined;
  private searchText = '';
  private sort: SortOption;
  private view: vscode.TreeView<TreeNode> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private generation = 0;
  private listKey = '';
  /** Cancels the page requests of the current list when it is replaced. */
  private abortList: AbortController | undefined;

  constructor(
    readonly kind: RecordKind,
    private readonly connection: Connection,
    private readonly records: RecordService,
    private readonly errors: ErrorPresenter,
    private readonly logger: Logger,
  ) {
    this.sort = sortOptions[kind][0];
    this.disposables.push(
      this.changed,
      connection.onDidChange(() => {
        this.showConnectionProblem();
        if (connection.listKey !== this.listKey) this.refresh();
      }),
      records.onDidSave((event) => this.onSaved(event)),
      records.onDidCreate((event) => this.onCreated(event)),
      records.onDidDelete((event) => this.onDeleted(event)),
    );
  }

  /** The plural name used in labels and messages. */
  get noun(): string {
    return this.kind === 'account' ? 'accounts' : 'contacts';
  }

  attach(view: vscode.TreeView<TreeNode>): void {
    this.view = view;
    this.updateDescription();
    this.showConnectionProblem();
  }

  /** Shows above the welcome text why the view cannot load, such as which setting is wrong. */
  private showConnectionProblem(): void {
    if (!this.view) return;
    const state = this.connection.state;
    this.view.message =
      state.status === 'invalidSettings' || state.status === 'storageError'
        ? state.message
        : undefined;
  }

  get search(): string {
    return this.searchText;
  }

  get sortOption(): SortOption {
    return this.sort;
  }

  /** Loaded top-level records, for tests and commands. */
  get loaded(): readonly RecordNode[] {
    return this.nodes;
  }

  get total(): number | undefined {
    return this.pager?.total;
  }

  get hasMore(): boolean {
    return this.pager !== undefined && !this.pager.done;
  }

  get listChanged(): boolean {
    return this.pager?.changed ?? false;
  }

  // --- TreeDataProvider --------------------------------------------------------------------

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node instanceof RecordNode) {
      let item = this.items.get(node);
      if (!item) {
        item = recordItem(node, 'prodcamp.openContact');
        this.items.set(node, item);
      }
      return item;
    }
    if (node instanceof LoadMoreNode) return this.loadMoreItem(node);
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.options.description;
    item.tooltip = node.options.tooltip;
    item.iconPath = node.options.icon;
    item.contextValue = node.options.contextValue;
    item.command = node.options.command;
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node instanceof RecordNode) return node.parent;
    if (node instanceof MessageNode) return node.options.parent;
    return undefined;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.rootChildren();
    if (node instanceof RecordNode && node.kind === 'account' && this.kind === 'account')
      return this.contactChildren(node);
    return [];
  }

  // --- Root list ---------------------------------------------------------------------------

  private async rootChildren(): Promise<TreeNode[]> {
    if (this.connection.state.status !== 'ready') return [];
    if (!this.pager) this.startList();
    if (
      this.pager &&
      this.pager.loadedCount === 0 &&
      !this.pager.done &&
      this.rootError === undefined
    ) {
      this.firstLoad ??= this.loadPage(true).finally(() => {
        this.firstLoad = undefined;
      });
      await this.firstLoad;
    }
    const prefix = this.prefix();
    const result: TreeNode[] = [...this.nodes];
    if (this.rootError !== undefined && this.nodes.length === 0) {
      return [
        this.errorNode(
          `${prefix}/error`,
          vscode.l10n.t("Couldn't load {0}", this.noun),
          this.rootError,
          () => this.retryRoot(),
        ),
      ];
    }
    if (this.nodes.length === 0 && this.pager?.done) {
      const label = this.searchText
        ? vscode.l10n.t('No {0} match "{1}"', this.noun, this.searchText)
        : vscode.l10n.t('No {0} yet', this.noun);
      return [
        new MessageNode(`${prefix}/empty`, label, {
          icon: new vscode.ThemeIcon('info'),
          command: this.searchText
            ? { command: `prodcamp.${this.noun}.clearSearch`, title: vscode.l10n.t('Clear Search') }
            : undefined,
          description: this.searchText ? vscode.l10n.t('Clear search') : undefined,
        }),
      ];
    }
    if (this.rootError !== undefined) {
      result.push(
        this.errorNode(
          `${prefix}/error`,
          vscode.l10n.t("Couldn't load more {0}", this.noun),
          this.rootError,
          () => this.retryRoot(),
        ),
      );
    } else if (this.hasMore) {
      this.loadMoreNode ??= new LoadMoreNode(`${prefix}/more`, this.kind);
      result.push(this.loadMoreNode);
    }
    if (this.listChanged) {
      result.push(
        new MessageNode(`${prefix}/changed`, vscode.l10n.t('The list changed on the server'), {
          description: vscode.l10n.t('Refresh to see it in order'),
          tooltip: vscode.l10n.t(
            '{0} were added, removed or reordered on the server while this list was loaded in pages. Refresh to load it again from the start.',
            this.noun,
          ),
          icon: new vscode.ThemeIcon('warning'),
          command: { command: `prodcamp.${this.noun}.refresh`, title: 'Refresh' },
          contextValue: 'prodcamp.changed',
        }),
      );
    }
    return result;
  }

  private startList(): void {
    const generation = this.generation;
    const pageSize = this.connection.pageSize;
    const controller = new AbortController();
    this.abortList = controller;
    this.pager = new Pager<Row>(async (pageNumber, size) => {
      const page = await this.connection.client().list<Row>(
        this.kind,
        {
          pageNumber,
          pageSize: size,
          search: this.searchText || undefined,
          orderBy: this.sort.orderBy,
        },
        { signal: controller.signal },
      );
      if (generation !== this.generation) throw new StaleListError();
      return page;
    }, pageSize);
  }

  /** Loads the next page. `first` marks the load that the view itself started. */
  private async loadPage(first: boolean): Promise<void> {
    const pager = this.pager;
    if (!pager) return;
    try {
      const result = await pager.loadNext();
      if (pager !== this.pager) return;
      this.rootError = undefined;
      for (const record of result.added) this.addNode(record, false);
      if (result.duplicates > 0) {
        this.logger.info(
          `Dropped ${result.duplicates} ${this.noun} that an earlier page already listed.`,
        );
      }
    } catch (error) {
      if (error instanceof StaleListError || isCancellation(error) || pager !== this.pager) return;
      this.rootError = error;
      void this.errors.show(
        error,
        first
          ? vscode.l10n.t("Couldn't load {0}", this.noun)
          : vscode.l10n.t("Couldn't load more {0}", this.noun),
      );
    }
    this.updateDescription();
  }

  /**
   * Loads one more page. A second call while one is loading waits for the same request, and a
   * call through an item that already loaded its page does nothing, so a double click sends
   * one request.
   */
  async loadMore(from?: LoadMoreNode): Promise<void> {
    if (!this.pager || this.pager.done || from?.used) return;
    const node = from ?? this.loadMoreNode;
    const before = this.nodes.length;
    // Progress shows in the view itself. A "Loading…" label would need a tree event of its own,
    // and VS Code delays a tree event that follows another within 200 ms, so the new rows
    // would show later.
    await vscode.window.withProgress({ location: { viewId: `prodcamp.${this.noun}` } }, () =>
      this.loadPage(false),
    );
    if (node && (this.nodes.length > before || this.pager?.done)) {
      node.used = true;
      if (node === this.loadMoreNode) this.loadMoreNode = undefined;
    }
    this.changed.fire(undefined);
  }

  private retryRoot(): void {
    this.rootError = undefined;
    if (this.nodes.length === 0) {
      this.changed.fire(undefined);
    } else {
      void this.loadMore();
    }
  }

  private addNode(record: Row, first: boolean): RecordNode | undefined {
    const id = idOf(record);
    if (this.nodeIndex.has(id)) return undefined;
    const node = new RecordNode(this.kind, id, record, `${this.prefix()}/${this.kind}/${id}`);
    this.nodeIndex.set(id, node);
    if (first) this.nodes.unshift(node);
    else this.nodes.push(node);
    return node;
  }

  private loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
    const loaded = this.nodes.length;
    const total = this.pager?.total;
    const counts =
      total !== undefined && total >= 0
        ? vscode.l10n.t('{0} of {1}', formatCount(loaded), formatCount(Math.max(total, loaded)))
        : vscode.l10n.t('{0} loaded', formatCount(loaded));
    const item = new vscode.TreeItem(
      vscode.l10n.t('Load more'),
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    item.description = counts;
    item.tooltip = vscode.l10n.t(
      'Load the next {0} {1} ({2})',
      formatCount(this.pager?.pageSize ?? this.connection.pageSize),
      this.noun,
      counts,
    );
    item.iconPath = new vscode.ThemeIcon('fold-down');
    item.contextValue = 'prodcamp.loadMore';
    item.command = {
      command: 'prodcamp.loadMore',
      title: vscode.l10n.t('Load More'),
      arguments: [node],
    };
    return item;
  }

  // --- Contacts of an account ---------------------------------------------------------------

  private async contactChildren(account: RecordNode): Promise<TreeNode[]> {
    // VS Code may still ask for the children of an account from the list before a refresh.
    if (this.nodeIndex.get(account.recordId) !== account) return [];
    let state = this.children.get(account.recordId);
    if (!state) {
      state = {};
      this.children.set(account.recordId, state);
    }
    if (!state.nodes && state.error === undefined) {
      state.loading ??= this.loadContacts(account, state).finally(() => {
        if (state) state.loading = undefined;
      });
      await state.loading;
    }
    if (state.error !== undefined) {
      return [
        this.errorNode(
          `${account.id}/error`,
          vscode.l10n.t("Couldn't load contacts"),
          state.error,
          () => this.refreshChildren(account),
          account,
        ),
      ];
    }
    if (state.nodes && state.nodes.length === 0) {
      return [
        new MessageNode(`${account.id}/empty`, vscode.l10n.t('No contacts'), {
          icon: new vscode.ThemeIcon('info'),
          parent: account,
        }),
      ];
    }
    return state.nodes ?? [];
  }

  private async loadContacts(account: RecordNode, state: ChildState): Promise<void> {
    const generation = this.generation;
    try {
      const record = await this.records.get('account', account.recordId);
      if (generation !== this.generation) return;
      state.error = undefined;
      account.record = withoutContacts(record);
      this.items.delete(account);
      const contacts = Array.isArray(record.contacts) ? record.contacts.filter(isRow) : [];
      const seen = new Set<RecordId>();
      state.nodes = [];
      for (const contact of contacts) {
        const id = idOf(contact);
        if (seen.has(id)) continue;
        seen.add(id);
        state.nodes.push(
          new RecordNode('contact', id, contact, `${account.id}/contact/${id}`, account),
        );
      }
    } catch (error) {
      if (generation !== this.generation) return;
      state.error = error;
      void this.errors.show(
        error,
        vscode.l10n.t("Couldn't load the contacts of {0}", this.describeAccount(account)),
      );
    }
  }

  /** Loads an account's contacts again, keeping the account expanded. */
  refreshChildren(account: RecordNode): void {
    this.children.delete(account.recordId);
    this.changed.fire(account);
  }

  private describeAccount(account: RecordNode): string {
    const label = this.getTreeItem(account).label;
    return `account ${account.recordId}${typeof label === 'string' ? ` "${label}"` : ''}`;
  }

  // --- Commands ----------------------------------------------------------------------------

  /** Starts the list again from page 1. Expanded accounts stay expanded and reload their contacts. */
  refresh(): void {
    this.listKey = this.connection.listKey;
    this.generation++;
    this.abortList?.abort();
    this.abortList = undefined;
    this.pager = undefined;
    this.rootError = undefined;
    this.firstLoad = undefined;
    this.nodes = [];
    this.nodeIndex.clear();
    this.children.clear();
    this.loadMoreNode = undefined;
    this.updateDescription();
    this.changed.fire(undefined);
  }

  setSearch(text: string): void {
    this.searchText = text.trim();
    void vscode.commands.executeCommand(
      'setContext',
      `prodcamp.${this.noun}.searching`,
      this.searchText !== '',
    );
    this.refresh();
  }

  setSort(option: SortOption): void {
    this.sort = option;
    this.refresh();
  }

  private updateDescription(): void {
    if (!this.view) return;
    const parts: string[] = [];
    if (this.searchText) parts.push(`"${this.searchText}"`);
    if (this.sort.orderBy) parts.push(this.sort.label);
    this.view.description = parts.join(' · ') || undefined;
  }

  // --- Record events -----------------------------------------------------------------------

  private onSaved(event: RecordEvent): void {
    if (!event.record) return;
    if (event.kind === this.kind) {
      const node = this.nodeIndex.get(event.id);
      if (node)
        this.updateNode(
          node,
          event.kind === 'account' ? withoutContacts(event.record) : event.record,
        );
    }
    if (event.kind === 'contact' && this.kind === 'account') {
      const newAccountId = accountIdOf(event.record);
      for (const [accountId, state] of this.children) {
        const index = state.nodes?.findIndex((node) => node.recordId === event.id) ?? -1;
        const account = this.nodeIndex.get(accountId);
        if (!state.nodes || !account) continue;
        if (index >= 0 && newAccountId === accountId) {
          this.updateNode(state.nodes[index], event.record);
        } else if (index >= 0) {
          state.nodes.splice(index, 1);
          this.changed.fire(account);
        } else if (newAccountId === accountId) {
          state.nodes.push(
            new RecordNode(
              'contact',
              event.id,
              event.record,
              `${account.id}/contact/${event.id}`,
              account,
            ),
          );
          this.changed.fire(account);
        }
      }
    }
  }

  private onCreated(event: RecordEvent): void {
    if (!event.record) return;
    if (event.kind === this.kind && this.pager) {
      const record = event.record as Row;
      this.pager.insert(record);
      if (this.addNode(record, true)) this.changed.fire(undefined);
    }
    if (event.kind === 'contact' && this.kind === 'account') this.onSaved(event);
  }

  private onDeleted(event: RecordEvent): void {
    if (event.kind === this.kind) {
      const node = this.nodeIndex.get(event.id);
      if (node) {
        this.nodeIndex.delete(event.id);
        this.nodes = this.nodes.filter((candidate) => candidate !== node);
        this.children.delete(event.id);
        this.pager?.remove(event.id);
        this.changed.fire(undefined);
      }
    }
    if (event.kind === 'contact' && this.kind === 'account') {
      for (const [accountId, state] of this.children) {
        const index = state.nodes?.findIndex((node) => node.recordId === event.id) ?? -1;
        if (index >= 0 && state.nodes) {
          state.nodes.splice(index, 1);
          const account = this.nodeIndex.get(accountId);
          if (account) this.changed.fire(account);
        }
      }
    }
  }

  private updateNode(node: RecordNode, record: JsonObject): void {
    node.record = record;
    this.items.delete(node);
    this.changed.fire(node);
  }

  // --- Helpers -----------------------------------------------------------------------------

  private prefix(): string {
    return `${this.connection.origin ?? 'none'}/${this.noun}`;
  }

  private errorNode(
    id: string,
    label: string,
    error: unknown,
    retry: () => void,
    parent?: RecordNode,
  ): MessageNode {
    const node = new MessageNode(id, vscode.l10n.t('{0} ({1})', label, shortReason(error)), {
      description: 'Retry',
      tooltip: error instanceof Error ? error.message : String(error),
      icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
      contextValue: 'prodcamp.error',
      parent,
      retry,
    });
    node.options.command = { command: 'prodcamp.retry', title: 'Retry', arguments: [node] };
    return node;
  }

  findNode(id: RecordId): RecordNode | undefined {
    return this.nodeIndex.get(id);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** Thrown by a page fetch that finished after the list was refreshed; its result is dropped. */
class StaleListError extends Error {}

function isRow(value: unknown): value is Contact {
  return isJsonObject(value) && typeof value.id === 'object' && value.id !== null;
}

function withoutContacts(record: JsonObject): JsonObject {
  const { contacts: _contacts, ...rest } = record;
  return rest;
}

function accountIdOf(record: JsonObject): RecordId | undefined {
  const value = record.accountId;
  return typeof value === 'object' &&
    value !== null &&
    'value' in value &&
    typeof value.value === 'string'
    ? value.value
    : undefined;
}
