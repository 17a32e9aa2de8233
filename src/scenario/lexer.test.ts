import * as assert from 'assert';
import { tokenize, type Token } from './lexer';
import { DiagnosticBag, SourceFile } from './source';

function lex(text: string): { tokens: Token[]; messages: string[] } {
  const bag = new DiagnosticBag('t.mmu');
  const tokens = tokenize(new SourceFile('t.mmu', text), bag).filter((t) => t.kind !== 'eof');
  return { tokens, messages: bag.items.map((d) => d.message) };
}

const values = (text: string): (bigint | undefined)[] => lex(text).tokens.map((t) => t.value);

describe('the scenario lexer', () => {
  describe('integers', () => {
    it('reads decimal, hexadecimal and binary literals with _ separators', () => {
      assert.deepStrictEqual(values('4096 0x1000 0b101 0x20_0000_0000 1_000'), [
        4096n,
        0x1000n,
        5n,
        0x2000000000n,
        1000n,
      ]);
    });

    it('applies the size suffixes K, KiB, M, MiB, G, GiB, attached or after a space', () => {
      assert.deepStrictEqual(values('64K 4KiB 16M 2MiB 1G 3GiB'), [
        65536n,
        4096n,
        16n << 20n,
        2n << 20n,
        1n << 30n,
        3n << 30n,
      ]);
      const spaced = lex('16 MiB');
      assert.strictEqual(spaced.tokens.length, 1);
      assert.strictEqual(spaced.tokens[0]?.value, 16n << 20n);
      assert.strictEqual(spaced.tokens[0]?.text, '16 MiB');
      assert.deepStrictEqual(values('0x10 K'), [0x10n << 10n]);
    });

    it('keeps the largest u64 and reports a literal that does not fit in 64 bits', () => {
      assert.deepStrictEqual(values('0xFFFF_FFFF_FFFF_FFFF'), [(1n << 64n) - 1n]);
      const { messages } = lex('0x1_0000_0000_0000_0000 17179869184G');
      assert.strictEqual(messages.length, 2);
      assert.match(messages[0] ?? '', /does not fit in 64 bits/);
    });

    it('reports bad digits and unknown suffixes', () => {
      assert.match(lex('12abc').messages[0] ?? '', /'abc' is neither a digit nor a size suffix/);
      assert.match(lex('0x').messages[0] ?? '', /digits are missing/);
      assert.match(lex('0b102').messages[0] ?? '', /'2' is neither a digit/);
      assert.match(lex('4KB').messages[0] ?? '', /'KB'/);
    });
  });

  describe('strings', () => {
    it('decodes the escapes and keeps raw bytes for \\xNN', () => {
      const t = lex('"a\\"b\\\\c\\n\\x41\\xff"').tokens[0];
      assert.strictEqual(t?.string?.value, 'a"b\\c\nA\u00ff');
      assert.deepStrictEqual([...(t?.string?.bytes ?? [])], [97, 34, 98, 92, 99, 10, 0x41, 0xff]);
    });

    it('encodes other characters as UTF-8', () => {
      assert.deepStrictEqual([...(lex('"é"').tokens[0]?.string?.bytes ?? [])], [0xc3, 0xa9]);
    });

    it('accepts the sv suffix', () => {
      const t = lex('"heap"sv').tokens;
      assert.strictEqual(t.length, 1);
      assert.strictEqual(t[0]?.string?.sv, true);
      assert.strictEqual(t[0]?.string?.value, 'heap');
    });

    it('reports an unterminated string at the end of its line and goes on with the next line', () => {
      const { tokens, messages } = lex('"abc\nlet');
      assert.match(messages[0] ?? '', /no closing/);
      assert.deepStrictEqual(
        tokens.map((t) => t.kind),
        ['string', 'newline', 'identifier'],
      );
    });

    it('reports an unknown escape', () => {
      assert.match(lex('"\\q"').messages[0] ?? '', /Unknown escape '\\q'/);
      assert.match(lex('"\\x4"').messages[0] ?? '', /two hexadecimal digits/);
    });
  });

  it('skips // and # comments', () => {
    assert.deepStrictEqual(
      lex('a // b\nc # d').tokens.map((t) => t.text),
      ['a', '\n', 'c'],
    );
  });

  it('reads the longest operator first', () => {
    assert.deepStrictEqual(
      lex('=> == = :: .. << <= !').tokens.map((t) => t.text),
      ['=>', '==', '=', '::', '..', '<<', '<=', '!'],
    );
  });

  it('gives every token its zero-based line, column and offset', () => {
    const t = lex('let x\n  = 0x10').tokens;
    const last = t[t.length - 1];
    assert.deepStrictEqual(last?.range.start, { line: 1, column: 4, offset: 10 });
    assert.deepStrictEqual(last?.range.end, { line: 1, column: 8, offset: 14 });
  });

  it('reports an unexpected character and carries on', () => {
    const { tokens, messages } = lex('a @ b');
    assert.match(messages[0] ?? '', /Unexpected character '@'/);
    assert.deepStrictEqual(
      tokens.map((t) => t.text),
      ['a', 'b'],
    );
  });
});
