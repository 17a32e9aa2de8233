// How every view names a region and what backs it, said once for the panels, the report and the
// change descriptions. The kernel's own boot-time regions have no name and no VMObject; they are
// named after what they reserve.

import type { RegionDto } from './dto';

export function regionLabel(region: Pick<RegionDto, 'name' | 'unbacked'>): string {
  if (region.name !== '') return region.name;
  return region.unbacked === null ? '(unnamed)' : `(${region.unbacked})`;
}

/** "Anonymous #3", or "unbacked" for a region without a VMObject. */
export function backingLabel(region: Pick<RegionDto, 'vmobject'>): string {
  const vm = region.vmobject;
  return vm === null ? 'unbacked' : `${vm.kind} #${vm.id}`;
}
