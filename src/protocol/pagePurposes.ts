// What an allocated page is for, in words: the one wording of a page's purpose, used by the event
// presenter for a single allocation ("paging-structure page for pid 2") and by the overview's
// grouping for a run of them ("130 paging-structure pages for pid 2 (eager)").

import { parseViewSpaceId, spaceLabel } from './addressSpaces';
import type { PagePurposeDto } from './dto';
import { plural } from './plural';

interface PurposeWords {
  readonly one: string;
  readonly many: string;
  /** Whether the words name the space: the kernel's own pages and the scenario's belong to none. */
  readonly forSpace: boolean;
  /** How the kernel takes such pages, when it is worth saying of a run; '' for nothing. */
  readonly qualifier: string;
}

const WORDS: { readonly [K in PagePurposeDto['kind']]: PurposeWords } = {
  // PageDirectory::try_create_for_userspace takes the PML4, the PDPT and every user PD when the
  // space is created, before anything is mapped in it.
  paging_structure: {
    one: 'paging-structure page',
    many: 'paging-structure pages',
    forSpace: true,
    qualifier: 'eager',
  },
  page_table: { one: 'page table', many: 'page tables', forSpace: true, qualifier: '' },
  zero_fill: { one: 'zero-filled page', many: 'zero-filled pages', forSpace: true, qualifier: '' },
  cow_copy: { one: 'copy-on-write copy', many: 'copy-on-write copies', forSpace: true, qualifier: '' },
  inode_read: { one: 'file page', many: 'file pages', forSpace: true, qualifier: '' },
  // AllocationStrategy::AllocateNow: every page of the object is taken when the object is created.
  allocate_now: { one: 'anonymous page', many: 'anonymous pages', forSpace: true, qualifier: 'eager' },
  dma_buffer: { one: 'DMA buffer page', many: 'DMA buffer pages', forSpace: false, qualifier: '' },
  kernel: { one: 'kernel page', many: 'kernel pages', forSpace: false, qualifier: '' },
  scenario: {
    one: 'page held by the scenario',
    many: 'pages held by the scenario',
    forSpace: false,
    qualifier: '',
  },
};

function forSpace(purpose: PagePurposeDto, words: PurposeWords): string {
  if (!words.forSpace) return '';
  const space = parseViewSpaceId(purpose.spaceId);
  return ` for ${space === null ? purpose.spaceId : spaceLabel(space)}`;
}

/** One allocation's purpose: "paging-structure page for pid 2". */
export function pagePurposeText(purpose: PagePurposeDto): string {
  const words = WORDS[purpose.kind];
  return `${words.one}${forSpace(purpose, words)}`;
}

/** A run of allocations with one purpose: "130 paging-structure pages for pid 2 (eager)". */
export function pagePurposeRunText(purpose: PagePurposeDto, count: number): string {
  const words = WORDS[purpose.kind];
  const qualifier = words.qualifier === '' ? '' : ` (${words.qualifier})`;
  return `${plural(count, words.one, words.many)}${forSpace(purpose, words)}${qualifier}`;
}

export function samePagePurpose(a: PagePurposeDto | null, b: PagePurposeDto | null): boolean {
  return a !== null && b !== null && a.kind === b.kind && a.spaceId === b.spaceId;
}
