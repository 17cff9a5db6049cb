// Command line entry point: starts the emulator on 127.0.0.1 until SIGINT or SIGTERM.
import { parseArgs } from 'node:util';
import type { EmulatorOptions, PagingQuirk } from './index';
import { PAGING_QUIRKS, startEmulator } from './index';

const USAGE = `Usage: node out/emulator/cli.js [options]

Starts the ProdCamp Customers API emulator on 127.0.0.1.

Options:
  --port N           TCP port (default 0: any free port)
  --accounts N       number of seeded accounts (default 2000)
  --max-contacts N   maximum seeded contacts per account (default 40, or 4 above 20000 accounts)
  --seed N           seed of the generated data (default 1)
  --latency MS       delay added to every API request, in milliseconds (default 0)
  --api-key KEY      API key that requests must send (default: a random pc_test_ key)
  --strict           reject POST and PUT bodies that contain read-only fields with 400
  --paging-quirk Q   imitate a paging behaviour: ${PAGING_QUIRKS.join(', ')} (default none)
  --verbose          log every API request (method, path, status, duration) to stderr
  --help             show this help`;

function parseInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text))
    throw new Error(`Invalid value for --${name}: '${text}'. Expected an integer.`);
  return Number(text);
}

function readOptions(argv: string[]): EmulatorOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      accounts: { type: 'string' },
      'max-contacts': { type: 'string' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      'api-key': { type: 'string' },
      strict: { type: 'boolean' },
      'paging-quirk': { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const log = values.verbose
    ? (line: string) => console.error(`${new Date().toISOString()} ${line}`)
    : undefined;
  return {
    port: parseInteger('port', values.port),
    accounts: parseInteger('accounts', values.accounts),
    maxContactsPerAccount: parseInteger('max-contacts', values['max-contacts']),
    seed: parseInteger('seed', values.seed),
    latencyMs: parseInteger('latency', values.latency),
    apiKey: values['api-key'],
    strictReadOnly: values.strict ?? false,
    pagingQuirk: values['paging-quirk'] as PagingQuirk | undefined,
    log,
  };
}

async function main(): Promise<void> {
  let options: EmulatorOptions | undefined;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error('Run with --help to list the options.');
    process.exitCode = 2;
    return;
  }
  if (options === undefined) {
    console.log(USAGE);
    return;
  }

  const started = performance.now();
  const emulator = await startEmulator(options);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`ProdCamp emulator listening on ${emulator.url}`);
  console.log(`API key: ${emulator.apiKey}`);
  console.log(
    `Seeded ${emulator.store.accountCount} accounts and ${emulator.store.contactCount} contacts in ${seconds} s.`,
  );
  console.log(
    `Example: curl '${emulator.url}/api/v1/Customers/accounts?PageSize=5&apiKey=${emulator.apiKey}'`,
  );
  console.log('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`Received ${signal}, stopping the emulator.`);
    emulator.close().then(
      () => console.log('Emulator stopped.'),
      (error: unknown) => {
        console.error(`Failed to stop the emulator cleanly: ${String(error)}`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(
    `Failed to start the emulator: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
});
