// Which kernel regions are device mappings: MMIO regions (an MMIOVMObject says so) and DMA buffers.
// The engine does not mark a DMA buffer: allocate_dma_buffer_page(s) build an ordinary kernel
// region over adopted physical pages, just like allocate_contiguous_kernel_region. Two ways tell
// them apart here:
// - from the run's history (exact): the kernel regions created by a step whose statement calls
//   allocate_dma_buffer_page or allocate_dma_buffer_pages (found in its syntax tree), and still
//   alive after it;
// - from the region alone (a guess, used when no history is at hand): an anonymous kernel region
//   over adopted pages (every slot a real page, no commitment left) whose memory type is not Normal,
//   since the DMA allocators default to NonCacheable and the others to Normal.

import type { Machine, Region } from '../engine';
import type { AnonymousVMObject } from '../engine/AnonymousVMObject';
import { NULL_FRAME } from '../engine/VMObject';
import type { StepReport } from '../scenario/interpreter';

export type DeviceKind = 'dma' | 'mmio';

/** Engine region ids of the DMA buffers a run created, as far as the history shows. */
export type DmaRegionIds = ReadonlySet<number>;

const DMA_ALLOCATORS = new Set(['allocate_dma_buffer_page', 'allocate_dma_buffer_pages']);
const perReport = new WeakMap<StepReport, readonly number[]>();

/** The name a call's callee ends in: `MM.allocate_dma_buffer_page` → allocate_dma_buffer_page. */
function calleeName(callee: unknown): string | null {
  if (typeof callee !== 'object' || callee === null) return null;
  const node = callee as { kind?: unknown; name?: unknown; member?: { name?: unknown } };
  if (node.kind === 'name' && typeof node.name === 'string') return node.name;
  if (node.kind === 'member' && typeof node.member?.name === 'string') return node.member.name;
  return null;
}

/**
 * Whether a statement calls a DMA allocator, from its syntax tree. A block's body is left out: its
 * statements are steps of their own.
 */
function callsDmaAllocator(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(callsDmaAllocator);
  if (typeof node !== 'object' || node === null) return false;
  const record = node as Record<string, unknown>;
  if (record['kind'] === 'call' && DMA_ALLOCATORS.has(calleeName(record['callee']) ?? '')) return true;
  for (const key of Object.keys(record))
    if (key !== 'body' && key !== 'range' && callsDmaAllocator(record[key])) return true;
  return false;
}

/** The kernel regions one step created as DMA buffers (empty for every other step). */
export function dmaRegionsCreatedBy(report: StepReport): readonly number[] {
  const known = perReport.get(report);
  if (known !== undefined) return known;
  let ids: number[] = [];
  if (callsDmaAllocator(report.statement)) {
    const alive = new Set<number>();
    for (const event of report.events) {
      if (event.kind === 'region_created' && event.space === 0) alive.add(event.regionId);
      else if (event.kind === 'region_destroyed' && event.space === 0) alive.delete(event.regionId);
    }
    ids = [...alive];
  }
  perReport.set(report, ids);
  return ids;
}

/** The DMA buffers created by a run's steps 1 … n (the reports in order). */
export function dmaRegionIds(reports: Iterable<StepReport>): Set<number> {
  const ids = new Set<number>();
  for (const report of reports) for (const id of dmaRegionsCreatedBy(report)) ids.add(id);
  return ids;
}

function looksLikeDmaBuffer(machine: Machine, region: Region): boolean {
  const object = region.vmobject;
  if (object === null || object.kind !== 'Anonymous' || region.memoryType === 'Normal') return false;
  const anonymous = object as AnonymousVMObject;
  if (anonymous.unusedCommittedPages !== null || anonymous.purgeable) return false;
  const mm = machine.memoryManager;
  for (let i = 0; i < object.pages.length; i++) {
    const frame = object.pages[i]!;
    if (frame === NULL_FRAME || frame === mm.sharedZeroFrame || frame === mm.lazyCommittedFrame) return false;
  }
  return true;
}

/**
 * The device mappings among the kernel's regions. With `dmaIds` (the run's history) the DMA buffers
 * are exactly those; without it they are guessed from the regions (see above).
 */
export function classifyDeviceRegions(machine: Machine, dmaIds?: DmaRegionIds): Map<Region, DeviceKind> {
  const out = new Map<Region, DeviceKind>();
  for (const region of machine.memoryManager.kernelRegionTree.regions) {
    const object = region.vmobject;
    if (object === null) continue;
    if (object.kind === 'MMIO') out.set(region, 'mmio');
    else if (dmaIds !== undefined ? dmaIds.has(region.id) : looksLikeDmaBuffer(machine, region))
      out.set(region, 'dma');
  }
  return out;
}
