// Records, inside the workbench page, when the Accounts tree shows a new number of rows, so the
// driver can tell how long the page took to draw what a "Load more" added. The extension host
// cannot see the page, and the page cannot see the extension host, so both sides log Date.now()
// times (one machine, one clock) and the driver matches them afterwards.

// The functions passed to page.evaluate run in the workbench page, not in Node.
/* global window, document, MutationObserver */

/**
 * Installs a MutationObserver in the page. Each time the rows of the Accounts tree change, it
 * appends `{ time, setSize, maxPosition }` to `window.__prodcampRenderLog`, unless both values
 * equal the last entry's. `setSize` is the number of top-level rows the tree has (the
 * aria-setsize of its top-level rows), and `maxPosition` the largest aria-posinset drawn.
 */
export async function installRenderLog(page) {
  await page.evaluate(() => {
    const log = [];
    window.__prodcampRenderLog = log;
    const findAccountsTree = () => {
      for (const title of document.querySelectorAll('.pane-header h3.title')) {
        if (title.textContent?.trim() !== 'Accounts') continue;
        return title.closest('.pane')?.querySelector('.pane-body .monaco-list') ?? undefined;
      }
      return undefined;
    };
    const check = () => {
      const tree = findAccountsTree();
      if (!tree) return;
      let setSize = 0;
      let maxPosition = 0;
      for (const row of tree.querySelectorAll('.monaco-list-row[aria-level="1"]')) {
        setSize = Math.max(setSize, Number(row.getAttribute('aria-setsize')) || 0);
        maxPosition = Math.max(maxPosition, Number(row.getAttribute('aria-posinset')) || 0);
      }
      const last = log[log.length - 1];
      if (last && last.setSize === setSize && last.maxPosition === maxPosition) return;
      log.push({ time: Date.now(), setSize, maxPosition });
    };
    new MutationObserver(check).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-setsize', 'aria-posinset'],
    });
  });
}

/**
 * Waits until the render log has an entry with at least `rows` top-level rows. Resolves with
 * true, or with false after `timeoutMs`.
 */
export async function waitForRows(page, rows, timeoutMs) {
  try {
    await page.waitForFunction(
      (expected) => (window.__prodcampRenderLog ?? []).some((entry) => entry.setSize >= expected),
      rows,
      { timeout: timeoutMs, polling: 20 },
    );
    return true;
  } catch {
    return false;
  }
}

/** Returns the entries that installRenderLog recorded, or [] when the page is gone. */
export async function readRenderLog(page) {
  try {
    return await page.evaluate(() => window.__prodcampRenderLog ?? []);
  } catch {
    return [];
  }
}

/**
 * Returns, for one "Load more" sample, the ms from its start until the page drew a row past
 * the old end of the list while the tree had all the new rows, or undefined when the log has
 * no such entry.
 */
export function renderDelay(sample, renderLog) {
  const entry = renderLog.find(
    (candidate) =>
      candidate.time >= sample.startedAtEpochMs &&
      candidate.setSize >= sample.loadedAfter + 1 &&
      candidate.maxPosition > sample.loadedBefore + 1,
  );
  return entry === undefined ? undefined : entry.time - sample.startedAtEpochMs;
}
