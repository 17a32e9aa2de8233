import * as assert from 'assert';
import fc from 'fast-check';
import { bootState, processState } from '../../test/webview/fixtures/machineStates';
import { validateHostMessage, validateWebviewMessage } from './messages';
import { noChanges } from './stateDiff';

const session = { sessionId: 's1', scenario: 'fork.mmu', stepCount: 4 };

describe('protocol messages', () => {
  describe('validateHostMessage', () => {
    it('accepts a snapshot of a real-looking state', () => {
      const result = validateHostMessage({
        type: 'snapshot',
        session,
        state: processState(),
        changes: noChanges(3),
      });
      assert.strictEqual(result.ok, true, result.ok ? '' : result.error);
    });

    it('names the path of a malformed address', () => {
      const state = bootState();
      const broken = JSON.parse(JSON.stringify(state)) as {
        addressSpaces: { regions: { base: unknown }[] }[];
      };
      const first = broken.addressSpaces[0]?.regions[0];
      assert.ok(first);
      first.base = 4096;
      const result = validateHostMessage({ type: 'snapshot', session, state: broken, changes: noChanges(0) });
      assert.deepStrictEqual(result, {
        ok: false,
        error:
          'message.state.addressSpaces[0].regions[0].base: expected a hex string like "0x1000", got number',
      });
    });

    it('rejects an unknown message type, naming the known ones', () => {
      const result = validateHostMessage({ type: 'explode' });
      assert.strictEqual(result.ok, false);
      assert.match(
        result.ok ? '' : result.error,
        /message\.type: unknown type "explode" \(known: snapshot, patch/,
      );
    });

    it('rejects a page strip with a letter outside N Z L R C D V', () => {
      const state = processState();
      const space = state.addressSpaces[1];
      const heap = space?.regions[0];
      assert.ok(heap);
      heap.pages = 'RRX';
      const result = validateHostMessage({ type: 'snapshot', session, state, changes: noChanges(3) });
      assert.strictEqual(result.ok, false);
      assert.match(result.ok ? '' : result.error, /regions\[0\]\.pages: expected a page strip/);
    });

    it('never throws, whatever arrives', () => {
      fc.assert(
        fc.property(fc.anything(), (value) => {
          validateHostMessage(value);
          validateWebviewMessage(value);
        }),
      );
    });
  });

  describe('validateWebviewMessage', () => {
    it('accepts each request the webview sends', () => {
      const messages = [
        { type: 'ready', panel: 'pageTables', protocolVersion: 1 },
        { type: 'requestPageWalk', requestId: 1, spaceId: 'pid:1', vaddr: '0x1000000' },
        { type: 'requestPteRows', requestId: 2, spaceId: 'pid:1', regionId: null, from: 0, to: 100 },
        { type: 'requestFrameInfo', requestId: 3, frame: 20000 },
        { type: 'requestPteRowIndex', requestId: 4, spaceId: 'pid:1', regionId: null, vaddr: '0x1002000' },
        { type: 'select', target: { kind: 'frame', paddr: '0x4e20000' } },
        { type: 'openInBinaryView', spaceId: 'pid:1', regionId: '0x1000000' },
        { type: 'compareWithStep', step: null },
        { type: 'compareWithStep', step: 1 },
        { type: 'openPanel', panel: 'zones' },
        { type: 'error', message: 'bad' },
      ];
      for (const message of messages) {
        const result = validateWebviewMessage(message);
        assert.strictEqual(result.ok, true, result.ok ? '' : result.error);
      }
    });

    it('rejects an empty, reversed or oversized PTE window', () => {
      for (const [from, to] of [
        [5, 5],
        [10, 2],
        [0, 10_001],
      ]) {
        const result = validateWebviewMessage({
          type: 'requestPteRows',
          requestId: 1,
          spaceId: 'k',
          regionId: null,
          from,
          to,
        });
        assert.strictEqual(result.ok, false, `${from}..${to}`);
      }
    });

    it('rejects a negative or fractional request id and an upper-case hex address', () => {
      assert.strictEqual(
        validateWebviewMessage({ type: 'requestFrameInfo', requestId: -1, frame: 0 }).ok,
        false,
      );
      assert.strictEqual(
        validateWebviewMessage({ type: 'requestFrameInfo', requestId: 1.5, frame: 0 }).ok,
        false,
      );
      const upper = { type: 'requestPageWalk', requestId: 1, spaceId: 'k', vaddr: '0xABC' };
      assert.strictEqual(validateWebviewMessage(upper).ok, false);
    });

    it('rejects a panel the extension does not open', () => {
      assert.strictEqual(validateWebviewMessage({ type: 'openPanel', panel: 'overview' }).ok, false);
    });
  });
});
