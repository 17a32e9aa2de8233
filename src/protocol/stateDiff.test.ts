import * as assert from 'assert';
import fc from 'fast-check';
import { bootState, nextStepState, processState } from '../../test/webview/fixtures/machineStates';
import { decodeBase64, encodeBase64 } from './base64';
import type { MachineStateDto } from './dto';
import { validateHostMessage } from './messages';
import { applyStatePatch, computeChangeSet, computeStatePatch, PatchMismatchError } from './stateDiff';

const session = { sessionId: 's', scenario: 'x.mmu', stepCount: 5 };

describe('state diffs', () => {
  it('a patch turns the earlier state into the later one', () => {
    const before = processState(3);
    const after = nextStepState();
    const patch = computeStatePatch(before, after);
    assert.ok(patch);
    assert.deepStrictEqual(applyStatePatch(before, patch), after);
  });

  it('a patch sends only the changed region and the changed frames', () => {
    const patch = computeStatePatch(processState(3), nextStepState());
    assert.ok(patch);
    const [kernel, p] = patch.addressSpaces;
    assert.deepStrictEqual(kernel, { change: 'same', id: 'kernel' });
    assert.ok(p?.change === 'regions');
    assert.deepStrictEqual(
      p.regions.map((r) => r.change),
      ['changed', 'same', 'same'],
    );
    assert.deepStrictEqual(
      patch.frameMapRuns.map((run) => [run.start, decodeBase64(run.kinds).length]),
      [[20003, 1]],
    );
    assert.strictEqual(patch.dmaMmio, null);
    assert.strictEqual(patch.physicalRegions, null);
  });

  it('a patch is a valid protocol message', () => {
    const patch = computeStatePatch(bootState(), processState());
    assert.ok(patch);
    const changes = computeChangeSet(bootState(), processState());
    const result = validateHostMessage({ type: 'patch', session, patch, changes });
    assert.strictEqual(result.ok, true, result.ok ? '' : result.error);
  });

  it('refuses to apply a patch to a state of another step', () => {
    const patch = computeStatePatch(processState(3), nextStepState());
    assert.ok(patch);
    assert.throws(() => applyStatePatch(bootState(), patch), PatchMismatchError);
  });

  it('lists added, modified and removed entities with page and frame runs', () => {
    const changes = computeChangeSet(processState(3), nextStepState());
    assert.deepStrictEqual(changes.added, []);
    assert.ok(changes.modified.includes('region:pid:1/0x1000000'));
    assert.ok(changes.modified.includes('space:pid:1'));
    assert.ok(changes.modified.includes('counter:used'));
    // Page 3 of the heap went from the zero page (Z) to resident (R); page 7 from N to Z.
    assert.deepStrictEqual(changes.pageRuns, [
      { spaceId: 'pid:1', regionId: '0x1000000', first: 3, count: 1, change: 'modified' },
      { spaceId: 'pid:1', regionId: '0x1000000', first: 7, count: 1, change: 'added' },
    ]);
    assert.deepStrictEqual(changes.frameRuns, [{ start: 20003, count: 1 }]);
    const back = computeChangeSet(processState(), bootState());
    assert.deepStrictEqual(
      back.removed.map((r) => r.id).filter((id) => id.startsWith('space:')),
      ['space:pid:1'],
    );
    assert.ok(back.removed.some((r) => r.id === 'region:pid:1/0x1000000' && r.label.includes('heap')));
  });

  it('round-trips random region and frame changes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(32767), fc.nat(11)), { maxLength: 50 }),
        fc.nat(12),
        (frames, written) => {
          const before = processState(3);
          const after: MachineStateDto = processState(Math.min(written, 12));
          const bytes = decodeBase64(after.frameMap.kinds);
          for (const [frame, kind] of frames) bytes[frame] = kind;
          after.frameMap = { frameCount: bytes.length, kinds: encodeBase64(bytes) };
          after.step = { ...after.step, index: 9 };
          const patch = computeStatePatch(before, after);
          assert.ok(patch);
          assert.deepStrictEqual(applyStatePatch(before, patch), after);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('base64', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        assert.deepStrictEqual(decodeBase64(encodeBase64(bytes)), bytes);
      }),
    );
  });

  it('agrees with Node', () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252, 253]);
    assert.strictEqual(encodeBase64(bytes), Buffer.from(bytes).toString('base64'));
  });

  it('throws on a bad character instead of guessing', () => {
    assert.throws(() => decodeBase64('ab$d'), /bad character/);
  });
});
