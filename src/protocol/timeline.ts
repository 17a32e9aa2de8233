// The Timeline panel's transfer objects and what every view shares besides the stop. The run is a
// row of slots: slot 0 is the state after boot, slot s ≥ 1 is step s. The extension never sends a
// record per step for the whole run: the panel asks for a range of slots cut into buckets (about one
// per pixel column), and gets for each bucket which kinds of step it holds, how many and the first.
import { arr, count, type Infer, nullable, obj, str } from './schema';

/** What the Timeline marks, in this order (a kind's index is its bit in a bucket's mask). */
export const TIMELINE_MARK_KINDS = [
  'zero_fault',
  'cow_fault',
  'inode_fault',
  'failed',
  'crash',
  'oom',
  'bus_error',
  'panic',
  'page_allocated',
  'page_freed',
  'contiguous_pages_allocated',
  'process_created',
  'process_died',
  'breakpoint',
  'bookmark',
] as const;
export type TimelineMarkKind = (typeof TIMELINE_MARK_KINDS)[number];

/** The bit of a kind in a bucket's mask. */
export function markBit(kind: TimelineMarkKind): number {
  return 1 << TIMELINE_MARK_KINDS.indexOf(kind);
}

/** Every mask bit a kind may set. */
const ALL_MARKS = (1 << TIMELINE_MARK_KINDS.length) - 1;

/** The most buckets one request may ask for (a very wide panel at one bucket per pixel). */
export const MAX_TIMELINE_BUCKETS = 8192;

/**
 * The first slot of bucket `bucket` when slots [from, to) are cut into `buckets` buckets: bucket b
 * holds slots [bucketStart(b), bucketStart(b + 1)). Both sides cut the same way with this.
 */
export function bucketStart(from: number, to: number, buckets: number, bucket: number): number {
  return from + Math.floor(((to - from) * bucket) / buckets);
}

/** The bucket that holds `slot` (from ≤ slot < to): the inverse of bucketStart. */
export function bucketOf(from: number, to: number, buckets: number, slot: number): number {
  return Math.floor(((slot - from + 1) * buckets - 1) / (to - from));
}

/** The index of the lowest set bit of a non-zero mask: walk a mask's kinds with `mask &= mask - 1`. */
export function lowestMark(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}

/** The number of set bits of a mask. */
export function markCount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

export const TimelineDto = obj({
  /** The slots summarised, [from, to); the extension may have narrowed the range asked for. */
  from: count,
  to: count,
  /** Steps recorded so far: the run's last slot. */
  stepCount: count,
  /** One mask a bucket: bit i is set when a step of the bucket is of kind TIMELINE_MARK_KINDS[i]. */
  kinds: arr(count, MAX_TIMELINE_BUCKETS),
  /** For each bucket, for each bit of its mask from the lowest: how many of its steps are of that kind. */
  counts: arr(count, MAX_TIMELINE_BUCKETS * TIMELINE_MARK_KINDS.length),
  /** Beside `counts`: the first step of that kind in the bucket. */
  firsts: arr(count, MAX_TIMELINE_BUCKETS * TIMELINE_MARK_KINDS.length),
  /** Steps of each kind in the whole run, in TIMELINE_MARK_KINDS order. */
  totals: arr(count, TIMELINE_MARK_KINDS.length),
});
export type TimelineDto = Infer<typeof TimelineDto>;

/** What the schema cannot say of a timeline: the shapes of its arrays agree. Null when they do. */
export function checkTimeline(timeline: TimelineDto, path: string): string | null {
  const { from, to, kinds, counts, firsts, totals } = timeline;
  if (from >= to) return `${path}: an empty range of slots ${from}..${to}`;
  if (kinds.length === 0 || kinds.length > to - from)
    return `${path}.kinds: ${kinds.length} buckets for ${to - from} slots`;
  let marks = 0;
  for (const mask of kinds) {
    if (mask > ALL_MARKS) return `${path}.kinds: a mask with unknown kinds, ${mask}`;
    marks += markCount(mask);
  }
  if (counts.length !== marks || firsts.length !== marks)
    return `${path}: ${counts.length} counts and ${firsts.length} first steps for ${marks} marks`;
  if (totals.length !== TIMELINE_MARK_KINDS.length)
    return `${path}.totals: ${totals.length} totals for ${TIMELINE_MARK_KINDS.length} kinds`;
  return null;
}

/** A step the user named; `line` is the 1-based line of the statement that step ran (null at 0). */
export const BookmarkDto = obj({ name: str, step: count, line: nullable(count) });
export type BookmarkDto = Infer<typeof BookmarkDto>;

/** The most bookmarks one scenario keeps. */
export const MAX_BOOKMARKS = 500;

/** What every view shares besides the stop; the extension owns it and sends it to every view. */
export const SharedViewDto = obj({
  /** The step "changes since" compares with; null: the step before the current one. */
  compareStep: nullable(count),
  /** The bookmarks of the scenario being debugged. */
  bookmarks: arr(BookmarkDto, MAX_BOOKMARKS),
  /** The 1-based lines of the scenario that hold an enabled breakpoint. */
  breakpointLines: arr(count, 100_000),
});
export type SharedViewDto = Infer<typeof SharedViewDto>;
