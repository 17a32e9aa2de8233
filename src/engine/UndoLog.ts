// The undo journal. While an UndoLog records, every change to the machine's state first notes
// what it is about to overwrite: an object's field, a typed array's element or range, a map's key,
// a set's member, an array's length. Undoing the log writes those values back in reverse order,
// so the state returns to what it was when recording began, object identities included (handles
// held by the scenario interpreter stay valid). Its cost follows what changed, not the size of
// the state, which is what makes stepping back cheap on a large machine.
//
// One log records at a time, module-wide: machine operations are synchronous and a debugger
// records one step at a time. Outside recording every note is a single null check.
//
// An undo can itself be recorded (`undoKeepingRedo`): before writing a value back it notes what it
// overwrites, into a redo log. Undoing that redo log puts the later state back with the very same
// objects, so a debugger can look at an earlier step and return without anyone's handles going
// stale, and the original log stays usable for the next time.

const FIELD = 0;
const OBJECT = 1;
const MAP_KEY = 2;
const SET_MEMBER = 3;
const RANGE = 4;
const ARRAY = 5;
const CUSTOM = 6;
const COLLECTION = 7;
/** Only in redo logs: an array's elements from an index on, which an undo is about to cut off. */
const TAIL = 8;

/** Storage that saves and puts back its own parts (page contents, through copy-on-write). */
export interface UndoTarget {
  saveForUndo(key: number): unknown;
  undoChange(key: number, saved: unknown): void;
}

type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

const MISSING = Symbol('missing');

let recording: UndoLog | null = null;

export class UndoLog {
  private readonly kinds: number[] = [];
  private readonly targets: unknown[] = [];
  private readonly keys: unknown[] = [];
  private readonly values: unknown[] = [];
  /** Objects and arrays saved whole in this log (they are saved once); made on first use. */
  private savedWhole: Set<object> | null = null;
  /** Keys of custom targets saved in this log (each saved once); made on first use. */
  private savedCustom: Map<UndoTarget, Set<number>> | null = null;
  private undone = false;
  /** For a redo log: the log whose undo it reverses (usable again once this one is undone). */
  private redoOf: UndoLog | null = null;

  /** `owner` is the state the log belongs to (undo checks it is still the live one). */
  constructor(readonly owner: object) {}

  /** Number of notes taken. */
  get size(): number {
    return this.kinds.length;
  }

  private add(kind: number, target: unknown, key: unknown, value: unknown): void {
    this.kinds.push(kind);
    this.targets.push(target);
    this.keys.push(key);
    this.values.push(value);
  }

  field(target: object, key: PropertyKey): void {
    this.add(FIELD, target, key, (target as Record<PropertyKey, unknown>)[key]);
  }

  /** Whether `target` was saved whole already; marks it saved. */
  private savedBefore(target: object): boolean {
    const saved = (this.savedWhole ??= new Set());
    if (saved.has(target)) return true;
    saved.add(target);
    return false;
  }

  object(target: object): void {
    if (!this.savedBefore(target)) this.add(OBJECT, target, null, { ...target });
  }

  mapKey(map: Map<unknown, unknown>, key: unknown): void {
    this.add(MAP_KEY, map, key, map.has(key) ? map.get(key) : MISSING);
  }

  setMember(set: Set<unknown>, value: unknown): void {
    this.add(SET_MEMBER, set, value, set.has(value));
  }

  collection(collection: Map<unknown, unknown> | Set<unknown>): void {
    // A map spreads into [key, value] pairs, a set into its members.
    if (!this.savedBefore(collection)) this.add(COLLECTION, collection, null, [...collection]);
  }

  range(array: TypedArray, start: number, end: number): void {
    if (end > start) this.add(RANGE, array, start, array.slice(start, end));
  }

  array(array: unknown[]): void {
    if (!this.savedBefore(array)) this.add(ARRAY, array, null, array.slice());
  }

  custom(target: UndoTarget, key: number): void {
    const custom = (this.savedCustom ??= new Map());
    let keys = custom.get(target);
    if (keys === undefined) {
      keys = new Set();
      custom.set(target, keys);
    }
    if (keys.has(key)) return;
    keys.add(key);
    this.add(CUSTOM, target, key, target.saveForUndo(key));
  }

  /** Puts back everything noted, newest first. A log can be undone once. */
  undo(): void {
    this.putBack(null);
  }

  /**
   * Undoes the log while recording what the undo overwrites, and returns that record as a redo
   * log: undoing the redo log brings back the state from before this undo, object for object, and
   * makes this log undoable again.
   */
  undoKeepingRedo(): UndoLog {
    const redo = new UndoLog(this.owner);
    redo.redoOf = this;
    this.putBack(redo);
    return redo;
  }

  private putBack(redo: UndoLog | null): void {
    if (this.undone) throw new Error('this change log was already undone');
    if (recording === this) throw new Error('a change log cannot be undone while it records');
    const outer = recording;
    recording = null;
    try {
      for (let i = this.kinds.length - 1; i >= 0; i--) {
        const kind = this.kinds[i]!;
        if (redo !== null) redo.noteBeforeUndo(kind, this.targets[i], this.keys[i], this.values[i]);
        undoEntry(kind, this.targets[i], this.keys[i], this.values[i]);
      }
    } finally {
      recording = outer;
      this.undone = true;
      if (this.redoOf !== null) this.redoOf.undone = false;
    }
  }

  /** Notes what undoing one entry is about to overwrite: the same kind of note as the entry. */
  private noteBeforeUndo(kind: number, target: unknown, key: unknown, value: unknown): void {
    switch (kind) {
      case FIELD:
        // Shortening an array drops its elements; the redo needs them, not just the length.
        if (Array.isArray(target) && key === 'length' && (value as number) < target.length)
          return this.add(TAIL, target, value, target.slice(value as number));
        return this.field(target as object, key as PropertyKey);
      case OBJECT:
        return this.object(target as object);
      case MAP_KEY:
        return this.mapKey(target as Map<unknown, unknown>, key);
      case SET_MEMBER:
        return this.setMember(target as Set<unknown>, key);
      case RANGE:
        return this.range(
          target as TypedArray,
          key as number,
          (key as number) + (value as TypedArray).length,
        );
      case ARRAY:
        return this.array(target as unknown[]);
      case COLLECTION:
        return this.collection(target as Map<unknown, unknown> | Set<unknown>);
      case CUSTOM:
        return this.custom(target as UndoTarget, key as number);
    }
  }
}

function undoEntry(kind: number, target: unknown, key: unknown, value: unknown): void {
  switch (kind) {
    case FIELD:
      (target as Record<PropertyKey, unknown>)[key as PropertyKey] = value;
      return;
    case OBJECT: {
      const object = target as Record<string, unknown>;
      const saved = value as Record<string, unknown>;
      for (const name of Object.keys(object)) if (!(name in saved)) delete object[name];
      Object.assign(object, saved);
      return;
    }
    case MAP_KEY:
      if (value === MISSING) (target as Map<unknown, unknown>).delete(key);
      else (target as Map<unknown, unknown>).set(key, value);
      return;
    case SET_MEMBER:
      if (value === true) (target as Set<unknown>).add(key);
      else (target as Set<unknown>).delete(key);
      return;
    case RANGE:
      (target as TypedArray).set(value as never, key as number);
      return;
    case ARRAY: {
      const array = target as unknown[];
      const saved = value as unknown[];
      array.length = saved.length;
      for (let i = 0; i < saved.length; i++) array[i] = saved[i];
      return;
    }
    case COLLECTION: {
      const entries = value as unknown[];
      if (target instanceof Map) {
        target.clear();
        for (const [k, v] of entries as [unknown, unknown][]) target.set(k, v);
      } else {
        const set = target as Set<unknown>;
        set.clear();
        for (const member of entries) set.add(member);
      }
      return;
    }
    case CUSTOM:
      (target as UndoTarget).undoChange(key as number, value);
      return;
    case TAIL: {
      const array = target as unknown[];
      array.length = key as number;
      for (const element of value as unknown[]) array.push(element);
      return;
    }
  }
}

/** Starts recording changes to `owner`'s state into a new log. */
export function startUndoLog(owner: object): UndoLog {
  if (recording !== null) throw new Error('a change log is already recording');
  recording = new UndoLog(owner);
  return recording;
}

/** Stops recording `log`. */
export function stopUndoLog(log: UndoLog): void {
  if (recording !== log) throw new Error('this change log is not the one recording');
  recording = null;
}

/** Runs `change` while recording into a fresh log for `owner`, and returns the log. */
export function recordUndo(owner: object, change: () => void): UndoLog {
  const log = startUndoLog(owner);
  try {
    change();
  } finally {
    stopUndoLog(log);
  }
  return log;
}

// Notes, taken just before the change they describe. -------------------------------------------

/** `target[key]` is about to change (a field, an array element, a typed-array element). */
export function noteField(target: object, key: PropertyKey): void {
  if (recording !== null) recording.field(target, key);
}

/** Several fields of a small object are about to change: it is saved whole, once per log. */
export function noteObject(target: object): void {
  if (recording !== null) recording.object(target);
}

/** `map` is about to set `key` (a new key goes last, an existing one keeps its place). */
export function noteMapKey<K>(map: Map<K, unknown>, key: K): void {
  if (recording !== null) recording.mapKey(map as Map<unknown, unknown>, key);
}

/** `set` is about to gain `value`. */
export function noteSetMember<T>(set: Set<T>, value: T): void {
  if (recording !== null) recording.setMember(set as Set<unknown>, value);
}

/**
 * A map or set is about to lose members. Putting one back would move it to the end, and the
 * kernel's lists are walked in order, so the whole collection is saved (once per log).
 */
export function noteRemoval(collection: Map<unknown, unknown> | Set<unknown>): void {
  if (recording !== null) recording.collection(collection);
}

/** Elements [start, end) of a typed array are about to change. */
export function noteRange(array: TypedArray, start: number, end: number): void {
  if (recording !== null) recording.range(array, start, end);
}

/** An array is about to change in some way (push, pop, splice, sort): saved whole, once per log. */
export function noteArray(array: unknown[]): void {
  if (recording !== null) recording.array(array);
}

/** An element is about to be pushed onto `array`. */
export function notePush(array: unknown[]): void {
  if (recording !== null) recording.field(array, 'length');
}

/** The last element of `array` is about to be popped. */
export function notePop(array: unknown[]): void {
  if (recording !== null && array.length > 0) {
    recording.field(array, array.length - 1);
    recording.field(array, 'length');
  }
}

/** A custom target's part `key` is about to change: the target saves it (once per log). */
export function noteCustom(target: UndoTarget, key: number): void {
  if (recording !== null) recording.custom(target, key);
}
