// Aggregates the benchmark runs into medians, checks them against the targets and formats the
// result as Markdown tables. Times are in ms and sizes in bytes, unless a name gives the unit.
import { renderDelay } from './render-log.mjs';

export const TARGETS = {
  bundleBytes: 200 * 1024,
  activationMs: 50,
  /** Time an action may take beyond (sequential requests × latency). */
  actionOverheadMs: 50,
  requestRatio: 1,
  /**
   * How much more the extension's own part of one "Load more" may cost at the largest list
   * than at the smallest before it counts as growing: the larger of these two.
   */
  loadMoreGrowthMs: 10,
  loadMoreGrowthRatio: 0.5,
};

/** Loaded-account counts at which the growth curve is reported, besides the first and last. */
const CURVE_POINTS = [500, 1000, 2500];
/** Consecutive "Load more" samples per run that make one point of the curve. */
const CURVE_WINDOW = 5;
/** "Load more" samples that start below this many loaded accounts make the action's row. */
const SMALL_LIST_LIMIT = 550;

const ACTION_LABELS = {
  openSidebar: 'Open the sidebar (both views load)',
  showAccounts: 'Show the Accounts view',
  loadMore: 'Load more (up to 550 loaded)',
  expandAccount: 'Expand an account',
  openRecord: 'Open a record',
  saveRecord: 'Save a record',
  search: 'Search accounts',
  showContacts: 'Show the Contacts view',
  setToken: 'Set the API token (extra)',
};

export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Returns `{ median, min, max, count }` of the finite values, or undefined when there are none. */
export function summarize(values) {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return undefined;
  return {
    median: median(finite),
    min: Math.min(...finite),
    max: Math.max(...finite),
    count: finite.length,
  };
}

/** Turns "Load more" samples into action samples so they share the action table. */
function loadMoreAsActions(samples) {
  return samples
    .filter((sample) => sample.loadedBefore < SMALL_LIST_LIMIT)
    .map((sample) => ({
      action: 'loadMore',
      wallMs: sample.wallMs,
      serverMs: sample.serverMs,
      extensionMs: sample.extensionMs,
      gcMs: sample.gcMs,
      requests: sample.requests,
      minimumRequests: 1,
      sequentialRequests: 1,
      requestLines: sample.requestLines,
    }));
}

function buildActionRow(action, samples, latencyMs) {
  const wall = summarize(samples.map((sample) => sample.wallMs));
  const server = median(samples.map((sample) => sample.serverMs));
  const extension = median(samples.map((sample) => sample.extensionMs ?? Number.NaN));
  const ratios = samples.map((sample) => sample.requests / sample.minimumRequests);
  const sequential = Math.max(...samples.map((sample) => sample.sequentialRequests));
  const budgetMs = sequential * latencyMs + TARGETS.actionOverheadMs;
  const extra = samples.find((sample) => sample.requests > sample.minimumRequests);
  const rest = samples.map(
    (sample) =>
      sample.wallMs - sample.serverMs - (sample.extensionMs ?? Number.NaN) - (sample.gcMs ?? 0),
  );
  return {
    action,
    label: ACTION_LABELS[action] ?? action,
    wall,
    serverMs: server,
    extensionMs: extension,
    gcMs: median(samples.map((sample) => sample.gcMs ?? Number.NaN)),
    vscodeMs: median(rest),
    requests: summarize(samples.map((sample) => sample.requests)),
    minimumRequests: Math.max(...samples.map((sample) => sample.minimumRequests)),
    ratio: summarize(ratios),
    budgetMs,
    timePass: wall.median <= budgetMs,
    // Without VS Code's share: what the extension and the server alone took.
    ownTimePass: extension === undefined ? undefined : server + extension <= budgetMs,
    ratioPass: Math.max(...ratios) <= TARGETS.requestRatio,
    extraRequests: extra ? extra.requestLines : undefined,
  };
}

/** Groups action samples of all runs by action, in the order of ACTION_LABELS. */
function buildActionRows(runs, latencyMs) {
  const byAction = new Map(Object.keys(ACTION_LABELS).map((action) => [action, []]));
  for (const run of runs) {
    for (const sample of run.result.actions) {
      if (!byAction.has(sample.action)) byAction.set(sample.action, []);
      byAction.get(sample.action).push(sample);
    }
    byAction.get('loadMore').push(...loadMoreAsActions(run.result.loadMore));
  }
  return [...byAction]
    .filter(([, samples]) => samples.length > 0)
    .map(([action, samples]) => buildActionRow(action, samples, latencyMs));
}

/** Returns the CURVE_WINDOW consecutive samples of one run whose start is nearest `loaded`. */
function samplesNear(samples, loaded) {
  if (samples.length === 0) return [];
  let nearest = 0;
  for (let index = 1; index < samples.length; index += 1) {
    const distance = Math.abs(samples[index].loadedBefore - loaded);
    if (distance < Math.abs(samples[nearest].loadedBefore - loaded)) nearest = index;
  }
  const start = Math.max(
    0,
    Math.min(nearest - Math.floor(CURVE_WINDOW / 2), samples.length - CURVE_WINDOW),
  );
  return samples.slice(start, start + CURVE_WINDOW);
}

function buildCurve(runs) {
  const perRun = runs.map((run) =>
    run.result.loadMore.map((sample) => ({
      ...sample,
      renderMs: renderDelay(sample, run.renderLog),
    })),
  );
  const longest = Math.max(0, ...perRun.map((samples) => samples.length));
  if (longest === 0) return [];
  const first = perRun.find((samples) => samples.length > 0)[0].loadedBefore;
  const last = Math.max(...perRun.map((samples) => samples.at(-1)?.loadedBefore ?? 0));
  const points = [first, ...CURVE_POINTS.filter((point) => point > first && point < last), last];
  return points.map((point, index) => {
    const samples = perRun.flatMap((runSamples) =>
      index === 0 ? runSamples.slice(0, CURVE_WINDOW) : samplesNear(runSamples, point),
    );
    const pick = (name) => summarize(samples.map((sample) => sample[name] ?? Number.NaN));
    return {
      loaded: point,
      range: [
        Math.min(...samples.map((sample) => sample.loadedBefore)),
        Math.max(...samples.map((sample) => sample.loadedBefore)),
      ],
      count: samples.length,
      wallMs: pick('wallMs'),
      commandMs: pick('commandMs'),
      commandCpuMs: pick('commandCpuMs'),
      serverMs: pick('serverMs'),
      extensionMs: pick('extensionMs'),
      gcMs: pick('gcMs'),
      treeItemMs: pick('treeItemMs'),
      treeItemCalls: pick('treeItemCalls'),
      treeItemsDoneMs: pick('treeItemsDoneMs'),
      renderMs: pick('renderMs'),
      requests: summarize(samples.map((sample) => sample.requests)),
    };
  });
}

function checkGrowth(curve) {
  if (curve.length < 2) return undefined;
  const first = curve[0].extensionMs?.median;
  const last = curve.at(-1).extensionMs?.median;
  if (first === undefined || last === undefined) return undefined;
  const allowed = Math.max(TARGETS.loadMoreGrowthMs, first * TARGETS.loadMoreGrowthRatio);
  return { firstMs: first, lastMs: last, allowedMs: allowed, pass: last - first <= allowed };
}

function buildMemory(runs) {
  const labels = [...new Set(runs.flatMap((run) => run.result.memory.map((entry) => entry.label)))];
  return labels.map((label) => {
    const entries = runs.flatMap((run) =>
      run.result.memory.filter((entry) => entry.label === label),
    );
    return {
      label,
      accountsLoaded: median(entries.map((entry) => entry.accountsLoaded)),
      heapUsed: summarize(entries.map((entry) => entry.heapUsed)),
      rss: summarize(entries.map((entry) => entry.rss)),
      afterGc: entries.every((entry) => entry.afterGc),
    };
  });
}

/** Builds the report data from the options, the built artifacts, the runs and the machine. */
export function buildReport({ options, artifacts, runs, machine }) {
  const activation = summarize(runs.map((run) => run.result.activation.activateMs));
  const loggedActivation = summarize(runs.map((run) => run.loggedActivationMs ?? Number.NaN));
  const curve = buildCurve(runs);
  return {
    options,
    machine,
    sizes: {
      bundleBytes: artifacts.bundleBytes,
      vsixBytes: artifacts.vsixBytes,
      bundlePass: artifacts.bundleBytes < TARGETS.bundleBytes,
    },
    activation: {
      activateMs: activation,
      loggedMs: loggedActivation,
      pass: activation !== undefined && activation.median < TARGETS.activationMs,
      loggedPass: loggedActivation !== undefined && loggedActivation.median < TARGETS.activationMs,
      anyWasActive: runs.some((run) => run.result.activation.wasActive),
    },
    actions: buildActionRows(runs, options.latencyMs),
    curve,
    growth: checkGrowth(curve),
    memory: buildMemory(runs),
    notes: [...new Set(runs.flatMap((run) => run.result.notes))],
  };
}

// --- Formatting -------------------------------------------------------------------------------

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function ms(value) {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return Math.abs(value) < 10 ? value.toFixed(1) : integer.format(value);
}

function range(stats) {
  if (!stats) return 'n/a';
  if (stats.count === 1) return ms(stats.median);
  return `${ms(stats.median)} (${ms(stats.min)}–${ms(stats.max)})`;
}

function kilobytes(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function megabytes(bytes) {
  return bytes === undefined ? 'n/a' : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

function verdict(pass) {
  return pass ? 'pass' : '**MISS**';
}

function table(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function formatHeader({ options, machine }) {
  const command = `npm run bench -- --latency ${options.latencyMs} --accounts ${options.accounts} --runs ${options.runs} --samples ${options.samples} --loaded ${options.loadedTarget}`;
  const load = machine.loadAverage.map((value) => value.toFixed(2)).join(' / ');
  return [
    `Command: \`${command}\``,
    '',
    `Date: ${machine.date}`,
    '',
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB.toFixed(1)} GiB memory, ${machine.operatingSystem}; Node ${machine.node}; code-server ${machine.codeServer} (VS Code ${machine.vscode ?? 'unknown'}) with headless Chromium. Load average (1 / 5 / 15 min) at the end: ${load}.`,
    '',
    `Emulator: ${integer.format(options.accounts)} accounts, ${options.latencyMs} ms added to every API request. Figures are medians over ${options.runs} run(s) with ${options.samples} sample(s) of each record action per run, with the minimum and maximum in brackets.`,
  ].join('\n');
}

function formatSizes(report) {
  const { sizes, activation } = report;
  const rows = [
    [
      'Bundle: dist/extension.js as installed from the .vsix (production, minified)',
      kilobytes(sizes.bundleBytes),
      `< ${kilobytes(TARGETS.bundleBytes)}`,
      verdict(sizes.bundlePass),
    ],
    ['.vsix file', kilobytes(sizes.vsixBytes), 'none', ''],
    [
      'Activation: `extension.activate()` from the benchmark entry (VS Code loads the bundle, then calls activate())',
      range(activation.activateMs),
      `< ${TARGETS.activationMs} ms`,
      verdict(activation.pass),
    ],
    [
      'Activation: "Activated in N ms" that activate() logs (its own code only)',
      range(activation.loggedMs),
      `< ${TARGETS.activationMs} ms`,
      verdict(activation.loggedPass),
    ],
  ];
  const warning = activation.anyWasActive
    ? '\n\nWarning: in at least one run the extension was active before the benchmark activated it, so its activation time is void.'
    : '';
  return `${table(['Measure', 'Value', 'Target', 'Result'], rows)}${warning}`;
}

function formatActions(report) {
  const rows = report.actions.map((row) => {
    const misses = [];
    if (!row.timePass) misses.push('time');
    if (!row.ratioPass) misses.push('requests');
    const ratio =
      row.ratio.max > row.ratio.median
        ? `${row.ratio.median.toFixed(1)} (max ${row.ratio.max.toFixed(1)})`
        : row.ratio.median.toFixed(1);
    return [
      row.label,
      String(row.wall.count),
      range(row.wall),
      ms(row.serverMs),
      ms(row.extensionMs),
      ms(row.gcMs),
      ms(row.vscodeMs),
      `${range(row.requests)} / ${row.minimumRequests}`,
      ratio,
      ms(row.budgetMs),
      misses.length === 0 ? 'pass' : `**MISS** (${misses.join(', ')})`,
      row.ownTimePass === undefined ? 'n/a' : verdict(row.ownTimePass),
    ];
  });
  const headers = [
    'Action',
    'Samples',
    'Wall ms',
    'Server ms',
    'Extension ms',
    'GC ms',
    'VS Code ms',
    'Requests / minimum',
    'Ratio',
    'Budget ms',
    'Result',
    'Server + extension within budget',
  ];
  const extra = report.actions
    .filter((row) => row.extraRequests)
    .map((row) => `- ${row.label}: ${row.extraRequests.join(', ')}`);
  const extraText =
    extra.length > 0 ? `\n\nRequests of a sample above the minimum:\n\n${extra.join('\n')}` : '';
  return `${table(headers, rows)}${extraText}`;
}

function formatCurve(report) {
  const rows = report.curve.map((point) => [
    `${integer.format(point.loaded)} (${integer.format(point.range[0])}–${integer.format(point.range[1])})`,
    String(point.count),
    range(point.wallMs),
    range(point.commandMs),
    ms(point.commandCpuMs?.median),
    ms(point.serverMs?.median),
    range(point.extensionMs),
    ms(point.gcMs?.median),
    `${ms(point.treeItemMs?.median)} / ${integer.format(point.treeItemCalls?.median ?? 0)}`,
    range(point.treeItemsDoneMs),
    range(point.renderMs),
    ms(point.requests?.max),
  ]);
  const headers = [
    'Loaded before',
    'Samples',
    'Wall ms (VS Code has the list)',
    'Command ms',
    'Host CPU ms (command)',
    'Server ms',
    'Extension ms',
    'GC ms',
    'getTreeItem ms / calls',
    'Last getTreeItem ms',
    'Page drew the rows ms',
    'Max requests',
  ];
  const growth = report.growth;
  const verdictLine = growth
    ? `\n\nExtension's own part of one Load more: ${ms(growth.firstMs)} ms at the start, ${ms(growth.lastMs)} ms at the end; the target allows ${ms(growth.allowedMs)} ms more: ${verdict(growth.pass)}.`
    : '';
  return `${table(headers, rows)}${verdictLine}`;
}

function formatMemory(report) {
  const rows = report.memory.map((entry) => [
    entry.label,
    integer.format(entry.accountsLoaded ?? 0),
    megabytes(entry.heapUsed?.median),
    megabytes(entry.rss?.median),
    entry.afterGc ? 'yes' : 'no',
  ]);
  const [first, last] = [report.memory[0], report.memory.at(-1)];
  let perAccount = '';
  if (first && last && last !== first && last.accountsLoaded > first.accountsLoaded) {
    const bytes =
      (last.heapUsed.median - first.heapUsed.median) / (last.accountsLoaded - first.accountsLoaded);
    perAccount = `\n\nHeap growth per loaded account: ${(bytes / 1024).toFixed(1)} KB (extension and VS Code's tree together).`;
  }
  return `${table(['Point', 'Accounts loaded', 'heapUsed', 'rss', 'After GC'], rows)}${perAccount}`;
}

/** Formats the report as Markdown. */
export function formatReport(report) {
  const sections = [
    formatHeader(report),
    `### Size and activation\n\n${formatSizes(report)}`,
    `### User actions\n\n${formatActions(report)}`,
    `### One "Load more" as the list grows\n\n${formatCurve(report)}`,
    `### Extension host memory\n\n${formatMemory(report)}`,
  ];
  if (report.notes.length > 0) {
    sections.push(`### Notes\n\n${report.notes.map((note) => `- ${note}`).join('\n')}`);
  }
  return sections.join('\n\n');
}
