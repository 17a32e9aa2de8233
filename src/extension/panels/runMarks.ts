// The marks the views show on the run of the scenario they follow (the selected debug session's):
// its bookmarks and the lines that hold an enabled breakpoint, told again whenever either changes or
// another scenario is followed.
import * as vscode from 'vscode';
import type { BookmarkDto } from '../../protocol/timeline';
import type { BookmarkStore } from '../bookmarks/BookmarkStore';
import type { DebugSessions } from '../debug/DebugSessions';
import type { RunMarksSource } from './SharedViewState';

/** Whether a document or breakpoint location is the scenario file a session names (a path or a URI). */
export function isScenarioFile(uri: vscode.Uri, file: string): boolean {
  return uri.fsPath === file || uri.toString() === file;
}

/** The scenario file of the selected session, once it stopped; undefined without one. */
export function followedScenario(sessions: DebugSessions): string | undefined {
  return sessions.selected()?.view?.file;
}

export class FollowedRunMarks implements RunMarksSource, vscode.Disposable {
  private file: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    sessions: DebugSessions,
    private readonly store: BookmarkStore,
  ) {
    this.file = followedScenario(sessions);
    const fire = (): void => this.changed.fire();
    const storeSubscription = store.onDidChange(fire);
    this.subscriptions = [
      this.changed,
      { dispose: () => storeSubscription.dispose() },
      vscode.debug.onDidChangeBreakpoints(fire),
      // Every stop fires this; only another scenario changes the marks.
      sessions.onDidChange(() => {
        const file = followedScenario(sessions);
        if (file === this.file) return;
        this.file = file;
        fire();
      }),
    ];
  }

  bookmarks(): readonly BookmarkDto[] {
    return this.file === undefined ? [] : this.store.list(this.file);
  }

  breakpointLines(): readonly number[] {
    const file = this.file;
    if (file === undefined) return [];
    const lines = new Set<number>();
    for (const breakpoint of vscode.debug.breakpoints) {
      if (!(breakpoint instanceof vscode.SourceBreakpoint) || !breakpoint.enabled) continue;
      if (isScenarioFile(breakpoint.location.uri, file)) lines.add(breakpoint.location.range.start.line + 1);
    }
    return [...lines].sort((a, b) => a - b);
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.changed.event(listener);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
