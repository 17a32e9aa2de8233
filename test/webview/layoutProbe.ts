// How the Page tables panel is laid out, read in the page: the component tests and the tests in a real
// VS Code both check that no bit chip is cut and that the columns of the PTE table line up.

/** What the layout probe finds: sideways overflow of the page, cut bit chips, misaligned columns. */
export interface TableLayout {
  pageOverflow: number;
  cutChips: string[];
  overflowingCells: string[];
  misalignedRows: string[];
  tableScrollsSideways: boolean;
}

// Evaluated in the page (the root tsconfig has no DOM library). A chip is cut when it reaches outside
// the cell that clips it; a row is misaligned when its cells do not start where the header's do.
export const TABLE_LAYOUT_PROBE = `(() => {
  const inside = (a, b) =>
    a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  // A chip a narrow table hides (a clear bit) has no box at all: it is not cut, it is not shown.
  const shown = (chip) => chip.getBoundingClientRect().width > 0;
  const cutChips = [...document.querySelectorAll('.chip')]
    .filter(shown)
    .filter((chip) => !inside(chip.getBoundingClientRect(), chip.closest('.vcell, td').getBoundingClientRect()))
    .map((chip) => chip.textContent + ' of ' + (chip.closest('[data-level], [data-index]')?.id || chip.closest('tr')?.dataset.level));
  const overflowingCells = [...document.querySelectorAll('.vcell:not(.col-region)')]
    .filter((cell) => cell.scrollWidth > cell.clientWidth)
    .map((cell) => cell.className + ' of ' + cell.parentElement.id);
  const lefts = (row) => [...row.children].map((cell) => Math.round(cell.getBoundingClientRect().left)).join(',');
  const head = lefts(document.querySelector('.vhead'));
  const misalignedRows = [...document.querySelectorAll('.vwindow .vrow:not(.loading)')]
    .filter((row) => lefts(row) !== head)
    .map((row) => row.id);
  const viewport = document.querySelector('.vviewport');
  const doc = document.documentElement;
  return {
    pageOverflow: doc.scrollWidth - doc.clientWidth,
    cutChips,
    overflowingCells,
    misalignedRows,
    tableScrollsSideways: viewport.scrollWidth > viewport.clientWidth,
  };
})()`;

/**
 * What the width probe finds in any panel: sideways overflow of the page or a row, boxes that scroll
 * sideways, clipped chips.
 */
export interface WidthLayout {
  pageOverflow: number;
  overflowingRows: string[];
  clippedChips: string[];
}

// Evaluated in the page. A row overflows when its content is wider than its box (text cut on purpose
// with an ellipsis is inside the box: only its own scrollWidth grows, so cells that ellipsize are left
// out by looking at rows); a chip is clipped when any ancestor that clips (overflow other than
// visible) or the window does not hold its whole box.
export const WIDTH_LAYOUT_PROBE = `(() => {
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  // What reaches past a row's right edge: the innermost such elements, named with their text.
  const culprit = (row) => {
    const right = row.getBoundingClientRect().left + row.clientLeft + row.clientWidth + 1;
    const past = (el) => visible(el) && el.getBoundingClientRect().right > right;
    const found = [...row.querySelectorAll('*')].filter((el) => past(el) && ![...el.children].some(past));
    return found.slice(0, 2).map((el) => ' (' + name(el) + ' "' + (el.textContent || '').trim().slice(0, 30) + '")').join('');
  };
  const rows = [...document.querySelectorAll('#app, .vrow, tr, [role="row"], [role="treeitem"] > .tree-row, .tree-row, li, section, .view-header, .step-card, .legend, .strip-item')]
    .filter(visible)
    .filter((row) => getComputedStyle(row).overflowX === 'visible' || row.id === 'app')
    .filter((row) => row.scrollWidth > row.clientWidth + 1)
    .map((row) => name(row) + ' ' + row.scrollWidth + '>' + row.clientWidth + culprit(row));
  const clips = (el) => { const s = getComputedStyle(el); return s.overflowX !== 'visible' || s.overflowY !== 'visible'; };
  const clippedChips = [];
  for (const chip of document.querySelectorAll('.chip, .badge')) {
    if (!visible(chip)) continue;
    const r = chip.getBoundingClientRect();
    let box = { left: 0, right: document.documentElement.clientWidth, top: -Infinity, bottom: Infinity };
    for (let a = chip.parentElement; a !== null && a !== document.body; a = a.parentElement) {
      if (!clips(a)) continue;
      const b = a.getBoundingClientRect();
      box = { left: Math.max(box.left, b.left), right: Math.min(box.right, b.right), top: Math.max(box.top, b.top), bottom: Math.min(box.bottom, b.bottom) };
    }
    // A chip scrolled out of a scrolling list is not cut: only one partly inside its clip is.
    const outside = r.bottom <= box.top || r.top >= box.bottom;
    const whole = r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
    if (!outside && !whole) clippedChips.push(chip.textContent + ' in ' + name(chip.parentElement));
  }
  // A box that scrolls sideways hides its right part as surely as a page that does.
  const scrollers = [...document.querySelectorAll('body *')]
    .filter(visible)
    .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
    .filter((el) => el.scrollWidth > el.clientWidth + 1)
    .map((el) => name(el) + ' scrolls sideways ' + el.scrollWidth + '>' + el.clientWidth);
  const doc = document.documentElement;
  return { pageOverflow: doc.scrollWidth - doc.clientWidth, overflowingRows: [...rows, ...scrollers], clippedChips };
})()`;

/** A visible text whose colour is too close to its background's. */
export interface LowContrast {
  element: string;
  text: string;
  ratio: number;
  color: string;
  background: string;
}

// Evaluated in the page: every element with text of its own that shows, its text colour composited
// over the background it actually sits on (the nearest ancestors' backgrounds, translucent ones
// composited down to the first opaque one), and the WCAG contrast ratio of the two.
export const CONTRAST_PROBE = `(() => {
  const parse = (c) => {
    let m = /rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)/.exec(c);
    if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    m = /color\\(srgb ([\\d.]+) ([\\d.]+) ([\\d.]+)(?: \\/ ([\\d.]+))?\\)/.exec(c);
    if (m) return [m[1] * 255, m[2] * 255, m[3] * 255, m[4] === undefined ? 1 : +m[4]];
    return [0, 0, 0, 0];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
  };
  const background = (el) => {
    const layers = [];
    for (let a = el; a !== null; a = a.parentElement) {
      const bg = parse(getComputedStyle(a).backgroundColor);
      if (bg[3] === 0) continue;
      layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let colour = [255, 255, 255, 1];
    if (layers.length === 0 || layers[layers.length - 1][3] < 1) colour = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
    return colour;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (x, y) => { const [a, b] = [luminance(x), luminance(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const low = [];
  let checked = 0;
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim() !== '').map((n) => n.textContent.trim()).join(' ');
    if (own === '') continue;
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || style.visibility !== 'visible') continue;
    if (el.closest('option, optgroup, script, style, [hidden], [aria-hidden="true"]')) continue;
    let opacity = 1;
    for (let a = el; a !== null; a = a.parentElement) opacity *= +getComputedStyle(a).opacity;
    const fg = parse(style.color);
    fg[3] *= opacity;
    const bg = background(el);
    const value = ratio(over(fg, bg), bg);
    checked++;
    if (value < 4.5)
      low.push({ element: name(el), text: own.slice(0, 40), ratio: Math.round(value * 100) / 100, color: style.color, background: 'rgb(' + bg.slice(0, 3).map(Math.round).join(',') + ')' });
  }
  return { checked, low };
})()`;

/** An sRGB colour as the canvas holds it, 0–255 a channel. */
export type Rgb = [number, number, number];

/** What the canvas probe reads: each text's ink and the fill it is written on, and named pixels. */
export interface CanvasPixels {
  /** Canvas pixels to a CSS pixel: the devicePixelRatio where the canvas is drawn for it. */
  scale: number;
  texts: { text: string; ink: Rgb; fill: Rgb }[];
  points: Record<string, Rgb>;
  /** The bottom right pixel: below the last row of a frame map, only background is drawn there. */
  corner: Rgb;
  /** The colour most pixels have. */
  commonest: Rgb;
}

/** WCAG 2 relative luminance of an sRGB colour. */
function luminance([r, g, b]: Rgb): number {
  const linear = (v: number): number => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio of two opaque colours, 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * Reads a canvas's drawn pixels (getImageData, in canvas pixels: CSS pixels times the canvas's own
 * scale). `points` are CSS pixels from the canvas's top left, as the components' test hooks give
 * them; the canvas's `drawnText` (or `drawnParts.text`) boxes say where each text's glyphs are. In a
 * text's box the fill is the commonest colour and the ink the pixel that differs most from it: the
 * text's colour where a stroke covers a whole pixel, which is what the eye reads as the text.
 */
export function canvasPixelsProbe(selector: string, points: Record<string, [number, number]>): string {
  return `((selector, points) => {
  const canvas = document.querySelector(selector);
  const scale = canvas.width / canvas.clientWidth;
  const { width, height } = canvas;
  // The hooks' points count from the border's outer edge; the pixels from inside it.
  const bx = canvas.clientLeft, by = canvas.clientTop;
  const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  const at = (x, y) => {
    const i = (Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))) * 4;
    return [data[i], data[i + 1], data[i + 2]];
  };
  const linear = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const lum = (c) => 0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2]);
  const ratio = (a, b) => { const [p, q] = [lum(a), lum(b)].sort((m, n) => n - m); return (p + 0.05) / (q + 0.05); };
  const commonestIn = (x0, y0, x1, y1) => {
    const counts = new Map();
    let best = null;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
      const c = at(x, y);
      const key = c.join(',');
      const n = (counts.get(key) || 0) + 1;
      counts.set(key, n);
      if (best === null || n > best.n) best = { c, n };
    }
    return best === null ? [0, 0, 0] : best.c;
  };
  const drawn = canvas.drawnText || (canvas.drawnParts && canvas.drawnParts.text) || [];
  const texts = drawn.map((t) => {
    const x0 = Math.floor((t.left - bx) * scale), y0 = Math.floor((t.top - by) * scale);
    const x1 = Math.ceil((t.left - bx + t.width) * scale), y1 = Math.ceil((t.top - by + t.height) * scale);
    const fill = commonestIn(x0, y0, x1, y1);
    let ink = fill;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
      const c = at(x, y);
      if (ratio(c, fill) > ratio(ink, fill)) ink = c;
    }
    return { text: t.text, ink, fill };
  });
  const sampled = {};
  for (const [name, [x, y]] of Object.entries(points)) sampled[name] = at(Math.floor((x - bx) * scale), Math.floor((y - by) * scale));
  return { scale, texts, points: sampled, corner: at(width - 1, height - 1), commonest: commonestIn(0, 0, width, height) };
})(${JSON.stringify(selector)}, ${JSON.stringify(points)})`;
}

/** What CONTRAST_PROBE returns: how many texts it measured, and those below 4.5:1. */
export interface ContrastReading {
  checked: number;
  low: LowContrast[];
}

/**
 * What the width and contrast probes found wrong with a view, in words, each after `where`: the
 * one wording the layout matrices (fixtures, every example, the real VS Code) report in.
 */
export function layoutProblems(where: string, layout: WidthLayout, contrast: ContrastReading): string[] {
  const problems: string[] = [];
  if (layout.pageOverflow > 0) problems.push(`${where} the page scrolls ${layout.pageOverflow} px sideways`);
  for (const row of layout.overflowingRows) problems.push(`${where} overflows: ${row}`);
  for (const chip of layout.clippedChips) problems.push(`${where} chip cut: ${chip}`);
  if (contrast.checked === 0) problems.push(`${where} no text to measure`);
  for (const low of contrast.low)
    problems.push(
      `${where} contrast ${low.ratio} of "${low.text}" (${low.element}) ${low.color} on ${low.background}`,
    );
  return problems;
}
