// The base of every VMObject (`Kernel/Memory/VMObject.cpp`): a fixed array of physical page slots and the list
// of regions that map it. Slots hold frame numbers (-1 = null) and one page reference each.

import type { MemoryManager } from './MemoryManager';
import type { Region } from './Region';
import { noteArray, noteField, notePush, noteRange, noteRemoval, noteSetMember } from './UndoLog';

export type VMObjectKind = 'Anonymous' | 'SharedInode' | 'PrivateInode' | 'MMIO';

export const NULL_FRAME = -1;

export abstract class VMObject {
  abstract readonly kind: VMObjectKind;
  readonly id: number;
  /** Frame per page slot, NULL_FRAME where none. */
  readonly pages: Int32Array;
  readonly regions: Region[] = [];
  destroyed = false;
  /** References held by a system call in progress (see holdDuring). */
  heldBySyscall = 0;

  constructor(
    readonly mm: MemoryManager,
    pageCount: number,
  ) {
    noteField(mm, 'nextVMObjectId');
    this.id = mm.nextVMObjectId++;
    this.pages = new Int32Array(pageCount).fill(NULL_FRAME);
    noteSetMember(mm.allVMObjects, this);
    mm.allVMObjects.add(this);
  }

  get pageCount(): number {
    return this.pages.length;
  }

  get size(): number {
    return this.pages.length * 4096;
  }

  isAnonymous(): boolean {
    return this.kind === 'Anonymous';
  }
  isInode(): boolean {
    return this.kind === 'SharedInode' || this.kind === 'PrivateInode';
  }

  addRegion(region: Region): void {
    notePush(this.regions);
    this.regions.push(region);
  }

  /** Removes a region; the object is destroyed when the last region lets go. */
  removeRegion(region: Region): void {
    const i = this.regions.indexOf(region);
    if (i >= 0) {
      noteArray(this.regions);
      this.regions.splice(i, 1);
    }
    this.releaseIfUnused();
  }

  /** Destroys the object if no region references it any more (the last RefPtr dropped). */
  releaseIfUnused(): void {
    if (this.regions.length === 0 && this.heldBySyscall === 0 && !this.destroyed) this.destroy();
  }

  /**
   * Runs `work` while a system call holds a reference of its own (the RefPtr a syscall keeps in a
   * local): sys$mmap with MAP_FIXED unmaps the old range while it holds the VMObject it is about to
   * map, so an inode's shared VMObject that the old range used survives for the new region.
   */
  holdDuring<T>(work: () => T): T {
    noteField(this, 'heldBySyscall');
    this.heldBySyscall++;
    try {
      return work();
    } finally {
      noteField(this, 'heldBySyscall');
      this.heldBySyscall--;
    }
  }

  /** Drops every slot's page reference and leaves the global VMObject list. */
  protected destroy(): void {
    noteField(this, 'destroyed');
    this.destroyed = true;
    noteRemoval(this.mm.allVMObjects);
    this.mm.allVMObjects.delete(this);
    noteRange(this.pages, 0, this.pages.length);
    const zero = this.mm.sharedZeroFrame;
    const lazy = this.mm.lazyCommittedFrame;
    let zeroRefs = 0;
    let lazyRefs = 0;
    for (let i = 0; i < this.pages.length; i++) {
      const frame = this.pages[i]!;
      if (frame === NULL_FRAME) continue;
      this.pages[i] = NULL_FRAME;
      if (frame === zero) zeroRefs++;
      else if (frame === lazy) lazyRefs++;
      else this.mm.unrefPage(frame);
    }
    // The two tag pages are never freed; their references are dropped in bulk.
    this.mm.adjustRefCount(zero, -zeroRefs);
    this.mm.adjustRefCount(lazy, -lazyRefs);
  }

  /** Puts a page in a slot, dropping the reference of the page it replaces. */
  setSlot(index: number, frame: number): void {
    const old = this.pages[index]!;
    noteField(this.pages, index);
    this.pages[index] = frame;
    if (old !== NULL_FRAME) this.mm.unrefPage(old);
  }

  /** Every region on this object re-derives its PTEs (remap_regions). */
  remapRegions(): void {
    for (const region of this.regions.slice()) region.remap();
  }

  /** Every region remaps one page; false if any region does not cover it (the AND of results). */
  remapRegionsOnePage(index: number): boolean {
    let success = true;
    for (const region of this.regions) if (!region.remapVMObjectPage(index)) success = false;
    return success;
  }
}
