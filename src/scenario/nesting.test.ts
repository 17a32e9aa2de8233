// Deep and huge input: the parser bounds how deep expressions and blocks nest, with one diagnostic
// where the limit is passed, so nothing that walks the tree afterwards (checker, interpreter, editor
// services) can run out of stack, and the lines after it are still checked.
import * as assert from 'assert';
import fc from 'fast-check';
import { checkSource } from './checker';
import { Interpreter } from './interpreter';
import { MAX_TOKENS_PER_LINE } from './lexer';
import { MAX_BLOCK_DEPTH, MAX_EXPRESSION_DEPTH, parse } from './parser';
import { complete } from './service/completion';
import { hover } from './service/hover';
import { hostileScenario } from './hostileTextTestSupport';
import { analyzeDocument } from './service/model';

/** An expression of each shape nested `depth` times. */
const SHAPES: Record<string, (depth: number) => string> = {
  parentheses: (d) => `${'('.repeat(d)}1${')'.repeat(d)}`,
  'bitwise not': (d) => `${'~'.repeat(d)}1`,
  'a sum': (d) => Array.from({ length: d }, () => '1').join(' + '),
  'member access': (d) => `p${'.size'.repeat(d)}`,
  indexing: (d) => `x${'[0]'.repeat(d)}`,
  calls: (d) => `${'align_up('.repeat(d)}1${', 4096)'.repeat(d)}`,
  'TRY(…)': (d) => `${'TRY('.repeat(d)}1${')'.repeat(d)}`,
};

/** Runnable shapes: the interpreter evaluates them at the limit. */
const RUNNABLE = new Set(['parentheses', 'bitwise not', 'a sum']);

const scenario = (expression: string): string => `process p\nlet x = 0\nlet deep = ${expression}\nprint 1\n`;

const tooDeep = (text: string): number => parse(text).diagnostics.filter((d) => d.code === 'too-deep').length;

/** The deepest nesting of a shape the parser takes. */
function deepestAccepted(shape: (depth: number) => string): number {
  let low = 1;
  let high = MAX_EXPRESSION_DEPTH * 2;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (tooDeep(scenario(shape(middle))) === 0) low = middle;
    else high = middle - 1;
  }
  return low;
}

describe('nesting limits', () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    describe(name, () => {
      const deepest = deepestAccepted(shape);

      it(`is taken up to nearly ${MAX_EXPRESSION_DEPTH} levels, and refused one level further`, () => {
        assert.ok(deepest >= MAX_EXPRESSION_DEPTH / 2 && deepest <= MAX_EXPRESSION_DEPTH, `${deepest}`);
        assert.strictEqual(tooDeep(scenario(shape(deepest + 1))), 1);
      });

      it('at the limit, is checked, hovered, completed (and run) without running out of stack', () => {
        const text = scenario(shape(deepest));
        checkSource(text);
        const model = analyzeDocument(text);
        const line = text.split('\n')[2]!;
        hover(model, { line: 2, column: Math.floor(line.length / 2) });
        complete(model, { line: 2, column: line.length });
        if (RUNNABLE.has(name)) {
          const started = Interpreter.start(text, 'deep.mmu');
          assert.ok(started.interpreter, started.diagnostics.map((d) => d.message).join('; '));
          while (!started.interpreter.finished) started.interpreter.step();
        }
      });

      it('far beyond the limit, gets one diagnostic at its line and the lines after it are checked', () => {
        // As deep as a line of at most MAX_TOKENS_PER_LINE tokens nests every shape.
        const text = scenario(shape(1_900)) + 'let broken = nope\n';
        const { diagnostics } = checkSource(text);
        const deep = diagnostics.filter((d) => d.code === 'too-deep');
        assert.strictEqual(deep.length, 1);
        assert.strictEqual(deep[0]!.range.start.line, 2);
        assert.match(deep[0]!.message, /nests deeper than \d+ levels/);
        assert.ok(diagnostics.some((d) => d.code === 'unknown-name' && d.range.start.line === 4));
      });
    });
  }

  it('drops a line of more tokens than any statement needs with one diagnostic, and checks on', () => {
    const text = `process p\nlet x = ${'('.repeat(500_000)}1\nlet broken = nope\n`;
    const { diagnostics } = checkSource(text);
    assert.deepStrictEqual(
      diagnostics.map((d) => [d.code, d.range.start.line]),
      [
        ['line-too-long', 1],
        ['unknown-name', 2],
      ],
    );
    assert.match(
      diagnostics[0]!.message,
      new RegExp(`more than ${MAX_TOKENS_PER_LINE.toLocaleString('en-US')} tokens`),
    );
  });

  it('refuses blocks nested past the limit once, keeps the blocks around them, and checks on', () => {
    const depth = 3000;
    const text =
      'process p\n' +
      Array.from({ length: depth }, (_, i) => `repeat i${i} in 0..1 {\n`).join('') +
      'let inner = 1\n' +
      '}\n'.repeat(depth) +
      'let after = nope\n';
    const { diagnostics } = checkSource(text);
    const deep = diagnostics.filter((d) => d.code === 'too-deep');
    assert.strictEqual(deep.length, 1);
    assert.strictEqual(deep[0]!.range.start.line, 1 + MAX_BLOCK_DEPTH);
    assert.ok(diagnostics.some((d) => d.code === 'unknown-name' && d.range.start.line === 2 * depth + 2));
    const started = Interpreter.start(text.replace('let after = nope\n', ''), 'deep.mmu');
    assert.strictEqual(started.interpreter, null, 'a scenario with errors does not start');
    const atLimit =
      'process p\n' +
      Array.from({ length: MAX_BLOCK_DEPTH }, (_, i) => `repeat i${i} in 0..1 {\n`).join('') +
      'let inner = 1\n' +
      '}\n'.repeat(MAX_BLOCK_DEPTH);
    const run = Interpreter.start(atLimit, 'deep.mmu');
    assert.ok(run.interpreter, run.diagnostics.map((d) => d.message).join('; '));
    while (!run.interpreter.finished) run.interpreter.step();
  });

  it('never throws on lines of deep and huge fragments, and places every diagnostic in the text', () => {
    fc.assert(
      fc.property(hostileScenario(6, 3000), (text) => {
        const { diagnostics } = checkSource(text);
        const model = analyzeDocument(text);
        complete(model, { line: 1, column: 0 });
        const count = text.split('\n').length;
        for (const d of diagnostics)
          assert.ok(d.range.start.line >= 0 && d.range.start.line < count, d.message);
      }),
      { numRuns: 60 },
    );
  });
});
