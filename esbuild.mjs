// Builds the extension bundle (dist/) and, with --tests, the test and emulator files (out/).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

/** Lists every .ts file below a folder. */
function listTypeScript(folder) {
  const files = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...listTypeScript(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** @type {import('esbuild').BuildOptions} */
const extensionOptions = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/extension.js',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
};

// Tests, the emulator and the scripts that drive them run from out/ as plain CommonJS
// files, one per source file, so mocha can load them one by one.
/** @type {import('esbuild').BuildOptions} */
const testOptions = {
  entryPoints: [...listTypeScript('src'), ...listTypeScript('emulator'), ...listTypeScript('test')],
  outbase: '.',
  outdir: 'out',
  bundle: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
};

if (args.has('--tests')) {
  rmSync('out', { recursive: true, force: true });
  await esbuild.build(testOptions);
} else if (watch) {
  const context = await esbuild.context(extensionOptions);
  await context.watch();
} else {
  rmSync('dist', { recursive: true, force: true });
  await esbuild.build(extensionOptions);
}
