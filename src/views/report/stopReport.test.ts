import * as assert from 'assert';
import { ScenarioDebugger } from '../../debug/ScenarioDebugger';
import { StaleStepError, type StepView } from '../../debug/StepView';
import { Interpreter } from '../../scenario/interpreter';
import { stepSectionIds } from './reportTestSupport';
import { comparedStep, stopReport } from './stopReport';

const TEXT = `machine ram=64M
process p
expect 1 == 2
let buf = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
write p buf, 1
write p buf + PAGE_SIZE, 2
`;

/** A scenario under the real debugger, stopped before its first step; `view` is its latest stop. */
class Session {
  readonly debugger: ScenarioDebugger;
  view!: StepView;

  constructor() {
    const interpreter = Interpreter.start(TEXT, '/work/scenarios/test.mmu').interpreter;
    assert.ok(interpreter !== null);
    this.debugger = new ScenarioDebugger(interpreter, (event) => {
      if (event.kind === 'stopped') this.view = event.view;
    });
  }

  async next(count: number): Promise<void> {
    await this.debugger.start(true);
    for (let i = 0; i < count; i++) await this.debugger.run('next');
  }
}

describe('the step report of a debug session’s stop', () => {
  it('compares with the chosen earlier step, else the previous one', () => {
    assert.strictEqual(comparedStep(null, 4), 3);
    assert.strictEqual(comparedStep(1, 4), 1);
    assert.strictEqual(comparedStep(4, 4), 3, 'a chosen step at the stop is ignored, as the panels do');
    assert.strictEqual(comparedStep(7, 4), 3);
    assert.strictEqual(comparedStep(null, 0), null);
  });

  it('shows the stop and the step before it, without moving the session', async () => {
    const session = new Session();
    await session.next(5);
    const view = session.view;
    const html = stopReport(view, null, 'the tests');
    assert.ok(view.isCurrent, 'the session is still at its stop');
    assert.strictEqual(view.position, 5);
    assert.deepStrictEqual(stepSectionIds(html), ['step-4', 'step-5']);
    assert.match(html, /<title>MMU Lens step report: test\.mmu<\/title>/);
    assert.match(html, /5 steps run, 1 failed · 2 steps shown · made by the tests/, 'the run is at its end');
    assert.match(html, /Shown: the debug session’s current stop and the step the panels compare it with\./);
    assert.match(html, /<a href="#step-4">Step 4<\/a> — the step the panels compare with/);
    assert.match(html, /<a href="#step-5">Step 5<\/a> \(line 6\) — the current stop/);
    assert.match(html, /<li>step 2<\/li>/, 'an earlier failure is known by its step only');
    // The stop says what it did; the earlier step is shown by its state.
    assert.match(html, /<pre class="statement">write p buf \+ PAGE_SIZE, 2<\/pre>/);
    assert.match(html, /keeps what a step did for its current stop only/);
    // Step 4 wrote the first page, step 5 the second: the strips tell the states apart.
    assert.match(html, /aria-label="Pages of buf: R×1 L×1"/);
    assert.match(html, /aria-label="Pages of buf: R×2"/);
    assert.match(html, /Changes from step 4 to step 5/);
  });

  it('compares with the step chosen in the panels, and shows step 0 alone', async () => {
    const session = new Session();
    await session.next(5);
    assert.deepStrictEqual(stepSectionIds(stopReport(session.view, 1, 'the tests')), ['step-1', 'step-5']);
    const atBoot = new Session();
    await atBoot.next(0);
    const html = stopReport(atBoot.view, null, 'the tests');
    assert.deepStrictEqual(stepSectionIds(html), ['step-0']);
    assert.match(html, /The machine has booted; no statement has run yet\./);
  });

  it('refuses a stop the session has left', async () => {
    const session = new Session();
    await session.next(2);
    const old = session.view;
    assert.match(stopReport(old, null, 'the tests'), /2 steps recorded so far, 1 failed/);
    await session.debugger.run('next');
    assert.throws(() => stopReport(old, null, 'the tests'), StaleStepError);
  });
});
