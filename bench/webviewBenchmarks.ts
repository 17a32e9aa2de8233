// Time to first paint of the page-table panel in headless Chromium: from the start of navigation to
// the first animation frame after the first PTE rows are in the DOM, with 1,000,000 present PTEs and
// with 10. The page, bundle (production build), policy and fake host are those of the component tests.
import { chromiumMissing } from '../test/harness/browser';
import { bigPteState, hostFor } from '../test/webview/fixtures/messages';
import { buildWebviewBundle, WebviewHarness } from '../test/webview/harness';
import { unavailable } from './providers';

const RUNS = 5;

/** Installed before the bundle loads: records the first frame painted with real PTE rows. */
function recordFirstRowsPaint(): void {
  const w = globalThis as unknown as Record<string, unknown> & {
    requestAnimationFrame(callback: () => void): void;
    performance: { now(): number };
    document: { querySelector(selector: string): unknown };
    MutationObserver: new (callback: () => void) => {
      observe(node: unknown, options: object): void;
      disconnect(): void;
    };
  };
  const observer = new w.MutationObserver(() => {
    if (w.document.querySelector('.vwindow [role="row"]:not(.loading)') === null) return;
    observer.disconnect();
    w.requestAnimationFrame(() => {
      w['__firstRowsPaint'] = w.performance.now();
    });
  });
  // The document itself: at this point it has no root element yet.
  observer.observe(w.document, { childList: true, subtree: true });
}

async function firstPaint(harness: WebviewHarness, pteCount: number): Promise<number> {
  const state = bigPteState(pteCount);
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const view = await harness.open('pageTables', 'dark', hostFor(state), undefined, async (page) => {
      await page.addInitScript(recordFirstRowsPaint);
    });
    const handle = await view.page.waitForFunction(
      () => (globalThis as unknown as Record<string, unknown>)['__firstRowsPaint'] as number | undefined,
      undefined,
      { timeout: 60_000 },
    );
    times.push((await handle.jsonValue()) as number);
    await view.close();
  }
  times.sort((a, b) => a - b);
  if (process.env['MMU_LENS_BENCH_VERBOSE'] === '1')
    process.stderr.write(`${pteCount} PTEs: ${times.join(', ')} ms\n`);
  return Math.round((times[Math.floor(times.length / 2)] ?? 0) * 10) / 10;
}

export async function webviewBenchmarks(): Promise<Record<string, number>> {
  const missing = chromiumMissing();
  if (missing !== undefined) throw unavailable(missing);
  buildWebviewBundle('production');
  const harness = new WebviewHarness();
  await harness.start();
  try {
    // One warm-up load so that both figures start from the same disk and font caches.
    await firstPaint(harness, 10);
    return {
      pte_panel_first_paint_1m_ms: await firstPaint(harness, 1_000_000),
      pte_panel_first_paint_10_ms: await firstPaint(harness, 10),
    };
  } finally {
    await harness.stop();
  }
}

if (require.main === module) {
  webviewBenchmarks().then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
