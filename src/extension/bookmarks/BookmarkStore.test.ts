import * as assert from 'assert';
import { BOOKMARKS_STATE_KEY, bookmarkNameProblem, BookmarkStore, type StateMemento } from './BookmarkStore';

// Bookmarks: names checked before they are kept, each scenario's list apart, and what the workspace
// state holds read back with distrust.

/** A workspace state in memory that stores what it is given as JSON, as VS Code's does. */
class MemoryState implements StateMemento {
  readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

const FORK = '/work/examples/02-fork-copy-on-write.mmu';
const OTHER = '/work/examples/01-demand-paging.mmu';

describe('bookmarks', () => {
  it('refuse an empty, long, numeric, control-character or taken name', () => {
    assert.strictEqual(bookmarkNameProblem('after fork', []), null);
    assert.match(bookmarkNameProblem('   ', []) ?? '', /needs a name/);
    assert.match(bookmarkNameProblem('x'.repeat(61), []) ?? '', /at most 60 characters; this one has 61/);
    assert.match(bookmarkNameProblem('12', []) ?? '', /read as a step number/);
    assert.match(bookmarkNameProblem('tab\there', []) ?? '', /control characters/);
    assert.match(
      bookmarkNameProblem(' After Fork ', ['after fork']) ?? '',
      /already has a bookmark named "After Fork"/,
    );
    assert.strictEqual(bookmarkNameProblem('step 12', []), null, 'a word and a number is a name');
  });

  it('keep each scenario its own list, by step, in the workspace state', async () => {
    const state = new MemoryState();
    const store = new BookmarkStore(state);
    let changes = 0;
    store.onDidChange(() => changes++);
    await store.add(FORK, { name: 'crash', step: 57, line: 64 });
    await store.add(FORK, { name: '  fork  ', step: 9, line: 18 });
    await store.add(OTHER, { name: 'first fault', step: 3, line: 12 });
    assert.deepStrictEqual(new BookmarkStore(state).list(FORK), [
      { name: 'fork', step: 9, line: 18 },
      { name: 'crash', step: 57, line: 64 },
    ]);
    assert.deepStrictEqual(
      new BookmarkStore(state).list(OTHER).map((b) => b.name),
      ['first fault'],
    );
    assert.strictEqual(changes, 3);
    await assert.rejects(store.add(FORK, { name: 'Fork', step: 2, line: 5 }), /already has a bookmark/);
    assert.strictEqual(changes, 3, 'a refused bookmark changed the list');
  });

  it('rename and delete a bookmark, refusing a name another one has', async () => {
    const store = new BookmarkStore(new MemoryState());
    await store.add(FORK, { name: 'fork', step: 9, line: 18 });
    await store.add(FORK, { name: 'crash', step: 57, line: 64 });
    await store.rename(FORK, 'fork', 'Fork');
    await assert.rejects(store.rename(FORK, 'Fork', 'crash'), /already has a bookmark named "crash"/);
    await assert.rejects(store.rename(FORK, 'nothing', 'else'), /No bookmark is named "nothing"/);
    await store.remove(FORK, 'crash');
    assert.deepStrictEqual(store.list(FORK), [{ name: 'Fork', step: 9, line: 18 }]);
    await store.remove(FORK, 'Fork');
    assert.deepStrictEqual(store.list(FORK), []);
  });

  it('leave out what the workspace state holds that is not a bookmark', async () => {
    const state = new MemoryState();
    await state.update(BOOKMARKS_STATE_KEY, {
      [FORK]: [
        { name: 'fine', step: 3, line: 7 },
        { name: 'no step' },
        'junk',
        { name: 'x', step: -1, line: null },
      ],
      [OTHER]: 'not a list',
    });
    const store = new BookmarkStore(state);
    assert.deepStrictEqual(store.list(FORK), [{ name: 'fine', step: 3, line: 7 }]);
    assert.deepStrictEqual(store.list(OTHER), []);
    await state.update(BOOKMARKS_STATE_KEY, ['a list']);
    assert.deepStrictEqual(store.list(FORK), []);
  });
});
