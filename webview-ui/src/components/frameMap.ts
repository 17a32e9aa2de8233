// The physical frame map: one cell per frame, coloured by what holds it, drawn as pixels on a canvas
// so that a million frames cost one putImageData. Hover explains a frame (and asks the extension who
// maps it); arrows move a cursor; Enter or a click selects the frame.
import { decodeBase64 } from '../../../src/protocol/base64';
import { diffFrameMaps } from '../../../src/protocol/stateDiff';
import { FRAME_KINDS, type FrameInfoDto, type FrameKind } from '../../../src/protocol/dto';
import type { ThingRef } from '../../../src/protocol/things';
import { setStyle, h } from '../dom';
import { byMouse, markThing } from '../thingContext';
import { blendedThemeColor, cssColor } from '../themeColors';

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

function geometry(frames: number): { cell: number; columns: number } {
  if (frames <= 16384) return { cell: 4, columns: 128 };
  if (frames <= 65536) return { cell: 2, columns: 256 };
  return { cell: 1, columns: 1024 };
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
  private cell = 1;
  private columns = 1;
  cursor = -1;
  private hoverTimer = 0;
  private hoverFrame = -1;

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
    if (runs === null) {
      this.kinds = decodeBase64(base64);
      this.counts = new Array<number>(FRAME_KINDS.length).fill(0);
      for (const kind of this.kinds) this.counts[kind] = (this.counts[kind] ?? 0) + 1;
      ({ cell: this.cell, columns: this.columns } = geometry(this.kinds.length));
      this.canvas.width = this.columns * this.cell;
      this.canvas.height = Math.max(1, Math.ceil(this.kinds.length / this.columns)) * this.cell;
      this.image = null;
    } else {
      // A step changes a few frames of a map of a million: only theirs are decoded and repainted.
      for (const run of runs) {
        for (let i = 0; i < run.bytes.length; i++) {
          const frame = run.start + i;
          const kind = run.bytes[i]!;
          this.counts[this.kinds[frame]!]!--;
          this.counts[kind] = (this.counts[kind] ?? 0) + 1;
          this.kinds[frame] = kind;
          if (this.image !== null) this.paintCell(this.pixels, this.imagePalette, frame);
        }
      }
    }
    this.canvas.dataset['frames'] = String(this.kinds.length);
    this.canvas.setAttribute(
      'aria-label',
      `Physical frame map: ${this.kinds.length} frames, ${this.summary()}`,
    );
    this.draw();
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
      // Free frames are the background the others are seen against.
      const [r, g, b] = blendedThemeColor(`--mmu-frame-${kind}`, '--mmu-frame-free');
      bytes.set([r, g, b, 255], i * 4);
    });
    return palette;
  }

  /** Colours the cell of one frame in `pixels`, an image as wide as the canvas. */
  private paintCell(pixels: Uint32Array, palette: Uint32Array, frame: number): void {
    const color = palette[this.kinds[frame] ?? 0] ?? 0;
    const x0 = (frame % this.columns) * this.cell;
    const y0 = Math.floor(frame / this.columns) * this.cell;
    const width = this.canvas.width;
    for (let dy = 0; dy < this.cell; dy++) {
      const row = (y0 + dy) * width + x0;
      for (let dx = 0; dx < this.cell; dx++) pixels[row + dx] = color;
    }
  }

  draw(): void {
    const thing = this.cursor >= 0 ? this.options.thing?.(this.cursor) : undefined;
    markThing(this.canvas, thing ?? null);
    const context = this.canvas.getContext('2d');
    if (context === null || this.kinds.length === 0) return;
    const palette = this.palette();
    const samePalette =
      palette.length === this.imagePalette.length &&
      palette.every((color, i) => color === this.imagePalette[i]);
    if (this.image === null || !samePalette) {
      const image = context.createImageData(this.canvas.width, this.canvas.height);
      const pixels = new Uint32Array(image.data.buffer);
      for (let frame = 0; frame < this.kinds.length; frame++) this.paintCell(pixels, palette, frame);
      this.image = image;
      this.pixels = pixels;
      this.imagePalette = palette;
    }
    // The cells as they are, which also wipes the outlines of the last draw.
    context.putImageData(this.image, 0, 0);
    this.drawChanges(context);
    if (this.cursor >= 0) {
      context.strokeStyle = cssColor('--vscode-focusBorder');
      context.lineWidth = 1;
      const [x, y] = this.position(this.cursor);
      context.strokeRect(x - 1.5, y - 1.5, this.cell + 3, this.cell + 3);
    }
  }

  private position(frame: number): [number, number] {
    return [(frame % this.columns) * this.cell, Math.floor(frame / this.columns) * this.cell];
  }

  /** Outlines the changed frames, row segment by row segment (at most a few thousand). */
  private drawChanges(context: CanvasRenderingContext2D): void {
    context.strokeStyle = cssColor('--mmu-change-modified');
    context.lineWidth = 1;
    let drawn = 0;
    for (const run of this.options.changedRuns()) {
      for (let frame = run.start; frame < run.start + run.count && drawn < 4000; drawn++) {
        const rowEnd = (Math.floor(frame / this.columns) + 1) * this.columns;
        const end = Math.min(run.start + run.count, rowEnd);
        const [x, y] = this.position(frame);
        context.strokeRect(x - 0.5, y - 0.5, (end - frame) * this.cell + 1, this.cell + 1);
        frame = end;
      }
    }
  }

  private frameAt(event: MouseEvent): number | null {
    const rect = this.canvas.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return null;
    const x = ((event.clientX - rect.left) * this.canvas.width) / rect.width;
    const y = ((event.clientY - rect.top) * this.canvas.height) / rect.height;
    const frame = Math.floor(y / this.cell) * this.columns + Math.floor(x / this.cell);
    return frame >= 0 && frame < this.kinds.length && x < this.canvas.width ? frame : null;
  }

  describe(frame: number): string {
    const kind = this.kindOf(frame);
    return `frame ${frame} · paddr 0x${(frame * 4096).toString(16)} · ${FRAME_KIND_TEXT[kind]} · ${this.options.locate(frame)}`;
  }

  private hover(event: MouseEvent): void {
    const frame = this.frameAt(event);
    if (frame === null) return this.hideTooltip();
    if (frame === this.hoverFrame) return;
    this.showTooltip(frame, event.offsetX, event.offsetY);
  }

  private showTooltip(frame: number, x: number, y: number): void {
    this.hoverFrame = frame;
    this.tooltip.hidden = false;
    this.tooltip.textContent = this.describe(frame);
    setStyle(this.tooltip, 'left', `${Math.min(x + 12, Math.max(0, this.element.clientWidth - 320))}px`);
    setStyle(this.tooltip, 'top', `${y + 14}px`);
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
    this.cursor = Math.max(0, Math.min(this.kinds.length - 1, frame));
    this.draw();
    const [x, y] = this.position(this.cursor);
    const scale = this.canvas.clientWidth / Math.max(1, this.canvas.width);
    this.showTooltip(this.cursor, x * scale, y * scale);
  }

  private onKey(event: KeyboardEvent): void {
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: this.columns,
      ArrowUp: -this.columns,
    };
    const move = moves[event.key];
    if (move !== undefined) this.setCursor(this.cursor < 0 ? 0 : this.cursor + move);
    else if (event.key === 'Home') this.setCursor(0);
    else if (event.key === 'End') this.setCursor(this.kinds.length - 1);
    else if (event.key === 'Enter' && this.cursor >= 0) this.options.select(this.cursor);
    else if (event.key === 'Escape') this.hideTooltip();
    else return;
    event.preventDefault();
  }
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
