import * as assert from 'assert';
import * as path from 'path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  child,
  children,
  useClientPerTest,
  evaluate,
  fixture,
  ROOT,
  launchAndStop,
  scope,
  startClient,
  stopAfter,
  topFrame,
} from './support';

const FORK = fixture('fork.mmu');
const FAILING = fixture('failing.mmu');

describe('DAP: breakpoints', function () {
  this.timeout(60000);
  let dc: DebugClient;

  useClientPerTest(
    () => dc,
    (client) => (dc = client),
  );

  const cont = (): Promise<DebugProtocol.StoppedEvent> =>
    stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));

  describe('line breakpoints', () => {
    it('moves a breakpoint on a blank line to the next step and stops there', async () => {
      const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      let lines: (number | undefined)[] = [];
      await Promise.all([
        dc.waitForEvent('initialized').then(async () => {
          const set = await dc.setBreakpointsRequest({
            source: { path: FORK },
            breakpoints: [{ line: 10 }, { line: 500 }],
          });
          lines = set.body.breakpoints.map((b) => (b.verified ? b.line : undefined));
          await dc.configurationDoneRequest();
        }),
        dc.launch({ program: FORK } as DebugProtocol.LaunchRequestArguments),
      ]);
      assert.deepStrictEqual(lines, [11, undefined]);
      const event = await stopped;
      assert.strictEqual(event.body.reason, 'breakpoint');
      assert.strictEqual((await topFrame(dc)).line, 11);
    });

    it('stops only where the condition holds', async () => {
      await launchAndStop(dc, FORK, { breakpoints: [{ line: 7, condition: 'i == 2' }] });
      assert.strictEqual((await topFrame(dc)).name, 'touch(parent, 2)');
    });

    it('stops on the hit count, and refuses a hit count it cannot read', async () => {
      await launchAndStop(dc, FORK, { breakpoints: [{ line: 7, hitCondition: '2' }] });
      assert.strictEqual((await topFrame(dc)).name, 'touch(parent, 2)');
      const bad = await dc.setBreakpointsRequest({
        source: { path: FORK },
        breakpoints: [{ line: 7, hitCondition: 'often' }],
      });
      assert.strictEqual(bad.body.breakpoints[0]!.verified, false);
    });

    it('logs with {expressions} at a logpoint without stopping', async () => {
      const logs: string[] = [];
      dc.on('output', (e: DebugProtocol.OutputEvent) => {
        if (e.body.output.startsWith('log:')) logs.push(e.body.output.trim());
      });
      const stopped = await launchAndStop(dc, FORK, {
        breakpoints: [
          { line: 8, logMessage: 'log: i={i} same={translate(p, buf) == translate(parent, buf)}' },
        ],
      });
      assert.match(stopped.body.description ?? '', /End of scenario/);
      assert.deepStrictEqual(logs, ['log: i=1 same=true', 'log: i=2 same=true']);
    });

    it('lists the breakpoint locations of a range of lines', async () => {
      await launchAndStop(dc, FORK, { stopOnEntry: true });
      const locations = await dc.customRequest('breakpointLocations', {
        source: { path: FORK },
        line: 5,
        endLine: 9,
      });
      assert.deepStrictEqual(
        (locations.body as DebugProtocol.BreakpointLocationsResponse['body']).breakpoints.map((b) => b.line),
        [7, 8],
      );
    });
  });

  describe('exception filters', () => {
    it('stops on failed steps by default, at the failed statement, with exception info', async () => {
      const errors: string[] = [];
      dc.on('output', (e: DebugProtocol.OutputEvent) => {
        if (e.body.category === 'stderr') errors.push(e.body.output);
      });
      const first = await launchAndStop(dc, FAILING);
      assert.strictEqual(first.body.reason, 'exception');
      assert.strictEqual((await topFrame(dc)).line, 3);
      const info = await dc.exceptionInfoRequest({ threadId: 1 });
      assert.strictEqual(info.body.exceptionId, 'failed_step');
      assert.match(info.body.description ?? '', /Expectation failed/);
      assert.ok(
        errors.some((e) => /failing\.mmu:3:\d+: step 3 failed/.test(e)),
        errors.join(''),
      );
      await cont();
      assert.strictEqual((await topFrame(dc)).line, 5);
      const crash = await dc.exceptionInfoRequest({ threadId: 1 });
      const details = crash.body.details?.stackTrace ?? '';
      assert.match(details, /address: 0x[0-9a-f]+ in p \(pid \d+\)/);
      assert.match(details, /access: user-mode write/);
      assert.match(details, /response: ShouldCrash/);
      assert.match(details, /decision: handle_page_fault/);
      assert.match(details, /region: /);
      const end = await cont();
      assert.match(end.body.description ?? '', /End of scenario/);
    });

    it('stops only on the filters chosen: crash', async () => {
      await launchAndStop(dc, FAILING, { exceptionFilters: ['crash'] });
      assert.strictEqual((await topFrame(dc)).line, 5);
      assert.strictEqual((await dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'crash');
    });

    it('stops on handled faults (copy-on-write), naming the handler', async () => {
      await launchAndStop(dc, FORK, { exceptionFilters: ['cow_fault'] });
      assert.strictEqual((await topFrame(dc)).line, 13);
      const info = await dc.exceptionInfoRequest({ threadId: 1 });
      assert.strictEqual(info.body.exceptionId, 'cow_fault');
      assert.match(info.body.details?.stackTrace ?? '', /copy-on-write path/);
      assert.match(info.body.details?.stackTrace ?? '', /Region "data"/);
    });

    it('stops on inode faults, out-of-memory and bus errors in the teaching examples', async () => {
      const files = path.join(ROOT, 'examples', '05-file-mappings.mmu');
      await launchAndStop(dc, files, { exceptionFilters: ['inode_fault'] });
      assert.strictEqual((await topFrame(dc)).line, 26);
      const inode = await dc.exceptionInfoRequest({ threadId: 1 });
      assert.strictEqual(inode.body.exceptionId, 'inode_fault');
      assert.match(inode.body.details?.stackTrace ?? '', /the file path \(handle_inode_fault\)/);
      await dc.setExceptionBreakpointsRequest({ filters: ['bus_error'] });
      await cont();
      assert.strictEqual((await topFrame(dc)).line, 86);
      const bus = await dc.exceptionInfoRequest({ threadId: 1 });
      assert.strictEqual(bus.body.exceptionId, 'bus_error');
      assert.match(bus.body.details?.stackTrace ?? '', /response: BusError/);
      await dc.stop();
      dc = await startClient();
      await launchAndStop(dc, path.join(ROOT, 'examples', '04-noreserve-overcommit.mmu'), {
        exceptionFilters: ['oom'],
      });
      assert.strictEqual((await topFrame(dc)).line, 50);
      const oom = await dc.exceptionInfoRequest({ threadId: 1 });
      assert.strictEqual(oom.body.exceptionId, 'oom');
      assert.match(oom.body.details?.stackTrace ?? '', /response: OutOfMemory/);
    });

    it('stops on a kernel panic', async () => {
      await launchAndStop(dc, fixture('panic.mmu'), { exceptionFilters: ['panic'] });
      const info = await dc.exceptionInfoRequest({ threadId: 1 });
      assert.strictEqual(info.body.exceptionId, 'panic');
      assert.match(info.body.description ?? '', /VERIFY/);
    });

    it('applies exception filters going backwards', async () => {
      await launchAndStop(dc, FORK);
      await dc.setExceptionBreakpointsRequest({ filters: ['zero_fault'] });
      const stopped = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
      assert.strictEqual(stopped.body.reason, 'exception');
      assert.strictEqual((await topFrame(dc)).line, 7);
      assert.strictEqual(await evaluate(dc, 'i'), '2');
      await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
      assert.strictEqual(await evaluate(dc, 'i'), '1');
    });
  });

  describe('data breakpoints', () => {
    it('stops when bytes at an address are written and when its PTE changes', async () => {
      await launchAndStop(dc, FORK, { breakpoints: [{ line: 11 }] });
      const buf = await evaluate(dc, 'buf', 'clipboard');
      const address = `0x${BigInt(buf.split(' ')[0]!).toString(16)}`;
      const info = await dc.dataBreakpointInfoRequest({ name: address, asAddress: true, bytes: 16 });
      assert.ok(info.body.dataId !== null);
      assert.match(info.body.description, /pid \d+ 0x[0-9a-f]+\.\.0x[0-9a-f]+ \(16 bytes\)/);
      const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId }] });
      assert.strictEqual(set.body.breakpoints[0]!.verified, true);
      await dc.setBreakpointsRequest({ source: { path: FORK }, breakpoints: [] });
      let stopped = await cont();
      assert.strictEqual(stopped.body.reason, 'data breakpoint');
      assert.deepStrictEqual(stopped.body.hitBreakpointIds, [set.body.breakpoints[0]!.id]);
      assert.strictEqual((await topFrame(dc)).line, 11);
      stopped = await cont();
      assert.strictEqual(stopped.body.reason, 'data breakpoint');
      assert.strictEqual((await topFrame(dc)).line, 12, 'fork write-protected the PTE');
      assert.match(stopped.body.text ?? '', /PTE/);
    });

    it('leaves a data breakpoint on a process that does not exist yet unverified, and verifies it once it does', async () => {
      await launchAndStop(dc, FORK, { breakpoints: [{ line: 11 }] });
      const buf = await evaluate(dc, 'buf', 'clipboard');
      const address = `0x${BigInt(buf.split(' ')[0]!).toString(16)}`;
      const info = await dc.dataBreakpointInfoRequest({ name: address, asAddress: true, bytes: 8 });
      // The same address in the child that the fork on line 12 makes: pid 2, not there yet.
      const childId = info.body.dataId!.replace(/^v:\d+:/, 'v:2:');
      assert.notStrictEqual(childId, info.body.dataId);
      const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: childId }] });
      const bp = set.body.breakpoints[0]!;
      assert.strictEqual(bp.verified, false);
      assert.match(bp.message ?? '', /pid 2 does not exist at this step/);
      const changed = dc.waitForEvent('breakpoint') as Promise<DebugProtocol.BreakpointEvent>;
      await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
      await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
      const event = await changed;
      assert.deepStrictEqual(
        [event.body.reason, event.body.breakpoint.id, event.body.breakpoint.verified],
        ['changed', bp.id, true],
      );
    });

    it('offers data breakpoints on regions from the variables view, forwards and backwards', async () => {
      await launchAndStop(dc, FORK, { breakpoints: [{ line: 13 }] });
      const parent = await child(dc, await scope(dc, 'Processes'), 'parent');
      const regions = await child(dc, parent.variablesReference, 'regions');
      const data = await child(dc, regions.variablesReference, /\] data$/);
      const info = await dc.dataBreakpointInfoRequest({
        variablesReference: regions.variablesReference,
        name: data.name,
      });
      assert.ok(info.body.dataId !== null, info.body.description);
      await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId }] });
      await dc.setBreakpointsRequest({ source: { path: FORK }, breakpoints: [] });
      const stopped = await cont();
      assert.strictEqual(stopped.body.reason, 'data breakpoint');
      assert.strictEqual((await topFrame(dc)).line, 7);
      assert.strictEqual(await evaluate(dc, 'i'), '1');
      const second = await cont();
      assert.strictEqual(second.body.reason, 'data breakpoint');
      assert.strictEqual(await evaluate(dc, 'i'), '2');
      const back = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
      assert.strictEqual(back.body.reason, 'data breakpoint');
      assert.strictEqual(await evaluate(dc, 'i'), '1');
    });

    it('stops when a PTE mapping a watched physical page changes', async () => {
      await launchAndStop(dc, FORK, { breakpoints: [{ line: 13 }] });
      const frame = await topFrame(dc);
      const info = await dc.dataBreakpointInfoRequest({
        name: 'page(translate(parent, buf))',
        frameId: frame.id,
      });
      assert.match(info.body.description, /physical 0x[0-9a-f]+\.\.0x[0-9a-f]+ \(4096 bytes\)/);
      await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId! }] });
      await dc.setBreakpointsRequest({ source: { path: FORK }, breakpoints: [] });
      const stopped = await cont();
      assert.strictEqual(stopped.body.reason, 'data breakpoint');
      assert.strictEqual((await topFrame(dc)).line, 13, 'the child copied the page and remapped its PTE');
      assert.match(stopped.body.text ?? '', /PTE mapping 0x[0-9a-f]+ changed/);
    });

    it('watches kernel memory written through a quickmap slot', async () => {
      const kernel = fixture('kernel.mmu');
      await launchAndStop(dc, kernel, { breakpoints: [{ line: 8 }] });
      const frame = await topFrame(dc);
      const info = await dc.dataBreakpointInfoRequest({ name: 'frame', frameId: frame.id, bytes: 8 });
      const paddr = (await evaluate(dc, 'frame.paddr', 'clipboard')).split(' ')[0]!;
      assert.strictEqual(
        info.body.dataId,
        `p:0x${BigInt(paddr).toString(16)}:8`,
        'a PhysicalPage denotes physical memory',
      );
      await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId! }] });
      await dc.setBreakpointsRequest({ source: { path: kernel }, breakpoints: [] });
      const stopped = await cont();
      assert.strictEqual(stopped.body.reason, 'data breakpoint');
      assert.strictEqual((await topFrame(dc)).line, 8);
      assert.match(stopped.body.text ?? '', /bytes in 0x[0-9a-f]+\.\.0x[0-9a-f]+ changed/);
    });

    it('offers data breakpoints on pages and refuses values that are not memory', async () => {
      await launchAndStop(dc, FORK, { breakpoints: [{ line: 12 }] });
      const parent = await child(dc, await scope(dc, 'Processes'), 'parent');
      const regions = await child(dc, parent.variablesReference, 'regions');
      const data = await child(dc, regions.variablesReference, /\] data$/);
      const pages = await child(dc, data.variablesReference, 'pages');
      const page0 = (await children(dc, pages.variablesReference, { start: 0, count: 1 }))[0]!;
      const info = await dc.dataBreakpointInfoRequest({
        variablesReference: pages.variablesReference,
        name: page0.name,
      });
      assert.match(info.body.description, /4096 bytes/);
      const frame = await topFrame(dc);
      const none = await dc.dataBreakpointInfoRequest({ name: 'true', frameId: frame.id });
      assert.strictEqual(none.body.dataId, null);
    });
  });
});
