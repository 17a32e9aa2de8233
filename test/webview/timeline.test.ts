// The Timeline panel in headless Chromium against a fake run whose marks follow FAKE_MARK_RULES: it
// asks only for the visible range, draws a million steps without a node per step, zooms and pans,
// travels on a click, compares the ends of a drag, and shares bookmarks with every view's compare
// control.
import * as assert from 'assert';
import { FAKE_MARK_RULES } from './fakeHost';
import { timelineHost } from './fixtures/timeline';
import { buildWebviewBundle, type OpenedView, type Theme, WebviewHarness } from './harness';

type Posted = Record<string, unknown>;

/** Steps 1…steps of kind i under FAKE_MARK_RULES, counted here as the panel should show them. */
function expectedTotal(kind: number, steps: number): number {
  const [every, at] = FAKE_MARK_RULES[kind] ?? [1, 0];
  let n = 0;
  for (let s = 1; s <= steps; s++) if (s % every === at) n++;
  return n;
}

async function timelineRequests(view: OpenedView): Promise<Posted[]> {
  return (await view.posted()).filter((m) => m['type'] === 'requestTimeline');
}

/** Waits until the panel drew step `step` with every bucket it asked for. */
async function waitDrawn(view: OpenedView, step: number): Promise<void> {
  await view.page.waitForSelector(`body[data-step="${step}"] .timeline-lanes .lane`);
}

async function waitForPosted(view: OpenedView, predicate: (m: Posted) => boolean): Promise<Posted> {
  for (let i = 0; i < 100; i++) {
    const found = (await view.posted()).find(predicate);
    if (found !== undefined) return found;
    await view.page.waitForTimeout(20);
  }
  throw new Error(`no posted message matched; posted: ${JSON.stringify(await view.posted())}`);
}

/** The page x of slot `slot`'s middle when the strip shows slots [0, slots). */
async function xOfSlot(view: OpenedView, slot: number, slots: number): Promise<{ x: number; y: number }> {
  const box = await view.page.locator('canvas.timeline-strip').boundingBox();
  if (box === null) throw new Error('the strip is not on screen');
  return { x: box.x + ((slot + 0.5) / slots) * box.width, y: box.y + box.height / 2 };
}

describe('timeline panel (headless Chromium)', function () {
  this.timeout(60_000);
  const harness = new WebviewHarness();

  before(async () => {
    buildWebviewBundle();
    await harness.start();
  });
  after(() => harness.stop());

  it('draws a run of a million steps from one request of the visible range, without a node per step', async () => {
    const steps = 1_000_000;
    const view = await harness.open('timeline', 'dark', timelineHost(3, steps), { width: 1280, height: 700 });
    await waitDrawn(view, 3);
    const requests = await timelineRequests(view);
    assert.strictEqual(requests.length, 1);
    const [request] = requests;
    const width = (await view.page.locator('canvas.timeline-strip').boundingBox())?.width;
    assert.deepStrictEqual(request, {
      type: 'requestTimeline',
      requestId: request?.['requestId'],
      from: 0,
      to: steps + 1,
      buckets: width,
    });
    const lanes = await view.page.locator('.timeline-lanes .lane').allInnerTexts();
    assert.strictEqual(lanes.length, 15);
    assert.match(
      lanes[0] ?? '',
      new RegExp(`zero fault\\s+${expectedTotal(0, steps).toLocaleString('en-US')}`),
    );
    assert.match(
      lanes[1] ?? '',
      new RegExp(`COW fault\\s+${expectedTotal(1, steps).toLocaleString('en-US')}`),
    );
    assert.match(await view.page.locator('.timeline-range').innerText(), /Steps 0–1,000,000 of 1,000,000/);
    const nodes = await view.page.evaluate<number>("document.querySelectorAll('*').length");
    assert.ok(nodes < 250, `${nodes} elements on the page`);
    assert.deepStrictEqual(view.errors, []);
    await view.close();
  });

  it('zooms in with the button, Ctrl+wheel and +, asking each time for the narrower range only', async () => {
    const view = await harness.open('timeline', 'light', timelineHost(500, 1000), {
      width: 1280,
      height: 700,
    });
    await waitDrawn(view, 500);
    const spans = async (): Promise<number[]> =>
      (await timelineRequests(view)).map((m) => (m['to'] as number) - (m['from'] as number));
    await view.page.click('button[aria-label^="Zoom in"]');
    for (let i = 0; i < 50 && (await spans()).length < 2; i++) await view.page.waitForTimeout(20);
    assert.deepStrictEqual((await spans()).slice(0, 2), [1001, 501]);
    const strip = await xOfSlot(view, 500, 1001);
    await view.page.mouse.move(strip.x, strip.y);
    await view.page.keyboard.down('Control');
    await view.page.mouse.wheel(0, -100);
    await view.page.keyboard.up('Control');
    for (let i = 0; i < 50 && (await spans()).length < 3; i++) await view.page.waitForTimeout(20);
    assert.strictEqual((await spans())[2], 251);
    await view.page.focus('canvas.timeline-strip');
    await view.page.keyboard.press('+');
    for (let i = 0; i < 50 && (await spans()).length < 4; i++) await view.page.waitForTimeout(20);
    assert.strictEqual((await spans())[3], 126);
    const last = (await timelineRequests(view)).at(-1);
    // The current step stays inside the range as it narrows.
    assert.ok((last?.['from'] as number) <= 500 && (last?.['to'] as number) > 500, JSON.stringify(last));
    await view.page.keyboard.press('0');
    for (let i = 0; i < 50 && (await spans()).length < 5; i++) await view.page.waitForTimeout(20);
    assert.strictEqual((await spans())[4], 1001);
    assert.deepStrictEqual(view.errors, []);
    await view.close();
  });

  it('travels to a clicked step, and compares the last step of a drag with the first', async () => {
    const view = await harness.open('timeline', 'dark', timelineHost(10, 200), { width: 1280, height: 700 });
    await waitDrawn(view, 10);
    const at120 = await xOfSlot(view, 120, 201);
    await view.page.mouse.click(at120.x, at120.y);
    await waitForPosted(view, (m) => m['type'] === 'travelTo' && m['step'] === 120);
    const at50 = await xOfSlot(view, 50, 201);
    const at150 = await xOfSlot(view, 150, 201);
    await view.page.mouse.move(at50.x, at50.y);
    await view.page.mouse.down();
    await view.page.mouse.move(at150.x, at150.y, { steps: 5 });
    await view.page.mouse.up();
    await waitForPosted(view, (m) => m['type'] === 'compareWithStep' && m['step'] === 50);
    await waitForPosted(view, (m) => m['type'] === 'travelTo' && m['step'] === 150);
    assert.deepStrictEqual(view.errors, []);
    await view.close();
  });

  it('moves a cursor from the keyboard, describes its step, travels with Enter and compares with C', async () => {
    const bookmarks = [{ name: 'after fork', step: 41, line: 7 }];
    const view = await harness.open('timeline', 'dark', timelineHost(60, 200, bookmarks), {
      width: 1280,
      height: 700,
    });
    await waitDrawn(view, 60);
    await view.page.focus('canvas.timeline-strip');
    await view.page.keyboard.press('Home');
    assert.match(await view.page.locator('.timeline-detail').innerText(), /^Step 0: nothing marked\.$/);
    for (let i = 0; i < 41; i++) await view.page.keyboard.press('ArrowRight');
    assert.strictEqual(
      await view.page.locator('.timeline-detail').innerText(),
      'Step 41: zero fault, bookmarked as “after fork”.',
    );
    await view.page.keyboard.press('c');
    await waitForPosted(view, (m) => m['type'] === 'compareWithStep' && m['step'] === 41);
    await view.page.keyboard.press('End');
    await view.page.keyboard.press('Enter');
    await waitForPosted(view, (m) => m['type'] === 'travelTo' && m['step'] === 200);
    assert.deepStrictEqual(view.errors, []);
    await view.close();
  });

  it('offers the bookmarks before the current step in the compare control of every view', async () => {
    const bookmarks = [
      { name: 'after fork', step: 2, line: 3 },
      { name: 'later', step: 4, line: 5 },
    ];
    const view = await harness.open('regions', 'dark', timelineHost(3, 5, bookmarks), {
      width: 1200,
      height: 700,
    });
    await view.page.waitForSelector('.compare-select optgroup[label="Bookmarks"]', { state: 'attached' });
    const offered = await view.page
      .locator('.compare-select optgroup[label="Bookmarks"] option')
      .allInnerTexts();
    assert.deepStrictEqual(offered, ['after fork (step 2)']);
    await view.page.selectOption('.compare-select', { label: 'after fork (step 2)' });
    await waitForPosted(view, (m) => m['type'] === 'compareWithStep' && m['step'] === 2);
    // The extension answers every view with the shared state: the choice shows as made.
    await view.page.waitForFunction("document.querySelector('.compare-select')?.value === '2'");
    assert.deepStrictEqual(view.errors, []);
    await view.close();
  });

  for (const theme of ['dark', 'hc-light'] as Theme[]) {
    it(`fits 480 pixels without sideways scrolling in the ${theme} theme`, async () => {
      const view = await harness.open('timeline', theme, timelineHost(700, 2000), {
        width: 480,
        height: 700,
      });
      await waitDrawn(view, 700);
      const { scroll, client } = await view.page.evaluate<{ scroll: number; client: number }>(
        '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
      );
      assert.ok(scroll <= client, `${scroll} px of content in ${client}`);
      const width = (await view.page.locator('canvas.timeline-strip').boundingBox())?.width ?? 0;
      assert.ok(width >= 200, `a strip ${width} px wide`);
      assert.deepStrictEqual(view.errors, []);
      await view.close();
    });
  }
});
