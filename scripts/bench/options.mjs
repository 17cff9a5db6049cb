// Command-line options of scripts/bench.mjs.

export const DEFAULT_OPTIONS = {
  latencyMs: 50,
  accounts: 100_000,
  runs: 3,
  samples: 5,
  loadedTarget: 5000,
  markdownFile: undefined,
  jsonFile: undefined,
  vsixFile: undefined,
};

export const USAGE = `Usage: node scripts/bench.mjs [options]

Runs the extension installed from its .vsix in code-server against the emulator and prints
the time, request count and memory of what the user waits for.

Options:
  --latency MS     delay the emulator adds to every API request, in ms (default ${DEFAULT_OPTIONS.latencyMs})
  --accounts N     accounts seeded in the emulator (default ${DEFAULT_OPTIONS.accounts})
  --runs N         extension host sessions, each with a fresh activation (default ${DEFAULT_OPTIONS.runs})
  --samples N      timed repetitions of each record action per session (default ${DEFAULT_OPTIONS.samples})
  --loaded N       accounts to load with "Load more" for the growth curve (default ${DEFAULT_OPTIONS.loadedTarget})
  --markdown FILE  also write the tables as Markdown to FILE
  --json FILE      also write every sample of every run as JSON to FILE
  --vsix FILE      measure this .vsix instead of packaging the checkout (to compare builds)
  --help           print this text`;

function readInteger(name, raw, minimum) {
  const value = Number(raw);
  if (raw === undefined || raw === '' || !Number.isSafeInteger(value) || value < minimum) {
    throw new Error(`${name} needs a whole number of at least ${minimum}, got "${raw ?? ''}".`);
  }
  return value;
}

/** Parses the arguments after `node scripts/bench.mjs`. Returns undefined for --help. */
export function parseArguments(argv) {
  const options = { ...DEFAULT_OPTIONS };
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inlineValue] = argv[index].split(/=(.*)/s, 2);
    const value = () => inlineValue ?? argv[++index];
    switch (flag) {
      case '--latency':
        options.latencyMs = readInteger('--latency', value(), 0);
        break;
      case '--accounts':
        options.accounts = readInteger('--accounts', value(), 1);
        break;
      case '--runs':
        options.runs = readInteger('--runs', value(), 1);
        break;
      case '--samples':
        options.samples = readInteger('--samples', value(), 1);
        break;
      case '--loaded':
        options.loadedTarget = readInteger('--loaded', value(), 1);
        break;
      case '--markdown':
        options.markdownFile = value();
        if (!options.markdownFile) throw new Error('--markdown needs a FILE.');
        break;
      case '--vsix':
        options.vsixFile = value();
        if (!options.vsixFile) throw new Error('--vsix needs a FILE.');
        break;
      case '--json':
        options.jsonFile = value();
        if (!options.jsonFile) throw new Error('--json needs a FILE.');
        break;
      case '--help':
      case '-h':
        return undefined;
      default:
        throw new Error(`Unknown option ${argv[index]}. Run with --help for the options.`);
    }
  }
  return options;
}
