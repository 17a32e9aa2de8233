// The part of the scenario interpreter the debugger relies on. The debugger codes against these
// shapes only, so the session, the timeline and the views stay independent of how the interpreter
// evaluates; `startInterpreter` is the one place that creates a real interpreter.

import type { Machine } from '../engine';
import type { Program, Statement } from '../scenario/ast';
import type { Diagnostic } from '../scenario/source';
import type { FrameInfo, StepReport, Value } from '../scenario/interpreter';
import { Interpreter } from '../scenario/interpreter';
import type { Process } from '../engine';

export type { FrameInfo, StepReport, Value };
export type AddressSpaceRef = Process | 'kernel';

/** What `snapshot()` returns; opaque to the debugger. */
export type InterpreterSnapshot = unknown;

/** What takes one recorded change back; opaque to the debugger. */
export interface UndoRecord {
  /** Notes taken: a measure of what the change touched (and of what keeping it costs). */
  readonly log: { readonly size: number };
}

/** What takes an undo back (see `undoKeepingRedo`); opaque to the debugger. */
export type RedoRecord = unknown;

export interface ScenarioInterpreter {
  readonly machine: Machine;
  readonly program: Program;
  /** The scenario text the statements' ranges point into. */
  readonly sourceText: string;
  readonly finished: boolean;
  /** Why no step is left: the end, a panic, or the step budget; null while steps remain. */
  readonly finishedReason: 'end' | 'panic' | 'budget' | null;
  /** The failure message of a run stopped by its step budget. */
  readonly budgetMessage: string;
  readonly halted: string | null;
  readonly stepCount: number;
  nextStatement(): Statement | null;
  /** The statement's number in the program (stable while the program lives), or -1. */
  statementIndex(statement: Statement): number;
  statementAt(index: number): Statement | undefined;
  step(): StepReport;
  frames(): FrameInfo[];
  /** Proc frames on the stack. */
  procDepth(): number;
  globals(): ReadonlyArray<readonly [string, Value]>;
  evaluate(text: string, frameIndex?: number): { value: Value } | { error: string };
  formatValue(value: Value): string;
  snapshot(): InterpreterSnapshot;
  restore(snapshot: InterpreterSnapshot): void;
  /** A second interpreter, on a machine of its own, in the state of `snapshot`. */
  spawn(snapshot: InterpreterSnapshot): ScenarioInterpreter;
  /** Runs a change so that `undo` can take it back at a cost that follows what it changed. */
  recordUndoable<T>(change: () => T): { result: T; undo: UndoRecord };
  /** Takes back the newest change recorded and not yet undone. */
  undo(record: UndoRecord): void;
  /** Like `undo`, keeping `record` usable; `redo` of the result restores the state object for object. */
  undoKeepingRedo(record: UndoRecord): RedoRecord;
  redo(redo: RedoRecord): void;
}

export type StartResult =
  | { interpreter: ScenarioInterpreter; diagnostics: Diagnostic[] }
  | { interpreter: null; diagnostics: Diagnostic[] };

/** Creates an interpreter for a scenario text; injected so tests can use a small fake. */
export type ScenarioStarter = (
  text: string,
  file: string,
  options: { seed?: number; stepBudget?: number },
) => StartResult;

/** The real interpreter. */
export const startInterpreter: ScenarioStarter = (text, file, options) =>
  Interpreter.start(text, file, options);
