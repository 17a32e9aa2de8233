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
    // Undo records take the state back without any of them, unless switched off or over budget.
    const variants = [0, 1e9].flatMap((replayFactor) =>
      [0, 400, undefined].map((maxUndoNotes) => ({ replayFactor, maxUndoNotes })),
    );
    for (const { replayFactor, maxUndoNotes } of variants) {
      const fresh = start('examples/02-fork-copy-on-write.mmu');
      const timeline = new Timeline(fresh, {
        replayFactor,
        maxStepsBetweenCheckpoints: replayFactor === 0 ? 1 : 1000,
        ...(maxUndoNotes === undefined ? {} : { maxUndoNotes }),
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
        assert.strictEqual(
          JSON.stringify(fresh.machine.dumpState()),
          states[target],
          `state at ${target} (replay factor ${replayFactor}, undo budget ${maxUndoNotes})`,
        );
        assert.deepStrictEqual(fresh.machine.verifyInvariants(), []);
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

  it('steps back through undo records, without restoring a checkpoint, and forward again by replay', () => {
    const interpreter = start('examples/02-fork-copy-on-write.mmu');
    const timeline = new Timeline(interpreter, { replayFactor: 1e9, maxStepsBetweenCheckpoints: 1000 });
    const states: string[] = [JSON.stringify(interpreter.machine.dumpState())];
    for (let i = 0; i < 20; i++) {
      timeline.stepForward();
      states.push(JSON.stringify(interpreter.machine.dumpState()));
    }
    assert.deepStrictEqual(timeline.checkpointPositions, [0]);
    assert.deepStrictEqual(timeline.undoablePositions.slice(0, 3), [19, 18, 17]);
    let restores = 0;
    const restore = interpreter.restore.bind(interpreter);
    interpreter.restore = (snapshot) => {
      restores++;
      restore(snapshot);
    };
    const parent = interpreter.machine.process(1);
    for (let p = 19; p >= 8; p--) {
      timeline.seek(p);
      assert.strictEqual(JSON.stringify(interpreter.machine.dumpState()), states[p], `state at ${p}`);
    }
    assert.strictEqual(restores, 0, 'no checkpoint was restored');
    // Handles the interpreter holds still name the live objects.
    assert.strictEqual(interpreter.machine.process(1), parent);
    timeline.seek(20);
    assert.strictEqual(JSON.stringify(interpreter.machine.dumpState()), states[20]);
    assert.strictEqual(restores, 0);
  });

  it('keeps records for a bounded number of positions, the newest ones', () => {
    const interpreter = start('examples/02-fork-copy-on-write.mmu');
    const timeline = new Timeline(interpreter, {
      replayFactor: 1e9,
      maxStepsBetweenCheckpoints: 1000,
      maxUndoSteps: 4,
    });
    for (let i = 0; i < 12; i++) timeline.stepForward();
    assert.deepStrictEqual(timeline.undoablePositions, [11, 10, 9, 8]);
    timeline.seek(9);
    assert.deepStrictEqual(timeline.undoablePositions, [8]);
    const expected = JSON.stringify(interpreter.machine.dumpState());
    // Below the kept records the timeline goes through its checkpoint and replays.
    timeline.seek(2);
    timeline.seek(9);
    assert.strictEqual(JSON.stringify(interpreter.machine.dumpState()), expected);
  });
});
