// The debug adapter's public face for the extension: the session class (run it inline with a
// DebugAdapterInlineImplementation), its launch arguments and the custom stop event it sends.
import { type FileAccessor, MmuDebugSession, THREAD_ID } from './MmuDebugSession';

export { MmuDebugSession, THREAD_ID };

/** The session for `new vscode.DebugAdapterInlineImplementation(createMmuDebugSession(files))`. */
export function createMmuDebugSession(files: FileAccessor): MmuDebugSession {
  return new MmuDebugSession(files);
}
export type {
  ChangeResponseBody,
  ExplainLink,
  ExplainResponseBody,
  FileAccessor,
  MmuLaunchArguments,
  MmuStoppedEventBody,
} from './MmuDebugSession';
export { ChangeRequests, EXPLAIN_REQUEST, THING_OF_VARIABLE_REQUEST } from './MmuDebugSession';
export type { ThingRef } from './watchedThings';
export type { StopInfo, StopReason, DebuggerEvent } from './ScenarioDebugger';
export { EXCEPTION_FILTERS } from './breakpoints';
export { describeAddress } from './describe';
