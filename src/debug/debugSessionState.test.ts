import * as assert from 'assert';
import { Interpreter } from '../scenario/interpreter';
import { type DebugSessionLike, machineStateSessionFor } from './debugSessionState';
import { MachineStatePanelSource } from './MachineStatePanelSource';
import { MmuDebugSession } from './MmuDebugSession';
import { type DebuggerEvent, ScenarioDebugger } from './ScenarioDebugger';

const TEXT = `machine ram=64M
process p
let buf = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")
write p buf, 1
write p buf + PAGE_SIZE, 2
`;

/** The inline debug session's surface, over the real run control and timeline. */
class InlineSession implements DebugSessionLike {
  readonly currentInterpreter: Interpreter;
  readonly scenarioDebugger: ScenarioDebugger;
  private readonly listeners = new Set<() => void>();

  constructor(text: string) {
    this.currentInterpreter = Interpreter.start(text, 'test.mmu').interpreter!;
    this.scenarioDebugger = new ScenarioDebugger(this.currentInterpreter, (event: DebuggerEvent) => {
      if (event.kind === 'stopped') for (const listener of this.listeners) listener();
    });
  }

  onDidStop(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

describe('debug session as a state source', () => {
  it('fits the inline debug session', () => {
    const session: DebugSessionLike = new MmuDebugSession({ readFile: () => Promise.resolve(TEXT) });
    assert.strictEqual(session.currentInterpreter, null);
  });

  it('follows the debugger forward and back through its timeline', async () => {
    const debug = new InlineSession(TEXT);
    const opened: string[] = [];
    const source = new MachineStatePanelSource(
      machineStateSessionFor(debug, {
        sessionId: 's',
        scenarioName: 'test.mmu',
        openInBinaryView: (reference) => void opened.push(reference),
      }),
    );
    let changes = 0;
    source.onDidChange(() => changes++);
    await debug.scenarioDebugger.start(true);
    assert.strictEqual(source.current()!.state.step.index, 0);
    for (let i = 0; i < 3; i++) await debug.scenarioDebugger.run('next');
    const three = source.current()!;
    assert.strictEqual(three.state.step.index, 3);
    assert.strictEqual(three.session.stepCount, 3);
    assert.strictEqual(three.state.addressSpaces[1]!.regions[0]!.pages, 'RL');
    await debug.scenarioDebugger.run('next');
    assert.strictEqual(source.current()!.state.addressSpaces[1]!.regions[0]!.pages, 'RR');
    debug.scenarioDebugger.stepBack();
    const back = source.current()!;
    assert.strictEqual(back.state.step.index, 3);
    assert.strictEqual(back.state, three.state, 'the kept state of step 3');
    assert.strictEqual(back.session.stepCount, 4);
    assert.ok(source.stateAt(4) !== undefined);
    assert.strictEqual(source.pteRows('pid:1', null, 0, 10).total, 2);
    assert.ok(changes >= 6);
    const region = back.state.addressSpaces[1]!.regions[0]!;
    await source.openInBinaryView('pid:1', region.id);
    assert.deepStrictEqual(opened, [`v:1:${region.base}`]);
  });
});
