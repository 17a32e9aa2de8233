import * as assert from 'assert';
import { signatureHelp } from './signature';
import { at } from './testSupport';

function help(text: string) {
  const { model, position } = at(text);
  return signatureHelp(model, position);
}

describe('signature help', () => {
  it('shows the signature of an API function with the active parameter by position', () => {
    const result = help('process p\nlet x = mmap(p, 0, 4096, ‸');
    assert.ok(result);
    assert.strictEqual(
      result.label,
      'mmap(p, addr, size, prot, flags, fd=null, offset=0, name="", alignment=0) → integer',
    );
    assert.strictEqual(result.activeParameter, 3);
    const prot = result.parameters[3];
    assert.ok(prot);
    assert.strictEqual(result.label.slice(prot.start, prot.end), 'prot');
    assert.match(prot.documentation ?? '', /PROT_\* flags/);
    assert.match(result.documentation, /Maps memory/);
    assert.match(result.documentation, /Errors: EINVAL/);
  });

  it('highlights a parameter with its default as written in the label', () => {
    const result = help('process p\nlet x = mmap(p, 0, 4096, PROT_READ, MAP_SHARED, ‸');
    const fd = result?.parameters[result.activeParameter];
    assert.ok(result && fd);
    assert.strictEqual(result.label.slice(fd.start, fd.end), 'fd=null');
  });

  it('follows a named argument to its parameter', () => {
    const result = help('process p\nlet x = mmap(p, 0, 4096, PROT_READ, MAP_SHARED, alignment=‸');
    assert.strictEqual(result?.activeParameter, 8);
  });

  it('points at no parameter for a positional argument after a named one or past the last', () => {
    assert.strictEqual(help('process p\nlet x = mmap(p, name="a", ‸')?.activeParameter, -1);
    assert.strictEqual(help('expect page(1, 2‸')?.activeParameter, -1);
  });

  it('works for member functions, by the static type of the receiver', () => {
    const result = help(
      'let s = MM.commit_physical_pages(1)\nlet r = MM.allocate_kernel_region(PAGE_SIZE, "x", ‸',
    );
    assert.ok(result);
    assert.match(
      result.label,
      /^MemoryManager\.allocate_kernel_region\(size, name, access, strategy=Reserve, memory_type=Normal\) → Region$/,
    );
    assert.strictEqual(result.activeParameter, 2);
  });

  it('works for procs', () => {
    const result = help('proc touch(q, address) {\n}\ntouch(1, ‸');
    assert.strictEqual(result?.label, 'proc touch(q, address)');
    assert.strictEqual(result.activeParameter, 1);
  });

  it('uses the innermost call, looking through parentheses that are not calls', () => {
    assert.strictEqual(help('process p\nexpect translate(p, peek(p, ‸')?.label.startsWith('peek('), true);
    const grouped = help('process p\nlet x = mmap(p, 0, (4 * ‸');
    assert.strictEqual(grouped?.activeParameter, 2);
    assert.strictEqual(help('process p\nlet x = mmap(p, translate(p, 0), ‸')?.activeParameter, 2);
  });

  it('is absent outside a call, after its closing parenthesis, and for unknown functions', () => {
    assert.strictEqual(help('let x = 1 + ‸'), undefined);
    assert.strictEqual(help('process p\nlet x = translate(p, 0) + ‸'), undefined);
    assert.strictEqual(help('let x = nope(‸'), undefined);
    assert.strictEqual(help('let x = TRY(‸'), undefined);
    assert.strictEqual(help('proc f(a, ‸'), undefined);
  });
});
