// The memory manager (`Kernel/Memory/MemoryManager.cpp`): boot from a firmware memory map, the physical page pool and
// its counters, kernel region allocators, quickmap, page-table helpers, TLB flush bookkeeping and
// the entry of the page-fault handler. One instance is the whole state of a simulated machine.

import { AnonymousVMObject, type AllocationStrategy } from './AnonymousVMObject';
import { SHARED_ACROSS_CHECKPOINTS } from './Checkpoint';
import { CommittedPhysicalPageSet } from './CommittedPhysicalPageSet';
import {
  GiB,
  KERNEL_MAPPING_BASE,
  KERNEL_PDPT_INDEX,
  KERNEL_PD_END,
  KERNEL_PT1024_BASE,
  KERNEL_QUICKMAP_PD_PER_CPU_BASE,
  KERNEL_QUICKMAP_PER_CPU_BASE,
  KERNEL_QUICKMAP_PT_PER_CPU_BASE,
  KERNEL_VIRTUAL_RANGE_BASE,
  MiB,
  PAGE_SIZE,
  hex,
  isUserAddress,
  nextPowerOfTwo,
} from './constants';
import { type ErrorOr, KernelPanic, SimulationLimit, err, ok, verify } from './errors';
import {
  EventLog,
  type FaultHandlerKind,
  KERNEL_SPACE_ID,
  type PagePurpose,
  type QuickmapSlot,
} from './events';
import { FileSystem } from './FileSystem';
import {
  cpusProblem,
  kernelImagePageTables,
  kernelImageRegionSize,
  kernelSizeProblem,
  memoryRangeProblem,
  pageEntryArrayProblem,
  ramProblem,
} from './machineLimits';
import type { InodeVMObject } from './InodeVMObject';
import { MMIOVMObject } from './MMIOVMObject';
import { PageContents } from './PageContents';
import { PageDirectory } from './PageDirectory';
import type { PageFault, PageFaultResponse } from './PageFault';
import {
  type MemoryType,
  PTE_ACCESSED,
  PTE_CACHE_DISABLED,
  PTE_DIRTY,
  PTE_GLOBAL,
  PTE_HIGH_NX,
  PTE_PAT,
  PTE_PRESENT,
  PTE_READ_WRITE,
  PTE_USER_SUPERVISOR,
  PTE_WRITE_THROUGH,
  encodeHigh,
  encodeLow,
  entryFrame,
  entryPaddr,
  memoryTypeBits,
} from './PageTableEntry';
import { ENTRY_ALLOCATED, ENTRY_MAY_RETURN, PhysicalPageEntries } from './PhysicalPageEntry';
import { PhysicalRegion } from './PhysicalRegion';
import type { Process, ThreadCounters } from './Process';
import { ThreadCounters as Counters } from './Process';
import { Prng } from './Prng';
import { ACCESS_NONE, Region } from './Region';
import { RegionTree } from './RegionTree';
import { SystemMemoryInfo } from './SystemMemoryInfo';
import type { VMObject } from './VMObject';
import { noteField, noteMapKey, noteObject, noteRemoval, noteSetMember } from './UndoLog';

export type MemoryKind = 'usable' | 'reserved' | 'acpi_reclaimable' | 'acpi_nvs' | 'bad';

export interface MemoryMapEntry {
  kind: MemoryKind;
  base: number;
  size: number;
  label?: string;
}

export interface MachineOptions {
  /** Bytes of RAM for the default PC memory map. */
  ram: number;
  cpus: number;
  seed: number;
  pat: boolean;
  smap: boolean;
  kernelSize: number;
  /** Explicit firmware memory map; the default PC map for `ram` when absent. */
  memoryMap?: MemoryMapEntry[];
}

export const DEFAULT_MACHINE_OPTIONS: MachineOptions = {
  ram: 128 * MiB,
  cpus: 1,
  seed: 0,
  pat: true,
  smap: true,
  kernelSize: 8 * MiB,
};

/**
 * The most page slots one VMObject has in the simulation (64 GiB of pages): each slot costs the
 * host a few bytes, and a VMObject is copied whole by checkpoints.
 */
export const MAX_SIMULATED_VMOBJECT_PAGES = 2 ** 24;

/** A boot that cannot happen (bad machine options or memory map); the message says why. */
export class BootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootError';
  }
}

/** The default PC memory map of the scenario language for a RAM size (docs/language-guide.md, The physical memory map). */
export function defaultMemoryMap(ram: number): MemoryMapEntry[] {
  const map: MemoryMapEntry[] = [
    { kind: 'usable', base: 0, size: 0x9f000 },
    { kind: 'reserved', base: 0x9f000, size: 0x100000 - 0x9f000, label: 'legacy' },
  ];
  const lowEnd = Math.min(ram, 3 * GiB);
  if (lowEnd > 0x100000) map.push({ kind: 'usable', base: 0x100000, size: lowEnd - 0x100000 });
  map.push({ kind: 'reserved', base: 0xfffc0000, size: 4 * GiB - 0xfffc0000, label: 'firmware' });
  if (ram > 3 * GiB) map.push({ kind: 'usable', base: 4 * GiB, size: ram - 3 * GiB });
  return map;
}

export interface UsedRange {
  kind: 'low_memory' | 'kernel_image' | 'physical_page_entries';
  base: number;
  size: number;
}

/** Who holds the boot-time frames that are not allocated from zones. */
export interface BootFrames {
  pml4: number;
  pdpt: number;
  kernelPd: number;
  quickmapPt: number;
  /** The page tables that map the kernel image, in address order. */
  imageTables: number[];
}

export class MemoryManager {
  readonly options: MachineOptions;
  readonly memoryMap: MemoryMapEntry[];
  readonly usedRanges: UsedRange[] = [];
  readonly entries: PhysicalPageEntries;
  readonly contents: PageContents;
  readonly info = new SystemMemoryInfo();
  readonly physicalRegions: PhysicalRegion[] = [];
  /** First frame and count of the pages stolen for the PhysicalPageEntry array and its page tables. */
  readonly pageEntryArray: { firstFrame: number; arrayPages: number; tablePages: number };
  readonly bootFrames: BootFrames;
  /** The unbacked kernel regions reserved at boot (initialize_physical_pages). */
  readonly kernelImage: Region;
  readonly pageEntryArrayRegion: Region;
  readonly kernelPageDirectory: PageDirectory;
  readonly kernelRegionTree: RegionTree;
  readonly prng: Prng;
  readonly events: EventLog;
  readonly fs = new FileSystem();
  readonly allVMObjects = new Set<VMObject>();
  /** Page directories by CR3 (the kernel's find_current map). */
  readonly pageDirectories = new Map<number, PageDirectory>();
  readonly processes = new Map<number, Process>();
  /** Physical pages the scenario holds a reference to (frame → references). */
  readonly heldPages = new Map<number, number>();
  /** Commitments the scenario holds. */
  readonly heldCommitments = new Set<CommittedPhysicalPageSet>();
  /** Page tables whose PDE outlived its page directory (their reference is never dropped). */
  readonly leakedPageTables = new Set<number>();
  /** Set when the kernel panicked: the machine is halted and refuses every later operation. */
  halted: string | null = null;
  /**
   * Uncommitted pages lost to the find_free_physical_page quirk: the counter is decremented before
   * the zones are searched and not restored when they have nothing (MemoryManager::find_free_physical_page).
   */
  lostUncommittedPages = 0;
  /** Pages of contiguous blocks past the requested count (never returned; PhysicalRegion::take_pages_from_beginning / PhysicalZone::allocate_block). */
  leakedContiguousPages = 0;
  sharedZeroFrame = -1;
  lazyCommittedFrame = -1;
  nextVMObjectId = 1;
  nextRegionId = 1;
  nextPid = 1;
  /** Set by the last successful allocatePhysicalPage (the kernel's did_purge out-parameter). */
  lastDidPurge = false;
  /** Per-CPU quickmap_page spinlock. */
  readonly quickmapInUse: Uint8Array;
  /** The process on whose behalf the kernel runs (fault counters), null for the kernel itself. */
  currentProcess: Process | null = null;
  private readonly kernelCounters = new Counters();
  /** Scratch of ensurePte for the PTE write that follows (avoids allocating a result). */
  private ptIndex = 0;
  private ptFrame = -1;

  constructor(options: MachineOptions, events?: EventLog) {
    this.options = options;
    validateOptions(options);
    this.events = events ?? new EventLog();
    (this.events as unknown as Record<symbol, boolean>)[SHARED_ACROSS_CHECKPOINTS] = true;
    this.prng = new Prng(options.seed);
    this.quickmapInUse = new Uint8Array(options.cpus);
    this.memoryMap = options.memoryMap ?? defaultMemoryMap(options.ram);

    // Used ranges, then the usable runs between them (MemoryManager::parse_memory_map).
    this.usedRanges.push({ kind: 'low_memory', base: 0, size: MiB });
    this.usedRanges.push({ kind: 'kernel_image', base: 0x100000, size: options.kernelSize });
    let highestUsableEnd = 0;
    for (const entry of this.memoryMap)
      if (entry.kind === 'usable') highestUsableEnd = Math.max(highestUsableEnd, entry.base + entry.size);
    const entryCount = Math.max(
      Math.ceil(highestUsableEnd / PAGE_SIZE),
      0x100000 / PAGE_SIZE + options.kernelSize / PAGE_SIZE,
    );
    // Refused here, before the host allocates an entry per page, if the array cannot be mapped.
    const arrayProblem = pageEntryArrayProblem(highestUsableEnd, options.kernelSize);
    if (arrayProblem !== null) throw new BootError(arrayProblem);
    this.entries = new PhysicalPageEntries(entryCount);
    this.contents = new PageContents(this.entries);
    for (const run of this.usableRuns()) this.physicalRegions.push(new PhysicalRegion(run.first, run.end));

    const arrayPages = Math.ceil((entryCount * 8) / PAGE_SIZE);
    const tablePages = Math.ceil(arrayPages / 512);
    const donor = this.physicalRegions.find((r) => r.pages >= arrayPages + tablePages);
    if (donor === undefined)
      throw new BootError('no physical region is large enough for the page-entry array');
    const firstFrame = donor.tryTakePagesFromBeginning(arrayPages + tablePages)!;
    this.pageEntryArray = { firstFrame, arrayPages, tablePages };
    this.usedRanges.push({
      kind: 'physical_page_entries',
      base: firstFrame * PAGE_SIZE,
      size: (arrayPages + tablePages) * PAGE_SIZE,
    });
    for (let f = firstFrame; f < firstFrame + arrayPages + tablePages; f++) this.adoptBootFrame(f);
    for (let i = this.physicalRegions.length - 1; i >= 0; i--)
      if (this.physicalRegions[i]!.pages === 0) this.physicalRegions.splice(i, 1);

    for (const region of this.physicalRegions) this.info.physicalPages += region.pages;
    this.info.physicalPagesUncommitted = this.info.physicalPages;
    for (const region of this.physicalRegions) region.initializeZones(this.entries);

    // The boot paging structures live in the kernel image (its last pages): the image's own page
    // tables, then the PML4, the PDPT, the kernel's page directory and the quickmap page table.
    const kernelEndFrame = (0x100000 + options.kernelSize) / PAGE_SIZE;
    const imageTableCount = kernelImagePageTables(options.kernelSize);
    this.bootFrames = {
      pml4: kernelEndFrame - 4,
      pdpt: kernelEndFrame - 3,
      kernelPd: kernelEndFrame - 2,
      quickmapPt: kernelEndFrame - 1,
      imageTables: Array.from(
        { length: imageTableCount },
        (_, j) => kernelEndFrame - 4 - imageTableCount + j,
      ),
    };
    for (const frame of [
      this.bootFrames.pml4,
      this.bootFrames.pdpt,
      this.bootFrames.kernelPd,
      this.bootFrames.quickmapPt,
      ...this.bootFrames.imageTables,
    ])
      this.adoptBootFrame(frame);
    this.kernelPageDirectory = new PageDirectory(0, this.bootFrames.pml4, this.bootFrames.pdpt, true);
    this.kernelPageDirectory.directoryPages[KERNEL_PDPT_INDEX] = this.bootFrames.kernelPd;
    this.writeTableEntry(this.bootFrames.pml4, 0, this.bootFrames.pdpt, PTE_PRESENT | PTE_READ_WRITE);
    this.writeTableEntry(
      this.bootFrames.pdpt,
      KERNEL_PDPT_INDEX,
      this.bootFrames.kernelPd,
      PTE_PRESENT | PTE_READ_WRITE,
    );
    this.writeTableEntry(
      this.bootFrames.kernelPd,
      511,
      this.bootFrames.quickmapPt,
      PTE_PRESENT | PTE_READ_WRITE | PTE_GLOBAL,
    );
    this.pageDirectories.set(this.kernelPageDirectory.cr3, this.kernelPageDirectory);

    // The MM constructor commits two pages: the shared zero page and the lazy committed page.
    const commitment = this.commitPhysicalPages(2);
    if (!commitment.ok) throw new BootError('not enough memory for the shared zero page');
    this.sharedZeroFrame = commitment.value.takeOne('kernel', KERNEL_SPACE_ID);
    this.lazyCommittedFrame = commitment.value.takeOne('kernel', KERNEL_SPACE_ID);

    this.kernelRegionTree = new RegionTree(KERNEL_VIRTUAL_RANGE_BASE, KERNEL_PD_END);
    this.kernelImage = this.mapKernelImage(options.kernelSize);
    this.pageEntryArrayRegion = this.mapPageEntryArray();
  }

  /**
   * The kernel image as the kernel has it: the boot page tables map it at the load address
   * (present, supervisor; read-only and executable, as protect_kernel_image leaves kernel text), and
   * `initialize_physical_pages` only reserves its virtual range in the kernel RegionTree with an
   * unbacked region (no VMObject, no name, no access). MMU Lens loads the image at
   * KERNEL_VIRTUAL_RANGE_BASE, without a KASLR offset.
   */
  private mapKernelImage(kernelSize: number): Region {
    const base = KERNEL_VIRTUAL_RANGE_BASE;
    const firstFrame = 0x100000 / PAGE_SIZE;
    const pages = kernelSize / PAGE_SIZE;
    this.bootFrames.imageTables.forEach((table, j) => {
      const pdIndex = (base - KERNEL_MAPPING_BASE) / (2 * MiB) + j;
      this.writeTableEntry(this.bootFrames.kernelPd, pdIndex, table, PTE_PRESENT | PTE_READ_WRITE);
      for (let t = 0; t < 512 && j * 512 + t < pages; t++)
        this.writeTableEntry(table, t, firstFrame + j * 512 + t, PTE_PRESENT);
    });
    const region = new Region(
      this,
      0,
      kernelImageRegionSize(kernelSize),
      null,
      0,
      '',
      ACCESS_NONE,
      'Normal',
      false,
    );
    this.insertKernelRegion(region, { base, size: region.size });
    region.pageDirectory = this.kernelPageDirectory;
    return region;
  }

  /**
   * The PhysicalPageEntry array, mapped by hand as `initialize_physical_pages` does before
   * ensure_pte can work: its page tables are the first pages taken for it, each PDE and PTE
   * present, writable, global and supervisor, and the NX bit left clear. The virtual range is an
   * unbacked region placed first-fit after the kernel image. Every page table is filled to its 512
   * entries, so the last one also maps the frames that follow the array (quirk: kernel addresses
   * past the region reach them until a kernel region is mapped there).
   */
  private mapPageEntryArray(): Region {
    const { firstFrame, arrayPages, tablePages } = this.pageEntryArray;
    const range = this.kernelRegionTree.allocateRangeAnywhere(arrayPages * PAGE_SIZE, PAGE_SIZE);
    if (!range.ok) throw new BootError('no kernel virtual space for the page-entry array');
    // The kernel image region ends on a 2 MiB boundary, so the array starts its page tables' windows.
    verify(range.value.base % (2 * MiB) === 0, 'the page-entry array starts on a 2 MiB boundary');
    const flags = PTE_PRESENT | PTE_READ_WRITE | PTE_GLOBAL;
    const arrayFrame = firstFrame + tablePages;
    for (let j = 0; j < tablePages; j++) {
      const table = firstFrame + j;
      const pdIndex = (range.value.base - KERNEL_MAPPING_BASE) / (2 * MiB) + j;
      this.writeTableEntry(this.bootFrames.kernelPd, pdIndex, table, flags);
      for (let t = 0; t < 512; t++) this.writeTableEntry(table, t, arrayFrame + j * 512 + t, flags);
    }
    const region = new Region(this, 0, arrayPages * PAGE_SIZE, null, 0, '', ACCESS_NONE, 'Normal', false);
    this.insertKernelRegion(region, range.value);
    region.pageDirectory = this.kernelPageDirectory;
    return region;
  }

  /**
   * What an unbacked kernel region reserves, for the views (the kernel's regions have no name), or
   * null for a region that is not one of them.
   */
  unbackedRegionRole(region: Region): 'kernel image' | 'physical page entries' | null {
    if (region === this.kernelImage) return 'kernel image';
    if (region === this.pageEntryArrayRegion) return 'physical page entries';
    return null;
  }

  /**
   * The physical address the boot page tables map at a virtual address of an unbacked boot region
   * (or past the page-entry array, in its last page table), or null.
   */
  bootMappingOf(vaddr: number): number | null {
    if (this.kernelImage.contains(vaddr))
      return vaddr - this.kernelImage.base < this.options.kernelSize
        ? 0x100000 + (vaddr - this.kernelImage.base)
        : null;
    const array = this.pageEntryArrayRegion;
    const { firstFrame, tablePages } = this.pageEntryArray;
    if (vaddr >= array.base && vaddr < array.base + tablePages * 512 * PAGE_SIZE)
      return (firstFrame + tablePages) * PAGE_SIZE + (vaddr - array.base);
    return null;
  }

  private adoptBootFrame(frame: number): void {
    this.entries.flags[frame] = ENTRY_ALLOCATED;
    this.entries.refCount[frame] = 1;
    this.entries.link[frame] = -1;
  }

  /** Usable memory-map ranges, page aligned inward, minus the used ranges (as frame runs). */
  private usableRuns(): { first: number; end: number }[] {
    const runs: { first: number; end: number }[] = [];
    for (const entry of this.memoryMap) {
      if (entry.kind !== 'usable') continue;
      let first = Math.ceil(entry.base / PAGE_SIZE);
      const end = Math.floor((entry.base + entry.size) / PAGE_SIZE);
      const used = this.usedRanges
        .map((u) => ({
          first: Math.floor(u.base / PAGE_SIZE),
          end: Math.ceil((u.base + u.size) / PAGE_SIZE),
        }))
        .sort((a, b) => a.first - b.first);
      while (first < end) {
        const blocking = used.find((u) => u.first <= first && first < u.end);
        if (blocking !== undefined) {
          first = blocking.end;
          continue;
        }
        const next = used.filter((u) => u.first > first).reduce((m, u) => Math.min(m, u.first), end);
        const runEnd = Math.min(next, end);
        runs.push({ first, end: runEnd });
        first = runEnd;
      }
    }
    return runs;
  }

  /**
   * Whether the kernel heap could hold a VMObject's slot array (one 8-byte RefPtr per page). The
   * kernel's allocation fails with ENOMEM long before a slot array outgrows physical memory; the
   * simulation draws the line there.
   */
  canHoldSlotArray(pageCount: number): boolean {
    if (pageCount * 8 > this.info.physicalPages * PAGE_SIZE) return false;
    if (pageCount > MAX_SIMULATED_VMOBJECT_PAGES)
      throw new SimulationLimit(
        `A VMObject of ${pageCount.toLocaleString('en-US')} pages is beyond the ${MAX_SIMULATED_VMOBJECT_PAGES.toLocaleString('en-US')} pages (64 GiB) MMU Lens simulates in one VMObject.`,
      );
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Physical pages and counters (MemoryManager::allocate_physical_page, commit_physical_pages)

  commitPhysicalPages(count: number): ErrorOr<CommittedPhysicalPageSet> {
    verify(count > 0, 'page_count > 0');
    if (this.info.physicalPagesUncommitted < count) return err('ENOMEM');
    noteObject(this.info);
    this.info.physicalPagesUncommitted -= count;
    this.info.physicalPagesCommitted += count;
    if (this.events.enabled) this.events.push({ kind: 'pages_committed', count });
    return ok(new CommittedPhysicalPageSet(this, count));
  }

  uncommitPhysicalPages(count: number): void {
    verify(count > 0 && this.info.physicalPagesCommitted >= count, 'committed pages to uncommit');
    noteObject(this.info);
    this.info.physicalPagesCommitted -= count;
    this.info.physicalPagesUncommitted += count;
    if (this.events.enabled) this.events.push({ kind: 'pages_uncommitted', count });
  }

  /**
   * find_free_physical_page: the frame, or -1. Counters move before the zones are searched. The
   * purpose and space only go into the event: the kernel's allocator takes neither.
   */
  findFreePhysicalPage(committed: boolean, purpose: PagePurpose, space: number): number {
    const info = this.info;
    noteObject(info);
    if (committed) {
      verify(info.physicalPagesCommitted > 0, 'm_system_memory_info.physical_pages_committed > 0');
      info.physicalPagesCommitted--;
    } else {
      if (info.physicalPagesUncommitted === 0) return -1;
      info.physicalPagesUncommitted--;
    }
    const regions = this.physicalRegions;
    for (let r = 0; r < regions.length; r++) {
      const frame = regions[r]!.takeFreePage();
      if (frame < 0) continue;
      info.physicalPagesUsed++;
      this.contents.forgetUnallocated(frame);
      this.entries.noteEntry(frame);
      this.entries.refCount[frame] = 1;
      this.entries.flags[frame] = ENTRY_ALLOCATED | ENTRY_MAY_RETURN;
      this.entries.link[frame] = -1;
      if (this.events.enabled)
        this.events.push({
          kind: 'page_allocated',
          paddr: frame * PAGE_SIZE,
          committed,
          purpose,
          space,
        });
      return frame;
    }
    if (!committed) {
      noteField(this, 'lostUncommittedPages');
      this.lostUncommittedPages++;
    }
    return -1;
  }

  /** allocate_committed_physical_page: cannot fail (the page was committed). */
  allocateCommittedPhysicalPage(zeroFill: boolean, purpose: PagePurpose, space: number): number {
    const frame = this.findFreePhysicalPage(true, purpose, space);
    verify(frame >= 0, 'committed page found');
    if (zeroFill) this.zeroFillPage(frame, 'Normal');
    return frame;
  }

  /**
   * allocate_physical_page: the frame, or -1 for ENOMEM. On exhaustion it first purges a volatile
   * purgeable object, then releases clean inode pages. Sets lastDidPurge on success.
   */
  allocatePhysicalPage(
    zeroFill: boolean,
    purpose: PagePurpose,
    space: number,
    type: MemoryType = 'Normal',
  ): number {
    let frame = this.findFreePhysicalPage(false, purpose, space);
    let purged = false;
    if (frame < 0) {
      for (const object of this.allVMObjects) {
        if (object.kind !== 'Anonymous') continue;
        const anonymous = object as AnonymousVMObject;
        if (!anonymous.purgeable || !anonymous.volatile) continue;
        if (anonymous.purge() > 0) {
          frame = this.findFreePhysicalPage(false, purpose, space);
          verify(frame >= 0, 'page found after purging');
          purged = true;
          break;
        }
      }
    }
    if (frame < 0) {
      for (const object of this.allVMObjects) {
        if (!object.isInode()) continue;
        if ((object as InodeVMObject).tryReleaseCleanPages(1) > 0) {
          frame = this.findFreePhysicalPage(false, purpose, space);
          verify(frame >= 0, 'page found after releasing clean inode pages');
          break;
        }
      }
    }
    if (frame < 0) return -1;
    if (zeroFill) this.zeroFillPage(frame, type);
    noteField(this, 'lastDidPurge');
    this.lastDidPurge = purged;
    return frame;
  }

  /** allocate_contiguous_physical_pages: the first frame of `size / 4096` pages, zero filled. */
  allocateContiguousPhysicalPages(size: number, type: MemoryType): ErrorOr<number[]> {
    verify(size % PAGE_SIZE === 0, 'size % PAGE_SIZE == 0');
    const count = size / PAGE_SIZE;
    if (this.info.physicalPagesUncommitted < count) return err('ENOMEM');
    let first = -1;
    for (const region of this.physicalRegions) {
      first = region.takeContiguousFreePages(count);
      if (first >= 0) break;
    }
    if (first < 0) return err('ENOMEM');
    noteField(this, 'leakedContiguousPages');
    noteObject(this.info);
    this.leakedContiguousPages += nextPowerOfTwo(count) - count;
    this.info.physicalPagesUncommitted -= count;
    this.info.physicalPagesUsed += count;
    const frames: number[] = [];
    for (let f = first; f < first + count; f++) {
      this.contents.forgetUnallocated(f);
      this.entries.noteEntry(f);
      this.entries.refCount[f] = 1;
      this.entries.flags[f] = ENTRY_ALLOCATED | ENTRY_MAY_RETURN;
      this.entries.link[f] = -1;
      frames.push(f);
    }
    if (this.events.enabled)
      this.events.push({ kind: 'contiguous_pages_allocated', paddr: first * PAGE_SIZE, count });
    // Zero fill through a temporary kernel region mapped with the requested memory type.
    for (const f of frames) this.refPage(f);
    const temporary = this.allocateKernelRegionWithPhysicalPages(
      frames,
      'MemoryManager Allocation Sanitization',
      3,
      type,
    );
    if (temporary.ok) {
      for (const f of frames) this.contents.zero(f);
      this.releaseKernelRegion(temporary.value);
    } else {
      for (const f of frames) {
        this.unrefPage(f);
        this.contents.zero(f);
      }
    }
    return ok(frames);
  }

  deallocatePhysicalPage(frame: number): void {
    const region = this.physicalRegions.find((r) => r.containsFrame(frame));
    if (region === undefined)
      throw new KernelPanic(
        `MM: deallocate_physical_page couldn't figure out region for ${hex(frame * PAGE_SIZE)}`,
      );
    region.returnPage(frame);
    noteObject(this.info);
    this.info.physicalPagesUsed--;
    this.info.physicalPagesUncommitted++;
    if (this.events.enabled) this.events.push({ kind: 'page_freed', paddr: frame * PAGE_SIZE });
  }

  refPage(frame: number): void {
    noteField(this.entries.refCount, frame);
    this.entries.refCount[frame]!++;
  }

  /** Adds `delta` references to a frame at once (the tag pages' bulk reference moves). */
  adjustRefCount(frame: number, delta: number): void {
    noteField(this.entries.refCount, frame);
    this.entries.refCount[frame]! += delta;
  }

  /** PhysicalRAMPage::unref: the last reference frees the page if it may return to the free list. */
  unrefPage(frame: number): void {
    const entries = this.entries;
    verify(entries.refCount[frame]! > 0, 'ref_count > 0');
    noteField(entries.refCount, frame);
    if (--entries.refCount[frame]! > 0) return;
    const mayReturn = (entries.flags[frame]! & ENTRY_MAY_RETURN) !== 0;
    // A freed page keeps no contents: its entry's link word now belongs to the free lists.
    this.contents.zero(frame);
    entries.noteEntry(frame);
    entries.flags[frame] = 0;
    entries.link[frame] = -1;
    if (mayReturn) this.deallocatePhysicalPage(frame);
  }

  /**
   * Runs `work` on a page while it is quickmapped on CPU 0, as the kernel does to zero, copy or
   * fill a page. The slot is cleared again afterwards, so when nobody records events the two PTE
   * writes cancel out and only the busy-slot check matters.
   */
  private withQuickmappedPage(frame: number, type: MemoryType, work: () => void): void {
    if (!this.events.enabled) {
      if (this.quickmapInUse[0] === 1)
        throw new KernelPanic(
          'quickmap_page on CPU 0 while its quickmap slot is in use (m_quickmap_in_use is not reentrant)',
        );
      work();
      return;
    }
    this.quickmapPage(frame * PAGE_SIZE, type, 0);
    work();
    this.unquickmapPage(0);
  }

  private zeroFillPage(frame: number, type: MemoryType): void {
    if (!this.events.enabled) {
      if (this.quickmapInUse[0] === 1)
        throw new KernelPanic(
          'quickmap_page on CPU 0 while its quickmap slot is in use (m_quickmap_in_use is not reentrant)',
        );
      this.contents.zero(frame);
      return;
    }
    this.quickmapPage(frame * PAGE_SIZE, type, 0);
    this.contents.zero(frame);
    this.unquickmapPage(0);
  }

  /** Copies a page's contents into another through quickmap (COW copies). */
  copyPhysicalPage(from: number, to: number): void {
    this.withQuickmappedPage(to, 'Normal', () => this.contents.copy(from, to));
  }

  fillPhysicalPage(frame: number, data: Uint8Array): void {
    this.withQuickmappedPage(frame, 'Normal', () => this.contents.fill(frame, data));
  }

  /** Σ pages the zones can still hand out. */
  freePages(): number {
    let n = 0;
    for (const region of this.physicalRegions) n += region.available();
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // Quickmap (MemoryManager::quickmap_page, quickmap_pt, quickmap_pd, unquickmap_page)

  private quickmapSlotIndex(slot: QuickmapSlot, cpu: number): number {
    return (slot === 'pt' ? 64 : slot === 'pd' ? 128 : 192) + cpu;
  }

  static quickmapVaddr(slot: QuickmapSlot, cpu: number): number {
    const base =
      slot === 'pt'
        ? KERNEL_QUICKMAP_PT_PER_CPU_BASE
        : slot === 'pd'
          ? KERNEL_QUICKMAP_PD_PER_CPU_BASE
          : KERNEL_QUICKMAP_PER_CPU_BASE;
    return base + cpu * PAGE_SIZE;
  }

  /** Points a quickmap slot at a physical page unless it already maps it; returns the slot's address. */
  private setQuickmapSlot(slot: QuickmapSlot, cpu: number, paddr: number, type: MemoryType): number {
    this.pointQuickmapSlot(slot, cpu, paddr, type);
    return MemoryManager.quickmapVaddr(slot, cpu);
  }

  /**
   * setQuickmapSlot for callers that do not need the address (the page-table paths). Like
   * quickmap_page, quickmap_pt and quickmap_pd (Kernel/Memory/MemoryManager.cpp), it compares only
   * the slot's physical page base with the one asked for, not the present bit: a slot cleared by
   * unquickmap_page has base 0, so asking for physical address 0 rewrites nothing and the slot stays
   * not present (and keeps whatever memory type bits it has).
   */
  private pointQuickmapSlot(slot: QuickmapSlot, cpu: number, paddr: number, type: MemoryType): void {
    const table = this.bootFrames.quickmapPt;
    const index = this.quickmapSlotIndex(slot, cpu);
    const low = this.contents.readWord(table, 2 * index);
    const high = this.contents.readWord(table, 2 * index + 1);
    if (entryPaddr(low, high) === paddr) return;
    this.repointQuickmapSlot(slot, cpu, paddr, type, low, high);
  }

  /**
   * The rare half of pointQuickmapSlot, kept apart so that the check above stays small enough to be
   * inlined into ensurePte, which makes it twice for every PTE it locates.
   */
  private repointQuickmapSlot(
    slot: QuickmapSlot,
    cpu: number,
    paddr: number,
    type: MemoryType,
    oldLow: number,
    oldHigh: number,
  ): void {
    const vaddr = MemoryManager.quickmapVaddr(slot, cpu);
    // The kernel sets the fields one by one without clearing the entry: Accessed, Dirty, Global and
    // NX stay as they were; only quickmap_page rewrites the memory type bits.
    const kept =
      oldLow &
      (PTE_ACCESSED |
        PTE_DIRTY |
        PTE_GLOBAL |
        (slot === 'page' ? 0 : PTE_WRITE_THROUGH | PTE_PAT | PTE_CACHE_DISABLED));
    const typeBits = slot === 'page' ? memoryTypeBits(type, this.options.pat) : 0;
    this.writeEntry(
      this.bootFrames.quickmapPt,
      this.quickmapSlotIndex(slot, cpu),
      0,
      vaddr,
      encodeLow(paddr, PTE_PRESENT | PTE_READ_WRITE | typeBits | kept),
      encodeHigh(paddr, (oldHigh & PTE_HIGH_NX) !== 0),
    );
    this.recordTlbFlush(0, vaddr, 1, 'local');
    if (this.events.enabled) this.events.push({ kind: 'quickmap', cpu, slot, paddr, vaddr });
  }

  /** quickmap_page: a second quickmap on a busy CPU slot is a kernel panic (the lock is not reentrant). */
  quickmapPage(paddr: number, type: MemoryType, cpu: number): number {
    verify(cpu >= 0 && cpu < this.options.cpus, 'cpu < processor count');
    if (this.quickmapInUse[cpu] === 1)
      throw new KernelPanic(
        `quickmap_page on CPU ${cpu} while its quickmap slot is in use (m_quickmap_in_use is not reentrant)`,
      );
    noteField(this.quickmapInUse, cpu);
    this.quickmapInUse[cpu] = 1;
    return this.setQuickmapSlot('page', cpu, paddr, type);
  }

  unquickmapPage(cpu: number): void {
    verify(cpu >= 0 && cpu < this.options.cpus, 'cpu < processor count');
    verify(this.quickmapInUse[cpu] === 1, 'mm_data.m_quickmap_in_use.is_locked()');
    const vaddr = MemoryManager.quickmapVaddr('page', cpu);
    this.writeEntry(this.bootFrames.quickmapPt, this.quickmapSlotIndex('page', cpu), 0, vaddr, 0, 0);
    this.recordTlbFlush(0, vaddr, 1, 'local');
    if (this.events.enabled) this.events.push({ kind: 'unquickmap', cpu, vaddr });
    noteField(this.quickmapInUse, cpu);
    this.quickmapInUse[cpu] = 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Page tables (MemoryManager::ensure_pte, release_pte; Kernel/Arch/x86_64/PageDirectory.h)

  /** Writes a paging-structure entry (boot-time, no event). */
  private writeTableEntry(tableFrame: number, index: number, targetFrame: number, flags: number): void {
    const paddr = targetFrame * PAGE_SIZE;
    this.contents.writeEntry(tableFrame, index, encodeLow(paddr, flags), encodeHigh(paddr, false));
  }

  entryLow(tableFrame: number, index: number): number {
    return this.contents.readWord(tableFrame, 2 * index);
  }

  entryHigh(tableFrame: number, index: number): number {
    return this.contents.readWord(tableFrame, 2 * index + 1);
  }

  /** Writes a page-table entry and records the change (nothing when the value is the same). */
  private writeEntry(
    tableFrame: number,
    index: number,
    space: number,
    vaddr: number,
    low: number,
    high: number,
  ): void {
    const contents = this.contents;
    const oldLow = contents.readWord(tableFrame, 2 * index);
    const oldHigh = contents.readWord(tableFrame, 2 * index + 1);
    if (oldLow === low && oldHigh === high) return;
    contents.writeEntry(tableFrame, index, low, high);
    if (this.events.enabled)
      this.events.push({
        kind: 'pte_written',
        space,
        vaddr,
        entryPaddr: tableFrame * PAGE_SIZE + index * 8,
        oldLow,
        oldHigh,
        newLow: low,
        newHigh: high,
      });
  }

  /** The PD frame covering vaddr in a page directory (PML4 index ignored, as the kernel does). */
  private pdFrameFor(pd: PageDirectory, vaddr: number): number {
    const frame = pd.directoryPages[pdptIndexOf(vaddr)]!;
    verify(frame >= 0, 'page directory exists for the address');
    return frame;
  }

  /** ensure_pte: makes sure a page table covers vaddr; false when no page could be had for one. */
  ensurePte(pd: PageDirectory, vaddr: number): boolean {
    const pdptIndex = pdptIndexOf(vaddr);
    const pdFrame = this.pdFrameFor(pd, vaddr);
    this.pointQuickmapSlot('pd', 0, pdFrame * PAGE_SIZE, 'Normal');
    const pdIndex = pdIndexOf(vaddr);
    let ptFrame: number;
    const pdeLow = this.entryLow(pdFrame, pdIndex);
    if ((pdeLow & PTE_PRESENT) === 0) {
      ptFrame = this.allocatePhysicalPage(true, 'page_table', pd.spaceId);
      if (ptFrame < 0) return false;
      if (this.lastDidPurge) this.pointQuickmapSlot('pd', 0, pdFrame * PAGE_SIZE, 'Normal');
      const flags = PTE_PRESENT | PTE_READ_WRITE | PTE_USER_SUPERVISOR | (pd.isKernel ? PTE_GLOBAL : 0);
      const ptPaddr = ptFrame * PAGE_SIZE;
      this.contents.writeEntry(pdFrame, pdIndex, encodeLow(ptPaddr, flags), encodeHigh(ptPaddr, false));
      if (this.events.enabled)
        this.events.push({
          kind: 'page_table_allocated',
          space: pd.spaceId,
          vaddr: pdptIndex * GiB + pdIndex * 2 * MiB,
          paddr: ptFrame * PAGE_SIZE,
        });
    } else {
      ptFrame = entryFrame(pdeLow, this.entryHigh(pdFrame, pdIndex));
    }
    this.pointQuickmapSlot('pt', 0, ptFrame * PAGE_SIZE, 'Normal');
    noteField(this, 'ptIndex');
    noteField(this, 'ptFrame');
    this.ptIndex = ptIndexOf(vaddr);
    this.ptFrame = ptFrame;
    return true;
  }

  /** Writes the PTE located by the preceding ensurePte. */
  writeCurrentPte(pd: PageDirectory, vaddr: number, low: number, high: number): void {
    this.writeEntry(this.ptFrame, this.ptIndex, pd.spaceId, vaddr, low, high);
  }

  /**
   * Maps the PTE located by the preceding ensurePte as Region::map_individual_page_impl does: field
   * by field over the old entry, never clearing it first, so the Accessed and Dirty bits (and
   * Global) the entry had stay. A copy-on-write copy, a remap after fork or mprotect, or a dirty
   * file page made writable keeps them even though the frame changes.
   */
  mapCurrentPte(pd: PageDirectory, vaddr: number, low: number, high: number): void {
    const kept =
      this.contents.readWord(this.ptFrame, 2 * this.ptIndex) & (PTE_ACCESSED | PTE_DIRTY | PTE_GLOBAL);
    this.writeEntry(this.ptFrame, this.ptIndex, pd.spaceId, vaddr, (low | kept) >>> 0, high);
  }

  /** release_pte: clears the PTE; frees the page table when it is empty and this is the region's last PTE or index 511. */
  releasePte(pd: PageDirectory, vaddr: number, isLastPteRelease: boolean): void {
    const pdFrame = this.pdFrameFor(pd, vaddr);
    this.pointQuickmapSlot('pd', 0, pdFrame * PAGE_SIZE, 'Normal');
    const pdIndex = pdIndexOf(vaddr);
    const pdeLow = this.entryLow(pdFrame, pdIndex);
    if ((pdeLow & PTE_PRESENT) === 0) return;
    const ptFrame = entryFrame(pdeLow, this.entryHigh(pdFrame, pdIndex));
    this.pointQuickmapSlot('pt', 0, ptFrame * PAGE_SIZE, 'Normal');
    const ptIndex = ptIndexOf(vaddr);
    this.writeEntry(ptFrame, ptIndex, pd.spaceId, vaddr, 0, 0);
    if (!isLastPteRelease && ptIndex !== 511) return;
    if (!this.contents.isZero(ptFrame)) return;
    this.contents.writeEntry(pdFrame, pdIndex, 0, 0);
    if (this.events.enabled)
      this.events.push({
        kind: 'page_table_freed',
        space: pd.spaceId,
        vaddr: vaddr - (vaddr % (2 * MiB)),
        paddr: ptFrame * PAGE_SIZE,
      });
    this.unrefPage(ptFrame);
  }

  /** flush_tlb: broadcast for kernel addresses or multi-threaded processes when SMP is on. */
  flushTlb(pd: PageDirectory, vaddr: number, pageCount: number): void {
    if (!this.events.enabled) return;
    let scope: 'local' | 'broadcast' = 'local';
    if (this.options.cpus > 1) {
      const process = this.processes.get(pd.spaceId);
      if (vaddr >= KERNEL_MAPPING_BASE || (process !== undefined && process.threadCount > 1))
        scope = 'broadcast';
    }
    this.recordTlbFlush(pd.spaceId, vaddr, pageCount, scope);
  }

  private recordTlbFlush(
    space: number,
    vaddr: number,
    pageCount: number,
    scope: 'local' | 'broadcast',
  ): void {
    if (this.events.enabled) this.events.push({ kind: 'tlb_flush', space, vaddr, pageCount, scope });
  }

  /** try_create_for_userspace: PML4, PDPT and 128 PDs allocated eagerly; PDPT[128] = the kernel PD. */
  tryCreateUserPageDirectory(spaceId: number): ErrorOr<PageDirectory> {
    const frames: number[] = [];
    for (let i = 0; i < 2 + KERNEL_PDPT_INDEX; i++) {
      const frame = this.allocatePhysicalPage(true, 'paging_structure', spaceId);
      if (frame < 0) {
        for (const f of frames) this.unrefPage(f);
        return err('ENOMEM');
      }
      frames.push(frame);
    }
    const [pml4, pdpt] = frames as [number, number];
    const pd = new PageDirectory(spaceId, pml4, pdpt, false);
    for (let i = 0; i < KERNEL_PDPT_INDEX; i++) pd.directoryPages[i] = frames[2 + i]!;
    pd.directoryPages[KERNEL_PDPT_INDEX] = this.bootFrames.kernelPd;
    const userFlags = PTE_PRESENT | PTE_READ_WRITE | PTE_USER_SUPERVISOR;
    this.writeTableEntry(pml4, 0, pdpt, userFlags);
    for (let i = 0; i <= KERNEL_PDPT_INDEX; i++)
      this.writeTableEntry(pdpt, i, pd.directoryPages[i]!, userFlags);
    noteMapKey(this.pageDirectories, pd.cr3);
    this.pageDirectories.set(pd.cr3, pd);
    return ok(pd);
  }

  /** Drops a user page directory: its 130 pages return; page tables still referenced by PDEs leak. */
  destroyUserPageDirectory(pd: PageDirectory): void {
    verify(!pd.isKernel, 'not the kernel page directory');
    noteRemoval(this.pageDirectories);
    this.pageDirectories.delete(pd.cr3);
    for (let i = 0; i < KERNEL_PDPT_INDEX; i++) {
      const pdFrame = pd.directoryPages[i]!;
      if (this.contents.hasBuffer(pdFrame)) {
        for (let e = 0; e < 512; e++) {
          const low = this.entryLow(pdFrame, e);
          if ((low & PTE_PRESENT) === 0) continue;
          const leaked = entryFrame(low, this.entryHigh(pdFrame, e));
          noteSetMember(this.leakedPageTables, leaked);
          this.leakedPageTables.add(leaked);
        }
      }
      this.unrefPage(pdFrame);
    }
    this.unrefPage(pd.pdptFrame);
    this.unrefPage(pd.pml4Frame);
  }

  // ---------------------------------------------------------------------------------------------
  // Kernel regions (MemoryManager::allocate_*_kernel_region)

  private insertKernelRegion(region: Region, range: { base: number; size: number }): void {
    noteObject(region);
    region.base = range.base;
    region.size = range.size;
    region.spaceId = 0;
    region.placed = true;
    this.kernelRegionTree.insert(region);
    if (this.events.enabled)
      this.events.push({
        kind: 'region_created',
        space: 0,
        regionId: region.id,
        base: region.base,
        size: region.size,
        name: region.name,
      });
  }

  private placeAndMapKernelRegion(region: Region, alignment = PAGE_SIZE): ErrorOr<Region> {
    const range = this.kernelRegionTree.allocateRangeAnywhere(region.size, alignment);
    if (!range.ok) {
      region.destroy();
      return err(range.errno);
    }
    this.insertKernelRegion(region, range.value);
    const mapped = region.map(this.kernelPageDirectory);
    if (!mapped.ok) {
      this.releaseKernelRegion(region);
      return err(mapped.errno);
    }
    return ok(region);
  }

  allocateKernelRegion(
    size: number,
    name: string,
    access: number,
    strategy: AllocationStrategy = 'Reserve',
    type: MemoryType = 'Normal',
  ): ErrorOr<Region> {
    verify(size % PAGE_SIZE === 0, 'size % PAGE_SIZE == 0');
    const object = AnonymousVMObject.tryCreateWithSize(this, size, strategy, KERNEL_SPACE_ID);
    if (!object.ok) return err(object.errno);
    return this.placeAndMapKernelRegion(
      new Region(this, 0, size, object.value, 0, name, access, type, false),
    );
  }

  allocateContiguousKernelRegion(
    size: number,
    name: string,
    access: number,
    type: MemoryType = 'Normal',
  ): ErrorOr<Region> {
    verify(size % PAGE_SIZE === 0, 'size % PAGE_SIZE == 0');
    const frames = this.allocateContiguousPhysicalPages(size, type);
    if (!frames.ok) return err(frames.errno);
    return this.allocateKernelRegionWithPhysicalPages(frames.value, name, access, type);
  }

  /** Adopts one reference of each given frame. */
  allocateKernelRegionWithPhysicalPages(
    frames: number[],
    name: string,
    access: number,
    type: MemoryType = 'Normal',
  ): ErrorOr<Region> {
    const object = AnonymousVMObject.withPhysicalPages(this, frames);
    return this.placeAndMapKernelRegion(
      new Region(this, 0, frames.length * PAGE_SIZE, object, 0, name, access, type, false),
    );
  }

  allocateKernelRegionWithVMObject(
    object: VMObject,
    size: number,
    name: string,
    access: number,
    type: MemoryType = 'Normal',
  ): ErrorOr<Region> {
    verify(size % PAGE_SIZE === 0, 'size % PAGE_SIZE == 0');
    return this.placeAndMapKernelRegion(new Region(this, 0, size, object, 0, name, access, type, false));
  }

  allocateMmioKernelRegion(
    paddr: number,
    size: number,
    name: string,
    access: number,
    type: MemoryType = 'IO',
  ): ErrorOr<Region> {
    verify(size % PAGE_SIZE === 0, 'size % PAGE_SIZE == 0');
    if (paddr + size > 2 ** 64) return err('ENOMEM');
    verify(paddr % PAGE_SIZE === 0, 'paddr is page aligned');
    if (!this.canHoldSlotArray(size / PAGE_SIZE)) return err('ENOMEM');
    const object = new MMIOVMObject(this, paddr, size / PAGE_SIZE);
    const region = new Region(this, 0, size, object, 0, name, access, type, false);
    region.device = 'mmio';
    return this.placeAndMapKernelRegion(region);
  }

  allocateDmaBufferPage(name: string, access: number, type: MemoryType = 'NonCacheable'): ErrorOr<Region> {
    const frame = this.allocatePhysicalPage(true, 'dma_buffer', KERNEL_SPACE_ID, 'Normal');
    if (frame < 0) return err('ENOMEM');
    return markedDma(this.allocateKernelRegionWithPhysicalPages([frame], name, access, type));
  }

  allocateDmaBufferPages(
    size: number,
    name: string,
    access: number,
    type: MemoryType = 'NonCacheable',
  ): ErrorOr<Region> {
    const frames = this.allocateContiguousPhysicalPages(size, type);
    if (!frames.ok) return err(frames.errno);
    return markedDma(this.allocateKernelRegionWithPhysicalPages(frames.value, name, access, type));
  }

  /** Destroys a kernel region (unregister_kernel_region + ~Region). */
  releaseKernelRegion(region: Region): void {
    this.kernelRegionTree.remove(region);
    region.destroy();
  }

  // ---------------------------------------------------------------------------------------------
  // Page faults (MemoryManager::handle_page_fault, Kernel/Arch/PageFault.cpp)

  currentThreadCounters(): ThreadCounters {
    return this.currentProcess?.counters ?? this.kernelCounters;
  }

  /** The fault counters of faults taken on the kernel's own behalf (no current process). */
  get kernelThreadCounters(): Readonly<ThreadCounters> {
    return this.kernelCounters;
  }

  /** Records a fault with the handler it reached and passes the response through. */
  lastFaultHandler: FaultHandlerKind = 'none';

  noteFault(
    fault: PageFault,
    handler: FaultHandlerKind,
    response: PageFaultResponse,
    decision = '',
  ): PageFaultResponse {
    noteField(this, 'lastFaultHandler');
    this.lastFaultHandler = handler;
    if (this.events.enabled)
      this.events.push({
        kind: 'page_fault',
        space: this.currentProcess?.pid ?? 0,
        vaddr: fault.vaddr,
        access: fault.access,
        userMode: fault.userMode,
        notPresent: fault.notPresent,
        handler,
        response,
        decision,
      });
    return response;
  }

  /** Whether faults should say why they went their way (only when someone records events). */
  get explainsFaults(): boolean {
    return this.events.enabled;
  }

  /** MemoryManager::validate_user_stack, as PageFault::handle calls it for a user fault. */
  validateUserStack(process: Process, sp: number): boolean {
    if (!isUserAddress(sp)) return false;
    const space = process.space;
    const at = space.regionTree.findRegionContaining(sp);
    if (at !== null && at.isUser() && at.stack) return true;
    const below = space.regionTree.findRegionContaining(sp - 1);
    return below !== null && below.isUser() && below.stack && below.end === sp;
  }

  /** handle_page_fault for a process (or the kernel when `process` is null). */
  handlePageFault(process: Process | null, fault: PageFault): PageFaultResponse {
    noteField(this, 'currentProcess');
    noteField(this, 'lastFaultHandler');
    this.currentProcess = process;
    this.lastFaultHandler = 'none';
    if (fault.userMode && process !== null) {
      const sp = process.userStackPointer;
      if (sp !== null && !this.validateUserStack(process, sp))
        return this.noteFault(fault, 'none', 'ShouldCrash', 'the stack pointer is not in a stack region');
    }
    let region: Region | null;
    if (isUserAddress(fault.vaddr)) {
      if (process === null)
        return this.noteFault(fault, 'none', 'ShouldCrash', 'a user address with no process to fault in');
      region = process.space.regionTree.findRegionContaining(fault.vaddr);
    } else {
      region = this.kernelRegionTree.findRegionContaining(fault.vaddr);
    }
    if (region === null)
      return this.noteFault(fault, 'none', 'ShouldCrash', 'no region contains the address');
    return region.handleFault(fault);
  }

  /** Step 8 of handle_fault: nothing to do unless the PTE contradicts the fault (then a panic). */
  checkUnhandledFault(region: Region, fault: PageFault): PageFaultResponse {
    const pd = region.pageDirectory;
    const found = pd === null ? null : this.lookupPte(pd, fault.vaddr);
    const unhandled = (why: string): never => {
      throw new KernelPanic(`Unhandled page fault at ${hex(fault.vaddr)}: ${why}`);
    };
    if (found === null) return unhandled('no page table');
    const [low, high] = found;
    if ((low & PTE_PRESENT) === 0) return unhandled('PTE not present');
    if (fault.access === 'write' && (low & PTE_READ_WRITE) === 0)
      return unhandled('write to a read-only PTE');
    if (fault.access === 'execute' && (high & PTE_HIGH_NX) !== 0)
      return unhandled('instruction fetch from an NX page');
    if (fault.userMode && (low & PTE_USER_SUPERVISOR) === 0)
      return unhandled('user access to a supervisor page');
    if (!fault.userMode && (low & PTE_USER_SUPERVISOR) !== 0 && this.options.smap && !fault.smapDisabled)
      return unhandled('kernel access to a user page with SMAP');
    return 'Continue';
  }

  /** Side-effect-free PTE lookup under PML4[0] (like MM::pte without the quickmap): [low, high] or null. */
  lookupPte(pd: PageDirectory, vaddr: number): [number, number] | null {
    const pdFrame = pd.directoryPages[Math.floor(vaddr / GiB) % 512]!;
    if (pdFrame < 0) return null;
    const pdIndex = Math.floor(vaddr / (2 * MiB)) % 512;
    const pdeLow = this.entryLow(pdFrame, pdIndex);
    if ((pdeLow & PTE_PRESENT) === 0) return null;
    const ptFrame = entryPaddr(pdeLow, this.entryHigh(pdFrame, pdIndex)) / PAGE_SIZE;
    const i = Math.floor(vaddr / PAGE_SIZE) % 512;
    return [this.entryLow(ptFrame, i), this.entryHigh(ptFrame, i)];
  }

  /** Kernel PT1024 base, for views. */
  static readonly PT1024_BASE = KERNEL_PT1024_BASE;
}

// Paging-structure indices of an address (an integer >= 0) on the map/unmap hot paths. The PD and
// PT indices lie in the low 32 bits; integer operators spare the floating-point floor and modulo.
function pdptIndexOf(vaddr: number): number {
  return (vaddr / GiB) & 511;
}
function pdIndexOf(vaddr: number): number {
  return (vaddr >>> 21) & 511;
}
function ptIndexOf(vaddr: number): number {
  return (vaddr >>> 12) & 511;
}

function validateOptions(options: MachineOptions): void {
  const problem =
    cpusProblem(options.cpus) ??
    kernelSizeProblem(options.kernelSize) ??
    (options.memoryMap === undefined ? ramProblem(options.ram) : null) ??
    (options.memoryMap ?? [])
      .map((entry) => memoryRangeProblem(entry.base, entry.size))
      .find((p) => p !== null) ??
    null;
  if (problem !== null) throw new BootError(problem);
}

/** A DMA buffer's region, marked as one (Region.device) once it was made. */
function markedDma(region: ErrorOr<Region>): ErrorOr<Region> {
  if (region.ok) {
    noteField(region.value, 'device');
    region.value.device = 'dma';
  }
  return region;
}
