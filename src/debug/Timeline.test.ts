import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Interpreter, type StepReport } from '../scenario/interpreter';
import { StaleStepError } from './StepView';
import { Timeline, type TimelineOptions } from './Timeline';

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

  it('puts the Accessed and Dirty bits back exactly when it steps back, by undo and by checkpoint', () => {
    // 02-fork-copy-on-write.mmu writes, forks (the parent's PTE keeps A and D) and copies on write.
    for (const replayFactor of [0, 1e9]) {
      const interpreter = start('examples/02-fork-copy-on-write.mmu');
      const timeline = new Timeline(interpreter, {
        replayFactor,
        maxStepsBetweenCheckpoints: replayFactor === 0 ? 1 : 1000,
      });
      const ptes = (): string => {
        const machine = interpreter.machine;
        const rows: string[] = [];
        for (const pid of [1, 2]) {
          const p = machine.process(pid);
          if (p === null || !p.alive) continue;
          for (const region of p.space.regions)
            for (let i = 0; i < region.pageCount; i++)
              rows.push(String(machine.pte(p, region.base + i * 4096)?.raw ?? 'none'));
        }
        return rows.join(' ');
      };
      const seen: string[] = [ptes()];
      while (!interpreter.finished) {
        timeline.stepForward();
        seen.push(ptes());
      }
      const marked = seen
        .flatMap((row) => row.split(' '))
        .filter((raw) => raw !== 'none' && (BigInt(raw) & 0x60n) === 0x60n);
      assert.ok(marked.length > 0, 'some PTE had Accessed and Dirty set');
      for (let position = seen.length - 1; position >= 0; position--) {
        timeline.seek(position);
        assert.strictEqual(ptes(), seen[position], `PTEs at ${position} (replay factor ${replayFactor})`);
      }
    }
  });

  it('keeps about a dozen bytes a step and no report but the ones it can undo to', () => {
    const interpreter = start('examples/02-fork-copy-on-write.mmu');
    const timeline = new Timeline(interpreter, { maxUndoSteps: 4 });
    while (!interpreter.finished) timeline.stepForward();
    const stats = timeline.stats();
    assert.strictEqual(stats.steps, timeline.furthest);
    assert.strictEqual(stats.undoPositions, 4);
    // The step log's first chunk starts at 1024 steps of 12 bytes.
    assert.ok(stats.stepLogBytes <= 1024 * 12, `${stats.stepLogBytes} bytes for ${stats.steps} steps`);
    const last = timeline.furthest;
    assert.ok(timeline.report(last) !== undefined);
    assert.strictEqual(timeline.report(1), undefined);
    // The compact record still knows every step.
    const first = timeline.steps.summary(1);
    assert.strictEqual(interpreter.statementAt(first.statement)?.kind, 'process');
    assert.strictEqual(first.outcome, 'ok');
  });

  it('gives the report of the step that led to a position, however it got there', () => {
    const reference = start('examples/02-fork-copy-on-write.mmu');
    const reports = [];
    while (!reference.finished) reports.push(reference.step());
    const describe = (r: StepReport | undefined): string =>
      JSON.stringify(r === undefined ? null : [r.index, r.outcome, r.statement.range, r.events, r.output]);
    const interpreter = start('examples/02-fork-copy-on-write.mmu');
    const timeline = new Timeline(interpreter, { maxUndoSteps: 6, replayUndoTail: 3 });
    while (!interpreter.finished) timeline.stepForward();
    // Undo (near the end), restore and replay (far back), replay forward, then undo again.
    for (const target of [reports.length - 2, reports.length - 5, 3, 9, 8, 7, 1, reports.length]) {
      timeline.seek(target);
      assert.strictEqual(describe(timeline.lastReport), describe(reports[target - 1]), `report at ${target}`);
    }
    timeline.seek(0);
    assert.strictEqual(timeline.lastReport, undefined);
  });

  it('spaces checkpoints by replay time, and by memory when they are large', () => {
    const positions = (options: TimelineOptions): number[] => {
      // A clock that moves 1 ms at every reading: a step (two readings) takes 1 ms, and so does a checkpoint.
      let t = 0;
      const interpreter = start('test/dap/fixtures/loop.mmu');
      const timeline = new Timeline(interpreter, { now: () => t++, maxUndoSteps: 8, ...options });
      for (let i = 0; i < 300 && !interpreter.finished; i++) timeline.stepForward();
      return timeline.checkpointPositions;
    };
    const gaps = (list: number[]): number[] => list.slice(1).map((p, i) => p - list[i]!);
    // Memory no object: a checkpoint after every 20 ms of steps.
    const byTime = positions({ replayTargetMs: 20, checkpointBytesPerStep: 1e12 });
    assert.ok(byTime.length > 10);
    for (const gap of gaps(byTime)) assert.strictEqual(gap, 20);
    // Large checkpoints wait until enough steps share their size...
    const bytes = (start('test/dap/fixtures/loop.mmu').snapshot() as { bytes: number }).bytes;
    const byMemory = positions({ replayTargetMs: 20, checkpointBytesPerStep: bytes / 50 });
    for (const gap of gaps(byMemory)) assert.ok(gap >= 45 && gap <= 55, `gap ${gap}`);
    // ...but never past the replay bound.
    const bounded = positions({ replayTargetMs: 20, maxReplayMs: 30, checkpointBytesPerStep: bytes / 50 });
    for (const gap of gaps(bounded)) assert.strictEqual(gap, 30);
  });

  it('shows an earlier step through its undo records and leaves the current state object for object', () => {
    const interpreter = start('examples/02-fork-copy-on-write.mmu');
    const timeline = new Timeline(interpreter);
    const states: string[] = [JSON.stringify(interpreter.machine.dumpState())];
    for (let i = 0; i < 20; i++) {
      timeline.stepForward();
      states.push(JSON.stringify(interpreter.machine.dumpState()));
    }
    const view = timeline.view();
    const processes = interpreter.machine.processes();
    const globals = interpreter.globals();
    let restores = 0;
    const restore = interpreter.restore.bind(interpreter);
    interpreter.restore = (snapshot) => {
      restores++;
      restore(snapshot);
    };
    for (const step of [19, 12, 0, 20]) {
      const seen = view.atStep(step, (inspector) => {
        assert.strictEqual(view.isCurrent, step === 20, 'the current view is stale while another step shows');
        return JSON.stringify(inspector.machine.dumpState());
      });
      assert.strictEqual(seen, states[step], `state of step ${step}`);
    }
    assert.strictEqual(restores, 0);
    assert.ok(view.isCurrent);
    assert.strictEqual(JSON.stringify(view.inspector.machine.dumpState()), states[20]);
    assert.deepStrictEqual(interpreter.machine.processes(), processes);
    interpreter.machine.processes().forEach((p, i) => assert.strictEqual(p, processes[i]));
    interpreter.globals().forEach(([name, value], i) => {
      assert.strictEqual(name, globals[i]![0]);
      assert.strictEqual(value, globals[i]![1]);
    });
    assert.deepStrictEqual(interpreter.machine.verifyInvariants(), []);
  });

  it('shows a step beyond its undo records on a second interpreter, edits included', () => {
    const interpreter = start('examples/02-fork-copy-on-write.mmu');
    const timeline = new Timeline(interpreter, {
      maxUndoSteps: 2,
      replayFactor: 0,
      maxStepsBetweenCheckpoints: 7,
    });
    for (let i = 0; i < 4; i++) timeline.stepForward();
    const frame = 300;
    timeline.edit((it) => it.machine.memoryManager.contents.writeByte(frame, 0, 0x5a));
    const states: string[] = [];
    for (let i = 0; i < 16; i++) {
      states[timeline.position] = JSON.stringify(interpreter.machine.dumpState());
      timeline.stepForward();
    }
    const current = JSON.stringify(interpreter.machine.dumpState());
    const view = timeline.view();
    for (const step of [4, 5, 9, 14]) {
      const seen = view.atStep(step, (inspector) => JSON.stringify(inspector.machine.dumpState()));
      assert.strictEqual(seen, states[step], `state of step ${step}`);
      assert.ok(view.isCurrent, 'a second interpreter leaves this one current');
    }
    assert.strictEqual(
      view.atStep(4, (i) => i.machine.ppeek(frame * 4096)),
      0x5an,
    );
    assert.strictEqual(JSON.stringify(interpreter.machine.dumpState()), current);
  });

  it('replays the history on a second interpreter that walks on step by step, edits included', () => {
    const interpreter = start('examples/02-fork-copy-on-write.mmu');
    const timeline = new Timeline(interpreter, { replayFactor: 0, maxStepsBetweenCheckpoints: 5 });
    const states: string[] = [JSON.stringify(interpreter.machine.dumpState())];
    const frame = 300;
    for (let i = 0; i < 14; i++) {
      timeline.stepForward();
      if (i === 6) timeline.edit((it) => it.machine.memoryManager.contents.writeByte(frame, 1, 0x77));
      states.push(JSON.stringify(interpreter.machine.dumpState()));
    }
    const here = states[14];
    let restores = 0;
    const restore = interpreter.restore.bind(interpreter);
    interpreter.restore = (snapshot) => {
      restores++;
      restore(snapshot);
    };
    const replay = timeline.replayFrom(3);
    assert.strictEqual(replay.position, 3);
    assert.strictEqual(JSON.stringify(replay.machine.dumpState()), states[3]);
    for (let p = 4; p <= 14; p++) {
      replay.advance();
      assert.strictEqual(replay.position, p);
      assert.strictEqual(JSON.stringify(replay.machine.dumpState()), states[p], `replayed state at ${p}`);
    }
    assert.strictEqual(replay.machine.ppeek(frame * 4096 + 1), 0x77n, 'the edit of position 7 was replayed');
    assert.throws(() => replay.advance(), RangeError, 'nothing was recorded past the furthest position');
    assert.strictEqual(restores, 0);
    assert.strictEqual(timeline.position, 14);
    assert.strictEqual(JSON.stringify(interpreter.machine.dumpState()), here);
    assert.throws(() => timeline.replayFrom(15), RangeError);
    // An edit makes another history: a replay of the old one stops rather than mix the two.
    const stale = timeline.replayFrom(10);
    timeline.edit((it) => it.machine.memoryManager.contents.writeByte(frame, 2, 0x78));
    assert.throws(() => stale.advance(), /edited/);
  });

  it('makes a view stale as soon as the session moves, and a stale view refuses to answer', () => {
    const interpreter = start('examples/02-fork-copy-on-write.mmu');
    const timeline = new Timeline(interpreter);
    timeline.stepForward();
    const view = timeline.view();
    assert.strictEqual(view.position, 1);
    assert.ok(view.report !== null);
    const revision = view.revision;
    timeline.stepForward();
    assert.strictEqual(view.isCurrent, false);
    assert.throws(() => view.inspector.machine, StaleStepError);
    assert.throws(() => view.atStep(0, () => 0), StaleStepError);
    const next = timeline.view();
    assert.strictEqual(next.revision, revision, 'stepping keeps the history');
    timeline.edit(() => undefined);
    assert.notStrictEqual(timeline.view().revision, revision, 'an edit changes it');
    assert.throws(() => next.inspector.machine, StaleStepError);
  });

  it('gives its steps in bulk and the lines of its statements, while the view is current', () => {
    const interpreter = start('examples/02-fork-copy-on-write.mmu');
    const timeline = new Timeline(interpreter);
    while (!interpreter.finished) timeline.stepForward();
    const view = timeline.view();
    const records = view.records(1, view.furthest);
    for (let step = 1; step <= view.furthest; step++) {
      const summary = view.summary(step);
      assert.strictEqual(records.statements[step - 1], summary.statement);
      assert.strictEqual(records.eventKinds[step - 1], summary.eventKinds);
    }
    const fork = interpreter.sourceText.split('\n').findIndex((line) => line.startsWith('fork parent'));
    const forkStep = [...records.statements].findIndex((statement) => view.statementLine(statement) === fork);
    assert.ok(forkStep >= 0, 'no step ran the fork');
    assert.strictEqual(view.statementLine(-1), -1);
    timeline.seek(3);
    assert.throws(() => view.records(1, 1), StaleStepError);
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
