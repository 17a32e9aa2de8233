import { strict as assert } from 'node:assert';
import { PAGE_SIZE } from './constants';
import { Inode, MAX_FILE_SIZE } from './FileSystem';
import { MAX_SIMULATED_VMOBJECT_PAGES } from './MemoryManager';
import { MAP_ANONYMOUS, MAP_NORESERVE, MAP_PRIVATE, MAP_SHARED, PROT_READ, PROT_WRITE } from './Syscalls';
import { SimulationLimit } from './errors';
import { boot, errnoOf, spawn, unwrap } from './testSupport';

const GiB = 1024 ** 3;

/** Host memory held in typed arrays, which is where page and file contents would go. */
function arrayBytes(): number {
  return process.memoryUsage().arrayBuffers;
}

describe('files (Inode)', () => {
  it('costs what was written, whatever its size and fill', () => {
    const before = arrayBytes();
    const inode = new Inode(1, '/big', 8 * GiB, 0x41);
    assert.equal(inode.size, 8 * GiB);
    assert.equal(inode.byteAt(8 * GiB - 1), 0x41);
    inode.writeBytes(3 * GiB + 10, new Uint8Array([1, 2, 3]));
    assert.equal(inode.writtenPages, 1);
    assert.ok(arrayBytes() - before < 1024 * 1024, `${arrayBytes() - before} bytes held`);
    const buffer = new Uint8Array(6);
    assert.equal(inode.readBytes(3 * GiB + 8, buffer), 6);
    assert.deepEqual([...buffer], [0x41, 0x41, 1, 2, 3, 0x41]);
  });

  it('reads across written and unwritten pages, and stops at the end', () => {
    const inode = new Inode(1, '/f', PAGE_SIZE + 10, 7);
    inode.writeBytes(PAGE_SIZE - 2, new Uint8Array([9, 9, 9, 9]));
    const buffer = new Uint8Array(20);
    assert.equal(inode.readBytes(PAGE_SIZE - 4, buffer), 14);
    assert.deepEqual([...buffer.subarray(0, 14)], [7, 7, 9, 9, 9, 9, 7, 7, 7, 7, 7, 7, 7, 7]);
    assert.equal(inode.readBytes(PAGE_SIZE + 10, buffer), 0);
  });

  it('grows with a write past its end, the bytes in between reading as zero', () => {
    const inode = new Inode(1, '/f', 100, 0x41);
    inode.writeBytes(3 * PAGE_SIZE, new Uint8Array([5]));
    assert.equal(inode.size, 3 * PAGE_SIZE + 1);
    assert.equal(inode.byteAt(99), 0x41);
    assert.equal(inode.byteAt(100), 0);
    assert.equal(inode.byteAt(2 * PAGE_SIZE), 0);
    assert.equal(inode.byteAt(3 * PAGE_SIZE), 5);
    assert.equal(inode.writtenPages, 1);
  });

  it('refuses sizes it cannot hold exactly', () => {
    for (const size of [-1, 0.5, MAX_FILE_SIZE + 1, Number.MAX_SAFE_INTEGER + 2])
      assert.throws(() => new Inode(1, '/f', size, 0), RangeError);
  });
});

describe('huge mappings are refused before anything is allocated', () => {
  it('a file mapping whose slot array the kernel heap cannot hold fails with ENOMEM', () => {
    const m = boot();
    const p = spawn(m);
    m.createFile('/f', PAGE_SIZE, 0);
    const fd = unwrap(m.open(p, '/f', 'O_RDWR'));
    const before = arrayBytes();
    for (const flags of [MAP_SHARED, MAP_PRIVATE])
      assert.equal(errnoOf(m.mmap(p, { addr: 0, size: 1024 * GiB, prot: PROT_READ, flags, fd })), 'ENOMEM');
    assert.ok(arrayBytes() - before < 1024 * 1024, `${arrayBytes() - before} bytes held`);
  });

  it('a VMObject the kernel could hold but the simulation does not is a clear failure, with nothing changed', () => {
    const m = boot({ ram: 2 * GiB });
    const p = spawn(m);
    const pages = MAX_SIMULATED_VMOBJECT_PAGES + 1;
    const regions = p.space.regions.length;
    const before = arrayBytes();
    assert.throws(
      () =>
        m.mmap(p, {
          addr: 0,
          size: pages * PAGE_SIZE,
          prot: PROT_READ | PROT_WRITE,
          flags: MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
        }),
      (e: unknown) => e instanceof SimulationLimit && /beyond the 16,777,216 pages/.test(e.message),
    );
    assert.equal(p.space.regions.length, regions);
    assert.ok(arrayBytes() - before < 1024 * 1024);
  });
});
