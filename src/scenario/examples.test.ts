// Every teaching scenario in examples/ must check clean. (Running them is the interpreter's test.)

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkSource } from './checker';

const EXAMPLES_DIR = path.resolve(__dirname, '../../../examples');
const files = fs
  .readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.mmu'))
  .sort();

describe('the example scenarios', () => {
  it('are at least ten', () => {
    assert.ok(files.length >= 10, `only ${files.length} examples`);
  });

  for (const file of files) {
    describe(file, () => {
      const text = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8');

      it('checks without a diagnostic', () => {
        const result = checkSource(text, file);
        assert.deepStrictEqual(
          result.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.column + 1} ${d.message}`),
          [],
        );
      });

      it('explains itself in comments and asserts what it teaches', () => {
        const lines = text.split('\n');
        const comments = lines.filter((l) => /^\s*\/\//.test(l)).length;
        assert.ok(comments >= 10, `${file} has only ${comments} comment lines`);
        assert.match(text, /^expect /m, `${file} has no expect`);
        assert.match(text, /=> /, `${file} asserts no outcome`);
      });
    });
  }
});
