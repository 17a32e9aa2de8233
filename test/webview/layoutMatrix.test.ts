// Every panel at a narrow sidebar's width (360 px), the default width beside the editor (480 px) and
// full width (1280 px), in the four kinds of theme: nothing may need a sideways scroll or cut a chip
// in half, and every visible text must reach WCAG's 4.5:1 against what it sits on. A screenshot of
// each is saved to test-results/webview-screenshots for a person to look at.
import * as assert from 'assert';
import type { PanelKind } from '../../src/protocol/dto';
import { forkState } from './fixtures/machineStates';
import { hostFor } from './fixtures/messages';
import { timelineHost } from './fixtures/timeline';
import { buildWebviewBundle, type OpenedView, type Theme, WebviewHarness } from './harness';
import {
  CONTRAST_PROBE,
  type ContrastReading,
  layoutProblems,
  WIDTH_LAYOUT_PROBE,
  type WidthLayout,
} from './layoutProbe';

const THEMES: Theme[] = ['dark', 'light', 'hc', 'hc-light'];
const WIDTHS = [360, 480, 1280];

/**
 * Each panel with what makes it show its widest content: an expanded region, a walk and a row's
 * detail, a run's events.
 */
const PANELS: { panel: PanelKind; prepare: (view: OpenedView) => Promise<void> }[] = [
  {
    panel: 'regions',
    prepare: async (view) => {
      await view.page.click('[data-key="region:pid:1/0x1000000"] .twistie');
      await view.page.click('[data-key="region:kernel/0x2000000000"] .twistie');
    },
  },
  {
    panel: 'pageTables',
    prepare: async (view) => {
      await view.page.waitForSelector('.vwindow [role="row"]:not(.loading)');
      await view.page.fill('.vaddr-input', '0x1002000');
      await view.page.press('.vaddr-input', 'Enter');
      await view.page.waitForSelector('.walk-table');
      // Narrow, the first row's detail is opened, so that its lines are measured too.
      const disclosure = view.page.locator('#vrow-0 .vdisclosure');
      if ((await disclosure.count()) > 0) {
        await disclosure.click();
        await view.page.waitForSelector('#vdetail-0');
      }
    },
  },
  { panel: 'zones', prepare: (view) => view.page.waitForSelector('canvas.frame-map').then(() => undefined) },
  { panel: 'dmaMmio', prepare: async () => undefined },
  {
    panel: 'overview',
    prepare: async (view) => {
      // One run opened, so that both the grouped row and its events are measured.
      await view.page.click('.event-run');
    },
  },
  {
    panel: 'timeline',
    prepare: (view) => view.page.waitForSelector('body[data-step="1200"]').then(() => undefined),
  },
];

describe('panel layout and contrast at every width and theme (headless Chromium)', function () {
  this.timeout(300_000);
  const harness = new WebviewHarness();
  let checkedTexts = 0;
  let checkedViews = 0;

  before(async () => {
    buildWebviewBundle();
    await harness.start();
  });
  after(async () => {
    await harness.stop();
    console.log(`      ${checkedViews} views measured, ${checkedTexts} texts' contrast checked`);
  });

  for (const { panel, prepare } of PANELS) {
    for (const width of WIDTHS) {
      it(`${panel} at ${width} px: no sideways scroll, no cut chip, every text legible in all four themes`, async () => {
        const failures: string[] = [];
        for (const theme of THEMES) {
          const host = panel === 'timeline' ? timelineHost(1200, 2000, [], 400) : hostFor(forkState());
          const view = await harness.open(panel, theme, host, { width, height: 700 });
          await prepare(view);
          await view.page.waitForTimeout(80);
          const layout = (await view.page.evaluate(WIDTH_LAYOUT_PROBE)) as WidthLayout;
          const contrast = (await view.page.evaluate(CONTRAST_PROBE)) as ContrastReading;
          await view.screenshot(`layout-${panel}-${width}-${theme}`);
          checkedViews++;
          checkedTexts += contrast.checked;
          failures.push(...layoutProblems(`${theme}:`, layout, contrast));
          assert.deepStrictEqual(view.errors, []);
          await view.close();
        }
        assert.deepStrictEqual(failures, []);
      });
    }
  }
});
