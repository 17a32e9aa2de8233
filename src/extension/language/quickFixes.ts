import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../scenario/service/diagnostics';
import { suggestionIn } from '../../scenario/suggest';

/** A name as the diagnostic's range covers it: only such a range is replaced by the suggestion. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A quick fix for every "Did you mean 'X'?" diagnostic: replaces the misspelt name with X. Offered
 * only where the diagnostic's range is exactly one name, so that the edit cannot touch anything else.
 */
export class DidYouMeanQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const suggestion = suggestionIn(diagnostic.message);
      if (suggestion === undefined || !NAME.test(document.getText(diagnostic.range))) continue;
      const action = new vscode.CodeAction(`Change to '${suggestion}'`, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, diagnostic.range, suggestion);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}
