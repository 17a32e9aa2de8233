import * as assert from 'assert';
import { FRAME_KINDS, type FrameKind } from './dto';
import { axisLabelRows, frameLayout, rowFrames } from './frameLayout';

const MiB_FRAMES = 256;

/** A frame map from [kind, frames] stretches. */
function map(...stretches: [FrameKind, number][]): Uint8Array {
  const total = stretches.reduce((n, [, frames]) => n + frames, 0);
  const kinds = new Uint8Array(total);
  let at = 0;
  for (const [kind, frames] of stretches) {
    kinds.fill(FRAME_KINDS.indexOf(kind), at, at + frames);
    at += frames;
  }
  return kinds;
}

describe('the frame map layout', () => {
  it('draws 64 MiB of RAM and a device at 0xFEB00000 as rows and one band, not a 4 GiB grid', () => {
    const ramEnd = 64 * MiB_FRAMES;
    const kinds = map(['reserved', 256], ['free', ramEnd - 256], ['reserved', 0xfeb00 - ramEnd], ['mmio', 2]);
    const layout = frameLayout(kinds);
    const gaps = layout.items.filter((item) => item.kind === 'gap');
    assert.deepStrictEqual(
      gaps.map((gap) => gap.kind === 'gap' && gap.label),
      ['0x4000000–0xfeb00000 · 3.92 GiB not RAM (reserved, firmware or a hole)'],
    );
    const rows = layout.items.filter((item) => item.kind === 'row');
    assert.ok(rows.length <= 160, `${rows.length} rows`);
    assert.strictEqual(layout.framesPerRow, 128, 'the smallest row that keeps 64 MiB within 160 rows');
    // Every frame of RAM and the device is drawn exactly once, in address order.
    const drawn: number[] = [];
    layout.items.forEach((_, i) => {
      const { first, end } = rowFrames(layout, i, kinds.length);
      for (let f = first; f < end; f++) drawn.push(f);
    });
    const expected = [...Array(ramEnd).keys(), 0xfeb00, 0xfeb01];
    assert.deepStrictEqual(drawn, expected);
  });

  it('collapses a long MMIO window into a band of its own, and keeps short holes in the rows', () => {
    const kinds = map(['free', 4096], ['reserved', 16], ['free', 4096], ['mmio', 2048], ['free', 64]);
    const layout = frameLayout(kinds);
    const labels = layout.items.flatMap((item) => (item.kind === 'gap' ? [item.label] : []));
    assert.deepStrictEqual(labels, ['0x2010000–0x2810000 · 8 MiB MMIO']);
  });

  it('rows start on multiples of their size, so the axis reads in round numbers', () => {
    const kinds = map(['free', 1000], ['reserved', 5000], ['free', 300]);
    const layout = frameLayout(kinds);
    for (const item of layout.items)
      if (item.kind === 'row') assert.strictEqual(item.first % layout.framesPerRow, 0);
    const afterGap = layout.items.findIndex((item) => item.kind === 'gap') + 1;
    assert.strictEqual(
      rowFrames(layout, afterGap, kinds.length).first,
      6000,
      'the band’s frames are not drawn again',
    );
  });

  it('widens its rows for a large machine, up to 16 MiB a row', () => {
    const layout = frameLayout(map(['free', 4 * 1024 * MiB_FRAMES]));
    assert.strictEqual(layout.framesPerRow, 4096);
    const small = frameLayout(map(['free', 2 * MiB_FRAMES]));
    assert.strictEqual(small.framesPerRow, 64);
  });

  it('is empty for an empty map', () => {
    assert.deepStrictEqual(frameLayout(new Uint8Array(0)).items, []);
  });
});

describe('the frame map address axis', () => {
  /** Rows of 64 frames (256 KiB) drawn one under the other, `rowHeight` pixels each. */
  const contiguous = (count: number, rowHeight: number) => ({
    starts: Array.from({ length: count }, (_, i) => i * 64),
    ys: Array.from({ length: count }, (_, i) => i * rowHeight),
  });
  const addresses = (starts: number[], rows: number[]): string[] =>
    rows.map((i) => `0x${(starts[i]! * 4096).toString(16)}`);

  it('labels round addresses, as many as the labels leave room for', () => {
    // 4-pixel rows: a 14-pixel label needs 4 rows, so every 4th row, 1 MiB apart.
    const { starts, ys } = contiguous(16, 4);
    assert.deepStrictEqual(addresses(starts, axisLabelRows(starts, ys, 4, 64)), [
      '0x0',
      '0x100000',
      '0x200000',
      '0x300000',
    ]);
  });

  it('labels every row when the rows are as tall as a label', () => {
    const { starts, ys } = contiguous(3, 14);
    assert.deepStrictEqual(axisLabelRows(starts, ys, 14, 64), [0, 1, 2]);
  });

  it('labels the row after a band, where no round address is, and keeps the round ones after it apart', () => {
    // Rows 0–3, a 20-pixel band, then rows starting at frame 0x500 (after the band) and on.
    const starts = [0, 64, 128, 192, 0x500, 0x540, 0x580, 0x5c0, 0x600];
    const ys = [0, 4, 8, 12, 36, 40, 44, 48, 52];
    const rows = axisLabelRows(starts, ys, 4, 64);
    assert.deepStrictEqual(addresses(starts, rows), ['0x0', '0x500000', '0x600000']);
  });
});
