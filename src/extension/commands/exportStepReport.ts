import * as path from 'path';
import * as vscode from 'vscode';
import { stopReport } from '../../views/report';
import type { Ctx } from '../Ctx';
import type { CommandFactory } from './registry';

// "MMU Lens: Export Step Report": the step report of the selected MMU debug session's current stop
// and of the step the panels compare it with, saved where the user says. The report is built before
// the save dialog opens, while the stop is still current: the session may step on meanwhile. With
// a Uri as its argument it saves there without asking (the extension-host tests use that).

const NOT_STOPPED = 'no MMU debug session is stopped: start debugging a .mmu scenario and stop at a step.';

/** Where the dialog proposes to save: beside the scenario, named after it and the step. */
function defaultTarget(file: string, step: number): vscode.Uri {
  const name = `${path.basename(file, path.extname(file))}-step-${step}.html`;
  return vscode.Uri.file(path.join(path.dirname(file), name));
}

export const exportStepReport: CommandFactory = (ctx: Ctx) => async (given?: unknown) => {
  const view = ctx.sessions.selected()?.view;
  if (view === undefined || !view.isCurrent) throw new Error(NOT_STOPPED);
  const version = String((ctx.extensionContext.extension.packageJSON as { version?: unknown }).version);
  const html = stopReport(view, ctx.panels?.comparedStep ?? null, `MMU Lens ${version} for VS Code`);
  const target =
    given instanceof vscode.Uri
      ? given
      : await vscode.window.showSaveDialog({
          title: 'MMU Lens: Export Step Report',
          saveLabel: 'Export Report',
          defaultUri: defaultTarget(view.file, view.position),
          filters: { 'HTML report': ['html'] },
        });
  if (target === undefined) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(html));
  ctx.log(`exported the step report of step ${view.position} to ${target.toString()}`);
  void vscode.window.showInformationMessage(`MMU Lens: step report saved to ${target.fsPath}.`);
  return target;
};
