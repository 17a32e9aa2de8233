// The search behind "previous / next change of this thing": the step of the recorded history whose
// run changed a watched thing (its probe reads differently after the step than before it), the
// latest one at or below a position or the earliest one above it.
//
// The search never moves the session. It walks the history chunk by chunk between checkpoints,
// nearest chunk first, and asks the step log first: where the thing can only change with certain
// kinds of event (thingProbes.ts), a chunk without such a step costs a scan of a few bytes a step
// and no replay. A chunk that may hold a change is replayed on a second interpreter
// (Timeline.replayFrom) from the checkpoint below its first candidate step, and the thing is read
// after every candidate step: comparing with the value after the candidate before is enough, since
// the steps in between cannot change it. So a search costs the scan of the steps it passes, plus,
// per chunk that may hold a change, one spawn of a checkpoint, a replay up to its last candidate
// (its first change, going forward) and one read per candidate. Things whose every step is a
// candidate (bytes, regions) replay every chunk they pass. Time slices, progress and pause are the
// caller's (SearchSlices).

import { type HistoryChunk, type SearchSlices, chunksDown, chunksUp } from './longRuns';
import { type ThingProbe, type ThingValue, sameValue } from './thingProbes';
import type { StepReport } from './scenarioTypes';
import type { Timeline } from './Timeline';

/** `previous`: the latest step at or below the position; `next`: the earliest step above it. */
export type ChangeDirection = 'previous' | 'next';

/** A step whose run changed the thing, the thing's value before and after it, and the step's report. */
export interface FoundChange {
  readonly step: number;
  readonly before: ThingValue;
  readonly after: ThingValue;
  /** The replayed step's report (its statement and events), kept only for the change found. */
  readonly report: StepReport;
}

/** What the search needs of the timeline. */
export type SearchedHistory = Pick<Timeline, 'checkpointPositions' | 'furthest' | 'steps' | 'replayFrom'>;

/**
 * The change nearest to position `from` (0 … furthest) in `direction`; null when there is none in
 * the recorded history, 'paused' when a pause came first.
 */
export async function findChange(
  history: SearchedHistory,
  probe: ThingProbe,
  direction: ChangeDirection,
  from: number,
  slices: SearchSlices,
): Promise<FoundChange | null | 'paused'> {
  const checkpoints = history.checkpointPositions;
  const chunks =
    direction === 'previous' ? chunksDown(checkpoints, from) : chunksUp(checkpoints, from, history.furthest);
  for (const chunk of chunks) {
    const found = await changeInChunk(history, probe, chunk, direction, slices);
    if (found !== null) return found;
  }
  return null;
}

/** Whether step `step` may have changed the thing, from the step log alone. */
function mayChange(history: SearchedHistory, probe: ThingProbe, step: number): boolean {
  return probe.changeKinds === null || (history.steps.eventKindsOf(step) & probe.changeKinds) !== 0;
}

/**
 * The change among the steps of a chunk (lower + 1 … upper; the step into `lower` belongs to the
 * chunk below): the latest one going back, the earliest going forward.
 */
async function changeInChunk(
  history: SearchedHistory,
  probe: ThingProbe,
  chunk: HistoryChunk,
  direction: ChangeDirection,
  slices: SearchSlices,
): Promise<FoundChange | null | 'paused'> {
  if (chunk.upper <= chunk.lower) return null;
  const first = await candidate(history, probe, chunk.lower + 1, chunk.upper, slices);
  if (first === null || first === 'paused') return first;
  // Going back, the latest change is wanted: the replay goes as far as the last candidate.
  const last =
    direction === 'next' ? chunk.upper : await candidate(history, probe, chunk.upper, first, slices);
  if (last === 'paused') return last;
  const replay = history.replayFrom(first - 1);
  let value = probe.read(replay.machine);
  let found: FoundChange | null = null;
  for (let step = first; step <= (last ?? first); step++) {
    const report = replay.advance();
    if (mayChange(history, probe, step)) {
      const after = probe.read(replay.machine);
      if (!sameValue(value, after)) {
        found = { step, before: value, after, report };
        if (direction === 'next') return found;
      }
      value = after;
    }
    if (slices.sliceOver && (await slices.pausedAt(step))) return 'paused';
  }
  return found;
}

/** The first step from `start` towards `end` (either way, both included) that may change the thing. */
async function candidate(
  history: SearchedHistory,
  probe: ThingProbe,
  start: number,
  end: number,
  slices: SearchSlices,
): Promise<number | null | 'paused'> {
  const by = end >= start ? 1 : -1;
  for (let step = start; by > 0 ? step <= end : step >= end; step += by) {
    if (mayChange(history, probe, step)) return step;
    if (slices.sliceOver && (await slices.pausedAt(step))) return 'paused';
  }
  return null;
}
