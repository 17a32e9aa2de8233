import * as vscode from 'vscode';
import { inlineValueTargets } from '../../scenario/service/inlineValues';
import { lineRange } from './convert';
import type { DocumentModels } from './models';

/** While stopped, the value of each `let` binding defined above the stopped line, beside its name. */
export class ScenarioInlineValuesProvider implements vscode.InlineValuesProvider {
  constructor(private readonly models: DocumentModels) {}

  provideInlineValues(
    document: vscode.TextDocument,
    viewPort: vscode.Range,
    context: vscode.InlineValueContext,
  ): vscode.InlineValue[] {
    const targets = inlineValueTargets(this.models.get(document), context.stoppedLocation.start.line, {
      startLine: viewPort.start.line,
      endLine: viewPort.end.line,
    });
    return targets.map(
      (t) =>
        new vscode.InlineValueVariableLookup(lineRange(t.line, t.startColumn, t.endColumn), t.name, true),
    );
  }
}
