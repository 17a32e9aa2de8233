// What every view shares besides the stop, owned by the extension: the step "changes since" compares
// with, and the marks the views show on the run (the scenario's bookmarks and the lines holding a
// breakpoint). A view's compare control sets the step for every view; whatever changes reaches every
// view as one `shared` message. Free of the vscode API so that it can be tested directly.
import type { BookmarkDto, SharedViewDto } from '../../protocol/timeline';
import type { DisposableLike } from './PanelStateSource';

/** Where the bookmarks and breakpoint lines of the followed scenario come from. */
export interface RunMarksSource {
  bookmarks(): readonly BookmarkDto[];
  /** The 1-based lines of the scenario holding an enabled breakpoint. */
  breakpointLines(): readonly number[];
  onDidChange(listener: () => void): DisposableLike;
}

export class SharedViewState {
  private compare: number | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly subscription: DisposableLike;

  constructor(private readonly marks: RunMarksSource) {
    this.subscription = marks.onDidChange(() => this.fire());
  }

  /** The step every view compares the current one with; null: the step before the current one. */
  get compareStep(): number | null {
    return this.compare;
  }

  setCompareStep(step: number | null): void {
    if (step === this.compare) return;
    this.compare = step;
    this.fire();
  }

  /** The bookmarked steps, for the timeline's marks. */
  bookmarkSteps(): number[] {
    return this.marks.bookmarks().map((bookmark) => bookmark.step);
  }

  dto(): SharedViewDto {
    return {
      compareStep: this.compare,
      bookmarks: [...this.marks.bookmarks()],
      breakpointLines: [...this.marks.breakpointLines()],
    };
  }

  onDidChange(listener: () => void): DisposableLike {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
  }

  private fire(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
