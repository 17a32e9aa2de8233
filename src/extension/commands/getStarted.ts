import * as vscode from 'vscode';
import type { Ctx } from '../Ctx';
import { openWalkthroughOnce } from '../firstStart';
import { Commands, EXTENSION_ID, WALKTHROUGH_ID } from '../ids';
import type { CommandFactory } from './registry';

/** Opens the Getting Started walkthrough of MMU Lens. */
export const getStarted: CommandFactory = () => async () => {
  await vscode.commands.executeCommand(
    'workbench.action.openWalkthrough',
    `${EXTENSION_ID}#${WALKTHROUGH_ID}`,
    false,
  );
};

/** Opens the walkthrough on the extension's first activation for this user. */
export function registerFirstStart(ctx: Ctx): void {
  // Test runs and F5 development hosts activate the extension over and over in fresh profiles:
  // a walkthrough there would be an editor the tests did not open, not a welcome.
  if (ctx.extensionContext.extensionMode !== vscode.ExtensionMode.Production) return;
  void openWalkthroughOnce(ctx.extensionContext.globalState, () =>
    vscode.commands.executeCommand(Commands.getStarted),
  ).catch((error: unknown) => {
    ctx.log(`could not open the walkthrough: ${error instanceof Error ? error.message : String(error)}`);
  });
}
