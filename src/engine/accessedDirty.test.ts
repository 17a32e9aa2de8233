// The Accessed (bit 5) and Dirty (bit 6) bits: set by the simulated MMU on the accesses that go
// through, kept or cleared exactly as the kernel's entry writes keep or clear them
// (Kernel/Arch/x86_64/PageDirectory.h PageTableEntry, Region::map_individual_page_impl,
// MemoryManager::release_pte, quickmap_page / unquickmap_page).

import { strict as assert } from 'node:assert';
import { KERNEL_PDPT_INDEX, PAGE_SIZE } from './constants';
import type { Machine } from './Machine';
import { PTE_ACCESSED, PTE_DIRTY } from './PageTableEntry';
import type { Process } from './Process';
import { PROT_NONE, PROT_READ, PROT_WRITE } from './Syscalls';
import { assertConsistent, boot, mmapAnon, spawn, unwrap } from './testSupport';

const GiB = 1024 * 1024 * 1024;

/** The low words of the four entries a walk of vaddr in p's page directory uses. */
function levels(
  m: Machine,
  p: Process | 'kernel',
  vaddr: number,
): { pml4e: number; pdpte: number; pde: number } {
  const mm = m.memoryManager;
  const pd = p === 'kernel' ? mm.kernelPageDirectory : p.space.pageDirectory;
  const pdptIndex = Math.floor(vaddr / GiB) & 511;
  const pdIndex = Math.floor(vaddr / (2 * 1024 * 1024)) & 511;
  return {
    pml4e: mm.entryLow(pd.pml4Frame, 0),
    pdpte: mm.entryLow(pd.pdptFrame, pdptIndex),
    pde: mm.entryLow(pd.directoryPages[pdptIndex]!, pdIndex),
  };
}

const accessed = (low: number): boolean => (low & PTE_ACCESSED) !== 0;

describe('Accessed and Dirty bits', () => {
  it('sets A in the PTE and in every paging-structure entry on the way on a read, and D only on a write', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, 2 * PAGE_SIZE);
    m.read(p, a);
    const read = m.pte(p, a)!;
    assert.ok(read.accessed && !read.dirty, 'a read sets A, not D');
    const walked = levels(m, p, a);
    assert.ok(accessed(walked.pml4e) && accessed(walked.pdpte) && accessed(walked.pde));
    for (const low of Object.values(walked)) assert.equal(low & PTE_DIRTY, 0, 'D is only ever set in a PTE');
    m.write(p, a + PAGE_SIZE, 1);
    const written = m.pte(p, a + PAGE_SIZE)!;
    assert.ok(written.accessed && written.dirty);
    assert.equal(Number(written.raw & 0xfffn), 0x67, 'present, writable, user, accessed, dirty');
    assertConsistent(m);
  });

  it('sets D on an access that is already marked accessed (a write after a read)', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, PAGE_SIZE);
    m.write(p, a, 1);
    unwrap(m.mprotect(p, a, PAGE_SIZE, PROT_READ));
    unwrap(m.mprotect(p, a, PAGE_SIZE, PROT_READ | PROT_WRITE));
    const pte = m.pte(p, a)!;
    assert.ok(pte.accessed && pte.dirty, 'mprotect remaps the entry field by field: A and D stay');
  });

  it('does not set anything for an access that faults and is not retried', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, PAGE_SIZE);
    m.write(p, a, 1);
    const c = unwrap(m.fork(p));
    assert.ok(!m.pte(c, a)!.accessed, "the child's entry is new");
    // A kernel-mode load of a user address with SMAP on faults, and the kernel panics.
    assert.equal(m.read(c, a, 1, { mode: 'kernel' }).status, 'panic');
    assert.ok(!m.pte(c, a)!.accessed, 'the faulting walk set nothing');
  });

  it('keeps A and D over a copy-on-write copy (map_individual_page_impl does not clear a present entry)', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, PAGE_SIZE);
    m.write(p, a, 1);
    const c = unwrap(m.fork(p));
    const shared = m.pte(p, a)!;
    assert.ok(
      !shared.writable && shared.accessed && shared.dirty,
      'fork remapped it read-only, A and D kept',
    );
    // The child also holds the page, so the parent's write copies it into a new frame.
    const r = m.write(p, a, 2);
    assert.deepEqual(r.handled, ['cow_fault']);
    const copied = m.pte(p, a)!;
    assert.notEqual(copied.paddr, shared.paddr);
    assert.ok(copied.writable && copied.accessed && copied.dirty);
    m.read(c, a);
    const child = m.pte(c, a)!;
    assert.ok(child.accessed && !child.dirty, "the child's read sets A only");
    assertConsistent(m);
  });

  it('loses A and D when the kernel clears the entry (PROT_NONE, munmap)', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, 2 * PAGE_SIZE);
    m.write(p, a, 1);
    m.write(p, a + PAGE_SIZE, 1);
    unwrap(m.mprotect(p, a, PAGE_SIZE, PROT_NONE));
    assert.equal(m.pte(p, a)!.raw, 0n);
    unwrap(m.munmap(p, a + PAGE_SIZE, PAGE_SIZE));
    assert.equal(m.pte(p, a + PAGE_SIZE)?.raw ?? 0n, 0n);
    // Mapped again, the page starts without them.
    unwrap(m.mprotect(p, a, PAGE_SIZE, PROT_READ));
    const again = m.pte(p, a)!;
    assert.ok(again.present && !again.accessed && !again.dirty);
  });

  it('never sets anything on inspection (peek, translate, pte)', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, PAGE_SIZE);
    m.write(p, a, 1);
    const c = unwrap(m.fork(p));
    const before = m.pte(c, a)!.raw;
    const walked = levels(m, c, a);
    m.peek(c, a);
    m.translate(c, a);
    m.pte(c, a);
    assert.equal(m.pte(c, a)!.raw, before);
    assert.deepEqual(levels(m, c, a), walked);
  });

  it("sets A in a process's own PDPTE for a kernel address whose PDE another space already marked", () => {
    const m = boot();
    const p = spawn(m);
    const k = unwrap(m.allocateKernelRegion(PAGE_SIZE, 'k', 3));
    m.write('kernel', k.base, 1);
    assert.ok(m.pte('kernel', k.base)!.dirty);
    assert.ok(accessed(levels(m, 'kernel', k.base).pde));
    assert.ok(!accessed(levels(m, p, k.base).pdpte));
    m.read(p, k.base, 1, { mode: 'kernel' });
    assert.ok(accessed(levels(m, p, k.base).pdpte), 'PDPT[128] of the process');
    assert.equal(Math.floor(k.base / GiB) & 511, KERNEL_PDPT_INDEX);
  });

  it('sets them through the quickmap window, and unquickmap_page clears the slot', () => {
    const m = boot();
    const frame = unwrap(m.allocatePhysicalPage());
    const va = unwrap(m.quickmapPage(frame));
    assert.ok(!m.pte('kernel', va)!.accessed);
    m.write('kernel', va, 0x5a);
    assert.ok(m.pte('kernel', va)!.accessed && m.pte('kernel', va)!.dirty);
    unwrap(m.unquickmapPage());
    assert.equal(m.pte('kernel', va)!.raw, 0n);
  });

  it('puts them back exactly when a step is undone, and sets them again on replay', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, PAGE_SIZE);
    m.read(p, a);
    const before = m.pte(p, a)!.raw;
    const log = m.recordUndo(() => m.write(p, a, 1));
    const after = m.pte(p, a)!.raw;
    assert.ok(m.pte(p, a)!.dirty);
    m.undo(log);
    assert.equal(m.pte(p, a)!.raw, before);
    assert.ok(!m.pte(p, a)!.dirty && m.pte(p, a)!.accessed);
    m.write(p, a, 1);
    assert.equal(m.pte(p, a)!.raw, after);
  });

  it('reports the bits it sets as one pte_accessed event, and nothing once they are set', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, PAGE_SIZE);
    m.write(p, a, 1);
    m.takeEvents();
    m.read(p, a);
    assert.deepEqual(m.takeEvents(), []);
    const c = unwrap(m.fork(p));
    m.takeEvents();
    m.read(c, a);
    assert.deepEqual(
      m.takeEvents().filter((e) => e.kind === 'pte_accessed'),
      [{ kind: 'pte_accessed', space: c.pid, vaddr: a, dirty: false }],
    );
  });
});
