// The sidebar's Bookmarks view: the named steps of the scenario being debugged (or, without a
// session, of the scenario in the active editor), each with its step and line. A click travels
// there; the context menu renames or deletes.
import * as path from 'path';
import * as vscode from 'vscode';
import type { BookmarkDto } from '../../protocol/timeline';
import type { Ctx } from '../Ctx';
import { Commands, LANGUAGE_ID, Views } from '../ids';
import { followedScenario } from '../panels/runMarks';

/** A bookmark as the tree and its commands know it: with the scenario file it belongs to. */
export interface BookmarkNode {
  readonly file: string;
  readonly bookmark: BookmarkDto;
}

export function isBookmarkNode(value: unknown): value is BookmarkNode {
  const node = value as Partial<BookmarkNode> | undefined;
  return typeof node?.file === 'string' && typeof node.bookmark?.name === 'string';
}

/** The scenario whose bookmarks are shown: the followed session's, else the active editor's. */
export function shownScenario(ctx: Ctx): string | undefined {
  const document = vscode.window.activeTextEditor?.document;
  const open = document?.languageId === LANGUAGE_ID ? document.uri.fsPath : undefined;
  return followedScenario(ctx.sessions) ?? open;
}

class BookmarksTree implements vscode.TreeDataProvider<BookmarkNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private scenario: string | undefined;

  constructor(private readonly ctx: Ctx) {
    this.scenario = shownScenario(ctx);
  }

  /** Shows the bookmarks again; `scenarioMayChange` looks first whether another scenario is shown. */
  refresh(scenarioMayChange: boolean): void {
    if (scenarioMayChange) {
      const scenario = shownScenario(this.ctx);
      if (scenario === this.scenario) return;
      this.scenario = scenario;
    }
    this.changed.fire();
  }

  get title(): string {
    return this.scenario === undefined ? 'Bookmarks' : `Bookmarks · ${path.basename(this.scenario)}`;
  }

  getChildren(node?: BookmarkNode): BookmarkNode[] {
    const file = this.scenario;
    if (node !== undefined || file === undefined) return [];
    return this.ctx.bookmarks.list(file).map((bookmark) => ({ file, bookmark }));
  }

  getTreeItem({ file, bookmark }: BookmarkNode): vscode.TreeItem {
    const item = new vscode.TreeItem(bookmark.name, vscode.TreeItemCollapsibleState.None);
    const where = `step ${bookmark.step}${bookmark.line === null ? '' : ` · line ${bookmark.line}`}`;
    item.id = `${file}#${bookmark.name}`;
    item.description = where;
    item.tooltip = `${bookmark.name}: ${where} of ${path.basename(file)}. Click to travel there.`;
    item.iconPath = new vscode.ThemeIcon('bookmark');
    item.contextValue = 'bookmark';
    item.command = {
      command: Commands.goToBookmark,
      title: 'Go to Bookmark',
      arguments: [{ file, bookmark }],
    };
    return item;
  }
}

/** Registers the Bookmarks view and keeps it current with the store, the session and the editor. */
export function registerBookmarksView(ctx: Ctx): void {
  const tree = new BookmarksTree(ctx);
  const view = vscode.window.createTreeView(Views.bookmarks, { treeDataProvider: tree });
  const retitle = (): void => {
    view.title = tree.title;
  };
  retitle();
  const stored = ctx.bookmarks.onDidChange(() => tree.refresh(false));
  ctx.subscribe(
    view,
    { dispose: () => stored.dispose() },
    tree.onDidChangeTreeData(retitle),
    ctx.sessions.onDidChange(() => tree.refresh(true)),
    vscode.window.onDidChangeActiveTextEditor(() => tree.refresh(true)),
  );
}
