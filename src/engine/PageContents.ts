// Byte-exact, sparse contents of physical memory. A frame that was never written (or was zero
// filled since) holds no storage and reads as zeros.
//
// Storage comes in page-sized slots from two arenas. Data pages use an arena of 64 KiB chunks;
// checkpoints share those chunks copy-on-write (after a checkpoint the first write to a chunk
// copies it) and every slot remembers which bytes were written so that reusing it only clears
// those. Paging structures (frames first written as 32-bit words) use one contiguous word array,
// small and walked on every access, which a checkpoint copies outright.
//
// An allocated frame keeps its storage in its PhysicalPageEntry's link word (-1 = none, n >= 0 =
// data slot n, n <= -2 = table slot -2 - n); other frames (device memory, free RAM reached through
// an MMIO mapping) in a small map.

import type { Cloner } from './Checkpoint';
import { PAGE_SIZE, pageOffset } from './constants';
import type { PageDirectory } from './PageDirectory';
import { ENTRY_ALLOCATED, type PhysicalPageEntries } from './PhysicalPageEntry';
import {
  noteCustom,
  noteField,
  noteMapKey,
  notePop,
  notePush,
  noteRemoval,
  type UndoTarget,
} from './UndoLog';

const CHUNK_PAGES = 16;
const CHUNK_SHIFT = 4;
const CHUNK_MASK = CHUNK_PAGES - 1;
const WORDS_PER_PAGE = PAGE_SIZE / 4;
const NONE = -1;

function isTable(encoded: number): boolean {
  return encoded <= -2;
}

/** PdeCache slot value: the PDE is not present, or its page table holds only zeros. */
const PDE_NOT_PRESENT = -1;
/** PdeCache slot value: a paging structure lives outside the table arena; take the full walk. */
const PDE_FULL_WALK = -2;
/** PdeCache entries: a power of two above the 512 PDEs of one gibibyte. */
const PDE_CACHE_SIZE = 1024;
const PDE_CACHE_MASK = PDE_CACHE_SIZE - 1;

/**
 * Like the paging-structure cache of an x86 CPU: a direct-mapped cache from a 2 MiB-aligned virtual
 * address (its PDPT and PD indices, 18 bits) to the table-arena slot of the page table its PDE
 * points at (or a PDE_ value). Entry e is `entries[2e]` = the index it holds (-1: none) and
 * `entries[2e + 1]` = the slot. It is valid for one paging version only: every paging change moves
 * the version on and so invalidates the whole cache at once. Derived from the page tables, not
 * state of its own; each PageDirectory gets one when it is first translated in.
 */
export class PdeCache {
  version = -1;
  readonly entries = new Int32Array(2 * PDE_CACHE_SIZE);
}

/**
 * The last paging version handed out. Versions are never reused, by any machine or checkpoint, so
 * two page stores with the same version hold the same paging structures (one is a copy of the other).
 */
let lastPagingVersion = 0;

export class PageContents implements UndoTarget {
  private chunks: Uint8Array[] = [];
  private chunkWords: Uint32Array[] = [];
  /** 1 = this machine may write the chunk in place. */
  private chunkOwned: number[] = [];
  private freeSlots: number[] = [];
  private slotCount = 0;
  /** Per data slot, the byte range written since it was last cleared ([low, high)). */
  private dirtyLow = new Uint16Array(0);
  private dirtyHigh = new Uint16Array(0);
  /** The paging-structure arena: table slot t is words [t * 1024, (t + 1) * 1024). */
  private tableWords = new Uint32Array(64 * WORDS_PER_PAGE);
  private tableBytes = new Uint8Array(this.tableWords.buffer);
  private freeTableSlots: number[] = [];
  private tableSlotCount = 0;
  /** Storage of frames that are not allocated RAM pages (encoded like the link word). */
  private readonly otherSlots = new Map<number, number>();
  /**
   * Changes whenever a paging structure's words or any frame's storage change: what translation
   * caches (PdeCache) is valid only for the version it was computed at. Not state: undoing
   * a change moves it on to a fresh version rather than back.
   */
  private pagingVersion = ++lastPagingVersion;

  constructor(private readonly entries: PhysicalPageEntries) {}

  private pagingChanged(): void {
    // The undo journal's entry for the version (key NONE) moves it on again when undone.
    noteCustom(this, NONE);
    this.pagingVersion = ++lastPagingVersion;
  }

  /** The encoded storage of a frame (see the file comment). */
  private slotOf(frame: number): number {
    const entries = this.entries;
    if (frame < entries.count && (entries.flags[frame]! & ENTRY_ALLOCATED) !== 0) return entries.link[frame]!;
    return this.otherSlots.get(frame) ?? NONE;
  }

  private setSlot(frame: number, encoded: number): void {
    this.pagingChanged();
    const entries = this.entries;
    if (frame < entries.count && (entries.flags[frame]! & ENTRY_ALLOCATED) !== 0) {
      noteField(entries.link, frame);
      entries.link[frame] = encoded;
      return;
    }
    if (encoded === NONE) noteRemoval(this.otherSlots);
    else noteMapKey(this.otherSlots, frame);
    if (encoded === NONE) this.otherSlots.delete(frame);
    else this.otherSlots.set(frame, encoded);
  }

  // Slots --------------------------------------------------------------------------------------

  /** A data slot reading as zeros; `overwritten`: the caller stores a whole page, so skip clearing. */
  private allocateDataSlot(overwritten: boolean): number {
    let slot: number;
    if (this.freeSlots.length > 0) {
      notePop(this.freeSlots);
      slot = this.freeSlots.pop()!;
    } else {
      noteField(this, 'slotCount');
      slot = this.slotCount++;
    }
    const chunk = slot >> CHUNK_SHIFT;
    if (chunk >= this.chunks.length) {
      notePush(this.chunks);
      notePush(this.chunkWords);
      notePush(this.chunkOwned);
      const buffer = new ArrayBuffer(CHUNK_PAGES * PAGE_SIZE);
      this.chunks.push(new Uint8Array(buffer));
      this.chunkWords.push(new Uint32Array(buffer));
      this.chunkOwned.push(1);
      if (this.dirtyLow.length < this.chunks.length * CHUNK_PAGES) this.growDirtyRanges();
    } else {
      // The caller writes the slot next, so a chunk still shared with a checkpoint is copied first,
      // even for a clean slot (else the write would show in the checkpoint's free slot).
      this.own(chunk);
      // A reused slot only needs the bytes written since it was last cleared.
      const low = this.dirtyLow[slot]!;
      const high = this.dirtyHigh[slot]!;
      if (low < high && !overwritten) {
        noteCustom(this, slot);
        const base = (slot & CHUNK_MASK) * PAGE_SIZE;
        const bytes = this.chunks[chunk]!;
        // A few bytes are cleared in place: fill() is a runtime call, dearer than the loop.
        if (high - low <= 64) for (let i = base + low; i < base + high; i++) bytes[i] = 0;
        else bytes.fill(0, base + low, base + high);
      }
    }
    noteField(this.dirtyLow, slot);
    noteField(this.dirtyHigh, slot);
    this.dirtyLow[slot] = PAGE_SIZE;
    this.dirtyHigh[slot] = 0;
    return slot;
  }

  private allocateTableSlot(): number {
    if (this.freeTableSlots.length > 0) {
      notePop(this.freeTableSlots);
      const t = this.freeTableSlots.pop()!;
      noteCustom(this, -2 - t);
      this.tableWords.fill(0, t * WORDS_PER_PAGE, (t + 1) * WORDS_PER_PAGE);
      return t;
    }
    noteField(this, 'tableSlotCount');
    const t = this.tableSlotCount++;
    if ((t + 1) * WORDS_PER_PAGE > this.tableWords.length) {
      noteField(this, 'tableWords');
      noteField(this, 'tableBytes');
      const grown = new Uint32Array(this.tableWords.length * 2);
      grown.set(this.tableWords);
      this.tableWords = grown;
      this.tableBytes = new Uint8Array(grown.buffer);
    }
    return t;
  }

  private growDirtyRanges(): void {
    const size = Math.max(this.chunks.length * CHUNK_PAGES, this.dirtyLow.length * 2);
    const low = new Uint16Array(size);
    const high = new Uint16Array(size);
    noteField(this, 'dirtyLow');
    noteField(this, 'dirtyHigh');
    low.set(this.dirtyLow);
    high.set(this.dirtyHigh);
    this.dirtyLow = low;
    this.dirtyHigh = high;
  }

  private markDirty(slot: number, from: number, to: number): void {
    if (from < this.dirtyLow[slot]!) {
      noteField(this.dirtyLow, slot);
      this.dirtyLow[slot] = from;
    }
    if (to > this.dirtyHigh[slot]!) {
      noteField(this.dirtyHigh, slot);
      this.dirtyHigh[slot] = to;
    }
  }

  private own(chunk: number): void {
    if (this.chunkOwned[chunk] === 1) return;
    const copy = this.chunks[chunk]!.slice();
    this.chunks[chunk] = copy;
    this.chunkWords[chunk] = new Uint32Array(copy.buffer);
    this.chunkOwned[chunk] = 1;
  }

  /**
   * The encoded storage of a frame, created if needed (as table storage when `asTable`), writable.
   * `overwritten`: the caller is about to store the whole page.
   */
  private writable(frame: number, asTable: boolean, overwritten = false): number {
    let encoded = this.slotOf(frame);
    if (encoded === NONE) {
      encoded = asTable ? -2 - this.allocateTableSlot() : this.allocateDataSlot(overwritten);
      this.setSlot(frame, encoded);
    }
    noteCustom(this, encoded);
    if (isTable(encoded)) this.pagingChanged();
    else this.own(encoded >> CHUNK_SHIFT);
    return encoded;
  }

  // Bytes ----------------------------------------------------------------------------------------

  readByte(paddr: number): number {
    const encoded = this.slotOf(Math.floor(paddr / PAGE_SIZE));
    const offset = paddr % PAGE_SIZE;
    if (encoded === NONE) return 0;
    if (isTable(encoded)) return this.tableBytes[(-2 - encoded) * PAGE_SIZE + offset]!;
    return this.chunks[encoded >> CHUNK_SHIFT]![(encoded & CHUNK_MASK) * PAGE_SIZE + offset]!;
  }

  writeByte(frame: number, offset: number, value: number): void {
    const encoded = this.writable(frame, false);
    if (isTable(encoded)) {
      this.tableBytes[(-2 - encoded) * PAGE_SIZE + offset] = value;
      return;
    }
    this.chunks[encoded >> CHUNK_SHIFT]![(encoded & CHUNK_MASK) * PAGE_SIZE + offset] = value;
    this.markDirty(encoded, offset, offset + 1);
  }

  /** Stores `count` bytes of `data` from `from` at `offset` in the frame. */
  writeBytes(frame: number, offset: number, data: Uint8Array, from = 0, count = data.length - from): void {
    const bytes = from === 0 && count === data.length ? data : data.subarray(from, from + count);
    // A whole-page store (a COW copy, a file page) needs no cleared slot underneath.
    const encoded = this.writable(frame, false, offset === 0 && bytes.length === PAGE_SIZE);
    if (isTable(encoded)) {
      this.tableBytes.set(bytes, (-2 - encoded) * PAGE_SIZE + offset);
      return;
    }
    this.chunks[encoded >> CHUNK_SHIFT]!.set(bytes, (encoded & CHUNK_MASK) * PAGE_SIZE + offset);
    this.markDirty(encoded, offset, offset + count);
  }

  /** A read-only view of the frame's bytes, or undefined when it holds only zeros. */
  view(frame: number): Uint8Array | undefined {
    const encoded = this.slotOf(frame);
    if (encoded === NONE) return undefined;
    if (isTable(encoded)) {
      const base = (-2 - encoded) * PAGE_SIZE;
      return this.tableBytes.subarray(base, base + PAGE_SIZE);
    }
    const base = (encoded & CHUNK_MASK) * PAGE_SIZE;
    return this.chunks[encoded >> CHUNK_SHIFT]!.subarray(base, base + PAGE_SIZE);
  }

  // Words (paging structures) ---------------------------------------------------------------------

  /** Word `index` (0..1023) of a frame read as a paging structure. */
  readWord(frame: number, index: number): number {
    const encoded = this.slotOf(frame);
    if (encoded === NONE) return 0;
    if (isTable(encoded)) return this.tableWords[(-2 - encoded) * WORDS_PER_PAGE + index]!;
    return this.chunkWords[encoded >> CHUNK_SHIFT]![(encoded & CHUNK_MASK) * WORDS_PER_PAGE + index]!;
  }

  /** Stores both words of paging-structure entry `index` (0..511) of a frame, looking its storage up once. */
  writeEntry(frame: number, index: number, low: number, high: number): void {
    const encoded = this.writable(frame, true);
    if (isTable(encoded)) {
      const at = (-2 - encoded) * WORDS_PER_PAGE + 2 * index;
      this.tableWords[at] = low;
      this.tableWords[at + 1] = high;
      return;
    }
    const words = this.chunkWords[encoded >> CHUNK_SHIFT]!;
    const at = (encoded & CHUNK_MASK) * WORDS_PER_PAGE + 2 * index;
    words[at] = low;
    words[at + 1] = high;
    this.markDirty(encoded, index * 8, index * 8 + 8);
  }

  /** Word of a paging-structure frame held outside the table arena (or nowhere). */
  private tableWord(frame: number, index: number): number {
    const encoded = this.slotOf(frame);
    if (encoded <= -2) return this.tableWords[(-2 - encoded) * WORDS_PER_PAGE + index]!;
    if (encoded === NONE) return 0;
    return this.chunkWords[encoded >> CHUNK_SHIFT]![(encoded & CHUNK_MASK) * WORDS_PER_PAGE + index]!;
  }

  /**
   * The four-level walk from a PML4 frame, on integers only. Returns the page's frame, or -1 when
   * some level is not present. `permissions[0]` receives the combined bits: 1 = user at every
   * level, 2 = writable at every level, 4 = NX at some level.
   */
  walk(pml4Frame: number, vaddr: number, permissions: Int32Array | null): number {
    const high32 = Math.floor(vaddr / 4294967296);
    if (high32 >= 0x8000 || high32 < 0) return -1;
    const low32 = vaddr >>> 0;
    const indices = [
      (high32 >>> 7) & 511,
      ((high32 << 2) | (low32 >>> 30)) & 511,
      (low32 >>> 21) & 511,
      (low32 >>> 12) & 511,
    ];
    let frame = pml4Frame;
    let bits = 3;
    for (const index of indices) {
      const low = this.tableWord(frame, 2 * index);
      if ((low & 1) === 0) return -1;
      const high = this.tableWord(frame, 2 * index + 1);
      bits = (bits & (((low >> 2) & 1) | (low & 2) | 4)) | ((high >>> 31) << 2);
      frame = (high & 0xfffff) * 1048576 + (low >>> 12);
    }
    if (permissions !== null) permissions[0] = bits;
    return frame;
  }

  /**
   * The same walk entered at the page-directory level. SerenityOS only ever uses PML4[0], whose
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
    const words = this.tableWords;
    // Page directory entry. (A free frame's link word is a freelist link, hence slotOf.)
    let encoded = this.slotOf(pdFrame);
    let low: number;
    let high: number;
    let index = ((low32 >>> 21) & 511) << 1;
    if (encoded <= -2) {
      const at = (-2 - encoded) * WORDS_PER_PAGE + index;
      low = words[at]!;
      high = words[at + 1]!;
    } else {
      low = this.tableWord(pdFrame, index);
      high = this.tableWord(pdFrame, index + 1);
    }
    if ((low & 1) === 0) return -1;
    const bits = ((topLevelsUser ? 3 : 2) & (((low >> 2) & 1) | (low & 2))) | ((high >>> 31) << 2);
    // Page table entry. (Frames below 2^20 stay small integers: the fast case for the JIT.)
    const ptHigh = high & 0xfffff;
    const ptFrame = ptHigh === 0 ? low >>> 12 : ptHigh * 1048576 + (low >>> 12);
    encoded = this.slotOf(ptFrame);
    index = ((low32 >>> 12) & 511) << 1;
    if (encoded <= -2) {
      const at = (-2 - encoded) * WORDS_PER_PAGE + index;
      low = words[at]!;
      high = words[at + 1]!;
    } else {
      low = this.tableWord(ptFrame, index);
      high = this.tableWord(ptFrame, index + 1);
    }
    if ((low & 1) === 0) return -1;
    if (permissions !== null)
      permissions[0] = (bits & (((low >> 2) & 1) | (low & 2) | 4)) | ((high >>> 31) << 2);
    const pageHigh = high & 0xfffff;
    return pageHigh === 0 ? low >>> 12 : pageHigh * 1048576 + (low >>> 12);
  }

  /**
   * The physical address vaddr maps to in `pd`, or -1: `walkFromDirectory` without permissions,
   * for side-effect-free translation (inspection, hovers). Like a CPU's paging-structure cache it
   * remembers where the page table behind each PDE is stored, so that a walk reads one cached slot
   * and the PTE; any paging change invalidates what it remembers.
   */
  translate(pd: PageDirectory, vaddr: number): number {
    const cache = pd.pdeCache;
    if (cache !== null && cache.version === this.pagingVersion && vaddr >= 0 && vaddr < 549755813888) {
      // vaddr < 2^39, so the quotient is the 18-bit PDPT and PD index and `| 0` floors it.
      const pdeIndex = (vaddr / 2097152) | 0;
      const entries = cache.entries;
      const at = (pdeIndex & PDE_CACHE_MASK) << 1;
      if (entries[at] === pdeIndex) {
        const slot = entries[at + 1]!;
        if (slot >= 0) return this.addressInPageTable(slot, vaddr);
      }
    }
    // Everything else takes one call: it stays rare (a miss loads a whole page directory's worth
    // of entries), so the JIT keeps it out of the common path.
    return this.translateMissed(pd, vaddr);
  }

  /** The physical address the PTE for vaddr in the page table at table slot `slot` gives, or -1. */
  private addressInPageTable(slot: number, vaddr: number): number {
    const words = this.tableWords;
    const low32 = vaddr >>> 0;
    // Word index of the PTE: slot * 1024 + 2 * (9-bit table index).
    const at = slot * WORDS_PER_PAGE + ((low32 >>> 11) & 1022);
    const low = words[at]!;
    if ((low & 1) === 0) return -1;
    // Bits 12..31 of the address from the PTE's low word, 0..11 from vaddr, 32..51 from its high word.
    const address = ((low & ~0xfff) | (low32 & 0xfff)) >>> 0;
    const high = words[at + 1]! & 0xfffff;
    return high === 0 ? address : high * 4294967296 + address;
  }

  private translateMissed(pd: PageDirectory, vaddr: number): number {
    if (!(vaddr >= 0 && vaddr < 549755813888)) return -1;
    const pdeIndex = Math.floor(vaddr / 2097152);
    const cache = pd.pdeCache ?? this.startPdeCache(pd);
    if (cache.version !== this.pagingVersion) {
      cache.entries.fill(-1);
      cache.version = this.pagingVersion;
    }
    const at = (pdeIndex & PDE_CACHE_MASK) << 1;
    if (cache.entries[at] !== pdeIndex) this.loadPageDirectory(pd, cache, pdeIndex >>> 9);
    const slot = cache.entries[at + 1]!;
    if (slot >= 0) return this.addressInPageTable(slot, vaddr);
    if (slot === PDE_NOT_PRESENT) return -1;
    const frame = this.walkFromDirectory(pd.directoryPages, true, vaddr, null);
    return frame < 0 ? -1 : frame * PAGE_SIZE + pageOffset(vaddr);
  }

  private startPdeCache(pd: PageDirectory): PdeCache {
    const cache = new PdeCache();
    pd.pdeCache = cache;
    return cache;
  }

  /** Caches all 512 entries of the page directory at PDPT index `pdptIndex`. */
  private loadPageDirectory(pd: PageDirectory, cache: PdeCache, pdptIndex: number): void {
    for (let i = 0; i < 512; i++) {
      const pdeIndex = pdptIndex * 512 + i;
      const at = (pdeIndex & PDE_CACHE_MASK) << 1;
      cache.entries[at] = pdeIndex;
      cache.entries[at + 1] = this.pageTableSlot(pd, pdeIndex);
    }
  }

  /** Where the page table behind PDE `pdeIndex` (PDPT index * 512 + PD index) is stored. */
  private pageTableSlot(pd: PageDirectory, pdeIndex: number): number {
    const pdFrame = pd.directoryPages[pdeIndex >>> 9]!;
    const pdStorage = pdFrame < 0 ? NONE : this.slotOf(pdFrame);
    if (pdStorage === NONE) return PDE_NOT_PRESENT;
    if (!isTable(pdStorage)) return PDE_FULL_WALK;
    const at = (-2 - pdStorage) * WORDS_PER_PAGE + 2 * (pdeIndex & 511);
    const low = this.tableWords[at]!;
    if ((low & 1) === 0) return PDE_NOT_PRESENT;
    const high = this.tableWords[at + 1]! & 0xfffff;
    const ptStorage = this.slotOf(high * 1048576 + (low >>> 12));
    if (ptStorage === NONE) return PDE_NOT_PRESENT;
    return isTable(ptStorage) ? -2 - ptStorage : PDE_FULL_WALK;
  }

  /**
   * Entries of `pd`'s PDE cache that claim to be current but differ from the page tables (for
   * verifyInvariants): a paging change that did not move the version on.
   */
  stalePdeCacheEntries(pd: PageDirectory): number[] {
    const cache = pd.pdeCache;
    if (cache === null || cache.version !== this.pagingVersion) return [];
    const stale: number[] = [];
    for (let at = 0; at < cache.entries.length; at += 2) {
      const pdeIndex = cache.entries[at]!;
      if (pdeIndex >= 0 && cache.entries[at + 1] !== this.pageTableSlot(pd, pdeIndex)) stale.push(pdeIndex);
    }
    return stale;
  }

  /** True when all 1024 words of the frame are zero. */
  isZero(frame: number): boolean {
    const encoded = this.slotOf(frame);
    if (encoded === NONE) return true;
    // Scanned where the words are stored: a view object per call would be garbage on every munmap.
    const table = isTable(encoded);
    const words = table ? this.tableWords : this.chunkWords[encoded >> CHUNK_SHIFT]!;
    const base = (table ? -2 - encoded : encoded & CHUNK_MASK) * WORDS_PER_PAGE;
    for (let i = base; i < base + WORDS_PER_PAGE; i++) if (words[i] !== 0) return false;
    return true;
  }

  // Whole pages ------------------------------------------------------------------------------------

  /** Zero fill: the frame gives its storage back. Must run before a frame stops being allocated. */
  zero(frame: number): void {
    const encoded = this.slotOf(frame);
    if (encoded === NONE) return;
    this.releaseSlot(encoded);
    this.setSlot(frame, NONE);
  }

  /** Forgets storage a frame had while it was not an allocated page (before it becomes one). */
  forgetUnallocated(frame: number): void {
    // Every page allocation passes here; the map is nearly always empty.
    if (this.otherSlots.size === 0) return;
    const encoded = this.otherSlots.get(frame);
    if (encoded === undefined) return;
    this.releaseSlot(encoded);
    this.pagingChanged();
    noteRemoval(this.otherSlots);
    this.otherSlots.delete(frame);
  }

  private releaseSlot(encoded: number): void {
    if (isTable(encoded)) {
      notePush(this.freeTableSlots);
      this.freeTableSlots.push(-2 - encoded);
    } else {
      notePush(this.freeSlots);
      this.freeSlots.push(encoded);
    }
  }

  // Undo journal ----------------------------------------------------------------------------------

  /** The bytes of a slot (encoded like a link word), saved before its first change in a log. */
  saveForUndo(encoded: number): Uint8Array {
    if (encoded === NONE) return new Uint8Array(0);
    return this.slotBytes(encoded).slice();
  }

  undoChange(encoded: number, saved: unknown): void {
    if (encoded === NONE) {
      this.pagingVersion = ++lastPagingVersion;
      return;
    }
    if (!isTable(encoded)) this.own(encoded >> CHUNK_SHIFT);
    this.slotBytes(encoded).set(saved as Uint8Array);
  }

  private slotBytes(encoded: number): Uint8Array {
    if (isTable(encoded)) {
      const base = (-2 - encoded) * PAGE_SIZE;
      return this.tableBytes.subarray(base, base + PAGE_SIZE);
    }
    const base = (encoded & CHUNK_MASK) * PAGE_SIZE;
    return this.chunks[encoded >> CHUNK_SHIFT]!.subarray(base, base + PAGE_SIZE);
  }

  /** Copies one frame's contents over another's (COW copies, copy_physical_page). */
  copy(from: number, to: number): void {
    const source = this.view(from);
    if (source === undefined) {
      this.zero(to);
      return;
    }
    this.writeBytes(to, 0, source);
  }

  /** Replaces a frame's bytes with `data`, zero-extended to a page. */
  fill(frame: number, data: Uint8Array): void {
    this.zero(frame);
    this.writeBytes(frame, 0, data.subarray(0, PAGE_SIZE));
  }

  hasBuffer(frame: number): boolean {
    return this.slotOf(frame) !== NONE;
  }

  /** Slots in use (frames holding storage). */
  get bufferCount(): number {
    return this.slotCount - this.freeSlots.length + this.tableSlotCount - this.freeTableSlots.length;
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
    fields['dirtyLow'] = this.dirtyLow.slice();
    fields['dirtyHigh'] = this.dirtyHigh.slice();
    const tableWords = this.tableWords.slice();
    fields['tableWords'] = tableWords;
    fields['tableBytes'] = new Uint8Array(tableWords.buffer);
    fields['freeTableSlots'] = this.freeTableSlots.slice();
    fields['tableSlotCount'] = this.tableSlotCount;
    fields['otherSlots'] = new Map(this.otherSlots);
    // The copy holds the same paging structures, so what was cached for this version holds for it.
    fields['pagingVersion'] = this.pagingVersion;
    // From now on both sides share every data chunk: the next write to one copies it.
    this.chunkOwned.fill(0);
    return copy;
  }
}
