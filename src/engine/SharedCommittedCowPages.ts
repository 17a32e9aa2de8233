// The pool of committed pages a fork creates for the future copy-on-write copies of one
// VMObject; the parent and its clone share it (`Kernel/Memory/AnonymousVMObject.cpp` SharedCommittedCowPages).

import type { CommittedPhysicalPageSet } from './CommittedPhysicalPageSet';
import { noteField } from './UndoLog';

export class SharedCommittedCowPages {
  /** Number of AnonymousVMObjects pointing at this pool. */
  holders = 0;

  constructor(readonly committedPages: CommittedPhysicalPageSet) {}

  isEmpty(): boolean {
    return this.committedPages.pageCount === 0;
  }

  /** A page for the copy a COW fault in `space` makes. */
  takeOne(space: number): number {
    return this.committedPages.takeOne('cow_copy', space);
  }

  uncommitOne(): void {
    this.committedPages.uncommitOne();
  }

  addHolder(): this {
    noteField(this, 'holders');
    this.holders++;
    return this;
  }

  /** One holder lets go; the last one releases what is still committed. */
  dropHolder(): void {
    noteField(this, 'holders');
    this.holders--;
    if (this.holders === 0) this.committedPages.release();
  }
}
