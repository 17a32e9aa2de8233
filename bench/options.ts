// Command-line options of the benchmark runner and the `--only` selection they imply.
import type { Goal } from './goals';
import type { ProviderEntry } from './providers';

export interface CliOptions {
  readonly json: boolean;
  readonly quick: boolean;
  readonly help: boolean;
  /** `--only` names (repeatable, or comma-separated); empty means everything. */
  readonly only: readonly string[];
}

export type ParsedArgs =
  { readonly ok: true; readonly options: CliOptions } | { readonly ok: false; readonly error: string };

export const USAGE = `Usage: npm run bench -- [--json] [--quick] [--only NAME[,NAME...]]
  --json         print one JSON object on stdout (figures, baselines, goals, run) and nothing else
  --quick        small sizes for a smoke run; the figures are not fit for judging goals
  --only NAME    measure only what NAME selects: a figure (or part of its name), a provider
                 (engine, interpreter, debug, webview, memory, panels) or a host baseline; repeatable
  --help         print this text`;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  let json = false;
  let quick = false;
  let help = false;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--json') json = true;
    else if (arg === '--quick') quick = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      if (value === undefined || value === '' || value.startsWith('--')) {
        return { ok: false, error: '--only needs a name (a figure, a provider or a host baseline)' };
      }
      only.push(...value.split(',').filter((name) => name !== ''));
    } else {
      return { ok: false, error: `unknown argument '${arg}'` };
    }
  }
  return { ok: true, options: { json, quick, help, only } };
}

/** What one run measures, derived from `--only`. */
export interface Selection {
  readonly figures: ReadonlySet<string>;
  readonly providers: readonly ProviderEntry[];
  readonly baselines: ReadonlySet<string>;
  readonly goals: readonly Goal[];
  /** `--only` names that selected nothing. */
  readonly unknown: readonly string[];
  /** Whether a figure a provider returned belongs in the report (also undeclared extra figures). */
  wants(figure: string, provider: string): boolean;
}

function nameMatches(name: string, only: readonly string[]): boolean {
  return only.some((wanted) => name.includes(wanted));
}

/**
 * A name selects every figure or baseline whose name contains it, and a provider's figures when it
 * equals the provider's name. A selected figure brings along what its goals compare it with (the
 * baseline or the other figure), so every selected goal can still be judged.
 */
export function select(
  only: readonly string[],
  providers: readonly ProviderEntry[],
  goals: readonly Goal[],
  baselineNames: readonly string[],
): Selection {
  const everything = only.length === 0;
  const figures = new Set<string>();
  const baselines = new Set<string>();
  const used = new Set<string>();
  for (const provider of providers) {
    for (const figure of provider.figures) {
      const byProvider = only.find((wanted) => wanted === provider.name);
      const byFigure = only.find((wanted) => figure.includes(wanted));
      if (everything || byProvider !== undefined || byFigure !== undefined) figures.add(figure);
      if (byProvider !== undefined) used.add(byProvider);
      if (byFigure !== undefined) used.add(byFigure);
    }
  }
  for (const name of baselineNames) {
    if (everything || nameMatches(name, only)) baselines.add(name);
    for (const wanted of only) if (name.includes(wanted)) used.add(wanted);
  }
  const chosenGoals = goals.filter((goal) => figures.has(goal.figure));
  for (const goal of chosenGoals) {
    if (goal.reference.kind === 'baseline') baselines.add(goal.reference.name);
    if (goal.reference.kind === 'figure') figures.add(goal.reference.name);
  }
  return {
    figures,
    providers: providers.filter((provider) => provider.figures.some((figure) => figures.has(figure))),
    baselines,
    goals: chosenGoals,
    unknown: only.filter((wanted) => !used.has(wanted)),
    wants: (figure, provider) =>
      everything || figures.has(figure) || nameMatches(figure, only) || only.includes(provider),
  };
}
