import * as vscode from 'vscode';
import { ChangeRequests, type ChangeResponseBody } from '../../debug';
import type { Ctx } from '../Ctx';
import { DEBUG_TYPE } from '../ids';
import type { CommandHandler } from './registry';
import { thingArgument } from './thingArgument';

/**
 * A command that takes the selected MMU debug session to the previous or next change of the thing
 * it is given (a ThingRef, or a panel row's or a variable's context menu, see thingArgument.ts). It
 * asks through the debug adapter protocol, as any client would, and gives back the adapter's answer
 * ({ step, position }); the adapter checks the thing and says what is wrong with it.
 */
export function goToChange(direction: 'previous' | 'next'): (ctx: Ctx) => CommandHandler {
  return () => async (argument: unknown) => {
    const session = vscode.debug.activeDebugSession;
    if (session?.type !== DEBUG_TYPE) throw new Error('no MMU Lens debug session is selected.');
    const thing = await thingArgument(session, argument);
    return (await session.customRequest(ChangeRequests[direction], { thing })) as ChangeResponseBody;
  };
}
