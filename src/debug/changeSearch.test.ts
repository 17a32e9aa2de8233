import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MEMORY_EVENT_KINDS, PAGE_SIZE } from '../engine';
import { KERNEL_SPACE, processSpace } from '../protocol/addressSpaces';
import { Interpreter, type StepReport } from '../scenario/interpreter';
import { type ChangeDirection, type FoundChange, findChange } from './changeSearch';
import { RunProgress, SearchSlices } from './longRuns';
import { type ChangeAnswer, type DebuggerEvent, ScenarioDebugger, type StopInfo } from './ScenarioDebugger';
import type { ScenarioInterpreter } from './scenarioTypes';
import { type ThingProbe, type ThingValue, probeOf, sameValue } from './thingProbes';
import { Timeline, type TimelineOptions } from './Timeline';
import { type Thing, thingRefOf } from './watchedThings';

const root = path.resolve(__dirname, '..', '..', '..');

function start(text: string, options: { stepBudget?: number } = {}): Interpreter {
  const started = Interpreter.start(text, 'test.mmu', options);
  if (started.interpreter === null) assert.fail(JSON.stringify(started.diagnostics));
  return started.interpreter;
}

const example = (name: string): string => fs.readFileSync(path.join(root, 'examples', name), 'utf8');

function probe(thing: Thing, interpreter: ScenarioInterpreter): ThingProbe {
  const found = probeOf(thing, interpreter.machine);
  if ('error' in found) assert.fail(found.error);
  return found;
}

const stepOf = (found: FoundChange | null | 'paused'): number | null | 'paused' =>
  found === null || found === 'paused' ? found : found.step;

function last<T>(list: readonly T[]): T {
  if (list.length === 0) assert.fail('the list is empty');
  return list[list.length - 1]!;
}

/** A whole run recorded with a checkpoint every `checkpointEvery` steps and `undoSteps` undoable positions. */
function recorded(
  text: string,
  checkpointEvery: number,
  undoSteps: number,
): { interpreter: Interpreter; timeline: Timeline } {
  const interpreter = start(text);
  const timeline = new Timeline(interpreter, {
    replayFactor: 0,
    maxStepsBetweenCheckpoints: checkpointEvery,
    maxUndoSteps: undoSteps,
  });
  while (!interpreter.finished) timeline.stepForward();
  return { interpreter, timeline };
}

/** Slices that never pause. */
const running = (): SearchSlices =>
  new SearchSlices(
    new RunProgress('test', () => undefined),
    () => false,
    () => ({ message: '' }),
  );

/** The thing's value after every step (index = position), stepping a fresh interpreter from the start. */
function valuesBySteppingThrough(text: string, thing: Thing): ThingValue[] {
  const interpreter = start(text);
  const read = probe(thing, interpreter);
  const values = [read.read(interpreter.machine)];
  while (!interpreter.finished) {
    interpreter.step();
    values.push(read.read(interpreter.machine));
  }
  return values;
}

/**
 * Where to search from: the ends, every change and the positions around it (the cases where a
 * step at or next to the position counts or not), and a few in between.
 */
function positionsToSearchFrom(furthest: number, changes: readonly number[]): number[] {
  const out = new Set([0, 1, Math.floor(furthest / 3), Math.floor((2 * furthest) / 3), furthest]);
  for (const s of changes) for (const p of [s - 1, s, s + 1]) out.add(p);
  return [...out].filter((p) => p >= 0 && p <= furthest).sort((a, b) => a - b);
}

/** Steps whose run changed the value. */
function changingSteps(values: readonly ThingValue[]): number[] {
  const out: number[] = [];
  for (let s = 1; s < values.length; s++) if (!sameValue(values[s - 1]!, values[s]!)) out.push(s);
  return out;
}

/** The things a run's events name: PTEs and pages written, regions made, frames allocated, and the counters. */
function thingsOfRun(reports: readonly StepReport[]): Thing[] {
  const things = new Map<string, Thing>();
  const add = (thing: Thing): void => void things.set(JSON.stringify(thingRefOf(thing)), thing);
  let frames = 0;
  const spaceOf = (id: number) => (id === 0 ? ({ kind: 'kernel' } as const) : processSpace(id));
  for (const report of reports) {
    for (const event of report.events) {
      if (event.kind === 'pte_written' && event.space !== 0) {
        add({ kind: 'pte', space: spaceOf(event.space), vaddr: event.vaddr });
        add({ kind: 'page', space: spaceOf(event.space), vaddr: event.vaddr });
      }
      if (event.kind === 'region_created')
        add({ kind: 'region', space: spaceOf(event.space), regionId: event.regionId });
      // The first frames a run allocates are the page tables and pages it goes on changing.
      if (event.kind === 'page_allocated' && frames++ < 4) add({ kind: 'frame', paddr: event.paddr });
    }
  }
  for (const name of ['used', 'committed', 'uncommitted', 'free'] as const) add({ kind: 'counter', name });
  add({ kind: 'zone', physicalRegion: 0, zone: 0 });
  return [...things.values()];
}

/** A scenario under the debugger, with the events it emitted. */
class Debugged {
  readonly events: DebuggerEvent[] = [];
  readonly debugger: ScenarioDebugger;
  readonly interpreter: Interpreter;

  constructor(text: string, options: TimelineOptions = {}, stepBudget?: number) {
    this.interpreter = start(text, stepBudget === undefined ? {} : { stepBudget });
    this.debugger = new ScenarioDebugger(this.interpreter, (event) => this.events.push(event), options);
  }

  stops(): StopInfo[] {
    return this.events.flatMap((e) => (e.kind === 'stopped' ? [e.stop] : []));
  }

  async change(thing: Thing, direction: ChangeDirection): Promise<ChangeAnswer> {
    let answer: ChangeAnswer | undefined;
    const stopsBefore = this.stops().length;
    await this.debugger.findChange(thing, direction, (a) => {
      assert.strictEqual(answer, undefined, 'one answer');
      assert.strictEqual(this.stops().length, stopsBefore, 'the answer comes before the stop');
      answer = a;
    });
    return answer ?? assert.fail('no answer');
  }

  /** Travels to a change and checks the answer and the stop that followed it. */
  async travel(thing: Thing, direction: ChangeDirection, step: number): Promise<StopInfo> {
    const stopsBefore = this.stops().length;
    const answer = await this.change(thing, direction);
    const position = direction === 'previous' ? step - 1 : step;
    assert.deepStrictEqual(
      answer,
      { kind: 'found', step, position },
      `${direction} change of ${JSON.stringify(thingRefOf(thing))}`,
    );
    const stops = this.stops();
    assert.strictEqual(stops.length, stopsBefore + 1, 'one stop');
    const stop = stops[stops.length - 1]!;
    assert.strictEqual(stop.reason, 'goto');
    assert.strictEqual(stop.position, position);
    assert.strictEqual(this.debugger.position, position);
    return stop;
  }
}

const WRITES = `machine ram=64M
process p
let buf = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
write p buf, 1                       => zero_fault
write p buf + 8, 2
write p buf + 16, 3
print "done"
`;

describe('change search', () => {
  it('finds, from the ends and around every change, both ways, what stepping through the run shows, across checkpoints', async () => {
    for (const text of [example('02-fork-copy-on-write.mmu'), WRITES]) {
      const reference = start(text);
      const reports: StepReport[] = [];
      while (!reference.finished) reports.push(reference.step());
      // A checkpoint every three steps and a short undo window: most searches cross chunks.
      const { interpreter, timeline } = recorded(text, 3, 2);
      assert.ok(timeline.checkpointPositions.length >= 3);
      const furthest = timeline.furthest;
      for (const thing of thingsOfRun(reports)) {
        const values = valuesBySteppingThrough(text, thing);
        const changes = changingSteps(values);
        const read = probe(thing, interpreter);
        for (const from of positionsToSearchFrom(furthest, changes)) {
          const name = `${JSON.stringify(thingRefOf(thing))} from ${from}`;
          const expected = {
            previous: changes.filter((s) => s <= from).pop() ?? null,
            next: changes.find((s) => s > from) ?? null,
          };
          for (const direction of ['previous', 'next'] as const) {
            const found = await findChange(timeline, read, direction, from, running());
            assert.strictEqual(stepOf(found), expected[direction], `${direction}: ${name}`);
            if (found !== null && found !== 'paused') {
              assert.ok(sameValue(found.before, values[found.step - 1]!), `value before: ${name}`);
              assert.ok(sameValue(found.after, values[found.step]!), `value after: ${name}`);
            }
          }
        }
      }
      assert.strictEqual(timeline.position, furthest, 'the searches left the session where it was');
    }
  });

  it('finds a change made by a data write, a step without any event', async () => {
    const d = new Debugged(WRITES);
    await d.debugger.run('continue');
    const reports = [4, 5].map((s) => d.debugger.timeline.steps.summary(s));
    assert.deepStrictEqual(
      reports.map((r) => r.eventKinds),
      [0, 0],
      'the writes to a present page cause no event',
    );
    const p = d.interpreter.machine.process(1)!;
    const buf = p.space.regions.find((r) => r.name === 'buf')!.base;
    const page: Thing = { kind: 'page', space: processSpace(1), vaddr: buf };
    const frame: Thing = { kind: 'frame', paddr: d.interpreter.machine.translate(p, buf)! };
    const pte: Thing = { kind: 'pte', space: processSpace(1), vaddr: buf };
    assert.strictEqual(d.debugger.position, 6);
    // Going back lands before each change, so asking again goes on back.
    const stop = await d.travel(page, 'previous', 5);
    assert.strictEqual(stop.description, `Previous change of page 0x${buf.toString(16)} in pid 1: step 5`);
    assert.match(stop.text ?? '', /; its bytes changed$/);
    await d.travel(page, 'previous', 4);
    await d.travel(page, 'previous', 3);
    // Going forward lands after the change, pointing at the statement that made it: the frame was
    // allocated by the zero fault of step 3, then written.
    const next = await d.travel(frame, 'next', 3);
    assert.strictEqual(next.location?.start.line, 3);
    assert.match(next.text ?? '', /^not allocated → allocated, ref count 1$/);
    await d.travel(frame, 'next', 4);
    await d.travel(frame, 'next', 5);
    // The PTE did not change with the writes to its page.
    await d.travel(pte, 'previous', 3);
    assert.strictEqual(d.interpreter.machine.peek(p, buf), 0n, 'the state is that before step 3');
  });

  it('counts a write into memory made while stopped as a change at that position', async () => {
    const d = new Debugged(WRITES);
    await d.debugger.run('continue');
    const p = d.interpreter.machine.process(1)!;
    const paddr = d.interpreter.machine.translate(p, p.space.regions.find((r) => r.name === 'buf')!.base)!;
    const frame: Thing = { kind: 'frame', paddr };
    // Step 6 prints: only the write changes the frame there.
    assert.strictEqual(d.debugger.position, 6);
    d.debugger.edit((it) => it.machine.memoryManager.contents.writeByte(paddr / PAGE_SIZE, 100, 0xee));
    await d.travel(frame, 'previous', 6);
    assert.strictEqual(d.interpreter.machine.ppeek(paddr + 100), 0n);
    await d.travel(frame, 'next', 6);
    assert.strictEqual(d.interpreter.machine.ppeek(paddr + 100), 0xeen, 'the replay applied the write again');
    assert.deepStrictEqual(await d.change(frame, 'next'), {
      kind: 'none',
      message: `Step 6 is where the run ended: no step after it can have changed frame 0x${paddr.toString(16)}.`,
    });
    // A write where the run goes on drops the recorded future.
    d.debugger.goto(4);
    d.debugger.edit((it) => it.machine.memoryManager.contents.writeByte(paddr / PAGE_SIZE, 101, 0xef));
    assert.strictEqual(d.debugger.timeline.furthest, 4);
    assert.deepStrictEqual(await d.change(frame, 'next'), {
      kind: 'none',
      message: `Step 4 is the furthest step recorded; run on to look further: no step after it can have changed frame 0x${paddr.toString(16)}.`,
    });
    await d.travel(frame, 'previous', 4);
  });

  it('replays only the chunk that holds a change far behind the undo window, the others from the step log alone', async () => {
    const text = `machine ram=64M
process p
let buf = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
write p buf + PAGE_SIZE, 7           => zero_fault
write p buf, 1                       => zero_fault
repeat i in 0..200 {
  write p buf + 8, i
}
`;
    const { interpreter, timeline } = recorded(text, 10, 4);
    assert.ok(timeline.furthest > 200 && timeline.checkpointPositions.length > 20);
    let spawns = 0;
    const spawn = interpreter.spawn.bind(interpreter);
    interpreter.spawn = (snapshot) => {
      spawns++;
      return spawn(snapshot);
    };
    const buf = interpreter.machine.process(1)!.space.regions.find((r) => r.name === 'buf')!.base;
    const pte: Thing = { kind: 'pte', space: processSpace(1), vaddr: buf + PAGE_SIZE };
    const found = await findChange(
      timeline,
      probe(pte, interpreter),
      'previous',
      timeline.furthest,
      running(),
    );
    assert.ok(found !== null && found !== 'paused');
    assert.strictEqual(found.step, 3);
    assert.strictEqual(spawns, 1, 'one chunk replayed');
    // Bytes change without events: their search replays every chunk on the way.
    const page: Thing = { kind: 'page', space: processSpace(1), vaddr: buf + PAGE_SIZE };
    spawns = 0;
    const byBytes = await findChange(
      timeline,
      probe(page, interpreter),
      'previous',
      timeline.furthest,
      running(),
    );
    assert.strictEqual(stepOf(byBytes), 3);
    assert.ok(spawns > 20, `${spawns} chunks replayed`);
    assert.strictEqual(timeline.position, timeline.furthest);
  });

  it('says so without moving when nothing changed the thing', async () => {
    const d = new Debugged(WRITES);
    await d.debugger.run('continue');
    const stops = d.stops().length;
    // A kernel address far above its regions: no page table ever covers it.
    const untouched: Thing = { kind: 'pte', space: KERNEL_SPACE, vaddr: 0x20_3000_0000 };
    assert.deepStrictEqual(await d.change(untouched, 'previous'), {
      kind: 'none',
      message: 'No step changed the PTE of 0x2030000000 in the kernel from the start to step 6.',
    });
    d.debugger.goto(2);
    assert.deepStrictEqual(await d.change(untouched, 'next'), {
      kind: 'none',
      message:
        'No step after step 2 changed the PTE of 0x2030000000 in the kernel, up to step 6, where the run ended.',
    });
    // Bytes are looked for in every step.
    const unused: Thing = { kind: 'frame', paddr: 60 * 1024 * 1024 };
    assert.strictEqual((await d.change(unused, 'next')).kind, 'none');
    d.debugger.goto(0);
    assert.deepStrictEqual(await d.change(untouched, 'previous'), {
      kind: 'none',
      message: 'No step has run yet, so nothing changed the PTE of 0x2030000000 in the kernel.',
    });
    assert.strictEqual(d.stops().length, stops + 2, 'only the two gotos stopped');
    assert.strictEqual(d.debugger.position, 0);
    const refused = await d.change({ kind: 'zone', physicalRegion: 7, zone: 0 }, 'previous');
    assert.strictEqual(refused.kind, 'refused');
    assert.match(
      refused.kind === 'refused' ? refused.message : '',
      /^there is no zone 7:0 \(the zones are 0:0, /,
    );
    assert.strictEqual(d.stops().length, stops + 2);
  });

  it('finds a region from before it existed: its creation is its first change', async () => {
    const d = new Debugged(example('02-fork-copy-on-write.mmu'));
    await d.debugger.run('continue');
    const processCreated = 1 << MEMORY_EVENT_KINDS.indexOf('process_created');
    const forkStep = [...Array(d.debugger.timeline.furthest).keys()]
      .map((i) => i + 1)
      .find((s) => s > 1 && (d.debugger.timeline.steps.eventKindsOf(s) & processCreated) !== 0)!;
    const child = d.interpreter.machine.process(2)!;
    const region: Thing = {
      kind: 'region',
      space: processSpace(2),
      regionId: child.space.regions.find((r) => r.name === 'data')!.id,
    };
    d.debugger.goto(1);
    const stop = await d.travel(region, 'next', forkStep);
    assert.match(stop.text ?? '', /^absent → "data" 0x[0-9a-f]+\.\.0x[0-9a-f]+ rw- \[mmap\]$/);
    assert.strictEqual((await d.change(region, 'previous')).kind, 'found');
    assert.strictEqual(d.debugger.position, forkStep - 1);
    assert.strictEqual((await d.change(region, 'previous')).kind, 'none');
  });

  it('stops on pause where the session was, and the answer says the search was paused', async () => {
    const text = `machine ram=64M
process p
let buf = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
repeat i in 0..20000 {
  write p buf, 1
}
`;
    const d = new Debugged(text, { maxStepsBetweenCheckpoints: 5000 });
    await d.debugger.run('continue');
    const at = d.debugger.position;
    // A frame nothing uses and bytes, which no event announces: the search replays the whole run.
    const frame: Thing = { kind: 'frame', paddr: 60 * 1024 * 1024 };
    let answer: ChangeAnswer | undefined;
    const search = d.debugger.findChange(frame, 'previous', (a) => (answer = a));
    assert.ok(d.debugger.isRunning);
    d.debugger.pause();
    await search;
    assert.strictEqual(answer?.kind, 'paused');
    assert.match(answer.kind === 'paused' ? answer.message : '', /was paused; the session stays at step \d+/);
    const stop = last(d.stops());
    assert.strictEqual(stop.reason, 'pause');
    assert.strictEqual(stop.position, at);
    assert.strictEqual(d.debugger.position, at);
    assert.ok(!d.debugger.isRunning);
  });

  it('goes on from a change to the step budget and stops there again', async () => {
    const text = `machine ram=64M
process p
let buf = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
write p buf, 1                       => zero_fault
repeat i in 0..100 {
  write p buf, 2
}
`;
    const d = new Debugged(text, {}, 50);
    await d.debugger.run('continue');
    assert.ok(last(d.stops()).budgetExhausted !== undefined);
    // The zero fault of step 3 allocated the last page.
    const used: Thing = { kind: 'counter', name: 'used' };
    await d.travel(used, 'previous', 3);
    await d.debugger.run('continue');
    const again = last(d.stops());
    assert.ok(again.budgetExhausted !== undefined, 'the budget stop again');
    assert.strictEqual(again.position, d.debugger.timeline.furthest);
    assert.match((await d.change(used, 'next')).kind, /none/);
  });
});
