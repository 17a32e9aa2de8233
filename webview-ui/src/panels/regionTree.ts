// Region tree: address spaces → regions → each region's page strip, with amounts and what changed.
// The same view serves the Regions panel and, compact, the sidebar's region tree view.
import type { AddressSpaceDto, RegionDto, SelectionTargetDto } from '../../../src/protocol/dto';
import { formatBytes } from '../../../src/protocol/pagingEntry';
import { plural } from '../../../src/protocol/plural';
import { regionEntityId, spaceEntityId } from '../../../src/protocol/stateDiff';
import { backingLabel, regionLabel } from '../../../src/protocol/regionLabel';
import { changeMarker, emptyState, header, removedList } from '../components/header';
import { PageStrip, pageLegend } from '../components/pageStrip';
import { attachTreeKeyboard, focusTreeItem, setExpanded } from '../components/treeKeyboard';
import { clear, h, icon } from '../dom';
import type { ThingRef } from '../../../src/protocol/things';
import type { Store } from '../store';
import { byMouse, markThing, thingAttrs } from '../thingContext';

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

export function spaceLabel(space: AddressSpaceDto): string {
  return space.kind === 'kernel' ? 'kernel' : `${space.name} (pid ${space.pid ?? '?'})`;
}

function spaceTooltip(space: AddressSpaceDto): string {
  const a = space.amounts;
  return [
    `${spaceLabel(space)}${space.alive ? '' : ' — exited'}, CR3 ${space.cr3}`,
    `virtual ${formatBytes(a.virtual)}, resident ${formatBytes(a.resident)}, shared ${formatBytes(a.shared)}`,
    `dirty private ${formatBytes(a.dirtyPrivate)}, clean inode ${formatBytes(a.cleanInode)}`,
    `purgeable volatile ${formatBytes(a.purgeableVolatile)}, non-volatile ${formatBytes(a.purgeableNonvolatile)}`,
    `faults: ${space.faults.zero} zero, ${space.faults.cow} COW, ${space.faults.inode} inode; ${space.presentPteCount} present PTEs`,
  ].join('\n');
}

function regionTooltip(region: RegionDto): string {
  const vm = region.vmobject;
  const a = region.amounts;
  return [
    `${regionLabel(region)}: [${region.base}, ${region.end}) ${formatBytes(region.size)}`,
    `access ${region.access}${region.flags.length > 0 ? `, ${region.flags.join(', ')}` : ''}, memory type ${region.memoryType}`,
    vm === null
      ? `no VMObject: the kernel reserved this range at boot and mapped it by hand`
      : `${vm.kind}VMObject #${vm.id} (${plural(vm.pageCount, 'page')}${vm.path === null ? '' : `, ${vm.path}`}${
          vm.purgeable ? `, purgeable ${vm.volatile ? 'volatile' : 'non-volatile'}` : ''
        }), offset ${formatBytes(region.offsetInVMObject)}`,
    `resident ${formatBytes(a.resident)}, shared ${formatBytes(a.shared)}, dirty ${formatBytes(a.dirty)}, COW ${plural(a.cowPages, 'page')}`,
  ].join('\n');
}

function amountsText(space: AddressSpaceDto): string {
  return `${formatBytes(space.amounts.virtual)} virtual · ${formatBytes(space.amounts.resident)} resident`;
}

export class RegionTreeView {
  private readonly root = h('div', { class: 'region-tree-view' });
  private readonly strips = new Map<string, PageStrip>();
  /** The strips of the last render, reused while their pages and changes are the same. */
  private previousStrips = new Map<string, PageStrip>();
  private tree: HTMLElement | null = null;
  /** Keys of expanded items; address spaces start expanded, regions collapsed. */
  private expanded: Set<string>;
  private collapsed: Set<string>;

  constructor(
    private readonly store: Store,
    private readonly compact: boolean,
  ) {
    this.expanded = new Set(store.getUi('expanded', [], isStringArray));
    this.collapsed = new Set(store.getUi('collapsed', [], isStringArray));
    store.subscribe((event) => {
      if (event.kind === 'reveal') this.reveal(event.target);
      else this.render();
    });
  }

  mount(parent: HTMLElement): void {
    parent.appendChild(this.root);
    this.render();
  }

  private isExpanded(key: string, byDefault: boolean): boolean {
    return byDefault ? !this.collapsed.has(key) : this.expanded.has(key);
  }

  private remember(key: string, expanded: boolean, byDefault: boolean): void {
    const set = byDefault ? this.collapsed : this.expanded;
    if (expanded !== byDefault) set.add(key);
    else set.delete(key);
    this.store.setUi('expanded', [...this.expanded]);
    this.store.setUi('collapsed', [...this.collapsed]);
  }

  render(): void {
    const focusedKey = (document.activeElement as HTMLElement | null)?.dataset?.['key'];
    clear(this.root);
    const previous = new Map(this.strips);
    this.strips.clear();
    this.root.classList.toggle('compact', this.compact);
    const prefixes = ['space:', 'region:'];
    this.root.appendChild(header(this.store, this.compact ? 'Regions' : 'Region tree', prefixes));
    const state = this.store.state;
    if (state === null) {
      this.root.appendChild(emptyState(this.store.noSessionReason));
      return;
    }
    this.root.appendChild(pageLegend());
    const tree = h('ul', { class: 'tree', role: 'tree', 'aria-label': 'Address spaces and their regions' });
    this.previousStrips = previous;
    for (const space of state.addressSpaces) tree.appendChild(this.spaceItem(space));
    this.previousStrips = new Map();
    attachTreeKeyboard(tree, {
      activate: (item) => this.activate(item),
      itemKey: (item, event) => this.stripKey(item, event),
      toggled: (item, expanded) => {
        const key = item.dataset['key'] ?? '';
        this.remember(key, expanded, key.startsWith('space:'));
      },
    });
    this.tree = tree;
    this.root.appendChild(tree);
    const removed = removedList(this.store, prefixes);
    if (removed !== null) this.root.appendChild(removed);
    const first =
      (focusedKey === undefined ? null : this.find(focusedKey)) ??
      tree.querySelector<HTMLElement>('[role="treeitem"]');
    if (first !== null) first.tabIndex = 0;
    if (focusedKey !== undefined && first?.dataset['key'] === focusedKey)
      first.focus({ preventScroll: true });
  }

  private find(key: string): HTMLElement | null {
    return this.tree?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`) ?? null;
  }

  private spaceItem(space: AddressSpaceDto): HTMLElement {
    const key = spaceEntityId(space.id);
    const change = this.store.changeIndex.statusOf(key);
    const item = h('li', {
      role: 'treeitem',
      'aria-level': 1,
      'aria-expanded': String(this.isExpanded(key, true)),
      'data-key': key,
      tabindex: -1,
      class: `space${change === null ? '' : ` changed-${change}`}${space.alive ? '' : ' dead'}`,
      title: spaceTooltip(space),
    });
    item.appendChild(
      h(
        'div',
        { class: 'row space-row' },
        h('span', { class: 'twistie' }, icon('chevron-right')),
        icon(space.kind === 'kernel' ? 'server-process' : 'symbol-method'),
        h('span', { class: 'space-name' }, spaceLabel(space)),
        h('span', { class: 'amounts' }, amountsText(space)),
        h('span', { class: 'muted' }, plural(space.regions.length, 'region')),
        changeMarker(change),
      ),
    );
    const group = h('ul', { role: 'group' });
    for (const region of space.regions) group.appendChild(this.regionItem(space, region));
    item.appendChild(group);
    return item;
  }

  private regionItem(space: AddressSpaceDto, region: RegionDto): HTMLElement {
    const key = regionEntityId(space.id, region.id);
    const change = this.store.changeIndex.statusOf(key);
    const item = h('li', {
      role: 'treeitem',
      'aria-level': 2,
      'aria-expanded': String(this.isExpanded(key, false)),
      'data-key': key,
      'data-space': space.id,
      'data-region': region.id,
      ...thingAttrs({ kind: 'region', space: space.id, regionId: region.id }),
      tabindex: -1,
      class: `region${change === null ? '' : ` changed-${change}`}`,
      title: regionTooltip(region),
    });
    const binary =
      region.memoryReference === null
        ? null
        : h(
            'button',
            {
              class: 'icon-button',
              title: 'Open in Binary View',
              'aria-label': `Open ${region.name} in Binary View`,
            },
            icon('file-binary'),
          );
    binary?.addEventListener('click', () =>
      this.store.post({ type: 'openInBinaryView', spaceId: space.id, regionId: region.id }),
    );
    item.appendChild(
      h(
        'div',
        { class: 'row region-row' },
        h('span', { class: 'twistie' }, icon('chevron-right')),
        h('span', { class: 'mono range' }, this.compact ? region.base : `${region.base}–${region.end}`),
        h('span', { class: 'mono access' }, region.access),
        h('span', { class: 'name' }, regionLabel(region)),
        // One column each in a wide panel; a second line of their own in a narrow one.
        h(
          'span',
          { class: 'details' },
          h('span', { class: 'size' }, formatBytes(region.size)),
          h('span', { class: 'flags' }, ...region.flags.map((flag) => h('span', { class: 'chip' }, flag))),
          h(
            'span',
            { class: `memtype memtype-${region.memoryType}`, title: `Memory type ${region.memoryType}` },
            region.memoryType,
          ),
          h('span', { class: 'vmobject' }, backingLabel(region)),
          h(
            'span',
            { class: 'amounts' },
            `${formatBytes(region.amounts.resident)} res`,
            region.amounts.cowPages > 0 ? ` · ${region.amounts.cowPages} COW` : '',
          ),
        ),
        changeMarker(change),
        binary,
      ),
    );
    const changes = this.store.changeIndex.pageRunsOf(space.id, region.id);
    const kept = this.previousStrips.get(key);
    // A step that left the region's pages alone keeps its strip: canvas, drawing and cursor.
    const strip =
      kept !== undefined && kept.shows(region.pages, region.base, changes)
        ? kept
        : new PageStrip({
            pages: region.pages,
            base: BigInt(region.base),
            changes,
            select: (index) =>
              this.store.select({ kind: 'page', spaceId: space.id, vaddr: strip.pageAddress(index) }),
            thing: (index): ThingRef => ({ kind: 'page', space: space.id, vaddr: strip.pageAddress(index) }),
          });
    this.strips.set(key, strip);
    const stripItem = h(
      'li',
      {
        role: 'treeitem',
        'aria-level': 3,
        'data-key': `pages:${space.id}/${region.id}`,
        tabindex: -1,
        class: 'strip-item',
        'aria-label': `Pages of ${region.name}: ${strip.summary()}. Left and Right move between pages.`,
      },
      strip.canvas,
      strip.pagesPerCell > 1
        ? h('span', { class: 'muted' }, `${plural(strip.pagesPerCell, 'page')} per cell`)
        : null,
    );
    // From the keyboard the menu opens on the focused strip item: the page under the cursor.
    stripItem.addEventListener('contextmenu', (event) => {
      if (!byMouse(event)) markThing(stripItem, strip.cursorThing());
    });
    item.appendChild(h('ul', { role: 'group' }, stripItem));
    return item;
  }

  private activate(item: HTMLElement): void {
    const space = item.dataset['space'];
    const region = item.dataset['region'];
    if (space !== undefined && region !== undefined)
      this.store.select({ kind: 'region', spaceId: space, regionId: region });
    const strip = this.stripOf(item);
    if (strip !== null && item.classList.contains('strip-item') && strip.cursor >= 0) {
      const regionItem = item.closest<HTMLElement>('.region');
      const spaceId = regionItem?.dataset['space'];
      if (spaceId !== undefined)
        this.store.select({ kind: 'page', spaceId, vaddr: strip.pageAddress(strip.cursor) });
    }
  }

  private stripOf(item: HTMLElement): PageStrip | null {
    const regionItem = item.closest<HTMLElement>('.region');
    return this.strips.get(regionItem?.dataset['key'] ?? '') ?? null;
  }

  /** Left/Right walk the pages of a focused strip; Left on its first page goes back to the region. */
  private stripKey(item: HTMLElement, event: KeyboardEvent): boolean {
    if (!item.classList.contains('strip-item')) return false;
    const strip = this.stripOf(item);
    if (strip === null) return false;
    if (event.key === 'ArrowRight') strip.moveCursor(1);
    else if (event.key === 'ArrowLeft' && strip.cursor > 0) strip.moveCursor(-1);
    else return false;
    item.setAttribute('aria-label', strip.canvas.getAttribute('aria-label') ?? '');
    return true;
  }

  /** Shows what another view selected: expands its address space and region and marks it. */
  reveal(target: SelectionTargetDto): void {
    const state = this.store.state;
    if (state === null || this.tree === null || target.kind === 'frame') return;
    const space = state.addressSpaces.find((s) => s.id === target.spaceId);
    if (space === undefined) return;
    let region: RegionDto | undefined;
    if (target.kind === 'region') region = space.regions.find((r) => r.id === target.regionId);
    else {
      const address = BigInt(target.vaddr);
      region = space.regions.find((r) => BigInt(r.base) <= address && address < BigInt(r.end));
    }
    for (const old of this.tree.querySelectorAll('.revealed')) old.classList.remove('revealed');
    const spaceItem = this.find(spaceEntityId(space.id));
    if (spaceItem !== null) setExpanded(spaceItem, true);
    if (region === undefined) {
      if (spaceItem !== null) focusTreeItem(this.tree, spaceItem);
      return;
    }
    const key = regionEntityId(space.id, region.id);
    const item = this.find(key);
    if (item === null) return;
    item.classList.add('revealed');
    if (target.kind === 'region') {
      focusTreeItem(this.tree, item);
      return;
    }
    setExpanded(item, true);
    this.remember(key, true, false);
    const pageIndex = Number((BigInt(target.vaddr) - BigInt(region.base)) / 4096n);
    this.strips.get(key)?.setCursor(pageIndex);
    const stripItem = item.querySelector<HTMLElement>('.strip-item');
    if (stripItem !== null) focusTreeItem(this.tree, stripItem);
  }
}
