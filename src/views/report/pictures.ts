// The report's pictures: page strips, frame strips and bars as inline SVG. Each picture stretches to
// the width of the page (its viewBox counts pages, frames or bytes, and preserveAspectRatio="none"
// lets it scale sideways only), so it reads the same in a phone-wide window, a wide one and on
// paper; its words are HTML beside it, which wraps, never SVG text, which would shrink.
//
// A strip is drawn as one rectangle per run of equal states, not one per page. A long strip (a
// 100,000-page region, a million frames) is first grouped into a few hundred cells of several pages,
// each cell taking its most telling state, as the panels' canvases do; so a picture costs a few
// hundred rectangles at most, whatever the machine.

import { type Child, type Html, el } from './html';

/** Consecutive items sharing one key: items [first, first + count). */
export interface Run {
  readonly key: string;
  readonly first: number;
  readonly count: number;
}

/** The runs of a sequence, from the key of each item. */
export function runsOf(length: number, keyAt: (index: number) => string): Run[] {
  const runs: Run[] = [];
  let start = 0;
  for (let i = 1; i <= length; i++) {
    if (i < length && keyAt(i) === keyAt(start)) continue;
    runs.push({ key: keyAt(start), first: start, count: i - start });
    start = i;
  }
  return runs;
}

/** A sequence summarised for drawing: its runs, over cells of `itemsPerCell` items each. */
export interface Summary {
  readonly runs: readonly Run[];
  /** 1 when every item is drawn as it is. */
  readonly itemsPerCell: number;
}

/**
 * The runs of a sequence to draw. A sequence longer than `maxCells` is first grouped into at most
 * that many cells of several items, each taking the key `cellKey` picks for its items [first, end):
 * a lone page or frame of note in a long strip then keeps a cell of its own, where as a run of its
 * own it would be thinner than a pixel. Either way at most `maxCells` rectangles are drawn.
 */
export function summarize(
  length: number,
  keyAt: (index: number) => string,
  maxCells: number,
  cellKey: (first: number, end: number) => string,
): Summary {
  if (length <= maxCells) return { runs: runsOf(length, keyAt), itemsPerCell: 1 };
  const itemsPerCell = Math.ceil(length / maxCells);
  const cells = Math.ceil(length / itemsPerCell);
  const keys = Array.from({ length: cells }, (_, c) =>
    cellKey(c * itemsPerCell, Math.min(length, (c + 1) * itemsPerCell)),
  );
  const cellRuns = runsOf(cells, (c) => keys[c]!).map((run) => ({
    key: run.key,
    first: run.first * itemsPerCell,
    count: Math.min(length, (run.first + run.count) * itemsPerCell) - run.first * itemsPerCell,
  }));
  return { runs: cellRuns, itemsPerCell };
}

/** Which page state a cell of several pages shows: the rarer, more telling states first. */
const PAGE_PRIORITY = 'DCVRLZN';

/** The runs of a page strip (one letter per page) to draw in at most `maxCells` cells. */
export function summarizePages(pages: string, maxCells: number): Summary {
  return summarize(
    pages.length,
    (i) => pages.charAt(i),
    maxCells,
    (first, end) => {
      const slice = pages.slice(first, end);
      for (const letter of PAGE_PRIORITY) if (slice.includes(letter)) return letter;
      return 'N';
    },
  );
}

/** A mark drawn under part of a strip (a change since the compared step). */
export interface StripMark {
  readonly first: number;
  readonly count: number;
  readonly className: string;
}

export interface StripOptions {
  /** Items the strip spans (its viewBox width). */
  readonly length: number;
  readonly runs: readonly Run[];
  /** The class of a run's rectangle, from its key. */
  readonly classOf: (key: string) => string;
  /** The text alternative of the whole picture. */
  readonly label: string;
  /** Marks under the strip; with marks the strip is drawn taller to hold them. */
  readonly marks?: readonly StripMark[];
  /** Lines between items, for strips short enough that single items can be told apart. */
  readonly dividers?: boolean;
  readonly className?: string;
}

/**
 * Marks widened to whole cells of `itemsPerCell` items and merged where one of a class meets the
 * next, so that however many changed runs a long strip has, it draws about one mark per cell.
 */
export function cellMarks(marks: readonly StripMark[], itemsPerCell: number, length: number): StripMark[] {
  if (itemsPerCell <= 1) return [...marks];
  const out: { first: number; count: number; className: string }[] = [];
  const lastOfClass = new Map<string, { first: number; count: number; className: string }>();
  for (const mark of [...marks].sort((a, b) => a.first - b.first)) {
    const first = Math.floor(mark.first / itemsPerCell) * itemsPerCell;
    const end = Math.min(length, Math.ceil((mark.first + mark.count) / itemsPerCell) * itemsPerCell);
    const same = lastOfClass.get(mark.className);
    if (same !== undefined && first <= same.first + same.count) {
      same.count = Math.max(same.count, end - same.first);
      continue;
    }
    const widened = { first, count: end - first, className: mark.className };
    out.push(widened);
    lastOfClass.set(mark.className, widened);
  }
  return out;
}

/** Width of a coordinate in the viewBox: short, exact for whole numbers. */
function num(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3).replace(/\.?0+$/, '');
}

function rect(x: number, y: number, width: number, height: number, className: string): Html {
  return el('rect', { x: num(x), y: num(y), width: num(width), height: num(height), class: className });
}

/** Item boundaries of a short strip as one path, drawn over the runs. */
function dividerPath(length: number): Html | null {
  if (length < 2) return null;
  let d = '';
  for (let i = 1; i < length; i++) d += `M${i} 0V10`;
  return el('path', { d, class: 'divider' });
}

/**
 * A strip: one rectangle per run, stretched to the width of its container; the marks sit in a thin
 * band below it.
 */
export function stripSvg(options: StripOptions): Html {
  const { length, runs, classOf, marks = [] } = options;
  const width = Math.max(1, length);
  const height = marks.length > 0 ? 13 : 10;
  const children: Child[] = runs.map((run) => rect(run.first, 0, run.count, 10, classOf(run.key)));
  if (options.dividers === true) children.push(dividerPath(length));
  for (const mark of marks) children.push(rect(mark.first, 11, mark.count, 2, mark.className));
  return el(
    'svg',
    {
      class: `strip${marks.length > 0 ? ' marked' : ''}${options.className === undefined ? '' : ` ${options.className}`}`,
      viewBox: `0 0 ${width} ${height}`,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': options.label,
    },
    el('title', {}, options.label),
    children,
  );
}

/** A part of a bar: a share of the whole, with its own class and tooltip. */
export interface BarPart {
  readonly value: number;
  readonly className: string;
  readonly title: string;
}

/** The least share of a bar a part that is not empty gets, so that it stays visible. */
const MIN_BAR_SHARE = 0.004;

/**
 * A horizontal bar of parts laid end to end over `total`. A part too small to see is widened to a
 * sliver of the bar, as the panels' bars do; the bar then spans a little more than `total`.
 */
export function barSvg(parts: readonly BarPart[], total: number, label: string): Html {
  const least = Math.max(1, total) * MIN_BAR_SHARE;
  let x = 0;
  const children: Html[] = [];
  for (const part of parts) {
    if (part.value <= 0) continue;
    const width = Math.max(part.value, least);
    children.push(
      el(
        'rect',
        { x: num(x), y: 0, width: num(width), height: 10, class: part.className },
        el('title', {}, part.title),
      ),
    );
    x += width;
  }
  const width = Math.max(1, total, x);
  return el(
    'svg',
    {
      class: 'bar',
      viewBox: `0 0 ${num(width)} 10`,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': label,
    },
    el('title', {}, label),
    el('rect', { x: 0, y: 0, width: num(width), height: 10, class: 'bar-back' }),
    children,
  );
}

/** A range placed on an axis: [start, start + length) with its own class and tooltip. */
export interface Placed {
  readonly start: number;
  readonly length: number;
  readonly className: string;
  readonly title: string;
}

/**
 * The least width of a range, in the axis's 1000 units: about two pixels in a phone-wide window.
 * Ranges this narrow get no outline, which would cover them.
 */
const MIN_RANGE_WIDTH = 4;
const OUTLINED_WIDTH = 3 * MIN_RANGE_WIDTH;

/** A range scaled onto the axis's 1000 units. */
interface Scaled {
  x: number;
  width: number;
  className: string;
  title: string;
  merged: number;
}

/**
 * Ranges in axis units, a range too small to see at any width widened to MIN_RANGE_WIDTH so that a
 * one-page region in a wide space is not lost. A range of the same class as the
 * one before it is merged into it when they would overlap once drawn or start within one unit, so
 * that a space of a hundred thousand regions costs at most about a thousand rectangles; ranges that
 * merely touch stay apart.
 */
function scaleRanges(from: number, to: number, ranges: readonly Placed[]): Scaled[] {
  const scale = 1000 / Math.max(1, to - from);
  const out: Scaled[] = [];
  for (const range of ranges) {
    const x = Math.max(0, (range.start - from) * scale);
    const width = Math.max(MIN_RANGE_WIDTH, range.length * scale);
    const last = out.at(-1);
    if (
      last !== undefined &&
      last.className === range.className &&
      (x < last.x + last.width || x < last.x + MIN_RANGE_WIDTH)
    ) {
      last.width = Math.max(last.width, x + width - last.x);
      last.merged++;
      continue;
    }
    out.push({ x, width, className: range.className, title: range.title, merged: 1 });
  }
  return out;
}

/** Ranges to scale on an axis from `from` to `to`, in the order given (ascending starts). */
export function axisSvg(from: number, to: number, ranges: readonly Placed[], label: string): Html {
  return el(
    'svg',
    { class: 'axis', viewBox: '0 0 1000 10', preserveAspectRatio: 'none', role: 'img', 'aria-label': label },
    el('title', {}, label),
    el('rect', { x: 0, y: 0, width: 1000, height: 10, class: 'axis-back' }),
    scaleRanges(from, to, ranges).map((range) =>
      el(
        'rect',
        {
          x: num(range.x),
          y: 0,
          width: num(range.width),
          height: 10,
          class: range.width >= OUTLINED_WIDTH ? `${range.className} outlined` : range.className,
        },
        el('title', {}, range.merged > 1 ? `${range.merged} ranges from ${range.title}` : range.title),
      ),
    ),
  );
}

/** A colour sample for a legend. */
export function swatch(className: string): Html {
  return el(
    'svg',
    { class: 'swatch', viewBox: '0 0 10 10', 'aria-hidden': 'true' },
    el('rect', { x: 0, y: 0, width: 10, height: 10, class: className }),
  );
}
