import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { MmuStoppedEventBody } from '../../src/debug';
import { DEBUG_TYPE, EXTENSION_ID } from '../../src/extension/ids';

// Shared by the extension-host tests: the extension under test, activated, and small waits for
// what VS Code does asynchronously.

export async function activatedExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded in this extension host`);
  await extension.activate();
  return extension;
}

/** The first workspace folder: a scratch copy of examples/ with test/fixtures/ under fixtures/. */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder');
  return folder;
}

export function workspaceFile(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, ...relativePath.split('/'));
}

/** Polls until the condition holds; fails with the description after the time limit. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Closes every editor, discarding changes: a save prompt would be a dialog nobody answers. */
export async function closeAllEditors(): Promise<void> {
  const openTabs = () => vscode.window.tabGroups.all.reduce((count, group) => count + group.tabs.length, 0);
  for (let remaining = openTabs(); remaining > 0; remaining--) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    if (openTabs() === 0) {
      return;
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Registers a suite's hooks around debugging: before, the extension activated and the `mmuStopped`
 * events of every MMU debug session tracked; after, tracking stopped, the session ended, every
 * breakpoint removed and every editor closed. Gives the stops seen so far, in order.
 */
export function useMmuStops(): () => readonly MmuStoppedEventBody[] {
  const stops: MmuStoppedEventBody[] = [];
  let tracker: vscode.Disposable | undefined;
  before(async () => {
    await activatedExtension();
    tracker = vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (message: DebugProtocol.ProtocolMessage) => {
          const event = message as DebugProtocol.Event;
          if (message.type === 'event' && event.event === 'mmuStopped')
            stops.push(event.body as MmuStoppedEventBody);
        },
      }),
    });
  });
  after(async () => {
    tracker?.dispose();
    const session = vscode.debug.activeDebugSession;
    if (session?.type === DEBUG_TYPE) await vscode.debug.stopDebugging(session);
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await closeAllEditors();
  });
  return () => stops;
}
