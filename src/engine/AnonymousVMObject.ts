// Anonymous memory (`Kernel/Memory/AnonymousVMObject.cpp`): commitment strategies, purgeable/volatile memory and the
// fork clone with its shared pool of committed pages for future copy-on-write copies.

import { CommittedPhysicalPageSet } from './CommittedPhysicalPageSet';
import { type ErrorOr, err, ok, verify } from './errors';
import type { MemoryManager } from './MemoryManager';
import type { PageFaultResponse } from './PageFault';
import { SharedCommittedCowPages } from './SharedCommittedCowPages';
import { NULL_FRAME, VMObject } from './VMObject';
import { noteField, noteObject, noteRange } from './UndoLog';

export type AllocationStrategy = 'Reserve' | 'AllocateNow' | 'None';

export class AnonymousVMObject extends VMObject {
  readonly kind = 'Anonymous' as const;
  unusedCommittedPages: CommittedPhysicalPageSet | null = null;
  /** One byte per page: 1 = copy on write. Null until first needed. */
  cowMap: Uint8Array | null = null;
  cowParent: AnonymousVMObject | null = null;
  sharedCommittedCowPages: SharedCommittedCowPages | null = null;
  purgeable = false;
  volatile = false;
  wasPurged = false;

  /**
   * try_create_with_size / try_create_purgeable_with_size. `space` is the address space the object
   * is made for: AllocateNow's pages are allocated here, before any region holds the object.
   */
  static tryCreateWithSize(
    mm: MemoryManager,
    size: number,
    strategy: AllocationStrategy,
    space: number,
    purgeable = false,
  ): ErrorOr<AnonymousVMObject> {
    const pageCount = Math.ceil(size / 4096);
    if (!mm.canHoldSlotArray(pageCount)) return err('ENOMEM');
    let committed: CommittedPhysicalPageSet | null = null;
    if (strategy !== 'None') {
      const result = mm.commitPhysicalPages(pageCount);
      if (!result.ok) return err(result.errno);
      committed = result.value;
    }
    const object = new AnonymousVMObject(mm, pageCount);
    object.purgeable = purgeable;
    if (strategy === 'AllocateNow') {
      for (let i = 0; i < pageCount; i++) object.pages[i] = committed!.takeOne('allocate_now', space);
    } else if (strategy === 'Reserve') {
      object.fillWith(mm.lazyCommittedFrame, 0, pageCount);
      object.unusedCommittedPages = committed;
    } else {
      object.fillWith(mm.sharedZeroFrame, 0, pageCount);
    }
    return ok(object);
  }

  /** An object over pages the caller already holds a reference to (adopted). */
  static withPhysicalPages(mm: MemoryManager, frames: number[]): AnonymousVMObject {
    const object = new AnonymousVMObject(mm, frames.length);
    frames.forEach((frame, i) => (object.pages[i] = frame));
    return object;
  }

  /** Fills slots with one of the two tag pages, taking a reference per slot. */
  fillWith(frame: number, from: number, to: number): void {
    noteRange(this.pages, from, to);
    for (let i = from; i < to; i++) this.pages[i] = frame;
    if (to > from) this.mm.adjustRefCount(frame, to - from);
  }

  isZeroOrLazy(frame: number): boolean {
    return frame === this.mm.sharedZeroFrame || frame === this.mm.lazyCommittedFrame;
  }

  shouldCow(index: number, isShared: boolean): boolean {
    const frame = this.pages[index]!;
    if (this.isZeroOrLazy(frame)) return true;
    if (isShared) return false;
    return this.cowMap !== null && this.cowMap[index] === 1;
  }

  setShouldCow(index: number, value: boolean): void {
    if (this.cowMap === null) {
      noteField(this, 'cowMap');
      this.cowMap = new Uint8Array(this.pageCount);
    }
    noteField(this.cowMap, index);
    this.cowMap[index] = value ? 1 : 0;
  }

  cowPages(): number {
    if (this.cowMap === null) return 0;
    let n = 0;
    for (let i = 0; i < this.cowMap.length; i++) n += this.cowMap[i]!;
    return n;
  }

  /** Allocates the page for a lazily committed slot from this object's commitment (a zero fault in `space`). */
  allocateCommittedPage(space: number): number {
    verify(this.unusedCommittedPages !== null, 'm_unused_committed_pages.has_value()');
    return this.unusedCommittedPages.takeOne('zero_fill', space);
  }

  private residentCount(): number {
    let n = 0;
    for (let i = 0; i < this.pages.length; i++) {
      const frame = this.pages[i]!;
      if (frame !== NULL_FRAME && !this.isZeroOrLazy(frame)) n++;
    }
    return n;
  }

  /** AnonymousVMObject::try_clone, for fork: the clone is for the child's space `space`. */
  tryClone(space: number): ErrorOr<AnonymousVMObject> {
    const mm = this.mm;
    if (this.purgeable && this.volatile) {
      const clone = AnonymousVMObject.tryCreateWithSize(mm, this.size, 'None', space, true);
      if (!clone.ok) return clone;
      clone.value.volatile = true;
      clone.value.wasPurged = true;
      return clone;
    }
    const resident = this.residentCount();
    if (resident === 0) return AnonymousVMObject.tryCreateWithSize(mm, this.size, 'None', space);
    const commitment = mm.commitPhysicalPages(resident);
    if (!commitment.ok) return err(commitment.errno);
    const pool = new SharedCommittedCowPages(commitment.value);

    const clone = new AnonymousVMObject(mm, this.pageCount);
    clone.pages.set(this.pages);
    for (let i = 0; i < clone.pages.length; i++) {
      const frame = clone.pages[i]!;
      if (frame !== NULL_FRAME) mm.refPage(frame);
    }
    noteObject(this);
    clone.cowParent = this;
    clone.sharedCommittedCowPages = pool.addHolder();
    clone.purgeable = this.purgeable;
    clone.cowMap = new Uint8Array(this.pageCount);
    if (this.cowMap === null) this.cowMap = new Uint8Array(this.pageCount);
    else noteRange(this.cowMap, 0, this.cowMap.length);
    for (let i = 0; i < this.pageCount; i++) {
      const real = this.pages[i] !== NULL_FRAME && !this.isZeroOrLazy(this.pages[i]!) ? 1 : 0;
      clone.cowMap[i] = real;
      this.cowMap[i] = real;
    }
    this.sharedCommittedCowPages?.dropHolder();
    this.sharedCommittedCowPages = pool.addHolder();

    if (this.unusedCommittedPages !== null && this.unusedCommittedPages.pageCount > 0) {
      const lazy = mm.lazyCommittedFrame;
      let moved = 0;
      for (let i = 0; i < clone.pages.length; i++) {
        if (clone.pages[i] === lazy) {
          clone.pages[i] = mm.sharedZeroFrame;
          moved++;
        }
      }
      mm.adjustRefCount(lazy, -moved);
      mm.adjustRefCount(mm.sharedZeroFrame, moved);
    }
    return ok(clone);
  }

  protected override destroy(): void {
    const pool = this.sharedCommittedCowPages;
    if (pool !== null && !pool.isEmpty()) {
      const parent = this.cowParent;
      if (parent !== null && !parent.destroyed && parent.sharedCommittedCowPages === pool) {
        noteObject(parent);
        parent.sharedCommittedCowPages = null;
        pool.dropHolder();
      }
    }
    super.destroy();
    noteObject(this);
    if (this.sharedCommittedCowPages !== null) {
      this.sharedCommittedCowPages.dropHolder();
      this.sharedCommittedCowPages = null;
    }
    if (this.unusedCommittedPages !== null) {
      this.unusedCommittedPages.release();
      this.unusedCommittedPages = null;
    }
    this.cowParent = null;
  }

  /** AnonymousVMObject::handle_cow_fault, for a fault in `space`. The caller remaps the page. */
  handleCowFault(index: number, space: number): PageFaultResponse {
    const mm = this.mm;
    if (this.volatile) return 'ShouldCrash';
    noteObject(this);
    if (this.sharedCommittedCowPages !== null && this.sharedCommittedCowPages.isEmpty()) {
      this.sharedCommittedCowPages.dropHolder();
      this.sharedCommittedCowPages = null;
    }
    const old = this.pages[index]!;
    if (mm.entries.refCount[old] === 1) {
      this.setShouldCow(index, false);
      const pool = this.sharedCommittedCowPages;
      if (pool !== null) {
        pool.uncommitOne();
        if (pool.isEmpty()) {
          pool.dropHolder();
          this.sharedCommittedCowPages = null;
        }
      }
      return 'Continue';
    }
    let frame: number;
    if (this.sharedCommittedCowPages !== null) {
      frame = this.sharedCommittedCowPages.takeOne(space);
    } else {
      frame = mm.allocatePhysicalPage(false, 'cow_copy', space);
      if (frame < 0) return 'OutOfMemory';
    }
    mm.copyPhysicalPage(old, frame);
    this.setSlot(index, frame);
    this.setShouldCow(index, false);
    return 'Continue';
  }

  /** AnonymousVMObject::set_volatile. Returns the errno on commit failure, else was_purged. */
  setVolatile(isVolatile: boolean): ErrorOr<boolean> {
    const wasPurged = this.wasPurged;
    const mm = this.mm;
    noteObject(this);
    if (isVolatile) {
      if (this.volatile) return ok(wasPurged);
      const lazy = mm.lazyCommittedFrame;
      let moved = 0;
      noteRange(this.pages, 0, this.pages.length);
      for (let i = 0; i < this.pages.length; i++) {
        if (this.pages[i] === lazy) {
          this.pages[i] = mm.sharedZeroFrame;
          moved++;
        }
      }
      mm.adjustRefCount(lazy, -moved);
      mm.adjustRefCount(mm.sharedZeroFrame, moved);
      this.unusedCommittedPages?.release();
      this.unusedCommittedPages = null;
      this.sharedCommittedCowPages?.dropHolder();
      this.sharedCommittedCowPages = null;
      this.cowMap = null;
      this.volatile = true;
      this.wasPurged = false;
      this.remapRegions();
      return ok(wasPurged);
    }
    if (!this.volatile) return ok(wasPurged);
    let zeroSlots = 0;
    for (let i = 0; i < this.pages.length; i++) if (this.pages[i] === mm.sharedZeroFrame) zeroSlots++;
    if (zeroSlots === 0) {
      this.volatile = false;
      return ok(wasPurged);
    }
    const commitment = mm.commitPhysicalPages(zeroSlots);
    if (!commitment.ok) return err(commitment.errno);
    noteRange(this.pages, 0, this.pages.length);
    for (let i = 0; i < this.pages.length; i++) {
      if (this.pages[i] === mm.sharedZeroFrame) this.pages[i] = mm.lazyCommittedFrame;
    }
    mm.adjustRefCount(mm.sharedZeroFrame, -zeroSlots);
    mm.adjustRefCount(mm.lazyCommittedFrame, zeroSlots);
    this.unusedCommittedPages?.release();
    this.unusedCommittedPages = commitment.value;
    this.volatile = false;
    this.wasPurged = false;
    this.remapRegions();
    return ok(wasPurged);
  }

  /** purge(): frees every real page of a volatile purgeable object. */
  purge(): number {
    if (!this.purgeable || !this.volatile) return 0;
    const zero = this.mm.sharedZeroFrame;
    let purged = 0;
    for (let i = 0; i < this.pages.length; i++) {
      const frame = this.pages[i]!;
      if (frame === zero || frame === NULL_FRAME) continue;
      noteField(this.pages, i);
      this.pages[i] = zero;
      this.mm.refPage(zero);
      this.mm.unrefPage(frame);
      purged++;
    }
    noteField(this, 'wasPurged');
    this.wasPurged = true;
    this.remapRegions();
    if (this.mm.events.enabled)
      this.mm.events.push({ kind: 'vmobject_purged', vmobjectId: this.id, pages: purged });
    return purged;
  }
}
