// The panels' view of a debug session (the extension's PanelStateSource, met structurally so this
// layer needs nothing of the extension): the state DTO of the current step, earlier steps' DTOs
// while they are kept, and the page-table and frame questions, all answered from the session's
// machine at its current step.
//
// The panels ask often and a DTO of a large machine takes milliseconds to build, so each step's DTO
// is built once and kept; the last few dozen are kept for "compare with step". A kept DTO stays
// valid while the session's history still holds the same step at that position: same machine,
// and a report for the same statement with the same outcome and number of events (an edit that
// makes the run take another path changes those). The per-state index behind page walks, PTE rows
// and frame questions is kept for the current state only.

import type { Machine } from '../engine';
import type { FrameInfoDto, MachineStateDto, PageWalkDto, PteRowDto, SessionInfoDto } from '../protocol/dto';
import type { StepReport } from '../scenario/interpreter';
import { memoryReferenceOf, resolveRegion } from './addressSpaces';
import { dmaRegionsCreatedBy } from './deviceRegions';
import { MachineStateIndex, machineStateDtoOf } from './machineState';
import { stepInfoDto } from './stepInfo';

export interface DisposableLike {
  dispose(): void;
}

/** What the panel source needs from a debug session. The extension adapts its session to this. */
export interface MachineStateSession {
  readonly sessionId: string;
  /** The scenario file's name, the views' title. */
  readonly scenarioName: string;
  /** The scenario's text (the statements' source ranges point into it). */
  readonly sourceText: string;
  /** The machine, in the state of the current step. */
  machine(): Machine;
  /** Steps run to reach the current state (0 = right after boot). */
  currentStep(): number;
  /** Steps recorded so far (the furthest step reached). */
  stepCount(): number;
  /** The report of step `index` (1-based) while the history holds it. */
  report(index: number): StepReport | undefined;
  /** Fires when the current step changes (forward, back, jump, restart, end). */
  onDidChange(listener: () => void): DisposableLike;
  /** Opens VS Code's memory view at a DAP memory reference (`v:<pid|kernel>:0x<addr>`). */
  openInBinaryView(memoryReference: string, length: number): void | PromiseLike<void>;
  /** Optional: the machine as it was after an earlier step, for DTOs that were never kept. */
  machineAt?(step: number): Machine | undefined;
}

export interface MachineStatePanelSourceOptions {
  /** DTOs kept for earlier steps (default 64). */
  readonly keptStates?: number;
  /** Total characters of page strips and frame maps kept before older DTOs are dropped (default 64 M). */
  readonly keptCharacters?: number;
}

interface KeptState {
  readonly machine: Machine;
  readonly statement: unknown;
  readonly outcome: string;
  readonly eventCount: number;
  readonly dto: MachineStateDto;
  readonly characters: number;
}

const NO_SESSION = 'No MMU Lens debug session is running. Start debugging a .mmu scenario to see its memory.';

function sizeOf(dto: MachineStateDto): number {
  let n = dto.frameMap.kinds.length;
  for (const space of dto.addressSpaces) for (const region of space.regions) n += region.pages.length;
  return n;
}

export class MachineStatePanelSource {
  private session: MachineStateSession | undefined;
  private sessionSubscription: DisposableLike | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly kept = new Map<number, KeptState>();
  private keptCharacters = 0;
  private currentIndex: { step: number; state: KeptState; index: MachineStateIndex } | null = null;
  private readonly maxStates: number;
  private readonly maxCharacters: number;

  constructor(session?: MachineStateSession, options: MachineStatePanelSourceOptions = {}) {
    this.maxStates = options.keptStates ?? 64;
    this.maxCharacters = options.keptCharacters ?? 64 * 1024 * 1024;
    this.setSession(session);
  }

  /** Follows another session (or none); the views are told. */
  setSession(session: MachineStateSession | undefined): void {
    if (session === this.session) return;
    this.sessionSubscription?.dispose();
    this.session = session;
    this.kept.clear();
    this.keptCharacters = 0;
    this.currentIndex = null;
    this.sessionSubscription = session?.onDidChange(() => this.fire());
    this.fire();
  }

  dispose(): void {
    this.sessionSubscription?.dispose();
    this.listeners.clear();
  }

  private fire(): void {
    for (const listener of [...this.listeners]) listener();
  }

  onDidChange(listener: () => void): DisposableLike {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  noSessionReason(): string {
    return NO_SESSION;
  }

  current(): { session: SessionInfoDto; state: MachineStateDto } | undefined {
    const session = this.session;
    if (session === undefined) return undefined;
    return {
      session: {
        sessionId: session.sessionId,
        scenario: session.scenarioName,
        stepCount: session.stepCount(),
      },
      state: this.currentState(session).dto,
    };
  }

  stateAt(step: number): MachineStateDto | undefined {
    const session = this.session;
    if (session === undefined || !Number.isSafeInteger(step) || step < 0) return undefined;
    if (step === session.currentStep()) return this.currentState(session).dto;
    if (step > session.stepCount()) return undefined;
    const kept = this.validKept(session, step, session.machine());
    if (kept !== undefined) return kept.dto;
    const machine = session.machineAt?.(step);
    return machine === undefined ? undefined : this.build(session, step, machine).dto;
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

  openInBinaryView(spaceId: string, regionId: string): void | PromiseLike<void> {
    const session = this.requireSession();
    const region = resolveRegion(this.index().space(spaceId), regionId);
    return session.openInBinaryView(memoryReferenceOf(spaceId, region.base), region.size);
  }

  // ------------------------------------------------------------------------------------ caching

  private requireSession(): MachineStateSession {
    if (this.session === undefined) throw new Error(NO_SESSION);
    return this.session;
  }

  /** The index of the current state, rebuilt when the session has moved. */
  private index(): MachineStateIndex {
    return this.currentState(this.requireSession()).index;
  }

  private currentState(session: MachineStateSession): { dto: MachineStateDto; index: MachineStateIndex } {
    const step = session.currentStep();
    const machine = session.machine();
    const current = this.currentIndex;
    if (current !== null && current.step === step && this.matches(session, step, machine, current.state))
      return { dto: current.state.dto, index: current.index };
    const index = new MachineStateIndex(machine, { dmaRegionIds: this.dmaIds(session, step) });
    const kept = this.validKept(session, step, machine) ?? this.keep(session, step, index);
    this.currentIndex = { step, state: kept, index };
    return { dto: kept.dto, index };
  }

  private build(session: MachineStateSession, step: number, machine: Machine): KeptState {
    return this.keep(
      session,
      step,
      new MachineStateIndex(machine, { dmaRegionIds: this.dmaIds(session, step) }),
    );
  }

  private keep(session: MachineStateSession, step: number, index: MachineStateIndex): KeptState {
    const report = step === 0 ? null : (session.report(step) ?? null);
    const dto = machineStateDtoOf(index, stepInfoDto(report, session.sourceText, step));
    const state: KeptState = {
      machine: session.machine(),
      statement: report?.statement ?? null,
      outcome: report?.outcome ?? 'boot',
      eventCount: report?.events.length ?? 0,
      dto,
      characters: sizeOf(dto),
    };
    this.forget(step);
    this.kept.set(step, state);
    this.keptCharacters += state.characters;
    while (
      this.kept.size > this.maxStates ||
      (this.keptCharacters > this.maxCharacters && this.kept.size > 1)
    ) {
      const oldest = this.kept.keys().next().value;
      if (oldest === undefined || oldest === step) break;
      this.forget(oldest);
    }
    return state;
  }

  private forget(step: number): void {
    const state = this.kept.get(step);
    if (state === undefined) return;
    this.kept.delete(step);
    this.keptCharacters -= state.characters;
  }

  private validKept(session: MachineStateSession, step: number, machine: Machine): KeptState | undefined {
    const state = this.kept.get(step);
    if (state === undefined) return undefined;
    if (!this.matches(session, step, machine, state)) {
      this.forget(step);
      return undefined;
    }
    // Most recently used last, so that eviction drops the least recently used.
    this.kept.delete(step);
    this.kept.set(step, state);
    return state;
  }

  private matches(session: MachineStateSession, step: number, machine: Machine, state: KeptState): boolean {
    if (state.machine !== machine) return false;
    if (step === 0) return state.statement === null;
    const report = session.report(step);
    return (
      report !== undefined &&
      report.statement === state.statement &&
      report.outcome === state.outcome &&
      report.events.length === state.eventCount
    );
  }

  /** The DMA buffers created by steps 1 … step, from their reports. */
  private dmaIds(session: MachineStateSession, step: number): Set<number> {
    const ids = new Set<number>();
    for (let i = 1; i <= step; i++) {
      const report = session.report(i);
      if (report === undefined) continue;
      for (const id of dmaRegionsCreatedBy(report)) ids.add(id);
    }
    return ids;
  }
}
