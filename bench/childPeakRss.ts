// Peak memory of a Node program run as a child process. The child is started with
// `node --require peakRssProbe.js`, which writes the child's own peak resident set size to a
// temporary file as it exits; the parent reads it once the child has closed. Measuring inside the
// child counts exactly that process (not the parent, not the child's own children), works however
// the program ends short of a signal (returning, process.exit(), an uncaught exception), and needs
// nothing from the platform beyond process.resourceUsage().
//
// Two entry points: `measureChildPeakRss` runs a program to its end and collects its output;
// `spawnWithPeakRss` hands back the child process itself, for programs that must be talked to on
// stdin/stdout (a debug adapter, say), with the measurement as a promise settled when it closes.
import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

export interface ChildPeakRssOptions {
  /** Arguments after the program's path. */
  readonly args?: readonly string[];
  /** Options for node itself, before the program (`--max-old-space-size=...`). */
  readonly nodeArgs?: readonly string[];
  readonly cwd?: string;
  /** The child's environment (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** Kills the child (SIGKILL) after this long; the measurement then fails. Default: none. */
  readonly timeoutMs?: number;
}

export interface ChildPeakRss {
  /** Peak resident set size of the child process, in MiB (2^20 bytes). */
  readonly peakRssMb: number;
  /** The child's exit code (a program killed by a signal reports no peak, see below). */
  readonly exitCode: number;
  /** What the child wrote, when it was run by `measureChildPeakRss` (empty for `spawnWithPeakRss`). */
  readonly stdout: string;
  readonly stderr: string;
}

export interface MeasuredChild {
  /** The running child; its stdin, stdout and stderr are pipes. */
  readonly child: ChildProcess;
  /**
   * Settles once the child has closed: its peak and exit code, or a rejection saying why there is
   * no peak (it was killed by a signal or timed out before it could report one).
   */
  readonly result: Promise<ChildPeakRss>;
}

const PROBE = path.join(__dirname, 'peakRssProbe.js');
/** Where the probe writes the peak (the probe reads the same name). */
const PEAK_RSS_FILE_VARIABLE = 'MMU_LENS_PEAK_RSS_FILE';

/**
 * Starts `program` (a JavaScript file) under the running node with the peak probe preloaded. The
 * caller owns the child's pipes: it must read stdout and stderr (or the child may block on them).
 */
export function spawnWithPeakRss(program: string, options: ChildPeakRssOptions = {}): MeasuredChild {
  const directory = mkdtempSync(path.join(tmpdir(), 'mmu-lens-peak-rss-'));
  const report = path.join(directory, 'peak');
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--require', PROBE, program, ...(options.args ?? [])],
    {
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), [PEAK_RSS_FILE_VARIABLE]: report },
      stdio: 'pipe',
    },
  );
  const timer =
    options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const result = new Promise<ChildPeakRss>((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      rmSync(directory, { recursive: true, force: true });
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const kilobytes = readReport(report);
      rmSync(directory, { recursive: true, force: true });
      if (code === null || kilobytes === null) {
        const how = signal !== null ? `was killed by ${signal}` : `exited with ${code ?? 'no code'}`;
        reject(new Error(`${path.basename(program)} ${how} before it reported its peak memory`));
        return;
      }
      resolve({ peakRssMb: kilobytes / 1024, exitCode: code, stdout: '', stderr: '' });
    });
  });
  return { child, result };
}

/** Runs `program` to its end and returns its peak memory, exit code and output. */
export async function measureChildPeakRss(
  program: string,
  options: ChildPeakRssOptions = {},
): Promise<ChildPeakRss> {
  const { child, result } = spawnWithPeakRss(program, options);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin?.end();
  const measured = await result;
  return {
    ...measured,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
  };
}

/** The kilobytes the probe wrote, or null when it wrote nothing (or something unreadable). */
function readReport(file: string): number | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const kilobytes = Number(text);
  return Number.isFinite(kilobytes) && kilobytes > 0 ? kilobytes : null;
}
