// Canvas drawing needs concrete colours; they are read from CSS custom properties that alias the
// theme's --vscode-* variables, and re-read when VS Code switches theme (it changes body's class).

const cache = new Map<string, [number, number, number, number]>();
let probe: CanvasRenderingContext2D | null = null;

let resolver: HTMLElement | null = null;

/**
 * The property's colour as the browser computes it. A custom property's own value is its text
 * (`color-mix(…, var(--vscode-foreground) …)`); a colour set from it is a colour a canvas can read.
 */
function resolvedColor(property: string): string {
  if (getComputedStyle(document.body).getPropertyValue(property).trim() === '') return '';
  if (resolver === null) {
    resolver = document.createElement('span');
    resolver.hidden = true;
    document.body.appendChild(resolver);
  }
  resolver.style.color = `var(${property})`;
  return getComputedStyle(resolver).color;
}

/** The colour of a CSS custom property as RGBA bytes (transparent when unset). */
export function themeColor(property: string): [number, number, number, number] {
  const cached = cache.get(property);
  if (cached !== undefined) return cached;
  const value = resolvedColor(property);
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  let rgba: [number, number, number, number] = [0, 0, 0, 0];
  if (probe !== null && value !== '') {
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = value;
    probe.fillRect(0, 0, 1, 1);
    const data = probe.getImageData(0, 0, 1, 1).data;
    rgba = [data[0] ?? 0, data[1] ?? 0, data[2] ?? 0, data[3] ?? 0];
  }
  cache.set(property, rgba);
  return rgba;
}

/**
 * The colour of a property as it shows over the opaque colour of `under`. Pixels written straight into
 * a canvas are not blended, and some theme colours are translucent (charts, disabled text): without
 * this a frame would look darker or lighter than its swatch in the legend.
 */
export function blendedThemeColor(property: string, under: string): [number, number, number] {
  const [r, g, b, a] = themeColor(property);
  const [ur, ug, ub] = themeColor(under);
  const alpha = a / 255;
  const mix = (top: number, bottom: number): number => Math.round(top * alpha + bottom * (1 - alpha));
  return [mix(r, ur), mix(g, ug), mix(b, ub)];
}

export function cssColor(property: string): string {
  const [r, g, b, a] = themeColor(property);
  return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(3)})`;
}

/** Calls `redraw` after a theme change, with the colour cache emptied. */
export function onThemeChange(redraw: () => void): void {
  new MutationObserver(() => {
    cache.clear();
    redraw();
  }).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
}
