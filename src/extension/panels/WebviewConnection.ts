// One webview's conversation with the extension: checks every message it sends, answers its requests
// from the state source, and keeps it current with a snapshot first and patches after. What every
// view shares (the compare step, bookmarks, breakpoint lines) comes first and again on every change.
// Free of the vscode API so that it can be tested directly.
import type { ChangeSetDto, MachineStateDto, SelectionTargetDto } from '../../protocol/dto';
import type { MemoryTargetDto } from '../../protocol/memoryWindow';
import {
  type HostMessage,
  PROTOCOL_VERSION,
  validateWebviewMessage,
  type WebviewMessage,
} from '../../protocol/messages';
import { count } from '../../protocol/schema';
import { computeChangeSet, computeStatePatch, noChanges } from '../../protocol/stateDiff';
import type { PanelStateSource } from './PanelStateSource';
import type { SharedViewState } from './SharedViewState';

/** The part of vscode.Webview a connection uses. */
export interface WebviewEndpoint {
  postMessage(message: HostMessage): PromiseLike<boolean>;
}

export interface ConnectionHooks {
  /** Another view should reveal what this one selected. */
  selected(target: SelectionTargetDto, from: WebviewConnection): void;
  openPanel(panel: Extract<WebviewMessage, { type: 'openPanel' }>['panel']): void;
  /** Takes the debug session to a step already reached; rejects with the reason it cannot. */
  travel(step: number): PromiseLike<void>;
  /** What every view shares; a compare step chosen here is set there for all of them. */
  readonly shared: SharedViewState;
  log(message: string): void;
  /** The webview (re)loaded and was brought up to date. */
  ready?(connection: WebviewConnection): void;
}

const DEFAULT_NO_SESSION = 'Start debugging a .mmu scenario to see its memory.';

export class WebviewConnection {
  /** The state the webview holds, as far as this side knows; patches are computed against it. */
  private shown: MachineStateDto | undefined;

  constructor(
    private readonly endpoint: WebviewEndpoint,
    private readonly source: PanelStateSource,
    private readonly hooks: ConnectionHooks,
  ) {}

  /** Handles one raw message from the webview. Never throws. */
  receive(raw: unknown): void {
    const result = validateWebviewMessage(raw);
    if (!result.ok) {
      this.hooks.log(`Rejected a message from a webview: ${result.error}`);
      this.send({ type: 'error', requestId: null, message: `rejected message: ${result.error}` });
      return;
    }
    const message = result.message;
    try {
      this.handle(message);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.send({ type: 'error', requestId: requestIdOf(message), message: text });
    }
  }

  private handle(message: WebviewMessage): void {
    switch (message.type) {
      case 'ready':
        this.shown = undefined;
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          // A webview restored from an older build: it cannot read this build's messages.
          return this.send({
            type: 'noSession',
            reason: `This view was built for protocol ${message.protocolVersion}, the extension speaks ${PROTOCOL_VERSION}: close and reopen it.`,
          });
        }
        this.send({ type: 'shared', shared: this.hooks.shared.dto() });
        this.update();
        return this.hooks.ready?.(this);
      case 'requestPageWalk':
        return this.send({
          type: 'pageWalk',
          requestId: message.requestId,
          walk: this.source.pageWalk(message.spaceId, message.vaddr),
        });
      case 'requestPteRows': {
        const { total, rows } = this.source.pteRows(
          message.spaceId,
          message.regionId,
          message.from,
          message.to,
        );
        return this.send({
          type: 'pteRows',
          requestId: message.requestId,
          spaceId: message.spaceId,
          regionId: message.regionId,
          from: message.from,
          total,
          rows,
        });
      }
      case 'requestPteRowIndex':
        return this.send({
          type: 'pteRowIndex',
          requestId: message.requestId,
          index: this.source.pteRowIndex(message.spaceId, message.regionId, message.vaddr),
        });
      case 'requestFrameInfo':
        return this.send({
          type: 'frameInfo',
          requestId: message.requestId,
          info: this.source.frameInfo(message.frame),
        });
      case 'select':
        return this.hooks.selected(message.target, this);
      case 'openInBinaryView':
        void Promise.resolve(this.source.openInBinaryView(message.spaceId, message.regionId)).catch(
          (error: unknown) => {
            const text = error instanceof Error ? error.message : String(error);
            this.hooks.log(`Open in Binary View failed: ${text}`);
            this.send({ type: 'error', requestId: null, message: text });
          },
        );
        return;
      case 'compareWithStep':
        // The shared state tells every connection, this one included (sharedChanged).
        return this.hooks.shared.setCompareStep(message.step);
      case 'requestTimeline': {
        const { from, to, buckets } = message;
        const marks = {
          breakpointLines: this.hooks.shared.dto().breakpointLines,
          bookmarkSteps: this.hooks.shared.bookmarkSteps(),
        };
        return this.send({
          type: 'timeline',
          requestId: message.requestId,
          timeline: this.source.timeline({ from, to, buckets }, marks),
        });
      }
      case 'requestMemory': {
        if (this.source.memoryWindow === undefined) throw new Error('This view cannot read memory.');
        const { space, address, length } = message;
        return this.send({
          type: 'memory',
          requestId: message.requestId,
          window: this.source.memoryWindow({ space, address, length }, this.comparedStep()),
        });
      }
      case 'travelTo':
        void Promise.resolve(this.hooks.travel(message.step)).then(undefined, (error: unknown) => {
          const text = error instanceof Error ? error.message : String(error);
          this.hooks.log(`Travel to step ${message.step} failed: ${text}`);
          this.send({ type: 'error', requestId: null, message: text });
        });
        return;
      case 'openPanel':
        return this.hooks.openPanel(message.panel);
      case 'error':
        return this.hooks.log(`A webview reported: ${message.message}`);
    }
  }

  /** Brings the webview to the source's current step: a patch when it can, else a snapshot. */
  update(): void {
    const current = this.source.current();
    if (current === undefined) {
      this.shown = undefined;
      this.send({ type: 'noSession', reason: this.source.noSessionReason?.() ?? DEFAULT_NO_SESSION });
      return;
    }
    const { session, state } = current;
    const changes = this.changesFor(state);
    const patch = this.shown === undefined ? null : computeStatePatch(this.shown, state);
    if (patch === null) this.send({ type: 'snapshot', session, state, changes });
    else this.send({ type: 'patch', session, patch, changes });
    this.shown = state;
  }

  reveal(target: SelectionTargetDto): void {
    this.send({ type: 'reveal', target });
  }

  /** Tells a Memory panel where to look; whether the webview got it (a hidden one drops it). */
  showMemory(target: MemoryTargetDto): PromiseLike<boolean> {
    return Promise.resolve(this.endpoint.postMessage({ type: 'showMemory', target })).catch(() => false);
  }

  /** What every view shares changed: the webview gets it, and the changes against the compare step. */
  sharedChanged(): void {
    this.send({ type: 'shared', shared: this.hooks.shared.dto() });
    this.sendChanges();
  }

  private sendChanges(): void {
    const current = this.source.current();
    if (current !== undefined) this.send({ type: 'changes', changes: this.changesFor(current.state) });
  }

  /** Against the chosen step, or the previous one; a chosen step at or past the current is ignored. */
  private changesFor(state: MachineStateDto): ChangeSetDto {
    const index = state.step.index;
    const baseStep = this.baseStepOf(index);
    if (baseStep < 0) return noChanges(index);
    const base = this.source.stateAt(baseStep);
    return base === undefined ? noChanges(index) : computeChangeSet(base, state);
  }

  /** The step "changes since" compares step `index` with; -1 when there is none (step 0). */
  private baseStepOf(index: number): number {
    const chosen = this.hooks.shared.compareStep;
    return chosen !== null && chosen < index ? chosen : index - 1;
  }

  /** The compared step for the current state, null when there is none. */
  private comparedStep(): number | null {
    const index = this.source.current()?.state.step.index;
    if (index === undefined) return null;
    const base = this.baseStepOf(index);
    return base < 0 ? null : base;
  }

  private send(message: HostMessage): void {
    void Promise.resolve(this.endpoint.postMessage(message)).then(
      (delivered) => {
        // A hidden webview drops messages: the next update must start from a snapshot.
        if (!delivered) this.shown = undefined;
      },
      () => {
        this.shown = undefined;
      },
    );
  }
}

/**
 * The request id an error reply answers: the message's own, for the requests that carry one. A
 * message of another type may hold any extra `requestId` property (extra properties are tolerated),
 * which the reply must not echo.
 */
function requestIdOf(message: WebviewMessage): number | null {
  const id: unknown = 'requestId' in message ? message.requestId : undefined;
  return count.check(id, 'requestId') === null ? (id as number) : null;
}
