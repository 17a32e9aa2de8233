// The machine's consistency rules, checked from scratch: counters add up, every reference count
// equals the references actually held, every present PTE maps what its region's VMObject holds,
// and the buddy bitmaps, free lists and zone lists agree, and page contents lose no storage.

import type { AnonymousVMObject } from './AnonymousVMObject';
import type { CommittedPhysicalPageSet } from './CommittedPhysicalPageSet';
import { GiB, KERNEL_PDPT_INDEX, MiB, PAGE_SIZE, hex } from './constants';
import type { MemoryManager } from './MemoryManager';
import type { MMIOVMObject } from './MMIOVMObject';
import type { PageDirectory } from './PageDirectory';
import { PTE_PRESENT, entryPaddr } from './PageTableEntry';
import { ENTRY_ALLOCATED, ENTRY_MAY_RETURN } from './PhysicalPageEntry';
import type { Region } from './Region';
import { NULL_FRAME } from './VMObject';

export function verifyInvariants(mm: MemoryManager): string[] {
  const problems: string[] = [];
  checkCounters(mm, problems);
  checkReferences(mm, problems);
  checkZones(mm, problems);
  checkMappings(mm, problems);
  checkRegionLinks(mm, problems);
  checkPdeCaches(mm, problems);
  for (const problem of mm.contents.storageProblems()) problems.push(`page contents: ${problem}`);
  return problems;
}

/** What translation remembers of page-directory entries agrees with the page tables. */
function checkPdeCaches(mm: MemoryManager, problems: string[]): void {
  for (const pd of mm.pageDirectories.values())
    for (const index of mm.contents.stalePdeCacheEntries(pd))
      problems.push(
        `space ${pd.spaceId}: the PDE cache remembers the page table of PDPT[${index >>> 9}] PD[${index & 511}] wrongly`,
      );
}

function checkCounters(mm: MemoryManager, problems: string[]): void {
  const info = mm.info;
  // The kernel's own check, except for pages its find_free_physical_page quirk lost on the way.
  const sum = info.physicalPagesUsed + info.physicalPagesCommitted + info.physicalPagesUncommitted;
  if (sum + mm.lostUncommittedPages !== info.physicalPages)
    problems.push(
      `used ${info.physicalPagesUsed} + committed ${info.physicalPagesCommitted} + uncommitted ${info.physicalPagesUncommitted} (+ ${mm.lostUncommittedPages} lost) != ${info.physicalPages}`,
    );
  // Every committed page is held by exactly one commitment.
  const sets = new Set<CommittedPhysicalPageSet>(mm.heldCommitments);
  for (const object of mm.allVMObjects) {
    if (object.kind !== 'Anonymous') continue;
    const a = object as AnonymousVMObject;
    if (a.unusedCommittedPages !== null) sets.add(a.unusedCommittedPages);
    if (a.sharedCommittedCowPages !== null) sets.add(a.sharedCommittedCowPages.committedPages);
  }
  let committed = 0;
  for (const set of sets) committed += set.pageCount;
  if (committed !== info.physicalPagesCommitted)
    problems.push(`commitments hold ${committed} pages, counter says ${info.physicalPagesCommitted}`);
  let returnable = 0;
  for (let f = 0; f < mm.entries.count; f++)
    if (
      (mm.entries.flags[f]! & (ENTRY_ALLOCATED | ENTRY_MAY_RETURN)) ===
      (ENTRY_ALLOCATED | ENTRY_MAY_RETURN)
    )
      returnable++;
  if (returnable !== info.physicalPagesUsed)
    problems.push(
      `${returnable} returnable pages are allocated, physical_pages_used says ${info.physicalPagesUsed}`,
    );
}

function tableFramesOf(mm: MemoryManager, pd: PageDirectory, indices: number[]): number[] {
  const out: number[] = [];
  for (const i of indices) {
    const pdFrame = pd.directoryPages[i]!;
    if (pdFrame < 0 || !mm.contents.hasBuffer(pdFrame)) continue;
    for (let e = 0; e < 512; e++) {
      const low = mm.entryLow(pdFrame, e);
      if ((low & PTE_PRESENT) !== 0) out.push(entryPaddr(low, mm.entryHigh(pdFrame, e)) / PAGE_SIZE);
    }
  }
  return out;
}

const USER_PD_INDICES = Array.from({ length: KERNEL_PDPT_INDEX }, (_, i) => i);

function checkReferences(mm: MemoryManager, problems: string[]): void {
  const expected = new Map<number, number>();
  const add = (frame: number, n = 1): void => {
    expected.set(frame, (expected.get(frame) ?? 0) + n);
  };
  const { firstFrame, arrayPages, tablePages } = mm.pageEntryArray;
  for (let f = firstFrame + tablePages; f < firstFrame + arrayPages + tablePages; f++) add(f);
  // The quickmap page table, the kernel image's page tables and the array's are counted through
  // the kernel PD's entries that point at them.
  for (const frame of [mm.bootFrames.pml4, mm.bootFrames.pdpt, mm.bootFrames.kernelPd]) add(frame);
  add(mm.sharedZeroFrame);
  add(mm.lazyCommittedFrame);
  for (const object of mm.allVMObjects) {
    if (object.destroyed) problems.push(`destroyed VMObject ${object.id} is still listed`);
    if (object.kind === 'MMIO') continue;
    for (let i = 0; i < object.pages.length; i++) if (object.pages[i] !== NULL_FRAME) add(object.pages[i]!);
  }
  for (const [frame, n] of mm.heldPages) add(frame, n);
  for (const frame of mm.leakedPageTables) add(frame);
  for (const frame of tableFramesOf(mm, mm.kernelPageDirectory, [KERNEL_PDPT_INDEX])) add(frame);
  for (const process of mm.processes.values()) {
    if (!process.alive) continue;
    const pd = process.space.pageDirectory;
    add(pd.pml4Frame);
    add(pd.pdptFrame);
    for (const i of USER_PD_INDICES) add(pd.directoryPages[i]!);
    for (const frame of tableFramesOf(mm, pd, USER_PD_INDICES)) add(frame);
  }
  const entries = mm.entries;
  for (let f = 0; f < entries.count; f++) {
    const want = expected.get(f) ?? 0;
    const have = entries.refCount[f]!;
    if (want !== have)
      problems.push(`frame ${hex(f * PAGE_SIZE)}: ref count ${have}, references held ${want}`);
    const allocated = (entries.flags[f]! & ENTRY_ALLOCATED) !== 0;
    if (allocated !== have > 0)
      problems.push(`frame ${hex(f * PAGE_SIZE)}: allocated flag disagrees with ref count ${have}`);
  }
}

function checkZones(mm: MemoryManager, problems: string[]): void {
  let zoneUsed = 0;
  for (const region of mm.physicalRegions) {
    const listed = [...region.usableZones, ...region.fullZones].sort((a, b) => a - b);
    if (listed.length !== region.zones.length || listed.some((z, i) => z !== i))
      problems.push(
        `physical region ${hex(region.lowerFrame * PAGE_SIZE)}: zone lists do not hold every zone once`,
      );
    for (const z of region.fullZones)
      if (!region.zones[z]!.isEmpty()) problems.push(`zone ${z} is on the full list but has pages`);
    for (const z of region.usableZones)
      if (region.zones[z]!.isEmpty()) problems.push(`zone ${z} is on the usable list but has no pages`);
    for (const zone of region.zones) {
      problems.push(...zone.verifyConsistency());
      zoneUsed += zone.pageCount - zone.available();
      // A free block's pages must not be allocated pages.
      for (const bucket of zone.buckets) {
        for (const index of zone.freeBlocks(bucket.order)) {
          const first = zone.baseFrame + (index >> 1);
          for (let f = first; f < first + (1 << bucket.order); f++)
            if (mm.entries.refCount[f] !== 0)
              problems.push(`frame ${hex(f * PAGE_SIZE)} is free in its zone but referenced`);
        }
      }
    }
  }
  if (zoneUsed !== mm.info.physicalPagesUsed + mm.leakedContiguousPages)
    problems.push(
      `zones have ${zoneUsed} pages allocated, counters say ${mm.info.physicalPagesUsed} used + ${mm.leakedContiguousPages} leaked`,
    );
}

function expectedPaddr(mm: MemoryManager, region: Region, i: number): number | null {
  const object = region.vmobject;
  if (object === null) return null;
  if (object.kind === 'MMIO')
    return (object as MMIOVMObject).basePaddr + (region.firstPageIndex + i) * PAGE_SIZE;
  const frame = object.pages[region.firstPageIndex + i]!;
  void mm;
  return frame === NULL_FRAME ? null : frame * PAGE_SIZE;
}

function checkSpace(
  mm: MemoryManager,
  pd: PageDirectory,
  regions: readonly Region[],
  pdIndices: number[],
  problems: string[],
): void {
  const name = pd.spaceId === 0 ? 'kernel' : `pid ${pd.spaceId}`;
  for (const i of pdIndices) {
    const pdFrame = pd.directoryPages[i]!;
    if (!mm.contents.hasBuffer(pdFrame)) continue;
    for (let e = 0; e < 512; e++) {
      const pdeLow = mm.entryLow(pdFrame, e);
      if ((pdeLow & PTE_PRESENT) === 0) continue;
      const ptFrame = entryPaddr(pdeLow, mm.entryHigh(pdFrame, e)) / PAGE_SIZE;
      if (pd.isKernel && ptFrame === mm.bootFrames.quickmapPt) continue;
      if (!mm.contents.hasBuffer(ptFrame)) continue;
      for (let t = 0; t < 512; t++) {
        const low = mm.entryLow(ptFrame, t);
        if ((low & PTE_PRESENT) === 0) continue;
        const vaddr = i * GiB + e * 2 * MiB + t * PAGE_SIZE;
        const paddr = entryPaddr(low, mm.entryHigh(ptFrame, t));
        const region = findRegion(regions, vaddr);
        const boot =
          pd.isKernel && (region === null || region.vmobject === null) ? mm.bootMappingOf(vaddr) : null;
        if (boot !== null) {
          if (boot !== paddr)
            problems.push(`kernel: boot PTE at ${hex(vaddr)} maps ${hex(paddr)}, not ${hex(boot)}`);
          continue;
        }
        if (region === null || region.pageDirectory !== pd) {
          problems.push(`${name}: present PTE at ${hex(vaddr)} outside any mapped region`);
          continue;
        }
        const want = expectedPaddr(mm, region, region.pageIndexFromAddress(vaddr));
        if (want !== paddr)
          problems.push(
            `${name}: PTE at ${hex(vaddr)} maps ${hex(paddr)} but region "${region.name}" holds ${want === null ? 'nothing' : hex(want)}`,
          );
      }
    }
  }
}

function findRegion(regions: readonly Region[], vaddr: number): Region | null {
  for (const region of regions) if (region.contains(vaddr)) return region;
  return null;
}

function checkMappings(mm: MemoryManager, problems: string[]): void {
  checkSpace(mm, mm.kernelPageDirectory, mm.kernelRegionTree.regions, [KERNEL_PDPT_INDEX], problems);
  for (const process of mm.processes.values()) {
    if (!process.alive) continue;
    checkSpace(mm, process.space.pageDirectory, process.space.regions, USER_PD_INDICES, problems);
  }
}

function checkRegionLinks(mm: MemoryManager, problems: string[]): void {
  const check = (regions: readonly Region[], where: string): void => {
    let previousEnd = -1;
    for (const region of regions) {
      if (region.base < previousEnd)
        problems.push(`${where}: region "${region.name}" overlaps its predecessor`);
      previousEnd = region.end;
      const object = region.vmobject;
      if (object === null) continue;
      if (object.destroyed) problems.push(`${where}: region "${region.name}" uses a destroyed VMObject`);
      if (!object.regions.includes(region))
        problems.push(`${where}: region "${region.name}" missing from its VMObject's list`);
      if (!mm.allVMObjects.has(object))
        problems.push(`${where}: VMObject of "${region.name}" is not in the global list`);
    }
  };
  check(mm.kernelRegionTree.regions, 'kernel');
  for (const process of mm.processes.values())
    if (process.alive) check(process.space.regions, `pid ${process.pid}`);
}
