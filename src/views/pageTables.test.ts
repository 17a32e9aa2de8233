import * as assert from 'assert';
import { Machine } from '../engine';
import { GiB } from '../engine/constants';
import { PageWalkDto, PteRowDto } from '../protocol/dto';
import { decodeEntryBits, entryAddress } from '../protocol/pagingEntry';
import { arr } from '../protocol/schema';
import { MachineStateIndex, pteRowIndex, pteRows } from './machineState';
import { pageWalk } from './pageTables';
import { evaluate, runScenario, stateOf, valid } from './stateTestSupport';

const hex = (value: bigint | number): string => `0x${value.toString(16)}`;

function setBits(raw: string, level: 'PT' | 'PD' = 'PT'): string[] {
  return decodeEntryBits(raw, level)
    .filter((bit) => bit.set)
    .map((bit) => bit.label);
}

describe('page tables', () => {
  const run = runScenario(`
machine ram=64M
process p
let buf = mmap(p, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
let other = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, name="other")
write p buf + PAGE_SIZE + 12, 1
let regs = MM.allocate_mmio_kernel_region(0xFEB00000, PAGE_SIZE, "e1000 registers", ReadWrite)
process q
`);
  const machine = run.machine;
  const p = machine.process(1)!;
  const buf = Number(evaluate(run, 'buf'));

  describe('the walk of one address', () => {
    it('reads PML4, PDPT, PD and PT from CR3 down to the page', () => {
      const vaddr = buf + 4096 + 12;
      const walk = valid(PageWalkDto, pageWalk(machine, 'pid:1', hex(vaddr)));
      assert.deepStrictEqual(
        walk.levels.map((l) => l.level),
        ['PML4', 'PDPT', 'PD', 'PT'],
      );
      assert.strictEqual(walk.levels[0]!.tableAddress, hex(p.space.pageDirectory.cr3));
      assert.deepStrictEqual(
        walk.levels.map((l) => l.index),
        [0, Math.floor(vaddr / GiB) % 512, Math.floor(vaddr / 2 ** 21) % 512, Math.floor(vaddr / 4096) % 512],
      );
      // Each entry points at the next level's table.
      for (let i = 0; i < 3; i++)
        assert.strictEqual(entryAddress(walk.levels[i]!.raw), walk.levels[i + 1]!.tableAddress);
      assert.strictEqual(walk.paddr, hex(machine.translate(p, vaddr)!));
      // The page was written: the MMU set Accessed and Dirty.
      assert.deepStrictEqual(setBits(walk.levels[3]!.raw), ['P', 'RW', 'US', 'A', 'D', 'NX']);
      assert.strictEqual(walk.regionId, String(machine.regionAt(p, vaddr)!.id));
      assert.strictEqual(walk.spaceId, 'pid:1');
    });

    it('shows the caching bits of an MMIO page: PCD without PAT, supervisor only', () => {
      const regs = evaluate(run, 'regs.vaddr');
      const walk = valid(PageWalkDto, pageWalk(machine, 'kernel', hex(regs)));
      const pt = walk.levels[3]!;
      // G is left over from the entry initialize_physical_pages wrote there (the page-entry array's
      // last page table maps all 512 entries, globally): map_individual_page_impl never touches G.
      assert.deepStrictEqual(setBits(pt.raw), ['P', 'RW', 'PCD', 'G', 'NX']);
      assert.strictEqual(entryAddress(pt.raw), '0xfeb00000');
      assert.strictEqual(walk.paddr, '0xfeb00000');
      // The region is placed first-fit after the page-entry array, in the 2 MiB that the array's
      // last page table covers: its PDE is the one initialize_physical_pages wrote (no US bit),
      // not one of ensure_pte's.
      assert.deepStrictEqual(setBits(walk.levels[2]!.raw, 'PD'), ['P', 'RW', 'G']);
    });

    it('stops at the first entry that is not present', () => {
      const lazyPage = pageWalk(machine, 'pid:1', hex(buf + 3 * 4096));
      // A lazily committed page is mapped read-only onto the lazy committed page.
      assert.strictEqual(lazyPage.levels.length, 4);
      const noTable = valid(PageWalkDto, pageWalk(machine, 'pid:1', '0x40000000'));
      assert.strictEqual(noTable.levels.length, 3);
      assert.strictEqual(noTable.levels[2]!.raw, '0x0');
      assert.strictEqual(noTable.paddr, null);
      assert.strictEqual(noTable.regionId, null);
      const noPdpt = pageWalk(machine, 'pid:1', hex(2 ** 39));
      assert.strictEqual(noPdpt.levels.length, 1);
      assert.strictEqual(noPdpt.levels[0]!.index, 1);
      const upperHalf = valid(PageWalkDto, pageWalk(machine, 'kernel', '0xffff800000001000'));
      assert.strictEqual(upperHalf.levels.length, 1);
      assert.strictEqual(upperHalf.levels[0]!.index, 256);
    });

    it('refuses what has no walk, with a reason', () => {
      assert.throws(() => pageWalk(machine, 'pid:1', '0x800000000000'), /not canonical/);
      assert.throws(() => pageWalk(machine, 'pid:1', 'banana'), /not an address/);
      assert.throws(() => pageWalk(machine, 'pid:1', '0x10000000000000000'), /64 bits/);
      assert.throws(() => pageWalk(machine, 'pid:9', '0x1000'), /no address space "pid:9"/);
      const exited = runScenario('machine ram=64M\nprocess p\nexit p\n');
      assert.throws(() => pageWalk(exited.machine, 'pid:1', '0x1000'), /has exited/);
    });
  });

  describe('the present PTEs of a space', () => {
    const state = stateOf(run);
    const all = pteRows(machine, 'pid:1', null, 0, 1000);

    it('are as many as the state says, in address order, each with its region', () => {
      valid(arr(PteRowDto), all.rows);
      const space = state.addressSpaces.find((s) => s.id === 'pid:1')!;
      assert.strictEqual(all.total, space.presentPteCount);
      assert.strictEqual(all.rows.length, all.total);
      // Four pages of buf and two of other, all present (the lazy and zero pages read-only).
      assert.strictEqual(all.total, 6);
      const addresses = all.rows.map((r) => BigInt(r.vaddr));
      assert.deepStrictEqual(
        addresses,
        [...addresses].sort((a, b) => (a < b ? -1 : 1)),
      );
      for (const row of all.rows) {
        const region = machine.regionAt(p, Number(row.vaddr));
        assert.strictEqual(row.regionId, String(region!.id));
        const pte = machine.pte(p, Number(row.vaddr))!;
        assert.strictEqual(row.raw, hex(pte.raw));
      }
    });

    it('are filtered by region, and windowed', () => {
      const bufId = String(machine.regionAt(p, buf)!.id);
      const ofBuf = pteRows(machine, 'pid:1', bufId, 0, 100);
      assert.strictEqual(ofBuf.total, 4);
      assert.deepStrictEqual(
        ofBuf.rows.map((r) => r.vaddr),
        [0, 1, 2, 3].map((i) => hex(buf + i * 4096)),
      );
      assert.ok(ofBuf.rows.every((r) => r.regionId === bufId));
      const window = pteRows(machine, 'pid:1', bufId, 1, 3);
      assert.deepStrictEqual(window, { total: 4, rows: ofBuf.rows.slice(1, 3) });
      assert.deepStrictEqual(pteRows(machine, 'pid:1', bufId, 10, 20), { total: 4, rows: [] });
    });

    it('find the row of an address, in the same order', () => {
      const bufId = String(machine.regionAt(p, buf)!.id);
      assert.strictEqual(pteRowIndex(machine, 'pid:1', bufId, hex(buf + 2 * 4096 + 5)), 2);
      for (const [i, row] of all.rows.entries())
        assert.strictEqual(pteRowIndex(machine, 'pid:1', null, row.vaddr), i);
      assert.strictEqual(pteRowIndex(machine, 'pid:1', null, '0x40000000'), null);
      const otherId = String(machine.regionAt(p, Number(evaluate(run, 'other')))!.id);
      assert.strictEqual(pteRowIndex(machine, 'pid:1', otherId, hex(buf)), null);
    });

    it('leave the kernel half to the kernel space', () => {
      const kernelTotal = pteRows(machine, 'kernel', null, 0, 0).total;
      const kernel = pteRows(machine, 'kernel', null, 0, kernelTotal);
      const regs = hex(evaluate(run, 'regs.vaddr'));
      assert.ok(kernel.rows.some((r) => r.vaddr === regs));
      assert.ok(all.rows.every((r) => BigInt(r.vaddr) < 0x20_0000_0000n));
      assert.deepStrictEqual(pteRows(machine, 'pid:2', null, 0, 10), { total: 0, rows: [] });
    });

    it('refuse bad ranges and unknown regions', () => {
      assert.throws(() => pteRows(machine, 'pid:1', null, 5, 2), /not a range/);
      assert.throws(() => pteRows(machine, 'pid:1', null, -1, 2), /not a range/);
      assert.throws(() => pteRows(machine, 'pid:1', '999', 0, 2), /has no region 999/);
    });
  });

  describe('with a million present PTEs', function () {
    // Building the machine (4 GiB allocated and mapped page by page) is the slow part.
    this.timeout(120_000);
    let index: MachineStateIndex;
    let base = 0;
    let regionId = '';

    before(() => {
      const big = Machine.boot({ ram: 5 * GiB });
      big.setEventRecording(false);
      const process = big.createProcess('big');
      assert.strictEqual(process.kind, 'ok');
      if (process.kind !== 'ok') return;
      const region = big.allocateRegion(process.value, false, 0, 4 * GiB, 4096, 'huge', 3, 'AllocateNow');
      assert.strictEqual(region.kind, 'ok');
      if (region.kind !== 'ok') return;
      base = region.value.base;
      regionId = String(region.value.id);
      index = new MachineStateIndex(big);
    });

    it('lists them all, and answers any window and any address', () => {
      const first = index.pteRows('pid:1', null, 0, 50);
      assert.strictEqual(first.total, 1024 * 1024);
      assert.strictEqual(first.rows[0]!.vaddr, hex(base));
      const last = index.pteRows('pid:1', null, first.total - 3, first.total + 10);
      assert.deepStrictEqual(
        last.rows.map((r) => r.vaddr),
        [3, 2, 1].map((i) => hex(base + 4 * GiB - i * 4096)),
      );
      assert.strictEqual(index.pteRowIndex('pid:1', null, hex(base + 4 * GiB - 4096)), first.total - 1);
      assert.strictEqual(index.pteRowIndex('pid:1', null, hex(base + 123_456 * 4096)), 123_456);
      assert.strictEqual(index.pteRows('pid:1', regionId, 0, 1).total, 1024 * 1024);
    });
  });
});
