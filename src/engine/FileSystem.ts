// A small in-memory file system: just enough inodes for file mappings (what `Kernel/Memory/InodeVMObject.cpp` reads and writes).

import type { SharedInodeVMObject } from './SharedInodeVMObject';
import { noteField, noteMapKey, noteRange } from './UndoLog';

/** Files are stored by pages of this size; a page never written holds the file's fill byte. */
const FILE_PAGE = 4096;

/**
 * The largest file the simulation holds (the size is a number of bytes kept exactly, and a page
 * index must fit the maps that hold the written pages).
 */
export const MAX_FILE_SIZE = 2 ** 47;

/** What is wrong with a file size a scenario asks for (checked and run alike); null when it fits. */
export function fileSizeProblem(size: bigint): string | null {
  return size > BigInt(MAX_FILE_SIZE)
    ? `size=${size} is above the largest file MMU Lens simulates (${MAX_FILE_SIZE} bytes, 128 TiB).`
    : null;
}

export class Inode {
  /** The inode's single SharedInodeVMObject while one exists (the kernel keeps a weak pointer). */
  sharedVMObject: SharedInodeVMObject | null = null;
  /** The file's length in bytes. */
  size: number;
  /**
   * The pages that were written, by page index. A byte of no written page is `fill` below the size
   * the file was created with and zero above it (what a write past the end leaves in between). A
   * file costs what was written to it, whatever its size.
   */
  private readonly written = new Map<number, Uint8Array>();
  /** The size the file was created with: where its fill ends. */
  private readonly fillEnd: number;

  constructor(
    readonly index: number,
    readonly path: string,
    size: number,
    readonly fill: number,
  ) {
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_FILE_SIZE)
      throw new RangeError(`a file of ${size} bytes is beyond the ${MAX_FILE_SIZE} the simulation holds`);
    this.size = size;
    this.fillEnd = size;
  }

  /** What a byte of a page never written holds. */
  private unwritten(offset: number): number {
    return offset < this.fillEnd ? this.fill : 0;
  }

  /** The byte at `offset` (below the size). */
  byteAt(offset: number): number {
    return this.written.get(Math.floor(offset / FILE_PAGE))?.[offset % FILE_PAGE] ?? this.unwritten(offset);
  }

  /** read_bytes: copies up to `buffer.length` bytes at `offset`; returns how many were read. */
  readBytes(offset: number, buffer: Uint8Array): number {
    if (offset >= this.size) return 0;
    const n = Math.min(buffer.length, this.size - offset);
    for (let done = 0; done < n;) {
      const at = offset + done;
      const within = at % FILE_PAGE;
      const count = Math.min(FILE_PAGE - within, n - done);
      const page = this.written.get(Math.floor(at / FILE_PAGE));
      if (page === undefined) this.readUnwritten(at, buffer.subarray(done, done + count));
      else buffer.set(page.subarray(within, within + count), done);
      done += count;
    }
    return n;
  }

  /** write_bytes: stores `bytes` at `offset`, growing the file if needed. */
  writeBytes(offset: number, bytes: Uint8Array): void {
    const end = offset + bytes.length;
    if (end > MAX_FILE_SIZE)
      throw new RangeError(`a write up to ${end} is beyond the largest file simulated`);
    if (end > this.size) {
      noteField(this, 'size');
      this.size = end;
    }
    for (let done = 0; done < bytes.length;) {
      const at = offset + done;
      const within = at % FILE_PAGE;
      const count = Math.min(FILE_PAGE - within, bytes.length - done);
      const page = this.pageForWrite(Math.floor(at / FILE_PAGE));
      noteRange(page, within, within + count);
      page.set(bytes.subarray(done, done + count), within);
      done += count;
    }
  }

  /** What the bytes from `offset` hold while no page of theirs was written. */
  private readUnwritten(offset: number, into: Uint8Array): void {
    const filled = Math.min(into.length, Math.max(0, this.fillEnd - offset));
    into.fill(this.fill, 0, filled);
    into.fill(0, filled);
  }

  /** The written pages, by index in order (for state dumps). */
  writtenPageEntries(): [number, Uint8Array][] {
    return [...this.written.entries()].sort((a, b) => a[0] - b[0]);
  }

  /** How many pages hold written bytes (what the file costs beyond its description). */
  get writtenPages(): number {
    return this.written.size;
  }

  /** A written page, made (holding the fill byte) if it was not yet. */
  private pageForWrite(index: number): Uint8Array {
    let page = this.written.get(index);
    if (page === undefined) {
      page = new Uint8Array(FILE_PAGE);
      this.readUnwritten(index * FILE_PAGE, page);
      noteMapKey(this.written, index);
      this.written.set(index, page);
    }
    return page;
  }
}

export type OpenFlags = 'O_RDONLY' | 'O_WRONLY' | 'O_RDWR';

/** An open file description: what an fd points at. */
export class OpenFileDescription {
  constructor(
    readonly inode: Inode,
    readonly readable: boolean,
    readonly writable: boolean,
  ) {}
}

export class FileSystem {
  readonly inodes = new Map<string, Inode>();
  private nextIndex = 1;

  createFile(path: string, size: number, fill = 0): Inode {
    noteField(this, 'nextIndex');
    const inode = new Inode(this.nextIndex++, path, size, fill);
    noteMapKey(this.inodes, path);
    this.inodes.set(path, inode);
    return inode;
  }

  lookup(path: string): Inode | null {
    return this.inodes.get(path) ?? null;
  }
}
