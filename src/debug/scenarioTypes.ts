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

export interface ScenarioInterpreter {
  readonly machine: Machine;
  readonly program: Program;
  /** The scenario text the statements' ranges point into. */
  readonly sourceText: string;
  readonly finished: boolean;
  readonly halted: string | null;
  readonly stepCount: number;
  nextStatement(): Statement | null;
  step(): StepReport;
  frames(): FrameInfo[];
  globals(): ReadonlyArray<readonly [string, Value]>;
  evaluate(text: string, frameIndex?: number): { value: Value } | { error: string };
  formatValue(value: Value): string;
  snapshot(): InterpreterSnapshot;
  restore(snapshot: InterpreterSnapshot): void;
  /** Runs a change so that `undo` can take it back at a cost that follows what it changed. */
  recordUndoable<T>(change: () => T): { result: T; undo: UndoRecord };
  /** Takes back the newest change recorded and not yet undone. */
  undo(record: UndoRecord): void;
}

export type StartResult =
  | { interpreter: ScenarioInterpreter; diagnostics: Diagnostic[] }
  | { interpreter: null; diagnostics: Diagnostic[] };

/** Creates an interpreter for a scenario text; injected so tests can use a small fake. */
export type ScenarioStarter = (text: string, file: string, options: { seed?: number }) => StartResult;

/** The real interpreter. */
export const startInterpreter: ScenarioStarter = (text, file, options) =>
  Interpreter.start(text, file, options);
