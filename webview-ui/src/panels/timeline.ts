// Timeline: the whole run as a strip, one lane per kind of mark (faults, failures, allocations,
// processes, breakpoints, bookmarks). The strip is a canvas and holds no node per step: it asks the
// extension for the visible range only, cut into about one bucket per pixel column, so a run of a
// million steps costs what a run of a thousand does. Click travels to a step, a drag compares the
// step where it ends with the step where it started, and the wheel, the buttons and the keyboard zoom
// and pan.
import {
  bucketOf,
  bucketStart,
  lowestMark,
  markCount,
  MAX_TIMELINE_BUCKETS,
  TIMELINE_MARK_KINDS,
  type TimelineDto,
  type TimelineMarkKind,
} from '../../../src/protocol/timeline';
import { plural } from '../../../src/protocol/plural';
import { emptyState, header } from '../components/header';
import { clear, h, icon, setStyle } from '../dom';
import type { Store } from '../store';
import { cssColor } from '../themeColors';

/** How each kind is named in the legend and in the descriptions (singular, plural). */
export const MARK_NAMES: Record<TimelineMarkKind, readonly [string, string]> = {
  zero_fault: ['zero fault', 'zero faults'],
  cow_fault: ['COW fault', 'COW faults'],
  inode_fault: ['inode fault', 'inode faults'],
  failed: ['failed step', 'failed steps'],
  crash: ['crash', 'crashes'],
  oom: ['out of memory', 'out of memory'],
  bus_error: ['bus error', 'bus errors'],
  panic: ['panic', 'panics'],
  page_allocated: ['page allocation', 'page allocations'],
  page_freed: ['page free', 'page frees'],
  contiguous_pages_allocated: ['contiguous allocation', 'contiguous allocations'],
  process_created: ['process created', 'processes created'],
  process_died: ['process exit', 'process exits'],
  breakpoint: ['breakpoint', 'breakpoints'],
  bookmark: ['bookmark', 'bookmarks'],
};

const LANE = 12;
const AXIS = 18;
/** Fewest slots shown when zoomed in all the way: a few steps wide enough to click. */
const MIN_SPAN = 8;
/** A pointer that moved less than this between press and release clicked rather than dragged. */
const DRAG_THRESHOLD = 4;
const ZOOM_FACTOR = 2;

/** "1 zero fault", "3 zero faults": the shared count wording with the mark's own plural. */
function marksText(kind: TimelineMarkKind, n: number): string {
  return plural(n, MARK_NAMES[kind][0], MARK_NAMES[kind][1]);
}

/** The reply on screen, with where each bucket's counts start (the masks' set bits before it). */
interface Shown {
  readonly timeline: TimelineDto;
  readonly offsets: Int32Array;
}

function shownOf(timeline: TimelineDto): Shown {
  const offsets = new Int32Array(timeline.kinds.length + 1);
  timeline.kinds.forEach((mask, b) => {
    offsets[b + 1] = (offsets[b] ?? 0) + markCount(mask);
  });
  return { timeline, offsets };
}

export class TimelineView {
  private readonly root = h('div', { class: 'timeline-view' });
  private readonly top = h('div', { class: 'timeline-top' });
  private readonly canvas = h('canvas', {
    class: 'timeline-strip',
    tabindex: 0,
    role: 'img',
    'aria-roledescription': 'timeline',
  });
  private readonly lanes = h('ul', { class: 'timeline-lanes', 'aria-label': 'Kinds of step' });
  private readonly range = h('span', { class: 'timeline-range muted' });
  private readonly detail = h('p', { class: 'timeline-detail', 'aria-live': 'polite' });
  private readonly body = h('div', { class: 'timeline-body' });
  /** The visible slots [from, from + span). */
  private from = 0;
  private span = 1;
  /** Whether the whole run is in view: it stays so as the run grows. */
  private fitted = true;
  /** The keyboard's step, or null before the strip was used from the keyboard. */
  private cursor: number | null = null;
  private shown: Shown | null = null;
  /** The range last asked for: asked again only once the run, the stop or the marks changed. */
  private asked = '';
  private session: string | null = null;
  private waiting = 0;
  private latest = 0;
  private frame = 0;
  private press: { x: number; slot: number } | null = null;
  private dragTo: number | null = null;
  /** Where the last draw put its texts and a mark of each kind (CSS pixels), for the contrast tests. */
  private drawn: DrawnParts = { text: [], marks: {} };

  constructor(private readonly store: Store) {
    store.subscribe((event) => {
      if (event.kind === 'reveal') return;
      if (event.kind !== 'changes') {
        this.asked = '';
        this.renderTop();
      }
      if (event.kind === 'state') {
        this.forgetOtherRun();
        this.follow();
      }
      this.schedule();
    });
    this.fitted = store.getUi('fitted', true, (v): v is boolean => typeof v === 'boolean');
    this.from = store.getUi('from', 0, isCount);
    this.span = store.getUi('span', 1, isCount);
    this.listen();
    Object.defineProperty(this.canvas, 'drawnParts', { get: (): DrawnParts => this.drawn });
  }

  mount(parent: HTMLElement): void {
    parent.appendChild(this.root);
    this.root.append(this.top, this.body);
    this.body.append(
      this.toolbar(),
      h(
        'div',
        { class: 'timeline-grid' },
        this.lanes,
        h('div', { class: 'timeline-canvas-wrap' }, this.canvas),
      ),
      this.detail,
      h(
        'p',
        { class: 'timeline-help muted' },
        'Click a step to travel there; drag across steps to see the changes from the first to the last. ',
        'Ctrl+wheel or + and − zoom, the wheel pans; with the strip focused, ← → move, Enter travels, ',
        'C compares with the step under the cursor.',
      ),
    );
    this.renderLanes(null);
    new ResizeObserver(() => this.schedule()).observe(this.canvas.parentElement ?? this.canvas);
    this.render();
  }

  render(): void {
    this.renderTop();
    this.schedule();
  }

  /** False while the buckets of the shown range are on their way. */
  settled(): boolean {
    return this.waiting === 0 && this.frame === 0;
  }

  /** The slots of the run: boot and every step recorded, as the session or the last reply counts them. */
  private get total(): number {
    return Math.max(this.store.session?.stepCount ?? 0, this.shown?.timeline.stepCount ?? 0) + 1;
  }

  private renderTop(): void {
    clear(this.top);
    this.top.appendChild(header(this.store, 'Timeline', ['']));
    const live = this.store.state !== null;
    this.body.hidden = !live;
    if (!live) this.top.appendChild(emptyState(this.store.noSessionReason));
  }

  private toolbar(): HTMLElement {
    const button = (name: string, label: string, action: () => void): HTMLElement => {
      const b = h('button', { class: 'icon-button', title: label, 'aria-label': label }, icon(name));
      b.addEventListener('click', action);
      return b;
    };
    return h(
      'div',
      { class: 'timeline-toolbar', role: 'toolbar', 'aria-label': 'Timeline zoom' },
      button('zoom-out', 'Zoom out (−)', () => this.zoom(ZOOM_FACTOR, 0.5)),
      button('zoom-in', 'Zoom in (+)', () => this.zoom(1 / ZOOM_FACTOR, 0.5)),
      button('screen-full', 'Show the whole run (0)', () => this.fit()),
      button('target', 'Show the current step (.)', () => this.centre(this.current())),
      this.range,
    );
  }

  /** Another session (or none) shows another run: nothing of the last one's buckets may remain. */
  private forgetOtherRun(): void {
    const session = this.store.session?.sessionId ?? null;
    if (session === this.session) return;
    this.session = session;
    this.shown = null;
  }

  /** Brings a current step that left the visible range (a step, a travel from elsewhere) back into it. */
  private follow(): void {
    const current = this.current();
    if (!this.fitted && (current < this.from || current >= this.from + this.span)) this.centre(current);
  }

  private current(): number {
    return this.store.state?.step.index ?? 0;
  }

  // -------------------------------------------------------------------------- range and requests

  private setRange(from: number, span: number): void {
    const total = this.total;
    this.span = Math.max(Math.min(total, MIN_SPAN), Math.min(total, Math.round(span)));
    this.from = Math.max(0, Math.min(total - this.span, Math.round(from)));
    this.fitted = this.from === 0 && this.span === total;
    this.store.setUi('from', this.from);
    this.store.setUi('span', this.span);
    this.store.setUi('fitted', this.fitted);
    this.schedule();
  }

  /** Zooms by `factor` (below 1: in) keeping the slot at `anchor` (a fraction of the width) in place. */
  private zoom(factor: number, anchor: number): void {
    const slot = this.from + anchor * this.span;
    const span = this.span * factor;
    this.setRange(slot - anchor * span, span);
  }

  private fit(): void {
    this.setRange(0, this.total);
  }

  private centre(slot: number): void {
    this.setRange(slot - this.span / 2, this.span);
  }

  private pan(slots: number): void {
    this.setRange(this.from + slots, this.span);
  }

  /** Redraws in the next frame, asking for the buckets of the visible range first. */
  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.refresh();
    });
  }

  private columns(): number {
    return Math.max(1, Math.floor(this.canvas.parentElement?.clientWidth ?? 0));
  }

  private refresh(): void {
    if (this.store.state === null) return;
    const total = this.total;
    if (this.fitted || this.span > total || this.from + this.span > total) {
      const span = this.fitted ? total : Math.min(this.span, total);
      this.span = Math.max(1, span);
      this.from = Math.max(0, Math.min(this.from, total - this.span));
    }
    this.sizeCanvas();
    this.range.textContent = this.rangeText();
    this.draw();
    const from = this.from;
    const to = this.from + this.span;
    const buckets = Math.min(this.span, this.columns(), MAX_TIMELINE_BUCKETS);
    const key = `${from}:${to}:${buckets}`;
    if (key === this.asked) return;
    this.asked = key;
    const request = ++this.latest;
    this.waiting++;
    this.store.requestTimeline(from, to, buckets).then(
      (timeline) => {
        this.waiting--;
        // Only the reply to the latest request is drawn: the range moved since the others.
        if (request !== this.latest) return;
        this.shown = shownOf(timeline);
        this.renderLanes(timeline);
        this.draw();
        this.describe(this.cursor ?? this.current());
      },
      (error: unknown) => {
        this.waiting--;
        this.asked = '';
        this.detail.textContent = `The timeline could not be read: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  }

  private rangeText(): string {
    const last = this.from + this.span - 1;
    const perColumn = this.span / this.columns();
    const density = perColumn <= 1 ? '' : ` · ${Math.ceil(perColumn).toLocaleString('en-US')} steps a column`;
    return `Steps ${this.from.toLocaleString('en-US')}–${last.toLocaleString('en-US')} of ${(this.total - 1).toLocaleString('en-US')}${density}`;
  }

  // -------------------------------------------------------------------------- lanes and legend

  /** The lanes' names and swatches: the legend, with each kind's total in the run once known. */
  private renderLanes(timeline: TimelineDto | null): void {
    clear(this.lanes);
    TIMELINE_MARK_KINDS.forEach((kind, i) => {
      const total = timeline?.totals[i] ?? 0;
      this.lanes.appendChild(
        h(
          'li',
          { class: total === 0 ? 'lane empty' : 'lane', title: `${marksText(kind, total)} in the whole run` },
          h('span', { class: `swatch mark-${kind}`, 'aria-hidden': 'true' }),
          h('span', { class: 'lane-name' }, MARK_NAMES[kind][0]),
          h('span', { class: 'lane-total' }, total.toLocaleString('en-US')),
        ),
      );
    });
  }

  // -------------------------------------------------------------------------- drawing

  private sizeCanvas(): void {
    const width = this.columns();
    const height = AXIS + LANE * TIMELINE_MARK_KINDS.length;
    const ratio = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * ratio)) this.canvas.width = Math.round(width * ratio);
    if (this.canvas.height !== Math.round(height * ratio)) this.canvas.height = Math.round(height * ratio);
    setStyle(this.canvas, 'width', `${width}px`);
    setStyle(this.canvas, 'height', `${height}px`);
  }

  /** The x of a slot's left edge, in CSS pixels. */
  private xOf(slot: number): number {
    return ((slot - this.from) / this.span) * this.columns();
  }

  private slotAt(x: number): number {
    const slot = this.from + Math.floor((x / this.columns()) * this.span);
    return Math.max(this.from, Math.min(this.from + this.span - 1, slot));
  }

  private draw(): void {
    const context = this.canvas.getContext('2d');
    if (context === null) return;
    const ratio = window.devicePixelRatio || 1;
    const width = this.columns();
    const height = AXIS + LANE * TIMELINE_MARK_KINDS.length;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.drawn = { text: [], marks: {} };
    context.fillStyle = cssColor('--vscode-editor-background');
    context.fillRect(0, 0, width, height);
    this.drawLaneRules(context, width);
    this.drawAxis(context, width);
    this.drawBuckets(context);
    this.drawSelection(context, height);
    this.drawStepLine(context, this.store.compareStep, '--mmu-change-modified', true, height);
    this.drawStepLine(context, this.current(), '--vscode-focusBorder', false, height);
    if (this.cursor !== null && document.activeElement === this.canvas) this.drawCursor(context, height);
    this.canvas.setAttribute('aria-label', this.summary());
  }

  private drawLaneRules(context: CanvasRenderingContext2D, width: number): void {
    context.fillStyle = cssColor('--mmu-page-border');
    for (let lane = 0; lane <= TIMELINE_MARK_KINDS.length; lane++)
      context.fillRect(0, AXIS + lane * LANE - 0.5, width, 1);
  }

  private drawAxis(context: CanvasRenderingContext2D, width: number): void {
    context.fillStyle = cssColor('--vscode-descriptionForeground');
    context.font = `11px ${getComputedStyle(document.body).fontFamily}`;
    context.textBaseline = 'middle';
    const ticks = Math.max(2, Math.floor(width / 64));
    const step = Math.max(1, niceStep(this.span / ticks));
    const first = Math.ceil(this.from / step) * step;
    for (let slot = first; slot < this.from + this.span; slot += step) {
      const x = this.xOf(slot + 0.5);
      context.fillRect(Math.round(x), AXIS - 5, 1, 5);
      const text = slot.toLocaleString('en-US');
      const textWidth = context.measureText(text).width;
      const left = Math.min(width - textWidth, Math.max(0, x - textWidth / 2));
      context.fillText(text, left, AXIS / 2 - 2);
      const metrics = context.measureText(text);
      this.drawn.text.push({
        text,
        left,
        top: AXIS / 2 - 2 - metrics.actualBoundingBoxAscent,
        width: textWidth,
        height: metrics.actualBoundingBoxAscent + metrics.actualBoundingBoxDescent,
      });
    }
  }

  private drawBuckets(context: CanvasRenderingContext2D): void {
    const shown = this.shown;
    if (shown === null) return;
    const { from, to, kinds } = shown.timeline;
    const colours = TIMELINE_MARK_KINDS.map((kind) => cssColor(`--mmu-mark-${kind}`));
    // Edges on whole device pixels: a mark a pixel wide that straddled two would be drawn as two
    // half-tones, too faint to read against the strip.
    const ratio = window.devicePixelRatio || 1;
    const snap = (x: number): number => Math.round(x * ratio) / ratio;
    kinds.forEach((mask, b) => {
      if (mask === 0) return;
      const left = snap(this.xOf(bucketStart(from, to, kinds.length, b)));
      const right = snap(this.xOf(bucketStart(from, to, kinds.length, b + 1)));
      // At least a pixel, and a gap between steps once they are wide.
      const gap = right - left >= 6 ? 1 : 0;
      const w = Math.max(1 / ratio, right - left - gap);
      for (let m = mask; m !== 0; m &= m - 1) {
        const lane = lowestMark(m);
        context.fillStyle = colours[lane] ?? '';
        context.fillRect(left, AXIS + lane * LANE + 2, w, LANE - 4);
        this.drawn.marks[TIMELINE_MARK_KINDS[lane]!] ??= [left + w / 2, AXIS + lane * LANE + LANE / 2];
      }
    });
  }

  private drawSelection(context: CanvasRenderingContext2D, height: number): void {
    if (this.press === null || this.dragTo === null) return;
    const lo = Math.min(this.press.slot, this.dragTo);
    const hi = Math.max(this.press.slot, this.dragTo);
    context.globalAlpha = 0.25;
    context.fillStyle = cssColor('--vscode-focusBorder');
    context.fillRect(this.xOf(lo), 0, Math.max(2, this.xOf(hi + 1) - this.xOf(lo)), height);
    context.globalAlpha = 1;
  }

  /** A vertical line through every lane at a step: solid for the current one, dashed for the compared. */
  private drawStepLine(
    context: CanvasRenderingContext2D,
    slot: number | null,
    colour: string,
    dashed: boolean,
    height: number,
  ): void {
    if (slot === null || slot < this.from || slot >= this.from + this.span) return;
    const x = Math.round(this.xOf(slot + 0.5)) + 0.5;
    context.strokeStyle = cssColor(colour);
    context.lineWidth = dashed ? 1 : 2;
    context.setLineDash(dashed ? [3, 3] : []);
    context.beginPath();
    context.moveTo(x, AXIS - 6);
    context.lineTo(x, height);
    context.stroke();
    context.setLineDash([]);
    context.lineWidth = 1;
    context.fillStyle = cssColor(colour);
    context.beginPath();
    context.moveTo(x - 4, AXIS - 6);
    context.lineTo(x + 4, AXIS - 6);
    context.lineTo(x, AXIS);
    context.fill();
    // Inside the triangle, where it is solid whatever the lines and marks beside it.
    this.drawn.marks[dashed ? 'compared step' : 'current step'] = [x, AXIS - 3];
  }

  private drawCursor(context: CanvasRenderingContext2D, height: number): void {
    const slot = this.cursor ?? 0;
    if (slot < this.from || slot >= this.from + this.span) return;
    const left = this.xOf(slot);
    context.strokeStyle = cssColor('--vscode-focusBorder');
    context.strokeRect(left + 0.5, AXIS + 0.5, Math.max(2, this.xOf(slot + 1) - left - 1), height - AXIS - 1);
    // On the top edge, clear of the marks (they start below it) and of the step lines' triangles.
    this.drawn.marks['cursor'] = [left + 1, AXIS + 0.5];
  }

  private summary(): string {
    const totals = this.shown?.timeline.totals ?? [];
    const parts = TIMELINE_MARK_KINDS.flatMap((kind, i) => {
      const n = totals[i] ?? 0;
      return n === 0 ? [] : [marksText(kind, n)];
    });
    return `Timeline of ${(this.total - 1).toLocaleString('en-US')} steps, current step ${this.current()}: ${
      parts.length === 0 ? 'nothing marked' : parts.join(', ')
    }`;
  }

  // -------------------------------------------------------------------------- descriptions

  /** What the bucket holding `slot` holds, in words; shown below the strip and read out. */
  private describe(slot: number): void {
    this.detail.textContent = this.description(slot);
  }

  private description(slot: number): string {
    const shown = this.shown;
    if (shown === null) return '';
    const { from, to, kinds, counts, firsts } = shown.timeline;
    if (slot < from || slot >= to) return `Step ${slot} is outside the shown range.`;
    const b = bucketOf(from, to, kinds.length, slot);
    const first = bucketStart(from, to, kinds.length, b);
    const last = bucketStart(from, to, kinds.length, b + 1) - 1;
    const where = first === last ? `Step ${first}` : `Steps ${first}–${last}`;
    const parts: string[] = [];
    let offset = shown.offsets[b] ?? 0;
    for (let m = kinds[b] ?? 0; m !== 0; m &= m - 1, offset++) {
      const kind = TIMELINE_MARK_KINDS[lowestMark(m)] as TimelineMarkKind;
      // Bookmarks are told by name below.
      if (kind === 'bookmark') continue;
      const n = counts[offset] ?? 0;
      const at = firsts[offset] ?? first;
      if (first === last) parts.push(MARK_NAMES[kind][0]);
      else
        parts.push(
          n === 1 ? `${marksText(kind, n)} (step ${at})` : `${marksText(kind, n)} (first at step ${at})`,
        );
    }
    const named = this.store.shared.bookmarks
      .filter((bookmark) => bookmark.step >= first && bookmark.step <= last)
      .map((bookmark) => `“${bookmark.name}”`);
    if (named.length > 0) parts.push(`bookmarked as ${named.join(', ')}`);
    const current = this.current();
    const here = current >= first && current <= last ? ' (the current step)' : '';
    return `${where}${here}: ${parts.length === 0 ? 'nothing marked' : parts.join(', ')}.`;
  }

  /** Where a click on the bucket holding `slot` travels: its first marked step, else its first step. */
  private target(slot: number): number {
    const shown = this.shown;
    if (shown === null) return slot;
    const { from, to, kinds, firsts } = shown.timeline;
    if (slot < from || slot >= to) return slot;
    const b = bucketOf(from, to, kinds.length, slot);
    const first = bucketStart(from, to, kinds.length, b);
    let best = Number.POSITIVE_INFINITY;
    for (let i = shown.offsets[b] ?? 0; i < (shown.offsets[b + 1] ?? 0); i++)
      best = Math.min(best, firsts[i] ?? best);
    return Number.isFinite(best) ? best : first;
  }

  // -------------------------------------------------------------------------- input

  private listen(): void {
    const canvas = this.canvas;
    canvas.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      canvas.setPointerCapture(event.pointerId);
      this.press = { x: event.offsetX, slot: this.slotAt(event.offsetX) };
      this.dragTo = null;
    });
    canvas.addEventListener('pointermove', (event) => {
      const slot = this.slotAt(event.offsetX);
      if (this.press !== null && Math.abs(event.offsetX - this.press.x) >= DRAG_THRESHOLD) {
        this.dragTo = slot;
        const lo = Math.min(this.press.slot, slot);
        const hi = Math.max(this.press.slot, slot);
        this.detail.textContent = `Release to see the changes from step ${lo} to step ${hi}.`;
        this.draw();
        return;
      }
      if (this.press === null) {
        const text = this.description(slot);
        canvas.title = text;
        this.detail.textContent = text;
      }
    });
    canvas.addEventListener('pointerup', (event) => {
      const press = this.press;
      const dragTo = this.dragTo;
      this.press = null;
      this.dragTo = null;
      if (press === null) return;
      if (dragTo === null) this.travel(this.target(this.slotAt(event.offsetX)));
      else this.compareRange(press.slot, dragTo);
      this.draw();
    });
    canvas.addEventListener('pointercancel', () => {
      this.press = null;
      this.dragTo = null;
      this.draw();
    });
    canvas.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const anchor = event.offsetX / this.columns();
        if (event.ctrlKey || event.metaKey)
          this.zoom(event.deltaY > 0 ? ZOOM_FACTOR : 1 / ZOOM_FACTOR, anchor);
        else {
          const delta = Math.abs(event.deltaX) > Math.abs(event.deltaY) ? event.deltaX : event.deltaY;
          this.pan(Math.sign(delta) * Math.max(1, Math.round(this.span / 10)));
        }
      },
      { passive: false },
    );
    canvas.addEventListener('keydown', (event) => this.key(event));
    canvas.addEventListener('focus', () => {
      this.cursor ??= this.current();
      this.describe(this.cursor);
      this.draw();
    });
    canvas.addEventListener('blur', () => this.draw());
  }

  /** Compares the end of a dragged range with its start: the views show what changed between them. */
  private compareRange(a: number, b: number): void {
    const lo = Math.min(a, b);
    const hi = Math.min(Math.max(a, b), this.total - 1);
    if (lo === hi) return this.travel(lo);
    this.store.compareWith(lo);
    if (hi !== this.current()) this.store.travelTo(hi);
  }

  private travel(step: number): void {
    const last = this.total - 1;
    const target = Math.max(0, Math.min(last, step));
    this.cursor = target;
    if (target !== this.current()) this.store.travelTo(target);
  }

  private key(event: KeyboardEvent): void {
    const perBucket = Math.max(1, Math.ceil(this.span / this.columns()));
    const cursor = this.cursor ?? this.current();
    const moves: Record<string, () => number> = {
      ArrowLeft: () => cursor - perBucket,
      ArrowRight: () => cursor + perBucket,
      PageUp: () => cursor - this.span,
      PageDown: () => cursor + this.span,
      Home: () => 0,
      End: () => this.total - 1,
      '.': () => this.current(),
    };
    const move = moves[event.key];
    if (move !== undefined) {
      this.moveCursor(move());
    } else if (event.key === '+' || event.key === '=') this.zoomAtCursor(1 / ZOOM_FACTOR);
    else if (event.key === '-' || event.key === '_') this.zoomAtCursor(ZOOM_FACTOR);
    else if (event.key === '0') this.fit();
    else if (event.key === 'Enter' || event.key === ' ') this.travel(this.target(cursor));
    else if (event.key === 'c' || event.key === 'C')
      this.store.compareWith(cursor < this.current() ? cursor : null);
    else return;
    event.preventDefault();
  }

  private moveCursor(slot: number): void {
    const cursor = Math.max(0, Math.min(this.total - 1, slot));
    this.cursor = cursor;
    if (cursor < this.from) this.setRange(cursor, this.span);
    else if (cursor >= this.from + this.span) this.setRange(cursor - this.span + 1, this.span);
    this.describe(cursor);
    this.draw();
  }

  private zoomAtCursor(factor: number): void {
    const slot = this.cursor ?? this.current();
    const anchor = slot >= this.from && slot < this.from + this.span ? (slot - this.from) / this.span : 0.5;
    this.zoom(factor, anchor);
  }
}

/** Texts and a point of each kind of mark as drawn, in CSS pixels from the canvas's top left. */
interface DrawnParts {
  text: { text: string; left: number; top: number; width: number; height: number }[];
  marks: Record<string, [number, number]>;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** 1, 2 or 5 times a power of ten, at least `raw`: tick spacing people read easily. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  for (const m of [1, 2, 5, 10]) if (power * m >= raw) return power * m;
  return power * 10;
}
