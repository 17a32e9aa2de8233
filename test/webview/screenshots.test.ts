// Screenshots of every view in VS Code's Dark+, Light+ and Dark High Contrast themes, saved to test-results/webview-screenshots
// for a person to look at; the test itself checks that each view rendered without an error.
import * as assert from 'assert';
import type { PanelKind } from '../../src/protocol/dto';
import { bootState, deviceMapState, nextStepState, processState } from './fixtures/machineStates';
import { bigPteState, hostFor, patch } from './fixtures/messages';
import { buildWebviewBundle, type Theme, WebviewHarness } from './harness';
import { timelineHost } from './fixtures/timeline';

const VIEWS: { panel: PanelKind; width: number; height: number }[] = [
  { panel: 'regions', width: 1200, height: 700 },
  { panel: 'pageTables', width: 1200, height: 800 },
  { panel: 'zones', width: 1200, height: 800 },
  { panel: 'dmaMmio', width: 1200, height: 600 },
  { panel: 'overview', width: 320, height: 700 },
  { panel: 'regionTreeView', width: 320, height: 600 },
];

describe('webview screenshots (headless Chromium)', function () {
  this.timeout(120_000);
  const harness = new WebviewHarness();

  before(async () => {
    buildWebviewBundle();
    await harness.start();
  });
  after(() => harness.stop());

  for (const theme of ['dark', 'light', 'hc'] as Theme[]) {
    for (const { panel, width, height } of VIEWS) {
      it(`renders ${panel} in the ${theme} theme`, async () => {
        const view = await harness.open(panel, theme, hostFor(processState(3)), { width, height });
        // Step forward once, so that "what changed" shows.
        await view.send(patch(processState(3), nextStepState()));
        if (panel === 'regions' || panel === 'regionTreeView') {
          await view.page.click('[data-key="region:pid:1/0x1000000"] .twistie');
        }
        if (panel === 'pageTables') {
          await view.page.fill('.vaddr-input', '0x1002000');
          await view.page.press('.vaddr-input', 'Enter');
          await view.page.waitForSelector('.walk-table');
        }
        await view.page.waitForTimeout(100);
        await view.screenshot(`${panel}-${theme}`);
        assert.deepStrictEqual(view.errors, []);
        await view.close();
      });
    }
  }

  // The Timeline in the four themes, at a narrow panel's width and a wide one: a run of 2,000 steps
  // stopped at step 1,200, compared with a bookmark, with the keyboard cursor on another.
  for (const theme of ['dark', 'light', 'hc', 'hc-light'] as Theme[]) {
    for (const width of [480, 1280]) {
      it(`renders the timeline ${width} px wide in the ${theme} theme`, async () => {
        const bookmarks = [
          { name: 'after fork', step: 400, line: 12 },
          { name: 'first OOM', step: 1000, line: 30 },
        ];
        const host = timelineHost(1200, 2000, bookmarks, 400);
        const view = await harness.open('timeline', theme, host, { width, height: 520 });
        await view.page.waitForSelector('body[data-step="1200"]');
        await view.page.focus('canvas.timeline-strip');
        await view.page.keyboard.press('ArrowLeft');
        await view.screenshot(`timeline-${theme}-${width}`);
        assert.deepStrictEqual(view.errors, []);
        await view.close();
      });
    }
  }

  for (const theme of ['dark', 'light', 'hc', 'hc-light'] as const) {
    for (const width of [480, 1280]) {
      it(`draws RAM and a far device as rows and one band, ${width} px wide in the ${theme} theme`, async () => {
        const view = await harness.open('zones', theme, hostFor(deviceMapState()), { width, height: 900 });
        await view.page.waitForSelector('canvas.frame-map');
        const map = await view.page.evaluate(() => {
          const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
          const canvas = doc.querySelector('canvas.frame-map') as {
            clientWidth: number;
            clientHeight: number;
            parentElement: { clientWidth: number };
            framePoint(frame: number): [number, number] | null;
          };
          return {
            width: canvas.clientWidth,
            height: canvas.clientHeight,
            room: canvas.parentElement.clientWidth,
            device: canvas.framePoint(0xfeb00),
            hole: canvas.framePoint(0x10000),
          };
        });
        // 64 MiB of rows and a band, not a 4 GiB grid with a thin line of RAM at its top.
        assert.ok(map.height <= 480, `the map is ${map.height} px tall`);
        assert.ok(map.width <= map.room, 'no wider than its panel');
        assert.notStrictEqual(map.device, null, 'the device frame is drawn');
        assert.strictEqual(map.hole, null, 'the hole is a band, not frames');
        await view.page.locator('canvas.frame-map').scrollIntoViewIfNeeded();
        await view.screenshot(`zones-device-${theme}-${width}`);
        assert.deepStrictEqual(view.errors, []);
        await view.close();
      });
    }
  }

  it('renders the large fixtures: 1,000,000 PTEs, a 1,000,000-page region, 1,048,576 frames', async () => {
    const big = bigPteState(1_000_000);
    const tables = await harness.open('pageTables', 'dark', hostFor(big));
    await tables.page.waitForSelector('.vwindow [role="row"]:not(.loading)');
    await tables.screenshot('pageTables-1m-dark');
    const regions = await harness.open('regions', 'dark', hostFor(big));
    await regions.page.click('[data-key="region:pid:1/0x10000000"] .twistie');
    assert.match(await regions.page.locator('.strip-item').last().innerText(), /3,907 pages per cell/);
    await regions.screenshot('regions-1m-dark');
    const zones = await harness.open('zones', 'light', hostFor(bootState(1 << 20)));
    await zones.page.waitForSelector('canvas.frame-map');
    assert.strictEqual(await zones.page.getAttribute('canvas.frame-map', 'data-frames'), String(1 << 20));
    await zones.screenshot('zones-1m-light');
    for (const view of [tables, regions, zones]) {
      assert.deepStrictEqual(view.errors, []);
      await view.close();
    }
  });
});
