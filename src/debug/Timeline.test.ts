import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Interpreter } from '../scenario/interpreter';
import { Timeline } from './Timeline';

const root = path.resolve(__dirname, '..', '..', '..');

function start(file: string): Interpreter {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const started = Interpreter.start(text, file);
  if (started.interpreter === null) throw new Error(JSON.stringify(started.diagnostics));
  return started.interpreter;
}

describe('Timeline', () => {
  it('rebuilds the exact state of every position it reached, across fork, faults and a crash', () => {
    const interpreter = start('examples/02-fork-copy-on-write.mmu');
    // A tiny replay factor forces a checkpoint at nearly every step; a huge one forces replays.
    for (const replayFactor of [0, 1e9]) {
      const fresh = start('examples/02-fork-copy-on-write.mmu');
      const timeline = new Timeline(fresh, {
        replayFactor,
        maxStepsBetweenCheckpoints: replayFactor === 0 ? 1 : 1000,
      });
      const states: string[] = [JSON.stringify(fresh.machine.dumpState())];
      const globals: string[] = [JSON.stringify(fresh.globals().map(([n, v]) => [n, fresh.formatValue(v)]))];
      while (!fresh.finished) {
        timeline.stepForward();
        states.push(JSON.stringify(fresh.machine.dumpState()));
        globals.push(JSON.stringify(fresh.globals().map(([n, v]) => [n, fresh.formatValue(v)])));
      }
      assert.ok(states.length > 30);
      for (const target of [states.length - 2, 5, 0, 17, states.length - 1, 3]) {
        timeline.seek(target);
        assert.strictEqual(timeline.position, target);
        assert.strictEqual(JSON.stringify(fresh.machine.dumpState()), states[target], `state at ${target}`);
        assert.strictEqual(
          JSON.stringify(fresh.globals().map(([n, v]) => [n, fresh.formatValue(v)])),
          globals[target],
        );
      }
    }
    assert.ok(interpreter.stepCount === 0);
  });

  it('replays a user edit when it passes the position again and forgets the future after it', () => {
    const interpreter = start('examples/02-fork-copy-on-write.mmu');
    const timeline = new Timeline(interpreter, { replayFactor: 1e9, maxStepsBetweenCheckpoints: 1000 });
    for (let i = 0; i < 10; i++) timeline.stepForward();
    const frame = 300;
    timeline.edit((it) => {
      it.machine.memoryManager.contents.writeByte(frame, 0, 0x5a);
    });
    assert.strictEqual(timeline.furthest, 10);
    timeline.stepForward();
    timeline.seek(2);
    assert.strictEqual(interpreter.machine.ppeek(frame * 4096), 0n);
    timeline.seek(11);
    assert.strictEqual(interpreter.machine.ppeek(frame * 4096), 0x5an);
  });
});
