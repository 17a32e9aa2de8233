import { strict as assert } from 'node:assert';
import { Cloner } from './Checkpoint';
import { PAGE_SIZE } from './constants';
import { PageContents } from './PageContents';
import { ENTRY_ALLOCATED, PhysicalPageEntries } from './PhysicalPageEntry';
import { boot, mmapAnon, spawn } from './testSupport';
import { recordUndo } from './UndoLog';

function store(frames = 64): { entries: PhysicalPageEntries; contents: PageContents } {
  const entries = new PhysicalPageEntries(frames);
  for (let f = 0; f < frames; f++) entries.flags[f] = ENTRY_ALLOCATED;
  return { entries, contents: new PageContents(entries) };
}

/** The bytes of a frame, read in one piece. */
function bytesOf(contents: PageContents, frame: number): number[] {
  return Array.from(contents.pageBytes(frame));
}

/** A page of bytes that are all non-zero (so that every block holds something). */
function densePage(seed: number): Uint8Array {
  return new Uint8Array(PAGE_SIZE).map((_, i) => ((i * 31 + seed) % 255) + 1);
}

/** `bytes` with the byte at `offset` replaced by `value`. */
function bytesWith(bytes: readonly number[], offset: number, value: number): number[] {
  const copy = bytes.slice();
  copy[offset] = value;
  return copy;
}

/** Counts the bytes the undo journal saves from `contents` while `change` runs. */
function bytesSavedForUndo(contents: PageContents, change: () => void): { saved: number; undo: () => void } {
  const save = contents.saveForUndo.bind(contents);
  let saved = 0;
  contents.saveForUndo = (key: number) => {
    const bytes = save(key);
    saved += bytes.length;
    return bytes;
  };
  try {
    const log = recordUndo(contents, change);
    return { saved, undo: () => log.undo() };
  } finally {
    contents.saveForUndo = save;
  }
}

describe('PageContents', () => {
  it('keeps no storage for a page that was never written', () => {
    const m = boot();
    const p = spawn(m);
    const contents = m.memoryManager.contents;
    const before = contents.bufferCount;
    const a = mmapAnon(m, p, 4 * PAGE_SIZE);
    const afterMmap = contents.bufferCount;
    assert.equal(m.read(p, a + PAGE_SIZE).value, 0n);
    assert.equal(contents.bufferCount, afterMmap, 'reading a lazy page stores nothing');
    m.write(p, a, 1);
    assert.equal(contents.bufferCount, afterMmap + 1);
    assert.ok(afterMmap - before <= 2, 'mmap only wrote a page directory entry and a page table');
  });

  it('reads zeros after a frame is zero filled, even when its slot is reused', () => {
    const { contents } = store();
    contents.writeByte(3, 100, 0xaa);
    contents.zero(3);
    assert.equal(contents.readByte(3 * PAGE_SIZE + 100), 0);
    contents.writeByte(4, 5, 1);
    assert.equal(contents.readByte(4 * PAGE_SIZE + 100), 0, 'the reused slot was cleared');
    assert.equal(contents.readByte(4 * PAGE_SIZE + 5), 1);
  });

  it('shares storage with a checkpoint and copies it on the next write', () => {
    const { entries, contents } = store();
    contents.writeByte(1, 0, 7);
    contents.writeEntry(2, 1, 0x11, 0x12345678);
    const cloner = new Cloner();
    const saved = cloner.clone(contents);
    void entries;
    contents.writeByte(1, 0, 8);
    contents.writeEntry(2, 1, 0x11, 0x9abcdef0);
    assert.equal(saved.readByte(1 * PAGE_SIZE), 7);
    assert.equal(saved.readWord(2, 3), 0x12345678);
    assert.equal(contents.readByte(1 * PAGE_SIZE), 8);
    assert.equal(contents.readWord(2, 3), 0x9abcdef0);
  });

  it('keeps a checkpoint intact when a slot first used after it lies in a shared chunk', () => {
    const { contents } = store();
    contents.writeByte(1, 0, 7);
    const saved = new Cloner().clone(contents);
    contents.writeByte(2, 100, 0x77);
    saved.writeByte(3, 0, 1);
    assert.equal(saved.readByte(3 * PAGE_SIZE + 100), 0, "the checkpoint's next page starts zeroed");
    assert.equal(contents.readByte(2 * PAGE_SIZE + 100), 0x77);
  });

  it('copies and fills whole pages byte-exactly', () => {
    const { contents } = store();
    const data = new Uint8Array(10).map((_, i) => i + 1);
    contents.fill(5, data);
    contents.copy(5, 6);
    assert.deepEqual(
      Array.from(contents.pageBytes(6).subarray(0, 12)),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 0],
    );
    contents.copy(7, 6);
    assert.equal(contents.hasBuffer(6), false, 'copying an all-zero page drops the storage');
  });

  it('tells an all-zero frame, held as data, as a paging structure or nowhere, by its last word too', () => {
    const { contents } = store();
    assert.ok(contents.isZero(9), 'a frame with no storage');
    contents.writeByte(10, PAGE_SIZE - 1, 0x80);
    assert.ok(!contents.isZero(10), 'a data page whose last byte is set');
    contents.writeByte(10, PAGE_SIZE - 1, 0);
    assert.ok(contents.isZero(10), 'the same page written back to zeros');
    contents.writeEntry(11, 511, 0, 0x8000_0000);
    assert.ok(!contents.isZero(11), 'a page table whose last entry has only NX set');
    contents.writeEntry(11, 511, 0, 0);
    assert.ok(contents.isZero(11), 'the page table with that entry cleared');
    contents.writeByte(12, 100, 1);
    contents.writeEntry(12, 0, 0, 0);
    assert.ok(!contents.isZero(12), 'a data page is read where it is stored, not in the table arena');
  });

  describe('sparse data pages', () => {
    it('holds far less than a page for a page with one byte written', () => {
      const { contents } = store();
      contents.writeByte(1, 1234, 0x42);
      assert.ok(contents.storedBytes(1) > 0);
      assert.ok(contents.storedBytes(1) <= PAGE_SIZE / 8, `one byte costs ${contents.storedBytes(1)} bytes`);
      assert.equal(contents.storedBytesInUse, contents.storedBytes(1));
      assert.equal(contents.readByte(PAGE_SIZE + 1234), 0x42);
      assert.equal(contents.storedBytes(2), 0, 'a frame never written holds nothing');
    });

    it('keeps bytes at both ends of a page, with zeros between them', () => {
      const { contents } = store();
      contents.writeByte(3, 0, 0x11);
      contents.writeByte(3, PAGE_SIZE - 1, 0x22);
      const bytes = bytesOf(contents, 3);
      assert.equal(bytes[0], 0x11);
      assert.equal(bytes[PAGE_SIZE - 1], 0x22);
      assert.equal(bytes.slice(1, PAGE_SIZE - 1).filter((b) => b !== 0).length, 0);
      assert.equal(contents.readByte(3 * PAGE_SIZE + PAGE_SIZE - 1), 0x22);
      assert.ok(contents.storedBytes(3) < PAGE_SIZE / 4, 'two blocks and a directory, not a page');
    });

    it('stores a dense page byte for byte, for about the size of a page', () => {
      const { contents } = store();
      const data = densePage(7);
      contents.writeBytes(4, 0, data);
      assert.deepEqual(bytesOf(contents, 4), Array.from(data));
      for (const offset of [0, 255, 256, 2049, PAGE_SIZE - 1])
        assert.equal(contents.readByte(4 * PAGE_SIZE + offset), data[offset]);
      assert.equal(contents.readWord(4, 1023), new DataView(data.buffer).getUint32(PAGE_SIZE - 4, true));
      assert.ok(contents.storedBytes(4) >= PAGE_SIZE && contents.storedBytes(4) < PAGE_SIZE * 1.1);
    });

    it('writes and reads a range that spans blocks', () => {
      const { contents } = store();
      const data = new Uint8Array(40).map((_, i) => 100 + i);
      contents.writeBytes(5, 240, data);
      const out = new Uint8Array(60);
      contents.readBytes(5, 230, out, 0, 60);
      assert.deepEqual(Array.from(out), [
        ...new Array<number>(10).fill(0),
        ...data,
        ...new Array<number>(10).fill(0),
      ]);
      const partial = new Uint8Array(8).fill(0xee);
      contents.readBytes(5, 252, partial, 2, 6);
      assert.deepEqual(Array.from(partial), [0xee, 0xee, 112, 113, 114, 115, 116, 117]);
      assert.throws(() => contents.readBytes(5, PAGE_SIZE - 2, out, 0, 4), RangeError);
      assert.throws(() => contents.writeBytes(5, PAGE_SIZE - 2, data, 0, 4), RangeError);
    });

    it('stores nothing for zeros where nothing is stored', () => {
      const { contents } = store();
      contents.writeByte(6, 10, 0);
      contents.writeBytes(6, 300, new Uint8Array(600));
      assert.equal(contents.hasBuffer(6), false);
      // Zeros and a byte in the first block, zeros over the second: only the first is stored.
      contents.writeBytes(6, 0, new Uint8Array(300).fill(9, 2, 3));
      contents.writeByte(7, 0, 9);
      assert.equal(contents.storedBytes(6), contents.storedBytes(7), 'one block, like a page with one byte');
      assert.equal(contents.readByte(6 * PAGE_SIZE + 2), 9);
    });

    it('copies, fills and zeros pages by their blocks', () => {
      const { contents } = store();
      contents.writeByte(7, 5, 1);
      contents.writeByte(7, 3000, 2);
      contents.copy(7, 8);
      assert.deepEqual(bytesOf(contents, 8), bytesOf(contents, 7));
      assert.equal(contents.storedBytes(8), contents.storedBytes(7), 'the copy holds as many blocks');
      contents.writeByte(8, 5, 3);
      assert.equal(contents.readByte(7 * PAGE_SIZE + 5), 1, 'the copy has blocks of its own');
      contents.copy(8, 8);
      assert.equal(contents.readByte(8 * PAGE_SIZE + 5), 3, 'a page copied onto itself is unchanged');
      const long = densePage(3);
      contents.fill(9, long.subarray(0, 300));
      assert.deepEqual(bytesOf(contents, 9), [
        ...long.subarray(0, 300),
        ...new Array<number>(PAGE_SIZE - 300).fill(0),
      ]);
      contents.fill(9, new Uint8Array(PAGE_SIZE + 10).fill(4));
      assert.deepEqual(
        bytesOf(contents, 9),
        new Array<number>(PAGE_SIZE).fill(4),
        'a longer fill stops at the page',
      );
      const before = contents.storedBytesInUse;
      const held = contents.storedBytes(9);
      contents.zero(9);
      assert.equal(contents.storedBytes(9), 0);
      assert.equal(contents.storedBytesInUse, before - held, 'zero filling gives all of it back');
      assert.ok(contents.isZero(9));
    });

    it('clears a reused block as far as its last page wrote', () => {
      const { contents } = store();
      contents.writeBytes(10, 0, densePage(1));
      contents.writeByte(11, 17, 0x99);
      contents.zero(10);
      contents.zero(11);
      // Two pages whose first writes land in blocks freed by the dense page and the sparse one.
      contents.writeByte(12, 4, 1);
      contents.writeBytes(13, 1000, new Uint8Array([2, 3]));
      for (const frame of [12, 13]) {
        const nonZero = bytesOf(contents, frame).filter((b) => b !== 0);
        assert.deepEqual(nonZero, frame === 12 ? [1] : [2, 3]);
      }
      assert.deepEqual(contents.storageProblems(), []);
    });

    it('undoes writes within and across blocks, saving only the blocks they touch', () => {
      const { contents } = store();
      contents.writeBytes(14, 0, densePage(5));
      contents.writeByte(15, 100, 1);
      const dense = bytesOf(contents, 14);
      const sparse = bytesOf(contents, 15);
      const inBlock = bytesSavedForUndo(contents, () => contents.writeByte(14, 2000, 0));
      assert.ok(inBlock.saved <= 256, `a one-byte write saved ${inBlock.saved} bytes`);
      inBlock.undo();
      assert.deepEqual(bytesOf(contents, 14), dense);
      const across = bytesSavedForUndo(contents, () =>
        contents.writeBytes(15, 250, new Uint8Array(20).fill(7)),
      );
      assert.ok(across.saved <= 2 * 256 + 128, `a write over two blocks saved ${across.saved} bytes`);
      const oneBlock = contents.storedBytes(14) - 15 * 256;
      assert.equal(contents.storedBytes(15), oneBlock + 256);
      across.undo();
      assert.deepEqual(bytesOf(contents, 15), sparse);
      assert.equal(contents.storedBytes(15), oneBlock, 'the added block is gone again');
      const fresh = bytesSavedForUndo(contents, () => contents.writeByte(16, 0, 5));
      assert.ok(fresh.saved <= oneBlock, `a first write saved ${fresh.saved} bytes`);
      fresh.undo();
      assert.equal(contents.hasBuffer(16), false);
      assert.deepEqual(contents.storageProblems(), []);
    });

    it('keeps a checkpoint and its origin apart after writes to shared blocks and directories', () => {
      const { contents } = store();
      contents.writeByte(20, 10, 1);
      contents.writeByte(21, 10, 2);
      contents.writeBytes(22, 0, densePage(9));
      const saved = new Cloner().clone(contents);
      const expected = [20, 21, 22].map((f) => bytesOf(contents, f));
      // The origin frees a page, writes a shared block, adds a block to a shared directory and
      // takes a new page (each the first write to its chunk since the checkpoint).
      contents.zero(22);
      contents.writeByte(20, 10, 0x51);
      contents.writeByte(21, 3000, 0x52);
      contents.writeByte(23, 0, 0x53);
      assert.deepEqual(
        [20, 21, 22].map((f) => bytesOf(contents, f)),
        [
          bytesWith(expected[0]!, 10, 0x51),
          bytesWith(expected[1]!, 3000, 0x52),
          new Array<number>(PAGE_SIZE).fill(0),
        ],
      );
      assert.deepEqual(
        [20, 21, 22].map((f) => bytesOf(saved, f)),
        expected,
        'the checkpoint still holds what it saved',
      );
      assert.equal(saved.hasBuffer(23), false);
      // And the other way: the checkpoint's writes stay out of the origin.
      saved.writeByte(21, 10, 0x61);
      saved.writeByte(22, 4095, 0x62);
      saved.writeByte(24, 1, 0x63);
      assert.equal(contents.readByte(21 * PAGE_SIZE + 10), 2);
      assert.equal(contents.hasBuffer(22), false);
      assert.equal(contents.readByte(23 * PAGE_SIZE), 0x53, "the origin's new page kept its byte");
      assert.equal(contents.hasBuffer(24), false);
      assert.equal(saved.readByte(22 * PAGE_SIZE + 4095), 0x62);
      assert.deepEqual(contents.storageProblems(), []);
      assert.deepEqual(saved.storageProblems(), []);
    });

    it('stores a thousand one-byte pages of a machine in a fraction of their size', () => {
      const m = boot();
      const p = spawn(m);
      const contents = m.memoryManager.contents;
      const before = contents.storedBytesInUse;
      const a = mmapAnon(m, p, 1000 * PAGE_SIZE);
      for (let i = 0; i < 1000; i++) m.write(p, a + i * PAGE_SIZE + (i % PAGE_SIZE), 1 + (i % 255));
      for (let i = 0; i < 1000; i += 97)
        assert.equal(m.read(p, a + i * PAGE_SIZE + (i % PAGE_SIZE)).value, BigInt(1 + (i % 255)));
      const grown = contents.storedBytesInUse - before;
      assert.ok(grown < (1000 * PAGE_SIZE) / 8, `1000 pages took ${grown} bytes`);
    });
  });
});
