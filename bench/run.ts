// Benchmark runner of MMU Lens: `npm run bench` prints a table, `npm run bench -- --json` one JSON
// object. Figures come from providers (the layers' own benchmark modules); each goal compares a figure
// with a host baseline measured in this same run, with another figure, or with a fixed bound.
import * as path from 'path';
import { performance } from 'perf_hooks';
import { evaluateGoals, type Goal } from './goals';
import { measureHostBaselines, type HostBaseline } from './hostBaselines';
import { parseArgs, select, USAGE, type Selection } from './options';
import { runProvider, type BenchOptions, type FigureSet, type ProviderEntry } from './providers';
import { buildJsonReport, formatTable, type JsonReport } from './report';

/** Who measures what. Adding a provider is one row; its module may not exist yet. */
export const PROVIDERS: readonly ProviderEntry[] = [
  {
    name: 'engine',
    module: './engineBenchmarks',
    exportName: 'engineBenchmarks',
    figures: [
      'zero_faults_per_s',
      'cow_faults_per_s',
      'mmap_munmap_per_s',
      'translate_random_per_s',
      'js_page_walk_per_s',
      'fork_65536_ms',
      'boot_4g_ms',
      'bytes_per_frame',
    ],
  },
  {
    name: 'interpreter',
    module: './interpreterBenchmarks',
    exportName: 'interpreterBenchmarks',
    figures: ['interpreter_steps_per_s', 'scenario_zero_fault_steps_per_s'],
  },
  {
    name: 'debug',
    module: './debugBenchmarks',
    exportName: 'debugBenchmarks',
    figures: [
      'next_latency_100k_ms',
      'next_latency_10_ms',
      'step_back_latency_100k_ms',
      'step_back_latency_10_ms',
    ],
  },
  {
    name: 'recording',
    module: './recordingBenchmarks',
    exportName: 'recordingBenchmarks',
    figures: [
      'recording_bytes_per_step_200k_pages',
      'recording_bytes_per_step_1m_loop',
      'adapter_peak_rss_200k_pages_mb',
      'step_back_median_ms',
      'step_back_worst_ms',
      'pause_latency_empty_loop_ms',
    ],
  },
  {
    name: 'webview',
    module: './webviewBenchmarks',
    exportName: 'webviewBenchmarks',
    figures: ['pte_panel_first_paint_1m_ms', 'pte_panel_first_paint_10_ms'],
  },
  {
    name: 'memory',
    module: './memoryBenchmarks',
    exportName: 'memoryBenchmarks',
    figures: ['cli_run_peak_rss_200k_pages_mb'],
  },
  {
    name: 'hostile',
    module: './hostileBenchmarks',
    exportName: 'hostileBenchmarks',
    figures: [
      'cli_check_1mb_worst_ms',
      'cli_check_1mb_worst_peak_mb',
      'hostile_run_worst_ms',
      'hostile_run_worst_peak_mb',
    ],
  },
  {
    name: 'panels',
    module: './panelBenchmarks',
    exportName: 'panelBenchmarks',
    figures: ['panel_repaint_dma_mmio_ms', 'panel_repaint_100k_pages_ms', 'panel_repaint_10_pages_ms'],
    // It builds and packages the extension, starts code-server and a browser, then debugs three
    // scenarios: on a loaded two-core machine that may take longer than the others are allowed.
    timeoutMs: 300_000,
  },
];

/** The host's own numbers, from bench/host/*.c (see each file for why it measures what it claims). */
export const HOST_BASELINES: readonly HostBaseline[] = [
  {
    name: 'host_anon_faults_per_s',
    program: 'anon_faults',
    args: ['32768', '15'],
    quickArgs: ['8192', '3'],
    measures: 'Linux zero-fill faults: first write to each page of a fresh anonymous mapping',
  },
  {
    name: 'host_cow_faults_per_s',
    program: 'cow_faults',
    args: ['16384', '15'],
    quickArgs: ['4096', '3'],
    measures: 'Linux copy-on-write faults: a forked child writing each shared page',
  },
  {
    name: 'host_mmap_munmap_per_s',
    program: 'mmap_munmap',
    args: ['20000', '15'],
    quickArgs: ['10000', '3'],
    measures: 'Linux one-page anonymous mmap + munmap pairs, page never touched',
  },
  {
    name: 'c_page_walk_per_s',
    program: 'page_walk',
    args: ['1048576', '1', '25'],
    quickArgs: ['262144', '1', '3'],
    measures: 'plain C 4-level walks of random addresses over 1 GiB mapped in 4 KiB pages',
  },
];

const baseline = (name: string) => ({ kind: 'baseline', name }) as const;
const figure = (name: string) => ({ kind: 'figure', name }) as const;
const bound = (value: number) => ({ kind: 'constant', value }) as const;

/** The bar each figure must reach (issues 2, 4, 6, 12 and 13). */
export const GOALS: readonly Goal[] = [
  {
    id: 'zero_faults',
    source: 'issue 2',
    figure: 'zero_faults_per_s',
    relation: '>=',
    factor: 2,
    reference: baseline('host_anon_faults_per_s'),
  },
  {
    id: 'cow_faults',
    source: 'issue 2',
    figure: 'cow_faults_per_s',
    relation: '>=',
    factor: 1,
    reference: baseline('host_cow_faults_per_s'),
  },
  {
    id: 'mmap_munmap',
    source: 'issue 2',
    figure: 'mmap_munmap_per_s',
    relation: '>=',
    factor: 1,
    reference: baseline('host_mmap_munmap_per_s'),
  },
  {
    id: 'translate_random',
    source: 'issue 2',
    figure: 'translate_random_per_s',
    relation: '>=',
    factor: 1,
    reference: figure('js_page_walk_per_s'),
  },
  {
    id: 'bytes_per_frame',
    source: 'issue 2',
    figure: 'bytes_per_frame',
    relation: '<=',
    factor: 1,
    reference: bound(16),
  },
  { id: 'boot_4g', source: 'issue 2', figure: 'boot_4g_ms', relation: '<', factor: 1, reference: bound(200) },
  {
    id: 'step_back_vs_next_100k',
    source: 'issue 4',
    figure: 'step_back_latency_100k_ms',
    relation: '<=',
    factor: 2,
    reference: figure('next_latency_100k_ms'),
  },
  {
    id: 'step_back_vs_next_10',
    source: 'issue 4',
    figure: 'step_back_latency_10_ms',
    relation: '<=',
    factor: 2,
    reference: figure('next_latency_10_ms'),
  },
  {
    id: 'next_large_vs_small',
    source: 'issue 4',
    figure: 'next_latency_100k_ms',
    relation: '<=',
    factor: 1.5,
    reference: figure('next_latency_10_ms'),
  },
  {
    id: 'step_back_large_vs_small',
    source: 'issue 4',
    figure: 'step_back_latency_100k_ms',
    relation: '<=',
    factor: 1.5,
    reference: figure('step_back_latency_10_ms'),
  },
  {
    id: 'recording_bytes_200k_pages',
    source: 'issue 12',
    figure: 'recording_bytes_per_step_200k_pages',
    relation: '<=',
    factor: 1,
    reference: bound(256),
  },
  {
    id: 'recording_bytes_1m_loop',
    source: 'issue 12',
    figure: 'recording_bytes_per_step_1m_loop',
    relation: '<=',
    factor: 1,
    reference: bound(256),
  },
  {
    id: 'adapter_peak_rss_200k_pages',
    source: 'issue 12',
    figure: 'adapter_peak_rss_200k_pages_mb',
    relation: '<=',
    factor: 1,
    reference: bound(400),
  },
  {
    id: 'step_back_median',
    source: 'issue 12',
    figure: 'step_back_median_ms',
    relation: '<=',
    factor: 1,
    reference: bound(50),
  },
  {
    id: 'step_back_worst',
    source: 'issue 12',
    figure: 'step_back_worst_ms',
    relation: '<=',
    factor: 1,
    reference: bound(2000),
  },
  {
    id: 'pause_latency',
    source: 'issue 12',
    figure: 'pause_latency_empty_loop_ms',
    relation: '<=',
    factor: 1,
    reference: bound(100),
  },
  {
    id: 'pte_panel_first_paint',
    source: 'issue 6',
    figure: 'pte_panel_first_paint_1m_ms',
    relation: '<=',
    factor: 2,
    reference: figure('pte_panel_first_paint_10_ms'),
  },
  {
    id: 'scenario_zero_fault_steps',
    source: 'issue 12',
    figure: 'scenario_zero_fault_steps_per_s',
    relation: '>=',
    factor: 0.25,
    reference: figure('zero_faults_per_s'),
  },
  {
    id: 'cli_run_peak_rss_200k_pages',
    source: 'issue 12',
    figure: 'cli_run_peak_rss_200k_pages_mb',
    relation: '<=',
    factor: 1,
    reference: bound(300),
  },
  {
    id: 'cli_check_1mb_time',
    source: 'issue 13',
    figure: 'cli_check_1mb_worst_ms',
    relation: '<=',
    factor: 1,
    reference: bound(2000),
  },
  {
    id: 'cli_check_1mb_memory',
    source: 'issue 13',
    figure: 'cli_check_1mb_worst_peak_mb',
    relation: '<=',
    factor: 1,
    reference: bound(300),
  },
  {
    id: 'hostile_run_time',
    source: 'issue 13',
    figure: 'hostile_run_worst_ms',
    relation: '<=',
    factor: 1,
    reference: bound(20_000),
  },
  {
    id: 'hostile_run_memory',
    source: 'issue 13',
    figure: 'hostile_run_worst_peak_mb',
    relation: '<=',
    factor: 1,
    reference: bound(1536),
  },
  {
    id: 'panel_repaint_dma_mmio',
    source: 'issue 12',
    figure: 'panel_repaint_dma_mmio_ms',
    relation: '<=',
    factor: 1,
    reference: bound(150),
  },
  {
    id: 'panel_repaint_100k',
    source: 'issue 12',
    figure: 'panel_repaint_100k_pages_ms',
    relation: '<=',
    factor: 1,
    reference: bound(150),
  },
  {
    id: 'panel_repaint_10',
    source: 'issue 12',
    figure: 'panel_repaint_10_pages_ms',
    relation: '<=',
    factor: 1,
    reference: bound(150),
  },
  {
    id: 'panel_repaint_large_vs_small',
    source: 'issue 12',
    figure: 'panel_repaint_100k_pages_ms',
    relation: '<=',
    factor: 1.5,
    reference: figure('panel_repaint_10_pages_ms'),
  },
];

/**
 * An asynchronous provider (a browser, say) that takes longer than this is reported as failed,
 * unless its row allows it more (`timeoutMs`).
 */
const PROVIDER_TIMEOUT_MS = 180_000;

const log = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

interface MeasuredFigures {
  readonly figures: FigureSet;
  readonly problems: string[];
  /** Why each asked-for figure is missing. */
  readonly absent: Record<string, string>;
}

async function measureFigures(selection: Selection, options: BenchOptions): Promise<MeasuredFigures> {
  const figures: FigureSet = {};
  const problems: string[] = [];
  const absent: Record<string, string> = {};
  for (const entry of selection.providers) {
    log(`provider ${entry.name}`);
    const outcome = await runProvider(entry, options, __dirname, entry.timeoutMs ?? PROVIDER_TIMEOUT_MS);
    if (outcome.failure !== undefined) problems.push(outcome.failure);
    problems.push(...outcome.problems);
    for (const [name, value] of Object.entries(outcome.figures))
      if (selection.wants(name, entry.name)) figures[name] = value;
    const reason = outcome.failure ?? outcome.unavailable ?? `${entry.exportName} did not return it`;
    for (const name of entry.figures)
      if (selection.figures.has(name) && !(name in figures)) absent[name] = reason;
  }
  return { figures, problems, absent };
}

export type MeasureResult =
  | { readonly kind: 'report'; readonly report: JsonReport }
  | { readonly kind: 'usage'; readonly text: string; readonly exitCode: number };

export async function measure(argv: readonly string[]): Promise<MeasureResult> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) return { kind: 'usage', text: `${parsed.error}\n${USAGE}\n`, exitCode: 2 };
  const { options } = parsed;
  if (options.help) return { kind: 'usage', text: `${USAGE}\n`, exitCode: 0 };
  const selection = select(
    options.only,
    PROVIDERS,
    GOALS,
    HOST_BASELINES.map((b) => b.name),
  );
  if (selection.unknown.length > 0) {
    const text = `--only ${selection.unknown.join(', ')} selects nothing\n${USAGE}\n`;
    return { kind: 'usage', text, exitCode: 2 };
  }

  const started = performance.now();
  const root = path.resolve(__dirname, '..', '..');
  const host = await measureHostBaselines(
    HOST_BASELINES.filter((b) => selection.baselines.has(b.name)),
    {
      quick: options.quick,
      sourceDir: path.join(root, 'bench', 'host'),
      binaryDir: path.join(__dirname, 'host'),
      log,
    },
  );
  const baselines: Record<string, number> = {};
  const baselineDetails: Record<string, Record<string, unknown>> = {};
  const baselineReasons: Record<string, string> = {};
  for (const m of host.measurements) {
    const measures = HOST_BASELINES.find((b) => b.name === m.name)?.measures ?? '';
    if (m.value === null) baselineReasons[m.name] = m.reason ?? 'not measured';
    else {
      baselines[m.name] = m.value;
      baselineDetails[m.name] = { measures, ...m.details };
    }
  }

  const { figures, problems, absent } = await measureFigures(selection, {
    quick: options.quick,
    wants: (name) => selection.figures.has(name),
    log,
  });
  const report = buildJsonReport({
    figures,
    baselines,
    goals: evaluateGoals(selection.goals, figures, baselines),
    run: {
      quick: options.quick,
      only: options.only,
      absent: { ...absent, ...baselineReasons },
      problems,
      baseline_details: baselineDetails,
      compiler: host.compiler,
      node: process.version,
      duration_s: Number(((performance.now() - started) / 1000).toFixed(2)),
    },
  });
  return { kind: 'report', report };
}

/**
 * Keeps stdout for the report alone: while measuring, anything a provider writes to stdout goes to
 * stderr, so `--json` prints exactly one JSON object.
 */
async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  let output: string;
  let exitCode = 0;
  try {
    const result = await measure(process.argv.slice(2));
    if (result.kind === 'usage') {
      output = result.text;
      exitCode = result.exitCode;
    } else {
      output = json ? `${JSON.stringify(result.report, null, 2)}\n` : formatTable(result.report);
    }
  } catch (error) {
    output = '';
    exitCode = 1;
    process.stderr.write(
      `benchmark runner failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  } finally {
    process.stdout.write = stdoutWrite;
  }
  const target = exitCode === 2 ? process.stderr : process.stdout;
  // Exit explicitly once written: a provider may leave a handle (a browser, a timer) open.
  target.write(output, () => process.exit(exitCode));
}

if (require.main === module) void main();
