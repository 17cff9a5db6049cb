// Finds the compiled integration suite files (test/integration/**/*.test.js below a
// compiled root such as out/).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Lists the compiled suite files (*.test.js) below `folder`, sorted by path. */
export function findSuiteFiles(folder) {
  const files = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...findSuiteFiles(path));
    else if (entry.name.endsWith('.test.js')) files.push(path);
  }
  return files.sort();
}

/** Returns the source path (test/integration/x.test.ts) of a compiled file below `compiledRoot`. */
export function sourcePathOf(compiledRoot, compiledFile) {
  return relative(compiledRoot, compiledFile).replace(/\.js$/, '.ts');
}

/**
 * Returns the suite files below `compiledRoot`/test/integration that match any of `filters`,
 * or all of them when there is no filter. A filter matches when the source path contains it,
 * with .js read as .ts and a leading "out/" ignored, so "activation", "activation.test.ts"
 * and "out/test/integration/activation.test.js" all select the same file.
 * Throws when nothing matches.
 */
export function selectSuiteFiles(compiledRoot, filters) {
  const allFiles = findSuiteFiles(join(compiledRoot, 'test', 'integration'));
  const normalize = (filter) => filter.replace(/^(\.\/)?out\//, '').replace(/\.js$/, '.ts');
  const matches = (file, filter) => sourcePathOf(compiledRoot, file).includes(normalize(filter));
  const selected =
    filters.length === 0
      ? allFiles
      : allFiles.filter((file) => filters.some((filter) => matches(file, filter)));
  if (selected.length === 0) {
    const available = allFiles.map((file) => sourcePathOf(compiledRoot, file)).join(', ') || 'none';
    throw new Error(
      `No suite file matches ${filters.join(', ') || '*.test.ts'}. Suite files: ${available}.`,
    );
  }
  return selected;
}
