import * as assert from 'assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluate, fixture, launchAndStop, numberOf, rejects, topFrame, useClientPerTest } from './support';

// Previous / next change of a thing, as any client asks for it: the custom requests
// mmuLens/previousChange and mmuLens/nextChange, their answers and the stops that follow.

const FORK = fixture('fork.mmu');

type Direction = 'previous' | 'next';

interface Travel {
  readonly step: number;
  readonly position: number;
  readonly stop: DebugProtocol.StoppedEvent;
}

const hex = (value: number): string => `0x${value.toString(16)}`;

/** The number of an integer expression, read without the description a watch adds. */
async function numeric(dc: DebugClient, expression: string): Promise<number> {
  return numberOf(await evaluate(dc, expression, 'clipboard'));
}

/** The view id of a process's address space: "pid:<n>". */
async function spaceOf(dc: DebugClient, process: string): Promise<string> {
  const pid = /\(pid (\d+),/.exec(await evaluate(dc, process, 'clipboard'));
  if (pid === null) throw new Error(`${process} is not a process`);
  return `pid:${pid[1]}`;
}

/** Bytes of physical memory, base64, as readMemory gives them. */
async function physical(dc: DebugClient, paddr: string, count: number): Promise<string> {
  const response = await dc.customRequest('readMemory', { memoryReference: `p:${paddr}`, count });
  return (response.body as DebugProtocol.ReadMemoryResponse['body'])?.data ?? '';
}

/** Asks for a change and waits for the stop that follows the answer. */
async function travel(dc: DebugClient, direction: Direction, thing: unknown): Promise<Travel> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  const response = await dc.customRequest(`mmuLens/${direction}Change`, { thing });
  const stop = await stopped;
  const body = response.body as { step: number; position: number };
  assert.strictEqual(stop.body.reason, 'goto');
  assert.strictEqual(body.position, direction === 'previous' ? body.step - 1 : body.step);
  return { step: body.step, position: body.position, stop };
}

/** What the machine looks like, in a few expressions and the bytes of a frame. */
async function fingerprint(dc: DebugClient, frame: number): Promise<string[]> {
  const values = [];
  for (const expression of [
    'MM.physical_pages_used',
    'MM.physical_pages_committed',
    'translate(parent, buf)',
    'pte(parent, buf).writable',
    'parent.cow_faults',
  ])
    values.push(`${expression} = ${await evaluate(dc, expression)}`);
  values.push(`frame = ${await physical(dc, hex(frame), 16)}`);
  return values;
}

describe('DAP: previous and next change of a thing', function () {
  this.timeout(60000);
  let dc: DebugClient;

  useClientPerTest(
    () => dc,
    (client) => (dc = client),
  );

  it('goes back and forth through the changes of a PTE across a fork and copy-on-write faults', async () => {
    await launchAndStop(dc, FORK);
    const buf = hex(await numeric(dc, 'buf'));
    const parent = { kind: 'pte', space: await spaceOf(dc, 'parent'), vaddr: buf };
    const child = { kind: 'pte', space: await spaceOf(dc, 'child'), vaddr: buf };
    // The parent's last change: it crashed and its address space went.
    const crash = await travel(dc, 'previous', parent);
    assert.match(
      crash.stop.body.description ?? '',
      new RegExp(
        `^Previous change of the PTE of ${buf} in ${parent.space.replace(':', ' ')}: step ${crash.step}$`,
      ),
    );
    assert.match(crash.stop.body.text ?? '', /^0x[0-9a-f]+ → no address space$/);
    assert.strictEqual(await evaluate(dc, 'parent.is_alive'), 'true', 'the crash is the next step');
    // Before that, the fork made the parent's page read-only.
    const fork = await travel(dc, 'previous', parent);
    assert.ok(fork.step < crash.step);
    assert.strictEqual(await evaluate(dc, 'pte(parent, buf).writable'), 'true');
    const forked = await travel(dc, 'next', parent);
    assert.strictEqual(forked.step, fork.step);
    assert.strictEqual(await evaluate(dc, 'pte(parent, buf).writable'), 'false');
    assert.strictEqual((await topFrame(dc)).line, 12, 'the top frame is the fork');
    // The child's PTE: the copy-on-write fault gives it a page of its own, writable.
    const cow = await travel(dc, 'next', child);
    assert.strictEqual((await topFrame(dc)).line, 13);
    assert.strictEqual(await evaluate(dc, 'pte(child, buf).writable'), 'true');
    assert.strictEqual(await evaluate(dc, 'translate(child, buf) != translate(parent, buf)'), 'true');
    const beforeCow = await travel(dc, 'previous', child);
    assert.strictEqual(beforeCow.step, cow.step);
    assert.strictEqual(await evaluate(dc, 'pte(child, buf).writable'), 'false');
    // Before the fork the child had no address space: its first change is the fork.
    assert.strictEqual((await travel(dc, 'previous', child)).step, fork.step);
    const message = await rejects(dc.customRequest('mmuLens/previousChange', { thing: child }));
    assert.match(
      message,
      new RegExp(
        `^No step changed the PTE of ${buf} in pid \\d+ from the start to step ${fork.step - 1}\\.$`,
      ),
    );
  });

  it('leaves the machine as stepping there from a fresh start does', async () => {
    await launchAndStop(dc, FORK);
    const frame = await numeric(dc, 'translate(child, buf)');
    const child = {
      kind: 'pte',
      space: await spaceOf(dc, 'child'),
      vaddr: hex(await numeric(dc, 'buf')),
    };
    const { position } = await travel(dc, 'previous', child);
    const travelled = await fingerprint(dc, frame);
    const restarted = dc.waitForEvent('stopped');
    await dc.restartRequest({
      arguments: { program: FORK, stopOnEntry: true },
    } as DebugProtocol.RestartArguments);
    await restarted;
    for (let i = 0; i < position; i++) {
      const stepped = dc.waitForEvent('stopped');
      await dc.stepInRequest({ threadId: 1 });
      await stepped;
    }
    assert.deepStrictEqual(await fingerprint(dc, frame), travelled);
    // The restarted session records its own history and finds the same change in it.
    const ended = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 1 });
    await ended;
    assert.strictEqual((await travel(dc, 'previous', child)).position, position);
  });

  it("finds the steps that changed a frame's bytes", async () => {
    await launchAndStop(dc, FORK);
    // The child's copy of the page: allocated, filled and written by its copy-on-write fault.
    const paddr = hex(await numeric(dc, 'translate(child, buf)'));
    const frame = { kind: 'frame', paddr };
    const copied = await travel(dc, 'previous', frame);
    assert.strictEqual(copied.stop.body.text, 'not allocated → allocated, ref count 1');
    assert.strictEqual(await physical(dc, paddr, 2), Buffer.from([0, 0]).toString('base64'));
    await travel(dc, 'next', frame);
    assert.strictEqual(await physical(dc, paddr, 2), Buffer.from('A!').toString('base64'));
    assert.strictEqual((await topFrame(dc)).line, 13, 'the top frame is the write that faulted');
  });

  it('sends the answer before the stop that follows it', async () => {
    await launchAndStop(dc, FORK);
    // The order in which messages arrive, as the client reads them off the wire.
    const arrived: string[] = [];
    const client = dc as unknown as { dispatch(body: string): void };
    const dispatch = client.dispatch.bind(dc);
    client.dispatch = (body: string): void => {
      const message = JSON.parse(body) as { type: string; command?: string; event?: string };
      arrived.push(message.type === 'response' ? `response ${message.command}` : `event ${message.event}`);
      dispatch(body);
    };
    await travel(dc, 'previous', { kind: 'counter', name: 'committed' });
    const response = arrived.indexOf('response mmuLens/previousChange');
    assert.ok(response >= 0 && response < arrived.indexOf('event stopped'), arrived.join(', '));
  });

  it('finds the steps that changed the used counter', async () => {
    await launchAndStop(dc, FORK);
    const used = { kind: 'counter', name: 'used' };
    const last = await travel(dc, 'previous', used);
    const [before, after] = (last.stop.body.text ?? '').split(' → ').map(Number);
    assert.ok(before !== undefined && after !== undefined && before > after, 'the crash freed pages');
    assert.strictEqual(await numeric(dc, 'MM.physical_pages_used'), before);
    await travel(dc, 'next', used);
    assert.strictEqual(await numeric(dc, 'MM.physical_pages_used'), after);
  });

  it('answers a malformed thing, or a thing nothing changed, with an error and stays where it was', async () => {
    assert.match(
      await rejects(dc.customRequest('mmuLens/nextChange', { thing: { kind: 'counter', name: 'used' } })),
      /no scenario is running/,
    );
    const stops: DebugProtocol.StoppedEvent[] = [];
    dc.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e));
    await launchAndStop(dc, FORK);
    const at = (await topFrame(dc)).line;
    const refusals: [unknown, RegExp][] = [
      [undefined, /'thing' must be an object/],
      ['pte', /'thing' must be an object/],
      [{ kind: 'tlb' }, /'thing.kind' must be one of pte, page, region, frame, zone, counter/],
      [{ kind: 'pte', space: 'pid:1', vaddr: '0x10001' }, /'thing.vaddr' must be the start of a page/],
      [{ kind: 'pte', space: 'pid:1', vaddr: '0X10000' }, /'thing.vaddr': expected a hex string/],
      [{ kind: 'page', space: 'process 1', vaddr: '0x10000' }, /'thing.space' must be "kernel" or "pid:<n>"/],
      [{ kind: 'frame', paddr: '0x1000', size: 4096 }, /a frame has no field 'size'/],
      [{ kind: 'region', space: 'pid:1', regionId: 3 }, /'thing.regionId' must be a string/],
      [{ kind: 'zone', zoneId: '0:x' }, /'thing.zoneId'/],
      [{ kind: 'counter', name: 'total' }, /'thing.name' must be one of used, committed, uncommitted, free/],
      [{ kind: 'frame', paddr: '0xfff000000' }, /frame 0xfff000000 is beyond physical memory/],
      [{ kind: 'zone', zoneId: '9:9' }, /there is no zone 9:9/],
      [
        { kind: 'pte', space: 'kernel', vaddr: '0x2030000000' },
        /^No step changed the PTE of 0x2030000000 in the kernel from the start to step \d+\.$/,
      ],
    ];
    for (const [thing, expected] of refusals) {
      const message = await rejects(dc.customRequest('mmuLens/previousChange', { thing }));
      assert.match(message, expected, JSON.stringify(thing));
    }
    assert.match(
      await rejects(dc.customRequest('mmuLens/nextChange', { thing: { kind: 'counter', name: 'used' } })),
      /^Step \d+ is where the run ended: no step after it can have changed the counter of used pages\.$/,
    );
    assert.match(await rejects(dc.customRequest('mmuLens/previousChange', [])), /'thing' must be an object/);
    // Nothing moved, and the session answers as before.
    assert.strictEqual(stops.length, 1, 'no stop but the first');
    assert.strictEqual((await topFrame(dc)).line, at);
    assert.strictEqual(await evaluate(dc, 'child.is_alive'), 'true');
  });
});
