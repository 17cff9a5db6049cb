// Looks through every file a test session left behind (VS Code's settings, global state, logs,
// the browser profile) for a secret, so a token that leaked to disk fails the run.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const maxFileBytes = 64 * 1024 * 1024;

/**
 * Log lines that hold the key for reasons outside the extension, each with the reason. They
 * are counted and reported, not treated as leaks.
 */
export const excusedLines = [
  {
    pattern: /PRODCAMP_SANDBOX_API_KEY/,
    reason: "the test driver's own environment variable, which VS Code dumps at trace level",
  },
  {
    pattern: /ProxyResolver#resolveProxy/,
    reason:
      "VS Code's proxy resolver, which logs every request URL at debug level; the ProdCamp API takes its key in the URL",
  },
];

/**
 * Returns `{ leaks, excused }`: the files under `folder` that contain `secret` (plain,
 * URL-encoded or UTF-16) outside an excused log line, and a count of excused lines by reason.
 * Files larger than 64 MiB are skipped.
 */
export function findSecret(folder, secret) {
  const forms = [
    Buffer.from(secret, 'utf8'),
    Buffer.from(encodeURIComponent(secret), 'utf8'),
    Buffer.from(secret, 'utf16le'),
  ];
  const leaks = [];
  const excused = new Map();
  const visit = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return; // Removed while the scan ran, such as a socket or lock file.
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
      return;
    }
    if (!stat.isFile() || stat.size > maxFileBytes) return;
    const content = readFileSync(path);
    if (!forms.some((form) => content.includes(form))) return;
    if (!path.endsWith('.log')) {
      leaks.push(relative(folder, path));
      return;
    }
    let leaked = false;
    for (const line of content.toString('utf8').split('\n')) {
      if (!forms.some((form) => line.includes(form.toString('utf8')))) continue;
      const excuse = excusedLines.find((candidate) => candidate.pattern.test(line));
      if (excuse) excused.set(excuse.reason, (excused.get(excuse.reason) ?? 0) + 1);
      else leaked = true;
    }
    if (leaked) leaks.push(relative(folder, path));
  };
  visit(folder);
  return { leaks, excused };
}
