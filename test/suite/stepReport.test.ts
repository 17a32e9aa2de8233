import * as assert from 'assert';
import * as vscode from 'vscode';
import { Commands, DEBUG_TYPE } from '../../src/extension/ids';
import { useMmuStops, waitFor, workspaceFile, workspaceFolder } from './helpers';

// "MMU Lens: Export Step Report" in the real VS Code: the report of a stopped session's current
// step and of the step before it, written where the command is told (the dialog is skipped by
// handing the command a Uri), and a clear refusal when no session is stopped.

const EXAMPLE = '02-fork-copy-on-write.mmu';

describe('exporting a step report', function () {
  this.timeout(120_000);
  const seenStops = useMmuStops();
  /** How many stops the sessions made so far. */
  const mmuStops = (): number => seenStops().length;

  it('writes the report of the stop and the step before it', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile(EXAMPLE));
    await vscode.window.showTextDocument(document);
    const line = document.getText().split('\n').indexOf('fork parent as child');
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(document.uri, new vscode.Position(line, 0))),
    ]);
    const seen = mmuStops();
    await vscode.debug.startDebugging(workspaceFolder(), {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Export a report of the fork example',
      program: document.uri.fsPath,
      stopOnEntry: false,
    });
    await waitFor('the stop at the fork', () => mmuStops() > seen, 30_000);

    const target = workspaceFile('fork-report.html');
    const written = await vscode.commands.executeCommand(Commands.exportStepReport, target);
    assert.strictEqual((written as vscode.Uri | undefined)?.toString(), target.toString());
    const html = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<title>MMU Lens step report: 02-fork-copy-on-write\.mmu<\/title>/);
    // Stopped before the fork, four steps in: the stop and the step the panels compare it with.
    assert.deepStrictEqual(
      [...html.matchAll(/<section class="step[^"]*" id="(step-\d+)"/g)].map((m) => m[1]),
      ['step-3', 'step-4'],
    );
    assert.match(html, /— the current stop/);
    assert.doesNotMatch(html, /<script/i);
    await vscode.workspace.fs.delete(target);
    await vscode.debug.stopDebugging(vscode.debug.activeDebugSession);
    await waitFor('the session to end', () => vscode.debug.activeDebugSession === undefined, 30_000);
  });

  it('writes nothing when no session is stopped', async () => {
    const target = workspaceFile('no-report.html');
    const written = await vscode.commands.executeCommand(Commands.exportStepReport, target);
    assert.strictEqual(written, undefined);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(target)));
  });
});
