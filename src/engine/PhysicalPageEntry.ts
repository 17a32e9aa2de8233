// The PhysicalPageEntry array (one entry per physical frame, indexed by paddr >> 12), kept as
// parallel typed arrays so that a frame costs a few bytes and no object: an allocated frame uses
// its entry as a PhysicalRAMPage (ref count, may-return flag); a free frame that heads a buddy
// block uses it as the zone freelist link (next/prev chunk index, -1 terminated).

export const ENTRY_ALLOCATED = 1;
export const ENTRY_MAY_RETURN = 2;

export class PhysicalPageEntries {
  readonly count: number;
  readonly refCount: Uint32Array;
  readonly flags: Uint8Array;
  readonly freelistNext: Int16Array;
  readonly freelistPrev: Int16Array;

  constructor(count: number) {
    this.count = count;
    this.refCount = new Uint32Array(count);
    this.flags = new Uint8Array(count);
    this.freelistNext = new Int16Array(count).fill(-1);
    this.freelistPrev = new Int16Array(count).fill(-1);
  }

  /** Bytes of typed-array storage per frame (for the memory figures). */
  static readonly BYTES_PER_ENTRY = 4 + 1 + 2 + 2;

  isAllocated(frame: number): boolean {
    return frame >= 0 && frame < this.count && (this.flags[frame]! & ENTRY_ALLOCATED) !== 0;
  }
}
