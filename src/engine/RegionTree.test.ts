import { strict as assert } from 'node:assert';
import { PAGE_SIZE } from './constants';
import { Prng } from './Prng';
import type { Region } from './Region';
import { RegionTree } from './RegionTree';

function fake(base: number, size: number): Region {
  return {
    base,
    size,
    get end() {
      return base + size;
    },
  } as unknown as Region;
}

describe('RegionTree', () => {
  it('places first-fit from the bottom but demands `alignment` bytes of slack (quirk)', () => {
    const tree = new RegionTree(0x10000, 0x100000);
    tree.insert(fake(0x12000, PAGE_SIZE));
    // The hole [0x10000, 0x12000) holds two pages, but size + alignment must fit.
    const two = tree.allocateRangeAnywhere(2 * PAGE_SIZE, PAGE_SIZE);
    assert.ok(two.ok);
    assert.equal(two.value.base, 0x13000, 'an exactly fitting hole is never used');
    const one = tree.allocateRangeAnywhere(PAGE_SIZE, PAGE_SIZE);
    assert.ok(one.ok);
    assert.equal(one.value.base, 0x10000);
  });

  it('rounds the window base up to the alignment', () => {
    const tree = new RegionTree(0x11000, 0x1000000);
    const r = tree.allocateRangeAnywhere(PAGE_SIZE, 0x10000);
    assert.ok(r.ok);
    assert.equal(r.value.base, 0x20000);
  });

  it('rejects a zero size with EINVAL and a full tree with ENOMEM', () => {
    const tree = new RegionTree(0x10000, 0x12000);
    assert.deepEqual(tree.allocateRangeAnywhere(0, PAGE_SIZE), { ok: false, errno: 'EINVAL' });
    assert.deepEqual(tree.allocateRangeAnywhere(2 * PAGE_SIZE, PAGE_SIZE), { ok: false, errno: 'ENOMEM' });
  });

  it('gives ENOMEM for a specific range that overlaps or lies outside', () => {
    const tree = new RegionTree(0x10000, 0x100000);
    tree.insert(fake(0x20000, 0x2000));
    assert.equal(tree.allocateRangeSpecific(0x21000, PAGE_SIZE).ok, false);
    assert.equal(tree.allocateRangeSpecific(0x1f000, 0x2000).ok, false);
    assert.equal(tree.allocateRangeSpecific(0x22000, PAGE_SIZE).ok, true);
    assert.deepEqual(tree.allocateRangeSpecific(0x1000, PAGE_SIZE), { ok: false, errno: 'ENOMEM' });
  });

  it('randomizes deterministically from the seed', () => {
    const a = new RegionTree(0x10000, 0x1ffe000000).allocateRangeRandomized(0x100000, PAGE_SIZE, new Prng(9));
    const b = new RegionTree(0x10000, 0x1ffe000000).allocateRangeRandomized(0x100000, PAGE_SIZE, new Prng(9));
    const c = new RegionTree(0x10000, 0x1ffe000000).allocateRangeRandomized(
      0x100000,
      PAGE_SIZE,
      new Prng(10),
    );
    assert.ok(a.ok && b.ok && c.ok);
    assert.equal(a.value.base, b.value.base);
    assert.notEqual(a.value.base, c.value.base);
    assert.equal(a.value.base % PAGE_SIZE, 0);
  });

  it('finds the region containing an address by its base', () => {
    const tree = new RegionTree(0x10000, 0x100000);
    const r1 = fake(0x20000, 0x2000);
    const r2 = fake(0x30000, 0x1000);
    tree.insert(r2);
    tree.insert(r1);
    assert.equal(tree.findRegionContaining(0x21fff), r1);
    assert.equal(tree.findRegionContaining(0x22000), null);
    assert.equal(tree.findRegionContaining(0x30000), r2);
    assert.deepEqual(tree.regions, [r1, r2]);
  });
});
