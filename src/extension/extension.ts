import type * as vscode from 'vscode';

// The extension entry point. Features are registered here as their issues land.
export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
