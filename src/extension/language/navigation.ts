import * as vscode from 'vscode';
import { definitionAt, documentSymbols, OutlineKind, OutlineSymbol } from '../../scenario/service/navigation';
import { toLinePosition, toRange } from './convert';
import type { DocumentModels } from './models';

const SYMBOL_KINDS: Readonly<Record<OutlineKind, vscode.SymbolKind>> = {
  machine: vscode.SymbolKind.Module,
  process: vscode.SymbolKind.Object,
  proc: vscode.SymbolKind.Function,
  binding: vscode.SymbolKind.Variable,
  file: vscode.SymbolKind.File,
  loop: vscode.SymbolKind.Namespace,
};

function toDocumentSymbol(symbol: OutlineSymbol): vscode.DocumentSymbol {
  const result = new vscode.DocumentSymbol(
    symbol.name,
    symbol.detail,
    SYMBOL_KINDS[symbol.kind],
    toRange(symbol.range),
    toRange(symbol.selectionRange),
  );
  result.children = symbol.children.map(toDocumentSymbol);
  return result;
}

/** The outline: machine, processes, procs (with their bodies), bindings, files, loops. */
export class ScenarioSymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly models: DocumentModels) {}

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    return documentSymbols(this.models.get(document)).map(toDocumentSymbol);
  }
}

/** Go to the definition of a binding, a process, a proc, a parameter or a loop variable. */
export class ScenarioDefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly models: DocumentModels) {}

  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.Location | undefined {
    const range = definitionAt(this.models.get(document), toLinePosition(position));
    return range === undefined ? undefined : new vscode.Location(document.uri, toRange(range));
  }
}
