import * as assert from 'assert';
import { Debouncer, Timers } from './debounce';

/** Timers driven by hand: `tick(ms)` runs what is due. */
class ManualTimers implements Timers {
  private now = 0;
  private nextId = 1;
  private readonly due = new Map<number, { at: number; callback: () => void }>();
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.due.set(id, { at: this.now + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }
  tick(ms: number): void {
    this.now += ms;
    for (const [id, entry] of [...this.due]) {
      if (entry.at <= this.now) {
        this.due.delete(id);
        entry.callback();
      }
    }
  }
}

describe('the debouncer', () => {
  const setup = (delay = 250) => {
    const timers = new ManualTimers();
    const runs: string[] = [];
    const debouncer = new Debouncer<string>(
      () => delay,
      (key) => runs.push(key),
      timers,
    );
    return { timers, runs, debouncer };
  };

  it('runs once, the delay after the last of a burst', () => {
    const { timers, runs, debouncer } = setup();
    debouncer.schedule('a');
    timers.tick(200);
    debouncer.schedule('a');
    timers.tick(200);
    assert.deepStrictEqual(runs, []);
    timers.tick(50);
    assert.deepStrictEqual(runs, ['a']);
  });

  it('keeps keys apart', () => {
    const { timers, runs, debouncer } = setup();
    debouncer.schedule('a');
    debouncer.schedule('b');
    timers.tick(250);
    assert.deepStrictEqual(runs.sort(), ['a', 'b']);
  });

  it('flushes and cancels', () => {
    const { timers, runs, debouncer } = setup();
    debouncer.schedule('a');
    debouncer.flush('a');
    debouncer.flush('a');
    debouncer.schedule('b');
    debouncer.cancel('b');
    timers.tick(1000);
    assert.deepStrictEqual(runs, ['a']);
    assert.strictEqual(debouncer.isPending('a'), false);
  });

  it('runs at once with a delay of 0', () => {
    const { runs, debouncer } = setup(0);
    debouncer.schedule('a');
    assert.deepStrictEqual(runs, ['a']);
  });

  it('drops everything pending when disposed', () => {
    const { timers, runs, debouncer } = setup();
    debouncer.schedule('a');
    debouncer.dispose();
    timers.tick(1000);
    assert.deepStrictEqual(runs, []);
  });
});
