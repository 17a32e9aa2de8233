// The words and colour classes the report gives page states and frame owners. They name the same
// states as the panels do, with the same letters (N Z L R C D V) and the same colour for each, so a
// reader who knows the panels knows the report.

import { FRAME_KINDS, type FrameKind, PAGE_STATE_CODES } from '../../protocol/dto';
import { type Html, el } from './html';
import { swatch } from './pictures';

/** Each page-state letter's name and what it tells about the page. */
export const PAGE_STATE_WORDS: Readonly<Record<string, { name: string; meaning: string }>> = {
  N: { name: 'not present', meaning: 'the VMObject slot holds no page: the first access faults' },
  Z: { name: 'shared zero', meaning: 'mapped read-only onto the shared zero page; a write faults' },
  L: { name: 'lazy committed', meaning: 'committed but not yet allocated: the lazy committed page' },
  R: { name: 'resident', meaning: 'a physical page of its own' },
  C: { name: 'copy-on-write', meaning: 'shared since a fork; a write copies it' },
  D: { name: 'dirty', meaning: 'an inode page written since the last sync' },
  V: { name: 'purgeable volatile', meaning: 'resident in a volatile purgeable object: may be purged' },
};

/** Who holds a physical frame, in words. */
export const FRAME_KIND_WORDS: Readonly<Record<FrameKind, string>> = {
  free: 'free in a zone',
  anonymous: 'anonymous memory',
  file: 'file (inode) page',
  pageTable: 'page table',
  kernel: 'kernel image or data',
  dma: 'DMA buffer',
  sharedZero: 'shared zero page',
  lazyCommitted: 'lazy committed page',
  quickmap: 'quickmapped',
  reserved: 'reserved, not RAM',
  mmio: 'MMIO',
  unzoned: 'RAM in no zone',
};

export const pageClass = (letter: string): string => `p-${letter}`;
export const frameClass = (kind: string): string => `f-${kind}`;

function legend(label: string, items: readonly { className: string; text: string; title: string }[]): Html {
  return el(
    'ul',
    { class: 'legend', 'aria-label': label },
    items.map((item) => el('li', { title: item.title }, swatch(item.className), item.text)),
  );
}

/** The page states with their letters and colours. */
export function pageLegend(): Html {
  return legend(
    'Page states',
    [...PAGE_STATE_CODES].map((letter) => {
      const words = PAGE_STATE_WORDS[letter]!;
      return { className: pageClass(letter), text: `${letter} ${words.name}`, title: words.meaning };
    }),
  );
}

/** The frame owners that occur in `present` (all of them when it is omitted). */
export function frameLegend(present?: ReadonlySet<string>): Html {
  return legend(
    'Frame owners',
    FRAME_KINDS.filter((kind) => present === undefined || present.has(kind)).map((kind) => ({
      className: frameClass(kind),
      text: FRAME_KIND_WORDS[kind],
      title: kind,
    })),
  );
}
