// Which events of a step concern a watched thing (watchedThings.ts): the reasons "Why is it so?"
// gives for a change, in the words of the one event presenter. An event concerns a thing when it
// is about the thing itself (a PTE written, a frame allocated, a region split), about what holds it
// (the page table that covers a PTE, the address space it lives in), or, for a page fault, when it
// is the fault at a page whose PTE the step then wrote: the fault's decision says why the handler
// wrote it that way ("ref_count was 1, so no copy"); a counter's faults are those of a step that
// moved it, since the pages it counts were drawn for them. A panic concerns everything, since it may
// stop any change half-way. The step's quickmap scaffolding concerns no one's mappings.

import { type Machine, type MemoryEvent, PAGE_SIZE } from '../engine';
import { MiB } from '../engine/constants';
import { decodePte } from '../engine/PageTableEntry';
import { type SpaceRef, processSpace, sameSpace, spaceOfEvent } from '../protocol/addressSpaces';
import { describeEvent, isQuickmapScaffolding } from '../scenario/describeEvent';
import { ownerOf } from './memory';
import type { Thing } from './watchedThings';

/** One page table maps this much of an address space. */
const PAGE_TABLE_SPAN = 2 * MiB;

/** An event that concerns a thing, in the presenter's words. */
export interface Reason {
  readonly kind: MemoryEvent['kind'];
  readonly text: string;
  /** For a page fault: why the handler went its way, in the kernel's terms; empty when it took no decision. */
  readonly decision?: string;
}

/** Where a thing lives, worked out once from the machine (a zone's frames, a region's addresses). */
interface Extent {
  readonly space?: SpaceRef;
  /** Virtual addresses [low, high) for PTEs, pages and regions; frame numbers for frames and zones. */
  readonly low: number;
  readonly high: number;
}

const pageOf = (vaddr: number): number => vaddr - (vaddr % PAGE_SIZE);

/**
 * The addresses a thing covers in `machine`, for the events that name addresses rather than the
 * thing. A region's range is looked up by its id (also in the step's own events, where it was
 * created, split or destroyed); a region found nowhere covers no address.
 */
function extentOf(thing: Thing, machine: Machine, events: readonly MemoryEvent[]): Extent | null {
  switch (thing.kind) {
    case 'pte':
    case 'page':
      return { space: thing.space, low: thing.vaddr, high: thing.vaddr + PAGE_SIZE };
    case 'frame':
      return { low: thing.paddr / PAGE_SIZE, high: thing.paddr / PAGE_SIZE + 1 };
    case 'zone': {
      const zone = machine.memoryManager.physicalRegions[thing.physicalRegion]?.zones[thing.zone];
      return zone === undefined ? null : { low: zone.baseFrame, high: zone.baseFrame + zone.pageCount };
    }
    case 'region':
      return regionExtent(thing.space, thing.regionId, machine, events);
    case 'counter':
      return null;
  }
}

function regionExtent(
  space: SpaceRef,
  regionId: number,
  machine: Machine,
  events: readonly MemoryEvent[],
): Extent | null {
  for (const event of events) {
    if (!('space' in event) || !sameSpace(spaceOfEvent(event.space), space)) continue;
    if ((event.kind === 'region_created' || event.kind === 'region_destroyed') && event.regionId === regionId)
      return { space, low: event.base, high: event.base + event.size };
    if (event.kind === 'region_split') {
      const piece = event.pieces.find((p) => p.regionId === regionId);
      if (piece !== undefined) return { space, low: piece.base, high: piece.base + piece.size };
    }
  }
  const owner = ownerOf(machine, space);
  const regions = owner === null ? [] : owner === 'kernel' ? machine.kernelRegions() : owner.space.regions;
  const region = regions.find((r) => r.id === regionId);
  return region === undefined ? null : { space, low: region.base, high: region.end };
}

const inRange = (extent: Extent, value: number): boolean => value >= extent.low && value < extent.high;

function inSpace(extent: Extent, eventSpace: number): boolean {
  return extent.space !== undefined && sameSpace(extent.space, spaceOfEvent(eventSpace));
}

/** Whether a PTE event's mapping (old or new) points into the frames of the extent. */
function mapsFrames(event: Extract<MemoryEvent, { kind: 'pte_written' }>, extent: Extent): boolean {
  for (const [low, high] of [
    [event.oldLow, event.oldHigh],
    [event.newLow, event.newHigh],
  ] as const) {
    const pte = decodePte(low, high);
    if (pte.present && inRange(extent, Number(pte.paddr) / PAGE_SIZE)) return true;
  }
  return false;
}

/** Whether an event is itself about the thing (page faults are decided afterwards). */
function aboutThing(thing: Thing, extent: Extent | null, event: MemoryEvent): boolean {
  if (event.kind === 'panic') return true;
  if (thing.kind === 'counter') {
    if (thing.name === 'committed')
      return (
        event.kind === 'pages_committed' ||
        event.kind === 'pages_uncommitted' ||
        (event.kind === 'page_allocated' && event.committed)
      );
    return (
      event.kind === 'page_allocated' ||
      event.kind === 'page_freed' ||
      event.kind === 'contiguous_pages_allocated' ||
      (thing.name === 'uncommitted' &&
        (event.kind === 'pages_committed' || event.kind === 'pages_uncommitted'))
    );
  }
  if (extent === null) return false;
  const space = thing.kind === 'frame' || thing.kind === 'zone' ? null : thing.space;
  switch (event.kind) {
    case 'process_created':
    case 'process_died':
      return space !== null && sameSpace(space, processSpace(event.pid));
    case 'pte_written':
      if (space === null) return mapsFrames(event, extent);
      return inSpace(extent, event.space) && inRange(extent, pageOf(event.vaddr));
    case 'pte_accessed':
      return space !== null && inSpace(extent, event.space) && inRange(extent, pageOf(event.vaddr));
    case 'page_table_allocated':
    case 'page_table_freed':
      if (space === null) return inRange(extent, event.paddr / PAGE_SIZE);
      return (
        thing.kind === 'pte' &&
        inSpace(extent, event.space) &&
        Math.floor(event.vaddr / PAGE_TABLE_SPAN) === Math.floor(thing.vaddr / PAGE_TABLE_SPAN)
      );
    case 'page_allocated':
    case 'page_freed':
      return space === null && inRange(extent, event.paddr / PAGE_SIZE);
    case 'contiguous_pages_allocated': {
      const first = event.paddr / PAGE_SIZE;
      return space === null && first < extent.high && first + event.count > extent.low;
    }
    case 'region_created':
    case 'region_destroyed':
    case 'region_split':
    case 'region_access_changed':
    case 'region_renamed':
      return thing.kind === 'region' && inSpace(extent, event.space) && regionNamed(event, thing.regionId);
    default:
      return false;
  }
}

function regionNamed(event: Extract<MemoryEvent, { kind: `region_${string}` }>, regionId: number): boolean {
  return (
    event.regionId === regionId ||
    (event.kind === 'region_split' && event.pieces.some((p) => p.regionId === regionId))
  );
}

/** "<space>/<page>" of a page an event touches, to match faults with the PTE writes they led to. */
const pageKey = (eventSpace: number, vaddr: number): string => `${eventSpace}/${pageOf(vaddr)}`;

/**
 * The events of a step that concern the thing, in order, at most `limit` of them, and how many more
 * there were. `machine` is any state of the run that still holds the thing's zone or region (the
 * session's own), for the addresses they cover.
 */
export function reasonsFor(
  thing: Thing,
  events: readonly MemoryEvent[],
  machine: Machine,
  limit: number,
): { reasons: Reason[]; more: number } {
  const extent = extentOf(thing, machine, events);
  const about = events.map((event) => !isQuickmapScaffolding(event) && aboutThing(thing, extent, event));
  // The faults that led to a PTE write the thing is concerned with, or at the thing's own page.
  const pages = new Set<string>();
  events.forEach((event, i) => {
    if (about[i] === true && event.kind === 'pte_written') pages.add(pageKey(event.space, event.vaddr));
  });
  // A counter moves with the pages the step's faults drew: each fault's decision says which.
  const counterMoved = thing.kind === 'counter' && about.some((yes, i) => yes && events[i]!.kind !== 'panic');
  const reasons: Reason[] = [];
  let more = 0;
  events.forEach((event, i) => {
    const fault =
      event.kind === 'page_fault' &&
      (counterMoved ||
        pages.has(pageKey(event.space, event.vaddr)) ||
        (extent !== null && inSpace(extent, event.space) && inRange(extent, pageOf(event.vaddr))));
    if (about[i] !== true && !fault) return;
    if (reasons.length >= limit) {
      more++;
      return;
    }
    const { kind, text } = describeEvent(event);
    reasons.push(event.kind === 'page_fault' ? { kind, text, decision: event.decision } : { kind, text });
  });
  return { reasons, more };
}
