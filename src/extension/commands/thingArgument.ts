import type * as vscode from 'vscode';
import { THING_OF_VARIABLE_REQUEST } from '../../debug';
import { thingInWebviewContext } from '../../protocol/things';

// What the thing commands (previous / next change, why is it so?) are handed, turned into the thing
// they follow: a ThingRef itself (other extensions, tests), the context of a webview row's context
// menu (its data-vscode-context holds the ThingRef), or the context of the Variables view's menu
// (the variable and its container, which the adapter maps to the thing). The adapter checks the
// ThingRef itself and says what is wrong with it.

const EXAMPLE = `{ kind: 'pte', space: 'pid:1', vaddr: '0x10000' }`;

/** The Variables view's menu context: the variable and the container it was listed in. */
interface VariableMenuContext {
  readonly container: { readonly variablesReference: number };
  readonly variable: { readonly name: string };
}

function isVariableMenuContext(argument: unknown): argument is VariableMenuContext {
  if (typeof argument !== 'object' || argument === null) return false;
  const { container, variable } = argument as Record<string, unknown>;
  return (
    typeof container === 'object' &&
    container !== null &&
    typeof (container as Record<string, unknown>)['variablesReference'] === 'number' &&
    typeof variable === 'object' &&
    variable !== null &&
    typeof (variable as Record<string, unknown>)['name'] === 'string'
  );
}

/** The ThingRef a command was handed, asking the session when it was handed a variable. */
export async function thingArgument(session: vscode.DebugSession, argument: unknown): Promise<unknown> {
  if (argument === undefined) throw new Error(`say which thing to follow, e.g. ${EXAMPLE}.`);
  const fromWebview = thingInWebviewContext(argument);
  if (fromWebview !== undefined) return fromWebview;
  if (isVariableMenuContext(argument)) {
    const body = (await session.customRequest(THING_OF_VARIABLE_REQUEST, {
      variablesReference: argument.container.variablesReference,
      name: argument.variable.name,
    })) as { thing: unknown };
    return body.thing;
  }
  return argument;
}
