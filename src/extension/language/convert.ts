import * as vscode from 'vscode';
import type { Range } from '../../scenario/source';
import type { LinePosition } from '../../scenario/service/cursor';

// Positions and ranges of the scenario service are zero-based with UTF-16 columns, as VS Code's.

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.column, range.end.line, range.end.column);
}

export function toLinePosition(position: vscode.Position): LinePosition {
  return { line: position.line, column: position.character };
}

export function lineRange(line: number, startColumn: number, endColumn: number): vscode.Range {
  return new vscode.Range(line, startColumn, line, endColumn);
}
