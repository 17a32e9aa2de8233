// Command-line arguments of `mmu-lens`. Parsing is pure: it returns what to do, or a usage error.

export type CliCommand =
  | { readonly command: 'help'; readonly topic?: 'run' | 'check' | 'walk' }
  | { readonly command: 'version' }
  | { readonly command: 'check'; readonly file: string }
  | { readonly command: 'run'; readonly file: string; readonly json: boolean; readonly trace: boolean }
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

/** The largest --step accepted: far past any step budget, well inside a safe integer. */
const MAX_STEP = 1_000_000_000;

export type ParsedArgs = CliCommand | { readonly command: 'usage-error'; readonly message: string };

export const USAGE = `Usage: mmu-lens <command> [options]

Commands:
  run FILE [--json] [--trace]   run a scenario; exit 0 if every step passed, 1 if a step failed,
                                2 if the file does not parse or check
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

export const RUN_USAGE = `Usage: mmu-lens run FILE [--json] [--trace]

Runs the scenario FILE step by step on a fresh simulated machine.
  --json    print exactly one JSON object on stdout: ok, steps, failures, diagnostics, memory, processes
  --trace   print each step with its outcome and what changed (pages, PTEs, regions, counters)
Exit status: 0 every step passed, 1 a step failed, 2 the file does not parse or check, or a usage error.
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

/** `walk`'s arguments, in order: options with values cannot be told apart from words otherwise. */
function parseWalk(argv: readonly string[]): ParsedArgs {
  const files: string[] = [];
  let step: number | null = null;
  let space = 'kernel';
  let vmprint = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = (): string | null => inline ?? (i + 1 < argv.length ? argv[++i]! : null);
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
    } else if (arg.startsWith('-') && arg !== '-')
      return {
        command: 'usage-error',
        message: `unknown option ${arg} for walk; expected --step, --space or --vmprint`,
      };
    else files.push(arg);
  }
  if (files.length !== 1)
    return {
      command: 'usage-error',
      message: files.length === 0 ? 'walk needs a FILE' : 'walk takes exactly one FILE',
    };
  return { command: 'walk', file: files[0]!, walk: { step, space, vmprint } };
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
    case 'run': {
      const unknown = flags.filter((f) => f !== '--json' && f !== '--trace');
      if (unknown.length > 0)
        return {
          command: 'usage-error',
          message: `unknown option ${unknown[0]} for run; expected --json or --trace`,
        };
      if (rest.length !== 1) {
        return {
          command: 'usage-error',
          message: rest.length === 0 ? 'run needs a FILE' : 'run takes exactly one FILE',
        };
      }
      return {
        command: 'run',
        file: rest[0] as string,
        json: flags.includes('--json'),
        trace: flags.includes('--trace'),
      };
    }
    default:
      return {
        command: 'usage-error',
        message: `unknown command '${command}'; expected run, check, walk or help`,
      };
  }
}
