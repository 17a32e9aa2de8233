import type { EditorPanelKind } from '../panels/MmuPanelManager';
import type { Ctx } from '../Ctx';
import type { CommandHandler } from './registry';

/** A command that opens (or reveals) one of the panels. */
export function openPanel(kind: EditorPanelKind): (ctx: Ctx) => CommandHandler {
  return (ctx: Ctx) => () => {
    if (ctx.panels === undefined) throw new Error('the panels are not ready yet.');
    ctx.panels.openPanel(kind);
  };
}
