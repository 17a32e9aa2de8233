// Text that explains an address or a machine object all the way down, for hovers, the debug
// console and exception details: virtual address → region → VMObject → PTE → physical page → zone.

import type { Machine, Process, Region } from '../engine';
import { PAGE_SIZE, isUserAddress } from '../engine';
import { PHYSICAL_MEMORY, formatMemoryReference, spaceLabel } from '../protocol/addressSpaces';
import type { REGION_FLAGS } from '../protocol/dto';
import { plural } from '../protocol/plural';
import { type MemorySpace, spaceRefOf, virtualReference } from './memory';

type RegionFlag = (typeof REGION_FLAGS)[number];

export const hex = (value: number | bigint): string => `0x${value.toString(16)}`;

export { accessText, pteBits as pteBitNames } from '../scenario/values';
import { accessText, pteBits as pteBitNames } from '../scenario/values';

/** The flags a region has, in the order the views list them. */
export function regionFlags(region: Region): RegionFlag[] {
  const flags: RegionFlag[] = [];
  if (region.stack) flags.push('stack');
  if (region.mmap) flags.push('mmap');
  if (region.shared) flags.push('shared');
  if (region.immutable) flags.push('immutable');
  if (region.syscallRegion) flags.push('syscall');
  return flags;
}

/** "kernel", or a process's name and its space's label: "init (pid 1)". */
export function namedSpaceLabel(space: Process | 'kernel'): string {
  const label = spaceLabel(spaceRefOf(space));
  return space === 'kernel' ? label : `${space.name} (${label})`;
}

export function describeRegion(region: Region): string {
  const role = region.mm.unbackedRegionRole(region);
  const object =
    region.vmobject === null ? 'unbacked' : `${region.vmobject.kind}VMObject #${region.vmobject.id}`;
  const flags = regionFlags(region);
  const name = region.name === '' && role !== null ? `(${role})` : `"${region.name}"`;
  return (
    `Region ${name} ${hex(region.base)}..${hex(region.end)} ${accessText(region.access)}` +
    `${flags.length > 0 ? ` [${flags.join(', ')}]` : ''} ${region.memoryType}, ${object}`
  );
}

/** The zone holding a physical address, as text. */
export function describeZone(machine: Machine, zoneIndex: number | null): string {
  if (zoneIndex === null) return 'no zone';
  const zone = machine.zones()[zoneIndex];
  return zone === undefined
    ? `zone #${zoneIndex}`
    : `zone #${zoneIndex} (base ${hex(zone.base)}, ${plural(zone.pageCount, 'page')})`;
}

/** Physical page → ref count → zone. */
export function describePhysical(machine: Machine, paddr: number): string {
  const page = machine.page(paddr);
  if (page === null) {
    const frame = Math.floor(paddr / PAGE_SIZE);
    return `physical ${hex(paddr)} (frame ${frame}): not an allocated page`;
  }
  const tags: string[] = [];
  if (page.isSharedZeroPage) tags.push('shared zero page');
  if (page.isLazyCommittedPage) tags.push('lazy committed page');
  return (
    `physical ${hex(paddr)}: page ${hex(page.paddr)} ref_count ${page.refCount}` +
    `${tags.length > 0 ? ` (${tags.join(', ')})` : ''}, ${describeZone(machine, page.zone)}`
  );
}

/** One address space's view of an address, or null when no region there holds it. */
export function describeVirtual(machine: Machine, space: Process | 'kernel', vaddr: number): string | null {
  const region = machine.regionAt(space, vaddr);
  const pte = machine.pte(space, vaddr);
  if (region === null && (pte === null || !pte.present)) return null;
  const parts = [`${hex(vaddr)} in ${namedSpaceLabel(space)}`];
  if (region !== null) {
    parts.push(describeRegion(region));
    if (region.vmobject !== null) {
      const slot = region.firstPageIndex + region.pageIndexFromAddress(vaddr);
      const cow = region.shouldCow(region.pageIndexFromAddress(vaddr));
      parts.push(`VMObject slot ${slot}${cow ? ', copy-on-write' : ''}`);
    }
  } else parts.push('no region');
  if (pte === null) parts.push('no page table covers it');
  else parts.push(`PTE ${hex(pte.raw)} [${pteBitNames(pte)}] frame ${hex(pte.paddr)}`);
  const paddr = machine.translate(space, vaddr);
  parts.push(paddr === null ? 'not present (the next access faults)' : describePhysical(machine, paddr));
  return parts.join(' → ');
}

export interface AddressDescription {
  readonly text: string;
  /** A reference for the memory view when the address names one place. */
  readonly memoryReference: string | null;
  /** How many address spaces map the address. */
  readonly spaces: number;
}

/** Every address space's view of an address; a plain physical description when none maps it. */
export function describeAddress(machine: Machine, address: number, only?: MemorySpace): AddressDescription {
  if (only?.kind === 'physical')
    return {
      text: describePhysical(machine, address),
      memoryReference: formatMemoryReference(PHYSICAL_MEMORY, address),
      spaces: 0,
    };
  // Kernel addresses look the same from every address space (the kernel half is shared), so they
  // are described once, in the kernel's.
  const spaces: (Process | 'kernel')[] =
    only?.kind === 'virtual'
      ? [only.space]
      : isUserAddress(address)
        ? ['kernel', ...machine.processes().filter((p) => p.alive)]
        : ['kernel'];
  const found: { space: Process | 'kernel'; text: string }[] = [];
  for (const space of spaces) {
    const text = describeVirtual(machine, space, address);
    if (text !== null) found.push({ space, text });
  }
  if (found.length === 0)
    return {
      text: `${hex(address)}: mapped in no address space; ${describePhysical(machine, address)}`,
      memoryReference: null,
      spaces: 0,
    };
  return {
    text: found.map((f) => f.text).join('\n'),
    memoryReference: found.length === 1 ? virtualReference(found[0]!.space, address) : null,
    spaces: found.length,
  };
}
