import * as vscode from 'vscode';
import {
  isJsonObject,
  stringField,
  toNumber,
  type JsonObject,
  type JsonValue,
  type RecordId,
  type RecordKind,
} from '../api';
import { displayName } from '../records';

/** A record in a tree: an account at the top, or a contact at the top or under its account. */
export class RecordNode {
  readonly type = 'record';
  constructor(
    readonly kind: RecordKind,
    readonly recordId: RecordId,
    public record: JsonObject,
    /** A stable tree id built from record ids, never from a position. */
    readonly id: string,
    readonly parent?: RecordNode,
  ) {}
}

/** The item at the end of a list that loads the next page. */
export class LoadMoreNode {
  readonly type = 'loadMore';
  /**
   * Set once this item has loaded its page. The item shown afterwards is a new object with the
   * same id, so a second click on the old one (a double click) loads nothing more.
   */
  used = false;
  constructor(
    readonly id: string,
    /** The record type of the list it extends. */
    readonly list: RecordKind,
  ) {}
}

/** An item that stands for a state rather than a record: an error with Retry, a notice, an empty list. */
export class MessageNode {
  readonly type = 'message';
  constructor(
    readonly id: string,
    readonly label: string,
    readonly options: {
      description?: string;
      tooltip?: string;
      icon?: vscode.ThemeIcon;
      contextValue?: string;
      command?: vscode.Command;
      parent?: RecordNode;
      retry?: () => void;
    } = {},
  ) {}
}

export type TreeNode = RecordNode | LoadMoreNode | MessageNode;

// Created on first use: building a number format takes a few milliseconds of activation.
let numberFormat: Intl.NumberFormat | undefined;

export function formatCount(count: number): string {
  numberFormat ??= new Intl.NumberFormat('en-US');
  return numberFormat.format(count);
}

/** Builds the tree item of a record. */
export function recordItem(node: RecordNode, openCommand: string): vscode.TreeItem {
  const { record } = node;
  const name = displayName(node.kind, record);
  const item = new vscode.TreeItem(
    name || vscode.l10n.t('(unnamed {0} {1})', node.kind, node.recordId),
  );
  item.id = node.id;
  if (node.kind === 'account') {
    item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    item.iconPath = new vscode.ThemeIcon('organization');
    item.contextValue = 'prodcamp.account';
    const status = objectField(record, 'status');
    const domains = record.domains;
    const firstDomain = Array.isArray(domains)
      ? domains.find((domain): domain is string => typeof domain === 'string')
      : undefined;
    item.description = [stringField(status, 'caption'), firstDomain].filter(Boolean).join(' · ');
    item.tooltip = accountTooltip(node);
  } else {
    item.collapsibleState = vscode.TreeItemCollapsibleState.None;
    item.iconPath = new vscode.ThemeIcon('person');
    const email = stringField(record, 'email');
    item.contextValue = email ? 'prodcamp.contact.withEmail' : 'prodcamp.contact';
    item.description = [email, stringField(record, 'title')].filter(Boolean).join(' · ');
    item.tooltip = contactTooltip(node);
    item.command = {
      command: openCommand,
      title: vscode.l10n.t('Open Contact'),
      arguments: [node],
    };
  }
  item.accessibilityInformation = { label: `${node.kind} ${name || node.recordId}` };
  return item;
}

function accountTooltip(node: RecordNode): vscode.MarkdownString {
  const { record } = node;
  const data = objectField(record, 'data');
  const lines = [
    `**${escape(displayName('account', record) || vscode.l10n.t('(unnamed)'))}**`,
    '',
    row(vscode.l10n.t('Company'), stringField(record, 'companyName')),
    row(vscode.l10n.t('Status'), stringField(objectField(record, 'status'), 'caption')),
    row(
      'Domains',
      Array.isArray(record.domains)
        ? record.domains.filter((d) => typeof d === 'string').join(', ')
        : undefined,
    ),
    row(vscode.l10n.t('Website'), stringField(data, 'website')),
    row(vscode.l10n.t('Industry'), stringField(data, 'industry')),
    row(vscode.l10n.t('Employees'), numberText(data?.employeesCount)),
    row(vscode.l10n.t('Last edited'), stringField(record, 'lastEditDate')),
    row(vscode.l10n.t('ID'), node.recordId),
  ];
  return markdown(lines);
}

function contactTooltip(node: RecordNode): vscode.MarkdownString {
  const { record } = node;
  const account = objectField(record, 'account');
  const lines = [
    `**${escape(displayName('contact', record) || vscode.l10n.t('(unnamed)'))}**`,
    '',
    row(vscode.l10n.t('Email'), stringField(record, 'email')),
    row(vscode.l10n.t('Title'), stringField(record, 'title')),
    row(vscode.l10n.t('Department'), stringField(record, 'department')),
    row(vscode.l10n.t('Phone'), stringField(record, 'phone') ?? stringField(record, 'mobile')),
    row(vscode.l10n.t('Account'), stringField(account, 'accountName')),
    row(vscode.l10n.t('Last edited'), stringField(record, 'lastEditDate')),
    row(vscode.l10n.t('ID'), node.recordId),
  ];
  return markdown(lines);
}

function markdown(lines: (string | undefined)[]): vscode.MarkdownString {
  const text = new vscode.MarkdownString(lines.filter((line) => line !== undefined).join('\n'));
  text.supportHtml = false;
  text.isTrusted = false;
  return text;
}

function row(label: string, value: string | undefined): string | undefined {
  return value ? `- ${label}: ${escape(value)}` : undefined;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function objectField(record: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = record?.[key];
  return isJsonObject(value) ? value : undefined;
}

function numberText(value: JsonValue | undefined): string | undefined {
  const number = toNumber(value);
  return number === undefined ? undefined : formatCount(number);
}
