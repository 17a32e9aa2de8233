// The debug session seen as a MachineStateSession, for the panels: the machine of its interpreter,
// the position and reports of its timeline, and its stops as change notifications. The session
// replaces its interpreter and debugger on restart, so both are looked up on every call.

import type { Machine } from '../engine';
import type { StepReport } from '../scenario/interpreter';
import type { DisposableLike, MachineStateSession } from './MachineStatePanelSource';

/** The part of MmuDebugSession used here (the inline session meets it). */
export interface DebugSessionLike {
  readonly currentInterpreter: { readonly machine: Machine; readonly sourceText: string } | null;
  readonly scenarioDebugger: {
    readonly timeline: {
      readonly position: number;
      readonly furthest: number;
      report(index: number): StepReport | undefined;
    };
  } | null;
  onDidStop(listener: () => void): DisposableLike;
}

/** What the extension knows of the session and can do for it. */
export interface DebugSessionDetails {
  readonly sessionId: string;
  readonly scenarioName: string;
  openInBinaryView(memoryReference: string, length: number): void | PromiseLike<void>;
}

export function machineStateSessionFor(
  session: DebugSessionLike,
  details: DebugSessionDetails,
): MachineStateSession {
  const timeline = (): DebugSessionLike['scenarioDebugger'] => session.scenarioDebugger;
  return {
    sessionId: details.sessionId,
    scenarioName: details.scenarioName,
    // A restart may launch edited text: read it from the interpreter running now.
    get sourceText(): string {
      return session.currentInterpreter?.sourceText ?? '';
    },
    machine(): Machine {
      const interpreter = session.currentInterpreter;
      if (interpreter === null) throw new Error('The debug session has not started a scenario yet.');
      return interpreter.machine;
    },
    currentStep: () => timeline()?.timeline.position ?? 0,
    stepCount: () => timeline()?.timeline.furthest ?? 0,
    report: (index) => timeline()?.timeline.report(index),
    onDidChange: (listener) => session.onDidStop(listener),
    openInBinaryView: (reference, length) => details.openInBinaryView(reference, length),
  };
}
