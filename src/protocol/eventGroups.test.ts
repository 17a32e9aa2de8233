import * as assert from 'assert';
import type { PagePurposeDto, StepEventDto } from './dto';
import { groupStepEvents, statementCause } from './eventGroups';

const event = (kind: string, text: string, purpose: PagePurposeDto | null = null): StepEventDto => ({
  kind,
  text,
  target: null,
  purpose,
});

/** `count` page allocations from 0x200000 up, each for `purpose`. */
function allocations(count: number, purpose: (i: number) => PagePurposeDto): StepEventDto[] {
  return Array.from({ length: count }, (_, i) =>
    event('PageAllocated', `+0x${(0x200000 + i * 0x1000).toString(16)}`, purpose(i)),
  );
}

describe('grouping a step’s events', () => {
  it('names what a fork’s run of page allocations was for when they all were for the same', () => {
    const events = [
      ...allocations(130, () => ({ kind: 'paging_structure', spaceId: 'pid:2' })),
      event('ProcessCreated', '+ q (pid 2)'),
      event('PageAllocated', '+0x400000 page table for pid 2', { kind: 'page_table', spaceId: 'pid:2' }),
    ];
    const groups = groupStepEvents(events, statementCause('fork p as q'));
    assert.deepStrictEqual(
      groups.map(({ first, count, kind }) => [first, count, kind]),
      [
        [0, 130, 'PageAllocated'],
        [130, 1, 'ProcessCreated'],
        [131, 1, 'PageAllocated'],
      ],
    );
    assert.strictEqual(groups[0]!.summary, 'fork: 130 paging-structure pages for pid 2 (eager)');
    assert.strictEqual(groups[2]!.summary, null);
  });

  it('words each purpose a run can share, with the space only where the pages are for one', () => {
    const summary = (kind: PagePurposeDto['kind'], spaceId: string, cause = 'x'): string | null =>
      groupStepEvents(
        allocations(3, () => ({ kind, spaceId })),
        cause,
      )[0]!.summary;
    assert.strictEqual(summary('zero_fill', 'pid:1', 'write'), 'write: 3 zero-filled pages for pid 1');
    assert.strictEqual(summary('cow_copy', 'pid:3'), 'x: 3 copy-on-write copies for pid 3');
    assert.strictEqual(summary('inode_read', 'pid:1'), 'x: 3 file pages for pid 1');
    assert.strictEqual(summary('page_table', 'kernel'), 'x: 3 page tables for kernel');
    assert.strictEqual(summary('allocate_now', 'pid:4'), 'x: 3 anonymous pages for pid 4 (eager)');
    assert.strictEqual(summary('dma_buffer', 'kernel'), 'x: 3 DMA buffer pages');
    assert.strictEqual(summary('kernel', 'kernel'), 'x: 3 kernel pages');
    assert.strictEqual(summary('scenario', 'kernel', ''), '3 pages held by the scenario');
  });

  it('falls back to the count and span when the run’s pages were for different things or spaces', () => {
    const mixedKinds = allocations(4, (i) => ({
      kind: i === 3 ? 'page_table' : 'paging_structure',
      spaceId: 'pid:2',
    }));
    assert.strictEqual(
      groupStepEvents(mixedKinds, 'fork')[0]!.summary,
      'fork: 4 pages allocated (+0x200000 … +0x203000)',
    );
    const mixedSpaces = allocations(3, (i) => ({ kind: 'zero_fill', spaceId: `pid:${1 + (i % 2)}` }));
    assert.strictEqual(
      groupStepEvents(mixedSpaces, 'repeat')[0]!.summary,
      'repeat: 3 pages allocated (+0x200000 … +0x202000)',
    );
  });

  it('folds a run of page allocations that say nothing of their purpose into one row with its cause, count and span', () => {
    const events = [
      event('RegionCreated', 'pid 2 [0x1000000, 0x1010000) buf'),
      ...Array.from({ length: 131 }, (_, i) =>
        event('PageAllocated', `+0x${(0x200000 + i * 0x1000).toString(16)}`),
      ),
      event('PteWritten', 'pid 1 0x1000000'),
    ];
    const groups = groupStepEvents(events, statementCause('fork p as q'));
    assert.deepStrictEqual(
      groups.map(({ first, count, kind }) => [first, count, kind]),
      [
        [0, 1, 'RegionCreated'],
        [1, 131, 'PageAllocated'],
        [132, 1, 'PteWritten'],
      ],
    );
    assert.strictEqual(groups[0]!.summary, null);
    assert.strictEqual(groups[1]!.summary, 'fork: 131 pages allocated (+0x200000 … +0x282000)');
  });

  it('keeps short runs as single rows and only groups consecutive events', () => {
    const events = [
      event('PteWritten', 'a'),
      event('PteWritten', 'b'),
      event('PageAllocated', 'c'),
      event('PteWritten', 'd'),
      event('PteWritten', 'e'),
      event('PteWritten', 'f'),
    ];
    const groups = groupStepEvents(events, 'write');
    assert.deepStrictEqual(
      groups.map(({ first, count }) => [first, count]),
      [
        [0, 1],
        [1, 1],
        [2, 1],
        [3, 3],
      ],
    );
    assert.strictEqual(groups[3]!.summary, 'write: 3 PTEs written (d … f)');
  });

  it('never folds failures or the counted rest, and names kinds it has no words for', () => {
    const events = [
      event('Failed', 'x'),
      event('Failed', 'y'),
      event('Failed', 'z'),
      event('More', '300 more PteWritten events'),
      event('More', '2 more PageFreed events'),
      event('More', '1 more Fault event'),
      event('Quirk', '1'),
      event('Quirk', '2'),
      event('Quirk', '3'),
    ];
    const groups = groupStepEvents(events, '');
    assert.strictEqual(groups.length, 7);
    assert.ok(groups.slice(0, 6).every((group) => group.count === 1));
    assert.strictEqual(groups[6]!.summary, '3 Quirk events (1 … 3)');
  });

  it('covers every event exactly once, in order', () => {
    const kinds = ['A', 'A', 'A', 'B', 'A', 'C', 'C', 'C', 'C', 'More', 'More', 'More'];
    const events = kinds.map((kind, i) => event(kind, String(i)));
    const covered = groupStepEvents(events, 'x').flatMap((group) =>
      Array.from({ length: group.count }, (_, i) => group.first + i),
    );
    assert.deepStrictEqual(
      covered,
      kinds.map((_, i) => i),
    );
  });

  it('takes the cause from the call a statement makes, else from its first word', () => {
    assert.strictEqual(statementCause('let c = fork(p)'), 'fork');
    assert.strictEqual(statementCause('let a = mmap(p, 0, PAGE_SIZE, PROT_READ)'), 'mmap');
    assert.strictEqual(statementCause('write p buf, 1   => zero_fault'), 'write');
    assert.strictEqual(statementCause('(boot)'), '');
    assert.strictEqual(statementCause(''), '');
  });
});
