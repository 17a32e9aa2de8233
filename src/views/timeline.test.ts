import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_RECORDS_PER_READ, StepLog, type StepSummary } from '../debug/StepLog';
import type { StepView } from '../debug/StepView';
import type { StepReport } from '../debug/scenarioTypes';
import { Timeline } from '../debug/Timeline';
import { MEMORY_EVENT_KINDS } from '../engine';
import {
  bucketStart,
  lowestMark,
  markBit,
  TIMELINE_MARK_KINDS,
  TimelineDto as TimelineSchema,
  type TimelineDto,
  type TimelineMarkKind,
} from '../protocol/timeline';
import { Interpreter } from '../scenario/interpreter';
import { valid } from './stateTestSupport';
import { TimelineSummaries, type TimelineMarks } from './timeline';

// The Timeline's bucket summaries: each bucket holds the OR of its steps' kinds with counts and first
// steps, the range is honoured at both ends, and a million steps are read once, a bounded slice at a
// time, with the run-wide totals kept and extended rather than read again.

const root = path.resolve(__dirname, '..', '..', '..');
const FORK = 'examples/02-fork-copy-on-write.mmu';
const NO_MARKS: TimelineMarks = { breakpointLines: [], bookmarkSteps: [] };

/** The fork example run to its end under a real timeline; its view and its text. */
function forkRun(): { view: StepView; lines: string[] } {
  const text = fs.readFileSync(path.join(root, FORK), 'utf8');
  const interpreter = Interpreter.start(text, FORK).interpreter;
  assert.ok(interpreter !== null);
  const timeline = new Timeline(interpreter);
  while (!interpreter.finished) timeline.stepForward();
  return { view: timeline.view(), lines: text.split('\n') };
}

/** The kinds of one step, told from its summary with strings: the reference the buckets must match. */
function kindsOf(summary: StepSummary): Set<TimelineMarkKind> {
  const kinds = new Set<TimelineMarkKind>();
  for (const fault of summary.faults) kinds.add(fault as TimelineMarkKind);
  if (summary.failed) kinds.add('failed');
  if (
    ['zero_fault', 'cow_fault', 'inode_fault', 'crash', 'oom', 'bus_error', 'panic'].includes(summary.outcome)
  )
    kinds.add(summary.outcome as TimelineMarkKind);
  MEMORY_EVENT_KINDS.forEach((event, bit) => {
    if ((summary.eventKinds & (1 << bit)) === 0) return;
    if ((TIMELINE_MARK_KINDS as readonly string[]).includes(event)) kinds.add(event as TimelineMarkKind);
  });
  return kinds;
}

const maskOf = (kinds: Iterable<TimelineMarkKind>): number => {
  let mask = 0;
  for (const kind of kinds) mask |= markBit(kind);
  return mask;
};

/** A bucket's kinds, each with its count and first step, decoded from the sparse arrays. */
function bucketMarks(timeline: TimelineDto): Map<TimelineMarkKind, { count: number; first: number }>[] {
  let at = 0;
  return timeline.kinds.map((mask) => {
    const marks = new Map<TimelineMarkKind, { count: number; first: number }>();
    for (let rest = mask; rest !== 0; rest &= rest - 1, at++)
      marks.set(TIMELINE_MARK_KINDS[lowestMark(rest)]!, {
        count: timeline.counts[at]!,
        first: timeline.firsts[at]!,
      });
    return marks;
  });
}

const stepOfLine = (view: StepView, lines: string[], start: string): number => {
  const line = lines.findIndex((text) => text.startsWith(start));
  for (let step = 1; step <= view.furthest; step++)
    if (view.statementLine(view.summary(step).statement) === line) return step;
  return assert.fail(`no step ran "${start}"`);
};

describe('timeline summaries', () => {
  it('mark each step of the fork example with its faults, the fork, the crash and the exit', () => {
    const { view, lines } = forkRun();
    const slots = view.furthest + 1;
    const timeline = valid(
      TimelineSchema,
      new TimelineSummaries().timeline(view, { from: 0, to: slots, buckets: slots }, NO_MARKS),
    );
    assert.deepStrictEqual([timeline.from, timeline.to, timeline.stepCount], [0, slots, view.furthest]);
    assert.strictEqual(timeline.kinds[0], 0, 'boot has no marks');
    for (let step = 1; step <= view.furthest; step++)
      assert.strictEqual(timeline.kinds[step], maskOf(kindsOf(view.summary(step))), `kinds of step ${step}`);
    const kinds = (step: number): TimelineMarkKind[] => [...(bucketMarks(timeline)[step]?.keys() ?? [])];
    assert.ok(kinds(stepOfLine(view, lines, 'write parent buf, "A"')).includes('zero_fault'));
    assert.ok(kinds(stepOfLine(view, lines, 'fork parent as child')).includes('process_created'));
    assert.ok(kinds(stepOfLine(view, lines, 'write child buf + 1')).includes('cow_fault'));
    const crash = kinds(stepOfLine(view, lines, 'write parent 0, 1'));
    assert.ok(crash.includes('crash') && crash.includes('process_died'), `the crash step: ${crash}`);
    const total = (kind: TimelineMarkKind): number => timeline.totals[TIMELINE_MARK_KINDS.indexOf(kind)]!;
    // Two processes are created: the parent by its `process` line, the child by the fork.
    assert.deepStrictEqual(
      [total('zero_fault'), total('cow_fault'), total('process_created'), total('crash')],
      [3, 2, 2, 1],
    );
  });

  it('OR the kinds of the steps a bucket holds, with their counts and first steps', () => {
    const { view } = forkRun();
    const slots = view.furthest + 1;
    const timeline = new TimelineSummaries().timeline(view, { from: 0, to: slots, buckets: 4 }, NO_MARKS);
    assert.strictEqual(timeline.kinds.length, 4);
    bucketMarks(timeline).forEach((marks, bucket) => {
      const expected = new Map<TimelineMarkKind, { count: number; first: number }>();
      for (let step = bucketStart(0, slots, 4, bucket); step < bucketStart(0, slots, 4, bucket + 1); step++) {
        if (step === 0) continue;
        for (const kind of kindsOf(view.summary(step))) {
          const seen = expected.get(kind);
          expected.set(kind, { count: (seen?.count ?? 0) + 1, first: seen?.first ?? step });
        }
      }
      assert.deepStrictEqual(marks, expected, `bucket ${bucket}`);
    });
  });

  it('honour both ends of the run and narrow a range past its last step', () => {
    const { view } = forkRun();
    const summaries = new TimelineSummaries();
    const boot = summaries.timeline(view, { from: 0, to: 1, buckets: 1 }, NO_MARKS);
    assert.deepStrictEqual([boot.from, boot.to, boot.kinds], [0, 1, [0]]);
    const last = view.furthest;
    const end = summaries.timeline(view, { from: last, to: last + 1, buckets: 1 }, NO_MARKS);
    assert.deepStrictEqual(end.kinds, [maskOf(kindsOf(view.summary(last)))]);
    const beyond = summaries.timeline(view, { from: last - 1, to: last + 500, buckets: 40 }, NO_MARKS);
    assert.deepStrictEqual([beyond.from, beyond.to, beyond.kinds.length], [last - 1, last + 1, 2]);
    const past = summaries.timeline(view, { from: last + 10, to: last + 20, buckets: 5 }, NO_MARKS);
    assert.deepStrictEqual([past.from, past.to], [last, last + 1]);
  });

  it('mark the steps of lines with a breakpoint, and of a line between statements the next one', () => {
    const { view, lines } = forkRun();
    const slots = view.furthest + 1;
    const fork = lines.findIndex((text) => text.startsWith('fork parent'));
    const comment = lines.findIndex((text) => text.startsWith('// The child writes first'));
    const marks = { breakpointLines: [fork + 1, comment + 1], bookmarkSteps: [] };
    const timeline = new TimelineSummaries().timeline(view, { from: 0, to: slots, buckets: slots }, marks);
    const marked = timeline.kinds.flatMap((mask, step) =>
      (mask & markBit('breakpoint')) !== 0 ? [step] : [],
    );
    assert.deepStrictEqual(marked, [
      stepOfLine(view, lines, 'fork parent as child'),
      stepOfLine(view, lines, 'write child buf + 1'),
    ]);
    assert.strictEqual(timeline.totals[TIMELINE_MARK_KINDS.indexOf('breakpoint')], 2);
  });

  it('mark bookmarked steps that were reached, and count them', () => {
    const { view } = forkRun();
    const marks = { breakpointLines: [], bookmarkSteps: [4, 4, 9, view.furthest + 3] };
    const timeline = new TimelineSummaries().timeline(view, { from: 2, to: 12, buckets: 10 }, marks);
    assert.strictEqual(timeline.kinds[2]! & markBit('bookmark'), markBit('bookmark'));
    assert.strictEqual(timeline.kinds[7]! & markBit('bookmark'), markBit('bookmark'));
    assert.strictEqual(timeline.totals[TIMELINE_MARK_KINDS.indexOf('bookmark')], 2);
  });

  describe('of a million steps', () => {
    const STEPS = 1_000_000;
    /** Steps 1, 1001, 2001… allocate a page, every 4000th zero-faults, every 250,000th forks; step 999,999 crashes. */
    const report = (step: number): StepReport =>
      ({
        outcome: step === 999_999 ? 'crash' : 'ok',
        failed: false,
        faults: step % 4000 === 0 ? ['zero_fault'] : [],
        events: [
          ...(step % 1000 === 1 ? [{ kind: 'page_allocated' }] : []),
          ...(step % 250_000 === 0 ? [{ kind: 'process_created' }] : []),
        ],
      }) as unknown as StepReport;
    const log = new StepLog(0);
    const reads: number[] = [];
    let summaries = 0;
    let revision = 1;
    /** A StepView over the log that counts what the summaries read. */
    const view = {
      get furthest() {
        return log.length;
      },
      get revision() {
        return revision;
      },
      records(first: number, count: number) {
        reads.push(count);
        return log.records(first, count);
      },
      summary(index: number) {
        summaries++;
        return log.summary(index);
      },
      statementLine: (statement: number) => (statement === 0 ? 0 : -1),
    } as unknown as StepView;

    before(() => {
      for (let step = 1; step <= STEPS; step++) log.push(report(step), 0, 0);
    });

    beforeEach(() => {
      reads.length = 0;
    });

    it('reads each step once, a bounded slice at a time, into as many buckets as asked', () => {
      const timeline = new TimelineSummaries().timeline(
        view,
        { from: 0, to: STEPS + 1, buckets: 1000 },
        NO_MARKS,
      );
      assert.strictEqual(timeline.kinds.length, 1000);
      assert.ok(Math.max(...reads) <= MAX_RECORDS_PER_READ, `a read of ${Math.max(...reads)} steps`);
      // The buckets and the run-wide totals each read the run once.
      assert.strictEqual(
        reads.reduce((a, b) => a + b, 0),
        2 * STEPS,
      );
      assert.strictEqual(summaries, 0, 'a summary object was built per step');
      const pages = markBit('page_allocated');
      assert.ok(
        timeline.kinds.every((mask) => (mask & pages) !== 0),
        'a bucket of 1000 steps without a page',
      );
      const forks = timeline.kinds.flatMap((mask, b) =>
        (mask & markBit('process_created')) !== 0 ? [b] : [],
      );
      assert.deepStrictEqual(forks, [250, 500, 750, 999]);
      assert.strictEqual(timeline.kinds[999]! & markBit('crash'), markBit('crash'));
      const total = (kind: TimelineMarkKind): number => timeline.totals[TIMELINE_MARK_KINDS.indexOf(kind)]!;
      assert.deepStrictEqual(
        [total('page_allocated'), total('zero_fault'), total('process_created'), total('crash')],
        [1000, 250, 4, 1],
      );
    });

    it('reads only the range asked for once the totals are kept, and only new steps as the run grows', () => {
      const kept = new TimelineSummaries();
      kept.timeline(view, { from: 0, to: STEPS + 1, buckets: 10 }, NO_MARKS);
      reads.length = 0;
      const near = kept.timeline(view, { from: 499_990, to: 500_010, buckets: 20 }, NO_MARKS);
      assert.strictEqual(
        reads.reduce((a, b) => a + b, 0),
        20,
      );
      assert.deepStrictEqual(bucketMarks(near)[10]?.get('process_created'), { count: 1, first: 500_000 });
      for (let step = STEPS + 1; step <= STEPS + 10; step++) log.push(report(step), 0, 0);
      reads.length = 0;
      const grown = kept.timeline(view, { from: STEPS, to: STEPS + 11, buckets: 11 }, NO_MARKS);
      assert.strictEqual(
        reads.reduce((a, b) => a + b, 0),
        11 + 10,
      );
      assert.strictEqual(grown.stepCount, STEPS + 10);
      revision++;
      reads.length = 0;
      kept.timeline(view, { from: 0, to: 2, buckets: 1 }, NO_MARKS);
      assert.strictEqual(
        reads.reduce((a, b) => a + b, 0),
        1 + STEPS + 10,
        'a new history is counted anew',
      );
    });
  });
});
