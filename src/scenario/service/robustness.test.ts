// Every service answers at every position of every example, and of arbitrary text, without
// throwing; and what it answers points inside the document.

import * as assert from 'assert';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { STATEMENT_KEYWORDS } from '../api';
import { addressTargetAt } from './addressHover';
import { complete } from './completion';
import { editorDiagnostics } from './diagnostics';
import { hover } from './hover';
import { inlineValueTargets } from './inlineValues';
import { KEYWORD_DOCS } from './keywords';
import { analyzeDocument } from './model';
import { definitionAt, documentSymbols } from './navigation';
import { signatureHelp } from './signature';

const EXAMPLES_DIR = path.resolve(__dirname, '../../../../examples');

/** The examples; their absence is a failure, not a suite that quietly checks nothing. */
function examples(): [string, string][] {
  if (!fs.existsSync(EXAMPLES_DIR)) throw new Error(`the examples are missing: ${EXAMPLES_DIR}`);
  return fs
    .readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.mmu'))
    .sort()
    .map((f) => [f, fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8')]);
}

/** Asks every service at every position of `text`; throws on the first failure. */
function everyService(text: string, step = 1): void {
  const model = analyzeDocument(text);
  const lines = text.split(/\r\n|\r|\n/);
  editorDiagnostics(model);
  documentSymbols(model);
  lines.forEach((line, l) => {
    inlineValueTargets(model, l);
    for (let column = 0; column <= line.length; column += step) {
      const position = { line: l, column };
      const completion = complete(model, position);
      assert.ok(completion.replaceStart <= column && column <= completion.replaceEnd);
      signatureHelp(model, position);
      const h = hover(model, position);
      if (h) assert.ok(h.startColumn <= h.endColumn && h.endColumn <= line.length);
      const d = definitionAt(model, position);
      if (d) assert.ok(d.end.offset <= text.length);
      addressTargetAt(model, position);
    }
  });
}

describe('the language service on any text', function () {
  this.timeout(20000);

  it('documents every statement keyword', () => {
    for (const keyword of STATEMENT_KEYWORDS) assert.ok(KEYWORD_DOCS[keyword], keyword);
  });

  for (const [name, text] of examples()) {
    it(`answers at every position of ${name}`, () => everyService(text, 3));
  }

  it('answers at every position of random text made of language fragments', () => {
    const fragment = fc.constantFrom(
      'let ', 'x', ' = ', 'mmap(', 'p', ', ', ')', '(', '.', 'MM', 'zones', '[', ']', '0x1000', '=>', ' ok', ',', '\n',
      'process p', 'proc f(a) {', '}', 'repeat i in 0..2 {', '"s', '"', '#', '::', 'Region', 'Access', '|', 'PROT_READ',
      'write ', 'read ', ' as ', 'u8', 'machine ', 'ram=', 'fork p as c', 'auto* ', 'TRY(', 'vaddr', 'r.', ' ',
    ); // prettier-ignore
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 30 }), (parts) => {
        everyService(parts.join(''));
      }),
      { numRuns: 150, seed: 5 },
    );
  });
});
