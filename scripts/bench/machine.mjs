// Describes the machine a benchmark ran on, for the report.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { CODE_SERVER_VERSION, codeServerFolder } from '../host/install.mjs';

function readOperatingSystem() {
  try {
    const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (match) return `${match[1]}, Linux ${release()}`;
  } catch {
    // Without /etc/os-release (not Linux, or a minimal image), the kernel release is used alone.
  }
  return `${process.platform} ${release()}`;
}

/** Returns the VS Code version that the installed code-server bundles, or undefined. */
function readVsCodeVersion() {
  const file = join(
    codeServerFolder,
    'node_modules',
    'code-server',
    'lib',
    'vscode',
    'product.json',
  );
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Returns the machine's processors, memory, OS, Node and code-server versions and load. */
export function describeMachine() {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: totalmem() / 1024 ** 3,
    operatingSystem: readOperatingSystem(),
    node: process.version,
    codeServer: CODE_SERVER_VERSION,
    vscode: readVsCodeVersion(),
    loadAverage: loadavg(),
    date: new Date().toISOString(),
  };
}
