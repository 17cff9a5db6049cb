import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProdCampExtension } from '../../src/extension';
import {
  answerWarnings,
  captureMessages,
  createAsAnotherClient,
  changeAsAnotherClient,
  closeAllEditors,
  connect,
  openRecordDocuments,
  replaceText,
  requestLines,
  setField,
  withOneSecondTimeout,
} from './helpers';
import { emulatorControl, sandbox, screenshot, waitFor } from './support';

const api = '/api/v1/Customers';

async function createAccount(
  fields: { accountName: string } & Record<string, unknown>,
): Promise<{ id: string; name: string }> {
  return { id: await createAsAnotherClient('accounts', fields), name: fields.accountName };
}

async function openAccount(id: string): Promise<vscode.TextDocument> {
  const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
    'prodcamp.openAccount',
    id,
  );
  assert.ok(editor, `account ${id} opened`);
  return editor.document;
}

suite('Record documents', () => {
  let extension: ProdCampExtension;

  suiteSetup(async () => {
    extension = await connect();
  });

  setup(async () => {
    await emulatorControl.clearFaults();
    await emulatorControl.clearRequests();
  });

  teardown(async () => {
    await closeAllEditors();
  });

  test('opens an account as JSON in one request', async () => {
    const { id } = await createAccount({ accountName: 'Open Me Ltd', domains: ['open.example'] });
    await emulatorControl.clearRequests();
    const document = await openAccount(id);
    assert.equal(document.uri.scheme, 'prodcamp');
    assert.equal(document.uri.path, `/accounts/${id}/Open Me Ltd.json`);
    assert.ok(!document.uri.toString().includes(sandbox().apiKey), 'the URI holds no token');
    assert.equal(document.languageId, 'json');
    const record = JSON.parse(document.getText()) as Record<string, unknown>;
    assert.equal(record.accountName, 'Open Me Ltd');
    assert.equal(record.contacts, undefined, "an account's contacts are not in its document");
    assert.deepEqual(await requestLines(), [`GET ${api}/accounts/${id}`]);
    await screenshot('account-open');

    await emulatorControl.clearRequests();
    const again = await openAccount(id);
    assert.equal(again, document, 'the open tab is focused, not a second one');
    assert.deepEqual(await requestLines(), []);
  });

  test('save PUTs the edit and shows what was stored', async () => {
    const { id } = await createAccount({
      accountName: 'Before Save Ltd',
      companyName: 'Kept Co',
      customFields: { tier: 'gold' },
    });
    const document = await openAccount(id);
    const openedEdit = (JSON.parse(document.getText()) as { lastEditDate: string }).lastEditDate;
    await emulatorControl.clearRequests();
    await setField(document, ['accountName'], '  After Save Ltd  ');
    assert.equal(await document.save(), true);
    assert.deepEqual(await requestLines(), [
      `GET ${api}/accounts/${id}`,
      `PUT ${api}/accounts/${id}`,
    ]);
    const stored = await emulatorControl.accountRecord(Number(id));
    assert.equal(stored.accountName, 'After Save Ltd');
    assert.equal(stored.companyName, 'Kept Co');
    assert.deepEqual(stored.customFields, { tier: 'gold' }, 'unknown fields survive');
    await waitFor(
      () => document.getText().includes('"accountName": "After Save Ltd"'),
      5000,
      'the document to show the trimmed name',
    );
    await waitFor(() => !document.isDirty, 5000, 'the document to be clean');
    const shown = JSON.parse(document.getText()) as { lastEditDate: string };
    assert.notEqual(shown.lastEditDate, openedEdit, 'the new lastEditDate is shown');
    assert.equal(shown.lastEditDate, stored.lastEditDate);

    await emulatorControl.clearRequests();
    await setField(document, ['companyName'], 'Second Save Co');
    const warnings = answerWarnings();
    try {
      assert.equal(await document.save(), true);
    } finally {
      warnings.restore();
    }
    assert.deepEqual(warnings.messages, [], 'a second save raises no conflict');
    assert.deepEqual(await requestLines(), [
      `GET ${api}/accounts/${id}`,
      `PUT ${api}/accounts/${id}`,
    ]);
  });

  test('invalid JSON is not sent and stays dirty', async () => {
    const { id } = await createAccount({ accountName: 'Syntax Ltd' });
    const document = await openAccount(id);
    const broken = document
      .getText()
      .replace('"accountName": "Syntax Ltd",', '"accountName": "Syntax Ltd",,');
    await replaceText(document, broken);
    await emulatorControl.clearRequests();
    assert.equal(await document.save(), false);
    assert.equal(document.isDirty, true);
    assert.equal(document.getText(), broken, "the user's text is intact");
    assert.deepEqual(await requestLines(), [], 'no request for text that is not JSON');
    const [diagnostic] = vscode.languages
      .getDiagnostics(document.uri)
      .filter((item) => item.source === 'ProdCamp');
    assert.ok(diagnostic, 'the problem is in the Problems panel');
    assert.match(diagnostic.message, /not valid JSON.*line \d+, column \d+/);

    for (const text of ['[]', 'null', '{"accountName": "x"']) {
      await replaceText(document, text);
      assert.equal(await document.save(), false, `saving ${text} fails`);
      assert.equal(document.getText(), text);
    }
    assert.deepEqual(await requestLines(), []);
  });

  test('a wrong type names the field', async () => {
    const { id } = await createAccount({ accountName: 'Types Ltd', data: { employeesCount: 5 } });
    const document = await openAccount(id);
    await setField(document, ['data', 'employeesCount'], 'many');
    await emulatorControl.clearRequests();
    assert.equal(await document.save(), false);
    assert.equal(document.isDirty, true);
    const [diagnostic] = vscode.languages
      .getDiagnostics(document.uri)
      .filter((item) => item.source === 'ProdCamp');
    assert.match(diagnostic.message, /"data\.employeesCount" must be integer or null, not "many"/);
    const line = document.lineAt(diagnostic.range.start.line).text;
    assert.match(line, /employeesCount/, 'the diagnostic points at the field');
    assert.deepEqual(await requestLines(), []);
  });

  test('a server-owned field cannot be changed', async () => {
    const { id } = await createAccount({ accountName: 'Owned Ltd' });
    const document = await openAccount(id);
    await emulatorControl.clearRequests();
    await setField(document, ['createdDate'], '2000-01-01T00:00:00.000Z');
    assert.equal(await document.save(), false);
    const [diagnostic] = vscode.languages
      .getDiagnostics(document.uri)
      .filter((item) => item.source === 'ProdCamp');
    assert.match(diagnostic.message, /"createdDate" is set by the server and can't be changed/);
    assert.deepEqual(await requestLines(), []);
  });

  test('a 400 keeps the text and shows the server message', async () => {
    const { id } = await createAccount({
      accountName: 'Rejected Ltd',
      data: { website: 'ok.example' },
    });
    const document = await openAccount(id);
    await emulatorControl.addFault(`PUT ${api}/accounts/${id}`, {
      status: 400,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { 'Data.Website': ['The website is not reachable.'] },
      }),
      times: 1,
    });
    await setField(document, ['data', 'website'], 'bad.example');
    const edited = document.getText();
    assert.equal(await document.save(), false);
    assert.equal(document.isDirty, true);
    assert.equal(document.getText(), edited);
    const diagnostics = vscode.languages
      .getDiagnostics(document.uri)
      .filter((item) => item.source === 'ProdCamp server');
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0].message, /The website is not reachable/);
    assert.match(document.lineAt(diagnostics[0].range.start.line).text, /"website"/);
    await screenshot('save-rejected');
    assert.equal(await document.save(), true, 'the next save succeeds');
    assert.deepEqual(
      vscode.languages
        .getDiagnostics(document.uri)
        .filter((item) => item.source?.startsWith('ProdCamp')),
      [],
    );
  });

  test('new account POSTs and becomes the record', async () => {
    await extension.trees.account.getChildren();
    await emulatorControl.clearRequests();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('prodcamp.newAccount');
    assert.ok(editor);
    const draft = editor.document;
    assert.match(draft.uri.path, /^\/accounts\/new-\d+\//);
    await setField(draft, ['accountName'], 'Brand New Ltd');
    assert.equal(await draft.save(), true);
    const lines = await requestLines();
    assert.deepEqual(lines, [`POST ${api}/accounts`]);
    const created = await waitFor(
      () =>
        openRecordDocuments('/accounts/').find((document) =>
          /^\/accounts\/\d+\/Brand New Ltd\.json$/.test(document.uri.path),
        ),
      5000,
      'the created record to open',
    );
    const record = JSON.parse(created.getText()) as { accountName: string; id: number };
    assert.equal(record.accountName, 'Brand New Ltd');
    await waitFor(
      () =>
        !vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .some(
            (tab) =>
              tab.input instanceof vscode.TabInputText &&
              tab.input.uri.toString() === draft.uri.toString(),
          ),
      5000,
      'the draft tab to close',
    );
    assert.ok(
      extension.trees.account.findNode(String(record.id)),
      'the tree shows the new account',
    );
  });

  test('new contact from an account gets its accountId', async () => {
    const { id } = await createAccount({ accountName: 'Parent Ltd' });
    await vscode.commands.executeCommand('prodcamp.accounts.search', 'Parent Ltd');
    const nodes = await extension.trees.account.getChildren();
    const account = nodes.find((node) => 'recordId' in node && node.recordId === id);
    assert.ok(account, 'the account is in the tree');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'prodcamp.newContact',
      account,
    );
    assert.ok(editor);
    const template = JSON.parse(editor.document.getText()) as { accountId: number };
    assert.equal(template.accountId, Number(id));
    await setField(editor.document, ['firstName'], 'Zoë');
    await setField(editor.document, ['lastName'], 'Ñúñez 🚀 李');
    await setField(editor.document, ['email'], 'zoe@example.com');
    assert.equal(await editor.document.save(), true);
    const stored = await emulatorControl.accountRecord(Number(id));
    const contacts = stored.contacts as { firstName: string; lastName: string }[];
    assert.equal(contacts.length, 1);
    assert.equal(contacts[0].lastName, 'Ñúñez 🚀 李', 'the server stores the exact string');
    await vscode.commands.executeCommand('prodcamp.accounts.clearSearch');
  });

  test('delete asks first and closes the tab', async () => {
    const { id } = await createAccount({ accountName: 'Doomed Ltd' });
    await openAccount(id);
    const refused = answerWarnings(undefined);
    try {
      assert.equal(await vscode.commands.executeCommand('prodcamp.deleteAccount', id), false);
    } finally {
      refused.restore();
    }
    assert.match(refused.messages[0], new RegExp(`^Delete account ${id} "Doomed Ltd"\\?$`));
    assert.ok(
      !(await requestLines()).some((line) => line.startsWith('DELETE')),
      'Cancel deletes nothing',
    );

    const confirmed = answerWarnings('Delete');
    try {
      assert.equal(await vscode.commands.executeCommand('prodcamp.deleteAccount', id), true);
    } finally {
      confirmed.restore();
    }
    assert.ok((await requestLines()).includes(`DELETE ${api}/accounts/${id}`));
    await waitFor(
      () =>
        openRecordDocuments(`/accounts/${id}/`).length === 0 ||
        !vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .some(
            (tab) =>
              tab.input instanceof vscode.TabInputText &&
              tab.input.uri.path.startsWith(`/accounts/${id}/`),
          ),
      5000,
      'the tab to close',
    );
  });

  test('a conflicting change asks before overwriting', async () => {
    const { id } = await createAccount({ accountName: 'Contested Ltd', data: { phone: '1' } });
    const document = await openAccount(id);
    await changeAsAnotherClient('accounts', id, { accountName: 'Changed Elsewhere Ltd' });
    await setField(document, ['data', 'phone'], '2');
    await emulatorControl.clearRequests();

    const cancelled = answerWarnings(undefined);
    try {
      assert.equal(await document.save(), false);
    } finally {
      cancelled.restore();
    }
    assert.match(
      cancelled.messages[0],
      new RegExp(`^Account ${id} "Changed Elsewhere Ltd" was changed on the server`),
    );
    assert.equal(document.isDirty, true);
    assert.deepEqual(
      await requestLines(),
      [`GET ${api}/accounts/${id}`],
      'no PUT without a choice',
    );

    const overwrite = answerWarnings('Overwrite');
    try {
      assert.equal(await document.save(), true);
    } finally {
      overwrite.restore();
    }
    const stored = await emulatorControl.accountRecord(Number(id));
    assert.equal((stored.data as { phone: string }).phone, '2');
    assert.equal(stored.accountName, 'Contested Ltd', "Overwrite keeps the user's text");
  });

  test('a save that times out stays dirty', async () => {
    await withOneSecondTimeout(extension, async () => {
      const { id } = await createAccount({ accountName: 'Slow Ltd' });
      const document = await openAccount(id);
      await emulatorControl.addFault(`PUT ${api}/accounts/${id}`, { hang: true, times: 1 });
      await setField(document, ['accountName'], 'Slow But Sure Ltd');
      const { result, errors } = await captureMessages(() => Promise.resolve(document.save()));
      assert.equal(result, false);
      assert.equal(document.isDirty, true);
      assert.ok(
        errors.length === 0 || errors.every((message) => !message.includes(sandbox().apiKey)),
      );
      assert.equal(await document.save(), true, 'a retry after recovery succeeds');
      const stored = await emulatorControl.accountRecord(Number(id));
      assert.equal(stored.accountName, 'Slow But Sure Ltd');
    });
  });

  test('saving a record deleted elsewhere offers to create it', async () => {
    const { id } = await createAccount({ accountName: 'Vanished Ltd' });
    const document = await openAccount(id);
    const { url, apiKey } = sandbox();
    assert.equal(
      (await fetch(`${url}${api}/accounts/${id}?apiKey=${apiKey}`, { method: 'DELETE' })).status,
      204,
    );
    await setField(document, ['companyName'], 'Back Again Co');
    await emulatorControl.clearRequests();
    const answers = answerWarnings('Create Again');
    try {
      assert.equal(await document.save(), true);
    } finally {
      answers.restore();
    }
    assert.match(answers.messages[0], /no longer exists on the server/);
    const lines = await requestLines();
    assert.deepEqual(lines, [`GET ${api}/accounts/${id}`, `POST ${api}/accounts`]);
    await waitFor(
      () =>
        openRecordDocuments('/accounts/').some(
          (candidate) =>
            candidate.uri.path.endsWith('/Vanished Ltd.json') &&
            !candidate.uri.path.startsWith(`/accounts/${id}/`),
        ),
      5000,
      'the re-created record to open',
    );
  });

  test('awkward values round-trip exactly', async () => {
    const { url, apiKey } = sandbox();
    const body =
      '{"accountName":"Round Trip Ltd","data":{"annualRevenue":9007199254740993,"lifetimeValue":2.50,"signupDate":"2024-03-31T01:30:00.1234567+02:00","description":null},"externalId":123456789012345678901234567890,"customFields":{"emoji":"Zoë 🚀 李","n":[1e400,-0]}}';
    const response = await fetch(`${url}${api}/accounts?apiKey=${apiKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const id = /"id":\s*(\d+)/.exec(await response.text())?.[1];
    assert.ok(id);
    const document = await openAccount(id);
    const opened = document.getText();
    assert.match(opened, /"annualRevenue": 9007199254740993/);
    assert.match(opened, /"lifetimeValue": 2\.50/);
    assert.match(opened, /"externalId": 123456789012345678901234567890/);
    await setField(document, ['companyName'], 'Only This Changed');
    assert.equal(await document.save(), true);
    const stored = await fetch(`${url}${api}/accounts/${id}?apiKey=${apiKey}`).then((result) =>
      result.text(),
    );
    assert.match(stored, /"annualRevenue":\s*9007199254740993/);
    assert.match(stored, /"lifetimeValue":\s*2\.50/);
    assert.match(stored, /"signupDate":\s*"2024-03-31T01:30:00\.1234567\+02:00"/);
    assert.match(stored, /"externalId":\s*123456789012345678901234567890/);
    assert.match(stored, /"n":\s*\[\s*1e400,\s*-0\s*\]/);
    assert.match(stored, /"emoji":\s*"Zoë 🚀 李"/);
    assert.match(stored, /"companyName":\s*"Only This Changed"/);
  });
});
