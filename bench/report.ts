// The benchmark report: one JSON object (for machines and CI) and a readable table (for people),
// both built from the same data by pure functions.
import type { GoalResult, Verdict } from './goals';

export interface RunInfo {
  readonly quick: boolean;
  readonly only: readonly string[];
  /** Figures and baselines that were asked for but not measured, with the reason. */
  readonly absent: Readonly<Record<string, string>>;
  /** Anything a provider or baseline did wrong (values dropped, modules missing, failures). */
  readonly problems: readonly string[];
  readonly baseline_details: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly compiler: string | null;
  readonly node: string;
  readonly duration_s: number;
  readonly summary: Readonly<Record<Verdict, number>>;
}

/** Figures are the top-level numeric keys; `baselines`, `goals` and `run` sit beside them. */
export type JsonReport = Record<string, unknown> & {
  readonly baselines: Readonly<Record<string, number>>;
  readonly goals: Readonly<Record<string, GoalResult>>;
  readonly run: RunInfo;
};

export interface ReportInput {
  readonly figures: Readonly<Record<string, number>>;
  readonly baselines: Readonly<Record<string, number>>;
  readonly goals: Readonly<Record<string, GoalResult>>;
  readonly run: Omit<RunInfo, 'summary'>;
}

export function summarize(goals: Readonly<Record<string, GoalResult>>): Record<Verdict, number> {
  const summary: Record<Verdict, number> = { pass: 0, miss: 0, absent: 0 };
  for (const result of Object.values(goals)) summary[result.verdict]++;
  return summary;
}

export function buildJsonReport(input: ReportInput): JsonReport {
  const figureNames = Object.keys(input.figures).sort();
  const report: Record<string, unknown> = {};
  for (const name of figureNames) report[name] = input.figures[name];
  return {
    ...report,
    baselines: { ...input.baselines },
    goals: { ...input.goals },
    run: { ...input.run, summary: summarize(input.goals) },
  };
}

/** The figures of a report: its top-level numeric keys. */
export function figuresOf(report: JsonReport): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const [name, value] of Object.entries(report)) if (typeof value === 'number') figures[name] = value;
  return figures;
}

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (value === 0) return '0';
  return String(Number(value.toPrecision(3)));
}

/**
 * Two decimals, or more where two would round a ratio onto its goal's factor: a 0.4977x miss must
 * not read as 0.50x.
 */
export function formatRatio(ratio: number | null, factor?: number): string {
  if (ratio === null) return '-';
  let digits = 2;
  while (digits < 6 && ratio !== factor && Number(ratio.toFixed(digits)) === factor) digits++;
  return `${ratio.toFixed(digits)}x`;
}

const MARKS: Record<Verdict, string> = { pass: 'PASS', miss: 'MISS', absent: 'ABSENT' };

function renderColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
  );
}

function goalRows(report: JsonReport): string[][] {
  const rows: string[][] = [];
  for (const result of Object.values(report.goals)) {
    const goal = `${result.relation} ${result.factor === 1 ? '' : `${result.factor} x `}${result.reference}`;
    const reference =
      result.reference_kind === 'constant'
        ? '(fixed bound)'
        : `${result.reference} = ${formatNumber(result.reference_value)}`;
    rows.push([
      result.figure,
      formatNumber(result.value),
      goal,
      reference,
      formatRatio(result.ratio, result.factor),
      MARKS[result.verdict],
    ]);
  }
  return rows;
}

function ungoaledRows(report: JsonReport): string[][] {
  const judged = new Set(Object.values(report.goals).map((result) => result.figure));
  return Object.entries(figuresOf(report))
    .filter(([name]) => !judged.has(name))
    .map(([name, value]) => [name, formatNumber(value), '(no goal)', '', '', '']);
}

function baselineLines(report: JsonReport): string[] {
  const lines: string[] = [];
  for (const [name, details] of Object.entries(report.run.baseline_details)) {
    const value = report.baselines[name];
    const measures = typeof details['measures'] === 'string' ? details['measures'] : '';
    const samples = Array.isArray(details['samples']) ? `, best of ${details['samples'].length} runs` : '';
    const median =
      typeof details['median_per_s'] === 'number' ? ` (median ${formatNumber(details['median_per_s'])})` : '';
    lines.push(`  ${name} = ${formatNumber(value)}  ${measures}${samples}${median}`);
  }
  return lines;
}

/** The readable report: goals with their verdicts, other figures, baselines, what is absent and why. */
export function formatTable(report: JsonReport): string {
  const { run } = report;
  const lines: string[] = [];
  lines.push(`MMU Lens benchmarks${run.quick ? ' (--quick: small sizes, not fit for judging goals)' : ''}`);
  lines.push('');
  const header = ['Figure', 'Value', 'Goal', 'Baseline (same run)', 'Ratio', 'Verdict'];
  lines.push(...renderColumns([header, ...goalRows(report), ...ungoaledRows(report)]));
  const baselines = baselineLines(report);
  if (baselines.length > 0) lines.push('', 'Host baselines, measured in this run:', ...baselines);
  const absent = Object.entries(run.absent);
  if (absent.length > 0) lines.push('', 'Absent:', ...absent.map(([name, reason]) => `  ${name}: ${reason}`));
  if (run.problems.length > 0) lines.push('', 'Problems:', ...run.problems.map((problem) => `  ${problem}`));
  const { pass, miss, absent: notMeasured } = run.summary;
  lines.push(
    '',
    `Goals: ${pass} pass, ${miss} miss, ${notMeasured} absent. Took ${run.duration_s.toFixed(1)} s.`,
  );
  return `${lines.join('\n')}\n`;
}
