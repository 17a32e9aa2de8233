import { strict as assert } from 'node:assert';
import { PAGE_SIZE } from './constants';
import {
  MAP_FIXED,
  MAP_PRIVATE,
  MAP_SHARED,
  MS_SYNC,
  PROT_READ,
  PROT_WRITE,
  PURGE_ALL_CLEAN_INODE,
} from './Syscalls';
import { assertConsistent, boot, errnoOf, spawn, unwrap } from './testSupport';

const RW = PROT_READ | PROT_WRITE;

describe('file mappings (InodeVMObject)', () => {
  function setup(size = 10000, fill = 0x41) {
    const m = boot();
    const p = spawn(m);
    m.createFile('/data', size, fill);
    const fd = unwrap(m.open(p, '/data', 'O_RDWR'));
    return { m, p, fd };
  }

  it('loads a page from the file on the first read (inode fault)', () => {
    const { m, p, fd } = setup();
    const a = unwrap(m.mmap(p, { addr: 0, size: 3 * PAGE_SIZE, prot: RW, flags: MAP_SHARED, fd }));
    assert.equal(m.pte(p, a)!.present, false, 'unloaded pages are not present');
    const r = m.read(p, a + 100);
    assert.deepEqual(r.handled, ['inode_fault']);
    assert.equal(r.value, 0x41n);
    assert.equal(p.counters.inodeFaults, 1);
    assert.equal(m.pte(p, a)!.writable, false, 'a clean page is mapped read-only');
    assertConsistent(m);
  });

  it("keeps the inode's shared VMObject when MAP_FIXED maps the file again over its only mapping", () => {
    // sys$mmap holds the VMObject it maps while it unmaps the fixed range: the old region was the
    // object's last one, yet the object lives on for the new region, loaded pages and all.
    const { m, p, fd } = setup();
    const a = unwrap(m.mmap(p, { addr: 0, size: 2 * PAGE_SIZE, prot: RW, flags: MAP_SHARED, fd }));
    m.write(p, a, 0x5a);
    const object = m.regionAt(p, a)!.vmobject!;
    const again = unwrap(
      m.mmap(p, { addr: a, size: 2 * PAGE_SIZE, prot: RW, flags: MAP_SHARED | MAP_FIXED, fd }),
    );
    assert.equal(again, a);
    assert.equal(m.regionAt(p, a)!.vmobject, object, 'the same shared VMObject');
    assert.equal(object.destroyed, false);
    assert.equal(
      m.peek(p, a),
      0x5an,
      'its page stayed loaded, with the byte written through the old mapping',
    );
    assertConsistent(m);
  });

  it('zero-fills the rest of a short last page and raises a bus error past the end of file', () => {
    const { m, p, fd } = setup(5000);
    const a = unwrap(m.mmap(p, { addr: 0, size: 3 * PAGE_SIZE, prot: RW, flags: MAP_SHARED, fd }));
    assert.equal(m.read(p, a + 5000).value, 0n);
    assert.equal(m.read(p, a + 4999).value, 0x41n);
    assert.equal(m.peek(p, a + 2 * PAGE_SIZE), null, 'peek predicts the bus error');
    assert.equal(m.read(p, a + 2 * PAGE_SIZE).status, 'bus_error');
    assert.equal(p.alive, false);
    assertConsistent(m);
  });

  it('marks a written shared page dirty and writes it back on msync', () => {
    const { m, p, fd } = setup();
    const a = unwrap(m.mmap(p, { addr: 0, size: 3 * PAGE_SIZE, prot: RW, flags: MAP_SHARED, fd }));
    assert.deepEqual(m.write(p, a + 1, 0x42).handled, ['inode_fault']);
    assert.equal(m.filePeek('/data', 1), 0x41n, 'not written back yet');
    assert.equal(p.space.amountDirtyPrivate(), 0, 'shared regions do not count as dirty private');
    unwrap(m.msync(p, a, 3 * PAGE_SIZE, MS_SYNC));
    assert.equal(m.filePeek('/data', 1), 0x42n);
    assert.equal(m.pte(p, a)!.writable, false, 'sync remaps the page read-only');
    assertConsistent(m);
  });

  // Inode::did_modify_contents only updates timestamps and notifies watchers: nothing carries a
  // write() into pages already loaded. (SerenityOS's Tests/Kernel/TestSharedInodeVMObject.cpp expects
  // the opposite; the kernel's code is what is simulated.)
  it('leaves loaded shared and private pages stale after a pwrite (no write-through)', () => {
    const { m, p, fd } = setup();
    const shared = unwrap(m.mmap(p, { addr: 0, size: 3 * PAGE_SIZE, prot: RW, flags: MAP_SHARED, fd }));
    const priv = unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: RW, flags: MAP_PRIVATE, fd }));
    m.read(p, shared);
    m.read(p, priv);
    unwrap(m.pwrite(p, fd, 3, new Uint8Array([0x5a])));
    assert.equal(m.filePeek('/data', 3), 0x5an);
    assert.equal(m.peek(p, shared + 3), 0x41n, 'the loaded shared page keeps the old byte');
    assert.equal(m.peek(p, priv + 3), 0x41n, 'the loaded private page keeps the old byte');
    // A page loaded after the write reads the new bytes.
    m.read(p, shared + PAGE_SIZE);
    unwrap(m.pwrite(p, fd, PAGE_SIZE + 5, new Uint8Array([0x5b])));
    assert.equal(m.peek(p, shared + PAGE_SIZE + 5), 0x41n);
    assertConsistent(m);
  });

  it('writes the whole dirty page back over a pwrite on msync (SharedInodeVMObject::sync_impl)', () => {
    const { m, p, fd } = setup();
    const a = unwrap(m.mmap(p, { addr: 0, size: 3 * PAGE_SIZE, prot: RW, flags: MAP_SHARED, fd }));
    m.write(p, a, 0x48n);
    unwrap(m.pwrite(p, fd, 3, new Uint8Array([0x5a])));
    assert.equal(m.filePeek('/data', 3), 0x5an);
    unwrap(m.msync(p, a, PAGE_SIZE, MS_SYNC));
    assert.equal(m.filePeek('/data', 0), 0x48n);
    assert.equal(m.filePeek('/data', 3), 0x41n, 'the stale page bytes overwrite the pwrite');
    assertConsistent(m);
  });

  it('writes the whole dirty page back over a pwrite when the last region goes (sync_before_destroying)', () => {
    const { m, p, fd } = setup();
    const a = unwrap(m.mmap(p, { addr: 0, size: 3 * PAGE_SIZE, prot: RW, flags: MAP_SHARED, fd }));
    m.write(p, a, 0x48n);
    unwrap(m.pwrite(p, fd, 7, new Uint8Array([0x5a])));
    unwrap(m.munmap(p, a, 3 * PAGE_SIZE));
    assert.equal(m.filePeek('/data', 0), 0x48n);
    assert.equal(m.filePeek('/data', 7), 0x41n);
    assertConsistent(m);
  });

  it('shares one VMObject per inode and refuses a later larger mapping (quirk)', () => {
    const { m, p, fd } = setup(PAGE_SIZE);
    const a = unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: RW, flags: MAP_SHARED, fd }));
    const b = unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: RW, flags: MAP_SHARED, fd }));
    assert.equal(m.regionAt(p, a)!.vmobject, m.regionAt(p, b)!.vmobject);
    assert.equal(
      errnoOf(m.mmap(p, { addr: 0, size: 2 * PAGE_SIZE, prot: RW, flags: MAP_SHARED, fd })),
      'EINVAL',
    );
  });

  it('needs read access for any file mapping and write access for a writable shared one', () => {
    const { m, p } = setup();
    const wo = unwrap(m.open(p, '/data', 'O_WRONLY'));
    const ro = unwrap(m.open(p, '/data', 'O_RDONLY'));
    assert.equal(
      errnoOf(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: PROT_READ, flags: MAP_PRIVATE, fd: wo })),
      'EACCES',
    );
    assert.equal(
      errnoOf(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: RW, flags: MAP_SHARED, fd: ro })),
      'EACCES',
    );
    unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: RW, flags: MAP_PRIVATE, fd: ro }));
    assert.equal(
      errnoOf(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: RW, flags: MAP_PRIVATE, fd: ro, offset: 100 })),
      'EINVAL',
    );
  });

  it('writes private pages in place, never back, and shares them after fork without COW (quirk)', () => {
    const { m, p, fd } = setup();
    const a = unwrap(m.mmap(p, { addr: 0, size: 2 * PAGE_SIZE, prot: RW, flags: MAP_PRIVATE, fd }));
    assert.deepEqual(m.write(p, a, 0x50).handled, ['inode_fault']);
    unwrap(m.msync(p, a, 2 * PAGE_SIZE, MS_SYNC));
    assert.equal(m.filePeek('/data', 0), 0x41n, 'private pages are never written back');
    const c = unwrap(m.fork(p));
    assert.deepEqual(m.write(c, a, 0x51).handled, [], 'the dirty page is writable in the child too');
    assert.equal(m.peek(p, a), 0x51n, 'the parent sees the child write');
    assert.equal(m.translate(p, a), m.translate(c, a));
    assertConsistent(m);
  });

  it('releases clean pages on sys$purge(PURGE_ALL_CLEAN_INODE)', () => {
    const { m, p, fd } = setup();
    const a = unwrap(m.mmap(p, { addr: 0, size: 3 * PAGE_SIZE, prot: PROT_READ, flags: MAP_PRIVATE, fd }));
    m.read(p, a);
    m.read(p, a + PAGE_SIZE);
    assert.equal(p.space.amountCleanInode(), 2 * PAGE_SIZE);
    assert.equal(unwrap(m.purge(PURGE_ALL_CLEAN_INODE)), 2);
    assert.equal(p.space.amountCleanInode(), 0);
    assert.equal(m.pte(p, a)!.present, false);
    assert.deepEqual(m.read(p, a).handled, ['inode_fault']);
    assertConsistent(m);
  });

  it('writes dirty shared pages back when a writable region is destroyed', () => {
    const { m, p, fd } = setup();
    const a = unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: RW, flags: MAP_SHARED, fd }));
    m.write(p, a, 0x61);
    unwrap(m.munmap(p, a, PAGE_SIZE));
    assert.equal(m.filePeek('/data', 0), 0x61n);
    assertConsistent(m);
  });
});

describe('allocate_physical_page on exhaustion', () => {
  it('releases a clean inode page when nothing volatile can be purged', () => {
    const m = boot({ ram: 12 * 1024 * 1024 });
    const p = spawn(m);
    m.createFile('/cache', 8 * PAGE_SIZE, 0x11);
    const fd = unwrap(m.open(p, '/cache', 'O_RDONLY'));
    const f = unwrap(m.mmap(p, { addr: 0, size: 8 * PAGE_SIZE, prot: PROT_READ, flags: MAP_PRIVATE, fd }));
    for (let i = 0; i < 8; i++) m.read(p, f + i * PAGE_SIZE);
    assert.equal(p.space.amountCleanInode(), 8 * PAGE_SIZE);
    const free = m.counters().freePages;
    const a = unwrap(
      m.mmap(p, { addr: 0, size: (free + 4) * PAGE_SIZE, prot: RW, flags: 0x22 | 0x80 /* MAP_NORESERVE */ }),
    );
    let status = 'ok';
    for (let i = 0; i < free + 4 && status === 'ok'; i++) status = m.write(p, a + i * PAGE_SIZE, 1).status;
    assert.equal(status, 'ok');
    assert.equal(
      p.space.amountCleanInode(),
      4 * PAGE_SIZE,
      'four clean pages were given up, first ones first',
    );
    assert.equal(m.pte(p, f)!.present, false);
    assert.equal(m.read(p, f).value, 0x11n, 'a released page is read again from the file');
    assertConsistent(m);
  });
});
