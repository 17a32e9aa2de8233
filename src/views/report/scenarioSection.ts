// The scenario's text in the report, numbered by line, with the lines of the chosen steps marked and
// linked to their sections. A very long scenario is shown around the marked lines only, and says so.

import { type Html, el, plural } from './html';
import { stepAnchor } from './stepSection';

/** Past this many lines only the start and the marked lines with some context are shown. */
export const MAX_SOURCE_LINES = 2000;
const CONTEXT_LINES = 4;
const HEAD_LINES = 20;

/** Which lines to show: all of a short text; of a long one the head and the marked lines' surroundings. */
function visibleLines(count: number, marked: ReadonlyMap<number, readonly number[]>): boolean[] {
  if (count <= MAX_SOURCE_LINES) return new Array<boolean>(count).fill(true);
  const visible = Array.from({ length: count }, (_, i) => i < HEAD_LINES);
  for (const line of marked.keys())
    for (
      let i = Math.max(0, line - 1 - CONTEXT_LINES);
      i <= Math.min(count - 1, line - 1 + CONTEXT_LINES);
      i++
    )
      visible[i] = true;
  return visible;
}

function lineRow(number: number, text: string, steps: readonly number[] | undefined): Html {
  return el(
    'div',
    { class: `line${steps === undefined ? '' : ' marked'}`, id: `line-${number}` },
    el('span', { class: 'ln', 'aria-hidden': 'true' }, number),
    el('code', {}, text === '' ? ' ' : text),
    steps === undefined
      ? null
      : el(
          'span',
          { class: 'step-links' },
          steps.map((step) => el('a', { href: `#${stepAnchor(step)}` }, `step ${step}`)),
        ),
  );
}

/** The scenario's lines; `stepsByLine` maps a 1-based line to the chosen steps that ran it. */
export function scenarioSection(
  sourceText: string,
  stepsByLine: ReadonlyMap<number, readonly number[]>,
): Html {
  const lines = sourceText.split(/\r?\n/);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  const visible = visibleLines(lines.length, stepsByLine);
  const rows: Html[] = [];
  let skipped = 0;
  lines.forEach((text, i) => {
    if (!visible[i]) {
      skipped++;
      return;
    }
    if (skipped > 0)
      rows.push(el('div', { class: 'line skipped' }, `… ${plural(skipped, 'line')} not shown`));
    skipped = 0;
    rows.push(lineRow(i + 1, text, stepsByLine.get(i + 1)));
  });
  if (skipped > 0) rows.push(el('div', { class: 'line skipped' }, `… ${plural(skipped, 'line')} not shown`));
  return el(
    'section',
    { class: 'card', id: 'scenario' },
    el('h2', {}, 'Scenario'),
    lines.length > MAX_SOURCE_LINES
      ? el('p', { class: 'muted' }, `${plural(lines.length, 'line')}: shown around the marked lines only.`)
      : null,
    el('div', { class: 'source', role: 'region', 'aria-label': 'Scenario text' }, rows),
  );
}
