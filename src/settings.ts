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
    throw new SettingsError(vscode.l10n.t('{0} Change the "prodcamp.baseUrl" setting.', reason));
  }
  const pageSize = configuration.get<number>('pageSize', 50);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) {
    throw new SettingsError(
      vscode.l10n.t(
        'The "prodcamp.pageSize" setting is {0}; use a whole number from 1 to 500.',
        JSON.stringify(pageSize),
      ),
    );
  }
  const timeoutSeconds = configuration.get<number>('requestTimeoutSeconds', 30);
  if (typeof timeoutSeconds !== 'number' || !(timeoutSeconds >= 1 && timeoutSeconds <= 600)) {
    throw new SettingsError(
      vscode.l10n.t(
        'The "prodcamp.requestTimeoutSeconds" setting is {0}; use a number of seconds from 1 to 600.',
        JSON.stringify(timeoutSeconds),
      ),
    );
  }
  const quietSeconds = configuration.get<number>('autoSaveQuietSeconds', 5);
  if (typeof quietSeconds !== 'number' || !(quietSeconds >= 0.1 && quietSeconds <= 600)) {
    throw new SettingsError(
      vscode.l10n.t(
        'The "prodcamp.autoSaveQuietSeconds" setting is {0}; use a number of seconds from 0.1 to 600.',
        JSON.stringify(quietSeconds),
      ),
    );
  }
  return {
    baseUrl,
    pageSize,
    timeoutMs: Math.round(timeoutSeconds * 1000),
    autoSaveQuietMs: Math.round(quietSeconds * 1000),
  };
}
