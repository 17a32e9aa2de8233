// Everything the engine changes is reported as one of these events, in the order it happened.
// Views, the trace output and breakpoints are built on them. All fields are plain JSON values:
// addresses are numbers, address spaces are named by id (0 = the kernel, otherwise the process id).

import type { PageFaultResponse } from './PageFault';

export type AccessKind = 'read' | 'write' | 'execute';
export type FaultHandlerKind = 'zero' | 'cow' | 'inode' | 'none';
export type QuickmapSlot = 'pt' | 'pd' | 'page';

/** Id of the kernel address space in events. */
export const KERNEL_SPACE_ID = 0;

/**
 * What a physical page was allocated for, said by the code that allocates it (the allocator itself
 * cannot tell), so that a fork's hundred allocations read as what they are:
 * - `paging_structure`: a new user page directory's PML4, PDPT or one of its user PDs, all taken at
 *   once when the space is created (`PageDirectory::try_create_for_userspace`);
 * - `page_table`: a page table `MemoryManager::ensure_pte` adds when a mapping first needs one;
 * - `zero_fill`: the page a zero fault puts in a slot (`Region::handle_zero_fault`);
 * - `cow_copy`: the private copy a copy-on-write fault makes (`AnonymousVMObject::handle_cow_fault`);
 * - `inode_read`: a page a fault reads from its file (`Region::handle_inode_fault`);
 * - `allocate_now`: a page of an anonymous VMObject created with `AllocationStrategy::AllocateNow`,
 *   taken with the object;
 * - `dma_buffer`: the page of `MemoryManager::allocate_dma_buffer_page`;
 * - `kernel`: the memory manager's own pages (the shared zero page, the lazy committed page);
 * - `scenario`: a page the scenario allocates or takes from a commitment itself.
 * A literal costs an event the same slot as a number: it names a shared constant string.
 */
export const PAGE_PURPOSES = [
  'paging_structure',
  'page_table',
  'zero_fill',
  'cow_copy',
  'inode_read',
  'allocate_now',
  'dma_buffer',
  'kernel',
  'scenario',
] as const;
export type PagePurpose = (typeof PAGE_PURPOSES)[number];

export type MemoryEvent =
  | {
      kind: 'page_allocated';
      paddr: number;
      committed: boolean;
      purpose: PagePurpose;
      /** The address space the page is for (the kernel's for the kernel's own and the scenario's). */
      space: number;
    }
  | { kind: 'page_freed'; paddr: number }
  | { kind: 'pages_committed'; count: number }
  | { kind: 'pages_uncommitted'; count: number }
  | { kind: 'contiguous_pages_allocated'; paddr: number; count: number }
  | { kind: 'region_created'; space: number; regionId: number; base: number; size: number; name: string }
  | {
      kind: 'region_split';
      space: number;
      regionId: number;
      pieces: { regionId: number; base: number; size: number }[];
    }
  | { kind: 'region_destroyed'; space: number; regionId: number; base: number; size: number; name: string }
  | { kind: 'region_access_changed'; space: number; regionId: number; access: number }
  | { kind: 'region_renamed'; space: number; regionId: number; name: string }
  | {
      kind: 'pte_written';
      space: number;
      vaddr: number;
      /** Physical address of the PTE itself (page table frame + index * 8). */
      entryPaddr: number;
      oldLow: number;
      oldHigh: number;
      newLow: number;
      newHigh: number;
    }
  | {
      /**
       * The MMU, not the kernel, set Accessed in the paging-structure entries an access to vaddr
       * went through, and Dirty in its PTE when `dirty` (only bits that were clear change).
       */
      kind: 'pte_accessed';
      space: number;
      vaddr: number;
      dirty: boolean;
    }
  | { kind: 'page_table_allocated'; space: number; vaddr: number; paddr: number }
  | { kind: 'page_table_freed'; space: number; vaddr: number; paddr: number }
  | {
      kind: 'page_fault';
      space: number;
      vaddr: number;
      access: AccessKind;
      userMode: boolean;
      notPresent: boolean;
      handler: FaultHandlerKind;
      response: PageFaultResponse;
      /**
       * Why the fault went the way it did, in the kernel's terms ("ref_count was 1, so no copy"),
       * from the state the handler met; empty when the handler took no decision worth telling.
       */
      decision: string;
    }
  | { kind: 'tlb_flush'; space: number; vaddr: number; pageCount: number; scope: 'local' | 'broadcast' }
  | { kind: 'quickmap'; cpu: number; slot: QuickmapSlot; paddr: number; vaddr: number }
  | { kind: 'unquickmap'; cpu: number; vaddr: number }
  | { kind: 'vmobject_purged'; vmobjectId: number; pages: number }
  | { kind: 'process_created'; pid: number; name: string; parent: number | null }
  | {
      kind: 'process_died';
      pid: number;
      reason: 'exit' | 'crash' | 'oom' | 'bus_error';
      /** Why the kernel killed it, when no fault event tells (a crash at syscall entry). */
      why?: string;
    }
  | { kind: 'file_written'; path: string; offset: number; length: number }
  | { kind: 'panic'; message: string };

/** Every kind of event, in a fixed order (a kind's index names it in compact per-step summaries). */
export const MEMORY_EVENT_KINDS = [
  'page_allocated',
  'page_freed',
  'pages_committed',
  'pages_uncommitted',
  'contiguous_pages_allocated',
  'region_created',
  'region_split',
  'region_destroyed',
  'region_access_changed',
  'pte_written',
  'pte_accessed',
  'page_table_allocated',
  'page_table_freed',
  'page_fault',
  'tlb_flush',
  'quickmap',
  'unquickmap',
  'vmobject_purged',
  'process_created',
  'process_died',
  'file_written',
  'region_renamed',
  'panic',
] as const satisfies readonly MemoryEvent['kind'][];

/** Fails to compile when MEMORY_EVENT_KINDS misses a kind of MemoryEvent. */
const everyKindListed: Exclude<MemoryEvent['kind'], (typeof MEMORY_EVENT_KINDS)[number]> extends never
  ? true
  : never = true;
void everyKindListed;

/**
 * Collects events. Recording can be switched off for speed; producers check `enabled` before they
 * build an event object so that a disabled log costs one branch.
 */
export class EventLog {
  enabled = true;
  private buffer: MemoryEvent[] = [];

  push(event: MemoryEvent): void {
    this.buffer.push(event);
  }

  /** Hands over everything recorded since the last call. */
  take(): MemoryEvent[] {
    const out = this.buffer;
    this.buffer = [];
    return out;
  }

  get pending(): number {
    return this.buffer.length;
  }
}
