import { strict as assert } from 'node:assert';
import { PAGE_SIZE } from './constants';
import type { MemoryEvent } from './events';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from './Syscalls';
import { MB, assertConsistent, boot, mmapAnon, spawn, unwrap } from './testSupport';

describe('Machine', () => {
  describe('boot', () => {
    it('leaves exactly the shared zero page and the lazy committed page used', () => {
      const m = boot();
      const c = m.counters();
      assert.equal(c.physicalPagesUsed, 2);
      assert.equal(c.physicalPagesCommitted, 0);
      assert.equal(c.physicalPages, c.physicalPagesUsed + c.physicalPagesUncommitted);
      assertConsistent(m);
    });

    it('takes the page-entry array and its page tables from the first large enough region', () => {
      const m = boot({ ram: 64 * MB });
      // [0x900000, 64 MiB) is usable; 16384 entries * 8 bytes = 32 pages + 1 page table.
      assert.equal(m.counters().physicalPages, (64 * MB - 0x900000) / PAGE_SIZE - 33);
    });

    it('cuts 16 MiB zones first, then 1 MiB zones, leaving a tail in no zone', () => {
      const m = boot({ ram: 64 * MB });
      const zones = m.zones();
      assert.deepEqual(
        zones.map((z) => z.pageCount),
        [4096, 4096, 4096, 256, 256, 256, 256, 256, 256],
      );
      assert.equal(m.counters().freePages + 2, 13824);
      assert.ok(m.counters().physicalPagesUncommitted > m.counters().freePages);
    });

    it('refuses impossible options with a BootError', () => {
      assert.throws(() => boot({ cpus: 65 }), /cpus/);
      assert.throws(() => boot({ kernelSize: 1000 }), /kernel_size/);
    });
  });

  describe('anonymous memory', () => {
    it('commits on mmap and allocates on the first write (zero fault)', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 3 * PAGE_SIZE);
      const before = m.counters();
      assert.equal(before.physicalPagesCommitted, 3);
      assert.equal(m.read(p, a).value, 0n, 'reads see zeros without faulting');
      const w = m.write(p, a + 5, 0x41);
      assert.equal(w.status, 'ok');
      assert.deepEqual(w.handled, ['zero_fault']);
      assert.equal(m.counters().physicalPagesCommitted, 2);
      assert.equal(m.counters().physicalPagesUsed, before.physicalPagesUsed + 1);
      assert.equal(m.peek(p, a + 5), 0x41n);
      assert.equal(p.counters.zeroFaults, 1);
      assertConsistent(m);
    });

    it('returns every page and the commitment on munmap', () => {
      const m = boot();
      const p = spawn(m);
      const before = m.counters();
      const a = mmapAnon(m, p, 4 * PAGE_SIZE);
      m.write(p, a, 1);
      m.write(p, a + PAGE_SIZE, 1);
      unwrap(m.munmap(p, a, 4 * PAGE_SIZE));
      assert.deepEqual(m.counters(), before);
      assertConsistent(m);
    });

    it('writes u64 values little endian, across a page boundary too', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 2 * PAGE_SIZE);
      const w = m.write(p, a + PAGE_SIZE - 4, 0x1122334455667788n, 8);
      assert.deepEqual(w.handled, ['zero_fault', 'zero_fault']);
      assert.equal(m.read(p, a + PAGE_SIZE - 4, 8).value, 0x1122334455667788n);
      assert.equal(m.peek(p, a + PAGE_SIZE, 1), 0x44n);
    });
  });

  describe('copy-on-write after fork (the language spec example)', () => {
    it('copies on the first write and reuses the page once the refcount is 1', () => {
      const m = boot();
      const parent = spawn(m, 'parent');
      const buf = unwrap(
        m.mmap(parent, {
          addr: 0,
          size: 3 * PAGE_SIZE,
          prot: PROT_READ | PROT_WRITE,
          flags: MAP_PRIVATE | MAP_ANONYMOUS,
        }),
      );
      assert.deepEqual(m.write(parent, buf, new Uint8Array([0x41])).handled, ['zero_fault']);
      const child = unwrap(m.fork(parent, 'child'));
      assert.equal(m.peek(child, buf), 0x41n, 'the child sees the parent bytes');
      assert.deepEqual(m.write(child, buf, new Uint8Array([0x21])).handled, ['cow_fault']);
      assert.equal(m.peek(parent, buf), 0x41n);
      assert.equal(m.peek(child, buf), 0x21n);
      assert.notEqual(m.translate(parent, buf), m.translate(child, buf));
      const before = m.counters();
      assert.deepEqual(m.write(parent, buf + 1, new Uint8Array([0x42])).handled, ['cow_fault']);
      assert.equal(
        m.counters().physicalPagesUsed,
        before.physicalPagesUsed,
        'no copy when the refcount is 1',
      );
      // The child's copy emptied the one-page pool, so the parent just drops it.
      assert.equal(m.counters().physicalPagesCommitted, before.physicalPagesCommitted);
      const crash = m.write(parent, 0, 1);
      assert.equal(crash.status, 'crash');
      assert.equal(parent.alive, false);
      assertConsistent(m);
    });
  });

  describe('exit', () => {
    it('returns the 130 paging pages and all memory of the process', () => {
      const m = boot();
      const before = m.counters();
      const p = spawn(m);
      assert.equal(m.counters().physicalPagesUsed, before.physicalPagesUsed + 130);
      const a = mmapAnon(m, p, 8 * PAGE_SIZE);
      for (let i = 0; i < 8; i++) m.write(p, a + i * PAGE_SIZE, i + 1);
      unwrap(m.exit(p));
      assert.deepEqual(m.counters(), before);
      assertConsistent(m);
    });
  });

  describe('events', () => {
    it('records a zero fault as fault, allocation, PTE write and TLB flush', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, PAGE_SIZE);
      m.takeEvents();
      m.write(p, a, 7);
      const kinds = m.takeEvents().map((e: MemoryEvent) => e.kind);
      assert.ok(kinds.includes('page_fault'));
      assert.ok(kinds.includes('page_allocated'));
      assert.ok(kinds.includes('pte_written'));
      assert.ok(kinds.includes('tlb_flush'));
    });

    it('records nothing when recording is off', () => {
      const m = boot();
      m.setEventRecording(false);
      const p = spawn(m);
      mmapAnon(m, p, PAGE_SIZE);
      assert.deepEqual(m.takeEvents(), []);
    });
  });

  describe('checkpoint and restore', () => {
    it('restores exactly the saved state, and the checkpoint can be used again', () => {
      const m = boot({ seed: 3 });
      const p = spawn(m);
      const a = mmapAnon(m, p, 4 * PAGE_SIZE);
      m.write(p, a, 0x11);
      const saved = m.dumpState();
      const cp = m.checkpoint({ p, a });
      m.write(p, a, 0x22);
      m.write(p, a + PAGE_SIZE, 0x33);
      unwrap(m.fork(p));
      spawn(m, 'q');
      assert.notDeepEqual(m.dumpState(), saved);
      const restored = m.restore(cp);
      assert.deepEqual(m.dumpState(), saved);
      assert.equal(m.peek(restored.p, a), 0x11n);
      m.write(restored.p, a, 0x44);
      assert.equal(m.peek(restored.p, a), 0x44n);
      const again = m.restore(cp);
      assert.deepEqual(m.dumpState(), saved);
      assert.equal(m.peek(again.p, a), 0x11n);
      assertConsistent(m);
    });
  });

  describe('panics', () => {
    it('halts the machine on a failed VERIFY and refuses later operations', () => {
      const m = boot();
      const r = m.allocateKernelRegion(1000, 'bad', 3);
      assert.equal(r.kind, 'panic');
      assert.match(m.halted ?? '', /PAGE_SIZE/);
      assert.equal(m.createProcess('p').kind, 'panic');
    });
  });
});

describe('Machine events', () => {
  it('reports region creation, splitting and destruction with ids and ranges', () => {
    const m = boot();
    const p = spawn(m);
    m.takeEvents();
    const a = mmapAnon(m, p, 3 * PAGE_SIZE);
    const created = m.takeEvents().find((e) => e.kind === 'region_created');
    assert.ok(created && created.kind === 'region_created');
    assert.equal(created.base, a);
    assert.equal(created.space, p.pid);
    unwrap(m.munmap(p, a + PAGE_SIZE, PAGE_SIZE));
    const events = m.takeEvents();
    const split = events.find((e) => e.kind === 'region_split');
    assert.ok(split && split.kind === 'region_split');
    assert.deepEqual(
      split.pieces.map((piece) => [piece.base, piece.size]),
      [
        [a, PAGE_SIZE],
        [a + 2 * PAGE_SIZE, PAGE_SIZE],
      ],
    );
    assert.ok(events.some((e) => e.kind === 'region_destroyed' && e.regionId === created.regionId));
  });

  it('tells why each fault went its way, from the state the handler met', () => {
    const m = boot();
    const parent = spawn(m);
    const a = mmapAnon(m, parent, 2 * PAGE_SIZE);
    const decisionOf = (done: () => unknown): string => {
      m.takeEvents();
      done();
      const fault = m.takeEvents().find((e) => e.kind === 'page_fault');
      assert.ok(fault?.kind === 'page_fault');
      return fault.decision;
    };
    assert.match(
      decisionOf(() => m.write(parent, a, 1)),
      /^the page was the lazy committed page/,
    );
    const child = unwrap(m.fork(parent));
    assert.equal(
      decisionOf(() => m.write(child, a, 2)),
      "ref_count was 2, so the page is copied into the fork's committed COW pool",
    );
    assert.equal(
      decisionOf(() => m.write(parent, a, 3)),
      'ref_count was 1, so no copy: the COW bit is cleared and the page made writable',
    );
    assert.equal(
      decisionOf(() => m.write(parent, 0x1000, 1)),
      'no region contains the address',
    );
  });

  it('reports a fault with its handler and response, and PTE writes with old and new values', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, PAGE_SIZE);
    m.takeEvents();
    m.write(p, a, 1);
    const events = m.takeEvents();
    const fault = events.find((e) => e.kind === 'page_fault');
    assert.deepEqual(fault, {
      kind: 'page_fault',
      space: p.pid,
      vaddr: a,
      access: 'write',
      userMode: true,
      notPresent: false,
      handler: 'zero',
      response: 'Continue',
      decision:
        'the page was the lazy committed page, so one of the pages the object committed takes its place',
    });
    const pte = events.filter((e) => e.kind === 'pte_written' && e.vaddr === a);
    assert.equal(pte.length, 1);
    const write = pte[0]!;
    assert.ok(write.kind === 'pte_written');
    assert.equal(write.oldLow & 2, 0, 'read-only before');
    assert.equal(write.newLow & 2, 2, 'writable after');
    assert.ok(
      events.some((e) => e.kind === 'quickmap' && e.slot === 'page'),
      'the new page is zeroed through quickmap',
    );
  });

  it('keeps the same addresses for the same seed', () => {
    const run = (seed: number) => {
      const m = boot({ seed });
      const p = spawn(m, 'p', { stackSize: 64 * 1024 });
      return [p.space.regionTree.totalBase, p.stackRegion!.base];
    };
    assert.deepEqual(run(42), run(42));
  });
});
