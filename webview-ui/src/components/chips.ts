// Bit chips of a paging-structure entry: each bit labelled, set bits filled, the meaning on hover.
import type { PagingLevel } from '../../../src/protocol/dto';
import { decodeEntryBits } from '../../../src/protocol/pagingEntry';
import { h } from '../dom';

export function entryChips(raw: string, level: PagingLevel = 'PT'): HTMLElement {
  return h(
    'span',
    { class: 'chips', role: 'list', 'aria-label': 'Entry bits' },
    ...decodeEntryBits(raw, level).map((bit) =>
      h(
        'span',
        {
          class: `chip bit ${bit.set ? 'bit-on' : 'bit-off'}`,
          role: 'listitem',
          title: `${bit.label} (bit ${bit.bit}) ${bit.set ? 'set' : 'clear'}: ${bit.meaning}`,
          'aria-label': `${bit.label} ${bit.set ? 'set' : 'clear'}`,
        },
        bit.label,
      ),
    ),
  );
}
