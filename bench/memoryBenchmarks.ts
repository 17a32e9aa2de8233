// Memory benchmarks: how much memory MMU Lens itself takes, measured on the bundles users run.
//
// cli_run_peak_rss_200k_pages_mb: the peak resident set size of `node dist/cli.js run FILE` on a
// scenario that writes one byte into each of 200,000 fresh pages, in MiB (childPeakRss.ts). The
// CLI bundle is built first when it is missing or older than a source file, so that the figure is
// the current code's.
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { measureChildPeakRss } from './childPeakRss';
import type { BenchOptions, FigureSet } from './providers';
import { zeroFaultScenario } from './zeroFaultScenario';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
const PAGES = 200_000;

export async function memoryBenchmarks(options: BenchOptions): Promise<FigureSet> {
  if (!options.wants('cli_run_peak_rss_200k_pages_mb')) return {};
  ensureCliBundle(options);
  const directory = mkdtempSync(path.join(tmpdir(), 'mmu-lens-memory-'));
  try {
    const file = path.join(directory, 'zero-faults-200k.mmu');
    writeFileSync(file, zeroFaultScenario(PAGES));
    options.log(`running dist/cli.js on ${PAGES} pages`);
    const run = await measureChildPeakRss(CLI, { args: ['run', file], cwd: ROOT, timeoutMs: 120_000 });
    if (run.exitCode !== 0)
      throw new Error(
        `mmu-lens run exited with ${run.exitCode}: ${(run.stderr || run.stdout).trim().slice(0, 300)}`,
      );
    return { cli_run_peak_rss_200k_pages_mb: Math.round(run.peakRssMb * 10) / 10 };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Builds dist/cli.js (that bundle alone) when it is missing or older than the sources. */
export function ensureCliBundle(options: BenchOptions): void {
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : -1;
  if (built >= newestSource(path.join(ROOT, 'src'))) return;
  options.log(built < 0 ? 'building dist/cli.js (missing)' : 'building dist/cli.js (older than src/)');
  const webpack = path.join(ROOT, 'node_modules', 'webpack', 'bin', 'webpack.js');
  const build = spawnSync(
    process.execPath,
    [webpack, '--mode', 'production', '--config-name', 'cli', '--stats', 'errors-warnings'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (build.status !== 0 || !existsSync(CLI))
    throw new Error(
      `dist/cli.js could not be built (webpack ${build.error?.message ?? `exited with ${build.status}`}): ${(build.stderr || build.stdout || '').trim().slice(0, 300)}`,
    );
}

/** The latest modification time of a file under `directory`. */
function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const at = path.join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(at) : statSync(at).mtimeMs);
  }
  return newest;
}
