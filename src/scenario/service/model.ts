// The semantic model of one scenario document for the editor: the checker's result plus every
// definition (bindings, processes, procs, proc parameters, loop variables, files) with the place it
// is defined, where it can be seen from, and its static type. Completion, hovers, go to definition,
// symbols and inline values all ask this one model.

import type { Expression, ProcStatement, Statement } from '../ast';
import {
  CONSTANTS,
  ConstantKind,
  FUNCTIONS,
  GLOBALS,
  HandleKind,
  INDEXABLE,
  isErrnoName,
  lookup,
  MEMBERS,
  MemberSpec,
  ReturnSpec,
  isConstantKind,
} from '../api';
import { checkSource, CheckResult, StaticType } from '../checker';
import type { Range } from '../source';

export type DefinitionKind = 'let' | 'process' | 'proc' | 'param' | 'loop' | 'file';

export interface Definition {
  readonly name: string;
  readonly kind: DefinitionKind;
  /** The range of the defining name (for a file: its path string). */
  readonly nameRange: Range;
  /** The statement that makes the definition. */
  readonly statement: Statement;
  /** The proc whose call the definition is local to; undefined for the global scope. */
  readonly proc?: ProcStatement;
  /** The offset from which uses can see it (the end of its statement, or of its header). */
  readonly visibleFrom: number;
  readonly type: StaticType;
}

export interface DocumentModel {
  readonly check: CheckResult;
  readonly definitions: readonly Definition[];
  readonly procs: ReadonlyMap<string, ProcStatement>;
}

const UNKNOWN: StaticType = { kind: 'unknown' };
const valueType = (value: ReturnSpec['kind'], nullable = false): StaticType =>
  nullable ? { kind: 'value', value, nullable } : { kind: 'value', value };

/** Parses, checks and indexes a document. Never throws. */
export function analyzeDocument(text: string, file = '<scenario>'): DocumentModel {
  const check = checkSource(text, file);
  const procs = new Map<string, ProcStatement>();
  for (const s of check.program.statements) {
    if (s.kind === 'proc' && !procs.has(s.name.name)) procs.set(s.name.name, s);
  }
  const definitions: Definition[] = [];
  const model: DocumentModel = { check, definitions, procs };
  for (const proc of procs.values()) {
    definitions.push({
      name: proc.name.name,
      kind: 'proc',
      nameRange: proc.name.range,
      statement: proc,
      visibleFrom: 0,
      type: valueType('none'),
    });
  }
  const walk = (statements: readonly Statement[], proc: ProcStatement | undefined): void => {
    for (const statement of statements) {
      const define = (
        name: string,
        kind: DefinitionKind,
        nameRange: Range,
        type: StaticType,
        visibleFrom = statement.range.end.offset,
      ): void => {
        const base = { name, kind, nameRange, statement, visibleFrom, type };
        // Processes are machine-wide even when a proc creates them.
        definitions.push(proc && kind !== 'process' ? { ...base, proc } : base);
      };
      const typeAt = (e: Expression): StaticType =>
        inferType(e, (name) => lookupType(model, name, statement.range.start.offset));
      switch (statement.kind) {
        case 'let':
          define(statement.name.name, 'let', statement.name.range, typeAt(statement.value));
          break;
        case 'process':
          define(statement.name.name, 'process', statement.name.range, valueType('process'));
          break;
        case 'fork':
          define(statement.child.name, 'process', statement.child.range, valueType('process'));
          break;
        case 'file':
          define(statement.path.value, 'file', statement.path.range, valueType('string'));
          break;
        case 'repeat':
          define(
            statement.variable.name,
            'loop',
            statement.variable.range,
            valueType('integer'),
            statement.variable.range.end.offset,
          );
          walk(statement.body, proc);
          break;
        default:
          break;
      }
    }
  };
  walk(check.program.statements, undefined);
  // Proc bodies run when called, after the top-level lines that define what they use.
  for (const proc of procs.values()) {
    for (const param of proc.params) {
      definitions.push({
        name: param.name,
        kind: 'param',
        nameRange: param.range,
        statement: proc,
        proc,
        visibleFrom: param.range.end.offset,
        type: UNKNOWN,
      });
    }
    walk(proc.body, proc);
  }
  return model;
}

function within(range: Range, offset: number): boolean {
  return range.start.offset <= offset && offset <= range.end.offset;
}

/** The proc whose body holds `offset`, if any. */
export function procAt(model: DocumentModel, offset: number): ProcStatement | undefined {
  for (const proc of model.procs.values()) if (within(proc.range, offset)) return proc;
  return undefined;
}

/**
 * The definition a use of `name` at `offset` refers to: a local of the enclosing proc, else the
 * latest global definition before the use, else (inside a proc, whose body runs later) the last
 * global definition of the file. Files are not names and are never returned.
 */
export function lookupDefinition(model: DocumentModel, name: string, offset: number): Definition | undefined {
  const proc = procAt(model, offset);
  const candidates = model.definitions.filter((d) => d.name === name && d.kind !== 'file');
  // The defining occurrence itself.
  const own = candidates.find((d) => d.nameRange.start.offset <= offset && offset <= d.nameRange.end.offset);
  if (own) return own;
  const latest = (ds: readonly Definition[]): Definition | undefined =>
    ds.reduce<Definition | undefined>(
      (best, d) => (best === undefined || d.visibleFrom >= best.visibleFrom ? d : best),
      undefined,
    );
  if (proc) {
    const local = latest(candidates.filter((d) => d.proc === proc && d.visibleFrom <= offset));
    if (local) return local;
  }
  const procDef = candidates.find((d) => d.kind === 'proc');
  if (procDef) return procDef;
  const globals = candidates.filter((d) => d.proc === undefined);
  const before = latest(globals.filter((d) => d.visibleFrom <= offset));
  if (before) return before;
  return proc ? latest(globals) : undefined;
}

/** The static type of a name used at `offset`: a binding, a global (MM, kernel), a constant or an errno. */
export function lookupType(model: DocumentModel, name: string, offset: number): StaticType | undefined {
  const definition = lookupDefinition(model, name, offset);
  if (definition) return definition.type;
  const global = lookup(GLOBALS, name);
  if (global) return valueType(global.kind);
  const constant = lookup(CONSTANTS, name);
  if (constant)
    return { kind: 'constant', kinds: Object.keys(constant.values) as ConstantKind[], text: name };
  if (isErrnoName(name)) return valueType('error');
  return undefined;
}

/** The names visible at `offset`, latest definition of each name first. */
export function visibleDefinitions(model: DocumentModel, offset: number): Definition[] {
  const names = new Set(model.definitions.filter((d) => d.kind !== 'file').map((d) => d.name));
  const result: Definition[] = [];
  const proc = procAt(model, offset);
  for (const name of names) {
    const definition = lookupDefinition(model, name, offset);
    if (definition === undefined) continue;
    // A local of another proc is not visible here.
    if (definition.proc !== undefined && definition.proc !== proc) continue;
    result.push(definition);
  }
  return result;
}

/** The handle kind whose members a value of this type has, if any. */
export function handleKindOf(type: StaticType | undefined): HandleKind | undefined {
  if (type === undefined || type.kind !== 'value') return undefined;
  return Object.prototype.hasOwnProperty.call(MEMBERS, type.value) ? (type.value as HandleKind) : undefined;
}

export function memberSpecOf(type: StaticType | undefined, member: string): MemberSpec | undefined {
  const handle = handleKindOf(type);
  return handle === undefined ? undefined : lookup(MEMBERS[handle], member);
}

/** The static type a call or property yields, typed as the checker types it. */
export function returnType(returns: ReturnSpec): StaticType {
  const k = returns.kind;
  if (k !== 'integer' && k !== 'errno' && isConstantKindName(k))
    return { kind: 'constant', kinds: [k], text: 'the value' };
  return valueType(k, returns.nullable ?? false);
}

export function isConstantKindName(k: string): k is ConstantKind {
  return isConstantKind(k);
}

/**
 * The static type of an expression, given how to type a name. It follows the API table as the
 * checker does, but reports nothing: an expression it cannot type is `unknown`.
 */
export function inferType(
  expression: Expression,
  typeOfName: (name: string) => StaticType | undefined,
): StaticType {
  switch (expression.kind) {
    case 'integer':
      return valueType('integer');
    case 'string':
      return valueType('string');
    case 'boolean':
      return valueType('bool');
    case 'null':
      return valueType('null');
    case 'error':
      return UNKNOWN;
    case 'name': {
      if (expression.path.length > 1) {
        const constant = lookup(CONSTANTS, expression.name);
        return constant
          ? { kind: 'constant', kinds: Object.keys(constant.values) as ConstantKind[], text: expression.name }
          : UNKNOWN;
      }
      return typeOfName(expression.name) ?? UNKNOWN;
    }
    case 'try':
      return inferType(expression.inner, typeOfName);
    case 'unary':
      return valueType(expression.operator === '!' ? 'bool' : 'integer');
    case 'binary': {
      const op = expression.operator;
      if (['==', '!=', '<', '<=', '>', '>=', '&&', '||'].includes(op)) return valueType('bool');
      if (op === '|' || op === '&' || op === '^') {
        const left = inferType(expression.left, typeOfName);
        const right = inferType(expression.right, typeOfName);
        if (left.kind === 'constant' && right.kind === 'constant') {
          const common = left.kinds.filter((k) => right.kinds.includes(k));
          if (common.length > 0)
            return { kind: 'constant', kinds: common, text: `${left.text} ${op} ${right.text}` };
        }
      }
      return valueType('integer');
    }
    case 'member': {
      const spec = memberSpecOf(inferType(expression.object, typeOfName), expression.member.name);
      return spec?.kind === 'property' ? returnType(spec.returns) : UNKNOWN;
    }
    case 'index': {
      const object = inferType(expression.object, typeOfName);
      if (object.kind !== 'value') return UNKNOWN;
      const element = INDEXABLE[object.value as HandleKind];
      return element === undefined ? UNKNOWN : valueType(element);
    }
    case 'call': {
      const callee = expression.callee;
      if (callee.kind === 'name' && callee.path.length === 1) {
        const fn = lookup(FUNCTIONS, callee.name);
        return fn ? returnType(fn.returns) : UNKNOWN;
      }
      if (callee.kind === 'member') {
        const spec = memberSpecOf(inferType(callee.object, typeOfName), callee.member.name);
        return spec ? returnType(spec.returns) : UNKNOWN;
      }
      return UNKNOWN;
    }
  }
}

/** Human words for a static type, for hovers and completion details. */
export function describeType(type: StaticType | undefined): string {
  if (type === undefined || type.kind === 'unknown') return 'value';
  if (type.kind === 'constant') return type.kinds.filter((k) => k !== 'integer')[0] ?? 'integer';
  const names: Partial<Record<string, string>> = {
    process: 'Process',
    kernel: 'kernel address space',
    mm: 'MemoryManager',
    region: 'Region',
    vmobject: 'VMObject',
    physical_page: 'PhysicalPage',
    committed_set: 'CommittedSet',
    pte: 'PageTableEntry',
    zone: 'PhysicalZone',
    zone_list: 'zone list',
    fd: 'file descriptor',
    none: 'no value',
  };
  const base = names[type.value] ?? type.value;
  return type.nullable ? `${base} or null` : base;
}
