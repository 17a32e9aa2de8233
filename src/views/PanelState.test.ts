import * as assert from 'assert';
import { ScenarioDebugger } from '../debug/ScenarioDebugger';
import type { StepView } from '../debug/StepView';
import type { PanelStateSource } from '../extension/panels/PanelStateSource';
import { SharedViewState } from '../extension/panels/SharedViewState';
import { FixedMarks } from '../extension/panels/testSupport';
import { WebviewConnection } from '../extension/panels/WebviewConnection';
import type { HostMessage } from '../protocol/messages';
import { decodeMemoryWindow } from '../protocol/memoryWindow';
import { ChangeSetDto, MachineStateDto, SessionInfoDto, StatePatchDto } from '../protocol/dto';
import { applyStatePatch, computeChangeSet, computeStatePatch } from '../protocol/stateDiff';
import { Interpreter } from '../scenario/interpreter';
import { decodeFrameKinds, valid } from './stateTestSupport';
import { type FollowedSession, PanelState } from './PanelState';

/** A scenario under the real debugger; every stop's StepView is handed to a PanelState, as the extension does. */
class Debugged implements FollowedSession {
  readonly sessionId = 'session-1';
  readonly scenarioName = 'test.mmu';
  readonly opened: [string, number][] = [];
  readonly state: PanelState;
  debugger!: ScenarioDebugger;
  view: StepView | undefined;

  constructor(
    readonly text: string,
    state = new PanelState(),
  ) {
    this.state = state;
    this.launch();
  }

  /** Starts (or restarts) the scenario, stopped before its first step. */
  launch(): void {
    const interpreter = Interpreter.start(this.text, 'test.mmu').interpreter;
    assert.ok(interpreter !== null);
    const created: ScenarioDebugger = new ScenarioDebugger(interpreter, (event) => {
      if (event.kind !== 'stopped' || created !== this.debugger) return;
      this.view = event.view;
      this.state.show(this, event.view);
    });
    this.debugger = created;
    void created.start(true);
  }

  openInBinaryView(memoryReference: string, length: number): void {
    this.opened.push([memoryReference, length]);
  }

  async next(count = 1): Promise<void> {
    for (let i = 0; i < count; i++) await this.debugger.run('next');
  }

  /** Runs on to a line breakpoint (1-based line), the way F5 does. */
  async continueTo(line: number): Promise<void> {
    this.debugger.setLineBreakpoints([{ line: line - 1 }]);
    await this.debugger.run('continue');
    this.debugger.setLineBreakpoints([]);
  }
}

const TEXT = `machine ram=64M
process p
let buf = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
write p buf, 1
let plain = MM.allocate_dma_buffer_page("plain", ReadWrite, memory_type=Normal)
write p buf + PAGE_SIZE, 2
let after = 1
`;

/** A connection to a fake webview that remembers what it was sent. */
function connect(source: PanelStateSource): { sent: HostMessage[]; connection: WebviewConnection } {
  const sent: HostMessage[] = [];
  const shared = new SharedViewState(new FixedMarks());
  const connection = new WebviewConnection(
    { postMessage: (m) => (sent.push(m), Promise.resolve(true)) },
    source,
    {
      selected: () => undefined,
      openPanel: () => undefined,
      travel: () => Promise.resolve(),
      shared,
      log: () => undefined,
    },
  );
  shared.onDidChange(() => connection.sharedChanged());
  return { sent, connection };
}

function lastChanges(sent: HostMessage[]): ChangeSetDto {
  const message = sent.at(-1)!;
  assert.ok(message.type === 'snapshot' || message.type === 'patch' || message.type === 'changes');
  return message.changes;
}

describe('panel state built from the step views', () => {
  it('implements what the panels read', () => {
    const source: PanelStateSource = new PanelState();
    assert.ok(source);
  });

  it('shows nothing, with a reason, without a session', () => {
    const source = new PanelState();
    assert.strictEqual(source.current(), undefined);
    assert.strictEqual(source.stateAt(0), undefined);
    assert.match(source.noSessionReason(), /No MMU Lens debug session/);
    assert.throws(() => source.pageWalk('kernel', '0x0'), /No MMU Lens debug session/);
  });

  it('gives the current step’s state with the session’s name and history length', async () => {
    const run = new Debugged(TEXT);
    await run.next(3);
    const current = run.state.current()!;
    assert.deepStrictEqual(valid(SessionInfoDto, current.session), {
      sessionId: 'session-1',
      scenario: 'test.mmu',
      stepCount: 3,
    });
    valid(MachineStateDto, current.state);
    assert.strictEqual(current.state.step.index, 3);
    assert.strictEqual(current.state.step.line, 4);
    assert.match(current.state.step.statement, /^write p buf, 1/);
    assert.strictEqual(current.state.addressSpaces[1]!.regions[0]!.pages, 'RL');
    // Asked again, the same DTO (built once).
    assert.strictEqual(run.state.current()!.state, current.state);
  });

  it('tells the views at every stop', async () => {
    const run = new Debugged(TEXT);
    let changes = 0;
    const subscription = run.state.onDidChange(() => changes++);
    await run.next();
    run.debugger.stepBack();
    assert.strictEqual(changes, 2);
    run.state.show(undefined, undefined);
    assert.strictEqual(changes, 3);
    assert.strictEqual(run.state.current(), undefined);
    subscription.dispose();
  });

  it('has the state of any step of the history, shown before or not, and keeps the ones it built', async () => {
    const run = new Debugged(TEXT);
    const atBoot = run.state.current()!.state;
    await run.continueTo(6);
    const atFour = run.state.current()!.state;
    assert.strictEqual(atFour.step.index, 4);
    // Steps 1 to 3 were run past, never shown: their states are had without moving the session.
    const atTwo = run.state.stateAt(2)!;
    assert.deepStrictEqual(
      atTwo.addressSpaces.map((s) => [s.id, s.regions.map((r) => r.pages)]),
      [
        ['kernel', atBoot.addressSpaces[0]!.regions.map((r) => r.pages)],
        ['pid:1', ['LL']],
      ],
    );
    assert.strictEqual(run.state.stateAt(2), atTwo, 'kept once built');
    assert.strictEqual(run.state.current()!.state, atFour, 'the session did not move');
    assert.strictEqual(run.state.stateAt(0)!.addressSpaces.length, atBoot.addressSpaces.length);
    assert.strictEqual(run.state.stateAt(9), undefined, 'step 9 was never reached');
    run.debugger.stepBack();
    const back = run.state.current()!.state;
    assert.strictEqual(back.step.index, 3);
    assert.match(back.step.statement, /^write p buf, 1/, 'a kept state shown again gets its own step');
  });

  it('forgets what it built when the history changes', async () => {
    const run = new Debugged(TEXT);
    await run.next(4);
    const atTwo = run.state.stateAt(2)!;
    run.debugger.edit((it) => it.machine.memoryManager.contents.writeByte(300, 0, 1));
    await run.next();
    assert.notStrictEqual(run.state.stateAt(2), atTwo, 'built again for the new revision');
    assert.deepStrictEqual(run.state.stateAt(2), atTwo, 'the same state before the edit');
  });

  it('keeps only as many states as asked', async () => {
    const run = new Debugged(TEXT, new PanelState({ keptStates: 2 }));
    const first = run.state.stateAt(0);
    await run.next();
    run.state.current();
    await run.next();
    run.state.current();
    assert.notStrictEqual(run.state.stateAt(0), first, 'built again');
  });

  it('answers page walks, PTE rows and frames from the current step', async () => {
    const run = new Debugged(TEXT);
    await run.next(3);
    const source = run.state;
    const buf = Number(source.current()!.state.addressSpaces[1]!.regions[0]!.base);
    const secondPage = `0x${(buf + 4096).toString(16)}`;
    // The second page sits on the lazy committed page until step 5 writes it.
    const lazy = source.pageWalk('pid:1', secondPage).paddr;
    const lazyFrame = run.view!.inspector.machine.memoryManager.lazyCommittedFrame;
    assert.strictEqual(lazy, `0x${(lazyFrame * 4096).toString(16)}`);
    assert.strictEqual(source.pteRows('pid:1', null, 0, 10).total, 2);
    await run.next(2);
    assert.notStrictEqual(source.pageWalk('pid:1', secondPage).paddr, lazy);
    assert.strictEqual(source.pteRowIndex('pid:1', null, secondPage), 1);
    const frame = Number(BigInt(source.pageWalk('pid:1', secondPage).paddr!) / 4096n);
    const info = source.frameInfo(frame);
    assert.strictEqual(info.kind, 'anonymous');
    assert.deepStrictEqual(info.mappings, [
      { spaceId: 'pid:1', vaddr: secondPage, regionId: info.mappings[0]!.regionId },
    ]);
    run.debugger.stepBack();
    run.debugger.stepBack();
    assert.strictEqual(source.pageWalk('pid:1', secondPage).paddr, lazy);
  });

  it('shows a DMA buffer of any memory type as the engine marked it', async () => {
    const run = new Debugged(TEXT);
    await run.next(4);
    const state = run.state.current()!.state;
    const plain = state.dmaMmio.mappings.find((m) => m.name === 'plain');
    assert.ok(plain, 'a DMA page of Normal memory is still a DMA buffer');
    assert.strictEqual(plain.kind, 'dma');
    assert.strictEqual(plain.memoryType, 'Normal');
    assert.strictEqual(decodeFrameKinds(state)[Number(BigInt(plain.frameRuns[0]!.paddr) / 4096n)], 'dma');
  });

  it('gives states the protocol can patch from one step to the next', async () => {
    const run = new Debugged(TEXT);
    let before = run.state.current()!.state;
    for (let step = 1; step <= 5; step++) {
      await run.next();
      const after = run.state.current()!.state;
      const patch = computeStatePatch(before, after);
      assert.ok(patch !== null, `step ${step} can be patched`);
      valid(StatePatchDto, patch);
      assert.deepStrictEqual(applyStatePatch(before, patch), after);
      const changes = valid(ChangeSetDto, computeChangeSet(before, after));
      assert.strictEqual(changes.currentStep, step);
      before = after;
    }
  });

  it('opens a region in the binary view through its memory reference', async () => {
    const run = new Debugged(TEXT);
    await run.next(2);
    const region = run.state.current()!.state.addressSpaces[1]!.regions[0]!;
    await run.state.openInBinaryView('pid:1', region.id);
    assert.deepStrictEqual(run.opened, [[`v:1:${region.base}`, 8192]]);
    assert.throws(() => run.state.openInBinaryView('pid:1', '12345'), /has no region 12345/);
  });

  describe('"changes since the previous step", however the stop was reached', () => {
    /** The changes a view shows at step 4 (the DMA buffer's), reached with F10 from the start. */
    async function byStepping(): Promise<ChangeSetDto> {
      const run = new Debugged(TEXT);
      const { sent, connection } = connect(run.state);
      for (let i = 0; i < 4; i++) {
        await run.next();
        connection.update();
      }
      return lastChanges(sent);
    }

    const ways: Record<string, (run: Debugged) => Promise<void>> = {
      next: async (run) => run.next(4),
      continue: async (run) => run.continueTo(6),
      'reverse continue': async (run) => {
        await run.next(6);
        run.debugger.setLineBreakpoints([{ line: 5 }]);
        await run.debugger.reverseContinue();
      },
      goto: async (run) => {
        await run.next(6);
        run.debugger.goto(4);
      },
      'step back': async (run) => {
        await run.next(5);
        run.debugger.stepBack();
      },
      restart: async (run) => {
        await run.next(6);
        run.launch();
        await run.continueTo(6);
      },
    };

    for (const [way, reach] of Object.entries(ways)) {
      it(`${way}`, async () => {
        const expected = await byStepping();
        assert.ok(expected.added.length + expected.modified.length > 0, 'the step changed something');
        const run = new Debugged(TEXT);
        const { sent, connection } = connect(run.state);
        connection.update();
        await reach(run);
        connection.update();
        assert.strictEqual(run.state.current()!.state.step.index, 4);
        assert.deepStrictEqual(lastChanges(sent), expected);
      });
    }
  });
});

describe('memory windows of the followed session', () => {
  async function stoppedAtTheEnd(): Promise<{ run: Debugged; base: number }> {
    const run = new Debugged(TEXT);
    await run.next(5);
    const base = Number(run.state.current()!.state.addressSpaces[1]!.regions[0]!.base);
    return { run, base };
  }

  function request(run: Debugged, address: number, length: number): Extract<HostMessage, { type: 'memory' }> {
    const { sent, connection } = connect(run.state);
    connection.receive({
      type: 'requestMemory',
      requestId: 7,
      space: 'pid:1',
      address: `0x${address.toString(16)}`,
      length,
    });
    const reply = sent.find((message) => message.type === 'memory' || message.type === 'error');
    assert.ok(reply?.type === 'memory', `a memory window, not ${JSON.stringify(reply)}`);
    return reply;
  }

  const flags = (mask: Uint8Array, length: number): boolean[] =>
    Array.from({ length }, (_, i) => ((mask[i >> 3]! >> (i & 7)) & 1) === 1);

  it('marks the bytes the step wrote as changed since the previous step', async () => {
    const { run, base } = await stoppedAtTheEnd();
    // Step 5 wrote 2 at the second page's first byte.
    const reply = request(run, base + 4096 - 2, 4);
    assert.strictEqual(reply.requestId, 7);
    assert.strictEqual(reply.window.step, 5);
    assert.strictEqual(reply.window.comparedStep, 4);
    const { bytes, readable, changed } = decodeMemoryWindow(reply.window);
    assert.deepStrictEqual([...bytes], [0, 0, 2, 0]);
    assert.deepStrictEqual(flags(readable, 4), [true, true, true, true]);
    assert.deepStrictEqual(flags(changed, 4), [false, false, true, false]);
  });

  it('compares with the chosen step, read without moving the session', async () => {
    const { run, base } = await stoppedAtTheEnd();
    const view = run.view!;
    // At step 1 the region did not exist yet: every byte became readable since.
    const window = run.state.memoryWindow(
      { space: 'pid:1', address: `0x${base.toString(16)}`, length: 4 },
      1,
    );
    assert.strictEqual(window.comparedStep, 1);
    assert.deepStrictEqual(flags(decodeMemoryWindow(window).changed, 4), [true, true, true, true]);
    // Against step 3 (after `write p buf, 1`) nothing in the first bytes changed.
    const since3 = run.state.memoryWindow(
      { space: 'pid:1', address: `0x${base.toString(16)}`, length: 4 },
      3,
    );
    assert.deepStrictEqual(flags(decodeMemoryWindow(since3).changed, 4), [false, false, false, false]);
    assert.deepStrictEqual([...decodeMemoryWindow(since3).bytes], [1, 0, 0, 0]);
    assert.ok(view.isCurrent, 'the session is still at its stop');
    assert.strictEqual(run.state.current()!.state.step.index, 5);
  });

  it('answers a request past the window limit with an error, not bytes', async () => {
    const { run, base } = await stoppedAtTheEnd();
    const { sent, connection } = connect(run.state);
    connection.receive({
      type: 'requestMemory',
      requestId: 8,
      space: 'pid:1',
      address: `0x${base.toString(16)}`,
      length: 8192,
    });
    const reply = sent.at(-1)!;
    assert.ok(reply.type === 'error');
    assert.match(reply.message, /1 to 4096 bytes, not 8192/);
  });
});
