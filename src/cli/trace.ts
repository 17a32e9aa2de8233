// What a step changed, as short aligned lines for `mmu-lens run --trace`: counters, pages, page
// tables, PTEs, regions, faults, TLB flushes and quickmap slots. Long runs of one kind are cut
// short with a count, so one busy step (a fork) does not drown the rest.

import type { MemoryCounters, MemoryEvent } from '../engine';
import { KERNEL_PT1024_BASE } from '../engine/constants';
import { decodePte } from '../engine/PageTableEntry';
import { accessText, hex, pteBits } from '../scenario/values';

const MAX_PER_KIND = 6;

export function describeCounters(before: MemoryCounters, after: MemoryCounters): string | null {
  const parts: string[] = [];
  const delta = (label: string, a: number, b: number): void => {
    if (a !== b) parts.push(`${label} ${a}→${b} (${b > a ? '+' : ''}${b - a})`);
  };
  delta('used', before.physicalPagesUsed, after.physicalPagesUsed);
  delta('committed', before.physicalPagesCommitted, after.physicalPagesCommitted);
  delta('uncommitted', before.physicalPagesUncommitted, after.physicalPagesUncommitted);
  return parts.length === 0 ? null : `counters   ${parts.join(', ')}`;
}

function space(id: number): string {
  return id === 0 ? 'kernel' : `pid ${id}`;
}

/** The kernel's quickmap window: its PTEs change on every zero fill, copy and page-table edit. */
function inQuickmapWindow(space: number, vaddr: number): boolean {
  return space === 0 && vaddr >= KERNEL_PT1024_BASE && vaddr < KERNEL_PT1024_BASE + 0x200000;
}

function describeEvent(event: MemoryEvent): { kind: string; text: string } | null {
  switch (event.kind) {
    case 'page_allocated':
      return {
        kind: 'page',
        text: `page       +${hex(event.paddr)}${event.committed ? ' (from a commitment)' : ''}`,
      };
    case 'page_freed':
      return { kind: 'page', text: `page       -${hex(event.paddr)}` };
    case 'contiguous_pages_allocated':
      return { kind: 'page', text: `pages      +${event.count} contiguous at ${hex(event.paddr)}` };
    case 'pages_committed':
      return { kind: 'commit', text: `commit     +${event.count}` };
    case 'pages_uncommitted':
      return { kind: 'commit', text: `commit     -${event.count}` };
    case 'region_created':
      return {
        kind: 'region',
        text: `region     + "${event.name}" ${hex(event.base)}..${hex(event.base + event.size)} in ${space(event.space)}`,
      };
    case 'region_destroyed':
      return {
        kind: 'region',
        text: `region     - "${event.name}" ${hex(event.base)}..${hex(event.base + event.size)} in ${space(event.space)}`,
      };
    case 'region_split':
      return {
        kind: 'region',
        text: `region     split #${event.regionId} into ${event.pieces.map((p) => `${hex(p.base)}..${hex(p.base + p.size)}`).join(', ')}`,
      };
    case 'region_access_changed':
      return { kind: 'region', text: `region     #${event.regionId} access ${accessText(event.access)}` };
    case 'pte_written': {
      const before = decodePte(event.oldLow, event.oldHigh);
      const after = decodePte(event.newLow, event.newHigh);
      const side = (d: typeof before): string => (d.raw === 0n ? '0' : `${hex(d.paddr)} [${pteBits(d)}]`);
      return {
        kind: 'pte',
        text: `pte        ${space(event.space)} ${hex(event.vaddr)}: ${side(before)} → ${side(after)}`,
      };
    }
    case 'page_table_allocated':
      return {
        kind: 'table',
        text: `page table + ${hex(event.paddr)} for ${space(event.space)} ${hex(event.vaddr)}`,
      };
    case 'page_table_freed':
      return {
        kind: 'table',
        text: `page table - ${hex(event.paddr)} for ${space(event.space)} ${hex(event.vaddr)}`,
      };
    case 'page_fault':
      return {
        kind: 'fault',
        text: `fault      ${space(event.space)} ${event.access} ${hex(event.vaddr)} (${event.notPresent ? 'not present' : 'protection'}, ${event.userMode ? 'user' : 'kernel'}) → ${event.handler} handler, ${event.response}`,
      };
    case 'tlb_flush':
      return {
        kind: 'tlb',
        text: `tlb        ${event.scope} flush ${space(event.space)} ${hex(event.vaddr)} ×${event.pageCount}`,
      };
    case 'quickmap':
      return {
        kind: 'quickmap',
        text: `quickmap   cpu ${event.cpu} ${event.slot} slot ${hex(event.vaddr)} → ${hex(event.paddr)}`,
      };
    case 'unquickmap':
      return { kind: 'quickmap', text: `quickmap   cpu ${event.cpu} slot ${hex(event.vaddr)} cleared` };
    case 'vmobject_purged':
      return { kind: 'purge', text: `purge      VMObject #${event.vmobjectId}: ${event.pages} pages` };
    case 'process_created':
      return { kind: 'process', text: `process    + ${event.name} (pid ${event.pid})` };
    case 'process_died':
      return { kind: 'process', text: `process    - pid ${event.pid} (${event.reason})` };
    case 'file_written':
      return { kind: 'file', text: `file       ${event.path}: ${event.length} bytes at ${event.offset}` };
    case 'panic':
      return { kind: 'panic', text: `PANIC      ${event.message}` };
    default:
      return null;
  }
}

/**
 * One line per change, at most a few per kind (then a count of the rest), in event order. The
 * quickmap slots' own PTE writes and flushes are counted in one line: they are the kernel's
 * scaffolding for zero fills and copies, not a change of anyone's mappings.
 */
export function describeChanges(events: readonly MemoryEvent[]): string[] {
  const shown = new Map<string, number>();
  const lines: string[] = [];
  let quickmaps = 0;
  for (const event of events) {
    if (event.kind === 'quickmap') quickmaps++;
    if (
      event.kind === 'quickmap' ||
      event.kind === 'unquickmap' ||
      ((event.kind === 'pte_written' || event.kind === 'tlb_flush') &&
        inQuickmapWindow(event.space, event.vaddr))
    )
      continue;
    const described = describeEvent(event);
    if (described === null) continue;
    const n = (shown.get(described.kind) ?? 0) + 1;
    shown.set(described.kind, n);
    if (n <= MAX_PER_KIND) lines.push(described.text);
  }
  if (quickmaps > 0)
    lines.push(
      `quickmap   ${quickmaps} temporary mapping${quickmaps === 1 ? '' : 's'} (zero fill, copy, page-table edits)`,
    );
  for (const [kind, n] of shown)
    if (n > MAX_PER_KIND) lines.push(`…          ${n - MAX_PER_KIND} more ${kind} changes`);
  return lines;
}
