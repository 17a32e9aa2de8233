// Checkpoints of the whole machine. The machine's state is a graph of plain class instances,
// arrays, maps, sets and typed arrays without closures; a checkpoint is a deep copy of that graph
// that keeps prototypes and shared references (a memo maps every original object to its copy).
// Objects can take over their own copying through `cloneForCheckpoint` (page contents share
// their buffers copy-on-write) or opt out with `SHARED_ACROSS_CHECKPOINTS` (the event log).

export const SHARED_ACROSS_CHECKPOINTS = Symbol('sharedAcrossCheckpoints');

interface SelfCloning {
  cloneForCheckpoint(cloner: Cloner): unknown;
}

function isSelfCloning(value: object): value is SelfCloning {
  return typeof (value as Partial<SelfCloning>).cloneForCheckpoint === 'function';
}

/**
 * Rough heap cost of what a copy allocates, in bytes: V8 spends about a pointer per field or
 * element plus a small header per object, more per map entry. Good enough to space checkpoints
 * by memory; the benchmarks measure the real figure.
 */
const OBJECT_HEADER = 24;
const SLOT = 8;
const MAP_ENTRY = 40;

export class Cloner {
  private readonly memo = new Map<object, unknown>();
  private bytes = 0;

  /** About how many bytes the copies made so far take (see OBJECT_HEADER). */
  get estimatedBytes(): number {
    return this.bytes;
  }

  /** Counts storage a self-cloning object copied on its own. */
  account(bytes: number): void {
    this.bytes += bytes;
  }

  /** Makes every reference to `original` in the copy a reference to `replacement` instead. */
  substitute(original: object, replacement: unknown): void {
    this.memo.set(original, replacement);
  }

  clone<T>(value: T): T {
    if (typeof value !== 'object' || value === null) return value;
    const original = value as unknown as object;
    const seen = this.memo.get(original);
    if (seen !== undefined) return seen as T;
    return this.cloneObject(original) as T;
  }

  private cloneObject(value: object): unknown {
    if ((value as Record<symbol, unknown>)[SHARED_ACROSS_CHECKPOINTS] === true) return value;
    if (ArrayBuffer.isView(value)) {
      this.bytes += OBJECT_HEADER + value.byteLength;
      const copy = (value as unknown as { slice(): object }).slice();
      this.memo.set(value, copy);
      return copy;
    }
    if (isSelfCloning(value)) {
      const copy = value.cloneForCheckpoint(this);
      this.memo.set(value, copy);
      return copy;
    }
    if (Array.isArray(value)) {
      this.bytes += OBJECT_HEADER + SLOT * value.length;
      const copy: unknown[] = new Array<unknown>(value.length);
      this.memo.set(value, copy);
      for (let i = 0; i < value.length; i++) copy[i] = this.clone(value[i] as unknown);
      return copy;
    }
    if (value instanceof Map) {
      this.bytes += OBJECT_HEADER + MAP_ENTRY * value.size;
      const copy = new Map<unknown, unknown>();
      this.memo.set(value, copy);
      for (const [k, v] of value) copy.set(this.clone(k as unknown), this.clone(v as unknown));
      return copy;
    }
    if (value instanceof Set) {
      this.bytes += OBJECT_HEADER + MAP_ENTRY * value.size;
      const copy = new Set<unknown>();
      this.memo.set(value, copy);
      for (const v of value) copy.add(this.clone(v as unknown));
      return copy;
    }
    const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
    this.memo.set(value, copy);
    const keys = Object.keys(value);
    this.bytes += OBJECT_HEADER + SLOT * keys.length;
    for (const key of keys) {
      copy[key] = this.clone((value as Record<string, unknown>)[key]);
    }
    return copy;
  }
}
