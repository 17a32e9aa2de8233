// The scenario language front end, for the interpreter, the debug session and the editor features.

export * from './ast';
export * from './api';
export { bindArguments, type ArgumentBinding, type ArgumentProblem, type ParameterShape } from './arguments';
export { checkProgram, checkSource, hasErrors, type CheckResult, type StaticType } from './checker';
export { evaluateConstant, type ConstantValue } from './constant';
export { tokenize, type Token, type TokenKind } from './lexer';
export * from './locate';
export {
  defaultMemoryMap,
  resolveMachine,
  type MachineConfig,
  type MemoryKind,
  type MemoryMapEntry,
} from './machine';
export { parse, parseExpression, type ParseResult } from './parser';
export * from './source';
export * from './u64';
