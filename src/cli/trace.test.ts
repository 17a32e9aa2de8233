import * as assert from 'assert';
import type { MemoryEvent } from '../engine';
import { KERNEL_PT1024_BASE } from '../engine/constants';
import { describeEvent, summarizeEvents } from '../scenario/describeEvent';
import { Interpreter } from '../scenario/interpreter';
import { describeChanges } from './trace';

/** One event of every kind the trace lists on its own line, with the label its line starts with. */
const LABELLED: readonly (readonly [string, MemoryEvent])[] = [
  ['page', { kind: 'page_allocated', paddr: 0x5000, committed: false, purpose: 'cow_copy', space: 1 }],
  ['page', { kind: 'page_freed', paddr: 0x5000 }],
  ['pages', { kind: 'contiguous_pages_allocated', paddr: 0x100000, count: 4 }],
  ['commit', { kind: 'pages_committed', count: 3 }],
  ['commit', { kind: 'pages_uncommitted', count: 3 }],
  ['region', { kind: 'region_created', space: 1, regionId: 2, base: 0x10000, size: 0x1000, name: 'a' }],
  ['region', { kind: 'region_split', space: 1, regionId: 2, pieces: [{ regionId: 3, base: 0x10000, size: 0x1000 }] }],
  ['region', { kind: 'region_destroyed', space: 0, regionId: 2, base: 0x10000, size: 0x1000, name: 'a' }],
  ['region', { kind: 'region_access_changed', space: 1, regionId: 2, access: 5 }],
  ['pte', { kind: 'pte_written', space: 1, vaddr: 0x10000, entryPaddr: 0x3000, oldLow: 0, oldHigh: 0, newLow: 0x5007, newHigh: 0 }],
  ['page table', { kind: 'page_table_allocated', space: 1, vaddr: 0x10000, paddr: 0x6000 }],
  ['page table', { kind: 'page_table_freed', space: 1, vaddr: 0x10000, paddr: 0x6000 }],
  ['fault', { kind: 'page_fault', space: 1, vaddr: 0x10000, access: 'read', userMode: true, notPresent: true, handler: 'zero', response: 'Continue', decision: 'the page was the shared zero page, so a fresh zero-filled page is allocated' }],
  ['tlb', { kind: 'tlb_flush', space: 1, vaddr: 0x10000, pageCount: 1, scope: 'broadcast' }],
  ['purge', { kind: 'vmobject_purged', vmobjectId: 4, pages: 2 }],
  ['process', { kind: 'process_created', pid: 2, name: 'child', parent: 1 }],
  ['process', { kind: 'process_died', pid: 2, reason: 'exit' }],
  ['file', { kind: 'file_written', path: '/etc/motd', offset: 0, length: 5 }],
  ['PANIC', { kind: 'panic', message: 'VERIFY(x) failed' }],
]; // prettier-ignore

describe('the trace of what a step changed', () => {
  it('is the presenter’s text behind a label column of ten characters and a space', () => {
    for (const [label, event] of LABELLED)
      assert.deepStrictEqual(describeChanges([event]), [`${label.padEnd(10)} ${describeEvent(event).text}`]);
    const quickmap: MemoryEvent = {
      kind: 'quickmap',
      cpu: 0,
      slot: 'page',
      paddr: 0x5000,
      vaddr: KERNEL_PT1024_BASE,
    };
    const folded = summarizeEvents([quickmap], { limit: 6, groupOf: (kind) => kind }).listed[0]!;
    assert.deepStrictEqual(describeChanges([quickmap]), [`quickmap   ${folded.text}`]);
  });

  it('prints a fork’s changes in the presenter’s words and order, six per group and a count of the rest', () => {
    const text = `machine ram=64M
process parent
let buf = mmap(parent, 0, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
repeat i in 0..16 {
  write parent buf + i * PAGE_SIZE, 1
}
fork parent as child
`;
    const interpreter = Interpreter.start(text, 'fork.mmu').interpreter!;
    let events: readonly MemoryEvent[] = [];
    while (!interpreter.finished) events = interpreter.step().events as readonly MemoryEvent[];
    const lines = describeChanges(events);
    // Each listed line is the next of the presenter's sentences, in event order, behind its label.
    const presented = events.map((e) => describeEvent(e).text);
    let at = 0;
    const changes = lines.filter((line) => !line.startsWith('…') && !line.startsWith('quickmap'));
    for (const line of changes) {
      assert.strictEqual(line[10], ' ', line);
      while (at < presented.length && presented[at] !== line.slice(11)) at++;
      assert.ok(at++ < presented.length, `"${line}" is not the next of the presenter's sentences`);
    }
    const pteLines = changes.filter((line) => line.startsWith('pte        '));
    assert.strictEqual(pteLines.length, 6);
    assert.ok(
      lines.some((line) => /^… {10}\d+ more pte changes$/.test(line)),
      lines.join('\n'),
    );
  });
});
