// A Region maps a window of a VMObject at a virtual range (`Kernel/Memory/Region.cpp`): access bits, flags,
// memory type, the sticky has_been_* history, mapping into a page directory, and the per-region
// page-fault handler with its zero, copy-on-write and inode paths.

import type { AnonymousVMObject } from './AnonymousVMObject';
import { KERNEL_MAPPING_BASE, PAGE_SIZE, USER_RANGE_BASE, USER_RANGE_CEILING } from './constants';
import { type ErrorOr, KernelPanic, err, ok, verify } from './errors';
import type { InodeVMObject } from './InodeVMObject';
import type { MemoryManager } from './MemoryManager';
import type { MMIOVMObject } from './MMIOVMObject';
import type { PageDirectory } from './PageDirectory';
import { type PageFault, type PageFaultResponse, isReadFault } from './PageFault';
import {
  type MemoryType,
  PTE_PRESENT,
  PTE_READ_WRITE,
  PTE_USER_SUPERVISOR,
  encodeHigh,
  encodeLow,
  memoryTypeBits,
} from './PageTableEntry';
import type { PrivateInodeVMObject } from './PrivateInodeVMObject';
import type { SharedInodeVMObject } from './SharedInodeVMObject';
import { NULL_FRAME, type VMObject } from './VMObject';
import { noteArray, noteField, noteObject } from './UndoLog';

export const ACCESS_NONE = 0;
export const ACCESS_READ = 1;
export const ACCESS_WRITE = 2;
export const ACCESS_EXECUTE = 4;

/** Device memory a kernel region was made for, as its allocator knows it. */
export type DeviceMemory = 'dma' | 'mmio';

export class Region {
  readonly id: number;
  /**
   * Set by the allocator that made the region: a DMA buffer (allocate_dma_buffer_page(s)) or an
   * MMIO window (allocate_mmio_kernel_region); null for every other region. The kernel keeps no such
   * mark (a DMA buffer is an ordinary region over adopted pages); MMU Lens keeps it so that views
   * need not guess.
   */
  device: DeviceMemory | null = null;
  base: number;
  size: number;
  access: number;
  /** Address-space id for events (0 = kernel). */
  spaceId = 0;
  /** Set once the region was placed in a region tree (only placed regions report their end). */
  placed = false;
  pageDirectory: PageDirectory | null = null;
  shared = false;
  stack = false;
  mmap = false;
  syscallRegion = false;
  mmappedFromReadable = false;
  mmappedFromWritable = false;
  immutable = false;
  initiallyLoadedExecutableSegment = false;
  hasBeenReadable = false;
  hasBeenWritable = false;
  hasBeenExecutable = false;

  constructor(
    readonly mm: MemoryManager,
    base: number,
    size: number,
    /** Null for an unbacked region (boot-time kernel ranges). */
    readonly vmobject: VMObject | null,
    readonly offsetInVMObject: number,
    public name: string,
    access: number,
    readonly memoryType: MemoryType,
    shared: boolean,
  ) {
    noteField(mm, 'nextRegionId');
    this.id = mm.nextRegionId++;
    this.base = base;
    this.size = size;
    this.access = access;
    this.shared = shared;
    this.updateShadowPermissionBits(access);
    vmobject?.addRegion(this);
  }

  get end(): number {
    return this.base + this.size;
  }
  get pageCount(): number {
    return this.size / PAGE_SIZE;
  }
  get firstPageIndex(): number {
    return this.offsetInVMObject / PAGE_SIZE;
  }

  isReadable(): boolean {
    return (this.access & ACCESS_READ) !== 0;
  }
  isWritable(): boolean {
    return (this.access & ACCESS_WRITE) !== 0;
  }
  isExecutable(): boolean {
    return (this.access & ACCESS_EXECUTE) !== 0;
  }
  isKernel(): boolean {
    return this.base < USER_RANGE_BASE || this.base >= KERNEL_MAPPING_BASE;
  }
  isUser(): boolean {
    return !this.isKernel();
  }
  isMapped(): boolean {
    return this.pageDirectory !== null;
  }
  contains(vaddr: number): boolean {
    return vaddr >= this.base && vaddr < this.base + this.size;
  }

  updateShadowPermissionBits(access: number): void {
    noteObject(this);
    if (access & ACCESS_READ) this.hasBeenReadable = true;
    if (access & ACCESS_WRITE) this.hasBeenWritable = true;
    if (access & ACCESS_EXECUTE) this.hasBeenExecutable = true;
  }

  /** Sets the R/W/X bits (mprotect); setting a bit also sets its sticky history flag. */
  setAccess(access: number): void {
    noteObject(this);
    this.access = access;
    this.updateShadowPermissionBits(access);
    if (this.mm.events.enabled)
      this.mm.events.push({ kind: 'region_access_changed', space: this.spaceId, regionId: this.id, access });
  }

  /** Region::set_name (set_mmap_name). */
  setName(name: string): void {
    noteObject(this);
    this.name = name;
    if (this.mm.events.enabled)
      this.mm.events.push({ kind: 'region_renamed', space: this.spaceId, regionId: this.id, name });
  }

  pageIndexFromAddress(vaddr: number): number {
    return Math.floor((vaddr - this.base) / PAGE_SIZE);
  }

  /** VMObject page index → region page index, or -1 outside this region's window. */
  translateVMObjectPage(vmIndex: number): number {
    const i = vmIndex - this.firstPageIndex;
    return i >= 0 && i < this.pageCount ? i : -1;
  }

  /** The frame in the slot behind region page i (NULL_FRAME when none). */
  physicalPage(i: number): number {
    if (this.vmobject === null || this.vmobject.kind === 'MMIO') return NULL_FRAME;
    return this.vmobject.pages[this.firstPageIndex + i] ?? NULL_FRAME;
  }

  shouldCow(i: number): boolean {
    if (this.vmobject === null || this.vmobject.kind !== 'Anonymous') return false;
    return (this.vmobject as AnonymousVMObject).shouldCow(this.firstPageIndex + i, this.shared);
  }

  shouldDirtyOnWrite(i: number): boolean {
    const object = this.vmobject;
    if (object === null || (object.kind !== 'SharedInode' && object.kind !== 'PrivateInode')) return false;
    return !(object as InodeVMObject).isPageDirty(this.firstPageIndex + i);
  }

  // ---------------------------------------------------------------------------------------------
  // Mapping

  /** map_individual_page_impl: derives and writes one PTE. False when no page table could be had. */
  mapIndividualPage(i: number): boolean {
    const mm = this.mm;
    const pd = this.pageDirectory!;
    const vaddr = this.base + i * PAGE_SIZE;
    if (this.mmap && vaddr >= KERNEL_MAPPING_BASE) throw new KernelPanic('mmap region at a kernel address');
    if (!mm.ensurePte(pd, vaddr)) return false;
    const object = this.vmobject!;
    const frame = object.pages[this.firstPageIndex + i]!;
    const access = this.access;
    if (frame === NULL_FRAME || (access & (ACCESS_READ | ACCESS_WRITE)) === 0) {
      mm.writeCurrentPte(pd, vaddr, 0, 0);
      return true;
    }
    let writable =
      (access & ACCESS_WRITE) !== 0 && frame !== mm.sharedZeroFrame && frame !== mm.lazyCommittedFrame;
    if (writable && (this.shouldCow(i) || this.shouldDirtyOnWrite(i))) writable = false;
    const paddr = frame * PAGE_SIZE;
    const user = vaddr >= USER_RANGE_BASE && vaddr < USER_RANGE_CEILING;
    const flags =
      PTE_PRESENT |
      (writable ? PTE_READ_WRITE : 0) |
      (user ? PTE_USER_SUPERVISOR : 0) |
      memoryTypeBits(this.memoryType, mm.options.pat);
    mm.mapCurrentPte(pd, vaddr, encodeLow(paddr, flags), encodeHigh(paddr, (access & ACCESS_EXECUTE) === 0));
    return true;
  }

  /** Maps an MMIO region page by page at consecutive physical addresses. */
  private mapMmioPage(i: number): boolean {
    const mm = this.mm;
    const pd = this.pageDirectory!;
    const vaddr = this.base + i * PAGE_SIZE;
    if (!mm.ensurePte(pd, vaddr)) return false;
    if ((this.access & (ACCESS_READ | ACCESS_WRITE)) === 0) {
      mm.writeCurrentPte(pd, vaddr, 0, 0);
      return true;
    }
    const paddr = (this.vmobject as MMIOVMObject).basePaddr + (this.firstPageIndex + i) * PAGE_SIZE;
    const user = vaddr >= USER_RANGE_BASE && vaddr < USER_RANGE_CEILING;
    const flags =
      PTE_PRESENT |
      (this.isWritable() ? PTE_READ_WRITE : 0) |
      (user ? PTE_USER_SUPERVISOR : 0) |
      memoryTypeBits(this.memoryType, mm.options.pat);
    mm.mapCurrentPte(pd, vaddr, encodeLow(paddr, flags), encodeHigh(paddr, !this.isExecutable()));
    return true;
  }

  private mapPage(i: number): boolean {
    return this.vmobject!.kind === 'MMIO' ? this.mapMmioPage(i) : this.mapIndividualPage(i);
  }

  /** map(pd): maps every page until one fails; ENOMEM leaves the partial mapping in place. */
  map(pd: PageDirectory, flushTlb = true): ErrorOr<void> {
    verify(this.pageDirectory === null || this.pageDirectory === pd, 'region not mapped elsewhere');
    noteObject(this);
    this.pageDirectory = pd;
    let mapped = 0;
    for (let i = 0; i < this.pageCount; i++) {
      if (!this.mapPage(i)) break;
      mapped++;
    }
    if (mapped > 0 && flushTlb) this.mm.flushTlb(pd, this.base, mapped);
    return mapped === this.pageCount ? ok(undefined) : err('ENOMEM');
  }

  /** set_page_directory without PTEs (PROT_NONE mappings). */
  setPageDirectory(pd: PageDirectory): void {
    verify(this.pageDirectory === null || this.pageDirectory === pd, 'region not mapped elsewhere');
    noteObject(this);
    this.pageDirectory = pd;
  }

  unmap(flushTlb = true): void {
    const pd = this.pageDirectory;
    if (pd === null) return;
    this.releasePtes(pd);
    if (flushTlb) this.mm.flushTlb(pd, this.base, this.pageCount);
    noteObject(this);
    this.pageDirectory = null;
  }

  /**
   * release_pte for every page. (A loop of its own: when a long loop inside unmap was compiled on
   * the fly, the code after it had never run, and every large unmap threw the compiled code away.)
   */
  private releasePtes(pd: PageDirectory): void {
    const count = this.pageCount;
    for (let i = 0; i < count; i++) this.mm.releasePte(pd, this.base + i * PAGE_SIZE, i === count - 1);
  }

  /** remap(): re-derives every PTE; a failure is the kernel's TODO() (a panic). */
  remap(): void {
    const pd = this.pageDirectory;
    if (pd === null) return;
    const result = this.map(pd, true);
    if (!result.ok) throw new KernelPanic('TODO() in Region::remap: out of memory for a page table');
  }

  /** remap_vmobject_page: false when the index is outside this region or mapping failed. */
  remapVMObjectPage(vmIndex: number): boolean {
    const i = this.translateVMObjectPage(vmIndex);
    if (i < 0) return false;
    const pd = this.pageDirectory;
    if (pd === null) return true;
    const success = this.mapPage(i);
    if (success) this.mm.flushTlb(pd, this.base + i * PAGE_SIZE, 1);
    return success;
  }

  // ---------------------------------------------------------------------------------------------
  // Page faults (Region::handle_fault)

  handleFault(fault: PageFault): PageFaultResponse {
    const mm = this.mm;
    const i = this.pageIndexFromAddress(fault.vaddr);
    const crash = (why: string): PageFaultResponse => mm.noteFault(fault, 'none', 'ShouldCrash', why);
    if (fault.userMode && this.isKernel()) return crash('a user access to a kernel region');
    if (!fault.userMode && this.isUser() && mm.options.smap && !fault.smapDisabled)
      return crash('a kernel access to a user page while SMAP is on');
    if (fault.access === 'execute' && !this.isExecutable()) return crash('the region is not executable');
    if (isReadFault(fault) && !this.isReadable()) return crash('the region is not readable');
    if (fault.access === 'write' && !this.isWritable()) return crash('the region is not writable');
    const object = this.vmobject;
    if (object === null) return crash('the region has no VMObject');
    // Why is told from the state the handler meets, before it changes it (and only when recorded).
    const explain = mm.explainsFaults;
    if (fault.access === 'write') {
      const frame = this.physicalPage(i);
      if (object.kind === 'Anonymous' && (frame === mm.sharedZeroFrame || frame === mm.lazyCommittedFrame)) {
        const why = explain ? this.zeroFaultDecision(frame) : '';
        return mm.noteFault(fault, 'zero', this.handleZeroFault(i, frame), why);
      }
      if (this.shouldCow(i)) {
        const why = explain ? this.cowFaultDecision(i) : '';
        return mm.noteFault(fault, 'cow', this.handleCowFault(i), why);
      }
      if (object.isInode()) {
        const why = explain ? this.inodeFaultDecision(i, true) : '';
        return mm.noteFault(fault, 'inode', this.handleInodeWriteFault(i), why);
      }
    } else if (object.isInode()) {
      const why = explain ? this.inodeFaultDecision(i, false) : '';
      return mm.noteFault(fault, 'inode', this.handleInodeFault(i, false), why);
    }
    return mm.noteFault(fault, 'none', mm.checkUnhandledFault(this, fault));
  }

  private zeroFaultDecision(frame: number): string {
    const mm = this.mm;
    return frame === mm.lazyCommittedFrame
      ? 'the page was the lazy committed page, so one of the pages the object committed takes its place'
      : 'the page was the shared zero page, so a fresh zero-filled page is allocated';
  }

  private cowFaultDecision(i: number): string {
    const object = this.vmobject;
    if (object === null || object.kind !== 'Anonymous') return 'copy-on-write outside an anonymous object';
    const anonymous = object as AnonymousVMObject;
    if (anonymous.volatile) return 'the object is purgeable and volatile, so the write crashes';
    const refs = this.mm.entries.refCount[anonymous.pages[this.firstPageIndex + i]!]!;
    if (refs === 1) return 'ref_count was 1, so no copy: the COW bit is cleared and the page made writable';
    const from =
      anonymous.sharedCommittedCowPages !== null ? "the fork's committed COW pool" : 'a newly allocated page';
    return `ref_count was ${refs}, so the page is copied into ${from}`;
  }

  private inodeFaultDecision(i: number, write: boolean): string {
    const object = this.vmobject as InodeVMObject;
    const vmIndex = this.firstPageIndex + i;
    if (object.pages[vmIndex] !== NULL_FRAME)
      return write
        ? 'the page is loaded, so it is only marked dirty and mapped writable'
        : 'the page is loaded, so it is only mapped';
    const offset = vmIndex * PAGE_SIZE;
    if (offset >= object.inode.size)
      return `offset ${offset} is past the end of the file (${object.inode.size} bytes)`;
    return `the page is read from the file at offset ${offset}${write ? ' and marked dirty' : ''}`;
  }

  private handleZeroFault(i: number, pageAtFaultTime: number): PageFaultResponse {
    const mm = this.mm;
    const object = this.vmobject as AnonymousVMObject;
    const vmIndex = this.firstPageIndex + i;
    const current = object.pages[vmIndex]!;
    if (current !== NULL_FRAME && current !== mm.sharedZeroFrame && current !== mm.lazyCommittedFrame)
      return this.remapVMObjectPage(vmIndex) ? 'Continue' : 'OutOfMemory';
    const counters = mm.currentThreadCounters();
    noteObject(counters);
    counters.zeroFaults++;
    let frame: number;
    if (pageAtFaultTime === mm.lazyCommittedFrame) {
      frame = object.allocateCommittedPage(this.spaceId);
    } else {
      frame = mm.allocatePhysicalPage(true, 'zero_fill', this.spaceId);
      if (frame < 0) return 'OutOfMemory';
    }
    object.setSlot(vmIndex, frame);
    if (this.shared) return object.remapRegionsOnePage(vmIndex) ? 'Continue' : 'OutOfMemory';
    return this.remapVMObjectPage(vmIndex) ? 'Continue' : 'OutOfMemory';
  }

  private handleCowFault(i: number): PageFaultResponse {
    const mm = this.mm;
    const counters = mm.currentThreadCounters();
    noteObject(counters);
    counters.cowFaults++;
    const object = this.vmobject!;
    if (object.kind !== 'Anonymous') return 'ShouldCrash';
    verify(!this.shared, '!m_shared');
    const vmIndex = this.firstPageIndex + i;
    const response = (object as AnonymousVMObject).handleCowFault(vmIndex, this.spaceId);
    if (!this.remapVMObjectPage(vmIndex)) return 'OutOfMemory';
    return response;
  }

  private handleInodeFault(i: number, markDirty: boolean): PageFaultResponse {
    const mm = this.mm;
    const object = this.vmobject as InodeVMObject;
    const vmIndex = this.firstPageIndex + i;
    if (object.pages[vmIndex] !== NULL_FRAME) {
      if (markDirty) object.setPageDirty(vmIndex, true);
      return this.remapVMObjectPage(vmIndex) ? 'Continue' : 'OutOfMemory';
    }
    const counters = mm.currentThreadCounters();
    noteObject(counters);
    counters.inodeFaults++;
    const buffer = new Uint8Array(PAGE_SIZE);
    const read = object.inode.readBytes(vmIndex * PAGE_SIZE, buffer);
    if (read === 0) return 'BusError';
    const frame = mm.allocatePhysicalPage(false, 'inode_read', this.spaceId);
    if (frame < 0) return 'OutOfMemory';
    mm.fillPhysicalPage(frame, buffer);
    if (object.pages[vmIndex] === NULL_FRAME) {
      verify(!object.isPageDirty(vmIndex), '!vmobject.is_page_dirty(page_index_in_vmobject)');
      noteField(object.pages, vmIndex);
      object.pages[vmIndex] = frame;
    } else {
      mm.unrefPage(frame);
    }
    if (markDirty) object.setPageDirty(vmIndex, true);
    return this.remapVMObjectPage(vmIndex) ? 'Continue' : 'OutOfMemory';
  }

  private handleInodeWriteFault(i: number): PageFaultResponse {
    const object = this.vmobject as InodeVMObject;
    const vmIndex = this.firstPageIndex + i;
    if (object.pages[vmIndex] !== NULL_FRAME) {
      object.setPageDirty(vmIndex, true);
      return this.remapVMObjectPage(vmIndex) ? 'Continue' : 'OutOfMemory';
    }
    return this.handleInodeFault(i, true);
  }

  // ---------------------------------------------------------------------------------------------
  // Accounting (Region::amount_*)

  amountResident(): number {
    let n = 0;
    for (let i = 0; i < this.pageCount; i++) {
      const frame = this.physicalPage(i);
      if (frame !== NULL_FRAME && frame !== this.mm.sharedZeroFrame && frame !== this.mm.lazyCommittedFrame)
        n++;
    }
    return n * PAGE_SIZE;
  }

  amountShared(): number {
    let n = 0;
    for (let i = 0; i < this.pageCount; i++) {
      const frame = this.physicalPage(i);
      if (frame === NULL_FRAME || frame === this.mm.sharedZeroFrame || frame === this.mm.lazyCommittedFrame)
        continue;
      if (this.mm.entries.refCount[frame]! > 1) n++;
    }
    return n * PAGE_SIZE;
  }

  amountDirty(): number {
    const object = this.vmobject;
    if (object !== null && object.isInode()) return (object as InodeVMObject).amountDirty();
    return this.amountResident();
  }

  cowPages(): number {
    const object = this.vmobject;
    if (object === null || object.kind !== 'Anonymous') return 0;
    return (object as AnonymousVMObject).cowPages();
  }

  // ---------------------------------------------------------------------------------------------
  // Cloning and destruction

  /**
   * Region::try_clone, for fork (`Kernel/Syscalls/fork.cpp`): the clone is for the child's space
   * `space`, but neither placed nor mapped.
   */
  tryClone(space: number): ErrorOr<Region> {
    const object = this.vmobject;
    if (object === null) return err('ENOTSUP');
    if (this.shared) {
      verify(!this.stack, '!is_stack()');
      const clone = new Region(
        this.mm,
        this.base,
        this.size,
        object,
        this.offsetInVMObject,
        this.name,
        this.access,
        this.memoryType,
        true,
      );
      clone.mmap = this.mmap;
      clone.mmappedFromReadable = this.mmappedFromReadable;
      clone.mmappedFromWritable = this.mmappedFromWritable;
      clone.syscallRegion = this.syscallRegion;
      return ok(clone);
    }
    let cloned: VMObject;
    if (object.kind === 'Anonymous') {
      const result = (object as AnonymousVMObject).tryClone(space);
      if (!result.ok) return err(result.errno);
      cloned = result.value;
    } else if (object.kind === 'PrivateInode') {
      cloned = (object as PrivateInodeVMObject).tryClone();
    } else if (object.kind === 'SharedInode') {
      throw new KernelPanic('VERIFY(vmobject().is_private_inode()) failed');
    } else {
      return err('ENOTSUP');
    }
    if (this.isWritable()) this.remap();
    const clone = new Region(
      this.mm,
      this.base,
      this.size,
      cloned,
      this.offsetInVMObject,
      this.name,
      this.access,
      this.memoryType,
      false,
    );
    if (object.kind === 'Anonymous') clone.stack = this.stack;
    clone.syscallRegion = this.syscallRegion;
    clone.mmap = this.mmap;
    clone.mmappedFromReadable = this.mmappedFromReadable;
    clone.mmappedFromWritable = this.mmappedFromWritable;
    return ok(clone);
  }

  /** Region::~Region. The caller has already taken it out of its tree. */
  destroy(flushTlb = true): void {
    const object = this.vmobject;
    if (object !== null && this.isWritable() && object.kind === 'SharedInode')
      (object as SharedInodeVMObject).syncBeforeDestroying();
    if (object !== null) {
      const at = object.regions.indexOf(this);
      if (at >= 0) {
        noteArray(object.regions);
        object.regions.splice(at, 1);
      }
    }
    noteObject(this);
    if (this.pageDirectory !== null && this.access !== ACCESS_NONE) this.unmap(flushTlb);
    this.pageDirectory = null;
    if (this.placed && this.mm.events.enabled)
      this.mm.events.push({
        kind: 'region_destroyed',
        space: this.spaceId,
        regionId: this.id,
        base: this.base,
        size: this.size,
        name: this.name,
      });
    object?.releaseIfUnused();
  }
}
