// Recording figures: what the debugger's history costs in memory, how fast one steps back through
// it, and how quickly a pause lands. Two scenarios: one that writes a byte into each of 200,000
// fresh pages (a large, growing state) and a loop of a million cheap steps (a long history).
//
// - recording_bytes_per_step_*: memory held after running the scenario to its end under the
//   debugger, minus memory held after running it on the bare interpreter, over the steps; each run
//   in a fresh child process (recordingProbe.ts), measured after full garbage collections.
// - adapter_peak_rss_200k_pages_mb: the peak resident set size of the real debug adapter
//   (dist/debugAdapter.js) that ran the 200,000-page scenario to its end (Linux: VmHWM).
// - step_back_median_ms / step_back_worst_ms: in that adapter, from random positions reached with
//   goto, 40 step backs in a row each, request to stop with the stop's state fetched.
// - pause_latency_empty_loop_ms: the median time from a pause request to the stop while the adapter
//   runs a loop whose body has no step.
import { type ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ADAPTER, ensureAdapterBuilt } from '../test/dap/support';
import { StreamClient } from './dapClient';
import { fetchStopState, median, timedStop } from './debugBenchmarks';
import type { ProbeResult } from './recordingProbe';
import type { BenchOptions, FigureSet } from './providers';
import { zeroFaultScenario } from './zeroFaultScenario';

const PROBE = path.join(__dirname, 'recordingProbe.js');

/** A loop of `steps` steps in all (the let, the repeat and one step per iteration). */
function loopScenario(steps: number): string {
  return ['machine ram=64M', 'let x = 0', `repeat i in 0..${steps - 2} {`, '  let x = x + 1', '}', ''].join(
    '\n',
  );
}

const EMPTY_LOOP = ['repeat i in 0..0xFFFFFFFFFFFFFFFF {', '}', ''].join('\n');

function probe(file: string, mode: 'recorded' | 'plain'): ProbeResult {
  const out = execFileSync(process.execPath, ['--expose-gc', PROBE, file, mode], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as ProbeResult;
}

function bytesPerStep(file: string, log: (message: string) => void): number {
  const recorded = probe(file, 'recorded');
  const plain = probe(file, 'plain');
  const perStep = (recorded.heldBytes - plain.heldBytes) / recorded.steps;
  log(
    `recording: ${path.basename(file)}: ${recorded.steps} steps, ${(recorded.heldBytes / 1048576).toFixed(1)} MB held recorded, ${(plain.heldBytes / 1048576).toFixed(1)} MB plain, ${recorded.checkpoints} checkpoints: ${perStep.toFixed(1)} bytes a step`,
  );
  return Math.round(perStep * 10) / 10;
}

/** A debug adapter in a child process, talked to over its stdio. */
class AdapterProcess {
  readonly client: StreamClient;
  private readonly child: ChildProcess;

  constructor() {
    this.child = spawn(process.execPath, [ADAPTER], { stdio: ['pipe', 'pipe', 'ignore'] });
    const stdin = this.child.stdin!;
    this.client = new StreamClient((text) => stdin.write(text), this.child.stdout!);
  }

  /** Initializes and launches `program`, resolving at its first stop. */
  async launch(program: string, args: object = {}): Promise<void> {
    const client = this.client;
    await client.request('initialize', { adapterID: 'mmu', pathFormat: 'path', linesStartAt1: true });
    const initialized = client.event('initialized');
    const stopped = client.event('stopped');
    const launched = client.request('launch', { program, ...args });
    await initialized;
    await client.request('configurationDone');
    await launched;
    await stopped;
    await fetchStopState(client);
  }

  /** The peak resident set size so far, in MB (Linux's VmHWM), or undefined where it cannot be read. */
  peakRssMb(): number | undefined {
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.client.request('disconnect').catch(() => undefined);
    this.child.kill();
  }
}

/** A seeded sequence of positions in [1, furthest], the same in every run. */
function positions(count: number, furthest: number): number[] {
  let seed = 12345;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out.push(1 + Math.floor((seed / 2147483648) * furthest));
  }
  return out;
}

async function stepBackFigures(
  adapter: AdapterProcess,
  furthest: number,
  starts: number,
  log: (message: string) => void,
): Promise<{ median: number; worst: number }> {
  const times: number[] = [];
  for (const position of positions(starts, furthest)) {
    await timedStop(adapter.client, 'goto', { threadId: 1, targetId: position + 1 });
    for (let i = 0; i < 40 && i < position; i++) times.push(await timedStop(adapter.client, 'stepBack'));
  }
  const worst = Math.max(...times);
  log(
    `recording: ${times.length} step backs from ${starts} positions: median ${median(times).toFixed(2)} ms, worst ${worst.toFixed(0)} ms`,
  );
  return { median: Math.round(median(times) * 100) / 100, worst: Math.round(worst) };
}

async function pauseLatency(file: string, rounds: number): Promise<number> {
  const adapter = new AdapterProcess();
  try {
    await adapter.launch(file, { stopOnEntry: true, stepBudget: 1e12 });
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await adapter.client.request('continue', { threadId: 1 });
      await new Promise((resolve) => setTimeout(resolve, 150));
      const stopped = adapter.client.event('stopped');
      const started = performance.now();
      await adapter.client.request('pause', { threadId: 1 });
      await stopped;
      times.push(performance.now() - started);
      await fetchStopState(adapter.client);
    }
    return Math.round(median(times) * 100) / 100;
  } finally {
    await adapter.close();
  }
}

export async function recordingBenchmarks(options?: BenchOptions): Promise<FigureSet> {
  const log = options?.log ?? (() => undefined);
  const quick = options?.quick === true;
  const pages = quick ? 20_000 : 200_000;
  const loopSteps = quick ? 100_000 : 1_000_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmu-lens-recording-'));
  try {
    const pagesFile = path.join(dir, 'pages.mmu');
    const loopFile = path.join(dir, 'loop.mmu');
    const emptyLoopFile = path.join(dir, 'empty-loop.mmu');
    fs.writeFileSync(pagesFile, zeroFaultScenario(pages));
    fs.writeFileSync(loopFile, loopScenario(loopSteps));
    fs.writeFileSync(emptyLoopFile, EMPTY_LOOP);
    const figures: FigureSet = {};
    log(`recording: memory a step over ${pages} pages and over a loop of ${loopSteps} steps`);
    figures['recording_bytes_per_step_200k_pages'] = bytesPerStep(pagesFile, log);
    figures['recording_bytes_per_step_1m_loop'] = bytesPerStep(loopFile, log);
    ensureAdapterBuilt();
    log(`recording: the debug adapter runs the ${pages}-page scenario to its end`);
    const adapter = new AdapterProcess();
    try {
      await adapter.launch(pagesFile);
      const peak = adapter.peakRssMb();
      if (peak !== undefined) figures['adapter_peak_rss_200k_pages_mb'] = peak;
      const back = await stepBackFigures(adapter, pages + 2, quick ? 5 : 15, log);
      figures['step_back_median_ms'] = back.median;
      figures['step_back_worst_ms'] = back.worst;
    } finally {
      await adapter.close();
    }
    figures['pause_latency_empty_loop_ms'] = await pauseLatency(emptyLoopFile, quick ? 5 : 15);
    return figures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
