import * as assert from 'assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  children,
  numberOf,
  useClientPerTest,
  evaluate,
  fixture,
  launchAndStop,
  scope,
  stopAfter,
  topFrame,
} from './support';

const FORK = fixture('fork.mmu');

describe('DAP: execution control', function () {
  this.timeout(60000);
  let dc: DebugClient;

  useClientPerTest(
    () => dc,
    (client) => (dc = client),
  );

  it('stops on entry before the first step', async () => {
    const stopped = await launchAndStop(dc, FORK, { stopOnEntry: true });
    assert.strictEqual(stopped.body.reason, 'entry');
    assert.strictEqual((await topFrame(dc)).line, 3);
  });

  it('steps into a proc, out of it, and over a whole call with next; frames follow', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 15 }] });
    let trace = await dc.stackTraceRequest({ threadId: 1 });
    assert.deepStrictEqual(
      trace.body.stackFrames.map((f) => [f.name, f.line]),
      [
        ['repeat i = 1 (of 1..3)', 15],
        ['scenario', 14],
      ],
    );
    await stopAfter(dc, () => dc.stepInRequest({ threadId: 1 }));
    trace = await dc.stackTraceRequest({ threadId: 1 });
    assert.deepStrictEqual(
      trace.body.stackFrames.map((f) => f.line),
      [7, 15, 14],
    );
    assert.strictEqual(trace.body.stackFrames[0]!.name, 'touch(parent, 1)');
    const locals = await children(dc, await scope(dc, 'Locals'));
    assert.deepStrictEqual(
      locals.map((v) => [v.name, v.value]),
      [
        ['p', locals[0]!.value],
        ['i', '1'],
      ],
    );
    await stopAfter(dc, () => dc.stepOutRequest({ threadId: 1 }));
    trace = await dc.stackTraceRequest({ threadId: 1 });
    assert.strictEqual(trace.body.stackFrames[0]!.name, 'repeat i = 2 (of 1..3)');
    assert.strictEqual(trace.body.stackFrames[0]!.line, 15);
    await dc.setBreakpointsRequest({ source: { path: FORK }, breakpoints: [] });
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    assert.strictEqual((await topFrame(dc)).line, 17, 'next ran the whole call of touch');
  });

  it('steps back across a copy-on-write fault and a fork, to exactly the earlier state', async () => {
    await launchAndStop(dc, FORK, { stopOnEntry: true });
    for (let i = 0; i < 4; i++) await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    assert.strictEqual((await topFrame(dc)).line, 13);
    const shared = await evaluate(dc, 'translate(parent, buf)');
    assert.strictEqual(await evaluate(dc, 'page(translate(parent, buf)).ref_count'), '2');
    assert.strictEqual(await evaluate(dc, 'pte(parent, buf).writable'), 'false');
    const usedAfterFork = await evaluate(dc, 'MM.physical_pages_used');
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    assert.strictEqual(await evaluate(dc, 'page(translate(parent, buf)).ref_count'), '1');
    assert.strictEqual(await evaluate(dc, 'translate(child, buf) != translate(parent, buf)'), 'true');
    const back = await stopAfter(dc, () => dc.stepBackRequest({ threadId: 1 }));
    assert.strictEqual(back.body.reason, 'step');
    assert.strictEqual((await topFrame(dc)).line, 13);
    assert.strictEqual(await evaluate(dc, 'page(translate(parent, buf)).ref_count'), '2');
    assert.strictEqual(await evaluate(dc, 'translate(child, buf)'), shared);
    assert.strictEqual(await evaluate(dc, 'MM.physical_pages_used'), usedAfterFork);
    await stopAfter(dc, () => dc.stepBackRequest({ threadId: 1 }));
    assert.strictEqual((await topFrame(dc)).line, 12, 'before the fork');
    const processes = await children(dc, await scope(dc, 'Processes'));
    assert.deepStrictEqual(
      processes.map((p) => p.name),
      ['parent'],
    );
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    assert.deepStrictEqual(
      (await children(dc, await scope(dc, 'Processes'))).map((p) => p.name),
      ['parent', 'child'],
    );
    assert.strictEqual(
      await evaluate(dc, 'translate(child, buf)'),
      shared,
      'the replayed fork is the same fork',
    );
  });

  it('steps back over a whole proc call, the way next steps over it', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 17 }] });
    await stopAfter(dc, () => dc.stepBackRequest({ threadId: 1 }));
    let frame = await topFrame(dc);
    assert.deepStrictEqual([frame.line, frame.name], [15, 'repeat i = 2 (of 1..3)']);
    await stopAfter(dc, () => dc.stepBackRequest({ threadId: 1 }));
    frame = await topFrame(dc);
    assert.deepStrictEqual([frame.line, frame.name], [15, 'repeat i = 1 (of 1..3)']);
  });

  it('runs backwards to breakpoints, then to the start', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 19 }] });
    await dc.setBreakpointsRequest({ source: { path: FORK }, breakpoints: [{ line: 7 }] });
    let stopped = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.strictEqual(stopped.body.reason, 'breakpoint');
    assert.strictEqual((await topFrame(dc)).name, 'touch(parent, 2)');
    stopped = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.strictEqual((await topFrame(dc)).name, 'touch(parent, 1)');
    stopped = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.strictEqual(stopped.body.reason, 'entry');
    assert.strictEqual((await topFrame(dc)).line, 3);
  });

  it('offers every earlier visit of a line as a goto target and jumps there', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 17 }] });
    const targets = await dc.gotoTargetsRequest({ source: { path: FORK }, line: 15 });
    assert.strictEqual(targets.body.targets.length, 2);
    const stopped = await stopAfter(dc, () =>
      dc.gotoRequest({ threadId: 1, targetId: targets.body.targets[0]!.id }),
    );
    assert.strictEqual(stopped.body.reason, 'goto');
    const frame = await topFrame(dc);
    assert.deepStrictEqual([frame.line, frame.name], [15, 'repeat i = 1 (of 1..3)']);
    assert.strictEqual(await evaluate(dc, 'i'), '1');
    assert.strictEqual(
      (await dc.gotoTargetsRequest({ source: { path: FORK }, line: 19 })).body.targets.length,
      0,
    );
  });

  it('offers the goto targets of a loop line nearest the current step, and says how many there are', async () => {
    const loop = fixture('loop.mmu');
    await launchAndStop(dc, loop, { breakpoints: [{ line: 6 }] });
    const targets = (await dc.gotoTargetsRequest({ source: { path: loop }, line: 4 })).body.targets;
    assert.strictEqual(targets.length, 100);
    assert.match(targets[0]!.label, /\(100 nearest of 500,000\)$/);
    // The nearest visits are the last passes of the loop, in order.
    const steps = targets.map((t) => Number(/after step (\d+)/.exec(t.label)![1]));
    assert.deepStrictEqual(
      steps,
      [...steps].sort((a, b) => a - b),
    );
    const stopped = await stopAfter(dc, () => dc.gotoRequest({ threadId: 1, targetId: targets[99]!.id }));
    assert.strictEqual(stopped.body.reason, 'goto');
    assert.match(await evaluate(dc, 'i'), /\(499999\)/);
  });

  it('travels to any step already reached as target step + 1, as the Timeline and bookmarks do', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 17 }] });
    let stopped = await stopAfter(dc, () => dc.gotoRequest({ threadId: 1, targetId: 1 }));
    assert.strictEqual(stopped.body.reason, 'goto');
    assert.strictEqual((await topFrame(dc)).line, 3);
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    const afterTwo = await topFrame(dc);
    await stopAfter(dc, () => dc.gotoRequest({ threadId: 1, targetId: 1 }));
    stopped = await stopAfter(dc, () => dc.gotoRequest({ threadId: 1, targetId: 3 }));
    assert.strictEqual(stopped.body.reason, 'goto');
    const back = await topFrame(dc);
    assert.deepStrictEqual([back.line, back.name], [afterTwo.line, afterTwo.name]);
    await assert.rejects(dc.gotoRequest({ threadId: 1, targetId: 100_000 }), /unknown goto target/);
  });

  it('stops at the end of the scenario, and terminates on the next continue', async () => {
    const stopped = await launchAndStop(dc, FORK);
    assert.strictEqual(stopped.body.reason, 'step');
    assert.match(stopped.body.description ?? '', /End of scenario/);
    const terminated = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    await terminated;
  });

  it('restarts from the beginning with the same breakpoints', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 13 }] });
    assert.strictEqual((await topFrame(dc)).line, 13);
    await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
    const stopped = await stopAfter(dc, () =>
      dc.restartRequest({ arguments: { program: FORK } } as DebugProtocol.RestartArguments),
    );
    assert.strictEqual(stopped.body.reason, 'breakpoint');
    assert.strictEqual((await topFrame(dc)).line, 13);
  });

  it('pauses a long loop and continues it', async () => {
    const loop = fixture('loop.mmu');
    const initialized = dc.waitForEvent('initialized');
    const launched = launchAndStop(dc, loop);
    await initialized;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await dc.pauseRequest({ threadId: 1 });
    const stopped = await launched;
    assert.strictEqual(stopped.body.reason, 'pause');
    const i = numberOf(await evaluate(dc, 'i'));
    assert.ok(i > 0 && i < 500000, `paused in the loop at i = ${i}`);
    await dc.continueRequest({ threadId: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await stopAfter(dc, () => dc.pauseRequest({ threadId: 1 }));
    assert.strictEqual(again.body.reason, 'pause');
    assert.ok(numberOf(await evaluate(dc, 'i')) > i);
  });
});
