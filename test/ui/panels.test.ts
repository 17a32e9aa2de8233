import * as assert from 'assert';
import type { Frame } from 'playwright-core';
import { EXTENSION_ID } from '../../src/extension/ids';
import { harnessSession } from '../harness/session';
import { Workbench } from '../harness/workbench';

// A person debugging the fork example: F5 on the open scenario, every panel and sidebar view opened,
// F10 to step and "Debug: Step Back" to go back, and each panel checked against what the step did.
// Screenshots of every panel in Dark Modern and Light Modern go to test-results/screenshots/.

type PanelKind = 'regions' | 'pageTables' | 'zones' | 'dmaMmio' | 'overview' | 'regionTreeView';

const OPEN_COMMANDS: Record<'regions' | 'pageTables' | 'zones' | 'dmaMmio', string> = {
  regions: 'MMU Lens: Open Region Tree',
  pageTables: 'MMU Lens: Open Page Tables',
  zones: 'MMU Lens: Open Zones',
  dmaMmio: 'MMU Lens: Open DMA/MMIO Map',
};

describe('the MMU Lens panels during a debug session', function () {
  let workbench: Workbench;

  /** The frame of the webview of this kind once it shows `selector`. */
  const panel = (kind: PanelKind, selector = '.view-header'): Promise<Frame> =>
    workbench.waitForWebview(`body[data-panel="${kind}"] ${selector}`, { extensionId: EXTENSION_ID });

  /** Polls the text of `selector` in the webview until it matches, and returns it. */
  async function waitForPanelText(kind: PanelKind, selector: string, pattern: RegExp): Promise<string> {
    const deadline = Date.now() + 60_000;
    let text = '';
    while (Date.now() < deadline) {
      const frame = await panel(kind, selector).catch(() => null);
      if (frame !== null) {
        text = await frame
          .locator(`body[data-panel="${kind}"] ${selector}`)
          .first()
          .innerText({ timeout: 2_000 })
          .catch(() => '');
        if (pattern.test(text)) return text;
      }
      await workbench.page.waitForTimeout(200);
    }
    throw new Error(`the ${kind} view never showed ${pattern} in ${selector}; it shows: ${text}`);
  }

  /** The step the overview shows ("Step N"). */
  async function shownStep(): Promise<number> {
    const text = await waitForPanelText('overview', '.step-card .step-line', /Step \d+/);
    return Number(/Step (\d+)/.exec(text)![1]);
  }

  async function openPanel(kind: keyof typeof OPEN_COMMANDS): Promise<Frame> {
    await workbench.runCommand(OPEN_COMMANDS[kind]);
    return panel(kind);
  }

  async function showSidebar(): Promise<void> {
    const icon = workbench.page.locator('.part.activitybar .action-item a[aria-label^="MMU Lens"]').first();
    const container = workbench.page.locator('.part.sidebar .composite.title', { hasText: 'MMU Lens' });
    if (!(await container.first().isVisible())) await icon.click();
    await container.first().waitFor({ state: 'visible' });
  }

  /** Keys typed inside a webview stay there: a click on the status bar gives them back to the workbench. */
  async function leaveWebview(): Promise<void> {
    const bar = workbench.page.locator('.part.statusbar');
    const box = await bar.boundingBox();
    await bar.click({ position: { x: (box?.width ?? 800) / 2, y: 4 } });
  }

  /** Gives the scenario's editor group the focus, so that debug keys reach the workbench. */
  async function focusScenarioEditor(): Promise<void> {
    await workbench.page
      .locator('.tabs-container .tab', { hasText: '02-fork-copy-on-write.mmu' })
      .first()
      .click();
  }

  /** F10 in the editor, as a person steps over; waits until the overview shows the next step. */
  async function stepOver(): Promise<number> {
    const before = await shownStep();
    await focusScenarioEditor();
    await workbench.page.keyboard.press('F10');
    await waitForPanelText('overview', '.step-card .step-line', new RegExp(`Step ${before + 1}\\b`));
    return before + 1;
  }

  /** Steps over until the overview's step card shows the statement. */
  async function stepOverUntil(statement: RegExp): Promise<void> {
    for (let i = 0; i < 12; i++) {
      await stepOver();
      const shown = await waitForPanelText('overview', '.step-card .statement', /\S/);
      if (statement.test(shown)) return;
    }
    throw new Error(`never stepped over ${statement}`);
  }

  /** Walks the address in the page-tables panel of the named process and returns the PT chips set. */
  async function walk(processName: string, vaddr: string): Promise<string[]> {
    const frame = await openPanel('pageTables');
    const spaces = frame.locator('select[aria-label="Address space"]');
    // A panel that has just been revealed fills its address spaces in when the state arrives.
    await spaces.locator('option', { hasText: processName }).first().waitFor({ state: 'attached' });
    const options = await spaces.locator('option').allInnerTexts();
    const label = options.find((option) => option.includes(processName));
    assert.ok(label, `no address space of ${processName} among ${options.join(', ')}`);
    await spaces.selectOption({ label });
    await frame.fill('.vaddr-input', vaddr);
    await frame.press('.vaddr-input', 'Enter');
    const pt = frame.locator('.walk-table tr[data-level="PT"]');
    await pt.waitFor({ state: 'visible' });
    const bits = await pt.locator('.chip.bit-on').allInnerTexts();
    await leaveWebview();
    return bits;
  }

  async function screenshotEverything(theme: string): Promise<void> {
    for (const kind of ['regions', 'pageTables', 'zones', 'dmaMmio'] as const) {
      await openPanel(kind);
      await waitForPanelText(kind, '.step-index', /Step \d+/);
      await showSidebar();
      await panel('overview', '.step-card');
      await panel('regionTreeView', '.step-index');
      await workbench.screenshot(`panel-${kind}-${theme}`);
    }
    await workbench.screenshot(`sidebar-${theme}`);
  }

  before(async () => {
    workbench = await harnessSession().openWorkbench();
  });

  after(async () => {
    await workbench?.close();
  });

  it('starts debugging the fork example with F5 and opens the region tree', async () => {
    await workbench.openFile('02-fork-copy-on-write.mmu');
    await workbench.waitForEditorText(/fork parent as child/);
    await focusScenarioEditor();
    await workbench.page.keyboard.press('F5');
    await workbench.page.locator('.debug-toolbar').waitFor({ state: 'visible' });
    // The session stops before its first step, and the region tree opens by itself.
    await waitForPanelText('regions', '.step-index', /Step 0\b/);
    await showSidebar();
    assert.strictEqual(await shownStep(), 0);
    await workbench.screenshot('debug-started');
  });

  it('shows the zero fault: the overview, the region tree and the PTE made writable', async () => {
    await stepOverUntil(/^let buf = mmap/);
    const regions = await openPanel('regions');
    const dataRegion = regions.locator('[data-key^="region:"]', { hasText: 'data' }).first();
    await dataRegion.waitFor({ state: 'visible' });
    const range = await dataRegion.locator('.range').first().innerText();
    const buf = /0x[0-9a-f]+/.exec(range)?.[0];
    assert.ok(buf, `no address in ${range}`);
    assert.strictEqual(await regions.locator('[data-key^="space:"]', { hasText: 'parent' }).count(), 1);
    assert.strictEqual(await regions.locator('[data-key^="space:"]', { hasText: 'child' }).count(), 0);
    await openPanel('zones');
    const zonesBefore = await waitForPanelText('zones', '.counters', /\d/);

    await stepOverUntil(/^write parent buf, "A"/);
    await waitForPanelText('overview', '.step-card', /zero_fault/);
    assert.deepStrictEqual((await walk('parent', buf)).sort(), ['NX', 'P', 'RW', 'US']);
    await openPanel('zones');
    const zonesAfter = await waitForPanelText('zones', '.counters', /\d/);
    assert.notStrictEqual(zonesAfter, zonesBefore, 'the zone counters did not change with the zero fault');
  });

  it('shows every panel and the sidebar in the dark and light themes', async () => {
    // The workbench marks its theme kind with a class once the theme is applied.
    await workbench.setColorTheme('Dark Modern');
    await workbench.page.locator('.monaco-workbench.vs-dark').waitFor();
    await screenshotEverything('dark');
    await workbench.setColorTheme('Light Modern');
    await workbench.page.locator('.monaco-workbench.vs').waitFor();
    await screenshotEverything('light');
    await waitForPanelText('dmaMmio', '.step-index', /Step \d+/);
  });
});
