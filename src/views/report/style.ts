// The report's one style sheet, inline in the document. Colours are those of VS Code's default Light+
// and Dark+ themes as the panels get them (charts, terminal and git decoration colours), chosen by
// the reader's colour scheme; paper always gets the light ones. No font is loaded: the system's own
// sans-serif and monospace faces are used.

import { FRAME_KINDS, PAGE_STATE_CODES } from '../../protocol/dto';

const LIGHT = `
  --bg: #ffffff; --fg: #1f1f1f; --muted: #5f5f5f; --card: #f7f7f7; --border: #d0d0d0;
  --link: #006ab1; --code: #f0f0f0; --mark: rgba(255, 196, 0, 0.22); --chip-on: #4d4d4d; --chip-on-fg: #ffffff;
  --ok: #388a34; --bad: #c72e0f;
  --page-N: #e6e6e6; --page-Z: #1a85ff; --page-L: #652d90; --page-R: #388a34; --page-C: #d67e00;
  --page-D: #e51400; --page-V: #bf8803;
  --frame-free: #ffffff; --frame-anonymous: #388a34; --frame-file: #1a85ff; --frame-pageTable: #652d90;
  --frame-kernel: #0598bc; --frame-dma: #d67e00; --frame-sharedZero: #0451a5; --frame-lazyCommitted: #bc05bc;
  --frame-quickmap: #bf8803; --frame-reserved: #d3d3d3; --frame-mmio: #e51400; --frame-unzoned: #666666;
  --added: #587c0c; --modified: #895503; --removed: #ad0707;
  --used: #e51400; --committed: #bf8803; --uncommitted: #388a34; --free: #1a85ff; --total: #717171;
  --region: #0598bc; --axis: #ececec;
`;

const DARK = `
  --bg: #1e1e1e; --fg: #d4d4d4; --muted: #a0a0a0; --card: #252526; --border: #454545;
  --link: #3794ff; --code: #2d2d2d; --mark: rgba(255, 196, 0, 0.16); --chip-on: #c8c8c8; --chip-on-fg: #1e1e1e;
  --ok: #89d185; --bad: #f48771;
  --page-N: #3a3a3a; --page-Z: #3794ff; --page-L: #b180d7; --page-R: #89d185; --page-C: #ee9d28;
  --page-D: #f14c4c; --page-V: #cca700;
  --frame-free: #1e1e1e; --frame-anonymous: #89d185; --frame-file: #3794ff; --frame-pageTable: #b180d7;
  --frame-kernel: #11a8cd; --frame-dma: #ee9d28; --frame-sharedZero: #3b8eea; --frame-lazyCommitted: #bc3fbc;
  --frame-quickmap: #cca700; --frame-reserved: #404040; --frame-mmio: #f14c4c; --frame-unzoned: #666666;
  --added: #81b88b; --modified: #e2c08d; --removed: #c74e39;
  --used: #f14c4c; --committed: #cca700; --uncommitted: #89d185; --free: #3794ff; --total: #a0a0a0;
  --region: #11a8cd; --axis: #333333;
`;

/** One fill rule per class name and variable: `.p-R { fill: var(--page-R) }` and the like. */
function fills(): string {
  const rules = [
    ...[...PAGE_STATE_CODES].map((letter) => `.p-${letter} { fill: var(--page-${letter}); }`),
    ...FRAME_KINDS.map((kind) => `.f-${kind} { fill: var(--frame-${kind}); }`),
    ...['added', 'modified', 'removed'].map((change) => `.m-${change} { fill: var(--${change}); }`),
    ...['used', 'committed', 'uncommitted'].map((counter) => `.c-${counter} { fill: var(--${counter}); }`),
  ];
  return rules.join('\n');
}

const LAYOUT = `
* { box-sizing: border-box; }
html { color-scheme: light dark; -webkit-text-size-adjust: 100%; }
body {
  margin: 0 auto; max-width: 1280px; padding: 16px 20px 40px;
  background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, Ubuntu, 'Helvetica Neue', Arial, sans-serif;
  overflow-wrap: anywhere;
}
h1 { font-size: 1.45em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 0 0 8px; }
h3 { font-size: 1.05em; margin: 18px 0 8px; padding-bottom: 2px; border-bottom: 1px solid var(--border); }
h4 { font-size: 1em; margin: 12px 0 4px; }
a { color: var(--link); }
.mono, code, pre { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace; font-size: 0.92em; }
.muted { color: var(--muted); }
.card, .step { background: var(--card); border: 1px solid var(--border); border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
.step.failed { border-left: 4px solid var(--bad); }
.part { margin-top: 8px; }
figure { margin: 10px 0 14px; }
figcaption { margin-bottom: 4px; }
figcaption > * + * { margin-left: 6px; }
ul, ol { padding-left: 20px; margin: 4px 0; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 14px; list-style: none; padding: 0; margin: 6px 0; font-size: 0.92em; }
.legend li { display: inline-flex; align-items: center; gap: 5px; }
svg.swatch { width: 11px; height: 11px; flex: none; vertical-align: -1px; }
svg.swatch rect { stroke: var(--border); stroke-width: 1px; vector-effect: non-scaling-stroke; }
svg.strip, svg.axis, svg.bar { display: block; width: 100%; }
svg.strip { height: 16px; margin-top: 4px; }
svg.strip.marked { height: 21px; }
svg.axis { height: 14px; }
svg.bar { height: 14px; margin: 4px 0; }
svg.frame-strip { outline: 1px solid var(--border); outline-offset: -1px; }
svg.strip .divider { stroke: var(--bg); stroke-width: 1px; vector-effect: non-scaling-stroke; }
svg.axis rect.outlined, svg.bar rect:not(.bar-back) { stroke: var(--bg); stroke-width: 1px; vector-effect: non-scaling-stroke; }
.axis-back, .bar-back { fill: var(--axis); }
.region-range { fill: var(--region); }
.z-used { fill: var(--used); }
.z-free { fill: var(--free); opacity: 0.45; }
.c-freeInZones { fill: var(--free); }
.c-physicalPages { fill: var(--total); }
.u-LowMemory, .u-Kernel, .u-BootModule, .u-SMBIOS, .u-PhysicalPages { fill: var(--frame-kernel); opacity: 0.7; }
.axis-ends { display: flex; justify-content: space-between; gap: 8px; font-size: 0.82em; color: var(--muted); }
.badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 0.8em; font-weight: 600; border: 1px solid var(--border); vertical-align: 1px; }
.badge.ok { color: var(--ok); border-color: var(--ok); }
.badge.failed { color: var(--bad); border-color: var(--bad); }
.badge.kind-dma { color: var(--frame-dma); border-color: var(--frame-dma); }
.badge.kind-mmio { color: var(--frame-mmio); border-color: var(--frame-mmio); }
.reasons { font-size: 0.8em; font-weight: normal; color: var(--muted); }
.chips { display: inline-flex; flex-wrap: wrap; gap: 3px; vertical-align: middle; }
.chip { display: inline-block; padding: 0 5px; border: 1px solid var(--border); border-radius: 3px; font-size: 0.8em; line-height: 1.5; }
.chip.bit-on { background: var(--chip-on); color: var(--chip-on-fg); border-color: var(--chip-on); }
.chip.bit-off { opacity: 0.6; }
.memtype-IO, .memtype-NonCacheable { color: var(--page-C); border-color: var(--page-C); }
.change { display: inline-block; font-size: 0.78em; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; }
.change-added { color: var(--added); }
.change-modified { color: var(--modified); }
.change-removed { color: var(--removed); }
.changed-added { border-left: 3px solid var(--added); }
.changed-modified { border-left: 3px solid var(--modified); }
.changed-removed { border-left: 3px solid var(--removed); }
.change-list { list-style: none; padding: 0; }
.change-list li { padding: 1px 0 1px 8px; margin: 2px 0; }
.regions, .zones, .levels, .mappings, .map, .pieces, .events { list-style: none; padding: 0; }
.region { padding: 6px 0 6px 8px; border-top: 1px solid var(--border); }
.region-head, .zone, .mapping, .level { display: flex; flex-wrap: wrap; align-items: baseline; gap: 3px 10px; }
.strip-words { font-size: 0.82em; color: var(--muted); margin-top: 2px; }
.events li { padding: 2px 0; }
.events .kind { display: inline-block; min-width: 9.5em; font-size: 0.85em; color: var(--muted); }
.events .more { color: var(--muted); }
.event-Failed .kind, .event-Failed .text { color: var(--bad); font-weight: 600; }
pre.statement { background: var(--code); padding: 6px 10px; border-radius: 4px; white-space: pre-wrap; margin: 6px 0; }
.walk { border-top: 1px solid var(--border); padding-top: 6px; }
.indices { font-size: 0.85em; }
.level { padding: 3px 0 3px 8px; border-left: 3px solid var(--border); margin: 3px 0; }
.level.absent { border-left-color: var(--bad); }
.level-name { font-weight: 600; min-width: 3.2em; }
.level .points { color: var(--muted); }
.level.absent .points { color: var(--bad); }
.zone { padding: 4px 0; border-top: 1px solid var(--border); }
.zones-caption { margin: 8px 0 2px; }
.counter-list { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 6px 0; }
.counter-list dt { display: inline-flex; align-items: center; gap: 6px; }
.counter-list dd { margin: 0; font-variant-numeric: tabular-nums; }
.map-row { padding: 6px 0; border-top: 1px solid var(--border); }
.pieces { display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 0.88em; margin-top: 4px; }
.pieces li { display: inline-flex; align-items: center; gap: 5px; }
.mapping { padding: 5px 0; border-top: 1px solid var(--border); }
table.counters-change { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
table.counters-change caption { text-align: left; color: var(--muted); font-size: 0.9em; }
table.counters-change th { text-align: left; font-weight: normal; padding-right: 12px; }
table.counters-change td { padding: 0 6px; }
.num { text-align: right; }
.source { background: var(--code); border-radius: 4px; padding: 6px 0; font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace; font-size: 0.88em; }
.source .line { display: flex; align-items: baseline; gap: 10px; padding: 0 10px; }
.source .line code { flex: 1; white-space: pre-wrap; font-size: 1em; min-width: 0; }
.source .ln { flex: none; width: 3.2em; text-align: right; color: var(--muted); user-select: none; }
.source .marked { background: var(--mark); box-shadow: inset 3px 0 var(--page-C); }
.source .skipped { color: var(--muted); font-style: italic; padding-left: calc(3.2em + 20px); }
.step-links { flex: none; display: inline-flex; flex-wrap: wrap; gap: 6px; font-family: system-ui, sans-serif; font-size: 0.9em; }
.chosen li { margin: 2px 0; }
@media (max-width: 600px) {
  body { padding: 10px 10px 30px; font-size: 13.5px; }
  .card, .step { padding: 10px; }
  .source .ln { width: 2.4em; }
  .source .line { gap: 6px; padding: 0 6px; }
  .source .line { flex-wrap: wrap; }
  .step-links { margin-left: calc(2.4em + 6px); }
  .events .kind { display: block; min-width: 0; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .card, .step { border-color: #999; break-inside: auto; }
  figure, .level, .region, .zone, .mapping, .line { break-inside: avoid; }
  .step { break-before: page; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** The whole style sheet. */
export function reportStyle(): string {
  return [
    `:root {${LIGHT}}`,
    `@media (prefers-color-scheme: dark) { :root {${DARK}} }`,
    // Paper is light whatever the screen's scheme.
    `@media print { :root {${LIGHT}} }`,
    LAYOUT,
    fills(),
  ].join('\n');
}
