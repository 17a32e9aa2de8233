// Page tables: the walk of one virtual address through PML4 → PDPT → PD → PT, and every present PTE
// of an address space in a virtualized table, filterable by region.
import type {
  AddressSpaceDto,
  PageWalkDto,
  PteRowDto,
  RegionDto,
  SelectionTargetDto,
} from '../../../src/protocol/dto';
import {
  decodeEntryBits,
  effectiveCacheType,
  entryAddress,
  entryPresent,
  PAGE_SIZE,
  pagingIndices,
  parseAddress,
  toHex,
} from '../../../src/protocol/pagingEntry';
import { regionLabel } from '../../../src/protocol/regionLabel';
import { walkableSpaceId } from '../../../src/protocol/spaceChoice';
import { entryChips } from '../components/chips';
import { changeMarker, emptyState, header } from '../components/header';
import { VirtualTable } from '../components/virtualTable';
import { clear, h, icon, labelCells } from '../dom';
import type { Store } from '../store';
import { thingAttrs } from '../thingContext';
import { spaceLabel } from './regionTree';

const isString = (value: unknown): value is string => typeof value === 'string';
const isNullableString = (value: unknown): value is string | null =>
  value === null || typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number';

export class PageTablesView {
  private readonly root = h('div', { class: 'page-tables-view' });
  private readonly headerSlot = h('div');
  private readonly controls = h('div', { class: 'controls' });
  private readonly walkSection = h('section', { class: 'walk', 'aria-label': 'Page-table walk' });
  private readonly tableInfo = h('div', { class: 'table-info', role: 'status' });
  private readonly table: VirtualTable<PteRowDto>;
  private spaceId: string;
  private regionFilter: string | null;
  private vaddr: string;
  private regions = new Map<string, RegionDto>();
  private walkGeneration = 0;
  private walkPending = false;

  constructor(private readonly store: Store) {
    this.spaceId = store.getUi('spaceId', '', isString);
    this.regionFilter = store.getUi('regionFilter', null, isNullableString);
    this.vaddr = store.getUi('vaddr', '', isString);
    this.table = new VirtualTable<PteRowDto>({
      label: 'Present page-table entries',
      // What one reads first comes first, so that it stays in view when a narrow panel scrolls the
      // table sideways; the raw value only repeats frame and bits.
      columns: [
        {
          title: 'Virtual address',
          shortTitle: 'Address',
          className: 'mono col-vaddr',
          minWidth: '8em',
          sizing: 'fit',
          render: (row) => row.vaddr,
        },
        {
          title: 'Frame',
          secondary: true,
          className: 'mono col-frame',
          minWidth: '6em',
          sizing: 'fit',
          render: (row) => entryAddress(row.raw),
          thing: (row) => ({ kind: 'frame', paddr: entryAddress(row.raw) }),
        },
        {
          title: 'Bits',
          className: 'col-bits',
          minWidth: '12em',
          sizing: 'fit',
          render: (row) => entryChips(row.raw),
        },
        {
          title: 'Cache',
          secondary: true,
          className: 'col-cache',
          minWidth: '2.5em',
          sizing: 'fit',
          render: (row) => effectiveCacheType(row.raw),
        },
        {
          title: 'Raw PTE',
          secondary: true,
          className: 'mono col-raw',
          minWidth: '10em',
          sizing: 'fit',
          render: (row) => row.raw,
        },
        {
          title: 'Region',
          className: 'col-region',
          minWidth: '6em',
          sizing: 'grow',
          render: (row) => this.regionName(row),
          thing: (row) =>
            row.regionId === null ? null : { kind: 'region', space: this.spaceId, regionId: row.regionId },
        },
        {
          title: '',
          className: 'col-change',
          minWidth: '1.6em',
          sizing: 'fixed',
          render: (row) => changeMarker(this.rowChange(row)) ?? '',
        },
      ],
      fetch: async (from, to) => {
        const reply = await this.store.requestPteRows(this.spaceId, this.regionFilter, from, to);
        this.showTotal(reply.total);
        return { total: reply.total, rows: reply.rows };
      },
      activate: (row) => {
        this.walk(row.vaddr);
        this.store.select({ kind: 'page', spaceId: this.spaceId, vaddr: row.vaddr });
      },
      rowTitle: (row) => this.rowTitle(row),
      rowThing: (row) => ({ kind: 'pte', space: this.spaceId, vaddr: row.vaddr }),
      rowClass: (row) => {
        const change = this.rowChange(row);
        return change === null ? '' : `changed-${change}`;
      },
      scrolled: (first) => this.store.setUi('firstRow', first),
      // Beside the editor (about 480 px) the seven columns do not fit: address, bits and region stay,
      // and a row's frame, caching and raw value are in its detail (→ or its chevron), its tooltip
      // and its walk (Enter).
      narrowBelow: 720,
      // A PTE is the same row while its space maps the same page: an open detail follows it from
      // step to step and closes when the page is unmapped or another space is shown.
      rowKey: (row) => `${this.spaceId} ${row.vaddr}`,
    });
    store.subscribe((event) => {
      if (event.kind === 'reveal') void this.reveal(event.target);
      else if (event.kind === 'changes' || event.kind === 'shared') {
        this.renderHeader();
        this.table.render();
      } else this.render();
    });
  }

  mount(parent: HTMLElement): void {
    parent.appendChild(this.root);
    this.root.append(this.headerSlot, this.controls, this.walkSection, this.tableInfo, this.table.element);
    this.render();
    const first = this.store.getUi('firstRow', 0, isNumber);
    if (first > 0) requestAnimationFrame(() => this.table.scrollToIndex(first));
  }

  /** The walk and the PTE rows in view are those of the shown step. */
  settled(): boolean {
    return !this.walkPending && this.table.settled;
  }

  private space(): AddressSpaceDto | undefined {
    return this.store.state?.addressSpaces.find((space) => space.id === this.spaceId);
  }

  private renderHeader(): void {
    clear(this.headerSlot);
    this.headerSlot.appendChild(header(this.store, 'Page tables', ['space:', 'region:']));
  }

  render(): void {
    this.renderHeader();
    const state = this.store.state;
    this.root.classList.toggle('no-session', state === null);
    clear(this.controls);
    clear(this.walkSection);
    if (state === null) {
      this.controls.appendChild(emptyState(this.store.noSessionReason));
      this.table.reset(0);
      clear(this.tableInfo);
      return;
    }
    // The remembered space may be a process of an earlier session or one that exited since: its
    // page tables are gone, so a live space takes its place; the stored choice stays for a later
    // session where that process lives.
    this.spaceId = walkableSpaceId(state.addressSpaces, this.spaceId);
    const space = this.space();
    this.regions = new Map((space?.regions ?? []).map((region) => [region.id, region]));
    if (this.regionFilter !== null && !this.regions.has(this.regionFilter)) this.regionFilter = null;
    this.renderControls(state.addressSpaces);
    this.table.reset(this.regionFilter === null ? (space?.presentPteCount ?? 0) : this.filteredGuess());
    this.showTotal(this.table.length);
    if (this.vaddr !== '') this.walk(this.vaddr);
    else this.walkSection.appendChild(h('p', { class: 'muted' }, 'Enter a virtual address to see its walk.'));
  }

  /** Until the extension says, a filtered table is as long as the region's non-empty pages. */
  private filteredGuess(): number {
    const region = this.regionFilter === null ? undefined : this.regions.get(this.regionFilter);
    return region === undefined ? 0 : [...region.pages].filter((letter) => letter !== 'N').length;
  }

  private showTotal(total: number): void {
    const region = this.regionFilter === null ? null : this.regions.get(this.regionFilter);
    this.tableInfo.textContent = `${total.toLocaleString('en-US')} present PTEs${region ? ` in ${region.name}` : ''}`;
  }

  private renderControls(spaces: AddressSpaceDto[]): void {
    const spaceSelect = h('select', { 'aria-label': 'Address space' });
    for (const space of spaces) {
      spaceSelect.appendChild(
        h(
          'option',
          { value: space.id, selected: space.id === this.spaceId, disabled: !space.alive },
          `${spaceLabel(space)}${space.alive ? '' : ' — exited, no page tables'}`,
        ),
      );
    }
    spaceSelect.addEventListener('change', () => {
      this.spaceId = spaceSelect.value;
      this.regionFilter = null;
      this.store.setUi('spaceId', this.spaceId);
      this.store.setUi('regionFilter', null);
      this.render();
    });
    const regionSelect = h('select', { 'aria-label': 'Show the PTEs of region' });
    regionSelect.appendChild(h('option', { value: '' }, 'all regions'));
    for (const region of this.regions.values()) {
      regionSelect.appendChild(
        h(
          'option',
          { value: region.id, selected: region.id === this.regionFilter },
          `${regionLabel(region)} ${region.base}`,
        ),
      );
    }
    regionSelect.addEventListener('change', () => {
      this.regionFilter = regionSelect.value === '' ? null : regionSelect.value;
      this.store.setUi('regionFilter', this.regionFilter);
      this.table.reset(
        this.regionFilter === null ? (this.space()?.presentPteCount ?? 0) : this.filteredGuess(),
      );
      this.showTotal(this.table.length);
    });
    const input = h('input', {
      type: 'text',
      class: 'mono vaddr-input',
      placeholder: '0x1000000',
      value: this.vaddr,
      'aria-label': 'Virtual address to walk',
      spellcheck: 'false',
    });
    const error = h('span', { class: 'input-error', role: 'alert' });
    const go = (): void => {
      const vaddr = parseAddress(input.value);
      if (vaddr === null) {
        error.textContent = `"${input.value}" is not an address`;
        input.setAttribute('aria-invalid', 'true');
        return;
      }
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      this.walk(vaddr);
      this.store.select({ kind: 'address', spaceId: this.spaceId, vaddr });
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') go();
    });
    const button = h('button', { class: 'button' }, icon('arrow-right'), 'Walk');
    button.addEventListener('click', go);
    this.controls.append(
      h('label', {}, 'Address space ', spaceSelect),
      h('label', {}, 'Virtual address ', input),
      button,
      error,
      h('label', { class: 'push-right' }, 'Filter ', regionSelect),
    );
  }

  walk(vaddr: string): void {
    this.vaddr = vaddr;
    this.store.setUi('vaddr', vaddr);
    const input = this.controls.querySelector<HTMLInputElement>('.vaddr-input');
    if (input !== null) input.value = vaddr;
    const generation = ++this.walkGeneration;
    this.walkPending = true;
    this.store.requestPageWalk(this.spaceId, vaddr).then(
      (walk) => {
        if (generation !== this.walkGeneration) return;
        this.walkPending = false;
        this.showWalk(walk);
      },
      (error: unknown) => {
        if (generation !== this.walkGeneration) return;
        this.walkPending = false;
        clear(this.walkSection);
        this.walkSection.appendChild(h('p', { class: 'input-error' }, `No walk: ${String(error)}`));
      },
    );
  }

  private showWalk(walk: PageWalkDto): void {
    clear(this.walkSection);
    const indices = pagingIndices(walk.vaddr);
    const page = toHex(BigInt(walk.vaddr) - (BigInt(walk.vaddr) % BigInt(PAGE_SIZE)));
    const rows = walk.levels.map((level, i) => {
      const present = entryPresent(level.raw);
      // The last level is the page's PTE; where an entry leads is a frame (a table or the page).
      return h(
        'tr',
        {
          class: present ? 'present' : 'not-present',
          'data-level': level.level,
          ...thingAttrs(i === 3 ? { kind: 'pte', space: walk.spaceId, vaddr: page } : null),
        },
        // The path of the walk (index, bits, where the entry leads) first, so that a narrow panel
        // shows it without scrolling; the raw entry and the table's own address after it.
        h('th', { scope: 'row' }, level.level),
        h('td', { class: 'mono', title: `Index from bits of ${walk.vaddr}` }, `[${level.index}]`),
        h('td', {}, entryChips(level.raw, level.level)),
        h(
          'td',
          {
            class: 'mono',
            ...thingAttrs(present ? { kind: 'frame', paddr: entryAddress(level.raw) } : null),
          },
          present ? `→ ${entryAddress(level.raw)}` : h('span', { class: 'not-present-label' }, 'not present'),
        ),
        h('td', { class: 'muted' }, i === 3 && present ? effectiveCacheType(level.raw) : ''),
        h('td', { class: 'mono' }, level.raw),
        h('td', { class: 'mono', title: 'Physical address of the table' }, level.tableAddress),
      );
    });
    const region = walk.regionId === null ? undefined : this.regions.get(walk.regionId);
    const outcome =
      walk.paddr === null
        ? `${walk.vaddr} is not mapped: the walk stops at ${walk.levels[walk.levels.length - 1]?.level ?? 'PML4'}`
        : `${walk.vaddr} → physical ${walk.paddr}`;
    this.walkSection.append(
      h(
        'p',
        { class: 'walk-title' },
        h('span', { class: 'mono' }, walk.vaddr),
        ` indices PML4 ${indices[0]} · PDPT ${indices[1]} · PD ${indices[2]} · PT ${indices[3]}`,
        region === undefined ? '' : ` · region ${region.name}`,
      ),
      h(
        'div',
        { class: 'walk-scroll' },
        labelCells(
          h(
            'table',
            { class: 'walk-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Level', 'Index', 'Bits', 'Next', 'Cache', 'Raw', 'Table'].map((title) =>
                  h('th', { scope: 'col' }, title),
                ),
              ),
            ),
            h('tbody', {}, ...rows),
          ),
        ),
      ),
      h(
        'p',
        { class: `walk-result ${walk.paddr === null ? 'not-present-label' : ''}`, role: 'status' },
        outcome,
      ),
    );
  }

  private regionOf(row: PteRowDto): RegionDto | undefined {
    return row.regionId === null ? undefined : this.regions.get(row.regionId);
  }

  private regionName(row: PteRowDto): string {
    return this.regionOf(row)?.name ?? '';
  }

  private rowChange(row: PteRowDto): 'added' | 'modified' | 'removed' | null {
    const region = this.regionOf(row);
    if (region === undefined) return null;
    const index = Number((BigInt(row.vaddr) - BigInt(region.base)) / 4096n);
    return this.store.changeIndex.pageStatus(this.spaceId, region.id, index);
  }

  private rowTitle(row: PteRowDto): string {
    const bits = decodeEntryBits(row.raw)
      .filter((bit) => bit.set)
      .map((bit) => bit.label)
      .join(' ');
    const region = this.regionOf(row);
    return `${row.vaddr} → frame ${entryAddress(row.raw)}, bits ${bits}, cache ${effectiveCacheType(row.raw)}, raw ${row.raw}${
      region === undefined ? '' : `, region ${region.name}`
    }`;
  }

  /** Another view selected a region (filter to it), or an address or page (walk it, scroll to its PTE). */
  private async reveal(target: SelectionTargetDto): Promise<void> {
    if (target.kind === 'region') {
      this.spaceId = target.spaceId;
      this.regionFilter = target.regionId;
      this.store.setUi('spaceId', this.spaceId);
      this.store.setUi('regionFilter', this.regionFilter);
      this.render();
      return;
    }
    if (target.kind !== 'address' && target.kind !== 'page') return;
    if (target.spaceId !== this.spaceId) {
      this.spaceId = target.spaceId;
      this.regionFilter = null;
      this.store.setUi('spaceId', this.spaceId);
      this.render();
    }
    this.walk(target.vaddr);
    const index = await this.store
      .requestPteRowIndex(this.spaceId, this.regionFilter, target.vaddr)
      .catch(() => null);
    if (index !== null) {
      this.table.setActive(index, false);
      this.table.scrollToIndex(index);
    }
  }
}
