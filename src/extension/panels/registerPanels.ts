import * as vscode from 'vscode';
import { MachineStatePanelSource, type MachineStateSession } from '../../debug/MachineStatePanelSource';
import type { Ctx } from '../Ctx';
import { DEBUG_TYPE } from '../ids';
import { debugSessionState } from './debugSessionState';
import { MmuPanelManager } from './MmuPanelManager';

/**
 * The panels and sidebar views follow the selected MMU debug session: every stop, forward or back,
 * and every change of the selected session reaches them through one panel state source.
 */
export function registerPanels(ctx: Ctx): void {
  const source = new MachineStatePanelSource();
  const states = new Map<string, MachineStateSession>();
  const follow = (): void => {
    const selected = ctx.sessions.selected();
    if (selected === undefined) {
      source.setSession(undefined);
      return;
    }
    let state = states.get(selected.id);
    if (state === undefined) {
      state = debugSessionState(selected.id, selected.name, selected.session);
      states.set(selected.id, state);
    }
    // Before the scenario is launched there is no machine to show yet.
    source.setSession(selected.session.currentInterpreter === null ? undefined : state);
  };
  const manager = new MmuPanelManager(ctx.extensionUri, source, (message: string) => ctx.log(message));
  ctx.panels = manager;
  ctx.subscribe(
    manager.register(),
    { dispose: () => source.dispose() },
    ctx.sessions.onDidChange(follow),
    vscode.debug.onDidTerminateDebugSession((session) => states.delete(session.id)),
    vscode.debug.onDidStartDebugSession((session) => {
      if (session.type === DEBUG_TYPE && ctx.config.panelsOpenOnSessionStart) manager.openPanel('regions');
    }),
  );
}
