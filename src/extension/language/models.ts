import type * as vscode from 'vscode';
import { analyzeDocument, DocumentModel } from '../../scenario/service/model';

/**
 * The semantic model of each open scenario, analysed once per document version and shared by
 * every provider (a hover, a completion and the diagnostics of one keystroke check the text once).
 */
export class DocumentModels {
  private readonly models = new Map<string, { readonly version: number; readonly model: DocumentModel }>();

  get(document: vscode.TextDocument): DocumentModel {
    const key = document.uri.toString();
    const cached = this.models.get(key);
    if (cached !== undefined && cached.version === document.version) return cached.model;
    const model = analyzeDocument(document.getText(), document.uri.fsPath || key);
    this.models.set(key, { version: document.version, model });
    return model;
  }

  forget(document: vscode.TextDocument): void {
    this.models.delete(document.uri.toString());
  }
}
