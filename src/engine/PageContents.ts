// Byte-exact, sparse contents of physical memory. A frame that was never written (or was zero
// filled since) holds no storage and reads as zeros.
//
// A data page is stored by blocks: its 4 KiB are 16 blocks of 256 bytes, and the page's storage
// is a directory naming the blocks it holds (a block not named reads as zeros) and, per block, the
// extent written so far. A block comes into being on the first non-zero store to it. Blocks and
// directories are units of two arenas of chunks (256 blocks = 64 KiB, 256 directories = 32 KiB)
// that checkpoints share copy-on-write: a checkpoint takes the lists of chunks, and afterwards the
// first write to a chunk, on either side, copies it. Freed units go to free lists. A free
// directory names no block; a free block keeps its bytes and is cleared when reused, only as far
// as its extent says it was written, so that the fault path clears what the last page wrote and
// freeing a page writes to its directory only.
//
// Costs. A data page with one byte written holds a directory and a block, 128 + 256 = 384 bytes
// (a whole page would be 4096); a dense page 128 + 16 * 256 = 4224. The undo journal saves what is
// about to change: the block written (256 bytes) and, when a block is added, freed or written past
// its extent, the directory (128 bytes). Apart from the table arena, a checkpoint copies only the
// arenas' lists: per chunk two references and an ownership flag, and the free lists (one number
// per free directory, two per free block). For 200,000 pages of one block each that is 782 chunks
// of blocks and 782 of directories, some 4,700 array slots (about 40 KB), while the 76 MB of
// blocks and directories stay shared.
//
// Paging structures (frames first written as 32-bit words) use one contiguous word array, small
// and walked on every access, which a checkpoint copies outright.
//
// An allocated frame keeps its storage in its PhysicalPageEntry's link word (-1 = none, n >= 0 =
// directory n, n <= -2 = table slot -2 - n); other frames (device memory, free RAM reached through
// an MMIO mapping) in a small map.

import type { Cloner } from './Checkpoint';
import { KERNEL_MAPPING_BASE, PAGE_SIZE, pageOffset } from './constants';
import type { PageDirectory } from './PageDirectory';
import { PTE_ACCESSED, PTE_DIRTY, entryFrame } from './PageTableEntry';
import { ENTRY_ALLOCATED, type PhysicalPageEntries } from './PhysicalPageEntry';
import {
  noteCustom,
  noteField,
  noteMapKey,
  notePop,
  notePush,
  noteRange,
  noteRemoval,
  type UndoTarget,
} from './UndoLog';

const WORDS_PER_PAGE = PAGE_SIZE / 4;
const NONE = -1;

/** A data page is BLOCKS_PER_PAGE blocks of BLOCK_SIZE bytes. */
const BLOCK_SHIFT = 8;
const BLOCK_SIZE = 1 << BLOCK_SHIFT;
const BLOCK_MASK = BLOCK_SIZE - 1;
const BLOCK_WORD_SHIFT = BLOCK_SHIFT - 2;
const BLOCK_WORDS = BLOCK_SIZE / 4;
const BLOCKS_PER_PAGE = PAGE_SIZE / BLOCK_SIZE;
/**
 * A directory has two words per block of its page: word i names block i (its number + 1, or 0 for
 * none), word 16 + i is the extent of the block written so far (first | end << 16), so that a
 * block taken again only needs those bytes cleared.
 */
const DIRECTORY_SHIFT = 5;
const DIRECTORY_BYTES = 4 << DIRECTORY_SHIFT;
/** Units (blocks or directories) per chunk of an arena. */
const CHUNK_SHIFT = 8;
const CHUNK_MASK = (1 << CHUNK_SHIFT) - 1;
/**
 * Undo journal keys: -1 is the paging version, a key <= -2 the table slot -2 - key, an even key
 * 2n block n and an odd key 2n + 1 directory n.
 */
const BLOCK_TAG = 0;
const DIRECTORY_TAG = 1;

function isTable(encoded: number): boolean {
  return encoded <= -2;
}

/**
 * Units of `unitWords` 32-bit words (blocks or directories) in chunks of 2^CHUNK_SHIFT units,
 * shared copy-on-write with checkpoints. A unit comes from the free list, else from past the last
 * one (such units are all zeros). PageContents notes a unit's bytes for undo before changing them.
 */
class ChunkArena {
  bytes: Uint8Array[] = [];
  /** The same chunks as 32-bit words. */
  words: Int32Array[] = [];
  /** 1 = this side may write the chunk in place; 0 = a checkpoint may share it. */
  chunkOwned: number[] = [];
  freeUnits: number[] = [];
  unitCount = 0;

  constructor(readonly unitWords: number) {}

  get unitsInUse(): number {
    return this.unitCount - this.freeUnits.length;
  }

  /** A unit from the free list (still holding what its last owner wrote), or -1. */
  reuse(): number {
    if (this.freeUnits.length === 0) return NONE;
    notePop(this.freeUnits);
    return this.freeUnits.pop()!;
  }

  /** A unit never used before: all zeros. */
  extend(): number {
    noteField(this, 'unitCount');
    const unit = this.unitCount++;
    if (unit >> CHUNK_SHIFT >= this.words.length) this.addChunk();
    return unit;
  }

  release(unit: number): void {
    notePush(this.freeUnits);
    this.freeUnits.push(unit);
  }

  /** Makes a chunk writable in place, copying it first if a checkpoint may share it. */
  own(chunk: number): void {
    if (this.chunkOwned[chunk] === 1) return;
    const copy = this.bytes[chunk]!.slice();
    this.bytes[chunk] = copy;
    this.words[chunk] = new Int32Array(copy.buffer);
    this.chunkOwned[chunk] = 1;
  }

  private addChunk(): void {
    notePush(this.bytes);
    notePush(this.words);
    notePush(this.chunkOwned);
    const buffer = new ArrayBuffer((this.unitWords * 4) << CHUNK_SHIFT);
    this.bytes.push(new Uint8Array(buffer));
    this.words.push(new Int32Array(buffer));
    this.chunkOwned.push(1);
  }

  /** A checkpoint's copy: the same chunks, which from now on neither side writes in place. */
  /** About how many bytes a checkpoint copies of the arena: its chunk lists and free list, not the chunks. */
  get listBytes(): number {
    return 8 * (3 * this.words.length + this.freeUnits.length);
  }

  cloneForCheckpoint(): ChunkArena {
    const copy = new ChunkArena(this.unitWords);
    copy.bytes = this.bytes.slice();
    copy.words = this.words.slice();
    copy.chunkOwned = new Array<number>(this.words.length).fill(0);
    copy.freeUnits = this.freeUnits.slice();
    copy.unitCount = this.unitCount;
    this.chunkOwned.fill(0);
    return copy;
  }
}

/** Whether `count` bytes of `data` from `from` are all zero. */
function allZero(data: Uint8Array, from: number, count: number): boolean {
  for (let i = from; i < from + count; i++) if (data[i] !== 0) return false;
  return true;
}

/** Whether `count` words of `words` from `from` are all zero. */
function wordsZero(words: Int32Array, from: number, count: number): boolean {
  for (let i = from; i < from + count; i++) if (words[i] !== 0) return false;
  return true;
}

function checkRange(offset: number, count: number): void {
  if (!(offset >= 0 && count >= 0 && offset + count <= PAGE_SIZE))
    throw new RangeError(`bytes [${offset}, ${offset + count}) are not within one page`);
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
  /** Data blocks of BLOCK_SIZE bytes. */
  private readonly blocks = new ChunkArena(BLOCK_WORDS);
  /** Directories of data pages, two words per block of the page. */
  private readonly directories = new ChunkArena(2 * BLOCKS_PER_PAGE);
  /** The written extent of each free block, in the order of the blocks' free list. */
  private freeBlockExtents: number[] = [];
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

  // Units ----------------------------------------------------------------------------------------

  /**
   * A unit of `arena` (tagged for the undo journal), its chunk owned and its old bytes noted. A
   * new unit is all zeros; a reused one holds what it held when freed (a free directory is clear).
   */
  private takeUnit(arena: ChunkArena, tag: number): number {
    let unit = arena.reuse();
    if (unit < 0) unit = arena.extend();
    noteCustom(this, 2 * unit + tag);
    arena.own(unit >> CHUNK_SHIFT);
    return unit;
  }

  /**
   * A block reading as zeros, writable. A reused block still holds what its last page wrote: its
   * written extent (kept beside it on the free list) is cleared, unless the caller overwrites all.
   */
  private takeBlock(overwritten: boolean): number {
    const reused = this.blocks.freeUnits.length > 0;
    const block = this.takeUnit(this.blocks, BLOCK_TAG);
    if (!reused) return block;
    notePop(this.freeBlockExtents);
    const extent = this.freeBlockExtents.pop()!;
    if (overwritten) return block;
    const bytes = this.blocks.bytes[block >> CHUNK_SHIFT]!;
    const base = (block & CHUNK_MASK) << BLOCK_SHIFT;
    const first = base + (extent & 0xffff);
    const end = base + (extent >>> 16);
    // A few bytes are cleared in place: fill() is a runtime call, dearer than the loop.
    if (end - first <= 32) for (let i = first; i < end; i++) bytes[i] = 0;
    else bytes.fill(0, first, end);
    return block;
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

  // Blocks of data pages ---------------------------------------------------------------------------

  /** The block holding bytes [index * 256, (index + 1) * 256) of the page with `directory`, or -1. */
  private blockAt(directory: number, index: number): number {
    const words = this.directories.words[directory >> CHUNK_SHIFT]!;
    return words[((directory & CHUNK_MASK) << DIRECTORY_SHIFT) | index]! - 1;
  }

  /**
   * Adds block `index` to a data frame (`encoded` is its storage; a directory is taken if it has
   * none yet) for a store to bytes [first, end) of the block, and returns it, writable.
   */
  private addBlock(frame: number, encoded: number, index: number, first: number, end: number): number {
    let directory = encoded;
    if (directory === NONE) {
      directory = this.takeUnit(this.directories, DIRECTORY_TAG);
      this.setSlot(frame, directory);
    }
    const block = this.takeBlock(first === 0 && end === BLOCK_SIZE);
    noteCustom(this, 2 * directory + DIRECTORY_TAG);
    const chunk = directory >> CHUNK_SHIFT;
    this.directories.own(chunk);
    const words = this.directories.words[chunk]!;
    const at = ((directory & CHUNK_MASK) << DIRECTORY_SHIFT) | index;
    words[at] = block + 1;
    words[at + BLOCKS_PER_PAGE] = first | (end << 16);
    return block;
  }

  /**
   * Block `index` of a data frame ready for a store to its bytes [first, end): added if missing,
   * its chunk owned, its bytes noted for undo and its written extent widened.
   */
  private writableBlock(frame: number, encoded: number, index: number, first: number, end: number): number {
    const block = encoded === NONE ? NONE : this.blockAt(encoded, index);
    if (block < 0) return this.addBlock(frame, encoded, index, first, end);
    noteCustom(this, 2 * block + BLOCK_TAG);
    this.blocks.own(block >> CHUNK_SHIFT);
    this.widenExtent(encoded, index, first, end);
    return block;
  }

  /** Widens the written extent of block `index` of the page with `directory` to cover [first, end). */
  private widenExtent(directory: number, index: number, first: number, end: number): void {
    const chunk = directory >> CHUNK_SHIFT;
    const at = (((directory & CHUNK_MASK) << DIRECTORY_SHIFT) | index) + BLOCKS_PER_PAGE;
    const extent = this.directories.words[chunk]![at]!;
    const oldFirst = extent & 0xffff;
    const oldEnd = extent >>> 16;
    if (first >= oldFirst && end <= oldEnd) return;
    noteCustom(this, 2 * directory + DIRECTORY_TAG);
    this.directories.own(chunk);
    this.directories.words[chunk]![at] = Math.min(first, oldFirst) | (Math.max(end, oldEnd) << 16);
  }

  /** The written extent of block `index` of the page with `directory` (first | end << 16). */
  private extentAt(directory: number, index: number): number {
    const words = this.directories.words[directory >> CHUNK_SHIFT]!;
    return words[(((directory & CHUNK_MASK) << DIRECTORY_SHIFT) | index) + BLOCKS_PER_PAGE]!;
  }

  /** Whether block `index` of a frame stored as data (or not at all) is missing. */
  private lacksBlock(encoded: number, index: number): boolean {
    return encoded === NONE || this.blockAt(encoded, index) < 0;
  }

  // Bytes ----------------------------------------------------------------------------------------

  readByte(paddr: number): number {
    const encoded = this.slotOf(Math.floor(paddr / PAGE_SIZE));
    const offset = paddr % PAGE_SIZE;
    if (encoded === NONE) return 0;
    if (isTable(encoded)) return this.tableBytes[(-2 - encoded) * PAGE_SIZE + offset]!;
    const block = this.blockAt(encoded, offset >> BLOCK_SHIFT);
    if (block < 0) return 0;
    return this.blocks.bytes[block >> CHUNK_SHIFT]![
      ((block & CHUNK_MASK) << BLOCK_SHIFT) | (offset & BLOCK_MASK)
    ]!;
  }

  writeByte(frame: number, offset: number, value: number): void {
    const encoded = this.slotOf(frame);
    if (isTable(encoded)) {
      this.writableTable(encoded);
      this.tableBytes[(-2 - encoded) * PAGE_SIZE + offset] = value;
      return;
    }
    const index = offset >> BLOCK_SHIFT;
    // A zero where no block is stored reads as zero already.
    if (value === 0 && this.lacksBlock(encoded, index)) return;
    const inBlock = offset & BLOCK_MASK;
    const block = this.writableBlock(frame, encoded, index, inBlock, inBlock + 1);
    this.blocks.bytes[block >> CHUNK_SHIFT]![((block & CHUNK_MASK) << BLOCK_SHIFT) | inBlock] = value;
  }

  /** Stores `count` bytes of `data` from `from` at `offset` in the frame. */
  writeBytes(frame: number, offset: number, data: Uint8Array, from = 0, count = data.length - from): void {
    checkRange(offset, count);
    const encoded = this.slotOf(frame);
    if (isTable(encoded)) {
      this.writableTable(encoded);
      this.tableBytes.set(data.subarray(from, from + count), (-2 - encoded) * PAGE_SIZE + offset);
      return;
    }
    for (let done = 0; done < count;) {
      const at = offset + done;
      const n = Math.min(BLOCK_SIZE - (at & BLOCK_MASK), count - done);
      this.writeInBlock(frame, at, data, from + done, n);
      done += n;
    }
  }

  /** Stores `count` bytes of `data` from `from` at `offset` of a data frame, all in one block. */
  private writeInBlock(frame: number, offset: number, data: Uint8Array, from: number, count: number): void {
    // Looked up each time: the block before may have given the frame its directory.
    const encoded = this.slotOf(frame);
    const index = offset >> BLOCK_SHIFT;
    if (this.lacksBlock(encoded, index) && allZero(data, from, count)) return;
    const first = offset & BLOCK_MASK;
    const block = this.writableBlock(frame, encoded, index, first, first + count);
    const bytes = this.blocks.bytes[block >> CHUNK_SHIFT]!;
    const start = ((block & CHUNK_MASK) << BLOCK_SHIFT) | first;
    // A few bytes are copied in place: set() on a subarray costs an object and a runtime call.
    if (count <= 16) for (let i = 0; i < count; i++) bytes[start + i] = data[from + i]!;
    else bytes.set(data.subarray(from, from + count), start);
  }

  /** Copies `count` bytes from `offset` in the frame into `out` at `outOffset` (zeros where unwritten). */
  readBytes(frame: number, offset: number, out: Uint8Array, outOffset: number, count: number): void {
    checkRange(offset, count);
    const encoded = this.slotOf(frame);
    if (encoded === NONE) {
      out.fill(0, outOffset, outOffset + count);
      return;
    }
    if (isTable(encoded)) {
      const start = (-2 - encoded) * PAGE_SIZE + offset;
      out.set(this.tableBytes.subarray(start, start + count), outOffset);
      return;
    }
    for (let done = 0; done < count;) {
      const at = offset + done;
      const n = Math.min(BLOCK_SIZE - (at & BLOCK_MASK), count - done);
      const block = this.blockAt(encoded, at >> BLOCK_SHIFT);
      if (block < 0) out.fill(0, outOffset + done, outOffset + done + n);
      else {
        const start = ((block & CHUNK_MASK) << BLOCK_SHIFT) | (at & BLOCK_MASK);
        out.set(this.blocks.bytes[block >> CHUNK_SHIFT]!.subarray(start, start + n), outOffset + done);
      }
      done += n;
    }
  }

  /** A fresh copy of the frame's 4 KiB, for the rare paths that want a page in one piece. */
  pageBytes(frame: number): Uint8Array {
    const out = new Uint8Array(PAGE_SIZE);
    this.readBytes(frame, 0, out, 0, PAGE_SIZE);
    return out;
  }

  /**
   * The frame's 1024 words, read-only, or undefined when it holds no storage: a view into the table
   * arena for a paging structure (the page-table panel reads thousands of them), a copy otherwise.
   */
  pageWords(frame: number): Uint32Array | undefined {
    const encoded = this.slotOf(frame);
    if (encoded === NONE) return undefined;
    if (!isTable(encoded)) return new Uint32Array(this.pageBytes(frame).buffer);
    const start = (-2 - encoded) * WORDS_PER_PAGE;
    return this.tableWords.subarray(start, start + WORDS_PER_PAGE);
  }

  /** A paging structure's words are about to change: noted for undo, and translation caches drop. */
  private writableTable(encoded: number): void {
    noteCustom(this, encoded);
    this.pagingChanged();
  }

  // Words (paging structures) ---------------------------------------------------------------------

  /** Word `index` (0..1023) of a frame read as a paging structure. */
  readWord(frame: number, index: number): number {
    const encoded = this.slotOf(frame);
    if (encoded === NONE) return 0;
    if (isTable(encoded)) return this.tableWords[(-2 - encoded) * WORDS_PER_PAGE + index]!;
    return this.dataWord(encoded, index);
  }

  /** Word `index` of the data page with `directory`. */
  private dataWord(directory: number, index: number): number {
    const block = this.blockAt(directory, index >> BLOCK_WORD_SHIFT);
    if (block < 0) return 0;
    const words = this.blocks.words[block >> CHUNK_SHIFT]!;
    return words[((block & CHUNK_MASK) << BLOCK_WORD_SHIFT) | (index & (BLOCK_WORDS - 1))]! >>> 0;
  }

  /** Stores both words of paging-structure entry `index` (0..511) of a frame, looking its storage up once. */
  writeEntry(frame: number, index: number, low: number, high: number): void {
    let encoded = this.slotOf(frame);
    if (encoded === NONE) {
      encoded = -2 - this.allocateTableSlot();
      this.setSlot(frame, encoded);
    }
    if (!isTable(encoded)) {
      this.writeDataWord(frame, encoded, 2 * index, low);
      this.writeDataWord(frame, encoded, 2 * index + 1, high);
      return;
    }
    const at = (-2 - encoded) * WORDS_PER_PAGE + 2 * index;
    // The undo journal keeps the entry's two words, not the whole table: a PTE write is 8 bytes.
    noteRange(this.tableWords, at, at + 2);
    this.pagingChanged();
    this.tableWords[at] = low;
    this.tableWords[at + 1] = high;
  }

  /** Stores word `index` of a frame held as data (written as bytes before it became a table). */
  private writeDataWord(frame: number, directory: number, index: number, value: number): void {
    const blockIndex = index >> BLOCK_WORD_SHIFT;
    if (value === 0 && this.lacksBlock(directory, blockIndex)) return;
    const inBlock = index & (BLOCK_WORDS - 1);
    const block = this.writableBlock(frame, directory, blockIndex, 4 * inBlock, 4 * inBlock + 4);
    const words = this.blocks.words[block >> CHUNK_SHIFT]!;
    words[((block & CHUNK_MASK) << BLOCK_WORD_SHIFT) | inBlock] = value;
  }

  /** Word of a paging-structure frame held outside the table arena (or nowhere). */
  private tableWord(frame: number, index: number): number {
    const encoded = this.slotOf(frame);
    if (encoded <= -2) return this.tableWords[(-2 - encoded) * WORDS_PER_PAGE + index]!;
    if (encoded === NONE) return 0;
    return this.dataWord(encoded, index);
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
   * (present, writable, and user for a user page directory; only their Accessed bit, which no walk
   * reads, is set later), so the first two levels are known.
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
    let pdeAt = -1;
    if (encoded <= -2) {
      pdeAt = (-2 - encoded) * WORDS_PER_PAGE + index;
      low = words[pdeAt]!;
      high = words[pdeAt + 1]!;
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
    let pteAt = -1;
    if (encoded <= -2) {
      pteAt = (-2 - encoded) * WORDS_PER_PAGE + index;
      low = words[pteAt]!;
      high = words[pteAt + 1]!;
    } else {
      low = this.tableWord(ptFrame, index);
      high = this.tableWord(ptFrame, index + 1);
    }
    if ((low & 1) === 0) return -1;
    if (permissions !== null) {
      permissions[0] = (bits & (((low >> 2) & 1) | (low & 2) | 4)) | ((high >>> 31) << 2);
      // Where the two entries lie in the table arena, for markAccessed (ignored by an array of one).
      permissions[1] = pdeAt;
      permissions[2] = pteAt;
    }
    const pageHigh = high & 0xfffff;
    return pageHigh === 0 ? low >>> 12 : pageHigh * 1048576 + (low >>> 12);
  }

  /**
   * What the CPU does to the entries of a walk that let an access through: Accessed in every
   * paging-structure entry used (PML4E, PDPTE, PDE, PTE) and, for a write, Dirty in the PTE. Called
   * right after `walkFromDirectory` succeeded for the access with `walked` as its permissions
   * array (of three). MMU Lens sets the bits only for an access that translates: a walk that ends
   * in a page fault sets nothing (the Intel SDM leaves that open), so the retry after the fault
   * is handled is what sets them. Inspection never calls this.
   *
   * Each bit is written only while it is clear, so that an access to a page already marked costs
   * two reads: the PDE and PTE words the walk found. In a user page directory's own half the
   * PML4E and PDPTE need no look, as every walk that set the PDE's bit set theirs too; a kernel
   * address's PDE lives in the kernel's page directory, shared by every address space, so there
   * all four levels are checked.
   */
  markAccessed(pd: PageDirectory, vaddr: number, write: boolean, walked: Int32Array): boolean {
    const need = write ? PTE_ACCESSED | PTE_DIRTY : PTE_ACCESSED;
    const pdeAt = walked[1]!;
    const pteAt = walked[2]!;
    if (
      pdeAt >= 0 &&
      pteAt >= 0 &&
      (this.tableWords[pteAt]! & need) === need &&
      (this.tableWords[pdeAt]! & PTE_ACCESSED) !== 0 &&
      !pd.isKernel &&
      vaddr < KERNEL_MAPPING_BASE
    )
      return false;
    return this.markAccessedSlowly(pd, vaddr, need);
  }

  /** markAccessed at every level; true when some bit was clear and is now set. */
  private markAccessedSlowly(pd: PageDirectory, vaddr: number, need: number): boolean {
    const pdptIndex = Math.floor(vaddr / 1073741824) & 511;
    const pdIndex = Math.floor(vaddr / 2097152) & 511;
    const ptIndex = Math.floor(vaddr / PAGE_SIZE) & 511;
    // SerenityOS only uses PML4[0] (the walk refuses anything above it).
    let changed = this.setEntryBits(pd.pml4Frame, 0, PTE_ACCESSED);
    changed = this.setEntryBits(pd.pdptFrame, pdptIndex, PTE_ACCESSED) || changed;
    const pdFrame = pd.directoryPages[pdptIndex]!;
    changed = this.setEntryBits(pdFrame, pdIndex, PTE_ACCESSED) || changed;
    const pde = 2 * pdIndex;
    const ptFrame = entryFrame(this.readWord(pdFrame, pde), this.readWord(pdFrame, pde + 1));
    return this.setEntryBits(ptFrame, ptIndex, need) || changed;
  }

  /**
   * Sets `bits` in the low word of entry `index` of a paging structure; false when they were set.
   * The paging version stays: Accessed and Dirty change no translation and no page table's place,
   * which is all a PdeCache remembers, so translation caches stay valid.
   */
  private setEntryBits(frame: number, index: number, bits: number): boolean {
    const encoded = this.slotOf(frame);
    if (!isTable(encoded)) {
      const low = this.readWord(frame, 2 * index);
      if ((low & bits) === bits) return false;
      this.writeEntry(frame, index, (low | bits) >>> 0, this.readWord(frame, 2 * index + 1));
      return true;
    }
    const at = (-2 - encoded) * WORDS_PER_PAGE + 2 * index;
    const low = this.tableWords[at]!;
    if ((low & bits) === bits) return false;
    noteRange(this.tableWords, at, at + 1);
    this.tableWords[at] = (low | bits) >>> 0;
    return true;
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
    if (isTable(encoded)) {
      // Scanned where the words are stored: a view object per call would be garbage on every munmap.
      const words = this.tableWords;
      const base = (-2 - encoded) * WORDS_PER_PAGE;
      for (let i = base; i < base + WORDS_PER_PAGE; i++) if (words[i] !== 0) return false;
      return true;
    }
    for (let index = 0; index < BLOCKS_PER_PAGE; index++) {
      const block = this.blockAt(encoded, index);
      if (block < 0) continue;
      const words = this.blocks.words[block >> CHUNK_SHIFT]!;
      if (!wordsZero(words, (block & CHUNK_MASK) << BLOCK_WORD_SHIFT, BLOCK_WORDS)) return false;
    }
    return true;
  }

  // Whole pages ------------------------------------------------------------------------------------

  /** Zero fill: the frame gives its storage back. Must run before a frame stops being allocated. */
  zero(frame: number): void {
    const encoded = this.slotOf(frame);
    if (encoded === NONE) return;
    this.releaseStorage(encoded);
    this.setSlot(frame, NONE);
  }

  /** Forgets storage a frame had while it was not an allocated page (before it becomes one). */
  forgetUnallocated(frame: number): void {
    // Every page allocation passes here; the map is nearly always empty.
    if (this.otherSlots.size === 0) return;
    const encoded = this.otherSlots.get(frame);
    if (encoded === undefined) return;
    this.releaseStorage(encoded);
    this.pagingChanged();
    noteRemoval(this.otherSlots);
    this.otherSlots.delete(frame);
  }

  private releaseStorage(encoded: number): void {
    if (isTable(encoded)) {
      notePush(this.freeTableSlots);
      this.freeTableSlots.push(-2 - encoded);
      return;
    }
    // A free directory names no block: clearing the few names in use here is cheaper than clearing
    // them all when it is taken again, on the fault path. A block is cleared when it is reused, as
    // far as its extent (freed with it) says it was written.
    noteCustom(this, 2 * encoded + DIRECTORY_TAG);
    const chunk = encoded >> CHUNK_SHIFT;
    this.directories.own(chunk);
    const words = this.directories.words[chunk]!;
    const start = (encoded & CHUNK_MASK) << DIRECTORY_SHIFT;
    for (let at = start; at < start + BLOCKS_PER_PAGE; at++) {
      const entry = words[at]!;
      if (entry === 0) continue;
      this.blocks.release(entry - 1);
      notePush(this.freeBlockExtents);
      this.freeBlockExtents.push(words[at + BLOCKS_PER_PAGE]!);
      words[at] = 0;
    }
    this.directories.release(encoded);
  }

  /** Copies one frame's contents over another's (COW copies, copy_physical_page). */
  copy(from: number, to: number): void {
    if (from === to) return;
    this.zero(to);
    const source = this.slotOf(from);
    if (source === NONE) return;
    if (isTable(source)) {
      this.writeBytes(to, 0, this.tableBytes, (-2 - source) * PAGE_SIZE, PAGE_SIZE);
      return;
    }
    for (let index = 0; index < BLOCKS_PER_PAGE; index++) {
      const block = this.blockAt(source, index);
      if (block >= 0) this.copyBlock(block, this.extentAt(source, index), to, index);
    }
  }

  /** Gives frame `to` block `index` holding a copy of `block`, whose written extent is `extent`. */
  private copyBlock(block: number, extent: number, to: number, index: number): void {
    const first = extent & 0xffff;
    const end = extent >>> 16;
    const copy = this.addBlock(to, this.slotOf(to), index, first, end);
    // Read after addBlock: taking the copy may have copied the chunk the source lies in. Outside
    // its extent the source reads as zeros, and so does the copy.
    const bytes = this.blocks.bytes;
    const start = (block & CHUNK_MASK) << BLOCK_SHIFT;
    const source = bytes[block >> CHUNK_SHIFT]!.subarray(start + first, start + end);
    bytes[copy >> CHUNK_SHIFT]!.set(source, ((copy & CHUNK_MASK) << BLOCK_SHIFT) + first);
  }

  /** Replaces a frame's bytes with `data`, zero-extended to a page. */
  fill(frame: number, data: Uint8Array): void {
    this.zero(frame);
    this.writeBytes(frame, 0, data, 0, Math.min(data.length, PAGE_SIZE));
  }

  hasBuffer(frame: number): boolean {
    return this.slotOf(frame) !== NONE;
  }

  /** Frames holding storage (a directory or a table slot). */
  get bufferCount(): number {
    return this.directories.unitsInUse + this.tableSlotCount - this.freeTableSlots.length;
  }

  /** Bytes of storage the frame holds: its directory and blocks, or its table slot. */
  storedBytes(frame: number): number {
    const encoded = this.slotOf(frame);
    if (encoded === NONE) return 0;
    if (isTable(encoded)) return PAGE_SIZE;
    let bytes = DIRECTORY_BYTES;
    for (let index = 0; index < BLOCKS_PER_PAGE; index++)
      if (this.blockAt(encoded, index) >= 0) bytes += BLOCK_SIZE;
    return bytes;
  }

  /** Bytes of storage in use by all frames together. */
  get storedBytesInUse(): number {
    const tables = this.tableSlotCount - this.freeTableSlots.length;
    return (
      this.directories.unitsInUse * DIRECTORY_BYTES + this.blocks.unitsInUse * BLOCK_SIZE + tables * PAGE_SIZE
    );
  }

  /**
   * Storage lost or held twice (for verifyInvariants): each directory and table slot belongs to one
   * frame or lies on its free list, and so does each block, for a directory instead of a frame.
   */
  storageProblems(): string[] {
    const problems: string[] = [];
    const directoryUses = new Uint8Array(this.directories.unitCount);
    const blockUses = new Uint8Array(this.blocks.unitCount);
    const tableUses = new Uint8Array(this.tableSlotCount);
    for (const frame of this.framesHoldingStorage()) {
      const encoded = this.slotOf(frame);
      if (isTable(encoded)) {
        tableUses[-2 - encoded]!++;
        continue;
      }
      directoryUses[encoded]!++;
      for (let index = 0; index < BLOCKS_PER_PAGE; index++) {
        const block = this.blockAt(encoded, index);
        if (block < 0) continue;
        blockUses[block]!++;
        this.checkExtent(block, this.extentAt(encoded, index), problems);
      }
    }
    for (const unit of this.directories.freeUnits) directoryUses[unit]!++;
    for (const slot of this.freeTableSlots) tableUses[slot]!++;
    const freeBlocks = this.blocks.freeUnits;
    if (this.freeBlockExtents.length !== freeBlocks.length)
      problems.push(`${freeBlocks.length} free blocks but ${this.freeBlockExtents.length} extents`);
    freeBlocks.forEach((block, i) => {
      blockUses[block]!++;
      this.checkExtent(block, this.freeBlockExtents[i] ?? 0, problems);
    });
    countsOfOne('directory', directoryUses, problems);
    countsOfOne('block', blockUses, problems);
    countsOfOne('table slot', tableUses, problems);
    return problems;
  }

  private framesHoldingStorage(): number[] {
    const frames: number[] = [];
    for (let frame = 0; frame < this.entries.count; frame++)
      if (this.entries.isAllocated(frame) && this.entries.link[frame] !== NONE) frames.push(frame);
    for (const frame of this.otherSlots.keys()) frames.push(frame);
    return frames;
  }

  /** A block reads as zeros outside its written extent, or reusing it would show stale bytes. */
  private checkExtent(block: number, extent: number, problems: string[]): void {
    const first = extent & 0xffff;
    const end = extent >>> 16;
    if (!(first < end && end <= BLOCK_SIZE)) {
      problems.push(`block ${block} has the extent [${first}, ${end})`);
      return;
    }
    const bytes = this.blocks.bytes[block >> CHUNK_SHIFT]!;
    const base = (block & CHUNK_MASK) << BLOCK_SHIFT;
    for (let i = 0; i < BLOCK_SIZE; i++) {
      if ((i >= first && i < end) || bytes[base + i] === 0) continue;
      problems.push(`block ${block} holds byte ${i}, outside its written extent [${first}, ${end})`);
      return;
    }
  }

  // Undo journal ----------------------------------------------------------------------------------

  /** The bytes an undo key stands for (see BLOCK_TAG), saved before their first change in a log. */
  saveForUndo(key: number): Uint8Array {
    if (key === NONE) return new Uint8Array(0);
    return this.keyBytes(key).slice();
  }

  undoChange(key: number, saved: unknown): void {
    if (key === NONE) {
      this.pagingVersion = ++lastPagingVersion;
      return;
    }
    if (!isTable(key)) this.arenaOf(key).own((key >> 1) >> CHUNK_SHIFT);
    this.keyBytes(key).set(saved as Uint8Array);
  }

  private arenaOf(key: number): ChunkArena {
    return (key & 1) === DIRECTORY_TAG ? this.directories : this.blocks;
  }

  /** Where the bytes of an undo key are stored now: a table page, a block or a directory. */
  private keyBytes(key: number): Uint8Array {
    if (isTable(key)) {
      const base = (-2 - key) * PAGE_SIZE;
      return this.tableBytes.subarray(base, base + PAGE_SIZE);
    }
    const arena = this.arenaOf(key);
    const unit = key >> 1;
    const size = arena.unitWords * 4;
    const start = (unit & CHUNK_MASK) * size;
    return arena.bytes[unit >> CHUNK_SHIFT]!.subarray(start, start + size);
  }

  cloneForCheckpoint(cloner: Cloner): PageContents {
    const copy = Object.create(PageContents.prototype) as PageContents;
    const fields = copy as unknown as Record<string, unknown>;
    fields['entries'] = cloner.clone(this.entries);
    // From now on both sides share every chunk of blocks and directories: the next write copies it.
    fields['blocks'] = this.blocks.cloneForCheckpoint();
    fields['directories'] = this.directories.cloneForCheckpoint();
    fields['freeBlockExtents'] = this.freeBlockExtents.slice();
    const tableWords = this.tableWords.slice();
    cloner.account(
      this.blocks.listBytes +
        this.directories.listBytes +
        8 * this.freeBlockExtents.length +
        tableWords.byteLength +
        8 * (this.freeTableSlots.length + 2 * this.otherSlots.size),
    );
    fields['tableWords'] = tableWords;
    fields['tableBytes'] = new Uint8Array(tableWords.buffer);
    fields['freeTableSlots'] = this.freeTableSlots.slice();
    fields['tableSlotCount'] = this.tableSlotCount;
    fields['otherSlots'] = new Map(this.otherSlots);
    // The copy holds the same paging structures, so what was cached for this version holds for it.
    fields['pagingVersion'] = this.pagingVersion;
    return copy;
  }
}

/** Reports the units of `uses` that are not used exactly once. */
function countsOfOne(what: string, uses: Uint8Array, problems: string[]): void {
  for (let unit = 0; unit < uses.length; unit++) {
    if (uses[unit] === 1) continue;
    problems.push(
      uses[unit] === 0
        ? `${what} ${unit} is neither in use nor free`
        : `${what} ${unit} is held ${uses[unit]} times`,
    );
  }
}
