import * as assert from 'assert';
import { inlineValueTargets } from './inlineValues';
import { analyzeDocument } from './model';

const names = (
  text: string,
  stoppedLine: number,
  viewport?: { startLine: number; endLine: number },
): string[] =>
  inlineValueTargets(analyzeDocument(text), stoppedLine, viewport).map(
    (t) => `${t.name}@${t.line}:${t.startColumn}-${t.endColumn}`,
  );

const SCRIPT = [
  'let size = 64K', //                0
  'process p', //                     1
  'let buf = mmap(p, 0, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)', // 2
  'write p buf, 1', //                3
  'let size = 2', //                  4
  'print size', //                    5
].join('\n');

describe('inline values', () => {
  it('looks up the let bindings defined on lines before the stopped line, at their names', () => {
    assert.deepStrictEqual(names(SCRIPT, 3), ['size@0:4-8', 'buf@2:4-7']);
  });

  it('does not show a binding of the stopped line itself: that step has not run yet', () => {
    assert.deepStrictEqual(names(SCRIPT, 2), ['size@0:4-8']);
  });

  it('shows only the latest definition of a rebound name', () => {
    assert.deepStrictEqual(names(SCRIPT, 5), ['buf@2:4-7', 'size@4:4-8']);
  });

  it('keeps to the visible lines', () => {
    assert.deepStrictEqual(names(SCRIPT, 5, { startLine: 3, endLine: 10 }), ['size@4:4-8']);
  });

  it("shows a proc's locals only while stopped inside it, and a loop variable only inside its loop", () => {
    const text = [
      'let g = 1',
      'proc f(x) {',
      '  let l = x',
      '  print l',
      '}',
      'repeat i in 0..2 {',
      '  let r = i',
      '  print r',
      '}',
      'f(1)',
    ].join('\n');
    assert.deepStrictEqual(names(text, 3), ['g@0:4-5', 'l@2:6-7']);
    assert.deepStrictEqual(names(text, 7), ['g@0:4-5', 'i@5:7-8', 'r@6:6-7']);
    assert.deepStrictEqual(names(text, 9), ['g@0:4-5', 'r@6:6-7']);
  });

  it('lets a local hide a global of the same name', () => {
    const text = ['let v = 1', 'proc f() {', '  let v = 2', '  print v', '}'].join('\n');
    assert.deepStrictEqual(names(text, 3), ['v@2:6-7']);
  });
});
