// The way back from a view's address-space id to the engine's objects, and the names of regions.
// How a space is spelled ("kernel", "pid:<n>") is the protocol's (protocol/addressSpaces); a region
// is named by the engine's region id, which stays the same while the region lives (a split or a
// fork makes new regions with new ids).

import type { Machine, Process, Region } from '../engine';
import type { PageDirectory } from '../engine/PageDirectory';
import { type SpaceRef, parseViewSpaceId } from '../protocol/addressSpaces';

export function regionIdOf(region: Region): string {
  return String(region.id);
}

/** An address space found from its id: its regions and, while it lives, its page directory. */
export interface ResolvedSpace {
  readonly id: string;
  readonly ref: SpaceRef;
  readonly process: Process | null;
  /** Null once the process has exited: its page tables are gone. */
  readonly pageDirectory: PageDirectory | null;
  readonly regions: readonly Region[];
}

export function resolveSpace(machine: Machine, spaceId: string): ResolvedSpace {
  const ref = parseViewSpaceId(spaceId);
  const mm = machine.memoryManager;
  if (ref?.kind === 'kernel')
    return {
      id: spaceId,
      ref,
      process: null,
      pageDirectory: mm.kernelPageDirectory,
      regions: mm.kernelRegionTree.regions,
    };
  const process = ref === null ? null : machine.process(ref.pid);
  if (ref === null || process === null) throw new Error(`There is no address space "${spaceId}".`);
  return {
    id: spaceId,
    ref,
    process,
    pageDirectory: process.alive ? process.space.pageDirectory : null,
    regions: process.alive ? process.space.regions : [],
  };
}

/** The region of a space with this id, or an Error naming what is missing. */
export function resolveRegion(space: ResolvedSpace, regionId: string): Region {
  for (const region of space.regions) if (regionIdOf(region) === regionId) return region;
  throw new Error(`Address space "${space.id}" has no region ${regionId}.`);
}

/** The region containing vaddr in a sorted region list (binary search), or null. */
export function regionContaining(regions: readonly Region[], vaddr: number): Region | null {
  let lo = 0;
  let hi = regions.length - 1;
  let found: Region | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const region = regions[mid]!;
    if (region.base <= vaddr) {
      found = region;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found !== null && vaddr < found.end ? found : null;
}

/** Parses a "0x…" address (or decimal) from the views; an Error when it is not a 64-bit number. */
export function parseViewAddress(text: string): bigint {
  const trimmed = text.trim();
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(trimmed)) throw new Error(`"${text}" is not an address.`);
  const value = BigInt(trimmed);
  if (value >= 1n << 64n) throw new Error(`${text} does not fit in 64 bits.`);
  return value;
}

/** x86_64 canonical form: bits 63..47 all equal (48-bit virtual addresses). */
export function isCanonical(vaddr: bigint): boolean {
  const top = vaddr >> 47n;
  return top === 0n || top === 0x1ffffn;
}
