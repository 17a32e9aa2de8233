// One region's pages as a strip of cells on a canvas: a 1 GiB region has 262,144 pages, far too many
// for DOM cells. Large regions are drawn with several pages per cell, the cell taking the most telling
// state among them. Hover explains a cell; the strip keeps a cursor for keyboard and reveal.
import type { ChangeKind } from '../changeIndex';
import type { ThingRef } from '../../../src/protocol/things';
import { plural } from '../../../src/protocol/plural';
import { h } from '../dom';
import { byMouse, markThing } from '../thingContext';
import { cssColor } from '../themeColors';

export const PAGE_STATES: Record<string, { name: string; meaning: string }> = {
  N: { name: 'not present', meaning: 'no page in the VMObject slot yet: the first access faults' },
  Z: {
    name: 'shared zero',
    meaning: 'mapped read-only to the shared zero page; a write faults in a private page',
  },
  L: { name: 'lazy committed', meaning: 'a committed page not yet allocated (the lazy committed page)' },
  R: { name: 'resident', meaning: 'backed by a physical page of its own' },
  C: {
    name: 'copy-on-write',
    meaning: 'shared after fork; a write copies it (or takes it if the last reference)',
  },
  D: { name: 'dirty', meaning: 'an inode page written since the last sync' },
  V: {
    name: 'purgeable volatile',
    meaning: 'resident in a volatile purgeable object: may be purged under pressure',
  },
};

/** Which letter a merged cell shows: the rarer, more telling states win. */
const PRIORITY = 'DCVRLZN';
const CELL = 9;
const GAP = 1;
const MARK = 3;
const MAX_COLUMNS = 64;
const MAX_ROWS = 4;

export interface PageStripOptions {
  pages: string;
  base: bigint;
  /** Runs of pages changed since the compared step. */
  changes: { first: number; count: number; change: ChangeKind }[];
  select(pageIndex: number): void;
  /** What a page stands for (context menus): the strip stands for the page under its cursor. */
  thing?(pageIndex: number): ThingRef;
}

export class PageStrip {
  readonly canvas: HTMLCanvasElement;
  readonly pagesPerCell: number;
  private readonly cells: number;
  private readonly columns: number;
  /** The change shown under each cell, computed once from the runs (not per page per draw). */
  private readonly cellChanges: (ChangeKind | null)[];
  cursor = -1;

  constructor(private readonly options: PageStripOptions) {
    const count = options.pages.length;
    this.pagesPerCell = Math.max(1, Math.ceil(count / (MAX_COLUMNS * MAX_ROWS)));
    this.cells = Math.ceil(count / this.pagesPerCell);
    this.columns = Math.min(MAX_COLUMNS, Math.max(1, this.cells));
    const rows = Math.max(1, Math.ceil(this.cells / this.columns));
    this.cellChanges = new Array<ChangeKind | null>(this.cells).fill(null);
    for (const run of options.changes) {
      const last = Math.min(this.cells - 1, Math.floor((run.first + run.count - 1) / this.pagesPerCell));
      for (let cell = Math.floor(run.first / this.pagesPerCell); cell <= last; cell++)
        this.cellChanges[cell] ??= run.change;
    }
    this.canvas = h('canvas', { class: 'page-strip', role: 'img', 'aria-label': this.summary() });
    this.canvas.width = this.columns * (CELL + GAP);
    this.canvas.height = rows * (CELL + GAP + MARK);
    this.canvas.dataset['pages'] = String(count);
    this.canvas.addEventListener('mousemove', (event) => {
      const cell = this.cellAt(event.offsetX, event.offsetY);
      this.canvas.title = cell === null ? '' : this.describeCell(cell);
    });
    this.canvas.addEventListener('click', (event) => {
      const cell = this.cellAt(event.offsetX, event.offsetY);
      if (cell === null) return;
      this.cursor = cell * this.pagesPerCell;
      this.draw();
      options.select(this.cursor);
    });
    // A right-click puts the cursor on the page it is on, so the menu is about that page.
    this.canvas.addEventListener('contextmenu', (event) => {
      const cell = byMouse(event) ? this.cellAt(event.offsetX, event.offsetY) : null;
      if (cell === null) return;
      this.cursor = cell * this.pagesPerCell;
      this.draw();
    });
    this.draw();
  }

  /** Whether this strip draws these pages from this base with these changes (then it can be kept). */
  shows(pages: string, base: string, changes: PageStripOptions['changes']): boolean {
    const runs = this.options.changes;
    return (
      pages === this.options.pages &&
      BigInt(base) === this.options.base &&
      changes.length === runs.length &&
      changes.every(
        (run, i) =>
          run.first === runs[i]?.first && run.count === runs[i].count && run.change === runs[i].change,
      )
    );
  }

  private summaryText: string | null = null;

  /** "16 pages: 3 resident, 4 shared zero, 9 not present" — the strip's text alternative. */
  summary(): string {
    if (this.summaryText !== null) return this.summaryText;
    // Counted by character code: a region of a million pages is a million-character string.
    const pages = this.options.pages;
    const counts = new Int32Array(128);
    for (let i = 0; i < pages.length; i++) counts[pages.charCodeAt(i) & 127]!++;
    // In the order the letters first appear, as a person reads the strip.
    const letters: string[] = [];
    for (let code = 0; code < counts.length; code++)
      if (counts[code]! > 0) letters.push(String.fromCharCode(code));
    letters.sort((a, b) => pages.indexOf(a) - pages.indexOf(b));
    const parts = letters.map(
      (letter) => `${counts[letter.charCodeAt(0)]} ${PAGE_STATES[letter]?.name ?? letter}`,
    );
    this.summaryText = `${plural(pages.length, 'page')}: ${parts.join(', ')}`;
    return this.summaryText;
  }

  private cellAt(offsetX: number, offsetY: number): number | null {
    // A narrow panel scales the canvas down to its width (CSS): map the pointer back to canvas pixels.
    const scale = this.canvas.clientWidth > 0 ? this.canvas.width / this.canvas.clientWidth : 1;
    const x = offsetX * scale;
    const y = offsetY * scale;
    const column = Math.floor(x / (CELL + GAP));
    const row = Math.floor(y / (CELL + GAP + MARK));
    const cell = row * this.columns + column;
    return column < this.columns && cell < this.cells ? cell : null;
  }

  private letters: string[] | null = null;

  private cellLetter(cell: number): string {
    this.letters ??= Array.from({ length: this.cells }, (_, i) => this.computeCellLetter(i));
    return this.letters[cell] ?? 'N';
  }

  private computeCellLetter(cell: number): string {
    const first = cell * this.pagesPerCell;
    const slice = this.options.pages.slice(first, first + this.pagesPerCell);
    for (const letter of PRIORITY) if (slice.includes(letter)) return letter;
    return 'N';
  }

  private changeOf(index: number): ChangeKind | null {
    const run = this.options.changes.find((r) => index >= r.first && index < r.first + r.count);
    return run?.change ?? null;
  }

  pageAddress(index: number): string {
    return `0x${(this.options.base + BigInt(index) * 4096n).toString(16)}`;
  }

  describePage(index: number): string {
    const letter = this.options.pages.charAt(index);
    const state = PAGE_STATES[letter];
    const change = this.changeOf(index);
    return `page ${index} at ${this.pageAddress(index)}: ${state?.name ?? letter} — ${state?.meaning ?? ''}${
      change === null ? '' : ` (${change} since the compared step)`
    }`;
  }

  private describeCell(cell: number): string {
    if (this.pagesPerCell === 1) return this.describePage(cell);
    const first = cell * this.pagesPerCell;
    const slice = this.options.pages.slice(first, first + this.pagesPerCell);
    const counts = new Map<string, number>();
    for (const letter of slice) counts.set(letter, (counts.get(letter) ?? 0) + 1);
    const parts = [...counts].map(([letter, n]) => `${n} ${PAGE_STATES[letter]?.name ?? letter}`);
    return `pages ${first}–${first + slice.length - 1} from ${this.pageAddress(first)}: ${parts.join(', ')}`;
  }

  moveCursor(delta: number): void {
    const count = this.options.pages.length;
    const start = this.cursor < 0 ? 0 : this.cursor + delta * this.pagesPerCell;
    this.cursor = Math.max(0, Math.min(count - 1, start));
    this.canvas.title = this.describePage(this.cursor);
    this.canvas.setAttribute('aria-label', `${this.summary()}. Cursor on ${this.describePage(this.cursor)}`);
    this.draw();
  }

  setCursor(index: number): void {
    this.cursor = Math.max(-1, Math.min(this.options.pages.length - 1, index));
    if (this.cursor >= 0) this.canvas.title = this.describePage(this.cursor);
    this.draw();
  }

  /** The thing of the page under the cursor, or null without a cursor. */
  cursorThing(): ThingRef | null {
    return this.cursor < 0 ? null : (this.options.thing?.(this.cursor) ?? null);
  }

  draw(): void {
    markThing(this.canvas, this.cursorThing());
    const context = this.canvas.getContext('2d');
    if (context === null) return;
    context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const border = cssColor('--mmu-page-border');
    const cursorCell = this.cursor < 0 ? -1 : Math.floor(this.cursor / this.pagesPerCell);
    for (let cell = 0; cell < this.cells; cell++) {
      const x = (cell % this.columns) * (CELL + GAP);
      const y = Math.floor(cell / this.columns) * (CELL + GAP + MARK);
      const letter = this.cellLetter(cell);
      if (letter === 'N') {
        context.strokeStyle = border;
        context.strokeRect(x + 0.5, y + 0.5, CELL - 1, CELL - 1);
      } else {
        context.fillStyle = cssColor(`--mmu-page-${letter}`);
        context.fillRect(x, y, CELL, CELL);
      }
      const change = this.cellChanges[cell] ?? null;
      if (change !== null) {
        context.fillStyle = cssColor(`--mmu-change-${change}`);
        context.fillRect(x, y + CELL + 1, CELL, MARK - 1);
      }
      if (cell === cursorCell) {
        context.strokeStyle = cssColor('--vscode-focusBorder');
        context.lineWidth = 2;
        context.strokeRect(x + 1, y + 1, CELL - 2, CELL - 2);
        context.lineWidth = 1;
      }
    }
  }
}

/** The legend of page states, as a list with a swatch per state. */
export function pageLegend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Page states' },
    ...Object.entries(PAGE_STATES).map(([letter, state]) =>
      h(
        'li',
        { title: state.meaning },
        h('span', { class: `swatch page-${letter}`, 'aria-hidden': 'true' }),
        state.name,
      ),
    ),
  );
}
