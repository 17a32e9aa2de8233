// The page-table panel's data: the four-level walk of one virtual address, and the list of every
// present PTE of an address space in address order. The list is built once per machine state (a
// scan of the space's page tables) into typed arrays, so that a window of rows, a region's slice
// and the row of an address are binary searches even with millions of PTEs.

import type { Machine } from '../engine';
import { GiB, MiB, PAGE_SIZE } from '../engine/constants';
import type { PageDirectory } from '../engine/PageDirectory';
import { PTE_PRESENT, entryPaddr } from '../engine/PageTableEntry';
import type { PageWalkDto, PagingLevel, PteRowDto, WalkLevelDto } from '../protocol/dto';
import {
  type ResolvedSpace,
  isCanonical,
  parseViewAddress,
  regionContaining,
  regionIdOf,
  resolveRegion,
  resolveSpace,
} from './resolveSpace';

/** A raw entry as the protocol's hex string, from its two 32-bit halves (exact with NX set). */
export function rawHex(low: number, high: number): string {
  if (high === 0) return `0x${(low >>> 0).toString(16)}`;
  return `0x${(high >>> 0).toString(16)}${(low >>> 0).toString(16).padStart(8, '0')}`;
}

/** Every present PTE of one address space, in address order. */
export class PresentPtes {
  /** Virtual page numbers (vaddr / 4096), ascending. */
  readonly pages: Float64Array;
  readonly low: Uint32Array;
  readonly high: Uint32Array;
  readonly count: number;

  constructor(pages: Float64Array, low: Uint32Array, high: Uint32Array, count: number) {
    this.pages = pages;
    this.low = low;
    this.high = high;
    this.count = count;
  }

  /** First index whose page is ≥ `page`. */
  lowerBound(page: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pages[mid]! < page) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Scans the page tables a space owns. A process shares the kernel's page directory (PDPT entry
   * 128) with every other process; its kernel half is listed under the kernel's space, not here.
   */
  static scan(machine: Machine, pd: PageDirectory | null): PresentPtes {
    const mm = machine.memoryManager;
    const contents = mm.contents;
    let capacity = 1024;
    let pages = new Float64Array(capacity);
    let low = new Uint32Array(capacity);
    let high = new Uint32Array(capacity);
    let count = 0;
    if (pd === null) return new PresentPtes(pages, low, high, 0);
    const kernelPd = mm.kernelPageDirectory;
    for (let pdpt = 0; pdpt < 512; pdpt++) {
      const pdFrame = pd.directoryPages[pdpt]!;
      if (pdFrame < 0 || !contents.hasBuffer(pdFrame)) continue;
      if (!pd.isKernel && pdFrame === kernelPd.directoryPages[pdpt]) continue;
      for (let pde = 0; pde < 512; pde++) {
        const pdeLow = contents.readWord(pdFrame, 2 * pde);
        if ((pdeLow & PTE_PRESENT) === 0) continue;
        const ptFrame = entryPaddr(pdeLow, contents.readWord(pdFrame, 2 * pde + 1)) / PAGE_SIZE;
        const firstPage = pdpt * (GiB / PAGE_SIZE) + pde * ((2 * MiB) / PAGE_SIZE);
        // A page table's 512 entries as 1024 little-endian words.
        const words = contents.pageWords(ptFrame);
        if (words === undefined) continue;
        for (let pte = 0; pte < 512; pte++) {
          const pteLow = words[2 * pte]!;
          if ((pteLow & PTE_PRESENT) === 0) continue;
          if (count === capacity) {
            capacity *= 2;
            pages = grow(pages, new Float64Array(capacity));
            low = grow(low, new Uint32Array(capacity));
            high = grow(high, new Uint32Array(capacity));
          }
          pages[count] = firstPage + pte;
          low[count] = pteLow;
          high[count] = words[2 * pte + 1]!;
          count++;
        }
      }
    }
    return new PresentPtes(pages, low, high, count);
  }
}

function grow<T extends Float64Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Indices [first, end) of a space's PTE list that a region filter selects (all when null). */
export function pteSlice(
  space: ResolvedSpace,
  ptes: PresentPtes,
  regionId: string | null,
): { first: number; end: number; regionId: string | null } {
  if (regionId === null) return { first: 0, end: ptes.count, regionId: null };
  const region = resolveRegion(space, regionId);
  return {
    first: ptes.lowerBound(region.base / PAGE_SIZE),
    end: ptes.lowerBound(region.end / PAGE_SIZE),
    regionId,
  };
}

function checkRowRange(from: number, to: number): void {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from)
    throw new Error(`Rows ${from}..${to} are not a range of row numbers.`);
}

/** Rows [from, to) of the present PTEs (of one region when `regionId` is set); `total` is their number. */
export function pteRowsOf(
  space: ResolvedSpace,
  ptes: PresentPtes,
  regionId: string | null,
  from: number,
  to: number,
): { total: number; rows: PteRowDto[] } {
  checkRowRange(from, to);
  const slice = pteSlice(space, ptes, regionId);
  const total = slice.end - slice.first;
  const rows: PteRowDto[] = [];
  for (let i = slice.first + from; i < Math.min(slice.first + to, slice.end); i++) {
    const vaddr = ptes.pages[i]! * PAGE_SIZE;
    const region = slice.regionId ?? regionIdOrNull(space, vaddr);
    rows.push({
      vaddr: `0x${vaddr.toString(16)}`,
      raw: rawHex(ptes.low[i]!, ptes.high[i]!),
      regionId: region,
    });
  }
  return { total, rows };
}

function regionIdOrNull(space: ResolvedSpace, vaddr: number): string | null {
  const region = regionContaining(space.regions, vaddr);
  return region === null ? null : regionIdOf(region);
}

/** The row of vaddr's present PTE in the same order as `pteRowsOf`, or null when it has none. */
export function pteRowIndexOf(
  space: ResolvedSpace,
  ptes: PresentPtes,
  regionId: string | null,
  vaddr: string,
): number | null {
  const address = parseViewAddress(vaddr);
  if (address > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const page = Math.floor(Number(address) / PAGE_SIZE);
  const slice = pteSlice(space, ptes, regionId);
  const at = ptes.lowerBound(page);
  if (at >= slice.end || at < slice.first || ptes.pages[at] !== page) return null;
  return at - slice.first;
}

// ------------------------------------------------------------------------------------------ walk

const LEVELS: readonly { level: PagingLevel; shift: bigint }[] = [
  { level: 'PML4', shift: 39n },
  { level: 'PDPT', shift: 30n },
  { level: 'PD', shift: 21n },
  { level: 'PT', shift: 12n },
];

/**
 * What the MMU reads for vaddr, from CR3 down: each level's table, index and raw entry, stopping
 * at the first entry that is not present. Reads the real tables (the engine keeps PML4 and PDPT
 * in simulated memory like the rest), never faults and changes nothing.
 */
export function pageWalkIn(machine: Machine, space: ResolvedSpace, vaddr: string): PageWalkDto {
  const address = parseViewAddress(vaddr);
  if (!isCanonical(address))
    throw new Error(`${vaddr} is not canonical (bits 63..47 differ): the CPU raises #GP without a walk.`);
  const pd = space.pageDirectory;
  if (pd === null) throw new Error(`Process ${space.id} has exited: its page tables are gone.`);
  const mm = machine.memoryManager;
  const levels: WalkLevelDto[] = [];
  let table = pd.pml4Frame;
  let paddr: string | null = null;
  for (const { level, shift } of LEVELS) {
    const index = Number((address >> shift) & 0x1ffn);
    const low = mm.entryLow(table, index);
    const high = mm.entryHigh(table, index);
    levels.push({
      level,
      tableAddress: `0x${(table * PAGE_SIZE).toString(16)}`,
      index,
      raw: rawHex(low, high),
    });
    if ((low & PTE_PRESENT) === 0) break;
    const next = entryPaddr(low, high);
    if (level === 'PT') paddr = `0x${(BigInt(next) + (address & 0xfffn)).toString(16)}`;
    else table = next / PAGE_SIZE;
  }
  const region =
    address <= BigInt(Number.MAX_SAFE_INTEGER) ? regionContaining(space.regions, Number(address)) : null;
  return {
    spaceId: space.id,
    vaddr: `0x${address.toString(16)}`,
    levels,
    paddr,
    regionId: region === null ? null : regionIdOf(region),
  };
}

/** The walk of vaddr in an address space of the machine's current state. */
export function pageWalk(machine: Machine, spaceId: string, vaddr: string): PageWalkDto {
  return pageWalkIn(machine, resolveSpace(machine, spaceId), vaddr);
}
