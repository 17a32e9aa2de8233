import * as path from 'path';
import * as vscode from 'vscode';
import { PanelState } from '../../views/PanelState';
import type { Ctx } from '../Ctx';
import { DEBUG_TYPE } from '../ids';
import { openInBinaryView } from './binaryView';
import { MmuPanelManager } from './MmuPanelManager';
import { FollowedRunMarks } from './runMarks';
import { SharedViewState } from './SharedViewState';

/**
 * The panels and sidebar views follow the selected MMU debug session: the StepView it published at
 * its latest stop (forward or back), or nothing before its first stop and after it ends. Another
 * session starts comparing with the previous step again.
 */
export function registerPanels(ctx: Ctx): void {
  const state = new PanelState();
  const marks = new FollowedRunMarks(ctx.sessions, ctx.bookmarks);
  const shared = new SharedViewState(marks);
  let followedId: string | undefined;
  const follow = (): void => {
    const selected = ctx.sessions.selected();
    if (selected?.view === undefined) {
      state.show(undefined, undefined);
      return;
    }
    const { id } = selected;
    const another = id !== followedId;
    followedId = id;
    state.show(
      {
        sessionId: id,
        scenarioName: path.basename(selected.view.file),
        openInBinaryView: async (reference, length) => {
          await openInBinaryView(id, reference, length);
        },
      },
      selected.view,
    );
    if (another) shared.setCompareStep(null);
  };
  const manager = new MmuPanelManager(ctx.extensionUri, state, {
    shared,
    travel: (step) => ctx.sessions.travel(step),
    log: (message) => ctx.log(message),
  });
  ctx.panels = manager;
  ctx.subscribe(
    manager.register(),
    marks,
    { dispose: () => shared.dispose() },
    { dispose: () => state.dispose() },
    ctx.sessions.onDidChange(follow),
    vscode.debug.onDidStartDebugSession((session) => {
      if (session.type === DEBUG_TYPE && ctx.config.panelsOpenOnSessionStart) manager.openPanel('regions');
    }),
  );
}
