// The bookmarks of each scenario: steps the user named, kept in the workspace's state and keyed by
// the scenario file, so that they outlive the debug session and the window. The engine is
// deterministic, so a step number names the same state in every run of an unchanged scenario.
// Free of the vscode API (the workspace state is any memento) so that it can be tested directly.
import { BookmarkDto, MAX_BOOKMARKS } from '../../protocol/timeline';
import type { DisposableLike } from '../panels/PanelStateSource';

/** The part of vscode.Memento the store uses. */
export interface StateMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The workspace-state key under which every scenario's bookmarks are kept, by file. */
export const BOOKMARKS_STATE_KEY = 'mmuLens.bookmarks';
export const MAX_BOOKMARK_NAME = 60;

/**
 * Why `name` cannot name a bookmark among those already `taken` (compared without case), or null
 * when it can. A name made of digits alone would read as a step number in the compare controls.
 */
export function bookmarkNameProblem(name: string, taken: readonly string[]): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'A bookmark needs a name.';
  if (trimmed.length > MAX_BOOKMARK_NAME)
    return `A name has at most ${MAX_BOOKMARK_NAME} characters; this one has ${trimmed.length}.`;
  if (/\p{Cc}/u.test(trimmed)) return 'A name cannot hold control characters.';
  if (/^\d+$/.test(trimmed)) return 'A name of digits alone would read as a step number: add a word.';
  const lower = trimmed.toLowerCase();
  if (taken.some((other) => other.toLowerCase() === lower))
    return `This scenario already has a bookmark named "${trimmed}".`;
  return null;
}

type Stored = Record<string, unknown>;

export class BookmarkStore {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly memento: StateMemento) {}

  /** The bookmarks of a scenario file, by step then name; entries the state cannot vouch for are left out. */
  list(file: string): BookmarkDto[] {
    const entries = this.stored()[file];
    if (!Array.isArray(entries)) return [];
    return entries
      .filter((entry): entry is BookmarkDto => BookmarkDto.check(entry, 'bookmark') === null)
      .sort((a, b) => a.step - b.step || a.name.localeCompare(b.name));
  }

  /** Names a step; throws an Error saying why when the name cannot be used. */
  async add(file: string, bookmark: BookmarkDto): Promise<BookmarkDto> {
    const list = this.list(file);
    this.requireName(bookmark.name, list);
    if (list.length >= MAX_BOOKMARKS)
      throw new Error(`A scenario keeps at most ${MAX_BOOKMARKS} bookmarks: delete one first.`);
    const added = { ...bookmark, name: bookmark.name.trim() };
    await this.save(file, [...list, added]);
    return added;
  }

  async rename(file: string, name: string, newName: string): Promise<void> {
    const list = this.list(file);
    const others = list.filter((bookmark) => bookmark.name !== name);
    if (others.length === list.length) throw new Error(`No bookmark is named "${name}".`);
    this.requireName(newName, others);
    await this.save(
      file,
      list.map((bookmark) => (bookmark.name === name ? { ...bookmark, name: newName.trim() } : bookmark)),
    );
  }

  async remove(file: string, name: string): Promise<void> {
    const list = this.list(file);
    await this.save(
      file,
      list.filter((bookmark) => bookmark.name !== name),
    );
  }

  onDidChange(listener: () => void): DisposableLike {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private requireName(name: string, list: readonly BookmarkDto[]): void {
    const problem = bookmarkNameProblem(
      name,
      list.map((bookmark) => bookmark.name),
    );
    if (problem !== null) throw new Error(problem);
  }

  private stored(): Stored {
    const value = this.memento.get<unknown>(BOOKMARKS_STATE_KEY);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Stored) : {};
  }

  private async save(file: string, list: BookmarkDto[]): Promise<void> {
    const stored = { ...this.stored() };
    if (list.length === 0) delete stored[file];
    else stored[file] = list;
    await this.memento.update(BOOKMARKS_STATE_KEY, stored);
    for (const listener of [...this.listeners]) listener();
  }
}
