// A step as the views show it: its line and statement, its outcome, and what it changed in words.
// The words, the links and which events are listed come from the shared event presenter (the same
// as `mmu-lens run --trace`); here they only become StepEventDtos, with each event's kind named in
// PascalCase since the views show it beside the text.

import type { MemoryEvent } from '../engine';
import type { StepEventDto, StepInfoDto } from '../protocol/dto';
import { plural } from '../protocol/plural';
import { type EventKind, summarizeEvents } from '../scenario/describeEvent';
import type { Statement } from '../scenario/ast';
import type { StepReport } from '../scenario/interpreter';

/** Events of one kind listed before the rest are summed up in one line (a fork writes every PTE). */
export const MAX_EVENTS_PER_KIND = 200;

/** `page_allocated` → `PageAllocated`. */
export function eventKindName(kind: EventKind): string {
  return kind.replace(/(^|_)([a-z])/g, (_, __: string, letter: string) => letter.toUpperCase());
}

/**
 * The events of a step in words, in order: the quickmap window's scaffolding folded into one line
 * at the end, and past `limit` events of one kind the rest counted in a "More" line.
 */
export function describeStepEvents(
  events: readonly MemoryEvent[],
  limit = MAX_EVENTS_PER_KIND,
): StepEventDto[] {
  const summary = summarizeEvents(events, { limit, groupOf: eventKindName });
  return [
    ...summary.listed.map(({ kind, text, target, purpose }) => ({
      kind: eventKindName(kind),
      text,
      target,
      purpose,
    })),
    ...summary.more.map(({ group, count }) => ({
      kind: 'More',
      text: `${plural(count, `more ${group} event`)}`,
      target: null,
      purpose: null,
    })),
  ];
}

/**
 * The first line of a statement's source text (a repeat or proc spans its whole block). Without the
 * text (a session that cannot give it) the statement's kind stands in, e.g. "(write statement)".
 */
function statementText(sourceText: string, report: StepReport): string {
  const { start, end } = report.range;
  if (end.offset > sourceText.length || end.offset <= start.offset)
    return `(${report.statement.kind} statement)`;
  const text = sourceText.slice(start.offset, end.offset);
  const newline = text.search(/\r?\n/);
  return (newline < 0 ? text : text.slice(0, newline)).trim();
}

/**
 * The step a state belongs to: `report` is the step that led to it (null for the state after boot,
 * index 0), `sourceText` the scenario's text. A failure message and the step's print output come
 * first, as events of kinds "Failed" and "Output". Past `eventsPerKind` events of one kind the rest
 * are counted. `next` is the statement the following step runs (the editor's arrow is on its line).
 */
export function stepInfoDto(
  report: StepReport | null,
  sourceText: string,
  index: number,
  next: Statement | null,
  eventsPerKind = MAX_EVENTS_PER_KIND,
): StepInfoDto {
  const nextLine = next === null ? null : next.range.start.line + 1;
  if (report === null)
    return { index, line: null, nextLine, statement: '(boot)', outcome: 'ok', passed: true, events: [] };
  const events: StepEventDto[] = [];
  if (report.failed && report.message !== null)
    events.push({ kind: 'Failed', text: report.message, target: null, purpose: null });
  for (const line of report.output) events.push({ kind: 'Output', text: line, target: null, purpose: null });
  events.push(...describeStepEvents(report.events, eventsPerKind));
  return {
    index,
    line: report.range.start.line + 1,
    nextLine,
    statement: statementText(sourceText, report),
    outcome: report.outcome,
    passed: !report.failed,
    events,
  };
}
