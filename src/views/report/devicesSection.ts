// The DMA/MMIO map of a step: each range of the firmware's memory map to scale, with the ranges the
// kernel keeps for itself and the frames of DMA buffers and MMIO windows inside it (MMIO usually
// lies outside the map, in a row of its own), then every device mapping with its kernel address,
// memory type, the PTE caching bits that type produced and its physically contiguous runs.

import type { DeviceMappingDto, DmaMmioDto } from '../../protocol/dto';
import { decodeEntryBits, effectiveCacheType, formatBytes, toHex } from '../../protocol/pagingEntry';
import { type Html, el, plural } from './html';
import { frameClass } from './legends';
import { type Placed, axisSvg, swatch } from './pictures';

const MAP_TYPE_WORDS: Readonly<Record<string, string>> = {
  Usable: 'RAM the kernel may use',
  Reserved: 'firmware or device memory, not RAM',
  ACPI_Reclaimable: 'ACPI tables, reusable once read',
  ACPI_NVS: 'ACPI non-volatile storage',
  BadMemory: 'defective RAM',
  Unknown: 'of a type the kernel does not know',
};

const USED_WORDS: Readonly<Record<string, string>> = {
  LowMemory: 'the first MiB, never used on x86_64',
  Kernel: 'the kernel image',
  BootModule: 'a boot module',
  SMBIOS: 'SMBIOS tables',
  PhysicalPages: 'the PhysicalPageEntry array and its page tables',
};

/** Something drawn on a row of the map, in bytes of physical address. */
interface Piece {
  readonly start: number;
  readonly end: number;
  readonly className: string;
  readonly text: string;
}

/** Pieces named under a row, and device mappings listed, at most; the rest are counted. */
const MAX_PIECES_NAMED = 24;
export const MAX_MAPPINGS = 64;

const big = (hex: string): number => Number(BigInt(hex));

/** The kernel's used ranges, as pieces of the map. */
function usedPieces(d: DmaMmioDto): Piece[] {
  return d.usedRanges.map((range) => ({
    start: big(range.start),
    end: big(range.end),
    className: `u-${range.kind}`,
    text: `${range.kind} ${range.start}–${range.end} (${USED_WORDS[range.kind] ?? range.kind})`,
  }));
}

/** The frame runs of DMA buffers and MMIO windows, as pieces of the map. */
function devicePieces(d: DmaMmioDto): Piece[] {
  return d.mappings.flatMap((m) =>
    m.frameRuns.map((run) => ({
      start: big(run.paddr),
      end: big(run.paddr) + run.pages * 4096,
      className: frameClass(m.kind),
      text: `${m.kind.toUpperCase()} ${m.name} ${run.paddr}×${run.pages}`,
    })),
  );
}

function mapRow(
  from: number,
  to: number,
  title: string,
  words: string,
  backClass: string,
  pieces: readonly Piece[],
): Html {
  const inside = pieces.filter((piece) => piece.start < to && piece.end > from);
  const placed: Placed[] = inside.map((piece) => ({
    start: Math.max(from, piece.start),
    length: Math.min(to, piece.end) - Math.max(from, piece.start),
    className: piece.className,
    title: piece.text,
  }));
  return el(
    'li',
    { class: `map-row ${backClass}` },
    el(
      'div',
      {},
      el('span', { class: 'mono' }, `${toHex(from)}–${toHex(to)}`),
      ` · ${formatBytes(to - from)} · `,
      el('b', {}, title),
      el('span', { class: 'muted' }, ` — ${words}`),
    ),
    axisSvg(from, to, placed, `${title} ${toHex(from)}–${toHex(to)} to scale`),
    inside.length === 0
      ? null
      : el(
          'ul',
          { class: 'pieces' },
          inside.slice(0, MAX_PIECES_NAMED).map((piece) => el('li', {}, swatch(piece.className), piece.text)),
          inside.length > MAX_PIECES_NAMED
            ? el('li', { class: 'muted' }, `… ${plural(inside.length - MAX_PIECES_NAMED, 'more')}`)
            : null,
        ),
  );
}

/** The memory map's rows, and one more for device frames outside every range of it. */
function mapRows(d: DmaMmioDto): Html[] {
  const devices = devicePieces(d);
  const pieces = [...usedPieces(d), ...devices].sort((a, b) => a.start - b.start);
  const rows = d.memoryMap.map((entry) => {
    const from = big(entry.base);
    return mapRow(
      from,
      from + big(entry.length),
      entry.type,
      MAP_TYPE_WORDS[entry.type] ?? entry.type,
      `map-${entry.type}`,
      pieces,
    );
  });
  const inMap = (piece: Piece): boolean =>
    d.memoryMap.some(
      (entry) => piece.start >= big(entry.base) && piece.end <= big(entry.base) + big(entry.length),
    );
  // The kernel's used ranges are RAM it keeps, always inside the map; devices may lie outside it.
  const outside = devices.filter((piece) => !inMap(piece)).sort((a, b) => a.start - b.start);
  if (outside.length > 0) {
    const from = outside.reduce((low, piece) => Math.min(low, piece.start), Infinity);
    const to = outside.reduce((high, piece) => Math.max(high, piece.end), 0);
    rows.push(
      mapRow(
        from,
        to,
        'Outside the memory map',
        'device address space (MMIO windows)',
        'map-outside',
        outside,
      ),
    );
  }
  return rows;
}

function cachingChips(m: DeviceMappingDto): Html {
  const bits = decodeEntryBits(m.pteRaw).filter((bit) => ['PWT', 'PCD', 'PAT'].includes(bit.label));
  return el(
    'span',
    { class: 'chips' },
    bits.map((bit) =>
      el(
        'span',
        {
          class: `chip bit ${bit.set ? 'bit-on' : 'bit-off'}`,
          title: `${bit.label} ${bit.set ? 'set' : 'clear'}: ${bit.meaning}`,
        },
        bit.label,
      ),
    ),
    el('span', { class: 'muted' }, ` ${effectiveCacheType(m.pteRaw)}`),
  );
}

function mappingItem(m: DeviceMappingDto): Html {
  const contiguous = m.frameRuns.length <= 1;
  return el(
    'li',
    { class: 'mapping' },
    el('span', { class: `badge kind-${m.kind}` }, m.kind.toUpperCase()),
    el('b', {}, m.name),
    el('span', { class: 'mono' }, m.kernelVaddr),
    el('span', {}, formatBytes(m.size)),
    el('span', { class: `chip memtype-${m.memoryType}` }, m.memoryType),
    cachingChips(m),
    el('span', { class: 'muted mono', title: 'raw PTE of the first page' }, `PTE ${m.pteRaw}`),
    el(
      'span',
      { class: `badge ${contiguous ? 'contiguous' : 'scattered'}` },
      contiguous ? 'contiguous' : plural(m.frameRuns.length, 'run'),
    ),
    el('span', { class: 'mono' }, m.frameRuns.map((run) => `${run.paddr}×${run.pages}`).join(' ')),
  );
}

/** The map and the device mappings of a state. */
export function devicesSection(d: DmaMmioDto): Html {
  return el(
    'section',
    { class: 'part' },
    el('h3', {}, 'DMA / MMIO map'),
    el('ol', { class: 'map' }, mapRows(d)),
    d.mappings.length === 0
      ? el('p', { class: 'muted' }, 'No DMA buffer or MMIO region is mapped.')
      : el('ul', { class: 'mappings' }, d.mappings.slice(0, MAX_MAPPINGS).map(mappingItem)),
    d.mappings.length > MAX_MAPPINGS
      ? el(
          'p',
          { class: 'muted' },
          `${plural(d.mappings.length - MAX_MAPPINGS, 'more device mapping')} not listed.`,
        )
      : null,
  );
}
