import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ChangeResponseBody, ExplainResponseBody, MmuStoppedEventBody } from '../../src/debug';
import { Commands, DEBUG_TYPE } from '../../src/extension/ids';
import { useMmuStops, waitFor, workspaceFile, workspaceFolder } from './helpers';

// The commands a panel row's or a variable's context menu offers, in the real VS Code against a
// real session: "Why Is It So?" and previous / next change, each handed a thing the three ways the
// extension is handed one (a ThingRef, a webview row's context, a Variables view context).

const EXAMPLE = '02-fork-copy-on-write.mmu';
const COMMITTED = { kind: 'counter', name: 'committed' } as const;

describe('thing commands: why is it so, previous and next change', function () {
  this.timeout(120_000);
  const stops = useMmuStops();

  /** Waits for the next stop after `seen` stops and answers it. */
  async function nextStop(seen: number, what: string): Promise<MmuStoppedEventBody> {
    await waitFor(what, () => stops().length > seen, 30_000);
    return stops()[stops().length - 1]!;
  }

  it('explains a counter, and choosing a change goes there; the menus hand things to the change commands', async () => {
    const failed = await vscode.commands.executeCommand(Commands.explain, COMMITTED);
    assert.strictEqual(failed, undefined, 'without a session the command refuses');

    const document = await vscode.workspace.openTextDocument(workspaceFile(EXAMPLE));
    await vscode.window.showTextDocument(document);
    // Stop just after the child's write: its copy drew a page from the committed pool.
    const lines = document.getText().split('\n');
    const childWrite = lines.findIndex((l) => l.startsWith('write child buf + 1'));
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(document.uri, new vscode.Position(childWrite + 1, 0))),
    ]);
    const seen = stops().length;
    await vscode.debug.startDebugging(workspaceFolder(), {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Why is it so? in the fork example',
      program: document.uri.fsPath,
      stopOnEntry: false,
    });
    const stopped = await nextStop(seen, 'the stop after the child write');
    assert.strictEqual(stopped.line, childWrite + 2);

    const why = (await vscode.commands.executeCommand(Commands.explain, COMMITTED)) as ExplainResponseBody;
    assert.strictEqual(why.thing, 'the counter of committed pages');
    const newest = why.links[0];
    assert.ok(newest !== undefined);
    assert.strictEqual(newest.line, childWrite + 1);
    assert.strictEqual(why.value, newest.after);
    assert.ok(
      newest.reasons.some(
        (r) => r.decision === `ref_count was 2, so the page is copied into the fork's committed COW pool`,
      ),
      JSON.stringify(newest.reasons),
    );
    // The quick pick lists the changes newest first: accepting the first goes to just before it.
    const beforeGoto = stops().length;
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const travelled = await nextStop(beforeGoto, 'the goto stop');
    assert.strictEqual(travelled.reason, 'goto');
    assert.strictEqual(travelled.position, newest.position);
    assert.strictEqual(travelled.line, newest.line);
    await waitFor(
      'the scenario line shown',
      () => vscode.window.activeTextEditor?.selection.active.line === newest.line - 1,
    );

    // As a webview row hands it: its data-vscode-context and the webview's id.
    const rowContext = {
      webview: 'mmuLens.panel.zones',
      webviewSection: 'thing',
      mmuLensThing: JSON.stringify(COMMITTED),
    };
    const beforePrevious = stops().length;
    const previous = (await vscode.commands.executeCommand(
      Commands.previousChange,
      rowContext,
    )) as ChangeResponseBody;
    assert.ok(previous.step < newest.step, 'the change before the one the session stands before');
    assert.strictEqual((await nextStop(beforePrevious, 'the previous change')).position, previous.position);

    // As the Variables view hands it: the variable and its container.
    const session = vscode.debug.activeDebugSession!;
    const trace = (await session.customRequest('stackTrace', {
      threadId: 1,
    })) as DebugProtocol.StackTraceResponse['body'];
    const scopes = (await session.customRequest('scopes', {
      frameId: trace.stackFrames[0]!.id,
    })) as DebugProtocol.ScopesResponse['body'];
    const physical = scopes.scopes.find((s) => s.name === 'Physical memory')!;
    const variables = (await session.customRequest('variables', {
      variablesReference: physical.variablesReference,
    })) as DebugProtocol.VariablesResponse['body'];
    const committed = variables.variables.find((v) => v.name === 'physical_pages_committed')!;
    const beforeNext = stops().length;
    const next = (await vscode.commands.executeCommand(Commands.nextChange, {
      sessionId: session.id,
      container: physical,
      variable: committed,
    })) as ChangeResponseBody;
    assert.strictEqual(next.step, previous.step, 'back over the change just gone before');
    assert.strictEqual((await nextStop(beforeNext, 'the next change')).position, next.position);

    await vscode.debug.stopDebugging(session);
    await waitFor('the session to end', () => vscode.debug.activeDebugSession === undefined, 30_000);
  });
});
