import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Interpreter } from '../../src/scenario/interpreter';

const EXAMPLES = path.resolve(__dirname, '../../../examples');

describe('the teaching examples', () => {
  const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.mmu'));

  it('are at least ten', () => {
    assert.ok(files.length >= 10, `only ${files.length} examples`);
  });

  for (const file of files) {
    it(`${file} runs to its end with every step passing`, () => {
      const text = fs.readFileSync(path.join(EXAMPLES, file), 'utf8');
      const started = Interpreter.start(text, file);
      assert.ok(started.interpreter, started.diagnostics.map((d) => d.message).join('\n'));
      const interpreter = started.interpreter;
      const failures: string[] = [];
      let steps = 0;
      while (!interpreter.finished) {
        const report = interpreter.step();
        steps++;
        if (report.failed) failures.push(`line ${report.range.start.line + 1}: ${report.message ?? ''}`);
      }
      assert.deepStrictEqual(failures, []);
      // Two examples end by showing a kernel panic (asserted, so no step failed); none may run away.
      assert.notStrictEqual(interpreter.finishedReason, 'budget');
      assert.ok(steps > 5, 'an example has more than a handful of steps');
      assert.deepStrictEqual(interpreter.machine.verifyInvariants(), []);
    });
  }
});
