import * as assert from 'assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluate, fixture, numberOf, stopAfter, topFrame, useClientPerTest } from './support';

// Runs that last: the step budget and its stop, pausing a loop whose body has no step, and the
// progress a long run reports to a client that shows it. Nothing here is timed: each test checks
// that the adapter answers and what it answers.

const LOOP = fixture('loop.mmu');
const EMPTY_LOOP = fixture('empty-loop.mmu');

/** Launches with extra launch arguments (and initialize arguments) and waits for the first stop. */
async function launch(
  dc: DebugClient,
  args: Record<string, unknown>,
  initialize: Partial<DebugProtocol.InitializeRequestArguments> = {},
): Promise<DebugProtocol.StoppedEvent | null> {
  await dc.initializeRequest({
    adapterID: 'mmu',
    linesStartAt1: true,
    columnsStartAt1: true,
    pathFormat: 'path',
    ...initialize,
  });
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
    dc.launchRequest({ stopOnEntry: false, ...args } as DebugProtocol.LaunchRequestArguments),
  ]);
  return args['stopOnEntry'] === undefined || args['stopOnEntry'] === false ? stopped : null;
}

describe('DAP: long runs', function () {
  this.timeout(60000);
  let dc: DebugClient;

  useClientPerTest(
    () => dc,
    (client) => (dc = client),
  );

  it('stops where the step budget runs out, says why, and ends on the next continue', async () => {
    const errors: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'stderr') errors.push(e.body.output);
    });
    const stopped = (await launch(dc, { program: LOOP, stepBudget: 1000 }))!;
    assert.strictEqual(stopped.body.reason, 'exception');
    assert.strictEqual(stopped.body.description, 'Step budget exhausted');
    assert.match(stopped.body.text ?? '', /step budget of 1000 steps is exhausted/);
    assert.strictEqual((await topFrame(dc)).line, 4, 'the statement that would run next');
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.exceptionId, 'step_budget');
    assert.strictEqual(info.body.breakMode, 'always');
    assert.ok(
      errors.some((e) => /loop\.mmu:4:\d+: The step budget of 1000 steps/.test(e)),
      errors.join(''),
    );
    // The history is whole: one can still look back.
    await stopAfter(dc, () => dc.stepBackRequest({ threadId: 1 }));
    const terminated = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    await dc.continueRequest({ threadId: 1 });
    await terminated;
  });

  it('refuses a step budget that is not a positive integer', async () => {
    for (const stepBudget of [0, -5, 1.5, 'many', 2 ** 60]) {
      await dc.initializeRequest();
      await assert.rejects(
        dc.launchRequest({ program: LOOP, stepBudget } as unknown as DebugProtocol.LaunchRequestArguments),
        /'stepBudget' must be a (positive integer|number)/,
      );
    }
  });

  it('pauses inside a loop whose body has no step, answers meanwhile, and goes on from there', async () => {
    await launch(dc, { program: EMPTY_LOOP, stepBudget: 1e12, stopOnEntry: true });
    await dc.continueRequest({ threadId: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The run goes on in slices: other requests are answered while it runs.
    assert.strictEqual((await dc.threadsRequest()).body.threads.length, 1);
    const paused = await stopAfter(dc, () => dc.pauseRequest({ threadId: 1 }));
    assert.strictEqual(paused.body.reason, 'pause');
    const frame = await topFrame(dc);
    assert.strictEqual(frame.line, 3, 'on the repeat line');
    assert.match(frame.name, /^repeat i = \d+ \(of 0\.\.18446744073709551615\)$/);
    const i = numberOf(await evaluate(dc, 'i'));
    assert.ok(i > 0, `i = ${i}`);
    await dc.continueRequest({ threadId: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stopAfter(dc, () => dc.pauseRequest({ threadId: 1 }));
    assert.ok(numberOf(await evaluate(dc, 'i')) > i);
    // Stepping back goes to where the pause landed before.
    await stopAfter(dc, () => dc.stepBackRequest({ threadId: 1 }));
    assert.ok(numberOf(await evaluate(dc, 'i')) < numberOf(await evaluate(dc, 'i + 1')));
  });

  it('reports a long run’s progress to a client that shows it, and pauses when it is cancelled', async () => {
    const progress: string[] = [];
    for (const name of ['progressStart', 'progressUpdate', 'progressEnd'])
      dc.on(name, (e: DebugProtocol.Event) =>
        progress.push(`${name}:${(e.body as { progressId: string }).progressId}`),
      );
    await launch(
      dc,
      { program: EMPTY_LOOP, stepBudget: 1e12, stopOnEntry: true },
      { supportsProgressReporting: true },
    );
    await dc.continueRequest({ threadId: 1 });
    const start = (await dc.waitForEvent('progressStart')) as DebugProtocol.ProgressStartEvent;
    assert.strictEqual(start.body.title, 'Running the scenario');
    assert.strictEqual(start.body.cancellable, true);
    assert.match(start.body.message ?? '', /^step [\d,]+, line 3$/);
    const ended = dc.waitForEvent('progressEnd');
    const paused = await stopAfter(dc, () => dc.send('cancel', { progressId: start.body.progressId }));
    assert.strictEqual(paused.body.reason, 'pause');
    await ended;
    assert.strictEqual(progress[0], `progressStart:${start.body.progressId}`);
    assert.strictEqual(progress.at(-1), `progressEnd:${start.body.progressId}`);
  });

  it('sends no progress to a client that did not ask for it', async () => {
    const progress: string[] = [];
    dc.on('progressStart', () => progress.push('start'));
    const stopped = await launch(dc, { program: LOOP });
    assert.match(stopped!.body.description ?? '', /End of scenario/);
    assert.deepStrictEqual(progress, []);
  });
});
