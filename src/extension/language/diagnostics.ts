import * as vscode from 'vscode';
import { Debouncer } from '../../scenario/service/debounce';
import {
  DIAGNOSTIC_SOURCE,
  EditorDiagnostic,
  EditorSeverity,
  editorDiagnostics,
} from '../../scenario/service/diagnostics';
import type { DocumentModels } from './models';
import type { ResolvedOptions } from './options';

const SEVERITY: Readonly<Record<EditorSeverity, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export function toVsCodeDiagnostic(d: EditorDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(d.startLine, d.startColumn, d.endLine, d.endColumn),
    d.message,
    SEVERITY[d.severity],
  );
  diagnostic.code = d.code;
  diagnostic.source = d.source;
  return diagnostic;
}

/**
 * Diagnostics as you type: a scenario is checked when it opens, and again when typing pauses for
 * the configured time; its problems leave with it when it closes.
 */
export function registerDiagnostics(models: DocumentModels, options: ResolvedOptions): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  const isScenario = (document: vscode.TextDocument): boolean => document.languageId === options.languageId;
  const openDocument = (key: string): vscode.TextDocument | undefined =>
    vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);

  const refresh = (key: string): void => {
    const document = openDocument(key);
    if (document === undefined || !isScenario(document)) return;
    if (!options.settings().diagnosticsEnabled) {
      collection.delete(document.uri);
      return;
    }
    collection.set(document.uri, editorDiagnostics(models.get(document)).map(toVsCodeDiagnostic));
  };
  const debouncer = new Debouncer<string>(() => options.settings().diagnosticsDebounceMs, refresh);
  const refreshAll = (): void => {
    for (const document of vscode.workspace.textDocuments)
      if (isScenario(document)) refresh(document.uri.toString());
  };
  refreshAll();

  return [
    collection,
    { dispose: () => debouncer.dispose() },
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (isScenario(document)) refresh(document.uri.toString());
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (isScenario(event.document) && event.contentChanges.length > 0)
        debouncer.schedule(event.document.uri.toString());
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      const key = document.uri.toString();
      debouncer.cancel(key);
      collection.delete(document.uri);
      models.forget(document);
    }),
    // A document whose language changes to or from `mmu` is reopened by VS Code: the handlers above see it.
    options.onDidChangeSettings(() => {
      // Let the settings object reload first (it listens to the same event).
      setTimeout(refreshAll, 0);
    }),
  ];
}
