import * as assert from 'assert';
import { axisSvg, barSvg, cellMarks, runsOf, stripSvg, summarizePages } from './pictures';

const rects = (svg: string): string[] => [...svg.matchAll(/<rect [^>]*>/g)].map((m) => m[0]);

describe('report pictures', () => {
  it('finds the runs of equal keys', () => {
    const letters = 'NNRRRLN';
    assert.deepStrictEqual(
      runsOf(letters.length, (i) => letters.charAt(i)),
      [
        { key: 'N', first: 0, count: 2 },
        { key: 'R', first: 2, count: 3 },
        { key: 'L', first: 5, count: 1 },
        { key: 'N', first: 6, count: 1 },
      ],
    );
    assert.deepStrictEqual(
      runsOf(0, () => 'N'),
      [],
    );
  });

  it('draws a short strip page by page and a long one in cells that keep the telling pages', () => {
    assert.deepStrictEqual(summarizePages('RRN', 400), {
      runs: [
        { key: 'R', first: 0, count: 2 },
        { key: 'N', first: 2, count: 1 },
      ],
      itemsPerCell: 1,
    });
    // One copy-on-write page among 100,000 absent ones still gets a cell of its own.
    const pages = `${'N'.repeat(50_000)}C${'N'.repeat(49_999)}`;
    const summary = summarizePages(pages, 400);
    assert.strictEqual(summary.itemsPerCell, 250);
    assert.deepStrictEqual(summary.runs, [
      { key: 'N', first: 0, count: 50_000 },
      { key: 'C', first: 50_000, count: 250 },
      { key: 'N', first: 50_250, count: 49_750 },
    ]);
    // Alternating pages: at most one run per cell.
    const alternating = summarizePages('RN'.repeat(50_000), 400);
    assert.ok(alternating.runs.length <= 400);
    assert.ok(
      alternating.runs.every((run) => run.key === 'R'),
      'R is more telling than N',
    );
  });

  it('widens marks to whole cells and merges those of a class that meet', () => {
    const marks = [
      { first: 3, count: 1, className: 'm-added' },
      { first: 7, count: 2, className: 'm-added' },
      { first: 30, count: 1, className: 'm-added' },
      { first: 5, count: 1, className: 'm-removed' },
    ];
    assert.deepStrictEqual(cellMarks(marks, 10, 35), [
      { first: 0, count: 10, className: 'm-added' },
      { first: 0, count: 10, className: 'm-removed' },
      { first: 30, count: 5, className: 'm-added' },
    ]);
    assert.deepStrictEqual(cellMarks(marks, 1, 35), marks);
  });

  it('draws a strip that stretches sideways only, with marks below it', () => {
    const svg = stripSvg({
      length: 4,
      runs: [{ key: 'R', first: 0, count: 4 }],
      classOf: (key) => `p-${key}`,
      label: 'four <pages>',
      marks: [{ first: 1, count: 2, className: 'm-added' }],
    }).text;
    assert.match(
      svg,
      /^<svg class="strip marked" viewBox="0 0 4 13" preserveAspectRatio="none" role="img" aria-label="four &lt;pages&gt;">/,
    );
    assert.deepStrictEqual(rects(svg), [
      '<rect x="0" y="0" width="4" height="10" class="p-R">',
      '<rect x="1" y="11" width="2" height="2" class="m-added">',
    ]);
  });

  it('keeps a tiny part of a bar visible', () => {
    const svg = barSvg(
      [
        { value: 1, className: 'c-used', title: 'used' },
        { value: 9999, className: 'c-free', title: 'free' },
        { value: 0, className: 'c-none', title: 'none' },
      ],
      10_000,
      'a bar',
    ).text;
    assert.deepStrictEqual(rects(svg), [
      '<rect x="0" y="0" width="10039" height="10" class="bar-back">',
      '<rect x="0" y="0" width="40" height="10" class="c-used">',
      '<rect x="40" y="0" width="9999" height="10" class="c-free">',
    ]);
  });

  it('places ranges to scale, keeps a sliver of a tiny one, and merges what would overlap', () => {
    const svg = axisSvg(
      0,
      1_000_000,
      [
        { start: 0, length: 500_000, className: 'r', title: 'big' },
        { start: 500_000, length: 100_000, className: 'r', title: 'touching' },
        { start: 700_000, length: 10, className: 'r', title: 'tiny' },
        { start: 700_100, length: 10, className: 'r', title: 'tinier' },
      ],
      'axis',
    ).text;
    assert.deepStrictEqual(rects(svg).slice(1), [
      '<rect x="0" y="0" width="500" height="10" class="r outlined">',
      '<rect x="500" y="0" width="100" height="10" class="r outlined">',
      // Two slivers of 0.01 units, 0.1 apart: one rectangle as wide as the least a range gets,
      // without the outline that would cover it.
      '<rect x="700" y="0" width="4.1" height="10" class="r">',
    ]);
    assert.match(svg, /<title>2 ranges from tiny<\/title>/);
  });
});
