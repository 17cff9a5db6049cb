// Installs what the integration tests need to run the extension in a real VS Code host:
// Debian's Chromium, ripgrep and Kerberos headers, and code-server from the npm registry.
//
// code-server's own `npm install` fetches prebuilt binaries from outside the npm registry,
// which these machines cannot reach, so it is installed with install scripts disabled,
// ripgrep is taken from Debian, and the native modules are rebuilt from source.
// A completed install leaves a marker file; later runs see it and touch no network.
//
// Usage: node scripts/host/install.mjs
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  captureCommand,
  formatSeconds,
  isProcessAlive,
  runCommand,
  withoutNpmVariables,
} from './exec.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
export const SYSTEM_PACKAGES = ['chromium', 'libkrb5-dev', 'ripgrep'];
export const CHROMIUM_PATH = '/usr/bin/chromium';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const codeServerFolder = join(
  repoRoot,
  '.vscode-test',
  `code-server-${CODE_SERVER_VERSION}`,
);
export const codeServerBin = join(codeServerFolder, 'node_modules', '.bin', 'code-server');
const markerPath = join(codeServerFolder, '.install-complete.json');
const lockPath = `${codeServerFolder}.lock`;
const installLogPath = `${codeServerFolder}.install.log`;
const LOCK_WAIT_MS = 15 * 60 * 1000;

/** Lists the packages of `names` that dpkg does not report as installed. */
async function findMissingPackages(names) {
  const missing = [];
  for (const name of names) {
    let status = '';
    try {
      status = await captureCommand('dpkg-query', ['-W', '-f=${Status}', name]);
    } catch (error) {
      if (error.code === 'ENOENT') {
        throw new Error(
          `dpkg-query not found: this installer supports Debian and Ubuntu only. ` +
            `Install Chromium at ${CHROMIUM_PATH}, ripgrep and the Kerberos development headers yourself.`,
        );
      }
      // dpkg-query exits 1 for a package it has never seen, which means "missing".
    }
    if (!status.includes('install ok installed')) missing.push(name);
  }
  return missing;
}

/** Installs the missing Debian packages with apt-get, or throws with the command to run when not root. */
export async function ensureSystemPackages(packages = SYSTEM_PACKAGES) {
  const missing = await findMissingPackages(packages);
  if (missing.length === 0) {
    console.log(`System packages present: ${packages.join(', ')}.`);
    return;
  }
  const installArgs = ['install', '-y', '--no-install-recommends', ...missing];
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing system packages: ${missing.join(', ')}. Install them as root, then run this again:\n` +
        `  sudo apt-get update && sudo apt-get ${installArgs.join(' ')}`,
    );
  }
  console.log(`Installing missing system packages: ${missing.join(', ')}.`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  mkdirSync(dirname(installLogPath), { recursive: true });
  await runCommand('apt-get', ['update'], { env, logFile: installLogPath });
  await runCommand('apt-get', installArgs, { env, logFile: installLogPath });
  const stillMissing = await findMissingPackages(missing);
  if (stillMissing.length > 0) {
    throw new Error(
      `apt-get finished but these packages are still not installed: ${stillMissing.join(', ')}.`,
    );
  }
}

/** Reads the completion marker, or returns undefined when the install is missing or was made for another Node ABI. */
function readCompletedInstall() {
  if (!existsSync(markerPath) || !existsSync(codeServerBin)) return undefined;
  try {
    const marker = JSON.parse(readFileSync(markerPath, 'utf8'));
    // Native modules are built against the Node ABI of the install, so another ABI needs a rebuild.
    if (marker.version !== CODE_SERVER_VERSION || marker.nodeModules !== process.versions.modules)
      return undefined;
    return marker;
  } catch {
    return undefined;
  }
}

/** Takes the install lock (a folder holding the owner's pid), waiting while another live process holds it. */
async function acquireInstallLock() {
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockPath);
      writeFileSync(join(lockPath, 'pid'), String(process.pid));
      return () => rmSync(lockPath, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let ownerPid = NaN;
    try {
      ownerPid = Number(readFileSync(join(lockPath, 'pid'), 'utf8'));
    } catch {
      // The owner has created the folder but not yet written its pid.
    }
    if (Number.isInteger(ownerPid) && !isProcessAlive(ownerPid)) {
      console.log(`Removing a stale install lock left by process ${ownerPid}.`);
      rmSync(lockPath, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      console.log(`Waiting for another code-server install (lock ${lockPath}).`);
      announced = true;
    }
    if (Date.now() - started > LOCK_WAIT_MS) {
      throw new Error(
        `Timed out after ${formatSeconds(LOCK_WAIT_MS)} waiting for the install lock ${lockPath}.`,
      );
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 1000));
  }
}

/** Runs the install steps into a fresh folder and writes the completion marker last. */
async function installCodeServer() {
  rmSync(codeServerFolder, { recursive: true, force: true });
  mkdirSync(codeServerFolder, { recursive: true });
  writeFileSync(installLogPath, '');
  // Its own package.json makes npm treat this folder as the project, not the repository around it.
  writeFileSync(
    join(codeServerFolder, 'package.json'),
    `${JSON.stringify({ name: 'prodcamp-code-server-host', private: true }, null, 2)}\n`,
  );
  const npmEnv = withoutNpmVariables();
  const npmQuiet = ['--no-audit', '--no-fund'];
  const vscodeFolder = join(codeServerFolder, 'node_modules', 'code-server', 'lib', 'vscode');
  console.log(
    `Installing code-server ${CODE_SERVER_VERSION} into ${codeServerFolder} (log: ${installLogPath}).`,
  );

  await runCommand(
    'npm',
    ['install', '--ignore-scripts', ...npmQuiet, `code-server@${CODE_SERVER_VERSION}`],
    {
      cwd: codeServerFolder,
      env: npmEnv,
      logFile: installLogPath,
    },
  );
  await runCommand('npm', ['install', '--omit=dev', '--ignore-scripts', ...npmQuiet], {
    cwd: vscodeFolder,
    env: npmEnv,
    logFile: installLogPath,
  });

  // @vscode/ripgrep's postinstall downloads rg from GitHub unless bin/rg is already there.
  const ripgrepBin = join(vscodeFolder, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  const systemRipgrep = (await captureCommand('sh', ['-c', 'command -v rg'])).trim();
  console.log(`Linking ${ripgrepBin} to ${systemRipgrep}.`);
  mkdirSync(dirname(ripgrepBin), { recursive: true });
  rmSync(ripgrepBin, { force: true });
  symlinkSync(systemRipgrep, ripgrepBin);

  // node-pty's build runs `npx node-gyp`, and npx must not stop to ask before installing it.
  await runCommand('npm', ['rebuild'], {
    cwd: vscodeFolder,
    env: { ...npmEnv, npm_config_yes: 'true' },
    logFile: installLogPath,
  });
  // code-server's own postinstall refuses to run as root unless unsafe-perm is set.
  await runCommand('npm', ['rebuild'], {
    cwd: codeServerFolder,
    env: { ...npmEnv, npm_config_yes: 'true', npm_config_unsafe_perm: 'true' },
    logFile: installLogPath,
  });

  // code-server writes a default config.yaml into $XDG_CONFIG_HOME on every start, so the
  // check runs with a throwaway home instead of the user's.
  const scratchHome = mkdtempSync(join(tmpdir(), 'pch-'));
  try {
    const scratchEnv = {
      ...npmEnv,
      HOME: scratchHome,
      XDG_CONFIG_HOME: scratchHome,
      XDG_DATA_HOME: scratchHome,
    };
    const versionOutput = await captureCommand(codeServerBin, ['--version'], { env: scratchEnv });
    console.log(`code-server --version: ${versionOutput.trim().split('\n').at(-1)}`);
  } finally {
    rmSync(scratchHome, { recursive: true, force: true });
  }
  const marker = {
    version: CODE_SERVER_VERSION,
    nodeVersion: process.version,
    nodeModules: process.versions.modules,
    completedAt: new Date().toISOString(),
  };
  writeFileSync(markerPath, `${JSON.stringify(marker, null, 2)}\n`);
  return marker;
}

/** Makes sure code-server is installed, reusing a completed install without any network access. */
export async function ensureCodeServer() {
  if (readCompletedInstall()) {
    console.log(`code-server ${CODE_SERVER_VERSION} already installed in ${codeServerFolder}.`);
    return codeServerBin;
  }
  mkdirSync(dirname(codeServerFolder), { recursive: true });
  const releaseLock = await acquireInstallLock();
  try {
    // Another process may have finished the install while this one waited for the lock.
    if (readCompletedInstall()) {
      console.log(`code-server ${CODE_SERVER_VERSION} was installed by another process.`);
      return codeServerBin;
    }
    const started = Date.now();
    await installCodeServer();
    console.log(
      `Installed code-server ${CODE_SERVER_VERSION} in ${formatSeconds(Date.now() - started)}.`,
    );
    return codeServerBin;
  } finally {
    releaseLock();
  }
}

/**
 * Installs the system packages and code-server where missing.
 * Returns the paths the session needs: `{ codeServerBin, chromiumPath }`.
 */
export async function installHost() {
  const started = Date.now();
  await ensureSystemPackages();
  await ensureCodeServer();
  console.log(`Host ready in ${formatSeconds(Date.now() - started)}.`);
  return { codeServerBin, chromiumPath: CHROMIUM_PATH };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  installHost().catch((error) => {
    console.error(`Host install failed: ${error.message}`);
    process.exitCode = 1;
  });
}
