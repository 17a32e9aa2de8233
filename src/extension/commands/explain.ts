import * as vscode from 'vscode';
import { EXPLAIN_REQUEST, type ExplainLink, type ExplainResponseBody } from '../../debug';
import type { Ctx } from '../Ctx';
import { DEBUG_TYPE } from '../ids';
import type { CommandHandler } from './registry';
import { thingArgument } from './thingArgument';

// "MMU Lens: Why Is It So?": how the thing it is given came to its value, as a quick pick of the
// steps that changed it, newest first. Each item is one change: its step and line and statement,
// the value before → after, and the step's events that concern the thing (a fault with the
// handler's decision). Choosing one travels there with DAP `goto`, to just before that step, so its
// statement is the one about to run; the stop shows the line. The command answers with the
// adapter's explanation as soon as the pick is shown, so that it does not wait on the user.

/** The thread of a scenario session: it has one. */
const THREAD_ID = 1;

interface LinkItem extends vscode.QuickPickItem {
  readonly link?: ExplainLink;
}

/**
 * The kernel's decisions first (a narrow quick pick cuts the detail's end), then the events that
 * concern the thing, the faults last since their words end with the decision already shown.
 */
function linkDetail(link: ExplainLink): string[] {
  const decisions = link.reasons.flatMap((r) => (r.decision ? [`Why: ${r.decision}`] : []));
  const words = (r: ExplainLink['reasons'][number]): string => `${r.kind.replace(/_/g, ' ')}: ${r.text}`;
  const events = link.reasons.filter((r) => r.kind !== 'page_fault').map(words);
  const faults = link.reasons.filter((r) => r.kind === 'page_fault').map(words);
  return [...decisions, ...events, ...faults];
}

function linkItem(link: ExplainLink): LinkItem {
  const reasons = linkDetail(link);
  if (link.moreReasons > 0) reasons.push(`${link.moreReasons} more`);
  return {
    label: `$(history) Step ${link.step}, line ${link.line}: ${link.statement}`,
    description: link.change,
    detail: reasons.length > 0 ? reasons.join(' · ') : 'the statement itself (no memory-manager event)',
    link,
  };
}

/** The line under the changes: where the chain ended. */
function endItem(body: ExplainResponseBody): LinkItem {
  const label =
    body.end === 'start'
      ? body.links.length === 0
        ? 'No step changed it: it has had this value since the start'
        : 'No earlier step changed it'
      : `The ${body.links.length} latest changes; earlier ones are not listed`;
  return { label, kind: vscode.QuickPickItemKind.Separator };
}

/**
 * Goes to just before a link's step and shows its line: in the editor that already shows the
 * scenario (not in the group of the panel the question was asked from, which it would hide), or
 * else in the first group.
 */
async function travel(session: vscode.DebugSession, link: ExplainLink): Promise<void> {
  await session.customRequest('goto', { threadId: THREAD_ID, targetId: link.position + 1 });
  const program = (session.configuration as { program?: unknown }).program;
  if (typeof program !== 'string') return;
  const uri = vscode.Uri.file(program);
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const line = Math.max(0, link.line - 1);
  await vscode.window.showTextDocument(uri, {
    selection: new vscode.Range(line, 0, line, 0),
    viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
    preserveFocus: false,
  });
}

function showChain(ctx: Ctx, session: vscode.DebugSession, body: ExplainResponseBody): void {
  const pick = vscode.window.createQuickPick<LinkItem>();
  pick.title = `Why is it so? ${body.thing}: ${body.value}`;
  pick.placeholder = 'Newest change first. Choose one to go to just before its step.';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.items = [...body.links.map(linkItem), endItem(body)];
  pick.onDidAccept(() => {
    const link = pick.selectedItems[0]?.link;
    pick.hide();
    if (link === undefined) return;
    travel(session, link).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      ctx.log(`going to step ${link.step} failed: ${message}`);
      void vscode.window.showErrorMessage(`MMU Lens: ${message}`);
    });
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}

export function explain(ctx: Ctx): CommandHandler {
  return async (argument: unknown) => {
    const session = vscode.debug.activeDebugSession;
    if (session?.type !== DEBUG_TYPE) throw new Error('no MMU Lens debug session is selected.');
    const thing = await thingArgument(session, argument);
    const body = (await session.customRequest(EXPLAIN_REQUEST, { thing })) as ExplainResponseBody;
    showChain(ctx, session, body);
    return body;
  };
}
