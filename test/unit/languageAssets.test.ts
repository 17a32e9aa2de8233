import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

// The declarative parts of the `.mmu` language support: the snippets and the language configuration
// must be valid for VS Code, which otherwise ignores them with only a line in its log.

const root = path.resolve(__dirname, '../../..');
const readJson = (relative: string) =>
  parseJsonWithTrailingCommas(fs.readFileSync(path.join(root, relative), 'utf8'));

/** VS Code reads these files as JSON that may end lists with a comma; so does this test. */
function parseJsonWithTrailingCommas(text: string): unknown {
  let result = '';
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    if (inString) {
      if (char === '\\') {
        result += char + (text[++index] ?? '');
        continue;
      }
      inString = char !== '"';
    } else if (char === '"') {
      inString = true;
    } else if (char === ',' && /^\s*[}\]]/.test(text.slice(index + 1))) {
      continue;
    }
    result += char;
  }
  return JSON.parse(result) as unknown;
}

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
}

describe('the .mmu snippets', () => {
  const snippets = readJson('snippets/mmu.code-snippets') as Record<string, Snippet>;

  it('cover the common operations', () => {
    const prefixes = Object.values(snippets).flatMap((snippet) => snippet.prefix);
    for (const wanted of [
      'process',
      'mmap',
      'fork',
      'write',
      'read',
      'proc',
      'repeat',
      'kernel region',
      'dma',
      'mmio',
    ]) {
      assert.ok(prefixes.includes(wanted), `no snippet with prefix "${wanted}"`);
    }
  });

  it('each have a prefix, a body and a description, with balanced placeholders', () => {
    for (const [name, snippet] of Object.entries(snippets)) {
      assert.ok(snippet.prefix.length > 0, `${name}: no prefix`);
      assert.ok(snippet.description.length > 0, `${name}: no description`);
      const body = ([] as string[]).concat(snippet.body).join('\n');
      let depth = 0;
      for (const match of body.matchAll(/\$\{|\}/g)) {
        depth += match[0] === '}' ? (depth > 0 ? -1 : 0) : 1;
      }
      assert.strictEqual(depth, 0, `${name}: unbalanced \${…} in ${body}`);
    }
  });
});

describe('the .mmu language configuration', () => {
  const configuration = readJson('language-configuration.json') as {
    comments: { lineComment: string };
    brackets: [string, string][];
    folding: { markers: { start: string; end: string } };
    wordPattern: string;
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  };

  it('comments lines with //', () => {
    assert.strictEqual(configuration.comments.lineComment, '//');
  });

  it('has regular expressions that compile and mean what they should', () => {
    const word = new RegExp(`^(?:${configuration.wordPattern})$`);
    for (const token of ['0x1000', '0b101', '1_000', 'allocate_kernel_region', 'PROT_READ']) {
      assert.match(token, word);
    }
    const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
    assert.match('repeat i in 0..4 {', increase);
    assert.match('proc touch(p) {  // body follows', increase);
    assert.doesNotMatch('print "{"', increase);
    assert.match('  }', new RegExp(configuration.indentationRules.decreaseIndentPattern));
    assert.match('// region setup', new RegExp(configuration.folding.markers.start));
    assert.match('// endregion', new RegExp(configuration.folding.markers.end));
  });
});
