// Starts the extension against the local API emulator for a hands-on look.
//
// Usage: node scripts/demo.mjs [--port N] [--folder PATH] [--desktop]
//   --port N       code-server port on 127.0.0.1 (default: a free port)
//   --folder PATH  workspace folder to open (default: a fresh empty folder)
//   --desktop      open desktop VS Code (`code` on PATH) instead of code-server
//
// The emulator serves the default seed data. The extension is loaded in development mode
// with PRODCAMP_SANDBOX_URL and PRODCAMP_SANDBOX_API_KEY set, so it stores the emulator's key
// at activation and the accounts appear without a manual step. Ctrl+C stops everything.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { captureCommand, runCommand } from './host/exec.mjs';
import { installHost } from './host/install.mjs';
import { startSession } from './host/session.mjs';
import { isShuttingDown, registerCleanup, runAllCleanups } from './host/shutdown.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The demo bundles its own copy of the emulator, so it does not depend on out/, which
// `node esbuild.mjs --tests` deletes and rebuilds while other runs may be using it.
const emulatorBundle = join(repoRoot, '.vscode-test', 'demo', 'emulator.cjs');

function parseArguments(argv) {
  const options = { port: 0, folder: undefined, desktop: false };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--port') {
      options.port = Number(argv[++index]);
      if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
        throw new Error(`Invalid --port ${argv[index]}: expected an integer from 0 to 65535.`);
      }
    } else if (argument === '--folder') {
      const folder = argv[++index];
      if (!folder) throw new Error('--folder needs a PATH.');
      options.folder = resolve(folder);
    } else if (argument === '--desktop') {
      options.desktop = true;
    } else if (argument === '--help' || argument === '-h') {
      console.log('Usage: node scripts/demo.mjs [--port N] [--folder PATH] [--desktop]');
      process.exit(0);
    } else {
      throw new Error(`Unknown argument ${argument}. Run with --help for the options.`);
    }
  }
  return options;
}

async function buildEmulatorBundle() {
  await esbuild.build({
    entryPoints: [join(repoRoot, 'emulator', 'index.ts')],
    outfile: emulatorBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Packages stay external and load from the repository's node_modules.
    packages: 'external',
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(emulatorBundle);
}

async function findDesktopCode() {
  try {
    return (await captureCommand('sh', ['-c', 'command -v code'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens desktop VS Code with the extension under development and a fresh profile.
 * Resolves when the window closes.
 */
function openDesktop(codeBin, { folder, sandboxEnv, emulatorUrl }) {
  const root = mkdtempSync('/tmp/pch-');
  const userData = join(root, 'u');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    `${JSON.stringify({ 'prodcamp.baseUrl': emulatorUrl }, null, 2)}\n`,
  );
  const workspace = folder ?? join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const args = [
    '--new-window',
    '--wait',
    `--extensionDevelopmentPath=${repoRoot}`,
    '--user-data-dir',
    userData,
    '--extensions-dir',
    join(root, 'x'),
    workspace,
  ];
  console.log(`$ code ${args.join(' ')}`);
  const child = spawn(codeBin, args, { env: { ...process.env, ...sandboxEnv }, stdio: 'inherit' });
  registerCleanup({
    name: 'desktop VS Code',
    run: async () => {
      child.kill('SIGTERM');
      rmSync(root, { recursive: true, force: true });
    },
  });
  return new Promise((resolveClose) => child.on('exit', resolveClose));
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const codeBin = options.desktop ? await findDesktopCode() : undefined;
  if (options.desktop && !codeBin) {
    throw new Error(
      '--desktop needs the desktop VS Code command `code` on PATH; run without --desktop to use code-server.',
    );
  }

  await runCommand('node', ['esbuild.mjs'], { cwd: repoRoot });
  const { startEmulator } = await buildEmulatorBundle();
  if (!options.desktop) await installHost();

  const emulator = await startEmulator({ port: 0 });
  registerCleanup({ name: `emulator ${emulator.url}`, run: () => emulator.close() });
  const sandboxEnv = {
    PRODCAMP_SANDBOX_URL: emulator.url,
    PRODCAMP_SANDBOX_API_KEY: emulator.apiKey,
  };

  if (codeBin) {
    console.log(`\nEmulator: ${emulator.url}   API key: ${emulator.apiKey}`);
    console.log('Close the VS Code window or press Ctrl+C to stop.\n');
    await openDesktop(codeBin, { folder: options.folder, sandboxEnv, emulatorUrl: emulator.url });
    await runAllCleanups();
    return;
  }

  const session = await startSession({
    browser: false,
    port: options.port,
    env: sandboxEnv,
    userSettings: { 'prodcamp.baseUrl': emulator.url },
    extensionDevelopmentPath: repoRoot,
    workspaceFolder: options.folder,
  });
  console.log('\nProdCamp Customers demo is running.');
  console.log(`  Open:     ${session.workbenchUrl}`);
  console.log(`  Emulator: ${emulator.url}`);
  console.log(`  API key:  ${emulator.apiKey}`);
  console.log(`  Logs:     ${session.folders.serverLog}`);
  console.log(
    'Auto save is on in code-server by default: a record you edit is sent 5 s after you stop typing.',
  );
  console.log('Press Ctrl+C to stop.\n');

  const { code, signal } = await session.serverExit;
  if (isShuttingDown()) return;
  await session.stop({ removeRunFolder: false });
  console.error(
    `code-server exited (${signal ?? `code ${code}`}); see ${session.folders.serverLog}.`,
  );
  await runAllCleanups();
  process.exitCode = 1;
}

main().catch(async (error) => {
  console.error(`Demo failed: ${error.message}`);
  await runAllCleanups();
  process.exitCode = 1;
});
