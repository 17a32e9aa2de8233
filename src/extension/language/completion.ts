import * as vscode from 'vscode';
import { complete, CompletionKind } from '../../scenario/service/completion';
import { toLinePosition } from './convert';
import type { DocumentModels } from './models';

const KINDS: Readonly<Record<CompletionKind, vscode.CompletionItemKind>> = {
  function: vscode.CompletionItemKind.Function,
  method: vscode.CompletionItemKind.Method,
  property: vscode.CompletionItemKind.Property,
  constant: vscode.CompletionItemKind.Constant,
  variable: vscode.CompletionItemKind.Variable,
  process: vscode.CompletionItemKind.Module,
  proc: vscode.CompletionItemKind.Function,
  keyword: vscode.CompletionItemKind.Keyword,
  outcome: vscode.CompletionItemKind.Event,
  setting: vscode.CompletionItemKind.Property,
  argument: vscode.CompletionItemKind.Field,
  module: vscode.CompletionItemKind.Module,
  value: vscode.CompletionItemKind.Value,
};

/** Characters after which completion opens by itself. */
export const COMPLETION_TRIGGERS = ['.', ':', '(', ',', '|', '=', ' '];

export class ScenarioCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly models: DocumentModels) {}

  provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _token: vscode.CancellationToken,
    context: vscode.CompletionContext,
  ): vscode.CompletionItem[] {
    // After a space or a comma only what is specific to the place, never the whole list of names.
    const trigger = context.triggerCharacter;
    const specificOnly = trigger === ' ' || trigger === ',' || trigger === '=';
    const result = complete(this.models.get(document), toLinePosition(position), { specificOnly });
    const inserting = new vscode.Range(position.line, result.replaceStart, position.line, position.character);
    const replacing = new vscode.Range(position.line, result.replaceStart, position.line, result.replaceEnd);
    return result.items.map((item) => {
      const completion = new vscode.CompletionItem(item.label, KINDS[item.kind]);
      if (item.detail !== undefined) completion.detail = item.detail;
      if (item.documentation !== undefined)
        completion.documentation = new vscode.MarkdownString(item.documentation);
      if (item.insertText !== undefined)
        completion.insertText = item.snippet ? new vscode.SnippetString(item.insertText) : item.insertText;
      completion.sortText = item.sortText;
      completion.range = { inserting, replacing };
      if (item.triggerSignatureHelp)
        completion.command = { command: 'editor.action.triggerParameterHints', title: 'Show parameters' };
      return completion;
    });
  }
}
