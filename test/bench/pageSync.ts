// Waits, from the extension host, until the workbench page shows a number of rows in the
// Accounts tree. The extension host cannot see the page, so it sends the driver a log line
// `[[prodcamp-bench-rows:{"id":N,"rows":R}]]`, and the driver, which watches the page, replies
// by writing `rows-N.json` into PRODCAMP_BENCH_SIGNAL_DIR (see scripts/bench/host-run.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../integration/support';

let nextRequestId = 1;

/**
 * Resolves with true once the page's Accounts tree has at least `rows` top-level rows, or with
 * false when the driver gave up after `timeoutMs`. Without PRODCAMP_BENCH_SIGNAL_DIR it
 * resolves with false at once.
 */
export async function waitForPageRows(rows: number, timeoutMs: number): Promise<boolean> {
  const folder = process.env.PRODCAMP_BENCH_SIGNAL_DIR;
  if (!folder) return false;
  const id = nextRequestId++;
  const reply = join(folder, `rows-${id}.json`);
  console.log(`[[prodcamp-bench-rows:${JSON.stringify({ id, rows, timeoutMs })}]]`);
  // The driver replies within timeoutMs. The extra time covers the log's way to the driver.
  await waitFor(() => existsSync(reply), timeoutMs + 10_000, `the driver's reply ${reply}`);
  return (JSON.parse(readFileSync(reply, 'utf8')) as { drawn?: boolean }).drawn === true;
}
