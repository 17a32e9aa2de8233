// The webview's copy of the current step's state, kept up to date from snapshot and patch messages,
// plus the requests in flight and the view's own UI state (persisted with setState).
import type {
  ChangeSetDto,
  FrameInfoDto,
  MachineStateDto,
  PageWalkDto,
  PanelKind,
  SelectionTargetDto,
  SessionInfoDto,
} from '../../src/protocol/dto';
import {
  type HostMessage,
  PROTOCOL_VERSION,
  validateHostMessage,
  type WebviewMessage,
} from '../../src/protocol/messages';
import { applyStatePatch } from '../../src/protocol/stateDiff';
import type { MemoryTargetDto, MemoryWindowDto } from '../../src/protocol/memoryWindow';
import type { SharedViewDto, TimelineDto } from '../../src/protocol/timeline';
import { ChangeIndex } from './changeIndex';
import type { Host } from './vscodeApi';

type PteRowsReply = Extract<HostMessage, { type: 'pteRows' }>;

interface Replies {
  pageWalk: PageWalkDto;
  pteRows: PteRowsReply;
  frameInfo: FrameInfoDto;
  pteRowIndex: number | null;
  timeline: TimelineDto;
  memory: MemoryWindowDto;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Saved across reloads: the panel kind and each view's own settings (expanded nodes, address…). */
interface SavedState {
  panel: PanelKind;
  ui: Record<string, unknown>;
}

export type StoreEvent =
  | { kind: 'state' }
  | { kind: 'changes' }
  | { kind: 'shared' }
  | { kind: 'reveal'; target: SelectionTargetDto }
  /** The Memory panel should look here. */
  | { kind: 'showMemory'; target: MemoryTargetDto };

export class Store {
  session: SessionInfoDto | null = null;
  state: MachineStateDto | null = null;
  noSessionReason = 'Start debugging a .mmu scenario to see its memory.';
  changeIndex = new ChangeIndex();
  /** What every view shares, as the extension last told it (it owns the compare step and the marks). */
  shared: SharedViewDto = { compareStep: null, bookmarks: [], breakpointLines: [] };
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private readonly ui: Record<string, unknown>;

  constructor(
    readonly panel: PanelKind,
    private readonly host: Host,
  ) {
    const saved = host.getState() as Partial<SavedState> | undefined;
    this.ui =
      saved?.panel === panel && typeof saved.ui === 'object' && saved.ui !== null ? { ...saved.ui } : {};
  }

  /** The step every view compares with (null: the previous step). */
  get compareStep(): number | null {
    return this.shared.compareStep;
  }

  subscribe(listener: (event: StoreEvent) => void): void {
    this.listeners.add(listener);
  }

  post(message: WebviewMessage): void {
    this.host.post(message);
  }

  /** Tells the extension this view is listening; it answers with a snapshot. */
  ready(): void {
    this.post({ type: 'ready', panel: this.panel, protocolVersion: PROTOCOL_VERSION });
  }

  getUi<T>(key: string, fallback: T, isValid: (value: unknown) => value is T): T {
    const value = this.ui[key];
    return isValid(value) ? value : fallback;
  }

  setUi(key: string, value: unknown): void {
    this.ui[key] = value;
    const saved: SavedState = { panel: this.panel, ui: this.ui };
    this.host.setState(saved);
  }

  /** Entry point of every message from the extension: checked first, never trusted. */
  receive(data: unknown): void {
    const result = validateHostMessage(data);
    if (!result.ok) {
      console.error(`MMU Lens: ignored a malformed message: ${result.error}`);
      this.post({ type: 'error', message: `rejected message: ${result.error}` });
      return;
    }
    try {
      this.handle(result.message);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`MMU Lens: could not apply a message: ${message}`);
      this.post({ type: 'error', message: `could not apply ${result.message.type}: ${message}` });
      // The state may now be behind: ask for a fresh snapshot.
      this.state = null;
      this.ready();
    }
  }

  private handle(message: HostMessage): void {
    switch (message.type) {
      case 'snapshot':
        this.session = message.session;
        this.state = message.state;
        this.setChanges(message.changes);
        return this.emit({ kind: 'state' });
      case 'patch':
        if (this.state === null) throw new Error('a patch arrived before any snapshot');
        this.state = applyStatePatch(this.state, message.patch);
        this.session = message.session;
        this.setChanges(message.changes);
        return this.emit({ kind: 'state' });
      case 'noSession':
        this.session = null;
        this.state = null;
        this.noSessionReason = message.reason;
        this.changeIndex = new ChangeIndex();
        return this.emit({ kind: 'state' });
      case 'changes':
        this.setChanges(message.changes);
        return this.emit({ kind: 'changes' });
      case 'reveal':
        return this.emit({ kind: 'reveal', target: message.target });
      case 'shared':
        this.shared = message.shared;
        return this.emit({ kind: 'shared' });
      case 'timeline':
        return this.settle(message.requestId, message.timeline);
      case 'pageWalk':
        return this.settle(message.requestId, message.walk);
      case 'pteRows':
        return this.settle(message.requestId, message);
      case 'pteRowIndex':
        return this.settle(message.requestId, message.index);
      case 'frameInfo':
        return this.settle(message.requestId, message.info);
      case 'memory':
        return this.settle(message.requestId, message.window);
      case 'showMemory':
        return this.emit({ kind: 'showMemory', target: message.target });
      case 'error':
        if (message.requestId !== null) {
          const pending = this.pending.get(message.requestId);
          this.pending.delete(message.requestId);
          pending?.reject(new Error(message.message));
        } else console.error(`MMU Lens: ${message.message}`);
        return;
    }
  }

  private setChanges(changes: ChangeSetDto): void {
    this.changeIndex = new ChangeIndex(changes);
  }

  private emit(event: StoreEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private settle(requestId: number, value: unknown): void {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return; // A reply to a request the view no longer waits for.
    this.pending.delete(requestId);
    pending.resolve(value);
  }

  private request<K extends keyof Replies>(
    build: (requestId: number) => WebviewMessage,
  ): Promise<Replies[K]> {
    const requestId = this.nextRequestId++;
    return new Promise<Replies[K]>((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (value: unknown) => void, reject });
      this.post(build(requestId));
    });
  }

  requestPageWalk(spaceId: string, vaddr: string): Promise<PageWalkDto> {
    return this.request<'pageWalk'>((requestId) => ({ type: 'requestPageWalk', requestId, spaceId, vaddr }));
  }

  requestPteRows(spaceId: string, regionId: string | null, from: number, to: number): Promise<PteRowsReply> {
    return this.request<'pteRows'>((requestId) => ({
      type: 'requestPteRows',
      requestId,
      spaceId,
      regionId,
      from,
      to,
    }));
  }

  requestPteRowIndex(spaceId: string, regionId: string | null, vaddr: string): Promise<number | null> {
    return this.request<'pteRowIndex'>((requestId) => ({
      type: 'requestPteRowIndex',
      requestId,
      spaceId,
      regionId,
      vaddr,
    }));
  }

  requestFrameInfo(frame: number): Promise<FrameInfoDto> {
    return this.request<'frameInfo'>((requestId) => ({ type: 'requestFrameInfo', requestId, frame }));
  }

  /** Slots [from, to) of the run cut into `buckets` buckets. */
  requestTimeline(from: number, to: number, buckets: number): Promise<TimelineDto> {
    return this.request<'timeline'>((requestId) => ({
      type: 'requestTimeline',
      requestId,
      from,
      to,
      buckets,
    }));
  }

  /** `length` bytes of a space ("kernel", "pid:<n>", "physical") at `address`, at the current step. */
  requestMemory(space: string, address: string, length: number): Promise<MemoryWindowDto> {
    return this.request<'memory'>((requestId) => ({
      type: 'requestMemory',
      requestId,
      space,
      address,
      length,
    }));
  }

  /** Takes the debug session to a step it already reached. */
  travelTo(step: number): void {
    this.post({ type: 'travelTo', step });
  }

  select(target: SelectionTargetDto): void {
    this.post({ type: 'select', target });
  }

  /** Asks the extension to compare every view with `step`; it answers all of them with `shared`. */
  compareWith(step: number | null): void {
    this.post({ type: 'compareWithStep', step });
  }
}
