// Breakpoint bookkeeping: line breakpoints (with conditions, hit counts and log messages), the
// exception filters decided from step reports, and data breakpoints on memory ranges.

import type { MemoryEvent } from '../engine';
import { PAGE_SIZE } from '../engine';
import type { Statement } from '../scenario/ast';
import type { Machine } from '../engine';
import {
  type DataBreakpointTarget,
  memorySpaceLabel,
  sameSpace,
  spaceOfEvent,
} from '../protocol/addressSpaces';
import { readMemory, resolveMemorySpace } from './memory';
import { hex } from './describe';
import type { StepReport } from './scenarioTypes';

// ------------------------------------------------------------------------------------------------
// Line breakpoints

export interface LineBreakpoint {
  readonly id: number;
  /** Zero-based line the breakpoint stands on (moved to the next step line when needed). */
  readonly line: number;
  readonly verified: boolean;
  readonly message?: string;
  readonly condition?: string;
  readonly hitCondition?: HitCondition;
  readonly logMessage?: string;
  hits: number;
}

export interface HitCondition {
  readonly operator: '==' | '>' | '>=' | '<' | '<=' | '%';
  readonly count: number;
}

/** `5`, `==5`, `>5`, `>=5`, `<5`, `<=5`, `%5`; null when the text is none of those. */
export function parseHitCondition(text: string): HitCondition | null {
  const m = /^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$/.exec(text);
  if (m === null) return null;
  const operator = (m[1] ?? '==') as HitCondition['operator'];
  const count = Number(m[2]);
  if (operator === '%' && count === 0) return null;
  return { operator, count };
}

export function hitConditionMet(condition: HitCondition, hits: number): boolean {
  switch (condition.operator) {
    case '==':
      return hits === condition.count;
    case '>':
      return hits > condition.count;
    case '>=':
      return hits >= condition.count;
    case '<':
      return hits < condition.count;
    case '<=':
      return hits <= condition.count;
    case '%':
      return hits % condition.count === 0;
  }
}

/** Lines on which a step starts: the first line of every step statement, bodies included. */
export function stepLines(statements: readonly Statement[], into = new Set<number>()): Set<number> {
  for (const statement of statements) {
    if (statement.kind !== 'machine' && statement.kind !== 'memory' && statement.kind !== 'proc')
      into.add(statement.range.start.line);
    if (statement.kind === 'proc' || statement.kind === 'repeat') stepLines(statement.body, into);
  }
  return into;
}

// ------------------------------------------------------------------------------------------------
// Exception filters

export const EXCEPTION_FILTERS = [
  { filter: 'failed_step', label: 'Failed steps', description: 'A step whose outcome or expectation failed', default: true },
  { filter: 'crash', label: 'Crash', description: 'A user access the fault handler answered ShouldCrash', default: false },
  { filter: 'oom', label: 'Out of memory', description: 'A fault answered OutOfMemory', default: false },
  { filter: 'bus_error', label: 'Bus error', description: 'A fault answered BusError', default: false },
  { filter: 'panic', label: 'Kernel panic', description: 'The kernel panicked; the machine halts', default: false },
  { filter: 'zero_fault', label: 'Zero fault', description: 'A page fault handled by zero-filling a page', default: false },
  { filter: 'cow_fault', label: 'Copy-on-write fault', description: 'A page fault handled by copy-on-write', default: false },
  { filter: 'inode_fault', label: 'Inode fault', description: 'A page fault handled by reading a file page', default: false },
] as const; // prettier-ignore

export type ExceptionFilterId = (typeof EXCEPTION_FILTERS)[number]['filter'];

export function isExceptionFilterId(id: string): id is ExceptionFilterId {
  return EXCEPTION_FILTERS.some((f) => f.filter === id);
}

/** What an exception filter looks at: a step's report, or its compact record (StepSummary). */
export type StepOutcome = Pick<StepReport, 'outcome' | 'failed' | 'faults'>;

/** The enabled filter a step matches, most severe first; null when none. */
export function matchException(report: StepOutcome, enabled: ReadonlySet<string>): ExceptionFilterId | null {
  for (const kind of ['panic', 'crash', 'oom', 'bus_error'] as const)
    if (enabled.has(kind) && report.outcome === kind) return kind;
  if (enabled.has('failed_step') && report.failed) return 'failed_step';
  for (const kind of ['zero_fault', 'cow_fault', 'inode_fault'] as const)
    if (enabled.has(kind) && report.faults.includes(kind)) return kind;
  return null;
}

// ------------------------------------------------------------------------------------------------
// Data breakpoints

/** Largest range whose bytes are compared before and after every step. */
export const MAX_COMPARED_BYTES = 1 << 20;

export interface DataBreakpoint {
  readonly id: number;
  readonly target: DataBreakpointTarget;
  readonly condition?: string;
  readonly hitCondition?: HitCondition;
  hits: number;
}

/** The bytes of a watched range before a step, to compare after it. */
export function captureBytes(machine: Machine, target: DataBreakpointTarget): Uint8Array | null {
  if (target.length > MAX_COMPARED_BYTES) return null;
  const space = resolveMemorySpace(machine, target.space);
  if (space === null) return null;
  const read = readMemory(machine, space, target.start, target.length);
  return read.data;
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The physical address bits (51..12) of a paging entry held as two 32-bit halves. */
function entryAddress(low: number, high: number): number {
  return (high & 0xfffff) * 2 ** 32 + ((low & 0xfffff000) >>> 0);
}

function overlaps(start: number, length: number, target: DataBreakpointTarget): boolean {
  return start < target.start + target.length && target.start < start + length;
}

/** Why a step touched a watched range (bytes written, a fault in it, a PTE over it), or null. */
export function dataChange(
  machine: Machine,
  target: DataBreakpointTarget,
  events: readonly MemoryEvent[],
  before: Uint8Array | null,
): string | null {
  const watched = target.space.kind === 'physical' ? null : target.space.space;
  for (const event of events) {
    if (watched !== null) {
      if (event.kind !== 'pte_written' && event.kind !== 'page_fault') continue;
      if (!sameSpace(spaceOfEvent(event.space), watched)) continue;
      if (event.kind === 'pte_written' && overlaps(event.vaddr, PAGE_SIZE, target))
        return `the PTE of ${hex(event.vaddr)} changed`;
      if (event.kind === 'page_fault' && overlaps(event.vaddr, 1, target))
        return `a ${event.access} fault at ${hex(event.vaddr)} (${event.response})`;
    } else {
      if (event.kind === 'pte_written') {
        const oldPaddr = entryAddress(event.oldLow, event.oldHigh);
        const newPaddr = entryAddress(event.newLow, event.newHigh);
        if ((event.oldLow & 1) !== 0 && overlaps(oldPaddr, PAGE_SIZE, target))
          return `a PTE mapping ${hex(oldPaddr)} changed (${hex(event.vaddr)})`;
        if ((event.newLow & 1) !== 0 && overlaps(newPaddr, PAGE_SIZE, target))
          return `a PTE now maps ${hex(newPaddr)} (${hex(event.vaddr)})`;
      }
      if (
        (event.kind === 'page_allocated' || event.kind === 'page_freed') &&
        overlaps(event.paddr, PAGE_SIZE, target)
      )
        return `page ${hex(event.paddr)} was ${event.kind === 'page_allocated' ? 'allocated' : 'freed'}`;
    }
  }
  if (target.length <= MAX_COMPARED_BYTES) {
    const after = captureBytes(machine, target);
    if (!sameBytes(before, after))
      return `bytes in ${hex(target.start)}..${hex(target.start + target.length)} changed`;
  }
  return null;
}

export function describeTarget(target: DataBreakpointTarget): string {
  const where = memorySpaceLabel(target.space);
  return `${where} ${hex(target.start)}..${hex(target.start + target.length)} (${target.length} bytes)`;
}
