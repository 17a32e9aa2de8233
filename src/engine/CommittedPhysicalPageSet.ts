// A token for pages that are committed but not yet allocated (`Kernel/Memory/MemoryManager.h`). Whoever holds it
// can later draw pages that cannot fail; dropping it gives the rest back to the uncommitted pool.

import { verify } from './errors';
import type { PagePurpose } from './events';
import type { MemoryManager } from './MemoryManager';
import { noteField } from './UndoLog';

export class CommittedPhysicalPageSet {
  constructor(
    private readonly mm: MemoryManager,
    public pageCount: number,
  ) {}

  /** Allocates one committed page (zero filled) for `purpose` in `space`. Returns its frame. */
  takeOne(purpose: PagePurpose, space: number): number {
    verify(this.pageCount > 0, 'm_page_count > 0');
    noteField(this, 'pageCount');
    this.pageCount--;
    return this.mm.allocateCommittedPhysicalPage(true, purpose, space);
  }

  uncommitOne(): void {
    verify(this.pageCount > 0, 'm_page_count > 0');
    noteField(this, 'pageCount');
    this.pageCount--;
    this.mm.uncommitPhysicalPages(1);
  }

  /** The destructor: whatever is still committed goes back to the uncommitted pool. */
  release(): void {
    if (this.pageCount > 0) {
      const n = this.pageCount;
      noteField(this, 'pageCount');
      this.pageCount = 0;
      this.mm.uncommitPhysicalPages(n);
    }
  }
}
