import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Interpreter } from '../../src/scenario/interpreter';

// The walkthrough shows its media beside the steps in a narrow column: a code line longer than
// about fifty characters is clipped behind a horizontal scrollbar there, so the samples stay narrow.
// They are also real scenarios, so that what a newcomer copies from them runs.

const WALKTHROUGH = path.resolve(__dirname, '../../../media/walkthrough');
const WIDEST_CODE_LINE = 50;

function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? '');
}

describe('the walkthrough media', () => {
  const files = fs.readdirSync(WALKTHROUGH).filter((name) => name.endsWith('.md'));

  it('holds a scenario sample', () => {
    const blocks = files.flatMap((file) => codeBlocks(fs.readFileSync(path.join(WALKTHROUGH, file), 'utf8')));
    assert.ok(blocks.length > 0);
  });

  for (const file of files) {
    it(`${file} has code samples narrow enough to show without scrolling, and they run`, () => {
      for (const block of codeBlocks(fs.readFileSync(path.join(WALKTHROUGH, file), 'utf8'))) {
        for (const line of block.split('\n')) {
          assert.ok(line.length <= WIDEST_CODE_LINE, `${line.length} characters: ${line}`);
        }
        const started = Interpreter.start(block, file);
        assert.ok(started.interpreter, started.diagnostics.map((d) => d.message).join('\n'));
        const failures: string[] = [];
        while (!started.interpreter.finished) {
          const report = started.interpreter.step();
          if (report.failed) failures.push(report.message ?? '');
        }
        assert.deepStrictEqual(failures, []);
      }
    });
  }
});
