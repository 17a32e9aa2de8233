// What the Timeline panel shows of the recorded run, built from the StepView's compact step records:
// a range of slots (slot 0 is boot, slot s is step s) cut into buckets, and for each bucket which
// kinds of step it holds (the OR of its steps' marks), how many steps of each kind and the first
// one. A step's marks come from its record (outcome, failure, handled faults, kinds of event), from
// the breakpoints on the line of its statement and from the bookmarks on it.
//
// Work and memory stay bounded however long the run: the steps of the range are read once, a slice
// of at most MAX_RECORDS_PER_READ steps at a time, and what is kept grows with the buckets, never
// with the steps. The totals of the whole run are kept per history and extended as the run grows,
// so that a request for a few steps does not read the whole run again.

import { MAX_RECORDS_PER_READ, STEP_FLAGS, type StepRecords } from '../debug/StepLog';
import type { StepView } from '../debug/StepView';
import { MEMORY_EVENT_KINDS } from '../engine';
import {
  bucketOf,
  lowestMark,
  markBit,
  TIMELINE_MARK_KINDS,
  type TimelineDto,
  type TimelineMarkKind,
} from '../protocol/timeline';

export interface TimelineRequest {
  readonly from: number;
  readonly to: number;
  readonly buckets: number;
}

/** What marks steps besides their records: lines with a breakpoint (1-based) and bookmarked steps. */
export interface TimelineMarks {
  readonly breakpointLines: readonly number[];
  readonly bookmarkSteps: readonly number[];
}

const KINDS = TIMELINE_MARK_KINDS.length;

/** Outcomes that mark a step with a kind of their own. */
const OUTCOME_MARKS: ReadonlyMap<string, TimelineMarkKind> = new Map([
  ['zero_fault', 'zero_fault'],
  ['cow_fault', 'cow_fault'],
  ['inode_fault', 'inode_fault'],
  ['crash', 'crash'],
  ['oom', 'oom'],
  ['bus_error', 'bus_error'],
  ['panic', 'panic'],
]);

/** Kinds of engine event that mark the step that caused them, as [event bit, mark bit]. */
const EVENT_MARKS: readonly (readonly [number, number])[] = (
  [
    ['page_allocated', 'page_allocated'],
    ['page_freed', 'page_freed'],
    ['contiguous_pages_allocated', 'contiguous_pages_allocated'],
    ['process_created', 'process_created'],
    ['process_died', 'process_died'],
    ['panic', 'panic'],
  ] as const
).map(([event, mark]) => [1 << MEMORY_EVENT_KINDS.indexOf(event), markBit(mark)] as const);

/** The marks of each value of a step's flags byte. */
const FLAG_MARKS: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let flags = 0; flags < 256; flags++) {
    if ((flags & STEP_FLAGS.failed) !== 0) table[flags]! |= markBit('failed');
    for (const fault of ['zero_fault', 'cow_fault', 'inode_fault'] as const)
      if ((flags & STEP_FLAGS[fault]) !== 0) table[flags]! |= markBit(fault);
  }
  return table;
})();

/**
 * Tells the marks of a step from its record with tables rather than string compares: a million steps
 * are classified in milliseconds.
 */
class StepMarker {
  private outcomeMarks = new Uint32Array(0);

  private constructor(
    /** 1 at the number of every statement on a line with a breakpoint. */
    private readonly breakpoints: Uint8Array,
  ) {}

  /** The marker of a view's run with breakpoints on these lines. */
  static of(view: StepView, breakpointLines: readonly number[]): StepMarker {
    const lines: number[] = [];
    for (let line = view.statementLine(0); line >= 0; line = view.statementLine(lines.length))
      lines.push(line);
    // A breakpoint between statements stops at the next statement, as the debug adapter places it.
    const sorted = [...new Set(lines)].sort((a, b) => a - b);
    const hit = new Set<number>();
    for (const line of breakpointLines) {
      const next = sorted.find((start) => start >= line - 1);
      if (next !== undefined) hit.add(next);
    }
    return new StepMarker(Uint8Array.from(lines, (line) => (hit.has(line) ? 1 : 0)));
  }

  /** Learns the outcome names of a slice; a run meets a few dozen at most. */
  prepare(records: StepRecords): void {
    if (records.outcomeNames.length === this.outcomeMarks.length) return;
    this.outcomeMarks = Uint32Array.from(records.outcomeNames, (name) => {
      const kind = OUTCOME_MARKS.get(name);
      return kind === undefined ? 0 : markBit(kind);
    });
  }

  /** The marks of entry i of a prepared slice. */
  marksOf(records: StepRecords, i: number): number {
    let marks = FLAG_MARKS[records.flags[i]!]! | this.outcomeMarks[records.outcomes[i]!]!;
    const events = records.eventKinds[i]!;
    if (events !== 0) for (const [event, mark] of EVENT_MARKS) if ((events & event) !== 0) marks |= mark;
    if (this.breakpoints[records.statements[i]!] === 1) marks |= markBit('breakpoint');
    return marks;
  }
}

/** Calls `visit` with every step of [first, last] that has a mark, in order, a slice at a time. */
function visitMarkedSteps(
  view: StepView,
  first: number,
  last: number,
  marker: StepMarker,
  visit: (step: number, marks: number) => void,
): void {
  for (let start = first; start <= last; start += MAX_RECORDS_PER_READ) {
    const records = view.records(start, Math.min(MAX_RECORDS_PER_READ, last - start + 1));
    marker.prepare(records);
    for (let i = 0; i < records.count; i++) {
      const marks = marker.marksOf(records, i);
      if (marks !== 0) visit(start + i, marks);
    }
  }
}

/** Per bucket and kind: how many steps and the first one. */
class Buckets {
  readonly kinds: Uint32Array;
  private readonly counts: Uint32Array;
  private readonly firsts: Uint32Array;

  constructor(
    readonly from: number,
    readonly to: number,
    readonly size: number,
  ) {
    this.kinds = new Uint32Array(size);
    this.counts = new Uint32Array(size * KINDS);
    this.firsts = new Uint32Array(size * KINDS);
  }

  add(step: number, marks: number): void {
    const bucket = bucketOf(this.from, this.to, this.size, step);
    this.kinds[bucket]! |= marks;
    for (let rest = marks; rest !== 0; rest &= rest - 1) {
      const at = bucket * KINDS + lowestMark(rest);
      if (this.counts[at] === 0) this.firsts[at] = step;
      this.counts[at]!++;
    }
  }

  /** The counts and first steps of each bucket's kinds, lowest kind first, as the DTO lists them. */
  sparse(): { counts: number[]; firsts: number[] } {
    const counts: number[] = [];
    const firsts: number[] = [];
    for (let bucket = 0; bucket < this.size; bucket++) {
      for (let rest = this.kinds[bucket]!; rest !== 0; rest &= rest - 1) {
        const at = bucket * KINDS + lowestMark(rest);
        counts.push(this.counts[at]!);
        firsts.push(this.firsts[at]!);
      }
    }
    return { counts, firsts };
  }
}

/** Run-wide counts of each kind, for one history and one set of breakpoint lines, up to a step. */
interface KeptTotals {
  readonly revision: number;
  readonly breakpoints: string;
  upTo: number;
  readonly counts: number[];
}

/** Builds the Timeline's summaries of the runs it is shown, keeping each run's totals as it grows. */
export class TimelineSummaries {
  private kept: KeptTotals | null = null;

  /** Slots [from, to) of the view's run in buckets; the range is narrowed to the slots recorded. */
  timeline(view: StepView, request: TimelineRequest, marks: TimelineMarks): TimelineDto {
    const to = Math.min(request.to, view.furthest + 1);
    const from = Math.min(request.from, to - 1);
    const buckets = new Buckets(from, to, Math.max(1, Math.min(request.buckets, to - from)));
    const marker = StepMarker.of(view, marks.breakpointLines);
    visitMarkedSteps(view, Math.max(1, from), to - 1, marker, (step, m) => buckets.add(step, m));
    const bookmarks = [...new Set(marks.bookmarkSteps)].filter((step) => step <= view.furthest);
    for (const step of bookmarks) if (step >= from && step < to) buckets.add(step, markBit('bookmark'));
    const totals = [...this.totals(view, marker, marks.breakpointLines)];
    totals[TIMELINE_MARK_KINDS.indexOf('bookmark')] = bookmarks.length;
    return { from, to, stepCount: view.furthest, kinds: [...buckets.kinds], ...buckets.sparse(), totals };
  }

  /** The counts of each kind over the whole run, extended from those kept when the run grew. */
  private totals(view: StepView, marker: StepMarker, breakpointLines: readonly number[]): readonly number[] {
    const breakpoints = [...breakpointLines].sort((a, b) => a - b).join(',');
    let kept = this.kept;
    if (
      kept === null ||
      kept.revision !== view.revision ||
      kept.breakpoints !== breakpoints ||
      kept.upTo > view.furthest
    ) {
      kept = { revision: view.revision, breakpoints, upTo: 0, counts: TIMELINE_MARK_KINDS.map(() => 0) };
      this.kept = kept;
    }
    const counts = kept.counts;
    visitMarkedSteps(view, kept.upTo + 1, view.furthest, marker, (_step, marks) => {
      for (let rest = marks; rest !== 0; rest &= rest - 1) counts[lowestMark(rest)]!++;
    });
    kept.upTo = view.furthest;
    return counts;
  }
}
