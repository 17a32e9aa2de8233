// Constants and address helpers of the simulated x86_64 SerenityOS memory layout (`Kernel/Sections.h`, `Kernel/Memory/MemoryManager.h`).
// Addresses are plain numbers: every physical and virtual address used here stays below 2^53.

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const KiB = 1024;
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export const KERNEL_MAPPING_BASE = 0x20_0000_0000;
export const KERNEL_PD_SIZE = 0x3100_0000;
export const KERNEL_PD_END = KERNEL_MAPPING_BASE + KERNEL_PD_SIZE;
export const KERNEL_PT1024_OFFSET = 0x3fe0_0000;
export const KERNEL_PT1024_BASE = KERNEL_MAPPING_BASE + KERNEL_PT1024_OFFSET;
export const KERNEL_MAX_CPU_COUNT = 64;
export const KERNEL_QUICKMAP_PT_PER_CPU_BASE = KERNEL_PT1024_BASE + 1 * KERNEL_MAX_CPU_COUNT * PAGE_SIZE;
export const KERNEL_QUICKMAP_PD_PER_CPU_BASE = KERNEL_PT1024_BASE + 2 * KERNEL_MAX_CPU_COUNT * PAGE_SIZE;
export const KERNEL_QUICKMAP_PER_CPU_BASE = KERNEL_PT1024_BASE + 3 * KERNEL_MAX_CPU_COUNT * PAGE_SIZE;
/** The kernel's own RegionTree starts 2 MiB above the mapping base (Multiboot/EFI boot). */
export const KERNEL_VIRTUAL_RANGE_BASE = KERNEL_MAPPING_BASE + 2 * MiB;
export const MAX_KERNEL_SIZE = 0x400_0000;

export const USER_RANGE_BASE = 0x10000;
export const USER_RANGE_CEILING = KERNEL_MAPPING_BASE - 0x200_0000;
/** Largest value page_round_up accepts (`Kernel/Memory/MemoryManager.h`). */
export const MAX_ROUNDABLE = 2 ** 64 - 4096;
/** PATH_MAX of SerenityOS: mmap names longer than this are ENAMETOOLONG. */
export const PATH_MAX = 4096;

export const DEFAULT_USERSPACE_STACK_SIZE = 1 * MiB;
export const LARGE_ZONE_PAGES = 4096;
export const SMALL_ZONE_PAGES = 256;
export const BUDDY_MAX_ORDER = 12;
export const RANDOMIZED_PLACEMENT_TRIES = 1000;
/** PDPT index of the kernel's page directory (kernel_mapping_base >> 30 & 0x1ff). */
export const KERNEL_PDPT_INDEX = Math.floor(KERNEL_MAPPING_BASE / GiB) & 0x1ff;

/** Every valid virtual or physical address of the simulation is an integer below this bound. */
export const ADDRESS_LIMIT = 2 ** 64;

export function isPageAligned(v: number): boolean {
  return v % PAGE_SIZE === 0;
}

/**
 * v % PAGE_SIZE for an integer v >= 0, taken from the low 32 bits: for a number not known to be a
 * small integer (addresses often are not) optimized code computes `%` with a slow x87 loop.
 */
export function pageOffset(v: number): number {
  return (v >>> 0) & (PAGE_SIZE - 1);
}

export function pageRoundDown(v: number): number {
  return v - (v % PAGE_SIZE);
}

/** page_round_up: null stands for the EINVAL the kernel returns above 0xFFFF_FFFF_FFFF_F000. */
export function pageRoundUp(v: number): number | null {
  if (v > MAX_ROUNDABLE) return null;
  const rest = v % PAGE_SIZE;
  return rest === 0 ? v : v + (PAGE_SIZE - rest);
}

/** AK's round_up_to_power_of_two(v, p) = ((v - 1) & ~(p - 1)) + p, exact for numbers below 2^53. */
export function roundUpToPowerOfTwo(v: number, p: number): number {
  if (v === 0) return 0;
  const rest = (v - 1) % p;
  return v - 1 - rest + p;
}

export function isUserAddress(v: number): boolean {
  return v < USER_RANGE_CEILING;
}

export function isUserRange(v: number, size: number): boolean {
  if (v + size >= ADDRESS_LIMIT) return false;
  if (!isUserAddress(v)) return false;
  if (size > 1 && !isUserAddress(v + size - 1)) return false;
  return true;
}

/** expand_range_to_page_boundaries: null is the EINVAL on overflow. */
export function expandRangeToPageBoundaries(
  addr: number,
  size: number,
): { base: number; size: number } | null {
  if (addr + size >= ADDRESS_LIMIT) return null;
  const base = pageRoundDown(addr);
  const end = pageRoundUp(addr + size);
  if (end === null) return null;
  return { base, size: end - base };
}

export function countTrailingZeros(v: number): number {
  let n = 0;
  while (v > 1 && v % 2 === 0) {
    v /= 2;
    n++;
  }
  return n;
}

export function nextPowerOfTwo(v: number): number {
  let p = 1;
  while (p < v) p *= 2;
  return p;
}

export function hex(v: number): string {
  return `0x${v.toString(16)}`;
}
