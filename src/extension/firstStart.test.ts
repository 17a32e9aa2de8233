import * as assert from 'assert';
import { openWalkthroughOnce, ShownMemory, WALKTHROUGH_SHOWN_KEY } from './firstStart';

/** globalState as a plain map. */
function memory(initial: Record<string, unknown> = {}): ShownMemory & { values: Map<string, unknown> } {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
  };
}

describe('opening the walkthrough on the first start', () => {
  it('opens it on the first activation and remembers that it did', async () => {
    const state = memory();
    let opened = 0;
    assert.strictEqual(await openWalkthroughOnce(state, async () => opened++), true);
    assert.strictEqual(opened, 1);
    assert.strictEqual(state.values.get(WALKTHROUGH_SHOWN_KEY), true);
  });

  it('does not open it again on later activations', async () => {
    const state = memory();
    let opened = 0;
    await openWalkthroughOnce(state, async () => opened++);
    assert.strictEqual(await openWalkthroughOnce(state, async () => opened++), false);
    assert.strictEqual(opened, 1);
  });

  it('does not retry at every activation when opening failed', async () => {
    const state = memory();
    await assert.rejects(
      openWalkthroughOnce(state, () => Promise.reject(new Error('no workbench'))),
      /no workbench/,
    );
    let opened = 0;
    assert.strictEqual(await openWalkthroughOnce(state, async () => opened++), false);
    assert.strictEqual(opened, 0);
  });
});
