// Builds what the benchmark runs and measures: the packaged .vsix (with the production bundle),
// the compiled benchmark entry and emulator, and code-server with the .vsix installed.
import {
  copyFileSync,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive, runCommand, withoutNpmVariables } from '../host/exec.mjs';
import { installHost } from '../host/install.mjs';
import { installVsix } from '../host/session.mjs';
import { registerCleanup } from '../host/shutdown.mjs';
import { EXTENSION_ID } from '../host/vsix-check.mjs';

const VSIX_FILE = 'prodcamp-customers.vsix';

/** Removes the work folders of earlier benchmark runs whose process no longer exists. */
export function removeStaleWorkFolders(runsFolder, ownPid = process.pid) {
  if (!existsSync(runsFolder)) return;
  for (const name of readdirSync(runsFolder)) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid !== ownPid && !isProcessAlive(pid)) {
      rmSync(join(runsFolder, name), { recursive: true, force: true });
    }
  }
}

/** Returns the folder of the extension that code-server installed into `extensionsDir`. */
function installedExtensionFolder(extensionsDir) {
  const folder = readdirSync(extensionsDir, { withFileTypes: true }).find(
    (entry) => entry.isDirectory() && entry.name.startsWith(`${EXTENSION_ID}-`),
  );
  if (!folder) throw new Error(`${EXTENSION_ID} was not installed into ${extensionsDir}.`);
  return join(extensionsDir, folder.name);
}

/**
 * Packages the extension (unless `vsixFile` names a .vsix to measure instead), builds the
 * tests and installs the host and the .vsix.
 *
 * `npm run package` and `node esbuild.mjs --tests` write dist/, out/ and the .vsix in the
 * shared checkout, so this copies what the benchmark uses into `workFolder` right away.
 * Returns `{ vsixPath, vsixBytes, bundlePath, bundleBytes, compiledRoot, extensionsDir }`.
 */
export async function prepareArtifacts({ repoRoot, workFolder, vsixFile, step }) {
  const vsixPath = join(workFolder, VSIX_FILE);
  if (vsixFile) {
    console.log(`\n> Measure ${vsixFile} instead of packaging the checkout`);
    copyFileSync(vsixFile, vsixPath);
  } else {
    await step('Package the extension (npm run package)', () =>
      runCommand('npm', ['run', 'package'], { cwd: repoRoot, env: withoutNpmVariables() }),
    );
    copyFileSync(join(repoRoot, VSIX_FILE), vsixPath);
  }

  await step('Build the benchmark entry and the emulator (node esbuild.mjs --tests)', () =>
    runCommand('node', ['esbuild.mjs', '--tests'], { cwd: repoRoot }),
  );
  const compiledRoot = join(workFolder, 'out');
  cpSync(join(repoRoot, 'out'), compiledRoot, { recursive: true });

  await step('Install the test host', () => installHost());
  const install = await step(`Install ${VSIX_FILE} into a fresh extensions folder`, () =>
    installVsix(vsixPath),
  );
  registerCleanup({
    name: `installed ${VSIX_FILE}`,
    run: async () => rmSync(install.root, { recursive: true, force: true }),
  });

  // The bundle is measured as installed from the .vsix, which is what users download.
  const bundlePath = join(installedExtensionFolder(install.extensionsDir), 'dist', 'extension.js');
  const bundleText = readFileSync(bundlePath, 'utf8');
  if (bundleText.includes('//# sourceMappingURL=')) {
    throw new Error(
      `The packaged bundle ${bundlePath} is a development build: another process rebuilt dist/ while \`npm run package\` ran. Run the benchmark again.`,
    );
  }
  return {
    vsixPath,
    vsixBytes: statSync(vsixPath).size,
    bundlePath,
    bundleBytes: statSync(bundlePath).size,
    compiledRoot,
    extensionsDir: install.extensionsDir,
  };
}
