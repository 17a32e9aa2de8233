// Hostile input benchmarks: the worst time and peak memory of the CLI (the bundle users run, as a
// child process) on inputs made to hurt it.
//
// cli_check_1mb_worst_ms / cli_check_1mb_worst_peak_mb: `mmu-lens check` on 1 MB files of deep
//   parentheses, one sum of a quarter million terms, one unknown name of a million characters,
//   thousands of nested blocks, long member chains and a file of 20,000 ordinary statements; the
//   worst of them (wall time including Node's start, which the table shows beside it).
// hostile_run_worst_ms / hostile_run_worst_peak_mb: `mmu-lens run` on the small scenarios that
//   once took seconds and gigabytes: huge files and file mappings, memory far above the RAM the
//   machine simulates, a loop without a body over 2^64 iterations.
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { measureChildPeakRss } from './childPeakRss';
import { CLI, ROOT, ensureCliBundle } from './memoryBenchmarks';
import type { BenchOptions, FigureSet } from './providers';

const MB = 1_000_000;

/** Repeats `unit` until the text is one megabyte. */
const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);

/** The 1 MB files `check` is run on, by name. */
export function checkInputs(): Record<string, string> {
  const half = MB / 2 - 20;
  return {
    'deep-parentheses': `process p\nlet x = ${'('.repeat(half)}1${')'.repeat(half)}\n`,
    'long-sum': `process p\nlet x = ${fill('1 + ')}1\n`,
    'unknown-name': `process p\nlet x = ${'a'.repeat(MB - 20)}\n`,
    'nested-blocks': `process p\n${fill('repeat i in 0..1 {\n')}\n`,
    'member-chain': `process p\nlet x = p${fill('.size')}\n`,
    statements: fill('let x = mmap(p, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, null, 0)\n'),
  };
}

/** The scenarios `run` is run on, by name. */
export function runInputs(): Record<string, string> {
  return {
    'file-8g': 'file "/x" size=8G\nprocess p\n',
    'file-4g-filled': 'file "/x" size=4G fill=0x41\nprocess p\nlet fd = open(p, "/x", O_RDWR)\n',
    'file-mapping-1t': [
      'file "/z" size=4096',
      'process p',
      'let fd = open(p, "/z", O_RDWR)',
      'mmap(p, 0, 1024G, PROT_READ, MAP_SHARED, fd, 0) => ENOMEM',
    ].join('\n'),
    'anonymous-256g': [
      'machine ram=2G',
      'process p',
      'mmap(p, 0, 256G, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, null, 0)',
    ].join('\n'),
    'ram-1t': 'machine ram=1024G\nprocess p\n',
    'memory-near-2^52': 'memory usable 0x100000+64M\nmemory usable 0xF000000000000+16M\nprocess p\n',
    'empty-loop-2^64': 'process p\nrepeat i in 0..0xFFFFFFFFFFFFFFFF {\n}\n',
  };
}

interface Worst {
  ms: number;
  peakMb: number;
}

async function worstOf(
  inputs: Record<string, string>,
  command: 'check' | 'run',
  directory: string,
  options: BenchOptions,
): Promise<Worst> {
  const worst: Worst = { ms: 0, peakMb: 0 };
  for (const [name, text] of Object.entries(inputs)) {
    const file = path.join(directory, `${name}.mmu`);
    writeFileSync(file, text);
    const started = performance.now();
    const result = await measureChildPeakRss(CLI, { args: [command, file], cwd: ROOT, timeoutMs: 120_000 });
    const ms = performance.now() - started;
    // 0: passed, 1: a step failed, 2: a check error; anything else is a crash.
    if (result.exitCode > 2)
      throw new Error(
        `mmu-lens ${command} ${name} exited with ${result.exitCode}: ${result.stderr.slice(0, 300)}`,
      );
    options.log(`${command} ${name}: ${Math.round(ms)} ms, ${result.peakRssMb.toFixed(1)} MiB`);
    worst.ms = Math.max(worst.ms, ms);
    worst.peakMb = Math.max(worst.peakMb, result.peakRssMb);
  }
  return worst;
}

export async function hostileBenchmarks(options: BenchOptions): Promise<FigureSet> {
  const wantsCheck = options.wants('cli_check_1mb_worst_ms') || options.wants('cli_check_1mb_worst_peak_mb');
  const wantsRun = options.wants('hostile_run_worst_ms') || options.wants('hostile_run_worst_peak_mb');
  if (!wantsCheck && !wantsRun) return {};
  ensureCliBundle(options);
  const directory = mkdtempSync(path.join(tmpdir(), 'mmu-lens-hostile-'));
  const figures: FigureSet = {};
  try {
    if (wantsCheck) {
      const check = await worstOf(checkInputs(), 'check', directory, options);
      figures['cli_check_1mb_worst_ms'] = Math.round(check.ms);
      figures['cli_check_1mb_worst_peak_mb'] = Math.round(check.peakMb * 10) / 10;
    }
    if (wantsRun) {
      const run = await worstOf(runInputs(), 'run', directory, options);
      figures['hostile_run_worst_ms'] = Math.round(run.ms);
      figures['hostile_run_worst_peak_mb'] = Math.round(run.peakMb * 10) / 10;
    }
    return figures;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
