// The regions of one address space ordered by base address, and the three ways of finding room
// for a new one (`Kernel/Memory/RegionTree.cpp`). The kernel uses an intrusive red-black tree; a sorted array with
// binary search gives the same answers.

import { RANDOMIZED_PLACEMENT_TRIES, roundUpToPowerOfTwo } from './constants';
import { type ErrorOr, err, ok, verify } from './errors';
import type { Prng } from './Prng';
import type { Region } from './Region';
import { noteArray } from './UndoLog';

export interface VirtualRange {
  base: number;
  size: number;
}

export class RegionTree {
  readonly regions: Region[] = [];

  constructor(
    readonly totalBase: number,
    readonly totalEnd: number,
  ) {}

  totalContains(base: number, size: number): boolean {
    return base >= this.totalBase && base + size <= this.totalEnd && base + size >= base;
  }

  /** Index of the last region whose base is <= vaddr, or -1. */
  indexOfLargestNotAbove(vaddr: number): number {
    const regions = this.regions;
    let lo = 0;
    let hi = regions.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (regions[mid]!.base <= vaddr) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  findLargestNotAbove(vaddr: number): Region | null {
    const i = this.indexOfLargestNotAbove(vaddr);
    return i < 0 ? null : this.regions[i]!;
  }

  /** The region containing one address. */
  findRegionContaining(vaddr: number): Region | null {
    const region = this.findLargestNotAbove(vaddr);
    return region !== null && vaddr < region.base + region.size ? region : null;
  }

  insert(region: Region): void {
    const i = this.indexOfLargestNotAbove(region.base);
    verify(i < 0 || this.regions[i]!.base !== region.base, 'region tree keys are unique');
    noteArray(this.regions);
    this.regions.splice(i + 1, 0, region);
  }

  remove(region: Region): boolean {
    const i = this.indexOfLargestNotAbove(region.base);
    if (i < 0 || this.regions[i] !== region) return false;
    noteArray(this.regions);
    this.regions.splice(i, 1);
    return true;
  }

  /** First fit from the bottom, with the kernel's extra `alignment` bytes of slack. */
  allocateRangeAnywhere(size: number, alignment: number): ErrorOr<VirtualRange> {
    if (size === 0) return err('EINVAL');
    verify(size % 4096 === 0 && alignment % 4096 === 0, 'page-multiple size and alignment');
    if (size + alignment >= 2 ** 64) return err('EOVERFLOW');
    let windowStart = this.totalBase;
    const tryWindow = (base: number, end: number): VirtualRange | null => {
      if (end - base >= size + alignment) return { base: roundUpToPowerOfTwo(base, alignment), size };
      return null;
    };
    for (const region of this.regions) {
      if (windowStart === region.base) {
        windowStart = region.base + region.size;
        continue;
      }
      const found = tryWindow(windowStart, region.base);
      windowStart = region.base + region.size;
      if (found !== null) return ok(found);
    }
    if (windowStart >= this.totalBase && windowStart <= this.totalEnd) {
      const found = tryWindow(windowStart, this.totalEnd);
      if (found !== null) return ok(found);
    }
    return err('ENOMEM');
  }

  allocateRangeSpecific(base: number, size: number): ErrorOr<VirtualRange> {
    if (size === 0) return err('EINVAL');
    verify(base % 4096 === 0 && size % 4096 === 0, 'page-aligned specific range');
    if (!this.totalContains(base, size)) return err('ENOMEM');
    const region = this.findLargestNotAbove(base + size - 1);
    if (region === null) return ok({ base, size });
    if (region.base < base + size && region.base + region.size > base) return err('ENOMEM');
    return ok({ base, size });
  }

  allocateRangeRandomized(size: number, alignment: number, prng: Prng): ErrorOr<VirtualRange> {
    for (let attempt = 0; attempt < RANDOMIZED_PLACEMENT_TRIES; attempt++) {
      const address = roundUpToPowerOfTwo(prng.nextFlatPtrModulo(this.totalEnd), alignment);
      if (!this.totalContains(address, size)) continue;
      const range = this.allocateRangeSpecific(address, size);
      if (range.ok) return range;
    }
    return this.allocateRangeAnywhere(size, alignment);
  }
}
