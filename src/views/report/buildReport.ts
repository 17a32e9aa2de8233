// The step report: one self-contained HTML file that shares a run of a scenario. It holds the
// scenario's text with the chosen steps' lines marked and, for each chosen step, what the panels
// show of it, with the changes from the step shown before. Inline CSS and SVG only: no script, no
// link, image or font from anywhere, and a content security policy that would refuse them anyway.
// Shared by `mmu-lens run --report` and the extension's "Export Step Report"; free of vscode.

import { computeChangeSet } from '../../protocol/stateDiff';
import type { ChosenStep, RunFailure, StepChoice } from './chooseSteps';
import { MAX_DEFAULT_STEPS } from './chooseSteps';
import { type Html, el, fragment, plural, trusted } from './html';
import { scenarioSection } from './scenarioSection';
import { REASON_WORDS, stepAnchor, stepSection } from './stepSection';
import { reportStyle } from './style';

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export interface StepReportInput {
  /** The scenario file's name, the report's title. */
  readonly scenarioName: string;
  readonly sourceText: string;
  /** The chosen steps, captured; any order (they are shown by step number). */
  readonly steps: readonly ChosenStep[];
  readonly choice: StepChoice;
  /** Steps run (a whole run) or recorded so far (a debug session). */
  readonly stepCount: number;
  /** Whether the run is over, or a debug session may run further. */
  readonly finished: boolean;
  /** The first failed steps, and how many failed in all. */
  readonly failures: readonly RunFailure[];
  readonly failureCount: number;
  /** What made the report, e.g. "mmu-lens run". */
  readonly madeBy: string;
}

function runSummary(input: StepReportInput): string {
  const steps = plural(input.stepCount, 'step');
  const failed =
    input.failureCount === 0 ? 'none failed' : `${input.failureCount.toLocaleString('en-US')} failed`;
  return input.finished ? `${steps} run, ${failed}` : `${steps} recorded so far, ${failed}`;
}

function choiceText(choice: StepChoice): string {
  switch (choice.kind) {
    case 'default':
      return (
        `Shown: step 0, every failed step and the last step (the default choice, at most ${MAX_DEFAULT_STEPS} steps).` +
        (choice.failedShown < choice.failedSeen
          ? ` The run has ${plural(choice.failedSeen, 'failed step')}; the first ${choice.failedShown} are shown.`
          : '')
      );
    case 'asked':
      return 'Shown: the steps asked for.';
    case 'stop':
      return 'Shown: the debug session’s current stop and the step the panels compare it with.';
  }
}

function failureList(input: StepReportInput): Html | null {
  if (input.failures.length === 0) return null;
  const more = input.failureCount - input.failures.length;
  return fragment(
    el('h3', {}, 'Failed steps'),
    el(
      'ul',
      { class: 'failures' },
      input.failures.map((f) =>
        el(
          'li',
          {},
          `step ${f.step}`,
          f.line === null ? '' : `, line ${f.line}`,
          f.message === null ? '' : `: ${f.message}`,
        ),
      ),
      more > 0 ? el('li', { class: 'muted' }, `… ${plural(more, 'more')}`) : null,
    ),
  );
}

function summarySection(input: StepReportInput, steps: readonly ChosenStep[]): Html {
  return el(
    'section',
    { class: 'card', id: 'summary' },
    el('h2', {}, 'What this report shows'),
    el('p', {}, choiceText(input.choice)),
    el(
      'ol',
      { class: 'chosen' },
      steps.map((step) => {
        const info = step.state.step;
        return el(
          'li',
          {},
          el('a', { href: `#${stepAnchor(info.index)}` }, `Step ${info.index}`),
          info.line === null ? '' : ` (line ${info.line})`,
          ` — ${step.reasons.map((reason) => REASON_WORDS[reason]).join(', ')}`,
          info.passed ? '' : ' ✕',
        );
      }),
    ),
    failureList(input),
    el(
      'p',
      { class: 'muted note' },
      'Page strips and frame maps are drawn as runs of equal states; where the runs would be too many, ' +
        'several pages or frames share a cell, which shows their most telling state, and the picture says how many. ' +
        'Long lists are cut short and say how much was left out. Hover over a picture for its details.',
    ),
  );
}

/** Line (1-based) → the chosen steps whose statement is on it. */
function stepsByLine(steps: readonly ChosenStep[]): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const step of steps) {
    const line = step.state.step.line;
    if (line === null) continue;
    map.set(line, [...(map.get(line) ?? []), step.state.step.index]);
  }
  return map;
}

function head(title: string): Html {
  return el(
    'head',
    {},
    el('meta', { charset: 'utf-8' }),
    el('meta', { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }),
    el('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    el('meta', { name: 'color-scheme', content: 'light dark' }),
    el('title', {}, title),
    el('style', {}, trusted(reportStyle())),
  );
}

/** The report as one HTML document. */
export function buildStepReport(input: StepReportInput): string {
  const steps = [...input.steps].sort((a, b) => a.state.step.index - b.state.step.index);
  const title = `MMU Lens step report: ${input.scenarioName}`;
  const sections = steps.map((step, i) => {
    const before = i === 0 ? null : steps[i - 1]!.state;
    return stepSection(
      step,
      before === null ? null : { state: before, changes: computeChangeSet(before, step.state) },
    );
  });
  const body = el(
    'body',
    {},
    el(
      'header',
      {},
      el('h1', {}, 'MMU Lens step report'),
      el(
        'p',
        { class: 'muted' },
        el('b', {}, input.scenarioName),
        ` · ${runSummary(input)} · ${plural(steps.length, 'step')} shown · made by ${input.madeBy}`,
      ),
    ),
    summarySection(input, steps),
    scenarioSection(input.sourceText, stepsByLine(steps)),
    sections,
  );
  return `<!DOCTYPE html>\n${el('html', { lang: 'en' }, head(title), body).text}\n`;
}
