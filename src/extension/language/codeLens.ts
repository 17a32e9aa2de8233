import * as vscode from 'vscode';
import type { ResolvedOptions } from './options';

/** "Run | Debug" above the first line of a scenario; the extension registers the two commands. */
export class ScenarioCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly options: ResolvedOptions) {
    this.subscription = options.onDidChangeSettings(() => setTimeout(() => this.changed.fire(), 0));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.options.settings().codeLensEnabled) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, {
        title: '$(play) Run',
        tooltip: 'Run this scenario and report every step',
        command: this.options.runCommand,
        arguments: [document.uri],
      }),
      new vscode.CodeLens(top, {
        title: '$(debug-alt) Debug',
        tooltip: 'Debug this scenario: step forward and back, inspect the memory manager',
        command: this.options.debugCommand,
        arguments: [document.uri],
      }),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
