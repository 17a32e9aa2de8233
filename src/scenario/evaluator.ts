// Evaluation of scenario expressions against a running machine. Every API call of the language
// (docs/language-guide.md) is one call on the engine's Machine; what a call ends in (an errno, a panic) is recorded
// in the step's effects so the interpreter can decide the step's outcome.

import type { Machine, Result } from '../engine';
import type { AccessTarget, Width } from '../engine/Machine';
import type { MemoryType } from '../engine/PageTableEntry';
import { type AllocationStrategy, AnonymousVMObject } from '../engine/AnonymousVMObject';
import type { OpenFlags } from '../engine/FileSystem';
import { PRCTL_OPTIONS_NOT_SIMULATED } from '../engine/Syscalls';
import type { Argument, CallExpression, Expression, MemberExpression } from './ast';
import {
  CONSTANTS,
  type ConstantKind,
  FUNCTIONS,
  type FunctionSpec,
  GLOBALS,
  isConstantKind,
  isErrnoName,
  lookup,
  MEMBERS,
  type MemberSpec,
  type ParamKind,
  type ParamSpec,
} from './api';
import { parseExpression } from './parser';
import type { Range } from './source';
import { isArithmeticOperator, u64Binary, u64Negate, u64Not } from './u64';
import {
  type AddressSpaceRef,
  bool,
  describeValueKind,
  formatValue,
  integer,
  NULL_VALUE,
  type Value,
} from './values';

/** A scenario mistake found while running: the step fails with this message at this range. */
export class RuntimeError extends Error {
  constructor(
    message: string,
    readonly range: Range,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}

/** The machine panicked during the step: the step ends at once and the machine is halted. */
export class PanicSignal extends Error {
  constructor(readonly panicMessage: string) {
    super(panicMessage);
    this.name = 'PanicSignal';
  }
}

/**
 * A syscall crashed its process at syscall entry (a bad stack pointer): the step ends at once
 * with outcome `crash`, and the call never returns a value.
 */
export class CrashSignal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CrashSignal';
  }
}

/** What a step's calls ended in, collected while its expressions are evaluated. */
export interface StepEffects {
  /** The first errno a call of the step returned. */
  errno: string | null;
  /** Faults handled with Continue during the step's accesses, in order. */
  faults: string[];
}

export interface Scope {
  lookup(name: string): Value | undefined;
}

export interface EvaluationContext {
  readonly machine: Machine;
  readonly scope: Scope;
  readonly effects: StepEffects;
  /** Debug-console evaluation: only side-effect-free calls are allowed. */
  readonly inspectionOnly: boolean;
  /** The name a `let` binds, used to name a process created by `fork(p)`. */
  readonly bindingName?: string;
}

const WIDTHS: readonly number[] = [1, 2, 4, 8];
const STRATEGIES: readonly AllocationStrategy[] = ['Reserve', 'AllocateNow', 'None'];
const MEMORY_TYPES: readonly MemoryType[] = ['Normal', 'NonCacheable', 'IO'];
const OPEN_FLAGS: Readonly<Record<string, OpenFlags>> = { '1': 'O_RDONLY', '2': 'O_WRONLY', '3': 'O_RDWR' };

const defaultCache = new Map<string, Expression>();

/**
 * Each constant's value where no kind is expected (its first), made once: a loop evaluates names
 * like PAGE_SIZE on every step. Names that are also globals are left out, since globals come first.
 */
const UNTYPED_CONSTANTS: ReadonlyMap<string, Value> = new Map(
  Object.entries(CONSTANTS).flatMap(([name, constant]): [string, Value][] => {
    const value = Object.values(constant.values)[0];
    return value === undefined || lookup(GLOBALS, name) !== undefined ? [] : [[name, integer(value)]];
  }),
);

function defaultExpression(param: ParamSpec): Expression {
  const text = param.default ?? '';
  let expression = defaultCache.get(text);
  if (expression === undefined) {
    const parsed = parseExpression(text, '<default>');
    if (parsed.expression === undefined) throw new Error(`API table default "${text}" does not parse`);
    expression = parsed.expression;
    defaultCache.set(text, expression);
  }
  return expression;
}

/** The value's truth as `expect`, `!`, `&&` and `||` see it (C-like). */
export function truthy(value: Value): boolean {
  switch (value.kind) {
    case 'bool':
      return value.value;
    case 'integer':
      return value.value !== 0n;
    case 'null':
    case 'error':
      return false;
    case 'string':
      return value.value.length > 0;
    default:
      return true;
  }
}

/** Integer view of a value for arithmetic: a Region is its base, a PhysicalPage its address. */
function numericView(value: Value): bigint | undefined {
  if (value.kind === 'integer') return value.value;
  if (value.kind === 'region') return BigInt(value.region.base);
  if (value.kind === 'physical_page') return BigInt(value.paddr);
  return undefined;
}

export function valuesEqual(a: Value, b: Value): boolean {
  const na = numericView(a);
  const nb = numericView(b);
  if (na !== undefined && nb !== undefined && (a.kind === 'integer' || b.kind === 'integer'))
    return na === nb;
  switch (a.kind) {
    case 'integer':
      return b.kind === 'integer' && a.value === b.value;
    case 'string':
      return b.kind === 'string' && a.value === b.value;
    case 'bool':
      return b.kind === 'bool' && a.value === b.value;
    case 'null':
      return b.kind === 'null';
    case 'error':
      return b.kind === 'error' && a.errno === b.errno;
    case 'process':
      return b.kind === 'process' && a.process === b.process;
    case 'kernel':
    case 'mm':
    case 'zone_list':
      return b.kind === a.kind;
    case 'region':
      return b.kind === 'region' && a.region === b.region;
    case 'vmobject':
      return b.kind === 'vmobject' && a.vmobject === b.vmobject;
    case 'physical_page':
      return b.kind === 'physical_page' && a.paddr === b.paddr;
    case 'committed_set':
      return b.kind === 'committed_set' && a.set === b.set;
    case 'pte':
      return b.kind === 'pte' && a.pte.raw === b.pte.raw;
    case 'zone':
      return b.kind === 'zone' && a.index === b.index;
    case 'fd':
      return b.kind === 'fd' && a.process === b.process && a.fd === b.fd;
  }
}

/**
 * Converts a u64 to the engine's plain-number addresses. Every x86_64 address the engine can map
 * is below 2^53 and converts exactly; larger values are non-canonical or beyond every range, and
 * their nearest double lies in the same unmapped area, so outcomes do not change.
 */
export function toEngineNumber(value: bigint): number {
  return Number(value);
}

export class Evaluator {
  constructor(private readonly context: EvaluationContext) {}

  private get machine(): Machine {
    return this.context.machine;
  }

  evaluate(expression: Expression, expected?: ConstantKind): Value {
    switch (expression.kind) {
      case 'integer':
        return integer(expression.value);
      case 'string':
        return { kind: 'string', value: expression.value, bytes: expression.bytes };
      case 'boolean':
        return bool(expression.value);
      case 'null':
        return NULL_VALUE;
      case 'name':
        return this.name(expression.name, expression.range, expected);
      case 'unary':
        return this.unary(expression.operator, expression.operand, expression.range, expected);
      case 'binary':
        return this.binary(expression, expected);
      case 'member':
        return this.member(expression);
      case 'index':
        return this.index(expression.object, expression.index, expression.range);
      case 'call':
        return this.call(expression);
      case 'try':
        return this.evaluate(expression.inner, expected);
      case 'error':
        throw new RuntimeError('This expression did not parse.', expression.range);
    }
  }

  // Names ----------------------------------------------------------------------------------------

  private name(name: string, range: Range, expected?: ConstantKind): Value {
    const bound = this.context.scope.lookup(name);
    if (bound !== undefined) return bound;
    const untyped = expected === undefined ? UNTYPED_CONSTANTS.get(name) : undefined;
    if (untyped !== undefined) return untyped;
    const global = lookup(GLOBALS, name);
    if (global !== undefined) return global.kind === 'mm' ? { kind: 'mm' } : { kind: 'kernel' };
    const constant = lookup(CONSTANTS, name);
    if (constant !== undefined) {
      const typed = expected === undefined ? undefined : constant.values[expected];
      const value = typed ?? Object.values(constant.values)[0];
      if (value !== undefined) return integer(value);
    }
    if (isErrnoName(name)) return { kind: 'error', errno: name };
    if (lookup(FUNCTIONS, name) !== undefined)
      throw new RuntimeError(`'${name}' is a function; call it: ${name}(…).`, range);
    throw new RuntimeError(`'${name}' is not defined at this point of the run.`, range);
  }

  // Operators ------------------------------------------------------------------------------------

  private integerOperand(expression: Expression, expected?: ConstantKind): bigint {
    const value = this.evaluate(expression, expected);
    return this.asInteger(value, expression.range);
  }

  asInteger(value: Value, range: Range): bigint {
    const n = numericView(value);
    if (n !== undefined) return n;
    if (value.kind === 'error')
      throw new RuntimeError(`This is the error ${value.errno} (the call failed), not an integer.`, range);
    if (value.kind === 'null') throw new RuntimeError('This is null, not an integer.', range);
    if (value.kind === 'bool') return value.value ? 1n : 0n;
    throw new RuntimeError(`Expected an integer, got ${describeValueKind(value)}.`, range);
  }

  private unary(
    operator: '!' | '~' | '-',
    operand: Expression,
    range: Range,
    expected?: ConstantKind,
  ): Value {
    if (operator === '!') return bool(!truthy(this.evaluate(operand)));
    const value = this.integerOperand(operand, expected);
    if (operator === '~') return integer(u64Not(value));
    const r = u64Negate(value);
    if ('error' in r) throw new RuntimeError(r.error, range);
    return integer(r.value);
  }

  private binary(expression: Expression & { kind: 'binary' }, expected?: ConstantKind): Value {
    const { operator, left, right } = expression;
    if (operator === '&&') return bool(truthy(this.evaluate(left)) && truthy(this.evaluate(right)));
    if (operator === '||') return bool(truthy(this.evaluate(left)) || truthy(this.evaluate(right)));
    if (isArithmeticOperator(operator)) {
      const r = u64Binary(
        operator,
        this.integerOperand(left, expected),
        this.integerOperand(right, expected),
      );
      if ('error' in r) throw new RuntimeError(r.error, expression.range);
      return integer(r.value);
    }
    const a = this.evaluate(left, expected);
    const b = this.evaluate(right);
    if (operator === '==') return bool(valuesEqual(a, b));
    if (operator === '!=') return bool(!valuesEqual(a, b));
    const x = this.asInteger(a, left.range);
    const y = this.asInteger(b, right.range);
    switch (operator) {
      case '<':
        return bool(x < y);
      case '<=':
        return bool(x <= y);
      case '>':
        return bool(x > y);
      default:
        return bool(x >= y);
    }
  }

  // Members and indexing -------------------------------------------------------------------------

  private member(expression: MemberExpression): Value {
    const object = this.evaluate(expression.object);
    const spec = this.memberSpec(object, expression.member.name, expression.member.range);
    if (spec.kind === 'function')
      throw new RuntimeError(
        `'${spec.name}' is a method; call it: .${spec.name}(…).`,
        expression.member.range,
      );
    return this.property(object, spec.name, expression.range);
  }

  private memberSpec(object: Value, name: string, range: Range): MemberSpec {
    const kind = object.kind;
    if (kind === 'null') throw new RuntimeError(`This is null; it has no member '${name}'.`, range);
    if (kind === 'error')
      throw new RuntimeError(
        `This is the error ${object.kind === 'error' ? object.errno : ''}; it has no member '${name}'.`,
        range,
      );
    const table = (MEMBERS as Readonly<Record<string, Readonly<Record<string, MemberSpec>>>>)[kind];
    const spec = table === undefined ? undefined : lookup(table, name);
    if (spec === undefined)
      throw new RuntimeError(`${describeValueKind(object)} has no member '${name}'.`, range);
    return spec;
  }

  private index(objectExpression: Expression, indexExpression: Expression, range: Range): Value {
    const object = this.evaluate(objectExpression);
    if (object.kind !== 'zone_list')
      throw new RuntimeError(`${describeValueKind(object)} cannot be indexed.`, range);
    const i = this.integerOperand(indexExpression);
    const count = this.machine.zones().length;
    if (i >= BigInt(count))
      throw new RuntimeError(
        `Zone index ${i} is out of range: the machine has ${count} zones.`,
        indexExpression.range,
      );
    return { kind: 'zone', index: Number(i) };
  }

  private property(object: Value, name: string, range: Range): Value {
    const m = this.machine;
    switch (object.kind) {
      case 'mm': {
        const c = m.counters();
        switch (name) {
          case 'physical_pages':
            return integer(c.physicalPages);
          case 'physical_pages_used':
            return integer(c.physicalPagesUsed);
          case 'physical_pages_committed':
            return integer(c.physicalPagesCommitted);
          case 'physical_pages_uncommitted':
            return integer(c.physicalPagesUncommitted);
          case 'free_pages':
            return integer(c.freePages);
          case 'zones':
            return { kind: 'zone_list' };
        }
        break;
      }
      case 'process': {
        const p = object.process;
        const space = p.space;
        switch (name) {
          case 'address_space':
            return object;
          case 'name':
            return { kind: 'string', value: p.name, bytes: new TextEncoder().encode(p.name) };
          case 'is_alive':
            return bool(p.alive);
          case 'stack':
            return p.stackRegion === null ? NULL_VALUE : { kind: 'region', region: p.stackRegion, space: p };
          case 'stack_pointer': {
            const sp = p.userStackPointer;
            return sp === null ? NULL_VALUE : integer(sp);
          }
          case 'zero_faults':
            return integer(p.counters.zeroFaults);
          case 'cow_faults':
            return integer(p.counters.cowFaults);
          case 'inode_faults':
            return integer(p.counters.inodeFaults);
          case 'amount_virtual':
            return integer(space.amountVirtual());
          case 'amount_resident':
            return integer(space.amountResident());
          case 'amount_shared':
            return integer(space.amountShared());
          case 'amount_dirty_private':
            return integer(space.amountDirtyPrivate());
          case 'amount_clean_inode':
            return integer(space.amountCleanInode());
          case 'amount_purgeable_volatile':
            return integer(space.amountPurgeableVolatile());
          case 'amount_purgeable_nonvolatile':
            return integer(space.amountPurgeableNonvolatile());
        }
        break;
      }
      case 'region': {
        const r = object.region;
        switch (name) {
          case 'base':
          case 'vaddr':
            return integer(r.base);
          case 'size':
            return integer(r.size);
          case 'end':
            return integer(r.base + r.size);
          case 'name':
            return { kind: 'string', value: r.name, bytes: new TextEncoder().encode(r.name) };
          case 'access':
            return integer(r.access);
          case 'memory_type':
            return integer(MEMORY_TYPES.indexOf(r.memoryType));
          case 'is_shared':
            return bool(r.shared);
          case 'is_stack':
            return bool(r.stack);
          case 'is_mmap':
            return bool(r.mmap);
          case 'is_immutable':
            return bool(r.immutable);
          case 'vmobject':
            return r.vmobject === null ? NULL_VALUE : { kind: 'vmobject', vmobject: r.vmobject };
          case 'amount_resident':
            return integer(r.amountResident());
          case 'amount_dirty':
            return integer(r.amountDirty());
          case 'amount_shared':
            return integer(r.amountShared());
          case 'cow_pages':
            return integer(r.cowPages());
        }
        break;
      }
      case 'vmobject': {
        const o = object.vmobject;
        const anonymous = o instanceof AnonymousVMObject ? o : null;
        switch (name) {
          case 'kind':
            return { kind: 'string', value: o.kind, bytes: new TextEncoder().encode(o.kind) };
          case 'page_count':
            return integer(o.pageCount);
          case 'is_purgeable':
            return bool(anonymous?.purgeable === true);
          case 'is_volatile':
            return bool(anonymous?.volatile === true);
          case 'was_purged':
            return bool(anonymous?.wasPurged === true);
        }
        break;
      }
      case 'physical_page': {
        const info = m.page(object.paddr);
        if (info === null)
          throw new RuntimeError(
            `No page is allocated at ${formatValue(integer(object.paddr))} any more.`,
            range,
          );
        switch (name) {
          case 'paddr':
            return integer(info.paddr);
          case 'ref_count':
            return integer(info.refCount);
          case 'zone':
            return info.zone === null ? NULL_VALUE : { kind: 'zone', index: info.zone };
          case 'is_shared_zero_page':
            return bool(info.isSharedZeroPage);
          case 'is_lazy_committed_page':
            return bool(info.isLazyCommittedPage);
        }
        break;
      }
      case 'committed_set':
        if (name === 'page_count') return integer(object.set.pageCount);
        break;
      case 'pte': {
        const e = object.pte;
        switch (name) {
          case 'raw':
            return integer(e.raw);
          case 'present':
            return bool(e.present);
          case 'writable':
            return bool(e.writable);
          case 'user':
            return bool(e.user);
          case 'write_through':
            return bool(e.writeThrough);
          case 'cache_disabled':
            return bool(e.cacheDisabled);
          case 'accessed':
            return bool(e.accessed);
          case 'dirty':
            return bool(e.dirty);
          case 'pat':
            return bool(e.pat);
          case 'global':
            return bool(e.global);
          case 'nx':
            return bool(e.nx);
          case 'paddr':
            return integer(e.paddr);
        }
        break;
      }
      case 'zone': {
        const zone = m.zones()[object.index];
        if (zone === undefined) break;
        switch (name) {
          case 'base':
            return integer(zone.base);
          case 'page_count':
            return integer(zone.pageCount);
          case 'available':
            return integer(zone.available);
        }
        break;
      }
      case 'zone_list':
        if (name === 'size') return integer(m.zones().length);
        break;
      default:
        break;
    }
    throw new RuntimeError(`${describeValueKind(object)} has no property '${name}'.`, range);
  }

  // Calls ----------------------------------------------------------------------------------------

  private call(expression: CallExpression): Value {
    const callee = expression.callee;
    if (callee.kind === 'name' && callee.path.length === 1) {
      const spec = lookup(FUNCTIONS, callee.name);
      if (spec === undefined)
        throw new RuntimeError(
          `'${callee.name}' is a proc; a proc call is a statement of its own, not part of an expression.`,
          callee.range,
        );
      const args = this.bindArguments(spec, expression);
      return this.callFunction(spec, args, expression);
    }
    if (callee.kind === 'member') {
      const object = this.evaluate(callee.object);
      const spec = this.memberSpec(object, callee.member.name, callee.member.range);
      if (spec.kind === 'property') {
        if (spec.callable !== true || expression.args.length > 0)
          throw new RuntimeError(`'${spec.name}' is a property, not a method.`, callee.member.range);
        return this.property(object, spec.name, expression.range);
      }
      const args = this.bindArguments(spec, expression);
      return this.callMethod(object, spec, args, expression);
    }
    throw new RuntimeError('This cannot be called.', callee.range);
  }

  /** Evaluates the arguments of a call in parameter order, defaults filled in. */
  private bindArguments(spec: FunctionSpec, expression: CallExpression): Map<string, Value> {
    const byName = new Map<string, Argument>();
    let position = 0;
    for (const arg of expression.args) {
      if (arg.name !== undefined) {
        byName.set(arg.name.name, arg);
      } else {
        const param = spec.params[position++];
        if (param === undefined)
          throw new RuntimeError(`${spec.name} takes ${spec.params.length} arguments.`, arg.range);
        byName.set(param.name, arg);
      }
    }
    const values = new Map<string, Value>();
    for (const param of spec.params) {
      const arg = byName.get(param.name);
      const expected = isConstantKind(param.kind) ? param.kind : undefined;
      if (arg !== undefined) values.set(param.name, this.argument(arg.value, param, expected));
      else if (param.default !== undefined)
        values.set(param.name, this.evaluate(defaultExpression(param), expected));
      else throw new RuntimeError(`${spec.name} needs the argument '${param.name}'.`, expression.argsRange);
    }
    return values;
  }

  private argument(expression: Expression, param: ParamSpec, expected?: ConstantKind): Value {
    const value = this.evaluate(expression, expected);
    checkParameter(value, param.kind, expression.range, param.name);
    return value;
  }

  private requireMutation(spec: FunctionSpec, range: Range): void {
    if (this.context.inspectionOnly && !spec.inspection)
      throw new RuntimeError(
        `Evaluation changes nothing, so '${spec.name}' cannot run here; put it in the scenario as a step.`,
        range,
      );
  }

  /**
   * Unwraps an engine result: an errno becomes the step's outcome and an error value; a crash or
   * a panic ends the step.
   */
  private result<T>(r: Result<T>, wrap: (value: T) => Value): Value {
    if (r.kind === 'ok') return wrap(r.value);
    if (r.kind === 'panic') throw new PanicSignal(r.message);
    if (r.kind === 'crash') throw new CrashSignal(r.message);
    if (this.context.effects.errno === null) this.context.effects.errno = r.errno;
    return { kind: 'error', errno: r.errno };
  }

  private callFunction(spec: FunctionSpec, a: Map<string, Value>, expression: CallExpression): Value {
    this.requireMutation(spec, expression.range);
    const m = this.machine;
    const range = expression.range;
    const int = (name: string): number => toEngineNumber(this.asInteger(arg(a, name), range));
    const zero = (): Value => integer(0);
    switch (spec.name) {
      case 'mmap': {
        const p = this.liveProcess(arg(a, 'p'), range);
        const fd = arg(a, 'fd');
        const name = arg(a, 'name');
        return this.result(
          m.mmap(p, {
            addr: int('addr'),
            size: int('size'),
            prot: int('prot'),
            flags: int('flags'),
            fd: fd.kind === 'fd' ? fd.fd : fd.kind === 'integer' ? Number(fd.value) : null,
            offset: int('offset'),
            name: name.kind === 'string' ? name.value : '',
            alignment: int('alignment'),
          }),
          integer,
        );
      }
      case 'munmap':
        return this.result(m.munmap(this.liveProcess(arg(a, 'p'), range), int('addr'), int('size')), zero);
      case 'mprotect':
        return this.result(
          m.mprotect(this.liveProcess(arg(a, 'p'), range), int('addr'), int('size'), int('prot')),
          zero,
        );
      case 'madvise':
        return this.result(
          m.madvise(this.liveProcess(arg(a, 'p'), range), int('addr'), int('size'), int('advice')),
          integer,
        );
      case 'msync':
        return this.result(
          m.msync(this.liveProcess(arg(a, 'p'), range), int('addr'), int('size'), int('flags')),
          zero,
        );
      case 'annotate_mapping':
        return this.result(
          m.annotateMapping(this.liveProcess(arg(a, 'p'), range), int('addr'), int('flags')),
          zero,
        );
      case 'set_mmap_name': {
        const p = this.liveProcess(arg(a, 'p'), range);
        return this.result(m.setMmapName(p, int('addr'), int('size'), stringArg(a, 'name')), zero);
      }
      case 'prctl': {
        const p = this.liveProcess(arg(a, 'p'), range);
        // The kernel takes the option as an int: the low 32 bits of the register, signed.
        const option = Number(BigInt.asIntN(32, this.asInteger(arg(a, 'option'), range)));
        if (PRCTL_OPTIONS_NOT_SIMULATED.has(option))
          throw new RuntimeError(
            `prctl option ${option} exists in the kernel but does not concern memory, so it is not simulated.`,
            range,
          );
        return this.result(m.prctl(p, option, int('arg1'), int('arg2')), integer);
      }
      case 'open': {
        const p = this.liveProcess(arg(a, 'p'), range);
        const flags = OPEN_FLAGS[String(int('flags'))];
        if (flags === undefined) {
          if (this.context.effects.errno === null) this.context.effects.errno = 'EINVAL';
          return { kind: 'error', errno: 'EINVAL' };
        }
        return this.result(m.open(p, stringArg(a, 'path'), flags), (fd) => ({ kind: 'fd', process: p, fd }));
      }
      case 'pwrite': {
        const p = this.liveProcess(arg(a, 'p'), range);
        const fd = arg(a, 'fd');
        const bytes = dataBytes(arg(a, 'value'), range);
        const fdNumber = fd.kind === 'fd' ? fd.fd : fd.kind === 'integer' ? Number(fd.value) : -1;
        return this.result(m.pwrite(p, fdNumber, int('offset'), bytes), integer);
      }
      case 'fork': {
        const p = this.liveProcess(arg(a, 'p'), range);
        return this.result(m.fork(p, this.context.bindingName ?? `${p.name}-child`), (process) => ({
          kind: 'process',
          process,
        }));
      }
      case 'sys_purge':
        return this.result(m.purge(int('mode')), integer);
      case 'release':
        return this.release(arg(a, 'handle'), range);
      case 'translate': {
        const paddr = m.translate(this.target(arg(a, 'space'), range), int('vaddr'));
        return paddr === null ? NULL_VALUE : integer(paddr);
      }
      case 'pte': {
        const space = this.spaceRef(arg(a, 'space'), range);
        const vaddr = int('vaddr');
        const pte = m.pte(space, vaddr);
        return pte === null ? NULL_VALUE : { kind: 'pte', space, vaddr, pte };
      }
      case 'region_at': {
        const space = this.spaceRef(arg(a, 'space'), range);
        const region = m.regionAt(space, int('vaddr'));
        return region === null ? NULL_VALUE : { kind: 'region', region, space };
      }
      case 'peek': {
        const value = m.peek(this.target(arg(a, 'space'), range), int('vaddr'), widthArg(a));
        return value === null ? NULL_VALUE : integer(value);
      }
      case 'ppeek':
        return integer(m.ppeek(int('paddr'), widthArg(a)));
      case 'page': {
        const info = m.page(int('paddr'));
        return info === null ? NULL_VALUE : { kind: 'physical_page', paddr: info.paddr };
      }
      case 'file_peek': {
        const value = m.filePeek(stringArg(a, 'path'), int('offset'), widthArg(a));
        return value === null ? NULL_VALUE : integer(value);
      }
      case 'VirtualAddress':
      case 'PhysicalAddress':
        return arg(a, 'value');
    }
    throw new RuntimeError(`'${spec.name}' is not available in this version.`, range);
  }

  private callMethod(
    object: Value,
    spec: FunctionSpec,
    a: Map<string, Value>,
    expression: CallExpression,
  ): Value {
    this.requireMutation(spec, expression.range);
    const m = this.machine;
    const range = expression.range;
    const int = (name: string): number => toEngineNumber(this.asInteger(arg(a, name), range));
    const kernelRegion = (region: import('../engine').Region): Value => ({
      kind: 'region',
      region,
      space: 'kernel',
    });
    const page = (paddr: number): Value => ({ kind: 'physical_page', paddr });
    const none = (): Value => NULL_VALUE;
    if (object.kind === 'mm') {
      switch (spec.name) {
        case 'allocate_kernel_region':
          return this.result(
            m.allocateKernelRegion(
              int('size'),
              stringArg(a, 'name'),
              int('access'),
              strategyArg(a, range),
              memoryTypeArg(a, range),
            ),
            kernelRegion,
          );
        case 'allocate_contiguous_kernel_region':
          return this.result(
            m.allocateContiguousKernelRegion(
              int('size'),
              stringArg(a, 'name'),
              int('access'),
              memoryTypeArg(a, range),
            ),
            kernelRegion,
          );
        case 'allocate_dma_buffer_page':
          return this.result(
            m.allocateDmaBufferPage(stringArg(a, 'name'), int('access'), memoryTypeArg(a, range)),
            kernelRegion,
          );
        case 'allocate_dma_buffer_pages':
          return this.result(
            m.allocateDmaBufferPages(
              int('size'),
              stringArg(a, 'name'),
              int('access'),
              memoryTypeArg(a, range),
            ),
            kernelRegion,
          );
        case 'allocate_mmio_kernel_region':
          return this.result(
            m.allocateMmioKernelRegion(
              int('paddr'),
              int('size'),
              stringArg(a, 'name'),
              int('access'),
              memoryTypeArg(a, range),
            ),
            kernelRegion,
          );
        case 'allocate_physical_page':
          return this.result(m.allocatePhysicalPage(yesNoArg(a, 'zero_fill')), page);
        case 'commit_physical_pages':
          return this.result(m.commitPhysicalPages(int('count')), (set) => ({ kind: 'committed_set', set }));
        case 'quickmap_page':
          return this.result(
            m.quickmapPage(int('paddr'), memoryTypeArg(a, range), this.cpuArg(a, range)),
            integer,
          );
        case 'unquickmap_page':
          return this.result(m.unquickmapPage(this.cpuArg(a, range)), none);
      }
    } else if (object.kind === 'process' && spec.name === 'allocate_region') {
      const p = this.liveProcess(object, range);
      const name = stringArg(a, 'name');
      return this.result(
        m.allocateRegion(
          p,
          yesNoArg(a, 'randomize'),
          int('vaddr'),
          int('size'),
          int('alignment'),
          name,
          int('prot'),
          strategyArg(a, range),
        ),
        (region) => ({ kind: 'region', region, space: p }),
      );
    } else if (object.kind === 'committed_set') {
      if (spec.name === 'take_one') {
        if (object.set.pageCount === 0)
          throw new RuntimeError('The committed set is empty: take_one() needs a committed page.', range);
        return this.result(m.takeOneCommitted(object.set), page);
      }
      if (spec.name === 'uncommit_one') {
        if (object.set.pageCount === 0)
          throw new RuntimeError('The committed set is empty: uncommit_one() needs a committed page.', range);
        return this.result(m.uncommitOne(object.set), none);
      }
    } else if (object.kind === 'region' && spec.name === 'physical_page') {
      const index = this.asInteger(arg(a, 'index'), range);
      const region = object.region;
      if (index >= BigInt(region.pageCount))
        throw new RuntimeError(
          `Page index ${index} is outside the region (${region.pageCount} pages).`,
          range,
        );
      const object_ = region.vmobject;
      const frame = object_ === null ? -1 : (object_.pages[region.firstPageIndex + Number(index)] ?? -1);
      return frame < 0 ? NULL_VALUE : page(frame * 4096);
    } else if (object.kind === 'zone' && spec.name === 'free_blocks') {
      const order = this.asInteger(arg(a, 'order'), range);
      if (order > 12n)
        throw new RuntimeError(`Order ${order} is out of range: orders go from 0 to 12.`, range);
      const zone = m.zones()[object.index];
      return integer(zone === undefined ? 0 : zone.freeBlocks(Number(order)).length);
    }
    throw new RuntimeError(`'${spec.name}' is not available on ${describeValueKind(object)}.`, range);
  }

  private cpuArg(a: Map<string, Value>, range: Range): number {
    const cpu = this.asInteger(arg(a, 'cpu'), range);
    const cpus = this.machine.options.cpus;
    if (cpu >= BigInt(cpus))
      throw new RuntimeError(`CPU ${cpu} does not exist: the machine has ${cpus}.`, range);
    return Number(cpu);
  }

  private release(handle: Value, range: Range): Value {
    const m = this.machine;
    switch (handle.kind) {
      case 'region':
        if (handle.space !== 'kernel')
          throw new RuntimeError('release() takes kernel regions; unmap user memory with munmap.', range);
        return this.result(m.releaseKernelRegion(handle.region), () => NULL_VALUE);
      case 'physical_page':
        return this.result(m.releasePhysicalPage(handle.paddr), () => NULL_VALUE);
      case 'committed_set':
        return this.result(m.releaseCommitted(handle.set), () => NULL_VALUE);
      default:
        throw new RuntimeError(
          `release() takes a kernel region, a page or a committed set, not ${describeValueKind(handle)}.`,
          range,
        );
    }
  }

  liveProcess(value: Value, range: Range): import('../engine').Process {
    if (value.kind !== 'process')
      throw new RuntimeError(`Expected a process, got ${describeValueKind(value)}.`, range);
    if (!value.process.alive)
      throw new RuntimeError(
        `Process ${value.process.name} is dead (${value.process.deathReason ?? 'gone'}); it can do nothing more.`,
        range,
      );
    return value.process;
  }

  spaceRef(value: Value, range: Range): AddressSpaceRef {
    if (value.kind === 'kernel') return 'kernel';
    return this.liveProcess(value, range);
  }

  target(value: Value, range: Range): AccessTarget {
    return this.spaceRef(value, range);
  }
}

function arg(args: Map<string, Value>, name: string): Value {
  const value = args.get(name);
  if (value === undefined) throw new Error(`argument ${name} was not bound`);
  return value;
}

function stringArg(args: Map<string, Value>, name: string): string {
  const value = arg(args, name);
  return value.kind === 'string' ? value.value : '';
}

function widthArg(args: Map<string, Value>): Width {
  const value = arg(args, 'width');
  return (value.kind === 'integer' ? Number(value.value) : 1) as Width;
}

function yesNoArg(args: Map<string, Value>, name: string): boolean {
  return truthy(arg(args, name));
}

function strategyArg(args: Map<string, Value>, range: Range): AllocationStrategy {
  const value = arg(args, 'strategy');
  const strategy = value.kind === 'integer' ? STRATEGIES[Number(value.value)] : undefined;
  if (strategy === undefined) throw new RuntimeError('Expected Reserve, AllocateNow or None.', range);
  return strategy;
}

function memoryTypeArg(args: Map<string, Value>, range: Range): MemoryType {
  const value = arg(args, 'memory_type');
  const type = value.kind === 'integer' ? MEMORY_TYPES[Number(value.value)] : undefined;
  if (type === undefined) throw new RuntimeError('Expected Normal, NonCacheable or IO.', range);
  return type;
}

/** The bytes a write or pwrite stores: a string's bytes, or one byte. */
export function dataBytes(value: Value, range: Range): Uint8Array {
  if (value.kind === 'string') return value.bytes;
  if (value.kind === 'integer') {
    if (value.value > 0xffn)
      throw new RuntimeError(
        `${formatValue(value)} does not fit in one byte; write a string or use 'as' a wider width.`,
        range,
      );
    return Uint8Array.of(Number(value.value));
  }
  throw new RuntimeError(`Expected an integer or a "string", got ${describeValueKind(value)}.`, range);
}

/** Checks a value against what a parameter accepts; a mismatch is a runtime error at the argument. */
function checkParameter(value: Value, kind: ParamKind, range: Range, name: string): void {
  const fail = (what: string): never => {
    throw new RuntimeError(`Argument '${name}' expects ${what}, got ${describeValueKind(value)}.`, range);
  };
  switch (kind) {
    case 'string':
      if (value.kind !== 'string') fail('a "string"');
      return;
    case 'bool':
    case 'yes_no':
      if (value.kind !== 'bool' && value.kind !== 'integer') fail('Yes or No');
      return;
    case 'process':
      if (value.kind !== 'process') fail('a process');
      return;
    case 'address_space':
      if (value.kind !== 'process' && value.kind !== 'kernel') fail("a process or 'kernel'");
      return;
    case 'releasable':
    case 'any':
      return;
    case 'data':
      if (value.kind !== 'integer' && value.kind !== 'string') fail('an integer or a "string"');
      return;
    case 'fd':
      if (value.kind !== 'fd' && value.kind !== 'null' && value.kind !== 'integer') fail('a file descriptor');
      return;
    case 'width':
      if (value.kind !== 'integer' || !WIDTHS.includes(Number(value.value))) fail('u8, u16, u32 or u64');
      return;
    default:
      if (value.kind === 'error')
        throw new RuntimeError(
          `Argument '${name}' is the error ${value.errno} (an earlier call failed).`,
          range,
        );
      if (numericView(value) === undefined && value.kind !== 'bool') fail('an integer');
  }
}
