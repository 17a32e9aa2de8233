// The PhysicalPageEntry array (one entry per physical frame, indexed by paddr >> 12), kept as
// parallel typed arrays so that a frame costs a few bytes and no object. Like the kernel's union,
// the `link` word means one thing for an allocated frame (the slot of its contents in the page
// store, -1 = all zeros) and another for a free frame that heads a buddy block (the zone freelist
// links: next chunk index in the high 16 bits, previous in the low 16 bits, -1 terminated).

import { noteField } from './UndoLog';

export const ENTRY_ALLOCATED = 1;
export const ENTRY_MAY_RETURN = 2;
const NO_LINKS = -1;

export class PhysicalPageEntries {
  readonly count: number;
  readonly refCount: Uint32Array;
  readonly flags: Uint8Array;
  readonly link: Int32Array;

  constructor(count: number) {
    this.count = count;
    this.refCount = new Uint32Array(count);
    this.flags = new Uint8Array(count);
    this.link = new Int32Array(count).fill(NO_LINKS);
  }

  /** All three words of a frame's entry are about to change (for the undo journal). */
  noteEntry(frame: number): void {
    noteField(this.refCount, frame);
    noteField(this.flags, frame);
    noteField(this.link, frame);
  }

  /** Bytes of typed-array storage per entry. */
  static readonly BYTES_PER_ENTRY = 4 + 1 + 4;

  isAllocated(frame: number): boolean {
    return frame >= 0 && frame < this.count && (this.flags[frame]! & ENTRY_ALLOCATED) !== 0;
  }

  freelistNext(frame: number): number {
    return this.link[frame]! >> 16;
  }

  freelistPrev(frame: number): number {
    return (this.link[frame]! << 16) >> 16;
  }

  setFreelistNext(frame: number, next: number): void {
    noteField(this.link, frame);
    this.link[frame] = (next << 16) | (this.link[frame]! & 0xffff);
  }

  setFreelistPrev(frame: number, prev: number): void {
    noteField(this.link, frame);
    this.link[frame] = (this.link[frame]! & ~0xffff) | (prev & 0xffff);
  }
}
