import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { PAGE_SIZE } from './constants';
import type { Machine } from './Machine';
import { checkAccess, FAULT_NOT_PRESENT, FAULT_PROTECTION, ACCESS_OK, WalkState } from './Mmu';
import type { Process } from './Process';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from './Syscalls';
import { assertConsistent, assertTranslatesLikeTheWalk, boot, mmapAnon, spawn, unwrap } from './testSupport';

describe('Mmu', () => {
  it('walks from the page directory exactly as a full four-level walk from CR3 does', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, 64 * PAGE_SIZE);
    for (let i = 0; i < 64; i += 3) m.write(p, a + i * PAGE_SIZE, i);
    const k = unwrap(m.allocateKernelRegion(4 * PAGE_SIZE, 'k', 3));
    const contents = m.memoryManager.contents;
    const pd = p.space.pageDirectory;
    const full = new Int32Array(1);
    const short = new Int32Array(1);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 80 * PAGE_SIZE }).map((o) => a - 8 * PAGE_SIZE + o),
          fc.integer({ min: 0, max: 8 * PAGE_SIZE }).map((o) => k.base - 2 * PAGE_SIZE + o),
          fc.integer({ min: 0, max: 2 ** 47 - 1 }),
        ),
        (vaddr) => {
          const f = contents.walk(pd.pml4Frame, vaddr, full);
          const s = contents.walkFromDirectory(pd.directoryPages, true, vaddr, short);
          assert.equal(s, f);
          assert.equal(contents.translate(pd, vaddr), f < 0 ? -1 : f * PAGE_SIZE + (vaddr % PAGE_SIZE));
          if (f >= 0) assert.equal(short[0], full[0]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('checks user, write and no-execute bits like the CPU', () => {
    const m = boot();
    const p = spawn(m);
    const a = unwrap(
      m.mmap(p, {
        addr: 0,
        size: PAGE_SIZE,
        prot: PROT_READ | PROT_WRITE,
        flags: MAP_PRIVATE | MAP_ANONYMOUS,
      }),
    );
    const mm = m.memoryManager;
    const pd = p.space.pageDirectory;
    const out = new WalkState();
    const check = (kind: 'read' | 'write' | 'execute', user: boolean) =>
      checkAccess(mm.contents, pd, a, kind, user, true, false, out);
    assert.equal(check('read', true), ACCESS_OK);
    assert.equal(check('write', true), FAULT_PROTECTION, 'the lazy page is mapped read-only');
    assert.equal(check('execute', true), FAULT_PROTECTION, 'NX');
    assert.equal(check('read', false), FAULT_PROTECTION, 'SMAP');
    assert.equal(
      checkAccess(mm.contents, pd, a + PAGE_SIZE, 'read', true, true, false, out),
      FAULT_NOT_PRESENT,
    );
  });

  describe('translation (which caches where page tables are stored, per PDE)', () => {
    /** A kernel MMIO mapping of the page holding `paddr`, and the kernel address of paddr in it. */
    function mapPhysical(m: Machine, paddr: number): number {
      const pageBase = paddr - (paddr % PAGE_SIZE);
      const region = unwrap(m.allocateMmioKernelRegion(pageBase, PAGE_SIZE, 'paging structure', 3, 'Normal'));
      return region.base + (paddr % PAGE_SIZE);
    }

    /** The physical address of the PDE covering vaddr in p's page directory. */
    function pdeAddress(p: Process, vaddr: number): number {
      const pdFrame = p.space.pageDirectory.directoryPages[Math.floor(vaddr / 2 ** 30)]!;
      return pdFrame * PAGE_SIZE + (Math.floor(vaddr / 2 ** 21) % 512) * 8;
    }

    function writeEntry(m: Machine, kernelVaddr: number, value: bigint): void {
      assert.equal(m.write('kernel', kernelVaddr, value, 8).status, 'ok');
    }

    it('forgets a page table that munmap freed and finds the one a new mapping allocates', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 4 * PAGE_SIZE);
      m.write(p, a + PAGE_SIZE, 7);
      assert.notEqual(assertTranslatesLikeTheWalk(m, p, a + PAGE_SIZE), null);
      unwrap(m.munmap(p, a, 4 * PAGE_SIZE));
      assert.equal(assertTranslatesLikeTheWalk(m, p, a + PAGE_SIZE), null);
      const b = mmapAnon(m, p, 4 * PAGE_SIZE);
      m.write(p, b, 9);
      assert.notEqual(assertTranslatesLikeTheWalk(m, p, b), null);
    });

    it('sees a PDE the kernel clears or rewrites through a mapping of the page directory', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, PAGE_SIZE);
      m.write(p, a, 1);
      const mapped = assertTranslatesLikeTheWalk(m, p, a);
      assert.notEqual(mapped, null);
      const pde = mapPhysical(m, pdeAddress(p, a));
      const original = m.peek('kernel', pde, 8)!;
      writeEntry(m, pde, 0n);
      assert.equal(assertTranslatesLikeTheWalk(m, p, a), null, 'a cleared PDE maps nothing');
      writeEntry(m, pde, original);
      assert.equal(assertTranslatesLikeTheWalk(m, p, a), mapped, 'the PDE put back maps the page again');
    });

    it('reads a PDE that points at a free frame as the zeros that frame holds', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, PAGE_SIZE);
      m.write(p, a, 1);
      assertTranslatesLikeTheWalk(m, p, a);
      // Freeing every other one of a few pages leaves several blocks on the order-0 freelist.
      const pages = Array.from({ length: 8 }, () => unwrap(m.allocatePhysicalPage()));
      for (let i = 0; i < pages.length; i += 2) unwrap(m.releasePhysicalPage(pages[i]!));
      const entries = m.memoryManager.entries;
      // A free frame heading a buddy block keeps freelist links in its link word, not storage.
      let free = -1;
      for (let frame = entries.count - 1; frame >= 0 && free < 0; frame--)
        if (!entries.isAllocated(frame) && entries.link[frame]! >= 0) free = frame;
      assert.ok(free >= 0, 'a free frame with freelist links exists');
      writeEntry(m, mapPhysical(m, pdeAddress(p, a)), BigInt(free * PAGE_SIZE + 0b111));
      assert.equal(assertTranslatesLikeTheWalk(m, p, a), null);
    });

    it('is right again after an undo and after a restore', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 2 * PAGE_SIZE);
      m.write(p, a, 1);
      const mapped = assertTranslatesLikeTheWalk(m, p, a);
      const saved = m.checkpoint();
      const log = m.recordUndo(() => {
        unwrap(m.munmap(p, a, 2 * PAGE_SIZE));
        assert.equal(assertTranslatesLikeTheWalk(m, p, a), null);
      });
      assert.equal(assertTranslatesLikeTheWalk(m, p, a), null);
      m.undo(log);
      assert.equal(assertTranslatesLikeTheWalk(m, p, a), mapped, 'after undo');
      unwrap(m.munmap(p, a, 2 * PAGE_SIZE));
      assert.equal(assertTranslatesLikeTheWalk(m, p, a), null);
      m.restore(saved);
      const restored = m.process(p.pid)!;
      assert.equal(assertTranslatesLikeTheWalk(m, restored, a), mapped, 'after restore');
      assertConsistent(m);
    });
  });
});
