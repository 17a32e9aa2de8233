import * as vscode from 'vscode';
import { EXTENSION_ID, WALKTHROUGH_ID } from '../ids';
import type { CommandFactory } from './registry';

/** Opens the Getting Started walkthrough of MMU Lens. */
export const getStarted: CommandFactory = () => async () => {
  await vscode.commands.executeCommand(
    'workbench.action.openWalkthrough',
    `${EXTENSION_ID}#${WALKTHROUGH_ID}`,
    false,
  );
};
