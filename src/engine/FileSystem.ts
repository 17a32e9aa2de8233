// A small in-memory file system: just enough inodes for file mappings (reference §6.3, §6.4).

import type { SharedInodeVMObject } from './SharedInodeVMObject';
import { noteField, noteMapKey, noteRange } from './UndoLog';

export class Inode {
  /** The inode's single SharedInodeVMObject while one exists (the kernel keeps a weak pointer). */
  sharedVMObject: SharedInodeVMObject | null = null;
  data: Uint8Array;

  constructor(
    readonly index: number,
    readonly path: string,
    size: number,
    fill: number,
  ) {
    this.data = new Uint8Array(size);
    if (fill !== 0) this.data.fill(fill);
  }

  get size(): number {
    return this.data.length;
  }

  /** read_bytes: copies up to `buffer.length` bytes at `offset`; returns how many were read. */
  readBytes(offset: number, buffer: Uint8Array): number {
    if (offset >= this.data.length) return 0;
    const n = Math.min(buffer.length, this.data.length - offset);
    buffer.set(this.data.subarray(offset, offset + n));
    return n;
  }

  /** write_bytes: stores `bytes` at `offset`, growing the file if needed. */
  writeBytes(offset: number, bytes: Uint8Array): void {
    const end = offset + bytes.length;
    noteField(this, 'data');
    if (end > this.data.length) {
      const grown = new Uint8Array(end);
      grown.set(this.data);
      this.data = grown;
    } else noteRange(this.data, offset, end);
    this.data.set(bytes, offset);
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
