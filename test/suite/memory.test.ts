import * as assert from 'assert';
import * as vscode from 'vscode';
import { Commands, DEBUG_TYPE, PanelViewTypes } from '../../src/extension/ids';
import { useMmuStops, waitFor, workspaceFile, workspaceFolder } from './helpers';

// The Memory panel in the real VS Code: opened by its command with a target during a session, and
// by "Show in Memory" on a frame and a page; a thing without an address is refused.

const EXAMPLE = '02-fork-copy-on-write.mmu';

const isMemoryPanel = (tab: vscode.Tab): boolean =>
  tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(PanelViewTypes.memory);

describe('the Memory panel', function () {
  this.timeout(120_000);
  const stops = useMmuStops();

  it('opens at a target during a session, and at a frame or page from Show in Memory', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile(EXAMPLE));
    await vscode.window.showTextDocument(document);
    const seen = stops().length;
    await vscode.debug.startDebugging(workspaceFolder(), {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Memory panel in the fork example',
      program: document.uri.fsPath,
      stopOnEntry: true,
    });
    await waitFor('the stop on entry', () => stops().length > seen, 30_000);
    const session = vscode.debug.activeDebugSession;
    assert.ok(session !== undefined);

    const opened = await vscode.commands.executeCommand(Commands.openMemory, {
      space: 'kernel',
      address: '0x0',
    });
    assert.deepStrictEqual(opened, { space: 'kernel', address: '0x0' });
    await waitFor(
      'the Memory tab',
      () =>
        vscode.window.tabGroups.all.some((group) =>
          group.tabs.some((tab) => isMemoryPanel(tab) && tab.label === 'Memory'),
        ),
      10_000,
    );

    const frame = await vscode.commands.executeCommand(Commands.showInMemory, {
      kind: 'frame',
      paddr: '0x5000',
    });
    assert.deepStrictEqual(frame, { space: 'physical', address: '0x5000' });
    const page = await vscode.commands.executeCommand(Commands.showInMemory, {
      kind: 'page',
      space: 'pid:1',
      vaddr: '0x10000',
    });
    assert.deepStrictEqual(page, { space: 'pid:1', address: '0x10000' });
    // A zone has no one address: the command refuses (the registry reports it and answers nothing).
    const zone = await vscode.commands.executeCommand(Commands.showInMemory, { kind: 'zone', zoneId: '0:0' });
    assert.strictEqual(zone, undefined);
    const memoryTabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter(isMemoryPanel);
    assert.strictEqual(memoryTabs.length, 1, 'one Memory panel, revealed again');

    await vscode.debug.stopDebugging(session);
    await waitFor('the session to end', () => vscode.debug.activeDebugSession === undefined, 30_000);
  });
});
