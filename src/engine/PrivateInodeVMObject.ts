// A MAP_PRIVATE file mapping (`Kernel/Memory/PrivateInodeVMObject.cpp`): a new object per mmap, dirty pages stay private
// and are never written back. Fork shares its physical pages without copy-on-write (a quirk).

import { type ErrorOr, err, ok } from './errors';
import type { Inode } from './FileSystem';
import { InodeVMObject } from './InodeVMObject';
import type { MemoryManager } from './MemoryManager';
import { NULL_FRAME } from './VMObject';

export class PrivateInodeVMObject extends InodeVMObject {
  readonly kind = 'PrivateInode' as const;

  static create(mm: MemoryManager, inode: Inode, minimumSize: number): ErrorOr<PrivateInodeVMObject> {
    const pageCount = Math.ceil(Math.max(inode.size, minimumSize) / 4096);
    if (!mm.canHoldSlotArray(pageCount)) return err('ENOMEM');
    return ok(new PrivateInodeVMObject(mm, inode, pageCount));
  }

  /** try_clone: same physical pages (each gains a reference), same dirty bits. */
  tryClone(): PrivateInodeVMObject {
    const clone = new PrivateInodeVMObject(this.mm, this.inode, this.pageCount);
    clone.pages.set(this.pages);
    clone.dirtyPages.set(this.dirtyPages);
    for (let i = 0; i < clone.pages.length; i++) {
      const frame = clone.pages[i]!;
      if (frame !== NULL_FRAME) this.mm.refPage(frame);
    }
    return clone;
  }
}
