// Child-process helpers shared by the host scripts.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/**
 * Returns a copy of `env` without the variables that `npm run` adds (npm_*, INIT_CWD), so
 * an npm command started from a script resolves its own project folder and config.
 */
export function withoutNpmVariables(env = process.env) {
  const clean = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^npm_/i.test(name) || name === 'INIT_CWD') continue;
    clean[name] = value;
  }
  return clean;
}

/**
 * Runs a command to completion and rejects when it exits non-zero.
 *
 * Output goes to the terminal, or with `logFile` to that file only. Either way the rejection
 * message carries the last 4000 characters of the command's output.
 */
export function runCommand(command, args, { cwd, env, logFile } = {}) {
  const commandLine = [command, ...args].join(' ');
  console.log(`$ ${commandLine}${cwd ? `   (in ${cwd})` : ''}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    let log;
    if (logFile) {
      log = createWriteStream(logFile, { flags: 'a' });
      log.write(`\n$ ${commandLine}   (in ${cwd ?? process.cwd()})\n`);
    }
    const collect = (target) => (chunk) => {
      if (log) log.write(chunk);
      else target.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', collect(process.stdout));
    child.stderr.on('data', collect(process.stderr));
    child.on('error', (error) => {
      log?.end();
      reject(new Error(`Failed to start ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      log?.end();
      if (code === 0) {
        resolve();
        return;
      }
      const outcome = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const details = tail ? `\nLast output:\n${tail.trimEnd()}` : '';
      reject(new Error(`${commandLine} ${outcome}.${details}`));
    });
  });
}

/** Runs a command and resolves with its standard output. Rejects when it exits non-zero. */
export function captureCommand(command, args, { cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(`${command} ${args.join(' ')} exited with code ${code}: ${stderr.trim()}`),
        );
    });
  });
}

/** Returns true while a process with this pid exists, including one owned by another user. */
export function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Formats a duration in milliseconds as seconds with one decimal. */
export function formatSeconds(milliseconds) {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}
