// What the report keeps of one step: the state DTO the panels would show and the page-table walks
// of a few addresses, taken from the machine while it is in that step's state. After capture the
// report needs the machine no more, so a run can go on (or a debug session move) and only the
// chosen steps' captures are held.

import type { Machine } from '../../engine';
import { PAGE_SIZE } from '../../engine/constants';
import type { MachineStateDto, PageWalkDto, RegionDto, StepInfoDto } from '../../protocol/dto';
import type { StepReport } from '../../scenario/interpreter';
import { MachineStateIndex, machineStateDtoOf } from '../machineState';
import { stepInfoDto } from '../stepInfo';

/** Events of one kind a step lists in the report; the rest are counted (a fork allocates hundreds). */
export const EVENTS_PER_KIND = 6;

/** What step `index` did, for the report: `report` led to it (null at step 0). */
export function reportStepInfo(report: StepReport | null, sourceText: string, index: number): StepInfoDto {
  // The report shows what each step did; where the run went next is the following step's line.
  return stepInfoDto(report, sourceText, index, null, EVENTS_PER_KIND);
}

/** Walks shown per address space, and per step, at most. */
export const MAX_WALKS_PER_SPACE = 6;
export const MAX_WALKS_PER_STEP = 18;

export interface CapturedStep {
  readonly state: MachineStateDto;
  readonly walks: readonly PageWalkDto[];
  /** Regions that would have had a walk but were left out by the limits. */
  readonly walksLeftOut: number;
}

/** Letters of pages backed by a page of their own (the resident ones). */
const RESIDENT = /[RCDV]/;

/**
 * The page of a region worth walking: its first resident page, else its first page that is mapped
 * at all (onto the zero or lazy committed page); null when no page of it is present.
 */
export function walkedPage(region: RegionDto): number | null {
  const resident = region.pages.search(RESIDENT);
  if (resident >= 0) return resident;
  const mapped = region.pages.search(/[ZL]/);
  return mapped >= 0 ? mapped : null;
}

/** The addresses to walk in a state: a page of each region, in space and region order. */
export function walkTargets(state: MachineStateDto): { spaceId: string; vaddr: string }[] {
  const targets: { spaceId: string; vaddr: string }[] = [];
  for (const space of state.addressSpaces) {
    if (!space.alive) continue;
    for (const region of space.regions) {
      const page = walkedPage(region);
      if (page === null) continue;
      const vaddr = Number(BigInt(region.base)) + page * PAGE_SIZE;
      targets.push({ spaceId: space.id, vaddr: `0x${vaddr.toString(16)}` });
    }
  }
  return targets;
}

/** The walks kept of a state's targets: a few per space, and a few in all. */
function chooseTargets(targets: readonly { spaceId: string; vaddr: string }[]): {
  chosen: { spaceId: string; vaddr: string }[];
  leftOut: number;
} {
  const perSpace = new Map<string, number>();
  const chosen: { spaceId: string; vaddr: string }[] = [];
  for (const target of targets) {
    const n = perSpace.get(target.spaceId) ?? 0;
    if (n >= MAX_WALKS_PER_SPACE || chosen.length >= MAX_WALKS_PER_STEP) continue;
    perSpace.set(target.spaceId, n + 1);
    chosen.push(target);
  }
  return { chosen, leftOut: targets.length - chosen.length };
}

/** Captures the machine's current state as the report shows it; `step` says which step it is. */
export function captureStep(machine: Machine, step: StepInfoDto): CapturedStep {
  const index = new MachineStateIndex(machine);
  const state = machineStateDtoOf(index, step);
  const { chosen, leftOut } = chooseTargets(walkTargets(state));
  return {
    state,
    walks: chosen.map((target) => index.pageWalk(target.spaceId, target.vaddr)),
    walksLeftOut: leftOut,
  };
}
