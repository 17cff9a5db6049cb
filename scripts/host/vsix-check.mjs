// Packages the extension with `npm run package`, installs the .vsix into a fresh
// code-server extensions folder and checks it there: the probe suite in test/vsix-probe/
// runs in the extension host, and the page must show the ProdCamp views.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatSeconds, runCommand, withoutNpmVariables } from './exec.mjs';
import { installVsix } from './session.mjs';
import { registerCleanup } from './shutdown.mjs';
import { runHostSuite } from './suite.mjs';

export const EXTENSION_ID = 'prodcamp-community.prodcamp-customers';
const VSIX_FILE = 'prodcamp-customers.vsix';
const DOM_TIMEOUT_MS = 10_000;

// Top-level entries that only the build and the tests need. The installed package should
// not contain them.
const DEVELOPMENT_ENTRIES = [
  'src',
  'out',
  'test',
  'scripts',
  'emulator',
  'node_modules',
  'screenshots',
  'tsconfig.json',
];

/** Checks in the page that the activity bar and the sidebar show the extension's container and views. */
async function checkWorkbenchDom(page) {
  const checks = [
    [
      'activity bar shows the ProdCamp container',
      page.locator('.part.activitybar .action-item .action-label[aria-label^="ProdCamp"]'),
    ],
    [
      'sidebar shows the Accounts view',
      page.locator('.part.sidebar .pane-header h3.title', { hasText: /^Accounts$/ }),
    ],
    [
      'sidebar shows the Contacts view',
      page.locator('.part.sidebar .pane-header h3.title', { hasText: /^Contacts$/ }),
    ],
  ];
  const counts = { passed: 0, failed: 0 };
  for (const [title, locator] of checks) {
    try {
      await locator.first().waitFor({ state: 'visible', timeout: DOM_TIMEOUT_MS });
      counts.passed += 1;
      console.log(`    ✔ [page] ${title}`);
    } catch (error) {
      counts.failed += 1;
      console.log(`    ✖ [page] ${title}: ${error.message.split('\n')[0]}`);
    }
  }
  return counts;
}

/** Prints a warning for development files that the installed package contains. */
function warnAboutDevelopmentFiles(extensionsDir) {
  const installed = readdirSync(extensionsDir, { withFileTypes: true }).find(
    (entry) => entry.isDirectory() && entry.name.startsWith(`${EXTENSION_ID}-`),
  );
  if (!installed) return;
  const entries = readdirSync(join(extensionsDir, installed.name));
  const extra = entries.filter((entry) => DEVELOPMENT_ENTRIES.includes(entry));
  if (extra.length > 0) {
    console.log(
      `  warning: the .vsix contains development files (${extra.join(', ')}); a .vscodeignore can leave them out.`,
    );
  }
}

function failedResult(label, started, problem) {
  console.log(`--- ${label}: 0 passed, 1 failed\n    problem: ${problem}`);
  return {
    label,
    passed: 0,
    failed: 1,
    pending: 0,
    problems: [problem],
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * Runs the packaged .vsix check with the compiled tests in `compiledRoot` (a copy of out/).
 * Returns a result in the same form as runHostSuite, counting the probe's tests and the three
 * page checks. A failed package or install counts as one failure.
 */
export async function runVsixCheck({
  repoRoot,
  compiledRoot,
  screenshotDir,
  timeoutMs,
  startEmulator,
}) {
  const label = `packaged ${VSIX_FILE}`;
  const started = Date.now();
  console.log(`\n=== ${label}`);
  try {
    await runCommand('npm', ['run', 'package'], { cwd: repoRoot, env: withoutNpmVariables() });
  } catch (error) {
    const firstLine = error.message.split('\n')[0];
    return failedResult(label, started, `${firstLine} Its output is above.`);
  }

  let install;
  try {
    install = await installVsix(join(repoRoot, VSIX_FILE));
  } catch (error) {
    return failedResult(label, started, `installing ${VSIX_FILE} failed: ${error.message}`);
  }
  console.log(
    `  Installed ${VSIX_FILE} into ${install.extensionsDir} (${formatSeconds(Date.now() - started)} so far).`,
  );
  warnAboutDevelopmentFiles(install.extensionsDir);

  const emulator = await startEmulator({ port: 0 });
  const unregister = registerCleanup({
    name: `emulator ${emulator.url}`,
    run: () => emulator.close(),
  });
  try {
    const result = await runHostSuite({
      label,
      testFiles: [join(compiledRoot, 'test', 'vsix-probe', 'installed.test.js')],
      testsEntry: join(compiledRoot, 'test', 'integration', 'index.js'),
      extensionDevelopmentPath: join(repoRoot, 'test', 'vsix-probe'),
      extensionsDir: install.extensionsDir,
      env: {
        PRODCAMP_EXPECTED_EXTENSIONS_DIR: install.extensionsDir,
        PRODCAMP_REPO_ROOT: repoRoot,
      },
      // The installed extension is not in development mode, so only this setting points it at the emulator.
      userSettings: { 'prodcamp.baseUrl': emulator.url },
      timeoutMs,
      screenshotDir,
      repoRoot,
      printHeader: false,
      beforeScreenshot: (name, page) =>
        name === 'vsix-installed' ? checkWorkbenchDom(page) : undefined,
    });
    if (result.failed === 0) rmSync(install.root, { recursive: true, force: true });
    return { ...result, seconds: (Date.now() - started) / 1000 };
  } finally {
    unregister();
    await emulator.close();
  }
}
