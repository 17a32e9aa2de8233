// How to read a watched thing (watchedThings.ts) from a machine, and which steps can change it.
// A probe only looks: engine inspection calls, the objects they give and the adapter's
// side-effect-free memory reads. Its value is a line for people and, for bulk state, data that is
// compared exactly (page and frame bytes, a region's page slots).
//
// The kinds of event a thing can change with let a search over the history skip every step that
// caused none of them (StepLog keeps each step's kinds). They were read off the engine, and a test
// holds them to it over every example: a PTE (and whether a page table covers it) changes only
// through pte_written, pte_accessed, page_table_allocated/freed, or its space coming or going (process_created/
// died); the used and free counters and a zone's free lists only when pages are allocated or freed;
// the committed counter also when pages are committed or uncommitted. A panic may stop any change
// half-way, so it counts for every thing. Four things have no such list: bytes change with no event
// at all (pages, frames), a region's flags (msyscall, immutable) and volatility (madvise) change
// without one, and find_free_physical_page takes an uncommitted page before a zone search that can
// fail (the quirk kept from the kernel). Their searches look at every step.
//
// Costs of one read: a PTE walks the paging structures; a page or a frame copies 4 KiB (a readable
// page that is not mapped yet is read byte by byte, as a load would see it); a region is linear in
// its pages; a zone is linear in its free blocks; a counter is constant.

import {
  type AnonymousVMObject,
  BUDDY_MAX_ORDER,
  type InodeVMObject,
  MEMORY_EVENT_KINDS,
  type Machine,
  type MemoryEvent,
  PAGE_SIZE,
  type Region,
  rawEntry,
} from '../engine';
import type { PageDirectory } from '../engine/PageDirectory';
import { type SpaceRef, virtualMemory } from '../protocol/addressSpaces';
import { accessText, hex, regionFlags } from './describe';
import { ownerOf, readMemory, resolveMemorySpace } from './memory';
import type { CounterName, Thing } from './watchedThings';

/** A thing's value in one machine state. */
export interface ThingValue {
  /** What people read: "0x8000000000123067", "allocated, ref count 2", "absent". */
  readonly summary: string;
  /** Bulk state compared byte for byte, or null when the summary says it all. */
  readonly data: Uint8Array | null;
}

export interface ThingProbe {
  /** The thing's value in a machine's state; changes nothing. */
  read(machine: Machine): ThingValue;
  /**
   * Bit i set: a step with an event of kind MEMORY_EVENT_KINDS[i] may change the thing, and no step
   * without one does. Null when a step without any of them can (every step must be looked at).
   */
  readonly changeKinds: number | null;
  /** What the values' data holds, in words ("bytes"), for things that have data. */
  readonly dataNoun?: string;
}

export function sameValue(a: ThingValue, b: ThingValue): boolean {
  if (a.summary !== b.summary) return false;
  if (a.data === null || b.data === null) return a.data === b.data;
  if (a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

/** A change in words: "0x… → 0x…", or, when only the bulk state moved, which part of it changed. */
export function changeText(probe: ThingProbe, before: ThingValue, after: ThingValue): string {
  return before.summary !== after.summary
    ? `${before.summary} → ${after.summary}`
    : `${after.summary}; its ${probe.dataNoun ?? 'state'} changed`;
}

function kindsMask(kinds: readonly MemoryEvent['kind'][]): number {
  let mask = 0;
  for (const kind of [...kinds, 'panic' as const]) mask |= 1 << MEMORY_EVENT_KINDS.indexOf(kind);
  return mask >>> 0;
}

const PTE_KINDS = kindsMask([
  'pte_written',
  'pte_accessed',
  'page_table_allocated',
  'page_table_freed',
  'process_created',
  'process_died',
]);
const ZONE_KINDS = kindsMask(['page_allocated', 'page_freed', 'contiguous_pages_allocated']);
const COUNTER_KINDS: Readonly<Record<CounterName, number | null>> = {
  used: ZONE_KINDS,
  free: ZONE_KINDS,
  committed: kindsMask(['pages_committed', 'pages_uncommitted', 'page_allocated']),
  uncommitted: null,
};

const scalar = (summary: string): ThingValue => ({ summary, data: null });

/** The page directory a space walks in this machine; null while it has none (no such process, or exited). */
function pageDirectoryIn(machine: Machine, space: SpaceRef): PageDirectory | null {
  const owner = ownerOf(machine, space);
  if (owner === null) return null;
  if (owner === 'kernel') return machine.memoryManager.kernelPageDirectory;
  return owner.alive ? owner.space.pageDirectory : null;
}

function pteSummary(machine: Machine, space: SpaceRef, vaddr: number): string {
  const pd = pageDirectoryIn(machine, space);
  if (pd === null) return 'no address space';
  const entry = machine.memoryManager.lookupPte(pd, vaddr);
  return entry === null ? 'no page table' : hex(rawEntry(entry[0], entry[1]));
}

/** The PTE, and the bytes a load through it would see (none when it would fault without a page). */
function readPage(machine: Machine, space: SpaceRef, vaddr: number): ThingValue {
  const pte = pteSummary(machine, space, vaddr);
  const memory = resolveMemorySpace(machine, virtualMemory(space));
  const bytes = memory === null ? new Uint8Array(0) : readMemory(machine, memory, vaddr, PAGE_SIZE).data;
  return { summary: `PTE ${pte}, ${bytes.length === PAGE_SIZE ? 'readable' : 'unreadable'}`, data: bytes };
}

function regionsIn(machine: Machine, space: SpaceRef): readonly Region[] {
  const owner = ownerOf(machine, space);
  if (owner === null) return [];
  if (owner === 'kernel') return machine.kernelRegions();
  return owner.alive ? owner.space.regions : [];
}

const COW_BIT = 1;
const DIRTY_BIT = 2;

/**
 * What backs each page of a region, two words a page: the frame in its VMObject slot (-1 for none;
 * the shared zero and lazy committed pages are frames too), then copy-on-write and dirty bits. An
 * MMIO window has no slots: its pages are told apart by whether their PTE is present.
 */
function pageSlots(machine: Machine, region: Region): Uint8Array {
  const words = new Int32Array(region.pageCount * 2);
  const object = region.vmobject;
  if (object === null) return new Uint8Array(words.buffer);
  const mm = machine.memoryManager;
  if (object.kind === 'MMIO') {
    for (let i = 0; i < region.pageCount; i++) {
      const pte =
        region.pageDirectory === null
          ? null
          : mm.lookupPte(region.pageDirectory, region.base + i * PAGE_SIZE);
      words[2 * i] = pte !== null && (pte[0] & 1) !== 0 ? 1 : 0;
    }
    return new Uint8Array(words.buffer);
  }
  const cowMap = object.kind === 'Anonymous' && !region.shared ? (object as AnonymousVMObject).cowMap : null;
  const dirty = object.isInode() ? (object as InodeVMObject).dirtyPages : null;
  for (let i = 0; i < region.pageCount; i++) {
    const slot = region.firstPageIndex + i;
    words[2 * i] = object.pages[slot] ?? -1;
    words[2 * i + 1] = (cowMap?.[slot] === 1 ? COW_BIT : 0) | (dirty?.[slot] === 1 ? DIRTY_BIT : 0);
  }
  return new Uint8Array(words.buffer);
}

function readRegion(machine: Machine, space: SpaceRef, regionId: number): ThingValue {
  const region = regionsIn(machine, space).find((r) => r.id === regionId);
  if (region === undefined) return { summary: 'absent', data: null };
  const object = region.vmobject;
  const flags = regionFlags(region);
  const volatile = object?.kind === 'Anonymous' && (object as AnonymousVMObject).volatile;
  return {
    summary:
      `"${region.name}" ${hex(region.base)}..${hex(region.end)} ${accessText(region.access)}` +
      `${flags.length > 0 ? ` [${flags.join(', ')}]` : ''}${volatile ? ' volatile' : ''}`,
    data: pageSlots(machine, region),
  };
}

function readFrame(machine: Machine, paddr: number): ThingValue {
  const page = machine.page(paddr);
  return {
    summary: page === null ? 'not allocated' : `allocated, ref count ${page.refCount}`,
    data: readMemory(machine, { kind: 'physical' }, paddr, PAGE_SIZE).data,
  };
}

function readCounter(machine: Machine, name: CounterName): ThingValue {
  const counters = machine.counters();
  const values: Record<CounterName, number> = {
    used: counters.physicalPagesUsed,
    committed: counters.physicalPagesCommitted,
    uncommitted: counters.physicalPagesUncommitted,
    free: counters.freePages,
  };
  return scalar(String(values[name]));
}

/** The probe of a thing in this machine's layout, or why the machine has no such thing. */
export function probeOf(thing: Thing, machine: Machine): ThingProbe | { error: string } {
  switch (thing.kind) {
    case 'pte':
      return { read: (m) => scalar(pteSummary(m, thing.space, thing.vaddr)), changeKinds: PTE_KINDS };
    case 'page':
      return { read: (m) => readPage(m, thing.space, thing.vaddr), changeKinds: null, dataNoun: 'bytes' };
    case 'region':
      return {
        read: (m) => readRegion(m, thing.space, thing.regionId),
        changeKinds: null,
        dataNoun: 'pages',
      };
    case 'frame': {
      const frames = machine.memoryManager.entries.count;
      if (thing.paddr / PAGE_SIZE >= frames)
        return { error: `frame ${hex(thing.paddr)} is beyond physical memory (${frames} frames)` };
      return { read: (m) => readFrame(m, thing.paddr), changeKinds: null, dataNoun: 'bytes' };
    }
    case 'zone':
      return zoneProbe(thing.physicalRegion, thing.zone, machine);
    case 'counter':
      return { read: (m) => readCounter(m, thing.name), changeKinds: COUNTER_KINDS[thing.name] };
  }
}

/** Zones are laid out at boot and never change: one that is missing now never existed. */
function zoneProbe(r: number, z: number, machine: Machine): ThingProbe | { error: string } {
  const regions = machine.memoryManager.physicalRegions;
  if (regions[r]?.zones[z] === undefined) {
    const ids = regions.flatMap((region, i) => region.zones.map((_, j) => `${i}:${j}`));
    return { error: `there is no zone ${r}:${z} (the zones are ${ids.join(', ')})` };
  }
  return {
    read: (m) => {
      const zone = m.memoryManager.physicalRegions[r]!.zones[z]!;
      const blocks: number[] = [];
      for (let order = 0; order <= BUDDY_MAX_ORDER; order++) blocks.push(zone.freeBlocks(order).length);
      return scalar(`${zone.available()} free pages, free blocks by order ${blocks.join(' ')}`);
    },
    changeKinds: ZONE_KINDS,
  };
}
