import * as vscode from 'vscode';
import { ApiError, CustomersClient } from '../api';
import type { Connection } from '../connection';
import type { Logger } from '../log';
import { SettingsError } from '../settings';
import type { TokenStore } from '../tokenStore';
import { describeError, type ErrorPresenter } from '../ui/errors';

/**
 * Registers Set API Token and Clear API Token. A new token is checked with one small request
 * before it is stored, so a typo never replaces a working token.
 */
export function registerTokenCommands(
  connection: Connection,
  tokens: TokenStore,
  errors: ErrorPresenter,
  logger: Logger,
): vscode.Disposable[] {
  /** Sends one cheap request with the token; returns undefined when it works, or the problem. */
  const check = async (token: string): Promise<string | undefined> => {
    const state = connection.state;
    if (!('settings' in state)) {
      return 'message' in state
        ? state.message
        : vscode.l10n.t('ProdCamp is still starting. Try again in a moment.');
    }
    try {
      const client = new CustomersClient({
        baseUrl: state.settings.baseUrl.href,
        apiKey: token,
        timeoutMs: state.settings.timeoutMs,
        logger: logger.child('http'),
      });
      await client.listAccounts({ pageNumber: 1, pageSize: 1 });
      return undefined;
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'unauthorized') {
        return vscode.l10n.t(
          '{0} rejected this token (HTTP {1}). Check that you copied the whole API key, then try again.',
          error.host,
          error.status ?? 401,
        );
      }
      return vscode.l10n.t("Couldn't check the token: {0}", describeError(error));
    }
  };

  const store = async (token: string): Promise<void> => {
    const origin = connection.origin;
    if (!origin) throw new Error(vscode.l10n.t('The base URL setting is invalid.'));
    await tokens.set(origin, token);
    await connection.reload();
  };

  const setToken = async (argument?: unknown): Promise<boolean> => {
    const state = connection.state;
    if (state.status === 'invalidSettings') {
      await errors.show(
        new SettingsError(state.message),
        vscode.l10n.t("Couldn't set the API token"),
      );
      return false;
    }
    const host = connection.host;
    if (typeof argument === 'string') {
      // Scripted use (tests, keybindings): the same checks, without the input box.
      const token = argument.trim();
      const problem = token ? await check(token) : vscode.l10n.t('The token is empty.');
      if (problem) {
        void vscode.window.showErrorMessage(problem);
        return false;
      }
      await store(token);
      return true;
    }

    return new Promise<boolean>((resolve) => {
      const input = vscode.window.createInputBox();
      input.title = vscode.l10n.t('Set API Token for {0}', host);
      input.prompt = vscode.l10n.t(
        "Paste the API key of your ProdCamp workspace. It is kept in VS Code's secret storage, never in settings.",
      );
      input.placeholder = vscode.l10n.t('API key');
      input.password = true;
      input.ignoreFocusOut = true;
      let done = false;
      input.onDidChangeValue(() => {
        input.validationMessage = undefined;
      });
      input.onDidAccept(async () => {
        const token = input.value.trim();
        if (!token) {
          input.validationMessage = vscode.l10n.t('Enter the API key, or press Escape to cancel.');
          return;
        }
        if (/\s/.test(token)) {
          input.validationMessage = vscode.l10n.t(
            'The API key contains a space or a line break. Paste it again without them.',
          );
          return;
        }
        input.busy = true;
        input.enabled = false;
        const problem = await check(token);
        input.busy = false;
        input.enabled = true;
        if (problem) {
          input.validationMessage = problem;
          return;
        }
        try {
          await store(token);
        } catch (error) {
          input.validationMessage = describeError(error);
          return;
        }
        done = true;
        input.hide();
        void vscode.window.showInformationMessage(vscode.l10n.t('API token stored for {0}.', host));
        resolve(true);
      });
      input.onDidHide(() => {
        input.dispose();
        if (!done) resolve(false);
      });
      input.show();
    });
  };

  const clearToken = async (): Promise<boolean> => {
    const origin = connection.origin;
    if (!origin) return false;
    const host = connection.host;
    const remove = vscode.l10n.t('Remove Token');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the API token for {0} from this machine?', host),
      {
        modal: true,
        detail: vscode.l10n.t('The ProdCamp views stay empty until you set a token again.'),
      },
      remove,
    );
    if (choice !== remove) return false;
    await tokens.clear(origin);
    await connection.reload();
    return true;
  };

  return [
    vscode.commands.registerCommand('prodcamp.setApiToken', setToken),
    vscode.commands.registerCommand('prodcamp.clearApiToken', clearToken),
  ];
}
