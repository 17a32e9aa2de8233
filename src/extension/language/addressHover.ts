import * as vscode from 'vscode';
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
    const evaluator = session === undefined ? undefined : new SessionAddressEvaluator(session);
    const markdown = await this.service.describe(document.uri.toString(), target, evaluator);
    return new vscode.Hover(
      new vscode.MarkdownString(markdown),
      lineRange(target.line, target.startColumn, target.endColumn),
    );
  }
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
