// The checker finds every mistake that can be found before running: unknown names and members,
// wrong arguments, constants of the wrong kind, misplaced machine lines, bad memory ranges,
// assertions naming unknown outcomes. It reports them all and never stops at the first.

import { fileSizeProblem } from '../engine/FileSystem';
import type {
  Argument,
  Assertion,
  CallExpression,
  Expression,
  Identifier,
  NameExpression,
  ProcStatement,
  Program,
  Setting,
  Statement,
} from './ast';
import {
  CONSTANTS,
  ConstantKind,
  FILE_OPTIONS,
  FUNCTIONS,
  FunctionSpec,
  GLOBALS,
  INDEXABLE,
  isConstantKind,
  isErrnoName,
  lookup,
  MEMBERS,
  MemberSpec,
  OUTCOMES,
  ParamKind,
  PROCESS_OPTIONS,
  ValueKind,
} from './api';
import { bindArguments, type ParameterShape } from './arguments';
import { evaluateConstant } from './constant';
import { MachineConfig, resolveMachine } from './machine';
import { parse } from './parser';
import { Diagnostic, DiagnosticBag, Range, SourceFile, sortDiagnostics } from './source';
import { didYouMean } from './suggest';

/** What the checker knows about a value before running. */
export type StaticType =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'value'; readonly value: ValueKind; readonly nullable?: boolean }
  | { readonly kind: 'constant'; readonly kinds: readonly ConstantKind[]; readonly text: string };

const UNKNOWN: StaticType = { kind: 'unknown' };
const value = (v: ValueKind, nullable = false): StaticType =>
  nullable ? { kind: 'value', value: v, nullable } : { kind: 'value', value: v };

export interface CheckResult {
  readonly source: SourceFile;
  readonly program: Program;
  /** Parse and check diagnostics, in reading order. */
  readonly diagnostics: Diagnostic[];
  readonly machine: MachineConfig;
}

/** Parses and checks a scenario. Never throws. */
export function checkSource(text: string, file = '<scenario>'): CheckResult {
  const parsed = parse(text, file);
  const bag = new DiagnosticBag(file);
  const machine = checkProgram(parsed.program, bag);
  return {
    source: parsed.source,
    program: parsed.program,
    diagnostics: sortDiagnostics([...parsed.diagnostics, ...bag.items]),
    machine,
  };
}

/** Checks a parsed program, adding its diagnostics to `bag`; returns the machine configuration. */
export function checkProgram(program: Program, bag: DiagnosticBag): MachineConfig {
  const machine = resolveMachine(program, bag);
  new Checker(program, bag).run();
  return machine;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

interface Binding {
  readonly name: string;
  type: StaticType;
  readonly origin: 'let' | 'process' | 'param' | 'loop';
  readonly range: Range;
}

class Scope {
  private readonly bindings = new Map<string, Binding>();

  constructor(readonly parent?: Scope) {}

  lookup(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.lookup(name);
  }

  define(binding: Binding): void {
    this.bindings.set(binding.name, binding);
  }

  names(): string[] {
    return [...this.bindings.keys(), ...(this.parent?.names() ?? [])];
  }
}

type StatementContext = { readonly inProc: boolean; readonly depth: number };

const describeKind: Readonly<Record<string, string>> = {
  integer: 'an integer',
  access: 'an access (Read, Write, Execute, ReadOnly, ReadWrite, ReadWriteExecute, None)',
  strategy: 'an allocation strategy (Reserve, AllocateNow, None)',
  memory_type: 'a memory type (Normal, NonCacheable, IO)',
  prot: 'a protection (PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC)',
  map_flags: 'mmap flags (MAP_SHARED, MAP_PRIVATE, MAP_ANONYMOUS, …)',
  advice: 'an advice (MADV_SET_VOLATILE, MADV_SET_NONVOLATILE)',
  msync_flags: 'msync flags (MS_SYNC, MS_ASYNC, MS_INVALIDATE)',
  open_flags: 'open flags (O_RDONLY, O_WRONLY, O_RDWR)',
  annotate_flags: 'mapping annotations (SyscallCode, Immutable)',
  prctl_option: 'a prctl option (PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT, …)',
  purge_mode: 'a purge mode (PURGE_ALL_VOLATILE, PURGE_ALL_CLEAN_INODE)',
  width: 'a width (u8, u16, u32, u64)',
  yes_no: 'Yes or No',
  errno: 'an errno',
  string: 'a "string"',
  bool: 'true or false',
  process: 'a process',
  address_space: "a process or 'kernel'",
  releasable: 'a kernel region, a physical page or a committed set',
  data: 'an integer or a "string"',
  fd: 'a file descriptor (from open) or null',
  any: 'any value',
  kernel: "'kernel'",
  mm: 'MM',
  region: 'a Region',
  vmobject: 'a VMObject',
  physical_page: 'a PhysicalPage',
  committed_set: 'a CommittedSet',
  pte: 'a page table entry',
  zone: 'a zone',
  zone_list: 'the list of zones',
  null: 'null',
  error: 'an error value',
  none: 'no value',
};

const HANDLE_NAMES: Readonly<Record<string, string>> = {
  process: 'Process',
  kernel: 'kernel',
  mm: 'MM',
  region: 'Region',
  vmobject: 'VMObject',
  physical_page: 'PhysicalPage',
  committed_set: 'CommittedSet',
  pte: 'page table entry',
  zone: 'zone',
  zone_list: 'zone list',
  fd: 'file descriptor',
};

function typeName(t: StaticType): string {
  if (t.kind === 'unknown') return 'a value';
  if (t.kind === 'constant') return `${t.text} (${describeKind[t.kinds[0] ?? 'integer'] ?? 'a constant'})`;
  return describeKind[t.value] ?? t.value;
}

function isMembersKey(v: ValueKind): v is keyof typeof MEMBERS {
  return Object.prototype.hasOwnProperty.call(MEMBERS, v);
}

class Checker {
  private readonly global = new Scope();
  private readonly procs = new Map<string, ProcStatement>();
  private seenStep = false;

  constructor(
    private readonly program: Program,
    private readonly bag: DiagnosticBag,
  ) {}

  run(): void {
    this.collectProcs();
    for (const statement of this.program.statements)
      this.statement(statement, this.global, { inProc: false, depth: 0 });
    // Proc bodies see every top-level binding (they run when called, after those lines).
    for (const proc of this.procs.values()) this.procBody(proc);
  }

  // ----- procedures ------------------------------------------------------------------------------

  private collectProcs(): void {
    for (const statement of this.program.statements) {
      if (statement.kind !== 'proc') continue;
      const name = statement.name.name;
      if (this.procs.has(name)) {
        const first = this.procs.get(name);
        this.bag.error(
          statement.name.range,
          'duplicate-proc',
          `A proc named '${name}' is already defined${first ? ` on line ${first.name.range.start.line + 1}` : ''}.`,
        );
        continue;
      }
      if (this.isBuiltinName(name)) {
        this.bag.error(
          statement.name.range,
          'reserved-name',
          `'${name}' is a built-in name; choose another name for the proc.`,
        );
        continue;
      }
      this.procs.set(name, statement);
      this.predeclareProcesses(statement.body);
    }
  }

  /**
   * A process created inside a proc exists machine-wide once the proc has run, and procs run from
   * anywhere; so such processes are known to every line (whether the proc ran is for the run to see).
   */
  private predeclareProcesses(body: readonly Statement[]): void {
    for (const statement of body) {
      const name =
        statement.kind === 'process'
          ? statement.name
          : statement.kind === 'fork'
            ? statement.child
            : undefined;
      if (
        name !== undefined &&
        !this.isBuiltinName(name.name) &&
        this.global.lookup(name.name) === undefined
      ) {
        this.global.define({ name: name.name, type: value('process'), origin: 'process', range: name.range });
      }
      if (statement.kind === 'repeat') this.predeclareProcesses(statement.body);
    }
  }

  private procBody(proc: ProcStatement): void {
    const scope = new Scope(this.global);
    const seen = new Set<string>();
    for (const param of proc.params) {
      if (seen.has(param.name)) {
        this.bag.error(param.range, 'duplicate-parameter', `The parameter '${param.name}' appears twice.`);
      }
      seen.add(param.name);
      this.checkBindableName(param);
      scope.define({ name: param.name, type: UNKNOWN, origin: 'param', range: param.range });
    }
    for (const statement of proc.body) this.statement(statement, scope, { inProc: true, depth: 1 });
  }

  // ----- statements ------------------------------------------------------------------------------

  private statement(statement: Statement, scope: Scope, context: StatementContext): void {
    if (statement.kind === 'machine' || statement.kind === 'memory') {
      if (context.depth > 0) {
        this.bag.error(
          statement.keywordRange,
          'misplaced-machine',
          `A '${statement.kind}' line belongs at the top of the file, not inside a block.`,
        );
      } else if (this.seenStep) {
        this.bag.error(
          statement.keywordRange,
          'misplaced-machine',
          `'${statement.kind}' must come before every other statement: the machine boots before the first step.`,
        );
      }
      return;
    }
    if (statement.kind !== 'proc') this.seenStep = true;
    switch (statement.kind) {
      case 'let': {
        const type = this.expression(statement.value, scope);
        this.requireValue(statement.value, type);
        if (this.checkBindableName(statement.name)) this.bind(scope, statement.name, type, 'let');
        break;
      }
      case 'expression': {
        this.expression(statement.expression, scope);
        const inner = statement.expression.kind === 'try' ? statement.expression.inner : statement.expression;
        if (inner.kind !== 'call' && inner.kind !== 'error') {
          this.bag.warning(
            statement.expression.range,
            'no-effect',
            'This expression does nothing on its own; use print to show it, expect to test it, or let to keep it.',
          );
        }
        break;
      }
      case 'process':
        this.processOptions(statement.options, scope);
        if (this.checkBindableName(statement.name)) this.defineProcess(scope, statement.name);
        break;
      case 'fork':
        this.processReference(statement.parent, scope, false);
        if (this.checkBindableName(statement.child)) this.defineProcess(scope, statement.child);
        break;
      case 'exit':
        this.processReference(statement.process, scope, false);
        break;
      case 'set_sp':
        this.processReference(statement.process, scope, false);
        this.argumentValue(
          this.expression(statement.address, scope),
          'integer',
          statement.address.range,
          'the stack pointer',
        );
        break;
      case 'file':
        if (statement.path.value === '')
          this.bag.error(statement.path.range, 'bad-file', 'The file path is empty.');
        this.fileOptions(statement.options, scope, statement.keywordRange);
        break;
      case 'write': {
        this.processReference(statement.space, scope, true);
        this.argumentValue(
          this.expression(statement.address, scope),
          'integer',
          statement.address.range,
          'the address',
        );
        const valueType = this.expression(statement.value, scope);
        this.argumentValue(valueType, 'data', statement.value.range, 'the value to write');
        if (statement.width && statement.value.kind === 'string') {
          this.bag.error(
            statement.width.range,
            'width-with-string',
            'A string is written byte by byte; remove the width, or write an integer value.',
          );
        }
        const constant = evaluateConstant(statement.value);
        if (constant?.kind === 'value' && statement.value.kind !== 'string') {
          const bits = { u8: 8n, u16: 16n, u32: 32n, u64: 64n }[statement.width?.width ?? 'u8'];
          if (constant.value >> bits !== 0n) {
            this.bag.error(
              statement.value.range,
              'value-too-wide',
              `The value 0x${constant.value.toString(16).toUpperCase()} does not fit in ${statement.width?.width ?? 'u8'}` +
                `${statement.width ? '' : ' (the default width)'}; expected a wider 'as' width or a smaller value.`,
            );
          }
        }
        break;
      }
      case 'read':
        this.processReference(statement.space, scope, true);
        this.argumentValue(
          this.expression(statement.address, scope),
          'integer',
          statement.address.range,
          'the address',
        );
        break;
      case 'exec':
        this.processReference(statement.space, scope, true);
        this.argumentValue(
          this.expression(statement.address, scope),
          'integer',
          statement.address.range,
          'the address',
        );
        break;
      case 'print':
        for (const v of statement.values) this.requireValue(v, this.expression(v, scope));
        break;
      case 'expect':
        this.requireValue(statement.condition, this.expression(statement.condition, scope));
        break;
      case 'proc':
        if (context.depth > 0) {
          this.bag.error(
            statement.keywordRange,
            'nested-proc',
            'A proc is defined at the top level of the file, not inside a block.',
          );
        }
        break;
      case 'repeat': {
        this.argumentValue(
          this.expression(statement.from, scope),
          'integer',
          statement.from.range,
          'the first value',
        );
        this.argumentValue(
          this.expression(statement.to, scope),
          'integer',
          statement.to.range,
          'the end of the range',
        );
        if (this.checkBindableName(statement.variable))
          this.bind(scope, statement.variable, value('integer'), 'loop');
        for (const inner of statement.body)
          this.statement(inner, scope, { inProc: context.inProc, depth: context.depth + 1 });
        break;
      }
    }
    if (statement.assertion) this.assertion(statement, statement.assertion, scope);
  }

  private bind(scope: Scope, name: Identifier, type: StaticType, origin: Binding['origin']): void {
    // A later let may rebind any name, a process name included (the process lives on, unnamed).
    scope.define({ name: name.name, type, origin, range: name.range });
  }

  private defineProcess(scope: Scope, name: Identifier): void {
    const existing = this.global.lookup(name.name);
    if (existing && existing.origin === 'process' && existing.range !== name.range) {
      this.bag.error(
        name.range,
        'duplicate-process',
        `A process named '${name.name}' already exists (line ${existing.range.start.line + 1}); every process needs its own name.`,
      );
      return;
    }
    // Processes are machine-wide: a process created inside a proc is known everywhere afterwards.
    const binding: Binding = {
      name: name.name,
      type: value('process'),
      origin: 'process',
      range: name.range,
    };
    this.global.define(binding);
    if (scope !== this.global) scope.define(binding);
  }

  private isBuiltinName(name: string): boolean {
    return (
      lookup(CONSTANTS, name) !== undefined ||
      lookup(FUNCTIONS, name) !== undefined ||
      lookup(GLOBALS, name) !== undefined ||
      isErrnoName(name) ||
      name === 'true' ||
      name === 'false' ||
      name === 'null' ||
      name === 'TRY'
    );
  }

  /** A new binding may not hide a built-in name or a proc. Returns false (after reporting) when it would. */
  private checkBindableName(name: Identifier): boolean {
    if (this.isBuiltinName(name.name)) {
      this.bag.error(
        name.range,
        'reserved-name',
        `'${name.name}' is a built-in name and cannot be rebound; choose another name.`,
      );
      return false;
    }
    if (this.procs.has(name.name)) {
      this.bag.error(
        name.range,
        'reserved-name',
        `'${name.name}' is the name of a proc; choose another name.`,
      );
      return false;
    }
    return true;
  }

  /** A process operand of fork/exit (kernel not allowed) or of an access (kernel allowed). */
  private processReference(name: Identifier, scope: Scope, kernelAllowed: boolean): void {
    if (name.name === 'kernel') {
      if (!kernelAllowed)
        this.bag.error(
          name.range,
          'kernel-not-process',
          "'kernel' is not a process; expected the name of a process.",
        );
      return;
    }
    const binding = scope.lookup(name.name);
    if (binding === undefined) {
      const processes = scope.names().filter((n) => {
        const b = scope.lookup(n);
        return b?.origin === 'process' || b?.origin === 'param';
      });
      this.bag.error(
        name.range,
        'unknown-process',
        `Unknown process '${name.name}'; expected a process created by 'process' or 'fork' before this line` +
          `${kernelAllowed ? " or 'kernel'" : ''}.` +
          didYouMean(name.name, kernelAllowed ? [...processes, 'kernel'] : processes),
      );
      return;
    }
    const t = binding.type;
    if (t.kind === 'value' && t.value !== 'process') {
      this.bag.error(name.range, 'not-a-process', `'${name.name}' is ${typeName(t)}, not a process.`);
    } else if (t.kind === 'constant') {
      this.bag.error(name.range, 'not-a-process', `'${name.name}' is a constant, not a process.`);
    }
  }

  private settingsCheck(
    settings: readonly Setting[],
    known: Readonly<Record<string, { readonly kind: 'integer' | 'bool' }>>,
    what: string,
    scope: Scope,
  ): Set<string> {
    const seen = new Set<string>();
    for (const setting of settings) {
      const key = setting.key.name;
      const spec = lookup(known, key);
      if (spec === undefined) {
        this.bag.error(
          setting.key.range,
          'unknown-option',
          `Unknown ${what} option '${key}'; expected ${Object.keys(known).join(', ')}.` +
            didYouMean(key, Object.keys(known)),
        );
        this.expression(setting.value, scope);
        continue;
      }
      if (seen.has(key)) this.bag.error(setting.key.range, 'duplicate-setting', `'${key}' is given twice.`);
      seen.add(key);
      const type = this.expression(setting.value, scope);
      if (spec.kind === 'bool') {
        if (!(type.kind === 'unknown' || (type.kind === 'value' && type.value === 'bool'))) {
          this.bag.error(
            setting.value.range,
            'type-mismatch',
            `${key} must be true or false; found ${typeName(type)}.`,
          );
        }
      } else {
        this.argumentValue(type, 'integer', setting.value.range, key);
      }
    }
    return seen;
  }

  private processOptions(settings: readonly Setting[], scope: Scope): void {
    this.settingsCheck(settings, PROCESS_OPTIONS, 'process', scope);
    for (const s of settings) {
      if (s.key.name !== 'stack') continue;
      const v = evaluateConstant(s.value);
      if (v?.kind === 'value' && v.value === 0n)
        this.bag.error(s.value.range, 'bad-option', 'The stack size must be above zero.');
    }
  }

  private fileOptions(settings: readonly Setting[], scope: Scope, keywordRange: Range): void {
    const seen = this.settingsCheck(settings, FILE_OPTIONS, 'file', scope);
    if (!seen.has('size')) {
      this.bag.error(
        keywordRange,
        'missing-option',
        'A file needs its size: file "PATH" size=SIZE [fill=BYTE].',
      );
    }
    for (const s of settings) {
      const v = evaluateConstant(s.value);
      const sizeProblem = s.key.name === 'size' && v?.kind === 'value' ? fileSizeProblem(v.value) : null;
      if (sizeProblem !== null) this.bag.error(s.value.range, 'bad-option', sizeProblem);
      if (s.key.name !== 'fill') continue;
      if (v?.kind === 'value' && v.value > 255n)
        this.bag.error(s.value.range, 'bad-option', `fill=${v.value} is not a byte; expected 0..255.`);
    }
  }

  private requireValue(expression: Expression, type: StaticType): void {
    if (type.kind === 'value' && type.value === 'none') {
      this.bag.error(
        expression.range,
        'no-value',
        'This call gives no value; it can only stand alone on its line.',
      );
    }
  }

  // ----- assertions ------------------------------------------------------------------------------

  private assertion(statement: Statement, assertion: Assertion, scope: Scope): void {
    const canHaveValue =
      statement.kind === 'read' || statement.kind === 'let' || statement.kind === 'expression';
    const outcomes = new Set<string>();
    let values = 0;
    for (const item of assertion.items) {
      if (item.kind === 'outcome') {
        const name = item.name.name;
        if (lookup(OUTCOMES, name) === undefined) {
          this.bag.error(
            item.range,
            'unknown-outcome',
            `Unknown outcome '${name}'; expected ok, zero_fault, cow_fault, inode_fault, crash, oom, bus_error, panic or an errno.` +
              didYouMean(name, Object.keys(OUTCOMES)),
          );
        } else if (outcomes.has(name)) {
          this.bag.error(item.range, 'duplicate-outcome', `'${name}' is asserted twice.`);
        }
        outcomes.add(name);
        continue;
      }
      // A value: a bare unknown lower-case name is most likely a misspelt outcome.
      if (
        item.value.kind === 'name' &&
        item.value.path.length === 1 &&
        this.resolveName(item.value, scope, true) === undefined
      ) {
        const name = item.value.name;
        this.bag.error(
          item.range,
          'unknown-outcome',
          `'${name}' is neither an outcome nor a known name; expected an outcome (ok, zero_fault, cow_fault, …) or a value.` +
            didYouMean(name, [...Object.keys(OUTCOMES), ...scope.names()]),
        );
        continue;
      }
      values++;
      if (!canHaveValue) {
        this.bag.error(
          item.range,
          'unexpected-value',
          `A '${statement.kind}' step has no value to assert; expected outcome names only (values can be asserted on read, let and calls).`,
        );
        continue;
      }
      if (values > 1) {
        this.bag.error(item.range, 'duplicate-value', 'Only one value can be asserted per step.');
        continue;
      }
      this.requireValue(item.value, this.expression(item.value, scope));
    }
  }

  // ----- expressions -----------------------------------------------------------------------------

  private expression(expression: Expression, scope: Scope): StaticType {
    switch (expression.kind) {
      case 'integer':
        return value('integer');
      case 'string':
        return value('string');
      case 'boolean':
        return value('bool');
      case 'null':
        return value('null');
      case 'error':
        return UNKNOWN;
      case 'name':
        return this.name(expression, scope);
      case 'try':
        return this.expression(expression.inner, scope);
      case 'unary': {
        const operand = this.expression(expression.operand, scope);
        if (expression.operator === '!') return value('bool');
        this.arithmeticOperand(operand, expression.operand.range, expression.operator);
        if (expression.operator === '-') this.foldConstant(expression);
        return value('integer');
      }
      case 'binary':
        return this.binary(expression, scope);
      case 'member':
        return this.member(expression, scope);
      case 'index': {
        const object = this.expression(expression.object, scope);
        this.argumentValue(
          this.expression(expression.index, scope),
          'integer',
          expression.index.range,
          'the index',
        );
        if (object.kind === 'unknown') return UNKNOWN;
        if (object.kind === 'value') {
          const element = INDEXABLE[object.value as keyof typeof INDEXABLE];
          if (element !== undefined) return value(element);
        }
        this.bag.error(
          expression.object.range,
          'not-indexable',
          `${typeName(object)} cannot be indexed; only MM.zones can ([i]).`,
        );
        return UNKNOWN;
      }
      case 'call':
        return this.call(expression, scope);
    }
  }

  private foldConstant(expression: Expression): void {
    const folded = evaluateConstant(expression);
    if (folded?.kind === 'error' && folded.origin === expression) {
      this.bag.error(folded.range, 'constant-overflow', `This arithmetic always traps: ${folded.message}.`);
    }
  }

  private arithmeticOperand(type: StaticType, range: Range, operator: string): void {
    if (type.kind !== 'value') return;
    const v = type.value;
    if (v === 'integer' || v === 'region' || isConstantKind(v)) return;
    this.bag.error(range, 'type-mismatch', `'${operator}' needs integers; found ${typeName(type)}.`);
  }

  private binary(expression: Expression & { kind: 'binary' }, scope: Scope): StaticType {
    const left = this.expression(expression.left, scope);
    const right = this.expression(expression.right, scope);
    const op = expression.operator;
    if (op === '&&' || op === '||') return value('bool');
    if (op === '==' || op === '!=') return value('bool');
    this.arithmeticOperand(left, expression.left.range, op);
    this.arithmeticOperand(right, expression.right.range, op);
    if (op === '<' || op === '<=' || op === '>' || op === '>=') return value('bool');
    this.foldConstant(expression);
    if ((op === '|' || op === '&' || op === '^') && left.kind === 'constant' && right.kind === 'constant') {
      const common = left.kinds.filter((k) => right.kinds.includes(k));
      if (common.length === 0) {
        this.bag.error(
          expression.range,
          'mixed-constants',
          `'${op}' combines ${typeName(left)} with ${typeName(right)}; expected constants of one kind.`,
        );
        return value('integer');
      }
      return { kind: 'constant', kinds: common, text: `${left.text} ${op} ${right.text}` };
    }
    return value('integer');
  }

  /** Resolves a name; undefined when unknown (no diagnostic). */
  private resolveName(expression: NameExpression, scope: Scope, quiet = false): StaticType | undefined {
    const name = expression.name;
    if (expression.path.length > 1) {
      const constant = lookup(CONSTANTS, name);
      if (constant)
        return { kind: 'constant', kinds: Object.keys(constant.values) as ConstantKind[], text: name };
      return undefined;
    }
    const binding = scope.lookup(name);
    if (binding) return binding.type;
    const global = lookup(GLOBALS, name);
    if (global) return value(global.kind);
    const constant = lookup(CONSTANTS, name);
    if (constant)
      return { kind: 'constant', kinds: Object.keys(constant.values) as ConstantKind[], text: name };
    if (isErrnoName(name)) return value('error');
    if (!quiet && (lookup(FUNCTIONS, name) || this.procs.has(name))) return UNKNOWN;
    return undefined;
  }

  private name(expression: NameExpression, scope: Scope): StaticType {
    const name = expression.name;
    if (expression.path.length > 1) {
      const resolved = this.resolveName(expression, scope);
      if (resolved) return resolved;
      this.bag.error(
        expression.range,
        'unknown-constant',
        `'${expression.path.map((p) => p.name).join('::')}' is not a known constant: a qualified name must end in a constant.` +
          didYouMean(name, Object.keys(CONSTANTS)),
      );
      return UNKNOWN;
    }
    if (lookup(FUNCTIONS, name) || this.procs.has(name)) {
      this.bag.error(
        expression.range,
        'not-called',
        `'${name}' is a ${this.procs.has(name) ? 'proc' : 'function'}; call it: ${name}(…).`,
      );
      return UNKNOWN;
    }
    const resolved = this.resolveName(expression, scope);
    if (resolved) return resolved;
    this.bag.error(
      expression.range,
      'unknown-name',
      `Unknown name '${name}'; expected a binding defined earlier (let, process, fork … as), a constant, MM or kernel.` +
        didYouMean(name, [...scope.names(), ...Object.keys(CONSTANTS), ...Object.keys(GLOBALS)]),
    );
    return UNKNOWN;
  }

  private memberSpec(
    expression: Expression & { kind: 'member' },
    scope: Scope,
  ): { spec?: MemberSpec; object: StaticType } {
    const object = this.expression(expression.object, scope);
    if (object.kind === 'unknown') return { object };
    const member = expression.member.name;
    if (object.kind === 'value' && isMembersKey(object.value)) {
      const members = MEMBERS[object.value];
      const spec = lookup(members, member);
      if (spec) return { spec, object };
      const names = Object.keys(members);
      this.bag.error(
        expression.member.range,
        'unknown-member',
        `${HANDLE_NAMES[object.value] ?? object.value} has no member '${member}'` +
          (names.length > 0 ? `; expected one of ${names.join(', ')}.` : '.') +
          didYouMean(member, names),
      );
      return { object };
    }
    this.bag.error(
      expression.member.range,
      'unknown-member',
      `${typeName(object)} has no members; '.${member}' cannot be used here.`,
    );
    return { object };
  }

  private member(expression: Expression & { kind: 'member' }, scope: Scope): StaticType {
    const { spec } = this.memberSpec(expression, scope);
    if (spec === undefined) return UNKNOWN;
    if (spec.kind === 'function') {
      this.bag.error(
        expression.member.range,
        'not-called',
        `'${spec.name}' is a method; call it: .${spec.name}(${spec.params.map((p) => p.name).join(', ')}).`,
      );
      return UNKNOWN;
    }
    return this.returnType(spec.returns);
  }

  private returnType(returns: { kind: ValueKind; nullable?: boolean }): StaticType {
    if (isConstantKind(returns.kind) && returns.kind !== 'integer' && returns.kind !== 'errno') {
      return { kind: 'constant', kinds: [returns.kind], text: 'the value' };
    }
    return value(returns.kind, returns.nullable ?? false);
  }

  private call(expression: CallExpression, scope: Scope): StaticType {
    const callee = expression.callee;
    if (callee.kind === 'name' && callee.path.length === 1) {
      const name = callee.name;
      const proc = this.procs.get(name);
      if (proc) {
        this.procCall(expression, proc, scope);
        return value('none');
      }
      const fnSpec = lookup(FUNCTIONS, name);
      if (fnSpec) {
        this.arguments(expression, fnSpec, scope);
        return this.returnType(fnSpec.returns);
      }
      if (scope.lookup(name) === undefined) {
        this.bag.error(
          callee.range,
          'unknown-function',
          `Unknown function '${name}'; expected an API function (mmap, translate, …) or a proc.` +
            didYouMean(name, [...Object.keys(FUNCTIONS), ...this.procs.keys()]),
        );
        this.argumentsOnly(expression, scope);
        return UNKNOWN;
      }
    }
    if (callee.kind === 'member') {
      const { spec } = this.memberSpec(callee, scope);
      if (spec === undefined) {
        this.argumentsOnly(expression, scope);
        return UNKNOWN;
      }
      if (spec.kind === 'property') {
        if (!spec.callable) {
          this.bag.error(
            expression.argsRange,
            'not-callable',
            `'${spec.name}' is a property, not a method; write it without ().`,
          );
        } else if (expression.args.length > 0) {
          this.bag.error(expression.argsRange, 'wrong-arity', `'${spec.name}()' takes no arguments.`);
        }
        this.argumentsOnly(expression, scope);
        return this.returnType(spec.returns);
      }
      this.arguments(expression, spec, scope);
      return this.returnType(spec.returns);
    }
    const calleeType = this.expression(callee, scope);
    this.bag.error(
      callee.range,
      'not-callable',
      `${typeName(calleeType)} cannot be called; expected a function, a method or a proc.`,
    );
    this.argumentsOnly(expression, scope);
    return UNKNOWN;
  }

  private argumentsOnly(expression: CallExpression, scope: Scope): void {
    for (const arg of expression.args) this.expression(arg.value, scope);
  }

  private procCall(expression: CallExpression, proc: ProcStatement, scope: Scope): void {
    const params = proc.params.map((p) => p.name);
    this.matchArguments(
      expression,
      params.map((name) => ({ name, required: true })),
      `${proc.name.name}(${params.join(', ')})`,
      scope,
      (arg) => this.requireValue(arg.value, this.expression(arg.value, scope)),
    );
  }

  private arguments(expression: CallExpression, spec: FunctionSpec, scope: Scope): void {
    const signature = `${spec.name}(${spec.params.map((p) => (p.default === undefined ? p.name : `${p.name}=${p.default}`)).join(', ')})`;
    this.matchArguments(
      expression,
      spec.params.map((p) => ({ name: p.name, required: p.default === undefined })),
      signature,
      scope,
      (arg, index) => {
        const param = spec.params[index];
        const type = this.expression(arg.value, scope);
        if (param) this.argumentValue(type, param.kind, arg.value.range, `'${param.name}' of ${spec.name}`);
      },
    );
  }

  /** Pairs arguments with parameters; reports arity and naming problems; calls `each` per matched argument. */
  private matchArguments(
    expression: CallExpression,
    params: readonly ParameterShape[],
    signature: string,
    scope: Scope,
    each: (arg: Argument, paramIndex: number) => void,
  ): void {
    const binding = bindArguments(params, expression.args);
    // Arguments that match no parameter are still checked for unknown names inside them.
    for (const problem of binding.problems) {
      if (problem.kind !== 'missing') this.expression(problem.argument.value, scope);
    }
    let reportedOrder = false;
    const names = params.map((p) => p.name);
    for (const problem of binding.problems) {
      switch (problem.kind) {
        case 'positional-after-named':
          if (!reportedOrder) {
            this.bag.error(
              problem.argument.range,
              'positional-after-named',
              `Positional arguments come before named ones; expected ${signature}.`,
            );
          }
          reportedOrder = true;
          break;
        case 'too-many':
          this.bag.error(
            problem.argument.range,
            'wrong-arity',
            `Too many arguments: ${signature} takes at most ${params.length}.`,
          );
          break;
        case 'unknown-name': {
          const name = problem.argument.name;
          if (name === undefined) break;
          this.bag.error(
            name.range,
            'unknown-argument',
            `Unknown argument '${name.name}'; ${signature} has ${names.join(', ') || 'no parameters'}.` +
              didYouMean(name.name, names),
          );
          break;
        }
        case 'duplicate': {
          const name = problem.argument.name;
          if (name !== undefined)
            this.bag.error(name.range, 'duplicate-argument', `'${name.name}' is given twice.`);
          break;
        }
        case 'missing':
          this.bag.error(
            expression.argsRange,
            'missing-argument',
            `Missing ${problem.names.length === 1 ? 'argument' : 'arguments'} ${problem.names.map((m) => `'${m}'`).join(', ')}; expected ${signature}.`,
          );
          break;
      }
    }
    binding.byParameter.forEach((arg, index) => {
      if (arg !== undefined) each(arg, index);
    });
  }

  /** Reports a value that a parameter of kind `kind` cannot take. */
  private argumentValue(type: StaticType, kind: ParamKind, range: Range, what: string): void {
    const problem = incompatibility(type, kind);
    if (problem === undefined) return;
    this.bag.error(
      range,
      'type-mismatch',
      `Expected ${describeKind[kind] ?? kind} for ${what}, but ${problem}.`,
    );
  }
}

/** Why a value of static type `type` cannot be passed where `kind` is expected, or undefined. */
function incompatibility(type: StaticType, kind: ParamKind): string | undefined {
  if (type.kind === 'unknown' || kind === 'any') return undefined;
  if (type.kind === 'constant') {
    if (isConstantKind(kind)) {
      if (type.kinds.includes(kind)) return undefined;
      // Plain integers (PAGE_SIZE) are fine wherever numbers are.
      if (type.kinds.includes('integer')) return undefined;
      return `${type.text} is ${describeKind[type.kinds[0] ?? 'integer']}`;
    }
    if (kind === 'data')
      return type.kinds.includes('integer')
        ? undefined
        : `${type.text} is ${describeKind[type.kinds[0] ?? 'integer']}`;
    return `${type.text} is a constant`;
  }
  const v = type.value;
  switch (v) {
    case 'integer':
      return isConstantKind(kind) || kind === 'data' ? undefined : 'an integer was given';
    case 'string':
      return kind === 'string' || kind === 'data' ? undefined : 'a string was given';
    case 'bool':
      return kind === 'bool' || kind === 'yes_no' ? undefined : 'true/false was given';
    case 'null':
      return kind === 'fd' ? undefined : 'null was given';
    case 'none':
      return 'the call gives no value';
    case 'process':
      return kind === 'process' || kind === 'address_space' ? undefined : 'a process was given';
    case 'kernel':
      return kind === 'address_space' ? undefined : "'kernel' was given";
    case 'region':
      return kind === 'releasable' || (isConstantKind(kind) && kind === 'integer') || kind === 'data'
        ? undefined
        : 'a Region was given';
    case 'physical_page':
    case 'committed_set':
      return kind === 'releasable' ? undefined : `${describeKind[v]} was given`;
    case 'fd':
      return kind === 'fd' ? undefined : 'a file descriptor was given';
    case 'error':
      return 'an error value was given';
    default:
      if (isConstantKind(v))
        return isConstantKind(kind) || kind === 'data' ? undefined : `${describeKind[v]} was given`;
      return `${describeKind[v] ?? v} was given`;
  }
}
