// The one VMObject an inode has for MAP_SHARED mappings (Kernel/Memory/SharedInodeVMObject.cpp):
// dirty pages are written back by msync and when a writable region on it is destroyed. A write()
// to the file does not reach pages already loaded here: Inode::did_modify_contents only touches
// timestamps and watchers, so those pages stay stale, and writing a dirty one back (sync_impl,
// sync_before_destroying) puts the whole page over the file, written bytes included.

import { type ErrorOr, err, ok } from './errors';
import type { Inode } from './FileSystem';
import { InodeVMObject } from './InodeVMObject';
import type { MemoryManager } from './MemoryManager';
import { NULL_FRAME } from './VMObject';
import { noteField } from './UndoLog';

export class SharedInodeVMObject extends InodeVMObject {
  readonly kind = 'SharedInode' as const;

  /** The inode's shared object, created on first use with max(inode size, offset + size) bytes. */
  static forInode(mm: MemoryManager, inode: Inode, minimumSize: number): ErrorOr<SharedInodeVMObject> {
    if (inode.sharedVMObject !== null && !inode.sharedVMObject.destroyed) return ok(inode.sharedVMObject);
    const pageCount = Math.ceil(Math.max(inode.size, minimumSize) / 4096);
    if (!mm.canHoldSlotArray(pageCount)) return err('ENOMEM');
    const object = new SharedInodeVMObject(mm, inode, pageCount);
    noteField(inode, 'sharedVMObject');
    inode.sharedVMObject = object;
    return ok(object);
  }

  protected override destroy(): void {
    super.destroy();
    if (this.inode.sharedVMObject === this) {
      noteField(this.inode, 'sharedVMObject');
      this.inode.sharedVMObject = null;
    }
  }

  /** sync(first, count): writes dirty pages back, marks them clean and remaps (read-only again). */
  sync(firstPage: number, count: number): void {
    const end = Math.min(this.pageCount, firstPage + count);
    const dirty: number[] = [];
    for (let i = firstPage; i < end; i++) {
      if (this.pages[i] !== NULL_FRAME && this.isPageDirty(i)) dirty.push(i);
    }
    for (const i of dirty) this.setPageDirty(i, false);
    if (dirty.length > 0) this.remapRegions();
    for (const i of dirty) this.writePageBack(i);
  }

  /** sync_before_destroying: writes every dirty page back, leaving bits and mappings alone. */
  syncBeforeDestroying(): void {
    for (let i = 0; i < this.pageCount; i++) {
      if (this.pages[i] !== NULL_FRAME && this.isPageDirty(i)) this.writePageBack(i);
    }
  }

  private writePageBack(index: number): void {
    this.inode.writeBytes(index * 4096, this.mm.contents.pageBytes(this.pages[index]!));
  }
}
