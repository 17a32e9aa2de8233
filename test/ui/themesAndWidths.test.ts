import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { EXTENSION_ID } from '../../src/extension/ids';
import { harnessSession } from '../harness/session';
import { Workbench } from '../harness/workbench';
import {
  type CanvasPixels,
  canvasPixelsProbe,
  CONTRAST_PROBE,
  contrastRatio,
  type ContrastReading,
  layoutProblems,
  WIDTH_LAYOUT_PROBE,
  type WidthLayout,
} from '../webview/layoutProbe';

// Every panel as a person reads it in the real VS Code: the kernel example stopped after its MMIO
// mapping (kernel regions, a process, DMA buffers, MMIO, the 4 GiB frame map), each editor panel in
// an editor group 480 px wide beside the scenario and then maximized to full width, and the sidebar
// views at the sidebar's width, in Dark Modern, Light Modern, Dark High Contrast and Light High
// Contrast. Nothing may scroll sideways or cut a chip, and every text must reach WCAG's 4.5:1 on the
// background it is drawn on, as the rendered page computes them. A screenshot of each panel goes to
// test-results/screenshots/theme-<theme>-<width>-<panel>.png.

type EditorPanel = 'regions' | 'pageTables' | 'zones' | 'dmaMmio' | 'timeline' | 'memory';
type SidebarPanel = 'overview' | 'regionTreeView';

const OPEN_COMMANDS: Record<EditorPanel, string> = {
  regions: 'MMU Lens: Open Region Tree',
  pageTables: 'MMU Lens: Open Page Tables',
  zones: 'MMU Lens: Open Zones',
  dmaMmio: 'MMU Lens: Open DMA/MMIO Map',
  timeline: 'MMU Lens: Open Timeline',
  memory: 'MMU Lens: Open Memory',
};
const EDITOR_PANELS = Object.keys(OPEN_COMMANDS) as EditorPanel[];
/** The panels that draw text on a canvas, and the canvas. */
const CANVASES: Partial<Record<EditorPanel | SidebarPanel, string>> = {
  zones: 'canvas.frame-map',
  timeline: 'canvas.timeline-strip',
};

/** The four kinds of theme: the picker's label, the theme file in the workbench's class, the webview's body class. */
const THEMES = [
  { name: 'dark', label: 'Dark Modern', themeId: 'dark_modern', bodyClass: 'vscode-dark' },
  { name: 'light', label: 'Light Modern', themeId: 'light_modern', bodyClass: 'vscode-light' },
  { name: 'hc', label: 'Dark High Contrast', themeId: 'hc_black', bodyClass: 'vscode-high-contrast' },
  {
    name: 'hc-light',
    label: 'Light High Contrast',
    themeId: 'hc_light',
    bodyClass: 'vscode-high-contrast-light',
  },
] as const;
type Theme = (typeof THEMES)[number];

const SCENARIO = '07-kernel-dma-mmio.mmu';
/** Evaluated in a Regions panel: the region names cut short by an ellipsis. */
const CUT_NAMES = `[...document.querySelectorAll('.region-row .name')]
  .filter((name) => name.scrollWidth > name.clientWidth + 1)
  .map((name) => name.textContent)`;
/** The width of the editor group beside the scenario, and how far off the layout may leave it. */
const NARROW = 480;
const NARROW_SLACK = 12;
/** A maximized editor group in a 1600 px window is at least this wide. */
const FULL_AT_LEAST = 1200;
const WINDOW = { width: 1600, height: 900 };

describe('every panel in four themes, 480 px wide and full width (real VS Code)', function () {
  let workbench: Workbench;
  let maximized = false;
  let views = 0;
  let texts = 0;

  /** The frame of the webview of this kind once it shows `selector`. */
  const webview = (kind: EditorPanel | SidebarPanel, selector = '.view-header'): Promise<Frame> =>
    workbench.waitForWebview(`body[data-panel="${kind}"] ${selector}`, { extensionId: EXTENSION_ID });

  async function showSidebar(): Promise<void> {
    const icon = workbench.page.locator('.part.activitybar .action-item a[aria-label^="MMU Lens"]').first();
    const container = workbench.page.locator('.part.sidebar .composite.title', { hasText: 'MMU Lens' });
    if (!(await container.first().isVisible())) await icon.click();
    await container.first().waitFor({ state: 'visible' });
  }

  /** Brings the panel to the front (its Open command reveals it) and returns its frame once drawn. */
  async function showPanel(kind: EditorPanel): Promise<Frame> {
    await workbench.runCommand(OPEN_COMMANDS[kind]);
    const frame = await webview(kind);
    if (kind === 'pageTables') await frame.locator('.vwindow .vrow:not(.loading)').first().waitFor();
    if (kind === 'zones') await frame.locator('canvas.frame-map').waitFor();
    if (kind === 'memory') await frame.locator('.memory-row').first().waitFor();
    return frame;
  }

  async function widthOf(frame: Frame): Promise<number> {
    return frame.evaluate<number>('document.documentElement.clientWidth');
  }

  /**
   * The panels' editor group 480 px wide: the window is resized until the group beside the scenario
   * is (the workbench shares a change of width among its parts, so a few tries converge).
   */
  async function narrowLayout(): Promise<void> {
    if (maximized) {
      await workbench.runCommand('View: Focus Right Editor Group');
      await workbench.runCommand('View: Toggle Maximize Editor Group');
      maximized = false;
    }
    let size = { ...WINDOW };
    await workbench.page.setViewportSize(size);
    for (let attempt = 0; attempt < 6; attempt++) {
      await workbench.page.waitForTimeout(400);
      const width = await widthOf(await showPanel('regions'));
      if (Math.abs(width - NARROW) <= NARROW_SLACK) return;
      size = { ...size, width: size.width + Math.round((NARROW - width) * 2) };
      await workbench.page.setViewportSize(size);
    }
    throw new Error(`the panels' editor group never became ${NARROW} px wide`);
  }

  /** The panels' editor group maximized in the full-size window. */
  async function fullLayout(): Promise<void> {
    await workbench.page.setViewportSize(WINDOW);
    await showPanel('regions');
    if (!maximized) {
      // The panels' group, not the scenario's, is the one to maximize.
      await workbench.runCommand('View: Focus Right Editor Group');
      await workbench.runCommand('View: Toggle Maximize Editor Group');
      maximized = true;
    }
    await workbench.page.waitForTimeout(400);
    const width = await widthOf(await showPanel('regions'));
    assert.ok(width >= FULL_AT_LEAST, `the maximized panel is only ${width} px wide`);
  }

  /** What is wrong with one view: sideways scroll, cut chips, text below 4.5:1, a wrong theme. */
  async function problemsOf(
    frame: Frame,
    theme: Theme,
    where: string,
    kind: EditorPanel | SidebarPanel,
  ): Promise<string[]> {
    const problems: string[] = [];
    const classes = ((await frame.locator('body').getAttribute('class')) ?? '').split(/\s+/);
    if (!classes.includes(theme.bodyClass))
      problems.push(`${where}: the body's classes are ${classes.join(' ')}`);
    const layout = await frame.evaluate<WidthLayout>(WIDTH_LAYOUT_PROBE);
    const contrast = await frame.evaluate<ContrastReading>(CONTRAST_PROBE);
    problems.push(...layoutProblems(`${where}:`, layout, contrast));
    const canvas = CANVASES[kind];
    if (canvas !== undefined) {
      // The frame map's and the Timeline's own text (addresses, band labels, step numbers), read from
      // the drawn pixels: the DOM check cannot see into a canvas.
      const pixels = await frame.evaluate<CanvasPixels>(canvasPixelsProbe(canvas, {}));
      if (pixels.texts.length === 0) problems.push(`${where}: no text found on ${canvas}`);
      for (const { text, ink, fill } of pixels.texts) {
        const ratio = contrastRatio(ink, fill);
        if (ratio < 4.5) problems.push(`${where}: ${canvas} text "${text}" at ${ratio.toFixed(2)}:1`);
      }
      texts += pixels.texts.length;
    }
    views++;
    texts += contrast.checked;
    return problems;
  }

  async function screenshotOf(frame: Frame, name: string): Promise<void> {
    await workbench.dismissHovers();
    const element = await frame.frameElement();
    await element.screenshot({ path: await workbench.screenshotPath(name) });
  }

  async function checkEditorPanels(theme: Theme, width: 'narrow' | 'full'): Promise<string[]> {
    const problems: string[] = [];
    for (const kind of EDITOR_PANELS) {
      const frame = await showPanel(kind);
      const shown = await widthOf(frame);
      const wanted = width === 'narrow' ? Math.abs(shown - NARROW) <= NARROW_SLACK : shown >= FULL_AT_LEAST;
      assert.ok(wanted, `${kind} is ${shown} px wide in the ${width} layout`);
      await workbench.page.waitForTimeout(300);
      problems.push(
        ...(await problemsOf(frame, theme, `${theme.name} ${width} ${kind} (${shown} px)`, kind)),
      );
      if (kind === 'regions') {
        // The example's names ("(physical page entries)", "e1000 registers") are short enough to be
        // read whole at either width: none may end in an ellipsis.
        const cut = await frame.evaluate<string[]>(CUT_NAMES);
        for (const name of cut) problems.push(`${theme.name} ${width} regions: the name "${name}" is cut`);
      }
      await screenshotOf(frame, `theme-${theme.name}-${width}-${kind}`);
    }
    return problems;
  }

  async function checkSidebar(theme: Theme): Promise<string[]> {
    await showSidebar();
    const problems: string[] = [];
    for (const kind of ['overview', 'regionTreeView'] as const) {
      const frame = await webview(kind, kind === 'overview' ? '.step-card' : '.step-index');
      const shown = await widthOf(frame);
      problems.push(...(await problemsOf(frame, theme, `${theme.name} sidebar ${kind} (${shown} px)`, kind)));
      await screenshotOf(frame, `theme-${theme.name}-sidebar-${kind}`);
    }
    return problems;
  }

  /**
   * What makes the panels show their widest content: a walk, a run of events opened. Opened regions
   * (their page strips) are measured in the headless every-example matrix.
   */
  async function openDetails(): Promise<void> {
    const regions = await showPanel('regions');
    const mmio = regions.locator('[data-key^="region:"]', { hasText: 'e1000 registers' }).first();
    const range = await mmio.locator('.range').first().innerText();
    const vaddr = /0x[0-9a-f]+/.exec(range)?.[0];
    assert.ok(vaddr !== undefined, `no address in ${range}`);
    const pageTables = await showPanel('pageTables');
    const spaces = pageTables.locator('select[aria-label="Address space"]');
    const kernel = (await spaces.locator('option').allInnerTexts()).find((option) =>
      option.includes('kernel'),
    );
    assert.ok(kernel !== undefined, 'the Page tables panel offers no kernel address space');
    await spaces.selectOption({ label: kernel });
    await pageTables.locator('.vaddr-input').fill(vaddr);
    await pageTables.locator('.vaddr-input').press('Enter');
    await pageTables.locator('.walk-table').waitFor();
    await showSidebar();
    const overview = await webview('overview', '.step-card');
    const run = overview.locator('.event-run').first();
    if ((await run.count()) > 0) await run.click();
    await workbench.focusWorkbench(true);
  }

  before(async () => {
    harnessSession().setUserSettings({ 'window.autoDetectColorScheme': false });
    workbench = await harnessSession().openWorkbench({ colorScheme: 'dark', viewport: WINDOW });
  });

  after(async () => {
    console.log(`      ${views} views measured in the real VS Code, ${texts} texts' contrast checked`);
    await workbench?.close();
    harnessSession().setUserSettings({ 'window.autoDetectColorScheme': null });
  });

  it('stops the kernel example after its MMIO mapping, every panel open', async () => {
    const text = fs.readFileSync(path.join(harnessSession().workspace, SCENARIO), 'utf8');
    const line = text.split('\n').findIndex((source) => source.startsWith('let strict =')) + 1;
    assert.ok(line > 0, `no "let strict" line in ${SCENARIO}`);
    await workbench.setBreakpoint(SCENARIO, line);
    await workbench.page.keyboard.press('F5');
    await workbench.page.locator('.debug-toolbar').waitFor({ state: 'visible' });
    await workbench.clickDebugAction('debug-continue');
    // Stopping at the breakpoint shows the Run and Debug view; the MMU Lens views come after it.
    await workbench.page
      .locator('.part.sidebar .composite.title', { hasText: 'Run and Debug' })
      .first()
      .waitFor();
    await showSidebar();
    const overview = await webview('overview', '.step-card');
    await overview.locator('.step-card .step-line', { hasText: `next: line ${line}` }).waitFor();
    for (const kind of EDITOR_PANELS) await showPanel(kind);
    await openDetails();
  });

  for (const theme of THEMES) {
    it(`${theme.label}: every panel at 480 px and at full width, and the sidebar views`, async () => {
      await workbench.setColorTheme(theme.label, theme.themeId);
      await workbench.repaint();
      const problems: string[] = [];
      await narrowLayout();
      problems.push(...(await checkEditorPanels(theme, 'narrow')));
      problems.push(...(await checkSidebar(theme)));
      if (problems.length > 0) console.log(problems.join('\n'));
      await fullLayout();
      problems.push(...(await checkEditorPanels(theme, 'full')));
      assert.deepStrictEqual(problems, []);
    });
  }
});
