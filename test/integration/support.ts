// Helpers for integration suites that run inside the VS Code extension host, driven by
// scripts/integration.mjs.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultSpec, JsonObject, RecordedRequest } from '../../emulator/index';

export const EXTENSION_ID = 'prodcamp-community.prodcamp-customers';

const SCREENSHOT_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 50;

export interface Sandbox {
  /** Base URL of the API emulator, for example http://127.0.0.1:41234. */
  url: string;
  /** API key that the emulator accepts. */
  apiKey: string;
}

/** Returns the emulator address and key that the driver passes in PRODCAMP_SANDBOX_URL and PRODCAMP_SANDBOX_API_KEY. */
export function sandbox(): Sandbox {
  const url = process.env.PRODCAMP_SANDBOX_URL;
  const apiKey = process.env.PRODCAMP_SANDBOX_API_KEY;
  if (!url || !apiKey) {
    throw new Error(
      'PRODCAMP_SANDBOX_URL or PRODCAMP_SANDBOX_API_KEY is missing: run the suites with `npm run test:integration`.',
    );
  }
  return { url: url.replace(/\/+$/, ''), apiKey };
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * Polls `predicate` every 50 ms until it returns a truthy value, and returns that value.
 * Throws `Timed out after N ms waiting for MESSAGE` when `timeoutMs` passes first.
 */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  message: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}${cause}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

/**
 * Asks the driver for a screenshot of the whole workbench and waits until it is written to
 * `${PRODCAMP_SCREENSHOT_DIR}/NAME.png`. The request is the log line `[[prodcamp-screenshot:NAME]]`.
 * Without PRODCAMP_SCREENSHOT_DIR (for example under desktop VS Code) it only logs that it skipped.
 */
export async function screenshot(name: string): Promise<string | undefined> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new Error(
      `Invalid screenshot name "${name}": use letters, digits, ".", "_" and "-" only.`,
    );
  }
  const folder = process.env.PRODCAMP_SCREENSHOT_DIR;
  if (!folder) {
    console.log(`Skipped screenshot ${name}: PRODCAMP_SCREENSHOT_DIR is not set.`);
    return undefined;
  }
  const file = join(folder, `${name}.png`);
  // Removing the old file first means the wait below can only see the new one.
  mkdirSync(folder, { recursive: true });
  rmSync(file, { force: true });
  console.log(`[[prodcamp-screenshot:${name}]]`);
  await waitFor(() => existsSync(file), SCREENSHOT_TIMEOUT_MS, `screenshot ${file}`);
  return file;
}

async function callEmulator(method: string, path: string, body?: unknown): Promise<unknown> {
  const url = `${sandbox().url}${path}`;
  const response = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(
      `Emulator control ${method} ${path} failed with HTTP ${response.status}: ${text}`,
    );
  }
  return text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
}

/**
 * Calls the emulator's control routes (under /__emulator/ on the sandbox URL). They need no
 * API key, are not recorded as requests and ignore faults and latency.
 */
export const emulatorControl = {
  /** Returns the API requests recorded since the last clear or reset, in arrival order. */
  requests: () => callEmulator('GET', '/__emulator/requests') as Promise<RecordedRequest[]>,
  clearRequests: () => callEmulator('DELETE', '/__emulator/requests'),
  /**
   * Injects `fault` into API requests matching `route`: 'METHOD /path', where the method may
   * be '*' and path segments may be ':name' placeholders, or '* *' for every request.
   */
  addFault: (route: string, fault: FaultSpec) =>
    callEmulator('POST', '/__emulator/faults', { route, fault }),
  clearFaults: () => callEmulator('DELETE', '/__emulator/faults'),
  /** Reseeds the data and clears faults, recorded requests and option changes. */
  reset: () => callEmulator('POST', '/__emulator/reset'),
  /** Returns an account as the emulator stores it, bypassing the public API. */
  accountRecord: (id: number) =>
    callEmulator('GET', `/__emulator/records/accounts/${id}`) as Promise<JsonObject>,
  /** Returns a contact as the emulator stores it, bypassing the public API. */
  contactRecord: (id: number) =>
    callEmulator('GET', `/__emulator/records/contacts/${id}`) as Promise<JsonObject>,
};
