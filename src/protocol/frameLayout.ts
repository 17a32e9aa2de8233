// Where the frame map draws each frame: physical memory as a kernel developer reads it. RAM is laid
// out in rows of a power-of-two number of frames, each row starting at a multiple of its size so
// that the address axis reads in round numbers; long stretches that are not RAM (holes, firmware,
// MMIO windows) are collapsed into one labelled band each instead of being drawn frame by frame, so
// a machine with 64 MiB of RAM and a device at 4 GiB is 64 MiB of rows and two bands, not a 4 GiB
// grid with a thin line of RAM on top. Pure: the webview draws it, the tests check it.

import { FRAME_KINDS, type FrameKind } from './dto';
import { formatBytes } from './pagingEntry';

export type FrameLayoutItem =
  /** Frames [first, first + framesPerRow) drawn as one row of cells (frames past the map are blank). */
  | { readonly kind: 'row'; readonly first: number }
  /** Frames [first, end) not drawn: one band that says what they are. */
  | { readonly kind: 'gap'; readonly first: number; readonly end: number; readonly label: string };

export interface FrameLayout {
  readonly framesPerRow: number;
  readonly items: readonly FrameLayoutItem[];
}

const RESERVED = FRAME_KINDS.indexOf('reserved');
const MMIO = FRAME_KINDS.indexOf('mmio');

/** A stretch of one of these kinds at least this long (4 MiB) becomes a band. */
export const MIN_GAP_FRAMES = 1024;

const hex = (frame: number): string => `0x${(frame * 4096).toString(16)}`;

function gapLabel(kind: FrameKind, first: number, end: number): string {
  const what = kind === 'mmio' ? 'MMIO' : 'not RAM (reserved, firmware or a hole)';
  return `${hex(first)}–${hex(end)} · ${formatBytes((end - first) * 4096)} ${what}`;
}

/** Runs of one not-RAM kind long enough to be collapsed, as [first, end, kind] in address order. */
function gaps(kinds: Uint8Array, minGap: number): [number, number, FrameKind][] {
  const found: [number, number, FrameKind][] = [];
  let frame = 0;
  while (frame < kinds.length) {
    const kind = kinds[frame]!;
    if (kind !== RESERVED && kind !== MMIO) {
      frame++;
      continue;
    }
    let end = frame + 1;
    while (end < kinds.length && kinds[end] === kind) end++;
    if (end - frame >= minGap) found.push([frame, end, FRAME_KINDS[kind]!]);
    frame = end;
  }
  return found;
}

/** How many rows of `framesPerRow` the frames outside the gaps take. */
function rowCount(kinds: Uint8Array, collapsed: [number, number, FrameKind][], framesPerRow: number): number {
  let rows = 0;
  let from = 0;
  for (const [first, end] of [...collapsed, [kinds.length, kinds.length] as const]) {
    if (first > from) rows += Math.ceil(first / framesPerRow) - Math.floor(from / framesPerRow);
    from = end;
  }
  return rows;
}

/**
 * The layout for a map: the smallest power-of-two row (at least 64 frames, 256 KiB) that keeps the
 * drawn rows at most `maxRows`, up to 4096 frames (16 MiB) a row.
 */
export function frameLayout(kinds: Uint8Array, maxRows = 160, minGap = MIN_GAP_FRAMES): FrameLayout {
  const collapsed = gaps(kinds, minGap);
  let framesPerRow = 64;
  while (framesPerRow < 4096 && rowCount(kinds, collapsed, framesPerRow) > maxRows) framesPerRow *= 2;
  const items: FrameLayoutItem[] = [];
  let from = 0;
  const rows = (first: number, end: number): void => {
    for (let row = Math.floor(first / framesPerRow) * framesPerRow; row < end; row += framesPerRow)
      items.push({ kind: 'row', first: row });
  };
  for (const [first, end, kind] of collapsed) {
    if (first > from) rows(from, first);
    items.push({ kind: 'gap', first, end, label: gapLabel(kind, first, end) });
    // The row after a band starts where the band ends, not at the row boundary before it.
    from = end;
  }
  if (kinds.length > from) rows(from, kinds.length);
  return { framesPerRow, items };
}

/** The frames a row item shows: its own frames, minus those a neighbouring band stands for. */
export function rowFrames(
  layout: FrameLayout,
  index: number,
  frameCount: number,
): { first: number; end: number } {
  const item = layout.items[index]!;
  if (item.kind !== 'row') return { first: 0, end: 0 };
  let first = item.first;
  let end = Math.min(frameCount, item.first + layout.framesPerRow);
  const before = layout.items[index - 1];
  const after = layout.items[index + 1];
  if (before?.kind === 'gap') first = Math.max(first, before.end);
  if (after?.kind === 'gap') end = Math.min(end, after.first);
  return { first, end };
}

/** How tall (CSS pixels) an address label on the axis is: labels closer than this would overlap. */
export const AXIS_LABEL_HEIGHT = 14;

/**
 * The rows whose start address the axis shows, by index. The first row and a row right after a band
 * always (such a row starts where the band ends, at no round address); otherwise every power-of-two
 * count of rows that leaves a label room, counted from address 0, so that the axis reads 0x0,
 * 0x400000, 0x800000… rather than whatever addresses the labels' height happens to fall on.
 */
export function axisLabelRows(
  rowStarts: ArrayLike<number>,
  rowYs: ArrayLike<number>,
  rowHeight: number,
  framesPerRow: number,
): number[] {
  const every = 2 ** Math.ceil(Math.log2(Math.max(1, AXIS_LABEL_HEIGHT / rowHeight)));
  const rows: number[] = [];
  let lastMiddle = -Infinity;
  for (let i = 0; i < rowStarts.length; i++) {
    const y = rowYs[i]!;
    const middle = y + rowHeight / 2;
    const afterBand = i > 0 && y !== rowYs[i - 1]! + rowHeight;
    const round = Math.floor(rowStarts[i]! / framesPerRow) % every === 0;
    if (i > 0 && !afterBand && (!round || middle - lastMiddle < AXIS_LABEL_HEIGHT)) continue;
    rows.push(i);
    lastMiddle = middle;
  }
  return rows;
}
