import * as path from 'path';
import * as vscode from 'vscode';
import { PanelState } from '../../views/PanelState';
import type { Ctx } from '../Ctx';
import { DEBUG_TYPE } from '../ids';
import { openInBinaryView } from './binaryView';
import { MmuPanelManager } from './MmuPanelManager';

/**
 * The panels and sidebar views follow the selected MMU debug session: the StepView it published at
 * its latest stop (forward or back), or nothing before its first stop and after it ends.
 */
export function registerPanels(ctx: Ctx): void {
  const state = new PanelState();
  const follow = (): void => {
    const selected = ctx.sessions.selected();
    if (selected?.view === undefined) {
      state.show(undefined, undefined);
      return;
    }
    const { id } = selected;
    state.show(
      {
        sessionId: id,
        scenarioName: path.basename(selected.view.file),
        openInBinaryView: (reference, length) => openInBinaryView(id, reference, length),
      },
      selected.view,
    );
  };
  const manager = new MmuPanelManager(ctx.extensionUri, state, (message: string) => ctx.log(message));
  ctx.panels = manager;
  ctx.subscribe(
    manager.register(),
    { dispose: () => state.dispose() },
    ctx.sessions.onDidChange(follow),
    vscode.debug.onDidStartDebugSession((session) => {
      if (session.type === DEBUG_TYPE && ctx.config.panelsOpenOnSessionStart) manager.openPanel('regions');
    }),
  );
}
