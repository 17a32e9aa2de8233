import * as assert from 'assert';
import { bootState, nextStepState, processState } from '../../../test/webview/fixtures/machineStates';
import type { FrameInfoDto, MachineStateDto, PageWalkDto, SelectionTargetDto } from '../../protocol/dto';
import { type HostMessage, PROTOCOL_VERSION, validateHostMessage } from '../../protocol/messages';
import type { PanelStateSource } from './PanelStateSource';
import { linkedTargets } from './linkedTargets';
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
}

function connect(source: FakeSource) {
  const sent: HostMessage[] = [];
  const logs: string[] = [];
  const selected: SelectionTargetDto[] = [];
  const delivered = { value: true };
  const connection = new WebviewConnection(
    { postMessage: async (message) => (sent.push(message), delivered.value) },
    source,
    { selected: (target) => selected.push(target), openPanel: () => undefined, log: (m) => logs.push(m) },
  );
  return { connection, sent, logs, selected, delivered };
}

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
    assert.deepStrictEqual(
      sent.map((m) => m.type),
      ['snapshot', 'patch'],
    );
    const second = sent[1];
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
    assert.deepStrictEqual(
      sent.map((m) => m.type),
      ['snapshot', 'snapshot'],
    );
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
    assert.strictEqual(sent[0]?.type, 'noSession');
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

  it('compares with a chosen earlier step', async () => {
    const source = new FakeSource();
    source.steps.push(bootState(), processState(3), nextStepState());
    const { connection, sent } = connect(source);
    connection.receive({ type: 'compareWithStep', step: 0 });
    await flush();
    const changes = sent[0];
    assert.ok(changes?.type === 'changes');
    assert.strictEqual(changes.changes.baseStep, 0);
    assert.ok(changes.changes.added.includes('space:pid:1'));
  });

  it('tells its host which step the view compares with, for the exported step report', () => {
    const source = new FakeSource();
    source.steps.push(bootState(), processState(3), nextStepState());
    const compared: (number | null)[] = [];
    const connection = new WebviewConnection({ postMessage: async () => true }, source, {
      selected: () => undefined,
      openPanel: () => undefined,
      log: () => undefined,
      compared: (step) => compared.push(step),
    });
    connection.receive({ type: 'compareWithStep', step: 0 });
    connection.receive({ type: 'compareWithStep', step: null });
    assert.deepStrictEqual(compared, [0, null]);
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
