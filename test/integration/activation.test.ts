import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, screenshot } from './support';

interface ContributedCommand {
  command: string;
}

suite('Activation', () => {
  let extension: vscode.Extension<unknown>;

  suiteSetup(() => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not installed in the host`);
    extension = found;
  });

  test('extension activates', async () => {
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('contributed commands are registered', async () => {
    await extension.activate();
    const contributed = (
      extension.packageJSON as { contributes: { commands: ContributedCommand[] } }
    ).contributes.commands;
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed
      .map((entry) => entry.command)
      .filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `commands contributed but not registered: ${missing.join(', ')}`);
  });

  test('accounts view opens', async () => {
    await vscode.commands.executeCommand('prodcamp.accounts.focus');
  });

  test('contacts view opens', async () => {
    await vscode.commands.executeCommand('prodcamp.contacts.focus');
    await screenshot('activated');
  });
});
