import { strict as assert } from 'node:assert';
import { PAGE_SIZE } from './constants';
import { MAP_ANONYMOUS, MAP_SHARED, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE } from './Syscalls';
import { assertConsistent, boot, mmapAnon, spawn, unwrap } from './testSupport';

describe('Region: mapping and page faults', () => {
  it('maps zero and lazy pages present and read-only, never writable', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, PAGE_SIZE);
    const pte = m.pte(p, a)!;
    assert.equal(pte.present, true);
    assert.equal(pte.writable, false);
    assert.equal(pte.user, true);
    assert.equal(pte.nx, true);
    assert.equal(m.page(pte.paddr)!.isLazyCommittedPage, true);
  });

  it('never maps an execute-only region, so any access crashes (quirk)', () => {
    const m = boot();
    const p = spawn(m, 'jit', { axAllowed: true });
    const a = mmapAnon(m, p, PAGE_SIZE, PROT_EXEC);
    assert.equal(m.pte(p, a)!.present, false);
    assert.equal(m.exec(p, a).status, 'crash');
  });

  it('crashes an instruction fetch from a non-executable region before checking reads', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, PAGE_SIZE, PROT_READ);
    assert.equal(m.exec(p, a).status, 'crash');
  });

  it('runs code from an executable region without faults', () => {
    const m = boot();
    const p = spawn(m, 'jit', { axAllowed: true });
    const a = mmapAnon(m, p, PAGE_SIZE, PROT_READ | PROT_EXEC);
    const r = m.exec(p, a);
    assert.equal(r.status, 'ok');
    assert.deepEqual(r.handled, []);
  });

  it('maps PROT_NONE regions without page tables and crashes every access', () => {
    const m = boot();
    const p = spawn(m);
    const used = m.counters().physicalPagesUsed;
    const a = mmapAnon(m, p, PAGE_SIZE, PROT_NONE);
    assert.equal(m.counters().physicalPagesUsed, used);
    assert.equal(m.pte(p, a), null);
    assert.equal(m.read(p, a).status, 'crash');
  });

  it('panics on a kernel-mode access to user memory with SMAP, unless AC is set', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, PAGE_SIZE);
    const ok = m.write(p, a, 5, 1, { mode: 'kernel', smapDisabled: true });
    assert.equal(ok.status, 'ok');
    assert.deepEqual(ok.handled, ['zero_fault']);
    const r = m.read(p, a, 1, { mode: 'kernel' });
    assert.equal(r.status, 'panic');
    assert.ok(m.halted);
    assert.equal(m.write(p, a, 1).status, 'panic', 'the machine is halted');
  });

  it('lets the kernel touch user memory freely without SMAP', () => {
    const m = boot({ smap: false });
    const p = spawn(m);
    const a = mmapAnon(m, p, PAGE_SIZE);
    assert.equal(m.write(p, a, 5, 1, { mode: 'kernel' }).status, 'ok');
    assert.equal(m.read(p, a).value, 5n);
  });

  it('crashes a user access to kernel memory', () => {
    const m = boot();
    const p = spawn(m);
    const k = unwrap(m.allocateKernelRegion(PAGE_SIZE, 'k', 3));
    assert.equal(m.read(p, k.base).status, 'crash');
    assert.equal(m.halted, null);
  });

  it('panics on a kernel access to an unmapped kernel address', () => {
    const m = boot();
    assert.equal(m.read('kernel', 0x20_1000_0000).status, 'panic');
  });

  it('validates the stack pointer of a process with a stack on every user fault', () => {
    const m = boot({ seed: 5 });
    const p = spawn(m, 'p', { stackSize: 64 * 1024 });
    const stack = p.stackRegion!;
    assert.equal(stack.stack, true);
    assert.equal(stack.mmap, false);
    assert.deepEqual(m.write(p, stack.end - 8, 1).handled, ['zero_fault']);
    assertConsistent(m);
  });

  it('gives OutOfMemory for a zero fault in a shared anonymous mapping after a partial munmap (quirk)', () => {
    const m = boot();
    const p = spawn(m);
    const a = unwrap(
      m.mmap(p, {
        addr: 0,
        size: 3 * PAGE_SIZE,
        prot: PROT_READ | PROT_WRITE,
        flags: MAP_SHARED | MAP_ANONYMOUS,
      }),
    );
    unwrap(m.munmap(p, a + PAGE_SIZE, PAGE_SIZE));
    assert.equal(m.write(p, a, 1).status, 'oom');
    assertConsistent(m);
  });

  it('counts cow pages in the bitmap and resident/shared amounts per region', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, 3 * PAGE_SIZE);
    m.write(p, a, 1);
    m.write(p, a + PAGE_SIZE, 1);
    const c = unwrap(m.fork(p));
    const region = m.regionAt(p, a)!;
    assert.equal(region.cowPages(), 2);
    assert.equal(region.amountResident(), 2 * PAGE_SIZE);
    assert.equal(region.amountShared(), 2 * PAGE_SIZE);
    m.write(c, a, 2);
    assert.equal(m.regionAt(c, a)!.cowPages(), 1);
    assert.equal(region.amountShared(), PAGE_SIZE);
  });
});
