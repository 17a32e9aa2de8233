// How the report names what it shows: address spaces, regions, counters and the ids of a change set,
// in the words the panels use ("parent (pid 1)", "(unnamed)", "Free in zones").

import { regionLabel } from '../../protocol/regionLabel';
import type { AddressSpaceDto, MachineStateDto, RegionDto, SystemCountersDto } from '../../protocol/dto';

export function spaceName(space: AddressSpaceDto): string {
  return space.kind === 'kernel' ? 'kernel' : `${space.name} (pid ${space.pid ?? '?'})`;
}

export function regionName(region: RegionDto): string {
  return regionLabel(region);
}

export const COUNTER_NAMES: Readonly<Record<keyof SystemCountersDto, { name: string; meaning: string }>> = {
  used: { name: 'Used', meaning: 'pages allocated (physical_pages_used)' },
  committed: { name: 'Committed', meaning: 'promised to commitments, not yet allocated' },
  uncommitted: { name: 'Uncommitted', meaning: 'neither used nor promised' },
  freeInZones: { name: 'Free in zones', meaning: 'pages the buddy allocators hold free' },
  physicalPages: { name: 'Total', meaning: 'physical_pages = used + committed + uncommitted' },
};

/** The state's name for an entity id of a change set ("region:pid:1/0x10000" and the like). */
export function entityName(id: string, state: MachineStateDto): string {
  const colon = id.indexOf(':');
  const kind = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  switch (kind) {
    case 'space': {
      const space = state.addressSpaces.find((s) => s.id === rest);
      return space === undefined ? rest : spaceName(space);
    }
    case 'region': {
      const slash = rest.lastIndexOf('/');
      const space = state.addressSpaces.find((s) => s.id === rest.slice(0, slash));
      const region = space?.regions.find((r) => r.id === rest.slice(slash + 1));
      if (space === undefined || region === undefined) return rest;
      return `${spaceName(space)}: ${regionName(region)} ${region.base}–${region.end}`;
    }
    case 'zone':
      return `zone ${rest}`;
    case 'mapping': {
      const mapping = state.dmaMmio.mappings.find((m) => m.id === rest);
      return mapping === undefined ? rest : `${mapping.kind.toUpperCase()} ${mapping.name}`;
    }
    case 'counter':
      return COUNTER_NAMES[rest as keyof SystemCountersDto]?.name ?? rest;
    default:
      return id;
  }
}
