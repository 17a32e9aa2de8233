import * as vscode from 'vscode';
import { parseMemoryReference, viewSpaceId } from '../../protocol/addressSpaces';
import { type MemoryTargetDto, PHYSICAL_SPACE_ID } from '../../protocol/memoryWindow';
import { toHex } from '../../protocol/pagingEntry';
import type { AddressAnswer, AddressEvaluator } from '../../scenario/service/addressHover';
import { Commands } from '../ids';
import {
  AddressHoverService,
  addressTargetAt,
  sessionRunsDocument,
} from '../../scenario/service/addressHover';
import { SessionAddressEvaluator } from '../../scenario/service/sessionEvaluator';
import { lineRange, toLinePosition } from './convert';
import type { DocumentModels } from './models';
import type { ResolvedOptions } from './options';

/** The scenario debug session running `document`, if one is active. */
export function sessionFor(
  document: vscode.TextDocument,
  options: ResolvedOptions,
): vscode.DebugSession | undefined {
  const session = vscode.debug.activeDebugSession;
  if (session === undefined || session.type !== options.debugType) return undefined;
  const program: unknown = (session.configuration as Record<string, unknown>)[options.programAttribute];
  return sessionRunsDocument(program, document.uri.fsPath) ? session : undefined;
}

/**
 * Hover on a number or an address-valued name: resolved by the scenario's debug session (region,
 * VMObject, PTE bits, physical address, page, zone); without one, what the last stop knew.
 */
export class AddressHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly models: DocumentModels,
    private readonly options: ResolvedOptions,
    private readonly service = new AddressHoverService(),
  ) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.Hover | undefined> {
    const target = addressTargetAt(this.models.get(document), toLinePosition(position));
    if (target === undefined) return undefined;
    const session = sessionFor(document, this.options);
    // The live answer's memory reference, if any, becomes a link that opens the Memory panel there.
    let live: AddressAnswer | undefined;
    const evaluator: AddressEvaluator | undefined =
      session === undefined
        ? undefined
        : {
            evaluate: async (expression) =>
              (live = await new SessionAddressEvaluator(session).evaluate(expression)),
          };
    const markdown = await this.service.describe(document.uri.toString(), target, evaluator);
    const link = showInMemoryLink(live?.memoryReference);
    const contents = new vscode.MarkdownString(link === undefined ? markdown : `${markdown}\n\n${link}`);
    if (link !== undefined) contents.isTrusted = { enabledCommands: [OPEN_MEMORY_COMMAND] };
    return new vscode.Hover(contents, lineRange(target.line, target.startColumn, target.endColumn));
  }
}

/** The one command the hover's Markdown may run. */
const OPEN_MEMORY_COMMAND = Commands.openMemory;

/** A "Show in Memory" command link for a memory reference; undefined when there is none. */
export function showInMemoryLink(memoryReference: string | undefined): string | undefined {
  const parsed = memoryReference === undefined ? null : parseMemoryReference(memoryReference);
  if (parsed === null) return undefined;
  const target: MemoryTargetDto = {
    space: parsed.space.kind === 'physical' ? PHYSICAL_SPACE_ID : viewSpaceId(parsed.space.space),
    address: toHex(parsed.address),
  };
  return `[Show in Memory](command:${OPEN_MEMORY_COMMAND}?${encodeURIComponent(JSON.stringify(target))})`;
}

/**
 * Tells VS Code's own debug hover which expression is under the mouse (`r.vaddr` as a whole, a
 * number), so that it asks the session the same question as the address hover.
 */
export class AddressExpressionProvider implements vscode.EvaluatableExpressionProvider {
  constructor(private readonly models: DocumentModels) {}

  provideEvaluatableExpression(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): vscode.EvaluatableExpression | undefined {
    const target = addressTargetAt(this.models.get(document), toLinePosition(position));
    if (target === undefined) return undefined;
    return new vscode.EvaluatableExpression(
      lineRange(target.line, target.startColumn, target.endColumn),
      target.expression,
    );
  }
}
