import * as assert from 'assert';
import { type HistoryChunk, RunProgress, SearchSlices, chunksDown, chunksUp } from './longRuns';

const walk = (chunks: Iterable<HistoryChunk>): string[] =>
  [...chunks].map((c) => `${c.lower}..${c.upper}${c.first ? '*' : ''}`);

describe('long runs', () => {
  it('walks the history down from a position, chunk by chunk between checkpoints', () => {
    const checkpoints = [0, 10, 20, 30];
    assert.deepStrictEqual(walk(chunksDown(checkpoints, 25)), ['20..25*', '10..20', '0..10']);
    assert.deepStrictEqual(walk(chunksDown(checkpoints, 20)), ['20..20*', '10..20', '0..10']);
    assert.deepStrictEqual(walk(chunksDown(checkpoints, 45)), ['30..45*', '20..30', '10..20', '0..10']);
    assert.deepStrictEqual(walk(chunksDown(checkpoints, 0)), ['0..0*']);
    assert.deepStrictEqual(walk(chunksDown(checkpoints, -1)), []);
    assert.deepStrictEqual(walk(chunksDown([0], 7)), ['0..7*']);
  });

  it('walks the history up from a position to the furthest, chunk by chunk between checkpoints', () => {
    const checkpoints = [0, 10, 20, 30];
    assert.deepStrictEqual(walk(chunksUp(checkpoints, 5, 34)), ['5..10*', '10..20', '20..30', '30..34']);
    assert.deepStrictEqual(walk(chunksUp(checkpoints, 10, 30)), ['10..20*', '20..30']);
    assert.deepStrictEqual(walk(chunksUp(checkpoints, 12, 15)), ['12..15*']);
    assert.deepStrictEqual(walk(chunksUp(checkpoints, 30, 30)), []);
  });

  it('lets the event loop in between slices and tells a search that a pause came meanwhile', async () => {
    let paused = false;
    const progress = new RunProgress('test', () => undefined);
    const slices = new SearchSlices(
      progress,
      () => paused,
      (position) => ({ message: `at ${position}` }),
    );
    setImmediate(() => (paused = true));
    // Work until the slice ends; the break that follows lets the pause in.
    let position = 0;
    while (!slices.sliceOver) position++;
    assert.strictEqual(await slices.pausedAt(position), true);
  });
});
