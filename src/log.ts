import type * as vscode from 'vscode';
import type { ApiLogger } from './api';
import { redact } from './api';

/**
 * A logger for one component. Every line carries the component's tag and passes through
 * `redact`, so the API key cannot reach the output channel even when a server echoes it.
 */
export class Logger implements ApiLogger {
  constructor(
    private readonly channel: vscode.LogOutputChannel,
    private readonly tag: string,
  ) {}

  /** Returns a logger that writes to the same channel under another tag. */
  child(tag: string): Logger {
    return new Logger(this.channel, tag);
  }

  trace(message: string): void {
    this.channel.trace(this.format(message));
  }
  debug(message: string): void {
    this.channel.debug(this.format(message));
  }
  info(message: string): void {
    this.channel.info(this.format(message));
  }
  warn(message: string): void {
    this.channel.warn(this.format(message));
  }
  error(message: string | Error): void {
    if (message instanceof Error) {
      this.channel.error(
        this.format(`${message.message}${message.stack ? `\n${message.stack}` : ''}`),
      );
    } else {
      this.channel.error(this.format(message));
    }
  }

  private format(message: string): string {
    return redact(`[${this.tag}] ${message}`);
  }
}
