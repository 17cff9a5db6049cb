// Starts a code-server and, optionally, a headless Chromium that opens its workbench, so an
// extension runs in a real VS Code extension host. Every server listens on 127.0.0.1 and the
// browser resolves no host name but 127.0.0.1.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { runCommand, withoutNpmVariables } from './exec.mjs';
import { CHROMIUM_PATH, codeServerBin as installedCodeServerBin } from './install.mjs';
import { registerCleanup } from './shutdown.mjs';

// Chromium and VS Code create Unix sockets below the run folder, and a socket path over
// about 107 bytes makes Chromium abort, so the run folder lives directly in /tmp.
const RUN_FOLDER_PREFIX = '/tmp/pch-';
const SERVER_START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export const CODE_SERVER_FLAGS = [
  '--auth',
  'none',
  '--disable-telemetry',
  '--disable-update-check',
  '--disable-workspace-trust',
  '--disable-getting-started-override',
  '--ignore-last-opened',
  // Trace logging writes request bodies to the extension's log, so the search for a leaked
  // API key after each suite also covers the most detailed log lines.
  '--log',
  'trace',
];

// --host-resolver-rules makes every host name fail to resolve, so the workbench cannot reach
// a server by name. It does not block IP addresses, and the workbench uses only 127.0.0.1.
// NOTE: Chromium's network service still calls connect() on a UDP socket to
// 2001:4860:4860::8888 to test IPv6 reachability. That only queries the routing table and
// sends no packet.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** User settings that keep the workbench quiet and offline: no welcome page, tips, updates or telemetry. */
export const DEFAULT_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
};

/**
 * Builds the environment of code-server (and so of the extension host): the caller's
 * environment without npm's and VS Code's own variables, home, XDG and temp folders inside
 * the run folder, an empty extension gallery, and `extraEnv` on top.
 */
function buildServerEnv(folders, extraEnv) {
  const env = withoutNpmVariables();
  for (const name of Object.keys(env)) {
    // Variables of an outer VS Code (for example its terminal) would redirect this one.
    if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE') delete env[name];
  }
  return {
    ...env,
    HOME: folders.home,
    XDG_CONFIG_HOME: join(folders.home, '.config'),
    XDG_DATA_HOME: join(folders.home, '.local', 'share'),
    XDG_CACHE_HOME: join(folders.home, '.cache'),
    XDG_STATE_HOME: join(folders.home, '.local', 'state'),
    XDG_RUNTIME_DIR: folders.runtime,
    TMPDIR: folders.tmp,
    // An empty gallery keeps the workbench and server from calling the public marketplace.
    EXTENSIONS_GALLERY: '{}',
    ...extraEnv,
  };
}

/** Creates the run folder and its subfolders. The caller may supply `extensionsDir` and `workspaceFolder`. */
function createRunFolders({ extensionsDir, workspaceFolder }) {
  const root = mkdtempSync(RUN_FOLDER_PREFIX);
  const folders = {
    root,
    home: join(root, 'h'),
    userData: join(root, 'u'),
    extensions: extensionsDir ?? join(root, 'x'),
    runtime: join(root, 'r'),
    tmp: join(root, 't'),
    browserProfile: join(root, 'b'),
    workspace: workspaceFolder ?? join(root, 'workspace'),
    config: join(root, 'config.yaml'),
    serverLog: join(root, 'code-server.log'),
    browserLog: join(root, 'browser.log'),
  };
  for (const name of ['home', 'userData', 'extensions', 'tmp', 'browserProfile', 'workspace']) {
    mkdirSync(folders[name], { recursive: true });
  }
  mkdirSync(folders.runtime, { recursive: true, mode: 0o700 });
  return folders;
}

/** Returns the arguments for a code-server command (start, --install-extension, ...) that uses this run's folders. */
export function codeServerArgs(folders, extraArgs = []) {
  return [
    '--config',
    folders.config,
    '--user-data-dir',
    folders.userData,
    '--extensions-dir',
    folders.extensions,
    ...extraArgs,
  ];
}

/**
 * Builds the workbench URL. `payload` entries such as extensionDevelopmentPath take absolute
 * paths on this machine and are sent as vscode-remote URIs of the server.
 */
export function buildWorkbenchUrl(
  serverUrl,
  { workspaceFolder, extensionDevelopmentPath, extensionTestsPath },
) {
  const url = new URL(serverUrl);
  const remoteRoot = `vscode-remote://${url.host}`;
  const payload = [];
  if (extensionDevelopmentPath)
    payload.push(['extensionDevelopmentPath', `${remoteRoot}${extensionDevelopmentPath}`]);
  if (extensionTestsPath)
    payload.push(['extensionTestsPath', `${remoteRoot}${extensionTestsPath}`]);
  if (workspaceFolder) url.searchParams.set('folder', workspaceFolder);
  if (payload.length > 0) url.searchParams.set('payload', JSON.stringify(payload));
  return url.href;
}

/**
 * Waits for code-server to print the address it listens on. Rejects when it exits first or
 * takes longer than SERVER_START_TIMEOUT_MS.
 */
function waitForServerUrl(server, serverOutput) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      finish(
        new Error(
          `code-server did not report a listening address within ${SERVER_START_TIMEOUT_MS} ms.`,
        ),
      );
    }, SERVER_START_TIMEOUT_MS);
    const onData = (chunk) => {
      buffered += chunk.toString();
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\/?/.exec(buffered);
      if (match) finish(undefined, match[1]);
    };
    const onExit = (code, signal) => {
      finish(
        new Error(
          `code-server exited (${signal ?? `code ${code}`}) before it listened:\n${buffered.trim()}`,
        ),
      );
    };
    function finish(error, url) {
      clearTimeout(timer);
      serverOutput.off('data', onData);
      server.off('exit', onExit);
      if (error) reject(error);
      else resolve(url);
    }
    serverOutput.on('data', onData);
    server.on('exit', onExit);
  });
}

/** Sends `signal` to a whole process group and returns false when the group no longer exists. */
function signalProcessGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if (error.code === 'ESRCH') return false;
    throw error;
  }
}

/** Formats the arguments of a workbench log call as one line of text. */
function formatLogArguments(args) {
  const parts = Array.isArray(args) ? args : [args];
  return parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
}

/**
 * Starts a code-server session.
 *
 * Options:
 * - `env`: extra environment variables for code-server, which the extension host inherits.
 * - `userSettings`: settings merged over DEFAULT_USER_SETTINGS into the user settings.json.
 * - `extensionDevelopmentPath`, `extensionTestsPath`: absolute paths sent in the URL payload.
 * - `workspaceFolder`: folder to open (default: a fresh empty folder in the run folder).
 * - `extensionsDir`: extensions folder to use (default: a fresh empty one).
 * - `browser`: open the workbench in headless Chromium (default true).
 * - `viewport`: browser viewport in CSS pixels (default 1400x900).
 * - `port`: TCP port for code-server on 127.0.0.1 (default 0, a free port).
 * - `onLog(type, text)`: receives each workbench log entry, which includes the extension
 *   host's console output while extension tests run.
 *
 * Returns `{ folders, serverUrl, workbenchUrl, page, context, waitForExit(timeoutMs), stop() }`.
 * `waitForExit` resolves with `{ code, reason }`: the code the extension host exited with, or
 * `code: null` and the reason when the page crashed, the server died or time ran out.
 */
export async function startSession(options = {}) {
  const {
    codeServerBin = installedCodeServerBin,
    env: extraEnv = {},
    userSettings = {},
    extensionDevelopmentPath,
    extensionTestsPath,
    browser = true,
    viewport = { width: 1400, height: 900 },
    port = 0,
    onLog = () => {},
  } = options;

  const folders = createRunFolders(options);
  writeFileSync(folders.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  mkdirSync(join(folders.userData, 'User'), { recursive: true });
  writeFileSync(
    join(folders.userData, 'User', 'settings.json'),
    `${JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...userSettings }, null, 2)}\n`,
  );

  const serverEnv = buildServerEnv(folders, extraEnv);
  const serverLog = createWriteStream(folders.serverLog);
  // detached: code-server leads its own process group, so stop() can end the extension
  // host and the other children it starts together with it.
  const server = spawn(
    codeServerBin,
    codeServerArgs(folders, [...CODE_SERVER_FLAGS, '--bind-addr', `127.0.0.1:${port}`]),
    { cwd: folders.workspace, env: serverEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout.pipe(serverLog, { end: false });
  server.stderr.pipe(serverLog, { end: false });

  let serverExited = false;
  const serverExit = new Promise((resolve) => {
    server.on('exit', (code, signal) => {
      serverExited = true;
      resolve({ code, signal });
    });
  });

  let context;
  let browserLog;
  let stopped;
  async function stop({ removeRunFolder = true } = {}) {
    stopped ??= (async () => {
      unregisterCleanup();
      if (context) {
        await context
          .close()
          .catch((error) => console.error(`Closing the browser failed: ${error.message}`));
      }
      if (!serverExited && signalProcessGroup(server.pid, 'SIGTERM')) {
        const timedOut = await Promise.race([
          serverExit.then(() => false),
          new Promise((resolve) => setTimeout(() => resolve(true), STOP_GRACE_MS)),
        ]);
        if (timedOut) signalProcessGroup(server.pid, 'SIGKILL');
      }
      // The extension host and other children may outlive the group leader.
      signalProcessGroup(server.pid, 'SIGKILL');
      serverLog.end();
      browserLog?.end();
      if (removeRunFolder) rmSync(folders.root, { recursive: true, force: true });
    })();
    return stopped;
  }
  const unregisterCleanup = registerCleanup({
    name: `code-server session ${folders.root}`,
    run: () => stop(),
    sync: () => signalProcessGroup(server.pid, 'SIGKILL'),
  });

  try {
    const serverUrl = await waitForServerUrl(server, server.stdout);
    const workbenchUrl = buildWorkbenchUrl(serverUrl, {
      workspaceFolder: folders.workspace,
      extensionDevelopmentPath,
      extensionTestsPath,
    });
    const session = { folders, serverUrl, workbenchUrl, server, serverExit, stop };
    if (!browser) return session;

    browserLog = createWriteStream(folders.browserLog);
    context = await chromium.launchPersistentContext(folders.browserProfile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      env: serverEnv,
      // The session's own cleanup closes the browser on these signals.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const page = context.pages()[0] ?? (await context.newPage());

    let resolveExit;
    const exitResult = new Promise((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = formatLogArguments(args);
      browserLog.write(`[${type}] ${text}\n`);
      onLog(type, text);
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      resolveExit({ code: Number(code), reason: `extension host exited with code ${code}` });
    });
    page.on('crash', () => resolveExit({ code: null, reason: 'the browser page crashed' }));
    page.on('pageerror', (error) =>
      browserLog.write(`[pageerror] ${error.stack ?? error.message}\n`),
    );
    page.on('console', (message) => {
      if (message.type() === 'error') browserLog.write(`[console.error] ${message.text()}\n`);
    });
    context.on('close', () => resolveExit({ code: null, reason: 'the browser closed' }));
    void serverExit.then(({ code, signal }) => {
      resolveExit({ code: null, reason: `code-server exited (${signal ?? `code ${code}`})` });
    });

    await page.goto(workbenchUrl);

    function waitForExit(timeoutMs) {
      let timer;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(
          () => resolve({ code: null, reason: `timed out after ${timeoutMs} ms` }),
          timeoutMs,
        );
      });
      return Promise.race([exitResult, timeout]).finally(() => clearTimeout(timer));
    }
    return { ...session, context, page, waitForExit };
  } catch (error) {
    await stop({ removeRunFolder: false });
    error.message += ` (session files kept in ${folders.root})`;
    throw error;
  }
}

/**
 * Installs a packaged extension into a fresh extensions folder with
 * `code-server --install-extension`, which works offline for a .vsix file.
 * Returns `{ root, extensionsDir }`, and the caller removes `root` when done.
 */
export async function installVsix(vsixPath, { codeServerBin = installedCodeServerBin } = {}) {
  const folders = createRunFolders({});
  writeFileSync(folders.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  await runCommand(
    codeServerBin,
    codeServerArgs(folders, ['--install-extension', vsixPath, '--force']),
    {
      cwd: folders.workspace,
      env: buildServerEnv(folders, {}),
      logFile: join(folders.root, 'install-extension.log'),
    },
  );
  return { root: folders.root, extensionsDir: folders.extensions };
}
