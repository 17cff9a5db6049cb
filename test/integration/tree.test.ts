import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProdCampExtension } from '../../src/extension';
import {
  captureMessages,
  connect,
  extensionApi,
  requestLines,
  withOneSecondTimeout,
} from './helpers';
import { emulatorControl, sandbox, screenshot, waitFor } from './support';

interface ItemView {
  id?: string;
  label: string;
  description?: string;
  contextValue?: string;
}

const accountsPath = '/api/v1/Customers/accounts';

/** Requests for pages of accounts; the Contacts view may load its own pages at any time. */
async function accountListRequests() {
  return (await emulatorControl.requests()).filter((request) => request.path === accountsPath);
}

suite('Accounts and contacts views', () => {
  let api: ProdCampExtension;

  async function children(
    kind: 'account' | 'contact',
    parent?: unknown,
  ): Promise<{ nodes: unknown[]; items: ItemView[] }> {
    const tree = api.trees[kind];
    const nodes = await tree.getChildren(parent as never);
    const items = nodes.map((node) => {
      const item = tree.getTreeItem(node);
      return {
        id: item.id,
        label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
        description: typeof item.description === 'string' ? item.description : undefined,
        contextValue: item.contextValue,
      };
    });
    return { nodes, items };
  }

  suiteSetup(async () => {
    api = await extensionApi();
  });

  test('no token shows the welcome view', async () => {
    await vscode.workspace
      .getConfiguration('prodcamp')
      .update('baseUrl', sandbox().url, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.connection.origin === sandbox().url, 5000, 'the base URL to apply');
    assert.equal(api.connection.state.status, 'noToken');
    const { items } = await children('account');
    assert.deepEqual(items, []);
    assert.deepEqual(await emulatorControl.requests(), [], 'no request goes out without a token');
    await vscode.commands.executeCommand('prodcamp.accounts.focus');
    await screenshot('welcome');
  });

  test('a rejected token is not stored', async () => {
    const stored = await vscode.commands.executeCommand<boolean>(
      'prodcamp.setApiToken',
      'not-the-right-key',
    );
    assert.equal(stored, false);
    assert.equal(api.connection.state.status, 'noToken');
    const lines = await requestLines();
    assert.deepEqual(lines, [`GET ${accountsPath}`], 'one cheap request checked the token');
  });

  test('first page loads with one request', async () => {
    await emulatorControl.clearRequests();
    api = await connect();
    // Let the load that connecting started finish, so its request is not counted below.
    await children('account');
    await emulatorControl.clearRequests();
    api.trees.account.refresh();
    const { items } = await children('account');
    // The Contacts view may load its own first page meanwhile; count the Accounts view's requests.
    const requests = (await accountListRequests()).filter(
      (request) => request.path === accountsPath,
    );
    assert.equal(requests.length, 1);
    assert.equal(requests[0].query.PageNumber, '1');
    assert.equal(requests[0].query.PageSize, '50');
    assert.equal(items.length, 51);
    const loadMore = items[50];
    assert.equal(loadMore.label, 'Load more');
    assert.match(loadMore.description ?? '', /^50 of [\d,]+$/);
    assert.equal(new Set(items.map((item) => item.id)).size, items.length, 'ids are unique');
    for (const item of items.slice(0, 50)) {
      assert.match(item.id ?? '', /\/accounts\/account\/\d+$/, 'ids are built from record ids');
      assert.equal(item.contextValue, 'prodcamp.account');
    }
  });

  test('load more fetches one page once', async () => {
    await emulatorControl.clearRequests();
    const before = await children('account');
    const loadMore = before.nodes[50];
    // A double click runs the item's command twice: at once, and again after the first finished.
    await Promise.all([
      vscode.commands.executeCommand('prodcamp.loadMore', loadMore),
      vscode.commands.executeCommand('prodcamp.loadMore', loadMore),
    ]);
    await vscode.commands.executeCommand('prodcamp.loadMore', loadMore);
    const requests = await accountListRequests();
    assert.equal(requests.length, 1, 'a double click sends one request');
    assert.equal(requests[0].query.PageNumber, '2');
    const { items } = await children('account');
    assert.equal(items.length, 101);
    assert.match(items[100].description ?? '', /^100 of /);
    const after = await accountListRequests();
    const pages = after.map((request) => request.query.PageNumber).join(', ');
    assert.equal(after.length, 1, `showing the list again fetches nothing (pages ${pages})`);
  });

  test('an account expands into its contacts', async () => {
    const { nodes, items } = await children('account');
    let index = 0;
    let contacts: ItemView[] = [];
    // Find an account with contacts; seed data gives some none.
    for (; index < 10; index++) {
      await emulatorControl.clearRequests();
      contacts = (await children('account', nodes[index])).items;
      if (contacts[0]?.contextValue?.startsWith('prodcamp.contact')) break;
    }
    const requests = (await requestLines()).filter((line) =>
      line.startsWith(`GET ${accountsPath}/`),
    );
    assert.equal(requests.length, 1);
    assert.match(requests[0], /^GET \/api\/v1\/Customers\/accounts\/\d+$/);
    for (const contact of contacts) {
      assert.ok(
        contact.id?.startsWith(`${items[index].id}/contact/`),
        `${contact.id} is namespaced under its account`,
      );
    }
    const view = api.views.account;
    await vscode.commands.executeCommand('prodcamp.accounts.focus');
    await view.reveal(nodes[index], { expand: true, select: true, focus: true });
    // The rejected-token message of an earlier test would cover part of the picture.
    await vscode.commands.executeCommand('notifications.clearAll');
    await screenshot('accounts-expanded');
  });

  test('refresh keeps ids stable', async () => {
    const before = (await children('account')).items.slice(0, 50).map((item) => item.id);
    api.trees.account.refresh();
    const after = (await children('account')).items.slice(0, 50).map((item) => item.id);
    assert.deepEqual(after, before);
  });

  test('a changed list drops duplicates and says so', async () => {
    await vscode.commands.executeCommand('prodcamp.accounts.sort', 'createdDate desc');
    await children('account');
    // Created between page 1 and page 2: every record moves down one place.
    const { url, apiKey } = sandbox();
    const response = await fetch(`${url}${accountsPath}?apiKey=${apiKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountName: 'Inserted Meanwhile Ltd' }),
    });
    assert.equal(response.status, 200);
    await vscode.commands.executeCommand('prodcamp.loadMore');
    const { items } = await children('account');
    const ids = items.map((item) => item.id);
    assert.equal(new Set(ids).size, ids.length, 'no record appears twice');
    assert.equal(api.trees.account.loaded.length, 99, 'the repeated record was dropped');
    assert.ok(
      items.some((item) => item.label === 'The list changed on the server'),
      'a refresh cue is shown',
    );
    await vscode.commands.executeCommand('prodcamp.accounts.sort', null);
  });

  test('a failed load shows the reason and Retry', async () => {
    await emulatorControl.addFault(`GET ${accountsPath}`, {
      status: 500,
      body: '{"message":"Database unavailable"}',
      contentType: 'application/json',
    });
    api.trees.account.refresh();
    const { nodes, items } = await children('account');
    assert.equal(items.length, 1);
    assert.equal(items[0].label, "Couldn't load accounts (HTTP 500)");
    assert.equal(items[0].contextValue, 'prodcamp.error');
    await emulatorControl.clearFaults();
    await vscode.commands.executeCommand('prodcamp.retry', nodes[0]);
    const retried = await children('account');
    assert.equal(retried.items.length, 51);
  });

  test('a failed expand shows Retry, not an empty list', async () => {
    const { nodes } = await children('account');
    await emulatorControl.addFault(`GET ${accountsPath}/:id`, { status: 503, retryAfter: 0 });
    const failed = await children('account', nodes[0]);
    assert.equal(failed.items.length, 1);
    assert.equal(failed.items[0].label, "Couldn't load contacts (HTTP 503)");
    await emulatorControl.clearFaults();
    await vscode.commands.executeCommand('prodcamp.retry', failed.nodes[0]);
    const retried = await children('account', nodes[0]);
    assert.notEqual(retried.items[0]?.contextValue, 'prodcamp.error');
  });

  test('search sends the Search parameter', async () => {
    const first = (await children('account')).items[0];
    const word = first.label.split(/\s+/)[0];
    await emulatorControl.clearRequests();
    await vscode.commands.executeCommand('prodcamp.accounts.search', word);
    const { items } = await children('account');
    const requests = await accountListRequests();
    assert.equal(requests.length, 1);
    assert.equal(requests[0].query.Search, word);
    assert.ok(items.some((item) => item.label === first.label));
    assert.equal(api.views.account.description, `"${word}"`);
    await vscode.commands.executeCommand('prodcamp.accounts.search', 'zzzz-no-such-account');
    const empty = await children('account');
    assert.equal(empty.items[0].label, 'No accounts match "zzzz-no-such-account"');
    await vscode.commands.executeCommand('prodcamp.accounts.clearSearch');
    assert.equal(api.views.account.description, undefined);
  });

  test('sort sends OrderBy', async () => {
    await emulatorControl.clearRequests();
    await vscode.commands.executeCommand('prodcamp.accounts.sort', 'accountName desc');
    await children('account');
    const requests = await accountListRequests();
    assert.equal(requests[0].query.OrderBy, 'accountName desc');
    assert.equal(api.views.account.description, 'Name Z–A');
    await vscode.commands.executeCommand('prodcamp.accounts.sort', null);
  });

  test('contacts view pages all contacts', async () => {
    await emulatorControl.clearRequests();
    api.trees.contact.refresh();
    const { items } = await children('contact');
    assert.equal(items.length, 51);
    assert.match(items[0].id ?? '', /\/contacts\/contact\/\d+$/);
    const requests = (await requestLines()).filter(
      (line) => !line.startsWith(`GET ${accountsPath}`),
    );
    assert.deepEqual(requests, ['GET /api/v1/Customers/contacts']);
    await vscode.commands.executeCommand('prodcamp.contacts.focus');
    await screenshot('contacts-view');
  });

  test('a request that never answers shows an error', async () => {
    await withOneSecondTimeout(api, async () => {
      await emulatorControl.addFault(`GET ${accountsPath}`, { hang: true });
      api.trees.account.refresh();
      const started = Date.now();
      const { items } = await children('account');
      assert.equal(items[0].label, "Couldn't load accounts (timed out)");
      assert.ok(Date.now() - started < 5000, 'the error shows within the time limit');
    }).finally(() => emulatorControl.clearFaults());
  });

  test('an HTML page with status 200 is an error', async () => {
    await emulatorControl.addFault(`GET ${accountsPath}`, { status: 200, html: true });
    api.trees.account.refresh();
    const { items } = await children('account');
    assert.equal(items[0].label, "Couldn't load accounts (invalid response, HTTP 200)");
    await emulatorControl.clearFaults();
  });

  test('rate limits are retried within bounds', async () => {
    api.trees.account.refresh();
    await children('account');
    await emulatorControl.clearRequests();
    await emulatorControl.addFault(`GET ${accountsPath}`, { status: 429, retryAfter: 1, every: 3 });
    for (let click = 0; click < 10; click++)
      await vscode.commands.executeCommand('prodcamp.loadMore');
    await emulatorControl.clearFaults();
    const requests = await accountListRequests();
    const limited = requests.filter((request) => request.status === 429).length;
    assert.equal(api.trees.account.loaded.length, 550, 'every click loaded its page');
    assert.equal(requests.length, 10 + limited, 'one retry for each 429, nothing more');
    assert.ok(limited >= 3, 'the fault fired');
  });

  test('a failing server raises one notification', async () => {
    await emulatorControl.addFault(`GET ${accountsPath}`, { status: 500 });
    await emulatorControl.clearRequests();
    const { errors } = await captureMessages(async () => {
      for (let click = 0; click < 5; click++) {
        api.trees.account.refresh();
        await children('account');
      }
    });
    await emulatorControl.clearFaults();
    assert.equal((await accountListRequests()).length, 5, 'a 500 is not retried');
    assert.equal(errors.length, 1, `one notification for the burst: ${errors.join(' | ')}`);
    assert.match(errors[0], /^Couldn't load accounts: .*HTTP 500 from 127\.0\.0\.1:\d+/);
  });

  test('a rejected token shows in the tree', async () => {
    await emulatorControl.addFault(`GET ${accountsPath}`, {
      status: 401,
      body: '{"message":"Invalid or missing API key."}',
      contentType: 'application/json',
    });
    api.trees.account.refresh();
    const { items } = await children('account');
    assert.equal(items[0].label, "Couldn't load accounts (HTTP 401)");
    await emulatorControl.clearFaults();
  });

  test('each base URL keeps its own token', async () => {
    const configuration = () => vscode.workspace.getConfiguration('prodcamp');
    // Nothing listens on port 9; the point is that this address has no token yet.
    await configuration().update(
      'baseUrl',
      'http://127.0.0.1:9',
      vscode.ConfigurationTarget.Global,
    );
    await waitFor(
      () => api.connection.state.status === 'noToken',
      5000,
      'the other address to need a token',
    );
    assert.deepEqual((await children('account')).items, []);
    await configuration().update('baseUrl', sandbox().url, vscode.ConfigurationTarget.Global);
    await waitFor(
      () => api.connection.state.status === 'ready',
      5000,
      'the emulator token to apply again',
    );
    assert.equal((await children('account')).items.length, 51);
  });

  test('an invalid setting is reported, not used', async () => {
    await vscode.workspace
      .getConfiguration('prodcamp')
      .update('pageSize', 0, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(
        () => api.connection.state.status === 'invalidSettings',
        5000,
        'the page size to be rejected',
      );
      const state = api.connection.state;
      assert.ok(state.status === 'invalidSettings');
      assert.match(
        state.message,
        /"prodcamp\.pageSize" setting is 0; use a whole number from 1 to 500/,
      );
      assert.deepEqual((await children('account')).items, []);
    } finally {
      await vscode.workspace
        .getConfiguration('prodcamp')
        .update('pageSize', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor(
      () => api.connection.state.status === 'ready',
      5000,
      'the default page size to apply',
    );
  });

  test('clearing the token empties both views', async () => {
    const window = vscode.window as unknown as {
      showWarningMessage: (...args: unknown[]) => Thenable<unknown>;
    };
    const original = window.showWarningMessage;
    window.showWarningMessage = () => Promise.resolve('Remove Token');
    try {
      assert.equal(await vscode.commands.executeCommand('prodcamp.clearApiToken'), true);
    } finally {
      window.showWarningMessage = original;
    }
    assert.equal(api.connection.state.status, 'noToken');
    assert.deepEqual((await children('account')).items, []);
    assert.deepEqual((await children('contact')).items, []);
  });
});
