import * as assert from 'assert';
import fc from 'fast-check';
import { MAX_SUGGESTED_NAME, closestName, didYouMean, editDistanceWithin, suggestionIn } from './suggest';

/** The whole-matrix optimal string alignment distance, to check the banded one against. */
function fullDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  return d[a.length]![b.length]!;
}

describe('"did you mean"', () => {
  it('measures the distance exactly up to its bound, and says "beyond" past it', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'm', 'p'), maxLength: 12 });
    fc.assert(
      fc.property(word, word, fc.nat(6), (a, b, bound) => {
        assert.strictEqual(editDistanceWithin(a, b, bound), Math.min(fullDistance(a, b), bound + 1));
      }),
      { numRuns: 2000 },
    );
  });

  it('suggests the closest known name', () => {
    assert.strictEqual(closestName('mmpa', ['mmap', 'munmap', 'mprotect']), 'mmap');
    assert.strictEqual(closestName('MMAP', ['mmap', 'munmap']), 'mmap');
    assert.strictEqual(didYouMean('mprotcet', ['mprotect']), " Did you mean 'mprotect'?");
    assert.strictEqual(didYouMean('zzzz', ['mmap']), '');
  });

  it('suggests nothing for a name longer than any identifier, however many candidates there are', () => {
    const huge = 'm'.repeat(1 << 20);
    const candidates = Array.from({ length: 10_000 }, (_, i) => `${huge.slice(0, 100)}${i}`);
    assert.strictEqual(closestName(huge, candidates), undefined);
    assert.strictEqual(
      closestName('m'.repeat(MAX_SUGGESTED_NAME + 1), ['m'.repeat(MAX_SUGGESTED_NAME)]),
      undefined,
    );
    assert.strictEqual(
      closestName('m'.repeat(MAX_SUGGESTED_NAME), ['m'.repeat(MAX_SUGGESTED_NAME - 1)]),
      'm'.repeat(MAX_SUGGESTED_NAME - 1),
    );
  });

  it('reads back the suggestion of a message, for the quick fix', () => {
    const message = `Unknown name 'mmpa'.${didYouMean('mmpa', ['mmap'])}`;
    assert.strictEqual(suggestionIn(message), 'mmap');
    assert.strictEqual(suggestionIn("Unknown name 'zzzz'."), undefined);
  });
});
