import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { processSpace } from '../protocol/addressSpaces';
import { Interpreter } from '../scenario/interpreter';
import { type ChainLink, type ChangeChain, MAX_CHAIN_LINKS, chainLimit } from './changeChain';
import { type DebuggerEvent, type ExplainAnswer, ScenarioDebugger, type StopInfo } from './ScenarioDebugger';
import type { TimelineOptions } from './Timeline';
import type { Thing } from './watchedThings';

const root = path.resolve(__dirname, '..', '..', '..');
const example = (name: string): string => fs.readFileSync(path.join(root, 'examples', name), 'utf8');

/** A scenario under the debugger, run on to its end (or its first failure). */
class Explained {
  readonly events: DebuggerEvent[] = [];
  readonly debugger: ScenarioDebugger;

  constructor(text: string, options: TimelineOptions = {}) {
    const started = Interpreter.start(text, 'test.mmu', {});
    if (started.interpreter === null) assert.fail(JSON.stringify(started.diagnostics));
    this.debugger = new ScenarioDebugger(started.interpreter, (e) => this.events.push(e), options);
  }

  get machine(): ScenarioDebugger['interpreter']['machine'] {
    return this.debugger.interpreter.machine;
  }

  stops(): StopInfo[] {
    return this.events.flatMap((e) => (e.kind === 'stopped' ? [e.stop] : []));
  }

  /** The base of a process's region by name. */
  regionBase(pid: number, name: string): number {
    const region = this.machine.process(pid)?.space.regions.find((r) => r.name === name);
    return region?.base ?? assert.fail(`pid ${pid} has no region "${name}"`);
  }

  async answer(thing: Thing, limit = 10): Promise<ExplainAnswer> {
    let answer: ExplainAnswer | undefined;
    const stops = this.stops().length;
    await this.debugger.explain(thing, limit, (a) => {
      assert.strictEqual(answer, undefined, 'one answer');
      answer = a;
    });
    if (answer?.kind === 'found') assert.strictEqual(this.stops().length, stops, 'no stop after a chain');
    return answer ?? assert.fail('no answer');
  }

  async chain(thing: Thing, limit = 10): Promise<ChangeChain> {
    const position = this.debugger.position;
    const answer = await this.answer(thing, limit);
    if (answer.kind !== 'found') assert.fail(answer.message);
    assert.strictEqual(this.debugger.position, position, 'the session stays where it is');
    return answer.chain;
  }
}

/** The line a link's statement starts on, 1-based as in an editor. */
const lineOf = (link: ChainLink): number => link.range.start.line + 1;

const decisions = (link: ChainLink): string[] =>
  link.reasons.flatMap((r) => (r.decision ? [r.decision] : []));

describe('Why is it so? The chain of changes of a thing', () => {
  it('tells how the child of a fork came to its own copy of a COW page, and the parent to no copy', async () => {
    const d = new Explained(example('02-fork-copy-on-write.mmu'));
    const text = example('02-fork-copy-on-write.mmu').split('\n');
    // The parent's write that finds ref_count 1 is on this line (1-based); the next line follows it.
    const parentWrite = text.findIndex((l) => l.startsWith('write parent buf + 1, "B"')) + 1;
    await d.debugger.run('continue');
    const end = d.debugger.position;
    // Both processes map the region at the same address; only the child is alive at the end.
    const buf = d.regionBase(2, 'data');
    const child: Thing = { kind: 'pte', space: processSpace(2), vaddr: buf };
    const chain = await d.chain(child);
    assert.strictEqual(d.debugger.position, end);
    assert.strictEqual(chain.end, 'start', 'the chain goes back to before the child existed');
    assert.deepStrictEqual(
      chain.links.map((l) => l.statement),
      ['write child buf + 1, "!" => cow_fault', 'fork parent as child'],
    );
    const [cow, fork] = chain.links as [ChainLink, ChainLink];
    assert.ok(cow.step > fork.step, 'newest first');
    assert.strictEqual(chain.value, cow.after, 'the newest link ends in the value now');
    assert.strictEqual(fork.before, 'no address space');
    assert.strictEqual(fork.after, cow.before, 'each link starts where the one before it ended');
    assert.match(cow.change, /^0x[0-9a-f]+ → 0x[0-9a-f]+$/);
    assert.deepStrictEqual(decisions(cow), [
      `ref_count was 2, so the page is copied into the fork's committed COW pool`,
    ]);
    assert.ok(
      cow.reasons.some((r) => r.kind === 'pte_written'),
      'the PTE write is a reason',
    );
    assert.ok(
      fork.reasons.some((r) => r.kind === 'process_created'),
      'the child was created then',
    );

    // The parent's PTE just after its own write, when nobody shared the page any more.
    d.debugger.goto(d.debugger.gotoTargets(parentWrite, 1000).positions[0]!);
    const parent: Thing = { kind: 'pte', space: processSpace(1), vaddr: buf };
    const parentChain = await d.chain(parent);
    const newest = parentChain.links[0]!;
    assert.strictEqual(lineOf(newest), parentWrite);
    assert.deepStrictEqual(decisions(newest), [
      'ref_count was 1, so no copy: the COW bit is cleared and the page made writable',
    ]);
    assert.strictEqual(parentChain.value, newest.after);
    // Before it: the fork made the PTE read-only, the first write mapped a page of its own, mmap
    // mapped the lazy committed page, and the process came with its page tables.
    assert.deepStrictEqual(
      parentChain.links.slice(1).map((l) => l.statement.split(' ')[0]),
      ['fork', 'write', 'let', 'process'],
    );
    assert.strictEqual(parentChain.end, 'start');
  });

  it('tells how the committed counter came to be, fault decisions included', async () => {
    const d = new Explained(example('02-fork-copy-on-write.mmu'));
    await d.debugger.run('continue');
    const chain = await d.chain({ kind: 'counter', name: 'committed' });
    const statements = chain.links.map((l) => l.statement);
    assert.ok(statements.includes('fork parent as child'), statements.join('\n'));
    const fork = chain.links.find((l) => l.statement === 'fork parent as child')!;
    assert.deepStrictEqual(
      fork.reasons.map((r) => r.kind),
      ['pages_committed'],
    );
    const childCopy = chain.links.find((l) => l.statement.startsWith('write child buf + 1'))!;
    assert.deepStrictEqual(decisions(childCopy), [
      `ref_count was 2, so the page is copied into the fork's committed COW pool`,
    ]);
    for (const link of chain.links) assert.notStrictEqual(link.before, link.after);
  });

  it('tells how a region came to be: made by mmap, then mprotected', async () => {
    const d = new Explained(`machine ram=64M
process p
let base = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="two pages")
write p base, 1                                  => zero_fault
mprotect(p, base, 2 * PAGE_SIZE, PROT_READ)
expect !pte(p, base).writable
`);
    await d.debugger.run('continue');
    const region = d.machine.process(1)!.space.regions.find((r) => r.name === 'two pages')!;
    const chain = await d.chain({ kind: 'region', space: processSpace(1), regionId: region.id });
    assert.strictEqual(chain.end, 'start');
    assert.deepStrictEqual(
      chain.links.map((l) => [lineOf(l), l.reasons.map((r) => r.kind)]),
      [
        [5, ['region_access_changed', 'pte_written']],
        // The write that went through after the zero fault set Accessed and Dirty.
        [4, ['pte_written', 'page_fault', 'pte_accessed']],
        // mmap maps both pages to the lazy committed page at once.
        [3, ['region_created', 'pte_written', 'pte_written']],
      ],
    );
    const [mprotect, write, mmap] = chain.links as [ChainLink, ChainLink, ChainLink];
    assert.match(mprotect.change, / rw- \[mmap\] → .* r-- \[mmap\]$/);
    assert.match(write.change, /; its pages changed$/);
    assert.strictEqual(mmap.before, 'absent');
    assert.deepStrictEqual(decisions(write), [
      'the page was the lazy committed page, so one of the pages the object committed takes its place',
    ]);
  });

  it('stops on pause where the session was, and the answer says it was paused', async () => {
    const d = new Explained(
      `machine ram=64M
process p
let buf = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
repeat i in 0..20000 {
  write p buf, 1
}
`,
      { maxStepsBetweenCheckpoints: 5000 },
    );
    await d.debugger.run('continue');
    const at = d.debugger.position;
    // Bytes of a frame nothing uses: no event announces them, so every step is replayed.
    let answer: ExplainAnswer | undefined;
    const search = d.debugger.explain({ kind: 'frame', paddr: 60 * 1024 * 1024 }, 10, (a) => (answer = a));
    assert.ok(d.debugger.isRunning);
    d.debugger.pause();
    await search;
    assert.strictEqual(answer?.kind, 'paused');
    const stop = d.stops()[d.stops().length - 1]!;
    assert.strictEqual(stop.reason, 'pause');
    assert.strictEqual(stop.position, at);
    assert.strictEqual(d.debugger.position, at);
  });

  it('refuses a thing the machine does not have', async () => {
    const d = new Explained(example('02-fork-copy-on-write.mmu'));
    const answer = await d.answer({ kind: 'zone', physicalRegion: 9, zone: 0 });
    assert.strictEqual(answer.kind, 'refused');
    assert.match(answer.kind === 'refused' ? answer.message : '', /^there is no zone 9:0/);
  });

  it('stops at its limit and says so, and a limit is kept within bounds', async () => {
    const d = new Explained(example('02-fork-copy-on-write.mmu'));
    await d.debugger.run('continue');
    const all = await d.chain({ kind: 'counter', name: 'committed' }, MAX_CHAIN_LINKS);
    assert.ok(all.links.length > 2);
    assert.strictEqual(all.end, 'start');
    const two = await d.chain({ kind: 'counter', name: 'committed' }, 2);
    assert.strictEqual(two.end, 'limit');
    assert.deepStrictEqual(two.links, all.links.slice(0, 2));
    assert.strictEqual(chainLimit(undefined), 10);
    assert.strictEqual(chainLimit(1000), MAX_CHAIN_LINKS);
    assert.strictEqual(chainLimit(0), null);
    assert.strictEqual(chainLimit(2.5), null);
  });
});
