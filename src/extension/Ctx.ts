import * as vscode from 'vscode';
import { BookmarkStore } from './bookmarks/BookmarkStore';
import { DebugSessions } from './debug/DebugSessions';
import type { MmuPanelManager } from './panels/MmuPanelManager';
import { Config } from './Config';
import { OUTPUT_CHANNEL_NAME, SETTINGS_SECTION } from './ids';

// The one context object `activate` builds and hands to every feature: the extension's context, its
// typed configuration, its output channel. A feature keeps what it needs from here and registers its
// disposables through `subscribe`, so that deactivation cleans everything up.

export class Ctx {
  readonly config: Config;
  readonly output: vscode.OutputChannel;
  /** The inline MMU debug sessions of this window. */
  readonly sessions = new DebugSessions();
  /** The named steps of every scenario, kept with the workspace. */
  readonly bookmarks: BookmarkStore;
  /** The panel host, once the panels feature has registered it. */
  panels: MmuPanelManager | undefined;

  constructor(readonly extensionContext: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME);
    this.bookmarks = new BookmarkStore(extensionContext.workspaceState);
    this.subscribe(this.output);
    this.config = new Config(() => vscode.workspace.getConfiguration(SETTINGS_SECTION));
    this.reportConfigProblems();
    this.subscribe(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (Config.affects(event)) {
          this.config.reload();
          this.reportConfigProblems();
        }
      }),
    );
  }

  get extensionUri(): vscode.Uri {
    return this.extensionContext.extensionUri;
  }

  /** The example scenarios shipped inside the extension. */
  get bundledExamplesUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'examples');
  }

  subscribe(...disposables: vscode.Disposable[]): void {
    this.extensionContext.subscriptions.push(...disposables);
  }

  /** A timestamped line in the MMU Lens output channel. */
  log(message: string): void {
    this.output.appendLine(`[${new Date().toISOString()}] ${message}`);
  }

  private reportConfigProblems(): void {
    for (const problem of this.config.problems) {
      this.log(`settings: ${problem}`);
    }
  }
}
