import * as assert from 'assert';
import * as vscode from 'vscode';
import { openWalkthroughOnce, WALKTHROUGH_SHOWN_KEY } from '../../src/extension/firstStart';
import { Commands, LANGUAGE_ID } from '../../src/extension/ids';
import { activatedExtension, closeAllEditors, waitFor, workspaceFile } from './helpers';

describe('MMU Lens in the extension host', () => {
  after(closeAllEditors);

  it('activates without errors in this VS Code', async () => {
    const extension = await activatedExtension();
    assert.strictEqual(extension.isActive, true);
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('registers every command it contributes', async () => {
    await activatedExtension();
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of Object.values(Commands)) {
      assert.ok(registered.has(id), `${id} is contributed but not registered`);
    }
  });

  it('gives .mmu files the mmu language', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('fixtures/hello.mmu'));
    assert.strictEqual(document.languageId, LANGUAGE_ID);
  });

  it('opens an example by name, as the walkthrough does', async () => {
    await activatedExtension();
    await vscode.commands.executeCommand(Commands.openExample, 'fixtures/hello.mmu');
    await waitFor(
      'the example in the active editor',
      () => vscode.window.activeTextEditor?.document.uri.path.endsWith('/fixtures/hello.mmu') === true,
    );
    assert.strictEqual(vscode.window.activeTextEditor?.document.languageId, LANGUAGE_ID);
  });

  it('reports an unknown example instead of opening something else', async () => {
    await activatedExtension();
    await closeAllEditors();
    const result = await vscode.commands.executeCommand(Commands.openExample, 'no-such-scenario.mmu');
    assert.strictEqual(result, undefined);
    assert.strictEqual(vscode.window.activeTextEditor, undefined);
  });

  it('opens the walkthrough on a first start, and only then', async () => {
    await activatedExtension();
    await closeAllEditors();
    const state = new Map<string, unknown>();
    const memory = {
      get: <T>(key: string) => state.get(key) as T | undefined,
      update: (key: string, value: unknown) => Promise.resolve(void state.set(key, value)),
    };
    const open = () => vscode.commands.executeCommand(Commands.getStarted);
    const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    assert.strictEqual(await openWalkthroughOnce(memory, open), true);
    await waitFor('the walkthrough in an editor tab', () => tabs().length === 1);
    const label = tabs()[0]?.label ?? '';
    assert.match(label, /MMU Lens|Walkthrough|Welcome/, `the tab is "${label}"`);
    assert.strictEqual(state.get(WALKTHROUGH_SHOWN_KEY), true);
    await closeAllEditors();
    assert.strictEqual(await openWalkthroughOnce(memory, open), false);
    assert.strictEqual(tabs().length, 0);
  });
});
