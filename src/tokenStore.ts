import * as vscode from 'vscode';
import type { Logger } from './log';

const keyPrefix = 'prodcamp.apiToken:';

/**
 * The API token, kept only in VS Code's SecretStorage, one per service origin so that a
 * token for one server is never sent to another. Changes made in another window arrive
 * through `onDidChange`.
 */
export class TokenStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the origin whose token was stored, replaced or removed. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly logger: Logger,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith(keyPrefix)) this.changed.fire(event.key.slice(keyPrefix.length));
    });
  }

  /** Returns the stored token for an origin, or undefined. Throws when the secret store fails. */
  async get(origin: string): Promise<string | undefined> {
    try {
      const token = await this.secrets.get(keyPrefix + origin);
      return token?.trim() ? token : undefined;
    } catch (error) {
      this.logger.error(`Reading the API token for ${origin} failed: ${describe(error)}`);
      throw new SecretStorageError(
        vscode.l10n.t(
          'VS Code could not read the API token from its secret storage ({0}). On Linux this needs a system keyring; see the "password-store" option of VS Code.',
          describe(error),
        ),
      );
    }
  }

  async set(origin: string, token: string): Promise<void> {
    try {
      await this.secrets.store(keyPrefix + origin, token);
      this.logger.info(`Stored an API token for ${origin}.`);
    } catch (error) {
      this.logger.error(`Storing the API token for ${origin} failed: ${describe(error)}`);
      throw new SecretStorageError(
        vscode.l10n.t(
          'VS Code could not store the API token in its secret storage ({0}). On Linux this needs a system keyring; see the "password-store" option of VS Code.',
          describe(error),
        ),
      );
    }
  }

  async clear(origin: string): Promise<void> {
    await this.secrets.delete(keyPrefix + origin);
    this.logger.info(`Removed the API token for ${origin}.`);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export class SecretStorageError extends Error {
  override readonly name = 'SecretStorageError';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
