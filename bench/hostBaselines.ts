// Host baselines: small C programs (bench/host/*.c) compiled with the machine's C compiler at bench
// time and run in the same benchmark run as the figures they are compared with, so every ratio
// compares two measurements taken on the same machine under the same load. Nothing is stored.
import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** One row of the host-baseline table in run.ts. */
export interface HostBaseline {
  /** Baseline name used by goals and in the report (`host_anon_faults_per_s`). */
  readonly name: string;
  /** Source file bench/host/<program>.c, binary out/bench/host/<program>. */
  readonly program: string;
  readonly args: readonly string[];
  readonly quickArgs: readonly string[];
  /** One line for the table: what was measured. */
  readonly measures: string;
}

export interface BaselineMeasurement {
  readonly name: string;
  readonly value: number | null;
  /** Everything else the program printed (sizes, samples, fault counts). */
  readonly details: Readonly<Record<string, unknown>>;
  readonly reason?: string;
}

export type ParsedHostOutput =
  | { readonly ok: true; readonly value: number; readonly details: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

/** Fault baselines must have faulted about once per page; fewer means the kernel skipped the work. */
const MIN_FAULTS_PER_PAGE = 0.9;

/**
 * Reads the one JSON object a host program prints. The rate is `per_s`; when the program reports
 * `pages` and `minor_faults_per_run`, the fault count must match the pages, or the number is rejected
 * (a transparent huge page, say, would have served 512 pages with one fault).
 */
export function parseHostOutput(stdout: string): ParsedHostOutput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return { ok: false, reason: `output is not JSON: ${JSON.stringify(stdout.slice(0, 200))}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'output is not a JSON object' };
  }
  const details = parsed as Record<string, unknown>;
  const value = details['per_s'];
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    return { ok: false, reason: `per_s is ${JSON.stringify(value)}, not a positive number` };
  }
  const pages = details['pages'];
  const faults = details['minor_faults_per_run'];
  if (typeof pages === 'number' && typeof faults === 'number' && faults < pages * MIN_FAULTS_PER_PAGE) {
    return {
      ok: false,
      reason: `only ${faults} minor faults for ${pages} pages: the kernel did not fault every page`,
    };
  }
  const { per_s: _rate, ...rest } = details;
  return { ok: true, value, details: rest };
}

export interface HostRunContext {
  readonly quick: boolean;
  readonly sourceDir: string;
  readonly binaryDir: string;
  readonly log: (message: string) => void;
}

/** The C compiler to use ($CC or cc), or a sentence saying why there is none. */
export function findCompiler():
  { ok: true; compiler: string; version: string } | { ok: false; reason: string } {
  const compiler = process.env['CC'] ?? 'cc';
  const probe = spawnSync(compiler, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    return {
      ok: false,
      reason: `no C compiler ('${compiler}' cannot be run), so no host baseline was measured`,
    };
  }
  return { ok: true, compiler, version: probe.stdout.split('\n')[0] ?? compiler };
}

function run(
  file: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error)
        reject(
          new Error(`${path.basename(file)}: ${error.message.trim()}${stderr ? `\n${stderr.trim()}` : ''}`),
        );
      else resolve({ stdout, stderr });
    });
  });
}

const COMPILE_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 120_000;

async function measureOne(
  baseline: HostBaseline,
  compiler: string,
  context: HostRunContext,
): Promise<BaselineMeasurement> {
  const source = path.join(context.sourceDir, `${baseline.program}.c`);
  const binary = path.join(context.binaryDir, baseline.program);
  try {
    await run(compiler, ['-O2', '-Wall', '-o', binary, source], COMPILE_TIMEOUT_MS);
  } catch (error) {
    return {
      name: baseline.name,
      value: null,
      details: {},
      reason: `compiling ${baseline.program}.c failed: ${String(error)}`,
    };
  }
  const args = context.quick ? baseline.quickArgs : baseline.args;
  context.log(`host baseline ${baseline.name}: ${baseline.program} ${args.join(' ')}`);
  let stdout: string;
  try {
    ({ stdout } = await run(binary, args, RUN_TIMEOUT_MS));
  } catch (error) {
    return {
      name: baseline.name,
      value: null,
      details: {},
      reason: `running ${baseline.program} failed: ${String(error)}`,
    };
  }
  const parsed = parseHostOutput(stdout);
  if (!parsed.ok)
    return { name: baseline.name, value: null, details: {}, reason: `${baseline.program}: ${parsed.reason}` };
  return {
    name: baseline.name,
    value: parsed.value,
    details: { program: baseline.program, args, ...parsed.details },
  };
}

/** Compiles and runs each baseline in turn (never in parallel: they would disturb each other). */
export async function measureHostBaselines(
  baselines: readonly HostBaseline[],
  context: HostRunContext,
): Promise<{ measurements: BaselineMeasurement[]; compiler: string | null }> {
  if (baselines.length === 0) return { measurements: [], compiler: null };
  const found = findCompiler();
  if (!found.ok) {
    context.log(found.reason);
    return {
      measurements: baselines.map((b) => ({ name: b.name, value: null, details: {}, reason: found.reason })),
      compiler: null,
    };
  }
  fs.mkdirSync(context.binaryDir, { recursive: true });
  const measurements: BaselineMeasurement[] = [];
  for (const baseline of baselines) measurements.push(await measureOne(baseline, found.compiler, context));
  return { measurements, compiler: found.version };
}
