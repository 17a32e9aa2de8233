import type * as vscode from 'vscode';
import { registerCommands } from './commands/registry';
import { Ctx } from './Ctx';
import { registerFolding } from './language/folding';

// The extension entry point: build the one context object, then let every feature register itself
// from it. A feature is a function of the context; the order below is the order of registration.
//
// Extension points, each added by the layer that owns it:
//   - language features over the scenario checker (diagnostics, completion, hover, symbols, CodeLens);
//   - the debugger (adapter factory, configuration provider, the commands of `DebuggerCommands`);
//   - the panel and sidebar-view hosts (src/extension/panels/).

export type Feature = (ctx: Ctx) => void;

export const features: readonly Feature[] = [registerCommands, registerFolding];

export function activate(context: vscode.ExtensionContext): void {
  const ctx = new Ctx(context);
  for (const feature of features) {
    feature(ctx);
  }
  ctx.log(`MMU Lens ${String((context.extension.packageJSON as { version?: unknown }).version)} activated`);
}

export function deactivate(): void {
  // Everything registered went through ctx.subscribe and is disposed by VS Code.
}
