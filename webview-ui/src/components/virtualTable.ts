// A grid that keeps only the visible rows in the DOM and fetches rows from the extension in blocks,
// so a table of a million present PTEs scrolls like one of ten. Past the browser's largest element
// height the scroll position maps proportionally onto row indices.
//
// Every row is a grid of its own (rows come and go as one scrolls), so the columns share one list of
// track sizes, kept on the table. A column that must never be cut (addresses, bit chips) grows to
// the widest content it has shown, measured, as the fonts of the user's theme and settings decide
// it; a table wider than its panel scrolls sideways, its header with it.
//
// A narrow table leaves its secondary columns out; each row then has a disclosure that opens one row
// at a time onto a detail of fixed height under it, which lists those columns as labelled lines. Row
// positions add that height after the open row, so scrolling, the rows drawn and scrollToIndex all
// stay exact.
import type { ThingRef } from '../../../src/protocol/things';
import { clear, h, icon, setStyle } from '../dom';
import { byMouse, markThing, thingAttrs } from '../thingContext';

export interface Column<Row> {
  title: string;
  className: string;
  /** The narrowest the column may be (a CSS length). */
  minWidth: string;
  /**
   * `fit`: as wide as its widest content so far, never cut; `grow`: takes a share of the spare width
   * and cuts what does not fit with an ellipsis (names); `fixed`: exactly `minWidth`.
   */
  sizing: 'fit' | 'grow' | 'fixed';
  /**
   * A column a narrow table leaves out (what the row's tooltip and its walk repeat), so that those
   * that matter first keep their width instead of scrolling sideways.
   */
  secondary?: boolean;
  /** The title a narrow table shows, where the full one would widen the column past its values. */
  shortTitle?: string;
  render(row: Row, index: number): Node | string;
  /** What a cell of this column stands for, when not the row's thing (context menus). */
  thing?(row: Row): ThingRef | null;
}

export interface VirtualTableOptions<Row> {
  label: string;
  columns: Column<Row>[];
  /** Fetches rows [from, to); resolves with the table's total length too. */
  fetch(from: number, to: number): Promise<{ total: number; rows: Row[] }>;
  activate(row: Row, index: number): void;
  rowTitle(row: Row): string;
  rowClass(row: Row): string;
  /** What a row stands for (context menus); its cells may stand for things of their own. */
  rowThing?(row: Row): ThingRef | null;
  /** Remembers the first visible row, to restore the position after a reload. */
  scrolled?(firstIndex: number): void;
  /** Below this width in CSS pixels the table is narrow: secondary columns go, set bits only show. */
  narrowBelow?: number;
  /**
   * What stays the same row from one fetch to the next (a step, another address space): the open
   * detail follows it, and closes once no row is it any more.
   */
  rowKey?(row: Row): string;
}

export const ROW_HEIGHT = 22;
/** A line of a row's detail, and the detail's padding above and below its lines. */
export const DETAIL_LINE_HEIGHT = 18;
const DETAIL_PADDING = 3;
const BLOCK = 256;
const OVERSCAN = 6;
/** Chromium refuses elements taller than ~33.5 M px; stay well below. */
const MAX_SPACER_HEIGHT = 15_000_000;

export class VirtualTable<Row> {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly headGroup: HTMLElement;
  private readonly spacer: HTMLElement;
  /**
   * The widest content seen in each column, in CSS pixels (0 until measured), and the longest text
   * measured so far; one set wide and one narrow, where headers are shorter and clear bits hidden.
   */
  private readonly widths = {
    wide: { fitted: [] as number[], measured: [] as number[], headerMeasured: false },
    narrow: { fitted: [] as number[], measured: [] as number[], headerMeasured: false },
  };
  private get fitted(): number[] {
    return this.widths[this.narrow ? 'narrow' : 'wide'].fitted;
  }
  private get measuredLength(): number[] {
    return this.widths[this.narrow ? 'narrow' : 'wide'].measured;
  }
  private readonly measure = document.createRange();
  private readonly window: HTMLElement;
  private readonly blocks = new Map<number, Row[]>();
  private readonly loading = new Set<number>();
  private generation = 0;
  private total = 0;
  private frame = 0;
  /** The rows the last render drew: where a reset fetches first. */
  private drawn = { first: 0, count: 0 };
  activeIndex = -1;
  private narrow = false;
  /** The row whose detail is open, by its key and where it was last seen; null when none is. */
  private open: { key: string; index: number } | null = null;

  constructor(private readonly options: VirtualTableOptions<Row>) {
    const headRow = h(
      'div',
      { role: 'row', 'aria-rowindex': 1, class: 'vrow vhead' },
      ...options.columns.map((column) =>
        h(
          'div',
          { role: 'columnheader', class: `vcell ${column.className}${column.secondary ? ' secondary' : ''}` },
          column.shortTitle === undefined ? column.title : h('span', { class: 'title-full' }, column.title),
          column.shortTitle === undefined
            ? null
            : h('span', { class: 'title-short', 'aria-hidden': 'true' }, column.shortTitle),
        ),
      ),
    );
    this.headGroup = h('div', { role: 'rowgroup', class: 'vheadgroup' }, headRow);
    this.window = h('div', { role: 'rowgroup', class: 'vwindow' });
    this.spacer = h('div', { role: 'presentation', class: 'vspacer' }, this.window);
    this.viewport = h('div', { role: 'presentation', class: 'vviewport' }, this.spacer);
    this.element = h(
      'div',
      {
        class: 'vtable',
        role: 'grid',
        tabindex: 0,
        'aria-label': options.label,
        'aria-rowcount': 1,
        'aria-colcount': options.columns.length,
      },
      this.headGroup,
      this.viewport,
    );
    this.setColumnTracks();
    this.viewport.addEventListener('scroll', () => {
      this.headGroup.scrollLeft = this.viewport.scrollLeft;
      this.schedule();
    });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    // From the keyboard the menu opens on the grid itself: it stands for the active row's thing.
    this.element.addEventListener('contextmenu', (event) => {
      const row = byMouse(event) ? undefined : this.rowAt(this.activeIndex);
      markThing(this.element, row === undefined ? null : (options.rowThing?.(row) ?? null));
    });
    this.window.addEventListener('click', (event) => {
      const rowElement = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
      if (rowElement === null) return;
      const index = Number(rowElement.dataset['index']);
      // The disclosure opens or closes the detail; it does not walk the row. The grid keeps the
      // focus, so that its keys go on from the row.
      if ((event.target as HTMLElement).closest('.vdisclosure') !== null) {
        this.element.focus({ preventScroll: true });
        this.activeIndex = index;
        this.setOpen(index, !this.isOpen(index));
        return;
      }
      this.setActive(index, false);
      const row = this.rowAt(index);
      if (row !== undefined) this.options.activate(row, index);
    });
    new ResizeObserver(() => {
      this.fitWidth();
      this.schedule();
    }).observe(this.viewport);
    // A font that arrives later draws the same text wider or narrower: measure again.
    document.fonts.addEventListener('loadingdone', () => {
      for (const widths of [this.widths.wide, this.widths.narrow]) {
        widths.measured.length = 0;
        widths.headerMeasured = false;
      }
      this.schedule();
    });
  }

  get length(): number {
    return this.total;
  }

  /** True when the rows in view are drawn from fetched rows: no frame pending, no block on its way. */
  get settled(): boolean {
    return this.frame === 0 && this.loading.size === 0 && this.element.getAttribute('aria-busy') !== 'true';
  }

  /**
   * Forgets every fetched row (the step changed) and sets the new length. The rows in view are asked
   * for at once, not when the next frame draws: the extension can answer while this page (and every
   * other webview, which shares its thread) is still busy with the step.
   */
  reset(total: number): void {
    this.generation++;
    this.blocks.clear();
    this.loading.clear();
    this.setTotal(total);
    // Where the last frame drew, not a fresh measure: reading the scroll position now would lay
    // out the page in the middle of the view's update.
    const first = Math.max(0, Math.min(this.drawn.first, total - this.drawn.count));
    const last = Math.min(total, first + this.drawn.count);
    if (last > first) this.load(first, last);
    this.schedule();
  }

  private setTotal(total: number): void {
    this.total = total;
    this.element.setAttribute('aria-rowcount', String(total + 1));
    if (this.activeIndex >= total) this.activeIndex = total - 1;
    if (this.open !== null && this.open.index >= total) this.open = null;
    this.sizeSpacer();
  }

  private sizeSpacer(): void {
    setStyle(
      this.spacer,
      'height',
      `${Math.min(this.total * ROW_HEIGHT + this.detailHeight(), MAX_SPACER_HEIGHT)}px`,
    );
  }

  // ------------------------------------------------------------------------ the row detail

  private secondaryColumns(): Column<Row>[] {
    return this.options.columns.filter((column) => column.secondary === true);
  }

  /** Whether rows have a disclosure: narrow, with columns left out, and rows that keep their key. */
  private get disclosing(): boolean {
    return this.narrow && this.options.rowKey !== undefined && this.secondaryColumns().length > 0;
  }

  /** The height the open detail adds (nothing when no detail shows). */
  private detailHeight(): number {
    if (this.open === null || !this.disclosing) return 0;
    return this.secondaryColumns().length * DETAIL_LINE_HEIGHT + 2 * DETAIL_PADDING;
  }

  private isOpen(index: number): boolean {
    return this.disclosing && this.open?.index === index;
  }

  /** Opens the detail of row `index` (closing any other) or closes it, and keeps the row in view. */
  private setOpen(index: number, open: boolean): void {
    const row = this.rowAt(index);
    if (!this.disclosing || row === undefined) return;
    if (open) this.open = { key: this.options.rowKey!(row), index };
    else if (this.open?.index === index) this.open = null;
    this.sizeSpacer();
    this.setActive(index);
  }

  /**
   * After a fetch: the open detail stays with its row where that row now is among the fetched rows,
   * and closes when its place holds another row and its row is nowhere fetched (gone, or elsewhere).
   */
  private followOpenRow(): void {
    const open = this.open;
    const key = this.options.rowKey;
    if (open === null || key === undefined) return;
    const there = this.rowAt(open.index);
    if (there === undefined || key(there) === open.key) return;
    this.open = null;
    for (const [block, rows] of this.blocks) {
      const at = rows.findIndex((row) => key(row) === open.key);
      if (at >= 0) this.open = { key: open.key, index: block * BLOCK + at };
    }
    this.sizeSpacer();
  }

  /**
   * Where the top of (fractional) row `index` is in the list, in CSS pixels: the rows above it, and
   * the open detail once past it (a part of it while inside the open row).
   */
  private rowTop(index: number): number {
    const open = this.open;
    const extra = this.detailHeight();
    if (open === null || extra === 0) return index * ROW_HEIGHT;
    const into = Math.max(0, Math.min(1, index - open.index));
    return index * ROW_HEIGHT + into * extra;
  }

  /** The (fractional) row index at `y` pixels down the list: rowTop's inverse. */
  private indexAt(y: number): number {
    const open = this.open;
    const extra = this.detailHeight();
    if (open === null || extra === 0) return y / ROW_HEIGHT;
    const top = open.index * ROW_HEIGHT;
    if (y <= top) return y / ROW_HEIGHT;
    if (y <= top + ROW_HEIGHT + extra) return open.index + (y - top) / (ROW_HEIGHT + extra);
    return (y - extra) / ROW_HEIGHT;
  }

  private rowAt(index: number): Row | undefined {
    return this.blocks.get(Math.floor(index / BLOCK))?.[index % BLOCK];
  }

  private visibleCount(): number {
    return Math.max(1, Math.ceil(this.viewport.clientHeight / ROW_HEIGHT));
  }

  private maxScroll(): number {
    return Math.max(0, this.viewport.scrollHeight - this.viewport.clientHeight);
  }

  /** The (fractional) index of the row at the top of the viewport. */
  private firstIndex(): number {
    if (!this.proportional()) return this.indexAt(this.viewport.scrollTop);
    const max = this.maxScroll();
    return max === 0 ? 0 : (this.viewport.scrollTop / max) * Math.max(0, this.total - this.visibleCount());
  }

  /** Whether the list is too tall for the browser, its scroll position mapped onto row indices. */
  private proportional(): boolean {
    return this.total * ROW_HEIGHT + this.detailHeight() > MAX_SPACER_HEIGHT;
  }

  private scrollTopFor(index: number): number {
    if (!this.proportional()) return this.rowTop(index);
    const span = Math.max(1, this.total - this.visibleCount());
    return (Math.min(index, span) / span) * this.maxScroll();
  }

  /** Scrolls so that row `index` is at the top (or bottom when moving down). */
  scrollToIndex(index: number, align: 'top' | 'nearest' = 'top'): void {
    const first = this.firstIndex();
    const visible = this.visibleCount();
    // In view when it starts at or below the first whole row and ends above the last row's top (an
    // open detail counts as part of its row).
    const inView =
      this.rowTop(index) >= this.rowTop(Math.ceil(first)) &&
      this.rowTop(index + 1) <= this.rowTop(Math.floor(first)) + (visible - 1) * ROW_HEIGHT;
    if (align === 'nearest' && inView) {
      // Already in view: no scroll, but the rows are drawn again (the active one may have moved).
      this.render();
      return;
    }
    if (align === 'nearest' && index >= first && !this.proportional())
      // Moving down: the row (and its detail) ends near the bottom, with a row's room below it.
      this.viewport.scrollTop = Math.max(0, this.rowTop(index + 2) - visible * ROW_HEIGHT);
    else {
      const target = align === 'nearest' && index >= first ? index - visible + 2 : index;
      this.viewport.scrollTop = this.scrollTopFor(Math.max(0, target));
    }
    this.render();
  }

  setActive(index: number, scroll = true): void {
    if (this.total === 0) return;
    this.activeIndex = Math.max(0, Math.min(this.total - 1, index));
    if (scroll) this.scrollToIndex(this.activeIndex, 'nearest');
    else this.render();
  }

  private onKey(event: KeyboardEvent): void {
    const page = Math.max(1, this.visibleCount() - 1);
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
    };
    const move = moves[event.key];
    if (move !== undefined) this.setActive(this.activeIndex < 0 ? 0 : this.activeIndex + move);
    else if (event.key === 'Home') this.setActive(0);
    else if (event.key === 'End') this.setActive(this.total - 1);
    else if (event.key === 'Enter' && this.activeIndex >= 0) {
      const row = this.rowAt(this.activeIndex);
      if (row !== undefined) this.options.activate(row, this.activeIndex);
    } else if (!this.disclosureKey(event.key)) return;
    event.preventDefault();
  }

  /**
   * As in a tree: → opens the active row's detail, ← closes it, Space opens or closes it. False
   * when the key does nothing here (a wide table has no detail; Enter walks the row, as before).
   */
  private disclosureKey(key: string): boolean {
    const index = this.activeIndex;
    if (!this.disclosing || index < 0) return false;
    const open = this.isOpen(index);
    const wanted: Record<string, boolean> = { ArrowRight: true, ArrowLeft: false, ' ': !open };
    const want = wanted[key];
    if (want === undefined) return false;
    if (want !== open) this.setOpen(index, want);
    return true;
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Draws the rows in view now (also called by the panel right after the first data arrives). */
  /** The rows drawn for the current scroll position: those in view and a few either side. */
  private rowsInView(): { firstFloat: number; first: number; last: number } {
    const firstFloat = this.firstIndex();
    const first = Math.max(0, Math.floor(firstFloat) - OVERSCAN);
    const last = Math.min(this.total, Math.ceil(firstFloat) + this.visibleCount() + OVERSCAN);
    return { firstFloat, first, last };
  }

  render(): void {
    const { firstFloat, first, last } = this.rowsInView();
    this.drawn = { first, count: last - first };
    const offset = this.viewport.scrollTop - (this.rowTop(firstFloat) - this.rowTop(first));
    setStyle(this.window, 'transform', `translateY(${Math.max(0, offset)}px)`);
    this.options.scrolled?.(Math.floor(firstFloat));
    clear(this.window);
    let missing = false;
    for (let index = first; index < last; index++) {
      const row = this.rowAt(index);
      if (row === undefined) missing = true;
      this.window.appendChild(this.rowElement(row, index));
      if (row !== undefined && this.isOpen(index)) this.window.appendChild(this.detailElement(row, index));
    }
    this.element.setAttribute('aria-busy', String(missing));
    this.fitColumns();
    if (this.activeIndex >= first && this.activeIndex < last) {
      this.element.setAttribute('aria-activedescendant', `vrow-${this.activeIndex}`);
    } else this.element.removeAttribute('aria-activedescendant');
    if (missing) this.load(first, last);
  }

  /**
   * Widens the `fit` columns to the widest content now on screen (the header included). A cell is
   * measured only when its text is longer than any measured in its column before: what these
   * columns hold (addresses, raw entries, a fixed set of bit chips) is as wide as it is long, and
   * skipping the others spares the page a layout on every step.
   */
  private fitColumns(): void {
    // An open detail is no row of columns: its one cell spans them all.
    const rows = [
      this.headGroup.firstElementChild,
      ...[...this.window.children].filter((row) => !row.classList.contains('vdetail')),
    ];
    let widened = false;
    this.options.columns.forEach((column, index) => {
      if (column.sizing !== 'fit') return;
      for (const row of rows) {
        const cell = row?.children[index];
        if (cell === undefined || row?.classList.contains('loading')) continue;
        // A header may hold a full and a short title, one of them hidden: its text's length says
        // nothing of its width, so it is measured once in each mode and sets no length to beat.
        if (row === rows[0]) {
          if (this.widths[this.narrow ? 'narrow' : 'wide'].headerMeasured) continue;
        } else {
          const length = cell.textContent?.length ?? 0;
          if (length <= (this.measuredLength[index] ?? -1)) continue;
          this.measuredLength[index] = length;
        }
        this.measure.selectNodeContents(cell);
        const width = Math.ceil(this.measure.getBoundingClientRect().width);
        if (width > (this.fitted[index] ?? 0)) {
          this.fitted[index] = width;
          widened = true;
        }
      }
    });
    this.widths[this.narrow ? 'narrow' : 'wide'].headerMeasured = true;
    if (widened) this.setColumnTracks();
  }

  /** Goes narrow or wide as the panel's width crosses `narrowBelow` (a ResizeObserver calls it). */
  private fitWidth(): void {
    const below = this.options.narrowBelow;
    const narrow = below !== undefined && this.element.clientWidth > 0 && this.element.clientWidth < below;
    if (narrow === this.narrow) return;
    this.narrow = narrow;
    this.element.classList.toggle('narrow', narrow);
    this.setColumnTracks();
    // A wide table shows the detail's columns in the row: the open detail hides (and comes back).
    this.sizeSpacer();
  }

  /**
   * The shared track sizes, and the width below which the table scrolls sideways. A narrow table
   * drops its secondary columns, lets `fit` columns take only what they measured and `grow`
   * columns shrink to nothing (they cut with an ellipsis; the row's tooltip has the whole name).
   */
  private setColumnTracks(): void {
    const shown = this.options.columns
      .map((column, index) => ({ column, fitted: this.fitted[index] ?? 0 }))
      .filter(({ column }) => !(this.narrow && column.secondary === true));
    const leastOf = (column: Column<Row>, fitted: number): string => {
      if (this.narrow && column.sizing === 'grow') return '0px';
      if (this.narrow && fitted > 0) return `${fitted}px`;
      return fitted > 0 ? `max(${column.minWidth}, ${fitted}px)` : column.minWidth;
    };
    const tracks = shown.map(({ column, fitted }) => {
      const least = leastOf(column, fitted);
      return column.sizing === 'grow' ? `minmax(${least}, 1fr)` : least;
    });
    setStyle(this.element, '--vtable-columns', tracks.join(' '));
    const least = shown.map(({ column, fitted }) => leastOf(column, fitted));
    const gaps = `${least.length - 1} * var(--vtable-gap) + 2 * var(--vtable-padding)`;
    setStyle(this.element, '--vtable-min-width', `calc(${least.join(' + ')} + ${gaps})`);
  }

  private rowElement(row: Row | undefined, index: number): HTMLElement {
    const active = index === this.activeIndex;
    const attrs = {
      role: 'row',
      id: `vrow-${index}`,
      'aria-rowindex': index + 2,
      'aria-selected': String(active),
      'data-index': index,
    };
    if (row === undefined) {
      return h(
        'div',
        { ...attrs, class: `vrow loading${active ? ' active' : ''}` },
        h('div', { role: 'gridcell', class: 'vcell muted' }, `row ${index + 1} loading…`),
      );
    }
    const open = this.isOpen(index);
    return h(
      'div',
      {
        ...attrs,
        ...thingAttrs(this.options.rowThing?.(row) ?? null),
        ...(this.disclosing ? { 'aria-expanded': String(open) } : {}),
        class: `vrow ${this.options.rowClass(row)}${active ? ' active' : ''}`,
        title: this.options.rowTitle(row),
      },
      ...this.options.columns.map((column, i) =>
        h(
          'div',
          {
            role: 'gridcell',
            class: `vcell ${column.className}${column.secondary ? ' secondary' : ''}`,
            ...thingAttrs(column.thing?.(row) ?? null),
          },
          i === 0 && this.disclosing ? this.disclosure(index, open) : null,
          column.render(row, index),
        ),
      ),
    );
  }

  /**
   * The row's disclosure, first in its first cell. Out of the tab order: the grid keeps the focus
   * and its keys (→ ← Space) open and close the active row's detail; the pointer clicks it.
   */
  private disclosure(index: number, open: boolean): HTMLElement {
    const names = this.secondaryColumns()
      .map((column) => column.title)
      .join(', ');
    return h(
      'button',
      {
        class: 'vdisclosure',
        tabindex: -1,
        'aria-expanded': String(open),
        'aria-controls': `vdetail-${index}`,
        'aria-label': `${open ? 'Hide' : 'Show'} ${names}`,
        title: `${open ? 'Hide' : 'Show'} ${names} (→ ←)`,
      },
      icon(open ? 'chevron-down' : 'chevron-right'),
    );
  }

  /** The open row's left-out columns, one labelled line each, under the row and as tall as said. */
  private detailElement(row: Row, index: number): HTMLElement {
    const columns = this.secondaryColumns();
    const element = h(
      'div',
      { role: 'row', id: `vdetail-${index}`, class: 'vdetail' },
      h(
        'div',
        { role: 'gridcell', class: 'vdetail-cell', 'aria-colspan': this.options.columns.length },
        ...columns.map((column) =>
          h(
            'div',
            { class: 'vdetail-line', ...thingAttrs(column.thing?.(row) ?? null) },
            h('span', { class: 'vdetail-label' }, column.title),
            h('span', { class: `vdetail-value ${column.className}` }, column.render(row, index)),
          ),
        ),
      ),
    );
    setStyle(element, 'height', `${this.detailHeight()}px`);
    return element;
  }

  private load(first: number, last: number): void {
    const generation = this.generation;
    for (let block = Math.floor(first / BLOCK); block * BLOCK < last; block++) {
      if (this.blocks.has(block) || this.loading.has(block)) continue;
      this.loading.add(block);
      const from = block * BLOCK;
      const to = Math.min(this.total, from + BLOCK);
      this.options.fetch(from, to).then(
        (reply) => {
          if (generation !== this.generation) return;
          this.loading.delete(block);
          this.blocks.set(block, reply.rows);
          if (reply.total !== this.total) this.setTotal(reply.total);
          this.followOpenRow();
          // Rows the view waits for are drawn at once, not a frame later.
          if (this.frame === 0 && from < this.drawn.first + this.drawn.count && to > this.drawn.first)
            this.render();
          else this.schedule();
        },
        (error: unknown) => {
          if (generation !== this.generation) return;
          this.loading.delete(block);
          console.error(`MMU Lens: rows ${from}–${to} could not be fetched: ${String(error)}`);
        },
      );
    }
  }
}
