// Property tests: whatever the text, parsing and checking end normally and every diagnostic points
// inside the file.

import * as assert from 'assert';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import type { Statement } from './ast';
import { checkSource } from './checker';
import { tokenize } from './lexer';
import { breakpointStatement, expressionsAt } from './locate';
import { DiagnosticBag, Range, SourceFile } from './source';

const EXAMPLES_DIR = path.resolve(__dirname, '../../../examples');

const SEEDS: readonly string[] = [
  'machine ram=64M\nprocess parent\nlet buf = mmap(parent, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)\n' +
    'write parent buf, "A" => zero_fault\nfork parent as child\nwrite child buf, "!" => cow_fault\n' +
    'expect peek(parent, buf) == 0x41\nwrite parent 0, 1 => crash\n',
  'proc touch(p, a) {\n  write p a, 1 as u8 => zero_fault\n}\nrepeat i in 0..4 {\n  touch(p, i * PAGE_SIZE)\n}\n',
  'memory usable 0x0..0x9F000\nmemory reserved 0x9F000..0x100000 "legacy"\nmemory usable 0x100000+255M\n',
  'auto* r = TRY(MM.allocate_kernel_region(PAGE_SIZE * 4, "MyRegion"sv, Region::Access::ReadWrite, AllocationStrategy::AllocateNow));\n',
];

/** The examples; their absence is a failure, not a fuzzer that quietly starts from less. */
function examples(): string[] {
  if (!fs.existsSync(EXAMPLES_DIR)) throw new Error(`the examples are missing: ${EXAMPLES_DIR}`);
  return fs
    .readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.mmu'))
    .map((f) => fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8'));
}

function assertInside(range: Range, text: string, source: SourceFile, what: string): void {
  for (const p of [range.start, range.end]) {
    assert.ok(
      p.offset >= 0 && p.offset <= text.length,
      `${what}: offset ${p.offset} outside 0..${text.length}`,
    );
    assert.deepStrictEqual(source.positionAt(p.offset), p, `${what}: line/column disagree with the offset`);
  }
  assert.ok(range.start.offset <= range.end.offset, `${what}: range ends before it starts`);
}

function walk(statements: readonly Statement[], visit: (s: Statement) => void): void {
  for (const s of statements) {
    visit(s);
    if (s.kind === 'proc' || s.kind === 'repeat') walk(s.body, visit);
  }
}

/** Checks the text; fails the property if checking throws or a range falls outside the file. */
function checkWellBehaved(text: string): void {
  const result = checkSource(text, 'fuzz.mmu');
  const source = new SourceFile('fuzz.mmu', text);
  for (const d of result.diagnostics) {
    assertInside(d.range, text, source, `diagnostic '${d.message}'`);
    assert.ok(d.message.length > 0);
  }
  walk(result.program.statements, (s) => assertInside(s.range, text, source, `statement ${s.kind}`));
  for (const offset of [0, text.length >> 1, text.length]) {
    for (const e of expressionsAt(result.program, offset))
      assertInside(e.range, text, source, `expression ${e.kind}`);
  }
  breakpointStatement(result.program, source.positionAt(text.length >> 1).line);
}

const FRAGMENTS = [
  'machine', 'memory', 'let', 'auto', 'auto*', 'process', 'fork', 'as', 'exit', 'file', 'write', 'read', 'exec',
  'print', 'expect', 'proc', 'repeat', 'in', 'TRY', 'MM', 'kernel', 'p', 'x', 'mmap', 'PROT_READ', 'MAP_SHARED',
  'Region::Access::ReadWrite', '::', '0x1000', '16 MiB', '64K', '0b1', '18446744073709551616', '"s"', '"x"sv', '"\\x4',
  '(', ')', '{', '}', '[', ']', ',', '.', '=', '==', '=>', '..', '+', '-', '*', '/', '%', '<<', '>>', '&', '&&', '|',
  '||', '^', '!', '~', '<', '>=', ';', '#c', '//c', ' ', ' ', '\n', '\n', '\r\n', '\t', 'u8', 'u64', 'ok', 'cow_fault',
  'ENOMEM', '@', 'é', '\u{1F600}',
]; // prettier-ignore

type Mutation = { kind: 'delete' | 'duplicate' | 'swap'; level: 'char' | 'token'; a: number; b: number };

function mutate(text: string, m: Mutation): string {
  if (text.length === 0) return text;
  let spans: [number, number][];
  if (m.level === 'char') {
    spans = Array.from({ length: text.length }, (_, i) => [i, i + 1]);
  } else {
    const source = new SourceFile('m.mmu', text);
    spans = tokenize(source, new DiagnosticBag('m.mmu'))
      .filter((t) => t.kind !== 'eof')
      .map((t) => [t.range.start.offset, t.range.end.offset]);
    if (spans.length === 0) return text;
  }
  const [s1, e1] = spans[m.a % spans.length] as [number, number];
  const [s2, e2] = spans[m.b % spans.length] as [number, number];
  switch (m.kind) {
    case 'delete':
      return text.slice(0, s1) + text.slice(e1);
    case 'duplicate':
      return text.slice(0, e1) + text.slice(s1, e1) + text.slice(e1);
    case 'swap': {
      if (s1 === s2) return text;
      const [first, second] =
        s1 < s2
          ? [
              [s1, e1],
              [s2, e2],
            ]
          : [
              [s2, e2],
              [s1, e1],
            ];
      const [fs1, fe1] = first as [number, number];
      const [ss2, se2] = second as [number, number];
      if (fe1 > ss2) return text;
      return (
        text.slice(0, fs1) +
        text.slice(ss2, se2) +
        text.slice(fe1, ss2) +
        text.slice(fs1, fe1) +
        text.slice(se2)
      );
    }
  }
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'duplicate', 'swap'),
  level: fc.constantFrom('char', 'token'),
  a: fc.nat(),
  b: fc.nat(),
});

describe('parsing and checking arbitrary text', function () {
  // Hundreds of whole-file checks: generous on a busy machine, never a timing assertion.
  this.timeout(120_000);

  it('never throws and keeps ranges inside the file for random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => checkWellBehaved(text)),
      { numRuns: 400, seed: 1 },
    );
  });

  it('never throws for random sequences of language fragments', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 120 }), (parts) =>
        checkWellBehaved(parts.join(' ')),
      ),
      { numRuns: 600, seed: 2 },
    );
  });

  it('never throws for the examples and spec snippets with characters and tokens deleted, duplicated and swapped', () => {
    const corpus = [...SEEDS, ...examples()];
    fc.assert(
      fc.property(
        fc.constantFrom(...corpus),
        fc.array(mutationArb, { minLength: 1, maxLength: 6 }),
        (text, mutations) => {
          checkWellBehaved(mutations.reduce(mutate, text));
        },
      ),
      { numRuns: 500, seed: 3 },
    );
  });
});
