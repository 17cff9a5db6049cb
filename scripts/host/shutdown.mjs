// Runs registered cleanup functions when the script ends, including on Ctrl+C (SIGINT),
// SIGTERM and SIGHUP, so that no code-server, browser or emulator outlives the script.
const cleanups = new Set();
let signalHandlersInstalled = false;
let shuttingDown = false;

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

async function runCleanupsAndExit(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  console.error(`\nReceived ${signal}: stopping everything this script started.`);
  await runAllCleanups();
  process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
}

function installSignalHandlers() {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) {
    process.on(signal, () => void runCleanupsAndExit(signal));
  }
  // A last resort for an unexpected exit: only synchronous work can run here.
  process.on('exit', () => {
    for (const cleanup of cleanups) cleanup.sync?.();
  });
}

/** Returns true once a signal has started the shutdown, so callers can stay quiet about the exits it causes. */
export function isShuttingDown() {
  return shuttingDown;
}

/**
 * Registers a cleanup with an async `run` (for signals and `runAllCleanups`) and an optional
 * synchronous `sync` (for process exit). Returns a function that unregisters it.
 */
export function registerCleanup(cleanup) {
  installSignalHandlers();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Runs every registered cleanup, newest first, and logs the ones that fail. */
export async function runAllCleanups() {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      await cleanup.run();
    } catch (error) {
      console.error(`Cleanup ${cleanup.name ?? ''} failed: ${error.message}`);
    }
  }
}
