import * as assert from 'assert';
import type { MemoryEvent } from '../engine';
import { MAX_RECORDS_PER_READ, STEP_FLAGS, StepLog } from './StepLog';
import type { StepReport } from './scenarioTypes';

// The step log's bulk read: copies of its columns for a range of steps, which must say exactly what
// the per-step summaries say, across the boundaries of its chunks.

const OUTCOMES = ['ok', 'zero_fault', 'cow_fault', 'crash', 'oom', 'ENOMEM'];

/** A report with only what the log keeps: outcome, failure, faults and the kinds of its events. */
function report(step: number): StepReport {
  const outcome = OUTCOMES[step % OUTCOMES.length]!;
  const events: MemoryEvent[] = [];
  if (step % 3 === 0)
    events.push({
      kind: 'page_allocated',
      paddr: 0,
      committed: false,
      purpose: 'zero_fill',
      space: 1,
    });
  if (step % 7 === 0) events.push({ kind: 'process_created', pid: 2, name: 'child', parent: 1 });
  const faults = step % 5 === 0 ? ['zero_fault', 'cow_fault'] : step % 11 === 0 ? ['inode_fault'] : [];
  return { outcome, failed: step % 13 === 0, faults, events } as unknown as StepReport;
}

function filledLog(steps: number): StepLog {
  const log = new StepLog(0);
  for (let step = 1; step <= steps; step++) log.push(report(step), step % 97, 0);
  return log;
}

describe('StepLog', () => {
  it('reads a range of steps in bulk exactly as their summaries tell them, across chunks', () => {
    const log = filledLog(140_000);
    const first = 65_000;
    const records = log.records(first, MAX_RECORDS_PER_READ);
    assert.strictEqual(records.count, MAX_RECORDS_PER_READ);
    for (let i = 0; i < records.count; i++) {
      const step = first + i;
      const summary = log.summary(step);
      assert.strictEqual(records.statements[i], summary.statement, `statement of step ${step}`);
      assert.strictEqual(records.outcomeNames[records.outcomes[i]!], summary.outcome);
      assert.strictEqual(records.eventKinds[i], summary.eventKinds);
      const flags = records.flags[i]!;
      assert.strictEqual((flags & STEP_FLAGS.failed) !== 0, summary.failed, `failed of step ${step}`);
      const faults = (['zero_fault', 'cow_fault', 'inode_fault'] as const).filter(
        (fault) => (flags & STEP_FLAGS[fault]) !== 0,
      );
      assert.deepStrictEqual(faults, summary.faults, `faults of step ${step}`);
    }
  });

  it('reads the first and the last step, and nothing at all', () => {
    const log = filledLog(1500);
    assert.strictEqual(log.records(1, 1).statements[0], 1);
    assert.strictEqual(log.records(1500, 1).statements[0], 1500 % 97);
    assert.strictEqual(log.records(1, 1500).count, 1500);
    assert.strictEqual(log.records(1, 0).count, 0);
  });

  it('refuses steps never recorded and more steps than one read may copy', () => {
    const log = filledLog(100);
    assert.throws(() => log.records(0, 1), RangeError);
    assert.throws(() => log.records(100, 2), RangeError);
    assert.throws(() => log.records(1, MAX_RECORDS_PER_READ + 1), RangeError);
    assert.throws(() => log.records(1, -1), RangeError);
  });

  it('forgets what a truncation cut off', () => {
    const log = filledLog(70_000);
    log.truncate(66_000);
    assert.throws(() => log.records(65_999, 3), RangeError);
    assert.strictEqual(log.records(65_999, 1).statements[0], 65_999 % 97);
  });
});
