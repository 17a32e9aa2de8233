// What every long run of the debugger shares, forward, backward or searching the history: time
// slices of about 15 ms with the event loop let in between (so that `pause` and every other request
// are answered meanwhile), progress reports for a run that lasts, and the walk over the recorded
// history chunk by chunk between checkpoints, since a chunk is what one replay from a checkpoint
// covers. Nothing here touches the machine; a slice costs one clock reading per unit of work.

/** How long a run works before it lets the event loop in. */
export const SLICE_MS = 15;
/** A run that takes longer than this reports its progress, and again every PROGRESS_EVERY_MS. */
const PROGRESS_AFTER_MS = 500;
const PROGRESS_EVERY_MS = 250;

/** A long run's progress, for a client that shows it (DAP progressStart/Update/End). */
export interface ProgressInfo {
  readonly phase: 'start' | 'update' | 'end';
  readonly id: string;
  readonly title: string;
  readonly message?: string;
  /** 0 … 100 when the run knows how far it has to go. */
  readonly percentage?: number;
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** Reports a long run's progress: nothing for a short run, start/update while it lasts, end once. */
export class RunProgress {
  private started = false;
  private lastUpdate = 0;
  private readonly begin = performance.now();
  private static nextId = 1;
  private readonly id = `mmu-run-${RunProgress.nextId++}`;

  constructor(
    private readonly title: string,
    private readonly emit: (progress: ProgressInfo) => void,
  ) {}

  /** Called between time slices: says where the run is, at most every PROGRESS_EVERY_MS. */
  tick(message: () => string, percentage?: number): void {
    const now = performance.now();
    if (!this.started) {
      if (now - this.begin < PROGRESS_AFTER_MS) return;
      this.started = true;
      this.lastUpdate = now;
      this.send('start', message(), percentage);
      return;
    }
    if (now - this.lastUpdate < PROGRESS_EVERY_MS) return;
    this.lastUpdate = now;
    this.send('update', message(), percentage);
  }

  end(): void {
    if (this.started) this.send('end');
    this.started = false;
  }

  private send(phase: ProgressInfo['phase'], message?: string, percentage?: number): void {
    this.emit({
      phase,
      id: this.id,
      title: this.title,
      ...(message === undefined ? {} : { message }),
      ...(percentage === undefined ? {} : { percentage: Math.max(0, Math.min(100, percentage)) }),
    });
  }
}

/** Where a search stands, for its progress report. */
export interface SearchWhere {
  readonly message: string;
  /** 0 … 100, when the search knows how far it has to go. */
  readonly percentage?: number;
}

/**
 * The time slices of a search over the history. Between two units of work (a position looked at,
 * a step replayed) the search asks whether its slice is over, which costs a clock reading; only
 * then does it take a break, which reports progress and lets the event loop in (that is when a
 * pause request can arrive), so the work itself never waits on a promise.
 */
export class SearchSlices {
  private sliceEnd = performance.now() + SLICE_MS;

  constructor(
    private readonly progress: RunProgress,
    private readonly pauseRequested: () => boolean,
    private readonly where: (position: number) => SearchWhere,
  ) {}

  get sliceOver(): boolean {
    return performance.now() > this.sliceEnd;
  }

  /** The break at the end of a slice, at `position`; true when a pause came during it. */
  async pausedAt(position: number): Promise<boolean> {
    const where = this.where(position);
    this.progress.tick(() => where.message, where.percentage);
    await yieldToEventLoop();
    this.sliceEnd = performance.now() + SLICE_MS;
    return this.pauseRequested();
  }
}

/**
 * A stretch of the recorded history that one replay covers: positions `lower` … `upper`, where
 * `lower` is a checkpoint (or the position a forward walk starts from) and no checkpoint lies
 * strictly between the two.
 */
export interface HistoryChunk {
  readonly lower: number;
  readonly upper: number;
  /** Whether this is the chunk the walk started in (the one that holds its starting position). */
  readonly first: boolean;
}

/**
 * The chunks from `top` down to position 0, nearest first: [c, top] for the last checkpoint c at or
 * below `top`, then [c', c] for the checkpoint c' below c, and so on. Neighbours share their
 * boundary. `checkpoints` is sorted and holds 0; nothing is walked when `top` is negative.
 */
export function* chunksDown(checkpoints: readonly number[], top: number): Generator<HistoryChunk> {
  let upper = top;
  let first = true;
  for (let m = checkpoints.length - 1; m >= 0 && upper >= 0; m--) {
    const lower = checkpoints[m]!;
    if (lower > upper) continue;
    yield { lower, upper, first };
    if (lower === 0) return;
    upper = lower;
    first = false;
  }
}

/**
 * The chunks from `bottom` up to `top`, nearest first: [bottom, c] for the first checkpoint c above
 * `bottom`, then [c, c'] and so on, the last one ending at `top`. Neighbours share their boundary.
 */
export function* chunksUp(
  checkpoints: readonly number[],
  bottom: number,
  top: number,
): Generator<HistoryChunk> {
  let lower = bottom;
  for (const checkpoint of checkpoints) {
    if (checkpoint <= lower) continue;
    if (checkpoint >= top) break;
    yield { lower, upper: checkpoint, first: lower === bottom };
    lower = checkpoint;
  }
  if (lower < top) yield { lower, upper: top, first: lower === bottom };
}
