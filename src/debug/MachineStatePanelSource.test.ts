import * as assert from 'assert';
import type { Machine } from '../engine';
import type { PanelStateSource } from '../extension/panels/PanelStateSource';
import { ChangeSetDto, MachineStateDto, SessionInfoDto, StatePatchDto } from '../protocol/dto';
import { applyStatePatch, computeChangeSet, computeStatePatch } from '../protocol/stateDiff';
import { Interpreter, type InterpreterSnapshot, type StepReport } from '../scenario/interpreter';
import {
  type DisposableLike,
  MachineStatePanelSource,
  type MachineStateSession,
} from './MachineStatePanelSource';
import { decodeFrameKinds, valid } from './stateTestSupport';

/**
 * A debug session as the extension would adapt it: an interpreter with a history of reports and a
 * snapshot per step, stepping forward and back.
 */
class FakeSession implements MachineStateSession {
  readonly sessionId = 'session-1';
  readonly scenarioName = 'test.mmu';
  readonly interpreter: Interpreter;
  readonly reports: StepReport[] = [];
  readonly snapshots: InterpreterSnapshot[] = [];
  private position = 0;
  private readonly listeners = new Set<() => void>();
  readonly opened: [string, number][] = [];

  constructor(readonly sourceText: string) {
    const started = Interpreter.start(sourceText, 'test.mmu');
    assert.ok(started.interpreter !== null, started.diagnostics.map((d) => d.message).join('; '));
    this.interpreter = started.interpreter;
    this.snapshots.push(this.interpreter.snapshot());
  }

  machine(): Machine {
    return this.interpreter.machine;
  }
  currentStep(): number {
    return this.position;
  }
  stepCount(): number {
    return this.reports.length;
  }
  report(index: number): StepReport | undefined {
    return this.reports[index - 1];
  }
  onDidChange(listener: () => void): DisposableLike {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  openInBinaryView(memoryReference: string, length: number): void {
    this.opened.push([memoryReference, length]);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** One step forward: replayed (a new report object) when it ran before, as the debugger's timeline does. */
  forward(count = 1): void {
    for (let i = 0; i < count; i++) {
      const report = this.interpreter.step();
      this.reports[this.position] = report;
      this.position++;
      this.snapshots[this.position] = this.interpreter.snapshot();
    }
    this.fire();
  }

  back(count = 1): void {
    this.position -= count;
    this.interpreter.restore(this.snapshots[this.position]!);
    this.fire();
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }
}

const TEXT = `machine ram=64M
process p
let buf = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
write p buf, 1
let plain = MM.allocate_dma_buffer_page("plain", ReadWrite, memory_type=Normal)
write p buf + PAGE_SIZE, 2
`;

describe('machine state panel source', () => {
  it('implements what the panels read', () => {
    const source: PanelStateSource = new MachineStatePanelSource();
    assert.ok(source);
  });

  it('shows nothing, with a reason, without a session', () => {
    const source = new MachineStatePanelSource();
    assert.strictEqual(source.current(), undefined);
    assert.strictEqual(source.stateAt(0), undefined);
    assert.match(source.noSessionReason(), /No MMU Lens debug session/);
    assert.throws(() => source.pageWalk('kernel', '0x0'), /No MMU Lens debug session/);
  });

  it('gives the current step’s state with the session’s name and history length', () => {
    const session = new FakeSession(TEXT);
    session.forward(3);
    const source = new MachineStatePanelSource(session);
    const current = source.current()!;
    assert.deepStrictEqual(valid(SessionInfoDto, current.session), {
      sessionId: 'session-1',
      scenario: 'test.mmu',
      stepCount: 3,
    });
    valid(MachineStateDto, current.state);
    assert.strictEqual(current.state.step.index, 3);
    assert.strictEqual(current.state.step.line, 4);
    assert.strictEqual(current.state.addressSpaces[1]!.regions[0]!.pages, 'RL');
    // Asked again, the same DTO (built once).
    assert.strictEqual(source.current()!.state, current.state);
  });

  it('tells the views when the session moves, and stops listening when it is replaced', () => {
    const session = new FakeSession(TEXT);
    const source = new MachineStatePanelSource(session);
    let changes = 0;
    const subscription = source.onDidChange(() => changes++);
    session.forward();
    assert.strictEqual(changes, 1);
    source.setSession(undefined);
    assert.strictEqual(changes, 2);
    assert.strictEqual(session.listenerCount, 0);
    session.forward();
    assert.strictEqual(changes, 2);
    subscription.dispose();
  });

  it('keeps earlier steps’ states for comparison, across stepping back and replaying', () => {
    const session = new FakeSession(TEXT);
    const source = new MachineStatePanelSource(session);
    const atBoot = source.current()!.state;
    session.forward(3);
    const atThree = source.current()!.state;
    session.forward();
    assert.strictEqual(source.stateAt(3), atThree);
    assert.strictEqual(source.stateAt(0), atBoot);
    assert.strictEqual(source.stateAt(2), undefined, 'step 2 was never shown');
    assert.strictEqual(source.stateAt(9), undefined, 'step 9 was never reached');
    session.back(2);
    assert.strictEqual(source.current()!.state.step.index, 2);
    session.forward();
    // Replayed: new report objects for the same steps, so the kept state still holds.
    assert.strictEqual(source.current()!.state, atThree);
    assert.strictEqual(source.stateAt(3), atThree);
  });

  it('drops a kept state when the history at that step changed', () => {
    const session = new FakeSession(TEXT);
    const source = new MachineStatePanelSource(session);
    session.forward(2);
    const atTwo = source.current()!.state;
    session.forward();
    assert.strictEqual(source.stateAt(2), atTwo);
    // Another statement at step 2 (as after an edit that changed the run's path).
    session.reports[1] = session.reports[2]!;
    assert.strictEqual(source.stateAt(2), undefined);
  });

  it('keeps only as many states as asked', () => {
    const session = new FakeSession(TEXT);
    const source = new MachineStatePanelSource(session, { keptStates: 2 });
    source.current();
    session.forward();
    source.current();
    session.forward();
    source.current();
    assert.strictEqual(source.stateAt(0), undefined);
    assert.ok(source.stateAt(1) !== undefined);
  });

  it('builds an earlier state from the session’s machine for that step when it can', () => {
    const session = new FakeSession(TEXT);
    session.forward(4);
    const other = Interpreter.start(TEXT, 'test.mmu').interpreter!;
    other.step();
    const withHistory: MachineStateSession = Object.assign(Object.create(session) as FakeSession, {
      machineAt: (step: number) => (step === 1 ? other.machine : undefined),
    });
    const source = new MachineStatePanelSource(withHistory);
    const one = source.stateAt(1)!;
    assert.strictEqual(one.step.index, 1);
    assert.deepStrictEqual(
      one.addressSpaces.map((s) => s.id),
      ['kernel', 'pid:1'],
    );
    assert.strictEqual(source.stateAt(2), undefined);
  });

  it('answers page walks, PTE rows and frames from the current step', () => {
    const session = new FakeSession(TEXT);
    session.forward(3);
    const source = new MachineStatePanelSource(session);
    const buf = Number(source.current()!.state.addressSpaces[1]!.regions[0]!.base);
    const secondPage = `0x${(buf + 4096).toString(16)}`;
    // The second page sits on the lazy committed page until step 5 writes it.
    const lazy = source.pageWalk('pid:1', secondPage).paddr;
    assert.strictEqual(lazy, `0x${(session.machine().memoryManager.lazyCommittedFrame * 4096).toString(16)}`);
    assert.strictEqual(source.pteRows('pid:1', null, 0, 10).total, 2);
    session.forward(2);
    assert.notStrictEqual(source.pageWalk('pid:1', secondPage).paddr, lazy);
    assert.strictEqual(source.pteRowIndex('pid:1', null, secondPage), 1);
    const frame = Number(BigInt(source.pageWalk('pid:1', secondPage).paddr!) / 4096n);
    const info = source.frameInfo(frame);
    assert.strictEqual(info.kind, 'anonymous');
    assert.deepStrictEqual(info.mappings, [
      { spaceId: 'pid:1', vaddr: secondPage, regionId: info.mappings[0]!.regionId },
    ]);
    session.back(2);
    assert.strictEqual(source.pageWalk('pid:1', secondPage).paddr, lazy);
  });

  it('knows the DMA buffers from the run’s history', () => {
    const session = new FakeSession(TEXT);
    session.forward(4);
    const source = new MachineStatePanelSource(session);
    const state = source.current()!.state;
    const plain = state.dmaMmio.mappings.find((m) => m.name === 'plain');
    assert.ok(plain, 'a DMA page of Normal memory is still a DMA buffer');
    assert.strictEqual(plain.kind, 'dma');
    assert.strictEqual(plain.memoryType, 'Normal');
    assert.strictEqual(decodeFrameKinds(state)[Number(BigInt(plain.frameRuns[0]!.paddr) / 4096n)], 'dma');
    // The calls are found in the statements' syntax, so a session without the source text knows too.
    const textless: MachineStateSession = Object.assign(Object.create(session) as FakeSession, {
      sourceText: '',
    });
    const mappings = new MachineStatePanelSource(textless).current()!.state.dmaMmio.mappings;
    assert.deepStrictEqual(
      mappings.map((m) => [m.name, m.kind]),
      [['plain', 'dma']],
    );
  });

  it('gives states the protocol can patch from one step to the next', () => {
    const session = new FakeSession(TEXT);
    const source = new MachineStatePanelSource(session);
    let before = source.current()!.state;
    for (let step = 1; step <= 5; step++) {
      session.forward();
      const after = source.current()!.state;
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
    const session = new FakeSession(TEXT);
    session.forward(2);
    const source = new MachineStatePanelSource(session);
    const region = source.current()!.state.addressSpaces[1]!.regions[0]!;
    await source.openInBinaryView('pid:1', region.id);
    assert.deepStrictEqual(session.opened, [[`v:1:${region.base}`, 8192]]);
    assert.throws(() => source.openInBinaryView('pid:1', '12345'), /has no region 12345/);
  });
});
