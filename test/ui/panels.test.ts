import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { EXTENSION_ID } from '../../src/extension/ids';
import { harnessSession } from '../harness/session';
import { Workbench } from '../harness/workbench';
import { TABLE_LAYOUT_PROBE, type TableLayout } from '../webview/layoutProbe';

// A person debugging the fork example: F5 on the open scenario, every panel and sidebar view opened,
// the debug toolbar's Step Over and Step Back buttons to move, and each panel checked against what
// the step did — forward through the zero fault, the fork and the copy-on-write faults, then back.
// Screenshots of every panel in Dark Modern and Light Modern go to test-results/screenshots/.

type PanelKind = 'regions' | 'pageTables' | 'zones' | 'dmaMmio' | 'timeline' | 'overview' | 'regionTreeView';
type EditorPanelKind = 'regions' | 'pageTables' | 'zones' | 'dmaMmio';

const OPEN_COMMANDS: Record<EditorPanelKind, string> = {
  regions: 'MMU Lens: Open Region Tree',
  pageTables: 'MMU Lens: Open Page Tables',
  zones: 'MMU Lens: Open Zones',
  dmaMmio: 'MMU Lens: Open DMA/MMIO Map',
};

/** The panels' tab titles. */
const TAB_TITLES: Record<EditorPanelKind, string> = {
  regions: 'Regions',
  pageTables: 'Page Tables',
  zones: 'Zones',
  dmaMmio: 'DMA/MMIO',
};

const SCENARIO = '02-fork-copy-on-write.mmu';
const DMA_SCENARIO = '07-kernel-dma-mmio.mmu';

/**
 * Dark Modern when the system is dark, Light Modern when it is light. The values are the themes'
 * ids: a name the workbench does not know makes it fall back to another theme (or to its bare
 * dark defaults) while still reporting the theme kind asked for.
 */
const THEME_SETTINGS = {
  'window.autoDetectColorScheme': true,
  'workbench.preferredDarkColorTheme': 'Dark Modern',
  'workbench.preferredLightColorTheme': 'Light Modern',
};
const POLL_TIMEOUT_MS = 30_000;

const SIDE_BAR_BACKGROUND = "getComputedStyle(document.querySelector('.part.sidebar')).backgroundColor";

/** Whether a CSS rgb()/rgba() colour is clearly dark or clearly light. */
function isShade(color: string, shade: 'dark' | 'light'): boolean {
  const channels = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color);
  if (channels === null) return false;
  const lightness = (Number(channels[1]) + Number(channels[2]) + Number(channels[3])) / (3 * 255);
  return shade === 'dark' ? lightness < 0.35 : lightness > 0.65;
}

/** The page-table entry of one virtual address, as the Page tables panel shows it. */
interface ShownPte {
  /** The labels of the set bits of the PT-level entry ("P", "RW", …); empty when not mapped. */
  bits: string[];
  /** The physical page the walk ends on, or null when the address is not mapped. */
  paddr: string | null;
}

describe('the MMU Lens panels during a debug session', function () {
  let workbench: Workbench;
  /** The first address of the scenario's `buf` (the "data" region of the parent). */
  let buf = '';
  /** What the panels showed at a step on the way forward, to compare with after stepping back. */
  const seen = new Map<number, { zones: string; parentPte: ShownPte; spaces: string[] }>();

  /** The frame of the webview of this kind once it shows `selector`. */
  const panel = (kind: PanelKind, selector = '.view-header'): Promise<Frame> =>
    workbench.waitForWebview(`body[data-panel="${kind}"] ${selector}`, { extensionId: EXTENSION_ID });

  /**
   * Polls `read` until `accept` takes its value, and returns that value: the panels update a moment
   * after the debug session stops, and a panel brought to the front first loads its state.
   */
  async function poll<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + POLL_TIMEOUT_MS;
    let last: T | undefined;
    let failure: unknown;
    while (Date.now() < deadline) {
      try {
        last = await read();
        if (accept(last)) return last;
      } catch (error) {
        // A webview that is being replaced (its panel was hidden, then revealed) detaches its frame.
        failure = error;
      }
      await workbench.page.waitForTimeout(200);
    }
    const shown = last === undefined ? `nothing (${String(failure)})` : JSON.stringify(last);
    throw new Error(`${what}: never as expected; last shown ${shown}`);
  }

  /** Polls the text of `selector` in the webview until it matches, and returns it. */
  async function waitForPanelText(kind: PanelKind, selector: string, pattern: RegExp): Promise<string> {
    return poll(
      `the ${kind} view's ${selector} matching ${pattern}`,
      async () => {
        const frame = await panel(kind, selector);
        return frame.locator(`body[data-panel="${kind}"] ${selector}`).first().innerText({ timeout: 2_000 });
      },
      (text) => pattern.test(text),
    );
  }

  /** The step the overview shows ("Step N"). */
  async function shownStep(): Promise<number> {
    const text = await waitForPanelText('overview', '.step-card .step-line', /step \d+/i);
    return Number(/step (\d+)/i.exec(text)![1]);
  }

  /** The statement of the step the overview shows. */
  async function shownStatement(): Promise<string> {
    return waitForPanelText('overview', '.step-card .statement', /\S/);
  }

  /**
   * Brings the panel of this kind to the front and waits until it shows the step the overview shows.
   * The first time through the command palette; afterwards through the overview's panel buttons, as
   * a click needs no keyboard focus.
   */
  async function showPanel(kind: EditorPanelKind, step?: number): Promise<Frame> {
    const opened = workbench.page.locator('.tabs-container .tab', { hasText: TAB_TITLES[kind] });
    if ((await opened.count()) === 0) {
      await workbench.runCommand(OPEN_COMMANDS[kind]);
    } else {
      // Stopping at a breakpoint shows the Run and Debug view in the sidebar instead.
      await showSidebar();
      // A webview that VS Code is replacing detaches its frame under the click: then click again.
      await poll(
        `a click on the overview's ${kind} button`,
        async () => {
          const overview = await panel('overview', '.panel-buttons');
          await overview.locator(`.panel-buttons button[data-panel="${kind}"]`).click({ timeout: 5_000 });
          return true;
        },
        (clicked) => clicked,
      );
    }
    const expected = step ?? (await shownStep());
    await waitForPanelText(kind, '.step-index', new RegExp(`step ${expected}\\b`, 'i'));
    return panel(kind, '.view-header');
  }

  async function showSidebar(): Promise<void> {
    const icon = workbench.page.locator('.part.activitybar .action-item a[aria-label^="MMU Lens"]').first();
    const container = workbench.page.locator('.part.sidebar .composite.title', { hasText: 'MMU Lens' });
    if (!(await container.first().isVisible())) await icon.click();
    await container.first().waitFor({ state: 'visible' });
  }

  /** One step with a button of the debug toolbar; waits until the overview shows the step reached. */
  async function step(direction: 'over' | 'back'): Promise<number> {
    const before = await shownStep();
    const after = direction === 'over' ? before + 1 : before - 1;
    await workbench.clickDebugAction(direction === 'over' ? 'debug-step-over' : 'debug-step-back');
    await waitForPanelText('overview', '.step-card .step-line', new RegExp(`step ${after}\\b`, 'i'));
    return after;
  }

  /** Steps in the direction until the overview's step card shows the statement; returns the step. */
  async function stepUntil(direction: 'over' | 'back', statement: RegExp): Promise<number> {
    for (let i = 0; i < 16; i++) {
      const reached = await step(direction);
      if (statement.test(await shownStatement())) return reached;
    }
    throw new Error(`never stepped ${direction} to ${statement}`);
  }

  /** The names of the address spaces of the region tree panel ("kernel", "parent (pid 1)", …). */
  async function regionTreeSpaces(expectedStep: number): Promise<string[]> {
    const frame = await showPanel('regions', expectedStep);
    const names = await frame.locator('[data-key^="space:"] .space-name').allInnerTexts();
    return names.map((name) => name.trim());
  }

  /**
   * Chooses the address space of the process in the Page tables panel and walks `buf` there (the
   * panel walks the address again on every step). Returns the PT entry the walk ends on, once the
   * table of present PTEs agrees with it: the row of `buf` has the same frame and bits.
   */
  async function pteOf(processName: string, expectedStep: number): Promise<ShownPte> {
    const frame = await showPanel('pageTables', expectedStep);
    const spaces = frame.locator('select[aria-label="Address space"]');
    await spaces.locator('option', { hasText: processName }).first().waitFor({ state: 'attached' });
    const label = (await spaces.locator('option').allInnerTexts()).find((option) =>
      option.includes(processName),
    );
    assert.ok(label, `the Page tables panel offers no address space of ${processName}`);
    if ((await spaces.locator('option:checked').innerText()) !== label) {
      await spaces.selectOption({ label });
    }
    const input = frame.locator('.vaddr-input');
    if ((await input.inputValue()) !== buf) {
      await input.fill(buf);
      await input.press('Enter');
    }
    const walked = await poll(
      `the walk of ${buf} in ${processName}`,
      async () => {
        const result = await frame.locator('.walk-result').innerText({ timeout: 2_000 });
        const bits = await frame.locator('.walk-table tr[data-level="PT"] .chip.bit-on').allInnerTexts();
        const paddr = /→ physical (0x[0-9a-f]+)/.exec(result)?.[1] ?? null;
        const title = await frame.locator('.walk-title').innerText({ timeout: 2_000 });
        return { title, result, pte: { bits: bits.sort(), paddr } };
      },
      (shown) => shown.title.startsWith(buf) && (shown.pte.paddr !== null || /not mapped/.test(shown.result)),
    );
    const pte = walked.pte;
    if (pte.paddr !== null) {
      await poll(
        `the row of ${buf} in the PTE table of ${processName}`,
        async () => {
          const row = frame.locator('.vwindow .vrow:not(.loading)', {
            has: frame.locator('.col-vaddr', { hasText: new RegExp(`^${buf}$`) }),
          });
          const frameCell = await row.locator('.col-frame').innerText({ timeout: 2_000 });
          const bits = await row.locator('.col-bits .chip.bit-on').allInnerTexts();
          return { frame: frameCell.trim(), bits: bits.sort() };
        },
        (row) => row.frame === pte.paddr && row.bits.join(' ') === pte.bits.join(' '),
      );
    }
    await workbench.focusWorkbench(true);
    return pte;
  }

  async function zonesCounters(expectedStep: number): Promise<string> {
    const frame = await showPanel('zones', expectedStep);
    return frame.locator('.counters .counter-list').innerText();
  }

  /**
   * Dark Modern or Light Modern, for certain: the colour scheme switches it, and when the workbench
   * picked another theme of the kind (a theme remembered from an earlier run), the theme picker.
   */
  async function showTheme(theme: 'dark' | 'light'): Promise<void> {
    await workbench.useColorScheme(theme);
    const id = theme === 'dark' ? 'dark_modern' : 'light_modern';
    if (!(await workbench.themeClass()).includes(id))
      await workbench.setColorTheme(theme === 'dark' ? 'Dark Modern' : 'Light Modern');
    const shown = await workbench.themeClass();
    assert.ok(shown.includes(id), `the workbench shows ${shown || 'no theme'}`);
    await workbench.repaint();
  }

  async function screenshotEverything(
    theme: 'dark' | 'light',
    kinds: readonly EditorPanelKind[] = ['regions', 'pageTables', 'zones', 'dmaMmio'],
    suffix = '',
  ): Promise<void> {
    for (const kind of kinds) {
      const frame = await showPanel(kind);
      await showSidebar();
      const views = [
        frame,
        await panel('overview', '.step-card'),
        await panel('regionTreeView', '.step-index'),
      ];
      // The workbench really shows the theme: a dark or light side bar, not only the kind's class.
      const sideBar = await workbench.page.evaluate<string>(SIDE_BAR_BACKGROUND);
      assert.ok(isShade(sideBar, theme), `the side bar is ${sideBar} in the ${theme} theme`);
      for (const view of views) {
        // VS Code gives every webview's body the class of the theme kind, and its colours.
        const classes = (await view.locator('body').getAttribute('class')) ?? '';
        assert.ok(
          classes.split(/\s+/).includes(`vscode-${theme}`),
          `a webview's body has the classes "${classes}"`,
        );
        const text = await view.evaluate<string>('getComputedStyle(document.body).color');
        assert.ok(
          isShade(text, theme === 'dark' ? 'light' : 'dark'),
          `webview text is ${text} in the ${theme} theme`,
        );
      }
      if (kind === 'pageTables') {
        // The panel sits in a narrow editor group beside the scenario: nothing of a PTE may be cut.
        await frame.locator('.walk-table').waitFor();
        await frame.locator('.vwindow .vrow:not(.loading)').first().waitFor();
        const layout = await frame.evaluate<TableLayout>(TABLE_LAYOUT_PROBE);
        assert.strictEqual(layout.pageOverflow, 0, 'the Page tables panel scrolls sideways');
        assert.deepStrictEqual(layout.cutChips, []);
        assert.deepStrictEqual(layout.overflowingCells, []);
        assert.deepStrictEqual(layout.misalignedRows, []);
      }
      await workbench.screenshot(`panel-${kind}${suffix}-${theme}`);
    }
    await workbench.screenshot(`sidebar${suffix}-${theme}`);
  }

  before(async () => {
    // The workbench follows the colour scheme of the (emulated) operating system, read when it loads:
    // it starts dark, and the light screenshots need no theme picker.
    harnessSession().setUserSettings(THEME_SETTINGS);
    workbench = await harnessSession().openWorkbench({ colorScheme: 'dark' });
    // A workbench that loads dark may show a theme remembered from an earlier run; settle it.
    await showTheme('dark');
  });

  after(async () => {
    await workbench?.close();
    harnessSession().setUserSettings(
      Object.fromEntries(Object.keys(THEME_SETTINGS).map((key) => [key, null])),
    );
  });

  it('starts debugging the fork example with F5 and opens the region tree', async () => {
    await workbench.openFile(SCENARIO);
    await workbench.waitForEditorText(/fork parent as child/);
    await workbench.page.locator('.tabs-container .tab', { hasText: SCENARIO }).first().click();
    await workbench.page.keyboard.press('F5');
    await workbench.page.locator('.debug-toolbar').waitFor({ state: 'visible' });
    // The session stops before its first step, and the region tree opens by itself.
    await waitForPanelText('regions', '.step-index', /step 0\b/i);
    await showSidebar();
    assert.strictEqual(await shownStep(), 0);
    await workbench.screenshot('debug-started');
  });

  it('shows the zero fault: the overview, the region tree, the zones and the PTE made writable', async () => {
    const mmapStep = await stepUntil('over', /^let buf = mmap/);
    const regions = await showPanel('regions', mmapStep);
    const dataRegion = regions.locator('[data-key^="region:"]', { hasText: 'data' }).first();
    await dataRegion.waitFor({ state: 'visible' });
    const range = await dataRegion.locator('.range').first().innerText();
    buf = /0x[0-9a-f]+/.exec(range)?.[0] ?? '';
    assert.ok(buf !== '', `no address in ${range}`);
    assert.deepStrictEqual(await regionTreeSpaces(mmapStep), ['kernel', 'parent (pid 1)']);
    const beforeFault = await pteOf('parent', mmapStep);
    assert.ok(!beforeFault.bits.includes('RW'), `before any write ${buf} is writable: ${beforeFault.bits}`);
    seen.set(mmapStep, {
      zones: await zonesCounters(mmapStep),
      parentPte: beforeFault,
      spaces: await regionTreeSpaces(mmapStep),
    });

    const faultStep = await stepUntil('over', /^write parent buf, "A"/);
    await waitForPanelText('overview', '.step-card', /zero_fault/);
    const afterFault = await pteOf('parent', faultStep);
    // The write that went through after the fault set Accessed and Dirty.
    assert.deepStrictEqual(afterFault.bits, ['A', 'D', 'NX', 'P', 'RW', 'US']);
    assert.notStrictEqual(
      afterFault.paddr,
      beforeFault.paddr,
      'the zero fault did not give buf a page of its own',
    );
    const zones = await zonesCounters(faultStep);
    assert.notStrictEqual(
      zones,
      seen.get(mmapStep)?.zones,
      'the zone counters did not change with the zero fault',
    );
    seen.set(faultStep, { zones, parentPte: afterFault, spaces: await regionTreeSpaces(faultStep) });
  });

  it('shows copy-on-write after the fork: both PTEs read-only on one frame, then a private copy', async () => {
    const parentBefore = seen.get(Math.max(...seen.keys()))!.parentPte;
    const forkStep = await stepUntil('over', /^fork parent as child/);
    assert.deepStrictEqual(await regionTreeSpaces(forkStep), ['kernel', 'parent (pid 1)', 'child (pid 2)']);
    const parent = await pteOf('parent', forkStep);
    const child = await pteOf('child', forkStep);
    // Fork write-protects the parent's private pages and maps the same frames read-only in the child.
    // Fork remaps the parent's entry field by field: its Accessed and Dirty bits stay.
    assert.deepStrictEqual(
      parent.bits,
      ['A', 'D', 'NX', 'P', 'US'],
      'the parent keeps write access after fork',
    );
    assert.deepStrictEqual(child.bits, ['NX', 'P', 'US'], 'the child got write access at fork');
    assert.strictEqual(parent.paddr, parentBefore.paddr, 'fork moved the parent to another frame');
    assert.strictEqual(child.paddr, parent.paddr, 'parent and child do not share the page after fork');
    seen.set(forkStep, {
      zones: await zonesCounters(forkStep),
      parentPte: parent,
      spaces: await regionTreeSpaces(forkStep),
    });

    const childWrite = await stepUntil('over', /^write child buf \+ 1/);
    await waitForPanelText('overview', '.step-card', /cow_fault/);
    const childCopy = await pteOf('child', childWrite);
    const parentAfterChild = await pteOf('parent', childWrite);
    assert.deepStrictEqual(
      childCopy.bits,
      ['A', 'D', 'NX', 'P', 'RW', 'US'],
      'the COW fault left the child read-only',
    );
    assert.notStrictEqual(childCopy.paddr, parent.paddr, 'the child wrote without a copy of its own');
    assert.deepStrictEqual(parentAfterChild, parent, "the child's write changed the parent's PTE");
    seen.set(childWrite, {
      zones: await zonesCounters(childWrite),
      parentPte: parentAfterChild,
      spaces: await regionTreeSpaces(childWrite),
    });

    // The parent's page is no longer shared: its COW fault makes the PTE writable on the same frame.
    const parentWrite = await stepUntil('over', /^write parent buf \+ 1/);
    const parentOwn = await pteOf('parent', parentWrite);
    assert.deepStrictEqual(parentOwn.bits, ['A', 'D', 'NX', 'P', 'RW', 'US']);
    assert.strictEqual(parentOwn.paddr, parent.paddr, 'the last reference was copied instead of reused');
    assert.deepStrictEqual(await pteOf('child', parentWrite), childCopy);
  });

  it('steps back with the debug toolbar, and every panel shows the earlier step again', async () => {
    const stepsSeen = [...seen.keys()].sort((a, b) => b - a);
    for (const earlier of stepsSeen) {
      let now = await shownStep();
      while (now > earlier) now = await step('back');
      assert.strictEqual(now, earlier);
      await showPanel('dmaMmio', earlier);
      const then = seen.get(earlier)!;
      assert.deepStrictEqual(
        await regionTreeSpaces(earlier),
        then.spaces,
        `the region tree at step ${earlier}`,
      );
      assert.deepStrictEqual(
        await pteOf('parent', earlier),
        then.parentPte,
        `the parent's PTE at step ${earlier}`,
      );
      assert.strictEqual(await zonesCounters(earlier), then.zones, `the zone counters at step ${earlier}`);
      const sidebarSpaces = await (
        await panel('regionTreeView', '.step-index')
      )
        .locator('[data-key^="space:"] .space-name')
        .allInnerTexts();
      assert.deepStrictEqual(
        sidebarSpaces.map((name) => name.trim()),
        then.spaces,
      );
    }
    // Back before the fork, the child is gone from the Page tables panel's address spaces too.
    const frame = await showPanel('pageTables', Math.min(...stepsSeen));
    const options = await frame.locator('select[aria-label="Address space"] option').allInnerTexts();
    assert.ok(!options.some((option) => option.includes('child')), `address spaces: ${options.join(', ')}`);
  });

  it('bookmarks a step, travels with a click on the Timeline and back to the bookmark, and compares with it', async () => {
    // A step reached beyond the one bookmarked, for the Timeline to travel to.
    await step('over');
    const start = await step('back');
    await workbench.runCommand('MMU Lens: Bookmark This Step');
    // The input box that asks the name replaces the command palette: wait for its prompt.
    await workbench.page
      .locator('.quick-input-widget', { hasText: `A name for step ${start}` })
      .first()
      .waitFor({ state: 'visible' });
    const name = workbench.quickInput();
    await name.fill('ui start');
    await name.press('Enter');
    await workbench.page
      .locator('.part.sidebar .monaco-list-row', { hasText: 'ui start' })
      .first()
      .waitFor({ state: 'visible' });
    await workbench.runCommand('MMU Lens: Open Timeline');
    await waitForPanelText('timeline', '.timeline-lanes', /bookmark\s+1\b/);
    const range = await waitForPanelText('timeline', '.timeline-range', /Steps 0–\d+ of \d+/);
    const last = Number(/of (\d+)/.exec(range)![1]);
    assert.ok(last > start, `the run reached step ${last}, the bookmark is step ${start}`);
    // A click at the strip's right end travels to the last step reached.
    const timeline = await panel('timeline', `.timeline-strip`);
    const box = await timeline.locator('canvas.timeline-strip').boundingBox();
    assert.ok(box !== null);
    await timeline
      .locator('canvas.timeline-strip')
      .click({ position: { x: box.width - 1, y: box.height / 2 } });
    await waitForPanelText('overview', '.step-card .step-line', new RegExp(`step ${last}\\b`, 'i'));
    await workbench.screenshot('panel-timeline-dark');
    await workbench.runCommand('MMU Lens: Compare with Bookmark');
    await workbench.chooseQuickPickRow('ui start');
    await poll(
      'the Timeline comparing with the bookmark',
      async () => (await panel('timeline', '.compare-select')).locator('.compare-select').inputValue(),
      (value) => value === String(start),
    );
    await workbench.runCommand('MMU Lens: Go to Bookmark');
    await workbench.chooseQuickPickRow('ui start');
    await waitForPanelText('overview', '.step-card .step-line', new RegExp(`step ${start}\\b`, 'i'));
    await workbench.runCommand('MMU Lens: Delete Bookmark');
    await workbench.chooseQuickPickRow('ui start');
    await waitForPanelText('timeline', '.timeline-lanes', /bookmark\s+0\b/);
  });

  it('shows every panel and the sidebar in the dark theme', async () => {
    await stepUntil('over', /^write child buf \+ 1/);
    await showTheme('dark');
    await screenshotEverything('dark');
  });

  it('shows every panel and the sidebar in the light theme', async () => {
    await showTheme('light');
    await screenshotEverything('light');
  });

  it('stops at a breakpoint of the kernel example and maps its DMA buffers and MMIO registers', async () => {
    await workbench.clickDebugAction('debug-stop');
    await workbench.page.locator('.debug-toolbar').waitFor({ state: 'hidden' });
    // A breakpoint (F9) on the line after the MMIO mapping, then F5 and Continue.
    const text = fs.readFileSync(path.join(harnessSession().workspace, DMA_SCENARIO), 'utf8');
    const line = text.split('\n').findIndex((source) => source.startsWith('let regs =')) + 2;
    assert.ok(line > 1, `no "let regs" line in ${DMA_SCENARIO}`);
    await workbench.setBreakpoint(DMA_SCENARIO, line);
    await workbench.page.keyboard.press('F5');
    await workbench.page.locator('.debug-toolbar').waitFor({ state: 'visible' });
    await waitForPanelText('overview', '.step-card .step-line', /step 0\b/i);
    await workbench.clickDebugAction('debug-continue');
    await workbench.page
      .locator('.part.sidebar .composite.title', { hasText: 'Run and Debug' })
      .first()
      .waitFor();
    await showSidebar();
    await waitForPanelText('overview', '.step-card .statement', /e1000 registers|0xFEB/);

    const frame = await showPanel('dmaMmio');
    // Reached with Continue, the stop is still compared with the step before it, as after F10: the
    // MMIO mapping that step made is new.
    const summary = await frame.locator('.view-header .change-summary').innerText();
    assert.match(summary, /\+1(?!\d)/, `changes since the previous step: ${summary}`);
    const mapping = async (name: string) => {
      const row = frame.locator('tr.mapping', {
        has: frame.locator('td', { hasText: new RegExp(`^${name}$`) }),
      });
      const cells = (await row.locator('td').allInnerTexts()).map((cell) => cell.trim());
      const bits = await row.locator('.chip.bit-on').allInnerTexts();
      return { kind: cells[0], vaddr: cells[2], memoryType: cells[4], frames: cells[6], bits: bits.sort() };
    };
    const nic = await mapping('nic descriptor');
    assert.deepStrictEqual([nic.kind, nic.memoryType, nic.bits], ['DMA', 'NonCacheable', ['PAT']]);
    const ring = await mapping('rx ring');
    assert.strictEqual(ring.kind, 'DMA');
    assert.match(ring.frames ?? '', /contiguous/);
    const regs = await mapping('e1000 registers');
    assert.deepStrictEqual([regs.kind, regs.memoryType], ['MMIO', 'IO']);
    assert.ok(regs.bits.includes('PCD'), `the MMIO registers' PTE caching bits are ${regs.bits.join(' ')}`);
    assert.match(regs.vaddr ?? '', /^0x[0-9a-f]+$/);
    for (const theme of ['light', 'dark'] as const) {
      await showTheme(theme);
      await screenshotEverything(theme, ['dmaMmio', 'zones'], '-kernel');
    }
  });
});
