// x86_64 paging-structure entries (Kernel/Arch/x86_64/PageDirectory.h), held as two 32-bit
// halves so that the hot paths never touch bigint. Bit 63 (NX) is bit 31 of the high half.

export const PTE_PRESENT = 1 << 0;
export const PTE_READ_WRITE = 1 << 1;
export const PTE_USER_SUPERVISOR = 1 << 2;
export const PTE_WRITE_THROUGH = 1 << 3;
export const PTE_CACHE_DISABLED = 1 << 4;
/**
 * Accessed and Dirty: set by the simulated MMU, never by the kernel. SerenityOS's PageTableEntry
 * (Kernel/Arch/x86_64/PageDirectory.h) has no name for them and never reads or clears them; they
 * go only when the kernel clears a whole entry (clear()), and they survive its field-by-field
 * rewrites of an entry (set_physical_page_base masks only the address bits).
 */
export const PTE_ACCESSED = 1 << 5;
/** Dirty: only in an entry that maps a page (a PTE), set by a write through it. */
export const PTE_DIRTY = 1 << 6;
/** PAT in a PTE; the same bit is Huge in a PDE. */
export const PTE_PAT = 1 << 7;
export const PDE_HUGE = 1 << 7;
export const PTE_GLOBAL = 1 << 8;
/** NoExecute, as a bit of the high half. */
export const PTE_HIGH_NX = 0x8000_0000;
const LOW_ADDRESS_MASK = 0xffff_f000;
const HIGH_ADDRESS_MASK = 0x000f_ffff;
const TWO_32 = 2 ** 32;

export type MemoryType = 'Normal' | 'NonCacheable' | 'IO';

export function entryPaddr(low: number, high: number): number {
  return (high & HIGH_ADDRESS_MASK) * TWO_32 + ((low & LOW_ADDRESS_MASK) >>> 0);
}

/** The frame an entry points at: entryPaddr / 4096 without going through the byte address. */
export function entryFrame(low: number, high: number): number {
  return (high & HIGH_ADDRESS_MASK) * 1048576 + (low >>> 12);
}

export function encodeLow(paddr: number, flags: number): number {
  // `&` already takes paddr modulo 2^32 (a floating-point remainder would be a slow x87 loop).
  return ((paddr & LOW_ADDRESS_MASK) | flags) >>> 0;
}

export function encodeHigh(paddr: number, nx: boolean): number {
  return ((Math.floor(paddr / TWO_32) & HIGH_ADDRESS_MASK) | (nx ? PTE_HIGH_NX : 0)) >>> 0;
}

/** set_memory_type: the PWT/PCD/PAT bits a memory type sets (PWT is never set). */
export function memoryTypeBits(type: MemoryType, hasPat: boolean): number {
  if (type === 'Normal') return 0;
  if (type === 'NonCacheable' && hasPat) return PTE_PAT;
  return PTE_CACHE_DISABLED;
}

export function rawEntry(low: number, high: number): bigint {
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

/** A decoded page-table entry as the inspection API shows it. */
export interface DecodedPte {
  raw: bigint;
  present: boolean;
  writable: boolean;
  user: boolean;
  writeThrough: boolean;
  cacheDisabled: boolean;
  accessed: boolean;
  dirty: boolean;
  pat: boolean;
  global: boolean;
  nx: boolean;
  paddr: number;
}

export function decodePte(low: number, high: number): DecodedPte {
  return {
    raw: rawEntry(low, high),
    present: (low & PTE_PRESENT) !== 0,
    writable: (low & PTE_READ_WRITE) !== 0,
    user: (low & PTE_USER_SUPERVISOR) !== 0,
    writeThrough: (low & PTE_WRITE_THROUGH) !== 0,
    cacheDisabled: (low & PTE_CACHE_DISABLED) !== 0,
    accessed: (low & PTE_ACCESSED) !== 0,
    dirty: (low & PTE_DIRTY) !== 0,
    pat: (low & PTE_PAT) !== 0,
    global: (low & PTE_GLOBAL) !== 0,
    nx: (high & PTE_HIGH_NX) !== 0,
    paddr: entryPaddr(low, high),
  };
}
