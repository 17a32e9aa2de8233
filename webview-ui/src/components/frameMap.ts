// The physical frame map: one cell per frame of RAM, coloured by what holds it, drawn as pixels on a
// canvas so that a million frames cost one putImageData. Rows of RAM carry their physical address
// on the left; stretches that are not RAM are one labelled band each (src/protocol/frameLayout.ts).
// Hover explains a frame (and asks the extension who maps it); arrows move a cursor; Enter or a
// click selects the frame, which the other panels reveal.
import { decodeBase64 } from '../../../src/protocol/base64';
import { diffFrameMaps } from '../../../src/protocol/stateDiff';
import { FRAME_KINDS, type FrameInfoDto, type FrameKind } from '../../../src/protocol/dto';
import type { ThingRef } from '../../../src/protocol/things';
import { setStyle, h } from '../dom';
import { byMouse, markThing } from '../thingContext';
import { blendedThemeColor, cssColor, themeColor } from '../themeColors';
import { axisLabelRows, type FrameLayout, frameLayout, rowFrames } from '../../../src/protocol/frameLayout';

export const FRAME_KIND_TEXT: Record<FrameKind, string> = {
  free: 'free in a zone',
  anonymous: 'anonymous memory',
  file: 'file (inode) page',
  pageTable: 'page table',
  kernel: 'kernel image or kernel data',
  dma: 'DMA buffer',
  sharedZero: 'the shared zero page',
  lazyCommitted: 'the lazy committed page',
  quickmap: 'quickmapped',
  reserved: 'reserved or not RAM',
  mmio: 'MMIO',
  unzoned: 'RAM in no zone (never allocated)',
};

export interface FrameMapOptions {
  /** Text explaining where a frame sits (its zone), shown at once on hover. */
  locate(frame: number): string;
  /** Who maps the frame, asked of the extension after the pointer rests. */
  frameInfo(frame: number): Promise<FrameInfoDto>;
  select(frame: number): void;
  /** Runs of frames changed since the compared step. */
  changedRuns(): { start: number; count: number }[];
  /** What a frame stands for (context menus): the map stands for the frame under its cursor. */
  thing?(frame: number): ThingRef;
}

/** Canvas pixels: the address column, a band's height, the least and most cell sizes. */
const LABEL_WIDTH = 92;
const BAND_HEIGHT = 20;
/** A band's label starts this far in, on a plate this much wider than the text each side. */
const BAND_INSET = 6;
const BAND_PADDING = 4;
const MAX_CELL = 12;
/** The RAM rows are kept about this tall in all, whatever the width. */
const TARGET_HEIGHT = 420;

/** A text as drawn: its glyphs' box. */
interface DrawnText {
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
}

interface Placed {
  /** Row items: first frame drawn, end, and top y; in address order. */
  rowFirst: Int32Array;
  rowEnd: Int32Array;
  rowStart: Int32Array;
  rowY: Int32Array;
  /** Band items: their layout item and top y. */
  bands: { first: number; end: number; label: string; y: number }[];
  height: number;
}

export class FrameMap {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private kinds: Uint8Array = new Uint8Array(0);
  /** The base64 text `kinds` was decoded from, and how many frames there are of each kind. */
  private shown = '';
  private counts: number[] = [];
  /** The frames' pixels as last drawn, with the palette they were drawn in; outlines go on top. */
  private image: ImageData | null = null;
  private pixels: Uint32Array = new Uint32Array(0);
  private imagePalette: Uint32Array = new Uint32Array(0);
  private layout: FrameLayout = { framesPerRow: 64, items: [] };
  private placed: Placed = emptyPlacement();
  private cellWidth = 1;
  private cellHeight = 1;
  /** The width the layout was made for (the panel's, in CSS pixels). */
  private laidOutWidth = 0;
  cursor = -1;
  private hoverTimer = 0;
  private hoverFrame = -1;
  /** Where the last draw put each text (canvas pixels), for the tests that measure its contrast. */
  private drawnText: DrawnText[] = [];

  constructor(private readonly options: FrameMapOptions) {
    this.canvas = h('canvas', {
      class: 'frame-map',
      tabindex: 0,
      role: 'img',
      'aria-label': 'Physical frame map',
    });
    this.tooltip = h('div', { class: 'frame-tooltip', role: 'tooltip', id: 'frame-tooltip', hidden: true });
    this.element = h('div', { class: 'frame-map-wrap' }, this.canvas, this.tooltip);
    this.canvas.setAttribute('aria-describedby', 'frame-tooltip');
    this.canvas.addEventListener('mousemove', (event) => this.hover(event));
    this.canvas.addEventListener('mouseleave', () => this.hideTooltip());
    this.canvas.addEventListener('click', (event) => {
      const frame = this.frameAt(event);
      if (frame === null) return;
      this.setCursor(frame);
      options.select(frame);
    });
    this.canvas.addEventListener('keydown', (event) => this.onKey(event));
    // A right-click puts the cursor on the frame it is on, so the menu is about that frame.
    this.canvas.addEventListener('contextmenu', (event) => {
      const frame = byMouse(event) ? this.frameAt(event) : null;
      if (frame !== null) this.setCursor(frame);
    });
    // Tests find a frame's cell through this (CSS pixels from the canvas's top left), not by
    // repeating the layout.
    Object.defineProperty(this.canvas, 'framePoint', {
      value: (frame: number): [number, number] | null => {
        const at = this.position(frame);
        if (at === null) return null;
        const scale = this.canvas.clientWidth / Math.max(1, this.canvas.width);
        return [
          this.canvas.clientLeft + (at[0] + this.cellWidth / 2) * scale,
          this.canvas.clientTop + (at[1] + this.cellHeight / 2) * scale,
        ];
      },
    });
    // And where each text was drawn (CSS pixels from the canvas's top left), to read the pixels under it.
    Object.defineProperty(this.canvas, 'drawnText', {
      get: (): DrawnText[] => {
        const scale = this.canvas.clientWidth / Math.max(1, this.canvas.width);
        return this.drawnText.map((t) => ({
          text: t.text,
          left: this.canvas.clientLeft + t.left * scale,
          top: this.canvas.clientTop + t.top * scale,
          width: t.width * scale,
          height: t.height * scale,
        }));
      },
    });
    if (typeof ResizeObserver !== 'undefined')
      new ResizeObserver(() => {
        if (this.kinds.length > 0 && this.availableWidth() !== this.laidOutWidth) {
          this.relayout();
          this.draw();
        }
      }).observe(this.element);
  }

  get frameCount(): number {
    return this.kinds.length;
  }

  kindOf(frame: number): FrameKind {
    return FRAME_KINDS[this.kinds[frame] ?? 0] ?? 'free';
  }

  /** Shows the frames of a base64 frame map (FrameMapDto.kinds) and draws them. */
  setFrames(base64: string): void {
    if (base64 === this.shown) {
      this.draw();
      return;
    }
    const runs = this.shown.length === base64.length ? diffFrameMaps(this.shown, base64) : null;
    this.shown = base64;
    let relayout = runs === null;
    if (runs === null) {
      this.kinds = decodeBase64(base64);
      this.counts = new Array<number>(FRAME_KINDS.length).fill(0);
      for (const kind of this.kinds) this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    } else {
      // A step changes a few frames of a map of a million: only theirs are decoded and repainted,
      // unless one of them is drawn as part of a band (a device mapped in a hole), which redraws all.
      for (const run of runs) {
        for (let i = 0; i < run.bytes.length; i++) {
          const frame = run.start + i;
          const kind = run.bytes[i]!;
          this.counts[this.kinds[frame]!]!--;
          this.counts[kind] = (this.counts[kind] ?? 0) + 1;
          this.kinds[frame] = kind;
          if (this.position(frame) === null) relayout = true;
          else if (this.image !== null) this.paintCell(this.pixels, this.imagePalette, frame);
        }
      }
    }
    if (relayout) this.relayout();
    this.canvas.dataset['frames'] = String(this.kinds.length);
    this.canvas.setAttribute(
      'aria-label',
      `Physical frame map: ${this.kinds.length} frames, ${this.summary()}`,
    );
    this.draw();
  }

  private availableWidth(): number {
    return Math.max(240, Math.floor(this.element.clientWidth || 480));
  }

  /** Lays the frames out for the panel's width: rows of RAM with an address column, bands for the rest. */
  private relayout(): void {
    this.laidOutWidth = this.availableWidth();
    this.layout = frameLayout(this.kinds);
    const perRow = this.layout.framesPerRow;
    this.cellWidth = Math.max(
      1,
      Math.min(MAX_CELL, Math.floor((this.laidOutWidth - LABEL_WIDTH - 2) / perRow)),
    );
    const rowCount = this.layout.items.filter((item) => item.kind === 'row').length;
    this.cellHeight = Math.max(
      2,
      Math.min(this.cellWidth, Math.floor(TARGET_HEIGHT / Math.max(1, rowCount))),
    );
    this.placed = place(this.layout, this.kinds.length, this.cellHeight);
    this.canvas.width = LABEL_WIDTH + perRow * this.cellWidth;
    // Room below the last row for its address label.
    this.canvas.height = Math.max(1, this.placed.height + 8);
    this.canvas.dataset['framesPerRow'] = String(perRow);
    this.image = null;
  }

  private summary(): string {
    return FRAME_KINDS.map((kind, i) => [kind, this.counts[i] ?? 0] as const)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n} ${FRAME_KIND_TEXT[kind]}`)
      .join(', ');
  }

  /** One RGBA word per frame kind, in the current theme's colours. */
  private palette(): Uint32Array {
    const palette = new Uint32Array(FRAME_KINDS.length);
    const bytes = new Uint8Array(palette.buffer);
    FRAME_KINDS.forEach((kind, i) => {
      const [r, g, b] = blendedThemeColor(`--mmu-frame-${kind}`, '--vscode-editor-background');
      bytes.set([r, g, b, 255], i * 4);
    });
    return palette;
  }

  /** Colours the cell of one frame in `pixels`, an image as wide as the canvas. */
  private paintCell(pixels: Uint32Array, palette: Uint32Array, frame: number): void {
    const at = this.position(frame);
    if (at === null) return;
    const color = palette[this.kinds[frame] ?? 0] ?? 0;
    const [x0, y0] = at;
    const width = this.canvas.width;
    // A one-pixel gap between cells when they are big enough keeps single frames countable.
    const spaced = this.cellWidth >= 4 && this.cellHeight >= 4;
    const w = spaced ? this.cellWidth - 1 : this.cellWidth;
    const hgt = spaced ? this.cellHeight - 1 : this.cellHeight;
    for (let dy = 0; dy < hgt; dy++) {
      const row = (y0 + dy) * width + x0;
      for (let dx = 0; dx < w; dx++) pixels[row + dx] = color;
    }
  }

  draw(): void {
    const thing = this.cursor >= 0 ? this.options.thing?.(this.cursor) : undefined;
    markThing(this.canvas, thing ?? null);
    const context = this.canvas.getContext('2d');
    if (context === null || this.kinds.length === 0) return;
    if (this.laidOutWidth === 0) this.relayout();
    const palette = this.palette();
    const samePalette =
      palette.length === this.imagePalette.length &&
      palette.every((color, i) => color === this.imagePalette[i]);
    if (this.image === null || !samePalette) {
      const image = context.createImageData(this.canvas.width, this.canvas.height);
      const pixels = new Uint32Array(image.data.buffer);
      const [r, g, b] = themeColor('--vscode-editor-background');
      pixels.fill(new Uint32Array(new Uint8Array([r, g, b, 255]).buffer)[0]!);
      for (let i = 0; i < this.placed.rowFirst.length; i++)
        for (let frame = this.placed.rowFirst[i]!; frame < this.placed.rowEnd[i]!; frame++)
          this.paintCell(pixels, palette, frame);
      this.image = image;
      this.pixels = pixels;
      this.imagePalette = palette;
    }
    // The cells as they are, which also wipes the outlines and labels of the last draw.
    context.putImageData(this.image, 0, 0);
    this.drawAxisAndBands(context);
    this.drawChanges(context);
    if (this.cursor >= 0) {
      const at = this.position(this.cursor);
      if (at !== null) {
        context.strokeStyle = cssColor('--vscode-focusBorder');
        context.lineWidth = 1;
        context.strokeRect(at[0] - 1.5, at[1] - 1.5, this.cellWidth + 3, this.cellHeight + 3);
      }
    }
  }

  /** The address of a row every 16 pixels or so, and each band with what it stands for. */
  private drawAxisAndBands(context: CanvasRenderingContext2D): void {
    const family = getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-family').trim();
    context.font = `11px ${family === '' ? 'monospace' : family}`;
    context.textBaseline = 'middle';
    this.drawnText = [];
    for (const band of this.placed.bands) this.drawBand(context, band);
    context.fillStyle = cssColor('--vscode-descriptionForeground');
    const labelled = axisLabelRows(
      this.placed.rowStart,
      this.placed.rowY,
      this.cellHeight,
      this.layout.framesPerRow,
    );
    for (const i of labelled) {
      const y = this.placed.rowY[i]!;
      // Kept whole at the top edge; the label of a row right after a band a little below the row's
      // middle, so as to clear the band's bar.
      const afterBand = i > 0 && y !== this.placed.rowY[i - 1]! + this.cellHeight;
      const middle = Math.max(7, y + (afterBand ? Math.max(2, this.cellHeight / 2) : this.cellHeight / 2));
      this.fillText(context, `0x${(this.placed.rowStart[i]! * 4096).toString(16)}`, 2, middle);
    }
  }

  /**
   * A band: a bar of the not-RAM colour, broken where its label is written on the panel's own
   * background. The bar has to stand out from the background (3:1), which puts it in the middle of
   * the range where neither the text colour nor the background colour reads on it at 4.5:1; written
   * on the background, the label has the theme's own text contrast.
   */
  private drawBand(context: CanvasRenderingContext2D, band: Placed['bands'][number]): void {
    const [br, bg, bb] = blendedThemeColor('--mmu-frame-reserved', '--vscode-editor-background');
    const top = band.y + 3;
    const height = BAND_HEIGHT - 6;
    context.fillStyle = `rgb(${br}, ${bg}, ${bb})`;
    context.fillRect(0, top, this.canvas.width, height);
    // The whole label where it fits; else the range and size, which say the most.
    const room = this.canvas.width - 2 * BAND_INSET - 2 * BAND_PADDING;
    const short = band.label.replace(/ (not RAM|MMIO).*$/, (_, what: string) => ` ${what}`);
    const text = context.measureText(band.label).width <= room ? band.label : short;
    const width = Math.min(room, context.measureText(text).width);
    context.fillStyle = cssColor('--vscode-editor-background');
    context.fillRect(BAND_INSET, top, width + 2 * BAND_PADDING, height);
    context.fillStyle = cssColor('--vscode-foreground');
    this.fillText(context, text, BAND_INSET + BAND_PADDING, band.y + BAND_HEIGHT / 2, room);
  }

  /** Writes a text (textBaseline middle) and notes the box its glyphs take. */
  private fillText(
    context: CanvasRenderingContext2D,
    text: string,
    x: number,
    y: number,
    room?: number,
  ): void {
    context.fillText(text, x, y, room);
    const metrics = context.measureText(text);
    this.drawnText.push({
      text,
      left: x,
      top: y - metrics.actualBoundingBoxAscent,
      width: Math.min(room ?? Infinity, metrics.width),
      height: metrics.actualBoundingBoxAscent + metrics.actualBoundingBoxDescent,
    });
  }

  /** Where a frame's cell is (canvas pixels), or null when it is drawn as part of a band. */
  private position(frame: number): [number, number] | null {
    const i = this.rowFrom(frame);
    const placed = this.placed;
    if (i === placed.rowFirst.length || frame < placed.rowFirst[i]!) return null;
    return [LABEL_WIDTH + (frame - placed.rowStart[i]!) * this.cellWidth, placed.rowY[i]!];
  }

  /**
   * The first row that ends after a frame (the rows' ends rise with their frames): the frame's own
   * row when it is drawn, else the row that follows the band it is in; the row count past the end.
   */
  private rowFrom(frame: number): number {
    const ends = this.placed.rowEnd;
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (ends[mid]! <= frame) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Outlines the changed frames, row segment by row segment (at most a few thousand). */
  private drawChanges(context: CanvasRenderingContext2D): void {
    context.strokeStyle = cssColor('--mmu-change-modified');
    context.lineWidth = 1;
    const placed = this.placed;
    let drawn = 0;
    for (const run of this.options.changedRuns()) {
      const end = run.start + run.count;
      // Each segment is the part of the run in one drawn row; frames in a band are skipped at once.
      for (let i = this.rowFrom(run.start); i < placed.rowFirst.length && drawn < 4000; i++, drawn++) {
        const first = Math.max(run.start, placed.rowFirst[i]!);
        if (first >= end) break;
        const last = Math.min(end, placed.rowEnd[i]!);
        const x = LABEL_WIDTH + (first - placed.rowStart[i]!) * this.cellWidth;
        context.strokeRect(
          x - 0.5,
          placed.rowY[i]! - 0.5,
          (last - first) * this.cellWidth + 1,
          this.cellHeight + 1,
        );
      }
    }
  }

  /** A pointer's place in canvas pixels (the border and any scaling taken off). */
  private canvasPoint(event: MouseEvent): [number, number] | null {
    const rect = this.canvas.getBoundingClientRect();
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (width === 0 || height === 0) return null;
    return [
      ((event.clientX - rect.left - this.canvas.clientLeft) * this.canvas.width) / width,
      ((event.clientY - rect.top - this.canvas.clientTop) * this.canvas.height) / height,
    ];
  }

  private frameAt(event: MouseEvent): number | null {
    const point = this.canvasPoint(event);
    if (point === null) return null;
    const [x, y] = point;
    if (x < LABEL_WIDTH) return null;
    const placed = this.placed;
    for (let i = 0; i < placed.rowY.length; i++) {
      const top = placed.rowY[i]!;
      if (y < top || y >= top + this.cellHeight) continue;
      const frame = placed.rowStart[i]! + Math.floor((x - LABEL_WIDTH) / this.cellWidth);
      return frame >= placed.rowFirst[i]! && frame < placed.rowEnd[i]! ? frame : null;
    }
    return null;
  }

  /** The band under a point, for its tooltip. */
  private bandAt(event: MouseEvent): string | null {
    const point = this.canvasPoint(event);
    if (point === null) return null;
    const y = point[1];
    return this.placed.bands.find((band) => y >= band.y && y < band.y + BAND_HEIGHT)?.label ?? null;
  }

  describe(frame: number): string {
    const kind = this.kindOf(frame);
    return `frame ${frame} · paddr 0x${(frame * 4096).toString(16)} · ${FRAME_KIND_TEXT[kind]} · ${this.options.locate(frame)}`;
  }

  private hover(event: MouseEvent): void {
    const frame = this.frameAt(event);
    if (frame === null) {
      const band = this.bandAt(event);
      if (band === null) return this.hideTooltip();
      this.hoverFrame = -1;
      this.tooltip.hidden = false;
      this.tooltip.textContent = `${band}: not drawn, frame by frame`;
      this.placeTooltip(event.offsetX, event.offsetY);
      return;
    }
    if (frame === this.hoverFrame) return;
    this.showTooltip(frame, event.offsetX, event.offsetY);
  }

  private placeTooltip(x: number, y: number): void {
    setStyle(this.tooltip, 'left', `${Math.min(x + 12, Math.max(0, this.element.clientWidth - 320))}px`);
    setStyle(this.tooltip, 'top', `${y + 14}px`);
  }

  private showTooltip(frame: number, x: number, y: number): void {
    this.hoverFrame = frame;
    this.tooltip.hidden = false;
    this.tooltip.textContent = this.describe(frame);
    this.placeTooltip(x, y);
    window.clearTimeout(this.hoverTimer);
    this.hoverTimer = window.setTimeout(() => {
      this.options.frameInfo(frame).then(
        (info) => {
          if (this.hoverFrame !== frame) return;
          const mappings = info.mappings.map((m) => `${m.spaceId} ${m.vaddr}`);
          const lines = [
            info.refCount === null ? '' : `ref count ${info.refCount}`,
            mappings.length === 0
              ? 'not mapped by any address space'
              : `mapped at ${mappings.slice(0, 6).join(', ')}`,
          ];
          this.tooltip.textContent = `${this.describe(frame)}\n${lines.filter((l) => l !== '').join(' · ')}`;
        },
        () => undefined,
      );
    }, 150);
  }

  private hideTooltip(): void {
    this.hoverFrame = -1;
    this.tooltip.hidden = true;
    window.clearTimeout(this.hoverTimer);
  }

  setCursor(frame: number): void {
    this.cursor = this.nearestDrawn(Math.max(0, Math.min(this.kinds.length - 1, frame)), 1);
    this.draw();
    const at = this.position(this.cursor) ?? [0, 0];
    const scale = this.canvas.clientWidth / Math.max(1, this.canvas.width);
    this.showTooltip(this.cursor, at[0] * scale, at[1] * scale);
  }

  /** The frame itself if drawn, else the first drawn frame from it in a direction (past a band). */
  private nearestDrawn(frame: number, direction: 1 | -1): number {
    const placed = this.placed;
    const i = this.rowFrom(frame);
    if (i < placed.rowFirst.length && frame >= placed.rowFirst[i]!) return frame;
    // Past a band: the first frame after it, or the last one before it.
    const row = direction === 1 ? i : i - 1;
    if (row >= 0 && row < placed.rowFirst.length)
      return direction === 1 ? placed.rowFirst[row]! : placed.rowEnd[row]! - 1;
    return this.cursor >= 0 ? this.cursor : (placed.rowFirst[0] ?? 0);
  }

  private onKey(event: KeyboardEvent): void {
    const perRow = this.layout.framesPerRow;
    const from = this.cursor < 0 ? (this.placed.rowFirst[0] ?? 0) : this.cursor;
    const moves: Record<string, [number, 1 | -1]> = {
      ArrowRight: [from + 1, 1],
      ArrowLeft: [from - 1, -1],
      ArrowDown: [from + perRow, 1],
      ArrowUp: [from - perRow, -1],
    };
    const move = moves[event.key];
    if (move !== undefined) {
      const target = Math.max(0, Math.min(this.kinds.length - 1, move[0]));
      this.setCursor(this.nearestDrawn(target, move[1]));
    } else if (event.key === 'Home') this.setCursor(0);
    else if (event.key === 'End') this.setCursor(this.nearestDrawn(this.kinds.length - 1, -1));
    else if (event.key === 'Enter' && this.cursor >= 0) this.options.select(this.cursor);
    else if (event.key === 'Escape') this.hideTooltip();
    else return;
    event.preventDefault();
  }
}

function emptyPlacement(): Placed {
  const none = new Int32Array(0);
  return { rowFirst: none, rowEnd: none, rowStart: none, rowY: none, bands: [], height: 0 };
}

/** The y of every row and band of a layout, rows `cellHeight` tall. */
function place(layout: FrameLayout, frameCount: number, cellHeight: number): Placed {
  const rows = layout.items.filter((item) => item.kind === 'row').length;
  const placed: Placed = {
    rowFirst: new Int32Array(rows),
    rowEnd: new Int32Array(rows),
    rowStart: new Int32Array(rows),
    rowY: new Int32Array(rows),
    bands: [],
    height: 0,
  };
  let y = 0;
  let row = 0;
  layout.items.forEach((item, index) => {
    if (item.kind === 'gap') {
      placed.bands.push({ first: item.first, end: item.end, label: item.label, y });
      y += BAND_HEIGHT;
      return;
    }
    const { first, end } = rowFrames(layout, index, frameCount);
    placed.rowFirst[row] = first;
    placed.rowEnd[row] = end;
    placed.rowStart[row] = item.first;
    placed.rowY[row] = y;
    row++;
    y += cellHeight;
  });
  placed.height = y;
  return placed;
}

export function frameLegend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Frame owners' },
    ...FRAME_KINDS.map((kind) =>
      h('li', {}, h('span', { class: `swatch frame-${kind}`, 'aria-hidden': 'true' }), FRAME_KIND_TEXT[kind]),
    ),
  );
}
