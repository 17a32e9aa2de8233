// Panel latency in a real VS Code: code-server with the packaged extension installed, driven by
// headless Chromium through the test harness (test/harness). Each scenario is debugged (twice, the
// scenarios taking turns) to a breakpoint inside a loop, every MMU Lens panel (Regions, Page Tables,
// Zones, DMA/MMIO) is open and on screen beside the scenario, the sidebar shows the Overview and
// Regions views, and the debug toolbar's Step Over button is clicked again and again. A step's figure is the time from the click to the moment
// the last of the six webviews has painted the new step: each webview marks its body with the step
// it has drawn (`data-step`, set in the animation frame after drawing it, see webview-ui/shownStep.ts),
// and every webview frame is watched for that mark on each of its animation frames. Both ends are
// read on the browser's clock (performance.timeOrigin + performance.now(), in the workbench page and
// in each webview's frame).
//
// Figures (median over the 20 measured steps of a scenario; the max is reported beside it):
//   panel_repaint_dma_mmio_ms    the machine of examples/07-kernel-dma-mmio.mmu (its frame map spans
//                                4 GiB, about a million frames, once the MMIO region is mapped), in a
//                                loop that allocates, writes and releases a DMA buffer page
//   panel_repaint_100k_pages_ms  a process with a region of 100,000 resident pages, a loop writing it
//   panel_repaint_10_pages_ms    the same with 10 pages
// (the scenarios of debugBenchmarks.ts, so that these figures can be read beside next_latency_*).
import { residentPagesScenario } from './residentPagesScenario';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Frame } from 'playwright-core';
import { EXTENSION_ID } from '../src/extension/ids';
import { chromiumMissing, launchChromium } from '../test/harness/browser';
import { type RunningServer, startCodeServer } from '../test/harness/codeServer';
import { installedCodeServer } from '../test/harness/install';
import { packageExtension } from '../test/harness/packageExtension';
import { cacheDir, CODE_SERVER_VERSION } from '../test/harness/paths';
import { Workbench } from '../test/harness/workbench';
import { type BenchOptions, type FigureSet, unavailable } from './providers';

/** The figures, and what each needs: a scenario file and the line of the breakpoint in its loop. */
interface PanelScenario {
  readonly figure: string;
  readonly file: string;
  readonly text: string;
  /** The loop's first statement: the session stops there and steps on from it. */
  readonly breakpointLine: number;
  /** The address space the Page Tables panel shows (the option's label); the kernel's when absent. */
  readonly pageTablesSpace?: string;
}

const EDITOR_PANELS = [
  ['regions', 'MMU Lens: Open Region Tree', 'MMU Lens: Regions'],
  ['pageTables', 'MMU Lens: Open Page Tables', 'MMU Lens: Page Tables'],
  ['zones', 'MMU Lens: Open Zones', 'MMU Lens: Zones'],
  ['dmaMmio', 'MMU Lens: Open DMA/MMIO Map', 'MMU Lens: DMA/MMIO'],
] as const;

/** The webviews on screen while stepping: the four panels and the two sidebar views. */
const WEBVIEW_KINDS = ['regions', 'pageTables', 'zones', 'dmaMmio', 'overview', 'regionTreeView'] as const;

/**
 * The machine and mappings of examples/07-kernel-dma-mmio.mmu (64 MiB of RAM, PAT, a DMA descriptor,
 * a four-page DMA ring, MMIO registers at 0xFEB00000), then a loop a driver might run: a DMA buffer
 * page allocated, written, the ring written, the buffer released. Half of the steps change the frame
 * map (the page taken, the page given back), half do not.
 */
function dmaMmioScenario(): PanelScenario {
  const lines = [
    '// The machine of examples/07-kernel-dma-mmio.mmu, stepping in a loop (bench/panelBenchmarks.ts).',
    'machine ram=64M pat=true',
    'let state = MM.allocate_kernel_region(2 * PAGE_SIZE, "driver state", ReadWrite)',
    'write kernel state.vaddr, 0x11',
    'let dma = MM.allocate_dma_buffer_page("nic descriptor", ReadWrite)',
    'let ring = MM.allocate_dma_buffer_pages(4 * PAGE_SIZE, "rx ring", ReadWrite)',
    'let regs = MM.allocate_mmio_kernel_region(0xFEB00000, 2 * PAGE_SIZE, "e1000 registers", ReadWrite)',
    'repeat i in 0..1000 {',
    '  let packet = MM.allocate_dma_buffer_page("packet", ReadWrite)',
    '  write kernel packet.vaddr, i',
    '  write kernel ring.vaddr + (i % 4) * PAGE_SIZE, i',
    '  release(packet)',
    '}',
    '',
  ];
  return {
    figure: 'panel_repaint_dma_mmio_ms',
    file: 'dma-mmio-loop.mmu',
    text: lines.join('\n'),
    breakpointLine: 9,
  };
}

/** The resident-pages scenario of the debugger figures, with a comment line first. */
function residentPages(figure: string, pages: number, ram: string): PanelScenario {
  const comment = `// ${pages} resident pages and a loop writing them (bench/panelBenchmarks.ts).`;
  return {
    figure,
    file: `resident-${pages}.mmu`,
    text: `${comment}\n${residentPagesScenario(pages, ram, 1000)}`,
    breakpointLine: 7,
    // The table of the process's present PTEs, as long as its region.
    pageTablesSpace: 'p (pid 1)',
  };
}

/** Quiet, and nothing that takes the screen from the panels while stepping. */
const SETTINGS: Record<string, unknown> = {
  'debug.openDebug': 'neverOpen',
  'debug.internalConsoleOptions': 'neverOpen',
  'debug.toolBarLocation': 'floating',
  'workbench.editor.enablePreview': false,
  'editor.minimap.enabled': false,
  'mmuLens.panels.openOnSessionStart': false,
};

const STEP_TIMEOUT_MS = 30_000;

const TRIGGER_LISTENER = `document.addEventListener('pointerdown', (event) => {
  if (event.target instanceof Element && event.target.closest('.debug-toolbar'))
    window.__mmuLensStepTrigger = performance.timeOrigin + performance.now();
}, true); true`;

/** Runs in a webview's frame: [step, time] once its body shows a step after `after`, else false. */
function paintedAfter(after: number): [number, number] | false {
  const page = globalThis as unknown as {
    document: { body: { dataset: Record<string, string | undefined> } };
    performance: { timeOrigin: number; now(): number };
  };
  const step = Number(page.document.body.dataset['step'] ?? -1);
  return step > after ? [step, page.performance.timeOrigin + page.performance.now()] : false;
}

/** The step a webview shows (its body's data-step), or -1. */
async function shownStep(frame: Frame): Promise<number> {
  const text = await frame.evaluate<string>("document.body.dataset.step ?? ''").catch(() => '');
  return text === '' ? -1 : Number(text);
}

class PanelSession {
  private frames: Frame[] = [];
  /** The scenario files that have their breakpoint. */
  private readonly breakpoints = new Set<string>();

  constructor(private readonly workbench: Workbench) {}

  /** The content frame of the webview of each kind. */
  async findFrames(): Promise<Frame[]> {
    const frames: Frame[] = [];
    for (const kind of WEBVIEW_KINDS) {
      frames.push(
        await this.workbench.waitForWebview(`body[data-panel="${kind}"]`, { extensionId: EXTENSION_ID }),
      );
    }
    this.frames = frames;
    return frames;
  }

  private overview(): Frame {
    const frame = this.frames[WEBVIEW_KINDS.indexOf('overview')];
    if (frame === undefined) throw new Error('the overview is not open');
    return frame;
  }

  /** Waits until every webview shows a step after `after`; returns the step and when each painted it. */
  private waitForAll(after: number): Promise<number[]> {
    return Promise.all(
      this.frames.map(async (frame) => {
        // A function, not a string: the webviews' content security policy forbids eval.
        const handle = await frame.waitForFunction(paintedAfter, after, {
          polling: 'raf',
          timeout: STEP_TIMEOUT_MS,
        });
        return (await handle.jsonValue()) as [number, number];
      }),
    ).then((marks) => {
      const steps = new Set(marks.map(([step]) => step));
      if (steps.size !== 1) throw new Error(`the webviews show different steps: ${[...steps].join(', ')}`);
      return marks.map(([, time]) => time);
    });
  }

  /** One Step Over with the debug toolbar: milliseconds from the click to the last webview's paint. */
  async step(): Promise<number> {
    const before = await shownStep(this.overview());
    const painted = this.waitForAll(before);
    await this.workbench.clickDebugAction('debug-step-over');
    const times = await painted;
    const trigger = await this.workbench.page.evaluate<number>('window.__mmuLensStepTrigger ?? 0');
    if (trigger === 0) throw new Error('the Step Over click was not seen');
    return Math.max(...times) - trigger;
  }

  /** Starts debugging `scenario` (F5), continues to its breakpoint, and waits for every webview. */
  async debugToBreakpoint(scenario: PanelScenario): Promise<void> {
    const wb = this.workbench;
    // The scenarios are open in the first editor group, beside the panels' groups (openScenarios).
    await wb.page.locator(`.part.editor .tabs-container .tab[data-resource-name="${scenario.file}"]`).click();
    await wb.page
      .locator(`.part.editor .tabs-container .tab.active[data-resource-name="${scenario.file}"]`)
      .first()
      .waitFor();
    if (!this.breakpoints.has(scenario.file)) {
      // F9 toggles: the breakpoint is set once and kept for the scenario's later sessions.
      await wb.page.keyboard.press('Control+G');
      await wb.quickInput().fill(`:${scenario.breakpointLine}`);
      await wb.page.keyboard.press('Enter');
      await wb.page.keyboard.press('F9');
      await wb.page
        .locator('.part.editor .editor-group-container.active .monaco-editor .codicon-debug-breakpoint')
        .first()
        .waitFor();
      this.breakpoints.add(scenario.file);
    }
    await wb.page.keyboard.press('F5');
    await wb.page.locator('.debug-toolbar').waitFor({ state: 'visible' });
    await wb.clickDebugAction('debug-continue');
    // A webview VS Code has just created may still be replaced by another frame: find them again.
    for (let attempt = 1; ; attempt++) {
      await this.findFrames();
      try {
        await this.waitForAll(0);
        break;
      } catch (error) {
        if (attempt === 3 || !String(error).includes('detached')) throw error;
      }
    }
    const pageTables = this.frames[WEBVIEW_KINDS.indexOf('pageTables')];
    const spaces = pageTables?.locator('select[aria-label="Address space"]');
    const label = scenario.pageTablesSpace ?? 'kernel';
    if (spaces !== undefined && (await spaces.locator('option:checked').innerText()) !== label) {
      await spaces.selectOption({ label });
      await pageTables?.locator('.table-info', { hasText: 'present PTEs' }).waitFor();
    }
  }

  async stopDebugging(): Promise<void> {
    await this.workbench.clickDebugAction('debug-stop');
    await this.workbench.page.locator('.debug-toolbar').waitFor({ state: 'hidden' });
  }

  /**
   * Opens the scenarios, one tab each, while the editor area is one group: it stays the first group
   * when the panels take the others, and a click on a tab makes it the active one.
   */
  async openScenarios(scenarios: readonly PanelScenario[]): Promise<void> {
    for (const scenario of scenarios) await this.workbench.openFile(scenario.file);
  }

  /**
   * Opens the four panels (they open together in one editor group beside the scenario) and moves
   * them into groups of their own, so that all four are on screen:
   *   scenario | Regions over Zones | DMA/MMIO over Page Tables
   * Then shows the MMU Lens sidebar with its Overview and Regions views.
   */
  async openPanels(): Promise<void> {
    const wb = this.workbench;
    await wb.runCommand('View: Three Columns Editor Layout');
    for (const [, command] of EDITOR_PANELS) await wb.runCommand(command);
    const moves: [string, string][] = [
      ['MMU Lens: DMA/MMIO', 'View: Move Editor into Next Group'],
      ['MMU Lens: Zones', 'View: Move Editor into Group Below'],
      ['MMU Lens: Page Tables', 'View: Move Editor into Right Group'],
      ['MMU Lens: Page Tables', 'View: Move Editor into Group Below'],
    ];
    for (const [title, command] of moves) {
      await wb.page.locator('.tabs-container .tab', { hasText: title }).first().click();
      await wb.runCommand(command);
    }
    for (const [, , title] of EDITOR_PANELS) {
      await wb.page.locator('.tabs-container .tab.active', { hasText: title }).first().waitFor();
    }
    const icon = wb.page.locator('.part.activitybar .action-item a[aria-label^="MMU Lens"]').first();
    const container = wb.page.locator('.part.sidebar .composite.title', { hasText: 'MMU Lens' }).first();
    if (!(await container.isVisible())) await icon.click();
    await container.waitFor({ state: 'visible' });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

export async function panelBenchmarks(options: BenchOptions): Promise<FigureSet> {
  const missing = chromiumMissing();
  if (missing !== undefined) throw unavailable(missing);
  const install = installedCodeServer();
  if (install === undefined) {
    throw unavailable(
      `code-server ${CODE_SERVER_VERSION} is not installed in ${cacheDir} ` +
        '(npm run test:vscode installs it on first use, in about 2.5 minutes)',
    );
  }
  const scenarios = [
    dmaMmioScenario(),
    residentPages('panel_repaint_10_pages_ms', 10, '64M'),
    residentPages('panel_repaint_100k_pages_ms', options.quick ? 10_000 : 100_000, '1G'),
  ].filter((scenario) => options.wants(scenario.figure));
  // Each scenario is debugged twice, the scenarios taking turns, so that a spell of load from
  // elsewhere on the machine falls on all of them rather than on one figure.
  const sessions = 2;
  const warmUp = options.quick ? 2 : 3;
  const measured = options.quick ? 3 : 10;

  const runDir = path.join(cacheDir, 'runs', 'bench-panels');
  fs.rmSync(runDir, { recursive: true, force: true });
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  for (const scenario of scenarios) fs.writeFileSync(path.join(workspace, scenario.file), scenario.text);

  options.log('panels: building and packaging the extension (npm run build, npm run package:vsix)');
  const vsix = await packageExtension(path.join(runDir, 'package.log'));
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench | undefined;
  try {
    server = await startCodeServer({
      install,
      stateDir: path.join(runDir, 'server'),
      workspace,
      fresh: true,
      logFile: path.join(runDir, 'code-server.log'),
      extensions: [vsix],
      settings: SETTINGS,
    });
    browser = await launchChromium();
    workbench = await Workbench.open(browser, server, {
      folder: workspace,
      viewport: { width: 1920, height: 1080 },
    });
    await workbench.page.evaluate(TRIGGER_LISTENER);
    const session = new PanelSession(workbench);
    const times = new Map<PanelScenario, number[]>(scenarios.map((scenario) => [scenario, []]));
    await session.openScenarios(scenarios);
    await session.openPanels();
    for (let round = 1; round <= sessions; round++) {
      for (const scenario of scenarios) {
        options.log(
          `panels: ${scenario.file} (${round}/${sessions}): ${warmUp} steps to warm up, ${measured} measured`,
        );
        await session.debugToBreakpoint(scenario);
        for (let i = 0; i < warmUp + measured; i++) {
          const ms = await session.step();
          if (i >= warmUp) times.get(scenario)!.push(ms);
        }
        if (round === sessions)
          await workbench.page.screenshot({ path: path.join(runDir, `${scenario.file}.png`) });
        await session.stopDebugging();
      }
    }
    const figures: FigureSet = {};
    for (const [scenario, steps] of times) {
      figures[scenario.figure] = round1(median(steps));
      figures[scenario.figure.replace(/_ms$/, '_max_ms')] = round1(Math.max(...steps));
      options.log(`panels: ${scenario.file}: ${steps.map((t) => t.toFixed(0)).join(' ')} ms`);
    }
    return figures;
  } catch (error) {
    // What the workbench showed when it went wrong, for whoever reads the failure.
    const picture = path.join(runDir, 'failure.png');
    await workbench?.page.screenshot({ path: picture }).catch(() => undefined);
    throw new Error(`${error instanceof Error ? error.message : String(error)} (screenshot: ${picture})`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  }
}

if (require.main === module) {
  const log = (message: string): void => {
    process.stderr.write(`${message}\n`);
  };
  panelBenchmarks({ quick: process.argv.includes('--quick'), wants: () => true, log }).then(
    (figures) => {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
