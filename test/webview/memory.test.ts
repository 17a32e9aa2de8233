// The Memory panel in headless Chromium against the fake host's synthetic memory (byte a holds
// a & 0xff): rows of hex and ASCII, `??` for unreadable bytes, changed bytes highlighted, go to
// address, paging, following the step, the narrow layout, and how it looks in each theme.
import * as assert from 'assert';
import type { FakeHostConfig } from './fakeHost';
import { nextStepState, processState } from './fixtures/machineStates';
import { hostFor, patch } from './fixtures/messages';
import { buildWebviewBundle, type OpenedView, type Theme, WebviewHarness } from './harness';

const MEMORY: NonNullable<FakeHostConfig['memory']> = {
  step: 3,
  unreadable: [['0x1000040', '0x1000050']],
  changed: [['0x1000004', '0x1000008']],
};

const host = (): FakeHostConfig => ({ ...hostFor(processState(3)), memory: MEMORY });

async function memoryRequests(view: OpenedView): Promise<Record<string, unknown>[]> {
  return (await view.posted()).filter((m) => m['type'] === 'requestMemory');
}

/** Waits until the panel has asked for `count` windows and drawn the last answer. */
async function waitForRequests(view: OpenedView, count: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 100; i++) {
    const requests = await memoryRequests(view);
    if (requests.length >= count) {
      const last = requests[requests.length - 1]!;
      await view.page.waitForSelector(`.memory-row[data-address="${String(last['address'])}"]`);
      return requests;
    }
    await view.page.waitForTimeout(20);
  }
  throw new Error(`the panel asked for ${(await memoryRequests(view)).length} windows, not ${count}`);
}

const texts = (view: OpenedView, selector: string): Promise<string[]> =>
  view.page.$$eval(selector, (elements) => elements.map((e) => e.textContent ?? ''));

describe('Memory panel (headless Chromium)', function () {
  this.timeout(120_000);
  const harness = new WebviewHarness();

  before(async () => {
    buildWebviewBundle();
    await harness.start();
  });
  after(() => harness.stop());

  it('shows rows of 16 bytes in hex and ASCII from the first region of the first process', async () => {
    const view = await harness.open('memory', 'dark', host());
    const [request] = await waitForRequests(view, 1);
    assert.deepStrictEqual(
      { space: request!['space'], address: request!['address'], length: request!['length'] },
      { space: 'pid:1', address: '0x1000000', length: 512 },
    );
    assert.strictEqual(await view.page.locator('.memory-row').count(), 32);
    const firstRow = view.page.locator('.memory-row').first();
    assert.strictEqual(await firstRow.locator('.memory-offset').textContent(), '0000000001000000');
    assert.strictEqual(await firstRow.locator('.memory-hex .byte').count(), 16);
    assert.deepStrictEqual((await texts(view, '.memory-row >> nth=0 >> .memory-hex .byte')).slice(0, 3), [
      '00',
      '01',
      '02',
    ]);
    // Byte 0x41 is 'A', byte 0x1f is not printable.
    const row4 = view.page.locator('.memory-row[data-address="0x1000040"]');
    assert.ok((await row4.count()) === 1);
    const asciiRow = await view.page
      .locator('.memory-row[data-address="0x1000050"] .memory-ascii')
      .textContent();
    assert.strictEqual(asciiRow, 'PQRSTUVWXYZ[\\]^_');
    assert.strictEqual(
      await view.page.locator('.memory-row[data-address="0x1000010"] .memory-ascii').textContent(),
      '................',
    );
    assert.deepStrictEqual(view.errors, []);
    await view.close();
  });

  it('shows unreadable bytes as ?? (dimmed) and highlights the changed ones', async () => {
    const view = await harness.open('memory', 'dark', host());
    await waitForRequests(view, 1);
    const unreadable = await texts(view, '.memory-hex .byte.unreadable');
    assert.deepStrictEqual(unreadable, Array(16).fill('??'));
    const hole = await view.page.locator('.memory-row[data-address="0x1000040"] .memory-hex .byte');
    assert.deepStrictEqual(await hole.allTextContents(), Array(16).fill('??'));
    const changed = await view.page.$$eval('.memory-hex .byte.changed', (elements) =>
      elements.map((e) => e.getAttribute('data-offset')),
    );
    assert.deepStrictEqual(changed, ['4', '5', '6', '7']);
    const status = (await view.page.locator('.memory-status').textContent()) ?? '';
    assert.match(status, /16 unreadable/);
    assert.match(status, /4 changed since step 2/);
    // The highlight is a colour of its own, not the text's.
    const colours = await view.page.evaluate(() => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      const style = (s: string): string =>
        (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(
          d.querySelector(s),
        ).color;
      return { changed: style('.byte.changed'), plain: style('.byte:not(.changed):not(.unreadable)') };
    });
    assert.notStrictEqual(colours.changed, colours.plain);
    assert.deepStrictEqual(view.errors, []);
    await view.close();
  });

  it('goes to a typed address, refuses one that is not, and pages with Page Down and the buttons', async () => {
    const view = await harness.open('memory', 'dark', host());
    await waitForRequests(view, 1);
    await view.page.fill('.memory-address', 'zz');
    await view.page.press('.memory-address', 'Enter');
    assert.match((await view.page.locator('.memory-error').textContent()) ?? '', /"zz" is not an address/);
    assert.strictEqual(await view.page.getAttribute('.memory-address', 'aria-invalid'), 'true');

    await view.page.fill('.memory-address', '16777507'); // 0x1000123 in decimal
    await view.page.press('.memory-address', 'Enter');
    let requests = await waitForRequests(view, 2);
    assert.strictEqual(requests[1]!['address'], '0x1000120');
    assert.strictEqual(await view.page.locator('.memory-error').textContent(), '');
    const target = await view.page.$$eval('.memory-hex .byte.cursor', (elements) =>
      elements.map((e) => e.getAttribute('data-offset')),
    );
    assert.deepStrictEqual(target, ['3']);

    await view.page.focus('.memory-grid');
    await view.page.keyboard.press('PageDown');
    requests = await waitForRequests(view, 3);
    assert.strictEqual(requests[2]!['address'], '0x1000320');
    await view.page.keyboard.press('PageUp');
    requests = await waitForRequests(view, 4);
    assert.strictEqual(requests[3]!['address'], '0x1000120');
    await view.page.click('.memory-next');
    requests = await waitForRequests(view, 5);
    assert.strictEqual(requests[4]!['address'], '0x1000320');
    assert.deepStrictEqual(view.errors, []);
    await view.close();
  });

  it('moves a byte cursor with a click and the arrow keys, and reads the bytes from it little-endian', async () => {
    const view = await harness.open('memory', 'dark', host());
    await waitForRequests(view, 1);
    const cursor = async (): Promise<string[]> =>
      view.page.$$eval('.memory-hex .byte.cursor', (elements) =>
        elements.map((e) => e.getAttribute('data-offset') ?? ''),
      );
    // Byte a holds a & 0xff: from 0x1000020 the bytes are 20 21 22 … 27.
    await view.page.click('.memory-ascii [data-offset="32"]');
    assert.deepStrictEqual(await cursor(), ['32']);
    assert.strictEqual(
      await view.page.locator('.memory-cursor').textContent(),
      "Cursor 0x1000020 · 0x20 (32) ' ' · u16 0x2120 · u32 0x23222120 · u64 0x2726252423222120",
    );
    await view.page.focus('.memory-grid');
    await view.page.keyboard.press('ArrowRight');
    await view.page.keyboard.press('ArrowDown');
    assert.deepStrictEqual(await cursor(), ['49']);
    await view.page.keyboard.press('End');
    assert.deepStrictEqual(await cursor(), ['63']);
    await view.page.keyboard.press('Home');
    assert.deepStrictEqual(await cursor(), ['48']);
    // The unreadable bytes from 0x1000040 say so, and a read that would reach them stops short.
    await view.page.click('.memory-hex [data-offset="60"]');
    assert.strictEqual(
      await view.page.locator('.memory-cursor').textContent(),
      "Cursor 0x100003c · 0x3c (60) '<' · u16 0x3d3c · u32 0x3f3e3d3c",
    );
    await view.page.keyboard.press('ArrowDown');
    assert.match((await view.page.locator('.memory-cursor').textContent()) ?? '', /unreadable/);
    // Past the window's last row, the window moves on by a row, the cursor still in view.
    await view.page.click('.memory-hex [data-offset="500"]');
    await view.page.keyboard.press('ArrowDown');
    const requests = await waitForRequests(view, 2);
    assert.strictEqual(requests[1]!['address'], '0x1000010');
    assert.deepStrictEqual(await cursor(), ['500']);
    assert.deepStrictEqual(view.errors, []);
    await view.close();
  });

  it('asks for its window again at every new step, and looks where the extension says', async () => {
    const view = await harness.open('memory', 'dark', host());
    await waitForRequests(view, 1);
    await view.send(patch(processState(3), nextStepState()));
    const requests = await waitForRequests(view, 2);
    assert.strictEqual(requests[1]!['address'], '0x1000000');
    await view.send({ type: 'showMemory', target: { space: 'physical', address: '0x5008' } });
    const shown = await waitForRequests(view, 3);
    assert.deepStrictEqual([shown[2]!['space'], shown[2]!['address']], ['physical', '0x5000']);
    assert.strictEqual(await view.page.inputValue('.memory-space'), 'physical');
    assert.deepStrictEqual(view.errors, []);
    await view.close();
  });

  it('puts 8 bytes in a row when the panel is 480 px wide', async () => {
    const view = await harness.open('memory', 'dark', host(), { width: 480, height: 700 });
    await waitForRequests(view, 1);
    assert.strictEqual(await view.page.locator('.memory-row').count(), 64);
    assert.strictEqual(await view.page.locator('.memory-row >> nth=0 >> .memory-hex .byte').count(), 8);
    assert.strictEqual(
      await view.page.locator('.memory-row').nth(1).getAttribute('data-address'),
      '0x1000008',
    );
    // Nothing is cut off: the rows fit the panel's width.
    const overflow = await view.page.$eval('.memory-grid', (e) => e.scrollWidth - e.clientWidth);
    assert.ok(overflow <= 0, `the grid overflows by ${overflow} px`);
    await view.screenshot('memory-narrow-dark');
    assert.deepStrictEqual(view.errors, []);
    await view.close();
  });

  for (const theme of ['dark', 'light', 'hc', 'hc-light'] as Theme[]) {
    it(`renders in the ${theme} theme`, async () => {
      const view = await harness.open('memory', theme, host(), { width: 1000, height: 700 });
      await waitForRequests(view, 1);
      await view.page.waitForTimeout(100);
      await view.screenshot(`memory-${theme}`);
      assert.deepStrictEqual(view.errors, []);
      await view.close();
    });
  }
});
