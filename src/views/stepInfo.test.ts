import * as assert from 'assert';
import type { MemoryEvent } from '../engine';
import { StepInfoDto } from '../protocol/dto';
import { runScenario, valid } from './stateTestSupport';
import { MAX_EVENTS_PER_KIND, describeStepEvents, eventKindName, stepInfoDto } from './stepInfo';

describe('step info', () => {
  const text = `machine ram=64M
process p
let buf = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
write p buf, 1                 => zero_fault
print buf
expect buf == 0                => ok
`;

  it('is the boot state at step 0', () => {
    assert.deepStrictEqual(valid(StepInfoDto, stepInfoDto(null, text, 0, null)), {
      index: 0,
      line: null,
      nextLine: null,
      statement: '(boot)',
      outcome: 'ok',
      passed: true,
      events: [],
    });
  });

  it('names the statement, its 1-based line and outcome', () => {
    const run = runScenario(text, 3);
    const info = valid(StepInfoDto, stepInfoDto(run.reports[2]!, text, 3, null));
    assert.strictEqual(info.index, 3);
    assert.strictEqual(info.line, 4);
    assert.strictEqual(info.statement, 'write p buf, 1                 => zero_fault');
    assert.strictEqual(info.outcome, 'zero_fault');
    assert.strictEqual(info.passed, true);
  });

  it('names the line the next step runs, where the editor’s arrow stands', () => {
    const run = runScenario(text, 3);
    const info = valid(StepInfoDto, stepInfoDto(run.reports[2]!, text, 3, run.interpreter.nextStatement()));
    assert.strictEqual(info.line, 4);
    assert.strictEqual(info.nextLine, 5);
  });

  it('puts a fault’s events in the trace’s words, each linked to what it concerns', () => {
    const run = runScenario(text, 3);
    const info = stepInfoDto(run.reports[2]!, text, 3, null);
    const fault = info.events.find((e) => e.kind === 'PageFault')!;
    // The lazily committed page is mapped read-only: the write is a protection fault.
    assert.match(
      fault.text,
      /^pid 1 write 0x[0-9a-f]+ \(protection, user\) → zero handler, Continue: the page was the lazy committed page, so one of the pages the object committed takes its place$/,
    );
    assert.deepStrictEqual(fault.target?.kind, 'page');
    const allocated = info.events.find((e) => e.kind === 'PageAllocated')!;
    assert.match(allocated.text, /^\+0x[0-9a-f]+ zero-filled page for pid 1 \(from a commitment\)$/);
    assert.deepStrictEqual(allocated.target, {
      kind: 'frame',
      paddr: allocated.text.slice(1, allocated.text.indexOf(' ')),
    });
    assert.deepStrictEqual(allocated.purpose, { kind: 'zero_fill', spaceId: 'pid:1' });
    const pte = info.events.find((e) => e.kind === 'PteWritten')!;
    assert.match(pte.text, /^pid 1 0x[0-9a-f]+: /);
    assert.deepStrictEqual(pte.target, {
      kind: 'page',
      spaceId: 'pid:1',
      vaddr: pte.text.split(' ')[2]!.replace(':', ''),
    });
    // Zero fill goes through the quickmap window: folded into one line at the end.
    assert.strictEqual(info.events[info.events.length - 1]!.kind, 'Quickmap');
    assert.ok(info.events.every((e) => !/0x203fe/.test(e.text) || e.kind === 'Quickmap'));
  });

  it('links a new region to the region', () => {
    const run = runScenario(text, 2);
    const created = stepInfoDto(run.reports[1]!, text, 2, null).events.find(
      (e) => e.kind === 'RegionCreated',
    )!;
    const region = run.machine.process(1)!.space.regions[0]!;
    assert.deepStrictEqual(created.target, { kind: 'region', spaceId: 'pid:1', regionId: String(region.id) });
    assert.match(created.text, /^\+ "buf" 0x[0-9a-f]+\.\.0x[0-9a-f]+ in pid 1$/);
  });

  it('names the statement by its kind when the session has no source text', () => {
    const run = runScenario(text, 3);
    const info = stepInfoDto(run.reports[2]!, '', 3, null);
    assert.strictEqual(info.statement, '(write statement)');
    assert.strictEqual(info.line, 4);
  });

  it('lists printed output', () => {
    const run = runScenario(text, 4);
    const info = stepInfoDto(run.reports[3]!, text, 4, null);
    assert.strictEqual(info.events[0]!.kind, 'Output');
  });

  it('reports a failed step with its message first', () => {
    const run = runScenario(text, 4);
    const failed = run.interpreter.step();
    assert.strictEqual(failed.failed, true);
    const info = valid(StepInfoDto, stepInfoDto(failed, text, 5, null));
    assert.strictEqual(info.passed, false);
    assert.strictEqual(info.outcome, 'failed');
    assert.deepStrictEqual(info.events[0], {
      kind: 'Failed',
      text: failed.message,
      target: null,
      purpose: null,
    });
  });

  it('shows the first line of a block statement', () => {
    const blockText = 'machine ram=64M\nprocess p\nrepeat i in 0..2 {\n  print i\n}\n';
    const run = runScenario(blockText, 2);
    assert.strictEqual(stepInfoDto(run.reports[1]!, blockText, 2, null).statement, 'repeat i in 0..2 {');
  });

  it('counts the events past the limit of one kind in a closing line', () => {
    const events: MemoryEvent[] = [];
    for (let i = 0; i < MAX_EVENTS_PER_KIND + 50; i++)
      events.push({ kind: 'page_freed', paddr: 0x100000 + i * 4096 });
    events.push({ kind: 'pages_uncommitted', count: 250 });
    const described = describeStepEvents(events);
    assert.strictEqual(described.length, MAX_EVENTS_PER_KIND + 2);
    assert.deepStrictEqual(described[MAX_EVENTS_PER_KIND], {
      kind: 'PagesUncommitted',
      text: '-250',
      target: null,
      purpose: null,
    });
    assert.deepStrictEqual(described[MAX_EVENTS_PER_KIND + 1], {
      kind: 'More',
      text: '50 more PageFreed events',
      target: null,
      purpose: null,
    });
  });

  it('carries what each allocated page is for, and nothing on other events', () => {
    const forkText = 'machine ram=64M\nprocess p\nfork p as q\n';
    const run = runScenario(forkText, 2);
    const info = valid(StepInfoDto, stepInfoDto(run.reports[1]!, forkText, 2, null));
    const pages = info.events.filter((e) => e.kind === 'PageAllocated');
    assert.deepStrictEqual(
      pages.map((e) => e.purpose),
      Array.from({ length: 130 }, () => ({ kind: 'paging_structure', spaceId: 'pid:2' })),
    );
    assert.match(pages[0]!.text, /^\+0x[0-9a-f]+ paging-structure page for pid 2$/);
    assert.ok(info.events.filter((e) => e.kind !== 'PageAllocated').every((e) => e.purpose === null));
  });

  it('names event kinds as the engine does, in PascalCase', () => {
    assert.strictEqual(eventKindName('page_table_allocated'), 'PageTableAllocated');
    assert.strictEqual(eventKindName('panic'), 'Panic');
  });
});
