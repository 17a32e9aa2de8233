// The undo journal: each kind of note puts back exactly what it saw, and undoing the log of any
// random machine operation returns the whole machine to its earlier state, object for object.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Cloner } from './Checkpoint';
import type { MemoryManager } from './MemoryManager';
import { checkAfter, opArbitrary, startSequence } from './randomOperations';
import { PAGE_SIZE } from './constants';
import {
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS,
  PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT,
} from './Syscalls';
import { boot, unwrap } from './testSupport';
import {
  noteArray,
  noteField,
  noteMapKey,
  noteObject,
  notePop,
  notePush,
  noteRange,
  noteSetMember,
  recordUndo,
  startUndoLog,
  stopUndoLog,
} from './UndoLog';

/**
 * Structural equality of two object graphs (the live state and a deep copy of it): same shapes,
 * same prototypes, same values, typed arrays by content, and shared references shared alike.
 * `skip` names fields that are storage bookkeeping rather than state.
 */
function sameGraph(
  a: unknown,
  b: unknown,
  skip: ReadonlySet<string>,
  path = 'mm',
  seen = new Map<object, object>(),
): void {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    assert.ok(Object.is(a, b), `${path}: ${String(a)} != ${String(b)}`);
    return;
  }
  const paired = seen.get(a);
  if (paired !== undefined) {
    assert.ok(paired === b, `${path}: a shared object is no longer shared the same way`);
    return;
  }
  seen.set(a, b);
  assert.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(b), `${path}: prototype differs`);
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    assert.equal(x.length, y.length, `${path}: length differs`);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) assert.fail(`${path}[${i}]: ${x[i]} != ${y[i]}`);
    return;
  }
  if (a instanceof Map) {
    const other = b as Map<unknown, unknown>;
    assert.equal(a.size, other.size, `${path}: map size differs`);
    for (const [key, value] of a as Map<unknown, unknown>) {
      assert.ok(typeof key !== 'object', `${path}: object keys are not compared`);
      assert.ok(other.has(key), `${path}: key ${String(key)} missing`);
      sameGraph(value, other.get(key), skip, `${path}.get(${String(key)})`, seen);
    }
    return;
  }
  if (a instanceof Set) {
    const x = [...(a as Set<unknown>)];
    const y = [...(b as Set<unknown>)];
    assert.equal(x.length, y.length, `${path}: set size differs`);
    x.forEach((value, i) => sameGraph(value, y[i], skip, `${path}{${i}}`, seen));
    return;
  }
  const keys = Object.keys(a).filter((k) => !skip.has(k));
  assert.deepEqual(
    keys.sort(),
    Object.keys(b)
      .filter((k) => !skip.has(k))
      .sort(),
    `${path}: fields differ`,
  );
  for (const key of keys)
    sameGraph(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      skip,
      `${path}.${key}`,
      seen,
    );
}

/**
 * The event log is drained between operations; page-contents ownership is storage bookkeeping; the
 * paging version and the PDE cache are a cache and its stamp (undo moves the stamp on).
 */
const NOT_STATE = new Set(['events', 'chunkOwned', 'pagingVersion', 'pdeCache']);

describe('UndoLog', () => {
  it('puts back fields, typed-array elements and ranges', () => {
    const object = { count: 1, name: 'a' };
    const words = new Uint32Array([1, 2, 3, 4]);
    const log = recordUndo(object, () => {
      noteField(object, 'count');
      object.count = 5;
      noteObject(object);
      object.name = 'b';
      object.count = 6;
      noteField(words, 1);
      words[1] = 20;
      noteRange(words, 2, 4);
      words.fill(0, 2, 4);
    });
    log.undo();
    assert.deepEqual(object, { count: 1, name: 'a' });
    assert.deepEqual([...words], [1, 2, 3, 4]);
  });

  it('puts back map keys, set members and arrays, including pushes and pops', () => {
    const map = new Map([['kept', 1]]);
    const set = new Set([1]);
    const pushed = [1, 2];
    const popped = [1, 2, 3];
    const spliced = [1, 2, 3];
    const log = recordUndo(map, () => {
      noteMapKey(map, 'kept');
      map.delete('kept');
      noteMapKey(map, 'added');
      map.set('added', 2);
      noteSetMember(set, 1);
      set.delete(1);
      noteSetMember(set, 2);
      set.add(2);
      notePush(pushed);
      pushed.push(3);
      notePop(popped);
      popped.pop();
      noteArray(spliced);
      spliced.splice(1, 1);
    });
    log.undo();
    assert.deepEqual([...map], [['kept', 1]]);
    assert.deepEqual([...set], [1]);
    assert.deepEqual(pushed, [1, 2]);
    assert.deepEqual(popped, [1, 2, 3]);
    assert.deepEqual(spliced, [1, 2, 3]);
  });

  it('records nothing outside a recording, and refuses nested recordings and a second undo', () => {
    const object = { count: 1 };
    noteField(object, 'count');
    const log = startUndoLog(object);
    assert.throws(() => startUndoLog(object), /already recording/);
    assert.throws(() => log.undo(), /while it records/);
    stopUndoLog(log);
    assert.equal(log.size, 0);
    log.undo();
    assert.throws(() => log.undo(), /already undone/);
  });

  it('refuses a log recorded on another machine state', () => {
    const machine = boot({ ram: 12 * 1024 * 1024 });
    const log = machine.recordUndo(() => machine.createProcess('p'));
    machine.restore(machine.checkpoint());
    assert.throws(() => machine.undo(log), /another machine state/);
  });

  it('brings back the stack pointer, prctl rules, a region name and a crash at syscall entry', () => {
    const m = boot();
    const p = unwrap(m.createProcess('p', { stackSize: 16 * PAGE_SIZE, noWToX: false }));
    const a = unwrap(m.mmap(p, { addr: 0, size: PAGE_SIZE, prot: 3, flags: MAP_PRIVATE | MAP_ANONYMOUS }));
    const operations: (() => unknown)[] = [
      () => m.setStackPointer(p, p.stackRegion!.base),
      () => m.prctl(p, PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT),
      () => m.prctl(p, PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS),
      () => m.setMmapName(p, a, PAGE_SIZE, 'renamed'),
      () => m.setStackPointer(p, a),
      () => m.munmap(p, a, PAGE_SIZE),
    ];
    for (const operation of operations) {
      const mm: MemoryManager = m.memoryManager;
      const before = new Cloner().clone(mm);
      const beforeDump = m.dumpState();
      const log = m.recordUndo(operation);
      m.takeEvents();
      const afterDump = m.dumpState();
      m.undo(log);
      assert.deepEqual(m.dumpState(), beforeDump);
      sameGraph(mm, before, NOT_STATE);
      operation();
      m.takeEvents();
      assert.deepEqual(m.dumpState(), afterDump);
    }
    assert.equal(p.alive, false, 'the last syscall crashed the process');
  });

  it('brings the machine back object for object after any operation, and the operation replays the same', function () {
    this.timeout(600000);
    fc.assert(
      fc.property(fc.nat(1000), fc.array(opArbitrary, { minLength: 1, maxLength: 30 }), (seed, ops) => {
        const driver = startSequence(seed, { cpus: 2, events: seed % 2 === 0 });
        const m = driver.m;
        for (const op of ops) {
          const mm: MemoryManager = m.memoryManager;
          const before = new Cloner().clone(mm);
          const beforeDump = m.dumpState();
          const processCount = driver.processes.length;
          const log = m.recordUndo(() => driver.run(op));
          m.takeEvents();
          const afterDump = m.dumpState();
          m.undo(log);
          driver.processes.length = processCount;
          assert.deepEqual(m.dumpState(), beforeDump, `undo of ${JSON.stringify(op)}`);
          sameGraph(mm, before, NOT_STATE);
          // Running the operation again gives the state it gave the first time.
          driver.run(op);
          m.takeEvents();
          assert.deepEqual(m.dumpState(), afterDump, `replay of ${JSON.stringify(op)}`);
          if (!checkAfter(m, op)) break;
        }
      }),
      { numRuns: Number(process.env['ENGINE_UNDO_RUNS'] ?? 300) },
    );
  });

  it('takes an undo back with its redo log, object for object, and the undo log stays usable', function () {
    this.timeout(600000);
    fc.assert(
      fc.property(fc.nat(1000), fc.array(opArbitrary, { minLength: 1, maxLength: 20 }), (seed, ops) => {
        const driver = startSequence(seed, { cpus: 2, events: seed % 2 === 1 });
        const m = driver.m;
        for (const op of ops) {
          const beforeDump = m.dumpState();
          const log = m.recordUndo(() => driver.run(op));
          m.takeEvents();
          const mm: MemoryManager = m.memoryManager;
          const after = new Cloner().clone(mm);
          const afterDump = m.dumpState();
          const handles = m.processes();
          const redo = m.undoKeepingRedo(log);
          assert.deepEqual(m.dumpState(), beforeDump, `undo of ${JSON.stringify(op)}`);
          m.undo(redo);
          assert.deepEqual(m.dumpState(), afterDump, `redo of ${JSON.stringify(op)}`);
          sameGraph(mm, after, NOT_STATE);
          // The very objects are back: handles taken after the operation still name live state.
          for (const process of handles) assert.equal(m.process(process.pid), process);
          // The undo log works again, and once more after a second look.
          m.undo(m.undoKeepingRedo(log));
          assert.deepEqual(m.dumpState(), afterDump);
          if (!checkAfter(m, op)) break;
        }
      }),
      { numRuns: Number(process.env['ENGINE_UNDO_RUNS'] ?? 150) },
    );
  });

  it('refuses to undo a log twice, but again once its redo log was undone', () => {
    const machine = boot({ ram: 12 * 1024 * 1024 });
    const log = machine.recordUndo(() => machine.createProcess('p'));
    const redo = machine.undoKeepingRedo(log);
    assert.throws(() => machine.undo(log), /already undone/);
    machine.undo(redo);
    assert.throws(() => machine.undo(redo), /already undone/);
    machine.undo(log);
    assert.equal(machine.processes().length, 0);
  });
});
