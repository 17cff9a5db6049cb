import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProdCampExtension } from '../../src/extension';
import { closeAllEditors, connect, requestLines, setField, sleep } from './helpers';
import { emulatorControl, sandbox, screenshot, waitFor } from './support';

const api = '/api/v1/Customers';

async function firstContact(): Promise<{ id: string; text: string }> {
  const { url, apiKey } = sandbox();
  const text = await fetch(`${url}${api}/contacts?PageSize=1&apiKey=${apiKey}`).then((response) => response.text());
  const id = /"items":\s*\[\s*\{\s*"id":\s*(\d+)/.exec(text)?.[1];
  assert.ok(id, 'the emulator has a contact');
  return { id, text };
}

suite('Saving record documents', () => {
  let extension: ProdCampExtension;

  suiteSetup(async () => {
    extension = await connect();
  });

  setup(async () => {
    await emulatorControl.clearFaults();
    await emulatorControl.clearRequests();
  });

  teardown(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('prodcamp').update('autoSaveQuietSeconds', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('a contact rename reaches the server and the tree', async () => {
    const { id } = await firstContact();
    extension.trees.contact.refresh();
    await extension.trees.contact.getChildren();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('prodcamp.openContact', id);
    assert.ok(editor);
    assert.equal((JSON.parse(editor.document.getText()) as { account?: unknown }).account, undefined, "a contact's account copy is not in its document");
    await setField(editor.document, ['firstName'], 'Zoë');
    await setField(editor.document, ['lastName'], 'Ñúñez 🚀 李');
    await emulatorControl.clearRequests();
    assert.equal(await editor.document.save(), true);
    assert.deepEqual(await requestLines(), [`GET ${api}/contacts/${id}`, `PUT ${api}/contacts/${id}`]);
    const stored = await emulatorControl.contactRecord(Number(id));
    assert.equal(stored.firstName, 'Zoë');
    assert.equal(stored.lastName, 'Ñúñez 🚀 李');
    const node = extension.trees.contact.findNode(id);
    assert.ok(node);
    const label = extension.trees.contact.getTreeItem(node).label;
    assert.equal(label, 'Zoë Ñúñez 🚀 李', 'the tree label matches the document');
    await waitFor(() => editor.document.getText().includes('"fullName": "Zoë Ñúñez 🚀 李"'), 5000, 'the derived fullName to show');
  });

  test('the JSON schema flags a mistyped field', async () => {
    const { id } = await firstContact();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('prodcamp.openContact', id);
    assert.ok(editor);
    await setField(editor.document, ['accountId'], 'twelve');
    await setField(editor.document, ['emial'], 'typo@example.com');
    const diagnostics = await waitFor(
      () => {
        const found = vscode.languages.getDiagnostics(editor.document.uri).filter((item) => item.source !== 'ProdCamp' && item.source !== 'ProdCamp server');
        return found.length >= 2 ? found : undefined;
      },
      20000,
      'the JSON language service to check the document against the contact schema',
    );
    const messages = diagnostics.map((item) => item.message).join('\n');
    assert.match(messages, /Incorrect type/);
    assert.match(messages, /Not a field that the ProdCamp API documents/);
    await screenshot('schema-squiggles');
    await emulatorControl.clearRequests();
    assert.equal(await editor.document.save(), false, 'the same schema blocks the save');
    assert.deepEqual(await requestLines(), []);
  });

  test('auto save sends one PUT for a burst of typing', async () => {
    const { id } = await firstContact();
    await vscode.workspace.getConfiguration('prodcamp').update('autoSaveQuietSeconds', 1.5, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('files').update('autoSaveDelay', 100, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('files').update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Global);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('prodcamp.openContact', id);
    assert.ok(editor);
    await emulatorControl.clearRequests();
    for (const title of ['C', 'CT', 'CTO', 'CTO a', 'CTO and co-founder']) {
      await setField(editor.document, ['title'], title);
      await sleep(400);
    }
    await waitFor(async () => (await requestLines()).some((line) => line.startsWith('PUT')), 15000, 'the auto save to send');
    // Wait past another quiet time to be sure no second PUT follows.
    await sleep(2500);
    const puts = (await requestLines()).filter((line) => line.startsWith('PUT'));
    assert.deepEqual(puts, [`PUT ${api}/contacts/${id}`], 'one PUT for five pauses in typing');
    assert.equal(editor.document.isDirty, false);
    const stored = await emulatorControl.contactRecord(Number(id));
    assert.equal(stored.title, 'CTO and co-founder');
  });

  test('diagnostics clear after a good save', async () => {
    const { id } = await firstContact();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('prodcamp.openContact', id);
    assert.ok(editor);
    await setField(editor.document, ['email'], 'not-an-email');
    assert.equal(await editor.document.save(), false);
    const own = () => vscode.languages.getDiagnostics(editor.document.uri).filter((item) => item.source === 'ProdCamp');
    assert.match(own()[0]?.message ?? '', /"email" must be an email address/);
    await setField(editor.document, ['email'], 'fixed@example.com');
    assert.equal(await editor.document.save(), true);
    assert.deepEqual(own(), []);
  });

  test('HTML error page on save is reported, text kept', async () => {
    const { id } = await firstContact();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('prodcamp.openContact', id);
    assert.ok(editor);
    await emulatorControl.addFault(`PUT ${api}/contacts/${id}`, { status: 502, html: true, times: 1 });
    await setField(editor.document, ['department'], `Sales ${Date.now()}`);
    const text = editor.document.getText();
    assert.equal(await editor.document.save(), false);
    assert.equal(editor.document.isDirty, true);
    assert.equal(editor.document.getText(), text);
    assert.equal(await editor.document.save(), true, 'the next save succeeds');
  });
});
