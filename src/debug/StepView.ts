// What a stop is, as the timeline publishes it to everything that shows state: the panels, the
// sidebar views, variables and hovers are built from a StepView and from nothing else. A view is
// read-only and tells whether it still describes the machine: once the session moves (a step, a
// jump, an edit), its inspector refuses to answer rather than answer about another state, and the
// next stop publishes a new view.

import type { Machine } from '../engine';
import type { Statement } from '../scenario/ast';
import type { StepRecords, StepSummary } from './StepLog';
import type { StepReport } from './scenarioTypes';

/** A read of a machine state that is no longer the one the view was made for. */
export class StaleStepError extends Error {
  constructor(step: number) {
    super(`The state of step ${step} is no longer current: the debug session has moved on.`);
  }
}

/**
 * Read access to the machine in the state of one step, valid while that state is current. Everything
 * reached through `machine` is for looking only (the engine's inspection calls and the objects they
 * give): changes go through the debugger, which records them in the history.
 */
export class MachineInspector {
  constructor(
    private readonly target: Machine,
    /** Steps run to reach the state. */
    readonly step: number,
    private readonly valid: () => boolean,
  ) {}

  /** Whether the machine is still in this state. */
  get isCurrent(): boolean {
    return this.valid();
  }

  /** The machine in this state; throws StaleStepError once the state has moved on. */
  get machine(): Machine {
    if (!this.valid()) throw new StaleStepError(this.step);
    return this.target;
  }
}

export interface StepView {
  /** Steps run to reach this state (0: right after boot). */
  readonly position: number;
  /** Steps recorded so far (the furthest position reached). */
  readonly furthest: number;
  /**
   * Names the recorded history: it changes when the history is edited (a write into simulated
   * memory drops the recorded future) or restarted, so whatever was derived from (revision, step)
   * stays true while the revision is the same.
   */
  readonly revision: number;
  /** The step that led here; null at position 0. */
  readonly report: StepReport | null;
  /** The statement the next step runs; null when the run is over. */
  readonly next: Statement | null;
  /** The scenario's text (the statements' ranges point into it) and its file. */
  readonly sourceText: string;
  readonly file: string;
  readonly inspector: MachineInspector;
  /** Whether the session is still at this stop. */
  readonly isCurrent: boolean;
  /**
   * Runs `read` over the machine as it was after step `step` (0 … furthest) of this same history
   * and returns what it returned. The current state is left as it is, object for object; the
   * inspector handed to `read` is valid during the call only. Throws RangeError for a step never
   * reached and StaleStepError when this view is no longer current.
   */
  atStep<T>(step: number, read: (inspector: MachineInspector) => T): T;
  /** The compact record of step `index` (1 … furthest), kept for every step of the run. */
  summary(index: number): StepSummary;
  /**
   * The compact records of steps first … first + count - 1 in bulk (at most MAX_RECORDS_PER_READ
   * at once), for summaries of many steps. Throws StaleStepError once the view is no longer
   * current: the history it reads may have been cut since.
   */
  records(first: number, count: number): StepRecords;
  /** The 0-based line where statement number `statement` (StepSummary.statement) starts; -1 for none. */
  statementLine(statement: number): number;
}
