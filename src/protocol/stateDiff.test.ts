import * as assert from 'assert';
import fc from 'fast-check';
import { bootState, nextStepState, processState } from '../../test/webview/fixtures/machineStates';
import { decodeBase64, encodeBase64 } from './base64';
import type { MachineStateDto } from './dto';
import { validateHostMessage } from './messages';
import {
  applyStatePatch,
  computeChangeSet,
  computeStatePatch,
  PatchMismatchError,
  sameValue,
} from './stateDiff';

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

/** A state of `frames` frames (any count, also one that leaves a padded last base64 group). */
function withFrames(state: MachineStateDto, bytes: Uint8Array, step: number): MachineStateDto {
  return {
    ...state,
    step: { ...state.step, index: step },
    frameMap: { frameCount: bytes.length, kinds: encodeBase64(bytes) },
  };
}

/** The frames whose kinds differ, as runs, the plain way: decode both maps and compare frame by frame. */
function differingRuns(before: Uint8Array, after: Uint8Array): { start: number; count: number }[] {
  const runs: { start: number; count: number }[] = [];
  for (let i = 0; i < after.length; i++) {
    if (before[i] === after[i]) continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.start + last.count === i) last.count++;
    else runs.push({ start: i, count: 1 });
  }
  return runs;
}

describe('frame map diffs', () => {
  const frameMaps = fc.integer({ min: 1, max: 5000 }).chain((frames) =>
    fc.tuple(
      fc.uint8Array({ minLength: frames, maxLength: frames, max: 11 }),
      fc.array(fc.tuple(fc.nat(frames - 1), fc.integer({ min: 1, max: 40 }), fc.nat(11)), {
        maxLength: 30,
      }),
    ),
  );

  it('find exactly the frames that changed, and a patch writes exactly them', () => {
    fc.assert(
      fc.property(frameMaps, ([bytes, writes]) => {
        const later = Uint8Array.from(bytes);
        for (const [start, length, kind] of writes) later.fill(kind, start, start + length);
        const before = withFrames(processState(3), bytes, 3);
        const after = withFrames(processState(3), later, 4);
        assert.deepStrictEqual(computeChangeSet(before, after).frameRuns, differingRuns(bytes, later));
        const patch = computeStatePatch(before, after);
        assert.ok(patch);
        const applied = applyStatePatch(before, patch);
        assert.strictEqual(applied.frameMap.kinds, after.frameMap.kinds);
        assert.strictEqual(applied.frameMap.frameCount, later.length);
      }),
      { numRuns: 200 },
    );
  });

  it('apply runs in any order, touching or sharing a base64 group', () => {
    const bytes = new Uint8Array(20).fill(1);
    const before = withFrames(processState(3), bytes, 3);
    const runs = [
      { start: 17, kinds: encodeBase64(Uint8Array.from([5, 5, 5])) },
      { start: 4, kinds: encodeBase64(Uint8Array.from([2])) },
      { start: 5, kinds: encodeBase64(Uint8Array.from([3, 3])) },
      { start: 0, kinds: encodeBase64(Uint8Array.from([7])) },
    ];
    const patch = computeStatePatch(before, before);
    assert.ok(patch);
    const applied = applyStatePatch(before, { ...patch, frameMapRuns: runs });
    assert.deepStrictEqual(
      [...decodeBase64(applied.frameMap.kinds)],
      [7, 1, 1, 1, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5, 5, 5],
    );
    const past = { ...patch, frameMapRuns: [{ start: 19, kinds: encodeBase64(Uint8Array.from([1, 1])) }] };
    assert.throws(() => applyStatePatch(before, past), PatchMismatchError);
  });

  it('report every frame of a map that grew (a new boot) as changed', () => {
    const before = withFrames(processState(3), Uint8Array.from([1, 2, 3, 4]), 3);
    const after = withFrames(processState(3), Uint8Array.from([1, 9, 3, 4, 5, 6, 7]), 4);
    assert.strictEqual(computeStatePatch(before, after), null);
    assert.deepStrictEqual(computeChangeSet(before, after).frameRuns, [
      { start: 1, count: 1 },
      { start: 4, count: 3 },
    ]);
  });

  it('are worked out once per pair of states', () => {
    const before = processState(3);
    const after = nextStepState();
    assert.strictEqual(computeStatePatch(before, after), computeStatePatch(before, after));
    assert.strictEqual(computeChangeSet(before, after), computeChangeSet(before, after));
    const other = nextStepState();
    assert.notStrictEqual(computeChangeSet(before, other), computeChangeSet(before, after));
    assert.deepStrictEqual(computeChangeSet(before, other), computeChangeSet(before, after));
  });
});

describe('sameValue', () => {
  /** JSON with every object's keys in order: equal for equal values whatever order keys came in. */
  const canonical = (value: unknown): string =>
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'object' && v !== null && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    );

  it('agrees with comparing the JSON of DTO-like values', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(json, json, (a, b) => {
        assert.strictEqual(sameValue(a, b), canonical(a) === canonical(b));
        assert.strictEqual(sameValue(a, JSON.parse(JSON.stringify(a))), true);
      }),
    );
  });

  it('tells arrays from objects and missing keys from present ones', () => {
    assert.strictEqual(sameValue([], {}), false);
    assert.strictEqual(sameValue({ a: 1 }, { b: 1 }), false);
    assert.strictEqual(sameValue({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] }), true);
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
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (random) => {
        const text = Buffer.from(random).toString('base64');
        assert.strictEqual(encodeBase64(random), text);
        assert.deepStrictEqual(decodeBase64(text), random);
      }),
    );
  });

  it('throws on a bad character, padding before the end or a broken length instead of guessing', () => {
    assert.throws(() => decodeBase64('ab$d'), /bad character at 2/);
    assert.throws(() => decodeBase64('ab=dAAAA'), /bad character at 2/);
    assert.throws(() => decodeBase64('A==='), /bad character at 1/);
    assert.throws(() => decodeBase64('AAAAA'), /not a multiple of 4/);
    assert.deepStrictEqual(decodeBase64(''), new Uint8Array(0));
  });
});
