import * as vscode from 'vscode';
import type { Ctx } from '../Ctx';
import { scenarioConfiguration } from '../debug/registerDebugger';
import { LANGUAGE_ID } from '../ids';
import type { CommandHandler } from './registry';

/** The scenario a command acts on: the URI it was given (CodeLens, editor title) or the active editor's. */
function scenarioUri(arg: unknown): vscode.Uri {
  if (arg instanceof vscode.Uri) return arg;
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId === LANGUAGE_ID) return document.uri;
  throw new Error('open a .mmu scenario first.');
}

function start(uri: vscode.Uri, noDebug: boolean): Thenable<boolean> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return vscode.debug.startDebugging(
    folder,
    scenarioConfiguration(uri.fsPath, { stopOnEntry: !noDebug, noDebug }),
    {
      noDebug,
    },
  );
}

/** Runs the scenario to its end; failed steps are reported in the debug console. */
export function runScenario(_ctx: Ctx): CommandHandler {
  return (arg: unknown) => start(scenarioUri(arg), true);
}

/** Debugs the scenario, stopping before its first step. */
export function debugScenario(_ctx: Ctx): CommandHandler {
  return (arg: unknown) => start(scenarioUri(arg), false);
}
