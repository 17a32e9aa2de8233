import { strict as assert } from 'node:assert';
import { Cloner } from './Checkpoint';
import { PAGE_SIZE } from './constants';
import { PageContents } from './PageContents';
import { ENTRY_ALLOCATED, PhysicalPageEntries } from './PhysicalPageEntry';
import { boot, mmapAnon, spawn } from './testSupport';

function store(frames = 64): { entries: PhysicalPageEntries; contents: PageContents } {
  const entries = new PhysicalPageEntries(frames);
  for (let f = 0; f < frames; f++) entries.flags[f] = ENTRY_ALLOCATED;
  return { entries, contents: new PageContents(entries) };
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
});
