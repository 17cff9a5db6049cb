import * as vscode from 'vscode';
import { CustomersClient, type ExchangeInfo } from './api';
import type { Logger } from './log';
import { readSettings, settingsSection, SettingsError, type Settings } from './settings';
import { SecretStorageError, type TokenStore } from './tokenStore';

/** The state of the connection to the service: ready, or the reason it is not. */
export type ConnectionState =
  | {
      status: 'ready';
      client: CustomersClient;
      settings: Settings;
      origin: string;
      tokenVersion: number;
    }
  | { status: 'noToken'; settings: Settings; origin: string }
  | { status: 'invalidSettings'; message: string }
  | { status: 'storageError'; message: string; origin: string }
  | { status: 'starting' };

/** Error thrown by `Connection.client()` when no request can be sent. */
export class NotConnectedError extends Error {
  override readonly name = 'NotConnectedError';
  constructor(
    message: string,
    readonly reason: Exclude<ConnectionState['status'], 'ready'>,
  ) {
    super(message);
  }
}

/**
 * Builds the API client from the settings and the stored token, and builds it again when
 * either changes, in this window or another one.
 */
export class Connection implements vscode.Disposable {
  private current: ConnectionState = { status: 'starting' };
  private readonly changed = new vscode.EventEmitter<ConnectionState>();
  readonly onDidChange = this.changed.event;
  private readonly exchanged = new vscode.EventEmitter<ExchangeInfo>();
  /** Fires after every HTTP exchange, for counting requests. */
  readonly onDidExchange = this.exchanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  private generation = 0;
  private lastToken: string | undefined;
  private tokenVersion = 0;

  constructor(
    private readonly tokens: TokenStore,
    private readonly logger: Logger,
  ) {
    this.disposables.push(
      this.changed,
      this.exchanged,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(settingsSection)) void this.reload();
      }),
      tokens.onDidChange((origin) => {
        if (this.origin === origin) void this.reload();
      }),
    );
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The origin of the configured service, such as `https://app.prodcamp.com`, when valid. */
  get origin(): string | undefined {
    return 'origin' in this.current ? this.current.origin : undefined;
  }

  /** A short name of the service for messages: its host and port. */
  get host(): string {
    const origin = this.origin;
    return origin ? new URL(origin).host : 'ProdCamp';
  }

  /** How long an auto save of a record waits for the user to stop typing. */
  get autoSaveQuietMs(): number {
    return 'settings' in this.current ? this.current.settings.autoSaveQuietMs : 5000;
  }

  get pageSize(): number {
    return 'settings' in this.current ? this.current.settings.pageSize : 50;
  }

  /** Returns the client, or throws `NotConnectedError` with a message that names the next step. */
  client(): CustomersClient {
    const state = this.current;
    switch (state.status) {
      case 'ready':
        return state.client;
      case 'noToken':
        throw new NotConnectedError(
          `No API token is stored for ${new URL(state.origin).host}. Run "ProdCamp: Set API Token".`,
          'noToken',
        );
      case 'storageError':
      case 'invalidSettings':
        throw new NotConnectedError(state.message, state.status);
      case 'starting':
        throw new NotConnectedError(
          vscode.l10n.t('ProdCamp is still reading its settings and token. Try again in a moment.'),
          'starting',
        );
    }
  }

  /** Reads the settings and the token again and rebuilds the client. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    const next = await this.build();
    // A slower, older reload must not overwrite a newer one.
    if (generation !== this.generation) return;
    this.current = next;
    void vscode.commands.executeCommand('setContext', 'prodcamp.connection', next.status);
    this.logger.info(`Connection: ${next.status}${'origin' in next ? ` (${next.origin})` : ''}`);
    this.changed.fire(next);
  }

  private async build(): Promise<ConnectionState> {
    let settings: Settings;
    try {
      settings = readSettings();
    } catch (error) {
      if (error instanceof SettingsError)
        return { status: 'invalidSettings', message: error.message };
      throw error;
    }
    const origin = settings.baseUrl.origin;
    let token: string | undefined;
    try {
      token = await this.tokens.get(origin);
    } catch (error) {
      if (error instanceof SecretStorageError)
        return { status: 'storageError', message: error.message, origin };
      throw error;
    }
    if (!token) return { status: 'noToken', settings, origin };
    if (token !== this.lastToken) {
      this.lastToken = token;
      this.tokenVersion++;
    }
    const client = new CustomersClient({
      baseUrl: settings.baseUrl.href,
      apiKey: token,
      timeoutMs: settings.timeoutMs,
      logger: this.logger.child('http'),
      onResponse: (info) => this.exchanged.fire(info),
      userAgent: `prodcamp-customers-vscode (${vscode.env.appName} ${vscode.version})`,
    });
    return { status: 'ready', client, settings, origin, tokenVersion: this.tokenVersion };
  }

  /**
   * The key of what the views' lists depend on: the service, the token and the page size. Other
   * settings, such as the time limit, change without reloading them.
   */
  get listKey(): string {
    const state = this.current;
    const origin = 'origin' in state ? state.origin : '';
    const pageSize = 'settings' in state ? state.settings.pageSize : 0;
    const token = state.status === 'ready' ? state.tokenVersion : 0;
    return `${state.status}|${origin}|${pageSize}|${token}`;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
