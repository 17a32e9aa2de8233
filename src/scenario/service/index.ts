// The scenario language service: pure functions over a document's text that the editor
// integration (src/extension/language) turns into VS Code providers. Nothing here knows VS Code.

export { analyzeDocument, lookupDefinition, type Definition, type DocumentModel } from './model';
export type { LinePosition } from './cursor';
export { complete, type CompletionItem, type CompletionKind, type CompletionResult } from './completion';
export { signatureHelp, type SignatureHelpResult, type SignatureParameter } from './signature';
export { hover, type HoverResult } from './hover';
export { definitionAt, documentSymbols, type OutlineKind, type OutlineSymbol } from './navigation';
export { inlineValueTargets, type InlineValueTarget } from './inlineValues';
export {
  AddressHoverService,
  addressTargetAt,
  sessionRunsDocument,
  type AddressAnswer,
  type AddressEvaluator,
  type AddressTarget,
} from './addressHover';
export { SessionAddressEvaluator, type DebugRequester } from './sessionEvaluator';
export { editorDiagnostics, type EditorDiagnostic, type EditorSeverity } from './diagnostics';
export { Debouncer, type Timers } from './debounce';
