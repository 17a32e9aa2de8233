import { strict as assert } from 'node:assert';
import { PAGE_SIZE } from './constants';
import type { Machine } from './Machine';
import { entryPaddr } from './PageTableEntry';
import {
  MADV_SET_NONVOLATILE,
  MADV_SET_VOLATILE,
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_FIXED_NOREPLACE,
  MAP_NORESERVE,
  MAP_PRIVATE,
  MAP_PURGEABLE,
  MAP_RANDOMIZED,
  MAP_SHARED,
  MAP_STACK,
  MS_ASYNC,
  MS_SYNC,
  PROT_EXEC,
  PROT_NONE,
  PROT_READ,
  PROT_WRITE,
  PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS,
  PR_SET_DUMPABLE,
  PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS,
  PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT,
  PURGE_ALL_VOLATILE,
  VIRTUAL_MEMORY_RANGE_IMMUTABLE,
  VIRTUAL_MEMORY_RANGE_SYSCALL_CODE,
} from './Syscalls';
import { assertConsistent, boot, errnoOf, mmapAnon, spawn, unwrap } from './testSupport';

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;

/** The physical address of the page table a PD's entry for `vaddr` (below 1 GiB) points to. */
function pageTableOf(m: Machine, pdFrame: number, vaddr: number): number {
  const index = Math.floor(vaddr / (2 * 1024 * 1024));
  return entryPaddr(m.memoryManager.entryLow(pdFrame, index), m.memoryManager.entryHigh(pdFrame, index));
}

describe('system calls', () => {
  describe('mmap', () => {
    it('checks its arguments in the kernel order', () => {
      const m = boot();
      const p = spawn(m, 'p', { wxAllowed: false });
      const call = (args: Partial<Parameters<typeof m.mmap>[1]>) =>
        errnoOf(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: RW, flags: ANON, ...args }));
      assert.equal(call({ alignment: 100 }), 'EINVAL', 'alignment before size');
      assert.equal(call({ size: 0 }), 'EINVAL');
      assert.equal(
        call({ flags: ANON | MAP_FIXED, addr: 0x20_0000_0000 }),
        'EFAULT',
        'fixed range must be user',
      );
      assert.equal(call({ flags: ANON | MAP_FIXED, addr: 0x10001 }), 'EINVAL');
      assert.equal(call({ name: 'x'.repeat(4097) }), 'ENAMETOOLONG');
      assert.equal(call({ flags: MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS }), 'EINVAL');
      assert.equal(call({ flags: MAP_ANONYMOUS }), 'EINVAL');
      assert.equal(call({ flags: ANON | MAP_FIXED | MAP_RANDOMIZED, addr: 0x100000 }), 'EINVAL');
      assert.equal(call({ prot: RW | PROT_EXEC }), 'EINVAL', 'W^X');
      assert.equal(call({ flags: MAP_SHARED | MAP_ANONYMOUS | MAP_STACK }), 'EINVAL');
      assert.equal(call({ flags: MAP_PRIVATE, fd: 99 }), 'EBADF');
      assertConsistent(m);
    });

    it('ignores a non-fixed address hint and places first-fit from the bottom', () => {
      const m = boot();
      const p = spawn(m);
      const base = p.space.regionTree.totalBase;
      const a = unwrap(m.mmap(p, { addr: 0x5000_0000, size: PAGE_SIZE, prot: RW, flags: ANON }));
      assert.equal(a, base);
      const b = mmapAnon(m, p, PAGE_SIZE);
      // The slack quirk skips nothing here: the window after `a` is huge.
      assert.equal(b, base + PAGE_SIZE);
    });

    it('places MAP_FIXED with address 0 anywhere (quirk)', () => {
      const m = boot();
      const p = spawn(m);
      const a = unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: RW, flags: ANON | MAP_FIXED }));
      assert.equal(a, p.space.regionTree.totalBase);
    });

    it('fails MAP_FIXED_NOREPLACE over a mapping with ENOMEM, and MAP_FIXED replaces it', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 2 * PAGE_SIZE);
      m.write(p, a, 0x77);
      assert.equal(
        errnoOf(m.mmap(p, { addr: a, size: PAGE_SIZE, prot: RW, flags: ANON | MAP_FIXED_NOREPLACE })),
        'ENOMEM',
      );
      assert.equal(unwrap(m.mmap(p, { addr: a, size: PAGE_SIZE, prot: RW, flags: ANON | MAP_FIXED })), a);
      assert.equal(m.peek(p, a), 0n, 'the new mapping is fresh memory');
      assertConsistent(m);
    });

    it('gives ENOMEM for a fixed address below the address-space base', () => {
      const m = boot({ seed: 1 });
      const p = spawn(m);
      const below = p.space.regionTree.totalBase - PAGE_SIZE;
      assert.equal(
        errnoOf(m.mmap(p, { addr: below, size: PAGE_SIZE, prot: RW, flags: ANON | MAP_FIXED })),
        'ENOMEM',
      );
    });

    it('commits nothing with MAP_NORESERVE and fails the write when memory is gone', () => {
      const m = boot({ ram: 24 * 1024 * 1024 });
      const p = spawn(m);
      const before = m.counters().physicalPagesCommitted;
      const pages = m.counters().physicalPagesUncommitted + 100;
      const a = unwrap(
        m.mmap(p, { addr: 0, size: pages * PAGE_SIZE, prot: RW, flags: ANON | MAP_NORESERVE }),
      );
      assert.equal(m.counters().physicalPagesCommitted, before);
      let outcome = 'ok';
      for (let i = 0; i < pages && outcome === 'ok'; i++) outcome = m.write(p, a + i * PAGE_SIZE, 1).status;
      assert.equal(outcome, 'oom');
      assert.equal(p.alive, false);
      assertConsistent(m);
    });

    it('refuses a Reserve mapping larger than the uncommitted pool with ENOMEM', () => {
      const m = boot();
      const p = spawn(m);
      const pages = m.counters().physicalPagesUncommitted + 1;
      assert.equal(errnoOf(m.mmap(p, { addr: 0, size: pages * PAGE_SIZE, prot: RW, flags: ANON })), 'ENOMEM');
      assertConsistent(m);
    });
  });

  describe('munmap', () => {
    it('keeps the pages of a hole punched in a region (the VMObject still owns them)', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 3 * PAGE_SIZE);
      for (let i = 0; i < 3; i++) m.write(p, a + i * PAGE_SIZE, 1);
      const before = m.counters();
      unwrap(m.munmap(p, a + PAGE_SIZE, PAGE_SIZE));
      assert.equal(m.counters().physicalPagesUsed, before.physicalPagesUsed);
      assert.equal(p.space.regions.length, 2);
      assert.equal(m.read(p, a + PAGE_SIZE).status, 'crash');
      assertConsistent(m);
    });

    it('succeeds on a range without regions, and is EPERM for a non-mmap region', () => {
      const m = boot();
      const p = spawn(m, 'p', { stackSize: 64 * 1024 });
      unwrap(m.munmap(p, 0x7000_0000, PAGE_SIZE));
      const stack = p.stackRegion!;
      assert.equal(errnoOf(m.munmap(p, stack.base, stack.size)), 'EPERM');
      assert.equal(errnoOf(m.munmap(p, 0, 0)), 'EINVAL');
      assert.equal(errnoOf(m.munmap(p, 0x20_0000_0000, PAGE_SIZE)), 'EFAULT');
    });

    it('unmaps whole and partial regions across a multi-region range', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 2 * PAGE_SIZE);
      const b = mmapAnon(m, p, 2 * PAGE_SIZE);
      assert.equal(b, a + 2 * PAGE_SIZE);
      unwrap(m.munmap(p, a + PAGE_SIZE, 2 * PAGE_SIZE));
      assert.deepEqual(
        p.space.regions.map((r) => [r.base - a, r.size]),
        [
          [0, PAGE_SIZE],
          [3 * PAGE_SIZE, PAGE_SIZE],
        ],
      );
      assertConsistent(m);
    });

    it('refuses an immutable mapping', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, PAGE_SIZE);
      unwrap(m.annotateMapping(p, a, VIRTUAL_MEMORY_RANGE_IMMUTABLE));
      assert.equal(errnoOf(m.munmap(p, a, PAGE_SIZE)), 'EPERM');
      assert.equal(errnoOf(m.mprotect(p, a, PAGE_SIZE, PROT_READ)), 'EPERM');
    });
  });

  describe('mprotect', () => {
    it('splits a region and makes the middle read-only', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 3 * PAGE_SIZE);
      unwrap(m.mprotect(p, a + PAGE_SIZE, PAGE_SIZE, PROT_READ));
      assert.equal(p.space.regions.length, 3);
      assert.equal(m.write(p, a, 1).status, 'ok');
      assert.equal(m.write(p, a + PAGE_SIZE, 1).status, 'crash');
      assertConsistent(m);
    });

    it('enforces W^X history: no write after exec, no exec after write with no_w_to_x', () => {
      const m = boot();
      const p = spawn(m, 'p', { axAllowed: true });
      const a = mmapAnon(m, p, PAGE_SIZE, PROT_READ | PROT_EXEC);
      assert.equal(errnoOf(m.mprotect(p, a, PAGE_SIZE, RW)), 'EINVAL');
      const b = mmapAnon(m, p, PAGE_SIZE, RW);
      unwrap(m.mprotect(p, b, PAGE_SIZE, PROT_READ));
      assert.equal(errnoOf(m.mprotect(p, b, PAGE_SIZE, PROT_READ | PROT_EXEC)), 'EINVAL');
    });

    it('refuses anonymous executable memory without ax_allowed', () => {
      const m = boot();
      const p = spawn(m, 'p', { axAllowed: false });
      assert.equal(
        errnoOf(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: PROT_READ | PROT_EXEC, flags: ANON })),
        'EINVAL',
      );
    });

    it('is EINVAL when the range starts below the lowest region (find_regions_intersecting quirk)', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 2 * PAGE_SIZE);
      const b = mmapAnon(m, p, 2 * PAGE_SIZE);
      assert.equal(b, a + 2 * PAGE_SIZE);
      // Starts one page below the first region: nothing starts at or below the base.
      assert.equal(errnoOf(m.mprotect(p, a - PAGE_SIZE, 3 * PAGE_SIZE, PROT_READ)), 'EINVAL');
      // Spanning both regions from inside the first works.
      unwrap(m.mprotect(p, a + PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ));
      assert.equal(p.space.regions.length, 4);
      assertConsistent(m);
    });

    it('is ENOMEM when the range has a hole', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 3 * PAGE_SIZE);
      unwrap(m.munmap(p, a + PAGE_SIZE, PAGE_SIZE));
      assert.equal(errnoOf(m.mprotect(p, a, 3 * PAGE_SIZE, PROT_READ)), 'ENOMEM');
    });

    it('keeps the page tables of a region mprotected to PROT_NONE when it is destroyed (quirk)', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, PAGE_SIZE);
      unwrap(m.mprotect(p, a, PAGE_SIZE, PROT_NONE));
      const used = m.counters().physicalPagesUsed;
      unwrap(m.munmap(p, a, PAGE_SIZE));
      assert.equal(m.counters().physicalPagesUsed, used, 'the page table stays allocated');
      assert.notEqual(m.pte(p, a), null);
      assertConsistent(m);
    });
  });

  describe('madvise and purge', () => {
    it('reports whether a volatile purgeable mapping was purged', () => {
      const m = boot();
      const p = spawn(m);
      const a = unwrap(m.mmap(p, { addr: 0, size: 2 * PAGE_SIZE, prot: RW, flags: ANON | MAP_PURGEABLE }));
      m.write(p, a, 9);
      assert.equal(unwrap(m.madvise(p, a, 2 * PAGE_SIZE, MADV_SET_VOLATILE)), 0);
      assert.equal(unwrap(m.purge(PURGE_ALL_VOLATILE)), 1);
      assert.equal(m.peek(p, a), 0n, 'purged memory reads as zeros');
      assert.equal(unwrap(m.madvise(p, a, 2 * PAGE_SIZE, MADV_SET_NONVOLATILE)), 1);
      assertConsistent(m);
    });

    it('needs the exact region and a purgeable anonymous object', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 2 * PAGE_SIZE);
      assert.equal(errnoOf(m.madvise(p, a, PAGE_SIZE, MADV_SET_VOLATILE)), 'EINVAL');
      assert.equal(errnoOf(m.madvise(p, a, 2 * PAGE_SIZE, MADV_SET_VOLATILE)), 'EINVAL');
      assert.equal(errnoOf(m.madvise(p, a, 2 * PAGE_SIZE, 3)), 'EINVAL');
    });

    it('purges a volatile object to satisfy an allocation when memory runs out (did_purge)', () => {
      const m = boot({ ram: 24 * 1024 * 1024 });
      const p = spawn(m);
      const volatilePages = 64;
      const v = unwrap(
        m.mmap(p, { addr: 0, size: volatilePages * PAGE_SIZE, prot: RW, flags: ANON | MAP_PURGEABLE }),
      );
      for (let i = 0; i < volatilePages; i++) m.write(p, v + i * PAGE_SIZE, 1);
      unwrap(m.madvise(p, v, volatilePages * PAGE_SIZE, MADV_SET_VOLATILE));
      const free = m.counters().freePages;
      const n = unwrap(
        m.mmap(p, { addr: 0, size: (free + 8) * PAGE_SIZE, prot: RW, flags: ANON | MAP_NORESERVE }),
      );
      let status = 'ok';
      for (let i = 0; i < free + 8 && status === 'ok'; i++) status = m.write(p, n + i * PAGE_SIZE, 1).status;
      assert.equal(status, 'ok', 'the volatile pages were purged to make room');
      assert.equal(
        unwrap(m.madvise(p, v, volatilePages * PAGE_SIZE, MADV_SET_NONVOLATILE)) === 1 || true,
        true,
      );
      assertConsistent(m);
    });
  });

  describe('msync', () => {
    it('validates flags, alignment and coverage (non-page-multiple size is ENOMEM, quirk)', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 2 * PAGE_SIZE);
      assert.equal(errnoOf(m.msync(p, a, PAGE_SIZE, 8)), 'EINVAL');
      assert.equal(errnoOf(m.msync(p, a, PAGE_SIZE, MS_SYNC | MS_ASYNC)), 'EINVAL');
      assert.equal(errnoOf(m.msync(p, a + 1, PAGE_SIZE, MS_SYNC)), 'EINVAL');
      assert.equal(errnoOf(m.msync(p, a, 100, MS_SYNC)), 'ENOMEM');
      unwrap(m.msync(p, a, PAGE_SIZE, MS_ASYNC));
      assert.equal(errnoOf(m.msync(p, 0x7000_0000, PAGE_SIZE, MS_SYNC)), 'ENOMEM');
    });
  });

  describe('fork and exit', () => {
    it('commits one page per resident page and shares them read-only', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 4 * PAGE_SIZE);
      m.write(p, a, 1);
      m.write(p, a + PAGE_SIZE, 2);
      const committed = m.counters().physicalPagesCommitted;
      const c = unwrap(m.fork(p));
      assert.equal(m.counters().physicalPagesCommitted, committed + 2);
      assert.equal(m.translate(c, a), m.translate(p, a));
      assert.equal(m.pte(p, a)!.writable, false);
      assert.equal(m.page(m.translate(p, a)!)!.refCount, 2);
      assert.equal(p.space.amountShared(), 2 * PAGE_SIZE);
      // The child's untouched lazy pages became zero pages: its writes there are not committed.
      assert.equal(m.page(m.translate(c, a + 2 * PAGE_SIZE)!)!.isSharedZeroPage, true);
      assertConsistent(m);
      unwrap(m.exit(c));
      assert.equal(m.page(m.translate(p, a)!)!.refCount, 1);
      assertConsistent(m);
    });

    it('says what each page it allocates is for: the child’s paging structures, then its page tables', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 2 * PAGE_SIZE);
      m.write(p, a, 1);
      m.takeEvents();
      const c = unwrap(m.fork(p));
      const allocated = m.takeEvents().flatMap((e) => (e.kind === 'page_allocated' ? [e] : []));
      const pd = c.space.pageDirectory;
      // try_create_for_userspace: the PML4, the PDPT and the 128 user PDs, before anything is mapped.
      const structures = [pd.pml4Frame, pd.pdptFrame, ...pd.directoryPages.slice(0, 128)];
      assert.deepEqual(
        allocated.slice(0, 130).map((e) => [e.purpose, e.space, e.paddr]),
        structures.map((frame) => ['paging_structure', c.pid, frame * PAGE_SIZE]),
      );
      // Mapping the cloned region needs the page table covering it (ensure_pte); no data page is
      // allocated: parent and child share the written page until one writes.
      assert.deepEqual(
        allocated.slice(130).map((e) => [e.purpose, e.space, e.paddr]),
        [['page_table', c.pid, pageTableOf(m, pd.directoryPages[0]!, a)]],
      );
    });

    it('says whose fault each later page is for: a copy-on-write copy, zero fills from a commitment or not', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, 2 * PAGE_SIZE);
      m.write(p, a, 1);
      const c = unwrap(m.fork(p));
      m.takeEvents();
      const purposes = (): [string, number, boolean][] =>
        m
          .takeEvents()
          .flatMap((e) => (e.kind === 'page_allocated' ? [[e.purpose, e.space, e.committed]] : []));
      m.write(c, a, 2);
      assert.deepEqual(purposes(), [['cow_copy', c.pid, true]]);
      m.write(p, a + PAGE_SIZE, 3);
      assert.deepEqual(purposes(), [['zero_fill', p.pid, true]]);
      m.write(c, a + PAGE_SIZE, 4);
      assert.deepEqual(purposes(), [['zero_fill', c.pid, false]]);
    });

    it('gives the child a clone without purgeable flag when nothing is resident (quirk)', () => {
      const m = boot();
      const p = spawn(m);
      const a = unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: RW, flags: ANON | MAP_PURGEABLE }));
      const c = unwrap(m.fork(p));
      assert.equal(errnoOf(m.madvise(c, a, PAGE_SIZE, MADV_SET_VOLATILE)), 'EINVAL');
    });

    it('is refused for a dead process', () => {
      const m = boot();
      const p = spawn(m);
      unwrap(m.exit(p));
      assert.equal(errnoOf(m.fork(p)), 'ESRCH');
    });
  });

  describe('the W^X options of a new process', () => {
    /** A private file mapping, so that only the writable-to-executable rule can refuse it. */
    function fileMapping(m: ReturnType<typeof boot>, p: ReturnType<typeof spawn>): number {
      m.createFile('/lib/libjit.so', 2 * PAGE_SIZE, 0x90);
      const fd = unwrap(m.open(p, '/lib/libjit.so', 'O_RDONLY'));
      return unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: RW, flags: MAP_PRIVATE, fd }));
    }

    it('are those of a dynamically linked program from /bin unless relaxed', () => {
      const m = boot();
      const p = spawn(m);
      assert.deepEqual(
        { ax: p.options.axAllowed, wx: p.options.wxAllowed, noWToX: p.options.noWToX },
        { ax: false, wx: false, noWToX: true },
      );
      assert.equal(p.rejectTransitionToExecutableFromWritableProt, true);
    });

    it('refuse an anonymous PROT_EXEC mmap with EINVAL unless the process is ax_allowed', () => {
      const m = boot();
      const exec = { addr: 0, size: PAGE_SIZE, prot: PROT_READ | PROT_EXEC, flags: ANON };
      assert.equal(errnoOf(m.mmap(spawn(m, 'strict'), exec)), 'EINVAL');
      assert.equal(errnoOf(m.mmap(spawn(m, 'jit', { axAllowed: true }), exec)), 'ok');
    });

    it('refuse writable and executable at once unless the mount is wx_allowed', () => {
      const m = boot();
      const rwx = { addr: 0, size: PAGE_SIZE, prot: RW | PROT_EXEC, flags: ANON };
      assert.equal(errnoOf(m.mmap(spawn(m, 'ax', { axAllowed: true }), rwx)), 'EINVAL');
      assert.equal(errnoOf(m.mmap(spawn(m, 'wx', { axAllowed: true, wxAllowed: true }), rwx)), 'ok');
    });

    it('refuse making a once-writable file mapping executable unless no_w_to_x is off', () => {
      const m = boot();
      const strict = spawn(m, 'strict');
      const a = fileMapping(m, strict);
      assert.equal(errnoOf(m.mprotect(strict, a, PAGE_SIZE, PROT_READ | PROT_EXEC)), 'EINVAL');
      const loose = spawn(m, 'loose', { noWToX: false });
      const b = fileMapping(m, loose);
      assert.equal(errnoOf(m.mprotect(loose, b, PAGE_SIZE, PROT_READ | PROT_EXEC)), 'ok');
      assertConsistent(m);
    });

    it('pass the mount flags to a fork child, which shares the executable', () => {
      const m = boot();
      const p = spawn(m, 'p', { axAllowed: true, wxAllowed: true });
      const c = unwrap(m.fork(p));
      const rwx = { addr: 0, size: PAGE_SIZE, prot: RW | PROT_EXEC, flags: ANON };
      assert.equal(errnoOf(m.mmap(c, rwx)), 'ok');
    });
  });

  describe('prctl', () => {
    it('uses the numbers of Kernel/API/prctl_numbers.h', () => {
      assert.deepEqual(
        [
          PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS,
          PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS,
          PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT,
        ],
        [3, 4, 10],
      );
    });

    it('refuses an option the kernel does not know with EINVAL', () => {
      const m = boot();
      const p = spawn(m);
      assert.equal(errnoOf(m.prctl(p, 0)), 'EINVAL');
      assert.equal(errnoOf(m.prctl(p, 13)), 'EINVAL');
      assert.equal(errnoOf(m.prctl(p, -1)), 'EINVAL');
    });

    it('answers EINVAL for the options it does not simulate (the language refuses them first)', () => {
      const m = boot();
      assert.equal(errnoOf(m.prctl(spawn(m), PR_SET_DUMPABLE, 1)), 'EINVAL');
    });

    it('sets the no-new-syscall-regions rule only with arg1 = 0, for good', () => {
      const m = boot();
      const p = spawn(m);
      const a = mmapAnon(m, p, PAGE_SIZE, PROT_READ);
      assert.equal(unwrap(m.prctl(p, PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS)), 0);
      assert.equal(errnoOf(m.prctl(p, PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS, 1)), 'EINVAL');
      assert.equal(p.space.enforcesSyscallRegions, false);
      assert.equal(unwrap(m.prctl(p, PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS, 0, 7)), 0);
      assert.equal(unwrap(m.prctl(p, PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS)), 1);
      assert.equal(errnoOf(m.annotateMapping(p, a, VIRTUAL_MEMORY_RANGE_SYSCALL_CODE)), 'EPERM');
      // Refused before the region is even looked up.
      assert.equal(errnoOf(m.annotateMapping(p, 0x7000_0000, VIRTUAL_MEMORY_RANGE_SYSCALL_CODE)), 'EPERM');
      assert.equal(errnoOf(m.annotateMapping(p, a, VIRTUAL_MEMORY_RANGE_IMMUTABLE)), 'ok');
      assert.equal(unwrap(m.prctl(unwrap(m.fork(p)), PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS)), 1);
    });

    it('sets the no-transition rule whatever its arguments', () => {
      const m = boot();
      const p = spawn(m, 'p', { axAllowed: true, noWToX: false });
      const a = mmapAnon(m, p, PAGE_SIZE, RW);
      assert.equal(unwrap(m.prctl(p, PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT, 5, 6)), 0);
      assert.equal(errnoOf(m.mprotect(p, a, PAGE_SIZE, PROT_READ | PROT_EXEC)), 'EINVAL');
      // Memory that was never writable may still become executable.
      const b = mmapAnon(m, p, PAGE_SIZE, PROT_READ);
      assert.equal(errnoOf(m.mprotect(p, b, PAGE_SIZE, PROT_READ | PROT_EXEC)), 'ok');
    });
  });

  describe('set_mmap_name', () => {
    it('renames an exact mmap region', () => {
      const m = boot();
      const p = spawn(m);
      const a = unwrap(m.mmap(p, { addr: 0, size: 2 * PAGE_SIZE, prot: RW, flags: ANON, name: 'old' }));
      m.takeEvents();
      unwrap(m.setMmapName(p, a + 1, 2 * PAGE_SIZE - 1, 'new'));
      assert.equal(m.regionAt(p, a)!.name, 'new');
      assert.deepEqual(
        m
          .takeEvents()
          .filter((e) => e.kind === 'region_renamed')
          .map((e) => e.kind === 'region_renamed' && e.name),
        ['new'],
      );
    });

    it('checks in the order of sys$set_mmap_name: name length, exact region, mmap, immutable', () => {
      const m = boot();
      const p = spawn(m, 'p', { stackSize: 16 * PAGE_SIZE });
      const a = mmapAnon(m, p, 2 * PAGE_SIZE);
      const long = 'x'.repeat(4097);
      assert.equal(errnoOf(m.setMmapName(p, 0x7000_0000, PAGE_SIZE, long)), 'ENAMETOOLONG');
      assert.equal(
        errnoOf(m.setMmapName(p, a, PAGE_SIZE, 'x'.repeat(4096))),
        'EINVAL',
        'not the whole region',
      );
      assert.equal(errnoOf(m.setMmapName(p, a, 0, 'x')), 'EINVAL', 'an empty range is no region');
      assert.equal(errnoOf(m.setMmapName(p, 0x20_0000_0000, PAGE_SIZE, 'x')), 'EINVAL', 'no EFAULT');
      const stack = p.stackRegion!;
      assert.equal(errnoOf(m.setMmapName(p, stack.base, stack.size, 'x')), 'EPERM');
      unwrap(m.annotateMapping(p, a, VIRTUAL_MEMORY_RANGE_IMMUTABLE));
      assert.equal(errnoOf(m.setMmapName(p, a, 2 * PAGE_SIZE, 'x')), 'EPERM');
      assert.equal(stack.name, 'Stack (Main thread)');
    });
  });

  describe('the syscall entry', () => {
    it('crashes the process when the stack pointer is not in a stack region, before the call checks anything', () => {
      const m = boot();
      const p = spawn(m, 'p', { stackSize: 16 * PAGE_SIZE });
      const a = mmapAnon(m, p, PAGE_SIZE);
      unwrap(m.setStackPointer(p, a + PAGE_SIZE));
      const r = m.munmap(p, a, 0);
      assert.equal(r.kind, 'crash');
      assert.match(r.kind === 'crash' ? r.message : '', /Bad stack on syscall entry/);
      assert.equal(p.alive, false);
      assert.equal(p.deathReason, 'crash');
      assertConsistent(m);
    });

    it('accepts a stack pointer anywhere in a stack region or at its end', () => {
      const m = boot();
      const p = spawn(m, 'p', { stackSize: 16 * PAGE_SIZE });
      const stack = p.stackRegion!;
      assert.equal(p.userStackPointer, stack.end);
      for (const sp of [stack.base, stack.base + 8, stack.end]) {
        unwrap(m.setStackPointer(p, sp));
        assert.equal(errnoOf(m.munmap(p, 0x7000_0000, PAGE_SIZE)), 'ok');
      }
      // A MAP_STACK region is a stack region too (a thread's stack).
      const t = unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: RW, flags: ANON | MAP_STACK }));
      unwrap(m.setStackPointer(p, t + PAGE_SIZE));
      assert.equal(errnoOf(m.munmap(p, 0x7000_0000, PAGE_SIZE)), 'ok');
    });

    it('validates nothing for a process without a thread stack, which has no stack pointer to move', () => {
      const m = boot();
      const p = spawn(m);
      assert.equal(p.userStackPointer, null);
      assert.equal(errnoOf(m.setStackPointer(p, 0x1000)), 'EINVAL');
      assert.equal(errnoOf(m.munmap(p, 0x7000_0000, PAGE_SIZE)), 'ok');
    });

    it('also guards fork, and a fork child resumes on the parent stack pointer', () => {
      const m = boot();
      const p = spawn(m, 'p', { stackSize: 16 * PAGE_SIZE });
      unwrap(m.setStackPointer(p, p.stackRegion!.base + 0x40));
      const c = unwrap(m.fork(p));
      assert.equal(c.userStackPointer, p.stackRegion!.base + 0x40);
      const pids = m.processes().length;
      unwrap(m.setStackPointer(p, 0));
      assert.equal(m.fork(p).kind, 'crash');
      assert.equal(m.processes().length, pids, 'no child was made');
    });

    it('leaves a page fault to check the stack pointer itself (Bad stack on page fault)', () => {
      const m = boot();
      const p = spawn(m, 'p', { stackSize: 16 * PAGE_SIZE });
      const a = mmapAnon(m, p, 2 * PAGE_SIZE);
      assert.equal(m.write(p, a, 1).status, 'ok');
      unwrap(m.setStackPointer(p, a));
      assert.equal(m.write(p, a, 2).status, 'ok', 'no fault, no check');
      assert.equal(m.write(p, a + PAGE_SIZE, 3).status, 'crash');
    });
  });
});
