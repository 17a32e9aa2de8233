// The host's C page walk (host/page_walk.c) written in plain JavaScript: the same four levels of
// tables over 1 GiB of 4 KiB pages, the same kind of random addresses, the same loop with a present
// check at every level. It is not the engine: it is the bar translate_random_per_s must reach (the
// engine translating the same offsets, in the same process, with rounds taking turns with this one's),
// and it shows how fast this machine runs such a loop in JavaScript at all.

const GiB = 1024 * 1024 * 1024;
const PAGE = 4096;
const WORDS_PER_TABLE = 1024; // 512 entries of two 32-bit words (low, high)
const PAGE_TABLES = GiB / PAGE / 512;
const VIRTUAL_BASE = 0x7f00_0000_0000; // 1 GiB aligned, canonical lower half, as in page_walk.c
const DATA_FRAME_BASE = 2 ** 20; // the mapped pages live at 4 GiB and up, beyond the tables
const PRESENT_WRITABLE_USER = 0x7;

/** `count` random byte offsets (8-byte aligned) within 1 GiB; translate_random_per_s uses the same. */
export function randomOffsetsInGiB(count: number): Float64Array {
  const offsets = new Float64Array(count);
  let x = 12345;
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    offsets[i] = (x % (GiB / 8)) * 8;
  }
  return offsets;
}

/** PML4 in frame 0, PDPT in 1, PD in 2, page tables from 3 on; entries hold frame numbers. */
function buildTables(): Uint32Array {
  const tables = new Uint32Array((3 + PAGE_TABLES) * WORDS_PER_TABLE);
  const point = (table: number, index: number, frame: number): void => {
    tables[table * WORDS_PER_TABLE + 2 * index] = ((frame % 2 ** 20) * PAGE + PRESENT_WRITABLE_USER) >>> 0;
    tables[table * WORDS_PER_TABLE + 2 * index + 1] = Math.floor(frame / 2 ** 20);
  };
  point(0, Math.floor(VIRTUAL_BASE / 2 ** 39) % 512, 1);
  point(1, Math.floor(VIRTUAL_BASE / 2 ** 30) % 512, 2);
  for (let t = 0; t < PAGE_TABLES; t++) {
    point(2, t, 3 + t);
    for (let e = 0; e < 512; e++) point(3 + t, e, DATA_FRAME_BASE + t * 512 + e);
  }
  return tables;
}

/** The frame entry `index` of the table in `frame` points at, or -1 when it is not present. */
function nextFrame(tables: Uint32Array, frame: number, index: number): number {
  const at = frame * WORDS_PER_TABLE + 2 * index;
  const low = tables[at]!;
  if ((low & 1) === 0) return -1;
  return tables[at + 1]! * 2 ** 20 + (low >>> 12);
}

/** One walk from the PML4: the physical address of `vaddr`, or -1. */
function walk(tables: Uint32Array, vaddr: number): number {
  const high32 = Math.floor(vaddr / 2 ** 32);
  const low32 = vaddr >>> 0;
  let frame = nextFrame(tables, 0, (high32 >>> 7) & 511);
  if (frame < 0) return -1;
  frame = nextFrame(tables, frame, ((high32 << 2) | (low32 >>> 30)) & 511);
  if (frame < 0) return -1;
  frame = nextFrame(tables, frame, (low32 >>> 21) & 511);
  if (frame < 0) return -1;
  frame = nextFrame(tables, frame, (low32 >>> 12) & 511);
  if (frame < 0) return -1;
  return frame * PAGE + (low32 & 0xfff);
}

/** Builds the tables and addresses; `round()` walks them all once and says how long it took. */
export function plainPageWalk(count: number): () => { ops: number; ms: number } {
  const tables = buildTables();
  for (const offset of [0, GiB - 1, 0x12345678]) {
    const got = walk(tables, VIRTUAL_BASE + offset);
    if (got !== DATA_FRAME_BASE * PAGE + offset)
      throw new Error(`plain page walk: offset ${offset} translated to ${got}`);
  }
  const addresses = randomOffsetsInGiB(count).map((offset) => VIRTUAL_BASE + offset);
  let sink = 0;
  return () => {
    let sum = 0;
    let untranslated = 0;
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const paddr = walk(tables, addresses[i]!);
      if (paddr < 0) untranslated++;
      else sum = (sum + paddr) | 0;
    }
    const ms = performance.now() - start;
    if (untranslated !== 0) throw new Error(`plain page walk: ${untranslated} addresses did not translate`);
    sink ^= sum;
    if (sink === 0.5) console.log(sink); // keeps the checksum observable
    return { ops: count, ms };
  };
}
