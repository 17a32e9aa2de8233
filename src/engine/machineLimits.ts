// What a machine may be: the limits of the options MMU Lens boots, said once. Boot refuses an
// option past them (BootError); the scenario checker calls the same functions on the literal values
// of the machine and memory lines, so a scenario that checks also boots.

import {
  KERNEL_MAX_CPU_COUNT,
  KERNEL_PD_END,
  KERNEL_VIRTUAL_RANGE_BASE,
  MAX_KERNEL_SIZE,
  MiB,
  PAGE_SIZE,
} from './constants';

const GiB = 1024 * MiB;

/** The least RAM and the most MMU Lens boots. */
export const MIN_RAM = 2 * MiB;
export const MAX_RAM = 1024 * GiB;
/**
 * The kernel image's last pages hold the boot paging structures: the PML4, the PDPT, the kernel's
 * page directory, the quickmap page table, and one page table per 2 MiB of the image that maps it.
 * Five pages is the least image that holds its own.
 */
export const MIN_KERNEL_SIZE = 5 * PAGE_SIZE;

/** Page tables that map the kernel image (one per 2 MiB of it). */
export function kernelImagePageTables(kernelSize: number): number {
  return Math.ceil(kernelSize / (2 * MiB));
}

/**
 * The kernel RegionTree's first region covers the kernel image from the 2 MiB boundary below it to
 * the one above its end plus 2 MiB (`Kernel/Memory/MemoryManager.cpp initialize_physical_pages`
 * rounds the end down and adds 2 MiB, so an image that ends on a boundary gets 2 MiB more).
 */
export function kernelImageRegionSize(kernelSize: number): number {
  return (Math.floor(kernelSize / (2 * MiB)) + 1) * 2 * MiB;
}
/** x86_64 physical addresses have at most 52 bits (the PTE address mask ends at bit 51). */
export const PHYSICAL_ADDRESS_LIMIT = 2 ** 52;

const hex = (value: number): string => `0x${value.toString(16).toUpperCase()}`;

export function cpusProblem(cpus: number): string | null {
  return Number.isInteger(cpus) && cpus >= 1 && cpus <= KERNEL_MAX_CPU_COUNT
    ? null
    : `cpus=${cpus} is out of range; expected 1..${KERNEL_MAX_CPU_COUNT} (KERNEL_MAX_CPU_COUNT is ${KERNEL_MAX_CPU_COUNT}).`;
}

export function kernelSizeProblem(size: number): string | null {
  if (
    Number.isSafeInteger(size) &&
    size % PAGE_SIZE === 0 &&
    size >= MIN_KERNEL_SIZE &&
    size <= MAX_KERNEL_SIZE
  )
    return null;
  return `kernel_size=${hex(size)} is invalid; expected a multiple of 4096 from 20K (the image's last pages hold the boot paging structures) up to 64M (MAX_KERNEL_SIZE).`;
}

export function ramProblem(ram: number): string | null {
  if (ram > MAX_RAM) return `ram=${hex(ram)} is above the 1 TiB MMU Lens simulates.`;
  if (!Number.isSafeInteger(ram) || ram % PAGE_SIZE !== 0)
    return `ram=${hex(ram)} is not a multiple of the page size (4096).`;
  if (ram < MIN_RAM) return `ram=${hex(ram)} is below the 2 MiB MMU Lens boots.`;
  return null;
}

/** A range of the physical memory map (END excluded). */
export function memoryRangeProblem(base: number, size: number): string | null {
  if (!(size > 0) || !(base >= 0) || base + size > PHYSICAL_ADDRESS_LIMIT)
    return `The range ${hex(base)}+${hex(size)} is not within the 52-bit physical address space.`;
  return null;
}

/**
 * The array of physical page entries (8 bytes per page up to the highest usable address) is mapped
 * beside the kernel image in the kernel's one page directory; a map whose array cannot fit there
 * does not boot.
 */
export function pageEntryArrayProblem(highestUsableEnd: number, kernelSize: number): string | null {
  const entries = Math.max(Math.ceil(highestUsableEnd / PAGE_SIZE), (MiB + kernelSize) / PAGE_SIZE);
  const arrayBytes = Math.ceil((entries * 8) / PAGE_SIZE) * PAGE_SIZE;
  const imageSpan = kernelImageRegionSize(kernelSize);
  if (arrayBytes <= KERNEL_PD_END - KERNEL_VIRTUAL_RANGE_BASE - imageSpan) return null;
  return `Usable memory up to ${hex(highestUsableEnd)} needs a page-entry array of ${Math.ceil(arrayBytes / MiB)} MiB, more than the kernel's virtual space beside its image holds: no kernel virtual space for the page-entry array.`;
}
