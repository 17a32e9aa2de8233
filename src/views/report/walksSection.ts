// The page-table walks of a step: for each walked address, the four levels the MMU reads from CR3
// (PML4 → PDPT → PD → PT), each with the table it reads, the index, the raw entry, its bits as
// chips and what the entry points at; the walk stops at the first entry that is not present.

import type { AddressSpaceDto, PageWalkDto, WalkLevelDto } from '../../protocol/dto';
import {
  decodeEntryBits,
  effectiveCacheType,
  entryAddress,
  entryPresent,
  pagingIndices,
} from '../../protocol/pagingEntry';
import { type Html, el, plural } from './html';
import { regionName, spaceName } from './names';

/** What an entry of each level points at when present. */
const POINTS_AT: Readonly<Record<WalkLevelDto['level'], string>> = {
  PML4: 'PDPT',
  PDPT: 'page directory',
  PD: 'page table',
  PT: 'page',
};

export function bitChips(raw: string, level: WalkLevelDto['level']): Html {
  return el(
    'span',
    { class: 'chips', 'aria-label': 'Entry bits' },
    decodeEntryBits(raw, level).map((bit) =>
      el(
        'span',
        {
          class: `chip bit ${bit.set ? 'bit-on' : 'bit-off'}`,
          title: `${bit.label} (bit ${bit.bit}) ${bit.set ? 'set' : 'clear'}: ${bit.meaning}`,
        },
        bit.label,
      ),
    ),
  );
}

function levelItem(level: WalkLevelDto): Html {
  const present = entryPresent(level.raw);
  return el(
    'li',
    { class: `level${present ? '' : ' absent'}` },
    el('span', { class: 'level-name' }, level.level),
    el(
      'span',
      {},
      el('span', { class: 'muted' }, 'table '),
      el('span', { class: 'mono' }, level.tableAddress),
    ),
    el('span', {}, el('span', { class: 'muted' }, 'index '), el('span', { class: 'mono' }, level.index)),
    el('span', {}, el('span', { class: 'muted' }, 'entry '), el('span', { class: 'mono raw' }, level.raw)),
    bitChips(level.raw, level.level),
    el(
      'span',
      { class: 'points' },
      present
        ? `→ ${POINTS_AT[level.level]} ${entryAddress(level.raw)}${level.level === 'PT' ? ` (${effectiveCacheType(level.raw)})` : ''}`
        : '✕ not present: the walk stops and the access faults',
    ),
  );
}

/** "PML4 0 · PDPT 0 · PD 0 · PT 16 · offset 0x0": the address cut into its indices. */
function indicesText(vaddr: string): string {
  const [pml4, pdpt, pd, pt] = pagingIndices(vaddr);
  const offset = BigInt(vaddr) & 0xfffn;
  return `PML4 ${pml4} · PDPT ${pdpt} · PD ${pd} · PT ${pt} · offset 0x${offset.toString(16)}`;
}

function walkFigure(walk: PageWalkDto, spaces: ReadonlyMap<string, AddressSpaceDto>): Html {
  const space = spaces.get(walk.spaceId);
  const region = space?.regions.find((r) => r.id === walk.regionId);
  return el(
    'figure',
    { class: 'walk' },
    el(
      'figcaption',
      {},
      el('b', {}, space === undefined ? walk.spaceId : spaceName(space)),
      ' ',
      el('span', { class: 'mono' }, walk.vaddr),
      region === undefined ? null : ` in ${regionName(region)}`,
      ' ',
      walk.paddr === null
        ? el('span', { class: 'badge failed' }, 'no translation')
        : el('span', {}, '→ ', el('span', { class: 'mono' }, walk.paddr)),
    ),
    el('div', { class: 'indices mono muted' }, indicesText(walk.vaddr)),
    el('ol', { class: 'levels' }, walk.levels.map(levelItem)),
  );
}

/** The walks of a step, or why there are none. */
export function walksSection(
  walks: readonly PageWalkDto[],
  leftOut: number,
  spaces: readonly AddressSpaceDto[],
): Html {
  const bySpace = new Map(spaces.map((space) => [space.id, space]));
  return el(
    'section',
    { class: 'part' },
    el('h3', {}, 'Page-table walks'),
    el(
      'p',
      { class: 'muted' },
      'The first resident page of each region (else its first mapped page), walked from CR3 as the MMU does.',
      leftOut > 0 ? ` ${plural(leftOut, 'more region')} left out.` : '',
    ),
    walks.length === 0
      ? el('p', { class: 'muted' }, 'No region has a present page to walk.')
      : walks.map((walk) => walkFigure(walk, bySpace)),
  );
}
