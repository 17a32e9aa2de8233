import * as assert from 'assert';
import { FrameInfoDto, type FrameKind } from '../protocol/dto';
import { pageWalk } from './pageTables';
import {
  decodeFrameKinds,
  evaluate,
  frameOf,
  indexOf,
  runScenario,
  stateOf,
  valid,
} from './stateTestSupport';

function count(kinds: readonly FrameKind[], kind: FrameKind): number {
  return kinds.filter((k) => k === kind).length;
}

describe('frame map', () => {
  describe('of a process that forked', () => {
    const run = runScenario(`
machine ram=64M
process parent
let buf = mmap(parent, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
write parent buf, 1
fork parent as child
`);
    const state = stateOf(run);
    const kinds = decodeFrameKinds(state);
    const mm = run.machine.memoryManager;
    const parent = run.machine.process(1)!;

    it('covers every frame of RAM', () => {
      assert.strictEqual(state.frameMap.frameCount, mm.entries.count);
    });

    it('marks the paging structures of every address space as page tables', () => {
      const pd = parent.space.pageDirectory;
      assert.strictEqual(kinds[pd.pml4Frame], 'pageTable', 'the PML4 (CR3) of the parent');
      assert.strictEqual(kinds[pd.pdptFrame], 'pageTable');
      assert.strictEqual(kinds[pd.directoryPages[0]!], 'pageTable');
      assert.strictEqual(kinds[run.machine.process(2)!.space.pageDirectory.pml4Frame], 'pageTable');
      assert.strictEqual(kinds[mm.kernelPageDirectory.pml4Frame], 'pageTable');
      assert.strictEqual(kinds[mm.bootFrames.quickmapPt], 'pageTable');
      const walk = pageWalk(run.machine, 'pid:1', `0x${evaluate(run, 'buf').toString(16)}`);
      const ptFrame = frameOf(BigInt(walk.levels[3]!.tableAddress));
      assert.strictEqual(kinds[ptFrame], 'pageTable');
    });

    it('marks the shared zero page, the lazy committed page and anonymous memory', () => {
      assert.strictEqual(kinds[mm.sharedZeroFrame], 'sharedZero');
      assert.strictEqual(kinds[mm.lazyCommittedFrame], 'lazyCommitted');
      assert.strictEqual(
        kinds[frameOf(run.machine.translate(parent, Number(evaluate(run, 'buf'))))],
        'anonymous',
      );
    });

    it('marks the low megabyte reserved, the kernel image and page-entry array kernel, the array’s tables page tables', () => {
      assert.strictEqual(kinds[0], 'reserved');
      assert.strictEqual(kinds[255], 'reserved');
      assert.strictEqual(kinds[256], 'kernel');
      const { firstFrame, tablePages } = mm.pageEntryArray;
      assert.strictEqual(kinds[firstFrame], 'pageTable');
      assert.strictEqual(kinds[firstFrame + tablePages], 'kernel');
    });

    it('shows exactly the buddy allocator’s free pages as free, and every used zone page as used', () => {
      assert.strictEqual(count(kinds, 'free'), state.counters.freeInZones);
      let zoneFrames = 0;
      for (const region of mm.physicalRegions) for (const zone of region.zones) zoneFrames += zone.pageCount;
      assert.strictEqual(zoneFrames - count(kinds, 'free'), state.counters.used + mm.leakedContiguousPages);
    });

    it('answers for one frame with its owner, references, zone and mappings', () => {
      const index = indexOf(run);
      const paddr = run.machine.translate(parent, Number(evaluate(run, 'buf')))!;
      const info = valid(FrameInfoDto, index.frameInfo(frameOf(paddr)));
      assert.strictEqual(info.kind, 'anonymous');
      assert.strictEqual(info.refCount, 2);
      assert.match(info.zoneId ?? '', /^\d+:\d+$/);
      assert.deepStrictEqual(
        info.mappings.filter((m) => m.spaceId !== 'kernel').map((m) => m.spaceId),
        ['pid:1', 'pid:2'],
      );
      // The frame lies within the frames the page-entry array's last page table maps past the
      // array, so the kernel reaches it too (the quirk of initialize_physical_pages).
      const boot = info.mappings.filter((m) => m.spaceId === 'kernel');
      for (const m of boot) assert.strictEqual(mm.bootMappingOf(Number(m.vaddr)), paddr);
      const firstFree = kinds.indexOf('free');
      const free = valid(FrameInfoDto, index.frameInfo(firstFree));
      assert.strictEqual(free.refCount, null);
      // The first free frames follow the page-entry array, whose last page table maps them too.
      assert.deepStrictEqual(
        free.mappings.map((m) => mm.bootMappingOf(Number(m.vaddr))),
        [firstFree * 4096],
      );
      const farFree = kinds.lastIndexOf('free');
      assert.deepStrictEqual(valid(FrameInfoDto, index.frameInfo(farFree)).mappings, []);
      assert.strictEqual(valid(FrameInfoDto, index.frameInfo(0)).zoneId, null);
      assert.throws(() => index.frameInfo(kinds.length), /outside the frame map/);
      assert.throws(() => index.frameInfo(-1), /outside the frame map/);
    });

    it('lists the same mappings as the engine’s reverse lookup, for every allocated frame', () => {
      const index = indexOf(run);
      for (let frame = 0; frame < mm.entries.count; frame++) {
        if (!mm.entries.isAllocated(frame)) continue;
        const engine = run.machine
          .mappingsOf(frame * 4096)
          .map((m) => `${m.space === 0 ? 'kernel' : `pid:${m.space}`} 0x${m.vaddr.toString(16)}`)
          .sort();
        const ours = index
          .frameInfo(frame)
          .mappings.map((m) => `${m.spaceId} ${m.vaddr}`)
          .sort();
        assert.deepStrictEqual(ours, engine, `frame ${frame}`);
      }
    });
  });

  describe('of kernel device memory', () => {
    const run = runScenario(`
machine ram=64M
let dma = MM.allocate_dma_buffer_pages(2 * PAGE_SIZE, "rx ring", ReadWrite)
let contiguous = MM.allocate_contiguous_kernel_region(2 * PAGE_SIZE, "ring buffer", ReadWrite)
let regs = MM.allocate_mmio_kernel_region(0xFEB00000, 2 * PAGE_SIZE, "e1000 registers", ReadWrite)
let pg = MM.allocate_physical_page()
file "/f" size=4096
process p
let fd = open(p, "/f", O_RDONLY)
let m = mmap(p, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, fd, 0)
read p m
`);
    const state = stateOf(run);
    const kinds = decodeFrameKinds(state);
    const kernelFrame = (name: string): number =>
      frameOf(run.machine.translate('kernel', Number(evaluate(run, name))));

    it('reaches up to the highest MMIO frame', () => {
      assert.strictEqual(state.frameMap.frameCount, 0xfeb02);
      assert.strictEqual(kinds[0xfeb00], 'mmio');
      assert.strictEqual(kinds[0xfeb01], 'mmio');
      assert.strictEqual(kinds[0xfeaff], 'reserved', 'the hole below the device is no RAM');
    });

    it('marks DMA buffers dma and other kernel memory kernel', () => {
      assert.strictEqual(kinds[kernelFrame('dma.vaddr')], 'dma');
      assert.strictEqual(kinds[kernelFrame('dma.vaddr') + 1], 'dma');
      assert.strictEqual(kinds[kernelFrame('contiguous.vaddr')], 'kernel');
      assert.strictEqual(kinds[frameOf(evaluate(run, 'pg.paddr'))], 'kernel', 'a page the scenario holds');
    });

    it('marks file pages file', () => {
      assert.strictEqual(
        kinds[frameOf(run.machine.translate(run.machine.process(1)!, Number(evaluate(run, 'm'))))],
        'file',
      );
    });

    it('counts the leaked tail of a contiguous block as used', () => {
      let zoneFrames = 0;
      const mm = run.machine.memoryManager;
      for (const region of mm.physicalRegions) for (const zone of region.zones) zoneFrames += zone.pageCount;
      assert.strictEqual(count(kinds, 'free'), state.counters.freeInZones);
      assert.strictEqual(zoneFrames - count(kinds, 'free'), state.counters.used + mm.leakedContiguousPages);
    });
  });

  it('marks a page the scenario quickmapped itself', () => {
    const run = runScenario(`
machine ram=64M
let pg = MM.allocate_physical_page()
let va = MM.quickmap_page(pg.paddr)
`);
    const kinds = decodeFrameKinds(stateOf(run));
    assert.strictEqual(kinds[frameOf(evaluate(run, 'pg.paddr'))], 'quickmap');
    const unmapped = runScenario(`${run.text}\nMM.unquickmap_page()\n`);
    assert.strictEqual(decodeFrameKinds(stateOf(unmapped))[frameOf(evaluate(run, 'pg.paddr'))], 'kernel');
  });

  it('does not stretch the map to an MMIO range far above 4 GiB', () => {
    const run = runScenario(`
machine ram=64M
let regs = MM.allocate_mmio_kernel_region(0x1000_0000_0000, PAGE_SIZE, "far device", ReadWrite)
`);
    const state = stateOf(run);
    assert.strictEqual(state.frameMap.frameCount, 2 ** 20);
    assert.strictEqual(count(decodeFrameKinds(state), 'mmio'), 0);
    assert.deepStrictEqual(state.dmaMmio.mappings[0]!.frameRuns, [{ paddr: '0x100000000000', pages: 1 }]);
  });

  it('marks the frames of a machine with more than 4 GiB: RAM above the hole, the hole reserved', () => {
    const run = runScenario('machine ram=5G\n');
    const state = stateOf(run);
    const kinds = decodeFrameKinds(state);
    assert.strictEqual(state.frameMap.frameCount, (6 * 2 ** 30) / 4096);
    assert.strictEqual(kinds[(3.5 * 2 ** 30) / 4096], 'reserved');
    assert.strictEqual(kinds[(4.5 * 2 ** 30) / 4096], 'free');
    assert.strictEqual(count(kinds, 'free'), state.counters.freeInZones);
  });
});
