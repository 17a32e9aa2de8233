// The bookmark commands: name the current step of the debug session, travel to a bookmark, rename
// or delete one. From the Bookmarks view they get the bookmark clicked; from the command palette
// they ask for one in a quick pick.
import * as path from 'path';
import * as vscode from 'vscode';
import { stepInfoDto } from '../../views/stepInfo';
import { bookmarkNameProblem, MAX_BOOKMARK_NAME } from '../bookmarks/BookmarkStore';
import { type BookmarkNode, isBookmarkNode, shownScenario } from '../bookmarks/BookmarksTree';
import type { Ctx } from '../Ctx';
import { followedScenario } from '../panels/runMarks';
import type { CommandFactory } from './registry';

/**
 * "MMU Lens: Bookmark This Step": asks a name for the session's current step (offering the step's
 * statement) and keeps it. With a string argument that is the name, and nothing is asked.
 */
export const bookmarkStep: CommandFactory = (ctx: Ctx) => async (name?: unknown) => {
  const view = ctx.sessions.selected()?.view;
  if (view === undefined)
    throw new Error('start debugging a scenario first: a bookmark names a step of its run.');
  const step = view.position;
  const info = stepInfoDto(view.report, view.sourceText, step, view.next);
  const taken = ctx.bookmarks.list(view.file).map((bookmark) => bookmark.name);
  const where = info.line === null ? `step ${step} (boot)` : `step ${step}, line ${info.line}`;
  const chosen =
    typeof name === 'string'
      ? name
      : await vscode.window.showInputBox({
          title: 'MMU Lens: Bookmark This Step',
          prompt: `A name for ${where} of ${path.basename(view.file)}`,
          value: suggestedName(info.statement, step, taken),
          validateInput: (text) => bookmarkNameProblem(text, taken) ?? undefined,
        });
  if (chosen === undefined) return undefined;
  return ctx.bookmarks.add(view.file, { name: chosen, step, line: info.line });
};

/** The statement the step ran, else "step N": whichever is free and fits. */
function suggestedName(statement: string, step: number, taken: readonly string[]): string {
  const text = statement.replace(/\s+/g, ' ').slice(0, MAX_BOOKMARK_NAME).trim();
  for (const candidate of [text, `step ${step}`])
    if (bookmarkNameProblem(candidate, taken) === null) return candidate;
  return '';
}

/** The bookmark a command acts on: the one it was given, else one the user picks. */
async function bookmarkOf(ctx: Ctx, argument: unknown, title: string): Promise<BookmarkNode | undefined> {
  if (isBookmarkNode(argument)) return argument;
  const file = shownScenario(ctx);
  const bookmarks = file === undefined ? [] : ctx.bookmarks.list(file);
  if (file === undefined || bookmarks.length === 0) {
    void vscode.window.showInformationMessage('MMU Lens: this scenario has no bookmarks yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    bookmarks.map((bookmark) => ({
      label: bookmark.name,
      description: `step ${bookmark.step}${bookmark.line === null ? '' : ` · line ${bookmark.line}`}`,
      bookmark,
    })),
    { title, placeHolder: `A bookmark of ${path.basename(file)}` },
  );
  return picked === undefined ? undefined : { file, bookmark: picked.bookmark };
}

/** Travels to a bookmark of the scenario being debugged. */
export const goToBookmark: CommandFactory = (ctx: Ctx) => async (argument?: unknown) => {
  const node = await bookmarkOf(ctx, argument, 'MMU Lens: Go to Bookmark');
  if (node === undefined) return;
  const followed = followedScenario(ctx.sessions);
  const name = path.basename(node.file);
  if (followed === undefined) throw new Error(`start debugging ${name} to travel to its bookmarks.`);
  if (followed !== node.file)
    throw new Error(
      `"${node.bookmark.name}" is a bookmark of ${name}; the debug session runs ${path.basename(followed)}.`,
    );
  await ctx.sessions.travel(node.bookmark.step);
};

/**
 * Makes a bookmark of the scenario being debugged the step every view compares the current one with
 * ("changes since" the bookmark).
 */
export const compareWithBookmark: CommandFactory = (ctx: Ctx) => async (argument?: unknown) => {
  const node = await bookmarkOf(ctx, argument, 'MMU Lens: Compare with Bookmark');
  if (node === undefined) return;
  const followed = followedScenario(ctx.sessions);
  const name = path.basename(node.file);
  if (followed !== node.file || ctx.panels === undefined)
    throw new Error(`start debugging ${name} to compare its steps with "${node.bookmark.name}".`);
  ctx.panels.compareWith(node.bookmark.step);
};

export const renameBookmark: CommandFactory = (ctx: Ctx) => async (argument?: unknown) => {
  const node = await bookmarkOf(ctx, argument, 'MMU Lens: Rename Bookmark');
  if (node === undefined) return;
  const { file, bookmark } = node;
  const others = ctx.bookmarks
    .list(file)
    .map((other) => other.name)
    .filter((other) => other !== bookmark.name);
  const name = await vscode.window.showInputBox({
    title: 'MMU Lens: Rename Bookmark',
    prompt: `A new name for step ${bookmark.step}`,
    value: bookmark.name,
    validateInput: (text) => bookmarkNameProblem(text, others) ?? undefined,
  });
  if (name !== undefined) await ctx.bookmarks.rename(file, bookmark.name, name);
};

export const deleteBookmark: CommandFactory = (ctx: Ctx) => async (argument?: unknown) => {
  const node = await bookmarkOf(ctx, argument, 'MMU Lens: Delete Bookmark');
  if (node !== undefined) await ctx.bookmarks.remove(node.file, node.bookmark.name);
};
