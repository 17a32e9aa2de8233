import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { PAGE_SIZE } from './constants';
import { checkAccess, FAULT_NOT_PRESENT, FAULT_PROTECTION, ACCESS_OK, WalkState } from './Mmu';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from './Syscalls';
import { boot, mmapAnon, spawn, unwrap } from './testSupport';

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
          assert.equal(contents.translateFrame(pd.directoryPages, vaddr), f);
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
});
