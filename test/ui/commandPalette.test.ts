import * as assert from 'assert';
import { harnessSession } from '../harness/session';
import { Workbench } from '../harness/workbench';

// MMU Lens as a person meets it: the command palette, the example picker, the editor with the
// scenario coloured by the grammar, the output channel and the walkthrough. Screenshots go to
// test-results/screenshots/.

describe('MMU Lens in the VS Code UI', function () {
  let workbench: Workbench;

  before(async () => {
    workbench = await harnessSession().openWorkbench();
  });

  after(async () => {
    await workbench?.close();
  });

  it('lists its commands in the command palette', async () => {
    await workbench.page.keyboard.press('Escape');
    await workbench.runCommand('MMU Lens: Show Output');
    await workbench.page.keyboard.press('F1');
    await workbench.quickInput().fill('>MMU Lens:');
    const rows = workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible' });
    const titles = await rows.allInnerTexts();
    for (const title of ['MMU Lens: Open Example…', 'MMU Lens: Show Output', 'MMU Lens: Get Started']) {
      assert.ok(
        titles.some((row) => row.replace(/\s+/g, ' ').includes(title)),
        `${title} missing from ${JSON.stringify(titles)}`,
      );
    }
    await workbench.screenshot('command-palette');
    await workbench.page.keyboard.press('Escape');
  });

  it('opens an example from the picker, in the mmu language', async () => {
    await workbench.runCommand('MMU Lens: Open Example');
    await workbench.quickInput().fill('hello');
    const row = workbench.quickPickRow('fixtures/hello.mmu');
    await row.waitFor({ state: 'visible' });
    assert.match(await row.innerText(), /A small scenario the tests open/);
    await workbench.screenshot('open-example-picker');
    await workbench.page.keyboard.press('Enter');
    await workbench.activeTab('hello.mmu').waitFor({ state: 'visible' });
    const language = workbench.page.locator('#status\\.editor\\.mode');
    await language.waitFor({ state: 'visible' });
    assert.strictEqual((await language.innerText()).trim(), 'MMU Scenario');
    await workbench.waitForEditorText(/let buf = mmap\(p, 0, 2 \* PAGE_SIZE/);
  });

  it('colours the scenario with the grammar', async () => {
    // Monaco renders each token as a span with a colour class; the keyword, the API name, the
    // number and the outcome must not all share the colour of plain text.
    const line = workbench.page.locator('.view-line', { hasText: 'write p buf' }).first();
    await line.waitFor({ state: 'visible' });
    const classOf = async (text: string) =>
      line
        .locator('span > span', { hasText: new RegExp(`^${text}$`) })
        .first()
        .getAttribute('class');
    const plain = await classOf('buf');
    const keyword = await classOf('write');
    const outcome = await classOf('zero_fault');
    const comment = workbench.page
      .locator('.view-line span > span', { hasText: /^\/\/\sA\ssmall\sscenario/ })
      .first();
    assert.notStrictEqual(keyword, plain, 'the keyword looks like plain text');
    assert.notStrictEqual(outcome, plain, 'the outcome looks like plain text');
    assert.notStrictEqual(await comment.getAttribute('class'), plain, 'the comment looks like plain text');
    await workbench.screenshot('editor-hello-mmu');
  });

  it('opens a scenario through quick open and folds a repeat block', async () => {
    await workbench.openFile('fixtures/blocks.mmu');
    await workbench.waitForEditorText(/repeat i in 0\.\.4 \{/);
    // The harness shows folding controls always; one appears beside each block the provider reports.
    // The blocks are not indented, so indentation-based folding alone would offer none.
    const foldControls = workbench.page.locator(
      '.part.editor .editor-group-container.active .margin .codicon-folding-expanded',
    );
    await foldControls.first().waitFor({ state: 'visible' });
    assert.strictEqual(
      await foldControls.count(),
      2,
      'expected fold controls for the proc and the repeat block',
    );
    await workbench.screenshot('editor-folding');
  });

  it('shows what it did in its output channel', async () => {
    await workbench.runCommand('MMU Lens: Show Output');
    const output = workbench.page.locator('.part.panel .monaco-editor .view-lines');
    await output
      .filter({ hasText: /MMU\sLens\s\S+\sactivated/ })
      .first()
      .waitFor({ state: 'visible' });
    await workbench.screenshot('output-channel');
  });

  it('opens its Getting Started walkthrough', async () => {
    await workbench.runCommand('MMU Lens: Get Started');
    const title = workbench.page
      .locator('.gettingStartedContainer', { hasText: 'Get started with MMU Lens' })
      .first();
    await title.waitFor({ state: 'visible' });
    await workbench.page
      .locator('.getting-started-step', { hasText: 'Open an example scenario' })
      .first()
      .waitFor();
    await workbench.screenshot('walkthrough');
  });
});
