import * as vscode from 'vscode';
import { ChangeRequests, type ChangeResponseBody } from '../../debug';
import type { Ctx } from '../Ctx';
import { DEBUG_TYPE } from '../ids';
import type { CommandHandler } from './registry';

/**
 * A command that takes the selected MMU debug session to the previous or next change of the thing
 * it is given (a ThingRef, as the panels name things). It asks through the debug adapter protocol,
 * as any client would, and gives back the adapter's answer ({ step, position }); the adapter checks
 * the thing and says what is wrong with it.
 */
export function goToChange(direction: 'previous' | 'next'): (ctx: Ctx) => CommandHandler {
  return () => async (thing: unknown) => {
    const session = vscode.debug.activeDebugSession;
    if (session?.type !== DEBUG_TYPE) throw new Error('no MMU Lens debug session is selected.');
    if (thing === undefined)
      throw new Error(`say which thing to follow, e.g. { kind: 'pte', space: 'pid:1', vaddr: '0x10000' }.`);
    return (await session.customRequest(ChangeRequests[direction], { thing })) as ChangeResponseBody;
  };
}
