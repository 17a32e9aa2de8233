// Byte-exact, sparse contents of physical memory. A frame that was never written (or was zero
// filled since) holds no storage and reads as zeros. Storage is handed out in page-sized slots of
// an arena made of 64 KiB chunks; an allocated frame keeps its slot number in its
// PhysicalPageEntry (`link`), other frames (device memory, free RAM written through an MMIO
// mapping) in a small map. Paging structures live in the same slots, read as 32-bit words
// (entry i = words 2i and 2i+1, little endian like the CPU).
//
// Checkpoints share chunks copy-on-write: after a checkpoint every chunk is shared, and the first
// write to a chunk copies it (64 KiB) for the writer. Slot bookkeeping is per machine.

import type { Cloner } from './Checkpoint';
import { PAGE_SIZE } from './constants';
import { ENTRY_ALLOCATED, type PhysicalPageEntries } from './PhysicalPageEntry';

const CHUNK_PAGES = 16;
const CHUNK_SHIFT = 4;
const CHUNK_MASK = CHUNK_PAGES - 1;
const WORDS_PER_PAGE = PAGE_SIZE / 4;

export class PageContents {
  private chunks: Uint8Array[] = [];
  private chunkWords: Uint32Array[] = [];
  /** 1 = this machine may write the chunk in place. */
  private chunkOwned: number[] = [];
  private freeSlots: number[] = [];
  private slotCount = 0;
  /** Slots of frames that are not allocated RAM pages. */
  private readonly otherSlots = new Map<number, number>();

  constructor(private readonly entries: PhysicalPageEntries) {}

  /** The storage slot of a frame, or -1 when it holds only zeros. */
  slotOf(frame: number): number {
    const entries = this.entries;
    if (frame < entries.count && (entries.flags[frame]! & ENTRY_ALLOCATED) !== 0) return entries.link[frame]!;
    return this.otherSlots.get(frame) ?? -1;
  }

  private setSlot(frame: number, slot: number): void {
    const entries = this.entries;
    if (frame < entries.count && (entries.flags[frame]! & ENTRY_ALLOCATED) !== 0) entries.link[frame] = slot;
    else if (slot < 0) this.otherSlots.delete(frame);
    else this.otherSlots.set(frame, slot);
  }

  private allocateSlot(): number {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.slotCount++;
    const chunk = slot >> CHUNK_SHIFT;
    if (chunk >= this.chunks.length) {
      const buffer = new ArrayBuffer(CHUNK_PAGES * PAGE_SIZE);
      this.chunks.push(new Uint8Array(buffer));
      this.chunkWords.push(new Uint32Array(buffer));
      this.chunkOwned.push(1);
    } else {
      this.own(chunk);
      this.chunks[chunk]!.fill(0, (slot & CHUNK_MASK) * PAGE_SIZE, ((slot & CHUNK_MASK) + 1) * PAGE_SIZE);
    }
    return slot;
  }

  private own(chunk: number): void {
    if (this.chunkOwned[chunk] === 1) return;
    const copy = this.chunks[chunk]!.slice();
    this.chunks[chunk] = copy;
    this.chunkWords[chunk] = new Uint32Array(copy.buffer);
    this.chunkOwned[chunk] = 1;
  }

  /** The slot of a frame, created (zeroed) if needed, in a chunk this machine owns. */
  private writableSlot(frame: number): number {
    let slot = this.slotOf(frame);
    if (slot < 0) {
      slot = this.allocateSlot();
      this.setSlot(frame, slot);
    } else {
      this.own(slot >> CHUNK_SHIFT);
    }
    return slot;
  }

  readByte(paddr: number): number {
    const frame = Math.floor(paddr / PAGE_SIZE);
    const slot = this.slotOf(frame);
    if (slot < 0) return 0;
    return this.chunks[slot >> CHUNK_SHIFT]![(slot & CHUNK_MASK) * PAGE_SIZE + (paddr % PAGE_SIZE)]!;
  }

  writeByte(frame: number, offset: number, value: number): void {
    const slot = this.writableSlot(frame);
    this.chunks[slot >> CHUNK_SHIFT]![(slot & CHUNK_MASK) * PAGE_SIZE + offset] = value;
  }

  /** Stores `count` bytes of `data` from `from` at `offset` in the frame. */
  writeBytes(frame: number, offset: number, data: Uint8Array, from = 0, count = data.length - from): void {
    const slot = this.writableSlot(frame);
    this.chunks[slot >> CHUNK_SHIFT]!.set(
      data.subarray(from, from + count),
      (slot & CHUNK_MASK) * PAGE_SIZE + offset,
    );
  }

  /** Word `index` (0..1023) of a frame read as a paging structure. */
  readWord(frame: number, index: number): number {
    const slot = this.slotOf(frame);
    if (slot < 0) return 0;
    return this.chunkWords[slot >> CHUNK_SHIFT]![(slot & CHUNK_MASK) * WORDS_PER_PAGE + index]!;
  }

  writeWord(frame: number, index: number, value: number): void {
    const slot = this.writableSlot(frame);
    this.chunkWords[slot >> CHUNK_SHIFT]![(slot & CHUNK_MASK) * WORDS_PER_PAGE + index] = value;
  }

  /**
   * The four-level walk from a PML4 frame, on integers only (the hot path of every access).
   * Returns the page's frame, or -1 when some level is not present. When `permissions` is given
   * it receives the combined bits: 1 = user at every level, 2 = writable at every level, 4 = NX
   * at some level.
   */
  walk(pml4Frame: number, vaddr: number, permissions: Int32Array | null): number {
    const high32 = Math.floor(vaddr / 4294967296);
    const low32 = vaddr >>> 0;
    if (high32 >= 0x8000 || high32 < 0) return -1;
    const chunkWords = this.chunkWords;
    // PML4
    let slot = this.tableSlot(pml4Frame);
    if (slot < 0) return -1;
    let words = chunkWords[slot >> CHUNK_SHIFT]!;
    let at = ((slot & CHUNK_MASK) << 10) + (((high32 >>> 7) & 511) << 1);
    let low = words[at]!;
    if ((low & 1) === 0) return -1;
    let high = words[at + 1]!;
    let bits = (3 & (((low >> 2) & 1) | (low & 2))) | ((high >>> 31) << 2);
    // PDPT
    slot = this.tableSlot((high & 0xfffff) * 1048576 + (low >>> 12));
    if (slot < 0) return -1;
    words = chunkWords[slot >> CHUNK_SHIFT]!;
    at = ((slot & CHUNK_MASK) << 10) + ((((high32 << 2) | (low32 >>> 30)) & 511) << 1);
    low = words[at]!;
    if ((low & 1) === 0) return -1;
    high = words[at + 1]!;
    bits = (bits & (((low >> 2) & 1) | (low & 2) | 4)) | ((high >>> 31) << 2);
    // PD
    slot = this.tableSlot((high & 0xfffff) * 1048576 + (low >>> 12));
    if (slot < 0) return -1;
    words = chunkWords[slot >> CHUNK_SHIFT]!;
    at = ((slot & CHUNK_MASK) << 10) + (((low32 >>> 21) & 511) << 1);
    low = words[at]!;
    if ((low & 1) === 0) return -1;
    high = words[at + 1]!;
    bits = (bits & (((low >> 2) & 1) | (low & 2) | 4)) | ((high >>> 31) << 2);
    // PT
    slot = this.tableSlot((high & 0xfffff) * 1048576 + (low >>> 12));
    if (slot < 0) return -1;
    words = chunkWords[slot >> CHUNK_SHIFT]!;
    at = ((slot & CHUNK_MASK) << 10) + (((low32 >>> 12) & 511) << 1);
    low = words[at]!;
    if ((low & 1) === 0) return -1;
    high = words[at + 1]!;
    if (permissions !== null)
      permissions[0] = (bits & (((low >> 2) & 1) | (low & 2) | 4)) | ((high >>> 31) << 2);
    return (high & 0xfffff) * 1048576 + (low >>> 12);
  }

  /**
   * The same walk, entered at the page-directory level. SerenityOS only ever uses PML4[0], whose
   * PDPT entries point at the PageDirectory's `directoryPages` and never change while it lives
   * (present, writable, and user for a user page directory), so the first two levels are known.
   * Equivalent to `walk` for every address (tests check it) and about twice as fast.
   */
  walkFromDirectory(
    directoryPages: Int32Array,
    topLevelsUser: boolean,
    vaddr: number,
    permissions: Int32Array | null,
  ): number {
    const high32 = Math.floor(vaddr / 4294967296);
    if (high32 >= 0x80 || high32 < 0) return -1;
    const low32 = vaddr >>> 0;
    const pdFrame = directoryPages[((high32 << 2) | (low32 >>> 30)) & 511]!;
    if (pdFrame < 0) return -1;
    const chunkWords = this.chunkWords;
    let slot = this.tableSlot(pdFrame);
    if (slot < 0) return -1;
    let words = chunkWords[slot >> CHUNK_SHIFT]!;
    let at = ((slot & CHUNK_MASK) << 10) + (((low32 >>> 21) & 511) << 1);
    let low = words[at]!;
    if ((low & 1) === 0) return -1;
    let high = words[at + 1]!;
    const bits = ((topLevelsUser ? 3 : 2) & (((low >> 2) & 1) | (low & 2))) | ((high >>> 31) << 2);
    slot = this.tableSlot((high & 0xfffff) * 1048576 + (low >>> 12));
    if (slot < 0) return -1;
    words = chunkWords[slot >> CHUNK_SHIFT]!;
    at = ((slot & CHUNK_MASK) << 10) + (((low32 >>> 12) & 511) << 1);
    low = words[at]!;
    if ((low & 1) === 0) return -1;
    high = words[at + 1]!;
    if (permissions !== null)
      permissions[0] = (bits & (((low >> 2) & 1) | (low & 2) | 4)) | ((high >>> 31) << 2);
    return (high & 0xfffff) * 1048576 + (low >>> 12);
  }

  /**
   * The slot of a paging-structure frame. Paging structures are always allocated pages (boot
   * frames or pages taken by ensure_pte / page-directory creation), so the entry's link word is
   * their slot; anything else falls back to the general lookup.
   */
  private tableSlot(frame: number): number {
    const link = this.entries.link;
    if (frame < link.length) return link[frame]!;
    return this.otherSlots.get(frame) ?? -1;
  }

  /** True when all 1024 words of the frame are zero. */
  isZero(frame: number): boolean {
    const slot = this.slotOf(frame);
    if (slot < 0) return true;
    const words = this.chunkWords[slot >> CHUNK_SHIFT]!;
    const base = (slot & CHUNK_MASK) * WORDS_PER_PAGE;
    for (let i = 0; i < WORDS_PER_PAGE; i++) if (words[base + i] !== 0) return false;
    return true;
  }

  /** A read-only view of the frame's bytes, or undefined when it holds only zeros. */
  view(frame: number): Uint8Array | undefined {
    const slot = this.slotOf(frame);
    if (slot < 0) return undefined;
    const base = (slot & CHUNK_MASK) * PAGE_SIZE;
    return this.chunks[slot >> CHUNK_SHIFT]!.subarray(base, base + PAGE_SIZE);
  }

  /** Zero fill: the frame gives its storage back. Must run before a frame stops being allocated. */
  zero(frame: number): void {
    const slot = this.slotOf(frame);
    if (slot < 0) return;
    this.freeSlots.push(slot);
    this.setSlot(frame, -1);
  }

  /** Forgets storage a frame had while it was not an allocated page (before it becomes one). */
  forgetUnallocated(frame: number): void {
    const slot = this.otherSlots.get(frame);
    if (slot === undefined) return;
    this.freeSlots.push(slot);
    this.otherSlots.delete(frame);
  }

  /** Copies one frame's contents over another's (COW copies, copy_physical_page). */
  copy(from: number, to: number): void {
    const source = this.view(from);
    if (source === undefined) {
      this.zero(to);
      return;
    }
    this.writeBytes(to, 0, source.slice());
  }

  /** Replaces a frame's bytes with `data`, zero-extended to a page. */
  fill(frame: number, data: Uint8Array): void {
    const slot = this.writableSlot(frame);
    const chunk = this.chunks[slot >> CHUNK_SHIFT]!;
    const base = (slot & CHUNK_MASK) * PAGE_SIZE;
    chunk.fill(0, base, base + PAGE_SIZE);
    chunk.set(data.subarray(0, PAGE_SIZE), base);
  }

  hasBuffer(frame: number): boolean {
    return this.slotOf(frame) >= 0;
  }

  /** Slots in use (frames holding storage). */
  get bufferCount(): number {
    return this.slotCount - this.freeSlots.length;
  }

  cloneForCheckpoint(cloner: Cloner): PageContents {
    const copy = Object.create(PageContents.prototype) as PageContents;
    const fields = copy as unknown as Record<string, unknown>;
    fields['entries'] = cloner.clone(this.entries);
    fields['chunks'] = this.chunks.slice();
    fields['chunkWords'] = this.chunkWords.slice();
    fields['chunkOwned'] = new Array<number>(this.chunks.length).fill(0);
    fields['freeSlots'] = this.freeSlots.slice();
    fields['slotCount'] = this.slotCount;
    fields['otherSlots'] = new Map(this.otherSlots);
    // From now on both sides share every chunk: the next write to one copies it.
    this.chunkOwned.fill(0);
    return copy;
  }
}
