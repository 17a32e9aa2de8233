import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { harnessSession } from '../harness/session';
import { Workbench } from '../harness/workbench';

// The harness's own promises, checked on what VS Code ships: a webview's document can be reached
// (the built-in Markdown preview stands in for the MMU Lens panels), and the colour theme can be
// switched for screenshots in dark and light.

describe('the code-server harness', function () {
  let workbench: Workbench;

  before(async () => {
    const workspace = harnessSession().workspace;
    fs.writeFileSync(path.join(workspace, 'harness-note.md'), '# Webview reached\n\nA paragraph.\n');
    workbench = await harnessSession().openWorkbench();
  });

  after(async () => {
    await workbench?.close();
  });

  it("reaches a webview's document", async () => {
    await workbench.openFile('harness-note.md');
    await workbench.runCommand('Markdown: Open Preview to the Side');
    const frame = await workbench.waitForWebview('h1', { extensionId: 'vscode.markdown-language-features' });
    assert.strictEqual((await frame.locator('h1').innerText()).trim(), 'Webview reached');
    await workbench.screenshot('harness-webview-light');
  });

  it('switches the colour theme', async () => {
    await workbench.setColorTheme('Dark Modern');
    const body = workbench.page.locator('.monaco-workbench');
    await workbench.page.locator('.monaco-workbench.vs-dark').waitFor({ state: 'attached' });
    assert.ok(await body.evaluate((element) => element.classList.contains('vs-dark')));
    await workbench.screenshot('harness-webview-dark');
    await workbench.setColorTheme('Light Modern');
  });
});
