import * as vscode from 'vscode';
import { type MmuDebugSession, THREAD_ID } from '../../debug';
import type { StepView } from '../../debug/StepView';
import { DEBUG_TYPE } from '../ids';

/** One inline session and the StepView it published at its latest stop (none before the first). */
interface Tracked {
  readonly session: MmuDebugSession;
  /** VS Code's side of the session, through which requests go as if from the debug UI. */
  readonly debugSession: vscode.DebugSession;
  view: StepView | undefined;
}

/** A tracked session with VS Code's id and name for it. */
export interface SelectedSession extends Tracked {
  readonly id: string;
  readonly name: string;
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

  add(debugSession: vscode.DebugSession, session: MmuDebugSession): void {
    const tracked: Tracked = { session, debugSession, view: undefined };
    this.sessions.set(debugSession.id, tracked);
    session.onDidStop((_stop, view) => {
      tracked.view = view;
      this.changed.fire();
    });
    this.changed.fire();
  }

  /** The session VS Code has selected, if it is one of ours; else the most recent one still alive. */
  selected(): SelectedSession | undefined {
    const active = vscode.debug.activeDebugSession;
    if (active !== undefined && active.type === DEBUG_TYPE) {
      const tracked = this.sessions.get(active.id);
      if (tracked !== undefined) return { id: active.id, name: active.name, ...tracked };
    }
    const last = [...this.sessions].at(-1);
    return last === undefined ? undefined : { id: last[0], name: last[0], ...last[1] };
  }

  /**
   * Takes the selected session to the state after step `step`, one it already reached, with the
   * adapter's `goto` request (whose targets are positions plus one), as VS Code's Jump to Cursor does.
   */
  async travel(step: number): Promise<void> {
    const selected = this.selected();
    if (selected === undefined) throw new Error('no MMU Lens debug session is running.');
    const furthest = selected.view?.furthest ?? 0;
    if (step > furthest)
      throw new Error(`step ${step} has not been reached yet: the run has ${furthest} steps so far.`);
    await selected.debugSession.customRequest('goto', { threadId: THREAD_ID, targetId: step + 1 });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.sessions.clear();
  }
}
