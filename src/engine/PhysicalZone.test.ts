import { strict as assert } from 'node:assert';
import { PhysicalPageEntries } from './PhysicalPageEntry';
import { PhysicalZone } from './PhysicalZone';

function zone(pages: number): PhysicalZone {
  const entries = new PhysicalPageEntries(0x1000 + pages);
  return new PhysicalZone(entries, 0x1000, pages);
}

describe('PhysicalZone (buddy allocator)', () => {
  it('starts as one free block of the order of its size', () => {
    const large = zone(4096);
    assert.deepEqual(large.freeBlocks(12), [0]);
    assert.equal(large.available(), 4096);
    const small = zone(256);
    assert.deepEqual(small.freeBlocks(8), [0]);
    assert.equal(small.buckets[9]!.bitCount, 0, 'no bits for orders larger than the zone');
  });

  it('hands out single pages from the top of the zone downward', () => {
    const z = zone(4096);
    const frames = [z.allocateBlock(0), z.allocateBlock(0), z.allocateBlock(0), z.allocateBlock(0)];
    assert.deepEqual(
      frames.map((f) => f - 0x1000),
      [4095, 4094, 4093, 4092],
    );
    assert.equal(z.available(), 4092);
    assert.deepEqual(z.verifyConsistency(), []);
  });

  it('keeps the lower half of every split on the free list of that order', () => {
    const z = zone(256);
    z.allocateBlock(0);
    for (let order = 0; order < 8; order++) assert.equal(z.freeBlocks(order).length, 1, `order ${order}`);
    assert.deepEqual(z.freeBlocks(7), [0]);
    assert.deepEqual(z.freeBlocks(0), [2 * 254]);
  });

  it('coalesces freed buddies back into the whole zone', () => {
    const z = zone(256);
    const frames = Array.from({ length: 37 }, () => z.allocateBlock(0));
    for (const f of frames.reverse()) z.deallocateBlock(f, 0);
    assert.deepEqual(z.freeBlocks(8), [0]);
    for (let order = 0; order < 8; order++) assert.deepEqual(z.freeBlocks(order), []);
    assert.equal(z.available(), 256);
    assert.deepEqual(z.verifyConsistency(), []);
  });

  it('pushes a freed page whose buddy is in use at the head of its list (LIFO)', () => {
    const z = zone(256);
    const [a, , c] = [z.allocateBlock(0), z.allocateBlock(0), z.allocateBlock(0), z.allocateBlock(0)];
    z.deallocateBlock(a!, 0);
    z.deallocateBlock(c!, 0);
    assert.deepEqual(
      z.freeBlocks(0).map((i) => z.baseFrame + i / 2),
      [c, a],
    );
    assert.equal(z.allocateBlock(0), c, 'the most recently freed page comes back first');
    assert.deepEqual(z.verifyConsistency(), []);
  });

  it('fails when nothing of the order is left', () => {
    const z = zone(256);
    assert.equal(z.allocateBlock(9), -1);
    assert.notEqual(z.allocateBlock(8), -1);
    assert.equal(z.allocateBlock(0), -1);
    assert.ok(z.isEmpty());
  });
});
