// Shared steps of the feature suites: reaching the extension's parts, connecting it to the
// emulator, answering modal dialogs, and editing record documents.
import * as assert from 'node:assert/strict';
import { applyEdits, modify } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { ProdCampExtension } from '../../src/extension';
import { EXTENSION_ID, emulatorControl, sandbox, waitFor } from './support';

export async function extensionApi(): Promise<ProdCampExtension> {
  const extension = vscode.extensions.getExtension<ProdCampExtension>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.activate();
}

/** Points the extension at the emulator and stores its key through the Set API Token command. */
export async function connect(): Promise<ProdCampExtension> {
  const api = await extensionApi();
  const { url, apiKey } = sandbox();
  await vscode.workspace
    .getConfiguration('prodcamp')
    .update('baseUrl', url, vscode.ConfigurationTarget.Global);
  await waitFor(() => api.connection.origin === url, 5000, 'the base URL setting to apply');
  const stored = await vscode.commands.executeCommand<boolean>('prodcamp.setApiToken', apiKey);
  assert.equal(stored, true, 'the emulator key was accepted');
  await waitFor(() => api.connection.state.status === 'ready', 5000, 'the connection to be ready');
  return api;
}

type MessageFunction = (message: string, ...rest: unknown[]) => Thenable<unknown>;

/**
 * Answers the next warning dialogs with the given button titles (undefined = Cancel) and
 * records their messages. Call `restore` when done.
 */
export function answerWarnings(...answers: (string | undefined)[]): {
  messages: string[];
  restore: () => void;
} {
  const window = vscode.window as unknown as { showWarningMessage: MessageFunction };
  const original = window.showWarningMessage;
  const messages: string[] = [];
  window.showWarningMessage = (message: string, ...rest: unknown[]) => {
    messages.push(message);
    const modal =
      typeof rest[0] === 'object' && rest[0] !== null && (rest[0] as { modal?: boolean }).modal;
    if (!modal) return original.call(vscode.window, message, ...rest);
    return Promise.resolve(answers.length ? answers.shift() : undefined);
  };
  return { messages, restore: () => (window.showWarningMessage = original) };
}

/** Records the information and error messages shown while `body` runs. */
export async function captureMessages<T>(
  body: () => Promise<T>,
): Promise<{ result: T; info: string[]; errors: string[] }> {
  const window = vscode.window as unknown as {
    showInformationMessage: MessageFunction;
    showErrorMessage: MessageFunction;
  };
  const originalInfo = window.showInformationMessage;
  const originalError = window.showErrorMessage;
  const info: string[] = [];
  const errors: string[] = [];
  window.showInformationMessage = (message: string) => {
    info.push(message);
    return Promise.resolve(undefined);
  };
  window.showErrorMessage = (message: string) => {
    errors.push(message);
    return Promise.resolve(undefined);
  };
  try {
    return { result: await body(), info, errors };
  } finally {
    window.showInformationMessage = originalInfo;
    window.showErrorMessage = originalError;
  }
}

/** Sets one field of a JSON document through a normal editor edit, as typing would. */
export async function setField(
  document: vscode.TextDocument,
  path: (string | number)[],
  value: unknown,
): Promise<void> {
  const text = document.getText();
  const edits = modify(text, path, value, {
    formattingOptions: { insertSpaces: true, tabSize: 2 },
  });
  await replaceText(document, applyEdits(text, edits));
}

/** Replaces the whole text of a document through an editor edit. */
export async function replaceText(document: vscode.TextDocument, text: string): Promise<void> {
  const editor = await vscode.window.showTextDocument(document);
  const whole = new vscode.Range(
    document.positionAt(0),
    document.positionAt(document.getText().length),
  );
  const applied = await editor.edit((builder) => builder.replace(whole, text));
  assert.ok(applied, 'the edit was applied');
}

/** Returns the API requests the emulator received since the last clear, as "METHOD path". */
export async function requestLines(): Promise<string[]> {
  const requests = await emulatorControl.requests();
  return requests.map((request) => `${request.method} ${request.path}`);
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Returns the open documents under a record URI path prefix such as `/accounts/7/`. */
export function openRecordDocuments(prefix: string): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter(
    (document) => document.uri.scheme === 'prodcamp' && document.uri.path.startsWith(prefix),
  );
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Changes a stored record directly in the emulator, as another client would, and bumps its lastEditDate. */
export async function changeAsAnotherClient(
  collection: 'accounts' | 'contacts',
  id: string,
  fields: object,
): Promise<void> {
  const response = await fetch(`${sandbox().url}/__emulator/records/${collection}/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  assert.ok(
    response.ok,
    `the emulator changed ${collection} ${id}: HTTP ${response.status} ${await response.text()}`,
  );
}

/** Runs `body` with the request time limit set to one second, and restores the default after. */
export async function withOneSecondTimeout<T>(
  api: ProdCampExtension,
  body: () => Promise<T>,
): Promise<T> {
  const configuration = () => vscode.workspace.getConfiguration('prodcamp');
  await configuration().update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
  try {
    await waitFor(
      () => 'settings' in api.connection.state && api.connection.state.settings.timeoutMs === 1000,
      5000,
      'the one-second time limit to apply',
    );
    return await body();
  } finally {
    await configuration().update(
      'requestTimeoutSeconds',
      undefined,
      vscode.ConfigurationTarget.Global,
    );
  }
}

/** Creates a record through the emulator's API, as another client would, and returns its id. */
export async function createAsAnotherClient(
  collection: 'accounts' | 'contacts',
  fields: object,
): Promise<string> {
  const { url, apiKey } = sandbox();
  const response = await fetch(`${url}/api/v1/Customers/${collection}?apiKey=${apiKey}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  const id = /"id":\s*(\d+)/.exec(text)?.[1];
  assert.ok(id, `the emulator returned an id: ${text.slice(0, 200)}`);
  return id;
}
