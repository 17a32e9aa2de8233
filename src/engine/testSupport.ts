// Helpers shared by the engine's tests.

import { strict as assert } from 'node:assert';
import { PAGE_SIZE, pageOffset } from './constants';
import type { Result } from './Machine';
import { Machine } from './Machine';
import type { MachineOptions } from './MemoryManager';
import type { Process, ProcessOptions } from './Process';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from './Syscalls';

export const MB = 1024 * 1024;

export function boot(options: Partial<MachineOptions> = {}): Machine {
  return Machine.boot({ ram: 64 * MB, ...options });
}

/** The value of an ok result; fails the test otherwise. */
export function unwrap<T>(result: Result<T>): T {
  if (result.kind !== 'ok') assert.fail(`expected ok, got ${JSON.stringify(result)}`);
  return result.value;
}

export function errnoOf<T>(result: Result<T>): string {
  return result.kind === 'errno' ? result.errno : result.kind;
}

export function spawn(machine: Machine, name = 'p', options: Partial<ProcessOptions> = {}): Process {
  return unwrap(machine.createProcess(name, options));
}

export function mmapAnon(
  machine: Machine,
  process: Process,
  size: number,
  prot = PROT_READ | PROT_WRITE,
  flags = 0,
): number {
  return unwrap(machine.mmap(process, { addr: 0, size, prot, flags: MAP_PRIVATE | MAP_ANONYMOUS | flags }));
}

export function assertConsistent(machine: Machine): void {
  assert.deepEqual(machine.verifyInvariants(), []);
}

/**
 * Translation (through what it remembers of page-directory entries) agrees with a full four-level
 * walk from CR3; returns the physical address, or null where nothing is mapped.
 */
export function assertTranslatesLikeTheWalk(
  machine: Machine,
  process: Process,
  vaddr: number,
): number | null {
  const pml4Frame = process.space.pageDirectory.pml4Frame;
  const frame = machine.memoryManager.contents.walk(pml4Frame, vaddr, null);
  const expected = frame < 0 ? null : frame * PAGE_SIZE + pageOffset(vaddr);
  assert.equal(machine.translate(process, vaddr), expected, `translate(${vaddr}) agrees with the full walk`);
  return expected;
}
