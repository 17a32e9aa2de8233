// Every example as its run leaves the machine, built by the engine and the view builders the panels
// use (not fixtures): the region tree with every region opened, the page tables, the zones and the
// DMA/MMIO map at 480 px and at full width, and the overview at the step with the most events, in the
// four kinds of theme. Nothing may scroll sideways or cut a chip, and every text must reach 4.5:1.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { MachineStateDto, PanelKind } from '../../src/protocol/dto';
import { Interpreter, type StepReport } from '../../src/scenario/interpreter';
import { MachineStateIndex, machineStateDtoOf } from '../../src/views/machineState';
import { stepInfoDto } from '../../src/views/stepInfo';
import { examplesDir } from '../harness/paths';
import type { FakeHostConfig } from './fakeHost';
import { hostFor } from './fixtures/messages';
import { buildWebviewBundle, type OpenedView, type Theme, WebviewHarness } from './harness';
import {
  CONTRAST_PROBE,
  type ContrastReading,
  layoutProblems,
  WIDTH_LAYOUT_PROBE,
  type WidthLayout,
} from './layoutProbe';

const THEMES: Theme[] = ['dark', 'light', 'hc', 'hc-light'];
/** Beside the editor, and a maximized editor group. */
const EDITOR_WIDTHS = [480, 1280];
/** The sidebar's width for the overview. */
const SIDEBAR_WIDTH = 360;
/** No example runs longer; a run that does is cut here rather than hang the suite. */
const STEP_BUDGET = 100_000;

interface ExampleStates {
  /** The machine after the last step. */
  last: MachineStateDto;
  /** The machine after the step with the most events (the longest overview). */
  busiest: MachineStateDto;
}

/** Runs an example to its end, keeping the state after its busiest step and after its last. */
function statesOf(file: string): ExampleStates {
  const text = fs.readFileSync(path.join(examplesDir, file), 'utf8');
  const started = Interpreter.start(text, file);
  const interpreter = started.interpreter;
  assert.ok(interpreter !== null, `${file} does not check`);
  const stateAfter = (report: StepReport | null, index: number): MachineStateDto =>
    machineStateDtoOf(
      new MachineStateIndex(interpreter.machine),
      stepInfoDto(report, text, index, interpreter.nextStatement()),
    );
  let busiest: { state: MachineStateDto; events: number } | null = null;
  let report: StepReport | null = null;
  let index = 0;
  while (!interpreter.finished && index < STEP_BUDGET) {
    report = interpreter.step();
    index++;
    const events = report.events.length;
    if (busiest === null || events > busiest.events) busiest = { state: stateAfter(report, index), events };
  }
  const last = stateAfter(report, index);
  return { last, busiest: busiest?.state ?? last };
}

/**
 * The extension's side for a real state: the panel's own snapshot, and for the PTE table and walks,
 * rows standing in for each space's present PTEs from its first region (the table's layout is what
 * is measured here; the rows' values are checked against the engine by the view builders' tests).
 */
function hostOf(state: MachineStateDto): FakeHostConfig {
  const ptes = state.addressSpaces.flatMap((space) =>
    space.regions.length === 0 || space.presentPteCount === 0
      ? []
      : [
          {
            spaceId: space.id,
            regionId: space.regions[0]!.id,
            base: space.regions[0]!.base,
            count: space.presentPteCount,
          },
        ],
  );
  return { ...hostFor(state), ptes };
}

/** Opens what each panel can open: every region of the tree, a walk of a mapped page. */
async function openDetails(panel: PanelKind, view: OpenedView, state: MachineStateDto): Promise<void> {
  if (panel === 'regions') {
    for (const twistie of await view.page.locator('li.region .twistie').all()) await twistie.click();
  }
  if (panel === 'pageTables') {
    const chosen = await view.page.inputValue('select[aria-label="Address space"]');
    const space = state.addressSpaces.find((candidate) => candidate.id === chosen);
    assert.ok(space !== undefined, `the Page tables panel chose ${chosen}`);
    if (space.presentPteCount > 0) await view.page.waitForSelector('.vwindow [role="row"]:not(.loading)');
    const region = space.regions.find((candidate) => /[RCDV]/.test(candidate.pages));
    if (region !== undefined) {
      await view.page.fill('.vaddr-input', region.base);
      await view.page.press('.vaddr-input', 'Enter');
      await view.page.waitForSelector('.walk-table');
    }
  }
  if (panel === 'overview') {
    const run = view.page.locator('.event-run').first();
    if ((await run.count()) > 0) await run.click();
  }
}

describe('every example in every panel, width and theme (headless Chromium)', function () {
  this.timeout(600_000);
  const harness = new WebviewHarness();
  const examples = fs.readdirSync(examplesDir).filter((file) => file.endsWith('.mmu'));
  let checkedViews = 0;
  let checkedTexts = 0;

  before(async () => {
    buildWebviewBundle();
    await harness.start();
  });
  after(async () => {
    await harness.stop();
    console.log(
      `      ${checkedViews} views of ${examples.length} examples measured, ${checkedTexts} texts checked`,
    );
  });

  /** The problems of one panel showing one state at one width, in every theme. */
  async function problemsOf(panel: PanelKind, state: MachineStateDto, width: number): Promise<string[]> {
    const problems: string[] = [];
    for (const theme of THEMES) {
      const view = await harness.open(panel, theme, hostOf(state), { width, height: 800 });
      await openDetails(panel, view, state);
      await view.page.waitForTimeout(50);
      const layout = (await view.page.evaluate(WIDTH_LAYOUT_PROBE)) as WidthLayout;
      const contrast = (await view.page.evaluate(CONTRAST_PROBE)) as ContrastReading;
      const where = `${panel} ${width} px ${theme}:`;
      problems.push(...layoutProblems(where, layout, contrast));
      for (const error of view.errors) problems.push(`${where} ${error}`);
      checkedViews++;
      checkedTexts += contrast.checked;
      await view.close();
    }
    return problems;
  }

  for (const example of examples) {
    it(`${example}: every panel legible at 480 px and full width in four themes`, async () => {
      const states = statesOf(example);
      const problems: string[] = [];
      for (const panel of ['regions', 'pageTables', 'zones', 'dmaMmio'] as PanelKind[]) {
        for (const width of EDITOR_WIDTHS) problems.push(...(await problemsOf(panel, states.last, width)));
      }
      problems.push(...(await problemsOf('overview', states.busiest, SIDEBAR_WIDTH)));
      problems.push(...(await problemsOf('regionTreeView', states.last, SIDEBAR_WIDTH)));
      assert.deepStrictEqual(problems, []);
    });
  }
});
