// The scenarios of docs/kernel-behaviour.md: each shows one decision order or quirk of SerenityOS
// that MMU Lens reproduces, and asserts it step by step. Each must check clean and run with every
// step passing, and the document must name every one of them (and no other).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkSource } from './checker';
import { Interpreter } from './interpreter';

const ROOT = path.resolve(__dirname, '../../..');
const SCENARIO_DIR = path.join(ROOT, 'test/kernel-behaviour');
const DOCUMENT = path.join(ROOT, 'docs/kernel-behaviour.md');
const files = fs
  .readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.mmu'))
  .sort();

describe('the kernel-behaviour scenarios', () => {
  it('are each named by docs/kernel-behaviour.md, which names no other', () => {
    const text = fs.readFileSync(DOCUMENT, 'utf8');
    const linked = new Set(
      [...text.matchAll(/\(\.\.\/test\/kernel-behaviour\/([\w-]+\.mmu)\)/g)].map((m) => m[1]!),
    );
    assert.deepStrictEqual([...linked].sort(), files);
  });

  for (const file of files) {
    it(`${file} checks clean and passes every step`, () => {
      const text = fs.readFileSync(path.join(SCENARIO_DIR, file), 'utf8');
      assert.deepStrictEqual(
        checkSource(text, file).diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`),
        [],
      );
      const started = Interpreter.start(text, file);
      assert.ok(started.interpreter, started.diagnostics.map((d) => d.message).join('; '));
      const failures: string[] = [];
      let steps = 0;
      while (!started.interpreter.finished) {
        const report = started.interpreter.step();
        steps++;
        if (report.failed) failures.push(`line ${report.range.start.line + 1}: ${report.message}`);
      }
      assert.deepStrictEqual(failures, []);
      assert.ok(steps >= 1);
    });
  }
});
