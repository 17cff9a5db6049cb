import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProdCampExtension } from '../../src/extension';
import {
  answerWarnings,
  createAsAnotherClient,
  closeAllEditors,
  connect,
  requestLines,
  setField,
  sleep,
  withOneSecondTimeout,
} from './helpers';
import { emulatorControl, sandbox, screenshot, waitFor } from './support';

const api = '/api/v1/Customers';

async function firstContact(): Promise<{ id: string; text: string }> {
  const { url, apiKey } = sandbox();
  const text = await fetch(`${url}${api}/contacts?PageSize=1&apiKey=${apiKey}`).then((response) =>
    response.text(),
  );
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
    await vscode.workspace
      .getConfiguration('files')
      .update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    await vscode.workspace
      .getConfiguration('files')
      .update('autoSaveDelay', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace
      .getConfiguration('prodcamp')
      .update('autoSaveQuietSeconds', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('a contact rename reaches the server and the tree', async () => {
    const { id } = await firstContact();
    extension.trees.contact.refresh();
    await extension.trees.contact.getChildren();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'prodcamp.openContact',
      id,
    );
    assert.ok(editor);
    assert.equal(
      (JSON.parse(editor.document.getText()) as { account?: unknown }).account,
      undefined,
      "a contact's account copy is not in its document",
    );
    await setField(editor.document, ['firstName'], 'Zoë');
    await setField(editor.document, ['lastName'], 'Ñúñez 🚀 李');
    await emulatorControl.clearRequests();
    assert.equal(await editor.document.save(), true);
    assert.deepEqual(await requestLines(), [
      `GET ${api}/contacts/${id}`,
      `PUT ${api}/contacts/${id}`,
    ]);
    const stored = await emulatorControl.contactRecord(Number(id));
    assert.equal(stored.firstName, 'Zoë');
    assert.equal(stored.lastName, 'Ñúñez 🚀 李');
    const node = extension.trees.contact.findNode(id);
    assert.ok(node);
    const label = extension.trees.contact.getTreeItem(node).label;
    assert.equal(label, 'Zoë Ñúñez 🚀 李', 'the tree label matches the document');
    await waitFor(
      () => editor.document.getText().includes('"fullName": "Zoë Ñúñez 🚀 李"'),
      5000,
      'the derived fullName to show',
    );
  });

  test('the JSON schema flags a mistyped field', async () => {
    const { id } = await firstContact();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'prodcamp.openContact',
      id,
    );
    assert.ok(editor);
    await setField(editor.document, ['accountId'], 'twelve');
    await setField(editor.document, ['emial'], 'typo@example.com');
    const diagnostics = await waitFor(
      () => {
        const found = vscode.languages
          .getDiagnostics(editor.document.uri)
          .filter((item) => item.source !== 'ProdCamp' && item.source !== 'ProdCamp server');
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

  test('the schema offers completion and hover help', async () => {
    const { id } = await firstContact();
    const draft = await vscode.commands.executeCommand<vscode.TextEditor>('prodcamp.newContact');
    assert.ok(draft);
    // An empty property name on a new line, as a user starts typing one.
    await draft.edit((builder) => builder.insert(new vscode.Position(1, 0), '  "",\n'));
    const position = new vscode.Position(1, 3);
    const completion = await waitFor(
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          draft.document.uri,
          position,
        );
        const labels = list.items.map((item) =>
          typeof item.label === 'string' ? item.label : item.label.label,
        );
        return labels.some((label) => label.includes('department')) ? labels : undefined;
      },
      15000,
      'completion of contact fields',
    );
    assert.ok(completion.some((label) => label.includes('additionalEmails')));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'prodcamp.openContact',
      id,
    );
    assert.ok(editor);
    const document = editor.document;
    const line = document
      .getText()
      .split('\n')
      .findIndex((text) => text.includes('"lastEditDate"'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(line, 5),
    );
    const hoverText = hovers
      .flatMap((hover) => hover.contents)
      .map((content) => (typeof content === 'string' ? content : content.value))
      .join('\n');
    assert.match(hoverText, /Set by the server/);
  });

  test('auto save sends one PUT for a burst of typing', async () => {
    const { id } = await firstContact();
    await vscode.workspace
      .getConfiguration('prodcamp')
      .update('autoSaveQuietSeconds', 1.5, vscode.ConfigurationTarget.Global);
    await vscode.workspace
      .getConfiguration('files')
      .update('autoSaveDelay', 100, vscode.ConfigurationTarget.Global);
    await vscode.workspace
      .getConfiguration('files')
      .update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Global);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'prodcamp.openContact',
      id,
    );
    assert.ok(editor);
    await emulatorControl.clearRequests();
    for (const title of ['C', 'CT', 'CTO', 'CTO a', 'CTO and co-founder']) {
      await setField(editor.document, ['title'], title);
      await sleep(400);
    }
    await waitFor(
      async () => (await requestLines()).some((line) => line.startsWith('PUT')),
      15000,
      'the auto save to send',
    );
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
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'prodcamp.openContact',
      id,
    );
    assert.ok(editor);
    await setField(editor.document, ['email'], 'not-an-email');
    assert.equal(await editor.document.save(), false);
    const own = () =>
      vscode.languages
        .getDiagnostics(editor.document.uri)
        .filter((item) => item.source === 'ProdCamp');
    assert.match(own()[0]?.message ?? '', /"email" must be an email address/);
    await setField(editor.document, ['email'], 'fixed@example.com');
    assert.equal(await editor.document.save(), true);
    assert.deepEqual(own(), []);
  });

  test('discarding a record deleted elsewhere closes its tab', async () => {
    const { url, apiKey } = sandbox();
    const id = await createAsAnotherClient('contacts', { firstName: 'Short', lastName: 'Lived' });
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'prodcamp.openContact',
      id,
    );
    assert.ok(editor);
    assert.equal(
      (await fetch(`${url}${api}/contacts/${id}?apiKey=${apiKey}`, { method: 'DELETE' })).status,
      204,
    );
    await setField(editor.document, ['title'], 'Gone');
    await emulatorControl.clearRequests();
    const answers = answerWarnings('Discard My Changes');
    try {
      await editor.document.save();
    } finally {
      answers.restore();
    }
    assert.deepEqual(await requestLines(), [`GET ${api}/contacts/${id}`], 'nothing is created');
    await waitFor(
      () =>
        !vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .some(
            (tab) =>
              tab.input instanceof vscode.TabInputText &&
              tab.input.uri.path.startsWith(`/contacts/${id}/`),
          ),
      5000,
      'the tab to close',
    );
    assert.equal(extension.trees.contact.findNode(id), undefined);
  });

  test('a dropped connection on save says the outcome is unknown', async () => {
    const { id } = await firstContact();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'prodcamp.openContact',
      id,
    );
    assert.ok(editor);
    await emulatorControl.addFault(`PUT ${api}/contacts/${id}`, { reset: true, times: 1 });
    await setField(editor.document, ['mobile'], `+1 555 ${Date.now() % 10000}`);
    const warnings = answerWarnings();
    try {
      assert.equal(await editor.document.save(), false);
    } finally {
      warnings.restore();
    }
    assert.equal(editor.document.isDirty, true);
    assert.match(warnings.messages.join('\n'), /may or may not have reached the server/);
    assert.equal(await editor.document.save(), true, 'saving again succeeds');
  });

  test('typing during a save keeps the new text', async () => {
    const { id } = await firstContact();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'prodcamp.openContact',
      id,
    );
    assert.ok(editor);
    const document = editor.document;
    await emulatorControl.addFault(`PUT ${api}/contacts/${id}`, { latencyMs: 1500, times: 1 });
    await setField(document, ['title'], 'Edit A');
    const firstSave = document.save();
    await sleep(400);
    await setField(document, ['department'], 'Edit B');
    // save() resolves to false here, because the document is dirty again when the save ends.
    await firstSave;
    await sleep(500);
    assert.match(document.getText(), /"department": "Edit B"/, 'the text typed meanwhile is kept');
    assert.equal(await document.save(), true, 'the second save is sent');
    const stored = await emulatorControl.contactRecord(Number(id));
    assert.equal(stored.title, 'Edit A');
    assert.equal(stored.department, 'Edit B');
    await waitFor(
      () => !document.isDirty && document.getText().includes(stored.lastEditDate as string),
      5000,
      'the stored version to show',
    );
  });

  test('typing during a create keeps the new text', async () => {
    await emulatorControl.addFault(`POST ${api}/accounts`, { latencyMs: 1500, times: 1 });
    const draft = await vscode.commands.executeCommand<vscode.TextEditor>('prodcamp.newAccount');
    assert.ok(draft);
    await setField(draft.document, ['accountName'], 'Typed On Ltd');
    const create = draft.document.save();
    await sleep(400);
    await setField(draft.document, ['companyName'], 'Typed On Holdings');
    await create;
    await sleep(500);
    assert.match(draft.document.getText(), /"companyName": "Typed On Holdings"/);
    await emulatorControl.clearRequests();
    assert.equal(await draft.document.save(), true);
    const lines = await requestLines();
    assert.equal(
      lines.filter((line) => line.startsWith('POST')).length,
      0,
      'no second record is created',
    );
    assert.equal(lines.filter((line) => line.startsWith('PUT')).length, 1);
    const record = await waitFor(
      () =>
        vscode.workspace.textDocuments.find((document) =>
          /^\/accounts\/\d+\/Typed On Ltd\.json$/.test(document.uri.path),
        ),
      5000,
      'the created record to open',
    );
    await waitFor(
      () => record.getText().includes('Typed On Holdings'),
      5000,
      'the record tab to show the later edit',
    );
  });

  test('a save that landed despite a time-out is no conflict', async () => {
    await withOneSecondTimeout(extension, async () => {
      const { id } = await firstContact();
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
        'prodcamp.openContact',
        id,
      );
      assert.ok(editor);
      await emulatorControl.addFault(`PUT ${api}/contacts/${id}`, { latencyMs: 1500, times: 1 });
      await setField(editor.document, ['title'], `Landed ${Date.now()}`);
      assert.equal(await editor.document.save(), false, 'the save timed out');
      await sleep(1500);
      const warnings = answerWarnings();
      try {
        assert.equal(await editor.document.save(), true);
      } finally {
        warnings.restore();
      }
      assert.deepEqual(
        warnings.messages.filter((message) => message.includes('changed on the server')),
        [],
      );
    });
  });

  test('deleting a record keeps its unsaved tab', async () => {
    const id = await createAsAnotherClient('contacts', { firstName: 'Half', lastName: 'Edited' });
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'prodcamp.openContact',
      id,
    );
    assert.ok(editor);
    await setField(editor.document, ['title'], 'Unsaved title');
    const answers = answerWarnings('Delete');
    try {
      assert.equal(await vscode.commands.executeCommand('prodcamp.deleteContact', id), true);
    } finally {
      answers.restore();
    }
    assert.match(answers.messages.join('\n'), /unsaved changes/);
    await sleep(500);
    const stillOpen = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .some(
        (tab) =>
          tab.input instanceof vscode.TabInputText &&
          tab.input.uri.path.startsWith(`/contacts/${id}/`),
      );
    assert.ok(stillOpen, 'the tab with unsaved changes stays open');
    assert.match(editor.document.getText(), /Unsaved title/);
  });

  test('HTML error page on save is reported, text kept', async () => {
    const { id } = await firstContact();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'prodcamp.openContact',
      id,
    );
    assert.ok(editor);
    await emulatorControl.addFault(`PUT ${api}/contacts/${id}`, {
      status: 502,
      html: true,
      times: 1,
    });
    await setField(editor.document, ['department'], `Sales ${Date.now()}`);
    const text = editor.document.getText();
    assert.equal(await editor.document.save(), false);
    assert.equal(editor.document.isDirty, true);
    assert.equal(editor.document.getText(), text);
    assert.equal(await editor.document.save(), true, 'the next save succeeds');
  });
});
