import * as assert from 'assert';
import { U64_MAX, u64Binary, u64Negate, u64Not } from './u64';

describe('checked u64 arithmetic', () => {
  it('computes within range', () => {
    assert.deepStrictEqual(u64Binary('+', 1n, 2n), { value: 3n });
    assert.deepStrictEqual(u64Binary('<<', 1n, 63n), { value: 1n << 63n });
    assert.deepStrictEqual(u64Binary('|', 1n, 2n), { value: 3n });
  });

  it('traps on overflow, underflow, division by zero and wide shifts instead of wrapping', () => {
    assert.ok('error' in u64Binary('+', U64_MAX, 1n));
    assert.ok('error' in u64Binary('-', 0n, 1n));
    assert.ok('error' in u64Binary('*', 1n << 32n, 1n << 32n));
    assert.ok('error' in u64Binary('/', 1n, 0n));
    assert.ok('error' in u64Binary('%', 1n, 0n));
    assert.ok('error' in u64Binary('<<', 1n, 64n));
    assert.ok('error' in u64Binary('<<', 2n, 63n));
    assert.ok('error' in u64Negate(1n));
  });

  it('complements within 64 bits', () => {
    assert.strictEqual(u64Not(0n), U64_MAX);
    assert.deepStrictEqual(u64Negate(0n), { value: 0n });
  });
});
