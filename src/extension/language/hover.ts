import * as vscode from 'vscode';
import { hover } from '../../scenario/service/hover';
import { lineRange, toLinePosition } from './convert';
import type { DocumentModels } from './models';

/** Hovers on API names, constants, keywords, outcomes, settings, bindings and numbers. */
export class ScenarioHoverProvider implements vscode.HoverProvider {
  constructor(private readonly models: DocumentModels) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const result = hover(this.models.get(document), toLinePosition(position));
    if (result === undefined) return undefined;
    return new vscode.Hover(
      new vscode.MarkdownString(result.contents),
      lineRange(result.line, result.startColumn, result.endColumn),
    );
  }
}
