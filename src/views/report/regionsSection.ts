// The region tree of a step: for every address space a picture of its regions to scale between its
// lowest and highest address, and each region with its details and its page strip, the changed
// pages marked under the strip.

import { formatBytes, toHex } from '../../protocol/pagingEntry';
import type { AddressSpaceDto, ChangeSetDto, RegionDto } from '../../protocol/dto';
import { regionEntityId, spaceEntityId } from '../../protocol/stateDiff';
import { backingLabel } from '../../protocol/regionLabel';
import { type Html, el, plural } from './html';
import { pageClass, pageLegend } from './legends';
import { regionName, spaceName } from './names';
import {
  type Placed,
  type Run,
  type StripMark,
  axisSvg,
  cellMarks,
  stripSvg,
  summarizePages,
} from './pictures';

/** Cells a page strip is drawn in at most; a longer strip groups several pages per cell. */
export const MAX_STRIP_CELLS = 400;
/** Runs spelled out in words under a strip. */
const MAX_RUNS_IN_WORDS = 12;
/** Strips this short show where each page begins. */
const MAX_DIVIDED_PAGES = 128;
/** Address spaces and regions of each drawn per step; the rest are counted. */
export const MAX_SPACES = 24;
export const MAX_REGIONS_PER_SPACE = 64;

type ChangeKind = 'added' | 'modified' | 'removed';

function changeOf(changes: ChangeSetDto | null, id: string): ChangeKind | null {
  if (changes === null) return null;
  if (changes.added.includes(id)) return 'added';
  return changes.modified.includes(id) ? 'modified' : null;
}

function changeBadge(change: ChangeKind | null): Html | null {
  return change === null ? null : el('span', { class: `change change-${change}` }, change);
}

/** "R×2 L×1", a strip's runs in letters, shortened past a few runs. */
function runsInWords(runs: readonly Run[]): string {
  const words = runs.slice(0, MAX_RUNS_IN_WORDS).map((run) => `${run.key}×${run.count}`);
  if (runs.length > MAX_RUNS_IN_WORDS) words.push(`… ${plural(runs.length - MAX_RUNS_IN_WORDS, 'more run')}`);
  return words.join(' ');
}

function regionDetails(region: RegionDto, change: ChangeKind | null): Html {
  const vm = region.vmobject;
  const chip = (text: string, className = 'chip'): Html => el('span', { class: className }, text);
  return el(
    'div',
    { class: 'region-head' },
    el('span', { class: 'mono range' }, `${region.base}–${region.end}`),
    el('span', { class: 'mono access' }, region.access),
    el('b', { class: 'name' }, regionName(region)),
    el('span', {}, formatBytes(region.size)),
    region.flags.map((flag) => chip(flag)),
    chip(region.memoryType, `chip memtype-${region.memoryType}`),
    el(
      'span',
      { class: 'muted' },
      vm === null
        ? backingLabel(region)
        : `${backingLabel(region)}${vm.path === null ? '' : ` ${vm.path}`}${vm.purgeable ? (vm.volatile ? ' volatile' : ' non-volatile') : ''}`,
    ),
    el(
      'span',
      { class: 'muted' },
      `${formatBytes(region.amounts.resident)} resident${region.amounts.cowPages > 0 ? ` · ${region.amounts.cowPages.toLocaleString('en-US')} COW` : ''}`,
    ),
    changeBadge(change),
  );
}

const changedPagesByChanges = new WeakMap<ChangeSetDto, Map<string, StripMark[]>>();

/**
 * The changed pages of each region ("space/region") as marks, grouped once per change set: a fork
 * of a large region changes tens of thousands of runs, which every region would otherwise search.
 */
function changedPages(changes: ChangeSetDto | null): ReadonlyMap<string, readonly StripMark[]> {
  if (changes === null) return new Map();
  let grouped = changedPagesByChanges.get(changes);
  if (grouped === undefined) {
    grouped = new Map();
    for (const run of changes.pageRuns) {
      const key = `${run.spaceId}/${run.regionId}`;
      const marks = grouped.get(key) ?? [];
      marks.push({ first: run.first, count: run.count, className: `m-${run.change}` });
      grouped.set(key, marks);
    }
    changedPagesByChanges.set(changes, grouped);
  }
  return grouped;
}

function regionItem(space: AddressSpaceDto, region: RegionDto, changes: ChangeSetDto | null): Html {
  const change = changeOf(changes, regionEntityId(space.id, region.id));
  const pages = region.pages;
  const summary = summarizePages(pages, MAX_STRIP_CELLS);
  const exact = summarizePages(pages, Number.POSITIVE_INFINITY).runs;
  const words = runsInWords(exact);
  const runs = changedPages(changes).get(`${space.id}/${region.id}`) ?? [];
  const marks = cellMarks(runs, summary.itemsPerCell, pages.length);
  const strip = stripSvg({
    length: pages.length,
    runs: summary.runs,
    classOf: pageClass,
    label: `Pages of ${regionName(region)}: ${words}`,
    marks,
    dividers: pages.length <= MAX_DIVIDED_PAGES,
  });
  return el(
    'li',
    { class: `region${change === null ? '' : ` changed-${change}`}` },
    regionDetails(region, change),
    strip,
    el(
      'div',
      { class: 'strip-words mono' },
      words,
      // A strip of one state looks the same however it is drawn: the cells are worth a word only
      // when they may hide a state.
      summary.itemsPerCell > 1 && exact.length > 1
        ? el('span', { class: 'muted' }, ` (drawn ${summary.itemsPerCell} pages per cell)`)
        : null,
    ),
  );
}

const count = (n: number): string => n.toLocaleString('en-US');

function spaceCaption(space: AddressSpaceDto, change: ChangeKind | null): Html {
  const a = space.amounts;
  return el(
    'figcaption',
    {},
    el('b', {}, spaceName(space)),
    space.alive ? null : el('span', { class: 'badge failed' }, 'exited'),
    changeBadge(change),
    el(
      'span',
      { class: 'muted' },
      ` CR3 ${space.cr3} · ${plural(space.regions.length, 'region')} · ${formatBytes(a.virtual)} virtual · ${formatBytes(a.resident)} resident · ${formatBytes(a.shared)} shared · faults: ${count(space.faults.zero)} zero, ${count(space.faults.cow)} COW, ${count(space.faults.inode)} inode · ${plural(space.presentPteCount, 'present PTE')}`,
    ),
  );
}

/** The regions of a space to scale between its lowest and highest address, with both ends named. */
function spaceAxis(space: AddressSpaceDto): Html | null {
  if (space.regions.length === 0) return null;
  // Spread arguments would overflow the stack for a space of very many regions: fold instead.
  const from = space.regions.reduce((low, region) => Math.min(low, Number(BigInt(region.base))), Infinity);
  const to = space.regions.reduce((high, region) => Math.max(high, Number(BigInt(region.end))), 0);
  const placed: Placed[] = space.regions.map((region) => ({
    start: Number(BigInt(region.base)),
    length: region.size,
    className: 'region-range',
    title: `${regionName(region)} ${region.base}–${region.end}`,
  }));
  return el(
    'div',
    { class: 'space-axis' },
    axisSvg(from, to, placed, `Regions of ${spaceName(space)} to scale from ${toHex(from)} to ${toHex(to)}`),
    el(
      'div',
      { class: 'axis-ends mono' },
      el('span', {}, toHex(from)),
      el('span', {}, `${formatBytes(to - from)} to scale`),
      el('span', {}, toHex(to)),
    ),
  );
}

function spaceFigure(space: AddressSpaceDto, changes: ChangeSetDto | null): Html {
  const shown = space.regions.slice(0, MAX_REGIONS_PER_SPACE);
  const hidden = space.regions.length - shown.length;
  return el(
    'figure',
    { class: 'space' },
    spaceCaption(space, changeOf(changes, spaceEntityId(space.id))),
    space.alive
      ? null
      : el('p', { class: 'muted' }, 'The process has exited: its regions and page tables are gone.'),
    spaceAxis(space),
    shown.length > 0
      ? el(
          'ol',
          { class: 'regions' },
          shown.map((r) => regionItem(space, r, changes)),
        )
      : null,
    hidden > 0 ? el('p', { class: 'muted' }, `${plural(hidden, 'more region')} not drawn.`) : null,
  );
}

/** Every address space of the state with its regions; `changes` marks what differs from the last step shown. */
export function regionsSection(spaces: readonly AddressSpaceDto[], changes: ChangeSetDto | null): Html {
  const shown = spaces.slice(0, MAX_SPACES);
  const hidden = spaces.length - shown.length;
  return el(
    'section',
    { class: 'part' },
    el('h3', {}, 'Address spaces and regions'),
    pageLegend(),
    changes === null
      ? null
      : el(
          'p',
          { class: 'muted' },
          `A line under a strip marks the pages whose state changed since step ${changes.baseStep}: `,
          el('span', { class: 'change-added' }, 'added'),
          ', ',
          el('span', { class: 'change-modified' }, 'modified'),
          ' or ',
          el('span', { class: 'change-removed' }, 'removed'),
          '.',
        ),
    shown.map((space) => spaceFigure(space, changes)),
    hidden > 0 ? el('p', { class: 'muted' }, `${plural(hidden, 'more address space')} not drawn.`) : null,
  );
}
