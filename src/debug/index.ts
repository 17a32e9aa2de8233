// The debug adapter's public face for the extension: the session class (run it inline with a
// DebugAdapterInlineImplementation), its launch arguments and the custom stop event it sends.
export { MmuDebugSession } from './MmuDebugSession';
export type { FileAccessor, MmuLaunchArguments, MmuStoppedEventBody } from './MmuDebugSession';
export type { StopInfo, StopReason, DebuggerEvent } from './ScenarioDebugger';
export { EXCEPTION_FILTERS } from './breakpoints';
export { describeAddress } from './describe';
