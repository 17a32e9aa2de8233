// Component tests of the webview bundle in headless Chromium, against fixture states: what each view
// shows, keyboard navigation, virtualization, linking and the handling of malformed messages.
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';
import { toHex } from '../../src/protocol/pagingEntry';
import { computeChangeSet } from '../../src/protocol/stateDiff';
import { bootState, forkState, nextStepState, processState } from './fixtures/machineStates';
import { bigPteState, hostFor, patch, snapshot } from './fixtures/messages';
import { buildWebviewBundle, type OpenedView, WebviewHarness } from './harness';
import { TABLE_LAYOUT_PROBE, type TableLayout } from './layoutProbe';

const pageErrors = (view: OpenedView): string[] => view.errors.filter((e) => e.startsWith('pageerror'));
const focusedKey = (page: Page): Promise<string | undefined> =>
  page.evaluate(
    () =>
      (
        globalThis as unknown as {
          document: { activeElement: { getAttribute(n: string): string | null } | null };
        }
      ).document.activeElement?.getAttribute('data-key') ?? undefined,
  );

async function waitForPosted(
  view: OpenedView,
  predicate: (m: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    const found = (await view.posted()).find(predicate);
    if (found !== undefined) return found;
    await view.page.waitForTimeout(20);
  }
  throw new Error(`no posted message matched; posted: ${JSON.stringify(await view.posted())}`);
}

/**
 * What VS Code hands a webview context menu's command: the `data-vscode-context` objects of the
 * element the menu opened on and of its ancestors, merged with the innermost winning. The page
 * records it for every context menu, as VS Code's own handler does.
 */
async function recordMenuContexts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as {
      addEventListener(
        type: string,
        listener: (e: { target: unknown; preventDefault(): void }) => void,
      ): void;
      lastMenuContext?: Record<string, unknown>;
    };
    w.addEventListener('contextmenu', (event) => {
      let context: Record<string, unknown> = {};
      type Element = { getAttribute(name: string): string | null; parentElement: Element | null };
      for (let element = event.target as Element | null; element !== null; element = element.parentElement) {
        const json = element.getAttribute?.('data-vscode-context');
        if (json) context = { ...(JSON.parse(json) as Record<string, unknown>), ...context };
      }
      w.lastMenuContext = context;
      event.preventDefault();
    });
  });
}

/** The thing the last context menu was about (parsed from its context), or null for none. */
async function lastMenuThing(page: Page): Promise<unknown> {
  const context = await page.evaluate(
    () => (globalThis as unknown as { lastMenuContext?: Record<string, unknown> }).lastMenuContext ?? {},
  );
  const json = context['mmuLensThing'];
  if (json === undefined) return null;
  assert.strictEqual(context['webviewSection'], 'thing');
  return JSON.parse(String(json)) as unknown;
}

/** Right-clicks an element (at a point of it) and answers the thing its menu is about. */
async function rightClickThing(
  page: Page,
  selector: string,
  position?: { x: number; y: number },
): Promise<unknown> {
  await page.click(selector, { button: 'right', ...(position === undefined ? {} : { position }) });
  return lastMenuThing(page);
}

/** Opens the context menu from the keyboard (on the focused element) and answers its thing. */
async function keyboardMenuThing(page: Page): Promise<unknown> {
  await page.evaluate(() => {
    const d = globalThis as unknown as {
      document: { activeElement: { dispatchEvent(e: unknown): void } | null };
      MouseEvent: new (type: string, init: Record<string, unknown>) => unknown;
    };
    d.document.activeElement?.dispatchEvent(new d.MouseEvent('contextmenu', { bubbles: true, button: 0 }));
  });
  return lastMenuThing(page);
}

/** Where a frame's cell is on the frame map, in CSS pixels from the canvas's top left. */
async function framePoint(page: Page, frame: number): Promise<{ x: number; y: number }> {
  const point = await page.evaluate((f) => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
    const canvas = doc.querySelector('canvas.frame-map') as {
      framePoint(frame: number): [number, number] | null;
    };
    return canvas.framePoint(f);
  }, frame);
  assert.ok(point, `frame ${frame} is not drawn`);
  return { x: point[0], y: point[1] };
}

describe('webview panels (headless Chromium)', function () {
  this.timeout(60_000);
  const harness = new WebviewHarness();

  before(async () => {
    buildWebviewBundle();
    await harness.start();
  });
  after(() => harness.stop());

  describe('region tree', () => {
    let view: OpenedView;
    beforeEach(async () => {
      view = await harness.open('regions', 'dark', hostFor(processState(3)));
      await view.page.waitForSelector('[role="tree"]');
    });
    afterEach(() => view.close());

    it('says it is ready, then shows each address space and its regions with amounts', async () => {
      const posted = await view.posted();
      assert.deepStrictEqual(posted[0], {
        type: 'ready',
        panel: 'regions',
        protocolVersion: PROTOCOL_VERSION,
      });
      assert.strictEqual(await view.page.locator('[role="treeitem"][aria-level="1"]').count(), 2);
      assert.strictEqual(await view.page.locator('[role="treeitem"][aria-level="2"]').count(), 5);
      const heap = view.page.locator('[data-key="region:pid:1/0x1000000"] > .row');
      const text = await heap.innerText();
      for (const part of [
        '0x1000000–0x1010000',
        '64 KiB',
        'rw-',
        'heap',
        'mmap',
        'Normal',
        'Anonymous #1',
        '12 KiB res',
      ]) {
        assert.ok(text.includes(part), `"${part}" missing from "${text}"`);
      }
      const space = await view.page.locator('[data-key="space:pid:1"] > .row').innerText();
      assert.match(space, /p \(pid 1\)\s+104 KiB virtual · 20 KiB resident/);
      const title = await view.page.getAttribute('[data-key="region:pid:1/0x1000000"]', 'title');
      assert.match(title ?? '', /AnonymousVMObject #1 \(16 pages\)/);
      const strip = view.page.locator('[data-key="region:pid:1/0x1000000"] canvas.page-strip');
      assert.strictEqual(
        await strip.getAttribute('aria-label'),
        '16 pages: 3 resident, 4 shared zero, 9 not present',
      );
      assert.deepStrictEqual(pageErrors(view), []);
    });

    it('applies a patch and marks what the step changed', async () => {
      await view.send(patch(processState(3), nextStepState()));
      const heap = view.page.locator('[data-key="region:pid:1/0x1000000"]');
      assert.match((await heap.getAttribute('class')) ?? '', /changed-modified/);
      assert.match(await view.page.locator('.change-summary').innerText(), /^\+0\s+~2\s+−0$/);
      const strip = heap.locator('canvas.page-strip');
      assert.strictEqual(
        await strip.getAttribute('aria-label'),
        '16 pages: 4 resident, 4 shared zero, 8 not present',
      );
      assert.match(
        await view.page.locator('.step-info').innerText(),
        /After step 4 \(line 5\) · next: line 6\s+zero_fault/,
      );
    });

    it('keeps the page strips of regions a step left alone, and draws the changed one anew', async () => {
      const mark = (key: string): Promise<void> =>
        view.page.evaluate((k) => {
          const doc = (globalThis as unknown as { document: { querySelector(s: string): object | null } })
            .document;
          const canvas = doc.querySelector(`[data-key="${k}"] canvas.page-strip`) as Record<string, unknown>;
          canvas['__before'] = true;
        }, key);
      const marked = (key: string): Promise<boolean> =>
        view.page.evaluate((k) => {
          const doc = (globalThis as unknown as { document: { querySelector(s: string): object | null } })
            .document;
          const canvas = doc.querySelector(`[data-key="${k}"] canvas.page-strip`) as Record<string, unknown>;
          return canvas['__before'] === true;
        }, key);
      await mark('region:pid:1/0x1000000');
      await mark('region:pid:1/0x2000000');
      await view.send(patch(processState(3), nextStepState()));
      assert.strictEqual(await marked('region:pid:1/0x2000000'), true, 'an unchanged strip was drawn anew');
      assert.strictEqual(await marked('region:pid:1/0x1000000'), false, 'the changed strip was kept');
      const strip = view.page.locator('[data-key="region:pid:1/0x1000000"] canvas.page-strip');
      assert.strictEqual(
        await strip.getAttribute('aria-label'),
        '16 pages: 4 resident, 4 shared zero, 8 not present',
      );
    });

    it('follows the session back a step as well as forward', async () => {
      await view.send(patch(processState(3), nextStepState()));
      await view.send(patch(nextStepState(), processState(3)));
      assert.match(
        await view.page.locator('.step-info').innerText(),
        /After step 3 \(line 4\) · next: line 5/,
      );
      const strip = view.page.locator('[data-key="region:pid:1/0x1000000"] canvas.page-strip');
      assert.strictEqual(
        await strip.getAttribute('aria-label'),
        '16 pages: 3 resident, 4 shared zero, 9 not present',
      );
      assert.strictEqual((await view.posted()).filter((m) => m['type'] === 'error').length, 0);
    });

    it('lists what an earlier step held and the current one does not', async () => {
      // Stepping back from step 4 to boot: the process and its regions are gone.
      await view.send(snapshot(bootState(), computeChangeSet(nextStepState(), bootState())));
      const removed = view.page.locator('.removed-list li');
      assert.ok((await removed.count()) >= 4);
      assert.match((await removed.allTextContents()).join('\n'), /p: heap 0x1000000–0x1010000/);
    });

    it('moves through the tree with the keyboard and selects with Enter', async () => {
      await view.page.focus('[data-key="space:kernel"]');
      await view.page.keyboard.press('ArrowDown');
      assert.strictEqual(await focusedKey(view.page), 'region:kernel/0x2000200000');
      await view.page.keyboard.press('End');
      assert.strictEqual(await focusedKey(view.page), 'region:pid:1/0x1ffdf00000');
      await view.page.keyboard.press('ArrowUp');
      await view.page.keyboard.press('ArrowUp');
      assert.strictEqual(await focusedKey(view.page), 'region:pid:1/0x1000000');
      await view.page.keyboard.press('Enter');
      await waitForPosted(
        view,
        (m) => m['type'] === 'select' && JSON.stringify(m['target']).includes('"regionId":"0x1000000"'),
      );
      await view.page.keyboard.press('ArrowRight');
      assert.strictEqual(
        await view.page.getAttribute('[data-key="region:pid:1/0x1000000"]', 'aria-expanded'),
        'true',
      );
      await view.page.keyboard.press('ArrowDown');
      assert.strictEqual(await focusedKey(view.page), 'pages:pid:1/0x1000000');
      await view.page.keyboard.press('ArrowRight');
      await view.page.keyboard.press('ArrowRight');
      await view.page.keyboard.press('Enter');
      const selected = await waitForPosted(
        view,
        (m) => m['type'] === 'select' && JSON.stringify(m['target']).includes('"kind":"page"'),
      );
      assert.deepStrictEqual(selected['target'], { kind: 'page', spaceId: 'pid:1', vaddr: '0x1001000' });
      await view.page.keyboard.press('ArrowLeft');
      await view.page.keyboard.press('ArrowLeft');
      await view.page.keyboard.press('ArrowLeft');
      assert.strictEqual(await focusedKey(view.page), 'region:pid:1/0x1000000');
    });

    it('reveals a page another view selected', async () => {
      await view.send({ type: 'reveal', target: { kind: 'page', spaceId: 'pid:1', vaddr: '0x1002000' } });
      const region = view.page.locator('[data-key="region:pid:1/0x1000000"]');
      assert.strictEqual(await region.getAttribute('aria-expanded'), 'true');
      assert.match((await region.getAttribute('class')) ?? '', /revealed/);
      assert.strictEqual(await focusedKey(view.page), 'pages:pid:1/0x1000000');
      assert.match(
        (await region.locator('canvas').getAttribute('title')) ?? '',
        /^page 2 at 0x1002000: resident/,
      );
    });

    it('asks to compare with a chosen step and to open a region in the binary view', async () => {
      await view.page.selectOption('.compare-select', '1');
      await waitForPosted(view, (m) => m['type'] === 'compareWithStep' && m['step'] === 1);
      await view.page.click('[data-key="region:pid:1/0x1000000"] > .row button');
      await waitForPosted(view, (m) => m['type'] === 'openInBinaryView' && m['regionId'] === '0x1000000');
    });

    it('takes a typed step number to compare with once there are too many steps to list', async () => {
      const late = processState(3);
      late.step = { ...late.step, index: 500 };
      await view.send(snapshot(late));
      assert.strictEqual(await view.page.locator('.compare-select').count(), 0);
      await view.page.fill('.compare-step', '123');
      await view.page.press('.compare-step', 'Enter');
      await view.page.locator('.compare-step').blur();
      await waitForPosted(view, (m) => m['type'] === 'compareWithStep' && m['step'] === 123);
    });

    it('remembers expanded regions across a reload', async () => {
      await view.page.click('[data-key="region:pid:1/0x1000000"] .twistie');
      const saved = await view.page.evaluate(() =>
        (globalThis as unknown as { __savedState(): unknown }).__savedState(),
      );
      const restored = await harness.open('regions', 'dark', hostFor(processState(3), saved));
      await restored.page.waitForSelector('[role="tree"]');
      assert.strictEqual(
        await restored.page.getAttribute('[data-key="region:pid:1/0x1000000"]', 'aria-expanded'),
        'true',
      );
      await restored.close();
    });
  });

  describe('region tree in a narrow panel', () => {
    it('gives size, flags, memory type, VMObject and amounts a line of their own', async () => {
      const rowTops = `[...document.querySelectorAll('.region-row')].map((row) => ({
        range: row.querySelector('.range').getBoundingClientRect().top,
        size: row.querySelector('.size').getBoundingClientRect().top,
        rightmost: Math.max(...[...row.querySelectorAll('*')].map((e) => e.getBoundingClientRect().right)),
      }))`;
      const pageWidth = `document.documentElement.clientWidth`;
      for (const width of [480, 1200]) {
        const view = await harness.open('regions', 'dark', hostFor(processState(3)), { width, height: 700 });
        await view.page.waitForSelector('[role="tree"]');
        await view.send(patch(processState(3), nextStepState()));
        await view.page.waitForSelector('.region-row .change-letter');
        const rows = await view.page.evaluate<{ range: number; size: number; rightmost: number }[]>(rowTops);
        const visibleWidth = await view.page.evaluate<number>(pageWidth);
        assert.strictEqual(rows.length, 5);
        for (const row of rows) {
          assert.ok(row.rightmost <= visibleWidth, `a row reaches ${row.rightmost} of ${visibleWidth} px`);
          if (width < 1000) assert.ok(row.size > row.range, 'a narrow row keeps its size beside its range');
          else assert.strictEqual(row.size, row.range, 'a wide row puts its size on a second line');
        }
        assert.deepStrictEqual(pageErrors(view), []);
        await view.close();
      }
    });
  });

  describe('sidebar region tree', () => {
    it('shows the same tree, compact, in a narrow view', async () => {
      const view = await harness.open('regionTreeView', 'light', hostFor(processState(3)), {
        width: 300,
        height: 600,
      });
      await view.page.waitForSelector('[role="tree"]');
      assert.strictEqual(await view.page.locator('[role="treeitem"][aria-level="2"]').count(), 5);
      const row = view.page.locator('[data-key="region:pid:1/0x1000000"] > .row');
      assert.strictEqual(await row.locator('.range').innerText(), '0x1000000');
      assert.strictEqual(await row.locator('.vmobject').isVisible(), false);
      const overflow = await view.page.evaluate(() => {
        const doc = (
          globalThis as unknown as {
            document: { documentElement: { scrollWidth: number; clientWidth: number } };
          }
        ).document;
        return doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
      });
      assert.strictEqual(overflow, 0, 'the sidebar view scrolls sideways');
      await view.close();
    });
  });

  describe('page tables', () => {
    it('walks an address through the four levels with labelled bit chips', async () => {
      const view = await harness.open('pageTables', 'dark', hostFor(processState(3)));
      await view.page.fill('.vaddr-input', '0x1002000');
      await view.page.press('.vaddr-input', 'Enter');
      await view.page.waitForSelector('.walk-table');
      assert.deepStrictEqual(await view.page.locator('.walk-table tbody th').allInnerTexts(), [
        'PML4',
        'PDPT',
        'PD',
        'PT',
      ]);
      const pt = view.page.locator('.walk-table tr[data-level="PT"]');
      assert.deepStrictEqual(await pt.locator('.chip').allInnerTexts(), [
        'P',
        'RW',
        'US',
        'PWT',
        'PCD',
        'A',
        'D',
        'PAT',
        'G',
        'NX',
      ]);
      assert.deepStrictEqual(await pt.locator('.chip.bit-on').allInnerTexts(), [
        'P',
        'RW',
        'US',
        'A',
        'D',
        'NX',
      ]);
      assert.match(await pt.innerText(), /\[2\][\s\S]*→ 0x10002000[\s\S]*WB[\s\S]*0x8000000010002067/);
      assert.strictEqual(
        await view.page.locator('.walk-result').innerText(),
        '0x1002000 → physical 0x10002000',
      );
      await waitForPosted(
        view,
        (m) => m['type'] === 'select' && JSON.stringify(m['target']).includes('"kind":"address"'),
      );
      await view.page.fill('.vaddr-input', 'heap');
      await view.page.press('.vaddr-input', 'Enter');
      assert.strictEqual(
        await view.page.locator('.controls .input-error').innerText(),
        '"heap" is not an address',
      );
      assert.deepStrictEqual(pageErrors(view), []);
      await view.close();
    });

    it('keeps only a few dozen of 1,000,000 PTE rows in the DOM and scrolls to the last', async () => {
      const count = 1_000_000;
      const view = await harness.open('pageTables', 'dark', hostFor(bigPteState(count)));
      const grid = view.page.locator('[role="grid"]');
      await view.page.waitForSelector('.vwindow [role="row"]:not(.loading)');
      assert.strictEqual(await grid.getAttribute('aria-rowcount'), String(count + 1));
      assert.strictEqual(await view.page.locator('.table-info').innerText(), '1,000,000 present PTEs');
      const firstRows = await view.page.locator('.vwindow [role="row"]').count();
      assert.ok(firstRows > 10 && firstRows <= 60, `${firstRows} rows in the DOM`);
      await grid.focus();
      await view.page.keyboard.press('End');
      const last = toHex(0x10000000n + BigInt(count - 1) * 4096n);
      await view.page.waitForSelector(`#vrow-${count - 1}:not(.loading)`);
      assert.match(await view.page.locator(`#vrow-${count - 1}`).innerText(), new RegExp(`^${last}`));
      assert.strictEqual(await grid.getAttribute('aria-activedescendant'), `vrow-${count - 1}`);
      const rows = await view.page.locator('.vwindow [role="row"]').count();
      assert.ok(rows <= 60, `${rows} rows in the DOM after scrolling to the end`);
      await view.page.keyboard.press('ArrowUp');
      await view.page.keyboard.press('Enter');
      const selected = await waitForPosted(view, (m) => m['type'] === 'select');
      assert.deepStrictEqual(selected['target'], {
        kind: 'page',
        spaceId: 'pid:1',
        vaddr: toHex(0x10000000n + BigInt(count - 2) * 4096n),
      });
      await view.page.waitForSelector('.walk-table tr[data-level="PT"]');
      assert.deepStrictEqual(pageErrors(view), []);
      await view.close();
    });

    it('scrolls a revealed page into view', async () => {
      const view = await harness.open('pageTables', 'dark', hostFor(bigPteState(1_000_000)));
      await view.page.waitForSelector('.vwindow [role="row"]:not(.loading)');
      const vaddr = toHex(0x10000000n + 500_000n * 4096n);
      await view.send({ type: 'reveal', target: { kind: 'page', spaceId: 'pid:1', vaddr } });
      await view.page.waitForSelector('#vrow-500000:not(.loading)');
      assert.match(await view.page.locator('#vrow-500000').innerText(), new RegExp(`^${vaddr}`));
      assert.strictEqual(await view.page.inputValue('.vaddr-input'), vaddr);
      await view.close();
    });

    it('filters the table to a region revealed by another view', async () => {
      const view = await harness.open('pageTables', 'dark', hostFor(processState(3)));
      await view.page.waitForSelector('.vwindow [role="row"]:not(.loading)');
      await view.send({
        type: 'reveal',
        target: { kind: 'region', spaceId: 'pid:1', regionId: '0x1000000' },
      });
      assert.strictEqual(
        await view.page.inputValue('select[aria-label="Show the PTEs of region"]'),
        '0x1000000',
      );
      await waitForPosted(view, (m) => m['type'] === 'requestPteRows' && m['regionId'] === '0x1000000');
      await view.page.selectOption('select[aria-label="Show the PTEs of region"]', '');
      const lastRequest = async (): Promise<unknown> =>
        (await view.posted()).filter((m) => m['type'] === 'requestPteRows').pop()?.['regionId'];
      for (let i = 0; i < 50 && (await lastRequest()) !== null; i++) await view.page.waitForTimeout(20);
      assert.strictEqual(await lastRequest(), null);
      await view.close();
    });

    for (const width of [480, 1200]) {
      it(`keeps every bit chip whole ${width} pixels wide, the PTE table's columns aligned`, async () => {
        const view = await harness.open('pageTables', 'light', hostFor(processState(3)), {
          width,
          height: 800,
        });
        await view.page.fill('.vaddr-input', '0x1002000');
        await view.page.press('.vaddr-input', 'Enter');
        await view.page.waitForSelector('.walk-table');
        await view.page.waitForSelector('.vwindow [role="row"]:not(.loading)');
        const layout = await view.page.evaluate<TableLayout>(TABLE_LAYOUT_PROBE);
        assert.strictEqual(layout.pageOverflow, 0, 'the panel scrolls sideways');
        assert.deepStrictEqual(layout.cutChips, []);
        assert.deepStrictEqual(layout.overflowingCells, []);
        assert.deepStrictEqual(layout.misalignedRows, []);
        // Wide, all the columns; narrow, the frame, caching and raw value give way (the row's tooltip and
        // its walk show them), set bits only show, and nothing scrolls sideways.
        assert.strictEqual(layout.tableScrollsSideways, false);
        const headers = await view.page.evaluate<string[]>(
          `[...document.querySelectorAll('.vhead .vcell')].filter((c) => c.getBoundingClientRect().width > 0).map((c) => c.innerText).filter((t) => t !== '')`,
        );
        const narrow = width < 720;
        assert.deepStrictEqual(
          headers,
          narrow
            ? ['Address', 'Bits', 'Region']
            : ['Virtual address', 'Frame', 'Bits', 'Cache', 'Raw PTE', 'Region'],
        );
        const clearBitsShown = await view.page.evaluate<number>(
          `[...document.querySelectorAll('.vwindow .chip.bit-off')].filter((c) => c.getBoundingClientRect().width > 0).length`,
        );
        assert.strictEqual(clearBitsShown > 0, !narrow);
        assert.match((await view.page.locator('#vrow-0').getAttribute('title')) ?? '', /raw 0x[0-9a-f]+/);
        assert.deepStrictEqual(pageErrors(view), []);
        await view.close();
      });
    }

    describe('row detail in a narrow table', () => {
      /** A row's box and its open detail's, in CSS pixels (null where not drawn). */
      const box = async (
        view: OpenedView,
        selector: string,
      ): Promise<{ top: number; bottom: number } | null> =>
        view.page.evaluate(`(() => {
          const element = document.querySelector(${JSON.stringify(selector)});
          if (element === null) return null;
          const r = element.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom };
        })()`);
      /** The detail's lines as "label<tab>value". */
      const detailLines = async (view: OpenedView, index: number): Promise<string[]> =>
        view.page
          .locator(`#vdetail-${index} .vdetail-line`)
          .evaluateAll((lines) =>
            lines.map((line) => [...line.children].map((part) => part.textContent).join('\t')),
          );
      const expanded = (view: OpenedView, index: number): Promise<string | null> =>
        view.page.locator(`#vrow-${index} .vdisclosure`).getAttribute('aria-expanded');
      /** What the row's tooltip says of its frame, caching and raw value: what the detail must show. */
      const hiddenColumns = async (view: OpenedView, index: number): Promise<string[]> => {
        const title = (await view.page.locator(`#vrow-${index}`).getAttribute('title')) ?? '';
        const found = /→ frame (\S+), bits .*, cache (\S+), raw (\S+?)(,|$)/.exec(title);
        assert.ok(found, `row ${index} has no frame, cache and raw value in "${title}"`);
        return [`Frame\t${found[1]}`, `Cache\t${found[2]}`, `Raw PTE\t${found[3]}`];
      };

      it('opens one row at a time onto its frame, caching and raw PTE, from the keyboard and its chevron', async () => {
        const view = await harness.open('pageTables', 'dark', hostFor(bigPteState(5000)), {
          width: 480,
          height: 800,
        });
        await view.page.waitForSelector('.vwindow [role="row"]:not(.loading)');
        assert.strictEqual(await expanded(view, 0), 'false');
        const grid = view.page.locator('[role="grid"]');
        await grid.focus();
        await view.page.keyboard.press('ArrowDown');
        await view.page.keyboard.press('ArrowRight');
        assert.strictEqual(await expanded(view, 0), 'true');
        assert.deepStrictEqual(await detailLines(view, 0), await hiddenColumns(view, 0));
        // The next row starts where the detail ends, the detail where its row does.
        const row0 = await box(view, '#vrow-0');
        const detail = await box(view, '#vdetail-0');
        const row1 = await box(view, '#vrow-1');
        assert.ok(row0 && detail && row1);
        assert.strictEqual(detail.top, row0.bottom);
        assert.strictEqual(row1.top, detail.bottom);
        await view.page.keyboard.press('ArrowLeft');
        assert.strictEqual(await expanded(view, 0), 'false');
        assert.strictEqual(await view.page.locator('.vdetail').count(), 0);
        await view.page.keyboard.press(' ');
        assert.strictEqual(await expanded(view, 0), 'true');
        // Another row's detail closes this one; Space closes what it opened.
        await view.page.keyboard.press('ArrowDown');
        await view.page.keyboard.press(' ');
        assert.deepStrictEqual(await view.page.locator('.vdetail').evaluateAll((d) => d.map((e) => e.id)), [
          'vdetail-1',
        ]);
        assert.deepStrictEqual(await detailLines(view, 1), await hiddenColumns(view, 1));
        await view.page.keyboard.press(' ');
        assert.strictEqual(await view.page.locator('.vdetail').count(), 0);
        // The chevron opens its row without walking it.
        const selects = async (): Promise<number> =>
          (await view.posted()).filter((m) => m['type'] === 'select').length;
        const before = await selects();
        await view.page.click('#vrow-3 .vdisclosure');
        assert.strictEqual(await expanded(view, 3), 'true');
        assert.deepStrictEqual(await detailLines(view, 3), await hiddenColumns(view, 3));
        assert.strictEqual(await grid.getAttribute('aria-activedescendant'), 'vrow-3');
        assert.strictEqual(await selects(), before);
        const layout = await view.page.evaluate<TableLayout>(TABLE_LAYOUT_PROBE);
        assert.deepStrictEqual(layout.misalignedRows, []);
        assert.deepStrictEqual(layout.cutChips, []);
        assert.deepStrictEqual(layout.overflowingCells, []);
        assert.strictEqual(layout.tableScrollsSideways, false);
        // The grid kept the focus: its keys go on from the clicked row.
        await view.page.keyboard.press('ArrowLeft');
        assert.strictEqual(await expanded(view, 3), 'false');
        assert.deepStrictEqual(pageErrors(view), []);
        await view.close();
      });

      it('keeps the open detail in the scroll height and row positions, scrolled away and back', async () => {
        const view = await harness.open('pageTables', 'dark', hostFor(bigPteState(5000)), {
          width: 480,
          height: 800,
        });
        await view.page.waitForSelector('.vwindow [role="row"]:not(.loading)');
        const spacer = (): Promise<number> =>
          view.page.evaluate('document.querySelector(".vspacer").getBoundingClientRect().height');
        const closedHeight = await spacer();
        assert.strictEqual(closedHeight, 5000 * 22);
        await view.page.click('#vrow-2 .vdisclosure');
        const detail = await box(view, '#vdetail-2');
        assert.ok(detail);
        const detailHeight = detail.bottom - detail.top;
        assert.ok(detailHeight >= 3 * 18, `the detail is ${detailHeight} px tall`);
        assert.strictEqual(await spacer(), closedHeight + detailHeight);
        // The last row is reached whole, below the detail's added height.
        const grid = view.page.locator('[role="grid"]');
        await grid.focus();
        await view.page.keyboard.press('End');
        await view.page.waitForSelector('#vrow-4999:not(.loading)');
        const viewport = await box(view, '.vviewport');
        const last = await box(view, '#vrow-4999');
        assert.ok(viewport && last);
        assert.ok(
          last.top >= viewport.top && last.bottom <= viewport.bottom + 0.5,
          'the last row is in view',
        );
        assert.strictEqual(await view.page.locator('.vdetail').count(), 0);
        // A page revealed by another view is scrolled to the top, past the detail above it.
        const vaddr = toHex(0x10000000n + 2000n * 4096n);
        await view.send({ type: 'reveal', target: { kind: 'page', spaceId: 'pid:1', vaddr } });
        await view.page.waitForSelector('#vrow-2000:not(.loading)');
        const revealed = await box(view, '#vrow-2000');
        const top = await box(view, '.vviewport');
        assert.ok(revealed && top);
        assert.ok(
          Math.abs(revealed.top - top.top) <= 1,
          `row 2000 is ${revealed.top - top.top} px from the top`,
        );
        // Back at the top, the row is still open.
        await grid.focus();
        await view.page.keyboard.press('Home');
        await view.page.waitForSelector('#vdetail-2');
        assert.strictEqual(await expanded(view, 2), 'true');
        assert.deepStrictEqual(pageErrors(view), []);
        await view.close();
      });

      it('closes the detail when its row goes away, and shows none in a wide table', async () => {
        const view = await harness.open('pageTables', 'dark', hostFor(processState(3)), {
          width: 360,
          height: 800,
        });
        await view.page.waitForSelector('.vwindow [role="row"]:not(.loading)');
        await view.page.click('#vrow-0 .vdisclosure');
        await view.page.waitForSelector('#vdetail-0');
        // Another address space: its rows are other PTEs, and going back does not reopen the detail.
        const space = 'select[aria-label="Address space"]';
        await view.page.selectOption(space, 'kernel');
        await view.page.waitForSelector('.vdetail', { state: 'detached' });
        await view.page.selectOption(space, 'pid:1');
        await view.page.waitForSelector('#vrow-0:not(.loading)');
        assert.strictEqual(await view.page.locator('.vdetail').count(), 0);
        assert.strictEqual(await expanded(view, 0), 'false');
        // Wide, the columns are in the row: no chevron, and → opens nothing.
        await view.page.setViewportSize({ width: 1200, height: 800 });
        // The rows are drawn again in the frame after the table goes wide.
        await view.page.waitForSelector('.vtable:not(.narrow)');
        await view.page.waitForSelector('.vdisclosure', { state: 'detached' });
        await view.page.locator('[role="grid"]').focus();
        await view.page.keyboard.press('ArrowDown');
        await view.page.keyboard.press('ArrowRight');
        assert.strictEqual(await view.page.locator('.vdetail').count(), 0);
        assert.deepStrictEqual(pageErrors(view), []);
        await view.close();
      });
    });

    it('restores the walked address after a reload', async () => {
      const saved = { panel: 'pageTables', ui: { vaddr: '0x1001000', spaceId: 'pid:1' } };
      const view = await harness.open('pageTables', 'light', hostFor(processState(3), saved));
      await view.page.waitForSelector('.walk-table');
      assert.strictEqual(await view.page.inputValue('.vaddr-input'), '0x1001000');
      await view.close();
    });
  });

  describe('zones', () => {
    let view: OpenedView;
    beforeEach(async () => {
      view = await harness.open('zones', 'dark', hostFor(processState(3)));
      await view.page.waitForSelector('canvas.frame-map');
    });
    afterEach(() => view.close());

    it('shows counters, every zone with usage and free blocks per order, and the frame map', async () => {
      assert.strictEqual(await view.page.locator('.counters .bar-part').count(), 3);
      assert.strictEqual(await view.page.locator('.zone-table tbody tr').count(), 17);
      assert.strictEqual(await view.page.locator('.zone-table thead th.order').count(), 13);
      const lastLarge = view.page.locator('tr[data-zone="0:6"]');
      assert.match(await lastLarge.innerText(), /3962\s+1\s+1\s+1\s+1\s+1\s+1\s+1\s+1\s+1\s+1\s+1\s+1\s+0/);
      assert.strictEqual(await view.page.getAttribute('canvas.frame-map', 'data-frames'), '32768');
      assert.match(
        (await view.page.getAttribute('canvas.frame-map', 'aria-label')) ?? '',
        /4 anonymous memory/,
      );
      assert.match(await view.page.locator('[data-counter="used"]').innerText(), /^141 pages/);
    });

    it('explains a hovered frame, asks who maps it, and selects it on click', async () => {
      const frame = 20000;
      await view.page.locator('canvas.frame-map').scrollIntoViewIfNeeded();
      const box = await view.page.locator('canvas.frame-map').boundingBox();
      assert.ok(box);
      const cell = await framePoint(view.page, frame);
      const x = box.x + cell.x;
      const y = box.y + cell.y;
      await view.page.mouse.move(x, y);
      const tooltip = view.page.locator('.frame-tooltip');
      assert.match(await tooltip.innerText(), /^frame 20000 · paddr 0x4e20000 · anonymous memory · zone 0:4/);
      await view.page.waitForFunction(() =>
        (
          globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
        ).document
          .querySelector('.frame-tooltip')
          ?.textContent.includes('mapped at'),
      );
      assert.match(await tooltip.innerText(), /ref count 1 · mapped at pid:1 0x1000000/);
      await view.page.mouse.click(x, y);
      const selected = await waitForPosted(view, (m) => m['type'] === 'select');
      assert.deepStrictEqual(selected['target'], { kind: 'frame', paddr: '0x4e20000' });
    });

    it('moves a frame cursor with the keyboard and reveals a selected frame', async () => {
      await view.page.focus('canvas.frame-map');
      await view.page.keyboard.press('End');
      assert.match(
        await view.page.locator('.frame-tooltip').innerText(),
        /^frame 32767 .* the shared zero page/,
      );
      await view.send({ type: 'reveal', target: { kind: 'frame', paddr: '0x4e22000' } });
      assert.match(await view.page.locator('.frame-tooltip').innerText(), /^frame 20002 /);
    });
  });

  describe('things for context menus', () => {
    it('region tree: a region row stands for its region, the page strip for the page under the cursor', async () => {
      const view = await harness.open('regions', 'dark', hostFor(processState(3)));
      await view.page.waitForSelector('[role="tree"]');
      await recordMenuContexts(view.page);
      const heap = '[data-key="region:pid:1/0x1000000"]';
      assert.deepStrictEqual(await rightClickThing(view.page, `${heap} > .row .name`), {
        kind: 'region',
        space: 'pid:1',
        regionId: '0x1000000',
      });
      assert.strictEqual(await rightClickThing(view.page, '[data-key="space:pid:1"] > .row'), null);
      await view.page.click(`${heap} > .row .twistie`);
      const strip = `${heap} canvas.page-strip`;
      await view.page.waitForSelector(strip);
      // The third cell of the strip: page 2 of the region.
      assert.deepStrictEqual(await rightClickThing(view.page, strip, { x: 2 * 10 + 4, y: 4 }), {
        kind: 'page',
        space: 'pid:1',
        vaddr: '0x1002000',
      });
      // From the keyboard: the strip item, its cursor moved on by one page.
      await view.page.focus(`${heap} .strip-item`);
      await view.page.keyboard.press('ArrowRight');
      assert.deepStrictEqual(await keyboardMenuThing(view.page), {
        kind: 'page',
        space: 'pid:1',
        vaddr: '0x1003000',
      });
      assert.deepStrictEqual(pageErrors(view), []);
      await view.close();
    });

    it('page tables: a PTE row stands for its PTE, its frame and region cells for theirs, the walk for the PTE', async () => {
      const view = await harness.open('pageTables', 'dark', hostFor(processState(3)));
      await view.page.waitForSelector('.vwindow [role="row"]:not(.loading)');
      await recordMenuContexts(view.page);
      const row = '#vrow-0';
      const vaddr = await view.page.locator(`${row} .col-vaddr`).innerText();
      const frame = await view.page.locator(`${row} .col-frame`).innerText();
      assert.deepStrictEqual(await rightClickThing(view.page, `${row} .col-vaddr`), {
        kind: 'pte',
        space: 'pid:1',
        vaddr,
      });
      assert.deepStrictEqual(await rightClickThing(view.page, `${row} .col-frame`), {
        kind: 'frame',
        paddr: frame,
      });
      const region = (await rightClickThing(view.page, `${row} .col-region`)) as Record<string, string>;
      assert.deepStrictEqual(Object.keys(region), ['kind', 'space', 'regionId']);
      assert.strictEqual(region['kind'], 'region');
      // From the keyboard the grid stands for its active row.
      await view.page.focus('[role="grid"]');
      await view.page.keyboard.press('ArrowDown');
      await view.page.waitForSelector('[role="grid"][aria-activedescendant]', { state: 'attached' });
      const active = await view.page.getAttribute('[role="grid"]', 'aria-activedescendant');
      const activeVaddr = await view.page.locator(`#${active ?? ''} .col-vaddr`).innerText();
      assert.deepStrictEqual(await keyboardMenuThing(view.page), {
        kind: 'pte',
        space: 'pid:1',
        vaddr: activeVaddr,
      });
      await view.page.fill('.vaddr-input', '0x1002000');
      await view.page.press('.vaddr-input', 'Enter');
      await view.page.waitForSelector('.walk-table');
      assert.deepStrictEqual(await rightClickThing(view.page, '.walk-table tr[data-level="PT"] th'), {
        kind: 'pte',
        space: 'pid:1',
        vaddr: '0x1002000',
      });
      assert.deepStrictEqual(
        await rightClickThing(view.page, '.walk-table tr[data-level="PT"] td:nth-of-type(3)'),
        { kind: 'frame', paddr: '0x10002000' },
      );
      assert.strictEqual(await rightClickThing(view.page, '.walk-table tr[data-level="PD"] th'), null);
      await view.close();
    });

    it('zones, overview and DMA/MMIO: zones, counters, frames and kernel regions', async () => {
      const zones = await harness.open('zones', 'dark', hostFor(processState(3)));
      await zones.page.waitForSelector('canvas.frame-map');
      await recordMenuContexts(zones.page);
      assert.deepStrictEqual(await rightClickThing(zones.page, 'tr[data-zone="0:6"] th'), {
        kind: 'zone',
        zoneId: '0:6',
      });
      assert.deepStrictEqual(await rightClickThing(zones.page, '[data-counter="committed"]'), {
        kind: 'counter',
        name: 'committed',
      });
      assert.deepStrictEqual(await rightClickThing(zones.page, '[data-counter="freeInZones"]'), {
        kind: 'counter',
        name: 'free',
      });
      assert.strictEqual(await rightClickThing(zones.page, '[data-counter="physicalPages"]'), null);
      // The frame map's first cell is frame 0; from the keyboard, the frame under the cursor.
      assert.deepStrictEqual(
        await rightClickThing(zones.page, 'canvas.frame-map', await framePoint(zones.page, 0)),
        { kind: 'frame', paddr: '0x0' },
      );
      await zones.page.focus('canvas.frame-map');
      await zones.page.keyboard.press('ArrowRight');
      assert.deepStrictEqual(await keyboardMenuThing(zones.page), { kind: 'frame', paddr: '0x1000' });
      await zones.close();

      const overview = await harness.open('overview', 'dark', hostFor(processState(3)));
      await overview.page.waitForSelector('[data-counter="used"]');
      await recordMenuContexts(overview.page);
      assert.deepStrictEqual(await rightClickThing(overview.page, '[data-counter="used"]'), {
        kind: 'counter',
        name: 'used',
      });
      await overview.close();

      const dma = await harness.open('dmaMmio', 'light', hostFor(processState(3)));
      await dma.page.waitForSelector('tr.mapping');
      await recordMenuContexts(dma.page);
      assert.deepStrictEqual(
        await rightClickThing(dma.page, 'tr[data-mapping="dma:ring"] td:nth-of-type(2)'),
        {
          kind: 'region',
          space: 'kernel',
          regionId: 'dma:ring',
        },
      );
      assert.deepStrictEqual(await rightClickThing(dma.page, 'tr[data-mapping="dma:ring"] .frame-run'), {
        kind: 'frame',
        paddr: '0x700000',
      });
      await dma.close();
    });
  });

  describe('theme changes', () => {
    it('redraw the canvases in the new theme', async () => {
      const view = await harness.open('zones', 'dark', hostFor(processState(3)));
      await view.page.waitForSelector('canvas.frame-map');
      // Frame 10000 is free; its pixel is read back in canvas pixels.
      const cell = await framePoint(view.page, 10000);
      const freeFramePixel = (): Promise<number[]> =>
        view.page.evaluate(
          ([x, y]) => {
            const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } })
              .document;
            const canvas = doc.querySelector('canvas.frame-map') as {
              width: number;
              clientWidth: number;
              clientLeft: number;
              clientTop: number;
              getContext(kind: string): {
                getImageData(x: number, y: number, w: number, h: number): { data: number[] };
              };
            };
            const scale = canvas.width / canvas.clientWidth;
            const px = Math.floor((x! - canvas.clientLeft) * scale);
            const py = Math.floor((y! - canvas.clientTop) * scale);
            return [...canvas.getContext('2d').getImageData(px, py, 1, 1).data];
          },
          [cell.x, cell.y],
        );
      const dark = await freeFramePixel();
      // A free frame is a tint over the editor background (#1e1e1e in Dark), never the background itself.
      assert.notDeepStrictEqual(dark, [30, 30, 30, 255]);
      await view.page.evaluate(async () => {
        const doc = (
          globalThis as unknown as {
            document: {
              querySelector(s: string): { href: string; onload: () => void };
              body: { className: string };
            };
          }
        ).document;
        const link = doc.querySelector('link[href*="theme-dark"]');
        await new Promise<void>((resolve) => {
          link.onload = () => resolve();
          link.href = link.href.replace('theme-dark', 'theme-light');
        });
        doc.body.className = 'vscode-light';
      });
      await view.page.waitForTimeout(50);
      const light = await freeFramePixel();
      assert.notDeepStrictEqual(light, dark, 'redrawn in the new theme');
      assert.notDeepStrictEqual(light, [255, 255, 255, 255], 'not white on white');
      await view.close();
    });
  });

  describe('DMA/MMIO map', () => {
    it('shows each mapping with memory type, caching bits and contiguity', async () => {
      const view = await harness.open('dmaMmio', 'light', hostFor(processState(3)));
      await view.page.waitForSelector('tr.mapping');
      const mmio = view.page.locator('tr[data-mapping="mmio:e1000"]');
      assert.deepStrictEqual(await mmio.locator('.chip.bit-on').allInnerTexts(), ['PCD']);
      assert.match(
        await mmio.innerText(),
        /MMIO\s+e1000 MMIO\s+0x2000300000\s+4 KiB\s+IO[\s\S]*UC-[\s\S]*contiguous/,
      );
      const dma = view.page.locator('tr[data-mapping="dma:ring"]');
      assert.deepStrictEqual(await dma.locator('.chip.bit-on').allInnerTexts(), ['PAT']);
      assert.match(await dma.innerText(), /NonCacheable[\s\S]*WC[\s\S]*2 runs/);
      assert.strictEqual(await view.page.locator('table.data-table').nth(1).locator('tbody tr').count(), 5);
      await dma.locator('.frame-run').first().click();
      const selected = await waitForPosted(view, (m) => m['type'] === 'select');
      assert.deepStrictEqual(selected['target'], { kind: 'frame', paddr: '0x700000' });
      await view.send({ type: 'reveal', target: { kind: 'frame', paddr: '0x703000' } });
      assert.match((await dma.getAttribute('class')) ?? '', /revealed/);
      await view.close();
    });
  });

  describe('overview', () => {
    it('shows the step, its events as a listbox, and opens panels', async () => {
      const view = await harness.open('overview', 'dark', hostFor(processState(3)), {
        width: 320,
        height: 700,
      });
      await view.page.waitForSelector('[role="listbox"]');
      assert.strictEqual(await view.page.locator('[role="option"]').count(), 4);
      assert.match(
        await view.page.locator('.step-card').innerText(),
        /After step 3 \(line 4\) · next: line 5\s+zero_fault/,
      );
      await view.page.focus('[role="listbox"]');
      await view.page.keyboard.press('ArrowDown');
      await view.page.keyboard.press('ArrowDown');
      await view.page.keyboard.press('Enter');
      const selected = await waitForPosted(view, (m) => m['type'] === 'select');
      assert.deepStrictEqual(selected['target'], { kind: 'frame', paddr: '0x4e22000' });
      await view.page.click('button[data-panel="zones"]');
      await waitForPosted(view, (m) => m['type'] === 'openPanel' && m['panel'] === 'zones');
      await view.send({ type: 'noSession', reason: 'The debug session ended.' });
      assert.match(await view.page.locator('.empty-state').innerText(), /The debug session ended\./);
      await view.close();
    });
  });

  describe('overview of a fork', () => {
    it('folds a run of 130 page allocations into one row that says what they are for and opens and closes from the keyboard', async () => {
      const view = await harness.open('overview', 'light', hostFor(forkState()), { width: 360, height: 700 });
      await view.page.waitForSelector('.event-run');
      const run = view.page.locator('.event-run');
      assert.strictEqual(await run.getAttribute('data-count'), '130');
      assert.strictEqual(await run.getAttribute('aria-expanded'), 'false');
      assert.match(
        await run.innerText(),
        /PageAllocated fork: 130 paging-structure pages for pid 2 \(eager\)$/,
      );
      // The process, the run, two PTE writes and the flush: five rows for 134 events.
      assert.strictEqual(await view.page.locator('[role="option"]').count(), 5);
      await view.page.focus('[role="listbox"]');
      await view.page.keyboard.press('ArrowDown');
      await view.page.keyboard.press('ArrowDown');
      await view.page.keyboard.press('Enter');
      assert.strictEqual(await view.page.locator('.event-member').count(), 130);
      assert.strictEqual(await view.page.locator('.event-run').getAttribute('aria-expanded'), 'true');
      // The cursor stays on the run's row: Down goes to its first event, Enter selects that frame.
      await view.page.keyboard.press('ArrowDown');
      await view.page.keyboard.press('Enter');
      const selected = await waitForPosted(view, (m) => m['type'] === 'select');
      assert.deepStrictEqual(selected['target'], { kind: 'frame', paddr: '0x7e00000' });
      await view.page.keyboard.press('ArrowUp');
      await view.page.keyboard.press('Enter');
      assert.strictEqual(await view.page.locator('.event-member').count(), 0);
      assert.deepStrictEqual(view.errors, []);
      await view.close();
    });
  });

  describe('the shown step', () => {
    /** The body's data-step each time it changed, with what the PTE table showed at that moment. */
    function recordStepMarks(): void {
      const w = globalThis as unknown as Record<string, unknown> & {
        document: {
          body: { dataset: Record<string, string | undefined> } | null;
          querySelectorAll(selector: string): { length: number };
        };
        MutationObserver: new (callback: () => void) => { observe(node: unknown, options: object): void };
      };
      const marks: { step: string | null; loadingRows: number; rows: number }[] = [];
      w['__stepMarks'] = marks;
      let last: string | null = null;
      // Observes the document itself: at this point it has no root element yet.
      new w.MutationObserver(() => {
        const step = w.document.body?.dataset['step'] ?? null;
        if (step === last) return;
        last = step;
        marks.push({
          step,
          loadingRows: w.document.querySelectorAll('.vwindow .vrow.loading').length,
          rows: w.document.querySelectorAll('.vwindow .vrow:not(.loading)').length,
        });
      }).observe(w.document, {
        attributes: true,
        subtree: true,
        attributeFilter: ['data-step'],
      });
    }

    const marks = (view: OpenedView): Promise<{ step: string | null; loadingRows: number; rows: number }[]> =>
      view.page.evaluate(
        () =>
          (globalThis as unknown as Record<string, unknown>)['__stepMarks'] as {
            step: string | null;
            loadingRows: number;
            rows: number;
          }[],
      );

    async function waitForStep(view: OpenedView, step: string | null): Promise<void> {
      await view.page.waitForFunction(
        (expected) =>
          ((globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } } })
            .document.body.dataset['step'] ?? null) === expected,
        step,
      );
    }

    it('is marked on the body once drawn, follows patches, and goes with the session', async () => {
      const view = await harness.open(
        'regions',
        'dark',
        hostFor(processState(3)),
        undefined,
        async (page) => {
          await page.addInitScript(recordStepMarks);
        },
      );
      await waitForStep(view, '3');
      await view.send(patch(processState(3), nextStepState()));
      await waitForStep(view, '4');
      await view.send({ type: 'noSession', reason: 'The debug session ended.' });
      await waitForStep(view, null);
      assert.deepStrictEqual(
        (await marks(view)).map((mark) => mark.step),
        ['3', '4', null],
      );
      await view.close();
    });

    it('waits in the page tables for the PTE rows of the step', async () => {
      const view = await harness.open(
        'pageTables',
        'dark',
        hostFor(bigPteState(5000)),
        undefined,
        async (page) => {
          await page.addInitScript(recordStepMarks);
        },
      );
      await waitForStep(view, '3');
      const [first] = await marks(view);
      assert.strictEqual(first?.step, '3');
      assert.strictEqual(first.loadingRows, 0, 'marked while rows were still loading');
      assert.ok(first.rows > 10, `marked with ${first.rows} rows drawn`);
      await view.close();
    });
  });

  describe('malformed messages', () => {
    it('are ignored with an error reply, and the view keeps its state', async () => {
      const view = await harness.open('regions', 'dark', hostFor(processState(3)));
      await view.page.waitForSelector('[role="tree"]');
      for (const bad of [
        null,
        'hello',
        { type: 'snapshot', state: 42 },
        { type: 'reveal', target: { kind: 'frame', paddr: 12 } },
      ]) {
        await view.send(bad);
      }
      const errors = (await view.posted()).filter((m) => m['type'] === 'error');
      assert.strictEqual(errors.length, 4);
      assert.match(String(errors[3]?.['message']), /message\.target\.paddr: expected a hex string/);
      assert.strictEqual(await view.page.locator('[role="treeitem"][aria-level="2"]').count(), 5);
      // A patch for another step is well-formed but cannot apply: error, then a fresh "ready".
      await view.send(patch(bootState(), processState()));
      const posted = await view.posted();
      assert.match(
        String(posted[posted.length - 2]?.['message']),
        /could not apply patch: patch is from step 0/,
      );
      assert.strictEqual(posted[posted.length - 1]?.['type'], 'ready');
      assert.deepStrictEqual(pageErrors(view), []);
      await view.close();
    });
  });

  describe('page policy and theme', () => {
    it('loads under the content security policy with codicons, in dark and light colours', async () => {
      for (const [theme, background] of [
        ['dark', 'rgb(30, 30, 30)'],
        ['light', 'rgb(255, 255, 255)'],
      ] as const) {
        const view = await harness.open('zones', theme, hostFor(processState(3)));
        await view.page.waitForSelector('canvas.frame-map');
        const facts = await view.page.evaluate(async () => {
          const doc = (
            globalThis as unknown as {
              document: { fonts: { ready: Promise<unknown>; check(f: string): boolean }; body: unknown };
            }
          ).document;
          await doc.fonts.ready;
          const style = (
            globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
          ).getComputedStyle(doc.body);
          return { codicons: doc.fonts.check('16px codicon'), background: style.backgroundColor };
        });
        assert.strictEqual(facts.background, background);
        assert.strictEqual(facts.codicons, true);
        assert.deepStrictEqual(
          view.errors.filter((e) => /Content Security Policy|Refused/.test(e)),
          [],
        );
        await view.close();
      }
    });
  });
});
