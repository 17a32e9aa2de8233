// The first time MMU Lens activates for a user, it opens its walkthrough: a newcomer who ran
// `npm start` or installed the VSIX lands on "open an example, step through it" instead of an
// empty window. The memory of it lives in globalState, so it happens once per user, not per
// workspace. No VS Code here (the decision is unit-tested); commands/getStarted.ts opens it.

/** The globalState key that records that the walkthrough was opened once. */
export const WALKTHROUGH_SHOWN_KEY = 'mmuLens.walkthroughShown';

/** What the decision needs of globalState (VS Code's Memento has it). */
export interface ShownMemory {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/**
 * Opens the walkthrough unless it was opened before, and remembers that it was. The memory is
 * written first: a walkthrough that fails to open is not retried at every activation.
 * Returns whether it opened it.
 */
export async function openWalkthroughOnce(
  memory: ShownMemory,
  open: () => PromiseLike<unknown>,
): Promise<boolean> {
  if (memory.get<boolean>(WALKTHROUGH_SHOWN_KEY) === true) return false;
  await memory.update(WALKTHROUGH_SHOWN_KEY, true);
  await open();
  return true;
}
