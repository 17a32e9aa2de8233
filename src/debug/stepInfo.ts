// A step as the views show it: its line and statement, its outcome, and what it changed in words.
// The words are those of `mmu-lens run --trace` (describeChanges), one event at a time, without the
// trace's aligned label column since the views show the event's kind beside the text. Each event
// names what it is about (a frame, a page, a region, an address) so that selecting it in the
// overview reveals that thing in the other views.

import { describeChanges } from '../cli/trace';
import type { MemoryEvent } from '../engine';
import { KERNEL_PT1024_BASE, MiB } from '../engine/constants';
import type { SelectionTargetDto, StepEventDto, StepInfoDto } from '../protocol/dto';
import type { StepReport } from '../scenario/interpreter';
import { spaceIdOf } from './addressSpaces';

/** Events of one kind listed before the rest are summed up in one line (a fork writes every PTE). */
export const MAX_EVENTS_PER_KIND = 200;

/** The trace prints a 10-character label and a space before each change. */
const TRACE_LABEL_WIDTH = 11;

const hex = (value: number): string => `0x${value.toString(16)}`;

/** `page_allocated` → `PageAllocated`. */
export function eventKindName(kind: MemoryEvent['kind']): string {
  return kind.replace(/(^|_)([a-z])/g, (_, __: string, letter: string) => letter.toUpperCase());
}

function withoutLabel(line: string): string {
  return line.length > TRACE_LABEL_WIDTH && line[TRACE_LABEL_WIDTH - 1] === ' '
    ? line.slice(TRACE_LABEL_WIDTH).trim()
    : line.trim();
}

/** What an event is about, for linking; null when it concerns no single thing the views show. */
export function eventTarget(event: MemoryEvent): SelectionTargetDto | null {
  switch (event.kind) {
    case 'page_allocated':
    case 'page_freed':
    case 'contiguous_pages_allocated':
    case 'page_table_allocated':
    case 'page_table_freed':
    case 'quickmap':
      return { kind: 'frame', paddr: hex(event.paddr) };
    case 'region_created':
    case 'region_access_changed':
      return { kind: 'region', spaceId: spaceIdOf(event.space), regionId: String(event.regionId) };
    case 'region_split': {
      const first = event.pieces[0];
      return first === undefined
        ? null
        : { kind: 'region', spaceId: spaceIdOf(event.space), regionId: String(first.regionId) };
    }
    case 'region_destroyed':
      return { kind: 'address', spaceId: spaceIdOf(event.space), vaddr: hex(event.base) };
    case 'pte_written':
    case 'page_fault':
      return {
        kind: 'page',
        spaceId: spaceIdOf(event.space),
        vaddr: hex(event.vaddr - (event.vaddr % 4096)),
      };
    case 'tlb_flush':
    case 'unquickmap':
      return event.kind === 'tlb_flush'
        ? { kind: 'address', spaceId: spaceIdOf(event.space), vaddr: hex(event.vaddr) }
        : { kind: 'address', spaceId: 'kernel', vaddr: hex(event.vaddr) };
    default:
      return null;
  }
}

/** The kernel's quickmap window: scaffolding of zero fills, copies and page-table edits. */
function isQuickmapScaffolding(event: MemoryEvent): boolean {
  if (event.kind === 'quickmap' || event.kind === 'unquickmap') return true;
  if (event.kind !== 'pte_written' && event.kind !== 'tlb_flush') return false;
  return event.space === 0 && event.vaddr >= KERNEL_PT1024_BASE && event.vaddr < KERNEL_PT1024_BASE + 2 * MiB;
}

/**
 * The events of a step in words, in order. The quickmap window's own PTE writes and flushes are
 * folded into one line at the end (as the trace does); after MAX_EVENTS_PER_KIND events of one
 * kind the rest are counted in a closing "More" line.
 */
export function describeStepEvents(events: readonly MemoryEvent[]): StepEventDto[] {
  const out: StepEventDto[] = [];
  const quickmaps: MemoryEvent[] = [];
  const perKind = new Map<string, number>();
  for (const event of events) {
    if (isQuickmapScaffolding(event)) {
      quickmaps.push(event);
      continue;
    }
    const kind = eventKindName(event.kind);
    const n = (perKind.get(kind) ?? 0) + 1;
    perKind.set(kind, n);
    if (n > MAX_EVENTS_PER_KIND) continue;
    const line = describeChanges([event])[0];
    if (line === undefined) continue;
    out.push({ kind, text: withoutLabel(line), target: eventTarget(event) });
  }
  const quickmapLine = describeChanges(quickmaps.filter((e) => e.kind === 'quickmap'))[0];
  if (quickmapLine !== undefined)
    out.push({ kind: 'Quickmap', text: withoutLabel(quickmapLine), target: null });
  for (const [kind, n] of perKind)
    if (n > MAX_EVENTS_PER_KIND)
      out.push({ kind: 'More', text: `${n - MAX_EVENTS_PER_KIND} more ${kind} events`, target: null });
  return out;
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
 * first, as events of kinds "Failed" and "Output".
 */
export function stepInfoDto(report: StepReport | null, sourceText: string, index: number): StepInfoDto {
  if (report === null)
    return { index, line: null, statement: '(boot)', outcome: 'ok', passed: true, events: [] };
  const events: StepEventDto[] = [];
  if (report.failed && report.message !== null)
    events.push({ kind: 'Failed', text: report.message, target: null });
  for (const line of report.output) events.push({ kind: 'Output', text: line, target: null });
  events.push(...describeStepEvents(report.events));
  return {
    index,
    line: report.range.start.line + 1,
    statement: statementText(sourceText, report),
    outcome: report.outcome,
    passed: !report.failed,
    events,
  };
}
