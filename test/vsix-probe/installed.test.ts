// Checks, inside code-server, the extension installed from the packaged .vsix. The driver
// (scripts/integration.mjs) installs the .vsix into PRODCAMP_EXPECTED_EXTENSIONS_DIR and
// loads this probe as the development extension, so the repository itself is not loaded.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, screenshot } from '../integration/support';

interface PackageManifest {
  main: string;
  contributes: { commands: { command: string }[] };
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is missing: run the check with \`npm run test:integration\`.`);
  return value;
}

suite('Packaged extension', () => {
  let extension: vscode.Extension<unknown>;

  suiteSetup(() => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not installed in the host`);
    extension = found;
  });

  test('installed from extensions folder', () => {
    const extensionsDir = resolve(requireEnv('PRODCAMP_EXPECTED_EXTENSIONS_DIR'));
    const repoRoot = resolve(requireEnv('PRODCAMP_REPO_ROOT'));
    const extensionPath = resolve(extension.extensionPath);
    assert.ok(
      extensionPath.startsWith(extensionsDir + sep),
      `extension path ${extensionPath} is not inside ${extensionsDir}`,
    );
    assert.notEqual(extensionPath, repoRoot, 'the host loaded the repository instead of the .vsix');
  });

  test('main entry is packaged', () => {
    const manifest = extension.packageJSON as PackageManifest;
    const mainFile = join(extension.extensionPath, manifest.main);
    const candidates = [mainFile, `${mainFile}.js`];
    assert.ok(
      candidates.some((file) => existsSync(file)),
      `main entry ${manifest.main} is missing from the installed package`,
    );
  });

  test('extension activates', async () => {
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('accounts view opens', async () => {
    await vscode.commands.executeCommand('prodcamp.accounts.focus');
    // The driver checks the activity bar and view titles in the page before taking this picture.
    await screenshot('vsix-installed');
  });

  test('contributed commands are registered', async () => {
    await extension.activate();
    const contributed = (extension.packageJSON as PackageManifest).contributes.commands.map(
      (entry) => entry.command,
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `commands contributed but not registered: ${missing.join(', ')}`);
  });
});
