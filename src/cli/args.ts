// Command-line arguments of `mmu-lens`. Parsing is pure: it returns what to do, or a usage error.

export type CliCommand =
  | { readonly command: 'help'; readonly topic?: 'run' | 'check' }
  | { readonly command: 'version' }
  | { readonly command: 'check'; readonly file: string }
  | { readonly command: 'run'; readonly file: string; readonly json: boolean; readonly trace: boolean };

export type ParsedArgs = CliCommand | { readonly command: 'usage-error'; readonly message: string };

export const USAGE = `Usage: mmu-lens <command> [options]

Commands:
  run FILE [--json] [--trace]   run a scenario; exit 0 if every step passed, 1 if a step failed,
                                2 if the file does not parse or check
  check FILE                    parse and check a scenario without running it; exit 0 if it is
                                clean, 2 if it has errors
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

export const CHECK_USAGE = `Usage: mmu-lens check FILE

Parses and checks the scenario FILE and prints every problem as FILE:LINE:COLUMN: error: message.
Exit status: 0 no errors, 2 errors or a usage error.
`;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags = argv.filter((a) => a.startsWith('-'));
  const words = argv.filter((a) => !a.startsWith('-') || a === '-');
  if (flags.includes('-h') || flags.includes('--help')) {
    const topic = words[0];
    return topic === 'run' || topic === 'check' ? { command: 'help', topic } : { command: 'help' };
  }
  if (flags.includes('--version') && words.length === 0) return { command: 'version' };
  const [command, ...rest] = words;
  if (command === undefined)
    return { command: 'usage-error', message: 'no command given; expected run, check or help' };
  switch (command) {
    case 'help': {
      const topic = rest[0];
      if (rest.length > 1 || (topic !== undefined && topic !== 'run' && topic !== 'check')) {
        return {
          command: 'usage-error',
          message: `help takes one optional command (run or check), got '${rest.join(' ')}'`,
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
      return { command: 'usage-error', message: `unknown command '${command}'; expected run, check or help` };
  }
}
