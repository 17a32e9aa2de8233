// A plain, deterministic description of a whole machine, used to compare states (a restored
// checkpoint must equal the state it saved) and to debug. Not a hot path.

import type { AnonymousVMObject } from './AnonymousVMObject';
import { PAGE_SIZE } from './constants';
import type { InodeVMObject } from './InodeVMObject';
import type { MemoryManager } from './MemoryManager';
import type { Region } from './Region';

function hashBytes(bytes: Uint8Array): string {
  // FNV-1a over the bytes: enough to tell two page contents apart in a comparison.
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h.toString(16);
}

function describeRegion(region: Region): unknown {
  return {
    id: region.id,
    base: region.base,
    size: region.size,
    name: region.name,
    access: region.access,
    flags: [
      region.shared,
      region.stack,
      region.mmap,
      region.syscallRegion,
      region.immutable,
      region.hasBeenReadable,
      region.hasBeenWritable,
      region.hasBeenExecutable,
    ],
    memoryType: region.memoryType,
    mapped: region.pageDirectory?.spaceId ?? null,
    vmobject: region.vmobject?.id ?? null,
    offset: region.offsetInVMObject,
  };
}

export function dumpMachineState(mm: MemoryManager): unknown {
  const frames: unknown[] = [];
  const entries = mm.entries;
  for (let f = 0; f < entries.count; f++) {
    if (entries.flags[f] !== 0 || entries.refCount[f] !== 0 || entries.link[f] !== -1)
      frames.push([f, entries.flags[f], entries.refCount[f], entries.link[f]]);
  }
  const contents: unknown[] = [];
  const page = new Uint8Array(PAGE_SIZE);
  for (let f = 0; f < entries.count; f++) {
    if (!mm.contents.hasBuffer(f)) continue;
    mm.contents.readBytes(f, 0, page, 0, PAGE_SIZE);
    contents.push([f, hashBytes(page)]);
  }
  const vmobjects = [...mm.allVMObjects].map((o) => {
    const base = { id: o.id, kind: o.kind, pages: Array.from(o.pages), regions: o.regions.map((r) => r.id) };
    if (o.kind === 'Anonymous') {
      const a = o as AnonymousVMObject;
      return {
        ...base,
        committed: a.unusedCommittedPages?.pageCount ?? null,
        pool: a.sharedCommittedCowPages?.committedPages.pageCount ?? null,
        cow: a.cowMap === null ? null : Array.from(a.cowMap),
        purgeable: a.purgeable,
        volatile: a.volatile,
        wasPurged: a.wasPurged,
      };
    }
    if (o.isInode()) return { ...base, dirty: Array.from((o as InodeVMObject).dirtyPages) };
    return base;
  });
  return {
    halted: mm.halted,
    info: { ...mm.info },
    zones: mm.physicalRegions.map((r) => ({
      usable: [...r.usableZones],
      full: [...r.fullZones],
      zones: r.zones.map((z) => ({
        used: z.usedChunks,
        lists: z.buckets.map((b) => [b.freelist, Array.from(b.bitmap)]),
      })),
    })),
    frames,
    contents,
    vmobjects,
    kernelRegions: mm.kernelRegionTree.regions.map(describeRegion),
    processes: [...mm.processes.values()].map((p) => ({
      pid: p.pid,
      alive: p.alive,
      counters: { ...p.counters },
      base: p.space.regionTree.totalBase,
      regions: p.space.regions.map(describeRegion),
      stack: p.stackRegion?.id ?? null,
      sp: p.explicitStackPointer,
      noWToX: p.rejectTransitionToExecutableFromWritableProt,
      syscallRegions: p.space.enforcesSyscallRegions,
    })),
    quickmap: Array.from(mm.quickmapInUse),
    held: [...mm.heldPages.entries()],
    leaked: [...mm.leakedPageTables],
    files: [...mm.fs.inodes.values()].map((i) => [
      i.path,
      i.size,
      i.fill,
      i.writtenPageEntries().map(([index, page]) => [index, hashBytes(page)]),
      i.sharedVMObject?.id ?? null,
    ]),
    ids: [mm.nextVMObjectId, mm.nextRegionId, mm.nextPid],
    prng: Object.values(mm.prng),
  };
}
