// The [QUIRK]s of the reference that are not covered beside their classes.

import { strict as assert } from 'node:assert';
import { PAGE_SIZE, USER_RANGE_BASE } from './constants';
import {
  MAP_ANONYMOUS,
  MAP_NORESERVE,
  MAP_PRIVATE,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT,
  VIRTUAL_MEMORY_RANGE_IMMUTABLE,
} from './Syscalls';
import { startSequence } from './randomOperations';
import { assertConsistent, boot, errnoOf, mmapAnon, spawn, unwrap } from './testSupport';

describe('quirks of the reference', () => {
  it('starts a fork child without the no-transition-to-executable rule (sys$fork does not copy it)', () => {
    const m = boot();
    const p = spawn(m, 'p', { axAllowed: true, noWToX: false });
    unwrap(m.prctl(p, PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT));
    const a = mmapAnon(m, p, PAGE_SIZE);
    const c = unwrap(m.fork(p));
    assert.equal(errnoOf(m.mprotect(p, a, PAGE_SIZE, PROT_READ | PROT_EXEC)), 'EINVAL');
    assert.equal(errnoOf(m.mprotect(c, a, PAGE_SIZE, PROT_READ | PROT_EXEC)), 'ok');
    // Even a child of a process that got the rule at startup (the loader's prctl) starts without it.
    const strict = spawn(m, 'strict', { axAllowed: true });
    const b = mmapAnon(m, strict, PAGE_SIZE);
    const child = unwrap(m.fork(strict));
    assert.equal(errnoOf(m.mprotect(strict, b, PAGE_SIZE, PROT_READ | PROT_EXEC)), 'EINVAL');
    assert.equal(errnoOf(m.mprotect(child, b, PAGE_SIZE, PROT_READ | PROT_EXEC)), 'ok');
    assertConsistent(m);
  });

  it('bases a new address space at 0x10000 or 0x110000 only (operator precedence)', () => {
    const bases = new Set<number>();
    for (let seed = 0; seed < 40; seed++) bases.add(spawn(boot({ seed })).space.regionTree.totalBase);
    assert.deepEqual(
      [...bases].sort((x, y) => x - y),
      [USER_RANGE_BASE, USER_RANGE_BASE + 0x100000],
    );
  });

  it('loses an uncommitted page when the zones are empty but the counter is not', () => {
    const m = boot({ ram: 12 * 1024 * 1024 });
    const p = spawn(m);
    const pages = m.counters().physicalPagesUncommitted;
    const a = unwrap(
      m.mmap(p, {
        addr: 0,
        size: pages * PAGE_SIZE,
        prot: PROT_READ | PROT_WRITE,
        flags: MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
      }),
    );
    let status = 'ok';
    for (let i = 0; i < pages && status === 'ok'; i++) status = m.write(p, a + i * PAGE_SIZE, 1).status;
    assert.equal(status, 'oom');
    const c = m.counters();
    assert.ok(m.memoryManager.lostUncommittedPages > 0);
    assert.equal(
      c.physicalPagesUsed +
        c.physicalPagesCommitted +
        c.physicalPagesUncommitted +
        m.memoryManager.lostUncommittedPages,
      c.physicalPages,
    );
    assert.notEqual(
      c.physicalPagesUsed + c.physicalPagesCommitted + c.physicalPagesUncommitted,
      c.physicalPages,
    );
    assertConsistent(m);
  });

  it('commits a fresh COW pool per region when regions split from one VMObject are forked', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, 4 * PAGE_SIZE);
    for (let i = 0; i < 4; i++) m.write(p, a + i * PAGE_SIZE, 1);
    unwrap(m.mprotect(p, a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ));
    assert.equal(p.space.regions.length, 2);
    const before = m.counters().physicalPagesCommitted;
    const c = unwrap(m.fork(p));
    // Each of the two regions clones the whole VMObject: 4 resident pages committed twice.
    assert.equal(m.counters().physicalPagesCommitted, before + 8);
    assert.notEqual(m.regionAt(c, a)!.vmobject, m.regionAt(c, a + 2 * PAGE_SIZE)!.vmobject);
    assertConsistent(m);
  });

  it('does not make the child of a fork inherit an immutable mapping', () => {
    const m = boot();
    const p = spawn(m);
    const a = mmapAnon(m, p, PAGE_SIZE);
    unwrap(m.annotateMapping(p, a, VIRTUAL_MEMORY_RANGE_IMMUTABLE));
    const c = unwrap(m.fork(p));
    assert.equal(errnoOf(m.munmap(p, a, PAGE_SIZE)), 'EPERM');
    unwrap(m.munmap(c, a, PAGE_SIZE));
  });

  it('panics when a commitment counted the zone-less tail and the zones run dry', () => {
    const m = boot({ ram: 12 * 1024 * 1024 });
    // 761 pages are counted but only 512 lie in zones: commitments can exceed what zones hold.
    let r = m.allocateKernelRegion(4 * PAGE_SIZE, 'k', 3, 'AllocateNow');
    while (r.kind === 'ok') r = m.allocateKernelRegion(4 * PAGE_SIZE, 'k', 3, 'AllocateNow');
    assert.equal(r.kind, 'panic');
    assert.match(m.halted ?? '', /committed page found/);
  });

  it('panics when the clean file page it gives back under pressure is still mapped by a fork', () => {
    // startSequence's 12 MiB leave only 512 pages in zones: the counters promise more than they can give.
    const driver = startSequence(0, { cpus: 2 });
    const m = driver.m;
    // A private file mapping with its first page loaded, then shared with a forked child.
    driver.run({ op: 'mmap', who: 0, pages: 1, prot: 3, kind: 5, fixedAt: 0 });
    driver.run({ op: 'read', who: 0, region: 0, offset: 0 });
    driver.run({ op: 'fork', who: 0 });
    driver.run({ op: 'spawn' });
    assert.equal(m.halted, null);
    // The next fork runs the zones dry; the clean page released from one object is still referenced
    // by the other, so nothing is freed and the retry's VERIFY fails.
    driver.run({ op: 'fork', who: 0 });
    assert.equal(m.halted, 'VERIFY(page found after releasing clean inode pages) failed');
  });

  it('leaves the quickmap slot not present when quickmap_page asks for physical address 0 on a cleared slot', () => {
    // quickmap_page rewrites the slot's PTE only when its physical page base differs from the one
    // asked for; unquickmap_page cleared the entry to 0, whose base is 0 too. Nothing is written:
    // the slot stays not present, and the kernel's next access through it faults (a panic).
    const m = boot();
    const va = unwrap(m.quickmapPage(0, 'NonCacheable'));
    assert.equal(m.pte('kernel', va)!.raw, 0n, 'not present, and no memory type bits either');
    assert.equal(m.translate('kernel', va), null);
    assert.equal(m.read('kernel', va).status, 'panic');
  });
});
