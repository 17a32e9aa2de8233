import type * as vscode from 'vscode';
import { registerBookmarksView } from './bookmarks/BookmarksTree';
import { registerFirstStart } from './commands/getStarted';
import { registerCommands } from './commands/registry';
import { Ctx } from './Ctx';
import { registerDebugger } from './debug/registerDebugger';
import { registerLanguageFeatures } from './language';
import { registerFolding } from './language/folding';
import { registerPanels } from './panels/registerPanels';

// The extension entry point: build the one context object, then let every feature register itself
// from it. A feature is a function of the context; the order below is the order of registration.
//
// The features: the commands, folding, the language features over the scenario checker
// (diagnostics, completion, hovers, symbols, CodeLens, inline values), the debugger (inline adapter
// and configuration provider), the panels and sidebar views that follow the debug session, and the
// Bookmarks view; last, the walkthrough on the very first start.

export type Feature = (ctx: Ctx) => void;

const languageFeatures: Feature = (ctx) => {
  registerLanguageFeatures(ctx.extensionContext, { settings: () => ctx.config });
};

export const features: readonly Feature[] = [
  registerCommands,
  registerFolding,
  languageFeatures,
  (ctx) => registerDebugger(ctx, ctx.sessions),
  registerPanels,
  registerBookmarksView,
  registerFirstStart,
];

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
