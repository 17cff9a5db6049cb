import * as vscode from 'vscode';
import { ApiError, BaseUrlError, isCancellation } from '../api';
import { SettingsError } from '../settings';
import { SecretStorageError } from '../tokenStore';
import { NotConnectedError } from '../connection';
import type { Logger } from '../log';

/** How long the same failure is not shown again, so a burst of failures raises one notification. */
const repeatWindowMs = 5000;

/**
 * Turns failures into user messages, in one place: the server's own message when it has
 * one, the status otherwise, and a button that helps (Set API Token on 401, Retry, Show Log).
 * Cancellations are not shown.
 */
export class ErrorPresenter {
  private readonly lastShown = new Map<string, number>();

  constructor(private readonly logger: Logger) {}

  /**
   * Logs and shows a failure. `action` names what failed, as in "Couldn't load accounts".
   * Resolves once the user has dismissed the message or picked its button.
   */
  async show(error: unknown, action: string, retry?: () => unknown): Promise<void> {
    if (isCancellation(error)) return;
    const detail = describeError(error);
    this.logger.error(`${action}: ${detail}`);
    if (error instanceof Error && !isExpected(error)) {
      this.logger.error(error);
    }

    const key = `${action}|${error instanceof ApiError ? `${error.kind}|${error.status}` : detail}`;
    const now = Date.now();
    if (now - (this.lastShown.get(key) ?? 0) < repeatWindowMs) return;
    this.lastShown.set(key, now);

    const buttons: string[] = [];
    if (needsToken(error)) buttons.push(setTokenButton);
    if (error instanceof NotConnectedError && error.reason === 'invalidSettings')
      buttons.push(openSettingsButton);
    if (retry && !needsToken(error)) buttons.push(retryButton);
    buttons.push(showLogButton);

    const choice = await vscode.window.showErrorMessage(
      vscode.l10n.t('{0}: {1}', action, detail),
      ...buttons,
    );
    if (choice === setTokenButton) await vscode.commands.executeCommand('prodcamp.setApiToken');
    else if (choice === openSettingsButton)
      await vscode.commands.executeCommand('workbench.action.openSettings', 'prodcamp.');
    else if (choice === retryButton) await retry?.();
    else if (choice === showLogButton) await vscode.commands.executeCommand('prodcamp.showLog');
  }
}

const setTokenButton = vscode.l10n.t('Set API Token');
const openSettingsButton = vscode.l10n.t('Open Settings');
const retryButton = 'Retry';
const showLogButton = vscode.l10n.t('Show Log');

/** Returns whether an error is one the extension raises on purpose, which needs no stack trace. */
function isExpected(error: Error): boolean {
  return (
    error instanceof ApiError ||
    error instanceof NotConnectedError ||
    error instanceof SettingsError ||
    error instanceof BaseUrlError ||
    error instanceof SecretStorageError
  );
}

/** Returns whether the failure is fixed by setting a token. */
export function needsToken(error: unknown): boolean {
  return (
    (error instanceof ApiError && error.kind === 'unauthorized') ||
    (error instanceof NotConnectedError && error.reason === 'noToken')
  );
}

/** Describes a failure in one sentence, for messages. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError && error.kind === 'unauthorized') {
    return vscode.l10n.t(
      '{0} rejected the API token (HTTP {1}). Set a valid token to go on.',
      error.host,
      error.status ?? 401,
    );
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Describes, in a few words, the failure shown by a tree item in place of a list, such as
 * "HTTP 503" or "timed out".
 */
export function shortReason(error: unknown): string {
  if (error instanceof NotConnectedError) {
    if (error.reason === 'noToken') return vscode.l10n.t('no API token');
    if (error.reason === 'starting') return vscode.l10n.t('starting');
    return vscode.l10n.t('invalid settings');
  }
  if (!(error instanceof ApiError)) return 'error';
  switch (error.kind) {
    case 'timeout':
      return 'timed out';
    case 'network':
      return 'network error';
    case 'invalidResponse':
      return error.status ? `invalid response, HTTP ${error.status}` : 'invalid response';
    case 'cancelled':
      return 'cancelled';
    default:
      return vscode.l10n.t('HTTP {0}', error.status ?? '?');
  }
}
