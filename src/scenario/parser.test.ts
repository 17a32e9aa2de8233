import * as assert from 'assert';
import type { Expression, Statement } from './ast';
import { parse, parseExpression } from './parser';

function statements(text: string): readonly Statement[] {
  const r = parse(text, 't.mmu');
  assert.deepStrictEqual(
    r.diagnostics.map((d) => d.message),
    [],
    'expected no parse diagnostics',
  );
  return r.program.statements;
}

function only<K extends Statement['kind']>(text: string, kind: K): Extract<Statement, { kind: K }> {
  const s = statements(text);
  assert.strictEqual(s.length, 1);
  const first = s[0];
  assert.strictEqual(first?.kind, kind);
  return first as Extract<Statement, { kind: K }>;
}

function expr(text: string): Expression {
  const r = parseExpression(text);
  assert.deepStrictEqual(
    r.diagnostics.map((d) => d.message),
    [],
  );
  assert.ok(r.expression);
  return r.expression;
}

/** Writes an expression back with full parentheses, to see its structure. */
function shape(e: Expression): string {
  switch (e.kind) {
    case 'integer':
      return e.value.toString();
    case 'string':
      return JSON.stringify(e.value);
    case 'boolean':
      return String(e.value);
    case 'null':
      return 'null';
    case 'name':
      return e.path.map((p) => p.name).join('::');
    case 'unary':
      return `(${e.operator}${shape(e.operand)})`;
    case 'binary':
      return `(${shape(e.left)} ${e.operator} ${shape(e.right)})`;
    case 'member':
      return `${shape(e.object)}.${e.member.name}`;
    case 'index':
      return `${shape(e.object)}[${shape(e.index)}]`;
    case 'call':
      return `${shape(e.callee)}(${e.args.map((a) => (a.name ? `${a.name.name}=` : '') + shape(a.value)).join(', ')})`;
    case 'try':
      return `TRY(${shape(e.inner)})`;
    case 'error':
      return '<error>';
  }
}

describe('the scenario parser', () => {
  describe('expressions', () => {
    it('follows C precedence', () => {
      assert.strictEqual(shape(expr('1 + 2 * 3')), '(1 + (2 * 3))');
      assert.strictEqual(shape(expr('a | b & c ^ d')), '(a | ((b & c) ^ d))');
      assert.strictEqual(shape(expr('1 << 2 + 3')), '(1 << (2 + 3))');
      assert.strictEqual(shape(expr('a == b && c < d || !e')), '(((a == b) && (c < d)) || (!e))');
      assert.strictEqual(shape(expr('a - b - c')), '((a - b) - c)');
      assert.strictEqual(shape(expr('~x + -y')), '((~x) + (-y))');
      assert.strictEqual(shape(expr('(1 + 2) * 3')), '((1 + 2) * 3)');
    });

    it('reads members, calls with named arguments, indexes, TRY and qualified names', () => {
      assert.strictEqual(shape(expr('MM.zones[0].free_blocks(3)')), 'MM.zones[0].free_blocks(3)');
      assert.strictEqual(shape(expr('f(1, b=2)')), 'f(1, b=2)');
      assert.strictEqual(shape(expr('TRY(g(x))')), 'TRY(g(x))');
      const q = expr('Region::Access::ReadWrite');
      assert.strictEqual(q.kind, 'name');
      if (q.kind === 'name') {
        assert.strictEqual(q.name, 'ReadWrite');
        assert.strictEqual(q.path.length, 3);
      }
      assert.strictEqual(shape(expr('true != null')), '(true != null)');
    });

    it('widens the range of a parenthesised expression over its parentheses', () => {
      const e = expr('(1 + 2)');
      assert.strictEqual(e.range.start.offset, 0);
      assert.strictEqual(e.range.end.offset, 7);
    });
  });

  describe('statements', () => {
    it('reads machine and memory lines in both range forms', () => {
      const s = statements(
        'machine ram=256M cpus=2 pat=true\nmemory usable 0x0..0x9F000\nmemory reserved 0xFFFC0000+256K "firmware"',
      );
      const machine = s[0];
      assert.strictEqual(machine?.kind, 'machine');
      if (machine?.kind === 'machine')
        assert.deepStrictEqual(
          machine.settings.map((x) => x.key.name),
          ['ram', 'cpus', 'pat'],
        );
      const span = s[1];
      assert.ok(span?.kind === 'memory' && span.span.form === 'span');
      const sized = s[2];
      assert.ok(sized?.kind === 'memory' && sized.span.form === 'sized' && sized.label?.value === 'firmware');
    });

    it('reads let, auto and auto* the same way', () => {
      assert.strictEqual(only('let x = 1', 'let').keyword, 'let');
      assert.strictEqual(only('auto x = 1;', 'let').keyword, 'auto');
      const star = only('auto* x = 1', 'let');
      assert.strictEqual(star.keyword, 'auto*');
      assert.strictEqual(star.name.name, 'x');
    });

    it('reads process options, fork … as, exit and file', () => {
      const p = only('process p stack=1M ax_allowed=false wx_allowed=false no_w_to_x=true', 'process');
      assert.deepStrictEqual(
        p.options.map((o) => o.key.name),
        ['stack', 'ax_allowed', 'wx_allowed', 'no_w_to_x'],
      );
      const f = only('fork parent as child', 'fork');
      assert.strictEqual(f.parent.name, 'parent');
      assert.strictEqual(f.child.name, 'child');
      assert.strictEqual(only('exit p', 'exit').process.name, 'p');
      const file = only('file "/data" size=8K fill=0x41', 'file');
      assert.strictEqual(file.path.value, '/data');
      assert.deepStrictEqual(
        file.options.map((o) => o.key.name),
        ['size', 'fill'],
      );
    });

    it('reads set_sp with a process and an address expression, and an assertion', () => {
      const s = only('set_sp p p.stack.base + 0x10 => crash', 'set_sp');
      assert.strictEqual(s.process.name, 'p');
      assert.strictEqual(s.address.kind, 'binary');
      assert.deepStrictEqual(
        s.assertion?.items.map((i) => i.kind),
        ['outcome'],
      );
    });

    it('reads fork(p) at the start of a line as an expression', () => {
      assert.strictEqual(only('fork(p)', 'expression').expression.kind, 'call');
    });

    it('reads write, read and exec with widths and outcome assertions', () => {
      const w = only('write p buf + 8, 0x4142 as u16 => zero_fault', 'write');
      assert.strictEqual(w.width?.width, 'u16');
      assert.strictEqual(w.assertion?.items[0]?.kind, 'outcome');
      const r = only('read p a as u32 => inode_fault, 0x41414141', 'read');
      assert.strictEqual(r.width?.width, 'u32');
      assert.deepStrictEqual(
        r.assertion?.items.map((i) => i.kind),
        ['outcome', 'value'],
      );
      assert.strictEqual(only('exec kernel 0x1000 => crash', 'exec').space.name, 'kernel');
      const e = only('let r = mmap(p, 0, 4096, PROT_READ, MAP_SHARED) => EINVAL', 'let');
      assert.strictEqual(e.assertion?.items[0]?.kind, 'outcome');
    });

    it('reads print and expect', () => {
      assert.strictEqual(only('print 1, "two", x', 'print').values.length, 3);
      assert.strictEqual(only('expect a == b', 'expect').condition.kind, 'binary');
    });

    it('reads proc definitions and repeat loops with their bodies', () => {
      const s = statements(
        'proc touch(p, a) {\n  write p a, 1\n}\nrepeat i in 0..4 {\n  touch(p, i)\n  print i\n}\nproc empty() { }',
      );
      assert.strictEqual(s.length, 3);
      const proc = s[0];
      assert.ok(proc?.kind === 'proc');
      if (proc?.kind === 'proc') {
        assert.deepStrictEqual(
          proc.params.map((p) => p.name),
          ['p', 'a'],
        );
        assert.strictEqual(proc.body.length, 1);
        assert.strictEqual(proc.closeRange.start.line, 2);
      }
      const loop = s[1];
      assert.ok(loop?.kind === 'repeat' && loop.body.length === 2 && loop.variable.name === 'i');
      assert.ok(s[2]?.kind === 'proc' && s[2].body.length === 0);
    });

    it('ignores blank lines, comments and trailing semicolons', () => {
      assert.strictEqual(statements('\n// c\n# c\nlet x = 1;  // c\n\n').length, 1);
    });

    it('records the exact range of a statement and of its parts', () => {
      const w = only('  write p 0x10, 1 => ok', 'write');
      assert.deepStrictEqual(w.range.start, { line: 0, column: 2, offset: 2 });
      assert.strictEqual(w.range.end.column, 23);
      assert.strictEqual(w.keywordRange.end.column, 7);
      assert.strictEqual(w.address.range.start.column, 10);
      assert.strictEqual(w.assertion?.range.start.column, 18);
    });
  });

  describe('error recovery', () => {
    it('reports one problem per bad line and keeps parsing the lines after it', () => {
      const r = parse('let = 1\nlet ok1 = 2\nwrite p\nlet ok2 = (3\nlet ok3 = 4', 't.mmu');
      assert.deepStrictEqual(
        r.diagnostics.map((d) => d.range.start.line),
        [0, 2, 3],
      );
      assert.deepStrictEqual(
        r.program.statements.map((s) => (s.kind === 'let' ? s.name.name : s.kind)),
        ['ok1', 'ok3'],
      );
    });

    it('says what was expected', () => {
      const r = parse('fork p child', 't.mmu');
      assert.match(r.diagnostics[0]?.message ?? '', /Expected 'as'.*found 'child'/);
      assert.match(parse('write p a, 1 as u7').diagnostics[0]?.message ?? '', /u8, u16, u32 or u64/);
      assert.match(parse('let x = 1; let y = 2').diagnostics[0]?.message ?? '', /one statement per line/);
    });

    it('keeps block structure when a header is broken, and reports unmatched and missing braces', () => {
      const r = parse(
        'repeat i in 0.. {\n  write p i, 1\n}\nlet after = 1\n}\nproc f() {\n  let x = 1',
        't.mmu',
      );
      assert.deepStrictEqual(
        r.diagnostics.map((d) => [d.range.start.line, d.code]),
        [
          [0, 'syntax'],
          [4, 'unmatched-brace'],
          [5, 'unclosed-block'],
        ],
      );
      assert.deepStrictEqual(
        r.program.statements.map((s) => s.kind),
        ['let', 'proc'],
      );
    });

    it('explains that a block body goes on the lines below its header', () => {
      const r = parse('proc f(a) { print a }\nlet ok = 1');
      assert.match(r.diagnostics[0]?.message ?? '', /body of a block goes on the lines below/);
      assert.strictEqual(r.diagnostics.length, 1);
      assert.strictEqual(r.program.statements.length, 1);
    });

    it('rejects an assertion on a machine line and on a block header', () => {
      assert.strictEqual(parse('machine ram=64M => ok').diagnostics.length, 1);
      assert.strictEqual(parse('repeat i in 0..2 => ok {\n}').diagnostics.length, 1);
    });
  });
});
