// Diffs between two machine states: the patch that turns one into the other (so that a step sends only
// what it changed) and the "what changed" set the views highlight. Shared by the extension, which
// computes them, and the webview, which applies them; pure functions over DTOs.
import { regionLabel } from './regionLabel';
import { decodeBase64, encodeBase64 } from './base64';
import type {
  AddressSpaceDto,
  ChangeSetDto,
  FrameMapRunDto,
  MachineStateDto,
  RegionDto,
  StatePatchDto,
} from './dto';

/** Deep equality of JSON-like values (what DTOs are made of), without serializing them. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(right, key) || !sameValue(left[key], right[key])) return false;
  }
  return true;
}

const same = sameValue;

/** Runs closer than this many frames are sent as one, which costs less than a second header. */
const FRAME_RUN_MERGE_GAP = 32;

/** A stretch of frames whose kinds differ, with the later map's bytes for them. */
export interface FrameRun {
  start: number;
  end: number;
  bytes: Uint8Array;
}

/** Characters compared at once before looking closer: equal blocks compare as whole strings. */
const COMPARE_BLOCK = 1024;

/**
 * The runs of frames whose kinds differ between two frame maps of the same length, found on their
 * base64 text: whole blocks are compared first, and only the 4-character groups (3 frames each)
 * around a difference are decoded. Runs closer than `mergeGap` frames are merged.
 */
export function diffFrameMaps(before: string, after: string, mergeGap = 0): FrameRun[] {
  if (before === after) return [];
  if (before.length !== after.length) return diffResizedFrameMaps(before, after);
  // Spans of groups that differ; groups closer than this are decoded together, so that two runs
  // close enough to merge always come out of one decoded span.
  const groupGap = Math.ceil(mergeGap / 3) + 2;
  const spans: [number, number][] = [];
  for (let block = 0; block < after.length; block += COMPARE_BLOCK) {
    const end = Math.min(after.length, block + COMPARE_BLOCK);
    if (before.slice(block, end) === after.slice(block, end)) continue;
    for (let i = block; i < end; i++) {
      if (before.charCodeAt(i) === after.charCodeAt(i)) continue;
      const group = i >> 2;
      const last = spans[spans.length - 1];
      if (last !== undefined && group - last[1] <= groupGap) last[1] = group + 1;
      else spans.push([group, group + 1]);
      i = group * 4 + 3; // the rest of this group is decoded anyway
    }
  }
  const runs: FrameRun[] = [];
  for (const [first, end] of spans) {
    const old = decodeBase64(before.slice(first * 4, end * 4));
    const now = decodeBase64(after.slice(first * 4, end * 4));
    const offset = first * 3;
    let run: { start: number; end: number } | undefined;
    const close = (): void => {
      if (run === undefined) return;
      runs.push({ ...run, bytes: now.slice(run.start - offset, run.end - offset) });
      run = undefined;
    };
    for (let i = 0; i < now.length; i++) {
      if (old[i] === now[i]) continue;
      const frame = offset + i;
      if (run !== undefined && frame - run.end <= mergeGap) run.end = frame + 1;
      else {
        close();
        run = { start: frame, end: frame + 1 };
      }
    }
    close();
  }
  return runs;
}

/** Frame maps of different sizes (a new boot): every frame of the later map that differs or is new. */
function diffResizedFrameMaps(before: string, after: string): FrameRun[] {
  const old = decodeBase64(before);
  const now = decodeBase64(after);
  const runs: FrameRun[] = [];
  for (let i = 0; i < now.length; i++) {
    if (i < old.length && old[i] === now[i]) continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.end === i) last.end = i + 1;
    else runs.push({ start: i, end: i + 1, bytes: now });
  }
  for (const run of runs) run.bytes = now.slice(run.start, run.end);
  return runs;
}

/**
 * Results kept per pair of states: every open view asks for the same patch and the same change set
 * at a step, and each costs a pass over the frame map. States are values: a state handed to these
 * functions must not be changed afterwards (nothing does; they are built anew for every step).
 */
class PairMemo<T> {
  private readonly results = new WeakMap<object, WeakMap<object, T>>();

  get(before: object, after: object, compute: () => T): T {
    let byAfter = this.results.get(before);
    if (byAfter === undefined) {
      byAfter = new WeakMap();
      this.results.set(before, byAfter);
    }
    if (byAfter.has(after)) return byAfter.get(after) as T;
    const result = compute();
    byAfter.set(after, result);
    return result;
  }
}

const patchMemo = new PairMemo<StatePatchDto | null>();
const changeSetMemo = new PairMemo<ChangeSetDto>();

function spaceFieldsEqual(a: AddressSpaceDto, b: AddressSpaceDto): boolean {
  return same({ ...a, regions: null }, { ...b, regions: null });
}

/**
 * The patch from `before` to `after`, or null when only a snapshot can express it (the frame map
 * changed size, which only a new boot does).
 */
export function computeStatePatch(before: MachineStateDto, after: MachineStateDto): StatePatchDto | null {
  return patchMemo.get(before, after, () => statePatch(before, after));
}

function statePatch(before: MachineStateDto, after: MachineStateDto): StatePatchDto | null {
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
  const frameMapRuns: FrameMapRunDto[] = diffFrameMaps(
    before.frameMap.kinds,
    after.frameMap.kinds,
    FRAME_RUN_MERGE_GAP,
  ).map((run) => ({ start: run.start, kinds: encodeBase64(run.bytes) }));
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

/**
 * The frame map's base64 with the runs written in. Only the 4-character groups (3 frames each)
 * that a run touches are decoded and encoded again; the text between them is reused as it is.
 */
function patchFrameMap(kinds: string, frameCount: number, runs: readonly FrameMapRunDto[]): string {
  const decoded = runs
    .map((run) => ({ start: run.start, bytes: decodeBase64(run.kinds) }))
    .sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let done = 0; // groups of `kinds` already copied or rewritten
  for (let r = 0; r < decoded.length;) {
    const first = decoded[r]!;
    let endFrame = first.start + first.bytes.length;
    if (endFrame > frameCount) throw new PatchMismatchError('frame map run past the last frame');
    // Runs that share a group with the ones before are rewritten together.
    let next = r + 1;
    while (next < decoded.length && Math.floor(decoded[next]!.start / 3) <= Math.ceil(endFrame / 3)) {
      const run = decoded[next]!;
      endFrame = Math.max(endFrame, run.start + run.bytes.length);
      if (endFrame > frameCount) throw new PatchMismatchError('frame map run past the last frame');
      next++;
    }
    const firstGroup = Math.max(done, Math.floor(first.start / 3));
    const endGroup = Math.ceil(endFrame / 3);
    const bytes = decodeBase64(kinds.slice(firstGroup * 4, endGroup * 4));
    for (let k = r; k < next; k++) bytes.set(decoded[k]!.bytes, decoded[k]!.start - firstGroup * 3);
    pieces.push(kinds.slice(done * 4, firstGroup * 4), encodeBase64(bytes));
    done = endGroup;
    r = next;
  }
  pieces.push(kinds.slice(done * 4));
  return pieces.join('');
}

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
  const frameMap =
    patch.frameMapRuns.length === 0
      ? before.frameMap
      : {
          frameCount: before.frameMap.frameCount,
          kinds: patchFrameMap(before.frameMap.kinds, before.frameMap.frameCount, patch.frameMapRuns),
        };
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
  return `${regionLabel(region)} ${region.base}–${region.end}`;
}

/** What differs between the state of an earlier step and the current one. */
export function computeChangeSet(base: MachineStateDto, current: MachineStateDto): ChangeSetDto {
  return changeSetMemo.get(base, current, () => changeSet(base, current));
}

function changeSet(base: MachineStateDto, current: MachineStateDto): ChangeSetDto {
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
  for (const run of diffFrameMaps(base.frameMap.kinds, current.frameMap.kinds, 0))
    changes.frameRuns.push({ start: run.start, count: run.end - run.start });
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
