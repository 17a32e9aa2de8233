// What the panels and sidebar views show, built from the StepView the debug session published at
// its last stop and from nothing else. The extension hands each new view over (`show`); this class
// answers the webviews' questions from it: the state DTO of the stop, an earlier step's DTO for
// "changes since", page walks, PTE rows and frame questions.
//
// A DTO of a large machine takes milliseconds to build, so the machine part of each step's DTO is
// built once and kept while the history it belongs to is the same (the view's revision): the last
// few dozen, for going back and forth and for comparing. An earlier step never shown (a `continue`
// ran past it) is built through `StepView.atStep`, which looks at that state without moving the
// session. What the step did (its report) is added for the current stop only. The index behind
// page walks, PTE rows and frame questions belongs to the current view only. The Timeline's buckets
// are built from the current view's step records (views/timeline.ts).

import { formatMemoryReference, virtualMemory } from '../protocol/addressSpaces';
import type {
  FrameInfoDto,
  MachineStateDto,
  PageWalkDto,
  PteRowDto,
  SessionInfoDto,
  StepInfoDto,
} from '../protocol/dto';
import { resolveRegion } from './resolveSpace';
import { MachineStateIndex, machineStateDtoOf } from './machineState';
import { stepInfoDto } from './stepInfo';
import { type TimelineMarks, type TimelineRequest, TimelineSummaries } from './timeline';
import type { TimelineDto } from '../protocol/timeline';
import type { MachineInspector, StepView } from '../debug/StepView';
import type { MemoryWindowDto } from '../protocol/memoryWindow';
import { type MemoryWindowRequest, memoryWindowDto, readWindow, type WindowBytes } from './memoryWindow';

/** Windows of earlier steps kept for the Memory panel (each at most 4 KiB of bytes). */
const KEPT_COMPARED_WINDOWS = 16;

export interface DisposableLike {
  dispose(): void;
}

/** What the extension knows of the session the views follow, besides its stops. */
export interface FollowedSession {
  readonly sessionId: string;
  /** The scenario file's name, the views' title. */
  readonly scenarioName: string;
  /** Opens VS Code's memory view at a DAP memory reference (`v:<pid|kernel>:0x<addr>`). */
  openInBinaryView(memoryReference: string, length: number): void | PromiseLike<void>;
}

export interface PanelStateOptions {
  /** DTOs kept for earlier steps (default 64). */
  readonly keptStates?: number;
  /** Total characters of page strips and frame maps kept before older DTOs are dropped (default 64 M). */
  readonly keptCharacters?: number;
}

interface KeptState {
  readonly dto: MachineStateDto;
  readonly characters: number;
}

const NO_SESSION = 'No MMU Lens debug session is running. Start debugging a .mmu scenario to see its memory.';

function sizeOf(dto: MachineStateDto): number {
  let n = dto.frameMap.kinds.length;
  for (const space of dto.addressSpaces) for (const region of space.regions) n += region.pages.length;
  return n;
}

/**
 * What a step did, for a step that is not the current stop: only its outcome is kept (the views
 * compare such a state with the current one and never show its step).
 */
export function earlierStepInfo(view: StepView, step: number): StepInfoDto {
  if (step === 0) return stepInfoDto(null, view.sourceText, 0, null);
  const summary = view.summary(step);
  return {
    index: step,
    line: null,
    nextLine: null,
    statement: '',
    outcome: summary.outcome,
    passed: !summary.failed,
    events: [],
  };
}

export class PanelState {
  private session: FollowedSession | undefined;
  private view: StepView | undefined;
  private readonly listeners = new Set<() => void>();
  /** DTOs of this revision's steps, least recently used first. */
  private readonly kept = new Map<number, KeptState>();
  private keptRevision = -1;
  private keptCharacters = 0;
  private currentIndex: MachineStateIndex | null = null;
  /** The current stop's DTO, what the step did included, once built. */
  private currentState: MachineStateDto | null = null;
  private readonly maxStates: number;
  private readonly maxCharacters: number;
  private readonly timelines = new TimelineSummaries();
  /** Windows read at compared steps, by revision, step and window, least recently used first. */
  private readonly comparedWindows = new Map<string, WindowBytes>();

  constructor(options: PanelStateOptions = {}) {
    this.maxStates = options.keptStates ?? 64;
    this.maxCharacters = options.keptCharacters ?? 64 * 1024 * 1024;
  }

  /** Follows a session's latest stop (or nothing); the views are told. */
  show(session: FollowedSession | undefined, view: StepView | undefined): void {
    if (session === undefined || view === undefined) {
      this.session = undefined;
      this.view = undefined;
    } else {
      if (session.sessionId !== this.session?.sessionId) this.forgetAll();
      this.session = session;
      this.view = view;
    }
    this.currentIndex = null;
    this.currentState = null;
    for (const listener of [...this.listeners]) listener();
  }

  dispose(): void {
    this.listeners.clear();
  }

  onDidChange(listener: () => void): DisposableLike {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  noSessionReason(): string {
    return NO_SESSION;
  }

  current(): { session: SessionInfoDto; state: MachineStateDto } | undefined {
    const { session, view } = this;
    if (session === undefined || view === undefined) return undefined;
    this.currentState ??= {
      ...this.stateOf(view, view.position, (read) => read(view.inspector)),
      step: stepInfoDto(view.report, view.sourceText, view.position, view.next),
    };
    return {
      session: { sessionId: session.sessionId, scenario: session.scenarioName, stepCount: view.furthest },
      state: this.currentState,
    };
  }

  /** An earlier (or later) step of the same history; undefined when there is none or it cannot be had. */
  stateAt(step: number): MachineStateDto | undefined {
    const view = this.view;
    if (view === undefined || !Number.isSafeInteger(step) || step < 0 || step > view.furthest)
      return undefined;
    if (!view.isCurrent) return undefined;
    if (step === view.position) return this.current()?.state;
    return this.stateOf(view, step, (read) => view.atStep(step, read));
  }

  /** Slots of the run in buckets (see views/timeline.ts); throws when no session is followed. */
  timeline(request: TimelineRequest, marks: TimelineMarks): TimelineDto {
    const view = this.view;
    if (view === undefined) throw new Error(NO_SESSION);
    return this.timelines.timeline(view, request, marks);
  }

  pageWalk(spaceId: string, vaddr: string): PageWalkDto {
    return this.index().pageWalk(spaceId, vaddr);
  }

  pteRows(
    spaceId: string,
    regionId: string | null,
    from: number,
    to: number,
  ): { total: number; rows: PteRowDto[] } {
    return this.index().pteRows(spaceId, regionId, from, to);
  }

  pteRowIndex(spaceId: string, regionId: string | null, vaddr: string): number | null {
    return this.index().pteRowIndex(spaceId, regionId, vaddr);
  }

  frameInfo(frame: number): FrameInfoDto {
    return this.index().frameInfo(frame);
  }

  /**
   * A window of memory at the current stop, its changed bytes against `baseStep` (null: none).
   * The compared step's bytes are read from that step's machine through `StepView.atStep` (the
   * timeline's undo records or a replay from its nearest checkpoint; the session's machine is left
   * as it was) and kept for the next requests of the same window, so following steps and paging
   * back and forth reads each compared window once.
   */
  memoryWindow(request: MemoryWindowRequest, baseStep: number | null): MemoryWindowDto {
    const view = this.view;
    if (view === undefined) throw new Error(NO_SESSION);
    const now = readWindow(view.inspector.machine, request);
    const compared =
      baseStep === null || baseStep < 0 || baseStep > view.furthest
        ? null
        : { step: baseStep, bytes: this.comparedWindow(view, baseStep, request) };
    return memoryWindowDto(request, view.position, now, compared);
  }

  private comparedWindow(view: StepView, step: number, request: MemoryWindowRequest): WindowBytes {
    if (step === view.position) return readWindow(view.inspector.machine, request);
    const key = `${view.revision}:${step}:${request.space}:${request.address}:${request.length}`;
    const kept = this.comparedWindows.get(key);
    if (kept !== undefined) {
      this.comparedWindows.delete(key);
      this.comparedWindows.set(key, kept);
      return kept;
    }
    const bytes = view.atStep(step, (inspector) => readWindow(inspector.machine, request));
    this.comparedWindows.set(key, bytes);
    while (this.comparedWindows.size > KEPT_COMPARED_WINDOWS) {
      const oldest = this.comparedWindows.keys().next().value;
      if (oldest === undefined) break;
      this.comparedWindows.delete(oldest);
    }
    return bytes;
  }

  openInBinaryView(spaceId: string, regionId: string): void | PromiseLike<void> {
    const session = this.session;
    if (session === undefined) throw new Error(NO_SESSION);
    const space = this.index().space(spaceId);
    const region = resolveRegion(space, regionId);
    return session.openInBinaryView(
      formatMemoryReference(virtualMemory(space.ref), region.base),
      region.size,
    );
  }

  // ------------------------------------------------------------------------------------ caching

  /** The index of the current view's machine, built on first use. */
  private index(): MachineStateIndex {
    const view = this.view;
    if (view === undefined) throw new Error(NO_SESSION);
    return (this.currentIndex ??= new MachineStateIndex(view.inspector.machine));
  }

  /**
   * The machine part of the DTO of `step` (its step info is that of an earlier step), kept or built
   * by `look`, which runs its argument over that step's inspector.
   */
  private stateOf(
    view: StepView,
    step: number,
    look: (read: (inspector: MachineInspector) => MachineStateDto) => MachineStateDto,
  ): MachineStateDto {
    if (view.revision !== this.keptRevision) {
      this.forgetAll();
      this.keptRevision = view.revision;
    }
    const kept = this.kept.get(step);
    if (kept !== undefined) {
      // Most recently used last, so that eviction drops the least recently used.
      this.kept.delete(step);
      this.kept.set(step, kept);
      return kept.dto;
    }
    const dto = look((inspector) => {
      const index = step === view.position ? this.index() : new MachineStateIndex(inspector.machine);
      return machineStateDtoOf(index, earlierStepInfo(view, step));
    });
    this.keep(step, { dto, characters: sizeOf(dto) });
    return dto;
  }

  private keep(step: number, state: KeptState): void {
    this.kept.set(step, state);
    this.keptCharacters += state.characters;
    while (
      this.kept.size > this.maxStates ||
      (this.keptCharacters > this.maxCharacters && this.kept.size > 1)
    ) {
      const oldest = this.kept.keys().next().value;
      if (oldest === undefined || oldest === step) break;
      this.keptCharacters -= this.kept.get(oldest)!.characters;
      this.kept.delete(oldest);
    }
  }

  private forgetAll(): void {
    this.comparedWindows.clear();
    this.kept.clear();
    this.keptCharacters = 0;
  }
}
