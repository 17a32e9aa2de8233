import * as assert from 'assert';
import fc from 'fast-check';
import { validateHostMessage, validateWebviewMessage } from './messages';
import {
  bucketOf,
  bucketStart,
  markBit,
  markCount,
  MAX_TIMELINE_BUCKETS,
  TIMELINE_MARK_KINDS,
  type TimelineDto,
} from './timeline';

// The messages of the Timeline panel and of the setting every view shares, as both sides check them.

const totals = TIMELINE_MARK_KINDS.map(() => 0);

/** Slots 0..9 in 5 buckets: a zero fault and a fork at step 3, a COW fault at step 8. */
function timeline(): TimelineDto {
  return {
    from: 0,
    to: 10,
    stepCount: 9,
    kinds: [0, markBit('zero_fault') | markBit('process_created'), 0, 0, markBit('cow_fault')],
    counts: [1, 1, 1],
    firsts: [3, 3, 8],
    totals,
  };
}

const rejected = (message: unknown): string => {
  const result = validateHostMessage(message);
  assert.strictEqual(result.ok, false, 'accepted');
  return result.ok ? '' : result.error;
};

describe('timeline messages', () => {
  it('accept a timeline reply and the shared view setting', () => {
    for (const message of [
      { type: 'timeline', requestId: 4, timeline: timeline() },
      {
        type: 'shared',
        shared: {
          compareStep: 3,
          bookmarks: [{ name: 'after fork', step: 9, line: 18 }],
          breakpointLines: [12, 30],
        },
      },
      { type: 'shared', shared: { compareStep: null, bookmarks: [], breakpointLines: [] } },
    ]) {
      const result = validateHostMessage(message);
      assert.strictEqual(result.ok, true, result.ok ? '' : result.error);
    }
  });

  it('reject a timeline whose counts or first steps do not follow its masks', () => {
    const short = { ...timeline(), counts: [1, 1] };
    assert.match(rejected({ type: 'timeline', requestId: 1, timeline: short }), /2 counts .* for 3 marks/);
    const firsts = { ...timeline(), firsts: [3, 3, 8, 9] };
    assert.match(rejected({ type: 'timeline', requestId: 1, timeline: firsts }), /4 first steps for 3 marks/);
  });

  it('reject more buckets than slots, an empty range, unknown kinds and missing totals', () => {
    const crowded = { ...timeline(), to: 4 };
    assert.match(rejected({ type: 'timeline', requestId: 1, timeline: crowded }), /5 buckets for 4 slots/);
    const empty = { ...timeline(), from: 10 };
    assert.match(rejected({ type: 'timeline', requestId: 1, timeline: empty }), /empty range/);
    const unknown = { ...timeline(), kinds: [1 << TIMELINE_MARK_KINDS.length, 0, 0, 0, 0] };
    assert.match(rejected({ type: 'timeline', requestId: 1, timeline: unknown }), /unknown kinds/);
    const noTotals = { ...timeline(), totals: [1] };
    assert.match(rejected({ type: 'timeline', requestId: 1, timeline: noTotals }), /1 totals/);
  });

  it('reject a shared setting with a negative compare step or a bookmark without a name', () => {
    const shared = (compareStep: unknown, bookmarks: unknown) => ({
      type: 'shared',
      shared: { compareStep, bookmarks, breakpointLines: [] },
    });
    assert.match(rejected(shared(-1, [])), /message\.shared\.compareStep: expected a non-negative integer/);
    assert.match(rejected(shared(null, [{ step: 2, line: null }])), /bookmarks\[0\]\.name: missing/);
  });

  it('accept the webview requests of the timeline and refuse ranges they cannot cut', () => {
    const accepted = [
      { type: 'requestTimeline', requestId: 1, from: 0, to: 1_000_001, buckets: 1200 },
      { type: 'requestTimeline', requestId: 2, from: 5, to: 6, buckets: 1 },
      { type: 'travelTo', step: 0 },
      { type: 'travelTo', step: 17 },
      { type: 'openPanel', panel: 'timeline' },
    ];
    for (const message of accepted) {
      const result = validateWebviewMessage(message);
      assert.strictEqual(result.ok, true, result.ok ? '' : result.error);
    }
    const refused: [unknown, RegExp][] = [
      [{ type: 'requestTimeline', requestId: 1, from: 5, to: 5, buckets: 1 }, /empty range/],
      [{ type: 'requestTimeline', requestId: 1, from: 0, to: 10, buckets: 11 }, /1 to 10 buckets, not 11/],
      [{ type: 'requestTimeline', requestId: 1, from: 0, to: 10, buckets: 0 }, /not 0/],
      [
        { type: 'requestTimeline', requestId: 1, from: 0, to: 1e6, buckets: MAX_TIMELINE_BUCKETS + 1 },
        /1 to 8192 buckets/,
      ],
      [{ type: 'travelTo', step: -2 }, /message\.step: expected a non-negative integer/],
      [{ type: 'travelTo', step: 1.5 }, /message\.step/],
    ];
    for (const [message, error] of refused) {
      const result = validateWebviewMessage(message);
      assert.match(result.ok ? 'accepted' : result.error, error);
    }
  });

  it('cut a range into buckets that cover every slot once, none of them empty', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.integer({ min: 1, max: MAX_TIMELINE_BUCKETS }),
        (from, slots, wanted) => {
          const buckets = Math.min(wanted, slots);
          const to = from + slots;
          assert.strictEqual(bucketStart(from, to, buckets, 0), from);
          assert.strictEqual(bucketStart(from, to, buckets, buckets), to);
          for (const b of [0, buckets >> 1, buckets - 1]) {
            const start = bucketStart(from, to, buckets, b);
            const end = bucketStart(from, to, buckets, b + 1);
            assert.ok(end > start, `bucket ${b} is empty`);
            assert.strictEqual(bucketOf(from, to, buckets, start), b, `the first slot of bucket ${b}`);
            assert.strictEqual(bucketOf(from, to, buckets, end - 1), b, `the last slot of bucket ${b}`);
          }
        },
      ),
    );
  });

  it('count the kinds of a mask', () => {
    assert.strictEqual(markCount(0), 0);
    assert.strictEqual(markCount(markBit('bookmark') | markBit('zero_fault')), 2);
    assert.strictEqual(markCount((1 << TIMELINE_MARK_KINDS.length) - 1), TIMELINE_MARK_KINDS.length);
  });
});
