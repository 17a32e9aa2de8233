import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeGoal, evaluateGoal, evaluateGoals, type Goal } from '../../bench/goals';
import { measureChildPeakRss, spawnWithPeakRss } from '../../bench/childPeakRss';
import { parseHostOutput } from '../../bench/hostBaselines';
import { parseArgs, select } from '../../bench/options';
import { runProvider, validateFigures, type BenchOptions, type ProviderEntry } from '../../bench/providers';
import { buildJsonReport, figuresOf, formatRatio, formatTable, type ReportInput } from '../../bench/report';
import { GOALS, HOST_BASELINES, measure, PROVIDERS } from '../../bench/run';

const faultGoal: Goal = {
  id: 'zero_faults',
  source: 'issue 2',
  figure: 'zero_faults_per_s',
  relation: '>=',
  factor: 2,
  reference: { kind: 'baseline', name: 'host_anon_faults_per_s' },
};
const bootGoal: Goal = {
  id: 'boot_4g',
  source: 'issue 2',
  figure: 'boot_4g_ms',
  relation: '<',
  factor: 1,
  reference: { kind: 'constant', value: 200 },
};

describe('benchmark goals', () => {
  it('divide the figure by its baseline and pass when the ratio reaches the factor', () => {
    const result = evaluateGoal(
      faultGoal,
      { zero_faults_per_s: 900_000 },
      { host_anon_faults_per_s: 300_000 },
    );
    assert.strictEqual(result.ratio, 3);
    assert.strictEqual(result.verdict, 'pass');
    assert.strictEqual(result.reference_value, 300_000);
    assert.strictEqual(result.reference_kind, 'baseline');
  });

  it('miss when the ratio falls short, and count an exact tie as reaching >=', () => {
    const baselines = { host_anon_faults_per_s: 300_000 };
    assert.strictEqual(evaluateGoal(faultGoal, { zero_faults_per_s: 599_999 }, baselines).verdict, 'miss');
    assert.strictEqual(evaluateGoal(faultGoal, { zero_faults_per_s: 600_000 }, baselines).verdict, 'pass');
  });

  it('treat a strict bound strictly: 200 ms is not under 200 ms', () => {
    assert.strictEqual(evaluateGoal(bootGoal, { boot_4g_ms: 199.9 }, {}).verdict, 'pass');
    const atBound = evaluateGoal(bootGoal, { boot_4g_ms: 200 }, {});
    assert.strictEqual(atBound.verdict, 'miss');
    assert.strictEqual(atBound.ratio, 1);
    assert.strictEqual(atBound.reference_kind, 'constant');
  });

  it('compare a figure with another figure of the same run', () => {
    const goal = GOALS.find((g) => g.id === 'step_back_vs_next_100k');
    assert.ok(goal);
    const figures = { step_back_latency_100k_ms: 30, next_latency_100k_ms: 10 };
    const result = evaluateGoal(goal, figures, {});
    assert.strictEqual(result.ratio, 3);
    assert.strictEqual(result.verdict, 'miss');
  });

  it('are absent, never passed or missed, when the figure or the reference was not measured', () => {
    const noFigure = evaluateGoal(faultGoal, {}, { host_anon_faults_per_s: 1 });
    assert.strictEqual(noFigure.verdict, 'absent');
    assert.strictEqual(noFigure.value, null);
    assert.match(noFigure.reason ?? '', /zero_faults_per_s was not measured/);
    const noBaseline = evaluateGoal(faultGoal, { zero_faults_per_s: 5 }, {});
    assert.strictEqual(noBaseline.verdict, 'absent');
    assert.match(noBaseline.reason ?? '', /host baseline host_anon_faults_per_s/);
    const zeroBaseline = evaluateGoal(faultGoal, { zero_faults_per_s: 5 }, { host_anon_faults_per_s: 0 });
    assert.strictEqual(zeroBaseline.verdict, 'absent');
    assert.strictEqual(zeroBaseline.ratio, null);
  });

  it('read as a sentence', () => {
    assert.strictEqual(describeGoal(faultGoal), 'zero_faults_per_s >= 2 x host_anon_faults_per_s');
    assert.strictEqual(describeGoal(bootGoal), 'boot_4g_ms < 200');
  });
});

describe('the benchmark tables', () => {
  const declared = PROVIDERS.flatMap((provider) => provider.figures);

  it('declare each figure once, under a name the report does not reserve', () => {
    assert.strictEqual(new Set(declared).size, declared.length);
    for (const name of ['baselines', 'goals', 'run']) assert.ok(!declared.includes(name));
  });

  it('give every goal a declared figure and a reference that exists', () => {
    const baselineNames = HOST_BASELINES.map((b) => b.name);
    assert.strictEqual(new Set(GOALS.map((g) => g.id)).size, GOALS.length);
    for (const goal of GOALS) {
      assert.ok(declared.includes(goal.figure), `${goal.id}: ${goal.figure} is not declared`);
      if (goal.reference.kind === 'baseline') assert.ok(baselineNames.includes(goal.reference.name), goal.id);
      if (goal.reference.kind === 'figure') assert.ok(declared.includes(goal.reference.name), goal.id);
    }
  });

  it('hold the bars of issues 2, 4, 6, 12 and 13', () => {
    const bars = Object.fromEntries(GOALS.map((g) => [g.id, describeGoal(g)]));
    assert.deepStrictEqual(bars, {
      zero_faults: 'zero_faults_per_s >= 2 x host_anon_faults_per_s',
      cow_faults: 'cow_faults_per_s >= host_cow_faults_per_s',
      mmap_munmap: 'mmap_munmap_per_s >= host_mmap_munmap_per_s',
      translate_random: 'translate_random_per_s >= js_page_walk_per_s',
      bytes_per_frame: 'bytes_per_frame <= 16',
      boot_4g: 'boot_4g_ms < 200',
      step_back_vs_next_100k: 'step_back_latency_100k_ms <= 2 x next_latency_100k_ms',
      step_back_vs_next_10: 'step_back_latency_10_ms <= 2 x next_latency_10_ms',
      next_large_vs_small: 'next_latency_100k_ms <= 1.5 x next_latency_10_ms',
      step_back_large_vs_small: 'step_back_latency_100k_ms <= 1.5 x step_back_latency_10_ms',
      pte_panel_first_paint: 'pte_panel_first_paint_1m_ms <= 2 x pte_panel_first_paint_10_ms',
      scenario_zero_fault_steps: 'scenario_zero_fault_steps_per_s >= 0.25 x zero_faults_per_s',
      cli_run_peak_rss_200k_pages: 'cli_run_peak_rss_200k_pages_mb <= 300',
      recording_bytes_200k_pages: 'recording_bytes_per_step_200k_pages <= 256',
      recording_bytes_1m_loop: 'recording_bytes_per_step_1m_loop <= 256',
      adapter_peak_rss_200k_pages: 'adapter_peak_rss_200k_pages_mb <= 400',
      step_back_median: 'step_back_median_ms <= 50',
      step_back_worst: 'step_back_worst_ms <= 2000',
      pause_latency: 'pause_latency_empty_loop_ms <= 100',
      cli_check_1mb_time: 'cli_check_1mb_worst_ms <= 2000',
      cli_check_1mb_memory: 'cli_check_1mb_worst_peak_mb <= 300',
      hostile_run_time: 'hostile_run_worst_ms <= 20000',
      hostile_run_memory: 'hostile_run_worst_peak_mb <= 1536',
      panel_repaint_dma_mmio: 'panel_repaint_dma_mmio_ms <= 150',
      panel_repaint_100k: 'panel_repaint_100k_pages_ms <= 150',
      panel_repaint_10: 'panel_repaint_10_pages_ms <= 150',
      panel_repaint_large_vs_small: 'panel_repaint_100k_pages_ms <= 1.5 x panel_repaint_10_pages_ms',
    });
  });
});

describe('the JSON report', () => {
  const figures = { zero_faults_per_s: 1_000_000, boot_4g_ms: 250, fork_65536_ms: 12 };
  const baselines = { host_anon_faults_per_s: 400_000 };
  const input: ReportInput = {
    figures,
    baselines,
    goals: evaluateGoals(
      [faultGoal, bootGoal, GOALS.find((g) => g.id === 'cow_faults') as Goal],
      figures,
      baselines,
    ),
    run: {
      quick: false,
      only: [],
      absent: { cow_faults_per_s: 'engineBenchmarks did not return it' },
      problems: [],
      baseline_details: { host_anon_faults_per_s: { measures: 'zero-fill faults', samples: [1, 2, 3] } },
      compiler: 'cc',
      node: 'v20',
      duration_s: 1,
    },
  };

  it('puts figures at the top level beside baselines, goals and run, and survives a JSON round trip', () => {
    const report = JSON.parse(JSON.stringify(buildJsonReport(input))) as Record<string, unknown>;
    assert.deepStrictEqual(Object.keys(report).sort(), [
      'baselines',
      'boot_4g_ms',
      'fork_65536_ms',
      'goals',
      'run',
      'zero_faults_per_s',
    ]);
    assert.strictEqual(report['zero_faults_per_s'], 1_000_000);
    assert.deepStrictEqual(report['baselines'], baselines);
    const goals = report['goals'] as Record<string, { verdict: string; ratio: number | null }>;
    assert.deepStrictEqual(
      Object.fromEntries(Object.entries(goals).map(([id, g]) => [id, [g.verdict, g.ratio]])),
      { zero_faults: ['pass', 2.5], boot_4g: ['miss', 1.25], cow_faults: ['absent', null] },
    );
    assert.deepStrictEqual((report['run'] as { summary: unknown }).summary, { pass: 1, miss: 1, absent: 1 });
  });

  it('yields back exactly its figures', () => {
    assert.deepStrictEqual(figuresOf(buildJsonReport(input)), figures);
  });

  it('reads as a table with a mark per goal, the ungoaled figures and the reasons for absence', () => {
    const table = formatTable(buildJsonReport(input));
    assert.match(
      table,
      /zero_faults_per_s\s+1,000,000\s+>= 2 x host_anon_faults_per_s\s+host_anon_faults_per_s = 400,000\s+2\.50x\s+PASS/,
    );
    assert.match(table, /boot_4g_ms\s+250\s+< 200\s+\(fixed bound\)\s+1\.25x\s+MISS/);
    assert.match(table, /cow_faults_per_s\s+-.*ABSENT/);
    assert.match(table, /fork_65536_ms\s+12\s+\(no goal\)/);
    assert.match(table, /cow_faults_per_s: engineBenchmarks did not return it/);
    assert.match(table, /Goals: 1 pass, 1 miss, 1 absent/);
  });

  it('never prints a missed ratio as if it sat on the factor', () => {
    assert.strictEqual(formatRatio(0.4977, 0.5), '0.498x');
    assert.strictEqual(formatRatio(0.49999, 0.5), '0.49999x');
    assert.strictEqual(formatRatio(0.5, 0.5), '0.50x');
    assert.strictEqual(formatRatio(2.5, 2), '2.50x');
    assert.strictEqual(formatRatio(null, 2), '-');
  });
});

describe('host baseline output', () => {
  it('gives the per_s rate and keeps the rest as details', () => {
    const parsed = parseHostOutput(
      '{"per_s": 4.5e5, "pages": 100, "minor_faults_per_run": 100, "samples": [1]}\n',
    );
    assert.deepStrictEqual(parsed, {
      ok: true,
      value: 450_000,
      details: { pages: 100, minor_faults_per_run: 100, samples: [1] },
    });
  });

  it('rejects output that is not a JSON object with a positive rate', () => {
    for (const output of ['', 'fast', '[1]', '{"per_s": 0}', '{"per_s": "1"}', '{"rate": 5}']) {
      assert.strictEqual(parseHostOutput(output).ok, false, output);
    }
  });

  it('rejects a fault rate when the kernel did not fault about once per page', () => {
    const parsed = parseHostOutput('{"per_s": 1e9, "pages": 65536, "minor_faults_per_run": 128}');
    assert.strictEqual(parsed.ok, false);
    assert.match(parsed.ok ? '' : parsed.reason, /128 minor faults for 65536 pages/);
  });
});

describe('benchmark options', () => {
  it('read --json, --quick and repeated or comma-separated --only', () => {
    assert.deepStrictEqual(parseArgs(['--json', '--quick', '--only', 'a,b', '--only=c']), {
      ok: true,
      options: { json: true, quick: true, help: false, only: ['a', 'b', 'c'] },
    });
  });

  it('refuse unknown arguments and an --only without a name', () => {
    assert.deepStrictEqual(parseArgs(['--fast']), { ok: false, error: "unknown argument '--fast'" });
    assert.strictEqual(parseArgs(['--only']).ok, false);
    assert.strictEqual(parseArgs(['--only', '--json']).ok, false);
  });

  const baselineNames = HOST_BASELINES.map((b) => b.name);

  it('select everything without --only', () => {
    const selection = select([], PROVIDERS, GOALS, baselineNames);
    assert.strictEqual(selection.goals.length, GOALS.length);
    assert.strictEqual(selection.providers.length, PROVIDERS.length);
    assert.strictEqual(selection.baselines.size, baselineNames.length);
  });

  it('bring along the baseline a selected figure is judged against, and nothing else', () => {
    const selection = select(['zero_faults'], PROVIDERS, GOALS, baselineNames);
    assert.deepStrictEqual([...selection.figures], ['zero_faults_per_s']);
    assert.deepStrictEqual([...selection.baselines], ['host_anon_faults_per_s']);
    assert.deepStrictEqual(
      selection.providers.map((p) => p.name),
      ['engine'],
    );
    assert.deepStrictEqual(
      selection.goals.map((g) => g.id),
      ['zero_faults'],
    );
    assert.ok(selection.wants('zero_faults_per_s', 'engine'));
    assert.ok(!selection.wants('boot_4g_ms', 'engine'));
  });

  it('select a provider by name with the reference figures of its goals', () => {
    const selection = select(['debug'], PROVIDERS, GOALS, baselineNames);
    assert.strictEqual(selection.figures.size, 4);
    assert.strictEqual(selection.goals.length, 4);
    assert.strictEqual(selection.baselines.size, 0);
    assert.ok(selection.wants('an_extra_figure_ms', 'debug'), 'extra figures of a named provider are kept');
    assert.ok(!selection.wants('an_extra_figure_ms', 'engine'));
  });

  it('report names that select nothing', () => {
    assert.deepStrictEqual(select(['nonsense', 'boot'], PROVIDERS, GOALS, baselineNames).unknown, [
      'nonsense',
    ]);
  });
});

describe('benchmark providers', () => {
  let dir: string;
  const options: BenchOptions = { quick: true, wants: () => true, log: () => undefined };
  const entry = (module: string, exportName = 'measure'): ProviderEntry => ({
    name: module,
    module: `./${module}`,
    exportName,
    figures: ['a_per_s'],
  });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmu-lens-bench-'));
    const modules: Record<string, string> = {
      good: 'exports.measure = async (options) => ({ a_per_s: options.quick ? 1 : 2 });',
      throws: "exports.measure = () => { throw new Error('engine not ready'); };",
      hangs: 'exports.measure = () => new Promise(() => {});',
      notAFunction: 'exports.measure = 42;',
      badValues: "exports.measure = () => ({ a_per_s: 3, b: NaN, c: 'fast', goals: 1 });",
      cannot: `const { unavailable } = require(${JSON.stringify(path.resolve(__dirname, '../../bench/providers'))});
        exports.measure = () => { throw unavailable('no browser on this machine'); };`,
    };
    for (const [name, text] of Object.entries(modules)) fs.writeFileSync(path.join(dir, `${name}.js`), text);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('pass the options to the provider and return its figures', async () => {
    assert.deepStrictEqual(await runProvider(entry('good'), options, dir, 5000), {
      provider: 'good',
      figures: { a_per_s: 1 },
      problems: [],
    });
  });

  it('turn a missing module, a throw, a hang and a missing export into a failure, not a crash', async () => {
    const failures = await Promise.all(
      [entry('missing'), entry('throws'), entry('hangs'), entry('notAFunction')].map(async (e) => {
        const outcome = await runProvider(e, options, dir, 50);
        assert.deepStrictEqual(outcome.figures, {});
        return outcome.failure ?? '';
      }),
    );
    assert.match(failures[0] ?? '', /bench\/missing\.ts does not exist yet/);
    assert.match(failures[1] ?? '', /measure failed: engine not ready/);
    assert.match(failures[2] ?? '', /did not finish/);
    assert.match(failures[3] ?? '', /no exported function measure/);
  });

  it('report a provider that cannot measure on this machine as unavailable, not as failed', async () => {
    assert.deepStrictEqual(await runProvider(entry('cannot'), options, dir, 5000), {
      provider: 'cannot',
      figures: {},
      unavailable: 'no browser on this machine',
      problems: [],
    });
  });

  it('keep only finite numbers under names the report does not reserve', async () => {
    const outcome = await runProvider(entry('badValues'), options, dir, 5000);
    assert.deepStrictEqual(outcome.figures, { a_per_s: 3 });
    assert.strictEqual(outcome.problems.length, 3);
    assert.deepStrictEqual(validateFigures('p', [1]).problems, [
      'p returned an array, not an object of figures',
    ]);
  });
});

describe('the peak memory of a child process', function () {
  this.timeout(30000);
  let dir = '';
  const program = (name: string, text: string): string => {
    const file = path.join(dir, `${name}.js`);
    fs.writeFileSync(file, text);
    return file;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-peak-rss-'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('counts memory the program touched, even when it leaves through process.exit', async () => {
    const small = await measureChildPeakRss(program('small', "process.stdout.write('hi');"));
    const large = await measureChildPeakRss(
      program(
        'large',
        'const b = Buffer.alloc(400 * 1024 * 1024, 1); console.log(process.argv[2], b[12345]); process.exit(3);',
      ),
      { args: ['passed'] },
    );
    assert.strictEqual(small.exitCode, 0);
    assert.strictEqual(small.stdout, 'hi');
    assert.strictEqual(large.exitCode, 3);
    assert.strictEqual(large.stdout, 'passed 1\n');
    assert.ok(large.peakRssMb >= 400, `peak ${large.peakRssMb} MiB`);
    assert.ok(
      small.peakRssMb > 0 && small.peakRssMb < large.peakRssMb / 2,
      `small ${small.peakRssMb} MiB, large ${large.peakRssMb} MiB`,
    );
  });

  it('reports a program that throws, and rejects one killed before it can report', async () => {
    const thrown = await measureChildPeakRss(program('throws', "throw new Error('boom');"));
    assert.strictEqual(thrown.exitCode, 1);
    assert.match(thrown.stderr, /boom/);
    const { child, result } = spawnWithPeakRss(program('waits', 'setInterval(() => {}, 1000);'));
    child.kill('SIGKILL');
    await assert.rejects(result, /killed by SIGKILL before it reported its peak memory/);
  });
});

describe('a benchmark run without Chromium', () => {
  const saved = process.env['MMU_LENS_CHROMIUM'];
  const missing = path.join(os.tmpdir(), 'mmu-lens-no-such-dir', 'chromium');

  before(() => {
    process.env['MMU_LENS_CHROMIUM'] = missing;
  });

  after(() => {
    if (saved === undefined) delete process.env['MMU_LENS_CHROMIUM'];
    else process.env['MMU_LENS_CHROMIUM'] = saved;
  });

  it('reports the browser figures absent with the reason, and no problem', async () => {
    const result = await measure(['--only', 'webview,panels']);
    assert.strictEqual(result.kind, 'report');
    if (result.kind !== 'report') return;
    const { run, goals } = result.report;
    const browserFigures = PROVIDERS.filter((p) => ['webview', 'panels'].includes(p.name)).flatMap(
      (p) => p.figures,
    );
    assert.deepStrictEqual(Object.keys(run.absent).sort(), [...browserFigures].sort());
    for (const name of browserFigures) {
      assert.strictEqual(
        run.absent[name],
        `Chromium not found at ${missing} (set MMU_LENS_CHROMIUM to a Chromium binary, or install Debian's: apt-get install -y chromium)`,
      );
    }
    assert.deepStrictEqual(run.problems, []);
    for (const id of ['pte_panel_first_paint', 'panel_repaint_dma_mmio', 'panel_repaint_large_vs_small'])
      assert.strictEqual(goals[id]?.verdict, 'absent', id);
  });
});
