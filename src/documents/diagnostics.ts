import { parseTree, type Node } from 'jsonc-parser';
import * as vscode from 'vscode';
import { positionAt, type ApiError } from '../api';
import type { RecordTextError } from './recordText';

const textSource = 'ProdCamp';
const serverSource = 'ProdCamp server';

/**
 * Problems found when saving a record document, in the Problems panel and as squiggles:
 * errors in the text, and the field errors of a 400 response. A good save clears them.
 */
export class SaveDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('prodcamp');
  private readonly subscriptions: vscode.Disposable[] = [
    // An edit may fix a problem in the text, which the JSON editor then checks as you type, so
    // those entries go. The server's field errors stay until a save succeeds, unless the edit
    // was a revert to the stored text.
    vscode.workspace.onDidChangeTextDocument((event) => {
      const current = this.collection.get(event.document.uri);
      if (!current?.length || event.contentChanges.length === 0) return;
      const kept = event.document.isDirty
        ? current.filter((diagnostic) => diagnostic.source === serverSource)
        : [];
      if (kept.length !== current.length) this.collection.set(event.document.uri, kept);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)),
  ];

  showTextError(uri: vscode.Uri, text: string, error: RecordTextError): void {
    const range = error.range
      ? toRange(text, error.range.offset, error.range.length)
      : new vscode.Range(0, 0, 0, 0);
    const diagnostic = new vscode.Diagnostic(range, error.message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = textSource;
    this.collection.set(uri, [diagnostic]);
  }

  /** Shows each field error of a 400 response at the field it names, or at the top when none matches. */
  showServerErrors(uri: vscode.Uri, error: ApiError): void {
    const document = vscode.workspace.textDocuments.find(
      (candidate) => candidate.uri.toString() === uri.toString(),
    );
    const text = document?.getText() ?? '';
    const tree = parseTree(text);
    const diagnostics: vscode.Diagnostic[] = [];
    const fieldErrors = error.fieldErrors ?? {};
    for (const [field, messages] of Object.entries(fieldErrors)) {
      const node = tree ? findField(tree, field) : undefined;
      const range = node ? toRange(text, node.offset, node.length) : new vscode.Range(0, 0, 0, 0);
      const diagnostic = new vscode.Diagnostic(
        range,
        `${field}: ${messages.join(' ') || 'invalid value'} (HTTP ${error.status ?? 400})`,
        vscode.DiagnosticSeverity.Error,
      );
      diagnostic.source = serverSource;
      diagnostics.push(diagnostic);
    }
    if (diagnostics.length === 0) {
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, 0),
        error.message,
        vscode.DiagnosticSeverity.Error,
      );
      diagnostic.source = serverSource;
      diagnostics.push(diagnostic);
    }
    this.collection.set(uri, diagnostics);
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
  }
}

/**
 * Finds the property a server field path names. Servers name fields in their own casing
 * (`Data.EmployeesCount`, `AdditionalEmails[1]`), so keys match without regard to case.
 */
export function findField(tree: Node, field: string): Node | undefined {
  const segments = field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((segment) => segment !== '' && segment !== '$');
  let node: Node | undefined = tree;
  for (const segment of segments) {
    if (!node) return undefined;
    if (node.type === 'array' && /^\d+$/.test(segment)) {
      node = node.children?.[Number(segment)];
      continue;
    }
    if (node.type !== 'object') return undefined;
    const property: Node | undefined = node.children?.find(
      (child) =>
        child.type === 'property' &&
        String(child.children?.[0]?.value).toLowerCase() === segment.toLowerCase(),
    );
    node = property?.children?.[1];
  }
  if (!node || node === tree) return undefined;
  return node.parent?.type === 'property' ? node.parent : node;
}

function toRange(text: string, offset: number, length: number): vscode.Range {
  const start = positionAt(text, offset);
  const end = positionAt(text, offset + length);
  return new vscode.Range(start.line - 1, start.column - 1, end.line - 1, end.column - 1);
}
