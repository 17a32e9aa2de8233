import * as assert from 'assert';
import { blockRanges } from './blockRanges';

describe('blockRanges', () => {
  it('folds a proc body and a repeat body nested in it', () => {
    const text = [
      'proc touch(p, base) {',
      '  repeat i in 0..4 {',
      '    write p base + i * PAGE_SIZE, 1',
      '  }',
      '}',
    ].join('\n');
    assert.deepStrictEqual(blockRanges(text), [
      { start: 0, end: 3 },
      { start: 1, end: 2 },
    ]);
  });

  it('ignores braces in strings and comments', () => {
    const text = ['print "{"  // {', 'repeat i in 0..2 { # }', 'print "\\"}"', '}'].join('\n');
    assert.deepStrictEqual(blockRanges(text), [{ start: 1, end: 2 }]);
  });

  it('does not fold a block on one or two lines, nor an unbalanced brace', () => {
    assert.deepStrictEqual(blockRanges('repeat i in 0..2 { print i }\n}\n{'), []);
  });
});
