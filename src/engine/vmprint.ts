// A page-table hierarchy entry by entry, as the walk from CR3 meets it, and in the format of xv6's
// `vmprint`, the exercise many operating-systems courses set: the root's physical address, then one
// line per present entry, depth first, each indented by one ".." per level, with its index, the raw
// entry and the physical address it points at. xv6 has three levels on RISC-V; x86_64 has four
// (PML4, PDPT, PD, PT), so the deepest lines carry four "..". An entry with the huge-page bit in a
// PDPT or PD maps 1 GiB or 2 MiB and is not descended into.
//
// Like the hardware walk it reads only the paging structures, so a user hierarchy shows the
// kernel's shared page directory too: that is what CR3 maps.

import { PAGE_SIZE } from './constants';
import type { PageContents } from './PageContents';
import type { PageDirectory } from './PageDirectory';
import { PDE_HUGE, PTE_PRESENT, entryPaddr } from './PageTableEntry';

export const PAGING_LEVELS = ['PML4', 'PDPT', 'PD', 'PT'] as const;
const ENTRIES = 512;
/** Bytes one entry covers at each level. */
const SPAN = [2 ** 39, 2 ** 30, 2 ** 21, 2 ** 12];

/** One present entry of a paging structure. */
export interface PagingEntry {
  /** 0 for the PML4 … 3 for a page table. */
  readonly level: number;
  readonly index: number;
  /** The first virtual address the entry covers. */
  readonly vaddr: number;
  readonly low: number;
  readonly high: number;
  /** What it points at: the next structure, or the page (frame) it maps. */
  readonly paddr: number;
  /** Whether it maps memory rather than a further structure. */
  readonly leaf: boolean;
}

/** The present entries of a hierarchy, depth first (an entry, then everything below it). */
export function* pagingEntries(contents: PageContents, pd: PageDirectory): Generator<PagingEntry> {
  // An explicit stack rather than recursion; the hardware bounds the depth anyway.
  const stack = [{ frame: pd.pml4Frame, level: 0, base: 0, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= ENTRIES) {
      stack.pop();
      continue;
    }
    const index = top.next++;
    const low = contents.readWord(top.frame, 2 * index);
    if ((low & PTE_PRESENT) === 0) continue;
    const high = contents.readWord(top.frame, 2 * index + 1);
    const paddr = entryPaddr(low, high);
    const vaddr = top.base + index * SPAN[top.level]!;
    const leaf = top.level === 3 || ((top.level === 1 || top.level === 2) && (low & PDE_HUGE) !== 0);
    yield { level: top.level, index, vaddr, low, high, paddr, leaf };
    if (!leaf) stack.push({ frame: paddr / PAGE_SIZE, level: top.level + 1, base: vaddr, next: 0 });
  }
}

/** `%p` as xv6 prints it: 0x and 16 hex digits. */
function pointer(value: number | bigint): string {
  return `0x${value.toString(16).padStart(16, '0')}`;
}

function rawEntry(low: number, high: number): bigint {
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

/** The lines of `vmprint(pd)`, without line ends. */
export function vmprint(contents: PageContents, pd: PageDirectory): string[] {
  const lines = [`page table ${pointer(pd.cr3)}`];
  for (const e of pagingEntries(contents, pd))
    lines.push(
      `${'.. '.repeat(e.level)}..${e.index}: pte ${pointer(rawEntry(e.low, e.high))} pa ${pointer(e.paddr)}`,
    );
  return lines;
}
