// The `mmu-lens` commands over the scenario layer. Input and output are injected, so the commands
// run the same in tests as from a terminal; `main.ts` wires them to the real process.

import * as path from 'path';
import type { Machine } from '../engine';
import { checkSource, hasErrors, type CheckResult } from '../scenario/checker';
import type { StepReport } from '../scenario/interpreter';
import { buildStepReport, type RunFailure, StepCollector } from '../views/report';
import {
  CHECK_USAGE,
  parseArgs,
  type ReportOptions,
  RUN_USAGE,
  USAGE,
  WALK_USAGE,
  type WalkOptions,
} from './args';
import { diagnosticToJson, formatDiagnostic, type DiagnosticJson } from './format';

export const EXIT_OK = 0;
export const EXIT_STEP_FAILED = 1;
export const EXIT_INVALID = 2;

/** The result of running a checked scenario, in the shape `run --json` prints (docs/language-guide.md). */
export interface RunReport {
  readonly ok: boolean;
  readonly steps: number;
  readonly failures: readonly { readonly line: number; readonly column: number; readonly message: string }[];
  readonly memory: {
    readonly physical_pages: number;
    readonly used: number;
    readonly committed: number;
    readonly uncommitted: number;
  };
  readonly processes: readonly Readonly<Record<string, unknown>>[];
  /** Lines printed by `print` statements (and, with --trace, the trace), in order. */
  readonly output: readonly string[];
}

/** Told of every state a run passes: after boot (step 0) and after each step; `last` when none follows. */
export interface RunObserver {
  observe(index: number, report: StepReport | null, machine: Machine, last: boolean): void;
}

export interface RunOptions {
  readonly trace: boolean;
  readonly observer?: RunObserver;
}

/**
 * Runs a checked scenario. The interpreter provides it; until it exists the CLI's `run` reports
 * that running is not available.
 */
export interface ScenarioRunner {
  run(checked: CheckResult, options: RunOptions): RunReport;
  /** The lines `walk` prints, or why it cannot (the step or the space does not exist). */
  walk(checked: CheckResult, options: WalkOptions): { lines: string[] } | { error: string };
}

export interface CliIo {
  readFile(path: string): string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Writes a whole file (the step report); throws when it cannot. */
  writeFile?(path: string, text: string): void;
  readonly version: string;
  readonly runner?: ScenarioRunner;
}

/** Runs one command line; returns the exit status. Never throws for bad input. */
export function runCli(argv: readonly string[], io: CliIo): number {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'usage-error':
      io.stderr(`mmu-lens: ${args.message}\nRun 'mmu-lens --help' for usage.\n`);
      return EXIT_INVALID;
    case 'help':
      io.stdout(
        args.topic === 'run'
          ? RUN_USAGE
          : args.topic === 'check'
            ? CHECK_USAGE
            : args.topic === 'walk'
              ? WALK_USAGE
              : USAGE,
      );
      return EXIT_OK;
    case 'version':
      io.stdout(`mmu-lens ${io.version}\n`);
      return EXIT_OK;
    case 'check': {
      const checked = load(args.file, io);
      if (checked === undefined) return EXIT_INVALID;
      for (const d of checked.diagnostics) io.stdout(`${formatDiagnostic(d)}\n`);
      return hasErrors(checked.diagnostics) ? EXIT_INVALID : EXIT_OK;
    }
    case 'run': {
      const checked = load(args.file, io);
      if (checked === undefined) return EXIT_INVALID;
      const diagnostics = checked.diagnostics.map(diagnosticToJson);
      if (hasErrors(checked.diagnostics)) {
        if (args.json) io.stdout(`${JSON.stringify(invalidReport(diagnostics))}\n`);
        else for (const d of checked.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
        return EXIT_INVALID;
      }
      if (io.runner === undefined) {
        io.stderr('mmu-lens: run is not available yet: this build has no scenario interpreter; use check.\n');
        return EXIT_INVALID;
      }
      const collector =
        args.report === undefined ? undefined : new StepCollector(checked.source.text, args.report.steps);
      const report = io.runner.run(checked, {
        trace: args.trace,
        ...(collector === undefined ? {} : { observer: collector }),
      });
      if (args.json) {
        // The keys in the documented order.
        const json = {
          ok: report.ok,
          steps: report.steps,
          failures: report.failures,
          diagnostics,
          memory: report.memory,
          processes: report.processes,
        };
        io.stdout(`${JSON.stringify(json)}\n`);
      } else {
        for (const d of checked.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
        for (const line of report.output) io.stdout(`${line}\n`);
        for (const f of report.failures)
          io.stdout(`${args.file}:${f.line}:${f.column}: failed: ${f.message}\n`);
        io.stdout(`${report.steps} steps, ${report.failures.length} failed\n`);
      }
      if (args.report !== undefined && collector !== undefined) {
        const status = writeReport(args, args.report, collector, report, checked, io);
        if (status !== null) return status;
      }
      return report.ok ? EXIT_OK : EXIT_STEP_FAILED;
    }
    case 'walk': {
      const checked = load(args.file, io);
      if (checked === undefined) return EXIT_INVALID;
      if (hasErrors(checked.diagnostics)) {
        for (const d of checked.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
        return EXIT_INVALID;
      }
      if (io.runner === undefined) {
        io.stderr('mmu-lens: walk is not available: this build has no scenario interpreter.\n');
        return EXIT_INVALID;
      }
      const walked = io.runner.walk(checked, args.walk);
      if ('error' in walked) {
        io.stderr(`mmu-lens: ${walked.error}\n`);
        return EXIT_STEP_FAILED;
      }
      for (const line of walked.lines) io.stdout(`${line}\n`);
      return EXIT_OK;
    }
  }
}

function load(file: string, io: CliIo): CheckResult | undefined {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    const reason =
      e instanceof Error && 'code' in e && e.code === 'ENOENT'
        ? 'no such file'
        : e instanceof Error
          ? e.message
          : String(e);
    io.stderr(`mmu-lens: cannot read ${file}: ${reason}\n`);
    return undefined;
  }
  return checkSource(text, file);
}

/** The `--json` report of a file that does not parse or check: nothing ran. */
function invalidReport(diagnostics: readonly DiagnosticJson[]): Record<string, unknown> {
  return { ok: false, steps: 0, failures: [], diagnostics, memory: null, processes: [] };
}

/**
 * The failed steps the report lists: those the collector saw, and a failure of the run itself (the
 * step budget ran out) after them, at the last step.
 */
function reportFailures(collector: StepCollector, run: RunReport): { failures: RunFailure[]; count: number } {
  const failures: RunFailure[] = [...collector.failures];
  const ofTheRun = run.failures.slice(collector.failureCount);
  for (const f of ofTheRun) failures.push({ step: run.steps, line: f.line, message: f.message });
  return { failures, count: collector.failureCount + ofTheRun.length };
}

/**
 * Writes `run --report`'s file from the steps the collector captured. Returns null when all went
 * well (the run's own status stands), else the exit status of what went wrong.
 */
function writeReport(
  args: { readonly file: string; readonly json: boolean },
  options: ReportOptions,
  collector: StepCollector,
  run: RunReport,
  checked: CheckResult,
  io: CliIo,
): number | null {
  const chosen = collector.finish();
  if ('error' in chosen) {
    io.stderr(`mmu-lens: --report-steps: ${chosen.error}\nRun 'mmu-lens --help' for usage.\n`);
    return EXIT_INVALID;
  }
  if (chosen.steps.length === 0) {
    io.stderr('mmu-lens: no report written: the machine of this scenario did not boot\n');
    return null;
  }
  if (io.writeFile === undefined) {
    io.stderr('mmu-lens: --report is not available: this build cannot write files.\n');
    return EXIT_INVALID;
  }
  const { failures, count } = reportFailures(collector, run);
  const html = buildStepReport({
    scenarioName: path.basename(args.file),
    sourceText: checked.source.text,
    steps: chosen.steps,
    choice: chosen.choice,
    stepCount: run.steps,
    finished: true,
    failures,
    failureCount: count,
    madeBy: `mmu-lens run ${io.version}`,
  });
  try {
    io.writeFile(options.path, html);
  } catch (e) {
    io.stderr(`mmu-lens: cannot write ${options.path}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_INVALID;
  }
  if (!args.json) {
    const steps = chosen.steps.map((step) => step.state.step.index).join(', ');
    io.stdout(`report: ${options.path} (steps ${steps})\n`);
  }
  return null;
}
