import * as assert from 'assert';
import { dataId, hitConditionMet, matchException, parseDataId, parseHitCondition } from './breakpoints';
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

  it('round-trips data ids and refuses malformed ones', () => {
    const target = { spaceKey: 'v:3', start: 0x10000, length: 16 };
    assert.deepStrictEqual(parseDataId(dataId(target)), target);
    assert.deepStrictEqual(parseDataId('p:0x1000:4096'), { spaceKey: 'p', start: 0x1000, length: 4096 });
    for (const bad of ['v:x:0x10:1', 'p:0x10:0', 'p:10:1', 'mem', ''])
      assert.strictEqual(parseDataId(bad), null, bad);
  });

  it('matches the most severe enabled exception filter of a step', () => {
    const all = new Set(['failed_step', 'crash', 'zero_fault', 'cow_fault']);
    assert.strictEqual(matchException(report('crash', ['zero_fault'], true), all), 'crash');
    assert.strictEqual(matchException(report('crash', [], true), new Set(['failed_step'])), 'failed_step');
    assert.strictEqual(matchException(report('cow_fault', ['cow_fault'], false), all), 'cow_fault');
    assert.strictEqual(matchException(report('ok', [], false), all), null);
    assert.strictEqual(matchException(report('inode_fault', ['inode_fault'], false), all), null);
  });
});
