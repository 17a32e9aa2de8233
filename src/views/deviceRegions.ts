// Which kernel regions are device mappings. The engine marks them where they are made
// (Region.device): allocate_dma_buffer_page(s) make DMA buffers, allocate_mmio_kernel_region MMIO
// windows. The views read the mark; they never guess it from a region's shape or the run's history.

import type { DeviceMemory, Machine, Region } from '../engine';

export type DeviceKind = DeviceMemory;

/** The device mappings among the kernel's regions, in the region tree's order. */
export function classifyDeviceRegions(machine: Machine): Map<Region, DeviceKind> {
  const out = new Map<Region, DeviceKind>();
  for (const region of machine.memoryManager.kernelRegionTree.regions)
    if (region.device !== null) out.set(region, region.device);
  return out;
}
