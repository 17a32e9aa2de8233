import * as assert from 'assert';
import fc from 'fast-check';
import { KERNEL_SPACE_ID } from '../engine/events';
import {
  KERNEL_SPACE,
  type MemorySpaceRef,
  PHYSICAL_MEMORY,
  type SpaceRef,
  dataBreakpointId,
  formatMemoryReference,
  memorySpaceLabel,
  memorySpacePrefix,
  parseDataBreakpointId,
  parseMemoryReference,
  parseMemorySpacePrefix,
  parseViewSpaceId,
  processSpace,
  sameSpace,
  spaceLabel,
  spaceOfEvent,
  viewSpaceId,
  virtualMemory,
} from './addressSpaces';

const pid = fc.nat({ max: Number.MAX_SAFE_INTEGER });
const space: fc.Arbitrary<SpaceRef> = fc.oneof(fc.constant(KERNEL_SPACE), pid.map(processSpace));
const memorySpace: fc.Arbitrary<MemorySpaceRef> = fc.oneof(
  fc.constant(PHYSICAL_MEMORY),
  space.map(virtualMemory),
);
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe('address-space identities', () => {
  it('spells the kernel and a process in every form', () => {
    const three = processSpace(3);
    assert.strictEqual(viewSpaceId(KERNEL_SPACE), 'kernel');
    assert.strictEqual(viewSpaceId(three), 'pid:3');
    assert.strictEqual(memorySpacePrefix(virtualMemory(KERNEL_SPACE)), 'v:kernel');
    assert.strictEqual(memorySpacePrefix(virtualMemory(three)), 'v:3');
    assert.strictEqual(memorySpacePrefix(PHYSICAL_MEMORY), 'p');
    assert.strictEqual(spaceLabel(KERNEL_SPACE), 'kernel');
    assert.strictEqual(spaceLabel(three), 'pid 3');
    assert.strictEqual(memorySpaceLabel(PHYSICAL_MEMORY), 'physical');
    assert.strictEqual(memorySpaceLabel(virtualMemory(three)), 'pid 3');
    assert.strictEqual(formatMemoryReference(virtualMemory(three), 0x1000), 'v:3:0x1000');
    assert.strictEqual(
      formatMemoryReference(virtualMemory(KERNEL_SPACE), 0x2000000000),
      'v:kernel:0x2000000000',
    );
    assert.strictEqual(formatMemoryReference(PHYSICAL_MEMORY, 0xfffffffffffff000n), 'p:0xfffffffffffff000');
  });

  it('reads the engine’s event numbers: the kernel as 0, a process by its pid', () => {
    assert.deepStrictEqual(spaceOfEvent(KERNEL_SPACE_ID), KERNEL_SPACE);
    assert.deepStrictEqual(spaceOfEvent(7), processSpace(7));
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) assert.throws(() => spaceOfEvent(bad), RangeError);
  });

  it('tells spaces apart by kind and pid only', () => {
    assert.ok(sameSpace(KERNEL_SPACE, { kind: 'kernel' }));
    assert.ok(sameSpace(processSpace(3), { kind: 'process', pid: 3 }));
    assert.ok(!sameSpace(processSpace(3), processSpace(4)));
    // No process is the kernel, not even one that claims pid 0, the kernel's number in events.
    assert.ok(!sameSpace(processSpace(0), spaceOfEvent(KERNEL_SPACE_ID)));
    assert.ok(!sameSpace(spaceOfEvent(KERNEL_SPACE_ID), processSpace(0)));
  });

  it('round-trips every space through each spelling', () => {
    fc.assert(
      fc.property(space, (s) => {
        assert.deepStrictEqual(parseViewSpaceId(viewSpaceId(s)), s);
        assert.deepStrictEqual(parseMemorySpacePrefix(memorySpacePrefix(virtualMemory(s))), virtualMemory(s));
      }),
    );
    assert.deepStrictEqual(parseMemorySpacePrefix('p'), PHYSICAL_MEMORY);
  });

  it('round-trips memory references over the whole 64-bit range', () => {
    fc.assert(
      fc.property(memorySpace, u64, (s, address) => {
        const reference = formatMemoryReference(s, address);
        assert.deepStrictEqual(parseMemoryReference(reference), { space: s, address });
        assert.strictEqual(formatMemoryReference(s, address), reference);
      }),
    );
    assert.deepStrictEqual(parseMemoryReference('v:3:0x1000'), {
      space: virtualMemory(processSpace(3)),
      address: 0x1000n,
    });
  });

  it('round-trips data breakpoint ids', () => {
    const target = { space: virtualMemory(processSpace(3)), start: 0x10000, length: 16 };
    assert.strictEqual(dataBreakpointId(target), 'v:3:0x10000:16');
    assert.deepStrictEqual(parseDataBreakpointId(dataBreakpointId(target)), target);
    assert.deepStrictEqual(parseDataBreakpointId('p:0x1000:4096'), {
      space: PHYSICAL_MEMORY,
      start: 0x1000,
      length: 4096,
    });
    fc.assert(
      fc.property(
        memorySpace,
        fc.nat({ max: 2 ** 52 }),
        fc.integer({ min: 1, max: 2 ** 52 }),
        (s, start, length) => {
          const watched = { space: s, start, length };
          assert.deepStrictEqual(parseDataBreakpointId(dataBreakpointId(watched)), watched);
        },
      ),
    );
  });

  it('refuses view ids that are not exactly "kernel" or "pid:<n>"', () => {
    const bad = [
      'pid:-1',
      'pid:1.5',
      'pid:',
      'pid:01',
      'pid: 1',
      'pid:1e3',
      'pid:0x10',
      'pid:9007199254740992',
    ];
    for (const id of [...bad, 'Kernel', ' kernel', 'kernel ', 'pid 3', '3', 'v:3', 'p', '', '__proto__'])
      assert.strictEqual(parseViewSpaceId(id), null, id);
    assert.deepStrictEqual(parseViewSpaceId('pid:0'), processSpace(0));
    assert.deepStrictEqual(parseViewSpaceId('pid:9007199254740991'), processSpace(Number.MAX_SAFE_INTEGER));
  });

  it('refuses memory references and prefixes that are not exactly one of the spellings', () => {
    const bad = [
      'v:99999999999999999999:0x0',
      'v:3:0x',
      'p:0x1g',
      'v:-1:0x10',
      'v:1.5:0x10',
      'v:03:0x10',
      'v::0x10',
      'v:kernel',
      'v:kernel:0x10:4',
      'v:3:4096',
      'v:3:0X10',
      'v:3:0x1_000',
      'v:3: 0x10',
      'V:3:0x10',
      'p:0x10000000000000000',
      'p:-0x1',
      'x:0x10',
      'p',
      '',
      '__proto__',
      'v:__proto__:0x0',
    ];
    for (const reference of bad) assert.strictEqual(parseMemoryReference(reference), null, reference);
    for (const prefix of ['v', 'v:', 'v:pid', 'v:3:', 'P', 'p:', 'pid:3', 'kernel', '__proto__'])
      assert.strictEqual(parseMemorySpacePrefix(prefix), null, prefix);
  });

  it('refuses data breakpoint ids that are malformed or watch no exact range', () => {
    const bad = [
      'v:x:0x10:1',
      'p:0x10:0',
      'p:10:1',
      'mem',
      '',
      'p:0x10:01',
      'p:0x10:-1',
      'p:0x10:1.5',
      'p:0x10',
      'p:0x10:1:2',
      'v:-1:0x10:1',
      'p:0x20000000000000:1',
      'p:0x1fffffffffffff:1',
      'p:0x10:99999999999999999999',
      '__proto__',
    ];
    for (const id of bad) assert.strictEqual(parseDataBreakpointId(id), null, id);
  });

  it('will not write a pid or an address that no parser would read back', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) assert.throws(() => processSpace(bad), RangeError);
    for (const bad of [-1, 0.5, 2 ** 53, -1n, 1n << 64n])
      assert.throws(() => formatMemoryReference(PHYSICAL_MEMORY, bad), RangeError);
    assert.throws(() => dataBreakpointId({ space: PHYSICAL_MEMORY, start: 0, length: 0 }), RangeError);
  });
});
