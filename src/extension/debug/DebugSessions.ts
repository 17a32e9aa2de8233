import * as vscode from 'vscode';
import type { MmuDebugSession } from '../../debug';
import type { StepView } from '../../debug/StepView';
import { DEBUG_TYPE } from '../ids';

/** One inline session and the StepView it published at its latest stop (none before the first). */
interface Tracked {
  readonly session: MmuDebugSession;
  view: StepView | undefined;
}

/**
 * The inline debug sessions of this window, keyed by VS Code's session id, with the StepView each
 * published at its latest stop. The panels follow the selected session's latest view: every stop
 * pushes a new one here, and nothing reads the session's state any other way.
 */
export class DebugSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, Tracked>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];

  /** Fires when a session stops (forward or back), starts, ends, or another one is selected. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.subscriptions.push(
      this.changed,
      vscode.debug.onDidChangeActiveDebugSession(() => this.changed.fire()),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (this.sessions.delete(session.id)) this.changed.fire();
      }),
    );
  }

  add(vscodeSessionId: string, session: MmuDebugSession): void {
    const tracked: Tracked = { session, view: undefined };
    this.sessions.set(vscodeSessionId, tracked);
    session.onDidStop((_stop, view) => {
      tracked.view = view;
      this.changed.fire();
    });
    this.changed.fire();
  }

  /** The session VS Code has selected, if it is one of ours; else the most recent one still alive. */
  selected(): { id: string; name: string; session: MmuDebugSession; view: StepView | undefined } | undefined {
    const active = vscode.debug.activeDebugSession;
    if (active !== undefined && active.type === DEBUG_TYPE) {
      const tracked = this.sessions.get(active.id);
      if (tracked !== undefined) return { id: active.id, name: active.name, ...tracked };
    }
    const last = [...this.sessions].at(-1);
    return last === undefined ? undefined : { id: last[0], name: last[0], ...last[1] };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.sessions.clear();
  }
}
