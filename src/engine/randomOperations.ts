// Random operation sequences for the property tests: an operation generator and a driver that
// applies operations to a machine the way a scenario would.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { PAGE_SIZE } from './constants';
import type { Machine } from './Machine';
import type { Process } from './Process';
import { assertTranslatesLikeTheWalk, boot, MB } from './testSupport';
import {
  MADV_SET_NONVOLATILE,
  MADV_SET_VOLATILE,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_NORESERVE,
  MAP_PRIVATE,
  MAP_PURGEABLE,
  MAP_SHARED,
  MS_SYNC,
  PURGE_ALL_CLEAN_INODE,
  PURGE_ALL_VOLATILE,
} from './Syscalls';

export type Op =
  | { op: 'spawn' }
  | { op: 'mmap'; who: number; pages: number; prot: number; kind: number; fixedAt: number }
  | { op: 'munmap'; who: number; region: number; from: number; pages: number }
  | { op: 'mprotect'; who: number; region: number; from: number; pages: number; prot: number }
  | { op: 'write'; who: number; region: number; offset: number; value: number; width: 1 | 2 | 4 | 8 }
  | { op: 'read'; who: number; region: number; offset: number }
  | { op: 'fork'; who: number }
  | { op: 'exit'; who: number }
  | { op: 'madvise'; who: number; region: number; volatile: boolean }
  | { op: 'purge'; mode: number }
  | { op: 'msync'; who: number; region: number }
  | { op: 'pwrite'; who: number; offset: number; value: number }
  | { op: 'kernel'; pages: number; release: boolean };

const who = fc.nat(7);
const region = fc.nat(15);
export const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ op: 'spawn' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('mmap' as const),
      who,
      pages: fc.integer({ min: 1, max: 24 }),
      prot: fc.integer({ min: 0, max: 7 }),
      kind: fc.nat(5),
      fixedAt: fc.nat(40),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('munmap' as const),
      who,
      region,
      from: fc.nat(8),
      pages: fc.integer({ min: 1, max: 12 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('mprotect' as const),
      who,
      region,
      from: fc.nat(8),
      pages: fc.integer({ min: 1, max: 12 }),
      prot: fc.integer({ min: 0, max: 7 }),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('write' as const),
      who,
      region,
      offset: fc.nat(24 * PAGE_SIZE),
      value: fc.nat(255),
      width: fc.constantFrom<1 | 2 | 4 | 8>(1, 2, 4, 8),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('read' as const), who, region, offset: fc.nat(24 * PAGE_SIZE) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fork' as const), who }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('exit' as const), who }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('madvise' as const), who, region, volatile: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('purge' as const), mode: fc.integer({ min: 1, max: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('msync' as const), who, region }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('pwrite' as const),
      who,
      offset: fc.nat(20000),
      value: fc.nat(255),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('kernel' as const),
      pages: fc.integer({ min: 1, max: 6 }),
      release: fc.boolean(),
    }),
  },
);

// Panics the kernel really has in these sequences: a commitment that counted the zone-less tail
// pages cannot be honoured; remap() finds no page for a page table (its TODO()); or memory ran out
// and the clean inode page (or purged page) given back was still mapped by a fork's clone, so the
// retry that VERIFYs a free page finds none.
export const EXPECTED_PANICS =
  /VERIFY\(committed page found\)|TODO\(\) in Region::remap|VERIFY\(page found after (purging|releasing clean inode pages)\)/;

export class Driver {
  readonly processes: Process[] = [];
  constructor(readonly m: Machine) {
    m.createFile('/file', 3 * PAGE_SIZE + 100, 0x33);
  }

  private proc(i: number): Process | null {
    const alive = this.processes.filter((p) => p.alive);
    return alive.length === 0 ? null : alive[i % alive.length]!;
  }

  private regionOf(p: Process, i: number) {
    const regions = p.space.regions;
    return regions.length === 0 ? null : regions[i % regions.length]!;
  }

  run(op: Op): void {
    const m = this.m;
    if (op.op === 'spawn') {
      // Permissive W^X options, so that random protections reach executable memory too.
      const r = m.createProcess(`p${this.processes.length}`, {
        stackSize: this.processes.length % 2 === 0 ? 16 * PAGE_SIZE : 0,
        axAllowed: true,
        wxAllowed: true,
        noWToX: false,
      });
      if (r.kind === 'ok') this.processes.push(r.value);
      return;
    }
    if (op.op === 'purge') {
      m.purge(op.mode === 3 ? PURGE_ALL_VOLATILE | PURGE_ALL_CLEAN_INODE : op.mode);
      return;
    }
    if (op.op === 'kernel') {
      const r = m.allocateKernelRegion(
        op.pages * PAGE_SIZE,
        'k',
        3,
        op.pages % 2 === 0 ? 'AllocateNow' : 'Reserve',
      );
      if (r.kind === 'ok') {
        m.write('kernel', r.value.base, 7);
        if (op.release) m.releaseKernelRegion(r.value);
      }
      return;
    }
    const p = this.proc(op.who);
    if (p === null) return;
    switch (op.op) {
      case 'mmap': {
        const flagsByKind = [
          MAP_PRIVATE | MAP_ANONYMOUS,
          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
          MAP_PRIVATE | MAP_ANONYMOUS | MAP_PURGEABLE,
          MAP_SHARED | MAP_ANONYMOUS,
          MAP_SHARED,
          MAP_PRIVATE,
        ];
        let flags = flagsByKind[op.kind]!;
        let fd: number | null = null;
        if ((flags & MAP_ANONYMOUS) === 0) {
          const opened = m.open(p, '/file', 'O_RDWR');
          if (opened.kind !== 'ok') return;
          fd = opened.value;
        }
        let addr = 0;
        if (op.fixedAt > 30) {
          flags |= MAP_FIXED;
          addr = p.space.regionTree.totalBase + (op.fixedAt - 30) * 4 * PAGE_SIZE;
        }
        m.mmap(p, { addr, size: op.pages * PAGE_SIZE, prot: op.prot, flags, fd });
        return;
      }
      case 'munmap': {
        const r = this.regionOf(p, op.region);
        if (r !== null) m.munmap(p, r.base + op.from * PAGE_SIZE, op.pages * PAGE_SIZE);
        return;
      }
      case 'mprotect': {
        const r = this.regionOf(p, op.region);
        if (r !== null) m.mprotect(p, r.base + op.from * PAGE_SIZE, op.pages * PAGE_SIZE, op.prot);
        return;
      }
      case 'write': {
        const r = this.regionOf(p, op.region);
        const addr = r === null ? op.offset : r.base + (op.offset % r.size);
        m.write(p, addr, op.value, op.width);
        return;
      }
      case 'read': {
        const r = this.regionOf(p, op.region);
        const addr = r === null ? op.offset : r.base + (op.offset % r.size);
        const predicted = m.peek(p, addr);
        assertTranslatesLikeTheWalk(m, p, addr);
        const result = m.read(p, addr);
        if (p.alive) assertTranslatesLikeTheWalk(m, p, addr);
        if (result.status === 'ok')
          assert.equal(result.value, predicted, 'peek predicts the value a load sees');
        else if (result.status === 'crash' || result.status === 'bus_error') assert.equal(predicted, null);
        return;
      }
      case 'fork': {
        const r = m.fork(p);
        if (r.kind === 'ok') this.processes.push(r.value);
        return;
      }
      case 'exit':
        m.exit(p);
        return;
      case 'madvise': {
        const r = this.regionOf(p, op.region);
        if (r !== null) m.madvise(p, r.base, r.size, op.volatile ? MADV_SET_VOLATILE : MADV_SET_NONVOLATILE);
        return;
      }
      case 'msync': {
        const r = this.regionOf(p, op.region);
        if (r !== null) m.msync(p, r.base, r.size, MS_SYNC);
        return;
      }
      case 'pwrite': {
        const opened = m.open(p, '/file', 'O_RDWR');
        if (opened.kind === 'ok') m.pwrite(p, opened.value, op.offset, new Uint8Array([op.value]));
        return;
      }
    }
  }
}

/**
 * A seeded 12 MiB machine for a random sequence, with its driver and one process spawned.
 * `events` turns event recording on or off first (left as booted when absent).
 */
export function startSequence(seed: number, options: { cpus?: number; events?: boolean } = {}): Driver {
  const m = boot({ ram: 12 * MB, seed, ...(options.cpus === undefined ? {} : { cpus: options.cpus }) });
  if (options.events !== undefined) m.setEventRecording(options.events);
  const driver = new Driver(m);
  driver.run({ op: 'spawn' });
  return driver;
}

/**
 * Checks the machine after an operation: every invariant holds, or the machine halted with one of
 * the panics the kernel really has here (then the sequence ends: returns false).
 */
export function checkAfter(m: Machine, op: Op): boolean {
  if (m.halted !== null) {
    if (EXPECTED_PANICS.test(m.halted)) return false;
    assert.fail(`unexpected panic after ${JSON.stringify(op)}: ${m.halted}`);
  }
  const problems = m.verifyInvariants();
  if (problems.length > 0) assert.fail(`after ${JSON.stringify(op)}: ${problems.slice(0, 5).join('; ')}`);
  return true;
}
