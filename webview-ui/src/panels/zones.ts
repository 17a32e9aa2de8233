// Zones: the system counters as a stacked bar, physical regions and their buddy zones with usage and
// free blocks per order, and the frame map of all physical memory.
import type {
  PhysicalRegionDto,
  SelectionTargetDto,
  SystemCountersDto,
  ZoneDto,
} from '../../../src/protocol/dto';
import { formatBytes, toHex } from '../../../src/protocol/pagingEntry';
import { plural } from '../../../src/protocol/plural';
import { counterEntityId, zoneEntityId } from '../../../src/protocol/stateDiff';
import { FrameMap, frameLegend } from '../components/frameMap';
import { changeMarker, emptyState, header, removedList } from '../components/header';
import { clear, h, labelCells, setStyle } from '../dom';
import type { Store } from '../store';
import { thingAttrs } from '../thingContext';
import { counterThing } from '../../../src/protocol/things';

const pages = (n: number): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? 'page' : 'pages'} (${formatBytes(n * 4096)})`;

function bar(
  parts: { className: string; value: number; label: string }[],
  total: number,
  label: string,
): HTMLElement {
  const element = h('div', { class: 'bar', role: 'img', 'aria-label': label });
  for (const part of parts) {
    if (part.value <= 0 || total <= 0) continue;
    const segment = h('div', { class: `bar-part ${part.className}`, title: part.label });
    setStyle(segment, 'width', `${Math.max(0.2, (part.value / total) * 100)}%`);
    element.appendChild(segment);
  }
  return element;
}

/** A built section and what it was built from: kept while those are the same objects and marks. */
interface KeptSection {
  readonly inputs: readonly unknown[];
  readonly element: HTMLElement;
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** The counters the Zones panel lists, in order. */
const COUNTER_KEYS = ['used', 'committed', 'uncommitted', 'freeInZones', 'physicalPages'] as const;

export class ZonesView {
  private readonly root = h('div', { class: 'zones-view' });
  private readonly frameMap: FrameMap;
  /** Sections of the last render by key: a step that changes nothing they show keeps them. */
  private kept = new Map<string, KeptSection>();

  constructor(private readonly store: Store) {
    this.frameMap = new FrameMap({
      locate: (frame) => this.locate(frame),
      frameInfo: (frame) => store.requestFrameInfo(frame),
      select: (frame) => store.select({ kind: 'frame', paddr: toHex(frame * 4096) }),
      thing: (frame) => ({ kind: 'frame', paddr: toHex(frame * 4096) }),
      changedRuns: () => store.changeIndex.changes.frameRuns,
    });
    store.subscribe((event) => {
      if (event.kind === 'reveal') this.reveal(event.target);
      else this.render();
    });
  }

  mount(parent: HTMLElement): void {
    parent.appendChild(this.root);
    this.render();
  }

  render(): void {
    clear(this.root);
    const prefixes = ['zone:', 'counter:'];
    this.root.appendChild(header(this.store, 'Zones', prefixes));
    const state = this.store.state;
    if (state === null) {
      this.root.appendChild(emptyState(this.store.noSessionReason));
      return;
    }
    this.frameMap.setFrames(state.frameMap.kinds);
    const previous = this.kept;
    this.kept = new Map();
    const section = (key: string, inputs: unknown[], build: () => HTMLElement): HTMLElement => {
      const old = previous.get(key);
      const element = old !== undefined && sameInputs(old.inputs, inputs) ? old.element : build();
      this.kept.set(key, { inputs, element });
      return element;
    };
    const status = (id: string): string | null => this.store.changeIndex.statusOf(id);
    const counterMarks = COUNTER_KEYS.map((key) => status(counterEntityId(key)));
    this.root.append(
      section('counters', [state.counters, ...counterMarks], () => this.countersSection(state.counters)),
      h(
        'section',
        { class: 'card', 'aria-label': 'Physical frame map' },
        h('h2', {}, `Physical frame map · ${state.frameMap.frameCount.toLocaleString('en-US')} frames`),
        frameLegend(),
        this.frameMap.element,
      ),
      ...state.physicalRegions.map((region) =>
        section(
          `region:${region.id}`,
          [region, ...region.zones.map((zone) => status(zoneEntityId(zone.id)))],
          () => this.regionSection(region),
        ),
      ),
    );
    const removed = removedList(this.store, prefixes);
    if (removed !== null) this.root.appendChild(removed);
  }

  private countersSection(c: SystemCountersDto): HTMLElement {
    const label = `used ${c.used}, committed ${c.committed}, uncommitted ${c.uncommitted} of ${plural(c.physicalPages, 'page')}`;
    const items: [(typeof COUNTER_KEYS)[number], string, string][] = [
      ['used', 'Used', 'pages allocated (physical_pages_used)'],
      ['committed', 'Committed', 'promised to commitments, not yet allocated'],
      ['uncommitted', 'Uncommitted', 'neither used nor promised'],
      ['freeInZones', 'Free in zones', 'pages the buddy allocators hold free'],
      ['physicalPages', 'Total', 'physical_pages = used + committed + uncommitted'],
    ];
    return h(
      'section',
      { class: 'card counters', 'aria-label': 'System memory counters' },
      h('h2', {}, 'System memory'),
      bar(
        [
          { className: 'counter-used', value: c.used, label: `used ${pages(c.used)}` },
          { className: 'counter-committed', value: c.committed, label: `committed ${pages(c.committed)}` },
          {
            className: 'counter-uncommitted',
            value: c.uncommitted,
            label: `uncommitted ${pages(c.uncommitted)}`,
          },
        ],
        c.physicalPages,
        label,
      ),
      h(
        'dl',
        { class: 'counter-list' },
        ...items.flatMap(([key, name, meaning]) => {
          const change = this.store.changeIndex.statusOf(counterEntityId(key));
          return [
            h(
              'dt',
              { title: meaning, ...thingAttrs(counterThing(key)) },
              h('span', { class: `swatch counter-${key}`, 'aria-hidden': 'true' }),
              name,
            ),
            h(
              'dd',
              {
                class: change === null ? '' : `changed-${change}`,
                'data-counter': key,
                ...thingAttrs(counterThing(key)),
              },
              pages(c[key]),
              changeMarker(change),
            ),
          ];
        }),
      ),
    );
  }

  private regionSection(region: PhysicalRegionDto): HTMLElement {
    const head = h(
      'tr',
      {},
      ...['Zone', 'Base', 'Size', 'Usage', 'Free', ...Array.from({ length: 13 }, (_, k) => `${k}`), ''].map(
        (title, i) =>
          h(
            'th',
            {
              scope: 'col',
              class: i >= 5 && i < 18 ? 'order' : '',
              'data-label': i >= 5 && i < 18 ? `order ${i - 5}:` : undefined,
              title:
                i >= 5 && i < 18
                  ? `free blocks of order ${i - 5} (${plural(2 ** (i - 5), 'page')} each)`
                  : '',
            },
            title,
          ),
      ),
    );
    return h(
      'section',
      { class: 'card', 'aria-label': `Physical region ${region.id}` },
      h(
        'h2',
        {},
        `Physical region ${region.id}: `,
        h('span', { class: 'mono' }, `${region.lower}–${region.upper}`),
        ` · ${pages(region.pageCount)}`,
        region.unzonedPages > 0
          ? h(
              'span',
              {
                class: 'muted',
                title: 'A tail of fewer than 256 pages belongs to no zone: never allocated, still counted',
              },
              ` · ${plural(region.unzonedPages, 'page')} in no zone`,
            )
          : '',
      ),
      h(
        'div',
        { class: 'zone-scroll' },
        labelCells(
          h(
            'table',
            { class: 'zone-table' },
            h('caption', { class: 'muted' }, 'Buddy free lists: free blocks per order'),
            h('thead', {}, head),
            h('tbody', {}, ...region.zones.map((zone) => this.zoneRow(zone))),
          ),
        ),
      ),
    );
  }

  private zoneRow(zone: ZoneDto): HTMLElement {
    const used = zone.pageCount - zone.freePages;
    const change = this.store.changeIndex.statusOf(zoneEntityId(zone.id));
    return h(
      'tr',
      {
        class: `${change === null ? '' : `changed-${change}`}`,
        'data-zone': zone.id,
        ...thingAttrs({ kind: 'zone', zoneId: zone.id }),
        title: `zone ${zone.id}: ${used} of ${plural(zone.pageCount, 'page')} used${zone.full ? ', in the full list' : ''}`,
      },
      h('th', { scope: 'row' }, zone.id),
      h('td', { class: 'mono' }, zone.base),
      h('td', {}, formatBytes(zone.pageCount * 4096)),
      h(
        'td',
        { class: 'usage' },
        bar(
          [
            { className: 'counter-used', value: used, label: `${used} used` },
            { className: 'counter-free', value: zone.freePages, label: `${zone.freePages} free` },
          ],
          zone.pageCount,
          `${used} of ${plural(zone.pageCount, 'page')} used`,
        ),
      ),
      h(
        'td',
        { class: 'num' },
        String(zone.freePages),
        zone.full ? h('span', { class: 'badge' }, 'full') : '',
      ),
      ...zone.freeBlocksPerOrder.map((n) =>
        h('td', { class: `num order${n === 0 ? ' muted' : ''}` }, String(n)),
      ),
      h('td', {}, changeMarker(change)),
    );
  }

  private locate(frame: number): string {
    const paddr = frame * 4096;
    for (const region of this.store.state?.physicalRegions ?? []) {
      for (const zone of region.zones) {
        const base = Number(BigInt(zone.base));
        if (paddr >= base && paddr < base + zone.pageCount * 4096) return `zone ${zone.id}`;
      }
      if (paddr >= Number(BigInt(region.lower)) && paddr < Number(BigInt(region.upper)))
        return `region ${region.id}, no zone`;
    }
    return 'outside every physical region';
  }

  private reveal(target: SelectionTargetDto): void {
    if (target.kind !== 'frame') return;
    const frame = Number(BigInt(target.paddr) / 4096n);
    if (frame >= this.frameMap.frameCount) return;
    this.frameMap.setCursor(frame);
    this.frameMap.element.scrollIntoView({ block: 'nearest' });
  }
}
