// The machine's state as the panels see it: every address space with its regions and page strips,
// the physical regions and zones, the counters, the frame map and the DMA/MMIO map, as the
// protocol's DTOs. Everything here reads the engine's public state and changes nothing.
//
// A MachineStateIndex belongs to one machine state: it computes what several answers share (the
// present PTEs of each space, the frame owners, the device regions) once, on first use. Whoever
// keeps it must drop it when the machine moves on.

import type { Machine, Process, Region } from '../engine';
import type { AnonymousVMObject } from '../engine/AnonymousVMObject';
import { PAGE_SIZE } from '../engine/constants';
import type { InodeVMObject } from '../engine/InodeVMObject';
import type { MMIOVMObject } from '../engine/MMIOVMObject';
import { NULL_FRAME } from '../engine/VMObject';
import { encodeBase64 } from '../protocol/base64';
import type {
  AddressSpaceAmountsDto,
  AddressSpaceDto,
  DeviceMappingDto,
  DmaMmioDto,
  FrameInfoDto,
  MachineStateDto,
  MemoryMapEntryDto,
  PageWalkDto,
  PhysicalRegionDto,
  PteRowDto,
  RegionDto,
  StepInfoDto,
  SystemCountersDto,
  UsedRangeDto,
  VMObjectDto,
} from '../protocol/dto';
import {
  KERNEL_SPACE,
  type SpaceRef,
  formatMemoryReference,
  processSpace,
  viewSpaceId,
  virtualMemory,
} from '../protocol/addressSpaces';
import { type ResolvedSpace, regionContaining, regionIdOf, resolveSpace } from './resolveSpace';
import { accessText, regionFlags } from '../debug/describe';
import { type DeviceKind, classifyDeviceRegions } from './deviceRegions';
import { frameKindName, frameKinds } from './frameOwners';
import { PresentPtes, pageWalkIn, pteRowIndexOf, pteRowsOf, rawHex } from './pageTables';

const hex = (value: number): string => `0x${value.toString(16)}`;

/**
 * Base64 of the frame map. Node's Buffer encodes a megabyte in about a millisecond, the protocol's
 * portable encoder (which the webview needs) in about half a second; both give the same text.
 */
export function frameMapBase64(kinds: Uint8Array): string {
  return typeof Buffer === 'function'
    ? Buffer.from(kinds.buffer, kinds.byteOffset, kinds.byteLength).toString('base64')
    : encodeBase64(kinds);
}

/** What the answers about one machine state share, computed on first use. */
export class MachineStateIndex {
  private readonly ptesBySpace = new Map<string, PresentPtes>();
  private devices: Map<Region, DeviceKind> | null = null;
  private kinds: Uint8Array | null = null;

  constructor(readonly machine: Machine) {}

  space(spaceId: string): ResolvedSpace {
    return resolveSpace(this.machine, spaceId);
  }

  /** The present PTEs of a space in address order. */
  presentPtes(spaceId: string): PresentPtes {
    let ptes = this.ptesBySpace.get(spaceId);
    if (ptes === undefined) {
      ptes = PresentPtes.scan(this.machine, this.space(spaceId).pageDirectory);
      this.ptesBySpace.set(spaceId, ptes);
    }
    return ptes;
  }

  deviceRegions(): Map<Region, DeviceKind> {
    return (this.devices ??= classifyDeviceRegions(this.machine));
  }

  /** One FRAME_KINDS index per frame. */
  frameKinds(): Uint8Array {
    return (this.kinds ??= frameKinds(this.machine, this.deviceRegions()));
  }

  pageWalk(spaceId: string, vaddr: string): PageWalkDto {
    return pageWalkIn(this.machine, this.space(spaceId), vaddr);
  }

  pteRows(
    spaceId: string,
    regionId: string | null,
    from: number,
    to: number,
  ): { total: number; rows: PteRowDto[] } {
    return pteRowsOf(this.space(spaceId), this.presentPtes(spaceId), regionId, from, to);
  }

  pteRowIndex(spaceId: string, regionId: string | null, vaddr: string): number | null {
    return pteRowIndexOf(this.space(spaceId), this.presentPtes(spaceId), regionId, vaddr);
  }

  /** A frame's owner, reference count, zone and every present PTE that maps it. */
  frameInfo(frame: number): FrameInfoDto {
    const kinds = this.frameKinds();
    if (!Number.isSafeInteger(frame) || frame < 0 || frame >= kinds.length)
      throw new Error(`Frame ${frame} is outside the frame map (frames 0 to ${kinds.length - 1}).`);
    const mm = this.machine.memoryManager;
    const allocated = mm.entries.isAllocated(frame);
    return {
      frame,
      kind: frameKindName(kinds[frame]!),
      refCount: allocated ? mm.entries.refCount[frame]! : null,
      zoneId: zoneIdOf(this.machine, frame),
      mappings: this.mappingsOf(frame),
    };
  }

  /** Like Machine.mappingsOf, from the PTE lists: every live space's present PTEs mapping the frame. */
  private mappingsOf(frame: number): FrameInfoDto['mappings'] {
    const out: FrameInfoDto['mappings'] = [];
    const lowWanted = (frame % 0x100000) * PAGE_SIZE;
    const highWanted = Math.floor(frame / 0x100000);
    for (const spaceId of this.liveSpaceIds()) {
      const ptes = this.presentPtes(spaceId);
      const space = this.space(spaceId);
      for (let i = 0; i < ptes.count; i++) {
        if ((ptes.low[i]! & 0xfffff000) >>> 0 !== lowWanted || (ptes.high[i]! & 0xfffff) !== highWanted)
          continue;
        const vaddr = ptes.pages[i]! * PAGE_SIZE;
        const region = regionContaining(space.regions, vaddr);
        out.push({ spaceId, vaddr: hex(vaddr), regionId: region === null ? null : regionIdOf(region) });
      }
    }
    return out;
  }

  private liveSpaceIds(): string[] {
    const ids = [viewSpaceId(KERNEL_SPACE)];
    for (const process of this.machine.processes())
      if (process.alive) ids.push(viewSpaceId(processSpace(process.pid)));
    return ids;
  }
}

function zoneIdOf(machine: Machine, frame: number): string | null {
  const regions = machine.memoryManager.physicalRegions;
  for (let r = 0; r < regions.length; r++) {
    const zones = regions[r]!.zones;
    for (let z = 0; z < zones.length; z++) if (zones[z]!.containsFrame(frame)) return `${r}:${z}`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------- regions

function vmobjectDto(region: Region): VMObjectDto | null {
  const object = region.vmobject;
  if (object === null) return null;
  const anonymous = object.kind === 'Anonymous' ? (object as AnonymousVMObject) : null;
  return {
    kind: object.kind,
    id: object.id,
    pageCount: object.pageCount,
    purgeable: anonymous?.purgeable ?? false,
    volatile: anonymous?.volatile ?? false,
    path: object.isInode() ? (object as InodeVMObject).inode.path : null,
  };
}

const N = 78; // 'N'
const Z = 90; // 'Z'
const L = 76; // 'L'
const R = 82; // 'R'
const C = 67; // 'C'
const D = 68; // 'D'
const V = 86; // 'V'
const decoder = new TextDecoder();

/** A region's page strip and the per-page amounts, from one pass over its VMObject slots. */
interface RegionPages {
  readonly strip: string;
  /** Pages holding a real page (not the shared zero or lazy committed page). */
  readonly resident: number;
  /** Resident pages whose page has more than one reference. */
  readonly shared: number;
}

/**
 * One letter per page of the region, from its VMObject slot:
 * N the slot is empty (no page; for an MMIO region: not mapped), Z the shared zero page, L the lazy
 * committed page, and for a real page, first match wins: V the object is purgeable and volatile,
 * C the anonymous object's COW bit is set for it in a private region, D an inode page written since
 * its last sync, R otherwise. An MMIO page is R when its PTE is present.
 */
export function regionPages(machine: Machine, region: Region): RegionPages {
  const count = region.pageCount;
  const letters = new Uint8Array(count);
  const object = region.vmobject;
  const mm = machine.memoryManager;
  // An unbacked region's pages are whatever the boot page tables map, as for an MMIO region.
  if (object === null || object.kind === 'MMIO') {
    const pd = region.pageDirectory;
    for (let i = 0; i < count; i++) {
      const pte = pd === null ? null : mm.lookupPte(pd, region.base + i * PAGE_SIZE);
      letters[i] = pte !== null && (pte[0] & 1) !== 0 ? R : N;
    }
    return { strip: decoder.decode(letters), resident: 0, shared: 0 };
  }
  const zero = mm.sharedZeroFrame;
  const lazy = mm.lazyCommittedFrame;
  const refCount = mm.entries.refCount;
  const anonymous = object.kind === 'Anonymous' ? (object as AnonymousVMObject) : null;
  const volatile = anonymous !== null && anonymous.purgeable && anonymous.volatile;
  const cowMap = anonymous !== null && !region.shared ? anonymous.cowMap : null;
  const dirty = object.isInode() ? (object as InodeVMObject).dirtyPages : null;
  const first = region.firstPageIndex;
  const pages = object.pages;
  let resident = 0;
  let shared = 0;
  for (let i = 0; i < count; i++) {
    const slot = first + i;
    const frame = pages[slot] ?? NULL_FRAME;
    if (frame === NULL_FRAME) letters[i] = N;
    else if (frame === zero) letters[i] = Z;
    else if (frame === lazy) letters[i] = L;
    else {
      resident++;
      if (refCount[frame]! > 1) shared++;
      if (volatile) letters[i] = V;
      else if (cowMap !== null && cowMap[slot] === 1) letters[i] = C;
      else if (dirty !== null && dirty[slot] === 1) letters[i] = D;
      else letters[i] = R;
    }
  }
  return { strip: decoder.decode(letters), resident, shared };
}

export function pageStrip(machine: Machine, region: Region): string {
  return regionPages(machine, region).strip;
}

/**
 * A region as the views show it. The amounts are the engine's (`Kernel/Memory/Region.cpp` Region::amount_*)
 * computed in the same pass as the strip: dirty is the whole inode object's dirty pages for an
 * inode region and the resident amount otherwise, COW pages count the whole anonymous object.
 */
export function regionDto(
  machine: Machine,
  space: SpaceRef,
  region: Region,
  pages = regionPages(machine, region),
): RegionDto {
  const object = region.vmobject;
  const dirty =
    object !== null && object.isInode()
      ? (object as InodeVMObject).amountDirty()
      : pages.resident * PAGE_SIZE;
  return {
    id: regionIdOf(region),
    base: hex(region.base),
    end: hex(region.end),
    size: region.size,
    access: accessText(region.access),
    flags: regionFlags(region),
    memoryType: region.memoryType,
    name: region.name,
    vmobject: vmobjectDto(region),
    unbacked: machine.memoryManager.unbackedRegionRole(region),
    offsetInVMObject: region.offsetInVMObject,
    amounts: {
      resident: pages.resident * PAGE_SIZE,
      shared: pages.shared * PAGE_SIZE,
      dirty,
      cowPages: object !== null && object.kind === 'Anonymous' ? (object as AnonymousVMObject).cowPages() : 0,
    },
    pages: pages.strip,
    memoryReference: formatMemoryReference(virtualMemory(space), region.base),
  };
}

// -------------------------------------------------------------------------------- address spaces

/** The amounts of `Kernel/Memory/AddressSpace.cpp` (AddressSpace::amount_*) from the regions and their DTOs. */
function amountsOf(regions: readonly Region[], dtos: readonly RegionDto[]): AddressSpaceAmountsDto {
  const amounts: AddressSpaceAmountsDto = {
    virtual: 0,
    resident: 0,
    shared: 0,
    dirtyPrivate: 0,
    cleanInode: 0,
    purgeableVolatile: 0,
    purgeableNonvolatile: 0,
  };
  const inodeObjects = new Set<InodeVMObject>();
  regions.forEach((region, i) => {
    const dto = dtos[i]!;
    const resident = dto.amounts.resident;
    amounts.virtual += region.size;
    amounts.resident += resident;
    amounts.shared += dto.amounts.shared;
    if (!region.shared) amounts.dirtyPrivate += dto.amounts.dirty;
    const object = region.vmobject;
    if (object === null) return;
    if (object.isInode()) inodeObjects.add(object as InodeVMObject);
    else if (object.kind === 'Anonymous' && (object as AnonymousVMObject).purgeable) {
      if ((object as AnonymousVMObject).volatile) amounts.purgeableVolatile += resident;
      else amounts.purgeableNonvolatile += resident;
    }
  });
  for (const object of inodeObjects) amounts.cleanInode += object.amountClean();
  return amounts;
}

function spaceDto(
  machine: Machine,
  index: MachineStateIndex,
  spaceId: string,
  process: Process | null,
): AddressSpaceDto {
  const space = index.space(spaceId);
  // The kernel's own fault counters are private to the MemoryManager; TypeScript lets a reader
  // reach them by name.
  const counters = process?.counters ?? machine.memoryManager.kernelThreadCounters;
  const pd = process === null ? machine.memoryManager.kernelPageDirectory : process.space.pageDirectory;
  const regions = space.regions.map((region) => regionDto(machine, space.ref, region));
  return {
    id: spaceId,
    kind: process === null ? 'kernel' : 'process',
    pid: process === null ? null : process.pid,
    name: process === null ? 'kernel' : process.name,
    alive: process === null || process.alive,
    cr3: hex(pd.cr3),
    amounts: amountsOf(space.regions, regions),
    faults: { zero: counters.zeroFaults, cow: counters.cowFaults, inode: counters.inodeFaults },
    presentPteCount: index.presentPtes(spaceId).count,
    regions,
  };
}

// ------------------------------------------------------------------------------- physical memory

function physicalRegionsDto(machine: Machine): PhysicalRegionDto[] {
  return machine.memoryManager.physicalRegions.map((region, r) => {
    let zoned = 0;
    const zones = region.zones.map((zone, z) => {
      zoned += zone.pageCount;
      const freeBlocksPerOrder: number[] = [];
      for (let order = 0; order <= 12; order++) freeBlocksPerOrder.push(zone.freeBlocks(order).length);
      return {
        id: `${r}:${z}`,
        base: hex(zone.basePaddr),
        pageCount: zone.pageCount,
        freePages: zone.available(),
        freeBlocksPerOrder,
        full: region.fullZones.includes(z),
      };
    });
    return {
      id: String(r),
      lower: hex(region.lowerFrame * PAGE_SIZE),
      upper: hex(region.upperFrame * PAGE_SIZE),
      pageCount: region.pages,
      zones,
      unzonedPages: region.pages - zoned,
    };
  });
}

function countersDto(machine: Machine): SystemCountersDto {
  const c = machine.counters();
  return {
    physicalPages: c.physicalPages,
    used: c.physicalPagesUsed,
    committed: c.physicalPagesCommitted,
    uncommitted: c.physicalPagesUncommitted,
    freeInZones: c.freePages,
  };
}

// -------------------------------------------------------------------------------------- DMA/MMIO

const MEMORY_MAP_TYPE: Record<string, MemoryMapEntryDto['type']> = {
  usable: 'Usable',
  reserved: 'Reserved',
  acpi_reclaimable: 'ACPI_Reclaimable',
  acpi_nvs: 'ACPI_NVS',
  bad: 'BadMemory',
};

const USED_RANGE_KIND: Record<string, UsedRangeDto['kind']> = {
  low_memory: 'LowMemory',
  kernel_image: 'Kernel',
  physical_page_entries: 'PhysicalPages',
};

/** The frames behind a device mapping, merged into runs of consecutive frames in region order. */
function frameRuns(region: Region, kind: DeviceKind): DeviceMappingDto['frameRuns'] {
  const object = region.vmobject!;
  if (kind === 'mmio') {
    const paddr = (object as MMIOVMObject).basePaddr + region.offsetInVMObject;
    return [{ paddr: hex(paddr), pages: region.pageCount }];
  }
  const runs: DeviceMappingDto['frameRuns'] = [];
  let start = -1;
  let length = 0;
  for (let i = 0; i < region.pageCount; i++) {
    const frame = object.pages[region.firstPageIndex + i] ?? NULL_FRAME;
    if (frame !== NULL_FRAME && start >= 0 && frame === start + length) {
      length++;
      continue;
    }
    if (start >= 0) runs.push({ paddr: hex(start * PAGE_SIZE), pages: length });
    start = frame === NULL_FRAME ? -1 : frame;
    length = frame === NULL_FRAME ? 0 : 1;
  }
  if (start >= 0) runs.push({ paddr: hex(start * PAGE_SIZE), pages: length });
  return runs;
}

function dmaMmioDto(machine: Machine, index: MachineStateIndex): DmaMmioDto {
  const mm = machine.memoryManager;
  const mappings: DeviceMappingDto[] = [];
  for (const [region, kind] of index.deviceRegions()) {
    const pte = mm.lookupPte(mm.kernelPageDirectory, region.base);
    mappings.push({
      id: regionIdOf(region),
      kind,
      name: region.name,
      kernelVaddr: hex(region.base),
      size: region.size,
      memoryType: region.memoryType,
      pteRaw: pte === null ? '0x0' : rawHex(pte[0], pte[1]),
      frameRuns: frameRuns(region, kind),
    });
  }
  return {
    memoryMap: mm.memoryMap.map((entry) => ({
      base: hex(entry.base),
      length: hex(entry.size),
      type: MEMORY_MAP_TYPE[entry.kind] ?? 'Unknown',
    })),
    usedRanges: mm.usedRanges.map((used) => ({
      kind: USED_RANGE_KIND[used.kind] ?? 'LowMemory',
      start: hex(used.base),
      end: hex(used.base + used.size),
    })),
    mappings,
  };
}

// ---------------------------------------------------------------------------------- whole state

/** The whole state for the views, at the step `step` describes. */
export function machineStateDtoOf(index: MachineStateIndex, step: StepInfoDto): MachineStateDto {
  const machine = index.machine;
  const spaces: AddressSpaceDto[] = [spaceDto(machine, index, viewSpaceId(KERNEL_SPACE), null)];
  const processes = machine.processes().sort((a, b) => a.pid - b.pid);
  for (const process of processes)
    spaces.push(spaceDto(machine, index, viewSpaceId(processSpace(process.pid)), process));
  const kinds = index.frameKinds();
  return {
    step,
    addressSpaces: spaces,
    physicalRegions: physicalRegionsDto(machine),
    counters: countersDto(machine),
    frameMap: { frameCount: kinds.length, kinds: frameMapBase64(kinds) },
    dmaMmio: dmaMmioDto(machine, index),
    halted: machine.halted !== null,
  };
}

export function machineStateDto(machine: Machine, step: StepInfoDto): MachineStateDto {
  return machineStateDtoOf(new MachineStateIndex(machine), step);
}

/** Rows [from, to) of a space's present PTEs in address order (of one region when regionId is set). */
export function pteRows(
  machine: Machine,
  spaceId: string,
  regionId: string | null,
  from: number,
  to: number,
): { total: number; rows: PteRowDto[] } {
  return new MachineStateIndex(machine).pteRows(spaceId, regionId, from, to);
}

export function pteRowIndex(
  machine: Machine,
  spaceId: string,
  regionId: string | null,
  vaddr: string,
): number | null {
  return new MachineStateIndex(machine).pteRowIndex(spaceId, regionId, vaddr);
}

export function frameInfo(machine: Machine, frame: number): FrameInfoDto {
  return new MachineStateIndex(machine).frameInfo(frame);
}

export { pageWalk } from './pageTables';
