import * as vscode from 'vscode';
import type { MmuDebugSession } from '../../debug';
import { DEBUG_TYPE } from '../ids';

/**
 * The inline debug sessions of this window, keyed by VS Code's session id. The panels and hovers
 * read the selected session's state in-process through it, and learn of every stop from it.
 */
export class DebugSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, MmuDebugSession>();
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
    this.sessions.set(vscodeSessionId, session);
    session.onDidStop(() => this.changed.fire());
    this.changed.fire();
  }

  /** The session VS Code has selected, if it is one of ours; else the most recent one still alive. */
  selected(): { id: string; name: string; session: MmuDebugSession } | undefined {
    const active = vscode.debug.activeDebugSession;
    if (active !== undefined && active.type === DEBUG_TYPE) {
      const session = this.sessions.get(active.id);
      if (session !== undefined) return { id: active.id, name: active.name, session };
    }
    const last = [...this.sessions].at(-1);
    return last === undefined ? undefined : { id: last[0], name: last[0], session: last[1] };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.sessions.clear();
  }
}
