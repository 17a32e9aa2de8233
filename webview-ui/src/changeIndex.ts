// Quick answers to "did this change?" for the views, built once per change set.
import type { ChangeSetDto } from '../../src/protocol/dto';
import { noChanges } from '../../src/protocol/stateDiff';

export type ChangeKind = 'added' | 'modified' | 'removed';

export class ChangeIndex {
  private readonly added: Set<string>;
  private readonly modified: Set<string>;
  private readonly pageRuns = new Map<string, ChangeSetDto['pageRuns']>();

  constructor(readonly changes: ChangeSetDto = noChanges(0)) {
    this.added = new Set(changes.added);
    this.modified = new Set(changes.modified);
    for (const run of changes.pageRuns) {
      const key = `${run.spaceId}/${run.regionId}`;
      const runs = this.pageRuns.get(key) ?? [];
      runs.push(run);
      this.pageRuns.set(key, runs);
    }
  }

  /** Whether the entity with this id was added or modified since the base step. */
  statusOf(id: string): ChangeKind | null {
    if (this.added.has(id)) return 'added';
    return this.modified.has(id) ? 'modified' : null;
  }

  /** The change of page `index` of a region, if its state letter changed. */
  pageStatus(spaceId: string, regionId: string, index: number): ChangeKind | null {
    for (const run of this.pageRuns.get(`${spaceId}/${regionId}`) ?? []) {
      if (index >= run.first && index < run.first + run.count) return run.change;
    }
    return null;
  }

  pageRunsOf(spaceId: string, regionId: string): ChangeSetDto['pageRuns'] {
    return this.pageRuns.get(`${spaceId}/${regionId}`) ?? [];
  }

  /** Removed entities whose id starts with one of the prefixes, for a view's "removed" list. */
  removedWith(prefixes: string[]): ChangeSetDto['removed'] {
    return this.changes.removed.filter((item) => prefixes.some((prefix) => item.id.startsWith(prefix)));
  }

  countWith(prefixes: string[]): { added: number; modified: number; removed: number } {
    const match = (id: string): boolean => prefixes.some((prefix) => id.startsWith(prefix));
    return {
      added: this.changes.added.filter(match).length,
      modified: this.changes.modified.filter(match).length,
      removed: this.changes.removed.filter((item) => match(item.id)).length,
    };
  }
}
