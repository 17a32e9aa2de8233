// Physical memory of a step: the system counters as a bar, and for every physical region its zones
// to scale (used and free pages of each), its frames coloured by owner, and each zone's buddy free
// lists as blocks per order.

import {
  type ChangeSetDto,
  FRAME_KINDS,
  type MachineStateDto,
  type PhysicalRegionDto,
  type SystemCountersDto,
  type ZoneDto,
} from '../../protocol/dto';
import { formatBytes } from '../../protocol/pagingEntry';
import { type Html, el, plural } from './html';
import { frameClass, frameLegend } from './legends';
import { COUNTER_NAMES } from './names';
import { type BarPart, type StripMark, barSvg, cellMarks, stripSvg, summarize, swatch } from './pictures';

/** Cells a frame strip is drawn in at most; a longer strip groups several frames per cell. */
export const MAX_FRAME_CELLS = 500;

const pages = (n: number): string => `${plural(n, 'page')} (${formatBytes(n * 4096)})`;

function countersFigure(c: SystemCountersDto): Html {
  const parts: BarPart[] = [
    { value: c.used, className: 'c-used', title: `used ${pages(c.used)}` },
    { value: c.committed, className: 'c-committed', title: `committed ${pages(c.committed)}` },
    { value: c.uncommitted, className: 'c-uncommitted', title: `uncommitted ${pages(c.uncommitted)}` },
  ];
  const keys: (keyof SystemCountersDto)[] = [
    'used',
    'committed',
    'uncommitted',
    'freeInZones',
    'physicalPages',
  ];
  return el(
    'figure',
    { class: 'counters' },
    el('figcaption', {}, el('b', {}, 'System memory')),
    barSvg(
      parts,
      c.physicalPages,
      `used ${c.used}, committed ${c.committed}, uncommitted ${c.uncommitted} of ${c.physicalPages} pages`,
    ),
    el(
      'dl',
      { class: 'counter-list' },
      keys.map((key) => [
        el('dt', { title: COUNTER_NAMES[key].meaning }, swatch(`c-${key}`), COUNTER_NAMES[key].name),
        el('dd', {}, pages(c[key])),
      ]),
    ),
  );
}

/** The zones of a region laid end to end, each split into its used and its free pages. */
function zonesBar(region: PhysicalRegionDto): Html {
  const parts: BarPart[] = region.zones.flatMap((zone) => {
    const used = zone.pageCount - zone.freePages;
    return [
      { value: used, className: 'z-used', title: `zone ${zone.id}: ${pages(used)} used` },
      { value: zone.freePages, className: 'z-free', title: `zone ${zone.id}: ${pages(zone.freePages)} free` },
    ];
  });
  parts.push({
    value: region.unzonedPages,
    className: 'f-unzoned',
    title: `${pages(region.unzonedPages)} in no zone`,
  });
  return barSvg(parts, region.pageCount, `Zones of physical region ${region.id}: used and free pages`);
}

/** The most telling owner of a group of frames: the commonest one that is not free. */
function dominantKind(kinds: Uint8Array, first: number, end: number): string {
  const counts = new Map<number, number>();
  for (let i = first; i < end; i++) counts.set(kinds[i]!, (counts.get(kinds[i]!) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [kind, count] of counts) if (kind !== 0 && count > bestCount) [best, bestCount] = [kind, count];
  return FRAME_KINDS[best] ?? 'free';
}

/** Frame runs that changed owner, as marks on the strip of frames [first, end). */
function changedFrames(changes: ChangeSetDto | null, first: number, end: number): StripMark[] {
  const marks: StripMark[] = [];
  for (const run of changes?.frameRuns ?? []) {
    const from = Math.max(first, run.start);
    const to = Math.min(end, run.start + run.count);
    if (from < to) marks.push({ first: from - first, count: to - from, className: 'm-modified' });
  }
  return marks;
}

/** The frames of a physical region coloured by owner, and the legend of the owners it holds. */
function framesStrip(region: PhysicalRegionDto, kinds: Uint8Array, changes: ChangeSetDto | null): Html {
  const first = Number(BigInt(region.lower) / 4096n);
  const end = Math.max(first, Math.min(kinds.length, Number(BigInt(region.upper) / 4096n)));
  const slice = kinds.subarray(first, end);
  const summary = summarize(
    slice.length,
    (i) => FRAME_KINDS[slice[i]!] ?? 'free',
    MAX_FRAME_CELLS,
    (a, b) => dominantKind(slice, a, b),
  );
  const present = new Set(summary.runs.map((run) => run.key));
  return el(
    'div',
    { class: 'frames' },
    stripSvg({
      length: slice.length,
      runs: summary.runs,
      classOf: frameClass,
      label: `Frames of physical region ${region.id} by owner`,
      className: 'frame-strip',
      marks: cellMarks(changedFrames(changes, first, end), summary.itemsPerCell, slice.length),
    }),
    el(
      'div',
      { class: 'muted' },
      `Frames ${region.lower}–${region.upper} by owner`,
      summary.itemsPerCell > 1
        ? `, drawn ${summary.itemsPerCell} frames per cell (the commonest owner that is not free)`
        : '',
      changes === null
        ? '.'
        : `; marked under it: frames whose owner changed since step ${changes.baseStep}.`,
    ),
    frameLegend(present),
  );
}

function freeLists(zone: ZoneDto): Html {
  const chips = zone.freeBlocksPerOrder.flatMap((blocks, order) =>
    blocks === 0
      ? []
      : [
          el(
            'span',
            {
              class: 'chip',
              title: `${plural(blocks, 'free block')} of order ${order} (${plural(2 ** order, 'page')} each)`,
            },
            `${order}:${blocks}`,
          ),
        ],
  );
  return el('span', { class: 'chips' }, chips.length > 0 ? chips : el('span', { class: 'muted' }, 'none'));
}

function zoneItem(zone: ZoneDto): Html {
  const used = zone.pageCount - zone.freePages;
  return el(
    'li',
    { class: 'zone' },
    el('b', {}, `zone ${zone.id}`),
    el('span', { class: 'mono' }, zone.base),
    el('span', {}, formatBytes(zone.pageCount * 4096)),
    el('span', {}, `${used} used, ${zone.freePages} free`),
    zone.full ? el('span', { class: 'badge' }, 'full') : null,
    freeLists(zone),
  );
}

function regionFigure(region: PhysicalRegionDto, kinds: Uint8Array, changes: ChangeSetDto | null): Html {
  return el(
    'figure',
    { class: 'physical' },
    el(
      'figcaption',
      {},
      el('b', {}, `Physical region ${region.id}`),
      ' ',
      el('span', { class: 'mono' }, `${region.lower}–${region.upper}`),
      el(
        'span',
        { class: 'muted' },
        ` · ${pages(region.pageCount)} · ${plural(region.zones.length, 'zone')}${region.unzonedPages > 0 ? ` · ${plural(region.unzonedPages, 'page')} in no zone` : ''}`,
      ),
    ),
    zonesBar(region),
    el(
      'ul',
      { class: 'legend' },
      el('li', {}, swatch('z-used'), 'used'),
      el('li', {}, swatch('z-free'), 'free'),
    ),
    framesStrip(region, kinds, changes),
    el(
      'p',
      { class: 'muted zones-caption' },
      'Each zone: base, size, used and free pages, and its buddy free lists as order:blocks (a block of order k is 2^k pages).',
    ),
    el('ol', { class: 'zones' }, region.zones.map(zoneItem)),
  );
}

/** The counters and every physical region of a state; `changes` marks what differs from the last step shown. */
export function zonesSection(state: MachineStateDto, changes: ChangeSetDto | null): Html {
  // The report is made in Node, whose decoder is far quicker than the protocol's portable one.
  const kinds = new Uint8Array(Buffer.from(state.frameMap.kinds, 'base64'));
  return el(
    'section',
    { class: 'part' },
    el('h3', {}, 'Physical memory and zones'),
    countersFigure(state.counters),
    state.physicalRegions.map((region) => regionFigure(region, kinds, changes)),
  );
}
