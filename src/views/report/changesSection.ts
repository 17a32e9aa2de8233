// What differs between two steps shown in the report, as the panels' "changes since" computes it
// (computeChangeSet): what was added, modified or removed, the runs of pages whose state changed,
// the counters before and after, and how many frames changed owner.

import type { ChangeSetDto, MachineStateDto, SystemCountersDto } from '../../protocol/dto';
import { type Html, el, plural } from './html';
import { COUNTER_NAMES, entityName, regionName, spaceName } from './names';

/** Changed entities, and runs of changed pages, listed at most; the rest are counted. */
export const MAX_LISTED_CHANGES = 60;
export const MAX_LISTED_PAGE_RUNS = 24;

function listed<T>(
  items: readonly T[],
  limit: number,
  render: (item: T) => Html,
  more: (count: number) => string,
): Html[] {
  const out = items.slice(0, limit).map(render);
  if (items.length > limit) out.push(el('li', { class: 'muted' }, more(items.length - limit)));
  return out;
}

const isCounter = (id: string): boolean => id.startsWith('counter:');

function entityList(changes: ChangeSetDto, current: MachineStateDto): Html {
  const entries: { id: string; change: 'added' | 'modified' | 'removed'; name: string }[] = [
    ...changes.added.map((id) => ({ id, change: 'added' as const, name: entityName(id, current) })),
    ...changes.modified
      .filter((id) => !isCounter(id))
      .map((id) => ({ id, change: 'modified' as const, name: entityName(id, current) })),
    ...changes.removed.map((r) => ({ id: r.id, change: 'removed' as const, name: r.label })),
  ];
  if (entries.length === 0)
    return el('p', { class: 'muted' }, 'No address space, region, zone or device mapping changed.');
  return el(
    'ul',
    { class: 'change-list' },
    listed(
      entries,
      MAX_LISTED_CHANGES,
      (entry) =>
        el(
          'li',
          { class: `changed-${entry.change}`, 'data-entity': entry.id },
          el('span', { class: `change change-${entry.change}` }, entry.change),
          ' ',
          entry.name,
        ),
      (n) => `… ${plural(n, 'more change')}`,
    ),
  );
}

function pageRunList(changes: ChangeSetDto, current: MachineStateDto): Html | null {
  if (changes.pageRuns.length === 0) return null;
  const describe = (run: ChangeSetDto['pageRuns'][number]): string => {
    const space = current.addressSpaces.find((s) => s.id === run.spaceId);
    const region = space?.regions.find((r) => r.id === run.regionId);
    const where =
      space === undefined || region === undefined
        ? `${run.spaceId}/${run.regionId}`
        : `${spaceName(space)}: ${regionName(region)}`;
    const pages = run.count === 1 ? `page ${run.first}` : `pages ${run.first}–${run.first + run.count - 1}`;
    const now =
      region === undefined
        ? ''
        : ` (now ${region.pages.slice(run.first, run.first + Math.min(run.count, 16))}${run.count > 16 ? '…' : ''})`;
    return `${where}, ${pages}${now}`;
  };
  return el(
    'div',
    {},
    el('h4', {}, `Pages whose state changed: ${plural(changes.pageRuns.length, 'run')}`),
    el(
      'ul',
      { class: 'change-list' },
      listed(
        changes.pageRuns,
        MAX_LISTED_PAGE_RUNS,
        (run) =>
          el(
            'li',
            {
              class: `changed-${run.change}`,
              'data-page-run': `${run.spaceId}/${run.regionId}/${run.first}+${run.count}`,
            },
            el('span', { class: `change change-${run.change}` }, run.change),
            ' ',
            describe(run),
          ),
        (n) => `… ${plural(n, 'more run')}`,
      ),
    ),
  );
}

function countersTable(before: SystemCountersDto, after: SystemCountersDto): Html {
  const keys = Object.keys(COUNTER_NAMES) as (keyof SystemCountersDto)[];
  const changed = keys.filter((key) => before[key] !== after[key]);
  if (changed.length === 0) return el('p', { class: 'muted' }, 'The counters did not change.');
  return el(
    'table',
    { class: 'counters-change' },
    el('caption', {}, 'Counters (pages), before → after'),
    el(
      'tbody',
      {},
      changed.map((key) => {
        const delta = after[key] - before[key];
        return el(
          'tr',
          { 'data-counter': key },
          el('th', { scope: 'row' }, COUNTER_NAMES[key].name),
          el('td', { class: 'num' }, before[key].toLocaleString('en-US')),
          el('td', {}, '→'),
          el('td', { class: 'num' }, after[key].toLocaleString('en-US')),
          el('td', { class: 'num muted' }, `${delta > 0 ? '+' : ''}${delta.toLocaleString('en-US')}`),
        );
      }),
    ),
  );
}

/** The differences from `base` to `current`, whose change set is `changes`. */
export function changesSection(base: MachineStateDto, current: MachineStateDto, changes: ChangeSetDto): Html {
  const frames = changes.frameRuns.reduce((sum, run) => sum + run.count, 0);
  return el(
    'section',
    { class: 'part changes' },
    el('h3', {}, `Changes from step ${changes.baseStep} to step ${changes.currentStep}`),
    el(
      'p',
      { class: 'muted' },
      `${changes.added.length} added, ${changes.modified.length} modified, ${changes.removed.length} removed · ${plural(changes.pageRuns.length, 'page run')} · ${plural(frames, 'frame')} changed owner${changes.frameRuns.length > 0 ? ` in ${plural(changes.frameRuns.length, 'run')}` : ''}`,
    ),
    base.frameMap.frameCount === current.frameMap.frameCount
      ? null
      : el(
          'p',
          { class: 'muted' },
          `The frame map grew from ${plural(base.frameMap.frameCount, 'frame')} to ${current.frameMap.frameCount.toLocaleString('en-US')}: the frames it gained count as changed.`,
        ),
    entityList(changes, current),
    pageRunList(changes, current),
    countersTable(base.counters, current.counters),
  );
}
