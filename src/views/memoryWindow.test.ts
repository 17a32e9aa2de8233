import * as assert from 'assert';
import { decodeMemoryWindow, maskBit, MemoryWindowDto } from '../protocol/memoryWindow';
import { pageWalk } from './pageTables';
import { changedBytes, memoryWindowDto, readWindow } from './memoryWindow';
import { evaluate, runScenario, valid } from './stateTestSupport';

const hex = (value: number): string => `0x${value.toString(16)}`;
const PAGE = 4096;

/** The bits of a mask for bytes [0, length), as a string of 1s and 0s (easier to read in a failure). */
function bits(mask: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += maskBit(mask, i) ? '1' : '0';
  return out;
}

describe('memory windows', () => {
  // Three pages with the middle one unmapped: a hole with readable memory on both sides.
  const run = runScenario(`
machine ram=64M
process p
let buf = mmap(p, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
write p buf + 4, "ABC"
munmap(p, buf + PAGE_SIZE, PAGE_SIZE)
`);
  const buf = Number(evaluate(run, 'buf'));

  it('reads what was written, and the rest of a touched page as zeros', () => {
    const window = readWindow(run.machine, { space: 'pid:1', address: hex(buf), length: 16 });
    assert.deepStrictEqual([...window.bytes.slice(0, 8)], [0, 0, 0, 0, 0x41, 0x42, 0x43, 0]);
    assert.ok(window.readable.every((r) => r));
  });

  it('marks the bytes of an unmapped page unreadable and those around it readable', () => {
    // 8 bytes before the hole, 4096 of the hole, 8 after it.
    const window = readWindow(run.machine, { space: 'pid:1', address: hex(buf + PAGE - 8), length: 16 });
    assert.deepStrictEqual(window.readable, [...Array(8).fill(true), ...Array(8).fill(false)]);
    const across = readWindow(run.machine, {
      space: 'pid:1',
      address: hex(buf + 2 * PAGE - 4),
      length: 8,
    });
    assert.deepStrictEqual(across.readable, [false, false, false, false, true, true, true, true]);
    assert.deepStrictEqual([...across.bytes.slice(0, 4)], [0, 0, 0, 0], 'unreadable bytes travel as 0');
  });

  it('reads a page without touching its PTE (the Accessed bit stays clear)', () => {
    const untouched = buf + 2 * PAGE;
    const before = pageWalk(run.machine, 'pid:1', hex(untouched));
    const pte = BigInt(before.levels[3]!.raw);
    assert.strictEqual(pte & 0x20n, 0n, 'never accessed: the page maps the shared zero page');
    const window = readWindow(run.machine, { space: 'pid:1', address: hex(untouched), length: 32 });
    assert.ok(window.readable.every((r) => r));
    assert.deepStrictEqual([...window.bytes], Array(32).fill(0));
    assert.deepStrictEqual(pageWalk(run.machine, 'pid:1', hex(untouched)), before);
  });

  it('reads physical memory by frame, and nothing past the end of RAM', () => {
    const paddr = pageWalk(run.machine, 'pid:1', hex(buf)).paddr;
    assert.ok(paddr !== null);
    const window = readWindow(run.machine, { space: 'physical', address: paddr, length: 8 });
    assert.deepStrictEqual([...window.bytes.slice(4, 7)], [0x41, 0x42, 0x43]);
    const beyond = readWindow(run.machine, { space: 'physical', address: '0x100000000000', length: 8 });
    assert.ok(beyond.readable.every((r) => !r));
  });

  it('reads a process the machine does not know as unreadable', () => {
    const window = readWindow(run.machine, { space: 'pid:99', address: hex(buf), length: 4 });
    assert.deepStrictEqual(window.readable, [false, false, false, false]);
  });

  it('refuses windows longer than 4096 bytes, empty ones and ones past 2^64, saying why', () => {
    assert.throws(
      () => readWindow(run.machine, { space: 'kernel', address: '0x0', length: 4097 }),
      /1 to 4096 bytes, not 4097/,
    );
    assert.throws(() => readWindow(run.machine, { space: 'kernel', address: '0x0', length: 0 }), /not 0/);
    assert.throws(
      () => readWindow(run.machine, { space: 'kernel', address: '0xfffffffffffffff8', length: 16 }),
      /runs past the top of the 64-bit address space/,
    );
    // Ending exactly at 2^64 is allowed: the last byte of the address space.
    const top = readWindow(run.machine, { space: 'kernel', address: '0xfffffffffffffff0', length: 16 });
    assert.ok(top.readable.every((r) => !r));
    assert.throws(
      () => readWindow(run.machine, { space: 'heap', address: '0x0', length: 1 }),
      /no address space/,
    );
  });

  describe('changed bytes', () => {
    const now = { bytes: Uint8Array.from([1, 2, 3, 4]), readable: [true, true, true, false] };

    it('are the readable bytes that differ or were unreadable at the compared step', () => {
      const then = { bytes: Uint8Array.from([1, 9, 0, 4]), readable: [true, true, false, true] };
      assert.deepStrictEqual(changedBytes(now, then), [false, true, true, false]);
    });

    it('are none without a compared step', () => {
      assert.deepStrictEqual(changedBytes(now, null), [false, false, false, false]);
    });

    it('travel as bit masks that decode to the same flags', () => {
      const then = { bytes: Uint8Array.from([0, 2, 3, 4]), readable: [true, true, true, true] };
      const dto = valid(
        MemoryWindowDto,
        memoryWindowDto({ space: 'pid:1', address: '0x1000', length: 4 }, 7, now, { step: 3, bytes: then }),
      );
      assert.strictEqual(dto.comparedStep, 3);
      const decoded = decodeMemoryWindow(dto);
      assert.deepStrictEqual([...decoded.bytes], [1, 2, 3, 4]);
      assert.strictEqual(bits(decoded.readable, 4), '1110');
      assert.strictEqual(bits(decoded.changed, 4), '1000');
    });
  });
});
