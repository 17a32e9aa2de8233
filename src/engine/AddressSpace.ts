// A process's address space (`Kernel/Memory/AddressSpace.cpp`): its page directory and region tree, region
// creation, lookups, splitting and the amount_* accounting.

import { AnonymousVMObject, type AllocationStrategy } from './AnonymousVMObject';
import { MiB, PAGE_SIZE, USER_RANGE_BASE, USER_RANGE_CEILING, pageRoundUp } from './constants';
import { type ErrorOr, err, ok, verify } from './errors';
import type { InodeVMObject } from './InodeVMObject';
import type { MemoryManager } from './MemoryManager';
import type { PageDirectory } from './PageDirectory';
import type { MemoryType } from './PageTableEntry';
import { Region } from './Region';
import { RegionTree, type VirtualRange } from './RegionTree';
import type { VMObject } from './VMObject';
import { noteArray, noteObject } from './UndoLog';

export type RandomizeVirtualAddress = boolean;

/** prot_to_region_access_flags: PROT_READ/WRITE/EXEC map 1:1 onto Read/Write/Execute. */
export function protToAccess(prot: number): number {
  return prot & 7;
}

export class AddressSpace {
  readonly regionTree: RegionTree;
  enforcesSyscallRegions = false;

  constructor(
    readonly mm: MemoryManager,
    readonly id: number,
    readonly pageDirectory: PageDirectory,
    totalBase: number,
  ) {
    this.regionTree = new RegionTree(totalBase, USER_RANGE_CEILING);
  }

  /** try_create: a fresh page directory and the 0 or 1 MiB random base (or the parent's range). */
  static tryCreate(mm: MemoryManager, id: number, parent: AddressSpace | null): ErrorOr<AddressSpace> {
    const pd = mm.tryCreateUserPageDirectory(id);
    if (!pd.ok) return err(pd.errno);
    let base: number;
    if (parent !== null) {
      base = parent.regionTree.totalBase;
    } else {
      // The kernel writes `get_fast_random<u8>() % 2 * MiB`: precedence makes it 0 or 1 MiB.
      base = USER_RANGE_BASE + (mm.prng.nextU8() % 2) * MiB;
    }
    return ok(new AddressSpace(mm, id, pd.value, base));
  }

  get regions(): readonly Region[] {
    return this.regionTree.regions;
  }

  private place(region: Region, randomize: boolean, requested: number, size: number, alignment: number) {
    const tree = this.regionTree;
    const range =
      requested !== 0
        ? tree.allocateRangeSpecific(requested, size)
        : randomize
          ? tree.allocateRangeRandomized(size, alignment, this.mm.prng)
          : tree.allocateRangeAnywhere(size, alignment);
    if (!range.ok) return range;
    this.insert(region, range.value);
    return range;
  }

  /** Puts a region at a range that is known to be free (place_specifically / place_anywhere). */
  insert(region: Region, range: VirtualRange): void {
    noteObject(region);
    region.base = range.base;
    region.size = range.size;
    region.spaceId = this.id;
    region.placed = true;
    this.regionTree.insert(region);
    if (this.mm.events.enabled)
      this.mm.events.push({
        kind: 'region_created',
        space: this.id,
        regionId: region.id,
        base: region.base,
        size: region.size,
        name: region.name,
      });
  }

  /** allocate_region: an anonymous, non-mmap region (ELF data, the main stack). */
  allocateRegion(
    randomize: RandomizeVirtualAddress,
    requestedAddress: number,
    requestedSize: number,
    requestedAlignment: number,
    name: string,
    prot: number,
    strategy: AllocationStrategy,
  ): ErrorOr<Region> {
    if (requestedAddress % PAGE_SIZE !== 0) return err('EINVAL');
    const size = pageRoundUp(requestedSize);
    const alignment = pageRoundUp(requestedAlignment);
    if (size === null || alignment === null) return err('EINVAL');
    if (size === 0) return err('EINVAL');
    const object = AnonymousVMObject.tryCreateWithSize(this.mm, size, strategy, this.id);
    if (!object.ok) return err(object.errno);
    const region = new Region(this.mm, 0, size, object.value, 0, name, protToAccess(prot), 'Normal', false);
    const placed = this.place(region, randomize, requestedAddress, size, alignment);
    if (!placed.ok) {
      region.destroy();
      return err(placed.errno);
    }
    const mapped = region.map(this.pageDirectory, false);
    if (!mapped.ok) {
      this.regionTree.remove(region);
      region.destroy();
      return err(mapped.errno);
    }
    return ok(region);
  }

  /** allocate_region_with_vmobject (AddressSpace::allocate_region_with_vmobject). */
  allocateRegionWithVMObject(
    randomize: RandomizeVirtualAddress,
    requestedAddress: number,
    requestedSize: number,
    requestedAlignment: number,
    object: VMObject,
    offset: number,
    name: string,
    prot: number,
    shared: boolean,
    memoryType: MemoryType = 'Normal',
  ): ErrorOr<Region> {
    const fail = (errno: Parameters<typeof err>[0]): ErrorOr<Region> => {
      object.releaseIfUnused();
      return err(errno);
    };
    if (requestedAddress % PAGE_SIZE !== 0) return fail('EINVAL');
    const size = pageRoundUp(requestedSize);
    const alignment = pageRoundUp(requestedAlignment);
    if (size === null || alignment === null) return fail('EINVAL');
    if (offset + requestedSize >= 2 ** 64) return fail('EOVERFLOW');
    if (offset >= object.size) return fail('EINVAL');
    if (offset + requestedSize > object.size) return fail('EINVAL');
    const pageOffset = offset - (offset % PAGE_SIZE);
    const region = new Region(
      this.mm,
      0,
      size,
      object,
      pageOffset,
      name,
      protToAccess(prot),
      memoryType,
      shared,
    );
    const placed = this.place(region, randomize, requestedAddress, size, alignment);
    if (!placed.ok) {
      region.destroy();
      return err(placed.errno);
    }
    if (prot === 0) {
      region.setPageDirectory(this.pageDirectory);
      return ok(region);
    }
    const mapped = region.map(this.pageDirectory, false);
    if (!mapped.ok) {
      this.regionTree.remove(region);
      region.destroy();
      return err(mapped.errno);
    }
    return ok(region);
  }

  /** take_region + destroy. */
  deallocateRegion(region: Region): void {
    const removed = this.regionTree.remove(region);
    verify(removed, 'region was in the tree');
    region.destroy();
  }

  takeRegion(region: Region): void {
    const removed = this.regionTree.remove(region);
    verify(removed, 'region was in the tree');
  }

  /** find_region_from_range: same base and page-rounded size. */
  findRegionFromRange(base: number, size: number): Region | null {
    const region = this.regionTree.findLargestNotAbove(base);
    if (region === null || region.base !== base) return null;
    return region.size === pageRoundUp(size) ? region : null;
  }

  /** find_region_containing: the region holding the whole range. */
  findRegionContaining(base: number, size: number): Region | null {
    const region = this.regionTree.findLargestNotAbove(base);
    if (region === null) return null;
    return base >= region.base && base + size <= region.end ? region : null;
  }

  /** find_regions_intersecting, with its quirk: nothing if no region starts at or below base. */
  findRegionsIntersecting(base: number, size: number): Region[] {
    const tree = this.regionTree;
    const start = tree.indexOfLargestNotAbove(base);
    if (start < 0) return [];
    const end = base + size;
    const out: Region[] = [];
    for (let i = start; i < tree.regions.length; i++) {
      const region = tree.regions[i]!;
      if (region.base >= end) break;
      if (region.end > base) out.push(region);
    }
    return out;
  }

  /** try_split_region_around_range: the 1 or 2 pieces around `range`, placed but not mapped. */
  trySplitRegionAroundRange(source: Region, base: number, size: number): Region[] {
    const pieces: VirtualRange[] = [];
    if (base > source.base) pieces.push({ base: source.base, size: base - source.base });
    if (base + size < source.end) pieces.push({ base: base + size, size: source.end - (base + size) });
    verify(pieces.length > 0, 'carve result is not empty');
    const regions = pieces.map((piece) =>
      this.tryAllocateSplitRegion(source, piece, source.offsetInVMObject + (piece.base - source.base)),
    );
    if (this.mm.events.enabled)
      this.mm.events.push({
        kind: 'region_split',
        space: this.id,
        regionId: source.id,
        pieces: regions.map((r) => ({ regionId: r.id, base: r.base, size: r.size })),
      });
    return regions;
  }

  /** try_allocate_split_region: a new region on the same VMObject with most flags copied. */
  tryAllocateSplitRegion(source: Region, range: VirtualRange, offset: number): Region {
    const region = new Region(
      this.mm,
      range.base,
      range.size,
      source.vmobject,
      offset,
      source.name,
      source.access,
      source.memoryType,
      source.shared,
    );
    region.syscallRegion = source.syscallRegion;
    region.mmap = source.mmap;
    region.mmappedFromReadable = source.mmappedFromReadable;
    region.mmappedFromWritable = source.mmappedFromWritable;
    region.stack = source.stack;
    const placed = this.regionTree.allocateRangeSpecific(range.base, range.size);
    verify(placed.ok, 'split piece can be placed');
    this.insert(region, range);
    return region;
  }

  /** remove_all_regions: unmap everything without TLB flushes, then destroy the regions. */
  removeAllRegions(): void {
    const regions = this.regionTree.regions.slice();
    for (const region of regions) region.unmap(false);
    noteArray(this.regionTree.regions);
    this.regionTree.regions.length = 0;
    for (const region of regions) region.destroy(false);
  }

  // Amounts (AddressSpace::amount_*) ---------------------------------------------------------------

  amountVirtual(): number {
    let n = 0;
    for (const region of this.regions) n += region.size;
    return n;
  }

  amountResident(): number {
    let n = 0;
    for (const region of this.regions) n += region.amountResident();
    return n;
  }

  amountShared(): number {
    let n = 0;
    for (const region of this.regions) n += region.amountShared();
    return n;
  }

  amountDirtyPrivate(): number {
    let n = 0;
    for (const region of this.regions) if (!region.shared) n += region.amountDirty();
    return n;
  }

  amountCleanInode(): number {
    const seen = new Set<VMObject>();
    let n = 0;
    for (const region of this.regions) {
      const object = region.vmobject;
      if (object === null || !object.isInode() || seen.has(object)) continue;
      seen.add(object);
      n += (object as InodeVMObject).amountClean();
    }
    return n;
  }

  private amountPurgeable(volatile: boolean): number {
    let n = 0;
    for (const region of this.regions) {
      const object = region.vmobject;
      if (object === null || object.kind !== 'Anonymous') continue;
      const anonymous = object as AnonymousVMObject;
      if (anonymous.purgeable && anonymous.volatile === volatile) n += region.amountResident();
    }
    return n;
  }

  amountPurgeableVolatile(): number {
    return this.amountPurgeable(true);
  }

  amountPurgeableNonvolatile(): number {
    return this.amountPurgeable(false);
  }
}
