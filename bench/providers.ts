// Figure providers: the modules that measure MMU Lens itself (engine, interpreter, debugger, webview,
// memory).
// Each is loaded at run time by name, so a provider whose layer is not built yet, or one that throws,
// becomes a list of absent figures with a reason instead of a crashed benchmark run.
import * as path from 'path';

/** Figures a provider measured, by name (`zero_faults_per_s`, `boot_4g_ms`, ...). */
export type FigureSet = Record<string, number>;

/** What the runner hands every provider. Providers may ignore all of it. */
export interface BenchOptions {
  /** `--quick`: use small sizes; the figures are for a smoke run, not for judging goals. */
  readonly quick: boolean;
  /** Whether a figure was asked for (`--only`); a provider may skip work for figures nobody wants. */
  wants(figure: string): boolean;
  /** Progress for the person waiting. Goes to stderr, never to stdout. */
  log(message: string): void;
}

export type BenchmarkProvider = (options: BenchOptions) => FigureSet | Promise<FigureSet>;

/** The name of the error a provider throws when this machine cannot give it what it measures with. */
const UNAVAILABLE = 'MeasurementUnavailable';

/**
 * What a provider throws when something it needs is not on this machine (a browser, say): its
 * figures are reported absent with `reason`, and the run counts no problem. A provider should find
 * out before doing any work.
 */
export function unavailable(reason: string): Error {
  const error = new Error(reason);
  error.name = UNAVAILABLE;
  return error;
}

/** One row of the provider table in run.ts. */
export interface ProviderEntry {
  /** Short name, shown in the report and accepted by `--only`. */
  readonly name: string;
  /** Module path relative to the compiled runner (`./engineBenchmarks`). */
  readonly module: string;
  /** The exported provider function in that module. */
  readonly exportName: string;
  /** The figures it is expected to produce: any it does not return are reported absent. */
  readonly figures: readonly string[];
  /** How long it may run, when longer than the runner's default (milliseconds). */
  readonly timeoutMs?: number;
}

export interface ProviderOutcome {
  readonly provider: string;
  readonly figures: FigureSet;
  /** Why the provider measured nothing at all (module absent, provider threw or timed out). */
  readonly failure?: string;
  /** Why the provider could not measure on this machine (see `unavailable`); not a failure. */
  readonly unavailable?: string;
  /** Values it returned that were dropped (not a finite number, a reserved name). */
  readonly problems: readonly string[];
}

/** Keys the JSON report uses for itself; a figure may not take them. */
export const RESERVED_KEYS: readonly string[] = ['baselines', 'goals', 'run'];

/** Keeps the finite numbers of what a provider returned and says what was wrong with the rest. */
export function validateFigures(
  provider: string,
  returned: unknown,
): { figures: FigureSet; problems: string[] } {
  const figures: FigureSet = {};
  const problems: string[] = [];
  if (typeof returned !== 'object' || returned === null || Array.isArray(returned)) {
    return { figures, problems: [`${provider} returned ${describe(returned)}, not an object of figures`] };
  }
  for (const [name, value] of Object.entries(returned)) {
    if (RESERVED_KEYS.includes(name)) {
      problems.push(`${provider} returned a figure named '${name}', a name the report reserves`);
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`${provider} returned ${describe(value)} for ${name}; figures must be finite numbers`);
    } else {
      figures[name] = value;
    }
  }
  return { figures, problems };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `a value of type ${typeof value}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Loads one provider module; a missing module is expected while its layer is being written. */
async function loadProvider(entry: ProviderEntry, baseDir: string): Promise<BenchmarkProvider | string> {
  const modulePath = path.join(baseDir, entry.module);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(modulePath)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND' && errorText(error).includes(modulePath)) {
      return `bench/${entry.module.replace(/^\.\//, '')}.ts does not exist yet`;
    }
    return `${entry.module} failed to load: ${errorText(error)}`;
  }
  const provider = loaded[entry.exportName];
  if (typeof provider !== 'function') {
    return `${entry.module} has no exported function ${entry.exportName}`;
  }
  return provider as BenchmarkProvider;
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not finish within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Runs one provider and never throws: a failure is reported in the outcome. */
export async function runProvider(
  entry: ProviderEntry,
  options: BenchOptions,
  baseDir: string,
  timeoutMs: number,
): Promise<ProviderOutcome> {
  const provider = await loadProvider(entry, baseDir);
  if (typeof provider === 'string')
    return { provider: entry.name, figures: {}, failure: provider, problems: [] };
  try {
    const returned: unknown = await withTimeout(
      Promise.resolve().then(() => provider(options)),
      timeoutMs,
      entry.exportName,
    );
    const { figures, problems } = validateFigures(entry.exportName, returned);
    return { provider: entry.name, figures, problems };
  } catch (error) {
    if (error instanceof Error && error.name === UNAVAILABLE)
      return { provider: entry.name, figures: {}, unavailable: error.message, problems: [] };
    const failure = `${entry.exportName} failed: ${errorText(error)}`;
    return { provider: entry.name, figures: {}, failure, problems: [] };
  }
}
