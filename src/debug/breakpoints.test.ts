import * as assert from 'assert';
import { KERNEL_PT1024_BASE, MiB } from '../engine/constants';
import { KERNEL_SPACE, processSpace, virtualMemory } from '../protocol/addressSpaces';
import { dataChange, hitConditionMet, matchException, parseHitCondition } from './breakpoints';
import { evaluate, runScenario } from '../views/stateTestSupport';
import type { StepReport } from './scenarioTypes';

const report = (outcome: string, faults: string[], failed: boolean): StepReport =>
  ({ outcome, faults, failed }) as unknown as StepReport;

describe('breakpoints', () => {
  it('reads hit counts as N, ==N, >N, >=N, <N, <=N and %N', () => {
    assert.deepStrictEqual(parseHitCondition('3'), { operator: '==', count: 3 });
    assert.deepStrictEqual(parseHitCondition(' >= 2 '), { operator: '>=', count: 2 });
    assert.strictEqual(parseHitCondition('%0'), null);
    assert.strictEqual(parseHitCondition('often'), null);
    const every2 = parseHitCondition('%2')!;
    assert.deepStrictEqual(
      [1, 2, 3, 4].map((h) => hitConditionMet(every2, h)),
      [false, true, false, true],
    );
  });

  it('matches the most severe enabled exception filter of a step', () => {
    const all = new Set(['failed_step', 'crash', 'zero_fault', 'cow_fault']);
    assert.strictEqual(matchException(report('crash', ['zero_fault'], true), all), 'crash');
    assert.strictEqual(matchException(report('crash', [], true), new Set(['failed_step'])), 'failed_step');
    assert.strictEqual(matchException(report('cow_fault', ['cow_fault'], false), all), 'cow_fault');
    assert.strictEqual(matchException(report('ok', [], false), all), null);
    assert.strictEqual(matchException(report('inode_fault', ['inode_fault'], false), all), null);
  });

  it('sees a step touch a watched range through the events of that very address space', () => {
    const run = runScenario(`machine ram=64M
process p
let buf = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
write p buf, 1                 => zero_fault
`);
    const buf = Number(evaluate(run, 'buf'));
    const write = run.reports[2]!;
    const watch = (space: ReturnType<typeof virtualMemory>, start: number, length: number): string | null =>
      dataChange(run.machine, { space, start, length }, write.events, null);
    assert.match(watch(virtualMemory(processSpace(1)), buf, 8) ?? '', /fault at|PTE of/);
    assert.strictEqual(watch(virtualMemory(processSpace(2)), buf, 8), null);
    // The zero fill maps its page through the kernel's quickmap window; pid 0 is not the kernel.
    const window = [KERNEL_PT1024_BASE, 2 * MiB] as const;
    assert.match(watch(virtualMemory(KERNEL_SPACE), ...window) ?? '', /PTE of/);
    assert.strictEqual(watch(virtualMemory(processSpace(0)), ...window), null);
  });
});
