import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { RunningServer, startCodeServer } from '../harness/codeServer';
import { ensureCodeServer } from '../harness/install';
import { cacheDir, repoRoot, resultsDir } from '../harness/paths';
import { harnessSession } from '../harness/session';
import { Workbench } from '../harness/workbench';

// The VSIX that `npm run package` builds, installed into a code-server of its own with
// `--install-extension` — what a user does — and then used from the command palette.

describe('the packaged VSIX', function () {
  const vsix = path.join(repoRoot, 'mmu-lens.vsix');
  let server: RunningServer | undefined;
  let workbench: Workbench | undefined;

  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  it('is under 1 MB', () => {
    assert.ok(fs.existsSync(vsix), `${vsix} is missing: run npm run package`);
    assert.ok(fs.statSync(vsix).size < 1024 * 1024, `${vsix} is ${fs.statSync(vsix).size} bytes`);
  });

  it('installs into code-server and works there', async () => {
    const workspace = path.join(cacheDir, 'runs', 'vsix', 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures'), workspace, { recursive: true });
    server = await startCodeServer({
      install: await ensureCodeServer(),
      stateDir: path.join(cacheDir, 'runs', 'vsix', 'server'),
      workspace,
      fresh: true,
      logFile: path.join(resultsDir, 'code-server-vsix.log'),
      extensions: [vsix],
    });
    const installed = fs.readdirSync(server.extensionsDir);
    assert.ok(
      installed.some((name) => name.startsWith('mmu-lens.mmu-lens-')),
      `installed: ${installed.join(', ')}`,
    );

    workbench = await Workbench.open(harnessSession().browser, server, { folder: workspace });
    // A first start in a fresh profile: the extension opens its walkthrough by itself.
    await workbench.page
      .locator('.tabs-container .tab', { hasText: /Welcome|Walkthrough/ })
      .waitFor({ state: 'visible' });
    await workbench.screenshot('vsix-first-start-walkthrough');
    await workbench.runCommand('MMU Lens: Open Example');
    await workbench.quickInput().fill('hello');
    await workbench.quickPickRow('hello.mmu').waitFor({ state: 'visible' });
    await workbench.page.keyboard.press('Enter');
    await workbench.activeTab('hello.mmu').waitFor({ state: 'visible' });
    const language = workbench.page.locator('#status\\.editor\\.mode');
    assert.strictEqual((await language.innerText()).trim(), 'MMU Scenario');
    await workbench.screenshot('vsix-installed-example');
  });
});
