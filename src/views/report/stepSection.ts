// One step of the report: which step it is and why it was chosen, its statement and outcome, what it
// did in the words of the shared event presenter, what changed since the step shown before it, and
// the machine as the panels show it: regions, page-table walks, zones and the DMA/MMIO map.

import type { ChangeSetDto, MachineStateDto, StepInfoDto } from '../../protocol/dto';
import { changesSection } from './changesSection';
import type { ChosenStep, StepReason } from './chooseSteps';
import { devicesSection } from './devicesSection';
import { type Html, el, plural } from './html';
import { regionsSection } from './regionsSection';
import { walksSection } from './walksSection';
import { zonesSection } from './zonesSection';

/** Events listed per step at most; the rest are counted. */
export const MAX_LISTED_EVENTS = 40;

export const REASON_WORDS: Readonly<Record<StepReason, string>> = {
  boot: 'the machine after boot',
  failed: 'a failed step',
  last: 'the last step',
  asked: 'asked for',
  stop: 'the current stop',
  compared: 'the step the panels compare with',
};

export const stepAnchor = (index: number): string => `step-${index}`;

function stepHeading(step: StepInfoDto, reasons: readonly StepReason[]): Html {
  return el(
    'h2',
    {},
    `Step ${step.index}`,
    step.line === null ? '' : ` · line ${step.line}`,
    ' ',
    el(
      'span',
      { class: `badge ${step.passed ? 'ok' : 'failed'}` },
      step.passed ? step.outcome : `failed: ${step.outcome}`,
    ),
    ' ',
    el('span', { class: 'reasons' }, reasons.map((reason) => REASON_WORDS[reason]).join(', ')),
  );
}

function eventList(step: StepInfoDto): Html {
  if (step.index === 0)
    return el('p', { class: 'muted' }, 'The machine has booted; no statement has run yet.');
  if (step.line === null)
    return el(
      'p',
      { class: 'muted' },
      'The debug session keeps what a step did for its current stop only; this step is shown by its outcome and state.',
    );
  if (step.events.length === 0)
    return el('p', { class: 'muted' }, 'The step changed nothing in the memory manager.');
  const shown = step.events.slice(0, MAX_LISTED_EVENTS);
  return el(
    'ul',
    { class: 'events' },
    shown.map((event) =>
      // The presenter's count of what it left out reads as a sentence of its own.
      event.kind === 'More'
        ? el('li', { class: 'more' }, `… ${event.text}`)
        : el(
            'li',
            { class: `event event-${event.kind}` },
            el('span', { class: 'kind' }, event.kind),
            ' ',
            el('span', { class: 'text' }, event.text),
          ),
    ),
    step.events.length > shown.length
      ? el('li', { class: 'muted' }, `… ${plural(step.events.length - shown.length, 'more event')}`)
      : null,
  );
}

/** A step's section; `previous` is the step shown before it, whose changes to this one are listed. */
export function stepSection(
  step: ChosenStep,
  previous: { state: MachineStateDto; changes: ChangeSetDto } | null,
): Html {
  const { state } = step;
  const info = state.step;
  return el(
    'section',
    { class: `step${info.passed ? '' : ' failed'}`, id: stepAnchor(info.index) },
    stepHeading(info, step.reasons),
    info.statement === '' ? null : el('pre', { class: 'statement' }, info.statement),
    state.halted ? el('p', { class: 'badge failed' }, 'The machine has halted: no later step runs.') : null,
    el('section', { class: 'part' }, el('h3', {}, 'What the step did'), eventList(info)),
    previous === null ? null : changesSection(previous.state, state, previous.changes),
    regionsSection(state.addressSpaces, previous?.changes ?? null),
    walksSection(step.walks, step.walksLeftOut, state.addressSpaces),
    zonesSection(state, previous?.changes ?? null),
    devicesSection(state.dmaMmio),
  );
}
