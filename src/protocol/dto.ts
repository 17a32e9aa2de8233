// The data the views show, as JSON-safe transfer objects. Addresses and raw page-table entries are
// lower-case hex strings ("0x…") because a PTE with NX set does not fit a JavaScript number; sizes and
// amounts are byte or page counts, which stay below 2^53. Every DTO is a schema first and a type second.
import {
  arr,
  bool,
  count,
  hex,
  type Infer,
  literal,
  nullable,
  obj,
  oneOf,
  pattern,
  str,
  tagged,
} from './schema';

/** Which front end a webview shows. The six panels and the two sidebar views share one bundle. */
export const PANEL_KINDS = [
  'regions',
  'pageTables',
  'zones',
  'dmaMmio',
  'timeline',
  'overview',
  'regionTreeView',
  'memory',
] as const;
export const PanelKind = oneOf(PANEL_KINDS);
export type PanelKind = Infer<typeof PanelKind>;

// --------------------------------------------------------------------------------------- selection

/** What a view selected and the others reveal. */

export const SelectionTargetDto = tagged('kind', [
  obj({ kind: literal('address'), spaceId: str, vaddr: hex }),
  obj({ kind: literal('region'), spaceId: str, regionId: str }),
  obj({ kind: literal('page'), spaceId: str, vaddr: hex }),
  obj({ kind: literal('frame'), paddr: hex }),
]);
export type SelectionTargetDto = Infer<typeof SelectionTargetDto>;

// ---------------------------------------------------------------------------------------------- step

/** What an allocated page is for, as the engine's page_allocated event tells (see PagePurpose there). */
export const PAGE_PURPOSES = [
  'paging_structure',
  'page_table',
  'zero_fill',
  'cow_copy',
  'inode_read',
  'allocate_now',
  'dma_buffer',
  'kernel',
  'scenario',
] as const;

export const PagePurposeDto = obj({
  kind: oneOf(PAGE_PURPOSES),
  /** The space the page is for: "kernel" or "pid:<n>". */
  spaceId: str,
});
export type PagePurposeDto = Infer<typeof PagePurposeDto>;

/** Something one step changed, already put in words by the engine's event list. */
export const StepEventDto = obj({
  /** The engine event's kind, e.g. "PageAllocated", "PteWritten", "Fault", "TlbFlush". */
  kind: str,
  text: str,
  /** The address space, region, page or frame it concerns, for linking (null when none). */
  target: nullable(SelectionTargetDto),
  /** What the page is for, on a page allocation; null on every other event. */
  purpose: nullable(PagePurposeDto),
});
export type StepEventDto = Infer<typeof StepEventDto>;

export const StepInfoDto = obj({
  /** 0 is the state after boot, before the first statement. */
  index: count,
  /** 1-based line of the statement that ran (null at boot). */
  line: nullable(count),
  /**
   * 1-based line of the statement the next step runs, where the editor's arrow stands (null when the
   * run is over, or for an earlier step whose next statement is not kept).
   */
  nextLine: nullable(count),
  /** The statement's source text, for the overview. */
  statement: str,
  /** "ok", "zero_fault", "cow_fault", "inode_fault", "crash", "oom", "bus_error", "panic", an errno… */
  outcome: str,
  /** False when the step failed (an unexpected outcome or a failed assertion). */
  passed: bool,
  events: arr(StepEventDto),
});
export type StepInfoDto = Infer<typeof StepInfoDto>;

export const SessionInfoDto = obj({
  sessionId: str,
  /** The scenario file's name, shown as the views' title. */
  scenario: str,
  /** Number of steps recorded so far (the steps one may compare with are 0 … current). */
  stepCount: count,
});
export type SessionInfoDto = Infer<typeof SessionInfoDto>;

// ------------------------------------------------------------------------------------ address spaces

export const MEMORY_TYPES = ['Normal', 'NonCacheable', 'IO'] as const;
export const MemoryType = oneOf(MEMORY_TYPES);

export const VMOBJECT_KINDS = ['Anonymous', 'SharedInode', 'PrivateInode', 'MMIO'] as const;

export const VMObjectDto = obj({
  kind: oneOf(VMOBJECT_KINDS),
  /** Stable identity of the VMObject, so that regions sharing one can be recognised. */
  id: count,
  pageCount: count,
  purgeable: bool,
  volatile: bool,
  /** The inode's path for inode-backed objects, else null. */
  path: nullable(str),
});
export type VMObjectDto = Infer<typeof VMObjectDto>;

/**
 * The state of each page of a region, one character per page (a 1 GiB region is a 262,144-character
 * string instead of as many JSON values):
 * N not present · Z shared zero page · L lazy committed page · R resident · C copy-on-write ·
 * D dirty (inode page written since the last sync) · V resident in a volatile purgeable object.
 */
export const PAGE_STATE_CODES = 'NZLRCDV';
export const PageStrip = pattern(/^[NZLRCDV]*$/, 'a page strip of the letters N Z L R C D V');

export const UNBACKED_REGION_ROLES = ['kernel image', 'physical page entries'] as const;

export const REGION_FLAGS = ['stack', 'mmap', 'shared', 'immutable', 'syscall'] as const;

export const RegionAmountsDto = obj({ resident: count, shared: count, dirty: count, cowPages: count });
export type RegionAmountsDto = Infer<typeof RegionAmountsDto>;

export const RegionDto = obj({
  /** Unique within its address space and stable while the region lives (e.g. its base address). */
  id: str,
  base: hex,
  /** One past the last byte. */
  end: hex,
  size: count,
  /** "rwx" with "-" for an absent right, as /proc/<pid>/vm reads. */
  access: pattern(/^[r-][w-][x-]$/, 'an access string like "rw-"'),
  flags: arr(oneOf(REGION_FLAGS)),
  memoryType: MemoryType,
  name: str,
  /** Null for an unbacked region: a range the kernel reserved at boot and mapped by hand. */
  vmobject: nullable(VMObjectDto),
  /** What an unbacked region reserves ("kernel image", "physical page entries"), else null. */
  unbacked: nullable(oneOf(UNBACKED_REGION_ROLES)),
  /** Byte offset of the region's first page in its VMObject. */
  offsetInVMObject: count,
  amounts: RegionAmountsDto,
  pages: PageStrip,
  /** A DAP memoryReference for "Open in Binary View" (null when the adapter offers none). */
  memoryReference: nullable(str),
});
export type RegionDto = Infer<typeof RegionDto>;

export const AddressSpaceAmountsDto = obj({
  virtual: count,
  resident: count,
  shared: count,
  dirtyPrivate: count,
  cleanInode: count,
  purgeableVolatile: count,
  purgeableNonvolatile: count,
});
export type AddressSpaceAmountsDto = Infer<typeof AddressSpaceAmountsDto>;

export const FaultCountsDto = obj({ zero: count, cow: count, inode: count });

export const AddressSpaceDto = obj({
  /** "kernel" or "pid:<n>", as addressSpaces.ts spells a space for the views. */
  id: str,
  kind: oneOf(['process', 'kernel']),
  pid: nullable(count),
  name: str,
  alive: bool,
  /** Physical address of the PML4 (what CR3 would hold). */
  cr3: hex,
  amounts: AddressSpaceAmountsDto,
  faults: FaultCountsDto,
  /** Number of present PTEs, i.e. the length of the page-table panel's table. */
  presentPteCount: count,
  regions: arr(RegionDto),
});
export type AddressSpaceDto = Infer<typeof AddressSpaceDto>;

// --------------------------------------------------------------------------------- physical memory

export const ZoneDto = obj({
  /** "<region index>:<zone index>". */
  id: str,
  base: hex,
  pageCount: count,
  /** Free pages (`available()`). */
  freePages: count,
  /** Free blocks on each order's free list, orders 0 … 12 (13 numbers). */
  freeBlocksPerOrder: arr(count, 13),
  /** In `m_full_zones` rather than `m_usable_zones`. */
  full: bool,
});
export type ZoneDto = Infer<typeof ZoneDto>;

export const PhysicalRegionDto = obj({
  id: str,
  lower: hex,
  /** One past the last byte. */
  upper: hex,
  pageCount: count,
  zones: arr(ZoneDto),
  /** The tail of fewer than 256 pages that belongs to no zone (never allocated, still counted). */
  unzonedPages: count,
});
export type PhysicalRegionDto = Infer<typeof PhysicalRegionDto>;

/** SystemMemoryInfo in pages; `freeInZones` is what the buddy allocators still hold. */
export const SystemCountersDto = obj({
  physicalPages: count,
  used: count,
  committed: count,
  uncommitted: count,
  freeInZones: count,
});
export type SystemCountersDto = Infer<typeof SystemCountersDto>;

/** What holds a physical frame: one byte per frame in the frame map. */
export const FRAME_KINDS = [
  'free',
  'anonymous',
  'file',
  'pageTable',
  'kernel',
  'dma',
  'sharedZero',
  'lazyCommitted',
  'quickmap',
  'reserved',
  'mmio',
  'unzoned',
] as const;
export type FrameKind = (typeof FRAME_KINDS)[number];

/**
 * Every frame from physical address 0 up to the highest, coloured by owner: `kinds` is base64 of one
 * byte per frame, each an index into FRAME_KINDS (4 GiB = 1 M frames = 1.4 MB of base64).
 */
export const FrameMapDto = obj({ frameCount: count, kinds: pattern(/^[A-Za-z0-9+/]*={0,2}$/, 'base64') });
export type FrameMapDto = Infer<typeof FrameMapDto>;

/** A changed stretch of the frame map: the bytes for frames [start, start + decoded length). */
export const FrameMapRunDto = obj({ start: count, kinds: pattern(/^[A-Za-z0-9+/]*={0,2}$/, 'base64') });
export type FrameMapRunDto = Infer<typeof FrameMapRunDto>;

// ------------------------------------------------------------------------------------------ DMA/MMIO

export const MEMORY_MAP_TYPES = [
  'Usable',
  'Reserved',
  'ACPI_Reclaimable',
  'ACPI_NVS',
  'BadMemory',
  'Unknown',
] as const;

export const MemoryMapEntryDto = obj({ base: hex, length: hex, type: oneOf(MEMORY_MAP_TYPES) });
export type MemoryMapEntryDto = Infer<typeof MemoryMapEntryDto>;

export const UsedRangeDto = obj({
  kind: oneOf(['LowMemory', 'Kernel', 'BootModule', 'SMBIOS', 'PhysicalPages']),
  start: hex,
  /** One past the last byte. */
  end: hex,
});
export type UsedRangeDto = Infer<typeof UsedRangeDto>;

/** A run of physically contiguous frames. */
export const FrameRunDto = obj({ paddr: hex, pages: count });

/** A DMA buffer or an MMIO region: a kernel mapping of device-visible physical memory. */
export const DeviceMappingDto = obj({
  id: str,
  kind: oneOf(['dma', 'mmio']),
  name: str,
  kernelVaddr: hex,
  size: count,
  memoryType: MemoryType,
  /** Raw PTE of the first page, whose PWT/PCD/PAT bits say how the CPU caches it. */
  pteRaw: hex,
  /** The frames behind it, merged into contiguous runs (one run = physically contiguous). */
  frameRuns: arr(FrameRunDto),
});
export type DeviceMappingDto = Infer<typeof DeviceMappingDto>;

export const DmaMmioDto = obj({
  memoryMap: arr(MemoryMapEntryDto),
  usedRanges: arr(UsedRangeDto),
  mappings: arr(DeviceMappingDto),
});
export type DmaMmioDto = Infer<typeof DmaMmioDto>;

// ------------------------------------------------------------------------------------ whole state

export const MachineStateDto = obj({
  step: StepInfoDto,
  addressSpaces: arr(AddressSpaceDto),
  physicalRegions: arr(PhysicalRegionDto),
  counters: SystemCountersDto,
  frameMap: FrameMapDto,
  dmaMmio: DmaMmioDto,
  /** The machine halted (panic): no later step runs. */
  halted: bool,
});
export type MachineStateDto = Infer<typeof MachineStateDto>;

/**
 * What turns the state of step `fromStep` into the state of `step.index`. Address spaces are replaced
 * whole when anything in them changed but their unchanged regions are listed by id only (`keptRegions`),
 * so a step that touches one page of one region sends one region.
 */
export const StatePatchDto = obj({
  fromStep: count,
  step: StepInfoDto,
  /** Address spaces in their new order, each either unchanged (id only) or changed. */
  addressSpaces: arr(
    tagged('change', [
      obj({ change: literal('same'), id: str }),
      obj({
        change: literal('changed'),
        space: AddressSpaceDto,
      }),
      obj({
        change: literal('regions'),
        /** The space's own fields, without regions. */
        id: str,
        alive: bool,
        amounts: AddressSpaceAmountsDto,
        faults: FaultCountsDto,
        presentPteCount: count,
        /** Region order after the step: ids of regions to keep from before, or new/changed regions. */
        regions: arr(
          tagged('change', [
            obj({ change: literal('same'), id: str }),
            obj({ change: literal('changed'), region: RegionDto }),
          ]),
        ),
      }),
    ]),
  ),
  /** Null when unchanged. */
  physicalRegions: nullable(arr(PhysicalRegionDto)),
  counters: nullable(SystemCountersDto),
  frameMapRuns: arr(FrameMapRunDto),
  dmaMmio: nullable(DmaMmioDto),
  halted: bool,
});
export type StatePatchDto = Infer<typeof StatePatchDto>;

// ----------------------------------------------------------------------------------- what changed

/**
 * Ids of what differs between a base step and the current one. Entity ids are prefixed by kind:
 * "space:<spaceId>", "region:<spaceId>/<regionId>", "page:<spaceId>/<vaddr>", "frame:<frame number>",
 * "zone:<zoneId>", "mapping:<mappingId>", "counter:<name>".
 */
export const ChangeSetDto = obj({
  baseStep: count,
  currentStep: count,
  added: arr(str),
  modified: arr(str),
  /** Removed entities keep a label, since the current state no longer holds them. */
  removed: arr(obj({ id: str, label: str })),
  /** Pages whose state letter changed, as runs of a region's page strip (current region ids). */
  pageRuns: arr(
    obj({
      spaceId: str,
      regionId: str,
      first: count,
      count,
      /** added: was not present, now is; removed: the reverse; modified: another change of state. */
      change: oneOf(['added', 'removed', 'modified']),
    }),
  ),
  /** Frames whose owner kind changed, as runs of frame numbers. */
  frameRuns: arr(obj({ start: count, count })),
});
export type ChangeSetDto = Infer<typeof ChangeSetDto>;

// ------------------------------------------------------------------------------------- page tables

export const PAGING_LEVELS = ['PML4', 'PDPT', 'PD', 'PT'] as const;
export type PagingLevel = (typeof PAGING_LEVELS)[number];

export const WalkLevelDto = obj({
  level: oneOf(PAGING_LEVELS),
  /** Physical address of the table read at this level. */
  tableAddress: hex,
  index: count,
  raw: hex,
});
export type WalkLevelDto = Infer<typeof WalkLevelDto>;

/** The walk stops at the first entry that is not present; `levels` holds the entries read. */
export const PageWalkDto = obj({
  spaceId: str,
  vaddr: hex,
  levels: arr(WalkLevelDto, 4),
  /** The physical address the walk reaches, null when it stops at a non-present entry. */
  paddr: nullable(hex),
  /** The region containing vaddr, for linking (null when none). */
  regionId: nullable(str),
});
export type PageWalkDto = Infer<typeof PageWalkDto>;

/** One present PTE: the page it maps and the entry. The frame and bits are decoded from `raw`. */
export const PteRowDto = obj({ vaddr: hex, raw: hex, regionId: nullable(str) });
export type PteRowDto = Infer<typeof PteRowDto>;

/** Every mapping of a frame, from the engine's reverse lookup, for the frame map's hover. */
export const FrameInfoDto = obj({
  frame: count,
  kind: oneOf(FRAME_KINDS),
  refCount: nullable(count),
  zoneId: nullable(str),
  mappings: arr(obj({ spaceId: str, vaddr: hex, regionId: nullable(str) })),
});
export type FrameInfoDto = Infer<typeof FrameInfoDto>;
