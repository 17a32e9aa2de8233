// The syntax tree of a scenario. Every node carries the exact range of source text it came from,
// so diagnostics, breakpoints, hovers and failed steps can point at it.

import type { Range } from './source';

export interface Identifier {
  readonly kind: 'identifier';
  readonly name: string;
  readonly range: Range;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export interface IntegerLiteral {
  readonly kind: 'integer';
  /** An unsigned 64-bit value, size suffixes applied. */
  readonly value: bigint;
  /** The literal as written, e.g. `0x20_0000` or `16 MiB`. */
  readonly text: string;
  readonly range: Range;
}

export interface StringLiteral {
  readonly kind: 'string';
  readonly value: string;
  /** The bytes a `write` or `pwrite` stores: UTF-8 of the text, `\xNN` as one raw byte. */
  readonly bytes: Uint8Array;
  /** Written with the C++ `sv` suffix (`"heap"sv`); it means nothing more. */
  readonly sv: boolean;
  readonly range: Range;
}

export interface BooleanLiteral {
  readonly kind: 'boolean';
  readonly value: boolean;
  readonly range: Range;
}

export interface NullLiteral {
  readonly kind: 'null';
  readonly range: Range;
}

/**
 * A name: a binding, a process, a constant, `MM`, `kernel` or a function. `path` holds every
 * component of a qualified name (`Region::Access::ReadWrite`); `name` is the last one, which decides.
 */
export interface NameExpression {
  readonly kind: 'name';
  readonly name: string;
  readonly path: readonly Identifier[];
  readonly range: Range;
}

export type UnaryOperator = '!' | '~' | '-';
export type BinaryOperator =
  | '*' | '/' | '%' | '+' | '-' | '<<' | '>>' | '&' | '^' | '|'
  | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||'; // prettier-ignore

export interface UnaryExpression {
  readonly kind: 'unary';
  readonly operator: UnaryOperator;
  readonly operand: Expression;
  readonly operatorRange: Range;
  readonly range: Range;
}

export interface BinaryExpression {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly operatorRange: Range;
  readonly range: Range;
}

export interface MemberExpression {
  readonly kind: 'member';
  readonly object: Expression;
  readonly member: Identifier;
  readonly range: Range;
}

/** `list[index]`, used for `MM.zones[0]`. */
export interface IndexExpression {
  readonly kind: 'index';
  readonly object: Expression;
  readonly index: Expression;
  readonly range: Range;
}

export interface Argument {
  /** Present for a named argument `name=value`. */
  readonly name?: Identifier;
  readonly value: Expression;
  readonly range: Range;
}

/** A call of an API function (`mmap(…)`), a member (`MM.commit_physical_pages(4)`) or a proc. */
export interface CallExpression {
  readonly kind: 'call';
  readonly callee: Expression;
  readonly args: readonly Argument[];
  /** The range of the parenthesised argument list, for signature help. */
  readonly argsRange: Range;
  readonly range: Range;
}

/** `TRY(expr)`: the value of `expr`; an error outcome fails the step as it would without TRY. */
export interface TryExpression {
  readonly kind: 'try';
  readonly inner: Expression;
  readonly range: Range;
}

/** Stands where an expression could not be parsed; a diagnostic has been reported for it. */
export interface ErrorExpression {
  readonly kind: 'error';
  readonly range: Range;
}

export type Expression =
  | IntegerLiteral
  | StringLiteral
  | BooleanLiteral
  | NullLiteral
  | NameExpression
  | UnaryExpression
  | BinaryExpression
  | MemberExpression
  | IndexExpression
  | CallExpression
  | TryExpression
  | ErrorExpression;

// ---------------------------------------------------------------------------------------------
// Outcome assertions: `=> cow_fault` or `=> inode_fault, 0x41414141`

export interface OutcomeItem {
  readonly kind: 'outcome';
  readonly name: Identifier;
  readonly range: Range;
}

export interface ValueItem {
  readonly kind: 'value';
  readonly value: Expression;
  readonly range: Range;
}

export interface Assertion {
  readonly items: readonly (OutcomeItem | ValueItem)[];
  /** The range of `=> …` as a whole. */
  readonly range: Range;
}

// ---------------------------------------------------------------------------------------------
// Statements

export interface StatementBase {
  /** The whole statement, from its first token to its last (the `=>` part included). */
  readonly range: Range;
  /** The statement's own keyword or first token, for hovers. */
  readonly keywordRange: Range;
  readonly assertion?: Assertion;
}

/** `key=value` in `machine`, `process` and `file` lines. */
export interface Setting {
  readonly key: Identifier;
  readonly value: Expression;
  readonly range: Range;
}

export interface MachineStatement extends StatementBase {
  readonly kind: 'machine';
  readonly settings: readonly Setting[];
}

export type MemoryRangeSyntax =
  | { readonly form: 'span'; readonly start: Expression; readonly end: Expression; readonly range: Range }
  | { readonly form: 'sized'; readonly start: Expression; readonly size: Expression; readonly range: Range };

export interface MemoryStatement extends StatementBase {
  readonly kind: 'memory';
  readonly memoryKind: Identifier;
  readonly span: MemoryRangeSyntax;
  readonly label?: StringLiteral;
}

export interface LetStatement extends StatementBase {
  readonly kind: 'let';
  /** How the binding was spelled; all three mean the same. */
  readonly keyword: 'let' | 'auto' | 'auto*';
  readonly name: Identifier;
  readonly value: Expression;
}

export interface ExpressionStatement extends StatementBase {
  readonly kind: 'expression';
  readonly expression: Expression;
}

export interface ProcessStatement extends StatementBase {
  readonly kind: 'process';
  readonly name: Identifier;
  readonly options: readonly Setting[];
}

export interface ForkStatement extends StatementBase {
  readonly kind: 'fork';
  readonly parent: Identifier;
  readonly child: Identifier;
}

export interface ExitStatement extends StatementBase {
  readonly kind: 'exit';
  readonly process: Identifier;
}

/** Moves the user stack pointer of a process (a register: any value). */
export interface SetSpStatement extends StatementBase {
  readonly kind: 'set_sp';
  readonly process: Identifier;
  readonly address: Expression;
}

export interface FileStatement extends StatementBase {
  readonly kind: 'file';
  readonly path: StringLiteral;
  readonly options: readonly Setting[];
}

export type Width = 'u8' | 'u16' | 'u32' | 'u64';

export interface WidthSyntax {
  readonly width: Width;
  readonly range: Range;
}

/** The address space of an access: a process name, or `kernel` for a kernel-mode access. */
export interface WriteStatement extends StatementBase {
  readonly kind: 'write';
  readonly space: Identifier;
  readonly address: Expression;
  readonly value: Expression;
  readonly width?: WidthSyntax;
}

export interface ReadStatement extends StatementBase {
  readonly kind: 'read';
  readonly space: Identifier;
  readonly address: Expression;
  readonly width?: WidthSyntax;
}

export interface ExecStatement extends StatementBase {
  readonly kind: 'exec';
  readonly space: Identifier;
  readonly address: Expression;
}

export interface PrintStatement extends StatementBase {
  readonly kind: 'print';
  readonly values: readonly Expression[];
}

export interface ExpectStatement extends StatementBase {
  readonly kind: 'expect';
  readonly condition: Expression;
}

export interface ProcStatement extends StatementBase {
  readonly kind: 'proc';
  readonly name: Identifier;
  readonly params: readonly Identifier[];
  readonly body: readonly Statement[];
  /** The range of the closing `}` (or of the end of the file when it is missing). */
  readonly closeRange: Range;
}

export interface RepeatStatement extends StatementBase {
  readonly kind: 'repeat';
  readonly variable: Identifier;
  readonly from: Expression;
  /** Exclusive: the body runs for `from`, `from + 1`, …, `to − 1`. */
  readonly to: Expression;
  readonly body: readonly Statement[];
  readonly closeRange: Range;
}

export type Statement =
  | MachineStatement
  | MemoryStatement
  | LetStatement
  | ExpressionStatement
  | ProcessStatement
  | ForkStatement
  | ExitStatement
  | SetSpStatement
  | FileStatement
  | WriteStatement
  | ReadStatement
  | ExecStatement
  | PrintStatement
  | ExpectStatement
  | ProcStatement
  | RepeatStatement;

export type StatementKind = Statement['kind'];

/** A parsed scenario file. Lines that did not parse are absent (their diagnostics say why). */
export interface Program {
  readonly file: string;
  readonly statements: readonly Statement[];
  readonly range: Range;
}

/** Statements that are not steps: they configure the machine or define a procedure. */
export function isStep(statement: Statement): boolean {
  return statement.kind !== 'machine' && statement.kind !== 'memory' && statement.kind !== 'proc';
}
