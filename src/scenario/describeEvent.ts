// An engine event in words, for every place that shows what a step changed: the CLI's trace and
// the views' step overview. Each event gets its kind, a sentence and what it is about (a frame, a
// page, a region, an address) so that a view can link it. A step's list of events is summed up
// here too, by rules both places follow: the quickmap window's scaffolding folds into one line, and
// long runs of one group are cut short with a count, so one busy step (a fork) does not drown the
// rest. How each place lays the words out (columns, kind names) is its own affair.

import type { MemoryEvent } from '../engine';
import { KERNEL_PT1024_BASE, MiB, PAGE_SIZE } from '../engine/constants';
import { decodePte } from '../engine/PageTableEntry';
import {
  KERNEL_SPACE,
  type SpaceRef,
  processSpace,
  spaceLabel,
  spaceOfEvent,
  viewSpaceId,
} from '../protocol/addressSpaces';
import type { PagePurposeDto, SelectionTargetDto } from '../protocol/dto';
import { pagePurposeText } from '../protocol/pagePurposes';
import { accessText, hex, pteBits } from './values';

export type EventKind = MemoryEvent['kind'];

/** An event put in words. */
export interface DescribedEvent {
  readonly kind: EventKind;
  /** One sentence, with no column padding. */
  readonly text: string;
  /** What the event concerns, for linking; null when it is no single thing the views show. */
  readonly target: SelectionTargetDto | null;
  /** What an allocated page is for, so that a run of allocations can be told by it; else null. */
  readonly purpose: PagePurposeDto | null;
}

/** The words of one kind of event: its sentence, what it is about and, for a page, what it is for. */
type Words = Omit<DescribedEvent, 'kind' | 'purpose'> & { readonly purpose?: PagePurposeDto };
type Describer<K extends EventKind> = (event: Extract<MemoryEvent, { kind: K }>) => Words;

/** The kernel's quickmap window, where every zero fill, copy and page-table edit maps its page. */
const QUICKMAP_WINDOW_SIZE = 2 * MiB;

function spaceText(eventSpace: number): string {
  return spaceLabel(spaceOfEvent(eventSpace));
}

function range(base: number, size: number): string {
  return `${hex(base)}..${hex(base + size)}`;
}

function frame(paddr: number): SelectionTargetDto {
  return { kind: 'frame', paddr: hex(paddr) };
}

function address(space: SpaceRef, vaddr: number): SelectionTargetDto {
  return { kind: 'address', spaceId: viewSpaceId(space), vaddr: hex(vaddr) };
}

function page(eventSpace: number, vaddr: number): SelectionTargetDto {
  const spaceId = viewSpaceId(spaceOfEvent(eventSpace));
  return { kind: 'page', spaceId, vaddr: hex(vaddr - (vaddr % PAGE_SIZE)) };
}

function region(eventSpace: number, regionId: number): SelectionTargetDto {
  return { kind: 'region', spaceId: viewSpaceId(spaceOfEvent(eventSpace)), regionId: String(regionId) };
}

function pteSide(low: number, high: number): string {
  const pte = decodePte(low, high);
  return pte.raw === 0n ? '0' : `${hex(pte.paddr)} [${pteBits(pte)}]`;
}

function faultText(event: Extract<MemoryEvent, { kind: 'page_fault' }>): string {
  const why = `${event.notPresent ? 'not present' : 'protection'}, ${event.userMode ? 'user' : 'kernel'}`;
  const decision = event.decision === '' ? '' : `: ${event.decision}`;
  return `${spaceText(event.space)} ${event.access} ${hex(event.vaddr)} (${why}) → ${event.handler} handler, ${event.response}${decision}`;
}

function pagePurpose(event: Extract<MemoryEvent, { kind: 'page_allocated' }>): PagePurposeDto {
  return { kind: event.purpose, spaceId: viewSpaceId(spaceOfEvent(event.space)) };
}

/** One describer per kind of event; the type makes sure no kind is left out. */
const DESCRIBERS: { readonly [K in EventKind]: Describer<K> } = {
  page_allocated: (e) => {
    const purpose = pagePurpose(e);
    return {
      text: `+${hex(e.paddr)} ${pagePurposeText(purpose)}${e.committed ? ' (from a commitment)' : ''}`,
      target: frame(e.paddr),
      purpose,
    };
  },
  page_freed: (e) => ({ text: `-${hex(e.paddr)}`, target: frame(e.paddr) }),
  contiguous_pages_allocated: (e) => ({
    text: `+${e.count} contiguous at ${hex(e.paddr)}`,
    target: frame(e.paddr),
  }),
  pages_committed: (e) => ({ text: `+${e.count}`, target: null }),
  pages_uncommitted: (e) => ({ text: `-${e.count}`, target: null }),
  region_created: (e) => ({
    text: `+ "${e.name}" ${range(e.base, e.size)} in ${spaceText(e.space)}`,
    target: region(e.space, e.regionId),
  }),
  // The region is gone, so the link goes to where it was.
  region_destroyed: (e) => ({
    text: `- "${e.name}" ${range(e.base, e.size)} in ${spaceText(e.space)}`,
    target: address(spaceOfEvent(e.space), e.base),
  }),
  region_split: (e) => ({
    text: `split #${e.regionId} into ${e.pieces.map((p) => range(p.base, p.size)).join(', ')}`,
    target: e.pieces[0] === undefined ? null : region(e.space, e.pieces[0].regionId),
  }),
  region_access_changed: (e) => ({
    text: `#${e.regionId} access ${accessText(e.access)}`,
    target: region(e.space, e.regionId),
  }),
  region_renamed: (e) => ({
    text: `#${e.regionId} named ${JSON.stringify(e.name)}`,
    target: region(e.space, e.regionId),
  }),
  pte_written: (e) => ({
    text: `${spaceText(e.space)} ${hex(e.vaddr)}: ${pteSide(e.oldLow, e.oldHigh)} → ${pteSide(e.newLow, e.newHigh)}`,
    target: page(e.space, e.vaddr),
  }),
  // The hardware's own write: no old and new value worth a line, just which bits it set.
  pte_accessed: (e) => ({
    text: `${spaceText(e.space)} ${hex(e.vaddr)}: MMU set ${e.dirty ? 'A, D' : 'A'}`,
    target: page(e.space, e.vaddr),
  }),
  page_table_allocated: (e) => ({
    text: `+ ${hex(e.paddr)} for ${spaceText(e.space)} ${hex(e.vaddr)}`,
    target: frame(e.paddr),
  }),
  page_table_freed: (e) => ({
    text: `- ${hex(e.paddr)} for ${spaceText(e.space)} ${hex(e.vaddr)}`,
    target: frame(e.paddr),
  }),
  page_fault: (e) => ({ text: faultText(e), target: page(e.space, e.vaddr) }),
  tlb_flush: (e) => ({
    text: `${e.scope} flush ${spaceText(e.space)} ${hex(e.vaddr)} ×${e.pageCount}`,
    target: address(spaceOfEvent(e.space), e.vaddr),
  }),
  quickmap: (e) => ({
    text: `cpu ${e.cpu} ${e.slot} slot ${hex(e.vaddr)} → ${hex(e.paddr)}`,
    target: frame(e.paddr),
  }),
  // Only the kernel has a quickmap window.
  unquickmap: (e) => ({
    text: `cpu ${e.cpu} slot ${hex(e.vaddr)} cleared`,
    target: address(KERNEL_SPACE, e.vaddr),
  }),
  vmobject_purged: (e) => ({ text: `VMObject #${e.vmobjectId}: ${e.pages} pages`, target: null }),
  process_created: (e) => ({ text: `+ ${e.name} (${spaceLabel(processSpace(e.pid))})`, target: null }),
  process_died: (e) => ({
    text: `- ${spaceLabel(processSpace(e.pid))} (${e.reason}${e.why === undefined ? '' : `: ${e.why}`})`,
    target: null,
  }),
  file_written: (e) => ({ text: `${e.path}: ${e.length} bytes at ${e.offset}`, target: null }),
  panic: (e) => ({ text: e.message, target: null }),
};

/** The event's kind, its sentence and what it is about. */
export function describeEvent(event: MemoryEvent): DescribedEvent {
  // The table holds the describer of this very kind; TypeScript cannot follow that through the index.
  const describe = DESCRIBERS[event.kind] as (event: MemoryEvent) => Words;
  const { text, target, purpose } = describe(event);
  return { kind: event.kind, text, target, purpose: purpose ?? null };
}

// -------------------------------------------------------------------------------- a step's summary

/**
 * Whether an event is the kernel's own use of its quickmap window (mapping a page to zero, copy or
 * edit it): the slots themselves, and their PTE writes and flushes. No one's mappings change.
 */
export function isQuickmapScaffolding(event: MemoryEvent): boolean {
  if (event.kind === 'quickmap' || event.kind === 'unquickmap') return true;
  if (event.kind !== 'pte_written' && event.kind !== 'tlb_flush') return false;
  return (
    spaceOfEvent(event.space).kind === 'kernel' &&
    event.vaddr >= KERNEL_PT1024_BASE &&
    event.vaddr < KERNEL_PT1024_BASE + QUICKMAP_WINDOW_SIZE
  );
}

/** The one line that stands for a step's quickmap scaffolding: how many slots it mapped. */
function quickmapLine(quickmaps: number): DescribedEvent {
  const mappings = `${quickmaps} temporary mapping${quickmaps === 1 ? '' : 's'}`;
  return {
    kind: 'quickmap',
    text: `${mappings} (zero fill, copy, page-table edits)`,
    target: null,
    purpose: null,
  };
}

export interface EventSummaryOptions {
  /** How many events of one group are listed before the rest are only counted. */
  readonly limit: number;
  /** The group an event kind is counted in (the trace counts allocations and frees together). */
  readonly groupOf: (kind: EventKind) => string;
}

/** What a step changed, as both the trace and the views list it. */
export interface EventSummary {
  /** The events listed, in order, then (when the step used the quickmap window) its one line. */
  readonly listed: DescribedEvent[];
  /** The groups that had more events than the limit, in order of their first event. */
  readonly more: { readonly group: string; readonly count: number }[];
}

/** Sums up a step's events: scaffolding folded into one line, at most `limit` events per group. */
export function summarizeEvents(events: readonly MemoryEvent[], options: EventSummaryOptions): EventSummary {
  const perGroup = new Map<string, number>();
  const listed: DescribedEvent[] = [];
  let quickmaps = 0;
  for (const event of events) {
    if (isQuickmapScaffolding(event)) {
      if (event.kind === 'quickmap') quickmaps++;
      continue;
    }
    const group = options.groupOf(event.kind);
    const n = (perGroup.get(group) ?? 0) + 1;
    perGroup.set(group, n);
    if (n <= options.limit) listed.push(describeEvent(event));
  }
  if (quickmaps > 0) listed.push(quickmapLine(quickmaps));
  const more = [...perGroup]
    .filter(([, n]) => n > options.limit)
    .map(([group, n]) => ({ group, count: n - options.limit }));
  return { listed, more };
}
