import * as assert from 'assert';
import type { StepEventDto } from './dto';
import { groupStepEvents, statementCause } from './eventGroups';

const event = (kind: string, text: string): StepEventDto => ({ kind, text, target: null });

describe('grouping a step’s events', () => {
  it('folds a fork’s run of page allocations into one row with its cause, count and span', () => {
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
