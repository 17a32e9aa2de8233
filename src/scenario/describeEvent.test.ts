import * as assert from 'assert';
import type { MemoryEvent } from '../engine';
import { KERNEL_PT1024_BASE } from '../engine/constants';
import { describeEvent, summarizeEvents } from './describeEvent';

const inWindow = KERNEL_PT1024_BASE + 0x3000;

describe('the event presenter', () => {
  it('puts each event in one unpadded sentence with what it is about', () => {
    assert.deepStrictEqual(
      describeEvent({
        kind: 'page_allocated',
        paddr: 0x5000,
        committed: true,
        purpose: 'zero_fill',
        space: 3,
      }),
      {
        kind: 'page_allocated',
        text: '+0x5000 zero-filled page for pid 3 (from a commitment)',
        target: { kind: 'frame', paddr: '0x5000' },
        purpose: { kind: 'zero_fill', spaceId: 'pid:3' },
      },
    );
    assert.deepStrictEqual(
      describeEvent({
        kind: 'region_created',
        space: 2,
        regionId: 9,
        base: 0x10000,
        size: 0x2000,
        name: 'buf',
      }),
      {
        kind: 'region_created',
        text: '+ "buf" 0x10000..0x12000 in pid 2',
        target: { kind: 'region', spaceId: 'pid:2', regionId: '9' },
        purpose: null,
      },
    );
    assert.deepStrictEqual(
      describeEvent({
        kind: 'region_destroyed',
        space: 0,
        regionId: 4,
        base: 0x2000,
        size: 0x1000,
        name: 'k',
      }),
      {
        kind: 'region_destroyed',
        text: '- "k" 0x2000..0x3000 in kernel',
        target: { kind: 'address', spaceId: 'kernel', vaddr: '0x2000' },
        purpose: null,
      },
    );
    const fault: MemoryEvent = {
      kind: 'page_fault',
      space: 1,
      vaddr: 0x10123,
      access: 'write',
      userMode: true,
      notPresent: false,
      handler: 'cow',
      response: 'Continue',
      decision: 'ref_count was 1, so no copy: the COW bit is cleared and the page made writable',
    };
    assert.deepStrictEqual(describeEvent(fault), {
      kind: 'page_fault',
      text: 'pid 1 write 0x10123 (protection, user) → cow handler, Continue: ref_count was 1, so no copy: the COW bit is cleared and the page made writable',
      target: { kind: 'page', spaceId: 'pid:1', vaddr: '0x10000' },
      purpose: null,
    });
    assert.strictEqual(
      describeEvent({ ...fault, decision: '' }).text,
      'pid 1 write 0x10123 (protection, user) → cow handler, Continue',
      'a fault without a decision ends at its response',
    );
    assert.deepStrictEqual(describeEvent({ kind: 'panic', message: 'VERIFY(x) failed' }), {
      kind: 'panic',
      text: 'VERIFY(x) failed',
      target: null,
      purpose: null,
    });
  });

  it('links the quickmap slot it clears to the kernel’s address', () => {
    assert.deepStrictEqual(describeEvent({ kind: 'unquickmap', cpu: 0, vaddr: inWindow }).target, {
      kind: 'address',
      spaceId: 'kernel',
      vaddr: `0x${inWindow.toString(16)}`,
    });
  });

  it('folds the quickmap window’s scaffolding into one closing line that counts its slots', () => {
    const events: MemoryEvent[] = [
      { kind: 'quickmap', cpu: 0, slot: 'page', paddr: 0x7000, vaddr: inWindow },
      {
        kind: 'pte_written',
        space: 0,
        vaddr: inWindow,
        entryPaddr: 0,
        oldLow: 0,
        oldHigh: 0,
        newLow: 0x7003,
        newHigh: 0,
      },
      { kind: 'tlb_flush', space: 0, vaddr: inWindow, pageCount: 1, scope: 'local' },
      { kind: 'page_freed', paddr: 0x9000 },
      { kind: 'unquickmap', cpu: 0, vaddr: inWindow },
      { kind: 'quickmap', cpu: 0, slot: 'pt', paddr: 0x8000, vaddr: inWindow },
      // The same address in a process is that process's own mapping, not scaffolding.
      {
        kind: 'pte_written',
        space: 1,
        vaddr: inWindow,
        entryPaddr: 0,
        oldLow: 0,
        oldHigh: 0,
        newLow: 0,
        newHigh: 0,
      },
    ];
    const summary = summarizeEvents(events, { limit: 10, groupOf: (kind) => kind });
    assert.deepStrictEqual(
      summary.listed.map((e) => [e.kind, e.text]),
      [
        ['page_freed', '-0x9000'],
        ['pte_written', `pid 1 0x${inWindow.toString(16)}: 0 → 0`],
        ['quickmap', '2 temporary mappings (zero fill, copy, page-table edits)'],
      ],
    );
    assert.strictEqual(summary.listed[2]!.target, null);
    assert.deepStrictEqual(summary.more, []);
  });

  it('lists at most the limit of each group and counts the rest, groups in order of their first event', () => {
    const events: MemoryEvent[] = [
      { kind: 'pages_committed', count: 1 },
      ...[1, 2, 3].map((i): MemoryEvent => ({ kind: 'page_freed', paddr: i * 0x1000 })),
      ...[4, 5, 6].map((i): MemoryEvent => ({
        kind: 'page_allocated',
        paddr: i * 0x1000,
        committed: false,
        purpose: 'scenario',
        space: 0,
      })),
      { kind: 'pages_committed', count: 2 },
      { kind: 'pages_committed', count: 3 },
    ];
    const byKind = summarizeEvents(events, { limit: 2, groupOf: (kind) => kind });
    assert.deepStrictEqual(
      byKind.listed.map((e) => e.text),
      [
        '+1',
        '-0x1000',
        '-0x2000',
        '+0x4000 page held by the scenario',
        '+0x5000 page held by the scenario',
        '+2',
      ],
    );
    assert.deepStrictEqual(byKind.more, [
      { group: 'pages_committed', count: 1 },
      { group: 'page_freed', count: 1 },
      { group: 'page_allocated', count: 1 },
    ]);
    const pages = summarizeEvents(events, {
      limit: 2,
      groupOf: (kind) => (kind.startsWith('page_') ? 'page' : kind),
    });
    assert.deepStrictEqual(
      pages.listed.map((e) => e.text),
      ['+1', '-0x1000', '-0x2000', '+2'],
    );
    assert.deepStrictEqual(pages.more, [
      { group: 'pages_committed', count: 1 },
      { group: 'page', count: 4 },
    ]);
  });
});
