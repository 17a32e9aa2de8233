// Text that explains an address or a machine object all the way down, for hovers, the debug
// console and exception details: virtual address → region → VMObject → PTE → physical page → zone.
// An address is explained as facts, one a line (protocol/addressFacts lays them out), so that the
// console reads it line by line and the editor's hover shows it as a table.

import type { Machine, Process, Region } from '../engine';
import { PAGE_SIZE, isUserAddress } from '../engine';
import { PHYSICAL_MEMORY, formatMemoryReference, spaceLabel } from '../protocol/addressSpaces';
import { type AddressFact, factsText } from '../protocol/addressFacts';
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
  return `Region ${regionSummary(region)}, ${vmobjectName(region)}`;
}

/** A region's name, range, access, flags and memory type: `"data" 0x1000..0x3000 rw- [mmap] Normal`. */
function regionSummary(region: Region): string {
  const role = region.mm.unbackedRegionRole(region);
  const flags = regionFlags(region);
  const name = region.name === '' && role !== null ? `(${role})` : `"${region.name}"`;
  return (
    `${name} ${hex(region.base)}..${hex(region.end)} ${accessText(region.access)}` +
    `${flags.length > 0 ? ` [${flags.join(', ')}]` : ''} ${region.memoryType}`
  );
}

function vmobjectName(region: Region): string {
  return region.vmobject === null ? 'unbacked' : `${region.vmobject.kind}VMObject #${region.vmobject.id}`;
}

/** The zone holding a physical address, as text. */
export function describeZone(machine: Machine, zoneIndex: number | null): string {
  return zoneIndex === null ? 'no zone' : `zone ${zoneText(machine, zoneIndex)}`;
}

/** A zone by its index: `#0 (base 0x921000, 4096 pages)`. */
function zoneText(machine: Machine, zoneIndex: number): string {
  const zone = machine.zones()[zoneIndex];
  return zone === undefined
    ? `#${zoneIndex}`
    : `#${zoneIndex} (base ${hex(zone.base)}, ${plural(zone.pageCount, 'page')})`;
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

/** The physical page at an address → its ref count → its zone, as facts. */
function physicalFacts(machine: Machine, paddr: number): AddressFact[] {
  const page = machine.page(paddr);
  if (page === null) {
    const frame = Math.floor(paddr / PAGE_SIZE);
    return [{ label: 'frame', value: `${hex(frame * PAGE_SIZE)} (#${frame}), not an allocated page` }];
  }
  const tags: string[] = [];
  if (page.isSharedZeroPage) tags.push('shared zero page');
  if (page.isLazyCommittedPage) tags.push('lazy committed page');
  const offset = paddr === page.paddr ? '' : ` (physical ${hex(paddr)})`;
  return [
    { label: 'frame', value: `${hex(page.paddr)}${offset}` },
    { label: 'ref_count', value: `${page.refCount}${tags.length > 0 ? ` (${tags.join(', ')})` : ''}` },
    { label: 'zone', value: page.zone === null ? 'none' : zoneText(machine, page.zone) },
  ];
}

/**
 * One address space's view of an address, as facts in the order of the walk (address, region,
 * VMObject, PTE, frame, ref_count, zone), or null when no region there holds it.
 */
export function virtualFacts(
  machine: Machine,
  space: Process | 'kernel',
  vaddr: number,
): AddressFact[] | null {
  const region = machine.regionAt(space, vaddr);
  const pte = machine.pte(space, vaddr);
  if (region === null && (pte === null || !pte.present)) return null;
  const facts: AddressFact[] = [{ label: 'address', value: `${hex(vaddr)} in ${namedSpaceLabel(space)}` }];
  if (region !== null) {
    facts.push({ label: 'region', value: regionSummary(region) });
    let object = vmobjectName(region);
    if (region.vmobject !== null) {
      const index = region.pageIndexFromAddress(vaddr);
      const cow = region.shouldCow(index);
      object += `, slot ${region.firstPageIndex + index}${cow ? ', copy-on-write' : ''}`;
    }
    facts.push({ label: 'VMObject', value: object });
  } else facts.push({ label: 'region', value: 'none' });
  facts.push({
    label: 'PTE',
    value: pte === null ? 'none: no page table covers it' : `${hex(pte.raw)} [${pteBitNames(pte)}]`,
  });
  const paddr = machine.translate(space, vaddr);
  if (paddr === null) facts.push({ label: 'frame', value: 'not present (the next access faults)' });
  else facts.push(...physicalFacts(machine, paddr));
  return facts;
}

/** One address space's view of an address, one fact a line, or null when no region there holds it. */
export function describeVirtual(machine: Machine, space: Process | 'kernel', vaddr: number): string | null {
  const facts = virtualFacts(machine, space, vaddr);
  return facts === null ? null : factsText(facts);
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
      text: factsText([
        { label: 'address', value: `physical ${hex(address)}` },
        ...physicalFacts(machine, address),
      ]),
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
      text: factsText([
        { label: 'address', value: `${hex(address)}, mapped in no address space; as physical:` },
        ...physicalFacts(machine, address),
      ]),
      memoryReference: null,
      spaces: 0,
    };
  // A blank line between address spaces: each is a block of its own, a table of its own in a hover.
  return {
    text: found.map((f) => f.text).join('\n\n'),
    memoryReference: found.length === 1 ? virtualReference(found[0]!.space, address) : null,
    spaces: found.length,
  };
}
