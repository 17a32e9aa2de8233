import * as assert from 'assert';
import type { Frame } from 'playwright-core';
import { EXTENSION_ID } from '../../src/extension/ids';
import { harnessSession } from '../harness/session';
import { Workbench } from '../harness/workbench';

// A person asking the panels why a region is as it is: F5 on the fork example, on to the end, a
// right-click on the child's "data" region in the region tree, "Why Is It So?" from VS Code's
// context menu, and a change chosen in the quick pick that lists them, which takes the session there.

const SCENARIO = '02-fork-copy-on-write.mmu';
const TIMEOUT_MS = 30_000;

describe('the context menu of a panel row: why is it so?', function () {
  let workbench: Workbench;

  before(async () => {
    workbench = await harnessSession().openWorkbench({ colorScheme: 'dark' });
  });

  after(async () => {
    await workbench?.close();
  });

  /** The region tree's frame once it shows the step matching `step`. */
  async function regionTreeAt(step: RegExp): Promise<Frame> {
    const deadline = Date.now() + TIMEOUT_MS;
    while (Date.now() < deadline) {
      const frame = await workbench.waitForWebview('body[data-panel="regions"] .step-index', {
        extensionId: EXTENSION_ID,
      });
      const text = await frame
        .locator('body[data-panel="regions"] .step-index')
        .first()
        .innerText({ timeout: 2_000 })
        .catch(() => '');
      if (step.test(text)) return frame;
      await workbench.page.waitForTimeout(200);
    }
    throw new Error(`the region tree never showed ${step}`);
  }

  it("lists the changes of the child's region and goes to the one chosen", async () => {
    await workbench.openFile(SCENARIO);
    await workbench.waitForEditorText(/fork parent as child/);
    await workbench.page.locator('.tabs-container .tab', { hasText: SCENARIO }).first().click();
    await workbench.page.keyboard.press('F5');
    await workbench.page.locator('.debug-toolbar').waitFor({ state: 'visible' });
    await regionTreeAt(/step 0\b/i);
    // On past the child's copy-on-write write, wherever the run stops after it.
    await workbench.clickDebugAction('debug-continue');
    const regions = await regionTreeAt(/step (1\d|[2-9]\d)\b/i);

    const childData = regions.locator('[data-key^="region:pid:2/"]', { hasText: 'data' }).first();
    await childData.locator('.row .name').first().click({ button: 'right' });
    const why = workbench.page.locator('.context-view .monaco-menu .action-label', {
      hasText: 'Why Is It So?',
    });
    await why.first().waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    for (const label of ['Go to Previous Change', 'Go to Next Change'])
      assert.strictEqual(
        await workbench.page.locator('.context-view .monaco-menu .action-label', { hasText: label }).count(),
        1,
        `${label} is not in the menu`,
      );
    await workbench.screenshot('why-context-menu');
    await why.first().click();

    const fork = workbench.quickPickRow('fork parent as child');
    await fork.waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    const title = await workbench.page.locator('.quick-input-widget .quick-input-title').first().innerText();
    assert.match(title, /^Why is it so\? region \d+ in pid 2: "data" 0x[0-9a-f]+\.\.0x[0-9a-f]+ rw-/);
    // Newest first: the child's own write comes before the fork that made the region.
    const rows = await workbench.page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row')
      .allInnerTexts();
    const write = rows.findIndex((r) => r.includes('write child buf + 1'));
    const made = rows.findIndex((r) => r.includes('fork parent as child'));
    assert.ok(write >= 0 && made > write, JSON.stringify(rows));
    await workbench.screenshot('why-quick-pick');

    const step = Number(/Step (\d+), line/.exec(rows[made]!)?.[1]);
    await fork.click();
    // Just before the fork: the tree shows the step before it, and the child is not there yet.
    const before = await regionTreeAt(new RegExp(`step ${step - 1}\\b`, 'i'));
    assert.strictEqual(await before.locator('[data-key="space:pid:2"]').count(), 0);
    await workbench.screenshot('why-went-to-fork');
  });
});
