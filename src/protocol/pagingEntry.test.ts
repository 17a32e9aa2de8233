import * as assert from 'assert';
import {
  decodeEntryBits,
  effectiveCacheType,
  entryAddress,
  formatBytes,
  pagingIndices,
  parseAddress,
} from './pagingEntry';

describe('paging entry decoding', () => {
  it('decodes a user read-write no-execute PTE', () => {
    const bits = decodeEntryBits('0x8000000004e22007');
    const set = bits.filter((b) => b.set).map((b) => b.label);
    assert.deepStrictEqual(set, ['P', 'RW', 'US', 'NX']);
    assert.deepStrictEqual(
      bits.map((b) => b.label),
      ['P', 'RW', 'US', 'PWT', 'PCD', 'A', 'D', 'PAT', 'G', 'NX'],
    );
    assert.strictEqual(entryAddress('0x8000000004e22007'), '0x4e22000');
  });

  it('decodes the Accessed and Dirty bits the MMU sets on a written page', () => {
    const set = decodeEntryBits('0x8000000004e22067')
      .filter((b) => b.set)
      .map((b) => b.label);
    assert.deepStrictEqual(set, ['P', 'RW', 'US', 'A', 'D', 'NX']);
    assert.strictEqual(entryAddress('0x8000000004e22067'), '0x4e22000');
  });

  it('names bit 7 PS above the PT level, and has no Dirty bit there', () => {
    const labels = decodeEntryBits('0x10a3', 'PD').map((b) => b.label);
    assert.deepStrictEqual(labels, ['P', 'RW', 'US', 'PWT', 'PCD', 'A', 'PS', 'G', 'NX']);
  });

  it('gives the memory type of SerenityOS PAT programming', () => {
    assert.strictEqual(effectiveCacheType('0x3'), 'WB');
    assert.strictEqual(effectiveCacheType('0x13'), 'UC-'); // IO: PCD
    assert.strictEqual(effectiveCacheType('0x83'), 'WC'); // NonCacheable with PAT: PAT bit
  });

  it('splits an address into its four table indices', () => {
    assert.deepStrictEqual(pagingIndices('0x2000300000'), [0, 128, 1, 256]);
    assert.deepStrictEqual(pagingIndices('0x1002000'), [0, 0, 8, 2]);
  });

  it('parses typed addresses and refuses what is not one', () => {
    assert.strictEqual(parseAddress(' 0x1000_000 '), '0x1000000');
    assert.strictEqual(parseAddress('4096'), '0x1000');
    assert.strictEqual(parseAddress('0x1ffffffffffffffff'), null);
    assert.strictEqual(parseAddress('heap'), null);
  });

  it('formats byte amounts', () => {
    assert.strictEqual(formatBytes(4096), '4 KiB');
    assert.strictEqual(formatBytes(1536 * 1024), '1.5 MiB');
    assert.strictEqual(formatBytes(0), '0 B');
  });
});
