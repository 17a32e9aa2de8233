// Helpers for the tests of the panel hosts: marks on the run that tests set by hand.
import type { BookmarkDto } from '../../protocol/timeline';
import type { RunMarksSource } from './SharedViewState';

/** Bookmarks and breakpoint lines a test changes with `set`, telling the listeners as VS Code would. */
export class FixedMarks implements RunMarksSource {
  private readonly listeners = new Set<() => void>();

  constructor(
    private bookmarkList: BookmarkDto[] = [],
    private lines: number[] = [],
  ) {}

  bookmarks(): readonly BookmarkDto[] {
    return this.bookmarkList;
  }

  breakpointLines(): readonly number[] {
    return this.lines;
  }

  set(bookmarks: BookmarkDto[], lines: number[] = this.lines): void {
    this.bookmarkList = bookmarks;
    this.lines = lines;
    for (const listener of [...this.listeners]) listener();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
