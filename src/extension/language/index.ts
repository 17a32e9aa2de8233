import * as vscode from 'vscode';
import { AddressExpressionProvider, AddressHoverProvider } from './addressHover';
import { ScenarioCodeLensProvider } from './codeLens';
import { COMPLETION_TRIGGERS, ScenarioCompletionProvider } from './completion';
import { registerDiagnostics } from './diagnostics';
import { ScenarioHoverProvider } from './hover';
import { ScenarioInlineValuesProvider } from './inlineValues';
import { DocumentModels } from './models';
import { ScenarioDefinitionProvider, ScenarioSymbolProvider } from './navigation';
import { LanguageFeatureOptions, resolveOptions } from './options';
import { DidYouMeanQuickFixes } from './quickFixes';
import { ScenarioSignatureHelpProvider, SIGNATURE_RETRIGGERS, SIGNATURE_TRIGGERS } from './signatureHelp';

export type { LanguageFeatureOptions, LanguageSettings } from './options';

/**
 * Registers the editing features of scenario documents: diagnostics as you type, completion,
 * signature help, hovers (the API, and addresses through the debug session), document symbols,
 * go to definition, the "Run | Debug" CodeLens, inline values while stopped and a quick fix for
 * every "Did you mean". Everything
 * registered is also added to `context.subscriptions`; the returned list is for callers that
 * dispose the features earlier (disposing twice is harmless).
 */
export function registerLanguageFeatures(
  context: vscode.ExtensionContext,
  options: LanguageFeatureOptions = {},
): vscode.Disposable[] {
  const resolved = resolveOptions(options);
  const selector = resolved.selector;
  const models = new DocumentModels();
  const codeLens = new ScenarioCodeLensProvider(resolved);
  const disposables: vscode.Disposable[] = [
    ...registerDiagnostics(models, resolved),
    vscode.languages.registerCompletionItemProvider(
      selector,
      new ScenarioCompletionProvider(models),
      ...COMPLETION_TRIGGERS,
    ),
    vscode.languages.registerSignatureHelpProvider(selector, new ScenarioSignatureHelpProvider(models), {
      triggerCharacters: SIGNATURE_TRIGGERS,
      retriggerCharacters: SIGNATURE_RETRIGGERS,
    }),
    vscode.languages.registerHoverProvider(selector, new ScenarioHoverProvider(models)),
    vscode.languages.registerHoverProvider(selector, new AddressHoverProvider(models, resolved)),
    vscode.languages.registerEvaluatableExpressionProvider(selector, new AddressExpressionProvider(models)),
    vscode.languages.registerDocumentSymbolProvider(selector, new ScenarioSymbolProvider(models), {
      label: 'MMU scenario',
    }),
    vscode.languages.registerDefinitionProvider(selector, new ScenarioDefinitionProvider(models)),
    codeLens,
    vscode.languages.registerCodeLensProvider(selector, codeLens),
    vscode.languages.registerInlineValuesProvider(selector, new ScenarioInlineValuesProvider(models)),
    vscode.languages.registerCodeActionsProvider(selector, new DidYouMeanQuickFixes(), {
      providedCodeActionKinds: DidYouMeanQuickFixes.kinds,
    }),
  ];
  context.subscriptions.push(...disposables);
  return disposables;
}
