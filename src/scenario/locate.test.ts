import * as assert from 'assert';
import {
  allStatements,
  breakpointStatement,
  expressionsAt,
  statementAt,
  statementStartingOnLine,
} from './locate';
import { parse } from './parser';

const TEXT = [
  'machine ram=64M', // 0
  'process p', // 1
  '', // 2
  'proc touch(q, a) {', // 3
  '  write q a, 1 => zero_fault', // 4
  '}', // 5
  '// a comment', // 6
  'let buf = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)', // 7
].join('\n');

describe('locating nodes', () => {
  const { program } = parse(TEXT, 't.mmu');

  it('lists every statement, bodies included, in source order', () => {
    assert.deepStrictEqual(
      allStatements(program).map((s) => s.kind),
      ['machine', 'process', 'proc', 'write', 'let'],
    );
  });

  it('finds the statement that starts on a line', () => {
    assert.strictEqual(statementStartingOnLine(program, 4)?.kind, 'write');
    assert.strictEqual(statementStartingOnLine(program, 2), undefined);
  });

  it('moves a breakpoint on a blank line, a comment or a proc header to the next step', () => {
    assert.strictEqual(breakpointStatement(program, 2)?.kind, 'write');
    assert.strictEqual(breakpointStatement(program, 3)?.kind, 'write');
    assert.strictEqual(breakpointStatement(program, 6)?.range.start.line, 7);
    assert.strictEqual(breakpointStatement(program, 8), undefined);
  });

  it('finds the innermost statement and the chain of expressions under an offset', () => {
    const offset = TEXT.indexOf('PROT_WRITE') + 2;
    assert.strictEqual(statementAt(program, offset)?.kind, 'let');
    const chain = expressionsAt(program, offset);
    const innermost = chain[chain.length - 1];
    assert.strictEqual(chain[0]?.kind, 'call');
    assert.ok(innermost?.kind === 'name' && innermost.name === 'PROT_WRITE');
    assert.strictEqual(statementAt(program, TEXT.indexOf('write q') + 1)?.kind, 'write');
  });
});
