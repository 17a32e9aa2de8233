// The history of a debug session: every step report, the proc depth at every position, and
// checkpoints of the interpreter taken now and then. A position is the number of steps run; the
// state at any position already reached is rebuilt by restoring the nearest checkpoint at or before
// it and replaying the steps in between. Replay is exact because the interpreter is deterministic.
//
// Checkpoints are whole deep copies of the machine, so their cost follows the size of the state.
// The timeline takes one only when the steps run since the last one cost about as much time as a
// checkpoint does: a long run of cheap steps on a large state pays a checkpoint rarely, and going
// back never replays more than a bounded amount of work.
//
// Going back a little is cheaper still: every step is recorded with an undo record (the engine's
// undo log plus the interpreter's run state), and stepping back undoes the newest records, at a
// cost that follows what those steps changed, whatever the size of the machine. Records are kept
// for the positions just below the current one, within a budget of notes; a restore starts a new
// machine state, which makes every record void, so the timeline drops them all then.
//
// Edits made by the user while stopped (writes into simulated memory) belong to the position they
// were made at: replaying through that position applies them again, and the recorded future past
// it is dropped because the run may now differ. A checkpoint holds its position's state with the
// edits of that position applied.

import type { InterpreterSnapshot, ScenarioInterpreter, StepReport, UndoRecord } from './scenarioTypes';

/** A change the user made at a position, replayed whenever the timeline passes through it. */
export type TimelineEdit = (interpreter: ScenarioInterpreter) => void;

export interface TimelineOptions {
  /** Replay budget between checkpoints, as a multiple of the time one checkpoint takes. */
  readonly replayFactor?: number;
  /** Never let more than this many steps pass without a checkpoint. */
  readonly maxStepsBetweenCheckpoints?: number;
  /** Clock in milliseconds (injectable for tests). */
  readonly now?: () => number;
  /** Undo notes kept at most (older records are dropped first); 0 turns undo records off. */
  readonly maxUndoNotes?: number;
  /** Positions kept undoable at most (each holds a copy of the interpreter's run state). */
  readonly maxUndoSteps?: number;
}

interface Checkpoint {
  readonly snapshot: InterpreterSnapshot;
}

export class Timeline {
  private readonly reportsByStep: StepReport[] = [];
  /** Proc frames on the stack at each position (index = position). */
  private readonly procDepth: number[] = [];
  private readonly checkpoints = new Map<number, Checkpoint>();
  private readonly edits = new Map<number, TimelineEdit[]>();
  /** Records that take position p back to p - 1, oldest first (the step's, then its edits'). */
  private readonly undoRecords = new Map<number, UndoRecord[]>();
  private undoNotes = 0;
  private readonly maxUndoNotes: number;
  private readonly maxUndoSteps: number;
  private currentPosition = 0;
  private stepTimeSinceCheckpoint = 0;
  private stepsSinceCheckpoint = 0;
  private checkpointCost = 0;
  private readonly replayFactor: number;
  private readonly maxSteps: number;
  private readonly now: () => number;

  constructor(
    readonly interpreter: ScenarioInterpreter,
    options: TimelineOptions = {},
  ) {
    this.replayFactor = options.replayFactor ?? 2;
    this.maxSteps = options.maxStepsBetweenCheckpoints ?? 256;
    this.now = options.now ?? (() => performance.now());
    this.maxUndoNotes = options.maxUndoNotes ?? 1_000_000;
    this.maxUndoSteps = options.maxUndoSteps ?? 10_000;
    this.procDepth[0] = this.countProcFrames();
    this.takeCheckpoint(0);
  }

  /** Steps run in the current state. */
  get position(): number {
    return this.currentPosition;
  }

  /** The furthest position whose report is known. */
  get furthest(): number {
    return this.reportsByStep.length;
  }

  get checkpointPositions(): number[] {
    return [...this.checkpoints.keys()].sort((a, b) => a - b);
  }

  /** The report of step `index` (1-based), if it ran. */
  report(index: number): StepReport | undefined {
    return this.reportsByStep[index - 1];
  }

  /** The report of the step that led to the current position. */
  get lastReport(): StepReport | undefined {
    return this.report(this.currentPosition);
  }

  /** Proc frames at a known position. */
  depthAt(position: number): number | undefined {
    return this.procDepth[position];
  }

  /** Positions the timeline can step back to by undoing records, nearest first. */
  get undoablePositions(): number[] {
    const out: number[] = [];
    for (let p = this.currentPosition; this.undoRecords.has(p); p--) out.push(p - 1);
    return out;
  }

  /** Runs one step forward from the current position and records it. */
  stepForward(): StepReport {
    const started = this.now();
    const report = this.runStep();
    const elapsed = this.now() - started;
    this.stepTimeSinceCheckpoint += elapsed;
    this.stepsSinceCheckpoint++;
    this.applyEdits(this.currentPosition);
    if (
      !this.checkpoints.has(this.currentPosition) &&
      (this.stepTimeSinceCheckpoint >= this.checkpointCost * this.replayFactor ||
        this.stepsSinceCheckpoint >= this.maxSteps)
    )
      this.takeCheckpoint(this.currentPosition);
    return report;
  }

  /** Runs the next step, recording it for undo when records are kept. */
  private runStep(): StepReport {
    if (this.maxUndoNotes === 0) {
      const report = this.interpreter.step();
      this.record(report);
      return report;
    }
    const { result: report, undo } = this.interpreter.recordUndoable(() => this.interpreter.step());
    this.record(report);
    this.keepUndo(this.currentPosition, undo, true);
    return report;
  }

  private keepUndo(position: number, record: UndoRecord, startsStep: boolean): void {
    const list = this.undoRecords.get(position);
    if (startsStep) this.undoRecords.set(position, [record]);
    else if (list !== undefined) list.push(record);
    else return; // Without the step's own record the position cannot be undone anyway.
    this.undoNotes += record.log.size;
    this.trimUndoRecords();
  }

  /**
   * Drops the oldest records while over budget, so the chain just below the position stays whole.
   * Records are kept for consecutive positions up to the current one and were added in that
   * order, so the map's first key is the oldest.
   */
  private trimUndoRecords(): void {
    while (this.undoNotes > this.maxUndoNotes || this.undoRecords.size > this.maxUndoSteps) {
      const oldest = this.undoRecords.keys().next();
      if (oldest.done === true) return;
      this.dropUndo(oldest.value);
    }
  }

  private dropUndo(position: number): void {
    for (const record of this.undoRecords.get(position) ?? []) this.undoNotes -= record.log.size;
    this.undoRecords.delete(position);
  }

  private dropAllUndo(): void {
    this.undoRecords.clear();
    this.undoNotes = 0;
  }

  /** Takes the current position back by one through its records. */
  private undoOne(): void {
    const records = this.undoRecords.get(this.currentPosition)!;
    for (let i = records.length - 1; i >= 0; i--) this.interpreter.undo(records[i]!);
    this.dropUndo(this.currentPosition);
    this.currentPosition--;
  }

  private canUndoTo(target: number): boolean {
    for (let p = this.currentPosition; p > target; p--) if (!this.undoRecords.has(p)) return false;
    return true;
  }

  private record(report: StepReport): void {
    const index = this.currentPosition;
    if (index < this.reportsByStep.length) this.reportsByStep[index] = report;
    else this.reportsByStep.push(report);
    this.currentPosition = index + 1;
    this.procDepth[this.currentPosition] = this.countProcFrames();
  }

  private countProcFrames(): number {
    let n = 0;
    for (const frame of this.interpreter.frames()) if (frame.kind === 'proc') n++;
    return n;
  }

  private takeCheckpoint(position: number): void {
    const started = this.now();
    this.checkpoints.set(position, { snapshot: this.interpreter.snapshot() });
    this.checkpointCost = this.now() - started;
    this.stepTimeSinceCheckpoint = 0;
    this.stepsSinceCheckpoint = 0;
  }

  private applyEdits(position: number): void {
    for (const edit of this.edits.get(position) ?? []) this.applyEdit(position, edit);
  }

  private applyEdit(position: number, edit: TimelineEdit): void {
    if (this.maxUndoNotes === 0) {
      edit(this.interpreter);
      return;
    }
    const { undo } = this.interpreter.recordUndoable(() => edit(this.interpreter));
    this.keepUndo(position, undo, false);
  }

  /**
   * Puts the interpreter in the state of `target` (0 ≤ target ≤ furthest). Going forward from the
   * current position replays from here when that is closer than the nearest checkpoint.
   */
  seek(target: number): void {
    if (!Number.isInteger(target) || target < 0 || target > this.furthest)
      throw new RangeError(`position ${target} was never reached (0..${this.furthest})`);
    if (target === this.currentPosition) return;
    if (target < this.currentPosition && this.canUndoTo(target)) {
      while (this.currentPosition > target) this.undoOne();
      return;
    }
    const base = this.nearestCheckpoint(target);
    if (!(target > this.currentPosition && base <= this.currentPosition)) {
      this.interpreter.restore(this.checkpoints.get(base)!.snapshot);
      this.dropAllUndo();
      this.currentPosition = base;
    }
    while (this.currentPosition < target) {
      this.runStep();
      this.applyEdits(this.currentPosition);
    }
  }

  private nearestCheckpoint(target: number): number {
    let best = 0;
    for (const position of this.checkpoints.keys())
      if (position <= target && position > best) best = position;
    return best;
  }

  /**
   * Records a user edit at the current position and applies it. The recorded future is dropped:
   * the steps after it may now go differently.
   */
  edit(change: TimelineEdit): void {
    const at = this.currentPosition;
    this.applyEdit(at, change);
    const list = this.edits.get(at) ?? [];
    list.push(change);
    this.edits.set(at, list);
    this.truncateAfter(at);
    // A checkpoint holds the state after the edits of its position.
    if (this.checkpoints.has(at)) this.takeCheckpoint(at);
  }

  private truncateAfter(position: number): void {
    this.reportsByStep.length = position;
    this.procDepth.length = position + 1;
    for (const p of [...this.checkpoints.keys()]) if (p > position) this.checkpoints.delete(p);
    for (const p of [...this.edits.keys()]) if (p > position) this.edits.delete(p);
    for (const p of [...this.undoRecords.keys()]) if (p > position) this.dropUndo(p);
  }
}
