import * as vscode from 'vscode';
import type { Ctx } from '../Ctx';
import { CommandId, Commands } from '../ids';
import { explain } from './explain';
import { goToChange } from './goToChange';
import { exportStepReport } from './exportStepReport';
import { bookmarkStep, compareWithBookmark, deleteBookmark, goToBookmark, renameBookmark } from './bookmarks';
import { getStarted } from './getStarted';
import { openMemory, showInMemory } from './memory';
import { openExample } from './openExample';
import { openPanel } from './openPanel';
import { debugScenario, runScenario } from './runScenario';
import { showOutput } from './showOutput';

// Every command the extension registers, as a small factory: it receives the context once and
// returns the handler. The registry is keyed by the declared ids, so a declared command without a
// handler (or a handler for an undeclared id) does not compile.

export type CommandHandler = (...args: unknown[]) => unknown;
export type CommandFactory = (ctx: Ctx) => CommandHandler;

export const commandFactories: Record<CommandId, CommandFactory> = {
  [Commands.openExample]: openExample,
  [Commands.showOutput]: showOutput,
  [Commands.getStarted]: getStarted,
  [Commands.runScenario]: runScenario,
  [Commands.debugScenario]: debugScenario,
  [Commands.openRegionsPanel]: openPanel('regions'),
  [Commands.openPageTablesPanel]: openPanel('pageTables'),
  [Commands.openZonesPanel]: openPanel('zones'),
  [Commands.openDmaMmioPanel]: openPanel('dmaMmio'),
  [Commands.previousChange]: goToChange('previous'),
  [Commands.nextChange]: goToChange('next'),
  [Commands.explain]: explain,
  [Commands.exportStepReport]: exportStepReport,
  [Commands.openTimelinePanel]: openPanel('timeline'),
  [Commands.bookmarkStep]: bookmarkStep,
  [Commands.goToBookmark]: goToBookmark,
  [Commands.compareWithBookmark]: compareWithBookmark,
  [Commands.renameBookmark]: renameBookmark,
  [Commands.deleteBookmark]: deleteBookmark,
  [Commands.openMemory]: openMemory,
  [Commands.showInMemory]: showInMemory,
};

export function registerCommands(
  ctx: Ctx,
  factories: Readonly<Record<string, CommandFactory>> = commandFactories,
): void {
  for (const [id, factory] of Object.entries(factories)) {
    const handler = factory(ctx);
    ctx.subscribe(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          ctx.log(`${id} failed: ${message}`);
          void vscode.window.showErrorMessage(`MMU Lens: ${message}`);
          return undefined;
        }
      }),
    );
  }
}
