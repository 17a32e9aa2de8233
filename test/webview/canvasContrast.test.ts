// The canvases' contrast, read from their pixels: the frame map (Zones) and the Timeline strip draw
// text and marks that the DOM contrast check cannot see. Every text drawn on a canvas must reach
// WCAG's 4.5:1 against the fill it is written on, and every mark that carries meaning WCAG 1.4.11's
// 3:1 against what it is drawn beside, in the four kinds of theme and at every width.
import * as assert from 'assert';
import { FRAME_KINDS, type FrameKind } from '../../src/protocol/dto';
import { EVERY_KIND_FRAMES, everyKindState } from './fixtures/machineStates';
import { hostFor } from './fixtures/messages';
import { timelineHost } from './fixtures/timeline';
import { buildWebviewBundle, type OpenedView, type Theme, WebviewHarness } from './harness';
import { type CanvasPixels, canvasPixelsProbe, contrastRatio, type Rgb } from './layoutProbe';

const THEMES: Theme[] = ['dark', 'light', 'hc', 'hc-light'];
const WIDTHS = [360, 480, 1280];
const TEXT_MINIMUM = 4.5;
const MARK_MINIMUM = 3;
/**
 * Free frames are a 12% tint of the text colour on purpose: free memory should read as empty, and
 * what holds memory stand out. They stay cells all the same, told apart from the page around them:
 * 1.15:1 is a luminance step of about a seventh, several times what the eye needs to see the edge
 * between two large flat areas side by side (which free runs and the page are). The legend names the
 * tint, and the tooltip and the map's label say "free in a zone" in words.
 */
const FREE_MINIMUM = 1.15;

/** The page's document as the evaluated functions see it (the root tsconfig has no DOM library). */
type PageDocument<T> = { document: { querySelector(selector: string): T } };

const hex = (c: Rgb): string => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const figure = (ratio: number): string => ratio.toFixed(2);

/** The lowest ratios seen, per theme, printed at the end for whoever tunes the colours. */
const lowest = new Map<string, { ratio: number; what: string }>();
function note(theme: Theme, check: string, ratio: number, what: string): void {
  const key = `${theme} ${check}`;
  const seen = lowest.get(key);
  if (seen === undefined || ratio < seen.ratio) lowest.set(key, { ratio, what });
}

async function framePoints(view: OpenedView): Promise<Record<string, [number, number]>> {
  return view.page.evaluate((frames) => {
    const canvas = (
      globalThis as unknown as PageDocument<{
        framePoint(frame: number): [number, number] | null;
      }>
    ).document.querySelector('canvas.frame-map');
    const points: Record<string, [number, number]> = {};
    for (const [kind, frame] of Object.entries(frames)) {
      const point = canvas.framePoint(frame);
      if (point !== null) points[kind] = point;
    }
    return points;
  }, EVERY_KIND_FRAMES);
}

function checkTexts(theme: Theme, canvas: string, pixels: CanvasPixels, failures: string[]): void {
  assert.ok(pixels.texts.length > 0, `${theme}: no text found on the canvas`);
  for (const { text, ink, fill } of pixels.texts) {
    const ratio = contrastRatio(ink, fill);
    note(theme, `${canvas} text`, ratio, `"${text}" ${hex(ink)} on ${hex(fill)}`);
    if (ratio < TEXT_MINIMUM)
      failures.push(`${theme}: text "${text}" ${hex(ink)} on ${hex(fill)} is ${figure(ratio)}:1`);
  }
}

describe('canvas contrast, read from the drawn pixels (headless Chromium)', function () {
  this.timeout(300_000);
  const harness = new WebviewHarness();

  before(async () => {
    buildWebviewBundle();
    await harness.start();
  });
  after(async () => {
    await harness.stop();
    for (const [key, { ratio, what }] of [...lowest].sort())
      console.log(`      lowest ${key}: ${figure(ratio)}:1 (${what})`);
  });

  for (const width of WIDTHS) {
    it(`frame map at ${width} px: labels 4.5:1, every owned frame 3:1 against the page and free frames, free frames visible`, async () => {
      const failures: string[] = [];
      for (const theme of THEMES) {
        const view = await harness.open('zones', theme, hostFor(everyKindState()), { width, height: 900 });
        await view.page.waitForSelector('canvas.frame-map[data-frames]');
        const points = await framePoints(view);
        assert.deepStrictEqual(
          Object.keys(points).sort(),
          [...FRAME_KINDS].sort(),
          `${theme}: a kind is not drawn`,
        );
        const pixels = (await view.page.evaluate(
          canvasPixelsProbe('canvas.frame-map', points),
        )) as CanvasPixels;
        checkTexts(theme, 'frame map', pixels, failures);
        assert.ok(
          pixels.texts.some((t) => t.text.includes('not RAM')),
          `${theme}: the hole's band has no label`,
        );
        const page = pixels.corner;
        const free = pixels.points['free']!;
        for (const kind of FRAME_KINDS.filter((k): k is Exclude<FrameKind, 'free'> => k !== 'free')) {
          const colour = pixels.points[kind]!;
          for (const [against, under] of [
            ['page', page],
            ['free', free],
          ] as const) {
            const ratio = contrastRatio(colour, under);
            note(theme, `frame vs ${against}`, ratio, `${kind} ${hex(colour)} on ${hex(under)}`);
            if (ratio < MARK_MINIMUM)
              failures.push(
                `${theme}: ${kind} ${hex(colour)} against ${against} ${hex(under)} is ${figure(ratio)}:1`,
              );
          }
        }
        const freeRatio = contrastRatio(free, page);
        note(theme, 'free vs page', freeRatio, `${hex(free)} on ${hex(page)}`);
        if (freeRatio < FREE_MINIMUM)
          failures.push(`${theme}: free ${hex(free)} on the page ${hex(page)} is ${figure(freeRatio)}:1`);
        await view.screenshot(`canvas-zones-${width}-${theme}`);
        const legend = await view.page.locator('.legend li:has(.swatch.frame-free)').textContent();
        assert.strictEqual(legend, 'free in a zone', `${theme}: the legend does not explain the free tint`);
        assert.deepStrictEqual(view.errors, []);
        await view.close();
      }
      assert.deepStrictEqual(failures, []);
    });

    it(`timeline at ${width} px: axis labels 4.5:1, every kind of mark, the step lines and the cursor 3:1 against the strip`, async () => {
      const failures: string[] = [];
      for (const theme of THEMES) {
        const bookmarks = [{ name: 'here', step: 600, line: null }];
        const view = await harness.open('timeline', theme, timelineHost(1200, 2000, bookmarks, 400), {
          width,
          height: 700,
        });
        await view.page.waitForSelector('body[data-step="1200"]');
        // The keyboard cursor is drawn while the strip has the focus; moved off the current step's line.
        await view.page.focus('canvas.timeline-strip');
        for (let i = 0; i < 40; i++) await view.page.keyboard.press('ArrowRight');
        // Evaluated in the page (the root tsconfig has no DOM library; the page allows no eval).
        const drawnMarks = (): Record<string, [number, number]> =>
          (
            globalThis as unknown as PageDocument<{ drawnParts: { marks: Record<string, [number, number]> } }>
          ).document.querySelector('canvas.timeline-strip').drawnParts.marks;
        await view.page.waitForFunction(() => {
          const marks = (
            globalThis as unknown as PageDocument<{ drawnParts: { marks: Record<string, unknown> } }>
          ).document.querySelector('canvas.timeline-strip').drawnParts.marks;
          return marks['cursor'] !== undefined && marks['zero_fault'] !== undefined;
        });
        const points = await view.page.evaluate(drawnMarks);
        const pixels = (await view.page.evaluate(
          canvasPixelsProbe('canvas.timeline-strip', points),
        )) as CanvasPixels;
        checkTexts(theme, 'timeline', pixels, failures);
        await view.screenshot(`canvas-timeline-${width}-${theme}`);
        const strip = pixels.commonest;
        for (const [mark, colour] of Object.entries(pixels.points)) {
          const ratio = contrastRatio(colour, strip);
          note(theme, 'timeline mark', ratio, `${mark} ${hex(colour)} on ${hex(strip)}`);
          if (ratio < MARK_MINIMUM)
            failures.push(
              `${theme}: ${mark} ${hex(colour)} on the strip ${hex(strip)} is ${figure(ratio)}:1`,
            );
        }
        assert.ok(
          'current step' in points && 'compared step' in points && 'bookmark' in points,
          `${theme}: ${Object.keys(points).join(', ')}`,
        );
        assert.deepStrictEqual(view.errors, []);
        await view.close();
      }
      assert.deepStrictEqual(failures, []);
    });
  }
});
