import * as assert from 'assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { ExplainResponseBody } from '../../src/debug';
import {
  child,
  children,
  evaluate,
  fixture,
  launchAndStop,
  numberOf,
  rejects,
  scope,
  stopAfter,
  topFrame,
  useClientPerTest,
} from './support';

// "Why is it so?" as any client asks for it: the custom request mmuLens/explain, its chain of
// changes, and travelling to a link with goto.

const FORK = fixture('fork.mmu');

const hex = (value: number): string => `0x${value.toString(16)}`;

async function explain(dc: DebugClient, args: unknown): Promise<ExplainResponseBody> {
  const response = await dc.customRequest('mmuLens/explain', args);
  return response.body as ExplainResponseBody;
}

/** The view id of a process's address space: "pid:<n>". */
async function spaceOf(dc: DebugClient, process: string): Promise<string> {
  const pid = /\(pid (\d+),/.exec(await evaluate(dc, process, 'clipboard'));
  if (pid === null) throw new Error(`${process} is not a process`);
  return `pid:${pid[1]}`;
}

describe('DAP: why is it so?', function () {
  this.timeout(60000);
  let dc: DebugClient;

  useClientPerTest(
    () => dc,
    (client) => (dc = client),
  );

  it("tells how the child's PTE came to its value, and goto takes the session to a link", async () => {
    await launchAndStop(dc, FORK);
    const at = await topFrame(dc);
    const buf = hex(numberOf(await evaluate(dc, 'buf', 'clipboard')));
    const child = { kind: 'pte', space: await spaceOf(dc, 'child'), vaddr: buf };
    const body = await explain(dc, { thing: child });
    assert.strictEqual(body.thing, `the PTE of ${buf} in ${child.space.replace(':', ' ')}`);
    assert.strictEqual(body.end, 'start');
    assert.deepStrictEqual(
      body.links.map((l) => [l.line, l.statement]),
      [
        [13, 'write child buf + 1, "!" => cow_fault'],
        [12, 'fork parent as child'],
      ],
    );
    const [cow, fork] = body.links;
    assert.ok(cow !== undefined && fork !== undefined);
    assert.strictEqual(body.value, cow.after);
    assert.strictEqual(cow.change, `${cow.before} → ${cow.after}`);
    assert.strictEqual(fork.before, 'no address space');
    const fault = cow.reasons.find((r) => r.kind === 'page_fault');
    assert.strictEqual(
      fault?.decision,
      `ref_count was 2, so the page is copied into the fork's committed COW pool`,
    );
    assert.match(fault.text, /→ cow handler, Continue: ref_count was 2/);
    assert.strictEqual((await topFrame(dc)).line, at.line, 'the session stays where it was');

    // A link's position is a goto target: the statement that changes the thing runs next.
    const stop = await stopAfter(dc, () => dc.gotoRequest({ threadId: 1, targetId: cow.position + 1 }));
    assert.strictEqual(stop.body.reason, 'goto');
    assert.strictEqual((await topFrame(dc)).line, cow.line);
    assert.strictEqual(await evaluate(dc, 'pte(child, buf).writable'), 'false');
    // From there, the chain starts before the copy.
    const earlier = await explain(dc, { thing: child, limit: 5 });
    assert.deepStrictEqual(earlier.links, body.links.slice(1));
    assert.strictEqual(earlier.value, cow.before);
  });

  it('stops at the limit asked for and says so', async () => {
    await launchAndStop(dc, FORK);
    const committed = { kind: 'counter', name: 'committed' };
    const all = await explain(dc, { thing: committed, limit: 50 });
    assert.strictEqual(all.end, 'start');
    assert.ok(all.links.length > 1);
    const one = await explain(dc, { thing: committed, limit: 1 });
    assert.strictEqual(one.end, 'limit');
    assert.deepStrictEqual(one.links, all.links.slice(0, 1));
  });

  it('says which thing a variable stands for, and explains it', async () => {
    await launchAndStop(dc, FORK);
    const menu = (v: { name: string }): string | undefined =>
      (v as { __vscodeVariableMenuContext?: string }).__vscodeVariableMenuContext;
    const thingOf = async (variablesReference: number, name: string): Promise<unknown> =>
      (await dc.customRequest('mmuLens/thingOfVariable', { variablesReference, name })).body.thing;

    const physical = await scope(dc, 'Physical memory');
    const committed = await child(dc, physical, 'physical_pages_committed');
    assert.strictEqual(menu(committed), 'mmuLensThing');
    assert.deepStrictEqual(await thingOf(physical, committed.name), { kind: 'counter', name: 'committed' });
    assert.strictEqual(menu(await child(dc, physical, 'physical_pages')), undefined, 'no counter of its own');

    // The child's region "data", its first page, and that page's PTE and frame.
    const child_ = await child(dc, await scope(dc, 'Processes'), 'child');
    const regions = await child(dc, child_.variablesReference, 'regions');
    const data = await child(dc, regions.variablesReference, /\] data$/);
    const space = await spaceOf(dc, 'child');
    const region = (await thingOf(regions.variablesReference, data.name)) as { regionId: string };
    assert.deepStrictEqual(region, { kind: 'region', space, regionId: region.regionId });
    const pages = await child(dc, data.variablesReference, 'pages');
    const [first] = await children(dc, pages.variablesReference, { start: 0, count: 1 });
    assert.ok(first !== undefined && menu(first) === 'mmuLensThing');
    const buf = hex(numberOf(await evaluate(dc, 'buf', 'clipboard')));
    assert.deepStrictEqual(await thingOf(pages.variablesReference, first.name), {
      kind: 'page',
      space,
      vaddr: buf,
    });
    const fields = await children(dc, first.variablesReference);
    const writable = fields.find((f) => f.name === 'pte.writable');
    assert.ok(writable !== undefined && menu(writable) === 'mmuLensThing');
    const pte = await thingOf(first.variablesReference, 'pte.writable');
    assert.deepStrictEqual(pte, { kind: 'pte', space, vaddr: buf });
    const frame = hex(numberOf(await evaluate(dc, 'translate(child, buf)', 'clipboard')));
    assert.deepStrictEqual(await thingOf(first.variablesReference, 'ref_count'), {
      kind: 'frame',
      paddr: frame,
    });
    // What the variable names can be explained like any thing.
    const why = await explain(dc, { thing: pte });
    assert.strictEqual(why.links[0]?.statement, 'write child buf + 1, "!" => cow_fault');

    assert.match(
      await rejects(
        dc.customRequest('mmuLens/thingOfVariable', { variablesReference: physical, name: 'memory map' }),
      ),
      /'memory map' is not a thing MMU Lens follows/,
    );
    assert.match(
      await rejects(dc.customRequest('mmuLens/thingOfVariable', { variablesReference: 99999, name: 'x' })),
      /unknown variablesReference 99999/,
    );
  });

  it('answers malformed arguments with an error that says what is wrong', async () => {
    assert.match(
      await rejects(dc.customRequest('mmuLens/explain', { thing: { kind: 'counter', name: 'used' } })),
      /no scenario is running/,
    );
    await launchAndStop(dc, FORK);
    const used = { kind: 'counter', name: 'used' };
    const refusals: [unknown, RegExp][] = [
      [{}, /'thing' must be an object/],
      [
        { thing: { kind: 'pte', space: 'pid:1', vaddr: '0x10001' } },
        /'thing.vaddr' must be the start of a page/,
      ],
      [{ thing: { kind: 'zone', zoneId: '7:0' } }, /there is no zone 7:0/],
      [{ thing: used, limit: 0 }, /'limit' must be a whole number from 1/],
      [{ thing: used, limit: 1.5 }, /'limit' must be a whole number from 1/],
      [{ thing: used, limit: '3' }, /'limit' must be a number/],
    ];
    for (const [args, expected] of refusals)
      assert.match(await rejects(dc.customRequest('mmuLens/explain', args)), expected, JSON.stringify(args));
    // A huge limit is cut down, not refused.
    assert.strictEqual((await explain(dc, { thing: used, limit: 1e9 })).end, 'start');
  });
});
