// Diffs between two machine states: the patch that turns one into the other (so that a step sends only
// what it changed) and the "what changed" set the views highlight. Shared by the extension, which
// computes them, and the webview, which applies them; pure functions over DTOs.
import { decodeBase64, encodeBase64 } from './base64';
import type {
  AddressSpaceDto,
  ChangeSetDto,
  FrameMapRunDto,
  MachineStateDto,
  RegionDto,
  StatePatchDto,
} from './dto';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Runs closer than this many frames are sent as one, which costs less than a second header. */
const FRAME_RUN_MERGE_GAP = 32;

function diffFrameBytes(
  before: Uint8Array,
  after: Uint8Array,
  mergeGap: number,
): { start: number; end: number }[] {
  const runs: { start: number; end: number }[] = [];
  for (let i = 0; i < after.length; i++) {
    if (before[i] === after[i]) continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && i - last.end <= mergeGap) last.end = i + 1;
    else runs.push({ start: i, end: i + 1 });
  }
  return runs;
}

function spaceFieldsEqual(a: AddressSpaceDto, b: AddressSpaceDto): boolean {
  return same({ ...a, regions: null }, { ...b, regions: null });
}

/**
 * The patch from `before` to `after`, or null when only a snapshot can express it (the frame map
 * changed size, which only a new boot does).
 */
export function computeStatePatch(before: MachineStateDto, after: MachineStateDto): StatePatchDto | null {
  if (before.frameMap.frameCount !== after.frameMap.frameCount) return null;
  const beforeSpaces = new Map(before.addressSpaces.map((space) => [space.id, space]));
  const addressSpaces: StatePatchDto['addressSpaces'] = after.addressSpaces.map((space) => {
    const old = beforeSpaces.get(space.id);
    if (old === undefined || old.kind !== space.kind || old.cr3 !== space.cr3 || old.name !== space.name) {
      return { change: 'changed', space };
    }
    if (same(old, space)) return { change: 'same', id: space.id };
    const oldRegions = new Map(old.regions.map((region) => [region.id, region]));
    return {
      change: 'regions',
      id: space.id,
      alive: space.alive,
      amounts: space.amounts,
      faults: space.faults,
      presentPteCount: space.presentPteCount,
      regions: space.regions.map((region) => {
        const previous = oldRegions.get(region.id);
        return previous !== undefined && same(previous, region)
          ? { change: 'same', id: region.id }
          : { change: 'changed', region };
      }),
    };
  });
  const frameMapRuns: FrameMapRunDto[] = [];
  if (before.frameMap.kinds !== after.frameMap.kinds) {
    const afterBytes = decodeBase64(after.frameMap.kinds);
    for (const run of diffFrameBytes(decodeBase64(before.frameMap.kinds), afterBytes, FRAME_RUN_MERGE_GAP)) {
      frameMapRuns.push({ start: run.start, kinds: encodeBase64(afterBytes.subarray(run.start, run.end)) });
    }
  }
  return {
    fromStep: before.step.index,
    step: after.step,
    addressSpaces,
    physicalRegions: same(before.physicalRegions, after.physicalRegions) ? null : after.physicalRegions,
    counters: same(before.counters, after.counters) ? null : after.counters,
    frameMapRuns,
    dmaMmio: same(before.dmaMmio, after.dmaMmio) ? null : after.dmaMmio,
    halted: after.halted,
  };
}

/** Thrown when a patch does not fit the state it is applied to; the view then asks for a snapshot. */
export class PatchMismatchError extends Error {}

/** Applies a patch to the state it was computed from. Leaves `before` untouched. */
export function applyStatePatch(before: MachineStateDto, patch: StatePatchDto): MachineStateDto {
  if (before.step.index !== patch.fromStep) {
    throw new PatchMismatchError(
      `patch is from step ${patch.fromStep}, the view holds step ${before.step.index}`,
    );
  }
  const beforeSpaces = new Map(before.addressSpaces.map((space) => [space.id, space]));
  const addressSpaces = patch.addressSpaces.map((entry): AddressSpaceDto => {
    if (entry.change === 'changed') return entry.space;
    const old = beforeSpaces.get(entry.id);
    if (old === undefined) throw new PatchMismatchError(`patch keeps unknown address space ${entry.id}`);
    if (entry.change === 'same') return old;
    const oldRegions = new Map(old.regions.map((region) => [region.id, region]));
    const regions = entry.regions.map((item): RegionDto => {
      if (item.change === 'changed') return item.region;
      const region = oldRegions.get(item.id);
      if (region === undefined)
        throw new PatchMismatchError(`patch keeps unknown region ${entry.id}/${item.id}`);
      return region;
    });
    const { alive, amounts, faults, presentPteCount } = entry;
    return { ...old, alive, amounts, faults, presentPteCount, regions };
  });
  let frameMap = before.frameMap;
  if (patch.frameMapRuns.length > 0) {
    const bytes = decodeBase64(before.frameMap.kinds);
    for (const run of patch.frameMapRuns) {
      const kinds = decodeBase64(run.kinds);
      if (run.start + kinds.length > bytes.length)
        throw new PatchMismatchError('frame map run past the last frame');
      bytes.set(kinds, run.start);
    }
    frameMap = { frameCount: before.frameMap.frameCount, kinds: encodeBase64(bytes) };
  }
  return {
    step: patch.step,
    addressSpaces,
    physicalRegions: patch.physicalRegions ?? before.physicalRegions,
    counters: patch.counters ?? before.counters,
    frameMap,
    dmaMmio: patch.dmaMmio ?? before.dmaMmio,
    halted: patch.halted,
  };
}

// ------------------------------------------------------------------------------------ what changed

export const spaceEntityId = (spaceId: string): string => `space:${spaceId}`;
export const regionEntityId = (spaceId: string, regionId: string): string => `region:${spaceId}/${regionId}`;
export const zoneEntityId = (zoneId: string): string => `zone:${zoneId}`;
export const mappingEntityId = (mappingId: string): string => `mapping:${mappingId}`;
export const counterEntityId = (name: string): string => `counter:${name}`;

interface Keyed {
  id: string;
  label: string;
  value: unknown;
}

function diffKeyed(before: Keyed[], after: Keyed[], changes: ChangeSetDto): void {
  const old = new Map(before.map((item) => [item.id, item]));
  const current = new Set(after.map((item) => item.id));
  for (const item of after) {
    const previous = old.get(item.id);
    if (previous === undefined) changes.added.push(item.id);
    else if (!same(previous.value, item.value)) changes.modified.push(item.id);
  }
  for (const item of before)
    if (!current.has(item.id)) changes.removed.push({ id: item.id, label: item.label });
}

function pageChange(before: string, after: string): 'added' | 'removed' | 'modified' {
  if (before === 'N') return 'added';
  return after === 'N' ? 'removed' : 'modified';
}

/** Runs of pages whose letters differ between two strips of regions with the same base. */
function diffPages(spaceId: string, before: RegionDto, after: RegionDto, changes: ChangeSetDto): void {
  if (before.base !== after.base || before.pages === after.pages) return;
  const length = Math.min(before.pages.length, after.pages.length);
  let run: ChangeSetDto['pageRuns'][number] | undefined;
  for (let i = 0; i < length; i++) {
    const a = before.pages.charAt(i);
    const b = after.pages.charAt(i);
    if (a === b) {
      run = undefined;
      continue;
    }
    const change = pageChange(a, b);
    if (run !== undefined && run.change === change && run.first + run.count === i) run.count++;
    else {
      run = { spaceId, regionId: after.id, first: i, count: 1, change };
      changes.pageRuns.push(run);
    }
  }
}

function describeRegion(region: RegionDto): string {
  return `${region.name || '(unnamed)'} ${region.base}–${region.end}`;
}

/** What differs between the state of an earlier step and the current one. */
export function computeChangeSet(base: MachineStateDto, current: MachineStateDto): ChangeSetDto {
  const changes: ChangeSetDto = {
    baseStep: base.step.index,
    currentStep: current.step.index,
    added: [],
    modified: [],
    removed: [],
    pageRuns: [],
    frameRuns: [],
  };
  const spaceKeyed = (state: MachineStateDto): Keyed[] =>
    state.addressSpaces.map((space) => ({
      id: spaceEntityId(space.id),
      label: space.name,
      value: { ...space, regions: null },
    }));
  diffKeyed(spaceKeyed(base), spaceKeyed(current), changes);
  const baseSpaces = new Map(base.addressSpaces.map((space) => [space.id, space]));
  for (const space of current.addressSpaces) {
    const old = baseSpaces.get(space.id);
    const regionKeyed = (s: AddressSpaceDto): Keyed[] =>
      s.regions.map((region) => ({
        id: regionEntityId(s.id, region.id),
        label: `${s.name}: ${describeRegion(region)}`,
        value: region,
      }));
    diffKeyed(old === undefined ? [] : regionKeyed(old), regionKeyed(space), changes);
    if (
      old !== undefined &&
      !spaceFieldsEqual(old, space) &&
      !changes.modified.includes(spaceEntityId(space.id))
    ) {
      changes.modified.push(spaceEntityId(space.id));
    }
    const oldRegions = new Map((old?.regions ?? []).map((region) => [region.id, region]));
    for (const region of space.regions) {
      const previous = oldRegions.get(region.id);
      if (previous !== undefined) diffPages(space.id, previous, region, changes);
    }
  }
  for (const space of base.addressSpaces) {
    if (current.addressSpaces.some((s) => s.id === space.id)) continue;
    for (const region of space.regions) {
      changes.removed.push({
        id: regionEntityId(space.id, region.id),
        label: `${space.name}: ${describeRegion(region)}`,
      });
    }
  }
  const zones = (state: MachineStateDto): Keyed[] =>
    state.physicalRegions.flatMap((region) =>
      region.zones.map((zone) => ({ id: zoneEntityId(zone.id), label: `zone ${zone.id}`, value: zone })),
    );
  diffKeyed(zones(base), zones(current), changes);
  const mappings = (state: MachineStateDto): Keyed[] =>
    state.dmaMmio.mappings.map((m) => ({
      id: mappingEntityId(m.id),
      label: `${m.kind} ${m.name}`,
      value: m,
    }));
  diffKeyed(mappings(base), mappings(current), changes);
  const counters = (state: MachineStateDto): Keyed[] =>
    Object.entries(state.counters).map(([name, value]) => ({
      id: counterEntityId(name),
      label: name,
      value,
    }));
  diffKeyed(counters(base), counters(current), changes);
  if (base.frameMap.kinds !== current.frameMap.kinds) {
    const before = decodeBase64(base.frameMap.kinds);
    const after = decodeBase64(current.frameMap.kinds);
    for (const run of diffFrameBytes(before, after, 0))
      changes.frameRuns.push({ start: run.start, count: run.end - run.start });
  }
  return changes;
}

/** The empty change set, for the first step or a view that shows no comparison. */
export function noChanges(step: number): ChangeSetDto {
  return {
    baseStep: step,
    currentStep: step,
    added: [],
    modified: [],
    removed: [],
    pageRuns: [],
    frameRuns: [],
  };
}
