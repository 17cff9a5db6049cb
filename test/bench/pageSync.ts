// Waits, from the extension host, until the workbench page shows a number of rows in the
// Accounts tree. The extension host cannot see the page, so it asks the driver with a log line
// `[[prodcamp-bench-rows:{"id":N,"rows":R}]]`, and the driver, which watches the page, answers
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
  const answer = join(folder, `rows-${id}.json`);
  console.log(`[[prodcamp-bench-rows:${JSON.stringify({ id, rows, timeoutMs })}]]`);
  // The driver answers within timeoutMs; the extra time covers the log's way to the driver.
  await waitFor(() => existsSync(answer), timeoutMs + 10_000, `the driver's answer ${answer}`);
  return (JSON.parse(readFileSync(answer, 'utf8')) as { drawn?: boolean }).drawn === true;
}
