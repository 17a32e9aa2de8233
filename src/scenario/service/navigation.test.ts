import * as assert from 'assert';
import { definitionAt, documentSymbols, OutlineSymbol } from './navigation';
import { analyzeDocument } from './model';
import { at } from './testSupport';

function definitionLine(text: string): string | undefined {
  const { model, position } = at(text);
  const range = definitionAt(model, position);
  return range === undefined ? undefined : `${range.start.line}:${range.start.column}-${range.end.column}`;
}

describe('go to definition', () => {
  it('finds the binding, the process and the proc a name refers to', () => {
    assert.strictEqual(definitionLine('let size = 64K\nprint si‸ze'), '0:4-8');
    assert.strictEqual(definitionLine('process parent\nwrite par‸ent 0, 1'), '0:8-14');
    assert.strictEqual(definitionLine('process p\nfork p as child\nexit chi‸ld'), '1:10-15');
    assert.strictEqual(definitionLine('proc touch(q) {\n}\ntou‸ch(1)'), '0:5-10');
  });

  it('follows rebinding: the latest definition before the use', () => {
    assert.strictEqual(definitionLine('let a = 1\nlet a = a‸ + 1\nprint a'), '0:4-5');
    assert.strictEqual(definitionLine('let a = 1\nlet a = a + 1\nprint ‸a'), '1:4-5');
  });

  it('prefers a proc parameter inside its proc', () => {
    assert.strictEqual(definitionLine('let x = 1\nproc f(x) {\n  print ‸x\n}'), '1:7-8');
    assert.strictEqual(definitionLine('proc f(y) {\n  print ‸x\n}\nlet x = 1'), '3:4-5');
  });

  it('finds nothing for members, named arguments, constants and functions', () => {
    assert.strictEqual(
      definitionLine(
        'let vaddr = 1\nlet r = MM.allocate_kernel_region(4096, "r", ReadWrite)\nprint r.vad‸dr',
      ),
      undefined,
    );
    assert.strictEqual(
      definitionLine('let name = 1\nprocess p\nlet x = mmap(p, 0, 4096, 1, 2, na‸me="x")'),
      undefined,
    );
    assert.strictEqual(definitionLine('print PAGE_‸SIZE'), undefined);
    assert.strictEqual(definitionLine('process p\nprint transl‸ate(p, 0)'), undefined);
  });
});

describe('document symbols', () => {
  const flat = (symbols: readonly OutlineSymbol[], depth = 0): string[] =>
    symbols.flatMap((s) => [
      `${'  '.repeat(depth)}${s.kind} ${s.name}: ${s.detail}`,
      ...flat(s.children, depth + 1),
    ]);

  it('lists the machine, processes, bindings, files, procs and loops with their bodies', () => {
    const model = analyzeDocument(
      [
        'machine ram=64M cpus=2',
        'file "/data" size=PAGE_SIZE',
        'process parent',
        'let buf = mmap(parent, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)',
        'let size = 64K',
        'fork parent as child',
        'proc touch(q, a) {',
        '  let v = peek(q, a)',
        '}',
        'repeat i in 0..4 {',
        '  let r = MM.allocate_kernel_region(PAGE_SIZE, "r", ReadWrite)',
        '}',
      ].join('\n'),
    );
    assert.deepStrictEqual(flat(documentSymbols(model)), [
      'machine machine: ram=64M cpus=2',
      'file /data: file',
      'process parent: process',
      'binding buf: integer',
      'binding size: integer = 0x10000',
      'process child: process, fork of parent',
      'proc touch: proc(q, a)',
      '  binding v: integer or null',
      'loop repeat i: 0..4',
      '  binding r: Region',
    ]);
  });

  it('gives each symbol its statement range and selects its name', () => {
    const model = analyzeDocument('process p\nproc f() {\n  print 1\n}');
    const [p, f] = documentSymbols(model);
    assert.deepStrictEqual([p?.selectionRange.start.column, p?.selectionRange.end.column], [8, 9]);
    assert.deepStrictEqual([f?.range.start.line, f?.range.end.line], [1, 3]);
  });
});
