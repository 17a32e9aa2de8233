// The `mmu-lens` commands over the scenario layer. Input and output are injected, so the commands
// run the same in tests as from a terminal; `main.ts` wires them to the real process.

import { checkSource, hasErrors, type CheckResult } from '../scenario/checker';
import { CHECK_USAGE, parseArgs, RUN_USAGE, USAGE, WALK_USAGE, type WalkOptions } from './args';
import { diagnosticToJson, formatDiagnostic, type DiagnosticJson } from './format';

export const EXIT_OK = 0;
export const EXIT_STEP_FAILED = 1;
export const EXIT_INVALID = 2;

/** The result of running a checked scenario, in the shape of spec §7 (`run --json`). */
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

/**
 * Runs a checked scenario. The interpreter provides it; until it exists the CLI's `run` reports
 * that running is not available.
 */
export interface ScenarioRunner {
  run(checked: CheckResult, options: { readonly trace: boolean }): RunReport;
  /** The lines `walk` prints, or why it cannot (the step or the space does not exist). */
  walk(checked: CheckResult, options: WalkOptions): { lines: string[] } | { error: string };
}

export interface CliIo {
  readFile(path: string): string;
  stdout(text: string): void;
  stderr(text: string): void;
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
      const report = io.runner.run(checked, { trace: args.trace });
      if (args.json) {
        // The keys in the order of the specification (§7).
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
