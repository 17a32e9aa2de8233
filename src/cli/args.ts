// Command-line arguments of `mmu-lens`. Parsing is pure: it returns what to do, or a usage error.

import { MAX_LISTED_STEPS, parseStepList } from '../views/report';

export type CliCommand =
  | { readonly command: 'help'; readonly topic?: 'run' | 'check' | 'walk' }
  | { readonly command: 'version' }
  | { readonly command: 'check'; readonly file: string }
  | {
      readonly command: 'run';
      readonly file: string;
      readonly json: boolean;
      readonly trace: boolean;
      /** Present with --report: write the step report there. */
      readonly report?: ReportOptions;
    }
  | { readonly command: 'walk'; readonly file: string; readonly walk: WalkOptions };

/** What `walk` prints: the paging structures of one address space after some step. */
export interface WalkOptions {
  /** Steps to run first; null: every step (the state at the end). */
  readonly step: number | null;
  /** `kernel`, a pid, or a process's name. */
  readonly space: string;
  /** Print in the format of xv6's vmprint instead of MMU Lens's own. */
  readonly vmprint: boolean;
}

/** What `run --report` writes: the step report of chosen steps. */
export interface ReportOptions {
  /** The HTML file to write. */
  readonly path: string;
  /** The steps to show in ascending order; null: the default choice. */
  readonly steps: readonly number[] | null;
}

/** The largest --step accepted: far past any step budget, well inside a safe integer. */
const MAX_STEP = 1_000_000_000;

export type ParsedArgs = CliCommand | { readonly command: 'usage-error'; readonly message: string };

export const USAGE = `Usage: mmu-lens <command> [options]

Commands:
  run FILE [--json] [--trace] [--report OUT.html [--report-steps LIST]]
                                run a scenario; exit 0 if every step passed, 1 if a step failed,
                                2 if the file does not parse or check; --report writes a step report
  check FILE                    parse and check a scenario without running it; exit 0 if it is
                                clean, 2 if it has errors
  walk FILE [--step N] [--space P] [--vmprint]
                                print the page tables of an address space after step N
  help [COMMAND]                show this help

Options:
  --json      (run) print exactly one JSON object with the result on stdout
  --trace     (run) print every step with its outcome and what changed
  -h, --help  show this help
  --version   print the version
`;

export const RUN_USAGE = `Usage: mmu-lens run FILE [--json] [--trace] [--report OUT.html [--report-steps LIST]]

Runs the scenario FILE step by step on a fresh simulated machine.
  --json    print exactly one JSON object on stdout: ok, steps, failures, diagnostics, memory, processes
  --trace   print each step with its outcome and what changed (pages, PTEs, regions, counters)
  --report OUT.html
            also write a step report: one self-contained HTML file with the scenario and, for each
            chosen step, what it did, its regions and page strips, page-table walks, zones and the
            DMA/MMIO map, and what changed since the step shown before it
  --report-steps LIST
            the steps the report shows, as comma-separated step numbers (e.g. 0,5,12; at most
            ${MAX_LISTED_STEPS}); by default step 0, every failed step and the last step
Exit status: 0 every step passed, 1 a step failed, 2 the file does not parse or check, a usage error
(a listed step past the end of the run is one), or the report cannot be written.
`;

export const WALK_USAGE = `Usage: mmu-lens walk FILE [--step N] [--space P] [--vmprint]

Runs the scenario FILE for N steps (all of them without --step) and prints the paging structures of
one address space, every present entry from the PML4 down, with the virtual address it covers, its
bits and what it points at.
  --step N     the state after step N (0: right after boot)
  --space P    kernel, a pid, or a process's name (default: the kernel)
  --vmprint    print in the format of xv6's vmprint: "page table 0x…", then "..I: pte 0x… pa 0x…"
               lines indented by one ".." per level
Exit status: 0 printed, 1 the step or the space does not exist, 2 the file does not parse or check,
or a usage error.
`;

export const CHECK_USAGE = `Usage: mmu-lens check FILE

Parses and checks the scenario FILE and prints every problem as FILE:LINE:COLUMN: error: message.
Exit status: 0 no errors, 2 errors or a usage error.
`;

/**
 * Arguments read in order, for commands whose options take values (`--step 4`, `--step=4`): such a
 * value cannot be told apart from a FILE otherwise.
 */
class OrderedArgs {
  private index = -1;

  constructor(private readonly argv: readonly string[]) {}

  /** The next argument, a long option split at its first '='; null past the last. */
  next(): { arg: string; name: string; inline: string | undefined } | null {
    const arg = this.argv[++this.index];
    if (arg === undefined) return null;
    if (!arg.startsWith('--') || !arg.includes('=')) return { arg, name: arg, inline: undefined };
    const equals = arg.indexOf('=');
    return { arg, name: arg.slice(0, equals), inline: arg.slice(equals + 1) };
  }

  /** The value of the option just read: its inline one, else the next argument (null if none). */
  value(inline: string | undefined): string | null {
    if (inline !== undefined) return inline;
    return this.index + 1 < this.argv.length ? this.argv[++this.index]! : null;
  }
}

const isOption = (arg: string): boolean => arg.startsWith('-') && arg !== '-';

function fileOf(command: string, files: readonly string[]): { file: string } | { message: string } {
  if (files.length === 1) return { file: files[0]! };
  return { message: files.length === 0 ? `${command} needs a FILE` : `${command} takes exactly one FILE` };
}

/** `walk`'s arguments, in order. */
function parseWalk(argv: readonly string[]): ParsedArgs {
  const files: string[] = [];
  let step: number | null = null;
  let space = 'kernel';
  let vmprint = false;
  const args = new OrderedArgs(argv);
  for (let next = args.next(); next !== null; next = args.next()) {
    const { arg, name, inline } = next;
    const value = (): string | null => args.value(inline);
    if (name === '--vmprint' && inline === undefined) vmprint = true;
    else if (name === '--step') {
      const text = value();
      if (text === null || !/^\d{1,10}$/.test(text) || Number(text) > MAX_STEP)
        return { command: 'usage-error', message: `--step takes a step number from 0 to ${MAX_STEP}` };
      step = Number(text);
    } else if (name === '--space') {
      const text = value();
      if (text === null || !/^(kernel|\d{1,9}|[A-Za-z_][A-Za-z0-9_]{0,99})$/.test(text))
        return { command: 'usage-error', message: '--space takes kernel, a pid or a process name' };
      space = text;
    } else if (isOption(arg))
      return {
        command: 'usage-error',
        message: `unknown option ${arg} for walk; expected --step, --space or --vmprint`,
      };
    else files.push(arg);
  }
  const file = fileOf('walk', files);
  if ('message' in file) return { command: 'usage-error', message: file.message };
  return { command: 'walk', file: file.file, walk: { step, space, vmprint } };
}

/** `run`'s arguments (the command word taken out), in order: --report and --report-steps take values. */
function parseRun(argv: readonly string[]): ParsedArgs {
  const files: string[] = [];
  let json = false;
  let trace = false;
  let reportPath: string | null = null;
  let steps: readonly number[] | null = null;
  const args = new OrderedArgs(argv);
  for (let next = args.next(); next !== null; next = args.next()) {
    const { arg, name, inline } = next;
    if (arg === '--json') json = true;
    else if (arg === '--trace') trace = true;
    else if (name === '--report') {
      const path = args.value(inline);
      if (path === null || path === '' || isOption(path))
        return { command: 'usage-error', message: '--report takes the path of the HTML file to write' };
      reportPath = path;
    } else if (name === '--report-steps') {
      const list = args.value(inline);
      const parsed = parseStepList(list ?? '');
      if ('error' in parsed) return { command: 'usage-error', message: `--report-steps: ${parsed.error}` };
      steps = parsed.steps;
    } else if (isOption(arg))
      return {
        command: 'usage-error',
        message: `unknown option ${arg} for run; expected --json, --trace, --report or --report-steps`,
      };
    else files.push(arg);
  }
  const file = fileOf('run', files);
  if ('message' in file) return { command: 'usage-error', message: file.message };
  if (steps !== null && reportPath === null)
    return { command: 'usage-error', message: '--report-steps needs --report OUT.html' };
  const run = { command: 'run', file: file.file, json, trace } as const;
  return reportPath === null ? run : { ...run, report: { path: reportPath, steps } };
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const walkAt = argv.indexOf('walk');
  if (walkAt === 0 && !argv.includes('-h') && !argv.includes('--help')) return parseWalk(argv.slice(1));
  const flags = argv.filter((a) => a.startsWith('-'));
  const words = argv.filter((a) => !a.startsWith('-') || a === '-');
  if (flags.includes('-h') || flags.includes('--help')) {
    const topic = words[0];
    return topic === 'run' || topic === 'check' || topic === 'walk'
      ? { command: 'help', topic }
      : { command: 'help' };
  }
  if (flags.includes('--version') && words.length === 0) return { command: 'version' };
  const [command, ...rest] = words;
  if (command === undefined)
    return { command: 'usage-error', message: 'no command given; expected run, check, walk or help' };
  switch (command) {
    case 'help': {
      const topic = rest[0];
      if (
        rest.length > 1 ||
        (topic !== undefined && topic !== 'run' && topic !== 'check' && topic !== 'walk')
      ) {
        return {
          command: 'usage-error',
          message: `help takes one optional command (run, check or walk), got '${rest.join(' ')}'`,
        };
      }
      return topic === undefined ? { command: 'help' } : { command: 'help', topic };
    }
    case 'check': {
      const unknown = flags.filter((f) => f !== '--');
      if (unknown.length > 0) return { command: 'usage-error', message: `check does not take ${unknown[0]}` };
      if (rest.length !== 1) {
        return {
          command: 'usage-error',
          message: rest.length === 0 ? 'check needs a FILE' : 'check takes exactly one FILE',
        };
      }
      return { command: 'check', file: rest[0] as string };
    }
    case 'run':
      return parseRun(argv.filter((_, i) => i !== argv.indexOf(command)));
    default:
      return {
        command: 'usage-error',
        message: `unknown command '${command}'; expected run, check, walk or help`,
      };
  }
}
