// A per-key debouncer: a burst of `schedule(key)` calls runs `run(key)` once, `delay()` milliseconds
// after the last call. The timer functions are injected so tests drive time by hand.

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Debouncer<K> {
  private readonly pending = new Map<K, unknown>();

  constructor(
    private readonly delay: () => number,
    private readonly run: (key: K) => void,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Runs `run(key)` after the delay, unless scheduled again before. A delay of 0 runs at once. */
  schedule(key: K): void {
    this.cancel(key);
    const ms = this.delay();
    if (ms <= 0) {
      this.run(key);
      return;
    }
    const handle = this.timers.setTimeout(() => {
      this.pending.delete(key);
      this.run(key);
    }, ms);
    this.pending.set(key, handle);
  }

  /** Runs a pending `run(key)` now; does nothing when none is pending. */
  flush(key: K): void {
    if (!this.pending.has(key)) return;
    this.cancel(key);
    this.run(key);
  }

  cancel(key: K): void {
    const handle = this.pending.get(key);
    if (handle === undefined) return;
    this.timers.clearTimeout(handle);
    this.pending.delete(key);
  }

  isPending(key: K): boolean {
    return this.pending.has(key);
  }

  dispose(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }
}
