import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { type Machine, PAGE_SIZE } from '../engine';
import { checkAfter, opArbitrary, startSequence } from '../engine/randomOperations';
import { boot, MB } from '../engine/testSupport';
import { KERNEL_SPACE, type SpaceRef, processSpace } from '../protocol/addressSpaces';
import { Interpreter } from '../scenario/interpreter';
import { eventKindMask } from './StepLog';
import { type ThingProbe, type ThingValue, probeOf, sameValue } from './thingProbes';
import { COUNTER_NAMES, type Thing, thingRefOf } from './watchedThings';

const root = path.resolve(__dirname, '..', '..', '..');

function probe(thing: Thing, machine: Machine): ThingProbe {
  const found = probeOf(thing, machine);
  if ('error' in found) assert.fail(found.error);
  return found;
}

/** Regions larger than this are followed as regions, not page by page. */
const MAX_PAGES_FOLLOWED = 64;

/**
 * Every thing a machine has now: the counters, the zones, and for every address space its regions
 * and the PTE and page of each page of its smaller regions. Things are keyed by their spelling.
 */
function thingsNow(machine: Machine, into: Map<string, Thing>): Map<string, Thing> {
  const add = (thing: Thing): void => void into.set(JSON.stringify(thingRefOf(thing)), thing);
  for (const name of COUNTER_NAMES) add({ kind: 'counter', name });
  machine.memoryManager.physicalRegions.forEach((region, r) =>
    region.zones.forEach((_, z) => add({ kind: 'zone', physicalRegion: r, zone: z })),
  );
  const spaces: [SpaceRef, readonly { id: number; base: number; pageCount: number }[]][] = [
    [KERNEL_SPACE, machine.kernelRegions()],
    ...machine
      .processes()
      .filter((p) => p.alive)
      .map((p): [SpaceRef, typeof p.space.regions] => [processSpace(p.pid), p.space.regions]),
  ];
  for (const [space, regions] of spaces) {
    for (const region of regions) {
      add({ kind: 'region', space, regionId: region.id });
      if (region.pageCount > MAX_PAGES_FOLLOWED) continue;
      for (let i = 0; i < region.pageCount; i++) {
        add({ kind: 'pte', space, vaddr: region.base + i * PAGE_SIZE });
        add({ kind: 'page', space, vaddr: region.base + i * PAGE_SIZE });
      }
    }
  }
  return into;
}

/**
 * Runs `change` between two readings of every thing and checks that whatever changed could have:
 * its probe lets the kinds of event the change caused through. Returns how many things changed.
 */
function checkChange(
  machine: Machine,
  things: Map<string, Thing>,
  change: () => number,
  where: string,
): number {
  const probes = [...things.entries()].map(([key, thing]) => [key, probe(thing, machine)] as const);
  const before = probes.map(([, p]) => p.read(machine));
  const kinds = change();
  let changed = 0;
  probes.forEach(([key, p], i) => {
    const after = p.read(machine);
    if (sameValue(before[i]!, after)) return;
    changed++;
    if (p.changeKinds !== null)
      assert.ok(
        (p.changeKinds & kinds) !== 0,
        `${key} changed in ${where}, a step without any of its events`,
      );
  });
  return changed;
}

const examples = fs
  .readdirSync(path.join(root, 'examples'))
  .filter((f) => f.endsWith('.mmu'))
  .sort();

describe('thing probes', () => {
  for (const example of examples) {
    it(`a thing changes only in steps with the kinds of event its probe names: ${example}`, () => {
      const text = fs.readFileSync(path.join(root, 'examples', example), 'utf8');
      const interpreter = Interpreter.start(text, example).interpreter!;
      const things = new Map<string, Thing>();
      let changes = 0;
      while (!interpreter.finished) {
        thingsNow(interpreter.machine, things);
        changes += checkChange(
          interpreter.machine,
          things,
          () => eventKindMask(interpreter.step().events),
          `step ${interpreter.stepCount + 1}`,
        );
      }
      assert.ok(changes > 0, 'the scenario changed something');
    });
  }

  it('a thing changes only with the kinds of event its probe names, whatever the operations', function () {
    this.timeout(120000);
    fc.assert(
      fc.property(fc.nat(1000), fc.array(opArbitrary, { minLength: 1, maxLength: 25 }), (seed, ops) => {
        const driver = startSequence(seed, { cpus: 2, events: true });
        const m = driver.m;
        m.takeEvents();
        const things = new Map<string, Thing>();
        for (const op of ops) {
          thingsNow(m, things);
          checkChange(
            m,
            things,
            () => {
              driver.run(op);
              return eventKindMask(m.takeEvents());
            },
            JSON.stringify(op),
          );
          if (!checkAfter(m, op)) break;
        }
      }),
      { numRuns: Number(process.env['THING_PROBE_RUNS'] ?? 50) },
    );
  });

  it('reads each kind of thing in words, and its bulk state as data', () => {
    const text = `machine ram=64M
process p
let buf = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
write p buf, 0x5a                    => zero_fault
`;
    const interpreter = Interpreter.start(text, 'test.mmu').interpreter!;
    while (!interpreter.finished) interpreter.step();
    const m = interpreter.machine;
    const p = m.process(1)!;
    const region = p.space.regions.find((r) => r.name === 'buf')!;
    const space = processSpace(1);
    const read = (thing: Thing): ThingValue => probe(thing, m).read(m);
    const paddr = m.translate(p, region.base)!;
    assert.strictEqual(
      read({ kind: 'pte', space, vaddr: region.base }).summary,
      `0x${m.pte(p, region.base)!.raw.toString(16)}`,
    );
    // Nothing is mapped 1 GiB up: no page table covers it.
    assert.strictEqual(read({ kind: 'pte', space, vaddr: 0x4000_0000 }).summary, 'no page table');
    assert.strictEqual(
      read({ kind: 'pte', space: processSpace(9), vaddr: region.base }).summary,
      'no address space',
    );
    const page = read({ kind: 'page', space, vaddr: region.base });
    assert.match(page.summary, /^PTE 0x[0-9a-f]+, readable$/);
    assert.strictEqual(page.data?.length, PAGE_SIZE);
    assert.strictEqual(page.data?.[0], 0x5a);
    const frame = read({ kind: 'frame', paddr });
    assert.strictEqual(frame.summary, 'allocated, ref count 1');
    assert.strictEqual(frame.data?.[0], 0x5a);
    const slots = read({ kind: 'region', space, regionId: region.id });
    assert.match(slots.summary, /^"buf" 0x[0-9a-f]+\.\.0x[0-9a-f]+ rw- \[mmap\]$/);
    assert.strictEqual(slots.data?.length, 2 * 2 * 4, 'two words for each of two pages');
    assert.strictEqual(read({ kind: 'region', space, regionId: 9999 }).summary, 'absent');
    assert.match(
      read({ kind: 'zone', physicalRegion: 0, zone: 0 }).summary,
      /^\d+ free pages, free blocks by order( \d+){13}$/,
    );
    assert.strictEqual(
      read({ kind: 'counter', name: 'used' }).summary,
      String(m.counters().physicalPagesUsed),
    );
  });

  it('refuses a frame beyond physical memory and a zone the machine does not have', () => {
    const m = boot({ ram: 16 * MB });
    const frames = m.memoryManager.entries.count;
    const beyond = probeOf({ kind: 'frame', paddr: frames * PAGE_SIZE }, m);
    assert.ok('error' in beyond && /beyond physical memory/.test(beyond.error));
    const zone = probeOf({ kind: 'zone', physicalRegion: 0, zone: 99 }, m);
    assert.ok('error' in zone && /there is no zone 0:99 \(the zones are 0:0/.test(zone.error));
  });

  it('follows every step for bytes, region flags and volatility, and the uncommitted counter: they change without events', () => {
    const text = `machine ram=64M
process p
let buf = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
let cache = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_PURGEABLE, name="cache")
write p buf, 1                       => zero_fault
write p cache, 1                     => zero_fault
write p buf, 2
annotate_mapping(p, buf, Immutable)
madvise(p, cache, PAGE_SIZE, MADV_SET_VOLATILE)
`;
    const interpreter = Interpreter.start(text, 'test.mmu').interpreter!;
    for (let i = 0; i < 5; i++) interpreter.step();
    const m = interpreter.machine;
    const p = m.process(1)!;
    const buf = p.space.regions.find((r) => r.name === 'buf')!;
    const cache = p.space.regions.find((r) => r.name === 'cache')!;
    const space = processSpace(1);
    const silentStep = (things: Thing[]): void => {
      const probes = things.map((t) => probe(t, m));
      const before = probes.map((pr) => pr.read(m));
      const report = interpreter.step();
      // A TLB flush at most: it names an address, not what changed there.
      assert.deepStrictEqual(
        report.events.filter((e) => e.kind !== 'tlb_flush'),
        [],
        `line ${report.statement.range.start.line + 1} causes no other event`,
      );
      probes.forEach((pr, i) => {
        assert.ok(!sameValue(before[i]!, pr.read(m)), `${JSON.stringify(thingRefOf(things[i]!))} changed`);
        assert.strictEqual(pr.changeKinds, null);
      });
    };
    silentStep([
      { kind: 'page', space, vaddr: buf.base },
      { kind: 'frame', paddr: m.translate(p, buf.base)! },
    ]);
    silentStep([{ kind: 'region', space, regionId: buf.id }]);
    silentStep([{ kind: 'region', space, regionId: cache.id }]);
    // find_free_physical_page takes an uncommitted page before it searches the zones: when they are
    // dry the count drops and nothing is allocated, so no event tells.
    const small = boot({ ram: 12 * MB });
    while (small.allocatePhysicalPage().kind === 'ok');
    small.takeEvents();
    const uncommitted = probe({ kind: 'counter', name: 'uncommitted' }, small);
    const before = uncommitted.read(small);
    assert.strictEqual(small.allocatePhysicalPage().kind, 'errno');
    assert.deepStrictEqual(small.takeEvents(), []);
    assert.ok(!sameValue(before, uncommitted.read(small)));
    assert.strictEqual(uncommitted.changeKinds, null);
  });
});
