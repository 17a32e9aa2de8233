// Byte-exact, sparse contents of physical memory. A frame that was never written (or was zero
// filled since) holds no buffer and reads as zeros. Paging-structure frames are kept as 32-bit
// word arrays (entry i = words[2i] low half, words[2i+1] high half, little endian like the CPU).
//
// Checkpoints share data buffers: after a checkpoint every buffer is considered shared and the
// first write to it copies it (per-frame "owned" flag). Word arrays are small and few, so a
// checkpoint copies them outright.

import { PAGE_SIZE } from './constants';
import type { Cloner } from './Checkpoint';

export class PageContents {
  private readonly bytes = new Map<number, Uint8Array>();
  private readonly words = new Map<number, Uint32Array>();
  /** 1 = this machine may write the frame's buffer in place. */
  private owned: Uint8Array;

  constructor(private readonly frameCount: number) {
    this.owned = new Uint8Array(frameCount);
  }

  /** The frame's data buffer if it has one (read only: do not write through it). */
  peekBytes(frame: number): Uint8Array | undefined {
    return this.bytes.get(frame);
  }

  /** A writable buffer for the frame, created (zeroed) or un-shared on demand. */
  writableBytes(frame: number): Uint8Array {
    const w = this.words.get(frame);
    if (w !== undefined) return new Uint8Array(w.buffer, w.byteOffset, PAGE_SIZE);
    let buffer = this.bytes.get(frame);
    if (buffer === undefined) {
      buffer = new Uint8Array(PAGE_SIZE);
      this.bytes.set(frame, buffer);
      if (frame < this.frameCount) this.owned[frame] = 1;
    } else if (frame >= this.frameCount || this.owned[frame] === 0) {
      buffer = buffer.slice();
      this.bytes.set(frame, buffer);
      if (frame < this.frameCount) this.owned[frame] = 1;
    }
    return buffer;
  }

  /** Zero fill: the frame drops its buffer. */
  zero(frame: number): void {
    this.bytes.delete(frame);
    this.words.delete(frame);
  }

  /** Copies the contents of one frame to another (a COW copy or copy_physical_page). */
  copy(from: number, to: number): void {
    const source = this.readBytesOf(from);
    this.words.delete(to);
    if (source === undefined) {
      this.bytes.delete(to);
      return;
    }
    const target = this.writableBytes(to);
    target.set(source);
  }

  /** Replaces a frame's bytes with `data` (zero-extended to a page). */
  fill(frame: number, data: Uint8Array): void {
    this.words.delete(frame);
    const target = this.writableBytes(frame);
    target.fill(0);
    target.set(data.subarray(0, PAGE_SIZE));
  }

  hasBuffer(frame: number): boolean {
    return this.bytes.has(frame) || this.words.has(frame);
  }

  /** Paging-structure words of a frame, or undefined if the frame holds only zeros. */
  tableWords(frame: number): Uint32Array | undefined {
    return this.words.get(frame);
  }

  /** Paging-structure words of a frame, created zeroed on first use. */
  ensureTableWords(frame: number): Uint32Array {
    let w = this.words.get(frame);
    if (w === undefined) {
      w = new Uint32Array(PAGE_SIZE / 4);
      const old = this.bytes.get(frame);
      if (old !== undefined) w.set(new Uint32Array(old.slice().buffer));
      this.bytes.delete(frame);
      this.words.set(frame, w);
    }
    return w;
  }

  /** Bytes of a frame for reading, whichever way it is stored; undefined means all zero. */
  readBytesOf(frame: number): Uint8Array | undefined {
    const w = this.words.get(frame);
    if (w !== undefined) return new Uint8Array(w.buffer, w.byteOffset, PAGE_SIZE);
    return this.bytes.get(frame);
  }

  readByte(paddr: number): number {
    const frame = Math.floor(paddr / PAGE_SIZE);
    const b = this.readBytesOf(frame);
    return b === undefined ? 0 : b[paddr % PAGE_SIZE]!;
  }

  /** Number of frames holding a buffer (for memory figures and tests). */
  get bufferCount(): number {
    return this.bytes.size + this.words.size;
  }

  cloneForCheckpoint(cloner: Cloner): PageContents {
    const copy = Object.create(PageContents.prototype) as PageContents;
    const fields = copy as unknown as {
      bytes: Map<number, Uint8Array>;
      words: Map<number, Uint32Array>;
      owned: Uint8Array;
      frameCount: number;
    };
    fields.frameCount = this.frameCount;
    fields.bytes = new Map(this.bytes);
    fields.words = new Map();
    for (const [frame, w] of this.words) fields.words.set(frame, cloner.clone(w));
    fields.owned = new Uint8Array(this.frameCount);
    // From now on both sides share every data buffer: the next write copies it.
    this.owned.fill(0);
    return copy;
  }
}
