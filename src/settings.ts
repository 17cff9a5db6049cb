import * as vscode from 'vscode';
import { BaseUrlError, defaultBaseUrl, parseBaseUrl } from './api';

export const settingsSection = 'prodcamp';

export interface Settings {
  baseUrl: URL;
  pageSize: number;
  timeoutMs: number;
  autoSaveQuietMs: number;
}

/** Error for a setting that has a value the extension cannot use; the message names it. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** Reads and checks the extension's settings. */
export function readSettings(): Settings {
  const configuration = vscode.workspace.getConfiguration(settingsSection);
  const rawUrl = configuration.get<string>('baseUrl', defaultBaseUrl) || defaultBaseUrl;
  let baseUrl: URL;
  try {
    baseUrl = parseBaseUrl(rawUrl);
  } catch (error) {
    const reason = error instanceof BaseUrlError ? error.message : String(error);
    throw new SettingsError(`${reason} Change the "prodcamp.baseUrl" setting.`);
  }
  const pageSize = configuration.get<number>('pageSize', 50);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) {
    throw new SettingsError(
      `The "prodcamp.pageSize" setting is ${JSON.stringify(pageSize)}; use a whole number from 1 to 500.`,
    );
  }
  const timeoutSeconds = configuration.get<number>('requestTimeoutSeconds', 30);
  if (typeof timeoutSeconds !== 'number' || !(timeoutSeconds >= 1 && timeoutSeconds <= 600)) {
    throw new SettingsError(
      `The "prodcamp.requestTimeoutSeconds" setting is ${JSON.stringify(timeoutSeconds)}; use a number of seconds from 1 to 600.`,
    );
  }
  const quietSeconds = configuration.get<number>('autoSaveQuietSeconds', 5);
  if (typeof quietSeconds !== 'number' || !(quietSeconds >= 0.1 && quietSeconds <= 600)) {
    throw new SettingsError(
      `The "prodcamp.autoSaveQuietSeconds" setting is ${JSON.stringify(quietSeconds)}; use a number of seconds from 0.1 to 600.`,
    );
  }
  return {
    baseUrl,
    pageSize,
    timeoutMs: Math.round(timeoutSeconds * 1000),
    autoSaveQuietMs: Math.round(quietSeconds * 1000),
  };
}
