// The debug adapter's public face for the extension: the session class (run it inline with a
// DebugAdapterInlineImplementation), its launch arguments and the custom stop event it sends.
import { type FileAccessor, MmuDebugSession } from './MmuDebugSession';

export { MmuDebugSession };

/** The session for `new vscode.DebugAdapterInlineImplementation(createMmuDebugSession(files))`. */
export function createMmuDebugSession(files: FileAccessor): MmuDebugSession {
  return new MmuDebugSession(files);
}
export type {
  ChangeResponseBody,
  FileAccessor,
  MmuLaunchArguments,
  MmuStoppedEventBody,
} from './MmuDebugSession';
export { ChangeRequests } from './MmuDebugSession';
export type { ThingRef } from './watchedThings';
export type { StopInfo, StopReason, DebuggerEvent } from './ScenarioDebugger';
export { EXCEPTION_FILTERS } from './breakpoints';
export { describeAddress } from './describe';
