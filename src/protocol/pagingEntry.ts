// Decoding x86_64 paging-structure entries for display. Raw entries stay bigint here because NX is
// bit 63; everything the views need (bits, frame, indices) is derived from the hex string.
import type { Hex } from './schema';
import type { PagingLevel } from './dto';

export const PAGE_SIZE = 4096;
/** Bits 51..12 hold the physical address of the next table or of the page. */
export const ENTRY_PADDR_MASK = 0x000f_ffff_ffff_f000n;

export interface EntryBit {
  /** The chip's label. */
  label: string;
  bit: number;
  set: boolean;
  /** What the bit means when set, for the chip's tooltip. */
  meaning: string;
}

const COMMON_BITS: readonly (readonly [string, number, string])[] = [
  ['P', 0, 'Present: the entry is valid'],
  ['RW', 1, 'Read/Write: writes allowed (else read-only)'],
  ['US', 2, 'User/Supervisor: user mode may access (else kernel only)'],
  ['PWT', 3, 'Page-level Write-Through'],
  ['PCD', 4, 'Page-level Cache Disable'],
  ['A', 5, 'Accessed: set by the MMU when an access used the entry'],
];

/**
 * The labelled bits of an entry. Bit 7 is PAT in a PTE but "Huge" (PS) in the upper levels, which
 * SerenityOS never sets for its 4 KiB mappings; it is shown under its real name per level.
 */
export function decodeEntryBits(raw: Hex, level: PagingLevel = 'PT'): EntryBit[] {
  const value = BigInt(raw);
  const has = (bit: number): boolean => ((value >> BigInt(bit)) & 1n) === 1n;
  const bits: EntryBit[] = COMMON_BITS.map(([label, bit, meaning]) => ({
    label,
    bit,
    set: has(bit),
    meaning,
  }));
  // Dirty is bit 6 of a PTE only; above it the bit is ignored by the MMU.
  if (level === 'PT')
    bits.push({
      label: 'D',
      bit: 6,
      set: has(6),
      meaning: 'Dirty: set by the MMU on a write through the entry',
    });
  bits.push(
    level === 'PT'
      ? {
          label: 'PAT',
          bit: 7,
          set: has(7),
          meaning: 'PAT index bit 2: with PCD/PWT selects the memory type',
        }
      : { label: 'PS', bit: 7, set: has(7), meaning: 'Page Size: maps a huge page instead of a table' },
  );
  bits.push({ label: 'G', bit: 8, set: has(8), meaning: 'Global: kept in the TLB across CR3 loads' });
  bits.push({ label: 'NX', bit: 63, set: has(63), meaning: 'No-Execute: instruction fetches fault' });
  return bits;
}

/** The physical address an entry points at (next table or page frame). */
export function entryAddress(raw: Hex): Hex {
  return toHex(BigInt(raw) & ENTRY_PADDR_MASK);
}

export function entryPresent(raw: Hex): boolean {
  return (BigInt(raw) & 1n) === 1n;
}

/**
 * The memory type the PWT/PCD/PAT bits select with SerenityOS's PAT programming (entry 4 = WC):
 * index = PAT·4 + PCD·2 + PWT; 0 WB, 1 WT, 2 UC-, 3 UC, 4 WC, 5 WT, 6 UC-, 7 UC.
 */
export function effectiveCacheType(raw: Hex): string {
  const value = BigInt(raw);
  const index = Number(((value >> 7n) & 1n) * 4n + ((value >> 4n) & 1n) * 2n + ((value >> 3n) & 1n));
  return ['WB', 'WT', 'UC-', 'UC', 'WC', 'WT', 'UC-', 'UC'][index] ?? 'WB';
}

/** The four table indices of a canonical virtual address: PML4, PDPT, PD, PT. */
export function pagingIndices(vaddr: Hex): [number, number, number, number] {
  const value = BigInt(vaddr);
  const at = (shift: bigint): number => Number((value >> shift) & 0x1ffn);
  return [at(39n), at(30n), at(21n), at(12n)];
}

export function toHex(value: bigint | number): Hex {
  return `0x${value.toString(16)}`;
}

/** Parses "0x…" or decimal user input into a hex address; null when it is not a 64-bit number. */
export function parseAddress(text: string): Hex | null {
  const trimmed = text.trim().replace(/_/g, '').toLowerCase();
  if (!/^(0x[0-9a-f]+|[0-9]+)$/.test(trimmed)) return null;
  const value = BigInt(trimmed);
  return value < 1n << 64n ? toHex(value) : null;
}

/** Byte counts as the kernel's tools print them: 4 KiB, 1.5 MiB… */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = Number.isInteger(value)
    ? String(value)
    : value.toFixed(value < 10 ? 2 : 1).replace(/\.?0+$/, '');
  return `${text} ${units[unit] ?? 'B'}`;
}
