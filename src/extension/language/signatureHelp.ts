import * as vscode from 'vscode';
import { signatureHelp } from '../../scenario/service/signature';
import { toLinePosition } from './convert';
import type { DocumentModels } from './models';

export const SIGNATURE_TRIGGERS = ['(', ','];
export const SIGNATURE_RETRIGGERS = ['='];

export class ScenarioSignatureHelpProvider implements vscode.SignatureHelpProvider {
  constructor(private readonly models: DocumentModels) {}

  provideSignatureHelp(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): vscode.SignatureHelp | undefined {
    const help = signatureHelp(this.models.get(document), toLinePosition(position));
    if (help === undefined) return undefined;
    const signature = new vscode.SignatureInformation(
      help.label,
      new vscode.MarkdownString(help.documentation),
    );
    signature.parameters = help.parameters.map(
      (p) =>
        new vscode.ParameterInformation(
          [p.start, p.end],
          p.documentation === undefined ? undefined : new vscode.MarkdownString(p.documentation),
        ),
    );
    // An index past the last parameter highlights none, which is what -1 means.
    const active = help.activeParameter < 0 ? help.parameters.length : help.activeParameter;
    signature.activeParameter = active;
    const result = new vscode.SignatureHelp();
    result.signatures = [signature];
    result.activeSignature = 0;
    result.activeParameter = active;
    return result;
  }
}
