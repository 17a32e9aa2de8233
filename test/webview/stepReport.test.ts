// The step report as a reader opens it: `mmu-lens run --report` of two teaching examples, loaded in
// headless Chromium at a phone's width and a desktop's, in the light and the dark colour scheme, and
// printed. The pictures go to test-results/webview-screenshots for a person to look at; the test checks that
// the page fetched nothing, broke no rule of its content security policy, fits its width without
// sideways scrolling, and follows the colour scheme (and paper's).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { ROOT, SCREENSHOTS } from './harness';

const CLI = path.join(ROOT, 'out', 'src', 'cli', 'main.js');

/** The reports: the fork example at the steps that tell its story, the DMA example as chosen by default. */
const REPORTS = [
  { name: '02', example: '02-fork-copy-on-write.mmu', args: ['--report-steps', '0,5,17'], steps: [0, 5, 17] },
  { name: '07', example: '07-kernel-dma-mmio.mmu', args: [], steps: [0, 41] },
];
const WIDTHS = [480, 1280];
const SCHEMES = ['light', 'dark'] as const;

// Evaluated in the page (the root tsconfig has no DOM library): what reaches past the right edge of
// the viewport, which a reader would have to scroll sideways to see.
const OVERFLOW_PROBE = `(() => {
  const width = document.documentElement.clientWidth;
  const past = [...document.querySelectorAll('body *')]
    .filter((element) => element.getBoundingClientRect().right > width + 0.5)
    .map((element) => element.tagName.toLowerCase() + '.' + element.getAttribute('class'));
  return { scrollWidth: document.documentElement.scrollWidth, width, past: past.slice(0, 10) };
})()`;

interface Opened {
  page: Page;
  requests: string[];
  errors: string[];
}

describe('the step report in headless Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let dir: string;
  const html = new Map<string, string>();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmu-lens-report-'));
    for (const report of REPORTS) {
      const out = path.join(dir, `${report.name}.html`);
      const run = spawnSync(
        process.execPath,
        [CLI, 'run', path.join(ROOT, 'examples', report.example), '--report', out, ...report.args],
        { encoding: 'utf8' },
      );
      assert.strictEqual(run.status, 0, run.stderr);
      html.set(report.name, fs.readFileSync(out, 'utf8'));
    }
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a report in a fresh page that refuses (and records) any request it would make. */
  async function open(name: string, width: number, colorScheme: 'light' | 'dark'): Promise<Opened> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
    const page = await context.newPage();
    const opened: Opened = { page, requests: [], errors: [] };
    await page.route('**/*', async (route) => {
      opened.requests.push(route.request().url());
      await route.abort();
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') opened.errors.push(message.text());
    });
    page.on('pageerror', (error) => opened.errors.push(error.message));
    await page.setContent(html.get(name)!, { waitUntil: 'load' });
    return opened;
  }

  for (const report of REPORTS) {
    for (const width of WIDTHS) {
      for (const scheme of SCHEMES) {
        it(`shows ${report.example} at ${width} px in the ${scheme} scheme`, async () => {
          const { page, requests, errors } = await open(report.name, width, scheme);
          const ids = await page
            .locator('section.step')
            .evaluateAll((sections) => sections.map((section) => (section as unknown as { id: string }).id));
          assert.deepStrictEqual(
            ids,
            report.steps.map((step) => `step-${step}`),
          );
          assert.ok((await page.locator('svg.strip').count()) > 0, 'page strips are drawn');
          const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
          assert.strictEqual(background, scheme === 'dark' ? 'rgb(30, 30, 30)' : 'rgb(255, 255, 255)');
          const layout = (await page.evaluate(OVERFLOW_PROBE)) as {
            scrollWidth: number;
            width: number;
            past: string[];
          };
          assert.deepStrictEqual(layout.past, [], 'nothing reaches past the right edge');
          assert.ok(
            layout.scrollWidth <= layout.width,
            `the page scrolls sideways (${layout.scrollWidth} px)`,
          );
          fs.mkdirSync(SCREENSHOTS, { recursive: true });
          await page.screenshot({
            path: path.join(SCREENSHOTS, `report-${report.name}-${scheme}-${width}.png`),
            fullPage: true,
          });
          assert.deepStrictEqual(requests, [], 'the report fetched nothing');
          assert.deepStrictEqual(errors, [], 'no error and no content security policy report');
          await page.context().close();
        });
      }
    }
  }

  it('prints in the light scheme, page after page, whatever the screen’s scheme', async () => {
    const { page, requests, errors } = await open('07', 1280, 'dark');
    await page.emulateMedia({ media: 'print' });
    assert.strictEqual(
      await page.evaluate('getComputedStyle(document.body).backgroundColor'),
      'rgb(255, 255, 255)',
    );
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    assert.strictEqual(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    assert.ok(pages >= 3, `the report printed on ${pages} pages`);
    fs.writeFileSync(path.join(SCREENSHOTS, 'report-07-print.pdf'), pdf);
    assert.deepStrictEqual(requests, []);
    assert.deepStrictEqual(errors, []);
    await page.context().close();
  });
});
