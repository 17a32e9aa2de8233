// The part of the scenario interpreter the debugger relies on. The debugger codes against these
// shapes only, so the session, the timeline and the views stay independent of how the interpreter
// evaluates; `startScenario` is the one place that creates a real interpreter.

import type { MemoryEvent } from '../engine';
import type { Machine } from '../engine';
import type { Program, Statement } from '../scenario/ast';
import type { Diagnostic, Range } from '../scenario/source';
import type { CommittedPhysicalPageSet, DecodedPte, Process, Region, VMObject } from '../engine';

export type AddressSpaceRef = Process | 'kernel';

export type Value =
  | { readonly kind: 'integer'; readonly value: bigint }
  | { readonly kind: 'string'; readonly value: string; readonly bytes: Uint8Array }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'error'; readonly errno: string }
  | { readonly kind: 'process'; readonly process: Process }
  | { readonly kind: 'kernel' }
  | { readonly kind: 'mm' }
  | { readonly kind: 'region'; readonly region: Region; readonly space: AddressSpaceRef }
  | { readonly kind: 'vmobject'; readonly vmobject: VMObject }
  | { readonly kind: 'physical_page'; readonly paddr: number }
  | { readonly kind: 'committed_set'; readonly set: CommittedPhysicalPageSet }
  | { readonly kind: 'pte'; readonly space: AddressSpaceRef; readonly vaddr: number; readonly pte: DecodedPte }
  | { readonly kind: 'zone'; readonly index: number }
  | { readonly kind: 'zone_list' }
  | { readonly kind: 'fd'; readonly process: Process; readonly fd: number };

export interface StepReport {
  /** 1-based count of steps run, this one included. */
  readonly index: number;
  readonly statement: Statement;
  readonly range: Range;
  /** 'ok' | 'zero_fault' | 'cow_fault' | 'inode_fault' | 'crash' | 'oom' | 'bus_error' | 'panic' | an errno | 'failed' */
  readonly outcome: string;
  readonly faults: readonly string[];
  readonly failed: boolean;
  readonly message: string | null;
  readonly failureRange: Range | null;
  readonly events: readonly MemoryEvent[];
  readonly output: readonly string[];
  readonly value: Value | null;
}

export interface FrameInfo {
  readonly id: number;
  readonly kind: 'scenario' | 'proc' | 'loop';
  readonly name: string;
  readonly statement: Statement | null;
  readonly locals: ReadonlyArray<readonly [string, Value]>;
}

/** What `snapshot()` returns; opaque to the debugger. */
export type InterpreterSnapshot = unknown;

export interface ScenarioInterpreter {
  readonly machine: Machine;
  readonly program: Program;
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
}

export type StartResult =
  | { interpreter: ScenarioInterpreter; diagnostics: Diagnostic[] }
  | { interpreter: null; diagnostics: Diagnostic[] };

/** Creates an interpreter for a scenario text; injected so tests can use a small fake. */
export type ScenarioStarter = (text: string, file: string, options: { seed?: number }) => StartResult;
