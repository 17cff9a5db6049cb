import * as vscode from 'vscode';
import { isLoopbackHost, parseBaseUrl, type RecordKind } from './api';
import { registerRecordCommands } from './commands/recordCommands';
import { registerTokenCommands } from './commands/tokenCommands';
import { registerViewCommands } from './commands/viewCommands';
import { Connection } from './connection';
import { RecordFileSystem } from './documents/recordFileSystem';
import { Logger } from './log';
import { RecordService } from './records';
import { settingsSection } from './settings';
import { TokenStore } from './tokenStore';
import { RecordTreeProvider } from './tree/recordTree';
import { ErrorPresenter } from './ui/errors';

/** The extension's parts, returned by `activate` for the integration tests. */
export interface ProdCampExtension {
  connection: Connection;
  records: RecordService;
  fileSystem: RecordFileSystem;
  trees: Record<RecordKind, RecordTreeProvider>;
  views: Record<RecordKind, vscode.TreeView<unknown>>;
}

export function activate(context: vscode.ExtensionContext): ProdCampExtension {
  const started = Date.now();
  const channel = vscode.window.createOutputChannel('ProdCamp', { log: true });
  context.subscriptions.push(channel);
  const logger = new Logger(channel, 'main');
  try {
    const tokens = new TokenStore(context.secrets, logger.child('token'));
    const connection = new Connection(tokens, logger.child('connection'));
    const records = new RecordService(connection);
    const errors = new ErrorPresenter(logger.child('ui'));
    const fileSystem = new RecordFileSystem(connection, records, logger.child('documents'));
    const trees: Record<RecordKind, RecordTreeProvider> = {
      account: new RecordTreeProvider(
        'account',
        connection,
        records,
        errors,
        logger.child('accounts'),
      ),
      contact: new RecordTreeProvider(
        'contact',
        connection,
        records,
        errors,
        logger.child('contacts'),
      ),
    };
    const views = {
      account: vscode.window.createTreeView('prodcamp.accounts', {
        treeDataProvider: trees.account,
        showCollapseAll: true,
      }),
      contact: vscode.window.createTreeView('prodcamp.contacts', {
        treeDataProvider: trees.contact,
      }),
    };
    trees.account.attach(views.account);
    trees.contact.attach(views.contact);

    context.subscriptions.push(
      tokens,
      connection,
      records,
      fileSystem,
      RecordFileSystem.register(fileSystem),
      trees.account,
      trees.contact,
      views.account,
      views.contact,
      ...registerTokenCommands(connection, tokens, errors, logger.child('token')),
      ...registerRecordCommands(connection, records, fileSystem, errors),
      ...registerViewCommands(trees, records, errors),
      vscode.commands.registerCommand('prodcamp.showLog', () => channel.show()),
      vscode.commands.registerCommand('prodcamp.compareWithServer', async (uri?: unknown) => {
        const target =
          uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
        if (!target) return;
        try {
          await fileSystem.compareWithServer(target);
        } catch (error) {
          await errors.show(error, vscode.l10n.t("Couldn't compare with the server's version"));
        }
      }),
    );

    // Reading the token and the settings finishes after activation, so VS Code can show the
    // views sooner; they fill in when the connection is ready.
    const development = context.extensionMode === vscode.ExtensionMode.Development;
    void (async () => {
      if (development) await adoptSandbox(tokens, logger);
      await connection.reload();
    })().catch((error: unknown) => {
      logger.error(error instanceof Error ? error : String(error));
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          "ProdCamp Customers couldn't read its settings or token: {0}",
          error instanceof Error ? error.message : String(error),
        ),
      );
    });
    logger.info(
      `Activated in ${Date.now() - started} ms (${vscode.env.appName} ${vscode.version}).`,
    );
    return { connection, records, fileSystem, trees, views };
  } catch (error) {
    logger.error(error instanceof Error ? error : String(error));
    void vscode.window
      .showErrorMessage(
        vscode.l10n.t(
          'ProdCamp Customers failed to start: {0}',
          error instanceof Error ? error.message : String(error),
        ),
        vscode.l10n.t('Show Log'),
      )
      .then((choice) => {
        if (choice) channel.show();
      });
    throw error;
  }
}

/**
 * In development mode only (the demo), connects to the local emulator named by
 * PRODCAMP_SANDBOX_URL and PRODCAMP_SANDBOX_API_KEY, so accounts show with no manual step.
 * The key still goes into SecretStorage like any other token, and only a loopback URL is used.
 */
async function adoptSandbox(tokens: TokenStore, logger: Logger): Promise<void> {
  const url = process.env.PRODCAMP_SANDBOX_URL;
  const key = process.env.PRODCAMP_SANDBOX_API_KEY;
  if (!url || !key) return;
  const baseUrl = parseBaseUrl(url);
  if (!isLoopbackHost(baseUrl.hostname)) {
    logger.warn(
      `Ignored PRODCAMP_SANDBOX_URL ${baseUrl.host}: only a loopback emulator is adopted.`,
    );
    return;
  }
  const configuration = vscode.workspace.getConfiguration(settingsSection);
  if (configuration.get<string>('baseUrl') !== baseUrl.origin) {
    await configuration.update('baseUrl', baseUrl.origin, vscode.ConfigurationTarget.Global);
  }
  await tokens.set(baseUrl.origin, key);
  logger.info(`Connected to the local emulator at ${baseUrl.host}.`);
}

export function deactivate(): void {
  // Every resource is disposed through context.subscriptions.
}
