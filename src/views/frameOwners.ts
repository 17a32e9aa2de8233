// Who holds each physical frame, for the frame map: one byte per frame (an index into FRAME_KINDS)
// from frame 0 up to the highest frame of RAM or of an MMIO mapping (MMIO only up to 4 GiB).
//
// The map is built in two layers. The ground says what kind of memory a frame is: firmware-reserved
// or absent (reserved), the low 1 MiB (reserved), the kernel image and page-entry array (kernel),
// the tail of a physical region that belongs to no zone (unzoned), zone frames on a buddy free list
// (free), and every other zone frame (kernel: allocated and not claimed below, such as pages the
// scenario holds or the leaked tail of a contiguous block). Owners then claim frames, and when two
// claim one frame the higher rank wins:
//   pageTable > sharedZero > lazyCommitted > dma > mmio > file > anonymous > quickmap > kernel
// Page tables are every PML4, PDPT and PD of a live page directory, every page table a present PDE
// points at, the boot paging frames and page tables leaked by destroyed directories. VMObject slots
// give anonymous (user) or kernel / dma (kernel regions) and file (inode objects); an MMIO object
// claims its physical range. A quickmap page slot claims the frame it maps, which shows only when nothing
// else owns that frame (a page the scenario quickmapped itself); the slots that point at page tables
// for page-table edits are left to the page-table rule.

import type { Machine, Region } from '../engine';
import { PAGE_SIZE } from '../engine/constants';
import type { MMIOVMObject } from '../engine/MMIOVMObject';
import { PTE_PRESENT, entryPaddr } from '../engine/PageTableEntry';
import { NULL_FRAME } from '../engine/VMObject';
import { FRAME_KINDS, type FrameKind } from '../protocol/dto';
import type { DeviceKind } from './deviceRegions';

const K = Object.fromEntries(FRAME_KINDS.map((kind, i) => [kind, i])) as Record<FrameKind, number>;

/** Rank of each kind when two owners claim one frame (higher wins); ground kinds rank lowest. */
const RANK = new Uint8Array(FRAME_KINDS.length);
(
  [
    'free',
    'reserved',
    'unzoned',
    'kernel',
    'quickmap',
    'anonymous',
    'file',
    'mmio',
    'dma',
    'lazyCommitted',
    'sharedZero',
    'pageTable',
  ] as const
).forEach((kind, rank) => (RANK[K[kind]] = rank));

export function frameKindCode(kind: FrameKind): number {
  return K[kind];
}

export function frameKindName(code: number): FrameKind {
  const kind = FRAME_KINDS[code];
  if (kind === undefined) throw new Error(`frame kind code ${code} is not one of FRAME_KINDS`);
  return kind;
}

/**
 * How far an MMIO range may stretch the map past RAM: up to 4 GiB of physical addresses (where
 * 32-bit devices sit). A device mapped higher is listed in the DMA/MMIO map but not drawn, so that a
 * register window at 2^44 does not ask for a map of four billion frames.
 */
export const MMIO_FRAME_MAP_LIMIT = 2 ** 20;

/** The number of frames the map covers: RAM (the page-entry array) and MMIO ranges up to the limit. */
export function frameMapLength(machine: Machine): number {
  const mm = machine.memoryManager;
  const ram = mm.entries.count;
  let count = ram;
  for (const object of mm.allVMObjects) {
    if (object.kind !== 'MMIO') continue;
    const end = Math.ceil(((object as MMIOVMObject).basePaddr + object.size) / PAGE_SIZE);
    if (end > count) count = end;
  }
  return Math.min(count, Math.max(ram, MMIO_FRAME_MAP_LIMIT));
}

function fillFrames(kinds: Uint8Array, firstByte: number, endByte: number, kind: number): void {
  const first = Math.max(0, Math.ceil(firstByte / PAGE_SIZE));
  const end = Math.min(kinds.length, Math.ceil(endByte / PAGE_SIZE));
  if (end > first) kinds.fill(kind, first, end);
}

function groundLayer(machine: Machine, kinds: Uint8Array): void {
  const mm = machine.memoryManager;
  kinds.fill(K.reserved);
  for (const entry of mm.memoryMap)
    if (entry.kind === 'usable') fillFrames(kinds, entry.base, entry.base + entry.size, K.kernel);
  for (const used of mm.usedRanges)
    fillFrames(kinds, used.base, used.base + used.size, used.kind === 'low_memory' ? K.reserved : K.kernel);
  for (const region of mm.physicalRegions) {
    let zoned = region.lowerFrame;
    for (const zone of region.zones) {
      kinds.fill(K.kernel, zone.baseFrame, zone.baseFrame + zone.pageCount);
      for (let order = 0; order < zone.buckets.length; order++) {
        const pages = 1 << order;
        for (const chunk of zone.freeBlocks(order)) {
          const first = zone.baseFrame + (chunk >> 1);
          kinds.fill(K.free, first, first + pages);
        }
      }
      zoned = Math.max(zoned, zone.baseFrame + zone.pageCount);
    }
    if (region.upperFrame > zoned) kinds.fill(K.unzoned, zoned, region.upperFrame);
  }
}

function claim(kinds: Uint8Array, frame: number, kind: number): void {
  if (frame < 0 || frame >= kinds.length) return;
  if (RANK[kind]! >= RANK[kinds[frame]!]!) kinds[frame] = kind;
}

function claimPageTables(machine: Machine, kinds: Uint8Array): void {
  const mm = machine.memoryManager;
  const contents = mm.contents;
  const t = K.pageTable;
  for (const frame of Object.values(mm.bootFrames)) claim(kinds, frame, t);
  for (const frame of mm.leakedPageTables) claim(kinds, frame, t);
  for (const pd of mm.pageDirectories.values()) {
    claim(kinds, pd.pml4Frame, t);
    claim(kinds, pd.pdptFrame, t);
    for (let i = 0; i < 512; i++) {
      const pdFrame = pd.directoryPages[i]!;
      if (pdFrame < 0) continue;
      claim(kinds, pdFrame, t);
      if (!contents.hasBuffer(pdFrame)) continue;
      for (let e = 0; e < 512; e++) {
        const low = contents.readWord(pdFrame, 2 * e);
        if ((low & PTE_PRESENT) !== 0)
          claim(kinds, entryPaddr(low, contents.readWord(pdFrame, 2 * e + 1)) / PAGE_SIZE, t);
      }
    }
  }
}

function claimQuickmapSlots(machine: Machine, kinds: Uint8Array): void {
  const mm = machine.memoryManager;
  const table = mm.bootFrames.quickmapPt;
  // Entries 192 + cpu of the quickmap page table are the per-CPU page slots. The page-table and
  // page-directory slots (64 + cpu, 128 + cpu) stay pointed at the last table edited, which is a
  // page table while it lives and a free frame after: they claim nothing.
  for (let cpu = 0; cpu < mm.options.cpus; cpu++) {
    const low = mm.entryLow(table, 192 + cpu);
    if ((low & PTE_PRESENT) !== 0)
      claim(kinds, entryPaddr(low, mm.entryHigh(table, 192 + cpu)) / PAGE_SIZE, K.quickmap);
  }
}

function isKernelObjectRegion(region: Region): boolean {
  return region.isKernel();
}

function claimVMObjects(machine: Machine, kinds: Uint8Array, devices: ReadonlyMap<Region, DeviceKind>): void {
  const mm = machine.memoryManager;
  const zero = mm.sharedZeroFrame;
  const lazy = mm.lazyCommittedFrame;
  for (const object of mm.allVMObjects) {
    if (object.kind === 'MMIO') {
      const first = (object as MMIOVMObject).basePaddr / PAGE_SIZE;
      const end = Math.min(first + object.pageCount, kinds.length);
      for (let f = first; f < end; f++) claim(kinds, f, K.mmio);
      continue;
    }
    let kind: number;
    if (object.isInode()) kind = K.file;
    else if (object.regions.length > 0 && object.regions.every(isKernelObjectRegion))
      kind = object.regions.some((r) => devices.get(r) === 'dma') ? K.dma : K.kernel;
    else kind = K.anonymous;
    const pages = object.pages;
    for (let i = 0; i < pages.length; i++) {
      const frame = pages[i]!;
      if (frame !== NULL_FRAME && frame !== zero && frame !== lazy) claim(kinds, frame, kind);
    }
  }
  claim(kinds, zero, K.sharedZero);
  claim(kinds, lazy, K.lazyCommitted);
}

/** The owner of every frame, one FRAME_KINDS index per frame. */
export function frameKinds(machine: Machine, devices: ReadonlyMap<Region, DeviceKind>): Uint8Array {
  const kinds = new Uint8Array(frameMapLength(machine));
  groundLayer(machine, kinds);
  claimQuickmapSlots(machine, kinds);
  claimVMObjects(machine, kinds, devices);
  claimPageTables(machine, kinds);
  return kinds;
}
