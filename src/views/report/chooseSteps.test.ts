import * as assert from 'assert';
import { MAX_LISTED_STEPS, type StepCollector, parseStepList } from './chooseSteps';
import { collectRun } from './reportTestSupport';

/** Runs a scenario with a collector; `used` is the machine's used pages at each step. */
function run(text: string, asked: readonly number[] | null): { collector: StepCollector; used: number[] } {
  const used: number[] = [];
  const { collector } = collectRun(text, asked, (index, machine) => {
    used[index] = machine.counters().physicalPagesUsed;
  });
  return { collector, used };
}

const FAILING = `machine ram=64M
process p
expect 1 == 2
let a = mmap(p, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
expect a == 2
write p a, 1
`;

describe('choosing the report’s steps', () => {
  describe('a list of steps', () => {
    it('is comma-separated step numbers, returned in order', () => {
      assert.deepStrictEqual(parseStepList('0'), { steps: [0] });
      assert.deepStrictEqual(parseStepList('12,3,7'), { steps: [3, 7, 12] });
    });

    for (const [text, problem] of [
      ['', /not a comma-separated list/],
      ['1,,2', /not a comma-separated list/],
      ['1, 2', /not a comma-separated list/],
      ['-1', /not a comma-separated list/],
      ['1.5', /not a comma-separated list/],
      ['0x10', /not a comma-separated list/],
      ['3,', /not a comma-separated list/],
      ['12345678901', /not a comma-separated list/],
      ['4,2,4', /step 4 is listed twice/],
    ] as const) {
      it(`refuses '${text}'`, () => {
        const parsed = parseStepList(text);
        assert.ok('error' in parsed);
        assert.match(parsed.error, problem);
      });
    }

    it(`names at most ${MAX_LISTED_STEPS} steps`, () => {
      const many = Array.from({ length: MAX_LISTED_STEPS + 1 }, (_, i) => i).join(',');
      const parsed = parseStepList(many);
      assert.ok('error' in parsed);
      assert.match(parsed.error, /at most 32 steps/);
    });
  });

  it('captures each listed step as the run passes it, and only those', () => {
    const { collector, used } = run(FAILING, [1, 4, 5]);
    const finished = collector.finish();
    assert.ok(!('error' in finished));
    assert.notStrictEqual(used[4], used[5], 'step 5 allocates');
    for (const step of finished.steps)
      assert.strictEqual(
        step.state.counters.used,
        used[step.state.step.index],
        'the state when it was passed',
      );
    assert.deepStrictEqual(
      finished.steps.map((s) => [s.state.step.index, s.reasons]),
      [
        [1, ['asked']],
        [4, ['asked']],
        [5, ['asked']],
      ],
    );
    assert.strictEqual(finished.steps[1]!.state.step.line, 5);
    assert.strictEqual(finished.steps[2]!.state.step.outcome, 'zero_fault');
    assert.deepStrictEqual(finished.choice, { kind: 'asked' });
  });

  it('refuses a listed step past the end of the run', () => {
    const { collector } = run(FAILING, [2, 9]);
    const finished = collector.finish();
    assert.ok('error' in finished);
    assert.strictEqual(finished.error, 'step 9 is past the end of the run, whose last step is 5');
  });

  it('by default captures step 0, the failed steps and the last, with the failures in words', () => {
    const { collector } = run(FAILING, null);
    assert.deepStrictEqual(collectorSteps(collector), [
      [0, ['boot']],
      [2, ['failed']],
      [4, ['failed']],
      [5, ['last']],
    ]);
    const finished = collector.finish();
    assert.ok(!('error' in finished));
    assert.deepStrictEqual(finished.choice, { kind: 'default', failedSeen: 2, failedShown: 2 });
    assert.strictEqual(collector.failureCount, 2);
    assert.deepStrictEqual(
      collector.failures.map((f) => [f.step, f.line]),
      [
        [2, 3],
        [4, 5],
      ],
    );
    assert.match(collector.failures[0]!.message ?? '', /Expectation failed: 1 == 2/);
  });

  it('gives a step that is both failed and last both reasons, and an empty run one step', () => {
    const failedLast = collectorSteps(run('machine ram=64M\nexpect 1 == 2\n', null).collector);
    assert.deepStrictEqual(failedLast, [
      [0, ['boot']],
      [1, ['failed', 'last']],
    ]);
    assert.deepStrictEqual(collectorSteps(run('machine ram=64M\n', null).collector), [[0, ['boot', 'last']]]);
  });
});

function collectorSteps(collector: StepCollector): [number, readonly string[]][] {
  const finished = collector.finish();
  assert.ok(!('error' in finished));
  return finished.steps.map((s) => [s.state.step.index, s.reasons]);
}
