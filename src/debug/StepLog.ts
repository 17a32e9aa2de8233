// What the timeline remembers of every step it ever ran, in about a dozen bytes a step: the
// statement, the proc depth after it, its outcome, whether it failed, the faults it handled and the
// kinds of event it caused. Enough to decide line, exception and goto targets, to step over proc
// calls backwards, and to mark the run's steps by kind, without keeping any step's report: a full
// report is rebuilt by replaying the step when someone needs it.
//
// Columns are typed arrays in chunks of 64 Ki steps (the first one grows from small), so a
// million steps cost about 12 MB and growing never copies more than one chunk. Whoever summarises
// many steps (the Timeline panel) reads them in bulk with `records`, a slice of copied columns at a
// time, instead of one `summary` object per step.

import { MEMORY_EVENT_KINDS, type MemoryEvent } from '../engine';
import type { StepReport } from './scenarioTypes';

const CHUNK_SHIFT = 16;
const CHUNK = 1 << CHUNK_SHIFT;
const MASK = CHUNK - 1;
const FIRST_CAPACITY = 1024;

/** Bits of `StepRecords.flags`: the step failed, and the faults it handled. */
export const STEP_FLAGS = { failed: 1, zero_fault: 2, cow_fault: 4, inode_fault: 8 } as const;

const FAILED = STEP_FLAGS.failed;
const FAULT_FLAGS: Readonly<Record<string, number>> = {
  zero_fault: STEP_FLAGS.zero_fault,
  cow_fault: STEP_FLAGS.cow_fault,
  inode_fault: STEP_FLAGS.inode_fault,
};

/** The most steps one `records` call copies, so that a bulk read holds a bounded amount of memory. */
export const MAX_RECORDS_PER_READ = CHUNK;

type Column = Int32Array | Uint16Array | Uint8Array | Uint32Array;
type ColumnType<T extends Column> = new (length: number) => T;

/** One column of per-step values in chunks. */
class ChunkedColumn<T extends Column> {
  private readonly chunks: T[] = [];

  constructor(private readonly type: ColumnType<T>) {}

  get(index: number): number {
    return this.chunks[index >>> CHUNK_SHIFT]![index & MASK]!;
  }

  set(index: number, value: number): void {
    const c = index >>> CHUNK_SHIFT;
    let chunk = this.chunks[c];
    if (chunk === undefined || (index & MASK) >= chunk.length) chunk = this.grow(c, index & MASK);
    chunk[index & MASK] = value;
  }

  /** Makes chunk `c` hold slot `slot`: a new chunk, or the first one doubled. */
  private grow(c: number, slot: number): T {
    const old = this.chunks[c];
    let length = c === 0 ? Math.max(FIRST_CAPACITY, old?.length ?? 0) : CHUNK;
    while (length <= slot) length *= 2;
    const chunk = new this.type(Math.min(length, CHUNK));
    if (old !== undefined) chunk.set(old as never);
    this.chunks[c] = chunk;
    return chunk;
  }

  /** Copies the values at [start, start + target.length) into `target`, a chunk's stretch at a time. */
  copyInto(start: number, target: T): void {
    for (let done = 0; done < target.length;) {
      const index = start + done;
      const chunk = this.chunks[index >>> CHUNK_SHIFT]!;
      const slot = index & MASK;
      const n = Math.min(target.length - done, chunk.length - slot);
      target.set(chunk.subarray(slot, slot + n) as never, done);
      done += n;
    }
  }

  /** Drops whole chunks past `length` entries. */
  truncate(length: number): void {
    this.chunks.length = Math.min(this.chunks.length, (length + MASK) >>> CHUNK_SHIFT);
  }

  get bytes(): number {
    let n = 0;
    for (const chunk of this.chunks) n += chunk.byteLength;
    return n;
  }
}

/** The compact record of one step, as the StepLog gives it back. */
export interface StepSummary {
  /** The statement's number in the program (ScenarioInterpreter.statementIndex). */
  readonly statement: number;
  readonly outcome: string;
  readonly failed: boolean;
  /** Faults handled with Continue during the step (`zero_fault`, `cow_fault`, `inode_fault`). */
  readonly faults: readonly string[];
  /** Bit i set: the step caused an event of kind MEMORY_EVENT_KINDS[i]. */
  readonly eventKinds: number;
}

/**
 * The compact records of consecutive steps, as copies of the log's columns: entry i is step
 * `first + i`. Outcomes are codes into `outcomeNames`; flags hold the bits of STEP_FLAGS.
 */
export interface StepRecords {
  readonly first: number;
  readonly count: number;
  readonly statements: Int32Array;
  readonly outcomes: Uint8Array;
  readonly outcomeNames: readonly string[];
  readonly flags: Uint8Array;
  readonly eventKinds: Uint32Array;
}

export function eventKindMask(events: readonly MemoryEvent[]): number {
  let mask = 0;
  for (const event of events) mask |= 1 << MEMORY_EVENT_KINDS.indexOf(event.kind);
  return mask >>> 0;
}

export class StepLog {
  private count = 0;
  /** Step i (1-based) is stored at index i - 1. */
  private readonly statements = new ChunkedColumn(Int32Array);
  private readonly outcomes = new ChunkedColumn(Uint8Array);
  private readonly flags = new ChunkedColumn(Uint8Array);
  private readonly eventKinds = new ChunkedColumn(Uint32Array);
  /** Proc frames on the stack at position p is stored at index p. */
  private readonly depths = new ChunkedColumn(Uint16Array);
  /** Outcome names by code: a run meets a few dozen at most. */
  private readonly outcomeNames: string[] = [];
  private readonly outcomeCodes = new Map<string, number>();

  constructor(depthAtStart: number) {
    this.depths.set(0, depthAtStart);
  }

  /** Steps recorded. */
  get length(): number {
    return this.count;
  }

  /** Records step `length + 1`: its report, the statement's number and the proc depth after it. */
  push(report: StepReport, statement: number, depthAfter: number): void {
    const at = this.count;
    this.statements.set(at, statement);
    this.outcomes.set(at, this.outcomeCode(report.outcome));
    let flags = report.failed ? FAILED : 0;
    for (const fault of report.faults) flags |= FAULT_FLAGS[fault] ?? 0;
    this.flags.set(at, flags);
    this.eventKinds.set(at, eventKindMask(report.events));
    this.depths.set(at + 1, depthAfter);
    this.count = at + 1;
  }

  /** Forgets the steps after the first `length`. */
  truncate(length: number): void {
    if (length >= this.count) return;
    this.count = length;
    for (const column of [this.statements, this.outcomes, this.flags, this.eventKinds])
      column.truncate(length);
    this.depths.truncate(length + 1);
  }

  private outcomeCode(outcome: string): number {
    let code = this.outcomeCodes.get(outcome);
    if (code === undefined) {
      code = this.outcomeNames.length;
      if (code > 255) throw new Error('more than 256 kinds of outcome in one run');
      this.outcomeNames.push(outcome);
      this.outcomeCodes.set(outcome, code);
    }
    return code;
  }

  private check(index: number): number {
    if (!Number.isInteger(index) || index < 1 || index > this.count)
      throw new RangeError(`step ${index} was not recorded (1..${this.count})`);
    return index - 1;
  }

  /** The number of the statement step `index` (1-based) ran. */
  statementOf(index: number): number {
    return this.statements.get(this.check(index));
  }

  /** Proc frames on the stack at a position (0 … length). */
  depthAt(position: number): number {
    if (!Number.isInteger(position) || position < 0 || position > this.count)
      throw new RangeError(`position ${position} was not recorded (0..${this.count})`);
    return this.depths.get(position);
  }

  /**
   * The kinds of event step `index` (1-based) caused, bit i for MEMORY_EVENT_KINDS[i]: what
   * `summary` gives, without making a summary, for scans over many steps.
   */
  eventKindsOf(index: number): number {
    return this.eventKinds.get(this.check(index));
  }

  summary(index: number): StepSummary {
    const at = this.check(index);
    const flags = this.flags.get(at);
    const faults: string[] = [];
    for (const [fault, bit] of Object.entries(FAULT_FLAGS)) if ((flags & bit) !== 0) faults.push(fault);
    return {
      statement: this.statements.get(at),
      outcome: this.outcomeNames[this.outcomes.get(at)]!,
      failed: (flags & FAILED) !== 0,
      faults,
      eventKinds: this.eventKinds.get(at),
    };
  }

  /**
   * The records of steps first … first + count - 1 (1-based), at most MAX_RECORDS_PER_READ of them:
   * a summary of many steps reads them a slice at a time and builds no object per step.
   */
  records(first: number, count: number): StepRecords {
    if (!Number.isInteger(count) || count < 0 || count > MAX_RECORDS_PER_READ)
      throw new RangeError(`${count} steps cannot be read at once (0..${MAX_RECORDS_PER_READ})`);
    const at = count === 0 ? 0 : this.check(first);
    if (count > 0) this.check(first + count - 1);
    const read = <T extends Column>(column: ChunkedColumn<T>, type: ColumnType<T>): T => {
      const values = new type(count);
      column.copyInto(at, values);
      return values;
    };
    return {
      first,
      count,
      statements: read(this.statements, Int32Array),
      outcomes: read(this.outcomes, Uint8Array),
      outcomeNames: [...this.outcomeNames],
      flags: read(this.flags, Uint8Array),
      eventKinds: read(this.eventKinds, Uint32Array),
    };
  }

  /** Bytes the columns hold (their allocated capacity). */
  get bytes(): number {
    return (
      this.statements.bytes +
      this.outcomes.bytes +
      this.flags.bytes +
      this.eventKinds.bytes +
      this.depths.bytes
    );
  }
}
