import * as assert from 'assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  useClientPerTest,
  evaluate,
  fixture,
  launchAndStop,
  rejects,
  startClient,
  topFrame,
} from './support';

const FORK = fixture('fork.mmu');

describe('DAP: launch and robustness', function () {
  this.timeout(60000);
  let dc: DebugClient;

  useClientPerTest(
    () => dc,
    (client) => (dc = client),
  );

  it('fails the launch of a scenario that does not check, showing every diagnostic with file:line:col', async () => {
    const errors: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'stderr') errors.push(e.body.output);
    });
    const bad = fixture('bad.mmu');
    const message = await rejects(dc.launch({ program: bad } as DebugProtocol.LaunchRequestArguments));
    assert.match(message, /bad\.mmu does not check \(2 errors\)/);
    assert.match(message, /bad\.mmu:2:\d+: error: Missing arguments 'prot', 'flags'/);
    assert.match(message, /bad\.mmu:3:7: error: Unknown process 'q'/);
    assert.strictEqual(errors.length, 2);
    assert.match(errors[1]!, /bad\.mmu:3:7: error: Unknown process 'q'/);
  });

  it('fails the launch without a program, or with one that cannot be read', async () => {
    assert.match(
      await rejects(dc.launch({} as DebugProtocol.LaunchRequestArguments)),
      /'program' must be a string/,
    );
    const missing = await startClient();
    try {
      assert.match(
        await rejects(
          missing.launch({ program: fixture('nope.mmu') } as DebugProtocol.LaunchRequestArguments),
        ),
        /cannot read/,
      );
    } finally {
      await missing.stop();
    }
  });

  it('runs to the end with noDebug and reports failed steps', async () => {
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    const terminated = dc.waitForEvent('terminated');
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      dc.launch({ program: fixture('failing.mmu'), noDebug: true } as DebugProtocol.LaunchRequestArguments),
    ]);
    await terminated;
    const text = output.join('');
    assert.match(text, /failing\.mmu:3:\d+: step 3 failed/);
    assert.match(text, /failing\.mmu:5:\d+: step 5 failed \(crash\)/);
    assert.match(text, /End of scenario: 6 steps, 2 failed/);
  });

  it('honours the seed override', async () => {
    const random = fixture('seeded.mmu');
    await launchAndStop(dc, random, { seed: 1 });
    const one = await evaluate(dc, 'r');
    await dc.stop();
    dc = await startClient();
    await launchAndStop(dc, random, { seed: 1 });
    assert.strictEqual(await evaluate(dc, 'r'), one, 'the same seed gives the same addresses');
    await dc.stop();
    dc = await startClient();
    await launchAndStop(dc, random, { seed: 2 });
    const two = await evaluate(dc, 'r');
    await dc.stop();
    dc = await startClient();
    await launchAndStop(dc, random, { seed: 3 });
    const three = await evaluate(dc, 'r');
    assert.ok(one !== two || one !== three, 'other seeds place the region elsewhere');
  });

  it('terminates a running scenario on request', async () => {
    const stops: string[] = [];
    dc.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e.body.reason));
    const initialized = dc.waitForEvent('initialized');
    const launched = dc.launch({ program: fixture('loop.mmu') } as DebugProtocol.LaunchRequestArguments);
    await initialized;
    await dc.configurationDoneRequest();
    await launched;
    const terminated = dc.waitForEvent('terminated');
    await dc.terminateRequest();
    await terminated;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepStrictEqual(stops, []);
  });

  it('answers malformed requests with errors and keeps working', async () => {
    await launchAndStop(dc, FORK, { breakpoints: [{ line: 13 }] });
    const frame = await topFrame(dc);
    const bad: [string, unknown][] = [
      ['variables', { variablesReference: 987654 }],
      ['variables', { variablesReference: 'one' }],
      ['variables', {}],
      ['scopes', { frameId: 4242 }],
      ['scopes', {}],
      ['evaluate', { frameId: frame.id }],
      ['evaluate', { expression: 42 }],
      ['evaluate', { expression: '1 +', frameId: frame.id }],
      ['readMemory', { memoryReference: 'nowhere', count: 4 }],
      ['readMemory', { memoryReference: 'v:99:0x1000', count: 4 }],
      ['readMemory', { memoryReference: 'p:0x1000', count: -1 }],
      ['writeMemory', { memoryReference: 'p:0x1000', data: '***' }],
      ['setBreakpoints', { source: { path: FORK }, breakpoints: [{ line: 'x' }] }],
      ['setBreakpoints', { breakpoints: 3 }],
      ['setExceptionBreakpoints', { filters: 'crash' }],
      ['setDataBreakpoints', { breakpoints: [{}] }],
      ['dataBreakpointInfo', { name: 'zzz', asAddress: true }],
      ['dataBreakpointInfo', { name: 'x', variablesReference: 555 }],
      ['goto', { threadId: 1, targetId: 99999 }],
      ['gotoTargets', { source: { path: FORK }, line: 'x' }],
      ['completions', { text: 'bu', column: 3, frameId: 777 }],
      ['exceptionInfo', { threadId: 1 }],
      ['stackTrace', { threadId: 1, levels: 'all' }],
      ['noSuchCommand', {}],
    ];
    for (const [command, args] of bad) {
      const message = await rejects(dc.customRequest(command, args));
      assert.ok(message.length > 0, command);
    }
    for (const [command, args] of [
      ['writeMemory', { memoryReference: 'p:0x1000', offset: -1e18, data: 'AA==' }],
      ['readMemory', { memoryReference: 'p:0x1000', offset: -0x2000, count: 4 }],
      ['readMemory', { memoryReference: 'p:0x1000', offset: 2 ** 60, count: 4 }],
    ] as const) {
      const message = await rejects(dc.customRequest(command, args));
      assert.match(
        message,
        /^offset -?\d+ from 0x1000 is outside the addresses the machine simulates$/,
        message,
      );
    }
    const threads = await dc.threadsRequest();
    assert.strictEqual(threads.body.threads.length, 1);
    assert.strictEqual((await topFrame(dc)).line, 13);
    const data = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'not-a-data-id' }] });
    assert.strictEqual(data.body.breakpoints[0]!.verified, false);
  });

  it('refuses requests before launch without crashing', async () => {
    await dc.initializeRequest();
    for (const command of ['stackTrace', 'next', 'evaluate', 'readMemory', 'stepBack', 'pause'])
      assert.ok(
        (
          await rejects(
            dc.customRequest(command, { threadId: 1, expression: '1', memoryReference: 'p:0', count: 1 }),
          )
        ).length > 0,
      );
    assert.strictEqual((await dc.threadsRequest()).body.threads.length, 1);
  });
});
