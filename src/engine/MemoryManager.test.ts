import { strict as assert } from 'node:assert';
import { KERNEL_QUICKMAP_PER_CPU_BASE, KERNEL_VIRTUAL_RANGE_BASE, MiB, PAGE_SIZE } from './constants';
import { BootError, type MachineOptions, defaultMemoryMap } from './MemoryManager';
import { assertConsistent, boot, errnoOf, spawn, unwrap } from './testSupport';

describe('MemoryManager', () => {
  describe('boot', () => {
    it('builds the default PC map, with memory above 4 GiB for large RAM sizes', () => {
      const map = defaultMemoryMap(5 * 1024 * MiB);
      assert.deepEqual(
        map.map((e) => [e.kind, e.base, e.size]),
        [
          ['usable', 0, 0x9f000],
          ['reserved', 0x9f000, 0x61000],
          ['usable', 0x100000, 3 * 1024 * MiB - 0x100000],
          ['reserved', 0xfffc0000, 0x40000],
          ['usable', 4 * 1024 * MiB, 2 * 1024 * MiB],
        ],
      );
    });

    it('boots from an explicit memory map, skipping the low 1 MiB and the kernel image', () => {
      const m = boot({
        memoryMap: [
          { kind: 'usable', base: 0, size: 0x9f000 },
          { kind: 'usable', base: 0x100000, size: 31 * MiB },
          { kind: 'reserved', base: 0x2000000, size: MiB },
          { kind: 'usable', base: 0x2100000, size: 16 * MiB },
        ],
        kernelSize: 4 * MiB,
      });
      const zones = m.zones();
      // 0x3100 entries * 8 bytes = 25 pages, plus one page table for them.
      assert.equal(zones[0]!.base, 0x500000 + 26 * PAGE_SIZE, 'after the kernel and the page-entry array');
      assert.ok(zones.some((z) => z.base === 0x2100000));
      assertConsistent(m);
    });

    it('reserves the kernel image and the page-entry array with unbacked, nameless regions', () => {
      const m = boot();
      const [image, array] = m.kernelRegions();
      for (const region of [image!, array!]) {
        assert.equal(region.vmobject, null);
        assert.equal(region.name, '');
        assert.equal(region.access, 0);
      }
      assert.equal(image!.base, KERNEL_VIRTUAL_RANGE_BASE);
      // An 8 MiB image ends on a 2 MiB boundary, and initialize_physical_pages adds 2 MiB past it.
      assert.equal(image!.size, 10 * MiB);
      assert.equal(array!.base, image!.end, 'placed first-fit after the image');
      assert.equal(m.memoryManager.unbackedRegionRole(image!), 'kernel image');
      assert.equal(m.memoryManager.unbackedRegionRole(array!), 'physical page entries');
    });

    it('maps the kernel image read-only and executable for the kernel, from physical 1 MiB', () => {
      const m = boot();
      const image = m.kernelRegions()[0]!;
      const first = m.pte('kernel', image.base)!;
      assert.deepEqual(
        [first.present, first.writable, first.user, first.nx, first.global],
        [true, false, false, false, false],
      );
      assert.equal(m.translate('kernel', image.base + 0x123), 0x100123);
      assert.equal(m.translate('kernel', image.base + 8 * MiB - 1), 0x100000 + 8 * MiB - 1);
      assert.equal(
        m.translate('kernel', image.base + 8 * MiB),
        null,
        'the 2 MiB past the image are not mapped',
      );
      assert.equal(m.read('kernel', image.base, 1).status, 'ok');
      assert.equal(m.write('kernel', image.base, 1, 1).status, 'panic', 'kernel text is read-only');
    });

    it('maps the page-entry array writable, global and executable, and every entry of its last page table (quirk)', () => {
      const m = boot();
      const mm = m.memoryManager;
      const array = m.kernelRegions()[1]!;
      const { firstFrame, tablePages } = mm.pageEntryArray;
      const pte = m.pte('kernel', array.base)!;
      assert.deepEqual(
        [pte.present, pte.writable, pte.user, pte.nx, pte.global],
        [true, true, false, false, true],
      );
      assert.equal(m.translate('kernel', array.base), (firstFrame + tablePages) * PAGE_SIZE, 'tables first');
      const past = array.end;
      assert.equal(m.regionAt('kernel', past), null);
      assert.equal(m.translate('kernel', past), (firstFrame + tablePages) * PAGE_SIZE + array.size);
      assertConsistent(m);
    });
  });

  describe('kernel regions', () => {
    it('places kernel regions first-fit after the boot regions and maps them supervisor-only', () => {
      const m = boot();
      const entries = m.kernelRegions()[1]!;
      const r = unwrap(m.allocateKernelRegion(4 * PAGE_SIZE, 'MyRegion', 3, 'AllocateNow'));
      assert.equal(r.base, entries.end);
      const pte = m.pte('kernel', r.base)!;
      assert.equal(pte.present && pte.writable, true);
      assert.equal(pte.user, false);
      assert.equal(m.write('kernel', r.base, 0xabcd, 2).status, 'ok');
      assert.equal(m.read('kernel', r.base, 2).value, 0xabcdn);
      unwrap(m.releaseKernelRegion(r));
      assertConsistent(m);
    });

    it('maps MMIO at the device address with cache disabled', () => {
      const m = boot();
      const r = unwrap(m.allocateMmioKernelRegion(0xfeb00000, 0x1000, 'DeviceMMIO', 3));
      const pte = m.pte('kernel', r.base)!;
      assert.equal(pte.cacheDisabled, true);
      assert.equal(pte.pat, false);
      assert.equal(m.translate('kernel', r.base + 0x10), 0xfeb00010);
      assertConsistent(m);
    });

    it('maps a DMA page write-combining through PAT, or uncached without PAT', () => {
      const withPat = boot();
      const a = unwrap(withPat.allocateDmaBufferPage('dma', 3));
      assert.equal(withPat.pte('kernel', a.base)!.pat, true);
      const noPat = boot({ pat: false });
      const b = unwrap(noPat.allocateDmaBufferPage('dma', 3));
      assert.equal(noPat.pte('kernel', b.base)!.pat, false);
      assert.equal(noPat.pte('kernel', b.base)!.cacheDisabled, true);
    });

    it('leaks the unused tail of a non-power-of-two contiguous allocation (quirk)', () => {
      const m = boot();
      const before = m.counters();
      const r = unwrap(m.allocateContiguousKernelRegion(3 * PAGE_SIZE, 'ring', 3));
      const paddrs = [0, 1, 2].map((i) => m.translate('kernel', r.base + i * PAGE_SIZE));
      assert.deepEqual(paddrs, [paddrs[0], paddrs[0]! + PAGE_SIZE, paddrs[0]! + 2 * PAGE_SIZE]);
      const after = m.counters();
      const taken = before.freePages - after.freePages;
      const accounted = before.physicalPagesUncommitted - after.physicalPagesUncommitted;
      assert.equal(taken - accounted, 1, 'a 4-page block is taken for 3 pages');
      unwrap(m.releaseKernelRegion(r));
      assert.equal(m.counters().freePages, before.freePages - 1, 'the fourth page never comes back');
      assertConsistent(m);
    });

    it('panics on a kernel region size that is not a page multiple', () => {
      const m = boot();
      const r = m.allocateKernelRegion(PAGE_SIZE + 1, 'bad', 3);
      assert.equal(r.kind, 'panic');
    });
  });

  describe('physical pages', () => {
    it('allocates from the top of the first zone downward and returns pages on release', () => {
      const m = boot();
      const zone = m.zones()[0]!;
      const a = unwrap(m.allocatePhysicalPage());
      const b = unwrap(m.allocatePhysicalPage());
      assert.equal(b, a - PAGE_SIZE);
      assert.equal(m.page(a)!.refCount, 1);
      unwrap(m.releasePhysicalPage(a));
      unwrap(m.releasePhysicalPage(b));
      assert.equal(m.page(a), null);
      assert.equal(m.zones()[0]!.available, zone.available);
      assertConsistent(m);
    });

    it('moves pages between the counters through a committed set', () => {
      const m = boot();
      const before = m.counters();
      const set = unwrap(m.commitPhysicalPages(3));
      assert.equal(m.counters().physicalPagesCommitted, 3);
      unwrap(m.takeOneCommitted(set));
      unwrap(m.uncommitOne(set));
      assert.equal(set.pageCount, 1);
      unwrap(m.releaseCommitted(set));
      const after = m.counters();
      assert.equal(after.physicalPagesCommitted, 0);
      assert.equal(after.physicalPagesUsed, before.physicalPagesUsed + 1);
      assertConsistent(m);
      assert.equal(errnoOf(m.commitPhysicalPages(after.physicalPagesUncommitted + 1)), 'ENOMEM');
    });
  });

  describe('quickmap', () => {
    it('maps a page at the per-CPU slot, and panics on a second quickmap of a busy slot', () => {
      const m = boot({ cpus: 2 });
      const paddr = unwrap(m.allocatePhysicalPage());
      const v0 = unwrap(m.quickmapPage(paddr));
      assert.equal(v0, KERNEL_QUICKMAP_PER_CPU_BASE);
      assert.equal(m.translate('kernel', v0), paddr);
      const v1 = unwrap(m.quickmapPage(paddr, 'Normal', 1));
      assert.equal(v1, KERNEL_QUICKMAP_PER_CPU_BASE + PAGE_SIZE);
      unwrap(m.unquickmapPage(1));
      assert.equal(m.translate('kernel', v1), null);
      assert.equal(m.quickmapPage(paddr).kind, 'panic');
    });

    it('rewrites the page slot after unquickmap, so the same-paddr shortcut never keeps a stale type there', () => {
      const m = boot();
      const paddr = unwrap(m.allocatePhysicalPage());
      const v = unwrap(m.quickmapPage(paddr, 'IO'));
      assert.equal(m.pte('kernel', v)!.cacheDisabled, true);
      unwrap(m.unquickmapPage());
      // unquickmap clears the slot, so the next quickmap rewrites it.
      unwrap(m.quickmapPage(paddr, 'Normal'));
      assert.equal(m.pte('kernel', v)!.cacheDisabled, false);
    });
  });

  describe('TLB flushes', () => {
    it('broadcasts flushes of kernel addresses on SMP and flushes user addresses locally', () => {
      const m = boot({ cpus: 2 });
      const p = spawn(m);
      m.takeEvents();
      const k = unwrap(m.allocateKernelRegion(PAGE_SIZE, 'k', 3));
      const kernelFlush = m.takeEvents().find((e) => e.kind === 'tlb_flush' && e.vaddr === k.base);
      assert.ok(kernelFlush && kernelFlush.kind === 'tlb_flush');
      assert.equal(kernelFlush.scope, 'broadcast');
      const a = unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: 3, flags: 0x22 }));
      m.write(p, a, 1);
      const userFlush = m.takeEvents().find((e) => e.kind === 'tlb_flush' && e.vaddr === a);
      assert.ok(userFlush && userFlush.kind === 'tlb_flush');
      assert.equal(userFlush.scope, 'local');
    });

    it('flushes locally on a uniprocessor', () => {
      const m = boot({ cpus: 1 });
      m.takeEvents();
      const k = unwrap(m.allocateKernelRegion(PAGE_SIZE, 'k', 3));
      const flush = m.takeEvents().find((e) => e.kind === 'tlb_flush' && e.vaddr === k.base);
      assert.ok(flush && flush.kind === 'tlb_flush' && flush.scope === 'local');
    });
  });

  describe('page tables', () => {
    it('gives every user address space 130 paging pages and frees page tables with their last PTE', () => {
      const m = boot();
      const used = m.counters().physicalPagesUsed;
      const p = spawn(m);
      assert.equal(m.counters().physicalPagesUsed, used + 130);
      const a = unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: 3, flags: 0x22 }));
      assert.equal(m.counters().physicalPagesUsed, used + 131, 'one page table');
      const events = m.takeEvents();
      assert.ok(events.some((e) => e.kind === 'page_table_allocated'));
      unwrap(m.munmap(p, a, PAGE_SIZE));
      assert.equal(m.counters().physicalPagesUsed, used + 130);
      assert.ok(m.takeEvents().some((e) => e.kind === 'page_table_freed'));
      assertConsistent(m);
    });

    it('finds every mapping of a shared physical page', () => {
      const m = boot();
      const p = spawn(m);
      const a = unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: 3, flags: 0x22 }));
      m.write(p, a, 1);
      const c = unwrap(m.fork(p));
      const paddr = m.translate(p, a)!;
      const mappings = m.mappingsOf(paddr).map((x) => [x.space, x.vaddr]);
      assert.deepEqual(mappings, [
        [p.pid, a],
        [c.pid, a],
      ]);
    });
  });
});

describe('a physical memory map too large to boot', () => {
  const arrayBytes = (): number => process.memoryUsage().arrayBuffers;
  const cases: [string, Partial<MachineOptions>][] = [
    ['1 TiB of RAM', { ram: 1024 * 1024 * MiB }],
    [
      'usable memory near the top of the 52-bit space',
      {
        memoryMap: [
          { kind: 'usable', base: 0x100000, size: 64 * MiB },
          { kind: 'usable', base: 0xf000000000000, size: 16 * MiB },
        ],
      },
    ],
  ];

  for (const [what, options] of cases)
    it(`is refused (${what}) before the page-entry array is allocated`, () => {
      const before = arrayBytes();
      assert.throws(
        () => boot(options),
        (e: unknown) => e instanceof BootError && /page-entry array/.test(e.message),
      );
      assert.ok(arrayBytes() - before < 1024 * 1024, `${arrayBytes() - before} bytes held`);
    });
});
