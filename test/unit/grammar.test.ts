import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

// The TextMate grammar of `.mmu`, run through the same engine VS Code uses (vscode-textmate over the
// Oniguruma WebAssembly build): each case names a piece of a line and the scope it must get.

const root = path.resolve(__dirname, '../../..');
const grammarPath = path.join(root, 'syntaxes', 'mmu.tmLanguage.json');

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: (scopeName: string) =>
      Promise.resolve(
        scopeName === 'source.mmu'
          ? textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
          : null,
      ),
  });
  const grammar = await registry.loadGrammar('source.mmu');
  assert.ok(grammar, 'the grammar did not load');
  return grammar;
}

interface Token {
  text: string;
  scopes: string[];
}

function tokenize(grammar: textmate.IGrammar, source: string): Token[][] {
  let state = textmate.INITIAL;
  return source.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((token) => ({
      text: line.slice(token.startIndex, token.endIndex),
      scopes: token.scopes,
    }));
  });
}

/** The innermost scope of the token that holds `piece` (the `occurrence`-th one) on the line. */
function scopeOf(lineTokens: Token[], line: string, piece: string, occurrence = 0): string {
  let from = -1;
  for (let seen = 0; seen <= occurrence; seen++) {
    from = line.indexOf(piece, from + 1);
    assert.ok(from >= 0, `"${piece}" not on line "${line}"`);
  }
  let offset = 0;
  for (const token of lineTokens) {
    if (from >= offset && from < offset + token.text.length) {
      assert.ok(
        token.text.trim() === piece || piece.startsWith(token.text.trim()) || token.text.includes(piece),
        `"${piece}" is split across tokens on "${line}" (token "${token.text}")`,
      );
      return token.scopes[token.scopes.length - 1] ?? '';
    }
    offset += token.text.length;
  }
  return assert.fail(`no token at "${piece}"`);
}

const sample = [
  'machine ram=256M cpus=2 seed=7',
  'memory reserved 0x9F000..0x100000 "legacy"',
  '# a hash comment',
  'process parent stack=64K',
  'let buf = mmap(parent, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)',
  'write parent buf, "A\\n\\x41"sv                 => zero_fault   // first touch',
  'fork parent as child',
  'read child buf as u32 => cow_fault, 0x41',
  'auto region = TRY(MM.allocate_kernel_region(PAGE_SIZE * 4, "MyRegion"sv, Region::Access::ReadWrite, AllocationStrategy::AllocateNow));',
  'expect pte(kernel, region.vaddr).cache_disabled && MM.physical_pages_used == 0b1_0',
  'proc touch(p, base) {',
  '  repeat i in 0..16 {',
  '    munmap(p, base, 16 MiB) => EINVAL',
  '  }',
  '}',
  'let x = 1_000 + 0x20_0000_0000',
  'let bad = "\\q"',
  'print "# and // stay text" // a comment',
  'set_sp parent buf + PAGE_SIZE',
  'prctl(parent, PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT)',
];

type Case = [line: number, piece: string, scope: string, occurrence?: number];

const cases: Case[] = [
  [0, 'machine', 'keyword.other.machine.mmu'],
  [0, 'ram', 'variable.parameter.machine.mmu'],
  [0, '256', 'constant.numeric.decimal.mmu'],
  [0, 'M', 'keyword.other.unit.size.mmu'],
  [1, 'memory', 'keyword.other.memory.mmu'],
  [1, 'reserved', 'constant.language.memory-kind.mmu'],
  [1, '0x9F000', 'constant.numeric.hex.mmu'],
  [1, '..', 'keyword.operator.range.mmu'],
  [1, 'legacy', 'string.quoted.double.mmu'],
  [2, 'a hash comment', 'comment.line.number-sign.mmu'],
  [3, 'process', 'keyword.other.process.mmu'],
  [3, 'parent', 'entity.name.type.process.mmu'],
  [3, 'stack', 'variable.parameter.named-argument.mmu'],
  [3, 'K', 'keyword.other.unit.size.mmu'],
  [4, 'let', 'storage.type.let.mmu'],
  [4, 'buf', 'variable.other.declaration.mmu'],
  [4, 'mmap', 'support.function.mmu'],
  [4, 'PAGE_SIZE', 'support.constant.mmu'],
  [4, 'PROT_READ', 'support.constant.mmu'],
  [4, 'MAP_ANONYMOUS', 'support.constant.mmu'],
  [4, '|', 'keyword.operator.bitwise.mmu'],
  [5, 'write', 'keyword.other.access.mmu'],
  [5, '\\n', 'constant.character.escape.mmu'],
  [5, '\\x41', 'constant.character.escape.mmu'],
  [5, 'sv', 'storage.modifier.string-view.mmu'],
  [5, '=>', 'keyword.operator.outcome.mmu'],
  [5, 'zero_fault', 'constant.language.outcome.mmu'],
  [5, 'first touch', 'comment.line.double-slash.mmu'],
  [6, 'fork', 'keyword.other.fork.mmu'],
  [6, 'as', 'keyword.other.as.mmu'],
  [6, 'child', 'entity.name.type.process.mmu'],
  [7, 'as', 'keyword.other.as.mmu'],
  [7, 'u32', 'storage.type.width.mmu'],
  [7, 'cow_fault', 'constant.language.outcome.mmu'],
  [7, '0x41', 'constant.numeric.hex.mmu'],
  [8, 'auto', 'storage.type.let.mmu'],
  [8, 'TRY', 'keyword.control.try.mmu'],
  [8, 'MM', 'support.class.memory-manager.mmu'],
  [8, 'allocate_kernel_region', 'support.function.memory-manager.mmu'],
  [8, 'Region', 'entity.name.namespace.mmu', 1],
  [8, '::', 'punctuation.separator.namespace.mmu'],
  [8, 'ReadWrite', 'support.constant.mmu'],
  [8, 'AllocateNow', 'support.constant.mmu'],
  [8, ';', 'punctuation.terminator.statement.mmu'],
  [9, 'expect', 'keyword.other.statement.mmu'],
  [9, 'pte', 'support.function.mmu'],
  [9, 'kernel', 'variable.language.kernel.mmu'],
  [9, 'cache_disabled', 'variable.other.property.mmu'],
  [9, '&&', 'keyword.operator.logical.mmu'],
  [9, 'physical_pages_used', 'support.variable.memory-manager.mmu'],
  [9, '==', 'keyword.operator.comparison.mmu'],
  [9, '0b1_0', 'constant.numeric.binary.mmu'],
  [10, 'proc', 'storage.type.function.proc.mmu'],
  [10, 'touch', 'entity.name.function.proc.mmu'],
  [10, 'base', 'variable.parameter.mmu'],
  [10, '{', 'punctuation.section.block.begin.mmu'],
  [11, 'repeat', 'keyword.control.repeat.mmu'],
  [11, 'in', 'keyword.control.in.mmu'],
  [11, '16', 'constant.numeric.decimal.mmu'],
  [12, 'MiB', 'keyword.other.unit.size.mmu'],
  [12, 'EINVAL', 'constant.language.errno.mmu'],
  [14, '}', 'punctuation.section.block.end.mmu'],
  [15, '1_000', 'constant.numeric.decimal.mmu'],
  [15, '0x20_0000_0000', 'constant.numeric.hex.mmu'],
  [16, '\\q', 'invalid.illegal.escape.mmu'],
  [17, '# and // stay text', 'string.quoted.double.mmu'],
  [17, 'a comment', 'comment.line.double-slash.mmu'],
  [18, 'set_sp', 'keyword.other.set-sp.mmu'],
  [18, 'parent', 'variable.other.process.mmu'],
  [19, 'prctl', 'support.function.mmu'],
  [19, 'PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT', 'support.constant.mmu'],
];

describe('the .mmu TextMate grammar', () => {
  let lines: Token[][] = [];

  before(async () => {
    lines = tokenize(await loadGrammar(), sample.join('\n'));
  });

  for (const [line, piece, scope, occurrence] of cases) {
    it(`scopes "${piece}" in "${sample[line]?.trim().slice(0, 40)}…" as ${scope}`, () => {
      assert.strictEqual(scopeOf(lines[line] ?? [], sample[line] ?? '', piece, occurrence ?? 0), scope);
    });
  }
});
