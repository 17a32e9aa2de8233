import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PAGE_SIZE } from '../engine/constants';
import { AddressSpaceDto, type MachineStateDto, type RegionDto } from '../protocol/dto';
import { machineStateDto } from './machineState';
import { resolveMemoryReference } from '../debug/memory';
import {
  type ScenarioRun,
  decodeFrameKinds,
  evaluate,
  indexOf,
  runScenario,
  stateOf,
  stepOn,
  valid,
} from './stateTestSupport';
import { stepInfoDto } from './stepInfo';

function space(state: MachineStateDto, id: string): AddressSpaceDto {
  const found = state.addressSpaces.find((s) => s.id === id);
  assert.ok(found, `address space ${id}`);
  return valid(AddressSpaceDto, found);
}

function region(state: MachineStateDto, spaceId: string, name: string): RegionDto {
  const found = space(state, spaceId).regions.find((r) => r.name === name);
  assert.ok(found, `region "${name}" in ${spaceId}`);
  return found;
}

/** The DTO's amounts are those of AddressSpace::amount_* and Region::amount_* (`Kernel/Memory/AddressSpace.cpp`, `Region.cpp`). */
function assertEngineAmounts(run: ScenarioRun, state: MachineStateDto): void {
  for (const process of run.machine.processes()) {
    const dto = space(state, `pid:${process.pid}`);
    const s = process.space;
    assert.deepStrictEqual(dto.amounts, {
      virtual: s.amountVirtual(),
      resident: s.amountResident(),
      shared: s.amountShared(),
      dirtyPrivate: s.amountDirtyPrivate(),
      cleanInode: s.amountCleanInode(),
      purgeableVolatile: s.amountPurgeableVolatile(),
      purgeableNonvolatile: s.amountPurgeableNonvolatile(),
    });
    for (const r of s.regions) {
      const amounts = dto.regions.find((x) => x.id === String(r.id))!.amounts;
      assert.deepStrictEqual(amounts, {
        resident: r.amountResident(),
        shared: r.amountShared(),
        dirty: r.amountDirty(),
        cowPages: r.cowPages(),
      });
    }
  }
}

const FORK = `
machine ram=64M
process parent
let buf = mmap(parent, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="data")
write parent buf, 1
write parent buf + PAGE_SIZE, 2
fork parent as child
write child buf, 3
`;

describe('machine state DTO', () => {
  describe('after boot', () => {
    const run = runScenario('machine ram=64M\n', 0);
    const state = stateOf(run);

    it('shows the kernel address space with its boot-time regions and no process', () => {
      assert.deepStrictEqual(
        state.addressSpaces.map((s) => s.id),
        ['kernel'],
      );
      const kernel = space(state, 'kernel');
      assert.strictEqual(kernel.kind, 'kernel');
      assert.strictEqual(kernel.pid, null);
      assert.strictEqual(kernel.cr3, `0x${run.machine.memoryManager.kernelPageDirectory.cr3.toString(16)}`);
      // The kernel's boot-time regions are unbacked and nameless, and say what they reserve.
      assert.deepStrictEqual(
        kernel.regions.map((r) => [r.name, r.unbacked, r.vmobject, r.access]),
        [
          ['', 'kernel image', null, '---'],
          ['', 'physical page entries', null, '---'],
        ],
      );
      // Their pages are what the boot page tables map: the whole image, then 2 MiB unmapped past it.
      const [image, array] = kernel.regions;
      const imagePages = run.machine.options.kernelSize / PAGE_SIZE;
      assert.strictEqual(
        image!.pages,
        'R'.repeat(imagePages) + 'N'.repeat(image!.size / PAGE_SIZE - imagePages),
      );
      assert.match(array!.pages, /^R+$/);
    });

    it('is step 0 with the counters right after boot', () => {
      assert.strictEqual(state.step.index, 0);
      assert.strictEqual(state.step.line, null);
      assert.strictEqual(state.counters.used, 2);
      assert.strictEqual(state.counters.committed, 0);
      assert.strictEqual(state.halted, false);
    });

    it('lists the physical regions with their zones, free pages and buddy lists', () => {
      const mm = run.machine.memoryManager;
      assert.strictEqual(state.physicalRegions.length, mm.physicalRegions.length);
      let free = 0;
      for (const [r, dto] of state.physicalRegions.entries()) {
        const engine = mm.physicalRegions[r]!;
        assert.strictEqual(dto.pageCount, engine.pages);
        assert.strictEqual(dto.zones.length, engine.zones.length);
        const zoned = engine.zones.reduce((n, z) => n + z.pageCount, 0);
        assert.strictEqual(dto.unzonedPages, engine.pages - zoned);
        for (const zone of dto.zones) {
          assert.strictEqual(zone.freeBlocksPerOrder.length, 13);
          const listed = zone.freeBlocksPerOrder.reduce((n, blocks, order) => n + blocks * 2 ** order, 0);
          assert.strictEqual(listed, zone.freePages, `zone ${zone.id}: free lists hold the free pages`);
          free += zone.freePages;
        }
      }
      assert.strictEqual(free, state.counters.freeInZones);
    });

    it('gives the firmware memory map and the used ranges', () => {
      const map = state.dmaMmio.memoryMap;
      assert.deepStrictEqual(map[0], { base: '0x0', length: '0x9f000', type: 'Usable' });
      assert.ok(map.some((e) => e.type === 'Reserved' && e.base === '0xfffc0000'));
      assert.deepStrictEqual(
        state.dmaMmio.usedRanges.map((u) => u.kind),
        ['LowMemory', 'Kernel', 'PhysicalPages'],
      );
      assert.deepStrictEqual(state.dmaMmio.usedRanges[1], {
        kind: 'Kernel',
        start: '0x100000',
        end: '0x900000',
      });
      assert.deepStrictEqual(state.dmaMmio.mappings, []);
    });
  });

  describe('fork and copy-on-write', () => {
    const run = runScenario(FORK, 4);

    it('shows written pages as resident and untouched ones as lazily committed', () => {
      const data = region(stateOf(run), 'pid:1', 'data');
      assert.strictEqual(data.pages, 'RRLL');
      assert.strictEqual(data.amounts.resident, 2 * PAGE_SIZE);
      assert.deepStrictEqual(data.flags, ['mmap']);
      assert.strictEqual(data.access, 'rw-');
      assert.strictEqual(data.vmobject!.kind, 'Anonymous');
      assert.strictEqual(data.memoryReference, `v:1:${data.base}`);
      const location = resolveMemoryReference(run.machine, data.memoryReference);
      assert.strictEqual(location?.address, Number(data.base));
      assert.strictEqual(location.space.kind === 'virtual' && location.space.space, run.machine.process(1));
      assert.strictEqual(
        data.id,
        String(run.machine.regionAt(run.machine.process(1)!, Number(data.base))!.id),
      );
    });

    it('marks both sides copy-on-write after the fork; the child gets the shared zero page for the rest', () => {
      stepOn(run, 1);
      const state = stateOf(run);
      const parent = region(state, 'pid:1', 'data');
      const child = region(state, 'pid:2', 'data');
      assert.strictEqual(parent.pages, 'CCLL');
      assert.strictEqual(child.pages, 'CCZZ');
      assert.notStrictEqual(parent.vmobject!.id, child.vmobject!.id);
      assert.strictEqual(parent.amounts.shared, 2 * PAGE_SIZE);
      assert.strictEqual(child.amounts.cowPages, 2);
      assert.strictEqual(space(state, 'pid:2').name, 'child');
      assert.strictEqual(space(state, 'pid:2').pid, 2);
    });

    it('shows the copy as resident in the child after its COW fault, and counts the fault', () => {
      stepOn(run, 1);
      const state = stateOf(run);
      assert.strictEqual(region(state, 'pid:2', 'data').pages, 'RCZZ');
      assert.strictEqual(region(state, 'pid:1', 'data').pages, 'CCLL');
      assert.deepStrictEqual(space(state, 'pid:2').faults, { zero: 0, cow: 1, inode: 0 });
      assert.deepStrictEqual(space(state, 'pid:1').faults, { zero: 2, cow: 0, inode: 0 });
      // The shared zero page is mapped too (read-only), so all four pages have a present PTE.
      assert.strictEqual(space(state, 'pid:2').presentPteCount, 4);
    });

    it('has the amounts the engine computes, for every region and space', () => {
      assertEngineAmounts(run, stateOf(run));
    });

    it('shows an exited process as not alive, without regions or PTEs', () => {
      const exited = runScenario(`${FORK}\nexit parent\n`);
      const parent = space(stateOf(exited), 'pid:1');
      assert.strictEqual(parent.alive, false);
      assert.deepStrictEqual(parent.regions, []);
      assert.strictEqual(parent.presentPteCount, 0);
      assert.strictEqual(parent.amounts.virtual, 0);
      assert.deepStrictEqual(parent.faults, { zero: 2, cow: 0, inode: 0 });
    });
  });

  describe('file mappings', () => {
    const text = `
machine ram=64M
file "/srv/motd" size=6000 fill=0x41
process p
let fd = open(p, "/srv/motd", O_RDWR)
let shared = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0, name="motd (shared)")
let private = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0, name="motd (private)")
read p shared                                => inode_fault, 0x41
write p shared + PAGE_SIZE, "x"              => inode_fault
write p private, "y"                         => inode_fault
`;

    it('shows loaded file pages as resident, written ones as dirty, with the inode path', () => {
      const run = runScenario(text);
      const state = stateOf(run);
      const shared = region(state, 'pid:1', 'motd (shared)');
      assert.strictEqual(shared.pages, 'RD');
      assert.deepStrictEqual(shared.vmobject, {
        kind: 'SharedInode',
        id: shared.vmobject!.id,
        pageCount: 2,
        purgeable: false,
        volatile: false,
        path: '/srv/motd',
      });
      assert.deepStrictEqual(shared.flags, ['mmap', 'shared']);
      const priv = region(state, 'pid:1', 'motd (private)');
      assert.strictEqual(priv.vmobject!.kind, 'PrivateInode');
      assert.strictEqual(priv.pages, 'D');
      assert.deepStrictEqual(space(state, 'pid:1').faults, { zero: 0, cow: 0, inode: 3 });
      assert.strictEqual(space(state, 'pid:1').amounts.cleanInode, PAGE_SIZE);
      assertEngineAmounts(run, state);
    });

    it('shows a synced page as clean again', () => {
      const run = runScenario(`${text}\nmsync(p, shared, 2 * PAGE_SIZE, MS_SYNC)\n`);
      assert.strictEqual(region(stateOf(run), 'pid:1', 'motd (shared)').pages, 'RR');
    });

    it('shows an unloaded file page as not present', () => {
      const run = runScenario(text, 5);
      assert.strictEqual(region(stateOf(run), 'pid:1', 'motd (shared)').pages, 'NN');
    });
  });

  describe('purgeable memory', () => {
    const text = `
machine ram=32M
process p
let cache = mmap(p, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_PURGEABLE, name="cache")
write p cache, 1                             => zero_fault
write p cache + PAGE_SIZE, 2                 => zero_fault
madvise(p, cache, 4 * PAGE_SIZE, MADV_SET_VOLATILE)
let hog = MM.commit_physical_pages(MM.physical_pages_uncommitted)
let pg = MM.allocate_physical_page()
`;

    it('shows the resident pages of a volatile object as V and its untouched ones as the zero page', () => {
      const run = runScenario(text, 5);
      const state = stateOf(run);
      const cache = region(state, 'pid:1', 'cache');
      assert.strictEqual(cache.pages, 'VVZZ');
      assert.strictEqual(cache.vmobject!.purgeable, true);
      assert.strictEqual(cache.vmobject!.volatile, true);
      assert.strictEqual(space(state, 'pid:1').amounts.purgeableVolatile, 2 * PAGE_SIZE);
      assertEngineAmounts(run, state);
    });

    it('shows the purged pages as the shared zero page', () => {
      const run = runScenario(text);
      assert.strictEqual(region(stateOf(run), 'pid:1', 'cache').pages, 'ZZZZ');
    });

    it('shows a non-volatile purgeable object as resident and lazy', () => {
      const run = runScenario(text, 4);
      assert.strictEqual(region(stateOf(run), 'pid:1', 'cache').pages, 'RRLL');
    });
  });

  describe('kernel regions, DMA and MMIO', () => {
    const text = `
machine ram=64M pat=true
let state = MM.allocate_kernel_region(2 * PAGE_SIZE, "driver state", ReadWrite)
let dma = MM.allocate_dma_buffer_page("nic descriptor", ReadWrite)
let ring = MM.allocate_dma_buffer_pages(4 * PAGE_SIZE, "rx ring", ReadWrite)
let plain = MM.allocate_dma_buffer_page("plain", ReadWrite, memory_type=Normal)
let contiguous = MM.allocate_contiguous_kernel_region(2 * PAGE_SIZE, "ring buffer", ReadWrite)
let regs = MM.allocate_mmio_kernel_region(0xFEB00000, 2 * PAGE_SIZE, "e1000 registers", ReadWrite)
write kernel state.vaddr, 1                   => zero_fault
`;
    const run = runScenario(text);
    const state = stateOf(run);

    it('lists the kernel regions with memory type, strip and a kernel memory reference', () => {
      const driver = region(state, 'kernel', 'driver state');
      assert.strictEqual(driver.pages, 'RL');
      assert.strictEqual(driver.memoryReference, `v:kernel:${driver.base}`);
      // The debug adapter resolves the reference to the region's first byte in the kernel's space.
      const location = resolveMemoryReference(run.machine, driver.memoryReference);
      assert.deepStrictEqual(location, {
        space: { kind: 'virtual', space: 'kernel' },
        address: Number(driver.base),
      });
      assert.deepStrictEqual(space(state, 'kernel').faults, { zero: 1, cow: 0, inode: 0 });
      assert.strictEqual(region(state, 'kernel', 'nic descriptor').memoryType, 'NonCacheable');
      const regs = region(state, 'kernel', 'e1000 registers');
      assert.strictEqual(regs.memoryType, 'IO');
      assert.strictEqual(regs.vmobject!.kind, 'MMIO');
      assert.strictEqual(regs.pages, 'RR');
    });

    it('lists the DMA buffers and MMIO regions, not the other kernel regions', () => {
      assert.deepStrictEqual(
        state.dmaMmio.mappings.map((m) => [m.name, m.kind]),
        [
          ['nic descriptor', 'dma'],
          ['rx ring', 'dma'],
          ['plain', 'dma'],
          ['e1000 registers', 'mmio'],
        ],
      );
    });

    it('gives each device mapping its kernel address, first PTE and contiguous frame runs', () => {
      const ring = state.dmaMmio.mappings.find((m) => m.name === 'rx ring')!;
      const vaddr = evaluate(run, 'ring.vaddr');
      assert.strictEqual(ring.kernelVaddr, `0x${vaddr.toString(16)}`);
      assert.strictEqual(ring.size, 4 * PAGE_SIZE);
      const paddr = run.machine.translate('kernel', Number(vaddr))!;
      assert.deepStrictEqual(ring.frameRuns, [{ paddr: `0x${paddr.toString(16)}`, pages: 4 }]);
      // NonCacheable with PAT: the PAT bit (7) and no PCD (4).
      assert.strictEqual(BigInt(ring.pteRaw) & 0x90n, 0x80n);
      const regs = state.dmaMmio.mappings.find((m) => m.kind === 'mmio')!;
      assert.deepStrictEqual(regs.frameRuns, [{ paddr: '0xfeb00000', pages: 2 }]);
      assert.strictEqual(BigInt(regs.pteRaw) & 0x90n, 0x10n);
      assert.strictEqual(BigInt(regs.pteRaw) & 0xffff_f000n, 0xfeb00000n);
    });

    it('knows a DMA buffer by the mark its allocator set, not by its shape or the run', () => {
      // A contiguous kernel region over adopted pages, made NonCacheable, is still no DMA buffer;
      // a DMA buffer of Normal memory is one. The state alone tells, without any history.
      const other = runScenario(
        `${text}let uncached = MM.allocate_contiguous_kernel_region(PAGE_SIZE, "uncached", ReadWrite, memory_type=NonCacheable)\n`,
      );
      const alone = machineStateDto(other.machine, stepInfoDto(null, text, 0, null));
      assert.deepStrictEqual(
        alone.dmaMmio.mappings.map((m) => m.name),
        ['nic descriptor', 'rx ring', 'plain', 'e1000 registers'],
      );
    });

    it('is the state of the last step, with its statement and line', () => {
      assert.strictEqual(state.step.index, 7);
      assert.strictEqual(state.step.line, 9);
      assert.match(state.step.statement, /^write kernel state\.vaddr, 1/);
      assert.strictEqual(state.step.outcome, 'zero_fault');
      assert.strictEqual(state.step.passed, true);
    });
  });

  it('reports a halted machine', () => {
    const run = runScenario('machine ram=64M\nMM.allocate_kernel_region(100, "bad", ReadWrite) => panic\n');
    const state = stateOf(run);
    assert.strictEqual(state.halted, true);
    assert.strictEqual(state.step.outcome, 'panic');
    assert.ok(state.step.events.some((e) => e.kind === 'Panic'));
  });
});

describe('machine state of every teaching example', () => {
  const folder = path.join(__dirname, '..', '..', '..', 'examples');
  for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.mmu'))) {
    it(`${file}: fits the protocol and agrees with the engine at every step`, function () {
      this.timeout(120_000);
      const text = fs.readFileSync(path.join(folder, file), 'utf8');
      const run = runScenario(text, 0);
      for (;;) {
        const index = indexOf(run);
        const state = stateOf(run, index);
        const kinds = decodeFrameKinds(state);
        const mm = run.machine.memoryManager;
        const free = kinds.filter((k) => k === 'free').length;
        assert.strictEqual(free, state.counters.freeInZones, `step ${state.step.index}: free frames`);
        let zoneFrames = 0;
        for (const region of mm.physicalRegions)
          for (const zone of region.zones) zoneFrames += zone.pageCount;
        assert.strictEqual(zoneFrames - free, state.counters.used + mm.leakedContiguousPages);
        for (const space of state.addressSpaces)
          assert.strictEqual(index.pteRows(space.id, null, 0, 0).total, space.presentPteCount);
        if (run.interpreter.finished) break;
        stepOn(run, 1);
      }
    });
  }
});
