// SerenityOS's buddy allocator for one zone of physical memory (`Kernel/Memory/PhysicalZone.cpp`).
// Chunks are half pages; a block of order k is 2^k pages (2 << k chunks). Free blocks are kept
// on LIFO lists linked through the PhysicalPageEntry of their first page; one bit per buddy pair
// says "exactly one of the two is free". Splitting keeps the lower half and returns the upper
// one, so a fresh zone hands out pages from its top downward.

import { BUDDY_MAX_ORDER, PAGE_SIZE, countTrailingZeros } from './constants';
import { verify } from './errors';
import type { PhysicalPageEntries } from './PhysicalPageEntry';
import { noteField } from './UndoLog';

export const ZONE_CHUNK_SIZE = PAGE_SIZE / 2;

export class BuddyBucket {
  freelist = -1;
  readonly bitmap: Uint8Array;
  readonly bitCount: number;

  constructor(
    readonly order: number,
    bitCount: number,
  ) {
    this.bitCount = bitCount;
    this.bitmap = new Uint8Array(Math.ceil(bitCount / 8));
  }

  buddyBitIndex(index: number): number {
    return (index >> 1) >> (1 + this.order);
  }

  getBuddyBit(index: number): boolean {
    const bit = this.buddyBitIndex(index);
    return (this.bitmap[bit >> 3]! & (1 << (bit & 7))) !== 0;
  }

  setBuddyBit(index: number, value: boolean): void {
    const bit = this.buddyBitIndex(index);
    verify(bit < this.bitCount, 'buddy bit index in range');
    noteField(this.bitmap, bit >> 3);
    if (value) this.bitmap[bit >> 3]! |= 1 << (bit & 7);
    else this.bitmap[bit >> 3]! &= ~(1 << (bit & 7));
  }
}

export class PhysicalZone {
  /** First frame number of the zone (base paddr >> 12). */
  readonly baseFrame: number;
  readonly pageCount: number;
  usedChunks = 0;
  readonly buckets: BuddyBucket[] = [];

  constructor(
    private readonly entries: PhysicalPageEntries,
    baseFrame: number,
    pageCount: number,
  ) {
    this.baseFrame = baseFrame;
    this.pageCount = pageCount;
    const chunkCount = pageCount * 2;
    for (let order = 0; order <= BUDDY_MAX_ORDER; order++) {
      const blockSize = 2 << order;
      this.buckets.push(new BuddyBucket(order, Math.ceil(Math.floor(chunkCount / blockSize) / 2)));
    }
    const firstOrder = countTrailingZeros(pageCount);
    const blockSize = 2 << firstOrder;
    const bucket = this.buckets[firstOrder]!;
    const bundles = Math.floor(chunkCount / blockSize);
    for (let i = 0, offset = 0; i < bundles; i++, offset += blockSize) {
      // The kernel indexes `offset + i` here; with one bundle per zone that is 0.
      const index = offset + i;
      bucket.setBuddyBit(index, true);
      this.setNext(index, bucket.freelist);
      this.setPrev(index, -1);
      bucket.freelist = index;
    }
  }

  get basePaddr(): number {
    return this.baseFrame * PAGE_SIZE;
  }

  /** Pages the zone can still hand out. */
  available(): number {
    return this.pageCount - this.usedChunks / 2;
  }

  /** "Empty" in the kernel's sense: nothing left to allocate. */
  isEmpty(): boolean {
    return this.available() === 0;
  }

  containsFrame(frame: number): boolean {
    return frame >= this.baseFrame && frame < this.baseFrame + this.pageCount;
  }

  /** Returns the frame number of the allocated block, or -1. */
  allocateBlock(order: number): number {
    const index = this.allocateBlockImpl(order);
    if (index < 0) return -1;
    noteField(this, 'usedChunks');
    this.usedChunks += 2 << order;
    return this.baseFrame + (index >> 1);
  }

  private allocateBlockImpl(order: number): number {
    if (order > BUDDY_MAX_ORDER) return -1;
    const blockSize = 2 << order;
    const bucket = this.buckets[order]!;
    if (bucket.freelist === -1) {
      const buddies = this.allocateBlockImpl(order + 1);
      if (buddies < 0) return -1;
      // Keep the lower half on this order's list, hand out the upper half.
      this.setNext(buddies, -1);
      this.setPrev(buddies, -1);
      noteField(bucket, 'freelist');
      bucket.freelist = buddies;
      verify(!bucket.getBuddyBit(buddies), 'bucket.get_buddy_bit(index) == false');
      bucket.setBuddyBit(buddies, true);
      return buddies + blockSize;
    }
    const index = bucket.freelist;
    noteField(bucket, 'freelist');
    bucket.freelist = this.next(index);
    if (bucket.freelist !== -1) this.setPrev(bucket.freelist, -1);
    verify(bucket.getBuddyBit(index), 'bucket.get_buddy_bit(index) == true');
    bucket.setBuddyBit(index, false);
    return index;
  }

  deallocateBlock(frame: number, order: number): void {
    const index = (frame - this.baseFrame) * 2;
    this.deallocateBlockImpl(index, order);
    noteField(this, 'usedChunks');
    this.usedChunks -= 2 << order;
  }

  private deallocateBlockImpl(index: number, order: number): void {
    const blockSize = 2 << order;
    const bucket = this.buckets[order]!;
    if (bucket.getBuddyBit(index)) {
      const buddyBase = (bucket.buddyBitIndex(index) << 1) << (1 + order);
      this.removeFromFreelist(bucket, index === buddyBase ? buddyBase + blockSize : buddyBase);
      bucket.setBuddyBit(index, false);
      this.deallocateBlockImpl(buddyBase, order + 1);
      return;
    }
    if (bucket.freelist !== -1) this.setPrev(bucket.freelist, index);
    this.setNext(index, bucket.freelist);
    this.setPrev(index, -1);
    noteField(bucket, 'freelist');
    bucket.freelist = index;
    bucket.setBuddyBit(index, true);
  }

  private removeFromFreelist(bucket: BuddyBucket, index: number): void {
    const next = this.next(index);
    const prev = this.prev(index);
    if (prev !== -1) this.setNext(prev, next);
    if (next !== -1) this.setPrev(next, prev);
    if (bucket.freelist === index) {
      noteField(bucket, 'freelist');
      bucket.freelist = next;
    }
    this.setNext(index, -1);
    this.setPrev(index, -1);
  }

  /** Chunk indices of the free blocks of one order, list order (head first). */
  freeBlocks(order: number): number[] {
    const out: number[] = [];
    const bucket = this.buckets[order];
    if (bucket === undefined) return out;
    for (let i = bucket.freelist; i !== -1; i = this.next(i)) {
      out.push(i);
      if (out.length > this.pageCount * 2) break;
    }
    return out;
  }

  private next(index: number): number {
    return this.entries.freelistNext(this.baseFrame + (index >> 1));
  }
  private prev(index: number): number {
    return this.entries.freelistPrev(this.baseFrame + (index >> 1));
  }
  private setNext(index: number, value: number): void {
    this.entries.setFreelistNext(this.baseFrame + (index >> 1), value);
  }
  private setPrev(index: number, value: number): void {
    this.entries.setFreelistPrev(this.baseFrame + (index >> 1), value);
  }

  /**
   * Checks that the buddy bitmaps and free lists agree and that the used-chunk counter matches the
   * free blocks. Returns a list of problems (empty when consistent).
   */
  verifyConsistency(): string[] {
    const problems: string[] = [];
    let freeChunks = 0;
    const freeStarts = new Map<number, number>();
    for (const bucket of this.buckets) {
      let prev = -1;
      let steps = 0;
      for (let i = bucket.freelist; i !== -1; i = this.next(i)) {
        if (++steps > this.pageCount * 2 + 1) {
          problems.push(`zone ${this.basePaddr.toString(16)} order ${bucket.order}: freelist cycle`);
          break;
        }
        if (this.prev(i) !== prev) problems.push(`zone order ${bucket.order}: broken prev link at ${i}`);
        if (!bucket.getBuddyBit(i))
          problems.push(`zone order ${bucket.order}: free block ${i} has buddy bit 0`);
        if (freeStarts.has(i)) problems.push(`zone: chunk ${i} free at two orders`);
        freeStarts.set(i, bucket.order);
        freeChunks += 2 << bucket.order;
        prev = i;
      }
      // Every set bit must correspond to exactly one free block of the pair.
      const blockSize = 2 << bucket.order;
      for (let bit = 0; bit < bucket.bitCount; bit++) {
        if ((bucket.bitmap[bit >> 3]! & (1 << (bit & 7))) === 0) continue;
        const base = (bit << 1) << (1 + bucket.order);
        const a = freeStarts.get(base) === bucket.order;
        const b = freeStarts.get(base + blockSize) === bucket.order;
        if (a === b)
          problems.push(`zone order ${bucket.order}: bit ${bit} set but ${a ? 'both' : 'no'} buddies free`);
      }
    }
    if (freeChunks !== this.pageCount * 2 - this.usedChunks)
      problems.push(
        `zone ${this.basePaddr.toString(16)}: ${freeChunks} free chunks listed, counter says ${this.pageCount * 2 - this.usedChunks}`,
      );
    return problems;
  }
}
