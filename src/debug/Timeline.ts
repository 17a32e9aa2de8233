// The history of a debug session, bounded in memory however long the run. The interpreter is
// deterministic, so the state at any position already reached (a position is the number of steps
// run) can be rebuilt by restoring an earlier checkpoint and replaying the steps in between; the
// timeline keeps just enough to do that quickly:
//
// - A StepLog of every step: about a dozen bytes a step (statement, proc depth, outcome, faults,
//   event kinds). No step report is kept for the whole run; a report is replayed when needed.
// - Sparse checkpoints (deep copies of the machine that share page storage copy-on-write), spaced
//   by what replaying the steps between them costs. One is taken once the steps since the last
//   took `replayTargetMs` to run, provided they also paid for it: they took `replayFactor` times
//   what the checkpoint takes to make, and they are enough steps that its size spread over them is
//   at most `checkpointBytesPerStep` bytes a step. Past `maxReplayMs` one is taken whatever it
//   costs. So a cheap loop on a small machine takes a checkpoint every hundred thousand steps or
//   so, a large machine every few tens of thousands, and going back replays at most about
//   `maxReplayMs` of steps, usually `replayTargetMs`. Step times are those of the steps alone
//   (what a replay repeats), not of the recording around them.
// - Undo records for the positions just below the current one (the engine's undo log, the
//   interpreter's run state and the step's report), within a budget of notes and of positions.
//   Stepping back a little undoes them, at a cost that follows what those steps changed. A restore
//   starts a new machine state, which voids every record, so the timeline drops them all then; a
//   replay records the last few steps it runs, so stepping back right after a jump is an undo too.
//
// The state of another position can be looked at without moving (`StepView.atStep`): through the
// undo records when they reach it (undone with redo logs, then redone, so every object keeps its
// identity), otherwise on a second interpreter spawned from a checkpoint and replayed. Such a
// replay (`replayFrom`) can also walk on through the history, which is how searches over it look at
// many steps without moving the session.
//
// Edits made by the user while stopped (writes into simulated memory) belong to the position they
// were made at: replaying through that position applies them again, and the recorded future past
// it is dropped because the run may now differ. A checkpoint holds its position's state with the
// edits of that position applied.

import type { Machine } from '../engine';
import { MachineInspector, StaleStepError, type StepView } from './StepView';
import { StepLog } from './StepLog';
import type {
  InterpreterSnapshot,
  RedoRecord,
  ScenarioInterpreter,
  StepReport,
  UndoRecord,
} from './scenarioTypes';

/** A change the user made at a position, replayed whenever the timeline passes through it. */
export type TimelineEdit = (interpreter: ScenarioInterpreter) => void;

/**
 * The recorded history replayed on a second interpreter, spawned from a checkpoint: it goes
 * forward step by step through what was recorded, edits included, while the timeline's own
 * interpreter stays where it is. It serves while the history is the same (same revision).
 */
export interface HistoryReplay {
  /** Steps run to reach the replay's state. */
  readonly position: number;
  /** The replay's machine, for looking only. */
  readonly machine: Machine;
  /** Runs the recorded step from `position`, then the edits made at the position it reaches; its report. */
  advance(): StepReport;
}

export interface TimelineOptions {
  /** Stepping time (ms) between checkpoints when they are cheap enough: the usual replay. */
  readonly replayTargetMs?: number;
  /** Stepping time between checkpoints, at least, as a multiple of the time one checkpoint takes. */
  readonly replayFactor?: number;
  /** Steps between checkpoints, at least, as a checkpoint's estimated size over this many bytes. */
  readonly checkpointBytesPerStep?: number;
  /** Stepping time (ms) after which a checkpoint is taken whatever it costs: the bound on a replay. */
  readonly maxReplayMs?: number;
  /** Never let more than this many steps pass without a checkpoint (tests use it). */
  readonly maxStepsBetweenCheckpoints?: number;
  /** Clock in milliseconds (injectable for tests). */
  readonly now?: () => number;
  /**
   * Undo budget: notes, events and bindings kept at most over all undo records (older records are
   * dropped first); 0 turns undo records off.
   */
  readonly maxUndoNotes?: number;
  /** Positions kept undoable at most. */
  readonly maxUndoSteps?: number;
  /** Steps a replay records for undo at its end, so that one can step back from where it lands. */
  readonly replayUndoTail?: number;
}

interface Checkpoint {
  readonly position: number;
  readonly snapshot: InterpreterSnapshot;
  readonly bytes: number;
}

/** What takes position p back to p - 1: the step's record, then its edits' (oldest first), and the step's report. */
interface UndoEntry {
  readonly records: UndoRecord[];
  readonly report: StepReport;
  weight: number;
}

/**
 * The undo entries, for consecutive positions [first, first + size): entries only ever come
 * above the newest and leave from either end, so an array with a moving head holds them (a Map
 * that loses its oldest keys one by one makes every lookup of the oldest walk past the holes).
 */
class UndoWindow {
  private items: UndoEntry[] = [];
  private head = 0;
  private first = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  /** The position above the newest held: where the next entry goes. */
  get next(): number {
    return this.first + this.size;
  }

  get(position: number): UndoEntry | undefined {
    const i = position - this.first + this.head;
    return i >= this.head && i < this.items.length ? this.items[i] : undefined;
  }

  has(position: number): boolean {
    return this.get(position) !== undefined;
  }

  /** Adds the entry of `position`, which is `next` unless the window is empty. */
  push(position: number, entry: UndoEntry): void {
    if (this.size === 0) {
      this.items = [];
      this.head = 0;
      this.first = position;
    }
    this.items.push(entry);
  }

  /** Removes the newest entry. */
  pop(): UndoEntry | undefined {
    return this.size === 0 ? undefined : this.items.pop();
  }

  /** Removes the oldest entry. */
  shift(): UndoEntry | undefined {
    if (this.size === 0) return undefined;
    const entry = this.items[this.head]!;
    this.items[this.head] = undefined as unknown as UndoEntry;
    this.head++;
    this.first++;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** Memory and work the history holds, for benchmarks and tests. */
export interface TimelineStats {
  readonly steps: number;
  readonly stepLogBytes: number;
  readonly checkpoints: number;
  readonly checkpointBytes: number;
  readonly undoPositions: number;
  readonly undoWeight: number;
}

/** Every timeline's revisions come from one counter, so a restarted session never repeats one. */
let lastRevision = 0;

export class Timeline {
  private readonly log: StepLog;
  /** Sorted by position; position 0 is always there. */
  private readonly checkpoints: Checkpoint[] = [];
  private readonly edits = new Map<number, TimelineEdit[]>();
  /** Consecutive positions up to the current one. */
  private readonly undoEntries = new UndoWindow();
  private undoWeight = 0;
  private currentPosition = 0;
  /** The report of the step that led to the current position (null at 0). */
  private currentReport: StepReport | null = null;
  /** The statement number the step from the furthest position runs (-1 at the end). */
  private frontierNext: number;
  private stepTimeSinceCheckpoint = 0;
  private lastStepMs = 0;
  private stepsSinceCheckpoint = 0;
  private checkpointCost = 0;
  private lastCheckpointBytes = 0;
  /** Moves whenever the machine leaves the state it was in: a view is current while it is unchanged. */
  private generation = 0;
  /** Non-zero while `atStep` has the machine in another state. */
  private peeking = 0;
  private revisionValue = ++lastRevision;
  private readonly replayTargetMs: number;
  private readonly replayFactor: number;
  private readonly checkpointBytesPerStep: number;
  private readonly maxReplayMs: number;
  private readonly maxStepsBetweenCheckpoints: number;
  private readonly maxUndoNotes: number;
  private readonly maxUndoSteps: number;
  private readonly replayUndoTail: number;
  private readonly now: () => number;

  constructor(
    readonly interpreter: ScenarioInterpreter,
    options: TimelineOptions = {},
  ) {
    this.replayTargetMs = options.replayTargetMs ?? 250;
    this.replayFactor = options.replayFactor ?? 2;
    this.checkpointBytesPerStep = options.checkpointBytesPerStep ?? 128;
    this.maxReplayMs = options.maxReplayMs ?? 1500;
    this.maxStepsBetweenCheckpoints = options.maxStepsBetweenCheckpoints ?? Number.POSITIVE_INFINITY;
    this.now = options.now ?? (() => performance.now());
    this.maxUndoNotes = options.maxUndoNotes ?? 200_000;
    this.maxUndoSteps = options.maxUndoSteps ?? 1024;
    this.replayUndoTail = options.replayUndoTail ?? 32;
    this.log = new StepLog(interpreter.procDepth());
    this.frontierNext = this.nextStatementIndex();
    this.takeCheckpoint(0);
  }

  /** Steps run in the current state. */
  get position(): number {
    return this.currentPosition;
  }

  /** The furthest position reached (steps recorded). */
  get furthest(): number {
    return this.log.length;
  }

  /** Changes when the recorded history is edited (see StepView.revision). */
  get revision(): number {
    return this.revisionValue;
  }

  get checkpointPositions(): number[] {
    return this.checkpoints.map((c) => c.position);
  }

  /** The report of the step that led to the current position; undefined at position 0. */
  get lastReport(): StepReport | undefined {
    return this.currentReport ?? undefined;
  }

  /** The report of step `index` (1-based) while one is at hand: the current step's or an undoable one's. */
  report(index: number): StepReport | undefined {
    if (index === this.currentPosition && this.currentReport !== null) return this.currentReport;
    return this.undoEntries.get(index)?.report;
  }

  /** Proc frames at a recorded position. */
  depthAt(position: number): number | undefined {
    return position >= 0 && position <= this.log.length ? this.log.depthAt(position) : undefined;
  }

  /** The compact record of every recorded step. */
  get steps(): StepLog {
    return this.log;
  }

  /** The number of the statement the step from `position` runs (-1 when none: the end). */
  statementFrom(position: number): number {
    if (position < this.log.length) return this.log.statementOf(position + 1);
    if (position === this.log.length) return this.frontierNext;
    throw new RangeError(`position ${position} was never reached (0..${this.log.length})`);
  }

  /** Positions the timeline can step back to by undoing records, nearest first. */
  get undoablePositions(): number[] {
    const out: number[] = [];
    for (let p = this.currentPosition; this.undoEntries.has(p); p--) out.push(p - 1);
    return out;
  }

  stats(): TimelineStats {
    let checkpointBytes = 0;
    for (const c of this.checkpoints) checkpointBytes += c.bytes;
    return {
      steps: this.log.length,
      stepLogBytes: this.log.bytes,
      checkpoints: this.checkpoints.length,
      checkpointBytes,
      undoPositions: this.undoEntries.size,
      undoWeight: this.undoWeight,
    };
  }

  // Going forward ---------------------------------------------------------------------------------

  /** Runs one step forward from the current position and records it. */
  stepForward(): StepReport {
    this.requireSettled();
    const extending = this.currentPosition === this.log.length;
    const report = this.runStep(this.maxUndoNotes > 0);
    if (!extending) return report;
    this.log.push(report, this.interpreter.statementIndex(report.statement), this.interpreter.procDepth());
    this.frontierNext = this.nextStatementIndex();
    this.stepTimeSinceCheckpoint += this.lastStepMs;
    this.stepsSinceCheckpoint++;
    if (this.checkpointDue()) this.takeCheckpoint(this.currentPosition);
    return report;
  }

  /**
   * Runs the step from the current position and the edits recorded for the position it reaches,
   * keeping undo records when asked. The machine moves to a new state: views made before go stale.
   */
  private runStep(recordUndo: boolean): StepReport {
    this.generation++;
    const to = this.currentPosition + 1;
    let report: StepReport;
    if (recordUndo) {
      const { result, undo } = this.interpreter.recordUndoable(() => this.timedStep());
      report = result;
      this.startUndoEntry(to, undo, report);
    } else {
      report = this.timedStep();
    }
    this.currentPosition = to;
    this.currentReport = report;
    for (const edit of this.edits.get(to) ?? []) this.applyEdit(to, edit, recordUndo);
    return report;
  }

  /** One step of the interpreter, timed: what a replay of it would cost. */
  private timedStep(): StepReport {
    const started = this.now();
    const report = this.interpreter.step();
    this.lastStepMs = this.now() - started;
    return report;
  }

  private checkpointDue(): boolean {
    const replayMs = this.stepTimeSinceCheckpoint;
    if (this.stepsSinceCheckpoint >= this.maxStepsBetweenCheckpoints || replayMs >= this.maxReplayMs)
      return true;
    return (
      replayMs >= this.replayTargetMs &&
      replayMs >= this.checkpointCost * this.replayFactor &&
      this.stepsSinceCheckpoint * this.checkpointBytesPerStep >= this.lastCheckpointBytes
    );
  }

  private takeCheckpoint(position: number): void {
    const started = this.now();
    const snapshot = this.interpreter.snapshot();
    const bytes = (snapshot as { bytes?: number }).bytes ?? 0;
    this.checkpointCost = this.now() - started;
    this.lastCheckpointBytes = bytes;
    this.stepTimeSinceCheckpoint = 0;
    this.stepsSinceCheckpoint = 0;
    const checkpoint: Checkpoint = { position, snapshot, bytes };
    const at = this.checkpointIndexAtOrBelow(position);
    if (at >= 0 && this.checkpoints[at]!.position === position) this.checkpoints[at] = checkpoint;
    else this.checkpoints.splice(at + 1, 0, checkpoint);
  }

  /** Index of the last checkpoint at or below `position` (binary search; -1 when none). */
  private checkpointIndexAtOrBelow(position: number): number {
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.checkpoints[mid]!.position <= position) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  // Undo records ----------------------------------------------------------------------------------

  private startUndoEntry(position: number, record: UndoRecord, report: StepReport): void {
    const entry: UndoEntry = { records: [record], report, weight: 0 };
    if (this.undoEntries.size > 0 && position !== this.undoEntries.next) this.dropAllUndo();
    this.undoEntries.push(position, entry);
    this.addWeight(entry, record.log.size + report.events.length + 1);
  }

  private addWeight(entry: UndoEntry, weight: number): void {
    entry.weight += weight;
    this.undoWeight += weight;
    this.trimUndoEntries();
  }

  /** Drops the oldest records while over budget, so the chain just below the position stays whole. */
  private trimUndoEntries(): void {
    while (this.undoWeight > this.maxUndoNotes || this.undoEntries.size > this.maxUndoSteps) {
      const oldest = this.undoEntries.shift();
      if (oldest === undefined) return;
      this.undoWeight -= oldest.weight;
    }
  }

  /** Drops the newest record (the current position's). */
  private dropNewestUndo(): void {
    const entry = this.undoEntries.pop();
    if (entry !== undefined) this.undoWeight -= entry.weight;
  }

  private dropAllUndo(): void {
    this.undoEntries.clear();
    this.undoWeight = 0;
  }

  /** Whether records take the current position back to `target`, with the report of `target` at hand. */
  private canUndoTo(target: number): boolean {
    for (let p = this.currentPosition; p > target; p--) if (!this.undoEntries.has(p)) return false;
    return target === 0 || this.undoEntries.has(target);
  }

  /** Takes the current position back by one through its records. */
  private undoOne(): void {
    const entry = this.undoEntries.get(this.currentPosition)!;
    for (let i = entry.records.length - 1; i >= 0; i--) this.interpreter.undo(entry.records[i]!);
    this.dropNewestUndo();
    this.currentPosition--;
  }

  // Seeking ---------------------------------------------------------------------------------------

  /**
   * Puts the interpreter in the state of `target` (0 ≤ target ≤ furthest): by undoing records when
   * they reach it, else by replaying, from here when that is closer than the nearest checkpoint.
   */
  seek(target: number): void {
    this.requireSettled();
    this.requireReached(target);
    if (target === this.currentPosition) return;
    this.generation++;
    if (target < this.currentPosition && this.canUndoTo(target)) {
      while (this.currentPosition > target) this.undoOne();
      this.currentReport = target === 0 ? null : this.undoEntries.get(target)!.report;
      return;
    }
    // A replay ends with at least one step run, so the report of `target` comes from that run.
    const base = this.checkpoints[this.checkpointIndexAtOrBelow(Math.max(0, target - 1))]!;
    if (!(target > this.currentPosition && base.position <= this.currentPosition)) {
      this.interpreter.restore(base.snapshot);
      this.dropAllUndo();
      this.currentPosition = base.position;
      this.currentReport = null;
    }
    // Records only pay near where the replay lands; older ones would end below a gap.
    if (target - this.currentPosition > this.replayUndoTail) this.dropAllUndo();
    const record = this.maxUndoNotes > 0;
    while (this.currentPosition < target)
      this.runStep(record && target - this.currentPosition <= this.replayUndoTail);
  }

  private requireReached(target: number): void {
    if (!Number.isInteger(target) || target < 0 || target > this.log.length)
      throw new RangeError(`position ${target} was never reached (0..${this.log.length})`);
  }

  private requireSettled(): void {
    if (this.peeking > 0) throw new Error('the timeline is showing another step; it cannot move now');
  }

  // Edits -----------------------------------------------------------------------------------------

  private applyEdit(position: number, edit: TimelineEdit, recordUndo: boolean): void {
    const entry = this.undoEntries.get(position);
    if (!recordUndo || entry === undefined) {
      edit(this.interpreter);
      // Without a record of its own the position can no longer be undone.
      if (entry !== undefined) this.dropNewestUndo();
      return;
    }
    const { undo } = this.interpreter.recordUndoable(() => edit(this.interpreter));
    entry.records.push(undo);
    this.addWeight(entry, undo.log.size + 1);
  }

  /**
   * Records a user edit at the current position and applies it. The recorded future is dropped:
   * the steps after it may now go differently.
   */
  edit(change: TimelineEdit): void {
    this.requireSettled();
    const at = this.currentPosition;
    this.generation++;
    this.revisionValue = ++lastRevision;
    if (this.undoEntries.has(at)) this.applyEdit(at, change, this.maxUndoNotes > 0);
    else change(this.interpreter);
    const list = this.edits.get(at) ?? [];
    list.push(change);
    this.edits.set(at, list);
    this.truncateAfter(at);
    // A checkpoint holds the state after the edits of its position.
    const c = this.checkpointIndexAtOrBelow(at);
    if (this.checkpoints[c]!.position === at) this.takeCheckpoint(at);
  }

  private truncateAfter(position: number): void {
    this.log.truncate(position);
    this.frontierNext = this.nextStatementIndex();
    this.checkpoints.length = this.checkpointIndexAtOrBelow(position) + 1;
    for (const p of [...this.edits.keys()]) if (p > position) this.edits.delete(p);
    while (this.undoEntries.size > 0 && this.undoEntries.next > position + 1) this.dropNewestUndo();
    // What was stepped since the last checkpoint below is unknown now: count from here.
    this.stepTimeSinceCheckpoint = 0;
    this.stepsSinceCheckpoint = 0;
  }

  // Views -----------------------------------------------------------------------------------------

  /** The current stop as the views see it. */
  view(): StepView {
    const generation = this.generation;
    const isCurrent = (): boolean => this.generation === generation && this.peeking === 0;
    const interpreter = this.interpreter;
    const position = this.currentPosition;
    const inspector = new MachineInspector(interpreter.machine, position, isCurrent);
    return {
      position,
      furthest: this.log.length,
      revision: this.revisionValue,
      report: this.currentReport,
      next: interpreter.nextStatement(),
      sourceText: interpreter.sourceText,
      file: interpreter.program.file,
      inspector,
      get isCurrent(): boolean {
        return isCurrent();
      },
      atStep: <T>(step: number, read: (inspector: MachineInspector) => T): T => {
        if (!isCurrent()) throw new StaleStepError(position);
        return this.atStep(step, read);
      },
      summary: (index: number) => this.log.summary(index),
      records: (first: number, count: number) => {
        if (!isCurrent()) throw new StaleStepError(position);
        return this.log.records(first, count);
      },
      statementLine: (statement: number) => interpreter.statementAt(statement)?.range.start.line ?? -1,
    };
  }

  /** See StepView.atStep. */
  atStep<T>(step: number, read: (inspector: MachineInspector) => T): T {
    this.requireSettled();
    this.requireReached(step);
    if (step === this.currentPosition) return this.readAt(this.interpreter.machine, step, read);
    if (step < this.currentPosition && this.canUndoTo(step)) return this.readThroughUndo(step, read);
    return this.readAt(this.replayFrom(step).machine, step, read);
  }

  private readAt<T>(machine: Machine, step: number, read: (inspector: MachineInspector) => T): T {
    let open = true;
    try {
      return read(new MachineInspector(machine, step, () => open));
    } finally {
      open = false;
    }
  }

  /** Undoes down to `step` keeping redo logs, reads, and redoes: every object keeps its identity. */
  private readThroughUndo<T>(step: number, read: (inspector: MachineInspector) => T): T {
    const redos: RedoRecord[] = [];
    this.peeking++;
    try {
      for (let p = this.currentPosition; p > step; p--) {
        const records = this.undoEntries.get(p)!.records;
        for (let i = records.length - 1; i >= 0; i--)
          redos.push(this.interpreter.undoKeepingRedo(records[i]!));
      }
      return this.readAt(this.interpreter.machine, step, read);
    } finally {
      for (let i = redos.length - 1; i >= 0; i--) this.interpreter.redo(redos[i]);
      this.peeking--;
    }
  }

  /**
   * A replay standing at `position` (0 … furthest), spawned from the nearest checkpoint at or below
   * it: it costs a restore and the steps from that checkpoint, and leaves this timeline as it is.
   */
  replayFrom(position: number): HistoryReplay {
    this.requireReached(position);
    const base = this.checkpoints[this.checkpointIndexAtOrBelow(position)]!;
    const other = this.interpreter.spawn(base.snapshot);
    const revision = this.revisionValue;
    let at = base.position;
    const advance = (): StepReport => {
      if (this.revisionValue !== revision)
        throw new Error('the recorded history was edited; this replay no longer follows it');
      if (at >= this.log.length)
        throw new RangeError(`step ${at + 1} was never recorded (1..${this.log.length})`);
      const report = other.step();
      at++;
      for (const edit of this.edits.get(at) ?? []) edit(other);
      return report;
    };
    while (at < position) advance();
    return {
      get position(): number {
        return at;
      },
      get machine(): Machine {
        return other.machine;
      },
      advance,
    };
  }

  // Helpers ---------------------------------------------------------------------------------------

  private nextStatementIndex(): number {
    const next = this.interpreter.nextStatement();
    return next === null ? -1 : this.interpreter.statementIndex(next);
  }
}
