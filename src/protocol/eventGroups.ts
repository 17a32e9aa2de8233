// A step's events grouped for reading: a fork lists one PageAllocated per paging-structure page it
// builds for the child, and a hundred identical lines bury the few that say something else. A run of
// consecutive events of one kind becomes one row that names its cause (the statement that ran) and
// its count, and what the pages were for when they all were for the same; the row expands to the
// events themselves. Pure, so the overview draws what this decides.

import type { PagePurposeDto, StepEventDto } from './dto';
import { pagePurposeRunText, samePagePurpose } from './pagePurposes';
import { plural } from './plural';

/** Runs shorter than this stay as single rows: two lines read as fast as a summary of them. */
export const MIN_GROUPED_RUN = 3;

/** One row of the events list: a single event, or a run of events of one kind. */
export interface StepEventGroup {
  /** Index in the step's events of the first event of the row. */
  readonly first: number;
  /** How many consecutive events the row stands for (1 for a single event). */
  readonly count: number;
  readonly kind: string;
  /**
   * The row's words for a run: what its pages were for when they share it ("fork: 130
   * paging-structure pages for pid 2 (eager)"), else its count and span ("write: 3 PTEs written (a …
   * c)"); null for a single event.
   */
  readonly summary: string | null;
}

/** What a run of each kind amounts to, in words: [one, many]. */
const RUN_NOUNS: Record<string, [string, string]> = {
  PageAllocated: ['page allocated', 'pages allocated'],
  PageFreed: ['page freed', 'pages freed'],
  PteWritten: ['PTE written', 'PTEs written'],
  PteAccessed: ['PTE accessed', 'PTEs accessed'],
  PageTableAllocated: ['paging-structure page allocated', 'paging-structure pages allocated'],
  PageTableFreed: ['paging-structure page freed', 'paging-structure pages freed'],
  RegionCreated: ['region created', 'regions created'],
  RegionDestroyed: ['region destroyed', 'regions destroyed'],
  TlbFlush: ['TLB flush', 'TLB flushes'],
  Output: ['line printed', 'lines printed'],
};

/**
 * What caused a step's events, from its statement's text: the call it makes ("fork" of
 * "let c = fork(p)"), else its first word ("write" of "write p buf, 1"); "" for none.
 */
export function statementCause(statement: string): string {
  const call = /\b([A-Za-z_]\w*)\s*\(/.exec(statement);
  if (call !== null) return call[1]!;
  return /^\s*([A-Za-z_]\w*)/.exec(statement)?.[1] ?? '';
}

/** The purpose every event of a run has, or null when one has none or another. */
function sharedPurpose(events: readonly StepEventDto[], first: number, count: number): PagePurposeDto | null {
  const purpose = events[first]!.purpose;
  for (let i = first + 1; i < first + count; i++)
    if (!samePagePurpose(purpose, events[i]!.purpose)) return null;
  return purpose;
}

function runSummary(events: readonly StepEventDto[], first: number, count: number, cause: string): string {
  const prefix = cause === '' ? '' : `${cause}: `;
  const purpose = sharedPurpose(events, first, count);
  if (purpose !== null) return `${prefix}${pagePurposeRunText(purpose, count)}`;
  const kind = events[first]!.kind;
  const [one, many] = RUN_NOUNS[kind] ?? [`${kind} event`, `${kind} events`];
  const words = plural(count, one, many);
  const span = `${events[first]!.text} … ${events[first + count - 1]!.text}`;
  return `${prefix}${words} (${span})`;
}

/**
 * The rows of a step's events in order: each run of at least `minRun` consecutive events of one kind
 * becomes one row, the rest stay one row per event. "More" lines (events counted past the listing
 * limit) and failures always stand alone: they are already summaries, or must not hide in a run.
 */
export function groupStepEvents(
  events: readonly StepEventDto[],
  cause: string,
  minRun = MIN_GROUPED_RUN,
): StepEventGroup[] {
  const groups: StepEventGroup[] = [];
  let i = 0;
  while (i < events.length) {
    const kind = events[i]!.kind;
    let end = i + 1;
    const groupable = kind !== 'More' && kind !== 'Failed';
    while (groupable && end < events.length && events[end]!.kind === kind) end++;
    const count = end - i;
    if (count >= minRun) {
      groups.push({ first: i, count, kind, summary: runSummary(events, i, count, cause) });
    } else {
      for (let j = i; j < end; j++) groups.push({ first: j, count: 1, kind, summary: null });
    }
    i = end;
  }
  return groups;
}
