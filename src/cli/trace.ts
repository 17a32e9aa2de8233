// What a step changed, as short aligned lines for `mmu-lens run --trace`: counters, then each change
// in the words of the shared event presenter behind a label column (pages, page tables, PTEs,
// regions, faults, TLB flushes, quickmap slots). The presenter also decides which changes are
// listed; the trace only lays them out.

import type { MemoryCounters, MemoryEvent } from '../engine';
import { type EventKind, summarizeEvents } from '../scenario/describeEvent';

/** Changes of one group listed before the rest are counted (a fork writes every PTE). */
const MAX_PER_GROUP = 6;

/** The label column: ten characters and a space. */
const LABEL_WIDTH = 10;

export function describeCounters(before: MemoryCounters, after: MemoryCounters): string | null {
  const parts: string[] = [];
  const delta = (label: string, a: number, b: number): void => {
    if (a !== b) parts.push(`${label} ${a}→${b} (${b > a ? '+' : ''}${b - a})`);
  };
  delta('used', before.physicalPagesUsed, after.physicalPagesUsed);
  delta('committed', before.physicalPagesCommitted, after.physicalPagesCommitted);
  delta('uncommitted', before.physicalPagesUncommitted, after.physicalPagesUncommitted);
  return parts.length === 0 ? null : column('counters', parts.join(', '));
}

/**
 * Each kind's label and the group its changes are counted in: page allocations and frees are one
 * group, as are a page table's allocation and its freeing.
 */
const COLUMNS: { readonly [K in EventKind]: { readonly label: string; readonly group: string } } = {
  page_allocated: { label: 'page', group: 'page' },
  page_freed: { label: 'page', group: 'page' },
  contiguous_pages_allocated: { label: 'pages', group: 'page' },
  pages_committed: { label: 'commit', group: 'commit' },
  pages_uncommitted: { label: 'commit', group: 'commit' },
  region_created: { label: 'region', group: 'region' },
  region_split: { label: 'region', group: 'region' },
  region_destroyed: { label: 'region', group: 'region' },
  region_access_changed: { label: 'region', group: 'region' },
  region_renamed: { label: 'region', group: 'region' },
  pte_written: { label: 'pte', group: 'pte' },
  pte_accessed: { label: 'pte', group: 'pte' },
  page_table_allocated: { label: 'page table', group: 'table' },
  page_table_freed: { label: 'page table', group: 'table' },
  page_fault: { label: 'fault', group: 'fault' },
  tlb_flush: { label: 'tlb', group: 'tlb' },
  quickmap: { label: 'quickmap', group: 'quickmap' },
  unquickmap: { label: 'quickmap', group: 'quickmap' },
  vmobject_purged: { label: 'purge', group: 'purge' },
  process_created: { label: 'process', group: 'process' },
  process_died: { label: 'process', group: 'process' },
  file_written: { label: 'file', group: 'file' },
  panic: { label: 'PANIC', group: 'panic' },
};

function column(label: string, text: string): string {
  return `${label.padEnd(LABEL_WIDTH)} ${text}`;
}

/** One line per change in event order, at most a few per group, then a count of the rest. */
export function describeChanges(events: readonly MemoryEvent[]): string[] {
  const summary = summarizeEvents(events, { limit: MAX_PER_GROUP, groupOf: (kind) => COLUMNS[kind].group });
  return [
    ...summary.listed.map((event) => column(COLUMNS[event.kind].label, event.text)),
    ...summary.more.map(({ group, count }) => column('…', `${count} more ${group} changes`)),
  ];
}
