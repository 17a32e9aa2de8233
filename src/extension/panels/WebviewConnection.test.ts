import * as assert from 'assert';
import { bootState, nextStepState, processState } from '../../../test/webview/fixtures/machineStates';
import type { FrameInfoDto, MachineStateDto, PageWalkDto, SelectionTargetDto } from '../../protocol/dto';
import { type HostMessage, PROTOCOL_VERSION, validateHostMessage } from '../../protocol/messages';
import { TIMELINE_MARK_KINDS, type TimelineDto } from '../../protocol/timeline';
import type { MemoryWindowDto } from '../../protocol/memoryWindow';
import { type MemoryWindowRequest, memoryWindowDto } from '../../views/memoryWindow';
import type { TimelineMarks, TimelineRequest } from '../../views/timeline';
import type { PanelStateSource } from './PanelStateSource';
import { linkedTargets } from './linkedTargets';
import { SharedViewState } from './SharedViewState';
import { FixedMarks } from './testSupport';
import { renderWebviewHtml } from './webviewHtml';
import { WebviewConnection } from './WebviewConnection';

const session = { sessionId: 's', scenario: 'heap.mmu', stepCount: 5 };

/** A state source over a list of step states, the last one being current. */
class FakeSource implements PanelStateSource {
  steps: MachineStateDto[] = [];
  private listener: (() => void) | undefined;
  current() {
    const state = this.steps[this.steps.length - 1];
    return state === undefined ? undefined : { session, state };
  }
  stateAt(step: number) {
    return this.steps.find((state) => state.step.index === step);
  }
  onDidChange(listener: () => void) {
    this.listener = listener;
    return { dispose: () => (this.listener = undefined) };
  }
  step(state: MachineStateDto): void {
    this.steps.push(state);
    this.listener?.();
  }
  pageWalk(spaceId: string, _vaddr: string): PageWalkDto {
    throw new Error(`no address space ${spaceId}`);
  }
  pteRows(_spaceId: string, _regionId: string | null, from: number, to: number) {
    return {
      total: 3,
      rows: [{ vaddr: '0x1000000', raw: '0x8000000004e20007', regionId: '0x1000000' }].slice(from, to),
    };
  }
  pteRowIndex() {
    return null;
  }
  frameInfo(frame: number): FrameInfoDto {
    return { frame, kind: 'free', refCount: null, zoneId: null, mappings: [] };
  }
  opened: string[] = [];
  openInBinaryView(spaceId: string, regionId: string) {
    this.opened.push(`${spaceId}/${regionId}`);
  }
  /** The timeline requests and the marks they came with. */
  timelines: [TimelineRequest, TimelineMarks][] = [];
  timeline(request: TimelineRequest, marks: TimelineMarks): TimelineDto {
    this.timelines.push([request, marks]);
    const totals = TIMELINE_MARK_KINDS.map(() => 0);
    return { ...request, stepCount: 4, kinds: [0], counts: [], firsts: [], totals };
  }
}

/** A connection to a fake webview; connections made with the same `shared` share it, as the manager's do. */
function connect(source: FakeSource, shared = new SharedViewState(new FixedMarks())) {
  const sent: HostMessage[] = [];
  const logs: string[] = [];
  const selected: SelectionTargetDto[] = [];
  const travels: number[] = [];
  const delivered = { value: true };
  const connection = new WebviewConnection(
    { postMessage: async (message) => (sent.push(message), delivered.value) },
    source,
    {
      selected: (target) => selected.push(target),
      openPanel: () => undefined,
      travel: async (step) => {
        if (step > 4) throw new Error(`step ${step} has not been reached yet`);
        travels.push(step);
      },
      shared,
      log: (m) => logs.push(m),
    },
  );
  shared.onDidChange(() => connection.sharedChanged());
  return { connection, sent, logs, selected, delivered, travels, shared };
}

const types = (sent: HostMessage[]): string[] => sent.map((m) => m.type);

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WebviewConnection', () => {
  it('answers "ready" with a snapshot, then sends patches as the session steps', async () => {
    const source = new FakeSource();
    source.steps.push(processState(3));
    const { connection, sent } = connect(source);
    connection.receive({ type: 'ready', panel: 'regions', protocolVersion: PROTOCOL_VERSION });
    source.step(nextStepState());
    connection.update();
    await flush();
    assert.deepStrictEqual(types(sent), ['shared', 'snapshot', 'patch']);
    const second = sent[2];
    assert.ok(second?.type === 'patch');
    assert.strictEqual(second.patch.fromStep, 3);
    assert.strictEqual(second.changes.baseStep, 3);
  });

  it('falls back to a snapshot when a message was not delivered (hidden webview)', async () => {
    const source = new FakeSource();
    source.steps.push(processState(3));
    const { connection, sent, delivered } = connect(source);
    delivered.value = false;
    connection.receive({ type: 'ready', panel: 'zones', protocolVersion: PROTOCOL_VERSION });
    await flush();
    delivered.value = true;
    source.steps.push(nextStepState());
    connection.update();
    await flush();
    assert.deepStrictEqual(types(sent), ['shared', 'snapshot', 'snapshot']);
  });

  it('asks a webview of another protocol version to be reopened', async () => {
    const source = new FakeSource();
    source.steps.push(processState(3));
    const { connection, sent } = connect(source);
    connection.receive({ type: 'ready', panel: 'zones', protocolVersion: 0 });
    await flush();
    assert.strictEqual(sent[0]?.type, 'noSession');
    assert.match(sent[0]?.type === 'noSession' ? sent[0].reason : '', /built for protocol 0/);
  });

  it('says when there is no session', async () => {
    const { connection, sent } = connect(new FakeSource());
    connection.receive({ type: 'ready', panel: 'overview', protocolVersion: PROTOCOL_VERSION });
    await flush();
    assert.deepStrictEqual(types(sent), ['shared', 'noSession']);
  });

  it('rejects a malformed message with an error reply and a log line, never a throw', async () => {
    const { connection, sent, logs } = connect(new FakeSource());
    for (const bad of [
      undefined,
      7,
      { type: 'requestPteRows', requestId: 1, spaceId: 'x', regionId: null, from: 9, to: 2 },
    ]) {
      connection.receive(bad);
    }
    await flush();
    assert.strictEqual(sent.filter((m) => m.type === 'error').length, 3);
    assert.strictEqual(logs.length, 3);
    assert.match(logs[2] ?? '', /a PTE window holds 1 to 10000 rows, not -7/);
  });

  it('turns a failing request into an error reply carrying its request id', async () => {
    const { connection, sent } = connect(new FakeSource());
    connection.receive({ type: 'requestPageWalk', requestId: 12, spaceId: 'pid:9', vaddr: '0x1000' });
    await flush();
    assert.deepStrictEqual(sent[0], { type: 'error', requestId: 12, message: 'no address space pid:9' });
  });

  it('answers a failing message with a reply the host schema accepts, whatever extra fields it held', async () => {
    const source = new FakeSource();
    source.openInBinaryView = (spaceId: string) => {
      throw new Error(`no address space ${spaceId}`);
    };
    const { connection, sent } = connect(source);
    for (const requestId of ['odd', -1, 1.5, { id: 1 }])
      connection.receive({ type: 'openInBinaryView', spaceId: 'pid:99', regionId: '0x1', requestId });
    await flush();
    assert.strictEqual(sent.length, 4);
    for (const reply of sent) {
      assert.deepStrictEqual(reply, { type: 'error', requestId: null, message: 'no address space pid:99' });
      assert.ok(validateHostMessage(reply).ok);
    }
  });

  it('answers PTE windows, forwards selections and opens the binary view', async () => {
    const source = new FakeSource();
    const { connection, sent, selected } = connect(source);
    connection.receive({
      type: 'requestPteRows',
      requestId: 3,
      spaceId: 'pid:1',
      regionId: null,
      from: 0,
      to: 2,
    });
    connection.receive({ type: 'select', target: { kind: 'frame', paddr: '0x4e20000' } });
    connection.receive({ type: 'openInBinaryView', spaceId: 'pid:1', regionId: '0x1000000' });
    await flush();
    const rows = sent[0];
    assert.ok(rows?.type === 'pteRows');
    assert.strictEqual(rows.total, 3);
    assert.strictEqual(rows.rows.length, 1);
    assert.deepStrictEqual(selected, [{ kind: 'frame', paddr: '0x4e20000' }]);
    assert.deepStrictEqual(source.opened, ['pid:1/0x1000000']);
  });

  it('compares every view with the step one of them chose, and tells all of them', async () => {
    const source = new FakeSource();
    source.steps.push(bootState(), processState(3), nextStepState());
    const shared = new SharedViewState(new FixedMarks());
    const chooser = connect(source, shared);
    const other = connect(source, shared);
    chooser.connection.receive({ type: 'compareWithStep', step: 0 });
    await flush();
    assert.strictEqual(shared.compareStep, 0);
    for (const { sent } of [chooser, other]) {
      assert.deepStrictEqual(types(sent), ['shared', 'changes']);
      const [told, changes] = sent;
      assert.ok(told?.type === 'shared' && changes?.type === 'changes');
      assert.strictEqual(told.shared.compareStep, 0);
      assert.strictEqual(changes.changes.baseStep, 0);
      assert.ok(changes.changes.added.includes('space:pid:1'));
    }
    // A later stop is compared with the chosen step too, in every view.
    other.connection.update();
    await flush();
    const patch = other.sent.at(-1);
    assert.ok(patch?.type === 'snapshot');
    assert.strictEqual(patch.changes.baseStep, 0);
  });

  it('compares with the previous step when the chosen one is not before the current', async () => {
    const source = new FakeSource();
    source.steps.push(processState(3), nextStepState());
    const { connection, sent } = connect(source);
    connection.receive({ type: 'compareWithStep', step: 4 });
    await flush();
    const changes = sent.at(-1);
    assert.ok(changes?.type === 'changes');
    assert.strictEqual(changes.changes.baseStep, 3);
  });

  it('tells every view the bookmarks and breakpoint lines, first and on every change', async () => {
    const source = new FakeSource();
    source.steps.push(processState(3));
    const marks = new FixedMarks([{ name: 'fork', step: 2, line: 9 }], [9]);
    const { connection, sent } = connect(source, new SharedViewState(marks));
    connection.receive({ type: 'ready', panel: 'timeline', protocolVersion: PROTOCOL_VERSION });
    marks.set([], [4, 12]);
    await flush();
    const told = sent.filter((m) => m.type === 'shared').map((m) => (m.type === 'shared' ? m.shared : null));
    assert.deepStrictEqual(told, [
      { compareStep: null, bookmarks: [{ name: 'fork', step: 2, line: 9 }], breakpointLines: [9] },
      { compareStep: null, bookmarks: [], breakpointLines: [4, 12] },
    ]);
  });

  it('answers a timeline request with the marks of the run', async () => {
    const source = new FakeSource();
    const marks = new FixedMarks([{ name: 'crash', step: 4, line: 30 }], [7]);
    const { connection, sent } = connect(source, new SharedViewState(marks));
    connection.receive({ type: 'requestTimeline', requestId: 8, from: 0, to: 5, buckets: 5 });
    connection.receive({ type: 'requestTimeline', requestId: 9, from: 3, to: 3, buckets: 1 });
    await flush();
    assert.deepStrictEqual(source.timelines, [
      [
        { from: 0, to: 5, buckets: 5 },
        { breakpointLines: [7], bookmarkSteps: [4] },
      ],
    ]);
    const [reply, refused] = sent;
    assert.ok(reply?.type === 'timeline' && reply.requestId === 8);
    assert.ok(refused?.type === 'error');
    assert.match(refused.message, /rejected message: message: an empty range of slots 3\.\.3/);
  });

  it('travels to a step, and says why it could not', async () => {
    const { connection, sent, travels, logs } = connect(new FakeSource());
    connection.receive({ type: 'travelTo', step: 3 });
    connection.receive({ type: 'travelTo', step: 40 });
    await flush();
    assert.deepStrictEqual(travels, [3]);
    assert.deepStrictEqual(sent, [
      { type: 'error', requestId: null, message: 'step 40 has not been reached yet' },
    ]);
    assert.match(logs[0] ?? '', /Travel to step 40 failed/);
  });
});

describe('linkedTargets', () => {
  it('adds the frame a selected page maps, and the page that maps a selected frame', () => {
    const source = new FakeSource();
    source.pageWalk = (spaceId: string, vaddr: string) => ({
      spaceId,
      vaddr,
      levels: [],
      paddr: '0x4e22123',
      regionId: null,
    });
    source.frameInfo = (frame: number) => ({
      frame,
      kind: 'anonymous',
      refCount: 1,
      zoneId: '0:4',
      mappings: [{ spaceId: 'pid:1', vaddr: '0x1002000', regionId: '0x1000000' }],
    });
    assert.deepStrictEqual(linkedTargets({ kind: 'address', spaceId: 'pid:1', vaddr: '0x1002123' }, source), [
      { kind: 'address', spaceId: 'pid:1', vaddr: '0x1002123' },
      { kind: 'frame', paddr: '0x4e22000' },
    ]);
    assert.deepStrictEqual(linkedTargets({ kind: 'frame', paddr: '0x4e22000' }, source), [
      { kind: 'frame', paddr: '0x4e22000' },
      { kind: 'page', spaceId: 'pid:1', vaddr: '0x1002000' },
    ]);
  });

  it('keeps the selection alone when the source cannot walk it', () => {
    const target = { kind: 'page' as const, spaceId: 'pid:9', vaddr: '0x1000' };
    assert.deepStrictEqual(linkedTargets(target, new FakeSource()), [target]);
  });
});

describe('webview page', () => {
  it('allows only its own resources and the nonce script', () => {
    const html = renderWebviewHtml({
      panel: 'zones',
      title: 'Zones',
      cspSource: 'https://ext.vscode-cdn.net',
      nonce: 'abc123',
      scriptUri: 'https://ext.vscode-cdn.net/dist/webview.js',
      styleUris: ['https://ext.vscode-cdn.net/media/webview.css'],
    });
    assert.match(
      html,
      /content="default-src 'none'; style-src https:\/\/ext\.vscode-cdn\.net; font-src https:\/\/ext\.vscode-cdn\.net; img-src https:\/\/ext\.vscode-cdn\.net data:; script-src 'nonce-abc123'"/,
    );
    assert.match(html, /<body data-panel="zones">/);
    assert.match(
      html,
      /<script nonce="abc123" src="https:\/\/ext\.vscode-cdn\.net\/dist\/webview\.js"><\/script>/,
    );
    assert.doesNotMatch(html, /<script>|style="/);
  });
});

describe('WebviewConnection and the Memory panel', () => {
  /** A source that records the windows it was asked for and the step each compares with. */
  class MemorySource extends FakeSource {
    asked: [MemoryWindowRequest, number | null][] = [];
    memoryWindow(request: MemoryWindowRequest, baseStep: number | null): MemoryWindowDto {
      this.asked.push([request, baseStep]);
      const bytes = Uint8Array.from({ length: request.length }, (_, i) => i);
      const flags = Array.from({ length: request.length }, () => true);
      return memoryWindowDto(
        request,
        this.current()?.state.step.index ?? 0,
        { bytes, readable: flags },
        null,
      );
    }
  }

  it('answers requestMemory with the window, compared with the shared compare step', async () => {
    const source = new MemorySource();
    source.steps.push(processState(3));
    const shared = new SharedViewState(new FixedMarks());
    const { connection, sent } = connect(source, shared);
    const ask = { type: 'requestMemory', requestId: 5, space: 'pid:1', address: '0x1000000', length: 16 };
    connection.receive(ask);
    shared.setCompareStep(1);
    connection.receive({ ...ask, requestId: 6 });
    await flush();
    assert.deepStrictEqual(
      source.asked.map(([request, base]) => [request.address, request.length, base]),
      [
        ['0x1000000', 16, 2],
        ['0x1000000', 16, 1],
      ],
    );
    const replies = sent.filter((m) => m.type === 'memory');
    assert.deepStrictEqual(
      replies.map((m) => (m.type === 'memory' ? m.requestId : -1)),
      [5, 6],
    );
    for (const reply of replies) assert.strictEqual(validateHostMessage(reply).ok, true);
  });

  it('rejects a window longer than 4096 bytes before the source sees it', async () => {
    const source = new MemorySource();
    source.steps.push(processState(3));
    const { connection, sent, logs } = connect(source);
    connection.receive({ type: 'requestMemory', requestId: 9, space: 'pid:1', address: '0x0', length: 5000 });
    await flush();
    assert.deepStrictEqual(source.asked, []);
    assert.ok(sent[0]?.type === 'error');
    assert.match(sent[0].message, /1 to 4096 bytes, not 5000/);
    assert.match(logs[0] ?? '', /Rejected a message/);
  });

  it('says so when the source has no memory to read', async () => {
    const source = new FakeSource();
    source.steps.push(processState(3));
    const { connection, sent } = connect(source);
    connection.receive({ type: 'requestMemory', requestId: 3, space: 'kernel', address: '0x0', length: 1 });
    await flush();
    assert.deepStrictEqual(sent, [{ type: 'error', requestId: 3, message: 'This view cannot read memory.' }]);
  });

  it('tells a Memory panel where to look, and whether it got the message', async () => {
    const source = new MemorySource();
    const { connection, sent, delivered } = connect(source);
    assert.strictEqual(await connection.showMemory({ space: 'physical', address: '0x5000' }), true);
    delivered.value = false;
    assert.strictEqual(await connection.showMemory({ space: 'physical', address: '0x6000' }), false);
    assert.deepStrictEqual(sent[0], { type: 'showMemory', target: { space: 'physical', address: '0x5000' } });
  });
});
