// File-backed memory (`Kernel/Memory/InodeVMObject.cpp`): slots start null, pages are read from the inode on fault,
// and writes are tracked in software with a dirty bitmap.

import type { Inode } from './FileSystem';
import type { MemoryManager } from './MemoryManager';
import { NULL_FRAME, VMObject } from './VMObject';
import { noteField } from './UndoLog';

export abstract class InodeVMObject extends VMObject {
  abstract override readonly kind: 'SharedInode' | 'PrivateInode';
  /** One byte per page: 1 = dirty. */
  readonly dirtyPages: Uint8Array;

  constructor(
    mm: MemoryManager,
    readonly inode: Inode,
    pageCount: number,
  ) {
    super(mm, pageCount);
    this.dirtyPages = new Uint8Array(pageCount);
  }

  isPageDirty(index: number): boolean {
    return this.dirtyPages[index] === 1;
  }

  setPageDirty(index: number, dirty: boolean): void {
    noteField(this.dirtyPages, index);
    this.dirtyPages[index] = dirty ? 1 : 0;
  }

  amountClean(): number {
    let n = 0;
    for (let i = 0; i < this.pages.length; i++)
      if (this.pages[i] !== NULL_FRAME && this.dirtyPages[i] === 0) n++;
    return n * 4096;
  }

  amountDirty(): number {
    let n = 0;
    for (let i = 0; i < this.dirtyPages.length; i++) n += this.dirtyPages[i]!;
    return n * 4096;
  }

  /** Releases up to `count` clean loaded pages (first ones first); returns how many. */
  tryReleaseCleanPages(count: number): number {
    let released = 0;
    for (let i = 0; i < this.pages.length && released < count; i++) {
      if (this.pages[i] === NULL_FRAME || this.dirtyPages[i] === 1) continue;
      this.setSlot(i, NULL_FRAME);
      released++;
    }
    if (released > 0) this.remapRegions();
    return released;
  }

  releaseAllCleanPages(): number {
    return this.tryReleaseCleanPages(this.pageCount);
  }

  writableMappings(): number {
    return this.regions.filter((r) => r.isWritable()).length;
  }
}
