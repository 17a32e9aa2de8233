import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { BookmarkDto } from '../../src/protocol/timeline';
import { Commands, DEBUG_TYPE } from '../../src/extension/ids';
import { useMmuStops, waitFor, workspaceFile, workspaceFolder } from './helpers';

// Bookmarks and the Timeline panel in the real VS Code: a stopped session's step named, travelled
// back to from a later step, deleted; the Timeline panel opened from its command.

const EXAMPLE = '02-fork-copy-on-write.mmu';

describe('bookmarks and the timeline', function () {
  this.timeout(120_000);
  const seenStops = useMmuStops();
  /** How many stops the sessions made so far. */
  const mmuStops = (): number => seenStops().length;

  /** The line (1-based) the session is stopped at. */
  async function stoppedLine(session: vscode.DebugSession): Promise<number | undefined> {
    const { threads } = (await session.customRequest('threads')) as DebugProtocol.ThreadsResponse['body'];
    const threadId = threads[0]?.id ?? 1;
    const trace = (await session.customRequest('stackTrace', {
      threadId,
    })) as DebugProtocol.StackTraceResponse['body'];
    return trace.stackFrames[0]?.line;
  }

  it('names the stopped step, travels back to it from a later one, and deletes it', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile(EXAMPLE));
    await vscode.window.showTextDocument(document);
    const line = document.getText().split('\n').indexOf('fork parent as child');
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(document.uri, new vscode.Position(line, 0))),
    ]);
    let seen = mmuStops();
    await vscode.debug.startDebugging(workspaceFolder(), {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Bookmark a step of the fork example',
      program: document.uri.fsPath,
      stopOnEntry: false,
    });
    await waitFor('the stop at the fork', () => mmuStops() > seen, 30_000);
    const session = vscode.debug.activeDebugSession;
    assert.ok(session !== undefined);

    const stopLine = await stoppedLine(session);
    assert.strictEqual(stopLine, line + 1);

    const bookmark = (await vscode.commands.executeCommand(Commands.bookmarkStep, 'before the fork')) as
      BookmarkDto | undefined;
    assert.strictEqual(bookmark?.name, 'before the fork');
    // A bookmark names the state after a step: its line is that of the statement the step ran, above
    // the line the session stopped at.
    assert.ok(bookmark.line !== null && bookmark.line < line + 1, `bookmarked line ${bookmark.line}`);

    const { threads } = (await session.customRequest('threads')) as DebugProtocol.ThreadsResponse['body'];
    seen = mmuStops();
    await session.customRequest('next', { threadId: threads[0]?.id ?? 1 });
    await waitFor('the step over the fork', () => mmuStops() > seen, 30_000);
    assert.notStrictEqual(await stoppedLine(session), line + 1);

    const node = { file: document.uri.fsPath, bookmark };
    seen = mmuStops();
    await vscode.commands.executeCommand(Commands.goToBookmark, node);
    await waitFor('the travel back to the bookmark', () => mmuStops() > seen, 30_000);
    assert.strictEqual(await stoppedLine(session), stopLine);

    await vscode.commands.executeCommand(Commands.compareWithBookmark, node);
    await vscode.commands.executeCommand(Commands.deleteBookmark, node);
    // The name is free again: the same step can be bookmarked under it.
    const again = (await vscode.commands.executeCommand(Commands.bookmarkStep, 'before the fork')) as
      BookmarkDto | undefined;
    assert.strictEqual(again?.step, bookmark.step);
    await vscode.commands.executeCommand(Commands.deleteBookmark, { file: node.file, bookmark: again });

    await vscode.debug.stopDebugging(session);
    await waitFor('the session to end', () => vscode.debug.activeDebugSession === undefined, 30_000);
  });

  it('opens the Timeline panel from its command', async () => {
    await vscode.commands.executeCommand(Commands.openTimelinePanel);
    await waitFor(
      'the Timeline tab',
      () => vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.label === 'Timeline')),
      10_000,
    );
  });
});
